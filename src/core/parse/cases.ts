/**
 * Cases / tickets input for the SOC KPIs: a generic CSV / JSON / NDJSON export with a column
 * mapping, or QRadar offenses (`GET /api/siem/offenses` JSON, see `cases-qradar.ts`). Pure (no vscode).
 *
 * Every case becomes a {@link CaseRecord} with times in epoch ms UTC. Time columns are read with
 * the format detected per column (`src/core/tz-normalize.ts`); naive values are read in
 * `sourceZone` and counted, ambiguous/non-existent DST values and unreadable values are reported
 * with file and line. Nothing throws on bad data and no row is dropped silently: a case with an unreadable
 * time keeps the time undefined; a record of blank fields only is no case and is reported at its line, as is a CSV
 * record with fewer fields than the header (read with the missing fields empty).
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { ParseError } from '../model/common';
import { addEvidence, detectFormat, nonEmptySample, parseTimestamp, type ResolvedTime, type TimestampFormat } from '../tz-normalize';
import { editDistance } from '../time';
import { accountName, DAMAGED_JSON, decodeTableText, KPI_CASES_MEMORY, parseTabularText, readTableFileBytes, readTabularSample, tableMemoryProblem, type Tabular } from './cases-input';
export { accountName };
import { offensesToCases, readClosingReasons, readOffensesText, readRuleNames, type IdNames } from './cases-qradar';
import { dedupeOffenses, duplicateOffensesText } from './qradar-dedupe';
import { closingReasonsCandidates, rulesCandidates } from './qradar-reason-lists';
import { apiErrorProblem } from './qradar';
import { isQRadarEventExportHeader } from './qradar-csv';
import type { QRadarOffense } from './qradar-model';
import { compressedCaseFileReason, type SkippedFile } from './cases-discover';
import { notTextKindText, sniffNotTextFile, type NotTextKind } from './not-text';
import { acknowledgedAfterClose } from '../analyze/kpi';

/** The case fields a mapping can fill (standard SOC terms; shared/docs/soc-peers-and-kpis.md §4.2). */
export const CASE_FIELDS = ['id', 'title', 'created', 'acknowledged', 'closed', 'analyst', 'severity', 'status', 'disposition', 'rule'] as const;
export type CaseField = (typeof CASE_FIELDS)[number];
export const TIME_FIELDS: CaseField[] = ['created', 'acknowledged', 'closed'];

/** Case field → column name in the input. */
export type CaseMapping = Partial<Record<CaseField, string>>;

export interface CaseRecord {
  id?: string;
  title: string;
  /** Epoch ms UTC. */
  created?: number;
  acknowledged?: number;
  closed?: number;
  analyst?: string;
  severity?: string;
  status?: string;
  disposition?: string;
  /** Detection rules / sources (a case can have several: QRadar `rules[]`, or `a; b` in a CSV cell). */
  rules: string[];
  file: string;
  /** 1-based line (CSV/NDJSON) or record number (JSON array). */
  line: number;
  /** Every input column as text (tagging rules may name any of them). */
  raw: Record<string, string>;
  /** What its file is: a generic case export (mapped columns) or QRadar offenses (set by {@link readCases}). */
  source?: CaseSource;
}

/** The kind of one case file: a generic case export (mapped columns) or QRadar offenses. */
export type CaseSource = 'generic' | 'qradar-offenses';

/**
 * QRadar offense fields that no offense has (`acknowledged`: QRadar keeps no acknowledgement time): beside generic
 * files that have the field, an offense file lacks it (`CasesInput.lacking`) rather than having offenses with none.
 */
const QRADAR_ABSENT_FIELDS: readonly CaseField[] = ['acknowledged'];

export interface CasesInput {
  /**
   * `generic` (mapped columns), `qradar-offenses`, or `mixed` when the files that gave cases are of both kinds (each
   * file's kind in `fileSources`, each case's in {@link CaseRecord.source}).
   */
  source: CaseSource | 'mixed';
  /** The kind of each file read (file → kind), in input order. */
  fileSources?: Record<string, CaseSource>;
  files: string[];
  cases: CaseRecord[];
  /** The mapping used (generic inputs; for QRadar the fixed field mapping of the KPI doc §4.3). */
  mapping: CaseMapping;
  /** Input columns (first file). */
  columns: string[];
  /** Detected format per mapped time field. */
  timeFormats: Partial<Record<CaseField, TimestampFormat>>;
  /**
   * Fields the input does not provide (unmapped or column absent in every file that gave cases; QRadar: no offense
   * has a value): KPIs needing them are unavailable.
   */
  missing: CaseField[];
  /**
   * Fields some case files have and others lack (a generic file without the mapped column, or whose times no format
   * reads): field → those files. KPIs needing the field count the other files' cases only and say so. A QRadar offense
   * file lacks only `acknowledged` here (beside generic files that have it: QRadar keeps no acknowledgement time); an
   * offense export without a closing reason or owner has offenses with none, it does not lack the field.
   */
  lacking?: Partial<Record<CaseField, string[]>>;
  /** Carried zone → number of timestamps (for the "majority" display zone). */
  zoneEvidence: Record<string, number>;
  /** Counts of time values by kind. */
  timeStats: { aware: number; naive: number; ambiguous: number; nonexistent: number; unparsed: number };
  /** Notes about the input (e.g. "created = start_time: first_persisted_time absent"). */
  notes: string[];
  errors: ParseError[];
  /**
   * Files found in a folder (`CasesOptions.inFolder`) that were not read as cases, with the reason: empty, or
   * plainly not a case export (no column gives the created time, or none the title or id).
   */
  skipped?: SkippedFile[];
  /**
   * The `skipped` tables of a folder whose columns are not recognised as a case export ({@link NO_CASE_COLUMNS}), by
   * header, largest group first, each with a guess of the mapping that reads them ({@link UnrecognisedTables}).
   */
  unrecognised?: UnrecognisedTables[];
  /**
   * Folder runs: the mapped columns (`CasesOptions.mapping`) that no file read or skipped has, even ignoring case and
   * surrounding spaces, with the closest header names of the tables skipped for their columns (of all files read when
   * none was).
   */
  unmatchedMapping?: UnmatchedMappedColumn[];
}

/** A mapped column that no file of a folder run has ({@link CasesInput.unmatchedMapping}). */
export interface UnmatchedMappedColumn {
  field: CaseField;
  /** The column name as mapped. */
  column: string;
  /** The closest header names ({@link closestColumns}), each with the first file that has it. */
  closest: { column: string; file: string }[];
}

export interface CasesOptions {
  /** Field → column (generic inputs). Unmapped fields are auto-suggested from the header. */
  mapping?: CaseMapping;
  /** Zone of naive time values. Default `UTC`. */
  sourceZone?: string;
  /** Reference instant for syslog dates without a year. */
  referenceMs?: number;
  /** QRadar: closing reasons file (default: `offense_closing_reasons.json|csv` beside the offenses). */
  closingReasonsPath?: string;
  /** QRadar: analytics rules file for rule names (default: the fetch's `<stem>.rules.json`, else `analytics_rules.json` beside). */
  rulesPath?: string;
  /**
   * Files found inside a folder rather than named (`discoverCaseFiles`): one that is empty or plainly not a case
   * export ({@link notCaseExportReason}) is `skipped` with the reason instead of read (a named file is always read).
   */
  inFolder?: ReadonlySet<string>;
  /**
   * File → the mapping of that file (the extension's mapping prompt, one per header: exports of several tools in one
   * run), used as given (column names resolved by {@link mappedColumn}) in place of `mapping` and the suggestion.
   */
  fileMappings?: Readonly<Record<string, CaseMapping>>;
  /**
   * Files named whose mapping the analyst declined (Escape on their header's prompt): judged as files found in a
   * folder (`inFolder`), so one that is not a case export is `skipped` with the reason instead of read.
   */
  declined?: readonly string[];
  /** Largest case file read (bytes; default and at most `MAX_TABLE_FILE_BYTES`, 1 GiB; tests set a small one). */
  maxBytes?: number;
}

/**
 * Column names per field, compared without case, spaces and punctuation. ServiceNow (`Number`, `Short description`,
 * `Opened`, `Resolved`, `Assigned to`, `Priority`, `State`, `Close code`), Jira (`Summary`, `Created`, `Resolved`,
 * `Assignee`, `Resolution`), Sentinel (`Title`, `CreatedTime`, `ClosedTime`, `Owner`, `Classification`), TheHive
 * (`title`, `createdAt`, `endDate`, `assignee`, `resolutionStatus`).
 */
