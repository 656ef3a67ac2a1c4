/**
 * Generic connection exports (firewall, proxy, NetFlow-style) in CSV or JSON lines, read through a
 * column mapping: which column holds the timestamp, source, destination, destination port, bytes
 * sent by the source and, optionally, the host name (FQDN). CSV is split line by line by csv-lines.ts
 * CsvSplitter (RFC 4180 quoting, quoted newlines, BOM, stray quotes read as text, in one linear pass); gzip is
 * decompressed as it streams. Records are handed to a callback one at a time and never kept.
 *
 * Presets: `zeek-http` reads a Zeek http.log as connections the way RITA-J does
 * (shared/docs/rita-beacons.md §7: ts, id.orig_h, id.resp_h, id.resp_p, request_body_len, host);
 * `firewall-csv` a generic firewall export (timestamp, src_ip, dst_ip, dst_port, bytes_sent);
 * `qradar-flows` a QRadar Network Activity export (First Packet Time, Source IP, Destination IP, …). QRadar flow
 * exports (CSV, and Ariel `{"flows":[…]}` JSON) are recognised by their header and read the QRadar way: console
 * display times in the console's zone, protocol ids and `tcp.ip` names, see qradar-flows.ts.
 */
import { readInputBounded } from '../fs-read';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvSplitter, holdsJoinedLines, MAX_CSV_MULTILINE_CHARS, unclosedText } from './csv-lines';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { ParseError } from '../model/common';
import {
  GZIP_DAMAGE,
  MAX_LINE_ERRORS,
  abortError,
  columnsByName,
  hostOnly,
  isAddress,
  isFileDamage,
  isGzip,
  jsonField,
  longLineText,
  parseZeekTime,
  shownValue,
  streamLines,
  type ConnFileResult,
  type ConnRecord,
  type InputInfo,
  type ReadOptions,
} from './zeek';
import { DateTime } from 'luxon';
import { QRADAR_FLOWS_PRESET, qradarCount, type FlowTime, qradarFlowMapping, qradarFlowTime, qradarProtocol } from './qradar-flows';
import { scanArray } from './qradar';
import { countValue, unreadableCountText } from './counts';
import { tableUtf16 } from './cases-input';

/** Our field → the input's column (CSV header name or JSON key, dotted keys allowed). */
export interface ColumnMapping {
  ts: string;
  src: string;
  dst: string;
  dport?: string;
  /** Bytes sent by the source (RITA uses Zeek `orig_ip_bytes`). */
  bytes?: string;
  /** Bytes sent by the destination (only for the total-bytes column). */
  respBytes?: string;
  /** Host name / FQDN (HTTP Host, TLS SNI, proxy URL host): makes src → FQDN beacons. */
  fqdn?: string;
  proto?: string;
}

/** Field ids of a mapping, in quick-pick order. */
export const MAPPING_FIELDS: readonly (keyof ColumnMapping)[] = ['ts', 'src', 'dst', 'dport', 'bytes', 'respBytes', 'fqdn', 'proto'];

/** Human names of the mapping fields. */
export const MAPPING_FIELD_LABELS: Record<keyof ColumnMapping, string> = {
  ts: 'Timestamp',
  src: 'Source address',
  dst: 'Destination address',
  dport: 'Destination port',
  bytes: 'Bytes sent (source → destination)',
  respBytes: 'Bytes received (destination → source)',
  fqdn: 'Host / FQDN',
  proto: 'Protocol',
};

/**
 * The problem (file level, line 0) of a mapped column the file does not have: `mapped column "bogus" (bytes) is not
 * in the file: not read` (the field as `--map` names it). A CSV's header, or no record of a JSON-lines file, names it.
 */
export function columnNotReadText(column: string, field: keyof ColumnMapping): string {
  return `mapped column "${column}" (${field}) is not in the file: not read`;
}

/**
 * The columns of `mapping` a file may lack without a word ({@link columnNotReadText}): those a preset reads only when
 * present (`firewall-csv`'s `bytes_received` and `protocol`), mapped to the same field.
 */
function mayLack(mapping: ColumnMapping): (field: keyof ColumnMapping) => boolean {
  return (f) => MAPPING_PRESETS.some((p) => p.optional?.includes(f) && p.mapping[f] === mapping[f]);
}

/**
 * The problem of Ariel flow results (`{"flows":[…]}`) in none of whose flows a needed mapped column is (time, source,
 * destination): `no connection read: the time, source and destination columns are needed, and "sourceip" (src),
 * "destinationip" (dst) are in none of its 6 flows (its columns: starttime, sourceport, …)`. `columns`: the flows'
 * columns, at most 15 shown.
 */
export function arielFlowsMissingText(missing: { column: string; field: keyof ColumnMapping }[], flows: number, columns: readonly string[]): string {
  const named = missing.map((m) => `"${m.column}" (${m.field})`).join(', ');
  const shown = columns.slice(0, 15).join(', ') + (columns.length > 15 ? ', …' : '');
  return `no connection read: the time, source and destination columns are needed, and ${named} ${missing.length > 1 ? 'are' : 'is'} in none of its ${flows} flow${flows === 1 ? '' : 's'} (its columns: ${shown || 'none'})`;
}

/** True for a problem made by {@link columnNotReadText}: the file was read, without that column. */
export function isColumnNotRead(e: ParseError): boolean {
  return e.line === 0 && e.message.startsWith('mapped column "') && e.message.endsWith(' is not in the file: not read');
}

/** The problem (file level) of a connection file with a header and no rows: `no connections in <shown> (…)`. */
export function noConnectionsText(shown: string): string {
  return `no connections in ${shown} (it has a header and no rows)`;
}

/** True for a problem made by {@link noConnectionsText}. */
export function isNoConnections(e: ParseError): boolean {
  return e.line === 0 && e.message.startsWith('no connections in ') && e.message.endsWith(' (it has a header and no rows)');
}

export interface MappingPreset {
  id: string;
  label: string;
  description: string;
  mapping: ColumnMapping;
  /** Fields of `mapping` read only when the export has their column (a file without it is not told about it). */
  optional?: readonly (keyof ColumnMapping)[];
}

