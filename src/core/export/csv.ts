/**
 * CSV export with spreadsheet-formula neutralisation. OWNER: analytics helper.
 *
 * Output follows RFC 4180: fields separated by `,` (or {@link CsvOptions.delimiter}), records terminated by CRLF, a field is quoted
 * when it contains `,`, `"`, CR or LF, and `"` inside a quoted field is doubled. Quoting/escaping is
 * done by `csv-stringify` (with `quoted_match` so that a lone LF or CR is quoted too, which
 * csv-stringify does not do by itself when the record delimiter is CRLF).
 *
 * CSV injection (OWASP "CSV Injection", OWASP ASVS 5.0 V1.2.10): a *text* cell whose first
 * character is `=`, `+`, `-`, `@`, TAB (0x09), CR (0x0D), LF (0x0A) or NUL (0x00) — also behind
 * leading white space (` =1+1`, which Google Sheets trims) and control characters (VT, FF, DEL, NEL, the other C0 and
 * C1 controls: `\x0B=1+1`, which an import step may trim; see `LEAD`), and the full-width `＝ ＋ － ＠` — gets a leading
 * `'`, so spreadsheet applications show it as text
 * instead of evaluating it as a formula. Excel in locales whose list separator is `;` (most of
 * continental Europe) splits every line of a `.csv` at each `;`, quoted or not, so a text cell also
 * gets a `'` after each `;` that is followed (after spaces or `"`) by one of those characters:
 * `foo;=1+1` is written `foo;'=1+1`. Such Excel also ends a record at a line break inside a cell
 * that does not start its line (`a,"x⏎=1+1` is read as the field `a,"x` and a new record `=1+1`),
 * so a formula character after a line break in a cell gets a `'` too. A file written with another delimiter (`;`, TAB,
 * `|`: tz convert keeps a file's own) does not quote a `,` in a cell, and Excel with `,` as list separator (US, UK)
 * starts a cell there, so in such a file a formula character after a `,` gets a `'` as after a `;`. Numbers (JS
 * `number` values) are written as is, except a negative one, which gets a `'` as the text `-1` does (`-5` is written
 * `'-5`): such Excel reads a line up to its next `;`, so a bare `-5` and the cell after it are one field,
 * `-5,1+cmd|' /C calc'!A0`, a formula. `null`/`undefined` become empty fields; NaN becomes an empty field.
 *
 * Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and invisible characters (zero-width space,
 * joiners, LRM/RLM/ALM, word joiner, BOM, soft hyphen: `INVISIBLE_CLASS` in src/core/text-safe.ts) in a text cell are
 * written as the text `\u202e`, `\u200b` …, as the reports, CLI tables and tree labels show them: the value is kept
 * (readable, and the code point is named), but a spreadsheet can neither reorder a cell (`evil\u202Efdp.exe` shown as
 * `evilexe.pdf`) nor hide a character that makes two names differ. This is done before the formula checks: a cell
 * `\u200b=1+1` then starts with a backslash and is no formula.
 */
import { stringify } from 'csv-stringify/sync';
import type { SmallTable } from '../../shared/protocol';
import { showInvisible } from '../text-safe';
import { isoUtc } from '../time';
import { utcExportHeader } from '../table/store';

type Cell = string | number | undefined | null;

/**
 * White space a spreadsheet or an import step may drop before it reads a cell (Google Sheets trims, so does a CSV
 * import with "trim spaces"; Java's `String.trim()` drops every character up to U+0020, Python's `str.strip()` VT, FF,
 * U+001C–U+001F and NEL): spaces, no-break and other Unicode spaces, zero-width space, byte order mark; the C0 control
 * characters that are not formula starters themselves (U+0001–U+0008, VT, FF, U+000E–U+001F; TAB, CR, LF and NUL
 * are, see {@link FORMULA_START}), DEL and the C1 controls U+0080–U+009F (NEL is U+0085), the Mongolian vowel
 * separator U+180E and the word joiner U+2060. (U+180E, U+2060, ZWSP and BOM are written as `\u180e` … text before the
 * checks, see the module comment; they are listed for any text that reaches the checks without that step.)
 */
const LEAD = '[ \\u0001-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u00a0\\u1680\\u180e\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff]';
/** Formula characters, with their full-width forms (＝ ＋ － ＠, typed by East Asian IMEs and read as `=` … by such Excel). */
const FORMULA_CHARS = '=+\\-@\uff1d\uff0b\uff0d\uff20';

/**
 * Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection guidance, ASVS
 * V1.2.10), also behind leading white space ({@link LEAD}).
 */
const FORMULA_START = new RegExp(`^${LEAD}*[${FORMULA_CHARS}\\t\\r\\n\\0]`);

/**
 * A run of line breaks (CR, LF) that starts there: not after another CR or LF. The look-behind makes the search
 * linear in the run's length: without it every position inside a run of n line breaks was tried again, each
 * scanning to the run's end — n²/2 steps (a cell of 40,000 line breaks took ~10 s). A match never starts inside a run
 * anyway (`[\r\n]+` is greedy and a CR or LF after it fails the rest), so what matches is unchanged.
 */
const LINE_BREAK_RUN = '(?<![\\r\\n])[\\r\\n]+';

/**
 * A cell start for Excel with `;` as list separator, followed (after white space or quotes) by a formula
 * character: a `;`, or a line break inside the cell (such Excel reads `a,"x` as one unquoted field —
 * the quote is not at a field start — so the line break ends the record). A CRLF (any run of CR/LF)
 * counts as one line break: nothing is put between its CR and LF. Linear time ({@link LINE_BREAK_RUN}).
 */
