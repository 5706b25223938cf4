import { useState, type FormEvent } from "react";
import { Alert, Button, PasswordInput, Stack } from "@mantine/core";
import { useLocation } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { fieldError, problemOf } from "../api";
import { DoneMessage, PublicFrame } from "./PublicFrame";

const ResetMutation = graphql(`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password)
  }
`);

/** Sets a new password from the emailed link (`/reset-password#TOKEN`; the
 * token stays in the fragment, so it never reaches a server log). */
export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const token = location.hash.replace(/^#/, "");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const [{ fetching, error }, reset] = useMutation(ResetMutation);
  const problem = problemOf(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== again) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const r = await reset({ token, password });
    if (!r.error) setDone(true);
  }

  return (
    <PublicFrame title={t("reset.title")}>
      {done ? (
        <DoneMessage>{t("reset.done")}</DoneMessage>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {(!token || (problem && !fieldError(problem, "password"))) && (
              <Alert color="red" role="alert">
                {token ? problem?.general.join(" ") || t("reset.invalid") : t("reset.invalid")}
              </Alert>
            )}
            <PasswordInput
              label={t("reset.password")}
              autoComplete="new-password"
              required
              value={password}
              error={fieldError(problem, "password")}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <PasswordInput
              label={t("reset.again")}
              autoComplete="new-password"
              required
              value={again}
              error={mismatch ? t("reset.mismatch") : undefined}
              onChange={(e) => setAgain(e.currentTarget.value)}
            />
            <Button type="submit" loading={fetching} disabled={!token}>
              {t("reset.submit")}
            </Button>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}
