/**
 * A console that cannot be reached as configured (new-user trial: `consoleUrl` https://127.0.0.1:9 retried the refused
 * connection 4 times, ~11 s, then left an empty failed-fetch folder that the next analysis reported as a problem):
 * - a connection refused / host not found on the client's first contact fails at once, one attempt, with what to
 *   check (not the backoff meant for a console that is loaded or restarting);
 * - once the console has answered, the same error is retried as before (a console restarting mid-fetch);
 * - a new fetch that got not one page keeps no file and removes the folder it created; a fetch that got a page, and
 *   a resume, keep their files as before.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QRadarClient, type QRadarClientOptions, type RequestLogEntry } from '../../src/core/qradar-api/client';
import type { QRadarApiError } from '../../src/core/qradar-api/errors';
import { fetchOffenses, type OffenseQuery } from '../../src/core/qradar-api/fetch';
import { main, type CliIO } from '../../src/cli/cli';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { startMockQRadar, type MockServer } from './qradar-api-mock';

const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
type Obj = Record<string, unknown>;
const OFFENSES = JSON.parse(readFileSync(join(SAMPLES, 'offenses.json'), 'utf8')) as Obj[];
const TOKEN = 'SECtok-unreachable-9c41';
const WEEK: OffenseQuery = { fromMs: Date.UTC(2026, 2, 2), toMs: Date.UTC(2026, 2, 9) };
const tmp = () => mkdtempSync(join(tmpdir(), 'soc-qradar-unreach-'));

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** The client's own retry defaults (4 retries, 1 s backoff): only the log is added. */
function client(consoleUrl: string, log: RequestLogEntry[], extra: Partial<QRadarClientOptions> = {}): QRadarClient {
  return new QRadarClient({ consoleUrl, token: TOKEN, onRequest: (e) => log.push(e), ...extra });
}

describe('first contact: a console that cannot be reached is not retried', () => {
  test('connection refused: one attempt, no retry delay, the cause and what to check', async () => {
    const port = await closedPort();
    const log: RequestLogEntry[] = [];
    const c = client(`http://127.0.0.1:${port}`, log);
    let err: QRadarApiError | undefined;
    await c.json('GET', 'siem/offenses', { range: [0, 0] }).catch((e: QRadarApiError) => (err = e));
    c.close();
    assert.ok(err, 'the request fails');
    assert.equal(err.kind, 'network');
    assert.equal(err.details.errno, 'ECONNREFUSED');
    assert.equal(err.details.neverReached, true);
    assert.equal(
      err.message,
      `Cannot connect to QRadar at 127.0.0.1:${port}: the connection was refused — nothing accepts connections on that host and port (ECONNREFUSED); check the console URL (host and port) — not retried`,
    );
    // one attempt, logged once, with no "retry in"
    assert.deepEqual(
      log.map((e) => [e.attempt, e.retryInMs]),
      [[1, undefined]],
    );
  });

  test('a POST (Ariel search) to a refused console is not retried either', async () => {
    const port = await closedPort();
    const log: RequestLogEntry[] = [];
    const c = client(`http://127.0.0.1:${port}`, log);
    await assert.rejects(c.request('POST', 'ariel/searches', { query: { query_expression: 'select 1' } }), (e: QRadarApiError) => e.details.neverReached === true);
    c.close();
    assert.equal(log.length, 1);
  });

  test('host name not found (ENOTFOUND): one attempt, says DNS and the console URL', async () => {
    // the module object itself (an ES namespace import is read-only): net looks up host names through it
    const dns = require('node:dns') as typeof import('node:dns');
    const original = dns.lookup;
    let lookups = 0;
    // no network needed: the resolver answers ENOTFOUND as for a mistyped console name
    (dns as { lookup: unknown }).lookup = (host: string, _o: unknown, cb?: (e: NodeJS.ErrnoException) => void) => {
      lookups++;
      const done = typeof _o === 'function' ? (_o as (e: NodeJS.ErrnoException) => void) : cb!;
      const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }) as NodeJS.ErrnoException;
      process.nextTick(() => done(e));
    };
    const log: RequestLogEntry[] = [];
    const c = client('https://qradar.mistyped.example', log);
    try {
      await assert.rejects(
        c.json('GET', 'siem/offenses', { range: [0, 0] }),
        (e: QRadarApiError) =>
          e.kind === 'network' &&
          e.details.errno === 'ENOTFOUND' &&
          e.details.neverReached === true &&
          e.message === 'Cannot connect to QRadar at qradar.mistyped.example: DNS does not know the host name (ENOTFOUND); check the console URL (host and port) and that this machine can reach it (DNS, VPN, proxy) — not retried',
      );
    } finally {
      (dns as { lookup: unknown }).lookup = original;
      c.close();
    }
    assert.equal(lookups, 1);
    assert.equal(log.length, 1);
  });
});

describe('after the console answered, a refused connection is retried (a console restarting mid-fetch)', () => {
  test('the second request to a console that went away is tried 1 + maxRetries times, the old message', async () => {
    const server = await startMockQRadar({ token: TOKEN, offenses: OFFENSES });
    const log: RequestLogEntry[] = [];
    const c = client(server.url, log, { maxRetries: 2, backoffBaseMs: 1, backoffMaxMs: 2 });
    assert.equal(await c.count('siem/offenses', {}), 6);
    const port = server.port;
    await server.close(); // the port is refused from now on
    log.length = 0;
    await assert.rejects(
      c.json('GET', 'siem/offenses', { range: [0, 0] }),
      (e: QRadarApiError) => e.details.errno === 'ECONNREFUSED' && e.details.neverReached === undefined && e.details.attempts === 3 && e.message.startsWith(`Network error talking to 127.0.0.1:${port} (ECONNREFUSED)`),
    );
    c.close();
    assert.deepEqual(
      log.map((e) => e.attempt),
      [1, 2, 3],
    );
    assert.ok(log[0].retryInMs !== undefined && log[1].retryInMs !== undefined && log[2].retryInMs === undefined);
  });
});

