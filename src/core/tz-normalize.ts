/**
 * Timestamp formats, naive → zoned resolution with DST checks, conversion to a target zone and the
 * "majority" display zone. Pure (no vscode). Builds on luxon like `src/core/time.ts` (whose exports
 * stay unchanged).
 *
 * Units: every instant is epoch milliseconds UTC. A *naive* value (no offset in the text: RFC 3164
 * syslog, the QRadar Log Activity export format, ISO 8601 without offset, most custom formats) is a
 * wall-clock time that only becomes an instant with a *source zone*; around DST changes a wall
 * clock time can be **ambiguous** (fall back: it occurs twice) or **non-existent** (spring forward:
 * it never occurs). Both are reported per value ({@link ResolvedTime.flag}); nothing is guessed
 * silently.
 *
 * Formats (ids of {@link TimestampFormat}):
 * - `epoch-s` / `epoch-ms` / `epoch-us` / `epoch-ns`: numbers since 1970-01-01T00:00:00Z (UTC by definition);
 * - `iso`: ISO 8601 / RFC 3339, `T` (or `t`, RFC 3339 §5.6) or a space between date and time, with `Z`/`±hh:mm`/`±hhmm`
 *   (aware) or without an offset (naive); a date alone is midnight;
 * - `rfc3164`: BSD syslog `MMM d HH:mm:ss` (RFC 3164 §4.1.2), no zone: naive. RFC 3164 has no year; a year written
 *   after the time (`Mar 31 02:30:00 2024`, as many relays and exports add) or before it (`Mar 31 2024 02:30:00`,
 *   Cisco style) is read and wins; otherwise the year is supplied ({@link ParseOptions.year}, else derived from
 *   {@link ParseOptions.referenceMs}). `Feb 29` in a year that is not a leap year is unparsed, with that reason. A
 *   weekday before the month (ctime, Apache's error log: `Mon Mar 04 12:00:00.123456 2024`) is read; with a year
 *   written, a weekday that is not that date's is unparsed, with that reason;
 * - `qradar`: QRadar Log Activity "Export to CSV" display time `MMM d, yyyy, h:mm:ss a`, also without
 *   the comma after the year and without seconds (shared/docs/qradar.md §5.1); naive (console zone);
 * - `loki`: Loki's `yyyyMMdd'T'HH:mm:ss'Z'` (UTC; shared/docs/loki-format.md);
 * - `custom:<luxon format>`: any luxon `DateTime.fromFormat` pattern; aware when the pattern has an
 *   unquoted offset/zone token (`Z`, `ZZ`, `ZZZ`, `z`).
 *
 * Second `60` is read only as a leap second — `23:59:60` UTC (`23:59:60Z`, `00:59:60+01:00`) at the end of one of
 * the 27 days that had one (30 June or 31 December, 1972-06-30 … 2016-12-31, IERS Bulletin C: src/core/leap-seconds.ts)
 * — and gives that day's `23:59:59` UTC (as Java's `Instant.parse` does: epoch time has no leap seconds); anywhere
 * else (`12:34:60`, or `2024-03-01T23:59:60Z`: second 60 on a date without a leap second) the time does not exist and
 * the value is unparsed, with that reason.
 * Epoch values are read in the unit of their format; a value of 1e8 or more whose magnitude is that of another unit
 * (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns, the bands of {@link detectFormat}: `1772544005000` in an epoch-seconds
 * column would be the year 58139) is unparsed with that reason, so a column that mixes units is never converted into
 * far-off dates silently.
 */
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
import { secondSixtyProblem } from './leap-seconds';
import { lookupTable } from './lookup';

export type TimestampFormat = 'epoch-s' | 'epoch-ms' | 'epoch-us' | 'epoch-ns' | 'iso' | 'rfc3164' | 'qradar' | 'loki' | `custom:${string}`;

/** Human names of the formats, for pickers and reports. */
export const FORMAT_LABELS: Record<string, string> = {
  'epoch-s': 'Epoch seconds (UTC)',
  'epoch-ms': 'Epoch milliseconds (UTC)',
  'epoch-us': 'Epoch microseconds (UTC)',
  'epoch-ns': 'Epoch nanoseconds (UTC)',
  iso: 'ISO 8601 (with or without offset)',
  rfc3164: 'RFC 3164 syslog (MMM d HH:mm:ss, no zone; a year after the time is read)',
  qradar: 'QRadar export (MMM d, yyyy, h:mm:ss a, console zone)',
  loki: 'Loki (yyyyMMddTHH:mm:ssZ, UTC)',
};

/** Why a value has no instant or needs attention. */
export type TimeFlag = 'ambiguous' | 'nonexistent' | 'unparsed';

/** What to do with an ambiguous wall-clock time (it occurs twice on a DST fall-back day). */
export type AmbiguousPolicy = 'earlier' | 'later' | 'blank';

export interface ParseOptions {
  /** Zone for naive values (IANA name, `UTC` or a fixed offset `UTC+3`). Default `UTC`. */
  sourceZone?: string;
  /** Year for RFC 3164 values that do not write one (a year in the text wins). Default: see {@link ParseOptions.referenceMs}. */
  year?: number;
  /**
   * Reference instant for RFC 3164 values without {@link ParseOptions.year} (default: now): the year
   * of the reference in the source zone, or the year before when that would put the value more than
   * 31 days after the reference (December logs read in January).
   */
  referenceMs?: number;
  /** Default `earlier` (the first occurrence, i.e. still on summer time); always flagged. */
  ambiguous?: AmbiguousPolicy;
  /**
   * Probing the shape of a value, not its validity (format detection, whether a CSV cell is a time): second 60 is
   * accepted at any time of any date. Detection reads values without a year in the year 2000, which had no leap second
   * (`Dec 31 23:59:60` of a 2016 log), and a headerless log whose first record is a second 60 on a date without one
   * must not have that record taken for its header; the conversion (without this option) reports it as unparsed with
   * its reason.
   */
  anySecondSixty?: boolean;
}

