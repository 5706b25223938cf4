/** Dates, times and numbers in the interface language, in Prague time. */

export const TIME_ZONE = "Europe/Prague";

function locale(lang: string): string {
  return lang === "en" ? "en-GB" : lang === "uk" ? "uk-UA" : "cs-CZ";
}

/** A calendar day (`YYYY-MM-DD`) as the locale writes it: 3. 2. 2026 / 03/02/2026. */
export function formatDate(day: string | null | undefined, lang: string): string {
  if (!day) return "";
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  // Noon UTC keeps the same day in Prague whatever the offset.
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeZone: TIME_ZONE }).format(
    new Date(Date.UTC(y, m - 1, d, 12)),
  );
}

/** An instant as day and time in Prague. */
export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(lang), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

/** An instant's time of day in Prague (17:00). */
export function formatTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(locale(lang), { timeStyle: "short", timeZone: TIME_ZONE }).format(
    new Date(iso),
  );
}

/** A number with the locale's grouping (1 234 / 1,234). */
export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

/** Today's date in Prague as `YYYY-MM-DD`. */
export function todayInPrague(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
  return parts;
}

/** A country's name from its ISO code, in the interface language. */
export function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([locale(lang)], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A language's name from its ISO 639 code, in the interface language. */
export function languageName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([locale(lang)], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The Prague offset from UTC, in minutes, at an instant. */
function pragueOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: TIME_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"));
  return Math.round((asUtc - at.getTime()) / 60000);
}

/** A Prague wall-clock time (`YYYY-MM-DD`, `HH:MM`) as an ISO instant. */
export function pragueInstant(day: string, time: string): string {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Two rounds settle the offset even next to a daylight-saving change.
  let t = wall - pragueOffsetMinutes(new Date(wall)) * 60000;
  t = wall - pragueOffsetMinutes(new Date(t)) * 60000;
  return new Date(t).toISOString();
}

/** The Prague calendar day and wall-clock time of an instant. */
export function pragueParts(iso: string): { day: string; time: string } {
  const at = new Date(iso);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  return { day: todayInPrague(at), time };
}

/** Adds days to a `YYYY-MM-DD` day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week a day falls in. */
export function mondayOf(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}

/** A day with its weekday, e.g. "po 23. 11." / "Mon 23 Nov". */
export function formatWeekday(day: string, lang: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(lang), { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** The name of a weekday, 0 = Monday … 6 = Sunday ("úterý" / "Tuesday"). */
export function weekdayName(index: number, lang: string, width: "long" | "short" = "long"): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(locale(lang), { weekday: width, timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}

/** The month of a day, with its year ("listopad 2026" / "November 2026"). */
export function formatMonth(day: string, lang: string): string {
  const [y, m] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(lang), { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}
