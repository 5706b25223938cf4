// End-to-end: the staff app in headless Chromium against the real integra
// binary on SQLite. Each page is checked with axe-core and photographed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startIntegra } from "./server.mjs";
import { launch, axe, shot } from "./browser.mjs";

let server;
let browser;
let page;
const axeResults = [];

async function checkPage(name) {
  await page.waitForLoadState("networkidle");
  await shot(page, name);
  const violations = await axe(page);
  axeResults.push({ page: name, violations: violations.length });
  assert.deepEqual(violations, [], `axe violations on ${name}`);
}

before(async () => {
  server = await startIntegra();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "cs-CZ", timezoneId: "Europe/Prague" });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  console.log(`axe: ${axeResults.length} pages checked, ${axeResults.reduce((n, r) => n + r.violations, 0)} violations`);
  await browser?.close();
  await server?.stop();
});

const FAMILY = "Kovalenková";
const GIVEN = "Oleksandra";

test("sign-in refuses a wrong password and lets a counsellor in", async () => {
  await page.goto(server.base + "/");
  await page.getByRole("heading", { name: "Přihlášení" }).waitFor();
  await checkPage("01-sign-in");
  await page.getByLabel("E-mail").fill("counsellor.usti@example.org");
  await page.getByLabel(/^Heslo/).fill("wrong password");
  await page.getByRole("button", { name: "Přihlásit se" }).click();
  await page.getByRole("alert").getByText("E-mail nebo heslo nesouhlasí.").waitFor();
  await page.getByLabel(/^Heslo/).fill("integra-demo");
  await page.getByRole("button", { name: "Přihlásit se" }).click();
  await page.getByRole("heading", { name: /Dobrý den/ }).waitFor();
  await page.getByRole("heading", { name: "Moje úkoly" }).waitFor();
  await checkPage("02-home");
});

test("forgotten password answers the same for any address", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(server.base + "/forgot-password");
  await p.getByLabel("E-mail").fill("nobody@example.org");
  await p.getByRole("button", { name: "Poslat odkaz" }).click();
  await p.getByRole("status").getByText(/Pokud k této adrese patří účet/).waitFor();
  await shot(p, "03-forgot-password");
  assert.deepEqual(await axe(p), [], "axe violations on 03-forgot-password");
  axeResults.push({ page: "03-forgot-password", violations: 0 });
  await ctx.close();
});

async function fillClient() {
  await page.getByLabel(/^Jméno/).fill(GIVEN);
  await page.getByLabel(/^Příjmení/).fill(FAMILY);
  await page.getByLabel("Datum narození").fill("1985-03-14");
  await page.getByRole("combobox", { name: /^Pohlaví/ }).click();
  await page.getByRole("option", { name: "žena" }).click();
  await page.getByRole("combobox", { name: /^Státní občanství/ }).fill("Ukraj");
  await page.getByRole("option", { name: "Ukrajina" }).click();
}

test("registering a client, then the same person again, meets the duplicate warning", async () => {
  await page.getByRole("link", { name: "Nový klient" }).click();
  await page.getByRole("heading", { name: "Nový klient" }).waitFor();
  // Saving empty names the missing fields.
  await page.getByRole("button", { name: "Zaevidovat klienta" }).click();
  await page.getByText("Vyplňte prosím toto pole.").first().waitFor();
  await fillClient();
  await page.getByRole("combobox", { name: /^Pobytový status/ }).click();
  await page.getByRole("option", { name: "Dočasná ochrana" }).click();
  await page.getByLabel(/^Platný od/).fill("2022-03-20");
  await checkPage("04-register-client");
  await page.getByRole("button", { name: "Zaevidovat klienta" }).click();
  await page.getByRole("heading", { name: `${FAMILY} ${GIVEN}` }).waitFor();
  await page.getByText("Dočasná ochrana").first().waitFor();
  await checkPage("05-client-overview");

  await page.getByRole("link", { name: "Nový klient" }).click();
  await fillClient();
  await page.getByRole("button", { name: "Zaevidovat klienta" }).click();
  const warning = page.getByTestId("duplicate-warning");
  await warning.waitFor();
  await warning.getByText("stejné jméno, datum narození a občanství").waitFor();
  await checkPage("06-duplicate-warning");
  await warning.getByRole("link", { name: `${FAMILY} ${GIVEN}` }).click();
  await page.getByRole("heading", { name: `${FAMILY} ${GIVEN}` }).waitFor();
});

