/**
 * Small string helpers shared by the Loki parsers (no regex backtracking hot spots).
 * Reference: shared/docs/loki-format.md §1.2 (timestamps), §5 item 3 (spinner/ANSI garbage).
 */
import { isLeapSecondInstant } from '../leap-seconds';

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
  return a * 10 + b;
}

/** True if `s` has an ASCII digit at `i`. */
export function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * True if `s` at `i` holds a Python Loki timestamp `YYYYMMDDTHH:MM:SSZ` (18 chars, §1.2).
 */
export function isPyTs(s: string, i = 0): boolean {
  if (s.length < i + 18) return false;
  for (let k = 0; k < 8; k++) if (!isDigit(s, i + k)) return false;
  return (
    s.charCodeAt(i + 8) === 84 /* T */ &&
    isDigit(s, i + 9) && isDigit(s, i + 10) && s.charCodeAt(i + 11) === 58 &&
    isDigit(s, i + 12) && isDigit(s, i + 13) && s.charCodeAt(i + 14) === 58 &&
    isDigit(s, i + 15) && isDigit(s, i + 16) && s.charCodeAt(i + 17) === 90 /* Z */
  );
}

/** Milliseconds in 400 Gregorian years (146,097 days): the calendar repeats after them. */
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

/**
 * Epoch ms UTC of the calendar day `y-mo-d` (proleptic Gregorian, `mo` 1–12), or NaN when the date does
 * not exist: month outside 1–12, day outside the month (2022-02-29, 2022-13-99, 0000-00-00). `Date.UTC`
 * alone rolls such fields over into another date (month 13 = January of the next year) and maps years
 * 0–99 to 1900–1999; here years 0–99 are those years.
 */
export function utcDay(y: number, mo: number, d: number): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return NaN;
  if (d > 28) {
    const last = mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
    if (d > last) return NaN;
  }
  return y >= 0 && y < 100 ? Date.UTC(y + 400, mo - 1, d) - GREGORIAN_CYCLE_MS : Date.UTC(y, mo - 1, d);
}

/**
 * Milliseconds since midnight of a time of day, or NaN when a field is out of range: hour 0–23, minute
 * 0–59, second 0–60. Second 60 is read as second 59 of that minute; whether it is a leap second — the last
 * second of a UTC day, as Normalize Timestamps reads it (src/core/tz-normalize.ts) — the caller checks on the
 * instant with {@link leapSecondOk}.
 */
export function timeOfDayMs(h: number, mi: number, s: number): number {
  if (!(h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60)) return NaN;
  return h * 3_600_000 + mi * 60_000 + Math.min(s, 59) * 1000;
}

/**
 * `t` (epoch ms) when its second was not 60, or when it was and `t` (second 60 read as 59) is 23:59:59 UTC of a day
 * that ended with a leap second (src/core/leap-seconds.ts, IERS Bulletin C) — read as that day's last second, as
 * Normalize Timestamps does (`23:59:60Z` used to become 00:00:00 of the next day here, another day, even another
 * year, than there); else NaN: `12:34:60` does not exist, nor `2024-03-01T23:59:60Z` (no leap second that day).
 */
export function leapSecondOk(t: number, sec: number): number {
  if (sec !== 60) return t;
  return isLeapSecondInstant(t) ? t : NaN;
}

/**
 * Python Loki `20211013T22:11:03Z` → epoch ms UTC (shared/docs/loki-format.md §1.2). NaN when malformed
 * or when the date or time does not exist (`20221399T99:99:99Z`: see {@link utcDay}, {@link timeOfDayMs}).
 */
export function parsePyTs(s: string, i = 0): number {
  if (!isPyTs(s, i)) return NaN;
  const y = d2(s, i) * 100 + d2(s, i + 2);
  const sec = d2(s, i + 15);
  return leapSecondOk(utcDay(y, d2(s, i + 4), d2(s, i + 6)) + timeOfDayMs(d2(s, i + 9), d2(s, i + 12), sec), sec);
}

