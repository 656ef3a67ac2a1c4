/**
 * A QRadar-compatible REST server for tests, on 127.0.0.1 only (HTTP, or HTTPS with a test
 * certificate). Implements what shared/docs/qradar.md documents:
 * - `SEC` header auth (401 with the §2 / samples/error_401.json body, unique code 18);
 * - `GET /api/siem/offenses`, `/siem/offense_closing_reasons` (`include_reserved`/`include_deleted`),
 *   `/siem/offense_types`, `/siem/source_addresses`, `/siem/local_destination_addresses`,
 *   `/analytics/rules` with `filter` (§2 filter language: comparisons, `in`, `not in`, `between`,
 *   `is [not] null`, `and`/`or`/`not`, parentheses; a bad filter → 422/1010), `fields` (with
 *   sub-fields in parentheses), `sort` (`+id`/`-id`; a bare `+` arrives as a space → 422/1030),
 *   `Range: items=x-y` and `Content-Range: items x-y/total` / `items` + `*` + `/total` (bad Range → 422/36);
 * - Ariel: `POST /api/ariel/searches` (201; bad AQL → 422/2000), status polling WAIT → EXECUTE →
 *   COMPLETED, results with Range (404/1003 before completion), `POST …?status=CANCELED`,
 *   `DELETE /api/ariel/searches/{id}` (202 with the search object, which is gone afterwards; 404/1002 for an
 *   unknown id, as the IBM API reference documents).
 * Switches (mutable at run time, see {@link MockSwitches}): slow answers, dropped connections, 500s,
 * wrong totals, 403/409 on a path, a page-size cap, echoing the SEC header in error messages.
 * Every request is recorded (method, path, query, Range, whether SEC/Version were sent).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

export interface MockSwitches {
  /** Delay every answer by this many ms (only the next `slowCount` requests when set). */
  delayMs: number;
  slowCount?: number;
  /** Destroy the connection instead of answering, for the next N requests (any path). */
  dropNext: number;
  /** From the N-th offenses page request on (1-based), destroy the connection (network loss). */
  dropOffensePagesFrom?: number;
  /** Answer 500 (code 1020) to the next N requests. */
  fail500Next: number;
  /** Answer 503 to the next N requests. */
  fail503Next: number;
  /** Added to every Content-Range total (a "wrong total"). */
  totalDelta: number;
  /** Sent as the offenses' Content-Range instead of the right one (a header the client cannot read). */
  badContentRange?: string;
  /** Largest page the server returns, whatever the Range asked. */
  maxPage?: number;
  /** Path fragments answered with 403 (code 26). */
  forbid: string[];
  /** Path fragments answered with 409 (code 1008). */
  conflict: string[];
  /** Put the received SEC value into error messages (to prove the client redacts it). */
  echoToken: boolean;
  /** Status polls before an Ariel search completes. */
  arielPolls: number;
  /** Answer `DELETE /api/ariel/searches/{id}` with this error status (code 1020; the token when `echoToken`) and keep the search. */
  deleteStatus?: number;
  /** Never answer `DELETE /api/ariel/searches/{id}` (the console hangs on it). */
  deleteStalls?: boolean;
  /** A new search with the AQL of one not yet deleted gets that search's id back (the IBM POST reference: "a reference to the original search ID"). */
  reuseIdentical?: boolean;
  /** Status of the answer to a search creation (default 201). */
  createStatus?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  range?: string;
  sec: boolean;
  version?: string;
}

export interface MockOptions {
  token: string;
  offenses?: Obj[];
  closingReasons?: Obj[];
  offenseTypes?: Obj[];
  rules?: Obj[];
  /** Ariel results for an AQL string (default: the `events` rows given in `arielRows`). */
  arielRows?: (aql: string) => Obj[];
  tls?: { key: string; cert: string };
  /** Loopback address to listen on (default 127.0.0.1; 127.0.0.3 is one VS Code's proxy support does not exempt as localhost). */
  host?: string;
}

