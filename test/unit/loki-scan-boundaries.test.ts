/**
 * Where a scan ends and the next begins, against forged lines (loki.ts startScan / startMisfit / endIf /
 * consolidate): Loki writes YARA match strings (0.40-0.50: `Str1: …` values keep raw line breaks, loki-format.md
 * §2.2) and Linux file names raw, so the scanned files can add whole log lines to a scan. Every file here is built
 * from the real DS-SER1 and Server1 logs of shared/data/loki (Loki 0.44.2, 5-column CSV, CRLF): one more YARA
 * finding (a copy of DS-SER1's real line 17, at 22:19:30, for another file) whose last match value holds the forged
 * lines, each a copy of a real line of those logs with its times changed.
 *
 * The real scan of DS-SER1 has 3 warnings (lines 15-17) before the forged lines and 1 alert (line 18) after them;
 * Loki's own `Results: 1 alerts, 3 warnings, 2 notices` closes it at 23:11:16.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiText } from '../../src/core/parse/loki';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import type { LokiAnalysis } from '../../src/core/analyze/loki-summary';
import type { FindingList } from '../../src/core/model/loki';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { vd } from './loki-fixtures';

const REPO = path.resolve(__dirname, '../../..');
const REAL = path.resolve(REPO, '../shared/data/loki/real-2021-2022');
const FIX = path.join(REPO, 'test/fixtures/loki');
const WORKER = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');
const DS = fs.readFileSync(path.join(REAL, 'scan_result (1).log'), 'utf8').split('\r\n').slice(0, 23); // DS-SER1: line n is DS[n - 1]
const S1 = fs.readFileSync(path.join(REAL, 'scan_result (3).log'), 'utf8').split('\r\n').slice(0, 24); // Server1: line n is S1[n - 1]
assert.equal(DS[22], '20211013T23:11:16Z,DS-SER1,NOTICE,Results,Finished LOKI Scan SYSTEM: DS-SER1 TIME: 20211013T23:11:16Z');

/** `line` with every time in it (the line's own, `TIME:`) set to `ts` (`20211013T22:19:30Z`). */
const retime = (line: string, ts: string) => line.replace(/\d{8}T\d\d:\d\d:\d\dZ/g, ts);
/** The real trailer of DS-SER1 (Results, RESULT, recommendation, thanks, Finished), at `ts`, with `Results:` counts `a`, `w`. */
const dsTrailer = (ts: string, a = 1, w = 3) => [DS[18].replace('1 alerts, 3 warnings', `${a} alerts, ${w} warnings`), DS[19], DS[20], DS[21], DS[22]].map((l) => retime(l, ts));
/** DS-SER1's real line 17 (a YARA WARNING) at `ts` for another file, whose last match value carries `forged` after line breaks. */
const evil = (ts: string, forged: string[]) =>
  [retime(DS[16], ts).replace('C:\\Program Files (x86)\\WinSCP\\PuTTY\\puttygen.exe', 'C:\\Users\\Public\\notes.txt'), ...forged].join('\n');
/**
 * DS-SER1's real log with `records` (evil ones: a WARNING each) after its line 17 (the warnings before, the alert
 * and Loki's trailer after); Loki's `Results:` counts them, as Loki counts every line it logs.
 */
const dsWith = (...records: string[]) =>
  [...DS.slice(0, 17), ...records, DS[17], DS[18].replace('3 warnings', `${3 + records.length} warnings`), ...DS.slice(19)].join('\r\n') + '\r\n';

/** Physical line numbers: the evil record's envelope is line 18, its forged lines 19, 20, … */
const FORGED = 19;

const SAME = /^scan start at line (\d+) before the scan that began at line (\d+) ended: counted as the same scan/;
const START_MISFIT = /^scan start at line (\d+) after the end of the scan that began at line (\d+) does not fit \((.*)\): counted as the same scan \(a line forged by a line break in a logged file name or match, or logs joined out of order\)$/;
const END_MISFIT = /^scan end at line (\d+) does not fit the scan that began at line (\d+) \((.*)\): not taken as its end, a start line after it does not open a new scan \(a line forged by a line break in a logged file name or match, or logs joined out of order\)$/;
const INSIDE = /^lines of (\S+) at (lines? [\d-]+) lie inside the scan of (\S+) that began at line (\d+), in a log of one host: counted as part of that scan \(a line break in a value \S+ logged can forge them\)$/;

