import { Button, Code, List, Stack, Text } from "@mantine/core";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { problemOf } from "../api";
import { ProblemAlert } from "./Feedback";

const AskCourse = graphql(`
  mutation AskCourseFeedback($id: CourseId!) {
    askCourseFeedback(courseId: $id) {
      ...Asked
    }
  }
  fragment Asked on AskedForFeedback {
    asked {
      clientId
      clientName
      link
      emailed
    }
    already
  }
`);

const AskCase = graphql(`
  mutation AskCaseFeedback($id: CaseId!) {
    askCaseFeedback(caseId: $id) {
      ...Asked
    }
  }
`);

/** Asks the people who completed a course (or the client of a closed
 * case) whether it helped: the server emails those with an address; the
 * links of the others are shown to hand over. */
export default function AskFeedback({ courseId, caseId }: { courseId?: string; caseId?: string }) {
  const { t } = useTranslation();
  const [courseState, askCourse] = useMutation(AskCourse);
  const [caseState, askCase] = useMutation(AskCase);
  const state = courseId ? courseState : caseState;
  const result = courseState.data?.askCourseFeedback ?? caseState.data?.askCaseFeedback;
  const ask = () => (courseId ? void askCourse({ id: courseId }) : caseId ? void askCase({ id: caseId }) : undefined);
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="default" size="compact-md" onClick={ask} loading={state.fetching}>
        {courseId ? t("feedback.ask") : t("feedback.askCase")}
      </Button>
      <ProblemAlert problem={problemOf(state.error)} withFields />
      {result && (
        <div role="status">
          <Text size="sm">
            {t("feedback.asked", { count: result.asked.length })} {result.already > 0 && t("feedback.already", { count: result.already })}
          </Text>
          <List size="sm">
            {result.asked.map((a) => (
              <List.Item key={a.clientId}>
                {a.clientName}: {a.emailed ? t("feedback.emailed") : t("feedback.handOver")} {!a.emailed && <Code>{a.link}</Code>}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}
