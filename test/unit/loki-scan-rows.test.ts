/**
 * With every scan kept (`includeAllScans`, `loki --all-scans`, *Analyze Loki Results (Include All
 * Scans)* / `socAnalytics.loki.includeAllScans`), the dashboard's *Hosts* table has one row per scan.
 * A click on such a row filtered the findings by host, so a host scanned twice showed the findings
 * of both scans under either row. Each row now carries its own facets (`rowFacets`: host and scan),
 * which the findings table (`scan` column) answers with exactly that scan's findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLoki, lokiScanId } from '../../src/core/analyze/loki-summary';
import { buildLokiDashboard, lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { TableStore } from '../../src/core/table/store';
import type { DashboardModel, SmallTable } from '../../src/shared/protocol';
import type { LokiFinding } from '../../src/core/model/loki';
import { fileResult, finding, scan, T0, yara } from './loki-fixtures';

const REPO = path.resolve(__dirname, '../../..');
const REAL = path.resolve(REPO, '../shared/data/loki/real-2021-2022');
const FIX = path.join(REPO, 'test/fixtures/loki');

/** The facets a click on row `i` of a small table applies, as the webview does (webview/dashboard/main.ts renderSmallTable/applyFacet). */
function clickFacets(model: DashboardModel, t: SmallTable, i: number): Record<string, string> {
  const f = t.rowFacets?.[i] ?? { [t.facetColumn!]: String(t.rows[i][t.facetIndex!] ?? '') };
  return Object.fromEntries(Object.entries(f).filter(([c]) => model.columns.some((col) => col.id === c)));
}

/** The index of a column of a small table, by its id (the Hosts table grew Max score and Top rule before the counts). */
const col = (t: { columns: { id: string }[] }, id: string): number => t.columns.findIndex((c) => c.id === id);

/** Row i of the Hosts table: its counts, and the findings a click shows (level and source line). */
function rowAndClick(model: DashboardModel, store: TableStore<LokiFinding>, findings: LokiFinding[], i: number) {
  const t = model.tables.find((x) => x.id === 'hosts')!;
  const w = store.window({ facets: clickFacets(model, t, i) }, 0, 1_000_000);
  const shownCounts = { ALERT: 0, WARNING: 0, NOTICE: 0 } as Record<string, number>;
  for (const id of w.ids) shownCounts[findings[id].level]++;
  const row = t.rows[i];
  return { row: [row[0], row[col(t, 'alerts')], row[col(t, 'warnings')], row[col(t, 'notices')]], shown: [row[0], shownCounts.ALERT, shownCounts.WARNING, shownCounts.NOTICE], ids: w.ids };
}

