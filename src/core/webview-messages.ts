/**
 * Checks every message a dashboard webview sends to the extension host (src/shared/protocol.ts `FromWebview`).
 *
 * A webview is untrusted: log content is rendered there, and if it ever got script into the page that script
 * could post any message. So the host accepts only messages of a known type whose fields have the right types
 * and sizes, and it only ever sees the copies made here (no prototype keys, no getters, no extra fields):
 * rows are non-negative integers, windows are clamped, sort and filter texts are strings of bounded length,
 * actions are short identifiers, log lines cannot forge other log lines. vscode-free so it is unit-tested as is.
 */
import type { Envelope, FromWebview, ShowRowsRequest, TableQuery } from '../shared/protocol';
import { cutText, oneLogLine, terminalSafe } from './text-safe';

/** Largest window of rows the webview may ask for in one request. */
export const MAX_WINDOW = 5000;
/** Longest global search or column filter text (characters). */
export const MAX_FILTER_CHARS = 64 * 1024;
/** Longest facet value (a chart or row click; a cell's whole text). */
export const MAX_FACET_CHARS = 1024 * 1024;
/** Most column filters or facets in one query. */
export const MAX_QUERY_KEYS = 256;
/** Longest column id, table id, zone, chart name. */
export const MAX_ID_CHARS = 256;
/** Longest text the webview may put on the clipboard (a detail-pane value). */
export const MAX_COPY_CHARS = 4 * 1024 * 1024;
/** Longest `data:image/png;base64,…` URL of a chart image. */
export const MAX_PNG_URL_CHARS = 64 * 1024 * 1024;
/** Longest webview log message kept (longer ones are cut, marked `…`). */
export const MAX_LOG_CHARS = 2000;

/** The outcome of {@link checkWebviewMessage}: the checked copy of the message, or why it was refused. */
export type CheckedMessage =
  | { ok: true; id: number | undefined; body: FromWebview }
  | { ok: false; id: number | undefined; error: string; /** the message type is not one the host knows (ignored, no answer) */ unknownType?: boolean };

class Refused extends Error {}

function refuse(what: string): never {
  throw new Refused(what);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A row id: a JSON number that is a non-negative safe integer (not `"1"`, `[1]`, `true`, `1.5`, `-1`, NaN). */
function rowOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) refuse('row must be a non-negative integer');
  return v;
}

/** A string of at most `max` characters. */
function str(v: unknown, max: number, what: string): string {
  if (typeof v !== 'string') refuse(`${what} must be text`);
  if (v.length > max) refuse(`${what} is too long (${v.length.toLocaleString('en-US')} characters, at most ${max.toLocaleString('en-US')})`);
  return v;
}

/**
 * A window bound: absent or null (JSON's NaN) reads as 0; otherwise a finite non-negative number, floored and
 * clamped to `max`. Negative, infinite and non-number values are refused.
 */
function windowNumber(v: unknown, max: number, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) refuse(`${what} must be a non-negative number`);
  return Math.min(max, Math.floor(v));
}

/** Column id → text map (own keys only; every key and value a bounded string). */
function textMap(v: unknown, maxValue: number, what: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) refuse(`${what} must be an object`);
  const keys = Object.keys(v);
  if (keys.length > MAX_QUERY_KEYS) refuse(`${what} has too many entries (${keys.length}, at most ${MAX_QUERY_KEYS})`);
  const out: [string, string][] = [];
  for (const k of keys) {
    str(k, MAX_ID_CHARS, `${what} column id`);
    out.push([k, str(v[k], maxValue, `${what} value`)]);
  }
  // fromEntries defines own properties: a key "__proto__" stays a key, never the prototype
  return Object.fromEntries(out);
}

/**
 * Checks a table query from the webview: `sort` `{ column: text, dir: 'asc' | 'desc' }`, `columnFilters` and
 * `facets` maps of column id → text (at most {@link MAX_QUERY_KEYS} entries; filters at most
 * {@link MAX_FILTER_CHARS}, facets {@link MAX_FACET_CHARS} characters), `search` text of at most
 * {@link MAX_FILTER_CHARS}, `range` a time range (checkTimeRange). Returns a fresh copy with only these fields, or throws with the reason. Unknown column
 * ids pass (the table store ignores them); filter texts are substrings or number comparisons, never regular
 * expressions.
 */
