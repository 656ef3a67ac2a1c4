/**
 * Small helpers shared by the dashboard builders (Loki, QRadar, KPI, beacons, Ariel): the table's
 * column definitions from the store's columns, and the column/cell shorthands of the small tables.
 * Pure (no vscode).
 */
import type { ColumnDef, SmallTable } from '../../shared/protocol';
import type { StoreColumn } from '../table/store';
import { commonFolder, shortNamer } from '../path-names';

/** The webview's column definitions of a store's columns (id, title, type, width if set, hidden and alwaysExported if true, description if set). */
export function toColumnDefs<T>(cols: StoreColumn<T>[]): ColumnDef[] {
  return cols.map((c) => {
    const d: ColumnDef = { id: c.id, title: c.title, type: c.type };
    if (c.width !== undefined) d.width = c.width;
    if (c.hidden) d.hidden = true;
    if (c.firstSort) d.firstSort = c.firstSort;
    if (c.align) d.align = c.align;
    if (c.description) d.description = c.description;
    if (c.besideDetail) d.besideDetail = c.besideDetail;
    if (c.alwaysExported) d.alwaysExported = true;
    return d;
  });
}

/** A text column of a small table. */
export const txt = (id: string, title: string, width?: number): ColumnDef => ({ id, title, type: 'text', width });
/** A number column of a small table. */
export const num = (id: string, title: string, width?: number): ColumnDef => ({ id, title, type: 'number', width });
/**
 * A column of a small table whose cells are formatted quantities (a rate `28.6%`, a share, a duration
 * `2.5 h`): text, right-aligned with tabular figures like the number columns beside it.
 */
export const qty = (id: string, title: string, width?: number, unit?: string): ColumnDef =>
  unit ? { id, title, type: 'text', align: 'right', width, exportTitle: `${title} (${unit})` } : { id, title, type: 'text', align: 'right', width };
/** A 0..1 rate as the number a CSV export writes under `… (%)` (28.5714 for 2/7; `null`, an empty field, for n/a). */
export const percentNumber = (r: number | undefined): number | null => (r === undefined || !Number.isFinite(r) ? null : Math.round(r * 1e6) / 1e4);
/** A duration in ms as the number a CSV export writes under `… (min)` (120 for 2 h; `null`, an empty field, for n/a). */
export const minutesNumber = (ms: number | undefined): number | null => (ms === undefined || !Number.isFinite(ms) ? null : Math.round(ms / 60) / 1000);
/**
 * An instant (epoch ms UTC) for {@link SmallTable.exportTimes}, the UTC column a CSV export writes after a time
 * column; `null` (an empty field) for a missing or non-finite one.
 */
export const msOrNull = (ms: number | undefined): number | null => (ms === undefined || !Number.isFinite(ms) ? null : ms);
/** A cell that is empty (`null`) for a missing or empty text. */
export const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/**
 * A count with its thousands grouped as en-US writes them (`2400000` → `2,400,000`; fractions kept): every number of a
 * dashboard's subtitle, card label, tab title and note, as {@link count} and the cards' values show them.
 */
export function grouped(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 20 });
}

/**
 * `case` for 1, `cases` otherwise (`many` for irregular plurals): the noun of a count written elsewhere, e.g. a card's
 * label beside its value (`1 Notice`, `3 Notices`). A value that is no number (`n/a`, `—`) takes the plural.
 */
export function noun(n: number | string, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `1 case`, `2 cases`, `1 false positive`, `3 false positives`: a count with its noun in the right number (`many` for irregular plurals). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * The file columns of a *Files read* tab (Loki, QRadar, beacons alike): `File`, the file's path below the folder the
 * files share (its name when they share their folder: `offenses.json`, `host1/loki.log`), with its whole path as the
 * cell's tooltip (`cellTitles`), first; and `Folder`, the folder the file is in (whole), as the last column. New-user
 * trial: whole paths in one column pushed the names of the files out of view (`/tmp/…/demo-workspace/qradar/offense_closing_reasons.j…`).
 * `files`: the tab's entries in row order; one that is no path (`—`, a note without a file) is shown as it is, with
 * no folder.
 */
export function filesReadColumns(files: readonly string[]): {
  file: ColumnDef;
  folder: ColumnDef;
  /** The `File` cell of each entry (parallel to `files`). */
  names: string[];
  /** The `Folder` cell of each entry. */
  folders: (string | null)[];
  /** The `File` cells' tooltips: the whole path where the cell shows less of it. */
  titles: (string | null)[];
} {
  const isPath = (f: string) => /[\\/]/.test(f);
  const paths = files.filter(isPath);
  const below = shortNamer(paths);
  const shared = commonFolder(paths);
  const names = files.map((f) => (isPath(f) ? below(f) : f));
  return {
    file: {
      ...txt('file', 'File', 280),
      description: shared ? `The file's path below ${shared}, the folder the files share (the whole path: the cell's tooltip)` : "The file's path (the whole path: the cell's tooltip)",
    },
    folder: { ...txt('folder', 'Folder', 320), maxWidth: 420, description: 'The folder the file is in' },
    names,
    folders: files.map((f) => {
      if (!isPath(f)) return null;
      const cut = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
      const dir = f.slice(0, cut);
      // (the root: `/`, `C:\\`)
      return dir === '' || /^[A-Za-z]:$/.test(dir) ? f.slice(0, cut + 1) : dir;
    }),
    titles: files.map((f, i) => (isPath(f) && names[i] !== f ? f : null)),
  };
}