export interface MockServer {
  url: string;
  port: number;
  switches: MockSwitches;
  requests: RecordedRequest[];
  /** Ariel searches by id (status object); a deleted search is removed. */
  searches: Map<string, Obj & { status: string; polls: number; aql: string }>;
  /** Ids of the Ariel searches deleted, in order. */
  deleted: string[];
  /** Replace the offense list (e.g. new offenses arriving between two runs). */
  setOffenses(list: Obj[]): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- filter language (§2)

type Pred = (o: Obj) => boolean;
class FilterError extends Error {}

function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(>=|<=|!=|<>|\^=|=|>|<|\(|\)|,)|([^\s()=<>!,^"]+))/gy;
  let m: RegExpExecArray | null;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    m = re.exec(s);
    if (!m) {
      if (/^\s*$/.test(s.slice(i))) break;
      throw new FilterError(`unexpected text at ${i}`);
    }
    if (m[0].trim() === '') break;
    out.push(m[1] ?? m[2] ?? m[3]);
    i = re.lastIndex;
  }
  return out;
}

function get(o: Obj, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
}

function cmp(a: unknown, b: string): number | undefined {
  if (a === null || a === undefined) return undefined;
  if (typeof a === 'number') {
    const n = Number(b);
    return Number.isFinite(n) ? a - n : undefined;
  }
  const x = String(a).toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compiles a filter expression into a predicate. @throws FilterError */
export function compileFilter(src: string): Pred {
  const t = tokenize(src);
  let i = 0;
  const peek = () => t[i]?.toLowerCase();
  const next = () => {
    if (i >= t.length) throw new FilterError('unexpected end of filter');
    return t[i++];
  };
  const value = () => {
    const v = next();
    if (['(', ')', ','].includes(v)) throw new FilterError(`value expected, got ${v}`);
    return v.startsWith('"') ? JSON.parse(v) as string : v;
  };
  const orExpr = (): Pred => {
    let p = andExpr();
    while (peek() === 'or') {
      i++;
      const a = p;
      const b = andExpr();
      p = (o) => a(o) || b(o);
    }
    return p;
  };
  const andExpr = (): Pred => {
    let p = notExpr();
    while (peek() === 'and') {
      i++;
      const a = p;
      const b = notExpr();
      p = (o) => a(o) && b(o);
    }
    return p;
  };
  const notExpr = (): Pred => {
    if (peek() === 'not') {
      i++;
      const p = notExpr();
      return (o) => !p(o);
    }
    return primary();
  };
  const list = (): string[] => {
    if (next() !== '(') throw new FilterError('( expected');
    const vs = [value()];
    while (peek() === ',') {
      i++;
      vs.push(value());
    }
    if (next() !== ')') throw new FilterError(') expected');
    return vs;
  };
  const primary = (): Pred => {
    if (peek() === '(') {
      i++;
      const p = orExpr();
      if (next() !== ')') throw new FilterError(') expected');
      return p;
    }
    const field = next();
    if (!/^[a-z_][a-z0-9_.]*$/i.test(field)) throw new FilterError(`field expected, got ${field}`);
    const op = next().toLowerCase();
    if (op === 'in' || (op === 'not' && peek() === 'in')) {
      if (op === 'not') i++;
      const vs = list();
      const neg = op === 'not';
      return (o) => vs.some((v) => cmp(get(o, field), v) === 0) !== neg;
    }
    if (op === 'is') {
      let neg = false;
      if (peek() === 'not') {
        i++;
        neg = true;
      }
      if (next().toLowerCase() !== 'null') throw new FilterError('null expected');
      return (o) => (get(o, field) === null || get(o, field) === undefined) !== neg;
    }
    if (op === 'between' || (op === 'not' && peek() === 'between')) {
      const neg = op === 'not';
      if (neg) i++;
      const a = value();
      if (next().toLowerCase() !== 'and') throw new FilterError('and expected');
      const b = value();
      return (o) => {
        const x = cmp(get(o, field), a);
        const y = cmp(get(o, field), b);
        return (x !== undefined && y !== undefined && x >= 0 && y <= 0) !== neg;
      };
    }
    const v = value();
    const test: Record<string, (c: number) => boolean> = {
      '=': (c) => c === 0,
      '!=': (c) => c !== 0,
      '<>': (c) => c !== 0,
      '^=': (c) => c !== 0,
      '>': (c) => c > 0,
      '<': (c) => c < 0,
      '>=': (c) => c >= 0,
      '<=': (c) => c <= 0,
    };
    const f = test[op];
    if (!f) throw new FilterError(`unknown operator ${op}`);
    return (o) => {
      const c = cmp(get(o, field), v);
      return c !== undefined && f(c);
    };
  };
  const p = orExpr();
  if (i !== t.length) throw new FilterError(`unexpected ${t[i]}`);
  return p;
}

/** `a,b(c,d),e` → [['a'], ['b', ['c','d']], ['e']]. */
function parseFields(s: string): { name: string; sub?: string[] }[] {
  const out: { name: string; sub?: string[] }[] = [];
  let depth = 0;
  let cur = '';
  const push = () => {
    const m = /^\s*([a-z_][a-z0-9_]*)\s*(?:\(([^)]*)\))?\s*$/i.exec(cur);
    if (!m) throw new FilterError(`bad fields entry ${cur}`);
    out.push({ name: m[1], sub: m[2] ? m[2].split(',').map((x) => x.trim()) : undefined });
    cur = '';
  };
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) push();
    else cur += c;
  }
  if (cur.trim()) push();
  return out;
}

