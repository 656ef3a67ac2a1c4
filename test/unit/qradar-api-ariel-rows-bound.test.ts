/**
 * Hostile review of the Ariel results reading (src/core/qradar-api/ariel.ts, runArielSearch; *SOC: Count Events in
 * QRadar (AQL)…* and `soc-analytics qradar-count`): the rows of a search were read until the console's total
 * (`Content-Range`, the search's `record_count`) said none were left, and every row of a page was kept — also a page
 * with more rows than asked. A console (or a proxy in front of it) that answered a count with `LIMIT 3` with 5,003 rows
 * in one page, or counted 10 rows for `LIMIT 4`, had them all read and written to the count file; one that counted
 * millions had them all held in memory. Now no more rows are read than the query's `LIMIT` (aqlRowLimit; a query
 * without one: DEFAULT_MAX_ARIEL_ROWS, 1,000,000), the Range asked never goes past it, and a warning says when the
 * bound left rows out. Each console here is a small `node:http` server on 127.0.0.1; the rows are the real sample
 * results (shared/data/qradar/samples/ariel_search_results.json: the count of offense 4102 with `LIMIT 3`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ariel from '../../src/core/qradar-api/ariel';
import { buildCountAql, countFile, runArielSearch, type ArielCountSpec } from '../../src/core/qradar-api/ariel';
import { QRadarClient } from '../../src/core/qradar-api/client';
import { assertSubquadratic } from './cpu-cost';
import { main } from '../../src/cli/cli';

type Obj = Record<string, unknown>;
const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
const SAMPLE_ROWS = (JSON.parse(readFileSync(join(SAMPLES, 'ariel_search_results.json'), 'utf8')) as { events: Obj[] }).events;
const SAMPLE_STATUS = JSON.parse(readFileSync(join(SAMPLES, 'ariel_search_status.json'), 'utf8')) as Obj;
const TOKEN = 'SECtok-rowsbound-3e9a1c70-5b2d-4f86-a0c4-7d1e2f3a4b5c';
/** The sample count (ariel_search_status.json's query): offense 4102, per event name, LIMIT 3, same window. */
const SPEC: ArielCountSpec = { group: 'eventName', fromMs: 1772540000000, toMs: 1772620000000, offenseId: 4102, limit: 3 };
/** Rows a console should not have sent: more event names beyond the LIMIT. */
const EXTRA = Array.from({ length: 5000 }, (_, i) => ({ event_name: `Extra event ${i}`, events: '1.0' }));

interface Console {
  url: string;
  /** `Range` headers of the results requests, in order. */
  ranges: (string | undefined)[];
  close(): Promise<void>;
}

