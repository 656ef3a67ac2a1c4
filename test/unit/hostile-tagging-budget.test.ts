/**
 * Hostile review of tagging: a regular expression that stays under the per-record time bound on every
 * record (quadratic, not exponential) still cost that much on each of them — 50 ms × 100,000 cases is
 * over an hour. A rule's slow evaluations have a total budget; past it the rule is disabled and reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tagRecords } from '../../src/core/analyze/tagging';

test('a regex slow on every record (under the per-record bound) is disabled once its total time is over the budget', () => {
  // `a*b` on a run of `a`s without `b` is quadratic: a few ms per 3,000-character title, never 1 s. Every 4th title
  // ends in `b` (still quadratic to reach it; then a match), so which records the rule was evaluated on shows.
  const title = 'a'.repeat(3000);
  const records = Array.from({ length: 200 }, (_, i) => ({ fields: { title: `${title} login ${i}${i % 4 === 3 ? ' b' : ''}` }, line: i + 2 }));
  const r = tagRecords(
    records,
    { rules: [{ tag: 'Slow', type: 'regex', match: 'a*b' }, { tag: 'Logon', match: 'login' }] },
    { batchTimeoutMs: 20, evalTimeoutMs: 1000, ruleBudgetMs: 100 },
  );
  const slow = r.coverage.rules[0];
  assert.match(slow.disabled ?? '', /in total/, JSON.stringify(slow));
  const p = r.problems.find((x) => x.rule === 0 && x.severity === 'error');
  assert.ok(p && /rule 1 \(Slow\).*in total.*disabled/.test(p.message), JSON.stringify(r.problems));
  assert.ok(p.line !== undefined && p.line > 2, 'the record where the budget ran out is named');
  // the budget (product time, 100 ms) runs out after a few dozen records: past that record the rule is no longer
  // evaluated (a budget reported but not enforced would still tag the later `b` titles Slow), up to it it was
  const last = p.line;
  const withB = records.filter((x) => x.fields.title.endsWith(' b'));
  assert.ok(withB.some((x) => x.line > last), `the budget ran out at line ${last}, after every title ending in b`);
  assert.deepEqual(
    withB.map((x) => `${x.line} ${r.tags[x.line - 2]}`),
    withB.map((x) => `${x.line} ${x.line <= last ? 'Slow' : 'Logon'}`),
  );
  // the other rules still tag every record
  assert.equal(r.coverage.rules[1].matches, 200);
});

test('fast regular expressions are not affected by the budget', () => {
  const records = Array.from({ length: 2000 }, (_, i) => ({ fields: { title: `Login failure ${i}` }, line: i + 2 }));
  const r = tagRecords(records, { rules: [{ tag: 'Logon', type: 'regex', match: '^login\\s+fail' }] }, { ruleBudgetMs: 1 });
  assert.equal(r.coverage.rules[0].disabled, undefined);
  assert.equal(r.tags.filter((t) => t === 'Logon').length, 2000);
});
