/**
 * Stable tag colours: each tag of an analysis gets a palette *slot* that depends only on the tag
 * names (the sorted list of the analysis's tags: every rule's tag and every tag given to a case),
 * never on counts or chart order, so the same tag has the same colour in every chart of the
 * dashboard and of the report, and from run to run of the same rules. The default tag (`Other`) and
 * `(not tagged)` get the fixed neutral slot {@link NEUTRAL_SLOT}. The webview maps slots to theme
 * colours (`--vscode-charts-*` first), the HTML report to {@link TAG_PALETTE_LIGHT}: the same hue
 * per slot. Pure.
 */

import { TAG_NEUTRAL, TAG_PALETTE } from '../../shared/tag-palette';

/** Number of tag colour slots; more tags than this share colours (slot = position mod this). */
export const TAG_COLOR_SLOTS = 11;

/** The slot of the neutral colour (the default tag `Other`, `(not tagged)`). */
export const NEUTRAL_SLOT = -1;

/**
 * Report colours (white page) of the slots: blue, purple, orange, yellow, green, red (the hues of VS
 * Code's chart colours, in the webview's order), teal, pink, lime, violet, brown — the palette checked for a
 * contrast of at least 3:1 on the dark and the light editor backgrounds (src/shared/tag-palette.ts), which the
 * dashboard also uses where a theme colour is not readable.
 */
export const TAG_PALETTE_LIGHT: readonly string[] = TAG_PALETTE;

/** Report colour of the neutral slot. */
export const TAG_NEUTRAL_LIGHT = TAG_NEUTRAL;

/**
 * Slot of each tag: the neutral tags get {@link NEUTRAL_SLOT}; the others their position in the
 * sorted (by code unit, locale-independent) list of distinct names, modulo {@link TAG_COLOR_SLOTS}.
 */
export function tagColorSlots(tags: Iterable<string>, neutral: Iterable<string>): Record<string, number> {
  const n = new Set(neutral);
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  const names = [...new Set(tags)].filter((t) => !n.has(t)).sort();
  names.forEach((t, i) => (out[t] = i % TAG_COLOR_SLOTS));
  for (const t of n) out[t] = NEUTRAL_SLOT;
  return out;
}

/** The slot of `tag` in `slots`, neutral for a tag not listed. */
export function tagSlot(slots: Record<string, number> | undefined, tag: string): number {
  const s = slots && Object.prototype.hasOwnProperty.call(slots, tag) ? slots[tag] : undefined;
  return s ?? NEUTRAL_SLOT;
}

/** The report colour of a slot. */
export function tagColorLight(slot: number): string {
  return slot < 0 ? TAG_NEUTRAL_LIGHT : TAG_PALETTE_LIGHT[slot % TAG_PALETTE_LIGHT.length];
}
