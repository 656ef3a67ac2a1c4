/**
 * Fixes from the new-user trial and the hostile review of the cases / KPI / tagging area: one
 * `describe` per reported problem, each asserting the corrected values.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeKpis, isClosedCase, isClosedStatus, openCaseCount } from '../../src/core/analyze/kpi';
import type { CaseRecord } from '../../src/core/parse/cases';
import { needsUnicodeFlag, tagRecords, type TaggingConfig } from '../../src/core/analyze/tagging';

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

describe('#7 regular expressions with Unicode-only escapes are compiled with the u flag', () => {
  const recs = (titles: string[]) => titles.map((t, i) => ({ fields: { title: t }, line: i + 2 }));
  test('\\p{…} and \\u{…} match by their Unicode meaning, not as literal text', () => {
    assert.equal(needsUnicodeFlag('^\\p{Lu}{3}-\\d+$'), true);
    assert.equal(needsUnicodeFlag('caf\\u{E9}'), true);
    assert.equal(needsUnicodeFlag('a\\-b'), false);
    assert.equal(needsUnicodeFlag('\\\\p{L}'), false); // an escaped backslash, then the text p{L}
    const cfg: TaggingConfig = {
      rules: [
        { tag: 'Ticket', match: '^\\p{Lu}{3}-\\d+$', type: 'regex', caseSensitive: true },
        { tag: 'Cafe', match: 'caf\\u{E9}', type: 'regex' },
        { tag: 'Dash', match: 'a\\-b', type: 'regex' }, // invalid in u mode: must keep its non-Unicode meaning
        { tag: 'Literal', match: '\\\\p\\{L\\}', type: 'regex' },
      ],
    };
    const r = tagRecords(recs(['ÄBC-12', 'p{Lu}{3}-12', 'Café Wi-Fi down', 'see a-b', 'path \\p{L}']), cfg);
    assert.deepEqual(r.tags, ['Ticket', 'Other', 'Cafe', 'Dash', 'Literal']);
    assert.deepEqual(r.problems, []);
  });
  test('a pattern invalid in u mode is reported, saying why the u flag was used', () => {
    const r = tagRecords(recs(['x']), { rules: [{ tag: 'Bad', match: '\\p{L}\\-', type: 'regex' }] });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^rule 1 \(Bad\): invalid regular expression "\\\\p\{L\}\\\\-" \(compiled with the u flag for its \\p\{…\} \/ \\u\{…\} escapes\): /);
    assert.equal(r.coverage.rules[0].disabled, 'invalid regular expression');
  });
});
