/**
 * The QRadar REST client, offense fetch and Ariel search against a flaky or hostile console: a total
 * that changes mid-fetch, a server that ignores `Range`, an empty page before the end, offenses
 * without usable ids, 429 with Retry-After, an oversized answer, a `Content-Range` that echoes the
 * token, Ariel result pages capped by the server, a search COMPLETED with errors and a cancel while
 * the console stalls. Each console here is a small `node:http` server on 127.0.0.1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QRadarClient, type RequestLogEntry } from '../../src/core/qradar-api/client';
import { MAX_ERROR_BODY_CHARS, QRadarApiError, redact, redactHead } from '../../src/core/qradar-api/errors';
import { fetchOffenses, type OffenseQuery } from '../../src/core/qradar-api/fetch';
import { pages } from '../../src/core/qradar-api/paging';
import { runArielSearch } from '../../src/core/qradar-api/ariel';
import { main, type CliIO } from '../../src/cli/cli';
import { compileFilter } from './qradar-api-mock';
import { assertSubquadratic } from './cpu-cost';
import { hostile, json } from './hostile-console';

type Obj = Record<string, unknown>;
const TOKEN = 'SECtok-hostile-5b1e0c2a-77d4-4e0f-9a31-c2d8e6f4a1b3';
const WINDOW: OffenseQuery = { fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9), pageSize: 10 };
const tmp = () => mkdtempSync(join(tmpdir(), 'soc-qradar-hostile-'));

/** Answers the lookup endpoints of a fetch with empty lists (and a Content-Range total of 0). */
function emptyLookup(res: http.ServerResponse): void {
  json(res, 200, [], { 'Content-Range': 'items */0' });
}

/** `GET /siem/offenses` as QRadar answers it: `filter`, `sort=+id`, `Range` (clipped), `Content-Range`. */
function answerOffenses(list: Obj[], u: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
  const f = u.searchParams.get('filter');
  const matching = (f ? list.filter(compileFilter(f)) : list).sort((a, b) => (a.id as number) - (b.id as number));
  const m = /^items=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
  const a = m ? Number(m[1]) : 0;
  const b = m ? Number(m[2]) : matching.length - 1;
  const slice = matching.slice(a, b + 1);
  json(res, 200, slice, { 'Content-Range': slice.length ? `items ${a}-${a + slice.length - 1}/${matching.length}` : `items */${matching.length}` });
}

function offenses(n: number, first = 1000): Obj[] {
  return Array.from({ length: n }, (_, i) => ({ id: first + i, description: `Offense ${i}\n`, status: 'OPEN', start_time: Date.UTC(2026, 2, 3) + i * 60_000, magnitude: 3 }));
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof QRadarClient>[0]> = {}) =>
  new QRadarClient({ consoleUrl: url, token: TOKEN, timeoutMs: 5000, maxRetries: 2, backoffBaseMs: 1, backoffMaxMs: 5, ...extra });

const idsIn = (file: string): unknown[] => {
  const t = readFileSync(file, 'utf8');
  const arr = t.trimStart().startsWith('[') ? (JSON.parse(t) as Obj[]) : t.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Obj);
  return arr.map((o) => o.id);
};