export interface ResolvedTime {
  /** The instant (epoch ms UTC); undefined when unparsed, non-existent, or ambiguous with policy `blank`. */
  ms?: number;
  /** True when the text carried its zone (offset, `Z`, epoch, Loki). */
  aware: boolean;
  /** Zone the value carries: `UTC`, a fixed offset `UTC+3` / `UTC-04:30`, or the source zone for naive values. */
  carriedZone?: string;
  flag?: TimeFlag;
  /** Human explanation of the flag (e.g. both candidate instants of an ambiguous time). */
  note?: string;
  /**
   * The fraction of a second as written, when it has more than 3 digits (cut to 9): `943239` for the Zeek `ts`
   * `1713484795.943239`, or the ISO `…55.943239Z`. Read from the text (never through a float); `ms` stays the
   * millisecond instant, the normalized text ({@link isoInZone}) keeps these digits.
   */
  frac?: string;
  /**
   * Set with flag `unparsed` when the text has the format's shape but a field out of range (month 13, 30 February,
   * hour 25): `note` then names the fields out of range in an analyst's words ({@link fieldsOutOfRange}: `month 13 is
   * out of range`, `day 30 is out of range (February 2024 has 29 days)`).
   */
  outOfRange?: true;
}

// ----------------------------------------------------------------------------- zone offsets

const offsetCache = new Map<string, Map<number, number>>();
const BLOCK_MS = 15 * 60 * 1000;

/**
 * Offset of `zone` from UTC in minutes at instant `ms` (e.g. 60 for Europe/Berlin in winter).
 * `zone` must be a valid IANA name or `UTC`; invalid zones give 0. Cached per 15-minute block.
 */
export function offsetAt(ms: number, zone: string): number {
  if (zone === 'UTC') return 0;
  let perZone = offsetCache.get(zone);
  if (!perZone) {
    perZone = new Map();
    offsetCache.set(zone, perZone);
  }
  const block = Math.floor(ms / BLOCK_MS);
  let off = perZone.get(block);
  if (off === undefined) {
    const dt = DateTime.fromMillis(ms, { zone });
    off = dt.isValid ? dt.offset : 0;
    if (perZone.size > 100_000) perZone.clear();
    perZone.set(block, off);
  }
  return off;
}

/**
 * Resolves a wall-clock time in `zone` to instants. `wall` is the wall clock read as if it were UTC
 * (e.g. `Date.UTC(2024, 2, 31, 2, 30)` for 2024-03-31 02:30 local). Returns every instant that shows
 * that wall clock in `zone`, ascending: one normally, two when ambiguous (DST fall-back), none when
 * the time does not exist (DST spring-forward gap). Candidate offsets are the zone's offsets one day
 * before, at and one day after the wall time (zone transitions are more than a day apart).
 */
export function wallClockInstants(wall: number, zone: string): number[] {
  if (zone === 'UTC') return [wall];
  const cands = new Set<number>([offsetAt(wall - 86_400_000, zone), offsetAt(wall, zone), offsetAt(wall + 86_400_000, zone)]);
  const out: number[] = [];
  for (const o of cands) {
    const ms = wall - o * 60_000;
    if (offsetAt(ms, zone) === o && !out.includes(ms)) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

/** Offset minutes as `+hh:mm` / `-hh:mm`. */
export function formatOffset(min: number): string {
  const s = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${s}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * ISO 8601 text of an instant in `zone` with its offset, e.g. `2026-03-03T14:20:05+01:00`, or a `Z`
 * suffix in UTC; milliseconds only when non-zero. `''` for undefined/NaN.
 *
 * The text always names the instant `ms`. An offset that is not a whole number of minutes (local mean time before a
 * zone's standard time: Africa/Monrovia −00:44:30 until 1972, Asia/Riyadh +03:06:52 until 1947) cannot be written
 * in ISO 8601 (±hh:mm), and luxon wrote it cut to the minute beside the wall time of the full offset: epoch 0 in
 * Africa/Monrovia came out `1969-12-31T23:15:30-00:44`, which reads back as 30 s later. Such an instant is written
 * at the offset rounded to the minute, with the wall time of that offset (`1969-12-31T23:16:00-00:44`).
 */
export function isoInZone(ms: number | undefined, zone: string, frac?: string): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  if (frac && /^\d{4,9}$/.test(frac)) {
    // the whole second of the instant (ms may be the rounded millisecond of an epoch value: …795.9999 → …796.000),
    // then the fraction as written
    const whole = Math.round((ms - Number(frac.slice(0, 3))) / 1000) * 1000;
    const s = isoInZone(whole, zone);
    return s.replace(/(T\d\d:\d\d:\d\d)(\.\d+)?/, `$1.${frac}`);
  }
  const dt = atWholeMinuteOffset(DateTime.fromMillis(ms, { zone: zone === 'UTC' ? 'UTC' : zone }));
  if (!dt.isValid) return '';
  const s = dt.toISO({ suppressMilliseconds: true, includeOffset: true }) ?? '';
  return zone === 'UTC' ? s.replace(/\+00:00$/, 'Z') : s;
}

/**
 * `dt` itself, or — when its zone's offset at that instant is not a whole number of minutes (local mean time) — the
 * same instant at that offset rounded to the minute, so that an ISO 8601 text of it (±hh:mm) names the instant
 * (see {@link isoInZone}).
 */
export function atWholeMinuteOffset<V extends boolean>(dt: DateTime<V>): DateTime<V> {
  return dt.isValid && !Number.isInteger(dt.offset) ? (dt.setZone(FixedOffsetZone.instance(Math.round(dt.offset))) as DateTime<V>) : dt;
}

/** Resolves a naive wall time (see {@link wallClockInstants}) with the ambiguity policy and flags. */
export function resolveWall(wall: number, zone: string, policy: AmbiguousPolicy = 'earlier'): ResolvedTime {
  const inst = wallClockInstants(wall, zone);
  if (inst.length === 1) return { ms: inst[0], aware: false, carriedZone: zone };
  const wallText = DateTime.fromMillis(wall, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  if (inst.length === 0) {
    return {
      aware: false,
      carriedZone: zone,
      flag: 'nonexistent',
      note: `${wallText} does not exist in ${zone} (clocks moved forward at a DST change); no instant written`,
    };
  }
  const [a, b] = inst;
  const ms = policy === 'earlier' ? a : policy === 'later' ? b : undefined;
  return {
    ms,
    aware: false,
    carriedZone: zone,
    flag: 'ambiguous',
    note:
      `${wallText} occurs twice in ${zone} (DST fall-back): ${isoInZone(a, 'UTC')} or ${isoInZone(b, 'UTC')}; ` +
      (policy === 'blank' ? 'no instant written' : `${policy} occurrence used`),
  };
}

// ----------------------------------------------------------------------------- parsing

const MONTHS: Readonly<Record<string, number>> = lookupTable({ jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 });

const RE_NUM = /^[+-]?\d+(\.\d+)?$/;
const RE_ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;
/**
 * `[EEE] MMM d [yyyy] HH:mm:ss[.ffffff] [yyyy]`: month, day, year before the time, h, m, s, fraction, year after the
 * time, weekday (ctime and Apache's error log write one before the month: `Mon Mar 04 12:00:00.123456 2024`).
 */
const RE_3164 =
  /^(?:<\d{1,3}>)?(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{4})\s+)?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:\s+(\d{4})(?![\w:.]))?\b/;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RE_QRADAR = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])$/;
