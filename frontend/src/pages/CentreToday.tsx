import { Anchor, Badge, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { problemOf } from "../api";
import { useSession } from "../auth";
import { ProblemAlert } from "../components/Feedback";
import { addDays, formatNumber, formatTime, pragueInstant, todayInPrague } from "../format";
import { Catalogue } from "./ministry/periods";
import YearlyReport from "./ministry/YearlyReport";
import FeedbackSummary from "./FeedbackSummary";

const TodayQuery = graphql(`
  query CentreToday($from: DateTime!, $to: DateTime!, $me: UserId!, $mine: Boolean!, $desk: Boolean!) {
    courseSessions(from: $from, to: $to, lecturerId: $me) @include(if: $mine) {
      id
      courseId
      courseTitle
      startsAt
      endsAt
      status
    }
    appointments(from: $from, to: $to, workerId: $me) @include(if: $desk) {
      id
      clientId
      kind
      startsAt
      endsAt
      place
      status
    }
  }
`);

const IndicatorsQuery = graphql(`
  query CentreIndicators($year: Int!, $period: Period!, $indicators: [Indicator!]) {
    centreIndicators(year: $year, period: $period, indicators: $indicators) {
      indicator
      category
      value
      display
    }
    centreProjects {
      projectId
      registrationNumber
      name
      elapsed
      targets {
        indicator
        planned
        actual
        expected
        behind
      }
    }
  }
`);

/** The centre's day for the signed-in person: their sessions and
 * appointments today; for admins and coordinators the centre's own
 * figures this year and its projects against their targets. */
export function CentreToday() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { viewer, can } = useSession();
  const today = todayInPrague();
  const mine = can("TEACH");
  const desk = can("SERVE_DESK");
  const [{ data, error }] = useQuery({
    query: TodayQuery,
    variables: { from: pragueInstant(today, "00:00"), to: pragueInstant(addDays(today, 1), "00:00"), me: viewer?.id ?? "", mine, desk },
    pause: !viewer || (!mine && !desk),
  });
  const items = [
    ...(data?.courseSessions ?? [])
      .filter((s) => s.status !== "CANCELLED")
      .map((s) => ({ key: s.id, startsAt: s.startsAt, endsAt: s.endsAt, what: s.courseTitle, to: `/courses/${s.courseId}/sessions/${s.id}`, link: t("sessions.attendance") })),
    ...(data?.appointments ?? [])
      .filter((a) => a.status === "BOOKED")
      .map((a) => ({
        key: a.id,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        what: [t(`interventionKind.${a.kind}`), a.place].filter(Boolean).join(" · "),
        to: a.clientId ? `/clients/${a.clientId}` : "/appointments",
        link: a.clientId ? t("tasks.openClient") : t("nav.appointments"),
      })),
  ].sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  return (
    <Stack>
      {(mine || desk) && (
        <section aria-labelledby="today-title">
          <Title order={2} size="h3" id="today-title" mb="sm">
            {t("centre.today")}
          </Title>
          <ProblemAlert problem={problemOf(error)} />
          {items.length === 0 ? (
            <Text>{t("centre.nothingToday")}</Text>
          ) : (
            <Table striped data-testid="today">
              <Table.Tbody>
                {items.map((i) => (
                  <Table.Tr key={i.key}>
                    <Table.Td w={120}>
                      {formatTime(i.startsAt, lang)}–{formatTime(i.endsAt, lang)}
                    </Table.Td>
                    <Table.Td>{i.what}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={i.to}>
                        {i.link}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </section>
      )}
      {can("READ_REPORTS") && <CentreFigures year={Number(today.slice(0, 4))} lang={lang} />}
      {can("READ_REPORTS") && <YearlyReport years={Array.from({ length: 4 }, (_, i) => Number(today.slice(0, 4)) - i)} />}
      {can("READ_REPORTS") && <FeedbackSummary />}
    </Stack>
  );
}

function CentreFigures({ year, lang }: { year: number; lang: string }) {
  const { t } = useTranslation();
  const [{ data: catalogue }] = useQuery({ query: Catalogue });
  const main = (catalogue?.indicatorCatalogue ?? []).filter((i) => i.main).map((i) => i.indicator);
  const [{ data, error }] = useQuery({ query: IndicatorsQuery, variables: { year, period: "Y", indicators: main }, pause: main.length === 0 });
  const value = (ind: string) => data?.centreIndicators.find((c) => c.indicator === ind && c.category === "")?.value ?? 0;
  return (
    <section aria-labelledby="figures-title">
      <Title order={2} size="h3" id="figures-title" mb="sm">
        {t("centre.figures", { year })}
      </Title>
      <ProblemAlert problem={problemOf(error)} />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} mb="md" data-testid="centre-figures">
        {main.map((i) => (
          <Card key={i} withBorder padding="sm">
            <Text size="sm" c="dimmed">
              {t(`indicator.${i}`)}
            </Text>
            <Text fw={700} size="xl">
              {formatNumber(value(i), lang)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {(data?.centreProjects ?? []).map((p) => (
        <Card key={p.projectId} withBorder mb="sm">
          <Group justify="space-between" mb="xs">
            <Text fw={700}>
              {p.registrationNumber} {p.name}
            </Text>
            <Text size="sm" c="dimmed">
              {t("centre.elapsed", { share: Math.round(p.elapsed * 100) })}
            </Text>
          </Group>
          {p.targets.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("ministry.noTargets")}
            </Text>
          ) : (
            <Stack gap={6}>
              {p.targets.map((g) => {
                const share = g.planned > 0 ? Math.min(100, ((g.actual ?? 0) / g.planned) * 100) : 0;
                return (
                  <div key={g.indicator}>
                    <Group justify="space-between" gap="xs">
                      <Text size="sm">{t(`indicator.${g.indicator}`)}</Text>
                      <Group gap="xs">
                        <Text size="sm">
                          {formatNumber(g.actual ?? 0, lang)} / {formatNumber(g.planned, lang)}
                        </Text>
                        {g.behind && (
                          <Badge color="red" variant="light">
                            {t("ministry.behind")}
                          </Badge>
                        )}
                      </Group>
                    </Group>
                    <Progress
                      value={share}
                      color={g.behind ? "red.8" : "green.8"}
                      aria-label={t("ministry.progressOf", { share: Math.round(share), expected: Math.round((g.expected / Math.max(1, g.planned)) * 100) })}
                    />
                  </div>
                );
              })}
            </Stack>
          )}
        </Card>
      ))}
    </section>
  );
}