describe('a new fetch that got not one page keeps nothing', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockQRadar({ token: TOKEN, offenses: OFFENSES });
  });
  after(() => server.close());

  test('connection refused: discarded, one request, the folders the fetch made are removed', async () => {
    const root = tmp();
    const port = await closedPort();
    const log: RequestLogEntry[] = [];
    const c = client(`http://127.0.0.1:${port}`, log);
    // as the extension's <workspace>/qradar/offenses_…_fetched-…/offenses.json, qradar/ not there yet
    const file = join(root, 'qradar', 'offenses_x_fetched-y', 'offenses.json');
    const r = await fetchOffenses(c, file, { query: WEEK });
    c.close();
    assert.equal(r.complete, false);
    assert.equal(r.discarded, true);
    assert.equal(r.error?.details.errno, 'ECONNREFUSED');
    assert.equal(log.length, 1);
    assert.deepEqual(readdirSync(root), []);
  });

  test('401 into a folder that was there: the folder stays, empty (no offenses file, manifest or lock)', async () => {
    const dir = tmp();
    const c = new QRadarClient({ consoleUrl: server.url, token: 'not-the-token', maxRetries: 3, backoffBaseMs: 1 });
    const r = await fetchOffenses(c, join(dir, 'o.json'), { query: WEEK });
    c.close();
    assert.equal(r.discarded, true);
    assert.equal(r.error?.status, 401);
    assert.ok(existsSync(dir));
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a fetch that got its page and then failed keeps its files, partial (not discarded)', async () => {
    const dir = tmp();
    // the listing is answered (6 offenses), the closing reasons are refused: partial, resumable
    server.switches.forbid = ['offense_closing_reasons'];
    const c = new QRadarClient({ consoleUrl: server.url, token: TOKEN, maxRetries: 0 });
    try {
      const r = await fetchOffenses(c, join(dir, 'o.json'), { query: WEEK });
      assert.equal(r.complete, false);
      assert.equal(r.discarded, undefined);
      assert.equal(r.manifest.offenses.fetched, 6);
      assert.deepEqual(readdirSync(dir).sort(), ['o.json', 'o.manifest.json']);
    } finally {
      server.switches.forbid = [];
      c.close();
    }
  });

  test('a resume that cannot reach the console keeps the partial fetch (one attempt)', async () => {
    const own = await startMockQRadar({ token: TOKEN, offenses: OFFENSES });
    const dir = tmp();
    const file = join(dir, 'o.json');
    own.switches.forbid = ['offense_closing_reasons'];
    let c = new QRadarClient({ consoleUrl: own.url, token: TOKEN, maxRetries: 0 });
    assert.equal((await fetchOffenses(c, file, { query: WEEK })).manifest.offenses.fetched, 6);
    c.close();
    const url = own.url;
    await own.close();
    const log: RequestLogEntry[] = [];
    c = client(url, log);
    const r = await fetchOffenses(c, file, { resume: true });
    c.close();
    assert.equal(r.discarded, undefined);
    assert.equal(r.error?.details.neverReached, true);
    assert.equal(log.length, 1);
    assert.deepEqual(readdirSync(dir).sort(), ['o.json', 'o.manifest.json']);
    const m = JSON.parse(readFileSync(join(dir, 'o.manifest.json'), 'utf8')) as { status: string; offenses: { fetched: number } };
    assert.deepEqual([m.status, m.offenses.fetched], ['partial', 6]);
  });
});

describe('qradar-fetch (CLI) against a refused console', () => {
  test('exit 4 after one attempt, says nothing was written and to run it again; the folder stays empty and `qradar` finds nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'offenses.json');
    const port = await closedPort();
    const err: string[] = [];
    // the CLI's own client defaults (no clientOverrides): 4 retries with a 1 s backoff were ~11 s here before
    const io: CliIO & { env: Record<string, string> } = { stdout: () => {}, stderr: (s) => err.push(s), env: { QRADAR_TOKEN: TOKEN } };
    const code = await main(['qradar-fetch', '--url', `http://127.0.0.1:${port}`, '--from', '2026-03-02', '--to', '2026-03-09', '--out', out, '--verbose'], io);
    const text = err.join('');
    assert.equal(code, 4, text);
    // --verbose: one request line, no "retry in", no "attempt 2"
    const requestLines = text.split('\n').filter((l) => l.startsWith('GET '));
    assert.equal(requestLines.length, 1, text);
    assert.doesNotMatch(text, /retry in|attempt 2/);
    assert.ok(
      text.endsWith(
        `soc-analytics qradar-fetch: Cannot connect to QRadar at 127.0.0.1:${port}: the connection was refused — nothing accepts connections on that host and port (ECONNREFUSED); check the console URL (host and port) — not retried\n` +
          `Nothing was fetched, so nothing was written (no ${out}, no manifest); run the same command again once that is fixed.\n`,
      ),
      text,
    );
    assert.doesNotMatch(text, /--resume/);
    mkdirSync(dir, { recursive: true });
    assert.deepEqual(readdirSync(dir), []);
    const p = await runQRadarRead([dir]);
    assert.deepEqual([p.offenses.length, p.errors.length], [0, 0]);
  });
});
