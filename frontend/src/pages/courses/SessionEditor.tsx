import { useState, type FormEvent } from "react";
import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useDebouncedValue } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import { fieldError, problemOf } from "../../api";
import { ProblemAlert } from "../../components/Feedback";
import { DayAndTimes } from "../../components/DayAndTimes";
import { ClashList, clashesOf, useClashText } from "../../components/Clashes";
import { pragueInstant, pragueParts } from "../../format";
import { outsideAvailability, type AvailabilityWindow } from "./availability";

const Move = graphql(`
  mutation MoveCourseSession($id: SessionId!, $startsAt: DateTime!, $endsAt: DateTime!, $roomId: RoomId, $overrideReason: String) {
    moveCourseSession(id: $id, startsAt: $startsAt, endsAt: $endsAt, roomId: $roomId, overrideReason: $overrideReason) {
      id
      startsAt
      endsAt
      roomId
    }
  }
`);

const Substitute = graphql(`
  mutation SetSessionSubstitute($id: SessionId!, $substituteId: UserId, $overrideReason: String) {
    setSessionSubstitute(id: $id, substituteId: $substituteId, overrideReason: $overrideReason) {
      id
      substituteId
    }
  }
`);

const CheckTime = graphql(`
  query CheckSessionTime($schedule: ScheduleInput!, $lecturerIds: [UserId!]!, $roomId: RoomId) {
    previewSchedule(schedule: $schedule, lecturerIds: $lecturerIds, roomId: $roomId) {
      clashes {
        ...ClashFields
      }
    }
  }
`);

const CancelSession = graphql(`
  mutation CancelCourseSession($id: SessionId!, $reason: String!) {
    cancelCourseSession(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

/** Cancelling a session: asks for the reason participants will see, then
 * calls `onCancelled`. Returns the action and the mutation's state. */
export function useCancelSession(onCancelled: () => void) {
  const { t } = useTranslation();
  const [state, cancel] = useMutation(CancelSession);
  const ask = (id: string) => {
    const reason = window.prompt(t("sessions.cancelReason"));
    if (reason !== null) void cancel({ id, reason }).then(onCancelled);
  };
  return [state, ask] as const;
}

/** The session being changed. */
export interface EditedSession {
  id: string;
  courseTitle: string;
  startsAt: string;
  endsAt: string;
  roomId?: string | null;
  substituteId?: string | null;
  lecturerIds?: string[];
}

/** Moves one session (day, time, room) or gives it a substitute lecturer;
 * a clash is listed and may be overridden with a reason. */
export function SessionEditor({
  session,
  rooms,
  lecturers,
  canOverride,
  onDone,
  toDay,
  windows = [],
}: {
  session: EditedSession;
  /** The lecturer's weekly availability, to warn before saving. */
  windows?: AvailabilityWindow[];
  /** A day the session was dragged to (the time stays). */
  toDay?: string;
  rooms: { value: string; label: string }[];
  lecturers: { value: string; label: string }[];
  canOverride: boolean;
  onDone: (changed: boolean) => void;
}) {
  const { t } = useTranslation();
  const start = pragueParts(session.startsAt);
  const [day, setDay] = useState(toDay ?? start.day);
  const [from, setFrom] = useState(start.time);
  const [to, setTo] = useState(pragueParts(session.endsAt).time);
  const [room, setRoom] = useState<string | null>(session.roomId ?? null);
  const [substitute, setSubstitute] = useState<string | null>(session.substituteId ?? null);
  const [reason, setReason] = useState("");
  const [moveState, move] = useMutation(Move);
  const [subState, substitute_] = useMutation(Substitute);
  const problem = problemOf(moveState.error ?? subState.error);
  const clashText = useClashText();
  // Clashes of the new time, shown before saving (not the session itself).
  const [check] = useDebouncedValue(
    { schedule: { rule: "FREQ=DAILY;COUNT=1", firstDay: day, startTime: from, endTime: to }, lecturerIds: substitute ? [substitute] : (session.lecturerIds ?? []), roomId: room },
    250,
  );
  const [{ data: checked }] = useQuery({ query: CheckTime, variables: check, pause: !check.schedule.firstDay || !from || !to });
  const ahead = (checked?.previewSchedule.clashes ?? []).filter((c) => c.withId !== session.id);
  const clashed = clashesOf(problem).length > 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const overrideReason = clashed && reason.trim() ? reason.trim() : null;
    const startsAt = pragueInstant(day, from);
    const endsAt = pragueInstant(day, to);
    if (startsAt !== session.startsAt || endsAt !== session.endsAt || room !== (session.roomId ?? null)) {
      const r = await move({ id: session.id, startsAt, endsAt, roomId: room, overrideReason });
      if (r.error) return;
    }
    if (substitute !== (session.substituteId ?? null)) {
      const r = await substitute_({ id: session.id, substituteId: substitute, overrideReason });
      if (r.error) return;
    }
    onDone(true);
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="session-editor">
      <Stack>
        <Title order={2} size="h4" id="session-editor">
          {t("sessions.change", { title: session.courseTitle })}
        </Title>
        <ClashList problem={problem} />
        {problem?.code !== "CONFLICT" && <ProblemAlert problem={problem} withFields />}
        {outsideAvailability(windows, day, from, to) && (
          <Alert color="yellow" role="status" data-testid="outside-availability">
            {t("sessions.outsideAvailability")}
          </Alert>
        )}
        {!problem && ahead.length > 0 && (
          <Text c="red.9" size="sm" role="status" data-testid="clash-preview">
            {t("sessions.wouldClash")} {ahead.map(clashText).join("; ")}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
          <DayAndTimes
            day={day}
            from={from}
            to={to}
            onDay={setDay}
            onFrom={setFrom}
            onTo={setTo}
            errors={{ from: fieldError(problem, "startsAt"), to: fieldError(problem, "endsAt") }}
          />
          <Select label={t("courses.room")} data={rooms} value={room} onChange={setRoom} clearable error={fieldError(problem, "roomId")} />
          <Select
            label={t("sessions.substitute")}
            data={lecturers}
            value={substitute}
            onChange={setSubstitute}
            clearable
            searchable
            error={fieldError(problem, "substituteId")}
          />
        </SimpleGrid>
        {clashed && canOverride && (
          <TextInput
            label={t("courses.overrideReason")}
            description={t("courses.overrideHelp")}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
        <Group>
          <Button type="submit" loading={moveState.fetching || subState.fetching}>
            {clashed && reason.trim() ? t("courses.saveAnyway") : t("common.save")}
          </Button>
          <Button variant="default" onClick={() => onDone(false)}>
            {t("common.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
