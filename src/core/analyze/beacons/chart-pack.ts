/**
 * The chart lists of listed beacon pairs (`intervals`, `sizes`, `hist`, `histEdgesMs`) packed into
 * typed arrays for a hop between threads. A structured clone of a pair's five small arrays and two
 * objects costs about as much as the rest of the pair (1.2 M pairs at 10 M connections: ~14 s of
 * the ~24 s the worker → host transfer took); one Float64Array per slice of pairs is a single copy.
 * Pure (no I/O, no vscode).
 */
import type { BeaconPair } from './analyze';

/**
 * Chart lists of m pairs. Per pair j, in `lens[4j … 4j + 3]`: number of interval values, of size
 * values, of histogram bins, index of its bin edges in `edges`; `lens[4j] = -1` when the pair was
 * not packed (its lists were left in place). `values` holds, pair after pair: interval values,
 * interval counts, size values, size counts, histogram: an Int32Array when every one is a 32-bit
 * integer (the usual case: seconds, bytes and counts; half the memory), else a Float64Array.
 * `edges`: the distinct bin-edge arrays (epoch ms), shared by the pairs that shared them.
 */
export interface PackedCharts {
  lens: Int32Array;
  values: Float64Array | Int32Array;
  edges: number[][];
}

/** True when `xs` is an array of numbers only (what the packer can put in a Float64Array exactly). */
function numbers(xs: unknown): xs is number[] {
  if (!Array.isArray(xs)) return false;
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'number') return false;
  return true;
}

/** The pair's lists when every one of them is an array of numbers; undefined otherwise. */
function listsOf(p: BeaconPair): [number[], number[], number[], number[], number[], number[]] | undefined {
  const iv = p.intervals as unknown as { values?: unknown; counts?: unknown } | null;
  const sz = p.sizes as unknown as { values?: unknown; counts?: unknown } | null;
  if (!iv || !sz || !numbers(iv.values) || !numbers(iv.counts) || !numbers(sz.values) || !numbers(sz.counts)) return undefined;
  if (iv.values.length !== iv.counts.length || sz.values.length !== sz.counts.length) return undefined;
  if (!numbers(p.hist) || !numbers(p.histEdgesMs)) return undefined;
  return [iv.values, iv.counts, sz.values, sz.counts, p.hist, p.histEdgesMs];
}

/**
 * Moves the chart lists of `pairs` into a {@link PackedCharts} and sets the four fields to `null`
 * in the pairs (mutates them: meant for the sender's last use of a result, right before it is
 * posted). A pair whose lists are not plain arrays of numbers with matching lengths is left as it
 * is (`lens[4j] = -1`). Exact for every number (-0, NaN, ±Infinity included).
 */
export function packPairCharts(pairs: BeaconPair[]): PackedCharts {
  const m = pairs.length;
  const lens = new Int32Array(4 * m);
  const lists: (ReturnType<typeof listsOf> | undefined)[] = new Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    const l = listsOf(pairs[j]);
    lists[j] = l;
    if (l) total += 2 * l[0].length + 2 * l[2].length + l[4].length;
  }
  const values = new Float64Array(total);
  const edges: number[][] = [];
  const edgeIds = new Map<number[], number>();
  let v = 0;
  for (let j = 0; j < m; j++) {
    const l = lists[j];
    if (!l) {
      lens[4 * j] = -1;
      continue;
    }
    const [ivValues, ivCounts, szValues, szCounts, hist, edgesMs] = l;
    for (const xs of [ivValues, ivCounts, szValues, szCounts, hist]) for (let i = 0; i < xs.length; i++) values[v++] = xs[i];
    let e = edgeIds.get(edgesMs);
    if (e === undefined) {
      edgeIds.set(edgesMs, (e = edges.length));
      edges.push(edgesMs);
    }
    lens[4 * j] = ivValues.length;
    lens[4 * j + 1] = szValues.length;
    lens[4 * j + 2] = hist.length;
    lens[4 * j + 3] = e;
    const p = pairs[j] as unknown as Record<'intervals' | 'sizes' | 'hist' | 'histEdgesMs', null>;
    p.intervals = p.sizes = p.hist = p.histEdgesMs = null;
  }
  let ints = true;
  for (let i = 0; i < v && ints; i++) ints = (values[i] | 0) === values[i] && !Object.is(values[i], -0);
  return { lens, values: ints ? new Int32Array(values) : values, edges };
}

