/**
 * Beacon detection in a real VS Code extension host: copies ../shared/data/zeek/ (the real day of
 * hourly rotated .gz conn logs plus the JSON logs) into the workspace, runs `SOC: Detect Beacons…`
 * (`socAnalytics.detectBeacons(uri, uris)`) on the copy with the sensor address as internal subnet,
 * and checks the summary, the rendered dashboard cards and the top pair the table shows.
 *
 * Extension hooks relied on: command `socAnalytics.detectBeacons` → `{ analysisId, summary }`;
 * hidden command `socAnalytics.test.lastRendered(analysisId)` → `{ cards, totalRows, visibleRows, firstRow }`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { poll, waitRendered, webviewTab, LAST_RENDERED, type AnalyzeResult } from './helpers';
import type { WebviewProbe } from '../../../src/shared/protocol';

const DETECT = 'socAnalytics.detectBeacons';

const digits = (s: string | undefined) => Number((s ?? '').replace(/[^\d]/g, ''));

/** ../shared beside the extension (repo) folder, or SOC_SHARED_DIR. */
function sharedDir(): string {
  if (process.env.SOC_SHARED_DIR) return path.resolve(process.env.SOC_SHARED_DIR);
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'soc-analytics');
  assert.ok(ext, 'extension soc-analytics not found');
  return path.resolve(ext.extensionPath, '..', 'shared');
}

