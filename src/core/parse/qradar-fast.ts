/**
 * Byte-level reader of one QRadar offense object (`GET /api/siem/offenses` element, qradar.md §1),
 * used by the streaming array reader ({@link QRadarArrayStream} in qradar.ts) and by the whole-text
 * reader when it has the file's ASCII bytes: it reads the fields the offense model uses straight
 * from the bytes, without building the parsed JSON object first (no `JSON.parse`, no raw object, no
 * element text).
 *
 * It is a fast path, not a second parser: it accepts only the usual shape and answers `-1` for
 * anything else, and the caller then reads that element the exact old way (split, `JSON.parse`,
 * key normalisation, {@link RecordReader}), which also reports every problem. Accepted: one valid
 * JSON object in UTF-8 whose keys are ASCII, lower-case, unescaped and not repeated among the
 * fields read (strings with non-ASCII bytes only when they are valid UTF-8); field values of the
 * plain types the old reader takes as they are (text fields: string or null; numbers: finite JSON
 * numbers or null; ids: integral numbers that a JavaScript number holds exactly (|id| ≤ 2^53 − 1); times: integral epoch ms inside 1990–2100, `0` or null;
 * flags: booleans or null; `categories`/`destination_networks`: lists of strings or null;
 * `rules`/`log_sources`: lists of objects whose used keys hold such values, with a rule `id` and a
 * non-blank log source `name`); every other member is any valid JSON value, checked and skipped.
 * Strings with escapes are decoded by `JSON.parse` of the string itself.
 */
import { isUtf8 } from 'node:buffer';
import type { QRadarLogSourceRef, QRadarRuleRef } from './qradar-model';

/**
 * Values of one offense as {@link readNormalizedOffense} (qradar.ts) reads them, before they are
 * normalised (trimmed, upper-cased, interned) and built into a `QRadarOffense`. `undefined` = the
 * field has no value. Reused from element to element.
 */
export interface OffenseFields {
  /** Bit per key of {@link PRESENCE_KEYS} present in the object (null values count). */
  present: number;
  description: string | undefined;
  id: number | undefined;
  /** An id beyond 2^53 − 1 as written (read by the exact reader only; the byte reader leaves such an object to it). */
  idText: string | undefined;
  categories: string[] | undefined;
  destinationNetworks: string[] | undefined;
  status: string | undefined;
  offenseTypeName: string | undefined;
  offenseType: number | undefined;
  closingReasonText: string | undefined;
  closingReasonId: number | undefined;
  offenseSource: string | undefined;
  magnitude: number | undefined;
  severity: number | undefined;
  credibility: number | undefined;
  relevance: number | undefined;
  eventCount: number | undefined;
  flowCount: number | undefined;
  assignedTo: string | undefined;
  closingUser: string | undefined;
  startTime: number | undefined;
  lastUpdatedTime: number | undefined;
  closeTime: number | undefined;
  firstPersistedTime: number | undefined;
  lastPersistedTime: number | undefined;
  sourceNetwork: string | undefined;
  followUp: boolean | undefined;
  protected: boolean | undefined;
  inactive: boolean | undefined;
  domainId: number | undefined;
  sourceCount: number | undefined;
  localDestinationCount: number | undefined;
  remoteDestinationCount: number | undefined;
  rules: QRadarRuleRef[] | undefined;
  logSources: QRadarLogSourceRef[] | undefined;
}

/** Keys whose presence decides whether an object is an offense (classifyObject in qradar.ts). */
export const PRESENCE_KEYS = ['id', 'offense_source', 'offense_type', 'magnitude', 'description', 'start_time'] as const;
/** Bits of {@link OffenseFields.present}, one per key of {@link PRESENCE_KEYS} (in that order). */
export const P_ID = 1;
export const P_SOURCE = 2;
export const P_TYPE = 4;
export const P_MAGNITUDE = 8;
export const P_DESCRIPTION = 16;
export const P_START = 32;

const enum T {
  Str,
  Num,
  Int,
  Time,
  Bool,
  Strs,
  Rules,
  LogSources,
  /** A member the model does not use: any JSON value, checked and skipped. */
  Skip,
}

