// End-to-end: a centre admin's pages, and an invitation from the email it
// sends (written as an .eml file: no SMTP in the embedded default) to the
// new colleague signed in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startIntegra } from "./server.mjs";
import { launch, axe, shot } from "./browser.mjs";
import { gql, linkFromMail as mailLink, signIn } from "./helpers.mjs";

let server;
let browser;
let page;

async function checkPage(name) {
  await page.waitForLoadState("networkidle");
  await shot(page, name);
  assert.deepEqual(await axe(page), [], `axe violations on ${name}`);
}

before(async () => {
  server = await startIntegra();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const linkFromMail = (path) => mailLink(server.dataDir, path);

test("the centre admin manages staff, branches and reads the audit log", async () => {
  await page.goto(server.base + "/");
  await page.getByLabel("E-mail").fill("admin.usti@example.org");
  await page.getByLabel(/^Heslo/).fill("integra-demo");
  await page.getByRole("button", { name: "Přihlásit se" }).click();
  await page.getByRole("link", { name: "Pracovníci" }).click();
  await page.getByRole("heading", { name: "Pracovníci a role" }).waitFor();
  await page.getByRole("cell", { name: "counsellor.usti@example.org" }).waitFor();
  await checkPage("20-admin-staff");

  const invite = page.locator("form", { has: page.getByRole("heading", { name: "Pozvat pracovníka" }) });
  await invite.getByLabel(/^Jméno/).fill("Jana Nováková");
  await invite.getByLabel(/^E-mail/).fill("jana.novakova@example.org");
  await invite.getByRole("combobox", { name: /^Role/ }).click();
  await page.getByRole("option", { name: "právní poradce" }).click();
  await page.keyboard.press("Escape");
  await invite.getByRole("button", { name: "Poslat pozvánku" }).click();
  await page.getByRole("status").getByText("Pozvánka odeslána.").waitFor();
  await page.getByRole("cell", { name: "jana.novakova@example.org" }).waitFor();

  await page.getByRole("link", { name: "Pracoviště" }).click();
  await page.getByRole("heading", { name: "Pracoviště", level: 1 }).waitFor();
  const form = page.locator("form", { has: page.getByRole("button", { name: "Přidat pracoviště" }) });
  await form.getByLabel(/^Název/).fill("Pobočka Děčín");
  await form.getByLabel(/^Obec/).fill("Děčín");
  await form.getByRole("button", { name: "Přidat pracoviště" }).click();
  await page.getByRole("cell", { name: "Pobočka Děčín", exact: true }).waitFor();
  await checkPage("21-admin-branches");

  await page.getByRole("link", { name: "Protokol přístupů" }).click();
  await page.getByRole("heading", { name: "Protokol přístupů ke klientům" }).waitFor();
  await checkPage("22-admin-audit-log");
  await page.getByRole("link", { name: "Nedoručené e-maily" }).click();
  await page.getByTestId("no-failed-emails").waitFor();
  await checkPage("24-admin-emails");

  await page.getByRole("link", { name: "Tlumočníci" }).click();
  await page.getByRole("heading", { name: "Tlumočníci", level: 1 }).waitFor();
  const add = page.locator("form", { has: page.getByRole("button", { name: "Přidat tlumočníka" }) });
  await add.getByLabel(/^Jméno/).fill("Olena Tlumočnice");
  await add.getByRole("combobox", { name: /^Jazyky/ }).fill("ukr");
  await page.getByRole("option", { name: "ukrajinština" }).click();
  await page.keyboard.press("Escape");
  await add.getByRole("button", { name: "Přidat tlumočníka" }).click();
  await page.getByRole("cell", { name: "Olena Tlumočnice" }).waitFor();
  await page.getByRole("cell", { name: "ukrajinština" }).waitFor();
  await checkPage("25-admin-interpreters");
  await page.getByRole("button", { name: "Odhlásit se" }).click();
  await page.getByRole("heading", { name: "Přihlášení" }).waitFor();
});

test("the invited colleague follows the emailed link, sets a password and is signed in", async () => {
  const link = await linkFromMail("invitation");
  const url = new URL(link);
  await page.goto(server.base + url.pathname + url.hash);
  await page.getByText(/vás zve do Integry jako jana.novakova@example.org/).waitFor();
  await checkPage("23-accept-invitation");
  await page.getByLabel(/^Nové heslo/).fill("a long enough passphrase 42");
  await page.getByRole("button", { name: "Přijmout a přihlásit se" }).click();
  await page.getByRole("heading", { name: "Dobrý den, Jana Nováková" }).waitFor();
  // A legal counsellor sees the client work, not the admin pages.
  await page.getByRole("link", { name: "Klienti", exact: true }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Pracovníci" }).count(), 0);
  // The session ends behind the app's back (as when it expires or is
  // ended elsewhere): the next request takes the app to the sign-in page.
  await page.evaluate(() =>
    fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-integra-csrf": "1" },
      body: JSON.stringify({ query: "mutation { signOut }" }),
    }),
  );
  await page.getByRole("link", { name: "Klienti", exact: true }).click();
  await page.getByRole("heading", { name: "Přihlášení" }).waitFor();
  // The link was single-use.
  await page.goto(server.base + url.pathname + url.hash);
  await page.getByText("Pozvánka je neplatná, byla už použita nebo vypršela.").waitFor();
});

test("an admin merges a duplicate record and anonymises a client", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "cs-CZ", timezoneId: "Europe/Prague" });
  page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, server.base, "admin.usti@example.org");
  const ids = [];
  for (const given of ["Hanna", "Hanna", "Petro"]) {
    const r = await gql(
      page,
      "mutation($input: ClientInput!) { registerClient(input: $input, confirmNotDuplicate: true) { client { id } } }",
      { input: { givenName: given, familyName: given === "Petro" ? "Sydorenko" : "Tkachenko", sex: "FEMALE", nationality: "UA", birthDate: "1988-05-05" } },
    );
    ids.push(r.registerClient.client.id);
  }
  page.on("dialog", (d) => void d.accept());
  await page.goto(`${server.base}/clients/${ids[0]}`);
  await page.getByRole("tab", { name: "Práva subjektu údajů" }).click();
  await page.getByRole("combobox", { name: /^Duplicitní záznam/ }).fill("Tkachenko");
  // The record itself is not offered as its own duplicate.
  const other = page.getByRole("option", { name: /Tkachenko/ });
  await other.first().waitFor();
  assert.equal(await other.count(), 1);
  await other.click();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Sloučit do tohoto záznamu" }).click();
  await page.getByRole("status").getByText(/je sloučen do tohoto/).waitFor();
  await checkPage("26-client-merge-anonymise");
  const search = await gql(page, '{ searchClients(text: "Tkachenko") { edges { node { id } } } }');
  assert.deepEqual(
    search.searchClients.edges.map((e) => e.node.id),
    [ids[0]],
    "one record left",
  );

  await page.goto(`${server.base}/clients/${ids[2]}`);
  await page.getByRole("tab", { name: "Práva subjektu údajů" }).click();
  await page.getByRole("button", { name: "Anonymizovat klienta" }).click();
  await page.waitForURL(/\/clients$/);
  const gone = await gql(page, '{ searchClients(text: "Sydorenko") { edges { node { id } } } }');
  assert.equal(gone.searchClients.edges.length, 0, "the name is erased");
});

