/**
 * Stable tag colours: each tag gets a palette *slot* that depends only on its own name (a hash of it, FNV-1a over its
 * UTF-16 code units, modulo {@link TAG_COLOR_SLOTS}), never on the other tags, counts or chart order, so the same tag
 * has the same colour in every chart of the dashboard and of the report, from run to run, also when a tagging rule is
 * added or removed (new-user trial: with the slots given by the position in the sorted list of tags, adding a rule
 * turned SQLInjection from teal to pink). Two tags may share a colour (11 colours; the legend, the bar labels and the
 * tooltips name each). The default tag (`Other`) and `(not tagged)` get the fixed neutral slot {@link NEUTRAL_SLOT}.
 * The webview maps slots to theme colours (`--vscode-charts-*` first), the HTML report to {@link TAG_PALETTE_LIGHT}:
 * the same hue per slot. Pure.
 */

import { TAG_NEUTRAL, TAG_PALETTE } from '../../shared/tag-palette';

/** Number of tag colour slots (the palette's colours); a tag's slot is its name's hash modulo this. */
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

/** 32-bit FNV-1a of a text's UTF-16 code units: the same number for the same name on every machine and run. */
function nameHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The colour slot of the (not neutral) tag `name`: its name's hash modulo {@link TAG_COLOR_SLOTS}, nothing else. */
export function tagColorSlot(name: string): number {
  return nameHash(name) % TAG_COLOR_SLOTS;
}

/** Slot of each tag: the neutral tags get {@link NEUTRAL_SLOT}; the others {@link tagColorSlot} of their name. */
export function tagColorSlots(tags: Iterable<string>, neutral: Iterable<string>): Record<string, number> {
  const n = new Set(neutral);
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const t of tags) if (!n.has(t)) out[t] = tagColorSlot(t);
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
