import { useEffect, useMemo, useState } from "react";
import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title, UnstyledButton } from "@mantine/core";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { Mark } from "../../gql/graphql";
import { problemOf } from "../../api";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { formatTime, formatWeekday, pragueParts } from "../../format";

const AttendanceQuery = graphql(`
  query SessionAttendanceSheet($courseId: CourseId!, $sessionId: SessionId!) {
    course(id: $courseId) {
      id
      title
    }
    courseSession(id: $sessionId) {
      id
      startsAt
      endsAt
      status
    }
    enrolments(courseId: $courseId) {
      id
      clientName
      status
    }
    sessionAttendance(sessionId: $sessionId) {
      enrolmentId
      mark
    }
  }
`);

const Record = graphql(`
  mutation RecordAttendance($sessionId: SessionId!, $marks: [MarkInput!]!) {
    recordAttendance(sessionId: $sessionId, marks: $marks)
  }
`);

/** Taking attendance on a tablet: one large tap per person toggles present
 * and absent (late and excused below it), "everyone present" for a full
 * class, and the whole session saved at once. */
export default function AttendancePage() {
  const { courseId = "", sessionId = "" } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [{ data, error, fetching }] = useQuery({
    query: AttendanceQuery,
    variables: { courseId, sessionId },
    requestPolicy: "network-only",
  });
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const [state, record] = useMutation(Record);
  const people = useMemo(() => (data?.enrolments ?? []).filter((e) => e.status === "ENROLLED"), [data]);
  const session = data?.courseSession;

  useEffect(() => {
    if (!data) return;
    const taken = new Map(data.sessionAttendance.map((m) => [m.enrolmentId, m.mark]));
    setMarks(Object.fromEntries(people.map((p) => [p.id, taken.get(p.id) ?? "ABSENT"])));
    setDirty(false);
  }, [data, people]);

  if (error) return <ProblemAlert problem={problemOf(error)} withFields />;
  if (fetching && !data) return <Loading />;
  if (!data || !session) return <Text>{t("sessions.notFound")}</Text>;

  const set = (id: string, m: Mark) => {
    setMarks((old) => ({ ...old, [id]: m }));
    setDirty(true);
    setSaved(null);
  };
  const present = Object.values(marks).filter((m) => m === "PRESENT" || m === "LATE").length;

  async function save() {
    const r = await record({ sessionId, marks: Object.entries(marks).map(([enrolmentId, mark]) => ({ enrolmentId, mark })) });
    if (r.data) {
      setSaved(r.data.recordAttendance);
      setDirty(false);
    }
  }

  const day = pragueParts(session.startsAt).day;
  return (
    <Stack>
      <div>
        <Anchor component={Link} to={`/courses/${courseId}`}>
          {data.course.title}
        </Anchor>
        <Title order={1}>
          {t("attendance.title", {
            day: formatWeekday(day, lang),
            from: formatTime(session.startsAt, lang),
            to: formatTime(session.endsAt, lang),
          })}
        </Title>
      </div>
      <ProblemAlert problem={problemOf(state.error)} withFields />
      <Group justify="space-between">
        <Text aria-live="polite">{t("attendance.count", { present, total: people.length })}</Text>
        <Button variant="default" size="md" onClick={() => people.forEach((p) => set(p.id, "PRESENT"))}>
          {t("attendance.allPresent")}
        </Button>
      </Group>
      {people.length === 0 && <Text c="dimmed">{t("enrolments.none")}</Text>}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" data-testid="attendance-sheet">
        {people.map((p) => {
          const mark = marks[p.id] ?? "ABSENT";
          const here = mark === "PRESENT" || mark === "LATE";
          return (
            <Card key={p.id} withBorder padding={0} bg={here ? "green.0" : undefined} style={{ borderColor: here ? "var(--mantine-color-green-8)" : undefined }}>
              <UnstyledButton
                onClick={() => set(p.id, here ? "ABSENT" : "PRESENT")}
                aria-pressed={here}
                p="md"
                mih={72}
                w="100%"
                data-testid="attendee"
              >
                <Text fw={700} size="lg">
                  {p.clientName}
                </Text>
                <Text size="sm" c={here ? "var(--mantine-color-green-light-color)" : "dimmed"}>
                  {t(`mark.${mark}`)}
                </Text>
              </UnstyledButton>
              <SegmentedControl
                fullWidth
                size="xs"
                aria-label={t("attendance.markOf", { name: p.clientName })}
                value={mark}
                onChange={(v) => set(p.id, v as Mark)}
                data={(["PRESENT", "LATE", "EXCUSED", "ABSENT"] as const).map((m) => ({ value: m, label: t(`mark.${m}`) }))}
                radius={0}
              />
            </Card>
          );
        })}
      </SimpleGrid>
      <Group>
        <Button size="lg" onClick={() => void save()} loading={state.fetching} disabled={people.length === 0}>
          {t("attendance.save")}
        </Button>
        {saved !== null && !dirty && (
          <Text role="status" c="var(--mantine-color-green-light-color)">
            {t("attendance.saved", { count: saved })}
          </Text>
        )}
        {dirty && <Text c="dimmed">{t("attendance.unsaved")}</Text>}
      </Group>
    </Stack>
  );
}
