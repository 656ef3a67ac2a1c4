/**
 * Workspace trust, core side (issue #8): in Restricted Mode the extension runs the cases job with
 * `regexRulesDisabled` (src/extension/kinds/kpi.ts): the workspace's `regex` tagging rules are not
 * run and each is reported with the explanation; substring rules still tag. Real data: the
 * hand-computed case file test/fixtures/cases/kpi-small.csv (10 cases).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';

const CASES = path.resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-trust-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));
const RULES = path.join(TMP, 'tagging.json');
// the regex rule comes first: when run, it tags every title with "log…n" (login/logon)
fs.writeFileSync(RULES, JSON.stringify({ rules: [{ tag: 'ReTag', match: 'log.n', type: 'regex' }, { tag: 'Logon', match: ['logon', 'login'] }, { tag: 'AV', match: 'malware' }] }));
const count = (tags: string[], t: string) => tags.filter((x) => x === t).length;

test('trusted: the workspace regex rule runs', async () => {
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: Date.UTC(2026, 2, 10) });
  assert.equal(a.input.cases.length, 10);
  assert.equal(count(a.tagging.tags, 'ReTag'), 2);
  assert.equal(count(a.tagging.tags, 'Logon'), 0);
  assert.equal(a.errors.length, 0);
});

test('Restricted Mode: the regex rule is not run and is reported with the explanation; substring rules still tag', async () => {
  const why = 'user-supplied regular expressions are disabled in Restricted Mode';
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: Date.UTC(2026, 2, 10), regexRulesDisabled: why });
  assert.equal(a.input.cases.length, 10);
  assert.equal(count(a.tagging.tags, 'ReTag'), 0);
  assert.equal(count(a.tagging.tags, 'Logon'), 2);
  assert.equal(count(a.tagging.tags, 'AV'), 1);
  assert.deepEqual(a.errors, [{ file: RULES, line: 1, message: `rule 1 ("ReTag", line 1): regular expression not run — ${why}` }]);
  // still listed in the coverage report, disabled with the reason
  assert.deepEqual(a.tagging.coverage.rules[0], { index: 0, tag: 'ReTag', matches: 0, wins: 0, disabled: 'not run in Restricted Mode (regular expression from an untrusted workspace)' });
  // the built-in seed rules are ours, not the workspace's: they are not affected
  const seed = await runKpiAnalysis([CASES], { asOf: Date.UTC(2026, 2, 10), regexRulesDisabled: why });
  assert.equal(seed.errors.length, 0);
});
