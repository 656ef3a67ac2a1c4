/**
 * A scan start of a host before its running scan in the file ended (no `Results:` / RESULT /
 * `Finished LOKI Scan` / `scan_end` line, not interrupted) is counted as part of that scan, with a
 * warning at its line: Loki writes file names and YARA matches raw, so a line break in one can forge
 * such a line, and as a new scan it set the real findings before it aside (hidden by default). A
 * genuine rescan (the earlier scan ended, interrupted included) still opens a new scan: the latest is
 * shown, the older set aside, `--all-scans` keeps both.
 *
 * Every output format the parser reads is checked (Python plain, 5- and 4-column CSV, pre-0.27
 * layouts, RFC 5424 syslog, Loki-RS plain, JSONL and legacy), on the real files of
 * shared/data/loki and on the repo's fixtures, through the file path (columnar, byte-level parser:
 * what the CLI and the extension run) and through parseLokiText.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiText } from '../../src/core/parse/loki';
import { analyzeLoki, type LokiAnalysis } from '../../src/core/analyze/loki-summary';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import type { FindingList } from '../../src/core/model/loki';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { vd } from './loki-fixtures';

const REPO = path.resolve(__dirname, '../../..');
const REAL = path.resolve(REPO, '../shared/data/loki/real-2021-2022');
const FIX = path.join(REPO, 'test/fixtures/loki');

const SAME_SCAN = /^scan start at line (\d+) before the scan that began at line (\d+) ended: counted as the same scan \(a rerun after a crash, or a line forged by a line break in a logged file name or match\)$/;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'loki-scan-start-'));
}

/** Runs the analysis the CLI and the extension run (file path, columnar store) on one file with the given text. */
async function analyzeText(name: string, text: string, includeAllScans = false): Promise<{ a: LokiAnalysis<FindingList>; file: string }> {
  const dir = tmpDir();
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { a: await runLokiAnalysis([file], { includeAllScans }), file };
}

/** What a reader of the default view sees of an analysis (and the scans set aside). */
function shown(a: LokiAnalysis<FindingList>) {
  return {
    alerts: a.summary.alerts,
    warnings: a.summary.warnings,
    notices: a.summary.notices,
    findings: [...a.findings].map((f) => `${f.level} ${f.path ?? f.processName ?? f.message.slice(0, 60)}`),
    hosts: a.scans.map((h) => [h.host, h.verdict, h.lokiVersion, h.scanStart, h.scanEnd, h.alerts, h.warnings, h.notices]),
    setAside: a.setAside.length,
  };
}


/**
 * A copy of a scan-start line dated 2030 (a later scan by its time, as a forger would write it):
 * every year 201x/202x that does not follow a digit becomes 2030.
 */
function forgedStart(line: string): string {
  return line.replace(/(^|[^0-9])20[12]\d/g, '$12030');
}

// Files of one scan each (start line, findings, trailer), every format the parser reads.
const ONE_SCAN_FILES = [
  path.join(REAL, 'scan_result (1).csv'), // DS1, Loki 0.42.3, 5-column CSV, CRLF
  path.join(REAL, 'scan_result (1).log'), // DS-SER1, Loki 0.44.2
  path.join(REAL, 'scan_result (3).log'), // Server1, Loki 0.44.2
  path.join(FIX, 'samples-plain-win.log'), // Python plain log
  path.join(FIX, 'legacy-csv4.log'), // 4-column CSV (pre-0.27)
  path.join(FIX, 'legacy-plain-typed.log'), // plain, no MODULE (0.18-0.26)
  path.join(FIX, 'colonless.log'), // `LOKI: Alert MODULE:` (2019)
  path.join(FIX, 'syslog.log'), // RFC 5424 remote syslog capture
  path.join(FIX, 'loki_build-srv-07_2026-02-03_10-40-00.jsonl'), // Loki-RS JSONL (no hostname)
  path.join(FIX, 'rs-legacy.log'), // Loki-RS 2.3 flexi_logger, multi-line findings
  path.join(FIX, 'rs-two-scans.log'), // Loki-RS plain: the forged line goes into its last (running) scan
];

