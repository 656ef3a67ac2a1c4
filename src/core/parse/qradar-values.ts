/**
 * Value coercion for QRadar records: every field is optional, numbers may arrive as strings
 * (`"7.0"`, qradar.md §4 "Counting at the source"), times are epoch ms (or seconds, or ISO strings in
 * XSOAR output, §5.3 heuristics), and the console's CSV display format is `MMM d, yyyy, h:mm:ss a`
 * in the console time zone (§5.1 "Time columns"). Nothing here throws.
 */
import { DateTime } from 'luxon';
import { resolveWall } from '../tz-normalize';

/** Outcome of a coercion: a value, nothing (null/missing/empty), or a problem description. */
export type Coerced<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function shown(v: unknown): string {
  // JSON.stringify writes Infinity and NaN as `null`: a `1e400` in the file was named `(null)`
  if (typeof v === 'number' && !Number.isFinite(v)) return `${String(v)}: a number beyond JavaScript's range, such as 1e400`;
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A finite number from a number or a numeric string (`"5"`, `" 7.0 "`); null/''/undefined → no value. */
export function toNumber(v: unknown): Coerced<number> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, problem: `not a finite number (${shown(v)})` };
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return { ok: true, value: undefined };
    // "1e400" matches the pattern but is Infinity (it made every sum it went into Infinity)
    if (NUMERIC.test(t)) return Number.isFinite(Number(t)) ? { ok: true, value: Number(t) } : { ok: false, problem: `not a finite number (${shown(v)})` };
    return { ok: false, problem: `not a number (${shown(v)})` };
  }
  return { ok: false, problem: `not a number (${shown(v)})` };
}

/**
 * An integer id (number or numeric string with an integral value) that a JavaScript number holds exactly: beyond
 * ±(2^53 − 1) (`Number.MAX_SAFE_INTEGER`) two ids that differ become one number (9007199254740993 is read as
 * 9007199254740992), so such a value is a problem, never a rounded id (QRadar's ids are 32-bit).
 */
export function toInt(v: unknown): Coerced<number> {
  const n = toNumber(v);
  if (!n.ok || n.value === undefined) return n;
  if (!Number.isInteger(n.value)) return { ok: false, problem: `not an integer (${shown(v)})` };
  return Number.isSafeInteger(n.value) ? n : { ok: false, problem: unsafeIntegerProblem(typeof v === 'string' ? v.trim() : undefined, n.value) };
}

/**
 * The problem text of an integer beyond ±(2^53 − 1): `text` is the value as written when known (a string value, or the
 * number's token in the JSON text), `read` the number JavaScript made of it.
 */
export function unsafeIntegerProblem(text: string | undefined, read: number): string {
  const t = text === undefined ? 'an integer' : `${text.length > 40 ? `${text.slice(0, 39)}…` : text} is`;
  return `${t} beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as ${String(read)}; QRadar ids are 32-bit)`;
}

/** Text from a string or number; null/undefined → no value; other types are a problem. */
export function toText(v: unknown): Coerced<string> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v === 'string') return { ok: true, value: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { ok: true, value: String(v) };
  return { ok: false, problem: `not text (${shown(v)})` };
}

/** Boolean from true/false or "true"/"false" (any case). */
export function toBool(v: unknown): Coerced<boolean> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (typeof v === 'boolean') return { ok: true, value: v };
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return { ok: true, value: true };
    if (t === 'false') return { ok: true, value: false };
    if (t === '') return { ok: true, value: undefined };
  }
  return { ok: false, problem: `not a boolean (${shown(v)})` };
}

/** Below this an epoch number is read as seconds (qradar.md §5.3: values around 1e9 are seconds). */
const SECONDS_LIMIT = 1e11;
/** Plausible range of epoch ms: 1990-01-01 .. 2100-01-01. */
const MIN_MS = 631152000000;
const MAX_MS = 4102444800000;

/**
 * An epoch-ms UTC time from an API value: integer ms (number or numeric string, also `"…0.0"`),
 * seconds (< 1e11, multiplied by 1000), or an ISO 8601 string with an offset (XSOAR context output,
 * e.g. `2021-02-15T14:24:11.536000+00:00`). `0` means "not set" (QRadar uses 0 for empty times).
 * Values outside 1990–2100 are a problem, numbers and ISO texts alike.
 */
