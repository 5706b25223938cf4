import { useState } from "react";
import { Alert, Anchor, Button, Stack, Table, Title } from "@mantine/core";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { formatDateTime } from "../../format";

const AuditQuery = graphql(`
  query AuditLog($before: AuditEntryId) {
    auditLog(first: 50, before: $before) {
      id
      at
      actorName
      action
      clientId
      fields
    }
  }
`);

const PAGE = 50;

/** Centre admins: who read, changed, exported or merged client records. */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const [pages, setPages] = useState<(string | null)[]>([null]);
  return (
    <Stack>
      <Title order={1}>{t("auditLog.title")}</Title>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("rights.when")}</Table.Th>
            <Table.Th>{t("rights.who")}</Table.Th>
            <Table.Th>{t("rights.action")}</Table.Th>
            <Table.Th>{t("tasks.client")}</Table.Th>
            <Table.Th>{t("rights.fields")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pages.map((before, i) => (
            <AuditRows
              key={before ?? "first"}
              before={before}
              onMore={i === pages.length - 1 ? (id) => setPages((p) => [...p, id]) : undefined}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function AuditRows({ before, onMore }: { before: string | null; onMore?: (lastId: string) => void }) {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: AuditQuery, variables: { before } });
  const problem = problemOf(error);
  if (fetching && !data)
    return (
      <Table.Tr>
        <Table.Td colSpan={5}>
          <Loading />
        </Table.Td>
      </Table.Tr>
    );
  if (problem)
    return (
      <Table.Tr>
        <Table.Td colSpan={5}>
          <Alert color="red" role="alert">
            {problem.general.join(" ")}
          </Alert>
        </Table.Td>
      </Table.Tr>
    );
  const rows = data?.auditLog ?? [];
  const last = rows[rows.length - 1];
  return (
    <>
      {rows.map((e) => (
        <Table.Tr key={e.id}>
          <Table.Td>{formatDateTime(e.at, i18n.language)}</Table.Td>
          <Table.Td>{e.actorName ?? "—"}</Table.Td>
          <Table.Td>{t(`audit.${e.action}`)}</Table.Td>
          <Table.Td>
            <Anchor component={Link} to={`/clients/${e.clientId}`}>
              {t("tasks.openClient")}
            </Anchor>
          </Table.Td>
          <Table.Td>{e.fields.join(", ")}</Table.Td>
        </Table.Tr>
      ))}
      {onMore && last && rows.length === PAGE && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <Button variant="default" onClick={() => onMore(last.id)}>
              {t("common.more")}
            </Button>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