/** Warnings as [line, kind, details]: kind start / end / same / inside, or the message. */
function notes(w: { line: number; message: string }[] | undefined): (string | number)[][] {
  return (w ?? []).map((x) => {
    let m = START_MISFIT.exec(x.message);
    if (m) return [x.line, 'start', Number(m[1]), Number(m[2]), m[3]];
    m = END_MISFIT.exec(x.message);
    if (m) return [x.line, 'end', Number(m[1]), Number(m[2]), m[3]];
    m = SAME.exec(x.message);
    if (m) return [x.line, 'same', Number(m[1]), Number(m[2])];
    m = INSIDE.exec(x.message);
    if (m) return [x.line, 'inside', m[1], m[2], m[3], Number(m[4])];
    return [x.line, x.message];
  });
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'loki-scan-bounds-'));
}

/** The analysis the CLI and the extension run (columnar, byte-level parser) of `files` (name → text). */
async function analyze(files: Record<string, string>, includeAllScans = false): Promise<{ a: LokiAnalysis<FindingList>; dir: string; file: (n: string) => string }> {
  const dir = tmpDir();
  for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
  return { a: await runLokiAnalysis([dir], { includeAllScans }), dir, file: (n) => path.join(dir, n) };
}

/** What the default view shows: scans (host, verdict, alerts, warnings, start, end), set-aside scans, findings by host. */
function view(a: LokiAnalysis<FindingList>) {
  return {
    scans: a.scans.map((h) => [h.host, vd(h), h.alerts, h.warnings, h.scanStart, h.scanEnd]),
    setAside: a.setAside.map((x) => [x.host, x.alerts, x.warnings]),
    findings: [...a.findings].map((f) => `${f.host} ${f.level} ${f.source.line}`),
  };
}

const T0 = Date.UTC(2021, 9, 13, 22, 11, 3); // the real start of DS-SER1
const T_END = Date.UTC(2021, 9, 13, 23, 11, 16); // its real end
/** The view of the real DS-SER1 scan with the evil finding (line 18) and `n` forged lines: one scan, nothing set aside. */
const oneScan = (n: number) => ({
  scans: [['DS-SER1', 'indicators', 1, 4, T0, T_END]],
  setAside: [],
  findings: [15, 16, 17, 18, 19 + n].map((l) => `DS-SER1 ${l === 19 + n ? 'ALERT' : 'WARNING'} ${l}`),
});

// ---------------------------------------------------------------- gap (a): a forged trailer + a forged start

test('forged trailer + start copied as they are (the start dated 22:11:03, before the trailer): the start does not fit, one scan', async () => {
  // Loki's trailer claims at least what was read (so it ends the scan), then the real start line again
  const forged = [...dsTrailer('20211013T23:11:16Z', 1, 9), DS[0]];
  const { a, file } = await analyze({ 'ds.log': dsWith(evil('20211013T22:19:30Z', forged)) });
  assert.deepEqual(view(a), oneScan(6));
  assert.deepEqual(notes(a.warnings), [[FORGED + 5, 'start', FORGED + 5, 1, "dated 2021-10-13T22:11:03Z, before that scan's last record at 2021-10-13T23:11:16Z"]]);
  assert.equal(a.warnings![0].file, file('ds.log'));
  // before: the forged pair split the scan and the 4 warnings before it were set aside as an "older scan"
});

test('forged trailer that counts fewer warnings than were read: its block ends nothing, the start after it is part of the running scan', async () => {
  // Loki's own counts, copied: 1 alert, 3 warnings, but 4 warnings were read so far (Loki never counts fewer lines
  // than it logged). The RESULT and Finished lines after it are of the same block: they end nothing either.
  const forged = [...dsTrailer('20211013T23:11:16Z', 1, 3), retime(DS[0], '20300101T00:00:00Z')];
  const { a } = await analyze({ 'ds.log': dsWith(evil('20211013T22:19:30Z', forged)) });
  assert.deepEqual(view(a), oneScan(6));
  assert.deepEqual(notes(a.warnings), [
    [FORGED, 'end', FORGED, 1, 'it counts 1 alert and 3 warnings, 0 alerts and 4 warnings were read'],
    [FORGED + 5, 'same', FORGED + 5, 1],
  ]);
});

