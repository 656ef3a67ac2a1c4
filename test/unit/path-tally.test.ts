import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PathTally } from '../../src/core/analyze/path-tally';
import { pathHash, pathHashBytes } from '../../src/core/parse/loki-store';
import { pathGroupKey } from '../../src/core/parse/path-case';

/** The figures of every file, counted the plain way (by pathGroupKey: a Windows path in any letter case is one file). */
function reference(rows: { path: string; host: number; score?: number }[]) {
  const m = new Map<string, { count: number; hosts: Set<number>; maxScore: number | null }>();
  for (const r of rows) {
    let e = m.get(pathGroupKey(r.path));
    if (!e) m.set(pathGroupKey(r.path), (e = { count: 0, hosts: new Set(), maxScore: null }));
    e.count++;
    e.hosts.add(r.host);
    if (typeof r.score === 'number' && (e.maxScore === null || r.score > e.maxScore)) e.maxScore = r.score;
  }
  return m;
}

function tally(rows: { path: string; host: number; score?: number }[], hash: (s: string) => number, touch = false) {
  const t = new PathTally(rows.length, (row) => rows[row].path);
  rows.forEach((r, i) => {
    // read-ahead as analyzeLoki does it (the hashes of the next findings, and one never added): changes nothing
    if (touch) for (let j = i; j < Math.min(rows.length, i + 3); j++) t.touch(hash(rows[j].path)) + t.touch(i * 7919);
    t.add(i, r.path, hash(r.path), r.host, r.score);
  });
  const got = new Map<string, { count: number; hosts: Set<number> | number; maxScore: number | null }>();
  for (let id = 0; id < t.size; id++) {
    assert.ok(!got.has(pathGroupKey(t.path(id))), `${t.path(id)} has one id`);
    got.set(pathGroupKey(t.path(id)), { count: t.count(id), hosts: t.hosts(id), maxScore: t.maxScore(id) });
  }
  return { t, got };
}

