/**
 * The hash view of a Loki analysis (IOC pivot): findings grouped by file hash across hosts — which
 * hosts hold this file, under which paths, with which score, level and rules. OWNER: analytics helper.
 *
 * Computed in the analysis step from the kept findings. The parser, which checks the hex digits of
 * MD5/SHA1/SHA256 anyway, keeps a numeric key of each finding's strongest hash (its type and first 25
 * hex digits as two integers: `FindingColumns.hashNumsAt`, FF_HASH_HI / FF_HASH_LO in
 * ../parse/python-messages.ts). The findings are grouped by sorting their positions by that key (no
 * table or record per hash, see tallyByKey), reading no text; paths and rules are collected for the
 * {@link HASHES_LIMIT} hashes kept only, reading back those rows' hash text (the entries' `hash`, and a
 * check of the key), so a fleet whose every finding has a hash of its own keeps no path list or rule
 * set per hash.
 * When the key cannot decide (see tallyByKey) the tally is made again by the text of every finding.
 */
import type { FindingLevel, LokiReason } from '../model/loki';
import { topKIds } from './top-k';
import { FileCounts } from '../parse/path-case';
import { strongestHash, type FindingProcess } from '../parse/loki-store';

/** Most hashes in `LokiAnalysis.hashes` (the dashboard's table shows them all, as its other tables at most 1,000 rows). */
export const HASHES_LIMIT = 1000;
/** Paths listed per hash (the most common first); `pathCount` has them all. */
export const HASH_PATHS_SHOWN = 5;
/** Rules listed per hash (the most common first); `ruleCount` has them all. */
export const HASH_RULES_SHOWN = 10;
/** Host names listed per hash (most findings first, then by name); `hosts` counts them all. */
export const HASH_HOSTS_SHOWN = 5;

/**
 * The type of a file hash by its length in hex digits: 32 MD5, 40 SHA1, 64 SHA256 (the digests Loki writes,
 * loki-format.md §2.1 / §2.2); undefined for any other length. The one rule for the hash view's `type` and the
 * Rules table's `IOC <type> <hash>` description of a hash IOC ({@link ../analyze/loki-summary ruleCells}).
 */
export function hashTypeOf(hash: string): 'SHA256' | 'SHA1' | 'MD5' | undefined {
  const n = hash.length;
  return n === 32 ? 'MD5' : n === 40 ? 'SHA1' : n === 64 ? 'SHA256' : undefined;
}

/** One file hash and the findings that carry it. */
export interface LokiHashEntry {
  /** The strongest hash of the findings (SHA256, else SHA1, else MD5), lower case: the key. */
  hash: string;
  /** Which hash `hash` is. */
  type: 'SHA256' | 'SHA1' | 'MD5';
  /** The other hashes, as the first finding with this key gives them (lower case), when it has them. */
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** Findings with this hash. */
  count: number;
  /** Distinct hosts. */
  hosts: number;
  /** At most {@link HASH_HOSTS_SHOWN} of their names (as the Hosts table shows them), most findings first, then by name (letter case ignored). */
  hostNames: string[];
  /** Highest score of its findings; null when none has a score. */
  maxScore: number | null;
  /** Most severe level of its findings. */
  maxLevel: FindingLevel;
  /**
   * Distinct files, as Top files counts them (a Windows path in any letter case is one file), and processes (a process
   * finding is one {@link processLabel}: `process: python3 (PID 30417)`, never taken for a file path); 0 when no
   * finding has a path or process.
   */
  pathCount: number;
  /** At most {@link HASH_PATHS_SHOWN} of them, most findings first (then first seen), each under its most common spelling. */
  paths: string[];
  /** Distinct rules of its findings' reasons (the key of the Rules table). */
  ruleCount: number;
  /** At most {@link HASH_RULES_SHOWN} of them, most findings first. */
  rules: string[];
}

/**
 * How a process finding is listed among a hash's paths (CLI Top hashes, `--json` `hashes[].paths`, Markdown, the
 * dashboard's Hashes tab): `process: <name> (PID <n>)`, `process: <name>` without a PID, `process (PID <n>)` without a
 * name. Its `path` is the process name (Loki-RS) or its executable, which listed bare read as a file path.
 */
export function processLabel(p: FindingProcess): string {
  const pid = p.pid !== undefined ? ` (PID ${p.pid})` : '';
  return p.name ? `process: ${p.name}${pid}` : `process${pid}`;
}

