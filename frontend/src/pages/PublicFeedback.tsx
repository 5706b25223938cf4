import { useState, type FormEvent } from "react";
import { Alert, Button, Radio, Stack, Text, Textarea, Title } from "@mantine/core";
import { useLocation } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import type { FeedbackAnswer } from "../gql/graphql";
import { fieldError, problemOf } from "../api";
import { Loading, ProblemAlert } from "../components/Feedback";
import { EventFrame } from "./events/PublicEvent";

const Question = graphql(`
  query FeedbackQuestion($token: String!) {
    feedbackRequest(token: $token) {
      centreName
      title
      subject
      answered
    }
  }
`);

const Give = graphql(`
  mutation GiveFeedback($token: String!, $answer: FeedbackAnswer!, $comment: String, $language: String!) {
    giveFeedback(token: $token, answer: $answer, comment: $comment, language: $language)
  }
`);

const ANSWERS: { value: FeedbackAnswer; key: string }[] = [
  { value: "HELPFUL", key: "public.feedback.helpful" },
  { value: "PARTLY", key: "public.feedback.partly" },
  { value: "NOT_HELPFUL", key: "public.feedback.notHelpful" },
];

/** "Did it help you?": the page behind the link a client gets after a
 * course or a closed case (`/feedback#token`, no sign-in), in Czech,
 * English or Ukrainian; one answer per link. */
export default function PublicFeedbackPage() {
  const { t, i18n } = useTranslation();
  const token = useLocation().hash.replace(/^#/, "");
  const [{ data, error, fetching }] = useQuery({ query: Question, variables: { token }, pause: !token });
  const [answer, setAnswer] = useState<FeedbackAnswer | null>(null);
  const [comment, setComment] = useState("");
  const [state, give] = useMutation(Give);
  const problem = problemOf(state.error);
  const q = data?.feedbackRequest;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!answer) return;
    await give({ token, answer, comment, language: i18n.language.slice(0, 2) });
  }

  let body;
  if (!token || (error && !q)) {
    body = (
      <Alert color="red" role="alert">
        {t("public.feedback.invalid")}
      </Alert>
    );
  } else if (fetching || !q) {
    body = <Loading />;
  } else if (q.answered || state.data?.giveFeedback) {
    body = (
      <Alert color="green" role="status">
        {state.data?.giveFeedback ? t("public.feedback.thanks") : t("public.feedback.answered")}
      </Alert>
    );
  } else {
    body = (
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Radio.Group label={t("public.feedback.answer")} value={answer} onChange={(v) => setAnswer(v as FeedbackAnswer)} required>
            <Stack gap="sm" mt="xs">
              {ANSWERS.map((a) => (
                <Radio key={a.value} value={a.value} label={t(a.key)} size="md" />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea label={t("public.feedback.comment")} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={1000} autosize minRows={2} error={fieldError(problem, "comment")} />
          <ProblemAlert problem={problem} />
          <Button type="submit" size="md" disabled={!answer} loading={state.fetching}>
            {t("public.feedback.send")}
          </Button>
          <Text size="sm">{t("public.feedback.voluntary")}</Text>
        </Stack>
      </form>
    );
  }
  return (
    <EventFrame>
      <Title order={1} mb="xs">
        {t("public.feedback.title")}
      </Title>
      {q && (
        <Text mb="md" fw={500}>
          {q.subject === "COURSE" ? t("public.feedback.course", { title: q.title, centre: q.centreName }) : t("public.feedback.case", { centre: q.centreName })}
        </Text>
      )}
      {body}
    </EventFrame>
  );
}
