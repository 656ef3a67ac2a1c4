/**
 * The fast scoring path (score-ip.ts `scoreIpPairs` over sorted lists and scratch buffers,
 * score.ts `scoreSortedV5` / `scoreSortedLegacy`, the sorted-input statistics) against the
 * scoring before it (test/unit/beacon-ref/: a frozen copy that sorts fresh copies per function and
 * scores pair by pair with `scorePairV5` / `scorePairLegacy`): every row number, chart value and
 * error message equal (Object.is: NaN and −0 included), and every public scoring function equal
 * (results and thrown errors), on fast-check inputs with duplicates, odd values and parameters
 * that throw, and on the real Zeek day and JSON logs (shared/data/zeek).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import * as cur from '../../src/core/analyze/beacons/score';
import * as curStats from '../../src/core/analyze/beacons/stats';
import * as curIp from '../../src/core/analyze/beacons/score-ip';
import * as ref from './beacon-ref/score';
import * as refStats from './beacon-ref/stats';
import * as refIp from './beacon-ref/score-ip';
import { discoverInputs, readZeekFile, sniffInput } from '../../src/core/parse/zeek';

type Rows = curIp.IpScoreRows;
type Params = curIp.IpScoreParams;

const T0 = 1713484800; // 2024-04-19T00:00:00Z
const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');

/** Asserts that two row sets are equal number for number (Object.is) and in their error messages. */
function assertSameRows(a: Rows, b: Rows): void {
  for (const k of ['kind', 'num', 'varOff', 'lens', 'vars'] as const) {
    const x = a[k];
    const y = b[k];
    assert.equal(x.length, y.length, `${k}.length`);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) assert.fail(`${k}[${i}]: ${x[i]} (fast) vs ${y[i]} (reference)`);
  }
  assert.deepEqual(a.errors, b.errors);
}

/** Scores `job` with both implementations (the reference on its own copy: neither may see the other's effects). */
function assertSameScoring(job: curIp.IpScoreJob): Rows {
  const copy = { ...job, start: job.start.slice(), ts: job.ts.slice(), orig: job.orig.slice(), resp: job.resp.slice(), lastGroup: job.lastGroup.slice() };
  const fast = curIp.scoreIpPairs(job);
  assertSameRows(fast, refIp.scoreIpPairs(copy));
  return fast;
}

/** Result or thrown error (name and message) of `f`. */
function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Asserts that `f(current module)` and `f(reference module)` have the same outcome (deepStrictEqual: SameValue for numbers). */
function assertSameOutcome<M>(label: string, c: M, r: M, f: (m: M) => unknown): void {
  assert.deepStrictEqual(outcome(() => f(c)), outcome(() => f(r)), label);
}

// ------------------------------------------------------------------------------------ generators

const oddBytes = fc.constantFrom(0, -0, 1, 65535, 65536, 1e15, 0.5, 2.75, -3, NaN, Infinity);
const arbBytes = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2000 }) }, { weight: 1, arbitrary: oddBytes });

/** A pair's records: timestamps on a grid of `step` seconds (many duplicates) plus sub-second ms, a few odd values. */
const arbPair = fc.record({
  step: fc.constantFrom(1, 7, 60, 300, 3600, 5000),
  recs: fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.tuple(fc.integer({ min: -30, max: 60 }), fc.integer({ min: 0, max: 999 }), arbBytes), { maxLength: 12 }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.integer({ min: -300, max: 400 }), fc.integer({ min: 0, max: 999 }), arbBytes), { maxLength: 200 }) },
  ),
  odd: fc.array(fc.tuple(fc.constantFrom(NaN, Infinity, -Infinity, -1, -999, 0, -0), arbBytes), { maxLength: 2 }),
  resp: fc.integer({ min: 0, max: 1e6 }),
  group: fc.nat(),
});