export const MAPPING_PRESETS: readonly MappingPreset[] = Object.freeze([
  {
    id: 'zeek-http',
    label: 'Zeek http.log (RITA-J)',
    description: 'ts, id.orig_h → id.resp_h:id.resp_p, request_body_len, host',
    mapping: { ts: 'ts', src: 'id.orig_h', dst: 'id.resp_h', dport: 'id.resp_p', bytes: 'request_body_len', fqdn: 'host' },
  },
  {
    id: 'firewall-csv',
    label: 'Generic firewall CSV',
    description: 'timestamp, src_ip → dst_ip:dst_port, bytes_sent (bytes_received, protocol when present)',
    mapping: { ts: 'timestamp', src: 'src_ip', dst: 'dst_ip', dport: 'dst_port', bytes: 'bytes_sent', respBytes: 'bytes_received', proto: 'protocol' },
    optional: ['respBytes', 'proto'],
  },
  {
    id: 'qradar-flows',
    label: 'QRadar flows (Network Activity CSV)',
    description: 'First Packet Time, Source IP → Destination IP:Destination Port, Source Bytes (Destination Bytes, Protocol)',
    mapping: QRADAR_FLOWS_PRESET,
    optional: ['respBytes', 'proto'],
  },
]);

/** Column names recognised for each field when no mapping is given (compared case-insensitively). */
const CANDIDATES: Record<keyof ColumnMapping, string[]> = {
  ts: ['ts', 'timestamp', '@timestamp', 'time', 'datetime', 'date_time', 'start_time', 'starttime', 'start', 'event_time', 'receive_time', 'generated_time', 'first_seen', 'flow_start', '_time', 'date'],
  src: ['id.orig_h', 'src_ip', 'src', 'srcip', 'source_ip', 'source.ip', 'source', 'sourceaddress', 'src_addr', 'srcaddr', 'client_ip', 'c-ip', 'ipv4_src_addr', 'sa', 'orig_h'],
  dst: ['id.resp_h', 'dst_ip', 'dst', 'dstip', 'destination_ip', 'destination.ip', 'destination', 'destinationaddress', 'dst_addr', 'dstaddr', 'server_ip', 's-ip', 'ipv4_dst_addr', 'da', 'resp_h'],
  dport: ['id.resp_p', 'dst_port', 'dport', 'dstport', 'destination_port', 'destination.port', 'dpt', 'l4_dst_port', 's-port', 'dp', 'resp_p'],
  bytes: ['orig_ip_bytes', 'bytes_sent', 'sent_bytes', 'bytes_out', 'out_bytes', 'src_bytes', 'orig_bytes', 'cs-bytes', 'client_bytes', 'in_bytes', 'ibyt', 'request_body_len', 'bytes'],
  respBytes: ['resp_ip_bytes', 'bytes_received', 'received_bytes', 'bytes_in', 'dst_bytes', 'resp_bytes', 'sc-bytes', 'server_bytes', 'out_bytes_rev', 'obyt'],
  fqdn: ['fqdn', 'host', 'server_name', 'sni', 'hostname', 'domain', 'dest_host', 'dst_host', 'cs-host', 'url_host', 'destination.domain'],
  proto: ['proto', 'protocol', 'ip_proto', 'transport'],
};

/**
 * Guesses a mapping from column names (see CANDIDATES; exact names, case-insensitive, first
 * candidate wins). Returns undefined when timestamp, source or destination cannot be found.
 */
export function guessMapping(columns: readonly string[]): ColumnMapping | undefined {
  const lower = new Map<string, string>();
  for (const c of columns) if (!lower.has(c.toLowerCase())) lower.set(c.toLowerCase(), c);
  const pick = (f: keyof ColumnMapping, taken: Set<string>): string | undefined => {
    for (const cand of CANDIDATES[f]) {
      const c = lower.get(cand);
      if (c !== undefined && !taken.has(c)) return c;
    }
    return undefined;
  };
  const taken = new Set<string>();
  const out: Partial<ColumnMapping> = {};
  for (const f of MAPPING_FIELDS) {
    const c = pick(f, taken);
    if (c !== undefined) {
      out[f] = c;
      taken.add(c);
    }
  }
  return out.ts && out.src && out.dst ? (out as ColumnMapping) : undefined;
}

/**
 * Words that name an address side of a connection in a column name (split at non-letters and
 * camelCase; lower case): a connection log has source and destination columns, whatever else it has.
 */
const ADDRESS_WORDS = new Set([
  'src', 'source', 'orig', 'origin', 'client', 'from', 'sender', 'initiator', 'local',
  'dst', 'dest', 'destination', 'resp', 'responder', 'server', 'to', 'target', 'remote', 'peer',
  'ip', 'ips', 'ipv4', 'ipv6', 'addr', 'address', 'host', 'hostname', 'sni', 'fqdn', 'domain', 'url',
]);
/** Longest column name taken for a name (longer: a sentence of a log line, not a header). */
const MAX_HEADER_NAME = 64;

/** True when a header cell is a value (a time, an address, a number, a sentence), not a column name. */
function looksLikeValue(cell: string): boolean {
  return cell.length > MAX_HEADER_NAME || /^\d{8}T\d{2}:?\d{2}/.test(cell) || /^[-+]?\d[\d.,:]*$/.test(cell) || isAddress(cell) || parseZeekTime(cell) !== undefined;
}

/**
 * Why a CSV header (or the keys of a JSON record) plainly does not belong to a connection log, or
 * undefined when it may: its "names" are values (the first line is data, e.g. a Loki log line
 * `20220119T18:42:50Z, DS1, NOTICE, …`), or no name is an address side of a connection (no source,
 * destination, IP, address, host… word, e.g. a case export `Case ID, Title, Created, …`). Files for which this
 * gives a reason are skipped with it instead of asking for a column mapping.
 */
export function connectionHeaderProblem(columns: readonly string[]): string | undefined {
  const names = columns.map((c) => c.trim()).filter((c) => c !== '');
  if (names.length === 0) return 'no header line';
  const value = names.find(looksLikeValue);
  if (value !== undefined) return `its first line is not column names (“${value.length > 40 ? `${value.slice(0, 39)}…` : value}” looks like a value)`;
  if (guessMapping(names)) return undefined;
  const known = new Set([...CANDIDATES.src, ...CANDIDATES.dst, ...CANDIDATES.fqdn]);
  const words = (c: string) => c.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const named = names.some((c) => known.has(c.toLowerCase()) || words(c).some((w) => ADDRESS_WORDS.has(w) || w.includes('src') || w.includes('dst')));
  if (named) return undefined;
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? ', …' : '');
  return `no source or destination address column in its header (${shown})`;
}

