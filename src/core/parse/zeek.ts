/**
 * Streaming reader for Zeek logs (conn, open_conn, http, ssl) in TSV ("ASCII" writer) and JSON,
 * plain or gzip-compressed, plus file discovery and format sniffing shared with the generic
 * connection reader (conn-csv.ts).
 * Reference: shared/docs/rita-beacons.md §6 (formats, rotation), §1.1 and §5.1 (what RITA reads:
 * `ts` truncated to whole seconds, `-`/`(empty)` → zero values, fields by `#fields` order).
 *
 * Memory: files are decompressed with zlib `createGunzip` and split into lines as they stream
 * (src/core/parse/lines.ts); each record is handed to a callback as one reused object and never
 * kept. Every line that cannot be read is reported with file and 1-based line number; the parser
 * never throws on bad data (only on abort).
 */
import * as fs from 'node:fs';
import { fsErrorText, notRegularReason, openErrorText } from '../fs-errors';
export { notRegularReason } from '../fs-errors';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { isIP } from 'node:net';
import { isAscii, isUtf8 } from 'node:buffer';
import { DateTime } from 'luxon';
import type { ParseError } from '../model/common';
import { LineDecoder, MAX_LINE_CHARS } from './lines';
import { dottedQuadValue } from './ipv4';
import { countValue, unreadableCountText } from './counts';
import { scanArray } from './qradar';
import { analysedRoots, folderAlreadyReadReason, folderLoopReason, insideRoots, isInside, LINK_LOOP_REASON, outsideRootsReason, sameFileReason } from './link-scope';
import { ownCopy } from './loki-intern';

/** Max stored per-line errors per file (counters stay exact; one line-0 note says how many more). */
export const MAX_LINE_ERRORS = 1000;

/** One connection record, in the units used everywhere in the beacon analysis. */
export interface ConnRecord {
  /** Start time in whole epoch **seconds**, truncated toward zero (RITA §1.1). */
  ts: number;
  /** Start time in epoch milliseconds UTC (sub-second precision kept, for display). */
  tsMs: number;
  /** Zeek `uid` ('' when absent). */
  uid: string;
  /** `id.orig_h` / source address. */
  src: string;
  /** `id.resp_h` / destination address. */
  dst: string;
  /** `id.resp_p` / destination port (NaN when absent). */
  dport: number;
  /** `proto` (tcp/udp/icmp…; '' when absent). */
  proto: string;
  /**
   * ICMP records (`proto` icmp, ICMPv6 too) of Zeek conn logs: `id.orig_p`, which Zeek fills with the ICMP
   * type (then `dport` is the code or, for a request or reply, its counterpart's type; see
   * analyze/beacons/icmp.ts). NaN or undefined for other records, and where the reader has no such field.
   */
  icmpType?: number;
  /** `orig_ip_bytes` / bytes sent by the source (0 when unset, as RITA). */
  origBytes: number;
  /** `resp_ip_bytes` / bytes sent by the destination (0 when unset). */
  respBytes: number;
  /** FQDN of the connection when the input carries it (generic exports with a host column). */
  fqdn: string;
  /**
   * Zeek conn logs: what the connection exchanged, one of {@link EXCHANGE_QUIET}, {@link EXCHANGE_QUIET_FLIPPED},
   * {@link EXCHANGE_DATA}, {@link EXCHANGE_UNKNOWN} ({@link exchangeClass}). Undefined (read as unknown) where the reader has no such
   * fields (generic connection CSVs and JSON).
   */
  exchange?: number;
  /**
   * Ids of `src` / `dst` in the {@link ReadOptions.names} table when the reader knows them
   * (byte path of TSV conn logs); undefined or -1 otherwise.
   */
  srcId?: number;
  dstId?: number;
  /** With `srcId`: id of `proto` in the same table (-1 for ''). */
  protoId?: number;
  /**
   * With {@link ReadOptions.quadValues}: the 32-bit value of `src` / `dst` when it is a dotted-quad
   * IPv4 address (`srcId` / `dstId` are then -1: the address is not in the table), else -1.
   */
  srcQuad?: number;
  dstQuad?: number;
}

/** Format of an input file, from its first bytes. */
export type InputFormat = 'zeek-tsv' | 'zeek-json' | 'csv' | 'json' | 'empty' | 'binary' | 'unknown';

/** What {@link sniffInput} learned about a file. */
export interface InputInfo {
  file: string;
  format: InputFormat;
  /** Zeek log path (`conn`, `http`, `ssl`, `open_conn`, `dns`…) from `#path`, `_path` or the file name; '' if unknown. */
  logPath: string;
  gzip: boolean;
  /** CSV header names, or the keys of the first JSON object (for the column-mapping pick). */
  columns: string[];
  /** Day folder `YYYY-MM-DD` found in the path ('' if none), for RITA v5's import grouping (§5.1). */
  day: string;
  /** Hour from a rotated name `conn.HH:MM:SS-…` (0 when absent, §5.1). */
  hour: number;
  /** CSV only: the field delimiter of the header line. */
  delimiter?: string;
  /**
   * Zeek TSV only: why its header names no fields — a `#path` or `#fields` line its declared `#separator` does not
   * split (`#separator ,` over tab-separated lines: `its #path line is not split by its #separator (",")`). Undefined
   * when `#fields` was read, or no such line is there.
   */
  headerProblem?: string;
  /** A JSON document read whole, not JSON lines: `ariel-flows` = Ariel flow search results `{"flows":[{…},…]}` (`columns`: the keys of the first flows, arielColumns). */
  document?: 'ariel-flows';
  /**
   * Why nothing could be read from an `empty` file that is not empty on disk: damaged or truncated
   * gzip data, a read error (e.g. a `.gz` cut after its first bytes). Absent otherwise.
   */
  error?: string;
}

/** Start of the message of a file whose gzip data is damaged or cut short (the records before the damage are read). */
export const GZIP_DAMAGE = 'damaged or truncated gzip data';

/**
 * True for a file-level problem reported with the line it was met on: damaged or truncated gzip data, a read
 * error, binary data. Not an unreadable line (not counted in `unparsedLines`); a summary that lists only the
 * first unreadable line must name these on their own.
 */
export function isFileDamage(e: ParseError): boolean {
  return e.message.startsWith(`${GZIP_DAMAGE}:`) || e.message.startsWith('read error:') || e.message.startsWith('not a text file');
}

/**
 * True for a problem of a record that was kept (`…; the record is kept without it`, an unclosed quote's `this record
 * is kept …`): a warning, not an unreadable line (not counted in `unparsedLines`); a summary names these on their own.
 */
export function isKeptRecord(e: ParseError): boolean {
  return e.line > 0 && /\b(?:the|this) record is kept\b/.test(e.message);
}

/** Per-file outcome of reading. */
export interface ConnFileResult {
  file: string;
  format: InputFormat;
  logPath: string;
  /** Physical lines read (after decompression). */
  lines: number;
  /** Records handed to the callback. */
  records: number;
  /** Lines that could not be read (exact, even when `errors` is capped). */
  unparsedLines: number;
  /** Bytes read from disk (the compressed size for .gz). */
  bytes: number;
  /** TSV only: a `#close` footer was seen (false = still open or truncated). */
  closed?: boolean;
  /**
   * QRadar flow exports only: the console zone their zone-less display times were read in, how many records had
   * such a time (`displayTimes`), and how many of those fell in an hour that occurs twice there (read as the earlier).
   */
  qradarTimes?: { consoleZone: string; displayTimes: number; ambiguousTimes: number };
  /** Notes about how the file was read that are not errors of a line (a mapped CSV column named twice in the header). */
  notes?: string[];
  errors: ParseError[];
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Called after each chunk with the bytes read from disk so far in this file. */
  onBytes?: (bytesRead: number) => void;
  /**
   * Generic exports only: the zone of a QRadar flow export's display times (`Dec 3, 2026, 2:05:11 PM` carries none;
   * IANA name or fixed offset, resolved). Default `UTC`.
   */
  consoleZone?: string;
  /** Conn records: the caller does not need `uid` (it is left '', saving a string per record). */
  skipUid?: boolean;
  /** Table of address ids shared with the caller (see {@link ConnRecord.srcId}); one per file when absent. */
  names?: AsciiInterner;
  /**
   * With `names` and a {@link ZeekHandlers.discard} handler: records that carry ids (`srcId` ≥ 0)
   * leave `src`, `dst` and `proto` '' (their texts are `names.strings[id]`), which saves reading a
   * large table twice per record. Records without ids carry their texts as usual.
   */
  textsById?: boolean;
  /**
   * With `textsById`: dotted-quad IPv4 addresses are not put in `names`; records carry their values
   * ({@link ConnRecord.srcQuad}) instead. A table of millions of addresses is read at random for
   * every record, mostly cache misses: a parse worker that hands the values over saves ~40 % of its
   * time (bench/NOTES.md, "Beacons: addresses as values").
   */
  quadValues?: boolean;
}

// ------------------------------------------------------------------------------------ helpers

export function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}


/** Zeek log path from a file name: `conn.00:00:00-01:00:00.log.gz` → `conn`, `conn_eth0.log` → `conn`. */
export function logPathFromName(file: string): string {
  const base = path.basename(file).toLowerCase();
  const m = /^([a-z_]+?)(?:[._-]|$)/.exec(base);
  if (!m) return '';
  const stem = base.split(/[.]/)[0];
  if (stem === 'conn_summary' || stem.startsWith('conn-summary')) return 'conn_summary';
  if (stem.startsWith('open_conn')) return 'open_conn';
  if (stem.startsWith('conn')) return 'conn';
  if (stem.startsWith('http')) return 'http';
  if (stem.startsWith('ssl')) return 'ssl';
  return m[1];
}

/** Normalises a `#path`/`_path` value (`conn_eth0` → `conn`, RITA §1.1 prefix rule). */
export function normalizeLogPath(p: string): string {
  const s = p.trim().toLowerCase();
  if (s.startsWith('conn_summary') || s.startsWith('conn-summary')) return 'conn_summary';
  if (s.startsWith('open_conn')) return 'open_conn';
  if (s.startsWith('conn')) return 'conn';
  if (s.startsWith('http')) return 'http';
  if (s.startsWith('ssl')) return 'ssl';
  return s;
}

/** Day folder and hour of a rotated Zeek file (RITA v5 `ParseHourFromFilename`, §5.1). */
export function importGroupOf(file: string): { day: string; hour: number } {
  const parts = path.resolve(file).split(/[\\/]/);
  let day = '';
  for (let i = parts.length - 2; i >= 0; i--) {
    const m = /(\d{4}-\d{2}-\d{2})/.exec(parts[i]);
    if (m) {
      day = m[1];
      break;
    }
  }
  const h = /^[a-z_]+\.(\d{2}):\d{2}:\d{2}-/i.exec(path.basename(file));
  const hour = h ? Math.min(23, Number(h[1])) : 0;
  return { day, hour };
}

/**
 * Unescapes the `\xNN` sequences of a Zeek TSV value as Zeek's ASCII writer writes them
 * (`get_escaped_string`: every byte that is not printable ASCII, or is white space, becomes `\x` and two hex
 * digits). A run of escapes is one byte string, read as UTF-8 (`\xc3\xa9` → `é`) or, when it is not valid UTF-8,
 * byte by byte (latin1). Other text, and a `\x` not followed by two hex digits, is kept as it is.
 */
