/**
 * Dashboard webview (every analysis kind, driven by the DashboardModel): header, summary cards, charts, tabs with the findings table (virtual,
 * host-paged) and the small summary tables. All data comes from the host through the typed
 * protocol (`src/shared/protocol.ts`); every piece of log text is rendered as text only.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';

import { alignsRight, facetValueLabel, type ActionDone, type DashboardPrefs, type Card, type ChartSeries, type ColumnDef, type DashboardModel, type SmallTable, type TableQuery, type ToWebview, type WebviewState, type WebviewProbe } from '../../src/shared/protocol';
import { Rpc } from '../common/rpc';
import { append, clear, debounce, h, icon } from '../common/dom';
import { firstSortOf, VirtualTable } from '../common/virtualTable';
import { CHART_RESIZE_EVENT, createBarChart, type BarChartHandle } from '../common/charts';
import { fitPaneToCards, horizontalChartPx, layoutCharts, verticalChartPx, type LaidOutChart } from '../common/chartLayout';
import { DetailPane, separatorBreaks } from '../common/detail';
import { zoneTimeText } from '../../src/shared/zone-time';
import { exportScopeText } from '../../src/shared/export-scope';

/** What we persist with setState (WebviewState plus UI extras). */
type UiState = WebviewState & { activeTab?: number; detailOpen?: boolean; problemsOpen?: boolean; chartsOpen?: boolean; detailWidth?: number; columnWidths?: Record<string, number> };

const rpc = new Rpc();
const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const saved = rpc.api.getState() as Partial<UiState> | undefined;
const bodyId = document.body.getAttribute('data-analysis-id') ?? '';
/** What made the analysis (the host's JSON, opaque here): kept in the state, so a restored tab can offer to run it again. */
const bodyOrigin = ((): unknown => {
  try {
    const o = document.body.getAttribute('data-origin');
    return o ? (JSON.parse(o) as unknown) : undefined;
  } catch {
    return undefined;
  }
})();
const state: UiState = {
  analysisId: bodyId || saved?.analysisId || '',
  origin: bodyOrigin ?? (bodyId && saved?.analysisId && bodyId !== saved.analysisId ? undefined : saved?.origin),
  query: saved?.query ?? {},
  // (the user's column choices against the model's defaults: a default-hidden column stays hidden unless shown here)
  hiddenColumns: Array.isArray(saved?.shownColumns) && Array.isArray(saved.hiddenColumns) ? saved.hiddenColumns : [],
  shownColumns: Array.isArray(saved?.shownColumns) ? saved.shownColumns : [],
  scrollTop: saved?.scrollTop ?? 0,
  selectedRow: saved?.selectedRow,
  activeTab: saved?.activeTab ?? 0,
  detailOpen: saved?.detailOpen ?? saved?.selectedRow !== undefined,
  problemsOpen: saved?.problemsOpen ?? false,
  // undefined in a new panel: the host's remembered choice for this kind of dashboard (applyPrefs), else unfolded
  chartsOpen: saved?.chartsOpen,
  detailWidth: typeof saved?.detailWidth === 'number' && saved.detailWidth > 0 ? saved.detailWidth : undefined,
  columnWidths: saved?.columnWidths && typeof saved.columnWidths === 'object' ? saved.columnWidths : undefined,
};
/**
 * A state saved by an earlier version, which kept the whole hidden set in `hiddenColumns` (no `shownColumns`): when not
 * empty, the user's view, read against the first model's defaults ({@link hiddenColumnsOf}). An empty one cannot be told
 * from the `[]` those versions saved before their first model arrived (a hide/show then showed every default-hidden
 * column): the defaults apply.
 */
let legacyHidden = saved && !Array.isArray(saved.shownColumns) && Array.isArray(saved.hiddenColumns) && saved.hiddenColumns.length ? saved.hiddenColumns : undefined;
/** A restored panel keeps the user's own view; a fresh one starts with the model's `defaultSort`. */
let useDefaultSort = saved?.query === undefined;

function saveState(): void {
  rpc.api.setState(state);
}
saveState();

let model: DashboardModel | undefined;
let table: VirtualTable | undefined;
let detail: DetailPane | undefined;
let charts: BarChartHandle[] = [];
/** Stops the observers of the chart grids (chartLayout.ts) and table frames when the dashboard is rendered anew. */
let chartLayouts: (() => void)[] = [];
let tabs: HTMLElement | undefined;
let rowCountEl: HTMLElement | undefined;
/** The big table's Export CSV button: its tooltip says which rows it writes ("1 of 6 offenses (filtered)"). */
let exportBtnEl: HTMLElement | undefined;
/** "Sorted by Time ↓" beside the row count while the table's sort column is hidden ({@link updateSortNote}). */
let sortNoteEl: HTMLElement | undefined;
let chipsEl: HTMLElement | undefined;
let findingsBadge: HTMLElement | undefined;
/** Closes the Columns chooser (of the dashboard rendered last), as a tab change does: its tab panel is no longer shown. */
let closeColumnMenu: (() => void) | undefined;

/** Plural noun of the big table's rows. */
function noun(m: DashboardModel): string {
  return m.rowNoun || 'findings';
}
/**
 * The columns an Export CSV of the big table writes, in words: `the visible columns`, and the columns every export has
 * (`, MD5, SHA1 and SHA256 always` on the findings: the hash a hash IOC matched).
 */
function exportColumnsText(m: DashboardModel): string {
  const always = m.columns.filter((c) => c.alwaysExported).map((c) => c.title);
  if (!always.length) return 'the visible columns';
  const list = always.length === 1 ? always[0] : `${always.slice(0, -1).join(', ')} and ${always[always.length - 1]}`;
  return `the visible columns; ${list} always`;
}
function tableTitle(m: DashboardModel): string {
  const n = noun(m);
  return m.tableTitle || n.charAt(0).toUpperCase() + n.slice(1);
}
/** One row of the big table, capitalised: "Finding", "Offense", "Connection pair", "Case". */
function rowName(m: DashboardModel): string {
  const n = noun(m).replace(/(?<!s)s$/, '');
  return n.charAt(0).toUpperCase() + n.slice(1);
}
let searchField: HTMLElement & { value: string } = undefined as never;
let errorBar: HTMLElement | undefined;
/** The line under the header while the host builds a new model of a shown dashboard ({@link showUpdating}). */
let updatingBar: HTMLElement | undefined;
let updatingTimer: ReturnType<typeof setTimeout> | undefined;
/** How long a rebuild may take before the shown dashboard says it is being updated (no flash for a quick one), ms. */
const UPDATING_AFTER_MS = 250;

/**
 * The host builds a new model of the dashboard on the page (a new display zone, changed settings): the page keeps
 * showing the old one, and after {@link UPDATING_AFTER_MS} says so in a status line with the host's text until the new
 * model is rendered (new-user trial: at 250,000 QRadar offenses the dashboard showed the old zone for ~5 s after the
 * status bar had switched, with no sign that it was being counted again).
 */
function showUpdating(message: string): void {
  clearTimeout(updatingTimer);
  updatingTimer = setTimeout(() => {
    if (!updatingBar || !updatingBar.isConnected) return;
    clear(updatingBar);
    append(updatingBar, h('vscode-progress-ring'), h('span', { class: 'updating-text' }, message));
    updatingBar.hidden = false;
  }, UPDATING_AFTER_MS);
}

/** The new model (or a failure page) is here: no updating line. */
function endUpdating(): void {
  clearTimeout(updatingTimer);
  updatingTimer = undefined;
  if (updatingBar) updatingBar.hidden = true;
}
let detailSeq = 0;
let visibleRowsShown = 0;
/** The row whose detail-pane action is running (the host may be asking for a confirmation). */
let actionRow: number | undefined;
/** A new model arrived while the action ran: row ids may have changed. */
let modelDuringAction = false;
/** The outcome of the last action that took its row out of the table, shown in the detail pane until another row is opened. */
let actionDone: ActionDone | undefined;
/**
 * The action's own rebuilt dashboard (rows changed: its row left) is still to come after its answer: that one keeps
 * {@link actionDone}; rows changed again after it (an *Undo* in the notification, another dashboard's action) mean the
 * outcome shown is no longer so, and the pane closes.
 */
let doneAwaitsModel = false;

// ---------------------------------------------------------------- messaging

/**
 * The problems banner's label: "N problems reading the input". Not "unparsed lines": a skipped or unreadable file is
 * one problem at line 0 (a QRadar API error answer in an export folder read "1 unparsed line"), and a parser's
 * "N more not listed" is one problem for many lines. The list below it gives `file:line` or the file alone.
 */
function problemsLabel(p: DashboardModel['problems']): string {
  return `${p.count.toLocaleString('en-US')} problem${p.count === 1 ? '' : 's'} reading the input`;
}

function showError(message: string): void {
  if (!errorBar) return;
  clear(errorBar);
  const close = h('button', { class: 'icon-btn', type: 'button', title: 'Dismiss', 'aria-label': 'Dismiss' }, icon('close'));
  close.addEventListener('click', () => (errorBar!.hidden = true));
  append(errorBar, icon('error'), h('span', { class: 'error-text' }, message), close);
  errorBar.hidden = false;
  rpc.post({ type: 'log', level: 'error', message });
}

/**
 * The view preferences remembered across panels of this dashboard kind (the host sends them with the model): a panel
 * with a choice of its own (restored, or made here) keeps it; a new panel starts with the last choice made in another.
 */
function applyPrefs(prefs: DashboardPrefs | undefined): void {
  if (state.chartsOpen !== undefined) return;
  // from now on the panel's own (a later model, say after a safelist change, does not fold an open panel's charts)
  state.chartsOpen = typeof prefs?.chartsOpen === 'boolean' ? prefs.chartsOpen : true;
  saveState();
}

rpc.onMessage((m: ToWebview) => {
  if (m.type !== 'probe') hostAnswered(); // (any word from the host: this page is not left behind)
  if (m.type === 'model') {
    applyPrefs(m.prefs);
    // (the dashboard whose action made the change keeps its own flow: it waits for, then shows, the action's outcome;
    // rows changed once more after that — an Undo — close the outcome, which is no longer so)
    if (m.rowsChanged && actionRow === undefined) {
      if (actionDone && doneAwaitsModel) doneAwaitsModel = false;
      else dropSelection();
    }
    renderModel(m.model);
  }
  else if (m.type === 'loadFailed') renderLoadFailed(m.message, m.cancelled === true);
  else if (m.type === 'gone') renderGone(m.message, m.action);
  else if (m.type === 'loading') {
    // (a dashboard on the page stays, with a line saying it is being updated: a refresh posts its model when built)
    if (!model) renderBoot(m.message);
    else showUpdating(m.message);
  } else if (m.type === 'error') showError(m.message);
  else if (m.type === 'probe') void probe(m.openDetail, m.click);
  else if (m.type === 'showRows') showRows(m.facets, m.openDetail);
  else if (m.type === 'showTab') showTab(m.tab);
});

/** The host's answer to `ready`/`retry`: the dashboard, or the page of a failed load. */
function onLoadAnswer(m: ToWebview): void {
  if (m.type === 'model') {
    applyPrefs(m.prefs);
    renderModel(m.model);
  } else if (m.type === 'loadFailed') renderLoadFailed(m.message, m.cancelled === true);
  else if (m.type === 'gone') renderGone(m.message, m.action);
}

/**
 * The analysis of this tab is gone (removed, or the workspace's analyses were lost): says so, as text, and — when the
 * host can run it again — a button (focused) that asks it to (`rerun`); the host closes this tab once the new
 * dashboard is open.
 */
