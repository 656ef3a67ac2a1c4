/**
 * PathTally against crafted paths (hostile review): file paths come from the scanned machines, so an
 * attacker chooses them. Real colliding strings are made here (not just a fake hash), and the work
 * is counted (slots visited, strings read), never timed.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PathTally } from '../../src/core/analyze/path-tally';
import { pathHash } from '../../src/core/parse/loki-store';

const FNV_PRIME = 16777619;
/**
 * Characters of the crafted names: none changes under Windows case folding (the parser hashes a Windows path
 * over its folded letters, so an attacker aims at the hash of the upper-case text: lower-case letters would
 * only make spellings of one file).
 */
const CH = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&'()+,-.;=@[]^_`{}~";
const NCH = CH.length;
const fnvFrom = (h: number, s: string): number => {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
};

/**
 * `n` paths with distinct FNV-1a hashes whose top 13 bits of `hash * 0x9e3779b1` are equal: one
 * slot for any table of up to 8,192 slots when the slot is taken from the hash alone (Fibonacci
 * hashing), i.e. one probe cluster that every lookup walks.
 */
function sameSlotPaths(n: number): string[] {
  const prefix = 'C:\\USERS\\X\\'; // folded already (see CH)
  const out: string[] = [];
  const h0 = fnvFrom(0x811c9dc5 | 0, prefix);
  const seen = new Set<number>();
  for (let a = 0; out.length < n; a++) {
    let stem = '';
    for (let x = a, i = 0; i < 3; i++, x = Math.floor(x / NCH)) stem += CH[x % NCH];
    const hs = fnvFrom(h0, stem);
    for (let i = 0; i < NCH; i++) {
      const h1 = Math.imul(hs ^ CH.charCodeAt(i), FNV_PRIME);
      for (let j = 0; j < NCH; j++) {
        const h2 = Math.imul(h1 ^ CH.charCodeAt(j), FNV_PRIME);
        if (Math.imul(h2, 0x9e3779b1) >>> 19 === 0x0abc && !seen.has(h2)) {
          seen.add(h2);
          out.push(prefix + stem + CH[i] + CH[j]);
        }
      }
    }
  }
  return out.slice(0, n);
}

