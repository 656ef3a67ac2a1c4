import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const OFFENSES = resolve(ROOT, '../shared/data/qradar/samples/offenses.json');
const CASES = join(ROOT, 'test/fixtures/cases/kpi-small.csv');
const AS_OF = Date.UTC(2026, 2, 10, 12);

test('QRadar offenses and a generic case file in one run: source mixed, each case and file keeps its own kind', async () => {
  const a = await runKpiAnalysis([CASES, OFFENSES], { asOf: AS_OF });
  assert.equal(a.input.source, 'mixed');
  assert.deepEqual(a.input.fileSources, { [CASES]: 'generic', [OFFENSES]: 'qradar-offenses' });
  assert.equal(a.input.cases.filter((c) => c.source === 'generic' && c.file === CASES).length, 10);
  assert.equal(a.input.cases.filter((c) => c.source === 'qradar-offenses' && c.file === OFFENSES).length, 6);
  // QRadar keeps no acknowledgement time: the offenses file lacks it beside the CSV that has it
  assert.deepEqual(a.input.lacking, { acknowledged: [OFFENSES] });
  const r = kpiReportOf(a, 'UTC');
  const lacking = '6 cases of offenses.json not counted: that file has no "acknowledged" column';
  assert.ok(r.kpis.mtta.available && r.kpis.mtta.notes?.includes(lacking), JSON.stringify(r.kpis.mtta));
  assert.ok(r.kpis.slaBreaches.available);
  // the offenses are not "never acknowledged" breaches: only the CSV's C-5 (late) and C-7 (never acknowledged)
  assert.deepEqual({ ack: r.kpis.slaBreaches.value.totals.ackBreaches, never: r.kpis.slaBreaches.value.totals.ackBreachesUnacknowledged }, { ack: 2, never: 1 });
  assert.ok(r.kpis.slaBreaches.notes?.includes(`acknowledge targets: ${lacking}`));
});

test('one kind of input: source generic or qradar-offenses as before, nothing lacking', async () => {
  const g = await runKpiAnalysis([CASES], { asOf: AS_OF });
  assert.equal(g.input.source, 'generic');
  assert.equal(g.input.lacking, undefined);
  const q = await runKpiAnalysis([OFFENSES], { asOf: AS_OF });
  assert.equal(q.input.source, 'qradar-offenses');
  assert.equal(q.input.lacking, undefined);
  assert.ok(q.input.missing.includes('acknowledged'));
  assert.ok(q.input.cases.every((c) => c.source === 'qradar-offenses'));
});

test('soc-analytics kpi with both kinds: the text and --json say mixed, with each file\'s kind', async () => {
  const c = capture();
  assert.equal(await main(['kpi', CASES, OFFENSES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], c.io), 0, c.err());
  const doc = JSON.parse(c.out());
  assert.equal(doc.source, 'mixed');
  assert.deepEqual(doc.fileSources, { [CASES]: 'generic', [OFFENSES]: 'qradar-offenses' });
  assert.deepEqual(doc.lacking, { acknowledged: [OFFENSES] });
  const t = capture();
  assert.equal(await main(['kpi', CASES, OFFENSES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z'], t.io), 0);
  assert.match(t.out(), /^16 cases \(mixed: 1 case export \(generic case reader\), 1 QRadar offenses file\), display zone UTC/);
});
