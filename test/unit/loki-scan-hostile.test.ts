/**
 * A hostile reviewer's Loki logs (second round), each built here from its reproduction:
 *  1. a forged scan start spelled in another case (`fin-ws0142` inside `FIN-WS0142`'s running scan)
 *     joins the running scan with the usual warning: the parser keys hosts as the summary does;
 *  2. Loki's own `Results: N alerts, M warnings` (Loki-RS scan end) is compared with what was read:
 *     more reported than read is a warning at that line (CLI text, --json, dashboard);
 *  3. Loki-RS legacy (flexi_logger) scan start / end are matched at the message start only, after
 *     the findings: a path with `Starting Loki` or an INFO line naming `/tmp/scan completed` neither
 *     drops a finding nor ends or opens a scan;
 *  4. the "counted as the same scan" warnings are capped per file (the rest counted in one warning).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_PARTIAL_WARNINGS, MAX_SAME_SCAN_WARNINGS, parseLokiText } from '../../src/core/parse/loki';
import { MAX_LINE_CHARS } from '../../src/core/parse/lines';
import { setAsideScansText, type LokiAnalysis } from '../../src/core/analyze/loki-summary';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import type { FindingList } from '../../src/core/model/loki';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REPO = path.resolve(__dirname, '../../..');
const REAL = path.resolve(REPO, '../shared/data/loki/real-2021-2022');
const FIX = path.join(REPO, 'test/fixtures/loki');

const SAME_SCAN = /^scan start at line (\d+) before the scan that began at line (\d+) ended: counted as the same scan/;
/** A scan-end line that does not fit its scan (loki.ts endIf): the reason. */
const END_MISFIT = /^scan end at line \d+ does not fit the scan that began at line \d+ \((.*)\): not taken as its end, a start line after it does not open a new scan \(a line forged by a line break in a logged file name or match, or logs joined out of order\)$/;
const REPORTED = /^Loki reported /;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'loki-scan-hostile-'));
}

async function analyzeText(name: string, text: string, includeAllScans = false): Promise<{ a: LokiAnalysis<FindingList>; file: string }> {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, text);
  return { a: await runLokiAnalysis([file], { includeAllScans }), file };
}


const pyStart = (host: string, ts: string) =>
  `${ts} ${host} LOKI: Notice: MODULE: Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: ${host} TIME: ${ts} PLATFORM: 10`;
const pyAlert = (host: string, ts: string, p: string, rule: string) =>
  `${ts} ${host} LOKI: Alert: MODULE: FileScan MESSAGE: FILE: ${p} SCORE: 200 TYPE: EXE SIZE: 1 MD5: c0f94449e113fa3f7eb420c64108b58b REASON_1: Yara Rule MATCH: ${rule} SUBSCORE: 200`;
const pyTrailer = (host: string, alerts: number, warnings = 0, ts = '20250312T09:00:00Z') => [
  `${ts} ${host} LOKI: Notice: MODULE: Results MESSAGE: Results: ${alerts} alerts, ${warnings} warnings, 0 notices`,
  `${ts} ${host} LOKI: Result: MODULE: Results MESSAGE: Indicators detected!`,
  `${ts} ${host} LOKI: Notice: MODULE: Results MESSAGE: Finished LOKI Scan SYSTEM: ${host} TIME: ${ts}`,
];
/**
 * A Python plain line as a central syslog server receives it from `loki -r` (RFC 5424, loki-format.md §2.7): the
 * header's time, host and PROCID (the Loki process id: one per scan) before `LOKI: …`.
 */
const syslog = (procId: number, line: string) => {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d:\d\d:\d\d)Z (\S+) (LOKI: .*)$/.exec(line)!;
  return `<158>1 ${m[1]}-${m[2]}-${m[3]}T${m[4]}.000000+00:00 ${m[5]} LOKI ${procId} 1 - ${m[6]}`;
};

// ---------------------------------------------------------------- 1. host spelled in another case

test('a forged scan start of the host in another case (Python plain) joins the running scan with a warning; nothing is set aside', async () => {
  const text = [
    pyStart('FIN-WS0142', '20250312T08:14:02Z'),
    pyAlert('FIN-WS0142', '20250312T08:20:00Z', 'C:\\real\\mimi.exe', 'Mimikatz'),
    pyStart('fin-ws0142', '20991231T00:00:00Z'), // forged, dated later
    pyAlert('FIN-WS0142', '20250312T08:30:00Z', 'C:\\real\\two.exe', 'Evil2'),
    ...pyTrailer('FIN-WS0142', 2),
  ].join('\n') + '\n';
  const { a } = await analyzeText('scan.log', text);
  assert.deepEqual([a.summary.alerts, a.setAside.length, a.scans.length], [2, 0, 1]);
  assert.deepEqual(a.scans.map((h) => [h.host, h.verdict, h.scanStart]), [['FIN-WS0142', 'indicators', Date.UTC(2025, 2, 12, 8, 14, 2)]]);
  assert.deepEqual((a.warnings ?? []).map((w) => [w.line, SAME_SCAN.exec(w.message)?.slice(1)]), [[3, ['3', '1']]]);
  // the text path too: one scan
  assert.equal(parseLokiText(text, 'scan.log').scans.length, 1);
});

