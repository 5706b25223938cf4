// Measures, in headless Chromium, how long the ministry's dashboard takes
// to load: from navigating to /ministry (the app's code, then every query:
// centres, the centre table, regions, network, trend, targets, breakdown)
// until the table of all centres, the region map and the trend are on the
// page and the network is idle. Run against a server with data, e.g.
// scripts/bench-dashboard:
//   node e2e/measure-dashboard.mjs --url http://127.0.0.1:18482 \
//     --email ministry@example.org --password integra-demo [--rounds 20]
import { launch } from "./browser.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const url = args.url ?? "http://127.0.0.1:8080";
const rounds = Number(args.rounds ?? 20);

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
page.setDefaultTimeout(120_000);
await page.goto(url + "/");
await page.getByLabel("E-mail").fill(args.email ?? "ministry@example.org");
await page.getByLabel(/^Heslo/).fill(args.password ?? "integra-demo");
await page.getByRole("button", { name: "Přihlásit se" }).click();
await page.getByRole("link", { name: "Přehled sítě", exact: true }).waitFor();

const times = [];
for (let i = 0; i < rounds; i++) {
  const t0 = Date.now();
  // A full load each round: no answer from the app's cache.
  await page.goto(url + "/ministry");
  await page.getByTestId("centre-table").locator("tbody tr").nth(18).waitFor();
  await page.getByTestId("region-map").waitFor();
  await page.getByTestId("trend").locator("text").first().waitFor();
  await page.waitForLoadState("networkidle");
  times.push(Date.now() - t0);
}
await browser.close();
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
console.log(`ministry dashboard, full load to idle: rounds ${times.length}, p50 ${q(50)} ms, p95 ${q(95)} ms, max ${times[times.length - 1]} ms`);
