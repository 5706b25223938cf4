import { useState, type FormEvent } from "react";
import { Button, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { ClientPageQuery } from "../../gql/graphql";
import { problemOf } from "../../api";
import { useSession } from "../../auth";
import { countryName, formatDate, languageName } from "../../format";
import { ClientFields, missingClientFields, toClientInput, type ClientValues } from "./ClientForm";
import { EMPTY_RESIDENCE, ResidenceFields, toResidenceInput, type ResidenceValues } from "./ResidenceFields";

type ClientData = ClientPageQuery["client"];

const UpdateClient = graphql(`
  mutation UpdateClient($id: ClientId!, $input: ClientInput!) {
    updateClient(id: $id, input: $input) {
      id
      givenName
      familyName
      birthDate
      sex
      nationality
      languages
      phone
      email
      municipality
      firstContactOn
      referralSource
      updatedAt
    }
  }
`);

const VerifyIdentity = graphql(`
  mutation VerifyIdentity($id: ClientId!) {
    verifyClientIdentity(clientId: $id) {
      id
      identityVerified
      identityVerifiedAt
    }
  }
`);

const AddResidence = graphql(`
  mutation AddResidence($id: ClientId!, $input: ResidenceInput!) {
    addResidenceStatus(clientId: $id, input: $input) {
      id
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
    }
  }
`);

function valuesOf(c: ClientData): ClientValues {
  return {
    givenName: c.givenName,
    familyName: c.familyName,
    birthDate: c.birthDate ?? "",
    sex: c.sex,
    nationality: c.nationality,
    languages: c.languages,
    phone: c.phone,
    email: c.email,
    municipality: c.municipality,
    firstContactOn: c.firstContactOn,
    referralSource: c.referralSource,
  };
}

/** The profile: read, edit with messages beside the fields, verify the
 * identity, add a residence status. */
export function ClientProfile({ client }: { client: ClientData }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const canEdit = can("MANAGE_CLIENTS");
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<ClientValues>(() => valuesOf(client));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [{ fetching, error }, update] = useMutation(UpdateClient);
  const [verifyState, verify] = useMutation(VerifyIdentity);
  const [addingResidence, setAddingResidence] = useState(false);
  const [residence, setResidence] = useState<ResidenceValues>(EMPTY_RESIDENCE);
  const [residenceState, addResidence] = useMutation(AddResidence);
  const problem = problemOf(error);
  const residenceProblem = problemOf(residenceState.error);

  async function save(e: FormEvent) {
    e.preventDefault();
    const m = missingClientFields(values);
    setMissing(m);
    if (Object.keys(m).length) return;
    const r = await update({ id: client.id, input: toClientInput(values, client.branchId) });
    if (!r.error) setEditing(false);
  }

  async function saveResidence(e: FormEvent) {
    e.preventDefault();
    const input = toResidenceInput(residence);
    if (!input || !residence.validFrom) return;
    const r = await addResidence({ id: client.id, input });
    if (!r.error) {
      setAddingResidence(false);
      setResidence(EMPTY_RESIDENCE);
    }
  }

  if (editing) {
    return (
      <form onSubmit={save} noValidate aria-labelledby="edit-profile">
        <Stack>
          <Title order={2} size="h3" id="edit-profile">
            {t("client.edit")}
          </Title>
          <ProblemAlert problem={problem} />
          <ClientFields values={values} onChange={setValues} problem={problem} missing={missing} />
          <Group>
            <Button type="submit" loading={fetching}>
              {t("common.save")}
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setValues(valuesOf(client));
                setEditing(false);
              }}
            >
              {t("common.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  const rows: [string, string][] = [
    [t("client.givenName"), client.givenName],
    [t("client.familyName"), client.familyName],
    [t("client.aliases"), client.aliases.map((a) => `${a.familyName} ${a.givenName}`).join(", ")],
    [t("client.birthDate"), formatDate(client.birthDate, lang)],
    [t("client.sex"), t(`sex.${client.sex}`)],
    [t("client.nationality"), countryName(client.nationality, lang)],
    [t("client.languages"), client.languages.map((l) => languageName(l, lang)).join(", ")],
    [t("client.phone"), client.phone],
    [t("client.email"), client.email],
    [t("client.municipality"), client.municipality],
    [t("client.firstContactOn"), formatDate(client.firstContactOn, lang)],
    [t("client.referralSource"), client.referralSource],
  ];
  return (
    <section aria-labelledby="profile">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="profile">
          {t("client.profile")}
        </Title>
        {canEdit && (
          <Group gap="xs">
            {!client.identityVerified && (
              <Button variant="default" size="xs" loading={verifyState.fetching} onClick={() => void verify({ id: client.id })}>
                {t("client.verify")}
              </Button>
            )}
            <Button variant="default" size="xs" onClick={() => setAddingResidence((v) => !v)}>
              {t("residence.add")}
            </Button>
            <Button size="xs" onClick={() => setEditing(true)}>
              {t("client.edit")}
            </Button>
          </Group>
        )}
      </Group>
      {addingResidence && (
        <form onSubmit={saveResidence} noValidate>
          <Stack mb="md">
            <ProblemAlert problem={residenceProblem} />
            <ResidenceFields values={residence} onChange={setResidence} problem={residenceProblem} requireFrom />
            <Group>
              <Button type="submit" loading={residenceState.fetching} disabled={!residence.status}>
                {t("common.save")}
              </Button>
              <Button variant="default" onClick={() => setAddingResidence(false)}>
                {t("common.cancel")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} component="dl" spacing="xs" verticalSpacing={4} m={0}>
        {rows.map(([k, v]) => (
          <div key={k}>
            <Text component="dt" size="sm" c="dimmed">
              {k}
            </Text>
            <Text component="dd" m={0}>
              {v || "—"}
            </Text>
          </div>
        ))}
      </SimpleGrid>
    </section>
  );
}
