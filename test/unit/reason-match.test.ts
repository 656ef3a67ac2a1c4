import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentions, mentionsAny } from '../../src/core/analyze/reason-match';
import { classifyReason, DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';

const S = { escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS };

test('closing reasons: a negated fragment does not count (an analyst trial: "Not a false positive" was a false positive)', () => {
  const cases: [string, string][] = [
    // QRadar's built-in reasons and the public lists (qradar.md §3)
    ['False-Positive, Tuned', 'false positive'],
    ['Non-Issue', ''],
    ['Policy Violation', ''],
    ['Escalated to IR ticket', 'escalated'],
    ['True Positive', 'escalated'],
    // negations
    ['Not a false positive', ''],
    ['not a False-Positive', ''],
    ['Not escalated - benign', ''],
    ['Non-escalated', ''],
    ['No true positive found', ''],
    ["Wasn't escalated, false positive", 'false positive'],
    ['False positive - not escalated', 'false positive'],
    // a negation in another clause does not reach the fragment
    ['Not malicious, escalated to IR', 'escalated'],
    ['Benign (not tuned) / false positive', 'false positive'],
    // one plain occurrence is enough
    ['Not a false positive; false positive after review', 'false positive'],
    // words that only contain a negation are not one
    ['Knot false positive', 'false positive'],
    ['Cannot escalate', 'escalated'],
  ];
  assert.deepEqual(cases.map(([r]) => [r, classifyReason(r, S)]), cases);
});

test('mentions: blank fragments never match; case-insensitive; never throws on odd text', () => {
  assert.equal(mentions('anything', ''), false);
  assert.equal(mentions('anything', '   '), false);
  assert.equal(mentions('ESCALATED', 'escalat'), true);
  assert.equal(mentionsAny(undefined, ['x']), false);
  assert.equal(mentionsAny('', ['x']), false);
  assert.equal(mentions('not '.repeat(10_000) + 'x', 'x'), false);
  assert.equal(mentions('( ) [ ] | / , ; : . - x', 'x'), true);
});
