/**
 * Non-detection lines and scan-coverage caveats (loki-format.md §5 item 29, §2.3, §3.1), from an audit of the numbers:
 * - `Too many matches on process memory - most likely a false positive` (WARNING) is Loki's own doubt, not a
 *   detection: a scanner message, as `Error getting all process information…` (ALERT), in the plain, 5-column CSV
 *   and 4-column (stdout) CSV forms. A host whose only ALERT / WARNING lines are such messages is clean (Loki's
 *   RESULT counts them: "Suspicious objects detected!" / "Indicators detected!"), never "with findings".
 * - A clean verdict from a scan that was not elevated, skipped drives or timed out on YARA (Loki-RS plain and JSONL)
 *   says so next to the verdict in the CLI text, the Markdown summary and the dashboard, with the lines reachable.
 * Fixtures are the doc's sample lines (§4 S01, S12, S13, S16, S17, S19, S23) with the §2.3 / §3.1 messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { hostVerdictLabel } from '../../src/core/analyze/loki-summary';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const TOO_MANY = 'Too many matches on process memory - most likely a false positive PID: 5308 NAME: msedge.exe OWNER: j.meier CMD: msedge.exe PATH: C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
const NO_PROC = "Error getting all process information. Did you run the scanner 'As Administrator'?";
const START = (h: string) => `Starting Loki Scan VERSION: 0.51.1 SYSTEM: ${h} TIME: 20250312T08:14:02Z PLATFORM: 10 10.0.19045 SP0 Multiprocessor Free PROC: Intel64 Family 6 Model 154 Stepping 3, GenuineIntel ARCH: 64bit WindowsPE`;

/** A Python Loki plain line (§1.1, CRLF) / a 5-column CSV log line / a 4-column CSV stdout line. */
const plain = (h: string, t: string, type: string, mod: string, msg: string) => `20250312T${t}Z ${h} LOKI: ${type}: MODULE: ${mod} MESSAGE: ${msg}\r\n`;
const csv5 = (h: string, t: string, type: string, mod: string, msg: string) => `20250312T${t}Z,${h},${type.toUpperCase()},${mod},${msg}\r\n`;
const csv4 = (h: string, t: string, type: string, _mod: string, msg: string) => `20250312T${t}Z,${h},${type.toUpperCase()},${msg}\r\n`;

/** A whole Python scan of host `h` with the one line `type`/`msg` in it, its Results and RESULT as Loki writes them. */
function pyScan(line: typeof plain, h: string, type: 'Warning' | 'Alert', msg: string): string {
  const a = type === 'Alert' ? 1 : 0;
  const w = 1 - a;
  return (
    line(h, '08:14:02', 'Notice', 'Init', START(h)) +
    line(h, '08:14:52', type, 'ProcessScan', msg) +
    line(h, '10:05:31', 'Notice', 'Results', `Results: ${a} alerts, ${w} warnings, 57 notices`) +
    line(h, '10:05:31', 'Result', 'Results', a ? 'Indicators detected!' : 'Suspicious objects detected!') +
    line(h, '10:05:31', 'Notice', 'Results', `Finished LOKI Scan SYSTEM: ${h} TIME: 20250312T10:05:31Z`)
  );
}

const RS_PLAIN = [
  '2026-02-03T09:40:00Z build-srv-07 INFO Loki-RS scan started VERSION: 2.10.0',
  '2026-02-03T09:40:01Z build-srv-07 WARNING Scan is not running with elevated privileges. Please run as root.',
  '2026-02-03T09:40:02Z build-srv-07 WARNING Skipping network drive TARGET: /mnt/share',
  '2026-02-03T09:40:03Z build-srv-07 WARNING YARA scan timeout while scanning FILE: /opt/big.bin - skipping and continuing',
  '2026-02-03T09:52:10Z build-srv-07 INFO Loki-RS scan finished. Summary - Files scanned: 48213 Matched: 0 | Processes scanned: 187 Matched: 0 | Alerts: 0 Warnings: 0 Notices: 0. Scan Duration: 729.41s (Start: 2026-02-03 10:40:01, End: 2026-02-03 10:52:10)',
  '',
].join('\n');
const json = (t: string, level: string, et: string, message: string, extra = '') =>
  `{"timestamp":"2026-02-03T${t}.5+00:00","level":"${level}","event_type":"${et}","hostname":"rs-json-01","message":"${message}"${extra}}`;
const RS_JSONL = [
  json('09:40:00', 'INFO', 'scan_start', 'Loki-RS scan started VERSION: 2.10.0'),
  json('09:40:01', 'WARNING', 'info', 'Scan is not running with elevated privileges. Please run as Administrator.'),
  json('09:40:02', 'WARNING', 'info', 'Skipping cloud storage folder TARGET: C:\\\\Users\\\\x\\\\OneDrive'),
  json('09:52:10', 'INFO', 'scan_end', 'Loki-RS scan finished', ',"context":{"ALERTS":"0","WARNINGS":"0"}'),
  '',
].join('\n');

