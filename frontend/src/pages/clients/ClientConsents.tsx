import { useState, type FormEvent } from "react";
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { ClientPageQuery, ConsentPurpose } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { formatDate, formatDateTime, todayInPrague } from "../../format";

const PURPOSES = ["DATA_PROCESSING", "NEWSLETTER", "PHOTOGRAPHY", "SHARING_WITH_PARTNERS"] as const;

const RecordConsent = graphql(`
  mutation RecordConsent($clientId: ClientId!, $purpose: ConsentPurpose!, $given: Boolean!, $on: Date!) {
    recordConsent(clientId: $clientId, purpose: $purpose, given: $given, decidedOn: $on) {
      id
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
    }
  }
`);

/** Consents in force per purpose, their history, and recording a decision. */
export function ClientConsents({ client }: { client: ClientPageQuery["client"] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const [purpose, setPurpose] = useState<string | null>(null);
  const [given, setGiven] = useState<string | null>("yes");
  const [on, setOn] = useState(todayInPrague());
  const [{ fetching, error }, record] = useMutation(RecordConsent);
  const problem = problemOf(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!purpose) return;
    await record({ clientId: client.id, purpose: purpose as ConsentPurpose, given: given === "yes", on });
  }

  const inForce = new Map(client.consentsInForce.map((c) => [c.purpose, c]));
  return (
    <Stack gap="xl">
      <section aria-labelledby="consents-in-force">
        <Title order={2} size="h3" id="consents-in-force" mb="sm">
          {t("consent.inForce")}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("consent.purpose")}</Table.Th>
              <Table.Th>{t("consent.decision")}</Table.Th>
              <Table.Th>{t("consent.decidedOn")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PURPOSES.map((p) => {
              const c = inForce.get(p);
              return (
                <Table.Tr key={p}>
                  <Table.Td>{t(`consent.${p}`)}</Table.Td>
                  <Table.Td>
                    {c ? (
                      <Badge variant="light" color={c.given ? "green" : "red"}>
                        {c.given ? t("consent.given") : t("consent.withdrawn")}
                      </Badge>
                    ) : (
                      t("consent.notAsked")
                    )}
                  </Table.Td>
                  <Table.Td>{c ? formatDate(c.decidedOn, lang) : ""}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </section>
      {can("REGISTER_CLIENTS") && (
        <form onSubmit={submit} noValidate aria-labelledby="record-consent">
          <Title order={2} size="h3" id="record-consent" mb="sm">
            {t("consent.record")}
          </Title>
          <ProblemAlert problem={problem} mb="sm" />
          <Group align="flex-end">
            <Select
              label={t("consent.purpose")}
              data={PURPOSES.map((p) => ({ value: p, label: t(`consent.${p}`) }))}
              value={purpose}
              onChange={setPurpose}
              required
              error={fieldError(problem, "purpose")}
            />
            <Select
              label={t("consent.decision")}
              data={[
                { value: "yes", label: t("consent.given") },
                { value: "no", label: t("consent.withdrawn") },
              ]}
              value={given}
              onChange={setGiven}
              allowDeselect={false}
            />
            <TextInput
              label={t("consent.decidedOn")}
              type="date"
              value={on}
              onChange={(e) => setOn(e.currentTarget.value)}
              error={fieldError(problem, "decidedOn")}
            />
            <Button type="submit" loading={fetching} disabled={!purpose}>
              {t("common.save")}
            </Button>
          </Group>
        </form>
      )}
      <section aria-labelledby="consent-history">
        <Title order={2} size="h3" id="consent-history" mb="sm">
          {t("consent.history")}
        </Title>
        {client.consents.length === 0 ? (
          <Text>{t("consent.none")}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("consent.purpose")}</Table.Th>
                <Table.Th>{t("consent.decision")}</Table.Th>
                <Table.Th>{t("consent.decidedOn")}</Table.Th>
                <Table.Th>{t("consent.recordedAt")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {client.consents.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{t(`consent.${c.purpose}`)}</Table.Td>
                  <Table.Td>{c.given ? t("consent.given") : t("consent.withdrawn")}</Table.Td>
                  <Table.Td>{formatDate(c.decidedOn, lang)}</Table.Td>
                  <Table.Td>{formatDateTime(c.recordedAt, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </Stack>
  );
}