function renderGone(message: string, action: string | undefined): void {
  dropDashboard();
  document.title = 'SOC dashboard';
  const button = action ? h('vscode-button', { icon: 'play', 'data-testid': 'rerun', title: action }, action) : null;
  button?.addEventListener('click', () => {
    button.setAttribute('disabled', '');
    rpc.request({ type: 'rerun' }).then(
      () => button.removeAttribute('disabled'),
      (e: unknown) => {
        button.removeAttribute('disabled');
        note.textContent = e instanceof Error ? e.message : String(e);
        note.hidden = false;
      },
    );
  });
  const note = h('div', { class: 'load-failed-hint', 'data-testid': 'gone-error', hidden: '' });
  app.appendChild(
    h(
      'div',
      { class: 'load-failed gone', role: 'alert', 'data-testid': 'gone' },
      h('div', { class: 'load-failed-title' }, icon('info'), h('span', {}, 'This analysis is no longer in the Results view.')),
      h('div', { class: 'load-failed-message', 'data-testid': 'gone-message' }, message),
      button ? h('div', { class: 'load-failed-actions' }, button) : null,
      note,
    ),
  );
  if (!button) return;
  const rendered = (button as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete ?? Promise.resolve();
  void rendered.then(() => {
    if (button.isConnected) button.focus();
  });
}

/** Drops the rendered dashboard (charts, their observers, the table): the page shows something else now. */
function dropDashboard(): void {
  teardownRender();
  closeColumnMenu = undefined;
  model = undefined;
  table = undefined;
  detail = undefined;
  errorBar = undefined;
  endUpdating();
  updatingBar = undefined;
  clear(app);
}

/**
 * Loading the analysis failed (its inputs unreadable…) or was cancelled: says so, as text, and offers Retry (a button,
 * focused, so Enter or Space retries). The analysis is still in the Results view.
 */
function renderLoadFailed(message: string, cancelled: boolean): void {
  dropDashboard();
  document.title = 'SOC dashboard';
  const retry = h('vscode-button', { icon: 'refresh', 'data-testid': 'retry', title: 'Load the analysis again from its inputs' }, 'Retry');
  retry.addEventListener('click', () => askHost('retry'));
  app.appendChild(
    h(
      'div',
      { class: `load-failed${cancelled ? ' cancelled' : ''}`, role: 'alert', 'data-testid': 'load-failed' },
      h('div', { class: 'load-failed-title' }, icon(cancelled ? 'info' : 'error'), h('span', {}, cancelled ? 'Loading the analysis was cancelled.' : 'The analysis could not be loaded.')),
      cancelled ? null : h('div', { class: 'load-failed-message', 'data-testid': 'load-failed-message' }, message),
      h(
        'div',
        { class: 'load-failed-hint' },
        cancelled
          ? 'The analysis is still in the SOC Analytics Results view. Retry loads it again from its input files.'
          : 'The analysis is still in the SOC Analytics Results view. Retry loads it again from its input files (restore them first if they moved); the error is also in the SOC Analytics log.',
      ),
      h('div', { class: 'load-failed-actions' }, retry),
    ),
  );
  // (a vscode-button takes the focus once it has rendered: it sets its tabindex then)
  const rendered = (retry as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete ?? Promise.resolve();
  void rendered.then(() => {
    if (retry.isConnected) retry.focus();
  });
}

/**
 * TEST ONLY (security integration test): reports what the document holds — title, the
 * `window.__pwned` marker, the CSP meta, script/handler/foreign elements and the app's text — so the
 * test can prove hostile text was rendered literally and ran nothing. Reads the DOM only.
 */
/** Cell texts of the first `n` table rows on screen, top to bottom (the probe's view of the order). */
function firstRowsShown(n: number): string[][] {
  const rows = [...app.querySelectorAll<HTMLElement>('[data-testid="row"]:not([hidden])')];
  rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
  return rows.slice(0, n).map((r) => [...r.querySelectorAll('.vt-cell')].map((c) => c.textContent ?? ''));
}

async function probe(openRow?: number, click?: string): Promise<void> {
  if (typeof click === 'string') {
    // TEST ONLY: press a button the way a user does (e.g. Retry), then report the page
    app.querySelector<HTMLElement>(`[data-testid="${CSS.escape(click)}"]`)?.click();
  }
  let detailText: string | undefined;
  let detailCharts: WebviewProbe['detailCharts'];
  if (typeof openRow === 'number' && detail) {
    try {
      const r = await rpc.request({ type: 'detail', row: openRow });
      if (r.type === 'detail') {
        detail.el.hidden = false;
        detail.show(r.detail);
        detailText = detail.el.textContent ?? '';
        detailCharts = r.detail.charts?.map((c) => ({ id: c.id, labels: [...c.labels], values: [...c.values] }));
      }
    } catch (e) {
      detailText = `error: ${(e as Error).message}`;
    }
  }
  const foreign = [...app.querySelectorAll('iframe, object, embed, img, svg, video, audio, base, form, script, style, link, meta')].map((e) => e.tagName.toLowerCase());
  const handlers = [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length;
  rpc.post({
    type: 'probeResult',
    probe: {
      title: document.title,
      marker: (window as unknown as Record<string, unknown>).__pwned !== undefined,
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      scripts: [...document.querySelectorAll('script')].map((e) => ({ src: e.getAttribute('src') ?? '', nonce: !!e.nonce, inline: (e.textContent ?? '').slice(0, 120) })),
      handlerElements: handlers,
      foreignElements: foreign,
      text: (app.textContent ?? '').slice(0, 2_000_000),
      detailText,
      detailCharts,
      table: table ? { query: table.getQuery(), firstRows: firstRowsShown(5) } : undefined,
    },
  });
}

/**
 * How long a page waits for the host's first sign of life after `ready`/`retry` (a `loading` message, the model or a
 * failed load), ms. A page left behind by an extension host that stopped (it ran out of memory, or was restarted) gets
 * no answer at all: after this it says so instead of loading for ever.
 */
const HOST_SILENT_MS = 15_000;
let silentTimer: ReturnType<typeof setTimeout> | undefined;

/** The host answered (anything): the page is not left behind. */
function hostAnswered(): void {
  if (silentTimer !== undefined) clearTimeout(silentTimer);
  silentTimer = undefined;
}

/** The "Loading dashboard…" page; `detail` (plain text) says what the host is doing. */
function renderBoot(detail?: string): void {
  clear(app);
  app.appendChild(
    h(
      'div',
      { class: 'boot', role: 'status', 'data-testid': 'boot' },
      h('vscode-progress-ring'),
      h('span', {}, 'Loading dashboard…'),
      detail ? h('span', { class: 'boot-detail', 'data-testid': 'boot-detail' }, detail) : null,
    ),
  );
}

/** Asks the host for the dashboard (`ready`, or `retry` after a failure) and waits at most {@link HOST_SILENT_MS} for a first answer. */
function askHost(type: 'ready' | 'retry'): void {
  renderBoot();
  hostAnswered();
  silentTimer = setTimeout(renderHostSilent, HOST_SILENT_MS);
  rpc
    .request({ type })
    .then((m) => {
      hostAnswered();
      onLoadAnswer(m);
    })
    .catch((e: Error) => {
      hostAnswered();
      renderLoadFailed(e.message, false);
    });
}

/** No answer from the host: this page belongs to an extension host that is gone. Says what to do; Retry asks again. */
function renderHostSilent(): void {
  silentTimer = undefined;
  dropDashboard();
  const retry = h('vscode-button', { icon: 'refresh', 'data-testid': 'retry-silent', title: 'Ask the extension for this dashboard again' }, 'Retry');
  retry.addEventListener('click', () => askHost('ready'));
  app.appendChild(
    h(
      'div',
      { class: 'load-failed', role: 'alert', 'data-testid': 'host-silent' },
      h('div', { class: 'load-failed-title' }, icon('warning'), h('span', {}, 'The SOC Analytics extension is not answering this dashboard.')),
      h(
        'div',
        { class: 'load-failed-hint' },
        'VS Code\'s extension host may have stopped or restarted (for example after it ran out of memory on a very large input). Close this tab and open the analysis again from the SOC Analytics Results view; the SOC Analytics log says more.',
      ),
      h('div', { class: 'load-failed-actions' }, retry),
    ),
  );
}

function start(): void {
  askHost('ready');
}

function postRendered(): void {
  const cards: Record<string, string> = {};
  for (const el of app.querySelectorAll<HTMLElement>('.card[data-card]')) {
    cards[el.getAttribute('data-card') ?? ''] = el.querySelector('.card-value')?.textContent ?? '';
  }
  // text of the table's first row as shown (visible columns), for tests
  const first = app.querySelector<HTMLElement>('.vt-row[data-index="0"]:not([hidden]):not(.placeholder)');
  const firstRow = first ? [...first.querySelectorAll<HTMLElement>('.vt-cell')].map((c) => c.textContent ?? '') : undefined;
  rpc.post({ type: 'rendered', cards, totalRows: table?.totalRows ?? 0, visibleRows: visibleRowsShown, firstRow });
}

// ---------------------------------------------------------------- formatting

function fmt(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? v.toLocaleString('en-US') : v;
}

function columnTitle(id: string): string {
  return model?.columns.find((c) => c.id === id)?.title ?? id;
}

// ---------------------------------------------------------------- facets & query

/**
 * Applies facet filters to the big table. Chart bars and cards narrow the current view (AND with the facets already
 * set); a row of a small table (a host, a rule, a file) is a new question, so it `replace`s the facets.
 */
function applyFacet(facet: Record<string, string>, replace = false): void {
  if (!table || !model) return;
  const known = Object.entries(facet).filter(([c]) => model!.columns.some((col) => col.id === c));
  if (!known.length) return;
  const q = table.getQuery();
  table.updateQuery({ facets: replace ? Object.fromEntries(known) : { ...(q.facets ?? {}), ...Object.fromEntries(known) } });
  showFilteredTable();
}

/** A `showRows` that came before the dashboard was on the page (applied by {@link renderModel} once it is). */
let pendingShowRows: { facets: Record<string, string>; openDetail?: number } | undefined;

/**
 * The rows a Results-tree row stands for (host `showRows`): its facets replace the table's (removable chips, as a
 * chart click's), the search, column filters and zoom are cleared (a new question; the sort stays), the table comes
 * into view and, with `openDetail`, that row is selected and its detail pane opens.
 */
function showRows(facets: Record<string, string>, openId?: number): void {
  if (!table || !model) {
    pendingShowRows = { facets, openDetail: openId };
    return;
  }
  pendingShowRows = undefined;
  const known = Object.entries(facets).filter(([c, v]) => typeof v === 'string' && model!.columns.some((col) => col.id === c));
  if (!known.length) return;
  searchField.value = '';
  const sort = table.getQuery().sort;
  table.setQuery({ ...(sort ? { sort } : {}), facets: Object.fromEntries(known) });
  showFilteredTable();
  if (openId !== undefined && Number.isInteger(openId) && openId >= 0) {
    table.setSelectedId(openId);
    openDetail(openId, true);
  }
}

/** A `showTab` that came before the dashboard was on the page (applied by {@link renderModel} once it is). */
let pendingShowTab: string | undefined;

/**
 * The small table a run's notification points at (host `showTab`: *Show Notes*, *Show Errors*): its tab is selected,
 * scrolled into view in the tab strip and the tabs brought into the page's view. Before the dashboard is on the page,
 * kept for {@link renderModel}; an id the model has no table of is ignored (the tab shown stays).
 */
function showTab(id: string): void {
  if (!tabs || !model) {
    pendingShowTab = id;
    return;
  }
  pendingShowTab = undefined;
  const t = typeof id === 'string' ? model.tables.findIndex((x) => x.id === id) : -1;
  if (t < 0) return;
  selectTab(t + 1); // tab 0 is the big table
  tabs.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
}

/** The big table's tab, scrolled into view after a chart or card changed its filter. */
function showFilteredTable(): void {
  if (!table) return;
  selectTab(0);
  // The table may be screens below the chart that was clicked: bring it into view so the filter is visible (smooth
  // unless the user asked for reduced motion, as revealDetail).
  table.el.scrollIntoView({ block: 'start', behavior: reducedMotion() ? 'auto' : 'smooth' });
}

/**
 * Zooms the big table to the time span `[from, to)` (epoch ms UTC) of a time chart's bar on the time column `column`
 * (the query's `range`, with the other filters); `extend` (Shift held): widened to take the span in, from the earlier of
 * the two starts to the later of the two ends, when a zoom on that column is on. A column the table does not have: nothing.
 */
function applyRange(column: string, span: readonly [number, number], extend = false): void {
  if (!table || !model || !model.columns.some((c) => c.id === column)) return;
  const cur = table.getQuery().range;
  let [from, to] = span;
  if (extend && cur && cur.column === column) [from, to] = [Math.min(from, cur.from), Math.max(to, cur.to)];
  table.updateQuery({ range: { column, from, to } });
  showFilteredTable();
}

/** The zoom chip's text: `From 2021-10-25 00:00 to 2021-10-26 00:00 (UTC+05:30)`, in the display zone. */
function rangeText(r: NonNullable<TableQuery['range']>): string {
  const zone = model?.displayZone || 'UTC';
  const a = zoneTimeText(r.from, zone);
  const b = zoneTimeText(r.to, zone);
  return `From ${a.text} to ${b.text} (${a.zone})`;
}

function reducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Whether the focus is on the findings grid itself (not on one of its header cells or filter inputs). */
function gridHasFocus(): boolean {
  const a = document.activeElement as HTMLElement | null;
  return !!a && !!table && table.el.contains(a) && a.getAttribute('role') === 'grid';
}

/**
 * Focuses the findings grid. Its tab panel may still be hidden for a moment after `selectTab(0)` (vscode-tabs shows
 * its panels in its next update): then once the tabs and the panel have updated. Else (the grid is in no panel shown)
 * the selected tab's header, so the focus never drops to <body>.
 */
function focusGrid(): void {
  if (!table) return;
  table.focus();
  if (gridHasFocus()) return;
  type Updating = HTMLElement & { updateComplete?: Promise<unknown> };
  const panel = table.el.closest('vscode-tab-panel') as Updating | null;
  const t = table;
  void Promise.resolve((tabs as Updating | undefined)?.updateComplete)
    .then(() => panel?.updateComplete)
    .then(() => {
      if (t !== table) return; // rendered anew meanwhile
      t.focus();
      if (!gridHasFocus() && (!document.activeElement || document.activeElement === document.body)) focusSelectedTab();
    });
}

/** The grid, when the focus dropped to <body> (nothing else took it meanwhile). */
function focusLostToGrid(): void {
  if (!document.activeElement || document.activeElement === document.body) focusGrid();
}

function focusSelectedTab(): void {
  const idx = (tabs as (HTMLElement & { selectedIndex?: number }) | undefined)?.selectedIndex ?? 0;
  tabHeaders()[idx]?.focus({ preventScroll: true });
}

function removeFacet(column: string): void {
  if (!table) return;
  const facets = { ...(table.getQuery().facets ?? {}) };
  delete facets[column];
  table.updateQuery({ facets });
}

function onQueryChange(q: TableQuery): void {
  state.query = q;
  state.scrollTop = 0;
  // The selected row may no longer be in the view: never keep showing a stale detail pane.
  dropSelection();
  saveState();
  renderChips();
  updateSortNote();
}

/** Forgets the selected row and hides its detail pane (a new query, or rows rebuilt so that row ids name other rows). */
function dropSelection(): void {
  if (state.selectedRow === undefined && !state.detailOpen) return;
  state.selectedRow = undefined;
  state.detailOpen = false;
  actionDone = undefined;
  detailSeq++;
  table?.setSelectedId(undefined);
  if (detail) detail.el.hidden = true;
  saveState();
}

function renderChips(): void {
  syncCardsPressed();
  if (!chipsEl || !table) return;
  // The chips are rebuilt: a focused ✕ or "Clear filters" goes with them. Remember which one had the focus, to give it
  // to its successor below (never to <body>).
  const active = document.activeElement as HTMLElement | null;
  const focused = active && active !== chipsEl && chipsEl.contains(active) ? active : undefined;
  const focusedAt = focused ? [...chipsEl.querySelectorAll<HTMLElement>('.chip-x')].indexOf(focused) : -1;
  const focusedCol = focused?.getAttribute('data-col') ?? undefined;
  const focusedClear = focused?.getAttribute('data-testid') === 'clear-filters';
  clear(chipsEl);
  const q = table.getQuery();
  for (const [col, value] of Object.entries(q.facets ?? {})) {
    // a key people know by another name (a Loki hash IOC's rule: its hash) is shown by that name, as the Rules tab and
    // the Rule cells name it; the tooltip adds the key the filter matches
    const shown = facetValueLabel(model, col, value);
    const remove = h('button', { class: 'chip-x', type: 'button', 'data-col': col, title: 'Remove filter', 'aria-label': `Remove filter ${columnTitle(col)} = ${shown}` }, icon('close'));
    remove.addEventListener('click', () => removeFacet(col));
    // a file hash (a click in the Hashes tab, a hash column's filter) is shown whole, in the editor's monospace font
    const hash = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i.test(shown);
    chipsEl.appendChild(
      h(
        'span',
        { class: hash ? 'chip hash' : 'chip', 'data-testid': 'facet-chip', title: `${columnTitle(col)} = ${shown}${shown !== value ? ` (${value})` : ''}` },
        h('span', { class: 'chip-k' }, `${columnTitle(col)}:`),
        h('span', { class: 'chip-v' }, shown),
        remove,
      ),
    );
  }
  if (q.range) {
    // the zoom of a time chart (a bar click): its span in the display zone, ✕ shows every time again
    const text = rangeText(q.range);
    const remove = h('button', { class: 'chip-x', type: 'button', 'data-col': `range:${q.range.column}`, 'data-testid': 'range-reset', title: 'Reset the zoom (every time)', 'aria-label': `Reset the zoom ${text}` }, icon('close'));
    remove.addEventListener('click', () => table!.updateQuery({ range: undefined }));
    chipsEl.appendChild(
      h(
        'span',
        { class: 'chip range', 'data-testid': 'range-chip', title: `${columnTitle(q.range.column)} at or after the first time and before the second: ${text}` },
        h('span', { class: 'chip-k' }, 'Zoom:'),
        h('span', { class: 'chip-v' }, text),
        remove,
      ),
    );
  }
  // Clears the search, the chart/card facets, the zoom and the column filters; the sort order stays.
  const filtered = !!(q.search || Object.keys(q.facets ?? {}).length || Object.keys(q.columnFilters ?? {}).length || q.range);
  if (filtered) {
    const clearBtn = h('button', { class: 'link-btn', type: 'button', 'data-testid': 'clear-filters', title: 'Clear the search and every filter (the sort order stays)' }, 'Clear filters');
    clearBtn.addEventListener('click', () => {
      searchField.value = '';
      table!.setQuery(q.sort ? { sort: q.sort } : {});
    });
    chipsEl.appendChild(clearBtn);
  }
  if (focused) focusAfterChips(focusedAt, focusedCol, focusedClear);
}

/**
 * The focus after the chips were rebuilt while one of their buttons had it: the same chip's ✕ if it is still there,
 * else the next chip's ✕ (the one now at the removed chip's place), else the previous one's; with no chip left the
 * search field after "Clear filters" (the search was emptied there), else the findings grid.
 */
function focusAfterChips(at: number, col: string | undefined, wasClear: boolean): void {
  if (!chipsEl) return;
  const xs = [...chipsEl.querySelectorAll<HTMLElement>('.chip-x')];
  const clearBtn = chipsEl.querySelector<HTMLElement>('[data-testid="clear-filters"]');
  const next = xs.find((x) => col !== undefined && x.getAttribute('data-col') === col) ?? (wasClear ? clearBtn : null) ?? (at >= 0 ? xs[Math.min(at, xs.length - 1)] : undefined);
  if (next) next.focus();
  else if (wasClear) searchField.focus();
  else focusGrid();
}

/**
 * Says how the table is sorted while its sort column is not shown (it stepped aside for the detail pane, or the user
 * hid it with Columns): "Sorted by Time ↓" beside the row count, in words for screen readers ("descending"). The
 * column's header carries the sort arrow otherwise; new-user trial: with the Loki table sorted by Time, opening a row
 * took the Time column and its arrow away and the table looked unsorted. Hidden while the sort column is in view.
 */
function updateSortNote(): void {
  const el = sortNoteEl;
  if (!el || !table) return;
  const sort = table.getQuery().sort;
  const col = sort ? mainColumns.find((c) => c.id === sort.column) : undefined;
  const hiddenCol = !!sort && !!col && !table.visibleColumnIds().includes(sort.column);
  const key = hiddenCol ? `${sort!.column}\u0000${sort!.dir}\u0000${userHidden.has(sort!.column)}` : '';
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  clear(el);
  el.hidden = !hiddenCol;
  if (!hiddenCol) {
    el.removeAttribute('title');
    return;
  }
  const dir = sort!.dir === 'asc' ? 'ascending' : 'descending';
  const why = userHidden.has(sort!.column) ? 'its column is hidden (Columns)' : 'its column steps aside while the detail pane is open';
  el.title = `The table is sorted by ${col!.title}, ${dir}; ${why}`;
  el.append(`Sorted by ${col!.title} `, h('span', { 'aria-hidden': 'true' }, sort!.dir === 'asc' ? '↑' : '↓'), h('span', { class: 'sr-only' }, `, ${dir}`));
}

function updateRowCount(total: number): void {
  if (!rowCountEl || !model) return;
  // the noun agrees with the total: "1 of 1 finding", "0 of 1 connection pair"
  const n = noun(model);
  const text = `${total.toLocaleString('en-US')} of ${model.totalRows.toLocaleString('en-US')} ${model.totalRows === 1 ? n.replace(/s$/, '') : n}`;
  // a live region: written only when its text changes (every scrolled frame renders; a screen reader would repeat it)
  if (rowCountEl.textContent !== text) rowCountEl.textContent = text;
  // the Export CSV button says what it writes: the filtered rows, or all of them (new-user trial: the file held 1 of 6
  // offenses and nothing had said only the filtered rows are exported); the save dialog and the notification say it too
  const tip = `Export ${exportScopeText(total, model.totalRows, n)} to CSV (${exportColumnsText(model)})`;
  if (exportBtnEl && exportBtnEl.title !== tip) exportBtnEl.title = tip;
  const badge = total.toLocaleString('en-US');
  if (findingsBadge && findingsBadge.textContent !== badge) findingsBadge.textContent = badge;
}

// ---------------------------------------------------------------- rendering

/** Aborted when the dashboard is rebuilt: releases the document and window listeners of the previous render. */
let renderListeners = new AbortController();

/** Removes what a render added outside its DOM: document/window listeners, charts and their layout observers. */
function teardownRender(): void {
  renderListeners.abort();
  renderListeners = new AbortController();
  for (const c of charts) c.destroy();
  charts = [];
  for (const stop of chartLayouts) stop();
  chartLayouts = [];
}

function renderModel(m: DashboardModel): void {
  model = m;
  endUpdating();
  teardownRender();
  const pageY = window.scrollY;
  const detailInView = !!detail && !detail.el.hidden && detail.el.isConnected && wholeInView(detail.el);
  const focusWas = focusMemo();
  if (pageY > 0) app.style.minHeight = `${app.offsetHeight}px`;
  clear(app);
  document.title = m.title;

  errorBar = h('div', { class: 'error-bar', role: 'alert', hidden: true });
  updatingBar = h('div', { class: 'updating-bar', role: 'status', 'data-testid': 'updating', hidden: true });
  // the first tab stop: cards, charts and their buttons, the tabs and the toolbar come before the table (20+ stops)
  const skip = h('button', { type: 'button', class: 'skip-link', 'data-testid': 'skip-to-table' }, `Skip to the ${tableTitle(m)} table`);
  skip.addEventListener('click', () => {
    selectTab(0);
    focusGrid();
  });
  app.append(skip, renderHeader(m), updatingBar, errorBar, renderCards(m.cards), chartsSection(m.charts), renderTabs(m));
  // A model rebuilt while the page is scrolled (a safelist change, a new display zone) keeps the page where it was:
  // the table and the detail pane stay in view instead of the page jumping back to its top. The page keeps its
  // height until the new tabs and charts are laid out (the tab panels render a frame later).
  if (pageY > 0) {
    window.scrollTo({ top: pageY, behavior: 'instant' as ScrollBehavior });
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        app.style.minHeight = '';
        if (Math.abs(window.scrollY - pageY) > 1) window.scrollTo({ top: pageY, behavior: 'instant' as ScrollBehavior });
        if (detailInView) revealDetail(); // (a new row of cards may have moved it down)
      }),
    );
  }
  renderChips();
  if (focusWas) restoreFocus(focusWas);
  postRendered();
  if (pendingShowRows) showRows(pendingShowRows.facets, pendingShowRows.openDetail);
  if (pendingShowTab !== undefined) showTab(pendingShowTab);
}

