/**
 * QRadar REST client, paging, offense fetch (partial/resume), lookups, TLS and secrets, against the
 * mock QRadar server (test/unit/qradar-api-mock.ts) on 127.0.0.1 only. Real inputs: the sample
 * offenses, closing reasons, offense types and 401 body in shared/data/qradar/samples.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiBaseUrl, encodeQuery, parseContentRange, QRadarClient, requestLogLine, type QRadarClientOptions, type RequestLogEntry } from '../../src/core/qradar-api/client';
import { httpErrorReason, parseErrorBody, QRadarApiError, redact } from '../../src/core/qradar-api/errors';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchFiles, fetchLockFile, fetchOffenses, fetchStem, offenseFilter, readManifest, type OffenseQuery } from '../../src/core/qradar-api/fetch';
import { pages } from '../../src/core/qradar-api/paging';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { closingReasonsOf, DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, reasonLabel, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { makePki, type TestPki } from './qradar-api-certs';
import { startMockQRadar, type MockServer } from './qradar-api-mock';

const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as T;
type Obj = Record<string, unknown>;

const TOKEN = 'SECtok-7f3e9a1c-55d2-4b8e-a0c4-0d1e2f3a4b5c';
const SAMPLE_OFFENSES = readJson<Obj[]>('offenses.json');
const CLOSING = readJson<Obj[]>('offense_closing_reasons.json');
const TYPES = readJson<Obj[]>('offense_types.json');
/** 2026-03-02T00:00Z … 2026-03-09T00:00Z: all six sample offenses start inside. */
const WEEK: OffenseQuery = { fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9), pageSize: 500 };

/** n synthetic offenses (ids 100000…), one minute apart from 2026-03-02, cycling the sample statuses. */
function synthetic(n: number, opts: { addressIds?: boolean; startId?: number } = {}): Obj[] {
  const base = Date.UTC(2026, 2, 2);
  const st = ['OPEN', 'HIDDEN', 'CLOSED'];
  const out: Obj[] = [];
  for (let i = 0; i < n; i++) {
    const id = (opts.startId ?? 100000) + i;
    out.push({
      id,
      description: `Synthetic offense ${i % 7}\n`,
      status: st[i % 3],
      offense_type: i % 2 === 0 ? 0 : 3,
      offense_source: `10.1.${(i >> 8) & 255}.${i & 255}`,
      magnitude: 1 + (i % 10),
      start_time: base + i * 60_000,
      last_updated_time: base + i * 60_000 + 1000,
      closing_reason_id: st[i % 3] === 'CLOSED' ? 2 : null,
      rules: [{ id: 100221, type: 'CRE_RULE' }],
      log_sources: [],
      source_address_ids: opts.addressIds ? [5000 + i] : [],
      local_destination_address_ids: opts.addressIds ? [9000 + (i % 150)] : [],
    });
  }
  return out;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'soc-qradar-api-'));

function client(server: MockServer, extra: Partial<QRadarClientOptions> = {}, log?: RequestLogEntry[]): QRadarClient {
  return new QRadarClient({
    consoleUrl: server.url,
    token: TOKEN,
    apiVersion: '20.0',
    timeoutMs: 5000,
    maxRetries: 3,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    onRequest: log ? (e) => log.push(e) : undefined,
    ...extra,
  });
}

/** Reads the offenses file (NDJSON or JSON array) as objects. */
function offensesIn(file: string): Obj[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('[')) return JSON.parse(text) as Obj[];
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Obj);
}

const offenseRequests = (s: MockServer) => s.requests.filter((r) => r.path === '/api/siem/offenses');