describe('PathTally', () => {
  const row = fc.record({ path: fc.constantFrom('C:\\a.exe', 'C:\\b.exe', 'C:\\A.exe', 'c:\\a.exe', 'C:\\a.ex', '/tmp/a', '/tmp/A', 'ü', 'c:\\ü', 'C:\\Ü', 'C:\\\u212A', 'C:\\k', 'x'.repeat(40)), host: fc.integer({ min: 0, max: 4 }), score: fc.option(fc.integer({ min: -5, max: 300 }), { nil: undefined }) });

  test('counts findings, distinct hosts and the highest score per path, as a Map would (property; real and colliding hashes)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.boolean(), fc.boolean(), (rows, collide, touch) => {
        const { t, got } = tally(rows, collide ? () => 7 : pathHash, touch); // every hash equal: strings still tell paths apart
        const ref = reference(rows);
        assert.equal(t.size, ref.size);
        for (const [p, e] of ref) assert.deepEqual(got.get(p), { count: e.count, hosts: e.hosts.size, maxScore: e.maxScore }, p);
      }),
      { numRuns: 300 },
    );
  });

  test('grows past its first table (100,000 distinct paths, a few seen again on other hosts)', () => {
    const rows: { path: string; host: number; score?: number }[] = [];
    for (let i = 0; i < 100_000; i++) rows.push({ path: `C:\\Users\\u\\Temp\\${i.toString(16)}.tmp\\a.exe`, host: i % 3, score: i % 200 });
    for (let i = 0; i < 1000; i += 10) rows.push({ path: rows[i].path, host: (i % 3) + 1, score: 500 });
    const { t, got } = tally(rows, pathHash);
    assert.equal(t.size, 100_000);
    assert.deepEqual(got.get(pathGroupKey(rows[0].path)), { count: 2, hosts: 2, maxScore: 500 });
    assert.deepEqual(got.get(pathGroupKey(rows[1].path)), { count: 1, hosts: 1, maxScore: 1 });
    assert.deepEqual(got.get(pathGroupKey(rows[99_999].path)), { count: 1, hosts: 1, maxScore: 99_999 % 200 });
  });

  test('the table is sized for maxPaths at once: mostly distinct paths are placed once, not again at each doubling', () => {
    // 8x bench: 358,000 distinct paths in 597,205 findings grew the table 4,096 → 2^20 slots, placing every path again
    // at each of its eight doublings (bench/NOTES.md, "Loki, sixteenth round")
    const n = 100_000;
    const rows = Array.from({ length: n }, (_, i) => ({ path: `C:\\Users\\u\\Temp\\${i.toString(16)}.tmp\\a.exe`, host: i % 3, score: i % 200 }));
    const t = new PathTally(n, (row) => rows[row].path, 7);
    assert.equal(t.tableSlots, 131_072); // the power of two at or above maxPaths
    for (let i = 0; i < 60_000; i++) t.add(i, rows[i].path, pathHash(rows[i].path), rows[i].host, rows[i].score);
    assert.equal(t.tableSlots, 131_072); // at most half full: no doubling
    const placed = t.probes;
    for (let i = 60_000; i < 70_000; i++) t.add(i, rows[i].path, pathHash(rows[i].path), rows[i].host, rows[i].score);
    assert.equal(t.tableSlots, 262_144); // past half full, one doubling: counts stay exact
    assert.equal(t.size, 70_000);
    assert.ok(t.probes > placed);
    for (const i of [0, 59_999, 69_999]) assert.equal(t.count(i), 1);
    assert.equal(new PathTally(1, () => 'a').tableSlots, 4096); // the smallest table
    assert.equal(new PathTally(4097, () => 'a').tableSlots, 8192);
  });

  test('a path seen on host 1, 2, then 1 again has two hosts; more paths than announced is a RangeError', () => {
    const rows = [1, 2, 1].map((host) => ({ path: 'p', host }));
    assert.deepEqual(tally(rows, pathHash).got.get('p'), { count: 3, hosts: 2, maxScore: null }); // no finding has a score
    assert.deepEqual(tally([{ path: 'p', host: 1, score: -3 }], pathHash).got.get('p'), { count: 1, hosts: 1, maxScore: -3 });
    const t = new PathTally(1, () => 'a');
    t.add(0, 'a', pathHash('a'), 0, 1);
    assert.throws(() => t.add(1, 'b', pathHash('b'), 0, 1), RangeError);
  });

  test('a flood of paths with one hash stays linear: strings read a bounded number of times per path', () => {
    // FNV-1a collisions are easy to make and paths come from the scanned machines
    const n = 20_000;
    const rows = Array.from({ length: n }, (_, i) => ({ path: `C:\\evil\\${i}.exe`, host: i % 5, score: i % 100 }));
    rows.push(...rows.slice(0, 3000).map((r) => ({ ...r, host: 9, score: 999 }))); // seen again, on another host
    let reads = 0;
    const t = new PathTally(rows.length, (row) => {
      reads++;
      return rows[row].path;
    });
    rows.forEach((r, i) => t.add(i, r.path, 12345, r.host, r.score));
    assert.equal(t.size, n);
    assert.ok(reads < 40 * rows.length, `${reads} string reads for ${rows.length} findings`); // all in one chain: ~n²/2 = 2e8
    const ids = new Map<string, number>();
    for (let id = 0; id < t.size; id++) ids.set(t.path(id), id);
    const first = ids.get(rows[0].path)!;
    assert.deepEqual([t.count(first), t.hosts(first), t.maxScore(first)], [2, 2, 999]);
    const last = ids.get(rows[n - 1].path)!;
    assert.deepEqual([t.count(last), t.hosts(last), t.maxScore(last)], [1, 1, (n - 1) % 100]);
  });

  test('pathHash of a string and pathHashBytes of its latin1 bytes agree (FNV-1a test vectors)', () => {
    assert.equal(pathHash('') >>> 0, 0x811c9dc5);
    assert.equal(pathHash('a') >>> 0, 0xe40c292c);
    assert.equal(pathHash('foobar') >>> 0, 0xbf9cf968);
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), fc.nat(5), (s, pad) => {
        const b = Buffer.from('#'.repeat(pad) + s + '#', 'latin1');
        assert.equal(pathHashBytes(b, pad, pad + s.length), pathHash(s));
      }),
    );
  });
});
