import { MultiSelect, Select, type MultiSelectProps, type SelectProps } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { countryName, languageName } from "../format";
import { ALL_COUNTRIES, COMMON_LANGUAGES, COMMON_NATIONALITIES } from "./labels";

/** A searchable country picker: the most frequent nationalities first. */
export function CountrySelect(props: Omit<SelectProps, "data">) {
  const { t, i18n } = useTranslation();
  const data = useMemo(() => {
    const lang = i18n.language;
    const common = COMMON_NATIONALITIES.map((c) => ({ value: c, label: countryName(c, lang) }));
    const rest = ALL_COUNTRIES.filter((c) => !COMMON_NATIONALITIES.includes(c))
      .map((c) => ({ value: c, label: countryName(c, lang) }))
      .sort((a, b) => a.label.localeCompare(b.label, lang));
    return [
      { group: t("pickers.frequent"), items: common },
      { group: t("pickers.allCountries"), items: rest },
    ];
  }, [i18n.language, t]);
  return <Select searchable data={data} {...props} />;
}

/** A searchable multi-select of languages (ISO 639-1). */
export function LanguagesSelect(props: Omit<MultiSelectProps, "data">) {
  const { i18n } = useTranslation();
  const data = useMemo(
    () => COMMON_LANGUAGES.map((c) => ({ value: c, label: languageName(c, i18n.language) })),
    [i18n.language],
  );
  return <MultiSelect searchable data={data} {...props} />;
}

/** A single language (ISO 639-1). */
export function LanguageSelect(props: Omit<SelectProps, "data">) {
  const { i18n } = useTranslation();
  const data = useMemo(
    () => COMMON_LANGUAGES.map((c) => ({ value: c, label: languageName(c, i18n.language) })),
    [i18n.language],
  );
  return <Select searchable clearable data={data} {...props} />;
}

/** A funding project of the centre ("AMIF/52/10 Integrace …"). */
export function ProjectSelect({
  projects,
  ...props
}: { projects: { id: string; registrationNumber: string; name: string }[] } & Omit<SelectProps, "data">) {
  return <Select data={projects.map((p) => ({ value: p.id, label: `${p.registrationNumber} ${p.name}` }))} {...props} />;
}
