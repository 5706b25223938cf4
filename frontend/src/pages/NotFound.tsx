import { Anchor, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";

/** An address the app does not know. */
export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t("notFound.title")}</Title>
      <Text>{t("notFound.text")}</Text>
      <Anchor component={Link} to="/">
        {t("nav.home")}
      </Anchor>
    </Stack>
  );
}