/**
 * The control that had the focus before the dashboard was rendered anew: by its test id, or the findings grid, or a
 * small table's row (the table's test id and the row's key).
 */
type FocusMemo = { testId?: string; grid?: boolean; rowKey?: string };

function focusMemo(): FocusMemo | undefined {
  const a = document.activeElement as HTMLElement | null;
  if (!a || a === document.body || !app.contains(a)) return undefined;
  if (gridHasFocus()) return { grid: true };
  const rowTable = a.tagName === 'TR' && a.dataset.rowKey !== undefined ? a.closest('table.small-table')?.getAttribute('data-testid') : null;
  if (rowTable) return { testId: rowTable, rowKey: a.dataset.rowKey };
  const testId = a.getAttribute('data-testid');
  // (a test id shared by many elements, as the table's rows, names no one control)
  return testId && app.querySelectorAll(`[data-testid="${CSS.escape(testId)}"]`).length === 1 ? { testId } : {};
}

/**
 * Gives the focus back after a re-render (the host pushed a new model: a safelist change, a new display zone): to the
 * same control anew if it is there (it may render a moment later: then once it has), else to the findings grid (the
 * safelisted row's detail buttons are gone), so the focus never drops to <body>.
 */
function restoreFocus(memo: FocusMemo): void {
  if (memo.rowKey !== undefined && memo.testId) return restoreRowFocus(memo.testId);
  const el = memo.testId ? app.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(`[data-testid="${CSS.escape(memo.testId)}"]`) : null;
  if (!el) return focusGrid();
  const has = () => document.activeElement === el || el.contains(document.activeElement) || !!el.shadowRoot?.activeElement;
  el.focus({ preventScroll: true });
  if (has()) return;
  // a custom element (vscode-textfield) focuses its inner control once it has rendered
  void Promise.resolve(el.updateComplete).then(() => {
    if (!el.isConnected) return;
    el.focus({ preventScroll: true });
    if (!has() && (!document.activeElement || document.activeElement === document.body)) focusGrid();
  });
}

