/**
 * Automation / service accounts are not analysts (from a README trial: in the QRadar sample offenses
 * `soc.automation` closed offense 4105 and the workload per analyst listed it as an analyst).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { buildKpiDashboard, caseColumns, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { analystSummary, automationAccountMatcher, AUTOMATED, DEFAULT_AUTOMATION_ACCOUNTS } from '../../src/core/analyze/kpi';
import { kpiSummaryRows, renderKpiReportHtml, renderKpiReportMarkdown, reportCharts, reportTables } from '../../src/core/export/report';
import { TableStore } from '../../src/core/table/store';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const OFFENSES = join(ROOT, '../shared/data/qradar/samples/offenses.json');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');

describe('automation accounts are not analysts', () => {
  test('QRadar sample offenses: soc.automation (closed 4105) is its own row, not an analyst', async () => {
    const a = await runKpiAnalysis([OFFENSES], { asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    const k = r.kpis.workloadPerAnalyst;
    assert.ok(k.available);
    assert.deepEqual(k.value.analysts.map((x) => [x.analyst, x.cases, x.open, x.closed]), [['a.okafor', 1, 1, 0], ['j.moreau', 1, 0, 1]]);
    // 4105: first_persisted 2026-03-05T17:20:20Z, closed 14 s later by soc.automation
    assert.deepEqual(k.value.automated, { analyst: AUTOMATED, builtin: 'automated', accounts: ['soc.automation'], cases: 1, open: 0, closed: 1, falsePositives: 0, medianTimeToCloseMs: 14_000 });
    assert.deepEqual(k.value.unassigned && [k.value.unassigned.cases, k.value.unassigned.open], [3, 2]);
    assert.match(k.definition, /cases of automation or service accounts such as SOAR playbooks and API users \(row "\(automation accounts\)"\): account names matching one of \*automation\*, \*playbook\*, \*xsoar\*, \*demisto\*, soar, svc, svc\.\*, api, api_user:\*, \*\$ as the whole name or, in an account identifier without spaces, as one of its parts/);
    const summary = '2 analysts; most cases: a.okafor, j.moreau (1 each); 1 case of automation accounts (soc.automation); 3 unassigned cases';
    assert.equal(kpiSummaryRows(r).find((x) => x.id === 'workloadPerAnalyst')?.value, summary);

    // report (HTML and Markdown): the analysts, then the automation accounts, then the unassigned cases
    const table = reportTables(r).find((t) => t.title === 'Workload per analyst')!;
    assert.deepEqual(table.rows.map((row) => row.slice(0, 4)), [['a.okafor', 1, 1, 0], ['j.moreau', 1, 0, 1], ['(automation accounts): soc.automation', 1, 0, 1], ['(unassigned)', 3, 2, 0]]);
    assert.equal(table.rows[2][5], '14 s');
    const meta = { title: 'offenses', inputs: [OFFENSES], generatedAt: AS_OF };
    assert.match(renderKpiReportMarkdown(r, meta), /\n\| \(automation accounts\): soc\.automation \| 1 \| 0 \| 1 \| 0 \| 14 s \| automation accounts \|\n/);
    assert.match(renderKpiReportHtml(r, meta), /<tr><td>\(automation accounts\): soc\.automation<\/td><td class="num">1<\/td>/);
    const chart = reportCharts(r).find((c) => c.title === 'Workload per analyst')!;
    assert.match(chart.svg, /Cases per analyst \(1 case of automation accounts, 3 unassigned cases: not analysts, not shown\)/);
    assert.doesNotMatch(chart.svg, />soc\.automation</);

    // dashboard: the chart leaves both out (and says so), the table lists them; the row's facet finds offense 4105
    const d = buildKpiDashboard(a, r, 'offenses', 'UTC');
    const bars = d.charts.find((c) => c.id === 'analysts')!;
    assert.deepEqual(bars.labels, ['a.okafor', 'j.moreau']);
    assert.equal(bars.note, '1 case of automation accounts, 3 unassigned cases not shown (not analysts; see the table)');
    assert.deepEqual(d.tables.find((t) => t.id === 'analysts')!.rows.map((row) => row[0]), ['a.okafor', 'j.moreau', '(automation accounts): soc.automation', '(unassigned)']);
    const rows = caseRows(a);
    const store = new TableStore(rows, caseColumns('UTC', a.options.automationAccounts));
    const analysts = d.tables.find((t) => t.id === 'analysts')!;
    assert.deepEqual(analysts.rowFacets, [undefined, undefined, { countedAs: 'automation accounts' }, { countedAs: 'unassigned (no analyst)' }]);
    assert.deepEqual([analysts.facetColumn, analysts.facetIndex], ['analyst', 0]);
    assert.deepEqual(store.matching({ facets: analysts.rowFacets![2]! }).map((i) => rows[i].c.id), ['4105']);
    assert.deepEqual(store.matching({ facets: { analyst: 'j.moreau' } }).map((i) => rows[i].c.id), ['4102']);
    assert.deepEqual(store.matching({ facets: analysts.rowFacets![3]! }).map((i) => rows[i].c.id), ['4101', '4104', '4106']);
  });

  test('the patterns: an empty list makes every account an analyst; own patterns replace the defaults', async () => {
    const none = kpiReportOf(await runKpiAnalysis([OFFENSES], { asOf: AS_OF, automationAccounts: [] }), 'UTC');
    assert.ok(none.kpis.workloadPerAnalyst.available);
    assert.equal(none.kpis.workloadPerAnalyst.value.automated, undefined);
    assert.equal(analystSummary(none.kpis.workloadPerAnalyst.value), '3 analysts; most cases: a.okafor, j.moreau, soc.automation (1 each); 3 unassigned cases');
    assert.match(none.kpis.workloadPerAnalyst.definition, /none configured, so every named account counts as an analyst/);
    const own = kpiReportOf(await runKpiAnalysis([OFFENSES], { asOf: AS_OF, automationAccounts: ['J.Moreau'] }), 'UTC');
    assert.ok(own.kpis.workloadPerAnalyst.available);
    assert.equal(analystSummary(own.kpis.workloadPerAnalyst.value), '2 analysts; most cases: a.okafor, soc.automation (1 each); 1 case of automation accounts (j.moreau); 3 unassigned cases');
  });

  test('default patterns: SOAR, playbook, API and service accounts; people are not caught', () => {
    const isAuto = automationAccountMatcher(DEFAULT_AUTOMATION_ACCOUNTS);
    const automation = [
      'soc.automation', 'SOC.Automation', 'Automation Service', 'qradar_automation_svc', 'phishing-playbook', 'Playbook Runner', 'Phishing Playbook',
      'soar', 'SOAR', 'qradar-soar', 'soar_svc', 'CORP\\soar', 'xsoar', 'XSOAR-mirror', 'Cortex XSOAR', 'XSOAR Engine', 'demisto', 'Demisto Bot',
      'svc', 'svc_backup', 'svc-backup', 'backup-svc', 'backup_svc', 'svc.backup', 'CORP\\svc', 'CORP\\svc_backup', 'svc_backup@corp.local', 'svc-soar@corp.local',
      'api', 'API', 'api-user', 'api_user', 'qradar-api', 'qradar_api', 'CORP\\api', 'api@corp.local', 'API_user: admin', 'API_user:admin',
      'SOAR01$', 'CORP\\gmsa-soar$', 'WS-0042$',
    ];
    const people = [
      'j.moreau', 'a.okafor', 'j.soares', 'Soares', 'pia', 'a.pia', 'rapier', 'capital.one', 'svcadmin', 'apiary', 'admin', ' ', '',
      // a person's display name or dotted login whose first or last name is one of the default words
      'Api Nguyen', 'Nguyen Api', 'Nguyen, Api', 'API NGUYEN', 'api.nguyen', 'api.nguyen@corp.com', 'CORP\\api.nguyen', 'Bot Smith', 'Sam Soar', 'p.soar', 'Svc Tran',
    ];
    assert.deepEqual(automation.filter((n) => !isAuto(n)), []);
    assert.deepEqual(people.filter((n) => isAuto(n)), []);
    // a pattern with a separator is a whole name; * is any run of characters; other characters are literal
    const own = automationAccountMatcher(['soc.automation', 'bot-*', 'a+b', '  ']);
    assert.deepEqual(['soc.automation', 'SOC.AUTOMATION', 'bot-7', 'a+b', 'x:a+b'].map(own), [true, true, true, true, true]);
    assert.deepEqual(['soc.automation2', 'socxautomation', 'robot-7', 'aab', 'x.a+b', undefined].map(own), [false, false, false, false, false, false]);
    assert.equal(automationAccountMatcher([])('soc.automation'), false);
  });

  test('a word of a display name (with spaces) or of a dotted login never makes a person an automation account', async () => {
    // hostile review: "Api Nguyen" (a person) matched the default `api` as one of its words and left the analysts' rows
    const bot = automationAccountMatcher(['bot', 'api']);
    assert.deepEqual(['bot', 'soc-bot', 'phish_bot', 'CORP\\bot', 'bot@corp.local', 'api-user'].map(bot), [true, true, true, true, true, true]);
    assert.deepEqual(['Bot Smith', 'Smith Bot', 'bot.smith', 'Api Nguyen', 'api.nguyen@corp.com', 'Api\u00a0Nguyen'].map(bot), [false, false, false, false, false, false]);
    // a display name matches a pattern as a whole (spelt out, or with *)
    assert.deepEqual(['QRadar SOAR', ' qradar \t soar', 'QRadar-SOAR'].map(automationAccountMatcher(['QRadar  SOAR'])), [true, true, false]);
    assert.equal(automationAccountMatcher(['* soar'])('QRadar SOAR'), true);

    const dir = mkdtempSync(join(tmpdir(), 'kpi-people-'));
    const file = join(dir, 'cases.csv');
    writeFileSync(
      file,
      [
        'Case ID,Title,Created,Closed,Owner,Severity,Status,Disposition',
        'C-1,Login failures,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Api Nguyen,High,Closed,False Positive',
        'C-2,Port scan,2026-03-02T10:00:00Z,2026-03-02T10:30:00Z,Api Nguyen,Low,Closed,Escalated',
        'C-3,Malware,2026-03-03T10:00:00Z,,api.nguyen,High,Open,',
        'C-4,Phishing,2026-03-03T11:00:00Z,2026-03-03T11:00:05Z,svc-soar,Medium,Closed,False Positive',
        'C-5,Phishing,2026-03-03T12:00:00Z,2026-03-03T12:00:07Z,API_user: admin,Medium,Closed,False Positive',
        '',
      ].join('\n'),
    );
    const a = await runKpiAnalysis([file], { asOf: AS_OF });
    const k = kpiReportOf(a, 'UTC').kpis.workloadPerAnalyst;
    assert.ok(k.available);
    assert.deepEqual(k.value.analysts.map((x) => [x.analyst, x.cases]), [['Api Nguyen', 2], ['api.nguyen', 1]]);
    assert.deepEqual(k.value.automated && [k.value.automated.cases, k.value.automated.accounts], [2, ['API_user: admin', 'svc-soar']]);
    const rows = caseRows(a);
    const store = new TableStore(rows, caseColumns('UTC', a.options.automationAccounts));
    assert.deepEqual(store.matching({ facets: { analyst: 'Api Nguyen' } }).map((i) => rows[i].c.id), ['C-1', 'C-2']);
  });

  test('the extension setting socAnalytics.kpi.automationAccounts defaults to the same list', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const setting = Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties))['socAnalytics.kpi.automationAccounts']; // settings categories
    assert.deepEqual(setting.default, DEFAULT_AUTOMATION_ACCOUNTS);
    assert.match(setting.markdownDescription, /not analysts/);
  });

  test('CLI kpi --automation-accounts: default, own patterns, none, and a missing value', async () => {
    let c = capture();
    assert.equal(await main(['kpi', OFFENSES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z'], c.io), 0, c.err());
    assert.match(c.out(), /^ {2}Workload per analyst: 2 analysts; most cases: a\.okafor, j\.moreau \(1 each\); 1 case of automation accounts \(soc\.automation\); 3 unassigned cases$/m);
    c = capture();
    assert.equal(await main(['kpi', OFFENSES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json', '--automation-accounts', 'a.okafor, soc.*'], c.io), 0, c.err());
    const v = JSON.parse(c.out()).kpis.workloadPerAnalyst.value;
    assert.deepEqual(v.analysts.map((x: { analyst: string }) => x.analyst), ['j.moreau']);
    assert.deepEqual([v.automated.cases, v.automated.accounts], [2, ['a.okafor', 'soc.automation']]);
    c = capture();
    assert.equal(await main(['kpi', OFFENSES, '--seed-rules', '--json', '--automation-accounts=none'], c.io), 0, c.err());
    assert.equal(JSON.parse(c.out()).kpis.workloadPerAnalyst.value.analysts.length, 3);
    c = capture();
    assert.equal(await main(['kpi', OFFENSES, '--automation-accounts', ' , '], c.io), 2);
    assert.match(c.err(), /--automation-accounts needs patterns \(P,…\) or none/);
    assert.equal(c.out(), '');
  });
});