/** A pair's four chart lists (the fields of {@link BeaconPair} that {@link packPairCharts} packs). */
export type PairCharts = Pick<BeaconPair, 'intervals' | 'sizes' | 'hist' | 'histEdgesMs'>;

/** Offset in `packed.values` of pair `j`'s lists: the lengths of the packed pairs before it (≤ one slice). */
function valuesOffset(lens: Int32Array, j: number): number {
  let v = 0;
  for (let k = 0; k < j; k++) {
    const ni = lens[4 * k];
    if (ni >= 0) v += 2 * ni + 2 * lens[4 * k + 1] + lens[4 * k + 2];
  }
  return v;
}

/** Pair `j`'s lists rebuilt from `packed`, its values starting at `v` (fresh arrays; bin edges shared). */
function listsAt(packed: PackedCharts, j: number, v: number): PairCharts {
  const { lens, values } = packed;
  const list = (n: number): number[] => {
    const xs = new Array<number>(n);
    for (let i = 0; i < n; i++) xs[i] = values[v++];
    return xs;
  };
  const ni = lens[4 * j];
  const ns = lens[4 * j + 1];
  const intervals = { values: list(ni), counts: list(ni) };
  const sizes = { values: list(ns), counts: list(ns) };
  return { intervals, sizes, hist: list(lens[4 * j + 2]), histEdgesMs: packed.edges[lens[4 * j + 3]] };
}

/**
 * Puts the chart lists packed by {@link packPairCharts} back into `pairs` (the same pairs, in the
 * same order, e.g. after a structured clone of both): fresh arrays per pair, bin edges shared as
 * they were. Pairs that were not packed are left as they are.
 * @throws RangeError when `packed` does not describe `pairs.length` pairs.
 */
export function unpackPairCharts(pairs: BeaconPair[], packed: PackedCharts): void {
  const { lens } = packed;
  if (lens.length !== 4 * pairs.length) throw new RangeError(`packed charts describe ${lens.length / 4} pairs, not ${pairs.length}`);
  let v = 0;
  for (let j = 0; j < pairs.length; j++) {
    const ni = lens[4 * j];
    if (ni < 0) continue;
    Object.assign(pairs[j], listsAt(packed, j, v));
    v += 2 * ni + 2 * lens[4 * j + 1] + lens[4 * j + 2];
  }
}

const NO_VALUES: readonly number[] = Object.freeze([]);
const NO_CHART: BeaconPair['intervals'] = Object.freeze({ values: NO_VALUES, counts: NO_VALUES }) as BeaconPair['intervals'];

/**
 * The receiving side's alternative to {@link unpackPairCharts} for a large result: the chart lists
 * stay in `packed` (typed arrays, outside the JavaScript heap) and each packed pair points at it
 * (`packedCharts`, `packedIndex`), its `intervals`, `sizes` and `hist` empty (shared frozen lists),
 * `histEdgesMs` the shared edges. {@link pairCharts} rebuilds one pair's lists when they are shown.
 * The extension host keeps beacon results this way: at 10 M connections (1.2 M listed pairs) the lists
 * as objects were most of the host's 1.9 GB result and its long GC pauses (bench/NOTES.md).
 * Pairs that were not packed are left as they are.
 * @throws RangeError when `packed` does not describe `pairs.length` pairs.
 */
export function keepPairChartsPacked(pairs: BeaconPair[], packed: PackedCharts): void {
  const { lens } = packed;
  if (lens.length !== 4 * pairs.length) throw new RangeError(`packed charts describe ${lens.length / 4} pairs, not ${pairs.length}`);
  for (let j = 0; j < pairs.length; j++) {
    if (lens[4 * j] < 0) continue;
    const p = pairs[j];
    p.intervals = NO_CHART;
    p.sizes = NO_CHART;
    p.hist = NO_VALUES as number[];
    p.histEdgesMs = packed.edges[lens[4 * j + 3]];
    p.packedCharts = packed;
    p.packedIndex = j;
  }
}

/**
 * A pair's chart lists: rebuilt from its packed slice when {@link keepPairChartsPacked} left them
 * there (fresh arrays, about 200 numbers; cost independent of the result's size), else its own fields.
 */
export function pairCharts(p: BeaconPair): PairCharts {
  const packed = p.packedCharts;
  const j = p.packedIndex;
  if (packed && j !== undefined && j >= 0 && 4 * j < packed.lens.length && packed.lens[4 * j] >= 0) return listsAt(packed, j, valuesOffset(packed.lens, j));
  return { intervals: p.intervals, sizes: p.sizes, hist: p.hist, histEdgesMs: p.histEdgesMs };
}