/** Offense keys read by the model: key, value type, field, presence bit. */
const FIELDS: [string, T, keyof OffenseFields, number][] = [
  ['description', T.Str, 'description', P_DESCRIPTION],
  ['id', T.Int, 'id', P_ID],
  ['categories', T.Strs, 'categories', 0],
  ['destination_networks', T.Strs, 'destinationNetworks', 0],
  ['status', T.Str, 'status', 0],
  ['offense_type', T.Int, 'offenseType', P_TYPE],
  ['closing_reason_id', T.Int, 'closingReasonId', 0],
  ['offense_source', T.Str, 'offenseSource', P_SOURCE],
  ['magnitude', T.Num, 'magnitude', P_MAGNITUDE],
  ['severity', T.Num, 'severity', 0],
  ['credibility', T.Num, 'credibility', 0],
  ['relevance', T.Num, 'relevance', 0],
  ['event_count', T.Num, 'eventCount', 0],
  ['flow_count', T.Num, 'flowCount', 0],
  ['assigned_to', T.Str, 'assignedTo', 0],
  ['closing_user', T.Str, 'closingUser', 0],
  ['start_time', T.Time, 'startTime', P_START],
  ['last_updated_time', T.Time, 'lastUpdatedTime', 0],
  ['close_time', T.Time, 'closeTime', 0],
  ['first_persisted_time', T.Time, 'firstPersistedTime', 0],
  ['last_persisted_time', T.Time, 'lastPersistedTime', 0],
  ['source_network', T.Str, 'sourceNetwork', 0],
  ['follow_up', T.Bool, 'followUp', 0],
  ['protected', T.Bool, 'protected', 0],
  ['inactive', T.Bool, 'inactive', 0],
  ['domain_id', T.Int, 'domainId', 0],
  ['source_count', T.Num, 'sourceCount', 0],
  ['local_destination_count', T.Num, 'localDestinationCount', 0],
  ['remote_destination_count', T.Num, 'remoteDestinationCount', 0],
  ['rules', T.Rules, 'rules', 0],
  ['log_sources', T.LogSources, 'logSources', 0],
];

/** Members of API offenses that the model does not read (listed so their keys are found fast). */
const IGNORED = [
  'category_count',
  'policy_category_count',
  'security_category_count',
  'source_address_ids',
  'local_destination_address_ids',
  'device_count',
  'username_count',
  'follow_up_count',
];

/** Every known key: the fields, then the ignored members. */
const KEYS: [string, T][] = [...FIELDS.map((x): [string, T] => [x[0], x[1]]), ...IGNORED.map((k): [string, T] => [k, T.Skip])];
const NF = FIELDS.length;
const NK = KEYS.length;

/** Keys of rule / log source objects that are read (others are skipped). */
const RULE_KEYS = ['id', 'type', 'name'];
const LOG_SOURCE_KEYS = ['id', 'name', 'type_id', 'type_name'];

/** Plausible range of epoch ms (toEpochMs in qradar-values.ts). */
const MIN_MS = 631152000000;
const MAX_MS = 4102444800000;
/** Nesting bound of skipped values (deeper values take the exact path). */
const MAX_DEPTH = 64;

type RawBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/** Key tables: key bytes by index, and per key length the indexes of keys of that length. */
class KeyTable {
  readonly bytes: Uint8Array[];
  readonly byLength: number[][] = [];
  /** Key bytes as little-endian 32-bit words (whole words only). */
  readonly words: number[][];
  constructor(readonly names: readonly string[]) {
    this.bytes = names.map((k) => Buffer.from(k, 'latin1'));
    this.words = this.bytes.map((b) => Array.from({ length: b.length >> 2 }, (_, j) => (b[4 * j] | (b[4 * j + 1] << 8) | (b[4 * j + 2] << 16) | (b[4 * j + 3] << 24)) >>> 0));
    names.forEach((k, i) => (this.byLength[k.length] ??= []).push(i));
  }
  /** Key `i` followed by its closing quote at `buf[s..]` (the key string's first character at `s`); compared 4 bytes at a time. */
  at(buf: Uint8Array, dv: DataView, s: number, end: number, i: number): boolean {
    if (i < 0) return false;
    const k = this.bytes[i];
    const n = k.length;
    if (s + n >= end || buf[s + n] !== 34) return false;
    const w = this.words[i];
    let j = 0;
    for (; j + 4 <= n; j += 4) if (dv.getUint32(s + j, true) !== w[j >> 2]) return false;
    for (; j < n; j++) if (buf[s + j] !== k[j]) return false;
    return true;
  }
  /** Index of the key `buf[s..e)`, or -1. */
  find(buf: Uint8Array, s: number, e: number): number {
    const c = this.byLength[e - s];
    if (c === undefined) return -1;
    for (let j = 0; j < c.length; j++) if (same(buf, s, this.bytes[c[j]])) return c[j];
    return -1;
  }
}

