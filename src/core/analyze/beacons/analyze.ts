/**
 * Beacon aggregation and scoring: connection records are filtered and folded into compact
 * per-pair lists as they stream (typed arrays: timestamp ms + bytes per record; nothing else is
 * kept per record), then every pair is thresholded and scored with RITA v5 or the legacy formula.
 * Reference: shared/docs/rita-beacons.md §1.2–§1.5 (legacy selection and window), §5.1 (v5
 * selection, window, hourly import, strobes), §5.8 (SNI beacons), §4/§5 (scores).
 *
 * Pair key: (source address, destination address) for IP beacons, (source address, FQDN) for
 * SNI/Host beacons — directional, protocol-agnostic (§1.2). Times in the result are epoch ms UTC.
 */
import type { BeaconPairStats } from './dashboard';
import { BEACON_DETAIL_FIELDS, PairDetailStore, type PackedPairDetails } from './chart-pack';
import type { ParseError } from '../../model/common';
import { AsciiInterner, backscatterOf, EXCHANGE_DATA, EXCHANGE_UNKNOWN, mix32, neverCarriedDataOf, type ConnRecord } from '../../parse/zeek';
import { canonicalAddress, dottedQuadValueOf } from '../../parse/ipv4';
import { ownCopy } from '../../parse/loki-intern';
import type { ConnColumns } from './columns';
import { SubnetFilter, parseSafelist, type FilterReason } from './filter';
import type { BeaconAlgorithm, BeaconOptions } from './options';
import { histogramEdgesV5, histogramLegacy, scorePairLegacy, scorePairV5, severityFor, type PairScore, type Severity } from './score';
import { icmpErrorsOnly, icmpLabel } from './icmp';
import { CHART_VALUES, PairKind, NUM, countDistinct, scoreIpPairs, topValues, windowOf, type IpScoreJob, type IpScoreParams, type IpScoreRows, type Win } from './score-ip';

export { CHART_VALUES } from './score-ip';
/** Distinct destination ports kept per pair for display. */
/** Most distinct Ports labels kept per pair (the first ones met). */
export const MAX_PORTS = 12;
/** The chart lists of every listed pair of a run without charts (frozen: shared by all pairs). */
const NO_VALUES = Object.freeze([]) as unknown as number[];
const NO_CHART = Object.freeze({ values: NO_VALUES, counts: NO_VALUES }) as { values: number[]; counts: number[] };

export type BeaconType = 'ip' | 'sni';

/** One scored pair (a row of the dashboard and of the CLI's `pairs`). */
export interface BeaconPair {
  type: BeaconType;
  src: string;
  /** Destination address; for SNI beacons the distinct addresses behind the FQDN, comma-separated (at most 5, then `+n`). */
  dst: string;
  /** FQDN (SNI / HTTP Host) of SNI beacons, '' for IP beacons. */
  fqdn: string;
  /** Connections scored (inside the window's hours). */
  count: number;
  uniqueTs: number;
  /** Bytes in both directions (Σ orig_ip_bytes + resp_ip_bytes). */
  bytes: number;
  /** Bytes sent by the source (Σ orig_ip_bytes). */
  origBytes: number;
  score: number;
  tsScore: number;
  dsScore: number;
  durScore: number;
  histScore: number;
  /** RITA v5's band of the score (§5.7); `n/a` for a legacy score, which has none ({@link Severity}). */
  severity: Severity;
  /** RITA v5 bucketed threat score 0…0.8 (§5.7); 0 for a legacy score (no bands, no threat score). */
  threat: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Destination ports seen, e.g. `443/tcp, 80/tcp` (most frequent first). */
  ports: string;
  tsSkew: number;
  tsMad: number;
  dsSkew: number;
  dsMad: number;
  /** Legacy only. */
  dsSmallness?: number;
  coverage: number;
  consistency: number;
  cvScore: number;
  bimodalScore: number;
  totalBars: number;
  longestRun: number;
  /** Most common interval (s) and its count; most common size (bytes) and its count. */
  tsMode: number;
  tsModeCount: number;
  dsMode: number;
  dsModeCount: number;
  /** Up to {@link CHART_VALUES} most frequent intervals (s, zeros included) with counts, ascending by value. */
  intervals: { values: number[]; counts: number[] };
  /** Up to {@link CHART_VALUES} most frequent sizes (bytes) with counts, ascending by value. */
  sizes: { values: number[]; counts: number[] };
  /** Connections per histogram bin (24 bins over the window) and the bin edges in epoch ms. */
  hist: number[];
  histEdgesMs: number[];
  /** Observation window used for this pair, epoch ms. */
  windowStartMs: number;
  windowEndMs: number;
  /**
   * The OR of the exchange classes of the pair's kept records (Zeek conn logs: `EXCHANGE_QUIET` 1, `EXCHANGE_DATA`
   * 2, `EXCHANGE_UNKNOWN` 4, `EXCHANGE_QUIET_FLIPPED` 8; see parse/zeek.ts `exchangeClass`), over all its kept records
   * (also those before the scored hours). Read it with {@link neverCarriedData} and {@link isBackscatter}. Absent: unknown.
   */
  exchange?: number;
}

export { BEACON_DETAIL_FIELDS };
/** The fields of a pair that only its detail pane shows (chart-pack.ts). */
export type BeaconDetailField = (typeof BEACON_DETAIL_FIELDS)[number];
/** A pair's chart lists. */
export type BeaconChartField = 'intervals' | 'sizes' | 'hist' | 'histEdgesMs';

/**
 * A pair as the table, the tree, the safelist and the summary use it: every field of
 * {@link BeaconPair} but those of its detail pane. A full `BeaconPair` is one. On the extension host
 * the listed pairs are rows whose detail fields and chart lists stay packed in typed arrays
 * (`packed` and its index `packedIndex`, see chart-pack.ts `keepPairDetailsPacked`); `fullPair(row)`
 * rebuilds the whole pair for its detail pane.
 */
export type BeaconRow = Omit<BeaconPair, BeaconDetailField | BeaconChartField> & {
  packed?: PackedPairDetails;
  packedIndex?: number;
};

/**
 * True when the pair's traffic is ICMP error messages only (port unreachable, time exceeded…, see
 * {@link icmpErrorsOnly}): answers to the destination's probes rather than a beacon of the source.
 */
export function isIcmpErrorPair(p: Pick<BeaconRow, 'ports'>): boolean {
  return icmpErrorsOnly(p.ports, MAX_PORTS);
}

/**
 * Whether no connection of the pair carried payload and none was an open session (Zeek conn logs: every record's
 * `conn_state` is not SF/S1/S2/S3, its `history` has no payload letter (`D`/`d`, `T`/`t`, `G`/`g`) and its `orig_bytes`/`resp_bytes` are 0 or unset;
 * see parse/zeek.ts `exchangeClass`): true — usually backscatter (the source resetting SYN-ACKs it never asked for,
 * answers to spoofed scans) or a scanner's probes answered, not a beacon; false when a record carried data (SNI
 * pairs always: their records have a TLS SNI or an HTTP Host); undefined (unknown) when a record does not say — a
 * generic connection CSV or JSON without those fields, a lone ICMP message — and none carried data. Informational:
 * RITA's score does not read it.
 */
export function neverCarriedData(p: Pick<BeaconRow, 'exchange'>): boolean | undefined {
  return neverCarriedDataOf(p.exchange ?? EXCHANGE_UNKNOWN);
}

/**
 * Whether the pair is backscatter (parse/zeek.ts `backscatterOf`): true when it never carried data
 * ({@link neverCarriedData}) and Zeek flipped the direction of every record (`^` in `history`, e.g. `RSTO ^hR`,
 * `OTH ^aR`: the source only answered — resets of SYN-ACKs it never asked for, answers to scans spoofing its
 * address); false when it carried data or some record without data was the source's own attempt, refused or
 * unanswered (`S0 S`, `REJ Sr`: what a beacon to a C2 server that is down or sinkholed looks like); undefined when
 * {@link neverCarriedData} is. Informational: RITA's score does not read it.
 */
export function isBackscatter(p: Pick<BeaconRow, 'exchange'>): boolean | undefined {
  return backscatterOf(p.exchange ?? EXCHANGE_UNKNOWN);
}

/** Adds one scored pair of severity `sev` to `bands` (`none` and a legacy score's `n/a` are not counted). */
function countBand(bands: { high: number; medium: number; low: number }, sev: Severity): void {
  if (sev !== 'none' && sev !== 'n/a') bands[sev]++;
}