function fixtures(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-caveats-'));
  fs.writeFileSync(path.join(dir, 'ws-plain.log'), pyScan(plain, 'WS-PLAIN', 'Warning', TOO_MANY));
  fs.writeFileSync(path.join(dir, 'ws-csv5.log'), pyScan(csv5, 'WS-CSV5', 'Warning', TOO_MANY));
  fs.writeFileSync(path.join(dir, 'ws-csv4.csv'), pyScan(csv4, 'WS-CSV4', 'Warning', TOO_MANY));
  fs.writeFileSync(path.join(dir, 'ws-noproc.log'), pyScan(csv5, 'WS-NOPROC', 'Alert', NO_PROC));
  fs.writeFileSync(path.join(dir, 'rs-plain.log'), RS_PLAIN);
  fs.writeFileSync(path.join(dir, 'rs-json.jsonl'), RS_JSONL);
  // a real detection beside the doubt: Loki's verdict stands (1 alert counted, 1 ALERT finding)
  const h = 'WS-REAL';
  fs.writeFileSync(
    path.join(dir, 'ws-real.log'),
    csv5(h, '08:14:02', 'Notice', 'Init', START(h)) +
      csv5(h, '08:14:52', 'Warning', 'ProcessScan', TOO_MANY) +
      csv5(h, '09:20:13', 'Alert', 'FileScan', 'FILE: C:\\ProgramData\\UpdSvc\\core.dll SCORE: 150 TYPE: EXE SIZE: 241664 FIRST_BYTES: 4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x000001C7A2F3B4F0> MD5: 72579411a8096fb3626868f0932c0202 SHA1: 06038f516a6c46d002a8137ef80cf4f1ac3817df SHA256: c00c1d4e60ccce1abd56df15681ff96e03628e8177ac6299b3507699cd1862c7 CREATED: Tue Mar  4 16:02:51 2025 MODIFIED: Tue Mar  4 16:02:51 2025 ACCESSED: Wed Mar 12 09:20:13 2025 REASON_1: Yara Rule MATCH: MAL_Demo_Loader_Mar25 SUBSCORE: 150 DESCRIPTION: Detects demo loader DLL REF: - AUTHOR: Jane Analyst') +
      csv5(h, '10:05:31', 'Notice', 'Results', 'Results: 1 alerts, 1 warnings, 0 notices') +
      csv5(h, '10:05:31', 'Result', 'Results', 'Indicators detected!') +
      csv5(h, '10:05:31', 'Notice', 'Results', `Finished LOKI Scan SYSTEM: ${h} TIME: 20250312T10:05:31Z`),
  );
  return dir;
}

const DIR = fixtures();

test('Too many matches / Error getting all process information are scanner messages, not findings: clean verdict, 0 hosts with findings', async () => {
  const a = await runLokiAnalysis([DIR]);
  assert.equal(a.summary.unparsedLines, 0);
  assert.deepEqual([a.summary.alerts, a.summary.warnings, a.summary.notices], [1, 0, 0]); // WS-REAL's file finding only
  assert.equal(a.summary.hostsWithFindings, 1);
  assert.deepEqual(a.rules.map((r) => r.rule), ['MAL_Demo_Loader_Mar25']); // no rule `Too many matches…` of kind other
  const by = Object.fromEntries(a.scans.map((h) => [h.host, [h.verdict, h.alerts, h.warnings, h.caveats, h.notElevated === true, hostVerdictLabel(h)]]));
  assert.deepEqual(by, {
    'WS-REAL': ['indicators', 1, 0, 1, false, 'Indicators detected'],
    'WS-PLAIN': ['clean', 0, 0, 1, false, 'Clean (1 scanner caveat)'],
    'WS-CSV5': ['clean', 0, 0, 1, false, 'Clean (1 scanner caveat)'],
    'WS-CSV4': ['clean', 0, 0, 1, false, 'Clean (1 scanner caveat)'],
    'WS-NOPROC': ['clean', 0, 0, 1, false, 'Clean (1 scanner caveat)'],
    'build-srv-07': ['clean', 0, 0, 3, true, 'Clean (not elevated; 2 scanner caveats)'],
    'rs-json-01': ['clean', 0, 0, 2, true, 'Clean (not elevated; 1 scanner caveat)'],
  });
  assert.deepEqual([a.summary.cleanHosts, a.summary.cleanWithCaveats, a.summary.scannerCaveats], [6, 6, 10]);
  // the lines are kept, with their level and source
  const tooMany = a.scannerMessages.filter((m) => m.message === TOO_MANY);
  assert.deepEqual(tooMany.map((m) => [m.host, m.level, m.module, m.source.line]).sort(), [
    ['WS-CSV4', 'WARNING', 'ProcessScan', 2],
    ['WS-CSV5', 'WARNING', 'ProcessScan', 2],
    ['WS-PLAIN', 'WARNING', 'ProcessScan', 2],
    ['WS-REAL', 'WARNING', 'ProcessScan', 2],
  ]);
});

