// Shared steps of the end-to-end tests.
import assert from "node:assert/strict";
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
