import { Card, List, Table, Text, Title } from "@mantine/core";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { problemOf } from "../api";
import { ProblemAlert } from "../components/Feedback";
import { addDays, formatNumber, todayInPrague } from "../format";

const SummaryQuery = graphql(`
  query FeedbackSummary($from: Date!, $to: Date!) {
    feedbackSummary(from: $from, to: $to) {
      subject
      subjectId
      title
      asked
      helpful
      partly
      notHelpful
      comments
    }
  }
`);

/** "Did it help?": the answers to the questions the centre asked in the
 * last twelve months, per course or case, with the comments (no names). */
export default function FeedbackSummary() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = todayInPrague();
  const [{ data, error }] = useQuery({ query: SummaryQuery, variables: { from: addDays(today, -365), to: today } });
  const rows = data?.feedbackSummary ?? [];
  const n = (v: number) => formatNumber(v, lang);
  return (
    <Card withBorder component="section" aria-labelledby="feedback-title">
      <Title order={2} size="h3" id="feedback-title" mb={4}>
        {t("feedback.summaryTitle")}
      </Title>
      <Text size="sm" mb="sm">
        {t("feedback.summaryHint")}
      </Text>
      <ProblemAlert problem={problemOf(error)} />
      {data && rows.length === 0 ? (
        <Text>{t("feedback.noAnswers")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped data-testid="feedback-summary">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("feedback.what")}</Table.Th>
                <Table.Th ta="right">{t("feedback.askedCount")}</Table.Th>
                <Table.Th ta="right">{t("feedback.helpful")}</Table.Th>
                <Table.Th ta="right">{t("feedback.partly")}</Table.Th>
                <Table.Th ta="right">{t("feedback.notHelpful")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.subjectId}>
                  <Table.Th scope="row" fw={400}>
                    {r.subject === "COURSE" ? r.title : t("feedback.counselling")}
                    {r.comments.length > 0 && (
                      <List size="sm" aria-label={t("feedback.comments")}>
                        {r.comments.map((c, i) => (
                          <List.Item key={i}>„{c}“</List.Item>
                        ))}
                      </List>
                    )}
                  </Table.Th>
                  <Table.Td ta="right">{n(r.asked)}</Table.Td>
                  <Table.Td ta="right">{n(r.helpful)}</Table.Td>
                  <Table.Td ta="right">{n(r.partly)}</Table.Td>
                  <Table.Td ta="right">{n(r.notHelpful)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
