/**
 * Fetches QRadar offenses for a time window into workspace files that the QRadar parser
 * (src/core/parse/qradar.ts) reads back, with a manifest that makes the fetch reproducible,
 * partial fetches that keep every page received, and resume. Pure Node; no vscode.
 *
 * Files, for an offenses file `<dir>/<stem>.json` (qradar.md §5.3 shapes):
 * - `<stem>.json` — the offenses exactly as `GET /api/siem/offenses` returned them. While the fetch is
 *   partial it is NDJSON (one offense per line, appended page by page, so a cancel or a lost
 *   connection keeps every page received); on completion it is rewritten as one JSON array (§5.3 shape 1).
 *   A new fetch whose first request got no page (connection refused, host not found, TLS, 401, cancelled before the
 *   first answer) keeps nothing: its offenses file and manifest are removed, and the folder too when this fetch created
 *   it and it is empty ({@link FetchResult.discarded}) — resuming it would only send the same first request again, and
 *   a kept `[]` + partial manifest is one more "failed fetch" problem for every later analysis of the folder. A
 *   partial fetch that got a page but holds no offense (a lookup failed after an empty listing; a resume of an older
 *   version's empty fetch) is written as an empty JSON array `[]` (a 0-byte `.json` file is not JSON), layout
 *   `json-array`; resume starts it again.
 * - `<stem>.manifest.json` — {@link FetchManifest}: console, query (filter, fields, sort, window),
 *   time of fetch, counts, status `partial` | `complete`, runs, warnings. Never the token.
 * - `<stem>.closing-reasons.json`, `<stem>.offense-types.json`, `<stem>.rules.json` — lookups as the
 *   API returned them (§3), read by the parser to name reasons, types and rules.
 * - `<stem>.source-addresses.json`, `<stem>.local-destination-addresses.json` — the addresses the
 *   offenses reference (`source_address_ids`, `local_destination_address_ids`, §1 and §3).
 *
 * Paging (§2, §1 `id`: "integrations use it as a fetch cursor (`id > N`, `sort=+id`)"): keyset, not
 * offsets. Every request asks for `Range: items=0-<pageSize-1>` of the filter plus `id > <largest id
 * received so far>`, sorted `sort=+id` (sent as `%2Bid`); `Content-Range`'s total is then what is left
 * after the cursor. An offense that leaves the filter while the fetch runs (closed during a
 * `status=OPEN` fetch, deleted) would shift every later offset and lose an offense; with the cursor
 * nothing shifts. Resume continues a partial fetch the same way from the largest id in the file.
 * Ids are also de-duplicated on write (a number or a string of digits); offenses without a usable id
 * (null, missing, fractional) are kept, counted, and named in a warning.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { readSmallTextFile } from '../fs-read';
import { parseJsonLimited } from '../json-depth';
import { createInterface } from 'node:readline';
import type { QRadarClient } from './client';
import { cancelledError, cleanText, QRadarApiError } from './errors';
import { lookupByIds, objectsOfPage, pages } from './paging';

/** Offense statuses (§1). */
export type OffenseStatus = 'OPEN' | 'HIDDEN' | 'CLOSED';
/** Offense time fields the window can apply to (epoch ms, §1). */
export type OffenseTimeField = 'start_time' | 'last_updated_time' | 'last_persisted_time' | 'close_time';

/**
 * Offense fields requested by default (`fields=`, §2: "Use it"): everything the QRadar dashboard
 * reads plus the address ids for the lookups. Sub-fields in parentheses (§2 `fields`).
 */
export const OFFENSE_FIELDS: readonly string[] = [
  'id',
  'description',
  'status',
  'offense_type',
  'offense_source',
  'magnitude',
  'severity',
  'credibility',
  'relevance',
  'event_count',
  'flow_count',
  'assigned_to',
  'closing_user',
  'closing_reason_id',
  'start_time',
  'last_updated_time',
  'close_time',
  'first_persisted_time',
  'last_persisted_time',
  'categories',
  'source_network',
  'destination_networks',
  'rules(id,type)',
  'log_sources(id,name,type_id,type_name)',
  'follow_up',
  'protected',
  'inactive',
  'domain_id',
  'source_count',
  'local_destination_count',
  'remote_destination_count',
  'username_count',
  'device_count',
  'source_address_ids',
  'local_destination_address_ids',
];

/** What to fetch. */
export interface OffenseQuery {
  /** Window start, epoch ms UTC, inclusive. */
  fromMs: number;
  /** Window end, epoch ms UTC, exclusive. */
  toMs: number;
  /** Field the window applies to (default `start_time`). */
  timeField?: OffenseTimeField;
  /** Only these statuses (empty/undefined: all). */
  statuses?: OffenseStatus[];
  /** `fields=` list (default {@link OFFENSE_FIELDS}); empty array → every field. */
  fields?: readonly string[];
  /** Items per page (default 500; §8 recommends 200–500, Splunk SOAR uses 1000). */
  pageSize?: number;
}

