import { useMemo, useState } from "react";
import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useTranslation } from "react-i18next";
import { graphql } from "../../gql";
import { problemOf } from "../../api";
import { useSession } from "../../auth";
import { ProblemAlert, Loading } from "../../components/Feedback";
import { formatDate } from "../../format";

const CoursesQuery = graphql(`
  query Courses {
    courses {
      id
      kind
      level
      title
      capacity
      enrolled
      status
      enrolmentOpensOn
      enrolmentClosesOn
      branchId
    }
    branches {
      id
      name
    }
  }
`);

/** The centre's courses (a lecturer's own), with places taken, and the way
 * to a new one. */
export default function CoursesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: CoursesQuery });
  const [filter, setFilter] = useState("");
  const [status, setStatus] = useState("ACTIVE");
  const branches = useMemo(() => new Map((data?.branches ?? []).map((b) => [b.id, b.name])), [data]);
  const needle = filter.trim().toLocaleLowerCase();
  const rows = (data?.courses ?? []).filter(
    (c) => (status === "ALL" || c.status === status) && (!needle || c.title.toLocaleLowerCase().includes(needle)),
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t("courses.title")}</Title>
        <Group>
          <Button component={Link} to="/timetable" variant="default">
            {t("nav.timetable")}
          </Button>
          {can("MANAGE_COURSES") && (
            <Button component={Link} to="/courses/new">
              {t("courses.new")}
            </Button>
          )}
        </Group>
      </Group>
      <Group align="flex-end">
        <TextInput label={t("courses.filter")} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} w={280} />
        <SegmentedControl
          aria-label={t("courses.status")}
          value={status}
          onChange={setStatus}
          data={[
            { value: "ACTIVE", label: t("courseStatus.ACTIVE") },
            { value: "CANCELLED", label: t("courseStatus.CANCELLED") },
            { value: "ALL", label: t("courses.all") },
          ]}
        />
      </Group>
      <ProblemAlert problem={problemOf(error)} />
      {fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t("courses.none")}</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("courses.name")}</Table.Th>
              <Table.Th>{t("courses.kind")}</Table.Th>
              <Table.Th>{t("courses.branch")}</Table.Th>
              <Table.Th>{t("courses.places")}</Table.Th>
              <Table.Th>{t("courses.enrolmentWindow")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/courses/${c.id}`}>
                    {c.title}
                  </Anchor>
                  {c.status === "CANCELLED" && (
                    <Badge ml="xs" color="gray">
                      {t("courseStatus.CANCELLED")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {t(`courseKind.${c.kind}`)}
                  {c.level ? ` ${c.level}` : ""}
                </Table.Td>
                <Table.Td>{c.branchId ? branches.get(c.branchId) : ""}</Table.Td>
                <Table.Td>
                  <Text span c={c.enrolled >= c.capacity ? "red.9" : undefined}>
                    {c.enrolled} / {c.capacity}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {c.enrolmentOpensOn || c.enrolmentClosesOn
                    ? `${formatDate(c.enrolmentOpensOn, i18n.language)} – ${formatDate(c.enrolmentClosesOn, i18n.language)}`
                    : ""}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
