import { randomInt } from 'node:crypto';
import { foldedUnit, isWindowsPath, samePath } from '../parse/path-case';

/**
 * Findings per distinct file path, for the Loki summary's top files (see ./loki-summary.ts).
 *
 * Most findings of a real fleet have a path of their own (hundreds of thousands of distinct paths),
 * so a path is found by the hash its finding carries (`pathHash` of ../parse/loki-store.ts, computed
 * by the parser while the line was at hand) in an open-addressing table of typed arrays: a path seen
 * for the first time costs no read of its string, and no object, Map entry or Set is made per path.
 * Strings are compared only when two hashes are equal (the same path, or a rare collision). A Windows
 * path in any letter case is one file (../parse/path-case.ts): the parser's hash folds its case, and
 * two spellings of one hash are compared under folding (`samePath`); the path is then the id's first
 * spelling, and {@link PathTally.spelt} says so. A `Map`
 * keyed by the strings hashed each of them again, far from the parse (8x benchmark: ~120 ms and
 * ~20 MB for 358,000 distinct paths). A path is kept as the row of its first finding.
 *
 * The per-path arrays are sized for `maxPaths` at once: a large typed array is mapped on demand, so
 * only the part in use takes memory, and nothing is copied to grow.
 *
 * Paths are attacker-controlled and FNV-1a collisions are easy to make: at most {@link SAME_HASH}
 * paths of one hash go into the table (a longer run of equal hashes would make every lookup walk it,
 * quadratic in the number of such paths); the others are kept per hash in buckets keyed by a second
 * hash of the string ({@link otherHash}), so a flood of one hash stays linear.
 *
 * Both are keyed by a secret seed (random per tally), or crafted paths defeat them:
 * - the slot: FNV-1a hashes are easy to aim (a 3-character suffix reaches any of 2^18 values), and
 *   distinct hashes that share the top bits of `hash × 2^32/φ` made one probe cluster that every
 *   lookup walked (40,000 such paths: 3 s in this table);
 * - the second hash: an unkeyed polynomial hash mod 2^32 (any multiplier) has collisions that do not
 *   depend on the text around them, so paths equal in FNV-1a and in it are easy to make too (Joux
 *   multicollisions: 2^k paths from k block pairs), and its buckets were walked string by string.
 * The figures never depend on the seed (ids are in first-seen order).
 */
export class PathTally {
  /**
   * Path id + 1 per slot (0: empty); its size is a power of two, at most half full. Sized at once for `maxPaths`
   * (the next power of two at or above it: a fleet's paths are mostly distinct, and growing from a small table placed
   * every path again at each doubling, a cache miss each); it doubles only past `maxPaths / 2` distinct paths.
   */
  private slots: Int32Array;
  private bits: number;
  private n = 0;
  /** Paths placed in the table (the others are in {@link overflow}). */
  private tabled = 0;
  /**
   * Per path id, one record of {@link REC} int32s: its hash, findings, last host and the row of its
   * first finding. A lookup reads a slot and then one record (the fields were five arrays: a path
   * seen again cost a cache miss in each of them; a fleet's paths are far larger than the caches).
   */
  private readonly recs: Int32Array;
  /** Per path id: its highest score (-Infinity while none of its findings has a score). */
  private readonly maxScores: Float64Array;
  /** Hosts of the paths seen on more than one host (most are seen on one). */
  private readonly hostSets = new Map<number, Set<number>>();
  private lastPath: string | undefined;
  private lastId = -1;
  private lastHash = 0;
  /** Equal hashes met by the last {@link find} that found nothing. */
  private sameSeen = 0;
  /** Hashes with more than {@link SAME_HASH} paths: their further paths, by {@link otherHash}. */
  private readonly overflow = new Map<number, Map<number, number[]>>();
  /** The ids in {@link overflow}. */
  private readonly outOfTable = new Set<number>();
  /** The slot seed and the two bases of {@link otherHash} (see the class comment). */
  private readonly slotSeed: number;
  private readonly bases: readonly [number, number];
  /** {@link otherHash} of the path of the last {@link find} that went to {@link overflow}. */
  private other = 0;
  /** Per path id: 1 when its findings have more than one spelling (a Windows path in another letter case). */
  private readonly spellings: Uint8Array;
  /** Slots visited by lookups and inserts so far (a measure of the work, for tests). */
  probes = 0;

