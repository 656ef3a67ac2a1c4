/**
 * UTC offsets in the time cells where they matter. New-user trial: with the display zone America/New_York the KPI
 * Cases table showed `2026-03-02 03:00:00` and `2026-03-09 03:00:00` across the clock change, only the header naming
 * the zone: one is 08:00 UTC, the other 07:00 UTC, and nothing said so (and the hour that occurs twice when clocks go
 * back showed twice the same text). Now a time column whose times are at more than one UTC offset in the display
 * zone carries the offset in every cell (`2026-03-09 03:00:00 -04:00`, ISO 8601's `±HH:MM`), in the big table and in
 * the small tables of every dashboard; a column at one offset (every column in UTC or a fixed-offset zone, and most
 * in a zone with summer time) stays as it was, its header naming the zone. Sorting is unchanged (the big table sorts
 * by the instant, the small tables by `exportTimes`), text filters find the offset, a CSV export writes the cell as
 * shown and the instant in its UTC column. Pure (no vscode).
 */
import type { DashboardModel } from '../../shared/protocol';
import { fixedOffsetZone, formatTime, zoneOffsetMinutes } from '../time';
import { formatOffset } from '../tz-normalize';
import type { StoreColumn } from './store';

/** Pixels a time column is widened by when its cells carry the offset (` -04:00`: 7 characters, ~46 px of the UI font). */
export const OFFSET_WIDTH_PX = 48;

/** An offset in minutes as ISO 8601 writes it: `+05:30`, `-04:00`, `+00:00` (tz-normalize's {@link formatOffset}). */
export function offsetText(minutes: number): string {
  return formatOffset(Math.round(minutes));
}

/**
 * True when the instants `times` (epoch ms; `null`, `undefined` and non-finite values skipped) are at more than one
 * UTC offset in `zone`. Never in `UTC` or a fixed offset (`UTC+3`); stops at the second offset seen.
 */
export function spansOffsets(times: Iterable<number | null | undefined>, zone: string): boolean {
  if (zone === 'UTC' || fixedOffsetZone(zone) !== undefined) return false;
  let first: number | undefined;
  for (const ms of times) {
    if (typeof ms !== 'number' || !Number.isFinite(ms)) continue;
    const off = zoneOffsetMinutes(ms, zone);
    if (off === undefined) return false; // (an unknown zone shows UTC)
    if (first === undefined) first = off;
    else if (off !== first) return true;
  }
  return false;
}

/** `text` (a time as shown in `zone`) followed by the offset of `zone` at `ms`; `text` itself when empty or without an instant. */
export function withOffset(text: string, ms: number | null | undefined, zone: string): string {
  if (!text || typeof ms !== 'number' || !Number.isFinite(ms)) return text;
  const off = zoneOffsetMinutes(ms, zone);
  return off === undefined ? text : `${text} ${offsetText(off)}`;
}

/** `formatTime` with the offset, for one time column that spans offsets: `2026-03-09 03:00:00 -04:00`. */
export function formatTimeWithOffset(ms: number | undefined, zone: string): string {
  return withOffset(formatTime(ms, zone), ms, zone);
}

function* instants<T>(rows: Iterable<T>, get: (row: T) => unknown): Iterable<number | undefined> {
  for (const r of rows) {
    const v = get(r);
    yield typeof v === 'number' ? v : undefined;
  }
}

/**
 * Gives the offset to every time cell of a dashboard whose column spans offsets in `zone` ({@link spansOffsets}):
 * - the big table: each `time` column of `columns` (its instant: `get`) over `rows` — its `format` then appends the
 *   offset, and the model's column of that id is {@link OFFSET_WIDTH_PX} wider;
 * - the small tables of `model`: each `time` column with its instants in `exportTimes` — its cells get the offset
 *   (the rows are copied, not changed in place), the column is wider.
 * Call it before the store answers its first query (its text index is built from `format`). Returns the ids
 * (`table.column`, the big table's as `.column`) of the columns given the offset.
 */
export function showZoneOffsets<T>(columns: StoreColumn<T>[], rows: Iterable<T>, model: DashboardModel, zone: string): string[] {
  const done: string[] = [];
  if (zone === 'UTC' || fixedOffsetZone(zone) !== undefined) return done;
  const widen = (c: { width?: number }, base: number) => (c.width = (c.width ?? base) + OFFSET_WIDTH_PX);
  for (const c of columns) {
    if (c.type !== 'time' || !spansOffsets(instants(rows, c.get), zone)) continue;
    const shown = c.format ?? ((r: T) => formatTime(c.get(r) as number | undefined, zone));
    const get = c.get;
    c.format = (r) => {
      const v = get(r);
      return withOffset(shown(r), typeof v === 'number' ? v : undefined, zone);
    };
    const d = model.columns.find((x) => x.id === c.id);
    if (d) widen(d, 168);
    done.push(`.${c.id}`);
  }
  for (const t of model.tables) {
    t.columns.forEach((c, ci) => {
      const times = t.exportTimes?.[c.id];
      if (c.type !== 'time' || !times || !spansOffsets(times, zone)) return;
      t.rows = t.rows.map((row, ri) => {
        const v = row[ci];
        if (typeof v !== 'string') return row;
        const out = row.slice();
        out[ci] = withOffset(v, times[ri], zone);
        return out;
      });
      widen(c, 168);
      done.push(`${t.id}.${c.id}`);
    });
  }
  return done;
}