test('forged trailer + start dated 2030 (after everything): the scan they open ends before its own start, so it is merged back', async () => {
  const forged = [...dsTrailer('20300101T00:00:00Z', 1, 9), retime(DS[0], '20300101T00:00:00Z')];
  const text = dsWith(evil('20211013T22:19:30Z', forged));
  const { a } = await analyze({ 'ds.log': text });
  assert.deepEqual(view(a), oneScan(6));
  // it opened a scan (the trailer before it fits), whose lines — the real alert and trailer — end at 23:11:16
  assert.deepEqual(notes(a.warnings), [[FORGED + 5, 'start', FORGED + 5, 1, 'the lines after it end at 2021-10-13T23:11:16Z, before its own time 2030-01-01T00:00:00Z']]);
  // the text path gives the same scans, and every finding is in scan 0
  const r = parseLokiText(text, 'ds.log');
  assert.deepEqual(r.scans.map((s) => [s.host, s.verdict, s.scanStart, s.scanEnd, s.alerts, s.warnings, s.complete]), [['DS-SER1', 'indicators', T0, T_END, 1, 4, true]]);
  assert.deepEqual(r.findings.map((f) => f.scanIndex), [0, 0, 0, 0, 0]);
  // --all-scans: one scan too
  const all = await analyze({ 'ds.log': text }, true);
  assert.equal(all.a.scans.length, 1);
});

test('forged trailer + start dated right (22:19:30, the second the match was logged): Loki`s own counts at the end prove the start forged', async () => {
  const forged = [...dsTrailer('20211013T22:19:30Z', 1, 9), retime(DS[0], '20211013T22:19:30Z')];
  const text = dsWith(evil('20211013T22:19:30Z', forged));
  const { a } = await analyze({ 'ds.log': text });
  assert.deepEqual(view(a), oneScan(6));
  const realResults = FORGED + 7;
  assert.deepEqual(notes(a.warnings), [
    [FORGED + 5, 'start', FORGED + 5, 1, `Loki's counts at line ${realResults}, 1 alert and 4 warnings, are not the 1 alert and 0 warnings read after it, and the scan before it holds 4 findings`],
  ]);
  // the CLI says nothing is set aside and shows the 4 warnings before the forged lines
  const c = capture();
  assert.equal(await main(['loki', path.dirname(a.files[0].file), '--json'], c.io), 0);
  const j = JSON.parse(c.out());
  assert.deepEqual([j.summary.alerts, j.summary.warnings, j.summary.scansSetAside], [1, 4, 0]);
});

// ---------------------------------------------------------------- gap (b): Loki's own trailer missing

/** DS-SER1's real log cut after its real alert (line 18 of the real log): killed, no trailer of Loki's, with `records` after its line 17. */
const dsCut = (...records: string[]) => [...DS.slice(0, 17), ...records, DS[17]].join('\r\n') + '\r\n';

test('Loki`s trailer missing: a forged trailer + start dated inside the scan, with counts above those read, no longer split it', async () => {
  // 1 alert and 9 warnings: at least the 0 alerts and 4 warnings read, a verdict that fits, SYSTEM and times right
  const forged = [...dsTrailer('20211013T22:19:30Z', 1, 9), retime(DS[0], '20211013T22:19:30Z')];
  const text = dsCut(evil('20211013T22:19:30Z', forged));
  const { a } = await analyze({ 'ds.log': text });
  // before: two scans, the 4 warnings before the forged lines set aside as an "older scan" of DS-SER1
  assert.deepEqual(view(a), {
    scans: [['DS-SER1', 'indicators (incomplete)', 1, 4, T0, Date.UTC(2021, 9, 13, 22, 20, 58)]],
    setAside: [],
    findings: [15, 16, 17, 18, FORGED + 6].map((l) => `DS-SER1 ${l === FORGED + 6 ? 'ALERT' : 'WARNING'} ${l}`),
  });
  assert.deepEqual(notes(a.warnings), [
    [FORGED + 5, 'start', FORGED + 5, 1, `it has no end of its own, and the end of the scan before it at line ${FORGED + 4} has no Loki counts of exactly the alerts and warnings read in that scan, which holds 4 findings`],
  ]);
  // the text path and --all-scans: one scan too; the CLI sets nothing aside
  const r = parseLokiText(text, 'ds.log');
  assert.deepEqual(r.scans.map((x) => [x.verdict, x.alerts, x.warnings]), [['incomplete', 1, 4]]);
  assert.deepEqual(r.findings.map((f) => f.scanIndex), [0, 0, 0, 0, 0]);
  assert.equal((await analyze({ 'ds.log': text }, true)).a.scans.length, 1);
  const c = capture();
  assert.equal(await main(['loki', path.dirname(a.files[0].file), '--json'], c.io), 0);
  const j = JSON.parse(c.out());
  assert.deepEqual([j.summary.alerts, j.summary.warnings, j.summary.scansSetAside], [1, 4, 0]);
});

