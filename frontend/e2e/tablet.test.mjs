// End-to-end: the staff app on a tablet (portrait 768×1024, touch): the
// navigation folds into a menu, no page scrolls sideways, axe passes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startIntegra } from "./server.mjs";
import { launch, axe, shot } from "./browser.mjs";

let server;
let browser;
let page;

before(async () => {
  server = await startIntegra();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fitsAndPasses(name) {
  await page.waitForLoadState("networkidle");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px`);
  await shot(page, name);
  assert.deepEqual(await axe(page), [], `axe violations on ${name}`);
}

test("a counsellor works on a tablet: menu, search, registration, intervention, calendar", async () => {
  await page.goto(server.base + "/");
  await page.getByLabel("E-mail").fill("counsellor.usti@example.org");
  await page.getByLabel(/^Heslo/).fill("integra-demo");
  await page.getByRole("button", { name: "Přihlásit se" }).tap();
  await page.getByRole("heading", { name: /Dobrý den/ }).waitFor();
  await fitsAndPasses("30-tablet-home");
  const pages = [
    ["Klienti", "Klienti", "31-tablet-clients"],
    ["Nový klient", "Nový klient", "32-tablet-register"],
    ["Zapsat intervenci", "Zapsat intervenci", "33-tablet-intervention"],
    ["Schůzky", "Kalendář schůzek", "34-tablet-appointments"],
  ];
  for (const [link, heading, name] of pages) {
    await page.getByRole("button", { name: "Nabídka" }).tap();
    await page.getByRole("navigation").getByRole("link", { name: link, exact: true }).tap();
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await fitsAndPasses(name);
  }
});
