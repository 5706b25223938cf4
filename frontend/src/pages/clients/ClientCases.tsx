import { useState, type FormEvent } from "react";
import {
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../../components/Feedback";
import AskFeedback from "../../components/AskFeedback";
import { graphql } from "../../gql";
import type { CaseKind, CaseStatus, ClientCasesQuery, GoalStatus } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { formatDate } from "../../format";

const GOAL_STATUSES = ["PLANNED", "IN_PROGRESS", "ACHIEVED", "DROPPED"] as const;
const CASE_STATUSES = ["OPEN", "ON_HOLD", "CLOSED"] as const;

const CasesQuery = graphql(`
  query ClientCases($clientId: ClientId!) {
    cases(clientId: $clientId) {
      ...CaseFields
    }
  }
  fragment CaseFields on Case {
    id
    kind
    title
    status
    openedOn
    closedOn
    goals {
      id
      description
      status
      progress
      progressNote
      targetOn
    }
  }
`);

const OpenCase = graphql(`
  mutation OpenCase($clientId: ClientId!, $input: CaseInput!) {
    openCase(clientId: $clientId, input: $input) {
      ...CaseFields
    }
  }
`);

const UpdateCase = graphql(`
  mutation UpdateCase($id: CaseId!, $input: CaseChangeInput!) {
    updateCase(id: $id, input: $input) {
      ...CaseFields
    }
  }
`);

const AddGoal = graphql(`
  mutation AddCaseGoal($caseId: CaseId!, $input: GoalInput!) {
    addCaseGoal(caseId: $caseId, input: $input) {
      ...CaseFields
    }
  }
`);

const UpdateGoal = graphql(`
  mutation UpdateCaseGoal($goalId: GoalId!, $input: GoalInput!) {
    updateCaseGoal(goalId: $goalId, input: $input) {
      ...CaseFields
    }
  }
`);

type CaseData = ClientCasesQuery["cases"][number];

/** The client's cases with the goals of their individual plan. */
export function ClientCases({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const canCounsel = can("COUNSEL");
  const [{ data, fetching, error }, refetch] = useQuery({ query: CasesQuery, variables: { clientId } });
  const problem = problemOf(error);
  return (
    <Stack gap="lg">
      <ProblemAlert problem={problem} />
      {fetching && !data ? (
        <Loading />
      ) : data?.cases.length === 0 ? (
        <Text>{t("cases.none")}</Text>
      ) : (
        data?.cases.map((c) => <CaseCard key={c.id} c={c} canEdit={canCounsel} />)
      )}
      {canCounsel && <OpenCaseForm clientId={clientId} onOpened={() => refetch({ requestPolicy: "network-only" })} />}
    </Stack>
  );
}

function CaseCard({ c, canEdit }: { c: CaseData; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [caseState, updateCase] = useMutation(UpdateCase);
  const [addingGoal, setAddingGoal] = useState(false);
  const problem = problemOf(caseState.error);
  const headingId = `case-${c.id}`;
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h4" id={headingId}>
            {c.title}
          </Title>
          <Text size="sm" c="dimmed">
            {t(`caseKind.${c.kind}`)} · {t("cases.opened", { on: formatDate(c.openedOn, lang) })}
            {c.closedOn ? ` · ${t("cases.closed", { on: formatDate(c.closedOn, lang) })}` : ""}
          </Text>
        </div>
        {canEdit ? (
          <Select
            aria-label={t("cases.statusOf", { title: c.title })}
            data={CASE_STATUSES.map((s) => ({ value: s, label: t(`caseStatus.${s}`) }))}
            value={c.status}
            allowDeselect={false}
            onChange={(s) => s && s !== c.status && void updateCase({ id: c.id, input: { status: s as CaseStatus } })}
            w={180}
          />
        ) : (
          <Badge variant="light">{t(`caseStatus.${c.status}`)}</Badge>
        )}
      </Group>
      <ProblemAlert problem={problem} withFields mt="sm" />
      {canEdit && c.status === "CLOSED" && (
        <div style={{ marginTop: "var(--mantine-spacing-sm)" }}>
          <AskFeedback caseId={c.id} />
        </div>
      )}
      <Title order={3} size="h5" mt="md" mb="xs">
        {t("cases.goals")}
      </Title>
      {c.goals.length === 0 ? (
        <Text size="sm">{t("cases.noGoals")}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("cases.goal")}</Table.Th>
              <Table.Th>{t("cases.goalStatus")}</Table.Th>
              <Table.Th>{t("cases.progress")}</Table.Th>
              <Table.Th>{t("cases.targetOn")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.goals.map((g) => (
              <GoalRow key={g.id} goal={g} canEdit={canEdit} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canEdit &&
        (addingGoal ? (
          <GoalForm caseId={c.id} onDone={() => setAddingGoal(false)} />
        ) : (
          <Group mt="sm">
            <Button variant="default" size="xs" onClick={() => setAddingGoal(true)}>
              {t("cases.addGoal")}
            </Button>
          </Group>
        ))}
    </Card>
  );
}

function GoalRow({ goal, canEdit }: { goal: CaseData["goals"][number]; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const [state, update] = useMutation(UpdateGoal);
  const [progress, setProgress] = useState<number | string>(goal.progress);
  const problem = problemOf(state.error);
  const save = (status: string, p: number) =>
    void update({
      goalId: goal.id,
      input: {
        description: goal.description,
        status: status as GoalStatus,
        progress: p,
        progressNote: goal.progressNote,
        targetOn: goal.targetOn ?? null,
      },
    });
  return (
    <Table.Tr>
      <Table.Td>
        {goal.description}
        {goal.progressNote && (
          <Text size="xs" c="dimmed">
            {goal.progressNote}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {canEdit ? (
          <Select
            aria-label={t("cases.goalStatusOf", { goal: goal.description })}
            data={GOAL_STATUSES.map((s) => ({ value: s, label: t(`goalStatus.${s}`) }))}
            value={goal.status}
            allowDeselect={false}
            size="xs"
            onChange={(s) => s && save(s, s === "ACHIEVED" ? 100 : Number(progress) || 0)}
          />
        ) : (
          t(`goalStatus.${goal.status}`)
        )}
      </Table.Td>
      <Table.Td miw={160}>
        {canEdit ? (
          <NumberInput
            aria-label={t("cases.progressOf", { goal: goal.description })}
            size="xs"
            min={0}
            max={100}
            suffix=" %"
            value={progress}
            onChange={setProgress}
            onBlur={() => Number(progress) !== goal.progress && save(goal.status, Number(progress) || 0)}
            error={fieldError(problem, "progress")}
          />
        ) : (
          <Progress value={goal.progress} aria-label={t("cases.progress")} />
        )}
      </Table.Td>
      <Table.Td>{formatDate(goal.targetOn, i18n.language)}</Table.Td>
    </Table.Tr>
  );
}

function GoalForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [description, setDescription] = useState("");
  const [targetOn, setTargetOn] = useState("");
  const [state, add] = useMutation(AddGoal);
  const problem = problemOf(state.error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await add({ caseId, input: { description, targetOn: targetOn || null } });
    if (!r.error) onDone();
  }
  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-end" mt="sm">
        <TextInput
          label={t("cases.goal")}
          required
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={fieldError(problem, "description")}
          miw={320}
          data-autofocus
        />
        <TextInput
          label={t("cases.targetOn")}
          type="date"
          value={targetOn}
          onChange={(e) => setTargetOn(e.currentTarget.value)}
          error={fieldError(problem, "targetOn")}
        />
        <Button type="submit" loading={state.fetching}>
          {t("cases.addGoal")}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </Group>
    </form>
  );
}

function OpenCaseForm({ clientId, onOpened }: { clientId: string; onOpened: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string>("SOCIAL");
  const [title, setTitle] = useState("");
  const [goal, setGoal] = useState("");
  const [state, open] = useMutation(OpenCase);
  const problem = problemOf(state.error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await open({
      clientId,
      input: { kind: kind as CaseKind, title, goals: goal.trim() ? [{ description: goal }] : [] },
    });
    if (!r.error) {
      setTitle("");
      setGoal("");
      onOpened();
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="open-case">
      <Title order={2} size="h4" id="open-case" mb="sm">
        {t("cases.open")}
      </Title>
      <ProblemAlert problem={problem} mb="sm" />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t("cases.kind")}
          data={[
            { value: "SOCIAL", label: t("caseKind.SOCIAL") },
            { value: "LEGAL", label: t("caseKind.LEGAL") },
          ]}
          value={kind}
          allowDeselect={false}
          onChange={(v) => v && setKind(v)}
        />
        <TextInput label={t("cases.title")} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(problem, "title")} />
        <TextInput label={t("cases.firstGoal")} value={goal} onChange={(e) => setGoal(e.currentTarget.value)} error={fieldError(problem, "description")} />
      </SimpleGrid>
      <Button type="submit" mt="sm" loading={state.fetching}>
        {t("cases.openSubmit")}
      </Button>
    </form>
  );
}