const RE_LOKI = /^(\d{4})(\d{2})(\d{2})T(\d{2}):?(\d{2}):?(\d{2})Z$/;

/**
 * The wall clock `y-mo-d h:mi:s.ms` read as UTC, or undefined when it does not exist (Feb 30, hour 24, minute 60).
 * Second 60 gives second 59 of that minute: whether it is a leap second is checked on the instant ({@link leapSecondOk}).
 */
function wallUtc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  // setUTCFullYear: Date.UTC reads years 0–99 as 1900–1999 (`0024-04-19` became 1924)
  const chk = new Date(Date.UTC(2000, 0, 1, h, mi, Math.min(s, 59), ms));
  chk.setUTCFullYear(y, mo - 1, d);
  const v = chk.getTime();
  if (chk.getUTCDate() !== d || chk.getUTCMonth() !== mo - 1) return undefined; // Feb 30 etc.
  return v;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The fields of a wall clock that are out of range, in an analyst's words (not luxon's `you specified 13 (of type
 * number) as a month, which is invalid`, which a new-user trial saw in a KPI problem): `month 13 is out of range`,
 * `day 30 is out of range (February 2024 has 29 days)`, `month 13, day 45 and hour 99 are out of range`. Month 1–12,
 * day 1 to the month's length (1–31 when the month is out of range itself), hour 0–23, minute 0–59, second 0–60.
 * `a field out of range` when none is (not expected: only called for a wall clock that does not exist).
 */
