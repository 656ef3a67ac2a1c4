/**
 * RITA beacon sub-scores and final score: RITA v5 (primary) and the final legacy era D (v4.8).
 * Reference: shared/docs/rita-beacons.md §5.3–§5.7 (v5), §4 (legacy era D), §10 (rounding).
 *
 * Inputs are plain numbers: timestamps in whole **seconds** (already truncated, §1.1), data sizes
 * in bytes (Zeek `orig_ip_bytes`). The observation window is `[minTs, maxTs]` in seconds.
 */
import {
  ceil3,
  distinctCountsSorted,
  legacyBowley,
  legacyMadm,
  round3,
  sortedCopy,
  statisticalScoreV5,
  type DistinctCounts,
} from './stats';

/** Scoring parameters (RITA v5 `default_config.hjson` / legacy `etc/rita.yaml` names, §4, §5.7). */
export interface ScoringParams {
  tsWeight: number;
  dsWeight: number;
  durWeight: number;
  histWeight: number;
  /** Hours with connections needed before the duration score is computed (6). */
  durationMinHoursSeen: number;
  /** Longest run of consecutive hours that gives a full consistency score (12). */
  durationConsistencyIdealHoursSeen: number;
  /** Bucket size of the bar-height histogram as a share of the tallest bar (0.05). */
  histogramModeSensitivity: number;
  /** Bars thrown out as outliers in the bimodal fit (1). */
  histogramBimodalOutlierRemoval: number;
  /** Hours with connections needed for the bimodal fit (11; values < 6 are replaced by 11). */
  histogramBimodalMinHoursSeen: number;
}

export const DEFAULT_SCORING: Readonly<ScoringParams> = Object.freeze({
  tsWeight: 0.25,
  dsWeight: 0.25,
  durWeight: 0.25,
  histWeight: 0.25,
  durationMinHoursSeen: 6,
  durationConsistencyIdealHoursSeen: 12,
  histogramModeSensitivity: 0.05,
  histogramBimodalOutlierRemoval: 1,
  histogramBimodalMinHoursSeen: 11,
});

/** Number of histogram bins over the observation window (24 hours of a day-long window). */
export const HISTOGRAM_BINS = 24;

/**
 * Scratch buffers for scoring pairs one after another without per-pair allocations
 * ({@link scoreSortedV5}, {@link scoreSortedLegacy}; grown on demand). After a pair of n
 * timestamps is scored they hold its sorted intervals ({@link intervals}) and its histogram
 * ({@link hist}) until the next pair.
 */
export class ScoreScratch {
  private deltas = new Float64Array(64);
  /** Deviations for the MADs (at least n entries after {@link reserve}). */
  dev = new Float64Array(64);
  /** Connections per histogram bin. */
  readonly hist: Float64Array;
  /** Distinct bar keys of the histogram and their counts (see `barStats`). */
  readonly keys: Float64Array;
  readonly keyCounts: Float64Array;

  /** `bins`: number of histogram bins (24). */
  constructor(bins = HISTOGRAM_BINS) {
    this.hist = new Float64Array(bins);
    this.keys = new Float64Array(bins);
    this.keyCounts = new Float64Array(bins);
  }

  /** Makes room for lists of n values. */
  reserve(n: number): void {
    if (n <= this.dev.length) return;
    const c = Math.max(n, 2 * this.dev.length);
    this.deltas = new Float64Array(c);
    this.dev = new Float64Array(c);
  }

  /**
   * Writes the n − 1 consecutive differences of ascending-sorted `s` (n ≤ reserved) in order;
   * returns how many are > 0.
   */
  fillIntervals(s: ArrayLike<number>): number {
    const d = this.deltas;
    let nonZero = 0;
    for (let i = 0; i + 1 < s.length; i++) {
      d[i] = s[i + 1] - s[i];
      if (d[i] > 0) nonZero++;
    }
    return nonZero;
  }

  /** The n − 1 intervals of a list of n timestamps (a view; sorted once the pair is scored). */
  intervals(n: number): Float64Array {
    return this.deltas.subarray(0, Math.max(0, n - 1));
  }

  /** {@link hist}, zeroed. */
  clearHist(): Float64Array {
    return this.hist.fill(0);
  }
}

// ------------------------------------------------------------------------------------ v5

