import { useMemo, useState, type DragEvent, type FormEvent } from "react";
import {
  Anchor,
  Button,
  Card,
  CopyButton,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { TimetableQuery } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { ClashList, clashesOf } from "../../components/Clashes";
import { DayAndTimes } from "../../components/DayAndTimes";
import {
  addDays,
  formatMonth,
  formatTime,
  formatWeekday,
  mondayOf,
  pragueInstant,
  pragueParts,
  todayInPrague,
  weekdayName,
} from "../../format";
import { CourseContext } from "./CourseNew";
import { SessionEditor, useCancelSession, type EditedSession } from "./SessionEditor";

const Sessions = graphql(`
  query Timetable($from: DateTime!, $to: DateTime!, $lecturerId: UserId, $roomId: RoomId, $branchId: BranchId) {
    courseSessions(from: $from, to: $to, lecturerId: $lecturerId, roomId: $roomId, branchId: $branchId) {
      id
      courseId
      courseTitle
      startsAt
      endsAt
      roomId
      lecturerIds
      substituteId
      status
    }
  }
`);

const MyCourses = graphql(`
  query TimetableCourses {
    courses {
      id
      title
      status
      roomId
    }
  }
`);

const AddSession = graphql(`
  mutation AddCourseSession($courseId: CourseId!, $startsAt: DateTime!, $endsAt: DateTime!, $roomId: RoomId, $overrideReason: String) {
    addCourseSession(courseId: $courseId, startsAt: $startsAt, endsAt: $endsAt, roomId: $roomId, overrideReason: $overrideReason) {
      id
      startsAt
    }
  }
`);

const Availability = graphql(`
  query TimetableAvailability($userId: UserId!) {
    lecturerAvailability(userId: $userId) {
      weekday
      starts
      ends
    }
  }
`);

const Feed = graphql(`
  mutation CreateCalendarFeed($ownerKind: FeedOwnerKind!, $ownerId: ID!) {
    createCalendarFeed(ownerKind: $ownerKind, ownerId: $ownerId)
  }
`);

type Session = TimetableQuery["courseSessions"][number];

/** The first day shown and the number of days of a week or a month view
 * (whole weeks, Monday first). */
function range(view: string, anchor: string): { first: string; days: number } {
  if (view === "week") return { first: mondayOf(anchor), days: 7 };
  const monthStart = `${anchor.slice(0, 7)}-01`;
  const first = mondayOf(monthStart);
  const next = addDays(monthStart, 32).slice(0, 7) + "-01";
  const last = addDays(next, -1);
  const days = Math.round((Date.parse(addDays(mondayOf(last), 7)) - Date.parse(first)) / 86_400_000);
  return { first, days };
}

/** The timetable of course sessions: a week or month by branch, room or
 * lecturer. A lecturer opens on their own, today first; sessions are
 * dragged to another day to move them (clashes shown before saving),
 * added, cancelled, and attendance is one tap away. */
export default function TimetablePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { viewer, can } = useSession();
  const manage = can("MANAGE_COURSES");
  const today = todayInPrague();
  const [view, setView] = useState("week");
  const [anchor, setAnchor] = useState(today);
  const [of, setOf] = useState<string>(manage ? "all:" : `lecturer:${viewer?.id ?? ""}`);
  const [editing, setEditing] = useState<{ session: EditedSession; toDay?: string } | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [{ data: ctx }] = useQuery({ query: CourseContext });
  const [kind, id] = of.split(":");
  const { first, days } = range(view, anchor);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: Sessions,
    variables: {
      from: pragueInstant(first, "00:00"),
      to: pragueInstant(addDays(first, days), "00:00"),
      lecturerId: kind === "lecturer" ? id : null,
      roomId: kind === "room" ? id : null,
      branchId: kind === "branch" ? id : null,
    },
  });
  const [todayData] = useQuery({
    query: Sessions,
    variables: {
      from: pragueInstant(today, "00:00"),
      to: pragueInstant(addDays(today, 1), "00:00"),
      lecturerId: viewer?.id ?? null,
    },
    pause: !can("TEACH"),
  });
  const lecturer = kind === "lecturer" ? id : null;
  const [{ data: availability }] = useQuery({ query: Availability, variables: { userId: lecturer ?? "" }, pause: !lecturer });
  const windows = lecturer ? (availability?.lecturerAvailability ?? []) : [];
  const refresh = () => refetch({ requestPolicy: "network-only" });
  const [cancelState, cancel] = useCancelSession(refresh);
  const names = useMemo(() => new Map((ctx?.colleagues ?? []).map((c) => [c.userId, c.displayName])), [ctx]);
  const rooms = useMemo(() => new Map((ctx?.rooms ?? []).map((r) => [r.id, r.name])), [ctx]);

  const onDay = (day: string) =>
    (data?.courseSessions ?? []).filter((s) => pragueParts(s.startsAt).day === day).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const step = (n: number) =>
    setAnchor(view === "week" ? addDays(anchor, 7 * n) : addDays(`${anchor.slice(0, 7)}-15`, 30 * n));

  const options = [
    { group: t("timetable.centre"), items: manage ? [{ value: "all:", label: t("timetable.allSessions") }] : [] },
    {
      group: t("courses.lecturers"),
      items: (ctx?.colleagues ?? [])
        .filter((c) => c.roles.includes("LECTURER") || c.userId === viewer?.id)
        .map((c) => ({ value: `lecturer:${c.userId}`, label: c.displayName })),
    },
    { group: t("appointments.branches"), items: (ctx?.branches ?? []).map((b) => ({ value: `branch:${b.id}`, label: b.name })) },
    { group: t("timetable.rooms"), items: (ctx?.rooms ?? []).map((r) => ({ value: `room:${r.id}`, label: r.name })) },
  ].filter((g) => g.items.length > 0);

  function drop(e: DragEvent, day: string) {
    e.preventDefault();
    const sid = e.dataTransfer.getData("text/x-session");
    const s = data?.courseSessions.find((x) => x.id === sid);
    if (s && pragueParts(s.startsAt).day !== day) setEditing({ session: s, toDay: day });
  }

  const card = (s: Session, compact: boolean) => {
    const cancelled = s.status === "CANCELLED";
    return (
      <Card
        key={s.id}
        withBorder
        padding={6}
        component="article"
        draggable={!cancelled}
        onDragStart={(e: DragEvent) => e.dataTransfer.setData("text/x-session", s.id)}
        bg={cancelled ? "gray.1" : undefined}
        data-testid="session"
      >
        <Text size="sm" fw={600} td={cancelled ? "line-through" : undefined}>
          {formatTime(s.startsAt, lang)}–{formatTime(s.endsAt, lang)}
        </Text>
        <Anchor component={Link} to={`/courses/${s.courseId}`} size="xs">
          {s.courseTitle}
        </Anchor>
        {!compact && (
          <Text size="xs" c="dimmed">
            {[s.roomId ? rooms.get(s.roomId) : null, (s.substituteId ? [s.substituteId] : s.lecturerIds).map((l) => names.get(l)).join(", ")]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        )}
        {!cancelled && !compact && (
          <Group gap={4} mt={4}>
            <Button size="compact-xs" component={Link} to={`/courses/${s.courseId}/sessions/${s.id}`}>
              {t("sessions.attendance")}
            </Button>
            <Button size="compact-xs" variant="default" onClick={() => setEditing({ session: s })}>
              {t("sessions.changeShort")}
            </Button>
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => cancel(s.id)}
            >
              {t("sessions.cancel")}
            </Button>
          </Group>
        )}
      </Card>
    );
  };

  const todays = (todayData.data?.courseSessions ?? []).filter((s) => s.status !== "CANCELLED");
  return (
    <Stack>
      <Title order={1}>{manage ? t("timetable.title") : t("timetable.mine")}</Title>
      {can("TEACH") && (
        <section aria-labelledby="today-title">
          <Title order={2} size="h3" id="today-title" mb="xs">
            {t("timetable.today")}
          </Title>
          {todays.length === 0 ? (
            <Text c="dimmed">{t("timetable.nothingToday")}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>{todays.map((s) => card(s, false))}</SimpleGrid>
          )}
        </section>
      )}
      <Group align="flex-end" justify="space-between">
        <Group align="flex-end">
          <Select label={t("timetable.of")} data={options} value={of} onChange={(v) => v && setOf(v)} allowDeselect={false} searchable w={280} />
          <SegmentedControl
            aria-label={t("timetable.view")}
            value={view}
            onChange={setView}
            data={[
              { value: "week", label: t("timetable.week") },
              { value: "month", label: t("timetable.month") },
            ]}
          />
        </Group>
        <Group gap="xs" role="group" aria-label={t("timetable.period")}>
          <Button variant="default" onClick={() => step(-1)}>
            {t("timetable.previous")}
          </Button>
          <Button variant="default" onClick={() => setAnchor(today)}>
            {t("timetable.current")}
          </Button>
          <Button variant="default" onClick={() => step(1)}>
            {t("timetable.next")}
          </Button>
        </Group>
      </Group>
      {lecturer && availability && (
        <Text size="sm" data-testid="availability">
          {t("timetable.availability", { name: names.get(lecturer) ?? "" })}{" "}
          {windows.length === 0
            ? t("timetable.noLimits")
            : windows.map((w) => `${weekdayName(w.weekday - 1, lang, "short")} ${w.starts}–${w.ends}`).join(", ")}
        </Text>
      )}
      <Text fw={600}>{view === "month" ? formatMonth(anchor, lang) : `${formatWeekday(first, lang)} – ${formatWeekday(addDays(first, 6), lang)}`}</Text>
      <ProblemAlert problem={problemOf(error ?? cancelState.error)} withFields />
      {editing && (
        <Card withBorder>
          <SessionEditor
            key={`${editing.session.id}-${editing.toDay ?? ""}`}
            session={editing.session}
            toDay={editing.toDay}
            rooms={(ctx?.rooms ?? []).map((r) => ({ value: r.id, label: r.name }))}
            lecturers={(ctx?.colleagues ?? []).map((c) => ({ value: c.userId, label: c.displayName }))}
            canOverride={manage}
            windows={windows}
            onDone={(changed) => {
              setEditing(null);
              if (changed) refresh();
            }}
          />
        </Card>
      )}
      {adding && (
        <Card withBorder>
          <AddSessionForm
            day={adding}
            rooms={(ctx?.rooms ?? []).map((r) => ({ value: r.id, label: r.name }))}
            canOverride={manage}
            onDone={(changed) => {
              setAdding(null);
              if (changed) refresh();
            }}
          />
        </Card>
      )}
      <div aria-busy={fetching}>
        {fetching && !data ? (
          <Loading />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 4, lg: 7 }} spacing="xs" data-testid={`timetable-${view}`}>
            {Array.from({ length: days }, (_, i) => addDays(first, i)).map((day, i) => {
              const outside = view === "month" && day.slice(0, 7) !== anchor.slice(0, 7);
              return (
                <section
                  key={day}
                  aria-label={formatWeekday(day, lang)}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={(e) => drop(e, day)}
                  style={{
                    minHeight: view === "week" ? 160 : 90,
                    background: outside ? "var(--mantine-color-gray-1)" : undefined,
                    borderRadius: 4,
                  }}
                  data-day={day}
                >
                  <Group justify="space-between" gap={2} mb={4}>
                    <Text fw={700} size="sm" c={day === today ? "blue.9" : undefined}>
                      {view === "month" && i >= 7 ? formatWeekday(day, lang).replace(/^\S+\s/, "") : formatWeekday(day, lang)}
                    </Text>
                    {can("TEACH") && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-label={t("timetable.addOn", { day: formatWeekday(day, lang) })}
                        onClick={() => setAdding(day)}
                      >
                        +
                      </Button>
                    )}
                  </Group>
                  <Stack gap={4}>{onDay(day).map((s) => card(s, view === "month"))}</Stack>
                </section>
              );
            })}
          </SimpleGrid>
        )}
      </div>
      <Text size="sm" c="dimmed">
        {t("timetable.dragHint")}
      </Text>
      {can("TEACH") && viewer && <FeedLink lecturerId={kind === "lecturer" && id ? id : viewer.id} />}
    </Stack>
  );
}