export function unescapeZeek(s: string): string {
  if (s.indexOf('\\x') < 0) return s;
  return s.replace(/(?:\\x[0-9a-fA-F]{2})+/g, (run: string) => {
    const bytes = Buffer.from(run.replace(/\\x/g, ''), 'hex');
    return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
  });
}

/**
 * The separator of a `#separator` header line, given the text after `#separator`. Zeek writes
 * `#separator \x09` (a space, then the value escaped); written by hand or by other tools it may also be
 * `#separator<TAB>`, `#separator <TAB>` (a literal TAB), `#separator \t` or any `\xNN` (RITA unescapes the value
 * as a Go string literal: shared/docs/rita-beacons.md §1.1). The value follows one space or TAB; `\t`, `\n`, `\r`,
 * `\\` and `\xNN` are unescaped; a value that is only white space is that white space (a literal TAB); an empty
 * value is a TAB (Zeek's default).
 */
function zeekSeparator(rest: string): string {
  let v = rest;
  if (v.startsWith(' ') || v.startsWith('\t')) v = v.slice(1);
  if (v === '') return '\t';
  if (v.trim() === '') return v;
  v = v.trim().replace(/\\([tnr\\])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
  return unescapeZeek(v) || '\t';
}

/**
 * One Zeek TSV header line (`#…`): its directive (`#fields`, `#types`, `#path`, `#unset_field`…) and values.
 * `#separator` is followed by a space and its value written escaped (`#separator \x09`; see {@link zeekSeparator}
 * for the other spellings read: a literal TAB, `\t`, any `\xNN`). Every other directive is followed by the current
 * separator `sep` and its values separated by `sep`; each value is unescaped ({@link unescapeZeek}: Zeek writes
 * `#set_separator`, `#empty_field`, `#unset_field` and `#path` escaped, e.g. `#unset_field\x09\x2d`). Shared by the
 * format sniffer, the conn reader ({@link readZeekFile}) and Normalize Timestamps (src/core/parse/zeek-table.ts).
 */
export function parseZeekHeaderLine(line: string, sep: string): { key: string; values: string[] } {
  if (line.startsWith('#separator')) return { key: '#separator', values: [zeekSeparator(line.slice('#separator'.length))] };
  const sp = line.indexOf(sep);
  return sp < 0 ? { key: line, values: [] } : { key: line.slice(0, sp), values: line.slice(sp + sep.length).split(sep).map(unescapeZeek) };
}

/**
 * Parses a Zeek `time` value. TSV: the integer part of the text gives the seconds (no float
 * rounding of 10-digit epochs, §10), the fraction the milliseconds. JSON: a number (epoch seconds;
 * values above 1e11 are taken as `JSON::TS_MILLIS` milliseconds, which RITA would misread, §6.2)
 * or an ISO 8601 / RFC 3339 string (UTC unless an offset is given).
 * Returns undefined when unreadable.
 */
export function parseZeekTime(v: unknown): { ts: number; tsMs: number } | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    const sec = Math.abs(v) > 1e11 ? v / 1000 : v;
    return { ts: Math.trunc(sec), tsMs: Math.floor(sec * 1000) };
  }
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const m = /^(-?\d+)(?:\.(\d*))?$/.exec(s);
  if (m) {
    const int = Number(m[1]);
    if (m[1].replace('-', '').length > 11 && !m[2]) return parseZeekTime(int); // epoch ms as text
    const frac = m[2] ? Number(`0.${m[2]}`) : 0;
    const ms = int * 1000 + (int < 0 ? -1 : 1) * Math.floor(frac * 1000);
    return { ts: int, tsMs: ms };
  }
  const dt = DateTime.fromISO(s, { zone: 'utc', setZone: true });
  let ms = dt.isValid ? dt.toMillis() : NaN;
  if (!Number.isFinite(ms)) {
    const d2 = DateTime.fromSQL(s, { zone: 'utc' });
    ms = d2.isValid ? d2.toMillis() : NaN;
  }
  if (!Number.isFinite(ms)) {
    const d3 = DateTime.fromRFC2822(s, { zone: 'utc' });
    ms = d3.isValid ? d3.toMillis() : NaN;
  }
  if (!Number.isFinite(ms)) return undefined;
  return { ts: Math.trunc(ms / 1000), tsMs: ms };
}

/**
 * A Zeek `count` field (`orig_ip_bytes`, `resp_ip_bytes`) → a whole number ≥ 0: 0 when unset (TSV `-`/`(empty)`
 * passed as '', a JSON field absent or null), as RITA reads it; NaN when set but unreadable — above 10^15 or
 * infinite (`1e308`), negative, `NaN`, text with digits that is no number, a JSON object or boolean ({@link
 * countValue} in ./counts.ts) — which the reader reports by line ({@link unreadableCountText}), the record left out.
 */
const count: (v: unknown) => number = countValue;

/** {@link ConnRecord.exchange}: no payload byte either way and no open session (see {@link exchangeClass}). Bits: a pair ORs the classes of its records. */
export const EXCHANGE_QUIET = 1;
/** {@link ConnRecord.exchange}: payload seen (a byte count above 0 or a payload letter `D`/`d`, `T`/`t`, `G`/`g` in `history`) or an open session (`conn_state` SF, S1, S2, S3). */
export const EXCHANGE_DATA = 2;
/** {@link ConnRecord.exchange}: the record does not say (no `conn_state`, or neither a `history` nor both byte counts). */
export const EXCHANGE_UNKNOWN = 4;
/**
 * {@link ConnRecord.exchange}: like {@link EXCHANGE_QUIET} (no payload byte, no open session) and Zeek flipped the
 * direction (`^` in `history`: the first packet came from the likely server side — a SYN-ACK, a bare ACK — so the
 * "originator" is really the responder): backscatter, e.g. `RSTO ^hR`, `OTH ^aR`. A quiet record without `^` (an own
 * attempt refused or unanswered: S0 `S`, REJ `Sr`) is {@link EXCHANGE_QUIET}. Read a pair's OR with {@link backscatterOf}.
 */
export const EXCHANGE_QUIET_FLIPPED = 8;

/** `conn_state` for {@link exchangeClass}: 0 unset or absent, 1 an open session (SF, S1, S2, S3), 2 any other value. */
export function connStateKind(s: string): number {
  return s === '' ? 0 : s === 'SF' || s === 'S1' || s === 'S2' || s === 'S3' ? 1 : 2;
}

/**
 * `history` for {@link exchangeClass}: -1 unset or absent, 1 with a payload letter ({@link PAYLOAD_LETTERS}: `D`/`d`
 * payload, `T`/`t` retransmitted payload, `G`/`g` a content gap), 2 without one and flipped by Zeek (a `^`), else 0.
 */
export function historyKind(s: string): number {
  return s === '' ? -1 : PAYLOAD_LETTERS.test(s) ? 1 : s.includes('^') ? 2 : 0;
}

/**
 * Zeek `history` letters that mean a payload byte was sent (docs.zeek.org "conn.log", `history`; upper case: the
 * originator, lower case: the responder): `D`/`d` a packet with payload, `T`/`t` a packet with retransmitted payload,
 * `G`/`g` a content gap (payload bytes that were sent but not seen by the sensor).
 */
const PAYLOAD_LETTERS = /[DdTtGg]/;

/**
 * A Zeek payload byte count (`orig_bytes`, `resp_bytes`: a TSV field's text, a JSON value) for {@link exchangeClass}:
 * a whole number ≥ 0 (at most 15 digits); -1 when unset, absent or anything else (unreadable counts say nothing).
 */
export function payloadCount(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < 1e15 ? v : -1;
  return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : -1;
}

/**
 * What one Zeek conn record exchanged, from four fields of its line (Zeek `Conn::Info`, base/protocols/conn/main.zeek;
 * docs.zeek.org "conn.log"): {@link EXCHANGE_DATA} when it carried payload or was an open session,
 * {@link EXCHANGE_QUIET} when it certainly did neither, {@link EXCHANGE_UNKNOWN} when the fields do not say.
 *
 * - `state` ({@link connStateKind}): Zeek's `conn_state`. SF ("normal establishment and termination"), S1
 *   ("established, not terminated"), S2/S3 (established, close attempt by one side) are sessions that were opened
 *   and not aborted: {@link EXCHANGE_DATA} even without payload (a TCP connect-and-close can itself be the signal
 *   of a beacon, so such pairs are never called quiet). The other states — S0 (attempt, no reply), REJ (rejected),
 *   RSTO/RSTR (a side reset), RSTOS0/RSTRH/SH/SHR (one half of a handshake, then RST or FIN), OTH (no SYN seen,
 *   midstream) — are a handshake that failed, was answered by a reset or was never seen.
 * - `history` ({@link historyKind}): Zeek's per-packet letters; `D`/`d` is "packet with payload" from the
 *   originator/responder, `T`/`t` "packet with retransmitted payload", `G`/`g` "a content gap" (payload the sensor
 *   missed). Without any of these letters no packet of the connection carried a payload byte. (A leading `^`
 *   means Zeek flipped originator and responder — the first packet came from a likely server port, e.g. a SYN-ACK or
 *   a bare ACK — which is how backscatter shows: the sensor answering with RST to SYN-ACKs it never asked for,
 *   `RSTO ^hR`; a quiet record with it is {@link EXCHANGE_QUIET_FLIPPED}, one without it — an own attempt refused
 *   or unanswered, `S0 S`, `REJ Sr` — {@link EXCHANGE_QUIET}.)
 * - `orig` / `resp` ({@link payloadCount}): Zeek's `orig_bytes` / `resp_bytes`, payload bytes (not the IP bytes
 *   that RITA scores); Zeek leaves them unset for a connection of one packet (no duration).
 *
 * {@link EXCHANGE_DATA} when `history` has a payload letter, a byte count is above 0 or `state` is 1; otherwise
 * {@link EXCHANGE_UNKNOWN} when `state` is unset (without a state the record cannot say no session was opened);
 * otherwise {@link EXCHANGE_QUIET_FLIPPED} when `history` is 2 (set, no payload letter, a `^`), {@link EXCHANGE_QUIET} when
 * `history` is 0 or both byte counts are 0; else unknown (an ICMP record: Zeek writes neither a history nor byte
 * counts for a lone ICMP message).
 */
export function exchangeClass(state: number, history: number, orig: number, resp: number): number {
  if (history === 1 || orig > 0 || resp > 0 || state === 1) return EXCHANGE_DATA;
  if (state === 0) return EXCHANGE_UNKNOWN;
  if (history === 2) return EXCHANGE_QUIET_FLIPPED;
  return history === 0 || (orig === 0 && resp === 0) ? EXCHANGE_QUIET : EXCHANGE_UNKNOWN;
}

/**
 * Whether a pair never carried data, from the OR of its records' {@link ConnRecord.exchange} classes: false when a
 * record carried payload or was an open session, true when every record was {@link EXCHANGE_QUIET} or
 * {@link EXCHANGE_QUIET_FLIPPED}, undefined (unknown) when some record could not say (or there was none) and none
 * carried data.
 */
export function neverCarriedDataOf(bits: number): boolean | undefined {
  if (bits & EXCHANGE_DATA) return false;
  if (bits & EXCHANGE_UNKNOWN || !(bits & (EXCHANGE_QUIET | EXCHANGE_QUIET_FLIPPED))) return undefined;
  return true;
}

