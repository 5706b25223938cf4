import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import cs from "./locales/cs.json";
import en from "./locales/en.json";
import uk from "./locales/uk.json";

type Tree = { [k: string]: string | Tree };

function flatten(t: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "gql" ? [] : sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith(".test.ts") ? [p] : [];
  });
}

/** Values of a GraphQL enum in the committed schema. */
function enumValues(name: string): string[] {
  const sdl = readFileSync(join(__dirname, "../../graphql/schema.graphql"), "utf8");
  const m = sdl.match(new RegExp(`enum ${name} \\{([\\s\\S]*?)\\n\\}`));
  if (!m) throw new Error(`no enum ${name}`);
  return m[1]
    .replace(/"""[\s\S]*?"""/g, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[A-Z_0-9]+$/.test(l));
}

const csKeys = flatten(cs as Tree);
const enKeys = flatten(en as Tree);
const has = (keys: Map<string, string>, k: string) => keys.has(k) || keys.has(`${k}_other`);

describe("translations", () => {
  it("has every key the code uses, in Czech and English", () => {
    const used = new Set<string>();
    for (const file of sources(join(__dirname))) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !has(csKeys, k) || !has(enKeys, k));
    expect(missing).toEqual([]);
  });

  it("names every value of the enums the app shows", () => {
    const prefixes: Record<string, string> = {
      ResidenceStatus: "residence",
      Sex: "sex",
      InterventionKind: "interventionKind",
      ServiceForm: "serviceForm",
      Topic: "topic",
      TargetOffice: "targetOffice",
      ConsentPurpose: "consent",
      HouseholdRelation: "household",
      AuditActionKind: "audit",
      AppointmentStatus: "appointmentStatus",
      RegistrationStatus: "registrationStatus",
      NoteKind: "noteKind",
      CaseKind: "caseKind",
      CaseStatus: "caseStatus",
      GoalStatus: "goalStatus",
      InvitationStatus: "invitationStatus",
      ImportField: "importField",
      EmailStatus: "emailStatus",
      CourseKind: "courseKind",
      CourseStatus: "courseStatus",
      EnrolmentStatus: "enrolmentStatus",
      Mark: "mark",
      EventKind: "eventKind",
      Audience: "audience",
      InquiryChannel: "inquiryChannel",
      InquiryOutcome: "inquiryOutcome",
      Role: "role",
    };
    const missing: string[] = [];
    for (const [e, prefix] of Object.entries(prefixes)) {
      for (const v of enumValues(e)) {
        for (const [lang, keys] of [["cs", csKeys], ["en", enKeys]] as const) {
          if (!keys.has(`${prefix}.${v}`)) missing.push(`${lang}: ${prefix}.${v}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("has Czech plural forms wherever English has plurals", () => {
    for (const k of enKeys.keys()) {
      if (!k.endsWith("_other")) continue;
      const base = k.slice(0, -"_other".length);
      for (const form of ["one", "few", "many", "other"]) expect(csKeys.has(`${base}_${form}`), `${base}_${form}`).toBe(true);
    }
  });

  it("has no English key that Czech lacks, or the reverse", () => {
    const plain = (keys: Map<string, string>) => new Set([...keys.keys()].map((k) => k.replace(/_(one|few|many|other)$/, "")));
    expect([...plain(enKeys)].filter((k) => !plain(csKeys).has(k))).toEqual([]);
    expect([...plain(csKeys)].filter((k) => !plain(enKeys).has(k))).toEqual([]);
  });

  it("has Ukrainian for every text of the public pages, and nothing else", () => {
    const ukKeys = flatten(uk as Tree);
    const publicFile = ["pages/events/PublicEvent.tsx", "pages/PublicFeedback.tsx"].map((f) => readFileSync(join(__dirname, f), "utf8")).join("\n");
    const used = [...publicFile.matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)].map((m) => m[1]);
    const dynamic = [...enKeys.keys()].filter((k) => k.startsWith("public."));
    expect([...used, ...dynamic].filter((k) => !has(ukKeys, k))).toEqual([]);
    expect([...ukKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
  });
});
