/**
 * Host side of every dashboard webview (Loki, and each later analysis kind): one panel per
 * analysis id. The rows stay in the extension host (TableStore); the webview asks for windows of
 * rows through the typed protocol
 * (`src/shared/protocol.ts`). Strict CSP with a fresh nonce per load; no retainContextWhenHidden —
 * the webview keeps its small UI state with setState and the serializer restores panels.
 */
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import type { ActionDone, DashboardModel, Envelope, FromWebview, RowDetail, ShowRowsRequest, TableQuery, ToWebview, WebviewProbe, WebviewState } from '../../shared/protocol';
import { showZoneOffsets } from '../../core/table/zone-offsets';
import { exportColumns, exportLayout, sameRows, type TableStore, type StoreColumn } from '../../core/table/store';
import type { SourceRef } from '../../core/model/common';
import { csvChunks, smallTableCsv } from '../../core/export/csv';
import { canonicalZoneSetting, unknownZoneMessage } from '../../core/time';
import type { DashboardPrefsStore } from '../../core/dashboard-prefs';
import { dashboardHtml, makeNonce, messageHtml } from './html';
import { checkTableQuery, checkWebviewMessage } from '../../core/webview-messages';
import { notificationSafe, oneLogLine } from '../../core/text-safe';
import { exportScopeText, saveDialogTitle } from '../../shared/export-scope';
import { updateSetting } from '../settings';
import { checkPanelOrigin, goneMessage, type PanelOrigin } from '../../core/analysis-identity';

/**
 * What a dashboard shows, built by the analysis kind from its result (see src/extension/kinds).
 * `rows[i]` is the row with id i; `store` answers windows over `rows`.
 */
export interface DashboardSource<T = unknown> {
  /** Panel tab title, e.g. `Loki: results`. */
  panelTitle: string;
  model: DashboardModel;
  rows: readonly T[];
  /**
   * What a row stands for, when a rebuilt source makes new row objects for the same rows (the cases table's rows
   * hold their case): a rebuild whose rows stand for the same things in the same order keeps the webview's selection.
   * Default: the row object itself.
   */
  rowIdentity?(row: T): unknown;
  columns: StoreColumn<T>[];
  store: TableStore<T>;
  /** The detail pane of a row (may read from disk, e.g. a Loki message left out of the transfer). */
  detail(row: T, id: number): RowDetail | Promise<RowDetail>;
  /** Source line of a row, for "Reveal in log" (undefined: not revealable). */
  sourceOf?(row: T): SourceRef | undefined;
  /** Default CSV file name and folder for "Export CSV". */
  exportName: string;
  exportDir?: string;
  /** Noun for messages ("findings", "offenses"). */
  rowNoun: string;
  /**
   * Runs a detail-pane action of a row (`RowDetail.actions[].id`, e.g. "safelist"); resolves to a
   * message for the webview, whether every open dashboard must be rebuilt afterwards, and `done`
   * when the data changed (the detail pane then shows it instead of the row).
   */
  action?(row: T, id: number, action: string): Promise<{ message?: string; refresh?: boolean; done?: ActionDone }>;
  /**
   * The ticket-ready Markdown summary of what the dashboard shows (src/core/export/markdown-summary.ts: headline
   * numbers and the top rows of its tables; never every row). Absent: the dashboard has none (command
   * "Copy Summary as Markdown" says so).
   */
  markdown?(opts: { defang: boolean }): string;
}

export interface PanelHost {
  /**
   * Loads (or re-runs) the analysis and builds its dashboard for the zone; undefined when it no longer exists. Rejects
   * when the re-run failed or was cancelled (the panel then shows why, with a Retry button). `signal` aborts when the
   * panel no longer needs this source (closed, or a newer load started by a refresh): the kind may stop its work.
   */
  getSource(id: string, zone: string, signal?: AbortSignal): Promise<DashboardSource | undefined>;
  displayZone(): string; // resolved IANA zone or 'UTC'
  log(message: string): void; // to the LogOutputChannel
  onRendered?(analysisId: string, info: RenderedInfo): void;
  /**
   * What loading the analysis will do, shown on the page while it loads (plain text): e.g. that the analysis is not in
   * memory and is re-run from its input files. Absent: a generic text.
   */
  loadingMessage?(id: string): string;
  /** View preferences remembered per dashboard kind across panels (the charts folded or not); absent: per panel only. */
  prefs?: DashboardPrefsStore;
  /**
   * The title the analysis's tab will have (`Beacons: zeek`, the kind's panelTitle), without loading it; undefined
   * when the analysis is unknown. Used to find its tab among the tabs restored after a window reload that VS Code has
   * not revived yet (it revives a restored tab only when it is shown).
   */
  expectedTitle?(id: string): string | undefined;
  /** What made the analysis (kept in the tab's webview state: a restored tab whose analysis is gone offers to run it again). */
  origin?(id: string): PanelOrigin | undefined;
  /**
   * Runs `origin` again (its command on its inputs): the analysis's id when it was added, undefined when not (cancelled,
   * nothing found, failed: the command said so).
   */
  rerun?(origin: PanelOrigin): Promise<string | undefined>;
}

export interface RenderedInfo {
  cards: Record<string, string>;
  totalRows: number;
  visibleRows: number;
  /** Cell texts of the table's first row as shown (visible columns), when rendered. */
  firstRow?: string[];
  /** Order of this report among every dashboard's reports since activation (1, 2, …): tells a fresh render from an old one. */
  seq: number;
}

interface Loaded {
  zone: string;
  source: DashboardSource;
}

class AnalysisGoneError extends Error {}

/** A load that is going on, and the {@link DashboardPanel.generation} it was started for. */
interface PendingLoad {
  generation: number;
  promise: Promise<Loaded>;
  /** Aborted when the load is no longer needed (a newer generation's load started, the panel closed). */
  stop: AbortController;
}

/** What the page shows instead of a dashboard: a load that failed or was cancelled (Retry), or a removed analysis. */
type PanelTrouble = 'failed' | 'gone';

