/**
 * Ariel push-down counts (qradar.md §4): the grouped count is computed by QRadar with an AQL search,
 * so months of events are never downloaded. Pure Node; no vscode.
 *
 * Life cycle (§4 "Workflow"): `POST /api/ariel/searches?query_expression=<AQL>` (201, search object) →
 * poll `GET /api/ariel/searches/{id}` until `COMPLETED` (`ERROR`/`CANCELED` stop) → read
 * `GET /api/ariel/searches/{id}/results` with `Range: items=x-y` (`{"events": [...]}`; a page shorter
 * than asked is followed while `Content-Range` or the search's `record_count` says more rows exist).
 * No more rows are read than the query's `LIMIT` ({@link aqlRowLimit}; without one {@link DEFAULT_MAX_ARIEL_ROWS}):
 * no `Range` asks past it, rows a page holds past it are left out, and a warning says when rows were left out.
 * A search that is COMPLETED but carries `error_messages` keeps its rows; the messages come back as warnings.
 *
 * Clean-up (§4 step 4; IBM API reference `DELETE /ariel/searches/{search_id}`: "Deletes an Ariel search. This discards
 * any results that were collected and stops the search if it is in progress", 202 accepted, 404/1002 no such search):
 * a search this run created is deleted once its results are read, and when the run is cancelled or fails, so it
 * does not hold the console's disk and search quota until its retention time (`desired_retention_time_msec`, a day
 * by default) runs out. The deletion is best effort and bounded by `cleanupTimeoutMs` (5 s), so a console that
 * stalls holds neither the results nor the cancel up; it never replaces the run's own error. When a running search
 * cannot be deleted, it is cancelled (`POST /api/ariel/searches/{id}?status=CANCELED`) in the time left.
 *
 * Searches this run did not create are left alone. The create answer cannot say so by its status: the POST reference
 * (IBM QRadar REST API 12.0–26.0, `POST /ariel/searches`, "Response codes") lists 201 as its only success ("A new
 * Ariel search was successfully created"), yet its "Response Description" says "If the exact search being created
 * was already recently created, the response message will return a reference to the original search ID rather than
 * creating a new search" (qradar.md §4 step 1) — so a search handed back comes with 201 too. The answer is taken for
 * a new search ({@link isNewSearch}) only when it is 201 and the search has done nothing yet: status `WAIT` or
 * `EXECUTE`, not completed, progress, records and execution time 0 or absent, no saved results — what the real create
 * answers show (qradar/public demisto-content-qradar-v3 `ariel_search_create.json`: WAIT, v2: EXECUTE, all zero),
 * and its id was not handed back to this process before as someone else's. A search that has progressed, completed,
 * or keeps saved results is someone else's (a console may answer an identical count of another analyst or another
 * run of the tool that way) and is never deleted. A search of this process still in use by another run (same
 * console, same id) is shared and deleted by the last run to finish. Limit: an identical search someone else created
 * moments before, still waiting with nothing done, cannot be told from a new one.
 *
 * Counting (§4 "Counting at the source"): events are coalesced, so the count is `SUM(eventcount)`
 * (alias `events`), with `COUNT(*)` (alias `records`) alongside; every aggregate has an alias;
 * numbers may come back as strings like `"34.0"` and are coerced with `Number()`. Windows use
 * epoch-ms `START`/`STOP` plus the same bounds in `WHERE` (§4 "AQL time windows": safer than zone-less
 * strings). Day/hour buckets use `DATEFORMAT`, which renders in the **console's** time zone [infer, §4],
 * so their labels say so.
 */
import { durationText, type QRadarClient } from './client';
import { cancelledError, cleanText, QRadarApiError } from './errors';
import { jsonKind, objectsOfPage } from './paging';
import { parseJsonLimited } from '../json-depth';
import { readInputBounded } from '../fs-read';
import { bytesText } from '../byte-size';
import { MAX_ARIEL_BYTES } from '../parse/conn-csv';

/** How a count is grouped. */
export type ArielGroup = 'day' | 'hour' | 'eventName' | 'logSource' | 'sourceIp';

/** Column alias of the group key and its display title per group. */
export const ARIEL_GROUPS: Record<ArielGroup, { key: string; title: string; time: boolean }> = {
  day: { key: 'day', title: 'Day (console time zone)', time: true },
  hour: { key: 'hour', title: 'Hour (console time zone)', time: true },
  eventName: { key: 'event_name', title: 'Event name', time: false },
  logSource: { key: 'log_source', title: 'Log source', time: false },
  sourceIp: { key: 'source_ip', title: 'Source IP', time: false },
};