export function checkTableQuery(q: unknown): TableQuery {
  if (!isRecord(q)) refuse('query must be an object');
  const out: TableQuery = {};
  if (q.sort !== undefined && q.sort !== null) {
    const s = q.sort;
    if (!isRecord(s)) refuse('sort must be an object');
    const column = str(s.column, MAX_ID_CHARS, 'sort column');
    if (s.dir !== 'asc' && s.dir !== 'desc') refuse('sort direction must be asc or desc');
    out.sort = { column, dir: s.dir };
  }
  const cf = textMap(q.columnFilters, MAX_FILTER_CHARS, 'column filter');
  if (cf) out.columnFilters = cf;
  if (q.search !== undefined && q.search !== null) out.search = str(q.search, MAX_FILTER_CHARS, 'search');
  const fc = textMap(q.facets, MAX_FACET_CHARS, 'facet');
  if (fc) out.facets = fc;
  if (q.range !== undefined && q.range !== null) out.range = checkTimeRange(q.range);
  return out;
}

/** Largest time a range may name, ± epoch ms: the range of a JavaScript `Date` (±100,000,000 days from 1970). */
export const MAX_RANGE_MS = 8.64e15;

/**
 * Checks a time range from the webview (`TableQuery.range`, a zoom of a time chart): `{ column, from, to }` with
 * `column` a text of at most {@link MAX_ID_CHARS} characters and `from` ≤ `to` numbers (epoch ms UTC) within
 * ±{@link MAX_RANGE_MS}. Returns a fresh copy with only these fields, or throws with the reason (a string `"1"`, NaN —
 * JSON's null —, Infinity, a reversed range are refused). A column the table does not have, or that is not a time
 * column, passes: the table store ignores the range then.
 */
function checkTimeRange(r: unknown): NonNullable<TableQuery['range']> {
  if (!isRecord(r)) refuse('range must be an object');
  const column = str(r.column, MAX_ID_CHARS, 'range column');
  const bound = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_RANGE_MS) refuse(`range ${what} must be a time (epoch ms) within ±${MAX_RANGE_MS}`);
    return v;
  };
  const from = bound(r.from, 'start');
  const to = bound(r.to, 'end');
  if (from > to) refuse('range start is after its end');
  return { column, from, to };
}

/**
 * Checks one message envelope `{ id, body }` posted by a dashboard webview and returns a checked copy of its body,
 * or the reason it is refused. `id` (echoed as `inReplyTo`) is kept only when it is a safe integer. Every field
 * the host uses is checked for type and size (see the constants above); a `log` message is cut to
 * {@link MAX_LOG_CHARS} characters with control characters, line breaks (also U+2028, U+2029) and bidi characters
 * written as `\uXXXX` (`oneLogLine`: one log line, never several). `savePng.name`, `exportTable.tableId` and
 * `setZone.zone` are kept as sent (at most {@link MAX_ID_CHARS} characters; they name a file, find a table, are read as
 * a zone): DashboardPanel writes them to the log only through `oneLogLine` (`Saved chart …`, the refusal of an unknown
 * table id or zone). Never throws.
 */
export function checkWebviewMessage(raw: unknown): CheckedMessage {
  const env = isRecord(raw) ? (raw as Partial<Envelope<unknown>>) : undefined;
  const id = env && typeof env.id === 'number' && Number.isSafeInteger(env.id) ? env.id : undefined;
  try {
    const m = env?.body;
    if (!isRecord(m) || typeof m.type !== 'string') refuse('not a message');
    return { ok: true, id, body: checkBody(m) };
  } catch (e) {
    if (e instanceof UnknownType) return { ok: false, id, error: e.message, unknownType: true };
    if (e instanceof Refused) return { ok: false, id, error: `invalid ${describeType(env?.body)} message: ${e.message}` };
    return { ok: false, id, error: 'invalid message' };
  }
}

class UnknownType extends Error {}

function describeType(m: unknown): string {
  const t = isRecord(m) ? m.type : undefined;
  return typeof t === 'string' ? JSON.stringify(cutText(terminalSafe(t), 40)) : '';
}

