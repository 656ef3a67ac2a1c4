/**
 * New-user trial (binary inputs), M2 and L3: `loki` / *Analyze Loki Results…* on a folder holding only non-Loki junk
 * (a PNG named image.csv, random bytes, gzip data named .csv, a .gz, empty files) counted the PNG as a file read —
 * "1 file, 0 hosts … 1 file error: not a text file (binary data)", exit 0, an empty dashboard — and gave random bytes
 * and gzip data the reason "not Loki output: none of its 41 lines…". Now a compressed or binary file is skipped with
 * what it is (`binary file`, `gzip-compressed file: not read — extract it first`), as `kpi` and `tz convert` say it;
 * with nothing else, exit 3 and (extension) the "no Loki files found" warning instead of a dashboard.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { lokiNotTextReason } from '../../src/core/analyze/loki-summary';
import { noInputMessage } from '../../src/core/analyze/no-input';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { parseLokiFile } from '../../src/core/parse/loki';
import { capture } from './cli-capture';
import { png, randomBytes } from './not-text-bytes';

const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const TMP = mkdtempSync(join(tmpdir(), 'soc-trial-bin-loki-'));
after(() => rmSync(TMP, { recursive: true, force: true }));


const CSV = 'id,title,created\n' + Array.from({ length: 7 }, (_, i) => `C-${i + 1},t${i + 1},2026-03-01T08:00:00Z`).join('\n') + '\n';

function folder(name: string, files: Record<string, string | Buffer>): string {
  const d = join(TMP, name);
  mkdirSync(d, { recursive: true });
  for (const [f, c] of Object.entries(files)) writeFileSync(join(d, f), c);
  return d;
}

const JUNK = { 'image.csv': png(), 'binary.log': randomBytes(5000), 'cases-gz.csv': gzipSync(CSV), 'cases.csv.gz': gzipSync(CSV), 'empty.csv': '', 'empty.log': '' };

describe('loki: a binary or compressed file is skipped with what it is, not counted as a file read', () => {
  test('a folder holding only a PNG: 0 files, skipped as "binary file", no error; CLI exit 3 (it was 1 file, exit 0)', async () => {
    const d = folder('png-only', { 'image.csv': png() });
    const a = await runLokiAnalysis([d]);
    assert.equal(a.summary.files, 0);
    assert.deepEqual(a.files, []);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.skipped, [{ file: join(d, 'image.csv'), reason: 'binary file' }]);
    const c = capture();
    assert.equal(await main(['loki', d], c.io), 3);
    assert.ok(c.out().startsWith('Loki results: 0 files, 0 hosts\n'), c.out());
    assert.ok(c.out().includes(`1 file skipped:\n  ${join(d, 'image.csv')}: binary file\n`), c.out());
    assert.doesNotMatch(c.out(), /file error|not a text file/);
    assert.equal(c.err(), 'soc-analytics: no Loki result file was found in the given paths (1 file skipped: see the report); exit 3\n');
  });

  test('the trial folder of junk: every file skipped with the reason the other readers give (L3)', async () => {
    const d = folder('junk', JUNK);
    const a = await runLokiAnalysis([d]);
    assert.equal(a.summary.files, 0);
    assert.deepEqual(a.errors, []);
    const reasons = Object.fromEntries((a.skipped ?? []).map((k) => [k.file.slice(d.length + 1), k.reason]));
    assert.deepEqual(reasons, {
      'image.csv': 'binary file',
      // random bytes with a few NULs: "not Loki output: none of its 41 lines matches a Loki format" before
      'binary.log': 'binary file',
      // gzip data named .csv: "not Loki output: none of its 8 lines…" before; tz convert says "a gzip-compressed file"
      'cases-gz.csv': 'gzip-compressed file: not read — extract it first',
      'cases.csv.gz': 'compressed file or archive (.gz): not read — extract it first',
      'empty.csv': 'empty file',
      'empty.log': 'empty file',
    });
    // the extension's decision: no file read → the "no Loki files found" warning (extension.ts warnNoInput), no dashboard
    assert.equal(
      noInputMessage('Loki', 'junk', a.skipped),
      'SOC Analytics: no Loki files found in “junk”. 6 files skipped — cases.csv.gz: compressed file or archive (.gz): not read — extract it first; binary.log: binary file; … and 4 more (each in the SOC Analytics log).',
    );
  });

  test('the parser: a gzip file is not read past its first bytes; binary data gets notText, not an error', async () => {
    const d = folder('parse', { 'x.csv': gzipSync(Buffer.alloc(2_000_000, 'a\n')), 'p.csv': png(), 'r.log': randomBytes(5000) });
    const gz = await parseLokiFile(join(d, 'x.csv'));
    assert.equal(gz.notText, 'gzip');
    assert.equal(gz.lines, 0);
    assert.deepEqual(gz.errors, []);
    const p = await parseLokiFile(join(d, 'p.csv'));
    assert.equal(p.notText, 'binary');
    assert.deepEqual(p.errors, []);
    assert.equal((await parseLokiFile(join(d, 'r.log'))).notText, 'binary');
    assert.equal(lokiNotTextReason('zip'), 'zip archive: not read — extract it first');
    assert.equal(lokiNotTextReason('xz'), 'xz-compressed file: not read — extract it first');
  });

  test('a real Loki log beside the junk is read as before; the junk is skipped; exit 0', async () => {
    const d = folder('mixed', { ...JUNK, 'scan_result (1).log': readFileSync(join(REAL, 'scan_result (1).log')) });
    const base = await runLokiAnalysis([join(REAL, 'scan_result (1).log')]);
    const a = await runLokiAnalysis([d]);
    assert.equal(a.summary.files, 1);
    assert.deepEqual([a.summary.hosts, a.summary.alerts, a.summary.warnings, a.summary.notices], [base.summary.hosts, base.summary.alerts, base.summary.warnings, base.summary.notices]);
    assert.ok(base.summary.alerts + base.summary.warnings > 0);
    assert.equal(a.skipped?.length, 6);
    assert.equal(a.errors.filter((e) => e.line === 0).length, 0);
    const c = capture();
    assert.equal(await main(['loki', d], c.io), 0);
  });

  test('a Loki log with console spinner backspaces (control bytes) in its first 4 KiB is still read, not "binary"', async () => {
    const ts = '20250312T08:15:00Z';
    const lines = [
      `${ts} HOST1 LOKI: Notice: MODULE: Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: HOST1 TIME: ${ts} PLATFORM: 10`,
      ...Array.from({ length: 40 }, (_, i) => `${'\b|\b/\b-\b\\'.repeat(6)}${ts} HOST1 LOKI: Info: MODULE: FileScan MESSAGE: Scanning C:\\dir${i}`),
      `${ts} HOST1 LOKI: Alert: MODULE: FileScan MESSAGE: FILE: C:\\x.exe SCORE: 200 TYPE: EXE SIZE: 1 MD5: c0f94449e113fa3f7eb420c64108b58b REASON_1: Yara Rule MATCH: R1 SUBSCORE: 200`,
    ];
    const d = folder('spinner', { 'scan.log': `\b|\b/${lines.join('\n')}\n` });
    const a = await runLokiAnalysis([d]);
    assert.equal(a.summary.files, 1);
    assert.equal(a.summary.alerts, 1);
    assert.deepEqual(a.skipped ?? [], []);
  });
});