/** A pair with too many connections to score (RITA strobe). */
export interface BeaconStrobe {
  type: BeaconType;
  src: string;
  dst: string;
  fqdn: string;
  count: number;
  bytes: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface BeaconSummary {
  /** Input files read as connection/host sources. */
  files: number;
  /** Connection records read (before filtering). */
  records: number;
  /** Records left out by the subnet filter or the safelist. */
  filteredRecords: number;
  /** Distinct pairs after filtering. */
  pairsSeen: number;
  /** Pairs scored (above the connection thresholds, not strobes). */
  pairs: number;
  /** Pairs listed (score ≥ minScore). */
  listed: number;
  strobes: number;
  high: number;
  medium: number;
  low: number;
  /**
   * Final observation window, epoch ms (NaN when there is none: no record kept, or every kept record
   * in the same second — RITA skips beaconing when the window's start is not before its end).
   */
  windowStart: number;
  windowEnd: number;
  unparsedLines: number;
  /** Earliest and latest kept record (after the filters), epoch ms (NaN when none was kept). */
  keptFirst?: number;
  keptLast?: number;
  /**
   * Kept records older than the observation window (RITA ends it at the latest record and starts it
   * at most 24 hours earlier), with the earliest and latest of them, epoch ms (NaN when none).
   */
  outsideWindow?: number;
  outsideFirst?: number;
  outsideLast?: number;
}

export interface BeaconFileInfo {
  file: string;
  format: string;
  logPath: string;
  role: 'conn' | 'host' | 'generic';
  lines: number;
  records: number;
  unparsedLines: number;
  closed?: boolean;
}

/** Everything the beacon analysis produces. */
export interface BeaconAnalysis<P extends BeaconRow = BeaconPair> {
  algorithm: BeaconAlgorithm;
  summary: BeaconSummary;
  /** Listed pairs, by score (desc), then connections (desc), source, destination/FQDN. Full pairs, except on the extension host: rows ({@link BeaconRow}). */
  pairs: P[];
  /**
   * The dashboard's counts over {@link pairs} (dashboard.ts `beaconPairStats`), made by the analysis worker with the
   * result; absent elsewhere (the CLI) and in a safelist view (its pairs differ), where the dashboard makes them.
   */
  pairStats?: BeaconPairStats;
  /**
   * The safelist the analysis worker tested {@link pairs} against after the run (the job's `safelist`, its string
   * entries) and how many pairs it would hide (dashboard.ts `withSafelist`): with 0, the extension host's view for that
   * safelist is the result itself, without testing 1.2 million pairs again on its main thread. Absent elsewhere.
   */
  safelistChecked?: { entries: string[]; safelisted: number };
  strobes: BeaconStrobe[];
  files: BeaconFileInfo[];
  errors: ParseError[];
  skipped: { file: string; reason: string }[];
  filtered: Partial<Record<FilterReason, number>>;
  /** Option corrections, invalid safelist entries, hints (e.g. no internal subnet matched). */
  notes: string[];
  /**
   * The notes that ask the analyst to act (the same texts, a subset of `notes`, in their order): a setting to fix
   * (option corrections, invalid safelist entries, internal subnets that match almost nothing, QRadar flow times read
   * as UTC for want of a console zone), data the scoring left out (pairs not scored, records older than the window, no
   * window at all) and inputs read with a caveat (a column named twice). The other notes are routine findings of the
   * analysis (ICMP errors only, pairs that never carried data, the console zone used): the dashboard's Notes tab and
   * the reports list them all; the extension notifies only for these. Absent in results made before it (none).
   */
  attention?: string[];
  /** The options in force (for the dashboard and the re-run). */
  options: BeaconOptions;
}

// ------------------------------------------------------------------------------------ pair store

const FILTER_REASONS: readonly FilterReason[] = ['never-included', 'both-internal', 'both-external', 'external-to-internal', 'safelisted'];

/** Int32 words per slot of {@link IdPairTable}. */
const SLOT = 8;

/**
 * Open-addressing table keyed by the pair's two address keys and their kinds (see
 * {@link BeaconAggregator.addrKey}: a dotted-quad IPv4 address is keyed by its 32-bit value, any other
 * address by its id in the aggregator's table; `kinds` bit 1 the source is an id, bit 2 the
 * destination is). One 32-byte slot = 8 int32 in one array: source key, destination key, IP pair
 * index ({@link EMPTY} for a free slot, {@link NO_PAIR} while the pair has none), then the kinds
 * (bits 8–9) with the filter outcome (bits 0–7: 0 not decided, 1 kept, 2 + reason index) and the OR of the
 * kept records' exchange classes (bits 10–13, {@link ConnRecord.exchange}), the
 * pair's record count, last import group and, as the float64 at word 6, Σ resp bytes. The
 * accumulators sit in the slot so that folding a record in touches one cache line of this table
 * instead of also a per-pair array ({@link accumulators} copies them out at the end).
 */
/** Records whose pair-table slots are read ahead at a time (a power of two; see IdPairTable.touch). */
const TOUCH_AHEAD = 32;
/** Where the read-ahead's numbers go (kept, so that the reads are not optimised away). */
let touchSink = 0;
/** {@link IdPairTable} word 2 of a free slot, and of a pair that has no IP pair index yet. */
const EMPTY = -1;
const NO_PAIR = -2;
/** Hash of a pair's keys (the kinds are compared, not hashed: keys of both kinds rarely meet). */
const pairHash = (a: number, b: number): number => mix32(Math.imul(a, 0x9e3779b1) ^ b);

class IdPairTable {
  t = IdPairTable.empty(4096);
  /** Float64 view of {@link t}: Σ resp bytes of the slot at word offset s is `f[(s >> 1) + 3]`. */
  f = new Float64Array(this.t.buffer);
  private size = 0;

  private static empty(cap: number): Int32Array {
    const t = new Int32Array(SLOT * cap);
    for (let i = 2; i < t.length; i += SLOT) t[i] = EMPTY;
    return t;
  }

  /** Offset (in {@link t}) of the slot of keys (a, b) of kinds `kinds`, inserted when absent. */
  slot(a: number, b: number, kinds: number): number {
    let t = this.t;
    let mask = t.length / SLOT - 1;
    let p = pairHash(a, b) & mask;
    for (;;) {
      const s = SLOT * p;
      if (t[s] === a && t[s + 1] === b && t[s + 2] !== EMPTY && ((t[s + 3] >>> 8) & 3) === kinds) return s;
      if (t[s + 2] === EMPTY) break;
      p = (p + 1) & mask;
    }
    if ((this.size + 1) * 2 > t.length / SLOT) {
      const old = t;
      t = this.t = IdPairTable.empty((old.length / SLOT) * 2);
      this.f = new Float64Array(t.buffer);
      mask = t.length / SLOT - 1;
      for (let i = 0; i < old.length; i += SLOT) {
        if (old[i + 2] === EMPTY) continue;
        let q = pairHash(old[i], old[i + 1]) & mask;
        while (t[SLOT * q + 2] !== EMPTY) q = (q + 1) & mask;
        t.set(old.subarray(i, i + SLOT), SLOT * q);
      }
      p = pairHash(a, b) & mask;
      while (t[SLOT * p + 2] !== EMPTY) p = (p + 1) & mask;
    }
    this.size++;
    const s = SLOT * p;
    t[s] = a;
    t[s + 1] = b;
    t[s + 2] = NO_PAIR;
    t[s + 3] = kinds << 8;
    return s;
  }

  /**
   * Reads the slot where the lookup of (a, b) starts and returns its first word (kept by the caller so
   * that the read is not optimised away); nothing changes. Touching the slots of the next few dozen
   * records before they are folded in has them fetched from memory in parallel instead of one after
   * the other: at scale the table is far larger than the caches and every lookup is a cache miss.
   */
  touch(a: number, b: number): number {
    return this.t[SLOT * (pairHash(a, b) & (this.t.length / SLOT - 1))];
  }

  /** Counts one record of the pair in slot `s`: count + 1, Σ resp bytes + `resp`, last group = max. */
  count(s: number, resp: number, group: number): void {
    const t = this.t;
    t[s + 4]++;
    this.f[(s >> 1) + 3] += resp;
    if (group > t[s + 5]) t[s + 5] = group;
  }

  /** Per IP pair 0…pairs − 1: the OR of its kept records' exchange classes ({@link ConnRecord.exchange}; 0 for none). */
  exchanges(pairs: number): Uint8Array {
    const x = new Uint8Array(pairs);
    const t = this.t;
    for (let s = 0; s < t.length; s += SLOT) {
      const k = t[s + 2];
      if (k >= 0) x[k] = (t[s + 3] >>> 10) & 15;
    }
    return x;
  }

