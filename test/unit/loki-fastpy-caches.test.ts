/**
 * The Python CSV fast path (`fastPy` in src/core/parse/loki.ts) compares each envelope field in place with the one
 * the last lines had — the date as two 32-bit words, the host, level and module with their comma a word at a time —
 * and reuses what it read then when the bytes are equal. A line whose envelope differs from the line before in one
 * byte (host, level, module, date, time) must be read as itself, not served from those caches: here every such line
 * of a file built from the real DS1 scan (shared/data, `scan_result (1).csv`, Loki 0.42.3) carries its own host,
 * level, module and time, and the byte path (parseLokiFile) gives the same findings, scans, errors and warnings as
 * the string path (parseLokiText), which has no such caches.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiFile, parseLokiText } from '../../src/core/parse/loki';
import type { LokiFileResult } from '../../src/core/model/loki';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-fastpy-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

const U = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h, mi, s);

/** The real file's lines (CRLF removed). */
const realLines = fs.readFileSync(path.join(REAL, 'scan_result (1).csv'), 'latin1').split(/\r?\n/).filter((l) => l !== '');
/** `20220119T18:48:07Z,DS1,WARNING,FileScan,FILE: C:\ProgramData\collectt\settings.db SCORE: 70 …` */
const BASE = realLines.find((l) => l.includes('settings.db SCORE: 70'))!;
/** The real scan's start: `Starting Loki Scan` and the INFO lines of the init (hosts DS1, module Init). */
const HEAD = realLines.slice(0, 15);

/** Envelope fields of a CSV line and the line rebuilt from them. */
function withEnvelope(line: string, f: { date?: string; time?: string; host?: string; level?: string; module?: string }): string {
  const [ts, host, level, module] = line.split(',', 4);
  const message = line.slice(ts.length + host.length + level.length + module.length + 4);
  return [`${f.date ?? ts.slice(0, 8)}T${f.time ?? ts.slice(9, 17)}Z`, f.host ?? host, f.level ?? level, f.module ?? module, message].join(',');
}

/**
 * Each case: the base finding, then the same finding with one envelope byte changed, then the base again, twice (the
 * caches hold the base's fields when the changed line comes, and the changed line's when the base comes back).
 * `want`: host, level, module and time of the changed line's finding. A host other than the file's is counted as part
 * of the file's scan (a log of one host) and named, with the range of its lines, in a warning: that range (17-19) shows
 * that both changed lines were read with their own host and the base lines around them with the file's.
 * `fileHost`: the host of every other line (default the real `DS1`).
 */
