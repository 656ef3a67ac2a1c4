/**
 * QRadar JSON inputs, detected from content (qradar.md §5.3): offenses as a JSON array
 * (`GET /api/siem/offenses`), NDJSON (one offense per line), an object wrapping the array, or a
 * single offense object; closing reasons (§3, also the `id,text` CSV of the seed notebook), offense
 * types (§3), analytics rules. Ariel results, search status and API error bodies are recognised and
 * set aside. Every field is optional (§1 "Field order is not stable… treat every field as
 * optional"); numbers may be strings. Bad records and bad fields are reported with file, record,
 * line and field; every readable record (and every readable field of a damaged record) is kept.
 * Nothing here throws on bad data.
 */
import { JsonDepthError, parseJsonLimited } from '../json-depth';
import { isAscii } from 'node:buffer';
import { decodeUtf8OrCp1252 } from './cp1252';
import { cutText } from '../text-safe';
import type { ParseError } from '../model/common';
import type {
  QRadarClosingReason,
  QRadarFileKind,
  QRadarLogSourceRef,
  QRadarOffense,
  QRadarOffenseType,
  QRadarRule,
  QRadarRuleRef,
} from './qradar-model';
import { emptyFields, OffenseByteReader, P_DESCRIPTION, P_ID, P_MAGNITUDE, P_SOURCE, P_START, P_TYPE, resetFields, type OffenseFields } from './qradar-fast';
import { toBool, toEpochMs, toInt, toNumber, toText, unsafeIntegerProblem, type Coerced } from './qradar-values';

/** At most this many errors are kept per file (the count goes on). */
export const MAX_FILE_ERRORS = 5000;