/**
 * The focus back on a small table's row after a re-render: the table's tab stop (the same row when it is still there,
 * {@link rovingRows}), once its tab panel is shown (vscode-tabs shows it in its next update); else the findings grid.
 */
function restoreRowFocus(tableTestId: string): void {
  type Updating = HTMLElement & { updateComplete?: Promise<unknown> };
  const row = () => app.querySelector<HTMLElement>(`[data-testid="${CSS.escape(tableTestId)}"] tbody > tr.clickable[tabindex="0"]`);
  const r = row();
  if (!r) return focusGrid();
  r.focus({ preventScroll: true });
  if (document.activeElement === r) return;
  const panel = r.closest('vscode-tab-panel') as Updating | null;
  void Promise.resolve((tabs as Updating | undefined)?.updateComplete)
    .then(() => panel?.updateComplete)
    .then(() => {
      const again = row();
      if (again?.isConnected) again.focus({ preventScroll: true });
      if (!document.activeElement || document.activeElement === document.body) focusGrid();
    });
}

function renderHeader(m: DashboardModel): HTMLElement {
  const header = h(
    'header',
    { class: 'dash-header' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', { class: 'dash-title', title: m.title }, m.title),
      renderZoneSwitcher(m.displayZone),
    ),
    m.subtitle ? h('div', { class: 'dash-subtitle' }, m.subtitle) : null,
  );
  if (m.problems.count > 0) {
    const list = h('ul', { class: 'problems-list', id: 'problems-list', 'data-testid': 'problems-list' });
    for (const p of m.problems.sample) {
      // line 0 = a problem of the whole file (cannot read, skipped, "N more not listed"): no line to point to
      list.appendChild(h('li', {}, h('span', { class: 'problem-loc' }, p.line > 0 ? `${p.file}:${p.line}` : p.file), h('span', { class: 'problem-msg' }, p.message)));
    }
    if (m.problems.count > m.problems.sample.length) list.appendChild(h('li', { class: 'more' }, `… and ${(m.problems.count - m.problems.sample.length).toLocaleString('en-US')} more (see the Errors tab)`));
    const chevron = icon(state.problemsOpen ? 'chevron-down' : 'chevron-right');
    const toggle = h(
      'button',
      { class: 'problems-toggle', type: 'button', 'aria-expanded': state.problemsOpen ? 'true' : 'false', 'aria-controls': 'problems-list', 'data-testid': 'problems' },
      chevron,
      icon('warning'),
      problemsLabel(m.problems),
    );
    list.hidden = !state.problemsOpen;
    toggle.addEventListener('click', () => {
      state.problemsOpen = list.hidden;
      list.hidden = !list.hidden;
      toggle.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
      chevron.className = `codicon codicon-${list.hidden ? 'chevron-right' : 'chevron-down'}`;
      saveState();
    });
    header.appendChild(h('div', { class: 'problems' }, toggle, list));
  }
  for (const n of m.notices ?? []) {
    header.appendChild(
      h(
        'div',
        { class: `notice notice-${n.severity}`, role: n.severity === 'error' ? 'alert' : 'status', 'data-testid': `notice-${n.id}` },
        icon(n.severity === 'info' ? 'info' : n.severity),
        h('div', { class: 'notice-body' }, h('strong', { class: 'notice-title' }, n.title), ...n.lines.map((l) => h('div', { class: 'notice-line' }, l))),
      ),
    );
  }
  return header;
}

/** Display zones offered in the header (plus the current one); the host stores the choice in socAnalytics.displayTimeZone. */
const ZONES = ['UTC', 'local', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Riyadh', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];

function renderZoneSwitcher(current: string): HTMLElement {
  const select = h('select', { class: 'zone-select', 'aria-label': 'Display time zone', 'data-testid': 'zone-select', title: 'Times are shown in this zone (setting socAnalytics.displayTimeZone, shared by every dashboard)' });
  const zones = ZONES.includes(current) ? ZONES : [current, ...ZONES];
  for (const z of zones) {
    const opt = h('option', { value: z }, z === 'local' ? 'local (this machine)' : z);
    if (z === current) opt.selected = true;
    select.appendChild(opt);
  }
  commitOnChoice(select, (zone) => rpc.request({ type: 'setZone', zone }).catch((e: Error) => showError(e.message)));
  return h('label', { class: 'zone' }, icon('globe'), h('span', {}, 'Times in'), select);
}

/** How long a zone browsed with the arrow keys on the closed menu stays shown before it is saved (ms). */
const ZONE_SETTLE_MS = 1500;
/** Keys that, on a closed native select, change its value (and fire `change`) as the user browses the list. */
const BROWSE_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Calls `commit(value)` when the user has chosen a value of a native select, not while they browse it (UI review:
 * four ArrowDowns on the closed "Times in" menu saved socAnalytics.displayTimeZone four times, each rebuilding every
 * dashboard). A choice from the open list (mouse, or Enter in the list) commits at once; a value reached with the
 * arrow keys (or by typing its first letters) on the closed menu commits on Enter, when the menu loses the focus, or
 * when it has rested {@link ZONE_SETTLE_MS}; Escape puts back the committed value. Commits only a changed value.
 * Alt+↓ (or Space) opens the list.
 */
function commitOnChoice(select: HTMLSelectElement, commit: (value: string) => void): void {
  let committed = select.value;
  let browsing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (select.value === committed) return;
    committed = select.value;
    commit(committed);
  };
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault(); // (Chromium opens the list on Enter; here it is the choice of the value shown)
      flush();
      return;
    }
    if (e.key === 'Escape' && select.value !== committed) {
      e.preventDefault();
      e.stopPropagation();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      select.value = committed;
      return;
    }
    // the `change` a browsing key causes fires while the key is handled (its default action): before this timeout
    browsing = !e.altKey && (BROWSE_KEYS.has(e.key) || (e.key.length === 1 && !e.ctrlKey && !e.metaKey));
    if (browsing) setTimeout(() => (browsing = false), 0);
  });
  select.addEventListener('change', () => {
    if (!browsing) return flush();
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, ZONE_SETTLE_MS);
  });
  select.addEventListener('blur', flush);
}

/** The cards that set a facet (rebuilt with the cards), for {@link syncCardsPressed}. */
let facetCards: { el: HTMLElement; facet: Record<string, string> }[] = [];

/** Whether the table's query has every column of a card's facet set to the card's value (the card's filter is on). */
function cardFacetOn(facet: Record<string, string>): boolean {
  const f = table?.getQuery().facets ?? {};
  const entries = Object.entries(facet);
  return entries.length > 0 && entries.every(([c, v]) => f[c] === v);
}

/** Removes a card's facet from the query (its second click), leaving the other filters as they are. */
function clearCardFacet(facet: Record<string, string>): void {
  if (!table) return;
  const facets = { ...(table.getQuery().facets ?? {}) };
  for (const c of Object.keys(facet)) delete facets[c];
  table.updateQuery({ facets });
}

/** aria-pressed of each facet card: true while its filter is on (set by it, a chart bar or a restored state). */
function syncCardsPressed(): void {
  for (const { el, facet } of facetCards) el.setAttribute('aria-pressed', String(cardFacetOn(facet)));
}

function renderCards(cards: Card[]): HTMLElement {
  facetCards = [];
  const wrap = h('div', { class: 'cards' });
  for (const c of cards) {
    const tone = c.tone ? ` tone-${c.tone}` : '';
    const inner: [HTMLElement, HTMLElement] = [h('div', { class: 'card-value' }, fmt(c.value)), h('div', { class: 'card-label' }, c.label)];
    let el: HTMLElement;
    if (c.facet && Object.keys(c.facet).length) {
      const facet = c.facet;
      const shows = `Show ${c.label.toLowerCase()} in the ${model ? noun(model) : 'findings'} table (click again to clear)`;
      // (a hint says what the card counts, e.g. which pairs the beacons' "Pairs that exchanged data" hides)
      el = h('button', { type: 'button', class: `card clickable${tone}`, 'data-card': c.id, 'data-testid': `card-${c.id}`, title: c.hint ? `${c.hint}\n${shows}` : shows, 'aria-pressed': 'false' }, ...inner);
      // A toggle: a second click clears the filter this card set (aria-pressed follows the query, see syncCardsPressed).
      el.addEventListener('click', () => (cardFacetOn(facet) ? clearCardFacet(facet) : applyFacet(facet)));
      facetCards.push({ el, facet });
    } else if (c.tab && model && model.tables.some((t) => t.id === c.tab)) {
      const t = model.tables.findIndex((x) => x.id === c.tab);
      el = h('button', { type: 'button', class: `card clickable${tone}`, 'data-card': c.id, 'data-testid': `card-${c.id}`, title: `${c.hint ? `${c.hint}\n` : ''}Show the ${model.tables[t].title} tab` }, ...inner);
      el.addEventListener('click', () => selectTab(t + 1)); // tab 0 is the big table
    } else {
      el = h('div', { class: `card${tone}`, 'data-card': c.id, 'data-testid': `card-${c.id}`, ...(c.hint ? { title: c.hint } : {}) }, ...inner);
    }
    wrap.appendChild(el);
  }
  let laidWidth = -1;
  // (only a new width re-fits: the fit changes the row's height, which the observer reports too)
  new ResizeObserver(() => {
    if (wrap.clientWidth === laidWidth) return;
    laidWidth = wrap.clientWidth;
    fitCardRows(wrap);
  }).observe(wrap);
  return wrap;
}

/**
 * Columns of the cards' grid: the fewest rows that hold every card at its least width (its number and longest label
 * word whole, min-content), the cards then shared out evenly over those rows (11 cards on two rows: 6 and 5), each
 * column as wide as its widest card and the row's width shared out. New-user trial: at 1042 px the last card wrapped
 * alone onto a second row and stretched to the whole width ("2 Untagged (Other)" as a bar). In a narrow panel (the
 * one-line cards of styles.css, not a grid) nothing to do.
 */
function fitCardRows(wrap: HTMLElement): void {
  if (getComputedStyle(wrap).display !== 'grid') return;
  const cards = [...wrap.children] as HTMLElement[];
  const n = cards.length;
  if (!n) return;
  wrap.style.gridTemplateColumns = `repeat(${n}, min-content)`;
  const least = cards.map((c) => c.getBoundingClientRect().width);
  wrap.style.gridTemplateColumns = cardColumns(least, wrap.clientWidth, parseFloat(getComputedStyle(wrap).columnGap) || 0);
}

/**
 * The grid columns for cards of least widths `least` (px) in a row `room` px wide with `gap` px between them:
 * `repeat(k, minmax(min-content, 1fr))` with k the most cards a row takes when the fewest rows that fit are filled
 * evenly (a column is as wide as its widest card).
 */
function cardColumns(least: readonly number[], room: number, gap: number): string {
  const n = least.length;
  let per = 1;
  for (let rows = 1; rows <= n; rows++) {
    const k = Math.ceil(n / rows);
    let w = (k - 1) * gap;
    for (let c = 0; c < k; c++) {
      let m = 0;
      for (let i = c; i < n; i += k) m = Math.max(m, least[i]);
      w += m;
    }
    if (w <= room + 0.5) {
      per = k;
      break;
    }
  }
  return `repeat(${per}, minmax(min-content, 1fr))`;
}

/** Facets of a click on bar `index` (dataset `datasetIndex`) of a chart: base facet + label facet + dataset facet. */
function chartFacet(ser: ChartSeries, label: string, index: number, datasetIndex?: number): Record<string, string> {
  const f: Record<string, string> = { ...(ser.baseFacet ?? {}) };
  if (ser.facetColumn) f[ser.facetColumn] = ser.facetValues?.[index] ?? label;
  const ds = datasetIndex !== undefined ? ser.datasets?.[datasetIndex] : undefined;
  if (ds && ser.datasetFacetColumn) f[ser.datasetFacetColumn] = ds.facetValue ?? ds.label;
  return f;
}

function savePng(ser: ChartSeries, dataUrl: string): void {
  rpc.request({ type: 'savePng', name: ser.id, dataUrl }).catch((e: Error) => showError(e.message));
}

/**
 * One grid of chart cards. Their heights, widths (a chart whose labels need it takes two columns) and
 * places (packed like masonry) follow the panel's size: chartLayout.ts. `uniform` (a group of small charts of one
 * kind, QRadar's top sources per offense name): a regular grid instead, every chart one column wide, in reading order,
 * the charts of a row as high as its highest.
 */