const ALIASES: Record<CaseField, string[]> = {
  id: ['id', 'caseid', 'case', 'ticket', 'ticketid', 'incidentnumber', 'incidentid', 'number', 'key', 'offenseid'],
  title: ['title', 'name', 'summary', 'cases', 'casetitle', 'subject', 'shortdescription', 'description', 'offense', 'alertname'],
  created: ['created', 'createdtime', 'createdat', 'createdon', 'creationtime', 'opened', 'openedat', 'opentime', 'firstpersistedtime', 'detected', 'reported', 'starttime'],
  acknowledged: ['acknowledged', 'acknowledgedat', 'acknowledgedtime', 'ack', 'acktime', 'ackedat', 'firstmodifiedtime', 'triaged', 'triagedat', 'assignedat', 'assignedtime', 'firstresponse'],
  closed: ['closed', 'closedtime', 'closedat', 'closedon', 'closetime', 'resolved', 'resolvedat', 'resolvedtime', 'resolutiontime', 'enddate'],
  analyst: ['analyst', 'owner', 'assignee', 'assignedto', 'closinguser', 'closedby', 'handler', 'resolvedby'],
  severity: ['severity', 'priority', 'sev', 'urgency'],
  status: ['status', 'state'],
  disposition: ['disposition', 'classification', 'closingreason', 'resolution', 'verdict', 'outcome', 'closurecode', 'closecode', 'resolutioncode', 'resolutionstatus'],
  rule: ['rule', 'rules', 'rulename', 'detection', 'detectionrule', 'usecase', 'analyticrule', 'signature', 'source', 'alertsource', 'relatedanalyticruleids'],
};

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Suggests a mapping from header names (case-, space- and punctuation-insensitive aliases, e.g.
 * `Created At` → created, `Assigned To` → analyst, `Closing Reason` → disposition). Each column is
 * used once; fields earlier in {@link CASE_FIELDS} pick first; exact alias order decides within a field.
 */
export function suggestMapping(columns: string[]): CaseMapping {
  const out: CaseMapping = {};
  const used = new Set<string>();
  const byNorm = new Map<string, string>();
  for (const c of columns) if (!byNorm.has(norm(c))) byNorm.set(norm(c), c);
  for (const f of CASE_FIELDS) {
    for (const a of ALIASES[f]) {
      const col = byNorm.get(a);
      if (col && !used.has(col)) {
        out[f] = col;
        used.add(col);
        break;
      }
    }
  }
  return out;
}

/**
 * The column of `columns` a mapping names: the column of that exact name, else the one column whose name is the same
 * ignoring case and surrounding spaces (`ticket ref` → `Ticket Ref`); undefined when none is, or several are.
 */
export function mappedColumn(columns: readonly string[], name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (columns.includes(name)) return name;
  const key = name.trim().toLowerCase();
  const hits = columns.filter((c) => c.trim().toLowerCase() === key);
  return hits.length === 1 ? hits[0] : undefined;
}

/** `mapping` with each column name replaced by the column of `columns` it names ({@link mappedColumn}); names no column is kept as given. */
export function resolveMapping(columns: readonly string[], mapping: CaseMapping): CaseMapping {
  const out: CaseMapping = {};
  for (const f of CASE_FIELDS) if (mapping[f] !== undefined) out[f] = mappedColumn(columns, mapping[f]) ?? mapping[f];
  return out;
}

/**
 * The columns whose name is closest to `name`, best first, at most `max`: the same letters and digits (`TicketRef`,
 * `ticket_ref`), then one name inside the other (`Ticket` → `Ticket Ref`), then a few letters apart (edit distance,
 * ignoring case: at most 2, or a third of the name). [] when none is close.
 */
export function closestColumns(name: string, columns: readonly string[], max = 3): string[] {
  const key = name.trim().toLowerCase();
  if (!key) return [];
  const most = Math.max(2, Math.floor(key.length / 3));
  const scored: { column: string; score: number }[] = [];
  for (const column of new Set(columns)) {
    const c = column.trim().toLowerCase();
    if (!c) continue;
    let score: number | undefined;
    if (norm(c) !== '' && norm(c) === norm(key)) score = 0;
    else if ((c.length >= 3 && key.includes(c)) || (key.length >= 3 && c.includes(key))) score = 1 + Math.abs(c.length - key.length) / 1000;
    else {
      const d = editDistance(c, key, most);
      if (d <= most) score = 2 + d;
    }
    if (score !== undefined) scored.push({ column, score });
  }
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, max)
    .map((x) => x.column);
}

/**
 * Words of column names that suggest a field (lower case), for a table whose columns no alias names
 * ({@link guessMapping}): `Raised At` → created, `Headline` → title, `Ticket Ref` → id.
 */
const GUESS_WORDS: Partial<Record<CaseField, string[]>> = {
  created: ['created', 'creation', 'raised', 'opened', 'open', 'logged', 'reported', 'submitted', 'received', 'detected', 'start', 'started'],
  title: ['title', 'headline', 'summary', 'subject', 'name', 'description', 'desc'],
  id: ['id', 'ref', 'reference', 'number', 'no', 'nr', 'num', 'key', 'ticket', 'case', 'incident'],
};

/**
 * A guess of the columns of `fields` (created, title, id only) from the words of the column names
 * (`GUESS_WORDS`; `RaisedAt`, `raised_at` and `Raised At` alike), each column used once, in the order of `fields`.
 * Fields no column suggests are left out: a guess to show, never applied.
 */
export function guessMapping(columns: readonly string[], fields: readonly CaseField[]): CaseMapping {
  const words = (c: string) => c.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const out: CaseMapping = {};
  const used = new Set<string>();
  for (const f of fields) {
    const list = GUESS_WORDS[f];
    if (!list) continue;
    const col = columns.find((c) => !used.has(c) && words(c).some((w) => list.includes(w)));
    if (col !== undefined) {
      out[f] = col;
      used.add(col);
    }
  }
  return out;
}

/** `--map` text of a mapping (`Raised At=created,Headline=title`), in the order of the fields of `mapping`. */
export function mappingSpec(mapping: CaseMapping): string {
  return Object.entries(mapping)
    .map(([f, c]) => `${c}=${f}`)
    .join(',');
}

/** What {@link sampleCaseMapping} found at the start of a case file. */
export interface CaseMappingSample {
  /** The columns of the sampled rows (the header's, for a CSV). */
  columns: string[];
  /** The first record's values (the mapping prompt shows them as examples). */
  firstRow?: Record<string, unknown>;
  /** JSON: the member of the top-level object the records were found under (`events` of Ariel results). */
  member?: string;
  /** {@link suggestMapping} of the columns, overridden by `saved`; fields whose column is not in the file left out. */
  mapping: CaseMapping;
  /** Bytes read from the file (bounded: see `readTabularSample`). */
  bytesRead: number;
  /**
   * Set when the file's first bytes are no text (`sniffNotText`: compressed, an archive, binary data): then
   * no columns, and no mapping prompt — the analysis skips it with {@link notTextCaseReason}.
   */
  notText?: NotTextKind;
}

/**
 * The column mapping of a generic case file (CSV, TSV, NDJSON) before its analysis, from its header and first
 * records only (`readTabularSample`: at most about 1 MiB, never the whole file): the suggestion for its columns,
 * overridden by the `saved` mapping (the setting `socAnalytics.kpi.columnMapping`), without the fields whose column
 * the file does not have. No columns (an empty or unreadable file, a JSON document that is no array): `columns` empty.
 * A compressed or binary file (its first bytes: `readTabularSample`'s `notText`) gets no columns: `notText` says what it is.
 */
export async function sampleCaseMapping(file: string, saved: CaseMapping = {}, opts: { maxBytes?: number; maxLines?: number } = {}): Promise<CaseMappingSample> {
  const t = await readTabularSample(file, opts);
  // a PNG named image.csv had its first bytes offered as columns ("‰PNG, col_2, …") before being refused as binary
  if (t.notText) return { columns: [], mapping: {}, bytesRead: t.bytesRead, notText: t.notText };
  const mapping: CaseMapping = { ...suggestMapping(t.columns), ...resolveMapping(t.columns, saved) };
  for (const f of CASE_FIELDS) if (mapping[f] && !t.columns.includes(mapping[f]!)) delete mapping[f];
  return { columns: t.columns, firstRow: t.rows[0]?.values, ...(t.member !== undefined ? { member: t.member } : {}), mapping, bytesRead: t.bytesRead };
}

