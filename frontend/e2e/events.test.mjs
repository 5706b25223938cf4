// End-to-end: an event with public registration. Staff create it; people
// register from a phone-sized window without an account (Ukrainian and
// English pages), the second lands on the waiting list and cancels from
// the link in their email; staff check the first in by their code. An
// event whose staff member is already at another is refused with the
// clash listed, and a planner overrides it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startIntegra } from "./server.mjs";
import { launch } from "./browser.mjs";
import { linkFromMail, pageChecker, signIn } from "./helpers.mjs";

let server;
let browser;
let page;
const axeResults = [];
const check = pageChecker(axeResults);
let eventUrl;
let publicPath;

const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, timezoneId: "Europe/Prague" };

before(async () => {
  server = await startIntegra();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "cs-CZ", timezoneId: "Europe/Prague" });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, "admin.usti@example.org");
});

after(async () => {
  console.log(`axe: ${axeResults.length} pages checked, ${axeResults.reduce((n, r) => n + r.violations, 0)} violations`);
  await browser?.close();
  await server?.stop();
});

async function noSidewaysScroll(p) {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "no sideways scrolling on a phone");
}

test("staff create an event with public registration", async () => {
  await page.getByRole("link", { name: "Akce" }).click();
  await page.getByRole("heading", { name: "Akce", exact: true }).waitFor();
  await check(page, "40-events");
  await page.getByRole("link", { name: "Nová akce" }).click();
  await page.getByLabel(/^Název/).fill("Den ukrajinské kultury");
  await page.getByLabel(/^Místo/).fill("Knihovna, Velká Hradební 49, Ústí nad Labem");
  await page.getByLabel(/^Kapacita/).fill("1");
  await page.getByLabel(/^Popis/).fill("Hudba, jídlo a setkání sousedů.");
  await check(page, "41-event-new");
  await page.getByRole("button", { name: "Vytvořit akci" }).click();
  await page.getByRole("heading", { name: "Den ukrajinské kultury" }).waitFor();
  eventUrl = page.url();
  const publicUrl = await page.getByRole("textbox", { name: "Veřejná stránka" }).inputValue();
  publicPath = new URL(publicUrl).pathname;
  assert.match(publicPath, /^\/events\/[a-z0-9-]+$/);
});

test("a person registers from a phone in Ukrainian, without an account", async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: "uk-UA" });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(server.base + publicPath);
  await p.getByRole("heading", { name: "Den ukrajinské kultury" }).waitFor();
  await p.getByRole("heading", { name: "Зареєструватися" }).waitFor();
  await noSidewaysScroll(p);
  await check(p, "42-public-event-phone-uk");
  // Nothing filled in: each field says what is missing.
  await p.getByRole("button", { name: "Зареєструватися" }).click();
  await p.getByText("Без згоди зареєструватися неможливо.").waitFor();
  await p.getByLabel(/^Ім'я та прізвище/).fill("Оксана Мельник");
  await p.getByLabel(/^Електронна пошта/).fill("oksana@example.org");
  await p.getByRole("checkbox").check();
  await p.getByRole("button", { name: "Зареєструватися" }).click();
  await p.getByRole("status").getByText("Вас зареєстровано").waitFor();
  await check(p, "43-public-event-confirmed");
  await ctx.close();
});

test("the next person lands on the waiting list and cancels from the email link", async () => {
  const ctx = await browser.newContext({ ...PHONE, locale: "en-GB" });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(server.base + publicPath);
  await p.getByText("The event is full: registering puts you on the waiting list.").waitFor();
  await p.getByLabel(/^Full name/).fill("John Smith");
  await p.getByLabel(/^Email/).fill("john@example.org");
  await p.getByRole("checkbox").check();
  await p.getByRole("button", { name: "Join the waiting list" }).click();
  await p.getByRole("status").getByText("You are number 1.", { exact: false }).waitFor();

  const link = new URL(await linkFromMail(server.dataDir, "events/[a-z0-9-]+/cancel", "john@example.org"));
  await p.goto(server.base + link.pathname + link.hash);
  await p.getByRole("heading", { name: "Cancel registration" }).waitFor();
  await noSidewaysScroll(p);
  await check(p, "44-public-event-cancel");
  await p.getByRole("button", { name: "Cancel my registration" }).click();
  await p.getByRole("status").getByText(/Your registration is cancelled/).waitFor();
  await ctx.close();
});