describe('qradar-api: request building', () => {
  test('console URL normalisation and https-only policy', () => {
    assert.equal(apiBaseUrl('qradar.corp.example').toString(), 'https://qradar.corp.example/api/');
    assert.equal(apiBaseUrl('https://qradar.corp.example:8443/api').toString(), 'https://qradar.corp.example:8443/api/');
    assert.equal(apiBaseUrl('https://gw.corp.example/qradar/').toString(), 'https://gw.corp.example/qradar/api/');
    assert.equal(apiBaseUrl('http://127.0.0.1:9999').toString(), 'http://127.0.0.1:9999/api/');
    assert.throws(() => apiBaseUrl('http://qradar.corp.example'), /must use https/);
    assert.throws(() => apiBaseUrl('https://admin:pw@qradar.corp.example'), /must not contain a user name/);
    assert.throws(() => apiBaseUrl('  '), /No QRadar console URL/);
    assert.throws(() => new QRadarClient({ consoleUrl: 'https://q.corp.example', token: '' }), /No QRadar API token/);
  });

  test('Content-Range parsing (qradar.md §2)', () => {
    assert.deepEqual(parseContentRange('items 0-49/1234'), { first: 0, last: 49, total: 1234 });
    assert.deepEqual(parseContentRange('items */3'), { total: 3 });
    assert.deepEqual(parseContentRange('items 0-5/6'), { first: 0, last: 5, total: 6 });
    assert.deepEqual(parseContentRange('items 0-49/*'), { first: 0, last: 49 });
    assert.equal(parseContentRange('bytes 0-1/2'), undefined);
    assert.equal(parseContentRange(undefined), undefined);
  });

  test('filter and query encoding: epoch ms, status, sort as %2Bid', () => {
    assert.equal(offenseFilter(WEEK), 'start_time >= 1772409600000 and start_time < 1773014400000');
    assert.equal(offenseFilter({ ...WEEK, statuses: ['OPEN', 'HIDDEN'] }, 4103), 'start_time >= 1772409600000 and start_time < 1773014400000 and (status=OPEN or status=HIDDEN) and id > 4103');
    assert.equal(offenseFilter({ ...WEEK, statuses: ['CLOSED'], timeField: 'close_time' }), 'close_time >= 1772409600000 and close_time < 1773014400000 and status=CLOSED');
    assert.throws(() => offenseFilter({ fromMs: 5, toMs: 5 }), /empty/);
    assert.equal(encodeQuery({ sort: '+id', filter: 'id in (1,2)', x: undefined }), '?sort=%2Bid&filter=id%20in%20(1%2C2)');
    assert.equal(fetchStem(WEEK, Date.UTC(2026, 2, 10, 10, 15, 0)), 'offenses_20260302T0000Z_20260309T0000Z_fetched-20260310T101500Z');
  });

  test('error bodies: message → description → http_response.message; HTML fallback; redaction', () => {
    const b401 = parseErrorBody(readFileSync(join(SAMPLES, 'error_401.json'), 'utf8'));
    assert.equal(b401.code, 18);
    assert.equal(b401.httpCode, 401);
    assert.match(b401.message!, /^No SEC header present in request/);
    assert.deepEqual(parseErrorBody('<html><body><h1>502 Bad Gateway</h1></body></html>'), { message: '502 Bad Gateway' });
    assert.equal(redact(`token ${TOKEN} and ${encodeURIComponent(TOKEN)}`, [TOKEN]), 'token [redacted] and [redacted]');
  });
});

describe('qradar-api: the request log line (CLI --verbose, the extension log)', () => {
  test('requestLogLine: a page, an HTTP error answer with its status once, a retried time-out', () => {
    const url = 'https://qradar.corp.example/api/siem/offenses?fields=id';
    assert.equal(requestLogLine({ method: 'GET', url, status: 200, ms: 85, attempt: 1, contentRange: 'items 0-4/5' }), `GET ${url} → 200 [items 0-4/5] (85 ms)`);
    const forbidden = new QRadarApiError('QRadar answered 403', 'http', { status: 403, qradarCode: 26, serverMessage: 'User has insufficient capabilities to access this endpoint resource' });
    assert.equal(
      requestLogLine({ method: 'GET', url, status: 403, ms: 12, attempt: 1, error: httpErrorReason(forbidden) }),
      `GET ${url} → HTTP 403 (code 26): User has insufficient capabilities to access this endpoint resource (12 ms)`,
    );
    assert.equal(
      requestLogLine({ method: 'GET', url, ms: 120000, attempt: 2, error: 'No answer from QRadar within 120 s: GET /api/siem/offenses', retryInMs: 2000 }),
      `GET ${url} → No answer from QRadar within 120 s: GET /api/siem/offenses (120000 ms, attempt 2, retry in 2000 ms)`,
    );
    assert.equal(requestLogLine({ method: 'DELETE', url, ms: 3, attempt: 1 }), `DELETE ${url} → no answer (3 ms)`);
  });
});

