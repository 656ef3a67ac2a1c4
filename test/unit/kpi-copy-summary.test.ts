/**
 * *Copy Summary as Markdown* on a cases (KPI) analysis (user trial 2026-12-06: the Results tree's cases analysis had no
 * summary to copy — "this dashboard has no Markdown summary"): the cases kind now has one, {@link kpiMarkdown} — the
 * KPI values of the dashboard's cards and the top tags, with a pointer to *SOC: Generate KPI Report…* for the full
 * report. Values checked against test/fixtures/cases/kpi-small.csv (10 cases, read by hand).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { kpiMarkdown } from '../../src/core/export/markdown-summary';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const AS_OF = Date.parse('2026-03-31T00:00:00Z');

test('the cases summary: inputs, as-of, cases, one row per KPI, top tags and where the full report is', async () => {
  const a = await runKpiAnalysis([path.join(FIX, 'cases/kpi-small.csv')], { rulesPath: path.join(FIX, 'cases/tagging.json'), asOf: AS_OF });
  const md = kpiMarkdown(kpiReportOf(a, 'UTC'), a.input, { zone: 'UTC', title: 'kpi-small.csv' });
  const lines = md.split('\n');
  assert.equal(lines[0], '# Cases KPI summary: kpi-small.csv');
  assert.ok(lines.includes('- As of: 2026-03-31 00:00 UTC'));
  // 10 rows, created C-1 2026-03-02T08:00Z … C-10 2026-03-10T10:00Z
  assert.ok(lines.includes('- Cases: 10 (created 2026-03-02 08:00 UTC – 2026-03-10 10:00 UTC)'));
  // closed: C-1,2,3,4,5,8,9 (7); escalated C-2 (Escalated), C-4 (True Positive); false positives C-1,3,5,9
  assert.ok(lines.includes('| Escalation rate | 28.6% (2 of 7) |'), md);
  assert.ok(lines.includes('| False-positive rate | 57.1% (4 of 7) |'), md);
  // open at the as-of time: C-6, C-7, C-10; C-7 and C-10 were never acknowledged
  assert.match(md, /\n\| Open backlog and age \| 3 open; age /);
  assert.match(md, /\n\| SLA breaches per severity \| 3 acknowledge breaches \(2 never acknowledged\)/);
  // a row per KPI (volume, escalation, false positives, MTTA, MTTR, analyst, shift, SLA, backlog)
  assert.equal(md.slice(md.indexOf('## KPIs'), md.indexOf('## Top tags')).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| KPI') && !l.startsWith('| ---')).length, 9);
  // first matching rule wins: Logon C-1 (login), C-4 (login); Other (no rule) C-9, C-10; one each for the rest
  const tags = md.slice(md.indexOf('## Top tags')).split('\n').filter((l) => /^\| (?!Tag|---)/.test(l));
  assert.deepEqual(tags, ['| Logon | 2 |', '| Other | 2 |', '| AV | 1 |', '| MaliciousIP | 1 |', '| OpenSSL | 1 |', '| PortScan | 1 |', '| SQLInjection | 1 |', '| UserEvents | 1 |']);
  assert.equal(lines.at(-2), 'Full report (charts, per-tag tables, definitions): SOC: Generate KPI Report…');
  // top N; input-derived text (the title) escaped and defanged when asked
  const short = kpiMarkdown(kpiReportOf(a, 'UTC'), a.input, { zone: 'UTC', title: 'cases from 10.0.0.5 | [x](http://evil.example)', top: 2, defang: true });
  assert.match(short, /## Top tags \(2 of 8\)\n\n\| Tag \| Cases \|\n\| --- \| --- \|\n\| Logon \| 2 \|\n\| Other \| 2 \|\n\n/);
  assert.doesNotMatch(short.split('\n')[0], /10\.0\.0\.5|\]\(http|[^\\]\|/);
});