test("search finds the client however the name is typed", async () => {
  await page.getByRole("link", { name: "Klienti", exact: true }).click();
  const box = page.getByRole("searchbox", { name: "Hledat podle jména" });
  for (const typed of ["kovalenkova", "Коваленкова", "Kovalenkva oleksandra"]) {
    await box.fill(typed);
    await page.getByTestId("client-results").getByRole("link", { name: `${FAMILY} ${GIVEN}` }).waitFor();
  }
  await checkPage("07-client-search");
  await page.getByTestId("client-results").getByRole("link", { name: `${FAMILY} ${GIVEN}` }).click();
  await page.getByRole("heading", { name: `${FAMILY} ${GIVEN}` }).waitFor();
});

test("an intervention recorded from the client page shows on the timeline", async () => {
  await page.getByRole("link", { name: "Zapsat intervenci" }).last().click();
  await page.getByRole("heading", { name: "Zapsat intervenci" }).waitFor();
  // The client is preselected; today, me and the project in force are defaults.
  await page.getByText(`${FAMILY} ${GIVEN} (UA)`).first().waitFor();
  await page.getByLabel(/^Délka/).fill("45");
  await page.getByRole("combobox", { name: /^Témata/ }).click();
  await page.getByRole("option", { name: "Bydlení" }).click();
  await page.getByRole("option", { name: "Zaměstnání" }).click();
  await page.keyboard.press("Escape");
  await page.getByLabel("Výsledek").fill("Vysvětleny podmínky nájmu.");
  await checkPage("08-record-intervention");
  // Keyboard-first: Ctrl+Enter saves.
  await page.getByLabel("Výsledek").press("Control+Enter");
  await page.getByRole("status").getByText("Intervence uložena").waitFor();
  await page.getByRole("link", { name: "Otevřít klienta" }).click();
  await page.getByRole("tab", { name: "Časová osa" }).click();
  const timeline = page.getByTestId("timeline");
  await timeline.getByText("Sociální poradenství").waitFor();
  await timeline.getByText(/45 minut/).waitFor();
  await checkPage("09-client-timeline");
  await page.getByRole("tab", { name: "Případy a plán" }).click();
  await page.getByLabel(/^Název/).fill("Bydlení po příjezdu");
  await page.getByLabel("První cíl (nepovinné)").fill("Najít nájemní byt");
  await page.getByRole("button", { name: "Otevřít případ" }).click();
  await page.getByRole("heading", { name: "Bydlení po příjezdu" }).waitFor();
  await page.getByRole("combobox", { name: "Stav cíle Najít nájemní byt" }).click();
  await page.getByRole("option", { name: "plní se" }).click();
  await page.getByLabel("Plnění cíle Najít nájemní byt").fill("40");
  await page.getByLabel("Plnění cíle Najít nájemní byt").blur();
  await checkPage("10-client-cases");
  await page.reload();
  await page.getByRole("tab", { name: "Případy a plán" }).click();
  await page.getByLabel("Plnění cíle Najít nájemní byt").and(page.locator('[value="40 %"]')).waitFor();
  await page.getByRole("tab", { name: "Souhlasy" }).click();
  await page.getByRole("heading", { name: "Platné souhlasy" }).waitFor();
  await checkPage("12-client-consents");
});

test("the workload shows the intervention just recorded by kind, channel, worker, weekday and hour", async () => {
  await page.getByRole("link", { name: "Vytížení" }).click();
  await page.getByRole("heading", { name: "Vytížení", level: 1 }).waitFor();
  const kinds = page.getByTestId("workload-kind");
  await kinds.getByRole("rowheader", { name: "Sociální poradenství" }).waitFor();
  assert.match(await kinds.getByRole("row", { name: /Sociální poradenství/ }).innerText(), /0,8/, "45 minutes as 0.8 hours");
  await page.getByTestId("workload-by-channel").getByRole("rowheader", { name: /osobně/ }).waitFor();
  // A counsellor sees their own row only.
  assert.equal(await page.getByTestId("workload-by-worker").locator("tbody tr").count(), 1);
  await page.getByText("Vidíte svůj řádek").waitFor();
  // Recorded as it happened: counted at this hour in Prague.
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Prague", hour: "2-digit", hourCycle: "h23" }).format(new Date());
  await page.getByTestId("workload-by-hour").getByRole("rowheader", { name: new RegExp(`^${hour}:00`) }).waitFor();
  await checkPage("13-workload");
});