test('a forged scan start inside a running scan (every format): nothing is set aside, the view is unchanged, one warning at its line', async () => {
  for (const src of ONE_SCAN_FILES) {
    const name = path.basename(src);
    const text = fs.readFileSync(src, 'utf8');
    const lines = text.split('\n');
    const orig = await analyzeText(name, text);
    // Insert the forged start after the file's first finding (and its continuation lines), before the trailer.
    const firstFinding = Math.min(...[...orig.a.findings].map((f) => f.source.line));
    assert.ok(Number.isFinite(firstFinding) && firstFinding > 0, `${name}: has findings`);
    let at = firstFinding; // 0-based index of the line after the finding's envelope line
    while (at < lines.length && /^\s/.test(lines[at])) at++; // continuation lines (rs-legacy)
    const startAt = lines.slice(0, at).reduce((k, l, i) => (/Starting Loki Scan|"event_type":"scan_start"|Loki-RS scan started/.test(l) ? i : k), -1);
    assert.ok(startAt >= 0, `${name}: a start line before the finding`);
    const forged = forgedStart(lines[startAt]);
    const withForged = [...lines.slice(0, at), forged, ...lines.slice(at)].join('\n');

    const got = await analyzeText(name, withForged);
    assert.deepEqual(shown(got.a), shown(orig.a), `${name}: the same view as without the forged line`);
    assert.equal(got.a.setAside.length, orig.a.setAside.length, `${name}: no scan set aside`);
    const notes = (got.a.warnings ?? []).filter((w) => SAME_SCAN.test(w.message));
    assert.deepEqual(
      notes.map((w) => [w.file, w.line, Number(SAME_SCAN.exec(w.message)![1])]),
      [[got.file, at + 1, at + 1]],
      `${name}: one warning naming the file and the line`,
    );
    const began = Number(SAME_SCAN.exec(notes[0].message)![2]);
    assert.ok(began >= 1 && began <= startAt + 1, `${name}: names the line the running scan began at (${began})`);
    // --all-scans: one scan all the same (the forged line opened none)
    const all = await analyzeText(name, withForged, true);
    const allOrig = await analyzeText(name, text, true);
    assert.equal(all.a.scans.length, allOrig.a.scans.length, `${name}: --all-scans rows`);
    assert.deepEqual(shown(all.a), shown(allOrig.a), `${name}: --all-scans view`);
    // the text path (parseLokiText) gives the same scans
    const p = parseLokiText(withForged, name);
    const po = parseLokiText(text, name);
    assert.deepEqual(
      p.scans.map((s) => [s.host, s.verdict, s.lokiVersion, s.scanStart, s.alerts, s.warnings, s.notices]),
      po.scans.map((s) => [s.host, s.verdict, s.lokiVersion, s.scanStart, s.alerts, s.warnings, s.notices]),
      `${name}: parseLokiText`,
    );
  }
});

test('the forged `Starting Loki Scan` of a file name with a line break (5-column CSV): the real alert stays shown, CLI and --json say nothing is set aside', async () => {
  // The real DS-SER1 log with one more finding whose Linux file name holds a line break and a fake
  // start line of the same host dated 2030: it split the scan, and the real scan's alert was set aside.
  const lines = fs.readFileSync(path.join(REAL, 'scan_result (1).log'), 'utf8').split('\r\n');
  const evil = '20211013T22:30:00Z,DS-SER1,WARNING,FileScan,FILE: /tmp/x\r\n20300101T00:00:00Z,DS-SER1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: DS-SER1 TIME: 20300101T00:00:00Z PLATFORM: x SCORE: 60 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: Susp SUBSCORE: 60 DESCRIPTION: d REF: - AUTHOR: -';
  const at = lines.findIndex((l) => l.startsWith('20211013T23:11:16Z,DS-SER1,NOTICE,Results,Results:'));
  const dir = tmpDir();
  const file = path.join(dir, 'loki_DS-SER1.log');
  fs.writeFileSync(file, [...lines.slice(0, at), evil, ...lines.slice(at)].join('\r\n'));
  const orig = await runLokiAnalysis([path.join(REAL, 'scan_result (1).log')]);
  assert.deepEqual([orig.summary.alerts, orig.summary.warnings], [1, 3]);

  const json = capture();
  assert.equal(await main(['loki', dir, '--json'], json.io), 0, json.err());
  const j = JSON.parse(json.out());
  assert.deepEqual(
    [j.summary.alerts, j.summary.warnings, j.summary.scansSetAside, j.summary.setAsideAlerts, j.summary.setAsideWarnings],
    [1, 3, 0, 0, 0],
  );
  assert.deepEqual(
    j.hosts.map((h: { host: string; verdict: string; scanStart: string; scanEnd: string }) => [h.host, h.verdict, h.scanStart, h.scanEnd]),
    [['DS-SER1', 'indicators', '2021-10-13T22:11:03Z', '2021-10-13T23:11:16Z']],
  );
  const startLine = at + 2; // the fake start is the second physical line of the record
  assert.deepEqual(
    j.warnings.filter((w: { message: string }) => SAME_SCAN.test(w.message)).map((w: { file: string; line: number; message: string }) => [w.file, w.line, w.message]),
    [[file, startLine, `scan start at line ${startLine} before the scan that began at line 1 ended: counted as the same scan (a rerun after a crash, or a line forged by a line break in a logged file name or match)`]],
  );
  // the broken first half of the finding is an unparsed line, as before
  assert.deepEqual(j.errors.map((e: { line: number }) => e.line), [at + 1]);
  const text = capture();
  assert.equal(await main(['loki', dir], text.io), 0);
  assert.doesNotMatch(text.out(), /Scans set aside/);
  const all = capture();
  assert.equal(await main(['loki', dir, '--json', '--all-scans'], all.io), 0);
  assert.equal(JSON.parse(all.out()).hosts.length, 1, '--all-scans: one scan, not two');
});

