/**
 * Byte counts of connection records (Zeek `orig_ip_bytes`/`resp_ip_bytes`, QRadar flow and generic export byte
 * columns): the one rule of every connection reader for a count it cannot take. Pure (no I/O).
 */

/** Largest byte (or packet) count taken for one connection: 10^15 bytes (a petabyte); a larger or infinite count is unreadable. */
export const MAX_FLOW_COUNT = 1e15;

/**
 * A number read as a count: whole (truncated), from 0 to {@link MAX_FLOW_COUNT}; NaN when it is unreadable — above
 * 10^15 or infinite (`1e308`: sums of them were Infinity, null in the JSON report, and changed the data-size score),
 * negative (`-5`: a count never is; it lowered the pair's bytes) or NaN. The readers report such a value by file and
 * line ({@link countProblem}) and leave the record out, as one with an unreadable time or address.
 */
export function countOf(n: number): number {
  return n >= 0 && n <= MAX_FLOW_COUNT ? Math.trunc(n) : NaN;
}

/** A count written in decimal: `5`, `+5`, `5.0`, `5.`, `.5`, `1e15`, `-0` (a sign is judged by {@link countOf}). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Text of a count cell (already trimmed; `''` and the unset token handled by the caller) → {@link countOf} of its
 * number. Only decimal text is a number (`5`, `5.0`, `.5`, `1e15`, `-0`; ASCII digits): other text with a digit of
 * any script (`0x10`, `0b101`, `0o7`, `1_000`, `５`, `٥`, `12 KB`) is NaN, an unreadable count, as are the words
 * `NaN` and `Infinity`; text without any digit (`N/A`, `none`, `(empty)`) is an unset count, 0 as RITA reads one.
 */
export function countText(s: string): number {
  if (DECIMAL.test(s)) return countOf(Number(s));
  if (/^[+-]?(?:nan|infinity)$/i.test(s) || /\p{N}/u.test(s)) return NaN;
  return 0;
}

/**
 * A count field as a reader gets it (a JSON value, or a cell's text) → {@link countOf}: 0 when unset (absent, JSON
 * null, empty or blank text, text without a digit such as `-`), NaN when unreadable (see {@link countText}; also a
 * JSON boolean, object or array), which the reader reports by line ({@link unreadableCountText}).
 */
export function countValue(v: unknown): number {
  if (typeof v === 'number') return countOf(v);
  if (v === undefined || v === null) return 0;
  return typeof v === 'string' ? countText(v.trim()) : NaN;
}

/** Why a value that {@link countOf}/{@link countText} read as NaN is unreadable: `more than 10^15`, `negative` or `not a number`. */
export function countProblem(v: unknown): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim().replace(/,/g, '')) : NaN;
  return n > MAX_FLOW_COUNT ? 'more than 10^15' : n < 0 ? 'negative' : 'not a number';
}

/**
 * The error of a record left out for its byte count: `unreadable byte count in Source Bytes: "1e308" (more than
 * 10^15)`. `shown` is the value as the reader shows values (JSON text, cut).
 */
export function unreadableCountText(field: string, shown: string, v: unknown): string {
  return `unreadable byte count in ${field}: ${shown} (${countProblem(v)})`;
}
