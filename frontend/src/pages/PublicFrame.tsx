import type { ReactNode } from "react";
import { Alert, Anchor, Container, Group, Paper, SegmentedControl, Stack, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";

/** The frame of the pages shown without a session (sign-in, password). */
export function PublicFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <Container size={440} py={48} component="main" id="main">
      <Group justify="space-between" mb="md">
        <Title order={1} size="h2">
          Integra
        </Title>
        <SegmentedControl
          aria-label={t("shell.language")}
          size="xs"
          value={i18n.language}
          onChange={(lng) => void i18n.changeLanguage(lng)}
          data={[
            { value: "cs", label: "CS" },
            { value: "en", label: "EN" },
          ]}
        />
      </Group>
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <Title order={2} size="h3" mb="md">
          {title}
        </Title>
        {children}
      </Paper>
    </Container>
  );
}

/** The end of a page without a session: what happened, and the way back
 * to sign-in. */
export function DoneMessage({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="green" role="status">
        {children}
      </Alert>
      <Anchor component={Link} to="/">
        {t("forgot.back")}
      </Anchor>
    </Stack>
  );
}
