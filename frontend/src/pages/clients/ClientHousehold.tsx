import { useState, type FormEvent } from "react";
import { Anchor, Button, Group, Select, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { ClientPageQuery, HouseholdRelation } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { ClientPicker, type PickedClient } from "../../components/ClientPicker";

const RELATIONS = ["PARTNER", "CHILD", "PARENT", "SIBLING", "OTHER"] as const;

const Link_ = graphql(`
  mutation LinkHousehold($id: ClientId!, $other: ClientId!, $relation: HouseholdRelation!) {
    linkHousehold(clientId: $id, otherClientId: $other, relation: $relation) {
      id
      household {
        clientId
        givenName
        familyName
        relation
      }
    }
  }
`);

const Unlink = graphql(`
  mutation UnlinkHousehold($id: ClientId!, $other: ClientId!) {
    unlinkHousehold(clientId: $id, otherClientId: $other) {
      id
      household {
        clientId
        givenName
        familyName
        relation
      }
    }
  }
`);

/** The client's household: linked members, linking and unlinking. */
export function ClientHousehold({ client, canEdit }: { client: ClientPageQuery["client"]; canEdit: boolean }) {
  const { t } = useTranslation();
  const [other, setOther] = useState<PickedClient[]>([]);
  const [relation, setRelation] = useState<string | null>(null);
  const [linkState, link] = useMutation(Link_);
  const [unlinkState, unlink] = useMutation(Unlink);
  const problem = problemOf(linkState.error ?? unlinkState.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!other[0] || !relation) return;
    const r = await link({ id: client.id, other: other[0].id, relation: relation as HouseholdRelation });
    if (!r.error) {
      setOther([]);
      setRelation(null);
    }
  }

  return (
    <section aria-labelledby="household">
      <Title order={2} size="h3" id="household" mb="sm">
        {t("household.title")}
      </Title>
      {client.household.length === 0 ? (
        <Text>{t("household.none")}</Text>
      ) : (
        <Table>
          <Table.Tbody>
            {client.household.map((m) => (
              <Table.Tr key={m.clientId}>
                <Table.Td>
                  <Anchor component={Link} to={`/clients/${m.clientId}`}>
                    {m.familyName} {m.givenName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`household.${m.relation}`)}</Table.Td>
                <Table.Td>
                  {canEdit && (
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => void unlink({ id: client.id, other: m.clientId })}
                      aria-label={t("household.unlinkOne", { name: `${m.familyName} ${m.givenName}` })}
                    >
                      {t("household.unlink")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canEdit && (
        <form onSubmit={submit} noValidate>
          <ProblemAlert problem={problem} withFields my="sm" />
          <Group align="flex-end" mt="sm">
            <ClientPicker
              label={t("household.member")}
              value={other}
              onChange={(c) => setOther(c.slice(-1))}
              miw={300}
              error={fieldError(problem, "otherClientId")}
            />
            <Select
              label={t("household.relation")}
              data={RELATIONS.map((r) => ({ value: r, label: t(`household.${r}`) }))}
              value={relation}
              onChange={setRelation}
            />
            <Button type="submit" variant="default" loading={linkState.fetching} disabled={!other[0] || !relation}>
              {t("household.link")}
            </Button>
          </Group>
        </form>
      )}
    </section>
  );
}