/** Contents of `<stem>.manifest.json`. */
export interface FetchManifest {
  format: 'soc-analytics/qradar-offenses-fetch';
  version: 1;
  status: 'partial' | 'complete';
  /** Console origin, e.g. `https://qradar.corp.example`. */
  console: string;
  apiVersion?: string;
  query: {
    from: string;
    to: string;
    fromMs: number;
    toMs: number;
    timeField: OffenseTimeField;
    statuses: OffenseStatus[];
    /** The `filter` sent (§2 filter language). */
    filter: string;
    fields: string[];
    sort: string;
    pageSize: number;
  };
  /** ISO 8601 UTC times. */
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
  offenses: {
    file: string;
    /** `ndjson` while partial, `json-array` when complete. */
    layout: 'ndjson' | 'json-array';
    /** Offenses in the file: distinct ids plus those kept without a usable id. */
    fetched: number;
    /** Offenses expected in all: those in the file plus what the latest `Content-Range` total said was left after the cursor. */
    reportedTotal?: number;
    lastId?: number;
    duplicatesDropped: number;
  };
  lookups: Partial<Record<LookupName, { file: string; count: number; requested?: number; requests: number }>>;
  runs: { startedAt: string; endedAt?: string; outcome: 'running' | 'complete' | 'cancelled' | 'error'; fetched: number; message?: string; resumedAfterId?: number }[];
  /** Why the fetch is partial (cancel, error message). */
  partialReason?: string;
  warnings: string[];
}

export type LookupName = 'closingReasons' | 'offenseTypes' | 'rules' | 'sourceAddresses' | 'localDestinationAddresses';

/** Sidecar file suffixes per lookup. */
export const LOOKUP_SUFFIX: Record<LookupName | 'manifest', string> = {
  manifest: '.manifest.json',
  closingReasons: '.closing-reasons.json',
  offenseTypes: '.offense-types.json',
  rules: '.rules.json',
  sourceAddresses: '.source-addresses.json',
  localDestinationAddresses: '.local-destination-addresses.json',
};

/** The files of a fetch whose offenses file is `offensesFile`. */
export function fetchFiles(offensesFile: string): Record<LookupName | 'manifest' | 'offenses', string> {
  const stem = offensesFile.replace(/\.(json|ndjson|jsonl)$/i, '');
  const out = { offenses: offensesFile } as Record<LookupName | 'manifest' | 'offenses', string>;
  for (const [k, s] of Object.entries(LOOKUP_SUFFIX)) out[k as LookupName] = stem + s;
  return out;
}

/** Progress of a fetch: `n of total` offenses, then the lookups. */
export interface FetchProgress {
  phase: 'offenses' | 'lookups' | 'writing';
  /** Offenses in the file so far (all runs). */
  fetched: number;
  /** Expected total (offenses in the file + those the latest `Content-Range` said were left), if known. */
  total?: number;
  /** Lookup being fetched. */
  lookup?: LookupName;
}

export interface FetchOptions {
  signal?: AbortSignal;
  onProgress?: (p: FetchProgress) => void;
  /** Clock (tests). */
  now?: () => number;
  /** `Version` header in use, recorded in the manifest. */
  apiVersion?: string;
  /** Batch size of id lookups (default 100, §3). */
  batchSize?: number;
  /**
   * Most offenses the offenses file may hold (all runs); default {@link DEFAULT_MAX_OFFENSES}. A console that keeps
   * answering with new offenses (a wrong filter, a faulty or hostile server) stops there — a `limit` error, the fetch
   * left partial (resumable with a larger limit) — instead of filling the disk.
   */
  maxOffenses?: number;
  /**
   * A new fetch replaces an offenses file (and lookup files) at its names that no fetch wrote — no manifest beside them
   * (the CLI's `--force`). Without it such files are left as they are and the fetch is refused
   * ({@link FetchWouldReplaceError}) before any request. A previous fetch's files (a manifest beside them) are never
   * replaced by a new fetch either way: that fetch is resumed, or another file chosen.
   */
  replaceOtherFiles?: boolean;
}

/**
 * Default bound of {@link FetchOptions.maxOffenses}: 2,000,000 offenses (~2 GB of NDJSON with the default fields) —
 * four times the issue's "a year of offenses" (500,000); a console with more in one window is fetched in narrower
 * windows, or with a larger `--max-offenses` / `socAnalytics.qradar.maxOffenses`.
 */
export const DEFAULT_MAX_OFFENSES = 2_000_000;