/**
 * Whether a pair is backscatter, from the OR of its records' {@link ConnRecord.exchange} classes: true when it never
 * carried data ({@link neverCarriedDataOf}) and every record was {@link EXCHANGE_QUIET_FLIPPED} (Zeek flipped the
 * direction, `^` in `history`: the "source" only answered, e.g. resets of SYN-ACKs it never asked for); false when it
 * carried data or some quiet record was not flipped (the source's own attempts, refused or unanswered — what a beacon
 * to a C2 server that is down or sinkholed looks like); undefined when {@link neverCarriedDataOf} is.
 */
export function backscatterOf(bits: number): boolean | undefined {
  const quiet = neverCarriedDataOf(bits);
  return quiet === true ? !(bits & EXCHANGE_QUIET) : quiet;
}

function port(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v !== 'string' || v === '') return NaN;
  const n = Number(v);
  return Number.isInteger(n) ? n : NaN;
}

/**
 * True when `s` is an IPv4 or IPv6 address as `net.isIP` reads it: an IPv6 address may carry a zone id of letters,
 * digits, `-`, `.` and `:` (`fe80::1%eth0`, `fd00::5%25`). An IPv4 address with a zone (`10.0.0.9%eth0`), an empty
 * zone (`fd00::7%`) or one of other characters (controls, `|`, spaces) is no address: such a record is an unreadable
 * line. (They were taken, and the subnet filter, which reads them with `net.isIP`, found them in no subnet: an
 * internal host's beacon was left out as "external ↔ external" without a line named.)
 */
export function isAddress(s: string): boolean {
  return s !== '' && isIP(s) !== 0;
}

// ------------------------------------------------------------------------------------ streaming lines

/**
 * Decompressed chunk size (bytes) of the first byte-path pass of a gzip file ({@link readZeekFile}).
 * zlib's default (16 KiB) costs about twice the inflate CPU in per-chunk overhead (stream callbacks,
 * thread-pool round trips, carries of split lines; bench/NOTES.md "Beacons, fourth round"). What a
 * damaged file delivers before its error, and where a long line is noticed, depend on the chunk
 * size, so such a file is read again with zlib's default chunks.
 */
const LARGE_INFLATE_CHUNK = 1 << 20;

/**
 * Reads a plain or gzip file (gzip detected by its magic bytes `1f 8b`) and hands every
 * decompressed chunk to `onChunk`, which returns false to stop reading (`stopped`). `bytes` are the
 * disk bytes read, also reported through `opts.onBytes`. `gzip` is `undefined` when the file cannot
 * be opened or its first bytes cannot be read (`error` says which); damaged or truncated gzip data
 * and read errors give a file-level `error` after the chunks before them were delivered (an
 * exception thrown by `onChunk` is reported the same way). `inflateChunk`: zlib's output chunk size
 * (bytes; zlib's default 16 KiB when absent). Rejects only with an AbortError.
 */
async function readChunks(
  file: string,
  opts: ReadOptions,
  onChunk: (chunk: Buffer) => boolean,
  inflateChunk?: number,
): Promise<{ bytes: number; gzip?: boolean; error?: string; stopped: boolean }> {
  const { signal, onBytes } = opts;
  if (signal?.aborted) throw abortError();
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, 'r');
  } catch (e) {
    return { bytes: 0, error: `cannot open: ${fsErrorText(e)}`, stopped: false };
  }
  let gzip: boolean;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (e) {
    return { bytes: 0, error: `cannot read: ${fsErrorText(e)}`, stopped: false };
  } finally {
    await fh.close().catch(() => undefined);
  }

  let bytes = 0;
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let source: AsyncIterable<Buffer> = raw;
  if (gzip) {
    const gunzip = createGunzip(inflateChunk ? { chunkSize: inflateChunk } : {});
    raw.on('data', (c) => {
      bytes += (c as Buffer).length;
      onBytes?.(bytes);
    });
    raw.on('error', (e) => gunzip.destroy(e));
    raw.pipe(gunzip);
    source = gunzip;
  }
  let error: string | undefined;
  let delivered = 0; // decompressed bytes handed to onChunk
  try {
    for await (const chunk of source) {
      if (signal?.aborted) throw abortError();
      if (!gzip) {
        bytes += chunk.length;
        onBytes?.(bytes);
      }
      delivered += chunk.length;
      if (!onChunk(chunk)) return { bytes, gzip, error, stopped: true };
    }
  } catch (e) {
    if ((e as Error)?.name === 'AbortError' || signal?.aborted) {
      raw.destroy();
      throw abortError();
    }
    error = gzip ? `${GZIP_DAMAGE}: ${fsErrorText(e)}` : `read error: ${fsErrorText(e)}`;
  } finally {
    raw.destroy();
  }
  // Node's gunzip drops the output of the write its error happened in: other bytes after a complete
  // gzip member (the last up to 16 KiB of its lines were lost) or damage inside a member. Read the
  // members again and hand over what comes after the bytes already delivered (not with large chunks:
  // that pass gives up on any error, see streamAsciiLines).
  if (gzip && error !== undefined && !inflateChunk) {
    const s = await salvageGzip(file, delivered, opts, onChunk);
    if (s.stopped) return { bytes, gzip, error: undefined, stopped: true };
    if (s.error !== undefined) error = s.error;
  }
  return { bytes, gzip, error, stopped: false };
}

/** Largest gzip member header read by {@link salvageGzip} (10 bytes, extra field, file name, comment). */
const MAX_GZIP_HEADER = 1 << 20;

/**
 * Reads the gzip members of `file` one by one (each header parsed here, its deflate data inflated
 * raw, so the end of each member is known exactly) and hands `onChunk` the decompressed bytes after
 * the first `skip` (those already delivered), until the end of the file, bytes that are not a gzip
 * member, or damage. Resolves with `stopped` when `onChunk` returned false, and with `error`: bytes
 * after the gzip data are named as such (they were ignored, as `gzip -d` does; every member was
 * read), damage inside a member with zlib's message, nothing when the file ended after a member
 * (only zero bytes after it). Rejects only with an AbortError.
 */
async function salvageGzip(file: string, skip: number, opts: ReadOptions, onChunk: (chunk: Buffer) => boolean): Promise<{ stopped: boolean; error?: string }> {
  const { signal } = opts;
  let left = skip;
  let stopped = false;
  const deliver = (c: Buffer): void => {
    if (stopped) return;
    if (left >= c.length) {
      left -= c.length;
      return;
    }
    const part = left > 0 ? c.subarray(left) : c;
    left = 0;
    if (!onChunk(part)) stopped = true;
  };
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, 'r');
  } catch {
    return { stopped: false };
  }
  try {
    const size = (await fh.stat()).size;
    const slice = Buffer.alloc(64 * 1024);
    let pos = 0;
    for (;;) {
      if (signal?.aborted) throw abortError();
      if (pos >= size) return { stopped: false };
      const head = Buffer.alloc(Math.min(size - pos, MAX_GZIP_HEADER));
      const { bytesRead } = await fh.read(head, 0, head.length, pos);
      const h = head.subarray(0, bytesRead);
      if (h.every((b) => b === 0)) return { stopped: false }; // zero padding, as gunzip allows
      if (h.length < 2 || h[0] !== 0x1f || h[1] !== 0x8b) {
        return { stopped: false, error: `${GZIP_DAMAGE}: ${(size - pos).toLocaleString('en-US')} bytes after the gzip data are not gzip data (ignored; every line before them was read)` };
      }
      // RFC 1952 member header: ID1 ID2 CM FLG MTIME(4) XFL OS [XLEN extra] [name\0] [comment\0] [CRC16]
      const flg = h[3];
      let p = 10;
      if (flg & 4) p = p + 2 <= h.length ? p + 2 + h.readUInt16LE(p) : Infinity;
      if (flg & 8) p = p < h.length ? h.indexOf(0, p) + 1 || Infinity : Infinity;
      if (flg & 16) p = p < h.length ? h.indexOf(0, p) + 1 || Infinity : Infinity;
      if (flg & 2) p += 2;
      if (h[2] !== 8 || !(p <= h.length)) return { stopped: false }; // unreadable header: the first error stands
      const inf = createInflateRaw();
      let ended = false;
      let failed: Error | undefined;
      inf.on('data', (c: Buffer) => deliver(c));
      const done = new Promise<void>((resolve) => {
        inf.once('end', () => {
          ended = true;
          resolve();
        });
        inf.once('error', (e) => {
          failed = e;
          resolve();
        });
      });
      let at = pos + p;
      while (!ended && !failed && !stopped && at < size) {
        if (signal?.aborted) {
          inf.destroy();
          throw abortError();
        }
        const r = await fh.read(slice, 0, slice.length, at);
        if (r.bytesRead === 0) break;
        at += r.bytesRead;
        await new Promise<void>((resolve) => {
          inf.write(Buffer.from(slice.subarray(0, r.bytesRead)), () => resolve());
          void done.then(resolve);
        });
      }
      if (stopped) {
        inf.destroy();
        return { stopped: true };
      }
      if (!ended && !failed) inf.end();
      await done;
      if (stopped) return { stopped: true };
      if (failed) return { stopped: false, error: `${GZIP_DAMAGE}: ${fsErrorText(failed)}` };
      pos += p + inf.bytesWritten + 8; // deflate data, then CRC32 and ISIZE
    }
  } catch (e) {
    if ((e as Error)?.name === 'AbortError' || signal?.aborted) throw abortError();
    return { stopped };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * Streams the lines of a plain or gzip file (gzip detected by its magic bytes `1f 8b`), calling
 * `onLine(text, lineNumber)` for every physical line (ended by LF, CRLF or a lone CR, as VS Code counts them). Resolves with the disk bytes read and, when
 * the file is unreadable or its gzip data is damaged/truncated, a file-level error message (the
 * lines before the damage were delivered). A file whose first bytes are binary (NUL-heavy, {@link LineDecoder}) has no
 * line and is read no further: `error` says so and `bytes` counts only what was read. Rejects only with an AbortError.
 * A line longer than {@link MAX_LINE_CHARS} characters is not kept (bounded memory): with `onLongLine` it counts as
 * one line, and `onLongLine(lineNumber, chars)` gets it instead of `onLine` (the readers of records: in 16 Mi-character
 * pieces, each counted as a line, every later line number was off by the extra pieces); without it, it is handed on
 * in such pieces (the format sniffer reads the start of a one-line Ariel document so).
 */
export async function streamLines(
  file: string,
  onLine: (line: string, lineNo: number) => void,
  opts: ReadOptions = {},
  onLongLine?: (lineNo: number, chars: number) => void,
): Promise<{ bytes: number; lines: number; gzip: boolean; error?: string }> {
  let lines = 0;
  const dec = new LineDecoder(
    (l) => {
      lines++;
      onLine(l, lines);
    },
    undefined,
    {
      // a lone CR (classic Mac OS line ends) ends a line too, as in VS Code: such a file was one glued line
      splitLoneCR: true,
      ...(onLongLine === undefined
        ? {}
        : {
            onLongLine: (chars: number) => {
              lines++;
              onLongLine(lines, chars);
            },
          }),
    },
  );
  // once the start is binary the decoder emits no line at all: stop there (a capture or disk image of many GB beside
  // the logs was read to its end — and decompressed, a gzip bomb of zeros too — only to be skipped as binary)
  const read = await readChunks(file, opts, (chunk) => {
    dec.write(chunk);
    return !dec.binary;
  });
  if (read.gzip === undefined) return { bytes: 0, lines: 0, gzip: false, error: read.error };
  dec.end();
  const error = dec.binary ? read.error ?? 'not a text file (binary data)' : read.error;
  return { bytes: read.bytes, lines, gzip: read.gzip, error };
}

/** The unreadable-line message of a line longer than {@link MAX_LINE_CHARS} (see {@link streamLines}). */
export function longLineText(chars: number): string {
  return `line too long (${chars} characters, limit ${MAX_LINE_CHARS}): not read`;
}

/** Longest line of the byte path ({@link streamAsciiLines}); longer lines go to {@link streamLines}. */
const MAX_ASCII_LINE = 1 << 20;

/**
 * Byte path of {@link streamLines} for plain ASCII text: the same chunks, lines (split at LF, one
 * trailing CR removed, a last line without EOL), line numbers, byte counts and errors, but each
 * line is handed over as the byte range `buf[start, end)` (valid during the call only) instead of
 * a string. For such input `LineDecoder` decodes UTF-8 and every character is one byte, so the
 * lines are the same. Resolves with `undefined` as soon as the input is not plain ASCII text (a
 * byte ≥ 0x80 or NUL, or a line longer than {@link MAX_ASCII_LINE} bytes) or holds a lone CR (a line end there;
 * `onLoneCR` is called, so the caller skips further byte passes): the caller then reads
 * the file again with {@link streamLines} (whatever `onLine` collected must be dropped).
 * `largeChunks`: gzip data is inflated in {@link LARGE_INFLATE_CHUNK} chunks, and the result is
 * `undefined` also on a read or gzip error and on any carried line longer than
 * {@link MAX_ASCII_LINE} (where the lines read depend on the chunks; the caller then reads the file
 * again without `largeChunks`), before the last line of a damaged file is handed over.
 */
async function streamAsciiLines(
  file: string,
  onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void,
  opts: ReadOptions,
  largeChunks: boolean,
  onLoneCR?: () => void,
): Promise<{ bytes: number; lines: number; gzip: boolean; error?: string } | undefined> {
  let lines = 0;
  let carry: Buffer = Buffer.alloc(0);
  let plain = true;
  // the last chunk ended with a CR: the next one must start with its LF (else it was a lone CR)
  let crAtEnd = false;
  const line = (buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === 13) end--;
    lines++;
    onLine(buf, start, end, lines);
  };
  const write = (chunk: Buffer): boolean => {
    if (!isAscii(chunk) || chunk.indexOf(0) >= 0) return false;
    // a lone CR (not followed by LF) ends a line for the string path (streamLines): give the file to it
    if (crAtEnd && chunk.length > 0 && chunk[0] !== 10) {
      onLoneCR?.();
      return false;
    }
    for (let cr = chunk.indexOf(13); cr >= 0; cr = chunk.indexOf(13, cr + 2)) {
      if (cr + 1 === chunk.length) break;
      if (chunk[cr + 1] !== 10) {
        onLoneCR?.();
        return false;
      }
    }
    if (chunk.length > 0) crAtEnd = chunk[chunk.length - 1] === 13;
    let pos = 0;
    let nl = chunk.indexOf(10);
    if (nl >= 0 && carry.length > 0) {
      const first = Buffer.concat([carry, chunk.subarray(0, nl)]);
      if (largeChunks && first.length > MAX_ASCII_LINE) return false;
      carry = Buffer.alloc(0);
      line(first, 0, first.length);
      pos = nl + 1;
      nl = chunk.indexOf(10, pos);
    }
    while (nl >= 0) {
      line(chunk, pos, nl);
      pos = nl + 1;
      nl = chunk.indexOf(10, pos);
    }
    if (pos < chunk.length) carry = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.subarray(pos));
    return carry.length <= MAX_ASCII_LINE;
  };
  const read = await readChunks(file, opts, write, largeChunks ? LARGE_INFLATE_CHUNK : undefined);
  if (read.gzip === undefined) return { bytes: 0, lines: 0, gzip: false, error: read.error };
  if (read.stopped || (largeChunks && read.error)) return undefined;
  if (carry.length > 0) line(carry, 0, carry.length);
  return { bytes: read.bytes, lines, gzip: read.gzip, error: read.error };
}

