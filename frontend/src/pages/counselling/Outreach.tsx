import { useMemo, useState, type FormEvent } from "react";
import { Anchor, Button, Chip, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { Weekday } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { addDays, formatDate, formatTime, formatWeekday, todayInPrague, weekdayName } from "../../format";

const OutreachQuery = graphql(`
  query Outreach($from: Date!, $to: Date!) {
    outreachSlots {
      id
      title
      place
      municipality
      workerId
      startsTime
      endsTime
      validFrom
      validTo
      rrule
    }
    outreachSchedule(from: $from, to: $to) {
      slotId
      date
      startsAt
      endsAt
      recordedInterventionIds
    }
    colleagues {
      userId
      displayName
    }
    branches {
      id
      name
    }
  }
`);

const CreateSlot = graphql(`
  mutation CreateOutreachSlot($input: OutreachSlotInput!) {
    createOutreachSlot(input: $input) {
      id
    }
  }
`);

const WEEKDAYS: Weekday[] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/** Outreach: the centre's recurring presence (an office desk, field work)
 * and the next four weeks of it, each session with the services recorded
 * there and the way to record a field contact; admins add slots. */
export default function OutreachPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const today = todayInPrague();
  const [{ data, error, fetching }, refetch] = useQuery({ query: OutreachQuery, variables: { from: today, to: addDays(today, 27) } });
  const slots = useMemo(() => new Map((data?.outreachSlots ?? []).map((s) => [s.id, s])), [data]);
  const names = useMemo(() => new Map((data?.colleagues ?? []).map((c) => [c.userId, c.displayName])), [data]);
  return (
    <Stack gap="xl">
      <Title order={1}>{t("outreach.title")}</Title>
      <ProblemAlert problem={problemOf(error)} />
      {fetching && !data ? <Loading /> : null}
      <section aria-labelledby="schedule-title">
        <Title order={2} size="h3" id="schedule-title" mb="xs">
          {t("outreach.next")}
        </Title>
        {(data?.outreachSchedule ?? []).length === 0 ? (
          <Text c="dimmed">{t("outreach.none")}</Text>
        ) : (
          <Table striped data-testid="outreach-schedule">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("outreach.when")}</Table.Th>
                <Table.Th>{t("outreach.slot")}</Table.Th>
                <Table.Th>{t("outreach.worker")}</Table.Th>
                <Table.Th>{t("outreach.recorded")}</Table.Th>
                <Table.Th>{t("sessions.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(data?.outreachSchedule ?? []).map((o) => {
                const s = slots.get(o.slotId);
                return (
                  <Table.Tr key={`${o.slotId}-${o.date}`}>
                    <Table.Td>
                      {formatWeekday(o.date, lang)} {formatTime(o.startsAt, lang)}–{formatTime(o.endsAt, lang)}
                    </Table.Td>
                    <Table.Td>
                      {s?.title}
                      <Text size="xs" c="dimmed">
                        {[s?.place, s?.municipality].filter(Boolean).join(", ")}
                      </Text>
                    </Table.Td>
                    <Table.Td>{s?.workerId ? names.get(s.workerId) : ""}</Table.Td>
                    <Table.Td>{o.recordedInterventionIds.length}</Table.Td>
                    <Table.Td>
                      {can("SERVE_DESK") && o.date <= today && (
                        <Anchor
                          component={Link}
                          to={`/interventions/new?slot=${o.slotId}&date=${o.date}&place=${encodeURIComponent(s?.place ?? "")}`}
                        >
                          {t("outreach.record")}
                        </Anchor>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="slots-title">
        <Title order={2} size="h3" id="slots-title" mb="xs">
          {t("outreach.slots")}
        </Title>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("outreach.slot")}</Table.Th>
              <Table.Th>{t("outreach.time")}</Table.Th>
              <Table.Th>{t("outreach.valid")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.outreachSlots ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  {s.title}
                  <Text size="xs" c="dimmed">
                    {[s.place, s.municipality].filter(Boolean).join(", ")}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {s.startsTime}–{s.endsTime}
                </Table.Td>
                <Table.Td>
                  {formatDate(s.validFrom, lang)} – {formatDate(s.validTo, lang)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
      {can("MANAGE_CENTRE") && (
        <SlotForm
          colleagues={data?.colleagues ?? []}
          branches={data?.branches ?? []}
          onDone={() => refetch({ requestPolicy: "network-only" })}
        />
      )}
    </Stack>
  );
}

function SlotForm({
  colleagues,
  branches,
  onDone,
}: {
  colleagues: { userId: string; displayName: string }[];
  branches: { id: string; name: string }[];
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [title, setTitle] = useState("");
  const [place, setPlace] = useState("");
  const [municipality, setMunicipality] = useState("");
  const [branch, setBranch] = useState<string | null>(null);
  const [worker, setWorker] = useState<string | null>(null);
  const [days, setDays] = useState<string[]>(["MONDAY"]);
  const [every, setEvery] = useState<number | string>(1);
  const [from, setFrom] = useState("09:00");
  const [to, setTo] = useState("12:00");
  const [validFrom, setValidFrom] = useState(todayInPrague());
  const [validTo, setValidTo] = useState("");
  const [state, create] = useMutation(CreateSlot);
  const problem = problemOf(state.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await create({
      input: {
        title,
        place,
        municipality,
        branchId: branch,
        workerId: worker,
        weekdays: days as Weekday[],
        everyWeeks: Number(every) || 1,
        startsTime: from,
        endsTime: to,
        validFrom,
        validTo: validTo || null,
      },
    });
    if (!r.error) {
      setTitle("");
      setPlace("");
      onDone();
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Fieldset legend={t("outreach.new")}>
        <Stack>
          <ProblemAlert problem={problem} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <TextInput label={t("outreach.slotTitle")} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(problem, "title")} />
            <TextInput label={t("outreach.place")} required value={place} onChange={(e) => setPlace(e.currentTarget.value)} error={fieldError(problem, "place")} />
            <TextInput label={t("outreach.municipality")} value={municipality} onChange={(e) => setMunicipality(e.currentTarget.value)} />
            <Select label={t("courses.branch")} data={branches.map((b) => ({ value: b.id, label: b.name }))} value={branch} onChange={setBranch} clearable />
            <Select
              label={t("outreach.worker")}
              data={colleagues.map((c) => ({ value: c.userId, label: c.displayName }))}
              value={worker}
              onChange={setWorker}
              clearable
              searchable
              error={fieldError(problem, "workerId")}
            />
            <NumberInput label={t("outreach.everyWeeks")} min={1} max={8} value={every} onChange={setEvery} error={fieldError(problem, "everyWeeks")} />
            <TextInput label={t("appointments.from")} type="time" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(problem, "startsTime")} />
            <TextInput label={t("appointments.to")} type="time" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(problem, "endsTime")} />
            <TextInput label={t("outreach.validFrom")} type="date" value={validFrom} onChange={(e) => setValidFrom(e.currentTarget.value)} error={fieldError(problem, "validFrom")} />
            <TextInput label={t("outreach.validTo")} type="date" value={validTo} onChange={(e) => setValidTo(e.currentTarget.value)} error={fieldError(problem, "validTo")} />
          </SimpleGrid>
          <Chip.Group multiple value={days} onChange={setDays}>
            <Group gap="xs" role="group" aria-label={t("courses.weekdays")}>
              {WEEKDAYS.map((d, i) => (
                <Chip key={d} value={d}>
                  {weekdayName(i, i18n.language)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {fieldError(problem, "weekdays") && (
            <Text c="red.9" size="sm">
              {fieldError(problem, "weekdays")}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={state.fetching}>
              {t("outreach.add")}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