  /**
   * @param maxPaths at most this many distinct paths will be added (e.g. the number of findings).
   * @param pathAt the path of the finding in a row given to {@link add}.
   * @param seed the secret that places paths (default: random); the figures do not depend on it.
   */
  constructor(maxPaths: number, private readonly pathAt: (row: number) => string, seed: number = randomInt(0, 0xffffffff)) {
    let x = seed | 0;
    const next = (): number => (x = splitmix32(x));
    this.slotSeed = next();
    this.bases = [OTHER_BASE_MIN + ((next() >>> 0) % (OTHER_P1 - 2 * OTHER_BASE_MIN)), OTHER_BASE_MIN + ((next() >>> 0) % (OTHER_P2 - 2 * OTHER_BASE_MIN))];
    const n = Math.max(1, maxPaths);
    this.bits = Math.min(MAX_FIRST_BITS, Math.max(MIN_BITS, 32 - Math.clz32(n - 1)));
    this.slots = new Int32Array(1 << this.bits);
    this.recs = new Int32Array(n * REC);
    this.maxScores = new Float64Array(n).fill(-Infinity);
    this.spellings = new Uint8Array(n);
  }

  /** Slots of the path table now (a power of two; tests and measurements). */
  get tableSlots(): number {
    return this.slots.length;
  }

  /** Number of distinct paths (ids are 0 … size - 1, in first-seen order). */
  get size(): number {
    return this.n;
  }

  /**
   * Counts the finding in `row`, whose path is `path` (not empty), on host number `host`; `hash`
   * must be `pathHash(path)` (equal paths, and spellings of one Windows path, equal hashes). `score` raises the path's highest score
   * (undefined: no score). Throws a RangeError past `maxPaths` distinct paths.
   */
  add(row: number, path: string, hash: number, host: number, score: number | undefined): void {
    // The hashes first: a string compare reads both strings (a cache miss each in a large run).
    let id = hash === this.lastHash && path === this.lastPath ? this.lastId : this.find(path, hash);
    if (id < 0) id = this.insert(row, path, hash, host);
    this.lastPath = path;
    this.lastHash = hash;
    this.lastId = id;
    const recs = this.recs;
    const r = id * REC;
    recs[r + R_COUNT]++;
    if (recs[r + R_HOST] !== host) {
      let set = this.hostSets.get(id);
      if (set === undefined) this.hostSets.set(id, (set = new Set([recs[r + R_HOST]])));
      set.add(host);
      recs[r + R_HOST] = host;
    }
    if (typeof score === 'number' && score > this.maxScores[id]) this.maxScores[id] = score;
  }

  /**
   * Reads the table slot of `hash` and the record it holds, and returns a number made of them (to
   * be kept by the caller so that the reads are not optimised away). Nothing changes. A caller that
   * touches the hashes of the next few dozen findings before it adds them has their slots and
   * records fetched from memory in parallel instead of one after the other (a large run's table is
   * far larger than the caches: each lookup is a cache miss, and one lookup depends on the last).
   */
  touch(hash: number): number {
    const v = this.slots[this.slotOf(hash)];
    return v === 0 ? 0 : this.recs[(v - 1) * REC + R_COUNT];
  }

  /** The path of id `id`. */
  path(id: number): string {
    return this.pathAt(this.recs[id * REC + R_ROW]);
  }
  /** Whether the findings of path `id` have more than one spelling (a Windows path in other letter cases; {@link path} is the first seen). */
  spelt(id: number): boolean {
    return this.spellings[id] === 1;
  }
  /** The row (given to {@link add}) of the first finding of path `id`. */
  row(id: number): number {
    return this.recs[id * REC + R_ROW];
  }
  /** Findings of path `id`. */
  count(id: number): number {
    return this.recs[id * REC + R_COUNT];
  }
  /**
   * Highest score of path `id`, negative scores included; `null` when none of its findings has a
   * score (process and connection findings of some Loki versions carry none).
   */
  maxScore(id: number): number | null {
    const m = this.maxScores[id];
    return m === -Infinity ? null : m;
  }
  /** Distinct hosts path `id` was seen on. */
  hosts(id: number): number {
    return this.hostSets.get(id)?.size ?? 1;
  }
  /** The hosts (numbers given to {@link add}) path `id` was seen on, in the order first seen; {@link hosts} of them. */
  hostIds(id: number): number[] {
    const set = this.hostSets.get(id);
    return set ? [...set] : [this.recs[id * REC + R_HOST]];
  }

  /** The top `bits` bits of the hash mixed with the seed (murmur3's finalizer: every bit counts). */
  private slotOf(hash: number): number {
    let h = hash ^ this.slotSeed;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> (32 - this.bits);
  }

