import { useState } from "react";
import { Alert, Anchor, Badge, Button, FileInput, Group, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { ClientImportReportFieldsFragment, ImportField } from "../../gql/graphql";
import { problemOf } from "../../api";
import { formatNumber } from "../../format";

const IMPORT_FIELDS = [
  "GIVEN_NAME",
  "FAMILY_NAME",
  "BIRTH_DATE",
  "SEX",
  "NATIONALITY",
  "LANGUAGES",
  "PHONE",
  "EMAIL",
  "MUNICIPALITY",
  "REGION",
  "FIRST_CONTACT_ON",
  "REFERRAL_SOURCE",
  "RESIDENCE_STATUS",
  "RESIDENCE_VALID_FROM",
  "RESIDENCE_VALID_TO",
  "DOCUMENT_TYPE",
  "DOCUMENT_NUMBER",
  "IGNORE",
] as const;

const ImportMutation = graphql(`
  mutation ImportClients($file: FileInput!, $mapping: [ColumnMappingInput!], $dryRun: Boolean, $skipRejected: Boolean) {
    importClients(file: $file, mapping: $mapping, dryRun: $dryRun, skipRejected: $skipRejected) {
      ...ClientImportReportFields
    }
  }
  fragment ClientImportReportFields on ClientImportReport {
    rows
    accepted
    rejected
    imported
    committed
    mapping {
      column
      field
    }
    ignoredColumns
    problems {
      row
      column
      header
      field
      message
      existingClientId
    }
  }
`);

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Import from a spreadsheet (XLSX or CSV): a dry run first, shown as a
 * table of every problem by row and column; the columns can be remapped;
 * then the import itself, all rows or only the good ones. */
export default function ClientImportPage() {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [report, setReport] = useState<ClientImportReportFieldsFragment | null>(null);
  const [{ fetching, error }, run] = useMutation(ImportMutation);
  const problem = problemOf(error);

  async function go(dryRun: boolean, skipRejected: boolean) {
    if (!file) return;
    const contentBase64 = await toBase64(file);
    const cols = Object.entries(mapping).map(([column, field]) => ({ column, field: field as ImportField }));
    const r = await run({
      file: { name: file.name, contentBase64 },
      mapping: cols.length ? cols : null,
      dryRun,
      skipRejected,
    });
    const rep = r.data?.importClients;
    if (rep) {
      setReport(rep);
      if (!cols.length) setMapping(Object.fromEntries(rep.mapping.map((m) => [m.column, m.field])));
    }
  }

  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <Stack>
      <Title order={1}>{t("import.title")}</Title>
      <Text>{t("import.explain")}</Text>
      <Group align="flex-end">
        <FileInput
          label={t("import.file")}
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          value={file}
          onChange={(f) => {
            setFile(f);
            setReport(null);
            setMapping({});
          }}
          clearable
          clearButtonProps={{ "aria-label": t("import.clearFile") }}
          miw={320}
        />
        <Button onClick={() => void go(true, false)} loading={fetching} disabled={!file}>
          {t("import.check")}
        </Button>
      </Group>
      <ProblemAlert problem={problem} withFields />
      {report && (
        <>
          <Alert color={report.committed ? "green" : report.rejected ? "yellow" : "blue"} role="status" data-testid="import-summary">
            {report.committed
              ? t("import.done", { count: report.imported, rows: n(report.rows) })
              : t("import.dryRun", { rows: n(report.rows), accepted: n(report.accepted), rejected: n(report.rejected) })}
          </Alert>
          <section aria-labelledby="import-mapping">
            <Title order={2} size="h3" id="import-mapping" mb="sm">
              {t("import.mapping")}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              {Object.keys(mapping).map((column) => (
                <Select
                  key={column}
                  label={column}
                  data={IMPORT_FIELDS.map((f) => ({ value: f, label: t(`importField.${f}`) }))}
                  value={mapping[column]}
                  onChange={(v) => v && setMapping({ ...mapping, [column]: v })}
                  allowDeselect={false}
                />
              ))}
            </SimpleGrid>
            {report.ignoredColumns.length > 0 && (
              <Text size="sm" mt="xs">
                {t("import.ignored", { columns: report.ignoredColumns.join(", ") })}
              </Text>
            )}
          </section>
          {report.problems.length > 0 && (
            <section aria-labelledby="import-problems">
              <Title order={2} size="h3" id="import-problems" mb="sm">
                {t("import.problems", { count: report.problems.length })}
              </Title>
              <Table striped data-testid="import-problems">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("import.row")}</Table.Th>
                    <Table.Th>{t("import.column")}</Table.Th>
                    <Table.Th>{t("import.problem")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.problems.map((p, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{p.row}</Table.Td>
                      <Table.Td>{[p.column, p.header].filter(Boolean).join(" · ")}</Table.Td>
                      <Table.Td>
                        {p.message}{" "}
                        {p.existingClientId && (
                          <Anchor component={Link} to={`/clients/${p.existingClientId}`} size="sm">
                            {t("import.existing")}
                          </Anchor>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </section>
          )}
          {!report.committed && (
            <Group>
              <Button variant="default" onClick={() => void go(true, false)} loading={fetching}>
                {t("import.recheck")}
              </Button>
              {report.rejected === 0 ? (
                <Button onClick={() => void go(false, false)} loading={fetching}>
                  {t("import.importAll", { count: report.accepted })}
                </Button>
              ) : (
                report.accepted > 0 && (
                  <Button onClick={() => void go(false, true)} loading={fetching}>
                    {t("import.importGood", { count: report.accepted })}
                  </Button>
                )
              )}
            </Group>
          )}
          {report.committed && <Badge color="green">{t("import.committed")}</Badge>}
        </>
      )}
    </Stack>
  );
}
