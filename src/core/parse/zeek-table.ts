/**
 * Zeek TSV ("ASCII" writer) logs as a table for Normalize Timestamps (src/core/tz-file.ts): any Zeek log
 * (conn, dns, http…), plain text (a gzip file is refused before, as every compressed file). Pure (no I/O).
 *
 * Columns are the names of the `#fields` header (header lines are read with {@link parseZeekHeaderLine}, as the
 * conn reader reads them); `ts` is epoch seconds with a fraction (detected as such by the normaliser). A field
 * holding the `#unset_field` token (`-`) or the `#empty_field` token (`(empty)`) reads as empty. Every line is kept
 * for rewriting the file ({@link renderZeekNormalized}): header/footer lines (`#…`) and blank lines as
 * {@link KeptRecord}s, data lines as rows with their text in `raw`. A file may hold several header blocks; a data
 * line is read with the `#fields` of its block; a name that `#fields` lists twice is read from its first column (the
 * header line is reported).
 */
import type { ParseError } from '../model/common';
import type { KeptRecord, Tabular, TabularRow } from './cases-input';
import { parseZeekHeaderLine, repeatedFields, repeatedFieldsText } from './zeek';

/** True when the text's first non-blank line is a Zeek TSV header line (`#separator …` or `#fields…`). */
export function looksLikeZeekTsv(text: string): boolean {
  const m = /^\ufeff?(?:[ \t]*\r?\n)*(#[a-z_]+)/.exec(text);
  return m !== null && (m[1] === '#separator' || m[1] === '#fields');
}

/** Parses a Zeek TSV log (see the module comment). Never throws; lines that do not fit are reported, and kept. */
export function parseZeekTsvText(text: string, file: string): Tabular {
  const errors: ParseError[] = [];
  const rows: TabularRow[] = [];
  const kept: KeptRecord[] = [];
  const columns: string[] = [];
  let sep = '\t';
  let unset = '-';
  let empty = '(empty)';
  let fields: string[] | undefined;
  const seen = new Set<string>();
  /** Positions of the current #fields that repeat an earlier name (not read). */
  let firstOf: Set<number> | undefined;
  // LF, CRLF or a lone CR (classic Mac OS) ends a line
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.startsWith('#')) {
      const h = parseZeekHeaderLine(line, sep);
      if (h.key === '#separator') sep = h.values[0];
      else if (h.key === '#unset_field') unset = h.values[0] ?? '-';
      else if (h.key === '#empty_field') empty = h.values[0] ?? '(empty)';
      else if (h.key === '#fields') {
        fields = h.values;
        // a Set: a walk of the columns per field took 28 s for a header of 100,000 fields (an 890 KB file)
        for (const f of fields) {
          if (seen.has(f)) continue;
          seen.add(f);
          columns.push(f);
        }
        // a name listed twice: its first column is the value, as beacons reads it (the last one was, silently)
        const repeated = repeatedFields(fields);
        firstOf = repeated.length === 0 ? undefined : new Set(repeated.flatMap(([, cols]) => cols.slice(1).map((c) => c - 1)));
        if (repeated.length > 0) errors.push({ file, line: n, message: repeatedFieldsText(repeated) });
      }
      kept.push({ line: n, raw: line });
      return;
    }
    if (line.trim() === '') {
      kept.push({ line: n, raw: line });
      return;
    }
    const cells = line.split(sep);
    const values: Record<string, unknown> = {};
    if (!fields) errors.push({ file, line: n, message: 'data line before the #fields header: kept, no fields read' });
    else {
      // (the converted copy pads a short line with the unset token and declares a long line's extra fields as
      // col_<n>, so the added fields stay in their columns: renderZeekNormalized)
      if (cells.length !== fields.length)
        errors.push({
          file,
          line: n,
          message: `expected ${fields.length} fields (#fields), found ${cells.length}: kept, fields read by position${cells.length < fields.length ? ` (the missing ones unset: ${unset} in the copy)` : ' (the extra ones kept as col_<n> in the copy)'}`,
        });
      fields.forEach((f, j) => {
        if (firstOf?.has(j)) return;
        const v = cells[j] ?? '';
        // defineProperty: a field named `__proto__` is data, not the object's prototype
        Object.defineProperty(values, f, { value: v === unset || v === empty ? '' : v, enumerable: true, writable: true, configurable: true });
      });
    }
    rows.push({ values, line: n, raw: line });
  });
  return { file, format: 'zeek', columns, delimiter: '\t', rows, lineIsRecord: false, errors, kept };
}

