/**
 * Trial defect A: in the Loki dashboard a hash IOC's rule was named `Hash IOC: <description>` in the Rules tab, its
 * chart and the CLI, but the Findings table's Rule cells, the filter chip of a Rules row or a Top rules bar, the host ×
 * rule matrix and the detail pane showed the bare SHA1 (`66178d4a…`). They now all say the Rules tab's name, while the
 * facet keeps the exact key (the hash) and still matches exactly the rule's findings. Real shared scan: data/loki,
 * DS-SER1's struts-core-1.3.8.jar (`Malware Hash TYPE: SHA1 HASH: 66178d4a… DESC: DCSO Vuln List …`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFacetLabels, lokiFindingColumns, lokiFindingDetail } from '../../src/core/analyze/loki-dashboard';
import { ruleNamer } from '../../src/core/analyze/loki-summary';
import { TableStore } from '../../src/core/table/store';
import { facetValueLabel } from '../../src/shared/protocol';
import { findingsArray } from '../../src/core/parse/loki-store';

const LOKI = path.resolve(__dirname, '../../../../shared/data/loki');
const DESC = 'DCSO Vuln List https://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 | CVE-2017-9791 | CVE-2017-9805';
const NAME = `Hash IOC: ${DESC}`;
const SHA1 = '66178d4a9279ebb1cd1eb79c10dc204b4199f061';

test('real scan: a hash IOC is `Hash IOC: <description>` in the Findings Rule cells, its Rules-row and chart-bar chips and the matrix; the facet (the hash) matches its findings', async () => {
  const a = await runLokiAnalysis([LOKI]);
  const rule = a.rules.find((r) => r.rule === SHA1);
  assert.ok(rule, 'the struts hash IOC rule is in the analysis');
  assert.equal(rule.name, NAME);
  assert.equal(rule.count, 1);

  // the findings table: the Rule cell says the name, the facet (the hash, as a Rules row / chart bar sets it) finds its finding
  const findings = findingsArray(a.findings);
  const cols = lokiFindingColumns('UTC', a.files, a.rules);
  const store = new TableStore(findings, cols);
  const ruleCol = cols.findIndex((c) => c.id === 'rule');
  const pathCol = cols.findIndex((c) => c.id === 'path');
  const byKey = store.window({ facets: { rule: SHA1 } }, 0, 10);
  assert.equal(byKey.total, rule.count);
  assert.equal(byKey.rows[0][ruleCol], NAME);
  assert.ok(byKey.rows[0][pathCol].endsWith('\\struts-core-1.3.8.jar'), byKey.rows[0][pathCol]);
  // the name as a facet (a chip restored from a filter on the cell text) filters the same finding
  assert.deepEqual(store.window({ facets: { rule: NAME } }, 0, 10).ids, byKey.ids);
  // the column's text filter finds it by its description, and no Rule cell shows the bare hash any more
  assert.equal(store.count({ columnFilters: { rule: 'DCSO Vuln List' } }), 1);
  assert.equal(store.count({ columnFilters: { rule: '66178d4a' } }), 0);

  // the dashboard: the chip of the Rules row and of the Top rules bar names the rule as the Rules tab does
  const m = buildLokiDashboard(a, 't', 'UTC');
  assert.deepEqual(m.facetLabels?.rule?.[SHA1], NAME);
  const rulesTab = m.tables.find((t) => t.id === 'rules')!;
  const ri = rulesTab.rows.findIndex((r) => r[0] === NAME);
  assert.ok(ri >= 0);
  const rowFacet = rulesTab.rowFacets?.[ri];
  assert.deepEqual(rowFacet, { rule: SHA1 });
  assert.equal(facetValueLabel(m, 'rule', rowFacet.rule), NAME);
  const chart = m.charts.find((c) => c.id === 'top-rules')!;
  const bi = chart.labels.indexOf(NAME);
  assert.ok(bi >= 0, chart.labels.join(' | '));
  assert.equal(chart.facetValues?.[bi], SHA1);
  assert.equal(facetValueLabel(m, chart.facetColumn!, chart.facetValues![bi]), NAME);
  // a YARA rule's facet needs no label: the chip shows the value itself
  const yara = a.rules.find((r) => r.kind !== 'hash-ioc')!;
  assert.equal(facetValueLabel(m, 'rule', yara.rule), yara.rule);
  assert.equal(m.facetLabels?.rule?.[yara.rule], undefined);

  // the host × rule matrix heads the rule's column with the name too (it is the 11th of the scan's 12 rules)
  const matrix = m.tables.find((t) => t.id === 'matrix')!;
  const mi = a.hostRuleMatrix.rules.indexOf(SHA1);
  assert.equal(mi, 10);
  assert.equal(matrix.columns[mi + 1].title, NAME);
  assert.ok(!matrix.columns.some((c) => c.title === SHA1));

  // the detail pane titles the reason with the name; its Rule field keeps the hash
  const f = findings[byKey.ids[0]];
  const d = lokiFindingDetail(f, byKey.ids[0], 'UTC', ruleNamer(a.rules));
  assert.equal(d.sections[0].title, `Reason 1: ${NAME}`);
  assert.equal(d.sections[0].fields.find((x) => x.label === 'Rule')?.value, SHA1);
});

test('facet labels: none without a named rule; a malformed map or a prototype key reads as the value', () => {
  assert.equal(lokiFacetLabels([{ rule: 'SUSP_X', kind: 'yara', description: 'd' }]), undefined);
  assert.equal(lokiFacetLabels(undefined), undefined);
  assert.deepEqual(lokiFacetLabels([{ rule: SHA1, kind: 'hash-ioc', description: DESC, name: NAME }]), { rule: { [SHA1]: NAME } });
  assert.equal(facetValueLabel(undefined, 'rule', SHA1), SHA1);
  assert.equal(facetValueLabel({ facetLabels: { rule: { [SHA1]: NAME } } }, 'rule', 'constructor'), 'constructor');
  assert.equal(facetValueLabel({ facetLabels: { rule: { [SHA1]: NAME } } }, 'host', SHA1), SHA1);
  assert.equal(facetValueLabel({ facetLabels: { rule: null as unknown as Record<string, string> } }, 'rule', SHA1), SHA1);
});

test('CLI Top rules: RULE last and whole, DESCRIPTION cut at 64 characters, so that a hash IOC name does not push the table off a terminal (new-user trial LOW 5)', async () => {
  const { main } = await import('../../src/cli/cli');
  const { capture } = await import('./cli-capture');
  const c = capture();
  assert.equal(await main(['loki', LOKI], c.io), 0);
  const out = c.out();
  const block = out.slice(out.indexOf('\nTop rules\n'), out.indexOf('\n\n', out.indexOf('\nTop rules\n') + 1));
  const lines = block.split('\n');
  const header = lines.find((l) => l.startsWith('FINDINGS'))!;
  const hash = lines.find((l) => l.includes('hash-ioc'))!;
  // DESCRIPTION at most 64 characters wide, then RULE, last, whole (it was before DESCRIPTION, ~150 characters wide)
  assert.ok(header.indexOf('RULE') - header.indexOf('DESCRIPTION') <= 66, header);
  assert.ok(header.indexOf('RULE') < 140, header);
  assert.deepEqual([hash.slice(header.indexOf('DESCRIPTION'), header.indexOf('RULE')).trimEnd(), hash.slice(header.indexOf('RULE'))], [`IOC SHA1 ${SHA1}`, NAME]);
  const mimikatz = lines.find((l) => l.endsWith(' Mimikatz_Memory_Rule_RID2F34'))!;
  assert.equal(mimikatz.slice(header.indexOf('DESCRIPTION'), header.indexOf('RULE')).trimEnd(), 'Detects password dumper mimikatz in memory');
  // the longest description of the set is cut, and said so under the table
  assert.ok(lines.some((l) => l.slice(header.indexOf('DESCRIPTION'), header.indexOf('RULE')).trimEnd().endsWith('…')), block);
  assert.match(block, /\n {2}DESCRIPTION: cut at 64 characters \(…\); --json and the dashboard's Rules tab have it whole$/);
});