/** Result of {@link timestampScoreV5}. */
export interface TimestampScore {
  score: number;
  skew: number;
  mad: number;
  /** Distinct intervals (seconds, zeros included) with counts, and the most common interval. */
  intervals: DistinctCounts;
}

/**
 * RITA v5 `getTimestampScore` (§5.3). `ts` = the pair's full timestamp list (seconds, duplicates
 * kept, any order). Intervals = consecutive differences of the sorted list; the interval table
 * keeps zeros; the score uses the non-zero intervals: round3((bowleySkewScore + madScore)/2) with
 * madScore default 1 (median < 1).
 * @throws RangeError with fewer than 4 timestamps or fewer than 3 non-zero intervals.
 */
export function timestampScoreV5(ts: ArrayLike<number>): TimestampScore {
  const x = new ScoreScratch();
  const st = timestampStatsV5(sortedCopy(ts), x);
  return { score: st.score, skew: st.skew, mad: st.mad, intervals: distinctCountsSorted(x.intervals(ts.length)) };
}

/**
 * {@link timestampScoreV5} without the interval table, of an ascending-sorted list `s`; leaves
 * the sorted intervals in `x` ({@link ScoreScratch.intervals}).
 * @throws RangeError as {@link timestampScoreV5}.
 */
function timestampStatsV5(s: Float64Array, x: ScoreScratch): { score: number; skew: number; mad: number } {
  const n = s.length;
  if (n < 4) throw new RangeError('timestamp list must contain at least 4 elements');
  x.reserve(n);
  const nonZero = x.fillIntervals(s);
  if (nonZero < 3) throw new RangeError('timestamp list must contain at least 3 non-zero intervals');
  const deltas = x.intervals(n).sort();
  return statisticalScoreV5(deltas.subarray(deltas.length - nonZero), 1, x.dev);
}

/** Result of {@link dataSizeScoreV5}. */
export interface DataSizeScore {
  score: number;
  skew: number;
  mad: number;
  sizes: DistinctCounts;
}

/**
 * RITA v5 `getDataSizeScore` (§5.4): sorted bytes; round3((bowleySkewScore + madScore)/2) with
 * madScore default 0 (median < 1). No "smallness" term.
 * @throws RangeError with fewer than 3 values.
 */
export function dataSizeScoreV5(bytes: ArrayLike<number>): DataSizeScore {
  const s = sortedCopy(bytes);
  const st = dataSizeStatsV5(s, new ScoreScratch());
  return { score: st.score, skew: st.skew, mad: st.mad, sizes: distinctCountsSorted(s) };
}

/** {@link dataSizeScoreV5} without the size table, of an ascending-sorted list; `x` scratch. */
function dataSizeStatsV5(s: ArrayLike<number>, x: ScoreScratch): { score: number; skew: number; mad: number } {
  if (s.length < 3) throw new RangeError('bytes list must contain at least 3 elements');
  x.reserve(s.length);
  return statisticalScoreV5(s, 0, x.dev);
}

/**
 * RITA v5 `computeHistogramBins` (§5.5): `bins + 1` edges, float step (max − min)/bins,
 * edge[0] = min, edge[bins] = max.
 * @throws RangeError when bins ≤ 0 or max ≤ min.
 */
export function histogramEdgesV5(minTs: number, maxTs: number, bins = HISTOGRAM_BINS): number[] {
  if (bins <= 0) throw new RangeError('number of histogram bins must be greater than 0');
  if (maxTs <= minTs) throw new RangeError('invalid histogram time range');
  const step = (maxTs - minTs) / bins;
  const edges = new Array<number>(bins + 1);
  edges[0] = minTs;
  for (let i = 1; i < bins; i++) edges[i] = minTs + i * step;
  edges[bins] = maxTs;
  return edges;
}

/** Bars of a connection histogram: frequency counts, non-empty bars, circular longest run (§4 step 5). */
export interface FrequencyCounts {
  /** Bar height key (floor(bar/bucketSize)·bucketSize) → number of bars. */
  freqCount: Map<number, number>;
  totalBars: number;
  longestRun: number;
}

/**
 * RITA `getFrequencyCounts` (§4 step 5, §5.5): totalBars = non-zero bars; bucketSize =
 * ceil(largest·sensitivity); key of a bar = floor(bar/bucketSize)·bucketSize; longest run of
 * non-zero bars scanning the bars twice (circular), capped at the number of bars.
 * @throws RangeError for an empty histogram.
 */