export interface ArielCountSpec {
  group: ArielGroup;
  /** Window, epoch ms UTC: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Only the events of this offense (`INOFFENSE(id)`, §4). */
  offenseId?: number;
  /** Row limit (default: 1000 for names; for time buckets enough for the window). */
  limit?: number;
}

/**
 * The AQL of a grouped count (templates after qradar.md §4 "Example templates"). Throws RangeError
 * for an empty window, a bad offense id or a bad limit.
 */
export function buildCountAql(s: ArielCountSpec): string {
  const from = Math.floor(s.fromMs);
  const to = Math.floor(s.toMs);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new RangeError('The time window is empty: "to" must be after "from"');
  if (s.offenseId !== undefined && !(Number.isSafeInteger(s.offenseId) && s.offenseId >= 0)) throw new RangeError('The offense id must be a non-negative integer');
  const span = to - from;
  const dflt = s.group === 'day' ? Math.ceil(span / 86_400_000) + 2 : s.group === 'hour' ? Math.ceil(span / 3_600_000) + 2 : 1000;
  const limit = s.limit ?? dflt;
  if (!(Number.isSafeInteger(limit) && limit > 0)) throw new RangeError('The row limit must be a positive integer');
  const where = [`starttime >= ${from}`, `starttime < ${to}`];
  if (s.offenseId !== undefined) where.push(`INOFFENSE(${s.offenseId})`);
  const counts = 'SUM(eventcount) AS events, COUNT(*) AS records';
  const tail = `LIMIT ${limit} START ${from} STOP ${to}`;
  const w = `WHERE ${where.join(' AND ')}`;
  switch (s.group) {
    case 'day':
      return `SELECT DATEFORMAT(starttime,'yyyy-MM-dd') AS day, ${counts} FROM events ${w} GROUP BY day ORDER BY day ASC ${tail}`;
    case 'hour':
      return `SELECT DATEFORMAT(starttime,'yyyy-MM-dd HH') AS hour, ${counts} FROM events ${w} GROUP BY hour ORDER BY hour ASC ${tail}`;
    case 'eventName':
      return `SELECT QIDNAME(qid) AS event_name, ${counts} FROM events ${w} GROUP BY qid ORDER BY events DESC ${tail}`;
    case 'logSource':
      return `SELECT LOGSOURCENAME(logsourceid) AS log_source, ${counts} FROM events ${w} GROUP BY logsourceid ORDER BY events DESC ${tail}`;
    case 'sourceIp':
      return `SELECT sourceip AS source_ip, ${counts} FROM events ${w} GROUP BY sourceip ORDER BY events DESC ${tail}`;
  }
}

/**
 * Most result rows {@link runArielSearch} reads of a query without a `LIMIT` (and no
 * {@link ArielRunOptions.maxRows}): 1,000,000. A grouped count has at most a few thousand groups (every count of
 * {@link buildCountAql} has a LIMIT anyway); the bound keeps a console that counts millions of rows from filling the
 * memory.
 */
export const DEFAULT_MAX_ARIEL_ROWS = 1_000_000;

/** `LIMIT <number>` at a given place (sticky), for {@link aqlRowLimit}. */
const LIMIT_AT = /limit\s+(-?\d+)(?![\w.$])/iy;

/**
 * The row limit of an AQL query: the number of its top-level `LIMIT n` clause (IBM QRadar AQL reference, "LIMIT
 * clause": `LIMIT <number>` after `ORDER BY`, before `START`/`STOP`/`LAST`; any case, any white space). A `LIMIT`
 * inside a string literal (`'…'`, a doubled `''` inside it), a double-quoted identifier (`"…"`) or parentheses does
 * not count, nor a word that merely ends in `limit`. Returns the number (0 for `LIMIT 0`), or undefined when there is
 * no such clause or its number is not a non-negative safe integer (`LIMIT 99999999999999999999`, `LIMIT -3`). With
 * several top-level clauses (not valid AQL) the last is taken. Linear in the query's length; pure.
 */
