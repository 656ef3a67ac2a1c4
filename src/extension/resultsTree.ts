/**
 * The Results tree (Activity Bar → SOC Analytics → Results): one node per analysis of any kind;
 * below it, what the kind provides (Loki: hosts with verdict icons → findings that reveal the log line).
 */
import * as vscode from 'vscode';
import type { AnalysisMeta, AnalysisRegistry } from './analyses';
import { kindOf } from './kinds';
import type { TreeNodeData, TreeSettings } from './kinds/types';
import { markdownParagraphs, terminalSafe } from '../core/text-safe';
import { formatTime } from '../core/time';
import { resultsLabel } from '../core/analyze/results-label';

/** When an analysis ran, for its tooltip: `2026-12-04 19:05:18 (Europe/Berlin)` in the display zone (UTC without one). */
export function analysisTime(ms: number, zone = 'UTC'): string {
  return `${formatTime(ms, zone)} (${zone})`;
}

export type ResultNode =
  | { kind: 'analysis'; meta: AnalysisMeta }
  | { kind: 'node'; analysisId: string; data: TreeNodeData; finding?: { source: { file: string; line: number } } }
  | { kind: 'message'; text: string };

/**
 * A tooltip of plain-text paragraphs (input paths, and the kind's line, which may quote input content: an Ariel
 * query) as Markdown that shows each exactly as text ({@link markdownParagraphs}): no link, command link, image, HTML
 * or formatting can come from the text; the string is not trusted (no command links), has no HTML and no theme icons.
 */
function plainMarkdown(paragraphs: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdownParagraphs(paragraphs), false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export class ResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[];
  /**
   * The children last computed per analysis, parent node and tree settings ({@link childrenKey}), shown again while
   * the analysis's result is out of memory instead of re-running it: only MAX_RESULTS_IN_MEMORY results stay in
   * memory, and each re-run fires `onDidLoad`, which refreshes the tree. With more analyses expanded than that, every
   * refresh re-ran the one pushed out last, which pushed out another: the analyses re-ran one after another without
   * end (verification trial: four expanded, ~4 re-runs a second). A result in memory is always asked afresh (live
   * settings: a beacon safelist); entries of analyses no longer listed are dropped, and an analysis's entries go when
   * the tree settings change.
   */
  private readonly childrenCache = new Map<string, { settings: string; byParent: Map<string, ResultNode[]> }>();

  constructor(
    private readonly registry: AnalysisRegistry,
    private readonly settings: () => TreeSettings,
  ) {
    // also when a result recomputed from its inputs is in memory again: a live line describes it (trial, 2026-12-07:
    // after a beacon dashboard re-ran its result the line kept the stored counts of the first run)
    this.subs = [
      registry.onDidChange(() => {
        this.pruneChildren();
        this.refresh();
      }),
      ...(registry.onDidLoad ? [registry.onDidLoad(() => this.refresh())] : []),
    ];
  }

  /** Drops the cached children of analyses no longer in the list (removed, cleared). */
  private pruneChildren(): void {
    if (this.childrenCache.size === 0) return;
    const ids = new Set(this.registry.list().map((m) => m.id));
    for (const id of [...this.childrenCache.keys()]) if (!ids.has(id)) this.childrenCache.delete(id);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /**
   * Description and tooltip of an analysis node: the kind's `describe` of the result in memory when the kind's
   * line follows live settings ({@link AnalysisKind.liveDescription}), else the line stored at the run.
   */
  analysisLine(m: AnalysisMeta): { description: string; tooltip: string } {
    const k = kindOf(m.kind);
    const result = k?.liveDescription ? this.registry.peek(m.id) : undefined;
    return result !== undefined && k ? k.describe(result as never) : m;
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    switch (node.kind) {
      case 'analysis': {
        const m = node.meta;
        const k = kindOf(m.kind);
        // the kind and what was analyzed, short for the default side bar (`QRadar · demo-workspace (3 files)`); the
        // whole of it heads the tooltip. Stored before `folder` was kept: a count when several files were read.
        const files = m.summary?.files;
        const names = resultsLabel(k?.treeLabel ?? k?.label ?? m.kind, m.title, files, m.folder === true || m.paths.length > 1 || (m.folder === undefined && (files ?? 0) > 1));
        const item = new vscode.TreeItem(terminalSafe(names.label), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `analysis:${m.id}`;
        item.contextValue = k?.summary ? 'analysis-summary' : 'analysis';
        item.iconPath = new vscode.ThemeIcon(k?.icon ?? 'graph');
        const line = this.analysisLine(m);
        item.description = terminalSafe(line.description);
        item.tooltip = plainMarkdown([names.full, `${k?.label ?? m.kind} analysis — ${analysisTime(m.createdAt, this.settings().zone)}`, `Inputs: ${m.paths.join(', ')}`, line.tooltip]);
        item.command = { command: 'socAnalytics.openAnalysis', title: 'Open Dashboard', arguments: [m.id] };
        return item;
      }
      case 'node': {
        // a node's tooltip is a plain string (host names, rule names, paths, offense descriptions): VS Code shows a
        // string tooltip as text (never Markdown) as long as this provider has no resolveTreeItem, which would make it Markdown
        const d = node.data;
        // label, description and tooltip quote input content: control characters and bidirectional overrides
        // (U+202E in a host or file name would show "exe.txt" as "txt.exe") are shown as \uXXXX escapes
        const item = new vscode.TreeItem(terminalSafe(d.label), d.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `node:${node.analysisId}:${d.key}`;
        item.description = d.description === undefined ? undefined : terminalSafe(d.description);
        item.tooltip = d.tooltip === undefined ? undefined : terminalSafe(d.tooltip, true);
        item.iconPath = d.icon;
        item.command = d.command;
        item.contextValue = d.contextValue;
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    }
  }

  async getChildren(node?: ResultNode): Promise<ResultNode[]> {
    if (!node) return this.registry.list().map((meta) => ({ kind: 'analysis', meta }));
    if (node.kind === 'message') return [];
    const analysisId = node.kind === 'analysis' ? node.meta.id : node.analysisId;
    const meta = this.registry.get(analysisId);
    const k = meta && kindOf(meta.kind);
    if (!meta || !k?.children) return [];
    const parentKey = node.kind === 'node' ? node.data.key : undefined;
    const settings = this.settings();
    const settingsKey = JSON.stringify(settings);
    // out of memory: the children shown last with these settings, not a re-run (see childrenCache)
    let result = this.registry.peek(analysisId);
    if (result === undefined) {
      const cached = this.childrenCache.get(analysisId);
      const shown = cached?.settings === settingsKey ? cached.byParent.get(parentKey ?? '') : undefined;
      if (shown) return shown;
      result = await this.registry.load(analysisId);
    }
    if (result === undefined) return [{ kind: 'message', text: 'Could not load this analysis (inputs missing or re-run cancelled).' }];
    const nodes: ResultNode[] = k.children(result, analysisId, parentKey, settings).map((data) => ({
      kind: 'node',
      analysisId,
      data,
      finding: data.source ? { source: data.source } : undefined,
    }));
    if (this.registry.get(analysisId)) {
      let cached = this.childrenCache.get(analysisId);
      if (cached?.settings !== settingsKey) this.childrenCache.set(analysisId, (cached = { settings: settingsKey, byParent: new Map() }));
      cached.byParent.set(parentKey ?? '', nodes);
    }
    return nodes;
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.changed.dispose();
  }
}
