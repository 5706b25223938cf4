import { useState, type FormEvent } from "react";
import { Alert, Anchor, Button, Group, List, Stack, Text, Title } from "@mantine/core";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { RegisterClientMutation } from "../../gql/graphql";
import { problemOf } from "../../api";
import { countryName, formatDate } from "../../format";
import { ClientFields, EMPTY_CLIENT, missingClientFields, toClientInput, type ClientValues } from "./ClientForm";
import { EMPTY_RESIDENCE, ResidenceFields, toResidenceInput, type ResidenceValues } from "./ResidenceFields";

export const RegisterResultFields = graphql(`
  fragment RegisterResultFields on RegisterClientResult {
    client {
      id
    }
    duplicates {
      samePerson
      sameBirthDate
      client {
        id
        givenName
        familyName
        birthDate
        nationality
      }
    }
  }
`);

const RegisterMutation = graphql(`
  mutation RegisterClient($input: ClientInput!, $residence: ResidenceInput, $confirm: Boolean) {
    registerClient(input: $input, residence: $residence, confirmNotDuplicate: $confirm) {
      ...RegisterResultFields
    }
  }
`);

const FromInquiryMutation = graphql(`
  mutation RegisterClientFromInquiry($inquiryId: InquiryId!, $input: ClientInput!, $residence: ResidenceInput, $confirm: Boolean) {
    registerClientFromInquiry(inquiryId: $inquiryId, input: $input, residence: $residence, confirmNotDuplicate: $confirm) {
      ...RegisterResultFields
    }
  }
`);

type Duplicates = RegisterClientMutation["registerClient"]["duplicates"];

/** Records that look like the person being registered, with the way to go
 * on when it is someone else. */
export function DuplicateWarning({
  duplicates,
  saving,
  onConfirm,
}: {
  duplicates: Duplicates;
  saving: boolean;
  onConfirm: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Alert color="yellow" role="alert" title={t("register.duplicatesTitle")} data-testid="duplicate-warning">
      <Text size="sm" mb="xs">
        {t("register.duplicatesText")}
      </Text>
      <List size="sm" mb="sm">
        {duplicates.map((d) => (
          <List.Item key={d.client.id}>
            <Anchor component={Link} to={`/clients/${d.client.id}`}>
              {d.client.familyName} {d.client.givenName}
            </Anchor>
            {", "}
            {formatDate(d.client.birthDate, i18n.language)}
            {", "}
            {countryName(d.client.nationality, i18n.language)}
            {d.samePerson ? ` (${t("register.samePerson")})` : d.sameBirthDate ? ` (${t("register.sameBirthDate")})` : ""}
          </List.Item>
        ))}
      </List>
      <Button onClick={onConfirm} loading={saving}>
        {t("register.differentPerson")}
      </Button>
    </Alert>
  );
}

/** Registers a client, warning first about records of the same person. */
export default function ClientRegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // From an anonymous inquiry: the person becomes a client and the inquiry
  // is linked to them; what the inquiry knew is filled in.
  const [params] = useSearchParams();
  const inquiry = params.get("inquiry");
  const [values, setValues] = useState<ClientValues>(() => ({
    ...EMPTY_CLIENT,
    nationality: params.get("nationality") ?? "",
    languages: params.get("language") ? [params.get("language") ?? ""] : [],
  }));
  const [residence, setResidence] = useState<ResidenceValues>(EMPTY_RESIDENCE);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [duplicates, setDuplicates] = useState<Duplicates>([]);
  const [plain, register] = useMutation(RegisterMutation);
  const [linked, registerLinked] = useMutation(FromInquiryMutation);
  const { fetching, error } = inquiry ? linked : plain;
  const problem = problemOf(error);

  async function save(confirm: boolean) {
    const m = missingClientFields(values);
    setMissing(m);
    if (Object.keys(m).length > 0 || (residence.status && !residence.validFrom)) return;
    const vars = { input: toClientInput(values), residence: toResidenceInput(residence), confirm };
    const res = inquiry
      ? (await registerLinked({ inquiryId: inquiry, ...vars })).data?.registerClientFromInquiry
      : (await register(vars)).data?.registerClient;
    if (!res) return;
    if (res.client) navigate(`/clients/${res.client.id}`);
    else setDuplicates(res.duplicates);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(false);
  }

  return (
    <Stack>
      <Title order={1}>{t("register.title")}</Title>
      {inquiry && <Alert color="blue">{t("register.fromInquiry")}</Alert>}
      <form onSubmit={submit} noValidate>
        <Stack>
          {duplicates.length > 0 && (
            <DuplicateWarning duplicates={duplicates} saving={fetching} onConfirm={() => void save(true)} />
          )}
          <ProblemAlert problem={problem} />
          <ClientFields values={values} onChange={setValues} problem={problem} missing={missing} />
          <ResidenceFields values={residence} onChange={setResidence} problem={problem} requireFrom />
          <Group>
            <Button type="submit" loading={fetching}>
              {t("register.submit")}
            </Button>
            <Button variant="default" component={Link} to="/clients">
              {t("common.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