/** The text of a hash's paths (dashboard, Markdown): the ones listed, joined by ` | `, then `… and N more` when the hash is under more files. */
export function hashPathsText(h: Pick<LokiHashEntry, 'paths' | 'pathCount'>): string {
  const more = h.pathCount - h.paths.length;
  return h.paths.join(' | ') + (more > 0 ? ` … and ${more.toLocaleString('en-US')} more` : '');
}

/** The text of a hash's hosts (CLI, dashboard, Markdown): the names listed, joined by `, `, then ` … +N more` when the hash is on more hosts. */
export function hashHostsText(h: Pick<LokiHashEntry, 'hostNames' | 'hosts'>): string {
  const more = h.hosts - h.hostNames.length;
  return h.hostNames.join(', ') + (more > 0 ? ` … +${more.toLocaleString('en-US')} more` : '');
}

/** What {@link tallyHashes} reads of the kept findings (a FindingView, by position). */
export interface HashTallyInput {
  readonly length: number;
  hashKeyAt(i: number): string | undefined;
  levelAt(i: number): FindingLevel;
  scoreAt(i: number): number | undefined;
  pathAt(i: number): string | undefined;
  reasonsAt(i: number): readonly LokiReason[];
  /** The finding's md5/sha1/sha256 (read for the kept hashes' first findings only). */
  hashesAt(i: number, sparse?: boolean): { md5?: string; sha1?: string; sha256?: string } | undefined;
  /** The numeric key of the finding's strongest hash, read without the log (FindingColumns.hashNumsAt: 1 written to out, 0 no hash, -1 no numeric key). */
  hashNumsAt(i: number, out: Float64Array): -1 | 0 | 1;
  /** The process of a process finding, else undefined (FindingColumns.processAt; read for the kept hashes' findings only). */
  processAt(i: number): FindingProcess | undefined;
}

/** Severity rank of a finding level (ALERT 3, WARNING 2, NOTICE 1; anything else 0 with `?? 0`): the hash view's max level and the findings table's level sort (./loki-dashboard.ts). */
export const LEVEL_RANK: Readonly<Record<FindingLevel, number>> = { ALERT: 3, WARNING: 2, NOTICE: 1 };
/** The level of a {@link LEVEL_RANK} rank (0, no finding of a known level, reads NOTICE): the inverse used for max levels. */
export const RANK_LEVEL: readonly FindingLevel[] = ['NOTICE', 'NOTICE', 'WARNING', 'ALERT'];

/**
 * Groups the findings of `v` by their strongest hash. `hostOf(i)`: the host number of finding i
 * (the merge's display host), below `hostCount`; `hostName(h)`: the name of host number h (read for
 * the kept hashes' hosts only). `ruleKey`: the key a reason is counted under (reasonRuleKey).
 * Returns at most {@link HASHES_LIMIT} entries — most hosts first, then most findings, then the
 * highest score, then the hash — and `total`, the number of distinct hashes. A finding whose hash
 * cannot be read back (its log changed since it was parsed) is left out and counted in `unread`.
 *
 * By the numeric keys ({@link tallyByKey}: reads back the kept hashes' findings only), else, in the
 * rare cases it leaves, by the text of every finding ({@link tallyByText}: reads every finding's hash
 * back from its log, which cost ~25% of the single-threaded analysis at bench scale 1).
 */
export function tallyHashes(v: HashTallyInput, hostOf: (i: number) => number, hostCount: number, ruleKey: (r: LokiReason) => string, hostName: (h: number) => string): HashTally {
  const kept = { hostOf, hostName };
  return tallyByKey(v, hostOf, hostCount, ruleKey, kept) ?? tallyByText(v, hostOf, ruleKey, kept);
}

/** How the kept hashes' hosts are counted and named (see {@link collectKept}). */
interface HostsOf {
  hostOf: (i: number) => number;
  hostName: (h: number) => string;
}

/** What {@link tallyHashes} returns. */
export interface HashTally {
  hashes: LokiHashEntry[];
  total: number;
  unread: number;
}

/** Type and first 12 hex digits of a numeric hash key (hashKeyOfText) → the digits alone (2^48 per type). */
const DIGITS_UNIT = 2 ** 48;

