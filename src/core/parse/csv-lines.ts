/**
 * Line numbers of csv-parse records as an editor counts lines. csv-parse (`info.lines`, checked with
 * csv-parse 5–7) counts the CR and the LF of a CRLF inside a quoted field as two lines, so each such
 * CRLF moves every later record one line too far; a lone CR or LF inside a field is one line for
 * both. Pure (no I/O).
 */
import type { Options as CsvOptions } from 'csv-parse/sync';

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

/** Most physical lines one CSV record may span before its quote counts as one that never closes. */
export const MAX_CSV_RECORD_LINES = 10_000;
/** Longest record over several lines (characters) before its quote counts as one that never closes. */
export const MAX_CSV_MULTILINE_CHARS = 1 << 20;

/** Why a quoted field that ran past its line was not kept as one field (see {@link CsvSplitter}). */
export type CsvUnclosedReason =
  | { kind: 'eof' }
  | { kind: 'lines'; limit: number }
  | { kind: 'chars'; limit: number }
  | { kind: 'rejected'; last: number; why: string };

/**
 * The note on the line of a quote read as text: `unclosed quote: this record is kept with its quotes read as text, and
 * the lines after it are read on their own` and, unless the quote never closes, why (the lines the quote would have
 * joined, or the limit it ran past).
 */
export function unclosedText(line: number, reason: CsvUnclosedReason): string {
  const base = 'unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own';
  switch (reason.kind) {
    case 'eof':
      return base;
    case 'lines':
      return `${base} (its quoted field ran past ${reason.limit} lines, the limit for one record)`;
    case 'chars':
      return `${base} (its quoted field ran past ${reason.limit} characters, the limit for one record over several lines)`;
    case 'rejected':
      return `${base} (the quote closes on line ${reason.last}: lines ${line}–${reason.last} would be one record, and ${reason.why})`;
  }
}

/** One physical line: its text without the line end, the line end (`\r\n`, `\n`, `\r` or '' at the end) and its number (1-based). */
interface PhysLine {
  text: string;
  end: string;
  n: number;
}

/**
 * Splits CSV text fed one physical line at a time into records, in linear time. A field is quoted when it starts with
 * `"` (`""` inside is one quote); a quote elsewhere is text (`ab"c`), and so is a quoted field whose closing quote is
 * followed by more text (`"bad"x` is read as written), as csv-parse's `relax_quotes` reads them. A quoted field that
 * runs past its line end joins the next lines into its record (a multi-line description); that record is handed to
 * `accept` first, and when `accept` answers a reason (a string), or the quote that closes such a field is followed by
 * more text (`"abc⏎"Next",…`: a stray quote on the line above a quoted record), or the record grows past {@link MAX_CSV_RECORD_LINES}
 * lines or {@link MAX_CSV_MULTILINE_CHARS} characters, or the text ends inside the quote, its first line goes to
 * `onUnclosed` instead and the lines after it are read again on their own, so no record is lost to a stray quote.
 * Each line's text is searched once per reading (a field over many lines is not searched again as it grows); a line
 * is read again only as part of a rejected record, which is at most those limits long, so the cost is linear in the
 * text (a stray quote every 20,000 lines of 1.5 M: ~2.7 s, every line read at most twice).
 * Empty lines outside a record go to `onEmpty`.
 */