function same(buf: Uint8Array, s: number, k: Uint8Array): boolean {
  for (let i = 0; i < k.length; i++) if (buf[s + i] !== k[i]) return false;
  return true;
}

/** The slot indexes written out in {@link OffenseByteReader} `fill` (kept in step with FIELDS). */
const FILL_ORDER = 'description id categories destinationNetworks status offenseType closingReasonId offenseSource magnitude severity credibility relevance eventCount flowCount assignedTo closingUser startTime lastUpdatedTime closeTime firstPersistedTime lastPersistedTime sourceNetwork followUp protected inactive domainId sourceCount localDestinationCount remoteDestinationCount rules logSources';
if (FIELDS.map((f) => f[2]).join(' ') !== FILL_ORDER) throw new Error('qradar-fast: FIELDS and fill() disagree');

const OFFENSE_KEYS = new KeyTable(KEYS.map((k) => k[0]));
const KEY_TYPES = KEYS.map((k) => k[1]);
const PRESENCE = Int32Array.from(KEYS.map((_, i) => (i < NF ? FIELDS[i][3] : 0)));
const RULE_TABLE = new KeyTable(RULE_KEYS);
const LOG_SOURCE_TABLE = new KeyTable(LOG_SOURCE_KEYS);

/** Cache size of short strings by their bytes (power of 2). */
const CACHE_SIZE = 4096;
/** Longest string kept in the short-string cache (raw length; descriptions usually fit). */
const CACHE_MAX_LEN = 160;

/**
 * Reads offense objects from UTF-8 bytes into an {@link OffenseFields}; see the module comment for
 * what it accepts. Not re-entrant; one per stream.
 */
export class OffenseByteReader {
  /** The fields of the last object read successfully. */
  readonly f: OffenseFields = emptyFields();
  private buf: RawBuffer = Buffer.alloc(0) as RawBuffer;
  private dv: DataView = new DataView(new ArrayBuffer(0)) as DataView;
  private end = 0;
  private pos = 0;
  /**
   * Number value / string value of the last scalar read. `num` starts as `undefined` so that V8 keeps
   * the field tagged: small integers stay small integers (a double-typed field would box every
   * number it hands on, and the offenses' number fields would become boxed doubles too).
   */
  private num: number = undefined as unknown as number;
  private str: string | undefined = undefined;
  /**
   * Recently seen short strings by a hash of their bytes (no new string for a repeated value): the
   * raw bytes between the quotes (escapes not decoded; slot i at `i * CACHE_MAX_LEN`, compared 4
   * bytes at a time), their length (-1: empty slot) and the string value.
   */
  private readonly cacheBytes = new Uint8Array(CACHE_SIZE * CACHE_MAX_LEN);
  private readonly cacheDv = new DataView(this.cacheBytes.buffer);
  private readonly cacheLen = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cache: string[] = new Array<string>(CACHE_SIZE).fill('');
  /** Scratch lists (reused; the offense gets an exact-size copy). */
  private readonly tmpStrs: string[] = [];
  private readonly tmpRules: QRadarRuleRef[] = [];
  private readonly tmpLogSources: QRadarLogSourceRef[] = [];
  /** The key that followed each key (index NK: the first key, or after an unknown key) last time: tried first. */
  private readonly next = new Int8Array(NK + 1).fill(-1);
  /** Per key of the object being read: 0 absent, 1 null (no value), 2 value in `refs`. */
  private readonly state = new Uint8Array(NK);
  private readonly refs: unknown[] = new Array<unknown>(NK).fill(undefined);

  /**
   * @param intern returns the kept copy of a text (log source names and types, as the exact reader does).
   */
  constructor(private readonly intern: (s: string) => string) {}

