/**
 * The one typed message protocol between the extension host and every SOC Analytics webview.
 * Imported by both sides (host: `src/extension/panels`, webview: `webview/`).
 *
 * Pattern (after microsoft/vscode-hexeditor `shared/protocol.ts`): every message travels in an
 * envelope `{ id, inReplyTo?, body }`. Requests from the webview carry an `id`; the host's answer
 * carries `inReplyTo = id`. Large tables never cross whole: the webview asks for windows of rows.
 */

/** Table column description (the host decides the columns of a dashboard). */
export interface ColumnDef {
  id: string;
  title: string;
  /** `number` columns sort numerically and right-align. */
  type: 'text' | 'number' | 'time';
  /**
   * `right`: a text column of formatted quantities (a rate `28.6%`, a duration `2.5 h`) is right-aligned with
   * tabular figures like a `number` column, while it sorts and filters as text. Default: right for `number`
   * columns, left otherwise (see {@link alignsRight}).
   */
  align?: 'left' | 'right';
  /** Default width in px. */
  width?: number;
  /** Hidden unless the user picks it in the column chooser. */
  hidden?: boolean;
  /**
   * Main table, while the detail pane stands beside it (not when it is closed or stacked below):
   * - `hide`: the column steps aside (is not shown) and comes back when the pane closes or stacks below — for a column
   *   the detail repeats (a finding's time, a beacon pair's severity), so that the columns that tell rows apart keep
   *   their room (new-user trial: at 1042 px an open Loki detail left Level, Score, Host, Time and a cut Rule; Path
   *   gone). The user's column choices are not changed;
   * - `keep`: the column stays whole in view: the pane's default width leaves the table room for every shown column up
   *   to the last `keep` one, at their widths (new-user trial: a beacon pair's detail, 58 % of a 1042 px panel, cut the
   *   Destination column). A width the user dragged the pane to still wins.
   */
  besideDetail?: 'hide' | 'keep';
  /**
   * What the column holds, in a sentence (range and meaning of a score, what a count adds up): the header's
   * tooltip, before "click to sort". Text only.
   */
  description?: string;
  /** Direction of the first click on the header (default `asc`): `desc` for severity-like columns, most severe first. */
  firstSort?: 'asc' | 'desc';
  /** Small tables: long texts wrap onto several lines instead of being cut (e.g. a KPI's definition). */
  wrap?: boolean;
  /**
   * Small tables: the cells are in the editor's monospace font, 32 characters a line, wrapped and never cut (file
   * hashes: a SHA256 on two lines of 32 hex digits, an MD5 on one).
   */
  mono?: boolean;
  /**
   * Small tables: the column's cells are at most this wide (px), a longer text cut with an ellipsis and given whole in
   * the tooltip (a source path that would squeeze the message beside it); default 520.
   */
  maxWidth?: number;
  /**
   * Header of the column in a CSV export when the export writes a number in a unit the display text carries
   * in each cell (`Median time to close (min)` for `2 h`, `FP rate (%)` for `28.6%`); default `title`.
   * Not used by the webview.
   */
  exportTitle?: string;
  /**
   * Big tables: an Export CSV writes this column even when it is hidden (the export writes the shown columns plus
   * these): a finding's MD5, SHA1 and SHA256, so that an analyst pivoting on a hash IOC gets the hash that matched
   * (new-user trial: the SHA1 of `Hash IOC: DCSO Vuln List …` was left out, its column hidden by default).
   */
  alwaysExported?: boolean;
}

/** True when a column's cells (and header) are right-aligned: `number` columns and columns declaring `align: 'right'`. */
export function alignsRight(c: Pick<ColumnDef, 'type' | 'align'>): boolean {
  return c.align ? c.align === 'right' : c.type === 'number';
}

export interface SortSpec {
  column: string;
  dir: 'asc' | 'desc';
}

/** A filter on the table: per-column substring filters, a global search and facet filters (exact values, e.g. from a chart click). */
export interface TableQuery {
  sort?: SortSpec;
  /** column id → case-insensitive substring */
  columnFilters?: Record<string, string>;
  /** case-insensitive substring over all visible text columns */
  search?: string;
  /** column id → exact value (chart click); several facets combine with AND */
  facets?: Record<string, string>;
  /**
   * A time range (a click on a bar of a time chart: the merged timeline's zoom): only the rows whose value in
   * `range.column` lies in it, combined with the other filters (AND). See {@link TimeRange}.
   */
  range?: TimeRange;
}

