/** Dates, times and numbers in the interface language, in Prague time. */

export const TIME_ZONE = "Europe/Prague";

function locale(lang: string): string {
  return lang === "en" ? "en-GB" : "cs-CZ";
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