export interface FetchResult {
  manifest: FetchManifest;
  files: Record<LookupName | 'manifest' | 'offenses', string>;
  /** True when the fetch completed (else partial: cancelled or failed; see `error`). */
  complete: boolean;
  /** The error that stopped the fetch (cancelled → kind `cancelled`). */
  error?: QRadarApiError;
  /**
   * A new fetch that stopped before its first request got a page: nothing was fetched, so nothing was kept — the
   * offenses file and the manifest were removed (and the folder, when this fetch created it and it is empty). There
   * is nothing to resume: run the fetch again once the cause (`error`) is fixed.
   */
  discarded?: boolean;
  /** With `discarded`: the existing file that `replaceOtherFiles` was to replace is still there, unchanged. */
  kept?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The `filter` for a query (§2 filter language; times in epoch **ms**, demisto/content#29855):
 * `<field> >= <from> and <field> < <to>` plus `and (status=OPEN or status=HIDDEN)` (only `=`, `!=`
 * and `in` are safe on `status`, §1). `afterId` adds `and id > N` (resume).
 * @throws RangeError when the window is empty or not finite.
 */
export function offenseFilter(q: OffenseQuery, afterId?: number): string {
  if (!Number.isFinite(q.fromMs) || !Number.isFinite(q.toMs) || q.toMs <= q.fromMs) throw new RangeError('The time window is empty: "to" must be after "from"');
  const f = q.timeField ?? 'start_time';
  const parts = [`${f} >= ${Math.floor(q.fromMs)}`, `${f} < ${Math.floor(q.toMs)}`];
  const st = [...new Set(q.statuses ?? [])];
  if (st.length > 0 && st.length < 3) parts.push(st.length === 1 ? `status=${st[0]}` : `(${st.map((s) => `status=${s}`).join(' or ')})`);
  if (afterId !== undefined) parts.push(`id > ${afterId}`);
  return parts.join(' and ');
}

/** A folder-friendly name for a fetch: `offenses_20260302T0000Z_20260309T0000Z_fetched-20260310T101500Z`. */
export function fetchStem(q: Pick<OffenseQuery, 'fromMs' | 'toMs'>, fetchedAtMs: number): string {
  const c = (ms: number, sec: boolean) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, sec ? 15 : 13) + 'Z';
  return `offenses_${c(q.fromMs, false)}_${c(q.toMs, false)}_fetched-${c(fetchedAtMs, true)}`;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await fsp.writeFile(tmp, text, 'utf8');
  await fsp.rename(tmp, file);
}

/**
 * Reads a manifest. Returns undefined when the file is missing or not a fetch manifest.
 */
export async function readManifest(file: string): Promise<FetchManifest | undefined> {
  // a regular file of a manifest's size only (a FIFO or a device planted under the name hung or filled the memory)
  const text = await readSmallTextFile(file, MANIFEST_MAX_BYTES);
  if (text === undefined) return undefined;
  try {
    const j = parseJsonLimited(text);
    return isManifest(j) ? j : undefined;
  } catch {
    return undefined;
  }
}

/** Largest manifest read (a real one is a few KB). */
const MANIFEST_MAX_BYTES = 1 << 20;

/** The shape the readers of a manifest rely on (a hand-made `{"status":"partial"}` made the analysis throw). */
function isManifest(j: unknown): j is FetchManifest {
  if (typeof j !== 'object' || j === null) return false;
  const m = j as Record<string, unknown>;
  const o = m.offenses as Record<string, unknown> | null | undefined;
  return (
    m.format === 'soc-analytics/qradar-offenses-fetch' &&
    m.version === 1 &&
    typeof m.status === 'string' &&
    typeof m.console === 'string' &&
    (m.partialReason === undefined || typeof m.partialReason === 'string') &&
    typeof o === 'object' && o !== null &&
    typeof o.file === 'string' &&
    typeof o.fetched === 'number' && Number.isFinite(o.fetched) &&
    (o.reportedTotal === undefined || typeof o.reportedTotal === 'number')
  );
}

/** What the offenses file holds (read line by line; a torn last line is cut off). */
interface FileState {
  ids: Set<number>;
  lastId?: number;
  /** Offenses kept without a usable id (null, missing, not an integer). */
  noId: number;
  lines: number;
  badLines: number;
  offenseTypes: Set<number>;
  rules: Set<number>;
  sourceAddresses: Set<number>;
  localDestinationAddresses: Set<number>;
}

function newState(): FileState {
  return { ids: new Set(), noId: 0, lines: 0, badLines: 0, offenseTypes: new Set(), rules: new Set(), sourceAddresses: new Set(), localDestinationAddresses: new Set() };
}

/** An offense's id as an integer: a number, or a string of digits (§5.3: numbers may come as strings); else undefined. */
export function offenseId(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Offenses in the file: distinct ids plus those kept without one. */
const offenseCount = (state: FileState) => state.ids.size + state.noId;

function note(state: FileState, o: Record<string, unknown>): void {
  const id = offenseId(o.id);
  if (id !== undefined) {
    state.ids.add(id);
    if (state.lastId === undefined || id > state.lastId) state.lastId = id;
  } else state.noId++;
  if (typeof o.offense_type === 'number') state.offenseTypes.add(o.offense_type);
  const ints = (v: unknown, into: Set<number>) => {
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'number' && Number.isSafeInteger(x)) into.add(x);
  };
  ints(o.source_address_ids, state.sourceAddresses);
  ints(o.local_destination_address_ids, state.localDestinationAddresses);
  if (Array.isArray(o.rules)) for (const r of o.rules) if (r && typeof (r as { id?: unknown }).id === 'number') state.rules.add((r as { id: number }).id);
}

/**
 * Scans an NDJSON offenses file. A last line without its newline (a write cut short) is removed
 * from the file when it does not parse; other bad lines are counted and kept.
 */
async function scanNdjson(file: string): Promise<FileState> {
  const state = newState();
  let text: string;
  try {
    const st = await fsp.stat(file);
    if (st.size === 0) return state;
  } catch {
    return state;
  }
  // Cut a torn tail first.
  const fh = await fsp.open(file, 'r+');
  try {
    const st = await fh.stat();
    const tailLen = Math.min(st.size, 1 << 20);
    const buf = Buffer.alloc(tailLen);
    await fh.read(buf, 0, tailLen, st.size - tailLen);
    text = buf.toString('utf8');
    if (!text.endsWith('\n')) {
      const nl = buf.lastIndexOf(0x0a);
      const lastLine = buf.subarray(nl + 1).toString('utf8');
      let ok = false;
      try {
        JSON.parse(lastLine);
        ok = true;
      } catch {
        ok = false;
      }
      if (ok) await fh.write('\n', st.size);
      else await fh.truncate(nl < 0 ? st.size - tailLen : st.size - tailLen + nl + 1);
    }
  } finally {
    await fh.close();
  }
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    state.lines++;
    try {
      const o = parseJsonLimited(line) as Record<string, unknown>;
      if (o && typeof o === 'object') note(state, o);
      else state.badLines++;
    } catch {
      state.badLines++;
    }
  }
  return state;
}

