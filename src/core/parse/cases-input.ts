/**
 * Reads a tabular log or case export (CSV/TSV, a JSON array, or NDJSON) into rows of named values,
 * with the line (CSV, NDJSON) or record number (JSON array) of each row. Shared by the case parser
 * (`cases.ts`) and the timestamp normaliser (`src/core/tz-file.ts`). Pure (no vscode).
 *
 * Never throws on bad data: unreadable CSV records and NDJSON lines become {@link ParseError}s with
 * file and line, everything readable is kept. Only an unreadable file (I/O error) is a file-level
 * error (line 0). CSV is split by csv-lines.ts `parseCsvRecords` (RFC 4180 quoting, quoted newlines, BOM; a stray
 * quote never swallows the rows after it); duplicate or
 * blank headers are renamed `col_<n>` / `<name>_<n>` (shared/docs/qradar.md §5.1).
 */
import { NOT_REGULAR_FILE, openRegularFile, readInputBounded } from '../fs-read';
import { bytesText } from '../byte-size';
import { getHeapStatistics } from 'node:v8';
import * as path from 'node:path';
import type { ParseError } from '../model/common';
import { parseTimestamp, type TimestampFormat } from '../tz-normalize';
import { scanJson } from '../analyze/json-locate';
import { parseCsvRecords } from './csv-lines';
import { decodeUtf8OrCp1252 } from './cp1252';
import { sniffEncoding } from './lines';
import { SNIFF_BYTES, sniffNotText, type NotTextKind } from './not-text';
import { looksLikeZeekTsv, parseZeekTsvText } from './zeek-table';

/**
 * `lines`: a text log read line by line (see {@link parseLogLinesText}); `zeek`: a Zeek TSV log (see
 * src/core/parse/zeek-table.ts); both only for {@link ReadOptions.timestampLog}.
 */
export type TabularFormat = 'csv' | 'json' | 'ndjson' | 'lines' | 'zeek';

export interface TabularRow {
  /** Column name → value (CSV: strings; JSON: the JSON value). */
  values: Record<string, unknown>;
  /** 1-based line (CSV: line where the record ends; NDJSON: its line) or record number (JSON array). */
  line: number;
  /** CSV only: the raw cells in file order (for rewriting the file with extra columns). */
  cells?: string[];
  /** `lines` and `zeek`, and NDJSON read with `keepText` ({@link parseNdjsonText}): the whole line as written. */
  raw?: string;
}

/**
 * A record that is not a row but is kept for rewriting the file: an NDJSON line that is not a JSON object (its text,
 * written back as it is), a blank line (its text), or a JSON array element that is not an object (its value).
 */
export interface KeptRecord {
  line: number;
  /** NDJSON: the line's text; JSON: the element's value. */
  raw: unknown;
}

export interface Tabular {
  file: string;
  format: TabularFormat;
  /** Unique column names, in file order (CSV header order; JSON: keys in first-seen order). */
  columns: string[];
  /** CSV only: the header row as written (may contain blanks/duplicates); undefined when the file has none ({@link ReadOptions.timestampLog}). */
  header?: string[];
  /** CSV only: the field delimiter used. */
  delimiter?: string;
  rows: TabularRow[];
  /** For JSON arrays: `line` of a row is the record number (1-based), not a text line. */
  lineIsRecord: boolean;
  errors: ParseError[];
  /** JSON document whose rows were found under a member (e.g. `{"offenses": [...]}`): that member's key. */
  member?: string;
  /**
   * JSON document with a {@link member}: the whole enclosing object, its other members (`{"took": 5, "hits": […]}`)
   * to be written back around the converted array (they were dropped from the converted copy, silently). A member
   * nested deeper than {@link MAX_JSON_DEPTH} levels is `''` here, reported.
   */
  wrapper?: Record<string, unknown>;
  /** NDJSON / JSON records that are not objects (reported in `errors`), Zeek header lines, blank lines of Zeek, text and (read with `keepText`) NDJSON logs: kept for rewriting the file. */
  kept?: KeptRecord[];
  /** {@link readTabular}: the file began with a byte order mark (UTF-8, or UTF-16's: U+FEFF; dropped from the columns and values). */
  bom?: boolean;
  /** {@link readTabular}: the file holds nothing but white space (0 bytes, or blank lines only). */
  blank?: boolean;
}

/** How {@link readTabular} reads a file. */
export interface ReadOptions {
  /**
   * The input of Normalize Timestamps (a log, not a case export): a CSV whose first two records both carry a
   * timestamp at the same place (Loki's `--csv` log, a headerless export), or whose only record carries an instant
   * (a date and a time of day, or an epoch value beside a field that is no column name: see `firstRecordIsData`),
   * has no header row — its columns are `col_1`… and its first record is a row; a file that is neither `.csv`/`.tsv`
   * nor JSON whose first line starts with a timestamp followed by a space (a syslog or plain text log; white space
   * before it allowed), or that starts with `[` but is no JSON array ({@link looksLikeJsonArray}:
   * `[2024-03-01 12:00:00] …`), is read line by line ({@link parseLogLinesText}); a Zeek TSV log (its first line
   * `#separator …` or `#fields…`) is read by its `#fields` header (src/core/parse/zeek-table.ts).
   */
  timestampLog?: boolean;
  /**
   * The heap the caller needs per record and per byte of the file to hold and process it ({@link tableMemoryProblem}):
   * a file that would not fit in this process's free heap is refused unread (a line-0 problem) instead of ending the
   * process with a fatal out-of-memory error. Without it no check is made.
   */
  memory?: TableMemoryCost;
  /** Largest file read (bytes; default and at most {@link MAX_TABLE_FILE_BYTES}; tests set a small one). */
  maxBytes?: number;
}

/**
 * Largest table file (case export, Normalize Timestamps input) read whole: 1 GiB — past it the text cannot be one
 * JavaScript string anyway (about 512 M characters; UTF-16 takes two bytes each) nor its rows fit in the default heap.
 */
