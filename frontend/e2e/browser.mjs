// Headless Chromium (Debian's package) driven by playwright-core, and the
// axe-core accessibility check every page must pass.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { frontendDir } from "./server.mjs";

export const shotsDir = join(frontendDir, "e2e-results");

export function chromiumPath() {
  const p = process.env.CHROMIUM_BIN ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((x) => existsSync(x));
  if (!p) throw new Error("Chromium not found: install Debian's chromium package (scripts/test does)");
  return p;
}

export async function launch() {
  mkdirSync(shotsDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Every axe rule of WCAG 2.0/2.1 levels A and AA; returns the violations
 * as readable lines (empty when the page passes). */
export async function axe(page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`)
        .join(" | ")}`,
  );
}

/** A full-page screenshot under e2e-results/. */
export async function shot(page, name) {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}
