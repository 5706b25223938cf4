import { graphql } from "../../gql";
import type { Dimension, Period } from "../../gql/graphql";

/** The indicator catalogue: which indicators count persons (a missing row
 * is "<5") and which are the main ones the dashboards show. */
export const Catalogue = graphql(`
  query IndicatorCatalogue {
    indicatorCatalogue {
      indicator
      countsPersons
      main
    }
  }
`);

/** Breakdowns offered besides the total. */
export const DIMENSIONS: Dimension[] = ["SEX", "AGE_GROUP", "NATIONALITY", "RESIDENCE_CATEGORY", "KIND", "AUDIENCE"];

/** Periods of a year (the schema's `Period`), in the order the picker shows them. */
export const PERIODS: Period[] = ["Y", "Q1", "Q2", "Q3", "Q4", "M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "M09", "M10", "M11", "M12"];

/** The last month of a period. */
function lastMonth(period: Period): number {
  if (period === "Y") return 12;
  if (period.startsWith("Q")) return Number(period.slice(1)) * 3;
  return Number(period.slice(1));
}

/** Whether a period has ended by `today` (`YYYY-MM-DD`): the ministry sees
 * only ended months, quarters and years. */
export function periodEnded(year: number, period: Period, today: string): boolean {
  const [y, m] = today.split("-").map(Number);
  return year < y || (year === y && lastMonth(period) < m);
}

/** The last quarter that has ended: what the dashboard opens on. */
export function lastEndedPeriod(today: string): { year: number; period: Period } {
  const [y, m] = today.split("-").map(Number);
  const q = Math.floor((m - 1) / 3);
  return q === 0 ? { year: y - 1, period: "Q4" } : { year: y, period: PERIODS[q] };
}