test('Loki`s trailer missing: a forged Ctrl-C line, or a trailer without `Results:`, + a start: one scan (no counts, no proof of a new run)', async () => {
  const ctrlC = retime(DS[13], '20211013T22:19:30Z').replace('INFO,FileScan,Scanning Path C:\\ ...  ', "INFO,Init,LOKI's work has been interrupted by a human. Returning to Asgard.");
  assert.match(ctrlC, /interrupted by a human/);
  const start = retime(DS[0], '20211013T22:19:30Z');
  for (const forged of [[ctrlC, start], [...dsTrailer('20211013T22:19:30Z').slice(1), start]]) {
    const { a } = await analyze({ 'ds.log': dsCut(evil('20211013T22:19:30Z', forged)) });
    assert.deepEqual([a.scans.map((h) => [vd(h), h.alerts, h.warnings]), a.setAside.length], [[['indicators (incomplete)', 1, 4]], 0], forged[0]);
    const w = notes(a.warnings);
    assert.equal(w.length, 1);
    assert.deepEqual(w[0].slice(0, 4), [FORGED + forged.length - 1, 'start', FORGED + forged.length - 1, 1]);
    assert.match(String(w[0][4]), /^it has no end of its own, and the end of the scan before it at line \d+ has no Loki counts of exactly/);
  }
});

test('Loki`s trailer missing: a forged trailer + start + a forged clean trailer of the forged scan: that end is followed by the real alert, so it is none', async () => {
  const clean = (ts: string) => [retime(DS[18], ts).replace('1 alerts, 3 warnings', '0 alerts, 0 warnings'), retime(DS[19], ts).replace('Indicators detected!', 'SYSTEM SEEMS TO BE CLEAN.'), retime(DS[22], ts)];
  const forged = [...dsTrailer('20211013T22:19:30Z', 1, 9), retime(DS[0], '20211013T22:19:30Z'), ...clean('20211013T22:19:30Z')];
  const { a } = await analyze({ 'ds.log': dsCut(evil('20211013T22:19:30Z', forged)) });
  // before: the 4 warnings set aside, and a "clean" scan holding the real alert after its end
  assert.deepEqual(view(a), {
    scans: [['DS-SER1', 'indicators (incomplete)', 1, 4, T0, Date.UTC(2021, 9, 13, 22, 20, 58)]],
    setAside: [],
    findings: [15, 16, 17, 18, FORGED + 9].map((l) => `DS-SER1 ${l === FORGED + 9 ? 'ALERT' : 'WARNING'} ${l}`),
  });
  assert.deepEqual(notes(a.warnings), [
    [FORGED + 5, 'start', FORGED + 5, 1, `its end at line ${FORGED + 8} is followed by 1 more of its findings or messages, and the end of the scan before it at line ${FORGED + 4} has no Loki counts of exactly the alerts and warnings read in that scan, which holds 4 findings`],
  ]);
});

test('Loki`s trailer missing: a forged start counted as part of the scan, then a trailer counting 0 (exact since that start) + a start: one scan', async () => {
  // the first forged start moves the base of Loki's counts (a rerun after a crash counts only its own lines), so
  // "0 alerts, 0 warnings" and a clean verdict are exact since it: counts since such a start prove no new run
  const zero = dsTrailer('20211013T22:19:30Z', 0, 0).map((l) => l.replace('Indicators detected!', 'SYSTEM SEEMS TO BE CLEAN.'));
  const forged = [retime(DS[0], '20211013T22:19:30Z'), ...zero, retime(DS[0], '20211013T22:19:30Z')];
  const { a } = await analyze({ 'ds.log': dsCut(evil('20211013T22:19:30Z', forged)) });
  // before this check: a clean scan with the 4 warnings set aside
  assert.deepEqual([a.scans.map((h) => [vd(h), h.alerts, h.warnings]), a.setAside.length], [[['indicators (incomplete)', 1, 4]], 0]);
  assert.deepEqual(notes(a.warnings), [
    [FORGED, 'same', FORGED, 1],
    [FORGED + 6, 'start', FORGED + 6, 1, `it has no end of its own, and the end of the scan before it at line ${FORGED + 5} counts only the lines since the start at line ${FORGED}, counted as part of that scan, which holds 4 findings`],
  ]);
});

test('Loki`s trailer missing: the limit — a forged trailer with exactly the alerts and warnings logged before it (which it cannot see) still splits', async () => {
  const forged = [...dsTrailer('20211013T22:19:30Z', 0, 4), retime(DS[0], '20211013T22:19:30Z')];
  const { a } = await analyze({ 'ds.log': dsCut(evil('20211013T22:19:30Z', forged)) });
  assert.deepEqual(a.warnings ?? [], []);
  // the split-off part ends with a (forged) result, the rest never ends: the finished part is kept beside the
  // unfinished latest scan (it was set aside, its 4 warnings hidden, before an unfinished scan kept its predecessor)
  assert.deepEqual(a.setAside, []);
  assert.deepEqual(a.scans.map((x) => [x.host, vd(x), x.alerts, x.warnings]), [['DS-SER1', 'indicators', 0, 4], ['DS-SER1', 'indicators (incomplete)', 1, 0]]);
});