const ts = '20211013T22:16:41Z';
const py = (level: string, module: string, msg: string, t = ts, host = 'WS2') => `${t},${host},${level},${module},${msg}`;
const start = (t: string, host = 'WS2') => py('NOTICE', 'Init', `Starting Loki Scan VERSION: 0.44.2 SYSTEM: ${host} TIME: ${t} PLATFORM: x`, t, host);
const file = (p: string, level: string, score: number, rule: string, t = ts) =>
  py(level, 'FileScan', `FILE: ${p} SCORE: ${score} TYPE: EXE SIZE: 1 MD5: c0f94449e113fa3f7eb420c64108b58b REASON_1: Yara Rule MATCH: ${rule} SUBSCORE: ${score} DESCRIPTION: d REF: - AUTHOR: -`, t);
const trailer = (t: string, verdict: string, a: number, w: number) => [
  py('NOTICE', 'Results', `Results: ${a} alerts, ${w} warnings, 0 notices`, t),
  py('RESULT', 'Results', verdict, t),
  py('INFO', 'Results', 'Please report false positives via https://github.com/Neo23x0/signature-base', t),
  py('NOTICE', 'Results', `Finished LOKI Scan SYSTEM: WS2 TIME: ${t}`, t),
];
const T1 = '20211013T22:00:00Z';
const T2 = '20211014T08:00:00Z';
const T3 = '20211014T09:00:00Z';

test('a crashed scan (no trailer) and a rerun in the same file: one scan, every finding shown, a warning', async () => {
  const text = [
    start(T1),
    file('C:\\a\\miner.exe', 'ALERT', 150, 'MAL_Miner', T1),
    // crash: nothing more of this run; the rerun appends to the same file
    start(T2),
    file('C:\\b\\tool.exe', 'WARNING', 60, 'Susp_Tool', T2),
    ...trailer(T3, 'Suspicious objects detected!', 0, 1),
  ].join('\n') + '\n';
  const { a, file: f } = await analyzeText('loki_WS2.log', text);
  assert.deepEqual([a.summary.alerts, a.summary.warnings, a.setAside.length, a.scans.length], [1, 1, 0, 1]);
  // one scan from the first start to the trailer; the trailer says suspicious, but the scan holds the crashed
  // run's ALERT: the verdict is what the findings show (a host with an alert never ranks as only suspicious)
  assert.deepEqual(a.scans.map((h) => [h.verdict, h.scanStart, h.scanEnd]), [['indicators', Date.UTC(2021, 9, 13, 22), Date.UTC(2021, 9, 14, 9)]]);
  assert.deepEqual((a.warnings ?? []).map((w) => [w.file, w.line, w.message]), [
    [f, 3, 'scan start at line 3 before the scan that began at line 1 ended: counted as the same scan (a rerun after a crash, or a line forged by a line break in a logged file name or match)'],
  ]);
  const all = await analyzeText('loki_WS2.log', text, true);
  assert.deepEqual([all.a.scans.length, all.a.summary.alerts, all.a.summary.warnings], [1, 1, 1]);
});

