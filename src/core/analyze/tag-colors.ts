/**
 * Tag colours, stable and distinct: each tag gets a palette *slot* (one of {@link TAG_COLOR_SLOTS} colours). A tag
 * keeps the slot it was first shown with — the host remembers a tag → slot map per workspace ({@link TagColorMemory},
 * most recently shown first, at most {@link TAG_COLOR_MEMORY_LIMIT} tags) and passes it to every KPI report — and the
 * tags of one dashboard never share a colour while the palette has free ones: a tag not remembered takes the first
 * slot, from its name's hash ({@link tagColorSlot}) on, that no other tag of the dashboard holds (new-user trial: with
 * the slot a hash of the name alone, Logon, OpenSSL and SQLInjection were the same orange in "Cases per week by tag";
 * before that, with the slot the position in the sorted list of tags, adding a rule recoloured other tags). With more
 * tags than colours the rest fall back to the hash (or their remembered slot). The default tag (`Other`) and
 * `(not tagged)` get the fixed neutral slot {@link NEUTRAL_SLOT}, never remembered. Never depends on counts or chart
 * order, so a tag has the same colour in every chart of the dashboard and of the report. The webview maps slots to
 * theme colours (`--vscode-charts-*` first), the HTML report to {@link TAG_PALETTE_LIGHT}: the same hue per slot. Pure.
 */

import { TAG_NEUTRAL, TAG_PALETTE } from '../../shared/tag-palette';

/** Number of tag colour slots (the palette's colours). */
export const TAG_COLOR_SLOTS = 11;

/** The slot of the neutral colour (the default tag `Other`, `(not tagged)`). */
export const NEUTRAL_SLOT = -1;

/** Tags remembered per workspace, at most (the most recently shown are kept). */
export const TAG_COLOR_MEMORY_LIMIT = 200;

/**
 * Remembered slots: `[tag, slot]`, the most recently shown first (an array, not an object: a tag named `2024` would
 * be moved to the front of an object's keys). A plain `{ tag: slot }` map (an older run's `KpiReport.tagColors`) is
 * also read ({@link normalizeTagColorMemory}), in its key order.
 */
export type TagColorMemory = [tag: string, slot: number][];

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

/**
 * The preferred slot of the tag `name`: its name's hash modulo {@link TAG_COLOR_SLOTS} — where a new tag's search for
 * a free slot starts, and its slot when the palette has none free.
 */
export function tagColorSlot(name: string): number {
  return nameHash(name) % TAG_COLOR_SLOTS;
}

/** CIELAB (D65) of an `#rrggbb` colour. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/**
 * Colour difference (CIE76 ΔE) below which two slots are told apart badly, as bars side by side in a stacked chart:
 * purple and violet (7), orange and yellow (21), green and lime (25), yellow and brown (29); every other pair of the
 * palette is at least 34 apart.
 */
export const NEAR_COLOR_DELTA_E = 30;

/** ΔE between the palette colours of two slots (the report's; the webview's theme colours have the same hues). */
const SLOT_DELTA_E: number[][] = (() => {
  const l = TAG_PALETTE.map(lab);
  return l.map((a) => l.map((b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])));
})();

/** True when slots `a` and `b` are different but look alike (ΔE under {@link NEAR_COLOR_DELTA_E}). */
export function nearSlots(a: number, b: number): boolean {
  return a !== b && a >= 0 && b >= 0 && SLOT_DELTA_E[a][b] < NEAR_COLOR_DELTA_E;
}

const isSlot = (s: unknown): s is number => typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < TAG_COLOR_SLOTS;

/**
 * The usable entries of a stored memory (a Memento value is whatever was stored, possibly by another version):
 * `[tag, slot]` pairs with a string tag and a slot in range, the first of a tag kept; a `{ tag: slot }` object is
 * read in its key order. Anything else is an empty memory.
 */
export function normalizeTagColorMemory(raw: unknown): TagColorMemory {
  const pairs: unknown[] = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.entries(raw as Record<string, unknown>) : [];
  const seen = new Set<string>();
  const out: TagColorMemory = [];
  for (const p of pairs) {
    if (!Array.isArray(p) || typeof p[0] !== 'string' || !isSlot(p[1]) || seen.has(p[0])) continue;
    seen.add(p[0]);
    out.push([p[0], p[1]]);
  }
  return out;
}