/** The dotted quad of a 32-bit IPv4 value (unsigned or as a signed 32-bit integer): `0x0a000001` → `10.0.0.1`. */
export function quadText(v: number): string {
  const u = v >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

/** Final avalanche of a 32-bit hash (murmur3 fmix32): FNV's low bits alone cluster on similar texts. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * Distinct ASCII byte strings (and strings) → ids and strings (one string per distinct value, no
 * string per lookup). Ids are given in order of first sight, whichever method saw a text first.
 * Dotted-quad IPv4 texts ({@link dottedQuadValue}) are indexed by their 32-bit value only (no
 * hashing of the text, no string compare), every other text by an FNV-1a hash of its characters.
 */
export class AsciiInterner {
  /** Ids of the texts other than dotted quads, open addressing by `hashes[id]` (-1: empty slot). */
  private table = new Int32Array(1024).fill(-1);
  private tableSize = 0;
  /** Per id: the hash of its text (0 for dotted quads, which are not in `table`). */
  private readonly hashes: number[] = [];
  readonly strings: string[] = [];
  /** Per id: 1 valid address ({@link isAddress}), 0 not, -1 not checked yet. */
  readonly address: number[] = [];
  /** Per id: the value of a dotted quad, -1 for any other text ({@link quadValueOf}). */
  private readonly quads: number[] = [];
  /** Dotted quads: 32-bit value → id + 1, interleaved [value, id + 1] (0: empty slot). */
  private v4 = new Int32Array(2 * 1024);
  private v4Size = 0;
  /** Bytes of a string looked up with {@link idOf} that may be a dotted quad. */
  private readonly scratch = Buffer.alloc(15);

  /** Id of the text `buf[a, b)` (its characters are the bytes, as latin1). */
  id(buf: Buffer, a: number, b: number): number {
    const q = this.ipv4Id(buf, a, b);
    if (q >= 0) return q;
    let h = 0x811c9dc5;
    for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i], 16777619);
    h = mix32(h);
    const mask = this.table.length - 1;
    let p = h & mask;
    for (;;) {
      const id = this.table[p];
      if (id < 0) break;
      if (this.hashes[id] === h) {
        const s = this.strings[id];
        if (s.length === b - a) {
          let k = 0;
          while (k < s.length && s.charCodeAt(k) === buf[a + k]) k++;
          if (k === s.length) return id;
        }
      }
      p = (p + 1) & mask;
    }
    return this.insert(p, h, buf.toString('latin1', a, b));
  }

  /**
   * Id of `buf[a, b)` when it is a dotted-quad IPv4 address ({@link dottedQuadValue}: a valid
   * address), else -1.
   */
  ipv4Id(buf: Buffer, a: number, b: number): number {
    const v = dottedQuadValue(buf, a, b);
    return v < 0 ? -1 : this.quadId(v, buf, a, b, undefined);
  }

  /** Id of a string (the same id as its bytes when it is ASCII). */
  idOf(s: string): number {
    const n = s.length;
    if (n >= 7 && n <= 15) {
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c > 57) break; // not a digit or '.'
        this.scratch[k] = c;
      }
      if (k === n) {
        const v = dottedQuadValue(this.scratch, 0, n);
        // its text from the scratch bytes, not `s`: a slice of a line would pin the line (or its decoded chunk)
        if (v >= 0) return this.quadId(v, this.scratch, 0, n, undefined);
      }
    }
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    h = mix32(h);
    const mask = this.table.length - 1;
    let p = h & mask;
    for (;;) {
      const id = this.table[p];
      if (id < 0) break;
      if (this.hashes[id] === h && this.strings[id] === s) return id;
      p = (p + 1) & mask;
    }
    // an own copy: the table keeps it for the run, and a slice pins the line or the decoded chunk it was cut from
    return this.insert(p, h, ownCopy(s));
  }

  isAddress(id: number): boolean {
    let v = this.address[id];
    if (v < 0) this.address[id] = v = isAddress(this.strings[id]) ? 1 : 0;
    return v === 1;
  }

  /**
   * Id of the dotted-quad IPv4 address of 32-bit value `v` (0 … 2³² − 1, or the same value as a
   * signed 32-bit integer, as a parse worker's columns carry it: {@link ConnRecord.srcQuad}); its
   * text, when new, is the canonical dotted quad (the only text {@link dottedQuadValue} reads as `v`).
   */
  quadIdOfValue(v: number): number {
    return this.quadId(v, this.scratch, 0, 0, undefined);
  }

  /** Id of the dotted quad of value `v`, whose text is `text` or else `buf[a, b)` (or else made from `v` when that is empty). */
  private quadId(v: number, buf: Buffer, a: number, b: number, text: string | undefined): number {
    const key = v | 0;
    let t = this.v4;
    let mask = (t.length >> 1) - 1;
    let p = mix32(key) & mask;
    for (;;) {
      const e = t[2 * p + 1];
      if (e === 0) break;
      if (t[2 * p] === key) return e - 1;
      p = (p + 1) & mask;
    }
    const id = this.add(text ?? (b > a ? buf.toString('latin1', a, b) : quadText(v)), 0, 1, v >>> 0);
    if ((this.v4Size + 1) * 2 > t.length >> 1) {
      const old = t;
      t = this.v4 = new Int32Array(old.length * 2);
      mask = (t.length >> 1) - 1;
      for (let k = 0; k < old.length; k += 2) {
        if (old[k + 1] === 0) continue;
        let q = mix32(old[k]) & mask;
        while (t[2 * q + 1] !== 0) q = (q + 1) & mask;
        t[2 * q] = old[k];
        t[2 * q + 1] = old[k + 1];
      }
      p = mix32(key) & mask;
      while (t[2 * p + 1] !== 0) p = (p + 1) & mask;
    }
    this.v4Size++;
    t[2 * p] = key;
    t[2 * p + 1] = id + 1;
    return id;
  }

  /** New id for the text `s` (not a dotted quad) of hash `h`, in the empty table slot `p`. */
  private insert(p: number, h: number, s: string): number {
    const id = this.add(s, h, -1, -1);
    this.table[p] = id;
    if (++this.tableSize * 2 > this.table.length) {
      const old = this.table;
      const t = new Int32Array(old.length * 2).fill(-1);
      const m = t.length - 1;
      for (let k = 0; k < old.length; k++) {
        const e = old[k];
        if (e < 0) continue;
        let q = this.hashes[e] & m;
        while (t[q] >= 0) q = (q + 1) & m;
        t[q] = e;
      }
      this.table = t;
    }
    return id;
  }

  private add(s: string, h: number, address: number, quad: number): number {
    const id = this.strings.length;
    this.strings.push(s);
    this.hashes.push(h);
    this.address.push(address);
    this.quads.push(quad);
    return id;
  }

  /** The 32-bit value (0 … 2³² − 1) of id `id` when its text is a dotted-quad IPv4 address, else -1. */
  quadValueOf(id: number): number {
    return this.quads[id];
  }
}