test('all scans kept: a Hosts row of one scan filters the findings to that scan (real logs, a rescan in another file, three scans in one file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-scan-rows-'));
  // DS-SER1: the real scan (1 alert, 3 warnings) and a rescan a day later in another file (1 warning).
  fs.copyFileSync(path.join(REAL, 'scan_result (1).log'), path.join(dir, 'a.log'));
  const later = '20211014T10:00:00Z';
  fs.writeFileSync(
    path.join(dir, 'b.log'),
    [
      `${later},DS-SER1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: DS-SER1 TIME: ${later} PLATFORM: x`,
      `${later},DS-SER1,WARNING,FileScan,FILE: C:\\Temp\\later.exe SCORE: 70 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: Later SUBSCORE: 70 DESCRIPTION: d REF: - AUTHOR: -`,
      `${later},DS-SER1,NOTICE,Results,Results: 0 alerts, 1 warnings, 0 notices`,
      `${later},DS-SER1,RESULT,Results,Suspicious objects detected!`,
      `${later},DS-SER1,NOTICE,Results,Finished LOKI Scan SYSTEM: DS-SER1 TIME: ${later}`,
    ].join('\r\n') + '\r\n',
  );
  // build-srv-07: three Loki-RS scans appended to one log (1 alert + 1 warning, none, 1 alert).
  fs.copyFileSync(path.join(FIX, 'rs-two-scans.log'), path.join(dir, 'rs.log'));
  fs.copyFileSync(path.join(REAL, 'scan_result (2).log'), path.join(dir, 'ad.log')); // AD: one scan

  const a = await runLokiAnalysis([dir], { includeAllScans: true });
  const model = buildLokiDashboard(a, 't', 'UTC');
  const findings = [...a.findings];
  const store = new TableStore(findings, lokiFindingColumns('UTC', a.files));
  const t = model.tables.find((x) => x.id === 'hosts')!;
  assert.equal(t.title, 'Hosts (one row per scan)');
  assert.deepEqual(t.rows.map((r) => [r[0], r[col(t, 'alerts')], r[col(t, 'warnings')], r[col(t, 'notices')]]), [
    ['build-srv-07', 1, 1, 0],
    ['build-srv-07', 0, 0, 0],
    ['build-srv-07', 1, 0, 0],
    ['DS-SER1', 1, 3, 0],
    ['DS-SER1', 0, 1, 0],
    ['AD', 0, 0, 0],
  ]);
  const seen = new Set<number>();
  for (let i = 0; i < t.rows.length; i++) {
    const r = rowAndClick(model, store, findings, i);
    assert.deepEqual(r.shown, r.row, `row ${i}: the click shows that scan's findings`);
    for (const id of r.ids) {
      assert.ok(!seen.has(id), `row ${i}: finding ${id} is in one scan only`);
      seen.add(id);
    }
  }
  assert.equal(seen.size, findings.length, 'every finding is under one row');
  // the facets of a row: host and scan (the scan as the hidden `scan` column shows it)
  assert.deepEqual(t.rowFacets![4], { host: 'DS-SER1', scan: `${path.join(dir, 'b.log')} · scan 1` });
  assert.deepEqual(t.rowFacets![2], { host: 'build-srv-07', scan: `${path.join(dir, 'rs.log')} · scan 3` });
  const scanCol = model.columns.find((c) => c.id === 'scan')!;
  assert.deepEqual([scanCol.title, scanCol.hidden], ['Scan', true]);

  // Latest scans only: one row per host, but build-srv-07's latest scan (scan 3 of rs.log) did not finish, so its
  // last finished scan (scan 2) is kept beside it: two rows, each filtering to its scan.
  const latest = await runLokiAnalysis([dir]);
  const lm = buildLokiDashboard(latest, 't', 'UTC');
  const lt = lm.tables.find((x) => x.id === 'hosts')!;
  assert.deepEqual(lt.rowFacets, [
    { host: 'build-srv-07', scan: `${path.join(dir, 'rs.log')} · scan 2` },
    { host: 'build-srv-07', scan: `${path.join(dir, 'rs.log')} · scan 3` },
    { host: 'DS-SER1', scan: `${path.join(dir, 'b.log')} · scan 1` },
    { host: 'AD', scan: `${path.join(dir, 'ad.log')} · scan 1` },
  ]);
  assert.equal(latest.summary.incompleteHosts, 1);
  const lf = [...latest.findings];
  const ls = new TableStore(lf, lokiFindingColumns('UTC', latest.files));
  for (let i = 0; i < lt.rows.length; i++) {
    const r = rowAndClick(lm, ls, lf, i);
    assert.deepEqual(r.shown, r.row, `latest: row ${i}`);
  }
  assert.deepEqual(clickFacets(lm, lt, 0), { host: 'build-srv-07', scan: `${path.join(dir, 'rs.log')} · scan 2` });
});

test('hand-built results: scans of a host in one file and findings outside every scan line each filter to their own findings', () => {
  const f = (host: string, level: 'ALERT' | 'WARNING' | 'NOTICE', line: number, scanIndex: number) =>
    finding({ host, level, path: `C:\\${host}\\${line}.exe`, score: 70, reasons: [yara('R')], source: { file: '', line }, scanIndex });
  const results = [
    // one file: WS1 scanned twice, WS2 once in between (scans 1, 2, 3 of the file)
    fileResult(
      '/c/x.log',
      [scan({ host: 'WS1', scanStart: T0 }), scan({ host: 'WS2', scanStart: T0, firstLine: 5 }), scan({ host: 'WS1', scanStart: T0 + 1000, firstLine: 9 })],
      [f('WS1', 'ALERT', 2, 0), f('WS2', 'WARNING', 6, 1), f('WS1', 'NOTICE', 10, 2), f('WS1', 'WARNING', 11, 2)],
    ),
    // findings of two hosts outside any scan line (one out of range: the file has one scan)
    fileResult('/c/y.log', [scan({ host: 'WS3', scanStart: T0 })], [f('WS1', 'ALERT', 3, -1), f('WS2', 'ALERT', 4, 7), f('WS3', 'NOTICE', 5, 0)]),
  ];
  const a = analyzeLoki(results, { includeAllScans: true });
  const model = buildLokiDashboard(a, 't', 'UTC');
  const findings = [...a.findings];
  const store = new TableStore(findings, lokiFindingColumns('UTC', a.files));
  const t = model.tables.find((x) => x.id === 'hosts')!;
  assert.deepEqual(t.rowFacets, a.scans.map((h) => ({ host: h.host, scan: h.scanId })));
  assert.deepEqual(a.scans.map((h) => [h.host, h.scanId]), [
    ['WS1', '/c/y.log · no scan line'],
    ['WS1', '/c/x.log · scan 1'],
    ['WS1', '/c/x.log · scan 3'],
    ['WS2', '/c/y.log · no scan line'],
    ['WS2', '/c/x.log · scan 2'],
    ['WS3', '/c/y.log · scan 1'],
  ]);
  for (let i = 0; i < t.rows.length; i++) {
    const r = rowAndClick(model, store, findings, i);
    assert.deepEqual(r.shown, r.row, `row ${i} (${a.scans[i].scanId})`);
    assert.ok(r.ids.length > 0, `row ${i}: not empty`);
  }
  // the hosts roll-up names its scan when it has one, not when it has several
  assert.deepEqual(a.hosts.map((h) => [h.host, h.scans, h.scanId]), [
    ['WS1', 3, undefined],
    ['WS2', 2, undefined],
    ['WS3', 1, '/c/y.log · scan 1'],
  ]);
});