/**
 * `hi % DIGITS_UNIT` of a high key word (a non-negative integer below 2^53, as hashNumsAt gives it): its first 12 hex
 * digits without the type. Exact (a division and product by a power of two and the difference of two integers below
 * 2^53), without the `%` of two doubles, which TurboFan compiles to a call of C's fmod (~20 ns).
 */
const digitsOf = (hi: number): number => hi - Math.floor(hi / DIGITS_UNIT) * DIGITS_UNIT;

/** Candidates gathered before the worst are dropped (see {@link Kept}). */
const KEEP_SLACK = 1024;

/** One hash of {@link tallyByKey}: its rows are `idx[start … start + count)`, the one row `first` when `start` is -1. */
interface Group {
  start: number;
  first: number;
  count: number;
  hosts: number;
  maxScore: number;
  level: number;
  hi: number;
  lo: number;
}

/**
 * The best {@link HASHES_LIMIT} groups in the order of the hash view, chosen while the groups are met:
 * candidates are gathered, sorted and cut back to the limit every {@link KEEP_SLACK} additions, and a
 * group that sorts after the last kept one once the list is full is dropped with one comparison (most
 * hashes of a fleet are on one host, once). O(groups) memory is never held. `tied` is set when two
 * groups could be ordered only by digits past the 25th (or their type): the text then decides.
 */
class Kept {
  list: Group[] = [];
  tied = false;
  private full = false;
  readonly cmp = (a: Group, b: Group): number =>
    b.hosts - a.hosts || b.count - a.count || (b.maxScore > a.maxScore ? 1 : b.maxScore < a.maxScore ? -1 : 0) || this.cmpKeys(a, b);
  private cmpKeys(a: Group, b: Group): number {
    const da = digitsOf(a.hi);
    const db = digitsOf(b.hi);
    if (da !== db) return da < db ? -1 : 1;
    if (a.lo !== b.lo) return a.lo < b.lo ? -1 : 1;
    if (a !== b) this.tied = true;
    return 0;
  }
  /** Whether a hash of key words (hi, lo) sorts after `g` by its digits (strictly; equal digits are left to {@link add}). */
  digitsAfter(hi: number, lo: number, g: Group): boolean {
    const d = digitsOf(hi);
    const dg = digitsOf(g.hi);
    return d !== dg ? d > dg : lo > g.lo;
  }
  /** Whether a group of `hosts` hosts and `count` findings could be kept (decided before its score is read). */
  mayKeep(hosts: number, count: number): boolean {
    if (!this.full) return true;
    const last = this.list[HASHES_LIMIT - 1];
    return hosts > last.hosts || (hosts === last.hosts && count >= last.count);
  }
  add(g: Group): void {
    if (this.full && this.cmp(g, this.list[HASHES_LIMIT - 1]) >= 0) return;
    this.list.push(g);
    if (this.list.length >= HASHES_LIMIT + KEEP_SLACK) this.cut();
  }
  /** The group that sorts last among the {@link HASHES_LIMIT} kept, once there are so many (as of the last cut). */
  worst(): Group | undefined {
    return this.full ? this.list[HASHES_LIMIT - 1] : undefined;
  }
  /** The kept groups, in order. */
  done(): Group[] {
    this.cut();
    return this.list;
  }
  private cut(): void {
    this.list.sort(this.cmp);
    if (this.list.length >= HASHES_LIMIT) {
      this.list.length = HASHES_LIMIT;
      this.full = true;
    }
  }
}

/**
 * {@link tallyHashes} on the numeric keys the parser computed (FindingColumns.hashNumsAt: the hash's
 * type and first 25 hex digits, two integers), grouping by sorting, not by a table:
 * 1. the positions of the findings with a hash, sorted by 32 bits of their key ({@link sortKeys}) —
 *    digests are uniform, so a run of one 32-bit value holds one hash, and most runs are one finding
 *    (nothing more is read for them); a run with several keys (a crafted log) is sorted by the whole
 *    key, O(r log r) ({@link groupRuns});
 * 2. each run of one key is a group: findings, distinct hosts (a stamp per host), highest level and
 *    score; the best {@link HASHES_LIMIT} are kept ({@link Kept}); hashes of one finding are offered
 *    last, in row order, and only while they can place ({@link keepSingles});
 * 3. the kept groups' rows, in row order, are read back (their hash text: the entry's `hash`, and a
 *    check of every row's key) with their paths and rules.
 * Working memory: 13 bytes per finding (the sorted pairs, the positions in key order, a flag) and the
 * kept groups' rows; no per-hash record, Map or Set (the table of the first version held ~50 MB more
 * at the peak of bench scale 8, bench/NOTES.md).
 *
 * Returns undefined — the caller then tallies by the text — when a finding's hash has no numeric key,
 * a kept hash's row does not have the same text as its group's first row (two hashes share type and
 * first 25 digits), two kept hashes would be ordered by digits past the 25th, or a kept row's hash
 * cannot be read back. Two hashes that share type and first 25 hex digits (100 bits) and are not kept
 * would count as one in `total`.
 */
