/**
 * New-user trial: with the display zone America/New_York the KPI Cases table showed `2026-03-02 03:00:00` and
 * `2026-03-09 03:00:00` across the clock change (08:00 and 07:00 UTC), only the header naming the zone. A time column
 * whose times are at more than one UTC offset now carries the offset in its cells (`2026-03-09 03:00:00 -04:00`), in
 * the big tables and the small tables of every dashboard (core/table/zone-offsets.ts, applied by DashboardPanel).
 */
import { panels } from './vscode-stand-in';
import { describe, test, afterEach } from 'node:test';
import type * as vscodeTypes from 'vscode';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { formatTimeWithOffset, offsetText, OFFSET_WIDTH_PX, showZoneOffsets, spansOffsets, withOffset } from '../../src/core/table/zone-offsets';
import { cellText, TableStore } from '../../src/core/table/store';
import { formatTime } from '../../src/core/time';
import { runKpiAnalysis, kpiReportOf } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard, caseColumns, caseRows, hasAcknowledgedTimes } from '../../src/core/analyze/kpi-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import type { DashboardModel, SmallTable } from '../../src/shared/protocol';

const NY = 'America/New_York';
const FIX = join(resolve(__dirname, '../../..'), 'test/fixtures/cases');
const LOKI = join(resolve(__dirname, '../../../../shared/data'), 'loki/real-2021-2022/scan_result (3).log');
const ms = (iso: string) => Date.parse(iso);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
afterEach(() => DashboardPanel.disposeAll());
const tick = (t = 0) => new Promise((r) => setTimeout(r, t));

describe('the formatter: the offset where a column spans more than one', () => {
  test('offsetText: ISO 8601 ±HH:MM', () => {
    assert.deepEqual([-240, -300, 0, 330, 345, -570].map(offsetText), ['-04:00', '-05:00', '+00:00', '+05:30', '+05:45', '-09:30']);
  });

  test('a DST-spanning set in New York spans offsets; a set within one offset, UTC and fixed offsets do not', () => {
    const spring = [ms('2026-03-02T08:00:00Z'), ms('2026-03-09T07:00:00Z')];
    assert.equal(spansOffsets(spring, NY), true);
    assert.equal(spansOffsets([spring[0], ms('2026-03-05T09:00:00Z'), null, undefined, NaN], NY), false);
    assert.equal(spansOffsets(spring, 'UTC'), false);
    assert.equal(spansOffsets(spring, 'UTC-05:00'), false);
    assert.equal(spansOffsets(spring, 'Asia/Kolkata'), false);
    assert.equal(spansOffsets([], NY), false);
    // the trial's two cells: the same wall time, an hour apart in UTC
    assert.deepEqual(spring.map((t) => formatTimeWithOffset(t, NY)), ['2026-03-02 03:00:00 -05:00', '2026-03-09 03:00:00 -04:00']);
    // the fall-back hour that occurs twice: two texts now
    const twice = [ms('2026-11-01T05:30:00Z'), ms('2026-11-01T06:30:00Z')];
    assert.equal(formatTime(twice[0], NY), formatTime(twice[1], NY));
    assert.deepEqual(twice.map((t) => formatTimeWithOffset(t, NY)), ['2026-11-01 01:30:00 -04:00', '2026-11-01 01:30:00 -05:00']);
    assert.equal(withOffset('', spring[0], NY), '');
    assert.equal(withOffset('x', null, NY), 'x');
  });

  test('KPI Cases in New York (cases 2026-03-02 … 03-10): Created carries the offset, sorts by the instant, filters find it; in UTC nothing changes', async () => {
    const a = await runKpiAnalysis([join(FIX, 'kpi-small.csv')], { rulesPath: join(FIX, 'tagging.json'), asOf: ms('2026-03-10T12:00:00Z') });
    for (const zone of [NY, 'UTC']) {
      const report = kpiReportOf(a, zone);
      const rows = caseRows(a, a.asOf, report);
      const columns = caseColumns(zone, a.options.automationAccounts, hasAcknowledgedTimes(a));
      const model = buildKpiDashboard(a, report, 'kpi-small.csv', zone);
      const width = model.columns.find((c) => c.id === 'created')!.width!;
      const store = new TableStore(rows, columns);
      const done = showZoneOffsets(columns, rows, model, zone);
      const created = columns.find((c) => c.id === 'created')!;
      const texts = rows.map((r) => cellText(created, r));
      if (zone === 'UTC') {
        assert.deepEqual(done, []);
        assert.ok(texts.includes('2026-03-02 08:00:00'));
        continue;
      }
      assert.ok(done.includes('.created'), done.join());
      assert.ok(texts.includes('2026-03-02 03:00:00 -05:00') && texts.includes('2026-03-09 03:00:00 -04:00'), texts.join(' | '));
      assert.equal(model.columns.find((c) => c.id === 'created')!.width, width + OFFSET_WIDTH_PX);
      // sorting by the instant, a text filter on the offset
      const w = store.window({ sort: { column: 'created', dir: 'asc' } }, 0, 100);
      const shown = w.rows.map((r) => r[w.rows[0].length === columns.length ? columns.indexOf(created) : 0]);
      assert.deepEqual(shown, [...texts].sort((x, y) => Date.parse(x.slice(0, 19).replace(' ', 'T') + x.slice(19).trim()) - Date.parse(y.slice(0, 19).replace(' ', 'T') + y.slice(19).trim())));
      assert.equal(store.matching({ columnFilters: { created: '-04:00' } }).length, texts.filter((t) => t.endsWith('-04:00')).length);
      // a column whose times are all on one side of the change stays as it was (none here: every time column spans)
    }
  });

  test('small tables: a time column spanning offsets gets them (rows copied), one that does not is unchanged; Loki 2021-10-13 in New York: no offsets', async () => {
    const table: SmallTable = {
      id: 'hosts',
      title: 'Hosts',
      columns: [
        { id: 'host', title: 'Host', type: 'text' },
        { id: 'start', title: `Scan start (${NY})`, type: 'time', width: 168 },
        { id: 'end', title: `Scan end (${NY})`, type: 'time', width: 168 },
      ],
      rows: [
        ['a', formatTime(ms('2026-03-02T08:00:00Z'), NY), formatTime(ms('2026-03-02T09:00:00Z'), NY)],
        ['b', formatTime(ms('2026-03-09T07:00:00Z'), NY), null],
      ],
      exportTimes: { start: [ms('2026-03-02T08:00:00Z'), ms('2026-03-09T07:00:00Z')], end: [ms('2026-03-02T09:00:00Z'), null] },
    };
    const before = table.rows;
    const model = { columns: [], tables: [table] } as unknown as DashboardModel;
    assert.deepEqual(showZoneOffsets([], [], model, NY), ['hosts.start']);
    assert.deepEqual(table.rows, [
      ['a', '2026-03-02 03:00:00 -05:00', '2026-03-02 04:00:00'],
      ['b', '2026-03-09 03:00:00 -04:00', null],
    ]);
    assert.equal(before[0][1], '2026-03-02 03:00:00', 'the rows given are not changed');
    assert.deepEqual([table.columns[1].width, table.columns[2].width], [168 + OFFSET_WIDTH_PX, 168]);

    const l = await runLokiAnalysis([LOKI]);
    const cols = lokiFindingColumns(NY, l.files, l.rules);
    const m = buildLokiDashboard(l, 'loki', NY);
    assert.deepEqual(showZoneOffsets(cols, l.findings, m, NY), []);
  });
});