test('real reruns that never ended stay apart after a scan that ended with Loki`s exact counts; after an interrupted one they are one scan', async () => {
  const dayLater = DS.map((l) => l.replace(/20211013T/g, '20211014T'));
  // DS-SER1's whole scan (Results: 1 alerts, 3 warnings: exactly those read), then a rerun killed after its alert
  const killed = await analyze({ 'ds.log': [...DS.slice(0, 23), ...dayLater.slice(0, 18)].join('\r\n') + '\r\n' });
  assert.deepEqual(killed.a.warnings ?? [], []);
  // the rerun never ended: the whole scan before it is kept beside it (not set aside)
  assert.deepEqual(killed.a.setAside, []);
  assert.deepEqual(killed.a.scans.map((h) => [vd(h), h.alerts, h.warnings]), [['indicators', 1, 3], ['indicators (incomplete)', 1, 3]]);
  assert.deepEqual([killed.a.hosts[0].verdict, killed.a.summary.incompleteHosts], ['indicators', 1]);
  // interrupted (Ctrl-C) after its warnings, then a rerun killed after its alert: all shown as one scan, a warning
  const ctrlC = retime(DS[13], '20211013T22:19:30Z').replace('INFO,FileScan,Scanning Path C:\\ ...  ', "INFO,Init,LOKI's work has been interrupted by a human. Returning to Asgard.");
  const b = await analyze({ 'ds.log': [...DS.slice(0, 17), ctrlC, ...dayLater.slice(0, 18)].join('\r\n') + '\r\n' });
  assert.deepEqual(b.a.setAside, []);
  assert.deepEqual(b.a.scans.map((h) => [vd(h), h.alerts, h.warnings]), [['indicators (incomplete)', 1, 6]]);
  assert.deepEqual(notes(b.a.warnings).map((w) => w.slice(0, 2)), [[19, 'start']]);
});

test('a forged trailer in one match, the forged start in a later one: the trailer is followed by more findings of its scan', async () => {
  const trailerOnly = evil('20211013T22:19:30Z', dsTrailer('20211013T22:19:30Z', 1, 9));
  // DS-SER1's real alert (line 18 of the real log) comes between the two
  const text = [...DS.slice(0, 17), trailerOnly, DS[17], evil('20211013T22:21:00Z', [retime(DS[0], '20211013T22:21:00Z')]), ...DS.slice(18)].join('\r\n');
  const { a } = await analyze({ 'ds.log': text });
  const start = FORGED + 5 + 1 + 1; // the real alert, the second evil record, its forged start
  assert.deepEqual(notes(a.warnings), [[start, 'start', start, 1, 'its end at line 23 is followed by 2 more of its findings or messages']]);
  assert.deepEqual([a.scans.length, a.setAside.length, a.summary.alerts, a.summary.warnings], [1, 0, 1, 5]);
});

test('forged start or Finished naming another SYSTEM than the line`s host: not a start / not an end', () => {
  const forged = [...dsTrailer('20211013T22:19:30Z', 1, 9), retime(DS[0], '20211013T22:19:30Z').replace('SYSTEM: DS-SER1', 'SYSTEM: DS-SER2')];
  const r = parseLokiText(dsWith(evil('20211013T22:19:30Z', forged)), 'ds.log');
  assert.deepEqual(notes(r.warnings), [[FORGED + 5, 'start', FORGED + 5, 1, "SYSTEM: DS-SER2 is not the line's host DS-SER1"]]);
  assert.equal(r.scans.length, 1);
  const fin = retime(DS[22], '20211013T22:19:30Z').replace('SYSTEM: DS-SER1', 'SYSTEM: AD');
  const f = parseLokiText(dsWith(evil('20211013T22:19:30Z', [fin, retime(DS[0], '20211013T22:19:30Z')])), 'ds.log');
  assert.deepEqual(notes(f.warnings), [
    [FORGED, 'end', FORGED, 1, "SYSTEM: AD is not the line's host DS-SER1"],
    [FORGED + 1, 'same', FORGED + 1, 1],
  ]);
  assert.equal(f.scans.length, 1);
});

// ---------------------------------------------------------------- genuine scans stay apart

