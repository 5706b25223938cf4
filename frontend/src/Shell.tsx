import { AppShell, Burger, Group, NavLink, Select, Text, Button, SegmentedControl } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, Outlet, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession, type Capability } from "./auth";

interface NavItem {
  to: string;
  label: string;
  /** The capability the page needs; null for every signed-in user;
   * `ministry` for ministry officers (who are in no centre). */
  needs: Capability | "ministry" | null;
}

/** The frame of every signed-in page: header with centre switcher,
 * language and sign-out; navigation by role; the page. */
export function Shell() {
  const { t, i18n } = useTranslation();
  const { viewer, can, signOut, switchCentre } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  if (!viewer) return null;

  const items: NavItem[] = [
    { to: "/", label: t("nav.home"), needs: null },
    { to: "/ministry", label: t("nav.ministry"), needs: "ministry" },
    { to: "/clients", label: t("nav.clients"), needs: "REGISTER_CLIENTS" },
    { to: "/clients/new", label: t("nav.registerClient"), needs: "REGISTER_CLIENTS" },
    { to: "/clients/import", label: t("nav.import"), needs: "MANAGE_CLIENTS" },
    { to: "/interventions/new", label: t("nav.recordIntervention"), needs: "SERVE_DESK" },
    { to: "/appointments", label: t("nav.appointments"), needs: "SERVE_DESK" },
    { to: "/outreach", label: t("nav.outreach"), needs: "SERVE_DESK" },
    { to: "/inquiries", label: t("nav.inquiries"), needs: "SERVE_DESK" },
    { to: "/workload", label: t("nav.workload"), needs: "READ_WORKLOAD" },
    { to: "/timetable", label: t("nav.timetable"), needs: "TEACH" },
    { to: "/courses", label: t("nav.courses"), needs: "TEACH" },
    { to: "/manage/events", label: t("nav.events"), needs: "RUN_EVENTS" },
    { to: "/admin/staff", label: t("nav.staff"), needs: "MANAGE_CENTRE" },
    { to: "/admin/branches", label: t("nav.branches"), needs: "MANAGE_CENTRE" },
    { to: "/admin/interpreters", label: t("nav.interpreters"), needs: "MANAGE_CENTRE" },
    { to: "/admin/audit", label: t("nav.audit"), needs: "MANAGE_CENTRE" },
    { to: "/admin/emails", label: t("nav.emails"), needs: "MANAGE_CENTRE" },
  ];
  const ministry = viewer.roles.includes("MINISTRY_OFFICER");
  const visible = items.filter((i) => i.needs === null || (i.needs === "ministry" ? ministry : can(i.needs)));
  const isActive = (to: string) =>
    to === "/" ? location.pathname === "/" : location.pathname === to;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: "md", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={t("shell.menu")}
            />
            <Text fw={700} size="lg" component="span">
              Integra
            </Text>
            {viewer.centres.length > 1 ? (
              <Select
                aria-label={t("shell.centre")}
                data={viewer.centres.map((m) => ({ value: m.centre.id, label: m.centre.name }))}
                value={viewer.centre?.id ?? null}
                onChange={(id) => id && id !== viewer.centre?.id && void switchCentre(id)}
                allowDeselect={false}
                w={280}
                visibleFrom="sm"
              />
            ) : (
              <Text size="sm" c="dimmed" visibleFrom="sm" component="span">
                {viewer.centre?.name ?? t("shell.ministry")}
              </Text>
            )}
          </Group>
          <Group wrap="nowrap" gap="sm">
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
            <Text size="sm" visibleFrom="sm" component="span">
              {viewer.displayName}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              {t("shell.signOut")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t("shell.navigation")} component="nav">
        {visible.map((i) => (
          <NavLink
            key={i.to}
            component={Link}
            to={i.to}
            label={i.label}
            active={isActive(i.to)}
            aria-current={isActive(i.to) ? "page" : undefined}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