test('a forged scan start in another case: Loki-RS plain and Python CSV (byte path)', async () => {
  const rs = [
    '2026-02-03T09:40:00Z build-srv-07 INFO Loki-RS scan started VERSION: 2.3.1',
    '2026-02-03T09:41:27Z build-srv-07 ALERT Match: /opt/x/miner SCORE: 84 REASONS: [YARA match with rule MAL_Miner DESC: x]',
    '2099-02-03T09:41:27Z BUILD-SRV-07 INFO Loki-RS scan started VERSION: 2.3.1',
    '2026-02-03T09:50:00Z build-srv-07 INFO Loki-RS scan finished. Summary: 1 alerts 0 warnings 0 notices',
  ].join('\n') + '\n';
  const r = await analyzeText('scan.log', rs);
  assert.deepEqual([r.a.summary.alerts, r.a.setAside.length, r.a.scans.map((h) => h.verdict)], [1, 0, ['indicators']]);
  assert.deepEqual((r.a.warnings ?? []).map((w) => w.line), [3]);

  const csv = [
    '20250312T08:14:02Z,build-srv-07,NOTICE,Init,Starting Loki Scan VERSION: 0.51.1 SYSTEM: build-srv-07 TIME: 20250312T08:14:02Z',
    '20250312T08:20:00Z,build-srv-07,ALERT,FileScan,FILE: /tmp/x SCORE: 200 TYPE: ELF SIZE: 1 REASON_1: Yara Rule MATCH: Miner SUBSCORE: 200',
    '20991231T00:00:00Z,BUILD-SRV-07,NOTICE,Init,Starting Loki Scan VERSION: 0.51.1 SYSTEM: BUILD-SRV-07 TIME: 20991231T00:00:00Z',
    '20991231T00:00:01Z,BUILD-SRV-07,RESULT,Results,SYSTEM SEEMS TO BE CLEAN.',
    '20250312T09:00:00Z,build-srv-07,NOTICE,Results,Results: 1 alerts, 0 warnings, 0 notices',
    '20250312T09:00:00Z,build-srv-07,RESULT,Results,Indicators detected!',
  ].join('\n') + '\n';
  const c = await analyzeText('loki.log', csv);
  assert.deepEqual([c.a.summary.alerts, c.a.setAside.length, c.a.scans.map((h) => h.verdict)], [1, 0, ['indicators']]);
  // line 5, the real `Results:`, is dated before the forged RESULT of line 4 (2099): not taken as the scan's end (one
  // warning for the block of lines 5-6); the verdict is still the last one read
  assert.deepEqual((c.a.warnings ?? []).map((w) => [w.line, SAME_SCAN.test(w.message) ? 'same' : END_MISFIT.exec(w.message)?.[1]]), [
    [3, 'same'],
    [5, "dated 2025-03-12T09:00:00Z, before the scan's last record at 2099-12-31T00:00:01Z"],
  ]);
});

test('two hosts differing only in case stay one host in a multi-host file: records of either spelling go to one scan', async () => {
  const text = [
    pyStart('WS-A', '20250312T08:00:00Z'),
    pyStart('WS-B', '20250312T08:00:00Z'),
    pyAlert('ws-a', '20250312T08:10:00Z', 'C:\\a.exe', 'RA'),
    pyAlert('WS-B', '20250312T08:11:00Z', 'C:\\b.exe', 'RB'),
    ...pyTrailer('WS-A', 1),
    ...pyTrailer('ws-b', 1),
  ].join('\n') + '\n';
  const r = parseLokiText(text, 'central.log');
  assert.deepEqual(r.scans.map((s) => [s.host, s.alerts, s.verdict, s.complete]), [['WS-A', 1, 'indicators', true], ['WS-B', 1, 'indicators', true]]);
  assert.deepEqual(r.warnings, []);
});

// ---------------------------------------------------------------- 2. Loki's own counts

const nlUnparsed = [
  pyStart('FIN-WS0142', '20250312T08:14:02Z'),
  '20250312T08:20:00Z FIN-WS0142 LOKI: Alert: MODULE: FileScan MESSAGE: FILE: C:\\evil\\a.exe', // the path's line break took the rest
  '20250312T08:20:00Z FIN-WS0142 LOKI: Info: MODULE: FileScan MESSAGE: Scanning C:\\x SCORE: 200 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: Mimikatz SUBSCORE: 200',
  ...pyTrailer('FIN-WS0142', 1),
].join('\n') + '\n';

test('Loki reported more alerts than were read (an ALERT line lost its SCORE): a warning at the Results line, in the CLI text, --json and the dashboard', async () => {
  const { a, file } = await analyzeText('scan.log', nlUnparsed);
  assert.equal(a.summary.alerts, 0);
  const want = { file, line: 4, message: 'Loki reported 1 alert in this scan, 0 were read (see the unparsed lines)' };
  assert.deepEqual(a.warnings, [want]);
  const text = capture();
  assert.equal(await main(['loki', file], text.io), 0);
  assert.ok(text.out().includes(`  ${file}:4: ${want.message}\n`), text.out());
  const json = capture();
  assert.equal(await main(['loki', file, '--json'], json.io), 0);
  assert.deepEqual(JSON.parse(json.out()).warnings, [want]);
  const model = buildLokiDashboard(a, 't', 'UTC');
  assert.deepEqual(model.cards.find((c) => c.id === 'parserWarnings'), { id: 'parserWarnings', label: 'Parser warning', value: 1, tone: 'warning', tab: 'warnings' });
  assert.deepEqual(model.tables.find((t) => t.id === 'warnings')?.rows, [[file, 4, want.message]]);
});