export function frequencyCounts(hist: ArrayLike<number>, modeSensitivity: number): FrequencyCounts {
  const keys = new Float64Array(hist.length);
  const keyCounts = new Float64Array(hist.length);
  const b = barStats(hist, modeSensitivity, keys, keyCounts);
  const freqCount = new Map<number, number>();
  for (let i = 0; i < b.keys; i++) freqCount.set(keys[i], keyCounts[i]);
  return { freqCount, totalBars: b.totalBars, longestRun: b.longestRun };
}

/**
 * {@link frequencyCounts} with the distinct keys and their counts written to `keys` and
 * `keyCounts` (first `keys` entries, in first-seen order; keys compared as a `Map` does, NaN equal
 * to NaN) instead of a Map: one entry per bar at most, so both need `hist.length` entries.
 * @throws RangeError for an empty histogram.
 */
function barStats(hist: ArrayLike<number>, modeSensitivity: number, keys: Float64Array, keyCounts: Float64Array): { totalBars: number; longestRun: number; keys: number } {
  const n = hist.length;
  if (n === 0) throw new RangeError('histogram must not be empty');
  let totalBars = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    if (hist[i] > 0) totalBars++;
    if (hist[i] > largest) largest = hist[i];
  }
  const bucketSize = Math.ceil(largest * modeSensitivity);
  let nk = 0;
  let longestRun = 0;
  let run = 0;
  for (let i = 0; i < n * 2; i++) {
    const f = hist[i % n];
    if (f > 0) run++;
    else {
      if (run > longestRun) longestRun = run;
      run = 0;
    }
    if (i < n && f > 0) {
      const key = Math.floor(f / bucketSize) * bucketSize;
      let k = 0;
      while (k < nk && !(keys[k] === key || (keys[k] !== keys[k] && key !== key))) k++;
      if (k === nk) {
        keys[nk] = key;
        keyCounts[nk++] = 0;
      }
      keyCounts[k]++;
    }
  }
  if (run > longestRun) longestRun = run;
  if (longestRun > n) longestRun = n;
  return { totalBars, longestRun, keys: nk };
}

/**
 * RITA v5 `createHistogram` assignment (§5.5): sorted timestamps walk the bins; a ts ≥ the
 * current upper edge advances bin by bin until ts < edge[j+1] or the last bin; ts < min → bin 0;
 * ts ≥ max → last bin.
 */
export function histogramV5(edges: readonly number[], ts: ArrayLike<number>): number[] {
  const hist = new Float64Array(edges.length - 1);
  fillHistogramV5(edges, sortedCopy(ts), hist);
  return Array.from(hist);
}

/** {@link histogramV5} of ascending-sorted `s` into `hist` (edges.length − 1 zeroed bins). */
function fillHistogramV5(edges: ArrayLike<number>, s: ArrayLike<number>, hist: Float64Array): void {
  const bins = edges.length - 1;
  let cur = 0;
  let upper = edges[1];
  for (let k = 0; k < s.length; k++) {
    const t = s[k];
    if (t < upper) {
      hist[cur]++;
      continue;
    }
    for (let j = cur + 1; j < bins; j++) {
      cur = j;
      upper = edges[j + 1];
      if (t < edges[j + 1]) break;
    }
    hist[cur]++;
  }
}

/**
 * RITA v5 `calculateCoefficientOfVariationScore` (§5.5): cv = populationSD/mean over all bars
 * (mean = total/bars); cv > 1 → 0, else round3(1 − cv) capped at 1.
 * @throws RangeError for an empty or all-zero histogram.
 */
export function cvScoreV5(hist: ArrayLike<number>): number {
  const n = hist.length;
  if (n === 0) throw new RangeError('histogram must not be empty');
  let total = 0;
  for (let i = 0; i < n; i++) total += hist[i];
  if (total <= 0) throw new RangeError('histogram total must be greater than zero');
  const mean = total / n;
  let sd = 0;
  for (let i = 0; i < n; i++) sd += Math.pow(hist[i] - mean, 2);
  sd = Math.sqrt(sd / n);
  const cv = sd / Math.abs(mean);
  let score = cv > 1 ? 0 : round3(1 - cv);
  if (score > 1) score = 1;
  return score;
}

