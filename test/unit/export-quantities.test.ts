/**
 * UI trial (ui-fixes2): a CSV export is for further analysis, so a formatted quantity (a duration shown
 * `2 h`, a rate `33.3%`, a count `1,234`) is exported as a number with its unit in the header
 * (`Median time to close (min)` = 120, `Close breach rate (%)` = 33.3333; empty for n/a), while the
 * dashboard keeps its display text. Formula neutralisation applies as before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { smallTableCsv } from '../../src/core/export/csv';
import { exportHeader, exportValue } from '../../src/core/table/store';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { arielColumns } from '../../src/core/qradar-api/ariel-dashboard';
import { minutesNumber, percentNumber } from '../../src/core/analyze/dashboard-kit';
import type { ArielCounts } from '../../src/core/qradar-api/ariel';
import type { DashboardModel, SmallTable } from '../../src/shared/protocol';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const DATA = path.resolve(__dirname, '../../../../shared/data');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');

const csvOf = (t: SmallTable) => parse(smallTableCsv(t, { bom: true }).slice(1)) as string[][];
/** A formatted quantity as displayed: `2 h`, `< 0.1 min`, `33.3%`, `12.5%`. */
const QUANTITY = /^(?:< )?-?\d[\d,]*(?:\.\d+)?(?: ?%| (?:s|min|h|d)(?: \d+ (?:h|min|s))?)$/;

/** Every cell of every small table that shows a formatted quantity (or `–` in such a column) exports as a number. */
function noQuantityText(m: DashboardModel): string[] {
  const bad: string[] = [];
  for (const t of m.tables) {
    if (t.id === 'kpis') continue; // the KPI summary's value is a sentence (`28.6% (2 of 7)`), not a column of quantities
    const back = csvOf(t);
    back.slice(1).forEach((r, i) =>
      r.forEach((v, j) => {
        if (QUANTITY.test(v) || (v === '–' && t.rows.some((x) => QUANTITY.test(String(x[j]))))) bad.push(`${t.id}[${i}].${t.columns[j].id} = ${v}`);
      }),
    );
  }
  return bad;
}

async function kpiSmall(): Promise<DashboardModel> {
  const a = await runKpiAnalysis([path.join(FIX, 'cases/kpi-small.csv')], { rulesPath: path.join(FIX, 'cases/tagging.json'), asOf: AS_OF });
  return buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC');
}

describe('CSV export of dashboard tables: formatted quantities as numbers, the unit in the header', () => {
  it('the workload table: "Median time to close (min)" = 120 for "2 h", empty for "–"; the dashboard keeps "2 h"', async () => {
    const t = (await kpiSmall()).tables.find((x) => x.id === 'analysts')!;
    const back = csvOf(t);
    assert.deepEqual(back[0], ['Analyst', 'Cases', 'Open', 'Closed', 'False positives', 'Median time to close (min)', 'Counted as']);
    assert.deepEqual(back.slice(1).map((r) => [r[0], r[5]]), [['alice', '120'], ['bob', '120'], ['carol', '120'], ['(unassigned)', '']]);
    assert.deepEqual(t.rows.map((r) => r[5]), ['2 h', '2 h', '2 h', '–']);
    assert.equal(t.columns.find((c) => c.id === 'ttc')!.title, 'Median time to close');
  });

  it('the FP-rate and SLA tables: rates in percent under "(%)"', async () => {
    const m = await kpiSmall();
    const sla = csvOf(m.tables.find((x) => x.id === 'sla')!);
    assert.equal(sla[0][7], 'Close breach rate (%)');
    assert.deepEqual(sla.slice(1).map((r) => [r[0], r[7]]), [['Critical', '0'], ['High', '33.3333'], ['Medium', '0'], ['Low', '0']]);
    const fp = csvOf(m.tables.find((x) => x.id === 'fp-rule')!);
    assert.equal(fp[0][3], 'FP rate (%)');
    assert.deepEqual(fp[1], ['Port Scan', '2', '1', '50']);
    assert.equal(csvOf(m.tables.find((x) => x.id === 'fp-tag')!)[0][3], 'FP rate (%)');
    assert.deepEqual(noQuantityText(m), []);
  });

  it('the QRadar dashboard ("Top source share") and QRadar offenses read as cases: no quantity written as text', async () => {
    const parsed = await runQRadarRead([path.join(FIX, 'qradar/month-span.json')], { consoleTimeZone: 'UTC' });
    const q = buildQRadarDashboard(parsed, 'qradar', { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 }).model;
    const noise = q.tables.find((t) => t.id === 'noise')!;
    const back = csvOf(noise);
    const j = noise.columns.findIndex((c) => c.id === 'concentration');
    assert.equal(back[0][j], 'Top source share (%)');
    assert.ok(back.slice(1).every((r) => /^\d+(\.\d+)?$/.test(r[j])), JSON.stringify(back.slice(1).map((r) => r[j])));
    assert.deepEqual(noQuantityText(q), []);
    const samples = path.join(DATA, 'qradar/samples/offenses.json');
    if (existsSync(samples)) {
      const a = await runKpiAnalysis([samples], { sourceZone: 'UTC' });
      assert.deepEqual(noQuantityText(buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'offenses', 'UTC')), []);
    }
  });

  it('Ariel counts: events and records as numbers (not "1,234"), the share under "Share (%)"', () => {
    const counts = { keyTitle: 'Event name', rows: [{ key: 'a', events: 1234, records: 2, file: 'f', row: 1 }, { key: 'b', events: 766, file: 'f', row: 2 }] } as unknown as ArielCounts;
    const cols = arielColumns(counts);
    const byId = (id: string) => cols.find((c) => c.id === id)!;
    assert.equal(byId('events').format!(counts.rows[0]), '1,234');
    assert.equal(exportValue(byId('events'), counts.rows[0]), 1234);
    assert.equal(exportValue(byId('records'), counts.rows[1]), undefined);
    assert.equal(exportHeader(byId('share')), 'Share (%)');
    assert.equal(byId('share').format!(counts.rows[0]), '61.7%');
    assert.equal(exportValue(byId('share'), counts.rows[0]), 61.7);
    assert.equal(exportHeader(byId('key')), 'Event name');
  });

  it('the number helpers: n/a is null (an empty field), durations in minutes, rates in percent', () => {
    assert.equal(minutesNumber(2 * 3600_000), 120);
    assert.equal(minutesNumber(90_000), 1.5);
    assert.equal(minutesNumber(undefined), null);
    assert.equal(minutesNumber(NaN), null);
    assert.equal(percentNumber(1 / 3), 33.3333);
    assert.equal(percentNumber(0), 0);
    assert.equal(percentNumber(undefined), null);
  });

  it('formula neutralisation stays: a text cell is guarded, an exported number only when negative (as the text -5)', () => {
    const t: SmallTable = {
      id: 'x',
      title: 'x',
      columns: [{ id: 'name', title: '=Name', type: 'text' }, { id: 'ttc', title: 'Time', type: 'text', align: 'right', exportTitle: 'Time (min)' }],
      rows: [['=HYPERLINK("http://x")', '-5 min'], ['@SUM(A1)', '–']],
      exportCells: { ttc: [-5, null] },
    };
    assert.deepEqual(csvOf(t), [["'=Name", 'Time (min)'], [`'=HYPERLINK("http://x")`, "'-5"], ["'@SUM(A1)", '']]);
  });
});