  /**
   * Reads the object that starts at `start` (a `{`) and ends before `end`. Returns the index after
   * its closing `}`, or -1 when the object is not of the accepted shape or does not end before
   * `end` (nothing is reported; the caller reads it the exact way). The buffer is UTF-8; bytes
   * outside strings must be ASCII, strings with other bytes are taken only when valid UTF-8.
   */
  read(buf: Buffer, start: number, end: number): number {
    if (buf !== this.buf) {
      this.buf = buf as RawBuffer;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.end = end;
    this.pos = start;
    try {
      return this.object() ? this.pos : -1;
    } catch {
      return -1; // escape decoding failed: not valid JSON, the exact path reports it
    }
  }

  private ws(): number {
    const b = this.buf;
    let p = this.pos;
    const e = this.end;
    while (p < e) {
      const c = b[p];
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      p++;
    }
    this.pos = p;
    return p < e ? b[p] : -1;
  }

  /** The offense object at `pos`; values go to the slots, then (complete and valid) to `f`. */
  private object(): boolean {
    const b = this.buf;
    if (b[this.pos] !== 123) return false;
    this.pos++;
    let c = this.ws();
    if (c !== 34) return false; // `{}` or junk: not an offense anyway
    const state = this.state;
    state.fill(0);
    let prev = NK;
    for (;;) {
      // key: the one that followed the previous key last time, else looked up
      const ks = this.pos + 1;
      let k = this.next[prev];
      if (OFFENSE_KEYS.at(b, this.dv, ks, this.end, k)) this.pos = ks + OFFENSE_KEYS.bytes[k].length + 1;
      else {
        const ke = this.rawKey();
        if (ke < 0) return false;
        k = OFFENSE_KEYS.find(b, ks, ke);
        if (k < 0) {
          // another member: lower-case key (unchanged by key normalisation), any JSON value
          for (let i = ks; i < ke; i++) if (b[i] >= 65 && b[i] <= 90) return false;
          if (this.ws() !== 58) return false;
          this.pos++;
          if (this.ws() < 0 || !this.skip(0)) return false;
          prev = NK;
          c = this.ws();
          if (c === 44) {
            this.pos++;
            if (this.ws() !== 34) return false;
            continue;
          }
          if (c === 125) break;
          return false;
        }
        this.next[prev] = k;
      }
      prev = k;
      if (state[k] !== 0) return false; // repeated key
      if (this.ws() !== 58) return false;
      this.pos++;
      if (this.ws() < 0 || !this.field(KEY_TYPES[k], k)) return false;
      c = this.ws();
      if (c === 44) {
        this.pos++;
        if (this.ws() !== 34) return false;
        continue;
      }
      if (c === 125) break;
      return false;
    }
    this.pos++;
    this.fill();
    return true;
  }

  /** Copies the slots of the object just read into `f` (slot i = FIELDS[i], see FILL_ORDER). */
  private fill(): void {
    const f = this.f;
    const st = this.state;
    const r = this.refs;
    let present = 0;
    for (let i = 0; i < NF; i++) if (st[i] !== 0) present |= PRESENCE[i];
    f.present = present;
    f.description = st[0] === 2 ? (r[0] as string) : undefined;
    r[0] = undefined;
    f.id = st[1] === 2 ? (r[1] as number) : undefined;
    f.categories = st[2] === 2 ? (r[2] as string[]) : undefined;
    r[2] = undefined;
    f.destinationNetworks = st[3] === 2 ? (r[3] as string[]) : undefined;
    r[3] = undefined;
    f.status = st[4] === 2 ? (r[4] as string) : undefined;
    r[4] = undefined;
    f.offenseType = st[5] === 2 ? (r[5] as number) : undefined;
    f.closingReasonId = st[6] === 2 ? (r[6] as number) : undefined;
    f.offenseSource = st[7] === 2 ? (r[7] as string) : undefined;
    r[7] = undefined;
    f.magnitude = st[8] === 2 ? (r[8] as number) : undefined;
    f.severity = st[9] === 2 ? (r[9] as number) : undefined;
    f.credibility = st[10] === 2 ? (r[10] as number) : undefined;
    f.relevance = st[11] === 2 ? (r[11] as number) : undefined;
    f.eventCount = st[12] === 2 ? (r[12] as number) : undefined;
    f.flowCount = st[13] === 2 ? (r[13] as number) : undefined;
    f.assignedTo = st[14] === 2 ? (r[14] as string) : undefined;
    r[14] = undefined;
    f.closingUser = st[15] === 2 ? (r[15] as string) : undefined;
    r[15] = undefined;
    f.startTime = st[16] === 2 ? (r[16] as number) : undefined;
    f.lastUpdatedTime = st[17] === 2 ? (r[17] as number) : undefined;
    f.closeTime = st[18] === 2 ? (r[18] as number) : undefined;
    f.firstPersistedTime = st[19] === 2 ? (r[19] as number) : undefined;
    f.lastPersistedTime = st[20] === 2 ? (r[20] as number) : undefined;
    f.sourceNetwork = st[21] === 2 ? (r[21] as string) : undefined;
    r[21] = undefined;
    f.followUp = st[22] === 2 ? (r[22] as boolean) : undefined;
    r[22] = undefined;
    f.protected = st[23] === 2 ? (r[23] as boolean) : undefined;
    r[23] = undefined;
    f.inactive = st[24] === 2 ? (r[24] as boolean) : undefined;
    r[24] = undefined;
    f.domainId = st[25] === 2 ? (r[25] as number) : undefined;
    f.sourceCount = st[26] === 2 ? (r[26] as number) : undefined;
    f.localDestinationCount = st[27] === 2 ? (r[27] as number) : undefined;
    f.remoteDestinationCount = st[28] === 2 ? (r[28] as number) : undefined;
    f.rules = st[29] === 2 ? (r[29] as QRadarRuleRef[]) : undefined;
    r[29] = undefined;
    f.logSources = st[30] === 2 ? (r[30] as QRadarLogSourceRef[]) : undefined;
    r[30] = undefined;
  }

  /** A key string at `pos` (a `"`) without escapes; returns the index of its closing quote (pos after it), or -1. */
  private rawKey(): number {
    const b = this.buf;
    const e = this.end;
    let p = this.pos + 1;
    for (; p < e; p++) {
      const c = b[p];
      if (c === 34) {
        this.pos = p + 1;
        return p;
      }
      if (c === 92 || c < 32 || c >= 128) return -1; // escapes and non-ASCII keys: exact path
    }
    return -1;
  }

  /** One member value of `type` at `pos` into slot `k` (state 1: null / no value, 2: value); false when not of the accepted shape. */
  private field(type: T, k: number): boolean {
    const b = this.buf;
    const c = b[this.pos];
    if (type === T.Skip) {
      this.state[k] = 1;
      return this.skip(0);
    }
    if (c === 110 /* n */) {
      if (!this.literal(NULL)) return false;
      this.state[k] = 1;
      return true;
    }
    let ok = true;
    switch (type) {
      case T.Str:
        if (c !== 34 || !this.string()) return false;
        this.refs[k] = this.str;
        break;
      case T.Num:
        if (!this.number()) return false;
        this.refs[k] = this.num;
        break;
      case T.Int:
        // an id beyond 2^53 would be rounded (two ids made one): the exact path keeps it as text and reports it
        if (!this.number() || !Number.isSafeInteger(this.num)) return false;
        this.refs[k] = this.num;
        break;
      case T.Time: {
        if (!this.number()) return false;
        const n = this.num;
        if (n === 0) {
          this.state[k] = 1; // QRadar's "not set"
          return true;
        }
        if (!(n >= MIN_MS && n <= MAX_MS && Number.isInteger(n))) return false;
        this.refs[k] = n;
        break;
      }
      case T.Bool:
        if (c === 116 && this.literal(TRUE)) this.refs[k] = true;
        else if (c === 102 && this.literal(FALSE)) this.refs[k] = false;
        else return false;
        break;
      case T.Strs:
        ok = this.strings(k);
        break;
      case T.Rules:
        ok = this.rules(k);
        break;
      case T.LogSources:
        ok = this.logSources(k);
        break;
      default:
        return false;
    }
    if (ok) this.state[k] = 2;
    return ok;
  }

  private literal(lit: Uint8Array): boolean {
    const p = this.pos;
    if (p + lit.length > this.end) return false;
    for (let i = 0; i < lit.length; i++) if (this.buf[p + i] !== lit[i]) return false;
    this.pos = p + lit.length;
    return true;
  }

  /**
   * A JSON string at `pos` (a `"`) into `str`: the same characters as `JSON.parse` gives (escapes
   * decoded by `JSON.parse` of the string; invalid escapes throw).
   */
  private string(): boolean {
    const b = this.buf;
    const e = this.end;
    const s = this.pos + 1;
    let p = s;
    let h = 0;
    let esc = false;
    let high = false;
    for (; p < e; p++) {
      let c = b[p];
      if (c === 34) break;
      if (c < 32) return false;
      if (c >= 128) high = true;
      else if (c === 92) {
        esc = true;
        if (++p === e) break; // the escaped character (a quote here does not end the string)
        h = (Math.imul(h, 31) + c) | 0;
        c = b[p];
      }
      h = (Math.imul(h, 31) + c) | 0;
    }
    if (p >= e) return false;
    this.pos = p + 1;
    if (high) {
      // UTF-8 text: taken only when valid (every decoder agrees then), never cached by bytes
      if (!isUtf8(b.subarray(s, p))) return false;
      this.str = esc ? (JSON.parse(b.utf8Slice(s - 1, p + 1)) as string) : b.utf8Slice(s, p);
      return true;
    }
    const len = p - s;
    if (len > CACHE_MAX_LEN) {
      this.str = esc ? (JSON.parse(b.latin1Slice(s - 1, p + 1)) as string) : b.latin1Slice(s, p);
      return true;
    }
    // short strings: the last string seen with this hash, when its bytes are the same
    const slot = (h ^ (h >>> 12) ^ len) & (CACHE_SIZE - 1);
    const base = slot * CACHE_MAX_LEN;
    const cb = this.cacheBytes;
    if (this.cacheLen[slot] === len) {
      const dv = this.dv;
      const cdv = this.cacheDv;
      let i = 0;
      while (i + 4 <= len && dv.getUint32(s + i, true) === cdv.getUint32(base + i, true)) i += 4;
      if (i + 4 > len) while (i < len && cb[base + i] === b[s + i]) i++;
      if (i === len) {
        this.str = this.cache[slot];
        return true;
      }
    }
    // with escapes, the characters are what JSON.parse gives (it throws on an invalid escape)
    const v = esc ? (JSON.parse(b.latin1Slice(s - 1, p + 1)) as string) : b.latin1Slice(s, p);
    for (let i = 0; i < len; i++) cb[base + i] = b[s + i];
    this.cacheLen[slot] = len;
    this.cache[slot] = v;
    this.str = v;
    return true;
  }

  /** A JSON number at `pos` (strict grammar) into `num`; false for anything else or a non-finite value. */
  private number(): boolean {
    const b = this.buf;
    const e = this.end;
    const s = this.pos;
    let p = s;
    let neg = false;
    if (p < e && b[p] === 45) {
      neg = true;
      p++;
    }
    if (p >= e) return false;
    let c = b[p];
    if (c === 48) {
      p++;
    } else if (c >= 49 && c <= 57) {
      p++;
      while (p < e && (c = b[p]) >= 48 && c <= 57) p++;
    } else return false;
    const intEnd = p;
    let plain = true;
    if (p < e && b[p] === 46) {
      plain = false;
      p++;
      const d = p;
      while (p < e && (c = b[p]) >= 48 && c <= 57) p++;
      if (p === d) return false;
    }
    if (p < e && (b[p] === 101 || b[p] === 69)) {
      plain = false;
      p++;
      if (p < e && (b[p] === 43 || b[p] === 45)) p++;
      const d = p;
      while (p < e && (c = b[p]) >= 48 && c <= 57) p++;
      if (p === d) return false;
    }
    if (p >= e) return false; // a number must be followed by something inside the object
    const digits = intEnd - s - (neg ? 1 : 0);
    let n: number;
    if (plain && digits <= 15) {
      n = 0;
      for (let i = neg ? s + 1 : s; i < intEnd; i++) n = n * 10 + (b[i] - 48);
      if (neg) n = -n;
    } else {
      n = Number(b.latin1Slice(s, p));
      if (!Number.isFinite(n)) return false;
    }
    this.num = n;
    this.pos = p;
    return true;
  }

  /**
   * `[` items `]` into slot `slot` as an exact-size list (`out` is scratch). `item(c)` reads one item
   * whose first byte `c` is at `pos` and returns it, or `undefined` when it is not a usual item (the
   * caller then takes the exact path).
   */
  private list<X>(slot: number, out: X[], item: (c: number) => X | undefined): boolean {
    if (this.buf[this.pos] !== 91) return false;
    this.pos++;
    let c = this.ws();
    let n = 0;
    if (c !== 93) {
      for (;;) {
        const x = item(c);
        if (x === undefined) return false;
        out[n++] = x;
        c = this.ws();
        if (c === 44) {
          this.pos++;
          c = this.ws();
          continue;
        }
        if (c === 93) break;
        return false;
      }
    }
    this.pos++;
    this.refs[slot] = exactCopy(out, n);
    return true;
  }

  /**
   * The members of one object at `pos` (its first byte `c` must be `{`, and it must have a member):
   * a key of `table` goes to `member(k, v)` with `pos` on the value (first byte `v`; each key at most
   * once), any other key's value is checked and skipped. False when the object is not usual.
   */
  private members(c: number, table: KeyTable, member: (k: number, v: number) => boolean): boolean {
    if (c !== 123) return false;
    this.pos++;
    if (this.ws() !== 34) return false;
    let seen = 0;
    for (;;) {
      const ks = this.pos + 1;
      const ke = this.rawKey();
      if (ke < 0 || this.ws() !== 58) return false;
      this.pos++;
      const v = this.ws();
      if (v < 0) return false;
      const k = table.find(this.buf, ks, ke);
      if (k < 0) {
        if (!this.skip(1)) return false;
      } else {
        if (seen & (1 << k)) return false;
        seen |= 1 << k;
        if (!member(k, v)) return false;
      }
      c = this.ws();
      if (c === 44) {
        this.pos++;
        if (this.ws() !== 34) return false;
        continue;
      }
      if (c !== 125) return false;
      this.pos++;
      return true;
    }
  }

  /** `[` strings `]` into slot `k` (an exact-size list). */
  private strings(k: number): boolean {
    return this.list(k, this.tmpStrs, (c) => (c === 34 && this.string() ? this.str! : undefined));
  }

  /** `rules`: `[` {id, type?, name?} … `]`, built like the exact reader (nonEmpty type / name). */
  private rules(slot: number): boolean {
    return this.list(slot, this.tmpRules, (c) => {
      let id: number | undefined;
      let type: string | undefined;
      let name: string | undefined;
      const usual = this.members(c, RULE_TABLE, (k, v) => {
        if (v === 110) return this.literal(NULL) && k !== 0; // id null: "missing" (exact path reports it)
        if (k === 0) {
          if (!this.number() || !Number.isSafeInteger(this.num)) return false;
          id = this.num;
        } else {
          if (v !== 34 || !this.string()) return false;
          if (k === 1) type = nonEmpty(this.str!);
          else name = nonEmpty(this.str!);
        }
        return true;
      });
      if (!usual || id === undefined) return undefined;
      return type ? (name ? { id, type, name } : { id, type }) : name ? { id, name } : { id };
    });
  }

  /** `log_sources`: `[` {id?, name, type_id?, type_name?} … `]`, built like the exact reader. */
  private logSources(slot: number): boolean {
    return this.list(slot, this.tmpLogSources, (c) => {
      let id: number | undefined;
      let name: string | undefined;
      let typeId: number | undefined;
      let typeName: string | undefined;
      const usual = this.members(c, LOG_SOURCE_TABLE, (k, v) => {
        if (v === 110) return this.literal(NULL);
        if (k === 0 || k === 2) {
          if (!this.number() || !Number.isSafeInteger(this.num)) return false;
          if (k === 0) id = this.num;
          else typeId = this.num;
        } else {
          if (v !== 34 || !this.string()) return false;
          if (k === 1) name = this.str;
          else typeName = nonEmpty(this.str!);
        }
        return true;
      });
      if (!usual || name === undefined || name.trim() === '') return undefined; // "missing" (exact path reports it)
      const ls: QRadarLogSourceRef = { name: this.intern(name), id, typeId, typeName: typeName === undefined ? undefined : this.intern(typeName) };
      return ls;
    });
  }

  /** Checks and skips any JSON value at `pos` (strict grammar; nesting bounded). */
  private skip(depth: number): boolean {
    const b = this.buf;
    const c = b[this.pos];
    if (c === 34) return this.skipString();
    if (c === 123 || c === 91) {
      if (depth >= MAX_DEPTH) return false;
      const close = c === 123 ? 125 : 93;
      this.pos++;
      let d = this.ws();
      if (d === close) {
        this.pos++;
        return true;
      }
      for (;;) {
        if (c === 123) {
          if (d !== 34 || !this.skipString()) return false;
          if (this.ws() !== 58) return false;
          this.pos++;
          if (this.ws() < 0) return false;
        }
        if (!this.skip(depth + 1)) return false;
        d = this.ws();
        if (d === 44) {
          this.pos++;
          d = this.ws();
          continue;
        }
        if (d === close) {
          this.pos++;
          return true;
        }
        return false;
      }
    }
    if (c === 116) return this.literal(TRUE);
    if (c === 102) return this.literal(FALSE);
    if (c === 110) return this.literal(NULL);
    return this.number();
  }

  /** Checks and skips a JSON string at `pos` (escapes checked: `\"\\/bfnrt` and `\u` + 4 hex digits; non-ASCII bytes must be valid UTF-8). */
  private skipString(): boolean {
    const b = this.buf;
    const e = this.end;
    const s = this.pos + 1;
    let p = s;
    let high = false;
    for (; p < e; p++) {
      const c = b[p];
      if (c === 34) {
        if (high && !isUtf8(b.subarray(s, p))) return false;
        this.pos = p + 1;
        return true;
      }
      if (c < 32) return false;
      if (c >= 128) high = true;
      if (c === 92) {
        if (++p >= e) return false;
        const x = b[p];
        if (x === 117) {
          if (p + 4 >= e) return false;
          for (let i = 1; i <= 4; i++) if (!isHex(b[p + i])) return false;
          p += 4;
        } else if (!(x === 34 || x === 92 || x === 47 || x === 98 || x === 102 || x === 110 || x === 114 || x === 116)) return false;
      }
    }
    return false;
  }
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** The first `n` items of `xs` as a new exact-size list (the scratch list keeps its items until overwritten). */
function exactCopy<T>(xs: T[], n: number): T[] {
  if (n === 0) return [];
  if (n === 1) return [xs[0]];
  if (n === 2) return [xs[0], xs[1]];
  return xs.slice(0, n);
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

const nonEmpty = (s: string) => (s.trim() === '' ? undefined : s);

/** An {@link OffenseFields} without values. */
export function emptyFields(): OffenseFields {
  const f = {} as OffenseFields;
  resetFields(f);
  return f;
}

/** Clears every value of `f` (the key order of the object stays the same). */
export function resetFields(f: OffenseFields): void {
  f.present = 0;
  f.description = undefined;
  f.id = undefined;
  f.idText = undefined;
  f.categories = undefined;
  f.destinationNetworks = undefined;
  f.status = undefined;
  f.offenseTypeName = undefined;
  f.offenseType = undefined;
  f.closingReasonText = undefined;
  f.closingReasonId = undefined;
  f.offenseSource = undefined;
  f.magnitude = undefined;
  f.severity = undefined;
  f.credibility = undefined;
  f.relevance = undefined;
  f.eventCount = undefined;
  f.flowCount = undefined;
  f.assignedTo = undefined;
  f.closingUser = undefined;
  f.startTime = undefined;
  f.lastUpdatedTime = undefined;
  f.closeTime = undefined;
  f.firstPersistedTime = undefined;
  f.lastPersistedTime = undefined;
  f.sourceNetwork = undefined;
  f.followUp = undefined;
  f.protected = undefined;
  f.inactive = undefined;
  f.domainId = undefined;
  f.sourceCount = undefined;
  f.localDestinationCount = undefined;
  f.remoteDestinationCount = undefined;
  f.rules = undefined;
  f.logSources = undefined;
}
