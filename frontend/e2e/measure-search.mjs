// Measures, in headless Chromium, the time from the last keystroke of a
// name typed into the client search to the results for that name on the
// page (the app's debounce, the request, the server's search and the
// render). Run against a server with data, e.g. the national set of
// scripts/bench-clients (BROWSER=1):
//   node e2e/measure-search.mjs --url http://127.0.0.1:18482 \
//     --email bench.praha@example.org --password integra-bench [--rounds 40] [--verbose 1]
import { launch } from "./browser.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const url = args.url ?? "http://127.0.0.1:8080";
const rounds = Number(args.rounds ?? 40);
// Surnames of the synthetic population, some with two letters swapped,
// one in Cyrillic, one without diacritics.
const NAMES = ["Kovalenko", "Shevhcenko", "Bondarenok", "Ngyuen", "Tran thi", "Коваленко", "Ivaonv", "Smirnov", "Horvath", "Dvorak", "Petrneko", "Melnyk"];

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
page.setDefaultTimeout(30_000);
await page.goto(url + "/");
await page.getByLabel("E-mail").fill(args.email);
await page.getByLabel(/^Heslo/).fill(args.password);
await page.getByRole("button", { name: "Přihlásit se" }).click();
await page.getByRole("link", { name: "Klienti", exact: true }).click();
const box = page.getByRole("searchbox");
await box.waitFor();

const times = [];
for (let i = 0; i < rounds; i++) {
  const name = NAMES[i % NAMES.length];
  // A different text each round, so no answer comes from the cache.
  const text = i < NAMES.length ? name : `${name} ${String.fromCharCode(97 + (i % 26))}`;
  await box.fill("");
  // Timed inside the page: from the last input event to the moment the
  // results for the whole text are in the document.
  const shown = page.evaluate(
    (want) =>
      new Promise((resolve) => {
        let last = performance.now();
        document.querySelector('input[type="search"]').addEventListener("input", () => (last = performance.now()));
        const done = () => {
          if (document.querySelector(`[data-query="${CSS.escape(want)}"]`)) {
            obs.disconnect();
            resolve(performance.now() - last);
          }
        };
        const obs = new MutationObserver(done);
        obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-query"] });
      }),
    text,
  );
  await box.pressSequentially(text, { delay: 40 });
  const took = await shown;
  if (args.verbose) console.log(`${took.toFixed(0).padStart(6)} ms  ${text}`);
  times.push(took);
}
await browser.close();
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(0);
console.log(`search as you type, ${rounds} names, last keystroke to results shown: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${times[times.length - 1].toFixed(0)} ms (includes the app's debounce)`);