  /** The accumulators of IP pairs 0…pairs − 1 in {@link IpPairStore.acc}'s layout (count, Σ resp, last group per pair). */
  accumulators(pairs: number): Float64Array {
    const acc = new Float64Array(3 * pairs);
    const t = this.t;
    const f = this.f;
    for (let s = 0; s < t.length; s += SLOT) {
      const k = t[s + 2];
      if (k < 0) continue; // free, or no IP pair (left out by the filter)
      acc[3 * k] = t[s + 4];
      acc[3 * k + 1] = f[(s >> 1) + 3];
      acc[3 * k + 2] = t[s + 5];
    }
    return acc;
  }
}

/** Records per chunk of {@link IpPairStore}'s record columns. */
/** A copy of `a` in a new array of `cap` slots (the pair stores' per-pair columns, doubled when full). */
function grownInt32(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/**
 * IP pairs and their records in a few large typed arrays instead of one object and two growable
 * arrays per pair. Per pair (index = first-seen order): source and destination address id, and in
 * `acc` record count, Σ resp bytes (summed in arrival order) and last import group — kept in the
 * pair's {@link IdPairTable} slot while records are folded in ({@link pushRecord}) and set here by
 * the aggregator when the fold ends. Per record, in arrival
 * order and in chunks of {@link CHUNK}: pair index, ts (epoch ms), orig bytes, port label id
 * ({@link PortLabels}, -1 for none). {@link grouped} orders the records by pair (stable).
 */
class IpPairStore {
  size = 0;
  src = new Int32Array(1024);
  dst = new Int32Array(1024);
  /** Per pair k: count at 3k, Σ resp bytes at 3k + 1, last import group at 3k + 2 (set when the fold ends). */
  acc: Float64Array = new Float64Array(0);
  records = 0;
  private cPair: Int32Array[] = [];
  private cTs: Float64Array[] = [];
  private cOrig: Float64Array[] = [];
  private cPort: Int32Array[] = [];

  /** Adds a pair without records; returns its index. */
  add(src: number, dst: number): number {
    const k = this.size++;
    if (k === this.src.length) {
      this.src = grownInt32(this.src, k * 2);
      this.dst = grownInt32(this.dst, k * 2);
    }
    this.src[k] = src;
    this.dst[k] = dst;
    return k;
  }

  /** Appends one record of pair `k` and counts it in {@link acc} (after the fold; see {@link pushRecord}). */
  push(k: number, tsMs: number, orig: number, resp: number, group: number, port: number): void {
    this.pushRecord(k, tsMs, orig, port);
    if (3 * k + 3 > this.acc.length) {
      // a pair first seen after the fold (SNI give-back)
      const grown = new Float64Array(Math.max(3 * (k + 1), 2 * this.acc.length));
      grown.set(this.acc);
      this.acc = grown;
    }
    const acc = this.acc;
    const a = 3 * k;
    acc[a]++;
    acc[a + 1] += resp;
    if (group > acc[a + 2]) acc[a + 2] = group;
  }

  /** Appends one record of pair `k` without counting it (the caller counts it in the pair's table slot). */
  pushRecord(k: number, tsMs: number, orig: number, port: number): void {
    const r = this.records++;
    const c = r >>> CHUNK_BITS;
    const i = r & (CHUNK - 1);
    if (i === 0) {
      this.cPair.push(new Int32Array(CHUNK));
      this.cTs.push(new Float64Array(CHUNK));
      this.cOrig.push(new Float64Array(CHUNK));
      this.cPort.push(new Int32Array(CHUNK));
    }
    this.cPair[c][i] = k;
    this.cTs[c][i] = tsMs;
    this.cOrig[c][i] = orig;
    this.cPort[c][i] = port;
  }

  /** Calls `f(pair, tsMs)` for every record so far, in arrival order. */
  forEach(f: (k: number, tsMs: number) => void): void {
    for (let r = 0; r < this.records; r++) f(this.cPair[r >>> CHUNK_BITS][r & (CHUNK - 1)], this.cTs[r >>> CHUNK_BITS][r & (CHUNK - 1)]);
  }

  /**
   * The records grouped by pair (counting sort, arrival order kept inside a pair): pair k's records
   * are `[start[k], start[k + 1])` of `ts`, `orig`, `port`. Releases the chunks (no push afterwards).
   */
  grouped(): { start: Int32Array; ts: Float64Array; orig: Float64Array; port: Int32Array } {
    const P = this.size;
    const start = new Int32Array(P + 1);
    for (let k = 0; k < P; k++) start[k + 1] = start[k] + this.acc[3 * k];
    const cur = start.slice(0, P);
    const N = this.records;
    const ts = new Float64Array(N);
    const orig = new Float64Array(N);
    const port = new Int32Array(N);
    for (let c = 0; c * CHUNK < N; c++) {
      const m = Math.min(CHUNK, N - c * CHUNK);
      const cp = this.cPair[c];
      const ct = this.cTs[c];
      const co = this.cOrig[c];
      const cq = this.cPort[c];
      for (let i = 0; i < m; i++) {
        const pos = cur[cp[i]]++;
        ts[pos] = ct[i];
        orig[pos] = co[i];
        port[pos] = cq[i];
      }
      // release as we go (peak: the grouped copy + one chunk)
      (this.cPair as unknown[])[c] = (this.cTs as unknown[])[c] = (this.cOrig as unknown[])[c] = (this.cPort as unknown[])[c] = undefined;
    }
    this.cPair = [];
    this.cTs = [];
    this.cOrig = [];
    this.cPort = [];
    return { start, ts, orig, port };
  }
}

/**
 * SNI/Host pairs (source, FQDN; RITA v5 §5.8), columnar as {@link IpPairStore}: no object, list or
 * map per pair. Per pair (index = first-seen order): the source's id in the aggregator's address
 * table and the FQDN's id in its host-name table; the pair's record count and last import group are
 * kept in its {@link IdPairTable} slot while records are folded in. Per record, in arrival order and
 * in chunks of {@link CHUNK}: pair index, ts (epoch ms), orig and resp bytes, import group (16 bits),
 * destination id (the aggregator's `dstNames`), port label id ({@link PortLabels}, -1 for none):
 * 38 bytes. {@link grouped} orders the records by pair (stable).
 */
class SniPairStore {
  size = 0;
  src = new Int32Array(1024);
  fqdn = new Int32Array(1024);
  records = 0;
  private cPair: Int32Array[] = [];
  private cTs: Float64Array[] = [];
  private cOrig: Float64Array[] = [];
  private cResp: Float64Array[] = [];
  private cGroup: Uint16Array[] = [];
  private cDst: Int32Array[] = [];
  private cPort: Int32Array[] = [];

  /** Adds a pair without records; returns its index. */
  add(src: number, fqdn: number): number {
    const k = this.size++;
    if (k === this.src.length) {
      this.src = grownInt32(this.src, k * 2);
      this.fqdn = grownInt32(this.fqdn, k * 2);
    }
    this.src[k] = src;
    this.fqdn[k] = fqdn;
    return k;
  }

  /** Appends one record of pair `k` (the caller counts it in the pair's table slot). */
  push(k: number, tsMs: number, orig: number, resp: number, group: number, dst: number, port: number): void {
    const r = this.records++;
    const c = r >>> CHUNK_BITS;
    const i = r & (CHUNK - 1);
    if (i === 0) {
      this.cPair.push(new Int32Array(CHUNK));
      this.cTs.push(new Float64Array(CHUNK));
      this.cOrig.push(new Float64Array(CHUNK));
      this.cResp.push(new Float64Array(CHUNK));
      this.cGroup.push(new Uint16Array(CHUNK));
      this.cDst.push(new Int32Array(CHUNK));
      this.cPort.push(new Int32Array(CHUNK));
    }
    this.cPair[c][i] = k;
    this.cTs[c][i] = tsMs;
    this.cOrig[c][i] = orig;
    this.cResp[c][i] = resp;
    this.cGroup[c][i] = group;
    this.cDst[c][i] = dst;
    this.cPort[c][i] = port;
  }

  /**
   * The records grouped by pair (counting sort, arrival order kept inside a pair): pair k's records
   * are `[start[k], start[k + 1])` of the columns; `acc` holds each pair's record count at `3k`
   * ({@link IdPairTable.accumulators}). Releases the chunks (no push afterwards).
   */
  grouped(acc: Float64Array): SniRecords {
    const P = this.size;
    const start = new Int32Array(P + 1);
    for (let k = 0; k < P; k++) start[k + 1] = start[k] + acc[3 * k];
    const cur = start.slice(0, P);
    const N = this.records;
    const g: SniRecords = { start, ts: new Float64Array(N), orig: new Float64Array(N), resp: new Float64Array(N), group: new Uint16Array(N), dst: new Int32Array(N), port: new Int32Array(N) };
    for (let c = 0; c * CHUNK < N; c++) {
      const m = Math.min(CHUNK, N - c * CHUNK);
      const cp = this.cPair[c];
      const ct = this.cTs[c];
      const co = this.cOrig[c];
      const cr = this.cResp[c];
      const cg = this.cGroup[c];
      const cd = this.cDst[c];
      const cq = this.cPort[c];
      for (let i = 0; i < m; i++) {
        const pos = cur[cp[i]]++;
        g.ts[pos] = ct[i];
        g.orig[pos] = co[i];
        g.resp[pos] = cr[i];
        g.group[pos] = cg[i];
        g.dst[pos] = cd[i];
        g.port[pos] = cq[i];
      }
      // release as we go (peak: the grouped copy + one chunk)
      (this.cPair as unknown[])[c] = (this.cTs as unknown[])[c] = (this.cOrig as unknown[])[c] = (this.cResp as unknown[])[c] = undefined;
      (this.cGroup as unknown[])[c] = (this.cDst as unknown[])[c] = (this.cPort as unknown[])[c] = undefined;
    }
    this.cPair = [];
    this.cTs = [];
    this.cOrig = [];
    this.cResp = [];
    this.cGroup = [];
    this.cDst = [];
    this.cPort = [];
    return g;
  }
}

/** The records of the SNI pairs grouped by pair ({@link SniPairStore.grouped}): pair k's are `[start[k], start[k + 1])`. */
interface SniRecords {
  start: Int32Array;
  ts: Float64Array;
  orig: Float64Array;
  resp: Float64Array;
  group: Uint16Array;
  dst: Int32Array;
  port: Int32Array;
}

/** Scratch of {@link portsText}: label ids and counts of one pair. */
const portIds = new Int32Array(MAX_PORTS);
const portCounts = new Int32Array(MAX_PORTS);

/**
 * The Ports text of the records `[a, b)` of a pair whose port label ids (-1 none) are `port`: the
 * first {@link MAX_PORTS} distinct labels in record order, by count (descending; ties in first-seen
 * order), joined with ', ' ('' when none). Scratch arrays, no array or closure per pair.
 */
function portsText(port: Int32Array, a: number, b: number, labels: readonly string[]): string {
  let n = 0;
  for (let i = a; i < b; i++) {
    const l = port[i];
    if (l < 0) continue;
    let j = 0;
    while (j < n && portIds[j] !== l) j++;
    if (j < n) portCounts[j]++;
    else if (n < MAX_PORTS) {
      portIds[n] = l;
      portCounts[n++] = 1;
    }
  }
  if (n === 0) return '';
  if (n === 1) return labels[portIds[0]];
  // insertion sort by count (descending), which is stable
  for (let x = 1; x < n; x++) {
    const id = portIds[x];
    const c = portCounts[x];
    let y = x;
    for (; y > 0 && portCounts[y - 1] < c; y--) {
      portIds[y] = portIds[y - 1];
      portCounts[y] = portCounts[y - 1];
    }
    portIds[y] = id;
    portCounts[y] = c;
  }
  let out = labels[portIds[0]];
  for (let j = 1; j < n; j++) out += ', ' + labels[portIds[j]];
  return out;
}

/**
 * Port labels (`443/tcp`, or the protocol alone without a port; ICMP as its type and code, see
 * {@link icmpLabel}) as small ids, one per distinct label text (-1 for the empty label, which is
 * never counted); cached per protocol and port.
 */
class PortLabels {
  readonly labels: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Per protocol (at most 16 protocols): port → id + 1. */
  private readonly byProto = new Map<string, Int32Array>();

  /** Id of the label text `s` (-1 for ''). */
  of(s: string): number {
    if (s === '') return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.labels.length;
      this.labels.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** Per ICMP type, code and family (`type * 131072 + code * 2 + v6`): id + 1. */
  private readonly icmp = new Map<number, number>();

  /**
   * Id of the label of a record with destination port `dport` (NaN when absent) and protocol `proto`;
   * an ICMP record (`proto` icmp) with its type `icmpType` (Zeek's `id.orig_p`; NaN/undefined/negative when
   * unknown: the port label as before) is labelled by type and code, ICMPv6 when `v6` (the source is an IPv6 address).
   */
  id(dport: number, proto: string, icmpType?: number, v6 = false): number {
    if (proto === 'icmp' && icmpType !== undefined && Number.isInteger(icmpType) && icmpType >= 0 && icmpType <= 65535) {
      const code = Number.isInteger(dport) && dport >= 0 && dport <= 65535 ? dport : 65536;
      const k = icmpType * 131072 + code * 2 + (v6 ? 1 : 0);
      let v = this.icmp.get(k);
      if (v === undefined) this.icmp.set(k, (v = this.of(icmpLabel(icmpType, code === 65536 ? NaN : code, v6)) + 1));
      return v - 1;
    }
    if (!Number.isFinite(dport)) return this.of(proto);
    // ICMP without its type (a firewall or NetFlow export: its "port" is 0 or the type and code packed as
    // type × 256 + code, depending on the vendor): the protocol alone, never a port (`0/icmp` read as port 0)
    if (proto === 'icmp' || proto === 'icmpv6' || proto === 'ipv6-icmp') return this.of(proto);
    if (!Number.isInteger(dport) || dport < 0 || dport > 65535) return this.of(`${dport}${proto ? '/' + proto : ''}`);
    let t = this.byProto.get(proto);
    if (!t) {
      if (this.byProto.size >= 16) return this.of(`${dport}${proto ? '/' + proto : ''}`);
      this.byProto.set(proto, (t = new Int32Array(65536)));
    }
    let v = t[dport];
    if (v === 0) t[dport] = v = this.of(`${dport}${proto ? '/' + proto : ''}`) + 1;
    return v - 1;
  }
}

/**
 * Streaming aggregator: {@link add} each connection record (in import-group order), call
 * {@link setGroup} before each hourly group, then {@link finish}. Memory: IP pairs in columnar
 * typed arrays ({@link IpPairStore}: 24 bytes per kept record, 28 per pair), SNI pairs likewise
 * ({@link SniPairStore}: 38 bytes per kept record, 8 per pair), each kind with its pair table
 * ({@link IdPairTable}: 32 bytes per slot, at most half of them used).
 */
/** External ↔ external pairs whose addresses {@link BeaconAggregator.topExternalAddress} counts (a bound on its memory). */
const MAX_EXTERNAL_PAIRS_TALLIED = 100_000;

export class BeaconAggregator {
  private readonly filter: SubnetFilter;
  /**
   * Address ids (shared with the Zeek reader, whose byte path hands records over with ids, see
   * `ReadOptions.names`). IP pairs are found by (source id, destination id): no key string and
   * no string hashing per record; the store's pair index is the order pairs were first seen in.
   */
  readonly names = new AsciiInterner();
  private readonly ip = new IpPairStore();
  /** Per (source id, destination id): the IP pair and the subnet-filter outcome of records without FQDN. */
  private readonly ipTable = new IdPairTable();
  /** SNI pairs: records and pair columns ({@link SniPairStore}), found by (source id in {@link names}, FQDN id in {@link hosts}). */
  private readonly sni = new SniPairStore();
  private readonly sniTable = new IdPairTable();
  /** FQDNs (SNI / HTTP Host) of SNI pairs, as ids. */
  private readonly hosts = new AsciiInterner();
  private readonly dstIds = new Map<string, number>();
  private readonly dstNames: string[] = [];
  private readonly hostByUid = new Map<string, string>();
  private readonly portLabels = new PortLabels();
  /** {@link addColumns}: per string table, its ids → ids in {@link names} (-1 not mapped yet). */
  private readonly idMaps = new WeakMap<string[], { key: Int32Array; kind: Int8Array }>();
  /** {@link addColumns}: the address keys of one block of records and their kinds (see {@link IdPairTable}). */
  private readonly blockSrc = new Int32Array(TOUCH_AHEAD);
  private readonly blockDst = new Int32Array(TOUCH_AHEAD);
  private readonly blockKinds = new Int32Array(TOUCH_AHEAD);
  /** Kind of the last key {@link addrKey} gave: 0 an IPv4 value, 1 an id in {@link names}. */
  private keyKind = 0;
  /** The filter decides a pair of IPv4 values without their texts ({@link SubnetFilter.checkV4}). */
  private readonly filterV4: boolean;
  private curMin = Infinity;
  private curMax = -Infinity;
  /** Cumulative window (seconds) after each import group. */
  private readonly groupWindows: { min: number; max: number }[] = [];
  private group = 0;
  records = 0;
  filteredRecords = 0;
  readonly filtered: Partial<Record<FilterReason, number>> = {};
  readonly notes: string[] = [];
  /**
   * Latest plausible record time (epoch ms): one day after the analysis started. A record later
   * than this, or before 1990 ({@link EARLIEST_TS_MS}: `ts` 0 is a common placeholder), is left out
   * as `implausible-time`: RITA's observation window ends at the latest record, so one such record
   * (`ts` 1e20, or the year 2100) left every real record outside the window and nothing was scored,
   * without a word; an early one stretched the legacy window and moved scores.
   */
  private readonly latestTsMs = Date.now() + 86_400_000;

  /** False (and counted as filtered) when `tsMs` is no plausible record time (see {@link latestTsMs}). */
  private plausibleTime(tsMs: number): boolean {
    if (tsMs >= EARLIEST_TS_MS && tsMs <= this.latestTsMs) return true;
    this.filteredRecords++;
    this.filtered['implausible-time'] = (this.filtered['implausible-time'] ?? 0) + 1;
    return false;
  }

  constructor(readonly options: BeaconOptions) {
    const safelist = parseSafelist(options.safelist);
    for (const bad of safelist.invalid) this.notes.push(`safelist entry "${bad}" is not an IP, CIDR, FQDN or "src -> dst" pair; ignored`);
    this.filter = new SubnetFilter({
      internalSubnets: options.internalSubnets,
      alwaysIncluded: options.alwaysIncluded,
      filterExternalToInternal: options.filterExternalToInternal,
      safelist,
    });
    this.filterV4 = this.filter.v4Fast;
  }

  /** Registers the host name (http.log Host / ssl.log SNI) of a Zeek uid (RITA v5 `usni`, §5.8). */
  addHost(uid: string, host: string): void {
    if (!this.hostByUid.has(uid)) this.hostByUid.set(uid, host);
  }

  /** True when {@link add} looks at `uid` (host names were registered and SNI beacons are on). */
  get usesUid(): boolean {
    return this.options.sni && this.hostByUid.size > 0;
  }

  /** Starts import group `g` (0-based, ascending). */
  setGroup(g: number): void {
    while (this.groupWindows.length < g) this.groupWindows.push({ min: this.curMin, max: this.curMax });
    this.group = g;
  }

  /** Folds one record in (the object may be reused by the caller). */
  add(rec: ConnRecord): void {
    const fqdn = rec.fqdn || (rec.uid && this.options.sni ? this.hostByUid.get(rec.uid) ?? '' : '');
    if (!fqdn) {
      // the reader's ids when it gave them (its table is names), else the texts
      const a = rec.srcId !== undefined && rec.srcId >= 0 ? this.idKey(rec.srcId) : this.addrKey(rec.src);
      const srcKind = this.keyKind;
      const b = rec.dstId !== undefined && rec.dstId >= 0 ? this.idKey(rec.dstId) : this.addrKey(rec.dst);
      this.addIp(a, b, srcKind | (this.keyKind << 1), rec.tsMs, rec.origBytes, rec.respBytes, this.portLabels.id(rec.dport, rec.proto, rec.icmpType, this.isV6(rec)), rec.exchange ?? EXCHANGE_UNKNOWN);
      return;
    }
    this.records++;
    if (!this.plausibleTime(rec.tsMs)) return;
    const reason = this.filter.check(rec.src, rec.dst, fqdn);
    if (reason) {
      this.filteredRecords++;
      this.filtered[reason] = (this.filtered[reason] ?? 0) + 1;
      return;
    }
    const sec = Math.trunc(rec.tsMs / 1000);
    if (sec < this.curMin) this.curMin = sec;
    if (sec > this.curMax) this.curMax = sec;
    const port = this.portLabels.id(rec.dport, rec.proto, rec.icmpType, rec.src.includes(':'));
    // the interners keep own copies of the texts: a reader's slice pins the line or the decoded chunk it was cut
    // from (a connection CSV with a host column was kept in memory whole)
    const srcText = rec.srcId !== undefined && rec.srcId >= 0 ? this.names.strings[rec.srcId] : rec.src;
    const srcCanon = srcText.indexOf(':') >= 0 ? this.canonical(srcText) : srcText;
    const srcId = srcCanon === srcText && rec.srcId !== undefined && rec.srcId >= 0 ? rec.srcId : this.names.idOf(srcCanon);
    const fqdnId = this.hosts.idOf(fqdn);
    const slot = this.sniTable.slot(srcId, fqdnId, 0);
    const t = this.sniTable.t;
    let k = t[slot + 2];
    if (k < 0) t[slot + 2] = k = this.sni.add(srcId, fqdnId);
    this.sniTable.count(slot, rec.respBytes, this.group);
    const dstText = rec.dst.indexOf(':') >= 0 ? this.canonical(rec.dst) : rec.dst;
    let id = this.dstIds.get(dstText);
    if (id === undefined) {
      id = this.dstNames.length;
      const dst = ownCopy(dstText);
      this.dstIds.set(dst, id);
      this.dstNames.push(dst);
    }
    this.sni.push(k, rec.tsMs, rec.origBytes, rec.respBytes, this.group, id, port);
  }

  /**
   * Folds in every record of one connection file read into columns ({@link ConnColumns}, e.g. by
   * a parse worker), in order: the same as {@link add} of each record with `uid` and `fqdn` ''.
   * Only for runs where {@link usesUid} is false.
   */
  addColumns(c: ConnColumns): void {
    const { src, dst, quads, tsMs, dport, proto, icmpType, orig, resp, exchange, strings } = c;
    if (c.stringBase !== 0) throw new RangeError('addColumns needs the whole string table (stringBase 0)');
    // keys of the table's texts here, kept per table (a worker's table is shared by its files and only grows)
    let map = this.idMaps.get(strings);
    if (!map || map.key.length < strings.length) {
      const size = Math.max(strings.length, map ? map.key.length * 2 : 0);
      const key = new Int32Array(size);
      const kind = new Int8Array(size).fill(-1);
      if (map) {
        key.set(map.key);
        kind.set(map.kind);
      }
      this.idMaps.set(strings, (map = { key, kind }));
    }
    const { key, kind } = map;
    const table = this.ipTable;
    const ka = this.blockSrc;
    const kb = this.blockDst;
    const kk = this.blockKinds;
    const n = c.n;
    let touched = 0;
    // Blocks of TOUCH_AHEAD records: the keys of a block first, reading the pair-table slots they
    // start at (see IdPairTable.touch), then the records; the slots' cache misses overlap.
    for (let i = 0; i < n; i += TOUCH_AHEAD) {
      const end = Math.min(n, i + TOUCH_AHEAD);
      for (let j = i; j < end; j++) {
        const q = quads[j];
        let a = src[j];
        let kinds = 0;
        if ((q & 1) === 0) {
          if (kind[a] < 0) this.mapText(strings, a, key, kind);
          kinds = kind[a];
          a = key[a];
        }
        let b = dst[j];
        if ((q & 2) === 0) {
          if (kind[b] < 0) this.mapText(strings, b, key, kind);
          kinds |= kind[b] << 1;
          b = key[b];
        }
        ka[j - i] = a;
        kb[j - i] = b;
        kk[j - i] = kinds;
        touched += table.touch(a, b);
      }
      for (let j = i; j < end; j++) {
        const pr = proto[j];
        const t = icmpType[j];
        // (an ICMP record: ICMPv6 when its source is an IPv6 address, a text of the table)
        const port = t < 0 ? this.portLabels.id(dport[j], pr < 0 ? '' : strings[pr]) : this.portLabels.id(dport[j], pr < 0 ? '' : strings[pr], t, (quads[j] & 1) === 0 && strings[src[j]].includes(':'));
        this.addIp(ka[j - i], kb[j - i], kk[j - i], tsMs[j], orig[j], resp[j], port, exchange[j]);
      }
    }
    touchSink = touched;
  }

  /** Whether the source of `rec` is an IPv6 address (for ICMP records only: ICMPv6, whose `proto` Zeek writes as icmp too). */
  private isV6(rec: ConnRecord): boolean {
    if (rec.icmpType === undefined || !(rec.icmpType >= 0)) return false;
    if (rec.srcQuad !== undefined && rec.srcQuad >= 0) return false;
    const text = rec.srcId !== undefined && rec.srcId >= 0 ? this.names.strings[rec.srcId] : rec.src;
    return text.includes(':');
  }

  /** The pair-table key of text `id` of a worker's table (see {@link addrKey}) into `key[id]`, its kind into `kind[id]`. */
  private mapText(strings: string[], id: number, key: Int32Array, kind: Int8Array): void {
    key[id] = this.addrKey(strings[id]);
    kind[id] = this.keyKind;
  }

  /**
   * Pair-table key of an address: a dotted-quad IPv4 address ({@link dottedQuadValueOf}) is keyed by
   * its 32-bit value (as a signed 32-bit integer; {@link keyKind} 0), any other text by its id in
   * {@link names} (kind 1), so that an address has one key whichever way it was read (a parse
   * worker's value, a text, an id of the in-thread reader).
   */
  private addrKey(text: string): number {
    const v = dottedQuadValueOf(text);
    if (v >= 0) {
      this.keyKind = 0;
      return v | 0;
    }
    // an IPv6 text is keyed by its one form: `::ffff:10.1.1.5` is 10.1.1.5, `2001:DB8:0::1` is 2001:db8::1
    if (text.indexOf(':') >= 0) {
      const c = this.canonical(text);
      if (c !== text) return this.addrKey(c);
    }
    this.keyKind = 1;
    return this.names.idOf(text);
  }

  /** {@link addrKey} of the text of id `id` in {@link names} (the text is read only when it is not a dotted quad). */
  private idKey(id: number): number {
    const v = this.names.quadValueOf(id);
    if (v >= 0) {
      this.keyKind = 0;
      return v | 0;
    }
    const text = this.names.strings[id];
    if (text.indexOf(':') >= 0 && this.canonical(text) !== text) return this.addrKey(this.canonical(text));
    this.keyKind = 1;
    return id;
  }

  /** Texts with a `:` → their {@link canonicalAddress} (each worked out once). */
  private readonly canonicalOf = new Map<string, string>();

  private canonical(text: string): string {
    let c = this.canonicalOf.get(text);
    if (c === undefined) this.canonicalOf.set(ownCopy(text), (c = canonicalAddress(text)));
    return c;
  }

  /** Id in {@link names} of the address of pair-table key `k` of kind `textKind` (0 an IPv4 value, else an id). */
  private nameId(k: number, textKind: number): number {
    return textKind !== 0 ? k : this.names.quadIdOfValue(k);
  }

  /** Distinct external ↔ external pairs counted in {@link externalTally} (at most {@link MAX_EXTERNAL_PAIRS_TALLIED}). */
  private externalPairsTallied = 0;
  /** Per address (pair-table key; IPv4 values and name ids apart), the distinct external ↔ external pairs it is in. */
  private readonly externalTally = [new Map<number, number>(), new Map<number, number>()];

  private tallyExternalPair(a: number, b: number, kinds: number): void {
    this.externalPairsTallied++;
    const ta = this.externalTally[kinds & 1];
    ta.set(a, (ta.get(a) ?? 0) + 1);
    const tb = this.externalTally[(kinds >> 1) & 1];
    if (tb !== ta || b !== a) tb.set(b, (tb.get(b) ?? 0) + 1);
  }

  /**
   * The address in the most distinct external ↔ external pairs (counted over the first
   * {@link MAX_EXTERNAL_PAIRS_TALLIED} such pairs of records without FQDN), with that count and the pairs counted;
   * undefined when there were none. A capture where nearly every record is external ↔ external was usually taken on
   * a sensor with a public address: that address is in almost every pair (run.ts names it in its note).
   */
  topExternalAddress(): { address: string; pairs: number; of: number } | undefined {
    let best: { kind: number; key: number; n: number } | undefined;
    for (let kind = 0; kind < 2; kind++) {
      for (const [key, n] of this.externalTally[kind]) if (!best || n > best.n) best = { kind, key, n };
    }
    if (!best) return undefined;
    return { address: this.names.strings[this.nameId(best.key, best.kind)], pairs: best.n, of: this.externalPairsTallied };
  }

  /** One record without FQDN: address keys and their kinds (see {@link IdPairTable}), port label id, exchange class ({@link ConnRecord.exchange}). */
  private addIp(a: number, b: number, kinds: number, tsMs: number, orig: number, resp: number, port: number, exchange: number): void {
    this.records++;
    if (!(tsMs >= EARLIEST_TS_MS && tsMs <= this.latestTsMs) && !this.plausibleTime(tsMs)) return;
    // the filter is a pure function of (src, dst) without FQDN: decided once per pair, at its first record
    const slot = this.ipTable.slot(a, b, kinds);
    const t = this.ipTable.t;
    let f = t[slot + 3] & 0xff;
    if (f === 0) {
      // the addresses' ids only when the texts are read (the filter's text path) or the pair is kept
      let srcId = -1;
      let dstId = -1;
      let r: FilterReason | undefined;
      if (kinds === 0 && this.filterV4) r = this.filter.checkV4(a >>> 0, b >>> 0);
      else {
        srcId = this.nameId(a, kinds & 1);
        dstId = this.nameId(b, kinds & 2);
        r = this.filter.check(this.names.strings[srcId], this.names.strings[dstId], undefined);
      }
      f = r === undefined ? 1 : 2 + FILTER_REASONS.indexOf(r);
      t[slot + 3] |= f;
      if (r === 'both-external' && this.externalPairsTallied < MAX_EXTERNAL_PAIRS_TALLIED) this.tallyExternalPair(a, b, kinds);
      if (f === 1 && t[slot + 2] < 0) {
        if (srcId < 0) srcId = this.nameId(a, kinds & 1);
        if (dstId < 0) dstId = this.nameId(b, kinds & 2);
        t[slot + 2] = this.ip.add(srcId, dstId);
      }
    }
    if (f > 1) {
      const reason = FILTER_REASONS[f - 2];
      this.filteredRecords++;
      this.filtered[reason] = (this.filtered[reason] ?? 0) + 1;
      return;
    }
    const sec = Math.trunc(tsMs / 1000);
    if (sec < this.curMin) this.curMin = sec;
    if (sec > this.curMax) this.curMax = sec;
    let k = t[slot + 2];
    if (k < 0) t[slot + 2] = k = this.ip.add(this.nameId(a, kinds & 1), this.nameId(b, kinds & 2));
    this.ipTable.count(slot, resp, this.group);
    t[slot + 3] |= exchange << 10;
    this.ip.pushRecord(k, tsMs, orig, port);
  }

  /** Index of the IP pair (src, dst) in {@link ip}, added when new; `exchange` (a record's class) ORed into its slot. */
  private ipIndex(src: string, dst: string, exchange = 0): number {
    const a = this.addrKey(src);
    const srcKind = this.keyKind;
    const b = this.addrKey(dst);
    const kinds = srcKind | (this.keyKind << 1);
    const slot = this.ipTable.slot(a, b, kinds);
    const t = this.ipTable.t;
    t[slot + 3] |= exchange << 10;
    let k = t[slot + 2];
    if (k < 0) t[slot + 2] = k = this.ip.add(this.nameId(a, kinds & 1), this.nameId(b, kinds & 2));
    return k;
  }

  /** Number of distinct pairs so far (IP + SNI). */
  get pairCount(): number {
    return this.ip.size + this.sni.size;
  }

  /**
   * Thresholds and scores every pair (§1.4/§5.1) and returns the listed pairs and strobes.
   * v5: window per pair = the cumulative window after its last import group (when `hourlyImport`),
   * minTS = max(min, max − 24 h), the pair's records restricted to hours ≥ the hour of minTS;
   * scored when distinct ts ≥ threshold and count < strobe limit. SNI pairs are decided first; the
   * records of SNI pairs that do not qualify go back to their IP pairs. Legacy: one window over all
   * non-strobe pairs (capped to the last 24 h), scored when count > 23 and distinct ts > 3.
   * Call once (either this or {@link finishWith}): the record store is released on the way.
   * `charts` false: the listed pairs' `intervals`, `sizes` and `hist` are left empty (not computed);
   * `'packed'`: the listed pairs are rows ({@link BeaconRow}) whose details are in a {@link PairDetailStore}.
   */
  finish(charts?: boolean): BeaconFinish;
  finish(charts: 'packed'): BeaconFinish<BeaconRow>;
  finish(charts: ChartsMode): BeaconFinish<BeaconRow>;
  finish(charts: ChartsMode = true): BeaconFinish<BeaconRow> {
    const st = this.finishStart(charts);
    if (this.ip.size > 0) this.finishRows(st, 0, scoreIpPairs(this.ipJob(st, 0, this.ip.size, false)));
    return this.finishEnd(st);
  }

  /**
   * {@link finish} with the IP pairs scored by `score` (e.g. in worker threads, see pool.ts) in
   * `parts` ranges of about the same number of records; the rows are turned into pairs here, in
   * pair order, so the result is the same as {@link finish}'s (`charts` as there). Rejects when `score` rejects.
   */
  finishWith(score: (job: IpScoreJob) => Promise<IpScoreRows>, parts: number, charts?: boolean): Promise<BeaconFinish>;
  finishWith(score: (job: IpScoreJob) => Promise<IpScoreRows>, parts: number, charts: ChartsMode): Promise<BeaconFinish<BeaconRow>>;
  async finishWith(score: (job: IpScoreJob) => Promise<IpScoreRows>, parts: number, charts: ChartsMode = true): Promise<BeaconFinish<BeaconRow>> {
    const st = this.finishStart(charts);
    const P = this.ip.size;
    const N = st.g.start[P];
    const ranges: [number, number][] = [];
    let a = 0;
    for (let part = 1; part <= parts && a < P; part++) {
      let b = a;
      const target = part === parts ? Infinity : (N * part) / parts;
      while (b < P && (st.g.start[b + 1] <= target || b === a)) b++;
      if (part === parts) b = P;
      ranges.push([a, b]);
      a = b;
    }
    if (a < P) ranges.push([a, P]);
    const jobs = ranges.map(([x, y]) => score(this.ipJob(st, x, y, true)));
    for (const j of jobs) j.catch(() => undefined); // awaited below, in order
    for (let i = 0; i < ranges.length; i++) this.finishRows(st, ranges[i][0], await jobs[i]);
    return this.finishEnd(st);
  }

  /** IP pairs `[a, b)` as a scoring job; `copy`: own arrays (transferable) instead of views. */
  private ipJob(st: FinishState, a: number, b: number, copy: boolean): IpScoreJob {
    const g = st.g;
    const s0 = g.start[a];
    const s1 = g.start[b];
    const acc = this.ip.acc;
    const start = new Int32Array(b - a + 1);
    for (let k = a; k <= b; k++) start[k - a] = g.start[k] - s0;
    return {
      start,
      ts: copy ? g.ts.slice(s0, s1) : g.ts.subarray(s0, s1),
      orig: copy ? g.orig.slice(s0, s1) : g.orig.subarray(s0, s1),
      resp: Float64Array.from({ length: b - a }, (_, j) => acc[3 * (a + j) + 1]),
      lastGroup: Int32Array.from({ length: b - a }, (_, j) => acc[3 * (a + j) + 2]),
      params: st.params,
    };
  }

  /** Legacy window, SNI pairs (with give-back to IP pairs), then the IP records grouped by pair. */
  private finishStart(mode: ChartsMode): FinishState {
    const charts = mode !== false;
    this.groupWindows.push({ min: this.curMin, max: this.curMax });
    const o = this.options;
    const pairsSeen = this.pairCount;
    const final = this.groupWindows[this.groupWindows.length - 1];
    const finalWin = windowOf(final.min, final.max);
    const legacy = o.algorithm === 'rita-legacy';
    const ip = this.ip;
    ip.acc = this.ipTable.accumulators(ip.size); // the fold ends here; SNI give-back below counts in acc
    // SNI pairs: count and last import group per pair, records grouped by pair
    const sni = this.sni;
    const sniAcc = this.sniTable.accumulators(sni.size);
    const sg = sni.grouped(sniAcc);

    // legacy window: min/max over every non-strobe pair (§1.5)
    let legacyWin = finalWin;
    if (legacy) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let k = 0; k < sni.size; k++) {
        if (sg.start[k + 1] - sg.start[k] >= o.strobeConnectionLimit) continue;
        for (let i = sg.start[k]; i < sg.start[k + 1]; i++) {
          const s = Math.trunc(sg.ts[i] / 1000);
          if (s < mn) mn = s;
          if (s > mx) mx = s;
        }
      }
      const acc = ip.acc;
      ip.forEach((k, ms) => {
        if (acc[3 * k] >= o.strobeConnectionLimit) return;
        const s = Math.trunc(ms / 1000);
        if (s < mn) mn = s;
        if (s > mx) mx = s;
      });
      legacyWin = windowOf(mn, mx);
    }
    const st: FinishState = {
      out: [],
      strobes: [],
      notes: [],
      scored: 0,
      bands: { high: 0, medium: 0, low: 0 },
      scoreErrors: 0,
      pairsSeen,
      legacy,
      finalWin,
      legacyWin,
      edgesByWin: new Map(),
      store: mode === 'packed' ? new PairDetailStore() : undefined,
      params: {
        legacy,
        hourlyImport: o.hourlyImport,
        groupMin: this.groupWindows.map((w) => w.min),
        groupMax: this.groupWindows.map((w) => w.max),
        finalWin,
        legacyWin,
        strobeConnectionLimit: o.strobeConnectionLimit,
        legacyConnectionThreshold: o.legacyConnectionThreshold,
        uniqueConnectionThreshold: o.uniqueConnectionThreshold,
        minScore: o.minScore,
        scoring: o.scoring,
        charts,
      },
      g: undefined as unknown as FinishState['g'],
    };

    const chart = (c: { values: number[]; counts: number[] }) => (charts ? topValues(c.values, c.counts) : NO_CHART);
    // SNI pairs: decided one by one here (records of those that do not qualify go back to IP pairs)
    const givenBack = new Uint8Array(sni.size);
    const names = this.names.strings;
    const hosts = this.hosts.strings;
    for (let p = 0; p < sni.size; p++) {
      const lastGroup = sniAcc[3 * p + 2];
      const win = legacy ? legacyWin : o.hourlyImport ? windowOf(this.groupWindows[lastGroup].min, this.groupWindows[lastGroup].max) : finalWin;
      if (!win) continue;
      const a = sg.start[p];
      const b = sg.start[p + 1];
      const src = names[sni.src[p]];
      const fqdn = hosts[sni.fqdn[p]];
      const from = legacy ? -Infinity : Math.floor(win.min / 3600) * 3600;
      let count = 0;
      for (let i = a; i < b; i++) if (Math.trunc(sg.ts[i] / 1000) >= from) count++;
      const secs = new Float64Array(count);
      const bytes = new Float64Array(count);
      let first = Infinity;
      let last = -Infinity;
      let resp = 0;
      for (let i = a, k = 0; i < b; i++) {
        const ms = sg.ts[i];
        const sec = Math.trunc(ms / 1000);
        if (!(sec >= from)) continue;
        secs[k] = sec;
        bytes[k] = sg.orig[i];
        if (ms < first) first = ms;
        if (ms > last) last = ms;
        resp += sg.resp[i];
        k++;
      }
      const unique = countDistinct(secs);
      const strobe = count >= o.strobeConnectionLimit;
      const qualifies = legacy ? count > o.legacyConnectionThreshold && unique > 3 : unique >= o.uniqueConnectionThreshold;
      let origSum = 0;
      for (let k = 0; k < count; k++) origSum += bytes[k];
      if (strobe) {
        st.strobes.push({ type: 'sni', src, dst: dstList(sg.dst, a, b, this.dstNames), fqdn, count, bytes: origSum + resp, firstSeenMs: first, lastSeenMs: last });
        continue;
      }
      if (!qualifies) {
        givenBack[p] = 1;
        // (records with a TLS SNI or an HTTP Host carried data)
        for (let i = a; i < b; i++) ip.push(this.ipIndex(src, this.dstNames[sg.dst[i]], EXCHANGE_DATA), sg.ts[i], sg.orig[i], sg.resp[i], sg.group[i], -1);
        continue;
      }
      let s: PairScore;
      try {
        s = legacy ? scorePairLegacy(secs, bytes, win.min, win.max, o.scoring) : scorePairV5(secs, bytes, win.min, win.max, o.scoring);
      } catch (e) {
        st.scoreErrors++;
        if (st.scoreErrors <= 5) st.notes.push(`${src} → ${fqdn}: not scored (${(e as Error).message})`);
        continue;
      }
      st.scored++;
      countBand(st.bands, severityFor(s.score, o.thresholds, legacy).severity);
      if (s.score < o.minScore) continue;
      const ports = portsText(sg.port, a, b, this.portLabels.labels);
      const pair = this.pairOf(st, 'sni', src, dstList(sg.dst, a, b, this.dstNames), fqdn, count, unique, origSum, resp, first, last, win, s, ports, chart(s.intervals), chart(s.sizes), charts ? s.hist : NO_VALUES);
      st.out.push(st.store ? st.store.addPair(pair) : pair);
    }
    // IP pairs, in first-seen order, each with its records in arrival order (incl. SNI give-back)
    st.exchange = this.ipTable.exchanges(ip.size);
    st.g = ip.grouped();
    // how many kept records the observation window leaves out (a stray late record moves it past the rest)
    // (with no window — the kept records all in one second — every kept record is counted, none older)
    const w = legacy ? legacyWin : finalWin;
    const fromMs = w ? (legacy ? w.min : Math.floor(w.min / 3600) * 3600) * 1000 : -Infinity;
    let older = 0;
    let olderFirst = Infinity;
    let olderLast = -Infinity;
    const isOlder = (t: number) => {
      if (t >= fromMs) return;
      older++;
      if (t < olderFirst) olderFirst = Math.floor(t / 1000) * 1000;
      if (t > olderLast) olderLast = Math.floor(t / 1000) * 1000;
    };
    const ts = st.g.ts;
    for (let i = 0; i < ts.length; i++) isOlder(ts[i]);
    let kept = ts.length;
    for (let p = 0; p < sni.size; p++) {
      if (givenBack[p]) continue; // its records are in st.g now
      kept += sg.start[p + 1] - sg.start[p];
      for (let i = sg.start[p]; i < sg.start[p + 1]; i++) isOlder(sg.ts[i]);
    }
    st.keptRecords = kept;
    st.olderThanWindow = older;
    st.olderFirstMs = older > 0 ? olderFirst : NaN;
    st.olderLastMs = older > 0 ? olderLast : NaN;
    return st;
  }

  /** One listed pair (key order of {@link BeaconPair} as always). */
  private pairOf(
    st: FinishState,
    type: BeaconType,
    src: string,
    dst: string,
    fqdn: string,
    count: number,
    unique: number,
    origSum: number,
    resp: number,
    first: number,
    last: number,
    win: Win,
    s: Omit<PairScore, 'intervals' | 'sizes' | 'hist' | 'edges'> & { intervals: { mode: number; modeCount: number }; sizes: { mode: number; modeCount: number } },
    ports: string,
    intervals: { values: number[]; counts: number[] },
    sizes: { values: number[]; counts: number[] },
    hist: number[],
  ): BeaconPair {
    const sev = severityFor(s.score, this.options.thresholds, st.legacy);
    return {
      type,
      src,
      dst,
      fqdn,
      count,
      uniqueTs: unique,
      bytes: origSum + resp,
      origBytes: origSum,
      score: s.score,
      tsScore: s.tsScore,
      dsScore: s.dsScore,
      durScore: s.durScore,
      histScore: s.histScore,
      severity: sev.severity,
      threat: sev.threat,
      firstSeenMs: first,
      lastSeenMs: last,
      ports,
      tsSkew: s.tsSkew,
      tsMad: s.tsMad,
      dsSkew: s.dsSkew,
      dsMad: s.dsMad,
      ...(s.dsSmallness !== undefined ? { dsSmallness: s.dsSmallness } : {}),
      coverage: s.coverage,
      consistency: s.consistency,
      cvScore: s.cvScore,
      bimodalScore: s.bimodalScore,
      totalBars: s.totalBars,
      longestRun: s.longestRun,
      tsMode: s.intervals.mode,
      tsModeCount: s.intervals.modeCount,
      dsMode: s.sizes.mode,
      dsModeCount: s.sizes.modeCount,
      intervals,
      sizes,
      hist,
      histEdgesMs: this.edgesMs(st, win.min, win.max),
      windowStartMs: win.min * 1000,
      windowEndMs: win.max * 1000,
      // (only SNI pairs are made here: their records have a TLS SNI or an HTTP Host, they carried data)
      exchange: EXCHANGE_DATA,
    };
  }

  /** Bin edges (ms) of a window: one array per window, shared by every pair with that window. */
  private edgesMs(st: FinishState, min: number, max: number): number[] {
    let byMax = st.edgesByWin.get(min);
    if (!byMax) st.edgesByWin.set(min, (byMax = new Map()));
    let e = byMax.get(max);
    if (!e) {
      const edges = st.legacy ? histogramLegacy(min, max, []).edges : histogramEdgesV5(min, max);
      byMax.set(max, (e = edges.map((x) => x * 1000)));
    }
    return e;
  }

  /** Turns the scoring rows of IP pairs `[k0, k0 + m)` into strobes, notes and listed pairs. */
  private finishRows(st: FinishState, k0: number, rows: IpScoreRows): void {
    const { kind, num, varOff, lens, vars } = rows;
    const m = kind.length;
    const g = st.g;
    const labels = this.portLabels.labels;
    const names = this.names.strings;
    const ip = this.ip;
    const thresholds = this.options.thresholds;
    let err = 0;
    const ports = (k: number): string => portsText(g.port, g.start[k], g.start[k + 1], labels);
    const list = (a: number, n: number): number[] => {
      const xs = new Array<number>(n);
      for (let i = 0; i < n; i++) xs[i] = vars[a + i];
      return xs;
    };
    const store = st.store;
    if (store) {
      let listed = 0;
      for (let j = 0; j < m; j++) if (kind[j] === PairKind.Listed) listed++;
      store.reserve(listed, varOff[m]);
    }
    const detail = new Array<number | undefined>(BEACON_DETAIL_FIELDS.length); // BEACON_DETAIL_FIELDS order
    const xs = st.exchange!;
    for (let j = 0; j < m; j++) {
      const c = kind[j];
      if (c === PairKind.NoWindow || c === PairKind.NotQualified) continue;
      const k = k0 + j;
      const src = names[ip.src[k]];
      const dst = names[ip.dst[k]];
      const r = j * NUM;
      if (c === PairKind.Strobe) {
        st.strobes.push({ type: 'ip', src, dst, fqdn: '', count: num[r], bytes: num[r + 2] + num[r + 3], firstSeenMs: num[r + 4], lastSeenMs: num[r + 5] });
        continue;
      }
      if (c === PairKind.ScoreError) {
        st.scoreErrors++;
        const msg = rows.errors[err++];
        if (st.scoreErrors <= 5) st.notes.push(`${src} → ${dst}: not scored (${msg})`);
        continue;
      }
      st.scored++;
      countBand(st.bands, severityFor(num[r + 8], thresholds, st.legacy).severity);
      if (c !== PairKind.Listed) continue;
      const ni = lens[3 * j];
      const ns = lens[3 * j + 1];
      const nh = lens[3 * j + 2];
      let v = varOff[j];
      if (store) {
        // a row; its details go to the store (the chart lists are already in packed order in `vars`)
        const score = num[r + 8];
        const sev = severityFor(score, thresholds, st.legacy);
        const winMin = num[r + 6];
        const winMax = num[r + 7];
        for (let f = 0; f < DETAIL_NUM.length; f++) detail[f] = num[r + DETAIL_NUM[f]];
        if (!st.legacy) detail[DS_SMALLNESS] = undefined;
        detail[WINDOW_START] = winMin * 1000;
        detail[WINDOW_END] = winMax * 1000;
        const origSum = num[r + 2];
        const i = store.add(vars, v, ni, ns, nh, this.edgesMs(st, winMin, winMax), detail);
        const row: BeaconRow = { type: 'ip', src, dst, fqdn: '', count: num[r], uniqueTs: num[r + 1], bytes: origSum + num[r + 3], origBytes: origSum, score, tsScore: num[r + 9], dsScore: num[r + 10], durScore: num[r + 11], histScore: num[r + 12], severity: sev.severity, threat: sev.threat, firstSeenMs: num[r + 4], lastSeenMs: num[r + 5], ports: ports(k), tsMode: num[r + 24], dsMode: num[r + 26], exchange: xs[k], packed: store, packedIndex: i };
        st.out.push(row);
        continue;
      }
      // without charts every listed pair shares the same frozen empty lists (nothing writes to a pair's lists)
      const intervals = st.params.charts ? { values: list(v, ni), counts: list((v += ni), ni) } : NO_CHART;
      const sizes = st.params.charts ? { values: list((v += ni), ns), counts: list((v += ns), ns) } : NO_CHART;
      const hist = st.params.charts ? list((v += ns), nh) : NO_VALUES;
      const score = num[r + 8];
      const sev = severityFor(score, thresholds, st.legacy);
      const winMin = num[r + 6];
      const winMax = num[r + 7];
      const histEdgesMs = this.edgesMs(st, winMin, winMax);
      const origSum = num[r + 2];
      // two literals (key order of BeaconPair; dsSmallness only in legacy), no spread: cheap to build
      const pair: BeaconPair =
        st.legacy
          ? { type: 'ip', src, dst, fqdn: '', count: num[r], uniqueTs: num[r + 1], bytes: origSum + num[r + 3], origBytes: origSum, score, tsScore: num[r + 9], dsScore: num[r + 10], durScore: num[r + 11], histScore: num[r + 12], severity: sev.severity, threat: sev.threat, firstSeenMs: num[r + 4], lastSeenMs: num[r + 5], ports: ports(k), tsSkew: num[r + 13], tsMad: num[r + 14], dsSkew: num[r + 15], dsMad: num[r + 16], dsSmallness: num[r + 17], coverage: num[r + 18], consistency: num[r + 19], cvScore: num[r + 20], bimodalScore: num[r + 21], totalBars: num[r + 22], longestRun: num[r + 23], tsMode: num[r + 24], tsModeCount: num[r + 25], dsMode: num[r + 26], dsModeCount: num[r + 27], intervals, sizes, hist, histEdgesMs, windowStartMs: winMin * 1000, windowEndMs: winMax * 1000, exchange: xs[k] }
          : { type: 'ip', src, dst, fqdn: '', count: num[r], uniqueTs: num[r + 1], bytes: origSum + num[r + 3], origBytes: origSum, score, tsScore: num[r + 9], dsScore: num[r + 10], durScore: num[r + 11], histScore: num[r + 12], severity: sev.severity, threat: sev.threat, firstSeenMs: num[r + 4], lastSeenMs: num[r + 5], ports: ports(k), tsSkew: num[r + 13], tsMad: num[r + 14], dsSkew: num[r + 15], dsMad: num[r + 16], coverage: num[r + 18], consistency: num[r + 19], cvScore: num[r + 20], bimodalScore: num[r + 21], totalBars: num[r + 22], longestRun: num[r + 23], tsMode: num[r + 24], tsModeCount: num[r + 25], dsMode: num[r + 26], dsModeCount: num[r + 27], intervals, sizes, hist, histEdgesMs, windowStartMs: winMin * 1000, windowEndMs: winMax * 1000, exchange: xs[k] };
      st.out.push(pair);
    }
  }

  /** Sorts the listed pairs and strobes and assembles the outcome. */
  private finishEnd(st: FinishState): BeaconFinish<BeaconRow> {
    if (st.scoreErrors > 5) st.notes.push(`… ${(st.scoreErrors - 5).toLocaleString('en-US')} more pair${st.scoreErrors - 5 === 1 ? '' : 's'} not scored`);
    st.out = sortPairs(st.out);
    st.store?.trim();
    st.strobes.sort((a, b) => b.count - a.count || cmp(a.src, b.src) || cmp(a.fqdn || a.dst, b.fqdn || b.dst));
    const w = st.legacy ? st.legacyWin : st.finalWin;
    return { pairs: st.out, strobes: st.strobes, scored: st.scored, bands: st.bands, pairsSeen: st.pairsSeen, windowStart: w ? w.min * 1000 : NaN, windowEnd: w ? w.max * 1000 : NaN, notes: st.notes, keptRecords: st.keptRecords ?? 0, olderThanWindow: st.olderThanWindow ?? 0, olderFirstMs: st.olderFirstMs ?? NaN, olderLastMs: st.olderLastMs ?? NaN, keptFirstMs: Number.isFinite(this.curMin) ? this.curMin * 1000 : NaN, keptLastMs: Number.isFinite(this.curMax) ? this.curMax * 1000 : NaN };
  }
}

/** Earliest plausible record time: 1990-01-01T00:00:00Z (epoch ms). Earlier times are placeholders (`ts` 0) or broken clocks. */
export const EARLIEST_TS_MS = 631_152_000_000;

/** How listed pairs carry their chart lists: true (full pairs), false (empty lists), `'packed'` (rows, details in a {@link PairDetailStore}). */
export type ChartsMode = boolean | 'packed';

/**
 * The `num` offsets (score-ip.ts rows) of {@link BEACON_DETAIL_FIELDS} up to `dsModeCount`, in its
 * order (`dsSmallness` at 17 is the legacy score's only); the window fields come from the window.
 */
const DETAIL_NUM = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 25, 27];
const DS_SMALLNESS = BEACON_DETAIL_FIELDS.indexOf('dsSmallness');
const WINDOW_START = BEACON_DETAIL_FIELDS.indexOf('windowStartMs');
const WINDOW_END = BEACON_DETAIL_FIELDS.indexOf('windowEndMs');