/** Rewrites the NDJSON offenses file as one JSON array (one offense per line), atomically. */
async function ndjsonToArray(file: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const out = await fsp.open(tmp, 'w');
  try {
    await out.write('[');
    let first = true;
    const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let chunk: string[] = [];
    for await (const line of rl) {
      const t = line.trim();
      if (!t) continue;
      chunk.push(`${first ? '\n' : ',\n'}${t}`);
      first = false;
      if (chunk.length >= 1000) {
        await out.write(chunk.join(''));
        chunk = [];
      }
    }
    chunk.push(first ? ']\n' : '\n]\n');
    await out.write(chunk.join(''));
  } finally {
    await out.close();
  }
  await fsp.rename(tmp, file);
}

/** True when the file holds an empty JSON array `[]` only (white space around it allowed). */
async function isEmptyArrayFile(file: string): Promise<boolean> {
  const st = await fsp.stat(file).catch(() => undefined);
  if (!st || st.size > 64) return false;
  return /^\s*\[\s*\]\s*$/.test(await fsp.readFile(file, 'utf8'));
}

/** True when the offenses file is (still) NDJSON, i.e. a partial fetch; false for a completed JSON array. */
async function isNdjsonLayout(file: string): Promise<boolean> {
  try {
    const fh = await fsp.open(file, 'r');
    try {
      const b = Buffer.alloc(64);
      const { bytesRead } = await fh.read(b, 0, 64, 0);
      return !/^\s*\[/.test(b.subarray(0, bytesRead).toString('utf8'));
    } finally {
      await fh.close();
    }
  } catch {
    return true;
  }
}

/**
 * Fetches offenses into `offensesFile` and its sidecars (see the module doc).
 *
 * - New fetch: `query` is required; an existing manifest for `offensesFile` is an error (no silent overwrite).
 * - Resume (`resume: true`): continues the partial fetch described by `<stem>.manifest.json` (same
 *   console required — the token is bound to it), appends offenses with `id >` the largest id in
 *   the file, then fetches the lookups again for every offense in the file.
 *
 * Never throws for API/network failures or cancellation: the result says `complete: false` with
 * the `error` (the files then hold everything fetched, the manifest has `status: "partial"`).
 * While it runs, `<offensesFile>.lock` (host, process id, start time) keeps a second fetch or resume
 * of the same file out — two runs would append to one file and race on its manifest — in this or
 * another process (VS Code windows, the CLI). A lock left by a process of this host that is gone is
 * taken over.
 * @throws Error for file-system failures, a manifest of another console, resuming a complete fetch,
 * or a fetch of the same file that is running (`A fetch into … is running`).
 */
export async function fetchOffenses(
  client: QRadarClient,
  offensesFile: string,
  spec: { query: OffenseQuery; resume?: false } | { resume: true },
  opts: FetchOptions = {},
): Promise<FetchResult> {
  const dir = path.dirname(offensesFile);
  // the first folder this fetch created (undefined when the folder was there): removed again when nothing is kept
  const made = await fsp.mkdir(dir, { recursive: true });
  const release = await takeFetchLock(offensesFile);
  let result: FetchResult;
  try {
    result = await fetchOffensesLocked(client, offensesFile, spec, opts);
  } finally {
    await release();
  }
  if (result.discarded && made !== undefined) {
    // the folders this fetch made, innermost first, while empty (rmdir refuses a folder with anything in it)
    for (let d = dir; ; d = path.dirname(d)) {
      if (!(await fsp.rmdir(d).then(() => true, () => false)) || d === made || path.dirname(d) === d) break;
    }
  }
  return result;
}

/** The lock file of a fetch into `offensesFile` (see {@link fetchOffenses}). */
export function fetchLockFile(offensesFile: string): string {
  return `${offensesFile}.lock`;
}

/**
 * Creates the lock file of `offensesFile` exclusively and returns its release. An existing lock of a
 * process of this host that no longer runs (or an unreadable one older than a day) is replaced.
 * @throws Error `A fetch into <file> is running (…)` when another run holds it.
 */
async function takeFetchLock(offensesFile: string): Promise<() => Promise<void>> {
  const lock = fetchLockFile(offensesFile);
  // `run` tells this run's lock from a later one of the same process (a lock taken over meanwhile)
  const me = { host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), run: randomUUID() };
  const mine = JSON.stringify(me) + '\n';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(lock, mine, { flag: 'wx' });
      return async () => {
        // only our own lock: after a stale takeover (this run was thought gone) the file is another run's
        if ((await readLockText(lock)) === mine) await fsp.rm(lock, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const st = await fsp.stat(lock).catch(() => undefined);
    if (st?.isDirectory()) throw new Error(`The fetch lock ${lock} is a folder, not a lock file: remove it to fetch into ${path.basename(offensesFile)}`);
    let held: { host?: unknown; pid?: unknown; startedAt?: unknown } = {};
    let heldText: string | undefined;
    try {
      heldText = await readLockText(lock);
      if (heldText !== undefined) held = JSON.parse(heldText);
    } catch {
      // unreadable (a write cut short): stale once it is old
    }
    const old = st !== undefined && Date.now() - st.mtimeMs > 24 * 3600_000;
    const gone = held.host === me.host && typeof held.pid === 'number' && !processRuns(held.pid);
    if (attempt === 0 && (gone || (old && typeof held.pid !== 'number'))) {
      // still the stale lock read above (not one another run took over meanwhile)
      if ((await readLockText(lock)) === heldText && (await fsp.stat(lock).catch(() => undefined))?.isFile()) await fsp.rm(lock, { force: true });
      continue;
    }
    const who = typeof held.pid === 'number' ? `process ${held.pid}${typeof held.host === 'string' && held.host !== me.host ? ` on ${cleanText(held.host)}` : ''}${typeof held.startedAt === 'string' ? ` since ${cleanText(held.startedAt)}` : ''}` : 'another run';
    throw new Error(`A fetch into ${path.basename(offensesFile)} is running (${who}); wait for it or cancel it (a lock left behind by a crash is ${lock})`);
  }
  throw new Error(`Could not take the fetch lock ${lock}`);
}

/** The text of a lock file: undefined when it is none (missing, not a regular file — a FIFO would hang the read —, over 4 KB). */
function readLockText(lock: string): Promise<string | undefined> {
  return readSmallTextFile(lock, 4096);
}

/**
 * A fetch or resume refused before any request because what was asked does not match the fetch on disk: a resume
 * with no manifest to resume, of a complete fetch or of another console's fetch, or a new fetch into a file that
 * already has one. A usage error (the CLI exits 2), not a failure; a held lock or a damaged partial file is not one.
 */
export class FetchRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchRefusedError';
  }
}

