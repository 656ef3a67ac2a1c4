/**
 * `qradar-fetch` against a console that never runs out of offenses (a wrong filter, a faulty or hostile server): every
 * page is full of new ids and Content-Range counts a billion left. The fetch stops at --max-offenses (default
 * DEFAULT_MAX_OFFENSES) instead of filling the disk, leaves the file partial and resumable, and a resume with a larger
 * bound goes on. A console with exactly as many offenses as the bound ends complete.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { DEFAULT_MAX_OFFENSES, fetchOffenses } from '../../src/core/qradar-api/fetch';
import { QRadarClient } from '../../src/core/qradar-api/client';
import { capture } from './cli-capture';
import { hostile } from './hostile-console';

const TOKEN = 'SECtok-bound-7e1d2c3b-4a59-4f60-9b8c-0d1e2f3a4b5c';
const apiIo = () => capture({ env: { QRADAR_TOKEN: TOKEN }, clientOverrides: { maxRetries: 0, backoffBaseMs: 1, pollMs: 1 } } as never);

/**
 * A console whose offenses are ids 1 … `total` (Infinity: never ending), answering `Range: items=0-(k-1)` of
 * `id > cursor` with the next k ids; lookups answer empty lists.
 */
function endless(total = Infinity) {
  return hostile((req, res, u) => {
    const send = (body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (u.pathname !== '/api/siem/offenses') return send([]);
    const after = Number(/id > (\d+)/.exec(u.searchParams.get('filter') ?? '')?.[1] ?? 0);
    const m = /items=(\d+)-(\d+)/.exec(String(req.headers.range ?? ''));
    const want = m ? Number(m[2]) - Number(m[1]) + 1 : 50;
    const left = total - after;
    const n = Math.max(0, Math.min(want, left));
    const items = Array.from({ length: n }, (_, i) => ({ id: after + 1 + i, description: `Offense ${after + 1 + i}`, status: 'OPEN', start_time: 1_772_600_000_000 + i, magnitude: 3 }));
    const reported = Number.isFinite(left) ? left : 1_000_000_000;
    send(items, { 'Content-Range': n ? `items 0-${n - 1}/${reported}` : `items */${reported}` });
  });
}

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim().startsWith('{')).length;

describe('qradar-fetch: the most offenses one fetch keeps', () => {
  test('the default bound is 2,000,000 offenses (four times the issue\'s year of offenses)', () => {
    assert.equal(DEFAULT_MAX_OFFENSES, 2_000_000);
  });

  test('an endless console stops at --max-offenses exactly (the last page asks only for what fits), exit 4, partial; a resume with a larger bound goes on', async () => {
    const s = await endless();
    const dir = mkdtempSync(join(tmpdir(), 'soc-fetch-bound-'));
    const out = join(dir, 'o.json');
    try {
      const c = apiIo();
      const code = await main(['qradar-fetch', '--url', s.url, '--from', '2026-03-02', '--to', '2026-03-09', '--page-size', '100', '--max-offenses', '250', '--out', out], c.io);
      assert.equal(code, 4, c.err());
      assert.match(c.err(), /stopped at 250 offenses, the most one fetch keeps \(--max-offenses \/ socAnalytics\.qradar\.maxOffenses, 250\), while QRadar had more \(it counted 999,999,950 left\); fetch a narrower time range, or raise the limit and resume/);
      assert.match(c.err(), /250 offenses kept in .*o\.json \(partial\)\. Resume with a larger bound: soc-analytics qradar-fetch --url \S+ --out \S+o\.json --resume --max-offenses 500\n/);
      assert.equal(lines(out), 250);
      assert.deepEqual(s.requests.filter((r) => r.path === '/api/siem/offenses').map((r) => r.range), ['items=0-99', 'items=0-99', 'items=0-49']);
      const manifest = JSON.parse(readFileSync(join(dir, 'o.manifest.json'), 'utf8'));
      assert.equal(manifest.status, 'partial');
      assert.equal(manifest.offenses.fetched, 250);
      assert.equal(manifest.offenses.lastId, 250);

      // resuming with the same bound refuses at once (nothing asked); a larger one goes on from id 250
      const c2 = apiIo();
      const before = s.requests.length;
      assert.equal(await main(['qradar-fetch', '--url', s.url, '--out', out, '--resume', '--max-offenses', '250'], c2.io), 4);
      assert.match(c2.err(), /the file already holds 250 offenses, the most one fetch keeps .*250\); raise the limit to resume/);
      assert.equal(s.requests.slice(before).filter((r) => r.path === '/api/siem/offenses').length, 0);
      const c3 = apiIo();
      assert.equal(await main(['qradar-fetch', '--url', s.url, '--out', out, '--resume', '--max-offenses', '400'], c3.io), 4);
      assert.match(c3.err(), /stopped at 400 offenses/);
      assert.equal(lines(out), 400);
      const ids = readFileSync(out, 'utf8').match(/"id":\d+/g)!.map((x) => Number(x.slice(5)));
      assert.deepEqual([ids[0], ids[249], ids[250], ids[399], new Set(ids).size], [1, 250, 251, 400, 400]);
    } finally {
      await s.close();
    }
  });

  test('a console with exactly as many offenses as the bound ends complete (its Content-Range counts none left)', async () => {
    const s = await endless(300);
    const dir = mkdtempSync(join(tmpdir(), 'soc-fetch-bound-'));
    const out = join(dir, 'o.json');
    const client = new QRadarClient({ consoleUrl: s.url, token: TOKEN, maxRetries: 0, backoffBaseMs: 1 });
    try {
      const r = await fetchOffenses(client, out, { query: { fromMs: 0, toMs: 1, pageSize: 100 } }, { maxOffenses: 300 });
      assert.equal(r.complete, true, r.error?.message);
      assert.equal(r.manifest.offenses.fetched, 300);
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).length, 300);
    } finally {
      client.close();
      await s.close();
    }
  });

  test('--max-offenses 0, -5, 2.5 and text are exit 2; qradar-count refuses it', async () => {
    for (const bad of ['0', '-5', '2.5', 'lots']) {
      const c = apiIo();
      assert.equal(await main(['qradar-fetch', '--url', 'https://q.example', '--from', '-1d', '--to', 'now', '--out', join(tmpdir(), 'x.json'), '--max-offenses', bad], c.io), 2, bad);
      assert.match(c.err(), /--max-offenses .*must be a positive whole number of offenses/);
    }
    const c = apiIo();
    assert.equal(await main(['qradar-count', '--url', 'https://q.example', '--from', '-1d', '--to', 'now', '--group', 'day', '--out', join(tmpdir(), 'x.json'), '--max-offenses', '5'], c.io), 2);
    assert.match(c.err(), /--max-offenses is for qradar-fetch/);
  });
});
