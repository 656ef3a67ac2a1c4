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
import type { ParseError } from '../model/common';
import { parseCsvRecords } from './csv-lines';

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

/** Parses CSV text (see module comment). `file` is used in error messages only. */
export function parseCsvText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  const body = text.replace(/^\ufeff/, '');
  const nl = body.indexOf('\n');
  const delimiter = sniffDelimiter(nl < 0 ? body : body.slice(0, nl));
  const recs = parseCsvRecords(
    body,
    {
      delimiter,
      relax_column_count: true,
      // a stray quote (`"bad"x`, `ab"c`) is kept as text: without this csv-parse skipped that record and lost every later one
      relax_quotes: true,
      // mixed line ends (CRLF, LF, lone CR) in one file: each is a record end (auto-detection took the first one only and glued records)
      record_delimiter: ['\r\n', '\n', '\r'],
      skip_empty_lines: true,
    },
    (line, problem, kind) => errors.push({ file, line, message: kind === 'unreadable' ? `unreadable CSV record: ${problem}` : problem }),
  );
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

/** Deepest nesting of objects/arrays kept in a JSON field value (deeper values overflowed the stack of `JSON.stringify`). */
export const MAX_JSON_DEPTH = 1000;

/** True when `v` nests objects/arrays more than `limit` levels deep (iterative: never overflows the stack). */
function nestedDeeperThan(v: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > limit) return true;
    for (const c of Object.values(x as object)) if (typeof c === 'object' && c !== null) stack.push([c, d + 1]);
  }
  return false;
}

/**
 * A JSON record with each field nested deeper than {@link MAX_JSON_DEPTH} replaced by `''` and
 * reported on its line (JSON.parse reads any depth; turning such a value back into text threw
 * "Maximum call stack size exceeded" and stopped the whole analysis).
 */
function flattenTooDeep(o: Record<string, unknown>, file: string, line: number, errors: ParseError[]): Record<string, unknown> {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'object' && v !== null && nestedDeeperThan(v, MAX_JSON_DEPTH)) {
      o[k] = '';
      errors.push({ file, line, message: `field ${JSON.stringify(k.slice(0, 100))}: nested deeper than ${MAX_JSON_DEPTH} levels; read as empty` });
    }
  }
  return o;
}

/**
 * Parses JSON text: an array of objects, one object, or an object with one array-of-objects member.
 * A field nested deeper than {@link MAX_JSON_DEPTH} levels is read as `''` and reported on its record.
 */
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
    if (isPlainObject(o)) rows.push({ values: flattenTooDeep(o, file, i + 1, errors), line: i + 1 });
    else errors.push({ file, line: i + 1, message: `record ${i + 1} is not an object (${o === null ? 'null' : typeof o})` });
  });
  return { file, format: 'json', columns: keysInOrder(rows), rows, lineIsRecord: true, errors, member };
}

/** Parses NDJSON text: one JSON object per line; blank lines skipped, bad lines reported; fields nested too deep as in {@link parseJsonText}. */
export function parseNdjsonText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  const rows: TabularRow[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    try {
      const o = JSON.parse(l) as unknown;
      if (isPlainObject(o)) rows.push({ values: flattenTooDeep(o, file, i + 1, errors), line: i + 1 });
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

/** Bidi controls (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069): kept, and written as visible `\u202e` text by the reports. */
const BIDI_CONTROL = /^[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]$/;

/**
 * An analyst / account name as one spelling per person: Unicode NFC, default-ignorable characters
 * (zero-width spaces and joiners, soft hyphen, variation selectors, Hangul fillers, tags: Unicode's
 * Default_Ignorable_Code_Point) removed except the bidi controls, runs of white space as one space,
 * trimmed. `Api  Nguyen`, `Api\tNguyen` and `Api Nguyen` are one analyst, and `bob` with an invisible
 * character is not a second row that looks the same (hostile review). Case is kept (`bob` and `Bob`
 * may be different accounts); bidi controls are kept (the reports write them as visible `\u202e`
 * text). The raw value stays in the record's `raw`. Also applied to automation-account patterns.
 */
export function accountName(s: string): string {
  return s
    .normalize('NFC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, (c) => (BIDI_CONTROL.test(c) ? c : ''))
    .replace(/\s+/g, ' ')
    .trim();
}