function chartGrid(series: ChartSeries[], headingLevel: 3 | 4 = 3, uniform = false): HTMLElement {
  const wrap = h('div', { class: uniform ? 'charts uniform' : 'charts', 'data-testid': uniform ? 'charts-uniform' : undefined });
  const laid: LaidOutChart[] = [];
  for (const s of series) {
    const c = createBarChart(
      s,
      (ser, label, index, datasetIndex, extend) => {
        // a time chart's bar zooms the table to its span (a gap bar has none); its click sets no facet
        if (ser.timeSpans) {
          const span = ser.timeSpans.spans[index];
          if (span) applyRange(ser.timeSpans.column, span, extend);
          return;
        }
        const f = chartFacet(ser, label, index, datasetIndex);
        if (Object.keys(f).length) applyFacet(f);
      },
      savePng,
      headingLevel,
    );
    const vertical = s.orientation === 'vertical';
    const box = c.el.querySelector('.chart-box') as HTMLElement;
    // a first height before the layout runs (it needs the grid's width): one line per label
    box.style.height = `${vertical ? verticalChartPx(s, window.innerHeight) : horizontalChartPx(s, 1)}px`;
    charts.push(c);
    laid.push({ el: c.el, box, series: () => s });
    wrap.appendChild(c.el);
  }
  chartLayouts.push(layoutCharts(wrap, laid, { uniform }));
  return wrap;
}

/** Rows of the big table kept in view under the charts when a dashboard opens, as far as the panel's height allows (new-user trial: 5 at a 1400×900 window). */
const TABLE_FIRST_ROWS = 10;
/** Height of a table row (VirtualTable's default row height). */
const TABLE_ROW_PX = 22;

/**
 * The charts under one "Charts" summary that folds them away (a keyboard-accessible `<details>`), so
 * the table moves up; folded or not is remembered with the panel's state. Unfolded, the charts are in a
 * pane at most about two fifths of the panel's height (styles.css `.charts-pane`) that scrolls on its own,
 * so the table's header and first rows are in view when a dashboard opens (UI trial: at 1400×900 the charts
 * filled the first screen); the pane's bottom edge fades out while more charts are below it.
 */
function chartsSection(series: ChartSeries[]): HTMLElement {
  if (!series.length) return h('div', { hidden: true });
  const details = h('details', { class: 'charts-section', 'data-testid': 'charts-section' }, h('summary', { class: 'charts-section-title', title: 'Show or hide the charts (the table moves up)' }, h('h2', { class: 'summary-heading' }, `Charts (${series.length})`)));
  (details as HTMLDetailsElement).open = state.chartsOpen !== false;
  // a focusable region, so that the keyboard scrolls it too (↑ ↓ PgUp PgDn once it has the focus)
  const pane = h('div', { class: 'charts-pane', role: 'region', 'aria-label': `Charts (${series.length})`, tabindex: 0, 'data-testid': 'charts-pane' }, renderCharts(series));
  // UI review: at 900 px three of QRadar's 14 charts showed, the next one cut, with only a faint fade as a cue. Under
  // the pane, while charts are out of its view: "n more charts below" and a button that shows them all (the pane
  // grows to its charts; the page scrolls) or back to the pane.
  const moreNote = h('span', { class: 'charts-more-note', 'data-testid': 'charts-more-note' });
  const expandBtn = h('vscode-button', { secondary: true, 'data-testid': 'charts-expand', 'aria-controls': `charts-pane-${series.length}` }, 'Show all charts');
  pane.id = `charts-pane-${series.length}`;
  const more = h('div', { class: 'charts-more', hidden: true }, moreNote, expandBtn);
  let expanded = false;
  expandBtn.addEventListener('click', () => {
    expanded = !expanded;
    pane.classList.toggle('expanded', expanded);
    expandBtn.textContent = expanded ? 'Show fewer charts' : 'Show all charts';
    expandBtn.setAttribute('aria-expanded', String(expanded));
    if (!expanded) pane.scrollTop = 0;
    requestAnimationFrame(fitAndEdges);
  });
  expandBtn.setAttribute('aria-expanded', 'false');
  details.append(pane, more);
  // the chart cards the user has scrolled the pane to (isChartSeen) since the dashboard opened; only a scroll of the
  // pane marks them (a card in view at the first render, before the layout gave it its height, is not "seen")
  const seen = new WeakSet<Element>();
  const edges = (scrolled = false) => {
    const over = pane.scrollHeight > pane.clientHeight + 1;
    pane.toggleAttribute('data-more-below', over && pane.scrollTop + pane.clientHeight < pane.scrollHeight - 1);
    pane.toggleAttribute('data-more-above', over && pane.scrollTop > 1);
    // charts past the pane's bottom edge that have not yet been in its view: one scrolled through and back up is
    // not counted again (the note said "11 more charts below" again at the top after the user had seen them all)
    const box = pane.getBoundingClientRect();
    let below = 0;
    let cut = 0;
    for (const c of pane.querySelectorAll('.chart-card')) {
      const r = c.getBoundingClientRect();
      if (!r.height) continue; // in a folded group
      if (scrolled && isChartSeen(r, box)) seen.add(c);
      else if (!seen.has(c) && r.bottom > box.bottom + 1) {
        if (r.top >= box.bottom - 1) below++;
        else cut++;
      }
    }
    const note = chartsMoreNote(below, cut);
    if (moreNote.textContent !== note) moreNote.textContent = note;
    more.hidden = !expanded && !over;
  };
  // the px under the pane for the big table's tab strip, toolbar, header and first TABLE_FIRST_ROWS rows (all of a
  // smaller table's): the pane gives way to them (chartLayout.ts fitPaneToCards). The distance from the pane to the
  // rows is kept from when the table was last shown (on another tab the pane keeps its height).
  let rowsGap: number | undefined;
  const tableBelow = () => {
    const body = document.querySelector('.vt-body')?.getBoundingClientRect();
    if (body && body.height > 0) rowsGap = body.top - pane.getBoundingClientRect().bottom;
    const rows = Math.min(TABLE_FIRST_ROWS, model?.totalRows ?? 0);
    return rowsGap === undefined || rowsGap < 0 || !rows ? 0 : rowsGap + rows * TABLE_ROW_PX;
  };
  // (a card cut just above its end, its axis title lost, is shown whole or cut in its plot: chartLayout.ts fitPaneToCards)
  const fitAndEdges = () => {
    fitPaneToCards(pane, tableBelow);
    edges();
  };
  pane.addEventListener('scroll', () => edges(true), { passive: true });
  // a chart drawn at its new height moves its plot (the edge must not fall below it): fitted again, once a frame
  let refit = 0;
  pane.addEventListener(CHART_RESIZE_EVENT, () => {
    if (!refit) refit = requestAnimationFrame(() => {
      refit = 0;
      fitAndEdges();
    });
  });
  // (also on a change of the window's height: the pane's own size does not change while fitPaneToCards holds it)
  const onResize = () => requestAnimationFrame(fitAndEdges);
  window.addEventListener('resize', onResize);
  chartLayouts.push(() => window.removeEventListener('resize', onResize));
  const ro = new ResizeObserver(() => requestAnimationFrame(fitAndEdges));
  ro.observe(pane);
  if (pane.firstElementChild) ro.observe(pane.firstElementChild);
  chartLayouts.push(() => ro.disconnect());
  details.addEventListener('toggle', () => {
    const open = (details as HTMLDetailsElement).open;
    // (the toggle event of the first render, open as chosen before, changes nothing)
    if (open === (state.chartsOpen !== false)) return;
    state.chartsOpen = open;
    saveState();
    // remembered for the next new panel of this kind (a re-run opens one)
    rpc.post({ type: 'setPrefs', prefs: { chartsOpen: open } });
  });
  return details;
}

/**
 * The note over the charts pane for `below` charts wholly under its bottom edge and `cut` charts the edge cuts (partly
 * in view), none of them yet seen: "2 more charts below", "1 chart continues below", "1 chart continues, 2 more
 * below", or '' for none. New-user trial: "2 more charts below" counted the chart cut at the edge, while the third
 * was already partly in view.
 */
function chartsMoreNote(below: number, cut: number): string {
  const more = `${below} more chart${below === 1 ? '' : 's'} below`;
  if (!cut) return below ? more : '';
  const cont = `${cut} chart${cut === 1 ? ' continues' : 's continue'}`;
  return below ? `${cont}, ${below} more below` : `${cont} below`;
}

/**
 * Whether a chart card counts as seen in the charts pane: wholly inside the pane's box, or, for a card taller than
 * the pane, covering all of it. Both are viewport rectangles in CSS px (getBoundingClientRect); 1 px of slack for
 * fractional layout. A card with no box (a folded group, a closed section) is never seen.
 */
function isChartSeen(card: { top: number; bottom: number; height: number }, pane: { top: number; bottom: number; height: number }): boolean {
  if (!card.height || !pane.height) return false;
  if (card.top >= pane.top - 1 && card.bottom <= pane.bottom + 1) return true;
  return card.height > pane.height && card.top <= pane.top + 1 && card.bottom >= pane.bottom - 1;
}

function renderCharts(series: ChartSeries[]): HTMLElement {
  const ungrouped = series.filter((s) => !s.group);
  const groups = [...new Set(series.filter((s) => s.group).map((s) => s.group!))];
  if (!groups.length) return chartGrid(ungrouped);
  const wrap = h('div', { class: 'chart-sections' }, chartGrid(ungrouped));
  for (const g of groups) {
    const details = h('details', { class: 'chart-group', open: true, 'data-testid': 'chart-group' }, h('summary', { class: 'chart-group-title' }, h('h3', { class: 'summary-heading' }, g)));
    // (a regular grid in reading order: new-user trial, the per-name charts of mixed widths made a mosaic whose order
    // jumped between columns)
    details.appendChild(chartGrid(series.filter((s) => s.group === g), 4, true));
    wrap.appendChild(details);
  }
  return wrap;
}

function selectTab(index: number): void {
  if (!tabs) return;
  closeColumnMenu?.();
  (tabs as HTMLElement & { selectedIndex: number }).selectedIndex = index;
  state.activeTab = index;
  saveState();
  revealSelectedTab();
}

/**
 * Keeps the tab headers of a `vscode-tabs` on one row that scrolls sideways. Its tab list is one flex
 * row that never wraps and has no CSS part: fifteen QRadar tabs made the whole page scroll sideways
 * (2,400 px in a 1,000 px panel) and hid the last tabs; wrapped, they took three rows. A constructed
 * style sheet (allowed by the CSP, as the element's own styles are) is added to its shadow root once
 * the element has rendered: the tab list scrolls within the panel (a thin scroll bar, the wheel
 * scrolls it sideways) and the selected or focused tab is scrolled into view. A tab is never wider
 * than the strip (a longer name ends in an ellipsis; the tab's tooltip has it whole), and an edge
 * with tabs beyond it fades out, so a tab cut by the edge reads as "more this way", not as a
 * clipped name (UI trial: a narrow panel showed "Ho" and "KP" with no sign of the tabs past them).
 */
