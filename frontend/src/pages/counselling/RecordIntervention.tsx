import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
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
import { useHotkeys } from "@mantine/hooks";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { InterventionInput, InterventionKind, NoteKind, ServiceForm, TargetOffice, Topic } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { todayInPrague } from "../../format";
import { ClientPicker, type PickedClient } from "../../components/ClientPicker";
import { LanguageSelect } from "../../components/pickers";
import { INTERVENTION_KINDS, SERVICE_FORMS, TOPICS } from "../../components/labels";

const TARGET_OFFICES = [
  "OAMP",
  "FOREIGN_POLICE",
  "LABOUR_OFFICE",
  "SOCIAL_SECURITY",
  "TAX_OFFICE",
  "HEALTH_INSURER",
  "SCHOOL",
  "DOCTOR",
  "OTHER",
] as const;

const FormContext = graphql(`
  query InterventionFormContext {
    fundingProjects {
      id
      registrationNumber
      name
      startsOn
      endsOn
    }
  }
`);

const PreselectedClient = graphql(`
  query PreselectedClient($id: ClientId!) {
    client(id: $id) {
      id
      givenName
      familyName
      nationality
      languages
    }
  }
`);

const RecordMutation = graphql(`
  mutation RecordIntervention($input: InterventionInput!) {
    recordIntervention(input: $input) {
      id
      occurredOn
      participants {
        clientId
        countsTowardIndicators
        eligibilityReason
      }
    }
  }
`);

interface Values {
  clients: PickedClient[];
  anonymousCount: number;
  occurredOn: string;
  durationMinutes: number | string;
  kind: string;
  form: string;
  targetOffice: string;
  topics: string[];
  language: string;
  place: string;
  outcome: string;
  fundingProjectId: string;
  followUp: boolean;
  followUpTitle: string;
  followUpDue: string;
  noteKind: string;
  note: string;
}

function initial(): Values {
  return {
    clients: [],
    anonymousCount: 0,
    occurredOn: todayInPrague(),
    durationMinutes: 30,
    kind: "SOCIAL_COUNSELLING",
    form: "OFFICE",
    targetOffice: "",
    topics: [],
    language: "",
    place: "",
    outcome: "",
    fundingProjectId: "",
    followUp: false,
    followUpTitle: "",
    followUpDue: "",
    noteKind: "SOCIAL",
    note: "",
  };
}

/** Records an intervention, one person or a group, in a few keystrokes:
 * today, me, the client's language and the project in force are filled in. */
