import { Checkbox, Fieldset, Select, SimpleGrid, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { fieldError, type ApiProblem } from "../../api";
import { RESIDENCE_STATUSES } from "../../components/labels";
import type { ResidenceInput, ResidenceStatus } from "../../gql/graphql";

/** A residence status as the form holds it. */
export interface ResidenceValues {
  status: string;
  documentType: string;
  documentNumber: string;
  validFrom: string;
  validTo: string;
  proceedingsPending: boolean;
}

/** Nothing entered. */
export const EMPTY_RESIDENCE: ResidenceValues = {
  status: "",
  documentType: "",
  documentNumber: "",
  validFrom: "",
  validTo: "",
  proceedingsPending: false,
};

/** The values as `ResidenceInput`, or null when no status was chosen. */
export function toResidenceInput(v: ResidenceValues): ResidenceInput | null {
  if (!v.status) return null;
  return {
    status: v.status as ResidenceStatus,
    documentType: v.documentType,
    documentNumber: v.documentNumber,
    validFrom: v.validFrom,
    validTo: v.validTo || null,
    proceedingsPending: v.proceedingsPending,
  };
}

/** Residence status fields with their messages beside them. */
export function ResidenceFields({
  values,
  onChange,
  problem,
  requireFrom,
}: {
  values: ResidenceValues;
  onChange: (v: ResidenceValues) => void;
  problem: ApiProblem | null;
  requireFrom: boolean;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof ResidenceValues>(k: K, value: ResidenceValues[K]) =>
    onChange({ ...values, [k]: value });
  return (
    <Fieldset legend={t("residence.legend")}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t("client.residenceStatus")}
          data={RESIDENCE_STATUSES.map((s) => ({ value: s, label: t(`residence.${s}`) }))}
          value={values.status || null}
          clearable
          error={fieldError(problem, "status")}
          onChange={(s) => set("status", s ?? "")}
        />
        <TextInput
          label={t("residence.validFrom")}
          type="date"
          required={!!values.status}
          value={values.validFrom}
          error={requireFrom && values.status && !values.validFrom ? t("form.required") : fieldError(problem, "validFrom")}
          onChange={(e) => set("validFrom", e.currentTarget.value)}
        />
        <TextInput
          label={t("residence.validTo")}
          type="date"
          value={values.validTo}
          error={fieldError(problem, "validTo")}
          onChange={(e) => set("validTo", e.currentTarget.value)}
        />
        <TextInput
          label={t("residence.documentType")}
          value={values.documentType}
          error={fieldError(problem, "documentType")}
          onChange={(e) => set("documentType", e.currentTarget.value)}
        />
        <TextInput
          label={t("residence.documentNumber")}
          value={values.documentNumber}
          autoComplete="off"
          error={fieldError(problem, "documentNumber")}
          onChange={(e) => set("documentNumber", e.currentTarget.value)}
        />
        <Checkbox
          mt="xl"
          label={t("residence.proceedingsPending")}
          checked={values.proceedingsPending}
          onChange={(e) => set("proceedingsPending", e.currentTarget.checked)}
        />
      </SimpleGrid>
    </Fieldset>
  );
}