describe('qradar-api hostile console: offense paging', () => {
  test('an offense closed while a status=OPEN fetch runs shifts the offsets: no other offense is lost', async () => {
    const list = offenses(30);
    let offensePages = 0;
    const s = await hostile((req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return emptyLookup(res);
      offensePages++;
      answerOffenses(list, u, req, res);
      // after the first page went out, the analyst closes offense 1003 (one of that page)
      if (offensePages === 1) list[3].status = 'CLOSED';
    });
    try {
      const c = client(s.url);
      const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: { ...WINDOW, statuses: ['OPEN'] } });
      c.close();
      assert.equal(r.complete, true, r.error?.message);
      const ids = idsIn(r.files.offenses);
      // 1003 was received while still open; every offense open for the whole fetch must be there too
      assert.deepEqual(ids, list.map((o) => o.id));
      assert.equal(r.manifest.offenses.fetched, 30);
    } finally {
      await s.close();
    }
  });

  test('a console that ignores Range and sends the whole list (no Content-Range) every time: each offense once, the fetch ends', async () => {
    const list = offenses(25);
    const s = await hostile((req, res, u) => (u.pathname === '/api/siem/offenses' ? json(res, 200, list) : emptyLookup(res)));
    try {
      const c = client(s.url);
      const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: WINDOW }, { signal: AbortSignal.timeout(3000) });
      c.close();
      assert.notEqual(r.error?.kind, 'cancelled', 'the fetch did not end by itself');
      assert.deepEqual(idsIn(r.files.offenses), list.map((o) => o.id));
      assert.ok(s.requests.filter((q) => q.path === '/api/siem/offenses').length <= 3);
    } finally {
      await s.close();
    }
  });

  test('pages(): a lookup endpoint that ignores Range (600 closing reasons in a page of 500) ends', async () => {
    const reasons = Array.from({ length: 600 }, (_, i) => ({ id: i + 1, text: `Reason ${i + 1}` }));
    const s = await hostile((_req, res) => json(res, 200, reasons, { 'Content-Range': 'items 0-599/600' }));
    try {
      const c = client(s.url);
      const got: unknown[] = [];
      const ac = AbortSignal.timeout(3000);
      await assert.doesNotReject(async () => {
        for await (const p of pages<Obj>(c, 'siem/offense_closing_reasons', { pageSize: 500, signal: ac })) got.push(...p.items);
      });
      c.close();
      assert.equal(got.length, 600);
      assert.ok(s.requests.length <= 2, `${s.requests.length} requests`);
    } finally {
      await s.close();
    }
  });

  test('an empty page before the end (Content-Range still says more) is asked again, not taken as the end', async () => {
    const list = offenses(30);
    let offensePages = 0;
    const s = await hostile((req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return emptyLookup(res);
      offensePages++;
      if (offensePages === 2) return json(res, 200, [], { 'Content-Range': 'items */30' });
      answerOffenses(list, u, req, res);
    });
    try {
      const c = client(s.url);
      const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: WINDOW });
      c.close();
      assert.equal(r.complete, true, r.error?.message);
      assert.equal(idsIn(r.files.offenses).length, 30);
      assert.deepEqual(r.manifest.warnings, []);
    } finally {
      await s.close();
    }
  });

  test('offenses with a null, missing or string id are kept and counted; string ids are de-duplicated', async () => {
    const page = [
      { id: 1, magnitude: '7' },
      { id: null, magnitude: 3 },
      { description: 'no id at all\n', start_time: -5 },
      { id: '4', start_time: 1e20 },
      { id: '4', start_time: 1e20 },
      { id: 2.5 },
    ];
    const s = await hostile((req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return emptyLookup(res);
      // the ids above 4 are none: the follow-up page asked for `id > 4` is empty
      const f = u.searchParams.get('filter') ?? '';
      if (/id > 4/.test(f)) return json(res, 200, [], { 'Content-Range': 'items */0' });
      json(res, 200, page, { 'Content-Range': 'items 0-5/6' });
    });
    try {
      const c = client(s.url);
      const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: { ...WINDOW, pageSize: 6 } }, { signal: AbortSignal.timeout(3000) });
      c.close();
      assert.equal(r.complete, true, r.error?.message);
      assert.deepEqual(idsIn(r.files.offenses), [1, null, undefined, '4', 2.5]);
      assert.equal(r.manifest.offenses.fetched, 5);
      assert.equal(r.manifest.offenses.duplicatesDropped, 1);
      assert.ok(r.manifest.warnings.some((w) => /3 offenses without a usable id/.test(w)), JSON.stringify(r.manifest.warnings));
      assert.ok(!r.manifest.warnings.some((w) => /Content-Range total/.test(w)), JSON.stringify(r.manifest.warnings));
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api hostile console: errors', () => {
  test('429 with Retry-After is retried after the time the console asked for', async () => {
    const s = await hostile((_req, res, _u, n) => (n === 1 ? json(res, 429, '<html><body>Too Many Requests</body></html>', { 'Retry-After': '1' }) : json(res, 200, [{ id: 1 }], { 'Content-Range': 'items 0-0/1' })));
    const log: RequestLogEntry[] = [];
    try {
      const c = client(s.url, { backoffMaxMs: 5000, onRequest: (e) => log.push(e) });
      const r = await c.json<Obj[]>('GET', 'siem/offenses', { range: [0, 0] });
      c.close();
      assert.deepEqual(r.data, [{ id: 1 }]);
      assert.deepEqual(log.map((e) => [e.status, e.retryInMs]), [[429, 1000], [200, undefined]]);
    } finally {
      await s.close();
    }
  });

  test('a redirect to another host is not followed (the token stays home) and the error says where it pointed', async () => {
    const elsewhere = await hostile((_req, res) => json(res, 200, []));
    const s = await hostile((_req, res) => json(res, 302, '', { Location: `${elsewhere.url}/api/siem/offenses?x=1` }));
    try {
      const c = client(s.url);
      await assert.rejects(c.json('GET', 'siem/offenses', { range: [0, 0] }), (e: QRadarApiError) => {
        assert.equal(e.status, 302);
        assert.equal(e.message, `QRadar answered 302 to GET /api/siem/offenses: redirected to ${elsewhere.url}; redirects are not followed, so the token is sent to the configured console only — set the console URL to the address the API answers on`);
        return true;
      });
      c.close();
      assert.equal(elsewhere.requests.length, 0);
      assert.equal(s.requests.length, 1, '3xx is not retried');
    } finally {
      await s.close();
      await elsewhere.close();
    }
  });

  test('an answer over the size limit fails at once with that reason (never downloaded again)', async () => {
    const s = await hostile((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`[${'"x",'.repeat(400_000)}"x"]`);
    });
    try {
      const c = client(s.url, { maxBodyBytes: 1_000_000 });
      await assert.rejects(c.json('GET', 'siem/offenses', { range: [0, 9] }), (e: QRadarApiError) => e.kind === 'protocol' && /larger than 976.6 KiB \(1,000,000 bytes\) to GET /.test(e.message));
      c.close();
      assert.equal(s.requests.length, 1);
    } finally {
      await s.close();
    }
  });

  test('CLI --verbose: a Content-Range that echoes the SEC token is redacted', async () => {
    const s = await hostile((req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return emptyLookup(res);
      json(res, 200, [], { 'Content-Range': `items */0 ${String(req.headers.sec)}` });
    });
    const out: string[] = [];
    const io: CliIO & { env: Record<string, string>; clientOverrides: { maxRetries: number; backoffBaseMs: number } } = {
      stdout: (x) => out.push(x),
      stderr: (x) => out.push(x),
      env: { QRADAR_TOKEN: TOKEN },
      clientOverrides: { maxRetries: 1, backoffBaseMs: 1 },
    };
    try {
      await main(['qradar-fetch', '--url', s.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(tmp(), 'o.json'), '--verbose'], io);
      const text = out.join('');
      assert.match(text, /\[redacted\]/);
      assert.equal(text.includes(TOKEN), false);
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api hostile console: Ariel', () => {
  test('CLI qradar-count: a group key with a tab or line break stays one line (no forged rows)', async () => {
    const s = await hostile((req, res, u) => {
      if (req.method === 'POST') return json(res, 201, { search_id: 's-1', status: 'COMPLETED', record_count: 1 });
      if (u.pathname.endsWith('/results')) return json(res, 200, { events: [{ log_source: 'fw-1\t1000000\nforged-source', events: '5.0' }] }, { 'Content-Range': 'items 0-0/1' });
      json(res, 200, { search_id: 's-1', status: 'COMPLETED', record_count: 1 });
    });
    const out: string[] = [];
    const io: CliIO & { env: Record<string, string>; clientOverrides: { maxRetries: number; backoffBaseMs: number; pollMs: number } } = {
      stdout: (x) => out.push(x),
      stderr: () => undefined,
      env: { QRADAR_TOKEN: TOKEN },
      clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 },
    };
    try {
      const code = await main(['qradar-count', '--url', s.url, '--from', '2026-03-02', '--to', '2026-03-09', '--group', 'log-source', '--out', join(tmp(), 'c.json')], io);
      assert.equal(code, 0);
      assert.deepEqual(out.join('').split('\n').slice(1), ['fw-1\\u00091000000\\u000aforged-source\t5', '']);
    } finally {
      await s.close();
    }
  });

  const searchObj = (status: string, extra: Obj = {}) => ({ search_id: 's-1', status, progress: status === 'COMPLETED' ? 100 : 10, record_count: 5, ...extra });

  test('result pages capped by the console (2 rows per page for 5): every row read', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ event_name: `E${i}`, events: `${i + 1}.0` }));
    const s = await hostile((req, res, u) => {
      if (req.method === 'POST') return json(res, 201, searchObj('COMPLETED'));
      if (u.pathname.endsWith('/results')) {
        const a = Number(/items=(\d+)-/.exec(String(req.headers.range))?.[1] ?? 0);
        const slice = rows.slice(a, a + 2);
        return json(res, 200, { events: slice }, { 'Content-Range': slice.length ? `items ${a}-${a + slice.length - 1}/5` : 'items */5' });
      }
      json(res, 200, searchObj('COMPLETED'));
    });
    try {
      const c = client(s.url);
      const r = await runArielSearch(c, 'SELECT 1 FROM events', { pollMs: 1, pageSize: 1000 });
      c.close();
      assert.deepEqual(r.rows.map((x) => x.event_name), ['E0', 'E1', 'E2', 'E3', 'E4']);
    } finally {
      await s.close();
    }
  });

  test('a search COMPLETED with error messages: the rows are kept and the messages returned as warnings', async () => {
    const errs = { error_messages: [{ code: '1010', message: 'Some results are missing: a data node did not answer', severity: 'ERROR', contexts: [] }] };
    const s = await hostile((req, res, u) => {
      if (req.method === 'POST') return json(res, 201, searchObj('EXECUTE'));
      if (u.pathname.endsWith('/results')) return json(res, 200, { events: [{ day: '2026-03-03', events: '3.0' }] }, { 'Content-Range': 'items 0-0/1' });
      json(res, 200, searchObj('COMPLETED', errs));
    });
    try {
      const c = client(s.url);
      const r = await runArielSearch(c, 'SELECT 1 FROM events', { pollMs: 1 });
      c.close();
      assert.equal(r.rows.length, 1);
      assert.deepEqual(r.warnings, ['ERROR: Some results are missing: a data node did not answer (code 1010)']);
    } finally {
      await s.close();
    }
  });

  // A cancel that waited for the stalled console (timeoutMs 10 min) would only end at the test's timeout.
  test('cancel while the console stalls: the search ends promptly, its deletion is still sent', { timeout: 60_000 }, async () => {
    // The console hangs from the first poll on, and the user cancels then: after the search was created whatever
    // the machine's load (a cancel on a 50 ms timer came before the create on a loaded machine: nothing to delete).
    const ac = new AbortController();
    const s = await hostile((req, res, u) => {
      // a new search, as the real create answers show it (nothing done yet): this run's, so deleted
      if (req.method === 'POST' && u.pathname === '/api/ariel/searches') return json(res, 201, searchObj('EXECUTE', { progress: 0, record_count: 0 }));
      // never answers (the console hangs): the poll, then the deletion
      if (!ac.signal.aborted) setTimeout(() => ac.abort(), 20);
    });
    try {
      const c = client(s.url, { timeoutMs: 600_000 });
      const notes: string[] = [];
      await assert.rejects(
        runArielSearch(c, 'SELECT 1 FROM events', { pollMs: 5, maxPollMs: 5, signal: ac.signal, cleanupTimeoutMs: 300, onCleanupFailed: (m) => notes.push(m) }),
        (e: QRadarApiError) => e.kind === 'cancelled',
      );
      c.close();
      // the search is deleted (which also stops it); the console never answers, so the wait ends at cleanupTimeoutMs
      // (not at the request timeout of 10 minutes), as the note says
      const del = s.requests.find((q) => q.method === 'DELETE' && q.path === '/api/ariel/searches/s-1');
      assert.ok(del, 'the deletion was sent');
      assert.deepEqual(notes, ['the Ariel search s-1 could not be deleted from the console (no answer within 300 ms); QRadar removes it when its results expire']);
    } finally {
      await s.close();
    }
  });
});

