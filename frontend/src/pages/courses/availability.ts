/** A weekly availability window: 1 = Monday … 7 = Sunday, `HH:MM` times. */
export interface AvailabilityWindow {
  weekday: number;
  starts: string;
  ends: string;
}

/** The ISO weekday (1 = Monday) of a `YYYY-MM-DD` day. */
function isoWeekday(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** Whether a session on `day` from `from` to `to` lies outside a lecturer's
 * weekly windows. A lecturer without any window set has no limits. */
export function outsideAvailability(windows: AvailabilityWindow[], day: string, from: string, to: string): boolean {
  if (windows.length === 0 || !day || !from || !to) return false;
  const wd = isoWeekday(day);
  return !windows.some((w) => w.weekday === wd && w.starts <= from && to <= w.ends);
}
