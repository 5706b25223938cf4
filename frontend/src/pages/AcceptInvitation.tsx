import { useState, type FormEvent } from "react";
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useLocation } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../components/Feedback";
import { graphql } from "../gql";
import { fieldError, problemOf } from "../api";
import { formatDateTime } from "../format";
import { PublicFrame } from "./PublicFrame";

const PreviewQuery = graphql(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) {
      centreName
      email
      displayName
      hasAccount
      expiresAt
    }
  }
`);

const AcceptMutation = graphql(`
  mutation AcceptInvitation($token: String!, $password: String!, $displayName: String) {
    acceptInvitation(token: $token, password: $password, displayName: $displayName) {
      id
    }
  }
`);

/** The emailed invitation link (`/invitation#TOKEN`): sets a password (or
 * asks for the existing one) and joins the centre. */
export default function AcceptInvitationPage() {
  const { t, i18n } = useTranslation();
  const token = useLocation().hash.replace(/^#/, "");
  const [{ data, fetching, error }] = useQuery({ query: PreviewQuery, variables: { token }, pause: !token });
  const [name, setName] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [accept, acceptM] = useMutation(AcceptMutation);
  const problem = problemOf(accept.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await acceptM({ token, password, displayName: name });
    // Signed in: a full load starts the app with the new session.
    if (!r.error) window.location.assign("/");
  }

  const inv = data?.invitation;
  return (
    <PublicFrame title={t("invitation.title")}>
      {!token || error ? (
        <Alert color="red" role="alert">
          {t("invitation.invalid")}
        </Alert>
      ) : fetching || !inv ? (
        <Loading />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text>{t("invitation.text", { centre: inv.centreName, email: inv.email })}</Text>
            <Text size="sm" c="dimmed">
              {t("invitation.expires", { when: formatDateTime(inv.expiresAt, i18n.language) })}
            </Text>
            <ProblemAlert problem={problem} />
            {!inv.hasAccount && (
              <TextInput
                label={t("staff.name")}
                value={name ?? inv.displayName}
                onChange={(e) => setName(e.currentTarget.value)}
                error={fieldError(problem, "displayName")}
              />
            )}
            <PasswordInput
              label={inv.hasAccount ? t("invitation.currentPassword") : t("reset.password")}
              autoComplete={inv.hasAccount ? "current-password" : "new-password"}
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError(problem, "password")}
            />
            <Button type="submit" loading={accept.fetching}>
              {t("invitation.accept")}
            </Button>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}
