/**
 * The hash view of a Loki analysis (IOC pivot): findings grouped by file hash across hosts — which
 * hosts hold this file, under which paths, with which score, level and rules. OWNER: analytics helper.
 *
 * Computed in the analysis step from the kept findings. The parser, which checks the hex digits of
 * MD5/SHA1/SHA256 anyway, keeps a numeric key of each finding's strongest hash (its type and first 25
 * hex digits as two integers: `FindingColumns.hashNumsAt`, FF_HASH_HI / FF_HASH_LO in
 * ../parse/python-messages.ts). Two passes: the first counts every hash by that key (findings, hosts,
 * highest score and level) in an open-addressing table of typed arrays, reading no text; the second
 * collects paths and rules for the {@link HASHES_LIMIT} hashes kept only, reading back those rows'
 * hash text (the entries' `hash`, and a check of the key), so a fleet whose every finding has a hash
 * of its own keeps no path list or rule set per hash and rereads ~1,000 short ranges of its logs.
 * When the key cannot decide (see tallyByKey) the tally is made again by the text of every finding.
 */
import type { FindingLevel, LokiReason } from '../model/loki';
import { Spellings, pathGroupKey } from './path-case';
import { topK } from './top-k';

/** Most hashes in `LokiAnalysis.hashes` (the dashboard's table shows them all, as its other tables at most 1,000 rows). */
export const HASHES_LIMIT = 1000;
/** Paths listed per hash (the most common first); `pathCount` has them all. */
export const HASH_PATHS_SHOWN = 5;
/** Rules listed per hash (the most common first); `ruleCount` has them all. */
export const HASH_RULES_SHOWN = 10;

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
  /** Highest score of its findings; null when none has a score. */
  maxScore: number | null;
  /** Most severe level of its findings. */
  maxLevel: FindingLevel;
  /** Distinct files (Windows paths compared ignoring letter case, see ./path-case.ts); 0 when no finding has a path. */
  pathCount: number;
  /** At most {@link HASH_PATHS_SHOWN} of them, most findings first (a Windows file under its most common spelling). */
  paths: string[];
  /** Distinct rules of its findings' reasons (the key of the Rules table). */
  ruleCount: number;
  /** At most {@link HASH_RULES_SHOWN} of them, most findings first. */
  rules: string[];
}

/** The text of a hash's paths (dashboard, Markdown): the ones listed, joined by ` | `, then `… and N more` when the hash is under more files. */
export function hashPathsText(h: Pick<LokiHashEntry, 'paths' | 'pathCount'>): string {
  const more = h.pathCount - h.paths.length;
  return h.paths.join(' | ') + (more > 0 ? ` … and ${more} more` : '');
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
}

const LEVEL_RANK: Record<string, number> = { ALERT: 3, WARNING: 2, NOTICE: 1 };
const RANK_LEVEL: FindingLevel[] = ['NOTICE', 'NOTICE', 'WARNING', 'ALERT'];

/**
 * Groups the findings of `v` by their strongest hash. `hostOf(i)`: the host number of finding i
 * (the merge's display host). `ruleKey`: the key a reason is counted under (reasonRuleKey).
 * Returns at most {@link HASHES_LIMIT} entries — most hosts first, then most findings, then the
 * highest score, then the hash — and `total`, the number of distinct hashes. A finding whose hash
 * cannot be read back (its log changed since it was parsed) is left out and counted in `unread`.
 *
 * By the numeric keys ({@link tallyByKey}: reads back the kept hashes' findings only), else, in the
 * rare cases it leaves, by the text of every finding ({@link tallyByText}: reads every finding's hash
 * back from its log, which cost ~25% of the single-threaded analysis at bench scale 1).
 */
