/**
 * "Normalize Timestamps": converts one timestamp column of a CSV / JSON / NDJSON log (or a text log read line by
 * line) to a target zone and writes a **new** file (the input is never modified), with two added columns per row:
 * `<column>_normalized` (ISO 8601 in the target zone, with offset) and `<column>_tz_flag`
 * (`ambiguous` / `nonexistent` / `unparsed` plus an explanation, empty when fine). Pure except for
 * the file I/O in {@link readNormalizeInput} and {@link writeNormalized} (no vscode). Used by the
 * `SOC: Normalize Timestamps…` command and `soc-analytics tz convert`. A Zeek TSV log is read by its `#fields` header
 * and written back as a Zeek log (src/core/parse/zeek-table.ts); a compressed or binary file is refused by both
 * ({@link isNotTextTable}).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { csvChunks } from './export/csv';
import type { ParseError } from './model/common';
import { readTabular, TZ_CONVERT_MEMORY, type Tabular, type TabularFormat } from './parse/cases-input';
import { notTextKindText, sniffNotTextFile, type NotTextKind } from './parse/not-text';
import { zeekNormalizedLines } from './parse/zeek-table';
import { addEvidence, inspectTimeColumns, isoInZone, parseTimestamp, type AmbiguousPolicy, type ColumnSuggestion, type ResolvedTime, type TimestampFormat } from './tz-normalize';

export interface NormalizeOptions {
  column: string;
  format: TimestampFormat;
  /** Zone of naive values (IANA or `UTC`). */
  fromZone: string;
  /** Target zone (IANA or `UTC`). */
  toZone: string;
  ambiguous?: AmbiguousPolicy;
  /** Year for RFC 3164 values (default: derived from `referenceMs`). */
  year?: number;
  referenceMs?: number;
  /**
   * Further columns converted in the same pass, each with its own format and the same zones and ambiguity policy
   * (a ticket export's Created, Acknowledged and Closed in one copy). Their two added columns follow the first
   * column's, in this order; each has its own counts ({@link NormalizeResult.more}).
   */
  more?: { column: string; format: TimestampFormat }[];
}

/**
 * Counts of one conversion. Every row is exactly one of: `converted` (an instant was written), `empty`, `nonexistent`,
 * `unparsed`, or ambiguous and not converted (policy `blank`): `rows = converted + empty + nonexistent + unparsed +
 * (ambiguous rows left empty)`. `aware + naive = converted`. `ambiguous` counts every ambiguous row (flagged); with the
 * policies `earlier` / `later` they are also counted in `converted` and `naive`.
 */
export interface NormalizeStats {
  rows: number;
  /** Rows with an instant written. */
  converted: number;
  empty: number;
  /** Converted rows whose text carried its zone (offset, `Z`, epoch); `epoch` of them are epoch numbers. */
  aware: number;
  /** Converted epoch numbers (a subset of `aware`): UTC instants by definition, no zone of their own. */
  epoch: number;
  /** Converted rows read in the source zone (no zone in the text). */
  naive: number;
  /** Wall-clock times that occur twice (DST fall-back): flagged; converted unless the policy is `blank`. */
  ambiguous: number;
  /** Wall-clock times that do not exist (DST spring-forward gap): flagged, never converted. */
  nonexistent: number;
  /** Unreadable values: flagged, not converted. */
  unparsed: number;
}

/** What the input's records are called in a summary: `line` (a text log), `record` (JSON, NDJSON, Zeek), `row` (CSV). */
export type RecordNoun = 'row' | 'line' | 'record';

/** The {@link RecordNoun} of an input format: `lines` → `line`, `json` / `ndjson` / `zeek` → `record`, else `row`. */
export function recordNoun(format: string): RecordNoun {
  return format === 'lines' ? 'line' : format === 'json' || format === 'ndjson' || format === 'zeek' ? 'record' : 'row';
}

/**
 * Plain-language summary of a conversion (counts add up to `s.rows`), one to three lines:
 * 1. what was converted, into which zone, and how each kind of value was read:
 *    `Converted 3 of 6 rows to UTC: 3 had no zone and were read as Europe/Berlin time; 1 of them is in the hour
 *    that repeats when clocks go back: the earlier time was used (flagged).` (epoch values are `UTC by definition`;
 *    texts with an offset or `Z` `carried an offset or Z`);
 * 2. what was not converted and why, only when some were: `Not converted, flagged in ts_tz_flag: 2 rows (1 in the
 *    hour skipped when clocks go forward; 1 not readable as a time).` — with `policy` `blank`, the times of the
 *    repeated hour are here (`left empty, as chosen`);
 * 3. the records with no time, only when some have none: `1 row with no time in the column: left as it is.`
 * `opts.toZone`: the target zone (named in line 1); `opts.flagColumn`: the added flag column (named in line 2);
 * `opts.noun`: what a record is called ({@link recordNoun}; default `row`).
 */
