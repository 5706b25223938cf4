import { useMemo, useState, type FormEvent } from "react";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
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
import { ProblemAlert, Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { AppointmentsWeekQuery, InterventionKind } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { addDays, formatTime, formatWeekday, mondayOf, pragueInstant, pragueParts, todayInPrague } from "../../format";
import { ClientPicker, type PickedClient } from "../../components/ClientPicker";
import { LanguageSelect } from "../../components/pickers";
import { INTERVENTION_KINDS } from "../../components/labels";
import { ClashList } from "../../components/Clashes";
import { DayAndTimes } from "../../components/DayAndTimes";

const CalendarContext = graphql(`
  query CalendarContext {
    colleagues {
      userId
      displayName
      roles
    }
    branches {
      id
      name
    }
    interpreters {
      id
      name
      languages
      active
    }
  }
`);

const WeekQuery = graphql(`
  query AppointmentsWeek($from: DateTime!, $to: DateTime!, $workerId: UserId, $branchId: BranchId) {
    appointments(from: $from, to: $to, workerId: $workerId, branchId: $branchId) {
      id
      clientId
      workerId
      branchId
      kind
      language
      interpreterId
      startsAt
      endsAt
      place
      note
      status
    }
  }
`);

const Book = graphql(`
  mutation BookAppointment($input: AppointmentInput!) {
    bookAppointment(input: $input) {
      id
      startsAt
    }
  }
`);

const Move = graphql(`
  mutation MoveAppointment($id: AppointmentId!, $startsAt: DateTime!, $endsAt: DateTime!, $workerId: UserId) {
    moveAppointment(id: $id, startsAt: $startsAt, endsAt: $endsAt, workerId: $workerId) {
      id
      startsAt
      endsAt
      workerId
    }
  }
`);

const Cancel = graphql(`
  mutation CancelAppointment($id: AppointmentId!, $reason: String!) {
    cancelAppointment(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

type Appointment = AppointmentsWeekQuery["appointments"][number];

/** Appointment calendars per worker and per branch: the week, booking,
 * moving and cancelling, with clashes shown when the server refuses. */
export default function AppointmentsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { viewer } = useSession();
  const [week, setWeek] = useState(() => mondayOf(todayInPrague()));
  const [view, setView] = useState<string>(`worker:${viewer?.id ?? ""}`);
  const [editing, setEditing] = useState<Appointment | null>(null);
  const [{ data: ctx }] = useQuery({ query: CalendarContext });
  const [kindOf, id] = view.split(":");
  const [{ data, fetching, error }, refetch] = useQuery({
    query: WeekQuery,
    variables: {
      from: pragueInstant(week, "00:00"),
      to: pragueInstant(addDays(week, 7), "00:00"),
      workerId: kindOf === "worker" ? id : null,
      branchId: kindOf === "branch" ? id : null,
    },
  });
  const [cancelState, cancel] = useMutation(Cancel);
  const problem = problemOf(error ?? cancelState.error);
  const names = useMemo(() => new Map((ctx?.colleagues ?? []).map((c) => [c.userId, c.displayName])), [ctx]);
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
  const byDay = (day: string) =>
    (data?.appointments ?? []).filter((a) => pragueParts(a.startsAt).day === day).sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const viewOptions = [
    {
      group: t("appointments.workers"),
      items: (ctx?.colleagues ?? []).map((c) => ({ value: `worker:${c.userId}`, label: c.displayName })),
    },
    { group: t("appointments.branches"), items: (ctx?.branches ?? []).map((b) => ({ value: `branch:${b.id}`, label: b.name })) },
  ];

  return (
    <Stack>
      <Title order={1}>{t("appointments.title")}</Title>
      <Group align="flex-end" justify="space-between">
        <Select
          label={t("appointments.calendarOf")}
          data={viewOptions}
          value={view}
          onChange={(v) => v && setView(v)}
          allowDeselect={false}
          searchable
          w={320}
        />
        <Group gap="xs" role="group" aria-label={t("appointments.week")}>
          <Button variant="default" onClick={() => setWeek(addDays(week, -7))}>
            {t("appointments.previousWeek")}
          </Button>
          <Button variant="default" onClick={() => setWeek(mondayOf(todayInPrague()))}>
            {t("appointments.thisWeek")}
          </Button>
          <Button variant="default" onClick={() => setWeek(addDays(week, 7))}>
            {t("appointments.nextWeek")}
          </Button>
        </Group>
      </Group>
      <ProblemAlert problem={problem} />
      <div aria-busy={fetching}>
        {fetching && !data ? (
          <Loading />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 4, lg: 7 }} spacing="xs" data-testid="week">
            {days.map((day) => (
              <section key={day} aria-label={formatWeekday(day, lang)}>
                <Text fw={700} size="sm" mb={4} c={day === todayInPrague() ? "blue.9" : undefined}>
                  {formatWeekday(day, lang)}
                </Text>
                <Stack gap={6}>
                  {byDay(day).map((a) => (
                    <Card key={a.id} withBorder padding={6} component="article" opacity={a.status === "CANCELLED" ? 0.7 : 1}>
                      <Text size="sm" fw={600} td={a.status === "CANCELLED" ? "line-through" : undefined}>
                        {formatTime(a.startsAt, lang)}–{formatTime(a.endsAt, lang)}
                      </Text>
                      <Text size="xs">{t(`interventionKind.${a.kind}`)}</Text>
                      <Text size="xs" c="dimmed">
                        {[names.get(a.workerId), a.place].filter(Boolean).join(" · ")}
                      </Text>
                      {a.clientId && (
                        <Anchor component={Link} to={`/clients/${a.clientId}`} size="xs">
                          {t("tasks.openClient")}
                        </Anchor>
                      )}
                      {a.status === "BOOKED" && (
                        <Group gap={4} mt={4}>
                          <Button size="compact-xs" variant="default" onClick={() => setEditing(a)}>
                            {t("appointments.move")}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="default"
                            onClick={() => {
                              const reason = window.prompt(t("appointments.cancelReason"));
                              if (reason !== null) void cancel({ id: a.id, reason }).then(() => refetch({ requestPolicy: "network-only" }));
                            }}
                          >
                            {t("appointments.cancel")}
                          </Button>
                        </Group>
                      )}
                    </Card>
                  ))}
                </Stack>
              </section>
            ))}
          </SimpleGrid>
        )}
      </div>
      <AppointmentForm
        key={editing?.id ?? "new"}
        editing={editing}
        defaultWorker={kindOf === "worker" ? id : (viewer?.id ?? "")}
        defaultDay={week <= todayInPrague() && todayInPrague() < addDays(week, 7) ? todayInPrague() : week}
        colleagues={ctx?.colleagues ?? []}
        branches={ctx?.branches ?? []}
        interpreters={(ctx?.interpreters ?? []).filter((i) => i.active)}
        onDone={(day) => {
          setEditing(null);
          if (day) setWeek(mondayOf(day));
          refetch({ requestPolicy: "network-only" });
        }}
      />
    </Stack>
  );
}

function AppointmentForm({
  editing,
  defaultWorker,
  defaultDay,
  colleagues,
  branches,
  interpreters,
  onDone,
}: {
  editing: Appointment | null;
  defaultWorker: string;
  defaultDay: string;
  colleagues: { userId: string; displayName: string }[];
  branches: { id: string; name: string }[];
  interpreters: { id: string; name: string; languages: string[] }[];
  onDone: (day?: string) => void;
}) {
  const { t } = useTranslation();
  const start = editing ? pragueParts(editing.startsAt) : null;
  const end = editing ? pragueParts(editing.endsAt) : null;
  const [client, setClient] = useState<PickedClient[]>([]);
  const [worker, setWorker] = useState<string>(editing?.workerId ?? defaultWorker);
  const [branch, setBranch] = useState<string | null>(editing?.branchId ?? null);
  const [day, setDay] = useState(start?.day ?? defaultDay);
  const [from, setFrom] = useState(start?.time ?? "09:00");
  const [to, setTo] = useState(end?.time ?? "10:00");
  const [kind, setKind] = useState<string>(editing?.kind ?? "SOCIAL_COUNSELLING");
  const [language, setLanguage] = useState<string>(editing?.language ?? "");
  const [interpreter, setInterpreter] = useState<string | null>(editing?.interpreterId ?? null);
  const [place, setPlace] = useState(editing?.place ?? "");
  const [note, setNote] = useState(editing?.note ?? "");
  const [bookState, book] = useMutation(Book);
  const [moveState, move] = useMutation(Move);
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const problem = problemOf(editing ? moveState.error : bookState.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const m = { day: !day, from: !from, to: !to };
    setMissing(m);
    if (m.day || m.from || m.to) return;
    const startsAt = pragueInstant(day, from);
    const endsAt = pragueInstant(day, to);
    const r = editing
      ? await move({ id: editing.id, startsAt, endsAt, workerId: worker || null })
      : await book({
          input: {
            clientId: client[0]?.id ?? null,
            workerId: worker || null,
            branchId: branch,
            kind: kind as InterventionKind,
            language,
            interpreterId: interpreter,
            startsAt,
            endsAt,
            place,
            note,
          },
        });
    if (!r.error) onDone(day);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="appointment-form">
      <Title order={2} size="h3" id="appointment-form" mb="sm">
        {editing ? t("appointments.moveTitle") : t("appointments.book")}
      </Title>
      <Stack>
        <ClashList problem={problem} />
        {problem && problem.code !== "CONFLICT" && problem.general.length > 0 && (
          <Alert color="red" role="alert">
            {problem.general.join(" ")}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {!editing && (
            <ClientPicker
              label={t("appointments.client")}
              value={client}
              onChange={(c) => setClient(c.slice(-1))}
              error={fieldError(problem, "clientId")}
            />
          )}
          <Select
            label={t("appointments.worker")}
            data={colleagues.map((c) => ({ value: c.userId, label: c.displayName }))}
            value={worker || null}
            onChange={(v) => setWorker(v ?? "")}
            searchable
            error={fieldError(problem, "workerId")}
          />
          <DayAndTimes
            day={day}
            from={from}
            to={to}
            onDay={setDay}
            onFrom={setFrom}
            onTo={setTo}
            errors={{
              day: missing.day ? t("form.required") : undefined,
              from: missing.from ? t("form.required") : fieldError(problem, "startsAt"),
              to: missing.to ? t("form.required") : fieldError(problem, "endsAt"),
            }}
          />
          {!editing && (
            <>
              <Select
                label={t("intervention.kind")}
                data={INTERVENTION_KINDS.map((k) => ({ value: k, label: t(`interventionKind.${k}`) }))}
                value={kind}
                onChange={(v) => v && setKind(v)}
                allowDeselect={false}
              />
              <LanguageSelect label={t("intervention.language")} value={language || null} onChange={(v) => setLanguage(v ?? "")} />
              <Select
                label={t("appointments.interpreter")}
                data={interpreters.map((i) => ({ value: i.id, label: `${i.name} (${i.languages.join(", ")})` }))}
                value={interpreter}
                onChange={setInterpreter}
                clearable
                error={fieldError(problem, "interpreterId")}
              />
              <Select
                label={t("appointments.branch")}
                data={branches.map((b) => ({ value: b.id, label: b.name }))}
                value={branch}
                onChange={setBranch}
                clearable
              />
              <TextInput label={t("intervention.place")} value={place} onChange={(e) => setPlace(e.currentTarget.value)} />
              <TextInput label={t("appointments.note")} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            </>
          )}
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={bookState.fetching || moveState.fetching}>
            {editing ? t("appointments.moveSubmit") : t("appointments.bookSubmit")}
          </Button>
          {editing && (
            <Button variant="default" onClick={() => onDone()}>
              {t("common.cancel")}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