/** The unseeded djb2-style hash from the end that PathTally used as its second hash (mod 2^32). */
function polyBlock(s: string): number {
  const m = 0x01000193 + 0x6a;
  let h = 0;
  for (let i = s.length - 1; i >= 0; i--) h = (Math.imul(h, m) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * 2^k distinct equal-length paths that all have one FNV-1a hash AND one value of any polynomial
 * hash mod 2^32 with that multiplier (each stage: two blocks equal in both, found by a birthday
 * search among concatenations of block pairs that are equal in the polynomial hash; Joux's
 * multicollision then chains the stages).
 */
function doubleCollisions(k: number): string[] {
  let seed = 7;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  const block = (): string => {
    let s = '';
    for (let i = 0; i < 6; i++) s += CH[rnd() % NCH];
    return s;
  };
  const polyPairs: [string, string][] = [];
  const used = new Set<string>();
  while (polyPairs.length < 18) {
    const m = new Map<number, string>();
    for (;;) {
      const b = block();
      const o = m.get(polyBlock(b));
      if (o !== undefined && o !== b) {
        if (!used.has(o) && !used.has(b)) {
          polyPairs.push([o, b]);
          used.add(o).add(b);
        }
        break;
      }
      m.set(polyBlock(b), b);
    }
  }
  const prefix = 'C:\\TEMP\\'; // folded already (see CH)
  let st = fnvFrom(0x811c9dc5 | 0, prefix);
  const stages: [string, string][] = [];
  for (let j = 0; j < k; j++) {
    const m = new Map<number, string>();
    for (let x = 0; ; x++) {
      let s = '';
      for (let i = 0; i < 18; i++) s += polyPairs[i][(x >> i) & 1];
      const v = fnvFrom(st, s);
      const o = m.get(v);
      if (o !== undefined) {
        stages.push([o, s]);
        break;
      }
      m.set(v, s);
    }
    st = fnvFrom(st, stages[j][0]);
  }
  const out: string[] = [];
  for (let x = 0; x < 2 ** k; x++) {
    let s = prefix;
    for (let j = 0; j < k; j++) s += stages[j][(x >> (k - 1 - j)) & 1];
    out.push(s + '.exe');
  }
  return out;
}

describe('PathTally against crafted paths', () => {
  test('paths whose distinct FNV-1a hashes share one slot of an unseeded table do not make one probe cluster', () => {
    const paths = sameSlotPaths(2000);
    assert.equal(new Set(paths.map(pathHash)).size, 2000, 'distinct hashes (the equal-hash cap does not apply)');
    const rows = [...paths, ...paths.slice(0, 500)];
    const t = new PathTally(rows.length, (row) => rows[row]);
    rows.forEach((p, i) => t.add(i, p, pathHash(p), i < 2000 ? 0 : 1, i));
    assert.equal(t.size, 2000);
    // one cluster: ~n²/2 = 2,000,000 slots visited; a seeded slot spreads them (~1-2 per lookup)
    assert.ok(t.probes < 10 * rows.length, `${t.probes} slots visited for ${rows.length} findings`);
    assert.deepEqual([t.path(0), t.count(0), t.hosts(0), t.maxScore(0)], [paths[0], 2, 2, 2000]);
    assert.deepEqual([t.path(1999), t.count(1999), t.hosts(1999), t.maxScore(1999)], [paths[1999], 1, 1, 1999]);
  });

  test('paths colliding in FNV-1a and in a polynomial hash mod 2^32 are each read a bounded number of times', () => {
    const paths = doubleCollisions(9);
    assert.equal(paths.length, 512);
    assert.equal(new Set(paths).size, 512);
    assert.equal(new Set(paths.map(pathHash)).size, 1, 'one FNV-1a hash');
    assert.equal(new Set(paths.map(polyBlock)).size, 1, 'one polynomial hash');
    const rows = [...paths, ...paths];
    let reads = 0;
    const t = new PathTally(rows.length, (row) => {
      reads++;
      return rows[row];
    });
    rows.forEach((p, i) => t.add(i, p, pathHash(p), i & 1, i < 512 ? 1 : 2));
    assert.equal(t.size, 512);
    // all in one overflow bucket: ~n²/2 + n² = 390,000 string reads
    assert.ok(reads < 40 * rows.length, `${reads} string reads for ${rows.length} findings`);
    for (const id of [0, 8, 511]) assert.deepEqual([t.path(id), t.count(id), t.hosts(id), t.maxScore(id)], [paths[id], 2, 1, 2]);
  });

  test('crafted Windows paths of one hash past the table (overflow buckets): their spellings in lower case are still one file each', () => {
    const paths = doubleCollisions(5);
    assert.equal(new Set(paths.map(pathHash)).size, 1, 'one (folded) FNV-1a hash');
    const rows = [...paths, ...paths.map((p) => p.toLowerCase())];
    assert.equal(new Set(rows.map(pathHash)).size, 1);
    const t = new PathTally(rows.length, (row) => rows[row], 1);
    rows.forEach((p, i) => t.add(i, p, pathHash(p), i < 32 ? 0 : 1, i));
    assert.equal(t.size, 32);
    for (const id of [0, 8, 31]) assert.deepEqual([t.path(id), t.count(id), t.hosts(id), t.maxScore(id)], [paths[id], 2, 2, 32 + id]);
  });

  test('the same tally, whatever the seed: a fixed seed gives the same figures as a random one', () => {
    const rows = [...sameSlotPaths(300), ...doubleCollisions(5), 'C:\\a.exe', 'C:\\a.exe'];
    const figures = (t: PathTally) => Array.from({ length: t.size }, (_, id) => [t.path(id), t.count(id), t.hosts(id), t.maxScore(id)]);
    const a = new PathTally(rows.length, (row) => rows[row], 1);
    const b = new PathTally(rows.length, (row) => rows[row]);
    rows.forEach((p, i) => {
      a.add(i, p, pathHash(p), i % 3, i % 17);
      b.add(i, p, pathHash(p), i % 3, i % 17);
    });
    assert.equal(a.size, 300 + 32 + 1);
    assert.deepEqual(figures(a), figures(b));
  });
});
