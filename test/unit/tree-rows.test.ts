/**
 * The Results tree's rows below an analysis (new user's trial: at the default ~300 px side bar a beacon pair read
 * `64.225.56.201 → 95.214.53.13…`, a QRadar offense description only its cut name; a click on such a row did nothing
 * visible with the dashboard open). What an analyst scans for comes first — the score and destination of a pair, the
 * offense count before its name, a host's alert/warning/notice counts — and a click shows the dashboard filtered to
 * the row (`socAnalytics.openAnalysis` with `{ facets, detail? }`, posted to the page as `showRows` after its model).
 * AnalysisRegistry-free: the kinds and DashboardPanel run as compiled with a stand-in `vscode` (./vscode-stand-in).
 */
import { panels, type StandInPanel } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as vscodeTypes from 'vscode';
import { beaconPairTreeText } from '../../src/core/analyze/beacons/dashboard';
import type { BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, qradarDescriptionTreeText, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { checkShowRowsRequest } from '../../src/core/webview-messages';
import { lokiKind } from '../../src/extension/kinds/loki';
import { kpiKind } from '../../src/extension/kinds/kpi';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { caseRows, kpiCaseTreeText, kpiTagRowText } from '../../src/core/analyze/kpi-dashboard';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
const DATA = path.resolve(__dirname, '../../../../shared/data');
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function pair(over: Partial<BeaconRow>): BeaconRow {
  return { src: '64.225.56.201', dst: '95.214.53.13', fqdn: undefined, score: 0.9123, severity: 'high', count: 1412, bytes: 2048, tsScore: 0.9, dsScore: 0.8, durScore: 1, histScore: 0.95, ...over } as BeaconRow;
}

describe('Results tree texts: the key facts first', () => {
  it('a beacon pair: the score and the destination in the label, then conns · severity · from the source', () => {
    const t = beaconPairTreeText(pair({}));
    assert.equal(t.label, '0.912 · 95.214.53.13');
    assert.equal(t.description, '1,412 conns · High · from 64.225.56.201');
    assert.equal(t.tooltip, '64.225.56.201 → 95.214.53.13\nscore 0.9123 (High; ts 0.9, ds 0.8, dur 1, hist 0.95)\n1,412 connections, 2,048 bytes');
    assert.deepEqual(t.facets, { src: '64.225.56.201', dst: '95.214.53.13' });
    // (the trial's row was 34 characters of `src → dst` before any score: now the score leads, well inside them)
    assert.ok(t.label.length <= 22);
  });

  it('an SNI pair names its FQDN (the address in the tooltip) and is found by source and FQDN; one connection is "1 conn"', () => {
    const t = beaconPairTreeText(pair({ fqdn: 'update.example.net', count: 1, severity: 'n/a', score: 0.5 }));
    assert.equal(t.label, '0.500 · update.example.net');
    assert.equal(t.description, '1 conn · legacy score · from 64.225.56.201');
    assert.match(t.tooltip, /^64\.225\.56\.201 → update\.example\.net \(95\.214\.53\.13\)\n/);
    assert.deepEqual(t.facets, { src: '64.225.56.201', fqdn: 'update.example.net' });
  });

  it('QRadar samples: each offense description reads count · name, noisiest first; a click filters by the description', async () => {
    const parsed = await runQRadarRead([path.join(DATA, 'qradar/samples')], { consoleTimeZone: 'UTC' });
    const s = summarizeQRadar(parsed, { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 });
    const rows = s.descriptions.map((d) => qradarDescriptionTreeText(d));
    assert.ok(rows.length >= 6, String(rows.length));
    for (const [i, r] of rows.entries()) {
      const d = s.descriptions[i];
      assert.equal(r.label, `${d.count.toLocaleString('en-US')} · ${d.description}`);
      assert.deepEqual(r.facets, { description: d.description });
      assert.doesNotMatch(r.description, /offense/, 'the count is in the label, not after it');
    }
    const login = rows.find((r) => r.label.endsWith('Multiple Login Failures for the Same User'))!;
    assert.equal(login.label, '1 · Multiple Login Failures for the Same User');
    assert.equal(login.description, 'svc_backup 100%');
    assert.match(login.tooltip, /^Multiple Login Failures for the Same User\n1 offense, 1 offense source\n/);
    // counts never rise down the list (the noisiest rules first)
    const counts = s.descriptions.map((d) => d.count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  });

  it('Loki hosts (real scans): the counts first, the verdict after; a click shows the host’s findings', async () => {
    const a = await runLokiAnalysis([path.join(DATA, 'loki/real-2021-2022')]);
    const nodes = lokiKind.children!(a as never, 'L1', undefined, { maxChildren: 100 });
    const ds1 = nodes.find((n) => n.label === 'DS1')!;
    assert.equal(ds1.description, '6 A / 4 W / 1 N · Indicators detected');
    assert.match(ds1.tooltip ?? '', /^DS1\nIndicators detected: 6 alerts, 4 warnings, 1 notice\n/);
    assert.deepEqual(ds1.command?.arguments, ['L1', { facets: { host: 'DS1' } }]);
    assert.equal(ds1.command?.command, 'socAnalytics.openAnalysis');
    // a finding still reveals its log line
    const f = lokiKind.children!({ ...a, findings: (await import('../../src/core/parse/loki-store')).findingsArray(a.findings) } as never, 'L1', 'host:DS1', { maxChildren: 5 });
    assert.equal(f[0].command?.command, 'socAnalytics.revealFinding');
    assert.match(f[0].description ?? '', /^ALERT \d+ · /);
  });
});

describe('Results tree texts: cases (KPI) rows lead with id · state · SLA breaches · analyst, tags with count · tag', () => {
  // the QRadar sample offenses read as cases (the KPI sample data), as of the fixtures' report time
  const OFFENSES = path.join(DATA, 'qradar/samples/offenses.json');
  const AS_OF = Date.parse('2026-03-10T12:00:00Z');
  const rowsOf = async () => {
    const a = await runKpiAnalysis([OFFENSES], { asOf: AS_OF });
    return { a, rows: caseRows(a, AS_OF, kpiReportOf(a, 'UTC', AS_OF)) };
  };

  it('each offense: id, state at the as-of time, SLA breaches (short), analyst — then the title; all of it in the tooltip', async () => {
    const { rows } = await rowsOf();
    const t = rows.map((r) => kpiCaseTreeText(r));
    assert.deepEqual(
      t.map((x) => x.label),
      ['4101 · open · SLA: overdue · unassigned', '4102 · closed · SLA: close · j.moreau', '4103 · open · SLA: overdue · a.okafor', '4104 · hidden · unassigned', '4105 · closed · soc.automation', '4106 · open · SLA: overdue · unassigned'],
    );
    assert.equal(t[1].description, 'Multiple Login Failures for the Same User containing Failure Audit: An account failed to log on');
    assert.equal(t[1].tooltip, `4102 · Multiple Login Failures for the Same User containing Failure Audit: An account failed to log on\nclosed · j.moreau · severity 6\nSLA breaches: close\n${OFFENSES}:24`);
    assert.equal(t[3].tooltip, `4104 · Outbound Traffic to Known Scanner Network\nhidden · unassigned · severity 3\n${OFFENSES}:89`);
    // the facts the side bar shows first: well inside the ~40 characters of a nested row at ~300 px, the title after them
    for (const x of t) assert.ok(x.label.length <= 40, x.label);
  });

  it('the sample case export: both breaches of a case, the export\'s own status beside the state when it says more', async () => {
    const a = await runKpiAnalysis([path.resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv')], { asOf: AS_OF });
    const rows = caseRows(a, AS_OF, kpiReportOf(a, 'UTC', AS_OF));
    const byId = (id: string) => kpiCaseTreeText(rows.find((r) => r.c.id === id)!);
    assert.equal(byId('C-5').label, 'C-5 · closed · SLA: ack, close · bob');
    assert.equal(byId('C-7').label, 'C-7 · open · SLA: ack, overdue · unassigned');
    assert.match(byId('C-7').tooltip, /\nSLA breaches: acknowledge, open past close target\n/);
    assert.equal(byId('C-10').label, 'C-10 · open · unassigned');
    const c6 = rows.find((r) => r.c.id === 'C-6')!;
    const t = kpiCaseTreeText({ ...c6, c: { ...c6.c, status: 'In Progress', id: undefined, title: '' } });
    assert.equal(t.label, 'open · alice');
    assert.equal(t.description, '(no title)');
    assert.match(t.tooltip, /^\(no title\)\nopen \(status In Progress\) · alice · severity Low\n/);
  });

  it('a tag: count · tag, then open and breached; the tooltip by state', async () => {
    const { a, rows } = await rowsOf();
    const other = a.tagging.tagCounts.find((x) => x.tag === 'Other')!;
    const t = kpiTagRowText(other.tag, other.count, rows.filter((r) => r.tag === other.tag));
    assert.deepEqual(t, { label: '3 · Other', description: '2 open · 2 breached SLA', tooltip: 'Other\n3 cases: 2 open, 1 closed\n2 cases with an SLA breach at the as-of time' });
    const scan = a.tagging.tagCounts.find((x) => x.tag === 'PortScan')!;
    assert.equal(kpiTagRowText(scan.tag, scan.count, rows.filter((r) => r.tag === scan.tag)).tooltip, 'PortScan\n2 cases: 1 open, 0 closed, 1 hidden\n1 case with an SLA breach at the as-of time');
    // no breach: the count of open cases only; a case created after the as-of time is said, not counted by state
    assert.deepEqual(kpiTagRowText('AV', 2, [{ state: 'closed', sla: [] }]), { label: '2 · AV', description: '0 open', tooltip: 'AV\n2 cases: 0 open, 1 closed, 1 created after the as-of time\n0 cases with an SLA breach at the as-of time' });
  });

  it('kpiKind.children: the rows carry these texts; a click still shows the dashboard filtered to the tag or the case', async () => {
    const { a } = await rowsOf();
    const tags = kpiKind.children!(a, 'K1', undefined, { maxChildren: 100, zone: 'UTC' });
    const other = tags.find((n) => n.key === 'tag:Other')!;
    assert.equal(other.label, '3 · Other');
    assert.equal(other.description, '2 open · 2 breached SLA');
    assert.deepEqual(other.command?.arguments, ['K1', { facets: { tag: 'Other' } }]);
    const cases = kpiKind.children!(a, 'K1', 'tag:Other', { maxChildren: 100, zone: 'UTC' });
    assert.deepEqual(cases.map((n) => n.label), ['4101 · open · SLA: overdue · unassigned', '4103 · open · SLA: overdue · a.okafor', '4105 · closed · soc.automation']);
    const c = cases[1];
    assert.equal(c.command?.command, 'socAnalytics.openAnalysis');
    assert.deepEqual(c.command?.arguments, ['K1', { facets: { id: '4103', tag: 'Other' }, detail: true }]);
    assert.equal(c.expandable, false);
    assert.match(c.tooltip ?? '', /^4103 · Potential Ransomware Staging Activity /);
  });
});

describe('socAnalytics.openAnalysis second argument (checkShowRowsRequest)', () => {
  it('keeps string facets and detail: true; refuses anything else', () => {
    assert.deepEqual(checkShowRowsRequest({ facets: { src: 'a', dst: 'b' }, detail: true, extra: 1 }), { facets: { src: 'a', dst: 'b' }, detail: true });
    assert.deepEqual(checkShowRowsRequest({ facets: { host: 'DS1' }, detail: 'yes' }), { facets: { host: 'DS1' } });
    assert.equal(checkShowRowsRequest(undefined), undefined);
    assert.equal(checkShowRowsRequest([{ facets: { host: 'x' } }]), undefined, 'a menu passes the selected nodes as an array');
    assert.equal(checkShowRowsRequest({ facets: {} }), undefined);
    assert.equal(checkShowRowsRequest({ facets: { host: 1 } }), undefined);
    assert.equal(checkShowRowsRequest({ facets: 'host' }), undefined);
    const proto = checkShowRowsRequest(JSON.parse('{"facets":{"__proto__":"x"}}'));
    assert.deepEqual(Object.keys(proto!.facets), ['__proto__']);
    assert.equal(Object.getPrototypeOf(proto!.facets), Object.prototype);
  });
});

describe('DashboardPanel.showRows: the page gets the rows of a tree row after its model', () => {
  afterEach(() => DashboardPanel.disposeAll());
  const ext = vscode.Uri.file('/ext');
  const rows = [{ src: 'a', dst: 'x' }, { src: 'a', dst: 'y' }, { src: 'b', dst: 'y' }];
  const source: DashboardSource = {
    panelTitle: 'Beacons: t',
    model: { kind: 'beacons', title: 't', zone: 'UTC', tables: [], columns: [] } as unknown as DashboardSource['model'],
    rows,
    columns: [],
    store: {
      warm() {},
      prepare: async () => undefined,
      // the store's answer to a query with these facets: the matching row ids
      window: (q: { facets?: Record<string, string> }) => {
        const ids = rows.flatMap((r, i) => (Object.entries(q.facets ?? {}).every(([k, v]) => (r as Record<string, string>)[k] === v) ? [i] : []));
        return { total: ids.length, ids, rows: [] };
      },
    } as unknown as DashboardSource['store'],
    detail: () => ({}) as never,
    exportName: 'x.csv',
    rowNoun: 'rows',
  };
  const host: PanelHost = { getSource: async () => source, displayZone: () => 'UTC', log: () => undefined };
  const types = (p: StandInPanel) => p.posted.map((m) => m.body.type);

  it('a fresh panel: showRows follows the model (not lost before the page is ready), with the detail row’s id', async () => {
    DashboardPanel.showRows(ext, host, 'B1', { facets: { src: 'b', dst: 'y' }, detail: true });
    const p = panels[panels.length - 1];
    await tick();
    assert.deepEqual(types(p), [], 'nothing before the page says ready');
    p.send({ type: 'ready' }, 1);
    await tick(10);
    assert.deepEqual(types(p), ['loading', 'model', 'showRows']);
    assert.deepEqual(p.posted[2].body, { type: 'showRows', facets: { src: 'b', dst: 'y' }, openDetail: 2 });
  });

  it('a panel already showing its dashboard: showRows at once, revealed; without detail no row id', async () => {
    DashboardPanel.show(ext, host, 'B2');
    const p = panels[panels.length - 1];
    p.send({ type: 'ready' }, 1);
    await tick(10);
    const before = p.posted.length;
    const revealed = p.revealed;
    DashboardPanel.showRows(ext, host, 'B2', { facets: { dst: 'y' } });
    await tick(10);
    assert.equal(p.revealed, revealed + 1);
    assert.deepEqual(p.posted.slice(before).map((m) => m.body), [{ type: 'showRows', facets: { dst: 'y' } }]);
    assert.equal(panels[panels.length - 1], p, 'no second panel');
  });

  it('a panel behind another tab (its page dropped): showRows waits for the page made anew, then follows its model', async () => {
    DashboardPanel.show(ext, host, 'B3');
    const p = panels[panels.length - 1];
    p.send({ type: 'ready' }, 1);
    await tick(10);
    p.visible = false; // (VS Code drops a hidden webview's document; revealed, the page loads again and says ready)
    const before = p.posted.length;
    DashboardPanel.showRows(ext, host, 'B3', { facets: { src: 'a', dst: 'y' }, detail: true });
    await tick(10);
    assert.deepEqual(p.posted.slice(before).map((m) => m.body.type), [], 'not posted to a page that is not there');
    p.visible = true;
    p.send({ type: 'ready' }, 2);
    await tick(10);
    assert.deepEqual(p.posted.slice(before).map((m) => m.body.type), ['model', 'showRows']);
    assert.deepEqual(p.posted[p.posted.length - 1].body, { type: 'showRows', facets: { src: 'a', dst: 'y' }, openDetail: 1 });
  });

  // a run's notification with *Show Notes* / *Show Errors* (extension.ts showRunNotice): the tab, the same ways
  it('showTab: a fresh panel gets it after its model; an open one at once; a page made anew after its model', async () => {
    DashboardPanel.showTab(ext, host, 'T1', 'notes');
    const p = panels[panels.length - 1];
    await tick();
    assert.deepEqual(types(p), [], 'nothing before the page says ready');
    p.send({ type: 'ready' }, 1);
    await tick(10);
    assert.deepEqual(types(p), ['loading', 'model', 'showTab']);
    assert.deepEqual(p.posted[2].body, { type: 'showTab', tab: 'notes' });
    const before = p.posted.length;
    DashboardPanel.showTab(ext, host, 'T1', 'errors');
    await tick(10);
    assert.deepEqual(p.posted.slice(before).map((m) => m.body), [{ type: 'showTab', tab: 'errors' }]);
    assert.equal(panels[panels.length - 1], p, 'no second panel');
    p.visible = false;
    const hidden = p.posted.length;
    DashboardPanel.showTab(ext, host, 'T1', 'notes');
    await tick(10);
    assert.deepEqual(p.posted.slice(hidden), [], 'not posted to a page that is not there');
    p.visible = true;
    p.send({ type: 'ready' }, 2);
    await tick(10);
    assert.deepEqual(p.posted.slice(hidden).map((m) => m.body.type), ['model', 'showTab']);
  });
});
