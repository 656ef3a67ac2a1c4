/**
 * Integration tests run inside a real VS Code extension host (see ./index.ts for the launchers).
 * The workspace is a temp folder that contains `loki-results/` = a copy of
 * shared/data/loki/real-2021-2022; the expected numbers are in ../expected.json.
 *
 * Extension hooks relied on:
 *   - command `socAnalytics.analyzeLoki(uri?, uris?)` → `{ analysisId, summary }` | undefined
 *   - a webview panel whose tab title contains "Loki" and whose viewType is declared as
 *     `onWebviewPanel:<viewType>` in the manifest (currently `socAnalytics.dashboard`)
 *   - hidden command `socAnalytics.test.lastRendered(analysisId)` → `{ cards, totalRows, visibleRows }` | undefined
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewProbe } from '../../../src/shared/protocol';
import expected from '../expected.json';
import { poll, waitRendered as waitReported, LAST_RENDERED, type Rendered } from './helpers';

interface LokiSummary {
  [key: string]: number;
}
interface AnalyzeResult {
  analysisId: string;
  summary: LokiSummary;
}

const EXTENSION_NAME = 'soc-analytics';
const ANALYZE = 'socAnalytics.analyzeLoki';

/** "1,234" / "1 234" / "7" → 1234 / 7; NaN if there is no digit. */
function cardNumber(text: string | undefined): number {
  const digits = (text ?? '').replace(/[^\d]/g, '');
  return digits ? Number(digits) : NaN;
}

function workspaceRoot(): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders;
  assert.ok(folders && folders.length > 0, 'the launcher must open a workspace folder');
  return folders[0].uri;
}

function dataFolder(): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), expected.dataFolder);
}

function lokiWebviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && /Loki/i.test(t.label));
}

async function analyze(uri: vscode.Uri, uris?: vscode.Uri[]): Promise<AnalyzeResult> {
  const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>(ANALYZE, uri, uris ?? [uri]);
  assert.ok(result, `${ANALYZE} returned nothing for ${uri.fsPath}`);
  assert.equal(typeof result.analysisId, 'string', 'analysisId must be a string');
  assert.ok(result.summary && typeof result.summary === 'object', 'summary missing');
  return result;
}

/** Waits until the webview reported its cards and its first window of rows (cards render before the rows arrive). */
async function waitRendered(analysisId: string, minRows = 1): Promise<Rendered> {
  return waitReported(analysisId, `the dashboard webview to report its cards and rows (${LAST_RENDERED} ${analysisId})`, (r) => r.cards && Object.keys(r.cards).length > 0 && r.totalRows >= minRows, {
    retryErrors: true,
  });
}

function assertCardsMatch(rendered: Rendered, summary: LokiSummary): void {
  const map = expected.cardToSummary as Record<string, string>;
  for (const [card, field] of Object.entries(map)) {
    if (!(field in summary)) continue; // summary field not produced: nothing to compare
    assert.ok(card in rendered.cards, `card "${card}" not rendered (rendered: ${Object.keys(rendered.cards).join(', ')})`);
    assert.equal(cardNumber(rendered.cards[card]), summary[field], `card "${card}" shows "${rendered.cards[card]}", summary.${field} = ${summary[field]}`);
  }
}