function scrollTabHeaders(el: HTMLElement): void {
  void customElements.whenDefined('vscode-tabs').then(() => {
    let frames = 0;
    const add = () => {
      const root = el.shadowRoot;
      // (rendered on connection: wait a few frames at most; a tab bar replaced before that is left alone)
      const list = root?.querySelector<HTMLElement>('.tablist');
      if (!root || !list) return void (frames++ < 30 && requestAnimationFrame(add));
      if (!tabStripSheet) {
        tabStripSheet = new CSSStyleSheet();
        tabStripSheet.replaceSync(
          '.header { min-width: 0; } ' +
            // the list takes the strip's width (less the "All tabs" icon) whatever its tabs: sized to its content, a
            // single tab's max-width (a share of the list, styles.css) was a share of itself and cut "Timeline" to "T"
            '.tablist { flex: 1 1 0; flex-wrap: nowrap; min-width: 0; overflow-x: auto; overflow-y: hidden; scrollbar-width: thin; scroll-padding-inline: 24px; } ' +
            '::slotted(vscode-tab-header) { flex: none; } ' +
            // the fade: as wide as the margin revealTab keeps around the selected or focused tab, so that one is never faded
            '.tablist[data-more-left] { mask-image: linear-gradient(to right, transparent, #000 24px); } ' +
            '.tablist[data-more-right] { mask-image: linear-gradient(to left, transparent, #000 24px); } ' +
            '.tablist[data-more-left][data-more-right] { mask-image: linear-gradient(to right, transparent, #000 24px, #000 calc(100% - 24px), transparent); }',
        );
      }
      if (!root.adoptedStyleSheets.includes(tabStripSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, tabStripSheet];
      list.setAttribute('data-testid', 'tab-strip');
      // A vertical wheel over the strip scrolls it sideways (there is nothing to scroll vertically in it).
      list.addEventListener(
        'wheel',
        (e) => {
          if (Math.abs(e.deltaY) <= Math.abs(e.deltaX) || list.scrollWidth <= list.clientWidth) return;
          const before = list.scrollLeft;
          list.scrollLeft += e.deltaY;
          if (list.scrollLeft !== before) e.preventDefault();
        },
        { passive: false },
      );
      watchTabStrip(list);
      revealSelectedTab();
    };
    add();
  });
}
let tabStripSheet: CSSStyleSheet | undefined;

/**
 * "All tabs" (right of the strip, shown while the strip overflows): a native select of every tab,
 * so a tab scrolled out of sight is one choice away, by mouse or keyboard. Closed, it is an icon
 * button (the select lies transparent over the icon): a select showing the tab's name took up to
 * 180 px of a narrow panel, leaving room for one tab and a cut piece of the next.
 */
function tabMenu(titles: string[], selected: number): HTMLElement {
  const select = h('select', { class: 'tab-menu-select', 'aria-label': 'All tabs: go to tab', title: 'All tabs', 'data-testid': 'tab-menu' }) as HTMLSelectElement;
  titles.forEach((t, i) => select.appendChild(h('option', { value: String(i) }, t)));
  select.value = String(selected);
  // The arrow keys browse a closed select and fire `change` at each press: the tab follows, the focus stays in the
  // select (moving it to the tab header ended the browse at the first press).
  select.addEventListener('change', () => selectTab(Number(select.value)));
  tabMenuSelect = select;
  const menu = h('span', { slot: 'addons', class: 'tab-menu', hidden: true }, icon('list-flat'), select);
  // The tab bar's own key handling (Left/Right/Enter move between and select tabs) must not see the select's keys.
  menu.addEventListener('keydown', (e) => e.stopPropagation());
  return menu;
}
let tabMenuSelect: HTMLSelectElement | undefined;

/**
 * Follows the tab strip's size and scroll position: the "All tabs" menu is shown only while the strip
 * does not show every tab; `data-more-left` / `data-more-right` mark the edges with tabs beyond them
 * (faded); a panel made narrower keeps the selected tab in view.
 */
function watchTabStrip(list: HTMLElement): void {
  const edges = () => {
    const over = list.scrollWidth > list.clientWidth + 1;
    list.toggleAttribute('data-more-left', over && list.scrollLeft > 1);
    list.toggleAttribute('data-more-right', over && list.scrollLeft + list.clientWidth < list.scrollWidth - 1);
    return over;
  };
  const resized = () => {
    const menu = tabMenuSelect?.parentElement;
    const over = edges();
    if (menu) menu.hidden = !over;
    revealSelectedTab();
  };
  new ResizeObserver(resized).observe(list);
  list.addEventListener('scroll', edges, { passive: true });
  resized();
}

/** Scrolls the tab strip (only it, not the page) so the selected tab header is in view. */
function revealSelectedTab(): void {
  if (!tabs) return;
  const idx = (tabs as HTMLElement & { selectedIndex: number }).selectedIndex ?? 0;
  if (tabMenuSelect) tabMenuSelect.value = String(idx);
  revealTab(tabHeaders()[idx]);
}

function tabHeaders(): HTMLElement[] {
  return tabs ? [...tabs.querySelectorAll<HTMLElement>(':scope > vscode-tab-header')] : [];
}

function revealTab(header: HTMLElement | undefined): void {
  const list = tabs?.shadowRoot?.querySelector<HTMLElement>('.tablist');
  if (!header || !list) return;
  const l = list.getBoundingClientRect();
  const r = header.getBoundingClientRect();
  const pad = 24;
  if (r.left < l.left + pad) list.scrollLeft -= l.left + pad - r.left;
  else if (r.right > l.right - pad) list.scrollLeft += r.right - (l.right - pad);
}

/**
 * WAI-ARIA tabs keyboard support on top of `vscode-tabs` (which moves the focus with Left/Right,
 * wrapping, and selects with Enter): Home/End focus the first/last tab, Space selects like Enter,
 * and the focused tab is scrolled into view in the one-row strip.
 */
function tabKeys(el: HTMLElement): void {
  el.addEventListener('keydown', (e) => {
    const headers = tabHeaders();
    const at = headers.indexOf(e.target as HTMLElement);
    if (at < 0) return;
    if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      e.stopPropagation();
      const to = e.key === 'Home' ? 0 : headers.length - 1;
      headers.forEach((hd, i) => hd.setAttribute('tabindex', i === to ? '0' : '-1'));
      // keep the element's own roving focus index in step (Left/Right continue from here)
      const t = el as HTMLElement & { _tabFocus?: number };
      if (typeof t._tabFocus === 'number') t._tabFocus = to;
      headers[to].focus({ preventScroll: true });
      revealTab(headers[to]);
    } else if (e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      selectTab(at);
    }
  }, true);
  // after the element's own Left/Right handling moved the focus
  el.addEventListener('focusin', (e) => {
    const hd = e.target as HTMLElement;
    if (hd.tagName === 'VSCODE-TAB-HEADER') revealTab(hd);
  });
}

function renderTabs(m: DashboardModel): HTMLElement {
  tabs = h('vscode-tabs', { class: 'tabs', 'data-testid': 'tabs' });
  findingsBadge = h('vscode-badge', { variant: 'counter', slot: 'content-after' }, m.totalRows.toLocaleString('en-US'));
  const idx = Math.min(state.activeTab ?? 0, m.tables.length);
  // The whole name is the tab's tooltip (a name longer than the strip ends in an ellipsis). Roving tabindex: the
  // element sets aria-selected and tabindex when a tab's `active` changes, so the tabs not selected at first get them here.
  const header = (i: number, testId: string, title: string, badge: HTMLElement, tip = title) =>
    h('vscode-tab-header', { slot: 'header', 'data-testid': testId, title: tip, 'aria-selected': i === idx ? 'true' : 'false', tabindex: i === idx ? 0 : -1 }, title, badge);
  tabs.appendChild(header(0, 'tab-findings', tableTitle(m), findingsBadge));
  tabs.appendChild(h('vscode-tab-panel', { class: 'findings-panel' }, renderFindings(m)));
  m.tables.forEach((t, i) => {
    const badge = h('vscode-badge', { variant: 'counter', slot: 'content-after' }, t.rows.length.toLocaleString('en-US'));
    tabs!.appendChild(header(i + 1, `tab-${t.id}`, t.title, badge, t.description ? `${t.title}\n${t.description}` : t.title));
    tabs!.appendChild(h('vscode-tab-panel', {}, renderSmallTable(t)));
  });
  tabs.setAttribute('selected-index', String(idx));
  tabs.appendChild(tabMenu([tableTitle(m), ...m.tables.map((t) => t.title)], idx));
  scrollTabHeaders(tabs);
  tabKeys(tabs);
  tabs.addEventListener('vsc-tabs-select', (e) => {
    closeColumnMenu?.(); // (a tab chosen from the keyboard: the chooser's panel is hidden, it would stay "expanded")
    state.activeTab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    saveState();
    revealSelectedTab();
  });
  return tabs;
}

function renderFindings(m: DashboardModel): HTMLElement {
  const columns = m.columns;
  const hidden = hiddenColumnsOf(columns);

  // toolbar
  searchField = h('vscode-textfield', { class: 'search', placeholder: 'Search (Ctrl+F)', title: `Search ${noun(m)} (Ctrl+F)`, 'aria-label': `Search ${noun(m)}`, 'data-testid': 'search' }) as HTMLElement & { value: string };
  searchField.appendChild(h('vscode-icon', { name: 'search', slot: 'content-before' }));
  searchField.value = state.query.search ?? '';
  const applySearch = debounce(() => table?.updateQuery({ search: searchField.value.trim() ? searchField.value : undefined }), 200);
  searchField.addEventListener('input', () => applySearch());
  searchField.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') applySearch.flush();
    if (e.key === 'ArrowDown') table?.focus();
  });

  rowCountEl = h('span', { class: 'row-count', 'data-testid': 'row-count', 'aria-live': 'polite' }, '…');
  sortNoteEl = h('span', { class: 'sort-note', 'data-testid': 'sort-note', hidden: true });
  chipsEl = h('div', { class: 'chips' });

  // The column chooser: a button that shows and hides a labelled group of checkboxes (a disclosure, not a menu: Tab
  // moves through the checkboxes, Space toggles one; aria-expanded on the button tells whether it is open).
  const menu = renderColumnMenu(columns, hidden);
  const chooserBtn = h('vscode-button', { secondary: true, icon: 'list-selection', 'data-testid': 'columns-button', title: 'Choose columns', 'aria-expanded': 'false', 'aria-controls': menu.id }, 'Columns');
  const setMenuOpen = (open: boolean) => {
    menu.hidden = !open;
    chooserBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) placeMenu(menu, chooserBtn);
  };
  setMenuOpen(false);
  closeColumnMenu = () => {
    if (!menu.hidden) setMenuOpen(false);
  };
  chooserBtn.addEventListener('click', (e) => {
    e.stopPropagation();
    setMenuOpen(menu.hidden);
  });
  // (document and window listeners go with this render: renderListeners is aborted when the dashboard is rebuilt)
  const { signal } = renderListeners;
  document.addEventListener(
    'click',
    (e) => {
      if (!menu.hidden && !menu.contains(e.target as Node)) setMenuOpen(false);
    },
    { signal },
  );
  // placed anew when the panel is resized or the page scrolls while it is open: it stays within the viewport
  const replaceMenu = () => {
    if (!menu.hidden && menu.isConnected) placeMenu(menu, chooserBtn);
  };
  window.addEventListener('resize', replaceMenu, { signal });
  window.addEventListener('scroll', replaceMenu, { passive: true, signal });
  // Escape closes the chooser wherever the focus is (opened by mouse, the focus stays on the Columns button) and
  // gives the focus back to the button: only while it is shown (not in a hidden tab panel) and when no other control
  // took the Escape already.
  document.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented || menu.hidden || !menu.isConnected || menu.getClientRects().length === 0) return;
      e.preventDefault();
      e.stopPropagation();
      setMenuOpen(false);
      (chooserBtn as HTMLElement).focus();
    },
    { signal },
  );

  const exportBtn = h('vscode-button', { icon: 'export', 'data-testid': 'export', title: `Export the matching ${noun(m)} (${exportColumnsText(m)}) to CSV` }, 'Export CSV');
  exportBtnEl = exportBtn; // (its tooltip counts the rows: updateRowCount)
  exportBtn.addEventListener('click', () => {
    if (!table) return;
    rpc.request({ type: 'exportCsv', query: table.getQuery(), columns: table.visibleColumnIds() }).catch((e: Error) => showError(e.message));
  });

  const toolbar = h(
    'div',
    { class: 'toolbar' },
    searchField,
    h('div', { class: 'chooser' }, chooserBtn, menu),
    exportBtn,
    h('span', { class: 'spacer' }),
    sortNoteEl,
    rowCountEl,
  );

  // table
  if (useDefaultSort) {
    useDefaultSort = false; // once: a re-render (say a new display zone) keeps what the user chose since
    if (m.defaultSort && !state.query.sort) {
      state.query = { ...state.query, sort: { ...m.defaultSort } };
      saveState();
    }
  }
  table = new VirtualTable({
    columns,
    hidden,
    query: state.query,
    emptyText: `No ${noun(m)} match the current filters.`,
    label: tableTitle(m),
    widths: state.columnWidths,
    onWidthsChange: (w) => {
      state.columnWidths = w;
      saveState();
      applyHidden(); // (the room the kept columns need beside the detail)
    },
    fetch: async (query, offset, limit) => {
      const r = await rpc.request({ type: 'query', query, offset, limit });
      if (r.type !== 'rows') throw new Error(`unexpected reply ${r.type}`);
      return r;
    },
    onQueryChange,
    onSelect: (id) => openDetail(id, true),
    onOpen: (id) => {
      if (!state.detailOpen || table?.selectedId !== id) openDetail(id, true);
      else revealDetail();
    },
    onScroll: debounce((top: number) => {
      state.scrollTop = top;
      saveState();
    }, 150),
    onRendered: (total, visible) => {
      visibleRowsShown = visible;
      updateRowCount(total);
      postRendered();
    },
    onError: (msg) => showError(msg),
    onCopy: (text) => rpc.request({ type: 'copy', text }).catch((e: Error) => showError(e.message)),
  });
  table.restoreScroll(state.scrollTop);
  if (state.selectedRow !== undefined) table.setSelectedId(state.selectedRow);

  detail = new DetailPane({
    label: `${rowName(m)} details`,
    width: state.detailWidth,
    onResize: (w) => {
      state.detailWidth = w;
      saveState();
    },
    onReveal: (row) => rpc.request({ type: 'reveal', row }).catch((e: Error) => showError(e.message)),
    onCopy: (text) => rpc.request({ type: 'copy', text }).catch((e: Error) => showError(e.message)),
    onAction: (row, action) => runAction(row, action),
    onClose: () => {
      actionDone = undefined;
      state.detailOpen = false;
      saveState();
      detail!.el.hidden = true;
      table?.focus();
    },
  });
  detail.el.hidden = true;
  // Columns that step aside while the detail stands beside the table (ColumnDef.besideDetail): checked whenever the
  // pane is shown or hidden and whenever the layout may switch between beside and stacked (the panel's width).
  userHidden = hidden;
  mainColumns = columns;
  appliedHidden = [...hidden].sort().join('\u0000');
  besideDetailCols = new Set(columns.filter((c) => c.besideDetail === 'hide').map((c) => c.id));
  keptBesideDetail = new Set(columns.filter((c) => c.besideDetail === 'keep').map((c) => c.id));
  updateSortNote(); // (a restored sort on a column the user hid)
  if (besideDetailCols.size || keptBesideDetail.size) {
    new MutationObserver(() => applyHidden()).observe(detail.el, { attributes: true, attributeFilter: ['hidden'] });
    // the table's own size: the panel's width (beside or stacked) and its tab shown again (0 → its size); one watch
    // at a time (a rebuilt dashboard renders the findings again)
    tableSizeWatch?.disconnect();
    (tableSizeWatch = new ResizeObserver(() => applyHidden())).observe(table.el);
  }
  // Escape in the grid (not in a column filter input: there it empties the filter) closes the detail pane, as Escape
  // inside the pane does (DetailPane); the Columns chooser, when open, takes Escape first.
  table.el.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || !menu.hidden || !detail || detail.el.hidden) return;
    if ((e.target as HTMLElement).closest('input, textarea, select')) return;
    e.preventDefault();
    detail.close();
  });
  if (actionRow !== undefined) {
    // A rebuilt model while an action runs (a safelist change rebuilds every dashboard): the row ids may now
    // name other rows, so wait for the action's answer instead of opening whatever row has the old id.
    modelDuringAction = true;
    detail.el.hidden = false;
    detail.showLoading();
  } else if (actionDone) {
    detail.el.hidden = false;
    detail.showDone(actionDone);
  } else if (state.detailOpen && state.selectedRow !== undefined) openDetail(state.selectedRow);

  return h('div', { class: 'findings' }, toolbar, chipsEl, h('div', { class: 'findings-main' }, table.el, detail.el));
}