/** `buf[a, b)` equals the ASCII text `s`. */
function bytesEqual(buf: Buffer, a: number, b: number, s: string): boolean {
  if (b - a !== s.length) return false;
  for (let k = 0; k < s.length; k++) if (buf[a + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** Value of an all-digit field of at most 15 digits (exact, as `Number` reads it), else -1. */
function digitsValue(buf: Buffer, a: number, b: number): number {
  if (b <= a || b - a > 15) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** `Math.floor(Number('0.ddd') * 1000)` for the 1000 three-digit fractions (filled on first use). */
let FRACTION_MS: Int16Array | undefined;
function fractionMs(k: number): number {
  if (!FRACTION_MS) {
    FRACTION_MS = new Int16Array(1000);
    for (let i = 0; i < 1000; i++) FRACTION_MS[i] = Math.floor(Number(`0.${String(i).padStart(3, '0')}`) * 1000);
  }
  return FRACTION_MS[k];
}

/**
 * {@link parseZeekTime} of a TSV `ts` field `digits[.digits]` (at most 11 integer digits) without a
 * string: milliseconds of the fraction are its first three digits when the digits after them are
 * neither all zero nor all nine within the next nine (far from a rounding boundary of the double
 * `Number('0.…') * 1000`), else they come from a table of exact three-digit results. Returns -1
 * (caller falls back to the string path) for anything else.
 */
function tsvTimeMs(buf: Buffer, a: number, b: number): number {
  let i = a;
  let int = 0;
  while (i < b) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
    i++;
  }
  const k = i - a;
  if (k === 0 || k > 11) return -1;
  if (i === b) return int * 1000;
  if (buf[i] !== 46) return -1;
  i++;
  let first3 = 0;
  for (let d = 0; d < 3; d++) {
    let c = 0;
    if (i < b) {
      c = buf[i] - 48;
      if (c < 0 || c > 9) return -1;
      i++;
    }
    first3 = first3 * 10 + c;
  }
  let zeros = true;
  let nines = true;
  for (let d = 0; i < b; d++, i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return -1;
    if (d < 9) {
      if (c !== 0) zeros = false;
      if (c !== 9) nines = false;
    } else if (c !== 0 && zeros) return -1; // non-zero only beyond nine digits: near the boundary
  }
  if (zeros) return int * 1000 + fractionMs(first3);
  if (nines) return -1;
  return int * 1000 + first3;
}

// ------------------------------------------------------------------------------------ sniffing

/** True when the file starts with the gzip magic bytes `1f 8b`. Never throws. */
export async function isGzip(file: string): Promise<boolean> {
  try {
    const fh = await fsp.open(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/** Bytes (decompressed) looked at by {@link sniffInput}. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Reads the first lines of a file (decompressing gzip) and decides its format: Zeek TSV (`#`
 * header lines with `#fields`), Zeek JSON (an object with `id.orig_h` or `_path`), other JSON
 * lines, CSV (a header line with a delimiter), empty, binary or unknown. Never throws.
 */
export async function sniffInput(file: string): Promise<InputInfo> {
  const group = importGroupOf(file);
  const info: InputInfo = { file, format: 'unknown', logPath: '', gzip: false, columns: [], ...group };
  const head: string[] = [];
  let seen = 0;
  const ac = new AbortController();
  info.gzip = await isGzip(file);
  try {
    const r = await streamLines(
      file,
      (l) => {
        if (head.length < 50) head.push(l);
        seen += l.length + 1;
        if (head.length >= 50 || seen > SNIFF_BYTES) ac.abort();
      },
      { signal: ac.signal },
    );
    if (r.error && /binary/.test(r.error)) info.format = 'binary';
    else if (r.error) info.error = r.error;
  } catch {
    /* aborted on purpose after the first lines */
  }
  if (info.format === 'binary') return info;
  const fromName = logPathFromName(file);
  const lines = head.filter((l) => l.trim() !== '');
  if (lines.length === 0) {
    info.format = 'empty';
    info.logPath = fromName;
    return info;
  }
  const first = lines[0].replace(/^\uFEFF/, '');
  // a Zeek TSV log opens with its `#separator` / `#fields` header lines (a Markdown heading `# Sources` does not)
  if (first.startsWith('#') && lines.some((l, i) => i < 12 && /^#(?:separator|fields|path|set_separator|open|types)\b/.test(l))) {
    info.format = 'zeek-tsv';
    let sep = '\t';
    let fields = false;
    let unsplit: string | undefined; // a `#fields` / `#path` line the declared separator does not split
    for (const l of lines) {
      if (!l.startsWith('#')) break;
      const h = parseZeekHeaderLine(l, sep);
      if (h.key === '#separator') sep = h.values[0];
      else if (h.key === '#path') info.logPath = normalizeLogPath(h.values[0] ?? '');
      else if (h.key === '#fields') {
        info.columns = h.values;
        fields = true;
      } else unsplit ??= /^#(fields|path)(?![A-Za-z0-9_])/.exec(h.key)?.[1];
    }
    if (!fields && unsplit) info.headerProblem = `its #${unsplit} line is not split by its #separator (${JSON.stringify(sep)})`;
    if (!info.logPath) info.logPath = fromName;
    return info;
  }
  // Ariel flow search results saved whole (`{"flows":[` then one flow per line, or pretty-printed)
  const ariel = /^\s*\{\s*"flows"\s*:\s*\[/.exec(first.trimStart().startsWith('{') ? lines.join('\n').replace(/^\uFEFF/, '') : '');
  if (ariel && !isJsonRecordLine(first)) {
    const text = lines.join('\n').replace(/^\uFEFF/, '');
    info.format = 'json';
    info.document = 'ariel-flows';
    info.columns = arielColumns(text, ariel[0].length - 1);
    return info;
  }
  if (first.trimStart().startsWith('{')) {
    try {
      const o = JSON.parse(first) as Record<string, unknown>;
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        info.columns = flattenKeys(o);
        const zeekish = typeof o._path === 'string' || 'id.orig_h' in o || (typeof o.id === 'object' && o.id !== null && 'orig_h' in (o.id as object));
        info.format = zeekish ? 'zeek-json' : 'json';
        info.logPath = typeof o._path === 'string' ? normalizeLogPath(o._path) : zeekish ? fromName : '';
        return info;
      }
    } catch {
      /* not JSON */
    }
  }
  // CSV (or TSV/semicolon) with a header line
  const delim = [',', ';', '\t', '|'].map((d) => ({ d, n: first.split(d).length - 1 })).sort((a, b) => b.n - a.n)[0];
  if (delim.n > 0) {
    info.format = 'csv';
    info.delimiter = delim.d;
    info.columns = first.split(delim.d).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  }
  return info;
}

/**
 * True when a line that opens with `{"flows":[` is a whole JSON object with keys besides `flows` (a JSON-lines record
 * of a firewall or proxy export that has a `flows` field, e.g. `{"flows": [], "src_ip": …}`), not an Ariel results
 * document (`{"flows":[…]}` and nothing else, on one line or spread over many). Never throws.
 */
function isJsonRecordLine(line: string): boolean {
  try {
    const o = JSON.parse(line) as unknown;
    return !!o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).some((k) => k !== 'flows');
  } catch {
    return false; // an Ariel document spread over lines (or a damaged one): read as Ariel results
  }
}

/** Flow objects of Ariel results whose keys make the columns of the file ({@link arielColumns}). */
const ARIEL_SAMPLE_FLOWS = 20;
/** Ariel's names of the flow fields, the columns assumed when no flow in the sniffed start of the file is readable. */
const ARIEL_FLOW_KEYS: readonly string[] = ['starttime', 'sourceip', 'destinationip', 'destinationport', 'protocolid', 'sourcebytes', 'destinationbytes'];

/**
 * The columns of Ariel flow results from the start of the document (`open`: the index of the `flows` array's `[`):
 * the union of the keys of the first {@link ARIEL_SAMPLE_FLOWS} flows that are JSON objects, in order of first
 * appearance, so that a damaged, non-object or sparse first flow (reported when the file is read) does not lose the
 * file. When none is readable here (a first element larger than the sniffed start), Ariel's own names. Never throws.
 */
function arielColumns(text: string, open: number): string[] {
  const keys = new Set<string>();
  let objects = 0;
  for (const span of scanArray(text, open).spans) {
    if (objects >= ARIEL_SAMPLE_FLOWS) break;
    try {
      const o = JSON.parse(text.slice(span.start, span.end)) as unknown;
      if (!o || typeof o !== 'object' || Array.isArray(o)) continue;
      for (const k of flattenKeys(o as Record<string, unknown>)) keys.add(k);
      objects++;
    } catch {
      /* a damaged flow (or one nested too deeply to list): reported when the file is read */
    }
  }
  return objects > 0 ? [...keys] : [...ARIEL_FLOW_KEYS];
}

/** Keys of a JSON object, nested objects flattened with dots (`{"id":{"orig_h":…}}` → `id.orig_h`). */
export function flattenKeys(o: Record<string, unknown>, prefix = '', out: string[] = []): string[] {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flattenKeys(v as Record<string, unknown>, key, out);
    else out.push(key);
  }
  return out;
}


/**
 * A Zeek JSON conn record's `conn_state` or `history` for {@link connStateKind} / {@link historyKind}: the text, or ''
 * (unset) when it is no string or is Zeek's TSV unset or empty token (`-`, `(empty)`: a JSON log converted from TSV
 * keeps them; neither is a state or a history letter). The TSV readers read both tokens as unset: before, `"-"` was a
 * failed handshake (`conn_state`) or a history without payload, so a pair the TSV copy of the log cannot label was
 * "No data exchanged" — or "Backscatter" with a `^` — in the JSON copy.
 */
export function jsonZeekString(v: unknown): string {
  return typeof v === 'string' && v !== '-' && v !== '(empty)' ? v : '';
}

/**
 * `String(v ?? '')`, but '' for a value that cannot be turned into text (a JSON object such as
 * `{"toString": 1}`: String() throws, which stopped the whole file at that line).
 */
function jsonText(v: unknown): string {
  try {
    return String(v ?? '');
  } catch {
    return '';
  }
}
/**
 * A value as JSON text for an error message, cut after 200 characters (`…`). Never throws: a value
 * nested too deeply for `JSON.stringify` (a hostile line of 100,000 `[`) is `(a value nested too deeply to show)`;
 * that RangeError used to stop the reading of the whole file at that line.
 */
export function shownValue(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v ?? null);
  } catch {
    return '(a value nested too deeply to show)';
  }
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

/** Value of a dotted key in a JSON object: the literal key first (`"id.orig_h"`), then the nested path. */
export function jsonField(o: Record<string, unknown>, key: string): unknown {
  if (key in o) return o[key];
  if (key.indexOf('.') < 0) return undefined;
  let cur: unknown = o;
  for (const part of key.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

// ------------------------------------------------------------------------------------ discovery

export interface DiscoveredInputs {
  /** Absolute paths, sorted. */
  files: string[];
  skipped: { file: string; reason: string }[];
  errors: ParseError[];
  totalBytes: number;
}

/** A path segment never entered by {@link discoverInputs}: hidden (`.git`), `node_modules`, the tool's own output folders. */
function skippedSegment(seg: string): boolean {
  return seg.startsWith('.') || seg === 'node_modules' || seg === 'soc-exports' || seg === 'soc-reports';
}

/**
 * Files under `paths` (files or folders, recursive; hidden entries, `node_modules`, `soc-exports` and `soc-reports`
 * skipped). A symbolic link found inside a folder (to a file or to a folder) is followed only when its real path lies
 * inside one of the roots analyzed (`opts.roots`, default `paths`; {@link insideRoots}): evidence folders are
 * attacker-controlled, and a link to `/proc` or the analyst's home folder is `skipped` with
 * {@link outsideRootsReason} (`symbolic link to a folder outside the folders analyzed (/proc), not entered — name it
 * directly to analyze it`; for a file `… not read …`), whatever `reportNotRead`. A path in `paths` is always read. A
 * link to a folder inside the roots (a collection folder of per-host folders linked in) is read whole, as `loki` reads
 * it: each real folder is read once, a link pointing to the folder it sits in or one above it is never entered (a
 * loop), nor is a link to a folder already read. Each real file is read once, listed under the path it was found by
 * (as `loki` and `qradar` list it): a folder named is listed first, the symbolic links met in it after it (in the order
 * met, then the links inside the folders they lead to), so a file with a path of its own inside the folders named is
 * listed by it and a second path to it — also a hard link, the same device and inode — is skipped ({@link sameFileReason}). Unreadable paths go to
 * `errors` (line 0). With `reportNotRead`, every folder entry not read is also `skipped` with the reason (else dropped
 * silently): a FIFO, socket or device, or a link to one ({@link notRegularReason}); a link to a folder not entered
 * (`symbolic link to a folder, not entered (a loop: it points to <folder>)`, `symbolic link to a folder already read
 * (<folder>)`, `symbolic link to a hidden or tool folder`, or the folder's own read error, `cannot read folder:
 * EACCES: …`, when it could not be listed); a link that loops on itself (`symbolic link loop`); a second path to a
 * file already listed (`same file as <the path listed> (already listed)`). Never throws except on abort; always ends (each real
 * folder is listed at most once).
 */
export async function discoverInputs(paths: string[], opts: { signal?: AbortSignal; reportNotRead?: boolean; roots?: readonly string[] } = {}): Promise<DiscoveredInputs> {
  const roots = await analysedRoots(opts.roots ?? paths);
  /** Real paths of the folders that could not be listed → their read error (a link to one gets that reason). */
  const unreadable = new Map<string, string>();
  /** Real path of each file listed → the path it is listed under (the first found) and its size. */
  const files = new Map<string, { file: string; size: number }>();
  /** `device:inode` of each file listed that has several hard links → the path it is listed under. */
  const hardLinked = new Map<string, { file: string; size: number }>();
  const skipped: { file: string; reason: string }[] = [];
  const errors: ParseError[] = [];
  const report = opts.reportNotRead === true;
  /** Real paths of the folders listed so far (each listed with everything below it that is not skipped). */
  const listedRoots: string[] = [];
  /**
   * Symbolic links met in a folder (`real` undefined: resolved by {@link addFile} once the folder named is listed, so
   * a file with a path of its own there is listed by it) and linked folders to list (the link's path, the names
   * shown, and the real folder).
   */
  const linked: { abs: string; real?: string }[] = [];
  /** The listed folder holding real folder `real` ('' if none), and the part below it. */
  const coveredBy = (real: string): { root: string; rel: string } | undefined => {
    for (const root of listedRoots) if (isInside(real, root)) return { root, rel: real === root ? '' : path.relative(root, real) };
    return undefined;
  };
  /** Lists file `abs` (`walked`: found inside a folder, so a link is followed only inside the roots). */
  const addFile = async (abs: string, walked: boolean) => {
    try {
      const st = await fsp.stat(abs);
      if (!st.isFile()) {
        if (st.isDirectory()) {
          // a symbolic link to a folder (a plain folder is listed by readdir)
          const target = await fsp.realpath(abs);
          if (!insideRoots(target, roots)) return void skipped.push({ file: abs, reason: outsideRootsReason('folder', target) });
          const here = await fsp.realpath(path.dirname(abs)).catch(() => path.dirname(abs));
          const loop = isInside(here, target);
          const cover = loop ? undefined : coveredBy(target);
          const failed = unreadable.get(target);
          if (failed !== undefined) {
            if (report) skipped.push({ file: abs, reason: failed });
          } else if (loop) {
            if (report) skipped.push({ file: abs, reason: folderLoopReason(target) });
          } else if (cover) {
            if (report) skipped.push({ file: abs, reason: cover.rel.split(path.sep).some(skippedSegment) ? 'symbolic link to a hidden or tool folder' : folderAlreadyReadReason(target) });
          } else {
            listedRoots.push(target);
            linked.push({ abs, real: target });
          }
        } else if (report) skipped.push({ file: abs, reason: notRegularReason(st) });
        return;
      }
      const real = await fsp.realpath(abs);
      if (walked && !insideRoots(real, roots)) return void skipped.push({ file: abs, reason: outsideRootsReason('file', real) });
      // one file under two names: the same real path, or a hard link (the same device and inode; a file with several
      // links) — a hard link to a conn log beside it was read twice, every connection of its pairs counted twice
      const inode = st.nlink > 1 && st.ino > 0 && Number.isSafeInteger(st.ino) ? `${st.dev}:${st.ino}` : undefined;
      const listed = files.get(real) ?? (inode !== undefined ? hardLinked.get(inode) : undefined);
      if (listed !== undefined) {
        if (report) skipped.push({ file: abs, reason: sameFileReason(listed.file) });
        return;
      }
      files.set(real, { file: abs, size: st.size });
      if (inode !== undefined) hardLinked.set(inode, { file: abs, size: st.size });
    } catch (e) {
      if (report && (e as NodeJS.ErrnoException)?.code === 'ELOOP') skipped.push({ file: abs, reason: LINK_LOOP_REASON });
      else errors.push({ file: abs, line: 0, message: openErrorText('cannot open', abs, e) });
    }
  };
  /** Lists folder `abs` (recursive, links to folders queued in `linked`). */
  const listFolder = async (abs: string): Promise<void> => {
    let entries: { dir: string; ent: fs.Dirent }[];
    try {
      entries = (await fsp.readdir(abs, { withFileTypes: true, recursive: true })).map((ent) => ({
        dir: (ent as fs.Dirent & { parentPath?: string; path?: string }).parentPath ?? (ent as { path?: string }).path ?? abs,
        ent,
      }));
    } catch {
      // a folder inside that cannot be read (permissions, vanished) fails the recursive listing:
      // list folder by folder, each unreadable one reported on its own
      entries = [];
      const walk = async (dir: string): Promise<void> => {
        if (opts.signal?.aborted) throw abortError();
        let ents: fs.Dirent[];
        try {
          ents = await fsp.readdir(dir, { withFileTypes: true });
        } catch (e) {
          const message = openErrorText('cannot read folder', dir, e);
          errors.push({ file: dir, line: 0, message });
          unreadable.set(await fsp.realpath(dir).catch(() => dir), message);
          return;
        }
        for (const ent of ents) {
          entries.push({ dir, ent });
          if (ent.isDirectory()) await walk(path.join(dir, ent.name));
        }
      };
      await walk(abs);
    }
    // sorted, so that which of two links to one folder is entered does not depend on the listing order
    const named = entries.map(({ dir, ent }) => ({ full: path.join(dir, ent.name), ent }));
    named.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
    for (const { full, ent } of named) {
      if (opts.signal?.aborted) throw abortError();
      const rel = path.relative(abs, full);
      if (rel.split(path.sep).some(skippedSegment)) {
        if (!ent.isDirectory()) skipped.push({ file: full, reason: 'hidden or tool folder' });
        continue;
      }
      if (ent.isSymbolicLink()) linked.push({ abs: full });
      else if (ent.isFile()) await addFile(full, true);
      else if (report && !ent.isDirectory()) skipped.push({ file: full, reason: notRegularReason(ent) });
    }
  };
  for (const p of paths) {
    if (opts.signal?.aborted) throw abortError();
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = await fsp.stat(abs);
    } catch (e) {
      errors.push({ file: abs, line: 0, message: openErrorText('cannot open', abs, e) });
      continue;
    }
    if (st.isFile()) {
      await addFile(abs, false);
      continue;
    }
    if (!st.isDirectory()) {
      errors.push({ file: abs, line: 0, message: 'not a regular file or folder' });
      continue;
    }
    const real = await fsp.realpath(abs).catch(() => abs);
    const cover = coveredBy(real);
    if (cover && !cover.rel.split(path.sep).some(skippedSegment)) {
      // given twice, or inside a folder given before it (or linked from one): its files are listed already
      if (report) skipped.push({ file: abs, reason: `folder already read (${real})` });
      continue;
    }
    listedRoots.push(real);
    await listFolder(abs);
    // the links met, in the order met, then the folders linked in and the links met in them, each real folder once
    for (let i = 0; i < linked.length; i++) {
      if (opts.signal?.aborted) throw abortError();
      if (linked[i].real === undefined) await addFile(linked[i].abs, true);
      else await listFolder(linked[i].abs);
    }
    linked.length = 0;
  }
  const sorted = [...files.values()].map((f) => f.file).sort();
  let totalBytes = 0;
  for (const f of files.values()) totalBytes += f.size;
  return { files: sorted, skipped, errors, totalBytes };
}

// ------------------------------------------------------------------------------------ Zeek reader

/** Callbacks of {@link readZeekFile}: connection records (conn/open_conn) and uid → host names (http Host, ssl SNI). */
export interface ZeekHandlers {
  conn?(rec: ConnRecord, line: number): void;
  /**
   * Byte path only (TSV conn logs without `host`): the records handed to `conn` so far for this
   * file are void, because the file is read again from its start (it is not plain ASCII text, or
   * it is damaged or has an overlong line: see {@link readZeekFile}). With this handler the byte path hands each record over as soon as it is read;
   * without it the records are collected and handed over once the whole file has been read.
   */
  discard?(): void;
  /** http.log `host` / ssl.log `server_name` for a Zeek uid. */
  host?(uid: string, host: string, line: number): void;
}

/**
 * Reads one Zeek log file (TSV or JSON, plain or gzip) and calls `handlers.conn` for every
 * conn/open_conn record and `handlers.host` for every http/ssl record with a host name.
 * TSV: header lines are honoured wherever they appear (a file may hold several header blocks);
 * fields are looked up by the `#fields` order; `#unset_field`/`#empty_field` tokens read as unset
 * (counts → 0, RITA §1.1); a data line with a different number of fields than `#fields`, no
 * `#fields` yet, an unreadable `ts` or a missing/invalid address is reported and skipped.
 * JSON: one object per line; unreadable JSON or missing fields are reported and skipped.
 * Never rejects except with an AbortError.
 */
export async function readZeekFile(info: InputInfo, handlers: ZeekHandlers, opts: ReadOptions = {}): Promise<ConnFileResult> {
  if (info.format === 'zeek-tsv' && handlers.conn && !handlers.host) {
    // a file read again on the string path reports its bytes from 0 again: only report progress
    const onBytes = opts.onBytes;
    let most = 0;
    const o: ReadOptions = !onBytes
      ? opts
      : {
          ...opts,
          onBytes: (b: number) => {
            if (b <= most) return;
            most = b;
            onBytes(b);
          },
        };
    // a lone CR (classic Mac OS line ends) is a line end only the string path splits at: no second byte pass then
    let loneCR = false;
    for (const pass of ['bytes-large-chunks', 'bytes'] as const) {
      if (loneCR) break;
      const r = await readZeekFileWith(info, handlers, o, pass, () => (loneCR = true));
      if (r) return r;
      handlers.discard?.();
    }
    return (await readZeekFileWith(info, handlers, o, 'strings'))!;
  }
  return (await readZeekFileWith(info, handlers, opts, 'strings'))!;
}

/**
 * How {@link readZeekFileWith} reads a file: `strings` decodes every line to a string
 * ({@link streamLines}); `bytes` reads plain ASCII lines on bytes ({@link streamAsciiLines}) from the
 * same chunks; `bytes-large-chunks` likewise with large gzip chunks, and gives up on any file where
 * that could change what is read (damaged data, overlong or non-ASCII lines).
 */
type ReadPass = 'bytes-large-chunks' | 'bytes' | 'strings';

/**
 * {@link readZeekFile}; on a byte pass (TSV conn logs without a host handler) lines are read on
 * bytes ({@link streamAsciiLines}) and usual data lines are split and converted without strings
 * (addresses and protocols interned); any other line goes through the string path as before. When
 * the byte pass gives up on the file (see {@link ReadPass}) this resolves with `undefined` and the
 * caller reads it again (the next pass). Unless the caller can drop records ({@link ZeekHandlers.discard}), the records
 * are collected and handed to `handlers.conn` at the end (same order, same values), so that then
 * nothing was handed over.
 */
async function readZeekFileWith(info: InputInfo, handlers: ZeekHandlers, opts: ReadOptions, pass: ReadPass, onLoneCR?: () => void): Promise<ConnFileResult | undefined> {
  const file = info.file;
  const bytePath = pass !== 'strings';
  const res: ConnFileResult = { file, format: info.format, logPath: info.logPath, lines: 0, records: 0, unparsedLines: 0, bytes: 0, errors: [] };
  const fail = (line: number, message: string) => {
    res.unparsedLines++;
    if (res.errors.length < MAX_LINE_ERRORS) res.errors.push({ file, line, message });
  };
  const rec: ConnRecord = { ts: 0, tsMs: 0, uid: '', src: '', dst: '', dport: NaN, proto: '', origBytes: 0, respBytes: 0, fqdn: '' };

  // TSV state
  let sep = '\t';
  let unset = '-';
  let empty = '(empty)';
  let fields: string[] | undefined;
  let logPath = info.logPath;
  let idx: Record<string, number> = {};
  let hostIdx = -1;
  let repeatedFieldLines = 0; // #fields lines that name a field more than once (the first is noted, the others counted)
  if (info.format === 'zeek-tsv') res.closed = false;

  const isConn = (p: string) => p === 'conn' || p === 'open_conn';
  // Byte path: records are collected here and handed over at the end (see readZeekFileWith).
  const kept = bytePath && !handlers.discard ? new ConnBuffer() : undefined;
  const emit = kept ? (r: ConnRecord, n: number) => kept.push(r, n) : (r: ConnRecord, n: number) => handlers.conn?.(r, n);
  const tsvLine = (line: string, n: number) => {
    if (line.charCodeAt(0) === 35 /* # */) {
      const { key, values: rest } = parseZeekHeaderLine(line, sep);
      if (key === '#separator') {
        sep = rest[0];
        res.closed = false;
        return;
      }
      switch (key) {
        case '#unset_field':
          unset = rest[0] ?? '-';
          break;
        case '#empty_field':
          empty = rest[0] ?? '(empty)';
          break;
        case '#path':
          logPath = normalizeLogPath(rest[0] ?? '') || logPath;
          break;
        case '#fields': {
          fields = rest;
          idx = {};
          // a name written twice (Zeek never does; a hand-merged or forged header): its first column is read, as in a
          // connection CSV, and a note says so (the last one was read silently: a decoy id.resp_h replaced every destination)
          for (let i = fields.length - 1; i >= 0; i--) idx[fields[i]] = i;
          const repeated = repeatedFields(fields);
          if (repeated.length > 0 && repeatedFieldLines++ === 0) (res.notes ??= []).push(`${path.basename(file)}:${n}: ${repeatedFieldsText(repeated)}`);
          hostIdx = idx[logPath === 'ssl' ? 'server_name' : 'host'] ?? -1;
          break;
        }
        case '#close':
          res.closed = true;
          break;
        default:
          break; // #set_separator, #open, #types: not needed
      }
      return;
    }
    // a blank line is skipped; a line of separators (22 empty fields: a TAB is white space too) is a record to check
    if (line.trim() === '' && !line.includes(sep)) return;
    if (!fields) return fail(n, 'data line before the #fields header');
    const cols = line.split(sep);
    if (cols.length !== fields.length) return fail(n, `expected ${fields.length} fields, found ${cols.length}`);
    const get = (name: string): string => {
      const i = idx[name];
      if (i === undefined) return '';
      const v = cols[i];
      return v === unset || v === empty ? '' : v;
    };
    if (isConn(logPath)) {
      const t = parseZeekTime(get('ts'));
      if (!t) return fail(n, `unreadable ts: ${JSON.stringify(cols[idx.ts] ?? '')}`);
      const src = get('id.orig_h');
      const dst = get('id.resp_h');
      if (!isAddress(src) || !isAddress(dst)) return fail(n, `missing or invalid address: ${JSON.stringify(src)} → ${JSON.stringify(dst)}`);
      rec.ts = t.ts;
      rec.tsMs = t.tsMs;
      rec.uid = opts.skipUid ? '' : get('uid');
      rec.src = src;
      rec.dst = dst;
      rec.dport = port(get('id.resp_p'));
      rec.proto = get('proto');
      rec.icmpType = rec.proto === 'icmp' ? port(get('id.orig_p')) : NaN;
      rec.origBytes = count(get('orig_ip_bytes'));
      rec.respBytes = count(get('resp_ip_bytes'));
      // a count above 10^15 or infinite, negative or NaN: the record is unreadable, as one with a bad time or address
      for (const f of ['orig_ip_bytes', 'resp_ip_bytes'] as const) {
        if (Number.isNaN(f === 'orig_ip_bytes' ? rec.origBytes : rec.respBytes)) return fail(n, unreadableCountText(f, JSON.stringify(cols[idx[f]]), cols[idx[f]]));
      }
      rec.exchange = exchangeClass(connStateKind(get('conn_state')), historyKind(get('history')), payloadCount(get('orig_bytes')), payloadCount(get('resp_bytes')));
      rec.fqdn = '';
      res.records++;
      emit(rec, n);
    } else if (logPath === 'http' || logPath === 'ssl') {
      const uid = get('uid');
      const host = hostIdx >= 0 ? unescapeZeek(cols[hostIdx] === unset || cols[hostIdx] === empty ? '' : cols[hostIdx]) : '';
      res.records++;
      // own copies: the map of the SNI join keeps them for the run, and a slice pins the line or the decoded gzip chunk it
      // was cut from (an ssl.log.gz of 540 MB unpacked was kept whole in memory and ran a 512 MB heap out of it)
      if (uid && host) handlers.host?.(ownCopy(uid), ownCopy(hostOnly(host)), n);
    }
  };

  const jsonLine = (line: string, n: number) => {
    const t0 = line.trim();
    if (t0 === '') return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(t0) as Record<string, unknown>;
    } catch {
      return fail(n, 'not a JSON object (unreadable JSON)');
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) return fail(n, 'not a JSON object');
    const p = typeof o._path === 'string' ? normalizeLogPath(o._path) : logPath;
    if (isConn(p)) {
      const t = parseZeekTime(o.ts);
      if (!t) return fail(n, `unreadable ts: ${shownValue(o.ts)}`);
      const src = jsonText(jsonField(o, 'id.orig_h'));
      const dst = jsonText(jsonField(o, 'id.resp_h'));
      if (!isAddress(src) || !isAddress(dst)) return fail(n, `missing or invalid address: ${JSON.stringify(src)} → ${JSON.stringify(dst)}`);
      rec.ts = t.ts;
      rec.tsMs = t.tsMs;
      rec.uid = typeof o.uid === 'string' && !opts.skipUid ? o.uid : '';
      rec.src = src;
      rec.dst = dst;
      rec.dport = port(jsonField(o, 'id.resp_p'));
      rec.proto = typeof o.proto === 'string' ? o.proto : '';
      rec.icmpType = rec.proto === 'icmp' ? port(jsonField(o, 'id.orig_p')) : NaN;
      rec.origBytes = count(o.orig_ip_bytes);
      rec.respBytes = count(o.resp_ip_bytes);
      if (Number.isNaN(rec.origBytes)) return fail(n, unreadableCountText('orig_ip_bytes', shownValue(o.orig_ip_bytes), o.orig_ip_bytes));
      if (Number.isNaN(rec.respBytes)) return fail(n, unreadableCountText('resp_ip_bytes', shownValue(o.resp_ip_bytes), o.resp_ip_bytes));
      rec.exchange = exchangeClass(
        connStateKind(jsonZeekString(o.conn_state)),
        historyKind(jsonZeekString(o.history)),
        payloadCount(o.orig_bytes),
        payloadCount(o.resp_bytes),
      );
      rec.fqdn = '';
      res.records++;
      handlers.conn?.(rec, n);
    } else if (p === 'http' || p === 'ssl') {
      const uid = typeof o.uid === 'string' ? o.uid : '';
      const h = p === 'ssl' ? o.server_name : o.host;
      res.records++;
      if (uid && typeof h === 'string' && h) handlers.host?.(uid, hostOnly(h), n);
    } else {
      res.records++; // another Zeek log type inside the file: readable, not used
    }
  };

  let r: { bytes: number; lines: number; gzip: boolean; error?: string };
  if (bytePath) {
    const names = opts.names ?? new AsciiInterner();
    const shareIds = opts.names !== undefined;
    const textsById = shareIds && !kept && opts.textsById === true;
    const quadValues = textsById && opts.quadValues === true;
    // columns of the fields used, by #fields position (recomputed when #fields changes)
    const COLS = ['ts', 'uid', 'id.orig_h', 'id.resp_h', 'id.resp_p', 'proto', 'orig_ip_bytes', 'resp_ip_bytes', 'id.orig_p', 'conn_state', 'history', 'orig_bytes', 'resp_bytes'] as const;
    let slotFields: string[] | undefined;
    let slotOf = new Int8Array(0);
    const has = new Uint8Array(COLS.length);
    const from = new Int32Array(COLS.length);
    const to = new Int32Array(COLS.length);
    const asText = (buf: Buffer, a: number, b: number) => buf.toString('latin1', a, b);
    // payloadCount of field k (orig_bytes, resp_bytes) of the line being read
    const payloadAt = (buf: Buffer, k: number): number => {
      if (has[k] === 0 || bytesEqual(buf, from[k], to[k], unset) || bytesEqual(buf, from[k], to[k], empty)) return -1;
      const v = digitsValue(buf, from[k], to[k]);
      return v >= 0 ? v : payloadCount(asText(buf, from[k], to[k]));
    };
    const bytesLine = (buf: Buffer, a: number, b: number, n: number) => {
      const c0 = buf[a];
      // headers, blank-looking lines, other separators or log types: the string path
      if (a === b || c0 === 35 || c0 === 32 || (c0 >= 9 && c0 <= 13) || !fields || sep.length !== 1 || !isConn(logPath)) return tsvLine(asText(buf, a, b), n);
      if (slotFields !== fields) {
        slotFields = fields;
        slotOf = new Int8Array(fields.length).fill(-1);
        for (let k = 0; k < COLS.length; k++) {
          const i = idx[COLS[k]];
          has[k] = i === undefined ? 0 : 1;
          if (i !== undefined) slotOf[i] = k;
        }
      }
      const sc = sep.charCodeAt(0);
      const nf = fields.length;
      let col = 0;
      let start = a;
      for (let i = a; i <= b; i++) {
        if (i === b || buf[i] === sc) {
          if (col < nf) {
            const k = slotOf[col];
            if (k >= 0) {
              from[k] = start;
              to[k] = i;
            }
          }
          col++;
          start = i + 1;
        }
      }
      if (col !== nf) return tsvLine(asText(buf, a, b), n);
      // a field is unset when absent from #fields or equal to the unset/empty tokens (as `get`)
      const isSet = (k: number) => has[k] === 1 && !bytesEqual(buf, from[k], to[k], unset) && !bytesEqual(buf, from[k], to[k], empty);
      if (!isSet(0) || !isSet(2) || !isSet(3)) return tsvLine(asText(buf, a, b), n);
      const ms = tsvTimeMs(buf, from[0], to[0]);
      if (ms < 0) return tsvLine(asText(buf, a, b), n);
      const srcQuad = quadValues ? dottedQuadValue(buf, from[2], to[2]) : -1;
      let srcId = srcQuad >= 0 ? -1 : names.ipv4Id(buf, from[2], to[2]);
      if (srcId < 0 && srcQuad < 0) {
        srcId = names.id(buf, from[2], to[2]);
        if (!names.isAddress(srcId)) return tsvLine(asText(buf, a, b), n);
      }
      const dstQuad = quadValues ? dottedQuadValue(buf, from[3], to[3]) : -1;
      let dstId = dstQuad >= 0 ? -1 : names.ipv4Id(buf, from[3], to[3]);
      if (dstId < 0 && dstQuad < 0) {
        dstId = names.id(buf, from[3], to[3]);
        if (!names.isAddress(dstId)) return tsvLine(asText(buf, a, b), n);
      }
      rec.ts = Math.floor(ms / 1000);
      rec.tsMs = ms;
      rec.uid = opts.skipUid || !isSet(1) ? '' : asText(buf, from[1], to[1]);
      // (quad values only come with textsById)
      rec.src = textsById ? '' : names.strings[srcId];
      rec.dst = textsById ? '' : names.strings[dstId];
      if (!isSet(4)) rec.dport = NaN;
      else {
        const v = digitsValue(buf, from[4], to[4]);
        rec.dport = v >= 0 ? v : port(asText(buf, from[4], to[4]));
      }
      const protoId = isSet(5) ? names.id(buf, from[5], to[5]) : -1;
      rec.proto = protoId < 0 || textsById ? '' : names.strings[protoId];
      // ICMP: its type is in id.orig_p (read only then: other records do not use the source port)
      if (protoId >= 0 && names.strings[protoId] === 'icmp' && isSet(8)) {
        const v = digitsValue(buf, from[8], to[8]);
        rec.icmpType = v >= 0 ? v : port(asText(buf, from[8], to[8]));
      } else rec.icmpType = NaN;
      if (!isSet(6)) rec.origBytes = 0;
      else {
        const v = digitsValue(buf, from[6], to[6]);
        rec.origBytes = v >= 0 ? v : count(asText(buf, from[6], to[6]));
      }
      if (!isSet(7)) rec.respBytes = 0;
      else {
        const v = digitsValue(buf, from[7], to[7]);
        rec.respBytes = v >= 0 ? v : count(asText(buf, from[7], to[7]));
      }
      // an unreadable byte count: the string path reports it
      if (Number.isNaN(rec.origBytes) || Number.isNaN(rec.respBytes)) return tsvLine(asText(buf, a, b), n);
      // exchangeClass on bytes (connStateKind, historyKind, payloadCount): the byte counts only read when needed
      // a zero-length field is unset, as on the string path (`get` gives '' for it: connStateKind 0, historyKind -1;
      // before, a `,,` conn_state and `^h` history was Backscatter here and unknown there, by the file's bytes alone)
      let st = 0;
      if (isSet(9) && to[9] > from[9]) {
        const s0 = from[9];
        const c1 = buf[s0 + 1];
        st = to[9] - s0 === 2 && buf[s0] === 83 /* S */ && (c1 === 70 /* F */ || (c1 >= 49 && c1 <= 51)) /* 1–3 */ ? 1 : 2;
      }
      let hk = -1;
      if (isSet(10) && to[10] > from[10]) {
        hk = 0;
        for (let i = from[10], e = to[10]; i < e; i++) {
          const c = buf[i];
          // PAYLOAD_LETTERS: D d T t G g
          if (c === 68 || c === 100 || c === 84 || c === 116 || c === 71 || c === 103) {
            hk = 1;
            break;
          }
          if (c === 94 /* ^ */) hk = 2;
        }
      }
      rec.exchange = hk === 1 || st === 1 ? EXCHANGE_DATA : exchangeClass(st, hk, payloadAt(buf, 11), payloadAt(buf, 12));
      rec.fqdn = '';
      if (shareIds) {
        rec.srcId = srcId;
        rec.dstId = dstId;
        rec.protoId = protoId;
        rec.srcQuad = srcQuad;
        rec.dstQuad = dstQuad;
      }
      res.records++;
      emit(rec, n);
      rec.srcId = -1;
      rec.dstId = -1;
      rec.protoId = -1;
      rec.srcQuad = -1;
      rec.dstQuad = -1;
    };
    const rb = await streamAsciiLines(file, bytesLine, opts, pass === 'bytes-large-chunks', onLoneCR);
    if (!rb) return undefined;
    r = rb;
  } else {
    r = await streamLines(file, info.format === 'zeek-tsv' ? tsvLine : jsonLine, opts, (n, chars) => fail(n, longLineText(chars)));
  }
  res.lines = r.lines;
  res.bytes = r.bytes;
  if (r.error) res.errors.push({ file, line: r.lines, message: r.error });
  if (res.unparsedLines > MAX_LINE_ERRORS) {
    res.errors.push({ file, line: 0, message: `${res.unparsedLines - MAX_LINE_ERRORS} more unreadable lines not listed` });
  }
  if (repeatedFieldLines > 1) res.notes![0] += ` (so do ${repeatedFieldLines - 1} later #fields lines)`;
  res.logPath = logPath;
  if (kept) kept.replay(handlers.conn!, opts.names !== undefined);
  return res;
}

/**
 * Each name of a header (Zeek `#fields`, a connection CSV's first record) with its 1-based columns, in the order of
 * their first column. Linear in the number of names (columns appended in place: a copy per repeat was quadratic).
 */
export function columnsByName(names: readonly string[]): Map<string, number[]> {
  const at = new Map<string, number[]>();
  names.forEach((f, i) => {
    const cols = at.get(f);
    if (cols) cols.push(i + 1);
    else at.set(f, [i + 1]);
  });
  return at;
}

/**
 * The 1-based columns of each name that a Zeek `#fields` header (`fields`) lists more than once, in the order of their
 * first column ({@link columnsByName}); empty when every name is listed once.
 */
export function repeatedFields(fields: readonly string[]): [string, number[]][] {
  return [...columnsByName(fields)].filter(([, cols]) => cols.length > 1);
}

/**
 * What to say of a Zeek `#fields` header that names fields more than once (the readers read the first column of each):
 * `the #fields header names "id.resp_h" twice (columns 6 and 23); the first column was read`. `repeated`: as
 * {@link repeatedFields} gives it; at most 5 names are listed, the others counted. Names are shown as JSON strings (a
 * control character is an escape), cut to 80 characters.
 */
export function repeatedFieldsText(repeated: readonly [string, number[]][]): string {
  const times = (k: number) => (k === 2 ? 'twice' : `${k} times`);
  const shown = repeated.slice(0, 5).map(([f, cols]) => `${JSON.stringify(f.length > 80 ? `${f.slice(0, 79)}…` : f)} ${times(cols.length)} (columns ${cols.slice(0, 10).join(cols.length === 2 ? ' and ' : ', ')}${cols.length > 10 ? ', …' : ''})`);
  const more = repeated.length > 5 ? ` and ${repeated.length - 5} more names` : '';
  return `the #fields header names ${shown.join(', ')}${more}; the first column ${repeated.length === 1 ? 'was' : 'of each was'} read`;
}

/** Connection records collected by the byte path of {@link readZeekFile}, in order. */
class ConnBuffer {
  n = 0;
  private num = new Float64Array(9 * 1024);
  private line = new Int32Array(1024);
  private str: string[] = [];

  push(r: ConnRecord, lineNo: number): void {
    const i = this.n++;
    if (i === this.line.length) {
      const num = new Float64Array(this.num.length * 2);
      num.set(this.num);
      this.num = num;
      const line = new Int32Array(this.line.length * 2);
      line.set(this.line);
      this.line = line;
    }
    const o = i * 9;
    this.num[o] = r.ts;
    this.num[o + 1] = r.tsMs;
    this.num[o + 2] = r.dport;
    this.num[o + 3] = r.origBytes;
    this.num[o + 4] = r.respBytes;
    // address ids + 1 (0: unknown)
    this.num[o + 5] = (r.srcId ?? -1) + 1;
    this.num[o + 6] = (r.dstId ?? -1) + 1;
    this.num[o + 7] = r.icmpType ?? NaN;
    this.num[o + 8] = r.exchange ?? EXCHANGE_UNKNOWN;
    this.line[i] = lineNo;
    this.str.push(r.uid, r.src, r.dst, r.proto, r.fqdn);
  }

  /** Hands every record to `conn` (one reused object, as the string path does); `withIds`: set srcId/dstId. */
  replay(conn: (rec: ConnRecord, line: number) => void, withIds: boolean): void {
    const rec: ConnRecord = { ts: 0, tsMs: 0, uid: '', src: '', dst: '', dport: NaN, proto: '', origBytes: 0, respBytes: 0, fqdn: '' };
    const num = this.num;
    const str = this.str;
    for (let i = 0; i < this.n; i++) {
      const o = i * 9;
      const q = i * 5;
      rec.ts = num[o];
      rec.tsMs = num[o + 1];
      rec.dport = num[o + 2];
      rec.origBytes = num[o + 3];
      rec.respBytes = num[o + 4];
      rec.icmpType = num[o + 7];
      rec.exchange = num[o + 8];
      rec.uid = str[q];
      rec.src = str[q + 1];
      rec.dst = str[q + 2];
      rec.proto = str[q + 3];
      rec.fqdn = str[q + 4];
      if (withIds) {
        rec.srcId = num[o + 5] - 1;
        rec.dstId = num[o + 6] - 1;
      }
      conn(rec, this.line[i]);
    }
    this.n = 0;
    this.str = [];
  }
}

/** `Host` header value without port, lower-cased (`Example.com:8080` → `example.com`). */
export function hostOnly(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    return end > 0 ? s.slice(1, end) : s;
  }
  const c = s.lastIndexOf(':');
  if (c > 0 && s.indexOf(':') === c && /^\d+$/.test(s.slice(c + 1))) s = s.slice(0, c);
  return s.replace(/\.$/, '');
}