export function toEpochMs(v: unknown): Coerced<number> {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v.trim())) {
    const dt = DateTime.fromISO(v.trim(), { setZone: true });
    if (!dt.isValid || !/([zZ]|[+-]\d{2}:?\d{2})$/.test(v.trim())) return { ok: false, problem: `not an ISO time with an offset (${shown(v)})` };
    // the same range as a number: `0001-01-01T00:00:00+00:00` (a placeholder) was an offense of the year 1
    const ms = dt.toMillis();
    if (ms < MIN_MS || ms > MAX_MS) return { ok: false, problem: `time out of range (${shown(v)})` };
    return { ok: true, value: ms };
  }
  const n = toNumber(v);
  if (!n.ok) return { ok: false, problem: `not an epoch-ms time (${shown(v)})` };
  if (n.value === undefined || n.value === 0) return { ok: true, value: undefined };
  const ms = Math.round(Math.abs(n.value) < SECONDS_LIMIT ? n.value * 1000 : n.value);
  if (ms < MIN_MS || ms > MAX_MS) return { ok: false, problem: `time out of range (${shown(v)})` };
  return { ok: true, value: ms };
}

const CONSOLE_FORMATS = [
  'MMM d, yyyy, h:mm:ss a',
  'MMM d, yyyy h:mm:ss a',
  'MMM d, yyyy, h:mm a',
  'MMM d, yyyy h:mm a',
  'MMM d, yyyy, H:mm:ss',
  'MMM d, yyyy H:mm:ss',
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm:ss.SSS',
  'yyyy-MM-dd HH:mm',
  'yyyy/MM/dd HH:mm:ss',
];

/**
 * A CSV export time cell → epoch ms UTC. Epoch numbers (internal-name exports, e.g. `deviceTime`)
 * are absolute; console display times (`Mar 3, 2026, 2:20:05 PM`, also without the comma after the
 * year, 24-hour, or `yyyy-MM-dd HH:mm:ss`; qradar.md §5.1) are wall-clock times in `consoleZone`
 * (IANA or `UTC`). A wall time that does not exist (spring-forward gap) is a problem; one that occurs twice
 * (fall-back hour) is read as its earlier occurrence, as `tz convert` does by default ({@link resolveWall}), and
 * `ambiguous` says so (both instants), so the caller reports it: `Oct 25, 2026, 2:30:00 AM` in Europe/Berlin →
 * 00:30 UTC (luxon's own choice differed by zone: the later one in Berlin, the earlier one on Lord Howe).
 * `display` tells which kind was read.
 */
export function parseExportTime(cell: string, consoleZone: string): Coerced<number> & { display?: boolean; ambiguous?: string } {
  const t = cell.trim();
  if (t === '') return { ok: true, value: undefined };
  if (/^\d+(\.0+)?$/.test(t)) return toEpochMs(t);
  if (/^\d{4}-\d{2}-\d{2}T/.test(t) && /([zZ]|[+-]\d{2}:?\d{2})$/.test(t)) return toEpochMs(t);
  const norm = t.replace(/\s+/g, ' ').replace(/\b(am|pm)\b/i, (m) => m.toUpperCase());
  // luxon's `h` takes 0 and 13–23 too: `13:20:05 PM` was 13:20, `0:20:05 AM` 00:20 (a damaged or hand-edited cell)
  const twelve = /\b(\d{1,2}):\d{2}(?::\d{2})? ?(AM|PM)$/.exec(norm);
  if (twelve && (Number(twelve[1]) < 1 || Number(twelve[1]) > 12)) return { ok: false, problem: `not a QRadar time (${shown(t)}): hour ${twelve[1]} with ${twelve[2]}` };
  for (const f of CONSOLE_FORMATS) {
    // the wall clock as written (read as if UTC), then its instants in the console's zone
    const wall = DateTime.fromFormat(norm, f, { zone: 'UTC', locale: 'en-US' });
    if (!wall.isValid) continue;
    const r = resolveWall(wall.toMillis(), consoleZone, 'earlier');
    if (r.flag === 'nonexistent') return { ok: false, problem: `"${t}" does not exist in ${consoleZone} (clocks moved forward)` };
    if (r.ms === undefined || !Number.isFinite(r.ms)) continue;
    return r.flag === 'ambiguous' ? { ok: true, value: r.ms, display: true, ambiguous: `"${t}" ${r.note!.replace(/^\S+ /, '')}` } : { ok: true, value: r.ms, display: true };
  }
  return { ok: false, problem: `not a QRadar time (${shown(t)}); expected e.g. "Mar 3, 2026, 2:20:05 PM" or epoch ms` };
}