/**
 * A new fetch refused because files are at its names that no fetch wrote (no manifest beside them: a file the user
 * made, or another tool's): they would have been emptied before the first request. `files`: those there (the offenses
 * file first, then the lookup files). A {@link FetchRefusedError} (the CLI exits 2); nothing was written.
 */
export class FetchWouldReplaceError extends FetchRefusedError {
  constructor(
    readonly files: string[],
    readonly manifest: string,
  ) {
    super(`${files.join(', ')} ${files.length === 1 ? 'exists' : 'exist'} and no fetch wrote ${files.length === 1 ? 'it' : 'them'} (no fetch manifest ${manifest} beside ${files.length === 1 ? 'it' : 'them'}): not replaced`);
    this.name = 'FetchWouldReplaceError';
  }
}

/** The fetch files at `files`' names (offenses, lookups; not the manifest) that exist (anything: a file, folder, link). */
async function existingFetchFiles(files: Record<LookupName | 'manifest' | 'offenses', string>): Promise<string[]> {
  const names = [files.offenses, ...Object.entries(files).filter(([k]) => k !== 'offenses' && k !== 'manifest').map(([, f]) => f)];
  const there = await Promise.all(
    names.map((f) =>
      fsp.lstat(f).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return false;
          throw e;
        },
      ),
    ),
  );
  return names.filter((_, i) => there[i]);
}

