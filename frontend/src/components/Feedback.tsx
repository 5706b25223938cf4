import { Alert, Loader, type AlertProps } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ApiProblem } from "../api";

/** What the server refused, as an alert screen readers announce; nothing
 * when there is no message to show. Field messages stay beside their
 * fields unless `withFields` (forms without those fields). */
export function ProblemAlert({
  problem,
  withFields = false,
  ...props
}: { problem: ApiProblem | null; withFields?: boolean } & Omit<AlertProps, "children">) {
  if (!problem) return null;
  const messages = withFields ? [...problem.general, ...Object.values(problem.fields)] : problem.general;
  if (messages.length === 0) return null;
  return (
    <Alert color="red" role="alert" {...props}>
      {messages.join(" ")}
    </Alert>
  );
}

/** A small spinner with its name for assistive technology. */
export function Loading() {
  const { t } = useTranslation();
  return <Loader size="sm" aria-label={t("common.loading")} />;
}
