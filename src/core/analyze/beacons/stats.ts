/**
 * Statistics used by RITA's beacon scoring, in RITA's exact conventions.
 * Reference: shared/docs/rita-beacons.md §5.2 (RITA v5: montanaflynn/stats medians and Tukey-hinge
 * quartiles), §2 (legacy index quantiles, MADM, mode) and §10 (rounding, sort order).
 *
 * Every function takes numbers in IEEE double and keeps RITA's operation order. Inputs that must
 * be sorted say so; none of them mutates its argument unless documented.
 */

/** Numeric ascending comparator (never the default lexicographic sort, §10). */
export const byNumber = (a: number, b: number): number => a - b;

/** A sorted copy (ascending, numeric) of `xs`. */
export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs as ArrayLike<number>).sort();
}

/**
 * Median of an ascending-sorted list (montanaflynn/stats `Median`, §5.2): odd n → the middle
 * element, even n → the mean of the two middle elements. NaN for an empty list.
 */
export function medianSorted(s: ArrayLike<number>, from = 0, to = s.length): number {
  const n = to - from;
  if (n <= 0) return NaN;
  const mid = from + (n >> 1);
  return n % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median of any list (sorted copy first). NaN for an empty list. */
export function median(xs: ArrayLike<number>): number {
  return medianSorted(sortedCopy(xs));
}

/** Quartiles Q1, Q2 (median), Q3. */
export interface Quartiles {
  q1: number;
  q2: number;
  q3: number;
}

/**
 * Tukey-hinge quartiles of montanaflynn/stats v0.7.1 `Quartile` (§5.2): even n → the lower half is
 * the first n/2 elements, the upper half the last n/2; odd n → the middle element is left out of
 * both halves; Q1/Q3 = medians of the halves, Q2 = median. `s` must be sorted ascending and hold
 * at least 2 values (n = 1 gives NaN for Q1/Q3).
 */
export function tukeyQuartilesSorted(s: ArrayLike<number>): Quartiles {
  const n = s.length;
  const c1 = n % 2 === 0 ? n / 2 : (n - 1) / 2;
  const c2 = n % 2 === 0 ? n / 2 : c1 + 1;
  return { q1: medianSorted(s, 0, c1), q2: medianSorted(s, 0, n), q3: medianSorted(s, c2, n) };
}

/** Median absolute deviation about the median: median(|x − median(x)|) (§5.2). NaN when empty. */
export function medianAbsoluteDeviation(xs: ArrayLike<number>): number {
  return medianAbsoluteDeviationSorted(sortedCopy(xs));
}

/**
 * {@link medianAbsoluteDeviation} of an ascending-sorted list (the deviations are a multiset, so
 * the order of the input does not matter). `dev`: scratch for the n deviations (overwritten; a
 * new array when omitted). NaN when empty.
 */
export function medianAbsoluteDeviationSorted(s: ArrayLike<number>, dev: Float64Array = new Float64Array(s.length)): number {
  const n = s.length;
  if (n === 0) return NaN;
  const m = medianSorted(s);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(s[i] - m);
  return medianSorted(n === dev.length ? dev.sort() : dev.subarray(0, n).sort());
}

/**
 * RITA v5 Bowley skewness (`calculateBowleySkewness`, §5.3): with Tukey quartiles,
 * skew = (Q1 + Q3 − 2·Q2)/(Q3 − Q1) when Q3 − Q1 ≥ 10 and Q2 ≠ Q1 and Q2 ≠ Q3, else 0;
 * score = 1 − |skew|. `sorted` ascending, at least 3 values.
 * @throws RangeError for fewer than 3 values (RITA returns an error there).
 */
export function bowleySkewV5(sorted: ArrayLike<number>): { skew: number; score: number } {
  if (sorted.length < 3) throw new RangeError('Bowley skewness needs at least 3 values');
  const { q1, q2, q3 } = tukeyQuartilesSorted(sorted);
  const num = q1 + q3 - 2 * q2;
  const den = q3 - q1;
  let skew = 0;
  if (den >= 10 && q2 !== q1 && q2 !== q3) skew = num / den;
  return { skew, score: 1 - Math.abs(skew) };
}

/**
 * RITA v5 MAD score (`calculateMedianAbsoluteDeviation`, §5.3/§5.4): score = (median − MAD)/median
 * when median ≥ 1, else `defaultScore` (1 for intervals, 0 for data sizes); negative or NaN → 0.
 * @throws RangeError for an empty list.
 */
export function madScoreV5(values: ArrayLike<number>, defaultScore: number): { mad: number; score: number } {
  return madScoreSortedV5(sortedCopy(values), defaultScore);
}

/**
 * {@link madScoreV5} of an ascending-sorted list; `dev` as in {@link medianAbsoluteDeviationSorted}.
 * @throws RangeError for an empty list.
 */
export function madScoreSortedV5(sorted: ArrayLike<number>, defaultScore: number, dev?: Float64Array): { mad: number; score: number } {
  if (sorted.length === 0) throw new RangeError('MAD needs at least one value');
  const m = medianSorted(sorted);
  const mad = medianAbsoluteDeviationSorted(sorted, dev);
  let score = defaultScore;
  if (m >= 1) score = (m - mad) / m;
  if (score < 0 || Number.isNaN(score)) score = 0;
  return { mad, score };
}

/**
 * RITA v5 statistical score (`calculateStatisticalScore`): round3((skewScore + madScore)/2) with
 * the Bowley skew and MAD score above. `sorted` ascending, at least 3 values; `dev` as in
 * {@link medianAbsoluteDeviationSorted}.
 * @throws RangeError for fewer than 3 values.
 */
export function statisticalScoreV5(sorted: ArrayLike<number>, defaultMadScore: number, dev?: Float64Array): { score: number; skew: number; mad: number } {
  const b = bowleySkewV5(sorted);
  const m = madScoreSortedV5(sorted, defaultMadScore, dev);
  return { score: round3((b.score + m.score) / 2), skew: b.skew, mad: m.mad };
}

/**
 * Rounds to 3 decimals, halves away from zero, as Go's `math.Round(x*1000)/1000` (§10): with
 * y = 1000·x and t = trunc(y), t + sign(y) when |y − t| ≥ 0.5. (JavaScript's Math.round rounds
 * negative halves up, and floor(y + 0.5) is wrong for 0.49999999999999994.)
 */
export function round3(x: number): number {
  const y = x * 1000;
  if (!Number.isFinite(y)) return y;
  const t = Math.trunc(y);
  const r = Math.abs(y - t) >= 0.5 ? t + Math.sign(y) : t;
  return r / 1000;
}

/** ceil(1000·x)/1000 (RITA's ceil3, §10). */
export function ceil3(x: number): number {
  return Math.ceil(x * 1000) / 1000;
}

/**
 * Legacy index quantile (§2): `S[floor(p·(n−1) + 0.5)]` of an ascending-sorted list (no
 * interpolation). NaN when empty.
 */
export function legacyQuantileSorted(s: ArrayLike<number>, p: number): number {
  if (s.length === 0) return NaN;
  return s[Math.floor(p * (s.length - 1) + 0.5)];
}

/**
 * Legacy Bowley skewness of era D (§4 step 2): lo/mid/hi = index quantiles 0.25/0.5/0.75;
 * skew = (lo + hi − 2·mid)/(hi − lo) when hi − lo ≥ 10 and mid ≠ lo and mid ≠ hi, else 0.
 * (Era A used hi − lo ≠ 0 instead; pass `minIqr` = Number.MIN_VALUE for that.)
 */
export function legacyBowley(sorted: ArrayLike<number>, minIqr = 10): { skew: number; lo: number; mid: number; hi: number } {
  const lo = legacyQuantileSorted(sorted, 0.25);
  const mid = legacyQuantileSorted(sorted, 0.5);
  const hi = legacyQuantileSorted(sorted, 0.75);
  let skew = 0;
  if (hi - lo >= minIqr && mid !== lo && mid !== hi) skew = (lo + hi - 2 * mid) / (hi - lo);
  return { skew, lo, mid, hi };
}

/**
 * Legacy MADM (§2): element floor(0.5·(n−1)+0.5) of the sorted |s − mid| with mid = Q.5.
 * `dev`: scratch for the n deviations (overwritten; a new array when omitted).
 */
export function legacyMadm(sorted: ArrayLike<number>, dev: Float64Array = new Float64Array(sorted.length)): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = legacyQuantileSorted(sorted, 0.5);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(sorted[i] - mid);
  return legacyQuantileSorted(n === dev.length ? dev.sort() : dev.subarray(0, n).sort(), 0.5);
}

