import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Root operations of the API that no page calls yet, each with why. Staff
 * reach features through pages: an operation leaves this list when a page
 * calls it (the test fails while it is listed and used), and a new operation
 * without a page fails the test until it is given one or listed here.
 */
const NO_PAGE_YET: Record<string, string> = {
  // Issue 35 ("everything in the app") gives each of these its page.
  clientStatistics: "issue 35: the centre's breakdowns on its home page",
  eventOrganisations: "issue 35: a regional platform's members on the event page",
  setEventOrganisations: "issue 35: a regional platform's members on the event page",
  linkRegistrationToClient: "issue 35: link a registrant to a client from the event's registrations",
  updateEvent: "issue 35: editing an event",
  verifyCertificate: "issue 35: the public certificate check page /certificates/check",
  setLecturerAvailability: "issue 35: lecturer availability on the timetable",
  addLecturerAbsence: "issue 35: lecturer absences on the timetable",
  revokeCalendarFeeds: "issue 35: revoking feeds on the room and staff pages",
  // Issue 33 ("onboarding without SQL") gives a centre admin its projects page.
  setProjectDetails: "issue 33: a centre's funding projects page",
  setProjectTargets: "issue 33: a centre's funding projects page",
  // For integrations: the admin page reads every branch at once (`branches`).
  branch: "one branch by id; pages list them all with branches",
  // Issue 34 ("corrections") adds a service's own page, with Edit and Void.
  intervention: "issue 34: a service's detail page",
  // Counselling notes and tasks outside a service: the client's page records
  // them with a service today; their own forms come with issue 35.
  clientNotes: "issue 35: a client's notes on the client page",
  addNote: "issue 35: a note without a service on the client page",
  createTask: "issue 35: a task without a service on the client page",
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "gql" || f === "test" ? [] : sources(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

/** The fields of a root type in the committed schema. */
function rootFields(sdl: string, type: string): string[] {
  const m = sdl.match(new RegExp(`type ${type} \\{([\\s\\S]*?)\\n\\}`));
  if (!m) throw new Error(`no type ${type}`);
  return [...m[1].replace(/"""[\s\S]*?"""/g, "").matchAll(/^\s+([a-zA-Z]\w*)\s*[(:]/gm)].map((x) => x[1]);
}

describe("operations", () => {
  it("every root operation has a page, or a reason on the list", () => {
    const sdl = readFileSync(join(__dirname, "../../graphql/schema.graphql"), "utf8");
    const ops = [...rootFields(sdl, "QueryRoot"), ...rootFields(sdl, "MutationRoot")];
    expect(ops.length).toBeGreaterThan(100);
    const code = sources(__dirname)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    // Called with arguments or a selection, or selected alone on its line
    // (a root field returning a list of enums or scalars).
    const called = (op: string) => new RegExp(`\\b${op}\\s*[({]|^\\s*${op}\\s*$`, "m").test(code);
    const withoutPage = ops.filter((op) => !called(op)).sort();
    expect(withoutPage).toEqual(Object.keys(NO_PAGE_YET).sort());
  });
});