function tallyByKey(v: HashTallyInput, hostOf: (i: number) => number, hostCount: number, ruleKey: (r: LokiReason) => string, hk: HostsOf): HashTally | undefined {
  const n = v.length;
  const found = sortKeys(v, n);
  if (found === undefined) return undefined;
  const { pairs, m } = found;
  const idx = new Int32Array(m); // positions in key order, of the hashes of several findings (filled by groupRuns)
  const kept = new Kept();
  const hostStamp = new Int32Array(hostCount).fill(-1);
  const single = new Uint8Array(n); // by position: 1 when the finding is the only one with its hash
  let multi = 0;
  // a hash of several findings (hosts, level and score read here, in key order)
  const group = (start: number, end: number, hi: number, lo: number): void => {
    if (end - start === 1) {
      single[idx[start]] = 1;
      return;
    }
    multi++;
    let hosts = 0;
    for (let j = start; j < end; j++) {
      const h = hostOf(idx[j]);
      if (hostStamp[h] !== multi) {
        hostStamp[h] = multi;
        hosts++;
      }
    }
    if (!kept.mayKeep(hosts, end - start)) return;
    let level = 0;
    let maxScore = -Infinity;
    for (let j = start; j < end; j++) {
      const r = LEVEL_RANK[v.levelAt(idx[j])] ?? 0;
      if (r > level) level = r;
      const s = v.scoreAt(idx[j]);
      if (typeof s === 'number' && s > maxScore) maxScore = s;
    }
    kept.add({ start, first: idx[start], count: end - start, hosts, maxScore, level, hi, lo });
  };
  const singles = groupRuns(v, pairs, idx, m, single, group);
  const total = multi + singles;
  keepSingles(v, single, kept);
  const top = kept.done();
  if (kept.tied) return undefined;
  // Every kept row's hash, read back in row order through small windows (rows far apart: 1 MiB windows
  // read 2x longer at bench scale 1, where a kept row is one in 75); throws when the log changed.
  const rows = keptRows(top.map((g) => (g.start < 0 ? [g.first] : idx.subarray(g.start, g.start + g.count))));
  const texts: string[] = new Array<string>(top.length);
  const firsts = new Map<number, Hashes | undefined>();
  const got = collectKept(v, top.length, rows, ruleKey, hk, (i, k) => {
    const f = v.hashesAt(i, true);
    const t = f !== undefined ? strongestHash(f) : undefined;
    if (t === undefined) return false;
    if (texts[k] === undefined) {
      texts[k] = t;
      firsts.set(i, f);
    }
    return t === texts[k];
  });
  if (got === undefined) return undefined;
  const hashes = entries(
    top.map((g, k) => ({ key: texts[k], first: g.first, count: g.count, hosts: g.hosts, maxScore: g.maxScore, level: g.level })),
    got,
    firsts,
  );
  return { hashes, total, unread: 0 };
}

