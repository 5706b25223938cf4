import { useState } from "react";
import { Alert, Badge, Button, Card, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { ClientTimelineQuery } from "../../gql/graphql";
import { problemOf } from "../../api";
import { formatDate, formatTime, languageName } from "../../format";

const TimelineQuery = graphql(`
  query ClientTimeline($clientId: ClientId!, $after: String) {
    clientTimeline(clientId: $clientId, first: 30, after: $after) {
      edges {
        cursor
        date
        node {
          __typename
          ... on Intervention {
            id
            kind
            form
            durationMinutes
            topics
            language
            outcome
            isGroup
            anonymousCount
            targetOffice
            participants {
              clientId
              eligible
              eligibilityReason
              countsTowardIndicators
            }
          }
          ... on Appointment {
            id
            kind
            startsAt
            endsAt
            place
            status
          }
          ... on Task {
            id
            title
            dueOn
            done
            overdue
          }
          ... on EventAttendance {
            event {
              id
              title
              startsAt
            }
            registration {
              id
              status
              checkedInAt
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Edge = ClientTimelineQuery["clientTimeline"]["edges"][number];

/** Everything the centre did with the client, newest first. */
export function ClientTimeline({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const [pages, setPages] = useState<(string | null)[]>([null]);
  return (
    <Stack aria-label={t("client.tabs.timeline")} data-testid="timeline">
      {pages.map((after, i) => (
        <TimelinePage
          key={after ?? "first"}
          clientId={clientId}
          after={after}
          onMore={i === pages.length - 1 ? (cursor) => setPages((p) => [...p, cursor]) : undefined}
        />
      ))}
    </Stack>
  );
}

function TimelinePage({
  clientId,
  after,
  onMore,
}: {
  clientId: string;
  after: string | null;
  onMore?: (cursor: string) => void;
}) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({
    query: TimelineQuery,
    variables: { clientId, after },
    requestPolicy: "cache-and-network",
  });
  const problem = problemOf(error);
  if (fetching && !data) return <Loading />;
  if (problem)
    return (
      <Alert color="red" role="alert">
        {problem.general.join(" ")}
      </Alert>
    );
  const conn = data?.clientTimeline;
  if (!conn) return null;
  if (!after && conn.edges.length === 0) return <Text>{t("timeline.empty")}</Text>;
  return (
    <>
      {conn.edges.map((e) => (
        <TimelineItem key={e.cursor} edge={e} />
      ))}
      {onMore && conn.pageInfo.hasNextPage && conn.pageInfo.endCursor && (
        <Button variant="default" onClick={() => onMore(conn.pageInfo.endCursor ?? "")}>
          {t("common.more")}
        </Button>
      )}
    </>
  );
}

function TimelineItem({ edge }: { edge: Edge }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = edge.node;
  let title = "";
  let badge: string | null = null;
  let details: string[] = [];
  switch (n.__typename) {
    case "Intervention": {
      title = t(`interventionKind.${n.kind}`);
      badge = t("timeline.intervention");
      details = [
        t(`serviceForm.${n.form}`),
        t("timeline.minutes", { count: n.durationMinutes }),
        n.topics.map((x) => t(`topic.${x}`)).join(", "),
        n.language ? languageName(n.language, lang) : "",
        n.isGroup ? t("timeline.group", { count: n.participants.length + n.anonymousCount }) : "",
        n.outcome,
      ];
      break;
    }
    case "Appointment":
      title = t(`interventionKind.${n.kind}`);
      badge = t("timeline.appointment");
      details = [
        `${formatTime(n.startsAt, lang)}–${formatTime(n.endsAt, lang)}`,
        n.place,
        t(`appointmentStatus.${n.status}`),
      ];
      break;
    case "Task":
      title = n.title;
      badge = t("timeline.task");
      details = [n.done ? t("tasks.isDone") : n.overdue ? t("tasks.overdue") : t("tasks.open")];
      break;
    case "EventAttendance":
      title = n.event.title;
      badge = t("timeline.event");
      details = [n.registration.checkedInAt ? t("timeline.checkedIn") : t(`registrationStatus.${n.registration.status}`)];
      break;
    default:
      return null;
  }
  const counts =
    n.__typename === "Intervention" && n.participants.length > 0
      ? n.participants.every((p) => p.countsTowardIndicators)
      : null;
  return (
    <Card withBorder padding="sm" component="article">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text size="sm" c="dimmed">
            {formatDate(edge.date, lang)}
          </Text>
          <Text fw={600}>{title}</Text>
          <Text size="sm">{details.filter(Boolean).join(" · ")}</Text>
        </div>
        <Group gap={4}>
          {badge && <Badge variant="outline">{badge}</Badge>}
          {counts !== null && (
            <Badge variant="light" color={counts ? "green" : "gray"}>
              {counts ? t("timeline.counts") : t("timeline.doesNotCount")}
            </Badge>
          )}
        </Group>
      </Group>
    </Card>
  );
}
