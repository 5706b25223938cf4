import { useMemo, useState, type FormEvent } from "react";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { Link, useParams } from "react-router";
import { useClient, useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { CourseSessionsQuery, Level } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import AskFeedback from "../../components/AskFeedback";
import { useSession } from "../../auth";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { ClientPicker, type PickedClient } from "../../components/ClientPicker";
import { LEVELS } from "../../components/labels";
import { formatDate, formatDateTime, formatTime, formatWeekday, languageName, pragueParts, todayInPrague } from "../../format";
import { base64Bytes, downloadFile } from "../../download";
import { CourseContext } from "./CourseNew";
import { SessionEditor, useCancelSession, type EditedSession } from "./SessionEditor";

const CourseQuery = graphql(`
  query Course($id: CourseId!) {
    course(id: $id) {
      id
      kind
      level
      title
      description
      branchId
      roomId
      capacity
      minParticipants
      lecturerIds
      interpreterLanguage
      interpreterId
      fundingProjectId
      keyActivity
      feeCzk
      depositCzk
      enrolmentOpensOn
      enrolmentClosesOn
      completionPercent
      recurrence
      status
      enrolled
      skippedDays {
        day
        reason
      }
    }
  }
`);

const SessionsQuery = graphql(`
  query CourseSessions($courseId: CourseId!, $from: DateTime!, $to: DateTime!) {
    courseSessions(from: $from, to: $to, courseId: $courseId) {
      id
      courseId
      courseTitle
      startsAt
      endsAt
      roomId
      lecturerIds
      substituteId
      status
      note
    }
  }
`);

const EnrolmentsQuery = graphql(`
  query Enrolments($courseId: CourseId!) {
    enrolments(courseId: $courseId) {
      id
      clientId
      clientName
      status
      waitlistPosition
      entryLevel
      exitLevel
      enrolledAt
    }
  }
`);

const StandingsQuery = graphql(`
  query CourseStandings($courseId: CourseId!) {
    courseStandings(courseId: $courseId) {
      enrolment {
        id
        clientId
        clientName
        exitLevel
      }
      sessionsHeld
      attended
      attendancePercent
      completed
      gainedLevel
    }
  }
`);

const Enrol = graphql(`
  mutation Enrol($courseId: CourseId!, $clientId: ClientId!) {
    enrol(courseId: $courseId, clientId: $clientId) {
      id
      status
      waitlistPosition
    }
  }
`);

const Placement = graphql(`
  mutation RecordPlacement($clientId: ClientId!, $level: Level!, $testedOn: Date!) {
    recordPlacement(clientId: $clientId, level: $level, testedOn: $testedOn) {
      level
    }
  }
`);

const Withdraw = graphql(`
  mutation WithdrawEnrolment($id: EnrolmentId!) {
    withdrawEnrolment(id: $id) {
      id
      status
    }
  }
`);

const ExitLevel = graphql(`
  mutation SetExitLevel($enrolmentId: EnrolmentId!, $level: Level!) {
    setExitLevel(enrolmentId: $enrolmentId, level: $level) {
      id
      exitLevel
    }
  }
`);

const Certificate = graphql(`
  mutation CourseCertificate($enrolmentId: EnrolmentId!) {
    courseCertificate(enrolmentId: $enrolmentId) {
      number
      fileName
      pdfBase64
    }
  }
`);

const Aik = graphql(`
  query AikConfirmations($courseId: CourseId!) {
    aikConfirmations(courseId: $courseId) {
      fileName
      content
    }
  }
`);

const ALL_TIME = { from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" };

/** A course: what it is, its sessions (attendance, moving, cancelling),
 * participants with the waitlist and placement, and results with
 * certificates; the AIK confirmations for an adaptation-integration course. */
export default function CoursePage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const [{ data, error }] = useQuery({ query: CourseQuery, variables: { id } });
  const [{ data: ctx }] = useQuery({ query: CourseContext });
  const names = useMemo(() => new Map((ctx?.colleagues ?? []).map((c) => [c.userId, c.displayName])), [ctx]);
  const rooms = useMemo(() => new Map((ctx?.rooms ?? []).map((r) => [r.id, r.name])), [ctx]);
  const client = useClient();
  const [aikProblem, setAikProblem] = useState<ReturnType<typeof problemOf>>(null);
  const course = data?.course;
  if (error) return <ProblemAlert problem={problemOf(error)} withFields />;
  if (!course) return <Loading />;

  async function exportAik() {
    const r = await client.query(Aik, { courseId: id }, { requestPolicy: "network-only" }).toPromise();
    setAikProblem(problemOf(r.error));
    const f = r.data?.aikConfirmations;
    if (f) downloadFile(f.fileName, f.content, "text/csv;charset=utf-8");
  }

  const facts: [string, string][] = [
    [t("courses.kind"), `${t(`courseKind.${course.kind}`)}${course.level ? ` ${course.level}` : ""}`],
    [t("courses.places"), `${course.enrolled} / ${course.capacity}`],
    [t("courses.lecturers"), course.lecturerIds.map((l) => names.get(l) ?? "").join(", ")],
    [t("courses.room"), course.roomId ? (rooms.get(course.roomId) ?? "") : ""],
    [t("courses.interpreterLanguage"), course.interpreterLanguage ? languageName(course.interpreterLanguage, lang) : ""],
    [
      t("courses.enrolmentWindow"),
      course.enrolmentOpensOn || course.enrolmentClosesOn
        ? `${formatDate(course.enrolmentOpensOn, lang)} – ${formatDate(course.enrolmentClosesOn, lang)}`
        : "",
    ],
    [t("courses.fee"), course.feeCzk != null ? `${course.feeCzk} Kč` : ""],
    [t("courses.completionPercent"), `${course.completionPercent} %`],
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{course.title}</Title>
        <Group>
          {course.status === "CANCELLED" && <Badge color="gray">{t("courseStatus.CANCELLED")}</Badge>}
          {course.kind === "ADAPTATION_INTEGRATION" && can("MANAGE_COURSES") && (
            <Button variant="default" onClick={() => void exportAik()}>
              {t("courses.aikExport")}
            </Button>
          )}
        </Group>
      </Group>
      <ProblemAlert problem={aikProblem} withFields />
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} component="dl" m={0}>
          {facts
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k}>
                <Text component="dt" size="sm" c="dimmed">
                  {k}
                </Text>
                <Text component="dd" m={0}>
                  {v}
                </Text>
              </div>
            ))}
        </SimpleGrid>
        {course.description && <Text mt="sm">{course.description}</Text>}
        {course.skippedDays.length > 0 && (
          <Text size="sm" mt="sm">
            {t("courses.skippedDays")}: {course.skippedDays.map((s) => `${formatDate(s.day, lang)} (${s.reason})`).join(", ")}
          </Text>
        )}
      </Card>
      <Tabs defaultValue="sessions" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="sessions">{t("courses.sessions")}</Tabs.Tab>
          <Tabs.Tab value="participants">{t("courses.participants")}</Tabs.Tab>
          <Tabs.Tab value="results">{t("courses.results")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="sessions" pt="md">
          <Sessions
            courseId={id}
            names={names}
            rooms={(ctx?.rooms ?? []).map((r) => ({ value: r.id, label: r.name }))}
            lecturers={(ctx?.colleagues ?? []).map((c) => ({ value: c.userId, label: c.displayName }))}
          />
        </Tabs.Panel>
        <Tabs.Panel value="participants" pt="md">
          <Participants courseId={id} level={course.level ?? null} />
        </Tabs.Panel>
        <Tabs.Panel value="results" pt="md">
          <Results courseId={id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

type Session = CourseSessionsQuery["courseSessions"][number];

function Sessions({
  courseId,
  names,
  rooms,
  lecturers,
}: {
  courseId: string;
  names: Map<string, string>;
  rooms: { value: string; label: string }[];
  lecturers: { value: string; label: string }[];
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: SessionsQuery, variables: { courseId, ...ALL_TIME } });
  const [cancelState, cancel] = useCancelSession(() => refetch({ requestPolicy: "network-only" }));
  const [editing, setEditing] = useState<EditedSession | null>(null);
  const roomName = new Map(rooms.map((r) => [r.value, r.label]));
  const today = todayInPrague();
  const sessions = data?.courseSessions ?? [];
  if (fetching && !data) return <Loading />;

  return (
    <Stack>
      <ProblemAlert problem={problemOf(error ?? cancelState.error)} withFields />
      {editing && (
        <Card withBorder>
          <SessionEditor
            session={editing}
            rooms={rooms}
            lecturers={lecturers}
            canOverride={can("MANAGE_COURSES")}
            onDone={(changed) => {
              setEditing(null);
              if (changed) refetch({ requestPolicy: "network-only" });
            }}
          />
        </Card>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("intervention.date")}</Table.Th>
            <Table.Th>{t("sessions.time")}</Table.Th>
            <Table.Th>{t("courses.room")}</Table.Th>
            <Table.Th>{t("courses.lecturers")}</Table.Th>
            <Table.Th>{t("sessions.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((s: Session) => {
            const day = pragueParts(s.startsAt).day;
            const cancelled = s.status === "CANCELLED";
            return (
              <Table.Tr key={s.id} fw={day === today ? 700 : undefined}>
                <Table.Td td={cancelled ? "line-through" : undefined}>{formatWeekday(day, lang)}</Table.Td>
                <Table.Td td={cancelled ? "line-through" : undefined}>
                  {formatTime(s.startsAt, lang)}–{formatTime(s.endsAt, lang)}
                </Table.Td>
                <Table.Td>{s.roomId ? roomName.get(s.roomId) : ""}</Table.Td>
                <Table.Td>
                  {s.substituteId
                    ? t("sessions.substituteFor", { name: names.get(s.substituteId) ?? "" })
                    : s.lecturerIds.map((l) => names.get(l) ?? "").join(", ")}
                </Table.Td>
                <Table.Td>
                  {cancelled ? (
                    <Text size="sm" c="dimmed">
                      {t("sessions.cancelled")}
                      {s.note ? `: ${s.note}` : ""}
                    </Text>
                  ) : (
                    <Group gap={4}>
                      <Button size="compact-sm" component={Link} to={`/courses/${courseId}/sessions/${s.id}`}>
                        {t("sessions.attendance")}
                      </Button>
                      <Button size="compact-sm" variant="default" onClick={() => setEditing(s)}>
                        {t("sessions.changeShort")}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => cancel(s.id)}
                      >
                        {t("sessions.cancel")}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {sessions.length === 0 && <Text c="dimmed">{t("sessions.none")}</Text>}
    </Stack>
  );
}

function Participants({ courseId, level }: { courseId: string; level: string | null }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [{ data, error }, refetch] = useQuery({ query: EnrolmentsQuery, variables: { courseId } });
  const [picked, setPicked] = useState<PickedClient[]>([]);
  const [placement, setPlacement] = useState<string | null>(null);
  const [testedOn, setTestedOn] = useState(todayInPrague());
  const [missing, setMissing] = useState(false);
  const [enrolState, enrol] = useMutation(Enrol);
  const [placementState, place] = useMutation(Placement);
  const [withdrawState, withdraw] = useMutation(Withdraw);
  const [done, setDone] = useState<string | null>(null);
  const problem = problemOf(enrolState.error ?? placementState.error ?? withdrawState.error);
  const manage = can("MANAGE_COURSES");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const who = picked[0];
    setMissing(!who);
    if (!who) return;
    if (placement) {
      const p = await place({ clientId: who.id, level: placement as Level, testedOn });
      if (p.error) return;
    }
    const r = await enrol({ courseId, clientId: who.id });
    const e2 = r.data?.enrol;
    if (!e2) return;
    setDone(
      e2.status === "WAITLISTED"
        ? t("enrolments.waitlisted", { name: who.label, position: e2.waitlistPosition })
        : t("enrolments.enrolled", { name: who.label }),
    );
    setPicked([]);
    setPlacement(null);
    refetch({ requestPolicy: "network-only" });
  }

  const rows = data?.enrolments ?? [];
  return (
    <Stack>
      <ProblemAlert problem={problem} withFields={!manage} />
      {manage && (
        <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="enrol-title">
          <Title order={2} size="h4" id="enrol-title" mb="xs">
            {t("enrolments.enrol")}
          </Title>
          <Group align="flex-start">
            <ClientPicker
              label={t("enrolments.client")}
              value={picked}
              onChange={(v) => setPicked(v.slice(-1))}
              w={360}
              error={missing ? t("form.required") : fieldError(problem, "clientId")}
            />
            <Select
              label={t("enrolments.placement")}
              description={level ? t("enrolments.courseLevel", { level }) : undefined}
              data={LEVELS.map((l) => ({ value: l, label: l }))}
              value={placement}
              onChange={setPlacement}
              clearable
              w={200}
              error={fieldError(problem, "level")}
            />
            {placement && (
              <TextInput
                label={t("enrolments.testedOn")}
                type="date"
                value={testedOn}
                onChange={(e) => setTestedOn(e.currentTarget.value)}
                error={fieldError(problem, "testedOn")}
              />
            )}
            <Button type="submit" mt={24} loading={enrolState.fetching || placementState.fetching}>
              {t("enrolments.enrolSubmit")}
            </Button>
          </Group>
          {done && (
            <Text role="status" mt="xs" c="var(--mantine-color-green-light-color)">
              {done}
            </Text>
          )}
        </form>
      )}
      <ProblemAlert problem={problemOf(error)} />
      <Table striped data-testid="enrolments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("enrolments.client")}</Table.Th>
            <Table.Th>{t("enrolments.status")}</Table.Th>
            <Table.Th>{t("enrolments.entryLevel")}</Table.Th>
            <Table.Th>{t("enrolments.since")}</Table.Th>
            {manage && <Table.Th>{t("sessions.actions")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Anchor component={Link} to={`/clients/${e.clientId}`}>
                  {e.clientName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {t(`enrolmentStatus.${e.status}`)}
                {e.waitlistPosition ? ` (${e.waitlistPosition}.)` : ""}
              </Table.Td>
              <Table.Td>{e.entryLevel ?? ""}</Table.Td>
              <Table.Td>{formatDateTime(e.enrolledAt, i18n.language)}</Table.Td>
              {manage && (
                <Table.Td>
                  {e.status !== "WITHDRAWN" && (
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => {
                        if (window.confirm(t("enrolments.withdrawConfirm", { name: e.clientName })))
                          void withdraw({ id: e.id }).then(() => refetch({ requestPolicy: "network-only" }));
                      }}
                    >
                      {t("enrolments.withdraw")}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && <Text c="dimmed">{t("enrolments.none")}</Text>}
    </Stack>
  );
}

function Results({ courseId }: { courseId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [{ data, error }, refetch] = useQuery({ query: StandingsQuery, variables: { courseId } });
  const [levelState, setLevel] = useMutation(ExitLevel);
  const [certState, certificate] = useMutation(Certificate);
  const [issued, setIssued] = useState<string[]>([]);
  const rows = data?.courseStandings ?? [];

  async function download(enrolmentId: string) {
    const r = await certificate({ enrolmentId });
    const c = r.data?.courseCertificate;
    if (!c) return;
    downloadFile(c.fileName, base64Bytes(c.pdfBase64), "application/pdf");
    setIssued((list) => [...list, c.number]);
  }

  return (
    <Stack>
      <ProblemAlert problem={problemOf(error ?? levelState.error ?? certState.error)} withFields />
      {issued.length > 0 && (
        <List size="sm" role="status">
          {issued.map((n) => (
            <List.Item key={n}>{t("results.issued", { number: n })}</List.Item>
          ))}
        </List>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("enrolments.client")}</Table.Th>
            <Table.Th>{t("results.attended")}</Table.Th>
            <Table.Th>{t("results.completed")}</Table.Th>
            <Table.Th>{t("results.exitLevel")}</Table.Th>
            <Table.Th>{t("results.certificate")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((s) => (
            <Table.Tr key={s.enrolment.id}>
              <Table.Td>{s.enrolment.clientName}</Table.Td>
              <Table.Td>
                {s.attended} / {s.sessionsHeld} ({s.attendancePercent} %)
              </Table.Td>
              <Table.Td>
                {s.completed ? t("common.yes") : t("common.no")}
                {s.gainedLevel && (
                  <Badge ml="xs" color="green">
                    {t("results.gainedLevel")}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {can("MANAGE_COURSES") ? (
                  <Select
                    aria-label={t("results.exitLevelOf", { name: s.enrolment.clientName })}
                    data={LEVELS.map((l) => ({ value: l, label: l }))}
                    value={s.enrolment.exitLevel ?? null}
                    onChange={(v) =>
                      v && void setLevel({ enrolmentId: s.enrolment.id, level: v as Level }).then(() => refetch({ requestPolicy: "network-only" }))
                    }
                    w={100}
                  />
                ) : (
                  (s.enrolment.exitLevel ?? "")
                )}
              </Table.Td>
              <Table.Td>
                {s.completed && (
                  <Button size="compact-sm" variant="default" onClick={() => void download(s.enrolment.id)} loading={certState.fetching}>
                    {t("results.download")}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && <Text c="dimmed">{t("enrolments.none")}</Text>}
      {can("MANAGE_COURSES") && rows.some((s) => s.completed) && <AskFeedback courseId={courseId} />}
    </Stack>
  );
}
