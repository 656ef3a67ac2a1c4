/**
 * QRadar flow data as connection records for the beacon analysis (shared/docs/qradar.md §5.1, §5.3):
 * - the Network Activity tab's "Export to CSV": display-name headers (`Flow Type, First Packet Time, Storage Time,
 *   Source IP, Source Port, Destination IP, Destination Port, Source Bytes, Destination Bytes, …`) matched
 *   tolerantly (case, spaces and punctuation ignored, so internal names such as `sourceIP`, `firstPacketTime` match
 *   too), times as console display text (`Dec 3, 2026, 2:05:11 PM`, no zone: read in the console's zone) or epoch ms;
 * - Ariel flow search results saved as JSON, `{"flows":[{…}]}`, with lower-case Ariel names (`sourceip`,
 *   `destinationip`, `destinationport`, `starttime` epoch ms, `sourcebytes`, `destinationbytes`, `protocolid`).
 * Bytes: a flow's source is the side that sent the first packet (the client), so *Source Bytes* are the bytes it
 * sent — Zeek's `orig_bytes`, which RITA's data-size score uses — and *Destination Bytes* the server's answer.
 * Pure functions; nothing here throws.
 */
import type { ColumnMapping } from './conn-csv';
import { parseExportTime, toEpochMs } from './qradar-values';
import { shownValue } from './zeek';
import { resolveWall } from '../tz-normalize';
import { countValue } from './counts';
import { lookupTable } from '../lookup';

/** A header name as compared: lower case, letters and digits only (`First Packet Time` → `firstpackettime`). */
const norm = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Normalised column names of each field, in order of preference (display names and Ariel names). */
const FLOW_COLUMNS: Readonly<Record<Exclude<keyof ColumnMapping, 'fqdn'>, readonly string[]>> = {
  // the first packet of the flow: when the connection started (Storage Time is the minute QRadar stored it)
  ts: ['firstpackettime', 'starttime', 'flowstarttime'],
  src: ['sourceip', 'sourceaddress', 'sourceipv6'],
  dst: ['destinationip', 'destinationaddress', 'destinationipv6'],
  dport: ['destinationport'],
  bytes: ['sourcebytes'],
  respBytes: ['destinationbytes'],
  proto: ['protocol', 'protocolid', 'protocolname'],
};

/** Columns that only a flow record has (an event export of the Log Activity tab has none of them). */
const FLOW_MARKERS = new Set(['sourcebytes', 'destinationbytes', 'firstpackettime', 'lastpackettime', 'sourcepackets', 'destinationpackets', 'flowtype']);

/** The preset of QRadar flow exports with the Network Activity display names (`--map qradar-flows`). */
export const QRADAR_FLOWS_PRESET: ColumnMapping = Object.freeze({
  ts: 'First Packet Time',
  src: 'Source IP',
  dst: 'Destination IP',
  dport: 'Destination Port',
  bytes: 'Source Bytes',
  respBytes: 'Destination Bytes',
  proto: 'Protocol',
});

/**
 * The column mapping of a QRadar flow export, from its header names (a CSV header or the keys of an Ariel flow
 * record), or undefined when the columns are not a QRadar flow record's: it needs a source and a destination address
 * (`Source IP`/`sourceip`, `Destination IP`/`destinationip`), a time (`First Packet Time`, else `Start
 * Time`/`starttime`) and a column only flows have (`Source Bytes`, `Destination Bytes`, `First Packet Time`, `Source
 * Packets`, `Flow Type`…). The mapping names the columns as written in the header.
 */
export function qradarFlowMapping(columns: readonly string[]): ColumnMapping | undefined {
  const byNorm = new Map<string, string>();
  for (const c of columns) {
    const n = norm(c);
    if (n !== '' && !byNorm.has(n)) byNorm.set(n, c.trim());
  }
  if (![...byNorm.keys()].some((n) => FLOW_MARKERS.has(n))) return undefined;
  const out: Partial<ColumnMapping> = {};
  for (const [field, names] of Object.entries(FLOW_COLUMNS) as [keyof ColumnMapping, readonly string[]][]) {
    const hit = names.find((n) => byNorm.has(n));
    if (hit !== undefined) out[field] = byNorm.get(hit);
  }
  return out.ts && out.src && out.dst ? (out as ColumnMapping) : undefined;
}

/**
 * The fields a QRadar flow record needs that `columns` (the keys of Ariel flows, a flow export's header) have no column
 * for, each with the names looked for: `time (firstpackettime, starttime or flowstarttime)`, `source address
 * (sourceip, sourceaddress or sourceipv6)`, `destination address (…)`; [] when the three are there.
 */
export function qradarFlowMissing(columns: readonly string[]): string[] {
  const have = new Set(columns.map(norm));
  const label = { ts: 'time', src: 'source address', dst: 'destination address' } as const;
  return (['ts', 'src', 'dst'] as const)
    .filter((f) => !FLOW_COLUMNS[f].some((n) => have.has(n)))
    .map((f) => {
      const names = FLOW_COLUMNS[f];
      return `${label[f]} (${names.slice(0, -1).join(', ')} or ${names[names.length - 1]})`;
    });
}