test('real rescans stay apart: DS-SER1`s log twice (the second a day later), an interrupted scan and its rerun; no warning', async () => {
  const dayLater = DS.map((l) => l.replace(/20211013T/g, '20211014T'));
  const { a, file } = await analyze({ 'ds.log': [...DS.slice(0, 23), ...dayLater].join('\r\n') });
  assert.deepEqual(a.warnings ?? [], []);
  assert.deepEqual(a.setAside, [{ host: 'DS-SER1', file: file('ds.log'), scanStart: T0, findings: 4, alerts: 1, warnings: 3 }]);
  assert.deepEqual(a.scans.map((h) => [h.host, h.verdict, h.alerts, h.warnings, h.scanStart]), [['DS-SER1', 'indicators', 1, 3, T0 + 86_400_000]]);
  // interrupted (Ctrl-C) after its warnings, rerun a day later
  const ctrlC = retime(DS[13], '20211013T22:19:30Z').replace('INFO,FileScan,Scanning Path C:\\ ...  ', "INFO,Init,LOKI's work has been interrupted by a human. Returning to Asgard.");
  const b = await analyze({ 'ds.log': [...DS.slice(0, 17), ctrlC, ...dayLater].join('\r\n') }, true);
  assert.deepEqual(b.a.warnings ?? [], []);
  assert.deepEqual(b.a.scans.map((h) => [vd(h), h.alerts, h.warnings]), [['suspicious (incomplete)', 0, 3], ['indicators', 1, 3]]);
});

test('logs of two hosts joined (one after the other, also after a crash): two hosts, nothing merged, no warning', async () => {
  const whole = await analyze({ 'all.log': [...DS.slice(0, 23), ...S1].join('\r\n') });
  assert.deepEqual(whole.a.warnings ?? [], []);
  assert.deepEqual(whole.a.scans.map((h) => [h.host, h.verdict, h.alerts, h.warnings]).sort(), [['DS-SER1', 'indicators', 1, 3], ['Server1', 'suspicious', 0, 4]]);
  const crashed = await analyze({ 'all.log': [...DS.slice(0, 17), ...S1].join('\r\n') });
  assert.deepEqual(crashed.a.warnings ?? [], []);
  assert.deepEqual(crashed.a.scans.map((h) => [h.host, vd(h), h.alerts, h.warnings]).sort(), [['DS-SER1', 'suspicious (incomplete)', 0, 3], ['Server1', 'suspicious', 0, 4]]);
  // a known limit (README): DS-SER1 cut short, Server1's log, then DS-SER1's rerun: DS-SER1's two parts are one scan
  // (no end between them), which Server1's lines lie inside: they count as DS-SER1's, with the warning (nothing hidden)
  const rerun = await analyze({ 'all.log': [...DS.slice(0, 17), ...S1, ...DS.map((l) => l.replace(/20211013T/g, '20211014T'))].join('\r\n') });
  assert.deepEqual(notes(rerun.a.warnings), [
    [18 + 24, 'same', 18 + 24, 1],
    [18, 'inside', 'Server1', 'lines 18-41', 'DS-SER1', 1],
  ]);
  assert.deepEqual(rerun.a.scans.map((h) => [h.host, h.alerts, h.warnings]), [['DS-SER1', 1, 10]]);
});

// ---------------------------------------------------------------- gap (b): another host's lines inside a host's log