/**
 * Parses `--map` text `col=field,col2=field2` (column names may contain spaces; `=` splits at the
 * last `=`). Throws an Error naming the bad entry when a field is not one of {@link CASE_FIELDS}.
 */
export function parseMappingSpec(spec: string): CaseMapping {
  const out: CaseMapping = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new Error(`bad mapping entry "${part}": expected column=field`);
    const col = part.slice(0, eq).trim();
    const field = part.slice(eq + 1).trim() as CaseField;
    if (!CASE_FIELDS.includes(field)) throw new Error(`bad mapping entry "${part}": field must be one of ${CASE_FIELDS.join(', ')}`);
    out[field] = col;
  }
  return out;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = (typeof v === 'object' ? JSON.stringify(v) : String(v)).trim();
  return s === '' ? undefined : s;
}

function rawOf(values: Record<string, unknown>): Record<string, string> {
  const raw: Record<string, string> = {};
  // defineProperty: a `__proto__` column is data, not the prototype (plain assignment dropped it)
  for (const [k, v] of Object.entries(values)) Object.defineProperty(raw, k, { value: text(v) ?? '', enumerable: true, writable: true, configurable: true });
  return raw;
}

/** Splits a rule cell: JSON arrays, or `;` / `|` / newline separated names. */
export function splitRules(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => text(typeof x === 'object' && x !== null && 'name' in x ? (x as { name: unknown }).name : x)).filter((x): x is string => !!x);
  const s = text(v);
  if (!s) return [];
  return s
    .split(/[;|\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** ` (column names are matched exactly, else ignoring case and surrounding spaces when that names one column; closest column: "Ticket Ref")` for a mapped column name no column has ({@link closestColumns}). */
function closestText(name: string, columns: readonly string[]): string {
  const c = closestColumns(name, columns);
  return ` (column names are matched exactly, else ignoring case and surrounding spaces when that names one column${c.length ? `; closest column${c.length === 1 ? '' : 's'}: ${c.map((x) => JSON.stringify(x)).join(', ')}` : ''})`;
}

/** Converts a mapped generic table into cases (see module comment). */
export function tableToCases(table: Tabular, mapping: CaseMapping, opts: CasesOptions = {}): Omit<CasesInput, 'source' | 'files'> {
  const errors: ParseError[] = [...table.errors];
  const notes: string[] = [];
  const missing: CaseField[] = CASE_FIELDS.filter((f) => !mapping[f] || !table.columns.includes(mapping[f]!));
  for (const f of CASE_FIELDS) if (mapping[f] && !table.columns.includes(mapping[f]!)) notes.push(`column "${mapping[f]}" mapped to ${f} is not in the input${closestText(mapping[f]!, table.columns)}`);
  const timeFormats: CasesInput['timeFormats'] = {};
  for (const f of TIME_FIELDS) {
    // no rows (a header only): the column is there, nothing to read — not "no created column"
    if (missing.includes(f) || table.rows.length === 0) continue;
    const col = mapping[f]!;
    // the first 500 non-empty values wherever they are: an export sorted newest first has its closed times only
    // below hundreds of open cases (a sample of the first 500 rows held none, and every closed time was dropped)
    const g = detectFormat(nonEmptySample(table.rows, (r) => r.values[col]));
    if (g) timeFormats[f] = g.format;
    else {
      notes.push(`no timestamp format reads column "${col}" (${f}); treated as missing`);
      missing.push(f);
    }
  }
  const timeStats = { aware: 0, naive: 0, ambiguous: 0, nonexistent: 0, unparsed: 0 };
  const evidence: Record<string, number> = {};
  const width = table.header?.length;
  const cases: CaseRecord[] = [];
  for (const r of table.rows) {
    const v = r.values;
    // A record of empty fields (a line of spaces, or `,,,,` rows a spreadsheet leaves below the data) is no case: it
    // was counted as an open, unassigned case without id or times, and no line said so.
    if (blankRecord(v)) {
      errors.push({ file: table.file, line: r.line, message: 'empty record (every field blank): not a case, skipped' });
      continue;
    }
    // A CSV record with fewer fields than the header is read with the missing fields empty, as the QRadar CSV reader
    // does, and said at its line (`C-99,x` became a case without times, silently).
    if (width !== undefined && r.cells && r.cells.length < width) {
      errors.push({ file: table.file, line: r.line, message: `record has ${r.cells.length} ${r.cells.length === 1 ? 'field' : 'fields'}, header has ${width}: the missing fields are read as empty` });
    }
    const get = (f: CaseField) => (mapping[f] && !missing.includes(f) ? v[mapping[f]!] : undefined);
    const c: CaseRecord = { title: text(get('title')) ?? '', rules: splitRules(get('rule')), file: table.file, line: r.line, raw: rawOf(v) };
    const id = text(get('id'));
    if (id) c.id = id;
    for (const f of ['analyst', 'severity', 'status', 'disposition'] as const) {
      const t = text(get(f));
      if (t) c[f] = t;
    }
    if (c.analyst !== undefined) {
      const a = accountName(c.analyst);
      if (a) c.analyst = a;
      else delete c.analyst;
    }
    for (const f of TIME_FIELDS) {
      const fmt = timeFormats[f];
      if (!fmt) continue;
      const res: ResolvedTime = parseTimestamp(get(f), fmt, { sourceZone: opts.sourceZone, referenceMs: opts.referenceMs });
      if (res.ms !== undefined && (res.ms < EARLIEST_CASE_MS || res.ms >= LATEST_CASE_MS)) {
        // a placeholder (.NET's 0001-01-01, epoch 0, Excel's 1899-12-30) is no time of the case: it aged an open case
        // 739,684 days and moved the backlog's mean by centuries, without a word (QRadar offenses: the same range)
        timeStats.unparsed++;
        errors.push({ file: table.file, line: r.line, message: `${f} (${mapping[f]}): out of range: ${Math.abs(res.ms) <= 8.64e15 ? utcText(res.ms) : String(get(f))} is outside 1990–2100 (a placeholder date?); left empty` });
        continue;
      }
      if (res.flag) {
        timeStats[res.flag]++;
        errors.push({ file: table.file, line: r.line, message: `${f} (${mapping[f]}): ${res.flag}: ${res.note ?? ''}` });
      } else if (res.ms !== undefined) {
        if (res.aware) timeStats.aware++;
        else timeStats.naive++;
      }
      if (res.ms !== undefined) (c as unknown as Record<string, number>)[f] = res.ms;
      addEvidence(evidence, [res]);
    }
    cases.push(c);
  }
  if (timeStats.naive > 0) notes.push(`${timeStats.naive === 1 ? '1 time value carries' : `${timeStats.naive} time values carry`} no zone and ${timeStats.naive === 1 ? 'was' : 'were'} read in ${opts.sourceZone || 'UTC'}`);
  return { cases, mapping, columns: table.columns, timeFormats, missing, zoneEvidence: evidence, timeStats, notes, errors };
}

/** Plausible case times, as for QRadar offenses and `--as-of`: from 1990-01-01 to before 2100-01-01 UTC (epoch ms). */
const EARLIEST_CASE_MS = Date.UTC(1990, 0, 1);
const LATEST_CASE_MS = Date.UTC(2100, 0, 1);

/**
 * True when a record holds nothing: every value is absent, `null` or text of white space only (a CSV line of spaces
 * or of delimiters alone, an NDJSON `{}`). Own keys only.
 */
function blankRecord(v: Record<string, unknown>): boolean {
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (typeof x === 'string' && x.trim() === '') continue;
    return false;
  }
  return true;
}

/**
 * Reads one or more case files (CSV/JSON/NDJSON, or QRadar offense JSON detected by shape: objects
 * with `id` and `offense_source`/`offense_type`). All files use the same mapping (the first file's
 * header decides the suggestion). Never rejects on bad data; unreadable files are line-0 errors.
 */
export async function readCases(files: string[], opts: CasesOptions = {}): Promise<CasesInput> {
  const all: CasesInput = {
    source: 'generic',
    files,
    cases: [],
    mapping: {},
    columns: [],
    timeFormats: {},
    missing: [],
    zoneEvidence: {},
    timeStats: { aware: 0, naive: 0, ambiguous: 0, nonexistent: 0, unparsed: 0 },
    notes: [],
    errors: [],
    skipped: [],
    fileSources: {},
  };
  let first = true;
  /** The case of each QRadar offense read (offenses are one case each, in order), for their dedup. */
  const caseOfOffense = new Map<QRadarOffense, CaseRecord>();
  /** Each file's missing fields (files that gave cases; all files when none did). */
  const perFile: { file: string; missing: CaseField[]; cases: number; qradar: boolean }[] = [];
  /** The header of each table seen (read, or skipped by its header), and those skipped for their columns. */
  const tables: { file: string; columns: string[] }[] = [];
  const unrecognised: { file: string; columns: string[] }[] = [];
  for (const file of files) {
    const found = (opts.inFolder?.has(file) ?? false) || (opts.declined?.includes(file) ?? false);
    // a compressed or binary file, named or found in a folder, is told by its first bytes (as `tz convert` tells it)
    // and skipped unread with what it is: a PNG named image.csv was read as 187 cases, a .csv.gz as 7 (exit 0)
    const notText = await sniffNotTextFile(file);
    if (notText) {
      all.skipped!.push({ file, reason: notTextCaseReason(file, notText) });
      continue;
    }
    const own = opts.fileMappings?.[file];
    // a file found in a folder that is plainly no case export by its header and first records is skipped unread
    // (a 100 MB flow export beside the cases was read and parsed whole, 40 s and 1.5 GB, only to be skipped)
    const early = found ? await notCaseExportBySample(file, own ?? opts.mapping) : undefined;
    if (early) {
      all.skipped!.push({ file, reason: early.reason });
      tables.push({ file, columns: early.columns });
      if (early.reason.startsWith(NO_CASE_COLUMNS)) unrecognised.push({ file, columns: early.columns });
      continue;
    }
    let text: string | undefined;
    let part: Omit<CasesInput, 'source' | 'files'>;
    // bytes that are not UTF-8 (a windows-1252 export) are read as windows-1252 and reported, not made U+FFFD silently
    let encodingWarning: ParseError | undefined;
    try {
      // opened once and read through that handle, at most the limit + 1 bytes: a FIFO named (or swapped in after a
      // stat) is refused, never waited on; a file over the limit, or grown past it, is refused with its size
      const read = await readTableFileBytes(file, opts.maxBytes);
      if (!read.buf) {
        all.errors.push({ file, line: 0, message: read.problem });
        continue;
      }
      const buf = read.buf;
      // a file whose cases would not fit in the heap left is refused unread (3 million cases ended the process)
      const tooLarge = tableMemoryProblem(buf, KPI_CASES_MEMORY);
      if (tooLarge) {
        all.errors.push({ file, line: 0, message: tooLarge });
        continue;
      }
      ({ text, warning: encodingWarning } = decodeTableText(buf, file));
    } catch (e) {
      all.errors.push({ file, line: 0, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (found && text.trim() === '') {
      all.skipped!.push({ file, reason: 'empty file' });
      continue;
    }
    const ext = path.extname(file).toLowerCase();
    const json = ext === '.csv' || ext === '.tsv' ? undefined : readOffensesText(text, file);
    if (json && 'apiError' in json) {
      // a QRadar API error answer saved in place of an export (named or found in a folder): a problem, as in `qradar`
      all.skipped!.push({ file, reason: json.apiError });
      all.errors.push(apiErrorProblem(file, json.apiError));
      continue;
    }
    // QRadar offenses have no acknowledgement time: a file shaped as offenses (`id`, `description`, `start_time`) with a
    // column for it is a generic case export, read with its acknowledgements (they were dropped, and the note that
    // the file "has no acknowledged column" was false)
    const ackColumn = json && 'offenses' in json ? await acknowledgedColumn(file, own ?? opts.mapping) : undefined;
    const offenses = ackColumn === undefined ? json : undefined;
    if (ackColumn !== undefined) all.notes.push(`${path.basename(file)}: read as a generic case export, not QRadar offenses: it has an acknowledgement column ("${ackColumn}"), which QRadar offenses never have`);
    if (offenses) {
      // the closing reasons of this export only (its fetch's list, else the lists in its folder: ids are per console)
      const reasons = await readExportClosingReasons(file, opts.closingReasonsPath);
      // the rule names of this export only (its fetch's <stem>.rules.json, else analytics_rules.json in its folder: ids are per console)
      const ruleNames = await readExportRuleNames(file, opts.rulesPath);
      for (const [k, v] of offenses.reasons) if (!reasons.map.has(k)) reasons.map.set(k, v);
      for (const [k, v] of offenses.rules) if (!ruleNames.map.has(k)) ruleNames.map.set(k, v);
      part = offensesToCases(offenses.offenses, file, { reasons: reasons.map, ruleNames: ruleNames.map });
      offenses.offenses.forEach((o, i) => caseOfOffense.set(o, part.cases[i]));
      for (const x of [...offenses.errors, ...reasons.errors, ...ruleNames.errors]) part.errors.push(x);
      if (reasons.files.length) part.notes.push(`closing reasons from ${reasons.files.map((f) => path.basename(f)).join(' and ')} (${reasons.map.size})`);
      else part.notes.push('no offense_closing_reasons.json beside the offenses: dispositions are "closing_reason_id <n>"');
      if (ruleNames.files.length) part.notes.push(`rule names from ${ruleNames.files.map((f) => path.basename(f)).join(' and ')} (${ruleNames.map.size})`);
    } else {
      const table = parseTabularText(text, file);
      const mapping = own
        ? resolveMapping(table.columns, own)
        : found
          ? folderFileMapping(table.columns, opts.mapping)
          : { ...suggestMapping(table.columns), ...resolveMapping(table.columns, opts.mapping ?? {}) };
      // a damaged JSON file is a problem (line, column), not a file that is no case export
      const damaged = table.columns.length === 0 && table.errors.some((e) => e.message.startsWith(DAMAGED_JSON));
      // a file named (not found in a folder) is read whatever its columns, except another tool's export that its mapping
      // does not read as cases (a QRadar Log Activity export named to kpi read its 5 events as 5 cases): refused with
      // what it is and which analysis reads it, as in a folder
      const notCases = damaged ? undefined : found ? notCaseExportReason(contentOf(table), mapping, text.includes('\u0000')) : namedOtherToolReason(table.columns, mapping);
      tables.push({ file, columns: table.columns });
      if (notCases) {
        all.skipped!.push({ file, reason: notCases });
        if (notCases.startsWith(NO_CASE_COLUMNS)) unrecognised.push({ file, columns: table.columns });
        continue;
      }
      part = tableToCases(table, mapping, opts);
    }
    // a file that gave nothing is named with the reason (it was silently ignored)
    if (part.cases.length === 0 && !part.errors.some((e) => e.file === file))
      part.errors.push({
        file,
        line: 0,
        message: text.includes('\u0000')
          ? 'binary file, not a CSV/JSON case export; skipped'
          : text.trim() === ''
            ? 'empty file: no cases'
            : !offenses && part.columns.length > 0 && !/[\r\n]/.test(text.replace(/^\uFEFF/, '').trim())
              ? 'no cases (the file has a header only)'
              : 'no case records (only a header line, or a layout that is not a case export)',
      });
    // the first file with a header (a damaged JSON file before it has none)
    if (first && part.columns.length > 0) {
      all.mapping = part.mapping;
      all.columns = part.columns;
      all.timeFormats = part.timeFormats;
      first = false;
    }
    perFile.push({ file, missing: part.missing, cases: part.cases.length, qradar: !!offenses });
    const source: CaseSource = offenses ? 'qradar-offenses' : 'generic';
    all.fileSources![file] = source;
    for (const c of part.cases) c.source = source;
    // one push per case: push(...part.cases) throws RangeError (call stack) past ~120,000 cases in a file
    for (const x of part.cases) all.cases.push(x);
    if (encodingWarning && part.cases.length > 0) all.errors.push(encodingWarning); // a binary file is named as such only
    for (const x of part.errors) all.errors.push(x);
    for (const n of part.notes) if (!all.notes.includes(n)) all.notes.push(n);
    for (const [z, n] of Object.entries(part.zoneEvidence)) all.zoneEvidence[z] = (all.zoneEvidence[z] ?? 0) + n;
    for (const k of Object.keys(all.timeStats) as (keyof CasesInput['timeStats'])[]) all.timeStats[k] += part.timeStats[k];
  }
  if (all.skipped!.length) {
    const skipped = new Set(all.skipped!.map((k) => k.file));
    all.files = files.filter((f) => !skipped.has(f));
  }
  // the kinds of the files that gave cases (of all files read when none did): one kind, or mixed
  const withCases = perFile.filter((p) => p.cases > 0);
  const kinds = new Set((withCases.length ? withCases : perFile).map((p) => (p.qradar ? 'qradar-offenses' : 'generic') as CaseSource));
  all.source = kinds.size > 1 ? 'mixed' : kinds.has('qradar-offenses') ? 'qradar-offenses' : 'generic';
  Object.assign(all, missingOfFiles(perFile));
  if (unrecognised.length) all.unrecognised = unrecognisedTables(unrecognised, opts.mapping);
  if (opts.inFolder?.size && opts.mapping) {
    const unmatched = unmatchedMappedColumns(opts.mapping, tables, unrecognised.length ? unrecognised : tables);
    if (unmatched.length) all.unmatchedMapping = unmatched;
  }
  dedupeOffenseCases(all, caseOfOffense);
  dedupeCaseIds(all, new Set(caseOfOffense.values()));
  return all;
}

/** The table of a file, or the start of it (`readTabularSample`), as far as {@link isQRadarLookupFile} looks at it. */
export interface TableContent {
  /** Its columns (JSON: the keys of its records). */
  columns: readonly string[];
  /** JSON: the member of the top-level object its records were found under (`events` of Ariel results). */
  member?: string;
  /** Its first record's values. */
  firstRow?: Record<string, unknown>;
}

/** `format` of the manifest a `qradar-fetch` writes beside its offenses (fetch.ts). */
const FETCH_MANIFEST_FORMAT = 'soc-analytics/qradar-offenses-fetch';

/**
 * Whether a table is a QRadar lookup list, search status or search result that sits beside offense exports (read for
 * lookups, never as cases, never offered for column mapping), told from its content whatever the file is named (by
 * name, a closing-reasons list saved as `reasons.json` was offered for mapping as case data, and a case export saved
 * as `offense_types.csv` was skipped). Columns compared without case, spaces or punctuation:
 * - closing reasons (qradar.md §3): `id` and `text`, and no columns but `is_reserved` and `is_deleted` (also the
 *   seed notebook's `id,text` CSV);
 * - offense types (§3): `id`, `name` and `property_name` or `database_type`;
 * - analytics rules: `id`, `name`, `origin` and `identifier`; rule groups: `id`, `name` and `child_items` or
 *   `child_groups`; log sources: `id`, `name`, `type_id` and `protocol_type_id`;
 * - source / local destination addresses (§3): `source_ip` or `local_destination_ip` with `offense_ids`;
 * - offense notes: `note_text`; Ariel search status (§4): `search_id` or `cursor_id` with `status`;
 * - Ariel results (§5.3): records under a top-level `events` or `flows`;
 * - the manifest of a `qradar-fetch` (`format` {@link FETCH_MANIFEST_FORMAT}; read as a table, its `runs` with
 *   `startedAt` and `outcome`).
 */
export function isQRadarLookupFile(t: TableContent): boolean {
  if (t.member === 'events' || t.member === 'flows' || t.firstRow?.format === FETCH_MANIFEST_FORMAT) return true;
  const c = new Set(t.columns.map(norm));
  const has = (k: string) => c.has(k);
  if (t.member === 'runs' && has('startedat') && has('outcome')) return true; // the manifest, read as its runs
  if (has('notetext') || ((has('searchid') || has('cursorid')) && has('status'))) return true;
  if (!has('id')) return false;
  if (has('text') && [...c].every((k) => ['id', 'text', 'isreserved', 'isdeleted'].includes(k))) return true;
  if ((has('sourceip') || has('localdestinationip')) && has('offenseids')) return true;
  if (!has('name')) return false;
  return has('propertyname') || has('databasetype') || (has('origin') && has('identifier')) || has('childitems') || has('childgroups') || (has('typeid') && has('protocoltypeid'));
}

/** {@link TableContent} of a table read (or sampled) by cases-input. */
function contentOf(t: Tabular): TableContent {
  return { columns: t.columns, member: t.member, firstRow: t.rows[0]?.values };
}

/** Column names QRadar offenses have (one of them, or `description` with `start_time`, beside `id`), compared as `norm` (no case, spaces or punctuation). */
function offenseLike(columns: string[]): boolean {
  const c = new Set(columns.map(norm));
  return c.has('id') && (c.has('offensesource') || c.has('offensetype') || c.has('magnitude') || (c.has('description') && c.has('starttime')));
}

/**
 * The column of a JSON file that gives the acknowledged time (suggested by its name, or `mapping.acknowledged`), from
 * its first records (`readTabularSample`, 256 KiB at most); undefined when it has none. QRadar offenses never have
 * one: a file with one is read as a generic case export.
 */
async function acknowledgedColumn(file: string, mapping: CaseMapping | undefined): Promise<string | undefined> {
  const t = await readTabularSample(file, { maxBytes: 256 * 1024, maxLines: 50 });
  const col = resolveMapping(t.columns, { ...suggestMapping(t.columns), ...(mapping ?? {}) }).acknowledged;
  return col !== undefined && t.columns.includes(col) ? col : undefined;
}

/**
 * {@link notCaseExportReason} of a file found in a folder, told from its header and first records only
 * (`readTabularSample`: about 1 MiB at most), for a file longer than that: undefined when the sample is the whole
 * file (read as before), has no records (a JSON document that is no array: read whole), may be QRadar offenses, or may
 * be a case export. The reasons are those of the whole file (same columns, same mapping); with the sample's columns.
 */
async function notCaseExportBySample(file: string, mapping: CaseMapping | undefined): Promise<{ reason: string; columns: string[] } | undefined> {
  const t = await readTabularSample(file);
  if (!t.truncated || t.columns.length === 0 || t.errors.some((e) => e.line === 0) || offenseLike(t.columns)) return undefined;
  const binary = t.columns.some((c) => c.includes('\u0000')) || t.rows.some((r) => Object.values(r.values).some((v) => typeof v === 'string' && v.includes('\u0000')));
  const reason = notCaseExportReason(contentOf(t), folderFileMapping(t.columns, mapping), binary);
  return reason === undefined ? undefined : { reason, columns: t.columns };
}

/**
 * The mapping of a file found in a folder: {@link suggestMapping} of its columns, overridden by the fields of `mapping`
 * whose column the file has. A folder may hold exports of several tools: a mapping made for one of them (the column
 * mapping prompt, `--map`, the setting) leaves the others their suggested columns (a mapped column a file lacks made
 * that field missing there, and the file was skipped as no case export). A file named explicitly keeps the mapping as
 * given (a mapped column it lacks is noted).
 */
export function folderFileMapping(columns: string[], mapping: CaseMapping | undefined): CaseMapping {
  const out: CaseMapping = suggestMapping(columns);
  for (const f of CASE_FIELDS) {
    const col = mappedColumn(columns, mapping?.[f]);
    if (col !== undefined) out[f] = col;
  }
  return out;
}

/** Case files sharing one header (one mapping prompt; tables skipped for their columns, one note). */
export interface UnmappedCaseFiles {
  /** Their header. */
  columns: string[];
  /** The files, in the order given. */
  files: string[];
}

/** The fields of a guessed mapping, in the order guessed and shown. */
const GUESS_ORDER: readonly CaseField[] = ['created', 'title', 'id'];

/** Tables of a folder skipped for their columns, sharing one header ({@link CasesInput.unrecognised}). */
export interface UnrecognisedTables extends UnmappedCaseFiles {
  /** The fields to map so that they are read: `created` and/or `title` and `id` (one of the two is enough). */
  lacks: CaseField[];
  /**
   * A plausible mapping of `lacks` guessed from the header ({@link guessMapping}), with the columns the run's mapping
   * gives the table; undefined when no plausible one is.
   */
  guess?: CaseMapping;
}

/**
 * What a table lacks to be read as a case export after `mapping` ({@link folderFileMapping}: `m`): `created` and/or
 * `title` and `id` (one of the two is enough), a guess of those fields from the columns `m` leaves free
 * ({@link guessMapping}; possibly partial), and whether the guess gives every field lacked (`plausible`).
 */
function guessLacked(columns: string[], mapping: CaseMapping | undefined): { m: CaseMapping; lacks: CaseField[]; guess: CaseMapping; plausible: boolean } {
  const m = folderFileMapping(columns, mapping);
  const lacks: CaseField[] = [...(m.created ? [] : ['created' as const]), ...(m.title || m.id ? [] : ['title' as const, 'id' as const])];
  const used = new Set(Object.values(m));
  const guess = guessMapping(
    columns.filter((c) => !used.has(c)),
    GUESS_ORDER.filter((f) => lacks.includes(f)),
  );
  const plausible = !!((!lacks.includes('created') || guess.created) && (!lacks.includes('title') || guess.title || guess.id));
  return { m, lacks, guess, plausible };
}

/**
 * The mapping a mapping prompt offers for a table with `columns`: the columns `mapping` (the saved mapping) or the
 * suggestion gives ({@link folderFileMapping}), and for the created time, title and id they leave without a column, the
 * columns guessed from the header words (as the `--map` of the skipped-tables note, {@link unrecognisedTablesText};
 * `Raised At` → created, `Headline` → title, `Ticket Ref` → id), even when the guess does not give them all.
 */
export function mappingOffer(columns: string[], mapping?: CaseMapping): CaseMapping {
  const { m, guess } = guessLacked(columns, mapping);
  return { ...m, ...guess };
}

/** The key of a header (its column names in order, exact): files with the same key share one mapping prompt. */
export function headerKey(columns: readonly string[]): string {
  return JSON.stringify(columns);
}

/** Files of one header offered for mapping before a cases analysis ({@link caseMappingGroups}). */
export interface CaseMappingGroup extends UnmappedCaseFiles {
  /** {@link headerKey} of `columns`. */
  key: string;
  /** Whether the files are not recognised as a case export with the run's mapping (no created time, or no title or id). */
  needed: boolean;
  /** The mapping remembered for this header (`remembered[key]`), if any. */
  remembered?: CaseMapping;
  /** The mapping to offer: the remembered one, else {@link mappingOffer}. */
  offer: CaseMapping;
}

/**
 * The case files of a run grouped by header (largest group first, then in the order given), for the mapping prompts:
 * the groups whose files are not recognised as a case export with `mapping` (`needed`), or whose header has a
 * `remembered` mapping (by {@link headerKey}), or every group with `all` (the prompt asked for). Left out: files with
 * no columns, compressed and binary files (`notText` of {@link sampleCaseMapping}), QRadar offenses and lookup lists (never mapped; told by content, {@link isQRadarLookupFile}).
 * `samples`: each file's header, and for JSON its member and first record (the start of each file, `sampleCaseMapping`).
 */
export function caseMappingGroups(
  samples: ({ file: string; columns: string[]; notText?: NotTextKind } & Omit<TableContent, 'columns'>)[],
  opts: { mapping?: CaseMapping; remembered?: Readonly<Record<string, CaseMapping>>; all?: boolean } = {},
): CaseMappingGroup[] {
  const groups = new Map<string, CaseMappingGroup>();
  for (const sample of samples) {
    const { file, columns } = sample;
    if (!mappableTable(sample)) continue;
    const key = headerKey(columns);
    const g = groups.get(key);
    if (g) {
      g.files.push(file);
      continue;
    }
    const needed = notCaseExportReason(sample, folderFileMapping(columns, opts.mapping)) !== undefined;
    const remembered = opts.remembered && Object.prototype.hasOwnProperty.call(opts.remembered, key) ? opts.remembered[key] : undefined;
    if (!needed && !remembered && !opts.all) continue;
    groups.set(key, { key, columns, files: [file], needed, ...(remembered ? { remembered } : {}), offer: remembered ? { ...remembered } : mappingOffer(columns, opts.mapping) });
  }
  return [...groups.values()].sort((a, b) => b.files.length - a.files.length);
}

/**
 * Whether a table is a QRadar API error answer saved in place of an export: one object with `http_response` and
 * `message` (qradar.md §2 *Error body shape*; read by `qradar` and the cases analysis as a problem, never as cases).
 */
export function isQRadarApiErrorTable(t: TableContent): boolean {
  const c = new Set(t.columns.map(norm));
  return c.has('httpresponse') && c.has('message');
}

/**
 * A table a mapping can read: it has columns and is no compressed or binary file (`notText`, or NUL in a column name), QRadar offenses, QRadar lookup list
 * ({@link isQRadarLookupFile}, by content) or QRadar API error answer ({@link isQRadarApiErrorTable}).
 */
function mappableTable(t: TableContent & { notText?: NotTextKind }): boolean {
  const { columns } = t;
  return !(t.notText !== undefined || columns.length === 0 || columns.some((c) => c.includes('\u0000')) || offenseLike([...columns]) || isQRadarLookupFile(t) || isQRadarApiErrorTable(t));
}

/**
 * Groups tables skipped for their columns by header (largest group first, then in the order given), with what they
 * lack after the mapping of the run ({@link folderFileMapping}) and a plausible guess of the mapping that reads them:
 * a column for every field lacked, or for one of title and id (and created when lacked).
 */
export function unrecognisedTables(tables: { file: string; columns: string[] }[], mapping?: CaseMapping): UnrecognisedTables[] {
  const groups = new Map<string, UnrecognisedTables>();
  for (const { file, columns } of tables) {
    const key = JSON.stringify(columns);
    const g = groups.get(key);
    if (g) {
      g.files.push(file);
      continue;
    }
    const { lacks, guess, plausible } = guessLacked(columns, mapping);
    // the columns the run's mapping gives this table stay in the example (a --map of the guess alone would drop them)
    const full: CaseMapping = {};
    for (const f of [...GUESS_ORDER, ...CASE_FIELDS.filter((x) => !GUESS_ORDER.includes(x))]) {
      const col = guess[f] ?? mappedColumn(columns, mapping?.[f]);
      if (col !== undefined) full[f] = col;
    }
    groups.set(key, { columns, files: [file], lacks, ...(plausible && Object.keys(guess).length ? { guess: full } : {}) });
  }
  return [...groups.values()].sort((a, b) => b.files.length - a.files.length);
}

/** `a.csv`, `a.csv and b.csv`, `a.csv, b.csv, c.csv and 2 more` (base names). */
export function fileList(files: readonly string[], names = 3): string {
  const b = files.map((f) => path.basename(f));
  if (b.length === 1) return b[0];
  if (b.length <= names) return `${b.slice(0, -1).join(', ')} and ${b[b.length - 1]}`;
  return `${b.slice(0, names).join(', ')} and ${b.length - names} more`;
}

/** Columns shown in the note of {@link unrecognisedTablesText}, at most. */
const NOTE_COLUMNS = 30;

/**
 * The note of tables skipped for their columns: the files, all their columns (up to {@link NOTE_COLUMNS}), and a
 * ready-to-edit `--map` guessed from the header, or the fields to map to:
 * `othertool_tickets.csv not read: columns not recognised as a case export (no column for the created time or title or
 * id): Ticket Ref, Headline, Raised At, … — to read it, map them, e.g. kpi --map "Raised At=created,Headline=title,Ticket
 * Ref=id" (guessed from the headers: check it; in VS Code: the mapping prompt of Analyze Cases on the files or folder, or
 * socAnalytics.kpi.columnMapping)`.
 */
export function unrecognisedTablesText(g: UnrecognisedTables): string {
  const cols = g.columns.slice(0, NOTE_COLUMNS).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c));
  const more = g.columns.length > NOTE_COLUMNS ? `, … (${g.columns.length} columns)` : '';
  const lacks = [g.lacks.includes('created') && 'created time', g.lacks.includes('title') && 'title or id'].filter(Boolean).join(' or ');
  const it = g.files.length === 1 ? 'it' : 'them';
  const how = g.guess
    ? `map the columns, e.g. kpi --map "${mappingSpec(g.guess)}" (guessed from the headers: check it`
    : `map a column to ${[g.lacks.includes('created') && 'created', g.lacks.includes('title') && 'title or id'].filter(Boolean).join(' and ')} (kpi --map "column=field,…"; fields: ${CASE_FIELDS.join(', ')}`;
  return `${fileList(g.files)} not read: columns not recognised as a case export (no column for the ${lacks}): ${cols.join(', ')}${more} — to read ${it}, ${how}; in VS Code: the mapping prompt of Analyze Cases on the files or folder, or socAnalytics.kpi.columnMapping)`;
}

/**
 * The mapped columns (`mapping`) that no table of `tables` has ({@link mappedColumn}), with the closest header names of
 * `candidates` ({@link closestColumns}), each with the first file that has it.
 */
export function unmatchedMappedColumns(mapping: CaseMapping, tables: { file: string; columns: string[] }[], candidates: { file: string; columns: string[] }[]): UnmatchedMappedColumn[] {
  const out: UnmatchedMappedColumn[] = [];
  const fileOf = new Map<string, string>();
  for (const t of candidates) for (const c of t.columns) if (!fileOf.has(c)) fileOf.set(c, t.file);
  for (const f of CASE_FIELDS) {
    const name = mapping[f];
    if (name === undefined || tables.some((t) => mappedColumn(t.columns, name) !== undefined)) continue;
    out.push({ field: f, column: name, closest: closestColumns(name, [...fileOf.keys()]).map((column) => ({ column, file: fileOf.get(column)! })) });
  }
  return out;
}

/**
 * The note of a mapped column no file of a folder has: `the mapped column "Ticket" (id) is in no file of the folder
 * (column names are matched exactly, else ignoring case and surrounding spaces when that names one column); closest header: "Ticket Ref" (othertool_tickets.csv)`.
 */
export function unmatchedMappingText(u: UnmatchedMappedColumn): string {
  const closest = u.closest.length
    ? `closest header${u.closest.length === 1 ? '' : 's'}: ${u.closest.map((c) => `${JSON.stringify(c.column)} (${path.basename(c.file)})`).join(', ')}`
    : 'no header is close to it';
  return `the mapped column ${JSON.stringify(u.column)} (${u.field}) is in no file of the folder (column names are matched exactly, else ignoring case and surrounding spaces when that names one column); ${closest}`;
}

/** The reason a binary file is not read as cases (found in a folder or named). */
export const BINARY_CASE_FILE = 'binary file, not a CSV/JSON case export';

/**
 * Why a case file (named or found in a folder) whose first bytes are no text ({@link sniffNotTextFile}, `kind`) is
 * skipped unread: `binary file, not a CSV/JSON case export`; a compressed file or archive with its usual ending as a
 * folder's (`compressed file (.gz): extract the case export first`), else by what its bytes are (`gzip-compressed
 * file: extract the case export first` for gzip data named `cases.csv`). `kpi` reads no archive.
 */
export function notTextCaseReason(file: string, kind: NotTextKind): string {
  if (kind === 'binary') return BINARY_CASE_FILE;
  return compressedCaseFileReason(path.extname(file).slice(1).toLowerCase()) ?? `${notTextKindText(kind)}: extract the case export first`;
}

/** The start of the reason a table whose columns are not recognised is skipped with (see {@link MAP_HINT}). */
export const NO_CASE_COLUMNS = 'not a case export: no column for the';

/** How to read such tables after all, said once after the skipped files (CLI and extension). */
export const MAP_HINT = 'to read a table skipped for its columns, map them (kpi --map "column=field,…"; in VS Code: the mapping prompt of Analyze Cases on the files or folder, or socAnalytics.kpi.columnMapping)';

/**
 * Why a table found in a folder is plainly not a case export (undefined when it may be one): it has no column for
 * the created time or none for the title or id (after `--map` / the saved mapping), so none of its records could
 * be counted in a KPI. QRadar lookup lists and search results ({@link isQRadarLookupFile}: by content, whatever the
 * file's name) and binary files are named as such.
 */
export function notCaseExportReason(table: TableContent, mapping: CaseMapping, binary = false): string | undefined {
  const { columns } = table;
  const has = (f: CaseField) => !!mapping[f] && columns.includes(mapping[f]!);
  if (mappingReadsCases(mapping, columns)) return undefined;
  if (binary) return BINARY_CASE_FILE;
  if (isQRadarLookupFile(table)) return 'QRadar lookup list or search result, not offenses (closing reasons and rule names are read beside the offenses)';
  if (columns.length === 0) return 'not a case export: no table of records';
  const other = otherToolExportReason(table);
  if (other) return other;
  const lacks = [!has('created') && 'created time', !(has('title') || has('id')) && 'title or id'].filter(Boolean).join(' or ');
  const shown = columns.slice(0, 5).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c));
  return `${NO_CASE_COLUMNS} ${lacks} (columns: ${shown.join(', ')}${columns.length > 5 ? ', …' : ''})`;
}