test('Loki reported more alerts than were read: a forged start + clean RESULT in between (plain and CSV), an over-long finding line, warnings too', async () => {
  const combo = [
    pyStart('FIN-WS0142', '20250312T08:14:02Z'),
    '20250312T08:20:00Z FIN-WS0142 LOKI: Alert: MODULE: FileScan MESSAGE: FILE: C:\\evil\\a.exe',
    pyStart('fin-ws0142', '20991231T00:00:00Z'),
    '20991231T00:00:01Z fin-ws0142 LOKI: Result: MODULE: Results MESSAGE: SYSTEM SEEMS TO BE CLEAN.',
    ...pyTrailer('FIN-WS0142', 1),
  ].join('\n') + '\n';
  const c = await analyzeText('scan.log', combo);
  assert.deepEqual([c.a.summary.alerts, c.a.setAside.length, c.a.scans.map((h) => h.verdict)], [0, 0, ['indicators']]);
  assert.deepEqual((c.a.warnings ?? []).map((w) => [w.line, SAME_SCAN.test(w.message) ? 'same' : END_MISFIT.exec(w.message)?.[1] ?? w.message]), [
    [3, 'same'],
    // the real trailer is dated before the forged RESULT (2099) of line 4: not the scan's end (one warning for lines 5-7)
    [5, "dated 2025-03-12T09:00:00Z, before the scan's last record at 2099-12-31T00:00:01Z"],
    [5, 'Loki reported 1 alert in this scan, 0 were read (see the unparsed lines)'],
  ]);

  const long = [
    '20250312T08:14:02Z,FIN-WS0142,NOTICE,Init,Starting Loki Scan VERSION: 0.51.1 SYSTEM: FIN-WS0142 TIME: 20250312T08:14:02Z',
    `20250312T08:20:00Z,FIN-WS0142,ALERT,FileScan,FILE: C:\\a.exe SCORE: 200 TYPE: EXE REASON_1: Yara Rule MATCH: X SUBSCORE: 200 MATCHES: Str1: ${'A'.repeat(MAX_LINE_CHARS)}`,
    '20250312T08:21:00Z,FIN-WS0142,WARNING,FileScan,FILE: C:\\b.exe SCORE: 70 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: Y SUBSCORE: 70',
    '20250312T09:00:00Z,FIN-WS0142,NOTICE,Results,Results: 1 alerts, 3 warnings, 0 notices',
    '20250312T09:00:00Z,FIN-WS0142,RESULT,Results,Indicators detected!',
  ].join('\n') + '\n';
  const l = await analyzeText('long.log', long);
  assert.deepEqual([l.a.summary.alerts, l.a.summary.warnings], [0, 1]);
  assert.deepEqual((l.a.warnings ?? []).map((w) => [w.line, w.message]), [[4, 'Loki reported 1 alert and 3 warnings in this scan, 0 alerts and 1 warning were read (see the unparsed lines)']]);
});

test('Loki`s counts: no "Loki reported" warning when they match, when fewer were reported, without the scan`s start line, and on the real logs', async () => {
  const ok = [pyStart('H', '20250312T08:14:02Z'), pyAlert('H', '20250312T08:20:00Z', 'C:\\a.exe', 'R'), ...pyTrailer('H', 1)].join('\n');
  assert.deepEqual(parseLokiText(ok, 'x.log').warnings, []);
  // an ALERT-level scanner message counts as Loki counts it (not a finding, yet an ALERT line)
  const msg = [pyStart('H', '20250312T08:14:02Z'), '20250312T08:20:00Z H LOKI: Alert: MODULE: ProcessScan MESSAGE: Error getting all process information', ...pyTrailer('H', 1)].join('\n');
  assert.deepEqual(parseLokiText(msg, 'x.log').warnings, []);
  // fewer reported than read: no "Loki reported" warning, but Loki never counts fewer lines than it wrote, so that
  // `Results:` line is not taken as the scan's end (loki.ts pyEnd)
  const fewer = [pyStart('H', '20250312T08:14:02Z'), pyAlert('H', '20250312T08:20:00Z', 'C:\\a.exe', 'R'), ...pyTrailer('H', 0)].join('\n');
  assert.deepEqual(parseLokiText(fewer, 'x.log').warnings.map((w) => [w.line, END_MISFIT.exec(w.message)?.[1] ?? w.message]), [[3, 'it counts 0 alerts and 0 warnings, 1 alert and 0 warnings were read']]);
  // a capture that began mid-scan lacks lines by nature
  const noStart = [pyAlert('H', '20250312T08:20:00Z', 'C:\\a.exe', 'R'), ...pyTrailer('H', 3)].join('\n');
  assert.deepEqual(parseLokiText(noStart, 'x.log').warnings, []);
  // Loki-RS scan end counters
  const rs = [
    '2026-02-03T09:40:00Z h INFO Loki-RS scan started VERSION: 2.3.1',
    '2026-02-03T09:50:00Z h INFO Loki-RS scan finished. Summary - Files scanned: 9 Matched: 1 | Processes scanned: 1 Matched: 0 | Alerts: 1 Warnings: 0 Notices: 0. Scan Duration: 1.00s',
  ].join('\n');
  assert.deepEqual(parseLokiText(rs, 'x.log').warnings.map((w) => [w.line, w.message]), [[2, 'Loki reported 1 alert in this scan, 0 were read (lines of the scan are missing from the log)']]);
  // the real logs and the repo's whole-scan fixtures: none
  const files = [...fs.readdirSync(REAL).map((f) => path.join(REAL, f)), ...['samples-plain-win.log', 'samples-plain-linux.log', 'samples-rs.log', 'samples-rs.jsonl', 'rs-legacy.log', 'rs-two-scans.log', 'syslog.log'].map((f) => path.join(FIX, f))];
  const a = await runLokiAnalysis(files, { includeAllScans: true });
  assert.ok(a.summary.files >= 10);
  assert.deepEqual((a.warnings ?? []).filter((w) => REPORTED.test(w.message)), []);
});

