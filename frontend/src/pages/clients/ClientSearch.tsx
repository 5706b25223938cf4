import { useEffect, useState } from "react";
import {
  Alert,
  Anchor,
  Button,
  Group,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { ResidenceStatus } from "../../gql/graphql";
import { problemOf } from "../../api";
import { countryName, formatDate } from "../../format";
import { COMMON_NATIONALITIES, RESIDENCE_STATUSES } from "../../components/labels";
import { useSession } from "../../auth";

const SearchQuery = graphql(`
  query SearchClients(
    $text: String
    $after: String
    $nationality: [String!]
    $residenceStatus: [ResidenceStatus!]
  ) {
    searchClients(
      text: $text
      first: 25
      after: $after
      nationality: $nationality
      residenceStatus: $residenceStatus
      typing: true
    ) {
      edges {
        cursor
        node {
          id
          givenName
          familyName
          birthDate
          nationality
          residenceStatus
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** How long after the last keystroke the search runs. */
export const SEARCH_DEBOUNCE_MS = 80;

/** Search as you type, however the name was written. */
export default function ClientSearchPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [text, setText] = useState("");
  const [debounced] = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const [nationality, setNationality] = useState<string[]>([]);
  const [status, setStatus] = useState<string[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  useEffect(() => setAfter(null), [debounced, nationality, status]);

  const [{ data, fetching, error, operation }] = useQuery({
    query: SearchQuery,
    variables: {
      text: debounced || null,
      after,
      nationality: nationality.length ? nationality : null,
      residenceStatus: status.length ? (status as ResidenceStatus[]) : null,
    },
  });
  const problem = problemOf(error);
  const edges = data?.searchClients.edges ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t("clients.title")}</Title>
        {can("REGISTER_CLIENTS") && (
          <Button component={Link} to="/clients/new">
            {t("nav.registerClient")}
          </Button>
        )}
      </Group>
      <Group align="flex-end" grow preventGrowOverflow={false}>
        <TextInput
          label={t("clients.search")}
          description={t("clients.searchHint")}
          type="search"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autoFocus
          autoComplete="off"
          miw={260}
        />
        <MultiSelect
          label={t("client.nationality")}
          data={COMMON_NATIONALITIES.map((c) => ({ value: c, label: countryName(c, i18n.language) }))}
          value={nationality}
          onChange={setNationality}
          searchable
          clearable
        />
        <MultiSelect
          label={t("client.residenceStatus")}
          data={RESIDENCE_STATUSES.map((s) => ({ value: s, label: t(`residence.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
        />
      </Group>
      {problem && (
        <Alert color="red" role="alert">
          {problem.general.join(" ") || Object.values(problem.fields).join(" ")}
        </Alert>
      )}
      {/* data-query: the text the shown results answer (the browser benchmark waits for it). */}
      <div aria-live="polite" aria-busy={fetching} data-query={data ? ((operation?.variables.text as string | null) ?? "") : undefined}>
        {fetching && !data ? (
          <Loading />
        ) : edges.length === 0 ? (
          <Text>{debounced ? t("clients.noMatch", { text: debounced }) : t("clients.empty")}</Text>
        ) : (
          <Table striped highlightOnHover data-testid="client-results">
            <Table.Caption>{t("clients.resultsCaption")}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("client.name")}</Table.Th>
                <Table.Th>{t("client.birthDate")}</Table.Th>
                <Table.Th>{t("client.nationality")}</Table.Th>
                <Table.Th>{t("client.residenceStatus")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {edges.map(({ node }) => (
                <Table.Tr key={node.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/clients/${node.id}`}>
                      {node.familyName} {node.givenName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDate(node.birthDate, i18n.language)}</Table.Td>
                  <Table.Td>{countryName(node.nationality, i18n.language)}</Table.Td>
                  <Table.Td>{node.residenceStatus ? t(`residence.${node.residenceStatus}`) : ""}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      {data?.searchClients.pageInfo.hasNextPage && (
        <Button variant="default" onClick={() => setAfter(data.searchClients.pageInfo.endCursor ?? null)}>
          {t("common.more")}
        </Button>
      )}
    </Stack>
  );
}
