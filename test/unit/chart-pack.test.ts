/**
 * Beacon pair details (chart lists, detail-pane numbers) packed into typed arrays for the worker → host hop
 * (src/core/analyze/beacons/chart-pack.ts, src/shared/result-packing.ts, postResult in src/worker/job-handler.ts,
 * received as src/extension/jobs.ts does): the host keeps them packed and rebuilds one pair for its detail pane.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { runBeaconAnalysis, runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import { BEACON_DETAIL_FIELDS, type BeaconPair, type BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { fullPair, keepPairDetailsPacked, packPairDetails, PairDetailStore } from '../../src/core/analyze/beacons/chart-pack';
import { beaconPairDetail } from '../../src/core/analyze/beacons/dashboard';
import { RESULT_PACKERS } from '../../src/shared/result-packing';
import { postResult, RESULT_PART_ITEMS } from '../../src/worker/job-handler';
import type { FromWorker } from '../../src/shared/worker-protocol';

const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');

/** What the host gets: each message structured-cloned (as postMessage does), slices unpacked and put together. */
async function transfer(result: object): Promise<{ head: Record<string, unknown>; parts: FromWorker[]; chartsAsObjects: number; state: Record<string, unknown> }> {
  const posted: FromWorker[] = [];
  await postResult((m) => posted.push(structuredClone(m)), result, async () => {}, RESULT_PACKERS.beacons);
  const parts = posted.filter((m) => m.type === 'resultPart');
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'result');
  const head = last.result as Record<string, unknown>;
  const got = new Map<string, unknown[]>();
  let chartsAsObjects = 0;
  const state: Record<string, unknown> = {}; // one per job, as in jobs.ts
  for (const m of parts) {
    if (m.type !== 'resultPart') continue;
    for (const p of m.items as Partial<BeaconPair>[]) if (p.intervals !== undefined || p.tsSkew !== undefined) chartsAsObjects++;
    if (m.packed !== undefined) RESULT_PACKERS.beacons?.[m.key]?.unpack(m.items, m.packed, state);
    got.set(m.key, [...(got.get(m.key) ?? []), ...m.items]);
  }
  for (const key of last.parts ?? []) head[key] = got.get(key) ?? [];
  return { head, parts, chartsAsObjects, state };
}

