/**
 * Beacon chart lists packed into typed arrays for the worker → host hop (src/core/analyze/beacons/chart-pack.ts,
 * src/shared/result-packing.ts, postResult in src/worker/job-handler.ts, unpacking as src/extension/jobs.ts does:
 * the host keeps them packed and rebuilds one pair's lists for its detail pane).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import type { BeaconPair } from '../../src/core/analyze/beacons/analyze';
import { keepPairChartsPacked, packPairCharts, pairCharts, unpackPairCharts } from '../../src/core/analyze/beacons/chart-pack';
import { beaconPairDetail } from '../../src/core/analyze/beacons/dashboard';
import { RESULT_PACKERS } from '../../src/shared/result-packing';
import { postResult, RESULT_PART_ITEMS } from '../../src/worker/job-handler';
import type { FromWorker } from '../../src/shared/worker-protocol';

const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');

/** What the host gets: each message structured-cloned (as postMessage does), slices unpacked and put together. */
async function transfer(result: object): Promise<{ head: Record<string, unknown>; parts: FromWorker[]; chartsAsObjects: number }> {
  const posted: FromWorker[] = [];
  await postResult((m) => posted.push(structuredClone(m)), result, async () => {}, RESULT_PACKERS.beacons);
  const parts = posted.filter((m) => m.type === 'resultPart');
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'result');
  const head = last.result as Record<string, unknown>;
  const got = new Map<string, unknown[]>();
  let chartsAsObjects = 0;
  for (const m of parts) {
    if (m.type !== 'resultPart') continue;
    for (const p of m.items as BeaconPair[]) if (p.intervals !== null) chartsAsObjects++;
    if (m.packed !== undefined) RESULT_PACKERS.beacons?.[m.key]?.unpack(m.items, m.packed);
    got.set(m.key, [...(got.get(m.key) ?? []), ...m.items]);
  }
  for (const key of last.parts ?? []) head[key] = got.get(key) ?? [];
  return { head, parts, chartsAsObjects };
}

describe('beacon chart lists packed for the worker → host transfer', () => {
  for (const options of [{ internalSubnets: [] }, { internalSubnets: [], algorithm: 'rita-legacy' as const }, { internalSubnets: [], hourlyImport: false }]) {
    it(`a real analysis (${JSON.stringify(options)}), repeated past one slice, arrives equal, charts as typed arrays`, async () => {
      const a = await runBeaconAnalysis([ZEEK], { ...options, parseWorkers: 0 });
      assert.ok(a.pairs.length >= 250);
      // more than two slices: copies of the real pairs (each copy shares its window's edges, as a real result does)
      const pairs: BeaconPair[] = [];
      while (pairs.length <= 2 * RESULT_PART_ITEMS) for (const p of structuredClone(a.pairs)) pairs.push(p);
      const result = { ...a, pairs };
      const expected = structuredClone(result);
      const { head, parts, chartsAsObjects } = await transfer(result);
      // on the host every pair's lists stay packed: empty fields, a packed slice to rebuild them from
      const hostPairs = head.pairs as BeaconPair[];
      assert.equal(hostPairs.length, pairs.length);
      for (const p of hostPairs) {
        // the real lists are whole seconds, bytes and counts: 32-bit integers
        assert.ok(p.packedCharts && p.packedCharts.values instanceof Int32Array && p.packedIndex !== undefined);
        assert.equal(p.hist.length + p.intervals.values.length + p.sizes.counts.length, 0);
      }
      // rebuilt, each pair equals the worker's pair
      head.pairs = hostPairs.map((p) => {
        const { packedCharts: _c, packedIndex: _i, ...rest } = p;
        return { ...rest, ...pairCharts(p) };
      });
      assert.deepStrictEqual(head, expected);
      // and the detail pane shows the same charts as for the worker's pair
      for (const i of [0, RESULT_PART_ITEMS - 1, RESULT_PART_ITEMS, hostPairs.length - 1]) {
        assert.deepStrictEqual(beaconPairDetail(hostPairs[i], i, 'UTC').charts, beaconPairDetail(expected.pairs[i], i, 'UTC').charts);
      }
      const real = beaconPairDetail(hostPairs[0], 0, 'UTC').charts!;
      assert.ok(real.every((c) => c.values.length > 0), 'the real pair has chart values');
      // the chart lists did not travel as objects
      assert.ok(parts.length >= 3);
      for (const m of parts) assert.ok(m.type === 'resultPart' && m.packed !== undefined);
      assert.equal(chartsAsObjects, 0);
      // within a slice, pairs of one window share one edges array (as a structured clone of the objects did)
      const got = head.pairs as BeaconPair[];
      const w = got.findIndex((p, i) => i > 0 && p.windowStartMs === got[0].windowStartMs && p.windowEndMs === got[0].windowEndMs);
      if (w > 0 && w < RESULT_PART_ITEMS) assert.equal(got[w].histEdgesMs, got[0].histEdgesMs);
    });
  }

  it('any numbers round-trip exactly; pairs with lists that are not number arrays are left as they are', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 2 ** 53 + 2), fc.integer());
    const list = fc.array(num, { maxLength: 45 });
    const odd = fc.constantFrom<unknown>(undefined, null, 'x', [1, '2'], [1, undefined], { values: [1], counts: [] }, { values: [1] });
    const pair = fc.record({
      n: fc.integer({ min: 0, max: 41 }),
      m: fc.integer({ min: 0, max: 41 }),
      a: list,
      hist: list,
      edges: fc.constantFrom(0, 1, 2),
      bad: fc.option(fc.tuple(fc.constantFrom('intervals', 'sizes', 'hist', 'histEdgesMs'), odd), { freq: 4 }),
    });
    const sharedEdges = [[0, 1], [2, 3, 4], []];
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 30 }), (specs) => {
        const pairs = specs.map((s) => {
          const take = (k: number) => Array.from({ length: k }, (_, i) => s.a[i % Math.max(1, s.a.length)] ?? i);
          const p = { src: 's', score: 0.5, intervals: { values: take(s.n), counts: take(s.n) }, sizes: { values: take(s.m), counts: take(s.m) }, hist: s.hist, histEdgesMs: sharedEdges[s.edges], windowEndMs: 1 } as unknown as Record<string, unknown>;
          if (s.bad) p[s.bad[0]] = s.bad[1];
          return p as unknown as BeaconPair;
        });
        const expected = structuredClone(pairs);
        const packed = packPairCharts(pairs);
        const exact = (x: number) => (x | 0) === x && !Object.is(x, -0);
        assert.equal(packed.values instanceof Int32Array, [...packed.values].every(exact), 'Int32Array exactly when every value is a 32-bit integer');
        const [items, back] = structuredClone([pairs, packed]);
        const [kept, keptBack] = structuredClone([pairs, packed]);
        unpackPairCharts(items, back);
        assert.deepStrictEqual(items, expected);
        // kept packed, each pair's lists rebuilt one at a time equal the unpacked ones
        keepPairChartsPacked(kept, keptBack);
        kept.forEach((p, j) => assert.deepStrictEqual(pairCharts(p), pairCharts(expected[j])));
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('unpacking with the wrong number of pairs throws', () => {
    const packed = packPairCharts([]);
    assert.throws(() => unpackPairCharts([{} as BeaconPair], packed), RangeError);
    assert.throws(() => keepPairChartsPacked([{} as BeaconPair], packed), RangeError);
  });
});