const FORMULA_AFTER_SEPARATOR = new RegExp(`;(?:${LEAD}|")*(?=[${FORMULA_CHARS}\\t\\r\\n\\0])|${LINE_BREAK_RUN}(?:${LEAD}|")*(?=[${FORMULA_CHARS}\\t\\0])`, 'g');

/**
 * {@link FORMULA_AFTER_SEPARATOR} with `,` as a separator too, for a file written with another delimiter (`;`, TAB,
 * `|`: a `.csv` rewritten by tz convert keeps its own): a `,` inside a cell is not quoted there, and Excel with `,` as
 * list separator (US, UK) starts a cell at it — `foo,=1+1` in a `;` or TAB file is read as `foo` and `=1+1`.
 */
const FORMULA_AFTER_SEPARATOR_OR_COMMA = new RegExp(`[;,](?:${LEAD}|")*(?=[${FORMULA_CHARS}\\t\\r\\n\\0])|${LINE_BREAK_RUN}(?:${LEAD}|")*(?=[${FORMULA_CHARS}\\t\\0])`, 'g');

/**
 * Neutralises one cell for CSV: see the module comment. Exported for tests and other exporters.
 * @param delimiter the file's field separator (default `,`): with another one, a formula character after a `,` in the
 *   cell gets a `'` as after a `;` (such a `,` is not quoted, and Excel with `,` as list separator starts a cell there)
 */
export function neutralizeCell(v: Cell, delimiter = ','): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : v < 0 ? `'${v}` : String(v);
  // bidi controls and invisible characters as `\uXXXX` text (the data kept, made visible; see the module comment)
  let s = showInvisible(String(v));
  const comma = delimiter !== ',';
  if (comma ? /[;,\r\n]/.test(s) : /[;\r\n]/.test(s)) s = s.replace(comma ? FORMULA_AFTER_SEPARATOR_OR_COMMA : FORMULA_AFTER_SEPARATOR, "$&'");
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export interface CsvOptions {
  /** Prefix a UTF-8 BOM (U+FEFF) so Excel detects UTF-8. Default false. */
  bom?: boolean;
  /** Rows per csv-stringify call in {@link csvChunks} (default 5000). */
  batch?: number;
  /** Field separator (default `,`): a file rewritten with added columns keeps its own (`;`, TAB, `|`). */
  delimiter?: string;
}

const STRINGIFY_OPTS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

/**
 * Yields the CSV text in chunks (header first, then batches of rows), so very large exports can be
 * streamed to a file without building one huge string. Concatenating the chunks equals
 * {@link toCsv}. An empty header array writes no header record.
 */
export function* csvChunks(header: string[], rows: Iterable<Cell[]>, opts: CsvOptions = {}): Generator<string> {
  const batchSize = Math.max(1, opts.batch ?? 5000);
  const so = opts.delimiter && opts.delimiter !== ',' ? { ...STRINGIFY_OPTS, delimiter: opts.delimiter } : STRINGIFY_OPTS;
  let first = true;
  const prefix = () => {
    if (!first) return '';
    first = false;
    return opts.bom ? '\ufeff' : '';
  };
  const delimiter = opts.delimiter ?? ',';
  const cell = (v: Cell) => neutralizeCell(v, delimiter);
  if (header.length > 0) yield prefix() + stringify([header.map(cell)], so);
  let batch: string[][] = [];
  for (const r of rows) {
    batch.push(r.map(cell));
    if (batch.length >= batchSize) {
      yield prefix() + stringify(batch, so);
      batch = [];
    }
  }
  if (batch.length > 0) yield prefix() + stringify(batch, so);
  else if (first && opts.bom) yield prefix();
}

/**
 * Builds a CSV document (RFC 4180, CRLF line ends, formula-neutralised cells — see the module
 * comment) from a header row and data rows. Rows may have any length (no padding is added).
 * Never throws for string/number/null/undefined cells.
 */
export function toCsv(header: string[], rows: Iterable<Cell[]>, opts: CsvOptions = {}): string {
  let out = '';
  for (const c of csvChunks(header, rows, opts)) out += c;
  return out;
}

/**
 * The CSV of one small table of a dashboard (all rows): a column with {@link SmallTable.exportCells} writes
 * those numbers under its `exportTitle` (a duration in minutes, a rate in percent; empty for n/a), the others
 * their cells as shown. A `time` column with {@link SmallTable.exportTimes} is followed by a UTC column
 * (`utcExportHeader`: `Scan start (Europe/Berlin)` → `Scan start (UTC)`) with those instants in ISO 8601 UTC
 * (`2021-10-13T21:27:55Z`, milliseconds only when non-zero; empty for none), as the big tables' exports.
 * Cells go through the same formula neutralisation as every export.
 */
export function smallTableCsv(t: SmallTable, opts: CsvOptions = {}): string {
  const raw = t.columns.map((c) => t.exportCells?.[c.id]);
  const times = t.columns.map((c) => (c.type === 'time' ? t.exportTimes?.[c.id] : undefined));
  const header: string[] = [];
  t.columns.forEach((c, j) => {
    const h = raw[j] ? c.exportTitle ?? c.title : c.title;
    header.push(h);
    if (times[j]) header.push(utcExportHeader(h));
  });
  const rows = t.rows.map((r, i) => {
    const out: Cell[] = [];
    r.forEach((v, j) => {
      out.push(raw[j] ? raw[j]![i] : v);
      if (times[j]) out.push(isoUtc(times[j]![i] ?? undefined));
    });
    return out;
  });
  return toCsv(header, rows, opts);
}