  private find(path: string, hash: number): number {
    const slots = this.slots;
    const recs = this.recs;
    const mask = slots.length - 1;
    let same = 0;
    for (let k = this.slotOf(hash); ; k = (k + 1) & mask) {
      this.probes++;
      const v = slots[k];
      if (v === 0) break;
      const r = (v - 1) * REC;
      if (recs[r + R_HASH] === hash) {
        if (this.samePath(v - 1, path)) return v - 1;
        same++;
      }
    }
    this.sameSeen = same;
    if (same < SAME_HASH) return -1;
    const h2 = (this.other = otherHash(path, this.bases));
    const ids = this.overflow.get(hash)?.get(h2);
    if (ids !== undefined) for (const id of ids) if (this.samePath(id, path)) return id;
    return -1;
  }

  /** Whether `path` is the path of id `id` (equal, or another spelling of its Windows path: then `id` is {@link spelt}). */
  private samePath(id: number, path: string): boolean {
    const p = this.pathAt(this.recs[id * REC + R_ROW]);
    if (p === path) return true;
    if (!samePath(p, path)) return false;
    this.spellings[id] = 1;
    return true;
  }

  private insert(row: number, path: string, hash: number, host: number): number {
    const id = this.n;
    if (id >= this.maxScores.length) throw new RangeError(`more than ${this.maxScores.length} distinct paths`);
    this.n++;
    const r = id * REC;
    this.recs[r + R_HASH] = hash;
    this.recs[r + R_HOST] = host;
    this.recs[r + R_ROW] = row;
    if (this.sameSeen >= SAME_HASH) {
      // a flood of one hash: kept out of the table
      let byOther = this.overflow.get(hash);
      if (byOther === undefined) this.overflow.set(hash, (byOther = new Map()));
      const h2 = this.other; // of this path: find() read it
      const ids = byOther.get(h2);
      if (ids === undefined) byOther.set(h2, [id]);
      else ids.push(id);
      this.outOfTable.add(id);
      return id;
    }
    this.tabled++;
    if (2 * this.tabled > this.slots.length) this.rehash();
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let k = this.slotOf(this.recs[id * REC + R_HASH]);
    while (slots[k] !== 0) {
      this.probes++;
      k = (k + 1) & mask;
    }
    slots[k] = id + 1;
  }

  private rehash(): void {
    this.bits++;
    this.slots = new Int32Array(1 << this.bits);
    const out = this.outOfTable;
    for (let id = 0; id < this.n; id++) if (out.size === 0 || !out.has(id)) this.place(id);
  }
}

/** Bits of the smallest path table (4,096 slots). */
const MIN_BITS = 12;
/** Bits of the largest first table (2^28 slots, 1 GiB; `1 << 31` would be negative): larger runs grow as before. */
const MAX_FIRST_BITS = 28;

/** Int32s per path record of {@link PathTally} and their fields (16 bytes: four records per cache line). */
const REC = 4;
const R_HASH = 0;
const R_COUNT = 1;
const R_HOST = 2;
const R_ROW = 3;

/** Most paths of one hash kept in the table (see {@link PathTally}). */
export const SAME_HASH = 8;

/** Primes below 2^26 (a product of two values below 2^26 is exact in a double). */
const OTHER_P1 = 67108859;
const OTHER_P2 = 67108837;
const OTHER_BASE_MIN = 1 << 16;

/**
 * A second hash of a string, keyed by `bases` (secret, see {@link PathTally}): the string's UTF-16
 * code units (those of a Windows path folded as `pathHash` folds them) as a polynomial at two secret points modulo two primes, as one integer below 2^52. Two
 * distinct strings of at most L code units agree at a random point with probability at most L/p (a
 * nonzero polynomial of degree < L has fewer than L roots mod p), whatever their text; mod 2^32
 * there are text-only collisions (Thue-Morse strings) for every multiplier.
 */
export function otherHash(s: string, bases: readonly [number, number]): number {
  const [r1, r2] = bases;
  let a = 0;
  let b = 0;
  const fold = isWindowsPath(s);
  for (let i = 0; i < s.length; i++) {
    const c = (fold ? foldedUnit(s.charCodeAt(i)) : s.charCodeAt(i)) + 1;
    // a % p, without a call to fmod (4x faster); exact: a < p², so a / p rounds below the next integer
    a = a * r1 + c;
    a -= Math.floor(a / OTHER_P1) * OTHER_P1;
    b = b * r2 + c;
    b -= Math.floor(b / OTHER_P2) * OTHER_P2;
  }
  return a * 67108864 + b;
}

/** A step of splitmix32 (derives the seeds of a tally from one number). */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}
