/**
 * The KPIs as of a time in the past are the KPIs of that instant (hostile review: cases created after the
 * as-of time, and acknowledgements and closes made after it, still counted). At the as-of time T:
 * - a case created after T is not in the population (no KPI, no count, no tag, no week);
 * - a case closed after T is open at T: backlog and open age, not MTTR, not in the escalation / FP rates;
 * - a case acknowledged after T is not acknowledged at T: not in MTTA, an acknowledge breach once past the target;
 * - SLA breaches are judged at T.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { buildKpiReport, casesAsOf, computeKpis, openCaseCount, openCaseCountAt, type KpiSet } from '../../src/core/analyze/kpi';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { kpiSummaryRows, renderKpiReportMarkdown } from '../../src/core/export/report';
import type { CaseRecord } from '../../src/core/parse/cases';
import { capture } from './cli-capture';
import { val } from './kpi-val';

const ROOT = resolve(__dirname, '../../..');
const CASES = join(ROOT, 'test/fixtures/cases/kpi-small.csv');
const RULES = join(ROOT, 'test/fixtures/cases/tagging.json');
const OFFENSES = resolve(__dirname, '../../../../shared/data/qradar/samples/offenses.json');
const MIN = 60_000;
const H = 60 * MIN;


// Hand-made: each rule visible on one case. As of T; SLA for High: acknowledge 30 min, close 480 min (8 h).
const T = Date.parse('2026-03-05T12:00:00Z');
function kase(id: string, p: Partial<CaseRecord>): CaseRecord {
  return { id, title: `case ${id}`, severity: 'High', rules: ['R1'], file: 'c.csv', line: 2, raw: {}, ...p };
}
const HAND: CaseRecord[] = [
  // closed before T: acknowledged after 10 min, closed after 2 h, a false positive
  kase('A', { created: T - 10 * H, acknowledged: T - 10 * H + 10 * MIN, closed: T - 8 * H, status: 'Closed', disposition: 'False Positive', analyst: 'alice' }),
  // acknowledged (late: 60 min) before T, closed after T → open at T, 6 h old
  kase('B', { created: T - 6 * H, acknowledged: T - 5 * H, closed: T + 2 * H, status: 'Closed', disposition: 'Escalated', analyst: 'bob' }),
  // acknowledged and closed after T → open and not acknowledged at T, 12 h old (past both targets)
  kase('C', { created: T - 12 * H, acknowledged: T + 1 * H, closed: T + 3 * H, status: 'Closed', disposition: 'False Positive', analyst: 'alice' }),
  // created after T → not there at T
  kase('D', { created: T + 1 * H, acknowledged: T + 1 * H + 10 * MIN, closed: T + 2 * H, status: 'Closed', disposition: 'False Positive', analyst: 'bob' }),
  // open now, never acknowledged, 2 h old at T
  kase('E', { created: T - 2 * H, status: 'Open', analyst: 'carol' }),
];
const TAGS = ['Logon', 'AV', 'Logon', 'PortScan', 'Other'];
const SLA = { high: { acknowledgeMinutes: 30, closeMinutes: 480 } };

describe('KPIs as of a past time: the state of the cases at that instant (hand-made cases)', () => {
  const r = buildKpiReport(HAND, TAGS, { zone: 'UTC', asOf: T, sla: SLA });
  const k = r.kpis;

  test('a case created after the as-of time is not counted: 4 cases, its tag and week gone, said in a note', () => {
    assert.equal(r.cases, 4);
    assert.deepEqual(r.asOfCut, { inputCases: 5, createdAfter: 1, closedAfter: 2, acknowledgedAfter: 1, closedWithoutTime: 0 });
    assert.deepEqual(r.tags, [{ tag: 'Logon', count: 2 }, { tag: 'AV', count: 1 }, { tag: 'Other', count: 1 }]);
    assert.deepEqual(val(k, 'volume').totalPerWeek, [4]);
    assert.deepEqual(r.period, { from: T - 12 * H, to: T - 2 * H });
    assert.equal(
      r.notes[0],
      'KPIs at the as-of time: 1 case of the input created after it is left out; 2 cases closed after it count as open (backlog, not MTTR); 1 case acknowledged after it counts as not acknowledged (not in MTTA)',
    );
  });

  test('the open count in the command summary (Results tree) is the backlog at the as-of time: 3, where 1 is open now', () => {
    assert.equal(openCaseCountAt(HAND, T), 3);
    assert.equal(openCaseCount(HAND), 1);
    assert.equal(openCaseCountAt(HAND, T + 10 * H), 1);
  });

  test('closed after the as-of time = open then: backlog of 3 (B, C, E) aged 6 h, 12 h, 2 h; MTTR over A alone', () => {
    const b = val(k, 'backlog');
    assert.equal(b.open, 3);
    assert.deepEqual([b.age!.n, b.age!.median, b.age!.max, b.age!.mean], [3, 6 * H, 12 * H, (20 * H) / 3]);
    assert.deepEqual(b.buckets.map((x) => x.count), [3, 0, 0, 0]);
    const mttr = val(k, 'mttr');
    assert.deepEqual([mttr.n, mttr.median], [1, 2 * H]);
    // the escalation and FP rates count the one case closed by then (A, a false positive); B's "Escalated" came later
    assert.deepEqual([val(k, 'escalationRate').escalated, val(k, 'escalationRate').closed], [0, 1]);
    assert.deepEqual([val(k, 'falsePositiveRate').falsePositives, val(k, 'falsePositiveRate').closed], [1, 1]);
  });

  test('acknowledged after the as-of time = not acknowledged then: MTTA over A (10 min) and B (60 min)', () => {
    const mtta = val(k, 'mtta');
    assert.deepEqual([mtta.n, mtta.median, mtta.min, mtta.max], [2, 35 * MIN, 10 * MIN, 60 * MIN]);
  });

  test('SLA judged at the as-of time: 3 acknowledge breaches (B late; C and E not acknowledged), 0 close breaches, C open past the close target', () => {
    const row = val(k, 'slaBreaches').rows[0];
    assert.deepEqual(
      { cases: row.cases, ackBreaches: row.ackBreaches, unack: row.ackBreachesUnacknowledged, ackChecked: row.ackChecked, closeBreaches: row.closeBreaches, closeChecked: row.closeChecked, openOverdue: row.openOverdue },
      { cases: 4, ackBreaches: 3, unack: 2, ackChecked: 4, closeBreaches: 0, closeChecked: 1, openOverdue: 1 },
    );
  });

  test('workload per analyst and per shift count the state at the as-of time', () => {
    const w = val(k, 'workloadPerAnalyst').analysts.map((a) => [a.analyst, a.cases, a.open, a.closed, a.falsePositives]);
    assert.deepEqual(w, [['alice', 2, 1, 1, 1], ['bob', 1, 1, 0, 0], ['carol', 1, 1, 0, 0]]);
    const s = val(k, 'workloadPerShift');
    assert.equal(s.reduce((a, x) => a + x.created, 0), 4);
    assert.equal(s.reduce((a, x) => a + x.closed, 0), 1);
  });

  test('control: as of a time after every time of the input, all 5 cases count as they are now', () => {
    const now = buildKpiReport(HAND, TAGS, { zone: 'UTC', asOf: T + 24 * H, sla: SLA });
    assert.equal(now.cases, 5);
    assert.deepEqual(now.asOfCut, { inputCases: 5, createdAfter: 0, closedAfter: 0, acknowledgedAfter: 0, closedWithoutTime: 0 });
    assert.equal(val(now.kpis, 'backlog').open, 1);
    assert.equal(val(now.kpis, 'mttr').n, 4);
    assert.equal(val(now.kpis, 'mtta').n, 4);
    assert.ok(!now.notes.some((n) => n.startsWith('KPIs at the as-of time')));
  });

  test('computeKpis alone applies the same cut; the input cases are not changed', () => {
    const kk = computeKpis(HAND, TAGS, { zone: 'UTC', asOf: T, sla: SLA });
    assert.equal(val(kk, 'backlog').open, 3);
    assert.equal(HAND[1].closed, T + 2 * H);
    assert.equal(HAND[2].acknowledged, T + 1 * H);
  });

  test('a closed case without a closed time counts as closed, and the note says when that is unknown', () => {
    const cut = casesAsOf([...HAND, kase('F', { created: T - 3 * H, status: 'Closed' })], [...TAGS, 'Other'], T);
    assert.equal(cut.cut.closedWithoutTime, 1);
    assert.deepEqual(cut.closedAt, [true, false, false, false, true]);
    assert.deepEqual(cut.index, [0, 1, 2, 4, 5]);
  });
});

describe('KPIs as of a past time on the sample case file (test/fixtures/cases/kpi-small.csv, as of 2026-03-05T12:00:00Z)', async () => {
  const asOf = Date.parse('2026-03-05T12:00:00Z');
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf });
  const r = kpiReportOf(a, 'UTC');

  test('C-6 … C-10 (created 9–10 March) are left out; C-5 (closed 18:00) is the one open case, 3 h old', () => {
    assert.equal(r.cases, 5);
    assert.equal(r.asOfCut.createdAfter, 5);
    assert.equal(r.asOfCut.closedAfter, 1);
    const b = val(r.kpis, 'backlog');
    assert.deepEqual([b.open, b.age!.max], [1, 3 * H]);
  });

  test('MTTA over the five acknowledgements (5, 5, 10, 40, 60 min): median 10 min; MTTR over C-1 … C-4 (1, 2, 3, 2 h): median 2 h', () => {
    const mtta = val(r.kpis, 'mtta');
    assert.deepEqual([mtta.n, mtta.median, mtta.mean], [5, 10 * MIN, 24 * MIN]);
    const mttr = val(r.kpis, 'mttr');
    assert.deepEqual([mttr.n, mttr.median, mttr.mean], [4, 2 * H, 2 * H]);
  });

  test('rates over the 4 cases closed by then: FP 2 of 4 (C-1, C-3), escalated 2 of 4 (C-2, C-4 true positive)', () => {
    const fp = val(r.kpis, 'falsePositiveRate');
    assert.deepEqual([fp.falsePositives, fp.closed], [2, 4]);
    const esc = val(r.kpis, 'escalationRate');
    assert.deepEqual([esc.escalated, esc.closed], [2, 4]);
  });

  test('SLA: 1 acknowledge breach (C-5, High, 40 min > 30), no close breach, none open past its close target', () => {
    const t = val(r.kpis, 'slaBreaches').totals;
    assert.deepEqual(t, { ackBreaches: 1, ackBreachesUnacknowledged: 0, closeBreaches: 0, openOverdue: 0 });
  });

  test('the dashboard: its cases table holds the 5 cases counted (C-5 open), its subtitle says the 5 left out', () => {
    const rows = caseRows(a, asOf);
    assert.deepEqual(rows.map((x) => `${x.c.id}:${x.state}`), ['C-1:closed', 'C-2:closed', 'C-3:closed', 'C-4:closed', 'C-5:open']);
    const m = buildKpiDashboard(a, r, 'kpi-small.csv', 'UTC');
    assert.equal(m.totalRows, 5);
    assert.match(m.subtitle ?? '', /^5 cases \(5 more in the input created after the as-of time, left out\), .* — KPIs as of 2026-03-05 12:00:00, times in UTC/);
    assert.equal(m.cards.find((c) => c.id === 'open')?.value, 1);
    assert.equal(m.cards.find((c) => c.id === 'cases')?.value, 5);
  });

  test('the report and the CLI say the same: 5 cases, 5 more left out, the open backlog 1', async () => {
    const md = renderKpiReportMarkdown(r, { title: 't', inputs: [CASES], generatedAt: asOf });
    assert.match(md, /- Cases: 5 \(5 more in the input, created after the as-of time, are left out\)/);
    assert.match(md, /- KPIs as of: 2026-03-05 12:00:00 \(UTC\) — the cases as they stood then/);
    assert.equal(kpiSummaryRows(r).find((x) => x.id === 'backlog')?.value.startsWith('1 open; '), true);
    const c = capture();
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--as-of', '2026-03-05T12:00:00Z'], c.io), 0, c.err());
    assert.match(c.out(), /^5 cases \(case export, columns mapped by the generic case reader\), display zone UTC, KPIs as of 2026-03-05T12:00:00Z\n {2}\(5 more in the input, created after the as-of time, are left out\)\n/);
    assert.match(c.out(), /Open backlog and age: 1 open; /);
    const j = capture();
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--as-of', '2026-03-05T12:00:00Z', '--json'], j.io), 0, j.err());
    const doc = JSON.parse(j.out());
    assert.deepEqual([doc.cases, doc.asOfCut.createdAfter, doc.kpis.backlog.value.open, doc.kpis.mttr.value.n], [5, 5, 1, 4]);
  });
});

describe('KPIs as of a past time on the QRadar sample offenses (shared/data/qradar/samples/offenses.json)', async () => {
  // 2026-03-04T00:00:00Z: offenses 4101 (created 2 March 07:41:14) and 4102 (3 March 13:20:07, closed 4 March 09:09:40) exist
  const asOf = Date.parse('2026-03-04T00:00:00Z');
  const a = await runKpiAnalysis([OFFENSES], { asOf });
  const r = kpiReportOf(a, 'UTC');

  test('2 offenses then, both open (4102 closed later): backlog 2, aged 40.3 h and 10.7 h; no MTTR yet', () => {
    assert.equal(r.cases, 2);
    assert.deepEqual([r.asOfCut.createdAfter, r.asOfCut.closedAfter], [4, 1]);
    const b = val(r.kpis, 'backlog');
    assert.equal(b.open, 2);
    assert.deepEqual([b.age!.min, b.age!.max], [asOf - 1772544007000, asOf - 1772437274000]);
    assert.ok(!r.kpis.mttr.available && /no closed case/.test(r.kpis.mttr.reason), JSON.stringify(r.kpis.mttr));
  });

  test('control: as of 10 March 12:00 every offense exists; 3 open (4104 HIDDEN is not backlog), MTTR over 4102 and 4105', () => {
    const now = kpiReportOf(a, 'UTC', Date.parse('2026-03-10T12:00:00Z'));
    assert.equal(now.cases, 6);
    assert.equal(val(now.kpis, 'backlog').open, 3);
    assert.equal(val(now.kpis, 'mttr').n, 2);
  });
});