test('a forged clean scan of Server1 inside DS-SER1`s log: part of DS-SER1`s scan; Server1`s real scan (4 warnings) stays shown', async () => {
  const forged = [
    retime(S1[0], '20300101T00:00:00Z'), // Starting Loki Scan … SYSTEM: Server1
    retime(S1[14], '20300101T00:00:00Z').replace('PsExec.exe', 'decoy.exe'), // a WARNING finding of "Server1"
    retime(S1[19], '20300101T00:00:00Z').replace('4 warnings', '0 warnings'),
    retime(S1[20], '20300101T00:00:00Z').replace('Suspicious objects detected!', 'SYSTEM SEEMS TO BE CLEAN.'),
    retime(S1[23], '20300101T00:00:00Z'),
  ];
  const files = { 'ds.log': dsWith(evil('20211013T22:19:30Z', forged)), 'server1.log': S1.join('\r\n') + '\r\n' };
  const { a, file } = await analyze(files);
  assert.deepEqual(a.setAside, []);
  assert.deepEqual(a.scans.map((h) => [h.host, h.file, h.verdict, h.alerts, h.warnings, h.scanStart]).sort(), [
    ['DS-SER1', file('ds.log'), 'indicators', 1, 5, T0],
    ['Server1', file('server1.log'), 'suspicious', 0, 4, Date.UTC(2021, 9, 13, 21, 11, 45)],
  ]);
  // the forged finding is DS-SER1's (its scan logged that text), at its line
  assert.deepEqual([...a.findings].filter((f) => f.path === 'C:\\SandBoxDeployementScripts\\PSTools\\decoy.exe').map((f) => [f.host, f.source.line]), [['DS-SER1', FORGED + 1]]);
  assert.deepEqual(notes(a.warnings), [
    // the forged scan's own trailer does not fit it either (its decoy warning was read; one warning for the block)
    [FORGED + 2, 'end', FORGED + 2, FORGED, 'it counts 0 alerts and 0 warnings, 0 alerts and 1 warning were read'],
    [FORGED, 'inside', 'Server1', `lines ${FORGED}-${FORGED + 4}`, 'DS-SER1', 1],
  ]);
  // parsed in parse worker threads: the same
  const pooled = await runLokiAnalysis([path.dirname(file('ds.log'))], { parseWorkers: 2, parseWorkerBundle: WORKER });
  assert.deepEqual(view(pooled), view(a));
  assert.deepEqual(pooled.warnings, a.warnings);
  // the text path: one scan, every finding in it under DS-SER1
  const r = parseLokiText(files['ds.log'], 'ds.log');
  assert.deepEqual(r.scans.map((s) => [s.host, s.alerts, s.warnings, s.verdict]), [['DS-SER1', 1, 5, 'indicators']]);
  assert.deepEqual(r.findings.map((f) => [f.host, f.scanIndex]), Array.from({ length: 6 }, () => ['DS-SER1', 0]));
  // before: the forged scan (2030) was Server1's latest, and Server1's real scan with its 4 warnings was set aside
});

test('one forged line of Server1 (no start line, dated 2030) inside DS-SER1`s log: it no longer makes Server1`s "latest scan"', async () => {
  const line = retime(S1[2], '20300101T00:00:00Z'); // INFO Init … of Server1
  const { a } = await analyze({ 'ds.log': dsWith(evil('20211013T22:19:30Z', [line])), 'server1.log': S1.join('\r\n') + '\r\n' });
  assert.deepEqual([a.setAside.length, a.summary.warnings, a.summary.alerts], [0, 8, 1]);
  assert.deepEqual(notes(a.warnings), [[FORGED, 'inside', 'Server1', `line ${FORGED}`, 'DS-SER1', 1]]);
});

// ---------------------------------------------------------------- a central syslog capture: the process id

/** A Python CSV line as `loki -r` sends it to a syslog server (RFC 5424, loki-format.md §2.7), PROCID `pid`. */
function syslog(pid: number, csv: string): string {
  const [ts, host, type, mod] = csv.split(',', 4);
  const msg = csv.slice(ts.length + host.length + type.length + mod.length + 4);
  const t = `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(9, 17)}.000000+00:00`;
  const title = type.charAt(0) + type.slice(1).toLowerCase();
  return `<158>1 ${t} ${host} LOKI ${pid} 1 - LOKI: ${title}: MODULE: ${mod} MESSAGE: ${msg}`;
}

test('syslog capture: a forged trailer from another process id is no end; a start with the ended scan`s process id is no new scan', async () => {
  // DS-SER1's real PID is 8756 (its line 13); the forged lines guess 4242
  const base = (forgedPid: number, startPid: number) => {
    const csv = dsWith(evil('20211013T22:19:30Z', [...dsTrailer('20211013T22:19:30Z', 1, 9), retime(DS[0], '20211013T22:19:30Z')]));
    const pid = (n: number) => (n >= FORGED && n < FORGED + 5 ? forgedPid : n === FORGED + 5 ? startPid : 8756);
    return csv.split(/\r?\n/).filter((l) => l !== '').map((l, i) => syslog(pid(i + 1), l)).join('\r\n') + '\r\n';
  };
  const wrongPid = await analyze({ 'central.log': base(4242, 4242) });
  assert.deepEqual(notes(wrongPid.a.warnings), [
    [FORGED, 'end', FORGED, 1, 'process id 4242, the scan\'s is 8756'],
    [FORGED + 5, 'same', FORGED + 5, 1],
  ]);
  assert.deepEqual([wrongPid.a.scans.length, wrongPid.a.setAside.length, wrongPid.a.summary.warnings], [1, 0, 4]);
  // the right PID guessed for the trailer, and the start reuses it: a new run is a new process
  const samePid = await analyze({ 'central.log': base(8756, 8756) });
  assert.deepEqual(notes(samePid.a.warnings), [[FORGED + 5, 'start', FORGED + 5, 1, 'the same process id 8756 as that scan']]);
  assert.deepEqual([samePid.a.scans.length, samePid.a.setAside.length], [1, 0]);
  // a genuine rescan in the capture (a new process a day later) stays apart
  const later = DS.map((l) => syslog(9120, l.replace(/20211013T/g, '20211014T')));
  const two = await analyze({ 'central.log': [...DS.slice(0, 23).map((l) => syslog(8756, l)), ...later].join('\r\n') });
  assert.deepEqual(two.a.warnings ?? [], []);
  assert.deepEqual(two.a.setAside.map((x) => [x.host, x.alerts, x.warnings]), [['DS-SER1', 1, 3]]);
});