/** The two largest of the first `n` counts (0 when missing). */
function topTwo(counts: ArrayLike<number>, n: number): [number, number] {
  let largest = 0;
  let second = 0;
  for (let i = 0; i < n; i++) {
    const v = counts[i];
    if (v > largest) {
      second = largest;
      largest = v;
    } else if (v > second) second = v;
  }
  return [largest, second];
}

/**
 * RITA v5 `calculateBimodalFitScore` (§5.5): minHours < 6 → 11; if totalBars ≥ minHours:
 * fit = (largest + second largest freqCount)/max(totalBars − outlierRemoval, 1); score =
 * min(1, round3(fit)); else 0.
 */
export function bimodalScoreV5(fc: FrequencyCounts, outlierRemoval: number, minHours: number): number {
  const counts = [...fc.freqCount.values()];
  return bimodalFitV5(fc.totalBars, counts, counts.length, outlierRemoval, minHours);
}

/** {@link bimodalScoreV5} with the frequency counts as the first `n` of `counts`. */
function bimodalFitV5(totalBars: number, counts: ArrayLike<number>, n: number, outlierRemoval: number, minHours: number): number {
  const min = minHours < 6 ? 11 : minHours;
  let fit = 0;
  if (totalBars >= min) {
    const [a, b] = topTwo(counts, n);
    fit = (a + b) / Math.max(totalBars - outlierRemoval, 1);
  }
  const s = round3(fit);
  return s > 1 ? 1 : s;
}

/** Result of {@link histogramScoreV5}. */
export interface HistogramScore extends FrequencyCounts {
  score: number;
  cvScore: number;
  bimodalScore: number;
  /** Connections per bin. */
  hist: number[];
  edges: number[];
}

/**
 * RITA v5 `getHistogramScore` (§5.5): hist = max(cvScore, bimodalScore) over `bins` (24) bins of
 * the window `[minTs, maxTs]` (seconds).
 * @throws RangeError for an empty list or maxTs ≤ minTs.
 */
export function histogramScoreV5(minTs: number, maxTs: number, ts: ArrayLike<number>, p: ScoringParams = DEFAULT_SCORING, bins = HISTOGRAM_BINS): HistogramScore {
  if (ts.length === 0) throw new RangeError('timestamp list must not be empty');
  const edges = histogramEdgesV5(minTs, maxTs, bins);
  const x = new ScoreScratch(bins);
  const h = histogramStatsV5(edges, sortedCopy(ts), p, x);
  const hist = Array.from(x.hist);
  const fc = frequencyCounts(hist, p.histogramModeSensitivity);
  return { freqCount: fc.freqCount, totalBars: h.totalBars, longestRun: h.longestRun, hist, edges, cvScore: h.cvScore, bimodalScore: h.bimodalScore, score: h.score };
}

/**
 * {@link histogramScoreV5} of ascending-sorted `s` (non-empty) over `edges` ({@link
 * histogramEdgesV5}, `x` made for edges.length − 1 bins), without the tables; leaves the
 * histogram in `x.hist`.
 */
function histogramStatsV5(
  edges: ArrayLike<number>,
  s: ArrayLike<number>,
  p: ScoringParams,
  x: ScoreScratch,
): { score: number; cvScore: number; bimodalScore: number; totalBars: number; longestRun: number } {
  const hist = x.clearHist();
  fillHistogramV5(edges, s, hist);
  const b = barStats(hist, p.histogramModeSensitivity, x.keys, x.keyCounts);
  const cvScore = cvScoreV5(hist);
  const bimodalScore = bimodalFitV5(b.totalBars, x.keyCounts, b.keys, p.histogramBimodalOutlierRemoval, p.histogramBimodalMinHoursSeen);
  return { score: Math.max(cvScore, bimodalScore), cvScore, bimodalScore, totalBars: b.totalBars, longestRun: b.longestRun };
}

/** Result of the duration scores. */
export interface DurationScore {
  coverage: number;
  consistency: number;
  score: number;
}

/**
 * RITA v5 `getDurationScore` (§5.6): if totalBars ≥ minHours: coverage = min(1,
 * ceil3((last − first)/(maxTs − minTs))), consistency = min(1, ceil3(longestRun/idealHours)),
 * score = max; else all 0.
 * @throws RangeError when minHours < 1, idealHours < 1, maxTs ≤ minTs or last ≤ first.
 */
