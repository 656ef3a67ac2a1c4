/**
 * Loki with every scan kept (`--all-scans`, the dashboard's Include All Scans): each scan row of the Hosts table shows
 * its own Max score and Top rule (they were empty for a host with several scans: only a host's one scan row copied the
 * host's). Data: the real DS-SER1 log of shared/data (scan_result (1).log: 1 alert of score 100 — the DCSO struts-core
 * hash IOC — and 3 warnings of 70) and a copy of it as a later scan a week on (2021-10-20) without the alert line
 * (Loki's closing lines as it writes them for warnings only).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (1).log');
const dir = mkdtempSync(join(tmpdir(), 'soc-allscans-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FIRST = join(dir, 'ds-ser1-2021-10-13.log');
const SECOND = join(dir, 'ds-ser1-2021-10-20.log');
const real = readFileSync(REAL, 'utf8');
writeFileSync(FIRST, real);
writeFileSync(
  SECOND,
  real
    .split('\n')
    .filter((l) => !l.includes(',ALERT,'))
    .join('\n')
    .replace(/20211013T/g, '20211020T')
    .replace('Results: 1 alerts, 3 warnings', 'Results: 0 alerts, 3 warnings')
    .replace('Indicators detected!', 'Suspicious objects detected!'),
);
const STRUTS = '66178d4a9279ebb1cd1eb79c10dc204b4199f061'; // the struts-core hash IOC's rule key (its SHA1)

test('analysis with every scan kept: each scan row has its own max score and top rule', async () => {
  const a = await runLokiAnalysis([FIRST, SECOND], { includeAllScans: true });
  assert.equal(a.hosts.length, 1);
  assert.deepEqual(
    a.scans.map((s) => [s.host, s.alerts, s.warnings, s.maxScore, s.topRule]),
    [
      ['DS-SER1', 1, 3, 100, STRUTS],
      ['DS-SER1', 0, 3, 70, 'S149_WinPcap'],
    ],
  );
  // the host row: its top finding over both scans
  assert.deepEqual([a.hosts[0].maxScore, a.hosts[0].topRule], [100, STRUTS]);
  // the dashboard's Hosts table (one row per scan): Max score and Top rule columns filled per row
  const d = buildLokiDashboard(a, 'Loki', 'UTC');
  const t = d.tables!.find((x) => x.id === 'hosts')!;
  const col = (id: string) => t.columns.findIndex((c) => c.id === id);
  assert.deepEqual(t.rows.map((r) => [r[col('maxScore')], r[col('topRule')]]), [
    [100, 'Hash IOC: DCSO Vuln List https://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 | CVE-2017-9791 | CVE-2017-9805'],
    [70, 'S149_WinPcap'],
  ]);
});

test('CLI loki --all-scans: the text table and --json show each scan row its own MAX SCORE and TOP RULE', async () => {
  const c = capture();
  assert.equal(await main(['loki', FIRST, SECOND, '--all-scans'], c.io), 0);
  const rows = c.out().split('\n').filter((l) => l.startsWith('DS-SER1 '));
  assert.equal(rows.length, 2, c.out());
  assert.match(rows[0], /^DS-SER1 +Indicators detected +100 +1 +3 .*2021-10-13 22:11:03 .*Hash IOC: DCSO Vuln List/);
  assert.match(rows[1], /^DS-SER1 +Suspicious objects detected +70 +0 +3 .*2021-10-20 22:11:03 .*S149_WinPcap$/);
  assert.match(c.out(), /^  MAX SCORE: the highest score of the scan's findings; TOP RULE: the rule of its strongest reason;/m);
  const j = capture();
  assert.equal(await main(['loki', FIRST, SECOND, '--all-scans', '--json'], j.io), 0);
  const hosts = (JSON.parse(j.out()) as { hosts: { scanStart: string; maxScore: number | null; topRule: string | null }[] }).hosts;
  assert.deepEqual(hosts.map((h) => [h.scanStart, h.maxScore, h.topRule]), [
    ['2021-10-13T22:11:03Z', 100, STRUTS],
    ['2021-10-20T22:11:03Z', 70, 'S149_WinPcap'],
  ]);
});