// ---------------------------------------------------------------- 3. Loki-RS legacy start / end

const legacyHit = (t: string, lvl: string, p: string, score: number, rule: string) => [
  `[2026-01-05T${t}Z] ${lvl === 'ALERT' ? 'ERROR \u001b[31mALERT\u001b[0m' : 'WARN \u001b[33mWARNING\u001b[0m'} FILE: ${p}`,
  `         SCORE: ${score} TYPE: ELF SIZE: 4096`,
  `         REASON_1: YARA match with rule ${rule}`,
  `         SUBSCORE: ${score}`,
];

test('Loki-RS legacy: a finding whose path says `Starting Loki` is a finding, not a scan start', async () => {
  const text = [
    '[2026-01-05T09:59:00Z] INFO Loki-RS scan started VERSION: 2.3.1-beta',
    ...legacyHit('10:00:00', 'ALERT', '/dev/shm/real.bin', 90, 'MAL_Real'),
    ...legacyHit('10:01:00', 'ALERT', '/home/u/Starting Loki/miner', 120, 'MAL_Hidden'),
    ...legacyHit('10:02:00', 'WARNING', '/tmp/scan completed/x', 70, 'W'),
    ...legacyHit('10:03:00', 'WARNING', '/tmp/scan started/y', 70, 'W2'),
    '[2026-01-05T10:05:00Z] INFO Loki-RS scan finished. Alerts: 2 Warnings: 2 Notices: 0',
  ].join('\n') + '\n';
  const { a } = await analyzeText('loki_host1_2026-01-05_09-59-00.log', text, true);
  assert.deepEqual([a.summary.alerts, a.summary.warnings], [2, 2]);
  assert.deepEqual([...a.findings].map((f) => f.path).sort(), ['/dev/shm/real.bin', '/home/u/Starting Loki/miner', '/tmp/scan completed/x', '/tmp/scan started/y']);
  assert.deepEqual(a.scans.map((h) => [h.lokiVersion, h.scanStart, h.scanEnd, h.verdict]), [['2.3.1-beta', Date.UTC(2026, 0, 5, 9, 59), Date.UTC(2026, 0, 5, 10, 5), 'indicators']]);
  assert.deepEqual(a.warnings ?? [], []);
});

test('Loki-RS legacy: INFO lines that merely mention `scan completed` / `scan started` neither end nor open a scan', async () => {
  const text = [
    '[2026-01-05T09:59:00Z] INFO Loki-RS scan started VERSION: 2.3.1-beta',
    ...legacyHit('10:00:00', 'ALERT', '/dev/shm/real.bin', 90, 'MAL_Real'),
    '[2026-01-05T10:01:00Z] INFO Skipping /tmp/scan completed',
    '[2026-01-05T10:02:00Z] INFO Skipping /tmp/scan started',
    '[2026-01-05T10:05:00Z] INFO Loki-RS scan finished. Alerts: 1 Warnings: 0 Notices: 0',
  ].join('\n') + '\n';
  const { a } = await analyzeText('loki_host4_2026-01-05_09-59-00.log', text, true);
  assert.deepEqual(a.scans.map((h) => [h.scanStart, h.scanEnd, h.verdict, h.alerts]), [[Date.UTC(2026, 0, 5, 9, 59), Date.UTC(2026, 0, 5, 10, 5), 'indicators', 1]]);
  assert.deepEqual([a.setAside.length, a.warnings ?? []], [0, []]);
  // the real forms still start and end scans (two scans, the second after the first ended)
  const two = text + ['[2026-01-06T09:00:00Z] INFO Loki-RS scan started VERSION: 2.3.1-beta', '[2026-01-06T09:05:00Z] INFO Loki-RS scan finished. Alerts: 0 Warnings: 0 Notices: 0'].join('\n') + '\n';
  const r = parseLokiText(two, 'loki_host4_2026-01-05_09-59-00.log');
  assert.deepEqual(r.scans.map((s) => [s.scanStart, s.scanEnd, s.verdict]), [
    [Date.UTC(2026, 0, 5, 9, 59), Date.UTC(2026, 0, 5, 10, 5), 'indicators'],
    [Date.UTC(2026, 0, 6, 9), Date.UTC(2026, 0, 6, 9, 5), 'clean'],
  ]);
});

