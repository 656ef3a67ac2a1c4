/**
 * New-user trial (a senior SOC analyst): a CSV export of a table had its times only in the display zone, without an
 * offset (`2021-10-13 17:27:55` under `Time (America/New_York)`): a time in a DST fall-back hour was ambiguous and the
 * file could not be merged with other tools' times. Now every time column of a table export (the big tables through
 * exportLayout, the small tables through smallTableCsv) is followed by a UTC column in ISO 8601 with `Z`
 * (`Time (UTC)`: `2021-10-13T21:27:55Z`, milliseconds only when non-zero); the display-zone column stays as it was.
 * The extension's Export CSV runs as compiled with the stand-in `vscode` module (./vscode-stand-in).
 */
import { panels, ui } from './vscode-stand-in';
import { describe, it, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import type * as vscodeTypes from 'vscode';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { exportLayout, TableStore, utcExportHeader } from '../../src/core/table/store';
import { smallTableCsv } from '../../src/core/export/csv';
import { timelineColumns, type TimelineEvent } from '../../src/core/tz-timeline';
import { caseColumns } from '../../src/core/analyze/kpi-dashboard';
import { beaconColumns, buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarEventColumns } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { formatTime } from '../../src/core/time';
import type { DashboardModel, SmallTable } from '../../src/shared/protocol';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
const DATA = path.resolve(__dirname, '../../../../shared/data');
const LOKI = path.join(DATA, 'loki/real-2021-2022/scan_result (3).log');
const NY = 'America/New_York';
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-export-utc-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await tick(10);
}
const csvOf = (t: SmallTable) => parse(smallTableCsv(t, { bom: true }).slice(1)) as string[][];

afterEach(() => {
  DashboardPanel.disposeAll();
  ui.saveAnswer = undefined;
  ui.infoAnswer = undefined;
  ui.saveDialogs.length = 0;
  ui.infos.length = 0;
  ui.commands.length = 0;
  ui.workspaceFolders.length = 0;
});