// ---------------------------------------------------------------- Loki-RS plain

test('Loki-RS plain: a forged `scan finished` + `scan started` dated 2099 in a logged path is merged back; real appended scans stay apart', async () => {
  const rs = fs.readFileSync(path.join(FIX, 'rs-two-scans.log'), 'utf8').split('\n'); // three scans of build-srv-07
  const fin = rs[4].replace(/^2026-02-03T09:52:10Z/, '2099-01-01T00:00:00Z');
  const st = rs[0].replace(/^2026-02-03T09:40:00Z/, '2099-01-01T00:00:00Z');
  const text = [rs[0], rs[1], `${rs[2].slice(0, rs[2].indexOf(' SCORE:'))}/x\n${fin}\n${st}\ny${rs[2].slice(rs[2].indexOf(' SCORE:'))}`, ...rs.slice(3)].join('\n');
  const { a } = await analyze({ 'rs.log': text }, true);
  assert.deepEqual(a.scans.map((h) => [h.lokiVersion, vd(h), h.alerts, h.warnings]), [['2.4.0', 'indicators', 0, 1], ['2.5.1', 'clean', 0, 0], ['2.5.1', 'indicators (incomplete)', 1, 0]]);
  // line 3 (the real alert) lost its SCORE to the path's line breaks (an unparsed line); the scan opened at line 5
  // ends at 2026-02-03T09:52:10Z (line 8), before its own time: merged back, and Loki's 1 alert is missing from it
  assert.deepEqual(notes(a.warnings), [
    [5, 'start', 5, 1, 'the lines after it end at 2026-02-03T09:52:10Z, before its own time 2099-01-01T00:00:00Z'],
    [8, 'Loki reported 1 alert in this scan, 0 were read (see the unparsed lines)'],
  ]);
  assert.deepEqual(a.errors.map((e) => e.line), [3]);
  // the real file: three scans, no warning
  const real = await analyze({ 'rs.log': rs.join('\n') }, true);
  assert.deepEqual([real.a.scans.length, real.a.warnings ?? []], [3, []]);
});

test('Loki-RS plain, its scan end missing: a forged `scan finished` + `scan started` dated inside the scan is merged back unless its counts are exactly the matches read', async () => {
  const rs = fs.readFileSync(path.join(FIX, 'rs-two-scans.log'), 'utf8').split('\n');
  const at = (l: string, from: string) => l.replace(new RegExp(`^${from}`), '2026-02-03T09:42:00Z');
  const fin = (a: number, w: number) => at(rs[4], '2026-02-03T09:52:10Z').replace('Alerts: 1 Warnings: 1', `Alerts: ${a} Warnings: ${w}`);
  const head = at(rs[2], '2026-02-03T09:41:27Z');
  const k = head.indexOf(' SCORE:');
  // the real scan's start, its WARNING message, its alert, the evil match (lines 4-7), its process warning; no scan end
  const text = (a: number, w: number) =>
    [rs[0], rs[1], rs[2], `${head.slice(0, k)}/x\n${fin(a, w)}\n${at(rs[0], '2026-02-03T09:40:00Z')}\n2026-02-03T09:42:00Z build-srv-07 ALERT Match: /y${head.slice(k)}`, rs[3]].join('\n') + '\n';
  const over = await analyze({ 'rs.log': text(3, 3) }, true);
  assert.deepEqual(over.a.scans.map((h) => [vd(h), h.alerts, h.warnings]), [['indicators (incomplete)', 2, 1]]);
  assert.deepEqual(notes(over.a.warnings), [[6, 'start', 6, 1, 'it has no end of its own, and the end of the scan before it at line 5 has no Loki counts of exactly the alerts and warnings read in that scan, which holds 2 findings']]);
  // the limit: counts of exactly the matches read before it (1 alert; the WARNING message is no match) still split
  const exact = await analyze({ 'rs.log': text(1, 0) }, true);
  assert.deepEqual(exact.a.scans.map((h) => [vd(h), h.alerts, h.warnings]), [['indicators', 1, 0], ['indicators (incomplete)', 1, 1]]);
});
