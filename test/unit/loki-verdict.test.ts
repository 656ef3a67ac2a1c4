/**
 * Verdicts at a scan's end (loki-format.md §2.5, §2.7, §3.1, §5 item 5), from a Loki format audit:
 * - Python Loki over remote syslog (RFC 5424) sends no RESULT line: a scan that reached its end (`Results:` /
 *   `Finished LOKI Scan`) gets the verdict its RESULT line gives (any ALERT → indicators, else any WARNING →
 *   suspicious, else clean); one without an end stays incomplete. Plain Python logs keep "the RESULT line gives
 *   the verdict".
 * - A Loki-RS scan aborted by the user (`Scan aborted by user.`, then the normal scan end line) is incomplete,
 *   never clean, whatever its counts: as a Python scan interrupted with Ctrl-C.
 * Checked on the string parser, the file (byte-level) parser and the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiFile, parseLokiText } from '../../src/core/parse/loki';
import type { LokiFileResult } from '../../src/core/model/loki';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const BOM = '\ufeff';
const PRI: Record<string, number> = { Alert: 154, Error: 155, Warning: 156, Notice: 158, Info: 158 };
let msgId = 0;

/** A Python Loki line as a syslog server receives it from `loki -r` (§2.7): header, BOM, `LOKI: Type: MODULE: …`. */
function sys(host: string, pid: number, time: string, type: string, mod: string, msg: string): string {
  return `<${PRI[type]}>1 2025-03-12T${time}.000000+01:00 ${host} LOKI ${pid} ${++msgId} - ${BOM}LOKI: ${type}: MODULE: ${mod} MESSAGE: ${msg}`;
}
const start = (h: string, pid: number, t: string) => sys(h, pid, t, 'Notice', 'Init', `Starting Loki Scan VERSION: 0.51.1 SYSTEM: ${h} TIME: 20250312T08:14:02Z PLATFORM: 10`);
const file = (h: string, pid: number, t: string, type: 'Alert' | 'Warning' | 'Notice', p: string, score: number) =>
  sys(h, pid, t, type, 'FileScan', `FILE: ${p} SCORE: ${score} TYPE: EXE SIZE: 1024 FIRST_BYTES: 4d5a / MZ MD5: 0123456789abcdef0123456789abcdef SHA1: - SHA256: - CREATED: Sun Jun 11 16:00:00 2017 MODIFIED: Sun Jun 11 16:00:00 2017 ACCESSED: Sun Jun 11 16:00:00 2017 REASON_1: Yara Rule MATCH: R SUBSCORE: ${score} DESCRIPTION: d REF: -`);
const results = (h: string, pid: number, t: string, a: number, w: number, n: number) => sys(h, pid, t, 'Notice', 'Results', `Results: ${a} alerts, ${w} warnings, ${n} notices`);
const finished = (h: string, pid: number, t: string) => sys(h, pid, t, 'Info', 'Results', `Finished LOKI Scan SYSTEM: ${h} TIME: 20250312T10:05:31Z`);

/** Parses `text` through the string parser and the file parser (what the CLI runs); both must agree. */
async function both(text: string, name = 'capture.log'): Promise<LokiFileResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-verdict-'));
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  const byFile = await parseLokiFile(f);
  const byText = parseLokiText(text, f);
  const view = (r: LokiFileResult) => r.scans.map((s) => [s.host, s.verdict, s.complete, s.alerts, s.warnings]);
  assert.deepEqual(view(byText), view(byFile));
  return byFile;
}

const verdicts = (r: LokiFileResult) => Object.fromEntries(r.scans.map((s) => [s.host, [s.verdict, s.complete]]));