/**
 * Parses `col=field` / `field=col` pairs (CLI `--map`, comma-separated) into a mapping: the side
 * that is a field id (when both are, `col=field` unless only the left one is an exact field id) (`ts`, `src`, `dst`, `dport`, `bytes`, `respBytes`, `fqdn`, `proto`; also
 * `host`→fqdn, `timestamp`→ts, `source`→src, `destination`→dst, `port`→dport) names the field.
 * A preset id (`zeek-http`, `firewall-csv`) may be given instead of or before the pairs.
 * @throws Error with a readable message for an unknown field or a missing ts/src/dst.
 */
export function parseMappingSpec(spec: string): ColumnMapping {
  const alias: Record<string, keyof ColumnMapping> = {
    ts: 'ts', timestamp: 'ts', time: 'ts',
    src: 'src', source: 'src',
    dst: 'dst', destination: 'dst',
    dport: 'dport', port: 'dport',
    bytes: 'bytes', respbytes: 'respBytes',
    fqdn: 'fqdn', host: 'fqdn',
    proto: 'proto',
  };
  const out: Partial<ColumnMapping> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const preset = MAPPING_PRESETS.find((p) => p.id === part);
    if (preset) {
      Object.assign(out, preset.mapping);
      continue;
    }
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new Error(`bad mapping "${part}" (expected column=field, e.g. src_ip=src)`);
    const a = part.slice(0, eq).trim();
    const b = part.slice(eq + 1).trim();
    // own keys only: `__proto__` and `constructor` are in every object (such a part was taken and ignored without a word)
    const fa = Object.hasOwn(alias, a.toLowerCase()) ? alias[a.toLowerCase()] : undefined;
    const fb = Object.hasOwn(alias, b.toLowerCase()) ? alias[b.toLowerCase()] : undefined;
    const canonical = (x: string) => (MAPPING_FIELDS as readonly string[]).includes(x);
    // col=field by default; field=col when only the left side is a field id (or only it is canonical)
    if (fb !== undefined && !(fa !== undefined && canonical(a) && !canonical(b))) out[fb] = a;
    else if (fa !== undefined) out[fa] = b;
    else throw new Error(`unknown field in mapping "${part}" (fields: ${Object.keys(alias).join(', ')})`);
  }
  if (!out.ts || !out.src || !out.dst) throw new Error('the mapping needs at least ts, src and dst');
  return out as ColumnMapping;
}

/** Extra timestamp layouts of firewall exports (UTC unless the text has an offset). */
const EXTRA_TIME_FORMATS = ['yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd HH:mm:ss.SSS', 'MM/dd/yyyy HH:mm:ss', 'dd/MMM/yyyy:HH:mm:ss ZZZ', 'MMM d yyyy HH:mm:ss', 'MMM dd yyyy HH:mm:ss'];

/** Timestamp of a generic export: {@link parseZeekTime} plus common firewall layouts. */
export function parseGenericTime(v: unknown): { ts: number; tsMs: number } | undefined {
  const t = parseZeekTime(v);
  if (t || typeof v !== 'string') return t;
  for (const f of EXTRA_TIME_FORMATS) {
    const dt = DateTime.fromFormat(v.trim(), f, { zone: 'utc', setZone: true });
    if (dt.isValid) return { ts: Math.trunc(dt.toMillis() / 1000), tsMs: dt.toMillis() };
  }
  return undefined;
}

/** A JSON object, list or boolean: no text a column of addresses, host names, ports or protocols can hold. */
function notText(v: unknown): boolean {
  return v !== null && (typeof v === 'object' || typeof v === 'boolean');
}

/** `String(v ?? '')`, but '' for a value that cannot be turned into text (a JSON object such as `{"toString": 1}`: String() throws). */
function text(v: unknown): string {
  try {
    return String(v ?? '');
  } catch {
    return '';
  }
}

/**
 * A byte count of a generic export: 0 when absent (or JSON null), `-` or text without a digit; NaN when unreadable
 * (above 10^15 or infinite, negative, `NaN`, text with digits that is no decimal number — `0x10`, `５` —, a JSON
 * boolean, object or array: see {@link countValue} in ./counts.ts), which the reader reports by line.
 */
const num: (v: unknown) => number = countValue;

/**
 * Destination port of a cell: an integer 0–65535 written in decimal (`443`, also `443.0` as spreadsheet and pandas
 * exports write it), else NaN = no port. An empty or blank cell, `-`, a JSON null and text are "no port" (an empty
 * cell became port 0: `Number('')` is 0). The readers report a NaN port whose cell is set ({@link portUnset} false:
 * `70000`, `-1`, `https`) on its line and keep the record without a port.
 */
export function portOf(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : NaN;
  const t = text(v).trim();
  if (!/^\d{1,5}(?:\.0+)?$/.test(t)) return NaN;
  const n = Number(t);
  return n <= 65535 ? n : NaN;
}

/** True when a port value is unset: absent, JSON null, an empty or blank cell, or `-` (Zeek's unset token). */
function portUnset(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v !== 'string') return false;
  const t = v.trim();
  return t === '' || t === '-';
}

/**
 * The problem of a record kept without its port (a set value {@link portOf} does not read):
 * `unreadable port in dst_port: "70000" (not a whole number from 0 to 65535); the record is kept without it`.
 */
export function unreadablePortText(column: string, v: unknown): string {
  return `unreadable port in ${column}: ${shownValue(v)} (not a whole number from 0 to 65535); the record is kept without it`;
}

/**
 * The problem of a CSV record kept with fewer fields than its mapped columns need: `record has 3 fields, the header
 * 7: dst_port, bytes_sent read as unset (no port, 0 bytes, as Zeek's "-"); the record is kept without them` (a kept
 * record's warning: isKeptRecord in ./zeek.ts). `missing`: the mapped columns past its last field, in header order.
 */
export function shortRecordText(fields: number, headerFields: number, missing: readonly string[]): string {
  return `record has ${fields} field${fields === 1 ? '' : 's'}, the header ${headerFields}: ${missing.join(', ')} read as unset (no port, 0 bytes, as Zeek's "-"); the record is kept without them`;
}

/**
 * Fills `rec` from a row through `get(column)`. Returns an error message when the row is unusable
 * (unreadable timestamp, missing source, destination neither an address nor a host name).
 */
