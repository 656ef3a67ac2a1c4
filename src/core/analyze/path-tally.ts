/**
 * Findings per distinct file path, for the Loki summary's top files (see ./loki-summary.ts).
 *
 * Most findings of a real fleet have a path of their own (hundreds of thousands of distinct paths),
 * so a path is found by the hash its finding carries (`pathHash` of ../parse/loki-store.ts, computed
 * by the parser while the line was at hand) in an open-addressing table of typed arrays: a path seen
 * for the first time costs no read of its string, and no object, Map entry or Set is made per path.
 * Strings are compared only when two hashes are equal (the same path, or a rare collision). A `Map`
 * keyed by the strings hashed each of them again, far from the parse (8x benchmark: ~120 ms and
 * ~20 MB for 358,000 distinct paths). A path is kept as the row of its first finding.
 *
 * The per-path arrays are sized for `maxPaths` at once: a large typed array is mapped on demand, so
 * only the part in use takes memory, and nothing is copied to grow.
 *
 * Paths are attacker-controlled and FNV-1a collisions are easy to make: at most {@link SAME_HASH}
 * paths of one hash go into the table (a longer run of equal hashes would make every lookup walk it,
 * quadratic in the number of such paths); the others are kept per hash in buckets keyed by a second,
 * independent hash of the string ({@link otherHash}), so a flood of one hash stays linear.
 */
export class PathTally {
  /** Path id + 1 per slot (0: empty); its size is a power of two, at most half full. */
  private slots = new Int32Array(4096);
  private bits = 12;
  private n = 0;
  /** Paths placed in the table (the others are in {@link overflow}). */
  private tabled = 0;
  /** Per path id: the row of its first finding, its hash, findings, highest score, last host. */
  private readonly firstRows: Int32Array;
  private readonly hashes: Int32Array;
  private readonly counts: Int32Array;
  private readonly maxScores: Float64Array;
  private readonly lastHosts: Int32Array;
  /** Hosts of the paths seen on more than one host (most are seen on one). */
  private readonly hostSets = new Map<number, Set<number>>();
  private lastPath: string | undefined;
  private lastId = -1;
  /** Equal hashes met by the last {@link find} that found nothing. */
  private sameSeen = 0;
  /** Hashes with more than {@link SAME_HASH} paths: their further paths, by {@link otherHash}. */
  private readonly overflow = new Map<number, Map<number, number[]>>();
  /** The ids in {@link overflow}. */
  private readonly outOfTable = new Set<number>();

  /**
   * @param maxPaths at most this many distinct paths will be added (e.g. the number of findings).
   * @param pathAt the path of the finding in a row given to {@link add}.
   */
  constructor(maxPaths: number, private readonly pathAt: (row: number) => string) {
    const n = Math.max(1, maxPaths);
    this.firstRows = new Int32Array(n);
    this.hashes = new Int32Array(n);
    this.counts = new Int32Array(n);
    this.maxScores = new Float64Array(n);
    this.lastHosts = new Int32Array(n);
  }

  /** Number of distinct paths (ids are 0 … size - 1, in first-seen order). */
  get size(): number {
    return this.n;
  }

  /**
   * Counts the finding in `row`, whose path is `path` (not empty), on host number `host`; `hash`
   * must be `pathHash(path)` (equal paths, equal hashes). `score` raises the path's highest score
   * (undefined: no score). Throws a RangeError past `maxPaths` distinct paths.
   */
  add(row: number, path: string, hash: number, host: number, score: number | undefined): void {
    let id = path === this.lastPath ? this.lastId : this.find(path, hash);
    if (id < 0) id = this.insert(row, path, hash, host);
    this.lastPath = path;
    this.lastId = id;
    this.counts[id]++;
    if (this.lastHosts[id] !== host) {
      let set = this.hostSets.get(id);
      if (set === undefined) this.hostSets.set(id, (set = new Set([this.lastHosts[id]])));
      set.add(host);
      this.lastHosts[id] = host;
    }
    if (typeof score === 'number' && score > this.maxScores[id]) this.maxScores[id] = score;
  }

  /** The path of id `id`. */
  path(id: number): string {
    return this.pathAt(this.firstRows[id]);
  }
  /** Findings of path `id`. */
  count(id: number): number {
    return this.counts[id];
  }
  /** Highest score of path `id` (0 when none of its findings has a score above 0). */
  maxScore(id: number): number {
    return this.maxScores[id];
  }
  /** Distinct hosts path `id` was seen on. */
  hosts(id: number): number {
    return this.hostSets.get(id)?.size ?? 1;
  }

  /** Fibonacci hashing: the top `bits` bits of the hash times 2^32/φ (spreads FNV's low bits). */
  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> (32 - this.bits);
  }

  private find(path: string, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let same = 0;
    for (let k = this.slotOf(hash); ; k = (k + 1) & mask) {
      const v = slots[k];
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === hash) {
        if (this.pathAt(this.firstRows[id]) === path) return id;
        same++;
      }
    }
    this.sameSeen = same;
    if (same < SAME_HASH) return -1;
    const ids = this.overflow.get(hash)?.get(otherHash(path));
    if (ids !== undefined) for (const id of ids) if (this.pathAt(this.firstRows[id]) === path) return id;
    return -1;
  }

  private insert(row: number, path: string, hash: number, host: number): number {
    const id = this.n;
    if (id >= this.counts.length) throw new RangeError(`more than ${this.counts.length} distinct paths`);
    this.n++;
    this.firstRows[id] = row;
    this.hashes[id] = hash;
    this.lastHosts[id] = host;
    if (this.sameSeen >= SAME_HASH) {
      // a flood of one hash: kept out of the table
      let byOther = this.overflow.get(hash);
      if (byOther === undefined) this.overflow.set(hash, (byOther = new Map()));
      const h2 = otherHash(path);
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
    let k = this.slotOf(this.hashes[id]);
    while (slots[k] !== 0) k = (k + 1) & mask;
    slots[k] = id + 1;
  }

  private rehash(): void {
    this.bits++;
    this.slots = new Int32Array(1 << this.bits);
    const out = this.outOfTable;
    for (let id = 0; id < this.n; id++) if (out.size === 0 || !out.has(id)) this.place(id);
  }
}

/** Most paths of one hash kept in the table (see {@link PathTally}). */
export const SAME_HASH = 8;

/**
 * A second hash of a string, independent of FNV-1a (djb2-style with another multiplier, from the
 * end): paths that collide in FNV-1a are spread by it.
 */
export function otherHash(s: string): number {
  let h = 5381;
  for (let i = s.length - 1; i >= 0; i--) h = (Math.imul(h, 0x01000193 + 0x6a) + s.charCodeAt(i)) | 0;
  return h;
}
