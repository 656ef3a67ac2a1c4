import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const QRADAR = resolve(ROOT, '../shared/data/qradar/samples');
const ERROR_401 = resolve(QRADAR, 'error_401.json');
const SERVER_MESSAGE = 'No SEC header present in request.';

test('kpi <folder>: a QRadar API error answer (error_401.json) is a problem, as in `qradar`, not a quiet "not a case export" skip', async () => {
  const a = await runKpiAnalysis([QRADAR], { asOf: Date.UTC(2026, 2, 10, 12) });
  const skip = a.input.skipped?.find((k) => k.file === ERROR_401);
  assert.ok(skip?.reason.startsWith(`QRadar API error body: ${SERVER_MESSAGE}`), skip?.reason);
  const problems = a.errors.filter((e) => e.file === ERROR_401);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 0);
  assert.ok(problems[0].message.startsWith('not an export: an error answer of the QRadar API (the request that wrote this file failed; skipped) — QRadar API error body: No SEC header'), problems[0].message);
  assert.equal(a.input.cases.length, 6); // the offenses of offenses.json are still read
});

test('soc-analytics kpi <folder>: the text report and --json name the QRadar API error answer found instead of an export', async () => {
  const c = capture();
  assert.equal(await main(['kpi', QRADAR, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z'], c.io), 0, c.err());
  assert.match(c.out(), /^1 problem; first: error_401\.json:0: not an export: an error answer of the QRadar API .* No SEC header present in request\./m);
  const j = capture();
  assert.equal(await main(['kpi', QRADAR, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], j.io), 0, j.err());
  const doc = JSON.parse(j.out());
  const errs = doc.errors.filter((e: { file: string }) => e.file === ERROR_401);
  assert.equal(errs.length, 1);
  assert.match(errs[0].message, /^not an export: an error answer of the QRadar API/);
});

test('soc-analytics kpi error_401.json (named): no case made of the error body; exit 3 with the API error named', async () => {
  const c = capture();
  assert.equal(await main(['kpi', ERROR_401, '--seed-rules'], c.io), 3);
  assert.match(c.out(), /^0 cases /);
  assert.match(c.out(), /^No cases: error_401\.json: not an export: an error answer of the QRadar API/m);
});
