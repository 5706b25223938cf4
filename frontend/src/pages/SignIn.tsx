import { useState, type FormEvent } from "react";
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { Link } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { problemOf } from "../api";
import { useSession } from "../auth";
import { PublicFrame } from "./PublicFrame";

const SignInMutation = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      id
    }
  }
`);

/** Sign-in with email and password. */
export function SignInPage() {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [{ fetching, error }, signIn] = useMutation(SignInMutation);
  const problem = problemOf(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await signIn({ email: email.trim(), password });
    if (!r.error) refresh();
  }

  return (
    <PublicFrame title={t("signIn.title")}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {problem && (
            <Alert color="red" role="alert" title={t("signIn.failed")}>
              {problem.code === "UNAUTHENTICATED" ? t("signIn.wrongCredentials") : problem.general.join(" ")}
            </Alert>
          )}
          <TextInput
            label={t("signIn.email")}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            autoFocus
          />
          <PasswordInput
            label={t("signIn.password")}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={fetching}>
            {t("signIn.submit")}
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("signIn.forgot")}
          </Anchor>
        </Stack>
      </form>
    </PublicFrame>
  );
}
