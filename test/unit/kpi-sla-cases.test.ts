/**
 * Which cases breached their SLA (new-user trial: the cases dashboard counted 2 acknowledge breaches, 1 close breach
 * and 1 case open past its close target, but no card, column or report said which cases). On the documented sample
 * `test/fixtures/cases/kpi-small.csv` as of 2026-03-10T12:00:00Z (its README): C-5 (High: acknowledged after 40 min >
 * 30, resolved after 9 h > 8) and C-7 (Critical, never acknowledged, open past its 4 h close target).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard, caseColumns, caseDetail, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { TableStore } from '../../src/core/table/store';
import { capture } from './cli-capture';
import { val } from './kpi-val';

const ROOT = resolve(__dirname, '../../..');
const CASES = join(ROOT, 'test/fixtures/cases/kpi-small.csv');
const RULES = join(ROOT, 'test/fixtures/cases/tagging.json');
const AS_OF = '2026-03-10T12:00:00Z';

describe('SLA: the cases that breached (kpi-small.csv as of 2026-03-10T12:00:00Z)', async () => {
  const asOf = Date.parse(AS_OF);
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf });
  const r = kpiReportOf(a, 'UTC', asOf);

  test('the report names them with what they breached, where they are, in input order; the totals are theirs', () => {
    const v = val(r.kpis, 'slaBreaches');
    assert.deepEqual(v.totals, { ackBreaches: 2, ackBreachesUnacknowledged: 1, closeBreaches: 1, openOverdue: 1 });
    assert.deepEqual(
      v.breaches.map((b) => [b.id, b.input, b.line, b.kinds]),
      [
        ['C-5', 4, 6, ['acknowledge', 'close']],
        ['C-7', 6, 8, ['acknowledge', 'open past close target']],
      ],
    );
    const n = (k: string) => v.breaches.filter((b) => (b.kinds as string[]).includes(k)).length;
    assert.deepEqual([n('acknowledge'), n('close'), n('open past close target')], [v.totals.ackBreaches, v.totals.closeBreaches, v.totals.openOverdue]);
  });

  test('the dashboard: each SLA card filters the cases table to its cases (the SLA breaches column), the detail says it', () => {
    const rows = caseRows(a, asOf, r);
    const columns = caseColumns('UTC');
    const store = new TableStore(rows, columns);
    const m = buildKpiDashboard(a, r, 'kpi-small.csv', 'UTC');
    const ids = (facet: Record<string, string> | undefined) => {
      const w = store.window({ facets: facet }, 0, 100);
      return w.ids.map((i) => rows[i].c.id);
    };
    const card = (id: string) => m.cards.find((c) => c.id === id)!;
    assert.deepEqual([card('slaAckBreaches').value, card('slaCloseBreaches').value, card('slaOpenOverdue').value], [2, 1, 1]);
    assert.deepEqual(ids(card('slaAckBreaches').facet), ['C-5', 'C-7']);
    assert.deepEqual(ids(card('slaCloseBreaches').facet), ['C-5']);
    assert.deepEqual(ids(card('slaOpenOverdue').facet), ['C-7']);
    const col = columns.findIndex((c) => c.id === 'sla');
    assert.deepEqual(
      store.window({}, 0, 100).rows.map((cells) => cells[col]),
      ['', '', '', '', 'acknowledge, close', '', 'acknowledge, open past close target', '', '', ''],
    );
    const d = caseDetail(rows[4], 4, 'UTC');
    assert.equal(d.fields.find((f) => f.label.startsWith('SLA breaches'))?.value, 'acknowledge, close');
    assert.equal(caseDetail(rows[0], 0, 'UTC').fields.some((f) => f.label.startsWith('SLA breaches')), false, 'nothing said of a case within its targets');
  });

  test('the CLI text report lists them under the SLA table; --json carries them', async () => {
    const c = capture();
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--as-of', AS_OF], c.io), 0);
    assert.match(c.out(), /\n {2}Cases that breached: C-5 \(acknowledge, close\); C-7 \(acknowledge, open past close target\)\n/);
    const j = capture();
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--as-of', AS_OF, '--json'], j.io), 0);
    const doc = JSON.parse(j.out());
    assert.deepEqual(
      doc.kpis.slaBreaches.value.breaches.map((b: { id: string; kinds: string[] }) => `${b.id}:${b.kinds.join('+')}`),
      ['C-5:acknowledge+close', 'C-7:acknowledge+open past close target'],
    );
  });
});