export function durationScoreV5(
  minTs: number,
  maxTs: number,
  first: number,
  last: number,
  totalBars: number,
  longestRun: number,
  minHours = DEFAULT_SCORING.durationMinHoursSeen,
  idealHours = DEFAULT_SCORING.durationConsistencyIdealHoursSeen,
): DurationScore {
  if (minHours < 1 || idealHours < 1 || maxTs <= minTs || last <= first) throw new RangeError('invalid input for the duration score');
  let coverage = 0;
  let consistency = 0;
  let score = 0;
  if (totalBars >= minHours) {
    coverage = Math.min(1, ceil3((last - first) / (maxTs - minTs)));
    consistency = Math.min(1, ceil3(longestRun / idealHours));
    score = Math.max(coverage, consistency);
  }
  return { coverage, consistency, score };
}

/**
 * RITA v5 `getBeaconScore` (§5.7): round3(ts·wTs + ds·wDs + dur·wDur + hist·wHist), evaluated
 * left to right.
 * @throws RangeError when a sub-score or weight is outside [0, 1] or the weights do not sum to 1.
 */
export function beaconScoreV5(ts: number, ds: number, dur: number, hist: number, p: Pick<ScoringParams, 'tsWeight' | 'dsWeight' | 'durWeight' | 'histWeight'> = DEFAULT_SCORING): number {
  validateWeights(p);
  for (const s of [ts, ds, dur, hist]) if (!(s >= 0 && s <= 1)) throw new RangeError('scores must be between 0 and 1');
  return round3(ts * p.tsWeight + ds * p.dsWeight + dur * p.durWeight + hist * p.histWeight);
}

/**
 * Checks RITA's weight rules (`config/config.go`): each weight in [0, 1], exact sum 1 (summed left
 * to right in double, as RITA does).
 * @throws RangeError otherwise.
 */
export function validateWeights(p: Pick<ScoringParams, 'tsWeight' | 'dsWeight' | 'durWeight' | 'histWeight'>): void {
  let sum = 0;
  for (const w of [p.tsWeight, p.dsWeight, p.durWeight, p.histWeight]) {
    if (!(w >= 0 && w <= 1)) throw new RangeError('weights must be between 0 and 1');
    sum += w;
  }
  if (sum !== 1) throw new RangeError('weights must sum to 1');
}

// ------------------------------------------------------------------------------------ severity

/** RITA v5 score thresholds in percent (`score_thresholds`, §5.7). */
export interface ScoreThresholds {
  base: number;
  low: number;
  medium: number;
  high: number;
}

export const DEFAULT_THRESHOLDS: Readonly<ScoreThresholds> = Object.freeze({ base: 50, low: 70, medium: 90, high: 100 });

/**
 * A pair's severity band: RITA v5's (§5.7), or `n/a` for a legacy score (RITA v4.8 and earlier, §2–§4), which has no
 * severity bands — `rita show-beacons` lists every beacon with a score above 0, by score (§2) — so it is given none
 * rather than v5's bands, which were never defined for it.
 */
export type Severity = BandSeverity | 'n/a';

/** The severity bands of RITA v5 (`score_thresholds`, §5.7). */
export type BandSeverity = 'high' | 'medium' | 'low' | 'none';

/** The severity of a legacy score: none defined ({@link Severity}); no threat score (that is v5's, §5.7). */
export const NO_SEVERITY_BANDS: Readonly<{ severity: Severity; threat: number }> = Object.freeze({ severity: 'n/a', threat: 0 });

/** What a legacy score's severity is said to be, for a reader: it has no severity bands, and why. */
export const LEGACY_SEVERITY_TEXT = 'no severity bands: the legacy score (RITA v4.8) has none — RITA lists its beacons by score only; the high/medium/low bands are RITA v5\'s';

/** {@link severityOf} for a v5 score, {@link NO_SEVERITY_BANDS} for a legacy one (`legacy`). */
export function severityFor(score: number, t: ScoreThresholds, legacy: boolean): { severity: Severity; threat: number } {
  return legacy ? NO_SEVERITY_BANDS : severityOf(score, t);
}