/** A new single session of one of the courses (a make-up class). */
function AddSessionForm({
  day,
  rooms,
  canOverride,
  onDone,
}: {
  day: string;
  rooms: { value: string; label: string }[];
  canOverride: boolean;
  onDone: (changed: boolean) => void;
}) {
  const { t } = useTranslation();
  const [{ data }] = useQuery({ query: MyCourses });
  const [course, setCourse] = useState<string | null>(null);
  const [date, setDate] = useState(day);
  const [from, setFrom] = useState("17:00");
  const [to, setTo] = useState("18:30");
  const [room, setRoom] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const [state, add] = useMutation(AddSession);
  const problem = problemOf(state.error);
  const clashed = clashesOf(problem).length > 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMissing(!course);
    if (!course) return;
    const r = await add({
      courseId: course,
      startsAt: pragueInstant(date, from),
      endsAt: pragueInstant(date, to),
      roomId: room ?? (data?.courses.find((c) => c.id === course)?.roomId ?? null),
      overrideReason: clashed && reason.trim() ? reason.trim() : null,
    });
    if (!r.error) onDone(true);
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="add-session">
      <Stack>
        <Title order={2} size="h4" id="add-session">
          {t("timetable.addSession")}
        </Title>
        <ClashList problem={problem} />
        {problem?.code !== "CONFLICT" && <ProblemAlert problem={problem} />}
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
          <Select
            label={t("timetable.course")}
            data={(data?.courses ?? []).filter((c) => c.status === "ACTIVE").map((c) => ({ value: c.id, label: c.title }))}
            value={course}
            onChange={setCourse}
            searchable
            required
            error={missing ? t("form.required") : fieldError(problem, "courseId")}
          />
          <DayAndTimes
            day={date}
            from={from}
            to={to}
            onDay={setDate}
            onFrom={setFrom}
            onTo={setTo}
            errors={{ from: fieldError(problem, "startsAt"), to: fieldError(problem, "endsAt") }}
          />
          <Select label={t("courses.room")} data={rooms} value={room} onChange={setRoom} clearable error={fieldError(problem, "roomId")} />
        </SimpleGrid>
        {clashed && canOverride && (
          <TextInput label={t("courses.overrideReason")} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        )}
        <Group>
          <Button type="submit" loading={state.fetching}>
            {clashed && reason.trim() ? t("courses.saveAnyway") : t("timetable.addSession")}
          </Button>
          <Button variant="default" onClick={() => onDone(false)}>
            {t("common.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The address of a lecturer's calendar feed, made on request (shown once;
 * the server keeps only its hash), to paste into their own calendar. */
function FeedLink({ lecturerId }: { lecturerId: string }) {
  const { t } = useTranslation();
  const [state, create] = useMutation(Feed);
  const url = state.data?.createCalendarFeed;
  return (
    <section aria-labelledby="feed-title">
      <Title order={2} size="h4" id="feed-title">
        {t("timetable.feed")}
      </Title>
      <Text size="sm" mb="xs">
        {t("timetable.feedHelp")}
      </Text>
      <ProblemAlert problem={problemOf(state.error)} withFields />
      {url ? (
        <Group align="flex-end">
          <TextInput label={t("timetable.feedAddress")} value={url} readOnly w={520} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={url}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t("timetable.copied") : t("timetable.copy")}
              </Button>
            )}
          </CopyButton>
        </Group>
      ) : (
        <Button variant="default" onClick={() => void create({ ownerKind: "LECTURER", ownerId: lecturerId })} loading={state.fetching}>
          {t("timetable.makeFeed")}
        </Button>
      )}
    </section>
  );
}
