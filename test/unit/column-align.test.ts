/**
 * Column alignment is declared with the column (ColumnDef.type / align), not by per-table CSS: every
 * small-table column whose cells are counts or formatted quantities — a rate `28.6%`, a share `80%`, a
 * duration `2.5 h` — is right-aligned with tabular figures like the number columns (UI trial: the KPI
 * dashboard's FP rate, close breach rate and median time to close were left-aligned). Checked on every
 * dashboard built from the test fixtures and the shared sample data.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { alignsRight, type DashboardModel } from '../../src/shared/protocol';
import { num, qty, toColumnDefs, txt } from '../../src/core/analyze/dashboard-kit';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const DATA = path.resolve(__dirname, '../../../../shared/data');

/** A formatted quantity: a number, a rate or share (`28.6%`, `80%`), a duration (`2.5 h`, `< 0.1 min`). */
const QUANTITY = /^(?:< )?-?\d[\d,]*(?:\.\d+)?(?: ?%| (?:s|min|h|d)(?: \d+ (?:h|min|s))?)$/;

/** `table.column` of every small-table column whose cells are all counts or quantities (`–`/empty aside) but that is left-aligned. */
function leftAlignedQuantities(m: DashboardModel): string[] {
  const out: string[] = [];
  for (const t of m.tables)
    t.columns.forEach((c, i) => {
      const cells = t.rows.map((r) => r[i]).filter((v) => v !== null && v !== '' && v !== '–');
      // plain digit strings are identifiers (a rule id, a closing reason id), not quantities
      const quantities = cells.length > 0 && cells.every((v) => typeof v === 'number' || QUANTITY.test(String(v)));
      if (quantities && !alignsRight(c)) out.push(`${m.kind} ${t.id}.${c.id} (${c.title}): ${JSON.stringify(cells.slice(0, 3))}`);
    });
  return out;
}

describe('column alignment: declared by the column definition', () => {
  it('number columns and align: "right" columns align right; text, time and align: "left" columns left', () => {
    assert.equal(alignsRight(num('n', 'N')), true);
    assert.equal(alignsRight(qty('rate', 'FP rate')), true);
    assert.equal(qty('rate', 'FP rate').type, 'text', 'a quantity column still sorts and filters as text');
    assert.equal(alignsRight(txt('host', 'Host')), false);
    assert.equal(alignsRight({ type: 'time' }), false);
    assert.equal(alignsRight({ type: 'number', align: 'left' }), false);
    // a store column's alignment reaches the webview's column definitions
    assert.deepEqual(toColumnDefs([{ id: 'share', title: 'Share', type: 'text', align: 'right', get: () => '1%' }]), [{ id: 'share', title: 'Share', type: 'text', align: 'right' }]);
  });

  it('cases (KPI dashboard): the FP rate, close breach rate and median time to close columns align right', async () => {
    const a = await runKpiAnalysis([path.join(FIX, 'cases/kpi-small.csv')], { sourceZone: 'UTC', rulesPath: path.join(FIX, 'cases/tagging.json') });
    const m = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC');
    const col = (table: string, id: string) => m.tables.find((t) => t.id === table)!.columns.find((c) => c.id === id)!;
    for (const [table, id] of [['fp-rule', 'rate'], ['fp-tag', 'rate'], ['sla', 'rate'], ['analysts', 'ttc']]) assert.equal(alignsRight(col(table, id)), true, `${table}.${id}`);
    // and the counts beside them
    for (const [table, id] of [['fp-rule', 'closed'], ['fp-rule', 'fp'], ['analysts', 'cases'], ['sla', 'overdue']]) assert.equal(alignsRight(col(table, id)), true, `${table}.${id}`);
    // the KPI table's value is a sentence (`28.6% (2 of 7)`, `10 cases in 2 weeks`): it reads from the left
    assert.equal(alignsRight(col('kpis', 'value')), false);
    assert.deepEqual(leftAlignedQuantities(m), []);
  });

  it('QRadar offenses as cases (KPI dashboard) and the QRadar dashboard: no left-aligned quantity column', async () => {
    const files = [path.join(FIX, 'qradar/month-span.json')];
    const closing = path.join(DATA, 'qradar/samples/offense_closing_reasons.json');
    if (existsSync(closing)) files.push(closing);
    const parsed = await runQRadarRead(files, { consoleTimeZone: 'UTC' });
    const q = buildQRadarDashboard(parsed, 'qradar', { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 }).model;
    assert.equal(alignsRight(q.tables.find((t) => t.id === 'noise')!.columns.find((c) => c.id === 'concentration')!), true, 'Top source share');
    assert.deepEqual(leftAlignedQuantities(q), []);
    const samples = path.join(DATA, 'qradar/samples/offenses.json');
    if (existsSync(samples)) {
      const a = await runKpiAnalysis([samples], { sourceZone: 'UTC' });
      assert.deepEqual(leftAlignedQuantities(buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'offenses', 'UTC')), []);
    }
  });

  it('Loki dashboard (test fixtures): no left-aligned quantity column', async () => {
    const a = await runLokiAnalysis([path.join(FIX, 'loki')]);
    assert.deepEqual(leftAlignedQuantities(buildLokiDashboard(a, 'loki', 'UTC')), []);
  });
});
