/**
 * Line numbers of csv-parse records as an editor counts lines. csv-parse (`info.lines`, checked with
 * csv-parse 5–7) counts the CR and the LF of a CRLF inside a quoted field as two lines, so each such
 * CRLF moves every later record one line too far; a lone CR or LF inside a field is one line for
 * both. Pure (no I/O).
 */

/** Corrects csv-parse's `info.lines`; feed the records of one parse in order. */
export class CsvLineCounter {
  private extra = 0;

  /** The line a record ends on (1-based): its `info.lines` less the CRLFs inside the fields of it and of the records before. */
  line(record: readonly unknown[], lines: number): number {
    for (const f of record) {
      if (typeof f !== 'string') continue;
      for (let i = f.indexOf('\r\n'); i >= 0; i = f.indexOf('\r\n', i + 2)) this.extra++;
    }
    return lines - this.extra;
  }

  /** csv-parse `on_record` hook for parses with `info: true`: the record with its `info.lines` corrected. */
  readonly onRecord = <R extends { record: readonly unknown[]; info: { lines: number } }>(r: R): R => ({ ...r, info: { ...r.info, lines: this.line(r.record, r.info.lines) } });

  /** A line csv-parse reported without a record (a skipped, unreadable record): corrected by the records before it. */
  skipped(lines: number): number {
    return lines - this.extra;
  }
}
