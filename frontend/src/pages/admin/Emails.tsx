import { Badge, Button, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { formatDateTime } from "../../format";

const FailedEmails = graphql(`
  query FailedEmails {
    emails(status: FAILED, first: 200) {
      id
      kind
      recipient
      subject
      status
      attempts
      lastError
      createdAt
    }
  }
`);

const Retry = graphql(`
  mutation RetryEmail($id: EmailId!) {
    retryEmail(id: $id) {
      id
      status
      attempts
      nextAttemptAt
    }
  }
`);

/** Centre admins: emails that did not reach people after every attempt,
 * with the mail server's last answer, and sending one again. */
export default function EmailsPage() {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: FailedEmails });
  const [retryState, retry] = useMutation(Retry);
  const problem = problemOf(error ?? retryState.error);
  return (
    <Stack>
      <Title order={1}>{t("emails.title")}</Title>
      <Text>{t("emails.explain")}</Text>
      <ProblemAlert problem={problem} withFields />
      {fetching && !data ? (
        <Loading />
      ) : data && data.emails.length === 0 ? (
        <Text data-testid="no-failed-emails">{t("emails.none")}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("emails.queued")}</Table.Th>
              <Table.Th>{t("emails.recipient")}</Table.Th>
              <Table.Th>{t("emails.subject")}</Table.Th>
              <Table.Th>{t("emails.lastError")}</Table.Th>
              <Table.Th>{t("staff.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.emails.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{formatDateTime(m.createdAt, i18n.language)}</Table.Td>
                <Table.Td>{m.recipient}</Table.Td>
                <Table.Td>{m.subject}</Table.Td>
                <Table.Td>
                  {m.lastError} <Badge color="gray">{t("emails.attempts", { count: m.attempts })}</Badge>
                </Table.Td>
                <Table.Td>
                  {m.status === "FAILED" ? (
                    <Button size="xs" variant="default" onClick={() => void retry({ id: m.id })}>
                      {t("emails.retry")}
                    </Button>
                  ) : (
                    t(`emailStatus.${m.status}`)
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
