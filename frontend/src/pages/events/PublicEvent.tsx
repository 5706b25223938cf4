import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Alert, Button, Checkbox, Container, Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { useLocation, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import type { RegistrationStatus } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { formatDateTime, formatTime, languageName } from "../../format";

const PublicEventQuery = graphql(`
  query PublicEvent($slug: String!) {
    publicEvent(eventSlug: $slug) {
      slug
      title
      description
      centreName
      venue
      online
      startsAt
      endsAt
      languages
      placesLeft
      registrationOpen
      confirmByEmail
      cancelled
    }
  }
`);

const Register = graphql(`
  mutation RegisterForEvent($slug: String!, $input: PublicRegistrationInput!) {
    registerForEvent(eventSlug: $slug, input: $input) {
      status
      waitlistPosition
    }
  }
`);

const ConfirmMine = graphql(`
  mutation ConfirmEventRegistration($slug: String!, $token: String!) {
    confirmEventRegistration(eventSlug: $slug, token: $token) {
      status
      waitlistPosition
    }
  }
`);

const CancelMine = graphql(`
  mutation CancelEventRegistration($slug: String!, $token: String!) {
    cancelEventRegistration(eventSlug: $slug, token: $token)
  }
`);

/** Languages of the public pages: Czech, English and Ukrainian (the
 * largest group of people the centres serve). */
const PUBLIC_LANGUAGES = ["cs", "en", "uk"] as const;

/** Opens the public pages in the visitor's language when we have it. */
function usePublicLanguage() {
  const { i18n } = useTranslation();
  useEffect(() => {
    if ((PUBLIC_LANGUAGES as readonly string[]).includes(i18n.language) && i18n.language !== "cs") return;
    const wanted = navigator.languages.map((l) => l.slice(0, 2)).find((l) => (PUBLIC_LANGUAGES as readonly string[]).includes(l));
    if (wanted && wanted !== i18n.language) void i18n.changeLanguage(wanted);
    // Only on arrival: a visitor's own choice then stays.
  }, []);
}

/** The frame of the public event pages: phone-first, with the language
 * switch. */
export function EventFrame({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  usePublicLanguage();
  return (
    <Container size={640} px="sm" py="lg" component="main" id="main">
      <Group justify="flex-end" mb="sm">
        <SegmentedControl
          aria-label={t("shell.language")}
          size="sm"
          value={i18n.language}
          onChange={(lng) => void i18n.changeLanguage(lng)}
          data={PUBLIC_LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
        />
      </Group>
      <Paper withBorder p={{ base: "md", sm: "lg" }} radius="md">
        {children}
      </Paper>
    </Container>
  );
}

/** The public page of an event: what, when and where, and registration
 * without an account (name, email, consent); then the confirmation, with
 * the place on the waitlist when the event is full. */
export default function PublicEventPage() {
  const { slug = "" } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [{ data, error, fetching }] = useQuery({ query: PublicEventQuery, variables: { slug } });
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [consent, setConsent] = useState(false);
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [state, register] = useMutation(Register);
  const problem = problemOf(state.error);
  const result = state.data?.registerForEvent;

  if (fetching && !data) {
    return (
      <EventFrame>
        <Loading />
      </EventFrame>
    );
  }
  const e = data?.publicEvent;
  if (!e) {
    return (
      <EventFrame>
        <Title order={1} size="h2">
          {t("public.notFoundTitle")}
        </Title>
        <Text mt="sm">{problemOf(error)?.code === "NOT_FOUND" ? t("public.notFound") : problemOf(error)?.general.join(" ")}</Text>
      </EventFrame>
    );
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const m = { name: !name.trim(), email: !email.trim(), consent: !consent };
    setMissing(m);
    if (Object.values(m).some(Boolean)) return;
    await register({
      slug,
      // Emails are written in Czech or English; a Ukrainian visitor's go in Czech.
      input: { name: name.trim(), email: email.trim(), organisation: organisation.trim(), language: lang === "en" ? "en" : "cs", consent },
    });
  }

  const when = `${formatDateTime(e.startsAt, lang)}–${formatTime(e.endsAt, lang)}`;
  return (
    <EventFrame>
      <Stack>
        <div>
          <Text size="sm" c="dimmed">
            {e.centreName}
          </Text>
          <Title order={1} size="h2">
            {e.title}
          </Title>
        </div>
        <dl style={{ margin: 0 }}>
          <Text component="dt" fw={700} size="sm">
            {t("public.when")}
          </Text>
          <Text component="dd" m={0} mb="xs">
            {when}
          </Text>
          <Text component="dt" fw={700} size="sm">
            {t("public.where")}
          </Text>
          <Text component="dd" m={0} mb="xs">
            {e.online ? t("public.online") : e.venue}
            {e.online && e.venue ? ` · ${e.venue}` : ""}
          </Text>
          {e.languages.length > 0 && (
            <>
              <Text component="dt" fw={700} size="sm">
                {t("public.languages")}
              </Text>
              <Text component="dd" m={0}>
                {e.languages.map((l) => languageName(l, lang)).join(", ")}
              </Text>
            </>
          )}
        </dl>
        {e.description && <Text style={{ whiteSpace: "pre-line" }}>{e.description}</Text>}
        {e.cancelled ? (
          <Alert color="red" role="alert">
            {t("public.cancelled")}
          </Alert>
        ) : result ? (
          <RegistrationAnswer status={result.status} position={result.waitlistPosition} email={email.trim()} />
        ) : !e.registrationOpen ? (
          <Alert color="gray">{t("public.closed")}</Alert>
        ) : (
          <form onSubmit={(ev) => void submit(ev)} noValidate aria-labelledby="register-title">
            <Stack>
              <Title order={2} size="h3" id="register-title">
                {t("public.register")}
              </Title>
              {!e.placesLeft && <Alert color="yellow">{t("public.full")}</Alert>}
              {e.confirmByEmail && <Text size="sm">{t("public.confirmFirst")}</Text>}
              <ProblemAlert problem={problem} />
              <TextInput
                label={t("public.name")}
                required
                autoComplete="name"
                value={name}
                onChange={(ev) => setName(ev.currentTarget.value)}
                error={missing.name ? t("public.required") : fieldError(problem, "name")}
                size="md"
              />
              <TextInput
                label={t("public.email")}
                type="email"
                required
                autoComplete="email"
                value={email}
                onChange={(ev) => setEmail(ev.currentTarget.value)}
                error={missing.email ? t("public.required") : fieldError(problem, "email")}
                size="md"
              />
              <TextInput
                label={t("public.organisation")}
                autoComplete="organization"
                value={organisation}
                onChange={(ev) => setOrganisation(ev.currentTarget.value)}
                error={fieldError(problem, "organisation")}
                size="md"
              />
              <Checkbox
                label={t("public.consent", { centre: e.centreName })}
                checked={consent}
                onChange={(ev) => setConsent(ev.currentTarget.checked)}
                error={missing.consent ? t("public.consentRequired") : fieldError(problem, "consent")}
                size="md"
              />
              <Button type="submit" size="md" loading={state.fetching} fullWidth>
                {e.placesLeft ? t("public.submit") : t("public.submitWaitlist")}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </EventFrame>
  );
}

/** Where a registration stands, as the registrant is told it. */
function RegistrationAnswer({ status, position, email }: { status: RegistrationStatus; position?: number | null; email?: string }) {
  const { t } = useTranslation();
  const color = status === "CONFIRMED" ? "green" : status === "UNCONFIRMED" ? "blue" : "yellow";
  const body =
    status === "WAITLISTED"
      ? t("public.waitlisted", { position })
      : status === "UNCONFIRMED"
        ? t("public.checkEmail", { email })
        : email
          ? t("public.confirmed", { email })
          : t("public.confirmedByLink");
  return (
    <Alert color={color} role="status" title={t(`public.result.${status}`)}>
      {body}
    </Alert>
  );
}

/** The page the confirm link of the email opens
 * (`/events/{slug}/confirm#token`): one button (so that a mail scanner
 * opening the link confirms nothing), then where the registration stands. */
export function ConfirmRegistrationPage() {
  const { slug = "" } = useParams();
  const { hash } = useLocation();
  const token = hash.replace(/^#/, "");
  const { t } = useTranslation();
  const [state, confirm] = useMutation(ConfirmMine);
  const problem = problemOf(state.error);
  const result = state.data?.confirmEventRegistration;
  return (
    <EventFrame>
      <Stack>
        <Title order={1} size="h2">
          {t("public.confirmTitle")}
        </Title>
        {result ? (
          <RegistrationAnswer status={result.status} position={result.waitlistPosition} />
        ) : (
          <>
            <Text>{t("public.confirmQuestion")}</Text>
            <ProblemAlert problem={problem} withFields />
            <Button size="md" onClick={() => void confirm({ slug, token })} loading={state.fetching} disabled={!token}>
              {t("public.confirmSubmit")}
            </Button>
          </>
        )}
      </Stack>
    </EventFrame>
  );
}

/** The page the cancel link of the confirmation email opens
 * (`/events/{slug}/cancel#token`): one button, then the answer. */
export function CancelRegistrationPage() {
  const { slug = "" } = useParams();
  const { hash } = useLocation();
  const token = hash.replace(/^#/, "");
  const { t } = useTranslation();
  const [state, cancel] = useMutation(CancelMine);
  const problem = problemOf(state.error);
  return (
    <EventFrame>
      <Stack>
        <Title order={1} size="h2">
          {t("public.cancelTitle")}
        </Title>
        {state.data?.cancelEventRegistration ? (
          <Alert color="green" role="status">
            {t("public.cancelDone")}
          </Alert>
        ) : (
          <>
            <Text>{t("public.cancelQuestion")}</Text>
            <ProblemAlert problem={problem} withFields />
            <Button color="red" size="md" onClick={() => void cancel({ slug, token })} loading={state.fetching} disabled={!token}>
              {t("public.cancelSubmit")}
            </Button>
          </>
        )}
      </Stack>
    </EventFrame>
  );
}