/**
 * A half-open time range `[from, to)` on a `time` column: the rows whose value in `column` (epoch ms UTC, the number
 * the column's cells show in the display zone) is at or after `from` and before `to` (both epoch ms UTC). A row without
 * a time there (no finite number) is left out. A range on a column the table does not have, or on one that is not a
 * `time` column, is ignored, as any filter on an unknown column is (the table store).
 */
export interface TimeRange {
  column: string;
  /** Start, epoch ms UTC, inclusive. */
  from: number;
  /** End, epoch ms UTC, exclusive (`to` ≥ `from`). */
  to: number;
}

/** One bar chart: labels and values, already aggregated in the host. */
export interface ChartSeries {
  id: string;
  title: string;
  labels: string[];
  values: number[];
  /** The table column a click on a bar filters (as a facet), if any. */
  facetColumn?: string;
  /** Optional per-bar colour keys (e.g. level names) so the webview picks theme colours. */
  colorKeys?: string[];
  /** Optional per-bar colour slots (tags: ≥ 0 the slot's theme colour, -1 the neutral colour); see core/analyze/tag-colors. */
  colorSlots?: number[];
  /** Chart type (default `bar`). */
  type?: 'bar' | 'line';
  /** `vertical`: labels along the x axis (time series); default `horizontal` bars. */
  orientation?: 'horizontal' | 'vertical';
  /** Several series over the same labels (`values` then holds the per-label totals). */
  datasets?: { label: string; values: number[]; colorKey?: string; colorSlot?: number; facetValue?: string }[];
  /** Stack the datasets. */
  stacked?: boolean;
  /** The table column a click on a dataset's bar also filters, with the dataset's `facetValue` (or label). */
  datasetFacetColumn?: string;
  /** Tooltip title per bar when it should say more than the label (e.g. `Rule 100407 · CRE_RULE` under a rule's name). */
  tooltips?: string[];
  /** Facet value per label when it differs from the label text (e.g. an id behind a "id · name" label). */
  facetValues?: string[];
  /** Facets applied together with the clicked bar's facet (e.g. the description of a per-description chart). */
  baseFacet?: Record<string, string>;
  /**
   * A time chart's bars as time spans: a click on bar `i` (or its zoom button in the chart's data table) zooms the
   * big table to `spans[i]` (`[from, to)`, epoch ms UTC) on the time column `column`: the query's {@link TableQuery.range}.
   * `null`: a bar that stands for no span the table could show (a timeline's gap bar, no events): not clickable.
   * Replaces the facet a click on a bar would set (a chart with spans sets no facet).
   */
  timeSpans?: { column: string; spans: ([number, number] | null)[] };
  /** Section heading: charts with the same group render together in their own section, after the ungrouped ones. */
  group?: string;
  /** One line under the title (e.g. "top source: 92% of offenses"). */
  note?: string;
  /**
   * Axis titles, with their units and, on a time axis, the display zone: `label` the axis of the labels (the x axis
   * of a vertical chart, the y axis of a horizontal one), `value` the axis of the counts (`Pairs`, `Offenses`).
   */
  axes?: { label: string; value: string };
}

/** A summary card. */
export interface Card {
  id: string;
  label: string;
  value: string | number;
  /** Optional severity to colour the card (`muted`: a count below every severity band, e.g. beacon pairs of severity none). */
  tone?: 'alert' | 'warning' | 'notice' | 'ok' | 'info' | 'muted';
  /** Clicking the card applies this facet (column id → value) to the table. */
  facet?: Record<string, string>;
  /** Without `facet`: clicking the card opens the tab of the small table with this id (e.g. the scans set aside). */
  tab?: string;
  /**
   * Why the value is what it is, as the card's tooltip (text, never markup): the reason of an `n/a` (`no closed case
   * with a close time after its creation (1 closed before it was created: formula.csv:4)`), cases left out of it.
   */
  hint?: string;
}

