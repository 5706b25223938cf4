import { useState, type FormEvent } from "react";
import { Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { Link } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../components/Feedback";
import { graphql } from "../gql";
import { fieldError, problemOf } from "../api";
import { DoneMessage, PublicFrame } from "./PublicFrame";

const RequestReset = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

/** "Forgot password": asks for a reset link (the answer is the same
 * whether the address exists or not). */
export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [{ fetching, error }, request] = useMutation(RequestReset);
  const problem = problemOf(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await request({ email: email.trim() });
    if (!r.error) setSent(true);
  }

  return (
    <PublicFrame title={t("forgot.title")}>
      {sent ? (
        <DoneMessage>{t("forgot.sent")}</DoneMessage>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t("forgot.explain")}</Text>
            <ProblemAlert problem={problem} />
            <TextInput
              label={t("signIn.email")}
              type="email"
              autoComplete="username"
              required
              value={email}
              error={fieldError(problem, "email")}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <Button type="submit" loading={fetching}>
              {t("forgot.submit")}
            </Button>
            <Anchor component={Link} to="/" size="sm">
              {t("forgot.back")}
            </Anchor>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}
