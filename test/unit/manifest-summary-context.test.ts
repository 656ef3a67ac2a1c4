/**
 * *Copy Summary as Markdown* in the Command Palette only while a SOC Analytics dashboard with a Markdown summary is the
 * active webview (it was offered everywhere, and said "open a Loki, QRadar or beacon dashboard first"): package.json's
 * `commandPalette` and `editor/title` entries, and the context key socAnalytics.dashboardHasSummary that DashboardPanel
 * sets (run as compiled with the stand-in `vscode` module).
 */
import { ui, panels, type StandInPanel } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as vscodeTypes from 'vscode';
import { DashboardPanel, SUMMARY_CONTEXT_KEY, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
const ROOT = resolve(__dirname, '../../..');
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const ext = vscode.Uri.file('/ext');
const WHEN = "activeWebviewPanelId == 'socAnalytics.dashboard' && socAnalytics.dashboardHasSummary";

type MenuItem = { command: string; when?: string; group?: string };

function source(id: string, markdown: boolean): DashboardSource {
  return {
    panelTitle: `T ${id}`,
    model: { kind: markdown ? 'loki' : 'kpi', title: id, tables: [] } as unknown as DashboardSource['model'],
    rows: [],
    columns: [],
    store: { warm() {}, prepare: async () => undefined, window: () => ({ total: 0, ids: [], rows: [] }) } as unknown as DashboardSource['store'],
    detail: () => ({}) as never,
    exportName: 'x.csv',
    rowNoun: 'rows',
    ...(markdown ? { markdown: () => '# summary' } : {}),
  };
}
const host = (markdownIds: string[]): PanelHost => ({
  getSource: async (id) => (id === 'gone' ? undefined : source(id, markdownIds.includes(id))),
  displayZone: () => 'UTC',
  log: () => undefined,
});
/** The values given to the context key, in order. */
const keyValues = () => ui.commands.filter((c) => c.command === 'setContext' && c.args[0] === SUMMARY_CONTEXT_KEY).map((c) => c.args[1]);
/** Makes a stand-in panel the active one (the others inactive) and fires their view-state events, as VS Code does. */
function activate(front: StandInPanel | undefined): void {
  for (const p of panels) {
    const sp = p as unknown as { active: boolean; onDidChangeViewState: { fire(x: unknown): void } };
    const was = sp.active;
    sp.active = p === front;
    if (was !== sp.active) sp.onDidChangeViewState.fire({ webviewPanel: p });
  }
}
async function open(id: string, h: PanelHost): Promise<StandInPanel> {
  DashboardPanel.show(ext, h, id);
  const w = panels[panels.length - 1];
  activate(w);
  w.send({ type: 'ready' }, 1);
  await tick(10);
  return w;
}

afterEach(() => {
  DashboardPanel.disposeAll();
  activate(undefined);
  ui.commands.length = 0;
});

describe('Copy Summary as Markdown: only with a dashboard that has a summary in front', () => {
  it('package.json: the palette entry and the editor-title button take the active webview and the context key', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]>; commands: { command: string; title: string }[] } };
    const menus = pkg.contributes.menus;
    assert.equal(pkg.contributes.commands.find((c) => c.command === 'socAnalytics.copySummaryMarkdown')?.title, 'Copy Summary as Markdown');
    assert.deepEqual(menus.commandPalette.filter((m) => m.command === 'socAnalytics.copySummaryMarkdown').map((m) => m.when), [WHEN]);
    assert.deepEqual(menus['editor/title'].filter((m) => m.command === 'socAnalytics.copySummaryMarkdown').map((m) => m.when), [WHEN]);
    assert.equal(DashboardPanel.viewType, 'socAnalytics.dashboard');
    assert.equal(SUMMARY_CONTEXT_KEY, 'socAnalytics.dashboardHasSummary');
  });

  it('the key is true for a loaded Loki dashboard in front, false for one without a summary, and false once the one in front is closed', async () => {
    const h = host(['loki-1']);
    const a = await open('loki-1', h);
    assert.deepEqual(keyValues(), [true]);
    assert.equal(DashboardPanel.refreshSummaryContext(), true);
    const b = await open('kpi-1', h); // a KPI dashboard (no Markdown summary) comes in front
    assert.deepEqual(keyValues(), [true, false]);
    activate(a);
    assert.deepEqual(keyValues(), [true, false, true]);
    a.dispose(); // the dashboard in front closed: no dashboard is active
    assert.deepEqual(keyValues(), [true, false, true, false]);
    activate(undefined);
    b.dispose();
    assert.deepEqual(keyValues(), [true, false, true, false]);
  });

  it('a dashboard in front whose analysis is gone does not offer the command', async () => {
    const h = host(['loki-1', 'gone']);
    await open('loki-1', h);
    assert.deepEqual(keyValues(), [true]);
    await open('gone', h);
    assert.deepEqual(keyValues(), [true, false]);
  });
});