export const MAX_TABLE_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * The bytes of a table file to read whole, or why not (a line-0 problem's text): `file` is opened once and read through
 * that handle ({@link readInputBounded}: a FIFO, socket or device — even one swapped in after a stat — is refused, never
 * waited on; at most `limit + 1` bytes read, so a file larger than `limit` (default {@link MAX_TABLE_FILE_BYTES}), or
 * grown past it while read, is refused with its size and the limit: `file too large (1.2 GiB, limit 1 GiB); not read
 * — split the file…`). Errors of the system: `cannot read file: ENOENT`… Never rejects.
 */
export async function readTableFileBytes(file: string, limit = MAX_TABLE_FILE_BYTES): Promise<{ buf: Buffer; problem?: undefined } | { buf?: undefined; problem: string }> {
  try {
    const r = await readInputBounded(file, Math.min(limit, MAX_TABLE_FILE_BYTES));
    if (r.buf) return { buf: r.buf };
    return { problem: `file too large (${bytesText(r.over)}, limit ${bytesText(Math.min(limit, MAX_TABLE_FILE_BYTES))}); not read — split the file into smaller parts, each starting with the header line` };
  } catch (e) {
    return { problem: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/**
 * Heap bytes per record, per cell (a record's fields: records × the first line's fields) and per byte of the file's
 * text that reading and processing a table takes (see the constants).
 */
export interface TableMemoryCost {
  perRecord: number;
  perCell: number;
  perByte: number;
}

/**
 * Normalize Timestamps (`tz convert`): the table, the conversion and the output together. Measured on 2026-12-06 with
 * the CLI at a smaller heap (`--max-old-space-size`): 23-byte CSV rows of 2 fields needed about 650 B of heap each at
 * the peak (800,000 rows fit in 512 MB, 900,000 did not; with the default 4 GB heap 5 million converted and 8 million
 * ended the process, "JavaScript heap out of memory", after 15 minutes); a CSV of 300 rows × 20,000 fields (93 MB)
 * needed 1.0–1.4 GB, about 170 B per field; a single 300 MB field about 4 B per byte.
 */
export const TZ_CONVERT_MEMORY: TableMemoryCost = { perRecord: 400, perCell: 150, perByte: 4 };

/**
 * The cases of a KPI run (the rows, the case records with their raw columns, tagging): measured on 2026-12-06, about
 * 1,300 B of heap per case at the peak of `kpi` on a 5-column export (300,000 cases fit in a 512 MB heap, 450,000
 * ended the process).
 */
export const KPI_CASES_MEMORY: TableMemoryCost = { perRecord: 600, perCell: 150, perByte: 4 };

/**
 * Records and cells a table's bytes hold at most, for {@link tableMemoryProblem}. A count of the bytes (UTF-16 text —
 * {@link tableUtf16} — by its 16-bit units), never a parse:
 * - records: the lines holding something (a line end is LF, CRLF or a lone CR; a blank line is no record: the CSV,
 *   NDJSON, text-log and Loki readers skip it), or with `blankLinesKept` (a Zeek log keeps each blank line) every line;
 *   for JSON text (first character `[` or `{`) its `{` outside strings when there are more. A line break inside a
 *   quoted CSV field is one of a record's bytes when nothing follows it on its line: one field with 8,000,000 line
 *   breaks was "about 8,000,103 records" and its file of 101 cases was refused unread. Lines that hold text count even
 *   inside a quote: the CSV reader reads the lines of a quoted field past 10,000 lines (`MAX_CSV_RECORD_LINES`)
 *   on their own, and a quote is no quote to the other readers, so skipping them would let a file through whose
 *   records do not fit.
 * - cells: for text other than JSON, the records × the fields of its first line (the most frequent of `,` `;` TAB `|`
 *   outside quotes there, + 1, as the CSV reader picks its delimiter).
 * `blankLinesKept`: true, blank lines are records; `'zeek'`, they are when the first character other than white space
 * and a BOM is `#` (a Zeek log's header, as the reader that sniffs a Zeek log sees it).
 */
function recordsEstimate(buf: Uint8Array, blankLinesKept: boolean | 'zeek' = false): { records: number; cells: number } {
  const utf16 = tableUtf16(buf);
  const step = utf16 ? 2 : 1;
  const n = utf16 ? buf.length >> 1 : buf.length;
  // the k-th character unit (a byte, or a UTF-16 code unit)
  const at = utf16 === 'utf-16le' ? (k: number) => buf[2 * k] | (buf[2 * k + 1] << 8) : utf16 === 'utf-16be' ? (k: number) => (buf[2 * k] << 8) | buf[2 * k + 1] : (k: number) => buf[k];
  let i = 0;
  for (; i < n; i++) {
    const c = at(i);
    if (!(c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff || (step === 1 && (c === 0xef || c === 0xbb || c === 0xbf)))) break;
  }
  const json = at(i) === 0x5b || at(i) === 0x7b;
  const keepBlank = blankLinesKept === 'zeek' ? at(i) === 0x23 : blankLinesKept;
  // the first line's fields
  const counts = [0, 0, 0, 0]; // , ; TAB |
  let q = false;
  for (let j = i; j < n && at(j) !== 0x0a && at(j) !== 0x0d; j++) {
    const b = at(j);
    if (b === 0x22) q = !q;
    else if (!q) {
      const d = b === 0x2c ? 0 : b === 0x3b ? 1 : b === 0x09 ? 2 : b === 0x7c ? 3 : -1;
      if (d >= 0) counts[d]++;
    }
  }
  let lines = 0;
  let filled = false; // the current line holds something
  let braces = 0;
  let inString = false;
  for (let j = 0; j < n; j++) {
    const b = at(j);
    if (b === 0x0a || b === 0x0d) {
      if (b === 0x0d && j + 1 < n && at(j + 1) === 0x0a) j++;
      if (filled || keepBlank) lines++;
      filled = false;
      // JSON text holds no raw line break inside a string: a stray quote hides no `{` past its line
      inString = false;
      continue;
    }
    filled = true;
    if (json) {
      if (inString) {
        if (b === 0x5c) j++; // `\x`: the escaped unit is no quote
        else if (b === 0x22) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x7b) braces++;
    }
  }
  if (filled || keepBlank) lines++;
  const records = Math.max(lines, braces);
  return { records, cells: json ? 0 : records * (Math.max(...counts) + 1) };
}
const MB = 1024 * 1024;
const sizeText = (n: number) => (n >= 1024 * MB ? `${(n / (1024 * MB)).toFixed(1)} GB` : n >= MB ? `${Math.round(n / MB)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/**
 * Why a table file of bytes `buf` cannot be read and processed in this process's heap, or undefined when it fits: its
 * records and cells (estimated: {@link recordsEstimate}) × `cost.perRecord` and `cost.perCell` + its bytes ×
 * `cost.perByte` against 95 % of the heap still free (V8's heap limit less what is in use: the CLI's `node` default
 * is about 4 GB on a machine with 16 GB or more; the extension's worker has its own limit). `heap`: V8's statistics (a parameter for tests).
 * `blankLinesKept`: whether the reader keeps blank lines as records (true: a Zeek log; `'zeek'`: when the text starts
 * with `#`, for a reader that sniffs Zeek logs; default false: CSV, JSON, NDJSON and text logs skip them). The message
 * names the estimate, the free heap and how to go on (split the file; a larger `--max-old-space-size`).
 */
export function tableMemoryProblem(
  buf: Uint8Array,
  cost: TableMemoryCost,
  heap: { heap_size_limit: number; used_heap_size: number } = getHeapStatistics(),
  blankLinesKept: boolean | 'zeek' = false,
): string | undefined {
  const { records, cells } = recordsEstimate(buf, blankLinesKept);
  const need = records * cost.perRecord + cells * cost.perCell + buf.length * cost.perByte;
  const free = Math.max(0, heap.heap_size_limit - heap.used_heap_size);
  if (need <= free * 0.95) return undefined;
  const parts = Math.ceil(need / (free * 0.8));
  return (
    `too large to read in memory: about ${records.toLocaleString('en-US')} records in ${sizeText(buf.length)} need about ${sizeText(need)} of memory, more than the ${sizeText(free)} free here; ` +
    `nothing was read — split the file into ${parts} or more parts (e.g. \`split -l ${Math.max(1, Math.floor(records / parts)).toLocaleString('en-US').replace(/,/g, '')}\`, then add the header line to each part) or give node more memory (NODE_OPTIONS=--max-old-space-size=…)`
  );
}

/**
 * Unique names for a header row: blank → `col_<n>` (1-based), a repeated name → `<name>_<k>` with the smallest
 * `k ≥ 2` not yet taken by an earlier column (`x,x,x_2` → `x`, `x_2`, `x_2_2`; `x_2,x,x` → `x_2`, `x`, `x_3`).
 * Linear in the header's length: the search for each name resumes at the last `k` found for it (names are only
 * ever added, so that smallest free `k` never goes down; 50,000 copies of one name took minutes before).
 */
export function uniqueColumns(header: string[]): string[] {
  const seen = new Set<string>();
  const nextK = new Map<string, number>();
  return header.map((h, i) => {
    let name = (h ?? '').trim() || `col_${i + 1}`;
    if (seen.has(name)) {
      let k = nextK.get(name) ?? 2;
      while (seen.has(`${name}_${k}`)) k++;
      nextK.set(name, k + 1);
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

/**
 * True when `t` (text that starts with `[`) is a JSON array, perhaps broken further on, and not a text log line that
 * starts with a bracket (`[2024-03-01 12:00:00] message`, Apache's `[Mon Mar 04 12:00:00.123456 2024] [core:error] …`,
 * Loki-RS's `[2026-01-05T10:00:00Z] INFO …`): after `[` and white space comes `]` ending the text (`[]`), or a first
 * element — an object, an array, a string, a number, `true`, `false`, `null` — that parses as JSON and is followed by
 * `,` (more elements), by `]` ending the text (`[1709294400] message` is a log line), by `]` and another such array
 * (arrays written one after the other, `[{…}]` then `[{…}]`), or by nothing but white space (a JSON file cut short
 * after its first element), or an object still open at the end of the text (a JSON file cut short: reported as not
 * valid JSON, as before; an array still open is not enough: `[[main] started` is a log line). Reads only the first
 * element of each array (the whole text is parsed once, later).
 */
export function looksLikeJsonArray(t: string): boolean {
  // a loop over arrays written one after the other (not recursion: a file of a million `[1]` lines)
  for (let s = 0; ; ) {
    const end = jsonArrayHead(t, s);
    if (typeof end === 'boolean') return end;
    let j = end;
    while (j < t.length && /\s/.test(t[j])) j++;
    if (j >= t.length) return true;
    if (t[j] !== '[') return false;
    s = j;
  }
}

/**
 * {@link looksLikeJsonArray} for the array that starts at `t[s]` (`[`): true or false as said there, or — when the
 * array is `[]` or its first element is followed by `]` and more text — the index after that `]`.
 */
function jsonArrayHead(t: string, s: number): boolean | number {
  let i = s + 1;
  while (i < t.length && /\s/.test(t[i])) i++;
  if (i >= t.length) return true; // `[` alone: a JSON file cut short
  const c = t[i];
  let end: number; // index after the first element
  if (c === ']') return i + 1;
  if (c === '{' || c === '[' || c === '"') {
    // scan to the end of the element: strings (with escapes) skipped, brackets counted
    let depth = 0;
    let k = i;
    for (; k < t.length; k++) {
      const ch = t[k];
      if (ch === '"') {
        for (k++; k < t.length && t[k] !== '"'; k++) if (t[k] === '\\') k++;
        if (k >= t.length) return c === '{'; // an unclosed string inside an open object: cut short
        if (depth === 0) break;
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        if (--depth === 0) break;
      }
    }
    if (k >= t.length) return c === '{'; // an object still open at the end: a JSON file cut short
    end = k + 1;
  } else {
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 400));
    if (!m) return false;
    end = i + m[0].length;
  }
  try {
    JSON.parse(t.slice(i, end));
  } catch {
    return false;
  }
  let j = end;
  while (j < t.length && /\s/.test(t[j])) j++;
  if (j >= t.length) return true; // the first element, then the end of the text: a JSON file cut short
  if (t[j] === ',') return true;
  return t[j] === ']' ? j + 1 : false;
}

/**
 * The format of a file by its extension (`.csv`/`.tsv`, `.ndjson`/`.jsonl`), else by its first character: `[` a JSON
 * array — for {@link ReadOptions.timestampLog} only when {@link looksLikeJsonArray} (a `.json` file always), else a
 * text log read line by line —, `{` JSON (or NDJSON when the whole text does not parse), anything else CSV.
 */
function formatOf(file: string, text: string, timestampLog = false): TabularFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const t = text.replace(/^\ufeff/, '').trimStart();
  if (t.startsWith('[')) return !timestampLog || ext === '.json' || looksLikeJsonArray(t) ? 'json' : 'lines';
  if (t.startsWith('{')) {
    try {
      JSON.parse(t);
      return 'json';
    } catch {
      return looksLikeNdjson(t) ? 'ndjson' : 'json';
    }
  }
  return 'csv';
}

/**
 * Whether text starting with `{` that is not one JSON document is NDJSON (one object per line): one of its first 20
 * non-blank lines is a JSON object of its own, and its first line does not open a document (`{"cases": [`). A JSON
 * document cut short or damaged (`{"cases": [1,2`, a pretty-printed one, even with a record line missing its comma)
 * is not: it is read as JSON and its syntax error reported with line
 * and column, not as a line of NDJSON that is "not valid JSON" (in a folder it was then skipped as no table).
 */
function looksLikeNdjson(t: string): boolean {
  let seen = 0;
  for (const l of t.split(/\r\n|\n|\r/, 2000)) {
    const s = l.trim();
    if (s === '') continue;
    // a first line that opens a document (`{"cases": [`, `{`) is JSON, pretty-printed: a record line of it missing its
    // comma is an object of its own, and the file was read as NDJSON, one record lost (review)
    if (++seen === 1 && /[[{,]$/.test(s)) return false;
    if (seen > 20) break;
    if (!s.startsWith('{')) continue;
    try {
      if (isPlainObject(JSON.parse(s))) return true;
    } catch {
      /* next line */
    }
  }
  return false;
}

function keysInOrder(rows: TabularRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) seen.add(k);
  return [...seen];
}

/** Formats a header cell never has: a whole cell in one of them is data. */
const DATA_TIME_FORMATS: TimestampFormat[] = ['loki', 'iso', 'qradar', 'rfc3164'];

/**
 * True when the cell is a timestamp in a built-in format (an epoch number of 1e8 or more counts too). The shape is
 * probed, not the validity: second 60 counts on any date (`anySecondSixty`, src/core/tz-normalize.ts) — a
 * headerless log whose first record has `23:59:60` on a date without a leap second (or a syslog `Dec 31 23:59:60`,
 * probed in the year 2000) keeps that record as a row, which the conversion reports as unparsed, instead of taking
 * it for the header.
 */
function isTimeCell(v: string | undefined): boolean {
  const t = (v ?? '').trim();
  if (t === '') return false;
  if (isEpochCell(t)) return true;
  return DATA_TIME_FORMATS.some((f) => parseTimestamp(t, f, { year: 2000, anySecondSixty: true }).flag !== 'unparsed');
}

/** True when the (trimmed) cell is an epoch number of 9 to 19 digits. */
function isEpochCell(t: string): boolean {
  return /^\d{9,19}(\.\d+)?$/.test(t);
}

/**
 * True when the cell is a timestamp with a time of day (a built-in format other than an ISO date alone, or an epoch
 * number of 1e8 or more): data, never a column name — a header row can name its columns by dates (a pivot table's
 * `rule,2026-03-01,2026-03-02`), not by instants.
 */
function isInstantCell(v: string | undefined): boolean {
  return isTimeCell(v) && !/^\d{4}-\d{2}-\d{2}$/.test((v ?? '').trim());
}

/**
 * True when a header could name a column so: a name of at most 64 characters that starts with a letter, `_`, `@`
 * or `#` (`host`, `Event Name`, `@timestamp`). Not a number, an IP address, a path or a long message; an empty cell
 * is neither (headers have blank names too).
 */
function isHeaderName(t: string): boolean {
  return t.length <= 64 && /^[\p{L}_@#]/u.test(t);
}

/**
 * True when the first record is data, not a header: it and the second record both hold a timestamp in the same
 * field (a header names its columns; a pivot table with dates as headers has counts below them, not times); or,
 * when the file has one record only, a field of it is an instant written as a date and time ({@link isInstantCell}:
 * a headerless log of one record, Loki's `--csv` `20220119T18:42:50Z,DS1,NOTICE,…`, where a header-only file
 * `time,host,message` has no such field). An epoch number in the first field makes it data too, whatever the other
 * fields look like (`1709294400,host1,login`: a log line starts with its time, a header does not name its first
 * column by 9 or more digits); elsewhere an epoch number alone is not enough, a header can name a column by digits
 * (`id,123456789,name`): it makes the record data only when another non-empty field is no plausible column name
 * ({@link isHeaderName}: `host1,1709294400,10.0.0.1` is data; `host1,1709294400,login` stays a header).
 */
function firstRecordIsData(first: string[], second: string[] | undefined): boolean {
  if (!second) {
    const cells = first.map((c) => (c ?? '').trim());
    if (cells.some((t) => !isEpochCell(t) && isInstantCell(t))) return true;
    if (isEpochCell(cells[0])) return true; // a log's record starts with its time; a header names its first column
    const e = cells.findIndex(isEpochCell);
    return e >= 0 && cells.some((t, j) => j !== e && t !== '' && !isHeaderName(t));
  }
  for (let j = 0; j < first.length; j++) if (isTimeCell(first[j]) && isTimeCell(second[j])) return true;
  return false;
}

/**
 * Parses CSV text (see module comment). `file` is used in error messages only. With `headerless: 'detect'` a file
 * whose first record is data ({@link ReadOptions.timestampLog}) has no header: columns `col_1`…, `header` undefined.
 */
export function parseCsvText(text: string, file: string, opts: { headerless?: 'detect' } = {}): Tabular {
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
  const headerless = opts.headerless === 'detect' && firstRecordIsData(recs[0].record, recs[1]?.record);
  const header = headerless ? undefined : recs[0].record;
  const columns = header ? uniqueColumns(header) : Array.from({ length: recs[0].record.length }, (_, j) => `col_${j + 1}`);
  const rows: TabularRow[] = [];
  for (let i = headerless ? 0 : 1; i < recs.length; i++) {
    const { record, info } = recs[i];
    const line = info.lines;
    const values: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      // defineProperty: a column named `__proto__` is data, not the object's prototype (its values were lost)
      Object.defineProperty(values, c, { value: record[j] ?? '', enumerable: true, writable: true, configurable: true });
    });
    if (record.length > columns.length) {
      // a file without a header row (headerless) is measured against its first record
      errors.push({ file, line, message: `record has ${record.length} fields, ${header ? 'header' : 'the first record'} has ${columns.length}: extra fields kept as col_<n>` });
      for (let j = columns.length; j < record.length; j++) values[`col_${j + 1}`] = record[j];
    }
    rows.push({ values, line, cells: record });
  }
  const named = new Set(columns);
  const extra = keysInOrder(rows).filter((k) => !named.has(k));
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
 * Parses JSON text: an array of objects, one object, or an object with one array-of-objects member (the enclosing
 * object kept as {@link Tabular.wrapper}). A field nested deeper than {@link MAX_JSON_DEPTH} levels is read as `''`
 * and reported on its record; so is a record that is a list nested that deep, and a member of the enclosing object.
 */
export function parseJsonText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    return { file, format: 'json', columns: [], rows: [], lineIsRecord: true, errors: [damagedJsonError(text, file, e)] };
  }
  let arr: unknown[];
  let member: string | undefined;
  if (Array.isArray(doc)) arr = doc;
  else if (isPlainObject(doc)) {
    const key = Object.keys(doc).find((k) => Array.isArray(doc[k]) && (doc[k] as unknown[]).some(isPlainObject));
    if (key) {
      arr = doc[key] as unknown[];
      member = key;
      // the other members are written back as they are; one too deep to write is emptied, reported (file-level: no record)
      for (const k of Object.keys(doc))
        if (k !== key && typeof doc[k] === 'object' && doc[k] !== null && nestedDeeperThan(doc[k], MAX_JSON_DEPTH)) {
          doc[k] = '';
          errors.push({ file, line: 0, message: `member ${JSON.stringify(k.slice(0, 100))} of the enclosing object: nested deeper than ${MAX_JSON_DEPTH} levels; written as empty` });
        }
    } else arr = [doc];
  } else arr = [];
  const rows: TabularRow[] = [];
  const kept: KeptRecord[] = [];
  arr.forEach((o, i) => {
    if (isPlainObject(o)) rows.push({ values: flattenTooDeep(o, file, i + 1, errors), line: i + 1 });
    else if (typeof o === 'object' && o !== null && nestedDeeperThan(o, MAX_JSON_DEPTH)) {
      // a list nested deeper than can be written back (JSON.stringify overflowed the stack: the whole conversion failed)
      errors.push({ file, line: i + 1, message: `record ${i + 1} is not an object (a list nested deeper than ${MAX_JSON_DEPTH} levels; written as empty)` });
      kept.push({ line: i + 1, raw: '' });
    } else {
      errors.push({ file, line: i + 1, message: `record ${i + 1} is not an object (${o === null ? 'null' : typeof o})` });
      kept.push({ line: i + 1, raw: o });
    }
  });
  return { file, format: 'json', columns: keysInOrder(rows), rows, lineIsRecord: true, errors, member, kept, ...(member ? { wrapper: doc as Record<string, unknown> } : {}) };
}

/** Start of the message of {@link damagedJsonError} (a table with it is a damaged file, not one that is no table). */
export const DAMAGED_JSON = 'damaged JSON (cut short or not valid JSON)';

/**
 * The problem of a JSON file that does not parse: a problem of the whole file (line 0: nothing of it is read), whose
 * message gives the line and column of the first syntax error and what is wrong there (Microsoft's jsonc-parser in
 * strict mode, {@link scanJson}: V8's message gives only a character position, or none) —
 * `damaged JSON (cut short or not valid JSON): line 1, column 15: expected ',' or ']' to close an array, …`.
 */
export function damagedJsonError(text: string, file: string, e: unknown): ParseError {
  const err = scanJson(text.replace(/^\ufeff/, '')).error;
  return { file, line: 0, message: `${DAMAGED_JSON}: ${err ? `line ${err.line}, column ${err.column}: ${err.message}` : (e as Error).message.slice(0, 200)}` };
}

/**
 * Parses NDJSON text: one JSON object per line; blank lines skipped, bad lines reported (and kept, see
 * {@link KeptRecord}); fields nested too deep as in {@link parseJsonText}. `keepText` (a file to be rewritten, the input
 * of Normalize Timestamps): each row also holds its line as written (`raw`), and blank lines are kept records too, so
 * the copy can keep every line in its place and each record's text as it was.
 */
export function parseNdjsonText(text: string, file: string, keepText = false): Tabular {
  const errors: ParseError[] = [];
  const rows: TabularRow[] = [];
  const kept: KeptRecord[] = [];
  // LF, CRLF or a lone CR (classic Mac OS) ends a line (JSON text holds no raw CR)
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  lines.forEach((l, i) => {
    if (l.trim() === '') {
      // (the empty text after the last line end is no line)
      if (keepText && !(i === lines.length - 1 && l === '')) kept.push({ line: i + 1, raw: l });
      return;
    }
    try {
      const o = JSON.parse(l) as unknown;
      if (isPlainObject(o)) rows.push(keepText ? { values: flattenTooDeep(o, file, i + 1, errors), line: i + 1, raw: l } : { values: flattenTooDeep(o, file, i + 1, errors), line: i + 1 });
      else {
        errors.push({ file, line: i + 1, message: 'line is JSON but not an object' });
        kept.push({ line: i + 1, raw: l });
      }
    } catch (e) {
      errors.push({ file, line: i + 1, message: `not valid JSON: ${(e as Error).message}` });
      kept.push({ line: i + 1, raw: l });
    }
  });
  return { file, format: 'ndjson', columns: keysInOrder(rows), rows, lineIsRecord: false, errors, kept };
}

/**
 * A timestamp as a text log line starts with it: RFC 3164 syslog (with its `<PRI>`, a weekday before the month as in
 * ctime and Apache's error log, and a year before or after the time), ISO 8601 (date, or date and time with an
 * optional offset or `UTC`), Loki's `yyyyMMddTHH:mm:ssZ`, or an epoch number of 9 to 19 digits. A date followed by a
 * time is never the date alone: `2024-03-05 10:00:00,host` (a CSV) has no such timestamp, where the date alone
 * would make it midnight.
 */
const LINE_TIME =
  String.raw`(?:(?:<\d{1,3}>)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?[A-Za-z]{3}\s+\d{1,2}\s+(?:\d{4}\s+)?\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:\s+\d{4}(?=[\s\]]|$))?` +
  String.raw`|\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?(?:Z|z|UTC|[+-]\d{2}(?::?\d{2})?))?|(?![Tt ]\d{2}:\d{2}))` +
  String.raw`|\d{8}T\d{2}:?\d{2}:?\d{2}Z|\d{9,19}(?:\.\d{1,9})?)`;

/**
 * The timestamp a log line starts with ({@link LINE_TIME}): followed by white space or the end of the line, or in
 * square brackets (`[2024-03-01 12:00:00] message`, `[Mon Mar 04 12:00:00.123456 2024] [core:error] …`, Loki-RS's
 * `[2026-01-05T10:00:00Z] INFO …`; white space inside the brackets allowed), after white space or not (an indented
 * `  [2024-03-01 12:00:00] first`: the format is picked on the text without it). Group 1 is the time, or group 2 the
 * time in brackets without them.
 */
const LOG_LINE_TIME = new RegExp(String.raw`^\s*(?:(${LINE_TIME})(?=\s|$)|\[\s*(${LINE_TIME})\s*\])`);

/**
 * Parses a text log line by line (format `lines`): every non-empty line is a row (its line number; `raw` the line
 * as written) with the columns `timestamp` (the timestamp the line starts with, see {@link LOG_LINE_TIME}; empty
 * for a line that starts with none, say a continuation line of a stack trace) and `message` (the rest). No line is
 * a header and no line is lost: a blank (or white-space) line is a {@link KeptRecord} (its text), written back as it is.
 */
export function parseLogLinesText(text: string, file: string): Tabular {
  const rows: TabularRow[] = [];
  const kept: KeptRecord[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  lines.forEach((l, i) => {
    if (l.trim() === '') {
      // (the empty text after the last line end is no line)
      if (!(i === lines.length - 1 && l === '')) kept.push({ line: i + 1, raw: l });
      return;
    }
    const m = LOG_LINE_TIME.exec(l);
    // a time in brackets is the time without them (group 2); the message is the rest after one white space
    const values: Record<string, unknown> = { timestamp: m ? (m[1] ?? m[2]) : '', message: m ? l.slice(m[0].length).replace(/^\s/, '') : l };
    rows.push({ values, line: i + 1, raw: l });
  });
  return { file, format: 'lines', columns: ['timestamp', 'message'], rows, lineIsRecord: false, errors: [], kept };
}

/** True when the first non-empty line starts with a timestamp followed by white space ({@link LOG_LINE_TIME}). */
function looksLikeLogLines(text: string): boolean {
  const first = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/).find((l) => l.trim() !== '');
  const m = first === undefined ? null : LOG_LINE_TIME.exec(first);
  return m !== null && /^\s/.test(first!.slice(m[0].length));
}

/**
 * The first line of Python Loki's `--csv` log: `TS,HOST,TYPE,` (loki-format.md §1.1 `csvfile_line` / `csvout_line`:
 * TS `yyyyMMddTHH:mm:ssZ`, a HOST without `,` or space, TYPE upper case). Group 1 is the fourth field's text up to
 * its comma when there is one (a MODULE in the file form).
 */
const LOKI_CSV_LINE = /^\d{8}T\d\d:\d\d:\d\dZ,[^,\s]+,(?:ALERT|WARNING|NOTICE|INFO|ERROR|DEBUG|RESULT|CRITICAL),(?:([A-Za-z]+),)?/;

/**
 * Parses Python Loki's `--csv` log (loki-format.md §1.1: no header row, no quoting, no escaping; MESSAGE is free text
 * that often holds `,` and quotes): each line is split on its first 4 commas (the file form `TS,HOST,TYPE,MODULE,MESSAGE`,
 * when the first line's fourth field is a MODULE word) or its first 3 (the stdout form `TS,HOST,TYPE,MESSAGE`), so a
 * message keeps its commas and quotes (csv-parse split it into `col_6`… and read a field that starts with `"` as
 * quoted). Columns `col_1`…; `header` undefined. A line with fewer fields (a message's continuation line, §5) is a row
 * with what it has; no line is lost. Returns undefined when the first non-empty line is not such a line.
 */
export function parseLokiCsvText(text: string, file: string): Tabular | undefined {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  const first = lines.find((l) => l.trim() !== '');
  const m = first === undefined ? null : LOKI_CSV_LINE.exec(first);
  if (!m) return undefined;
  const fields = m[1] !== undefined ? 5 : 4;
  const columns = Array.from({ length: fields }, (_, j) => `col_${j + 1}`);
  const rows: TabularRow[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    const cells: string[] = [];
    let from = 0;
    while (cells.length < fields - 1) {
      const comma = l.indexOf(',', from);
      if (comma < 0) break;
      cells.push(l.slice(from, comma));
      from = comma + 1;
    }
    cells.push(l.slice(from));
    const values: Record<string, unknown> = {};
    cells.forEach((c, j) => (values[columns[j]] = c));
    rows.push({ values, line: i + 1, cells });
  });
  return { file, format: 'csv', columns, header: undefined, delimiter: ',', rows, lineIsRecord: false, errors: [] };
}

/**
 * The reader {@link parseTabularText} takes for `text` of `file` (the given `format`, else sniffed from the name and
 * the text). Also asked of the first 64 KiB of a file before it is read ({@link readTabular}'s memory check: which
 * readers keep blank lines), where a JSON document cut short reads as NDJSON when its lines look like it.
 */
function readerOf(text: string, file: string, format: TabularFormat | undefined, opts: ReadOptions): TabularFormat {
  if (format === 'zeek' || (opts.timestampLog && !format && looksLikeZeekTsv(text))) return 'zeek';
  const f = format ?? formatOf(file, text, opts.timestampLog);
  if (!format && opts.timestampLog && f === 'csv' && !['.csv', '.tsv'].includes(path.extname(file).toLowerCase()) && looksLikeLogLines(text)) return 'lines';
  return f;
}

/** Parses text of the given (or sniffed) format; see {@link ReadOptions} for `opts`. */
export function parseTabularText(text: string, file: string, format?: TabularFormat, opts: ReadOptions = {}): Tabular {
  const f = readerOf(text, file, format, opts);
  if (f === 'zeek') return parseZeekTsvText(text, file);
  if (f === 'lines') return parseLogLinesText(text, file);
  if (f === 'csv' && opts.timestampLog) {
    const loki = parseLokiCsvText(text, file);
    if (loki) return loki;
  }
  return f === 'csv' ? parseCsvText(text, file, opts.timestampLog ? { headerless: 'detect' } : {}) : f === 'json' ? parseJsonText(text, file) : parseNdjsonText(text, file, opts.timestampLog);
}

/**
 * The UTF-16 encoding of a table file's bytes, or undefined for UTF-8 / windows-1252: a byte order mark, else
 * the NUL pattern of UTF-16 text without one in the first 4 KiB ({@link sniffEncoding}: an Excel or PowerShell
 * `Out-File -Encoding Unicode` export re-saved without its BOM). Such a file was read as UTF-8 with a NUL
 * between every two characters: no column recognised, every time missing, a stray case for the last NUL.
 */
export function tableUtf16(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  const sniff = sniffEncoding(buf.subarray(0, 4096));
  return sniff.encoding === 'utf-16le' || sniff.encoding === 'utf-16be' ? sniff.encoding : undefined;
}

/**
 * Text of a file's bytes: UTF-16 with a BOM, or without one when its NUL bytes say so ({@link tableUtf16}), as such, else UTF-8 (a BOM is kept for the parsers to drop); a byte
 * that is not part of well-formed UTF-8 (a Latin-1 `München` from an old tool, one such byte pasted into a UTF-8
 * file) is read as windows-1252 instead of becoming U+FFFD — which would change it in every file written from the
 * text. Only those bytes: every well-formed UTF-8 character of the file stays what it is (reading the whole file as
 * windows-1252 turned every `ü` of a UTF-8 file with one stray byte into `Ã¼`). `warning` says so with the line of
 * the first such byte.
 */
export function decodeTableText(buf: Buffer, file: string): { text: string; warning?: ParseError } {
  const utf16 = tableUtf16(buf);
  if (utf16) return { text: new TextDecoder(utf16).decode(buf) };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf) };
  } catch (e) {
    // more text than a string holds is no encoding problem (the windows-1252 reading would fail the same way)
    if ((e as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') throw e;
    const { text, firstBadChar: firstBad } = decodeUtf8OrCp1252(buf);
    const line = text.slice(0, Math.max(0, firstBad)).split(/\r\n|\n|\r/).length;
    return {
      text,
      warning: { file, line, message: 'not UTF-8 (first invalid byte on this line): the bytes that are not UTF-8 are read as windows-1252' },
    };
  }
}

/**
 * Reads a file (see {@link decodeTableText}: UTF-8, UTF-16 with a BOM, windows-1252 when not UTF-8, reported; a BOM
 * is dropped) and parses it by extension (`.csv`/`.tsv`, `.json`, `.ndjson`/`.jsonl`) or, for other names, by
 * sniffing the first character; see {@link ReadOptions} for `opts`. Never rejects: an I/O error, a FIFO/socket/device
 * or a file over the limit ({@link readTableFileBytes}) gives an empty table with a line-0 error.
 */
export async function readTabular(file: string, format?: TabularFormat, opts: ReadOptions = {}): Promise<Tabular> {
  const read = await readTableFileBytes(file, opts.maxBytes);
  if (!read.buf) return { file, format: format ?? 'csv', columns: [], rows: [], lineIsRecord: false, errors: [{ file, line: 0, message: read.problem }] };
  const buf = read.buf;
  // A Zeek log keeps its blank lines (a file of blank lines is records to it), and so do the text-log and NDJSON
  // readers of a file to be rewritten (`timestampLog`: line N of the copy is line N of the input); the CSV and JSON
  // readers skip them. Which reader reads the file is decided as parseTabularText decides it, from the name and the
  // first 64 KiB (a Zeek log named .csv is still a Zeek log; a CSV named .txt still a CSV). A file of 30 MB of blank
  // lines took 2.2 GB when they were not counted.
  let tooLarge: string | undefined;
  if (opts.memory) {
    const head = new TextDecoder(tableUtf16(buf) ?? 'utf-8').decode(buf.subarray(0, 64 * 1024));
    const reader = readerOf(head, file, format, opts);
    const blankKept = reader === 'zeek' || (!!opts.timestampLog && (reader === 'lines' || reader === 'ndjson'));
    tooLarge = tableMemoryProblem(buf, opts.memory, undefined, blankKept);
  }
  if (tooLarge) return { file, format: format ?? 'csv', columns: [], rows: [], lineIsRecord: false, errors: [{ file, line: 0, message: tooLarge }] };
  let decoded: { text: string; warning?: ParseError };
  try {
    decoded = decodeTableText(buf, file);
  } catch (e) {
    // more text than one JavaScript string holds (about 512 M characters): said as such, not an unexpected failure
    return { file, format: format ?? 'csv', columns: [], rows: [], lineIsRecord: false, errors: [{ file, line: 0, message: `too large to read: ${sizeText(buf.length)}, more text than one JavaScript string holds (${(e as Error).message}); split the file` }] };
  }
  const { text, warning } = decoded;
  const t = parseTabularText(text, file, format, opts);
  if (warning) t.errors.unshift(warning);
  // a UTF-16 file's byte order mark (dropped by the decoder) counts too: the copy, written in UTF-8, then begins with
  // one, so Excel reads its accents as the input's (without it Excel read `é` as `Ã©`)
  if (text.charCodeAt(0) === 0xfeff || (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)))) t.bom = true;
  if (text.replace(/^\ufeff/, '').trim() === '') t.blank = true;
  return t;
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

/** Default byte budget of {@link readTabularSample}: 1 MiB. */
export const SAMPLE_BYTES = 1024 * 1024;
/** Default line budget of {@link readTabularSample}: the header and about this many records. */
export const SAMPLE_LINES = 200;

/** {@link readTabularSample}'s result: a {@link Tabular} of the file's first records. */
export interface TabularSample extends Tabular {
  /** True when the file is longer than what was read (the rows are its first ones, not all). */
  truncated: boolean;
  /** Bytes read from the file. */
  bytesRead: number;
  /** What the file is when its first bytes are no text ({@link sniffNotText}: compressed, an archive, binary data); else unset. */
  notText?: NotTextKind;
}

/**
 * The top-level elements of a JSON array that are complete in `t` (the start of an array cut short), as the text of
 * an array of them (`[e1,e2]`); at most `max` elements. Strings (with escapes) are skipped, brackets counted.
 */
function completeJsonArrayPrefix(t: string, max: number): string {
  const elems: string[] = [];
  let i = t.indexOf('[') + 1;
  while (elems.length < max) {
    while (i < t.length && /[\s,]/.test(t[i])) i++;
    if (i >= t.length || t[i] === ']') break;
    const start = i;
    let depth = 0;
    for (; i < t.length; i++) {
      const ch = t[i];
      if (ch === '"') {
        for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        if (depth === 0) break; // the array's own `]` after a primitive
        if (--depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && (ch === ',' || /\s/.test(ch))) break;
    }
    if (i >= t.length && depth !== 0) break; // cut inside this element
    if (i >= t.length) break; // a primitive that may go on
    elems.push(t.slice(start, i));
  }
  return `[${elems.join(',')}]`;
}

/**
 * Reads the start of a case or log file — its header and first records — for the column-mapping prompt of the
 * cases analysis (src/extension/kinds/kpi.ts), without reading the whole file on the extension host's main thread:
 * at most `maxBytes` bytes (default {@link SAMPLE_BYTES}; more only while no line end was read yet, up to 16 times
 * that, so a long header line is still read whole) and then the first `maxLines` lines (default
 * {@link SAMPLE_LINES}). A file shorter than that is read exactly as {@link readTabular} reads it (`truncated`
 * false). Else only complete lines are parsed (the last line, perhaps cut inside a quoted field, is dropped) — for a
 * JSON array, its complete first elements; a JSON document that is no array gives no rows. Columns are those of
 * the sampled rows (JSON, NDJSON: keys in first-seen order in them). A compressed or binary file (its first bytes,
 * {@link sniffNotText}) is not parsed: no columns, `notText` says what it is. Never rejects: an I/O error gives an
 * empty table with a line-0 error.
 */
export async function readTabularSample(file: string, opts: { maxBytes?: number; maxLines?: number; format?: TabularFormat } = {}): Promise<TabularSample> {
  const maxBytes = Math.max(1, opts.maxBytes ?? SAMPLE_BYTES);
  const maxLines = Math.max(2, opts.maxLines ?? SAMPLE_LINES);
  const hardCap = maxBytes * 16;
  const chunks: Buffer[] = [];
  let bytesRead = 0;
  let eof = false;
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    // non-blocking, checked on the handle: a FIFO named (or swapped in after a stat) is refused, never waited on
    fh = (await openRegularFile(file, () => new Error(NOT_REGULAR_FILE))).handle;
    for (;;) {
      const want = Math.min(bytesRead < maxBytes ? maxBytes - bytesRead : 64 * 1024, hardCap - bytesRead);
      if (want <= 0) break;
      const b = Buffer.alloc(want);
      const { bytesRead: n } = await fh.read(b, 0, want, bytesRead);
      if (n === 0) {
        eof = true;
        break;
      }
      chunks.push(n === want ? b : b.subarray(0, n));
      bytesRead += n;
      // past the budget: stop at once when a line end was read, else go on (a header longer than the budget)
      if (bytesRead >= maxBytes && chunks.some((c) => c.includes(0x0a) || c.includes(0x0d))) break;
    }
  } catch (e) {
    return { file, format: opts.format ?? 'csv', columns: [], rows: [], lineIsRecord: false, errors: [{ file, line: 0, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], truncated: false, bytesRead };
  } finally {
    await fh?.close().catch(() => undefined);
  }
  let buf = Buffer.concat(chunks);
  // a compressed or binary file, told by its first bytes (read anyway: no second look at the file)
  const notText = sniffNotText(buf.subarray(0, SNIFF_BYTES));
  if (notText) return { file, format: opts.format ?? 'csv', columns: [], rows: [], lineIsRecord: false, errors: [], truncated: !eof, bytesRead, notText };
  if (eof) {
    // the whole file: as readTabular
    const { text, warning } = decodeTableText(buf, file);
    const t = parseTabularText(text, file, opts.format);
    if (warning) t.errors.unshift(warning);
    return { ...t, truncated: false, bytesRead };
  }
  // only complete lines: cut after the last line end (UTF-16: after the two bytes of the last `\n`)
  const utf16 = tableUtf16(buf);
  let cut = -1;
  if (utf16) {
    const le = utf16 === 'utf-16le';
    for (let i = buf.length - 2; i >= 0; i -= 1) if ((i % 2 === 0) && (le ? buf[i] === 0x0a && buf[i + 1] === 0 : buf[i] === 0 && buf[i + 1] === 0x0a)) { cut = i + 2; break; }
  } else {
    cut = Math.max(buf.lastIndexOf(0x0a), buf.lastIndexOf(0x0d)) + 1;
    // the first maxLines lines only are decoded (the text is cut there again below, also for UTF-16)
    let at = 0;
    for (let k = 0; k < maxLines && at >= 0; k++) {
      at = buf.indexOf(0x0a, at);
      if (at >= 0) at++;
    }
    if (at > 0) cut = Math.min(cut, at);
  }
  buf = buf.subarray(0, Math.max(0, cut));
  const decoded = decodeTableText(buf, file);
  let text = decoded.text;
  // the first maxLines lines (a record with quoted line ends may be cut: the last row is dropped below)
  let at = 0;
  for (let k = 0; k < maxLines && at >= 0; k++) {
    at = text.indexOf('\n', at);
    if (at >= 0) at++;
  }
  if (at > 0) text = text.slice(0, at);
  const format = opts.format ?? formatOf(file, text);
  let t: Tabular;
  if (format === 'json') {
    const body = text.replace(/^\ufeff/, '').trimStart();
    t = body.startsWith('[') ? parseJsonText(completeJsonArrayPrefix(body, maxLines), file) : { file, format: 'json', columns: [], rows: [], lineIsRecord: true, errors: [] };
  } else {
    t = parseTabularText(text, file, format);
    if (format === 'csv' && t.rows.length > 0) {
      // the last record may be cut (a quoted field with line ends): dropped, with its problems
      const last = t.rows.pop()!;
      t.errors = t.errors.filter((e) => e.line < last.line);
      const named = new Set(t.header ? uniqueColumns(t.header) : []);
      t.columns = t.columns.filter((c) => !/^col_\d+$/.test(c) || named.has(c) || t.rows.some((r) => c in r.values));
    }
  }
  if (decoded.warning) t.errors.unshift(decoded.warning);
  return { ...t, truncated: true, bytesRead };
}
