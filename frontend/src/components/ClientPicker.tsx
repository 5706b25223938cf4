import { useMemo, useRef, useState } from "react";
import { MultiSelect, type MultiSelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import { formatDate } from "../format";

const PickerQuery = graphql(`
  query ClientPicker($text: String!) {
    searchClients(text: $text, first: 10, typing: true) {
      edges {
        node {
          id
          givenName
          familyName
          birthDate
          nationality
        }
      }
    }
  }
`);

/** A picked client with the label shown for it. */
export interface PickedClient {
  id: string;
  label: string;
}

/** Picks one or more clients by typing their name (the server's
 * typo-tolerant search; no filtering in the browser). */
export function ClientPicker({
  value,
  onChange,
  description,
  exclude = [],
  ...props
}: {
  value: PickedClient[];
  onChange: (v: PickedClient[]) => void;
  /** Clients not to offer (the record itself when picking its duplicate). */
  exclude?: string[];
} & Omit<MultiSelectProps, "value" | "onChange" | "data">) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 80);
  const [{ data }] = useQuery({
    query: PickerQuery,
    variables: { text: debounced },
    pause: debounced.length < 2,
  });
  const known = useRef(new Map<string, string>());
  for (const p of value) known.current.set(p.id, p.label);
  const options = useMemo(() => {
    const found = (debounced.length >= 2 ? data?.searchClients.edges ?? [] : []).filter(({ node }) => !exclude.includes(node.id)).map(({ node }) => {
      const label = `${node.familyName} ${node.givenName}${node.birthDate ? `, ${formatDate(node.birthDate, i18n.language)}` : ""} (${node.nationality})`;
      known.current.set(node.id, label);
      return { value: node.id, label };
    });
    const chosen = value.filter((p) => !found.some((f) => f.value === p.id)).map((p) => ({ value: p.id, label: p.label }));
    return [...chosen, ...found];
    // `exclude` is compared by content: callers pass a new array each render.
  }, [data, debounced, value, i18n.language, exclude.join()]);

  return (
    <MultiSelect
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      data={options}
      filter={({ options: o }) => o}
      // "Nothing found" below the field, not as a listbox without options
      // (which assistive technology cannot read as a list).
      description={
        debounced.length >= 2 && data && options.length === value.length
          ? t("clients.noMatch", { text: debounced })
          : (description ?? (search.length > 0 && debounced.length < 2 ? t("picker.typeName") : undefined))
      }
      value={value.map((p) => p.id)}
      onChange={(ids) => onChange(ids.map((id) => ({ id, label: known.current.get(id) ?? id })))}
      {...props}
    />
  );
}