export function fieldsOutOfRange(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string {
  const bad: string[] = [];
  const monthOk = Number.isInteger(mo) && mo >= 1 && mo <= 12;
  if (!monthOk) bad.push(`month ${mo}`);
  let dayNote = '';
  if (monthOk) {
    // the month's length in year y (day 0 of the next month; setUTCFullYear: Date.UTC reads years 0–99 as 19xx)
    const last = new Date(Date.UTC(2000, 0, 1));
    last.setUTCFullYear(y, mo, 0);
    const days = last.getUTCDate();
    if (d < 1 || d > days) {
      bad.push(`day ${d}`);
      if (d >= 1 && d <= 31) dayNote = ` (${MONTH_NAMES[mo - 1]} ${y} has ${days} days)`;
    }
  } else if (d < 1 || d > 31) bad.push(`day ${d}`);
  if (h < 0 || h > 23) bad.push(`hour ${h}`);
  if (mi < 0 || mi > 59) bad.push(`minute ${mi}`);
  if (s < 0 || s > 60) bad.push(`second ${s}`);
  if (bad.length === 0) return 'a field out of range';
  const list = bad.length === 1 ? bad[0] : `${bad.slice(0, -1).join(', ')} and ${bad[bad.length - 1]}`;
  return `${list} ${bad.length === 1 ? 'is' : 'are'} out of range${bad.length === 1 ? dayNote : ''}`;
}

/**
 * Why luxon could not make a date (`invalidExplanation`), its `you specified 13 (of type number) as a month, which is
 * invalid` said as {@link fieldsOutOfRange} says it: `month 13 is out of range`; any other explanation as is.
 */
function luxonWhy(dt: DateTime, text: string): string {
  const why = dt.invalidExplanation ?? JSON.stringify(text.slice(0, 40));
  return why.replace(/you specified (\S+) \(of type \w+\) as an? (\w+), which is invalid/g, '$2 $1 is out of range');
}

/**
 * The unparsed result of a text with the shape of `format` whose wall clock does not exist ({@link wallUtc} gave
 * undefined), naming the fields out of range ({@link fieldsOutOfRange}): `"2024-13-01" has the shape of ISO 8601
 * (…), but month 13 is out of range` (a trial read "pass --format"; another read luxon's own wording).
 */
function outOfRange(text: string, format: TimestampFormat, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): ResolvedTime {
  return { aware: false, flag: 'unparsed', outOfRange: true, note: `${JSON.stringify(text.slice(0, 40))} has the shape of ${FORMAT_LABELS[format] ?? format}, but ${fieldsOutOfRange(y, mo, d, h, mi, s)}` };
}

/**
 * `res` when its seconds were not `60`; else `res` when its instant (second 60 read as 59) is 23:59:59 UTC of a day
 * that ended with a leap second (src/core/leap-seconds.ts, IERS Bulletin C) — the text was that leap second — or when
 * it has no instant (non-existent, ambiguous left empty); else an unparsed result with the reason: `12:34:60` does
 * not exist, and `2024-03-01T23:59:60Z` neither (no leap second that day). `anySecondSixty`
 * ({@link ParseOptions.anySecondSixty}): `res` always.
 */
function leapSecondOk(res: ResolvedTime, sec: string | undefined, text: string, anySecondSixty = false): ResolvedTime {
  if (sec !== '60' || res.ms === undefined || anySecondSixty) return res;
  const problem = secondSixtyProblem(res.ms);
  // the text has the format's shape (a new-user trial read "not ISO 8601: …" as a contradiction): only its second is wrong
  return problem ? { aware: false, flag: 'unparsed', note: `${JSON.stringify(text.slice(0, 40))}: ${problem}` } : res;
}

/** The epoch unit whose detection band holds `abs` (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns). */
function epochBand(abs: number): TimestampFormat {
  return abs < 1e11 ? 'epoch-s' : abs < 1e14 ? 'epoch-ms' : abs < 1e17 ? 'epoch-us' : 'epoch-ns';
}

/**
 * The fraction of a second of a non-negative epoch text as written, when it has more than 3 digits (cut to 9):
 * `1713484795.943239` (s) → `943239`, `1713484795943239` (µs) → `943239`; undefined otherwise. Decimal text only.
 */
function epochFraction(text: string, format: TimestampFormat): string | undefined {
  const m = /^\+?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const exp = format === 'epoch-s' ? 0 : format === 'epoch-ms' ? 3 : format === 'epoch-us' ? 6 : 9;
  const frac = (exp ? m[1].padStart(exp, '0').slice(-exp) : '') + (m[2] ?? '');
  return frac.length > 3 ? frac.slice(0, 9) : undefined;
}

/**
 * The ISO fraction of a second as written when it has more than 3 digits (cut to 9), else undefined; also on a leap
 * second (`23:59:60.123456Z`, read as 23:59:59.123: the fraction is written on that second, `…59.123456Z`).
 */
function isoFraction(f: string | undefined): string | undefined {
  return f && f.length > 3 ? f.slice(0, 9) : undefined;
}

/** `r` with `frac` set when the text's fraction has more than 3 digits (and an instant was read). */
function withFrac(r: ResolvedTime, frac: string | undefined): ResolvedTime {
  return frac && r.ms !== undefined ? { ...r, frac } : r;
}

function fracMs(f: string | undefined): number {
  if (!f) return 0;
  return Math.floor(Number((f + '000').slice(0, 3)));
}

/** `UTC`, `UTC+3`, `UTC-04:30` for an offset in minutes. */
export function offsetZoneName(min: number): string {
  if (min === 0) return 'UTC';
  const a = Math.abs(min);
  const h = Math.floor(a / 60);
  const m = a % 60;
  return `UTC${min < 0 ? '-' : '+'}${m ? `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}` : h}`;
}

function customIsAware(fmt: string): boolean {
  const unquoted = fmt.replace(/'[^']*'/g, '');
  return /[Zz]/.test(unquoted);
}

function epochUnit(f: TimestampFormat): number {
  return f === 'epoch-s' ? 1000 : f === 'epoch-ms' ? 1 : f === 'epoch-us' ? 1e-3 : 1e-6;
}

/**
 * Text of an input value that never throws: JSON values from hostile files can be objects whose
 * `toString`/`valueOf` is not a function (`{"toString": 0}`), which `String(v)` and `Number(v)`
 * reject with a TypeError. Objects become their JSON text.
 */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v) ?? '';
    } catch {
      return '';
    }
  }
  return String(v);
}

/**
 * Parses one value in a given format. Never throws: unreadable text gives `{flag: 'unparsed'}`.
 * Empty values (`''`, null, undefined) give `{aware: false}` with no instant and no flag.
 * Naive values are resolved in `opts.sourceZone` with {@link resolveWall}.
 */