/** True if `s` at `i` holds `YYYY-MM-DDTHH:MM:SS` (19 chars, Loki-RS). */
export function isIsoPrefix(s: string, i = 0): boolean {
  if (s.length < i + 19) return false;
  return (
    isDigit(s, i) && isDigit(s, i + 1) && isDigit(s, i + 2) && isDigit(s, i + 3) && s.charCodeAt(i + 4) === 45 &&
    isDigit(s, i + 5) && isDigit(s, i + 6) && s.charCodeAt(i + 7) === 45 &&
    isDigit(s, i + 8) && isDigit(s, i + 9) && s.charCodeAt(i + 10) === 84 &&
    isDigit(s, i + 11) && isDigit(s, i + 12) && s.charCodeAt(i + 13) === 58 &&
    isDigit(s, i + 14) && isDigit(s, i + 15) && s.charCodeAt(i + 16) === 58 &&
    isDigit(s, i + 17) && isDigit(s, i + 18)
  );
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * ISO 8601 / RFC 3339 (`2026-02-03T09:41:27Z`, `2026-02-03T09:41:27.418902311+00:00`) → epoch ms
 * UTC. Fractions beyond milliseconds are truncated; no zone means UTC. NaN when malformed or when the
 * date or time does not exist (month 13, February 30, hour 24: see {@link utcDay}, {@link timeOfDayMs}).
 */
export function parseIsoTs(s: string): number {
  const m = ISO_RE.exec(s);
  if (!m) return NaN;
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  let t = utcDay(+m[1], +m[2], +m[3]) + timeOfDayMs(+m[4], +m[5], +m[6]) + ms;
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z.charCodeAt(0) === 45 ? -1 : 1;
    const hh = Number(z.slice(1, 3));
    const mm = Number(z.slice(z.length - 2));
    t -= sign * (hh * 60 + mm) * 60000;
  }
  return leapSecondOk(t, +m[6]);
}

/**
 * Removes ANSI escape sequences, backspaces with the spinner character they erase, and a leading
 * BOM. Returns the input unchanged (same string) when there is nothing to clean (fast path).
 */
export function cleanLine(line: string): string {
  let s = line;
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (s.indexOf('\x1b') >= 0) s = s.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b[@-_]/g, '');
  if (s.indexOf('\b') >= 0) s = s.replace(/\x08+[|\/\\-]?/g, '');
  return s;
}

/**
 * Strips a run of spinner characters (`|/-\`, spaces) in front of a timestamp, as left by
 * `loki.exe --csv > file` (§5 item 3). Only strips when a timestamp-looking text follows, so
 * continuation lines that start with `/` or `-` are kept.
 */
export function stripSpinnerPrefix(s: string): string {
  const c = s.charCodeAt(0);
  if (c !== 124 && c !== 47 && c !== 45 && c !== 92 && c !== 32) return s;
  let i = 0;
  while (i < s.length) {
    const k = s.charCodeAt(i);
    if (k === 124 || k === 47 || k === 45 || k === 92 || k === 32) i++;
    else break;
  }
  if (i < s.length && (isPyTs(s, i) || isIsoPrefix(s, i) || s.charCodeAt(i) === 123 /* { */ || s.charCodeAt(i) === 91 /* [ */)) {
    return s.slice(i);
  }
  return s;
}

/** Index of `key` in `s` at or after `from` where `key` is followed by ≥1 digit; returns -1. */
export function indexOfKeyDigits(s: string, key: string, from: number): number {
  let i = s.indexOf(key, from);
  while (i >= 0) {
    if (isDigit(s, i + key.length)) return i;
    i = s.indexOf(key, i + 1);
  }
  return -1;
}

/** Reads an unsigned integer at `i` (at most 15 digits); returns [value, endIndex] or [NaN, i]. */
export function readInt(s: string, i: number): [number, number] {
  let j = i;
  let v = 0;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (!(c >= 48 && c <= 57)) break; // also stops at NaN (an index outside the string)
    v = v * 10 + (c - 48); // exact: 15 digits stay below 2^53, so this equals Number(digits)
  }
  if (j === i || j - i > 15) return [NaN, i];
  return [v, j];
}

