import { TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** A day and a from–to time in Prague, as three fields for the caller's
 * grid, each with its own error (a missing value or the server's). */
export function DayAndTimes({
  day,
  from,
  to,
  onDay,
  onFrom,
  onTo,
  errors = {},
}: {
  day: string;
  from: string;
  to: string;
  onDay: (v: string) => void;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
  errors?: { day?: string; from?: string; to?: string };
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput label={t("intervention.date")} type="date" required value={day} onChange={(e) => onDay(e.currentTarget.value)} error={errors.day} />
      <TextInput label={t("appointments.from")} type="time" required value={from} onChange={(e) => onFrom(e.currentTarget.value)} error={errors.from} />
      <TextInput label={t("appointments.to")} type="time" required value={to} onChange={(e) => onTo(e.currentTarget.value)} error={errors.to} />
    </>
  );
}
