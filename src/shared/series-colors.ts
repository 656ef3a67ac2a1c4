/**
 * The colours of the series of one multi-series chart, each its own. Pure (no DOM): the webview charts
 * (webview/common/charts.ts) give it their theme-aware palette; the unit tests give it fixed colours.
 *
 * A new-user trial added "non-issue" to socAnalytics.qradar.falsePositiveReasons: the per-day chart's "False-Positive,
 * Tuned" and "Non-Issue" both took the FALSEPOSITIVE colour key's green, one legend colour for two series (and the
 * fifth reason without a colour key took the cycle's green as well).
 */
import { hexOf, parseColor } from './tag-palette';

/** A series' colour wishes (ChartSeries.datasets): a tag colour slot, or a colour key (a level, a closing-reason class). */
export interface SeriesColorWish {
  colorKey?: string;
  colorSlot?: number;
}

/** The chart palette a series' colour comes from. */
export interface SeriesPalette {
  /** Theme colours by colour key (upper case). */
  levels: Readonly<Record<string, string>>;
  /** Colours for the series without a colour of their own, in order. */
  cycle: readonly string[];
  /** The colour of a tag colour slot. */
  slot(slot: number): string;
}

/** A colour compared as painted: `#rrggbb` (alpha kept apart) when readable, else its lower-case text. */
function sameColorKey(css: string): string {
  const c = parseColor(css);
  return c ? `${hexOf(c)}/${c.a}` : css.trim().toLowerCase();
}

/**
 * Colour of each of `series` (in order), all different while the palette has colours enough:
 * - a tag colour slot: its slot's colour (the same tag, the same colour in every chart);
 * - a colour key: its theme colour, for the first series (in order) that asks for it — a later series whose key's
 *   colour is taken (say two closing reasons counted as false positive) goes to the cycle;
 * - the others: the next cycle colour no series of the chart has (the cycle starts over only when every colour of it is
 *   taken).
 */
export function seriesColors(series: readonly (SeriesColorWish | undefined)[], p: SeriesPalette): string[] {
  const out: (string | undefined)[] = series.map(() => undefined);
  const taken = new Set<string>();
  series.forEach((s, i) => {
    if (s?.colorSlot !== undefined) {
      out[i] = p.slot(s.colorSlot);
      taken.add(sameColorKey(out[i]!));
    }
  });
  series.forEach((s, i) => {
    if (out[i] !== undefined) return;
    const c = s?.colorKey ? p.levels[s.colorKey.toUpperCase()] : undefined;
    if (c && !taken.has(sameColorKey(c))) {
      out[i] = c;
      taken.add(sameColorKey(c));
    }
  });
  let next = 0;
  const n = p.cycle.length;
  return out.map((c) => {
    if (c !== undefined) return c;
    if (n === 0) return '';
    for (let k = 0; k < n; k++) {
      const cand = p.cycle[(next + k) % n];
      if (!taken.has(sameColorKey(cand))) {
        next = (next + k + 1) % n;
        taken.add(sameColorKey(cand));
        return cand;
      }
    }
    // (more series than colours: the cycle again, in order)
    const cand = p.cycle[next % n];
    next = (next + 1) % n;
    return cand;
  });
}