/**
 * Whether `mapping` reads cases from a table with these `columns`: it maps the created time, and the title or the id,
 * to columns the table has (the rule of {@link notCaseExportReason}; the mapping prompt puts *Skip* first otherwise).
 */
export function mappingReadsCases(mapping: CaseMapping, columns: readonly string[]): boolean {
  const has = (f: CaseField) => !!mapping[f] && columns.includes(mapping[f]!);
  return has('created') && (has('title') || has('id'));
}

/**
 * Why a file found in a folder is skipped as another tool's export before any mapping prompt (undefined when it is
 * not): {@link otherToolExportReason} of its sampled header, asked only when its suggested mapping does not read
 * cases — as {@link notCaseExportReason} does in the analysis, so a case export whose header happens to carry `ts`,
 * `uid` and `id.orig_h` is read, not skipped.
 */
export function folderOtherToolReason(sample: Pick<CaseMappingSample, 'columns' | 'mapping'>): string | undefined {
  return mappingReadsCases(sample.mapping, sample.columns) ? undefined : otherToolExportReason(sample);
}

/** A Python Loki `--csv` log line (`TS,HOST,LEVEL,MODULE,MESSAGE`, loki-formats §1.2) read as a CSV header: its first cells. */
const LOKI_CSV_TIME = /^(\d{8}T\d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?)Z$/;
const LOKI_CSV_LEVELS = new Set(['ALERT', 'WARNING', 'NOTICE', 'INFO', 'ERROR', 'DEBUG', 'RESULT', 'CRITICAL']);