/**
 * RITA v5 `calculateBucketedScore` (§5.7) on v = 100·score (capped at `high`): v < base → 0 /
 * none; base ≤ v < low → 0.2→0.4 / low; low ≤ v < medium → 0.4→0.6 / medium; v ≥ medium →
 * 0.6→0.8 / high, linear inside each band. Returns the threat score (0…0.8) and the band.
 */
export function severityOf(score: number, t: ScoreThresholds = DEFAULT_THRESHOLDS): { severity: BandSeverity; threat: number } {
  const v = Math.min(100 * score, t.high);
  const lin = (lo: number, hi: number, a: number, b: number) => a + ((v - lo) / (hi - lo || 1)) * (b - a);
  if (!(v >= t.base)) return { severity: 'none', threat: 0 };
  if (v < t.low) return { severity: 'low', threat: lin(t.base, t.low, 0.2, 0.4) };
  if (v < t.medium) return { severity: 'medium', threat: lin(t.low, t.medium, 0.4, 0.6) };
  return { severity: 'high', threat: lin(t.medium, t.high, 0.6, 0.8) };
}

// ------------------------------------------------------------------------------------ full pair

/** Every sub-score and statistic of one scored pair. */
export interface PairScore {
  score: number;
  tsScore: number;
  dsScore: number;
  durScore: number;
  histScore: number;
  tsSkew: number;
  tsMad: number;
  dsSkew: number;
  dsMad: number;
  coverage: number;
  consistency: number;
  cvScore: number;
  bimodalScore: number;
  totalBars: number;
  longestRun: number;
  /** Legacy only: data-size "smallness" sub-score. */
  dsSmallness?: number;
  intervals: DistinctCounts;
  sizes: DistinctCounts;
  /** Connections per histogram bin and the bin edges (seconds). */
  hist: number[];
  edges: number[];
}

/**
 * The numbers of a {@link PairScore} without its tables (the interval and size tables are left
 * to be built from the sorted lists, the histogram is in the {@link ScoreScratch}), with the
 * modes of the tables: `tsMode`/`tsModeCount` of the intervals, `dsMode`/`dsModeCount` of the
 * sizes (as `intervals.mode` … of {@link PairScore}).
 */
export interface PairStats extends Omit<PairScore, 'intervals' | 'sizes' | 'hist'> {
  tsMode: number;
  tsModeCount: number;
  dsMode: number;
  dsModeCount: number;
}

/**
 * Scores one pair with RITA v5 (§5.3–§5.7). `ts` seconds (full list, duplicates kept), `bytes`
 * one `orig_ip_bytes` per record, window `[minTs, maxTs]` seconds.
 * @throws RangeError when the pair cannot be scored (fewer than 4 distinct timestamps, bad window).
 */
export function scorePairV5(ts: ArrayLike<number>, bytes: ArrayLike<number>, minTs: number, maxTs: number, p: ScoringParams = DEFAULT_SCORING): PairScore {
  const s = sortedCopy(ts);
  const b = sortedCopy(bytes);
  const x = new ScoreScratch();
  return pairScoreOf(scoreSortedV5(s, b, minTs, maxTs, p, x), s.length, b, x);
}

/**
 * {@link scorePairV5} of ascending-sorted `ts` and `bytes` (every score and statistic of the v5
 * formula depends on the lists as multisets only), without the tables; `x` scratch, left holding
 * the pair's sorted intervals and histogram; `edges` = histogramEdgesV5(minTs, maxTs) when the
 * caller has them (shared by the pairs of a window), else computed.
 * @throws RangeError as {@link scorePairV5}, in the same order.
 */
export function scoreSortedV5(ts: Float64Array, bytes: Float64Array, minTs: number, maxTs: number, p: ScoringParams, x: ScoreScratch, edges?: number[]): PairStats {
  const t = timestampStatsV5(ts, x);
  const d = dataSizeStatsV5(bytes, x);
  const e = edges ?? histogramEdgesV5(minTs, maxTs);
  const h = histogramStatsV5(e, ts, p, x);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] < first) first = ts[i];
    if (ts[i] > last) last = ts[i];
  }
  const dur = durationScoreV5(minTs, maxTs, first, last, h.totalBars, h.longestRun, p.durationMinHoursSeen, p.durationConsistencyIdealHoursSeen);
  const score = beaconScoreV5(t.score, d.score, dur.score, h.score, p);
  const tm = distinctCountsSorted(x.intervals(ts.length), false);
  const dm = distinctCountsSorted(bytes, false);
  return {
    score,
    tsScore: t.score,
    dsScore: d.score,
    durScore: dur.score,
    histScore: h.score,
    tsSkew: t.skew,
    tsMad: t.mad,
    dsSkew: d.skew,
    dsMad: d.mad,
    coverage: dur.coverage,
    consistency: dur.consistency,
    cvScore: h.cvScore,
    bimodalScore: h.bimodalScore,
    totalBars: h.totalBars,
    longestRun: h.longestRun,
    edges: e,
    tsMode: tm.mode,
    tsModeCount: tm.modeCount,
    dsMode: dm.mode,
    dsModeCount: dm.modeCount,
  };
}