function isCancelled(e: unknown): boolean {
  return e instanceof Error && (e.name === 'CancelledError' || e.name === 'Canceled');
}

function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Context key (package.json: the `editor/title` button and the `commandPalette` entry of *Copy Summary as Markdown*,
 * both with `activeWebviewPanelId == 'socAnalytics.dashboard'`): the dashboard in front has a Markdown summary.
 */
export const SUMMARY_CONTEXT_KEY = 'socAnalytics.dashboardHasSummary';

export class DashboardPanel {
  static readonly viewType = 'socAnalytics.dashboard';

  private static readonly panels = new Map<string, DashboardPanel>();
  private static readonly rendered = new Map<string, RenderedInfo>();
  private static renderSeq = 0;
  /** The dashboard in front most recently (its panel was active last), for commands about "this dashboard". */
  private static lastActive: DashboardPanel | undefined;
  /** The value last given to {@link SUMMARY_CONTEXT_KEY} (unset in VS Code reads as false). */
  private static summaryContext = false;

  private readonly disposables: vscode.Disposable[] = [];
  private data: Loaded | undefined;
  private loading: PendingLoad | undefined;
  /**
   * Bumped by every refresh and retry: a load started for an older generation (e.g. with the display zone before a
   * change) is neither kept nor reused, and a refresh posts only the model of its own generation.
   */
  private generation = 0;
  /** The page shows a failed load or a removed analysis instead of the dashboard. */
  private trouble: PanelTrouble | undefined;
  private ready = false;
  private nextId = 1;
  private disposed = false;
  private probeWaiters: ((p: WebviewProbe) => void)[] = [];
  /** What a Results-tree row asked this panel to show, not yet posted (the page has no model yet). */
  private rowsWanted: ShowRowsRequest | undefined;
  /** The small table a run's notification asked this panel to show (`showTab`), not yet posted. */
  private tabWanted: string | undefined;
  /** The titles this panel had (its tab's label follows a moment later): see {@link unknownTabs}. */
  private readonly titles = new Set<string>();

  // ---------------------------------------------------------------- static API