// ---------------------------------------------------------------- 4. capped warnings

test(`scan starts counted as the same scan: the first ${MAX_SAME_SCAN_WARNINGS} are listed per file, the rest counted in one warning`, async () => {
  const n = 1000;
  const lines = [pyStart('H', '20250312T08:14:02Z'), pyAlert('H', '20250312T08:20:00Z', 'C:\\a.exe', 'R')];
  for (let i = 0; i < n; i++) lines.push(pyStart('H', '20991231T00:00:00Z'));
  lines.push(...pyTrailer('H', 1));
  const text = lines.join('\n') + '\n';
  const { a, file } = await analyzeText('scan.log', text);
  const w = a.warnings ?? [];
  assert.equal(w.length, MAX_SAME_SCAN_WARNINGS + 1);
  assert.deepEqual(w.slice(0, MAX_SAME_SCAN_WARNINGS).map((x) => x.line), Array.from({ length: MAX_SAME_SCAN_WARNINGS }, (_, i) => i + 3));
  assert.deepEqual(w[MAX_SAME_SCAN_WARNINGS], { file, line: 0, message: `${n - MAX_SAME_SCAN_WARNINGS} more scan starts before the running scan ended counted as the same scan (not listed; ${n} in all)` });
  assert.deepEqual([a.summary.alerts, a.setAside.length], [1, 0]);
  // exactly one over the cap
  const one = [pyStart('H', '20250312T08:14:02Z'), ...Array.from({ length: MAX_SAME_SCAN_WARNINGS + 1 }, () => pyStart('H', '20991231T00:00:00Z')), ...pyTrailer('H', 0)].join('\n');
  const r = parseLokiText(one, 'x.log');
  assert.equal(r.warnings.length, MAX_SAME_SCAN_WARNINGS + 1);
  assert.equal(r.warnings[MAX_SAME_SCAN_WARNINGS].message, `1 more scan start before the running scan ended counted as the same scan (not listed; ${MAX_SAME_SCAN_WARNINGS + 1} in all)`);
  // a second file has a cap of its own
  const p = parseLokiText(text, 'y.log');
  assert.equal(p.warnings.length, MAX_SAME_SCAN_WARNINGS + 1);
});

// ---------------------------------------------------------------- 5. a scan of another host inside a host's scan

test('a forged start + RESULT of host B inside host A`s log: part of A`s scan, B`s real scan in its own file stays shown; a central syslog capture keeps the summary`s warning', async () => {
  const dir = tmpDir();
  const other = path.join(dir, 'other.log');
  const scan = path.join(dir, 'scan.log');
  fs.writeFileSync(other, [pyStart('HR-WS0001', '20250312T08:14:02Z'), pyAlert('HR-WS0001', '20250312T08:20:00Z', 'C:\\real\\mimi.exe', 'Mimikatz'), ...pyTrailer('HR-WS0001', 1)].join('\n') + '\n');
  const lines = [
    pyStart('FIN-WS0142', '20250312T08:14:02Z'),
    pyAlert('FIN-WS0142', '20250312T08:20:00Z', 'C:\\real\\mimi.exe', 'Mimikatz'),
    pyStart('HR-WS0001', '20250312T08:30:00Z'), // dated after HR-WS0001's real scan (a 2099 date: the test below)
    '20250312T08:30:01Z HR-WS0001 LOKI: Result: MODULE: Results MESSAGE: SYSTEM SEEMS TO BE CLEAN.',
    ...pyTrailer('FIN-WS0142', 1),
  ];
  // A log Loki wrote (one host's lines): HR-WS0001's lines 3-4 lie inside FIN-WS0142's scan and are part of it
  fs.writeFileSync(scan, lines.join('\n') + '\n');
  const a = await runLokiAnalysis([other, scan]);
  assert.deepEqual(a.setAside, []);
  assert.deepEqual(a.scans.map((h) => [h.host, h.file, h.alerts, h.verdict]).sort(), [['FIN-WS0142', scan, 1, 'indicators'], ['HR-WS0001', other, 1, 'indicators']]);
  assert.deepEqual(a.warnings, [{
    file: scan,
    line: 3,
    message: 'lines of HR-WS0001 at lines 3-4 lie inside the scan of FIN-WS0142 that began at line 1, in a log of one host: counted as part of that scan (a line break in a value FIN-WS0142 logged can forge them)',
  }]);
  // The same lines received by a central syslog server (hosts may run at the same time): kept as read, and said
  fs.writeFileSync(scan, lines.map((l, i) => syslog(i === 2 || i === 3 ? 7 : 5816, l)).join('\n') + '\n');
  const c = await runLokiAnalysis([other, scan]);
  assert.deepEqual(c.setAside.map((x) => [x.host, x.file, x.alerts]), [['HR-WS0001', other, 1]]);
  assert.deepEqual(c.warnings, [{
    file: scan,
    line: 3,
    message: `the scan of HR-WS0001 kept (the latest) lies inside the scan of FIN-WS0142 that began at line 1, and sets aside its scan in ${other} with 1 alert, 0 warnings: a line break in a value logged by FIN-WS0142 can forge such a scan; compare them with --all-scans`,
  }]);
  // --all-scans sets nothing aside: no warning
  assert.deepEqual((await runLokiAnalysis([other, scan], { includeAllScans: true })).warnings ?? [], []);
  // the set-aside scan without alerts or warnings, or in the same file (a rescan in a central syslog): none
  fs.writeFileSync(other, [pyStart('HR-WS0001', '20250312T08:14:02Z'), ...pyTrailer('HR-WS0001', 0)].join('\n') + '\n');
  assert.deepEqual((await runLokiAnalysis([other, scan])).warnings ?? [], []);
});

