import { useState, type FormEvent } from "react";
import {
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { graphql } from "../../gql";
import type { Role } from "../../gql/graphql";
import { fieldError, problemOf } from "../../api";
import { useSession } from "../../auth";
import { formatDateTime } from "../../format";

const StaffQuery = graphql(`
  query StaffPage {
    assignableRoles
    staff {
      userId
      email
      displayName
      roles
      disabled
    }
    invitations {
      id
      email
      displayName
      roles
      language
      createdAt
      expiresAt
      status
    }
  }
`);

const SetRoles = graphql(`
  mutation SetStaffRoles($userId: UserId!, $roles: [Role!]!) {
    setStaffRoles(userId: $userId, roles: $roles) {
      userId
      roles
    }
  }
`);

const RemoveStaff = graphql(`
  mutation RemoveStaffMember($userId: UserId!) {
    removeStaffMember(userId: $userId)
  }
`);

const Invite = graphql(`
  mutation InviteStaff($input: InviteStaffInput!) {
    inviteStaff(input: $input) {
      id
      status
    }
  }
`);

const Revoke = graphql(`
  mutation RevokeInvitation($id: InvitationId!) {
    revokeInvitation(id: $id) {
      id
      status
    }
  }
`);

/** Centre admins: the staff and their roles, invitations by email. */
export default function StaffPage() {
  const { t, i18n } = useTranslation();
  const { viewer } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: StaffQuery });
  const [rolesState, setRoles] = useMutation(SetRoles);
  const [removeState, remove] = useMutation(RemoveStaff);
  const [revokeState, revoke] = useMutation(Revoke);
  const problem = problemOf(error ?? rolesState.error ?? removeState.error ?? revokeState.error);
  const roleOptions = (data?.assignableRoles ?? []).map((r) => ({ value: r, label: t(`role.${r}`) }));

  return (
    <Stack gap="xl">
      <Title order={1}>{t("staff.title")}</Title>
      <ProblemAlert problem={problem} withFields />
      <section aria-labelledby="staff-list">
        <Title order={2} size="h3" id="staff-list" mb="sm">
          {t("staff.members")}
        </Title>
        {fetching && !data ? (
          <Loading />
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("staff.name")}</Table.Th>
                <Table.Th>{t("signIn.email")}</Table.Th>
                <Table.Th>{t("staff.roles")}</Table.Th>
                <Table.Th>{t("staff.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data?.staff.map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>
                    {m.displayName} {m.disabled && <Badge color="gray">{t("staff.disabled")}</Badge>}
                  </Table.Td>
                  <Table.Td>{m.email}</Table.Td>
                  <Table.Td miw={280}>
                    <MultiSelect
                      aria-label={t("staff.rolesOf", { name: m.displayName })}
                      data={roleOptions}
                      searchable
                      value={m.roles}
                      onChange={(roles) => roles.length > 0 && void setRoles({ userId: m.userId, roles: roles as Role[] })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {m.userId !== viewer?.id && (
                      <Button
                        variant="default"
                        size="xs"
                        onClick={() => {
                          if (window.confirm(t("staff.removeConfirm", { name: m.displayName })))
                            void remove({ userId: m.userId }).then(() => refetch({ requestPolicy: "network-only" }));
                        }}
                      >
                        {t("staff.remove")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <InviteForm roleOptions={roleOptions} onInvited={() => refetch({ requestPolicy: "network-only" })} />
      <section aria-labelledby="invitations">
        <Title order={2} size="h3" id="invitations" mb="sm">
          {t("staff.invitations")}
        </Title>
        {data && data.invitations.length === 0 ? (
          <Text>{t("staff.noInvitations")}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("staff.name")}</Table.Th>
                <Table.Th>{t("signIn.email")}</Table.Th>
                <Table.Th>{t("staff.roles")}</Table.Th>
                <Table.Th>{t("staff.status")}</Table.Th>
                <Table.Th>{t("staff.expires")}</Table.Th>
                <Table.Th>{t("staff.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data?.invitations.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td>{inv.displayName}</Table.Td>
                  <Table.Td>{inv.email}</Table.Td>
                  <Table.Td>{inv.roles.map((r) => t(`role.${r}`)).join(", ")}</Table.Td>
                  <Table.Td>{t(`invitationStatus.${inv.status}`)}</Table.Td>
                  <Table.Td>{formatDateTime(inv.expiresAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    {inv.status === "PENDING" && (
                      <Button variant="default" size="xs" onClick={() => void revoke({ id: inv.id })}>
                        {t("staff.revoke")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </Stack>
  );
}

function InviteForm({ roleOptions, onInvited }: { roleOptions: { value: Role; label: string }[]; onInvited: () => void }) {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [roles, setRoles] = useState<Role[]>([]);
  const [language, setLanguage] = useState<string | null>(i18n.language);
  const [sent, setSent] = useState(false);
  const [{ fetching, error }, invite] = useMutation(Invite);
  const problem = problemOf(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSent(false);
    const r = await invite({ input: { email: email.trim(), displayName: name.trim(), roles, language: language ?? "cs" } });
    if (!r.error) {
      setSent(true);
      setEmail("");
      setName("");
      setRoles([]);
      onInvited();
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="invite">
      <Title order={2} size="h3" id="invite" mb="sm">
        {t("staff.invite")}
      </Title>
      {sent && (
        <Alert color="green" role="status" mb="sm">
          {t("staff.invited")}
        </Alert>
      )}
      <ProblemAlert problem={problem} mb="sm" />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput label={t("staff.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(problem, "displayName")} />
        <TextInput label={t("signIn.email")} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(problem, "email")} />
        <MultiSelect
          label={t("staff.roles")}
          required
          data={roleOptions}
          searchable
          value={roles}
          onChange={(v) => setRoles(v as Role[])}
          error={fieldError(problem, "roles")}
        />
        <Select
          label={t("staff.emailLanguage")}
          data={[
            { value: "cs", label: "Čeština" },
            { value: "en", label: "English" },
          ]}
          value={language}
          onChange={setLanguage}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Group mt="sm">
        <Button type="submit" loading={fetching}>
          {t("staff.sendInvitation")}
        </Button>
        <Text size="sm" c="dimmed">
          {t("staff.linkValid")}
        </Text>
      </Group>
    </form>
  );
}
