/**
 * The hash view of a Loki analysis (IOC pivot): findings grouped by file hash across hosts — which
 * hosts hold this file, under which paths, with which score, level and rules. OWNER: analytics helper.
 *
 * Computed in the analysis step from the kept findings (`FindingColumns.hashKeyAt`: a columnar row's
 * hash is read back from its log, in row order), never per line in the parser. Two passes: the first
 * counts every hash (findings, hosts, highest score and level); the second collects paths and rules
 * for the {@link HASHES_LIMIT} hashes kept only, so a fleet whose every finding has a hash of its own
 * keeps no path list or rule set per hash.
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
  hashesAt(i: number): { md5?: string; sha1?: string; sha256?: string } | undefined;
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
 * Keys are strings in a Map: a columnar row's hash is one native slice of the reader's window, and
 * V8 hashes it natively (a JavaScript hex decoder into typed arrays was slower: the analysis runs
 * once per process, before such loops are optimised).
 */
export function tallyHashes(v: HashTallyInput, hostOf: (i: number) => number, ruleKey: (r: LokiReason) => string): { hashes: LokiHashEntry[]; total: number; unread: number } {
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

  // Second pass: paths and rules of the kept hashes only.
  const slot = new Int32Array(total).fill(-1);
  top.forEach((id, k) => (slot[id] = k));
  const files = top.map(() => new Map<string, Spellings>()); // path key → spellings (Windows paths ignore case)
  const fileCount = top.map(() => new Map<string, number>());
  const rules = top.map(() => new Map<string, number>());
  for (let i = 0; i < n; i++) {
    const id = entryOf[i];
    if (id < 0) continue;
    const k = slot[id];
    if (k < 0) continue;
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
  const mostFirst = (m: Map<string, number>, max: number): string[] =>
    topK(m.keys(), max, (a, b) => m.get(b)! - m.get(a)!);

  // The kept hashes' first findings' other hashes, read in row order (a columnar row is read back from
  // its log: in the order of `top`, each read would jump back and forth and reread a window of the file).
  const firsts = new Map<number, { md5?: string; sha1?: string; sha256?: string } | undefined>();
  for (const row of top.map((id) => firstRow[id]).sort((a, b) => a - b)) {
    try {
      firsts.set(row, v.hashesAt(row));
    } catch {
      firsts.set(row, undefined);
    }
  }
  const hashes = top.map((id, k): LokiHashEntry => {
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
  return { hashes, total, unread };
}