/** The user's hidden columns of the main table (the column chooser's, saved in the state). */
let userHidden = new Set<string>();
/** Main-table columns that step aside while the detail pane stands beside the table (ColumnDef.besideDetail). */
let besideDetailCols = new Set<string>();
/** Main-table columns that stay whole in view while the detail pane stands beside the table (ColumnDef.besideDetail 'keep'). */
let keptBesideDetail = new Set<string>();
/** Watches the main table's size for {@link applyHidden} (the detail pane stacks below the table in a narrow panel). */
let tableSizeWatch: ResizeObserver | undefined;
/** The main table's columns (their titles name the sort column in {@link updateSortNote}). */
let mainColumns: ColumnDef[] = [];
/** The hidden set last given to the table: the user's plus the columns stepped aside. */
let appliedHidden = '';

/**
 * Gives the main table the user's hidden columns plus, while the detail pane is open beside it (not stacked below it:
 * the findings area lays out as a row), the columns that step aside for it; only when that set changed. The column
 * chooser and the saved state keep the user's choice alone. Beside the pane, the findings area's `--table-keep` is the
 * px the table needs for its columns through the last one kept in view (styles.css: the pane's default width leaves
 * it that room); removed otherwise.
 */
function applyHidden(): void {
  // (not while its tab is hidden: a table laid out at no size is not re-rendered — the layout e2e hung the page when
  // it was, on a resize with the Hosts tab in front; the size watch applies it when the tab shows again)
  if (!table || table.el.getClientRects().length === 0) return;
  const main = detail?.el.parentElement;
  const beside = !!detail && !detail.el.hidden && !!main && getComputedStyle(main).flexDirection === 'row';
  const next = new Set(userHidden);
  if (beside) for (const id of besideDetailCols) next.add(id);
  // (never every column: the table keeps at least one)
  if (next.size >= mainColumns.length) for (const id of besideDetailCols) if (!userHidden.has(id)) next.delete(id);
  const key = [...next].sort().join('\u0000');
  if (key !== appliedHidden) {
    appliedHidden = key;
    table.setHidden(next);
  }
  updateSortNote();
  if (!main) return;
  const keep = beside && keptBesideDetail.size ? table.widthThrough(keptBesideDetail) : 0;
  const px = keep > 0 ? `${Math.ceil(keep)}px` : '';
  if (main.style.getPropertyValue('--table-keep') !== px) {
    if (px) main.style.setProperty('--table-keep', px);
    else main.style.removeProperty('--table-keep');
  }
}

/**
 * The main table's hidden columns: those hidden by default (`ColumnDef.hidden`) that the user did not show, plus those
 * the user hid. The state keeps the user's choices only (not the defaults), so a restored page (a tab hidden and shown
 * again: VS Code re-creates the page) and a rebuilt model hide what the model hides by default.
 */
function hiddenColumnsOf(columns: ColumnDef[]): Set<string> {
  if (legacyHidden) {
    const was = new Set(legacyHidden);
    legacyHidden = undefined;
    state.hiddenColumns = columns.filter((c) => !c.hidden && was.has(c.id)).map((c) => c.id);
    state.shownColumns = columns.filter((c) => c.hidden && !was.has(c.id)).map((c) => c.id);
    saveState();
  }
  const hiddenByUser = new Set(state.hiddenColumns);
  const shown = new Set(state.shownColumns);
  return new Set(columns.filter((c) => hiddenByUser.has(c.id) || (c.hidden && !shown.has(c.id))).map((c) => c.id));
}

/** Keeps the user's column choices (the main table's `hidden` set against its defaults) in the state; other ids' stay. */
function saveColumnChoices(columns: ColumnDef[], hidden: Set<string>): void {
  const here = new Set(columns.map((c) => c.id));
  state.hiddenColumns = [...state.hiddenColumns.filter((id) => !here.has(id)), ...columns.filter((c) => !c.hidden && hidden.has(c.id)).map((c) => c.id)];
  state.shownColumns = [...(state.shownColumns ?? []).filter((id) => !here.has(id)), ...columns.filter((c) => c.hidden && !hidden.has(c.id)).map((c) => c.id)];
  saveState();
}

function renderColumnMenu(columns: ColumnDef[], hidden: Set<string>): HTMLElement {
  const menu = h('div', { class: 'menu', id: 'columns-menu', role: 'group', 'aria-label': `Visible columns (${columns.length})`, 'data-testid': 'columns-menu' });
  menu.addEventListener('scroll', () => menuEdges(menu), { passive: true });
  for (const c of columns) {
    const cb = h('vscode-checkbox', { label: c.title, 'data-col': c.id, checked: !hidden.has(c.id) }) as HTMLElement & { checked: boolean };
    cb.addEventListener('change', () => {
      if (cb.checked) hidden.delete(c.id);
      else if (columns.length - hidden.size > 1) hidden.add(c.id);
      else cb.checked = true; // keep at least one column
      saveColumnChoices(columns, hidden);
      applyHidden();
    });
    menu.appendChild(h('div', { class: 'menu-item' }, cb));
  }
  return menu;
}

/** Space kept between the open column chooser and the panel's edge (px). */
const MENU_MARGIN = 8;

/**
 * Keeps the open column chooser within the viewport (UI trial: it ran past the bottom of the panel): below the button,
 * as high as the room there allows (its list scrolls when the columns need more), or above the button when there is
 * more room above and the list does not fit below. Placed in viewport coordinates (`position: fixed`, styles.css): the
 * tab panel that holds it clips what overflows it, so a list opened upward over the charts would be cut off.
 */
function placeMenu(menu: HTMLElement, button: HTMLElement): void {
  menu.style.maxHeight = '';
  const b = button.getBoundingClientRect();
  const gap = 4;
  const vh = document.documentElement.clientHeight; // the viewport less a horizontal scroll bar
  const below = vh - b.bottom - gap - MENU_MARGIN;
  const above = b.top - gap - MENU_MARGIN;
  const cap = parseFloat(getComputedStyle(menu).maxHeight) || Infinity; // the stylesheet's cap (640 px)
  const want = Math.min(menu.scrollHeight, cap);
  const up = want > below && above > below;
  menu.classList.toggle('up', up);
  menu.style.maxHeight = `${Math.floor(Math.max(48, Math.min(cap, up ? above : below)))}px`;
  menu.style.top = up ? 'auto' : `${Math.round(b.bottom + gap)}px`;
  menu.style.bottom = up ? `${Math.round(vh - b.top + gap)}px` : 'auto';
  menu.style.left = `${Math.round(Math.max(MENU_MARGIN, Math.min(b.left, document.documentElement.clientWidth - menu.offsetWidth - MENU_MARGIN)))}px`;
  menuEdges(menu);
}

/** The open column chooser's cue while more columns are below its bottom edge (styles.css: "More ▾" and a shadow). */
function menuEdges(menu: HTMLElement): void {
  menu.toggleAttribute('data-more-below', menu.scrollTop + menu.clientHeight < menu.scrollHeight - 1);
}

/**
 * Runs a detail-pane action of a row (e.g. "Safelist this pair"). Its buttons are disabled until the
 * host answers. When the action took the row out of the table (`done`), the pane shows that outcome
 * instead of a row and nothing is selected: the pane never jumps to the row that took the old row's
 * place, with the same button under the pointer. A cancelled action leaves the row as it was.
 */
function runAction(row: number, action: string): void {
  if (actionRow !== undefined) return;
  actionRow = row;
  modelDuringAction = false;
  const paneHadFocus = !!detail?.el.contains(document.activeElement);
  detail?.setBusy(true);
  const finish = (done: ActionDone | undefined) => {
    actionRow = undefined;
    // the action's button (disabled while it ran, gone with a rebuilt dashboard) may have taken the focus with it
    if (paneHadFocus && (!document.activeElement || document.activeElement === document.body)) queueMicrotask(() => focusLostToGrid());
    if (done) {
      actionDone = done;
      doneAwaitsModel = !modelDuringAction; // (its rebuilt dashboard came while it ran, or is still to come)
      state.selectedRow = undefined;
      state.detailOpen = true;
      saveState();
      table?.setSelectedId(undefined);
      if (detail) {
        detail.el.hidden = false;
        detail.showDone(done);
      }
    } else if (modelDuringAction) openDetail(row);
    else detail?.setBusy(false);
  };
  rpc
    .request({ type: 'action', row, action })
    .then((r) => finish(r.type === 'ack' ? r.done : undefined))
    .catch((e: Error) => {
      finish(undefined);
      showError(e.message);
    });
}

/** Whether `el` is wholly within the viewport's height. */
function wholeInView(el: HTMLElement): boolean {
  const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight + 1;
}

/**
 * Brings the detail pane wholly into view when the user selects a row (click, arrow keys, Enter) and it is not (UI
 * trial: at 1400×900 the table and its detail start below the cards and charts, and selecting a row showed ~90 px of
 * the detail). Beside the table (a wide panel) the table and the pane are one block of the viewport's height less the
 * tab strip and toolbar: that block is scrolled into view, so the selected row stays in sight too. Under the table (a
 * narrow panel) the pane is. The page scrolls; the focus stays in the table, so the arrow keys go on moving the
 * selection. Smooth unless the user asked for reduced motion.
 */
function revealDetail(): void {
  const pane = detail?.el;
  if (!pane || pane.hidden || wholeInView(pane)) return;
  const main = pane.parentElement;
  const beside = !!main && getComputedStyle(main).flexDirection === 'row' && main.getBoundingClientRect().height <= window.innerHeight;
  const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  (beside ? main : pane).scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
}

function openDetail(id: number, reveal = false): void {
  if (!detail) return;
  actionDone = undefined;
  state.selectedRow = id;
  state.detailOpen = true;
  saveState();
  detail.el.hidden = false;
  detail.showLoading();
  if (reveal) revealDetail();
  const seq = ++detailSeq;
  rpc
    .request({ type: 'detail', row: id })
    .then((r) => {
      if (seq !== detailSeq) return;
      if (r.type !== 'detail') return;
      detail!.show(r.detail);
      if (reveal) revealDetail(); // under the table the pane grows with its content
    })
    .catch((e: Error) => {
      if (seq === detailSeq) detail!.showError(e.message);
    });
}