  /** Opens or reveals the panel for an analysis (one panel per analysis id). */
  static show(extensionUri: vscode.Uri, host: PanelHost, analysisId: string): DashboardPanel {
    const existing = DashboardPanel.panels.get(analysisId);
    if (existing) {
      // a page left by a failed load, or saying the analysis is gone, is loaded anew (the analysis is asked for again)
      if (existing.trouble) existing.reloadPage();
      existing.panel.reveal();
      return existing;
    }
    // A tab of this analysis restored after a window reload and not revived yet (VS Code revives a restored webview
    // only when it is shown) is not known here: the dashboard opens in its place (its editor group), and it is closed,
    // so a re-run after a reload does not open a second identical tab.
    const title = host.expectedTitle?.(analysisId);
    const restored = title ? DashboardPanel.unknownTabs().filter((t) => t.label === title) : [];
    const column = restored.find((t) => t.isActive)?.group.viewColumn ?? restored[0]?.group.viewColumn ?? vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, title ?? 'SOC dashboard', column, webviewOptions(extensionUri));
    const created = new DashboardPanel(panel, extensionUri, host, analysisId);
    if (restored.length) void DashboardPanel.closeTabs(restored);
    return created;
  }

  /**
   * The dashboard tabs (any editor group) that no open panel here stands for: tabs restored after a window reload
   * that VS Code has not revived yet (it revives one when it is shown; the serializer then takes it), and — in the
   * tests — panels made outside this class. A tab is taken to be a panel's when it is in the panel's group with one of
   * the titles the panel had (a tab's label follows the panel's title a moment later).
   */
  static unknownTabs(): vscode.Tab[] {
    const groups = vscode.window.tabGroups?.all ?? [];
    const ours = groups.flatMap((g) => g.tabs).filter((t) => DashboardPanel.isDashboardTab(t));
    const left = [...ours];
    // a panel in front claims the tab in front first (two tabs of one title in a group)
    const live = [...DashboardPanel.panels.values()].filter((p) => !p.disposed).sort((a, b) => Number(b.panel.active) - Number(a.panel.active));
    for (const p of live) {
      let i = left.findIndex((t) => t.group.viewColumn === p.panel.viewColumn && p.titles.has(t.label) && t.isActive === p.panel.active);
      if (i < 0) i = left.findIndex((t) => t.group.viewColumn === p.panel.viewColumn && p.titles.has(t.label));
      if (i >= 0) left.splice(i, 1);
    }
    return left;
  }

  private static isDashboardTab(t: vscode.Tab): boolean {
    const Input = (vscode as { TabInputWebview?: typeof vscode.TabInputWebview }).TabInputWebview;
    if (!Input || !(t.input instanceof Input)) return false;
    const vt = t.input.viewType; // `mainThreadWebview-socAnalytics.dashboard` in VS Code 1.9x
    return vt === DashboardPanel.viewType || vt.endsWith(`-${DashboardPanel.viewType}`);
  }

  private static async closeTabs(tabs: vscode.Tab[]): Promise<void> {
    if (!tabs.length) return;
    try {
      await vscode.window.tabGroups.close(tabs, true);
    } catch {
      // a tab closed meanwhile: close the others one by one
      for (const t of tabs) await Promise.resolve(vscode.window.tabGroups.close(t, true)).catch(() => undefined);
    }
  }

  /** Registers the WebviewPanelSerializer so panels survive a window reload (state holds analysisId). */
  static registerSerializer(extensionUri: vscode.Uri, host: PanelHost): vscode.Disposable {
    const serializer = DashboardPanel.serializer(extensionUri, host);
    DashboardPanel.registered = serializer;
    return vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, serializer);
  }

  /** The serializer registered (TEST ONLY command `socAnalytics.test.revivePanel` revives a panel through it, as VS Code does). */
  static registered: vscode.WebviewPanelSerializer | undefined;

  /** What VS Code calls with a restored dashboard tab when it is shown after a window reload (its webview state). */
  static serializer(extensionUri: vscode.Uri, host: PanelHost): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const id = (state as Partial<WebviewState> | undefined)?.analysisId;
        if (typeof id !== 'string' || !id) {
          panel.webview.options = { enableScripts: false, localResourceRoots: [webviewRoot(extensionUri)] };
          panel.webview.html = messageHtml(
            panel.webview.cspSource,
            panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), 'styles.css')).toString(),
            'SOC dashboard',
            'This dashboard cannot be restored. Open it again from the SOC Analytics Results view.',
          );
          return;
        }
        const existing = DashboardPanel.panels.get(id);
        if (existing) {
          panel.dispose();
          if (existing.trouble) existing.reloadPage();
          existing.panel.reveal();
          return;
        }
        // (what made the analysis: offered again by the page if the analysis is gone; the page kept it, so it is checked)
        new DashboardPanel(panel, extensionUri, host, id, checkPanelOrigin((state as Partial<WebviewState>).origin));
      },
    };
  }

  /** Last 'rendered' info per analysis (for tests and the tree). */
  static lastRendered(analysisId: string): RenderedInfo | undefined {
    return DashboardPanel.rendered.get(analysisId);
  }

  /**
   * TEST ONLY (command `socAnalytics.test.probeDashboard`): asks the open dashboard of an analysis
   * for a DOM probe (see {@link WebviewProbe}), optionally after opening the detail of row
   * `openDetail`, or after clicking the element whose `data-testid` is `click` (e.g. `retry`). Resolves undefined when no such panel is open or it does not answer in `timeoutMs`.
   */
  static probe(analysisId: string, openDetail?: number, timeoutMs = 15000, click?: string): Promise<WebviewProbe | undefined> {
    const p = DashboardPanel.panels.get(analysisId);
    if (!p || !p.ready) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        p.probeWaiters = p.probeWaiters.filter((w) => w !== done);
        resolve(undefined);
      }, timeoutMs);
      const done = (r: WebviewProbe) => {
        clearTimeout(timer);
        resolve(r);
      };
      p.probeWaiters.push(done);
      p.post({ type: 'probe', openDetail: typeof openDetail === 'number' ? openDetail : undefined, click });
    });
  }

  /** The whole-line highlight of the last revealed source line (theme colour editor.rangeHighlightBackground). */
  private static revealMark: vscode.TextEditorDecorationType | undefined;

  /**
   * Reveals a finding's source line (used by the Results tree too): the file opens with the cursor at the start of
   * `line` (1-based), the line centred and highlighted as a whole line (a decoration, not a selection: a selected line
   * is replaced by the next key typed — UI trial 2026-12-06: keystrokes meant for a picker overwrote a Loki finding in
   * the workspace's log, which was then saved and changed the next analysis). With `socAnalytics.openEvidenceReadOnly`
   * (default true) the editor is made read-only for the session (VS Code's *File: Set Active Editor Read-only in
   * Session*; *File: Set Active Editor Writeable in Session* undoes it): an evidence file is read, not edited.
   * A file too large to be synchronised to extensions is opened by the workbench at the line (no highlight).
   */
  static async revealSource(file: string, line: number, viewColumn?: vscode.ViewColumn): Promise<void> {
    const uri = vscode.Uri.file(file);
    const ln = Math.max(0, Math.floor(line) - 1);
    const readOnly = vscode.workspace.getConfiguration('socAnalytics').get<boolean>('openEvidenceReadOnly', true) !== false;
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const lineRange = doc.lineAt(Math.min(ln, Math.max(0, doc.lineCount - 1))).range;
      const caret = new vscode.Range(lineRange.start, lineRange.start);
      const editor = await vscode.window.showTextDocument(doc, { selection: caret, preview: false, viewColumn });
      editor.revealRange(lineRange, vscode.TextEditorRevealType.InCenter);
      DashboardPanel.revealMark ??= vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
        overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
        overviewRulerLane: vscode.OverviewRulerLane.Full,
      });
      // one mark at a time: the previous reveal's line loses it
      for (const e of vscode.window.visibleTextEditors) if (e !== editor) e.setDecorations(DashboardPanel.revealMark, []);
      editor.setDecorations(DashboardPanel.revealMark, [lineRange]);
    } catch (e) {
      // Very large files cannot be synchronised to extensions; let the workbench open them.
      const range = new vscode.Range(ln, 0, ln, 0);
      await vscode.commands.executeCommand('vscode.open', uri, { selection: range, preview: false, viewColumn } satisfies vscode.TextDocumentShowOptions);
      void e;
    }
    if (readOnly) await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession').then(undefined, () => undefined);
  }

  /**
   * The analysis id of the dashboard in front: the active dashboard panel, else the one that was active last (a
   * command run from the palette or a keybinding while another editor has the focus); undefined when none is open.
   */
  static focusedAnalysisId(): string | undefined {
    for (const p of DashboardPanel.panels.values()) if (p.panel.active) return p.analysisId;
    const last = DashboardPanel.lastActive;
    return last && !last.disposed ? last.analysisId : undefined;
  }

  /**
   * The dashboard source an open panel of `analysisId` shows (loaded for the current display zone when it is not yet),
   * or undefined when no panel of it is open. Rejects as the panel's load does (failed or cancelled re-run, analysis gone).
   */
  static async openSource(analysisId: string): Promise<DashboardSource | undefined> {
    const p = DashboardPanel.panels.get(analysisId);
    return p && !p.disposed ? (await p.loadCurrent()).source : undefined;
  }

  /** Rebuilds every open dashboard's model (e.g. after the display zone changed) and pushes it. */
  static refreshAll(): void {
    for (const p of DashboardPanel.panels.values()) void p.refresh();
  }

  /**
   * Lets go of the dashboard data of every panel that is not visible (memory pressure: see
   * AnalysisRegistry.onMemoryPressure). Such a page has no scripts running (no retainContextWhenHidden): when it is
   * shown again it sends `ready` and the analysis is loaded anew (re-run from its inputs when no longer in memory).
   * Returns how many panels let go of their data.
   */
  static releaseHidden(): number {
    let n = 0;
    for (const p of DashboardPanel.panels.values()) {
      if (p.disposed || p.panel.visible || !p.data) continue;
      p.data = undefined;
      p.generation++;
      p.ready = false;
      n++;
    }
    return n;
  }

  /**
   * Closes the tabs of one analysis (it was removed): its panel, and the tabs titled `title` (its tab title) that no
   * panel here stands for — restored after a window reload and not revived yet ({@link unknownTabs}). Pass no
   * `title` when another analysis has the same tab title (such a tab could be that one's).
   */
  static async disposeFor(analysisId: string, title?: string): Promise<void> {
    DashboardPanel.panels.get(analysisId)?.panel.dispose();
    if (title) await DashboardPanel.closeTabs(DashboardPanel.unknownTabs().filter((t) => t.label === title));
  }

  /**
   * Closes the tabs of every analysis (Clear All): every panel but `keep`'s (the merged timeline, which follows the
   * Results view), and every dashboard tab no panel here stands for — restored after a window reload and not revived
   * yet — but those titled `keepTitle`.
   */
  static async disposeAnalyses(keep?: string, keepTitle?: string): Promise<void> {
    for (const p of [...DashboardPanel.panels.values()]) if (p.analysisId !== keep) p.panel.dispose();
    await DashboardPanel.closeTabs(DashboardPanel.unknownTabs().filter((t) => keepTitle === undefined || t.label !== keepTitle));
  }

  /** Closes every dashboard panel (deactivation, tests). */
  static disposeAll(): void {
    for (const p of [...DashboardPanel.panels.values()]) p.panel.dispose();
  }

  /** Rebuilds one open dashboard (e.g. the merged timeline after the analyses changed); nothing when it is not open. */
  static refreshOne(analysisId: string): void {
    const p = DashboardPanel.panels.get(analysisId);
    if (p && !p.disposed) void p.refresh();
  }

  /**
   * Opens or reveals the panel of an analysis and shows the rows a Results-tree row stands for (`req`, the checked
   * second argument of `socAnalytics.openAnalysis`): posted as `showRows` at once when the page has its model, else
   * right after the model (a fresh panel, a page still loading, one reloaded after a failure).
   */
  static showRows(extensionUri: vscode.Uri, host: PanelHost, analysisId: string, req: ShowRowsRequest): DashboardPanel {
    // a tab behind another one has no page (VS Code drops a hidden webview's document): brought forward, its page is
    // made anew and says `ready`, and the rows follow the model then (posted now, they would be lost)
    const shown = DashboardPanel.panels.get(analysisId)?.panel.visible === true;
    const p = DashboardPanel.show(extensionUri, host, analysisId);
    p.rowsWanted = req;
    if (shown && p.ready && p.data && !p.trouble) void p.postRowsWanted();
    return p;
  }

  /**
   * Opens or reveals the panel of an analysis on the small table `tab` (its id in the model: `notes`, `errors`,
   * `inputs`…; a run's notification's *Show Notes*): posted as `showTab` at once when the page has its model, else right
   * after the model (a fresh panel, a tab brought forward whose page is made anew, a page still loading or rebuilt).
   */
  static showTab(extensionUri: vscode.Uri, host: PanelHost, analysisId: string, tab: string): DashboardPanel {
    // (as showRows: a tab behind another one has no page; brought forward, its page says `ready` and gets the model first)
    const shown = DashboardPanel.panels.get(analysisId)?.panel.visible === true;
    const p = DashboardPanel.show(extensionUri, host, analysisId);
    p.tabWanted = tab;
    if (shown && p.ready && p.data && !p.trouble) p.postTabWanted();
    return p;
  }

  /** Posts the small table a notification asked for, if any (`showTab`). */
  private postTabWanted(): void {
    const tab = this.tabWanted;
    if (tab === undefined || this.disposed) return;
    this.tabWanted = undefined;
    this.post({ type: 'showTab', tab });
  }

  /** After a model was posted: the rows a tree row asked for, then the tab a notification asked for. */
  private async postWanted(): Promise<void> {
    await this.postRowsWanted();
    this.postTabWanted();
  }

  /**
   * Posts the rows a tree row asked for, if any: `showRows` with its facets and, when it asked for the detail, the id
   * of the first matching row in the table's order (the store answers as for a query with these facets only).
   */
  private async postRowsWanted(): Promise<void> {
    const req = this.rowsWanted;
    if (!req || this.disposed) return;
    this.rowsWanted = undefined;
    let openDetail: number | undefined;
    try {
      const d = await this.load();
      if (req.detail) {
        const q = { facets: req.facets, ...(d.source.model.defaultSort ? { sort: d.source.model.defaultSort } : {}) };
        await d.source.store.prepare(q);
        openDetail = d.source.store.window(q, 0, 1).ids[0];
      }
    } catch (e) {
      this.host.log(`Dashboard ${this.analysisId}: the rows of a Results row not found: ${oneLogLine(errorMessage(e))}`);
    }
    this.post(openDetail === undefined ? { type: 'showRows', facets: req.facets } : { type: 'showRows', facets: req.facets, openDetail });
  }

  // ---------------------------------------------------------------- instance

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly host: PanelHost,
    readonly analysisId: string,
    /** What made the analysis, as a restored tab's state kept it (the host's own, when it knows the analysis, wins). */
    private readonly restoredOrigin?: PanelOrigin,
  ) {
    DashboardPanel.panels.set(analysisId, this);
    this.titles.add(panel.title);
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html('SOC dashboard');
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    if (panel.active) DashboardPanel.lastActive = this;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) DashboardPanel.lastActive = this;
      DashboardPanel.refreshSummaryContext();
    }, undefined, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m), undefined, this.disposables);
  }

  private html(title: string): string {
    const webview = this.panel.webview;
    const root = webviewRoot(this.extensionUri);
    const uri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, f)).toString();
    return dashboardHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: uri('dashboard.js'),
      styleUri: uri('styles.css'),
      codiconUri: uri('codicon.css'),
      analysisId: this.analysisId,
      title,
      origin: this.origin(),
    });
  }

  /** What made the analysis: the host's (the analysis exists), else what the restored tab kept. */
  private origin(): PanelOrigin | undefined {
    return this.host.origin?.(this.analysisId) ?? this.restoredOrigin;
  }

  private setTitle(title: string): void {
    this.titles.add(title);
    this.panel.title = title;
  }

  /**
   * The analysis is not in the registry (removed, or the workspace's analyses were lost and this tab was restored):
   * the page says so and, when it is known what made the analysis ({@link origin}), offers to run it again (`rerun`).
   * It never points to the Results view, which does not list it.
   */
  private showGone(inReplyTo?: number): void {
    if (this.disposed) return; // (closed meanwhile, e.g. the analysis was removed while it loaded)
    this.trouble = 'gone';
    const origin = this.origin();
    const g = goneMessage(origin, this.panel.title);
    this.host.log(`Dashboard ${this.analysisId}: the analysis is gone${origin ? ` (${origin.command} on ${origin.paths.length} input${origin.paths.length === 1 ? '' : 's'})` : ''}`);
    this.post(g.action ? { type: 'gone', message: g.message, action: g.action } : { type: 'gone', message: g.message }, inReplyTo);
    DashboardPanel.refreshSummaryContext();
  }

  /**
   * Loading the analysis failed or was cancelled: logged, and the page shows why with a Retry button (`loadFailed`;
   * the webview keeps its scripts). The analysis still exists — unlike {@link showGone}.
   */
  private showFailure(e: unknown, inReplyTo?: number): void {
    if (this.disposed) return;
    const cancelled = isCancelled(e);
    const message = cancelled ? 'Loading the analysis was cancelled.' : errorMessage(e);
    this.trouble = 'failed';
    this.host.log(`Dashboard ${this.analysisId}: ${cancelled ? 'loading the analysis was cancelled' : `the analysis could not be loaded: ${message}`}`);
    this.post(cancelled ? { type: 'loadFailed', message, cancelled: true } : { type: 'loadFailed', message }, inReplyTo);
    DashboardPanel.refreshSummaryContext();
  }

  /**
   * Sets the context key {@link SUMMARY_CONTEXT_KEY} from the dashboard in front (its panel active): true when its
   * analysis is loaded and has a Markdown summary (Loki, QRadar, beacons, cases), which shows *Copy Summary as Markdown* in
   * the editor title and the Command Palette; false when no dashboard is in front, or the one in front is loading,
   * failed, says its analysis is gone or was closed (the key stayed true after the dashboard in front was closed).
   * `setContext` runs only when the value changes. Returns the value.
   */
  static refreshSummaryContext(): boolean {
    const front = [...DashboardPanel.panels.values()].find((p) => !p.disposed && p.panel.active);
    const has = !!front && !front.trouble && front.data?.source.markdown !== undefined;
    if (has !== DashboardPanel.summaryContext) {
      DashboardPanel.summaryContext = has;
      void vscode.commands.executeCommand('setContext', SUMMARY_CONTEXT_KEY, has);
    }
    return has;
  }

  /** A fresh dashboard page (scripts on): its `ready` loads the analysis again. */
  private reloadPage(): void {
    if (this.disposed) return;
    this.trouble = undefined;
    this.ready = false;
    this.data = undefined;
    this.generation++;
    this.panel.webview.options = webviewOptions(this.extensionUri);
    this.panel.webview.html = this.html('SOC dashboard');
  }

  /** The analysis's dashboard source for the current generation: a load in flight for an older one is not reused. */
  private load(): Promise<Loaded> {
    if (this.data) return Promise.resolve(this.data);
    const generation = this.generation;
    if (!this.loading || this.loading.generation !== generation) {
      // a load for an older generation is not needed any more: its work (a summary in slices) may stop
      this.loading?.stop.abort();
      const stop = new AbortController();
      const promise = (async () => {
        const zone = this.host.displayZone();
        const source = await this.host.getSource(this.analysisId, zone, stop.signal);
        if (!source) throw new AnalysisGoneError('This analysis no longer exists.');
        // a time column whose times are at more than one UTC offset in the zone shows the offset in its cells (before the
        // store's first query: its text index is built from the columns' format)
        if (!DashboardPanel.offsetsShown.has(source.model)) {
          DashboardPanel.offsetsShown.add(source.model);
          showZoneOffsets(source.columns, source.rows, source.model, zone);
        }
        const loaded: Loaded = { zone, source };
        if (!this.disposed && generation === this.generation) {
          this.data = loaded;
          this.trouble = undefined;
          this.setTitle(source.panelTitle);
          DashboardPanel.refreshSummaryContext();
          // A fresh panel's first query uses the model's default sort: build that order now, while the
          // model travels to the webview and its cards and charts render (one task, as the query would).
          const sort = source.model.defaultSort;
          if (sort) void source.store.warm({ sortColumns: [sort.column], search: false });
        }
        return loaded;
      })().catch((e: unknown) => {
        // stopped for a newer load (not closed): whoever waited for this one gets that one
        if (stop.signal.aborted && !this.disposed) return this.load();
        throw e;
      });
      const pending: PendingLoad = { generation, promise, stop };
      this.loading = pending;
      const done = () => {
        if (this.loading === pending) this.loading = undefined;
      };
      promise.then(done, done);
    }
    return this.loading.promise;
  }

  /** {@link load}, again while a refresh made the loaded generation stale meanwhile (the model posted is the newest). */
  private async loadCurrent(): Promise<Loaded> {
    for (;;) {
      const generation = this.generation;
      const d = await this.load();
      if (generation === this.generation || this.disposed) return d;
    }
  }

  private async refresh(): Promise<void> {
    const before = this.data?.source.rows;
    this.data = undefined;
    const generation = ++this.generation;
    if (this.trouble) {
      this.reloadPage(); // the page shows a failure or "gone": a new page asks again
      return;
    }
    if (!this.ready) return;
    // the page keeps the dashboard it shows and, when the new one takes a moment (a QRadar summary of another zone
    // counted in slices, a re-run of a released result), says that it is being updated
    this.post({ type: 'loading', message: this.host.loadingMessage?.(this.analysisId) ?? 'Building the dashboard…' });
    try {
      const d = await this.load();
      if (generation !== this.generation || this.disposed) return; // a later refresh posts its own model
      const m = this.modelMessage(d);
      if (before !== undefined && !sameRows(before, d.source.rows, d.source.rowIdentity)) m.rowsChanged = true;
      this.post(m);
      void this.postWanted();
    } catch (e) {
      if (generation !== this.generation || this.disposed) return;
      if (e instanceof AnalysisGoneError) this.showGone();
      else this.showFailure(e);
    }
  }

  /** The model, with the view preferences of its kind (a new panel starts with them). */
  private modelMessage(d: Loaded): Extract<ToWebview, { type: 'model' }> {
    const prefs = this.host.prefs?.get(d.source.model.kind);
    return prefs ? { type: 'model', model: d.source.model, prefs } : { type: 'model', model: d.source.model };
  }

  private post(body: ToWebview, inReplyTo?: number): void {
    if (this.disposed) return;
    const env: Envelope<ToWebview> = { id: this.nextId++, inReplyTo, body };
    void this.panel.webview.postMessage(env);
  }

  /**
   * Answers the webview's request `inReplyTo` with the error `e` and logs it. The log gets it as one line
   * ({@link oneLogLine}): a refusal names what the webview sent (an unknown table id or zone, `exportTable.tableId`,
   * `setZone.zone`), and a line break in it must not write a second, forged log line.
   */
  private fail(inReplyTo: number | undefined, e: unknown): void {
    const message = errorMessage(e);
    this.host.log(`Dashboard ${this.analysisId}: ${oneLogLine(message)}`);
    this.post({ type: 'error', message }, inReplyTo);
  }

  /**
   * Handles one message of the webview. The webview is untrusted (it renders log content): every message is
   * checked by {@link checkWebviewMessage} first, and only its checked copy is used; a refused message is answered
   * with an error (and logged), a message of an unknown type is ignored.
   */
  private async onMessage(raw: unknown): Promise<void> {
    const checked = checkWebviewMessage(raw);
    const id = checked.id;
    if (!checked.ok) {
      if (checked.unknownType) return;
      this.fail(id, new Error(checked.error));
      return;
    }
    const m = checked.body;
    try {
      switch (m.type) {
        case 'ready':
        case 'retry': {
          this.ready = true;
          if (m.type === 'retry') {
            this.data = undefined;
            this.generation++;
          }
          // the page learns at once that the host is alive and what it waits for (a re-run can take a minute)
          if (!this.data) this.post({ type: 'loading', message: this.host.loadingMessage?.(this.analysisId) ?? 'Building the dashboard…' });
          let d: Loaded;
          try {
            d = await this.loadCurrent();
          } catch (e) {
            if (e instanceof AnalysisGoneError) {
              this.showGone(id);
              return;
            }
            this.showFailure(e, id);
            return;
          }
          this.post(this.modelMessage(d), id);
          void this.postWanted();
          return;
        }
        case 'rerun': {
          // the host's own record of the analysis, or the checked origin the restored tab kept; never the page's words
          const origin = this.trouble === 'gone' ? this.origin() : undefined;
          if (!origin || !this.host.rerun) throw new Error('This dashboard cannot run its analysis again.');
          const newId = await this.host.rerun(origin);
          // the new analysis's dashboard is open (in this tab's group: this tab was in front): this tab has done its part
          if (newId && newId !== this.analysisId) this.panel.dispose();
          else this.post({ type: 'ack', message: newId ? 'done' : 'not run' }, id);
          return;
        }
        case 'query': {
          const d = await this.load();
          const { offset, limit } = m; // checked: integers, 0 ≤ limit ≤ MAX_WINDOW
          // the indexes this query needs, each built in its own task (not all at once inside `window`)
          await d.source.store.prepare(m.query);
          const t0 = performance.now();
          const w = d.source.store.window(m.query, offset, limit);
          const elapsedMs = performance.now() - t0;
          this.post({ type: 'rows', total: w.total, offset, ids: w.ids, rows: w.rows, elapsedMs }, id);
          return;
        }
        case 'detail': {
          const d = await this.load();
          const r = this.row(d, m.row);
          this.post({ type: 'detail', detail: await d.source.detail(r, m.row) }, id);
          return;
        }
        case 'reveal': {
          const d = await this.load();
          const src = d.source.sourceOf?.(this.row(d, m.row));
          if (!src || src.line <= 0) throw new Error('This row has no source line to reveal.');
          await DashboardPanel.revealSource(src.file, src.line, vscode.ViewColumn.Beside);
          this.post({ type: 'ack' }, id);
          return;
        }
        case 'exportCsv': {
          const message = await this.exportCsv(m.query, m.columns);
          this.post({ type: 'ack', message }, id);
          return;
        }
        case 'copy': {
          await vscode.env.clipboard.writeText(m.text);
          this.post({ type: 'ack', message: 'copied' }, id);
          return;
        }
        case 'action': {
          const d = await this.load();
          if (!d.source.action) throw new Error('This dashboard has no row actions.');
          const r = await d.source.action(this.row(d, m.row), m.row, m.action);
          this.post({ type: 'ack', message: r.message, done: r.done }, id);
          if (r.refresh) DashboardPanel.refreshAll();
          return;
        }
        case 'rendered': {
          const info: RenderedInfo = { cards: m.cards, totalRows: m.totalRows, visibleRows: m.visibleRows, seq: ++DashboardPanel.renderSeq };
          if (m.firstRow) info.firstRow = m.firstRow;
          DashboardPanel.rendered.set(this.analysisId, info);
          this.host.onRendered?.(this.analysisId, info);
          return;
        }
        case 'setPrefs': {
          // stored for the kind of this panel's dashboard (never a kind the webview names)
          const d = await this.load();
          await this.host.prefs?.set(d.source.model.kind, m.prefs);
          return;
        }
        case 'log':
          this.host.log(`webview ${this.analysisId} [${m.level}]: ${m.message}`);
          return;
        case 'probeResult': {
          // TEST ONLY: hand the probe to the waiting test command (nothing else reads it).
          const waiters = this.probeWaiters;
          this.probeWaiters = [];
          for (const w of waiters) w(m.probe);
          return;
        }
        case 'savePng': {
          const message = await this.savePng(m.name, m.dataUrl);
          this.post({ type: 'ack', message }, id);
          return;
        }
        case 'exportTable': {
          const message = await this.exportTable(m.tableId);
          this.post({ type: 'ack', message }, id);
          return;
        }
        case 'setZone': {
          const raw = m.zone.trim();
          const zone = canonicalZoneSetting(raw); // stored as the tz database spells it
          if (!zone) throw new Error(unknownZoneMessage('display time zone', raw)); // with the zones it probably means
          // The configuration listener in extension.ts refreshes every open dashboard.
          await updateSetting('socAnalytics', 'displayTimeZone', zone); // where it takes effect (the workspace's, if it sets one)
          this.post({ type: 'ack', message: `zone ${zone}` }, id);
          return;
        }
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

  private row(d: Loaded, row: unknown): unknown {
    const i = Number(row);
    const r = Number.isInteger(i) && i >= 0 ? d.source.rows[i] : undefined;
    if (r === undefined) throw new Error(`row ${String(row)} not found`);
    return r;
  }

  private async exportCsv(query: TableQuery, columnIds: string[]): Promise<string> {
    query = checkTableQuery(query); // checked by onMessage already; again for any other caller
    const d = await this.load();
    const src = d.source;
    // the shown columns, and those every export has (a finding's hashes: an IOC pivot needs the hash that matched)
    const cols = exportColumns(src.columns, Array.isArray(columnIds) ? columnIds.map(String) : []);

    // the rows the table's filters keep, said in the dialog's title and the notification ("1 of 6 offenses (filtered)")
    const ids = src.store.matching(query);
    const all = src.rows;
    const scope = exportScopeText(ids.length, all.length, src.rowNoun);
    const target = await this.saveDialog(src.exportName, {
      filters: { 'CSV files': ['csv'], 'All files': ['*'] },
      saveLabel: 'Export',
      title: saveDialogTitle(`Export ${scope} to CSV`),
    });
    if (!target) return 'cancelled';

    try {
      // the chosen columns, a UTC column (ISO 8601, `Z`) after each time column
      const layout = exportLayout(cols);
      const rows = function* (): Iterable<(string | number | undefined)[]> {
        for (const id of ids) yield layout.cells(all[id]);
      };
      // Encode chunk by chunk (no single giant JS string for 1M rows); BOM so spreadsheets detect UTF-8.
      const parts: Buffer[] = [];
      for (const chunk of csvChunks(layout.header, rows(), { bom: true }))
        parts.push(Buffer.from(chunk, 'utf8'));
      await DashboardPanel.write(target.uri, Buffer.concat(parts));
    } finally {
      await target.tidy();
    }
    const where = target.uri.scheme === 'file' ? target.uri.fsPath : target.uri.toString();
    this.host.log(`Exported ${ids.length} of ${all.length} ${src.rowNoun} (${cols.length} ${cols.length === 1 ? 'column' : 'columns'}) to ${where}`);
    DashboardPanel.notifySaved(`Exported ${scope} to`, target.uri);
    return `exported ${ids.length}`;
  }

  /**
   * Default location of exports: `soc-exports/` in the workspace folder of the inputs, so an export never lands
   * among the inputs and is never read back by the next analysis (every discovery skips `soc-exports/` and
   * `soc-reports/`). Without a workspace: the inputs' folder. `ensure`: the folder the dialog proposes that may not
   * exist yet ({@link saveDialog} makes it while the dialog is open).
   */
  private defaultUri(name: string): { uri: vscode.Uri; ensure?: vscode.Uri; fallback?: vscode.Uri } | undefined {
    const dir = this.data?.source.exportDir;
    const folder = (dir ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir)) : undefined) ?? vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const exports = vscode.Uri.joinPath(folder.uri, 'soc-exports');
      return { uri: vscode.Uri.joinPath(exports, name), ensure: exports, fallback: vscode.Uri.joinPath(folder.uri, name) };
    }
    return dir ? { uri: vscode.Uri.joinPath(vscode.Uri.file(dir), name) } : undefined;
  }

  /**
   * The save dialog of an export, proposing `name` in the export folder ({@link defaultUri}). The dialog proposes a
   * folder that exists: a missing `soc-exports/` is made before it opens (new-user trial: the dialog proposed a
   * `soc-exports/` that did not exist and VS Code asked "create it?") and removed again by `tidy()` when it is still
   * empty — the dialog cancelled, the file saved elsewhere or not written (an earlier trial: a cancelled first export
   * left an empty `soc-exports/` in the workspace). A folder that was there already is never removed. When it cannot
   * be made (a read-only workspace, a file of that name), the workspace folder itself is proposed. Call `tidy()` after
   * writing the file (also when the write failed).
   */
  private async saveDialog(name: string, options: Omit<vscode.SaveDialogOptions, 'defaultUri'>): Promise<{ uri: vscode.Uri; tidy: () => Promise<void> } | undefined> {
    // one export at a time, from its dialog to its tidy (two at once: the second would see the first's folder as there
    // already, and the first's tidy would remove it under the second's dialog)
    const before = DashboardPanel.exportTurn;
    let release!: () => void;
    DashboardPanel.exportTurn = new Promise<void>((r) => (release = r));
    await before;
    const proposed = this.defaultUri(name);
    let made: vscode.Uri | undefined;
    let defaultUri = proposed?.uri;
    if (proposed?.ensure && !(await DashboardPanel.isFolder(proposed.ensure))) {
      try {
        await vscode.workspace.fs.createDirectory(proposed.ensure);
        made = proposed.ensure;
      } catch (e) {
        this.host.log(`Could not make ${proposed.ensure.fsPath} for the export (${oneLogLine(e instanceof Error ? e.message : String(e))}): proposing the workspace folder`);
        defaultUri = proposed.fallback;
      }
    }
    let done = false;
    const tidy = async () => {
      if (done) return;
      done = true;
      try {
        if (made) await DashboardPanel.removeIfEmpty(made);
      } finally {
        release();
      }
    };
    let uri: vscode.Uri | undefined;
    try {
      uri = await vscode.window.showSaveDialog({ ...options, defaultUri });
    } finally {
      if (!uri) await tidy();
    }
    return uri && { uri, tidy };
  }
  /** The models whose time cells {@link showZoneOffsets} has seen (a source given twice is changed once). */
  private static offsetsShown = new WeakSet<object>();
  /** Settled when the export under way (its dialog, file and tidy: {@link saveDialog}) is over. */
  private static exportTurn: Promise<void> = Promise.resolve();

  private static async isFolder(uri: vscode.Uri): Promise<boolean> {
    try {
      return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
    } catch {
      return false;
    }
  }

  /** Removes the folder `uri` when it holds nothing (never a folder with anything in it; errors are ignored). */
  private static async removeIfEmpty(uri: vscode.Uri): Promise<void> {
    try {
      if ((await vscode.workspace.fs.readDirectory(uri)).length === 0) await vscode.workspace.fs.delete(uri, { recursive: false, useTrash: false });
    } catch {
      // (gone already, or not ours to remove)
    }
  }

  /** Writes an export the user chose to save: its folder first (the user may have typed a new folder; createDirectory makes the parents and accepts an existing folder). */
  private static async write(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
    await vscode.workspace.fs.writeFile(target, bytes);
  }

  /**
   * The notification after an export was written: `<what> <path>.` (the path relative to the workspace when inside
   * it, else whole) with *Open* (the file in an editor) and *Reveal in Explorer* (the file in the Explorer view).
   */
  static notifySaved(what: string, target: vscode.Uri): void {
    const where = vscode.workspace.asRelativePath(target, false);
    void vscode.window.showInformationMessage(notificationSafe(`${what} ${where}.`), 'Open', 'Reveal in Explorer').then((action) => {
      if (action === 'Open') void vscode.commands.executeCommand('vscode.open', target);
      else if (action === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', target);
    });
  }

  /** File-name part from chart/table titles: letters, digits, dot, dash, underscore only. */
  private static safeName(s: string): string {
    return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'export';
  }

  /** Writes a chart image sent by the webview (`data:image/png;base64,…` only) where the user chooses. */
  private async savePng(name: string, dataUrl: string): Promise<string> {
    const prefix = 'data:image/png;base64,';
    if (!dataUrl.startsWith(prefix)) throw new Error('not a PNG image');
    const bytes = Buffer.from(dataUrl.slice(prefix.length), 'base64');
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG image');
    await this.load();
    const saved = await this.saveDialog(`${DashboardPanel.safeName(name)}.png`, {
      filters: { 'PNG images': ['png'] },
      saveLabel: 'Save PNG',
      title: saveDialogTitle('Save chart as PNG'),
    });
    if (!saved) return 'cancelled';
    const target = saved.uri;
    try {
      await DashboardPanel.write(target, bytes);
    } finally {
      await saved.tidy();
    }
    // the name comes from the webview: one log line whatever it holds
    this.host.log(`Saved chart ${oneLogLine(name)} to ${target.scheme === 'file' ? target.fsPath : target.toString()}`);
    DashboardPanel.notifySaved('Saved the chart to', target);
    return 'saved';
  }

  /**
   * Exports one small table of the model (all rows) to CSV through the formula-guarded writer: formatted
   * quantities as numbers with the unit in the header ({@link smallTableCsv}). A notification names the file
   * and opens it (UI trial: the export of a KPI table said nothing).
   */
  private async exportTable(tableId: string): Promise<string> {
    const d = await this.load();
    const t = d.source.model.tables.find((x) => x.id === tableId);
    if (!t) throw new Error(`no table ${tableId}`);
    const saved = await this.saveDialog(`${d.source.model.kind}-${DashboardPanel.safeName(t.id)}.csv`, {
      filters: { 'CSV files': ['csv'], 'All files': ['*'] },
      saveLabel: 'Export',
      title: saveDialogTitle(`Export “${t.title}” to CSV`),
    });
    if (!saved) return 'cancelled';
    const target = saved.uri;
    const csv = smallTableCsv(t, { bom: true });
    try {
      await DashboardPanel.write(target, Buffer.from(csv, 'utf8'));
    } finally {
      await saved.tidy();
    }
    const rowWord = t.rows.length === 1 ? 'row' : 'rows';
    this.host.log(`Exported table ${t.id} (${t.rows.length} ${rowWord}) to ${target.scheme === 'file' ? target.fsPath : target.toString()}`);
    DashboardPanel.notifySaved(`Exported “${t.title}” (${t.rows.length.toLocaleString()} ${rowWord}) to`, target);
    return `exported ${t.rows.length}`;
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loading?.stop.abort(); // nobody waits for its source any more
    if (DashboardPanel.panels.get(this.analysisId) === this) DashboardPanel.panels.delete(this.analysisId);
    if (DashboardPanel.lastActive === this) DashboardPanel.lastActive = undefined;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    // (the closed panel was perhaps the one in front; `disposed` keeps it out before its panel is asked)
    DashboardPanel.refreshSummaryContext();
  }
}

