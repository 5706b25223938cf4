// End-to-end: the ministry's dashboard against the real integra binary:
// every centre side by side with small counts shown as "<5", the region
// map, the trend, targets, a breakdown, the table downloaded as CSV and
// the yearly report as a PDF; no link to a person anywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startIntegra } from "./server.mjs";
import { launch } from "./browser.mjs";
import { gql, pageChecker, signIn } from "./helpers.mjs";

let server;
let browser;
let page;
const axeResults = [];
const check = pageChecker(axeResults);

before(async () => {
  server = await startIntegra();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "cs-CZ", timezoneId: "Europe/Prague", acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});

after(async () => {
  console.log(`axe: ${axeResults.length} pages checked, ${axeResults.reduce((n, r) => n + r.violations, 0)} violations`);
  await browser?.close();
  await server?.stop();
});

test("the ministry sees every centre with small counts suppressed, and no person", async () => {
  // Ústí has entered its targets (centres do; the ministry reads them).
  await signIn(page, server.base, "admin.usti@example.org");
  const { fundingProjects } = await gql(page, "{ fundingProjects { id registrationNumber } }");
  await gql(page, "mutation($p: FundingProjectId!) { setProjectTargets(projectId: $p, targets: [{ indicator: UNIQUE_PERSONS, planned: 400 }, { indicator: INTERVENTIONS, planned: 1200 }]) }", {
    p: fundingProjects[0].id,
  });
  await page.getByRole("button", { name: "Odhlásit se" }).click();
  await page.getByRole("button", { name: "Přihlásit se" }).waitFor();
  const started = Date.now();
  await signIn(page, server.base, "ministry@example.org");
  await page.getByRole("link", { name: "Přehled sítě", exact: true }).click();
  await page.getByRole("heading", { name: "Přehled integračních center" }).waitFor();
  const table = page.getByTestId("centre-table");
  await table.getByText("Centrum na podporu integrace cizinců pro Ústecký kraj").waitFor();
  await page.waitForLoadState("networkidle");
  console.log(`dashboard loaded in ${Date.now() - started} ms (sign-in included)`);
  // 18 centres and the network row.
  assert.equal(await table.locator("tbody tr").count(), 19);
  assert.ok((await table.locator('[data-suppressed="<5"]').count()) >= 18, "persons under five are '<5'");
  assert.equal(await page.locator('a[href^="/clients"]').count(), 0, "no link to a person");
  assert.equal(await page.getByTestId("region-map").locator("[data-region]").count(), 14);
  await page.getByTestId("trend").waitFor();
  const targets = page.getByTestId("targets");
  await targets.getByText(fundingProjects[0].registrationNumber).first().waitFor();
  // Nothing reached yet: interventions (not persons) are shown and behind;
  // the persons target shows "<5" and no comparison, which would tell a 0
  // from 1–4.
  assert.equal(await targets.getByText("zaostává").count(), 1, "only the shown target is compared");
  await check(page, "50-ministry-dashboard");

  await page.getByRole("combobox", { name: "Členění podle" }).click();
  await page.getByRole("option", { name: "Pobytové oprávnění" }).click();
  await page.getByRole("combobox", { name: "Ukazatel" }).click();
  await page.getByRole("option", { name: "Noví klienti" }).click();
  await page.getByRole("heading", { name: "Kraje: Noví klienti" }).waitFor();
  await check(page, "51-ministry-breakdown");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "CSV" }).click()]);
  assert.match(download.suggestedFilename(), /^ukazatele-\d{4}-q\d-centra-total\.csv$/);
  const csv = readFileSync(await download.path(), "utf8");
  assert.match(csv.split("\r\n")[0], /Centrum;Kraj;Podpořené osoby/);
  assert.ok(csv.includes(";<5;"), "the file carries '<5' as the screen does");

  // The yearly statistical-analytical report of one centre, as a PDF.
  const yearly = page.getByRole("region", { name: "Statisticko-analytická zpráva" });
  await yearly.getByRole("combobox", { name: "Za" }).click();
  await page.getByRole("option", { name: "Centrum na podporu integrace cizinců pro Ústecký kraj" }).click();
  const [pdf] = await Promise.all([page.waitForEvent("download"), yearly.getByRole("button", { name: "Stáhnout zprávu (PDF)" }).click()]);
  assert.match(pdf.suggestedFilename(), /^zprava-\d{4}-centrum-[0-9a-f]{8}\.pdf$/);
  assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString(), "%PDF-");
  await check(page, "52-ministry-yearly-report");
});

test("centre staff have no way to the ministry's dashboard", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const p = await ctx.newPage();
  await signIn(p, server.base, "admin.usti@example.org");
  assert.equal(await p.getByRole("link", { name: /Přehled sítě/ }).count(), 0);
  // The centre's own yearly report is on its home page.
  const [pdf] = await Promise.all([p.waitForEvent("download"), p.getByRole("button", { name: "Stáhnout zprávu (PDF)" }).click()]);
  assert.match(pdf.suggestedFilename(), /^zprava-\d{4}\.pdf$/);
  await p.goto(server.base + "/ministry");
  await p.getByRole("heading", { name: "Stránka nenalezena" }).waitFor();
  assert.equal(await p.getByTestId("centre-table").count(), 0, "nothing shown");
  await ctx.close();
});
