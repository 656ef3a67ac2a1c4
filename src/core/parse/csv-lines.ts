/**
 * Line numbers of csv-parse records as an editor counts lines. csv-parse (`info.lines`, checked with
 * csv-parse 5–7) counts the CR and the LF of a CRLF inside a quoted field as two lines, so each such
 * CRLF moves every later record one line too far; a lone CR or LF inside a field is one line for
 * both. Pure (no I/O).
 */
import { parse as parseCsv, type Options as CsvOptions } from 'csv-parse/sync';

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

/** One csv-parse record with the line it ends on (1-based, counted as an editor does). */
export type CsvRecord = { record: string[]; info: { lines: number } };

/** Start offsets of the physical lines of `text` (CRLF, LF and a lone CR end a line). */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) out.push(i + 1);
  }
  return out;
}

/**
 * The records of CSV text, read with csv-parse (`options` plus `info`, `skip_records_with_error` and the
 * line correction of {@link CsvLineCounter}); an unreadable record goes to `onError(line, problem, 'unreadable')`
 * with the line it ends on and csv-parse's message (first line, at most 200 characters). csv-parse reads a record whose quote never closes as one field up to the end of
 * the text, which would lose every later record: that record's first line is kept instead with its quotes
 * read as text (`onError(line, text, 'unclosed')` on its line), and the lines after it are read again on their own.
 * `options` should split records on every line end (`record_delimiter: ['\r\n', '\n', '\r']`).
 */
export function parseCsvRecords(
  text: string,
  options: CsvOptions,
  onError: (line: number, problem: string, kind: 'unreadable' | 'unclosed') => void,
): CsvRecord[] {
  const recs: CsvRecord[] = [];
  let from = 0; // offset in text of the part still to read
  let lineBase = 0; // lines of text before `from`
  for (;;) {
    const part = from === 0 ? text : text.slice(from);
    const lineOf = new CsvLineCounter();
    let lastLine = 0; // last line of `part` read as (or skipped with) a record
    let unclosed = false;
    const got = parseCsv(part, {
      ...options,
      // a BOM can only start the text
      bom: from === 0 ? options.bom : false,
      info: true,
      skip_records_with_error: true,
      // with `info: true` csv-parse hands on_record `{ record, info }` (its typings say string[])
      on_record: ((r: CsvRecord): CsvRecord => {
        const c = lineOf.onRecord(r);
        lastLine = c.info.lines;
        return lineBase === 0 ? c : { ...c, info: { ...c.info, lines: c.info.lines + lineBase } };
      }) as unknown as (record: string[]) => string[],
      on_skip: (e: { message?: string; lines?: number; code?: string } | undefined) => {
        if (!e) return;
        if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
          unclosed = true;
          return;
        }
        lastLine = lineOf.skipped(e.lines ?? 0);
        onError(lastLine + lineBase, (e.message ?? '').split('\n')[0].slice(0, 200), 'unreadable');
      },
    }) as unknown as CsvRecord[];
    for (const r of got) recs.push(r);
    if (!unclosed) return recs;
    const starts = lineStarts(part);
    // End of line k's text (without its line end).
    const textEnd = (k: number): number => {
      let end = starts[k + 1] ?? part.length;
      if (end > starts[k] && part.charCodeAt(end - 1) === 10) end--;
      if (end > starts[k] && part.charCodeAt(end - 1) === 13) end--;
      return end;
    };
    let k = lastLine; // 0-based index of the first line after the last record read
    while (k < starts.length && textEnd(k) === starts[k]) k++; // empty lines
    if (k >= starts.length) return recs;
    const next = starts[k + 1] ?? part.length;
    const lineText = part.slice(starts[k], textEnd(k));
    const cells = (parseCsv(lineText, { delimiter: options.delimiter, bom: false, quote: false, relax_column_count: true }) as string[][])[0] ?? [lineText];
    const line = lineBase + k + 1;
    recs.push({ record: cells, info: { lines: line } });
    onError(line, 'unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own', 'unclosed');
    if (next >= part.length) return recs;
    from += next;
    lineBase = line;
  }
}