const CASES: { name: string; env: Parameters<typeof withEnvelope>[1]; fileHost?: string; want: [string, string, string, number]; warning?: string }[] = [
  { name: 'host, last byte before the comma (`DS1,`: one full word)', env: { host: 'DS2' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)], warning: 'lines of DS2 at lines 17-19 lie inside the scan of DS1 that began at line 1' },
  { name: 'host, one byte longer (the comma moves into the next word)', env: { host: 'DS10' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)], warning: 'lines of DS10 at lines 17-19 lie inside the scan of DS1 that began at line 1' },
  { name: 'host, one byte shorter', env: { host: 'DS' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)], warning: 'lines of DS at lines 17-19 lie inside the scan of DS1 that began at line 1' },
  { name: 'host, first byte', env: { host: 'ES1' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)], warning: 'lines of ES1 at lines 17-19 lie inside the scan of DS1 that began at line 1' },
  { name: 'host, a byte of the last, partial word (`SRV-A,`)', env: { host: 'SRV-B' }, fileHost: 'SRV-A', want: ['SRV-A', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)], warning: 'lines of SRV-B at lines 17-19 lie inside the scan of SRV-A that began at line 1' },
  { name: 'module, last byte (`FileScan,`: the comma alone in the last word)', env: { module: 'FileScam' }, want: ['DS1', 'WARNING', 'FileScam', U(2022, 1, 19, 18, 48, 7)] },
  { name: 'module, one byte longer (a letter where the comma was)', env: { module: 'FileScans' }, want: ['DS1', 'WARNING', 'FileScans', U(2022, 1, 19, 18, 48, 7)] },
  { name: 'module, first byte', env: { module: 'GileScan' }, want: ['DS1', 'WARNING', 'GileScan', U(2022, 1, 19, 18, 48, 7)] },
  { name: 'level, another level (first letter, same length)', env: { level: 'NOTICE' }, want: ['DS1', 'NOTICE', 'FileScan', U(2022, 1, 19, 18, 48, 7)] },
  { name: 'level, one byte in lower case (the string path reads it)', env: { level: 'WARNINg' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)] },
  { name: 'date, last byte (second word)', env: { date: '20220118' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 18, 18, 48, 7)] },
  { name: 'date, fourth byte (first word: the year)', env: { date: '20210119' }, want: ['DS1', 'WARNING', 'FileScan', U(2021, 1, 19, 18, 48, 7)] },
  { name: 'date, fifth byte (first byte of the second word: the month)', env: { date: '20221119' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 11, 19, 18, 48, 7)] },
  { name: 'time, last second digit', env: { time: '18:48:08' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 8)] },
  { name: 'time, hour', env: { time: '19:48:07' }, want: ['DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 19, 48, 7)] },
];

/** The parts of a result both paths must agree on. */
function comparable(r: LokiFileResult) {
  return { findings: r.findings, scans: r.scans, errors: r.errors, warnings: r.warnings ?? [], lines: r.lines, parsed: r.parsedLines };
}

/** `lines` as a CRLF file (as Loki writes it), read on the byte path; also read on the string path and compared. */
async function both(name: string, lines: string[]): Promise<LokiFileResult> {
  const text = lines.join('\r\n') + '\r\n';
  const file = path.join(TMP, name);
  fs.writeFileSync(file, text, 'latin1');
  const r = await parseLokiFile(file);
  assert.deepEqual(comparable(r), comparable(parseLokiText(text, file)), 'byte path = string path');
  return r;
}

test('fastPy: the real base line is read with its real values', async () => {
  assert.ok(BASE.startsWith('20220119T18:48:07Z,DS1,WARNING,FileScan,FILE: C:\\ProgramData\\collectt\\settings.db SCORE: 70 '), BASE.slice(0, 90));
  assert.equal(withEnvelope(BASE, {}), BASE);
  const r = await both('base.csv', [...HEAD, BASE, BASE]);
  assert.deepEqual(
    r.findings.map((f) => [f.source.line, f.host, f.level, f.module, f.timestamp, f.path, f.score]),
    [16, 17].map((n) => [n, 'DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7), 'C:\\ProgramData\\collectt\\settings.db', 70]),
  );
  assert.deepEqual(r.warnings ?? [], []);
});

for (const c of CASES) {
  test(`fastPy: a line that differs from the one before in one envelope byte is read as itself — ${c.name}`, async () => {
    const host = (l: string) => (c.fileHost === undefined ? l : withEnvelope(l, { host: c.fileHost }));
    const base = host(BASE);
    const changed = withEnvelope(base, c.env);
    assert.notEqual(changed, base);
    const r = await both('case.csv', [...HEAD.map(host), base, changed, base, changed, base]);
    const b: [string, string, string, number] = [c.fileHost ?? 'DS1', 'WARNING', 'FileScan', U(2022, 1, 19, 18, 48, 7)];
    assert.deepEqual(
      r.findings.map((f) => [f.source.line, f.host, f.level, f.module, f.timestamp]),
      [b, c.want, b, c.want, b].map((w, i) => [16 + i, ...w]),
    );
    const w = r.warnings ?? [];
    if (c.warning === undefined) assert.deepEqual(w, []);
    else assert.deepEqual(w.map((x) => [x.line, x.message.slice(0, c.warning!.length)]), [[17, c.warning]]);
  });
}

test('fastPy: whole scans whose host differs in one byte from the scan before (INFO lines kept as bytes too)', async () => {
  // The real file (32 lines: start, INFO lines of the init, findings, results) three times, the second time with
  // host DS2: its lines are counted as part of DS1's scan and named, lines 33-64 exactly — its first line (after
  // DS1's last) read as DS2, and the third copy's first line (after DS2's last) as DS1 again.
  const scanOf = (h: string) => realLines.map((l) => withEnvelope(l, { host: h }).replace(/SYSTEM: DS1\b/, `SYSTEM: ${h}`));
  assert.equal(realLines.length, 32);
  const r = await both('scans.csv', [...scanOf('DS1'), ...scanOf('DS2'), ...scanOf('DS1')]);
  assert.equal(r.findings.length, 33);
  assert.deepEqual(
    (r.warnings ?? []).map((x) => [x.line, x.message.slice(0, 69)]),
    [
      [65, 'scan start at line 65 after the end of the scan that began at line 1 '],
      [33, 'lines of DS2 at lines 33-64 lie inside the scan of DS1 that began at '],
    ],
  );
  assert.equal(r.lines, 96);
  assert.equal(r.parsedLines, 96);
});
