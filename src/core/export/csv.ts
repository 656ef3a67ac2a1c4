/** CSV export with spreadsheet-formula neutralisation. OWNER: analytics helper. */
export function toCsv(_header: string[], _rows: Iterable<(string | number | undefined | null)[]>): string {
  throw new Error('not implemented');
}
