import { Table, Text, VisuallyHidden } from "@mantine/core";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { Indicator, MinistryTrendQueryVariables, Period } from "../../gql/graphql";
import { problemOf } from "../../api";
import { ProblemAlert } from "../../components/Feedback";
import { formatNumber } from "../../format";
import { periodEnded } from "./periods";

const Trend = graphql(`
  query MinistryTrend($year: Int!, $indicators: [Indicator!], $m01: Boolean!, $m02: Boolean!, $m03: Boolean!, $m04: Boolean!, $m05: Boolean!, $m06: Boolean!, $m07: Boolean!, $m08: Boolean!, $m09: Boolean!, $m10: Boolean!, $m11: Boolean!, $m12: Boolean!) {
    m01: ministryIndicators(year: $year, period: M01, level: NETWORK, indicators: $indicators) @include(if: $m01) {
      value
      display
      category
    }
    m02: ministryIndicators(year: $year, period: M02, level: NETWORK, indicators: $indicators) @include(if: $m02) {
      value
      display
      category
    }
    m03: ministryIndicators(year: $year, period: M03, level: NETWORK, indicators: $indicators) @include(if: $m03) {
      value
      display
      category
    }
    m04: ministryIndicators(year: $year, period: M04, level: NETWORK, indicators: $indicators) @include(if: $m04) {
      value
      display
      category
    }
    m05: ministryIndicators(year: $year, period: M05, level: NETWORK, indicators: $indicators) @include(if: $m05) {
      value
      display
      category
    }
    m06: ministryIndicators(year: $year, period: M06, level: NETWORK, indicators: $indicators) @include(if: $m06) {
      value
      display
      category
    }
    m07: ministryIndicators(year: $year, period: M07, level: NETWORK, indicators: $indicators) @include(if: $m07) {
      value
      display
      category
    }
    m08: ministryIndicators(year: $year, period: M08, level: NETWORK, indicators: $indicators) @include(if: $m08) {
      value
      display
      category
    }
    m09: ministryIndicators(year: $year, period: M09, level: NETWORK, indicators: $indicators) @include(if: $m09) {
      value
      display
      category
    }
    m10: ministryIndicators(year: $year, period: M10, level: NETWORK, indicators: $indicators) @include(if: $m10) {
      value
      display
      category
    }
    m11: ministryIndicators(year: $year, period: M11, level: NETWORK, indicators: $indicators) @include(if: $m11) {
      value
      display
      category
    }
    m12: ministryIndicators(year: $year, period: M12, level: NETWORK, indicators: $indicators) @include(if: $m12) {
      value
      display
      category
    }
  }
`);

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

/** The network's monthly values of one indicator through a year, as bars
 * (the ended months only), with the same figures as a table for screen
 * readers. */
export function TrendChart({ year, indicator, today, lang }: { year: number; indicator: Indicator; today: string; lang: string }) {
  const { t } = useTranslation();
  const include = Object.fromEntries(MONTHS.map((m) => [`m${m}`, periodEnded(year, `M${m}` as Period, today)]));
  const [{ data, error }] = useQuery({ query: Trend, variables: { year, indicators: [indicator], ...include } as MinistryTrendQueryVariables });
  const rows = data as Record<string, { value?: number | null; display: string; category: string }[] | undefined> | undefined;
  const points = MONTHS.map((m) => {
    const total = rows?.[`m${m}`]?.find((c) => c.category === "");
    return { month: m, ended: include[`m${m}`], value: total?.value ?? null, display: total?.display ?? (include[`m${m}`] ? "<5" : "") };
  });
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const W = 560;
  const H = 180;
  const bar = W / 12;
  return (
    <div>
      <ProblemAlert problem={problemOf(error)} withFields />
      <svg viewBox={`0 0 ${W} ${H + 24}`} width="100%" role="img" aria-label={t("ministry.trendLabel", { year })} data-testid="trend">
        {points.map((p, i) => {
          const h = p.value != null ? Math.max(2, (p.value / max) * (H - 16)) : p.ended ? 6 : 0;
          return (
            <g key={p.month}>
              <rect
                x={i * bar + 4}
                y={H - h}
                width={bar - 8}
                height={h}
                fill={p.value != null ? "var(--mantine-color-blue-8)" : "var(--mantine-color-gray-4)"}
                rx={2}
              />
              {p.ended && (
                <text x={i * bar + bar / 2} y={H - h - 4} fontSize="11" textAnchor="middle" fill="currentColor">
                  {p.value != null ? formatNumber(p.value, lang) : p.display}
                </text>
              )}
              <text x={i * bar + bar / 2} y={H + 16} fontSize="11" textAnchor="middle" fill="currentColor">
                {t(`period.M${p.month}`).slice(0, 3)}
              </text>
            </g>
          );
        })}
      </svg>
      <VisuallyHidden>
        <Table>
          <caption>{t("ministry.trendLabel", { year })}</caption>
          <tbody>
            {points
              .filter((p) => p.ended)
              .map((p) => (
                <tr key={p.month}>
                  <th scope="row">{t(`period.M${p.month}`)}</th>
                  <td>{p.value != null ? formatNumber(p.value, lang) : p.display}</td>
                </tr>
              ))}
          </tbody>
        </Table>
      </VisuallyHidden>
      {points.every((p) => !p.ended) && <Text c="dimmed">{t("ministry.noMonthEnded")}</Text>}
    </div>
  );
}
