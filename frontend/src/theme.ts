import { createTheme, type CSSVariablesResolver } from "@mantine/core";

/** Mantine theme with colours that meet WCAG 2.1 AA contrast (4.5:1 for
 * text): the default blue 6 and the grey "dimmed" text fall short on white. */
export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 8,
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', Arial, sans-serif",
  defaultRadius: "sm",
  focusRing: "auto",
  components: {
    Anchor: { defaultProps: { underline: "always" } },
  },
});

/** Darker secondary text than Mantine's default. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": t.colors.gray[7],
    "--mantine-color-placeholder": t.colors.gray[7],
  },
  dark: {},
});