export function aqlRowLimit(aql: string): number | undefined {
  let depth = 0;
  let found: number | undefined;
  const n = aql.length;
  for (let i = 0; i < n; i++) {
    const c = aql[i];
    if (c === "'" || c === '"') {
      const end = aql.indexOf(c, i + 1); // a doubled quote ends one literal and starts the next: the same text skipped
      if (end < 0) break; // an unclosed literal: the rest is inside it
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === 'l' || c === 'L') && !/[\w$.]/.test(aql[i - 1] ?? ' ')) {
      LIMIT_AT.lastIndex = i;
      const m = LIMIT_AT.exec(aql);
      if (m) {
        const v = Number(m[1]);
        found = Number.isSafeInteger(v) && v >= 0 ? v : undefined;
        i += m[0].length - 1;
      }
    }
  }
  return found;
}

/** Ariel search object (§4): only the fields used. */
export interface ArielSearchStatus {
  search_id: string;
  status: 'WAIT' | 'EXECUTE' | 'SORTING' | 'COMPLETED' | 'CANCELED' | 'ERROR' | string;
  progress?: number;
  record_count?: number;
  processed_record_count?: number;
  query_execution_time?: number;
  error_messages?: { code?: string; message?: string; severity?: string }[];
}

export interface ArielRunOptions {
  signal?: AbortSignal;
  /** First poll delay, ms (default 1000; grows ×1.5 up to `maxPollMs`). */
  pollMs?: number;
  /** Largest poll delay, ms (default 5000; §4: clients poll every 1–6 s). */
  maxPollMs?: number;
  /** Result rows per request (default 1000). */
  pageSize?: number;
  /**
   * Most result rows read (a non-negative safe integer; default: the query's `LIMIT` ({@link aqlRowLimit}), else
   * {@link DEFAULT_MAX_ARIEL_ROWS}). No `Range` asks past it; rows a page holds beyond it are left out, and when the
   * console sent or counts more, {@link ArielRunResult.rowWarnings} says so ({@link ArielRunResult.rowLimit}).
   */
  maxRows?: number;
  /**
   * Longest time a search may stay unfinished (WAIT, EXECUTE, SORTING) from its creation, ms (default: the client's
   * whole-answer deadline, 10× the request timeout); then the run stops with an error naming the search id, and the
   * search is deleted (or cancelled) as on any failure.
   */
  searchDeadlineMs?: number;
  onStatus?: (s: ArielSearchStatus) => void;
  /** Result rows read so far. */
  onRows?: (done: number, total?: number) => void;
  /**
   * Longest wait for the console to take the deletion of the search (and, when that fails on a running search, its
   * cancel) once the results are read or the run is cancelled or failed, ms (default 5000).
   */
  cleanupTimeoutMs?: number;
  /**
   * Called when the search this run created could not be deleted (it then stays on the console until QRadar's
   * retention removes it), with a short text naming the search and the reason; the token never appears in it.
   */
  onCleanupFailed?: (message: string) => void;
}

/** Statuses of a search that has not finished (§4 "Workflow"): polled on. */
const RUNNING_STATUSES: ReadonlySet<unknown> = new Set(['WAIT', 'EXECUTE', 'SORTING']);

/** Searches of this process being run, by console origin and search id → runs using them (see runArielSearch). */
const inFlight = new Map<string, number>();

/**
 * Keys (console origin and search id) of searches a create answer handed back that this process did not create: such
 * an id handed back again is still not this process's (bounded: the oldest are forgotten after 1,000).
 */
const foreign = new Set<string>();

function rememberForeign(key: string): void {
  foreign.delete(key);
  foreign.add(key);
  if (foreign.size > 1000) foreign.delete(foreign.values().next().value as string);
}

const zeroOrAbsent = (v: unknown): boolean => v === undefined || v === null || v === 0 || v === '0';

/**
 * True when a create answer (`POST /api/ariel/searches`, HTTP `status`, parsed body `data`) is a search that has
 * just been created: 201, status `WAIT` or `EXECUTE`, not `completed`, `progress`, `record_count`,
 * `processed_record_count` and `query_execution_time` 0 or absent, and no `save_results`. An identical search QRadar
 * hands back (also 201, see the file header) that has already run or keeps its results fails this. Pure.
 */