/**
 * Why a file named to the cases analysis (not found in a folder: a named file is otherwise read whatever its columns)
 * is refused: it is another tool's export ({@link otherToolExportReason}: a QRadar Log Activity or Network Activity CSV,
 * a Loki log, Loki-RS JSONL, a Zeek log) and its mapping (`--map`, the mapping prompt's, else the suggestion) does not
 * read cases ({@link mappingReadsCases}) — the folder rule ({@link folderOtherToolReason}), so a ticket export that
 * carries such columns, or an export mapped on purpose (`--map "Event Name=title"`), is read. Undefined otherwise.
 */
export function namedOtherToolReason(columns: readonly string[], mapping: CaseMapping): string | undefined {
  return mappingReadsCases(mapping, columns) ? undefined : otherToolExportReason({ columns: [...columns] });
}

/**
 * Why a table found in a folder is another tool's export that a mapping must not read as cases (undefined when it
 * is not one): a QRadar Log Activity or Network Activity CSV ({@link isQRadarEventExportHeader}; events, read by the
 * QRadar analysis), a Python Loki `--csv` log file (no header: its first line, `20220119T18:42:50Z,DS1,NOTICE,…`,
 * read as one), Loki-RS JSONL (`timestamp`, `level`, `event_type`; loki-formats §3) or a Zeek JSON log (`ts`, `uid`,
 * `id.orig_h`) saved as `.json`/`.jsonl`. Such files were offered for column mapping in a workspace folder, and *Read them* (the default) made
 * 5 QRadar events 5 cases. Only asked of tables not recognised as a case export (`notCaseExportReason`).
 */