describe('SOC Analytics extension (real VS Code)', () => {
  let folderResult: AnalyzeResult | undefined;

  it('is installed and activates', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === EXTENSION_NAME);
    assert.ok(ext, `extension "${EXTENSION_NAME}" not found among ${vscode.extensions.all.length} extensions`);
    await ext.activate();
    assert.ok(ext.isActive, 'extension did not activate');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(ANALYZE), `${ANALYZE} not registered`);
    assert.ok(commands.includes(LAST_RENDERED), `${LAST_RENDERED} not registered`);
  });

  it('contributes the SOC Analytics view container and the results view', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.socAnalytics');
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === EXTENSION_NAME)!;
    const views = ext.packageJSON.contributes?.views?.socAnalytics as { id: string }[] | undefined;
    assert.ok(views?.some((v) => v.id === 'socAnalytics.results'), 'view socAnalytics.results not contributed');
  });

  it(`analyzeLoki(folder) returns the exact summary of the ${expected.folder.files} real files`, async () => {
    folderResult = await analyze(dataFolder());
    const got = folderResult.summary;
    console.log(`    summary: ${JSON.stringify(got)}`);
    for (const [key, value] of Object.entries(expected.folder)) {
      assert.equal(got[key], value, `summary.${key}`);
    }
  });

  it('opens the Loki dashboard webview tab', async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    const tab = await poll('a webview tab titled with "Loki"', () => lokiWebviewTabs()[0], 20000, { retryErrors: true });
    const input = tab.input as vscode.TabInputWebview;
    // The panel's viewType must be one the manifest restores (activationEvents onWebviewPanel:<viewType>,
    // matching the registered WebviewPanelSerializer), e.g. socAnalytics.dashboard.
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === EXTENSION_NAME)!;
    const restorable = ((ext.packageJSON.activationEvents ?? []) as string[])
      .filter((a) => a.startsWith('onWebviewPanel:'))
      .map((a) => a.slice('onWebviewPanel:'.length));
    assert.ok(
      restorable.some((v) => input.viewType === v || input.viewType.endsWith(`-${v}`)),
      `dashboard viewType ${input.viewType} is not declared as onWebviewPanel:<viewType> (declared: ${restorable.join(', ') || 'none'})`,
    );
  });

  it('the webview renders cards equal to the summary numbers', async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    const rendered = await waitRendered(folderResult.analysisId);
    console.log(`    rendered: ${JSON.stringify(rendered)}`);
    assertCardsMatch(rendered, folderResult.summary);
    assert.equal(rendered.totalRows, expected.folderRows, 'totalRows (findings in the table)');
    assert.ok(rendered.visibleRows > 0 && rendered.visibleRows <= rendered.totalRows, `visibleRows ${rendered.visibleRows}`);
  });

  it('Copy Summary as Markdown: the dashboard in front, on the clipboard, with the exact numbers and rows', async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    await waitRendered(folderResult.analysisId);
    await vscode.env.clipboard.writeText('');
    // no argument: the command picks the dashboard in front (as from the command palette)
    const r = await vscode.commands.executeCommand<{ analysisId: string; markdown: string } | undefined>('socAnalytics.copySummaryMarkdown');
    assert.ok(r, 'the command copied nothing');
    assert.equal(r.analysisId, folderResult.analysisId);
    assert.equal(await vscode.env.clipboard.readText(), r.markdown);
    const f = expected.folder;
    assert.match(r.markdown, /^# Loki scan summary: loki-results\n/);
    assert.ok(r.markdown.includes(`- Findings read: ${f.alerts} alerts, ${f.warnings} warnings, ${f.notices} notice\n`), r.markdown);
    assert.ok(r.markdown.includes(`- Hosts: ${f.hosts} (${f.hostsWithFindings} with alerts or warnings, ${f.cleanHosts} clean, ${f.incompleteByScannerErrors} with an incomplete scan (scanner errors))\n`), r.markdown);
    assert.ok(r.markdown.includes('| DS1 | Indicators detected | 6 | 4 |'), r.markdown);
    assert.ok(r.markdown.includes('| psexec_generic | WARNING | yara | 4 | 0 | 4 | 0 | 1 |'), r.markdown); // findings, alerts, warnings, notices, hosts
  });

  it("a finding's detail shows its message, read back from the log (the host's copy leaves it out)", async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    await waitRendered(folderResult.analysisId);
    const probe = await poll('a DOM probe with the detail of row 0', () =>
      Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', folderResult!.analysisId, 0)).then((p) => (p?.detailText ? p : undefined)),
    );
    const detail = probe.detailText ?? '';
    console.log(`    detail of row 0: ${detail.slice(0, 160)}…`);
    assert.doesNotMatch(detail, /not shown/);
    // the raw message (upper-case keys as Loki wrote them), not only the parsed fields
    assert.match(detail, /FILE: .+SCORE: \d+ TYPE: /);
  });

  it('the findings table opens most severe first (level, then score)', async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    await waitRendered(folderResult.analysisId);
    const probe = await poll('a DOM probe with the first table rows', () =>
      Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', folderResult!.analysisId)).then((p) => (p?.table?.firstRows.length ? p : undefined)),
    );
    const t = probe.table!;
    console.log(`    sort ${JSON.stringify(t.query.sort)}; first rows: ${JSON.stringify(t.firstRows.map((r) => r.slice(0, 3)))}`);
    assert.deepEqual(t.query.sort, { column: 'level', dir: 'desc' });
    // the real scans: 7 alerts, the highest score 145 (fx1.exe, twice)
    assert.deepEqual(t.firstRows.slice(0, 2).map((r) => r.slice(0, 2)), [['ALERT', '145'], ['ALERT', '145']]);
    const scores = t.firstRows.map((r) => Number(r[1]));
    assert.ok(t.firstRows.every((r) => r[0] === 'ALERT') && scores.every((v, i) => i === 0 || scores[i - 1] >= v), JSON.stringify(t.firstRows));
  });

  it('a Results-tree host row, clicked with its dashboard open, shows that host’s findings (a removable filter chip)', async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    const id = folderResult.analysisId;
    await waitRendered(id);
    type Child = { label: string; description?: string; command?: { command: string; arguments?: unknown[] } };
    const children = await vscode.commands.executeCommand<Child[] | undefined>('socAnalytics.test.treeChildren', id);
    const ds1 = children?.find((c) => c.label === 'DS1');
    assert.ok(ds1, `no DS1 row: ${JSON.stringify(children?.map((c) => c.label))}`);
    // the counts first (the side bar cuts the line), the verdict after
    assert.equal(ds1.description, '6 A / 4 W / 1 N · Indicators detected');
    assert.deepEqual(ds1.command, { command: 'socAnalytics.openAnalysis', arguments: [id, { facets: { host: 'DS1' } }] });
    // what a click (or Enter) on the row runs
    await vscode.commands.executeCommand(ds1.command.command, ...(ds1.command.arguments ?? []));
    const probe = await poll('the dashboard filtered to DS1', () =>
      Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', id)).then((p) =>
        p?.table?.query.facets?.host === 'DS1' && p.table.firstRows.length > 0 ? p : undefined,
      ),
    );
    assert.deepEqual(probe.table!.query.facets, { host: 'DS1' });
    const hostCol = 2; // Level, Score, Host, …
    assert.ok(probe.table!.firstRows.every((r) => r[hostCol] === 'DS1'), JSON.stringify(probe.table!.firstRows));
    assert.match(probe.text, /Host:\s*DS1/, 'the filter chip');
    const rendered = await waitReported(id, 'the table to count the 11 findings of DS1', (r) => r.totalRows === 11);
    assert.equal(rendered.totalRows, 11);
    // back to every finding for the tests after this one (the chip's ×, as the user would)
    await vscode.commands.executeCommand('socAnalytics.test.probeDashboard', id, undefined, 'clear-filters');
    await waitReported(id, 'every finding again', (r) => r.totalRows === expected.folderRows);
  });

  it('socAnalytics.loki.expectedHostsFile: the card "Expected hosts without a scan" opens the coverage table; a missing list is a warning, not a crash', async () => {
    assert.ok(folderResult, 'needs the folder analysis');
    const id = folderResult.analysisId;
    const cfg = vscode.workspace.getConfiguration('socAnalytics');
    const listFile = vscode.Uri.joinPath(workspaceRoot(), 'fleet-hosts.txt');
    // real hosts of the logs (DS1, DS-SER1, Server1, AD), one as an FQDN, and one host that was not scanned
    await vscode.workspace.fs.writeFile(listFile, Buffer.from('# finance sweep\nDS1\nds-ser1.corp.local\nServer1\nWS-HR-07\n'));
    const shown: string[] = [];
    const win = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showWarningMessage;
    win.showWarningMessage = (...a: unknown[]) => {
      shown.push(String(a[0]));
      return Promise.resolve(undefined);
    };
    const probe = (click?: string) => Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', id, undefined, click));
    try {
      await cfg.update('loki.expectedHostsFile', 'fleet-hosts.txt', vscode.ConfigurationTarget.Global); // relative: to the input's workspace folder
      const r = await waitReported(id, 'the card expectedMissing', (x) => x.cards && x.cards.expectedMissing !== undefined, { retryErrors: true });
      assert.equal(cardNumber(r.cards.expectedMissing), 1);
      const p = await poll('the coverage tab after a click on the card', () => probe('card-expectedMissing').then((x) => (x && /WS-HR-07/.test(x.text) ? x : undefined)));
      assert.match(p.text, /WS-HR-07\s*No scan/);
      assert.match(p.text, /AD\s*Scanned, not on the list/);
      assert.match(p.text, /ds-ser1\.corp\.local\s*Scanned \(by short name\)\s*scanned as DS-SER1/);
      // a list file that does not exist: the dashboard says so (notice) and a warning is shown; no card, no crash
      await cfg.update('loki.expectedHostsFile', 'no-such-list.txt', vscode.ConfigurationTarget.Global);
      await waitReported(id, 'the dashboard without the card', (x) => x.cards && x.cards.hosts !== undefined && x.cards.expectedMissing === undefined, { retryErrors: true });
      const q = await poll('the notice about the list', () => probe().then((x) => (x && /Expected-hosts list not read/.test(x.text) ? x : undefined)));
      assert.match(q.text, /cannot read the expected-hosts list .*no-such-list\.txt: no such file/);
      await poll('a warning notification', () => shown.find((m) => /expectedHostsFile: cannot read the expected-hosts list/.test(m)), 5000);
    } finally {
      win.showWarningMessage = original;
      await cfg.update('loki.expectedHostsFile', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(listFile);
    }
  });

  it('a run with every scan kept is titled apart from the latest-scan run of the same folder', async () => {
    const folder = dataFolder();
    const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLokiAllScans', folder, [folder]);
    assert.ok(result, 'analyzeLokiAllScans returned nothing');
    assert.notEqual(result.analysisId, folderResult?.analysisId, 'the all-scans run replaced the latest-scan run');
    const base = path.basename(folder.fsPath);
    await poll(`a webview tab "Loki: ${base} (all scans)"`, () => lokiWebviewTabs().find((t) => t.label === `Loki: ${base} (all scans)`), 20000);
    // (the latest-scan run's panel keeps "Loki: ${base}", see 'opens the Loki dashboard webview tab')
  });

  it('analyzes a single Loki file', async () => {
    const file = vscode.Uri.joinPath(dataFolder(), expected.singleFile.name);
    const result = await analyze(file);
    for (const [key, value] of Object.entries(expected.singleFile.summary)) {
      assert.equal(result.summary[key], value, `summary.${key} of ${expected.singleFile.name}`);
    }
    const rendered = await waitRendered(result.analysisId);
    assertCardsMatch(rendered, result.summary);
  });

  it('a file that is not Loki output: no analysis, a warning that says why, with the next steps Choose Files… and Show Log', async () => {
    const notLoki = vscode.Uri.joinPath(workspaceRoot(), `notes-${Date.now()}.txt`);
    await vscode.workspace.fs.writeFile(notLoki, Buffer.from('Meeting notes\nnothing to see here\n'));
    const shown: unknown[][] = [];
    const win = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showWarningMessage;
    win.showWarningMessage = (...a: unknown[]) => (shown.push(a), Promise.resolve(undefined));
    try {
      const result = await vscode.commands.executeCommand(ANALYZE, notLoki, [notLoki]);
      assert.equal(result, undefined, 'no analysis is added');
      const w = await poll('the warning', () => shown.find((a) => /was not read as Loki input/.test(String(a[0]))), 5000);
      assert.deepEqual(w, [
        // one file chosen and skipped: said of that file (it was "no Loki files found in" the file)
        `SOC Analytics: “${path.basename(notLoki.fsPath)}” was not read as Loki input — not Loki output: none of its 2 lines matches a Loki format.`,
        'Choose Files…',
        'Show Log',
      ]);
    } finally {
      win.showWarningMessage = original;
      await vscode.workspace.fs.delete(notLoki);
    }
  });

  it('reports a missing path with an error message instead of crashing', async () => {
    const missing = vscode.Uri.joinPath(workspaceRoot(), 'no-such-folder-' + Date.now());
    const shown: string[] = [];
    const win = vscode.window as unknown as { showErrorMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showErrorMessage;
    let spying = false;
    try {
      win.showErrorMessage = (...a: unknown[]) => {
        shown.push(String(a[0]));
        return Promise.resolve(undefined);
      };
      spying = win.showErrorMessage !== original;
    } catch {
      spying = false; // API object not writable: only check that nothing throws
    }
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand(ANALYZE, missing, [missing]);
    } catch (err) {
      assert.fail(`${ANALYZE} threw for a missing path instead of showing an error message: ${String(err)}`);
    } finally {
      if (spying) win.showErrorMessage = original;
    }
    assert.equal(result, undefined, 'no analysis for a missing path');
    if (spying) {
      await poll('an error message', () => (shown.length > 0 ? true : undefined), 5000, { retryErrors: true });
      console.log(`    error message: ${shown[0]}`);
    } else {
      console.log('    (window API not patchable: checked only that the command did not throw)');
    }
    // still alive afterwards
    const again = await analyze(vscode.Uri.joinPath(dataFolder(), expected.singleFile.name));
    assert.equal(again.summary.files, 1);
  });

  it('a folder without Loki output: the warning names the files skipped and why (it said only "no Loki files found")', async () => {
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'not-loki-' + Date.now());
    const enc = new TextEncoder();
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'scan_result (2).log.gz'), new Uint8Array([0x1f, 0x8b, 8, 0]));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'offenses.csv'), enc.encode('id,description\n1,Port scan\n'));
    const shown: string[] = [];
    const win = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
    const original = win.showWarningMessage;
    win.showWarningMessage = (...a: unknown[]) => {
      shown.push(String(a[0]));
      return Promise.resolve(undefined);
    };
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand(ANALYZE, folder, [folder]);
    } finally {
      win.showWarningMessage = original;
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
    assert.equal(result, undefined, 'no analysis without Loki output');
    const msg = shown.find((m) => m.includes('no Loki files found'));
    assert.ok(msg, `warnings shown: ${JSON.stringify(shown)}`);
    console.log(`    warning: ${msg}`);
    assert.match(msg, /^SOC Analytics: no Loki files found in “not-loki-\d+”\. 2 files skipped — /);
    assert.match(msg, /scan_result \(2\)\.log\.gz: compressed file or archive \(\.gz\): not read — extract it first/);
    assert.match(msg, /offenses\.csv: not Loki output/);
  });

  it('Reveal opens the evidence read-only with the cursor at the line start, the line not selected (UI trial: a key typed replaced a selected finding line)', async () => {
    const file = vscode.Uri.joinPath(dataFolder(), expected.singleFile.name);
    await vscode.commands.executeCommand('socAnalytics.revealFinding', file.fsPath, 5);
    const ed = await poll('the revealed log in front', () => Promise.resolve(vscode.window.activeTextEditor?.document.uri.fsPath === file.fsPath ? vscode.window.activeTextEditor : undefined));
    assert.ok(ed.selection.isEmpty, `a selection: ${JSON.stringify(ed.selection)}`);
    assert.deepEqual([ed.selection.active.line, ed.selection.active.character], [4, 0]);
    const before = ed.document.getText();
    // keys typed into the editor (the trial's accident) change nothing
    await vscode.commands.executeCommand('type', { text: 'typed by mistake' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ed.document.getText(), before, 'the revealed evidence took the keys typed');
    assert.equal(ed.document.isDirty, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // with the setting off the file opens writable (the edit is made, then reverted unsaved)
    await vscode.workspace.getConfiguration('socAnalytics').update('openEvidenceReadOnly', false, vscode.ConfigurationTarget.Workspace);
    try {
      const other = vscode.Uri.joinPath(dataFolder(), 'scan_result (1).csv');
      await vscode.commands.executeCommand('socAnalytics.revealFinding', other.fsPath, 2);
      const ed2 = await poll('the second revealed log in front', () => Promise.resolve(vscode.window.activeTextEditor?.document.uri.fsPath === other.fsPath ? vscode.window.activeTextEditor : undefined));
      const before2 = ed2.document.getText();
      await vscode.commands.executeCommand('type', { text: 'x' });
      await poll('the writable editor took the key typed', () => Promise.resolve(ed2.document.getText() !== before2));
      assert.equal(ed2.document.lineAt(1).text.startsWith('x'), true, ed2.document.lineAt(1).text.slice(0, 40));
      await vscode.commands.executeCommand('workbench.action.files.revert');
      assert.equal(ed2.document.isDirty, false);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.getConfiguration('socAnalytics').update('openEvidenceReadOnly', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