const weight = fc.constantFrom(0.25, 0.25, 0.25, 0, 0.5, 1, 0.1, 0.3, -0.25);
const arbScoring = fc.oneof(
  { weight: 3, arbitrary: fc.constant(cur.DEFAULT_SCORING) },
  fc.record({
    tsWeight: weight,
    dsWeight: weight,
    durWeight: weight,
    histWeight: weight,
    durationMinHoursSeen: fc.integer({ min: 0, max: 24 }),
    durationConsistencyIdealHoursSeen: fc.integer({ min: 0, max: 24 }),
    histogramModeSensitivity: fc.constantFrom(0.05, 0, 1e-9, 0.33, 1, 2, -0.05, NaN, Infinity),
    histogramBimodalOutlierRemoval: fc.integer({ min: 0, max: 3 }),
    histogramBimodalMinHoursSeen: fc.integer({ min: 0, max: 24 }),
  }),
);

/** A job of 0–20 pairs with its decision parameters (windows near 0 or near T0, some empty). */
const arbJob = fc
  .record({
    base: fc.constantFrom(T0, T0, 0),
    pairs: fc.array(arbPair, { maxLength: 20 }),
    groups: fc.array(fc.tuple(fc.integer({ min: -3 * 86400, max: 3600 }), fc.integer({ min: -3600, max: 3 * 86400 })), { minLength: 1, maxLength: 4 }),
    legacy: fc.boolean(),
    hourlyImport: fc.boolean(),
    strobe: fc.integer({ min: 3, max: 250 }),
    // settings are numbers: fractional thresholds too (23.5 lists a pair of 24 records)
    legacyThr: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }) }, { weight: 1, arbitrary: fc.constantFrom(0.5, 3.5, 4.25, 22.9, 23.5) }),
    uniqueThr: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(0.5, 3.5, 4.5, 5.01) }),
    minScore: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    scoring: arbScoring,
  })
  .map((g) => {
    const step = (p: { step: number }) => p.step;
    const ts: number[] = [];
    const orig: number[] = [];
    const start = [0];
    for (const p of g.pairs) {
      for (const [k, ms, b] of p.recs) {
        ts.push((g.base + k * step(p)) * 1000 + ms);
        orig.push(b);
      }
      for (const [t, b] of p.odd) {
        ts.push(Number.isFinite(t) ? g.base * 1000 + t : t);
        orig.push(b);
      }
      start.push(ts.length);
    }
    const groupMin = g.groups.map(([a]) => g.base + a);
    const groupMax = g.groups.map(([a, span]) => g.base + a + span);
    const last = g.groups.length - 1;
    const params: Params = {
      legacy: g.legacy,
      hourlyImport: g.hourlyImport,
      charts: true,
      groupMin,
      groupMax,
      finalWin: curIp.windowOf(groupMin[last], groupMax[last]),
      legacyWin: curIp.windowOf(Math.min(...groupMin), Math.max(...groupMax)),
      strobeConnectionLimit: g.strobe,
      legacyConnectionThreshold: g.legacyThr,
      uniqueConnectionThreshold: g.uniqueThr,
      minScore: g.minScore,
      scoring: g.scoring,
    };
    const job: curIp.IpScoreJob = {
      start: Int32Array.from(start),
      ts: Float64Array.from(ts),
      orig: Float64Array.from(orig),
      resp: Float64Array.from(g.pairs, (p) => p.resp),
      lastGroup: Int32Array.from(g.pairs, (p) => p.group % g.groups.length),
      params,
    };
    return job;
  });

/** A list of seconds with duplicates and odd values, and bytes of the same or another length. */
const arbList = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.integer({ min: 0, max: 40 }).map((k) => T0 + 300 * k), { maxLength: 60 }) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: T0, max: T0 + 86400 }), { maxLength: 300 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(-0, 0.5, -0.5, NaN, Infinity, -Infinity)), { maxLength: 20 }) },
);

// ------------------------------------------------------------------------------------ tests

