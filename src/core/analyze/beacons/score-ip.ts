/**
 * Thresholding and scoring of IP pairs over columnar input, with columnar output: the compute
 * part of `BeaconAggregator.finish` for IP pairs, written so that a parse worker (pool.ts) can
 * run it on a range of pairs (everything in and out is numbers and typed arrays: transferable,
 * no per-pair objects to clone). The calling thread turns the rows into `BeaconPair` objects.
 * Same decisions and numbers as scoring each pair in the calling thread (it is the same code:
 * the aggregator runs this function too when there are no workers). Pure (no I/O).
 */
import { HISTOGRAM_BINS, ScoreScratch, histogramEdgesV5, scoreSortedLegacy, scoreSortedV5, type PairStats, type ScoringParams } from './score';
import { countDistinctSorted, distinctCountsSorted, sortedCopy } from './stats';

/** Distinct values kept per pair for the interval and size charts (most frequent first). */
export const CHART_VALUES = 40;

/** A window in seconds. */
export interface Win {
  min: number;
  max: number;
}

/** Decision parameters shared by every pair of a run. */
export interface IpScoreParams {
  legacy: boolean;
  hourlyImport: boolean;
  /** Cumulative window (seconds) after each import group: min and max per group. */
  groupMin: number[];
  groupMax: number[];
  /** The final window (v5 without hourly import) and the legacy window; undefined when none. */
  finalWin: Win | undefined;
  legacyWin: Win | undefined;
  strobeConnectionLimit: number;
  legacyConnectionThreshold: number;
  uniqueConnectionThreshold: number;
  minScore: number;
  scoring: ScoringParams;
  /** False: no chart lists for listed pairs (their `lens` stay 0; see `BeaconRunControl.charts`). */
  charts: boolean;
}

/**
 * A range of m IP pairs: pair j's records are `[start[j], start[j + 1])` of `ts` (epoch ms) and
 * `orig` (orig bytes), in arrival order; `resp[j]` Σ resp bytes, `lastGroup[j]` its last import group.
 */
export interface IpScoreJob {
  start: Int32Array;
  ts: Float64Array;
  orig: Float64Array;
  resp: Float64Array;
  lastGroup: Int32Array;
  params: IpScoreParams;
}

/** Outcome of a pair ({@link IpScoreRows.kind}). */
export const enum PairKind {
  NoWindow = 0,
  Strobe = 1,
  NotQualified = 2,
  ScoreError = 3,
  BelowMinScore = 4,
  Listed = 5,
}

/** Numbers per pair in {@link IpScoreRows.num}, in this order. */
export const NUM_FIELDS = [
  'count',
  'uniqueTs',
  'origSum',
  'resp',
  'first',
  'last',
  'winMin',
  'winMax',
  'score',
  'tsScore',
  'dsScore',
  'durScore',
  'histScore',
  'tsSkew',
  'tsMad',
  'dsSkew',
  'dsMad',
  'dsSmallness',
  'coverage',
  'consistency',
  'cvScore',
  'bimodalScore',
  'totalBars',
  'longestRun',
  'tsMode',
  'tsModeCount',
  'dsMode',
  'dsModeCount',
] as const;
export const NUM = NUM_FIELDS.length;

/**
 * Per pair j: `kind[j]` ({@link PairKind}); `num[j·NUM …]` the numbers of {@link NUM_FIELDS}
 * (count…last for strobes, all for scored pairs; `dsSmallness` NaN when the formula has none);
 * for listed pairs (with `params.charts`) the chart lists in `vars` from `varOff[j]`: interval values, interval counts,
 * size values, size counts, histogram, with lengths `lens[3j]` (intervals), `lens[3j+1]`
 * (sizes), `lens[3j+2]` (histogram bins). `errors`: the message of each ScoreError pair, in order.
 */
export interface IpScoreRows {
  kind: Uint8Array;
  num: Float64Array;
  varOff: Int32Array;
  lens: Int32Array;
  vars: Float64Array;
  errors: string[];
}

/** The typed arrays of `r` (for a transfer list). */
export function rowBuffers(r: IpScoreRows): ArrayBuffer[] {
  return [r.kind, r.num, r.varOff, r.lens, r.vars].map((a) => a.buffer as ArrayBuffer);
}