/** `\xNN` for the characters a Zeek TSV value cannot hold as they are (the separator, line breaks, a backslash). */
function zeekEscape(v: string, sep: string): string {
  let out = '';
  for (const ch of v) out += ch === sep || ch === '\n' || ch === '\r' || ch === '\\' || ch === '\t' ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch;
  return out;
}

/**
 * The Zeek TSV text of a normalised table: every line of the input in its place, unchanged, except that each
 * `#fields` line declares the two added fields (`<C>_normalized`, `<C>_tz_flag`), each `#types` line gives them the
 * type `string`, and each data line ends with their two values (the file's unset token `-` when empty). LF line ends.
 * A data line with fewer fields than its block's `#fields` is padded with the unset token up to that width before the
 * added values; when a line of a block has more fields than its `#fields`, the block's `#fields` / `#types` also
 * declare the extra columns as `col_<n>` (type `string`, n counted from 1 as in the CSV output) and every line of the
 * block is padded to that width, so the added fields stay in their own columns (as the CSV output does).
 */
export function renderZeekNormalized(table: Tabular, added: [string, string], values: { normalized: string; flag: string }[]): string {
  const out = [...zeekNormalizedLines(table, added, values)];
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Fields of a Zeek TSV data line split at `sep` (its separators + 1), counted without splitting it. */
function fieldCount(line: string, sep: string): number {
  if (!sep) return 1;
  let n = 1;
  for (let i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + sep.length)) n++;
  return n;
}

/**
 * The lines of {@link renderZeekNormalized} (without line ends), one at a time. `added` names the fields added (two per
 * converted column: `<C>_normalized`, `<C>_tz_flag`); `values[i]` is the two values of data row i, or a function giving
 * all the added values of row i (several converted columns), in the order of `added`. Short lines are padded and a
 * block's extra fields declared as `col_<n>` (see {@link renderZeekNormalized}).
 */
export function* zeekNormalizedLines(table: Tabular, added: readonly string[], values: { normalized: string; flag: string }[] | ((row: number) => string[])): Generator<string> {
  const all: { line: number; raw: string; row?: number }[] = [
    ...table.rows.map((r, i) => ({ line: r.line, raw: r.raw ?? '', row: i })),
    ...(table.kept ?? []).map((k) => ({ line: k.line, raw: String(k.raw) })),
  ].sort((a, b) => a.line - b.line);
  // First pass: the width of each header block (from one `#fields` line to the next): its `#fields` count, or the
  // field count of its longest data line when that is more. Data lines before any `#fields` have no width (not padded).
  const widths: number[] = [];
  {
    let sep = '\t';
    let block = -1;
    for (const l of all) {
      if (l.row !== undefined) {
        if (block >= 0) {
          const n = fieldCount(l.raw, sep);
          if (n > widths[block]) widths[block] = n;
        }
        continue;
      }
      if (!l.raw.startsWith('#')) continue;
      const h = parseZeekHeaderLine(l.raw, sep);
      if (h.key === '#separator') sep = h.values[0];
      else if (h.key === '#fields') widths[++block] = h.values.length;
    }
  }
  let sep = '\t';
  let unset = '-';
  let block = -1;
  /** `col_<n>` names of the current block's extra fields (beyond its `#fields`). */
  let extra: string[] = [];
  const cellsOf = typeof values === 'function' ? values : (i: number) => [values[i].normalized, values[i].flag];
  for (const l of all) {
    if (l.row !== undefined) {
      const cell = (s: string) => (s === '' ? unset : zeekEscape(s, sep));
      const missing = block >= 0 ? widths[block] - fieldCount(l.raw, sep) : 0;
      const pad = missing > 0 ? `${sep}${unset}`.repeat(missing) : '';
      yield `${l.raw}${pad}${cellsOf(l.row).map((v) => `${sep}${cell(v)}`).join('')}`;
      continue;
    }
    if (!l.raw.startsWith('#')) {
      yield l.raw;
      continue;
    }
    const h = parseZeekHeaderLine(l.raw, sep);
    if (h.key === '#separator') sep = h.values[0];
    else if (h.key === '#unset_field') unset = h.values[0] ?? '-';
    if (h.key === '#fields') {
      block++;
      extra = Array.from({ length: widths[block] - h.values.length }, (_, j) => `col_${h.values.length + j + 1}`);
      yield `${l.raw}${[...extra, ...added].map((a) => `${sep}${a}`).join('')}`;
    } else if (h.key === '#types') yield `${l.raw}${[...extra, ...added].map(() => `${sep}string`).join('')}`;
    else yield l.raw;
  }
}
