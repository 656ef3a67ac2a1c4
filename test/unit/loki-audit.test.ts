/**
 * Loki audit findings (labels and lists that said something else than what they hold), checked on the real Loki logs
 * (data/loki/real-2021-2022: Python Loki 0.42.3 / 0.44.2, four Windows hosts) and, where those lack the case (they
 * hold no process finding), the sample lines of loki-format.md §4 in test/fixtures/loki (samples-plain-win.log:
 * memory YARA, C2 and connection lines of rundll32.exe, an lsass.exe anomaly, a PE-Sieve msedge.exe line).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFindingColumns, lokiFindingDetail, lokiProcessesTable } from '../../src/core/analyze/loki-dashboard';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { TableStore } from '../../src/core/table/store';
import { findingsArray } from '../../src/core/parse/loki-store';
import { capture } from './cli-capture';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const WIN = path.resolve(__dirname, '../../../test/fixtures/loki/samples-plain-win.log');

/** The lines of section `title` of a CLI text report, up to the blank line after it. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(title));
  assert.ok(at >= 0, `no section ${title} in:\n${text}`);
  const end = lines.indexOf('', at);
  return lines.slice(at, end < 0 ? undefined : end);
}

describe('Top files lists file findings only; processes have their own list', () => {
  test('Python process and connection findings (no SCORE, a process name) are Top processes, not Top files rows with an empty MAX SCORE', async () => {
    const a = await runLokiAnalysis([WIN]);
    assert.deepEqual(a.topFiles.map((f) => f.path), ['C:\\ProgramData\\UpdSvc\\core.dll', 'C:\\Users\\j.meier\\Downloads\\Rechnung, März 2025.js', 'C:\\Users\\Public\\Documents\\ntds_backup_0228.zip']);
    assert.ok(a.topFiles.every((f) => f.maxScore !== null));
    // the YARA memory hit (path: the executable), the C2 match and the connection (path: the name) are one process
    assert.deepEqual(a.topProcesses, [
      { process: 'rundll32.exe', count: 3, hosts: 1, maxScore: null },
      { process: 'lsass.exe', count: 1, hosts: 1, maxScore: null },
      { process: 'msedge.exe', count: 1, hosts: 1, maxScore: null },
    ]);
    // CLI: no empty MAX SCORE cell, and the reason for `none` under the table
    const c = capture();
    assert.equal(await main(['loki', WIN], c.io), 0, c.err());
    const files = section(c.out(), 'Top files');
    assert.equal(files.length, 5, files.join('\n'));
    assert.ok(files.every((l) => !/rundll32|lsass|msedge/.test(l)), files.join('\n'));
    const procs = section(c.out(), 'Top processes');
    assert.match(procs[2], /^ +3 +1 +none +process: rundll32\.exe$/);
    assert.match(procs.at(-1)!, /MAX SCORE none: Loki logged no score for these findings/);
    // Markdown and dashboard: the same list, `none logged` in the score cell, a click filters the findings by the process
    const md = lokiMarkdown(a, { zone: 'UTC' });
    assert.ok(md.includes('## Top processes\n\n| Process | Findings | Hosts | Max score |\n| --- | --- | --- | --- |\n| process: rundll32.exe | 3 | 1 | none logged |\n'), md);
    const t = lokiProcessesTable(a);
    assert.deepEqual(t.rows[0], ['process: rundll32.exe', 3, 1, 'none logged']);
    assert.deepEqual(t.rowFacets?.[0], { process: 'rundll32.exe' });
    const store = new TableStore(findingsArray(a.findings), lokiFindingColumns('UTC', a.files));
    assert.equal(store.window({ facets: { process: 'rundll32.exe' } }, 0, 10).total, 3);
    assert.ok(buildLokiDashboard(a, 't', 'UTC').tables.some((x) => x.id === 'processes'));
  });

  test('the real logs (file findings only) have no Top processes and keep their 18 Top files', async () => {
    const a = await runLokiAnalysis([REAL]);
    assert.equal(a.topFiles.length, 18);
    assert.deepEqual(a.topProcesses, []);
    assert.ok(!buildLokiDashboard(a, 't', 'UTC').tables.some((x) => x.id === 'processes'));
  });
});

describe('a hash IOC rule is named by its description, its hash kept in sight', () => {
  const DESC = 'DCSO Vuln List https://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 | CVE-2017-9791 | CVE-2017-9805';
  const SHA1 = '66178d4a9279ebb1cd1eb79c10dc204b4199f061';
  test('real log (DS-SER1, `Malware Hash TYPE: SHA1 HASH: 66178d4a…`): Rules table, CLI Top rules, Markdown, --json', async () => {
    const a = await runLokiAnalysis([REAL]);
    const r = a.rules.find((x) => x.kind === 'hash-ioc')!;
    assert.equal(r.rule, SHA1); // the key (facets, matrix) stays the hash
    assert.equal(r.name, `Hash IOC: ${DESC}`);
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0, c.err());
    const row = section(c.out(), 'Top rules').find((l) => l.includes('hash-ioc'))!;
    assert.match(row, new RegExp(`^ +1 +1 +0 +0 +1 +ALERT +hash-ioc +IOC SHA1 ${SHA1} +Hash IOC: DCSO Vuln List .*CVE-2017-9805$`)); // RULE last, whole
    const md = lokiMarkdown(a, { zone: 'UTC' });
    assert.ok(md.includes(`| Hash IOC: DCSO Vuln List hxxps://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 \\| CVE-2017-9791 \\| CVE-2017-9805 | ALERT | hash-ioc | 1 | 1 | 0 | 0 | 1 | IOC SHA1 ${SHA1} |`), md);
    const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'rules')!;
    const k = t.rows.findIndex((x) => x[2] === 'hash-ioc');
    assert.deepEqual(t.rows[k], [`Hash IOC: ${DESC}`, 'ALERT', 'hash-ioc', 1, 1, 0, 0, 1, `IOC SHA1 ${SHA1}`]);
    assert.deepEqual(t.rowFacets?.[k], { rule: SHA1 }); // a click still filters by the rule key
    assert.equal(t.rowFacets?.[0], undefined); // a YARA row: its cell is its key
    // the Top rules chart names its bar as the table does; the bar's click filters by the key (the hash)
    const chart = buildLokiDashboard(a, 't', 'UTC').charts.find((x) => x.id === 'top-rules')!;
    const bar = chart.labels.indexOf(`Hash IOC: ${DESC}`);
    assert.ok(bar >= 0, JSON.stringify(chart.labels));
    assert.equal(chart.facetValues?.[bar], SHA1);
    assert.equal(chart.facetValues?.[chart.labels.indexOf('psexec_generic')], 'psexec_generic');
    const j = capture();
    assert.equal(await main(['loki', REAL, '--json'], j.io), 0, j.err());
    const jr = JSON.parse(j.out()).rules.find((x: { kind: string }) => x.kind === 'hash-ioc');
    assert.equal(jr.name, `Hash IOC: ${DESC}`);
    assert.equal(jr.rule, SHA1);
  });
});

describe('the hash view says what it counts', () => {
  test('real logs: the Hashes tab counts distinct paths (not findings, not "Files"); CLI Top hashes is one hash, not one file', async () => {
    const a = await runLokiAnalysis([REAL]);
    const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'hashes')!;
    const titles = t.columns.map((c) => c.title);
    assert.ok(!titles.includes('Files'), titles.join(', '));
    const k = t.columns.findIndex((c) => c.title === 'Distinct paths');
    const f = t.columns.findIndex((c) => c.id === 'count');
    // C:\Users\jdoe\configuration (DS1): 2 findings (APT10_Malware_Sample_Gen twice) under 1 path; the WinPcap uninstaller: 2 under 2
    const cell = (hash: string) => { const r = t.rows.find((x) => x[0] === hash)!; return [r[f], r[k]]; };
    assert.deepEqual(cell('bacd3297e813b933a09842c63928e0b65afeec8b1ac8f3feae5d976660105624'), [2, 1]);
    assert.deepEqual(cell('348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede'), [2, 2]);
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0, c.err());
    assert.match(c.out(), /\nTop hashes \(10 of 14\): findings with the same hash across hosts \(under one or more paths or processes\)\n/);
    assert.doesNotMatch(c.out(), /the same file across hosts/);
  });
});

describe("host counts: ours (the findings read) and Loki's own Results line, each named", () => {
  test('real logs: DS1 has 1 NOTICE finding while its Results line says 3 notices (Init and PE-Sieve notices): CLI, Markdown, dashboard, --json', async () => {
    const a = await runLokiAnalysis([REAL]);
    const ds1 = a.scans.find((h) => h.host === 'DS1')!;
    assert.deepEqual([ds1.alerts, ds1.warnings, ds1.notices], [6, 4, 1]);
    assert.deepEqual(ds1.lokiResults, { alerts: 6, warnings: 4, notices: 3 }); // `Results: 6 alerts, 4 warnings, 3 notices`
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0, c.err());
    assert.match(c.out(), /\n  Findings read: 7 alerts, 11 warnings, 1 notice\n  Loki Results lines: 7 alerts, 11 warnings, 9 notices \(Loki counts every line it logged at a level/);
    const hosts = section(c.out(), 'Hosts (');
    assert.match(hosts.at(-1)!, /^  MAX SCORE: the highest score of the host's findings; TOP RULE: the rule of its strongest reason; ALERTS, WARNINGS, NOTICES: the findings read; LOKI'S RESULTS LINE: Loki's own count \(Loki counts every line/);
    assert.match(hosts[1], /^HOST +VERDICT +MAX SCORE +ALERTS +WARNINGS +NOTICES +LOKI'S RESULTS LINE +SCANNER ERRORS/);
    assert.match(hosts[2], /^DS1 +Indicators detected +145 +6 +4 +1 +6 alerts, 4 warnings, 3 notices +0 /);
    const md = lokiMarkdown(a, { zone: 'UTC' });
    assert.ok(md.includes("- Findings read: 7 alerts, 11 warnings, 1 notice\n- Loki Results lines: 7 alerts, 11 warnings, 9 notices ("), md);
    assert.ok(md.includes("| Host | Verdict | Alerts (findings read) | Warnings (findings read) | Loki's Results line | Scan start (UTC) |\n| --- | --- | --- | --- | --- | --- |\n| DS1 | Indicators detected | 6 | 4 | 6 alerts, 4 warnings, 3 notices | 2022-01-19 18:42 |\n"), md);
    // dashboard: Files read, the findings read beside Loki's own count, per file (the Hosts table keeps its width)
    const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'inputs')!;
    assert.deepEqual(t.columns.slice(4, 6).map((x) => x.title), ['Findings read', 'Loki’s Results line']);
    assert.deepEqual(t.rows.find((r) => String(r[0]).endsWith('scan_result (1).csv'))!.slice(4, 6), [11, '6 alerts, 4 warnings, 3 notices']);
    const j = capture();
    assert.equal(await main(['loki', REAL, '--json'], j.io), 0, j.err());
    assert.deepEqual(JSON.parse(j.out()).hosts[0].lokiResults, { alerts: 6, warnings: 4, notices: 3 });
  });

  test('a scan cut short (no Results line) says so instead of an empty cell', async () => {
    // the real DS1 log up to its first finding: Loki was stopped before its Results line
    const dir = mkdtempSync(path.join(tmpdir(), 'loki-audit-'));
    const lines = readFileSync(path.join(REAL, 'scan_result (1).csv'), 'utf8').split('\n');
    writeFileSync(path.join(dir, 'cut.csv'), lines.slice(0, lines.findIndex((l) => l.includes(',ALERT,FileScan,')) + 1).join('\n') + '\n');
    const a = await runLokiAnalysis([dir]);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(a.scans[0].lokiResults, undefined);
    const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'inputs')!;
    assert.equal(t.rows[0][5], 'not logged');
  });
});

describe('Loki dashboard labels (UI review)', () => {
  test('real logs: the Scanner errors card opens Scanner messages (where AD’s 4 ERROR lines are); the unreadable-lines tab is named as its card, not "Errors"', async () => {
    const a = await runLokiAnalysis([REAL]);
    const m = buildLokiDashboard(a, 't', 'UTC');
    const card = m.cards.find((c) => c.id === 'scannerErrors')!;
    assert.deepEqual([card.label, card.value, card.tab], ['Scanner errors', 4, 'scanner']);
    const scanner = m.tables.find((t) => t.id === card.tab)!;
    assert.equal(scanner.rows.filter((r) => r[1] === 'ERROR').length, 4);
    const titles = m.tables.map((t) => t.title);
    assert.ok(!titles.includes('Errors'), titles.join(', '));
    assert.equal(m.tables.find((t) => t.id === 'errors')!.title, 'Unparsed lines');
    assert.equal(m.cards.find((c) => c.id === 'unparsed')!.label, 'Unparsed lines');
    assert.ok(!m.tables.find((t) => t.id === 'inputs')!.columns.some((c) => c.title === 'Errors'));
  });

  test('a file that could not be read among the logs: the tab says file errors too, and the Unparsed lines card opens it', async () => {
    const bin = path.resolve(__dirname, '../../../test/fixtures/loki/binary.bin.log');
    const a = await runLokiAnalysis([bin, path.resolve(__dirname, '../../../test/fixtures/loki/continuation.csv')]);
    // a binary file is no file error: it is skipped as one (new-user trial M2)
    assert.deepEqual(a.skipped, [{ file: bin, reason: 'binary file' }]);
    assert.equal(a.errors.filter((e) => e.line <= 0).length, 0);
    assert.equal(buildLokiDashboard(a, 't', 'UTC').tables.find((t) => t.id === 'errors')!.title, 'Unparsed lines');
    // a file its user may not open (EACCES: not made here, the tests may run as root) is a line-0 problem
    a.errors.unshift({ file: '/d/secret.log', line: 0, message: 'cannot read file: EACCES: permission denied' });
    const m = buildLokiDashboard(a, 't', 'UTC');
    assert.equal(m.tables.find((t) => t.id === 'errors')!.title, 'Unparsed lines and file errors');
    assert.equal(m.cards.find((c) => c.id === 'unparsed')!.tab, 'errors');
  });

  test('CREATED / MODIFIED / ACCESSED name their zone truthfully; Size has thousands separators and sorts as a number', async () => {
    const a = await runLokiAnalysis([REAL]);
    const f = findingsArray(a.findings).find((x) => x.path === 'C:\\Users\\asmith\\.m2\\repository\\org\\apache\\struts\\struts-core\\1.3.8\\struts-core-1.3.8.jar')!;
    const d = lokiFindingDetail(f, 0, 'UTC');
    const field = (l: string) => d.fields.find((x) => x.label === l)?.value;
    // Python Loki: time.ctime() on the endpoint, no zone (loki-format.md §1.2)
    assert.equal(field('Created (endpoint’s local time, zone not logged)'), 'Tue Apr  6 15:32:43 2021');
    assert.equal(field('Accessed (endpoint’s local time, zone not logged)'), 'Tue Apr  6 15:32:43 2021');
    assert.ok(!d.fields.some((x) => /host local/.test(x.label)));
    assert.equal(field('Size (bytes)'), '328,896');
    // Loki-RS JSONL: RFC 3339 with the offset (loki-format.md §4 S24)
    const rs = await runLokiAnalysis([path.resolve(__dirname, '../../../test/fixtures/loki/samples-rs.jsonl')]);
    const g = findingsArray(rs.findings).find((x) => x.kind === 'file')!;
    assert.equal(lokiFindingDetail(g, 0, 'UTC').fields.find((x) => x.label === 'Created (as logged, with UTC offset)')?.value, '2026-01-29T14:02:11+00:00');
    // the findings table: `328,896`, sorted by the number (328,896 > 61,440 > 2,048 as numbers, not as text)
    const store = new TableStore(findingsArray(a.findings), lokiFindingColumns('UTC', a.files));
    const cols = lokiFindingColumns('UTC', a.files);
    const k = cols.findIndex((c) => c.id === 'size');
    assert.equal(cols[k].title, 'Size (bytes)');
    const sorted = store.window({ sort: { column: 'size', dir: 'desc' } }, 0, 200).rows.map((r) => r[k]).filter(Boolean);
    const nums = sorted.map((x) => Number(x.replace(/,/g, '')));
    assert.deepEqual(nums, [...nums].sort((x, y) => y - x));
    assert.ok(sorted.includes('328,896'), sorted.join(' '));
    assert.ok(sorted.some((x) => /^\d{1,3}(,\d{3})+$/.test(x)) && sorted.every((x) => /^\d{1,3}(,\d{3})*$/.test(x)), sorted.join(' '));
  });
});