/** RITA's window: max = latest ts, min = max(earliest, max − 24 h); undefined when min ≥ max (§1.5, §5.1). */
export function windowOf(min: number, max: number): Win | undefined {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  const lo = Math.max(min, max - 86400);
  return lo < max ? { min: lo, max } : undefined;
}

/** Number of distinct values. */
export function countDistinct(xs: Float64Array): number {
  return countDistinctSorted(sortedCopy(xs));
}

/**
 * Up to {@link CHART_VALUES} most frequent values (ties: smaller value) with counts, ascending by
 * value (`values` ascending). With at most {@link CHART_VALUES} values: the input arrays themselves.
 */
export function topValues(values: number[], counts: number[]): { values: number[]; counts: number[] } {
  if (values.length <= CHART_VALUES) return { values, counts };
  const idx = values.map((_, i) => i).sort((a, b) => counts[b] - counts[a] || values[a] - values[b]).slice(0, CHART_VALUES);
  idx.sort((a, b) => values[a] - values[b]);
  return { values: idx.map((i) => values[i]), counts: idx.map((i) => counts[i]) };
}

/**
 * Decides and scores every pair of `job` (§1.4/§5.1; see `BeaconAggregator.finish`): the window
 * of the pair (legacy window, the cumulative window after its last group with hourly import, else
 * the final one), its records from the hour of the window start on, strobe / threshold checks,
 * then RITA v5 or legacy scoring. Never throws for a pair (scoring errors become ScoreError rows).
 */