function fill(rec: ConnRecord, get: (col: string) => unknown, m: ColumnMapping, q?: QRadarReading, warn?: (message: string) => void): string | undefined {
  const rawTs = get(m.ts);
  let t: { ts: number; tsMs: number } | undefined;
  let flow: FlowTime | undefined;
  if (q) {
    const f = qradarFlowTime(rawTs, q.consoleZone);
    if (typeof f === 'string') return `unreadable timestamp in ${m.ts}: ${f}`;
    t = flow = f;
  } else t = parseGenericTime(rawTs);
  if (!t) return `unreadable timestamp in ${m.ts}: ${shownValue(rawTs)}`;
  const rawSrc = get(m.src);
  const rawDst = get(m.dst);
  const src = text(rawSrc).trim();
  let dst = text(rawDst).trim();
  // a JSON object or list is named as written, not as its String() (`[object Object]`)
  if (!isAddress(src) || notText(rawSrc)) return `missing or invalid source address in ${m.src}: ${notText(rawSrc) ? shownValue(rawSrc) : JSON.stringify(src)}`;
  // Optional text columns (host name, protocol, port) holding a JSON object, list or boolean: the record is kept
  // without that value, with a warning (`[object Object]` became a protocol, `evil,b.example` a host name).
  const optional = (col: string | undefined, what: string): unknown => {
    if (!col) return undefined;
    const v = get(col);
    if (!notText(v)) return v;
    warn?.(`unreadable ${what} in ${col}: ${shownValue(v)} is not text; the record is kept without it`);
    return undefined;
  };
  let fqdn = text(optional(m.fqdn, 'host name')).trim();
  if (fqdn === '-') fqdn = '';
  if (!isAddress(dst) || notText(rawDst)) {
    if (!notText(rawDst) && /^[A-Za-z0-9_.:\-[\]]+$/.test(dst) && /[A-Za-z]/.test(dst)) {
      if (!fqdn) fqdn = dst;
      dst = '';
    } else return `missing or invalid destination in ${m.dst}: ${notText(rawDst) ? shownValue(rawDst) : JSON.stringify(dst)}`;
  }
  rec.ts = t.ts;
  rec.tsMs = t.tsMs;
  rec.uid = '';
  rec.src = src;
  rec.dst = dst;
  rec.dport = m.dport ? portOf(optional(m.dport, 'port')) : NaN;
  const proto = optional(m.proto, 'protocol');
  if (q) {
    rec.proto = m.proto ? qradarProtocol(proto) : '';
    rec.origBytes = m.bytes ? qradarCount(get(m.bytes)) : 0;
    rec.respBytes = m.respBytes ? qradarCount(get(m.respBytes)) : 0;
    if (flow?.display) q.displayTimes++;
    if (flow?.ambiguous) q.ambiguousTimes++;
  } else {
    rec.proto = m.proto ? text(proto).trim().toLowerCase() : '';
    rec.origBytes = m.bytes ? num(get(m.bytes)) : 0;
    rec.respBytes = m.respBytes ? num(get(m.respBytes)) : 0;
  }
  // a count above 10^15 or infinite (`1e308`), negative or NaN: the record is unreadable, as one with a bad time or address
  if (Number.isNaN(rec.origBytes)) return unreadableCountText(m.bytes!, shownValue(get(m.bytes!)), get(m.bytes!));
  if (Number.isNaN(rec.respBytes)) return unreadableCountText(m.respBytes!, shownValue(get(m.respBytes!)), get(m.respBytes!));
  rec.fqdn = fqdn ? hostOnly(fqdn) : '';
  // a port that is set but no port (70000, -1, `https`): kept without it, said on its line (after the checks that
  // leave the record out, so a record gets one message)
  if (warn && m.dport && Number.isNaN(rec.dport)) {
    const v = get(m.dport);
    if (!portUnset(v) && !notText(v)) warn(unreadablePortText(m.dport, v));
  }
  return undefined;
}

/** How a QRadar flow export is read ({@link isQRadarFlowInput}): the console zone, and counts of the times read. */
interface QRadarReading {
  consoleZone: string;
  /** Times read from console display text (in `consoleZone`). */
  displayTimes: number;
  /** Of those, wall times that occur twice in the zone (read as the earlier instant). */
  ambiguousTimes: number;
}

/** True for a QRadar flow export: Ariel `{"flows":[…]}` results, or a CSV whose header is a flow record's ({@link qradarFlowMapping}). */
export function isQRadarFlowInput(info: Pick<InputInfo, 'document' | 'columns' | 'format'>): boolean {
  return info.document === 'ariel-flows' || ((info.format === 'csv' || info.format === 'json') && qradarFlowMapping(info.columns) !== undefined);
}

/**
 * Problems of records that are kept (a record shorter than the header, a port that is no port) listed per file; the
 * rest are counted in one line ({@link keptProblemsNotListedText}). Unreadable records have their own
 * `MAX_LINE_ERRORS`.
 */
export const MAX_KEPT_PROBLEMS = 100;

/** The line (line 0) that counts the problems of kept records past {@link MAX_KEPT_PROBLEMS}. */
export function keptProblemsNotListedText(n: number): string {
  return `${n.toLocaleString('en-US')} more records kept with a problem not listed`;
}

/** The number a {@link keptProblemsNotListedText} line counts, 0 for any other problem. */
export function keptProblemsNotListed(e: ParseError): number {
  const m = e.line === 0 ? /^([\d,]+) more records kept with a problem not listed$/.exec(e.message) : null;
  return m ? Number(m[1].replace(/,/g, '')) : 0;
}

/**
 * Reads a generic CSV or JSON-lines export (plain or gzip) through `mapping` and calls `onConn`
 * for every usable record. CSV: the first record is the header; its delimiter is the one
 * {@link sniffInput} found (`,` `;` TAB `|`); records with a different number of fields are kept
 * when the mapped columns are present. Unusable records are reported with file and line (for CSV:
 * the line where the record ends) and skipped. Never rejects except with an AbortError.
 */
