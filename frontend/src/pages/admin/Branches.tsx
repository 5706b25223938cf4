import { useState, type FormEvent } from "react";
import { Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import { fieldError, problemOf } from "../../api";

const BranchesQuery = graphql(`
  query Branches {
    branches {
      id
      name
      municipality
      address
    }
  }
`);

const CreateBranch = graphql(`
  mutation CreateBranch($input: BranchInput!) {
    createBranch(input: $input) {
      id
      name
      municipality
      address
    }
  }
`);

const UpdateBranch = graphql(`
  mutation UpdateBranch($id: BranchId!, $input: BranchInput!) {
    updateBranch(id: $id, input: $input) {
      id
      name
      municipality
      address
    }
  }
`);

const RoomsQuery = graphql(`
  query Rooms {
    rooms {
      id
      branchId
      name
      capacity
    }
  }
`);

const CreateRoom = graphql(`
  mutation CreateRoom($branchId: BranchId!, $name: String!, $capacity: Int) {
    createRoom(branchId: $branchId, name: $name, capacity: $capacity) {
      id
    }
  }
`);

interface BranchValues {
  name: string;
  municipality: string;
  address: string;
}

/** Centre admins: the centre's branches (pracoviště). */
export default function BranchesPage() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: BranchesQuery });
  const [editing, setEditing] = useState<string | null>(null);
  const problem = problemOf(error);
  return (
    <Stack gap="xl">
      <Title order={1}>{t("branches.title")}</Title>
      <ProblemAlert problem={problem} />
      {fetching && !data ? (
        <Loading />
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("branches.name")}</Table.Th>
              <Table.Th>{t("branches.municipality")}</Table.Th>
              <Table.Th>{t("branches.address")}</Table.Th>
              <Table.Th>{t("staff.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.branches.map((b) =>
              editing === b.id ? (
                <Table.Tr key={b.id}>
                  <Table.Td colSpan={4}>
                    <BranchForm
                      id={b.id}
                      initial={{ name: b.name, municipality: b.municipality, address: b.address }}
                      onDone={() => setEditing(null)}
                    />
                  </Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={b.id}>
                  <Table.Td>{b.name}</Table.Td>
                  <Table.Td>{b.municipality}</Table.Td>
                  <Table.Td>{b.address}</Table.Td>
                  <Table.Td>
                    <Button variant="default" size="xs" onClick={() => setEditing(b.id)} aria-label={t("branches.editOne", { name: b.name })}>
                      {t("branches.edit")}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      )}
      <section aria-labelledby="new-branch">
        <Title order={2} size="h3" id="new-branch" mb="sm">
          {t("branches.new")}
        </Title>
        <BranchForm initial={{ name: "", municipality: "", address: "" }} onDone={() => refetch({ requestPolicy: "network-only" })} />
      </section>
      <Rooms branches={data?.branches ?? []} />
    </Stack>
  );
}

function BranchForm({ id, initial, onDone }: { id?: string; initial: BranchValues; onDone: () => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState(initial);
  const [createState, create] = useMutation(CreateBranch);
  const [updateState, update] = useMutation(UpdateBranch);
  const problem = problemOf(id ? updateState.error : createState.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = id ? await update({ id, input: v }) : await create({ input: v });
    if (!r.error) {
      if (!id) setV(initial);
      onDone();
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <ProblemAlert problem={problem} mb="sm" />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t("branches.name")} required value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} error={fieldError(problem, "name")} />
        <TextInput
          label={t("branches.municipality")}
          required
          value={v.municipality}
          onChange={(e) => setV({ ...v, municipality: e.currentTarget.value })}
          error={fieldError(problem, "municipality")}
        />
        <TextInput label={t("branches.address")} value={v.address} onChange={(e) => setV({ ...v, address: e.currentTarget.value })} error={fieldError(problem, "address")} />
      </SimpleGrid>
      <Group mt="sm">
        <Button type="submit" loading={createState.fetching || updateState.fetching}>
          {id ? t("common.save") : t("branches.add")}
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

/** Rooms of the branches, booked by courses (clash checks per room). */
function Rooms({ branches }: { branches: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const [{ data, error }, refetch] = useQuery({ query: RoomsQuery });
  const [branch, setBranch] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [capacity, setCapacity] = useState<number | string>("");
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [state, create] = useMutation(CreateRoom);
  const problem = problemOf(error ?? state.error);
  const branchName = new Map(branches.map((b) => [b.id, b.name]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const m = { branch: !branch, name: !name.trim() };
    setMissing(m);
    if (!branch || m.name) return;
    const r = await create({ branchId: branch, name: name.trim(), capacity: capacity === "" ? null : Number(capacity) });
    if (!r.error) {
      setName("");
      setCapacity("");
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <section aria-labelledby="rooms-title">
      <Title order={2} size="h3" id="rooms-title" mb="sm">
        {t("branches.rooms")}
      </Title>
      <ProblemAlert problem={problem} mb="sm" />
      <Table mb="md">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("branches.room")}</Table.Th>
            <Table.Th>{t("courses.branch")}</Table.Th>
            <Table.Th>{t("courses.capacity")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.rooms ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>{branchName.get(r.branchId)}</Table.Td>
              <Table.Td>{r.capacity ?? ""}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t("branches.addRoom")}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t("branches.roomBranch")}
            data={branches.map((b) => ({ value: b.id, label: b.name }))}
            value={branch}
            onChange={setBranch}
            required
            error={missing.branch ? t("form.required") : fieldError(problem, "branchId")}
          />
          <TextInput
            label={t("branches.room")}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={missing.name ? t("form.required") : fieldError(problem, "name")}
          />
          <NumberInput label={t("courses.capacity")} min={1} value={capacity} onChange={setCapacity} error={fieldError(problem, "capacity")} />
        </SimpleGrid>
        <Button type="submit" mt="sm" loading={state.fetching}>
          {t("branches.addRoom")}
        </Button>
      </form>
    </section>
  );
}