test('CLI text, --json, Markdown and the dashboard show the caveats next to a clean verdict, with the lines', async () => {
  const c = capture();
  assert.equal(await main(['loki', DIR], c.io), 0);
  const out = c.out();
  assert.match(out, /Hosts with findings \(alert\/warning\): 1 {3}Clean hosts: 6 \(6 with scanner caveats\)/);
  assert.match(out, /\n {2}Scanner caveats: 10 on 7 hosts \(6 clean\): parts of these scans were not done, so a clean verdict with caveats is not a plain clean\n/);
  assert.match(out, /\n {4}build-srv-07: WARNING Scan is not running with elevated privileges\. Please run as root\. \(.*rs-plain\.log:2\)\n/);
  assert.match(out, /\n {4}… 5 more \(--json lists them all in scannerMessages\)\n/);
  assert.match(out, /\nbuild-srv-07 +Clean \(not elevated; 2 scanner caveats\) +- +0 +0 +0 +0 alerts, 0 warnings, 0 notices +0 +2\.10\.0 /);
  assert.match(out, /\nWS-CSV5 +Clean \(1 scanner caveat\) +- +0 +0 +0 +0 alerts, 1 warning, 57 notices +0 +0\.51\.1 /);
  const j = capture();
  assert.equal(await main(['loki', DIR, '--json'], j.io), 0);
  const r = JSON.parse(j.out());
  assert.deepEqual([r.summary.scannerCaveats, r.summary.cleanWithCaveats, r.summary.hostsWithFindings], [10, 6, 1]);
  const rs = r.hosts.find((h: { host: string }) => h.host === 'build-srv-07');
  assert.deepEqual([rs.verdict, rs.scannerCaveats, rs.notElevated, rs.scannerErrors], ['clean', 3, true, 0]);
  assert.equal(r.scannerMessages.filter((m: { level: string }) => m.level === 'WARNING' || m.level === 'ALERT').length, 10);
  const a = await runLokiAnalysis([DIR]);
  const md = lokiMarkdown(a, { zone: 'UTC' });
  assert.match(md, /^- Hosts: 7 \(1 with alerts or warnings, 6 clean \(6 with scanner caveats\)\)$/m);
  assert.match(md, /^## Scanner caveats \(10 of 10\)|^## Scanner caveats$/m);
  assert.match(md, /^\| build-srv-07 \| Clean \(not elevated; 2 scanner caveats\) \| WARNING \| Skipping network drive TARGET: \/mnt\/share \| rs-plain\.log:3 \|$/m);
  assert.match(md, /^\| WS-NOPROC \| Clean \(1 scanner caveat\) \| ALERT \| Error getting all process information\. Did you run the scanner 'As Administrator'\? \| ws-noproc\.log:2 \|$/m);
  const m = buildLokiDashboard(a, 'x', 'UTC');
  const hosts = m.tables.find((t) => t.id === 'hosts')!;
  assert.deepEqual(hosts.rows.find((row) => row[0] === 'rs-json-01')!.slice(0, 2), ['rs-json-01', 'Clean (not elevated; 1 scanner caveat)']);
  assert.deepEqual(m.cards.find((x) => x.id === 'cleanHosts'), { id: 'cleanHosts', label: 'Clean hosts (6 with scanner caveats)', value: 6, tone: 'warning', tab: 'scanner' });
  const scanner = m.tables.find((t) => t.id === 'scanner')!;
  assert.ok(scanner.rows.some((row) => row[0] === 'rs-json-01' && row[1] === 'WARNING' && String(row[4]).startsWith('Skipping cloud storage folder')));
});

test('the real logs: no scanner caveats, verdicts unchanged', async () => {
  const a = await runLokiAnalysis([REAL]);
  assert.deepEqual([a.summary.scannerCaveats, a.summary.cleanWithCaveats], [0, 0]);
  assert.deepEqual(
    a.scans.map((h) => [h.host, hostVerdictLabel(h)]),
    [
      ['DS1', 'Indicators detected'],
      ['DS-SER1', 'Indicators detected'],
      ['Server1', 'Suspicious objects detected'],
      ['AD', 'Incomplete scan (scanner errors)'],
    ],
  );
  const c = capture();
  assert.equal(await main(['loki', REAL], c.io), 0);
  assert.doesNotMatch(c.out(), /caveat/);
});