test("booking an appointment over another is refused with the clash listed", async () => {
  await page.getByRole("link", { name: "Schůzky" }).click();
  await page.getByRole("heading", { name: "Kalendář schůzek" }).waitFor();
  const form = page.locator("form", { has: page.getByRole("heading", { name: "Objednat klienta" }) });
  await form.getByRole("combobox", { name: "Klient" }).fill("kovalenkova");
  await page.getByRole("option", { name: new RegExp(`${FAMILY} ${GIVEN}`) }).click();
  await page.keyboard.press("Escape");
  // An emptied time is named beside the field; nothing is sent.
  await form.getByLabel("Od").fill("");
  await form.getByRole("button", { name: "Objednat" }).click();
  await form.getByText("Vyplňte prosím toto pole.").waitFor();
  await form.getByLabel("Od").fill("10:00");
  await form.getByLabel("Do").fill("11:00");
  await form.getByRole("button", { name: "Objednat" }).click();
  await page.getByTestId("week").getByText(/10:00.11:00/).waitFor();
  // The same worker half an hour later: refused, with the clash in words.
  await form.getByLabel("Od").fill("10:30");
  await form.getByLabel("Do").fill("11:30");
  await form.getByRole("button", { name: "Objednat" }).click();
  await page.getByTestId("clashes").getByText(/Petr Poradce má v té době schůzku/).waitFor();
  await checkPage("13-appointments-clash");
});

test("a spreadsheet import shows the dry run as a table, then imports the good rows", async () => {
  await page.getByRole("link", { name: "Import z tabulky" }).click();
  await page.getByRole("heading", { name: "Import klientů z tabulky" }).waitFor();
  const csv = "Jméno;Příjmení;Datum narození;Pohlaví;Občanství\nIvan;Petrenko;1990-01-02;M;UA\nOlga;;1991-05-06;Ž;UA\n";
  await page.locator('input[type="file"]').setInputFiles({ name: "klienti.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Zkontrolovat" }).click();
  await page.getByTestId("import-summary").getByText(/řádků: 2, v pořádku: 1, s problémem: 1/).waitFor();
  await page.getByTestId("import-problems").getByRole("cell", { name: "3", exact: true }).waitFor();
  await checkPage("14-import-dry-run");
  await page.getByRole("button", { name: /Importovat 1 bezchybného klienta/ }).click();
  await page.getByTestId("import-summary").getByText(/Importován 1 klient/).waitFor();
  await page.getByRole("link", { name: "Klienti", exact: true }).click();
  await page.getByRole("searchbox", { name: "Hledat podle jména" }).fill("petrenko");
  await page.getByTestId("client-results").getByRole("link", { name: "Petrenko Ivan" }).waitFor();
});

test("switching to English translates the app; signing out returns to sign-in", async () => {
  await page.getByRole("radiogroup", { name: "Jazyk" }).getByText("EN").click();
  await page.getByRole("link", { name: "Clients", exact: true }).click();
  await page.getByRole("searchbox", { name: "Search by name" }).fill("kovalenkova");
  await page.getByTestId("client-results").getByRole("link", { name: `${FAMILY} ${GIVEN}` }).click();
  await page.getByRole("tab", { name: "Timeline" }).click();
  await page.getByTestId("timeline").getByText("Social counselling").first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await checkPage("11-client-english");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  // The session is gone: the API no longer knows the user.
  const viewer = await page.evaluate(async () => {
    const r = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-integra-csrf": "1" },
      body: JSON.stringify({ query: "{ viewer { email } }" }),
    });
    return (await r.json()).data.viewer;
  });
  assert.equal(viewer, null);
});