/** Index of the high 32 bits of a 64-bit integer in its two 32-bit words: 1 on little-endian platforms, 0 on big-endian ones (s390x). */
const HIGH = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The findings of `v` that have a hash, sorted by 32 bits of their numeric key (the low words of its
 * two words, xor: uniform for digests), then by position: entry j is `pairs[2j + HIGH]` (the 32 bits) and
 * `pairs[2j + 1 - HIGH]` (the position), `m` entries. One native sort of 64-bit integers (the bits above, the
 * position below: `BigUint64Array#sort`, no comparator) over an aliased view: 8 bytes per finding, and
 * no loop of its own that runs unoptimised (the analysis runs once per process: a radix sort in
 * JavaScript cost 2x more at bench scale 1 and twice the memory). Undefined when a finding's hash has
 * no numeric key. Positions are below 2^32 (a view's length).
 */
function sortKeys(v: HashTallyInput, n: number): { pairs: Uint32Array; m: number } | undefined {
  const kv = new Float64Array(2);
  let pairs = new Uint32Array(2 * n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const got = v.hashNumsAt(i, kv);
    if (got === 0) continue;
    if (got < 0) return undefined;
    pairs[2 * m + 1 - HIGH] = i;
    // the low 32 bits of each word (both are integers in [0, 2^53): `^` takes each modulo 2^32, as `% 4294967296`
    // did, without two calls of fmod per finding — ~30 ms at bench scale 8)
    pairs[2 * m + HIGH] = kv[1] ^ kv[0];
    m++;
  }
  if (m < n) pairs = pairs.slice(0, 2 * m);
  new BigUint64Array(pairs.buffer, 0, m).sort();
  return { pairs, m };
}

/**
 * The runs of equal keys of the sorted `pairs` ({@link sortKeys}): a run of one is a hash of one
 * finding (marked in `single`, nothing read); a longer run is read (the whole key of each finding) and
 * given to `group(start, end, hi, lo)` per key, `idx[start, end)` its positions (`idx`: written for
 * such runs only, at their place in `pairs`) — a run with several keys (they share the 32 bits: a crafted log) sorted by
 * the whole key, then row, first (O(r log r)). Returns the number of hashes of one finding.
 */
function groupRuns(v: HashTallyInput, pairs: Uint32Array, idx: Int32Array, m: number, single: Uint8Array, group: (start: number, end: number, hi: number, lo: number) => void): number {
  const kv = new Float64Array(2);
  let singles = 0;
  for (let s = 0; s < m; ) {
    const k = pairs[2 * s + HIGH];
    if (s + 1 === m || pairs[2 * s + 2 + HIGH] !== k) {
      singles++;
      single[pairs[2 * s + 1 - HIGH]] = 1;
      s++;
      continue;
    }
    let e = s + 2;
    while (e < m && pairs[2 * e + HIGH] === k) e++;
    for (let j = s; j < e; j++) idx[j] = pairs[2 * j + 1 - HIGH];
    v.hashNumsAt(idx[s], kv);
    const hi = kv[0];
    const lo = kv[1];
    let mixed = false;
    for (let j = s + 1; j < e && !mixed; j++) {
      v.hashNumsAt(idx[j], kv);
      mixed = kv[0] !== hi || kv[1] !== lo;
    }
    if (!mixed) group(s, e, hi, lo);
    else {
      const run = Array.from(idx.subarray(s, e), (i) => (v.hashNumsAt(i, kv), { i, hi: kv[0], lo: kv[1] }));
      run.sort((a, b) => a.hi - b.hi || a.lo - b.lo || a.i - b.i);
      run.forEach((r, q) => (idx[s + q] = r.i));
      for (let a = 0; a < run.length; ) {
        let b = a + 1;
        while (b < run.length && run[b].hi === run[a].hi && run[b].lo === run[a].lo) b++;
        if (b - a === 1) singles++;
        group(s + a, s + b, run[a].hi, run[a].lo);
        a = b;
      }
    }
    s = e;
  }
  return singles;
}

/**
 * The hashes of one finding (`single[i]`), in row order (reads in order), offered to `kept`: only while
 * fewer than {@link HASHES_LIMIT} hashes of several findings are kept (any of those sorts first), and
 * then only when its score can place it (no record is made for one that cannot).
 */
function keepSingles(v: HashTallyInput, single: Uint8Array, kept: Kept): void {
  const kv = new Float64Array(2);
  kept.done();
  for (let i = 0; i < single.length; i++) {
    if (single[i] === 0) continue;
    const worst = kept.worst();
    if (worst !== undefined && (worst.hosts > 1 || worst.count > 1)) return;
    const sc = v.scoreAt(i);
    const score = typeof sc === 'number' ? sc : -Infinity;
    if (worst !== undefined && score < worst.maxScore) continue;
    v.hashNumsAt(i, kv);
    if (worst !== undefined && score === worst.maxScore && kept.digitsAfter(kv[0], kv[1], worst)) continue;
    kept.add({ start: -1, first: i, count: 1, hosts: 1, maxScore: score, level: LEVEL_RANK[v.levelAt(i)] ?? 0, hi: kv[0], lo: kv[1] });
  }
}

/**
 * The rows of the kept hashes (`rowsOf[k]`: the positions of hash k's findings) as one array in row
 * order, each `position * 1024 + k` (k < {@link HASHES_LIMIT} ≤ 1024; exact in a double): rows read
 * back in order read each log forwards.
 */
function keptRows(rowsOf: ArrayLike<number>[]): Float64Array {
  let total = 0;
  for (const r of rowsOf) total += r.length;
  const out = new Float64Array(total);
  let o = 0;
  rowsOf.forEach((r, k) => {
    for (let j = 0; j < r.length; j++) out[o++] = r[j] * 1024 + k;
  });
  return out.sort();
}

/** {@link tallyHashes} by the hash text of every finding (read back from the logs): the exact tally, for the cases {@link tallyByKey} leaves. */
function tallyByText(v: HashTallyInput, hostOf: (i: number) => number, ruleKey: (r: LokiReason) => string, hk: HostsOf): HashTally {
  const n = v.length;
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const entryOf = new Int32Array(n).fill(-1);
  const count = new Int32Array(n);
  const firstRow = new Int32Array(n);
  const lastHost = new Int32Array(n);
  const level = new Uint8Array(n);
  const maxScore = new Float64Array(n).fill(-Infinity);
  const hostSets = new Map<number, Set<number>>();
  let unread = 0;
  let lastKey: string | undefined;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    let key: string | undefined;
    try {
      key = v.hashKeyAt(i);
    } catch {
      unread++;
      continue;
    }
    if (key === undefined) continue;
    let id = key === lastKey ? lastId : ids.get(key);
    const host = hostOf(i);
    if (id === undefined) {
      id = keys.length;
      ids.set(key, id);
      keys.push(key);
      firstRow[id] = i;
      lastHost[id] = host;
    } else if (lastHost[id] !== host) {
      let set = hostSets.get(id);
      if (set === undefined) hostSets.set(id, (set = new Set([lastHost[id]])));
      set.add(host);
      lastHost[id] = host;
    }
    lastKey = key;
    lastId = id;
    entryOf[i] = id;
    count[id]++;
    const r = LEVEL_RANK[v.levelAt(i)] ?? 0;
    if (r > level[id]) level[id] = r;
    const s = v.scoreAt(i);
    if (typeof s === 'number' && s > maxScore[id]) maxScore[id] = s;
  }
  const total = keys.length;
  const cmpKeys = (a: number, b: number): number => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0);
  const hostsOf = (id: number): number => hostSets.get(id)?.size ?? 1;
  const top = topKIds(total, HASHES_LIMIT, (a, b) => hostsOf(b) - hostsOf(a) || count[b] - count[a] || (maxScore[b] > maxScore[a] ? 1 : maxScore[b] < maxScore[a] ? -1 : 0) || cmpKeys(a, b));

  const slot = new Map<number, number>(top.map((id, k) => [id, k]));
  const rowsOf: number[][] = top.map(() => []);
  for (let i = 0; i < n; i++) {
    const k = entryOf[i] < 0 ? undefined : slot.get(entryOf[i]);
    if (k !== undefined) rowsOf[k].push(i);
  }
  const rows = collectKept(v, top.length, keptRows(rowsOf), ruleKey, hk)!;
  const hashes = entries(
    top.map((id) => ({ key: keys[id], first: firstRow[id], count: count[id], hosts: hostsOf(id), maxScore: maxScore[id], level: level[id] })),
    rows,
    readFirsts(v, top.map((id) => firstRow[id])),
  );
  return { hashes, total, unread };
}