describe('qradar-api hostile console: the token echoed in another form', () => {
  const UUID = '5a0d1c2e-9f3b-4c7a-8e21-6b4d0f93c7e5';
  const bare = UUID.replace(/-/g, '');
  /** Every form a console or proxy was seen to echo; `header` is how it fits in a header (no line break). */
  const forms: { name: string; body: string; header: string }[] = [
    { name: 'upper-cased', body: UUID.toUpperCase(), header: UUID.toUpperCase() },
    { name: 'without dashes', body: bare, header: bare },
    { name: 'hex-encoded', body: Buffer.from(UUID).toString('hex'), header: Buffer.from(UUID).toString('hex') },
    { name: 'split by a line break', body: `${UUID.slice(0, 17)}\n${UUID.slice(17)}`, header: `${UUID.slice(0, 17)} ${UUID.slice(17)}` },
    { name: 'HTML entities', body: [...UUID].map((c) => `&#${c.charCodeAt(0)};`).join(''), header: [...UUID].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('') },
    { name: 'a 20-character fragment, upper-cased', body: bare.slice(6, 26).toUpperCase(), header: bare.slice(6, 26) },
  ];
  /** True when `text` still holds 16 consecutive characters of the token (any case, any separators, or hex). */
  const leaks = (text: string): string | undefined => {
    const flat = text.toLowerCase().replace(/[^0-9a-z]/g, '');
    const decoded = text.replace(/&#(\d+);?/g, (_, d: string) => String.fromCharCode(Number(d))).replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const flatDecoded = decoded.toLowerCase().replace(/[^0-9a-z]/g, '');
    const hex = Buffer.from(UUID).toString('hex');
    for (const [needle, hay] of [[bare, flat], [bare, flatDecoded], [hex, flat]] as const) {
      for (let i = 0; i + 16 <= needle.length; i++) if (hay.includes(needle.slice(i, i + 16))) return needle.slice(i, i + 16);
    }
    return undefined;
  };

  for (const f of forms) {
    test(`CLI qradar-count --verbose: a 401 echoing the token ${f.name} (message, Content-Range) never prints it`, async () => {
      const s = await hostile((_req, res) => json(res, 401, { code: 26, message: `bad token ${f.body}` }, { 'Content-Range': `items 0-0/${f.header}` }));
      const out: string[] = [];
      const io: CliIO & { env: Record<string, string>; clientOverrides: { maxRetries: number; backoffBaseMs: number; pollMs: number } } = {
        stdout: (x) => out.push(x),
        stderr: (x) => out.push(x),
        env: { QRADAR_TOKEN: UUID },
        clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 },
      };
      try {
        const code = await main(['qradar-count', '--url', s.url, '--from', '2026-03-02', '--to', '2026-03-09', '--group', 'day', '--out', join(tmp(), 'c.json'), '--verbose'], io);
        const text = out.join('');
        assert.notEqual(code, 0);
        // the request-log line (status, server message, Content-Range) and the final error are both printed
        assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/api\/ariel\/searches.* → HTTP 401 \(code 26\): bad token \[redacted\] \[items 0-0\/\[redacted\]\]/);
        assert.match(text, /QRadar answered 401 to POST \/api\/ariel\/searches: bad token \[redacted\] \(code 26\)/);
        assert.equal(leaks(text), undefined, text);
        assert.equal(text.includes(f.body), false);
      } finally {
        await s.close();
      }
    });
  }

  test('redact: every form, fragments of 16 characters and more, not shorter ones or other text', () => {
    const r = (t: string) => redact(t, [UUID]);
    for (const f of [...forms.map((x) => x.body), encodeURIComponent(UUID).replace(/./g, (c) => `%${c.charCodeAt(0).toString(16)}`), `\\u0035\\u0061${UUID.slice(2)}`, Buffer.from(`user:${UUID}`).toString('base64'), UUID.split('').join(' ')]) {
      assert.match(r(`token=${f}; end`), /^token=(dXNlcjo1)?\[redacted\]; end$/, f);
      assert.equal(leaks(r(`token=${f}; end`)), undefined, f);
    }
    // a fragment shorter than 16 characters, and unrelated hex, stay
    assert.equal(r(`id ${bare.slice(0, 12)} and deadbeefdeadbeefdeadbeef`), `id ${bare.slice(0, 12)} and deadbeefdeadbeefdeadbeef`);
    assert.equal(r('QRadar answered 401: bad token'), 'QRadar answered 401: bad token');
    assert.equal(r(`a ${UUID.toUpperCase()} b ${bare} c`), 'a [redacted] b [redacted] c');
  });

  test('redactHead: a token split by the cut of a long error body is redacted whole, in every form and at every split', () => {
    const M = 1000;
    const all = [...forms.map((x) => x.body), encodeURIComponent(UUID).replace(/./g, (c) => `%${c.charCodeAt(0).toString(16)}`), `\\u0035\\u0061${UUID.slice(2)}`, Buffer.from(`user:${UUID}`).toString('base64'), UUID.split('').join(' ')];
    for (const f of all) {
      for (let k = 1; k < f.length; k++) {
        const text = `${'x'.repeat(M - k)}${f}${' tail'.repeat(400)}`;
        const full = redact(text, [UUID]);
        const at = full.indexOf('[redacted]');
        assert.ok(at >= 0, f);
        // as in the whole text redacted, up to the cut; the match that runs over the cut replaced whole
        const want = at < M ? full.slice(0, at + '[redacted]'.length) : text.slice(0, M);
        const got = redactHead(text, [UUID], M);
        assert.deepEqual(got, { text: want, cut: true }, `${f} cut after ${k}`);
      }
    }
    // short enough: the text redacted whole, not cut
    assert.deepEqual(redactHead(`a ${UUID} b`, [UUID], M), { text: 'a [redacted] b', cut: false });
  });

  test('redactHead: a token whose rest lies past a long run of spaces after the cut is not shown either (the cut moves back)', () => {
    const M = 1000;
    const near = `${'x'.repeat(M - 10)}${UUID.slice(0, 10)}${' '.repeat(1000)}${UUID.slice(10)} end`;
    assert.equal(redact(near, [UUID]), `${'x'.repeat(M - 10)}[redacted] end`);
    assert.deepEqual(redactHead(near, [UUID], M), { text: `${'x'.repeat(M - 10)}[redacted]`, cut: true });
    // past the look-ahead (4,096 characters): the cut goes back before the last 16 characters (a dash is a separator:
    // the token's 9 others and 7 `x`s)
    const far = `${'x'.repeat(M - 10)}${UUID.slice(0, 10)}${' '.repeat(10_000)}${UUID.slice(10)} end`;
    assert.equal(redact(far, [UUID]), `${'x'.repeat(M - 10)}[redacted] end`);
    assert.deepEqual(redactHead(far, [UUID], M), { text: 'x'.repeat(M - 17), cut: true });
  });

  test('an error body over 64 KiB: only its start is read (the message says so and how big it was); a token split by the cut stays hidden', async () => {
    // 2 MiB of a proxy's page; the token starts 10 characters before the cut at 64 KiB
    const lead = 'proxy error: ';
    const body = `${lead}${' '.repeat(MAX_ERROR_BODY_CHARS - lead.length - 10)}${UUID}${' more'.repeat((2 * 1024 * 1024 - MAX_ERROR_BODY_CHARS - 26) / 5)}`;
    assert.equal(body.length, 2 * 1024 * 1024);
    for (const status of [500, 200]) {
      const s = await hostile((_req, res) => {
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end(body);
      });
      try {
        const c = new QRadarClient({ consoleUrl: s.url, token: UUID, timeoutMs: 5000, maxRetries: 0 });
        const err = await c.json('GET', 'siem/offenses').then(
          () => assert.fail('no error'),
          (e: QRadarApiError) => e,
        );
        c.close();
        assert.equal(
          err.message,
          status === 500
            ? `QRadar answered 500 to GET /api/siem/offenses: proxy error: [redacted] [error body of ${body.length} bytes; only its first ${MAX_ERROR_BODY_CHARS} characters were read]`
            : 'QRadar sent an answer that is not JSON for GET /api/siem/offenses: proxy error: [redacted]',
        );
        assert.equal(leaks(err.message), undefined);
        assert.equal(err.message.includes(UUID.slice(0, 8)), false);
      } finally {
        await s.close();
      }
    }
  });

  test('redact stays linear on a long hostile body (near-misses, escapes, entities)', () => {
    const unit = `${bare.slice(0, 15)}x&#53;%35\\u0035- \n${UUID.slice(0, 15)}&#`;
    const big = unit.repeat(200_000);
    assert.equal(redact(big, [UUID]).length, big.length);
    // CPU time of 200,000 units against 12,500
    assertSubquadratic('redact', (n) => unit.repeat(n), (t) => redact(t, [UUID]), 200_000 / 16);
  });
});
