/**
 * QRadar offenses as cases for the SOC KPIs. Offenses are read by the QRadar parser
 * (`parseQRadarJsonText` in `qradar.ts`: API arrays, NDJSON, wrapped, single objects, XSOAR-enriched
 * and PascalCase shapes); this adapter only applies the field mapping of
 * shared/docs/soc-peers-and-kpis.md §4.3:
 *
 * | case field   | offense field                                                            |
 * |--------------|---------------------------------------------------------------------------|
 * | id           | `id`                                                                      |
 * | title        | `description` (QRadar's "X containing Y" text, newlines collapsed)        |
 * | created      | `first_persisted_time` (offense created); `start_time` when absent (noted) |
 * | acknowledged | — (the offense object has no acknowledgement/assignment time: MTTA unavailable) |
 * | closed       | `close_time`                                                              |
 * | analyst      | `closing_user`, else `assigned_to`                                        |
 * | severity     | `severity` (1–10)                                                         |
 * | status       | `status` (OPEN / HIDDEN / CLOSED)                                          |
 * | disposition  | closing reason text of `closing_reason_id` (`/siem/offense_closing_reasons`) |
 * | rule         | `rules[].id`, named `name (id)` when `/analytics/rules` output is given    |
 *
 * Pure except the small reader helpers for the closing-reason and rule files. Never throws on bad data.
 */
import { helperFileErrorText, readHelperFile } from '../fs-read';
import type { ParseError } from '../model/common';
import type { QRadarOffense } from './qradar-model';
import { API_ERROR_REASON, parseQRadarJsonText, scanArray } from './qradar';
import { accountName, parseTabularText, type TabularFormat, type TabularRow } from './cases-input';
import type { CaseField, CaseRecord, CasesInput } from './cases';

/**
 * Reads QRadar offenses from JSON / NDJSON text with the QRadar parser. Returns undefined when the
 * text holds no offenses (then the caller reads it as a generic case table), or `{ apiError }` when the
 * text is an error answer of the QRadar API (an HTTP 401 body saved in place of an export, recognised as
 * the `qradar` command does): the reason starts with `API_ERROR_REASON` and carries the server's message.
 */
export function readOffensesText(
  text: string,
  file: string,
): { offenses: QRadarOffense[]; errors: ParseError[]; rules: Map<number, string>; reasons: Map<number, string> } | { apiError: string } | undefined {
  const r = parseQRadarJsonText(text, file);
  if (r.skipReason?.startsWith(API_ERROR_REASON)) return { apiError: r.skipReason };
  if (r.kind !== 'offenses' || r.offenses.length === 0) return undefined;
  return {
    offenses: r.offenses,
    errors: r.errors,
    rules: new Map(r.rules.map((x) => [x.id, x.name])),
    reasons: new Map(r.closingReasons.map((x) => [x.id, x.text])),
  };
}

function rawOf(o: QRadarOffense): Record<string, string> {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    id: s(o.id ?? o.idText),
    description: o.description,
    status: s(o.status),
    offense_type: s(o.offenseTypeName ?? o.offenseType),
    offense_source: s(o.offenseSource),
    magnitude: s(o.magnitude),
    severity: s(o.severity),
    credibility: s(o.credibility),
    relevance: s(o.relevance),
    event_count: s(o.eventCount),
    assigned_to: s(o.assignedTo),
    closing_user: s(o.closingUser),
    categories: o.categories.join(', '),
    source_network: s(o.sourceNetwork),
    destination_networks: o.destinationNetworks.join(', '),
    log_sources: o.logSources.map((l) => l.name).join(', '),
  };
}

/**
 * Offenses → cases (see the module comment for the mapping). `reasons` maps `closing_reason_id` →
 * text; `ruleNames` maps rule id → name. `file` is the input file (offenses carry their own line).
 */