function checkBody(m: Record<string, unknown>): FromWebview {
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'retry':
      return { type: 'retry' };
    case 'rerun':
      return { type: 'rerun' };
    case 'query':
      return { type: 'query', query: checkTableQuery(m.query), offset: windowNumber(m.offset, 0xffffffff, 'offset'), limit: windowNumber(m.limit, MAX_WINDOW, 'limit') };
    case 'detail':
      return { type: 'detail', row: rowOf(m.row) };
    case 'reveal':
      return { type: 'reveal', row: rowOf(m.row) };
    case 'exportCsv': {
      const cols = m.columns ?? [];
      if (!Array.isArray(cols)) refuse('columns must be a list');
      if (cols.length > 10_000) refuse('too many columns');
      return { type: 'exportCsv', query: checkTableQuery(m.query), columns: cols.map((c) => str(c, MAX_ID_CHARS, 'column id')) };
    }
    case 'copy':
      return { type: 'copy', text: str(m.text, MAX_COPY_CHARS, 'text') };
    case 'rendered': {
      const cards: Record<string, string> = {};
      if (m.cards !== undefined && m.cards !== null) {
        if (!isRecord(m.cards)) refuse('cards must be an object');
        const keys = Object.keys(m.cards);
        if (keys.length > 1000) refuse('too many cards');
        for (const k of keys) Object.defineProperty(cards, cutText(k, MAX_ID_CHARS), { value: cutText(String(str(m.cards[k], MAX_COPY_CHARS, 'card value')), 1000), enumerable: true, writable: true, configurable: true });
      }
      const info: FromWebview = { type: 'rendered', cards, totalRows: windowNumber(m.totalRows, Number.MAX_SAFE_INTEGER, 'totalRows'), visibleRows: windowNumber(m.visibleRows, Number.MAX_SAFE_INTEGER, 'visibleRows') };
      if (m.firstRow !== undefined && m.firstRow !== null) {
        if (!Array.isArray(m.firstRow)) refuse('firstRow must be a list');
        info.firstRow = m.firstRow.slice(0, 100).map((c) => cutText(str(c, MAX_COPY_CHARS, 'cell'), 10_000));
      }
      return info;
    }
    case 'log': {
      const message = typeof m.message === 'string' ? m.message : '';
      return { type: 'log', level: m.level === 'error' ? 'error' : 'info', message: oneLogLine(cutText(message, MAX_LOG_CHARS)) };
    }
    case 'savePng':
      return { type: 'savePng', name: str(m.name ?? 'chart', MAX_ID_CHARS, 'name'), dataUrl: str(m.dataUrl, MAX_PNG_URL_CHARS, 'image') };
    case 'exportTable':
      return { type: 'exportTable', tableId: str(m.tableId, MAX_ID_CHARS, 'table id') };
    case 'setZone':
      return { type: 'setZone', zone: str(m.zone, MAX_ID_CHARS, 'zone') };
    case 'action': {
      const action = str(m.action, 64, 'action');
      if (!/^[A-Za-z0-9_.-]+$/.test(action)) refuse('action must be an identifier');
      return { type: 'action', row: rowOf(m.row), action };
    }
    case 'setPrefs':
      if (!isRecord(m.prefs)) refuse('prefs must be an object');
      return { type: 'setPrefs', prefs: typeof m.prefs.chartsOpen === 'boolean' ? { chartsOpen: m.prefs.chartsOpen } : {} };
    case 'probeResult':
      if (!isRecord(m.probe)) refuse('probe must be an object');
      return { type: 'probeResult', probe: m.probe as never };
    default:
      throw new UnknownType(`unknown message type ${describeType(m)}`);
  }
}

/**
 * The second argument of `socAnalytics.openAnalysis` as a Results-tree row passes it (`{ facets, detail? }`,
 * {@link ShowRowsRequest}), checked as a query's facets are (a command can be run with anything): a fresh copy, or
 * undefined when it is absent, not of that shape or has no facet (the dashboard then opens as it is).
 */
export function checkShowRowsRequest(v: unknown): ShowRowsRequest | undefined {
  if (!isRecord(v)) return undefined;
  let facets: Record<string, string> | undefined;
  try {
    facets = textMap(v.facets, MAX_FACET_CHARS, 'facet');
  } catch (e) {
    if (e instanceof Refused) return undefined;
    throw e;
  }
  if (!facets || Object.keys(facets).length === 0) return undefined;
  return v.detail === true ? { facets, detail: true } : { facets };
}