export function isNewSearch(status: number, data: unknown): boolean {
  if (status !== 201 || !data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  if (d.status !== 'WAIT' && d.status !== 'EXECUTE') return false;
  if (d.completed === true || d.save_results === true) return false;
  return zeroOrAbsent(d.progress) && zeroOrAbsent(d.record_count) && zeroOrAbsent(d.processed_record_count) && zeroOrAbsent(d.query_execution_time);
}

/**
 * Deletes one Ariel search (`DELETE /api/ariel/searches/{id}`), within `timeoutMs`; 404 (no such search) counts as
 * deleted. When the deletion fails and the search may still run, asks QRadar to cancel it in the time left. Never
 * throws. Returns undefined when the search is gone, else why not (redacted, no control characters).
 */
async function deleteSearch(client: QRadarClient, idPath: string, mayRun: boolean, timeoutMs: number): Promise<string | undefined> {
  const ms = Math.max(1, timeoutMs);
  const deadline = AbortSignal.timeout(ms);
  try {
    await client.json('DELETE', idPath, { idempotent: true, signal: deadline });
    return undefined;
  } catch (e) {
    if (e instanceof QRadarApiError && e.kind === 'http' && e.status === 404) return undefined;
    const why = deadline.aborted ? `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}` : cleanText(client.redact(e instanceof Error ? e.message : String(e)), 300);
    if (mayRun && !deadline.aborted) {
      try {
        await client.json('POST', idPath, { query: { status: 'CANCELED' }, idempotent: false, signal: deadline });
      } catch {
        /* best effort */
      }
    }
    return why;
  }
}

export interface ArielRunResult {
  search: ArielSearchStatus;
  /** Result key: `events`, `flows`, or the first key for saved searches (§4 step 3). */
  resultKey: string;
  rows: Record<string, unknown>[];
  /** Status polls made. */
  polls: number;
  /** The completed search's `error_messages` (`SEVERITY: message (code N)`): the counts may be incomplete. */
  warnings: string[];
  /**
   * One line per result page with rows that are not JSON objects (left out, the others kept); and one line when the
   * row bound ({@link ArielRunOptions.maxRows}) left rows out:
   * `Ariel results of search <id>: only the first 3 rows were kept (the query's LIMIT 3); QRadar sent 5,003 rows for
   * rows 0-2 and counts 5,003 — the other 5,000 were left out`.
   */
  rowWarnings: string[];
  /**
   * The row bound of the run: `maxRows`, where it came from (`limit`: the query's LIMIT, `option`:
   * {@link ArielRunOptions.maxRows}, `default`: {@link DEFAULT_MAX_ARIEL_ROWS}), and `cut` when it left rows out (the
   * console sent more rows than that, or counts more; the message is the one in {@link rowWarnings}). Absent in
   * results made by hand (older callers, tests).
   */
  rowLimit?: { maxRows: number; source: 'limit' | 'option' | 'default'; cut?: string };
}

/**
 * `error_messages` of a search as short texts (`ERROR: … (code 1010)`), control characters removed. `redact` is
 * applied to each message before it is cut short (pass the client's {@link QRadarClient.redact}: a console may echo
 * the token in them, and they are written to the count file, the CLI's stderr and VS Code's messages).
 */
export function searchMessages(s: ArielSearchStatus, redact: (text: string) => string = (t) => t): string[] {
  const list = Array.isArray(s.error_messages) ? s.error_messages : [];
  const out: string[] = [];
  for (const m of list) {
    if (!m || typeof m !== 'object') continue;
    const text = cleanText(redact(String(m.message ?? '')), 300);
    if (!text) continue;
    const sev = typeof m.severity === 'string' && m.severity.trim() ? `${cleanText(redact(m.severity), 20)}: ` : '';
    const code = m.code !== undefined && m.code !== null && String(m.code).trim() ? ` (code ${cleanText(redact(String(m.code)), 20)})` : '';
    out.push(`${sev}${text}${code}`);
  }
  return out;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', on);
      resolve();
    }, ms);
    const on = () => {
      clearTimeout(t);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', on, { once: true });
  });
}

function asStatus(v: unknown): ArielSearchStatus {
  if (!v || typeof v !== 'object' || typeof (v as { search_id?: unknown }).search_id !== 'string') {
    throw new QRadarApiError('QRadar answered the Ariel search request without a search_id', 'protocol');
  }
  return v as ArielSearchStatus;
}

/**
 * The warning of a run whose row bound left rows out, or undefined when it did not: rows `read` (the bound reached),
 * `sentPast` a page that held more rows than were left to the bound, `total` the console's count of result rows
 * (`Content-Range`, else `record_count`), `fullAtBound` the last page was full at the bound (with no total, more rows
 * may exist: said only for a bound that is not the query's own LIMIT, since QRadar returns no more than that).
 */
