import { Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../format";

/** The 14 regions as tiles placed roughly where they lie (a tile map:
 * every region the same size, so Praha is as visible as the largest). */
const TILES: { code: string; col: number; row: number }[] = [
  { code: "CZ041", col: 1, row: 1 },
  { code: "CZ042", col: 2, row: 1 },
  { code: "CZ051", col: 3, row: 1 },
  { code: "CZ052", col: 4, row: 1 },
  { code: "CZ032", col: 1, row: 2 },
  { code: "CZ020", col: 2, row: 2 },
  { code: "CZ010", col: 3, row: 2 },
  { code: "CZ053", col: 4, row: 2 },
  { code: "CZ071", col: 5, row: 2 },
  { code: "CZ080", col: 6, row: 2 },
  { code: "CZ031", col: 2, row: 3 },
  { code: "CZ063", col: 3, row: 3 },
  { code: "CZ064", col: 4, row: 3 },
  { code: "CZ072", col: 5, row: 3 },
];

/** Shades from few to many; dark ones carry white text (contrast above 4.5:1). */
const SHADES = ["blue.1", "blue.3", "blue.5", "blue.8", "blue.9"];

/** A region's short name: "Ústecký kraj" → "Ústecký", "Hlavní město Praha" → "Praha". */
function shortName(name: string): string {
  return name.replace(/^Hlavní město /, "").replace(/^Kraj /, "").replace(/ kraj$/, "");
}

/** The regions coloured by one indicator's value; "<5" and hidden cells
 * grey; a legend of the shades. */
export function RegionMap({
  cells,
  centres,
  lang,
}: {
  cells: { regionCode?: string | null; value?: number | null; display: string }[];
  centres: { regionCode: string; region: string }[];
  lang: string;
}) {
  const { t } = useTranslation();
  const names = new Map(centres.map((c) => [c.regionCode, c.region]));
  const byCode = new Map(cells.map((c) => [c.regionCode ?? "", c]));
  const max = Math.max(0, ...cells.map((c) => c.value ?? 0));
  const shade = (v: number | null | undefined) =>
    v == null || max === 0 ? null : SHADES[Math.min(SHADES.length - 1, Math.floor((v / max) * SHADES.length))];
  const band = (i: number) => `${formatNumber(Math.ceil((max * i) / SHADES.length), lang)}–${formatNumber(Math.floor((max * (i + 1)) / SHADES.length), lang)}`;
  return (
    <div>
      <div
        data-testid="region-map"
        style={{ display: "grid", gridTemplateColumns: "repeat(6, minmax(0, 1fr))", gridAutoRows: "64px", gap: 4 }}
      >
        {TILES.map((tile) => {
          const c = byCode.get(tile.code);
          const bg = shade(c?.value);
          const dark = bg === "blue.8" || bg === "blue.9";
          const name = names.get(tile.code) ?? tile.code;
          return (
            <div
              key={tile.code}
              title={name}
              data-region={tile.code}
              style={{
                gridColumn: tile.col,
                gridRow: tile.row,
                background: bg ? `var(--mantine-color-${bg.replace(".", "-")})` : "var(--mantine-color-gray-1)",
                color: dark ? "white" : "black",
                borderRadius: 6,
                padding: 4,
                overflow: "hidden",
              }}
            >
              <Text size="xs" lh={1.2} truncate="end" c="inherit">
                {shortName(name)}
              </Text>
              <Text fw={700} c="inherit">
                {c ? (c.value != null ? formatNumber(c.value, lang) : c.display) : "<5"}
              </Text>
            </div>
          );
        })}
      </div>
      <Group gap="xs" mt="sm" aria-label={t("ministry.legend")} role="group">
        {max > 0 &&
          SHADES.map((s, i) => (
            <Group key={s} gap={4}>
              <span
                aria-hidden
                style={{ width: 14, height: 14, borderRadius: 3, display: "inline-block", background: `var(--mantine-color-${s.replace(".", "-")})` }}
              />
              <Text size="xs">{band(i)}</Text>
            </Group>
          ))}
        <Group gap={4}>
          <span aria-hidden style={{ width: 14, height: 14, borderRadius: 3, display: "inline-block", background: "var(--mantine-color-gray-1)", border: "1px solid var(--mantine-color-gray-5)" }} />
          <Text size="xs">{t("ministry.legendHidden")}</Text>
        </Group>
      </Group>
    </div>
  );
}
