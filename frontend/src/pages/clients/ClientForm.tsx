import { Fieldset, Group, Select, SimpleGrid, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ApiProblem } from "../../api";
import { fieldError } from "../../api";
import { CountrySelect, LanguagesSelect } from "../../components/pickers";
import { SEXES } from "../../components/labels";
import type { ClientInput, Sex } from "../../gql/graphql";

/** The editable part of a client record, as the form holds it. */
export interface ClientValues {
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: string;
  nationality: string;
  languages: string[];
  phone: string;
  email: string;
  municipality: string;
  firstContactOn: string;
  referralSource: string;
}

/** An empty record. */
export const EMPTY_CLIENT: ClientValues = {
  givenName: "",
  familyName: "",
  birthDate: "",
  sex: "",
  nationality: "",
  languages: [],
  phone: "",
  email: "",
  municipality: "",
  firstContactOn: "",
  referralSource: "",
};

/** The values as the API's `ClientInput`; the server validates and names
 * the field of anything wrong. */
export function toClientInput(v: ClientValues, branchId?: string | null): ClientInput {
  return {
    givenName: v.givenName,
    familyName: v.familyName,
    birthDate: v.birthDate || null,
    sex: (v.sex || "OTHER") as Sex,
    nationality: v.nationality,
    languages: v.languages,
    phone: v.phone,
    email: v.email,
    municipality: v.municipality,
    firstContactOn: v.firstContactOn || null,
    referralSource: v.referralSource,
    branchId: branchId ?? null,
  };
}

/** Fields the browser can tell are missing before asking the server. */
export function missingClientFields(v: ClientValues): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v.givenName.trim()) out.givenName = "required";
  if (!v.familyName.trim()) out.familyName = "required";
  if (!v.sex) out.sex = "required";
  if (!v.nationality) out.nationality = "required";
  return out;
}

/** The client fields with their messages beside them. */
export function ClientFields({
  values,
  onChange,
  problem,
  missing,
}: {
  values: ClientValues;
  onChange: (v: ClientValues) => void;
  problem: ApiProblem | null;
  missing: Record<string, string>;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof ClientValues>(k: K, value: ClientValues[K]) => onChange({ ...values, [k]: value });
  const err = (name: keyof ClientValues) =>
    missing[name] ? t("form.required") : fieldError(problem, name);
  return (
    <>
      <Fieldset legend={t("client.identity")}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("client.givenName")}
            description={t("client.asOnDocument")}
            required
            value={values.givenName}
            error={err("givenName")}
            onChange={(e) => set("givenName", e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t("client.familyName")}
            description={t("client.asOnDocument")}
            required
            value={values.familyName}
            error={err("familyName")}
            onChange={(e) => set("familyName", e.currentTarget.value)}
          />
          <TextInput
            label={t("client.birthDate")}
            type="date"
            value={values.birthDate}
            error={err("birthDate")}
            onChange={(e) => set("birthDate", e.currentTarget.value)}
          />
          <Select
            label={t("client.sex")}
            required
            data={SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))}
            value={values.sex || null}
            error={err("sex")}
            onChange={(s) => set("sex", s ?? "")}
          />
          <CountrySelect
            label={t("client.nationality")}
            required
            value={values.nationality || null}
            error={err("nationality")}
            onChange={(c) => set("nationality", c ?? "")}
          />
          <LanguagesSelect
            label={t("client.languages")}
            value={values.languages}
            error={err("languages")}
            onChange={(l) => set("languages", l)}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t("client.contact")}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("client.phone")}
            type="tel"
            autoComplete="off"
            value={values.phone}
            error={err("phone")}
            onChange={(e) => set("phone", e.currentTarget.value)}
          />
          <TextInput
            label={t("client.email")}
            type="email"
            autoComplete="off"
            value={values.email}
            error={err("email")}
            onChange={(e) => set("email", e.currentTarget.value)}
          />
          <TextInput
            label={t("client.municipality")}
            value={values.municipality}
            error={err("municipality")}
            onChange={(e) => set("municipality", e.currentTarget.value)}
          />
          <Group grow>
            <TextInput
              label={t("client.firstContactOn")}
              type="date"
              value={values.firstContactOn}
              error={err("firstContactOn")}
              onChange={(e) => set("firstContactOn", e.currentTarget.value)}
            />
          </Group>
          <TextInput
            label={t("client.referralSource")}
            value={values.referralSource}
            error={err("referralSource")}
            onChange={(e) => set("referralSource", e.currentTarget.value)}
          />
        </SimpleGrid>
      </Fieldset>
    </>
  );
}
