/**
 * Statistics and RITA v5 sub-scores against hand-computed values and the published RITA v5 test
 * vectors (activecm/rita `analysis/beacons_test.go`; values taken as facts, compared with RITA's
 * own tolerance of 0.001 where RITA uses InDelta). Reference: shared/docs/rita-beacons.md §5, §10.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  bowleySkewV5,
  ceil3,
  distinctCountsSorted,
  legacyBowley,
  legacyMadm,
  legacyQuantileSorted,
  madScoreV5,
  median,
  medianAbsoluteDeviation,
  round3,
  statisticalScoreV5,
  tukeyQuartilesSorted,
} from '../../src/core/analyze/beacons/stats';
import {
  DEFAULT_SCORING,
  beaconScoreV5,
  bimodalScoreV5,
  cvScoreV5,
  dataSizeScoreV5,
  durationScoreV5,
  frequencyCounts,
  histogramEdgesV5,
  histogramScoreV5,
  severityOf,
  timestampScoreV5,
} from '../../src/core/analyze/beacons/score';

const near = (actual: number, expected: number, delta = 0.001, what = '') =>
  assert.ok(Math.abs(actual - expected) <= delta + 1e-12, `${what} expected ${expected} ± ${delta}, got ${actual}`);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('statistics (montanaflynn/stats conventions, §5.2)', () => {
  it('median: odd n middle element, even n mean of the two middle elements', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
  it('Tukey-hinge quartiles: the middle element is left out of both halves for odd n', () => {
    // hand: [1,2,25,42 | 90 | 299,500,1500,4975] → Q1 = (2+25)/2, Q3 = (500+1500)/2
    assert.deepEqual(tukeyQuartilesSorted(sorted([1, 299, 25, 4975, 90, 2, 42, 500, 1500])), { q1: 13.5, q2: 90, q3: 1000 });
    // even n: halves are the first and last n/2
    assert.deepEqual(tukeyQuartilesSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { q1: 3, q2: 5.5, q3: 8 });
    assert.deepEqual(tukeyQuartilesSorted(sorted([524885, 1, 5000, 98654, 50, 41, 965842, 3])), { q1: 22, q2: 2525, q3: 311769.5 });
  });
  it('MAD about the median', () => {
    assert.equal(medianAbsoluteDeviation([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 2.5);
    assert.equal(medianAbsoluteDeviation([98, 99, 99, 100, 100, 100, 101, 101, 102]), 1);
    assert.equal(medianAbsoluteDeviation([524885, 1, 5000, 98654, 50, 41, 965842, 3]), 2523);
  });
  it('round3 rounds halves away from zero (Go math.Round), ceil3 rounds up', () => {
    assert.equal(round3(0.0005), 0.001);
    assert.equal(round3(-0.0005), -0.001); // Math.round would give -0
    assert.equal(round3(0.9995), 1);
    assert.equal(round3(0.4444), 0.444);
    assert.equal(round3(0.49999999999999994 / 1000), 0); // floor(y + 0.5) would give 0.001
    assert.equal(ceil3(0.8331), 0.834);
    assert.equal(ceil3(0.833), 0.833);
    assert.equal(ceil3(1 / 12), 0.084);
  });
  it('legacy index quantiles S[floor(p·(n−1)+0.5)] and MADM', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(legacyQuantileSorted(s, 0.25), 3); // floor(2.25+0.5)=2 → 3
    assert.equal(legacyQuantileSorted(s, 0.5), 6); // floor(4.5+0.5)=5 → 6
    assert.equal(legacyQuantileSorted(s, 0.75), 8); // floor(6.75+0.5)=7 → 8
    assert.equal(legacyMadm(s), 3); // |x−6| sorted: 0,1,1,2,2,3,3,4,4,5 → idx 5 → 3
    // skew needs IQR ≥ 10 in era D
    assert.equal(legacyBowley(s).skew, 0);
    const wide = [10, 20, 30, 40, 100];
    assert.deepEqual(legacyBowley(wide), { skew: (20 + 40 - 60) / 20, lo: 20, mid: 30, hi: 40 });
  });
  it('distinct counts and mode: ties go to the smallest value', () => {
    assert.deepEqual(distinctCountsSorted([1, 3, 41, 50, 5000, 98654, 524885, 965842]), {
      values: [1, 3, 41, 50, 5000, 98654, 524885, 965842],
      counts: [1, 1, 1, 1, 1, 1, 1, 1],
      mode: 1,
      modeCount: 1,
    });
    assert.deepEqual(distinctCountsSorted([98, 99, 99, 100, 100, 100, 101, 101, 102]), { values: [98, 99, 100, 101, 102], counts: [1, 2, 3, 2, 1], mode: 100, modeCount: 3 });
  });
});

describe('RITA v5 statistical score (calculateStatisticalScore vectors)', () => {
  const cases: { name: string; values: number[]; def: number; score: number; skew: number; mad: number }[] = [
    { name: 'simple list', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], def: 0, score: 0.773, skew: 0, mad: 2.5 },
    { name: 'identical', values: [60, 60, 60, 60, 60, 60, 60, 60, 60], def: 0, score: 1, skew: 0, mad: 0 },
    { name: 'closely valued', values: [98, 99, 99, 100, 100, 100, 101, 101, 102], def: 0, score: 0.995, skew: 0, mad: 1 },
    { name: 'random intervals', values: [1, 299, 25, 4975, 90, 2, 42, 500, 1500], def: 1, score: 0.083, skew: 0.845, mad: 89 },
    { name: 'random sizes', values: [524885, 1, 5000, 98654, 50, 41, 965842, 3], def: 0, score: 0.009, skew: 0.983, mad: 2523 },
    { name: 'median 0, default 0', values: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], def: 0, score: 0.5, skew: 0, mad: 0 },
    { name: 'median 0, default 1', values: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], def: 1, score: 1, skew: 0, mad: 0 },
    { name: 'median < 1, default 0', values: [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10], def: 0, score: 0.5, skew: 0, mad: 2.5 },
    { name: 'Q1 == Q2', values: [7, 8, 7, 8, 7, 8, 7, 8, 7], def: 1, score: 1, skew: 0, mad: 0 },
    { name: 'Q2 == Q3', values: [1, 1, 2, 2, 2, 2], def: 1, score: 1, skew: 0, mad: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = statisticalScoreV5(sorted(c.values), c.def);
      near(r.score, c.score, 0.001, 'score');
      near(r.skew, c.skew, 0.001, 'skew');
      near(r.mad, c.mad, 0.001, 'mad');
    });
  }
  it('fewer than 3 values is an error', () => {
    assert.throws(() => bowleySkewV5([1, 2]), RangeError);
    assert.throws(() => madScoreV5([], 0), RangeError);
  });
});

describe('RITA v5 timestamp score (getTimestampScore vectors)', () => {
  it('1…10: intervals all 1 → score 1, mode 1 ×9', () => {
    const r = timestampScoreV5([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(r.score, 1);
    assert.deepEqual(r.intervals, { values: [1], counts: [9], mode: 1, modeCount: 9 });
  });
  it('perfect 60-s intervals → 1', () => {
    const r = timestampScoreV5([1517338924, 1517338984, 1517339044, 1517339104, 1517339164, 1517339224, 1517339284, 1517339344, 1517339404, 1517339464]);
    assert.equal(r.score, 1);
    assert.equal(r.intervals.mode, 60);
  });
  it('closely valued intervals 98…102 → 0.995', () => {
    const r = timestampScoreV5([1517338924, 1517339022, 1517339121, 1517339220, 1517339320, 1517339420, 1517339520, 1517339621, 1517339722, 1517339824]);
    assert.equal(r.score, 0.995);
    assert.equal(r.mad, 1);
    assert.deepEqual(r.intervals, { values: [98, 99, 100, 101, 102], counts: [1, 2, 3, 2, 1], mode: 100, modeCount: 3 });
  });
  it('bi-modal intervals 98/300 → 0.746 (MAD 101)', () => {
    const r = timestampScoreV5([1517338924, 1517339022, 1517339322, 1517339420, 1517339720, 1517339818, 1517340118, 1517340216, 1517340516, 1517340614, 1517340914]);
    assert.equal(r.score, 0.746);
    assert.equal(r.skew, 0);
    assert.equal(r.mad, 101);
    assert.deepEqual(r.intervals, { values: [98, 300], counts: [5, 5], mode: 98, modeCount: 5 });
  });
  it('random intervals → 0.083 (skew 0.845, MAD 89)', () => {
    const r = timestampScoreV5([1517338924, 1517338925, 1517339224, 1517339249, 1517344224, 1517344314, 1517344316, 1517344358, 1517344858, 1517346358]);
    assert.equal(r.score, 0.083);
    near(r.skew, 0.845);
    assert.equal(r.mad, 89);
    assert.deepEqual(r.intervals.values, [1, 2, 25, 42, 90, 299, 500, 1500, 4975]);
  });
  it('zero intervals are kept in the interval table but not scored', () => {
    // ts 10,10,20,30,40: deltas 0,10,10,10 → scored on 10,10,10
    const r = timestampScoreV5([10, 10, 20, 30, 40]);
    assert.equal(r.score, 1);
    assert.deepEqual(r.intervals, { values: [0, 10], counts: [1, 3], mode: 10, modeCount: 3 });
  });
  it('errors: < 3 non-zero intervals, < 4 timestamps, empty', () => {
    assert.throws(() => timestampScoreV5([60, 60, 60, 60, 60, 60, 60, 60, 60]), RangeError);
    assert.throws(() => timestampScoreV5([1517338924, 1517338925]), RangeError);
    assert.throws(() => timestampScoreV5([]), RangeError);
  });
});

describe('RITA v5 data size score (getDataSizeScore vectors)', () => {
  it('1…10 → 0.773', () => {
    const r = dataSizeScoreV5([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(r.score, 0.773);
    assert.equal(r.mad, 2.5);
    assert.equal(r.sizes.mode, 1);
  });
  it('identical 60 → 1; closely valued → 0.995', () => {
    assert.equal(dataSizeScoreV5([60, 60, 60, 60, 60, 60, 60, 60, 60]).score, 1);
    assert.equal(dataSizeScoreV5([98, 99, 99, 100, 100, 100, 101, 101, 102]).score, 0.995);
  });
  it('random sizes → 0.008, mode = first of the ties', () => {
    const r = dataSizeScoreV5([524885, 1, 5000, 98654, 50, 41, 965842, 3]);
    near(r.score, 0.008);
    near(r.skew, 0.984);
    assert.equal(r.mad, 2523);
    assert.deepEqual(r.sizes, { values: [1, 3, 41, 50, 5000, 98654, 524885, 965842], counts: [1, 1, 1, 1, 1, 1, 1, 1], mode: 1, modeCount: 1 });
  });
  it('all zero bytes → 0.5 (MAD default 0 when median < 1)', () => {
    assert.equal(dataSizeScoreV5([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).score, 0.5);
  });
  it('fewer than 3 values is an error', () => {
    assert.throws(() => dataSizeScoreV5([100, 200]), RangeError);
    assert.throws(() => dataSizeScoreV5([]), RangeError);
  });
});

describe('RITA v5 duration score (getDurationScore vectors)', () => {
  const t0 = 1517338924;
  const H = 3600;
  const cases: [string, number, number, number, number, number, number, number][] = [
    // name, histMin, histMax, totalBars, longestRun, coverage, consistency, score
    ['full coverage, full consistency', t0, t0 + 24 * H, 24, 24, 1, 1, 1],
    ['full coverage, min consistency', t0, t0 + 24 * H, 6, 0, 1, 0, 1],
    ['first half coverage', t0 + 12 * H, t0 + 24 * H, 6, 0, 0.5, 0, 0.5],
    ['last half coverage', t0, t0 + 12 * H, 6, 0, 0.5, 0, 0.5],
    ['3/4 coverage', t0 + 6 * H, t0 + 24 * H, 6, 0, 0.75, 0, 0.75],
    ['max consistency', t0 + 12 * H, t0 + 24 * H, 12, 12, 0.5, 1, 1],
    ['max consistency with 6 bars', t0 + 12 * H, t0 + 18 * H, 6, 6, 0.25, 0.5, 0.5],
    ['average', t0 + 6 * H, t0 + 18 * H, 12, 6, 0.5, 0.5, 0.5],
    ['bars below the minimum', t0 + 6 * H, t0 + 18 * H, 3, 1, 0, 0, 0],
  ];
  for (const [name, hMin, hMax, bars, run, cov, cons, score] of cases) {
    it(name, () => {
      const r = durationScoreV5(t0, t0 + 24 * H, hMin, hMax, bars, run, 6, 12);
      near(r.coverage, cov);
      near(r.consistency, cons);
      near(r.score, score);
    });
  }
  it('errors: ideal hours < 1, min hours < 1, dataset min > max, hist min > max', () => {
    assert.throws(() => durationScoreV5(t0, t0 + 24 * H, t0, t0 + 24 * H, 12, 6, 6, 0), RangeError);
    assert.throws(() => durationScoreV5(t0, t0 + 24 * H, t0, t0 + 24 * H, 12, 6, 0, 12), RangeError);
    assert.throws(() => durationScoreV5(1, 0, 0, 1, 6, 12), RangeError);
    assert.throws(() => durationScoreV5(0, 1, 1, 0, 6, 12), RangeError);
  });
});

describe('RITA v5 histogram score (getHistogramScore vectors)', () => {
  const params = (minHours: number) => ({ ...DEFAULT_SCORING, histogramModeSensitivity: 0.05, histogramBimodalOutlierRemoval: 1, histogramBimodalMinHoursSeen: minHours });
  const freq = (m: Map<number, number>) => Object.fromEntries([...m.entries()].sort((a, b) => a[0] - b[0]));
  it('simple list over 10 bins → 0.478', () => {
    const ts: number[] = [];
    for (let v = 1; v <= 10; v++) for (let k = 0; k < v; k++) ts.push(v);
    const r = histogramScoreV5(1, 11, ts, params(6), 10);
    assert.deepEqual(r.edges, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(r.hist, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(freq(r.freqCount), { 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1 });
    assert.equal(r.totalBars, 10);
    assert.equal(r.longestRun, 10);
    assert.equal(r.score, 0.478);
  });
  it('one connection per hour over 24 h → 1', () => {
    const t0 = 1517338924;
    const ts = Array.from({ length: 24 }, (_, i) => t0 + i * 3600);
    const r = histogramScoreV5(t0, t0 + 24 * 3600, ts, params(11));
    assert.deepEqual(r.edges, Array.from({ length: 25 }, (_, i) => t0 + i * 3600));
    assert.deepEqual(r.hist, new Array(24).fill(1));
    assert.deepEqual(freq(r.freqCount), { 1: 24 });
    assert.equal(r.longestRun, 24);
    assert.equal(r.score, 1);
  });
  it('closely valued timestamps, float edges, ts = max in the last bin → 0.064', () => {
    const r = histogramScoreV5(98, 102, [98, 99, 99, 100, 100, 100, 101, 101, 102], params(6), 8);
    assert.deepEqual(r.edges, [98, 98.5, 99, 99.5, 100, 100.5, 101, 101.5, 102]);
    assert.deepEqual(r.hist, [1, 0, 2, 0, 3, 0, 2, 1]);
    assert.deepEqual(freq(r.freqCount), { 1: 2, 2: 2, 3: 1 });
    assert.equal(r.totalBars, 5);
    assert.equal(r.longestRun, 3);
    assert.equal(r.score, 0.064);
  });
  it('random timestamps, CV > 1 → 0', () => {
    const r = histogramScoreV5(0, 1000000, [524885, 1, 5000, 98654, 50, 41, 965842, 3, 12001, 200400, 104001, 199999], params(6), 10);
    assert.deepEqual(r.hist, [7, 2, 1, 0, 0, 1, 0, 0, 0, 1]);
    assert.deepEqual(freq(r.freqCount), { 1: 3, 2: 1, 7: 1 });
    assert.equal(r.longestRun, 4);
    assert.equal(r.score, 0);
  });
  it('bimodal histogram → 1 (cv score 0.4)', () => {
    const r = histogramScoreV5(0, 100, [1, 2, 3, 4, 15, 21, 22, 23, 24, 35, 41, 42, 43, 44, 55, 61, 62, 63, 64, 75, 81, 82, 83, 84, 95], params(6), 10);
    assert.deepEqual(r.hist, [4, 1, 4, 1, 4, 1, 4, 1, 4, 1]);
    assert.deepEqual(freq(r.freqCount), { 1: 5, 4: 5 });
    assert.equal(r.cvScore, 0.4);
    assert.equal(r.score, 1);
  });
  it('gaps and a wrap-around run → 0.028', () => {
    const r = histogramScoreV5(0, 250, [10, 20, 100, 110, 110, 220], params(6), 5);
    assert.deepEqual(r.hist, [2, 0, 3, 0, 1]);
    assert.equal(r.totalBars, 3);
    assert.equal(r.longestRun, 2);
    assert.equal(r.score, 0.028);
  });
  it('single bar → 0, also when the bimodal minimum is set below 6 (replaced by 11)', () => {
    const t0 = 1517338924;
    const ts = Array.from({ length: 10 }, (_, i) => t0 + i * 60);
    for (const min of [11, 1]) {
      const r = histogramScoreV5(t0, t0 + 24 * 3600, ts, params(min));
      assert.equal(r.hist[0], 10);
      assert.equal(r.totalBars, 1);
      assert.equal(r.score, 0);
    }
  });
  it('errors: empty list, min > max, min == max', () => {
    assert.throws(() => histogramScoreV5(0, 10, [], params(6)), RangeError);
    assert.throws(() => histogramScoreV5(1, 0, [1, 2, 3], params(6)), RangeError);
    assert.throws(() => histogramScoreV5(1, 1, [1, 1, 1], params(6)), RangeError);
    assert.throws(() => histogramEdgesV5(0, 10, 0), RangeError);
  });
  it('frequency counts, CV and bimodal fit by hand', () => {
    // office-hours beacon: 12 hours with 10 connections, 12 hours with 4
    const hist = [...new Array(12).fill(10), ...new Array(12).fill(4)];
    const fc = frequencyCounts(hist, 0.05);
    assert.deepEqual(freq(fc.freqCount), { 4: 12, 10: 12 });
    assert.equal(fc.totalBars, 24);
    assert.equal(cvScoreV5(hist), 0.571); // mean 7, sd 3 → 1 − 3/7
    assert.equal(bimodalScoreV5(fc, 1, 11), 1); // (12 + 12)/23 capped
    assert.equal(bimodalScoreV5(frequencyCounts([5, 5, 5, 5, 5, 5, 5, 5, 5, 9, 0, 0], 0.05), 1, 11), 0); // 10 bars: 11 needed
    assert.equal(bimodalScoreV5(frequencyCounts([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9, 0], 0.05), 1, 11), 1); // 11 bars: (10 + 1)/10 capped
  });
});

describe('RITA v5 final score (getBeaconScore vectors) and severity', () => {
  it('weighted sums', () => {
    near(beaconScoreV5(0.8, 0.7, 0.6, 0.5, { tsWeight: 0.2, dsWeight: 0.2, durWeight: 0.3, histWeight: 0.3 }), 0.63);
    assert.equal(beaconScoreV5(1, 1, 1, 1), 1);
    assert.equal(beaconScoreV5(1, 1, 1, 1, { tsWeight: 0.1, dsWeight: 0.2, durWeight: 0.3, histWeight: 0.4 }), 1);
    assert.equal(beaconScoreV5(0.1, 0.2, 0.3, 0.4), 0.25);
    near(beaconScoreV5(0.1, 0.2, 0.3, 0.4, { tsWeight: 0.1, dsWeight: 0.2, durWeight: 0.3, histWeight: 0.4 }), 0.3);
    near(beaconScoreV5(0.111, 0.222, 0.333, 0.444, { tsWeight: 0.173, dsWeight: 0.325, durWeight: 0.299, histWeight: 0.203 }), 0.281);
    near(beaconScoreV5(0.1001, 0.1002, 0.1003, 0.1004, { tsWeight: 0.249, dsWeight: 0.251, durWeight: 0.25, histWeight: 0.25 }), 0.10025);
    assert.equal(beaconScoreV5(0.25, 1, 1, 1, { tsWeight: 1, dsWeight: 0, durWeight: 0, histWeight: 0 }), 0.25);
  });
  it('invalid scores and weights are errors', () => {
    assert.throws(() => beaconScoreV5(-0.1, 0.5, 0.5, 0.5), RangeError);
    assert.throws(() => beaconScoreV5(1.1, 0.5, 0.5, 0.5), RangeError);
    assert.throws(() => beaconScoreV5(0.5, 0.5, 0.5, 0.5, { tsWeight: -0.1, dsWeight: 0.25, durWeight: 0.25, histWeight: 0.25 }), RangeError);
    assert.throws(() => beaconScoreV5(0.5, 0.5, 0.5, 0.5, { tsWeight: 1.1, dsWeight: 0.25, durWeight: 0.25, histWeight: 0.25 }), RangeError);
    assert.throws(() => beaconScoreV5(0.5, 0.5, 0.5, 0.5, { tsWeight: 0.3, dsWeight: 0.3, durWeight: 0.3, histWeight: 0.3 }), RangeError);
    assert.throws(() => beaconScoreV5(0.5, 0.5, 0.5, 0.5, { tsWeight: 0.3, dsWeight: 0.3, durWeight: 0.2, histWeight: 0.1 }), RangeError);
    assert.throws(() => beaconScoreV5(0.5, 0.5, 0.5, 0.5, { tsWeight: 0.3, dsWeight: 0.3, durWeight: 0.3, histWeight: 0.2 }), RangeError);
  });
  it('severity bands on 100·score: <50 none, 50–70 low 0.2→0.4, 70–90 medium 0.4→0.6, ≥90 high 0.6→0.8', () => {
    assert.deepEqual(severityOf(0.499), { severity: 'none', threat: 0 });
    assert.deepEqual(severityOf(0.5), { severity: 'low', threat: 0.2 });
    near(severityOf(0.6).threat, 0.3, 1e-9);
    assert.equal(severityOf(0.7).severity, 'medium');
    near(severityOf(0.7).threat, 0.4, 1e-9);
    assert.equal(severityOf(0.9).severity, 'high');
    near(severityOf(0.95).threat, 0.7, 1e-9);
    near(severityOf(1).threat, 0.8, 1e-9);
  });
});
