/**
 * Host-side table store: keeps all rows, answers sorted/filtered windows (the webview never holds
 * the whole table). OWNER: analytics helper.
 *
 * Designed for ~1,000,000 rows:
 * - every column's display text is computed once, lazily; low-cardinality columns are interned
 *   (a `Uint32Array` of codes per row plus the distinct strings), so a substring filter tests each
 *   *distinct* value once, then one array lookup per row;
 * - every column's sort order is computed once, lazily: keys are ranked (numbers through a sorted
 *   `Float64Array`, text through one `Intl.Collator` pass over the distinct values) and the rows are
 *   counting-sorted by rank into a permutation (`Uint32Array`, stable: ties keep row order).
 *   A sorted + filtered result is then one linear pass over that permutation;
 * - the result of a query (a `Uint32Array` of row ids) is cached per query key, so scrolling
 *   (repeated windows of the same query) costs only the formatting of the visible rows.
 */
import type { ColumnDef, TableQuery } from '../../shared/protocol';
import { isoUtc } from '../time';

export interface StoreColumn<T> extends ColumnDef {
  /** Cell value: numbers sort numerically; text is shown as is (never as HTML). */
  get(row: T): string | number | undefined;
  /** Display text (defaults to String(get(row)) or ''; NaN shows as ''). */
  format?(row: T): string;
  /**
   * CSV export writes the value (`get`), not the display text: for numbers shown with thousands separators
   * ({@link groupedInt}), which would be text (`505,546`) in a spreadsheet.
   */
  exportRaw?: boolean;
  /**
   * The number CSV export writes instead of the display text, for a formatted quantity (a share shown `12.3%`
   * exports as 12.3 under its {@link ColumnDef.exportTitle} `Share (%)`); `undefined` exports as an empty field.
   */
  exportNumber?(row: T): number | undefined;
  /**
   * Facet matching (`TableQuery.facets[column] = value`). Default: the display text equals `value`
   * exactly. Define it when a row can belong to several facet values (e.g. a finding's `rule`
   * column lists several rules: the facet matches when ANY of them equals the value).
   */
  matches?(row: T, value: string): boolean;
  /**
   * Sort key, when it differs from `get` (e.g. a level column sorting by severity). Numbers sort
   * numerically, anything else as text: case-insensitive and numeric-aware (`Intl.Collator`, so
   * `host2` < `host10`) when the column has at most {@link INTERN_LIMIT} distinct values, else by
   * code units of the lower-cased text. `undefined`, `''` and NaN sort last in both directions.
   */
  sortKey?(row: T): string | number | undefined;
}

/** Header of a column in a CSV export: its {@link ColumnDef.exportTitle}, else its title. */
export function exportHeader(col: ColumnDef): string {
  return col.exportTitle ?? col.title;
}

/**
 * The columns an Export CSV of a big table writes: the chosen ones (the shown columns, in their order), and each
 * {@link ColumnDef.alwaysExported} column not among them (a finding's hashes, hidden by default), put right after the
 * nearest column before it in the table's order that is written (at the start when none is). With no column chosen:
 * the columns not hidden, and the always-exported ones.
 */
export function exportColumns<C extends ColumnDef>(all: readonly C[], chosenIds: readonly string[]): C[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const out = chosenIds.map((id) => byId.get(String(id))).filter((c): c is C => !!c);
  if (!out.length) out.push(...all.filter((c) => !c.hidden));
  all.forEach((c, k) => {
    if (!c.alwaysExported || out.includes(c)) return;
    let at = 0;
    for (let j = k - 1; j >= 0; j--) {
      const i = out.indexOf(all[j]);
      if (i >= 0) {
        at = i + 1;
        break;
      }
    }
    out.splice(at, 0, c);
  });
  return out;
}

/** Display text of one cell (see {@link StoreColumn.format}). */
export function cellText<T>(col: StoreColumn<T>, row: T): string {
  if (col.format) return col.format(row) ?? '';
  const v = col.get(row);
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' && Number.isNaN(v)) return '';
  return String(v);
}