export async function readGenericFile(
  info: InputInfo,
  mapping: ColumnMapping,
  onConn: (rec: ConnRecord, line: number) => void,
  opts: ReadOptions = {},
): Promise<ConnFileResult> {
  const file = info.file;
  const res: ConnFileResult = { file, format: info.format, logPath: info.logPath, lines: 0, records: 0, unparsedLines: 0, bytes: 0, errors: [] };
  const errors: ParseError[] = res.errors;
  const optional = mayLack(mapping);
  // Unreadable records and the problems of records kept are listed apart, each kind up to its own cap and the rest
  // counted: the problems of kept records (a short record, a port that is no port: possibly one per line) took every
  // slot of the list, so that the unreadable records after them were counted but never named.
  let listedFails = 0;
  let warnings = 0;
  let listedWarnings = 0;
  const fail = (line: number, message: string) => {
    res.unparsedLines++;
    if (listedFails < MAX_LINE_ERRORS) {
      listedFails++;
      errors.push({ file, line, message });
    }
  };
  // a problem of a record that is kept (listed with the errors, as an unclosed quote is; not an unparsed line)
  // (`message` may be a function: its text is made only for a problem that is listed)
  const warn = (line: number, message: string | (() => string)) => {
    warnings++;
    if (listedWarnings < MAX_KEPT_PROBLEMS) {
      listedWarnings++;
      errors.push({ file, line, message: typeof message === 'string' ? message : message() });
    }
  };
  const unlisted = () => {
    if (warnings > listedWarnings) errors.push({ file, line: 0, message: keptProblemsNotListedText(warnings - listedWarnings) });
    if (res.unparsedLines > listedFails) errors.push({ file, line: 0, message: `${res.unparsedLines - listedFails} more unreadable records not listed` });
  };
  const rec: ConnRecord = { ts: 0, tsMs: 0, uid: '', src: '', dst: '', dport: NaN, proto: '', origBytes: 0, respBytes: 0, fqdn: '' };
  // a QRadar flow export: read the QRadar way (console display times, protocol ids), times counted for the notes
  const q: QRadarReading | undefined = isQRadarFlowInput(info) ? { consoleZone: opts.consoleZone ?? 'UTC', displayTimes: 0, ambiguousTimes: 0 } : undefined;
  if (q) res.qradarTimes = q;
  if (info.document === 'ariel-flows') {
    // Mapped columns seen in no flow yet. The time, source and destination are needed: while one of them has not been
    // seen, the flows that fail are held back (at most MAX_LINE_ERRORS of their messages, the rest counted); once all
    // three were seen they are reported as usual, and when one is in no flow at all the file gets one problem naming
    // the missing columns instead of a line per flow (as a CSV header without them), and no flow counts as unparsed.
    const unseen = new Set(MAPPING_FIELDS.map((f) => mapping[f]).filter((c): c is string => c !== undefined));
    const needed = [...new Set((['ts', 'src', 'dst'] as const).map((f) => mapping[f]))];
    let neededSeen = false;
    const held: { line: number; message: string }[] = [];
    let heldMore = 0;
    const keys = new Set<string>(); // the flows' columns, for the problem (the first 15)
    let flows = 0;
    const release = () => {
      for (const h of held) fail(h.line, h.message);
      res.unparsedLines += heldMore;
      held.length = 0;
      heldMore = 0;
    };
    await readArielFlows(info, res, (get, line, o) => {
      flows++;
      if (unseen.size) for (const c of unseen) if (get(c) !== undefined) unseen.delete(c);
      if (!neededSeen) {
        if (keys.size < 15) for (const k of Object.keys(o)) if (keys.size < 15) keys.add(k);
        if (!needed.some((c) => unseen.has(c))) {
          neededSeen = true;
          release();
        }
      }
      const err = fill(rec, get, mapping, q, (m) => warn(line, m));
      if (err) {
        if (neededSeen) return fail(line, err);
        if (held.length < MAX_LINE_ERRORS) held.push({ line, message: err });
        else heldMore++;
        return;
      }
      res.records++;
      onConn(rec, line);
    }, fail, opts);
    if (flows > 0 && !neededSeen) {
      const missing = (['ts', 'src', 'dst'] as const).filter((f, i, all) => unseen.has(mapping[f]) && all.findIndex((g) => mapping[g] === mapping[f]) === i);
      errors.push({ file, line: 0, message: arielFlowsMissingText(missing.map((f) => ({ column: mapping[f], field: f })), flows, [...keys]) });
    } else release();
    if (flows > 0) for (const f of MAPPING_FIELDS) if (mapping[f] !== undefined && unseen.has(mapping[f]!) && !optional(f) && f !== 'ts' && f !== 'src' && f !== 'dst' && MAPPING_FIELDS.find((g) => mapping[g] === mapping[f]) === f) errors.push({ file, line: 0, message: columnNotReadText(mapping[f]!, f) });
    unlisted();
    return res;
  }

  if (info.format === 'json' || info.format === 'zeek-json') {
    // mapped columns not seen in any record yet (reported at the end when some object was read)
    const unseen = new Set(MAPPING_FIELDS.map((f) => mapping[f]).filter((c): c is string => c !== undefined));
    let objects = 0;
    const r = await streamLines(
      file,
      (line, n) => {
        const t = line.trim();
        if (t === '') return;
        let o: unknown;
        try {
          o = JSON.parse(t);
        } catch {
          return fail(n, 'not a JSON object (unreadable JSON)');
        }
        if (!o || typeof o !== 'object' || Array.isArray(o)) return fail(n, 'not a JSON object');
        objects++;
        if (unseen.size) for (const c of unseen) if (jsonField(o as Record<string, unknown>, c) !== undefined) unseen.delete(c);
        const err = fill(rec, (c) => jsonField(o as Record<string, unknown>, c), mapping, q, (m) => warn(n, m));
        if (err) return fail(n, err);
        res.records++;
        onConn(rec, n);
      },
      opts,
      (n, chars) => fail(n, longLineText(chars)),
    );
    res.lines = r.lines;
    res.bytes = r.bytes;
    if (r.error) errors.push({ file, line: r.lines, message: r.error });
    if (objects > 0) for (const f of MAPPING_FIELDS) if (mapping[f] !== undefined && unseen.has(mapping[f]!) && !optional(f) && MAPPING_FIELDS.find((g) => mapping[g] === mapping[f]) === f) errors.push({ file, line: 0, message: columnNotReadText(mapping[f]!, f) });
    unlisted();
    return res;
  }

  // CSV
  const { signal, onBytes } = opts;
  if (signal?.aborted) throw abortError();
  const delimiter = info.delimiter ?? ',';
  const gzip = await isGzip(file);
  let header: string[] | undefined;
  let index = new Map<string, number>();
  let stop = false; // the header lacks a mapped column
  // the fields of the header a mapped column is at (0-based, ascending, each once), and the last of them: a record
  // that ends before it lacks a value
  let mappedAt: number[] = [];
  let need = -1;
  let dataSeen = false; // a record after the header was taken
  // A record of the header's width that `fill` reads (no callback: nothing is counted or reported).
  const usableRecord = (cells: string[]): boolean =>
    cells.length === header!.length && fill(rec, (c) => {
      const i = index.get(c);
      return i === undefined ? undefined : cells[i];
    }, mapping, q && { ...q }) === undefined;
  // A line inside a quoted field that is a whole usable record of its own (the field's last line with the fields after
  // it): a quote that never closed on the line before (the last column's `"unclosed`) swallowed it. A quoted note's
  // lines are not records of the header's width with a readable time and addresses.
  const swallowsRecord = (record: string[]): boolean =>
    record.some((f, k) => {
      if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) return false;
      const lines = f.split(/\r\n|\n|\r/).slice(1);
      // the line as written, near enough: the field's last line, then the fields after it (quoted again when they hold
      // the delimiter; the pieces of a quoted value the stray quote split hold none)
      const rest = record.slice(k + 1).map((c) => (c.indexOf(delimiter) >= 0 ? `"${c.replace(/"/g, '""')}"` : c));
      return lines.some((l, n) => {
        try {
          const text = n === lines.length - 1 ? [l, ...rest].join(delimiter) : l;
          const cells = (parseCsvSync(text, { delimiter, bom: false, relax_quotes: true, relax_column_count: true }) as string[][])[0];
          return cells !== undefined && usableRecord(cells);
        } catch {
          return false;
        }
      });
    });
  // Why a record over several lines is not kept as one (see CsvSplitter's `accept`), or undefined: a field that holds
  // both a line break and the delimiter (the joined lines look like records: two stray quotes lines apart) in a
  // record that is unusable or has another number of fields than the header, or a line inside a quoted field that
  // is a usable record of its own (swallowed by a quote that never closed on the line before). Its quote is then
  // read as text, like one that never closes, so that the records on the lines it joined are not lost. A quoted
  // multi-line note (`"line 1\nline 2"`) stays one record.
  const joinedProblem = (record: string[]): string | undefined => {
    if (!header || stop) return undefined;
    if (holdsJoinedLines(record, delimiter) && !usableRecord(record)) return record.length !== header.length ? `that record has ${record.length} fields, the header ${header.length}` : 'that record is not a usable connection';
    if (swallowsRecord(record)) return 'a line inside its quoted field is a connection record of its own';
    return undefined;
  };
  const take = (record: string[], line: number): boolean => {
    if (stop) return false; // (a header kept as text, see below, stops the file before the parser's first record)
    if (line > res.lines) res.lines = line;
    if (!header) {
      header = record.map((c) => c.trim());
      // a column named twice: the first is read, as the mapping detected from the header names it (a later one
      // with the same name used to win, so every record read a decoy column); a note names it
      // (linear: a copy per repeat was quadratic — a header of 100,000 empty names, 600 KB, took 2 minutes)
      const seen = columnsByName(header);
      index = new Map([...seen].map(([h, cols]) => [h, cols[0] - 1]));
      for (const f of MAPPING_FIELDS) {
        const c = mapping[f];
        const at = c === undefined ? undefined : seen.get(c);
        if (at && at.length > 1 && MAPPING_FIELDS.find((g) => mapping[g] === c) === f) {
          const cols = at.length > 10 ? `${at.slice(0, 10).join(', ')} and ${(at.length - 10).toLocaleString('en-US')} more` : at.join(', ');
          (res.notes ??= []).push(`${path.basename(file)}: the header names column "${c}" ${at.length.toLocaleString('en-US')} times (columns ${cols}); the first was read as ${MAPPING_FIELD_LABELS[f].toLowerCase()}`);
        }
      }
      // every mapped column the header lacks is named (file, column); without a time, source or destination no
      // record can be read: the file stops here
      for (const f of MAPPING_FIELDS) {
        const c = mapping[f];
        if (c !== undefined && !index.has(c) && !optional(f) && MAPPING_FIELDS.find((g) => mapping[g] === c) === f) errors.push({ file, line: 0, message: columnNotReadText(c, f) });
      }
      mappedAt = mappedFields(index, mapping);
      need = mappedAt.length ? mappedAt[mappedAt.length - 1] : -1;
      const missing = (['ts', 'src', 'dst'] as const).filter((f) => !index.has(mapping[f]));
      if (missing.length) {
        errors.push({ file, line: 0, message: `no connection read: the timestamp, source and destination columns are needed, and ${missing.map((f) => `"${mapping[f]}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the header (${header.slice(0, 12).join(', ')})` });
        stop = true;
      }
      return false;
    }
    dataSeen = true;
    // a record with fewer fields than the mapped columns need (a width check, nothing allocated otherwise): kept when
    // it is usable, its missing values unset (as Zeek's `-`), and said on its line; else its error says it is short
    const short = record.length <= need;
    const err = fill(rec, (c) => {
      const i = index.get(c);
      return i === undefined ? undefined : record[i];
    }, mapping, q, (m) => warn(line, m));
    if (err) {
      fail(line, short ? `${err} (the record has ${record.length} field${record.length === 1 ? '' : 's'}, the header ${header.length})` : err);
      return false;
    }
    if (short) {
      const h = header;
      warn(line, () => shortRecordText(record.length, h.length, mappedAt.filter((i) => i >= record.length).map((i) => h[i])));
    }
    res.records++;
    onConn(rec, line);
    return false;
  };
  // One pass over the lines, in linear time (csv-lines.ts CsvSplitter): a record whose quote never closes, runs past
  // MAX_CSV_RECORD_LINES lines or MAX_CSV_RECORD_CHARS, or joins lines into a record `joinedProblem` names, keeps
  // its first line with its quotes read as text (noted on that line, with the line the quote closes on and why, or the
  // limit) and the lines after it are read on their own. (This was a re-reading of the whole file from that line, at
  // most 50 times per file: after that, each stray quote hid every record up to the next quote.)
  let unclosed = 0; // quotes read as text
  let listedUnclosed = 0;
  const splitter = new CsvSplitter(
    delimiter,
    (cells, _first, last) => {
      take(cells, last);
    },
    (line, text, reason) => {
      unclosed++;
      const cells = keptCells(text, delimiter, header?.length);
      // kept, not lost: a note on its line (not counted as unparsed)
      if (errors.length < MAX_LINE_ERRORS) {
        listedUnclosed++;
        errors.push({ file, line, message: unclosedText(line, reason) });
      }
      take(cells, line);
    },
    (cells) => joinedProblem(cells),
  );
  const r = await csvLines(file, gzip, (n) => {
    res.bytes += n;
    onBytes?.(res.bytes);
  }, signal, (text, end, n) => splitter.push(text, end, n), () => stop);
  if (!stop) splitter.end();
  if (r.error) errors.push({ file, line: res.lines, message: gzip ? `${GZIP_DAMAGE}: ${r.error}` : `read error: ${r.error}` });
  if (unclosed > listedUnclosed) errors.push({ file, line: 0, message: `${unclosed - listedUnclosed} more unclosed quotes not listed (each kept its line with the quotes read as text; the lines after it were read)` });
  unlisted();
  // a header and nothing after it (blank lines at most): said, not an empty result without a word
  if (header && !stop && !dataSeen && !errors.some(isFileDamage)) errors.push({ file, line: 0, message: noConnectionsText(path.basename(file)) });
  return res;
}

/**
 * Largest plain Ariel JSON results file read (bytes): 512 MiB, about 2.2 million flows (~240 bytes a flow as QRadar
 * writes them; a 200,000-flow search is ~48 MB), as before the gzip limit below — but no more than the longest string
 * V8 makes (`buffer.constants.MAX_STRING_LENGTH`, 2^29 − 24 characters), as the document is read whole as one string.
 */
export const MAX_ARIEL_BYTES = Math.min(512 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH);

/**
 * Largest Ariel results a `.json.gz` is inflated to (bytes, decompressed): 256 MiB, about 1.1 million flows. The guard
 * against a gzip bomb (a 480 KB file of 500 MB took 3 GB of memory with the whole-buffer gunzip): inflating stops
 * there, about a second and 330 MB of memory. A larger search gunzipped is read plain, up to {@link MAX_ARIEL_BYTES}.
 */
export const MAX_ARIEL_INFLATED_BYTES = 256 * 1024 * 1024;

/**
 * `gz` inflated, stopped as soon as the output passes `limit` bytes (undefined then) or `signal` aborts (rejects with
 * an AbortError); other rejections are the gzip errors (damaged or cut-short data).
 */
async function gunzipLimited(gz: Buffer, limit: number, signal?: AbortSignal): Promise<Buffer | undefined> {
  const z = createGunzip();
  z.end(gz);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const c of z as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw abortError();
      total += c.length;
      if (total > limit) return undefined;
      chunks.push(c);
    }
  } finally {
    z.destroy();
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads Ariel flow search results saved as JSON (`{"flows":[{…},…]}`, qradar.md §5.3; plain at most
 * {@link MAX_ARIEL_BYTES}, or gzip at most that compressed and {@link MAX_ARIEL_INFLATED_BYTES} inflated) and hands each flow to `onFlow` with a field getter and the line the flow starts on. The
 * array is split into elements without parsing the rest (qradar.ts `scanArray`), so a damaged element costs only
 * itself and a file cut short keeps every complete flow (said on the last flow's line). File-level problems (too
 * large, unreadable, a FIFO/socket/device, no `flows` array) are errors on line 0. Several documents one after another (`{"flows":[…]}`
 * on each line) are all read, flows numbered on across them; other content after a document is reported on its line,
 * not dropped silently. Rejects only with an AbortError.
 */
async function readArielFlows(
  info: InputInfo,
  res: ConnFileResult,
  onFlow: (get: (col: string) => unknown, line: number, flow: Record<string, unknown>) => void,
  fail: (line: number, message: string) => void,
  opts: ReadOptions,
): Promise<void> {
  const file = info.file;
  if (opts.signal?.aborted) throw abortError();
  let text: string;
  try {
    // opened once, checked and read through that handle, at most the limit + 1 bytes: a FIFO named (or swapped in after
    // a stat) is refused, never waited on; a file over the limit, or grown past it while read, is refused with its size
    const read = await readInputBounded(file, MAX_ARIEL_BYTES);
    if (!read.buf) {
      res.errors.push({ file, line: 0, message: `Ariel results file too large (${read.over} bytes, limit ${MAX_ARIEL_BYTES}); not read` });
      return;
    }
    const raw = read.buf;
    res.bytes = raw.length;
    opts.onBytes?.(raw.length);
    const buf = info.gzip ? await gunzipLimited(raw, MAX_ARIEL_INFLATED_BYTES, opts.signal) : raw;
    if (!buf) {
      res.errors.push({ file, line: 0, message: `Ariel results file too large: more than ${MAX_ARIEL_INFLATED_BYTES / 1048576} MB decompressed (the limit); not read` });
      return;
    }
    text = buf.toString('utf8');
  } catch (e) {
    if ((e as Error)?.name === 'AbortError' || opts.signal?.aborted) throw abortError();
    res.errors.push({ file, line: 0, message: `cannot read: ${(e as Error).message}` });
    return;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  res.lines = text.endsWith('\n') ? lines - 1 : lines;
  const m = /^\s*\{\s*"flows"\s*:\s*\[/.exec(text);
  if (!m) {
    res.errors.push({ file, line: 0, message: 'not Ariel flow results: no "flows" array at the start of the document' });
    return;
  }
  const lineAt = (pos: number): number => {
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  // Several documents one after another (`{"flows":[…]}` per line, as saved search pages are appended): each is read.
  const NEXT_DOC = /\s*\}\s*(?:\{\s*"flows"\s*:\s*\[)?/y;
  let open = m[0].length - 1;
  let k0 = 0; // flows of the documents before this one (flow numbers run on across documents)
  for (;;) {
    const { spans, truncated, end } = scanArray(text, open);
    let cutInside = false; // the file ends inside the last flow (that flow is not read)
    for (let j = 0; j < spans.length; j++) {
      const k = k0 + j;
      if (k % 4096 === 0 && opts.signal?.aborted) throw abortError();
      const sp = spans[j];
      let o: unknown;
      try {
        o = JSON.parse(text.slice(sp.start, sp.end));
      } catch {
        if (truncated && j === spans.length - 1) cutInside = true;
        else fail(sp.line, `flow ${k + 1}: unreadable JSON`);
        continue;
      }
      if (!o || typeof o !== 'object' || Array.isArray(o)) {
        fail(sp.line, `flow ${k + 1}: not a JSON object`);
        continue;
      }
      onFlow((c) => jsonField(o as Record<string, unknown>, c), sp.line, o as Record<string, unknown>);
    }
    k0 += spans.length;
    if (truncated) {
      res.errors.push({
        file,
        line: spans[spans.length - 1]?.line ?? 1,
        message: `file ends inside the "flows" array (${cutInside ? `cut inside flow ${k0}` : `cut after flow ${k0}`}); every complete flow was kept`,
      });
      return;
    }
    NEXT_DOC.lastIndex = end;
    const next = NEXT_DOC.exec(text);
    const after = next ? NEXT_DOC.lastIndex : end;
    if (next && next[0].trimEnd().endsWith('[')) {
      open = after - 1;
      continue;
    }
    if (text.slice(after).trim() !== '') {
      res.errors.push({ file, line: lineAt(after + text.slice(after).search(/\S/)), message: 'content after the "flows" array that is not another {"flows":[…]} document was not read' });
    }
    return;
  }
}

/** The fields (0-based) of a header that `mapping`'s columns are at (`index`: column → field), ascending, each once. */
function mappedFields(index: ReadonlyMap<string, number>, mapping: ColumnMapping): number[] {
  const at = new Set<number>();
  for (const f of MAPPING_FIELDS) {
    const i = mapping[f] === undefined ? undefined : index.get(mapping[f]!);
    if (i !== undefined) at.add(i);
  }
  return [...at].sort((a, b) => a - b);
}

/**
 * The fields of a CSV line whose quote never closes (read on its own, see readGenericFile): every quote read as text;
 * but when that splits the line into another number of fields than the header's `width` (a quoted value holding the
 * delimiter before the stray quote: `"Dec 1, 2026, 6:00:00 PM",…,"unclosed`), as if the quote closed at the end of
 * the line, if that gives the header's width.
 */
function keptCells(text: string, delimiter: string, width: number | undefined): string[] {
  const asText = (parseCsvSync(text, { delimiter, bom: false, quote: false, relax_column_count: true }) as string[][])[0] ?? [text];
  if (width === undefined || asText.length === width) return asText;
  try {
    const r = parseCsvSync(`${text}"`, { delimiter, bom: false, relax_quotes: true, relax_column_count: true }) as string[][];
    if (r.length === 1 && r[0].length === width) return r[0];
  } catch {
    /* not a quote that only needs closing */
  }
  return asText;
}

/** Longest CSV record over several lines (characters) before the reader treats its quote as one that never closes. */
export const MAX_CSV_RECORD_CHARS = MAX_CSV_MULTILINE_CHARS;

/**
 * Reads a CSV file (plain or gzip; UTF-8, or UTF-16 LE/BE with a byte order mark or recognised by its NUL bytes) as
 * physical lines: `onLine(text, end, n)` with the line's text without its
 * line end, the line end (`\r\n`, `\n`, a lone `\r`, or '' for a last line without one) and its 1-based number, as
 * editors count lines; a BOM at the start is dropped. Stops early when `stopped()` answers true. Resolves with `error`
 * (a read or gzip error message) after the lines before the error; rejects only with an AbortError.
 */
async function csvLines(
  file: string,
  gzip: boolean,
  onChunk: (bytes: number) => void,
  signal: AbortSignal | undefined,
  onLine: (text: string, end: string, n: number) => void,
  stopped: () => boolean,
): Promise<{ error?: string }> {
  if (signal?.aborted) throw abortError();
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  raw.on('data', (c) => onChunk((c as Buffer).length));
  const gz = gzip ? createGunzip() : undefined;
  if (gz) {
    raw.on('error', (e) => gz.destroy(e));
    raw.pipe(gz);
  }
  const source: Readable = gz ?? raw;
  // UTF-8, or UTF-16 (Windows "Unicode" export: a byte order mark, or the NULs of UTF-16 text without one), decided
  // on the first chunk with the case and tz readers' check (tableUtf16); TextDecoder drops a UTF-16 BOM
  let dec: { write(b: Buffer): string; end(): string } | undefined;
  const decoderFor = (first: Buffer): { write(b: Buffer): string; end(): string } => {
    const utf16 = tableUtf16(first);
    if (!utf16) return new StringDecoder('utf8');
    const td = new TextDecoder(utf16);
    return { write: (b) => td.decode(b, { stream: true }), end: () => td.decode() };
  };
  let carry = '';
  let n = 0;
  const eol = /\r\n|\n|\r/g;
  const lines = (s: string, final: boolean): void => {
    if (n === 0 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    let from = 0;
    eol.lastIndex = 0;
    for (let m = eol.exec(s); m; m = eol.exec(s)) {
      // a CR at the end of a chunk may be the first half of a CRLF
      if (!final && m[0] === '\r' && m.index === s.length - 1) break;
      onLine(s.slice(from, m.index), m[0], ++n);
      from = m.index + m[0].length;
      if (stopped()) return;
    }
    carry = s.slice(from);
    if (final && carry !== '') {
      onLine(carry, '', ++n);
      carry = '';
    }
  };
  let error: string | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw abortError();
      dec ??= decoderFor(chunk);
      lines(carry + dec.write(chunk), false);
      if (stopped()) return {};
    }
  } catch (e) {
    if ((e as Error)?.name === 'AbortError' || signal?.aborted) {
      raw.destroy();
      throw abortError();
    }
    error = (e as Error).message;
  } finally {
    raw.destroy();
  }
  if (signal?.aborted) throw abortError();
  if (!stopped()) lines(carry + (dec?.end() ?? ''), true);
  return { error };
}

/** Most frequent delimiter of a header line among `,` `;` TAB `|` (`,` when none). */
export function delimiterOf(headerLine: string): string {
  const best = [',', ';', '\t', '|'].map((d) => ({ d, n: headerLine.split(d).length - 1 })).sort((a, b) => b.n - a.n)[0];
  return best.n > 0 ? best.d : ',';
}
