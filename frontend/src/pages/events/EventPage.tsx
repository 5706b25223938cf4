import { useState, type FormEvent } from "react";
import {
  Anchor,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { Audience } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { AUDIENCES } from "../../components/labels";
import { formatDateTime, formatTime, languageName } from "../../format";

const EventQuery = graphql(`
  query Event($id: EventId!) {
    event(id: $id) {
      id
      slug
      kind
      audience
      title
      description
      venue
      onlineUrl
      startsAt
      endsAt
      capacity
      registrationClosesAt
      publicRegistration
      languages
      status
      confirmed
      staffIds
      roomId
      interpreterId
    }
    colleagues {
      userId
      displayName
    }
    rooms {
      id
      name
    }
    interpreters {
      id
      name
    }
    eventRegistrations(eventId: $id) {
      id
      name
      email
      organisation
      status
      code
      clientId
      checkedInAt
      createdAt
    }
    eventHeadcounts(eventId: $id) {
      audience
      count
    }
  }
`);

const CheckIn = graphql(`
  mutation CheckIn($eventId: EventId!, $registrationId: RegistrationId, $code: String) {
    checkIn(eventId: $eventId, registrationId: $registrationId, code: $code) {
      id
      name
      checkedInAt
    }
  }
`);

const CancelRegistration = graphql(`
  mutation CancelRegistration($registrationId: RegistrationId!) {
    cancelRegistration(registrationId: $registrationId) {
      id
      status
    }
  }
`);

const SetHeadcounts = graphql(`
  mutation SetEventHeadcounts($eventId: EventId!, $counts: [HeadcountInput!]!) {
    setEventHeadcounts(eventId: $eventId, counts: $counts) {
      audience
      count
    }
  }
`);

const CancelEvent = graphql(`
  mutation CancelEvent($id: EventId!) {
    cancelEvent(id: $id) {
      id
      status
    }
  }
`);

/** An event: its public page address, registrations with check-in (by
 * tapping a name or typing the code from the confirmation email), and
 * the head-counts of people who came without registering. */
export default function EventPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const [{ data, error, fetching }, refetch] = useQuery({ query: EventQuery, variables: { id } });
  const [checkState, checkIn] = useMutation(CheckIn);
  const [cancelState, cancelRegistration] = useMutation(CancelRegistration);
  const [eventState, cancelEvent] = useMutation(CancelEvent);
  const [code, setCode] = useState("");
  const [checked, setChecked] = useState<string | null>(null);
  const refresh = () => refetch({ requestPolicy: "network-only" });
  const problem = problemOf(checkState.error ?? cancelState.error ?? eventState.error);
  // An unknown code is said at the code field, not as a page error.
  const codeProblem = checkState.operation?.variables.code ? problem : null;
  if (error) return <ProblemAlert problem={problemOf(error)} withFields />;
  if (fetching && !data) return <Loading />;
  if (!data) return null;
  const e = data.event;
  const publicUrl = `${window.location.origin}/events/${e.slug}`;
  const regs = data.eventRegistrations;
  const present = regs.filter((r) => r.checkedInAt).length;

  async function byCode(ev: FormEvent) {
    ev.preventDefault();
    setChecked(null);
    const r = await checkIn({ eventId: id, code: code.trim() });
    if (r.data) {
      setChecked(r.data.checkIn.name);
      setCode("");
      refresh();
    }
  }

  async function tap(registrationId: string, name: string) {
    setChecked(null);
    const r = await checkIn({ eventId: id, registrationId });
    if (r.data) {
      setChecked(name);
      refresh();
    }
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{e.title}</Title>
        <Group>
          {e.status === "CANCELLED" && <Badge color="gray">{t("events.cancelled")}</Badge>}
          {e.status !== "CANCELLED" && can("RUN_EVENTS") && (
            <Button
              variant="default"
              onClick={() => {
                if (window.confirm(t("events.cancelConfirm"))) void cancelEvent({ id }).then(refresh);
              }}
            >
              {t("events.cancelEvent")}
            </Button>
          )}
        </Group>
      </Group>
      <ProblemAlert problem={codeProblem ? null : problem} withFields />
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} component="dl" m={0}>
          {(
            [
              [t("events.when"), `${formatDateTime(e.startsAt, lang)}–${formatTime(e.endsAt, lang)}`],
              [t("events.kind"), t(`eventKind.${e.kind}`)],
              [t("events.audience"), t(`audience.${e.audience}`)],
              [t("events.venue"), e.venue || e.onlineUrl],
              [t("events.registered"), `${e.confirmed}${e.capacity != null ? ` / ${e.capacity}` : ""}`],
              [t("events.languages"), e.languages.map((l) => languageName(l, lang)).join(", ")],
              [t("events.staff"), e.staffIds.map((u) => data?.colleagues.find((c) => c.userId === u)?.displayName ?? "").join(", ")],
              [t("courses.room"), data?.rooms.find((r) => r.id === e.roomId)?.name ?? ""],
              [t("courses.interpreter"), data?.interpreters.find((i) => i.id === e.interpreterId)?.name ?? ""],
              [t("events.closesOn"), formatDateTime(e.registrationClosesAt, lang)],
            ] as [string, string][]
          )
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
        {e.description && (
          <Text mt="sm" style={{ whiteSpace: "pre-line" }}>
            {e.description}
          </Text>
        )}
        {e.publicRegistration && (
          <Group mt="sm" align="flex-end">
            <TextInput label={t("events.publicPage")} value={publicUrl} readOnly w={420} />
            <CopyButton value={publicUrl}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? t("timetable.copied") : t("timetable.copy")}
                </Button>
              )}
            </CopyButton>
            <Anchor href={publicUrl} target="_blank" rel="noreferrer">
              {t("events.openPublic")}
            </Anchor>
          </Group>
        )}
      </Card>
      <Tabs defaultValue="checkin">
        <Tabs.List>
          <Tabs.Tab value="checkin">{t("events.checkInTab")}</Tabs.Tab>
          <Tabs.Tab value="headcounts">{t("events.headcounts")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="checkin" pt="md">
          <Stack>
            <form onSubmit={(ev) => void byCode(ev)} noValidate>
              <Group align="flex-end">
                <TextInput
                  label={t("events.code")}
                  description={t("events.codeHelp")}
                  value={code}
                  onChange={(ev) => setCode(ev.currentTarget.value)}
                  error={fieldError(problem, "code") ?? (codeProblem?.code === "NOT_FOUND" ? t("events.unknownCode") : undefined)}
                  autoComplete="off"
                />
                <Button type="submit" loading={checkState.fetching}>
                  {t("events.checkIn")}
                </Button>
              </Group>
            </form>
            <Group justify="space-between">
              <Text aria-live="polite">{t("events.present", { present, total: regs.filter((r) => r.status === "CONFIRMED").length })}</Text>
              {checked && (
                <Text role="status" c="var(--mantine-color-green-light-color)">
                  {t("events.checkedIn", { name: checked })}
                </Text>
              )}
            </Group>
            <Table striped data-testid="registrations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("events.person")}</Table.Th>
                  <Table.Th>{t("events.organisation")}</Table.Th>
                  <Table.Th>{t("enrolments.status")}</Table.Th>
                  <Table.Th>{t("events.code")}</Table.Th>
                  <Table.Th>{t("events.arrived")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {regs.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {r.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {r.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.organisation}</Table.Td>
                    <Table.Td>{t(`registrationStatus.${r.status}`)}</Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {r.code}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {r.checkedInAt ? (
                        formatTime(r.checkedInAt, lang)
                      ) : r.status === "CONFIRMED" ? (
                        <Group gap={4}>
                          <Button size="compact-md" onClick={() => void tap(r.id, r.name)} aria-label={t("events.checkInName", { name: r.name })}>
                            {t("events.checkIn")}
                          </Button>
                          <Button
                            size="compact-md"
                            variant="default"
                            onClick={() => {
                              if (window.confirm(t("events.cancelRegistrationConfirm", { name: r.name })))
                                void cancelRegistration({ registrationId: r.id }).then(refresh);
                            }}
                          >
                            {t("common.cancel")}
                          </Button>
                        </Group>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {regs.length === 0 && <Text c="dimmed">{t("events.noRegistrations")}</Text>}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="headcounts" pt="md">
          <Headcounts eventId={id} initial={data.eventHeadcounts} onSaved={refresh} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** People who came without registering, per audience. */
function Headcounts({
  eventId,
  initial,
  onSaved,
}: {
  eventId: string;
  initial: { audience: Audience; count: number }[];
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<Record<string, number | string>>(() =>
    Object.fromEntries(AUDIENCES.map((a) => [a, initial.find((h) => h.audience === a)?.count ?? 0])),
  );
  const [state, save] = useMutation(SetHeadcounts);
  const [saved, setSaved] = useState(false);
  return (
    <form
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        setSaved(false);
        void save({ eventId, counts: AUDIENCES.map((a) => ({ audience: a, count: Number(counts[a]) || 0 })) }).then((r) => {
          if (!r.error) {
            setSaved(true);
            onSaved();
          }
        });
      }}
    >
      <Text size="sm" mb="sm">
        {t("events.headcountsHelp")}
      </Text>
      <ProblemAlert problem={problemOf(state.error)} withFields />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {AUDIENCES.map((a) => (
          <NumberInput key={a} label={t(`audience.${a}`)} min={0} value={counts[a]} onChange={(v) => setCounts({ ...counts, [a]: v })} />
        ))}
      </SimpleGrid>
      <Group mt="sm">
        <Button type="submit" loading={state.fetching}>
          {t("common.save")}
        </Button>
        {saved && (
          <Text role="status" c="var(--mantine-color-green-light-color)">
            {t("events.headcountsSaved")}
          </Text>
        )}
      </Group>
    </form>
  );
}
