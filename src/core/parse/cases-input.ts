/**
 * Reads a tabular log or case export (CSV/TSV, a JSON array, or NDJSON) into rows of named values,
 * with the line (CSV, NDJSON) or record number (JSON array) of each row. Shared by the case parser
 * (`cases.ts`) and the timestamp normaliser (`src/core/tz-file.ts`). Pure (no vscode).
 *
 * Never throws on bad data: unreadable CSV records and NDJSON lines become {@link ParseError}s with
 * file and line, everything readable is kept. Only an unreadable file (I/O error) is a file-level
 * error (line 0). CSV is read with csv-parse (RFC 4180 quoting, quoted newlines, BOM); duplicate or
 * blank headers are renamed `col_<n>` / `<name>_<n>` (shared/docs/qradar.md §5.1).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ParseError } from '../model/common';
import { CsvLineCounter } from './csv-lines';

export type TabularFormat = 'csv' | 'json' | 'ndjson';

export interface TabularRow {
  /** Column name → value (CSV: strings; JSON: the JSON value). */
  values: Record<string, unknown>;
  /** 1-based line (CSV: line where the record ends; NDJSON: its line) or record number (JSON array). */
  line: number;
  /** CSV only: the raw cells in file order (for rewriting the file with extra columns). */
  cells?: string[];
}

export interface Tabular {
  file: string;
  format: TabularFormat;
  /** Unique column names, in file order (CSV header order; JSON: keys in first-seen order). */
  columns: string[];
  /** CSV only: the header row as written (may contain blanks/duplicates). */
  header?: string[];
  /** CSV only: the field delimiter used. */
  delimiter?: string;
  rows: TabularRow[];
  /** For JSON arrays: `line` of a row is the record number (1-based), not a text line. */
  lineIsRecord: boolean;
  errors: ParseError[];
  /** JSON document whose rows were found under a member (e.g. `{"offenses": [...]}`): that member's key. */
  member?: string;
}

/** Unique names for a header row: blank → `col_<n>` (1-based), duplicates → `<name>_<n>`. */
export function uniqueColumns(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    let name = (h ?? '').trim() || `col_${i + 1}`;
    if (seen.has(name)) {
      let k = 2;
      while (seen.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    seen.add(name);
    return name;
  });
}

function sniffDelimiter(firstLine: string): string {
  let best = ',';
  let bestN = 0;
  for (const d of [',', ';', '\t', '|']) {
    let n = 0;
    let q = false;
    for (const ch of firstLine) {
      if (ch === '"') q = !q;
      else if (!q && ch === d) n++;
    }
    if (n > bestN) {
      best = d;
      bestN = n;
    }
  }
  return best;
}

function formatOf(file: string, text: string): TabularFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const t = text.replace(/^\ufeff/, '').trimStart();
  if (t.startsWith('[')) return 'json';
  if (t.startsWith('{')) {
    try {
      JSON.parse(t);
      return 'json';
    } catch {
      return 'ndjson';
    }
  }
  return 'csv';
}

function keysInOrder(rows: TabularRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) seen.add(k);
  return [...seen];
}

/** One csv-parse record with its (editor-counted, 1-based) end line. */
type CsvRec = { record: string[]; info: { lines: number } };

/** Start offsets of the physical lines of `text` (CRLF, LF and a lone CR end a line, as in the parse below). */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) out.push(i + 1);
  }
  return out;
}

/**
 * The records of CSV text. csv-parse reads a record whose quote never closes as one field up to the end of
 * the text, which would lose every later record: that record's first line is kept instead with its quotes
 * read as text (reported as an error on its line), and the lines after it are read again on their own.
 */