/** Distinct values of an ascending-sorted list with their counts, and the mode (§2, RITA `calculateDistinctCounts`). */
export interface DistinctCounts {
  values: number[];
  counts: number[];
  /** Value with the largest count; ties → the smallest value. */
  mode: number;
  modeCount: number;
}

/**
 * Distinct values/counts of an ascending-sorted list; the mode is the first value (smallest) with
 * the largest count (RITA v5 `calculateDistinctCounts` and the legacy mode). Values are truncated
 * to integers as RITA stores them (int64). Empty input → empty lists, mode NaN. `lists` false:
 * only the mode and its count (values and counts left empty).
 */
export function distinctCountsSorted(sorted: ArrayLike<number>, lists = true): DistinctCounts {
  const values: number[] = [];
  const counts: number[] = [];
  let mode = NaN;
  let modeCount = 0;
  const n = sorted.length;
  for (let i = 0; i < n; ) {
    const v = Math.trunc(sorted[i]);
    let j = i + 1;
    while (j < n && Math.trunc(sorted[j]) === v) j++;
    const c = j - i;
    if (lists) {
      values.push(v);
      counts.push(c);
    }
    if (c > modeCount) {
      modeCount = c;
      mode = v;
    }
    i = j;
  }
  return { values, counts, mode, modeCount };
}

/** Number of distinct values of an ascending-sorted list (NaNs each count, −0 equals 0). */
export function countDistinctSorted(sorted: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}
