/**
 * Host-side table store: keeps all rows, answers sorted/filtered windows (the webview never holds
 * the whole table). OWNER: analytics helper. Stub — keep signatures.
 */
import type { ColumnDef, TableQuery } from '../../shared/protocol';

export interface StoreColumn<T> extends ColumnDef {
  /** Cell value: numbers sort numerically; text is shown as is (never as HTML). */
  get(row: T): string | number | undefined;
  /** Display text (defaults to String(get(row)) or ''). */
  format?(row: T): string;
}

export class TableStore<T> {
  constructor(public readonly rows: readonly T[], public readonly columns: StoreColumn<T>[]) {}
  /** Applies the query (cached for repeated windows of the same query) and returns one window. */
  window(_q: TableQuery, _offset: number, _limit: number): { total: number; ids: number[]; rows: string[][] } {
    throw new Error('not implemented');
  }
  /** All matching row ids in current order (for export). */
  matching(_q: TableQuery): number[] {
    throw new Error('not implemented');
  }
}
