/**
 * Fixes from the third new-user trial (a SOC analyst on the real data in /work/shared/data): one
 * `describe` per reported problem, each asserting the corrected values.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { kpiSummaryRows } from '../../src/core/export/report';
import { val } from './kpi-val';

const ROOT = resolve(__dirname, '../../..');
const DATA = process.env.SOC_SHARED_DATA ?? '/work/shared/data';
const SAMPLES = join(DATA, 'qradar/samples/offenses.json');
const V3 = join(DATA, 'qradar/public/demisto-content-qradar-v3/offenses.json');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const TMP = mkdtempSync(join(tmpdir(), 'soc-kpi-trial3-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('#1 KPIs over several QRadar offense files: a field is missing only when no file has it', () => {
  for (const order of [[V3, SAMPLES], [SAMPLES, V3]]) {
    test(`escalation, false-positive rate and workload from the samples' closed offenses (${order.map((f) => f.split('/').slice(-2, -1)[0]).join(' + ')})`, async () => {
      const a = await runKpiAnalysis(order, { asOf: AS_OF });
      assert.equal(a.input.cases.length, 8);
      assert.deepEqual(a.input.missing, ['acknowledged']);
      assert.equal(a.input.lacking, undefined); // an export with only open offenses lacks no column
      const k = kpiReportOf(a, 'UTC').kpis;
      assert.deepEqual(val(k, 'escalationRate'), { escalated: 0, closed: 2, rate: 0, closedWithoutDisposition: 0 });
      const fp = val(k, 'falsePositiveRate');
      assert.equal(fp.falsePositives, 1);
      assert.equal(fp.closed, 2);
      const w = val(k, 'workloadPerAnalyst');
      assert.deepEqual(w.analysts.map((x) => x.analyst), ['a.okafor', 'j.moreau']);
      assert.equal(w.unassigned?.cases, 5); // the samples' 3 + offenses 15 and 16 (assigned_to null) of the v3 export
      assert.deepEqual(w.automated?.accounts, ['soc.automation']);
    });
  }

  test('a generic file without the analyst and disposition columns: the KPIs count the other file and name it', async () => {
    const lines = readFileSync(join(ROOT, 'test/fixtures/cases/kpi-small.csv'), 'utf8').trimEnd().split('\n');
    const cols = lines[0].split(',');
    const drop = [cols.indexOf('Owner'), cols.indexOf('Disposition')];
    const a1 = join(TMP, 'week1.csv');
    const b1 = join(TMP, 'week2.csv');
    writeFileSync(a1, lines.slice(0, 6).join('\n') + '\n');
    writeFileSync(b1, [lines[0], ...lines.slice(6)].map((l) => l.split(',').filter((_, i) => !drop.includes(i)).join(',')).join('\n') + '\n');
    const whole = kpiReportOf(await runKpiAnalysis([a1], { asOf: AS_OF }), 'UTC').kpis;
    const a = await runKpiAnalysis([a1, b1], { asOf: AS_OF });
    assert.equal(a.input.cases.length, 10);
    assert.ok(!a.input.missing.includes('analyst') && !a.input.missing.includes('disposition'));
    assert.deepEqual(a.input.lacking, { analyst: [b1], disposition: [b1] });
    const r = kpiReportOf(a, 'UTC');
    const k = r.kpis;
    // the same numbers as the first file alone: week2's cases are neither "(unassigned)" nor closed without a disposition
    assert.deepEqual(val(k, 'escalationRate'), val(whole, 'escalationRate'));
    assert.deepEqual(val(k, 'workloadPerAnalyst'), val(whole, 'workloadPerAnalyst'));
    const note = '5 cases of week2.csv not counted: that file has no "analyst" column';
    assert.deepEqual(k.workloadPerAnalyst.available && k.workloadPerAnalyst.notes, [note]);
    assert.deepEqual(k.escalationRate.available && k.escalationRate.notes, ['5 cases of week2.csv not counted: that file has no "disposition" column']);
    assert.match(kpiSummaryRows(r).find((x) => x.id === 'workloadPerAnalyst')!.value, new RegExp(`— ${note}$`));
  });
});

test('a QRadar export of open, unassigned offenses only: the KPIs say so, not "the input has no disposition column" (map it)', async () => {
  const a = await runKpiAnalysis([V3], { asOf: AS_OF });
  const k = kpiReportOf(a, 'UTC').kpis;
  const reason = (x: { available: boolean; reason?: string }) => (x.available ? '' : x.reason);
  assert.equal(reason(k.escalationRate as never), 'no offense of the export has a closing reason (none is closed, or the export left closing_reason_id out)');
  assert.equal(reason(k.workloadPerAnalyst as never), 'no offense of the export is assigned or was closed by someone (assigned_to and closing_user are empty)');
  assert.ok(!kpiSummaryRows(kpiReportOf(a, 'UTC')).some((r) => /column|--map/.test(r.value)), JSON.stringify(kpiSummaryRows(kpiReportOf(a, 'UTC'))));
});

describe('#2 KPI cases of QRadar offenses are told apart by id and start_time, as the qradar analysis does', () => {
  const PUBLIC = join(DATA, 'qradar/public');
  const files = ['demisto-content-qradar-v2', 'demisto-content-qradar-v3', 'elastic-integrations', 'fortisoar-connector-qradar'].map((d) => join(PUBLIC, d, 'offenses.json'));

  test('offense 7 of the elastic export and offense 7 of the fortisoar export are two cases (13, not 12)', async () => {
    const a = await runKpiAnalysis([...files, SAMPLES], { asOf: AS_OF });
    assert.equal(a.input.cases.length, 13);
    const sevens = a.input.cases.filter((c) => c.id === '7');
    assert.deepEqual(sevens.map((c) => [c.file.split('/').slice(-2, -1)[0], c.title]), [
      ['elastic-integrations', 'SOC Insights'],
      ['fortisoar-connector-qradar', 'Multiple Login Failures for the Same User containing An authentication attempt was unsuccessful'],
    ]);
    assert.ok(!a.input.notes.some((n) => /repeat|duplicate/.test(n)), a.input.notes.join('\n'));
    assert.equal(kpiReportOf(a, 'UTC').cases, 13);
  });

  test('a true duplicate (offense 16 in the v3 list and its update response) is one case, with the note', async () => {
    const v3 = join(PUBLIC, 'demisto-content-qradar-v3');
    const a = await runKpiAnalysis([join(v3, 'offenses.json'), join(v3, 'offense_update_response.json')], { asOf: AS_OF });
    assert.deepEqual(a.input.cases.map((c) => c.id), ['16', '15']);
    // same last_updated_time: the copy of the later file in path order (offenses.json, though given first), as the
    // qradar analysis of the folder keeps
    assert.equal(a.input.cases[0].file, join(v3, 'offenses.json'));
    assert.equal(a.input.cases[0].raw.offense_source, '39.116.161.122');
    const note = a.input.notes.find((n) => n.startsWith('1 duplicate offense (same id and start_time) kept once: offense 16 '));
    assert.ok(note, a.input.notes.join('\n'));
  });

  test('one export given twice: each offense once, read once (the second path skipped as already listed, said in a note)', async () => {
    const v3 = join(PUBLIC, 'demisto-content-qradar-v3', 'offenses.json');
    const a = await runKpiAnalysis([v3, v3], { asOf: AS_OF });
    assert.deepEqual(a.input.cases.map((c) => c.id), ['16', '15']);
    assert.deepEqual(a.input.files, [v3]);
    assert.equal(a.input.notes[0], '1 file skipped — already listed (read once: the same file was named and found in a folder given, or given twice): offenses.json');
    assert.ok(!a.input.notes.some((n) => /duplicate offense/.test(n)), a.input.notes.join('\n'));
  });
});

test('MTTR beside the cases people closed: soc.automation closed offense 4105 in seconds (trial) — value, note, report row', async () => {
  const a = await runKpiAnalysis([SAMPLES], { asOf: AS_OF });
  const r = kpiReportOf(a, 'UTC');
  const m = val(r.kpis, 'mttr');
  assert.deepEqual([m.n, m.automatedCloses, m.withoutAutomation?.n], [2, 1, 1]);
  assert.ok(m.min < 60_000, String(m.min)); // the playbook's close
  assert.equal(m.withoutAutomation?.median, m.max); // what is left: the analyst's close
  const row = kpiSummaryRows(r).find((x) => x.id === 'mttr')!;
  assert.match(row.value, / — 1 case closed by automation accounts included; without it: median 19 h 50 min · p90 19 h 50 min · mean 19 h 50 min \(n = 1\)$/);
  // with no automation accounts configured, the playbook is an analyst like any other: nothing is said
  const none = val(kpiReportOf(await runKpiAnalysis([SAMPLES], { asOf: AS_OF, automationAccounts: [] }), 'UTC').kpis, 'mttr');
  assert.deepEqual([none.automatedCloses, none.withoutAutomation], [undefined, undefined]);
});