export function tallyHashes(v: HashTallyInput, hostOf: (i: number) => number, ruleKey: (r: LokiReason) => string): HashTally {
  return tallyByKey(v, hostOf, ruleKey) ?? tallyByText(v, hostOf, ruleKey);
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
 * {@link tallyHashes} on the numeric keys the parser computed (FindingColumns.hashNumsAt: the hash's
 * type and first 25 hex digits, two integers): no hash text is read in the first pass, only the rows
 * of the kept hashes are read back (their text is the entry's `hash`, and every row's text is compared
 * with its entry's). Returns undefined — the caller then tallies by the text — when a finding's hash
 * has no numeric key, a kept hash's row does not have the same text as its entry (two hashes share
 * type and first 25 digits), two kept hashes would be ordered by digits past the 25th, or a kept row's
 * hash cannot be read back. Two hashes that share type and first 25 hex digits (100 bits) and are not
 * kept would count as one in `total`.
 */
function tallyByKey(v: HashTallyInput, hostOf: (i: number) => number, ruleKey: (r: LokiReason) => string): HashTally | undefined {
  const n = v.length;
  const kv = new Float64Array(2);
  // Open addressing on the key words (no Map of doubles: each such key would be a heap number).
  let mask = 15;
  while (mask + 1 < 2 * n) mask = mask * 2 + 1;
  const table = new Int32Array(mask + 1).fill(-1); // → hash id
  const hiOf = new Float64Array(n);
  const loOf = new Float64Array(n);
  const entryOf = new Int32Array(n).fill(-1);
  const count = new Int32Array(n);
  const firstRow = new Int32Array(n);
  const lastHost = new Int32Array(n);
  const level = new Uint8Array(n);
  const maxScore = new Float64Array(n).fill(-Infinity);
  const hostSets = new Map<number, Set<number>>();
  let total = 0;
  let lastHi = NaN;
  let lastLo = NaN;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    const got = v.hashNumsAt(i, kv);
    if (got === 0) continue;
    if (got < 0) return undefined;
    const hi = kv[0];
    const lo = kv[1];
    let id = -1;
    const host = hostOf(i);
    if (hi === lastHi && lo === lastLo) id = lastId;
    else {
      // the digits are uniformly distributed: the low word's low 32 bits (mod 2^32) are the slot
      let h = (lo % 4294967296) & mask;
      for (;;) {
        const t = table[h];
        if (t < 0) break;
        if (loOf[t] === lo && hiOf[t] === hi) {
          id = t;
          break;
        }
        h = (h + 1) & mask;
      }
      if (id < 0) {
        id = total++;
        table[h] = id;
        hiOf[id] = hi;
        loOf[id] = lo;
        firstRow[id] = i;
        lastHost[id] = host;
      }
    }
    if (lastHost[id] !== host) {
      let set = hostSets.get(id);
      if (set === undefined) hostSets.set(id, (set = new Set([lastHost[id]])));
      set.add(host);
      lastHost[id] = host;
    }
    lastHi = hi;
    lastLo = lo;
    lastId = id;
    entryOf[i] = id;
    count[id]++;
    const r = LEVEL_RANK[v.levelAt(i)] ?? 0;
    if (r > level[id]) level[id] = r;
    const s = v.scoreAt(i);
    if (typeof s === 'number' && s > maxScore[id]) maxScore[id] = s;
  }
  let tied = false; // two hashes ordered by digits past the 25th: the text decides
  const cmpKeys = (a: number, b: number): number => {
    const da = hiOf[a] % DIGITS_UNIT;
    const db = hiOf[b] % DIGITS_UNIT;
    if (da !== db) return da < db ? -1 : 1;
    if (loOf[a] !== loOf[b]) return loOf[a] < loOf[b] ? -1 : 1;
    if (a !== b) tied = true;
    return 0;
  };
  const hosts = new Int32Array(total).fill(1);
  for (const [id, set] of hostSets) hosts[id] = set.size;
  const hostsOf = (id: number): number => hosts[id];
  const ids = new Int32Array(total);
  for (let id = 0; id < total; id++) ids[id] = id;
  const top = topK(ids, HASHES_LIMIT, (a, b) => hosts[b] - hosts[a] || count[b] - count[a] || (maxScore[b] > maxScore[a] ? 1 : maxScore[b] < maxScore[a] ? -1 : 0) || cmpKeys(a, b));
  if (tied) return undefined;
  const slot = new Int32Array(total).fill(-1);
  top.forEach((id, k) => (slot[id] = k));
  const keys: string[] = new Array<string>(top.length);
  const firsts = new Map<number, Hashes | undefined>();
  // Every kept row's hash, read back in row order through small windows (rows far apart); throws when the log changed.
  const rows = collectKept(v, top.length, (i) => (entryOf[i] < 0 ? -1 : slot[entryOf[i]]), ruleKey, (i, k) => {
    const f = v.hashesAt(i, true);
    const h = f?.sha256 || f?.sha1 || f?.md5;
    if (!h) return false;
    const t = h.toLowerCase();
    if (keys[k] === undefined) {
      keys[k] = t;
      firsts.set(i, f);
    }
    return t === keys[k];
  });
  if (rows === undefined) return undefined;
  return { hashes: entries(v, top, (id) => keys[slot[id]], firstRow, count, hostsOf, maxScore, level, rows, firsts), total, unread: 0 };
}

/** {@link tallyHashes} by the hash text of every finding (read back from the logs): the exact tally, for the cases {@link tallyByKey} leaves. */
function tallyByText(v: HashTallyInput, hostOf: (i: number) => number, ruleKey: (r: LokiReason) => string): HashTally {
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
  const keyOf = (id: number): string => keys[id];
  const cmpKeys = (a: number, b: number): number => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0);
  const hostsOf = (id: number): number => hostSets.get(id)?.size ?? 1;
  const all = { [Symbol.iterator]: function* () { for (let id = 0; id < total; id++) yield id; } };
  const top = topK(all, HASHES_LIMIT, (a, b) => hostsOf(b) - hostsOf(a) || count[b] - count[a] || (maxScore[b] > maxScore[a] ? 1 : maxScore[b] < maxScore[a] ? -1 : 0) || cmpKeys(a, b));

  const slot = new Int32Array(total).fill(-1);
  top.forEach((id, k) => (slot[id] = k));
  const rows = collectKept(v, top.length, (i) => (entryOf[i] < 0 ? -1 : slot[entryOf[i]]), ruleKey)!;
  const hashes = entries(v, top, keyOf, firstRow, count, hostsOf, maxScore, level, rows);
  return { hashes, total, unread };
}