export class CsvSplitter {
  private pending: PhysLine[] = [];
  private pendingChars = 0;
  // parse state of the pending record
  private cells: string[] = [];
  private raw: string[] = []; // the open quoted field as written on the lines before (from its opening quote, with line ends)
  private stack: PhysLine[] = []; // lines to read, the next one last
  private draining = false;
  // the line where a quoted field over several lines closed with more text after its quote (`"abc⏎"Next",…`), if one did
  private strayClose: number | undefined;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (cells: string[], first: number, last: number) => void,
    private readonly onUnclosed: (line: number, text: string, reason: CsvUnclosedReason) => void,
    private readonly accept: (cells: string[], first: number, last: number) => string | undefined = () => undefined,
    private readonly onEmpty: (line: number) => void = () => undefined,
    private readonly maxLines = MAX_CSV_RECORD_LINES,
    private readonly maxChars = MAX_CSV_MULTILINE_CHARS,
  ) {}

  /** Feeds line `n` (its text without the line end, and the line end: '' for a last line without one). */
  push(text: string, end: string, n: number): void {
    this.stack.push({ text, end, n });
    this.drain();
  }

  /** The text ended: a quote still open never closes. */
  end(): void {
    this.drain();
    while (this.pending.length > 0) {
      this.reject({ kind: 'eof' });
      this.drain();
    }
  }

  /** Reads the lines to read (the line pushed, and the lines after a rejected record's first line), in order. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.stack.length > 0) this.line(this.stack.pop()!);
    } finally {
      this.draining = false;
    }
  }

  private line(l: PhysLine): void {
    if (this.pending.length === 0) {
      if (l.text === '') return this.onEmpty(l.n);
      this.cells = [];
      this.strayClose = undefined;
      this.pending = [l];
      this.pendingChars = l.text.length + l.end.length;
      this.fields(l, 0);
      return;
    }
    this.pending.push(l);
    this.pendingChars += l.text.length + l.end.length;
    if (this.pending.length > this.maxLines) return this.reject({ kind: 'lines', limit: this.maxLines });
    if (this.pendingChars > this.maxChars) return this.reject({ kind: 'chars', limit: this.maxChars });
    this.quoted(l, 0, 0);
  }

  /** Reads the fields of line `l` from `p` (the start of a field, outside quotes). */
  private fields(l: PhysLine, p: number): void {
    const t = l.text;
    const d = this.delimiter;
    for (;;) {
      if (t.charCodeAt(p) === 34 /* " */) {
        this.raw = [];
        return this.quoted(l, p, p + 1);
      }
      const k = t.indexOf(d, p);
      if (k < 0) {
        this.cells.push(t.slice(p));
        return this.done();
      }
      this.cells.push(t.slice(p, k));
      p = k + d.length;
    }
  }

  /**
   * Inside a quoted field: its text on line `l` starts at `start` (its opening quote, or 0 on a later line); the
   * closing quote is looked for from `from`. Only this line is searched (the lines before are in `raw`), so a field
   * over many lines costs its length once.
   */
  private quoted(l: PhysLine, start: number, from: number): void {
    const t = l.text;
    const d = this.delimiter;
    for (;;) {
      const q = t.indexOf('"', from);
      if (q < 0) {
        // the quote runs past this line: wait for the next
        this.raw.push(t.slice(start), l.end);
        return;
      }
      if (t.charCodeAt(q + 1) === 34) {
        from = q + 2; // a doubled quote
        continue;
      }
      if (q + 1 === t.length || t.startsWith(d, q + 1)) {
        const raw = this.raw.join('') + t.slice(start, q + 1);
        this.raw = [];
        this.cells.push(raw.slice(1, -1).replace(/""/g, '"'));
        if (q + 1 === t.length) return this.done();
        return this.fields(l, q + 1 + d.length);
      }
      // text after the closing quote: the field as written, up to the next delimiter on this line. A quoted field that
      // ran past its line never ends so: its opening quote was a stray one, and this quote opens the next line's first
      // field (`"abc⏎"Multiple Login Failures",…` glued the stray line into the next record, silently)
      if (this.pending.length > 1) this.strayClose ??= l.n;
      const k = t.indexOf(d, q + 1);
      this.cells.push(this.raw.join('') + t.slice(start, k < 0 ? t.length : k));
      this.raw = [];
      if (k < 0) return this.done();
      return this.fields(l, k + d.length);
    }
  }

  /** The pending record is complete. */
  private done(): void {
    const lines = this.pending;
    const cells = this.cells;
    const first = lines[0].n;
    const last = lines[lines.length - 1].n;
    if (lines.length > 1) {
      const why = this.accept(cells, first, last) ?? (this.strayClose !== undefined ? 'more text follows that quote, which ends no quoted field' : undefined);
      if (why !== undefined) return this.reject({ kind: 'rejected', last, why });
    }
    this.pending = [];
    this.cells = [];
    this.onRecord(cells, first, last);
  }

  /** The pending record's first line is read with its quotes as text; the lines after it are read again on their own. */
  private reject(reason: CsvUnclosedReason): void {
    const [head, ...rest] = this.pending;
    this.pending = [];
    this.cells = [];
    this.raw = [];
    this.strayClose = undefined;
    this.onUnclosed(head.n, head.text, reason);
    // the lines after it are read next, before any line not read yet
    for (let i = rest.length - 1; i >= 0; i--) this.stack.push(rest[i]);
  }
}

/** Kind of a cell for {@link swallowedLine}: a time, a number, empty, or other text. */
function cellShape(c: string): 'time' | 'num' | 'empty' | 'text' {
  const t = c.trim();
  if (t === '') return 'empty';
  if (/^[-+]?\d+(?:\.\d+)?$/.test(t)) return 'num';
  if (/^\d{4}-\d{2}-\d{2}/.test(t) || /^\d{1,2}\/\d{1,2}\/\d{2,4}/.test(t) || /^[A-Z][a-z]{2} \d{1,2}, \d{4}/.test(t)) return 'time';
  return 'text';
}

