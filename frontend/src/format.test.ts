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
