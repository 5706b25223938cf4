import { useMemo, useState, type FormEvent } from "react";
import {
  Alert,
  Anchor,
  Button,
  Chip,
  Fieldset,
  Group,
  List,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { CourseKind, Level } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { ProblemAlert } from "../../components/Feedback";
import { OverrideClashes, clashesOf, useClashError, useClashText, type Clash } from "../../components/Clashes";
import { LanguageSelect, ProjectSelect } from "../../components/pickers";
import { COURSE_KINDS, LEVELS, LEVELLED_KINDS, WEEKDAYS } from "../../components/labels";
import { addDays, formatDate, formatTime, weekdayName, pragueInstant, pragueParts, todayInPrague } from "../../format";

export const CourseContext = graphql(`
  query CourseContext {
    colleagues {
      userId
      displayName
      roles
    }
    branches {
      id
      name
    }
    rooms {
      id
      branchId
      name
      capacity
    }
    interpreters {
      id
      name
      languages
      active
    }
    fundingProjects {
      id
      name
      registrationNumber
    }
  }
`);

const Preview = graphql(`
  query PreviewSchedule($schedule: ScheduleInput!, $lecturerIds: [UserId!]!, $roomId: RoomId, $interpreterId: InterpreterId) {
    previewSchedule(schedule: $schedule, lecturerIds: $lecturerIds, roomId: $roomId, interpreterId: $interpreterId) {
      sessions {
        startsAt
        endsAt
      }
      skippedDays {
        day
        reason
      }
      clashes {
        ...ClashFields
      }
    }
  }
`);

const Create = graphql(`
  mutation CreateCourse($input: CourseInput!, $schedule: ScheduleInput, $overrideReason: String) {
    createCourse(input: $input, schedule: $schedule, overrideReason: $overrideReason) {
      course {
        id
      }
      overriddenClashes
      availabilityWarnings
    }
  }
`);

/** The last day of a weekly schedule of `weeks` weeks from `firstDay`,
 * as an RFC 5545 `UNTIL` (UTC, end of that day in Prague). */
export function untilOf(firstDay: string, weeks: number): string {
  const last = addDays(firstDay, weeks * 7 - 1);
  return pragueInstant(last, "23:59").replace(/[-:]/g, "").replace(/\.\d+/, "").replace(/Z?$/, "Z");
}

/** The recurrence rule of "these weekdays, for N weeks from the first day". */
export function weeklyRule(days: string[], firstDay: string, weeks: number): string {
  const order = WEEKDAYS as readonly string[];
  const byDay = [...days].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(",");
  return `FREQ=WEEKLY;BYDAY=${byDay};UNTIL=${untilOf(firstDay, weeks)}`;
}

/** A new course with its schedule: the dates the rule gives are shown as
 * they are typed, with the public holidays skipped and every clash of a
 * lecturer, room or interpreter next to that field. A clash refuses the
 * course unless the coordinator overrides it with a reason. */
export default function CourseNewPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const clashText = useClashText();
  const clashError = useClashError();
  const [{ data: ctx }] = useQuery({ query: CourseContext });
  const [kind, setKind] = useState<CourseKind>("CZECH_LANGUAGE");
  const [level, setLevel] = useState<string | null>("A1");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [branch, setBranch] = useState<string | null>(null);
  const [room, setRoom] = useState<string | null>(null);
  const [capacity, setCapacity] = useState<number | string>(12);
  const [lecturers, setLecturers] = useState<string[]>([]);
  const [interpreterLanguage, setInterpreterLanguage] = useState<string | null>(null);
  const [interpreter, setInterpreter] = useState<string | null>(null);
  const [project, setProject] = useState<string | null>(null);
  const [fee, setFee] = useState<number | string>("");
  const [opens, setOpens] = useState("");
  const [closes, setCloses] = useState("");
  const [days, setDays] = useState<string[]>(["TU", "TH"]);
  const [firstDay, setFirstDay] = useState(() => addDays(todayInPrague(), 7));
  const [startTime, setStartTime] = useState("17:00");
  const [endTime, setEndTime] = useState("18:30");
  const [weeks, setWeeks] = useState<number | string>(12);
  const [overrideReason, setOverrideReason] = useState("");
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [created, setCreated] = useState<{ id: string; warnings: string[] } | null>(null);
  const [state, create] = useMutation(Create);
  const problem = problemOf(state.error);

  const scheduleReady = days.length > 0 && !!firstDay && /^\d\d:\d\d$/.test(startTime) && /^\d\d:\d\d$/.test(endTime) && Number(weeks) > 0;
  const schedule = scheduleReady
    ? { rule: weeklyRule(days, firstDay, Number(weeks)), firstDay, startTime, endTime }
    : null;
  const previewVars = { schedule: schedule!, lecturerIds: lecturers, roomId: room, interpreterId: interpreter };
  const [debounced] = useDebouncedValue(previewVars, 250);
  const [{ data: preview, error: previewError }] = useQuery({
    query: Preview,
    variables: debounced,
    pause: !debounced.schedule,
  });
  const previewProblem = problemOf(previewError);
  // Clashes of a refusal when there is one; else those the preview found.
  const refused = clashesOf(problem);
  const clashes: Clash[] = refused.length ? refused : (preview?.previewSchedule.clashes ?? []);

  const lecturerOptions = useMemo(() => {
    const all = ctx?.colleagues ?? [];
    const teaching = all.filter((c) => c.roles.includes("LECTURER"));
    return (teaching.length ? teaching : all).map((c) => ({ value: c.userId, label: c.displayName }));
  }, [ctx]);
  const roomOptions = (ctx?.rooms ?? [])
    .filter((r) => !branch || r.branchId === branch)
    .map((r) => ({ value: r.id, label: r.capacity ? `${r.name} (${r.capacity})` : r.name }));

  async function submit(e: FormEvent, override = false) {
    e.preventDefault();
    const m = { title: !title.trim(), capacity: capacity === "" || Number(capacity) < 1, schedule: !schedule, reason: override && !overrideReason.trim() };
    setMissing(m);
    if (Object.values(m).some(Boolean)) return;
    const r = await create({
      input: {
        kind,
        level: LEVELLED_KINDS.includes(kind) ? ((level as Level | null) ?? null) : null,
        title: title.trim(),
        description,
        branchId: branch,
        roomId: room,
        capacity: Number(capacity),
        lecturerIds: lecturers,
        interpreterLanguage: interpreterLanguage ?? "",
        interpreterId: interpreter,
        fundingProjectId: project,
        feeCzk: fee === "" ? null : Number(fee),
        enrolmentOpensOn: opens || null,
        enrolmentClosesOn: closes || null,
      },
      schedule,
      overrideReason: override ? overrideReason.trim() : null,
    });
    const planned = r.data?.createCourse;
    if (!planned) return;
    if (planned.availabilityWarnings.length) setCreated({ id: planned.course.id, warnings: planned.availabilityWarnings });
    else void navigate(`/courses/${planned.course.id}`);
  }

  if (created) {
    return (
      <Stack>
        <Title order={1}>{t("courses.created")}</Title>
        <Alert color="yellow" title={t("courses.availabilityWarnings")}>
          <List size="sm">
            {created.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
        <Anchor component={Link} to={`/courses/${created.id}`}>
          {t("courses.openCourse")}
        </Anchor>
      </Stack>
    );
  }

  const sessions = preview?.previewSchedule.sessions ?? [];
  const skipped = preview?.previewSchedule.skippedDays ?? [];
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Title order={1}>{t("courses.new")}</Title>
        <ProblemAlert problem={refused.length ? null : problem} />
        <Fieldset legend={t("courses.about")}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <Select
              label={t("courses.kind")}
              data={COURSE_KINDS.map((k) => ({ value: k, label: t(`courseKind.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v as CourseKind)}
              allowDeselect={false}
              error={fieldError(problem, "kind")}
            />
            {LEVELLED_KINDS.includes(kind) && (
              <Select
                label={t("courses.level")}
                data={LEVELS.map((l) => ({ value: l, label: l }))}
                value={level}
                onChange={setLevel}
                error={fieldError(problem, "level")}
              />
            )}
            <TextInput
              label={t("courses.name")}
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={missing.title ? t("form.required") : fieldError(problem, "title")}
            />
            <NumberInput
              label={t("courses.capacity")}
              required
              min={1}
              value={capacity}
              onChange={setCapacity}
              error={missing.capacity ? t("courses.capacityPositive") : fieldError(problem, "capacity")}
            />
            <Select
              label={t("courses.branch")}
              data={(ctx?.branches ?? []).map((b) => ({ value: b.id, label: b.name }))}
              value={branch}
              onChange={(v) => {
                setBranch(v);
                setRoom(null);
              }}
              clearable
              error={fieldError(problem, "branchId")}
            />
            <Select
              label={t("courses.room")}
              data={roomOptions}
              value={room}
              onChange={setRoom}
              clearable
              searchable
              description={roomOptions.length === 0 ? t("courses.noRooms") : undefined}
              error={clashError(clashes, "room") ?? fieldError(problem, "roomId")}
            />
            <MultiSelect
              label={t("courses.lecturers")}
              data={lecturerOptions}
              value={lecturers}
              onChange={setLecturers}
              searchable
              error={clashError(clashes, "lecturer") ?? fieldError(problem, "lecturerIds")}
            />
            <LanguageSelect
              label={t("courses.interpreterLanguage")}
              value={interpreterLanguage}
              onChange={setInterpreterLanguage}
              clearable
            />
            <Select
              label={t("courses.interpreter")}
              data={(ctx?.interpreters ?? [])
                .filter((i) => i.active)
                .map((i) => ({ value: i.id, label: `${i.name} (${i.languages.join(", ")})` }))}
              value={interpreter}
              onChange={setInterpreter}
              clearable
              error={clashError(clashes, "interpreter") ?? fieldError(problem, "interpreterId")}
            />
            <ProjectSelect
              label={t("courses.project")}
              projects={ctx?.fundingProjects ?? []}
              value={project}
              onChange={setProject}
              clearable
              error={fieldError(problem, "fundingProjectId")}
            />
            <NumberInput label={t("courses.fee")} min={0} value={fee} onChange={setFee} error={fieldError(problem, "feeCzk")} />
            <TextInput
              label={t("courses.enrolmentOpens")}
              type="date"
              value={opens}
              onChange={(e) => setOpens(e.currentTarget.value)}
              error={fieldError(problem, "enrolmentOpensOn")}
            />
            <TextInput
              label={t("courses.enrolmentCloses")}
              type="date"
              value={closes}
              onChange={(e) => setCloses(e.currentTarget.value)}
              error={fieldError(problem, "enrolmentClosesOn")}
            />
          </SimpleGrid>
          <Textarea mt="sm" label={t("courses.description")} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
        </Fieldset>
        <Fieldset legend={t("courses.schedule")}>
          <Stack>
            <Chip.Group multiple value={days} onChange={setDays}>
              <Group gap="xs" role="group" aria-label={t("courses.weekdays")}>
                {WEEKDAYS.map((d, i) => (
                  <Chip key={d} value={d}>
                    {weekdayName(i, lang)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            {missing.schedule && (
              <Text c="red.9" size="sm" role="alert">
                {t("courses.scheduleIncomplete")}
              </Text>
            )}
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <TextInput
                label={t("courses.firstDay")}
                type="date"
                required
                value={firstDay}
                onChange={(e) => setFirstDay(e.currentTarget.value)}
                error={fieldError(problem, "schedule.firstDay") ?? fieldError(previewProblem, "schedule.firstDay")}
              />
              <TextInput
                label={t("appointments.from")}
                type="time"
                required
                value={startTime}
                onChange={(e) => setStartTime(e.currentTarget.value)}
                error={fieldError(problem, "schedule.startTime") ?? fieldError(previewProblem, "schedule.startTime")}
              />
              <TextInput
                label={t("appointments.to")}
                type="time"
                required
                value={endTime}
                onChange={(e) => setEndTime(e.currentTarget.value)}
                error={fieldError(problem, "schedule.endTime") ?? fieldError(previewProblem, "schedule.endTime")}
              />
              <NumberInput label={t("courses.weeks")} required min={1} max={104} value={weeks} onChange={setWeeks} />
            </SimpleGrid>
            {(fieldError(previewProblem, "schedule.rule") || previewProblem?.general.length) && (
              <Text c="red.9" size="sm" role="alert">
                {fieldError(previewProblem, "schedule.rule") ?? previewProblem?.general.join(" ")}
              </Text>
            )}
            <section aria-labelledby="preview-title" data-testid="schedule-preview">
              <Title order={2} size="h4" id="preview-title">
                {t("courses.sessionsPlanned", { count: sessions.length })}
              </Title>
              <Text size="sm" component="p">
                {sessions
                  .map((s) => `${formatDate(pragueParts(s.startsAt).day, lang)} ${formatTime(s.startsAt, lang)}`)
                  .join(" · ")}
              </Text>
              {skipped.length > 0 && (
                <>
                  <Title order={3} size="h5">
                    {t("courses.skippedDays")}
                  </Title>
                  <List size="sm" data-testid="skipped-days">
                    {skipped.map((s) => (
                      <List.Item key={s.day}>
                        {formatDate(s.day, lang)} – {s.reason}
                      </List.Item>
                    ))}
                  </List>
                </>
              )}
              {clashes.length > 0 && (
                <Alert color="red" mt="sm" title={t("courses.clashes", { count: clashes.length })} data-testid="clashes">
                  <List size="sm">
                    {clashes.map((c, i) => (
                      <List.Item key={i}>{clashText(c)}</List.Item>
                    ))}
                  </List>
                </Alert>
              )}
            </section>
          </Stack>
        </Fieldset>
        {refused.length > 0 && (
          <OverrideClashes
            reason={overrideReason}
            onReason={setOverrideReason}
            missing={!!missing.reason}
            problem={problem}
            label={t("courses.createAnyway")}
            loading={state.fetching}
            onOverride={(e) => void submit(e, true)}
          />
        )}
        <Group>
          <Button type="submit" loading={state.fetching}>
            {t("courses.create")}
          </Button>
          <Button component={Link} to="/courses" variant="default">
            {t("common.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
