/**
 * QRadar fixes from the third new-user trial (a SOC analyst on the real data in /work/shared/data): one `describe`
 * per reported problem, each asserting the corrected values.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { main, type CliIO } from '../../src/cli/cli';
import { startMockQRadar, type MockServer } from './qradar-api-mock';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';

const DATA = process.env.SOC_SHARED_DATA ?? '/work/shared/data';
const SAMPLES = path.join(DATA, 'qradar/samples');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(args, { stdout: (s) => out.push(s), stderr: () => {} });
  return { code, out: out.join('') };
}

describe('#3 a saved QRadar API error answer (error_401.json) is a problem in the CLI as on the dashboard', () => {
  const why = /^not an export: an error answer of the QRadar API \(the request that wrote this file failed; skipped\) — QRadar API error body: No SEC header present in request/;

  it('qradar --json: summary.errors 1 and errors names the file and the reason, the dashboard\'s Problems row', async () => {
    const r = await cli(['qradar', SAMPLES, '--json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.out) as { summary: { errors: number }; errors: { file: string; line: number; message: string }[] };
    assert.equal(doc.summary.errors, 1);
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].file, path.join(SAMPLES, 'error_401.json'));
    assert.equal(doc.errors[0].line, 0);
    assert.match(doc.errors[0].message, why);
    const m = buildQRadarDashboard(await runQRadarRead([SAMPLES]), 'qradar', settings).model;
    // a whole-file problem (line 0) has no line in the Problems tab
    assert.deepEqual(m.tables.find((t) => t.id === 'errors')!.rows, doc.errors.map((e) => [e.file, e.line > 0 ? e.line : null, e.message]));
    assert.equal(m.cards.find((c) => c.id === 'errors')?.value, doc.summary.errors);
  });

  it('qradar text: "1 problem:" with the file and reason (listed once: not again under "Left out")', async () => {
    const r = await cli(['qradar', SAMPLES]);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    const at = lines.indexOf('1 problem:');
    assert.ok(at >= 0, r.out);
    assert.match(lines[at + 1], new RegExp(`^  ${path.join(SAMPLES, 'error_401.json').replace(/[.]/g, '\\.')}: not an export: an error answer of the QRadar API`));
    assert.ok(!lines.some((l) => l.startsWith(`  ${path.join(SAMPLES, 'error_401.json')}: QRadar API error body: `)));
    assert.equal(lines.filter((l) => l.includes('error_401.json')).length, 1);
  });
});

describe('#4 the duplicate-offense message says which copy was kept and how the copies differ', () => {
  const PUBLIC = path.join(DATA, 'qradar/public');
  const V3 = 'demisto-content-qradar-v3';

  it('public folder: offense 16 (list and update response) — kept offenses.json (same last_updated_time, later file), sources named', async () => {
    const p = await runQRadarRead([PUBLIC]);
    const dup = p.skipped.filter((s) => s.file === '').map((s) => s.reason);
    assert.deepEqual(dup, [
      '1 duplicate offense (same id and start_time) kept once: offense 16 (start_time 2021-02-15T14:24:11.536Z): ' +
        `kept ${V3}/offenses.json:2 (same last_updated_time, the later file in path order), dropped ${V3}/offense_update_response.json:1; ` +
        'the copies differ: destination_networks ["Net-16-182-192.Net_182_10_0_0"] (kept) vs ["Net-10-125-192.Net_125_12_0_0"], ' +
        'log_sources [{"name":"WindowsAuthServer @ 192.168.1.3","id":112,"typeId… (kept) vs [], offense_source 39.116.161.122 (kept) vs 32.114.123.141, ' +
        'follow_up false (kept) vs true',
    ]);
    const kept = p.offenses.find((o) => o.id === 16)!;
    assert.equal(kept.offenseSource, '39.116.161.122');
    assert.equal(kept.source.file, path.join(PUBLIC, V3, 'offenses.json'));
    // the text report's "Left out" says the same
    const r = await cli(['qradar', PUBLIC]);
    assert.ok(r.out.includes(`\n  ${dup[0]}\n`), r.out);
  });

  it('the same copy whatever the order the files are given in (the later file in path order on a tie)', async () => {
    const files = [path.join(PUBLIC, V3, 'offenses.json'), path.join(PUBLIC, V3, 'offense_update_response.json')];
    for (const order of [files, [...files].reverse()]) {
      const p = await runQRadarRead(order);
      assert.equal(p.offenses.find((o) => o.id === 16)!.offenseSource, '39.116.161.122');
    }
  });
});

describe('#5 qradar-fetch network and API errors: exit 4, and the qradar analysis reports the partial fetch', () => {
  const TOKEN = 'SECtok-trial3-5b1e';
  const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;
  let server: MockServer;
  before(async () => {
    server = await startMockQRadar({ token: TOKEN, offenses: readJson<Record<string, unknown>[]>(path.join(SAMPLES, 'offenses.json')) });
  });
  after(() => server.close());
  const api = async (args: string[], token = TOKEN) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: { QRADAR_TOKEN: token }, clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 } } as CliIO);
    return { code, out: out.join(''), err: err.join('') };
  };
  const closedPort = async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    return port;
  };
  const WINDOW = ['--from', '2026-03-02', '--to', '2026-03-09'];

  it('connection refused: exit 4 (documented) at once, and nothing is left for `qradar` to report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soc-trial3-fetch-'));
    const out = path.join(dir, 'offenses.json');
    const port = await closedPort();
    const f = await api(['qradar-fetch', '--url', `http://127.0.0.1:${port}`, ...WINDOW, '--out', out]);
    assert.equal(f.code, 4, f.err);
    assert.match(f.err, /\(ECONNREFUSED\); check the console URL/);
    // not one page: no empty offenses file and no partial manifest (the analysis reported them as a problem)
    assert.deepEqual(readdirSync(dir), []);
    const r = await cli(['qradar', dir, '--json']);
    assert.equal(r.code, 3); // nothing to analyze, as before
    const doc = JSON.parse(r.out) as { summary: { errors: number }; errors: unknown[]; skipped: unknown[] };
    assert.deepEqual([doc.summary.errors, doc.errors.length, doc.skipped.length], [0, 0, 0]);
  });

  it('a partial fetch that holds no offense (listing answered empty, then a lookup refused): `qradar` reports a failed fetch, not an empty export', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soc-trial3-fetch-'));
    const out = path.join(dir, 'offenses.json');
    const empty = await startMockQRadar({ token: TOKEN, offenses: [] });
    empty.switches.forbid = ['offense_closing_reasons'];
    try {
      const f = await api(['qradar-fetch', '--url', empty.url, ...WINDOW, '--out', out]);
      assert.equal(f.code, 4, f.err);
      const r = await cli(['qradar', dir, '--json']);
      assert.equal(r.code, 3);
      const doc = JSON.parse(r.out) as { summary: { errors: number }; errors: { file: string; line: number; message: string }[]; skipped: { file: string; reason: string }[] };
      assert.equal(doc.summary.errors, 1);
      assert.equal(doc.errors[0].file, out);
      assert.match(doc.errors[0].message, /^a failed QRadar fetch, not an empty export: not one offense was fetched \(offenses\.manifest\.json: partial: QRadar answered 403 to GET \/api\/siem\/offense_closing_reasons/);
      assert.ok(doc.errors[0].message.includes(`retry with soc-analytics qradar-fetch --url ${empty.url} --out ${out} --resume`), doc.errors[0].message);
      assert.deepEqual(doc.skipped.map((k) => [path.basename(k.file), k.reason.split(' (')[0]]), [['offenses.json', 'empty JSON array'], ['offenses.manifest.json', 'qradar-fetch manifest']]);
      // the dashboard shows the same problem
      const m = buildQRadarDashboard(await runQRadarRead([out]), 'qradar', settings).model;
      assert.deepEqual(m.tables.find((t) => t.id === 'errors')!.rows.map((x) => x[2]), [doc.errors[0].message]);
    } finally {
      await empty.close();
    }
  });

  it('401 (a wrong token): exit 4; a second page lost after the first: exit 4, and `qradar` reads 2 offenses and says 2 of 6 were fetched', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soc-trial3-fetch-'));
    const f401 = await api(['qradar-fetch', '--url', server.url, ...WINDOW, '--out', path.join(dir, 'a.json')], 'not-the-token');
    assert.equal(f401.code, 4, f401.err);
    assert.match(f401.err, /QRadar answered 401/);

    // a console of its own: the mock counts offense pages over its life
    const lossy = await startMockQRadar({ token: TOKEN, offenses: readJson<Record<string, unknown>[]>(path.join(SAMPLES, 'offenses.json')) });
    lossy.switches.dropOffensePagesFrom = 2;
    try {
      const out = path.join(dir, 'b.json');
      const f = await api(['qradar-fetch', '--url', lossy.url, ...WINDOW, '--out', out, '--page-size', '2']);
      assert.equal(f.code, 4, f.err);
      assert.match(f.err, /2 offenses kept in .*b\.json \(partial\)/);
      const r = await cli(['qradar', out, '--json']);
      assert.equal(r.code, 0);
      const doc = JSON.parse(r.out) as { summary: { offenses: number; errors: number }; errors: { file: string; message: string }[] };
      assert.equal(doc.summary.offenses, 2);
      assert.equal(doc.errors.length, 1);
      assert.match(doc.errors[0].message, /^a partial QRadar fetch: 2 of 6 offenses of the query were fetched \(b\.manifest\.json: partial: .*\); the others are missing — resume with soc-analytics qradar-fetch --url /);
    } finally {
      await lossy.close();
    }
  });
});