describe('the dashboard panel gives the offsets', () => {
  test('KPI Cases in New York through DashboardPanel: the model widens Created, the rows posted carry the offset', async () => {
    const a = await runKpiAnalysis([join(FIX, 'kpi-small.csv')], { rulesPath: join(FIX, 'tagging.json'), asOf: ms('2026-03-10T12:00:00Z') });
    const report = kpiReportOf(a, NY);
    const rows = caseRows(a, a.asOf, report);
    const columns = caseColumns(NY, a.options.automationAccounts, hasAcknowledgedTimes(a));
    const source: DashboardSource = {
      panelTitle: 'Cases',
      model: buildKpiDashboard(a, report, 'kpi-small.csv', NY),
      rows,
      columns: columns as DashboardSource['columns'],
      store: new TableStore(rows, columns) as DashboardSource['store'],
      detail: () => ({}) as never,
      exportName: 'kpi-cases.csv',
      rowNoun: 'cases',
    };
    const host: PanelHost = { getSource: async () => source, displayZone: () => NY, log: () => undefined };
    DashboardPanel.show(vscode.Uri.file('/ext'), host, 'kpi-offsets');
    const w = panels[panels.length - 1];
    w.send({ type: 'ready' }, 1);
    for (let i = 0; i < 500 && !w.posted.some((m) => m.body.type === 'model'); i++) await tick(10);
    const model = w.posted.find((m) => m.body.type === 'model')!.body as unknown as { model: DashboardModel };
    assert.equal(model.model.columns.find((c) => c.id === 'created')!.width, 168 + OFFSET_WIDTH_PX);
    w.send({ type: 'query', query: { sort: { column: 'created', dir: 'asc' } }, offset: 0, limit: 50, columns: ['id', 'created'] } as never, 2);
    for (let i = 0; i < 500 && !w.posted.some((m) => m.body.type === 'rows'); i++) await tick(10);
    const posted = JSON.stringify(w.posted.find((m) => m.body.type === 'rows')!.body);
    assert.match(posted, /2026-03-02 03:00:00 -05:00/);
    assert.match(posted, /2026-03-09 03:00:00 -04:00/);
  });
});