function csvRecords(body: string, delimiter: string, file: string, errors: ParseError[]): CsvRec[] {
  const recs: CsvRec[] = [];
  let from = 0; // offset in body of the text still to read
  let lineBase = 0; // lines of body before `from`
  for (;;) {
    const part = from === 0 ? body : body.slice(from);
    const lineOf = new CsvLineCounter();
    let lastLine = 0; // last line of `part` read as (or skipped with) a record
    let unclosed = false;
    const got = parseCsv(part, {
      delimiter,
      relax_column_count: true,
      // a stray quote (`"bad"x`, `ab"c`) is kept as text: without this csv-parse skipped that record and lost every later one
      relax_quotes: true,
      // mixed line ends (CRLF, LF, lone CR) in one file: each is a record end (auto-detection took the first one only and glued records)
      record_delimiter: ['\r\n', '\n', '\r'],
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
      // line numbers as editors count them (csv-parse counts a CRLF inside a quoted field twice), in parse order;
      // with `info: true` csv-parse hands on_record `{ record, info }` (its typings say string[])
      on_record: ((r: CsvRec): CsvRec => {
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
        errors.push({ file, line: lastLine + lineBase, message: `unreadable CSV record: ${(e.message ?? '').split('\n')[0].slice(0, 200)}` });
      },
    }) as unknown as CsvRec[];
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
    while (k < starts.length && textEnd(k) === starts[k]) k++; // empty lines (skip_empty_lines)
    if (k >= starts.length) return recs;
    const next = starts[k + 1] ?? part.length;
    const text = part.slice(starts[k], textEnd(k));
    const cells = (parseCsv(text, { delimiter, quote: false, relax_column_count: true }) as string[][])[0] ?? [text];
    const line = lineBase + k + 1;
    recs.push({ record: cells, info: { lines: line } });
    errors.push({ file, line, message: 'unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own' });
    if (next >= part.length) return recs;
    from += next;
    lineBase = line;
  }
}

/** Parses CSV text (see module comment). `file` is used in error messages only. */
export function parseCsvText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  const body = text.replace(/^\ufeff/, '');
  const nl = body.indexOf('\n');
  const delimiter = sniffDelimiter(nl < 0 ? body : body.slice(0, nl));
  const recs = csvRecords(body, delimiter, file, errors);
  if (recs.length === 0) return { file, format: 'csv', columns: [], header: [], delimiter, rows: [], lineIsRecord: false, errors };
  const header = recs[0].record;
  const columns = uniqueColumns(header);
  const rows: TabularRow[] = [];
  for (let i = 1; i < recs.length; i++) {
    const { record, info } = recs[i];
    const line = info.lines;
    const values: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      // defineProperty: a column named `__proto__` is data, not the object's prototype (its values were lost)
      Object.defineProperty(values, c, { value: record[j] ?? '', enumerable: true, writable: true, configurable: true });
    });
    if (record.length > columns.length) {
      errors.push({ file, line, message: `record has ${record.length} fields, header has ${columns.length}: extra fields kept as col_<n>` });
      for (let j = columns.length; j < record.length; j++) values[`col_${j + 1}`] = record[j];
    }
    rows.push({ values, line, cells: record });
  }
  const extra = keysInOrder(rows).filter((k) => !columns.includes(k));
  return { file, format: 'csv', columns: [...columns, ...extra], header, delimiter, rows, lineIsRecord: false, errors };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses JSON text: an array of objects, one object, or an object with one array-of-objects member. */
export function parseJsonText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    return { file, format: 'json', columns: [], rows: [], lineIsRecord: true, errors: [{ file, line: 0, message: `not valid JSON: ${(e as Error).message}` }] };
  }
  let arr: unknown[];
  let member: string | undefined;
  if (Array.isArray(doc)) arr = doc;
  else if (isPlainObject(doc)) {
    const key = Object.keys(doc).find((k) => Array.isArray(doc[k]) && (doc[k] as unknown[]).some(isPlainObject));
    if (key) {
      arr = doc[key] as unknown[];
      member = key;
    } else arr = [doc];
  } else arr = [];
  const rows: TabularRow[] = [];
  arr.forEach((o, i) => {
    if (isPlainObject(o)) rows.push({ values: o, line: i + 1 });
    else errors.push({ file, line: i + 1, message: `record ${i + 1} is not an object (${o === null ? 'null' : typeof o})` });
  });
  return { file, format: 'json', columns: keysInOrder(rows), rows, lineIsRecord: true, errors, member };
}

/** Parses NDJSON text: one JSON object per line; blank lines skipped, bad lines reported. */
export function parseNdjsonText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  const rows: TabularRow[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    try {
      const o = JSON.parse(l) as unknown;
      if (isPlainObject(o)) rows.push({ values: o, line: i + 1 });
      else errors.push({ file, line: i + 1, message: 'line is JSON but not an object' });
    } catch (e) {
      errors.push({ file, line: i + 1, message: `not valid JSON: ${(e as Error).message}` });
    }
  });
  return { file, format: 'ndjson', columns: keysInOrder(rows), rows, lineIsRecord: false, errors };
}

/** Parses text of the given (or sniffed) format. */
export function parseTabularText(text: string, file: string, format?: TabularFormat): Tabular {
  const f = format ?? formatOf(file, text);
  return f === 'csv' ? parseCsvText(text, file) : f === 'json' ? parseJsonText(text, file) : parseNdjsonText(text, file);
}

/**
 * Reads a file (UTF-8; a UTF-8 BOM is dropped) and parses it by extension (`.csv`/`.tsv`,
 * `.json`, `.ndjson`/`.jsonl`) or, for other names, by sniffing the first character. Never rejects:
 * an I/O error gives an empty table with a line-0 error.
 */
export async function readTabular(file: string, format?: TabularFormat): Promise<Tabular> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    return { file, format: format ?? 'csv', columns: [], rows: [], lineIsRecord: false, errors: [{ file, line: 0, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  return parseTabularText(text, file, format);
}
