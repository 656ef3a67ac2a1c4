/**
 * The QRadar REST client, paging, Ariel searches and the CLI against a hostile console (second round): a console
 * that trickles its answer forever, text with control and bidi characters, pages that are not arrays of objects,
 * a self-signed certificate, JSON nested too deep, and Ariel searches that loop or never finish. Each console is a
 * small `node:http(s)` server on 127.0.0.1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QRadarClient } from '../../src/core/qradar-api/client';
import { cleanText, QRadarApiError } from '../../src/core/qradar-api/errors';
import { main } from '../../src/cli/cli';
import { terminalErrorText, terminalSafe } from '../../src/core/text-safe';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';
import { capture } from './cli-capture';
import { hostile, json } from './hostile-console';

const tmp = () => mkdtempSync(join(tmpdir(), 'soc-qradar-hostile2-'));
const SAMPLES = '/work/shared/data/qradar/samples';
/** The CLI io of a QRadar API command: the token, fast retries. */
const apiIo = () => capture({ env: { QRADAR_TOKEN: TOKEN }, clientOverrides: { maxRetries: 0, backoffBaseMs: 1, pollMs: 1 } } as never);

type Obj = Record<string, unknown>;
const TOKEN = 'SECtok-hostile2-0a9c1d7e-2b44-4c1f-8e0d-5f3a6b7c8d9e';

const client = (url: string, extra: Partial<ConstructorParameters<typeof QRadarClient>[0]> = {}) =>
  new QRadarClient({ consoleUrl: url, token: TOKEN, timeoutMs: 5000, maxRetries: 2, backoffBaseMs: 1, backoffMaxMs: 5, ...extra });