test('a whole forged Loki log dated 2099 is not the host`s latest scan: the real scan with its alert stays shown, the forged one is set aside and said', async () => {
  const dir = tmpDir();
  const real = path.join(dir, 'loki_HR-WS0001.log');
  const forged = path.join(dir, 'loki_HR-WS0001_later.log');
  fs.writeFileSync(real, [pyStart('HR-WS0001', '20250312T08:14:02Z'), pyAlert('HR-WS0001', '20250312T08:20:00Z', 'C:\\real\\mimi.exe', 'Mimikatz'), ...pyTrailer('HR-WS0001', 1)].join('\n') + '\n');
  const clean = (ts: string) => [
    pyStart('HR-WS0001', ts),
    `${ts} HR-WS0001 LOKI: Notice: MODULE: Results MESSAGE: Results: 0 alerts, 0 warnings, 0 notices`,
    `${ts} HR-WS0001 LOKI: Result: MODULE: Results MESSAGE: SYSTEM SEEMS TO BE CLEAN.`,
    `${ts} HR-WS0001 LOKI: Notice: MODULE: Results MESSAGE: Finished LOKI Scan SYSTEM: HR-WS0001 TIME: ${ts}`,
  ];
  fs.writeFileSync(forged, clean('20991231T00:00:00Z').join('\n') + '\n');
  const now = Date.UTC(2026, 11, 3);
  const a = await runLokiAnalysis([real, forged], { now });
  // before: the forged clean scan was the latest; the host read clean and its alert was set aside
  assert.deepEqual(a.hosts.map((h) => [h.host, h.verdict, h.alerts, h.file]), [['HR-WS0001', 'indicators', 1, real]]);
  assert.deepEqual(a.setAside.map((x) => [x.host, x.file, x.scanStart, x.findings]), [['HR-WS0001', forged, Date.UTC(2099, 11, 31), 0]]);
  assert.deepEqual(a.warnings, [{
    file: forged,
    line: 1,
    message: 'the scan of HR-WS0001 that starts 2099-12-31T00:00:00Z, after the analysis, is not taken as its latest scan (a forged log, or an endpoint clock that is off): set aside; compare them with --all-scans',
  }]);
  // the dashboard shows the host with its alert
  const model = buildLokiDashboard(a, 't', 'UTC');
  assert.equal(model.cards.find((c) => c.id === 'setAside')?.value, 1);
  // named by why, not as an "older" scan (new-user trial): the dashboard, the CLI and the Markdown summary
  assert.match(model.subtitle ?? '', /, 1 scan dated after the analysis set aside — times in UTC$/);
  assert.deepEqual(a.setAside.map((x) => x.future), [true]);
  const cli = capture();
  assert.equal(await main(['loki', real, forged], cli.io), 0);
  assert.match(cli.out(), /  Scans set aside: 1 scan of the same host dated after the analysis \(use --all-scans to keep them\)\n/);
  assert.equal(setAsideScansText([{ host: 'h', file: 'f', findings: 0, alerts: 0, warnings: 0 }, { host: 'h', file: 'g', findings: 0, alerts: 0, warnings: 0, future: true }], 2, true), '1 older scan and 1 dated after the analysis, of the same host');
  assert.equal(setAsideScansText([{ host: 'h', file: 'f', findings: 0, alerts: 0, warnings: 0 }], 1, true), '1 older scan of the same host');
  // a scan at most 15 minutes after the analysis (an endpoint clock a little ahead; Loki's times are UTC) is still the latest
  fs.writeFileSync(forged, clean('20261203T00:14:00Z').join('\n') + '\n');
  const b = await runLokiAnalysis([real, forged], { now });
  assert.deepEqual(b.hosts.map((h) => [h.verdict, h.file]), [['clean', forged]]);
  assert.equal(b.warnings, undefined);
  // a forged clean log dated 22 hours ahead (hostile review: it outranked every rescan of the next day) is set aside
  fs.writeFileSync(forged, clean('20261203T22:00:00Z').join('\n') + '\n');
  const b2 = await runLokiAnalysis([real, forged], { now });
  assert.deepEqual([b2.hosts.map((h) => [h.verdict, h.alerts, h.file]), b2.setAside.map((x) => x.future)], [[['indicators', 1, real]], [true]]);
  // a host whose scans are all dated in the future: compared as usual (the later one kept), nothing said
  fs.writeFileSync(real, clean('20990101T00:00:00Z').join('\n') + '\n');
  fs.writeFileSync(forged, clean('20991231T00:00:00Z').join('\n') + '\n');
  const c = await runLokiAnalysis([real, forged], { now });
  assert.deepEqual([c.hosts.map((h) => h.file), c.warnings], [[forged], undefined]);
  // --all-scans keeps both: nothing set aside, nothing said
  const d = await runLokiAnalysis([real, forged], { now, includeAllScans: true });
  assert.deepEqual([d.setAside, d.warnings], [[], undefined]);
});

