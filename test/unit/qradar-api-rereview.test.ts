/**
 * Re-review of the QRadar client/fetch/Ariel hardening: the token is redacted before any server text
 * is cut short (a cut token was no longer recognised and its first part was logged), an Ariel
 * search's error messages are redacted, `Retry-After` accepts only delay-seconds or an HTTP date
 * (garbage meant "retry at once"), and a partial fetch written without offense ids (an older
 * `--fields` list) is refused on resume instead of being "completed" after one page.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QRadarClient, parseRetryAfter, type RequestLogEntry } from '../../src/core/qradar-api/client';
import { QRadarApiError } from '../../src/core/qradar-api/errors';
import { fetchOffenses, fetchFiles } from '../../src/core/qradar-api/fetch';
import { runArielSearch } from '../../src/core/qradar-api/ariel';

type Obj = Record<string, unknown>;
const TOKEN = 'SECtok-rereview-5b1e0c2a-77d4-4e0f-9a31-c2d8e6f4a1b3';
/** The first 8 characters of the token: a token cut short must not be printed either. */
const PREFIX = TOKEN.slice(0, 8);
const tmp = () => mkdtempSync(join(tmpdir(), 'soc-qradar-rereview-'));

async function hostile(handler: (req: http.IncomingMessage, res: http.ServerResponse, u: URL, n: number) => void): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${u.pathname}?${u.searchParams.toString()}`);
    req.resume();
    handler(req, res, u, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof QRadarClient>[0]> = {}) =>
  new QRadarClient({ consoleUrl: url, token: TOKEN, timeoutMs: 5000, maxRetries: 0, backoffBaseMs: 1, backoffMaxMs: 5, ...extra });

describe('qradar-api re-review: the token is redacted before server text is cut short', () => {
  test('an error message that echoes the token near the 400-character cut: no part of the token', async () => {
    const s = await hostile((req, res) => json(res, 422, { message: `${'x'.repeat(380)} bad token ${String(req.headers.sec)}`, code: 9 }));
    const log: RequestLogEntry[] = [];
    try {
      const c = client(s.url, { onRequest: (e) => log.push(e) });
      await assert.rejects(c.json('GET', 'siem/offenses'), (e: QRadarApiError) => {
        assert.equal(e.status, 422);
        assert.equal(e.message.includes(PREFIX), false, e.message.slice(-60));
        assert.equal(String(e.details.serverMessage).includes(PREFIX), false);
        return true;
      });
      c.close();
      assert.equal(JSON.stringify(log).includes(PREFIX), false);
    } finally {
      await s.close();
    }
  });

  test('an answer that is not JSON and echoes the token near the 120-character cut: no part of the token', async () => {
    const s = await hostile((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`${'y'.repeat(100)} ${String(req.headers.sec)}`);
    });
    try {
      const c = client(s.url);
      await assert.rejects(c.json('GET', 'siem/offenses'), (e: QRadarApiError) => e.kind === 'protocol' && !e.message.includes(PREFIX) && /\[redacted\]/.test(e.message));
      c.close();
    } finally {
      await s.close();
    }
  });

  test('a Content-Range that echoes the token near the 200-character cut is logged without any part of it', async () => {
    const s = await hostile((req, res) => json(res, 200, [], { 'Content-Range': `items */0 ${'z'.repeat(180)}${String(req.headers.sec)}` }));
    const log: RequestLogEntry[] = [];
    try {
      const c = client(s.url, { onRequest: (e) => log.push(e) });
      await c.json('GET', 'siem/offenses');
      c.close();
      assert.equal(log.length, 1);
      assert.equal(String(log[0].contentRange).includes(PREFIX), false, log[0].contentRange);
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api re-review: Ariel error messages are redacted', () => {
  const search = (status: string, extra: Obj = {}) => ({ search_id: 's-1', status, progress: 100, record_count: 1, ...extra });

  test('a COMPLETED search whose error message echoes the token: the warning is redacted', async () => {
    let sec = '';
    const s = await hostile((req, res, u) => {
      sec = String(req.headers.sec);
      const errs = { error_messages: [{ code: '1010', severity: 'ERROR', message: `data node refused token ${sec}` }] };
      if (req.method === 'POST') return json(res, 201, search('COMPLETED', errs));
      if (u.pathname.endsWith('/results')) return json(res, 200, { events: [{ day: '2026-03-03', events: '3.0' }] }, { 'Content-Range': 'items 0-0/1' });
      json(res, 200, search('COMPLETED', errs));
    });
    try {
      const c = client(s.url);
      const r = await runArielSearch(c, 'SELECT 1 FROM events', { pollMs: 1 });
      c.close();
      assert.equal(sec, TOKEN);
      assert.deepEqual(r.warnings, ['ERROR: data node refused token [redacted] (code 1010)']);
    } finally {
      await s.close();
    }
  });

  test('a search that ends in ERROR with the token in its message: the error is redacted', async () => {
    const s = await hostile((req, res) => {
      const errs = { error_messages: [{ severity: 'ERROR', message: `token ${String(req.headers.sec)} lacks capability` }] };
      json(res, req.method === 'POST' ? 201 : 200, search('ERROR', errs));
    });
    try {
      const c = client(s.url);
      await assert.rejects(runArielSearch(c, 'SELECT 1 FROM events', { pollMs: 1 }), (e: QRadarApiError) => {
        assert.equal(e.message, 'The Ariel search ended with status ERROR: ERROR: token [redacted] lacks capability');
        return true;
      });
      c.close();
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api re-review: Retry-After', () => {
  const now = Date.parse('2026-03-03T10:00:00Z');
  test('delay-seconds and the three HTTP date forms are read', () => {
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Tue, 03 Mar 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tuesday, 03-Mar-26 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue Mar  3 10:00:30 2026', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 03 Mar 2026 09:00:00 GMT', now), 0); // a date in the past: at once
  });

  test('garbage, negative and fractional values are ignored (backoff applies), not read as "retry at once"', () => {
    for (const v of ['2.5', '-5', '1.5', 'abc 1', 'soon', '1e3', '0x10']) assert.equal(parseRetryAfter(v, now), undefined, v);
  });

  test('a 429 with a garbage Retry-After waits the exponential backoff', async () => {
    const s = await hostile((_req, res, _u, n) => (n === 1 ? json(res, 429, '', { 'Retry-After': '2.5' }) : json(res, 200, [])));
    const log: RequestLogEntry[] = [];
    try {
      const c = client(s.url, { maxRetries: 1, backoffBaseMs: 40, backoffMaxMs: 1000, onRequest: (e) => log.push(e) });
      await c.json('GET', 'siem/offenses');
      c.close();
      assert.equal(log[0].status, 429);
      assert.ok((log[0].retryInMs ?? 0) >= 20, `retry in ${log[0].retryInMs} ms`);
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api re-review: resume of a partial fetch without offense ids', () => {
  test('a partial file written with --fields lacking id (older version) is refused, not completed after one page', async () => {
    const list = Array.from({ length: 30 }, (_, i) => ({ id: 1000 + i, description: `Offense ${i}` }));
    const s = await hostile((_req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return json(res, 200, [], { 'Content-Range': 'items */0' });
      json(res, 200, list.slice(0, 10).map((o) => ({ description: o.description })), { 'Content-Range': 'items 0-9/30' });
    });
    const dir = tmp();
    const file = join(dir, 'o.json');
    const files = fetchFiles(file);
    writeFileSync(file, `${list.slice(0, 5).map((o) => JSON.stringify({ description: o.description })).join('\n')}\n`);
    const manifest = {
      format: 'soc-analytics/qradar-offenses-fetch', version: 1, status: 'partial', console: s.url,
      query: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z', fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9), timeField: 'start_time', statuses: [], fields: ['description'], sort: '+id', pageSize: 10 },
      startedAt: '2026-03-10T10:00:00.000Z', updatedAt: '2026-03-10T10:00:05.000Z',
      offenses: { file: 'o.json', layout: 'ndjson', fetched: 5, reportedTotal: 30, duplicatesDropped: 0 },
      lookups: {}, runs: [{ startedAt: '2026-03-10T10:00:00.000Z', outcome: 'cancelled', fetched: 5 }], warnings: [],
    };
    writeFileSync(files.manifest, JSON.stringify(manifest));
    try {
      const c = client(s.url);
      await assert.rejects(fetchOffenses(c, file, { resume: true }), /no offense id/);
      c.close();
      assert.deepEqual(s.requests, []);
      assert.equal(JSON.parse(readFileSync(files.manifest, 'utf8')).status, 'partial');
    } finally {
      await s.close();
    }
  });

  test('an empty partial file whose fields lack id: the resume asks for the id too and completes', async () => {
    const list = Array.from({ length: 3 }, (_, i) => ({ id: 1000 + i, description: `Offense ${i}` }));
    const s = await hostile((_req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return json(res, 200, [], { 'Content-Range': 'items */0' });
      const f = u.searchParams.get('fields') ?? '';
      const m = /id > (\d+)/.exec(u.searchParams.get('filter') ?? '');
      const left = list.filter((o) => !m || o.id > Number(m[1]));
      const items = left.map((o) => (f.split(',').includes('id') ? o : { description: o.description }));
      json(res, 200, items, { 'Content-Range': items.length ? `items 0-${items.length - 1}/${items.length}` : 'items */0' });
    });
    const file = join(tmp(), 'o.json');
    const files = fetchFiles(file);
    writeFileSync(file, '');
    writeFileSync(files.manifest, JSON.stringify({
      format: 'soc-analytics/qradar-offenses-fetch', version: 1, status: 'partial', console: s.url,
      query: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z', fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9), timeField: 'start_time', statuses: [], fields: ['description'], sort: '+id', pageSize: 10 },
      startedAt: '2026-03-10T10:00:00.000Z', updatedAt: '2026-03-10T10:00:05.000Z',
      offenses: { file: 'o.json', layout: 'ndjson', fetched: 0, duplicatesDropped: 0 }, lookups: {}, runs: [], warnings: [],
    }));
    try {
      const c = client(s.url);
      const r = await fetchOffenses(c, file, { resume: true });
      c.close();
      assert.equal(r.complete, true, r.error?.message);
      assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as Obj[]).map((o) => o.id), [1000, 1001, 1002]);
      assert.deepEqual(r.manifest.query.fields, ['id', 'description']);
    } finally {
      await s.close();
    }
  });
});
