/**
 * SOC Analytics extension entry: wires commands, the Results tree, dashboard panels (with their
 * serializer), settings and the display-zone status bar item. All parsing and analytics live in
 * `src/core` and run in a worker thread (`src/worker`).
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LokiAnalysis } from '../core/analyze/loki-summary';
import { resolveZone } from '../core/time';
import { AnalysisRegistry, type AnalysisMeta } from './analyses';
import { CancelledError, runLokiJob, terminateAllWorkers } from './jobs';
import { LokiDashboardPanel, type PanelHost } from './panels/lokiPanel';
import { ResultsTreeProvider } from './resultsTree';

/** Value returned by `socAnalytics.analyzeLoki` (used by scripts and tests). */
export interface AnalyzeResult {
  analysisId: string;
  summary: LokiAnalysis['summary'];
}

const CONFIG = 'socAnalytics';

export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('SOC Analytics', { log: true });
  context.subscriptions.push(log);
  const cfg = () => vscode.workspace.getConfiguration(CONFIG);
  const displayZone = () => resolveZone(cfg().get<string>('displayTimeZone', 'UTC'));

  const registry = new AnalysisRegistry(context.workspaceState, (meta) =>
    runLokiJob(context.extensionUri, meta.paths, { includeAllScans: meta.includeAllScans }, `SOC: Loading “${meta.title}”`, log),
  );
  context.subscriptions.push(registry);

  const host: PanelHost = {
    getAnalysis: async (id) => {
      const meta = registry.get(id);
      if (!meta) return undefined;
      const analysis = await registry.load(id);
      return analysis ? { id, title: meta.title, analysis } : undefined;
    },
    displayZone,
    log: (m) => log.info(m),
  };
  context.subscriptions.push(LokiDashboardPanel.registerSerializer(context.extensionUri, host));

  const tree = new ResultsTreeProvider(registry, () => cfg().get<number>('loki.maxTreeFindings', 500));
  context.subscriptions.push(tree, vscode.window.createTreeView('socAnalytics.results', { treeDataProvider: tree, showCollapseAll: true }));

  // Display zone in the status bar; click to switch.
  const zoneItem = vscode.window.createStatusBarItem('socAnalytics.displayZone', vscode.StatusBarAlignment.Right, 100);
  zoneItem.name = 'SOC Analytics display time zone';
  zoneItem.command = 'socAnalytics.setDisplayZone';
  const updateZoneItem = () => {
    zoneItem.text = `$(globe) ${displayZone()}`;
    zoneItem.tooltip = 'SOC Analytics: display time zone of every dashboard (click to change)';
  };
  updateZoneItem();
  zoneItem.show();
  context.subscriptions.push(zoneItem);

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${CONFIG}.displayTimeZone`)) {
        const raw = cfg().get<string>('displayTimeZone', 'UTC');
        if (resolveZone(raw) === 'UTC' && !/^(utc|z|gmt)$/i.test(raw.trim())) {
          void vscode.window.showWarningMessage(`SOC Analytics: “${raw}” is not a known time zone; showing times in UTC.`);
        }
        updateZoneItem();
        LokiDashboardPanel.refreshAll();
        tree.refresh();
      }
      if (e.affectsConfiguration(`${CONFIG}.loki.maxTreeFindings`)) tree.refresh();
    }),
  );

  let lastAnalysisId: string | undefined;

  async function analyze(uri: vscode.Uri | undefined, uris: vscode.Uri[] | undefined, includeAll?: boolean): Promise<AnalyzeResult | undefined> {
    let targets = (uris && uris.length ? uris : uri instanceof vscode.Uri ? [uri] : undefined)?.filter((u) => u instanceof vscode.Uri);
    if (!targets || targets.length === 0) targets = await pickTargets();
    if (!targets || targets.length === 0) return undefined;
    const nonFile = targets.find((t) => t.scheme !== 'file');
    if (nonFile) {
      void vscode.window.showErrorMessage(`SOC Analytics reads local files only; cannot analyse ${nonFile.toString()}.`);
      return undefined;
    }
    const paths = targets.map((t) => t.fsPath);
    for (const p of paths) {
      try {
        await fsp.stat(p);
      } catch (err) {
        const msg = `SOC Analytics: cannot read “${p}”: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        log.error(msg);
        void vscode.window.showErrorMessage(msg);
        return undefined;
      }
    }
    const includeAllScans = includeAll ?? cfg().get<boolean>('loki.includeAllScans', false);
    const title = paths.length === 1 ? path.basename(paths[0]) || paths[0] : `${path.basename(paths[0])} + ${paths.length - 1} more`;
    let analysis: LokiAnalysis;
    try {
      analysis = await runLokiJob(context.extensionUri, paths, { includeAllScans }, `SOC: Analyzing Loki results in “${title}”`, log);
    } catch (err) {
      if (err instanceof CancelledError) {
        void vscode.window.showInformationMessage('SOC Analytics: analysis cancelled; nothing was added.');
        return undefined;
      }
      const msg = `SOC Analytics: analysis failed: ${(err as Error).message}`;
      log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    const s = analysis.summary;
    if (s.files === 0) {
      void vscode.window.showWarningMessage(`SOC Analytics: no Loki result files found in “${title}”.`);
      return undefined;
    }
    const meta: AnalysisMeta = { id: randomUUID(), kind: 'loki', title, paths, includeAllScans, createdAt: Date.now(), summary: s };
    await registry.add(meta, analysis);
    lastAnalysisId = meta.id;
    LokiDashboardPanel.show(context.extensionUri, host, meta.id);
    if (s.unparsedLines > 0 || analysis.errors.length > 0) {
      const first = analysis.errors[0];
      const where = first ? ` First: ${path.basename(first.file)}:${first.line} ${first.message}` : '';
      void vscode.window
        .showWarningMessage(`SOC Analytics: ${s.unparsedLines} unparsed lines (${analysis.errors.length} problems) — everything readable was kept.${where}`, 'Show Log')
        .then((c) => c && log.show());
      for (const e of analysis.errors.slice(0, 200)) log.warn(`${e.file}:${e.line}: ${e.message}`);
    }
    return { analysisId: meta.id, summary: s };
  }

  async function pickTargets(): Promise<vscode.Uri[] | undefined> {
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const items: Item[] = (vscode.workspace.workspaceFolders ?? []).map((f) => ({
      label: `$(folder) ${f.name}`,
      description: f.uri.fsPath,
      detail: 'Analyse every Loki result file in this workspace folder (recursive)',
      uri: f.uri,
    }));
    items.push({ label: '$(folder-opened) Browse…', detail: 'Choose files or folders' });
    const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'SOC: Analyze Loki Results', placeHolder: 'Folder of Loki scanner results' });
    if (!pick) return undefined;
    if (pick.uri) return [pick.uri];
    return vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: 'Analyze',
      title: 'Loki result files or folders',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('socAnalytics.analyzeLoki', (uri?: vscode.Uri, uris?: vscode.Uri[]) => analyze(uri, uris)),
    vscode.commands.registerCommand('socAnalytics.analyzeLokiAllScans', (uri?: vscode.Uri, uris?: vscode.Uri[]) => analyze(uri, uris, true)),
    vscode.commands.registerCommand('socAnalytics.openAnalysis', async (arg?: string | { meta?: AnalysisMeta }) => {
      const id = typeof arg === 'string' ? arg : arg?.meta?.id ?? lastAnalysisId;
      if (!id || !registry.get(id)) {
        void vscode.window.showInformationMessage('SOC Analytics: no analysis to open. Run “SOC: Analyze Loki Results…” first.');
        return;
      }
      LokiDashboardPanel.show(context.extensionUri, host, id);
    }),
    vscode.commands.registerCommand('socAnalytics.rerunAnalysis', async (arg?: { meta?: AnalysisMeta }) => {
      const meta = arg?.meta;
      if (!meta) return;
      try {
        const a = await runLokiJob(context.extensionUri, meta.paths, { includeAllScans: meta.includeAllScans }, `SOC: Re-running “${meta.title}”`, log);
        await registry.replace(meta.id, a);
        LokiDashboardPanel.refreshAll();
      } catch (err) {
        if (!(err instanceof CancelledError)) void vscode.window.showErrorMessage(`SOC Analytics: re-run failed: ${(err as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('socAnalytics.removeAnalysis', async (arg?: { meta?: AnalysisMeta }) => {
      if (arg?.meta) await registry.remove(arg.meta.id);
    }),
    vscode.commands.registerCommand('socAnalytics.clearAnalyses', async () => {
      if (registry.list().length === 0) return;
      const ok = await vscode.window.showWarningMessage('Remove every analysis from the Results view? Input files are not touched.', { modal: true }, 'Remove All');
      if (ok) {
        LokiDashboardPanel.disposeAll();
        await registry.clear();
      }
    }),
    vscode.commands.registerCommand('socAnalytics.revealFinding', async (fileOrNode?: string | { finding?: { source: { file: string; line: number } } }, line?: number) => {
      const src = typeof fileOrNode === 'string' ? { file: fileOrNode, line: line ?? 1 } : fileOrNode?.finding?.source;
      if (src) await LokiDashboardPanel.revealSource(src.file, src.line);
    }),
    vscode.commands.registerCommand('socAnalytics.setDisplayZone', async () => {
      const local = resolveZone('local');
      const zones = ['UTC', 'local', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Riyadh', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];
      const items: vscode.QuickPickItem[] = zones.map((z) => ({ label: z, description: z === 'local' ? `this machine: ${local}` : undefined }));
      items.push({ label: 'Other IANA zone…' });
      const pick = await vscode.window.showQuickPick(items, { title: 'SOC Analytics: display time zone', placeHolder: `Current: ${displayZone()}` });
      if (!pick) return;
      let zone = pick.label;
      if (zone === 'Other IANA zone…') {
        const typed = await vscode.window.showInputBox({
          title: 'IANA time zone',
          placeHolder: 'e.g. Europe/Zurich',
          validateInput: (v) => (resolveZone(v) === 'UTC' && !/^(utc|z|gmt)$/i.test(v.trim()) ? 'Unknown time zone' : undefined),
        });
        if (!typed) return;
        zone = typed.trim();
      }
      await cfg().update('displayTimeZone', zone, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('socAnalytics.showLog', () => log.show()),
    vscode.commands.registerCommand('socAnalytics.test.lastRendered', (id?: string) => {
      const key = id ?? lastAnalysisId;
      return key ? LokiDashboardPanel.lastRendered(key) : undefined;
    }),
  );
  log.info('SOC Analytics activated');
}

export function deactivate() {
  terminateAllWorkers();
  LokiDashboardPanel.disposeAll();
}