/** Paths, rules and hosts of the kept hashes' findings (see {@link collectKept}): per kept hash, path → findings, rule → findings, and its {@link HASH_HOSTS_SHOWN} host names. */
interface KeptRows {
  files: FileCounts[];
  rules: Map<string, number>[];
  hostNames: string[][];
}

/**
 * Second pass: paths, rules and hosts of the kept hashes' findings. `rows`: {@link keptRows} (row order).
 * Paths are counted as Top files counts them (a Windows path in any letter case is one file: FileCounts). Hosts are
 * counted by number (a Map per kept hash, the hosts it is on) and only the {@link HASH_HOSTS_SHOWN} listed are named:
 * ≤ 1,000 × 5 strings, shared with the hosts table. `check(i, k)`, when given, is
 * called for every kept finding; undefined is returned as soon as it returns false or throws.
 */
function collectKept(v: HashTallyInput, kept: number, rows: Float64Array, ruleKey: (r: LokiReason) => string, hk: HostsOf, check?: (i: number, k: number) => boolean): KeptRows | undefined {
  const files = Array.from({ length: kept }, () => new FileCounts());
  const rules = Array.from({ length: kept }, () => new Map<string, number>());
  const hosts = Array.from({ length: kept }, () => new Map<number, number>());
  for (let q = 0; q < rows.length; q++) {
    const i = Math.floor(rows[q] / 1024);
    const k = rows[q] - i * 1024;
    if (check !== undefined) {
      try {
        if (!check(i, k)) return undefined;
      } catch {
        return undefined;
      }
    }
    const proc = v.processAt(i);
    const p = proc !== undefined ? processLabel(proc) : v.pathAt(i);
    if (p !== undefined && p !== '') files[k].add(p);
    const h = hk.hostOf(i);
    hosts[k].set(h, (hosts[k].get(h) ?? 0) + 1);
    const seen = new Set<string>(); // a finding counts once per rule, however many of its reasons name it
    for (const r of v.reasonsAt(i)) {
      const rk = ruleKey(r);
      if (seen.has(rk)) continue;
      seen.add(rk);
      rules[k].set(rk, (rules[k].get(rk) ?? 0) + 1);
    }
  }
  // by name as the Hosts table orders them (letter case ignored, then code units)
  const cmpName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const hostNames = hosts.map((m) =>
    [...m]
      .map(([h, n]) => ({ name: hk.hostName(h), n }))
      .sort((a, b) => b.n - a.n || cmpName(a.name.toLowerCase(), b.name.toLowerCase()) || cmpName(a.name, b.name))
      .slice(0, HASH_HOSTS_SHOWN)
      .map((e) => e.name),
  );
  return { files, rules, hostNames };
}

