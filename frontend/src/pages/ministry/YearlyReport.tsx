import { useState } from "react";
import { Button, Card, Group, Select, Text, Title } from "@mantine/core";
import { useClient } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import { problemOf, type ApiProblem } from "../../api";
import { ProblemAlert } from "../../components/Feedback";
import { base64Bytes, downloadFile } from "../../download";

const MinistryYearly = graphql(`
  query MinistryYearlyReport($year: Int!, $centreId: CentreId) {
    ministryYearlyReport(year: $year, centreId: $centreId) {
      fileName
      mediaType
      base64
    }
  }
`);

const CentreYearly = graphql(`
  query CentreYearlyReport($year: Int!) {
    centreYearlyReport(year: $year) {
      fileName
      mediaType
      base64
    }
  }
`);

/** The yearly statistical-analytical report as a PDF from the server. With
 * `centres` (the ministry), for the network or one centre of them, ended
 * years only; without, the signed-in centre's own, unsuppressed. */
export default function YearlyReport({ years, centres }: { years: number[]; centres?: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const client = useClient();
  const [year, setYear] = useState(years[0]);
  const [of, setOf] = useState("network");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function download() {
    setBusy(true);
    const file = centres
      ? await client
          .query(MinistryYearly, { year, centreId: of === "network" ? null : of }, { requestPolicy: "network-only" })
          .toPromise()
          .then((r) => {
            setProblem(problemOf(r.error));
            return r.data?.ministryYearlyReport;
          })
      : await client
          .query(CentreYearly, { year }, { requestPolicy: "network-only" })
          .toPromise()
          .then((r) => {
            setProblem(problemOf(r.error));
            return r.data?.centreYearlyReport;
          });
    setBusy(false);
    if (file) downloadFile(file.fileName, base64Bytes(file.base64), file.mediaType);
  }

  return (
    <Card withBorder component="section" aria-labelledby="yearly-title">
      <Title order={2} size="h3" id="yearly-title" mb={4}>
        {t("yearly.title")}
      </Title>
      <Text size="sm" mb="sm">
        {t("yearly.hint")} {centres ? t("yearly.hintMinistry") : null}
      </Text>
      <Group align="flex-end">
        <Select
          label={t("ministry.year")}
          data={years.map((y) => ({ value: String(y), label: String(y) }))}
          value={String(year)}
          onChange={(v) => v && setYear(Number(v))}
          allowDeselect={false}
          w={110}
        />
        {centres && (
          <Select
            label={t("yearly.of")}
            data={[{ value: "network", label: t("ministry.network") }, ...centres.map((c) => ({ value: c.id, label: c.name }))]}
            value={of}
            onChange={(v) => v && setOf(v)}
            allowDeselect={false}
            searchable
            w={420}
          />
        )}
        <Button variant="default" onClick={() => void download()} loading={busy}>
          {t("yearly.download")}
        </Button>
      </Group>
      <ProblemAlert problem={problem} withFields />
    </Card>
  );
}