/** The cells of one line read on its own (quotes as {@link CsvSplitter} reads them; a quote left open is text). */
export function cellsOfLine(text: string, delimiter: string): string[] {
  let out: string[] | undefined;
  const s = new CsvSplitter(delimiter, (cells) => (out ??= cells), (_n, t) => (out ??= t.split(delimiter)));
  s.push(text, '', 1);
  s.end();
  return out ?? [text];
}

/**
 * Why a record over several lines looks like lines joined by a stray quote, or undefined when it does not: a line
 * inside one of its quoted fields (with the fields after it, for the field's last line) reads as a record of the
 * header's `width` whose cells are of the same kinds as the record's own (a time where it has a time, a number where
 * it has a number; empty cells match anything; at least one time or number agrees) — a case row swallowed by
 * `"Phish…` that closes a thousand lines later. A quoted multi-line description's lines are not such records.
 */
export function swallowedLine(cells: readonly string[], width: number, delimiter: string, firstLine: number): string | undefined {
  if (cells.length !== width) return undefined;
  const shapes = cells.map(cellShape);
  let line = firstLine;
  for (let k = 0; k < cells.length; k++) {
    const f = cells[k];
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    const lines = f.split(/\r\n|\n|\r/);
    const rest = cells.slice(k + 1).map((c) => (c.indexOf(delimiter) >= 0 || c.indexOf('"') >= 0 ? `"${c.replace(/"/g, '""')}"` : c));
    for (let n = 1; n < lines.length; n++) {
      const text = n === lines.length - 1 ? [lines[n], ...rest].join(delimiter) : lines[n];
      if (text.split(delimiter).length < width && text.indexOf('"') < 0) continue; // too few delimiters: no record
      const got = cellsOfLine(text, delimiter);
      if (got.length !== width) continue;
      let agree = 0;
      let ok = true;
      // the field's last line ends in the record's own fields after it: only the cells before the field are evidence
      const own = n === lines.length - 1 ? k : width;
      for (let j = 0; j < width && ok; j++) {
        if (j === k) continue;
        const a = cellShape(got[j]);
        const b = shapes[j];
        if (a === 'empty' || b === 'empty') continue;
        if (a !== b) ok = false;
        else if (a !== 'text' && j < own) agree++;
      }
      if (ok && agree > 0) return `line ${line + n} inside its quoted field reads as a record of the header's ${width} columns`;
    }
    line += lines.length - 1;
  }
  return undefined;
}

/**
 * True when a field of `cells` holds both a line break and the delimiter: lines joined by a quoted field that look like
 * records of their own (two stray quotes lines apart), not a multi-line note. For a CsvSplitter `accept`.
 */
export function holdsJoinedLines(cells: readonly string[], delimiter: string): boolean {
  return cells.some((f) => (f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) && f.indexOf(delimiter) >= 0);
}

/**
 * The records of CSV text (split by {@link CsvSplitter} on every line end: CRLF, LF, a lone CR; empty lines skipped;
 * `options.delimiter`, default `,`; a BOM at the start dropped with `options.bom`), each with the line it ends on
 * (1-based). A quote that never closes, runs past {@link MAX_CSV_RECORD_LINES} lines or
 * {@link MAX_CSV_MULTILINE_CHARS} characters, or joins lines that read as records of the first record's width (the
 * header; {@link swallowedLine}), or into a record of another width with the delimiter in its joined field, keeps its
 * first line with the quotes read as text (`onError(line, note, 'unclosed')`, {@link unclosedText}) and the lines
 * after it are read on their own. Never throws; `'unreadable'` is not reported any more (every line is read).
 */
export function parseCsvRecords(
  text: string,
  options: CsvOptions,
  onError: (line: number, problem: string, kind: 'unreadable' | 'unclosed') => void,
): CsvRecord[] {
  const delimiter = typeof options.delimiter === 'string' ? options.delimiter : ',';
  const body = options.bom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const recs: CsvRecord[] = [];
  let width: number | undefined;
  const s = new CsvSplitter(
    delimiter,
    (cells, _first, last) => {
      width ??= cells.length;
      recs.push({ record: cells, info: { lines: last } });
    },
    (line, t, reason) => {
      const cells = t.split(delimiter); // its quotes read as text
      width ??= cells.length;
      recs.push({ record: cells, info: { lines: line } });
      onError(line, unclosedText(line, reason), 'unclosed');
    },
    (cells, first) => {
      if (width === undefined) return undefined;
      if (holdsJoinedLines(cells, delimiter) && cells.length !== width) return `that record has ${cells.length} fields, the header ${width}`;
      return swallowedLine(cells, width, delimiter, first);
    },
  );
  let n = 0;
  const re = /\r\n|\n|\r/g;
  let from = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    s.push(body.slice(from, m.index), m[0], ++n);
    from = m.index + m[0].length;
  }
  if (from < body.length) s.push(body.slice(from), '', ++n);
  s.end();
  return recs;
}