test("an admin sets up a field-work slot and a contact is recorded from it", async () => {
  await page.goto(server.base + "/outreach");
  await page.getByRole("heading", { name: "Výjezdy a terénní práce" }).waitFor();
  await page.getByLabel(/^Název \(např/).fill("Přepážka OAMP Ústí");
  await page.getByLabel(/^Místo/).fill("OAMP, Velká Hradební");
  // Every day of the week, so that today has a session.
  for (const day of ["úterý", "středa", "čtvrtek", "pátek", "sobota", "neděle"]) await page.getByText(day, { exact: true }).click();
  await page.getByRole("button", { name: "Přidat výjezd" }).click();
  const schedule = page.getByTestId("outreach-schedule");
  await schedule.getByText("Přepážka OAMP Ústí").first().waitFor();
  await checkPage("27-outreach");
  await schedule.getByRole("link", { name: "Zapsat kontakt" }).first().click();
  await page.getByLabel(/^Další neznámí účastníci/).fill("3");
  await page.getByRole("combobox", { name: /^Témata/ }).click();
  await page.getByRole("option", { name: "Pobyt" }).click();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Uložit intervenci" }).click();
  await page.getByRole("status").getByText(/Intervence uložena/).waitFor();
  await page.goto(server.base + "/outreach");
  await schedule.getByRole("cell", { name: "1", exact: true }).first().waitFor();
});

test("an anonymous inquiry is recorded, and the person later registered from it", async () => {
  await page.getByRole("link", { name: "Dotazy" }).click();
  await page.getByRole("heading", { name: "Dotazy bez evidence" }).waitFor();
  await page.getByRole("combobox", { name: /^Státní příslušnost/ }).fill("Ukraj");
  await page.getByRole("option", { name: "Ukrajina" }).click();
  await page.getByRole("combobox", { name: /^Témata/ }).click();
  await page.getByRole("option", { name: "Bydlení" }).click();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Zapsat dotaz" }).click();
  await page.getByRole("status").getByText("Dotaz zapsán.").waitFor();
  const rows = page.getByTestId("inquiries");
  await rows.getByText("Bydlení").waitFor();
  await checkPage("28-inquiries");
  await rows.getByRole("link", { name: "Zaevidovat jako klienta" }).click();
  await page.getByText(/anonymního dotazu/).waitFor();
  // What the inquiry knew is filled in.
  assert.equal(await page.getByRole("combobox", { name: /^Státní občanství/ }).inputValue(), "Ukrajina");
  await page.getByLabel(/^Jméno/).fill("Iryna");
  await page.getByLabel(/^Příjmení/).fill("Bondar");
  await page.getByLabel("Datum narození").fill("1979-02-02");
  await page.getByRole("combobox", { name: /^Pohlaví/ }).click();
  await page.getByRole("option", { name: "žena" }).click();
  await page.getByRole("button", { name: "Zaevidovat klienta" }).click();
  await page.getByRole("heading", { name: "Bondar Iryna" }).waitFor();
  await page.getByRole("link", { name: "Dotazy" }).click();
  await page.getByTestId("inquiries").getByRole("link", { name: "Otevřít klienta" }).waitFor();
});