/** A small read-only table (hosts, rules, errors): fine as DOM, at most a few thousand rows. */
export interface SmallTable {
  id: string;
  /** The tab's name: short, so that it is shown whole in a narrow tab strip (say what it is in `description`). */
  title: string;
  /**
   * What the table holds, in a sentence (text): the tab's tooltip after its name and a line above the table (new-user
   * trial: the beacon tab "Strobes (too many connections to score)" was cut at 1042 px; now "Strobes" and this).
   */
  description?: string;
  columns: ColumnDef[];
  rows: (string | number | null)[][];
  /** When set, clicking a row applies facet `{ [facetColumn]: row[facetIndex] }` to the findings table. */
  facetColumn?: string;
  facetIndex?: number;
  /**
   * Per row (parallel to `rows`): the facets (column id → exact value) a click on that row applies
   * instead of `{ [facetColumn]: row[facetIndex] }`, when a row is narrower than its first cell says,
   * e.g. a Loki *Hosts* row of one scan of a host scanned twice: `{ host, scan }`, or a built-in row
   * whose label could be someone's name (the KPI workload table's `(unassigned)` row: `{ countedAs }`).
   * A missing entry falls back to `facetColumn`/`facetIndex`.
   */
  rowFacets?: (Record<string, string> | undefined)[];
  /**
   * Column id → per row (parallel to `rows`) the number a CSV export writes instead of the display text, for
   * columns of formatted quantities (a duration `2 h` exports as 120 under `Median time to close (min)`, see
   * {@link ColumnDef.exportTitle}); `null` (n/a, shown `–`) exports as an empty field. A spreadsheet reads
   * `2 h` or `28.6%` as text (UI trial: the exported workload table). Not used by the webview.
   */
  exportCells?: Record<string, (number | null)[]>;
  /**
   * `time` column id → per row (parallel to `rows`) the instant its cell shows, epoch ms UTC (`null`: none). A CSV
   * export writes, right after that column (display zone, as shown), a UTC column (`Time (UTC)`) with it in ISO 8601
   * (`2021-10-13T21:27:55Z`, milliseconds only when non-zero); see `smallTableCsv`. The webview sorts the column by
   * them; the host gives the cells their UTC offset when the column spans more than one (core/table/zone-offsets.ts).
   */
  exportTimes?: Record<string, (number | null)[]>;
  /**
   * Column id → per row (parallel to `rows`) the cell's tooltip, when it says more than the cell (`null`: the cell's own
   * text, as without it): a *Files read* tab's file named below the folder the files share (`offenses.json`) has its
   * whole path as its tooltip. Text only. Not used by a CSV export (the *Folder* column beside it gives the rest).
   */
  cellTitles?: Record<string, (string | null)[]>;
  /**
   * A heat map (e.g. Loki's *Hosts × top rules*): the number cells are shaded by their value against the table's
   * largest on a log scale (`log(1 + v) / log(1 + max)`, so one noisy host does not wash out the rest), zeros dimmed,
   * each cell titled `<row label> · <column title>: <value>`. Display only: sorting, clicks and exports are unchanged.
   */
  heat?: boolean;
}

/** Everything a dashboard shows except the big table's rows. */
export interface DashboardModel {
  /** Analysis kind (e.g. 'loki'); the webview renders every kind from this model alone. */
  kind: string;
  title: string;
  subtitle: string;
  cards: Card[];
  charts: ChartSeries[];
  tables: SmallTable[];
  columns: ColumnDef[];
  totalRows: number;
  /** Plural noun of the big table's rows, e.g. "findings", "offenses", "connection pairs" (default "findings"). */
  rowNoun?: string;
  /** Tab title of the big table, e.g. "Findings" (default: rowNoun capitalised). */
  tableTitle?: string;
  /** Display zone name in use (IANA or `UTC`). */
  displayZone: string;
  /** Unparsed lines / file errors of the input data, for the warning banner. */
  problems: { count: number; sample: { file: string; line: number; message: string }[] };
  /**
   * Notices about the analysis itself, each shown as its own banner above the cards (not counted
   * as unparsed lines), e.g. "the tagging rules file could not be read: the cases were not tagged".
   * Plain text (rendered with textContent).
   */
  notices?: DashboardNotice[];
  /**
   * Sort of the big table when the panel opens without a view of its own (a fresh panel, not one
   * restored with the user's sort), e.g. Loki findings most severe first. Absent: input order.
   */
  defaultSort?: SortSpec;
  /**
   * How a filter chip names a facet value when the value is a key that people know by another name: column id →
   * facet value → the name shown in the chip (a Loki hash IOC's rule key is its hash, `66178d4a…`; the chip says
   * `Hash IOC: DCSO Vuln List …`, as the Rules tab and the findings' Rule cells). The facet itself keeps the key, so the
   * filter stays exact (two hash IOCs of one description are two rules). Absent: the chip shows the value.
   */
  facetLabels?: Record<string, Record<string, string>>;
}

