/**
 * Names that look like the built-in rows (hostile review): the workload per analyst labels its rows of
 * cases without an analyst and of automation accounts `(unassigned)` and `(automation accounts)`, and
 * the QRadar assignees table labels the offenses without an assignee `(unassigned)`. A real assignee of
 * that name was merged with them: the dashboard row of the analyst "(unassigned)" showed the unassigned
 * cases too (its click was the facet `analyst = (unassigned)`), the report and the CSV export could not
 * tell the two rows apart, and QRadar counted the assignee "(unassigned)" with the offenses nobody has.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { buildKpiDashboard, caseColumns, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { analystSummary } from '../../src/core/analyze/kpi';
import { renderKpiReportHtml, renderKpiReportMarkdown, reportTables } from '../../src/core/export/report';
import { TableStore } from '../../src/core/table/store';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns } from '../../src/core/analyze/qradar-dashboard';
import type { SmallTable } from '../../src/shared/protocol';
import { capture } from './cli-capture';

const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'kpi-names-'));


/** The facets a click on row `i` applies (as the webview does: its `rowFacets` entry, else the facet column's cell). */
function rowFacet(t: SmallTable, i: number): Record<string, string> | undefined {
  return t.rowFacets?.[i] ?? (t.facetColumn !== undefined && t.facetIndex !== undefined ? { [t.facetColumn]: String(t.rows[i][t.facetIndex] ?? '') } : undefined);
}

// Two cases of an analyst literally called "(unassigned)", one of "(automation accounts)", one without an
// analyst, one of a service account and one of alice.
const CASES = join(tmp, 'cases.csv');
writeFileSync(
  CASES,
  [
    'Case ID,Title,Created,Closed,Owner,Severity,Status,Disposition',
    'C-1,Login failures,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,(unassigned),High,Closed,False Positive',
    'C-2,Port scan,2026-03-02T10:00:00Z,,(unassigned),Low,Open,',
    'C-3,Malware,2026-03-03T10:00:00Z,,,High,Open,',
    'C-4,Phishing,2026-03-03T11:00:00Z,2026-03-03T12:00:00Z,(automation accounts),Medium,Closed,Escalated',
    'C-5,Phishing,2026-03-03T12:00:00Z,2026-03-03T12:00:07Z,svc-soar,Medium,Closed,False Positive',
    'C-6,Port scan,2026-03-04T12:00:00Z,2026-03-04T13:00:00Z,alice,Low,Closed,False Positive',
    '',
  ].join('\n'),
);
// `svc-*` only: the default `*automation*` would (rightly) take the name "(automation accounts)" for an automation account
const PATTERNS = ['svc-*'];