/** A finding's hashes (those it has). */
type Hashes = { md5?: string; sha1?: string; sha256?: string };

/** The hashes of the rows `firstRows` (read back in row order: a columnar row is read from its log), by row; undefined when unreadable. */
function readFirsts(v: HashTallyInput, firstRows: number[]): Map<number, Hashes | undefined> {
  const firsts = new Map<number, Hashes | undefined>();
  for (const row of [...firstRows].sort((a, b) => a - b)) {
    try {
      firsts.set(row, v.hashesAt(row, true));
    } catch {
      firsts.set(row, undefined);
    }
  }
  return firsts;
}

/** A kept hash: its text, its first row, its figures (`level`: LEVEL_RANK, `maxScore` -Infinity when none). */
interface KeptHash {
  key: string;
  first: number;
  count: number;
  hosts: number;
  maxScore: number;
  level: number;
}

/** The entries of the kept hashes `top` (in order), with their paths and rules (`rows`) and their first rows' hashes (`firsts`). */
function entries(top: KeptHash[], { files, rules, hostNames }: KeptRows, firsts: Map<number, Hashes | undefined>): LokiHashEntry[] {
  // most findings first, then first seen (a stable sort; most maps hold one key)
  const mostFirst = (m: Map<string, number>, max: number): string[] =>
    m.size <= 1 ? [...m.keys()] : [...m].sort((a, b) => b[1] - a[1]).slice(0, max).map((e) => e[0]);
  return top.map((h, k): LokiHashEntry => {
    const key = h.key;
    const f = firsts.get(h.first);
    const low = (x: string | undefined): string | undefined => (x ? x.toLowerCase() : undefined);
    const md5 = low(f?.md5);
    const sha1 = low(f?.sha1);
    const sha256 = low(f?.sha256);
    const type: LokiHashEntry['type'] = key === sha256 ? 'SHA256' : key === sha1 ? 'SHA1' : key === md5 ? 'MD5' : hashTypeOf(key) ?? 'MD5';
    return {
      hash: key,
      type,
      ...(md5 !== undefined && type !== 'MD5' ? { md5 } : {}),
      ...(sha1 !== undefined && type !== 'SHA1' ? { sha1 } : {}),
      ...(sha256 !== undefined && type !== 'SHA256' ? { sha256 } : {}),
      count: h.count,
      hosts: h.hosts,
      hostNames: hostNames[k],
      maxScore: h.maxScore === -Infinity ? null : h.maxScore,
      maxLevel: RANK_LEVEL[h.level],
      pathCount: files[k].size,
      paths: files[k].top(HASH_PATHS_SHOWN),
      ruleCount: rules[k].size,
      rules: mostFirst(rules[k], HASH_RULES_SHOWN),
    };
  });
}