/**
 * The {@link PairScore} of a pair just scored with {@link scoreSortedV5} / {@link
 * scoreSortedLegacy}: `n` timestamps, `bytes` sorted, `x` the scratch it was scored with.
 */
function pairScoreOf(st: PairStats, n: number, bytes: Float64Array, x: ScoreScratch): PairScore {
  const r: PairScore = {
    score: st.score,
    tsScore: st.tsScore,
    dsScore: st.dsScore,
    durScore: st.durScore,
    histScore: st.histScore,
    tsSkew: st.tsSkew,
    tsMad: st.tsMad,
    dsSkew: st.dsSkew,
    dsMad: st.dsMad,
    coverage: st.coverage,
    consistency: st.consistency,
    cvScore: st.cvScore,
    bimodalScore: st.bimodalScore,
    totalBars: st.totalBars,
    longestRun: st.longestRun,
    intervals: distinctCountsSorted(x.intervals(n)),
    sizes: distinctCountsSorted(bytes),
    hist: Array.from(x.hist),
    edges: st.edges,
  };
  if (st.dsSmallness !== undefined) r.dsSmallness = st.dsSmallness;
  return r;
}

// ------------------------------------------------------------------------------------ legacy (era D)

/**
 * Legacy era D histogram (§4 step 5): integer step trunc((max − min)/24), div[i] = min + i·step,
 * div[24] = max; sorted ts < current bound → current bucket, else the first j > i with
 * ts < div[j+1]; if none (ts ≥ max) the ts stays in the *current* bucket (legacy quirk).
 */
export function histogramLegacy(minTs: number, maxTs: number, ts: ArrayLike<number>, bins = HISTOGRAM_BINS): { hist: number[]; edges: number[] } {
  const edges = histogramEdgesLegacy(minTs, maxTs, bins);
  const hist = new Float64Array(bins);
  fillHistogramLegacy(edges, sortedCopy(ts), hist);
  return { hist: Array.from(hist), edges };
}

/** The `bins + 1` edges of {@link histogramLegacy}. */
function histogramEdgesLegacy(minTs: number, maxTs: number, bins: number): number[] {
  const step = Math.trunc((maxTs - minTs) / bins);
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = minTs + i * step;
  edges[bins] = maxTs;
  return edges;
}

/** {@link histogramLegacy} of ascending-sorted `s` into `hist` (edges.length − 1 zeroed bins). */
function fillHistogramLegacy(edges: ArrayLike<number>, s: ArrayLike<number>, hist: Float64Array): void {
  const bins = edges.length - 1;
  let cur = 0;
  for (let k = 0; k < s.length; k++) {
    const t = s[k];
    if (t < edges[cur + 1]) {
      hist[cur]++;
      continue;
    }
    for (let j = cur + 1; j < bins; j++) {
      if (t < edges[j + 1]) {
        cur = j;
        break;
      }
    }
    hist[cur]++;
  }
}

/**
 * Scores one pair with the final legacy formula, era D = RITA v4.8.x (§4): ceil3 everywhere,
 * index quantiles, skew needs IQR ≥ 10, ds keeps the smallness term, duration needs > 6 bars.
 * `ts` seconds (full list), `bytes` orig_ip_bytes per record, window `[minTs, maxTs]`.
 * @throws RangeError with fewer than 3 non-zero intervals or a bad window.
 */
export function scorePairLegacy(ts: ArrayLike<number>, bytes: ArrayLike<number>, minTs: number, maxTs: number, p: ScoringParams = DEFAULT_SCORING): PairScore {
  const s = sortedCopy(ts);
  const b = sortedCopy(bytes);
  const x = new ScoreScratch();
  return pairScoreOf(scoreSortedLegacy(s, b, minTs, maxTs, p, x), s.length, b, x);
}