function project(o: Obj, fields: { name: string; sub?: string[] }[] | undefined): Obj {
  if (!fields) return o;
  const r: Obj = {};
  for (const f of fields) {
    if (!(f.name in o)) continue;
    const v = o[f.name];
    if (f.sub && Array.isArray(v)) r[f.name] = v.map((x) => (x && typeof x === 'object' ? Object.fromEntries(f.sub!.filter((k) => k in (x as Obj)).map((k) => [k, (x as Obj)[k]])) : x));
    else r[f.name] = v;
  }
  return r;
}

function errorBody(status: number, code: number, message: string, description = ''): string {
  const http_messages: Record<number, string> = {
    401: 'You are unauthorized to access the requested resource.',
    403: 'Your account is not authorized to access the requested resource',
    404: 'We could not find the resource you requested.',
    409: 'The request could not be completed due to a conflict with the current state of the resource',
    422: 'The request was well-formed but was unable to be followed due to semantic errors',
    500: 'Unexpected internal server error',
    503: 'The Ariel server might be temporarily unavailable or offline.',
  };
  return JSON.stringify({ http_response: { code: status, message: http_messages[status] ?? 'error' }, code, description, details: {}, message });
}

/** Source/destination address objects for every id the offenses reference. */
function addressesFor(offenses: Obj[], key: 'source_address_ids' | 'local_destination_address_ids', ipKey: string): Obj[] {
  const byId = new Map<number, number[]>();
  for (const o of offenses) {
    const ids = o[key];
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'number') byId.set(id, [...(byId.get(id) ?? []), o.id as number]);
  }
  return [...byId]
    .sort((a, b) => a[0] - b[0])
    .map(([id, offenseIds]) => ({
      id,
      [ipKey]: `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`,
      magnitude: 3,
      network: 'Net-10-172-192.Net_10_0_0_0',
      offense_ids: offenseIds,
      domain_id: 0,
      event_flow_count: 10,
      first_event_flow_seen: 1772400000000,
      last_event_flow_seen: 1772500000000,
    }));
}