/** What {@link BeaconAggregator.finish} returns. */
export interface BeaconFinish<P extends BeaconRow = BeaconPair> {
  /** Full pairs, except in `'packed'` mode: rows ({@link BeaconRow}). */
  pairs: P[];
  strobes: BeaconStrobe[];
  scored: number;
  /** Every scored pair per severity band, also those below `minScore` (not listed); `none` not counted. */
  bands: { high: number; medium: number; low: number };
  pairsSeen: number;
  windowStart: number;
  windowEnd: number;
  notes: string[];
  /** Records kept after the filters, and how many of them are older than the (final) observation window. */
  keptRecords: number;
  olderThanWindow: number;
  /** Earliest and latest of those older records, epoch ms (NaN when there are none). */
  olderFirstMs: number;
  olderLastMs: number;
  /** Earliest and latest kept record (after the filters), epoch ms, whole seconds (NaN when none was kept). */
  keptFirstMs: number;
  keptLastMs: number;
}

/** State of one finish (see {@link BeaconAggregator.finish}). */
interface FinishState {
  /** Records kept after the filters (IP and SNI pairs) and how many are older than the observation window. */
  keptRecords?: number;
  olderThanWindow?: number;
  olderFirstMs?: number;
  olderLastMs?: number;
  /** Full pairs, or rows when `store` is set. */
  out: BeaconRow[];
  /** Set in `'packed'` mode: holds the listed pairs' details. */
  store: PairDetailStore | undefined;
  strobes: BeaconStrobe[];
  notes: string[];
  scored: number;
  bands: { high: number; medium: number; low: number };
  scoreErrors: number;
  pairsSeen: number;
  legacy: boolean;
  finalWin: Win | undefined;
  legacyWin: Win | undefined;
  edgesByWin: Map<number, Map<number, number[]>>;
  params: IpScoreParams;
  g: { start: Int32Array; ts: Float64Array; orig: Float64Array; port: Int32Array };
  /** Per IP pair: the OR of its kept records' exchange classes ({@link BeaconPair.exchange}). */
  exchange?: Uint8Array;
}

