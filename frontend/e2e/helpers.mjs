// Shared steps of the end-to-end tests.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { axe, shot } from "./browser.mjs";

/** Signs in through the sign-in page (Czech labels) and waits for home. */
export async function signIn(page, base, email) {
  await page.goto(base + "/");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel(/^Heslo/).fill("integra-demo");
  await page.getByRole("button", { name: "Přihlásit se" }).click();
  await page.getByRole("heading", { name: /Dobrý den/ }).waitFor();
}

/** A GraphQL call with the page's session (for arranging data the test is
 * not about); throws on errors. */
export async function gql(page, query, variables = {}) {
  const body = await page.evaluate(
    async ([q, v]) => {
      const r = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", "x-integra-csrf": "1" },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return r.json();
    },
    [query, variables],
  );
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A page checker: waits, photographs, runs axe and asserts no violation;
 * `results` collects the counts for the summary line. */
export function pageChecker(results) {
  return async (page, name) => {
    await page.waitForLoadState("networkidle");
    await shot(page, name);
    const violations = await axe(page);
    results.push({ page: name, violations: violations.length });
    assert.deepEqual(violations, [], `axe violations on ${name}`);
  };
}

/** The newest link to `path` (e.g. `invitation`, `events/x/cancel`) in the
 * emails written so far under the data folder, optionally only in mail to
 * `to`; waits up to 20 s for the outbox worker. */
export async function linkFromMail(dataDir, path, to = null) {
  const dir = join(dataDir, "mail");
  for (let i = 0; i < 100; i++) {
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((f) => f.endsWith(".eml"))) {
        // Undo quoted-printable soft breaks and escapes.
        const text = readFileSync(join(dir, f), "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
        if (to && !new RegExp(`^To:.*${to.replace(/[.+]/g, "\\$&")}`, "mi").test(text)) continue;
        const m = text.match(new RegExp(`https?://[^\\s"<>]+/${path}#[A-Za-z0-9_-]+`));
        if (m) return m[0];
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email with a /${path} link in ${dir}`);
}