/** Result of reading one JSON-ish file. */
export interface QRadarJsonResult {
  kind: QRadarFileKind;
  format: string;
  offenses: QRadarOffense[];
  closingReasons: QRadarClosingReason[];
  offenseTypes: QRadarOffenseType[];
  rules: QRadarRule[];
  errors: ParseError[];
  /** Records seen (good and bad) of the detected kind. */
  records: number;
  /** Why the file is not analyzed (kind `unrecognised`). */
  skipReason?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `OffenseSource` → `offense_source`, `ID` → `id` (XSOAR context keys, §5.3 item 5); snake_case unchanged. */
function snakeKey(k: string): string {
  if (k.includes('_') || k === k.toLowerCase()) return k;
  if (k === k.toUpperCase()) return k.toLowerCase();
  return k
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Keys already known to be snake_case (the usual case: every record repeats the same keys). */
const SNAKE_KEYS = new Set<string>();

function normalizeKeys(o: Obj): Obj {
  let changed = false;
  for (const k of Object.keys(o)) {
    if (SNAKE_KEYS.has(k)) continue;
    if (snakeKey(k) !== k) {
      changed = true;
      break;
    }
    if (SNAKE_KEYS.size < 10_000) SNAKE_KEYS.add(k);
  }
  if (!changed) return o;
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    const sk = snakeKey(k);
    if (!(sk in out)) out[sk] = v;
  }
  // XSOAR context aliases
  if (out.closing_reason !== undefined && out.closing_reason_id === undefined) out.closing_reason_id = out.closing_reason;
  return out;
}

// ---------------------------------------------------------------- classification

/** The kind of one JSON object (after key normalisation). */
export function classifyObject(o: Obj): QRadarFileKind {
  const has = (k: string) => k in o;
  if (has('id') && (has('offense_source') || has('offense_type') || has('magnitude') || (has('description') && has('start_time')))) return 'offenses';
  if (has('id') && has('text') && !has('note_text')) return 'closingReasons';
  if (has('id') && has('name') && (has('property_name') || has('database_type'))) return 'offenseTypes';
  if (has('id') && has('name') && (has('origin') || has('identifier') || has('owner')) && !has('type_id') && !has('child_items')) return 'rules';
  return 'unrecognised';
}

const MAX_REASON_MESSAGE = 1024;

/** The start of the reason of a file set aside because it is a QRadar API error answer (an HTTP 401 JSON body, …). */
export const API_ERROR_REASON = 'QRadar API error body';

/**
 * The problem (line 0) that names a file which is an error answer of the QRadar API saved in place of an export
 * (the export it stands for is missing). `reason`: the file's skip reason, starting with {@link API_ERROR_REASON}
 * (the server's message follows). Listed by `qradar` (text, --json, dashboard) and by `kpi`.
 */
export function apiErrorProblem(file: string, reason: string): ParseError {
  return { file, line: 0, message: `not an export: an error answer of the QRadar API (the request that wrote this file failed; skipped) — ${reason}` };
}

function skipReasonFor(o: Obj): string {
  // qradar-fetch's <stem>.manifest.json: the analysis reads it with its offenses file (a partial fetch is a problem)
  if (o.format === 'soc-analytics/qradar-offenses-fetch') return 'qradar-fetch manifest (its offenses file is analyzed; a partial fetch is reported as a problem)';
  if ('http_response' in o) {
    const m = toText(o.message);
    // the server's message whole up to the table cell limit (1,024 characters, README), cut with `…` beyond
    return `${API_ERROR_REASON}${m.ok && m.value ? `: ${cutText(m.value, MAX_REASON_MESSAGE)}` : ''}`;
  }
  if ('search_id' in o || 'cursor_id' in o) return 'Ariel search status (not analyzed)';
  if ('events' in o || 'flows' in o) return 'Ariel search results (not analyzed)';
  if ('note_text' in o) return 'offense notes (not analyzed)';
  return 'not QRadar offenses, closing reasons, offense types or rules';
}

function voteKind(objs: Obj[]): QRadarFileKind {
  const votes = new Map<QRadarFileKind, number>();
  for (const o of objs.slice(0, 20)) {
    const k = classifyObject(normalizeKeys(o));
    if (k !== 'unrecognised') votes.set(k, (votes.get(k) ?? 0) + 1);
  }
  let best: QRadarFileKind = 'unrecognised';
  let n = 0;
  for (const [k, c] of votes) if (c > n) [best, n] = [k, c];
  return best;
}

// ---------------------------------------------------------------- JSON array scanning

/** One top-level element of a JSON array: its text span and the 1-based line it starts on. */
interface Span {
  start: number;
  end: number;
  line: number;
}

/**
 * Splits the JSON array that opens at `open` (index of `[`) into element spans without parsing
 * them, so one damaged element costs only that element and a truncated file keeps every complete
 * element. Strings and escapes are respected. `truncated` when the text ends inside the array.
 * `skip` (optional) is asked at the start of each element that opens with `{` (`spans` holds the
 * elements before it): it may answer the index of the `,` or `]` that ends this element (it has
 * read the element itself and vouches that the split would end it there), and the scan goes on
 * from that index; -1 scans the element as usual.
 */
export function scanArray(
  text: string,
  open: number,
  startLine = 1,
  skip?: (start: number, line: number, spans: readonly Span[]) => number,
): { spans: Span[]; truncated: boolean; end: number } {
  const spans: Span[] = [];
  const len = text.length;
  // Lines are counted lazily: `line` = startLine + newlines before `lineAt`; `nl` = next newline at or after it.
  let line = startLine;
  let nl = text.indexOf('\n');
  const lineOf = (pos: number): number => {
    while (nl >= 0 && nl < pos) {
      line++;
      nl = text.indexOf('\n', nl + 1);
    }
    return line;
  };
  let depth = 0;
  let cur: Span | undefined;
  for (let i = open + 1; i < len; i++) {
    let c = text.charCodeAt(i);
    if (c === 34) {
      // a string (outside a string, a quote can only open one): skip to its closing quote
      if (!cur) cur = { start: i, end: i, line: lineOf(i) };
      for (i++; i < len; i++) {
        c = text.charCodeAt(i);
        if (c === 92) i++;
        else if (c === 34) break;
      }
      continue;
    }
    if (depth === 0 && (c === 44 /* , */ || c === 93) /* ] */) {
      if (cur) {
        cur.end = i;
        spans.push(cur);
        cur = undefined;
      }
      if (c === 93) return { spans, truncated: false, end: i + 1 };
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (!cur) {
      cur = { start: i, end: i, line: lineOf(i) };
      if (skip && c === 123) {
        const j = skip(i, cur.line, spans);
        if (j > i) {
          cur.end = j;
          spans.push(cur);
          cur = undefined;
          i = j - 1; // the separator is handled next (no current element)
          continue;
        }
      }
    }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  if (cur) {
    cur.end = text.length;
    spans.push(cur);
  }
  return { spans, truncated: true, end: text.length };
}

// ---------------------------------------------------------------- records

/**
 * Where a record's JSON text is: `text.slice(at.start, at.end)` (the record's object, valid JSON; `at` is the
 * span the array split made, so no object is made per record for it). Only read for the rare messages that need
 * a value as written (an integer beyond 2^53, which `JSON.parse` rounded).
 */
interface RawAt {
  start: number;
  end: number;
}

/** A whole text as {@link RawAt} (NDJSON lines, streamed elements). */
const WHOLE_TEXT: RawAt = { start: 0, end: Number.MAX_SAFE_INTEGER };

class RecordReader {
  readonly fieldProblems: string[] = [];
  constructor(
    readonly o: Obj,
    readonly rawText?: string,
    readonly rawAt?: RawAt,
  ) {}
  private take<T>(key: string, c: Coerced<T>): T | undefined {
    if (c.ok) return c.value;
    this.fieldProblems.push(`field "${key}": ${c.problem}`);
    return undefined;
  }
  // Fast paths answer the usual value types directly (same result as the coercion functions,
  // without a result object); everything else goes through the coercion functions.
  num(key: string): number | undefined {
    const v = this.o[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return this.nonFinite(key, v);
    return this.take(key, toNumber(v));
  }
  /** A JSON number that `JSON.parse` made ±Infinity (`1e400`): a problem naming it as written in the file when known. */
  private nonFinite(key: string, v: number): undefined {
    const written = this.rawText !== undefined && this.rawAt ? rawMemberNumber(this.rawText, this.rawAt, key, v) : undefined;
    if (written === undefined) {
      this.take(key, toNumber(v));
      return undefined;
    }
    const w = written.length > 40 ? `${written.slice(0, 39)}…` : written;
    this.fieldProblems.push(`field "${key}": not a finite number (${w} is beyond JavaScript's range, read as ${String(v)})`);
    return undefined;
  }
  int(key: string): number | undefined {
    const v = this.o[key];
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && !Number.isFinite(v)) return this.nonFinite(key, v);
    if (typeof v === 'number' && Number.isInteger(v) && this.rawText !== undefined && this.rawAt) {
      // beyond 2^53 JSON.parse rounded the number: the message names it as written in the file
      this.fieldProblems.push(`field "${key}": ${unsafeIntegerProblem(rawMemberNumber(this.rawText, this.rawAt, key, v), v)}`);
      return undefined;
    }
    return this.take(key, toInt(v));
  }
  text(key: string): string | undefined {
    const v = this.o[key];
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return undefined;
    return this.take(key, toText(v));
  }
  bool(key: string): boolean | undefined {
    const v = this.o[key];
    if (typeof v === 'boolean') return v;
    if (v === undefined || v === null) return undefined;
    return this.take(key, toBool(v));
  }
  time(key: string): number | undefined {
    const v = this.o[key];
    // integral epoch ms inside toEpochMs's plausible range (1990–2100) are returned as they are
    if (typeof v === 'number' && v >= 631152000000 && v <= 4102444800000 && Number.isInteger(v)) return v;
    return this.take(key, toEpochMs(v));
  }
  texts(key: string): string[] {
    const v = this.o[key];
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return v ? [v] : [];
    if (!Array.isArray(v)) {
      this.fieldProblems.push(`field "${key}": not a list`);
      return [];
    }
    // Usual case, a list of strings: an exact-size copy (a list grown by push keeps spare slots).
    let all = true;
    for (let i = 0; i < v.length && all; i++) if (typeof v[i] !== 'string') all = false;
    if (all) return v.slice() as string[];
    const out: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'string') {
        out.push(x);
        continue;
      }
      const t = toText(x);
      if (t.ok) {
        if (t.value !== undefined) out.push(t.value);
      } else this.fieldProblems.push(`field "${key}[${i}]": ${t.problem}`);
    }
    return out;
  }
  /**
   * The objects of list field `key`, each with its index in the list (`rules[3]` is the fourth element, whatever
   * elements before it are not objects); every other element is a problem `field "key[i]": not an object`.
   */
  list(key: string): { o: Obj; i: number }[] {
    const v = this.o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.fieldProblems.push(`field "${key}": not a list`);
      return [];
    }
    const out: { o: Obj; i: number }[] = [];
    v.forEach((x, i) => {
      if (isObj(x)) out.push({ o: x, i });
      else this.fieldProblems.push(`field "${key}[${i}]": not an object`);
    });
    return out;
  }
  sub(key: string, i: number, o: Obj) {
    const r = new RecordReader(o);
    return {
      r,
      flush: () => {
        for (const p of r.fieldProblems) this.fieldProblems.push(p.replace(/^field "/, `field "${key}[${i}].`));
      },
    };
  }
}

/** Label of offenses without a description. */
export const NO_DESCRIPTION = '(no description)';

/** First line of an offense description, trimmed (§1: strip the trailing newline, split on `\n`). */
export function descriptionLabel(description: string): string {
  const nl = description.search(/\r?\n/);
  return (nl >= 0 ? description.slice(0, nl) : description).trim();
}

const nonEmpty = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s);

/**
 * Texts that repeat across offenses (descriptions, categories, networks, log source names) are kept
 * once: the same characters, one string instead of one copy per offense (less memory held by the
 * result, less copying by the garbage collector). Bounded; texts beyond the bound are kept as read.
 */
const INTERN_MAX = 100_000;
const INTERNED = new Map<string, string>();
const LABELS = new Map<string, string>();
function intern(s: string): string {
  const t = INTERNED.get(s);
  if (t !== undefined) return t;
  if (INTERNED.size < INTERN_MAX) INTERNED.set(s, s);
  return s;
}
function internAll(xs: string[]): string[] {
  for (let i = 0; i < xs.length; i++) xs[i] = intern(xs[i]);
  return xs;
}

const isJsonSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The number that the top-level member `key` (a normalised key: `ID` and `Id` are `id`) of the JSON object in
 * `text[at.start, at.end)` holds, as written in the file (`9007199254740993`, which `JSON.parse` reads as 9007199254740992); of
 * several such members the last whose number is `read`. Undefined when there is none. Only for the rare integers
 * beyond 2^53 (messages and ids as written), never on the usual path.
 */
export function rawMemberNumber(text: string, at: RawAt, key: string, read: number): string | undefined {
  const end = Math.min(at.end, text.length);
  let i = text.indexOf('{', at.start);
  if (i < 0 || i >= end) return undefined;
  let depth = 0;
  let keyNext = false;
  let found: string | undefined;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const s = i;
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      if (depth !== 1 || !keyNext) continue;
      keyNext = false;
      let k: unknown;
      try {
        k = JSON.parse(text.slice(s, i + 1));
      } catch {
        continue;
      }
      if (typeof k !== 'string' || snakeKey(k) !== key) continue;
      let j = i + 1;
      while (j < end && (isJsonSpace(text.charCodeAt(j)) || text.charCodeAt(j) === 58)) j++;
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(j, Math.min(end, j + 400)));
      if (m && Number(m[0]) === read) found = m[0];
      continue;
    }
    if (c === 123 || c === 91) {
      depth++;
      if (depth === 1) keyNext = true;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 1) keyNext = true;
  }
  return found;
}

/**
 * The text of an offense id that a JavaScript number cannot hold exactly (an integer beyond ±(2^53 − 1), as a number
 * or a numeric string), as written in the file; undefined for any other value (a usual id, or one that is no
 * integer at all: {@link toInt} reports that).
 */
function unsafeIdText(v: unknown, text: string | undefined, at: RawAt | undefined): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? ((text !== undefined && at && rawMemberNumber(text, at, 'id', v)) || String(v)) : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  const n = toNumber(t);
  return n.ok && n.value !== undefined && Number.isInteger(n.value) && !Number.isSafeInteger(n.value) ? t : undefined;
}

/** The end of the problem text of an offense id kept as text ({@link QRadarOffense.idText}). */
/** How an offense without a readable start_time is counted (summarizeQRadar: undated, no other time stands in). */
const START_TIME_LEFT_EMPTY = 'field left empty, offense kept undated (in the totals, not in the range or per-day counts)';
/** The statuses of qradar.md §1; another text is kept as written and counted apart ("unknown status"). */
export const KNOWN_STATUSES: ReadonlySet<string> = new Set(['OPEN', 'HIDDEN', 'CLOSED']);
const STATUS_KEPT = 'kept as written, offense kept (counted as an unknown status, not open, hidden or closed)';
const ID_KEPT_AS_TEXT = 'id kept as text (shown, never used to tell duplicates), offense kept';

/**
 * One offense object (§1) → {@link QRadarOffense}. Field problems are returned as text (`field "x": …`);
 * the field is then left out. `closing_reason_id` and `offense_type` given as text (XSOAR enriched)
 * are kept as `closingReasonText` / `offenseTypeName`.
 */
export function readOffense(raw: Obj, file: string, record: number, line: number, text?: string, at?: RawAt): { offense: QRadarOffense; problems: string[] } {
  return readNormalizedOffense(normalizeKeys(raw), file, record, line, text, at);
}

/**
 * {@link readOffense} of an object whose keys are normalised already. Fields that have no value are
 * left out of the offense (never set, so offenses keep fast, compact object shapes); fields are read
 * (and problems reported) in the same order as they appear in the offense.
 */
function readNormalizedOffense(o: Obj, file: string, record: number, line: number, text?: string, at?: RawAt): { offense: QRadarOffense; problems: string[] } {
  const r = new RecordReader(o, text, at);
  const f = EXACT_FIELDS;
  resetFields(f);
  f.description = intern(r.text('description') ?? '');
  const id = o.id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) f.id = id;
  else if ((f.id = r.int('id')) === undefined) f.idText = unsafeIdText(id, text, at);
  f.categories = internAll(r.texts('categories'));
  f.destinationNetworks = internAll(r.texts('destination_networks'));
  let t: string | undefined;
  const status = nonEmpty(r.text('status'));
  if (status) {
    f.status = status.trim().toUpperCase();
    if (!KNOWN_STATUSES.has(f.status)) r.fieldProblems.push(`field "status": not OPEN, HIDDEN or CLOSED (${JSON.stringify(status.trim().slice(0, 40))})`);
  } else if (typeof o.status === 'string') r.fieldProblems.push('field "status": empty');
  // offense_type: id, or a type name (XSOAR enriched)
  if (typeof o.offense_type === 'string' && !/^\s*\d+\s*$/.test(o.offense_type)) f.offenseTypeName = o.offense_type;
  else f.offenseType = r.int('offense_type');
  if (typeof o.closing_reason_id === 'string' && !/^\s*\d+(\.0+)?\s*$/.test(o.closing_reason_id)) {
    if ((t = nonEmpty(o.closing_reason_id)) !== undefined) f.closingReasonText = t;
  } else f.closingReasonId = r.int('closing_reason_id');
  f.offenseSource = nonEmpty(r.text('offense_source'));
  f.magnitude = r.num('magnitude');
  f.severity = r.num('severity');
  f.credibility = r.num('credibility');
  f.relevance = r.num('relevance');
  f.eventCount = r.num('event_count');
  f.flowCount = r.num('flow_count');
  f.assignedTo = nonEmpty(r.text('assigned_to'));
  f.closingUser = nonEmpty(r.text('closing_user'));
  f.startTime = r.time('start_time');
  f.lastUpdatedTime = r.time('last_updated_time');
  f.closeTime = r.time('close_time');
  f.firstPersistedTime = r.time('first_persisted_time');
  f.lastPersistedTime = r.time('last_persisted_time');
  if ((t = nonEmpty(r.text('source_network'))) !== undefined) f.sourceNetwork = intern(t);
  f.followUp = r.bool('follow_up');
  f.protected = r.bool('protected');
  f.inactive = r.bool('inactive');
  f.domainId = r.int('domain_id');
  f.sourceCount = r.num('source_count');
  f.localDestinationCount = r.num('local_destination_count');
  f.remoteDestinationCount = r.num('remote_destination_count');
  f.rules = readRuleRefs(r);
  f.logSources = readLogSourceRefs(r);
  return { offense: buildOffense(f, file, record, line), problems: r.fieldProblems };
}

/** Values of the offense being read by {@link readNormalizedOffense} (reused; the reader is synchronous). */
const EXACT_FIELDS: OffenseFields = emptyFields();

/**
 * The offense of values read by either reader (normalised: trimmed/upper-cased status, interned
 * texts, blank texts as no value). Keys are set in one fixed order, only for fields with a value.
 */
function buildOffense(f: OffenseFields, file: string, record: number, line: number): QRadarOffense {
  const description = f.description ?? '';
  let label = LABELS.get(description);
  if (label === undefined) {
    label = descriptionLabel(description) || NO_DESCRIPTION;
    if (LABELS.size < INTERN_MAX) LABELS.set(description, label);
  }
  const categories = f.categories ?? [];
  const destinationNetworks = f.destinationNetworks ?? [];
  const rules = f.rules ?? [];
  const logSources = f.logSources ?? [];
  if (OFFENSE_BUILD.fullShapes) {
    const full = fullShapeOffense(f, description, label, categories, destinationNetworks, rules, logSources, file, line, record);
    if (full !== undefined) return full;
  }
  const off: QRadarOffense =
    f.id === undefined
      ? { description, label, categories, destinationNetworks, rules, logSources, source: { file, line }, record }
      : { id: f.id, description, label, categories, destinationNetworks, rules, logSources, source: { file, line }, record };
  if (f.idText !== undefined) off.idText = f.idText;
  if (f.status !== undefined) off.status = f.status;
  if (f.offenseTypeName !== undefined) off.offenseTypeName = f.offenseTypeName;
  else if (f.offenseType !== undefined) off.offenseType = f.offenseType;
  if (f.closingReasonText !== undefined) off.closingReasonText = f.closingReasonText;
  else if (f.closingReasonId !== undefined) off.closingReasonId = f.closingReasonId;
  if (f.offenseSource !== undefined) off.offenseSource = f.offenseSource;
  if (f.magnitude !== undefined) off.magnitude = f.magnitude;
  if (f.severity !== undefined) off.severity = f.severity;
  if (f.credibility !== undefined) off.credibility = f.credibility;
  if (f.relevance !== undefined) off.relevance = f.relevance;
  if (f.eventCount !== undefined) off.eventCount = f.eventCount;
  if (f.flowCount !== undefined) off.flowCount = f.flowCount;
  if (f.assignedTo !== undefined) off.assignedTo = f.assignedTo;
  if (f.closingUser !== undefined) off.closingUser = f.closingUser;
  if (f.startTime !== undefined) off.startTime = f.startTime;
  if (f.lastUpdatedTime !== undefined) off.lastUpdatedTime = f.lastUpdatedTime;
  if (f.closeTime !== undefined) off.closeTime = f.closeTime;
  if (f.firstPersistedTime !== undefined) off.firstPersistedTime = f.firstPersistedTime;
  if (f.lastPersistedTime !== undefined) off.lastPersistedTime = f.lastPersistedTime;
  if (f.sourceNetwork !== undefined) off.sourceNetwork = f.sourceNetwork;
  if (f.followUp !== undefined) off.followUp = f.followUp;
  if (f.protected !== undefined) off.protected = f.protected;
  if (f.inactive !== undefined) off.inactive = f.inactive;
  if (f.domainId !== undefined) off.domainId = f.domainId;
  if (f.sourceCount !== undefined) off.sourceCount = f.sourceCount;
  if (f.localDestinationCount !== undefined) off.localDestinationCount = f.localDestinationCount;
  if (f.remoteDestinationCount !== undefined) off.remoteDestinationCount = f.remoteDestinationCount;
  return off;
}

/**
 * Test hook: `fullShapes` false makes {@link buildOffense} set every offense's keys one by one (the
 * general path), so tests can compare the one-literal path of {@link fullShapeOffense} with it.
 * Always true outside tests.
 */
export const OFFENSE_BUILD: { fullShapes: boolean } = { fullShapes: true };

/**
 * The offense of {@link buildOffense} for the usual full shapes, built as one object literal (all keys
 * in-object, no property store regrown key by key): every field but `idText`, `offenseTypeName`,
 * `closingReasonText` has a value, except that `closingReasonId`, `closingUser` and `closeTime` are all
 * three set (closed) or all three missing (open) and `assignedTo` is set or missing. Keys are in exactly
 * the order {@link buildOffense} sets them; a missing field is absent, never `undefined`. Undefined for
 * any other shape (the caller then sets the keys one by one).
 */
function fullShapeOffense(
  f: OffenseFields,
  description: string,
  label: string,
  categories: string[],
  destinationNetworks: string[],
  rules: QRadarRuleRef[],
  logSources: QRadarLogSourceRef[],
  file: string,
  line: number,
  record: number,
): QRadarOffense | undefined {
  const id = f.id;
  const status = f.status;
  const offenseType = f.offenseType;
  const offenseSource = f.offenseSource;
  const magnitude = f.magnitude;
  const severity = f.severity;
  const credibility = f.credibility;
  const relevance = f.relevance;
  const eventCount = f.eventCount;
  const flowCount = f.flowCount;
  const startTime = f.startTime;
  const lastUpdatedTime = f.lastUpdatedTime;
  const firstPersistedTime = f.firstPersistedTime;
  const lastPersistedTime = f.lastPersistedTime;
  const sourceNetwork = f.sourceNetwork;
  const followUp = f.followUp;
  const prot = f.protected;
  const inactive = f.inactive;
  const domainId = f.domainId;
  const sourceCount = f.sourceCount;
  const localDestinationCount = f.localDestinationCount;
  const remoteDestinationCount = f.remoteDestinationCount;
  if (
    id === undefined ||
    f.idText !== undefined ||
    status === undefined ||
    f.offenseTypeName !== undefined ||
    offenseType === undefined ||
    f.closingReasonText !== undefined ||
    offenseSource === undefined ||
    magnitude === undefined ||
    severity === undefined ||
    credibility === undefined ||
    relevance === undefined ||
    eventCount === undefined ||
    flowCount === undefined ||
    startTime === undefined ||
    lastUpdatedTime === undefined ||
    firstPersistedTime === undefined ||
    lastPersistedTime === undefined ||
    sourceNetwork === undefined ||
    followUp === undefined ||
    prot === undefined ||
    inactive === undefined ||
    domainId === undefined ||
    sourceCount === undefined ||
    localDestinationCount === undefined ||
    remoteDestinationCount === undefined
  )
    return undefined;
  const closingReasonId = f.closingReasonId;
  const closingUser = f.closingUser;
  const closeTime = f.closeTime;
  const assignedTo = f.assignedTo;
  const source = { file, line };
  if (closingReasonId !== undefined && closingUser !== undefined && closeTime !== undefined) {
    return assignedTo !== undefined
      ? { id, description, label, categories, destinationNetworks, rules, logSources, source, record, status, offenseType, closingReasonId, offenseSource, magnitude, severity, credibility, relevance, eventCount, flowCount, assignedTo, closingUser, startTime, lastUpdatedTime, closeTime, firstPersistedTime, lastPersistedTime, sourceNetwork, followUp, protected: prot, inactive, domainId, sourceCount, localDestinationCount, remoteDestinationCount }
      : { id, description, label, categories, destinationNetworks, rules, logSources, source, record, status, offenseType, closingReasonId, offenseSource, magnitude, severity, credibility, relevance, eventCount, flowCount, closingUser, startTime, lastUpdatedTime, closeTime, firstPersistedTime, lastPersistedTime, sourceNetwork, followUp, protected: prot, inactive, domainId, sourceCount, localDestinationCount, remoteDestinationCount };
  }
  if (closingReasonId !== undefined || closingUser !== undefined || closeTime !== undefined) return undefined;
  return assignedTo !== undefined
    ? { id, description, label, categories, destinationNetworks, rules, logSources, source, record, status, offenseType, offenseSource, magnitude, severity, credibility, relevance, eventCount, flowCount, assignedTo, startTime, lastUpdatedTime, firstPersistedTime, lastPersistedTime, sourceNetwork, followUp, protected: prot, inactive, domainId, sourceCount, localDestinationCount, remoteDestinationCount }
    : { id, description, label, categories, destinationNetworks, rules, logSources, source, record, status, offenseType, offenseSource, magnitude, severity, credibility, relevance, eventCount, flowCount, startTime, lastUpdatedTime, firstPersistedTime, lastPersistedTime, sourceNetwork, followUp, protected: prot, inactive, domainId, sourceCount, localDestinationCount, remoteDestinationCount };
}

/**
 * The offense read by the byte reader ({@link OffenseByteReader}), normalised as
 * {@link readNormalizedOffense} does; undefined when the object would not be classified as an
 * offense (the exact path then reports it).
 */
function offenseFromBytes(f: OffenseFields, file: string, record: number, line: number): QRadarOffense | undefined {
  const p = f.present;
  if (!(p & P_ID) || !(p & (P_SOURCE | P_TYPE | P_MAGNITUDE) || (p & P_DESCRIPTION && p & P_START))) return undefined;
  f.description = intern(f.description ?? '');
  f.categories = f.categories === undefined ? undefined : internAll(f.categories);
  f.destinationNetworks = f.destinationNetworks === undefined ? undefined : internAll(f.destinationNetworks);
  const status = f.status === undefined ? undefined : nonEmpty(f.status);
  // an empty status is a problem the exact reader reports (as an unknown status is)
  if (f.status !== undefined && !status) return undefined;
  f.status = status ? status.trim().toUpperCase() : undefined;
  // a status other than OPEN, HIDDEN or CLOSED is a problem the exact reader reports (with its record and line)
  if (f.status !== undefined && !KNOWN_STATUSES.has(f.status)) return undefined;
  f.offenseSource = nonEmpty(f.offenseSource);
  f.assignedTo = nonEmpty(f.assignedTo);
  f.closingUser = nonEmpty(f.closingUser);
  const sn = nonEmpty(f.sourceNetwork);
  f.sourceNetwork = sn === undefined ? undefined : intern(sn);
  return buildOffense(f, file, record, line);
}

/** `v` is a list whose every element is a plain object (no holes). */
function allObjects(v: unknown): v is Obj[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isObj(v[i])) return false;
  return true;
}

/** Exact-size list (a list grown by push keeps spare slots; these lists are held by every offense). */
const exact = <T>(xs: T[]): T[] => (xs.length === 0 ? [] : xs.slice());

/**
 * `rules[]` of an offense. Elements that are plain objects with an integral `id` and a string (or
 * missing/null) `type` and `name` are read directly; any other element goes through the reader,
 * which reports its problems (`field "rules[i].…"`, i = the element's index in the list; an id or name that is
 * there but unreadable once, not again as missing).
 */
function readRuleRefs(r: RecordReader): QRadarRuleRef[] {
  const v = r.o.rules;
  if (!allObjects(v)) return exact(ruleRefsSlow(r));
  const out: QRadarRuleRef[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const id = x.id;
    const type = x.type;
    const name = x.name;
    if (typeof id === 'number' && Number.isSafeInteger(id) && (type === undefined || type === null || typeof type === 'string') && (name === undefined || name === null || typeof name === 'string')) {
      // the same object as below, built in one literal (keys in the same order: id, type, name)
      const ty = typeof type === 'string' ? nonEmpty(type) : undefined;
      const na = typeof name === 'string' ? nonEmpty(name) : undefined;
      out.push(ty ? (na ? { id, type: ty, name: na } : { id, type: ty }) : na ? { id, name: na } : { id });
    } else ruleRefSlow(r, x, i, out);
  }
  return exact(out);
}

function ruleRefsSlow(r: RecordReader): QRadarRuleRef[] {
  const out: QRadarRuleRef[] = [];
  for (const { o, i } of r.list('rules')) ruleRefSlow(r, o, i, out);
  return out;
}

function ruleRefSlow(r: RecordReader, x: Obj, i: number, out: QRadarRuleRef[]): void {
  const { r: s, flush } = r.sub('rules', i, x);
  const problems = s.fieldProblems.length;
  const id = s.int('id');
  // an id that is there but unreadable is reported once, by s.int (not again as missing)
  if (id === undefined) {
    if (s.fieldProblems.length === problems) s.fieldProblems.push('field "id": missing');
  } else {
    const rule: QRadarRuleRef = { id };
    const type = nonEmpty(s.text('type'));
    const name = nonEmpty(s.text('name'));
    if (type) rule.type = type;
    if (name) rule.name = name;
    out.push(rule);
  }
  flush();
}

/**
 * `log_sources[]` of an offense. Elements that are plain objects with a non-blank string `name`,
 * integral (or missing/null) `id` and `type_id` and a string (or missing/null) `type_name` are read
 * directly; any other element goes through the reader (problems as `field "log_sources[i].…"`).
 */
function readLogSourceRefs(r: RecordReader): QRadarLogSourceRef[] {
  const v = r.o.log_sources;
  if (!allObjects(v)) return exact(logSourceRefsSlow(r));
  const out: QRadarLogSourceRef[] = [];
  const intOrNone = (x: unknown) => x === undefined || x === null || (typeof x === 'number' && Number.isSafeInteger(x));
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const name = x.name;
    const id = x.id;
    const typeId = x.type_id;
    const typeName = x.type_name;
    if (typeof name === 'string' && name.trim() !== '' && intOrNone(id) && intOrNone(typeId) && (typeName === undefined || typeName === null || typeof typeName === 'string')) {
      const tn = typeof typeName === 'string' ? nonEmpty(typeName) : undefined;
      out.push({ name: intern(name), id: id ?? undefined, typeId: typeId ?? undefined, typeName: tn === undefined ? undefined : intern(tn) } as QRadarLogSourceRef);
    } else logSourceRefSlow(r, x, i, out);
  }
  return exact(out);
}

function logSourceRefsSlow(r: RecordReader): QRadarLogSourceRef[] {
  const out: QRadarLogSourceRef[] = [];
  for (const { o, i } of r.list('log_sources')) logSourceRefSlow(r, o, i, out);
  return out;
}

function logSourceRefSlow(r: RecordReader, x: Obj, i: number, out: QRadarLogSourceRef[]): void {
  const { r: s, flush } = r.sub('log_sources', i, x);
  const problems = s.fieldProblems.length;
  const name = nonEmpty(s.text('name'));
  // a name that is there but no text is reported once, by s.text (not again as missing)
  if (name === undefined) {
    if (s.fieldProblems.length === problems) s.fieldProblems.push('field "name": missing');
  } else {
    const id = s.int('id');
    const typeId = s.int('type_id');
    const typeName = nonEmpty(s.text('type_name'));
    const ls: QRadarLogSourceRef = { name: intern(name), id, typeId, typeName: typeName === undefined ? undefined : intern(typeName) };
    out.push(ls);
  }
  flush();
}

function readClosingReason(raw: Obj, src?: string, at?: RawAt): { value?: QRadarClosingReason; problems: string[] } {
  const r = new RecordReader(normalizeKeys(raw), src, at);
  const id = r.int('id');
  const text = r.text('text');
  const v: QRadarClosingReason | undefined = id === undefined || text === undefined ? undefined : { id, text };
  if (id === undefined && (r.o.id === undefined || r.o.id === null)) r.fieldProblems.push('field "id": missing');
  if (text === undefined) r.fieldProblems.push('field "text": missing');
  if (v) {
    const res = r.bool('is_reserved');
    const del = r.bool('is_deleted');
    if (res !== undefined) v.isReserved = res;
    if (del !== undefined) v.isDeleted = del;
  }
  return { value: v, problems: r.fieldProblems };
}

function readOffenseType(raw: Obj, src?: string, at?: RawAt): { value?: QRadarOffenseType; problems: string[] } {
  const r = new RecordReader(normalizeKeys(raw), src, at);
  const id = r.int('id');
  const name = r.text('name');
  if (id === undefined && (r.o.id === undefined || r.o.id === null)) r.fieldProblems.push('field "id": missing');
  if (name === undefined) r.fieldProblems.push('field "name": missing');
  if (id === undefined || name === undefined) return { problems: r.fieldProblems };
  const v: QRadarOffenseType = { id, name };
  const pn = r.text('property_name');
  const dt = r.text('database_type');
  const cu = r.bool('custom');
  if (pn !== undefined) v.propertyName = pn;
  if (dt !== undefined) v.databaseType = dt;
  if (cu !== undefined) v.custom = cu;
  return { value: v, problems: r.fieldProblems };
}

function readRule(raw: Obj, src?: string, at?: RawAt): { value?: QRadarRule; problems: string[] } {
  const r = new RecordReader(normalizeKeys(raw), src, at);
  const id = r.int('id');
  const name = r.text('name');
  if (id === undefined && (r.o.id === undefined || r.o.id === null)) r.fieldProblems.push('field "id": missing');
  if (name === undefined) r.fieldProblems.push('field "name": missing');
  if (id === undefined || name === undefined) return { problems: r.fieldProblems };
  const v: QRadarRule = { id, name };
  const type = r.text('type');
  const origin = r.text('origin');
  const enabled = r.bool('enabled');
  if (type !== undefined) v.type = type;
  if (origin !== undefined) v.origin = origin;
  if (enabled !== undefined) v.enabled = enabled;
  return { value: v, problems: r.fieldProblems };
}

const NOUN: Record<QRadarFileKind, string> = {
  offenses: 'an offense',
  closingReasons: 'a closing reason',
  offenseTypes: 'an offense type',
  rules: 'a rule',
  events: 'an event',
  unrecognised: 'a record',
};

function emptyResult(kind: QRadarFileKind, format: string): QRadarJsonResult {
  return { kind, format, offenses: [], closingReasons: [], offenseTypes: [], rules: [], errors: [], records: 0 };
}

/**
 * Collects records of `kind` into `res`; reports bad records/fields with file, record number and line. `text` and
 * `at`: where the JSON text the record was parsed from is (values beyond 2^53 are named as written there).
 */
function addRecord(res: QRadarJsonResult, file: string, kind: QRadarFileKind, value: unknown, record: number, line: number, text?: string, at?: RawAt): void {
  res.records++;
  const err = (message: string) => {
    if (res.errors.length < MAX_FILE_ERRORS) res.errors.push({ file, line, message: `record ${record}: ${message}` });
  };
  if (!isObj(value)) {
    err(`not ${NOUN[kind]} object (${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}); skipped`);
    return;
  }
  if (kind === 'offenses') {
    const norm = normalizeKeys(value);
    const k = classifyObject(norm);
    if (k !== 'offenses') {
      err(`not an offense (needs id and offense_source, offense_type, magnitude or description with start_time); skipped`);
      return;
    }
    const { offense, problems } = readNormalizedOffense(norm, file, record, line, text, at);
    res.offenses.push(offense);
    for (const p of problems)
      err(
        offense.idText !== undefined && p.startsWith('field "id": ')
          ? `${p}; ${ID_KEPT_AS_TEXT}`
          : p.startsWith('field "start_time": ')
            ? `${p}; ${START_TIME_LEFT_EMPTY}`
            : p.startsWith('field "status": ')
              ? `${p}; ${offense.status !== undefined ? STATUS_KEPT : 'field left empty, offense kept (counted as an unknown status)'}`
              : `${p}; field left empty, offense kept`,
      );
    return;
  }
  const read = kind === 'closingReasons' ? readClosingReason : kind === 'offenseTypes' ? readOffenseType : readRule;
  const { value: v, problems } = read(value, text, at);
  if (v) {
    if (kind === 'closingReasons') res.closingReasons.push(v as QRadarClosingReason);
    else if (kind === 'offenseTypes') res.offenseTypes.push(v as QRadarOffenseType);
    else res.rules.push(v as QRadarRule);
    for (const p of problems) err(`${p}; field left empty`);
  } else err(`${problems.join(', ')}; skipped`);
}

/** The problem text of an element `JSON.parse` rejected. */
function invalidJson(e: unknown): string {
  return `invalid JSON (${e instanceof Error ? e.message.replace(/ in JSON at position \d+.*$/, '') : String(e)}); skipped`;
}

/** The JSON error of a record as {@link invalidJson} says it, without its `invalid JSON (…); skipped` frame. */
const jsonErrorText = (err: string): string => err.replace(/^invalid JSON \(/, '').replace(/\); skipped$/, '');

/**
 * The skip reason of a JSON file none of whose records could be read because they are not valid JSON (a bad escape, a
 * record cut short, one nested deeper than {@link MAX_JSON_DEPTH}): `no record could be read: 2 of 3 records are not
 * valid JSON (first: record 2, line 1: Bad escaped character)`. `bad`: how many of the `records` elements or lines are
 * not valid JSON (≥ 1); `first`: the first of them (1-based record number, 1-based line, its {@link invalidJson} text).
 * Such a file was said to be `JSON array without objects` or `not JSON`, naming no record or line.
 */
function unreadableRecordsReason(bad: number, records: number, first: { record: number; line: number; err: string }): string {
  return `no record could be read: ${bad} of ${records} record${records === 1 ? ' is' : 's are'} not valid JSON (first: record ${first.record}, line ${first.line}: ${jsonErrorText(first.err)})`;
}

/**
 * The skip reason of an array of `count` elements in which no object was read: `empty JSON array`, the
 * {@link unreadableRecordsReason} when some element is not valid JSON (`firstBad`: the first such element, 0-based, its
 * line and error; `bad`: how many), else `JSON array without objects`.
 */
function arrayWithoutObjectsReason(count: number, bad: number, firstBad: { index: number; line: number; err: string } | undefined): string {
  if (count === 0) return 'empty JSON array';
  return firstBad ? unreadableRecordsReason(bad, count, { record: firstBad.index + 1, line: firstBad.line, err: firstBad.err }) : 'JSON array without objects';
}

/** Results of {@link fromArray} set aside with an {@link unreadableRecordsReason} (read by the damaged-wrapper salvage). */
const UNREADABLE_ARRAYS = new WeakSet<QRadarJsonResult>();

/** The first entry of `bad` (element index → error) with that element's line, for {@link arrayWithoutObjectsReason}. */
function firstBadSpan(bad: Map<number, string>, spans: readonly Span[]): { index: number; line: number; err: string } | undefined {
  let index = -1;
  for (const k of bad.keys()) if (index < 0 || k < index) index = k;
  return index < 0 ? undefined : { index, line: spans[index].line, err: bad.get(index)! };
}

/**
 * {@link fromArray} for an ASCII text whose bytes are `bytes` (same indexes) when the array holds
 * offenses. While splitting, the first elements are parsed until 20 objects decide the kind exactly
 * as there; after that, each element the byte reader ({@link OffenseByteReader}) accepts is read
 * from the bytes and skipped by the split, every other one is split, parsed and read the exact way,
 * in array order. Same result as the exact path; undefined when the array does not hold offenses
 * (or has fewer than 20 objects) — the caller then reads it the usual way.
 */
function fromOffenseArray(text: string, open: number, file: string, format: string, bytes: Buffer): QRadarJsonResult | undefined {
  const values: unknown[] = [];
  const bad = new Map<number, string>();
  const objs: Obj[] = [];
  let kind: QRadarFileKind | undefined;
  const fast: (QRadarOffense | undefined)[] = [];
  const reader = new OffenseByteReader(intern);
  const parse = (s: Span, k: number): unknown => {
    try {
      return parseJsonLimited(text.slice(s.start, s.end));
    } catch (e) {
      bad.set(k, invalidJson(e));
      return undefined;
    }
  };
  const len = bytes.length;
  const skip = (start: number, line: number, spans: readonly Span[]): number => {
    if (kind === undefined) {
      // the elements before this one are complete: parse them until 20 objects decide the kind
      for (let k = values.length; k < spans.length && objs.length < 20; k++) {
        const v = parse(spans[k], k);
        values.push(v);
        if (isObj(v)) objs.push(v);
      }
      if (objs.length < 20) return -1;
      kind = voteKind(objs);
    }
    if (kind !== 'offenses') return -1;
    const e = reader.read(bytes, start, len);
    if (e < 0) return -1;
    let j = e;
    while (j < len && (bytes[j] === 32 || bytes[j] === 9 || bytes[j] === 10 || bytes[j] === 13)) j++;
    if (j >= len || (bytes[j] !== 44 && bytes[j] !== 93)) return -1;
    const off = offenseFromBytes(reader.f, file, spans.length + 1, line);
    if (!off) return -1;
    fast[spans.length] = off;
    return j;
  };
  const { spans, truncated, end } = scanArray(text, open, 1, skip);
  if (kind !== 'offenses') return undefined;
  const res = emptyResult('offenses', format);
  for (let k = 0; k < spans.length; k++) {
    const off = fast[k];
    if (off) {
      res.records++;
      res.offenses.push(off);
      continue;
    }
    const v = k < values.length ? values[k] : parse(spans[k], k);
    const line = spans[k].line;
    const err = bad.get(k);
    if (err !== undefined) {
      res.records++;
      res.errors.push({ file, line, message: `record ${k + 1}: ${err}` });
    } else addRecord(res, file, 'offenses', v, k + 1, line, text, spans[k]);
  }
  return finishArray(res, file, text, spans, truncated, end, format);
}

function parseSpans(text: string, spans: Span[]): { values: unknown[]; bad: Map<number, string> } {
  const values: unknown[] = [];
  const bad = new Map<number, string>();
  spans.forEach((s, i) => {
    try {
      values.push(parseJsonLimited(text.slice(s.start, s.end)));
    } catch (e) {
      values.push(undefined);
      bad.set(i, invalidJson(e));
    }
  });
  return { values, bad };
}

function fromArray(text: string, open: number, file: string, format: string, bytes?: Buffer): QRadarJsonResult {
  if (bytes) {
    const fast = fromOffenseArray(text, open, file, format, bytes);
    if (fast) return fast;
  }
  const { spans, truncated, end } = scanArray(text, open);
  const { values, bad } = parseSpans(text, spans);
  const kind = voteKind(values.filter(isObj));
  const res = emptyResult(kind, format);
  if (kind === 'unrecognised') {
    const first = values.find(isObj);
    res.skipReason = first ? skipReasonFor(first) : arrayWithoutObjectsReason(spans.length, bad.size, firstBadSpan(bad, spans));
    if (!first && spans.length > 0 && bad.size > 0) UNREADABLE_ARRAYS.add(res);
    return res;
  }
  values.forEach((v, i) => {
    const line = spans[i].line;
    if (bad.has(i)) {
      res.records++;
      res.errors.push({ file, line, message: `record ${i + 1}: ${bad.get(i)}` });
    } else addRecord(res, file, kind, v, i + 1, line, text, spans[i]);
  });
  return finishArray(res, file, text, spans, truncated, end, format);
}

/** Adds the truncation / trailing-text errors of an array to `res`. */
function finishArray(res: QRadarJsonResult, file: string, text: string, spans: Span[], truncated: boolean, end: number, format: string): QRadarJsonResult {
  if (truncated) {
    const last = spans[spans.length - 1];
    res.errors.push({ file, line: last?.line ?? 1, message: `file ends inside the JSON array (truncated after record ${spans.length}); every complete record was kept` });
  } else if (!format.startsWith('wrapped') && text.slice(end).trim() !== '') {
    let line = 1;
    for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
    res.errors.push({ file, line, message: 'unexpected text after the JSON array; ignored' });
  }
  return res;
}

/**
 * NDJSON: one record per line. `unreadable`: when no line holds an object and the first non-blank line starts as a JSON
 * object (`{"`) — a damaged record, not text of another kind — the {@link unreadableRecordsReason} of the lines that
 * are not valid JSON; the result's own skip reason is then still `not JSON` (a damaged wrapper is tried first).
 */
function fromNdjson(text: string, file: string): { res: QRadarJsonResult; unreadable?: string } {
  // LF, CRLF or a lone CR (classic Mac OS) ends a line (JSON text holds no raw CR)
  const lines = text.split(/\r\n|\n|\r/);
  const parsed: { v: unknown; line: number; err?: string; text?: string }[] = [];
  lines.forEach((l, i) => {
    const t = l.trim();
    if (t === '') return;
    try {
      parsed.push({ v: parseJsonLimited(t), line: i + 1, text: t });
    } catch (e) {
      parsed.push({ v: undefined, line: i + 1, err: `invalid JSON (${e instanceof Error ? e.message.replace(/ in JSON at position \d+.*$/, '') : String(e)}); skipped` });
    }
  });
  const kind = voteKind(parsed.map((p) => p.v).filter(isObj));
  const res = emptyResult(kind, 'ndjson');
  if (kind === 'unrecognised') {
    const first = parsed.find((p) => isObj(p.v));
    res.skipReason = first ? skipReasonFor(first.v as Obj) : 'not JSON';
    const badAt = parsed.findIndex((p) => p.err !== undefined);
    const unreadable =
      !first && badAt >= 0 && parsed[0].text === undefined && /^\{\s*"/.test(lines[parsed[0].line - 1].trim())
        ? unreadableRecordsReason(parsed.filter((p) => p.err !== undefined).length, parsed.length, { record: badAt + 1, line: parsed[badAt].line, err: parsed[badAt].err! })
        : undefined;
    return { res, unreadable };
  }
  parsed.forEach((p, i) => {
    if (p.err) {
      res.records++;
      res.errors.push({ file, line: p.line, message: `record ${i + 1}: ${p.err}` });
    } else addRecord(res, file, kind, p.v, i + 1, p.line, p.text, WHOLE_TEXT);
  });
  return { res };
}

/** Finds `"key"` followed by `:` and `[` at the top level of an object text; returns the `[` index. */
function findArrayOf(text: string, key: string): number {
  const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*\\[`, 'g');
  const m = re.exec(text);
  return m ? m.index + m[0].length - 1 : -1;
}

/**
 * Reads one JSON / NDJSON text (already decoded). Detection (qradar.md §5.3 heuristics): `[` → array
 * (of offenses, closing reasons, offense types or rules, by majority of the first objects); `{` that
 * parses as one value → a wrapper whose array member holds offenses (`wrapped:<key>`), a single
 * offense, or something to set aside (Ariel results/status, API error); otherwise NDJSON.
 * `bytes`: the file's bytes that `text` was decoded from (optional). When they are ASCII (so byte
 * and character indexes agree), offense arrays are read with the byte reader (same result, faster).
 */
export function parseQRadarJsonText(text: string, file: string, bytes?: Buffer): QRadarJsonResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // the bytes help only when they are the text character for character (ASCII)
  const ascii = bytes !== undefined && bytes.length === body.length && isAscii(bytes) ? bytes : undefined;
  const open = body.search(/\S/);
  if (open < 0) return { ...emptyResult('unrecognised', 'empty'), skipReason: 'empty file' };
  const c = body[open];
  if (c === '[') return fromArray(body, open, file, 'json-array', ascii);
  if (c === '{') {
    let whole: unknown;
    let ok = false;
    let tooDeep: string | undefined;
    try {
      whole = parseJsonLimited(body);
      ok = true;
    } catch (e) {
      ok = false;
      if (e instanceof JsonDepthError) tooDeep = e.message;
    }
    if (ok && isObj(whole)) {
      const w = whole;
      if ('events' in w || 'flows' in w) return { ...emptyResult('unrecognised', 'ariel-results'), skipReason: 'Ariel search results (not analyzed)' };
      // wrapper: the first array member whose objects are offenses (or other known records)
      for (const [k, v] of Object.entries(w)) {
        if (!Array.isArray(v) || v.length === 0) continue;
        const kind = voteKind(v.filter(isObj));
        if (kind === 'unrecognised') continue;
        const at = findArrayOf(body, k);
        if (at >= 0) return fromArray(body, at, file, `wrapped:${k}`, ascii);
      }
      const kind = classifyObject(normalizeKeys(w));
      if (kind === 'unrecognised') return { ...emptyResult('unrecognised', 'json-object'), skipReason: skipReasonFor(w) };
      const res = emptyResult(kind, 'json-object');
      let line = 1;
      for (let i = 0; i < open; i++) if (body.charCodeAt(i) === 10) line++;
      addRecord(res, file, kind, w, 1, line, body, { start: open, end: body.length });
      return res;
    }
    const { res: nd, unreadable } = fromNdjson(body, file);
    if (nd.kind !== 'unrecognised' || nd.skipReason !== 'not JSON') return nd;
    // A damaged wrapper ({"offenses": [ … truncated): salvage the complete records of its first array.
    const at = body.indexOf('[', open);
    let arrUnreadable: string | undefined;
    if (at > 0) {
      const arr = fromArray(body, at, file, 'wrapped (damaged)', ascii);
      if (arr.kind !== 'unrecognised') {
        arr.errors.unshift({ file, line: 1, message: tooDeep ? `the wrapping JSON object is not read whole: ${tooDeep}; records of its first array were read` : 'the wrapping JSON object is not valid JSON; records of its first array were read' });
        return arr;
      }
      // its records are there but none is valid JSON: name the first (record of the array, not line of the file)
      if (UNREADABLE_ARRAYS.has(arr)) arrUnreadable = arr.skipReason;
    }
    if (tooDeep) return { ...nd, skipReason: `${tooDeep}; not read` };
    const why = arrUnreadable ?? unreadable;
    return why ? { ...nd, skipReason: why } : nd;
  }
  return { ...emptyResult('unrecognised', 'text'), skipReason: 'not JSON' };
}

// ---------------------------------------------------------------- streaming JSON arrays

/**
 * Incremental reader of a top-level JSON array of QRadar records, for files larger than a
 * JavaScript string can hold (V8's ~512 MB limit; performance-notes.md). Feed it the file's UTF-8
 * bytes in chunks ({@link push}), then call {@link end}. It splits the array into elements on the
 * bytes exactly as {@link scanArray} does on text (strings and escapes respected, 1-based start
 * line per element), parses each element on its own and gives the same result as
 * `parseQRadarJsonText` on the whole text: kind by majority of the first 20 objects, one error per
 * bad record (file, line, record number), truncation and trailing text reported, nothing thrown.
 * Once the file is known to hold offenses, an element of the usual shape that ends inside the
 * current chunk is read straight from the bytes ({@link OffenseByteReader}; same offense), without
 * splitting and `JSON.parse`. Memory: the records read plus one element's bytes.
 */
export class QRadarArrayStream {
  private depth = 0;
  private inStr = false;
  private esc = false;
  private line = 1;
  private started = false;
  private done = false;
  private trailing = false;
  /** An incomplete UTF-8 character at the end of the bytes after the array so far (see afterArray). */
  private tailCarry: Buffer | undefined;
  private endLine = 1;
  private parts: Buffer[] = [];
  /** The element being split: its start line and the offset of its first byte in the file. */
  private cur: { line: number; byte: number } | undefined;
  /** Bytes of the file before the current chunk. */
  private base = 0;
  /**
   * The first bytes that are not UTF-8 (read as windows-1252, as a file small enough to be read whole is; see
   * {@link decodeUtf8OrCp1252}): line, record and file offset; and how many elements had such bytes.
   */
  private notUtf8: { line: number; record: number; byte: number } | undefined;
  private notUtf8Records = 0;
  private lastLine = 1;
  private count = 0;
  /** Elements held until the kind is known: value (or parse error) and line. */
  private pending: { v: unknown; line: number; err?: string; text?: string }[] = [];
  private objects = 0;
  private res: QRadarJsonResult | undefined;
  /** Byte reader of usual offense objects (used once the file is known to hold offenses). */
  private readonly fast = new OffenseByteReader(intern);
  /** Offenses read by the byte reader (the others were read the exact way); for tests and measurements. */
  fastRecords = 0;
  constructor(
    readonly file: string,
    readonly format = 'json-array',
  ) {}

  /** Feeds the next bytes of the file (UTF-8, BOM allowed at the start). */
  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    const base = this.base;
    this.base += n;
    if (!this.started) {
      for (; i < n; i++) {
        const c = chunk[i];
        if (c === 10) this.line++;
        if (c === 0xef || c === 0xbb || c === 0xbf || c === 32 || c === 9 || c === 10 || c === 13) continue;
        if (c === 91 /* [ */) {
          this.started = true;
          i++;
        }
        break;
      }
      if (!this.started) return;
    }
    if (this.done) {
      this.afterArray(chunk, i, n);
      return;
    }
    // Lines are counted lazily (Buffer#indexOf): `this.line` = 1 + newlines before the position
    // passed to upTo; `nl` = the next newline not counted yet.
    let nl = chunk.indexOf(10, i);
    const upTo = (pos: number) => {
      while (nl >= 0 && nl < pos) {
        this.line++;
        nl = chunk.indexOf(10, nl + 1);
      }
    };
    let depth = this.depth;
    let inStr = this.inStr;
    let esc = this.esc;
    let from = this.cur ? i : -1;
    // Elements inside an ASCII chunk are read with the Latin-1 decoder (a copy; UTF-8 and Latin-1
    // agree on ASCII) without a Buffer view per element.
    const ascii = isAscii(chunk);
    for (; i < n; i++) {
      let c = chunk[i];
      if (inStr) {
        if (esc) {
          esc = false;
          continue;
        }
        while (c !== 34 && c !== 92) {
          if (++i === n) break;
          c = chunk[i];
        }
        if (i === n) break;
        if (c === 92) esc = true;
        else inStr = false;
        continue;
      }
      if (depth === 0 && (c === 44 || c === 93)) {
        if (this.cur) {
          if (ascii && from >= 0 && this.parts.length === 0) this.element(chunk.toString('latin1', from, i));
          else {
            if (from >= 0) this.parts.push(chunk.subarray(from, i));
            this.element();
          }
          from = -1;
        }
        if (c === 93) {
          this.done = true;
          upTo(i);
          this.endLine = this.line;
          this.afterArray(chunk, i + 1, n);
          break;
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (!this.cur) {
        upTo(i);
        if (c === 123 && depth === 0 && this.res?.kind === 'offenses') {
          // Fast path: an offense object of the usual shape read from the bytes, followed by `,` or
          // `]` inside this chunk (so the exact path would see exactly this element). Else below.
          const e = this.fast.read(chunk, i, n);
          if (e > 0) {
            let j = e;
            while (j < n && (chunk[j] === 32 || chunk[j] === 9 || chunk[j] === 10 || chunk[j] === 13)) j++;
            if (j < n && (chunk[j] === 44 || chunk[j] === 93)) {
              const record = ++this.count;
              const off = offenseFromBytes(this.fast.f, this.file, record, this.line);
              if (off) {
                this.lastLine = this.line;
                this.res.records++;
                this.res.offenses.push(off);
                this.fastRecords++;
                i = j - 1; // the separator is handled by the loop (no current element)
                continue;
              }
              this.count--;
            }
          }
        }
        this.cur = { line: this.line, byte: base + i };
        from = i;
      }
      if (c === 34) inStr = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) depth--;
    }
    this.depth = depth;
    this.inStr = inStr;
    this.esc = esc;
    if (!this.done) upTo(n);
    if (this.cur && from >= 0) this.parts.push(Buffer.from(chunk.subarray(from, n)));
  }

  /**
   * Sets `trailing` when the bytes after the array hold anything but whitespace as `String#trim`
   * sees it (the whole-text reader's test: NBSP, BOM, \v, U+2028… are whitespace there). An
   * incomplete UTF-8 character at the end of `chunk` is kept for the next chunk (or {@link end}).
   */
  private afterArray(chunk: Buffer, i: number, n: number): void {
    if (this.trailing) return;
    let k = i;
    if (this.tailCarry === undefined) {
      while (k < n && (chunk[k] === 32 || chunk[k] === 9 || chunk[k] === 10 || chunk[k] === 13)) k++;
      if (k === n) return; // the usual case: JSON whitespace only
    }
    let b = chunk.subarray(k, n);
    if (this.tailCarry !== undefined) {
      b = Buffer.concat([this.tailCarry, b]);
      this.tailCarry = undefined;
    }
    let cut = b.length;
    for (let back = 1; back <= 3 && back <= b.length; back++) {
      const c = b[b.length - back];
      if (c < 0x80) break;
      if (c >= 0xc0) {
        if ((c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > back) cut = b.length - back;
        break;
      }
    }
    if (cut < b.length) this.tailCarry = Buffer.from(b.subarray(cut));
    if (b.toString('utf8', 0, cut).trim() !== '') this.trailing = true;
  }

  /**
   * Ends the current element: its text is `whole` (when given) or the text of the collected parts — UTF-8, where a
   * byte that is not UTF-8 is read as windows-1252 (as `readQRadarFile` reads a file that is not streamed; it
   * became U+FFFD, silently) and the first such byte is reported by {@link end}.
   */
  private element(whole?: string): void {
    const { line, byte } = this.cur!;
    // not trimmed: the span up to the separator, as scanArray gives it (trimEnd would also drop NBSP,
    // BOM, \v, U+2028…, which JSON.parse rejects on the whole text, and change error excerpts)
    let text = whole;
    if (text === undefined) {
      const d = decodeUtf8OrCp1252(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts));
      text = d.text;
      if (d.firstBad >= 0) {
        if (this.notUtf8Records++ === 0) {
          let nl = 0;
          for (let k = 0; k < d.firstBadChar; k++) if (text.charCodeAt(k) === 10) nl++;
          this.notUtf8 = { line: line + nl, record: this.count + 1, byte: byte + d.firstBad };
        }
      }
    }
    this.parts = [];
    this.cur = undefined;
    this.lastLine = line;
    this.count++;
    let item: { v: unknown; line: number; err?: string; text?: string };
    try {
      item = { v: parseJsonLimited(text), line, text };
    } catch (e) {
      item = { v: undefined, line, err: `invalid JSON (${e instanceof Error ? e.message.replace(/ in JSON at position \d+.*$/, '') : String(e)}); skipped` };
    }
    if (this.res) this.take(item, this.count);
    else {
      this.pending.push(item);
      if (isObj(item.v)) this.objects++;
      if (this.objects >= 20) this.decide();
    }
  }

  private decide(): void {
    const kind = voteKind(this.pending.map((p) => p.v).filter(isObj));
    this.res = emptyResult(kind, this.format);
    if (kind === 'unrecognised') {
      const first = this.pending.map((p) => p.v).find(isObj);
      const badAt = this.pending.findIndex((p) => p.err !== undefined);
      const firstBad = badAt < 0 ? undefined : { index: badAt, line: this.pending[badAt].line, err: this.pending[badAt].err! };
      this.res.skipReason = first ? skipReasonFor(first) : arrayWithoutObjectsReason(this.count, this.pending.filter((p) => p.err !== undefined).length, firstBad);
      this.pending = [];
      return;
    }
    this.pending.forEach((p, i) => this.take(p, i + 1));
    this.pending = [];
  }

  private take(p: { v: unknown; line: number; err?: string; text?: string }, record: number): void {
    const res = this.res!;
    if (res.kind === 'unrecognised') return;
    if (p.err) {
      res.records++;
      res.errors.push({ file: this.file, line: p.line, message: `record ${record}: ${p.err}` });
    } else addRecord(res, this.file, res.kind, p.v, record, p.line, p.text, WHOLE_TEXT);
  }

  /**
   * Ends the input; returns the result (as `parseQRadarJsonText` would for the whole text, read as `readQRadarFile`
   * decodes a file: bytes that are not UTF-8 are read as windows-1252 and the first is reported as the result's
   * first error, with its line, record and offset in the file).
   */
  end(): QRadarJsonResult {
    if (!this.started) return { ...emptyResult('unrecognised', 'empty'), skipReason: 'empty file' };
    const truncated = !this.done;
    if (truncated && this.cur) {
      this.element();
    }
    if (!this.res) this.decide();
    const res = this.res!;
    const bad = this.notUtf8;
    if (bad) {
      const more = this.notUtf8Records - 1;
      res.errors.unshift({
        file: this.file,
        line: bad.line,
        message:
          `not UTF-8 (first invalid byte on this line, in record ${bad.record}, byte ${bad.byte} of the file${more > 0 ? `; ${more} more record${more === 1 ? '' : 's'} with such bytes` : ''}): ` +
          'the bytes that are not UTF-8 are read as windows-1252',
      });
    }
    if (res.kind === 'unrecognised') return res;
    if (truncated) res.errors.push({ file: this.file, line: this.count > 0 ? this.lastLine : 1, message: `file ends inside the JSON array (truncated after record ${this.count}); every complete record was kept` });
    else if (this.trailing || this.tailCarry !== undefined) res.errors.push({ file: this.file, line: this.endLine, message: 'unexpected text after the JSON array; ignored' });
    return res;
  }
}