describe('fast beacon scoring = the reference scoring', () => {
  it('scoreIpPairs rows (v5 and legacy, hourly and final windows, strobes, thresholds, score errors) on generated jobs', () => {
    const seen = new Set<number>();
    fc.assert(
      fc.property(arbJob, (job) => {
        const rows = assertSameScoring(job);
        for (const k of rows.kind) seen.add(k);
      }),
      { seed: 4242, numRuns: 600 },
    );
    // the generator reaches every outcome of a pair (else this test would prove less than it says)
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5]);
  });

  it('scoreIpPairs keeps the chart lists of pairs listed under a fractional connection threshold (legacy 23.5: 24 records)', () => {
    // chartBound assumed a listed pair has more than threshold + 1 records: with 23.5 the charts of a
    // 24-record pair were written past the end of the rows' number list (lost, read back as undefined)
    for (const legacy of [true, false]) {
      const ts: number[] = [];
      const orig: number[] = [];
      for (let i = 0; i < 24; i++) {
        ts.push((T0 + 600 * i) * 1000);
        orig.push(100 + (i % 3));
      }
      const params: Params = {
        legacy,
        hourlyImport: false,
        charts: true,
        groupMin: [T0],
        groupMax: [T0 + 600 * 23],
        finalWin: curIp.windowOf(T0, T0 + 600 * 23),
        legacyWin: curIp.windowOf(T0, T0 + 600 * 23),
        strobeConnectionLimit: 86400,
        legacyConnectionThreshold: 23.5,
        uniqueConnectionThreshold: 23.5,
        minScore: 0,
        scoring: cur.DEFAULT_SCORING,
      };
      const job: curIp.IpScoreJob = { start: Int32Array.from([0, 24]), ts: Float64Array.from(ts), orig: Float64Array.from(orig), resp: Float64Array.from([5]), lastGroup: Int32Array.from([0]), params };
      const rows = assertSameScoring(job);
      assert.equal(rows.kind[0], curIp.PairKind.Listed);
      assert.deepEqual([...rows.lens], [1, 3, 24]);
      assert.equal(rows.vars.length, 1 + 1 + 3 + 3 + 24);
    }
  });

  it('public scoring functions: same results and errors on generated lists', () => {
    fc.assert(
      fc.property(
        arbList,
        fc.array(arbBytes, { maxLength: 300 }),
        fc.tuple(fc.integer({ min: -86400, max: 86400 }), fc.integer({ min: -100, max: 2 * 86400 })),
        arbScoring,
        fc.integer({ min: 0, max: 30 }),
        (ts, bytesAll, [a, span], p, bins) => {
          const bytes = bytesAll.length > ts.length + 2 ? bytesAll.slice(0, ts.length) : bytesAll;
          const lo = T0 + a;
          const hi = lo + span;
          const sorted = Float64Array.from(ts).sort();
          assertSameOutcome('scorePairV5', cur, ref, (m) => m.scorePairV5(ts, bytes, lo, hi, p));
          assertSameOutcome('scorePairLegacy', cur, ref, (m) => m.scorePairLegacy(ts, bytes, lo, hi, p));
          assertSameOutcome('timestampScoreV5', cur, ref, (m) => m.timestampScoreV5(ts));
          assertSameOutcome('dataSizeScoreV5', cur, ref, (m) => m.dataSizeScoreV5(bytes));
          assertSameOutcome('histogramScoreV5', cur, ref, (m) => m.histogramScoreV5(lo, hi, ts, p, bins));
          assertSameOutcome('histogramLegacy', cur, ref, (m) => m.histogramLegacy(lo, hi, ts, bins || 1));
          const edges = outcome(() => ref.histogramEdgesV5(lo, hi, bins || 1)) as { ok?: number[] };
          if (edges.ok) assertSameOutcome('histogramV5', cur, ref, (m) => m.histogramV5(edges.ok!, ts));
          const hist = ts.slice(0, bins).map((t) => (Number.isFinite(t) ? Math.abs(t) % 13 : 0));
          assertSameOutcome('frequencyCounts', cur, ref, (m) => m.frequencyCounts(hist, p.histogramModeSensitivity));
          const fcr = outcome(() => ref.frequencyCounts(hist, p.histogramModeSensitivity)) as { ok?: ref.FrequencyCounts };
          if (fcr.ok) assertSameOutcome('bimodalScoreV5', cur, ref, (m) => m.bimodalScoreV5(fcr.ok!, p.histogramBimodalOutlierRemoval, p.histogramBimodalMinHoursSeen));
          assertSameOutcome('medianAbsoluteDeviation', curStats, refStats, (m) => m.medianAbsoluteDeviation(ts));
          assertSameOutcome('madScoreV5', curStats, refStats, (m) => m.madScoreV5(bytes, 1));
          assertSameOutcome('statisticalScoreV5', curStats, refStats, (m) => m.statisticalScoreV5(sorted, 0));
          assertSameOutcome('legacyMadm', curStats, refStats, (m) => m.legacyMadm(sorted));
          assertSameOutcome('distinctCountsSorted', curStats, refStats, (m) => m.distinctCountsSorted(sorted));
          assertSameOutcome('countDistinct', curIp.countDistinct, refIp.countDistinct, (f) => f(Float64Array.from(ts)));
        },
      ),
      { seed: 99, numRuns: 1500 },
    );
  });

  it('scoreIpPairs rows on the real Zeek day and JSON logs (v5 hourly and final window, legacy, min score)', async () => {
    const disc = await discoverInputs([ZEEK]);
    const byPair = new Map<string, { ts: number[]; orig: number[]; resp: number; group: number }>();
    const groups: { min: number; max: number }[] = [];
    for (const file of disc.files) {
      const info = await sniffInput(file);
      if (info.logPath !== 'conn') continue;
      const g = groups.length;
      let min = Infinity;
      let max = -Infinity;
      await readZeekFile(info, {
        conn: (r) => {
          const key = `${r.src}\u0000${r.dst}`;
          let p = byPair.get(key);
          if (!p) byPair.set(key, (p = { ts: [], orig: [], resp: 0, group: g }));
          p.ts.push(r.tsMs);
          p.orig.push(r.origBytes);
          p.resp += r.respBytes;
          p.group = g;
          min = Math.min(min, r.ts);
          max = Math.max(max, r.ts);
        },
      });
      groups.push({ min: Math.min(min, groups.at(-1)?.min ?? Infinity), max: Math.max(max, groups.at(-1)?.max ?? -Infinity) });
    }
    const pairs = [...byPair.values()];
    assert.ok(groups.length >= 25 && pairs.length > 300, `${groups.length} conn files, ${pairs.length} pairs`);
    const start = [0];
    for (const p of pairs) start.push(start[start.length - 1] + p.ts.length);
    const final = groups[groups.length - 1];
    const win = curIp.windowOf(final.min, final.max);
    const listed: number[] = [];
    for (const [legacy, hourlyImport, minScore] of [
      [false, true, 0],
      [false, false, 0],
      [true, false, 0],
      [false, true, 0.5],
    ] as const) {
      const rows = assertSameScoring({
        start: Int32Array.from(start),
        ts: Float64Array.from(pairs.flatMap((p) => p.ts)),
        orig: Float64Array.from(pairs.flatMap((p) => p.orig)),
        resp: Float64Array.from(pairs, (p) => p.resp),
        lastGroup: Int32Array.from(pairs, (p) => p.group),
        params: {
          legacy,
          hourlyImport,
          charts: true,
          groupMin: groups.map((g) => g.min),
          groupMax: groups.map((g) => g.max),
          finalWin: win,
          legacyWin: win,
          strobeConnectionLimit: 86400,
          legacyConnectionThreshold: 23,
          uniqueConnectionThreshold: 4,
          minScore,
          scoring: cur.DEFAULT_SCORING,
        },
      });
      listed.push(rows.kind.filter((k) => k === curIp.PairKind.Listed).length);
    }
    // enough scored pairs for the comparison to mean something
    assert.ok(listed.every((n) => n >= 10), `listed pairs per variant: ${listed}`);
  });
});