/**
 * The text of the filter chip of facet `column` = `value`: the name {@link DashboardModel.facetLabels} gives the value,
 * else the value itself. Never throws (an absent or malformed map reads as none; own keys only, so a value such as
 * `constructor` is never named by the prototype).
 */
export function facetValueLabel(model: Pick<DashboardModel, 'facetLabels'> | undefined, column: string, value: string): string {
  const byValue = model?.facetLabels && Object.prototype.hasOwnProperty.call(model.facetLabels, column) ? model.facetLabels[column] : undefined;
  if (!byValue || typeof byValue !== 'object' || !Object.prototype.hasOwnProperty.call(byValue, value)) return value;
  const label = byValue[value];
  return typeof label === 'string' && label !== '' ? label : value;
}

/** A banner about the analysis (see {@link DashboardModel.notices}). */
export interface DashboardNotice {
  /** Stable id (`data-testid="notice-<id>"`). */
  id: string;
  severity: 'error' | 'warning' | 'info';
  /** One line in bold, e.g. "Tagging rules file could not be read — the cases were NOT tagged". */
  title: string;
  /** Detail lines (a `file:line:column: message` location first, then what was done instead). */
  lines: string[];
}

/** Details of one row (all fields of a finding, label → text). */
export interface RowDetail {
  row: number;
  title: string;
  /**
   * The row's fields. A value is shown in the editor's monospace font (an address, a path, a hash, a time, a number),
   * unless `prose`: a sentence (a severity and why, a note) in the pane's normal font.
   */
  fields: DetailField[];
  /** Sub-tables such as the reasons of a finding. */
  sections: { title: string; fields: DetailField[] }[];
  canReveal: boolean;
  /**
   * The reveal button's label and tooltip when the source is not a log (a QRadar offenses export: "Reveal in export");
   * "Reveal in log" / "Open the log file at this line" when absent. `disabledTitle`: the tooltip when `canReveal` is
   * false, saying plainly why there is nothing to reveal (an Ariel count: "Counted by QRadar through its API … no export
   * file to reveal"); when absent, "This row is aggregated from many log lines: there is no single line to reveal".
   */
  reveal?: { label: string; title: string; disabledTitle?: string };
  /**
   * The rows of this kind never have a source line to reveal (a beacon pair: aggregated from many connections, the
   * analysis keeps no line of them): the pane shows no reveal button at all rather than one that is always disabled.
   */
  noReveal?: boolean;
  /** Charts of this row (e.g. a beacon pair's interval, hourly and bytes histograms), shown in the detail pane. */
  charts?: ChartSeries[];
  /** Extra detail-pane buttons (e.g. "Safelist this pair"); a click sends `{ type: 'action', row, action: id }`. */
  actions?: { id: string; label: string; icon?: string; title?: string }[];
}

/** One field of a detail pane (see {@link RowDetail.fields}): `prose` values in the normal font, the others monospace. */
export interface DetailField {
  label: string;
  value: string;
  prose?: boolean;
}

/**
 * The outcome of a detail-pane action that changed the data (e.g. "Safelist this pair": the pair
 * left the table). Shown in the detail pane in place of the row, without the row's buttons, so a
 * second click cannot act on the next row. Plain text.
 */
export interface ActionDone {
  /** One line, e.g. "Safelisted: 10.0.0.5 -> 203.0.113.9". */
  title: string;
  lines: string[];
}