/** A console whose searches complete at once (as ariel_search_status.json) and whose results requests `results` answers. */
async function fakeConsole(results: (range: string | undefined, res: http.ServerResponse) => void): Promise<Console> {
  const ranges: Console['ranges'] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname.endsWith('/results')) {
      ranges.push(req.headers.range);
      return results(req.headers.range, res);
    }
    // the create (201: a new search, WAIT, nothing done yet), the status polls (COMPLETED) and the DELETE
    if (req.method === 'POST') return send(res, 201, { search_id: 's-bound', status: 'WAIT', progress: 0, record_count: 0 });
    send(res, req.method === 'DELETE' ? 202 : 200, { ...SAMPLE_STATUS, search_id: 's-bound' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ranges,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
const client = (url: string) => new QRadarClient({ consoleUrl: url, token: TOKEN, timeoutMs: 5000, maxRetries: 1, backoffBaseMs: 1, backoffMaxMs: 5 });
/** `items=a-b` → [a, b]. */
function rangeOf(h: string | undefined): [number, number] {
  const m = /^items=(\d+)-(\d+)$/.exec(h ?? '');
  assert.ok(m, `a Range header items=a-b, got ${String(h)}`);
  return [Number(m[1]), Number(m[2])];
}

describe('Ariel results: never more rows than the query LIMIT', () => {
  test('a console that ignores Range and sends 5,003 rows for LIMIT 3: the 3 real rows are kept, a warning says the rest was left out', async () => {
    const all = [...SAMPLE_ROWS, ...EXTRA];
    const c = await fakeConsole((_range, res) => send(res, 200, { events: all }, { 'Content-Range': `items 0-${all.length - 1}/${all.length}` }));
    try {
      const cl = client(c.url);
      const aql = buildCountAql(SPEC);
      const run = await runArielSearch(cl, aql, { pollMs: 1 });
      cl.close();
      assert.deepEqual(run.rows, SAMPLE_ROWS);
      assert.deepEqual(c.ranges, ['items=0-2'], 'one request, for the LIMIT 3 rows only');
      assert.equal(run.rowWarnings.length, 1, run.rowWarnings.join(' | '));
      assert.match(run.rowWarnings[0], /^Ariel results of search s-bound: only the first 3 rows were kept \(the query's LIMIT 3\); QRadar sent 5,003 rows for rows 0-2 and counts 5,003 — the other 5,000 were left out$/);
      // the count file keeps the warning and the 3 rows
      const file = countFile(cl.origin, SPEC, aql, run, Date.UTC(2026, 2, 4));
      assert.deepEqual(file.events, SAMPLE_ROWS);
      assert.deepEqual(file.warnings, run.rowWarnings);
    } finally {
      await c.close();
    }
  });

  test('a console that pages as asked but counts 10 rows for LIMIT 4: pages of 2 up to row 3, no request past the LIMIT', async () => {
    const all = [...SAMPLE_ROWS, ...EXTRA.slice(0, 7)];
    const c = await fakeConsole((range, res) => {
      const [a, b] = rangeOf(range);
      const page = all.slice(a, Math.min(b + 1, a + 2)); // the console's page cap: 2 rows
      send(res, 200, { events: page }, { 'Content-Range': `items ${a}-${a + page.length - 1}/${all.length}` });
    });
    try {
      const cl = client(c.url);
      const run = await runArielSearch(cl, buildCountAql({ ...SPEC, limit: 4 }), { pollMs: 1, pageSize: 2 });
      cl.close();
      assert.deepEqual(run.rows, all.slice(0, 4));
      assert.deepEqual(c.ranges.map(rangeOf), [[0, 1], [2, 3]]);
      assert.deepEqual(run.rowWarnings, ["Ariel results of search s-bound: only the first 4 rows were kept (the query's LIMIT 4); QRadar counts 10 — the other 6 were left out"]);
    } finally {
      await c.close();
    }
  });

  test('a last page that would pass the LIMIT is asked only up to it (LIMIT 3, pages of 2: rows 0-1, then 2-2)', async () => {
    const c = await fakeConsole((range, res) => {
      const [a, b] = rangeOf(range);
      const page = SAMPLE_ROWS.slice(a, b + 1);
      send(res, 200, { events: page }, { 'Content-Range': `items ${a}-${a + page.length - 1}/${SAMPLE_ROWS.length}` });
    });
    try {
      const cl = client(c.url);
      const run = await runArielSearch(cl, buildCountAql(SPEC), { pollMs: 1, pageSize: 2 });
      cl.close();
      assert.deepEqual(run.rows, SAMPLE_ROWS);
      assert.deepEqual(c.ranges, ['items=0-1', 'items=2-2']);
      assert.deepEqual(run.rowWarnings, [], 'exactly the LIMIT: nothing left out, no warning');
    } finally {
      await c.close();
    }
  });

  test('a console that sends the real 3 rows for LIMIT 1000 as asked: all kept, no warning (the bound changes nothing)', async () => {
    const c = await fakeConsole((_range, res) => send(res, 200, { events: SAMPLE_ROWS }, { 'Content-Range': 'items 0-2/3' }));
    try {
      const cl = client(c.url);
      const run = await runArielSearch(cl, buildCountAql({ ...SPEC, limit: 1000 }), { pollMs: 1 });
      cl.close();
      assert.deepEqual(run.rows, SAMPLE_ROWS);
      assert.deepEqual(c.ranges, ['items=0-999']);
      assert.deepEqual(run.rowWarnings, []);
    } finally {
      await c.close();
    }
  });

  test('maxRows given: it bounds a query without LIMIT (a console counting 5,003 rows: 2 pages of 2, then stop)', async () => {
    const all = [...SAMPLE_ROWS, ...EXTRA];
    const c = await fakeConsole((range, res) => {
      const [a, b] = rangeOf(range);
      const page = all.slice(a, b + 1);
      send(res, 200, { events: page }, { 'Content-Range': `items ${a}-${a + page.length - 1}/${all.length}` });
    });
    try {
      const cl = client(c.url);
      const run = await runArielSearch(cl, 'SELECT QIDNAME(qid) AS event_name, SUM(eventcount) AS events FROM events GROUP BY qid', { pollMs: 1, pageSize: 2, maxRows: 4 } as Parameters<typeof runArielSearch>[2]);
      cl.close();
      assert.deepEqual(run.rows, all.slice(0, 4));
      assert.deepEqual(c.ranges, ['items=0-1', 'items=2-3']);
      assert.deepEqual(run.rowWarnings, ['Ariel results of search s-bound: only the first 4 rows were kept (maxRows 4); QRadar counts 5,003 — the other 4,999 were left out']);
    } finally {
      await c.close();
    }
  });
});

/**
 * Runs `qradar-count --limit 3` (and `extra` flags) against a console that sends 5,003 rows for LIMIT 3; `check` gets
 * stdout, stderr, the count file and the console; the exit code must be 0.
 */
async function countAgainstOverSender(extra: string[], check: (r: { out: string; err: string; file: string; c: Console }) => void): Promise<void> {
  const all = [...SAMPLE_ROWS, ...EXTRA];
  const c = await fakeConsole((_range, res) => send(res, 200, { events: all }, { 'Content-Range': `items 0-${all.length - 1}/${all.length}` }));
  const dir = mkdtempSync(join(tmpdir(), 'soc-ariel-bound-'));
  try {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (x: string) => out.push(x), stderr: (x: string) => err.push(x), env: { QRADAR_TOKEN: TOKEN }, clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 } };
    const file = join(dir, 'c.ariel-counts.json');
    const args = ['qradar-count', '--url', c.url, '--from', '1772540000000', '--to', '1772620000000', '--group', 'event-name', '--offense', '4102', '--limit', '3', '--out', file, ...extra];
    assert.equal(await main(args, io), 0, err.join(''));
    check({ out: out.join(''), err: err.join(''), file, c });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await c.close();
  }
}
const BOUND_WARNING = "Ariel results of search s-bound: only the first 3 rows were kept (the query's LIMIT 3); QRadar sent 5,003 rows for rows 0-2 and counts 5,003 — the other 5,000 were left out";

describe('soc-analytics qradar-count: the same bound', () => {
  test('--limit 3 against a console that sends 5,003 rows: the count file holds the 3 real groups and the warning; stderr says so (exit 0)', async () => {
    await countAgainstOverSender([], ({ out, err, file, c }) => {
      assert.equal(err, `warning: ${BOUND_WARNING}\n`);
      assert.equal(out, '3 groups written to ' + file + '\nFailure Audit: An account failed to log on\t34\nMultiple Login Failures for the Same User\t2\nSuccess Audit: An account was successfully logged on\t1\n');
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { events: Obj[]; warnings?: string[]; aql: string };
      assert.deepEqual(saved.events, SAMPLE_ROWS);
      assert.deepEqual(saved.warnings, [BOUND_WARNING]);
      assert.deepEqual(c.ranges, ['items=0-2']);
    });
  });

  test('--json: stdout\'s JSON carries the warning as the count file does (it was on stderr only)', async () => {
    await countAgainstOverSender(['--json'], ({ out, file }) => {
      const json = JSON.parse(out) as { rows: Obj[]; warnings?: string[]; file: string };
      assert.equal(json.file, file);
      assert.deepEqual(json.rows, SAMPLE_ROWS);
      assert.deepEqual(json.warnings, [BOUND_WARNING]);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { warnings?: string[] };
      assert.deepEqual(saved.warnings, json.warnings);
    });
  });
});

describe('aqlRowLimit: the LIMIT of an AQL query', () => {
  // (looked up by name: absent before the fix, so these tests fail rather than the file not compiling)
  const aqlRowLimit = (ariel as unknown as { aqlRowLimit?: (aql: string) => number | undefined }).aqlRowLimit;
  const limitOf = (aql: string) => {
    assert.equal(typeof aqlRowLimit, 'function', 'aqlRowLimit is exported');
    return aqlRowLimit!(aql);
  };

  test('the real sample query (ariel_search_status.json) and every count template', () => {
    assert.equal(limitOf(String(SAMPLE_STATUS.query_string)), 3);
    for (const group of ['day', 'hour', 'eventName', 'logSource', 'sourceIp'] as const) {
      assert.equal(limitOf(buildCountAql({ group, fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 3, 1), limit: 77 })), 77, group);
    }
    // the defaults of buildCountAql: a day per day of the window + 2, an hour per hour + 2, 1000 names
    assert.equal(limitOf(buildCountAql({ group: 'day', fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 3, 1) })), 33);
    assert.equal(limitOf(buildCountAql({ group: 'hour', fromMs: 0, toMs: 86_400_000 })), 26);
    assert.equal(limitOf(buildCountAql({ group: 'sourceIp', fromMs: 0, toMs: 1 })), 1000);
  });

  test('LIMIT in any case and spacing; none, or one inside a string, identifier or parentheses, is no LIMIT', () => {
    assert.equal(limitOf('select sourceip from events limit 7 last 10 minutes'), 7);
    assert.equal(limitOf('SELECT * FROM events\nLIMIT\t12\nSTART 0 STOP 1'), 12);
    assert.equal(limitOf('SELECT sourceip FROM events LIMIT 0'), 0);
    assert.equal(limitOf('SELECT sourceip FROM events'), undefined);
    assert.equal(limitOf("SELECT * FROM events WHERE payload ILIKE '%LIMIT 5%'"), undefined);
    assert.equal(limitOf("SELECT * FROM events WHERE payload ILIKE '%it''s LIMIT 5%' LIMIT 9"), 9);
    assert.equal(limitOf('SELECT "LIMIT 5" FROM events'), undefined);
    assert.equal(limitOf('SELECT * FROM events WHERE sourceip IN (SELECT sourceip FROM events LIMIT 2)'), undefined);
    assert.equal(limitOf('SELECT * FROM events WHERE nolimit 5 = 1 ORDER BY x LIMIT 40'), 40);
    assert.equal(limitOf('SELECT * FROM events LIMIT 99999999999999999999'), undefined, 'beyond a safe integer: not a usable bound');
    assert.equal(limitOf('SELECT * FROM events LIMIT -3'), undefined);
  });

  test('linear in the query length (runs of LIMIT words, spaces, quotes and parentheses)', () => {
    limitOf('SELECT 1 FROM events LIMIT 1');
    const fn = aqlRowLimit!;
    assertSubquadratic('aqlRowLimit', (n) => `SELECT * FROM events WHERE ${'LIMIT '.repeat(n / 8)}${' '.repeat(n / 4)}LIMIT${' '.repeat(n / 4)}x ${"'a' ".repeat(n / 16)}${'('.repeat(n / 16)} LIMIT 5`, fn, 4000);
  });

  test('DEFAULT_MAX_ARIEL_ROWS is 1,000,000', () => {
    assert.equal((ariel as unknown as { DEFAULT_MAX_ARIEL_ROWS?: number }).DEFAULT_MAX_ARIEL_ROWS, 1_000_000);
  });
});