test('central syslog, several hosts alternating, rescans in the same file: no warning, the latest scan of each host kept', async () => {
  // each scan is a Loki process of its own (PROCID); B's rescan is a new one
  const text = [
    syslog(200, pyStart('WS-A', '20250311T08:00:00Z')),
    syslog(100, pyStart('WS-B', '20250311T08:00:00Z')),
    syslog(100, pyAlert('WS-B', '20250311T08:01:00Z', 'C:\\b.exe', 'RB')),
    ...pyTrailer('WS-B', 1, 0, '20250311T08:20:00Z').map((l) => syslog(100, l)),
    syslog(101, pyStart('WS-B', '20250311T08:30:00Z')), // B's rescan, still inside A's scan
    ...pyTrailer('WS-B', 0, 0, '20250311T08:35:00Z').map((l) => syslog(101, l)),
    syslog(200, pyAlert('WS-A', '20250311T08:40:00Z', 'C:\\a.exe', 'RA')),
    ...pyTrailer('WS-A', 1, 0, '20250311T09:00:00Z').map((l) => syslog(200, l)),
  ].join('\n') + '\n';
  const { a } = await analyzeText('central.log', text);
  assert.deepEqual(a.scans.map((h) => [h.host, h.alerts, h.verdict]).sort(), [['WS-A', 1, 'indicators'], ['WS-B', 0, 'indicators']]);
  assert.deepEqual(a.setAside.map((x) => [x.host, x.alerts]), [['WS-B', 1]]);
  assert.deepEqual(a.warnings ?? [], []);
});

test('LokiScan.within: set exactly for scans with a start line whose records all lie inside another host`s scan of a central syslog capture (random interleavings, brute force)', () => {
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let round = 0; round < 300; round++) {
    // each host runs 1-2 scans one after the other (each a process of its own); the hosts' lines interleave at
    // random, as a syslog server receives them (each line dated by its place: times only go forward)
    const hosts = ['WS-A', 'ws-a ', 'WS-B', 'WS-C'].slice(0, 2 + rnd(3));
    const queues = hosts.map((h, hi) => {
      const q: { line: (ts: string) => string; scan: number }[] = [];
      const scans = 1 + rnd(2);
      for (let s = 0; s < scans; s++) {
        const pid = 1000 + 10 * hi + s;
        q.push({ line: (ts) => syslog(pid, pyStart(h.trim(), ts)), scan: s });
        for (let k = rnd(3); k > 0; k--) q.push({ line: (ts) => syslog(pid, pyAlert(h.trim(), ts, `C:\\${k}.exe`, 'R')), scan: s });
        q.push({ line: (ts) => syslog(pid, `${ts} ${h.trim()} LOKI: Notice: MODULE: Results MESSAGE: Finished LOKI Scan SYSTEM: ${h.trim()} TIME: ${ts}`), scan: s });
      }
      return q;
    });
    // 'ws-a ' is WS-A in another spelling: one host, so it is not used at the same time as WS-A in a test round
    if (hosts.includes('ws-a ')) queues.splice(hosts.indexOf('WS-A'), 1), hosts.splice(hosts.indexOf('WS-A'), 1);
    const lines: string[] = [];
    const spans = new Map<string, { key: string; first: number; last: number }>();
    while (queues.some((q) => q.length > 0)) {
      const live = queues.map((q, i) => i).filter((i) => queues[i].length > 0);
      const i = live[rnd(live.length)];
      const { line, scan } = queues[i].shift()!;
      const t = new Date(Date.UTC(2025, 2, 12, 8) + lines.length * 60_000).toISOString();
      lines.push(line(`${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 19)}Z`));
      const id = `${hosts[i].trim().toLowerCase()}#${scan}`;
      const sp = spans.get(id);
      if (sp) sp.last = lines.length;
      else spans.set(id, { key: hosts[i].trim().toLowerCase(), first: lines.length, last: lines.length });
    }
    const r = parseLokiText(lines.join('\n'), 'central.log');
    const sorted = [...spans.values()].sort((x, y) => x.first - y.first);
    assert.equal(r.scans.length, sorted.length);
    assert.deepEqual(r.warnings, [], `round ${round}`);
    r.scans.forEach((sc, i) => {
      const me = sorted[i];
      assert.equal(sc.firstLine, me.first);
      const inside = sorted.some((o) => o.key !== me.key && o.first < me.first && o.last > me.last);
      assert.equal(sc.within !== undefined, inside, `round ${round}, scan ${i}`);
      if (sc.within) {
        const o = sorted.find((x) => x.first === sc.within!.line)!;
        assert.ok(o.key !== me.key && o.last > me.last && o.key === sc.within.host.toLowerCase());
      }
    });
  }
});