/**
 * The slot of each tag of one dashboard (every rule's tag and every tag given to a case). `neutral` tags get
 * {@link NEUTRAL_SLOT}. `memory`: the remembered slots ({@link TagColorMemory}). `shown`: the tags the charts show
 * (default: all) — they come first when slots are short.
 *
 * 1. A remembered tag keeps its slot — unless a tag of this dashboard remembered more recently (a shown one before one
 *    that is not) holds it already (two tags remembered apart, now together); it then counts as new.
 * 2. Each new tag (shown ones first, then by name, code unit order: independent of the input's order) takes a slot
 *    held by no other tag of the dashboard: the first from its hash on whose colour is unlike theirs ({@link nearSlots}:
 *    orange beside yellow in a stacked bar reads as one), preferring one no other remembered tag of the workspace
 *    holds (so that tags of different dashboards differ too while the palette allows); with none unlike theirs, the
 *    least like them.
 * 3. With no slot free: its remembered slot, else its hash's.
 */
export function tagColorSlots(tags: Iterable<string>, neutral: Iterable<string>, memory: unknown = [], shown?: Iterable<string>): Record<string, number> {
  const n = new Set(neutral);
  const names = new Set([...tags].filter((t) => !n.has(t)));
  const isShown = shown ? new Set(shown) : names;
  const mem = normalizeTagColorMemory(memory);
  const remembered = new Map(mem);
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  const used = new Set<number>();
  // 1. remembered tags of this dashboard, the shown ones first, each group most recent first
  const here = mem.filter(([t]) => names.has(t));
  for (const [t, s] of [...here.filter(([t]) => isShown.has(t)), ...here.filter(([t]) => !isShown.has(t))]) {
    if (used.has(s)) continue;
    out[t] = s;
    used.add(s);
  }
  // 2. the others
  const heldElsewhere = new Set(mem.filter(([t]) => !names.has(t)).map(([, s]) => s));
  const rest = [...names].filter((t) => !(t in out)).sort((a, b) => Number(isShown.has(b)) - Number(isShown.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
  const before = (a: number[], b: number[]): boolean => {
    for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] < b[j];
    return false;
  };
  for (const t of rest) {
    const h = tagColorSlot(t);
    let best: { s: number; key: number[] } | undefined;
    for (let i = 0; i < TAG_COLOR_SLOTS; i++) {
      const s = (h + i) % TAG_COLOR_SLOTS;
      if (used.has(s)) continue;
      const nearest = Math.min(Infinity, ...[...used].map((u) => SLOT_DELTA_E[s][u]));
      const far = nearest >= NEAR_COLOR_DELTA_E;
      // a colour unlike the dashboard's others first, then one no other remembered tag has, then the first from the hash
      // on (with none unlike them: the least like them)
      const key = [far ? 0 : 1, heldElsewhere.has(s) ? 1 : 0, far ? 0 : -nearest, i];
      if (!best || before(key, best.key)) best = { s, key };
    }
    const s = best?.s ?? remembered.get(t) ?? h;
    out[t] = s;
    used.add(s);
  }
  for (const t of n) out[t] = NEUTRAL_SLOT;
  return out;
}

/**
 * The memory after a dashboard showed `slots` ({@link tagColorSlots}): its tags (not the neutral ones) first, in the
 * order given, then the other remembered tags, most recent first, at most `limit`.
 */
export function rememberTagColors(memory: unknown, slots: Record<string, number>, limit: number = TAG_COLOR_MEMORY_LIMIT): TagColorMemory {
  const now: TagColorMemory = Object.entries(slots).filter(([, s]) => isSlot(s));
  const fresh = new Set(now.map(([t]) => t));
  return [...now, ...normalizeTagColorMemory(memory).filter(([t]) => !fresh.has(t))].slice(0, Math.max(0, limit));
}

/** True when `after` holds the same tags with the same slots in the same order as `before` (nothing to store). */
export function sameTagColorMemory(before: TagColorMemory, after: TagColorMemory): boolean {
  return before.length === after.length && before.every(([t, s], i) => after[i][0] === t && after[i][1] === s);
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