// ---------------------------------------------------------------- webview → host
export type FromWebview =
  | { type: 'ready' }
  /**
   * The user pressed Retry on the page of a failed or cancelled load (`loadFailed`): the host drops what it had and
   * re-runs the load; answers with `model`, or with `loadFailed` again.
   */
  | { type: 'retry' }
  /**
   * The user pressed the button of a page whose analysis is gone (`gone` with an `action`): the host runs the command
   * that made the analysis on its inputs again (what it knows of them, never what the page says) and closes this tab
   * once the new dashboard is open.
   */
  | { type: 'rerun' }
  | { type: 'query'; query: TableQuery; offset: number; limit: number }
  | { type: 'detail'; row: number }
  | { type: 'reveal'; row: number }
  | { type: 'exportCsv'; query: TableQuery; columns: string[] }
  | { type: 'copy'; text: string }
  /** Sent after every render: what the webview actually shows (cards by id, table row count). Used by tests and the Results tree. */
  | { type: 'rendered'; cards: Record<string, string>; totalRows: number; visibleRows: number; firstRow?: string[] }
  | { type: 'log'; level: 'info' | 'error'; message: string }
  /** Save a chart as PNG (`dataUrl` = `data:image/png;base64,…` from canvas.toDataURL); the host asks where. */
  | { type: 'savePng'; name: string; dataUrl: string }
  /** Export one small table of the model (by id) to CSV; the host asks where. */
  | { type: 'exportTable'; tableId: string }
  /** Switch the display zone (`UTC`, `local` or an IANA name): the host updates socAnalytics.displayTimeZone. */
  | { type: 'setZone'; zone: string }
  /** A detail-pane action of a row (`RowDetail.actions[].id`); the host delegates it to the analysis kind and answers `ack`. */
  | { type: 'action'; row: number; action: string }
  /**
   * The user changed a view preference remembered across panels (the charts folded or not): the host stores it for
   * the panel's dashboard kind (globalState) and sends it with the next new panel's model. No answer.
   */
  | { type: 'setPrefs'; prefs: DashboardPrefs }
  /** TEST ONLY: answer to a host `probe` (what the document holds; read by test/integration/suite/security.test.ts). */
  | { type: 'probeResult'; probe: WebviewProbe };

/**
 * TEST ONLY: a DOM probe of the dashboard document, sent on request (`ToWebview` `probe`). Lets the
 * security integration test prove that hostile input text was rendered as text and ran nothing.
 */
export interface WebviewProbe {
  /** `document.title` (the model title, literally). */
  title: string;
  /** Whether the marker global `window.__pwned` exists (an injected script would set it). */
  marker: boolean;
  /** Content of the CSP `<meta http-equiv="Content-Security-Policy">`. */
  csp: string;
  /** `<script>` elements of the document: `src`, whether it carries a nonce, the first 120 characters of inline code (VS Code injects its own host script). */
  scripts: { src: string; nonce: boolean; inline: string }[];
  /** Elements carrying any `on*` attribute, and `iframe`/`object`/`embed`/`img`/`svg`/`video`/`audio`/`base`/`form` elements in the app. */
  handlerElements: number;
  foreignElements: string[];
  /** `textContent` of the app (first 2,000,000 characters). */
  text: string;
  /** Text of the detail pane, when the probe opened a row's detail. */
  detailText?: string;
  /** Chart series of that detail as the host sent them (a canvas has no text to read). */
  detailCharts?: { id: string; labels: string[]; values: number[] }[];
  /** The big table's query and the cell texts of its first rows on screen (at most 5), top to bottom. */
  table?: { query: TableQuery; firstRows: string[][] };
}

