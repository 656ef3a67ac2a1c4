/**
 * A virtual table for very large host-side tables (1,000,000+ rows).
 *
 * - Fixed row height, a pool of absolutely positioned row elements inside a sticky layer: only the
 *   visible rows exist in the DOM.
 * - The scroll range is `total × rowHeight`, scaled down linearly when it exceeds MAX_SCROLL_PX
 *   (browsers cap element heights at ~33.5M px), so every row stays reachable.
 * - Rows are fetched from the host in windows (`fetch(query, offset, limit)`) with a small
 *   overscan, throttled while scrolling; answers to superseded requests are ignored.
 * - Header: click sorts (first direction → the other → none; the first is descending for numbers, see
 *   {@link firstSortOf}); a filter input per column (debounced).
 * - Column widths: drag a header cell's right edge (a double click on it gives the column its own width back), or
 *   Shift+Alt+Left/Right on a focused header cell (±16 px); widths go to `onWidthsChange` to be remembered.
 * - Keyboard: Up/Down/PageUp/PageDown/Home/End move the selection, Enter opens, Ctrl+C / Cmd+C copies the selected
 *   row. The header row and the filter row are one tab stop each (a roving tabindex): Left/Right (Home/End) move
 *   between the column headers, Enter/Space sorts; in the filter row Left/Right at the start/end of a filter's text
 *   move to the previous/next filter; Down/Up move between a column's header and its filter.
 * - Screen readers: one ARIA grid (`.vt-grid`, labelled with the table's title) holds the header rows (column headers,
 *   filter cells) and the body; `aria-rowcount` counts every row of the table plus the two header rows (-1 while the
 *   total is unknown) and each rendered row has the `aria-rowindex` of the row it shows, so a recycled row element
 *   always tells its place. The focus stays on the grid (the composite widget: `aria-activedescendant` is not allowed
 *   on a rowgroup), whose `aria-activedescendant` names the selected row (its id follows the row index, so every move
 *   names another id and is announced). The body (the data rows' rowgroup) scrolls; it is no tab stop of its own, and
 *   a click on it gives the focus to the grid. Keys pressed in a header cell or a filter input are theirs.
 * All cell text is set with textContent.
 */
import { alignsRight, type ColumnDef, type SortSpec, type TableQuery } from '../../src/shared/protocol';
import { clear, debounce, h, icon, visibleText } from './dom';

export interface RowsWindow {
  total: number;
  offset: number;
  ids: number[];
  rows: string[][];
}

export interface VirtualTableOptions {
  columns: ColumnDef[];
  hidden: Set<string>;
  query: TableQuery;
  rowHeight?: number;
  /** Asks the host for a window of rows. */
  fetch(query: TableQuery, offset: number, limit: number): Promise<RowsWindow>;
  onQueryChange?(query: TableQuery): void;
  onSelect?(id: number, index: number): void;
  onOpen?(id: number, index: number): void;
  onScroll?(scrollTop: number): void;
  /** After every render that changed the shown data. */
  onRendered?(total: number, visibleRows: number): void;
  onError?(message: string): void;
  /** Ctrl+C / Cmd+C on the grid: the selected row's visible cells, tab-separated (one line). */
  onCopy?(text: string): void;
  emptyText?: string;
  /** Accessible name of the grid: the table's title, e.g. "Offenses" (default "Rows"). */
  label?: string;
  /** Column widths the user set (px, by column id), e.g. remembered with the panel's state. */
  widths?: Record<string, number>;
  /** After the user resized a column (drag or keys): every width the user set (px, by column id). */
  onWidthsChange?(widths: Record<string, number>): void;
}

/** A column resized by the user is at least this wide, at most {@link MAX_COL_PX} (px). */
export const MIN_COL_PX = 40;
const MAX_COL_PX = 2000;
/** Shift+Alt+Left/Right on a header cell narrows/widens its column by this much (px). */
export const RESIZE_STEP_PX = 16;

/** Rows a table's frame keeps at least when it shrinks to its rows (an empty table shows its note in them). */
const MIN_FIT_ROWS = 3;
/** Keep the scroll range below the browsers' element height limit (~33.5M px). */
export const MAX_SCROLL_PX = 30_000_000;
const OVERSCAN = 20;
const FETCH_THROTTLE_MS = 20;
const FILTER_DEBOUNCE_MS = 200;
/** Left/Right on the grid scroll the body sideways by this much (as the browser's arrow-key scrolling does). */
const KEY_SCROLL_PX = 40;
const MAX_CACHE = 4000;
/** Rows of the grid above the data: the column headers and the filter row (aria-rowindex 1 and 2). */
const HEADER_ROWS = 2;
/** After this long without the rows of a new query (sort, filter, search), the table says it is busy (ms). */
const BUSY_DELAY_MS = 150;

/**
 * Direction of a column's first header click: its own `firstSort`, else the most significant first — descending for
 * number columns and right-aligned quantities (score, count, size, magnitude, a rate or a duration) — and ascending
 * (A→Z, oldest first) for texts and times.
 */
