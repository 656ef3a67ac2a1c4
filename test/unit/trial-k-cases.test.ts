/**
 * New-user trial (cases / KPIs), its hostile inputs copied to test/fixtures/trial-k: a case acknowledged / closed
 * before it was created is a problem with file and line, and MTTA / MTTR say why they are n/a truthfully; a truncated
 * JSON case file is a problem with line and column, not a skip.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { kpiSummaryRows, renderKpiReportHtml, renderKpiReportMarkdown } from '../../src/core/export/report';
import { parseTabularText } from '../../src/core/parse/cases-input';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/trial-k');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');

describe('1. cases acknowledged or closed before they were created', () => {
  test('the trial folder: C-3 (formula.csv:4) is a problem naming its times; MTTA / MTTR n/a say why, with its place', async () => {
    const a = await runKpiAnalysis([join(FIX, 'cases')], { asOf: AS_OF });
    const p = a.errors.filter((e) => /times out of order/.test(e.message));
    assert.deepEqual(
      p.map((e) => [e.file.endsWith('formula.csv'), e.line, e.message]),
      [[true, 4, 'times out of order: acknowledged 2026-03-04T08:10:00Z and closed 2026-03-04T09:00:00Z are before created 2026-03-05T08:00:00Z (case "C-3") — left out of MTTA and MTTR']],
    );
    const r = kpiReportOf(a, 'UTC');
    assert.ok(!r.kpis.mttr.available && !r.kpis.mtta.available);
    // was: "no closed case has both created and closed times" (C-3 has both)
    assert.equal(r.kpis.mttr.reason, 'no closed case with a close time after its creation (1 closed before it was created: formula.csv:4)');
    assert.equal(r.kpis.mtta.reason, 'no case with an acknowledgement time after its creation (1 acknowledged before it was created: formula.csv:4)');
    // the dashboard: the problems banner and the cards' tooltips; the report: its KPI rows and problems
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    assert.ok(d.problems?.sample.some((e) => e.line === 4 && /times out of order/.test(e.message)), JSON.stringify(d.problems));
    const card = d.cards.find((c) => c.id === 'mttrMedian')!;
    assert.equal(card.value, 'n/a');
    assert.equal(card.hint, 'n/a: no closed case with a close time after its creation (1 closed before it was created: formula.csv:4)');
    assert.equal(card.tab, 'kpis');
    const meta = { title: 't', inputs: a.input.files, errors: a.errors, generatedAt: AS_OF };
    const md = renderKpiReportMarkdown(r, meta);
    assert.match(md, /unavailable: no closed case with a close time after its creation \(1 closed before it was created: formula\.csv:4\)/);
    assert.match(md, /## Problems with the input \(\d+\)[\s\S]*\| 4 \| times out of order: acknowledged 2026-03-04T08:10:00Z/);
    assert.match(renderKpiReportHtml(r, meta), /times out of order: acknowledged 2026-03-04T08:10:00Z and closed/);
  });

  test('skew.csv: the case is left out of MTTA / MTTR, said with its file:line; the CLI names the problem', async () => {
    const a = await runKpiAnalysis([join(FIX, 'skew.csv')], { asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    assert.ok(r.kpis.mttr.available && r.kpis.mtta.available);
    assert.equal(r.kpis.mttr.value.n, 1);
    assert.equal(r.kpis.mttr.value.excludedNegative, 1);
    assert.deepEqual(r.kpis.mttr.notes, ['1 case with closed before created excluded (skew.csv:2; see the problems)']);
    assert.deepEqual(r.kpis.mtta.notes, ['1 case with acknowledged before created excluded (skew.csv:2; see the problems)']);
    assert.deepEqual(
      a.errors.map((e) => [e.line, e.message]),
      [[2, 'times out of order: acknowledged 2026-03-04T08:10:00Z and closed 2026-03-04T09:00:00Z are before created 2026-03-05T08:00:00Z (case "C-1") — left out of MTTA and MTTR']],
    );
    assert.match(kpiSummaryRows(r).find((x) => x.id === 'mttr')!.value, /median 1 h .*1 case with closed before created excluded \(skew\.csv:2/);
    const c = capture();
    assert.equal(await main(['kpi', join(FIX, 'skew.csv'), '--as-of', '2026-03-10T12:00:00Z', '--seed-rules'], c.io), 0);
    assert.match(c.out() + c.err(), /skew\.csv:2: times out of order: acknowledged 2026-03-04T08:10:00Z/);
  });
});

describe('2. a truncated JSON case file', () => {
  test('bad.json ({"cases": [1,2) is a problem with line and column, not skipped as "no table of records"', async () => {
    const a = await runKpiAnalysis([join(FIX, 'cases')], { asOf: AS_OF });
    assert.deepEqual(a.input.skipped, []);
    const e = a.errors.filter((x) => x.file.endsWith('bad.json'));
    assert.deepEqual(
      e.map((x) => [x.line, x.message]),
      [[0, "damaged JSON (cut short or not valid JSON): line 1, column 15: expected ',' or ']' to close an array, found the end of the file"]],
    );
    // the mapping shown is still the case export's (the damaged file first in the folder has no header)
    assert.equal(a.input.mapping.id, 'Case ID');
    assert.equal(a.filesRead, 2); // formula.csv, odd.csv (headeronly.csv: no cases; bad.json: damaged)
  });
  test('a pretty-printed JSON cut short is JSON (its line), NDJSON stays NDJSON', () => {
    const t = parseTabularText('{\n  "cases": [\n    {"id": 1},\n    {"id": 2\n', 'x.json');
    assert.equal(t.format, 'json');
    assert.match(t.errors[0].message, /^damaged JSON \(cut short or not valid JSON\): line 5, column 1: /);
    const n = parseTabularText('{"id": 1}\n{"id": 2\n{"id": 3}\n', 'x.json');
    assert.equal(n.format, 'ndjson');
    assert.equal(n.rows.length, 2);
  });
});
