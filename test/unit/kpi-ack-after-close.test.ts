/**
 * A closed case acknowledged after it was closed: a problem of its file and line (like "acknowledged before created")
 * and left out of MTTA, which counts only acknowledgements between creation and closing (soc-peers-and-kpis.md §4.2:
 * MTTA = alert raised → first human action; closing is one). A reopened case keeping its old closed time may be
 * acknowledged again: neither. Fixtures: test/fixtures/kpi-review/ack-after-close*.csv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const FIX = resolve(__dirname, '../../../test/fixtures/kpi-review');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const MIN = 60_000;

test('ack-after-close.csv: C-2 and C-4 are problems at lines 3 and 5 and left out of MTTA; reopened C-3 stays in', async () => {
  const a = await runKpiAnalysis([join(FIX, 'ack-after-close.csv')], { asOf: AS_OF });
  assert.deepEqual(
    a.errors.map((e) => [e.file.endsWith('ack-after-close.csv'), e.line, e.message]),
    [
      [true, 3, 'times out of order: acknowledged 2026-03-05T10:00:00Z is after closed 2026-03-05T08:30:00Z (case "C-2") — left out of MTTA'],
      [true, 5, 'times out of order: closed 2026-03-04T09:00:00Z is before created 2026-03-05T08:00:00Z; acknowledged 2026-03-05T09:00:00Z is after closed 2026-03-04T09:00:00Z (case "C-4") — left out of MTTA and MTTR'],
    ],
  );
  const r = kpiReportOf(a, 'UTC');
  assert.ok(r.kpis.mtta.available);
  // C-1 (10 min) and C-3 (reopened: 3 h); was n = 4 with C-2 (2 h) and C-4 (1 h)
  assert.equal(r.kpis.mtta.value.n, 2);
  assert.equal(r.kpis.mtta.value.median, (10 * MIN + 180 * MIN) / 2);
  assert.deepEqual(r.kpis.mtta.notes, ['2 cases acknowledged after they were closed excluded (ack-after-close.csv:3, ack-after-close.csv:5; see the problems)']);
  assert.match(r.kpis.mtta.definition, /only acknowledgements between creation and closing/);
  // MTTR is unchanged by it: C-1 and C-2 (C-4 closed before created, C-3 not closed)
  assert.ok(r.kpis.mttr.available);
  assert.equal(r.kpis.mttr.value.n, 2);
  const d = buildKpiDashboard(a, r, 'cases', 'UTC');
  assert.ok(d.problems?.sample.some((e) => e.line === 3 && /is after closed/.test(e.message)), JSON.stringify(d.problems));
  const c = capture();
  assert.equal(await main(['kpi', join(FIX, 'ack-after-close.csv'), '--as-of', '2026-03-10T12:00:00Z', '--seed-rules'], c.io), 0);
  assert.match(c.out() + c.err(), /ack-after-close\.csv:3: times out of order: acknowledged 2026-03-05T10:00:00Z is after closed/);
});

test('ack-after-close-only.csv: MTTA n/a says every acknowledgement came after closing, with its place', async () => {
  const a = await runKpiAnalysis([join(FIX, 'ack-after-close-only.csv')], { asOf: AS_OF });
  const r = kpiReportOf(a, 'UTC');
  assert.ok(!r.kpis.mtta.available);
  assert.equal(r.kpis.mtta.reason, 'no case acknowledged between its creation and its closing (1 acknowledged after it was closed: ack-after-close-only.csv:2)');
  assert.deepEqual(a.errors.map((e) => e.line), [2]);
});

test('ack-after-close.csv: SLA — C-2, acknowledged 2 h after creation but closed at 30 min, is no acknowledge breach (closing acknowledged it)', async () => {
  const a = await runKpiAnalysis([join(FIX, 'ack-after-close.csv')], { asOf: AS_OF });
  const r = kpiReportOf(a, 'UTC');
  assert.ok(r.kpis.slaBreaches.available);
  const high = r.kpis.slaBreaches.value.rows.find((x) => x.severity === 'High')!;
  // High: acknowledge within 30 min. C-1 10 min (no), C-2 closed at 30 min (no; was a breach by its 2 h acknowledgement),
  // C-3 reopened, acknowledged at 3 h (breach), C-4 closed before created: not checked (was counted "within target")
  assert.equal(high.ackChecked, 3);
  assert.equal(high.ackBreaches, 1);
  assert.equal(high.ackBreachesUnacknowledged, 0);
  assert.equal(high.closeChecked, 2); // C-1, C-2; C-4 (closed 23 h before created) is no close "within target"
  assert.ok(r.kpis.slaBreaches.notes?.includes('1 case acknowledged (or, never acknowledged, closed) before it was created: not checked against the acknowledge target (ack-after-close.csv:5; see the problems)'), JSON.stringify(r.kpis.slaBreaches.notes));
  assert.ok(r.kpis.slaBreaches.notes?.includes('1 case closed before it was created: not checked against the close target (ack-after-close.csv:5; see the problems)'), JSON.stringify(r.kpis.slaBreaches.notes));
});

test('a case closed before it was created, never acknowledged, with a close target: neither SLA target is checked; a note says where', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-sla-order-'));
  const f = join(dir, 'cases.csv');
  writeFileSync(
    f,
    [
      'Case ID,Title,Created,Acknowledged,Closed,Owner,Severity,Status',
      'S-1,in order,2026-03-05T08:00:00Z,,2026-03-05T20:00:00Z,bob,High,Closed',
      'S-2,closed a day before created,2026-03-05T08:00:00Z,,2026-03-04T08:00:00Z,bob,High,Closed',
      'S-3,acknowledged before created,2026-03-05T08:00:00Z,2026-03-05T07:00:00Z,2026-03-05T09:00:00Z,bob,High,Closed',
    ].join('\n') + '\n',
  );
  const a = await runKpiAnalysis([f], { asOf: AS_OF });
  const r = kpiReportOf(a, 'UTC');
  assert.ok(r.kpis.slaBreaches.available);
  const high = r.kpis.slaBreaches.value.rows.find((x) => x.severity === 'High')!;
  // default High targets: acknowledge 30 min, close 8 h. S-1: closed (so acknowledged) at 12 h → both breached.
  assert.equal(high.cases, 3);
  assert.equal(high.ackChecked, 1);
  assert.equal(high.ackBreaches, 1);
  assert.equal(high.ackBreachesUnacknowledged, 1);
  assert.equal(high.closeChecked, 2); // S-1 (breach), S-3 (1 h, within); S-2 not checked
  assert.equal(high.closeBreaches, 1);
  assert.deepEqual(
    r.kpis.slaBreaches.notes?.filter((n) => /before (it was|they were) created/.test(n)),
    [
      '2 cases acknowledged (or, never acknowledged, closed) before they were created: not checked against the acknowledge target (cases.csv:3, cases.csv:4; see the problems)',
      '1 case closed before it was created: not checked against the close target (cases.csv:3; see the problems)',
    ],
  );
  assert.match(r.kpis.slaBreaches.definition, /acknowledged or closed before it was created is not checked/);
});