describe('CSV exports: a UTC column (ISO 8601, Z) right after each time column', () => {
  it('Loki Findings → Export CSV: `Time (America/New_York)` 2021-10-13 17:27:55, then `Time (UTC)` 2021-10-13T21:27:55Z', async () => {
    const a = await runLokiAnalysis([LOKI]);
    const columns = lokiFindingColumns(NY, a.files, a.rules);
    const findings = a.findings.slice(); // a plain array, as the extension's rows
    const store = new TableStore(findings, columns);
    const ws = path.join(TMP, 'ws');
    fs.mkdirSync(ws, { recursive: true });
    ui.workspaceFolders.push(ws);
    const source: DashboardSource = {
      panelTitle: 'Loki',
      model: buildLokiDashboard(a, 'loki', NY),
      rows: findings,
      columns: columns as DashboardSource['columns'],
      store: store as DashboardSource['store'],
      detail: () => ({}) as never,
      exportName: 'loki-findings.csv',
      rowNoun: 'findings',
      exportDir: ws,
    };
    const host: PanelHost = { getSource: async () => source, displayZone: () => NY, log: () => undefined };
    DashboardPanel.show(vscode.Uri.file('/ext'), host, 'loki-utc');
    const w = panels[panels.length - 1];
    w.send({ type: 'ready' }, 1);
    await until(() => w.posted.some((m) => m.body.type === 'model'));
    const target = path.join(ws, 'soc-exports', 'loki-findings.csv');
    ui.saveAnswer = target;
    w.send({ type: 'exportCsv', query: { sort: { column: 'time', dir: 'asc' } }, columns: ['level', 'host', 'time', 'rule'] }, 2);
    await until(() => w.posted.some((m) => m.body.type === 'ack'));
    const back = parse(fs.readFileSync(target, 'utf8').slice(1)) as string[][];
    // (the hashes: in every findings export, test/unit/findings-export-hashes.test.ts)
    assert.deepEqual(back[0], ['Level', 'Host', 'Time (America/New_York)', 'Time (UTC)', 'Rule', 'MD5', 'SHA1', 'SHA256']);
    const row = back.find((r) => r[2] === '2021-10-13 17:27:55');
    assert.ok(row, 'the trial finding is exported');
    assert.equal(row[3], '2021-10-13T21:27:55Z');
    // every row: the UTC column is the display-zone time's instant
    assert.equal(back.length - 1, findings.length);
    for (const r of back.slice(1)) {
      assert.match(r[3], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(formatTime(Date.parse(r[3]), NY), r[2]);
    }
  });

  it('a DST fall-back hour: two events both shown 2021-11-07 01:30:00 in New York export two UTC times (one hour apart); milliseconds only when non-zero', () => {
    const ev = (iso: string): TimelineEvent => ({ time: Date.parse(iso), source: 'Cases', analysis: 'cases', event: iso });
    const rows = [ev('2021-11-07T05:30:00Z'), ev('2021-11-07T06:30:00.250Z')];
    const store = new TableStore(rows, timelineColumns(NY));
    const e = store.exportRows({}, ['time', 'event']);
    assert.deepEqual(e.header, ['Time (America/New_York)', 'Time (UTC)', 'Event']);
    assert.deepEqual([...e.rows], [
      ['2021-11-07 01:30:00', '2021-11-07T05:30:00Z', '2021-11-07T05:30:00Z'],
      ['2021-11-07 01:30:00', '2021-11-07T06:30:00.250Z', '2021-11-07T06:30:00.250Z'],
    ]);
  });

  it('KPI cases, QRadar events and beacon pairs: each time column is followed by its UTC column; a missing time exports as two empty fields', () => {
    const kpi = exportLayout(caseColumns(NY, undefined, true).filter((c) => ['id', 'created', 'acknowledged', 'closed'].includes(c.id)));
    assert.deepEqual(kpi.header, ['Id', 'Created (America/New_York)', 'Created (UTC)', 'Acknowledged (America/New_York)', 'Acknowledged (UTC)', 'Closed (America/New_York)', 'Closed (UTC)']);
    const c = { c: { id: 'X-1', created: Date.parse('2026-03-02T08:00:00Z'), closed: undefined, rules: [] }, tag: '', matchedTags: [], sla: [], state: 'open' };
    assert.deepEqual(kpi.cells(c as never), ['X-1', '2026-03-02 03:00:00', '2026-03-02T08:00:00Z', '', '', '', '']);
    assert.deepEqual(exportLayout(qradarEventColumns('Europe/Berlin').filter((x) => x.type === 'time')).header, ['Time (Europe/Berlin)', 'Time (UTC)']);
    assert.deepEqual(exportLayout(beaconColumns('UTC').filter((x) => x.type === 'time')).header, ['First seen (UTC)', 'First seen (UTC, ISO 8601)', 'Last seen (UTC)', 'Last seen (UTC, ISO 8601)']);
  });

  it('utcExportHeader: the zone in the header replaced by UTC; with the display zone UTC a header of its own', () => {
    assert.equal(utcExportHeader('Time (America/New_York)'), 'Time (UTC)');
    assert.equal(utcExportHeader('Scan start (Etc/GMT+5)'), 'Scan start (UTC)');
    assert.equal(utcExportHeader('Time (UTC)'), 'Time (UTC, ISO 8601)');
    assert.equal(utcExportHeader('When'), 'When (UTC)');
  });

  it('small tables: the Loki Hosts table exports Scan start / Scan end in New York and in UTC', async () => {
    const a = await runLokiAnalysis([LOKI]);
    const t = buildLokiDashboard(a, 'loki', NY).tables.find((x) => x.id === 'hosts')!;
    const back = csvOf(t);
    assert.deepEqual(back[0].slice(-4), ['Scan start (America/New_York)', 'Scan start (UTC)', 'Scan end (America/New_York)', 'Scan end (UTC)']);
    const server1 = back.find((r) => r[0] === 'Server1')!;
    assert.match(server1.at(-3)!, /^2021-10-13T\d\d:\d\d:\d\dZ$/);
    assert.equal(formatTime(Date.parse(server1.at(-3)!), NY), server1.at(-4));
    assert.equal(formatTime(Date.parse(server1.at(-1)!), NY), server1.at(-2));
  });

  it('every small table of the Loki, QRadar and beacon dashboards gives the instants of each of its time columns (no time column exported without its UTC column)', async () => {
    const models: DashboardModel[] = [
      buildLokiDashboard(await runLokiAnalysis([path.join(DATA, 'loki/real-2021-2022')]), 'loki', NY),
      buildQRadarDashboard(await runQRadarRead([path.join(DATA, 'qradar/samples/log_activity_export.csv')], { consoleTimeZone: 'UTC' }), 'q', { zone: NY, escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 }).model,
      buildBeaconDashboard(await runBeaconAnalysis([path.join(DATA, 'zeek/day-2024-04-19')], { parseWorkers: 0 }), 'b', NY),
    ];
    const timeTables: string[] = [];
    for (const m of models)
      for (const t of m.tables)
        for (const col of t.columns.filter((x) => x.type === 'time')) {
          timeTables.push(`${m.kind}.${t.id}.${col.id}`);
          assert.equal(t.exportTimes?.[col.id]?.length, t.rows.length, `${m.kind}.${t.id}.${col.id}: an instant per row`);
          const back = csvOf(t);
          const j = back[0].indexOf(col.title);
          assert.equal(back[0][j + 1], utcExportHeader(col.title), `${m.kind}.${t.id}: the UTC column after ${col.title}`);
          back.slice(1).forEach((r) => assert.equal(r[j + 1] ? formatTime(Date.parse(r[j + 1]), NY) : '', r[j]));
        }
    for (const want of ['loki.hosts.scanStart', 'loki.scanner.time', 'qradar.eventNames.first', 'beacons.strobes.first']) assert.ok(timeTables.includes(want), want);
  });
});
