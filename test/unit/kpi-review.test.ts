/**
 * Fixes from the new-user trial and the hostile review of the cases / KPI / tagging area: one
 * `describe` per reported problem, each asserting the corrected values.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeKpis, isClosedCase, isClosedStatus, openCaseCount } from '../../src/core/analyze/kpi';
import type { CaseRecord } from '../../src/core/parse/cases';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;
/** A case with defaults (file c.csv, line 2+). */
function kase(p: Partial<CaseRecord>, i = 0): CaseRecord {
  return { title: `case ${i + 1}`, rules: [], file: 'c.csv', line: i + 2, raw: {}, ...p };
}

describe('#8 case state: the status must mean closed, not merely mention it', () => {
  test('closing statuses, with qualifiers, are closed', () => {
    for (const s of ['Closed', 'CLOSED', 'closed - false positive', 'Closed (duplicate)', 'Resolved: fixed', 'resolved', 'Auto-closed', 'auto_closed', 'Done', 'completed', 'Complete', 'Dismissed', 'close'])
      assert.equal(isClosedStatus(s), true, s);
  });
  test('statuses that only mention closing are open', () => {
    for (const s of ['Not closed', 'Reopened after close', 'Re-opened (was closed)', 'Closed, reopened', 'Unresolved', 'Not resolved', 'Pending close', 'Close requested', 'Awaiting closure', 'Open', 'In progress', 'OPEN'])
      assert.equal(isClosedStatus(s), false, s);
  });
  test('KPIs: "Not closed" and "Reopened after close" cases are backlog, not closures', () => {
    const cases = [
      kase({ status: 'Not closed', created: T0, disposition: 'False Positive' }, 0),
      kase({ status: 'Reopened after close', created: T0, closed: T0 + H, disposition: 'False Positive' }, 1),
      kase({ status: 'Closed - False Positive', created: T0, closed: T0 + 2 * H, disposition: 'False Positive' }, 2),
    ];
    assert.deepEqual(cases.map(isClosedCase), [false, false, true]);
    assert.equal(openCaseCount(cases), 2);
    const k = computeKpis(cases, ['A', 'A', 'A'], { zone: 'UTC', asOf: T0 + 10 * H });
    assert.ok(k.backlog.available && k.falsePositiveRate.available);
    assert.equal(k.backlog.value.open, 2);
    assert.equal(k.falsePositiveRate.value.closed, 1);
    assert.equal(k.falsePositiveRate.value.falsePositives, 1);
  });
});
