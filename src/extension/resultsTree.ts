/**
 * The Results tree (Activity Bar → SOC Analytics → Results):
 * analyses → hosts (verdict icons) → findings (click reveals the log line).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LokiHostSummary } from '../core/analyze/loki-summary';
import type { LokiFinding, Verdict } from '../core/model/loki';
import type { AnalysisMeta, AnalysisRegistry } from './analyses';

export type ResultNode =
  | { kind: 'analysis'; meta: AnalysisMeta }
  | { kind: 'host'; analysisId: string; host: LokiHostSummary }
  | { kind: 'finding'; analysisId: string; finding: LokiFinding }
  | { kind: 'more'; analysisId: string; count: number }
  | { kind: 'message'; text: string };

const VERDICT_TEXT: Record<Verdict, string> = {
  indicators: 'Indicators detected',
  suspicious: 'Suspicious objects detected',
  clean: 'Clean',
  incomplete: 'Incomplete scan (no result)',
};

function verdictIcon(v: Verdict): vscode.ThemeIcon {
  switch (v) {
    case 'indicators':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'suspicious':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
    case 'clean':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    default:
      return new vscode.ThemeIcon('question');
  }
}

function levelIcon(level: string): vscode.ThemeIcon {
  if (level === 'ALERT') return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('errorForeground'));
  if (level === 'WARNING') return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('editorWarning.foreground'));
  return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('editorInfo.foreground'));
}

const LEVEL_ORDER: Record<string, number> = { ALERT: 0, WARNING: 1, NOTICE: 2 };
const VERDICT_ORDER: Record<Verdict, number> = { indicators: 0, suspicious: 1, incomplete: 2, clean: 3 };

export class ResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly registry: AnalysisRegistry,
    private readonly maxFindings: () => number,
  ) {
    this.sub = registry.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    switch (node.kind) {
      case 'analysis': {
        const s = node.meta.summary;
        const item = new vscode.TreeItem(node.meta.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `analysis:${node.meta.id}`;
        item.contextValue = 'analysis';
        item.iconPath = new vscode.ThemeIcon('shield');
        item.description = `${s.hosts} hosts · ${s.alerts} alerts · ${s.warnings} warnings`;
        const tip = new vscode.MarkdownString(undefined, false);
        tip.appendText(`Loki analysis — ${new Date(node.meta.createdAt).toISOString()}\n\n`);
        tip.appendText(`Inputs: ${node.meta.paths.join(', ')}\n\n`);
        tip.appendText(
          `${s.files} files, ${s.hosts} hosts (${s.hostsWithFindings} with findings, ${s.cleanHosts} clean), ` +
            `${s.alerts} alerts, ${s.warnings} warnings, ${s.notices} notices, ${s.unparsedLines} unparsed lines` +
            (s.scansSetAside ? `, ${s.scansSetAside} older scans set aside` : ''),
        );
        item.tooltip = tip;
        item.command = { command: 'socAnalytics.openAnalysis', title: 'Open Dashboard', arguments: [node.meta.id] };
        return item;
      }
      case 'host': {
        const h = node.host;
        const total = h.alerts + h.warnings + h.notices;
        const item = new vscode.TreeItem(h.host, total ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `host:${node.analysisId}:${h.host}`;
        item.contextValue = 'host';
        item.iconPath = verdictIcon(h.verdict);
        item.description = `${VERDICT_TEXT[h.verdict]} · ${h.alerts} A / ${h.warnings} W / ${h.notices} N`;
        item.tooltip = `${h.host}\n${VERDICT_TEXT[h.verdict]}\nLoki ${h.lokiVersion ?? '?'}\n${h.file}`;
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const name = f.path ? path.win32.basename(f.path) || f.path : f.message.slice(0, 80);
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
        item.contextValue = 'finding';
        item.iconPath = levelIcon(f.level);
        const rules = f.reasons.map((r) => r.rule).join(', ');
        item.description = `${f.level}${f.score !== undefined ? ` ${f.score}` : ''}${rules ? ` · ${rules}` : ''}`;
        item.tooltip = `${f.path ?? f.message}\n${f.level} score ${f.score ?? '-'}\n${rules}\n${f.source.file}:${f.source.line}`;
        item.command = { command: 'socAnalytics.revealFinding', title: 'Reveal in Log', arguments: [f.source.file, f.source.line] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`… ${node.count} more — open the dashboard for all findings`, vscode.TreeItemCollapsibleState.None);
        item.command = { command: 'socAnalytics.openAnalysis', title: 'Open Dashboard', arguments: [node.analysisId] };
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    }
  }

  async getChildren(node?: ResultNode): Promise<ResultNode[]> {
    if (!node) return this.registry.list().map((meta) => ({ kind: 'analysis', meta }));
    if (node.kind === 'analysis') {
      const a = await this.registry.load(node.meta.id);
      if (!a) return [{ kind: 'message', text: 'Could not load this analysis (inputs missing or re-run cancelled).' }];
      return [...a.hosts]
        .sort((x, y) => VERDICT_ORDER[x.verdict] - VERDICT_ORDER[y.verdict] || y.alerts - x.alerts || y.warnings - x.warnings || x.host.localeCompare(y.host))
        .map((host) => ({ kind: 'host', analysisId: node.meta.id, host }));
    }
    if (node.kind === 'host') {
      const a = await this.registry.load(node.analysisId);
      if (!a) return [];
      const key = node.host.host.toLowerCase();
      const all = a.findings.filter((f) => f.host.toLowerCase() === key);
      all.sort((x, y) => LEVEL_ORDER[x.level] - LEVEL_ORDER[y.level] || (y.score ?? 0) - (x.score ?? 0));
      const max = this.maxFindings();
      const shown: ResultNode[] = all.slice(0, max).map((finding) => ({ kind: 'finding', analysisId: node.analysisId, finding }));
      if (all.length > max) shown.push({ kind: 'more', analysisId: node.analysisId, count: all.length - max });
      return shown;
    }
    return [];
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
