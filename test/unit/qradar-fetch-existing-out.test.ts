/**
 * `soc-analytics qradar-fetch --out FILE` onto a file that no fetch wrote (no fetch manifest beside it: the analyst's
 * own offense export, a report) emptied it before the first request. It is now refused (exit 2) naming the file and
 * the way on (--force, or another --out file), before any request and with the file unchanged; `--force` replaces it;
 * a previous fetch's own output is resumed or refused as before.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, type CliIO } from '../../src/cli/cli';
import { startMockQRadar, type MockServer } from './qradar-api-mock';

type Obj = Record<string, unknown>;
const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;
const TOKEN = 'SECtok-existing-out-5b1f0c2a-7d3e-4a90-b6c1-2e8f9d0a4c11';
const TMP = mkdtempSync(join(tmpdir(), 'soc-fetch-existing-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const d = join(TMP, `d${++n}`);
  mkdirSync(d);
  return d;
};

describe('qradar-fetch --out onto an existing file that no fetch wrote', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockQRadar({
      token: TOKEN,
      offenses: readJson<Obj[]>(join(SAMPLES, 'offenses.json')),
      closingReasons: readJson<Obj[]>(join(SAMPLES, 'offense_closing_reasons.json')),
      offenseTypes: readJson<Obj[]>(join(SAMPLES, 'offense_types.json')),
      arielRows: () => [],
    });
  });
  after(() => server.close());
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO & { env: Obj; clientOverrides: Obj } = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: { QRADAR_TOKEN: TOKEN }, clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 } };
    return { io, out: () => out.join(''), err: () => err.join('') };
  }
  const fetchArgs = (out: string, ...more: string[]) => ['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', out, ...more];
  // the analyst's own offense export (the sample), where the fetch is told to write
  const own = readFileSync(join(SAMPLES, 'offenses.json'), 'utf8');

  test('refused: exit 2, the message names the file and --force / another file, the file unchanged, no request, nothing written', async () => {
    const dir = folder();
    const out = join(dir, 'march.json');
    writeFileSync(out, own);
    const before = server.requests.length;
    const c = capture();
    assert.equal(await main(fetchArgs(out), c.io), 2, c.err());
    assert.equal(
      c.err(),
      `soc-analytics qradar-fetch: --out ${out} already exists and is not qradar-fetch output (no fetch manifest ${join(dir, 'march.manifest.json')}); nothing was fetched or written. Pass --force to replace it, or choose another --out file\n`,
    );
    assert.equal(c.out(), '');
    assert.equal(readFileSync(out, 'utf8'), own, 'the file is unchanged');
    assert.deepEqual(readdirSync(dir), ['march.json'], 'no manifest, lock or lookup file');
    assert.equal(server.requests.length, before, 'no request was made');
  });

  test('an empty file and a relative --out are refused too (named as given)', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'x.json'), '');
    const c = capture();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(await main(fetchArgs('x.json'), c.io), 2, c.err());
    } finally {
      process.chdir(cwd);
    }
    assert.match(c.err(), /^soc-analytics qradar-fetch: --out x\.json already exists and is not qradar-fetch output \(no fetch manifest .*x\.manifest\.json\); .*Pass --force to replace it, or choose another --out file\n$/);
    assert.equal(readFileSync(join(dir, 'x.json'), 'utf8'), '');
  });

  test('a lookup file of the same stem (march.rules.json) no fetch wrote is named and kept', async () => {
    const dir = folder();
    const out = join(dir, 'march.json');
    const rules = join(dir, 'march.rules.json');
    writeFileSync(rules, '[{"id": 1, "name": "my rule"}]\n');
    const c = capture();
    assert.equal(await main(fetchArgs(out), c.io), 2, c.err());
    assert.equal(c.err(), `soc-analytics qradar-fetch: ${rules} exists beside --out ${out} and is not qradar-fetch output (no fetch manifest ${join(dir, 'march.manifest.json')}); nothing was fetched or written. Pass --force to replace it, or choose another --out file\n`);
    assert.equal(readFileSync(rules, 'utf8'), '[{"id": 1, "name": "my rule"}]\n');
    assert.equal(existsSync(out), false);
  });

  test('--force replaces it with the fetch (exit 0); --force beside --resume or for qradar-count is exit 2', async () => {
    const dir = folder();
    const out = join(dir, 'march.json');
    writeFileSync(out, '{"not": "offenses"}\n');
    let c = capture();
    assert.equal(await main(fetchArgs(out, '--force'), c.io), 0, c.err());
    assert.match(c.out(), /^6 offenses written to /);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as Obj[]).length, 6);
    assert.ok(!readdirSync(dir).some((f) => f.includes('.replaced-')), 'the replaced file is gone once the fetch wrote');
    c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--out', out, '--resume', '--force'], c.io), 2);
    assert.match(c.err(), /--force is for a new fetch .*leave out --force/);
    c = capture();
    assert.equal(await main(['qradar-count', '--url', server.url, '--from', '-1d', '--to', 'now', '--group', 'day', '--out', join(dir, 'c.json'), '--force'], c.io), 2);
    assert.match(c.err(), /--force is for qradar-fetch/);
  });

  test('--force with a console that cannot be reached: the file it was to replace is kept as it was, and the message says so', async () => {
    const dir = folder();
    const out = join(dir, 'march.json');
    writeFileSync(out, own);
    writeFileSync(join(dir, 'march.rules.json'), '[]\n');
    const c = capture();
    // nothing listens on port 9 (discard): the connection is refused before any page
    const code = await main(['qradar-fetch', '--url', 'https://127.0.0.1:9', '--from', '-1d', '--to', 'now', '--out', out, '--force', '--timeout', '2'], c.io);
    assert.equal(code, 4, c.err());
    assert.equal(readFileSync(out, 'utf8'), own, 'the existing file is unchanged');
    assert.deepEqual(readdirSync(dir).sort(), ['march.json', 'march.rules.json'], 'no backup, manifest or partial file left');
    assert.match(c.err(), new RegExp(`Nothing was fetched, so nothing was written: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is as it was \\(not replaced\\), no manifest`));
  });

  test('a previous fetch of ours: a new fetch onto it is refused as before (resume it), --force does not change that', async () => {
    const dir = folder();
    const out = join(dir, 'o.json');
    let c = capture();
    assert.equal(await main(fetchArgs(out), c.io), 0, c.err());
    const fetched = readFileSync(out, 'utf8');
    for (const extra of [[], ['--force']]) {
      c = capture();
      assert.equal(await main(fetchArgs(out, ...extra), c.io), 2, c.err());
      assert.match(c.err(), /^soc-analytics qradar-fetch: A fetch already exists at .*o\.manifest\.json; resume it or choose another file\n$/);
      assert.equal(readFileSync(out, 'utf8'), fetched);
    }
  });

  test('--help names --force', async () => {
    const c = capture();
    assert.equal(await main(['qradar-fetch', '--help'], c.io), 0);
    assert.match(c.out(), /--force {15}replace an existing --out FILE \(and lookup files beside it\) that no fetch wrote/);
  });
});