function rowBoundWarning(
  idText: string,
  bound: NonNullable<ArielRunResult['rowLimit']>,
  read: number,
  sentPast: { sent: number; asked: string; dropped: number } | undefined,
  total: number | undefined,
  fullAtBound: boolean,
): string | undefined {
  const n = (x: number) => x.toLocaleString('en-US');
  const more = read >= bound.maxRows && total !== undefined && total > bound.maxRows; // the bound reached (not a console that stopped early)
  if (!sentPast && !more && !(total === undefined && fullAtBound && bound.source !== 'limit')) return undefined;
  const why =
    bound.source === 'limit' ? `the query's LIMIT ${n(bound.maxRows)}` : bound.source === 'option' ? `maxRows ${n(bound.maxRows)}` : `the query has no LIMIT; at most ${n(bound.maxRows)} rows are read`;
  const head = `Ariel results of search ${idText}: only the first ${n(read)} ${read === 1 ? 'row was' : 'rows were'} kept (${why}); `;
  if (!sentPast && !more) return `${head}QRadar may hold more rows (it sent no total)`;
  const said = [sentPast ? `QRadar sent ${n(sentPast.sent)} rows for ${sentPast.asked}` : '', more ? `${sentPast ? '' : 'QRadar '}counts ${n(total!)}` : ''].filter(Boolean).join(' and ');
  const left = more ? total! - read : sentPast!.dropped;
  return `${head}${said} — the other ${n(left)} ${left === 1 ? 'was' : 'were'} left out`;
}

/**
 * Runs one AQL search from creation to results (§4). Resolves with the result rows, at most
 * {@link ArielRunOptions.maxRows} (default: the query's `LIMIT`, else {@link DEFAULT_MAX_ARIEL_ROWS}; a warning in
 * `rowWarnings` and `rowLimit.cut` when the bound left rows out).
 * The search is deleted from the console at the end, whatever the outcome (see the clean-up in the file header).
 * @throws RangeError when `maxRows` is not a non-negative safe integer (before any request).
 * @throws QRadarApiError — `http` with the server's message (422/2000 bad AQL, 409, 503/1010 Ariel
 *   down…); `protocol` when the search ends in `ERROR`/`CANCELED` (with its error messages), has a status QRadar does
 *   not document, or a result page repeats (the rows of another page, or the same rows as the page before: Range
 *   ignored); `timeout` when the search is still WAIT/EXECUTE/SORTING after {@link ArielRunOptions.searchDeadlineMs}
 *   (the message names the search id); `cancelled` when `signal` aborts (after deleting the search, or cancelling it
 *   when it cannot be deleted).
 */