test('Python over remote syslog: a scan that reached its end gets the verdict of Loki`s rule (no RESULT line is sent)', async () => {
  const lines = [
    start('WS-ALERT', 10, '09:14:02'),
    start('WS-WARN', 11, '09:14:03'),
    start('WS-CLEAN', 12, '09:14:04'),
    start('WS-OPEN', 13, '09:14:05'),
    file('WS-ALERT', 10, '10:20:13', 'Alert', 'C:\\ProgramData\\UpdSvc\\core.dll', 150),
    file('WS-ALERT', 10, '10:20:14', 'Notice', 'C:\\Temp\\n.exe', 40),
    file('WS-WARN', 11, '10:21:13', 'Warning', 'C:\\Temp\\a.exe', 70),
    file('WS-OPEN', 13, '10:21:14', 'Alert', 'C:\\Temp\\b.exe', 120),
    results('WS-ALERT', 10, '11:05:31', 1, 0, 1),
    finished('WS-ALERT', 10, '11:05:31'),
    results('WS-WARN', 11, '11:06:00', 0, 1, 0),
    finished('WS-WARN', 11, '11:06:00'),
    results('WS-CLEAN', 12, '11:07:00', 0, 0, 3),
    finished('WS-CLEAN', 12, '11:07:00'),
    // WS-OPEN: no end (still running, killed, or its trailer lost): stays incomplete despite its alert
  ];
  const r = await both(lines.join('\n') + '\n');
  assert.equal(r.unparsedLines, 0);
  assert.deepEqual(verdicts(r), {
    'WS-ALERT': ['indicators', true],
    'WS-WARN': ['suspicious', true],
    'WS-CLEAN': ['clean', true],
    'WS-OPEN': ['incomplete', false],
  });
  assert.deepEqual(r.scans.find((s) => s.host === 'WS-ALERT')!.reported, { alerts: 1, warnings: 0, notices: 1 });
});

test('Python over remote syslog: only `Results:` or only `Finished` (the other lost over UDP) is an end; Loki`s counts or the lines read, whichever is higher', async () => {
  const lines = [
    start('A', 1, '09:00:00'),
    start('B', 2, '09:00:01'),
    start('C', 3, '09:00:02'),
    // A: its alert line lost, Loki's counters still say 1 alert; no Finished line
    results('A', 1, '10:00:00', 1, 0, 0),
    // B: a warning read, the Results line lost, Finished arrived
    file('B', 2, '09:30:00', 'Warning', 'C:\\b.exe', 60),
    finished('B', 2, '10:00:01'),
    // C: an ALERT scanner message (Loki counts it: its RESULT would say "Indicators detected")
    sys('C', 3, '09:30:00', 'Alert', 'ProcessScan', 'Error getting all process information'),
    results('C', 3, '10:00:02', 1, 0, 0),
    finished('C', 3, '10:00:02'),
  ];
  const r = await both(lines.join('\n') + '\n');
  assert.deepEqual(verdicts(r), { A: ['indicators', true], B: ['suspicious', true], C: ['indicators', true] });
  assert.equal(r.scans.find((s) => s.host === 'A')!.alerts, 0);
});

test('Python over remote syslog: an interrupted scan (Ctrl-C line, no Results) stays incomplete', async () => {
  const lines = [
    start('WS1', 7, '09:00:00'),
    file('WS1', 7, '09:10:00', 'Alert', 'C:\\x.exe', 150),
    sys('WS1', 7, '09:20:00', 'Info', 'Init', "LOKI's work has been interrupted by a human. Returning to Asgard."),
  ];
  const r = await both(lines.join('\n') + '\n');
  assert.deepEqual(verdicts(r), { WS1: ['incomplete', false] });
  assert.equal(r.scans[0].alerts, 1);
});

test('Python plain log: still only the RESULT line gives the verdict (Results + Finished without RESULT: incomplete)', async () => {
  const h = '20250312T08:14:02Z WS9 LOKI: ';
  const text = [
    h + 'Notice: MODULE: Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: WS9 TIME: 20250312T08:14:02Z PLATFORM: 10',
    h + 'Notice: MODULE: Results MESSAGE: Results: 0 alerts, 0 warnings, 0 notices',
    h + 'Info: MODULE: Results MESSAGE: Finished LOKI Scan SYSTEM: WS9 TIME: 20250312T08:14:02Z',
  ].join('\n') + '\n';
  const r = await both(text, 'loki_WS9.log');
  assert.deepEqual(verdicts(r), { WS9: ['incomplete', true] });
});