/** True if s[i..i+n) are lower/upper hex digits. */
export function isHexRun(s: string, i: number, n: number): boolean {
  if (s.length < i + n) return false;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Per UTF-16 code unit, bit flags for {@link hexRunKind}: 4 = not accepted by {@link isHexRun},
 * 2 = accepted and changed by toLowerCase (`A`-`F`), 1 = accepted and unchanged (64 KiB, built once).
 */
const HEX_FLAGS = (() => {
  const t = new Uint8Array(65536).fill(4);
  for (let c = 0; c < 256; c++) {
    const d = c | 0x20; // the test isHexRun makes (it also lets 0x10-0x19 through; kept as is)
    if ((d >= 48 && d <= 57) || (d >= 97 && d <= 102)) t[c] = c >= 0x41 && c <= 0x46 ? 2 : 1;
  }
  return t;
})();

/**
 * {@link isHexRun} with a note on case: 0 when `s[i..i+n)` is not a hex run (same test as
 * isHexRun), 1 when it is and `toLowerCase` would not change it, 2 when it contains `A`-`F`.
 * (One table lookup per code unit, four per step: this is the hot loop of locating a `FILE:` finding.)
 */
export function hexRunKind(s: string, i: number, n: number): 0 | 1 | 2 {
  if (s.length < i + n) return 0;
  const end = i + n;
  let acc = 0;
  let k = i;
  for (; k + 4 <= end; k += 4) {
    acc |= HEX_FLAGS[s.charCodeAt(k)] | HEX_FLAGS[s.charCodeAt(k + 1)] | HEX_FLAGS[s.charCodeAt(k + 2)] | HEX_FLAGS[s.charCodeAt(k + 3)];
    if (acc & 4) return 0;
  }
  for (; k < end; k++) acc |= HEX_FLAGS[s.charCodeAt(k)];
  return acc & 4 ? 0 : acc & 2 ? 2 : 1;
}

/** Value after `key` up to the next space (or end). */
export function tokenAfter(s: string, key: string, from = 0): string | undefined {
  const i = s.indexOf(key, from);
  if (i < 0) return undefined;
  const st = i + key.length;
  const e = s.indexOf(' ', st);
  return s.slice(st, e < 0 ? s.length : e);
}

/** Host part of a Loki default file name `loki_<host>_<YYYY-MM-DD_HH-MM-SS>.<ext>`, else undefined. */
/**
 * Normalised host key: trimmed, lower case. The parser tracks each host's scans by it and the
 * summary groups hosts by it (`FIN-WS0142`, `fin-ws0142` and ` FIN-WS0142 ` are one host), so both
 * agree on which records belong to one host.
 */
export function hostKey(host: string): string {
  return (host ?? '').trim().toLowerCase();
}

export function hostFromFileName(file: string): string | undefined {
  const base = file.replace(/^.*[\\/]/, '');
  const m = /^loki_(.+)_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(?:\.[A-Za-z0-9]+)*$/.exec(base);
  return m ? m[1] : undefined;
}

/**
 * True for a UTF-16 code unit that `String.prototype.trim` removes (ECMAScript WhiteSpace and
 * LineTerminator: TAB, LF, VT, FF, CR, space, NBSP, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000, U+FEFF).
 */
export function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** For `from >= 0`: true when `s.slice(from).trim() === ''` (every code unit from `from` on is {@link isTrimSpace}), without slicing. */
export function isBlankFrom(s: string, from: number): boolean {
  for (let k = from; k < s.length; k++) if (!isTrimSpace(s.charCodeAt(k))) return false;
  return true;
}

/**
 * `s.indexOf(' ' + word, from)` for `from >= 0` and a `word` that does not start with a space,
 * found by searching `word` and checking the space before it: V8's indexOf is several times slower
 * for a pattern that starts with a space (a frequent character).
 */
export function indexOfSpaced(s: string, word: string, from: number): number {
  let j = s.indexOf(word, from + 1);
  while (j >= 0 && s.charCodeAt(j - 1) !== 32) j = s.indexOf(word, j + 1);
  return j < 0 ? -1 : j - 1;
}

/** Code units {@link codeUnits} can copy. */
const UNIT_CAP = 4096;
const UNIT_ARRAY = new Uint16Array(UNIT_CAP);
/** A Buffer over UNIT_ARRAY's memory; undefined without Node's Buffer or on a big-endian machine (utf16le ≠ Uint16Array order). */
const UNIT_BUFFER: { write(s: string, offset: number, length: number, encoding: 'utf16le'): number } | undefined =
  typeof Buffer === 'function' && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
    ? Buffer.from(UNIT_ARRAY.buffer, UNIT_ARRAY.byteOffset, UNIT_ARRAY.byteLength)
    : undefined;

/**
 * The code units `s[0..end)` copied into one shared, reused Uint16Array (`units[k] === s.charCodeAt(k)`
 * for k < end, surrogates included; later entries are stale), or undefined when that is not possible:
 * `end > s.length`, `end` over 4,096, no Node Buffer, or a big-endian machine (the caller then reads the
 * string itself). For hot loops over many code units: `units[k]` costs about half of `charCodeAt(k)` on
 * the sliced strings a line reader hands out. No allocation; the next call overwrites the array.
 */
export function codeUnits(s: string, end: number): Uint16Array | undefined {
  if (UNIT_BUFFER === undefined || end > UNIT_CAP || end > s.length) return undefined;
  UNIT_BUFFER.write(s, 0, 2 * end, 'utf16le');
  return UNIT_ARRAY;
}

/** {@link hexRunKind} of `units[i..i+n)` as copied by {@link codeUnits} (the caller keeps `i + n` within the copied `end`). */
export function hexRunKindUnits(units: Uint16Array, i: number, n: number): 0 | 1 | 2 {
  const end = i + n;
  let acc = 0;
  let k = i;
  for (; k + 4 <= end; k += 4) {
    acc |= HEX_FLAGS[units[k]] | HEX_FLAGS[units[k + 1]] | HEX_FLAGS[units[k + 2]] | HEX_FLAGS[units[k + 3]];
    if (acc & 4) return 0;
  }
  for (; k < end; k++) acc |= HEX_FLAGS[units[k]];
  return acc & 4 ? 0 : acc & 2 ? 2 : 1;
}

/** Flags of two bytes at once, indexed by `b[k] | b[k + 1] << 8` (a little-endian Uint16 read): HEX_FLAGS of each, or-ed. */
const HEX_PAIR_FLAGS = (() => {
  const t = new Uint8Array(65536);
  for (let p = 0; p < 65536; p++) t[p] = HEX_FLAGS[p & 255] | HEX_FLAGS[p >> 8];
  return t;
})();
/** The last byte array {@link hexRunKindBytes} read and a DataView over it (one per read buffer, reused). */
let pairBytes: Uint8Array | undefined;
let pairView: DataView | undefined;

/**
 * {@link hexRunKind} of the bytes `b[i..i+n)` of an ASCII text (byte k is the code unit; the caller
 * keeps `i + n` within the text). Lets a finding read from a file buffer be located without copying
 * its message into code units. Reads two bytes per table lookup (little-endian `getUint16` into
 * HEX_PAIR_FLAGS; same result as one lookup per byte, ~40 % faster on the 136 hash digits of a
 * finding).
 */
export function hexRunKindBytes(b: Uint8Array, i: number, n: number): 0 | 1 | 2 {
  if (b !== pairBytes) {
    pairBytes = b;
    pairView = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  const v = pairView!;
  const end = i + n;
  let acc = 0;
  let k = i;
  for (; k + 8 <= end; k += 8) {
    acc |= HEX_PAIR_FLAGS[v.getUint16(k, true)] | HEX_PAIR_FLAGS[v.getUint16(k + 2, true)] | HEX_PAIR_FLAGS[v.getUint16(k + 4, true)] | HEX_PAIR_FLAGS[v.getUint16(k + 6, true)];
    if (acc & 4) return 0;
  }
  for (; k < end; k++) acc |= HEX_FLAGS[b[k]];
  return acc & 4 ? 0 : acc & 2 ? 2 : 1;
}

/** Forgets the byte array {@link hexRunKindBytes} read last (so a read buffer is not kept alive by it). */
export function releaseHexBytes(): void {
  pairBytes = undefined;
  pairView = undefined;
}

/** The ASCII code units of `word` as bytes (patterns for {@link startsWithBytes}). */
export function asciiBytes(word: string): Uint8Array {
  return Uint8Array.from(word, (c) => c.charCodeAt(0));
}

/**
 * `s.startsWith(word, at)` for a text whose code units are the bytes `b[base + k]` (an ASCII message
 * in its read buffer), with `pat` = {@link asciiBytes}(word): a byte loop, cheaper than startsWith at
 * an index on a V8 string. `len` is the text's length.
 */
export function startsWithBytes(b: Uint8Array, base: number, len: number, pat: Uint8Array, at: number): boolean {
  const n = pat.length;
  const from = at < 0 ? 0 : at; // as startsWith: a negative position counts from 0
  if (from + n > len) return n === 0;
  const o = base + from;
  for (let k = 0; k < n; k++) if (b[o + k] !== pat[k]) return false;
  return true;
}
