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
      if (cells.length !== fields.length) errors.push({ file, line: n, message: `expected ${fields.length} fields (#fields), found ${cells.length}: kept, fields read by position` });
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
 */
export function renderZeekNormalized(table: Tabular, added: [string, string], values: { normalized: string; flag: string }[]): string {
  const out = [...zeekNormalizedLines(table, added, values)];
  return out.join('\n') + (out.length ? '\n' : '');
}

/**
 * The lines of {@link renderZeekNormalized} (without line ends), one at a time. `added` names the fields added (two per
 * converted column: `<C>_normalized`, `<C>_tz_flag`); `values[i]` is the two values of data row i, or a function giving
 * all the added values of row i (several converted columns), in the order of `added`.
 */
export function* zeekNormalizedLines(table: Tabular, added: readonly string[], values: { normalized: string; flag: string }[] | ((row: number) => string[])): Generator<string> {
  let sep = '\t';
  let unset = '-';
  const all: { line: number; raw: string; row?: number }[] = [
    ...table.rows.map((r, i) => ({ line: r.line, raw: r.raw ?? '', row: i })),
    ...(table.kept ?? []).map((k) => ({ line: k.line, raw: String(k.raw) })),
  ].sort((a, b) => a.line - b.line);
  const cellsOf = typeof values === 'function' ? values : (i: number) => [values[i].normalized, values[i].flag];
  for (const l of all) {
    if (l.row !== undefined) {
      const cell = (s: string) => (s === '' ? unset : zeekEscape(s, sep));
      yield `${l.raw}${cellsOf(l.row).map((v) => `${sep}${cell(v)}`).join('')}`;
      continue;
    }
    if (!l.raw.startsWith('#')) {
      yield l.raw;
      continue;
    }
    const h = parseZeekHeaderLine(l.raw, sep);
    if (h.key === '#separator') sep = h.values[0];
    else if (h.key === '#unset_field') unset = h.values[0] ?? '-';
    if (h.key === '#fields') yield `${l.raw}${added.map((a) => `${sep}${a}`).join('')}`;
    else if (h.key === '#types') yield `${l.raw}${added.map(() => `${sep}string`).join('')}`;
    else yield l.raw;
  }
}