describe('QRadar client: whole-answer deadline', () => {
  test('a console that trickles a byte every 50 ms (idle timeout 300 ms never fires) is stopped at 10× the timeout, naming the path and the deadline; not retried', { timeout: 30_000 }, async () => {
    const timers: NodeJS.Timeout[] = [];
    const s = await hostile((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Range': 'items */0' });
      res.write('[');
      const t = setInterval(() => {
        if (res.destroyed) return clearInterval(t);
        res.write(' ');
      }, 50);
      timers.push(t);
      // ends (valid JSON) after 15 s: without a deadline the request succeeds then (no error: the test fails)
      timers.push(setTimeout(() => {
        clearInterval(t);
        if (!res.destroyed) res.end(']');
      }, 15_000));
    });
    const c = client(s.url, { timeoutMs: 300 });
    try {
      assert.equal(c.answerDeadlineMs, 3000);
      const t0 = Date.now();
      const err = await c.json('GET', 'siem/offenses', { range: [0, 9] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const took = Date.now() - t0;
      assert.ok(err instanceof QRadarApiError, `expected an error, got ${String(err)}`);
      assert.equal(err.kind, 'timeout');
      assert.equal(err.message, 'QRadar did not finish its answer to GET /api/siem/offenses within 3 s (the whole-answer deadline, 10× the request timeout): the console sends too slowly or never ends the answer; not retried');
      // not before the deadline; no upper bound in wall time (a loaded CI machine took 5.5 s): the error above, a
      // timeout named as the whole-answer deadline while the console still sends, is what tells it stopped the read
      assert.ok(took >= 2900, `took ${took} ms`);
      assert.equal(s.requests.length, 1);
    } finally {
      for (const t of timers) clearInterval(t);
      c.close();
      await s.close();
    }
  });

  test('an explicit answerDeadlineMs is used and named without the factor', { timeout: 30_000 }, async () => {
    const timers: NodeJS.Timeout[] = [];
    const s = await hostile((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 40);
      timers.push(t);
      timers.push(setTimeout(() => {
        clearInterval(t);
        if (!res.destroyed) res.end(']');
      }, 4000));
    });
    const c = client(s.url, { timeoutMs: 1000, answerDeadlineMs: 700 });
    try {
      await assert.rejects(c.json('GET', 'ariel/searches/abc/results'), (e: QRadarApiError) => {
        assert.equal(e.message, 'QRadar did not finish its answer to GET /api/ariel/searches/abc/results within 700 ms (the whole-answer deadline): the console sends too slowly or never ends the answer; not retried');
        return true;
      });
    } finally {
      for (const t of timers) clearInterval(t);
      c.close();
      await s.close();
    }
  });

  test('an answer that comes in time within the deadline is read as before', async () => {
    const s = await hostile((_req, res) => json(res, 200, [{ id: 1 }], { 'Content-Range': 'items 0-0/1' }));
    const c = client(s.url, { timeoutMs: 300 });
    try {
      const r = await c.json<Obj[]>('GET', 'siem/offenses', { range: [0, 9] });
      assert.deepEqual(r.data, [{ id: 1 }]);
      assert.deepEqual(r.contentRange, { first: 0, last: 0, total: 1 });
    } finally {
      c.close();
      await s.close();
    }
  });
});

describe('console text: control, bidi and invisible characters', () => {
  test('a server error message with ESC, CR, C1 CSI and a bidi override reaches the CLI stderr stripped of them (terminal-safe), the text kept', async () => {
    const message = 'Bad\u001b[2J filter\rOK\u009b31m here \u202eexe.pdf\u202c and \u2066iso\u2069';
    const s = await hostile((_req, res) => json(res, 422, { http_response: { code: 422, message: 'x' }, code: 1010, description: 'd', message }));
    const c = apiIo();
    try {
      const code = await main(['qradar-fetch', '--url', s.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(tmp(), 'o.json')], c.io);
      assert.equal(code, 4);
      const first = c.err().split('\n')[0];
      assert.equal(first, 'soc-analytics qradar-fetch: QRadar answered 422 to GET /api/siem/offenses: Bad [2J filter OK 31m here exe.pdf and iso (code 1010)');
      assert.doesNotMatch(c.err(), /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    } finally {
      await s.close();
    }
  });

  test('cleanText (every server text in a QRadar error) strips C1 controls and bidi controls too', () => {
    assert.equal(cleanText('a\u0085b\u009bc \u202ed\u202c \u2067e\u2069'), 'a b c d e');
  });

  test('terminalErrorText: controls become spaces, bidi controls go, line breaks stay, invisible characters are shown', () => {
    assert.equal(terminalErrorText('no such file: a\rb\u001b[31m\u202ec\nnext\u200bline'), 'no such file: a b [31mc\nnext\\u200bline');
  });

  test('terminalSafe (reports, CLI tables, tree labels) shows zero-width and bidi characters as \\uXXXX instead of passing them on', () => {
    assert.equal(terminalSafe('Mal\u200bware \u200d\u200c\u2060\ufeff\u00ad \u200e\u200f\u061c \u202eRLO'), 'Mal\\u200bware \\u200d\\u200c\\u2060\\ufeff\\u00ad \\u200e\\u200f\\u061c \\u202eRLO');
    assert.equal(terminalSafe('line\n\ttab\u200b', true), 'line\n\ttab\\u200b');
    assert.equal(terminalSafe('plain Ünïcödé 漢字 ✓'), 'plain Ünïcödé 漢字 ✓');
  });

  test('qradar CLI report: an offense description with a zero-width space and an RLO shows them as \\u200b / \\u202e in the table', async () => {
    const offenses = JSON.parse(readFileSync(join(SAMPLES, 'offenses.json'), 'utf8')) as Obj[];
    offenses[0].description = 'Brute\u200bForce from \u202eexe.cod\n';
    const dir = tmp();
    const f = join(dir, 'offenses.json');
    writeFileSync(f, JSON.stringify(offenses));
    const c = capture();
    const code = await main(['qradar', f], c.io);
    assert.equal(code, 0);
    assert.match(c.out(), /Brute\\u200bForce from \\u202eexe\.cod/);
    assert.doesNotMatch(c.out(), /[\u200b\u202e]/);
  });

  test('CSV export: bidi and zero-width characters in a cell are kept as visible \\uXXXX text, other text unchanged', () => {
    assert.equal(neutralizeCell('invoice\u202efdp.exe'), 'invoice\\u202efdp.exe');
    assert.equal(neutralizeCell('Mal\u200bware\u2066x\u2069'), 'Mal\\u200bware\\u2066x\\u2069');
    assert.equal(neutralizeCell('\u200b=HYPERLINK("http://x")'), '\\u200b=HYPERLINK("http://x")');
    assert.equal(neutralizeCell('=1+1'), "'=1+1");
    assert.equal(neutralizeCell('Ünïcödé 漢字'), 'Ünïcödé 漢字');
    assert.equal(toCsv(['Rule'], [['Brute\u200bForce'], ['a\u202eb']]), 'Rule\r\nBrute\\u200bForce\r\na\\u202eb\r\n');
  });
});

describe('paged answers that are not JSON arrays of objects', () => {
  const WINDOW = { fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9), pageSize: 3 };

  test('fetch: pages with numbers, null, strings and lists among the offenses give one warning per page; the offenses are kept', async () => {
    const { fetchOffenses } = await import('../../src/core/qradar-api/fetch');
    const sample = JSON.parse(readFileSync(join(SAMPLES, 'offenses.json'), 'utf8')) as Obj[];
    // page 1: 2 offenses + 1 number; page 2: null, a list, an offense; page 3: the rest (objects only)
    const byCursor: Record<string, unknown[]> = {
      '': [sample[0], 7, sample[1]],
      [String(sample[1].id)]: [null, [1, 2], sample[2]],
      [String(sample[2].id)]: [sample[3], sample[4], sample[5]],
    };
    const s = await hostile((_req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return json(res, 200, [], { 'Content-Range': 'items */0' });
      const m = /id > (\d+)/.exec(u.searchParams.get('filter') ?? '');
      const page = byCursor[m ? m[1] : ''] ?? [];
      json(res, 200, page, { 'Content-Range': page.length ? `items 0-${page.length - 1}/${page.length}` : 'items */0' });
    });
    const c = client(s.url);
    try {
      const out = join(tmp(), 'o.json');
      const r = await fetchOffenses(c, out, { query: WINDOW });
      assert.equal(r.complete, true, r.error?.message);
      const kept = JSON.parse(readFileSync(out, 'utf8')) as Obj[];
      assert.deepEqual(kept.map((o) => o.id), sample.map((o) => o.id));
      const pageWarnings = r.manifest.warnings.filter((w) => /not (a )?JSON object/.test(w));
      assert.deepEqual(pageWarnings, [
        'offenses page 1: 1 of 3 items is not a JSON object (a number); left out, the other 2 kept',
        `offenses page 2 (after id ${sample[1].id}): 2 of 3 items are not JSON objects (null, a list); left out, the other 1 kept`,
      ]);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('lookups: a closing-reasons page that is an object, not an array, is one warning; the reasons of the page before are kept and the fetch completes', async () => {
    const { fetchOffenses } = await import('../../src/core/qradar-api/fetch');
    const sample = JSON.parse(readFileSync(join(SAMPLES, 'offenses.json'), 'utf8')) as Obj[];
    const reasons = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, text: `Reason ${i + 1}`, is_reserved: false, is_deleted: false }));
    const s = await hostile((req, res, u) => {
      if (u.pathname === '/api/siem/offenses') {
        const f = u.searchParams.get('filter') ?? '';
        const page = /id > /.test(f) ? [] : sample;
        return json(res, 200, page, { 'Content-Range': page.length ? `items 0-${page.length - 1}/${page.length}` : 'items */0' });
      }
      if (u.pathname === '/api/siem/offense_closing_reasons') {
        if (String(req.headers.range).startsWith('items=0-')) return json(res, 200, reasons, { 'Content-Range': 'items 0-499/600' });
        return json(res, 200, { message: 'maintenance' }, { 'Content-Range': 'items 500-599/600' });
      }
      json(res, 200, [], { 'Content-Range': 'items */0' });
    });
    const c = client(s.url);
    try {
      const out = join(tmp(), 'o.json');
      const r = await fetchOffenses(c, out, { query: { ...WINDOW, pageSize: 10 } });
      assert.equal(r.complete, true, r.error?.message);
      assert.equal(r.manifest.lookups.closingReasons?.count, 500);
      assert.deepEqual(r.manifest.warnings.filter((w) => /not a JSON array/.test(w)), [
        'siem/offense_closing_reasons items 500-999: QRadar answered with an object, not a JSON array; the listing ends here (the 500 items before it are kept)',
      ]);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('Ariel results with rows that are not objects: one warning per page (CLI stderr), the object rows counted', async () => {
    const s = await hostile((req, res, u) => {
      if (req.method === 'POST') return json(res, 201, { search_id: 's-9', status: 'COMPLETED', record_count: 4 });
      if (u.pathname.endsWith('/results')) {
        return json(res, 200, { events: [{ log_source: 'fw-1', events: '5.0' }, 42, null, { log_source: 'fw-2', events: '2.0' }] }, { 'Content-Range': 'items 0-3/4' });
      }
      json(res, 200, { search_id: 's-9', status: 'COMPLETED', record_count: 4 });
    });
    const c = apiIo();
    try {
      const out = join(tmp(), 'c.json');
      const code = await main(['qradar-count', '--url', s.url, '--from', '2026-03-02', '--to', '2026-03-09', '--group', 'log-source', '--out', out], c.io);
      assert.equal(code, 0, c.err());
      assert.equal(c.out(), `2 groups written to ${out}\nfw-1\t5\nfw-2\t2\n`);
      assert.equal(c.err(), 'warning: Ariel results of search s-9, rows 0-999: 2 of 4 items are not JSON objects (a number, null); left out, the other 2 kept\n');
      const file = JSON.parse(readFileSync(out, 'utf8')) as Obj;
      assert.deepEqual(file.warnings, ['Ariel results of search s-9, rows 0-999: 2 of 4 items are not JSON objects (a number, null); left out, the other 2 kept']);
    } finally {
      await s.close();
    }
  });
});

describe('CLI: an untrusted TLS certificate', () => {
  test('a self-signed console: exit 4, the advice names --ca <file> and --insecure, and verification stays on (no request reached the console)', async () => {
    const https = await import('node:https');
    const { issue, makePki } = await import('./qradar-api-certs');
    const pki = makePki();
    // the console's own certificate for 127.0.0.1, signed by its own key (a QRadar console's default)
    const self = issue('127.0.0.1', { ca: false, notBefore: Date.now() - 86_400_000, notAfter: Date.now() + 86_400_000 });
    let requests = 0;
    const server = https.createServer({ key: self.keyPem, cert: self.certPem }, (_req, res) => {
      requests++;
      json(res, 200, [], { 'Content-Range': 'items */0' });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = apiIo();
      const code = await main(['qradar-fetch', '--url', url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(tmp(), 'o.json')], c.io);
      assert.equal(code, 4);
      const lines = c.err().split('\n');
      assert.match(lines[0], /^soc-analytics qradar-fetch: TLS certificate of 127\.0\.0\.1:\d+ not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      assert.equal(
        lines[2],
        "soc-analytics qradar-fetch: the console's certificate is self-signed (a QRadar console's default): give that certificate (PEM; e.g. from openssl s_client -showcerts -connect <console>:443) with --ca <file>; as a last resort, --insecure skips the verification (the token could then reach an impostor: only on a network you trust, for a test console). Certificates are verified unless --insecure is given.",
      );
      assert.equal(requests, 0);

      // another CA given: the advice says the certificate still did not verify with the --ca file
      const caFile = join(tmp(), 'other-ca.pem');
      writeFileSync(caFile, pki.otherCa.certPem);
      const c2 = apiIo();
      const code2 = await main(['qradar-count', '--url', url, '--from', '-1d', '--to', 'now', '--group', 'day', '--ca', caFile, '--out', join(tmp(), 'c.json')], c2.io);
      assert.equal(code2, 4);
      assert.match(c2.err(), /\nsoc-analytics qradar-count: the console's certificate is self-signed and still did not verify with the --ca file \(it does not hold that certificate\): give the console's own certificate \(PEM\) with --ca <file>; as a last resort, --insecure skips the verification/);
      assert.equal(requests, 0);

      // the console's own certificate as --ca: it works, still verified
      const own = join(tmp(), 'own.pem');
      writeFileSync(own, self.certPem);
      const c3 = apiIo();
      const code3 = await main(['qradar-fetch', '--url', url, '--from', '2026-03-02', '--to', '2026-03-09', '--ca', own, '--out', join(tmp(), 'o.json')], c3.io);
      assert.equal(code3, 0, c3.err());
      assert.ok(requests > 0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('a console signed by a private CA: the advice is to give that CA with --ca <file>', async () => {
    const https = await import('node:https');
    const { makePki } = await import('./qradar-api-certs');
    const pki = makePki();
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (_req, res) => json(res, 200, [], { 'Content-Range': 'items */0' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = apiIo();
      assert.equal(await main(['qradar-count', '--url', url, '--from', '-1d', '--to', 'now', '--group', 'day', '--out', join(tmp(), 'c.json')], c.io), 4);
      assert.match(c.err(), /\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)[^\n]*\nsoc-analytics qradar-count: the console's certificate is signed by a CA this system does not trust \(a private CA\): give that CA certificate \(PEM\) with --ca <file>; as a last resort, --insecure skips the verification/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('JSON nested too deep (512 levels)', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  test('jsonDepthExceeded / parseJsonLimited: 512 levels read, 513 refused with where; brackets in strings do not count', async () => {
    const { jsonDepthExceeded, parseJsonLimited, JsonDepthError } = await import('../../src/core/json-depth');
    assert.equal(jsonDepthExceeded(deep(512)), -1);
    assert.equal(jsonDepthExceeded(deep(513)), 512);
    assert.equal(jsonDepthExceeded(`{"a":"${'['.repeat(2000)}\\"["}`), -1);
    assert.equal(jsonDepthExceeded(`[{"a":${deep(600)}}]`), 6 + 510);
    assert.deepEqual(parseJsonLimited('{"a":[1,{"b":2}]}'), { a: [1, { b: 2 }] });
    assert.throws(() => parseJsonLimited(deep(100_000)), (e: Error) => e instanceof JsonDepthError && e.message === 'JSON nested deeper than 512 levels (at character 513)');
  });

  test('an API page with an offense nested 100,000 levels deep: the fetch stops (partial) with a clear error, not a stack overflow', async () => {
    const { fetchOffenses } = await import('../../src/core/qradar-api/fetch');
    const body = `[{"id":4101,"description":"x","status":"OPEN","start_time":1772544005000,"magnitude":3,"extra":${deep(100_000)}}]`;
    const s = await hostile((_req, res, u) => {
      if (u.pathname !== '/api/siem/offenses') return json(res, 200, [], { 'Content-Range': 'items */0' });
      json(res, 200, body, { 'Content-Range': 'items 0-0/1' });
    });
    const c = client(s.url);
    try {
      const r = await fetchOffenses(c, join(tmp(), 'o.json'), { query: { fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9), pageSize: 10 } });
      assert.equal(r.complete, false);
      assert.equal(r.error?.kind, 'protocol');
      assert.equal(r.error?.message, `QRadar's answer to GET /api/siem/offenses nests JSON deeper than 512 levels (at character ${body.indexOf('[[') + 511} of ${body.length}); not read`);
      assert.equal(s.requests.length, 1, 'not retried');
    } finally {
      c.close();
      await s.close();
    }
  });

  test('an exported offenses JSON file with one record nested 600 levels deep: that record is a problem naming the limit, the other 5 are read', async () => {
    const offenses = readFileSync(join(SAMPLES, 'offenses.json'), 'utf8');
    const list = JSON.parse(offenses) as Obj[];
    const text = `[\n${list.map((o, i) => (i === 1 ? JSON.stringify(o).replace(/}$/, `,"extra":${deep(600)}}`) : JSON.stringify(o))).join(',\n')}\n]\n`;
    const f = join(tmp(), 'offenses.json');
    writeFileSync(f, text);
    const c = capture();
    const code = await main(['qradar', '--json', f], c.io);
    assert.equal(code, 0, c.err());
    const out = JSON.parse(c.out()) as { summary: { offenses: number }; errors: { file: string; line: number; message: string }[] };
    assert.equal(out.summary.offenses, 5);
    const line2 = text.split('\n')[2];
    assert.deepEqual(out.errors, [{ file: f, line: 3, message: `record 2: invalid JSON (JSON nested deeper than 512 levels (at character ${1 + line2.indexOf('[[') + 511})); skipped` }]);
  });

  test('an Ariel count file nested too deep is an error naming the limit', async () => {
    const { readArielCounts } = await import('../../src/core/qradar-api/ariel');
    const f = join(tmp(), 'deep.ariel-counts.json');
    writeFileSync(f, `{"events":${deep(1000)}}`);
    const r = await readArielCounts([f]);
    assert.deepEqual(r.errors, [{ file: f, line: 0, message: 'cannot read as JSON: JSON nested deeper than 512 levels (at character 522)' }]);
  });
});

describe('Ariel searches that loop or never finish', () => {
  const created = (id: string) => ({ search_id: id, status: 'WAIT', completed: false, progress: 0, record_count: 0, processed_record_count: 0, query_execution_time: 0 });
  const AQL = 'SELECT LOGSOURCENAME(logsourceid) AS log_source, SUM(eventcount) AS events FROM events GROUP BY logsourceid LAST 1 DAYS';

  test('a status QRadar does not document: a clear error naming the search and the status; the search is deleted', { timeout: 20_000 }, async () => {
    const { runArielSearch } = await import('../../src/core/qradar-api/ariel');
    const s = await hostile((req, res) => {
      if (req.method === 'POST') return json(res, 201, created('s-unknown'));
      if (req.method === 'DELETE') return json(res, 202, { search_id: 's-unknown', status: 'CANCELED' });
      json(res, 200, { search_id: 's-unknown', status: 'PAUSED\u001b[31m', progress: 50 });
    });
    const c = client(s.url);
    try {
      await assert.rejects(runArielSearch(c, AQL, { pollMs: 5, maxPollMs: 5, signal: AbortSignal.timeout(5000) }), (e: QRadarApiError) => {
        assert.equal(e.kind, 'protocol');
        assert.equal(e.message, 'The Ariel search s-unknown has an unknown status "PAUSED [31m" (QRadar documents WAIT, EXECUTE, SORTING, COMPLETED, CANCELED and ERROR); stopped, the search is deleted from the console');
        return true;
      });
      assert.deepEqual(s.requests.filter((r) => r.method === 'DELETE').map((r) => r.path), ['/api/ariel/searches/s-unknown']);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('a search stuck in EXECUTE beyond the whole deadline (10× the request timeout) stops with a message naming the search id; the search is deleted', { timeout: 20_000 }, async () => {
    const { runArielSearch } = await import('../../src/core/qradar-api/ariel');
    const s = await hostile((req, res) => {
      if (req.method === 'POST') return json(res, 201, created('s-stuck'));
      if (req.method === 'DELETE') return json(res, 202, { search_id: 's-stuck', status: 'CANCELED' });
      json(res, 200, { search_id: 's-stuck', status: 'EXECUTE', progress: 37 });
    });
    const c = client(s.url, { timeoutMs: 300 });
    try {
      const t0 = Date.now();
      await assert.rejects(runArielSearch(c, AQL, { pollMs: 20, maxPollMs: 50, signal: AbortSignal.timeout(12_000) }), (e: QRadarApiError) => {
        assert.equal(e.kind, 'timeout');
        assert.equal(e.message, 'The Ariel search s-stuck is still EXECUTE, progress 37% after 3 s (the whole deadline, 10× the request timeout); stopped, the search is deleted from the console — narrow the window or raise the timeout');
        return true;
      });
      const took = Date.now() - t0;
      assert.ok(took >= 2900, `took ${took} ms`); // (the 12 s signal would end it with another kind and message)
      assert.deepEqual(s.requests.filter((r) => r.method === 'DELETE').map((r) => r.path), ['/api/ariel/searches/s-stuck']);
    } finally {
      c.close();
      await s.close();
    }
  });

  // --timeout 1, the least the CLI takes (below 1 s is a usage error): a 10 s deadline
  test('CLI qradar-count: a search stuck in WAIT past --timeout × 10 exits 4 with the search id', { timeout: 30_000 }, async () => {
    const s = await hostile((req, res) => {
      if (req.method === 'POST') return json(res, 201, created('s-wait'));
      if (req.method === 'DELETE') return json(res, 202, { search_id: 's-wait', status: 'CANCELED' });
      json(res, 200, { search_id: 's-wait', status: 'WAIT', progress: 0 });
    });
    const c = apiIo();
    try {
      const code = await main(['qradar-count', '--url', s.url, '--from', '-1d', '--to', 'now', '--group', 'day', '--timeout', '1', '--out', join(tmp(), 'c.json')], c.io);
      assert.equal(code, 4);
      assert.equal(c.err(), 'soc-analytics qradar-count: The Ariel search s-wait is still WAIT, progress 0% after 10 s (the whole deadline, 10× the request timeout); stopped, the search is deleted from the console — narrow the window or raise the timeout\n');
    } finally {
      await s.close();
    }
  });

  test('result pages: the same rows again for the next page (no Content-Range) stop with a clear error instead of counting them twice', { timeout: 20_000 }, async () => {
    const { runArielSearch } = await import('../../src/core/qradar-api/ariel');
    const rows = [{ log_source: 'fw-1', events: '5.0' }, { log_source: 'fw-2', events: '2.0' }];
    const s = await hostile((req, res, u) => {
      if (req.method === 'POST') return json(res, 201, { search_id: 's-loop', status: 'COMPLETED', record_count: 5 });
      if (u.pathname.endsWith('/results')) return json(res, 200, { events: rows });
      json(res, 200, { search_id: 's-loop', status: 'COMPLETED', record_count: 5 });
    });
    const c = client(s.url);
    try {
      await assert.rejects(runArielSearch(c, AQL, { pollMs: 5, pageSize: 2 }), (e: QRadarApiError) => {
        assert.equal(e.kind, 'protocol');
        assert.equal(e.message, 'The Ariel search s-loop answered rows 2-3 with the same rows as the page before: a repeated page (Range seems to be ignored); stopped so no row is counted twice');
        return true;
      });
      assert.equal(s.requests.filter((r) => r.path.endsWith('/results')).length, 2);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('result pages: the first page again for a later Range (Content-Range items 0-1/5) is an error, not a silent end with 2 of 5 rows', async () => {
    const { runArielSearch } = await import('../../src/core/qradar-api/ariel');
    const s = await hostile((req, res, u) => {
      if (req.method === 'POST') return json(res, 201, { search_id: 's-rep', status: 'COMPLETED', record_count: 5 });
      if (u.pathname.endsWith('/results')) return json(res, 200, { events: [{ log_source: 'a', events: '1.0' }, { log_source: 'b', events: '1.0' }] }, { 'Content-Range': 'items 0-1/5' });
      json(res, 200, { search_id: 's-rep', status: 'COMPLETED', record_count: 5 });
    });
    const c = client(s.url);
    try {
      await assert.rejects(runArielSearch(c, AQL, { pollMs: 5, pageSize: 2 }), (e: QRadarApiError) => {
        assert.equal(e.message, 'The Ariel search s-rep answered rows 2-3 with rows from 0 on (Content-Range items 0-1/5): a repeated page; stopped so no row is counted twice');
        return true;
      });
    } finally {
      c.close();
      await s.close();
    }
  });
});