export function offensesToCases(
  offenses: QRadarOffense[],
  file: string,
  lookups: { reasons?: Map<number, string>; ruleNames?: Map<number, string> } = {},
): Omit<CasesInput, 'source' | 'files'> {
  const notes: string[] = [];
  const evidence: Record<string, number> = {};
  const timeStats = { aware: 0, naive: 0, ambiguous: 0, nonexistent: 0, unparsed: 0 };
  let createdFromStart = 0;
  const count = (ms: number | undefined) => {
    if (ms === undefined) return;
    timeStats.aware++;
    evidence.UTC = (evidence.UTC ?? 0) + 1; // epoch ms: UTC by definition
  };
  const cases: CaseRecord[] = offenses.map((o) => {
    const c: CaseRecord = { title: o.description.replace(/\s*\r?\n\s*/g, ' ').trim(), rules: [], file: o.source.file || file, line: o.source.line, raw: rawOf(o) };
    // an id beyond 2^53 as written (two such offenses are never one case)
    if (o.id !== undefined) c.id = String(o.id);
    else if (o.idText !== undefined) c.id = o.idText;
    let created = o.firstPersistedTime;
    if (created === undefined && o.startTime !== undefined) {
      created = o.startTime;
      createdFromStart++;
    }
    count(created);
    count(o.closeTime);
    if (created !== undefined) c.created = created;
    if (o.closeTime !== undefined) c.closed = o.closeTime;
    // the closing user, else the assignee (a closing user of only invisible characters is none)
    const analyst = accountName(o.closingUser ?? '') || accountName(o.assignedTo ?? '');
    if (analyst) c.analyst = analyst;
    if (o.severity !== undefined) c.severity = String(o.severity);
    if (o.status) c.status = o.status.toUpperCase();
    if (o.closingReasonText) c.disposition = o.closingReasonText;
    else if (o.closingReasonId !== undefined) c.disposition = lookups.reasons?.get(o.closingReasonId) ?? `closing_reason_id ${o.closingReasonId}`;
    for (const r of o.rules) {
      const name = r.name ?? lookups.ruleNames?.get(r.id);
      c.rules.push(name ? `${name} (${r.id})` : String(r.id));
    }
    return c;
  });
  if (createdFromStart > 0) notes.push(`${createdFromStart === 1 ? '1 offense has' : `${createdFromStart} offenses have`} no first_persisted_time: created = start_time (first event) for ${createdFromStart === 1 ? 'it' : 'them'}`);
  notes.push('QRadar offenses have no acknowledgement or assignment timestamp: MTTA needs offense notes or the audit log'); // (KPI doc §4.3)
  const any = (f: (o: QRadarOffense) => unknown) => offenses.some((o) => f(o) !== undefined && f(o) !== '');
  const missing: CaseField[] = ['acknowledged'];
  if (!any((o) => o.firstPersistedTime ?? o.startTime)) missing.push('created');
  if (!any((o) => o.closeTime) && !any((o) => o.status)) missing.push('closed');
  if (!any((o) => o.closingUser ?? o.assignedTo)) missing.push('analyst');
  if (!any((o) => o.severity)) missing.push('severity');
  if (!any((o) => o.status)) missing.push('status');
  if (!any((o) => o.closingReasonId ?? o.closingReasonText)) missing.push('disposition');
  if (!offenses.some((o) => o.rules.length > 0)) missing.push('rule');
  return {
    cases,
    mapping: {
      id: 'id',
      title: 'description',
      created: any((o) => o.firstPersistedTime) ? 'first_persisted_time' : 'start_time',
      closed: 'close_time',
      analyst: 'closing_user',
      severity: 'severity',
      status: 'status',
      disposition: 'closing_reason_id',
      rule: 'rules',
    },
    columns: Object.keys(offenses[0] ? rawOf(offenses[0]) : {}),
    timeFormats: { created: 'epoch-ms', closed: 'epoch-ms' },
    missing,
    zoneEvidence: evidence,
    timeStats,
    notes,
    errors: [],
  };
}