const rs = (t: string, level: string, body: string) => `2026-02-04T08:00:${t}Z h7 ${level} ${body}`;
const rsEnd = (a: number, w: number) =>
  `Loki-RS scan finished. Summary - Files scanned: 3 Matched: ${a + w} | Processes scanned: 0 Matched: 0 | Alerts: ${a} Warnings: ${w} Notices: 0. Scan Duration: 21.00s (Start: 2026-02-04 09:00:00, End: 2026-02-04 09:00:21)`;

test('Loki-RS plain: a scan aborted by the user is incomplete, not clean (the abort is followed by the normal scan end)', async () => {
  const r = await both([rs('00', 'INFO', 'Loki-RS scan started VERSION: 2.10.0'), rs('20', 'INFO', 'Scan aborted by user.'), rs('21', 'INFO', rsEnd(0, 0))].join('\n') + '\n', 'loki_h7.log');
  assert.deepEqual(verdicts(r), { h7: ['incomplete', false] });
  assert.deepEqual(r.scans[0].reported, { alerts: 0, warnings: 0, notices: 0 });
  // control: the same scan not aborted is clean
  const ok = await both([rs('00', 'INFO', 'Loki-RS scan started VERSION: 2.10.0'), rs('21', 'INFO', rsEnd(0, 0))].join('\n') + '\n', 'loki_h7.log');
  assert.deepEqual(verdicts(ok), { h7: ['clean', true] });
});

test('Loki-RS: an aborted scan with an alert is incomplete too (as an interrupted Python scan), its alert still counted', async () => {
  const match = 'Match: /tmp/x SCORE: 80 REASONS: [YARA match with rule R]';
  const r = await both([rs('00', 'INFO', 'Loki-RS scan started VERSION: 2.10.0'), rs('10', 'ALERT', match), rs('20', 'INFO', 'Scan aborted by user.'), rs('21', 'INFO', rsEnd(1, 0))].join('\n') + '\n', 'loki_h7.log');
  assert.deepEqual(verdicts(r), { h7: ['incomplete', false] });
  assert.equal(r.scans[0].alerts, 1);
  // JSONL: the same
  const ev = (t: string, level: string, et: string, msg: string) => `{"timestamp":"2026-02-04T08:00:${t}+00:00","level":"${level}","event_type":"${et}","hostname":"h8","message":"${msg}"}`;
  const j = await both([ev('00', 'INFO', 'scan_start', 'Loki-RS scan started VERSION: 2.10.0'), ev('20', 'INFO', 'info', 'Scan aborted by user.'), ev('21', 'INFO', 'scan_end', rsEnd(0, 0))].join('\n') + '\n', 'loki_h8.jsonl');
  assert.deepEqual(verdicts(j), { h8: ['incomplete', false] });
});

test('CLI: the syslog scan with an alert shows "Indicators detected", the aborted Loki-RS scan "Incomplete scan"', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-verdict-cli-'));
  const a = path.join(dir, 'syslog.log');
  fs.writeFileSync(a, [start('FIN-WS0142', 5816, '09:14:02'), file('FIN-WS0142', 5816, '10:20:13', 'Alert', 'C:\\core.dll', 150), results('FIN-WS0142', 5816, '11:05:31', 1, 0, 1), finished('FIN-WS0142', 5816, '11:05:31')].join('\n') + '\n');
  const b = path.join(dir, 'loki_h7.log');
  fs.writeFileSync(b, [rs('00', 'INFO', 'Loki-RS scan started VERSION: 2.10.0'), rs('20', 'INFO', 'Scan aborted by user.'), rs('21', 'INFO', rsEnd(0, 0))].join('\n') + '\n');
  const c = capture();
  assert.equal(await main(['loki', a, b, '--json'], c.io), 0);
  const out = JSON.parse(c.out()) as { hosts: { host: string; verdict: string }[] };
  assert.deepEqual(Object.fromEntries(out.hosts.map((h) => [h.host, h.verdict])), { 'FIN-WS0142': 'indicators', h7: 'incomplete' });
  const t = capture();
  assert.equal(await main(['loki', a, b], t.io), 0);
  assert.match(t.out(), /FIN-WS0142 +Indicators detected/);
  assert.match(t.out(), /h7 +Incomplete scan \(no result\)/);
  assert.match(t.out(), /Hosts with findings \(alert\/warning\): 1 {3}Clean hosts: 0 {3}Incomplete latest scan: 1\n/);
});
