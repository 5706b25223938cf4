import { Anchor, Checkbox, Group, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { ProblemAlert, Loading } from "../components/Feedback";
import { graphql } from "../gql";
import { problemOf } from "../api";
import { useSession } from "../auth";
import { formatDate } from "../format";
import { CentreToday } from "./CentreToday";

const MyTasksQuery = graphql(`
  query MyTasks {
    myTasks(includeDone: false, first: 50) {
      id
      title
      dueOn
      overdue
      clientId
      done
    }
  }
`);

const SetTaskDone = graphql(`
  mutation SetTaskDone($id: TaskId!, $done: Boolean!) {
    setTaskDone(id: $id, done: $done) {
      id
      done
      doneAt
    }
  }
`);

/** The first page after sign-in: my open tasks, today first. */
export default function HomePage() {
  const { t, i18n } = useTranslation();
  const { viewer, can } = useSession();
  const canDesk = can("SERVE_DESK");
  return (
    <Stack>
      <Title order={1}>{t("home.title", { name: viewer?.displayName ?? "" })}</Title>
      {viewer?.centre && (
        <Text c="dimmed">
          {viewer.centre.name}, {viewer.centre.region}
        </Text>
      )}
      {viewer?.centre && <CentreToday />}
      {canDesk ? <MyTasks lang={i18n.language} /> : null}
      {!viewer?.centre && (
        <Text>
          {t("home.ministry")}{" "}
          {viewer?.roles.includes("MINISTRY_OFFICER") && (
            <Anchor component={Link} to="/ministry">
              {t("home.ministryLink")}
            </Anchor>
          )}
        </Text>
      )}
    </Stack>
  );
}

function MyTasks({ lang }: { lang: string }) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: MyTasksQuery });
  const [, setDone] = useMutation(SetTaskDone);
  const problem = problemOf(error);
  return (
    <section aria-labelledby="my-tasks">
      <Title order={2} size="h3" id="my-tasks" mb="sm">
        {t("tasks.title")}
      </Title>
      <ProblemAlert problem={problem} />
      {fetching && !data ? (
        <Loading />
      ) : data && data.myTasks.length === 0 ? (
        <Text>{t("tasks.none")}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("tasks.done")}</Table.Th>
              <Table.Th>{t("tasks.task")}</Table.Th>
              <Table.Th>{t("tasks.due")}</Table.Th>
              <Table.Th>{t("tasks.client")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.myTasks.map((task) => (
              <Table.Tr key={task.id}>
                <Table.Td>
                  <Checkbox
                    aria-label={t("tasks.markDone", { title: task.title })}
                    checked={task.done}
                    onChange={(e) => void setDone({ id: task.id, done: e.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>{task.title}</Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {formatDate(task.dueOn, lang)}
                    {task.overdue && (
                      <Text span c="red.9" fw={600} size="sm">
                        {t("tasks.overdue")}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {task.clientId ? (
                    <Anchor component={Link} to={`/clients/${task.clientId}`}>
                      {t("tasks.openClient")}
                    </Anchor>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