test('a genuine rescan (the first scan finished) keeps the latest, sets the older aside; --all-scans keeps both; no warning', async () => {
  const text = [
    start(T1),
    file('C:\\a\\miner.exe', 'ALERT', 150, 'MAL_Miner', T1),
    ...trailer(T1, 'Indicators detected!', 1, 0),
    start(T2),
    file('C:\\b\\tool.exe', 'WARNING', 60, 'Susp_Tool', T2),
    ...trailer(T3, 'Suspicious objects detected!', 0, 1),
  ].join('\n') + '\n';
  const { a, file: f } = await analyzeText('loki_WS2.log', text);
  assert.deepEqual([a.summary.alerts, a.summary.warnings], [0, 1]);
  assert.deepEqual(a.setAside, [{ host: 'WS2', file: f, scanStart: Date.UTC(2021, 9, 13, 22), findings: 1, alerts: 1, warnings: 0 }]);
  assert.deepEqual(a.warnings ?? [], []);
  const all = await analyzeText('loki_WS2.log', text, true);
  assert.deepEqual(all.a.scans.map((h) => [h.verdict, h.alerts, h.warnings]), [['indicators', 1, 0], ['suspicious', 0, 1]]);
  assert.deepEqual([all.a.summary.alerts, all.a.summary.warnings, all.a.setAside.length], [1, 1, 0]);
});

test('the scan ends at its `Results:` line: a start after it (trailer cut off there) is a rescan', async () => {
  const text = [
    start(T1),
    file('C:\\a\\miner.exe', 'ALERT', 150, 'MAL_Miner', T1),
    py('NOTICE', 'Results', 'Results: 1 alerts, 0 warnings, 0 notices', T1),
    start(T2),
    ...trailer(T3, 'SYSTEM SEEMS TO BE CLEAN.', 0, 0),
  ].join('\n') + '\n';
  const { a } = await analyzeText('loki_WS2.log', text);
  assert.deepEqual([a.summary.alerts, a.setAside.length, a.setAside[0].alerts, a.scans[0].verdict], [0, 1, 1, 'clean']);
  assert.deepEqual(a.warnings ?? [], []);
});

test('an interrupted scan (Ctrl-C) and a rerun: two scans (the interrupted one set aside, its alert named); --all-scans keeps both', async () => {
  const text = [
    start(T1),
    file('C:\\a\\miner.exe', 'ALERT', 150, 'MAL_Miner', T1),
    py('INFO', 'Init', "LOKI's work has been interrupted by a human. Returning to Asgard.", T1),
    start(T2),
    ...trailer(T3, 'SYSTEM SEEMS TO BE CLEAN.', 0, 0),
  ].join('\n') + '\n';
  const { a, file: f } = await analyzeText('loki_WS2.log', text);
  assert.deepEqual([a.summary.alerts, a.scans.map((h) => h.verdict)], [0, ['clean']]);
  assert.deepEqual(a.setAside, [{ host: 'WS2', file: f, scanStart: Date.UTC(2021, 9, 13, 22), findings: 1, alerts: 1, warnings: 0 }]);
  assert.deepEqual(a.warnings ?? [], []);
  const c = capture();
  assert.equal(await main(['loki', f], c.io), 0);
  assert.match(c.out(), /Scans set aside: 1 older scan of the same host with 1 alert, 0 warnings NOT shown below/);
  const all = await analyzeText('loki_WS2.log', text, true);
  assert.deepEqual(all.a.scans.map((h) => [vd(h), h.alerts]), [['indicators (incomplete)', 1], ['clean', 0]]);
});

test('Loki-RS: scan_start twice without scan_end (killed, rerun appended) is one scan; `Scan aborted by user` + scan_end then a start is a rescan', async () => {
  const ev = (t: string, level: string, et: string, extra = '') =>
    `{"timestamp":"2026-02-0${t}+00:00","level":"${level}","event_type":"${et}","hostname":"build-srv-07","message":"${et === 'scan_start' ? 'Loki-RS scan started VERSION: 2.5.1' : et === 'scan_end' ? `Loki-RS scan finished. Summary - Alerts: ${extra || 1} Warnings: 0 Notices: 0` : et === 'file_match' ? 'File Match' : extra}"${et === 'file_match' ? `,"file_path":"/tmp/${extra}","score":84.0,"reasons":[{"message":"YARA match with rule R","score":84}]` : ''}}`;
  const killed = [ev('3T09:40:00', 'INFO', 'scan_start'), ev('3T09:41:00', 'ALERT', 'file_match', 'a'), ev('4T09:40:00', 'INFO', 'scan_start'), ev('4T09:41:00', 'ALERT', 'file_match', 'b'), ev('4T09:50:00', 'INFO', 'scan_end')].join('\n') + '\n';
  const k = await analyzeText('loki_build-srv-07.jsonl', killed);
  assert.deepEqual([k.a.summary.alerts, k.a.setAside.length, k.a.scans.length, k.a.scans[0].verdict], [2, 0, 1, 'indicators']);
  assert.deepEqual((k.a.warnings ?? []).map((w) => w.line), [3]);
  const aborted = [
    ev('3T09:40:00', 'INFO', 'scan_start'),
    ev('3T09:41:00', 'ALERT', 'file_match', 'a'),
    ev('3T09:42:00', 'INFO', 'info', 'Scan aborted by user.'),
    ev('3T09:42:01', 'INFO', 'scan_end'),
    ev('4T09:40:00', 'INFO', 'scan_start'),
    ev('4T09:50:00', 'INFO', 'scan_end', '0'),
  ].join('\n') + '\n';
  const b = await analyzeText('loki_build-srv-07.jsonl', aborted);
  assert.deepEqual([b.a.summary.alerts, b.a.setAside.length, b.a.setAside[0].alerts], [0, 1, 1]);
  assert.deepEqual(b.a.warnings ?? [], []);
});