/** Paths and rules of the kept hashes' findings (see {@link collectKept}). */
interface KeptRows {
  files: Map<string, Spellings>[];
  fileCount: Map<string, number>[];
  rules: Map<string, number>[];
}

/**
 * Second pass: paths and rules of the kept hashes' findings, in row order. `slotOf(i)`: the kept
 * hash (0 … kept-1) of finding i, -1 when it is not kept. `check(i, k)`, when given, is called for
 * every kept finding; undefined is returned as soon as it returns false or throws.
 */
function collectKept(v: HashTallyInput, kept: number, slotOf: (i: number) => number, ruleKey: (r: LokiReason) => string, check?: (i: number, k: number) => boolean): KeptRows | undefined {
  const files = Array.from({ length: kept }, () => new Map<string, Spellings>()); // path key → spellings (Windows paths ignore case)
  const fileCount = Array.from({ length: kept }, () => new Map<string, number>());
  const rules = Array.from({ length: kept }, () => new Map<string, number>());
  for (let i = 0; i < v.length; i++) {
    const k = slotOf(i);
    if (k < 0) continue;
    if (check !== undefined) {
      try {
        if (!check(i, k)) return undefined;
      } catch {
        return undefined;
      }
    }
    const p = v.pathAt(i);
    if (p !== undefined && p !== '') {
      const pk = pathGroupKey(p);
      let sp = files[k].get(pk);
      if (sp === undefined) files[k].set(pk, (sp = new Spellings()));
      sp.add(p);
      fileCount[k].set(pk, (fileCount[k].get(pk) ?? 0) + 1);
    }
    const seen = new Set<string>(); // a finding counts once per rule, however many of its reasons name it
    for (const r of v.reasonsAt(i)) {
      const rk = ruleKey(r);
      if (seen.has(rk)) continue;
      seen.add(rk);
      rules[k].set(rk, (rules[k].get(rk) ?? 0) + 1);
    }
  }
  return { files, fileCount, rules };
}

/** A finding's hashes (those it has). */
type Hashes = { md5?: string; sha1?: string; sha256?: string };

/**
 * The entries of the kept hashes `top` (hash ids, in order), `keyOf(id)` their text. `read`: the first
 * rows' hashes when already read (else read here, in row order).
 */
function entries(
  v: HashTallyInput, top: number[], keyOf: (id: number) => string, firstRow: Int32Array, count: Int32Array,
  hostsOf: (id: number) => number, maxScore: Float64Array, level: Uint8Array, { files, fileCount, rules }: KeptRows,
  read?: Map<number, Hashes | undefined>,
): LokiHashEntry[] {
  const mostFirst = (m: Map<string, number>, max: number): string[] =>
    topK(m.keys(), max, (a, b) => m.get(b)! - m.get(a)!);
  // The kept hashes' first findings' other hashes, read in row order (a columnar row is read back from
  // its log: in the order of `top`, each read would jump back and forth and reread a window of the file).
  const firsts = read ?? new Map<number, Hashes | undefined>();
  if (read === undefined) {
    for (const row of top.map((id) => firstRow[id]).sort((a, b) => a - b)) {
      try {
        firsts.set(row, v.hashesAt(row, true));
      } catch {
        firsts.set(row, undefined);
      }
    }
  }
  return top.map((id, k): LokiHashEntry => {
    const key = keyOf(id);
    const f = firsts.get(firstRow[id]);
    const low = (h: string | undefined): string | undefined => (h ? h.toLowerCase() : undefined);
    const md5 = low(f?.md5);
    const sha1 = low(f?.sha1);
    const sha256 = low(f?.sha256);
    const type: LokiHashEntry['type'] = key === sha256 ? 'SHA256' : key === sha1 ? 'SHA1' : key === md5 ? 'MD5' : key.length === 64 ? 'SHA256' : key.length === 40 ? 'SHA1' : 'MD5';
    const fc = fileCount[k];
    return {
      hash: key,
      type,
      ...(md5 !== undefined && type !== 'MD5' ? { md5 } : {}),
      ...(sha1 !== undefined && type !== 'SHA1' ? { sha1 } : {}),
      ...(sha256 !== undefined && type !== 'SHA256' ? { sha256 } : {}),
      count: count[id],
      hosts: hostsOf(id),
      maxScore: maxScore[id] === -Infinity ? null : maxScore[id],
      maxLevel: RANK_LEVEL[level[id]],
      pathCount: fc.size,
      paths: mostFirst(fc, HASH_PATHS_SHOWN).map((pk) => files[k].get(pk)!.shown),
      ruleCount: rules[k].size,
      rules: mostFirst(rules[k], HASH_RULES_SHOWN),
    };
  });
}