/** Text of a string or number value; anything else (an object, whose `String()` can even throw) is no text. */
function str(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** Why a lookup row's `id` value is no id, naming the value read (cut to 40 characters). */
function idProblem(v: unknown): string {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return 'missing';
  if (typeof v === 'number' && !Number.isFinite(v)) return `${String(v)} is no id: a number beyond JavaScript's range, such as 1e400`;
  let t: string;
  try {
    t = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? typeof v);
  } catch {
    t = typeof v;
  }
  if (t.length > 40) t = `${t.slice(0, 39)}…`;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  if (n === Infinity || n === -Infinity) return `${t} is no id: a number beyond JavaScript's range`;
  if (Number.isFinite(n)) return Number.isInteger(n) ? `${t} is beyond 2^53 − 1 (QRadar ids are 32-bit)` : `${t} is not a whole number`;
  return `${t} is not a number`;
}

/** A lookup export read as id → name, with its problems. */
export type IdNames = { file?: string; map: Map<number, string>; errors: ParseError[] };

/**
 * Reads `/siem/offense_closing_reasons` output (JSON array of `{id, text}`) or a CSV with `id,text`
 * columns. Deleted reasons are kept (old offenses still use them). Missing path → empty map.
 */
export async function readClosingReasons(file: string | undefined): Promise<IdNames> {
  return readIdNames(file, 'closing reasons', undefined, (v) => str(v.text) ?? str(v.name));
}

/** Reads `/analytics/rules` output (JSON array of `{id, name}`). Missing path → empty map. */
export async function readRuleNames(file: string | undefined): Promise<IdNames> {
  return readIdNames(file, 'rules', 'json', (v) => str(v.name));
}

/** Largest closing-reasons or rules list read (bytes); a larger one is a problem of the file, not read. */
export const MAX_LOOKUP_FILE_BYTES = 64 * 1024 * 1024;

/**
 * id → name of a lookup export (`what` names it in the read error). A row whose `id` is no integer id (QRadar ids are
 * whole numbers: `1.5`, a number `JSON.parse` made Infinity such as `1e400`, `"abc"`, missing) or that has no name is
 * left out and reported with its record (JSON: `record N`, the row's place in the array) and the value read; the
 * others are used.
 */
async function readIdNames(file: string | undefined, what: string, format: TabularFormat | undefined, name: (values: TabularRow['values']) => string | undefined): Promise<IdNames> {
  const map = new Map<number, string>();
  if (!file) return { map, errors: [] };
  let textIn: string;
  try {
    // a list beside the offenses or named by --closing-reasons: a FIFO hung kpi, a link to /dev/zero ran out of memory
    textIn = (await readHelperFile(file, MAX_LOOKUP_FILE_BYTES)).toString('utf8');
  } catch (e) {
    return { map, errors: [{ file, line: 0, message: `cannot read ${what}: ${helperFileErrorText(e)}` }] };
  }
  const t = parseTabularText(textIn, file, format);
  const errors = [...t.errors];
  // A JSON array's rows carry their record number: the line a record starts on is found when one is reported
  let recordLines: number[] | undefined;
  const lineOf = (record: number): number => {
    if (!t.lineIsRecord || t.member !== undefined) return record;
    if (!recordLines) {
      const open = textIn.search(/\S/);
      recordLines = open >= 0 && textIn.charCodeAt(open) === 91 ? scanArray(textIn, open).spans.map((sp) => sp.line) : [];
    }
    return recordLines[record - 1] ?? record;
  };
  for (const r of t.rows) {
    // Number()/String() of a JSON object such as {"toString": 0} threw and stopped the whole analysis
    const raw = r.values.id;
    const idText = str(raw);
    const id = idText === undefined ? NaN : Number(idText);
    const n = name(r.values);
    // a non-integer id (1.5) named a reason no offense has; Infinity (1e400) was "no numeric id" without its value
    if (Number.isSafeInteger(id) && n) map.set(id, n);
    else {
      const rec = t.lineIsRecord ? `record ${r.line} ` : '';
      const why = !Number.isSafeInteger(id) ? `"id" ${idProblem(raw)}` : 'no name';
      errors.push({ file, line: lineOf(r.line), message: `${what}: ${rec}left out (${why})` });
    }
  }
  return { file, map, errors };
}