describe('qradar-api: fetch against the mock console (HTTPS, test CA)', () => {
  let pki: TestPki;
  let server: MockServer;
  let caPem: string;
  before(async () => {
    pki = makePki();
    caPem = pki.ca.certPem;
    server = await startMockQRadar({ token: TOKEN, offenses: SAMPLE_OFFENSES, closingReasons: CLOSING, offenseTypes: TYPES, rules: [{ id: 100221, name: 'Excessive Firewall Denies', type: 'EVENT', origin: 'SYSTEM', enabled: true }], tls: { key: pki.server.keyPem, cert: pki.server.certPem } });
  });
  after(() => server.close());

  test('the six sample offenses, lookups in batches, read back by the QRadar parser', async () => {
    const dir = tmp();
    const file = join(dir, 'offenses.json');
    const c = client(server, { caPem });
    const progress: string[] = [];
    server.requests.length = 0;
    const r = await fetchOffenses(c, file, { query: WEEK }, { apiVersion: '20.0', onProgress: (p) => p.phase === 'offenses' && progress.push(`${p.fetched} of ${p.total}`) });
    c.close();
    assert.equal(r.complete, true, r.error?.message);
    assert.equal(r.manifest.status, 'complete');
    assert.equal(r.manifest.offenses.fetched, 6);
    assert.equal(r.manifest.offenses.reportedTotal, 6);
    assert.equal(r.manifest.offenses.layout, 'json-array');
    assert.deepEqual(progress, ['0 of undefined', '6 of 6']);
    assert.deepEqual(offensesIn(file).map((o) => o.id), [4101, 4102, 4103, 4104, 4105, 4106]);
    // lookups (include_reserved/include_deleted → all 6 reasons; 5 types; addresses by id in (…))
    assert.equal(r.manifest.lookups.closingReasons?.count, 6);
    assert.deepEqual((JSON.parse(readFileSync(r.files.offenseTypes, 'utf8')) as Obj[]).map((t) => t.id), [0, 1, 3, 7, 52]);
    assert.deepEqual(r.manifest.lookups.sourceAddresses, { file: 'offenses.source-addresses.json', count: 6, requested: 6, requests: 1 });
    assert.deepEqual(r.manifest.lookups.localDestinationAddresses, { file: 'offenses.local-destination-addresses.json', count: 8, requested: 8, requests: 1 });
    const src = JSON.parse(readFileSync(r.files.sourceAddresses, 'utf8')) as Obj[];
    assert.deepEqual(src.map((a) => a.id), [311, 402, 519, 520, 611, 702]);
    assert.ok(src.every((a) => typeof a.source_ip === 'string' && !('magnitude' in a)));
    const srcReq = server.requests.filter((q) => q.path === '/api/siem/source_addresses');
    assert.equal(srcReq.length, 1);
    assert.equal(srcReq[0].query.filter, 'id in (311,402,519,520,611,702)');
    // every request authenticated, versioned; sort arrived as "+id" (sent as %2Bid)
    assert.ok(server.requests.every((q) => q.sec && q.version === '20.0'));
    assert.equal(offenseRequests(server)[0].query.sort, '+id');
    assert.equal(offenseRequests(server)[0].range, 'items=0-499');
    assert.match(offenseRequests(server)[0].query.fields, /^id,description,status,.*rules\(id,type\),log_sources\(id,name,type_id,type_name\)/);
    // the parser (issue #3) reads the fetch folder: offenses joined with reasons and types; sidecars skipped
    const parsed = await runQRadarRead([dir]);
    assert.equal(parsed.offenses.length, 6);
    assert.equal(parsed.errors.length, 0);
    assert.equal(parsed.closingReasons.length, 6);
    assert.equal(parsed.offenseTypes.length, 5);
    assert.equal(parsed.rules.length, 1);
    const byStatus = (s: string) => parsed.offenses.filter((o) => o.status === s).length;
    assert.deepEqual([byStatus('OPEN'), byStatus('HIDDEN'), byStatus('CLOSED')], [3, 1, 2]);
    assert.equal(parsed.offenses.find((o) => o.id === 4102)?.closingReasonId, 2);
    const m = await readManifest(r.files.manifest);
    assert.equal(m?.console, server.url);
    assert.equal(m?.query.filter, 'start_time >= 1772409600000 and start_time < 1773014400000');
  });

  test('two consoles fetched into one folder: each fetch\'s offenses are named by the closing reasons it fetched, and the disagreement is said', async () => {
    // console B numbers its reasons the other way round (qradar.md §3: "never hard-code the ids"); its offenses start
    // a second later (offense 4102 of two consoles is two offenses)
    const reasonsB = CLOSING.map((r) => (r.id === 2 ? { ...r, text: 'Non-Issue' } : r.id === 1 ? { ...r, text: 'False-Positive, Tuned' } : r));
    const offensesB = SAMPLE_OFFENSES.map((o) => ({ ...o, start_time: (o.start_time as number) + 1000 }));
    const serverB = await startMockQRadar({ token: TOKEN, offenses: offensesB, closingReasons: reasonsB, offenseTypes: TYPES, tls: { key: pki.server.keyPem, cert: pki.server.certPem } });
    const dir = tmp();
    for (const [srv, name] of [[server, 'a.json'], [serverB, 'b.json']] as const) {
      const c = client(srv, { caPem });
      const r = await fetchOffenses(c, join(dir, name), { query: WEEK });
      c.close();
      assert.equal(r.complete, true, r.error?.message);
    }
    serverB.close();
    const parsed = await runQRadarRead([dir]);
    const reasons = closingReasonsOf(parsed);
    const closed = parsed.offenses.filter((o) => o.status === 'CLOSED').map((o) => [o.source.file.endsWith('a.json') ? 'A' : 'B', o.id, reasonLabel(o, reasons)]);
    assert.deepEqual(closed, [
      ['A', 4102, 'False-Positive, Tuned'],
      ['A', 4105, 'Non-Issue'],
      ['B', 4102, 'Non-Issue'],
      ['B', 4105, 'False-Positive, Tuned'],
    ]);
    const sum = summarizeQRadar(parsed, { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 });
    assert.equal(sum.summary.falsePositive, 2);
    assert.deepEqual(
      sum.closingReasonConflicts.map((c) => [c.id, c.texts.map((t) => [t.text, t.lists.map((l) => l.slice(dir.length + 1))])]),
      [
        [1, [['Non-Issue', ['a.closing-reasons.json']], ['False-Positive, Tuned', ['b.closing-reasons.json']]]],
        [2, [['False-Positive, Tuned', ['a.closing-reasons.json']], ['Non-Issue', ['b.closing-reasons.json']]]],
      ],
    );
  });

  test('window and status filter: from 2026-03-03, OPEN only → 4103 and 4106', async () => {
    const dir = tmp();
    const c = client(server, { caPem });
    const r = await fetchOffenses(c, join(dir, 'o.json'), { query: { ...WEEK, fromMs: Date.UTC(2026, 2, 3), statuses: ['OPEN'] } });
    c.close();
    assert.equal(r.complete, true);
    assert.deepEqual(offensesIn(r.files.offenses).map((o) => o.id), [4103, 4106]);
  });

  test('TLS: unknown CA and expired certificate fail (not retried); the CA file passes; insecure mode passes', async () => {
    const log: RequestLogEntry[] = [];
    let c = client(server, {}, log);
    await assert.rejects(c.json('GET', 'siem/offenses', { range: [0, 0] }), (e: QRadarApiError) => e.kind === 'tls' && /not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/.test(e.message));
    assert.equal(log.length, 1, 'a TLS failure is not retried');
    c.close();
    c = client(server, { caPem: pki.otherCa.certPem });
    await assert.rejects(c.json('GET', 'siem/offenses', { range: [0, 0] }), (e: QRadarApiError) => e.kind === 'tls');
    c.close();
    c = client(server, { caPem });
    assert.equal(await c.count('siem/offenses', {}), 6);
    c.close();
    c = client(server, { allowInsecureTls: true });
    assert.equal(await c.count('siem/offenses', { filter: 'status=CLOSED' }), 2);
    c.close();
    assert.throws(() => client(server, { caPem: 'not a certificate' }), /holds no PEM certificate/);
    const expired = await startMockQRadar({ token: TOKEN, offenses: SAMPLE_OFFENSES, tls: { key: pki.expired.keyPem, cert: pki.expired.certPem } });
    try {
      c = new QRadarClient({ consoleUrl: expired.url, token: TOKEN, caPem, maxRetries: 2, backoffBaseMs: 1 });
      await assert.rejects(c.count('siem/offenses', {}), (e: QRadarApiError) => e.kind === 'tls' && e.details.errno === 'CERT_HAS_EXPIRED');
      assert.equal(expired.requests.length, 0);
      c.close();
    } finally {
      await expired.close();
    }
  });
  test('TLS settings travel with each request: VS Code replacing the agent (http.proxySupport "override") keeps the CA file and insecure mode', async () => {
    // VS Code's extension host patches https.request (@vscode/proxy-agent, createHttpPatch): with the default
    // `http.proxySupport: override` and a console that is not localhost/127.0.0.1 it drops the caller's agent and
    // connects through its own (https.globalAgent for DIRECT). Only the request's own options reach the TLS
    // handshake then; simulated here by swapping the agent for the global one.
    const httpsMod = require('node:https') as typeof import('node:https');
    const original = httpsMod.request;
    let swapped = 0;
    httpsMod.request = ((url: unknown, options: { agent?: unknown }, cb: unknown) => {
      swapped++;
      return (original as (...a: unknown[]) => unknown)(url, { ...options, agent: httpsMod.globalAgent }, cb);
    }) as typeof httpsMod.request;
    try {
      let c = client(server, { allowInsecureTls: true });
      assert.equal(await c.count('siem/offenses', { filter: 'status=CLOSED' }), 2);
      c.close();
      c = client(server, { caPem });
      assert.equal(await c.count('siem/offenses', {}), 6);
      c.close();
      c = client(server, {});
      await assert.rejects(c.count('siem/offenses', {}), (e: QRadarApiError) => e.kind === 'tls');
      c.close();
      assert.ok(swapped >= 3, `the patched request was used ${swapped} times`);
    } finally {
      httpsMod.request = original;
    }
  });
});

