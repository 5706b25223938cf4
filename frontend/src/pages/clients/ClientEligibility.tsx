import { useState } from "react";
import { Badge, Group, Loader, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { formatDate, todayInPrague } from "../../format";

const ProjectsQuery = graphql(`
  query FundingProjects {
    fundingProjects {
      id
      registrationNumber
      name
      startsOn
      endsOn
    }
  }
`);

const EligibilityQuery = graphql(`
  query Eligibility($clientId: ClientId!, $on: Date!, $projectId: FundingProjectId!) {
    eligibility(clientId: $clientId, on: $on, fundingProjectId: $projectId) {
      eligible
      reason
    }
  }
`);

/** Whether the client's services count under each funding project on a
 * day (today unless changed), with the reason in plain words. */
export function ClientEligibility({ clientId }: { clientId: string }) {
  const { t, i18n } = useTranslation();
  const [on, setOn] = useState(todayInPrague());
  const [{ data, fetching }] = useQuery({ query: ProjectsQuery });
  return (
    <section aria-labelledby="eligibility">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} size="h3" id="eligibility">
          {t("eligibility.title")}
        </Title>
        <TextInput
          label={t("eligibility.on")}
          type="date"
          value={on}
          onChange={(e) => e.currentTarget.value && setOn(e.currentTarget.value)}
          size="xs"
        />
      </Group>
      {fetching && !data ? (
        <Loading />
      ) : !data || data.fundingProjects.length === 0 ? (
        <Text>{t("eligibility.noProjects")}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("eligibility.project")}</Table.Th>
              <Table.Th>{t("eligibility.result")}</Table.Th>
              <Table.Th>{t("eligibility.reason")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.fundingProjects.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {p.registrationNumber}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {p.name} ({formatDate(p.startsOn, i18n.language)} – {formatDate(p.endsOn, i18n.language)})
                  </Text>
                </Table.Td>
                <EligibilityCells clientId={clientId} projectId={p.id} on={on} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}

function EligibilityCells({ clientId, projectId, on }: { clientId: string; projectId: string; on: string }) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({
    query: EligibilityQuery,
    variables: { clientId, projectId, on },
  });
  const problem = problemOf(error);
  if (fetching && !data)
    return (
      <Table.Td colSpan={2}>
        <Loader size="xs" aria-label={t("common.loading")} />
      </Table.Td>
    );
  if (problem || !data) return <Table.Td colSpan={2}>{problem?.general.join(" ")}</Table.Td>;
  return (
    <>
      <Table.Td>
        <Badge color={data.eligibility.eligible ? "green" : "red"} variant="light">
          {data.eligibility.eligible ? t("eligibility.eligible") : t("eligibility.notEligible")}
        </Badge>
      </Table.Td>
      <Table.Td>{data.eligibility.reason}</Table.Td>
    </>
  );
}