describe('beacon pair details packed for the worker → host transfer', () => {
  for (const options of [{ internalSubnets: [] }, { internalSubnets: [], algorithm: 'rita-legacy' as const }, { internalSubnets: [], hourlyImport: false }]) {
    it(`a real analysis (${JSON.stringify(options)}), repeated past one slice, arrives as rows whose details rebuild the same pairs`, async () => {
      const a = await runBeaconAnalysis([ZEEK], { ...options, parseWorkers: 0 });
      assert.ok(a.pairs.length >= 250);
      // more than two slices: copies of the real pairs (each copy shares its window's edges, as a real result does)
      const pairs: BeaconPair[] = [];
      while (pairs.length <= 2 * RESULT_PART_ITEMS) for (const p of structuredClone(a.pairs)) pairs.push(p);
      const result = { ...a, pairs };
      const expected = structuredClone(result);
      const { head, parts, chartsAsObjects, state } = await transfer(result);
      // on the host every pair is a row: no detail fields, no chart lists, a packed slice to rebuild them from
      const hostPairs = head.pairs as BeaconRow[];
      assert.equal(hostPairs.length, pairs.length);
      for (const p of hostPairs) {
        // the real lists are whole seconds, bytes and counts: 32-bit integers
        assert.ok(p.packed && p.packed.values instanceof Int32Array && p.packedIndex !== undefined);
        for (const k of [...BEACON_DETAIL_FIELDS, 'intervals', 'sizes', 'hist', 'histEdgesMs']) assert.ok(!(k in p), `${k} travelled in the row`);
      }
      // the rows' repeated texts went through the transfer's one table
      const pool = state.beaconTexts as Map<string, string> | undefined;
      assert.ok(pool, 'the table lives in the transfer state');
      assert.deepEqual(new Set(pool.keys()), new Set(hostPairs.flatMap((p) => [p.type, p.severity, p.src, p.dst, p.fqdn, p.ports])));
      // rebuilt, each pair equals the worker's pair
      head.pairs = hostPairs.map(fullPair);
      assert.deepStrictEqual(head, expected);
      // and the detail pane shows the same as for the worker's pair
      for (const i of [0, RESULT_PART_ITEMS - 1, RESULT_PART_ITEMS, hostPairs.length - 1]) {
        assert.deepStrictEqual(beaconPairDetail(hostPairs[i], i, 'UTC'), beaconPairDetail(expected.pairs[i], i, 'UTC'));
      }
      const real = beaconPairDetail(hostPairs[0], 0, 'UTC').charts!;
      assert.ok(real.every((c) => c.values.length > 0), 'the real pair has chart values');
      // the chart lists did not travel as objects
      assert.ok(parts.length >= 3);
      for (const m of parts) assert.ok(m.type === 'resultPart' && m.packed !== undefined);
      assert.equal(chartsAsObjects, 0);
      // within a slice, pairs of one window share one edges array (as a structured clone of the objects did)
      const got = head.pairs as BeaconPair[]; // rebuilt above
      const w = got.findIndex((p, i) => i > 0 && p.windowStartMs === got[0].windowStartMs && p.windowEndMs === got[0].windowEndMs);
      if (w > 0 && w < RESULT_PART_ITEMS) assert.equal(got[w].histEdgesMs, got[0].histEdgesMs);
    });
  }

  const INJECTION = path.resolve(__dirname, '../../../test/fixtures/injection/zeek'); // conn + ssl + http: SNI pairs
  const runs: [string, Record<string, unknown>, number][] = [
    [ZEEK, { internalSubnets: [] }, 250],
    [ZEEK, { internalSubnets: [], algorithm: 'rita-legacy' }, 250],
    [ZEEK, { internalSubnets: [], hourlyImport: false }, 250],
    [INJECTION, { internalSubnets: [] }, 1],
  ];
  for (const [input, options, least] of runs) {
    it(`the worker's rows (${path.basename(input)}, ${JSON.stringify(options)}): details never built as objects, the same pairs in the worker and on the host`, async () => {
      const full = await runBeaconAnalysis([input], { ...options, parseWorkers: 0 });
      const rows = await runBeaconAnalysisRows([input], { ...options, parseWorkers: 0 });
      assert.ok(full.pairs.length >= least && rows.pairs.length === full.pairs.length, `${full.pairs.length} pairs`);
      if (input === INJECTION) assert.ok(full.pairs.some((p) => p.type === 'sni'), 'SNI pairs listed');
      for (const r of rows.pairs) {
        assert.ok(r.packed !== undefined, 'every listed pair is a row with its details in the store');
        for (const k of [...BEACON_DETAIL_FIELDS, 'intervals', 'sizes', 'hist', 'histEdgesMs']) assert.ok(!(k in r), `${k} built in the worker's row`);
      }
      // the finished store holds its pairs exactly: no room to grow left in its arrays (they doubled while filling)
      const st = rows.pairs[0]?.packed as PairDetailStore | undefined;
      if (st !== undefined) {
        let used = 0;
        for (let i = 0; i < st.n; i++) used += 2 * st.lens[4 * i] + 2 * st.lens[4 * i + 1] + st.lens[4 * i + 2];
        assert.deepEqual([st.offsets.length, st.lens.length, st.scalars.length, st.missing.length, st.values.length], [st.n, 4 * st.n, BEACON_DETAIL_FIELDS.length * st.n, BEACON_DETAIL_FIELDS.length * st.n, used]);
      }
      // rebuilt in the worker: the same result as the full pairs
      assert.deepStrictEqual({ ...rows, pairs: rows.pairs.map(fullPair) }, full);
      // posted in slices (past one slice) and rebuilt on the host: the same again
      const { head } = await transfer(rows);
      const hostRows = head.pairs as BeaconRow[];
      for (const r of hostRows) assert.ok(r.packed && !(r.packed as object).constructor.name.includes('Store'), 'the host gets per-slice packed details, not the store');
      head.pairs = hostRows.map(fullPair);
      assert.deepStrictEqual(head, structuredClone(full));
    });
  }

  it('any numbers round-trip exactly; pairs whose lists or detail fields are not numbers travel whole', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 2 ** 53 + 2), fc.integer());
    const list = fc.array(num, { maxLength: 45 });
    const odd = fc.constantFrom<unknown>(undefined, null, 'x', [1, '2'], [1, undefined], { values: [1], counts: [] }, { values: [1] });
    const pair = fc.record({
      n: fc.integer({ min: 0, max: 41 }),
      m: fc.integer({ min: 0, max: 41 }),
      a: list,
      hist: list,
      edges: fc.constantFrom(0, 1, 2),
      // detail fields: any subset, any numbers (absent ones stay absent)
      detail: fc.dictionary(fc.constantFrom(...BEACON_DETAIL_FIELDS), num),
      bad: fc.option(fc.tuple(fc.constantFrom('intervals', 'sizes', 'hist', 'histEdgesMs', 'tsSkew', 'windowEndMs'), odd), { freq: 4 }),
    });
    const sharedEdges = [[0, 1], [2, 3, 4], []];
    // every field of a row (what a real pair has besides its details)
    const ROW = { type: 'ip', src: 's', dst: 'd', fqdn: '', count: 3, uniqueTs: 3, bytes: 1.5, origBytes: 1, score: 0.5, tsScore: -0, dsScore: NaN, durScore: 1, histScore: 0, severity: 'low', threat: 0.2, firstSeenMs: 1e12, lastSeenMs: 1e12 + 0.5, ports: '443/tcp', tsMode: 60, dsMode: 500, exchange: 1 };
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 30 }), (specs) => {
        const pairs = specs.map((s) => {
          const take = (k: number) => Array.from({ length: k }, (_, i) => s.a[i % Math.max(1, s.a.length)] ?? i);
          const p = { ...ROW, ...s.detail, intervals: { values: take(s.n), counts: take(s.n) }, sizes: { values: take(s.m), counts: take(s.m) }, hist: s.hist, histEdgesMs: sharedEdges[s.edges] } as unknown as Record<string, unknown>;
          if (s.bad) p[s.bad[0]] = s.bad[1];
          return p as unknown as BeaconPair;
        });
        const expected = structuredClone(pairs);
        const items: unknown[] = [...pairs];
        const packed = packPairDetails(items);
        const exact = (x: number) => (x | 0) === x && !Object.is(x, -0);
        assert.equal(packed.values instanceof Int32Array, [...packed.values].every(exact), 'Int32Array exactly when every value is a 32-bit integer');
        // what the host gets: a structured clone of both, the rows kept packed
        const [rows, back] = structuredClone([items, packed]) as [BeaconRow[], typeof packed];
        keepPairDetailsPacked(rows, back);
        rows.forEach((r, j) => {
          assert.equal(r.packed !== undefined, packed.lens[4 * j] >= 0);
          assert.deepStrictEqual(fullPair(r), expected[j]);
        });
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('receiving with the wrong number of pairs throws; a row without a valid packed index is taken as a full pair', () => {
    const packed = packPairDetails([]);
    assert.throws(() => keepPairDetailsPacked([{} as BeaconRow], packed), RangeError);
    const row = { src: 's', packed, packedIndex: 3 } as unknown as BeaconRow;
    assert.equal(fullPair(row), row);
  });
});
