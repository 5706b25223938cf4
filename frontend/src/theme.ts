import { createTheme, darken, type CSSVariablesResolver } from "@mantine/core";

/** Mantine theme with colours that meet WCAG 2.1 AA contrast (4.5:1 for
 * text): the default blue 6 and the grey "dimmed" text fall short on white. */
export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: 8,
  autoContrast: true,
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
    // The "light" variants (badges, the active navigation link): the
    // palest tint behind a darkened shade 9 keeps text above 4.5:1.
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((c) => [
        [`--mantine-color-${c}-light-color`, darken(t.colors[c][9], 0.35)],
        [`--mantine-color-${c}-light`, t.colors[c][0]],
        [`--mantine-color-${c}-light-hover`, t.colors[c][1]],
      ]),
    ),
    "--mantine-color-dimmed": t.colors.gray[7],
    "--mantine-color-placeholder": t.colors.gray[7],
    "--mantine-color-error": t.colors.red[9],
  },
  dark: {},
});