export function firstSortOf(col: Pick<ColumnDef, 'firstSort' | 'type' | 'align'> | undefined): 'asc' | 'desc' {
  if (!col) return 'asc';
  return col.firstSort ?? (alignsRight(col) ? 'desc' : 'asc');
}
/** Tells the row ids of one table from another's. */
let tableSeq = 0;

/**
 * Width a header cell needs to show `title` whole: the text in the header font (measured on a
 * canvas with the body's font, bold), the cell padding and border, and room for the sort arrow
 * (so sorting never cuts the title). Keeps 0 when nothing can be measured.
 */
let measureCtx: CanvasRenderingContext2D | null | undefined;
const headerWidths = new Map<string, number>();
export function headerWidth(title: string): number {
  if (measureCtx === undefined) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return 0;
  const cs = getComputedStyle(document.body);
  const font = `600 ${cs.fontSize || '13px'} ${cs.fontFamily || 'sans-serif'}`;
  const key = `${font}\u0000${title}`;
  let w = headerWidths.get(key);
  if (w === undefined) {
    measureCtx.font = font;
    // 2 × 6 px padding + 1 px border + 2 px gap + 16 px sort arrow, and 2 px for rounding and font hinting
    w = Math.ceil(measureCtx.measureText(title).width) + 33;
    headerWidths.set(key, w);
  }
  return w;
}

interface CachedRow {
  id: number;
  cells: string[];
}

interface PooledRow {
  el: HTMLDivElement;
  cells: HTMLDivElement[];
  index: number;
}

export class VirtualTable {
  readonly el: HTMLDivElement;
  /** The ARIA grid: the header rows and the body. */
  private readonly grid: HTMLDivElement;
  private readonly idPrefix = `vt${++tableSeq}`;
  private readonly head: HTMLDivElement;
  private readonly headInner: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly rowHeight: number;

  private columns: ColumnDef[];
  private hidden: Set<string>;
  /** Widths the user set (drag or keys), px by column id; the others keep their model width. */
  private readonly userWidths: Map<string, number>;
  private visibleCols: { col: ColumnDef; index: number; width: number }[] = [];
  private query: TableQuery;

  private total = 0;
  private loaded = false;
  private cache = new Map<number, CachedRow>();
  private pool: PooledRow[] = [];
  private generation = 0;
  private reqSeq = 0;
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingScrollTop: number | undefined;
  private clientHeight = 0;
  private lastRenderedKey = '';
  private baseWidth = 0;
  private extraWidth = -1;

  private selectedIndex = -1;
  private selectedIdValue: number | undefined;
  private pendingSelectIndex = -1;

  private readonly filterInputs = new Map<string, HTMLInputElement>();
  /** The small "Sorting…" / "Loading…" status shown while a new query's rows are pending. */
  private readonly busy: HTMLDivElement;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the pending query changed: the status says "Sorting…" for a new sort, "Loading…" otherwise. */
  private busyText = 'Loading…';
  /** The column of the header cell and of the filter that are the tab stops of their rows (roving tabindex). */
  private headStop: string | undefined;
  private filterStop: string | undefined;