export function parseTimestamp(value: unknown, format: TimestampFormat, opts: ParseOptions = {}): ResolvedTime {
  if (value === null || value === undefined) return { aware: false };
  const text = typeof value === 'number' ? String(value) : valueText(value).trim();
  if (text === '') return { aware: false };
  const zone = opts.sourceZone && opts.sourceZone !== 'UTC' && isKnownZone(opts.sourceZone) ? opts.sourceZone : 'UTC';
  const policy = opts.ambiguous ?? 'earlier';
  const bad = (why: string): ResolvedTime => ({ aware: false, flag: 'unparsed', note: `not ${FORMAT_LABELS[format] ?? format}: ${why}` });

  if (format.startsWith('epoch-')) {
    if (!RE_NUM.test(text)) return bad(JSON.stringify(text.slice(0, 40)));
    const n = Number(text);
    const band = epochBand(Math.abs(n));
    if (Math.abs(n) >= 1e8 && band !== format) {
      const other = DateTime.fromMillis(n * epochUnit(format), { zone: 'UTC' });
      const reads = other.isValid ? ` (read as ${FORMAT_LABELS[format]} it would be the year ${other.year})` : '';
      return bad(`${JSON.stringify(text.slice(0, 40))} has the magnitude of ${FORMAT_LABELS[band]}${reads}`);
    }
    const ms = format === 'epoch-ns' || format === 'epoch-us' ? Math.floor(n * epochUnit(format)) : Math.round(n * epochUnit(format));
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return bad('out of range');
    return withFrac({ ms, aware: true, carriedZone: 'UTC' }, epochFraction(text, format));
  }
  if (format === 'loki') {
    const m = RE_LOKI.exec(text);
    const w = m && wallUtc(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
    if (!m) return bad(JSON.stringify(text.slice(0, 40)));
    if (w === undefined || w === null) return outOfRange(text, format, +m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
    return leapSecondOk({ ms: w, aware: true, carriedZone: 'UTC' }, m[6], text, opts.anySecondSixty);
  }
  if (format === 'iso') {
    const m = RE_ISO.exec(text);
    const w = m && wallUtc(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, fracMs(m[7]));
    if (!m) return bad(JSON.stringify(text.slice(0, 40)));
    if (w === undefined || w === null) return outOfRange(text, format, +m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
    const off = m[8];
    if (off) {
      if (/^(z|utc)$/i.test(off)) return withFrac(leapSecondOk({ ms: w, aware: true, carriedZone: 'UTC' }, m[6], text, opts.anySecondSixty), isoFraction(m[7]));
      const sign = off[0] === '-' ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      const offMin = Number(digits.slice(2) || '0');
      const min = sign * (Number(digits.slice(0, 2)) * 60 + offMin);
      if (Math.abs(min) > 18 * 60 || offMin > 59) return bad('offset out of range');
      return withFrac(leapSecondOk({ ms: w - min * 60_000, aware: true, carriedZone: offsetZoneName(min) }, m[6], text, opts.anySecondSixty), isoFraction(m[7]));
    }
    return withFrac(leapSecondOk(resolveWall(w, zone, policy), m[6], text, opts.anySecondSixty), isoFraction(m[7]));
  }
  if (format === 'rfc3164') {
    const x = RE_3164.exec(text);
    // the groups without the weekday (x[1]): month, day, year before, h, m, s, fraction, year after
    const m = x && [x[0], ...x.slice(2)];
    const mo = m ? MONTHS[m[1].toLowerCase()] : undefined;
    if (!x || !m || !mo) return bad(JSON.stringify(text.slice(0, 40)));
    const written = m[3] ?? m[8];
    let year = written !== undefined ? +written : opts.year;
    const yearFrom = written !== undefined ? 'the year written in the value' : opts.year !== undefined ? 'the year given for these values' : 'the reference year (the text has no year)';
    if (year === undefined) {
      const ref = opts.referenceMs ?? Date.now();
      const refWall = ref + offsetAt(ref, zone) * 60_000;
      year = new Date(refWall).getUTCFullYear();
      const cand = wallUtc(year, mo, +m[2], +m[4], +m[5], +m[6]);
      if (cand !== undefined && cand - refWall > 31 * 86_400_000) year -= 1;
    }
    const w = wallUtc(year, mo, +m[2], +m[4], +m[5], +m[6], fracMs(m[7]));
    if (w === undefined) {
      if (mo === 2 && +m[2] === 29 && wallUtc(2000, 2, 29, +m[4], +m[5], +m[6]) !== undefined)
        return bad(`${JSON.stringify(text.slice(0, 40))}: 29 February does not exist in ${year}, ${yearFrom}: not a leap year (give the log's year)`);
      return outOfRange(text, format, year, mo, +m[2], +m[4], +m[5], +m[6]);
    }
    // a weekday is checked against a year written in the value (a supplied year is a guess the weekday cannot refute
    // during detection, which reads every value in the year 2000)
    const dow = WEEKDAYS[new Date(w).getUTCDay()];
    if (x[1] && written !== undefined && x[1] !== dow)
      return bad(`${JSON.stringify(text.slice(0, 40))}: ${x[1]} does not match the date, a ${dow}`);
    return withFrac(leapSecondOk(resolveWall(w, zone, policy), m[6], text, opts.anySecondSixty), isoFraction(m[7]));
  }
  if (format === 'qradar') {
    const m = RE_QRADAR.exec(text);
    const mo = m ? MONTHS[m[1].toLowerCase()] : undefined;
    if (!m || !mo) return bad(JSON.stringify(text.slice(0, 40)));
    let h = +m[4];
    if (h < 1 || h > 12) return bad('hour out of range');
    const pm = m[7].toLowerCase() === 'pm';
    if (h === 12) h = 0;
    if (pm) h += 12;
    const w = wallUtc(+m[3], mo, +m[2], h, +m[5], m[6] ? +m[6] : 0);
    if (w === undefined) return outOfRange(text, format, +m[3], mo, +m[2], h, +m[5], m[6] ? +m[6] : 0);
    return leapSecondOk(resolveWall(w, zone, policy), m[6], text, opts.anySecondSixty);
  }
  if (format.startsWith('custom:')) {
    const fmt = format.slice('custom:'.length);
    if (customIsAware(fmt)) {
      const dt = DateTime.fromFormat(text, fmt, { zone: 'UTC', setZone: true });
      if (!dt.isValid) return bad(luxonWhy(dt, text));
      return { ms: dt.toMillis(), aware: true, carriedZone: offsetZoneName(dt.offset) };
    }
    const dt = DateTime.fromFormat(text, fmt, { zone: 'UTC' });
    if (!dt.isValid) return bad(luxonWhy(dt, text));
    return resolveWall(dt.toMillis(), zone, policy);
  }
  return bad('unknown format');
}

/** True when values of this format carry no zone and need a source zone. `iso` is mixed: per value. */
export function formatIsNaive(format: TimestampFormat): boolean {
  if (format === 'rfc3164' || format === 'qradar') return true;
  if (format.startsWith('custom:')) return !customIsAware(format.slice(7));
  return false;
}

// ----------------------------------------------------------------------------- detection

export interface FormatGuess {
  format: TimestampFormat;
  /** Share of the non-empty sample values this format reads (0..1). */
  share: number;
  /** Non-empty sample values. */
  sampled: number;
  /** Values read that carry no zone (need a source zone). */
  naive: number;
  /**
   * Values with the format's shape but a field out of range (`2026-13-45 99:00:00`, {@link ResolvedTime.outOfRange}):
   * not read (not in `share`), but evidence that the column holds times of this format.
   */
  outOfRange: number;
}

function classifyEpoch(values: string[]): TimestampFormat | undefined {
  const nums = values.filter((v) => RE_NUM.test(v)).map((v) => Math.abs(Number(v)));
  if (nums.length === 0) return undefined;
  nums.sort((a, b) => a - b);
  const med = nums[Math.floor(nums.length / 2)];
  // small numbers (counts, ports, Excel serial dates such as 46084.5) are not guessed to be epoch times: as seconds
  // they would all be converted into 1970; a real epoch value of this century is 1e8 or more in every unit
  if (!(med >= 1e8)) return undefined;
  // 1e9 s ≈ 2001; thresholds halfway (in decades) between the units.
  if (med < 1e11) return 'epoch-s';
  if (med < 1e14) return 'epoch-ms';
  if (med < 1e17) return 'epoch-us';
  return 'epoch-ns';
}

/**
 * Guesses the format of a column from sample values: every built-in format is tried on every
 * non-empty value and the one whose shape the most have wins (read, or with a field out of range: `outOfRange`),
 * then the one that reads the most (ties: the order loki, iso, qradar, rfc3164,
 * epoch). Epoch units come from the median magnitude (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns); a column of
 * numbers whose median is below 1e8 (counts, ports, Excel serial dates) is not guessed to be epoch times.
 * The shape is read, not the validity: second 60 counts on any date ({@link ParseOptions.anySecondSixty}).
 * Returns undefined when no format reads at least one value.
 */
export function detectFormat(sample: unknown[]): FormatGuess | undefined {
  const values = sample.map((v) => (v === null || v === undefined ? '' : valueText(v).trim())).filter((v) => v !== '');
  if (values.length === 0) return undefined;
  const epoch = classifyEpoch(values);
  const order: TimestampFormat[] = ['loki', 'iso', 'qradar', 'rfc3164'];
  if (epoch) order.push(epoch);
  let best: FormatGuess | undefined;
  let bestShaped = 0;
  let bestOk = 0;
  for (const f of order) {
    let ok = 0;
    let naive = 0;
    let outOfRange = 0;
    for (const v of values) {
      // shape, not validity: `Dec 31 23:59:60` of a 2016 log is read in the year 2000 (no leap second)
      const r = parseTimestamp(v, f, { sourceZone: 'UTC', year: 2000, anySecondSixty: true });
      if (r.flag !== 'unparsed') {
        ok++;
        if (!r.aware) naive++;
      } else if (r.outOfRange) outOfRange++;
    }
    // the most values with the shape win (read, or with a field out of range), then the most read; ties: the order
    if (ok > 0 && (!best || ok + outOfRange > bestShaped || (ok + outOfRange === bestShaped && ok > bestOk))) {
      best = { format: f, share: ok / values.length, sampled: values.length, naive, outOfRange };
      bestShaped = ok + outOfRange;
      bestOk = ok;
    }
  }
  return best;
}

/**
 * Why `value` is no time of a built-in format although it has one's shape (month 13, 30 February, hour 25, minute
 * 60): the {@link ResolvedTime.outOfRange} note of the first format (in {@link detectFormat}'s order) whose shape it
 * has; undefined when it has none of their shapes (then only `--format` can help).
 */
export function outOfRangeReason(value: string): string | undefined {
  for (const f of ['loki', 'iso', 'qradar', 'rfc3164'] as TimestampFormat[]) {
    const r = parseTimestamp(value, f, { sourceZone: 'UTC', year: 2000, anySecondSixty: true });
    if (r.outOfRange) return r.note;
  }
  return undefined;
}

/** Records sampled to find a time column and its format ({@link timeColumnVerdict}; `tz convert` and Normalize Timestamps alike). */
export const TIME_SAMPLE_ROWS = 500;

/**
 * The first `n` non-empty values (default {@link TIME_SAMPLE_ROWS}) of a column, wherever they are in `rows` (in row
 * order; `get` reads the column's value of a row). Empty means what {@link detectFormat} skips: undefined, null, or
 * text that is blank once trimmed. This is the sample to detect a column's format from once the column is chosen: a
 * case export sorted newest first has its `Closed` times only below hundreds of open cases, and a sample of the
 * first rows held none (the column was "read by no timestamp format" and every closed time was dropped).
 * Reads rows only until `n` values are found; returns fewer when the column has fewer (none: an empty array).
 */
export function nonEmptySample<T>(rows: readonly T[], get: (row: T) => unknown, n = TIME_SAMPLE_ROWS): unknown[] {
  return nonEmptyScan(rows, get, n).values;
}

/** {@link nonEmptySample} and how many rows were read to find its values (`rowsRead`: all rows when fewer were found). */
function nonEmptyScan<T>(rows: readonly T[], get: (row: T) => unknown, n: number): { values: unknown[]; rowsRead: number } {
  const values: unknown[] = [];
  let i = 0;
  for (; i < rows.length && values.length < n; i++) {
    const v = get(rows[i]);
    if (!isBlankValue(v)) values.push(v);
  }
  return { values, rowsRead: i };
}

/**
 * One column read once, row by row: `head`, its values in the first `n` rows (blanks included), and `nonEmpty`, its first
 * `n` non-empty values wherever they are ({@link nonEmptySample}), with `rowsRead`, the rows read to find them (all rows
 * when fewer were found). The rows below the head are read only when `nonEmpty` is needed: always with `full`, else only
 * when the head is all blank (the one case {@link suggestTimeColumns} judges a column by its later values); otherwise
 * `nonEmpty` is undefined. Every row is read at most once (a column empty in its first records was read twice: the
 * head, then {@link nonEmptyScan} from the first row again).
 */
function scanColumn<T>(rows: readonly T[], get: (row: T) => unknown, n: number, full: boolean): { head: unknown[]; nonEmpty?: unknown[]; rowsRead: number } {
  const head: unknown[] = [];
  const nonEmpty: unknown[] = [];
  let rowsRead = rows.length;
  const end = Math.min(n, rows.length);
  let i = 0;
  for (; i < end; i++) {
    const v = get(rows[i]);
    head.push(v);
    if (nonEmpty.length < n && !isBlankValue(v)) {
      nonEmpty.push(v);
      if (nonEmpty.length === n) rowsRead = i + 1;
    }
  }
  if (!full && nonEmpty.length > 0) return { head, rowsRead };
  for (; i < rows.length && nonEmpty.length < n; i++) {
    const v = get(rows[i]);
    if (!isBlankValue(v)) {
      nonEmpty.push(v);
      if (nonEmpty.length === n) rowsRead = i + 1;
    }
  }
  return { head, nonEmpty, rowsRead };
}

/** Empty as {@link detectFormat} skips it: undefined, null, or text that is blank once trimmed. */
const isBlankValue = (v: unknown): boolean => v === null || v === undefined || valueText(v).trim() === '';
/**
 * Least share of a column's non-empty sampled values that must have a format's shape (read, or with a field out of
 * range) for the column to be recognised as a timestamp column ({@link timeColumnVerdict}).
 */
export const TIME_COLUMN_SHARE = 0.5;

/** Whether a column is a timestamp column, its format guess, and the words saying so ({@link timeColumnVerdict}). */
export interface TimeColumnVerdict {
  /** {@link detectFormat} of the values (undefined when no format reads one). */
  guess?: FormatGuess;
  /** Values with the guessed format's shape (read + out of range). */
  shaped: number;
  recognised: boolean;
  /**
   * What was found, in the words both steps of Normalize Timestamps and `tz convert` use:
   * `ISO 8601 (…) in 2 of 3 values (1 with a field out of range)`, or
   * `not recognised as a timestamp: ISO 8601 (…) in 1 of 3 values, under half` /
   * `not recognised as a timestamp: no value in a known format`.
   */
  text: string;
}

/**
 * The one decision whether a column holds timestamps: {@link detectFormat} of its sampled values (the first
 * {@link TIME_SAMPLE_ROWS} records), recognised when at least {@link TIME_COLUMN_SHARE} of the non-empty values have the
 * guessed format's shape — a value such as `2026-13-45 99:00:00` counts: it is a broken time, flagged when converted,
 * not evidence against the column — and, for epoch formats, every numeric value is 1e8 or more (ports, counts and
 * Excel serial dates are no epoch times; a value that is no number, `N/A`, counts against the share only). Used by {@link suggestTimeColumns} (the column step and `tz convert` without
 * `--column`) and by the format step, so the two never disagree (a trial saw "not recognised as a timestamp" and then
 * "ISO 8601 detected (33 %)" for one column).
 */
export function timeColumnVerdict(values: unknown[]): TimeColumnVerdict {
  const guess = detectFormat(values);
  if (!guess) return { shaped: 0, recognised: false, text: 'not recognised as a timestamp: no value in a known format' };
  const read = Math.round(guess.share * guess.sampled);
  const shaped = read + guess.outOfRange;
  let small = false;
  if (guess.format.startsWith('epoch-')) {
    // only numbers below 1e8 say "no epoch column": a value that is no number (`N/A`, `n/a`) is an unreadable value of
    // the column (reported on its line when converted), not a small one (NaN failed `n >= 1e8`)
    const nums = values.map((v) => (v === null || v === undefined ? '' : valueText(v).trim())).filter((v) => v !== '').map((v) => Math.abs(Number(v)));
    small = nums.some((n) => n < 1e8);
  }
  const label = FORMAT_LABELS[guess.format] ?? guess.format;
  const found = `${label} in ${shaped} of ${guess.sampled} value${guess.sampled === 1 ? '' : 's'}${guess.outOfRange ? ` (${guess.outOfRange} with a field out of range)` : ''}`;
  if (small) return { guess, shaped, recognised: false, text: `not recognised as a timestamp: ${found}, but some values are below 1e8 (counts, ports or serial dates, no epoch times)` };
  if (shaped / guess.sampled < TIME_COLUMN_SHARE) return { guess, shaped, recognised: false, text: `not recognised as a timestamp: ${found}, under half` };
  return { guess, shaped, recognised: true, text: found };
}

const TIME_NAME = /(^|[^a-z])(time|timestamp|ts|date|datetime|created|opened|closed|start|end|first|last|occurred|detected|@timestamp|devicetime|event_?time)([^a-z]|$)|time$|_at$|^ts$/i;

export interface ColumnSuggestion {
  column: string;
  guess: FormatGuess;
  /** Sampled rows whose value the guessed format reads (an empty cell is not read). */
  read: number;
  /** Rows sampled (empty cells included). */
  rows: number;
  /** Higher is better: the share of sampled rows with the format's shape (so a sparsely filled column ranks lower), plus 0.5 for a time-like name. */
  score: number;
  /** {@link TimeColumnVerdict.text}: what was found, in the words every step uses. */
  verdict: string;
}

/**
 * Ranks columns that look like timestamps (best first): the columns {@link timeColumnVerdict} recognises in the
 * first `sampleSize` records (default {@link TIME_SAMPLE_ROWS}; at least half of their non-empty values with a
 * format's shape); the score is the share of sampled rows with that shape — empty cells count against a column, so a
 * case export's `Created` (every row) ranks above its `Closed` (closed cases only) — and a time-like
 * header name (`time`, `timestamp`, `ts`, `date`, `created`, `*_at`, …) adds 0.5. Equal scores keep
 * the column order (the first column first). Plain small integers (< 1e8, e.g. ports or counts) do
 * not count as epoch values.
 *
 * A column with no value at all in those records (the `Closed` column of a case export sorted newest first, whose
 * closed cases all lie below hundreds of open ones) is judged by its first `sampleSize` non-empty values wherever they
 * are ({@link nonEmptySample}, as the format of a named column is): its `rows` are the records read to find them and
 * its score their share of those, so it ranks below the columns filled from the start. Such a column was never
 * suggested: `tz convert` without `--column` said "no timestamp column found" of a file whose only time column starts
 * lower down.
 */
export function suggestTimeColumns(columns: string[], rows: Record<string, unknown>[], sampleSize = TIME_SAMPLE_ROWS): ColumnSuggestion[] {
  return timeColumnScan(columns, rows, sampleSize, false).suggestions;
}

/**
 * {@link suggestTimeColumns} and, for every column, its first `sampleSize` non-empty values wherever they are
 * ({@link nonEmptySample}: what the format of a chosen column is detected from), from one read of each column: the
 * Normalize Timestamps inspection's suggestions and samples. The same suggestions and samples as the two functions
 * called apart, which read the first records of a column twice (thrice for a column empty in them).
 */
export function inspectTimeColumns(columns: string[], rows: Record<string, unknown>[], sampleSize = TIME_SAMPLE_ROWS): { suggestions: ColumnSuggestion[]; samples: Record<string, unknown[]> } {
  return timeColumnScan(columns, rows, sampleSize, true) as { suggestions: ColumnSuggestion[]; samples: Record<string, unknown[]> };
}

function timeColumnScan(columns: string[], rows: Record<string, unknown>[], sampleSize: number, withSamples: boolean): { suggestions: ColumnSuggestion[]; samples?: Record<string, unknown[]> } {
  const out: (ColumnSuggestion & { at: number })[] = [];
  const samples: [string, unknown[]][] = [];
  const suggest = (c: string, at: number, v: TimeColumnVerdict, rowsRead: number): void => {
    if (!v.recognised || !v.guess) return;
    const read = Math.round(v.guess.share * v.guess.sampled);
    out.push({ column: c, guess: v.guess, read, rows: rowsRead, score: v.shaped / rowsRead + (TIME_NAME.test(c) ? 0.5 : 0), verdict: v.text, at });
  };
  columns.forEach((c, at) => {
    // each row read once: the first records, and further down only for the first non-empty values when needed
    const scan = scanColumn(rows, (r) => r[c], sampleSize, withSamples);
    if (withSamples) samples.push([c, scan.nonEmpty!]);
    if (rows.length > scan.head.length && scan.head.every(isBlankValue)) {
      // nothing in the first records: its first non-empty values further down
      if (scan.nonEmpty!.length > 0) suggest(c, at, timeColumnVerdict(scan.nonEmpty!), scan.rowsRead);
      return;
    }
    suggest(c, at, timeColumnVerdict(scan.head), scan.head.length);
  });
  const suggestions = out.sort((a, b) => b.score - a.score || a.at - b.at).map(({ at: _at, ...s }) => s);
  // (own properties whatever the column names: a column `__proto__` is a sample, not the prototype)
  return withSamples ? { suggestions, samples: Object.fromEntries(samples) } : { suggestions };
}

// ----------------------------------------------------------------------------- majority zone

/**
 * Maps a carried zone to a display zone name that `resolveZone` accepts: IANA names and `UTC` as
 * they are; whole-hour fixed offsets `UTC+3` → `Etc/GMT-3` (POSIX sign inverted, as in the tz
 * database); other fixed offsets (e.g. `UTC+05:30`) → undefined (no IANA equivalent without guessing
 * a region).
 */
export function displayableZone(carried: string): string | undefined {
  if (carried === 'UTC') return 'UTC';
  const m = /^UTC([+-])(\d{1,2})$/.exec(carried);
  if (m) return `Etc/GMT${m[1] === '+' ? '-' : '+'}${Number(m[2])}`;
  if (/^UTC[+-]/.test(carried)) return undefined;
  return IANAZone.isValidZone(carried) ? carried : undefined;
}

export interface MajorityZone {
  /** The winning display zone (`UTC` when there is no evidence). */
  zone: string;
  /** Timestamps carrying it / all timestamps counted (0 when none). */
  share: number;
  total: number;
  /** Why this zone: evidence or fallback. */
  reason: string;
}

/**
 * The "majority" display zone: among the zones input timestamps carry (`evidence`: carried zone →
 * number of timestamps; epoch and `Z` values carry `UTC`, values with an offset carry `UTC±h`,
 * naive values carry the source zone they were read in), the one carried by the most timestamps.
 * Carried zones are first mapped with {@link displayableZone} (unmappable ones are not counted).
 * Ties go to `UTC` if it is among them, else to the alphabetically first zone. No evidence → `UTC`.
 * Follows the seed blog's advice: report in the zone most artifacts share (shared/docs/soc-peers-and-kpis.md §1.1).
 */
export function majorityZone(evidence: Record<string, number>): MajorityZone {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [z, n] of Object.entries(evidence)) {
    if (!(n > 0)) continue;
    const d = displayableZone(z);
    if (!d) continue;
    counts.set(d, (counts.get(d) ?? 0) + n);
    total += n;
  }
  if (total === 0) return { zone: 'UTC', share: 0, total: 0, reason: 'no timestamps seen yet: UTC' };
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] === 'UTC' ? -1 : b[0] === 'UTC' ? 1 : a[0].localeCompare(b[0])));
  const [zone, n] = ranked[0];
  return { zone, share: n / total, total, reason: `${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} timestamp${total === 1 ? '' : 's'} ${n === 1 ? 'carries' : 'carry'} ${zone}` };
}

/** Adds the carried zones of resolved values to an evidence tally (see {@link majorityZone}). */
export function addEvidence(evidence: Record<string, number>, values: Iterable<ResolvedTime>): Record<string, number> {
  for (const r of values) {
    if (r.carriedZone && r.flag !== 'unparsed') evidence[r.carriedZone] = (evidence[r.carriedZone] ?? 0) + 1;
  }
  return evidence;
}

/** Re-exported for callers that need a fixed-offset luxon zone (e.g. `UTC+3`). */
export function isKnownZone(z: string): boolean {
  if (z === 'UTC' || IANAZone.isValidZone(z)) return true;
  return /^UTC[+-]/.test(z) && FixedOffsetZone.parseSpecifier(z) !== null;
}
