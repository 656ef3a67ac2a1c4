import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { summarizeQRadar, DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

test('rules: closed, false-positive and escalated offenses per rule (the tuning question), recomputed from the raw sample', async () => {
  // independent recomputation from offenses.json + offense_closing_reasons.json
  const offenses = JSON.parse(readFileSync(resolve(SAMPLES, 'offenses.json'), 'utf8')) as { status: string; closing_reason_id?: number; rules?: { id: number }[] }[];
  const reasons = new Map((JSON.parse(readFileSync(resolve(SAMPLES, 'offense_closing_reasons.json'), 'utf8')) as { id: number; text: string }[]).map((r) => [r.id, r.text]));
  const want = new Map<number, [number, number, number]>();
  for (const o of offenses)
    for (const id of new Set((o.rules ?? []).map((r) => r.id))) {
      const e = want.get(id) ?? [0, 0, 0];
      e[0]++;
      if (o.status === 'CLOSED') e[1]++;
      if (/false.positive/i.test(reasons.get(o.closing_reason_id ?? -1) ?? '')) e[2]++;
      want.set(id, e);
    }
  const p = await runQRadarRead([SAMPLES]);
  const sum = summarizeQRadar(p, settings);
  assert.deepEqual(new Map(sum.byRule.map((r) => [r.ruleId, [r.count, r.closed, r.falsePositive]])), want);
  assert.deepEqual(sum.byRule.filter((r) => r.falsePositive > 0).map((r) => r.ruleId).sort(), [100056, 100813]); // 4102, False-Positive, Tuned
  // the dashboard's Rules table: the columns and the rate of the closed
  const t = buildQRadarDashboard(p, 'QRadar samples', settings, sum).model.tables.find((x) => x.id === 'rules')!;
  // the sample's rules[] carry no names and no rules list is beside it: no Name column (it was empty on every row,
  // unexplained: new-user trial, 2026-12-07), and the line above the table says why
  assert.deepEqual(t.columns.map((c) => c.title), ['Rule id', 'Type', 'Offenses', 'Descriptions', 'Closed', 'False positives', 'False-positive rate (closed)', 'Escalated']);
  assert.equal(t.description, "No rule has a name in the data (shown by id): names come from the offenses' rules[] or an /analytics/rules export analyzed with the offenses");
  const row = t.rows.find((r) => r[0] === '100056')!;
  assert.deepEqual(row, ['100056', 'CRE_RULE', 1, 1, 1, 1, '100%', 0]);
  assert.equal(t.rows.find((r) => r[0] === '100221')![6], null); // no closed offense: no rate
  // the CLI text: a Rules section
  const c = capture();
  assert.equal(await main(['qradar', SAMPLES, '--console-tz', 'UTC'], c.io), 0);
  assert.match(c.out(), /\nRules \(offenses per rule; false positives of the closed\)\nOFFENSES {2}CLOSED {2}FP {2}FP RATE {2}ESCALATED {2}RULE\n/);
  assert.match(c.out(), /\n {7}1 {7}1 {3}1 {5}100% {10}0 {2}100056\n/);
});