test('NULs from a logged value in the first 4 KiB no longer drop a whole Loki log as binary (hostile review)', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-nul-'));
  try {
    const real = fs.readFileSync(path.join(REAL, 'scan_result (1).csv'));
    const lines = real.toString('latin1').split('\n');
    // a logged path with 400 NUL bytes in the third line (an INFO line): > 1 % of the first 4 KiB
    lines[2] = lines[2].replace('File Name Characteristics', `File Name C:\\x${'\u0000'.repeat(400)} Characteristics`);
    fs.mkdirSync(path.join(tmp, 'a'));
    fs.writeFileSync(path.join(tmp, 'a', 'scan.csv'), Buffer.from(lines.join('\n'), 'latin1'));
    const base = await runLokiAnalysis([path.join(REAL, 'scan_result (1).csv')]);
    const got = await runLokiAnalysis([path.join(tmp, 'a')]);
    assert.deepEqual([got.summary.alerts, got.summary.warnings, got.summary.notices, got.findings.length], [base.summary.alerts, base.summary.warnings, base.summary.notices, base.findings.length]);
    assert.ok(got.summary.alerts > 0);
    assert.equal(got.errors.filter((e) => /not a text file/.test(e.message)).length, 0);
    assert.ok((got.warnings ?? []).some((w) => /NUL bytes in the first 4 KiB: read as text because it holds Loki lines/.test(w.message)), JSON.stringify(got.warnings));
    // a file that does not start with a Loki line stays binary (no lines read from it): skipped as a binary file, not
    // a file read with a problem (new-user trial M2)
    fs.mkdirSync(path.join(tmp, 'b'));
    fs.writeFileSync(path.join(tmp, 'b', 'scan.log'), Buffer.concat([Buffer.alloc(600), real]));
    const bin = await runLokiAnalysis([path.join(tmp, 'b')]);
    assert.equal(bin.findings.length, 0);
    assert.equal(bin.summary.files, 0);
    assert.deepEqual(bin.errors, []);
    assert.deepEqual(bin.skipped, [{ file: path.join(tmp, 'b', 'scan.log'), reason: 'binary file' }]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('partial-record warnings are capped per file; every finding is kept (hostile review)', () => {
  const ts = '20250312T08:15:00Z';
  const n = MAX_PARTIAL_WARNINGS + 3;
  const text = [pyStart('HOST1', '20250312T08:14:02Z'), ...Array.from({ length: n }, (_, i) => `${ts} HOST1 LOKI: Alert: MODULE: FileScan MESSAGE: FILE: C:\\p${i}.exe SCORE: 200 TYPE: EXE SIZE: 1 MD5: c0f9`)].join('\n') + '\n';
  const r = parseLokiText(text, 'scan.log');
  assert.equal(r.findings.length, n, 'every partial record is kept as a finding');
  const partial = (r.warnings ?? []).filter((w) => /^partial record \(/.test(w.message));
  assert.equal(partial.length, MAX_PARTIAL_WARNINGS);
  assert.deepEqual(
    (r.warnings ?? []).filter((w) => /more partial records/.test(w.message)).map((w) => [w.line, w.message]),
    [[0, `3 more partial records kept but not listed (${n} in all)`]],
  );
});

test('the Scans set aside table is bounded (1,000 rows, those with alerts first); every scan is still counted (hostile review)', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-many-scans-'));
  try {
    const lines: string[] = [];
    for (let i = 0; i < 1002; i++) {
      const ts = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString().replace(/[-]|\.\d+/g, '').replace(/^(\d{8})T(\d\d):?(\d\d):?(\d\d)Z$/, '$1T$2:$3:$4Z');
      lines.push(pyStart('HOST1', ts));
      // one early scan holds an alert: it must be in the first rows
      if (i === 3) lines.push(pyAlert('HOST1', ts, 'C:\\x.exe', 'R'), ...pyTrailer('HOST1', 1, 0, ts));
      else lines.push(...pyTrailer('HOST1', 0, 0, ts));
    }
    fs.writeFileSync(path.join(tmp, 'scan.log'), lines.join('\n') + '\n');
    const a = await runLokiAnalysis([tmp]);
    assert.equal(a.summary.scansSetAside, 1001);
    const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'setAside')!;
    assert.equal(t.title, 'Scans set aside (first 1,000 of 1,001)');
    assert.equal(t.rows.length, 1000);
    assert.equal(t.rows[0][4], 1, 'the scan with an alert comes first');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the Scanner messages table says when it shows only the first 1,000 of them (it cut them silently)', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-many-errors-'));
  try {
    const ts = '20250312T08:00:00Z';
    const lines = [pyStart('HOST1', ts)];
    for (let i = 0; i < 1001; i++) lines.push(`${ts} HOST1 LOKI: Error: MODULE: FileScan MESSAGE: Cannot read file C:\\locked\\f${i}.dat`);
    lines.push(...pyTrailer('HOST1', 0, 0, ts));
    fs.writeFileSync(path.join(tmp, 'scan.log'), lines.join('\n') + '\n');
    const a = await runLokiAnalysis([tmp]);
    assert.equal(a.scannerMessages.length, 1001);
    const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'scanner')!;
    assert.equal(t.title, 'Scanner messages (first 1,000 of 1,001)');
    assert.equal(t.rows.length, 1000);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