// ---------------------------------------------------------------- host → webview
export type ToWebview =
  /**
   * `prefs`: the view preferences of this dashboard kind last chosen in any panel; a panel without state of its own (a new one) starts with them.
   * `rowsChanged`: a rebuilt model whose rows are not the ones before (a safelist change left pairs out): row ids now
   * name other rows, so the webview drops its selection and detail pane instead of showing whatever row has the old id.
   */
  | { type: 'model'; model: DashboardModel; prefs?: DashboardPrefs; rowsChanged?: true }
  | {
      type: 'rows';
      /** Matching rows in total (after filters). */
      total: number;
      offset: number;
      /** Row ids (stable index into the host's store) for detail/reveal requests. */
      ids: number[];
      /** Cell text per row, in the order of the dashboard's columns. */
      rows: string[][];
      /** Time the host spent answering, ms. */
      elapsedMs: number;
    }
  | { type: 'detail'; detail: RowDetail }
  /** `done`: answer to an `action` that changed the data (the row left the table): the detail pane shows it instead of the row. */
  | { type: 'ack'; message?: string; done?: ActionDone }
  | { type: 'error'; message: string }
  /**
   * Loading the analysis failed (its inputs are unreadable, the worker failed) or the user cancelled it (`cancelled`):
   * in reply to `ready`/`retry`, or on its own after a refresh. The webview replaces the dashboard with the message
   * (plain text) and a Retry button (sends `retry`). The analysis still exists (a removed one gets a static page).
   */
  | { type: 'loadFailed'; message: string; cancelled?: boolean }
  /**
   * The analysis of this tab is not in the Results view any more (removed, or the workspace's analyses were lost, e.g.
   * a tab restored after a window reload): the page shows `message` (plain text) and, when the host can run the
   * analysis again, a button labelled `action` (sends `rerun`).
   */
  | { type: 'gone'; message: string; action?: string }
  /**
   * Sent on its own (no `inReplyTo`) as soon as the host receives `ready`/`retry` and the dashboard is not built yet:
   * the host is alive and says what it is doing (plain text, e.g. re-running the analysis from its input files, which
   * can take a minute for a large Loki set). A page that gets neither this nor an answer in
   * `HOST_SILENT_MS` (webview/dashboard/main.ts) says the extension is not answering (its host restarted).
   */
  | { type: 'loading'; message: string }
  /**
   * Show the rows a Results-tree row stands for (an offense description, a beacon pair, a Loki host, a tag): the
   * table's facets become `facets` (removable chips, as those of a chart click) and the search, column filters and
   * zoom are cleared (a new question); `openDetail`: the row id whose detail pane opens (the one row of a beacon pair).
   * Posted by the host after the panel's `model` (a freshly opened panel gets it once the model has arrived).
   */
  | { type: 'showRows'; facets: Record<string, string>; openDetail?: number }
  /**
   * Show the small table whose id is `tab` (`notes`, `errors`, `inputs`…): its tab is selected and scrolled into view
   * (a run's notification's *Show Notes* / *Show Errors*). Posted by the host after the panel's `model` (a freshly
   * opened or rebuilt panel gets it once the model has arrived); an id the model has no table of is ignored.
   */
  | { type: 'showTab'; tab: string }
  /**
   * TEST ONLY: asks the webview for a {@link WebviewProbe} (optionally after opening the detail of row `openDetail`,
   * or after clicking the element whose `data-testid` is `click`, e.g. `retry`).
   */
  | { type: 'probe'; openDetail?: number; click?: string };

/**
 * What a Results-tree row asks its dashboard to show (the second argument of `socAnalytics.openAnalysis`): the rows
 * matching every facet (column id → exact value, as a chart click sets), and with `detail` the detail pane of the
 * first of them (meant for a facet set that names one row: a beacon pair).
 */
export interface ShowRowsRequest {
  facets: Record<string, string>;
  detail?: boolean;
}

/** Envelope for every message in both directions. */
export interface Envelope<T> {
  id: number;
  inReplyTo?: number;
  body: T;
}

/**
 * View preferences remembered per dashboard kind across panels (a re-run opens a new panel): the host keeps the last
 * choice made in any panel of that kind (src/core/dashboard-prefs.ts, in the extension's globalState).
 */
export interface DashboardPrefs {
  /** The charts section unfolded (default) or folded away. */
  chartsOpen?: boolean;
}

/** Webview state kept with `setState` (small; the data stays in the host). */
export interface WebviewState {
  analysisId: string;
  /**
   * What made the analysis (core/analysis-identity.ts PanelOrigin), from the page's `data-origin`, kept so that a tab
   * restored after its analysis is gone can offer to run it again; checked by the host (checkPanelOrigin) before use.
   */
  origin?: unknown;
  query: TableQuery;
  /** Main-table columns the user hid (the Columns menu); with `shownColumns`, the user's choices against the model's defaults. */
  hiddenColumns: string[];
  /**
   * Columns hidden by default (`ColumnDef.hidden`) that the user showed. Absent in a state saved by an earlier version,
   * whose `hiddenColumns` was the whole hidden set.
   */
  shownColumns?: string[];
  scrollTop: number;
  selectedRow?: number;
}