/** Starts the mock on 127.0.0.1 (random port). */
export async function startMockQRadar(opts: MockOptions): Promise<MockServer> {
  let offenses = opts.offenses ?? [];
  let sources = addressesFor(offenses, 'source_address_ids', 'source_ip');
  let dests = addressesFor(offenses, 'local_destination_address_ids', 'local_destination_ip');
  const switches: MockSwitches = { delayMs: 0, dropNext: 0, fail500Next: 0, fail503Next: 0, totalDelta: 0, forbid: [], conflict: [], echoToken: false, arielPolls: 2 };
  const requests: RecordedRequest[] = [];
  const searches: MockServer['searches'] = new Map();
  const deleted: string[] = [];
  const cache = new Map<string, Obj[]>();
  let offensePageRequests = 0;

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(u.searchParams);
    const rangeHeader = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    const sec = req.headers.sec;
    requests.push({ method: req.method ?? '', path: u.pathname, query, range: rangeHeader, sec: typeof sec === 'string', version: typeof req.headers.version === 'string' ? req.headers.version : undefined });
    req.resume();
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(body);
    };
    if (switches.delayMs > 0 && (switches.slowCount === undefined || switches.slowCount > 0)) {
      if (switches.slowCount !== undefined) switches.slowCount--;
      await new Promise((r) => setTimeout(r, switches.delayMs));
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (switches.dropNext > 0) {
      switches.dropNext--;
      req.socket.destroy();
      return;
    }
    const path = u.pathname.replace(/^\/api\//, '');
    if (path === 'siem/offenses') {
      offensePageRequests++;
      if (switches.dropOffensePagesFrom !== undefined && offensePageRequests >= switches.dropOffensePagesFrom) {
        req.socket.destroy();
        return;
      }
    }
    if (switches.fail500Next > 0) {
      switches.fail500Next--;
      return send(500, errorBody(500, 1020, 'An error occurred while attempting to retrieve offenses.'));
    }
    if (switches.fail503Next > 0) {
      switches.fail503Next--;
      return send(503, errorBody(503, 1010, 'The Ariel server might be temporarily unavailable or offline. Please try again later.'));
    }
    if (typeof sec !== 'string') {
      return send(401, errorBody(401, 18, 'No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"'));
    }
    if (sec !== opts.token) {
      return send(401, errorBody(401, 18, switches.echoToken ? `Authorization token ${sec} is not valid or has expired.` : 'The provided authorization token is not valid.'));
    }
    if (switches.forbid.some((f) => u.pathname.includes(f))) return send(403, errorBody(403, 26, 'User has insufficient capabilities to access this endpoint resource'));
    if (switches.conflict.some((f) => u.pathname.includes(f))) {
      return send(409, errorBody(409, 1008, `The offense state blocks this change${switches.echoToken ? ` (token ${sec})` : ''}.`));
    }

    // ---------------------------------------------------------------- Ariel
    if (path === 'ariel/searches' && req.method === 'POST') {
      const aql = query.query_expression ?? '';
      if (!aql.trim()) return send(422, errorBody(422, 1005, 'Exactly one parameter is required.', 'A request parameter is not valid.'));
      if (!/^\s*select\s/i.test(aql) || /\bSELEKT\b|\bFORM\b/i.test(aql)) return send(422, errorBody(422, 2000, 'Invalid AQL: mismatched input near "FORM"', 'The query expression is not valid.'));
      if (switches.reuseIdentical) {
        const same = [...searches.values()].find((x) => x.aql === aql);
        if (same) {
          const { polls: _p, aql: _a, ...pub } = same;
          return send(switches.createStatus ?? 201, JSON.stringify(pub));
        }
      }
      const id = randomUUID();
      const s = { search_id: id, cursor_id: id, status: 'WAIT', completed: false, progress: 0, record_count: 0, processed_record_count: 0, query_execution_time: 0, error_messages: [], desired_retention_time_msec: 86400000, save_results: false, polls: 0, aql, query_string: aql };
      searches.set(id, s);
      const { polls: _p, aql: _a, ...pub } = s;
      return send(switches.createStatus ?? 201, JSON.stringify(pub));
    }
    const sm = /^ariel\/searches\/([^/]+)(\/results)?$/.exec(path);
    if (sm) {
      const s = searches.get(decodeURIComponent(sm[1]));
      if (!s) return send(404, errorBody(404, 1002, 'The search does not exist.'));
      if (req.method === 'DELETE' && !sm[2]) {
        if (switches.deleteStalls) return; // no answer
        if (switches.deleteStatus) {
          return send(switches.deleteStatus, errorBody(switches.deleteStatus, 1020, `An error occurred during the attempt to delete the search${switches.echoToken ? ` (token ${sec})` : ''}.`));
        }
        searches.delete(s.search_id as string);
        deleted.push(s.search_id as string);
        const { polls: _p, aql: _a, ...pub } = s;
        return send(202, JSON.stringify(pub));
      }
      if (req.method === 'POST') {
        if (query.status === 'CANCELED') s.status = 'CANCELED';
        const { polls: _p, aql: _a, ...pub } = s;
        return send(200, JSON.stringify(pub));
      }
      const rows = (opts.arielRows ?? (() => []))(s.aql);
      if (!sm[2]) {
        if (s.status !== 'CANCELED' && s.status !== 'COMPLETED') {
          s.polls++;
          if (s.polls >= switches.arielPolls) Object.assign(s, { status: 'COMPLETED', completed: true, progress: 100, record_count: rows.length, processed_record_count: 48211, query_execution_time: 412 });
          else Object.assign(s, { status: 'EXECUTE', progress: Math.round((100 * s.polls) / switches.arielPolls) });
        }
        const { polls: _p, aql: _a, ...pub } = s;
        return send(200, JSON.stringify(pub));
      }
      if (s.status !== 'COMPLETED') return send(404, errorBody(404, 1003, 'Search results not found. The search is still in progress.'));
      const r = applyRange(rows, rangeHeader);
      if ('error' in r) return send(422, errorBody(422, 36, r.error));
      return send(200, JSON.stringify({ events: r.items }), { 'Content-Range': r.contentRange });
    }

    // ---------------------------------------------------------------- lists
    let list: Obj[] | undefined;
    if (path === 'siem/offenses') list = offenses;
    else if (path === 'siem/offense_closing_reasons') {
      list = (opts.closingReasons ?? []).filter((r) => (query.include_reserved === 'true' || !r.is_reserved) && (query.include_deleted === 'true' || !r.is_deleted));
    } else if (path === 'siem/offense_types') list = opts.offenseTypes ?? [];
    else if (path === 'siem/source_addresses') list = sources;
    else if (path === 'siem/local_destination_addresses') list = dests;
    else if (path === 'analytics/rules') list = opts.rules ?? [];
    if (!list || req.method !== 'GET') return send(404, errorBody(404, 1002, `No endpoint ${req.method} ${u.pathname}`));
    if (req.headers.version === '3.0') return send(422, errorBody(422, 1005, 'Version (3.0) from header parameter (Version) has been removed and is no longer valid.'));

    const sort = query.sort;
    if (sort !== undefined && !/^[+-][a-z_]+$/.test(sort)) return send(422, errorBody(422, 1030, `The sort parameter is not valid: "${sort}"`));
    let fields: { name: string; sub?: string[] }[] | undefined;
    try {
      fields = query.fields ? parseFields(query.fields) : undefined;
    } catch {
      return send(422, errorBody(422, 1005, 'The fields parameter is not valid.'));
    }
    const key = `${path}\u0000${query.filter ?? ''}\u0000${sort ?? ''}\u0000${query.include_reserved}${query.include_deleted}`;
    let matching = cache.get(key);
    if (!matching) {
      try {
        const p = query.filter ? compileFilter(query.filter) : () => true;
        matching = list.filter(p);
      } catch (e) {
        return send(422, errorBody(422, 1010, `A filter parameter was invalid. Please make sure that the syntax is correct: Error Parsing filter (${(e as Error).message})`, 'The filter parameter is not valid.'));
      }
      if (sort) {
        const f = sort.slice(1);
        const dir = sort[0] === '-' ? -1 : 1;
        matching = [...matching].sort((a, b) => dir * ((a[f] as number) - (b[f] as number)));
      }
      cache.set(key, matching);
    }
    const r = applyRange(matching, rangeHeader, switches.maxPage, switches.totalDelta);
    if ('error' in r) return send(422, errorBody(422, 36, r.error));
    return send(200, JSON.stringify(r.items.map((o) => project(o, fields))), { 'Content-Range': switches.badContentRange ?? r.contentRange });
  };

  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    switches,
    requests,
    searches,
    deleted,
    setOffenses(list: Obj[]) {
      offenses = list;
      sources = addressesFor(offenses, 'source_address_ids', 'source_ip');
      dests = addressesFor(offenses, 'local_destination_address_ids', 'local_destination_ip');
      cache.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Range semantics of §2: inclusive, clipped, `items` + `*` + `/total` past the end; 422/36 when malformed. */
function applyRange(items: Obj[], range: string | undefined, maxPage?: number, totalDelta = 0): { items: Obj[]; contentRange: string } | { error: string } {
  const total = Math.max(0, items.length + totalDelta);
  if (range === undefined) return { items, contentRange: items.length ? `items 0-${items.length - 1}/${total}` : `items */${total}` };
  const m = /^items=(\d+)-(\d+)$/.exec(range.trim());
  if (!m) return { error: 'Failed to parse Range header. The syntax of the Range header must follow this pattern: items=x-y' };
  const a = Number(m[1]);
  let b = Number(m[2]);
  if (b < a) return { error: 'Range of pages specified in "Range" header is negative' };
  if (maxPage !== undefined) b = Math.min(b, a + maxPage - 1);
  if (a >= items.length) return { items: [], contentRange: `items */${total}` };
  const slice = items.slice(a, b + 1);
  return { items: slice, contentRange: `items ${a}-${a + slice.length - 1}/${total}` };
}