/**
 * The Destination text of an SNI pair whose records `[a, b)` have destination ids `dst` (into
 * `names`): the distinct addresses by record count (descending; ties in first-seen order), '' left
 * out, comma-separated; at most 5, then `+n`.
 */
function dstList(dst: Int32Array, a: number, b: number, names: string[]): string {
  const seen = new Map<number, number>();
  for (let i = a; i < b; i++) seen.set(dst[i], (seen.get(dst[i]) ?? 0) + 1);
  const ids = [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => names[id]).filter((s) => s !== '');
  return ids.length > 5 ? `${ids.slice(0, 5).join(', ')} +${ids.length - 5}` : ids.join(', ');
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `pairs` in the order of `pairs.sort(comparePairs)` (a stable sort), as a new array: two stable
 * counting sorts by the ranks of connections then score (both descending; numbers ranked by
 * value, 0 and -0 equal) give the order by (score, connections) with ties by position; each run of
 * equal (score, connections) is then sorted by source, destination/FQDN and position (strings
 * compared with `<`, as {@link comparePairs} does). O(n + distinct values) plus small sorts
 * instead of n log n comparator calls. Falls back to the comparator sort when a score or
 * connection count is not finite (NaN, or ∞ − ∞, makes the comparator call items equal, which no
 * ranking can mirror).
 */
export function sortPairs<P extends BeaconRow>(pairs: P[]): P[] {
  const n = pairs.length;
  const score = new Float64Array(n);
  const count = new Float64Array(n);
  const src = new Array<string>(n);
  const key = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const p = pairs[i];
    score[i] = p.score;
    count[i] = p.count;
    if (!Number.isFinite(score[i]) || !Number.isFinite(count[i])) return [...pairs].sort(comparePairs);
    src[i] = p.src;
    key[i] = p.fqdn || p.dst;
  }
  const scoreRank = rankNumbers(score);
  const countRank = rankNumbers(count);
  let order: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order = countingSort(order, countRank.rank, countRank.size);
  order = countingSort(order, scoreRank.rank, scoreRank.size);
  const byText = (a: number, b: number) => cmp(src[a], src[b]) || cmp(key[a], key[b]) || a - b;
  const run: number[] = [];
  for (let i = 0; i < n; ) {
    const s = scoreRank.rank[order[i]];
    const c = countRank.rank[order[i]];
    let j = i + 1;
    while (j < n && scoreRank.rank[order[j]] === s && countRank.rank[order[j]] === c) j++;
    if (j - i > 1) {
      run.length = 0;
      for (let k = i; k < j; k++) run.push(order[k]);
      run.sort(byText);
      for (let k = i; k < j; k++) order[k] = run[k - i];
    }
    i = j;
  }
  const out = new Array<P>(n);
  for (let i = 0; i < n; i++) out[i] = pairs[order[i]];
  return out;
}

/** Dense rank (0 = smallest) of each value (finite; 0 and -0 are one value), and the number of distinct values. */
function rankNumbers(xs: Float64Array): { rank: Int32Array; size: number } {
  const sorted = Float64Array.from(xs).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const ids = new Map<number, number>();
  for (let r = 0; r < distinct.length; r++) ids.set(distinct[r], r);
  const rank = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) rank[i] = ids.get(xs[i])!;
  return { rank, size: distinct.length };
}

/** Stable counting sort of the item indexes `order` by `key[item]` (0…size − 1), highest key first. */
function countingSort(order: Int32Array, key: Int32Array, size: number): Int32Array {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < order.length; i++) start[size - key[order[i]]]++;
  for (let r = 0; r < size; r++) start[r + 1] += start[r];
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[start[size - 1 - key[order[i]]]++] = order[i];
  return out;
}

/** Result order: score desc, connections desc, source, destination/FQDN. */
export function comparePairs(a: BeaconRow, b: BeaconRow): number {
  return b.score - a.score || b.count - a.count || cmp(a.src, b.src) || cmp(a.fqdn || a.dst, b.fqdn || b.dst);
}
