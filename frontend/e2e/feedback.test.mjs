// End-to-end: "did it help you?" after a course that has ended. The
// coordinator asks from the course's results (the participant has no
// e-mail, so the link is shown to hand over); the participant answers on
// the public page on a phone in Ukrainian; the centre's home page shows
// the answer and the comment.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
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

test("a participant who completed a course answers that it helped", async () => {
  // A conversation course of two sessions last month, attended in full.
  const { registerClient } = await gql(
    page,
    "mutation($input: ClientInput!) { registerClient(input: $input, confirmNotDuplicate: true) { client { id } } }",
    { input: { givenName: "Oksana", familyName: "Tkachenko", sex: "FEMALE", nationality: "UA", birthDate: "1991-04-04" } },
  );
  const client = registerClient.client.id;
  const { colleagues } = await gql(page, "{ colleagues { userId displayName } }");
  const lecturer = colleagues.find((c) => c.displayName.startsWith("Lenka")) ?? colleagues[0];
  const first = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
  const { createCourse } = await gql(
    page,
    "mutation($i: CourseInput!, $s: ScheduleInput) { createCourse(input: $i, schedule: $s, overrideReason: \"e2e\") { course { id } sessions { id } } }",
    {
      i: { kind: "CONVERSATION", title: "Konverzace na jaře", capacity: 8, lecturerIds: [lecturer.userId] },
      s: { rule: "FREQ=WEEKLY;COUNT=2", firstDay: first, startTime: "17:00", endTime: "18:30" },
    },
  );
  const course = createCourse.course.id;
  const { enrol } = await gql(page, "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id } }", { c: course, k: client });
  for (const s of createCourse.sessions) {
    await gql(page, "mutation($s: SessionId!, $m: [MarkInput!]!) { recordAttendance(sessionId: $s, marks: $m) }", {
      s: s.id,
      m: [{ enrolmentId: enrol.id, mark: "PRESENT" }],
    });
  }

  await page.goto(`${server.base}/courses/${course}`);
  await page.getByRole("tab", { name: "Výsledky" }).click();
  await page.getByRole("button", { name: "Zeptat se, zda kurz pomohl" }).click();
  const status = page.getByRole("status").filter({ hasText: "Dotázán 1 člověk." });
  await status.waitFor();
  const link = await status.locator("code").innerText();
  assert.match(link, /\/feedback#[0-9a-f]{32}\./);
  await check(page, "80-course-feedback-asked");

  // The participant, on a phone, in Ukrainian.
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: "uk-UA" });
  const p = await phone.newPage();
  await p.goto(link.replace(/^https?:\/\/[^/]+/, server.base));
  await p.getByRole("heading", { name: "Чи це вам допомогло?" }).waitFor();
  await p.getByText("Курс Konverzace na jaře").waitFor();
  await check(p, "81-public-feedback-uk");
  await p.getByRole("radio", { name: "Так, допомогло" }).check();
  await p.getByLabel(/Бажаєте щось додати/).fill("Дякую, тепер говорю впевненіше.");
  await p.getByRole("button", { name: "Надіслати" }).click();
  await p.getByText("Дякуємо за відповідь!").waitFor();
  await p.reload();
  await p.getByText("На це питання вже відповіли. Дякуємо!").waitFor();
  await phone.close();

  // The centre sees the answer on its home page.
  await page.goto(server.base + "/");
  const summary = page.getByTestId("feedback-summary");
  const row = summary.getByRole("row", { name: /Konverzace na jaře/ });
  await row.waitFor();
  assert.match(await row.innerText(), /Konverzace na jaře[\s\S]*Дякую, тепер говорю впевненіше[\s\S]*1\s+1\s+0\s+0/);
  await check(page, "82-feedback-summary");
});