/**
 * A number's display text with thousands separators (`505546` → `505,546`, as the cards show counts; fractions kept
 * whole). Missing and NaN show as '', like {@link cellText}.
 */
export function groupedInt(v: string | number | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return '';
  return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 20 }) : String(v);
}

/**
 * Value of one cell in a CSV export: the display text, the value itself for {@link StoreColumn.exportRaw} columns,
 * or the {@link StoreColumn.exportNumber} of a formatted quantity.
 */
export function exportValue<T>(col: StoreColumn<T>, row: T): string | number | undefined {
  if (col.exportNumber) {
    const v = col.exportNumber(row);
    return v === undefined || !Number.isFinite(v) ? undefined : v;
  }
  if (col.exportRaw) {
    const v = col.get(row);
    return typeof v === 'number' && Number.isNaN(v) ? undefined : v;
  }
  if (col.format) return col.format(row);
  return col.get(row);
}

/**
 * Header of the UTC column a CSV export writes right after a time column whose header is `header`: the header's name
 * without its trailing `(<zone>)`, then `(UTC)` — `Time (America/New_York)` → `Time (UTC)`, `Created (Europe/Berlin)`
 * → `Created (UTC)`. When that is the time column's own header (the display zone is UTC) it is `<name> (UTC, ISO 8601)`,
 * so no two columns of a file share a header.
 */
export function utcExportHeader(header: string): string {
  const name = header.replace(/\s*\([^()]*\)\s*$/, '') || header;
  const utc = `${name} (UTC)`;
  return utc === header ? `${name} (UTC, ISO 8601)` : utc;
}

/** The value of a time column's UTC column: {@link isoUtc} of the epoch ms (UTC) the column's `get` returns; '' without one. */
function utcExportValue<T>(col: StoreColumn<T>, row: T): string {
  const v = col.get(row);
  return typeof v === 'number' ? isoUtc(v) : '';
}

/**
 * The layout of a table's CSV export for the chosen columns (in that order): each column under {@link exportHeader}
 * with its {@link exportValue}, and right after every `time` column (whose `get` is epoch ms UTC) one more column
 * under {@link utcExportHeader} holding the same instant in ISO 8601 UTC with `Z` (`2021-10-13T21:27:55Z`;
 * milliseconds only when non-zero, `…:55.250Z`; empty when the row has no time). The display-zone column stays as
 * shown (analysts read it); the UTC one is unambiguous in a DST fall-back hour and merges with other tools' times.
 * Returns the header and a function giving one row's cells, parallel to the header.
 */
export function exportLayout<T>(cols: readonly StoreColumn<T>[]): { header: string[]; cells(row: T): (string | number | undefined)[] } {
  const header: string[] = [];
  for (const c of cols) {
    const h = exportHeader(c);
    header.push(h);
    if (c.type === 'time') header.push(utcExportHeader(h));
  }
  return {
    header,
    cells(row: T) {
      const out: (string | number | undefined)[] = [];
      for (const c of cols) {
        out.push(exportValue(c, row));
        if (c.type === 'time') out.push(utcExportValue(c, row));
      }
      return out;
    },
  };
}

/**
 * Display text of one column. Low-cardinality columns are interned (`codes` + distinct `values`),
 * so filters test each distinct value once; columns with more than {@link INTERN_LIMIT} distinct
 * values keep plain per-row arrays instead (interning a million unique strings costs more than it saves).
 */
interface TextIndex {
  /** Per row: index into `values` (interned form). */
  codes?: Uint32Array;
  /** Distinct display texts (interned form). */
  values?: string[];
  /** `values` lower-cased (interned form). */
  lower?: string[];
  /** display text → code (interned form). */
  lookup?: Map<string, number>;
  /** Per-row display text (plain form). */
  texts?: string[];
  /** Per-row lower-cased display text (plain form). */
  lowerTexts?: string[];
}

