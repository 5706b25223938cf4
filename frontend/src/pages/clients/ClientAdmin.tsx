import { useState } from "react";
import { Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { formatDateTime } from "../../format";
import { downloadFile } from "../../download";
import { ClientPicker, type PickedClient } from "../../components/ClientPicker";

const AccessLog = graphql(`
  query ClientAccessLog($clientId: ClientId!) {
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
  mutation ExportClient($clientId: ClientId!) {
    exportClient(clientId: $clientId) {
      fileStem
      json
      html
    }
  }
`);

const Merge = graphql(`
  mutation MergeClients($keepId: ClientId!, $mergeId: ClientId!) {
    mergeClients(keepId: $keepId, mergeId: $mergeId) {
      id
    }
  }
`);

const Anonymise = graphql(`
  mutation AnonymiseClient($clientId: ClientId!) {
    anonymiseClient(clientId: $clientId) {
      id
      anonymisedAt
    }
  }
`);

/** For centre admins: the data-subject export, merging a duplicate into
 * this record, anonymisation (the right to erasure, keeping counts), and
 * who saw or changed the record. */
export function ClientAdmin({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: AccessLog, variables: { clientId } });
  const [exportState, exportClient] = useMutation(ExportClient);
  const [mergeState, merge] = useMutation(Merge);
  const [anonState, anonymise] = useMutation(Anonymise);
  const [duplicate, setDuplicate] = useState<PickedClient[]>([]);
  const [merged, setMerged] = useState<string | null>(null);
  const navigate = useNavigate();
  const problem = problemOf(error ?? exportState.error ?? mergeState.error ?? anonState.error);

  async function doExport(kind: "json" | "html") {
    const r = await exportClient({ clientId });
    const e = r.data?.exportClient;
    if (!e) return;
    if (kind === "json") downloadFile(`${e.fileStem}.json`, e.json, "application/json");
    else downloadFile(`${e.fileStem}.html`, e.html, "text/html");
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
      <section aria-labelledby="merge-title">
        <Title order={2} size="h3" id="merge-title" mb="xs">
          {t("rights.merge")}
        </Title>
        <Text size="sm" mb="sm">
          {t("rights.mergeText")}
        </Text>
        <Group align="flex-end">
          <ClientPicker
            label={t("rights.mergeWhich")}
            value={duplicate}
            onChange={(v) => setDuplicate(v.slice(-1))}
            exclude={[clientId]}
            w={360}
          />
          <Button
            variant="default"
            disabled={duplicate.length === 0}
            loading={mergeState.fetching}
            onClick={() => {
              const other = duplicate[0];
              if (!other || !window.confirm(t("rights.mergeConfirm", { name: other.label }))) return;
              void merge({ keepId: clientId, mergeId: other.id }).then((r) => {
                if (r.data) {
                  setMerged(other.label);
                  setDuplicate([]);
                }
              });
            }}
          >
            {t("rights.mergeSubmit")}
          </Button>
        </Group>
        {merged && (
          <Text role="status" mt="xs" c="var(--mantine-color-green-light-color)">
            {t("rights.merged", { name: merged })}
          </Text>
        )}
      </section>
      <section aria-labelledby="anonymise-title">
        <Title order={2} size="h3" id="anonymise-title" mb="xs">
          {t("rights.anonymise")}
        </Title>
        <Text size="sm" mb="sm">
          {t("rights.anonymiseText")}
        </Text>
        <Button
          color="red"
          variant="outline"
          loading={anonState.fetching}
          onClick={() => {
            if (!window.confirm(t("rights.anonymiseConfirm"))) return;
            void anonymise({ clientId }).then((r) => {
              if (r.data) void navigate("/clients");
            });
          }}
        >
          {t("rights.anonymiseSubmit")}
        </Button>
      </section>
      <ProblemAlert problem={problem} withFields />
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
