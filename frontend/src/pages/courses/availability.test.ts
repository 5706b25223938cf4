import { describe, expect, it } from "vitest";
import { outsideAvailability } from "./availability";

const windows = [
  { weekday: 2, starts: "16:00", ends: "20:00" },
  { weekday: 4, starts: "09:00", ends: "12:00" },
];

describe("availability", () => {
  it("accepts a session inside a window of its weekday", () => {
    // 23 March 2027 is a Tuesday.
    expect(outsideAvailability(windows, "2027-03-23", "17:00", "18:30")).toBe(false);
    expect(outsideAvailability(windows, "2027-03-23", "16:00", "20:00")).toBe(false);
  });

  it("flags a session running past the window or on another weekday", () => {
    expect(outsideAvailability(windows, "2027-03-23", "19:00", "20:30")).toBe(true);
    expect(outsideAvailability(windows, "2027-03-24", "17:00", "18:30")).toBe(true);
    // Sunday 28 March 2027: weekday 7.
    expect(outsideAvailability([{ weekday: 7, starts: "10:00", ends: "12:00" }], "2027-03-28", "10:00", "11:00")).toBe(false);
  });

  it("sets no limit for a lecturer without windows", () => {
    expect(outsideAvailability([], "2027-03-24", "06:00", "23:00")).toBe(false);
  });
});