describe('qradar-api: paging, retries and errors (HTTP on 127.0.0.1)', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockQRadar({ token: TOKEN, offenses: synthetic(2345), closingReasons: CLOSING, offenseTypes: TYPES });
  });
  after(() => server.close());

  test('2,345 offenses in pages of 100: 24 requests, exact total, ids in order without duplicates', async () => {
    server.requests.length = 0;
    const c = client(server);
    const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: { ...WEEK, pageSize: 100 } });
    c.close();
    assert.equal(r.complete, true, r.error?.message);
    const ids = offensesIn(r.files.offenses).map((o) => o.id as number);
    assert.equal(ids.length, 2345);
    assert.equal(new Set(ids).size, 2345);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    const reqs = offenseRequests(server);
    assert.equal(reqs.length, 24);
    // keyset paging (qradar.md §1 `id`): every page is items 0-99 of `id >` the largest id so far
    assert.ok(reqs.every((q) => q.range === 'items=0-99'));
    assert.deepEqual(reqs.map((q) => / and id > (\d+)$/.exec(q.query.filter)?.[1]).slice(0, 3), [undefined, '100099', '100199']);
    assert.match(reqs[23].query.filter, / and id > 102299$/);
    assert.equal(r.manifest.offenses.reportedTotal, 2345);
    assert.deepEqual(r.manifest.warnings, []);
  });

  test('100,007 offenses (> 100,000, not a multiple of the page size) in pages of 1,000', async () => {
    const big = await startMockQRadar({ token: TOKEN, offenses: synthetic(100_007), closingReasons: CLOSING, offenseTypes: TYPES });
    try {
      const c = client(big);
      const seen: number[] = [];
      const r = await fetchOffenses(c, join(tmp(), 'big.json'), { query: { ...WEEK, toMs: Date.UTC(2026, 5, 1), pageSize: 1000, fields: ['id', 'start_time', 'status'] } }, {
        onProgress: (p) => p.phase === 'offenses' && p.total !== undefined && seen.push(p.total),
      });
      c.close();
      assert.equal(r.complete, true, r.error?.message);
      assert.equal(r.manifest.offenses.fetched, 100_007);
      assert.equal(offenseRequests(big).length, 101);
      assert.ok(seen.every((t) => t === 100_007));
      const arr = offensesIn(r.files.offenses);
      assert.equal(arr.length, 100_007);
      assert.deepEqual(Object.keys(arr[0]), ['id', 'start_time', 'status']);
      assert.equal(arr[100_006].id, 200_006);
    } finally {
      await big.close();
    }
  });

  test('server page cap and wrong totals: every item still fetched, mismatch reported', async () => {
    const c = client(server);
    server.switches.maxPage = 250;
    let r = await fetchOffenses(c, join(tmp(), 'cap.json'), { query: { ...WEEK, pageSize: 1000 } });
    assert.equal(r.manifest.offenses.fetched, 2345);
    server.switches.maxPage = undefined;
    server.switches.totalDelta = 50;
    r = await fetchOffenses(c, join(tmp(), 'over.json'), { query: { ...WEEK, pageSize: 500 } });
    assert.equal(r.complete, true);
    assert.equal(r.manifest.offenses.fetched, 2345);
    assert.deepEqual(r.manifest.warnings, ['QRadar reported 2395 offenses (Content-Range total) but 2345 distinct offenses were received']);
    server.switches.totalDelta = -345;
    r = await fetchOffenses(c, join(tmp(), 'under.json'), { query: { ...WEEK, pageSize: 500 } });
    assert.equal(r.manifest.offenses.fetched, 2345, 'an understated total does not cut the fetch short');
    server.switches.totalDelta = 0;
    // a Content-Range the client cannot read (API audit: ignored without a word): said once, every offense fetched
    server.switches.badContentRange = 'bytes 0-10/20';
    try {
      r = await fetchOffenses(c, join(tmp(), 'badrange.json'), { query: { ...WEEK, pageSize: 1000 } });
    } finally {
      server.switches.badContentRange = undefined;
    }
    assert.equal(r.complete, true);
    assert.equal(r.manifest.offenses.fetched, 2345);
    assert.deepEqual(r.manifest.warnings, ['Content-Range "bytes 0-10/20" is not "items first-last/total": the number of offenses left is unknown; paging goes on by offense id']);
    c.close();
  });

  test('500, 503, dropped connections and slow answers are retried with backoff', async () => {
    const log: RequestLogEntry[] = [];
    const c = client(server, { timeoutMs: 150 }, log);
    server.switches.fail500Next = 2;
    let p = await pagesOnce(c);
    assert.equal(p, 100);
    assert.deepEqual(log.map((e) => e.status), [500, 500, 200]);
    assert.ok(log[0].retryInMs !== undefined && log[0].retryInMs >= 2 && log[0].retryInMs <= 5);
    assert.ok(log[1].retryInMs !== undefined && log[1].retryInMs >= 5 && log[1].retryInMs <= 10);
    // the reason names the status and QRadar's code, not only the message (the output channel, --verbose)
    assert.equal(log[0].error, 'HTTP 500 (code 1020): An error occurred while attempting to retrieve offenses.');
    log.length = 0;
    server.switches.fail503Next = 1;
    server.switches.dropNext = 1;
    p = await pagesOnce(c);
    assert.equal(p, 100);
    assert.deepEqual(log.map((e) => e.status ?? 'dropped'), ['dropped', 503, 200]);
    log.length = 0;
    server.switches.delayMs = 400;
    server.switches.slowCount = 2;
    p = await pagesOnce(c);
    assert.equal(p, 100);
    assert.equal(log.length, 3);
    assert.match(log[0].error ?? '', /No answer from QRadar within 0 s|No answer from QRadar within/);
    server.switches.delayMs = 0;
    server.switches.slowCount = undefined;
    c.close();
    // retries exhausted → the server's message
    const c2 = client(server, { maxRetries: 1 });
    server.switches.fail500Next = 5;
    await assert.rejects(c2.json('GET', 'siem/offenses', { range: [0, 9] }), (e: QRadarApiError) => e.status === 500 && /QRadar answered 500 .*An error occurred while attempting to retrieve offenses\. \(code 1020\)/.test(e.message) && e.details.attempts === 2);
    server.switches.fail500Next = 0;
    c2.close();
  });

  async function pagesOnce(c: QRadarClient): Promise<number> {
    for await (const p of pages<Obj>(c, 'siem/offenses', { pageSize: 100, query: { sort: '+id' } })) return p.items.length;
    return 0;
  }

  test('401 / 403 / 409 / 422 stop at once with the server message; nothing retried', async () => {
    const dir = tmp();
    const bad = new QRadarClient({ consoleUrl: server.url, token: 'wrong-token-1234', maxRetries: 3, backoffBaseMs: 1 });
    server.requests.length = 0;
    const r = await fetchOffenses(bad, join(dir, 'o.json'), { query: WEEK });
    bad.close();
    assert.equal(r.complete, false);
    assert.equal(r.error?.status, 401);
    assert.equal(r.error?.details.serverMessage, 'The provided authorization token is not valid.');
    assert.equal(server.requests.length, 1);
    assert.equal(r.manifest.status, 'partial');
    assert.match(r.manifest.partialReason ?? '', /QRadar answered 401 to GET \/api\/siem\/offenses: The provided authorization token is not valid\. \(code 18\)/);

    const c = client(server);
    server.switches.forbid = ['/siem/offenses'];
    await assert.rejects(c.count('siem/offenses', {}), (e: QRadarApiError) => e.status === 403 && e.details.serverMessage === 'User has insufficient capabilities to access this endpoint resource' && e.details.qradarCode === 26);
    server.switches.forbid = [];
    server.switches.conflict = ['/siem/offenses'];
    await assert.rejects(c.count('siem/offenses', {}), (e: QRadarApiError) => e.status === 409 && e.details.qradarCode === 1008);
    server.switches.conflict = [];
    await assert.rejects(c.count('siem/offenses', { filter: 'status = = OPEN' }), (e: QRadarApiError) => e.status === 422 && e.details.qradarCode === 1010 && /Error Parsing filter/.test(e.message));
    await assert.rejects(c.json('GET', 'siem/offenses', { query: { sort: ' id' } }), (e: QRadarApiError) => e.status === 422 && e.details.qradarCode === 1030);
    const old = client(server, { apiVersion: '3.0' });
    await assert.rejects(old.count('siem/offenses', {}), /Version \(3\.0\) from header parameter \(Version\) has been removed/);
    old.close();
    const none = new QRadarClient({ consoleUrl: server.url, token: 'x-token' });
    // missing token on the wire is impossible through the client; a raw request shows the sample 401 body
    none.close();
    c.close();
  });

  test('rule names need an extra capability: 403 on /analytics/rules is a warning, the fetch completes', async () => {
    const c = client(server);
    server.switches.forbid = ['/analytics/rules'];
    const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: { ...WEEK, toMs: Date.UTC(2026, 2, 2, 1) } });
    server.switches.forbid = [];
    c.close();
    assert.equal(r.complete, true);
    assert.equal(r.manifest.offenses.fetched, 60);
    assert.equal(r.manifest.lookups.rules, undefined);
    assert.match(r.manifest.warnings[0], /^rule names not fetched: QRadar answered 403/);
  });

  test('address lookups are batched: 1,000 offenses → 10 source-address requests of 100 ids, 2 for 150 destinations', async () => {
    const s = await startMockQRadar({ token: TOKEN, offenses: synthetic(1000, { addressIds: true }), closingReasons: CLOSING, offenseTypes: TYPES });
    try {
      const c = client(s);
      const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: { ...WEEK, pageSize: 1000 } });
      c.close();
      assert.equal(r.complete, true);
      const srcReq = s.requests.filter((q) => q.path === '/api/siem/source_addresses');
      assert.equal(srcReq.length, 10);
      assert.ok(srcReq.every((q) => (q.query.filter.match(/\d+/g) ?? []).length === 100));
      assert.equal(r.manifest.lookups.sourceAddresses?.count, 1000);
      assert.equal(s.requests.filter((q) => q.path === '/api/siem/local_destination_addresses').length, 2);
      assert.equal(r.manifest.lookups.localDestinationAddresses?.count, 150);
      assert.equal(s.requests.filter((q) => q.path === '/api/siem/offense_types').length, 1);
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api: partial fetch and resume', () => {
  test('cancel mid-way keeps a partial NDJSON file; resume (with new offenses arriving) completes it without gaps or duplicates', async () => {
    const all = synthetic(1234);
    const server = await startMockQRadar({ token: TOKEN, offenses: all.slice(0, 1000), closingReasons: CLOSING, offenseTypes: TYPES });
    try {
      const dir = tmp();
      const file = join(dir, 'offenses.json');
      const ac = new AbortController();
      let c = client(server);
      const r1 = await fetchOffenses(c, file, { query: { ...WEEK, pageSize: 100 } }, { signal: ac.signal, onProgress: (p) => p.fetched >= 300 && ac.abort() });
      c.close();
      assert.equal(r1.complete, false);
      assert.equal(r1.error?.kind, 'cancelled');
      assert.equal(r1.manifest.status, 'partial');
      assert.equal(r1.manifest.partialReason, 'cancelled');
      assert.equal(r1.manifest.offenses.fetched, 300);
      assert.equal(r1.manifest.offenses.lastId, 100299);
      assert.equal(r1.manifest.offenses.layout, 'ndjson');
      assert.equal(offensesIn(file).length, 300);
      // the partial file is readable by the QRadar parser as it is
      assert.equal((await runQRadarRead([file])).offenses.length, 300);
      // a torn last line (a write cut short) is cut off on resume
      appendFileSync(file, '{"id": 100300, "descrip');
      // 234 offenses arrive meanwhile
      server.setOffenses(all);
      server.requests.length = 0;
      c = client(server);
      const r2 = await fetchOffenses(c, file, { resume: true });
      c.close();
      assert.equal(r2.complete, true, r2.error?.message);
      assert.equal(offenseRequests(server)[0].query.filter, 'start_time >= 1772409600000 and start_time < 1773014400000 and id > 100299');
      const ids = offensesIn(file).map((o) => o.id as number);
      assert.equal(ids.length, 1234);
      assert.equal(new Set(ids).size, 1234);
      assert.deepEqual(ids, all.map((o) => o.id));
      assert.equal(r2.manifest.runs.length, 2);
      assert.deepEqual(r2.manifest.runs.map((x) => [x.outcome, x.fetched]), [['cancelled', 300], ['complete', 934]]);
      assert.equal(r2.manifest.runs[1].resumedAfterId, 100299);
      assert.equal(r2.manifest.offenses.reportedTotal, 1234);
      assert.equal(r2.manifest.status, 'complete');
      await assert.rejects(fetchOffenses(client(server), file, { resume: true }), /already complete/);
    } finally {
      await server.close();
    }
  });

  test('network loss mid-way → partial with the network error; resume completes', async () => {
    const server = await startMockQRadar({ token: TOKEN, offenses: synthetic(777), closingReasons: CLOSING, offenseTypes: TYPES });
    try {
      const file = join(tmp(), 'o.json');
      server.switches.dropOffensePagesFrom = 4;
      let c = client(server, { maxRetries: 1 });
      const r1 = await fetchOffenses(c, file, { query: { ...WEEK, pageSize: 100 } });
      c.close();
      assert.equal(r1.complete, false);
      assert.equal(r1.error?.kind, 'network');
      assert.equal(r1.manifest.offenses.fetched, 300);
      assert.match(r1.manifest.partialReason ?? '', /^Network error talking to 127\.0\.0\.1:\d+ \(ECONNRESET\)/);
      server.switches.dropOffensePagesFrom = undefined;
      c = client(server);
      const r2 = await fetchOffenses(c, file, { resume: true });
      c.close();
      assert.equal(r2.complete, true);
      const ids = offensesIn(file).map((o) => o.id as number);
      assert.equal(ids.length, 777);
      assert.equal(new Set(ids).size, 777);
    } finally {
      await server.close();
    }
  });

  test('two runs of one fetch: the second is refused while the first runs (lock file); a lock of a process that is gone is taken over', async () => {
    const server = await startMockQRadar({ token: TOKEN, offenses: synthetic(500), closingReasons: CLOSING, offenseTypes: TYPES });
    try {
      const file = join(tmp(), 'offenses.json');
      const lock = fetchLockFile(file);
      // a first run that stops after its first page: partial
      const ac = new AbortController();
      await fetchOffenses(client(server), file, { query: { ...WEEK, pageSize: 100 } }, { signal: ac.signal, onProgress: (p) => p.fetched >= 100 && ac.abort() });
      assert.equal(existsSync(lock), false, 'released when the run ends');
      // two resumes at once (the review: a running fetch was offered for Resume): one runs, the other is refused
      let second: Promise<unknown> | undefined;
      const c = client(server);
      const r = await fetchOffenses(c, file, { resume: true }, {
        onProgress: () => {
          second ??= fetchOffenses(client(server), file, { resume: true }).then(
            () => 'ran',
            (e: Error) => e,
          );
        },
      });
      c.close();
      assert.match(String(await second), new RegExp(`^Error: A fetch into offenses\\.json is running \\(process ${process.pid} since \\d{4}-`));
      assert.equal(r.complete, true);
      assert.equal(offensesIn(file).length, 500, 'no duplicates: the second run appended nothing');
      assert.equal(existsSync(lock), false);
      // a lock left by a crashed process of this host is taken over; a lock of a live process is not
      const other = join(tmp(), 'o.json');
      writeFileSync(fetchLockFile(other), JSON.stringify({ host: hostname(), pid: 2 ** 22 + 12345, startedAt: '2026-12-01T00:00:00Z' }));
      const taken = await fetchOffenses(client(server), other, { query: WEEK });
      assert.equal(taken.complete, true);
      writeFileSync(fetchLockFile(other + '2'), JSON.stringify({ host: hostname(), pid: process.pid, startedAt: '2026-12-01T00:00:00Z' }));
      await assert.rejects(fetchOffenses(client(server), other + '2', { query: WEEK }), /is running \(process \d+ since 2026-12-01T00:00:00Z\)/);
      // a run whose lock was taken over meanwhile (thought gone) leaves the new owner's lock in place
      const third = join(tmp(), 'o3.json');
      const newOwner = JSON.stringify({ host: hostname(), pid: process.pid, startedAt: '2026-12-03T00:00:00Z', run: 'other' }) + '\n';
      const overtaken = await fetchOffenses(client(server), third, { query: WEEK }, { onProgress: () => writeFileSync(fetchLockFile(third), newOwner) });
      assert.equal(overtaken.complete, true);
      assert.equal(readFileSync(fetchLockFile(third), 'utf8'), newOwner);
      // a folder where the lock belongs is named as such (it said "another run" is running)
      const fourth = join(tmp(), 'o4.json');
      mkdirSync(fetchLockFile(fourth));
      await assert.rejects(fetchOffenses(client(server), fourth, { query: WEEK }), /^Error: The fetch lock .*o4\.json\.lock is a folder, not a lock file: remove it/);
      // a FIFO where the lock belongs is never read (the read would wait for a writer for ever)
      const fifth = join(tmp(), 'o5.json');
      execFileSync('mkfifo', [fetchLockFile(fifth)]);
      await assert.rejects(fetchOffenses(client(server), fifth, { query: WEEK }), /is running \(another run\)/);
    } finally {
      await server.close();
    }
  });

  test('a fetch never overwrites an existing one, and resume refuses another console', async () => {
    const server = await startMockQRadar({ token: TOKEN, offenses: synthetic(10), closingReasons: CLOSING, offenseTypes: TYPES });
    const other = await startMockQRadar({ token: TOKEN, offenses: [] });
    try {
      const file = join(tmp(), 'o.json');
      const ac = new AbortController();
      ac.abort();
      // cancelled before the first page: nothing is kept, so nothing is there to overwrite or resume
      assert.equal((await fetchOffenses(client(server), file, { query: WEEK }, { signal: ac.signal })).discarded, true);
      assert.equal(existsSync(fetchFiles(file).manifest), false);
      // a partial fetch (the listing answered, the closing reasons refused) is kept
      server.switches.conflict = ['/siem/offense_closing_reasons'];
      assert.equal((await fetchOffenses(client(server), file, { query: WEEK })).manifest.offenses.fetched, 10);
      server.switches.conflict = [];
      await assert.rejects(fetchOffenses(client(server), file, { query: WEEK }), /already exists/);
      await assert.rejects(fetchOffenses(client(other), file, { resume: true }), /came from http:\/\/127\.0\.0\.1:\d+, not from the configured console/);
      assert.equal(fetchFiles(file).manifest, file.replace(/\.json$/, '.manifest.json'));
    } finally {
      await server.close();
      await other.close();
    }
  });
});

