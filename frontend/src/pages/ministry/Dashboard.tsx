import { useMemo, useState } from "react";
import { Alert, Badge, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { useClient, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { Dimension, Indicator, Period, ReportFormat } from "../../gql/graphql";
import { fieldError, problemOf, type ApiProblem } from "../../api";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { formatNumber, todayInPrague } from "../../format";
import { base64Bytes, downloadFile } from "../../download";
import YearlyReport from "./YearlyReport";
import { Catalogue, DIMENSIONS, PERIODS, lastEndedPeriod, periodEnded } from "./periods";
import { RegionMap } from "./RegionMap";
import { TrendChart } from "./TrendChart";

const Centres = graphql(`
  query MinistryCentres {
    centres {
      id
      name
      region
      regionCode
      seat
    }
  }
`);

const CellsQuery = graphql(`
  query MinistryTable($year: Int!, $period: Period!, $level: GeoLevel!, $indicators: [Indicator!], $dimension: Dimension) {
    ministryIndicators(year: $year, period: $period, level: $level, indicators: $indicators, dimension: $dimension) {
      geo
      centreId
      regionCode
      indicator
      category
      value
      mark
      display
    }
  }
`);

const Projects = graphql(`
  query MinistryProjects {
    ministryProjects {
      centreId
      projectId
      registrationNumber
      name
      startsOn
      endsOn
      elapsed
      targets {
        indicator
        planned
        actual
        mark
        expected
        behind
      }
    }
  }
`);

const Report = graphql(`
  query MinistryReport($year: Int!, $period: Period!, $level: GeoLevel!, $dimension: Dimension, $format: ReportFormat!) {
    ministryReport(year: $year, period: $period, level: $level, dimension: $dimension, format: $format) {
      fileName
      mediaType
      base64
    }
  }
`);

/** The ministry's view of the network: a map of the regions coloured by an
 * indicator, every centre side by side, the trend through the year,
 * targets against actuals with the centres falling behind, breakdowns,
 * and the table as XLSX, CSV or PDF. Only counts: small ones as "<5",
 * never a link to a person. */
export default function MinistryDashboard() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = todayInPrague();
  const initial = lastEndedPeriod(today);
  const [year, setYear] = useState(initial.year);
  const [period, setPeriod] = useState(initial.period);
  const [indicator, setIndicator] = useState<Indicator>("UNIQUE_PERSONS");
  const [dimension, setDimension] = useState<Dimension>("SEX");
  const [breakdownOf, setBreakdownOf] = useState("network");
  const [exportProblem, setExportProblem] = useState<ApiProblem | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const client = useClient();
  const ended = periodEnded(year, period, today);
  const vars = { year, period };
  const [{ data: centres }] = useQuery({ query: Centres });
  const [{ data: catalogue }] = useQuery({ query: Catalogue });
  const main = useMemo(() => (catalogue?.indicatorCatalogue ?? []).filter((i) => i.main).map((i) => i.indicator), [catalogue]);
  const persons = useMemo(
    () => new Set((catalogue?.indicatorCatalogue ?? []).filter((i) => i.countsPersons).map((i) => i.indicator)),
    [catalogue],
  );
  const [{ data: table, error: tableError, fetching }] = useQuery({
    query: CellsQuery,
    variables: { ...vars, level: "CENTRE", indicators: main },
    pause: !ended || main.length === 0,
  });
  const [{ data: regions }] = useQuery({
    query: CellsQuery,
    variables: { ...vars, level: "REGION", indicators: [indicator] },
    pause: !ended,
  });
  const [{ data: network }] = useQuery({
    query: CellsQuery,
    variables: { ...vars, level: "NETWORK", indicators: main },
    pause: !ended || main.length === 0,
  });
  const [{ data: breakdown }] = useQuery({
    query: CellsQuery,
    variables: { ...vars, level: breakdownOf === "network" ? "NETWORK" : "CENTRE", dimension },
    pause: !ended,
  });
  const [{ data: projects }] = useQuery({ query: Projects });
  const problem = ended ? problemOf(tableError) : null;
  const centreName = useMemo(() => new Map((centres?.centres ?? []).map((c) => [c.id, c.name])), [centres]);

  const cell = (rows: { geo: string; indicator: Indicator; category: string; display: string }[] | undefined, geo: string, ind: Indicator, category = "") =>
    // A row the server left out of a person indicator is "<5"; of a count
    // of services, none.
    rows?.find((r) => r.geo === geo && r.indicator === ind && r.category === category)?.display ?? (persons.has(ind) ? "<5" : "0");

  async function exportAs(format: ReportFormat) {
    setExporting(format);
    const r = await client
      .query(Report, { ...vars, level: "CENTRE", dimension: "TOTAL", format }, { requestPolicy: "network-only" })
      .toPromise();
    setExporting(null);
    setExportProblem(problemOf(r.error));
    const f = r.data?.ministryReport;
    if (f) downloadFile(f.fileName, base64Bytes(f.base64), f.mediaType);
  }

  const years = Array.from({ length: 4 }, (_, i) => Number(today.slice(0, 4)) - i);
  const categories = [
    ...new Set((breakdown?.ministryIndicators ?? []).filter((c) => c.category !== "").map((c) => c.category)),
  ].sort();
  const breakdownGeo = breakdownOf === "network" ? "network" : `centre:${breakdownOf}`;
  const breakdownIndicators = [...new Set((breakdown?.ministryIndicators ?? []).map((c) => c.indicator))];
  const categoryLabel = (c: string) => {
    const key = {
      SEX: `sexCategory.${c}`,
      RESIDENCE_CATEGORY: `residence.${c.toUpperCase()}`,
      KIND: `interventionKind.${c.toUpperCase()}`,
      AUDIENCE: `audience.${c.toUpperCase()}`,
      NATIONALITY: c === "other" ? "ministry.otherCountries" : "",
    }[dimension as string];
    return key && i18n.exists(key) ? t(key) : c;
  };

  return (
    <Stack>
      <Title order={1}>{t("ministry.title")}</Title>
      <Group align="flex-end" justify="space-between">
        <Group align="flex-end">
          <Select
            label={t("ministry.year")}
            data={years.map((y) => ({ value: String(y), label: String(y) }))}
            value={String(year)}
            onChange={(v) => v && setYear(Number(v))}
            allowDeselect={false}
            w={110}
          />
          <Select
            label={t("ministry.period")}
            data={PERIODS.map((p) => ({ value: p, label: t(`period.${p}`), disabled: !periodEnded(year, p, today) }))}
            value={period}
            onChange={(v) => v && setPeriod(v as Period)}
            allowDeselect={false}
            w={180}
            error={!ended ? t("ministry.notEnded") : fieldError(problem, "period")}
          />
          <Select
            label={t("ministry.indicator")}
            data={main.map((i) => ({ value: i, label: t(`indicator.${i}`) }))}
            value={indicator}
            onChange={(v) => v && setIndicator(v as Indicator)}
            allowDeselect={false}
            w={300}
          />
        </Group>
        <Group gap="xs" role="group" aria-label={t("ministry.export")}>
          {(["XLSX", "CSV", "PDF"] as const).map((f) => (
            <Button key={f} variant="default" onClick={() => void exportAs(f)} loading={exporting === f}>
              {f}
            </Button>
          ))}
        </Group>
      </Group>
      <ProblemAlert problem={problem ?? exportProblem} withFields />
      <Text size="sm" c="dimmed">
        {t("ministry.suppression")}
      </Text>
      {fetching && !table ? <Loading /> : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            {t("ministry.map", { indicator: t(`indicator.${indicator}`) })}
          </Title>
          <RegionMap
            cells={(regions?.ministryIndicators ?? []).filter((c) => c.category === "")}
            centres={centres?.centres ?? []}
            lang={lang}
          />
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            {t("ministry.trend", { indicator: t(`indicator.${indicator}`), year })}
          </Title>
          <TrendChart year={year} indicator={indicator} today={today} lang={lang} />
        </Card>
      </SimpleGrid>
      <section aria-labelledby="centres-title">
        <Title order={2} size="h3" id="centres-title" mb="xs">
          {t("ministry.centres")}
        </Title>
        <Table.ScrollContainer minWidth={1300}>
          <Table striped withTableBorder data-testid="centre-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th miw={280}>{t("ministry.centre")}</Table.Th>
                {main.map((i) => (
                  <Table.Th key={i} ta="right">
                    {t(`indicator.${i}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(table ? (centres?.centres ?? []) : []).map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row" fw={400}>
                    {c.name}
                    <Text size="xs" c="dimmed">
                      {c.region}
                    </Text>
                  </Table.Th>
                  {main.map((i) => (
                    <Table.Td key={i} ta="right">
                      <Shown display={cell(table?.ministryIndicators, `centre:${c.id}`, i)} lang={lang} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
              <Table.Tr fw={700} hidden={!network}>
                <Table.Th scope="row">{t("ministry.network")}</Table.Th>
                {main.map((i) => (
                  <Table.Td key={i} ta="right">
                    <Shown display={cell(network?.ministryIndicators, "network", i)} lang={lang} />
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
      <section aria-labelledby="targets-title">
        <Title order={2} size="h3" id="targets-title" mb="xs">
          {t("ministry.targets")}
        </Title>
        <Text size="sm" mb="xs">
          {t("ministry.targetsHelp")}
        </Text>
        <Table striped withTableBorder data-testid="targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("ministry.centre")}</Table.Th>
              <Table.Th>{t("ministry.project")}</Table.Th>
              <Table.Th>{t("ministry.indicator")}</Table.Th>
              <Table.Th ta="right">{t("ministry.actual")}</Table.Th>
              <Table.Th ta="right">{t("ministry.planned")}</Table.Th>
              <Table.Th miw={240}>{t("ministry.progress")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(projects?.ministryProjects ?? []).flatMap((p) =>
              p.targets.map((g) => {
                const share = g.actual != null && g.planned > 0 ? Math.min(100, (g.actual / g.planned) * 100) : 0;
                return (
                  <Table.Tr key={`${p.projectId}-${g.indicator}`} bg={g.behind ? "red.0" : undefined}>
                    <Table.Td>{centreName.get(p.centreId)}</Table.Td>
                    <Table.Td>{p.registrationNumber}</Table.Td>
                    <Table.Td>{t(`indicator.${g.indicator}`)}</Table.Td>
                    <Table.Td ta="right">{g.mark === "SHOWN" && g.actual != null ? formatNumber(g.actual, lang) : "<5"}</Table.Td>
                    <Table.Td ta="right">{formatNumber(g.planned, lang)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Progress
                          value={share}
                          color={g.behind ? "red.8" : g.behind === false ? "green.8" : "gray.5"}
                          w={120}
                          aria-label={t("ministry.progressOf", { share: Math.round(share), expected: Math.round((g.expected / Math.max(1, g.planned)) * 100) })}
                        />
                        {g.behind && (
                          <Badge color="red" variant="light">
                            {t("ministry.behind")}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              }),
            )}
          </Table.Tbody>
        </Table>
        {projects && projects.ministryProjects.every((p) => p.targets.length === 0) && <Text c="dimmed">{t("ministry.noTargets")}</Text>}
      </section>
      <section aria-labelledby="breakdown-title">
        <Title order={2} size="h3" id="breakdown-title" mb="xs">
          {t("ministry.breakdowns")}
        </Title>
        <Group align="flex-end" mb="sm">
          <Select
            label={t("ministry.breakdown")}
            data={DIMENSIONS.map((d) => ({ value: d, label: t(`dimension.${d}`) }))}
            value={dimension}
            onChange={(v) => v && setDimension(v as Dimension)}
            allowDeselect={false}
            w={260}
          />
          <Select
            label={t("ministry.of")}
            data={[
              { value: "network", label: t("ministry.network") },
              ...(centres?.centres ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
            value={breakdownOf}
            onChange={(v) => v && setBreakdownOf(v)}
            allowDeselect={false}
            searchable
            w={420}
          />
        </Group>
        {categories.length === 0 ? (
          <Alert color="gray">{t("ministry.noBreakdown")}</Alert>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table striped withTableBorder data-testid="breakdown">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("ministry.category")}</Table.Th>
                  {breakdownIndicators.map((i) => (
                    <Table.Th key={i} ta="right">
                      {t(`indicator.${i}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {categories.map((c) => (
                  <Table.Tr key={c}>
                    <Table.Th scope="row" fw={400}>
                      {categoryLabel(c)}
                    </Table.Th>
                    {breakdownIndicators.map((i) => (
                      <Table.Td key={i} ta="right">
                        <Shown display={cell(breakdown?.ministryIndicators, breakdownGeo, i, c)} lang={lang} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      <YearlyReport years={years.filter((y) => y < Number(today.slice(0, 4)))} centres={centres?.centres ?? []} />
    </Stack>
  );
}

/** A printed cell: a number in the locale, or "<5" / "×" with what it means. */
export function Shown({ display, lang }: { display: string; lang: string }) {
  const { t } = useTranslation();
  if (display === "<5" || display === "×") {
    return (
      <Tooltip label={t(display === "<5" ? "ministry.small" : "ministry.secondary")}>
        <Text span c="dimmed" data-suppressed={display} tabIndex={0}>
          {display}
        </Text>
      </Tooltip>
    );
  }
  const n = Number(display);
  return <>{Number.isFinite(n) ? formatNumber(n, lang) : display}</>;
}
