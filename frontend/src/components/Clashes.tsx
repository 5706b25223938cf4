import { Alert, Button, Fieldset, Group, List, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { fieldError, type ApiProblem } from "../api";
import { formatDateTime, formatTime } from "../format";
import { graphql } from "../gql";

/** The fields of a clash every schedule check asks for. */
export const ClashFields = graphql(`
  fragment ClashFields on ScheduleClash {
    resource
    resourceId
    resourceName
    withKind
    withId
    withTitle
    startsAt
    endsAt
  }
`);

/** A clash the server listed (a `CONFLICT`'s `clashes`, or a schedule
 * preview): who or what is booked twice, with what, when. */
export interface Clash {
  /** `lecturer`, `staff` (of an event), `room`, `interpreter` or `worker`. */
  resource: string;
  resourceName: string;
  /** `appointment`, `course session` or `event`. */
  withKind: string;
  withTitle: string;
  startsAt: string;
  endsAt: string;
}

/** The clashes of a refusal, or none. */
export function clashesOf(problem: ApiProblem | null): Clash[] {
  return problem?.code === "CONFLICT" ? (problem.clashes as Clash[]) : [];
}

/** One clash in words: "Jana Nováková already has a course session
 * „Čeština A1“ 3. 2. 2026 17:00–18:30". */
export function useClashText(): (c: Clash) => string {
  const { t, i18n } = useTranslation();
  return (c) =>
    t("appointments.clash", {
      who: c.resourceName,
      what: `${t(`clashWith.${c.withKind.replace(/ /g, "_")}`)}${c.withTitle ? ` „${c.withTitle}“` : ""}`,
      from: formatDateTime(c.startsAt, i18n.language),
      to: formatTime(c.endsAt, i18n.language),
    });
}

/** The clashes of the given resources, summed up per person or room for
 * the field's error ("Lenka Lektorka is elsewhere then (5×)"); the full
 * list is shown beside the form. */
export function useClashError(): (clashes: Clash[], ...resources: string[]) => string | undefined {
  const { t } = useTranslation();
  return (clashes, ...resources) => {
    const counts = new Map<string, number>();
    for (const c of clashes) if (resources.includes(c.resource)) counts.set(c.resourceName, (counts.get(c.resourceName) ?? 0) + 1);
    if (counts.size === 0) return undefined;
    return [...counts].map(([name, count]) => t("courses.fieldClash", { name, count })).join(" ");
  };
}

/** Every clash of a refused booking, in words, as an alert. */
export function ClashList({ problem }: { problem: ApiProblem | null }) {
  const { t } = useTranslation();
  const text = useClashText();
  if (!problem || problem.code !== "CONFLICT") return null;
  const clashes = problem.clashes as Clash[];
  return (
    <Alert color="red" role="alert" title={t("appointments.clashTitle")} data-testid="clashes">
      <List size="sm">
        {clashes.map((c, i) => (
          <List.Item key={i}>{text(c)}</List.Item>
        ))}
      </List>
      {clashes.length === 0 && problem.general.join(" ")}
    </Alert>
  );
}

/** The way past a refused clash: a reason (required) and a button that
 * sends the same change again with it, recorded with the clashes. */
export function OverrideClashes({
  reason,
  onReason,
  missing,
  problem,
  label,
  loading,
  onOverride,
}: {
  reason: string;
  onReason: (reason: string) => void;
  /** The reason was left empty. */
  missing: boolean;
  problem: ApiProblem | null;
  /** The button, e.g. "Create despite the clashes". */
  label: string;
  loading: boolean;
  onOverride: (e: React.MouseEvent) => void;
}) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t("courses.override")}>
      <Stack>
        <Text size="sm">{t("courses.overrideHelp")}</Text>
        <TextInput
          label={t("courses.overrideReason")}
          value={reason}
          onChange={(e) => onReason(e.currentTarget.value)}
          error={missing ? t("form.required") : fieldError(problem, "overrideReason")}
        />
        <Group>
          <Button color="red" onClick={onOverride} loading={loading}>
            {label}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