describe('qradar-api: the token never leaves the SEC header', () => {
  test('every written file, log entry and error message is scanned for the token', async () => {
    const server = await startMockQRadar({ token: TOKEN, offenses: synthetic(321, { addressIds: true }), closingReasons: CLOSING, offenseTypes: TYPES });
    const dir = tmp();
    const log: RequestLogEntry[] = [];
    const errors: string[] = [];
    try {
      server.switches.echoToken = true;
      // 1) a complete fetch with retries
      server.switches.fail500Next = 1;
      let c = client(server, {}, log);
      let r = await fetchOffenses(c, join(dir, 'a.json'), { query: { ...WEEK, pageSize: 50 } });
      c.close();
      assert.equal(r.complete, true);
      // 2) a 409 whose message echoes the token (on the closing reasons: a fetch stopped at its first page keeps no
      // file, this one keeps the offenses and the reason in its manifest)
      server.switches.conflict = ['/siem/offense_closing_reasons'];
      c = client(server, {}, log);
      r = await fetchOffenses(c, join(dir, 'b.json'), { query: WEEK });
      c.close();
      server.switches.conflict = [];
      assert.equal(r.error?.status, 409);
      errors.push(r.error!.message, String(r.error!.details.serverMessage), r.error!.stack ?? '');
      assert.match(r.error!.message, /\(token \[redacted\]\)/);
      // 3) a 401 that echoes the (wrong) token sent
      const wrong = `${TOKEN}-x`;
      const c2 = new QRadarClient({ consoleUrl: server.url, token: wrong, onRequest: (e) => log.push(e) });
      await assert.rejects(c2.count('siem/offenses', {}), (e: QRadarApiError) => {
        errors.push(e.message, e.stack ?? '');
        return /Authorization token \[redacted\] is not valid/.test(e.message);
      });
      c2.close();
    } finally {
      await server.close();
    }
    const texts = [...errors, ...log.map((e) => JSON.stringify(e))];
    for (const f of readdirSync(dir)) texts.push(readFileSync(join(dir, f), 'utf8'));
    assert.equal(readdirSync(dir).length, 9); // a.json + manifest + 5 lookups; b.json + manifest
    assert.equal(log.length, 20); // 7 pages + 1 retried 500 + reasons, types, rules, 4 + 2 address batches; 1 page and the 409; the 401
    for (const t of texts) {
      assert.equal(t.includes(TOKEN), false, `token leaked: ${t.slice(0, 200)}`);
      assert.equal(t.includes(encodeURIComponent(TOKEN)), false);
    }
  });
});

export { synthetic, TOKEN, WEEK, SAMPLES, CLOSING, TYPES, SAMPLE_OFFENSES };

test('a token sent back as \\uXXXX escapes after 392 characters of message is hidden in the error, its reason line and the request log (hostile review)', async () => {
  const secret = 'abcd1234SECRETTOKEN';
  const esc = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const body = `{"message":"${'A'.repeat(392)}${esc}","code":26,"http_response":{"code":403,"message":"Forbidden"}}`;
  const srv = createServer((_req, res) => {
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const log: RequestLogEntry[] = [];
  const c = new QRadarClient({ consoleUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, token: secret, maxRetries: 0, onRequest: (e) => log.push(e) });
  const texts: string[] = [];
  try {
    await assert.rejects(c.count('siem/offenses', {}), (e: QRadarApiError) => {
      texts.push(e.message, String(e.details.serverMessage), httpErrorReason(e));
      return e.details.status === 403;
    });
  } finally {
    c.close();
    srv.close();
  }
  texts.push(...log.map((e) => JSON.stringify(e)));
  assert.ok(texts.length >= 4);
  for (const t of texts) assert.equal(/abcd/.test(t), false, `token prefix leaked: …${t.slice(380, 460)}`);
});