test('lokiScanId: `<file> · scan <n>`, else `<file> · no scan line`', () => {
  assert.equal(lokiScanId('/a.log', 0, 2), '/a.log · scan 1');
  assert.equal(lokiScanId('/a.log', 1, 2), '/a.log · scan 2');
  assert.equal(lokiScanId('/a.log', 2, 2), '/a.log · no scan line');
  assert.equal(lokiScanId('/a.log', -1), '/a.log · no scan line');
  assert.equal(lokiScanId('/a.log', 1.5), '/a.log · no scan line');
  assert.equal(lokiScanId('/a.log', NaN, 3), '/a.log · no scan line');
  assert.equal(lokiScanId('/a.log', 5), '/a.log · scan 6', 'scan count unknown: every index ≥ 0 is a scan');
});

test('loki --all-scans --json: hosts entries and findings name their scan (scanId) when a host has several; without --all-scans nothing is added (hostile review)', async () => {
  const { main } = await import('../../src/cli/cli');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-scan-json-'));
  try {
    fs.copyFileSync(path.join(FIX, 'rs-two-scans.log'), path.join(dir, 'rs.log')); // build-srv-07: three scans in one log
    fs.copyFileSync(path.join(REAL, 'scan_result (2).log'), path.join(dir, 'ad.log')); // one scan
    const run = async (args: string[]) => {
      const out: string[] = [];
      assert.equal(await main(['loki', dir, '--json', ...args], { stdout: (s) => out.push(s), stderr: () => {} }), 0);
      return JSON.parse(out.join('')) as { hosts: { host: string; verdict: string; incomplete: boolean; scanId?: string; alerts: number; warnings: number }[]; findings: { level: string; scanId?: string }[] };
    };
    const all = await run(['--all-scans']);
    const rs = path.join(dir, 'rs.log');
    assert.deepEqual(
      all.hosts.filter((h) => h.host === 'build-srv-07').map((h) => h.scanId).sort(),
      [1, 2, 3].map((n) => `${rs} · scan ${n}`),
    );
    // every finding names a scan of the hosts list, and each scan's alerts/warnings are its findings'
    const ids = new Set(all.hosts.map((h) => h.scanId));
    assert.ok(all.findings.length > 0 && all.findings.every((f) => f.scanId !== undefined && ids.has(f.scanId)), JSON.stringify(all.findings.map((f) => f.scanId)));
    for (const h of all.hosts) {
      const mine = all.findings.filter((f) => f.scanId === h.scanId);
      assert.deepEqual([mine.filter((f) => f.level === 'ALERT').length, mine.filter((f) => f.level === 'WARNING').length], [h.alerts, h.warnings], h.scanId);
    }
    // latest scans only: build-srv-07's latest scan did not finish, so its last finished scan is kept too and every
    // entry names its scan; with the unfinished scan gone, one scan per host and nothing is added
    const latest = await run([]);
    assert.deepEqual(latest.hosts.filter((h) => h.host === 'build-srv-07').map((h) => [h.verdict, h.incomplete]), [['clean', false], ['indicators', true]]);
    assert.ok(latest.hosts.every((h) => 'scanId' in h) && latest.findings.every((f) => 'scanId' in f));
    fs.writeFileSync(rs, fs.readFileSync(rs, 'utf8').split('\n').slice(0, 7).join('\n') + '\n'); // the two finished scans
    const one = await run([]);
    assert.ok(one.hosts.every((h) => !('scanId' in h)) && one.findings.every((f) => !('scanId' in f)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with every scan kept the dashboard has no "Scans set aside" card (nothing can be set aside; UI trial)', async () => {
  const all = await runLokiAnalysis([REAL], { includeAllScans: true });
  const latest = await runLokiAnalysis([REAL]);
  assert.equal(all.allScans, true);
  assert.equal(buildLokiDashboard(all, 't', 'UTC').cards.some((c) => c.id === 'setAside'), false);
  assert.deepEqual(buildLokiDashboard(latest, 't', 'UTC').cards.find((c) => c.id === 'setAside')?.value, 0);
});