export function describeNormalizeStats(
  s: NormalizeStats,
  fromZone: string,
  policy: AmbiguousPolicy = 'earlier',
  opts: { toZone?: string; flagColumn?: string; noun?: RecordNoun } = {},
): string {
  const noun = opts.noun ?? 'row';
  const n = (k: number) => `${k} ${noun}${k === 1 ? '' : 's'}`;
  const blank = policy === 'blank';
  // each kind of converted value worded for what it is (only the kinds present): an epoch number is a UTC instant
  // (it has no zone of its own), an ISO/Loki text carries an offset or Z, a text without a zone was read in the source zone
  const kinds: string[] = [];
  const withOffset = s.aware - s.epoch;
  if (withOffset > 0) kinds.push(`${withOffset} carried an offset or Z`);
  if (s.epoch > 0) kinds.push(`${s.epoch} ${s.epoch === 1 ? 'was an epoch value' : 'were epoch values'} (UTC by definition)`);
  if (s.naive > 0) kinds.push(`${s.naive} had no zone and ${s.naive === 1 ? 'was' : 'were'} read as ${fromZone} time`);
  const repeated = 'in the hour that repeats when clocks go back';
  if (!blank && s.ambiguous > 0) kinds.push(`${s.ambiguous} of them ${s.ambiguous === 1 ? 'is' : 'are'} ${repeated}: the ${policy} time was used (flagged)`);
  const to = opts.toZone ? ` to ${opts.toZone}` : '';
  const lines = [s.converted > 0 ? `Converted ${s.converted} of ${n(s.rows)}${to}: ${kinds.join('; ')}.` : `Nothing converted${to} (${n(s.rows)}).`];
  const why = [
    ...(blank && s.ambiguous > 0 ? [`${s.ambiguous} ${repeated} (left empty, as chosen)`] : []),
    ...(s.nonexistent > 0 ? [`${s.nonexistent} in the hour skipped when clocks go forward`] : []),
    ...(s.unparsed > 0 ? [`${s.unparsed} not readable as a time`] : []),
  ];
  const notConverted = s.nonexistent + s.unparsed + (blank ? s.ambiguous : 0);
  if (notConverted > 0) lines.push(`Not converted, flagged${opts.flagColumn ? ` in ${opts.flagColumn}` : ''}: ${n(notConverted)} (${why.join('; ')}).`);
  if (s.empty > 0) lines.push(`${n(s.empty)} with no time in the column: left as ${s.empty === 1 ? 'it is' : 'they are'}.`);
  return lines.join('\n');
}

export interface NormalizedRow {
  line: number;
  original: string;
  /** ISO 8601 in the target zone, `''` when there is no instant. */
  normalized: string;
  /** `''` or `<flag>: <note>`. */
  flag: string;
  ms?: number;
}

export interface NormalizeResult {
  options: NormalizeOptions;
  /** Names of the two added columns. */
  outColumns: [string, string];
  rows: NormalizedRow[];
  stats: NormalizeStats;
  /** Carried zone → count (for the "majority" display zone). */
  evidence: Record<string, number>;
  /** Per-row problems (unparsed, ambiguous, nonexistent) with file and line/record. */
  errors: ParseError[];
  /**
   * The conversions of {@link NormalizeOptions.more}, in order (each its own options, added column names, rows, counts
   * and problems); `errors` and `evidence` above then hold every column's (the first column's first).
   */
  more?: NormalizeResult[];
}

/** The names of every column a conversion adds, in output order: two per converted column. */
export function addedColumnNames(result: { outColumns: [string, string]; more?: { outColumns: [string, string] }[] }): string[] {
  return [...result.outColumns, ...(result.more ?? []).flatMap((m) => m.outColumns)];
}

