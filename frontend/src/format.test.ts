import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatNumber, todayInPrague } from "./format";
import i18n from "./i18n";

describe("formatting in the locale and Prague time", () => {
  it("writes days as Czech and British readers expect", () => {
    expect(formatDate("1985-03-14", "cs")).toBe("14. 3. 1985");
    expect(formatDate("1985-03-14", "en")).toBe("14 Mar 1985");
    expect(formatDate(null, "cs")).toBe("");
  });

  it("shows instants in Prague time across daylight saving", () => {
    // 16:00 UTC is 17:00 in winter and 18:00 in summer in Prague.
    expect(formatDateTime("2026-01-15T16:00:00Z", "cs")).toContain("17:00");
    expect(formatDateTime("2026-07-15T16:00:00Z", "cs")).toContain("18:00");
  });

  it("knows the Prague day around midnight UTC", () => {
    expect(todayInPrague(new Date("2026-03-28T23:30:00Z"))).toBe("2026-03-29");
    expect(todayInPrague(new Date("2026-07-01T21:59:00Z"))).toBe("2026-07-01");
    expect(todayInPrague(new Date("2026-07-01T22:01:00Z"))).toBe("2026-07-02");
  });

  it("groups thousands", () => {
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(1234567, "cs").replace(/\s/g, " ")).toBe("1 234 567");
  });

  it("uses Czech plural rules", () => {
    const t = i18n.getFixedT("cs");
    expect(t("timeline.minutes", { count: 1 })).toBe("1 minuta");
    expect(t("timeline.minutes", { count: 3 })).toBe("3 minuty");
    expect(t("timeline.minutes", { count: 45 })).toBe("45 minut");
  });
});

import { addDays, mondayOf, pragueInstant, pragueParts } from "./format";

describe("Prague wall-clock times", () => {
  it("turns a local time into the right instant in winter and summer", () => {
    expect(pragueInstant("2026-01-15", "17:00")).toBe("2026-01-15T16:00:00.000Z");
    expect(pragueInstant("2026-07-15", "17:00")).toBe("2026-07-15T15:00:00.000Z");
  });

  it("is right on the days the clocks change", () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(pragueInstant("2026-03-29", "09:00")).toBe("2026-03-29T07:00:00.000Z");
    expect(pragueInstant("2026-03-29", "01:30")).toBe("2026-03-29T00:30:00.000Z");
    // 25 October 2026: 03:00 CEST becomes 02:00 CET.
    expect(pragueInstant("2026-10-25", "09:00")).toBe("2026-10-25T08:00:00.000Z");
  });

  it("reads an instant back as the Prague day and time", () => {
    expect(pragueParts("2026-03-28T23:30:00Z")).toEqual({ day: "2026-03-29", time: "00:30" });
    expect(pragueParts(pragueInstant("2026-07-01", "08:15"))).toEqual({ day: "2026-07-01", time: "08:15" });
  });

  it("finds the Monday of a week and adds days across months", () => {
    expect(mondayOf("2026-11-22")).toBe("2026-11-16");
    expect(mondayOf("2026-11-23")).toBe("2026-11-23");
    expect(addDays("2026-02-27", 3)).toBe("2026-03-02");
  });
});