export function scoreIpPairs(job: IpScoreJob): IpScoreRows {
  const o = job.params;
  const { start, ts, orig } = job;
  const m = start.length - 1;
  const kind = new Uint8Array(m);
  const num = new Float64Array(m * NUM);
  const varOff = new Int32Array(m + 1);
  const lens = new Int32Array(m * 3);
  let vars = new Float64Array(chartBound(job));
  let nv = 0;
  const errors: string[] = [];
  /** Room for `n` more chart numbers (the bound should suffice; growing keeps a wrong bound harmless). */
  const room = (n: number) => {
    if (nv + n <= vars.length) return;
    const b = new Float64Array(Math.max(nv + n, 2 * vars.length));
    b.set(vars.subarray(0, nv));
    vars = b;
  };
  const put = (xs: number[]) => {
    for (let i = 0; i < xs.length; i++) vars[nv++] = xs[i];
  };
  let secsBuf = new Float64Array(1024);
  let bytesBuf = new Float64Array(1024);
  const wins: (Win | undefined | null)[] = [];
  const x = new ScoreScratch();
  const edgesByWin = new Map<Win, number[]>();
  for (let j = 0; j < m; j++) {
    varOff[j] = nv;
    let win: Win | undefined;
    if (o.legacy) win = o.legacyWin;
    else if (o.hourlyImport) {
      const g = job.lastGroup[j];
      let w = wins[g];
      if (w === undefined) wins[g] = w = windowOf(o.groupMin[g], o.groupMax[g]) ?? null;
      win = w ?? undefined;
    } else win = o.finalWin;
    if (!win) {
      kind[j] = PairKind.NoWindow;
      continue;
    }
    const from = o.legacy ? -Infinity : Math.floor(win.min / 3600) * 3600;
    const off = start[j];
    const end = start[j + 1];
    let count = 0;
    for (let i = off; i < end; i++) if (Math.trunc(ts[i] / 1000) >= from) count++;
    if (count > secsBuf.length) {
      secsBuf = new Float64Array(Math.max(count, secsBuf.length * 2));
      bytesBuf = new Float64Array(secsBuf.length);
    }
    const secs = secsBuf.subarray(0, count);
    const bytes = bytesBuf.subarray(0, count);
    let first = Infinity;
    let last = -Infinity;
    let origSum = 0;
    for (let i = off, k = 0; i < end; i++) {
      const ms = ts[i];
      const sec = Math.trunc(ms / 1000);
      if (!(sec >= from)) continue;
      secs[k] = sec;
      bytes[k] = orig[i];
      origSum += bytes[k];
      if (ms < first) first = ms;
      if (ms > last) last = ms;
      k++;
    }
    // from here on only the multisets of secs and bytes matter: sorted once, in place
    secs.sort();
    const unique = countDistinctSorted(secs);
    const r = j * NUM;
    num[r] = count;
    num[r + 1] = unique;
    num[r + 2] = origSum;
    num[r + 3] = job.resp[j];
    num[r + 4] = first;
    num[r + 5] = last;
    num[r + 6] = win.min;
    num[r + 7] = win.max;
    if (count >= o.strobeConnectionLimit) {
      kind[j] = PairKind.Strobe;
      continue;
    }
    const qualifies = o.legacy ? count > o.legacyConnectionThreshold && unique > 3 : unique >= o.uniqueConnectionThreshold;
    if (!qualifies) {
      kind[j] = PairKind.NotQualified;
      continue;
    }
    bytes.sort();
    let s: PairStats;
    try {
      if (o.legacy) s = scoreSortedLegacy(secs, bytes, win.min, win.max, o.scoring, x);
      else {
        let edges = edgesByWin.get(win);
        if (!edges) edgesByWin.set(win, (edges = histogramEdgesV5(win.min, win.max)));
        s = scoreSortedV5(secs, bytes, win.min, win.max, o.scoring, x, edges);
      }
    } catch (e) {
      kind[j] = PairKind.ScoreError;
      errors.push((e as Error).message);
      continue;
    }
    num[r + 8] = s.score;
    num[r + 9] = s.tsScore;
    num[r + 10] = s.dsScore;
    num[r + 11] = s.durScore;
    num[r + 12] = s.histScore;
    num[r + 13] = s.tsSkew;
    num[r + 14] = s.tsMad;
    num[r + 15] = s.dsSkew;
    num[r + 16] = s.dsMad;
    num[r + 17] = s.dsSmallness ?? NaN;
    num[r + 18] = s.coverage;
    num[r + 19] = s.consistency;
    num[r + 20] = s.cvScore;
    num[r + 21] = s.bimodalScore;
    num[r + 22] = s.totalBars;
    num[r + 23] = s.longestRun;
    num[r + 24] = s.tsMode;
    num[r + 25] = s.tsModeCount;
    num[r + 26] = s.dsMode;
    num[r + 27] = s.dsModeCount;
    if (s.score < o.minScore) {
      kind[j] = PairKind.BelowMinScore;
      continue;
    }
    kind[j] = PairKind.Listed;
    if (!o.charts) continue;
    const intervals = distinctCountsSorted(x.intervals(count));
    const sizes = distinctCountsSorted(bytes);
    const iv = topValues(intervals.values, intervals.counts);
    const sz = topValues(sizes.values, sizes.counts);
    room(2 * iv.values.length + 2 * sz.values.length + x.hist.length);
    put(iv.values);
    put(iv.counts);
    put(sz.values);
    put(sz.counts);
    for (let i = 0; i < x.hist.length; i++) vars[nv++] = x.hist[i];
    lens[3 * j] = iv.values.length;
    lens[3 * j + 1] = sz.values.length;
    lens[3 * j + 2] = x.hist.length;
  }
  varOff[m] = nv;
  // a copy only when much of the bound went unused (the rows are transferred, not copied, to the caller)
  return { kind, num, varOff, lens, vars: 2 * nv < vars.length ? vars.slice(0, nv) : vars.subarray(0, nv), errors };
}

/**
 * Upper bound of the chart numbers {@link scoreIpPairs} writes for `job` (0 without charts): per pair that can be
 * listed (as many records as a scored pair needs at least: 4 distinct timestamps, and the
 * threshold), the histogram plus at most {@link CHART_VALUES} values and counts of intervals
 * (records − 1) and of sizes (records).
 */
function chartBound(job: IpScoreJob): number {
  const o = job.params;
  if (!o.charts) return 0;
  // thresholds are any numbers ≥ the minimum (settings): legacy lists count > T (≥ ⌊T⌋ + 1 records),
  // v5 unique ≥ T (≥ ⌈T⌉ records); T + 1 missed a 24-record pair under T = 23.5
  const minRecords = Math.max(4, o.legacy ? Math.floor(o.legacyConnectionThreshold) + 1 : Math.ceil(o.uniqueConnectionThreshold));
  let bound = 0;
  for (let j = 0; j + 1 < job.start.length; j++) {
    const n = job.start[j + 1] - job.start[j];
    if (n >= minRecords) bound += HISTOGRAM_BINS + 2 * Math.min(n - 1, CHART_VALUES) + 2 * Math.min(n, CHART_VALUES);
  }
  return bound;
}