export async function runArielSearch(client: QRadarClient, aql: string, o: ArielRunOptions = {}): Promise<ArielRunResult> {
  if (o.maxRows !== undefined && !(Number.isSafeInteger(o.maxRows) && o.maxRows >= 0)) throw new RangeError('maxRows must be a non-negative integer');
  const queryLimit = aqlRowLimit(aql);
  const rowLimit: NonNullable<ArielRunResult['rowLimit']> =
    o.maxRows !== undefined ? { maxRows: o.maxRows, source: 'option' } : queryLimit !== undefined ? { maxRows: queryLimit, source: 'limit' } : { maxRows: DEFAULT_MAX_ARIEL_ROWS, source: 'default' };
  const maxRows = rowLimit.maxRows;
  const created = await client.json<unknown>('POST', 'ariel/searches', { query: { query_expression: aql }, signal: o.signal });
  let search = asStatus(created.data);
  const id = search.search_id;
  const idPath = `ariel/searches/${encodeURIComponent(id)}`;
  // Only a search this process created is deleted at the end (not one QRadar handed back, see the file header):
  // one still in use by another run of this process is shared; otherwise the answer must show a new search.
  const flightKey = `${client.origin}\u0000${id}`;
  const owned = inFlight.has(flightKey) || (!foreign.has(flightKey) && isNewSearch(created.status, created.data));
  if (owned) inFlight.set(flightKey, (inFlight.get(flightKey) ?? 0) + 1);
  else rememberForeign(flightKey);
  let finished = false; // COMPLETED, ERROR or CANCELED: nothing left to stop
  let polls = 0;
  let wait = o.pollMs ?? 1000;
  const idText = cleanText(client.redact(id), 80);
  const deadlineMs = o.searchDeadlineMs ?? client.answerDeadlineMs;
  const startedAt = Date.now();
  try {
    o.onStatus?.(search);
    while (search.status !== 'COMPLETED') {
      if (search.status === 'ERROR' || search.status === 'CANCELED') {
        finished = true;
        const msgs = searchMessages(search, (t) => client.redact(t));
        throw new QRadarApiError(`The Ariel search ended with status ${search.status}${msgs.length ? `: ${msgs.join('; ')}` : ''}`, 'protocol');
      }
      if (!RUNNING_STATUSES.has(search.status)) {
        const shown = typeof search.status === 'string' ? `"${cleanText(client.redact(search.status), 40)}"` : search.status === undefined ? 'none' : jsonKind(search.status);
        throw new QRadarApiError(
          `The Ariel search ${idText} has an unknown status ${shown} (QRadar documents WAIT, EXECUTE, SORTING, COMPLETED, CANCELED and ERROR); stopped, the search is deleted from the console`,
          'protocol',
        );
      }
      const left = deadlineMs - (Date.now() - startedAt);
      if (left <= 0) {
        const progress = typeof search.progress === 'number' && Number.isFinite(search.progress) ? `, progress ${search.progress}%` : '';
        throw new QRadarApiError(
          `The Ariel search ${idText} is still ${search.status}${progress} after ${durationText(deadlineMs)} (the whole deadline${o.searchDeadlineMs === undefined ? ', 10× the request timeout' : ''}); stopped, the search is deleted from the console — narrow the window or raise the timeout`,
          'timeout',
        );
      }
      await delay(Math.min(wait, left), o.signal);
      wait = Math.min(o.maxPollMs ?? 5000, Math.ceil(wait * 1.5));
      polls++;
      search = asStatus((await client.json<unknown>('GET', idPath, { signal: o.signal })).data);
      o.onStatus?.(search);
    }
    finished = true;
    const size = o.pageSize ?? 1000;
    const rows: Record<string, unknown>[] = [];
    const pageWarnings: string[] = [];
    let previousPage: string | undefined;
    let resultKey = 'events';
    let offset = 0;
    // what says the bound left rows out: rows of a page past it, a total above it, or (no total) a full last page
    let sentPast: { sent: number; asked: string; dropped: number } | undefined;
    let total: number | undefined;
    let fullAtBound = false;
    while (offset < maxRows) {
      const want = Math.min(size, maxRows - offset); // never a Range past the bound
      const last = offset + want - 1;
      const r = await client.json<Record<string, unknown>>('GET', `${idPath}/results`, { range: [offset, last], signal: o.signal });
      const body = r.data;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new QRadarApiError('QRadar answered the Ariel results request with something other than an object', 'protocol');
      const key = 'events' in body ? 'events' : 'flows' in body ? 'flows' : Object.keys(body)[0];
      const list = key !== undefined ? body[key] : [];
      if (!Array.isArray(list)) throw new QRadarApiError(`The Ariel results member "${key}" is not an array`, 'protocol');
      const first = r.contentRange?.first;
      const asked = `rows ${offset}-${last}`;
      if (offset > 0 && list.length > 0 && first !== undefined && first !== offset) {
        // not the rows asked for (Range ignored): going on would read the same rows again and again
        throw new QRadarApiError(`The Ariel search ${idText} answered ${asked} with rows from ${first} on (Content-Range ${cleanText(client.redact(String(r.headers['content-range'] ?? '')), 80)}): a repeated page; stopped so no row is counted twice`, 'protocol');
      }
      const text = list.length > 0 ? JSON.stringify(list) : '';
      if (offset > 0 && text !== '' && text === previousPage) {
        throw new QRadarApiError(`The Ariel search ${idText} answered ${asked} with the same rows as the page before: a repeated page (Range seems to be ignored); stopped so no row is counted twice`, 'protocol');
      }
      previousPage = text;
      if (key !== undefined) resultKey = key;
      // rows past the bound (a console that ignores Range, or sends more than asked): left out
      const room = maxRows - offset;
      const kept = list.length > room ? list.slice(0, room) : list;
      if (list.length > room) sentPast = { sent: list.length, asked, dropped: list.length - room };
      // rows that are not objects (a number, null, a list): one warning for the page, left out, the others kept
      const { objects, warning } = objectsOfPage<Record<string, unknown>>(kept, `Ariel results of search ${idText}, ${asked}`);
      if (warning) pageWarnings.push(warning);
      for (const x of objects) rows.push(x);
      total = r.contentRange?.total ?? (typeof search.record_count === 'number' ? search.record_count : undefined);
      o.onRows?.(rows.length, total === undefined ? undefined : Math.min(total, maxRows));
      offset += kept.length;
      fullAtBound = offset >= maxRows && list.length >= want;
      // a short page is the end only when no total says more rows exist (the console's page cap)
      if (sentPast || list.length === 0 || list.length > want || (total !== undefined ? offset >= total : list.length < want)) break;
    }
    const cut = rowBoundWarning(idText, rowLimit, offset, sentPast, total, fullAtBound);
    if (cut) {
      rowLimit.cut = cut;
      pageWarnings.push(cut);
    }
    return { search, resultKey, rows, polls, warnings: searchMessages(search, (t) => client.redact(t)), rowWarnings: pageWarnings, rowLimit };
  } finally {
    // Results read, cancelled or failed: the search this call created goes (a shared one when its last user is done).
    if (owned) {
      const left = (inFlight.get(flightKey) ?? 1) - 1;
      if (left > 0) inFlight.set(flightKey, left);
      else {
        inFlight.delete(flightKey);
        const why = await deleteSearch(client, idPath, !finished, o.cleanupTimeoutMs ?? 5000);
        if (why !== undefined) {
          try {
            o.onCleanupFailed?.(`the Ariel search ${cleanText(client.redact(id), 80)} could not be deleted from the console (${why}); QRadar removes it when its results expire`);
          } catch {
            /* a caller's logging must not replace the outcome */
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- saved count files

/** `<name>.ariel-counts.json`: the raw Ariel result key (`events`) plus what made it. */
export interface ArielCountFile {
  format: 'soc-analytics/qradar-ariel-count';
  version: 1;
  console: string;
  group: ArielGroup;
  offenseId?: number;
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
  aql: string;
  fetchedAt: string;
  search: Pick<ArielSearchStatus, 'search_id' | 'status' | 'record_count' | 'processed_record_count' | 'query_execution_time'>;
  /** The search's error messages although it COMPLETED (the counts may be incomplete); absent when none. */
  warnings?: string[];
  /** Column alias of the group key, and of the count. */
  keyColumn: string;
  countColumn: string;
  /** Rows as QRadar returned them (key = `resultKey`, normally `events`). */
  [resultKey: string]: unknown;
}

/** Builds the saved file of a completed count. */
export function countFile(consoleOrigin: string, spec: ArielCountSpec, aql: string, run: ArielRunResult, fetchedAtMs: number): ArielCountFile {
  const s = run.search;
  return {
    format: 'soc-analytics/qradar-ariel-count',
    version: 1,
    console: consoleOrigin,
    group: spec.group,
    ...(spec.offenseId !== undefined ? { offenseId: spec.offenseId } : {}),
    from: new Date(spec.fromMs).toISOString(),
    to: new Date(spec.toMs).toISOString(),
    fromMs: spec.fromMs,
    toMs: spec.toMs,
    aql,
    fetchedAt: new Date(fetchedAtMs).toISOString(),
    search: { search_id: s.search_id, status: s.status, record_count: s.record_count, processed_record_count: s.processed_record_count, query_execution_time: s.query_execution_time },
    ...(run.warnings.length + (run.rowWarnings?.length ?? 0) ? { warnings: [...run.warnings, ...(run.rowWarnings ?? [])] } : {}),
    keyColumn: ARIEL_GROUPS[spec.group].key,
    countColumn: 'events',
    [run.resultKey]: run.rows,
  };
}

/** One grouped count row (numbers coerced; §4 "strings with .0"). */
export interface ArielCountRow {
  key: string;
  events: number;
  /** `COUNT(*)` (stored records), when the search returned it. */
  records?: number;
  /** File and 1-based row number. */
  file: string;
  row: number;
}

/** What the `ariel` analysis kind reads from one or more count files (or plain Ariel results files). */
export interface ArielCounts {
  files: { file: string; rows: number; group?: ArielGroup; aql?: string; console?: string; from?: string; to?: string; offenseId?: number; keyTitle: string }[];
  rows: ArielCountRow[];
  errors: { file: string; line: number; message: string }[];
  /** Title of the key column (from the first file). */
  keyTitle: string;
  /** True when the keys are time buckets (sort by key, line chart). */
  timeBuckets: boolean;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Reads count files written by {@link countFile}, and plain Ariel results files
 * (`{"events": [...]}` / `{"flows": [...]}`, §5.3 shape 6): the key column is the file's
 * `keyColumn`, else the first column whose values are not all numeric; the count is `countColumn`,
 * else `events`, `eventcount`, `event_count` or `count`, else 1 per row (raw event rows). Bad rows and unreadable files are
 * reported (file, 1-based row) and skipped; nothing throws on bad data. Each file is opened once and read through that
 * handle ({@link readInputBounded}): a FIFO, socket or device (even one swapped in after a stat) is a line-0 problem
 * (`not a regular file…`), never waited on; a file of more than `maxBytes` (default {@link MAX_ARIEL_BYTES}, 512 MiB;
 * tests set a small one), or grown past it while read, is a line-0 problem with its size — never read whole.
 */
export async function readArielCounts(paths: string[], signal?: AbortSignal, maxBytes = MAX_ARIEL_BYTES): Promise<ArielCounts> {
  const out: ArielCounts = { files: [], rows: [], errors: [], keyTitle: 'Group', timeBuckets: false };
  let first = true;
  for (const file of paths) {
    if (signal?.aborted) throw cancelledError();
    let j: unknown;
    try {
      const read = await readInputBounded(file, Math.min(maxBytes, MAX_ARIEL_BYTES));
      if (!read.buf) {
        out.errors.push({ file, line: 0, message: `file too large (${bytesText(read.over)}, limit ${bytesText(Math.min(maxBytes, MAX_ARIEL_BYTES))}); not read` });
        continue;
      }
      j = parseJsonLimited(read.buf.toString('utf8'));
    } catch (e) {
      out.errors.push({ file, line: 0, message: `cannot read as JSON: ${cleanText((e as Error).message, 200)}` });
      continue;
    }
    if (!j || typeof j !== 'object' || Array.isArray(j)) {
      out.errors.push({ file, line: 0, message: 'not an Ariel results object ({"events": [...]})' });
      continue;
    }
    const o = j as Record<string, unknown>;
    const key = 'events' in o ? 'events' : 'flows' in o ? 'flows' : undefined;
    const list = key ? o[key] : undefined;
    if (!Array.isArray(list)) {
      out.errors.push({ file, line: 0, message: 'no "events" or "flows" array (not Ariel results)' });
      continue;
    }
    const objs = list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));
    const cols = [...new Set(objs.slice(0, 50).flatMap((x) => Object.keys(x)))];
    const numericCol = (c: string) => objs.slice(0, 50).every((x) => x[c] === undefined || x[c] === null || num(x[c]) !== undefined);
    // own keys only: a "group" of `constructor`, `__proto__` or `toString` is in every object (the dashboard threw on its title)
    const group = typeof o.group === 'string' && Object.hasOwn(ARIEL_GROUPS, o.group) ? (o.group as ArielGroup) : undefined;
    const keyCol = typeof o.keyColumn === 'string' ? o.keyColumn : cols.find((c) => !numericCol(c)) ?? cols[0];
    const countCol =
      typeof o.countColumn === 'string' ? o.countColumn : ['events', 'eventcount', 'event_count', 'count'].find((c) => cols.includes(c));
    const recCol = cols.includes('records') && countCol !== 'records' ? 'records' : undefined;
    const keyTitle = group ? ARIEL_GROUPS[group].title : keyCol ?? 'Group';
    let n = 0;
    list.forEach((x, i) => {
      if (!x || typeof x !== 'object' || Array.isArray(x)) {
        out.errors.push({ file, line: i + 1, message: 'row is not an object' });
        return;
      }
      const r = x as Record<string, unknown>;
      const events = countCol ? num(r[countCol]) : 1;
      if (events === undefined) {
        out.errors.push({ file, line: i + 1, message: `row ${i + 1}: count "${countCol ?? '?'}" is not a number` });
        return;
      }
      const kv = keyCol ? r[keyCol] : undefined;
      const row: ArielCountRow = { key: kv === undefined || kv === null ? '(none)' : cleanText(String(kv), 500), events, file, row: i + 1 };
      const rec = recCol ? num(r[recCol]) : undefined;
      if (rec !== undefined) row.records = rec;
      out.rows.push(row);
      n++;
    });
    out.files.push({
      file,
      rows: n,
      group,
      aql: typeof o.aql === 'string' ? o.aql : undefined,
      console: typeof o.console === 'string' ? o.console : undefined,
      from: typeof o.from === 'string' ? o.from : undefined,
      to: typeof o.to === 'string' ? o.to : undefined,
      offenseId: typeof o.offenseId === 'number' ? o.offenseId : undefined,
      keyTitle,
    });
    if (first) {
      out.keyTitle = keyTitle;
      out.timeBuckets = group ? ARIEL_GROUPS[group].time : /^(day|hour|time|minute|bucket)/i.test(keyCol ?? '');
      first = false;
    }
  }
  return out;
}