describe('Beacon detection (real VS Code, real Zeek logs)', () => {
  let copy = '';
  let result: AnalyzeResult | undefined;
  const cfg = () => vscode.workspace.getConfiguration('socAnalytics.beacons');
  let previousInternal: string[] | undefined;

  before(async () => {
    const folders = vscode.workspace.workspaceFolders;
    assert.ok(folders && folders.length > 0, 'the launcher must open a workspace folder');
    const src = path.join(sharedDir(), 'data', 'zeek');
    assert.ok(fs.existsSync(src), `Zeek data not found: ${src}`);
    copy = path.join(folders[0].uri.fsPath, `zeek-copy-${Date.now()}`);
    fs.cpSync(src, copy, { recursive: true });
    previousInternal = cfg().inspect<string[]>('internalSubnets')?.globalValue;
    // the sensor watches a public address: make it the internal network
    await cfg().update('internalSubnets', ['64.225.56.201/32'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await cfg().update('internalSubnets', previousInternal, vscode.ConfigurationTarget.Global);
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it('a folder without a connection log: no analysis, the files skipped and why, with Choose Files… and Show Log (as the other analyses)', async () => {
    const folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, `no-conn-${Date.now()}`);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'Meeting notes\nnothing to see here\n');
    const shown: unknown[][] = [];
    const win = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showWarningMessage;
    win.showWarningMessage = (...a: unknown[]) => (shown.push(a), Promise.resolve(undefined));
    try {
      const r = await vscode.commands.executeCommand(DETECT, vscode.Uri.file(folder), [vscode.Uri.file(folder)]);
      assert.equal(r, undefined, 'no analysis is added');
      const w = await poll('the warning', () => shown.find((a) => /no connection log files found/.test(String(a[0]))), 5000);
      // it was `no connection log in “…”. …` with no button
      assert.match(String(w[0]), new RegExp(`^SOC Analytics: no connection log files found in “${path.basename(folder)}”\\. 1 file skipped — notes\\.txt: `));
      assert.deepEqual(w.slice(1), ['Choose Files…', 'Show Log']);
    } finally {
      win.showWarningMessage = original;
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a workspace-like folder: a QRadar Log Activity export gets no prompt; Escape on a header\'s column prompt skips its file, the conn log is still analyzed', async () => {
    const folder = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, `beacon-ws-${Date.now()}`);
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(sharedDir(), 'data/zeek/json/conn.log'), path.join(folder, 'conn.log'));
    fs.copyFileSync(path.join(sharedDir(), 'data/qradar/samples/log_activity_export.csv'), path.join(folder, 'log_activity_export.csv'));
    fs.writeFileSync(path.join(folder, 'odd.csv'), 'when,client,server,svc\n2026-12-03T07:00:00Z,10.0.0.1,203.0.113.9,443\n');
    const prompts: { title: string; labels: string[] }[] = [];
    const win = vscode.window as unknown as { showQuickPick: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showQuickPick;
    win.showQuickPick = async (items: unknown, o?: unknown) => {
      const list = (await items) as vscode.QuickPickItem[];
      prompts.push({ title: String((o as vscode.QuickPickOptions | undefined)?.title ?? ''), labels: list.map((i) => i.label) });
      return undefined; // Escape
    };
    try {
      const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>(DETECT, vscode.Uri.file(folder), [vscode.Uri.file(folder)]);
      // Escape cancelled the whole run, and the QRadar event export was asked about first
      assert.deepEqual(prompts.map((x) => x.title), ['Connection columns of odd.csv']);
      assert.deepEqual(prompts[0].labels.slice(-3), ['$(list-selection) Choose columns…', '$(debug-step-over) Skip this file', '$(close) Cancel the analysis']);
      assert.ok(r, 'the analysis ran');
      assert.equal(r.summary.records, 29, 'the 29 connections of conn.log');
    } finally {
      win.showQuickPick = original;
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('registers SOC: Detect Beacons…', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'soc-analytics')!;
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(DETECT), `${DETECT} not registered`);
    const menus = ext.packageJSON.contributes?.menus as Record<string, { command?: string; submenu?: string }[]>;
    assert.ok(menus['explorer/context'].some((m) => m.submenu === 'socAnalytics.explorer'), 'Explorer context menu: SOC Analytics submenu');
    assert.ok(menus['socAnalytics.explorer'].some((m) => m.command === DETECT), 'Explorer submenu entry');
  });

  it('detects beacons in the copied zeek folder: exact records, pairs and severities', async () => {
    const uri = vscode.Uri.file(copy);
    result = await vscode.commands.executeCommand<AnalyzeResult | undefined>(DETECT, uri, [uri]);
    assert.ok(result, `${DETECT} returned nothing`);
    console.log(`    summary: ${JSON.stringify(result.summary)}`);
    assert.equal(result.summary.files, 26);
    assert.equal(result.summary.records, 31367 + 29);
    assert.equal(result.summary.pairs, 22);
    assert.equal(result.summary.high, 1);
    assert.equal(result.summary.medium, 3);
    assert.equal(result.summary.low, 5);
    assert.equal(result.summary.unparsedLines, 0);
  });

  it('the dashboard shows the cards and 64.225.56.201 → 91.189.91.157 (score 1.000, high) as the top pair', async () => {
    assert.ok(result, 'needs the analysis');
    const tab = await webviewTab('a webview tab titled "Beacons…"', /^Beacons/);
    assert.ok(tab);
    const rendered = await waitRendered(result.analysisId, `the rendered table (${LAST_RENDERED})`, (r) => r.firstRow && r.firstRow.length > 0, { retryErrors: true });
    console.log(`    rendered: ${JSON.stringify(rendered)}`);
    assert.equal(rendered.totalRows, 22);
    assert.equal(digits(rendered.cards.records), 31367 + 29);
    assert.equal(digits(rendered.cards.pairs), 22);
    assert.equal(digits(rendered.cards.high), 1);
    const row = rendered.firstRow!;
    assert.equal(row[0], 'High');
    assert.equal(row[1], '1.000');
    assert.equal(row[2], '64.225.56.201');
    assert.equal(row[3], '91.189.91.157');
    assert.ok(row.includes('42'), `42 connections in ${JSON.stringify(row)}`);
  });

  it('safelisting the top pair updates the Results tree line of the analysis while it is in memory (and un-safelisting restores it)', async () => {
    assert.ok(result, 'needs the analysis');
    const id = result.analysisId;
    const line = async () => (await vscode.commands.executeCommand<{ description: string } | undefined>('socAnalytics.test.treeLine', id))?.description;
    // only this dashboard open (a safelist change refreshes the open dashboards, which brings their results into memory)
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    assert.equal(await line(), '1 high · 3 medium · 22 pairs scored');
    const previous = cfg().inspect<string[]>('safelist')?.globalValue;
    try {
      await cfg().update('safelist', ['64.225.56.201 -> 91.189.91.157'], vscode.ConfigurationTarget.Global);
      await poll('the tree line to count the safelisted pair out', async () => (await line()) === '0 high · 3 medium · 21 pairs scored · 1 safelisted');
    } finally {
      await cfg().update('safelist', previous, vscode.ConfigurationTarget.Global);
    }
    await poll('the tree line to count the pair again', async () => (await line()) === '1 high · 3 medium · 22 pairs scored');
  });

  it("the detail pane's Safelist this pair asks first, adds the entry, and the notification's Undo takes it off again", async () => {
    assert.ok(result, 'needs the analysis');
    const id = result.analysisId;
    const ENTRY = '64.225.56.201 -> 91.189.91.157';
    const line = async () => (await vscode.commands.executeCommand<{ description: string } | undefined>('socAnalytics.test.treeLine', id))?.description;
    const listed = () => cfg().get<string[]>('safelist', []).includes(ENTRY);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    assert.equal(listed(), false, 'the pair is not safelisted before');
    const win = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown>; showInformationMessage: (...a: unknown[]) => Thenable<unknown> };
    const { showWarningMessage: warn, showInformationMessage: info } = win;
    const asked: unknown[][] = [];
    const told: unknown[][] = [];
    let undo: (v: string | undefined) => void = () => undefined;
    win.showWarningMessage = (...a: unknown[]) => (asked.push(a), Promise.resolve('Safelist')); // the modal question: confirmed
    win.showInformationMessage = (...a: unknown[]) => {
      told.push(a);
      // the first notification keeps its Undo button until the test presses it
      return told.length === 1 ? new Promise<string | undefined>((r) => (undo = r)) : Promise.resolve(undefined);
    };
    try {
      // the top pair's detail, then its button, as a user clicks them
      // (the panel was just reopened: probe until its page answers with the detail)
      const opened = await poll('the detail of the top pair', () =>
        Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', id, 0)).then((p) => (p?.detailText ? p : undefined)),
      );
      assert.match(opened?.detailText ?? '', /Safelist this pair/, `the detail pane shows the action: ${JSON.stringify(opened?.detailText?.slice(0, 600))}`);
      await vscode.commands.executeCommand('socAnalytics.test.probeDashboard', id, undefined, 'detail-action-safelist-pair');
      await poll('the entry in socAnalytics.beacons.safelist', async () => listed(), 10000);
      assert.equal(asked.length, 1);
      assert.equal(asked[0][0], `Add “${ENTRY}” to the beacon safelist?`);
      assert.equal((asked[0][1] as { modal?: boolean }).modal, true, 'asked in a modal dialog');
      await poll('the tree line to count the safelisted pair out', async () => (await line()) === '0 high · 3 medium · 21 pairs scored · 1 safelisted');
      await poll('the notification', async () => told.length === 1);
      assert.deepEqual(told[0], [`SOC Analytics: “${ENTRY}” is on the beacon safelist (socAnalytics.beacons.safelist).`, 'Undo']);
      undo('Undo');
      await poll('the entry taken off', async () => !listed(), 10000);
      await poll('the second notification', async () => told.length === 2);
      assert.equal(told[1][0], `SOC Analytics: “${ENTRY}” was taken off the beacon safelist.`);
      await poll('the tree line to count the pair again', async () => (await line()) === '1 high · 3 medium · 22 pairs scored');
    } finally {
      win.showWarningMessage = warn;
      win.showInformationMessage = info;
      undo(undefined);
      if (listed()) {
        const ws = cfg().inspect<string[]>('safelist')?.workspaceValue;
        if (ws) await cfg().update('safelist', ws.filter((e) => e !== ENTRY), vscode.ConfigurationTarget.Workspace);
      }
    }
  });

  it('SOC: Remove Beacon Safelist Entries… lists the entries, takes off the ticked ones, and the pair is counted again', async () => {
    assert.ok(result, 'needs the analysis');
    const id = result.analysisId;
    const ENTRY = '64.225.56.201 -> 91.189.91.157';
    const line = async () => (await vscode.commands.executeCommand<{ description: string } | undefined>('socAnalytics.test.treeLine', id))?.description;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    const before = cfg().inspect<string[]>('safelist')?.workspaceValue;
    const win = vscode.window as unknown as { showQuickPick: (...a: unknown[]) => Thenable<unknown>; showInformationMessage: (...a: unknown[]) => Thenable<unknown> };
    const { showQuickPick: pick, showInformationMessage: info } = win;
    const offered: string[][] = [];
    const told: unknown[][] = [];
    try {
      await cfg().update('safelist', [ENTRY, '192.0.2.1'], vscode.ConfigurationTarget.Workspace);
      await poll('the tree line to count the safelisted pair out', async () => (await line()) === '0 high · 3 medium · 21 pairs scored · 1 safelisted');
      win.showQuickPick = (items: unknown) => {
        const list = items as { label: string; entry: string; picked?: boolean }[];
        offered.push(list.map((x) => `${x.label}${x.picked ? ' (ticked)' : ''}`));
        return Promise.resolve(list.filter((x) => x.entry === ENTRY)); // the user ticks the pair, Enter
      };
      win.showInformationMessage = (...a: unknown[]) => (told.push(a), Promise.resolve(undefined));
      const removed = await vscode.commands.executeCommand<string[] | undefined>('socAnalytics.removeSafelistEntries');
      assert.deepEqual(removed, [ENTRY]);
      assert.deepEqual(offered, [[ENTRY, '192.0.2.1']], 'every entry offered, none ticked');
      assert.deepEqual(cfg().get<string[]>('safelist'), ['192.0.2.1'], 'the other entry stays');
      assert.equal(told[0]?.[0], `SOC Analytics: 1 entry taken off the beacon safelist: ${ENTRY}.`);
      await poll('the tree line to count the pair again', async () => (await line()) === '1 high · 3 medium · 22 pairs scored');
    } finally {
      win.showQuickPick = pick;
      win.showInformationMessage = info;
      await cfg().update('safelist', before, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Safelist this pair with a workspace safelist that is no list (a string) writes a list of the entry, not its characters', async () => {
    // hostile review, round 5: the setting comes from .vscode/settings.json; a string was spread into single characters
    assert.ok(result, 'needs the analysis');
    const id = result.analysisId;
    const ENTRY = '64.225.56.201 -> 91.189.91.157';
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    const before = cfg().inspect<unknown>('safelist')?.workspaceValue;
    const win = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown>; showInformationMessage: (...a: unknown[]) => Thenable<unknown> };
    const { showWarningMessage: warn, showInformationMessage: info } = win;
    try {
      await cfg().update('safelist', 'not-a-list', vscode.ConfigurationTarget.Workspace);
      win.showWarningMessage = () => Promise.resolve('Safelist');
      win.showInformationMessage = () => Promise.resolve(undefined);
      await poll('the detail of the top pair', () =>
        Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', id, 0)).then((p) => (p?.detailText?.includes('Safelist this pair') ? p : undefined)),
      );
      await vscode.commands.executeCommand('socAnalytics.test.probeDashboard', id, undefined, 'detail-action-safelist-pair');
      await poll('the workspace safelist written', async () => (Array.isArray(cfg().inspect<unknown>('safelist')?.workspaceValue) ? true : undefined), 10000);
      assert.deepEqual(cfg().inspect<unknown>('safelist')?.workspaceValue, [ENTRY]);
    } finally {
      win.showWarningMessage = warn;
      win.showInformationMessage = info;
      await cfg().update('safelist', before, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe('Beacon result larger than one worker slice (real VS Code)', () => {
  // 1,200 pairs 10.0.x.y → 198.51.100.z, 30 connections each every 60 s with 500 bytes sent: all listed,
  // so the result reaches the host in slices of RESULT_PART_ITEMS (250) pairs with the chart lists packed into typed arrays
  // (src/shared/result-packing.ts); the detail pane of a pair then needs them back.
  const PAIRS = 1200;
  let dir = '';
  const cfg = () => vscode.workspace.getConfiguration('socAnalytics.beacons');
  let previousInternal: string[] | undefined;

  before(async () => {
    const folders = vscode.workspace.workspaceFolders;
    assert.ok(folders && folders.length > 0);
    dir = path.join(folders[0].uri.fsPath, `zeek-many-${Date.now()}`);
    fs.mkdirSync(dir);
    const head = [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tconn',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
    ];
    const lines: string[] = [];
    for (let c = 0; c < 30; c++) {
      for (let p = 0; p < PAIRS; p++) {
        const ts = 1713484800 + c * 60 + p / 1000;
        lines.push([ts.toFixed(6), `C${p}x${c}`, `10.0.${p >> 8}.${p & 255}`, '50000', `198.51.100.${p % 250}`, String(443 + Math.floor(p / 250)), 'tcp', 'ssl', '0.1', '500', '900', 'SF', 'T', 'F', '0', 'ShADadFf', '5', '500', '5', '900', '-'].join('\t'));
      }
    }
    fs.writeFileSync(path.join(dir, 'conn.log'), [...head, ...lines, '#close\t2024-04-19-01-00-00', ''].join('\n'));
    previousInternal = cfg().inspect<string[]>('internalSubnets')?.globalValue;
    await cfg().update('internalSubnets', ['10.0.0.0/8'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await cfg().update('internalSubnets', previousInternal, vscode.ConfigurationTarget.Global);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists all 1,200 pairs and the detail of a pair in the last slice shows its charts', async () => {
    const uri = vscode.Uri.file(dir);
    const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>(DETECT, uri, [uri]);
    assert.ok(result, `${DETECT} returned nothing`);
    console.log(`    summary: ${JSON.stringify(result.summary)}`);
    assert.equal(result.summary.records, 30 * PAIRS);
    assert.equal(result.summary.pairs, PAIRS);
    const rendered = await waitRendered(result.analysisId, 'the rendered table', (r) => r.firstRow && r.firstRow.length > 0, { retryErrors: true });
    assert.equal(rendered.totalRows, PAIRS);
    const probe = await vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', result.analysisId, PAIRS - 1);
    assert.ok(probe, 'no DOM probe of the dashboard');
    const detail = probe.detailText ?? '';
    console.log(`    detail: ${detail.slice(0, 400)}`);
    // the histogram's title gives its bin width (1/24 of the observation window) and the zone
    assert.match(detail, /Connections per bin of (\d+\s(?:h|min|s)\s?)+\([\w/+-]+\)/, `the detail pane does not title the histogram with its bin width: ${detail.slice(0, 800)}`);
    for (const t of ['Intervals between connections', 'Bytes sent per connection', 'Most common interval (s)60', 'Connections30']) {
      assert.ok(detail.replace(/\s+/g, '').includes(t.replace(/\s+/g, '')), `the detail pane does not show ${JSON.stringify(t)}: ${detail.slice(0, 800)}`);
    }
    // the chart values: the host keeps the lists packed and rebuilds this pair's for its detail
    const charts = Object.fromEntries((probe.detailCharts ?? []).map((c) => [c.id, c]));
    console.log(`    charts: ${JSON.stringify(probe.detailCharts).slice(0, 400)}`);
    // (one distinct length: one bar labelled in seconds, the unit on the axis title — bins of ranges past 8 lengths)
    assert.deepEqual({ labels: charts.intervals?.labels, values: charts.intervals?.values }, { labels: ['60'], values: [29] });
    assert.deepEqual({ labels: charts.sizes?.labels, values: charts.sizes?.values }, { labels: ['500 B'], values: [30] });
    assert.equal(charts.hourly?.values.length, 24);
    assert.equal(charts.hourly?.values.reduce((a, b) => a + b, 0), 30);
  });
});

describe('Beacons on a QRadar Network Activity CSV export (real VS Code)', () => {
  // the synthetic export of test/fixtures/qradar-flows (README there): a 60 s beacon 10.20.30.40 → 203.0.113.50:443 from
  // 8:00 AM console time (Europe/Berlin) = 07:00 UTC, amid noise, two damaged rows. Recognised by its columns: no
  // mapping question; the times are read in socAnalytics.qradar.consoleTimeZone (asked only when it is empty).
  let dir = '';
  const qradar = () => vscode.workspace.getConfiguration('socAnalytics.qradar');
  const display = () => vscode.workspace.getConfiguration('socAnalytics');
  let previousZone: string | undefined;
  let previousDisplay: string | undefined;

  before(async () => {
    const folders = vscode.workspace.workspaceFolders;
    assert.ok(folders && folders.length > 0);
    dir = path.join(folders[0].uri.fsPath, `qradar-flows-${Date.now()}`);
    fs.mkdirSync(dir);
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'soc-analytics')!;
    fs.copyFileSync(path.join(ext.extensionPath, 'test/fixtures/qradar-flows/network-activity-export.csv'), path.join(dir, 'network-activity-export.csv'));
    previousZone = qradar().inspect<string>('consoleTimeZone')?.globalValue;
    previousDisplay = display().inspect<string>('displayTimeZone')?.globalValue;
    await qradar().update('consoleTimeZone', 'Europe/Berlin', vscode.ConfigurationTarget.Global);
    await display().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await qradar().update('consoleTimeZone', previousZone, vscode.ConfigurationTarget.Global);
    await display().update('displayTimeZone', previousDisplay, vscode.ConfigurationTarget.Global);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scores the beacon high without asking for a column mapping, its first connection at 07:00 UTC', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'network-activity-export.csv'));
    let done = false;
    const run = Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>(DETECT, uri, [uri])).finally(() => (done = true));
    // a mapping question would keep the command waiting: give it time, then close whatever is open, and fail
    await Promise.race([run, new Promise((r) => setTimeout(r, 30_000))]);
    if (!done) {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.fail('Detect Beacons asked a question (column mapping or console zone) for a QRadar flow export');
    }
    const result = await run;
    assert.ok(result, `${DETECT} returned nothing`);
    console.log(`    summary: ${JSON.stringify(result.summary)}`);
    assert.equal(result.summary.files, 1);
    assert.equal(result.summary.records, 327);
    assert.equal(result.summary.unparsedLines, 2);
    assert.equal(result.summary.pairs, 4);
    assert.equal(result.summary.high, 1);
    assert.equal(result.summary.medium, 1);
    const rendered = await waitRendered(result.analysisId, 'the rendered table', (r) => r.firstRow && r.firstRow.length > 0, { retryErrors: true });
    const row = rendered.firstRow!;
    console.log(`    first row: ${JSON.stringify(row)}`);
    assert.deepEqual(row.slice(0, 4), ['High', '1.000', '10.20.30.40', '203.0.113.50']);
    assert.ok(row.includes('2026-12-03 07:00:00'), `first seen 07:00:00 UTC (8:00 AM in Berlin) in ${JSON.stringify(row)}`);
  });

  it('with no console zone set, asks for it (as the QRadar analysis does); dismissed, the run goes on and nothing is saved', async () => {
    await qradar().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Global);
    const uri = vscode.Uri.file(path.join(dir, 'network-activity-export.csv'));
    let done = false;
    const run = Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>(DETECT, uri, [uri])).finally(() => (done = true));
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(done, false, 'the console zone was not asked');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const result = await Promise.race([run, new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000))]);
    assert.ok(result, `${DETECT} did not finish after the question was dismissed`);
    assert.equal(result.summary.records, 327);
    assert.equal(result.summary.high, 1);
    assert.equal(qradar().inspect<string>('consoleTimeZone')?.globalValue, undefined, 'a zone was saved without a choice');
  });
});