/** True when a process with this id runs on this host (signal 0 checks without sending anything). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // runs, owned by someone else
  }
}

async function fetchOffensesLocked(
  client: QRadarClient,
  offensesFile: string,
  spec: { query: OffenseQuery; resume?: false } | { resume: true },
  opts: FetchOptions,
): Promise<FetchResult> {
  const now = opts.now ?? Date.now;
  const files = fetchFiles(offensesFile);
  await fsp.mkdir(path.dirname(offensesFile), { recursive: true });
  let manifest: FetchManifest;
  let state: FileState;
  /**
   * `replaceOtherFiles`: the offenses file this fetch replaces, moved aside until the fetch has written something; put
   * back when it gets no page (a failed fetch must not lose the file it was asked to replace).
   */
  let replaced: string | undefined;
  let afterId: number | undefined;
  if (spec.resume) {
    const m = await readManifest(files.manifest);
    if (!m) {
      // a manifest there that is not one (cut short, edited, a folder or FIFO) is a damaged fetch (exit 1), not "nothing
      // to resume" (exit 2): a new fetch into the same file is refused too, since the manifest is there
      const there = await fsp.lstat(files.manifest).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
      if (there) throw new Error(`The fetch manifest at ${files.manifest} is damaged (not a readable fetch manifest): this fetch cannot be resumed; move the manifest and the offenses file away to start a new fetch`);
      throw new FetchRefusedError(`No fetch manifest at ${files.manifest}: nothing to resume`);
    }
    if (m.status === 'complete') throw new FetchRefusedError('This fetch is already complete; start a new fetch instead');
    if (m.console !== client.origin) throw new FetchRefusedError(`This fetch came from ${m.console}, not from the configured console ${client.origin}`);
    manifest = m;
    // a partial fetch that got no offense is the empty array `[]`: appending starts from an empty file again
    if (m.offenses.fetched === 0 && (await isEmptyArrayFile(offensesFile))) await fsp.writeFile(offensesFile, '', 'utf8');
    if (!(await isNdjsonLayout(offensesFile))) throw new Error(`${path.basename(offensesFile)} is not a partial (NDJSON) offenses file`);
    state = await scanNdjson(offensesFile);
    afterId = state.lastId;
    const f = manifest.query.fields;
    if (f.length > 0 && !f.includes('id')) {
      // A fetch started by an older version with a field list without `id`: its offenses carry no id, so the
      // cursor cannot continue after them and they cannot be told from the ones asked again.
      if (state.ids.size === 0 && state.lines > 0) {
        throw new Error(
          `${path.basename(offensesFile)} was fetched with fields that leave out id, so its offenses carry no offense id: it cannot be resumed without duplicates; start a new fetch`,
        );
      }
      manifest.query.fields = ['id', ...f];
    }
  } else {
    try {
      await fsp.access(files.manifest);
      throw new FetchRefusedError(`A fetch already exists at ${files.manifest}; resume it or choose another file`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // no manifest: files at these names are no fetch's, and writing the new fetch would empty them before the first
    // request (an --out naming the user's own export was lost); replaced only when asked
    if (!opts.replaceOtherFiles) {
      const there = await existingFetchFiles(files);
      if (there.length) throw new FetchWouldReplaceError(there, files.manifest);
    } else if ((await fsp.lstat(offensesFile).catch(() => undefined))?.isFile()) {
      replaced = `${offensesFile}.replaced-${process.pid}-${Date.now()}`;
      await fsp.rename(offensesFile, replaced);
    }
    const q = spec.query;
    const fields = q.fields ? [...q.fields] : [...OFFENSE_FIELDS];
    // the cursor and the de-duplication need the id
    if (fields.length > 0 && !fields.includes('id')) fields.unshift('id');
    const t = iso(now());
    manifest = {
      format: 'soc-analytics/qradar-offenses-fetch',
      version: 1,
      status: 'partial',
      console: client.origin,
      ...(opts.apiVersion ? { apiVersion: opts.apiVersion } : {}),
      query: {
        from: iso(q.fromMs),
        to: iso(q.toMs),
        fromMs: q.fromMs,
        toMs: q.toMs,
        timeField: q.timeField ?? 'start_time',
        statuses: [...new Set(q.statuses ?? [])],
        filter: offenseFilter(q),
        fields,
        sort: '+id',
        pageSize: Math.max(1, Math.floor(q.pageSize ?? 500)),
      },
      startedAt: t,
      updatedAt: t,
      offenses: { file: path.basename(offensesFile), layout: 'ndjson', fetched: 0, duplicatesDropped: 0 },
      lookups: {},
      runs: [],
      warnings: [],
    };
    await fsp.writeFile(offensesFile, '', 'utf8');
    state = newState();
  }
  const q = manifest.query;
  const query: OffenseQuery = { fromMs: q.fromMs, toMs: q.toMs, timeField: q.timeField, statuses: q.statuses, fields: q.fields, pageSize: q.pageSize };
  const run: FetchManifest['runs'][number] = { startedAt: iso(now()), outcome: 'running', fetched: 0, ...(afterId !== undefined ? { resumedAfterId: afterId } : {}) };
  manifest.runs.push(run);
  manifest.offenses.fetched = offenseCount(state);
  manifest.offenses.layout = 'ndjson';
  manifest.status = 'partial';
  delete manifest.completedAt;
  const save = async () => {
    manifest.updatedAt = iso(now());
    manifest.offenses.lastId = state.lastId;
    await writeAtomic(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  };
  await save();

  const before = offenseCount(state);
  /** The console answered an offenses page (2xx) in this run. */
  let answered = false;
  let error: QRadarApiError | undefined;
  let lastSave = now();
  const fh = await fsp.open(offensesFile, 'a');
  try {
    const fieldsParam = q.fields.length ? q.fields.join(',') : undefined;
    const size = Math.max(1, Math.floor(q.pageSize));
    opts.onProgress?.({ phase: 'offenses', fetched: offenseCount(state) });
    let cursor = afterId;
    let emptyAgain = false;
    const max = Math.max(1, Math.floor(opts.maxOffenses ?? DEFAULT_MAX_OFFENSES));
    let left: number | undefined;
    for (let page = 1; ; page++) {
      // the last page before the bound asks only for what fits under it
      const ask = Math.min(size, max - offenseCount(state));
      if (ask <= 0) {
        const held = offenseCount(state).toLocaleString('en-US');
        const bound = `the most one fetch keeps (--max-offenses / socAnalytics.qradar.maxOffenses, ${max.toLocaleString('en-US')})`;
        throw new QRadarApiError(
          page === 1
            ? `the file already holds ${held} offenses, ${bound}; raise the limit to resume`
            : `stopped at ${held} offenses, ${bound}, while QRadar had more${left !== undefined ? ` (it counted ${left.toLocaleString('en-US')} left)` : ''}; fetch a narrower time range, or raise the limit and resume`,
          'limit',
        );
      }
      const r = await client.json<unknown>('GET', 'siem/offenses', {
        query: { fields: fieldsParam, filter: offenseFilter(query, cursor), sort: q.sort },
        range: [0, ask - 1],
        signal: opts.signal,
      });
      answered = true;
      if (!Array.isArray(r.data)) throw new QRadarApiError(`QRadar answered siem/offenses with ${r.data === null ? 'null' : typeof r.data}, not a JSON array`, 'protocol');
      const items = r.data as unknown[];
      /** Offenses left after the cursor when the page was asked for (Content-Range total). */
      const leftBefore = r.contentRange?.total;
      const rawRange = r.headers['content-range'];
      if (typeof rawRange === 'string' && r.contentRange === undefined) {
        // not `items first-last/total` (§2): the total is unknown; paging goes on by offense id, so nothing is lost
        // (the header is the console's text: a console may echo the SEC token, redacted as in every message)
        const w = `Content-Range "${cleanText(client.redact(rawRange), 80)}" is not "items first-last/total": the number of offenses left is unknown; paging goes on by offense id`;
        if (!manifest.warnings.includes(w)) manifest.warnings.push(w);
      }
      const n = items.length;
      const lines: string[] = [];
      let top = cursor;
      let unsorted: [number, number] | undefined;
      let prev: number | undefined;
      // items that are not offense objects (a number, null, a list): one warning for the page, left out, the rest kept
      const { objects, warning } = objectsOfPage<Record<string, unknown>>(items, `offenses page ${page}${cursor !== undefined ? ` (after id ${cursor})` : ''}`);
      if (warning) manifest.warnings.push(warning);
      for (const rec of objects) {
        const id = offenseId(rec.id);
        if (id !== undefined) {
          if (prev !== undefined && id < prev && !unsorted) unsorted = [prev, id];
          prev = id;
          if (top === undefined || id > top) top = id;
          if (state.ids.has(id)) {
            manifest.offenses.duplicatesDropped++;
            continue;
          }
        }
        note(state, rec);
        lines.push(JSON.stringify(rec));
      }
      if (lines.length) await fh.write(`${lines.join('\n')}\n`);
      const count = offenseCount(state);
      run.fetched = count - before;
      manifest.offenses.fetched = count;
      left = leftBefore === undefined ? undefined : Math.max(0, leftBefore - n);
      if (left !== undefined) manifest.offenses.reportedTotal = count + left;
      opts.onProgress?.({ phase: 'offenses', fetched: count, total: manifest.offenses.reportedTotal === undefined ? undefined : Math.max(manifest.offenses.reportedTotal, count) });
      if (now() - lastSave > 1000) {
        lastSave = now();
        await save();
      }
      if (n === 0) {
        // An empty page while the console still counts offenses after the cursor: a hiccup or an
        // overstated total. Asked once more; a second empty page ends the listing (the counts
        // then differ and a warning says so).
        if (leftBefore !== undefined && leftBefore > 0 && !emptyAgain) {
          emptyAgain = true;
          continue;
        }
        break;
      }
      emptyAgain = false;
      // A full page (or one larger than asked) may be followed by more even when the total says
      // otherwise (an understated total); a short one ends the listing unless the total says more
      // are left (the console's own page cap).
      const more = n >= ask || (leftBefore !== undefined && n < leftBefore);
      if (!more) break;
      // at the bound, a console that counts nothing left is taken at its word (ends as complete, not at the limit)
      if (count >= max && left === 0) break;
      if (unsorted) {
        throw new QRadarApiError(
          `QRadar did not return the offenses sorted by id (sort=+id): id ${unsorted[1]} came after ${unsorted[0]}; paging on by id could miss offenses, so the fetch stops here`,
          'protocol',
        );
      }
      if (top === undefined || top === cursor) {
        manifest.warnings.push(
          `QRadar answered the request for ${cursor === undefined ? 'offenses' : `offenses after id ${cursor}`} with no offense ${cursor === undefined ? 'that has an id' : 'above it'}; the listing ends there (the id filter or Range seems to be ignored)`,
        );
        break;
      }
      cursor = top;
    }
    await fh.sync().catch(() => undefined);
  } catch (e) {
    error = e instanceof QRadarApiError ? e : new QRadarApiError((e as Error).message, 'protocol');
  } finally {
    await fh.close();
  }
  if (!error && opts.signal?.aborted) error = cancelledError();
  const reported = manifest.offenses.reportedTotal;
  const received = offenseCount(state);
  if (!error && reported !== undefined && reported !== received) {
    manifest.warnings.push(`QRadar reported ${reported} offense${reported === 1 ? '' : 's'} (Content-Range total) but ${received === 1 ? '1 distinct offense was' : `${received} distinct offenses were`} received`);
  }
  if (state.noId > 0) {
    const w = `${state.noId} offense${state.noId === 1 ? '' : 's'} without a usable id (null, missing or not an integer) kept as received; they cannot be told apart from duplicates`;
    if (!manifest.warnings.includes(w)) manifest.warnings.push(w);
  }

  // Lookups for every offense in the file (re-scanned after a resume: the counts cover all runs).
  if (!error) {
    try {
      if (spec.resume) {
        state = await scanNdjson(offensesFile);
      }
      await fetchLookups(client, files, state, manifest, opts);
    } catch (e) {
      error = e instanceof QRadarApiError ? e : new QRadarApiError((e as Error).message, 'protocol');
    }
  }

  run.endedAt = iso(now());
  if (error) {
    run.outcome = error.kind === 'cancelled' ? 'cancelled' : 'error';
    run.message = error.message;
    manifest.partialReason = error.kind === 'cancelled' ? 'cancelled' : error.message;
    if (!spec.resume && !answered && offenseCount(state) === 0 && state.lines === 0) {
      // a new fetch that got not one page: nothing to keep, nothing a resume could continue (see the module doc); the
      // file it was to replace is put back as it was
      await fsp.rm(offensesFile, { force: true });
      await fsp.rm(files.manifest, { force: true });
      if (replaced !== undefined) await fsp.rename(replaced, offensesFile);
      return { manifest, files, complete: false, error, discarded: true, ...(replaced !== undefined ? { kept: true } : {}) };
    }
    if (replaced !== undefined) await fsp.rm(replaced, { force: true });
    // nothing received: a valid (empty) JSON array instead of a 0-byte file (resume turns it back into NDJSON)
    if (offenseCount(state) === 0 && state.lines === 0 && (await fsp.stat(offensesFile).catch(() => undefined))?.size === 0) {
      await writeAtomic(offensesFile, '[]\n');
      manifest.offenses.layout = 'json-array';
    }
    await save();
    return { manifest, files, complete: false, error };
  }
  if (replaced !== undefined) await fsp.rm(replaced, { force: true });
  opts.onProgress?.({ phase: 'writing', fetched: offenseCount(state), total: offenseCount(state) });
  await ndjsonToArray(offensesFile);
  manifest.offenses.layout = 'json-array';
  manifest.status = 'complete';
  manifest.completedAt = iso(now());
  delete manifest.partialReason;
  run.outcome = 'complete';
  await save();
  return { manifest, files, complete: true };
}

/** Address fields requested (no `magnitude`, so the parser does not mistake an address list for offenses). */
const SOURCE_ADDRESS_FIELDS = 'id,source_ip,network,domain_id,offense_ids,event_flow_count,first_event_flow_seen,last_event_flow_seen';
const LOCAL_DESTINATION_FIELDS = 'id,local_destination_ip,network,domain_id,offense_ids,event_flow_count,first_event_flow_seen,last_event_flow_seen';

/**
 * Closing reasons (all, with reserved and deleted ones, §3), then offense types, rules, source and
 * local destination addresses referenced by the offenses, each in batches of ids. Rules need an
 * extra capability: a 403/404 there is a warning, not a failure.
 */
async function fetchLookups(
  client: QRadarClient,
  files: Record<LookupName | 'manifest' | 'offenses', string>,
  state: FileState,
  manifest: FetchManifest,
  opts: FetchOptions,
): Promise<void> {
  const progress = (lookup: LookupName) => opts.onProgress?.({ phase: 'lookups', lookup, fetched: offenseCount(state), total: offenseCount(state) });
  const write = async (name: LookupName, items: unknown[], requests: number, requested?: number) => {
    await writeAtomic(files[name], `${JSON.stringify(items, null, 1)}\n`);
    manifest.lookups[name] = { file: path.basename(files[name]), count: items.length, requests, ...(requested !== undefined ? { requested } : {}) };
  };
  progress('closingReasons');
  const reasons: unknown[] = [];
  let requests = 0;
  for await (const p of pages(client, 'siem/offense_closing_reasons', {
    query: { include_reserved: true, include_deleted: true },
    pageSize: 500,
    signal: opts.signal,
    onWarning: (w) => manifest.warnings.push(w),
  })) {
    requests++;
    for (const x of p.items) reasons.push(x);
  }
  await write('closingReasons', reasons, requests);

  const lookups: [LookupName, string, Set<number>, string | undefined][] = [
    ['offenseTypes', 'siem/offense_types', state.offenseTypes, undefined],
    ['rules', 'analytics/rules', state.rules, 'id,name,type,origin,enabled'],
    ['sourceAddresses', 'siem/source_addresses', state.sourceAddresses, SOURCE_ADDRESS_FIELDS],
    ['localDestinationAddresses', 'siem/local_destination_addresses', state.localDestinationAddresses, LOCAL_DESTINATION_FIELDS],
  ];
  for (const [name, p, ids, fields] of lookups) {
    if (opts.signal?.aborted) throw cancelledError();
    progress(name);
    try {
      const r = await lookupByIds(client, p, [...ids], { fields, batchSize: opts.batchSize, signal: opts.signal, onWarning: (w) => manifest.warnings.push(w) });
      await write(name, r.items, r.requests, ids.size);
    } catch (e) {
      if (name === 'rules' && e instanceof QRadarApiError && e.kind === 'http' && (e.status === 403 || e.status === 404)) {
        manifest.warnings.push(`rule names not fetched: ${e.message}`);
        continue;
      }
      throw e;
    }
  }
}
