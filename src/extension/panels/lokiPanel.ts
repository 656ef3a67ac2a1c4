/**
 * Host side of the Loki dashboard webview: one panel per analysis id. The findings stay in the
 * extension host (TableStore); the webview asks for windows of rows through the typed protocol
 * (`src/shared/protocol.ts`). Strict CSP with a fresh nonce per load; no retainContextWhenHidden —
 * the webview keeps its small UI state with setState and the serializer restores panels.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DashboardModel, Envelope, FromWebview, TableQuery, ToWebview, WebviewState } from '../../shared/protocol';
import { TableStore, type StoreColumn } from '../../core/table/store';
import { buildLokiDashboard, lokiFindingColumns, lokiFindingDetail } from '../../core/analyze/loki-dashboard';
import type { LokiAnalysis } from '../../core/analyze/loki-summary';
import type { LokiFinding } from '../../core/model/loki';
import { csvChunks } from '../../core/export/csv';
import { dashboardHtml, makeNonce, messageHtml } from './html';

export interface PanelHost {
  /** Loads (or re-runs) the analysis; undefined when it no longer exists. */
  getAnalysis(id: string): Promise<{ id: string; title: string; analysis: LokiAnalysis } | undefined>;
  displayZone(): string; // resolved IANA zone or 'UTC'
  log(message: string): void; // to the LogOutputChannel
  onRendered?(analysisId: string, info: RenderedInfo): void;
}

export interface RenderedInfo {
  cards: Record<string, string>;
  totalRows: number;
  visibleRows: number;
}

interface Loaded {
  title: string;
  analysis: LokiAnalysis;
  zone: string;
  columns: StoreColumn<LokiFinding>[];
  store: TableStore<LokiFinding>;
  model: DashboardModel;
}

/** Largest window the webview may ask for in one request. */
const MAX_WINDOW = 5000;

class AnalysisGoneError extends Error {}

function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

function cellValue(col: StoreColumn<LokiFinding>, row: LokiFinding): string | number | undefined {
  if (col.format) return col.format(row);
  return col.get(row);
}