/** A QRadar flow's start time read: seconds and ms since the epoch (UTC), and whether it was console display text. */
export interface FlowTime {
  ts: number;
  tsMs: number;
  /** Display text read in the console's zone (`Dec 3, 2026, 2:05:11 PM`), not an epoch value. */
  display: boolean;
  /** The wall time occurs twice in the console zone (the hour repeated when clocks go back); the earlier was taken. */
  ambiguous: boolean;
}

/**
 * A QRadar flow time (a CSV cell or an Ariel JSON value) → UTC: epoch ms (a number or numeric text, also `"….0"`,
 * seconds below 1e11), an ISO 8601 time with an offset, or console display text (`Dec 3, 2026, 2:05:11 PM`, 24-hour
 * and `yyyy-MM-dd HH:mm:ss` too) read in `consoleZone` (IANA name or fixed offset). A problem text when the value is
 * empty, 0, unreadable, outside 1990–2100, or a wall time that does not exist in the zone.
 */
export function qradarFlowTime(v: unknown, consoleZone: string): FlowTime | string {
  if (typeof v === 'string') {
    const fast = consoleTimeFast(v, consoleZone);
    if (fast !== undefined) return { ts: Math.floor(fast / 1000), tsMs: fast, display: true, ambiguous: false };
  }
  const r = typeof v === 'number' ? toEpochMs(v) : typeof v === 'string' ? parseExportTime(v, consoleZone) : undefined;
  if (!r) return v === undefined || v === null ? 'no time' : `not a time (${shownValue(v)})`;
  if (!r.ok) return r.problem;
  if (r.value === undefined) return `no time (${shownValue(v)})`;
  const display = 'display' in r && r.display === true;
  return { ts: Math.floor(r.value / 1000), tsMs: r.value, display, ambiguous: 'ambiguous' in r && r.ambiguous !== undefined };
}

const MONTHS: Readonly<Record<string, number>> = lookupTable({ Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 });
/** The console's display format as QRadar writes it: `Dec 3, 2026, 2:05:11 PM`. */
const DISPLAY_TIME = /^\s*([A-Z][a-z]{2}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)\s*$/;

/**
 * The instant (epoch ms) of a display time in the console's usual layout (`Dec 3, 2026, 2:05:11 PM`) when it is a
 * real date and a wall time that occurs once in `zone`; undefined for anything else (another layout, a bad date, a
 * DST gap or repeat), which {@link parseExportTime} then reads with its messages. The same instant as
 * parseExportTime, without luxon's format parser (~30 µs a time: 6 s of a 200,000-flow export).
 */
function consoleTimeFast(cell: string, zone: string): number | undefined {
  const m = DISPLAY_TIME.exec(cell);
  if (!m) return undefined;
  const month = MONTHS[m[1]];
  const day = Number(m[2]);
  const year = Number(m[3]);
  const h12 = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  if (month === undefined || year < 1000 || h12 < 1 || h12 > 12 || min > 59 || sec > 59 || day < 1) return undefined;
  const wall = Date.UTC(year, month, day, (h12 % 12) + (m[7] === 'PM' ? 12 : 0), min, sec);
  if (new Date(wall).getUTCDate() !== day) return undefined; // Feb 30: not a date
  const r = resolveWall(wall, zone, 'earlier');
  return r.flag === undefined && r.ms !== undefined && Number.isFinite(r.ms) ? r.ms : undefined;
}

/** IP protocol numbers (Ariel `protocolid`) → the names Zeek logs (ICMPv6 is `icmp` there too). */
const IP_PROTOCOLS: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmp', 132: 'sctp' };

/**
 * A QRadar protocol value → the protocol name of a connection record: Ariel's `protocolid` number (6 → `tcp`, 17 →
 * `udp`, 1 and 58 → `icmp`; another number → `proto-<n>`), or the Network Activity display name without its `.ip`
 * suffix, lower case (`tcp.ip` → `tcp`, `ICMP.ip` → `icmp`, `icmpv6`/`ipv6-icmp` → `icmp`). '' when absent.
 */
export function qradarProtocol(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? (IP_PROTOCOLS[v] ?? `proto-${v}`) : '';
  if (typeof v !== 'string') return '';
  const t = v.trim().toLowerCase();
  if (/^\d{1,3}(?:\.0+)?$/.test(t)) return qradarProtocol(Number(t));
  const name = t.replace(/\.ip$/, '');
  return name === 'icmpv6' || name === 'ipv6-icmp' || name === 'icmp6' ? 'icmp' : name === 'n/a' ? '' : name;
}

export { MAX_FLOW_COUNT, countOf } from './counts';

/**
 * A QRadar byte count (a number, numeric text, `"1234.0"` as aggregated Ariel results write it, or `1,234` with
 * thousands separators) → a whole number ≥ 0; 0 when absent, or text without a digit (`N/A`: as RITA reads an unset
 * byte count); NaN for a count that is unreadable ({@link countValue}: above 10^15 or infinite, negative, `NaN`, text
 * with digits that is no decimal number — `0x10`, `５` —, a JSON boolean, object or array), which the reader reports
 * by line.
 */
export function qradarCount(v: unknown): number {
  if (typeof v !== 'string') return countValue(v);
  const t = v.trim();
  return countValue(/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t);
}