describe('an analyst named like a built-in row stays an analyst of its own', () => {
  test('KPIs: the built-in rows carry `builtin`; the analysts "(unassigned)" and "(automation accounts)" are analysts', async () => {
    const r = kpiReportOf(await runKpiAnalysis([CASES], { asOf: AS_OF, automationAccounts: PATTERNS }), 'UTC');
    const k = r.kpis.workloadPerAnalyst;
    assert.ok(k.available);
    const byName = Object.fromEntries(k.value.analysts.map((x) => [x.analyst, [x.cases, x.open, x.closed, x.falsePositives, x.builtin]]));
    assert.deepEqual(byName, { '(unassigned)': [2, 1, 1, 1, undefined], '(automation accounts)': [1, 0, 1, 0, undefined], alice: [1, 0, 1, 1, undefined] });
    assert.deepEqual(k.value.unassigned && [k.value.unassigned.builtin, k.value.unassigned.analyst, k.value.unassigned.cases], ['unassigned', '(unassigned)', 1]);
    assert.deepEqual(k.value.automated && [k.value.automated.builtin, k.value.automated.accounts, k.value.automated.cases], ['automated', ['svc-soar'], 1]);
    assert.match(analystSummary(k.value), /^3 analysts; most cases: \(unassigned\) \(2\); 1 case of automation accounts \(svc-soar\); 1 unassigned case$/);
  });

  test('dashboard: every row of the workload table filters the cases table to exactly the cases it counts', async () => {
    const a = await runKpiAnalysis([CASES], { asOf: AS_OF, automationAccounts: PATTERNS });
    const r = kpiReportOf(a, 'UTC');
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    const t = d.tables.find((x) => x.id === 'analysts')!;
    const rows = caseRows(a);
    const store = new TableStore(rows, caseColumns('UTC', a.options.automationAccounts));
    const got = t.rows.map((row, i) => [row[0], row[6], store.matching({ facets: rowFacet(t, i) }).map((j) => rows[j].c.id)]);
    assert.deepEqual(got, [
      ['(unassigned)', 'analyst', ['C-1', 'C-2']],
      ['(automation accounts)', 'analyst', ['C-4']],
      ['alice', 'analyst', ['C-6']],
      ['(automation accounts): svc-soar', 'automation accounts', ['C-5']],
      ['(unassigned)', 'unassigned (no analyst)', ['C-3']],
    ]);
    // the cases table: the analyst column is the name as in the input (blank without one); "Counted as" is its row
    const cols = d.columns.map((c) => c.id);
    assert.ok(cols.includes('countedAs') && d.columns.find((c) => c.id === 'countedAs')!.hidden);
    // as shown and as exported to CSV
    assert.deepEqual([...store.exportRows({}, ['analyst', 'countedAs']).rows], rows.map((_, i) => store.rowTexts(i, ['analyst', 'countedAs'])));
    assert.deepEqual(rows.map((_, i) => store.rowTexts(i, ['analyst', 'countedAs'])), [
      ['(unassigned)', 'analyst'],
      ['(unassigned)', 'analyst'],
      ['', 'unassigned (no analyst)'],
      ['(automation accounts)', 'analyst'],
      ['svc-soar', 'automation accounts'],
      ['alice', 'analyst'],
    ]);
    // the chart of analysts facets by name: the bar "(unassigned)" is the analyst's two cases
    const bars = d.charts.find((c) => c.id === 'analysts')!;
    const i = bars.labels.indexOf('(unassigned)');
    assert.deepEqual(store.matching({ facets: { [bars.facetColumn!]: bars.facetValues?.[i] ?? bars.labels[i] } }).map((j) => rows[j].c.id), ['C-1', 'C-2']);
  });

  test('report (Markdown, HTML) and the CSV export of the table: the "Counted as" column tells the rows apart', async () => {
    const r = kpiReportOf(await runKpiAnalysis([CASES], { asOf: AS_OF, automationAccounts: PATTERNS }), 'UTC');
    const t = reportTables(r).find((x) => x.title === 'Workload per analyst')!;
    assert.equal(t.header[6], 'Counted as');
    assert.deepEqual(t.rows.map((row) => [row[0], row[1], row[6]]), [
      ['(unassigned)', 2, 'analyst'],
      ['(automation accounts)', 1, 'analyst'],
      ['alice', 1, 'analyst'],
      ['(automation accounts): svc-soar', 1, 'automation accounts'],
      ['(unassigned)', 1, 'unassigned (no analyst)'],
    ]);
    const meta = { title: 'cases', inputs: [CASES], generatedAt: AS_OF };
    const md = renderKpiReportMarkdown(r, meta);
    assert.match(md, /\n\| \(unassigned\) \| 2 \| 1 \| 1 \| 1 \| 1 h \| analyst \|\n/);
    assert.match(md, /\n\| \(unassigned\) \| 1 \| 1 \| 0 \| 0 \| – \| unassigned \(no analyst\) \|\n/);
    assert.match(renderKpiReportHtml(r, meta), /<tr><td>\(unassigned\)<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td>–<\/td><td>unassigned \(no analyst\)<\/td><\/tr>/);
  });

  test('CLI kpi: --json flags the built-in rows; the text names the analyst "(unassigned)" apart from the unassigned cases', async () => {
    let c = capture();
    assert.equal(await main(['kpi', CASES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--automation-accounts', 'svc-*', '--json'], c.io), 0, c.err());
    const v = JSON.parse(c.out()).kpis.workloadPerAnalyst.value;
    assert.deepEqual(
      v.analysts.map((x: { analyst: string; builtin?: string; cases: number }) => [x.analyst, x.builtin ?? null, x.cases]),
      [['(unassigned)', null, 2], ['(automation accounts)', null, 1], ['alice', null, 1]],
    );
    assert.deepEqual([v.unassigned.builtin, v.unassigned.cases, v.automated.builtin, v.automated.cases], ['unassigned', 1, 'automated', 1]);
    c = capture();
    assert.equal(await main(['kpi', CASES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--automation-accounts', 'svc-*'], c.io), 0, c.err());
    assert.match(c.out(), /^ {2}Workload per analyst: 3 analysts; most cases: \(unassigned\) \(2\); 1 case of automation accounts \(svc-soar\); 1 unassigned case$/m);
  });
});

describe('QRadar: an assignee called "(unassigned)" is not the offenses without an assignee', () => {
  const file = join(tmp, 'offenses.json');
  const offense = (id: number, assigned: string | null) => ({ id, description: 'Rule A', status: 'OPEN', start_time: Date.parse('2026-03-02T10:00:00Z') + id * 60_000, assigned_to: assigned, offense_source: '10.0.0.1' });
  writeFileSync(file, JSON.stringify([offense(1, '(unassigned)'), offense(2, '(unassigned)'), offense(3, null), offense(4, 'bob')]));
  const settings = { zone: 'UTC', escalatedReasons: ['escalat'], falsePositiveReasons: ['false positive'], topN: 20 };

  test('byAssignee keeps them apart (the built-in entry is `unassigned: true`); each assignees row filters to its offenses', async () => {
    const p = await runQRadarRead([file]);
    const { model, summary } = buildQRadarDashboard(p, 'offenses', settings);
    assert.deepEqual(summary.byAssignee, [
      { assignee: '(unassigned)', count: 2 },
      { assignee: '(unassigned)', count: 1, unassigned: true },
      { assignee: 'bob', count: 1 },
    ]);
    const t = model.tables.find((x) => x.id === 'assignees')!;
    const store = new TableStore(p.offenses, qradarOffenseColumns(qradarContext(p, settings)));
    const got = t.rows.map((row, i) => [row[0], row[2], store.matching({ facets: rowFacet(t, i) }).map((j) => p.offenses[j].id)]);
    assert.deepEqual(got, [
      ['(unassigned)', 'assigned', [1, 2]],
      ['(unassigned)', 'not assigned', [3]],
      ['bob', 'assigned', [4]],
    ]);
  });
});

describe('one analyst per person whatever the white space (hostile review)', () => {
  test('runs of spaces, a tab and a zero-width space do not make separate analysts; case is kept', async () => {
    const { rmSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'kpi-ws-'));
    try {
      const names = ['Api Nguyen', 'Api  Nguyen', 'Api\tNguyen', ' Api Nguyen ', 'bob', 'bob\u200b', 'Bob', 'bob\u00ad', 'b\u034fob'];
      const csv = join(dir, 'cases.csv');
      writeFileSync(csv, 'Case ID,Title,Created,Closed,Owner,Severity,Status,Disposition\n' + names.map((n, i) => `C-${i},t,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,"${n}",High,Closed,False Positive`).join('\n') + '\n');
      const a = await runKpiAnalysis([csv], { asOf: Date.parse('2026-03-10T00:00:00Z'), automationAccounts: [] });
      const k = kpiReportOf(a, 'UTC').kpis.workloadPerAnalyst;
      assert.ok(k.available);
      assert.deepEqual(
        k.value.analysts.map((x) => [x.analyst, x.cases]),
        [['Api Nguyen', 4], ['bob', 4], ['Bob', 1]],
      );
      // the file's own spelling stays in the record
      assert.equal(a.input.cases[1].raw?.Owner, 'Api  Nguyen');
      // automation-account patterns are compared in the same spelling (an NFD pattern catches the NFC name)
      const { automationAccountMatcher } = await import('../../src/core/analyze/kpi');
      assert.equal(automationAccountMatcher(['Jose\u0301 Bot'])('Jos\u00e9 Bot'), true);
      assert.equal(automationAccountMatcher(['svc'])('svc\u00ad'), true);
      // QRadar: a closing user of only invisible characters is none: the assignee is the analyst
      const offenses = join(dir, 'offenses.json');
      writeFileSync(offenses, JSON.stringify([{ id: 1, description: 'd', status: 'CLOSED', start_time: 1772438400000, close_time: 1772442000000, closing_user: '\u200b', assigned_to: 'alice' }]));
      const q = await runKpiAnalysis([offenses], { asOf: Date.parse('2026-03-10T00:00:00Z') });
      assert.deepEqual(q.input.cases.map((c) => c.analyst), ['alice']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
