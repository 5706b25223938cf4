import { useState, type FormEvent } from "react";
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { Audience, EventKind } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { LanguagesSelect, ProjectSelect } from "../../components/pickers";
import { DayAndTimes } from "../../components/DayAndTimes";
import { AUDIENCES, EVENT_KINDS } from "../../components/labels";
import { ClashList, OverrideClashes, clashesOf, useClashError } from "../../components/Clashes";
import { addDays, formatDateTime, formatTime, pragueInstant, todayInPrague } from "../../format";

const EventsQuery = graphql(`
  query Events($from: DateTime!, $to: DateTime!) {
    events(from: $from, to: $to) {
      id
      slug
      kind
      audience
      title
      startsAt
      endsAt
      venue
      capacity
      confirmed
      publicRegistration
      status
    }
  }
`);

const EventFormContext = graphql(`
  query EventFormContext {
    branches {
      id
      name
    }
    colleagues {
      userId
      displayName
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

const CreateEvent = graphql(`
  mutation CreateEvent($input: EventInput!, $overrideReason: String) {
    createEvent(input: $input, overrideReason: $overrideReason) {
      id
    }
  }
`);

/** The centre's events: upcoming (or past) with places taken, and the way
 * to a new one. */
export default function EventsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const today = todayInPrague();
  const [past, setPast] = useState(false);
  const [{ data, fetching, error }] = useQuery({
    query: EventsQuery,
    variables: past
      ? { from: pragueInstant(addDays(today, -365), "00:00"), to: pragueInstant(today, "00:00") }
      : { from: pragueInstant(today, "00:00"), to: pragueInstant(addDays(today, 730), "00:00") },
  });
  const rows = [...(data?.events ?? [])].sort((a, b) => (past ? b.startsAt.localeCompare(a.startsAt) : a.startsAt.localeCompare(b.startsAt)));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t("events.title")}</Title>
        {can("RUN_EVENTS") && (
          <Button component={Link} to="/manage/events/new">
            {t("events.new")}
          </Button>
        )}
      </Group>
      <Group>
        <Button variant={past ? "default" : "filled"} onClick={() => setPast(false)} aria-pressed={!past}>
          {t("events.upcoming")}
        </Button>
        <Button variant={past ? "filled" : "default"} onClick={() => setPast(true)} aria-pressed={past}>
          {t("events.past")}
        </Button>
      </Group>
      <ProblemAlert problem={problemOf(error)} />
      {fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t("events.none")}</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("events.when")}</Table.Th>
              <Table.Th>{t("events.name")}</Table.Th>
              <Table.Th>{t("events.kind")}</Table.Th>
              <Table.Th>{t("events.venue")}</Table.Th>
              <Table.Th>{t("events.registered")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  {formatDateTime(e.startsAt, lang)}–{formatTime(e.endsAt, lang)}
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/manage/events/${e.id}`}>
                    {e.title}
                  </Anchor>
                  {e.status === "CANCELLED" && (
                    <Badge ml="xs" color="gray">
                      {t("events.cancelled")}
                    </Badge>
                  )}
                  {e.publicRegistration && (
                    <Badge ml="xs" variant="light">
                      {t("events.public")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t(`eventKind.${e.kind}`)}</Table.Td>
                <Table.Td>{e.venue}</Table.Td>
                <Table.Td>
                  {e.confirmed}
                  {e.capacity != null ? ` / ${e.capacity}` : ""}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** A new event; with public registration it gets a page anyone can
 * register on. Its staff, room and interpreter are booked in the centre's
 * calendar: a clash refuses the event, listing every one, unless a planner
 * overrides it with a reason. */
export function EventNewPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const clashError = useClashError();
  const navigate = useNavigate();
  const [{ data: ctx }] = useQuery({ query: EventFormContext });
  const [kind, setKind] = useState<EventKind>("LECTURE_FOR_FOREIGNERS");
  const [audience, setAudience] = useState<Audience>("THIRD_COUNTRY_NATIONALS");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [branch, setBranch] = useState<string | null>(null);
  const [venue, setVenue] = useState("");
  const [onlineUrl, setOnlineUrl] = useState("");
  const [day, setDay] = useState(() => addDays(todayInPrague(), 14));
  const [from, setFrom] = useState("16:00");
  const [to, setTo] = useState("18:00");
  const [capacity, setCapacity] = useState<number | string>("");
  const [publicRegistration, setPublic] = useState(true);
  const [confirmByEmail, setConfirmByEmail] = useState(false);
  const [closesOn, setClosesOn] = useState("");
  const [languages, setLanguages] = useState<string[]>(["cs"]);
  const [project, setProject] = useState<string | null>(null);
  const [staff, setStaff] = useState<string[]>([]);
  const [room, setRoom] = useState<string | null>(null);
  const [interpreter, setInterpreter] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState("");
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [state, create] = useMutation(CreateEvent);
  const problem = problemOf(state.error);

  const refused = clashesOf(problem);
  const roomOptions = (ctx?.rooms ?? [])
    .filter((r) => !branch || r.branchId === branch)
    .map((r) => ({ value: r.id, label: r.capacity ? `${r.name} (${r.capacity})` : r.name }));

  async function submit(e: FormEvent, override = false) {
    e.preventDefault();
    const m = { title: !title.trim(), day: !day, from: !from, to: !to, reason: override && !overrideReason.trim() };
    setMissing(m);
    if (Object.values(m).some(Boolean)) return;
    const r = await create({
      input: {
        kind,
        audience,
        title: title.trim(),
        description,
        branchId: branch,
        venue,
        onlineUrl,
        startsAt: pragueInstant(day, from),
        endsAt: pragueInstant(day, to),
        capacity: capacity === "" ? null : Number(capacity),
        registrationClosesAt: closesOn ? pragueInstant(closesOn, "23:59") : null,
        publicRegistration,
        confirmByEmail: publicRegistration && confirmByEmail,
        languages,
        fundingProjectId: project,
        staffIds: staff,
        roomId: room,
        interpreterId: interpreter,
      },
      overrideReason: override ? overrideReason.trim() : null,
    });
    const id = r.data?.createEvent.id;
    if (id) void navigate(`/manage/events/${id}`);
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Title order={1}>{t("events.new")}</Title>
        <ProblemAlert problem={problem} />
        <Fieldset legend={t("events.about")}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <TextInput
              label={t("events.name")}
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={missing.title ? t("form.required") : fieldError(problem, "title")}
            />
            <Select
              label={t("events.kind")}
              data={EVENT_KINDS.map((k) => ({ value: k, label: t(`eventKind.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v as EventKind)}
              allowDeselect={false}
            />
            <Select
              label={t("events.audience")}
              data={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
              value={audience}
              onChange={(v) => v && setAudience(v as Audience)}
              allowDeselect={false}
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
            <Select
              label={t("courses.branch")}
              data={(ctx?.branches ?? []).map((b) => ({ value: b.id, label: b.name }))}
              value={branch}
              onChange={setBranch}
              clearable
              error={fieldError(problem, "branchId")}
            />
            <TextInput label={t("events.venue")} value={venue} onChange={(e) => setVenue(e.currentTarget.value)} error={fieldError(problem, "venue")} />
            <TextInput
              label={t("events.onlineUrl")}
              type="url"
              value={onlineUrl}
              onChange={(e) => setOnlineUrl(e.currentTarget.value)}
              error={fieldError(problem, "onlineUrl")}
            />
            <Select
              label={t("courses.room")}
              data={roomOptions}
              value={room}
              onChange={setRoom}
              clearable
              error={clashError(refused, "room") ?? fieldError(problem, "roomId")}
            />
            <MultiSelect
              label={t("events.staff")}
              data={(ctx?.colleagues ?? []).map((c) => ({ value: c.userId, label: c.displayName }))}
              value={staff}
              onChange={setStaff}
              searchable
              error={clashError(refused, "staff") ?? fieldError(problem, "staffIds")}
            />
            <Select
              label={t("courses.interpreter")}
              data={(ctx?.interpreters ?? []).filter((i) => i.active).map((i) => ({ value: i.id, label: `${i.name} (${i.languages.join(", ")})` }))}
              value={interpreter}
              onChange={setInterpreter}
              clearable
              error={clashError(refused, "interpreter") ?? fieldError(problem, "interpreterId")}
            />
            <NumberInput label={t("courses.capacity")} min={1} value={capacity} onChange={setCapacity} error={fieldError(problem, "capacity")} />
            <LanguagesSelect label={t("events.languages")} value={languages} onChange={setLanguages} />
            <ProjectSelect
              label={t("courses.project")}
              projects={ctx?.fundingProjects ?? []}
              value={project}
              onChange={setProject}
              clearable
              error={fieldError(problem, "fundingProjectId")}
            />
          </SimpleGrid>
          <Textarea mt="sm" label={t("courses.description")} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={3} />
        </Fieldset>
        <Fieldset legend={t("events.registration")}>
          <Stack>
            <Checkbox label={t("events.publicRegistration")} checked={publicRegistration} onChange={(e) => setPublic(e.currentTarget.checked)} />
            <Checkbox
              label={t("events.confirmByEmail")}
              description={t("events.confirmByEmailHelp")}
              checked={publicRegistration && confirmByEmail}
              disabled={!publicRegistration}
              onChange={(e) => setConfirmByEmail(e.currentTarget.checked)}
            />
            <TextInput
              label={t("events.closesOn")}
              type="date"
              value={closesOn}
              onChange={(e) => setClosesOn(e.currentTarget.value)}
              error={fieldError(problem, "registrationClosesAt")}
              w={240}
            />
          </Stack>
        </Fieldset>
        <ClashList problem={problem} />
        {refused.length > 0 && can("MANAGE_COURSES") && (
          <OverrideClashes
            reason={overrideReason}
            onReason={setOverrideReason}
            missing={!!missing.reason}
            problem={problem}
            label={t("events.createAnyway")}
            loading={state.fetching}
            onOverride={(e) => void submit(e, true)}
          />
        )}
        <Group>
          <Button type="submit" loading={state.fetching}>
            {t("events.create")}
          </Button>
          <Button component={Link} to="/manage/events" variant="default">
            {t("common.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