export function otherToolExportReason(table: Pick<TableContent, 'columns'>): string | undefined {
  const { columns } = table;
  if (columns.length >= 5 && LOKI_CSV_TIME.test(columns[0].trim()) && LOKI_CSV_LEVELS.has(columns[2].trim().toUpperCase())) {
    return 'Loki scan results (a --csv log file), not cases: read by the Loki analysis (SOC: Analyze Loki Results…; CLI: loki)';
  }
  const keys = new Set(columns.map((c) => c.trim().toLowerCase()));
  if (keys.has('timestamp') && keys.has('level') && keys.has('event_type')) {
    return 'Loki-RS scan results (JSONL), not cases: read by the Loki analysis (SOC: Analyze Loki Results…; CLI: loki)';
  }
  if (keys.has('ts') && keys.has('uid') && keys.has('id.orig_h')) {
    return 'Zeek log (connections, not cases): read by beacon detection (SOC: Detect Beacons…; CLI: beacons)';
  }
  if (isQRadarEventExportHeader(columns)) {
    return 'QRadar Log Activity or Network Activity export (events, not cases): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)';
  }
  return undefined;
}

/**
 * The fields missing from the whole input (a field is missing only when no file with cases has it; a union made one
 * QRadar export without a closed offense hide every other file's dispositions and analysts) and the fields only
 * some generic files lack, and `acknowledged` of QRadar offense files beside generic files that have it (→ those
 * files, in input order). Files without cases count only when no file has any.
 */