  constructor(private readonly opts: VirtualTableOptions) {
    this.rowHeight = opts.rowHeight ?? 22;
    this.columns = opts.columns;
    this.hidden = new Set(opts.hidden);
    this.userWidths = new Map(Object.entries(opts.widths ?? {}).filter(([, w]) => Number.isFinite(w) && w >= MIN_COL_PX && w <= MAX_COL_PX));
    this.query = structuredClone(opts.query ?? {});

    this.headInner = h('div', { class: 'vt-head-inner', role: 'rowgroup' });
    this.head = h('div', { class: 'vt-head' }, this.headInner);
    this.layer = h('div', { class: 'vt-layer' });
    this.spacer = h('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
    // the body is the row group of the data rows and the scroll container; tabindex -1: Chromium makes a scroller
    // with nothing focusable in it a tab stop of its own, and the grid is the one tab stop of the table
    this.body = h('div', { class: 'vt-body', tabindex: -1, role: 'rowgroup' }, this.layer, this.spacer);
    // the grid is the focus target (keys, aria-activedescendant: valid on a composite widget, not on a rowgroup)
    this.grid = h(
      'div',
      {
        class: 'vt-grid',
        role: 'grid',
        tabindex: 0,
        'aria-label': opts.label ?? 'Rows',
        'aria-multiselectable': 'false',
        'aria-rowcount': -1,
        'aria-busy': 'true',
      },
      this.head,
      this.body,
    );
    // the "no rows" note: a status outside the grid, always in the tree (a live region shown only when it is needed
    // would not be announced), its text set while the table is empty
    this.empty = h('div', { class: 'vt-empty', role: 'status', 'data-testid': 'table-empty' });
    // the busy note: a status outside the grid too (always in the tree), its text set while a new query is pending
    this.busy = h('div', { class: 'vt-busy', role: 'status', 'data-testid': 'table-busy' });
    this.el = h('div', { class: 'vt' }, this.grid, this.empty, this.busy);

    this.body.addEventListener('scroll', () => this.onBodyScroll(), { passive: true });
    this.grid.addEventListener('keydown', (e) => {
      // only the grid's own keys: a header cell (Enter sorts) or a filter input (arrows move the caret) keeps its own
      if (e.target === this.grid) this.onKey(e);
    });
    // a click on the body (a row, the scroll bar) focuses it (tabindex -1): the focus goes to the grid
    this.body.addEventListener('focus', () => this.focus());
    this.layer.addEventListener('click', (e) => this.onRowClick(e, false));
    this.layer.addEventListener('dblclick', (e) => this.onRowClick(e, true));
    new ResizeObserver(() => this.layout()).observe(this.body);

    this.buildColumns();
    this.reset(0);
  }

  // ------------------------------------------------------------------ public API

  getQuery(): TableQuery {
    return structuredClone(this.query);
  }

  /** Replaces the query (resets cache, scroll position and selection index). */
  setQuery(q: TableQuery, opts: { keepScroll?: boolean; silent?: boolean } = {}): void {
    this.busyText = JSON.stringify(q.sort) !== JSON.stringify(this.query.sort) ? 'Sorting…' : 'Loading…';
    this.query = structuredClone(q);
    this.syncFilterInputs();
    this.updateSortIndicators();
    this.reset(opts.keepScroll ? this.body.scrollTop : 0);
    if (!opts.silent) this.opts.onQueryChange?.(this.getQuery());
  }

  updateQuery(patch: Partial<TableQuery>): void {
    const q: TableQuery = { ...this.query, ...patch };
    for (const k of Object.keys(q) as (keyof TableQuery)[]) {
      const v = q[k];
      if (v === undefined || v === '' || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) delete q[k];
    }
    this.setQuery(q);
  }

  setColumns(columns: ColumnDef[], hidden: Set<string>): void {
    this.columns = columns;
    this.hidden = new Set(hidden);
    this.buildColumns();
    this.lastRenderedKey = '';
    this.render();
  }

  setHidden(hidden: Set<string>): void {
    this.setColumns(this.columns, hidden);
  }

  visibleColumnIds(): string[] {
    return this.visibleCols.map((v) => v.col.id);
  }

  /**
   * The px the table needs to show its columns whole from its left edge through the last shown one of `ids` (at their
   * current widths, the user's included), plus its frame (borders) and its body's vertical scroll bar; 0 when none of
   * `ids` is shown or the table is not laid out.
   */
  widthThrough(ids: ReadonlySet<string>): number {
    let x = 0;
    let end = 0;
    for (const v of this.visibleCols) {
      x += v.width;
      if (ids.has(v.col.id)) end = x;
    }
    if (!end || this.el.getClientRects().length === 0) return 0;
    return end + Math.max(0, this.el.offsetWidth - this.body.clientWidth);
  }

  /** Re-fetches the current window (same query), keeping the scroll position. */
  refresh(): void {
    this.reset(this.body.scrollTop);
  }

  /** Restores a scroll position once the total is known. */
  restoreScroll(scrollTop: number): void {
    if (this.loaded) this.setScrollTop(scrollTop);
    else this.pendingScrollTop = scrollTop;
  }

  get scrollTop(): number {
    return this.body.scrollTop;
  }

  get totalRows(): number {
    return this.total;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get selectedId(): number | undefined {
    return this.selectedIdValue;
  }

  /** Marks a row id as selected (e.g. restored from state); no callback. */
  setSelectedId(id: number | undefined): void {
    this.selectedIdValue = id;
    this.selectedIndex = -1;
    if (id !== undefined) for (const [i, r] of this.cache) if (r.id === id) this.selectedIndex = i;
    this.paintSelection();
  }

  focus(): void {
    this.grid.focus({ preventScroll: true });
  }

  /** Scrolls so that the row at `index` is visible. */
  scrollToIndex(index: number): void {
    const rh = this.rowHeight;
    const vt = this.virtualTop();
    const top = index * rh;
    let next = vt;
    if (top < vt) next = top;
    else if (top + rh > vt + this.clientHeight) next = top + rh - this.clientHeight;
    if (next !== vt) this.setVirtualTop(next);
  }

  // ------------------------------------------------------------------ columns & header

  private buildColumns(): void {
    this.visibleCols = [];
    this.columns.forEach((col, index) => {
      if (!this.hidden.has(col.id)) this.visibleCols.push({ col, index, width: this.userWidths.get(col.id) ?? this.modelWidth(col) });
    });
    this.baseWidth = this.visibleCols.reduce((s, c) => s + c.width, 0);
    this.extraWidth = -1;

    clear(this.headInner);
    this.filterInputs.clear();
    if (!this.visibleCols.some((v) => v.col.id === this.headStop)) this.headStop = this.visibleCols[0]?.col.id;
    if (!this.visibleCols.some((v) => v.col.id === this.filterStop)) this.filterStop = this.visibleCols[0]?.col.id;
    const hrow = h('div', { class: 'vt-hrow', role: 'row', 'aria-rowindex': 1 });
    const frow = h('div', { class: 'vt-frow', role: 'row', 'aria-rowindex': 2 });
    for (const { col, width } of this.visibleCols) {
      const label = h('span', { class: 'vt-htitle' }, col.title);
      const sortIcon = h('span', { class: 'vt-sort' });
      const cell = h(
        'div',
        {
          class: `vt-hcell${alignsRight(col) ? ' num' : ''}`,
          role: 'columnheader',
          tabindex: col.id === this.headStop ? 0 : -1,
          title: `${col.description ? `${col.title}: ${col.description}` : col.title} — click to sort; drag its right edge or Shift+Alt+← → to resize`,
          'data-testid': `col-${col.id}`,
          'data-col': col.id,
        },
        label,
        sortIcon,
      );
      cell.style.width = `${width}px`;
      cell.appendChild(this.resizeGrip(col.id));
      cell.addEventListener('click', () => this.cycleSort(col.id));
      cell.addEventListener('focus', () => this.setStop('head', col.id));
      cell.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.cycleSort(col.id);
        } else if (e.shiftKey && e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
          e.preventDefault();
          e.stopPropagation();
          const cur = this.visibleCols.find((v) => v.col.id === col.id)?.width ?? this.modelWidth(col);
          this.setColumnWidth(col.id, cur + (e.key === 'ArrowRight' ? RESIZE_STEP_PX : -RESIZE_STEP_PX));
          this.commitWidths();
        } else if (!e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) this.onHeadKey(e, 'head', col.id);
      });
      hrow.appendChild(cell);

      const input = h('input', {
        class: 'vt-filter',
        type: 'text',
        placeholder: 'Filter',
        spellcheck: 'false',
        'aria-label': `Filter ${col.title}`,
        'data-testid': `filter-${col.id}`,
        tabindex: col.id === this.filterStop ? 0 : -1,
      });
      input.addEventListener('focus', () => this.setStop('filter', col.id));
      input.value = this.query.columnFilters?.[col.id] ?? '';
      const apply = debounce(() => {
        const filters = { ...(this.query.columnFilters ?? {}) };
        if (input.value.trim()) filters[col.id] = input.value;
        else delete filters[col.id];
        this.updateQuery({ columnFilters: filters });
      }, FILTER_DEBOUNCE_MS);
      input.addEventListener('input', () => apply());
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') apply.flush();
        if (e.key === 'Escape' && input.value) {
          input.value = '';
          apply();
          apply.flush();
        }
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        // Left/Right leave the filter only from the edge of its text (else they move the caret); Up goes to the header
        const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
        const atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
        if ((e.key === 'ArrowLeft' && atStart) || (e.key === 'ArrowRight' && atEnd) || e.key === 'ArrowUp') this.onHeadKey(e, 'filter', col.id);
      });
      this.filterInputs.set(col.id, input);
      const fcell = h('div', { class: 'vt-fcell', role: 'gridcell' }, input);
      fcell.style.width = `${width}px`;
      frow.appendChild(fcell);
    }
    this.headInner.append(hrow, frow);
    this.grid.setAttribute('aria-colcount', String(this.visibleCols.length));
    this.updateSortIndicators();

    // rebuild the pool with the new cell count
    clear(this.layer);
    this.pool = [];
    this.applyWidths();
  }

  /** A column's own width (the model's, else 80 px for numbers and 160 px for text; never narrower than its title). */
  private modelWidth(col: ColumnDef): number {
    return Math.max(col.width ?? (col.type === 'number' ? 80 : 160), headerWidth(col.title));
  }

  /**
   * The drag handle on a header cell's right edge: a pointer drag sets the column's width (the table follows as it
   * moves), a double click gives the column its own width back. Its clicks never sort.
   */
  private resizeGrip(column: string): HTMLElement {
    const grip = h('span', { class: 'vt-resize', 'aria-hidden': 'true', 'data-testid': `resize-${column}` });
    grip.addEventListener('click', (e) => e.stopPropagation());
    grip.addEventListener('dblclick', (e) => {
      e.stopPropagation();
      if (!this.userWidths.has(column)) return;
      this.userWidths.delete(column);
      const col = this.columns.find((c) => c.id === column);
      if (col) this.setColumnWidth(column, this.modelWidth(col), false);
      this.commitWidths();
    });
    grip.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      e.stopPropagation();
      const start = e.clientX;
      const startWidth = this.visibleCols.find((v) => v.col.id === column)?.width ?? 0;
      grip.setPointerCapture(e.pointerId);
      grip.classList.add('dragging');
      const move = (ev: PointerEvent) => this.setColumnWidth(column, startWidth + ev.clientX - start);
      const end = () => {
        grip.removeEventListener('pointermove', move);
        grip.removeEventListener('pointerup', end);
        grip.removeEventListener('pointercancel', end);
        grip.classList.remove('dragging');
        this.commitWidths();
      };
      grip.addEventListener('pointermove', move);
      grip.addEventListener('pointerup', end);
      grip.addEventListener('pointercancel', end);
    });
    return grip;
  }

  /**
   * Sets a shown column's width (px, clamped to {@link MIN_COL_PX}…2000) in its header cell, filter cell and every
   * pooled row, and keeps it as the user's width unless `user` is false. No rows are fetched or re-rendered.
   */
  private setColumnWidth(column: string, px: number, user = true): void {
    const vi = this.visibleCols.findIndex((v) => v.col.id === column);
    if (vi < 0) return;
    const w = Math.round(Math.min(MAX_COL_PX, Math.max(MIN_COL_PX, px)));
    if (user) this.userWidths.set(column, w);
    if (this.visibleCols[vi].width === w) return;
    this.visibleCols[vi].width = w;
    this.baseWidth = this.visibleCols.reduce((s, c) => s + c.width, 0);
    const px_ = `${w}px`;
    const hcell = this.headInner.querySelectorAll<HTMLElement>('.vt-hcell')[vi];
    const fcell = this.headInner.querySelectorAll<HTMLElement>('.vt-fcell')[vi];
    if (hcell) hcell.style.width = px_;
    if (fcell) fcell.style.width = px_;
    for (const pr of this.pool) if (pr.cells[vi]) pr.cells[vi].style.width = px_;
    this.extraWidth = -1;
    this.applyWidths();
  }

  private commitWidths(): void {
    this.opts.onWidthsChange?.(Object.fromEntries(this.userWidths));
  }

  /** The last column stretches to fill the viewport when the columns are narrower than it. */
  private applyWidths(): void {
    const avail = this.body.clientWidth;
    const extra = avail > 0 ? Math.max(0, avail - this.baseWidth) : 0;
    if (extra === this.extraWidth) return;
    this.extraWidth = extra;
    const total = this.baseWidth + extra;
    this.headInner.style.width = `${total}px`;
    this.layer.style.width = `${total}px`;
    this.spacer.style.width = `${total}px`;
    const last = this.visibleCols.length - 1;
    if (last < 0) return;
    const w = `${this.visibleCols[last].width + extra}px`;
    const hcells = this.headInner.querySelectorAll<HTMLElement>('.vt-hcell');
    const fcells = this.headInner.querySelectorAll<HTMLElement>('.vt-fcell');
    if (hcells[last]) hcells[last].style.width = w;
    if (fcells[last]) fcells[last].style.width = w;
    for (const pr of this.pool) if (pr.cells[last]) pr.cells[last].style.width = w;
  }

  private syncFilterInputs(): void {
    for (const [id, input] of this.filterInputs) {
      const v = this.query.columnFilters?.[id] ?? '';
      if (input.value !== v && document.activeElement !== input) input.value = v;
    }
  }

  /** Makes the header cell or the filter of `column` its row's one tab stop. */
  private setStop(row: 'head' | 'filter', column: string): void {
    if (row === 'head') this.headStop = column;
    else this.filterStop = column;
    if (row === 'head') for (const el of this.headInner.querySelectorAll<HTMLElement>('.vt-hcell')) el.tabIndex = el.getAttribute('data-col') === column ? 0 : -1;
    else for (const [id, input] of this.filterInputs) input.tabIndex = id === column ? 0 : -1;
  }

  /**
   * Arrow keys in the header rows (a roving tabindex): Left/Right (and Home/End on a header cell) move to another
   * column's cell of the same row, Down from a header cell to its filter, Up from a filter to its header. The cell
   * moved to is scrolled into view with the body (the header follows the body's sideways scroll).
   */
  private onHeadKey(e: KeyboardEvent, row: 'head' | 'filter', column: string): void {
    const i = this.visibleCols.findIndex((v) => v.col.id === column);
    const last = this.visibleCols.length - 1;
    let to = i;
    let toRow = row;
    if (e.key === 'ArrowLeft') to = Math.max(0, i - 1);
    else if (e.key === 'ArrowRight') to = Math.min(last, i + 1);
    else if (e.key === 'Home' && row === 'head') to = 0;
    else if (e.key === 'End' && row === 'head') to = last;
    else if (e.key === 'ArrowDown' && row === 'head') toRow = 'filter';
    else if (e.key === 'ArrowUp' && row === 'filter') toRow = 'head';
    else return;
    e.preventDefault();
    if (i < 0 || (to === i && toRow === row)) return;
    const id = this.visibleCols[to].col.id;
    const target = toRow === 'head' ? this.headInner.querySelector<HTMLElement>(`.vt-hcell[data-col="${CSS.escape(id)}"]`) : this.filterInputs.get(id);
    if (!target) return;
    target.focus({ preventScroll: true });
    const cell = toRow === 'head' ? target : (target.parentElement as HTMLElement);
    const left = cell.offsetLeft;
    const right = left + cell.offsetWidth;
    const view = this.body.clientWidth;
    if (left < this.body.scrollLeft) this.body.scrollLeft = left;
    else if (right > this.body.scrollLeft + view) this.body.scrollLeft = Math.min(left, right - view);
    this.head.scrollLeft = this.body.scrollLeft;
  }

  /** Header click: the column's first direction ({@link firstSortOf}), then the other one, then no sort. */
  private cycleSort(column: string): void {
    const cur = this.query.sort;
    const first = firstSortOf(this.columns.find((c) => c.id === column));
    const second = first === 'asc' ? 'desc' : 'asc';
    let next: SortSpec | undefined;
    if (!cur || cur.column !== column) next = { column, dir: first };
    else if (cur.dir === first) next = { column, dir: second };
    else next = undefined;
    this.updateQuery({ sort: next });
  }

  private updateSortIndicators(): void {
    for (const cell of this.headInner.querySelectorAll<HTMLElement>('.vt-hcell')) {
      const id = cell.getAttribute('data-col');
      const s = this.query.sort && this.query.sort.column === id ? this.query.sort.dir : undefined;
      cell.setAttribute('aria-sort', s === 'asc' ? 'ascending' : s === 'desc' ? 'descending' : 'none');
      cell.classList.toggle('sorted', !!s);
      const slot = cell.querySelector('.vt-sort');
      if (slot) {
        clear(slot);
        if (s) slot.appendChild(icon(s === 'asc' ? 'arrow-up' : 'arrow-down'));
      }
    }
  }

  // ------------------------------------------------------------------ scrolling geometry

  private contentHeight(): number {
    return this.total * this.rowHeight;
  }

  /** Height of the scrollable range (scaled when the content is too tall). */
  private scrollHeight(): number {
    return Math.max(Math.min(this.contentHeight(), MAX_SCROLL_PX), this.clientHeight);
  }

  private ratio(): number {
    const maxScroll = this.scrollHeight() - this.clientHeight;
    const maxVirtual = this.contentHeight() - this.clientHeight;
    return maxScroll > 0 && maxVirtual > 0 ? maxVirtual / maxScroll : 1;
  }

  /** Top of the viewport in unscaled content pixels. */
  private virtualTop(): number {
    const maxVirtual = Math.max(0, this.contentHeight() - this.clientHeight);
    return Math.min(maxVirtual, Math.max(0, this.body.scrollTop * this.ratio()));
  }

  private setVirtualTop(v: number): void {
    this.setScrollTop(v / this.ratio());
  }

  private setScrollTop(px: number): void {
    this.body.scrollTop = px;
    this.render();
  }

  /**
   * A table with fewer rows than its frame holds shrinks to them: `--vt-fit` (the header, the rows — at least
   * {@link MIN_FIT_ROWS}, room for the "no rows" note —, a horizontal scroll bar and the borders) is the frame's
   * max-height (styles.css). A large table's is taller than any frame: no change, it scrolls as before.
   */
  private fitFrame(): void {
    if (!this.loaded) return;
    const bar = this.body.offsetHeight - this.body.clientHeight;
    const borders = this.el.offsetHeight - this.el.clientHeight;
    const px = Math.ceil(this.head.getBoundingClientRect().height) + Math.max(this.total, MIN_FIT_ROWS) * this.rowHeight + Math.max(0, bar) + Math.max(0, borders);
    const v = `${Math.min(px, MAX_SCROLL_PX)}px`;
    if (this.el.style.getPropertyValue('--vt-fit') !== v) this.el.style.setProperty('--vt-fit', v);
  }

  private layout(): void {
    this.applyWidths();
    this.fitFrame();
    this.clientHeight = this.body.clientHeight;
    this.layer.style.height = `${this.clientHeight}px`;
    this.spacer.style.height = `${Math.max(0, this.scrollHeight() - this.clientHeight)}px`;
    this.head.scrollLeft = this.body.scrollLeft;
    this.render();
  }

  private onBodyScroll(): void {
    this.head.scrollLeft = this.body.scrollLeft;
    this.render();
    this.opts.onScroll?.(this.body.scrollTop);
  }

  // ------------------------------------------------------------------ data

  private reset(scrollTop: number): void {
    this.generation++;
    this.cache.clear();
    this.loaded = false;
    this.selectedIndex = -1;
    this.pendingSelectIndex = -1;
    this.pendingScrollTop = scrollTop;
    this.lastRenderedKey = '';
    this.setLoading(true);
    this.fetchNow(0, this.windowSize());
  }

  /**
   * Loading a new query: the frame dims (styles.css), the grid is busy and its row count unknown until the answer.
   * When the answer takes longer than {@link BUSY_DELAY_MS} (a sort of a million rows), a "Sorting…" (or "Loading…")
   * status is shown over the dimmed rows (UI review: the old order under a flipped arrow read as sorted).
   */
  private setLoading(loading: boolean): void {
    this.el.classList.toggle('loading', loading);
    if (loading) this.grid.setAttribute('aria-busy', 'true');
    else this.grid.removeAttribute('aria-busy');
    this.grid.setAttribute('aria-rowcount', String(this.loaded ? this.total + HEADER_ROWS : -1));
    if (this.busyTimer !== undefined) clearTimeout(this.busyTimer);
    this.busyTimer = undefined;
    if (loading) {
      this.busyTimer = setTimeout(() => {
        this.busyTimer = undefined;
        this.el.classList.add('busy');
        this.busy.textContent = this.busyText;
      }, BUSY_DELAY_MS);
    } else {
      this.el.classList.remove('busy');
      if (this.busy.textContent) this.busy.textContent = '';
    }
  }

  private windowSize(): number {
    return Math.ceil(Math.max(this.clientHeight, 600) / this.rowHeight) + 2 * OVERSCAN;
  }

  private scheduleFetch(): void {
    if (this.fetchTimer !== undefined) return; // throttle: keep the pending timer
    this.fetchTimer = setTimeout(() => {
      this.fetchTimer = undefined;
      const first = Math.floor(this.virtualTop() / this.rowHeight);
      const count = Math.ceil(this.clientHeight / this.rowHeight) + 1;
      const offset = Math.max(0, first - OVERSCAN);
      this.fetchNow(offset, count + 2 * OVERSCAN);
    }, FETCH_THROTTLE_MS);
  }

  private fetchNow(offset: number, limit: number): void {
    const seq = ++this.reqSeq;
    const gen = this.generation;
    this.opts
      .fetch(this.getQuery(), offset, limit)
      .then((w) => {
        // Stale: a newer request was issued meanwhile, or the query changed.
        if (seq !== this.reqSeq || gen !== this.generation) return;
        this.applyWindow(w);
      })
      .catch((e: unknown) => {
        if (gen !== this.generation) return;
        this.setLoading(false);
        this.opts.onError?.(e instanceof Error ? e.message : String(e));
      });
  }

  private applyWindow(w: RowsWindow): void {
    const totalChanged = w.total !== this.total || !this.loaded;
    this.total = w.total;
    this.loaded = true;
    this.setLoading(false);
    if (this.cache.size + w.ids.length > MAX_CACHE) this.cache.clear();
    for (let i = 0; i < w.ids.length; i++) this.cache.set(w.offset + i, { id: w.ids[i], cells: w.rows[i] });
    if (totalChanged) this.layout();
    if (this.pendingScrollTop !== undefined) {
      const st = this.pendingScrollTop;
      this.pendingScrollTop = undefined;
      this.body.scrollTop = st;
    }
    if (this.selectedIdValue !== undefined && this.selectedIndex < 0) {
      for (let i = 0; i < w.ids.length; i++) if (w.ids[i] === this.selectedIdValue) this.selectedIndex = w.offset + i;
    }
    if (this.pendingSelectIndex >= 0 && this.cache.has(this.pendingSelectIndex)) {
      const idx = this.pendingSelectIndex;
      this.pendingSelectIndex = -1;
      this.select(idx);
    }
    this.lastRenderedKey = '';
    this.render();
  }

  // ------------------------------------------------------------------ rendering

  private makeRow(): PooledRow {
    const el = h('div', { class: 'vt-row', role: 'row', 'data-testid': 'row' });
    el.style.height = `${this.rowHeight}px`;
    const cells: HTMLDivElement[] = [];
    const last = this.visibleCols.length - 1;
    for (const [ci, { col, width }] of this.visibleCols.entries()) {
      const c = h('div', { class: `vt-cell${alignsRight(col) ? ' num' : ''}`, role: 'gridcell' });
      c.style.width = `${width + (ci === last ? Math.max(0, this.extraWidth) : 0)}px`;
      cells.push(c);
      el.appendChild(c);
    }
    this.layer.appendChild(el);
    return { el, cells, index: -1 };
  }

  private render(): void {
    const rh = this.rowHeight;
    const empty = this.loaded && this.total === 0;
    const note = empty ? (this.opts.emptyText ?? 'No rows match.') : '';
    if (this.empty.textContent !== note) this.empty.textContent = note;
    if (this.clientHeight <= 0) return;
    const vt = this.virtualTop();
    const first = Math.floor(vt / rh);
    const count = Math.min(Math.ceil(this.clientHeight / rh) + 1, Math.max(0, this.total - first));
    while (this.pool.length < count) this.pool.push(this.makeRow());

    let missing = false;
    let withData = 0;
    for (let k = 0; k < this.pool.length; k++) {
      const pr = this.pool[k];
      if (k >= count || !this.loaded) {
        if (!pr.el.hidden) pr.el.hidden = true;
        pr.index = -1;
        pr.el.removeAttribute('id');
        continue;
      }
      const index = first + k;
      pr.el.hidden = false;
      pr.el.style.transform = `translateY(${index * rh - vt}px)`;
      const row = this.cache.get(index);
      if (!row) missing = true;
      else withData++;
      const key = row ? row.id : -1;
      if (pr.index !== index || pr.el.getAttribute('data-id') !== String(key)) {
        pr.index = index;
        pr.el.setAttribute('data-index', String(index));
        pr.el.setAttribute('aria-rowindex', String(index + 1 + HEADER_ROWS));
        // the id follows the row index (not the pooled element), so no two rows share one and each move names another
        pr.el.id = this.rowId(index);
        if (row) {
          pr.el.setAttribute('data-id', String(row.id));
          pr.el.classList.remove('placeholder');
          this.visibleCols.forEach((vc, ci) => {
            const text = visibleText(row.cells[vc.index] ?? '');
            const cell = pr.cells[ci];
            if (cell.textContent !== text) cell.textContent = text;
            if (text.length > 20) cell.setAttribute('title', text);
            else cell.removeAttribute('title');
          });
        } else {
          pr.el.setAttribute('data-id', '-1');
          pr.el.classList.add('placeholder');
          for (const cell of pr.cells) {
            cell.textContent = '';
            cell.removeAttribute('title');
          }
        }
      }
      const sel = row !== undefined && row.id === this.selectedIdValue;
      pr.el.classList.toggle('selected', sel);
      pr.el.setAttribute('aria-selected', sel ? 'true' : 'false');
    }
    this.syncActiveDescendant();
    if (missing && this.loaded) this.scheduleFetch();

    const key = `${this.generation}:${this.total}:${first}:${withData}`;
    if (key !== this.lastRenderedKey && this.loaded && !missing) {
      this.lastRenderedKey = key;
      this.opts.onRendered?.(this.total, withData);
    }
  }

  private paintSelection(): void {
    for (const pr of this.pool) {
      const id = Number(pr.el.getAttribute('data-id'));
      const sel = !pr.el.hidden && id >= 0 && id === this.selectedIdValue;
      pr.el.classList.toggle('selected', sel);
      pr.el.setAttribute('aria-selected', sel ? 'true' : 'false');
    }
    this.syncActiveDescendant();
  }

  private rowId(index: number): string {
    return `${this.idPrefix}-row-${index}`;
  }

  /** The grid's aria-activedescendant: the rendered selected row, none while it is not rendered. */
  private syncActiveDescendant(): void {
    const pr = this.pool.find((p) => !p.el.hidden && p.index >= 0 && p.el.classList.contains('selected'));
    const id = pr ? this.rowId(pr.index) : undefined;
    if (id === undefined) this.grid.removeAttribute('aria-activedescendant');
    else if (this.grid.getAttribute('aria-activedescendant') !== id) this.grid.setAttribute('aria-activedescendant', id);
  }

  // ------------------------------------------------------------------ selection & keyboard

  private select(index: number): void {
    if (this.total === 0) return;
    index = Math.max(0, Math.min(this.total - 1, index));
    this.selectedIndex = index;
    this.scrollToIndex(index);
    const row = this.cache.get(index);
    if (!row) {
      this.pendingSelectIndex = index;
      this.scheduleFetch();
      return;
    }
    this.selectedIdValue = row.id;
    this.paintSelection();
    this.opts.onSelect?.(row.id, index);
  }

  private onRowClick(e: MouseEvent, open: boolean): void {
    const rowEl = (e.target as HTMLElement).closest('.vt-row');
    if (!rowEl) return;
    const index = Number(rowEl.getAttribute('data-index'));
    if (!Number.isFinite(index) || index < 0) return;
    this.focus();
    if (index !== this.selectedIndex || this.cache.get(index)?.id !== this.selectedIdValue) this.select(index);
    if (open && this.selectedIdValue !== undefined) this.opts.onOpen?.(this.selectedIdValue, index);
  }

  /** Ctrl+C on the grid: the selected row's visible cells (as shown), tab-separated, to `onCopy` (the host's clipboard). */
  private copySelected(e: KeyboardEvent): void {
    if (!this.opts.onCopy || this.selectedIndex < 0) return;
    if (window.getSelection()?.toString()) return; // text the user selected in the page: the browser copies that
    const row = this.cache.get(this.selectedIndex);
    if (!row || row.id !== this.selectedIdValue) return;
    e.preventDefault();
    this.opts.onCopy(this.visibleCols.map((vc) => visibleText(row.cells[vc.index] ?? '').replace(/[\t\r\n]+/g, ' ')).join('\t'));
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.clientHeight / this.rowHeight) - 1);
    const cur = this.selectedIndex >= 0 ? this.selectedIndex : Math.floor(this.virtualTop() / this.rowHeight) - 1;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = cur + 1;
        break;
      case 'ArrowUp':
        next = Math.max(0, cur - 1);
        break;
      case 'PageDown':
        next = cur + page;
        break;
      case 'PageUp':
        next = Math.max(0, cur - page);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.total - 1;
        break;
      case 'c':
      case 'C':
        if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) this.copySelected(e);
        return;
      case 'Enter':
        if (this.selectedIdValue !== undefined) {
          e.preventDefault();
          this.opts.onOpen?.(this.selectedIdValue, this.selectedIndex);
        }
        return;
      // the keys the browser scrolled the focused body with: the grid (not a scroller) scrolls it as they did
      case 'ArrowLeft':
      case 'ArrowRight':
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        this.body.scrollLeft += e.key === 'ArrowLeft' ? -KEY_SCROLL_PX : KEY_SCROLL_PX;
        return;
      case ' ':
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        this.body.scrollTop += (e.shiftKey ? -1 : 1) * Math.max(this.rowHeight, this.body.clientHeight * 0.875);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (this.total > 0) this.select(next);
  }
}
