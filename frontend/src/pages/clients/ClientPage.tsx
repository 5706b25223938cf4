import { useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { useSession } from "../../auth";
import { countryName, formatDate, formatDateTime, languageName } from "../../format";
import { ClientProfile } from "./ClientProfile";
import { ClientTimeline } from "./ClientTimeline";
import { ClientEligibility } from "./ClientEligibility";
import { ClientConsents } from "./ClientConsents";
import { ClientAdmin } from "./ClientAdmin";
import { ClientCases } from "./ClientCases";
import { ClientHousehold } from "./ClientHousehold";

export const ClientQuery = graphql(`
  query ClientPage($id: ClientId!) {
    client(id: $id) {
      id
      givenName
      familyName
      aliases {
        givenName
        familyName
      }
      birthDate
      sex
      nationality
      languages
      phone
      email
      municipality
      regionCode
      branchId
      firstContactOn
      referralSource
      identityVerified
      identityVerifiedAt
      residenceStatus
      residenceHistory {
        id
        status
        documentType
        documentNumber
        validFrom
        validTo
        proceedingsPending
      }
      consents {
        id
        purpose
        given
        decidedOn
        recordedAt
      }
      consentsInForce {
        id
        purpose
        given
        decidedOn
      }
      household {
        clientId
        givenName
        familyName
        relation
      }
      updatedAt
    }
  }
`);

/** One client: profile, residence, eligibility, consents, household and
 * the timeline of everything the centre did for them. */
export default function ClientPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [tab, setTab] = useState<string | null>("overview");
  const [{ data, fetching, error }] = useQuery({ query: ClientQuery, variables: { id } });
  const problem = problemOf(error);
  const lang = i18n.language;

  if (fetching && !data) return <Loader aria-label={t("common.loading")} />;
  if (problem || !data) {
    return (
      <Alert color="red" role="alert" title={t("client.notFound")}>
        {problem?.code === "NOT_FOUND" ? t("client.notFoundText") : problem?.general.join(" ")}
      </Alert>
    );
  }
  const c = data.client;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>
            {c.familyName} {c.givenName}
          </Title>
          <Text c="dimmed">
            {[formatDate(c.birthDate, lang), countryName(c.nationality, lang), c.languages.map((l) => languageName(l, lang)).join(", ")]
              .filter(Boolean)
              .join(" · ")}
          </Text>
          <Group gap="xs" mt={4}>
            {c.residenceStatus && <Badge variant="light">{t(`residence.${c.residenceStatus}`)}</Badge>}
            <Badge variant="light" color={c.identityVerified ? "green" : "gray"}>
              {c.identityVerified ? t("client.verified") : t("client.notVerified")}
            </Badge>
          </Group>
        </div>
        {can("SERVE_DESK") && (
          <Button component={Link} to={`/interventions/new?client=${c.id}`}>
            {t("nav.recordIntervention")}
          </Button>
        )}
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">{t("client.tabs.overview")}</Tabs.Tab>
          <Tabs.Tab value="timeline">{t("client.tabs.timeline")}</Tabs.Tab>
          {can("MANAGE_CLIENTS") && <Tabs.Tab value="cases">{t("client.tabs.cases")}</Tabs.Tab>}
          <Tabs.Tab value="consents">{t("client.tabs.consents")}</Tabs.Tab>
          {can("MANAGE_CENTRE") && <Tabs.Tab value="admin">{t("client.tabs.admin")}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Stack gap="xl">
            <ClientProfile client={c} />
            <ClientEligibility clientId={c.id} />
            <section aria-labelledby="residence-history">
              <Title order={2} size="h3" id="residence-history" mb="sm">
                {t("residence.history")}
              </Title>
              {c.residenceHistory.length === 0 ? (
                <Text>{t("residence.none")}</Text>
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("client.residenceStatus")}</Table.Th>
                      <Table.Th>{t("residence.validFrom")}</Table.Th>
                      <Table.Th>{t("residence.validTo")}</Table.Th>
                      <Table.Th>{t("residence.document")}</Table.Th>
                      <Table.Th>{t("residence.proceedingsPending")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {c.residenceHistory.map((r) => (
                      <Table.Tr key={r.id}>
                        <Table.Td>{t(`residence.${r.status}`)}</Table.Td>
                        <Table.Td>{formatDate(r.validFrom, lang)}</Table.Td>
                        <Table.Td>{r.validTo ? formatDate(r.validTo, lang) : t("residence.open")}</Table.Td>
                        <Table.Td>{[r.documentType, r.documentNumber].filter(Boolean).join(" ")}</Table.Td>
                        <Table.Td>{r.proceedingsPending ? t("common.yes") : t("common.no")}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </section>
            <ClientHousehold client={c} canEdit={can("MANAGE_CLIENTS")} />
            <Text size="sm" c="dimmed">
              {t("client.updatedAt", { when: formatDateTime(c.updatedAt, lang) })}
            </Text>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <ClientTimeline clientId={c.id} />
        </Tabs.Panel>
        {can("MANAGE_CLIENTS") && (
          <Tabs.Panel value="cases" pt="md">
            <ClientCases clientId={c.id} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="consents" pt="md">
          <ClientConsents client={c} />
        </Tabs.Panel>
        {can("MANAGE_CENTRE") && (
          <Tabs.Panel value="admin" pt="md">
            <ClientAdmin clientId={c.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