/** Above this many distinct values a column is not interned and text sorts by code units. */
export const INTERN_LIMIT = 65_536;

interface SortIndex {
  /** Row ids in ascending key order (ties: ascending id); rows with an empty key at the end. */
  perm: Uint32Array;
  /** `bucketStart[r]..bucketStart[r+1]` are the perm positions of rank r; rank `ranks` = empty. */
  bucketStart: Uint32Array;
  /** Number of distinct non-empty ranks. */
  ranks: number;
}

const CACHE_SIZE = 8;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-cases and trims a needle; `''` means "no filter". Non-strings (a malformed query) count as `''`. */
function needle(s: unknown): string {
  return typeof s === 'string' ? s.trim().toLowerCase() : '';
}

export class TableStore<T> {
  private readonly text: (TextIndex | undefined)[] = [];
  private readonly sorts: (SortIndex | undefined)[] = [];
  private readonly byId = new Map<string, number>();
  private readonly cache = new Map<string, Uint32Array>();

  constructor(public readonly rows: readonly T[], public readonly columns: StoreColumn<T>[]) {
    columns.forEach((c, i) => this.byId.set(c.id, i));
  }

  /** Index of column `id` in {@link columns}, or -1. */
  columnIndex(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  /**
   * Applies the query (cached for repeated windows of the same query) and returns one window:
   * `total` = matching rows, `ids` = store row indices (stable; use them for detail/reveal),
   * `rows` = display text per row for every column in {@link columns} order.
   * Unknown column ids in the query are ignored. Never throws on bad offsets (clamped).
   * A `range` ({@link TableQuery.range}: `[from, to)` in epoch ms UTC on a `time` column, as its `get` returns) keeps
   * the rows whose time is in it, combined (AND) with the facets, column filters and search, before the sort.
   */
  window(q: TableQuery, offset: number, limit: number): { total: number; ids: number[]; rows: string[][] } {
    const res = this.result(q ?? {});
    const start = Math.max(0, Math.min(res.length, Math.floor(offset) || 0));
    const end = Math.max(start, Math.min(res.length, start + Math.max(0, Math.floor(limit) || 0)));
    const ids: number[] = [];
    const out: string[][] = [];
    for (let k = start; k < end; k++) {
      const id = res[k];
      ids.push(id);
      out.push(this.rowTexts(id));
    }
    return { total: res.length, ids, rows: out };
  }

  /** All matching row ids in current order (for export). */
  matching(q: TableQuery): number[] {
    return Array.from(this.result(q));
  }

  /** Number of rows matching `q` (cached like {@link window}). */
  count(q: TableQuery): number {
    return this.result(q).length;
  }

  /** Display texts of one row, for the given column ids (default: all columns in order). */
  rowTexts(id: number, columnIds?: string[]): string[] {
    const row = this.rows[id];
    // An id that is not a row (stale or malformed request): empty cells instead of a TypeError.
    if (row === undefined || !Number.isInteger(id) || id < 0) return (columnIds ?? this.columns).map(() => '');
    if (!columnIds) return this.columns.map((c) => cellText(c, row));
    return columnIds.map((cid) => {
      const i = this.byId.get(cid);
      return i === undefined ? '' : cellText(this.columns[i], row);
    });
  }

  /**
   * Header and lazily computed rows of every row matching `q`, for CSV export: the layout of the extension's export
   * ({@link exportLayout}: export headers, exported values, a UTC column after each time column), cells as text
   * (missing → '').
   * `columnIds` selects and orders the columns (unknown ids dropped; default: all columns).
   */
  exportRows(q: TableQuery, columnIds?: string[]): { header: string[]; rows: Iterable<string[]> } {
    const layout = exportLayout(columnIds ? exportColumns(this.columns, columnIds) : this.columns);
    const res = this.result(q);
    const all = this.rows;
    return {
      header: layout.header,
      rows: {
        *[Symbol.iterator]() {
          for (let k = 0; k < res.length; k++) yield layout.cells(all[res[k]]).map((v) => (v === undefined || v === null ? '' : String(v)));
        },
      },
    };
  }

  /**
   * Precomputes, one column at a time and yielding to the event loop between columns, the text
   * indexes used by the global search and column filters (and the sort orders of `sortColumns`), so
   * that the first search on a large table answers at once. Optional: without it the same work is
   * done lazily by the first query that needs it (≈0.1–0.5 s per column at 1,000,000 rows).
   * `search: false` skips the text indexes (only the sort orders). Resolves early (without error)
   * when `signal` is aborted.
   */
  async warm(opts: { sortColumns?: string[]; search?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const tick = () => new Promise<void>((r) => setImmediate(r));
    for (const ci of opts.search === false ? [] : this.searchColumns()) {
      if (this.text[ci]) continue; // built: no turn of the event loop to wait for
      if (opts.signal?.aborted) return;
      await tick();
      this.textIndex(ci);
    }
    for (const id of opts.sortColumns ?? []) {
      const ci = this.byId.get(id);
      if (ci === undefined || this.sorts[ci]) continue;
      if (opts.signal?.aborted) return;
      await tick();
      this.sortIndex(ci);
    }
  }

  /**
   * Builds the indexes a {@link window} of `q` needs and does not have yet: the sort column's order and, for a search,
   * the text index of every column it reads. Each is built in a task of its own, with the event loop free between
   * them ({@link warm}). The extension host calls this before answering a query: the first search of 500,000 QRadar
   * offenses built ~30 text indexes in one ~0.8 s piece on its main thread. A facet or a column filter still builds
   * its one column's index in the query. Never throws, also for a malformed query.
   */
  prepare(q: TableQuery): Promise<void> {
    const sort = q?.sort?.column;
    return this.warm({ search: needle(q?.search) !== '', sortColumns: typeof sort === 'string' ? [sort] : [] });
  }

  // ------------------------------------------------------------------ internals

  private key(q: TableQuery): string {
    q ??= {} as TableQuery;
    const cf = Object.entries(q.columnFilters ?? {})
      .map(([k, v]) => [k, needle(v)] as const)
      .filter(([k, v]) => v !== '' && this.byId.has(k))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const fc = Object.entries(q.facets ?? {})
      .filter(([k, v]) => v !== undefined && v !== null && this.byId.has(k))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const sort = q.sort && this.byId.has(q.sort.column) ? [q.sort.column, q.sort.dir === 'desc' ? 'desc' : 'asc'] : null;
    return JSON.stringify([sort, cf, needle(q.search), fc, this.rangeKey(q.range)]);
  }

  /**
   * The query's time range as `[column, from, to]` when it applies: a `time` column of this table and finite bounds with
   * `from` ≤ `to` (epoch ms UTC); else null (ignored, as a filter on an unknown column is).
   */
  private rangeKey(r: TableQuery['range'] | undefined): [string, number, number] | null {
    if (!r || typeof r !== 'object' || typeof r.column !== 'string') return null;
    const ci = this.byId.get(r.column);
    if (ci === undefined || this.columns[ci].type !== 'time') return null;
    const { from, to } = r;
    if (typeof from !== 'number' || typeof to !== 'number' || !Number.isFinite(from) || !Number.isFinite(to) || from > to) return null;
    return [r.column, from, to];
  }

  private result(q: TableQuery): Uint32Array {
    const k = this.key(q);
    const hit = this.cache.get(k);
    if (hit) {
      this.cache.delete(k);
      this.cache.set(k, hit);
      return hit;
    }
    const res = this.compute(JSON.parse(k));
    this.cache.set(k, res);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return res;
  }

  /**
   * Comparison filters on number columns: `>100`, `>=60`, `<40`, `<=5`, `=70`, or a range `60..99` (inclusive).
   * Anything else (or a non-number column) is a substring filter: returns undefined.
   */
  private numericTest(ci: number, nd: string): ((i: number) => boolean) | undefined {
    const col = this.columns[ci];
    if (col.type !== 'number') return undefined;
    const NUM = '(-?\\d+(?:\\.\\d+)?)';
    let lo = -Infinity;
    let hi = Infinity;
    let loOpen = false;
    let hiOpen = false;
    let m = new RegExp(`^\\s*(>=|<=|>|<|=)\\s*${NUM}\\s*$`).exec(nd);
    if (m) {
      const v = Number(m[2]);
      if (m[1] === '>') [lo, loOpen] = [v, true];
      else if (m[1] === '>=') lo = v;
      else if (m[1] === '<') [hi, hiOpen] = [v, true];
      else if (m[1] === '<=') hi = v;
      else lo = hi = v;
    } else if ((m = new RegExp(`^\\s*${NUM}\\s*\\.\\.\\s*${NUM}\\s*$`).exec(nd))) {
      lo = Number(m[1]);
      hi = Number(m[2]);
    } else return undefined;
    const rows = this.rows;
    return (i) => {
      const v = col.get(rows[i]);
      if (typeof v !== 'number' || Number.isNaN(v)) return false;
      return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
    };
  }

  private compute([sort, cf, search, fc, range]: [[string, 'asc' | 'desc'] | null, [string, string][], string, [string, string][], [string, number, number] | null]): Uint32Array {
    const n = this.rows.length;
    let mask: Uint8Array | null = null;
    const ensureMask = (): Uint8Array => (mask ??= new Uint8Array(n).fill(1));

    // The time range (a zoom): the row's time, epoch ms, in [from, to); a row without a time is out.
    if (range) {
      const col = this.columns[this.byId.get(range[0])!];
      const [, from, to] = range;
      const rows = this.rows;
      const m = ensureMask();
      for (let i = 0; i < n; i++) {
        const v = col.get(rows[i]);
        if (typeof v !== 'number' || !(v >= from && v < to)) m[i] = 0;
      }
    }

    // Facets first (often the most selective, e.g. one host).
    for (const [cid, value] of fc) {
      const col = this.columns[this.byId.get(cid)!];
      const m = ensureMask();
      if (col.matches) {
        const rows = this.rows;
        for (let i = 0; i < n; i++) if (m[i] && !col.matches(rows[i], value)) m[i] = 0;
      } else {
        const t = this.textIndex(this.byId.get(cid)!);
        if (t.codes) {
          const code = t.lookup!.get(value);
          if (code === undefined) m.fill(0);
          else for (let i = 0; i < n; i++) if (m[i] && t.codes[i] !== code) m[i] = 0;
        } else {
          const texts = t.texts!;
          for (let i = 0; i < n; i++) if (m[i] && texts[i] !== value) m[i] = 0;
        }
      }
    }

    for (const [cid, nd] of cf) {
      const ci = this.byId.get(cid)!;
      const test = this.numericTest(ci, nd) ?? this.rawOrTextTest(ci, nd);
      const m = ensureMask();
      for (let i = 0; i < n; i++) if (m[i] && !test(i)) m[i] = 0;
    }

    if (search !== '') {
      const tests = this.searchColumns().map((ci) => this.substringTest(ci, search));
      const m = ensureMask();
      for (let i = 0; i < n; i++) {
        if (!m[i]) continue;
        let any = false;
        for (const t of tests) {
          if (t(i)) {
            any = true;
            break;
          }
        }
        if (!any) m[i] = 0;
      }
    }

    const m = mask as Uint8Array | null;
    let total = n;
    if (m) {
      total = 0;
      for (let i = 0; i < n; i++) total += m[i];
    }
    const out = new Uint32Array(total);
    let w = 0;
    if (!sort) {
      for (let i = 0; i < n; i++) if (!m || m[i]) out[w++] = i;
      return out;
    }
    const s = this.sortIndex(this.byId.get(sort[0])!);
    const { perm, bucketStart, ranks } = s;
    if (sort[1] === 'asc') {
      for (let k = 0; k < n; k++) {
        const i = perm[k];
        if (!m || m[i]) out[w++] = i;
      }
    } else {
      // Descending by key, ties still in ascending row order, empty keys last.
      for (let r = ranks - 1; r >= 0; r--) {
        for (let k = bucketStart[r], e = bucketStart[r + 1]; k < e; k++) {
          const i = perm[k];
          if (!m || m[i]) out[w++] = i;
        }
      }
      for (let k = bucketStart[ranks]; k < n; k++) {
        const i = perm[k];
        if (!m || m[i]) out[w++] = i;
      }
    }
    return out;
  }

  /**
   * Substring filter on the display text; for {@link StoreColumn.exportRaw} columns also on the value, so that
   * `505546` finds the cell shown as `505,546`.
   */
  private rawOrTextTest(ci: number, nd: string): (i: number) => boolean {
    const text = this.substringTest(ci, nd);
    const col = this.columns[ci];
    if (!col.exportRaw) return text;
    const rows = this.rows;
    return (i) => text(i) || String(col.get(rows[i]) ?? '').toLowerCase().includes(nd);
  }

  /** Visible (not hidden) text columns: the global search looks at these. */
  private searchColumns(): number[] {
    const r: number[] = [];
    this.columns.forEach((c, i) => {
      if (c.type === 'text' && !c.hidden) r.push(i);
    });
    return r;
  }

  /** Row predicate: display text of column `ci` contains the lower-cased needle `nd`. */
  private substringTest(ci: number, nd: string): (i: number) => boolean {
    const t = this.textIndex(ci);
    if (t.codes) {
      const lower = t.lower!;
      const ok = new Uint8Array(lower.length);
      for (let c = 0; c < ok.length; c++) ok[c] = lower[c].includes(nd) ? 1 : 0;
      const codes = t.codes;
      return (i) => ok[codes[i]] === 1;
    }
    const lt = t.lowerTexts!;
    return (i) => lt[i].includes(nd);
  }

  private textIndex(ci: number): TextIndex {
    const have = this.text[ci];
    if (have) return have;
    const col = this.columns[ci];
    const n = this.rows.length;
    const texts: string[] = new Array(n);
    for (let i = 0; i < n; i++) texts[i] = cellText(col, this.rows[i]);
    const codes = new Uint32Array(n);
    const values: string[] = [];
    const lookup = new Map<string, number>();
    let interned = true;
    for (let i = 0; i < n; i++) {
      const s = texts[i];
      let c = lookup.get(s);
      if (c === undefined) {
        if (values.length >= INTERN_LIMIT) {
          interned = false;
          break;
        }
        c = values.length;
        values.push(s);
        lookup.set(s, c);
      }
      codes[i] = c;
    }
    const t: TextIndex = interned
      ? { codes, values, lookup, lower: values.map((v) => v.toLowerCase()) }
      : { texts, lowerTexts: texts.map((v) => v.toLowerCase()) };
    this.text[ci] = t;
    return t;
  }

  private sortIndex(ci: number): SortIndex {
    const have = this.sorts[ci];
    if (have) return have;
    const col = this.columns[ci];
    const n = this.rows.length;
    const keyOf = col.sortKey ? (r: T) => col.sortKey!(r) : (r: T) => col.get(r);
    const raw: (string | number | undefined)[] = new Array(n);
    let allNumbers = true;
    for (let i = 0; i < n; i++) {
      const k = keyOf(this.rows[i]);
      raw[i] = k;
      if (k !== undefined && k !== null && typeof k !== 'number') allNumbers = false;
    }
    const rank = new Uint32Array(n);
    let ranks: number;
    if (allNumbers) {
      const vals = new Float64Array(n);
      let nn = 0;
      for (let i = 0; i < n; i++) {
        const v = raw[i] as number | undefined;
        if (typeof v === 'number' && !Number.isNaN(v)) vals[nn++] = v;
      }
      const sorted = vals.subarray(0, nn).sort();
      // distinct values
      let d = 0;
      for (let k = 0; k < nn; k++) if (k === 0 || sorted[k] !== sorted[d - 1]) sorted[d++] = sorted[k];
      ranks = d;
      for (let i = 0; i < n; i++) {
        const v = raw[i] as number | undefined;
        if (typeof v !== 'number' || Number.isNaN(v)) {
          rank[i] = d;
          continue;
        }
        let lo = 0;
        let hi = d - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid] < v) lo = mid + 1;
          else hi = mid;
        }
        rank[i] = lo;
      }
    } else {
      const lowerKeys: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i];
        lowerKeys[i] = v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v).toLowerCase();
      }
      const lookup = new Map<string, number>();
      const distinct: string[] = [];
      const codes = new Uint32Array(n);
      const EMPTY = 0xffffffff;
      let interned = true;
      for (let i = 0; i < n; i++) {
        const s = lowerKeys[i];
        if (s === '') {
          codes[i] = EMPTY;
          continue;
        }
        let c = lookup.get(s);
        if (c === undefined) {
          if (distinct.length >= INTERN_LIMIT) {
            interned = false;
            break;
          }
          c = distinct.length;
          distinct.push(s);
          lookup.set(s, c);
        }
        codes[i] = c;
      }
      if (interned) {
        // One collator pass over the distinct (lower-cased) values: numeric-aware ("host2" < "host10").
        const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
        const order = distinct.map((_, i) => i);
        order.sort((a, b) => collator.compare(distinct[a], distinct[b]) || cmp(distinct[a], distinct[b]));
        const rankOfCode = new Uint32Array(distinct.length);
        let r = -1;
        for (let k = 0; k < order.length; k++) {
          if (k === 0 || collator.compare(distinct[order[k]], distinct[order[k - 1]]) !== 0) r++;
          rankOfCode[order[k]] = r;
        }
        ranks = r + 1;
        for (let i = 0; i < n; i++) rank[i] = codes[i] === EMPTY ? ranks : rankOfCode[codes[i]];
      } else {
        // Many distinct values (paths, hashes): code-unit order of the lower-cased text.
        const ids = new Uint32Array(n);
        let m = 0;
        for (let i = 0; i < n; i++) if (lowerKeys[i] !== '') ids[m++] = i;
        const sorted = Array.from(ids.subarray(0, m)).sort((a, b) => cmp(lowerKeys[a], lowerKeys[b]) || a - b);
        let r = -1;
        for (let k = 0; k < m; k++) {
          if (k === 0 || lowerKeys[sorted[k]] !== lowerKeys[sorted[k - 1]]) r++;
          rank[sorted[k]] = r;
        }
        ranks = r + 1;
        for (let i = 0; i < n; i++) if (lowerKeys[i] === '') rank[i] = ranks;
      }
    }
    // Counting sort by rank (stable → ties in ascending row id).
    const bucketStart = new Uint32Array(ranks + 2);
    for (let i = 0; i < n; i++) bucketStart[rank[i] + 1]++;
    for (let r = 0; r <= ranks; r++) bucketStart[r + 1] += bucketStart[r];
    const next = bucketStart.slice(0, ranks + 1);
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[next[rank[i]]++] = i;
    const s: SortIndex = { perm, bucketStart, ranks };
    this.sorts[ci] = s;
    return s;
  }
}

/**
 * True when two row lists hold the same rows in the same order — the same objects, or rows whose `identity` (say the
 * case a table row shows) is the same — as a source rebuilt after a display-zone change does: the webview's row ids
 * still name the same rows. A safelist change that left pairs out gives false. O(n), no allocation.
 */
export function sameRows<T>(a: readonly T[], b: readonly T[], identity?: (row: T) => unknown): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (!identity || identity(a[i]) !== identity(b[i]))) return false;
  return true;
}