function missingOfFiles(perFile: { file: string; missing: CaseField[]; cases: number; qradar: boolean }[]): Pick<CasesInput, 'missing' | 'lacking'> {
  const withCases = perFile.filter((p) => p.cases > 0);
  const files = withCases.length ? withCases : perFile;
  if (files.length === 0) return { missing: [] };
  const missing = CASE_FIELDS.filter((f) => files.every((p) => p.missing.includes(f)));
  const lacking: Partial<Record<CaseField, string[]>> = {};
  for (const f of CASE_FIELDS) {
    if (missing.includes(f)) continue;
    const without = files.filter((p) => (!p.qradar || QRADAR_ABSENT_FIELDS.includes(f)) && p.missing.includes(f)).map((p) => p.file);
    if (without.length) lacking[f] = without;
  }
  return Object.keys(lacking).length ? { missing, lacking } : { missing };
}

/**
 * Keeps one case per QRadar offense, told as the QRadar analysis tells offenses ({@link dedupeOffenses}: `id` and
 * `start_time`, so two consoles' offense 7 stay two cases; of one offense saved twice, the copy with the latest
 * `last_persisted_time`), with the analysis's note ({@link duplicateOffensesText}).
 */
function dedupeOffenseCases(input: CasesInput, caseOfOffense: Map<QRadarOffense, CaseRecord>): void {
  const d = dedupeOffenses([...caseOfOffense.keys()]);
  if (d.duplicates === 0) return;
  const dropped = new Set(d.copies.map((c) => caseOfOffense.get(c.dropped)));
  input.cases = input.cases.filter((c) => !dropped.has(c));
  input.notes.push(duplicateOffensesText(d.copies));
}