/**
 * {@link scorePairLegacy} of ascending-sorted `T` and `B` (multisets only matter, as in {@link
 * scoreSortedV5}), without the tables; `x` scratch, left holding the sorted intervals and the
 * histogram.
 * @throws RangeError as {@link scorePairLegacy}, in the same order.
 */
export function scoreSortedLegacy(T: Float64Array, B: Float64Array, minTs: number, maxTs: number, p: ScoringParams, x: ScoreScratch): PairStats {
  validateWeights(p);
  if (maxTs <= minTs) throw new RangeError('invalid dataset time range');
  x.reserve(Math.max(T.length, B.length));
  const nonZero = x.fillIntervals(T);
  if (nonZero < 3) throw new RangeError('timestamp list must contain at least 3 non-zero intervals');
  const full = x.intervals(T.length).sort();
  const tm = distinctCountsSorted(full, false);
  const D = full.subarray(full.length - nonZero);
  // 1-3: timestamp score
  const tb = legacyBowley(D);
  const tsMadm = legacyMadm(D, x.dev);
  const tsSkewScore = 1 - Math.abs(tb.skew);
  const tsMadmScore = Math.max(0, 1 - tsMadm / tb.mid);
  const tsScore = ceil3((tsSkewScore + tsMadmScore) / 2);
  // 4: data size score
  const dm = distinctCountsSorted(B, false);
  const db = legacyBowley(B);
  const dsMadm = legacyMadm(B, x.dev);
  const dsSkewScore = 1 - Math.abs(db.skew);
  const dsMadmScore = db.mid >= 1 ? Math.max(0, 1 - dsMadm / db.mid) : 0;
  const dsSmallness = Math.max(0, 1 - dm.mode / 65535);
  const dsScore = ceil3((dsSkewScore + dsMadmScore + dsSmallness) / 3);
  // 5: histogram
  const e = histogramEdgesLegacy(minTs, maxTs, HISTOGRAM_BINS);
  const hist = x.clearHist();
  fillHistogramLegacy(e, T, hist);
  const fc = barStats(hist, p.histogramModeSensitivity, x.keys, x.keyCounts);
  const mean = T.length / HISTOGRAM_BINS;
  let sd = 0;
  for (const f of hist) sd += (f - mean) * (f - mean);
  sd = Math.sqrt(sd / HISTOGRAM_BINS);
  const cv = Math.min(1, sd / mean);
  const cvScore = Math.min(1, ceil3(1 - cv));
  let bimodalScore = 0;
  if (fc.totalBars >= p.histogramBimodalMinHoursSeen) {
    const [a, b] = topTwo(x.keyCounts, fc.keys);
    bimodalScore = Math.min(1, ceil3((a + b) / Math.max(fc.totalBars - p.histogramBimodalOutlierRemoval, 1)));
  }
  const histScore = Math.max(cvScore, bimodalScore);
  // 6: duration (strictly more than minHours bars)
  let coverage = 0;
  let consistency = 0;
  let durScore = 0;
  if (fc.totalBars > p.durationMinHoursSeen) {
    coverage = Math.min(1, ceil3((T[T.length - 1] - T[0]) / (maxTs - minTs)));
    consistency = Math.min(1, ceil3(fc.longestRun / Math.max(1, p.durationConsistencyIdealHoursSeen)));
    durScore = Math.max(coverage, consistency);
  }
  // 7: final
  const score = ceil3(tsScore * p.tsWeight + dsScore * p.dsWeight + durScore * p.durWeight + histScore * p.histWeight);
  return {
    score,
    tsScore,
    dsScore,
    durScore,
    histScore,
    tsSkew: tb.skew,
    tsMad: tsMadm,
    dsSkew: db.skew,
    dsMad: dsMadm,
    dsSmallness,
    coverage,
    consistency,
    cvScore,
    bimodalScore,
    totalBars: fc.totalBars,
    longestRun: fc.longestRun,
    edges: e,
    tsMode: tm.mode,
    tsModeCount: tm.modeCount,
    dsMode: dm.mode,
    dsModeCount: dm.modeCount,
  };
}