/** The added values of row `i`, in the order of {@link addedColumnNames}. */
function addedCells(result: NormalizeResult, i: number): string[] {
  const out = [result.rows[i].normalized, result.rows[i].flag];
  for (const m of result.more ?? []) out.push(m.rows[i].normalized, m.rows[i].flag);
  return out;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * Converts `opts.column` of every row, then each column of `opts.more` (a column named again is converted once). Rows
 * without the column count as `empty`. Never throws. Every flagged row is also listed in `errors` (`file`, `line` =
 * the row's line/record number; the message starts with the column's name). `onProgress(done, total)` counts rows
 * times columns.
 */
export function normalizeTable(table: Tabular, opts: NormalizeOptions, onProgress?: (done: number, total: number) => void): NormalizeResult {
  const { more: given, ...first } = opts;
  const more = (given ?? []).filter((m, i, all) => m.column !== first.column && all.findIndex((x) => x.column === m.column) === i);
  if (!more.length) return normalizeColumn(table, first, new Set(table.columns), onProgress);
  const columns = [first.column, ...more.map((m) => m.column)];
  // the names taken: the table's columns, then each conversion's two added columns
  const taken = new Set(table.columns);
  const total = table.rows.length * columns.length;
  const progress = (k: number) => (onProgress ? (done: number) => onProgress(k * table.rows.length + done, total) : undefined);
  const main = normalizeColumn(table, first, taken, progress(0));
  const rest = more.map((m, k) => normalizeColumn(table, { ...first, column: m.column, format: m.format }, taken, progress(k + 1)));
  let evidence = main.evidence;
  for (const r of rest) for (const [z, n] of Object.entries(r.evidence)) evidence = { ...evidence, [z]: (evidence[z] ?? 0) + n };
  return { ...main, options: opts, errors: [...main.errors, ...rest.flatMap((r) => r.errors)], evidence, more: rest };
}

/** One column of {@link normalizeTable}; its added names avoid `taken` and are added to it. */
function normalizeColumn(table: Tabular, opts: NormalizeOptions, taken: Set<string>, onProgress?: (done: number, total: number) => void): NormalizeResult {
  const stats: NormalizeStats = { rows: 0, converted: 0, empty: 0, aware: 0, epoch: 0, naive: 0, ambiguous: 0, nonexistent: 0, unparsed: 0 };
  const rows: NormalizedRow[] = [];
  const resolved: ResolvedTime[] = [];
  const errors: ParseError[] = [];
  let outName = `${opts.column}_normalized`;
  let flagName = `${opts.column}_tz_flag`;
  while (taken.has(outName)) outName += '_';
  taken.add(outName);
  while (taken.has(flagName)) flagName += '_';
  taken.add(flagName);
  for (const r of table.rows) {
    if (onProgress && stats.rows % 10000 === 0) onProgress(stats.rows, table.rows.length);
    stats.rows++;
    const original = cellText(r.values[opts.column]);
    const res = parseTimestamp(original, opts.format, { sourceZone: opts.fromZone, ambiguous: opts.ambiguous, year: opts.year, referenceMs: opts.referenceMs });
    if (original.trim() === '') stats.empty++;
    else if (res.ms !== undefined) {
      // only converted rows: an ambiguous time left empty or a non-existent one is not "read in" any zone
      if (res.aware) {
        stats.aware++;
        if (opts.format.startsWith('epoch-')) stats.epoch++;
      } else stats.naive++;
    }
    if (res.flag) {
      stats[res.flag]++;
      errors.push({ file: table.file, line: r.line, message: `${opts.column}: ${res.flag}: ${res.note ?? ''}` });
    }
    if (res.ms !== undefined) stats.converted++;
    resolved.push(res);
    rows.push({ line: r.line, original, normalized: isoInZone(res.ms, opts.toZone, res.frac), flag: res.flag ? `${res.flag}: ${res.note ?? ''}` : '', ms: res.ms });
  }
  return { options: opts, outColumns: [outName, flagName], rows, stats, evidence: addEvidence({}, resolved), errors };
}

/**
 * Reads the input of Normalize Timestamps: {@link readTabular} as a log ({@link ReadOptions.timestampLog}): a CSV
 * without a header row (Loki's `--csv` log, also of one record) keeps its first record as a row, a text log (syslog
 * lines, lines that start with a time in brackets) is read line by line, bytes that are not UTF-8 are read as
 * windows-1252 (reported).
 */
export async function readNormalizeInput(file: string): Promise<NormalizeInput> {
  // a compressed or binary file is told by its first bytes and not read as text at all (a 50 MB .log.gz)
  const kind = await sniffNotTextFile(file);
  if (kind) return { file, format: 'csv', columns: [], rows: [], lineIsRecord: false, errors: [], notTextKind: kind };
  // a file whose conversion would not fit in the heap is refused unread (an 8-million-line log ended the process)
  return readTabular(file, undefined, { timestampLog: true, memory: TZ_CONVERT_MEMORY });
}

export { sniffNotText, sniffNotTextFile, type NotTextKind } from './parse/not-text';

/** A table read by {@link readNormalizeInput}: `notTextKind` set when its first bytes are no text ({@link sniffNotText}; then no rows). */
export type NormalizeInput = Tabular & { notTextKind?: NotTextKind };

/**
 * Why Normalize Timestamps has nothing to convert in a table read by {@link readNormalizeInput}, with the file name
 * `shown` (as the user gave it): `<file> is empty` (no bytes, or blank lines only), `<file> has a header but no rows`
 * (a CSV header or a Zeek `#fields` header and no record), `<file> has no records` (a JSON document without one).
 * Undefined when it has a record, or when a file-level problem (line 0: cannot read it, not valid JSON) says why not.
 */
export function emptyInputMessage(table: Tabular, shown: string): string | undefined {
  if (table.rows.length > 0 || table.errors.some((e) => e.line === 0)) return undefined;
  if (table.blank) return `${shown} is empty`;
  if ((table.format === 'csv' && table.header) || (table.format === 'zeek' && table.columns.length > 0)) return `${shown} has a header but no rows`;
  return `${shown} has no records`;
}

/**
 * The note on a CSV header that names the converted column more than once (`time,time`): which column is read —
 * `the header names "time" twice (columns 1 and 2): column 1 is converted (--column time_2 picks column 2)`.
 * `column` is one of `table.columns` (the second `time` is `time_2` there). Undefined when the name is not repeated.
 */
export function duplicateColumnNote(table: Pick<Tabular, 'header' | 'columns'>, column: string): string | undefined {
  const header = table.header;
  const at = table.columns.indexOf(column);
  if (!header || at < 0 || at >= header.length) return undefined;
  const raw = header[at].trim();
  const same = header.map((h, i) => (h.trim() === raw ? i : -1)).filter((i) => i >= 0);
  if (same.length < 2) return undefined;
  const times = same.length === 2 ? 'twice' : `${same.length} times`;
  const others = same.filter((i) => i !== at).map((i) => `--column ${table.columns[i]} picks column ${i + 1}`);
  return `the header names "${raw}" ${times} (columns ${same.map((i) => i + 1).join(', ')}): column ${at + 1} is converted (${others.join(', ')})`;
}

/** What every message on a file Normalize Timestamps (`tz convert`) refuses as no text says after its name ({@link notTextTableMessage}). */
export const NOT_TEXT_TABLE = 'is not a text table';

/** What Normalize Timestamps reads (said after {@link NOT_TEXT_TABLE} of a binary file). */
const READS = 'only CSV, TSV, JSON, NDJSON, Zeek TSV and text logs (uncompressed) can be converted';

/** The decompress command per compressed-file ending (`-k` keeps the compressed file). */
const DECOMPRESS: [RegExp, string, NotTextKind][] = [
  [/\.gz$/i, 'gunzip -k', 'gzip'],
  [/\.bz2$/i, 'bunzip2 -k', 'bzip2'],
  [/\.xz$/i, 'unxz -k', 'xz'],
  [/\.zst$/i, 'unzstd', 'zstd'],
];

/** The command that writes a compressed file's text to stdout, per {@link NotTextKind} (none for a zip archive or binary data). */
const TO_STDOUT: Record<NotTextKind, string | undefined> = {
  gzip: 'gunzip -c',
  bzip2: 'bunzip2 -c',
  xz: 'xz -dc',
  zstd: 'zstd -dc',
  zip: undefined,
  binary: undefined,
};

/** `name` as one shell word (single-quoted unless it is plain; `./` before a name that starts with `-`, not an option). */
function shellWord(name: string): string {
  const n = name.startsWith('-') ? `./${name}` : name;
  return /^[\w./:@%+=,-]+$/.test(n) ? n : `'${n.replace(/'/g, `'\\''`)}'`;
}

/**
 * Why Normalize Timestamps (`tz convert`) refuses `file` (the name shown, as the user gave it), by what its first
 * bytes are (`kind`, {@link sniffNotText}; without it: by the name's ending, else a binary file) — the one text the CLI
 * and the extension show. `<file>` {@link NOT_TEXT_TABLE}, what the file is and the next step:
 * - compressed, with its usual ending: `conn.log.gz is not a text table: it is a gzip-compressed file; decompress it
 *   first, e.g. \`gunzip -k conn.log.gz\` (keeps the compressed file), then convert conn.log`;
 * - compressed under another name: `…; decompress it first, e.g. \`gunzip -c x.bin > x.bin.txt\`, then convert x.bin.txt`;
 * - a zip archive: `…; extract the log from it first (unzip), then convert the extracted file`;
 * - other binary data: `x.png is not a text table: it is a binary file; only CSV, TSV, JSON, NDJSON, Zeek TSV and text logs
 *   (uncompressed) can be converted`.
 * The file name is attacker-chosen: in a command it is one shell word (quoted; `./` before a leading `-`).
 */
export function notTextTableMessage(file: string, kind?: NotTextKind): string {
  const byName = DECOMPRESS.find(([re]) => re.test(file));
  const k: NotTextKind = kind ?? byName?.[2] ?? 'binary';
  const toStdout = TO_STDOUT[k];
  const head = `${file} ${NOT_TEXT_TABLE}: it is ${notTextKindText(k, true)}`;
  if (byName && byName[2] === k) {
    const [re, cmd] = byName;
    return `${head}; decompress it first, e.g. \`${cmd} ${shellWord(file)}\` (keeps the compressed file), then convert ${file.replace(re, '')}`;
  }
  if (toStdout) return `${head}; decompress it first, e.g. \`${toStdout} ${shellWord(file)} > ${shellWord(`${file}.txt`)}\`, then convert ${file}.txt`;
  if (k === 'zip') return `${head}; extract the log from it first (unzip), then convert the extracted file`;
  return `${head}; ${READS}`;
}

/**
 * True when {@link readNormalizeInput} found no text table: its first bytes are compressed or binary data
 * (`notTextKind`), or a file read as text has column names with control bytes or U+FFFD. Such a file is refused with
 * {@link notTextTableMessage} (its "columns" are never shown).
 */
export function isNotTextTable(table: NormalizeInput): boolean {
  return table.notTextKind !== undefined || table.columns.some((c) => /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(c));
}

/**
 * Where the output puts the two added values, in words for the preview: `Added columns: a, b.` for a table with a
 * header; for a CSV without a header row, two new fields at the end of each line; for a text log, two fields in
 * front of each line; for a Zeek log, two fields declared in `#fields`/`#types`.
 */
export function describeAddedColumns(table: Pick<Tabular, 'format' | 'header'>, result: { outColumns: [string, string]; more?: { outColumns: [string, string] }[] }): string {
  const names = addedColumnNames(result);
  const n = names.length / 2;
  if (table.format === 'csv' && !table.header)
    return n === 1
      ? `The converted time and its flag are added as two new fields at the end of each line (the file has no header line).`
      : `Each converted time and its flag are added as ${names.length} new fields at the end of each line, in the order the columns were chosen (the file has no header line).`;
  if (table.format === 'lines') return `Each line is written as: converted time, TAB, flag, TAB, the line as it was.`;
  if (table.format === 'zeek') return `Added fields: ${names.join(', ')} (declared in #fields and #types; every # line and data line is kept).`;
  return `Added columns: ${names.join(', ')}.`;
}

/**
 * Text of the output file, in the input's format:
 * - CSV: the original header and cells, plus the two columns (after `col_<n>` columns for the extra
 *   fields of records longer than the header); written with `src/core/export/csv.ts` (RFC 4180 with the
 *   input's delimiter — comma, `;`, TAB or `|` —, CRLF, formula guard on text cells); a file without a
 *   header row is written without one (its first record stays its first line);
 * - JSON: the same array, or the same enclosing object with its other members as they were (they were left out), the
 *   two fields added per object; elements that are not objects are kept at their place, unchanged (a list nested
 *   deeper than can be written: empty, reported — it made the write fail with a stack overflow);
 * - NDJSON: every line in its place: each object's line as written (read with its text, as {@link readNormalizeInput}
 *   reads it) with the two fields added before its closing brace — else the object written by JSON.stringify —; a line
 *   that is not a JSON object (it is reported as an input problem) and a blank line are kept as they were;
 * - lines (a text log): each line as `<normalized> TAB <flag> TAB <the line as written>`, a blank line as it was (LF
 *   line ends);
 * - zeek (a Zeek TSV log): every line in its place, the two fields declared in `#fields` / `#types` (type `string`)
 *   and added at the end of each data line, `-` (unset) when empty (see `renderZeekNormalized`).
 * An input that began with a byte order mark ({@link Tabular.bom}) gives an output that begins with one.
 */
export function renderNormalized(table: Tabular, result: NormalizeResult): string {
  let out = '';
  for (const c of normalizedChunks(table, result)) out += c;
  return out;
}

/**
 * {@link renderNormalized} in pieces (a few thousand records each), in order: what {@link writeNormalized} writes. One
 * string of the whole output was built before, and an output past about 512 M characters (a 400 MB log whose cells
 * need quoting) failed with `Cannot create a string longer than 0x1fffffe8 characters` after the whole conversion.
 */
export function* normalizedChunks(table: Tabular, result: NormalizeResult): Generator<string> {
  // an input that began with a UTF-8 byte order mark (Excel's "CSV UTF-8") keeps it: Excel then reads the output as UTF-8
  if (table.bom) yield '\ufeff';
  yield* bodyChunks(table, result);
}

/** Records per chunk of {@link normalizedChunks} (lines, NDJSON and JSON records). */
const CHUNK_RECORDS = 5000;

/** `lines` joined by LF with a final LF (none for no line), {@link CHUNK_RECORDS} lines per chunk. */
function* lineChunks(lines: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  for (const l of lines) {
    batch.push(l);
    if (batch.length >= CHUNK_RECORDS) {
      yield batch.join('\n') + '\n';
      batch = [];
    }
  }
  if (batch.length) yield batch.join('\n') + '\n';
}

/**
 * The text of one JSON object (`text`: a whole object, white space around it allowed) with `members` (name, text
 * value) added before its closing brace, the rest of the text unchanged: `{"a":1}` → `{"a":1,"x":"…"}`, `{}` →
 * `{"x":"…"}`. Names and values are written as JSON strings.
 */
export function withJsonMembers(text: string, members: readonly (readonly [string, string])[]): string {
  const close = text.lastIndexOf('}');
  if (close < 0 || members.length === 0) return text;
  const added = members.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`).join(',');
  const empty = text.slice(0, close).trimEnd().endsWith('{');
  return `${text.slice(0, close)}${empty ? '' : ','}${added}${text.slice(close)}`;
}

/**
 * The lines of a table read line by line (text log, NDJSON) in the input's order, one at a time: row i as `text(i)`,
 * a kept record (a blank line, an NDJSON line that is no object) as its text. Rows and kept records are each in line
 * order (as the parsers make them): merged, not sorted.
 */
function* inLineOrder(table: Tabular, text: (i: number) => string): Generator<string> {
  const kept = table.kept ?? [];
  let k = 0;
  for (let i = 0; i < table.rows.length; i++) {
    while (k < kept.length && kept[k].line < table.rows[i].line) yield String(kept[k++].raw);
    yield text(i);
  }
  while (k < kept.length) yield String(kept[k++].raw);
}

function* bodyChunks(table: Tabular, result: NormalizeResult): Generator<string> {
  const names = addedColumnNames(result);
  if (table.format === 'zeek') {
    yield* lineChunks(zeekNormalizedLines(table, names, (i) => addedCells(result, i)));
    return;
  }
  if (table.format === 'lines') {
    // blank lines (kept records) stay blank and in their place, so a line of the copy is the input's line of that number
    yield* lineChunks(inLineOrder(table, (i) => `${addedCells(result, i).join('\t')}\t${table.rows[i].raw ?? ''}`));
    return;
  }
  if (table.format === 'ndjson') {
    // a record read with its text (readNormalizeInput) is written as it was — its spacing, key order, a key given
    // twice, digits a JavaScript number cannot hold — with the added fields before its closing brace
    yield* lineChunks(
      inLineOrder(table, (i) => {
        const r = table.rows[i];
        const cells = addedCells(result, i);
        if (r.raw !== undefined) return withJsonMembers(r.raw, names.map((n, k) => [n, cells[k]] as const));
        const v: Record<string, unknown> = { ...r.values };
        for (let k = 0; k < names.length; k++) v[names[k]] = cells[k];
        return JSON.stringify(v);
      }),
    );
    return;
  }
  if (table.format === 'csv') {
    // without a header row the columns are col_1… of the first record's fields (longer records add col_<n>)
    const given = table.header ?? table.columns.slice(0, table.rows[0]?.cells?.length ?? table.columns.length);
    const cellsOf = (r: Tabular['rows'][number]) => r.cells ?? table.columns.map((c) => cellText(r.values[c]));
    // Records with more fields than the header: their extra fields get `col_<n>` headers (as when read), so the
    // two added columns stay under their own headers (they were written under the extra fields' place).
    const width = table.rows.reduce((w, r) => Math.max(w, cellsOf(r).length), given.length);
    const header = [...given, ...Array.from({ length: width - given.length }, (_, j) => `col_${given.length + j + 1}`), ...names];
    // the rows one at a time (an array of every output row at once took memory beside the table's)
    const rows = function* () {
      for (let i = 0; i < table.rows.length; i++) {
        const cells = cellsOf(table.rows[i]);
        const padded = cells.length < width ? [...cells, ...Array(width - cells.length).fill('')] : cells;
        yield [...padded, ...addedCells(result, i)];
      }
    };
    // a file without a header row is written without one: the first line is the first record, as in the input
    yield* csvChunks(table.header ? header : [], rows(), { delimiter: table.delimiter });
    return;
  }
  const objs: { line: number; v: unknown; kept?: true }[] = table.rows.map((r, i) => {
    const v: Record<string, unknown> = { ...r.values };
    const cells = addedCells(result, i);
    for (let k = 0; k < names.length; k++) v[names[k]] = cells[k];
    return { line: r.line, v };
  });
  // records that are not objects stay where they were (sorted back in by their line / record number)
  const all = table.kept?.length ? [...objs, ...table.kept.map((k) => ({ line: k.line, v: k.raw, kept: true as const }))].sort((a, b) => a.line - b.line) : objs;
  // JSON: the text of JSON.stringify(doc, null, 2), one element at a time — each element's own text indented by its
  // depth (a JSON text holds no raw line break inside a string, so every line break is layout). Under a member, the
  // enclosing object's other members are written around the array, in their order.
  const indent = (text: string, pad: string) => text.replace(/\n/g, `\n${pad}`);
  function* array(pad: string): Generator<string> {
    if (all.length === 0) {
      yield '[]';
      return;
    }
    let batch = '[\n';
    for (let i = 0; i < all.length; i++) {
      batch += `${pad}  ${indent(JSON.stringify(all[i].v, null, 2) ?? 'null', `${pad}  `)}${i < all.length - 1 ? ',' : ''}\n`;
      if ((i + 1) % CHUNK_RECORDS === 0) {
        yield batch;
        batch = '';
      }
    }
    yield `${batch}${pad}]`;
  }
  if (!table.member) {
    yield* array('');
    yield '\n';
    return;
  }
  const wrapper = table.wrapper ?? { [table.member]: [] };
  const keys = Object.keys(wrapper);
  if (!keys.includes(table.member)) keys.push(table.member);
  yield '{\n';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    yield `  ${JSON.stringify(key)}: `;
    if (key === table.member) yield* array('  ');
    else yield indent(JSON.stringify(wrapper[key], null, 2) ?? 'null', '  ');
    yield k < keys.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}

/**
 * True when `a` and `b` name the same existing file: the same path, or (after following symlinks) the
 * same device and inode, so a symlink or hard link to a file counts as that file. False when either
 * does not exist.
 */
export async function isSameFile(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  try {
    const [x, y] = await Promise.all([fsp.stat(a), fsp.stat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Writes {@link renderNormalized} to `outPath`; refuses to overwrite the input file (also through a
 * symlink or hard link to it, see {@link isSameFile}). Rejects on I/O errors.
 */
export async function writeNormalized(table: Tabular, result: NormalizeResult, outPath: string): Promise<void> {
  if (await isSameFile(outPath, table.file)) throw new Error(SAME_FILE_REFUSAL);
  // written in pieces (normalizedChunks): the output is never one string (over 512 M characters it could not be)
  const fh = await fsp.open(outPath, 'w');
  try {
    let pending = '';
    for (const c of normalizedChunks(table, result)) {
      pending += c;
      if (pending.length >= 1 << 20) {
        await fh.write(pending, null, 'utf8');
        pending = '';
      }
    }
    if (pending) await fh.write(pending, null, 'utf8');
  } finally {
    await fh.close();
  }
}

/**
 * Why `tz convert` does not write onto `out` (the name shown) that already exists, and how to replace it:
 * `--out /tmp/x.csv already exists; pass --force to replace it, or choose another file` (exit 2). The extension's
 * preview says instead that the file exists and offers Replace File / Choose Location….
 */
export function outputExistsMessage(out: string): string {
  return `--out ${out} already exists; pass --force to replace it, or choose another file`;
}

/** True when `file` exists (a file, folder or anything else); false when it does not or cannot be checked. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Why {@link writeNormalized} does not write (the output path names the input file). */
export const SAME_FILE_REFUSAL = 'refusing to overwrite the input file; choose another output path';

/** How many records of the input {@link NormalizeInspection.head} holds (format detection and the source-zone check sample them). */
export const INSPECT_HEAD_ROWS = 500;
/** Input problems / flagged rows listed one by one in a {@link NormalizeInspection} / {@link NormalizeSummary} (the rest are counted). */
export const LISTED_PROBLEMS = 200;

/**
 * What the `SOC: Normalize Timestamps…` command asks its questions with, computed where the file was read (the
 * extension's worker thread) and sent to the extension host instead of the whole table: structured-cloneable, its
 * size bounded by the number of columns (not of records).
 */
export interface NormalizeInspection {
  file: string;
  format: TabularFormat;
  columns: string[];
  /** CSV: the header row (undefined for a CSV without one); see {@link describeAddedColumns}. */
  header?: string[];
  /** Records read. */
  rows: number;
  /** {@link isNotTextTable}. */
  notText: boolean;
  /** What the file is when {@link notText} ({@link NormalizeInput.notTextKind}; undefined: told by its columns only). */
  notTextKind?: NotTextKind;
  /** The message of a file-level problem (line 0: cannot read the file, not valid JSON). */
  fileError?: string;
  /** {@link emptyInputMessage} with the file's base name: why there is nothing to convert (`x.csv has a header but no rows`). */
  noRows?: string;
  /** {@link suggestTimeColumns} of the columns. */
  suggestions: ColumnSuggestion[];
  /** Column → its first non-empty value (as text, at most 60 characters), for the prompts' examples. */
  examples: Record<string, string>;
  /** The values of the first {@link INSPECT_HEAD_ROWS} records (whether the times carry a zone). */
  head: Record<string, unknown>[];
  /**
   * Column → its first {@link TIME_SAMPLE_ROWS} non-empty values wherever they are ({@link nonEmptySample}): the format
   * of a chosen column is detected from them, as `tz convert --column` detects it (a column empty in the first
   * records has a format too).
   */
  samples: Record<string, unknown[]>;
  /** Problems of the input itself (bad JSON lines, extra CSV fields, not UTF-8): the first {@link LISTED_PROBLEMS}. */
  errors: ParseError[];
  errorCount: number;
}

/** The {@link NormalizeInspection} of a table read by {@link readNormalizeInput}. */
export function inspectNormalizeInput(table: NormalizeInput): NormalizeInspection {
  const notText = isNotTextTable(table);
  const examples: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!notText) {
    // the first non-empty value of each column (the rows are walked once, until every column has one)
    const left = new Set(table.columns);
    for (const r of table.rows) {
      if (left.size === 0) break;
      for (const c of left) {
        const v = r.values[c];
        if (v !== undefined && v !== '') {
          examples[c] = String(v).slice(0, 60);
          left.delete(c);
        }
      }
    }
  }
  // the suggestions and each column's first non-empty values from one read of the column (inspectTimeColumns)
  const times = notText ? { suggestions: [], samples: {} } : inspectTimeColumns(table.columns, table.rows.map((r) => r.values));
  return {
    file: table.file,
    format: table.format,
    columns: notText ? [] : table.columns,
    header: notText ? undefined : table.header,
    rows: table.rows.length,
    notText,
    notTextKind: table.notTextKind,
    fileError: table.errors.find((e) => e.line === 0)?.message,
    noRows: emptyInputMessage(table, path.basename(table.file)),
    suggestions: times.suggestions,
    examples,
    head: notText ? [] : table.rows.slice(0, INSPECT_HEAD_ROWS).map((r) => r.values),
    samples: times.samples,
    errors: table.errors.slice(0, LISTED_PROBLEMS),
    errorCount: table.errors.length,
  };
}

/** A conversion as the extension host needs it ({@link NormalizeResult} without its per-record arrays). */
export interface NormalizeSummary {
  outColumns: [string, string];
  stats: NormalizeStats;
  evidence: Record<string, number>;
  /** The first `previewRows` converted records (as written → converted, flag). */
  preview: Pick<NormalizedRow, 'original' | 'normalized' | 'flag'>[];
  /** The first {@link LISTED_PROBLEMS} flagged records (of every column). */
  errors: ParseError[];
  errorCount: number;
  /** The further columns' conversions ({@link NormalizeOptions.more}), each with its own counts and first records. */
  more?: { column: string; format: TimestampFormat; outColumns: [string, string]; stats: NormalizeStats; preview: Pick<NormalizedRow, 'original' | 'normalized' | 'flag'>[] }[];
}

/** The {@link NormalizeSummary} of a conversion, with its first `previewRows` records (default 12). */
export function summarizeNormalize(result: NormalizeResult, previewRows = 12): NormalizeSummary {
  return {
    outColumns: result.outColumns,
    stats: result.stats,
    evidence: result.evidence,
    preview: result.rows.slice(0, previewRows).map((r) => ({ original: r.original, normalized: r.normalized, flag: r.flag })),
    errors: result.errors.slice(0, LISTED_PROBLEMS),
    errorCount: result.errors.length,
    ...(result.more?.length
      ? {
          more: result.more.map((m) => ({
            column: m.options.column,
            format: m.options.format,
            outColumns: m.outColumns,
            stats: m.stats,
            preview: m.rows.slice(0, previewRows).map((r) => ({ original: r.original, normalized: r.normalized, flag: r.flag })),
          })),
        }
      : {}),
  };
}

/** Extensions a spreadsheet opens as delimited text by itself (Excel `.csv`; LibreOffice and others `.tsv` too). */
const SPREADSHEET_EXTENSIONS = new Set(['.csv', '.tsv']);

/**
 * Why `format`'s copy must not be written to `out`, or undefined: a Zeek log (format `zeek`, recognised by its header
 * whatever its name), a text log read line by line (`lines`) or a JSON / NDJSON file is written with its values and
 * lines as they are — only a CSV input's cells are formula-guarded ({@link neutralizeCell}) — so a `.csv` / `.tsv`
 * name would have a spreadsheet read a logged value after a comma or tab, `x,=HYPERLINK("http://evil"),`, as a formula.
 */
export function spreadsheetOutputProblem(format: Tabular['format'], out: string): string | undefined {
  if (format === 'csv') return undefined;
  const ext = path.extname(out).toLowerCase();
  if (!SPREADSHEET_EXTENSIONS.has(ext)) return undefined;
  const what = format === 'zeek' ? 'a Zeek log' : format === 'lines' ? 'a text log read line by line' : format === 'ndjson' ? 'an NDJSON file' : 'a JSON file';
  const own = format === 'zeek' || format === 'lines' ? '.log' : format === 'ndjson' ? '.ndjson' : '.json';
  return `the copy of ${what} keeps its lines and values as they are (not CSV, no formula guard): a spreadsheet opening a ${ext} file would read a logged value such as =HYPERLINK(…) after a comma as a formula; name the output ${own}`;
}

/**
 * Default output name: `<name>.<zone-slug>.<ext>` beside the input (e.g. `export.utc.csv`); for an input named `.csv` /
 * `.tsv` that is not read as CSV (`format` `zeek`, `lines`: `.log`; `json`, `ndjson`: `.json`, `.ndjson`), the
 * extension of what is written (see {@link spreadsheetOutputProblem}).
 */
export function defaultOutputPath(input: string, toZone: string, format?: Tabular['format']): string {
  const slug = toZone.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'utc';
  const m = /^(.*?)(\.[^./\\]+)?$/.exec(input)!;
  const ext = m[2] ?? '';
  const own = format === 'zeek' || format === 'lines' ? '.log' : format === 'ndjson' ? '.ndjson' : '.json';
  return `${m[1]}.${slug}${format && spreadsheetOutputProblem(format, `x${ext}`) ? own : ext}`;
}