/** `2026-03-04T08:10:00Z`: an epoch-ms time in UTC, to the second (milliseconds when it has them). */
function utcText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return Number.isFinite(ms) ? iso.replace('.000Z', 'Z') : String(ms);
}

/**
 * One problem per case acknowledged or closed before it was created (clock skew between tools, a
 * ticket re-imported with a new creation time, swapped columns), or closed and acknowledged after it was closed
 * ({@link acknowledgedAfterClose}): `{ file, line, message }` naming the times out of order (UTC) and what it means —
 * such a case is left out of MTTA (acknowledged before created or after closed) and/or MTTR (closed before created),
 * as {@link computeKpis} does. Cases in input order.
 */
export function timeOrderProblems(cases: readonly CaseRecord[]): ParseError[] {
  const out: ParseError[] = [];
  for (const c of cases) {
    if (c.created === undefined) continue;
    const early = (['acknowledged', 'closed'] as const).filter((f) => c[f] !== undefined && c[f]! < c.created!);
    // acknowledged before created already leaves it out of MTTA: said once
    const late = !early.includes('acknowledged') && acknowledgedAfterClose(c);
    if (!early.length && !late) continue;
    const times = early.map((f) => `${f} ${utcText(c[f]!)}`).join(' and ');
    const kpis = [...(early.includes('acknowledged') || late ? ['MTTA'] : []), ...(early.includes('closed') ? ['MTTR'] : [])].join(' and ');
    const parts = [
      ...(early.length ? [`${times} ${early.length > 1 ? 'are' : 'is'} before created ${utcText(c.created)}`] : []),
      ...(late ? [`acknowledged ${utcText(c.acknowledged!)} is after closed ${utcText(c.closed!)}`] : []),
    ];
    out.push({
      file: c.file,
      line: c.line,
      message: `times out of order: ${parts.join('; ')}${c.id !== undefined ? ` (case ${JSON.stringify(c.id)})` : ''} — left out of ${kpis}`,
    });
  }
  return out;
}

/** Most repeated case ids named in the note of {@link dedupeCaseIds}. */
const DUPLICATE_EXAMPLES = 3;

/**
 * Keeps one record per case id (the last row in input order, at its own place): overlapping exports
 * (Monday's and Friday's) or a ticket system writing one row per update (Sentinel: "deduplicate with
 * the latest row per incident", KPI doc §4.3) would otherwise count a case twice, and a case closed
 * since an earlier export would be both backlog and closure. Records without an id are all kept. The
 * dropped rows are counted in a note naming a few of them (`file:line → file:line`). Cases in `apart` (QRadar
 * offenses: told by id and start_time, see `dedupeOffenseCases`) are kept here.
 */
export function dedupeCaseIds(input: CasesInput, apart: ReadonlySet<CaseRecord> = new Set()): void {
  const last = new Map<string, number>();
  const byId = (c: CaseRecord) => c.id !== undefined && !apart.has(c);
  input.cases.forEach((c, i) => {
    if (byId(c)) last.set(c.id!, i);
  });
  if (last.size === input.cases.filter(byId).length) return;
  const examples: string[] = [];
  let dropped = 0;
  input.cases = input.cases.filter((c, i) => {
    if (!byId(c)) return true;
    const keep = last.get(c.id!)!;
    if (keep === i) return true;
    dropped++;
    if (examples.length < DUPLICATE_EXAMPLES) {
      const k = input.cases[keep];
      examples.push(`${JSON.stringify(c.id)}: ${path.basename(c.file)}:${c.line} → ${path.basename(k.file)}:${k.line}`);
    }
    return false;
  });
  const column = input.source === 'qradar-offenses' ? 'id' : input.mapping.id ?? 'id';
  input.notes.push(
    `${dropped} ${dropped === 1 ? 'row repeats' : 'rows repeat'} a case id (column ${JSON.stringify(column)}) of a later row: each case is counted once, from its last row (${examples.join('; ')}${dropped > examples.length ? '; …' : ''})`,
  );
}

/**
 * The closing reasons (id → text) of the offenses in `offensesFile`: the list named by `--closing-reasons` when given
 * (for every offense), else the lists of its own export that exist ({@link closingReasonsCandidates}: its fetch's
 * `<stem>.closing-reasons.json`, `offense_closing_reasons.json`, `.csv` in its folder), the first naming an id
 * winning; never another folder's list (ids are per console, qradar.md §3). `files`: the lists read.
 */
function readExportClosingReasons(offensesFile: string, named: string | undefined): Promise<ExportLookup> {
  return readExportLookup(named !== undefined ? [named] : closingReasonsCandidates(offensesFile), named === undefined, readClosingReasons);
}

/**
 * The rule names of the export of `offensesFile` (`named`, the `rulesPath` option, instead when given): its fetch's
 * `<stem>.rules.json`, then `analytics_rules.json` in its folder ({@link rulesCandidates}; the first naming an id wins).
 * Rule ids are per console, so another export's list never names them — the rule `qradar` follows (ruleListsOf).
 */
function readExportRuleNames(offensesFile: string, named: string | undefined): Promise<ExportLookup> {
  return readExportLookup(named !== undefined ? [named] : rulesCandidates(offensesFile), named === undefined, readRuleNames);
}

/** An export's id → name lookup read from its lists: the lists read, the merged map, their problems. */
interface ExportLookup {
  files: string[];
  map: Map<number, string>;
  errors: ParseError[];
}

/**
 * The one loop of {@link readExportClosingReasons} and {@link readExportRuleNames}: reads `files` in order with `read`
 * (only those that exist when `onlyExisting` — the candidates; a list named by an option is read, its absence reported);
 * the first list naming an id wins.
 */
async function readExportLookup(files: string[], onlyExisting: boolean, read: (f: string) => Promise<IdNames>): Promise<ExportLookup> {
  const out: ExportLookup = { files: [], map: new Map(), errors: [] };
  for (const f of onlyExisting ? await existing(files) : files) {
    const r = await read(f);
    if (r.file) out.files.push(r.file);
    for (const [k, v] of r.map) if (!out.map.has(k)) out.map.set(k, v);
    for (const e of r.errors) out.errors.push(e); // one push per problem: push(...errors) throws past ~120,000
  }
  return out;
}

/**
 * The paths of `paths` that are regular files (links followed; in order): a candidate list that is a FIFO, socket or
 * device (the folder listing says `not a regular file`) is not read, as `qradar` leaves it (it hung `kpi`).
 */
async function existing(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    try {
      if ((await fsp.stat(p)).isFile()) out.push(p);
    } catch {
      /* no such list: the usual case */
    }
  }
  return out;
}