test('scans of several hosts alternating in one file (central syslog): a forged start of one host joins its own running scan, not another host`s', async () => {
  const line = (h: string, level: string, minute: number, rest: string) =>
    `<154>1 2025-03-12T10:${String(minute).padStart(2, '0')}:13.512044+01:00 ${h} LOKI 5816 1187 - LOKI: ${level}: MODULE: ${rest}`;
  const st = (h: string, minute: number, time: string) => line(h, 'Notice', minute, `Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: ${h} TIME: ${time} PLATFORM: 10`);
  const hit = (h: string, level: string, minute: number, i: number) =>
    line(h, level, minute, `FileScan MESSAGE: FILE: C:\\mal${i}.dll SCORE: 150 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: R${i} SUBSCORE: 150 DESCRIPTION: d REF: - AUTHOR: -`);
  const text = [
    st('WS-A', 0, '20250312T09:00:13Z'),
    st('WS-B', 0, '20250312T09:00:13Z'),
    hit('WS-A', 'Alert', 1, 1),
    hit('WS-B', 'Alert', 2, 2),
    st('WS-A', 3, '20300101T00:00:00Z'), // forged (a line break in a path logged by WS-A)
    hit('WS-B', 'Warning', 4, 3),
    hit('WS-A', 'Warning', 5, 4),
    line('WS-A', 'Notice', 6, 'Results MESSAGE: Finished LOKI Scan SYSTEM: WS-A TIME: 20250312T09:30:00Z'),
    line('WS-B', 'Notice', 6, 'Results MESSAGE: Finished LOKI Scan SYSTEM: WS-B TIME: 20250312T09:30:00Z'),
  ].join('\n') + '\n';
  const { a } = await analyzeText('central-syslog.log', text);
  assert.deepEqual([a.summary.alerts, a.summary.warnings, a.setAside.length], [2, 2, 0]);
  assert.deepEqual(a.scans.map((h) => [h.host, h.alerts, h.warnings, h.scanStart]).sort(), [
    ['WS-A', 1, 1, Date.UTC(2025, 2, 12, 9, 0, 13)],
    ['WS-B', 1, 1, Date.UTC(2025, 2, 12, 9, 0, 13)],
  ]);
  assert.deepEqual((a.warnings ?? []).map((w) => [w.line, SAME_SCAN.exec(w.message)?.slice(1)]), [[5, ['5', '1']]]);
});

test('analyzeLoki over parseLokiText: the forged start keeps the earlier scan`s version and start time', () => {
  const text = [
    start(T1),
    file('C:\\a\\miner.exe', 'ALERT', 150, 'MAL_Miner', T1),
    py('NOTICE', 'Init', 'Starting Loki Scan VERSION: 9.9.9 SYSTEM: WS2 TIME: 20300101T00:00:00Z PLATFORM: x', '20300101T00:00:00Z'),
    ...trailer(T3, 'Indicators detected!', 1, 0),
  ].join('\n');
  const r = parseLokiText(text, 'x.log');
  assert.deepEqual(r.scans.map((s) => [s.lokiVersion, s.scanStart, s.firstLine, s.alerts, s.verdict]), [['0.44.2', Date.UTC(2021, 9, 13, 22), 1, 1, 'indicators']]);
  const a = analyzeLoki([r]);
  assert.deepEqual([a.summary.alerts, a.setAside.length], [1, 0]);
});
