import { Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { formatDateTime } from "../../format";

const AccessLog = graphql(`
  query ClientAccessLog($clientId: ID!) {
    clientAccessLog(clientId: $clientId) {
      id
      at
      actorName
      action
      fields
    }
  }
`);

const ExportClient = graphql(`
  mutation ExportClient($clientId: ID!) {
    exportClient(clientId: $clientId) {
      fileStem
      json
      html
    }
  }
`);

function download(name: string, type: string, body: string) {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** For centre admins: the data-subject export and who saw or changed the record. */
export function ClientAdmin({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: AccessLog, variables: { clientId } });
  const [exportState, exportClient] = useMutation(ExportClient);
  const problem = problemOf(error ?? exportState.error);

  async function doExport(kind: "json" | "html") {
    const r = await exportClient({ clientId });
    const e = r.data?.exportClient;
    if (!e) return;
    if (kind === "json") download(`${e.fileStem}.json`, "application/json", e.json);
    else download(`${e.fileStem}.html`, "text/html", e.html);
  }

  return (
    <Stack gap="xl">
      <section aria-labelledby="subject-export">
        <Title order={2} size="h3" id="subject-export" mb="xs">
          {t("rights.export")}
        </Title>
        <Text size="sm" mb="sm">
          {t("rights.exportText")}
        </Text>
        <Group>
          <Button variant="default" loading={exportState.fetching} onClick={() => void doExport("html")}>
            {t("rights.exportHtml")}
          </Button>
          <Button variant="default" loading={exportState.fetching} onClick={() => void doExport("json")}>
            {t("rights.exportJson")}
          </Button>
        </Group>
      </section>
      <ProblemAlert problem={problem} />
      <section aria-labelledby="access-log">
        <Title order={2} size="h3" id="access-log" mb="sm">
          {t("rights.accessLog")}
        </Title>
        {fetching && !data ? (
          <Loading />
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("rights.when")}</Table.Th>
                <Table.Th>{t("rights.who")}</Table.Th>
                <Table.Th>{t("rights.action")}</Table.Th>
                <Table.Th>{t("rights.fields")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data?.clientAccessLog.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{formatDateTime(e.at, i18n.language)}</Table.Td>
                  <Table.Td>{e.actorName ?? "—"}</Table.Td>
                  <Table.Td>{t(`audit.${e.action}`)}</Table.Td>
                  <Table.Td>{e.fields.join(", ")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </Stack>
  );
}
