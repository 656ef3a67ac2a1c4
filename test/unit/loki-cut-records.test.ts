/**
 * Records cut short (a killed Loki, a truncated copy; loki-format.md §5 item 5), from a format
 * conformance audit:
 *  - F2: an ALERT / WARNING line cut inside its envelope (`LOKI: Alert`, `MESSAGE: FILE:`, `ALERT,FileSc`,
 *    Loki-RS `ALERT Matc`) is reported as an unparsed line with its number, not dropped or kept as a
 *    scanner message / an `other` finding;
 *  - F3: a file finding cut inside a reason before its SUBSCORE (§2.2, fixed key order) is kept with a
 *    `partial record` warning at its line, in the Loki versions that write SUBSCORE only;
 *  - F4: Loki-RS 2.0-2.3 JSONL reasons `{message, score}` whose message carries `\n         DESC: d` (§3.8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiFileColumnar, parseLokiText } from '../../src/core/parse/loki';
import { MessageReader } from '../../src/core/parse/loki-store';

const START = '20250312T08:14:02Z FIN-WS0142 LOKI: Notice: MODULE: Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: FIN-WS0142 TIME: 20250312T08:14:02Z PLATFORM: 10';
const PROC = '20250312T08:14:44Z FIN-WS0142 LOKI: Alert: MODULE: ProcessScan MESSAGE: Yara Rule MATCH: MAL_Demo_Loader_Mem PID: 4412 NAME: rundll32.exe OWNER: j.meier CMD: rundll32.exe C:\\ProgramData\\UpdSvc\\core.dll,StartW PATH: C:\\Windows\\System32\\rundll32.exe';
const LSASS = '20250312T08:14:47Z FIN-WS0142 LOKI: Warning: MODULE: ProcessScan MESSAGE: lsass.exe parent PID is not the one of wininit.exe PID: 736 NAME: lsass.exe OWNER: SYSTEM CMD: C:\\Windows\\system32\\lsass.exe PATH: C:\\Windows\\system32\\lsass.exe';
const INFO = 'FILE: C:\\ProgramData\\UpdSvc\\core.dll SCORE: 150 TYPE: EXE SIZE: 241664 FIRST_BYTES: 4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x000001C7A2F3B4F0> MD5: 72579411a8096fb3626868f0932c0202 SHA1: 06038f516a6c46d002a8137ef80cf4f1ac3817df SHA256: c00c1d4e60ccce1abd56df15681ff96e03628e8177ac6299b3507699cd1862c7 CREATED: Tue Mar  4 16:02:51 2025 MODIFIED: Tue Mar  4 16:02:51 2025 ACCESSED: Wed Mar 12 09:20:13 2025';
const R1 = "REASON_1: Yara Rule MATCH: MAL_Demo_Loader_Mar25 SUBSCORE: 80 DESCRIPTION: Detects demo loader DLL, variant B (packed) REF: https://example.org/research/demo-loader AUTHOR: Jane Analyst, Example CERT MATCHES: $s1: 'StartW', $x1: 'upd-cdn.example.net/gate.php'";
const R2 = 'REASON_2: File Name IOC matched PATTERN: \\\\ProgramData\\\\UpdSvc\\\\core\\.dll SUBSCORE: 70 DESC: Demo campaign March 2025 - loader drop location';

const errorsOf = (r: { errors: { line: number; message: string }[] }) => r.errors.map((e) => [e.line, e.message]).sort((a, b) => (a[0] as number) - (b[0] as number));
const partials = (r: { warnings?: { line: number; message: string }[] }) => (r.warnings ?? []).filter((w) => /^partial record/.test(w.message)).map((w) => [w.line, w.message]);
const reasonsOf = (f: { reasons: { kind: string; rule: string; subscore?: number; description?: string }[] }) =>
  f.reasons.map((x) => [x.kind, x.rule, x.subscore, x.description]);

// ---------------------------------------------------------------- F2: cut inside the envelope

test('F2: ALERT lines cut inside the envelope (--onlyrelevant log) are unparsed lines with their numbers; the rest is kept', () => {
  const text = [
    PROC,
    '20250312T09:20:13Z FIN-WS0142 LOKI: Alert: MODULE: FileScan MESSAGE: FILE:',
    '20250312T09:20:13Z FIN-WS0142 LOKI: Alert',
    LSASS,
  ].join('\r\n') + '\r\n';
  const r = parseLokiText(text, '65.log');
  assert.deepEqual(errorsOf(r), [
    [2, 'truncated file finding (record ends before its path)'],
    [3, 'malformed or truncated record envelope'],
  ]);
  assert.equal(r.unparsedLines, 2);
  assert.equal(r.parsedLines, 2);
  assert.deepEqual([...r.findings].map((f) => f.source.line), [1, 4]);
  // not kept as a scanner message either
  assert.deepEqual(r.scans.flatMap((s) => s.messages).map((m) => m.source.line), []);
});

test('F2: every cut point inside a plain envelope after `LOKI: ` is reported (type word, MODULE:, MESSAGE:, FILE:)', () => {
  const full = `20250312T09:20:13Z FIN-WS0142 LOKI: Alert: MODULE: FileScan MESSAGE: ${INFO} ${R1}`;
  const from = full.indexOf('LOKI: ') + 6;
  const to = full.indexOf('FILE: ') + 6;
  for (let n = from; n < to; n++) {
    const cut = full.slice(0, n);
    const r = parseLokiText([START, cut, LSASS].join('\n') + '\n', 'cut.log');
    assert.deepEqual(r.errors.map((e) => e.line), [2], JSON.stringify(cut.slice(from - 6)));
    assert.equal([...r.findings].some((f) => f.source.line === 2), false, cut);
    assert.equal(r.scans.flatMap((s) => s.messages).some((m) => m.source.line === 2), false, cut);
  }
});

test('F2: 5-column CSV (byte path), 4-column stdout CSV and Loki-RS plain lines cut inside the envelope are reported', () => {
  const csvStart = '20250312T08:14:02Z,FIN-WS0142,NOTICE,Init,Starting Loki Scan VERSION: 0.51.1 SYSTEM: FIN-WS0142 TIME: 20250312T08:14:02Z';
  const csvEnd = '20250312T10:05:31Z,FIN-WS0142,NOTICE,Results,Results: 0 alerts, 0 warnings, 1 notices';
  for (const cut of ['20250312T09:20:13Z,FIN-WS0142,ALERT,', '20250312T09:20:13Z,FIN-WS0142,ALERT,FileSc', '20250312T09:20:13Z,FIN-WS0142,ALERT,FileScan,', '20250312T09:20:13Z,FIN-WS0142,ALERT,FileScan,FILE:']) {
    const r = parseLokiText([csvStart, cut, csvEnd].join('\n') + '\n', 'loki.csv');
    assert.deepEqual(r.errors.map((e) => e.line), [2], cut);
    assert.equal([...r.findings].length, 0, cut);
    assert.equal(r.scans.flatMap((s) => s.messages).length, 0, cut);
  }
  const stdoutStart = '20250312T08:14:02Z,FIN-WS0142,NOTICE,Starting Loki Scan VERSION: 0.51.1 SYSTEM: FIN-WS0142 TIME: 20250312T08:14:02Z';
  for (const cut of ['20250312T09:31:55Z,FIN-WS0142,WARNING,', '20250312T09:31:55Z,FIN-WS0142,WARNING,FIL']) {
    const r = parseLokiText([stdoutStart, cut].join('\n') + '\n', 'out.txt');
    assert.deepEqual(r.errors.map((e) => e.line), [2], cut);
    assert.equal([...r.findings].length, 0, cut);
  }
  const rsStart = '2026-02-03T09:40:00Z build-srv-07 INFO Loki-RS scan started VERSION: 2.10.0';
  for (const cut of ['2026-02-03T09:41:27Z build-srv-07 ALERT', '2026-02-03T09:41:27Z build-srv-07 ALERT Matc', '2026-02-03T09:41:27Z build-srv-07 WARNING Match:']) {
    const r = parseLokiText([rsStart, cut].join('\n') + '\n', 'rs.log');
    assert.deepEqual(r.errors.map((e) => e.line), [2], cut);
    assert.equal(r.scans.flatMap((s) => s.messages).length, 0, cut);
  }
});

test('F2: legacy layouts whose messages merely start like a type word stay parsed', () => {
  // 0.18-0.26 (`LOKI: Type: msg`) and 0.10-0.17 (no type) lines, and a Loki-RS WARNING that is no match
  const legacy = [
    '20170611T14:02:09Z LAB-PC07 LOKI: Warning: FILE: C:\\Temp\\a.exe SCORE: 70 TYPE: EXE SIZE: 1024 FIRST_BYTES: 4d5a / MZ REASON_1: Yara Rule MATCH: X SUBSCORE: 70 DESCRIPTION: d REF: -',
    '20160101T10:00:00Z LAB-PC07 LOKI: Yara Rule MATCH: Mimi PID: 4 NAME: x.exe OWNER: y CMD: x PATH: C:\\x.exe',
  ].join('\n') + '\n';
  const r = parseLokiText(legacy, 'old.log');
  assert.deepEqual(r.errors, []);
  assert.equal([...r.findings].length, 2);
  const rs = parseLokiText('2026-02-03T09:40:01Z build-srv-07 WARNING Scan is not running with elevated privileges.\n', 'rs.log');
  assert.deepEqual([rs.errors.length, rs.scans[0].messages.map((m) => m.message)], [0, ['Scan is not running with elevated privileges.']]);
});

// ---------------------------------------------------------------- F3: cut inside a reason

test('F3: a last line cut inside REASON_2 before its SUBSCORE (plain, no line end) is kept with a partial-record warning', () => {
  const text = [START, PROC, `20250312T09:20:13Z FIN-WS0142 LOKI: Alert: MODULE: FileScan MESSAGE: ${INFO} ${R1}REASON_2: File Name IOC matched PATTERN: \\\\Prog`].join('\r\n');
  const r = parseLokiText(text, '50.log');
  assert.deepEqual(partials(r), [[3, 'partial record (record ends inside REASON_2)']]);
  assert.deepEqual(r.errors, []);
  const f = [...r.findings].find((x) => x.source.line === 3)!;
  assert.deepEqual(reasonsOf(f), [
    ['yara', 'MAL_Demo_Loader_Mar25', 80, 'Detects demo loader DLL, variant B (packed)'],
    ['filename-ioc', '\\\\Prog', undefined, undefined],
  ]);
  assert.equal(f.score, 150);
});

test('F3: the CSV twin cut inside the reason prefix (`File Name IO`) warns too, on the string and the columnar byte path', async () => {
  const text = `20250312T09:20:13Z,FIN-WS0142,ALERT,FileScan,${INFO} ${R1}REASON_2: File Name IO`;
  const r = parseLokiText(text, '64.log');
  assert.deepEqual(partials(r), [[1, 'partial record (record ends inside REASON_2)']]);
  assert.deepEqual(reasonsOf([...r.findings][0]).map((x) => x.slice(0, 2)), [['yara', 'MAL_Demo_Loader_Mar25'], ['other', 'File Name IO']]);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-cut-'));
  const file = path.join(dir, 'loki.csv');
  // a complete finding first (no warning), then the cut one, as the columnar store reads them
  fs.writeFileSync(file, `20250312T09:10:00Z,FIN-WS0142,ALERT,FileScan,${INFO} ${R1}${R2}\n${text}`);
  const c = await parseLokiFileColumnar(file, new MessageReader());
  assert.deepEqual(partials(c), [[2, 'partial record (record ends inside REASON_2)']]);
  assert.equal(c.findings.length, 2);
  assert.deepEqual(reasonsOf(c.findings.at(1)!).map((x) => x.slice(0, 2)), [['yara', 'MAL_Demo_Loader_Mar25'], ['other', 'File Name IO']]);
});

test('F3: every cut point of REASON_1 before its SUBSCORE digits warns (0.27+ layout); complete reasons do not', () => {
  const full = `20250312T09:20:13Z FIN-WS0142 LOKI: Alert: MODULE: FileScan MESSAGE: ${INFO} ${R1}`;
  const from = full.indexOf('REASON_1: ') + 10;
  const to = full.indexOf(' SUBSCORE: ') + 11;
  for (let n = from; n <= to; n++) {
    const r = parseLokiText([START, full.slice(0, n)].join('\n') + '\n', 'cut.log');
    assert.deepEqual(partials(r), [[2, 'partial record (record ends inside REASON_1)']], full.slice(from, n));
    assert.equal([...r.findings].length, 1);
  }
  const ok = parseLokiText([START, `${full}${R2}`].join('\n') + '\n', 'ok.log');
  assert.deepEqual([ok.warnings, ok.errors], [[], []]);
  // a Levenshtein reason cut before its ORIGINAL name
  const lev = `20250312T09:20:13Z FIN-WS0142 LOKI: Warning: MODULE: FileScan MESSAGE: ${INFO} REASON_1: Levenshtein check - filename looks much like a well-known system file SUBSCORE: 40 ORIGI`;
  assert.deepEqual(partials(parseLokiText(`${START}\n${lev}\n`, 'lev.log')), [[2, 'partial record (record ends inside REASON_1)']]);
});

test('F3: no warning for reasons without SUBSCORE where Loki may not have written one (old layouts, no version)', () => {
  // 0.18-0.26 plain layout, and 4-column stdout CSV without a start line: the version is unknown
  const old = '20170611T14:02:09Z LAB-PC07 LOKI: Warning: FILE: C:\\Temp\\a.exe SCORE: 70 TYPE: EXE SIZE: 1024 FIRST_BYTES: 4d5a / MZ REASON_1: Yara Rule MATCH: X';
  const r = parseLokiText(old + '\n', 'old.log');
  assert.deepEqual([r.warnings, r.errors], [[], []]);
  assert.deepEqual(reasonsOf([...r.findings][0]), [['yara', 'X', undefined, undefined]]);
  const stdout = '20250312T09:31:55Z,FIN-WS0142,WARNING,FILE: C:\\x.js SCORE: 75 TYPE: UNKNOWN SIZE: 1 FIRST_BYTES: -  CREATED: x MODIFIED: x ACCESSED: x REASON_1: Yara Rule MATCH: X';
  assert.deepEqual(parseLokiText(stdout + '\n', 'out.txt').warnings, []);
  // the same stdout line after a 0.51.1 start line, or after a reason with a SUBSCORE: cut
  const start = '20250312T08:14:02Z,FIN-WS0142,NOTICE,Starting Loki Scan VERSION: 0.51.1 SYSTEM: FIN-WS0142 TIME: 20250312T08:14:02Z';
  assert.deepEqual(partials(parseLokiText(`${start}\n${stdout}\n`, 'out.txt')), [[2, 'partial record (record ends inside REASON_1)']]);
  const two = old.replace('REASON_1: Yara Rule MATCH: X', 'REASON_1: Yara Rule MATCH: X SUBSCORE: 70 DESCRIPTION: d REF: -REASON_2: Yara Rule MATCH: Y');
  assert.deepEqual(partials(parseLokiText(two + '\n', 'old.log')), [[1, 'partial record (record ends inside REASON_2)']]);
});

// ---------------------------------------------------------------- F4: Loki-RS 2.0-2.3 JSONL reasons

test('F4: a Loki-RS 2.0-2.3 JSONL reason message with an embedded `\\n         DESC:` line gives rule and description', () => {
  const line = JSON.stringify({
    timestamp: '2026-01-05T10:00:00.1+00:00', level: 'ALERT', event_type: 'file_match', message: 'File Match', file_path: '/dev/shm/x.bin', score: 90.0,
    reasons: [{ message: 'YARA match with rule R9\n         DESC: multi', score: 90 }, { message: 'YARA match with rule R10', score: 40 }],
  });
  const r = parseLokiText(line + '\n', 'loki_host_2026-01-05.jsonl');
  const f = [...r.findings][0];
  assert.deepEqual(reasonsOf(f), [['yara', 'R9', 90, 'multi'], ['yara', 'R10', 40, undefined]]);
  assert.equal(f.reasons[0].raw, 'YARA match with rule R9\n         DESC: multi');
  assert.deepEqual([r.errors, r.warnings], [[], []]);
});
