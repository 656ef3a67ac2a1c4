/**
 * QRadar lookup lists (closing reasons, `/analytics/rules`) and offenses' `closing_reason_id`: an id that JSON.parse
 * makes Infinity (`1e400`) was named `(null)` in its problem (JSON.stringify(Infinity) is `null`); in `kpi`'s lookup
 * reader a non-integer id (`1.5`) was taken as an id and Infinity was `no numeric "id"` without its value or record.
 * Now each such entry is a problem naming the file, the record (and its line) and the value; the others are used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQRadarJsonText } from '../../src/core/parse/qradar';
import { readClosingReasons, readRuleNames } from '../../src/core/parse/cases-qradar';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';

const REASONS = `[
  {"id": 2, "text": "False-Positive, Tuned"},
  {"id": 1e400, "text": "Huge id"},
  {"id": 1.5, "text": "Half id"},
  {"id": 1, "text": "Non-Issue"}
]`;
const RULES = `[
  {"id": 100221, "name": "Excessive denies", "origin": "SYSTEM", "type": "EVENT", "enabled": true},
  {"id": -1e400, "name": "Inf rule", "origin": "USER", "type": "EVENT", "enabled": true},
  {"id": 100056.5, "name": "Half rule", "origin": "USER", "type": "EVENT", "enabled": true}
]`;
const offense = (id: number, reason: string) =>
  `{"id": ${id}, "description": "Brute force", "offense_source": "10.0.0.${id}", "status": "CLOSED", "first_persisted_time": 1772438400000, ` +
  `"start_time": 1772438400000, "close_time": 1772442000000, "closing_reason_id": ${reason}, "rules": [{"id": 100221, "type": "CRE_RULE"}]}`;
const OFFENSES = `[\n${offense(1, '2')},\n${offense(2, '1e400')},\n${offense(3, '1.5')}\n]`;

test('qradar: a lookup id or closing_reason_id of 1e400 or 1.5 is a problem naming it as written; the others are used', () => {
  const r = parseQRadarJsonText(REASONS, 'reasons.json');
  assert.deepEqual(r.closingReasons.map((c) => [c.id, c.text]), [[2, 'False-Positive, Tuned'], [1, 'Non-Issue']]);
  assert.deepEqual(
    r.errors.map((e) => `${e.line}: ${e.message}`),
    [
      `3: record 2: field "id": not a finite number (1e400 is beyond JavaScript's range, read as Infinity); skipped`,
      '4: record 3: field "id": not an integer (1.5); skipped',
    ],
  );
  const rules = parseQRadarJsonText(RULES, 'x.rules.json');
  assert.deepEqual(rules.rules.map((x) => [x.id, x.name]), [[100221, 'Excessive denies']]);
  assert.deepEqual(
    rules.errors.map((e) => `${e.line}: ${e.message}`),
    [
      `3: record 2: field "id": not a finite number (-1e400 is beyond JavaScript's range, read as -Infinity); skipped`,
      '4: record 3: field "id": not an integer (100056.5); skipped',
    ],
  );
  const o = parseQRadarJsonText(OFFENSES, 'offenses.json');
  assert.deepEqual(o.offenses.map((x) => [x.id, x.closingReasonId]), [[1, 2], [2, undefined], [3, undefined]]);
  assert.deepEqual(
    o.errors.map((e) => `${e.line}: ${e.message}`),
    [
      `3: record 2: field "closing_reason_id": not a finite number (1e400 is beyond JavaScript's range, read as Infinity); field left empty, offense kept`,
      '4: record 3: field "closing_reason_id": not an integer (1.5); field left empty, offense kept',
    ],
  );
});

test('kpi lookups: an id of 1e400 or 1.5 is left out with its record, line and value; the others name the offenses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-lookup-ids-'));
  const reasons = join(dir, 'offense_closing_reasons.json');
  const rules = join(dir, 'analytics_rules.json');
  writeFileSync(reasons, REASONS);
  writeFileSync(rules, RULES);
  const cr = await readClosingReasons(reasons);
  assert.deepEqual([...cr.map], [[2, 'False-Positive, Tuned'], [1, 'Non-Issue']]);
  assert.deepEqual(
    cr.errors.map((e) => `${e.line}: ${e.message}`),
    [
      `3: closing reasons: record 2 left out ("id" Infinity is no id: a number beyond JavaScript's range, such as 1e400)`,
      '4: closing reasons: record 3 left out ("id" 1.5 is not a whole number)',
    ],
  );
  const rn = await readRuleNames(rules);
  assert.deepEqual([...rn.map], [[100221, 'Excessive denies']]);
  assert.deepEqual(
    rn.errors.map((e) => `${e.line}: ${e.message}`),
    [
      `3: rules: record 2 left out ("id" -Infinity is no id: a number beyond JavaScript's range, such as 1e400)`,
      '4: rules: record 3 left out ("id" 100056.5 is not a whole number)',
    ],
  );
  // a CSV list: the values as written
  const csv = join(dir, 'reasons.csv');
  writeFileSync(csv, 'id,text\n2,Tuned\n1e400,Huge\n1.5,Half\n');
  const cc = await readClosingReasons(csv);
  assert.deepEqual([...cc.map], [[2, 'Tuned']]);
  assert.deepEqual(
    cc.errors.map((e) => `${e.line}: ${e.message}`),
    [`3: closing reasons: left out ("id" "1e400" is no id: a number beyond JavaScript's range)`, '4: closing reasons: left out ("id" "1.5" is not a whole number)'],
  );
  // kpi over the export: the offenses with a readable id are named, the others have no disposition
  const offenses = join(dir, 'offenses.json');
  writeFileSync(offenses, OFFENSES);
  const a = await runKpiAnalysis([offenses], { asOf: Date.parse('2026-03-10T00:00:00Z') });
  assert.deepEqual(a.input.cases.map((c) => c.disposition), ['False-Positive, Tuned', undefined, undefined]);
  assert.deepEqual(a.input.cases[0].rules, ['Excessive denies (100221)']);
  assert.ok(a.errors.some((e) => e.file === offenses && e.line === 3 && e.message.includes('not a finite number (1e400 is beyond')));
});
