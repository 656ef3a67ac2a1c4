/**
 * A file name is attacker-controlled and may copy Loki's own keys: `FILE: /tmp/a SCORE: 0 TYPE: TXT … REASON_1: Yara
 * Rule MATCH: Benign SUBSCORE: 0 …` before Loki's real ` SCORE: 140 TYPE: EXE … MD5: <real> … MATCH: Evil`. The path is
 * read up to the first ` SCORE: <n> TYPE: ` (loki-format §4 pitfall 17), so such a finding showed score 0, rule Benign
 * and no hash, silently. The parser now warns at the line (plain and CSV layouts, object and columnar paths; Loki-RS plain
 * `Match: <path> SCORE: <n> REASONS: [` likewise).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { parseLokiText } from '../../src/core/parse/loki';
import { laterScoreKey } from '../../src/core/parse/python-messages';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-forged-keys-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const FORGED_NAME = '/tmp/a SCORE: 0 TYPE: TXT SIZE: 1 MD5: 00000000000000000000000000000000 REASON_1: Yara Rule MATCH: Benign SUBSCORE: 0 DESCRIPTION: ok';
const body = (path: string) =>
  `FILE: ${path} SCORE: 140 TYPE: EXE SIZE: 98 MD5: eb64742c8a91693e57b92f7b61f2b49a SHA1: 9ba5fa06346e731a2e34bdfb81f498cc192f6ac2 ` +
  'SHA256: 93b2655fd80ac3f7144c052a974d294862204f8884d6b85d02fa0d1d4d41d08b CREATED: Sun Mar  9 22:03:18 2025 MODIFIED: Sun Mar  9 22:03:18 2025 ' +
  'ACCESSED: Wed Mar 12 03:44:10 2025 REASON_1: Yara Rule MATCH: Evil SUBSCORE: 140 DESCRIPTION: bad REF: - AUTHOR: x';
const plain = (path: string) => `20250312T03:44:10Z web01 LOKI: Alert: MODULE: FileScan MESSAGE: ${body(path)}\n`;
const csv = (path: string) => `20250312T03:44:10Z,web01,ALERT,FileScan,${body(path)}\n`;

test('laterScoreKey finds a second total SCORE key, not a SUBSCORE or the one read', () => {
  const m = body(FORGED_NAME);
  const first = m.indexOf('SCORE: 0 TYPE');
  assert.equal(laterScoreKey(m, first + 8), m.indexOf('SCORE: 140 TYPE'));
  const real = body('/tmp/x.exe');
  assert.equal(laterScoreKey(real, real.indexOf('SCORE: 140') + 8), -1);
});

test('a file name that copies Loki keys is a warning at its line (object path, plain layout)', () => {
  const r = parseLokiText(plain(FORGED_NAME), 'forged.log');
  const w = r.warnings.filter((x) => x.message.includes('two SCORE keys'));
  assert.equal(w.length, 1);
  assert.equal(w[0].line, 1);
  assert.match(w[0].message, /read as path "\/tmp\/a", but "SCORE: 140" follows/);
  assert.deepEqual(parseLokiText(plain('/tmp/x.exe'), 'ok.log').warnings, []);
});

test('Loki-RS plain: a file name with its own SCORE and REASONS is the same warning', () => {
  const line = (path: string) =>
    `2026-02-03T09:41:27Z build-srv-07 ALERT Match: ${path} SCORE: 84 REASONS: [YARA match with rule MAL_Demo_ELF_Miner DESC: Detects demo ELF miner]\n`;
  const r = parseLokiText(line('/tmp/x SCORE: 0 REASONS: [YARA match with rule Benign DESC: ok]'), 'rs.log');
  assert.deepEqual(
    r.warnings.map((w) => [w.line, w.message.slice(0, 72)]),
    [[1, 'file finding with two SCORE keys: read as path "/tmp/x", but "SCORE: 84"']],
  );
  assert.deepEqual(parseLokiText(line('/opt/ci/cache/tools/libcrypt-compat.so'), 'rs.log').warnings, []);
});

test('the CLI lists it for the plain and the CSV layout (columnar path), and not for a real finding', async () => {
  for (const [name, text] of [
    ['forged.log', plain(FORGED_NAME)],
    ['forged.csv', csv(FORGED_NAME)],
  ] as const) {
    const f = join(TMP, name);
    writeFileSync(f, text);
    const c = capture();
    assert.equal(await main(['loki', f, '--json'], c.io), 0, c.err());
    const doc = JSON.parse(c.out()) as { warnings: { file: string; line: number; message: string }[]; findings: unknown[] };
    assert.equal(doc.findings.length, 1);
    assert.deepEqual(
      doc.warnings.map((x) => [x.line, x.message.slice(0, 60)]),
      [[1, 'file finding with two SCORE keys: read as path "/tmp/a", but']],
      name,
    );
    const ok = join(TMP, `ok-${name}`);
    writeFileSync(ok, name.endsWith('.csv') ? csv('/tmp/x.exe') : plain('/tmp/x.exe'));
    const c2 = capture();
    assert.equal(await main(['loki', ok, '--json'], c2.io), 0, c2.err());
    assert.deepEqual((JSON.parse(c2.out()) as { warnings: unknown[] }).warnings, [], `ok-${name}`);
  }
});