function isQuery(q: unknown): q is TableQuery {
  return typeof q === 'object' && q !== null && !Array.isArray(q);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class LokiDashboardPanel {
  static readonly viewType = 'socAnalytics.lokiDashboard';

  private static readonly panels = new Map<string, LokiDashboardPanel>();
  private static readonly rendered = new Map<string, RenderedInfo>();

  private readonly disposables: vscode.Disposable[] = [];
  private data: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;
  private ready = false;
  private nextId = 1;
  private disposed = false;

  // ---------------------------------------------------------------- static API

  /** Opens or reveals the panel for an analysis (one panel per analysis id). */
  static show(extensionUri: vscode.Uri, host: PanelHost, analysisId: string): LokiDashboardPanel {
    const existing = LokiDashboardPanel.panels.get(analysisId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(LokiDashboardPanel.viewType, 'Loki dashboard', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return new LokiDashboardPanel(panel, extensionUri, host, analysisId);
  }

  /** Registers the WebviewPanelSerializer so panels survive a window reload (state holds analysisId). */
  static registerSerializer(extensionUri: vscode.Uri, host: PanelHost): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(LokiDashboardPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const id = (state as Partial<WebviewState> | undefined)?.analysisId;
        if (typeof id !== 'string' || !id) {
          panel.webview.options = { enableScripts: false, localResourceRoots: [webviewRoot(extensionUri)] };
          panel.webview.html = messageHtml(
            panel.webview.cspSource,
            panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), 'styles.css')).toString(),
            'Loki dashboard',
            'This dashboard cannot be restored. Open it again from the SOC Analytics Results view.',
          );
          return;
        }
        const existing = LokiDashboardPanel.panels.get(id);
        if (existing) {
          panel.dispose();
          existing.panel.reveal();
          return;
        }
        new LokiDashboardPanel(panel, extensionUri, host, id);
      },
    });
  }

  /** Last 'rendered' info per analysis (for tests and the tree). */
  static lastRendered(analysisId: string): RenderedInfo | undefined {
    return LokiDashboardPanel.rendered.get(analysisId);
  }

  /** Reveals a finding's source line (used by the Results tree too). */
  static async revealSource(file: string, line: number, viewColumn?: vscode.ViewColumn): Promise<void> {
    const uri = vscode.Uri.file(file);
    const ln = Math.max(0, Math.floor(line) - 1);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const range = doc.lineAt(Math.min(ln, Math.max(0, doc.lineCount - 1))).range;
      const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: false, viewColumn });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    } catch (e) {
      // Very large files cannot be synchronised to extensions; let the workbench open them.
      const range = new vscode.Range(ln, 0, ln, 0);
      await vscode.commands.executeCommand('vscode.open', uri, { selection: range, preview: false, viewColumn } satisfies vscode.TextDocumentShowOptions);
      void e;
    }
  }

  /** Rebuilds every open dashboard's model (e.g. after the display zone changed) and pushes it. */
  static refreshAll(): void {
    for (const p of LokiDashboardPanel.panels.values()) void p.refresh();
  }

  static disposeAll(): void {
    for (const p of [...LokiDashboardPanel.panels.values()]) p.panel.dispose();
  }

  // ---------------------------------------------------------------- instance

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly host: PanelHost,
    readonly analysisId: string,
  ) {
    LokiDashboardPanel.panels.set(analysisId, this);
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html('Loki dashboard');
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m), undefined, this.disposables);
  }

  private html(title: string): string {
    const webview = this.panel.webview;
    const root = webviewRoot(this.extensionUri);
    const uri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, f)).toString();
    return dashboardHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: uri('loki.js'),
      styleUri: uri('styles.css'),
      codiconUri: uri('codicon.css'),
      analysisId: this.analysisId,
      title,
    });
  }

  private showGone(): void {
    const webview = this.panel.webview;
    this.panel.title = 'Loki dashboard';
    webview.options = { enableScripts: false, localResourceRoots: [webviewRoot(this.extensionUri)] };
    webview.html = messageHtml(
      webview.cspSource,
      webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(this.extensionUri), 'styles.css')).toString(),
      'Loki dashboard',
      'This analysis no longer exists. Run the analysis again from the SOC Analytics Results view.',
    );
  }

  private load(): Promise<Loaded> {
    if (this.data) return Promise.resolve(this.data);
    if (!this.loading) {
      this.loading = (async () => {
        const r = await this.host.getAnalysis(this.analysisId);
        if (!r) throw new AnalysisGoneError('This analysis no longer exists.');
        const zone = this.host.displayZone();
        const columns = lokiFindingColumns(zone);
        const store = new TableStore<LokiFinding>(r.analysis.findings, columns);
        const model = buildLokiDashboard(r.analysis, r.title, zone);
        const loaded: Loaded = { title: r.title, analysis: r.analysis, zone, columns, store, model };
        if (!this.disposed) {
          this.data = loaded;
          this.panel.title = `Loki: ${r.title}`;
        }
        return loaded;
      })().finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async refresh(): Promise<void> {
    this.data = undefined;
    if (!this.ready) return;
    try {
      const d = await this.load();
      this.post({ type: 'model', model: d.model });
    } catch (e) {
      if (e instanceof AnalysisGoneError) this.showGone();
      else this.fail(undefined, e);
    }
  }

  private post(body: ToWebview, inReplyTo?: number): void {
    if (this.disposed) return;
    const env: Envelope<ToWebview> = { id: this.nextId++, inReplyTo, body };
    void this.panel.webview.postMessage(env);
  }

  private fail(inReplyTo: number | undefined, e: unknown): void {
    const message = errorMessage(e);
    this.host.log(`Loki dashboard ${this.analysisId}: ${message}`);
    this.post({ type: 'error', message }, inReplyTo);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!raw || typeof raw !== 'object') return;
    const env = raw as Partial<Envelope<FromWebview>>;
    const id = typeof env.id === 'number' ? env.id : undefined;
    const m = env.body;
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    try {
      switch (m.type) {
        case 'ready': {
          this.ready = true;
          const d = await this.load();
          this.post({ type: 'model', model: d.model }, id);
          return;
        }
        case 'query': {
          if (!isQuery(m.query)) throw new Error('invalid query');
          const d = await this.load();
          const offset = Math.max(0, Math.floor(Number(m.offset) || 0));
          const limit = Math.max(0, Math.min(MAX_WINDOW, Math.floor(Number(m.limit) || 0)));
          const t0 = performance.now();
          const w = d.store.window(m.query, offset, limit);
          const elapsedMs = performance.now() - t0;
          this.post({ type: 'rows', total: w.total, offset, ids: w.ids, rows: w.rows, elapsedMs }, id);
          return;
        }
        case 'detail': {
          const d = await this.load();
          const f = this.finding(d, m.row);
          this.post({ type: 'detail', detail: lokiFindingDetail(f, m.row, d.zone) }, id);
          return;
        }
        case 'reveal': {
          const d = await this.load();
          const f = this.finding(d, m.row);
          await LokiDashboardPanel.revealSource(f.source.file, f.source.line, vscode.ViewColumn.Beside);
          this.post({ type: 'ack' }, id);
          return;
        }
        case 'exportCsv': {
          const message = await this.exportCsv(m.query, m.columns);
          this.post({ type: 'ack', message }, id);
          return;
        }
        case 'copy': {
          await vscode.env.clipboard.writeText(String(m.text ?? ''));
          this.post({ type: 'ack', message: 'copied' }, id);
          return;
        }
        case 'rendered': {
          const info: RenderedInfo = { cards: { ...(m.cards ?? {}) }, totalRows: Number(m.totalRows) || 0, visibleRows: Number(m.visibleRows) || 0 };
          LokiDashboardPanel.rendered.set(this.analysisId, info);
          this.host.onRendered?.(this.analysisId, info);
          return;
        }
        case 'log':
          this.host.log(`webview ${this.analysisId} [${m.level}]: ${String(m.message)}`);
          return;
        default:
          return;
      }
    } catch (e) {
      if (e instanceof AnalysisGoneError) {
        this.showGone();
        return;
      }
      this.fail(id, e);
    }
  }

  private finding(d: Loaded, row: unknown): LokiFinding {
    const i = Number(row);
    const f = Number.isInteger(i) ? d.analysis.findings[i] : undefined;
    if (!f) throw new Error(`finding ${String(row)} not found`);
    return f;
  }

  private async exportCsv(query: TableQuery, columnIds: string[]): Promise<string> {
    if (!isQuery(query)) throw new Error('invalid query');
    const d = await this.load();
    const byId = new Map(d.columns.map((c) => [c.id, c]));
    let cols = (Array.isArray(columnIds) ? columnIds : []).map((c) => byId.get(String(c))).filter((c): c is StoreColumn<LokiFinding> => !!c);
    if (!cols.length) cols = d.columns.filter((c) => !c.hidden);

    const firstInput = d.analysis.files[0]?.file;
    const baseDir = firstInput ? vscode.Uri.file(path.dirname(firstInput)) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: baseDir ? vscode.Uri.joinPath(baseDir, 'loki-findings.csv') : undefined,
      filters: { 'CSV files': ['csv'], 'All files': ['*'] },
      saveLabel: 'Export',
      title: 'Export findings to CSV',
    });
    if (!target) return 'cancelled';

    const ids = d.store.matching(query);
    const findings = d.analysis.findings;
    function* rows(): Iterable<(string | number | undefined)[]> {
      for (const id of ids) {
        const f = findings[id];
        yield cols.map((c) => cellValue(c, f));
      }
    }
    // Encode chunk by chunk (no single giant JS string for 1M rows); BOM so spreadsheets detect UTF-8.
    const parts: Buffer[] = [];
    for (const chunk of csvChunks(
      cols.map((c) => c.title),
      rows(),
      { bom: true },
    ))
      parts.push(Buffer.from(chunk, 'utf8'));
    await vscode.workspace.fs.writeFile(target, Buffer.concat(parts));
    const where = target.scheme === 'file' ? target.fsPath : target.toString();
    this.host.log(`Exported ${ids.length} findings (${cols.length} columns) to ${where}`);
    void vscode.window.showInformationMessage(`Exported ${ids.length.toLocaleString()} findings to ${path.basename(target.path)}.`, 'Open').then((action) => {
      if (action === 'Open') void vscode.commands.executeCommand('vscode.open', target);
    });
    return `exported ${ids.length}`;
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (LokiDashboardPanel.panels.get(this.analysisId) === this) LokiDashboardPanel.panels.delete(this.analysisId);
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