test("staff check the registered person in by the code from their email", async () => {
  await page.goto(eventUrl);
  const rows = page.getByTestId("registrations");
  await rows.getByText("Оксана Мельник").waitFor();
  await rows.getByText(/zrušen/i).waitFor();
  await page.getByText("Přišlo 0 z 1").waitFor();
  const code = (await rows.getByRole("row", { name: /Оксана Мельник/ }).locator("td").nth(3).innerText()).trim();
  assert.ok(code.length >= 4, `a check-in code (${code})`);
  await page.getByLabel(/^Kód z potvrzení/).fill("NOPE-0000");
  await page.getByRole("button", { name: "Přišel/přišla", exact: true }).click();
  await page.getByLabel(/^Kód z potvrzení/).and(page.locator("[aria-invalid=true]")).waitFor();
  await page.getByLabel(/^Kód z potvrzení/).fill(code);
  await page.getByRole("button", { name: "Přišel/přišla", exact: true }).click();
  await page.getByRole("status").getByText("Оксана Мельник: příchod zapsán.").waitFor();
  await page.getByText("Přišlo 1 z 1").waitFor();
  await check(page, "45-event-check-in");
});

test("an event whose staff member is already at another refuses, listing the clash, and a planner overrides it", async () => {
  const day = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
  async function fillEvent(title) {
    await page.goto(server.base + "/manage/events/new");
    await page.getByLabel(/^Název/).fill(title);
    await page.getByLabel(/^Datum/).fill(day);
    await page.getByLabel(/^Kapacita/).fill("40");
    await page.getByRole("combobox", { name: /^Pracovníci centra na akci/ }).click();
    await page.getByRole("option", { name: "Lenka Lektorka" }).click();
    await page.keyboard.press("Escape");
  }
  await fillEvent("Beseda o bydlení");
  await page.getByRole("button", { name: "Vytvořit akci" }).click();
  await page.getByRole("heading", { name: "Beseda o bydlení" }).waitFor();

  await fillEvent("Beseda o práci");
  await page.getByRole("button", { name: "Vytvořit akci" }).click();
  await page.getByTestId("clashes").getByText(/Lenka Lektorka/).first().waitFor();
  await page.getByTestId("clashes").getByText(/Beseda o bydlení/).first().waitFor();
  const staff = page.getByRole("combobox", { name: /^Pracovníci centra na akci/ });
  assert.ok(await staff.getAttribute("aria-describedby"), "the staff field names its error");
  await check(page, "46-event-clash");
  await page.getByRole("textbox", { name: "Důvod přeplánování přes kolizi" }).fill("Lektorka vede obě besedy spojeně");
  await page.getByRole("button", { name: "Vytvořit i přes kolize" }).click();
  await page.getByRole("heading", { name: "Beseda o práci" }).waitFor();
  // The detail names the staff booked.
  await page.locator("dd", { hasText: "Lenka Lektorka" }).waitFor();
});

test("an event that asks for confirmation holds a place only once the emailed link is opened", async () => {
  await page.goto(server.base + "/manage/events/new");
  await page.getByLabel(/^Název/).fill("Jak na trvalý pobyt");
  await page.getByLabel(/^Místo/).fill("Velká Hradební 48, Ústí nad Labem");
  await page.getByLabel(/^Kapacita/).fill("5");
  await page.getByRole("checkbox", { name: /potvrzení odkazem z e-mailu/ }).check();
  await page.getByRole("button", { name: "Vytvořit akci" }).click();
  await page.getByRole("heading", { name: "Jak na trvalý pobyt" }).waitFor();
  const confirmEventUrl = page.url();
  const path = new URL(await page.getByRole("textbox", { name: "Veřejná stránka" }).inputValue()).pathname;

  const ctx = await browser.newContext({ ...PHONE, locale: "cs-CZ" });
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  await p.goto(server.base + path);
  await p.getByText(/Po odeslání vám přijde e-mail s odkazem/).waitFor();
  await p.getByLabel(/^Jméno a příjmení/).fill("Daria Bondarenko");
  await p.getByLabel(/^E-mail/).fill("daria@example.org");
  await p.getByRole("checkbox").check();
  await p.getByRole("button", { name: "Přihlásit se" }).click();
  await p.getByRole("status").getByText("Potvrďte registraci e-mailem").waitFor();
  await check(p, "47-public-event-check-email");

  // Staff see the registration waiting; it holds no place yet.
  await page.goto(confirmEventUrl);
  await page.getByTestId("registrations").getByText("čeká na potvrzení").waitFor();
  await page.getByText("Přišlo 0 z 0").waitFor();

  const link = new URL(await linkFromMail(server.dataDir, "events/[a-z0-9-]+/confirm", "daria@example.org"));
  await p.goto(server.base + link.pathname + link.hash);
  await p.getByRole("heading", { name: "Potvrzení registrace" }).waitFor();
  await noSidewaysScroll(p);
  await check(p, "48-public-event-confirm");
  await p.getByRole("button", { name: "Potvrdit registraci" }).click();
  await p.getByRole("status").getByText("Jste přihlášeni").waitFor();
  await ctx.close();

  await page.reload();
  await page.getByText("Přišlo 0 z 1").waitFor();
});