export default function RecordInterventionPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  // Ctrl+Enter (Cmd+Enter) saves from any field, inputs included.
  useHotkeys([["mod+Enter", () => formRef.current?.requestSubmit()]], []);
  const [params] = useSearchParams();
  const preselected = params.get("client");
  // From an outreach session: its slot, day and place; a field contact.
  const slot = params.get("slot");
  const [values, setValues] = useState<Values>(() =>
    slot
      ? { ...initial(), occurredOn: params.get("date") ?? todayInPrague(), kind: "FIELD_CONTACT", form: "FIELD", place: params.get("place") ?? "" }
      : initial(),
  );
  const [saved, setSaved] = useState<{ id: string; clientId: string | null; counts: boolean } | null>(null);
  const [{ data: ctx }] = useQuery({ query: FormContext });
  const [{ data: pre }] = useQuery({
    query: PreselectedClient,
    variables: { id: preselected ?? "" },
    pause: !preselected,
  });
  const [{ fetching, error }, record] = useMutation(RecordMutation);
  const problem = problemOf(error);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((s) => ({ ...s, [k]: v }));

  // The preselected client and their first language.
  useEffect(() => {
    const c = pre?.client;
    if (!c) return;
    setValues((s) =>
      s.clients.length
        ? s
        : {
            ...s,
            clients: [{ id: c.id, label: `${c.familyName} ${c.givenName} (${c.nationality})` }],
            language: s.language || c.languages[0] || "",
          },
    );
  }, [pre]);

  // The project in force on the service date.
  const projects = useMemo(() => ctx?.fundingProjects ?? [], [ctx]);
  useEffect(() => {
    if (values.fundingProjectId || projects.length === 0) return;
    const inForce = projects.filter((p) => p.startsOn <= values.occurredOn && values.occurredOn <= p.endsOn);
    const pick = inForce[0] ?? projects[0];
    if (pick) setValues((s) => ({ ...s, fundingProjectId: pick.id }));
  }, [projects, values.occurredOn, values.fundingProjectId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input: InterventionInput = {
      clientIds: values.clients.map((c) => c.id),
      anonymousCount: values.anonymousCount,
      occurredOn: values.occurredOn || null,
      durationMinutes: Number(values.durationMinutes) || 0,
      kind: values.kind as InterventionKind,
      form: values.form as ServiceForm,
      targetOffice: values.kind === "ACCOMPANIMENT" && values.targetOffice ? (values.targetOffice as TargetOffice) : null,
      topics: values.topics as Topic[],
      language: values.language,
      place: values.place,
      outcome: values.outcome,
      fundingProjectId: values.fundingProjectId,
      followUp: values.followUp ? { title: values.followUpTitle, dueOn: values.followUpDue } : null,
      note: values.note.trim() ? { kind: values.noteKind as NoteKind, body: values.note } : null,
      outreachSlotId: slot,
    };
    const r = await record({ input });
    const iv = r.data?.recordIntervention;
    if (iv) {
      setSaved({
        id: iv.id,
        clientId: values.clients[0]?.id ?? null,
        counts: iv.participants.every((p) => p.countsTowardIndicators),
      });
      setValues((s) => ({ ...initial(), fundingProjectId: s.fundingProjectId, occurredOn: s.occurredOn }));
    }
  }

  const err = (...names: string[]) => fieldError(problem, ...names);
  const canLegal = can("READ_LEGAL_NOTES");
  return (
    <Stack>
      <Title order={1}>{t("intervention.title")}</Title>
      {saved && (
        <Alert color="green" role="status" title={t("intervention.saved")}>
          <Text size="sm">{saved.counts ? t("intervention.counts") : t("intervention.doesNotCount")}</Text>
          {saved.clientId && (
            <Anchor component={Link} to={`/clients/${saved.clientId}`} size="sm">
              {t("intervention.openClient")}
            </Anchor>
          )}
        </Alert>
      )}
      <ProblemAlert problem={problem} />
      <form onSubmit={submit} noValidate ref={formRef}>
        <Stack>
          <Fieldset legend={t("intervention.who")}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <ClientPicker
                label={t("intervention.clients")}
                description={t("intervention.clientsHint")}
                value={values.clients}
                onChange={(c) => set("clients", c)}
                error={err("clientIds")}
                autoFocus={!preselected}
              />
              <NumberInput
                label={t("intervention.anonymousCount")}
                min={0}
                value={values.anonymousCount}
                onChange={(v) => set("anonymousCount", Number(v) || 0)}
                error={err("anonymousCount")}
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend={t("intervention.what")}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t("intervention.date")}
                type="date"
                required
                value={values.occurredOn}
                onChange={(e) => set("occurredOn", e.currentTarget.value)}
                error={err("occurredOn")}
              />
              <NumberInput
                label={t("intervention.duration")}
                required
                min={1}
                step={5}
                value={values.durationMinutes}
                onChange={(v) => set("durationMinutes", v)}
                error={err("durationMinutes")}
                autoFocus={!!preselected}
              />
              <Select
                label={t("intervention.kind")}
                required
                allowDeselect={false}
                data={INTERVENTION_KINDS.map((k) => ({ value: k, label: t(`interventionKind.${k}`) }))}
                value={values.kind}
                onChange={(v) => v && set("kind", v)}
                error={err("kind")}
              />
              <Select
                label={t("intervention.form")}
                required
                allowDeselect={false}
                data={SERVICE_FORMS.map((k) => ({ value: k, label: t(`serviceForm.${k}`) }))}
                value={values.form}
                onChange={(v) => v && set("form", v)}
                error={err("form")}
              />
              {values.kind === "ACCOMPANIMENT" && (
                <Select
                  label={t("intervention.targetOffice")}
                  required
                  data={TARGET_OFFICES.map((k) => ({ value: k, label: t(`targetOffice.${k}`) }))}
                  value={values.targetOffice || null}
                  onChange={(v) => set("targetOffice", v ?? "")}
                  error={err("targetOffice")}
                />
              )}
              <LanguageSelect
                label={t("intervention.language")}
                value={values.language || null}
                onChange={(v) => set("language", v ?? "")}
                error={err("language")}
              />
            </SimpleGrid>
            <MultiSelect
              mt="sm"
              label={t("intervention.topics")}
              required
              data={TOPICS.map((k) => ({ value: k, label: t(`topic.${k}`) }))}
              value={values.topics}
              onChange={(v) => set("topics", v)}
              error={err("topics")}
              searchable
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
              <TextInput
                label={t("intervention.place")}
                value={values.place}
                onChange={(e) => set("place", e.currentTarget.value)}
                error={err("place")}
              />
              <Select
                label={t("intervention.project")}
                required
                allowDeselect={false}
                data={projects.map((p) => ({ value: p.id, label: `${p.registrationNumber} ${p.name}` }))}
                value={values.fundingProjectId || null}
                onChange={(v) => v && set("fundingProjectId", v)}
                error={err("fundingProjectId")}
              />
            </SimpleGrid>
            <Textarea
              mt="sm"
              label={t("intervention.outcome")}
              autosize
              minRows={2}
              value={values.outcome}
              onChange={(e) => set("outcome", e.currentTarget.value)}
              error={err("outcome")}
            />
          </Fieldset>
          <Fieldset legend={t("intervention.followUpAndNote")}>
            <Checkbox
              label={t("intervention.followUp")}
              checked={values.followUp}
              onChange={(e) => set("followUp", e.currentTarget.checked)}
            />
            {values.followUp && (
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
                <TextInput
                  label={t("intervention.followUpTitle")}
                  required
                  value={values.followUpTitle}
                  onChange={(e) => set("followUpTitle", e.currentTarget.value)}
                  error={err("followUp.title", "title")}
                />
                <TextInput
                  label={t("intervention.followUpDue")}
                  type="date"
                  required
                  value={values.followUpDue}
                  onChange={(e) => set("followUpDue", e.currentTarget.value)}
                  error={err("followUp.dueOn", "dueOn")}
                />
              </SimpleGrid>
            )}
            <SimpleGrid cols={{ base: 1, sm: 4 }} mt="sm">
              <Select
                label={t("intervention.noteKind")}
                allowDeselect={false}
                data={[
                  { value: "SOCIAL", label: t("noteKind.SOCIAL") },
                  ...(canLegal ? [{ value: "LEGAL", label: t("noteKind.LEGAL") }] : []),
                ]}
                value={values.noteKind}
                onChange={(v) => v && set("noteKind", v)}
              />
              <Textarea
                style={{ gridColumn: "span 3" }}
                label={t("intervention.note")}
                description={t("intervention.noteHint")}
                autosize
                minRows={2}
                value={values.note}
                onChange={(e) => set("note", e.currentTarget.value)}
                error={err("note.body", "body")}
              />
            </SimpleGrid>
          </Fieldset>
          <Group>
            <Button type="submit" loading={fetching}>
              {t("intervention.submit")}
            </Button>
            <Text size="sm" c="dimmed">
              {t("intervention.keyboardHint")}
            </Text>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