function renderSmallTable(t: SmallTable): HTMLElement {
  const byColumn = t.facetColumn !== undefined && t.facetIndex !== undefined;
  const thead = h(
    'thead',
    {},
    h(
      'tr',
      {},
      ...t.columns.map((c) => {
        const th = h('th', { class: alignsRight(c) ? 'num' : '', title: `${c.description ? `${c.title}: ${c.description}` : c.title} — click to sort`, scope: 'col' }, h('span', { class: 'th-title' }, c.title), h('span', { class: 'vt-sort' }));
        if (c.maxWidth) th.style.maxWidth = `${c.maxWidth}px`;
        return th;
      }),
    ),
  );
  const tbody = h('tbody', {});
  const trs: HTMLElement[] = [];
  // a heat map: the largest number cell of the table sets the scale (log: one noisy host must not wash out the rest)
  let heatMax = 0;
  if (t.heat) for (const row of t.rows) for (const v of row) if (typeof v === 'number' && v > heatMax) heatMax = v;
  t.rows.forEach((row, ri) => {
    // A row's own facets (e.g. one scan of a host: host and scan), else the table's facet column.
    const own = t.rowFacets?.[ri];
    const facet: Record<string, string> | undefined = own ?? (byColumn ? { [t.facetColumn!]: String(row[t.facetIndex!] ?? '') } : undefined);
    const clickable = facet !== undefined;
    const what = own ? Object.entries(own).map(([k, v]) => `${columnTitle(k)} ${facetValueLabel(model, k, v)}`).join(', ') : byColumn ? fmt(row[t.facetIndex!]) : '';
    // (one tab stop per table: rovingRows gives tabindex 0 to one row; the key finds the row again after a re-render)
    const tr = h('tr', clickable ? { tabindex: -1, class: 'clickable', 'data-row-key': JSON.stringify(facet), title: `Show ${model ? noun(model) : 'rows'} for ${what}` } : {});
    t.columns.forEach((c, i) => {
      const v = row[i];
      const text = fmt(v);
      // a long text is wrapped where the column asks for it, else cut with an ellipsis and given whole in the tooltip
      const cls = [alignsRight(c) ? 'num' : '', c.wrap ? 'wrap' : '', c.mono ? 'mono' : ''].filter(Boolean).join(' ');
      // (a column with a maxWidth, e.g. a source path, is cut there: its whole text in the tooltip)
      // (a wrapped column breaks a path at its `\` and `/`, as the detail pane does, not mid-name: separatorBreaks)
      // (a cell may say more in its tooltip than it shows: a Files read tab's file named below the folder the files
      // share has its whole path there, cellTitles)
      const own = t.cellTitles?.[c.id]?.[ri];
      const tip = own || ((text.length > 40 || c.maxWidth) && text && !c.wrap && !c.mono ? text : '');
      const td = h('td', tip ? { class: cls, title: tip } : { class: cls }, c.wrap ? separatorBreaks(text) : text);
      if (c.maxWidth) td.style.maxWidth = `${c.maxWidth}px`;
      if (t.heat && i > 0 && typeof v === 'number') {
        // shade 0–1 in a custom property (styles.css mixes the theme's chart colour with it); the cell says what it counts
        const heat = heatMax > 0 && v > 0 ? Math.log1p(v) / Math.log1p(heatMax) : 0;
        td.classList.add('heat');
        if (v === 0) td.classList.add('heat-zero');
        td.style.setProperty('--heat', heat.toFixed(3));
        td.title = `${fmt(row[0])} · ${c.title}: ${text}`;
      }
      tr.appendChild(td);
    });
    if (clickable) {
      // the row's tab is hidden by the switch to the findings: the focus goes to the grid (not to <body>)
      const go = () => {
        const hadFocus = tr.contains(document.activeElement);
        applyFacet(facet, true);
        if (hadFocus) focusGrid();
      };
      tr.addEventListener('click', go);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          go();
        }
      });
    }
    tbody.appendChild(tr);
    trs.push(tr);
  });
  sortableHeaders(thead, t, trs, tbody);
  rovingRows(t.id, tbody);
  const body = t.rows.length ? h('table', { class: 'small-table', 'data-testid': `table-${t.id}` }, thead, tbody) : h('div', { class: 'empty-note' }, 'Nothing to show.');
  const exportBtn = h('vscode-button', { secondary: true, icon: 'export', 'data-testid': `export-${t.id}`, title: `Export “${t.title}” to CSV` }, 'Export CSV');
  exportBtn.addEventListener('click', () => {
    rpc.request({ type: 'exportTable', tableId: t.id }).catch((e: Error) => showError(e.message));
  });
  // what the table holds, above it (its short tab name says less)
  const desc = t.description ? h('p', { class: 'small-table-desc', 'data-testid': `table-desc-${t.id}` }, t.description) : null;
  if (!t.rows.length) return h('div', { class: 'small-table-box' }, desc, h('div', { class: 'small-table-wrap' }, body));
  // a region named by the table: a keyboard user reaches the frame (tabindex while it has more to scroll: watchTableFrame)
  const wrap = h('div', { class: 'small-table-wrap', role: 'region', 'aria-label': t.title, 'data-testid': `table-frame-${t.id}` }, body);
  watchTableFrame(wrap, body);
  return h('div', { class: 'small-table-box' }, desc, h('div', { class: 'small-table-toolbar' }, exportBtn), wrap);
}

/** Per small table (by id): the key (`data-row-key`) of its row that is the table's tab stop, kept across re-renders. */
const smallTableRow = new Map<string, string>();

/**
 * The rows of a small table that drill down (`tr.clickable`) are one tab stop, as the findings grid (roving tabindex;
 * new-user trial: every row of Hosts, Rules, Top files… was a tab stop of its own and ↑/↓ did nothing): the row that
 * had the focus last (else the first in the order shown) has tabindex 0, the others -1; ↑/↓ move the focus to the
 * row above / below, PageUp/PageDown by a frame's height of rows, Home/End to the first / last row (in the order
 * shown: a sorted table moves in its sorted order); Enter / Space drill down (the row's own handler). The row is
 * remembered by its key ({@link smallTableRow}): the table rendered anew (a new model, a new display zone) gives it
 * the tab stop again, and {@link restoreFocus} the focus.
 */
function rovingRows(tableId: string, tbody: HTMLElement): void {
  const isRow = (el: Element | null): el is HTMLElement => !!el && el.tagName === 'TR' && el.classList.contains('clickable');
  const walk = (from: Element | null, next: (e: Element) => Element | null): HTMLElement | undefined => {
    for (let e = from; e; e = next(e)) if (isRow(e)) return e;
    return undefined;
  };
  const first = walk(tbody.firstElementChild, (e) => e.nextElementSibling);
  if (!first) return;
  const want = smallTableRow.get(tableId);
  let cur = (want !== undefined && [...tbody.children].find((r) => isRow(r) && r.dataset.rowKey === want)) || first;
  (cur as HTMLElement).tabIndex = 0;
  const take = (tr: HTMLElement) => {
    if (tr !== cur) {
      (cur as HTMLElement).tabIndex = -1;
      tr.tabIndex = 0;
      cur = tr;
    }
    if (tr.dataset.rowKey !== undefined) smallTableRow.set(tableId, tr.dataset.rowKey);
  };
  tbody.addEventListener('focusin', (e) => {
    const tr = e.target as HTMLElement;
    if (isRow(tr) && tr.parentElement === tbody) take(tr);
  });
  tbody.addEventListener('keydown', (e) => {
    const tr = e.target as HTMLElement;
    if (!isRow(tr) || tr.parentElement !== tbody || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const up = (x: Element) => x.previousElementSibling;
    const down = (x: Element) => x.nextElementSibling;
    /** `n` drill-down rows from `from` in direction `next` (fewer at the table's end). */
    const step = (n: number, next: (x: Element) => Element | null): HTMLElement => {
      let at: HTMLElement = tr;
      for (let k = 0; k < n; k++) {
        const r = walk(next(at), next);
        if (!r) break;
        at = r;
      }
      return at;
    };
    // a page: the rows of the table's frame (or of the window, when the frame is taller), one kept in view
    const page = () => {
      const frame = tbody.closest<HTMLElement>('.small-table-wrap');
      const height = Math.min(frame?.clientHeight || window.innerHeight, window.innerHeight);
      return Math.max(1, Math.floor(height / Math.max(1, tr.offsetHeight)) - 1);
    };
    let to: HTMLElement | undefined;
    if (e.key === 'ArrowDown') to = step(1, down);
    else if (e.key === 'ArrowUp') to = step(1, up);
    else if (e.key === 'PageDown') to = step(page(), down);
    else if (e.key === 'PageUp') to = step(page(), up);
    else if (e.key === 'Home') to = walk(tbody.firstElementChild, down);
    else if (e.key === 'End') to = walk(tbody.lastElementChild, up);
    else return;
    e.preventDefault();
    if (!to) return;
    take(to);
    to.focus({ preventScroll: true });
    to.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
}

/**
 * Sorting a small table by its headers (UI review: only the big table sorted): a click (or Enter / Space on the
 * header row's one tab stop; ← → Home End move between the headers) sorts by the column — its first direction as in
 * the big table ({@link firstSortOf}: numbers most significant first), then the other, then the table's own order.
 * Numbers compare as numbers (empty cells last), texts by the UI locale with numeric parts as numbers. The rows are
 * moved, not rebuilt; `aria-sort` and the arrow tell the order.
 */
function sortableHeaders(thead: HTMLElement, t: SmallTable, trs: HTMLElement[], tbody: HTMLElement): void {
  const ths = [...thead.querySelectorAll<HTMLElement>('th')];
  let sort: { col: number; dir: 'asc' | 'desc' } | undefined;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const apply = () => {
    const order = trs.map((tr, i) => i);
    if (sort) {
      const { col, dir } = sort;
      const num = t.columns[col].type === 'number';
      // a time column sorts by its instants when the table gives them (a cell may carry its UTC offset, `-04:00`: the
      // text of the hour that occurs twice when clocks go back would sort by the offset)
      const times = t.columns[col].type === 'time' ? t.exportTimes?.[t.columns[col].id] : undefined;
      const sign = dir === 'asc' ? 1 : -1;
      order.sort((a, b) => {
        const x = times ? times[a] : t.rows[a][col];
        const y = times ? times[b] : t.rows[b][col];
        const ex = x === null || x === undefined || x === '';
        const ey = y === null || y === undefined || y === '';
        if (ex || ey) return ex === ey ? a - b : ex ? 1 : -1; // empty cells last, either way
        const c = (num || times) && typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
        return c ? sign * c : a - b;
      });
    }
    // one node at a time: append(...rows) throws RangeError (call stack) past ~120,000 rows (hostile review)
    for (const i of order) tbody.appendChild(trs[i]);
    ths.forEach((th, i) => {
      const dir = sort?.col === i ? sort.dir : undefined;
      th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none');
      th.classList.toggle('sorted', !!dir);
      const slot = th.querySelector('.vt-sort');
      if (slot) {
        clear(slot);
        if (dir) slot.appendChild(icon(dir === 'asc' ? 'arrow-up' : 'arrow-down'));
      }
    });
  };
  const cycle = (i: number) => {
    const first = firstSortOf(t.columns[i]);
    if (!sort || sort.col !== i) sort = { col: i, dir: first };
    else if (sort.dir === first) sort = { col: i, dir: first === 'asc' ? 'desc' : 'asc' };
    else sort = undefined;
    apply();
  };
  ths.forEach((th, i) => {
    th.tabIndex = i === 0 ? 0 : -1;
    th.classList.add('sortable');
    th.setAttribute('data-testid', `th-${t.id}-${t.columns[i].id}`);
    th.addEventListener('click', () => cycle(i));
    th.addEventListener('focus', () => ths.forEach((o) => (o.tabIndex = o === th ? 0 : -1)));
    th.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      let to = -1;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        cycle(i);
        return;
      } else if (e.key === 'ArrowLeft') to = Math.max(0, i - 1);
      else if (e.key === 'ArrowRight') to = Math.min(ths.length - 1, i + 1);
      else if (e.key === 'Home') to = 0;
      else if (e.key === 'End') to = ths.length - 1;
      else return;
      e.preventDefault();
      ths[to].focus();
    });
  });
  apply();
}

/**
 * A small table wider than its frame scrolls sideways within it (UI trial: the Hosts table's last column, "Scan end",
 * looked clipped in VS Code: cut at the frame's edge, with the scroll bar below the fold). The frame's edge fades
 * out where more columns are beyond it (`data-more-right` / `data-more-left`, as the tab strip does), and the first
 * column (the host, rule or file the row is about) stays in place while the others scroll, when it takes at most a
 * third of the frame (`sticky-first`). While the frame has more to scroll (sideways or down) it is a tab stop
 * (`tabindex="0"`, like the charts pane: arrow keys scroll it; outlined when focused, styles.css), so a keyboard user
 * reaches the columns beyond its edge; a table that fits is no extra tab stop.
 */
function watchTableFrame(wrap: HTMLElement, table: HTMLElement): void {
  const update = () => {
    const over = wrap.scrollWidth > wrap.clientWidth + 1;
    if (over || wrap.scrollHeight > wrap.clientHeight + 1) wrap.tabIndex = 0;
    else wrap.removeAttribute('tabindex');
    wrap.toggleAttribute('data-more-left', over && wrap.scrollLeft > 1);
    wrap.toggleAttribute('data-more-right', over && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1);
    const first = table.querySelector<HTMLElement>('thead th');
    wrap.classList.toggle('sticky-first', over && !!first && first.offsetWidth <= wrap.clientWidth / 3);
  };
  wrap.addEventListener('scroll', update, { passive: true });
  const ro = new ResizeObserver(() => requestAnimationFrame(update));
  ro.observe(wrap);
  ro.observe(table);
  chartLayouts.push(() => ro.disconnect());
}

// ---------------------------------------------------------------- keyboard

document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'f' || e.key === 'F')) {
    if (!searchField) return;
    e.preventDefault();
    selectTab(0);
    searchField.focus();
  }
});

start();
