import { useState } from "react";
import { Button, Card, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import { fieldError, problemOf } from "../../api";
import { Loading, ProblemAlert } from "../../components/Feedback";
import { useSession } from "../../auth";
import { formatNumber, todayInPrague, weekdayName } from "../../format";

const WorkloadQuery = graphql(`
  query Workload($from: Date!, $to: Date!) {
    workload(from: $from, to: $to) {
      anonymousContacts
      interventions {
        kind
        count
        minutes
        namedParticipants
      }
      byChannel {
        ...Slice
      }
      byWorker {
        ...Slice
      }
      byWeekday {
        ...Slice
      }
      byHour {
        ...Slice
      }
    }
  }
  fragment Slice on WorkloadSlice {
    key
    label
    interventions
    interventionMinutes
    inquiries
    inquiryMinutes
  }
`);

type Slice = { key: string; label?: string | null; interventions: number; interventionMinutes: number; inquiries: number; inquiryMinutes: number };

/** The first and last day of the month `months` before today's. */
function monthRange(today: string, months: number): [string, string] {
  const [y, m] = today.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(y, m - months, 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

/** The centre's workload: interventions and anonymous inquiries of a
 * period as records and hours, by kind, channel, worker, weekday and hour
 * (never persons). Counsellors see their own row of the workers; those
 * who read reports see everyone's. */
export default function WorkloadPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const today = todayInPrague();
  const [range, setRange] = useState<[string, string]>(monthRange(today, 0));
  const [from, to] = range;
  const [{ data, error, fetching }] = useQuery({ query: WorkloadQuery, variables: { from, to }, pause: !from || !to });
  const problem = problemOf(error);
  const w = data?.workload;
  const hours = (minutes: number) => formatNumber(Math.round(minutes / 6) / 10, lang);

  return (
    <Stack>
      <Title order={1}>{t("workload.title")}</Title>
      <Text>{t("workload.intro")}</Text>
      <Group align="flex-end">
        <TextInput label={t("workload.from")} type="date" value={from} onChange={(e) => setRange([e.currentTarget.value, to])} error={fieldError(problem, "from")} />
        <TextInput label={t("workload.to")} type="date" value={to} onChange={(e) => setRange([from, e.currentTarget.value])} error={fieldError(problem, "to")} />
        <Button variant="default" onClick={() => setRange(monthRange(today, 0))}>
          {t("workload.thisMonth")}
        </Button>
        <Button variant="default" onClick={() => setRange(monthRange(today, 1))}>
          {t("workload.lastMonth")}
        </Button>
        <Button variant="default" onClick={() => setRange([`${today.slice(0, 4)}-01-01`, today])}>
          {t("workload.thisYear")}
        </Button>
      </Group>
      <ProblemAlert problem={problem} />
      {fetching && !w ? <Loading /> : null}
      {w && (
        <>
          <Card withBorder component="section" aria-labelledby="by-kind">
            <Title order={2} size="h3" id="by-kind" mb="xs">
              {t("workload.byKind")}
            </Title>
            {w.interventions.length === 0 ? (
              <Text>{t("workload.empty")}</Text>
            ) : (
              <Table striped data-testid="workload-kind">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("workload.kind")}</Table.Th>
                    <Table.Th ta="right">{t("workload.records")}</Table.Th>
                    <Table.Th ta="right">{t("workload.hours")}</Table.Th>
                    <Table.Th ta="right">{t("workload.named")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {w.interventions.map((k) => (
                    <Table.Tr key={k.kind}>
                      <Table.Th scope="row" fw={400}>
                        {t(`interventionKind.${k.kind}`)}
                      </Table.Th>
                      <Table.Td ta="right">{formatNumber(k.count, lang)}</Table.Td>
                      <Table.Td ta="right">{hours(k.minutes)}</Table.Td>
                      <Table.Td ta="right">{formatNumber(k.namedParticipants, lang)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Text size="sm" mt="xs">
              {t("workload.anonymous", { count: w.anonymousContacts })}
            </Text>
          </Card>
          <SlicesTable id="by-channel" title={t("workload.byChannel")} first={t("workload.channelHeading")} slices={w.byChannel} name={(s) => t(`workload.channel.${s.key}`)} hours={hours} lang={lang} />
          <SlicesTable
            id="by-worker"
            title={t("workload.byWorker")}
            first={t("workload.worker")}
            slices={[...w.byWorker].sort((a, b) => (a.label ?? "").localeCompare(b.label ?? "", lang))}
            name={(s) => s.label ?? t("workload.unknownWorker")}
            hours={hours}
            lang={lang}
            note={can("READ_REPORTS") ? undefined : t("workload.ownOnly")}
          />
          <SlicesTable id="by-weekday" title={t("workload.byWeekday")} first={t("workload.day")} slices={w.byWeekday} name={(s) => weekdayName(Number(s.key) - 1, lang)} hours={hours} lang={lang} bars />
            <SlicesTable
              id="by-hour"
              title={t("workload.byHour")}
              first={t("workload.hour")}
              slices={w.byHour}
              name={(s) => (s.key === "unknown" ? t("workload.unknownHour") : `${s.key}:00–${s.key}:59`)}
              hours={hours}
              lang={lang}
              note={t("workload.hourNote")}
              bars
            />
        </>
      )}
    </Stack>
  );
}

/** One slicing of the workload as a table; with `bars`, each row's share
 * of all records drawn as a bar (its figure is in the row for screen
 * readers). */
function SlicesTable(props: {
  id: string;
  title: string;
  first: string;
  slices: Slice[];
  name: (s: Slice) => string;
  hours: (minutes: number) => string;
  lang: string;
  note?: string;
  bars?: boolean;
}) {
  const { t } = useTranslation();
  const { id, title, first, slices, name, hours, lang, note, bars } = props;
  const total = slices.reduce((n, s) => n + s.interventions + s.inquiries, 0);
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="xs">
        {title}
      </Title>
      {note && (
        <Text size="sm" mb="xs">
          {note}
        </Text>
      )}
      {slices.length === 0 ? (
        <Text>{t("workload.empty")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped data-testid={`workload-${id}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{first}</Table.Th>
                <Table.Th ta="right">{t("workload.interventions")}</Table.Th>
                <Table.Th ta="right">{t("workload.interventionHours")}</Table.Th>
                <Table.Th ta="right">{t("workload.inquiries")}</Table.Th>
                <Table.Th ta="right">{t("workload.inquiryHours")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {slices.map((s) => {
                const share = total > 0 ? Math.round(((s.interventions + s.inquiries) / total) * 100) : 0;
                return (
                  <Table.Tr key={s.key}>
                    <Table.Th scope="row" fw={400}>
                      {name(s)}
                      {bars && (
                        <div
                          role="img"
                          aria-label={t("workload.share", { share })}
                          style={{ height: 6, marginTop: 2, width: `${share}%`, minWidth: share > 0 ? 2 : 0, background: "var(--mantine-color-blue-7)", borderRadius: 2 }}
                        />
                      )}
                    </Table.Th>
                    <Table.Td ta="right">{formatNumber(s.interventions, lang)}</Table.Td>
                    <Table.Td ta="right">{hours(s.interventionMinutes)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(s.inquiries, lang)}</Table.Td>
                    <Table.Td ta="right">{hours(s.inquiryMinutes)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
