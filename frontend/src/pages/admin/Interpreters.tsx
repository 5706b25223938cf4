import { useState, type FormEvent } from "react";
import { Badge, Button, Checkbox, Group, SimpleGrid, Stack, Table, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import { fieldError, problemOf } from "../../api";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { LanguagesSelect } from "../../components/pickers";
import { languageName } from "../../format";

const InterpretersQuery = graphql(`
  query InterpretersAdmin {
    interpreters {
      id
      name
      languages
      email
      phone
      external
      active
    }
  }
`);

const AddInterpreter = graphql(`
  mutation AddInterpreter($input: InterpreterInput!) {
    addInterpreter(input: $input) {
      id
    }
  }
`);

const UpdateInterpreter = graphql(`
  mutation UpdateInterpreter($id: InterpreterId!, $input: InterpreterInput!) {
    updateInterpreter(id: $id, input: $input) {
      id
      active
    }
  }
`);

interface Values {
  name: string;
  languages: string[];
  email: string;
  phone: string;
  active: boolean;
}

const EMPTY: Values = { name: "", languages: [], email: "", phone: "", active: true };

/** Centre admins: interpreters (staff or external contractors) with their
 * languages, bookable for appointments, courses and events alike. */
export default function InterpretersPage() {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: InterpretersQuery });
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => refetch({ requestPolicy: "network-only" });
  return (
    <Stack gap="xl">
      <Title order={1}>{t("interpreters.title")}</Title>
      <ProblemAlert problem={problemOf(error)} />
      {fetching && !data ? (
        <Loading />
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("interpreters.name")}</Table.Th>
              <Table.Th>{t("interpreters.languages")}</Table.Th>
              <Table.Th>{t("interpreters.contact")}</Table.Th>
              <Table.Th>{t("staff.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.interpreters ?? []).map((i) =>
              editing === i.id ? (
                <Table.Tr key={i.id}>
                  <Table.Td colSpan={4}>
                    <InterpreterForm
                      id={i.id}
                      initial={{ name: i.name, languages: i.languages, email: i.email, phone: i.phone, active: i.active }}
                      onDone={() => {
                        setEditing(null);
                        refresh();
                      }}
                    />
                  </Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    {i.name}
                    {!i.active && (
                      <Badge ml="xs" color="gray">
                        {t("interpreters.inactive")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{i.languages.map((l) => languageName(l, i18n.language)).join(", ")}</Table.Td>
                  <Table.Td>{[i.email, i.phone].filter(Boolean).join(" · ")}</Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="default" onClick={() => setEditing(i.id)}>
                      {t("interpreters.edit")}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      )}
      <section aria-labelledby="new-interpreter">
        <Title order={2} size="h3" id="new-interpreter" mb="sm">
          {t("interpreters.new")}
        </Title>
        <InterpreterForm initial={EMPTY} onDone={refresh} />
      </section>
    </Stack>
  );
}

function InterpreterForm({ id, initial, onDone }: { id?: string; initial: Values; onDone: () => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState(initial);
  const [addState, add] = useMutation(AddInterpreter);
  const [updateState, update] = useMutation(UpdateInterpreter);
  const problem = problemOf(id ? updateState.error : addState.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { name: v.name, languages: v.languages, email: v.email, phone: v.phone, active: v.active };
    const r = id ? await update({ id, input }) : await add({ input });
    if (!r.error) {
      if (!id) setV(EMPTY);
      onDone();
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <ProblemAlert problem={problem} mb="sm" />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput label={t("interpreters.name")} required value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} error={fieldError(problem, "name")} />
        <LanguagesSelect
          label={t("interpreters.languages")}
          required
          value={v.languages}
          onChange={(languages) => setV({ ...v, languages })}
          error={fieldError(problem, "languages")}
        />
        <TextInput label={t("interpreters.email")} type="email" value={v.email} onChange={(e) => setV({ ...v, email: e.currentTarget.value })} error={fieldError(problem, "email")} />
        <TextInput label={t("interpreters.phone")} type="tel" value={v.phone} onChange={(e) => setV({ ...v, phone: e.currentTarget.value })} error={fieldError(problem, "phone")} />
      </SimpleGrid>
      <Group mt="sm">
        {id && <Checkbox label={t("interpreters.active")} checked={v.active} onChange={(e) => setV({ ...v, active: e.currentTarget.checked })} />}
        <Button type="submit" loading={addState.fetching || updateState.fetching}>
          {id ? t("common.save") : t("interpreters.add")}
        </Button>
        {id && (
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
        )}
      </Group>
    </form>
  );
}
