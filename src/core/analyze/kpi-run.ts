/**
 * Read cases + tagging rules → tag → KPI report; shared by the worker job `kpi`, the CLI and tests.
 * Pure except file reads (no vscode).
 */
import { promises as fsp } from 'node:fs';
import { helperFileErrorText, readHelperFile } from '../fs-read';
import type { ParseError } from '../model/common';
import { MAP_HINT, NO_CASE_COLUMNS, readCases, timeOrderProblems, unmatchedMappingText, unrecognisedTablesText, type CaseMapping, type CasesInput } from '../parse/cases';
import { discoverCaseFiles } from '../parse/cases-discover';
import { describeSkipped } from './beacons/run';
import { cancelledError } from './cancel';
import { buildKpiReport, type KpiReport, type ShiftDef, type SlaTarget } from './kpi';
import { jsonLocator, positionOf, scanJson } from './json-locate';
import { JsonDepthError, MAX_JSON_DEPTH, parseJsonLimited } from '../json-depth';
import { parseTimestamp } from '../tz-normalize';
import { isValidZoneSetting, resolveZone, zoneAbbreviationProblem, zoneSuggestions } from '../time';
import { ruleLabel, SEED_TAGGING_CONFIG, tagRecords, validateTaggingConfig, type LoadedRule, type TaggingConfig, type TaggingProblem, type TaggingResult } from './tagging';
import type { TagColorMemory } from './tag-colors';

/**
 * What a workspace regular-expression rule's problem says when `regexRulesDisabled` (Restricted Mode) kept it from
 * running: `rule 1 ("ReTag", line 1): regular expression not run — <why>` (the notification counts these rules).
 */
export const REGEX_RULE_NOT_RUN = 'regular expression not run';

export interface KpiRunOptions {
  /** Tagging rules file (`.soc/tagging.json`); undefined → the seed blog's rules (noted). */
  rulesPath?: string;
  /** Longest the tagging may take, ms (default: tagging's own, 60 s or more for many cases); past it the cases are not tagged, as with an unusable rules file. */
  taggingBudgetMs?: number;
  /** Field → column for generic inputs. */
  mapping?: CaseMapping;
  /** File → its own mapping, in place of `mapping` (the extension's mapping prompt per header; `CasesOptions.fileMappings`). */
  fileMappings?: Record<string, CaseMapping>;
  /** Files named whose mapping was declined: skipped with the reason when not a case export (`CasesOptions.declined`). */
  declined?: string[];
  /**
   * Zone of naive case times as the setting says it (`UTC`, `local`, an IANA zone in any case, a fixed
   * offset). Default `UTC`. A value that is not a zone is read as UTC, with a note saying so.
   */
  sourceZone?: string;
  closingReasonsPath?: string;
  /** As-of time of the KPIs (backlog age, SLA checks of open cases), epoch ms (default: now). */
  asOf?: number;
  falsePositiveValues?: string[];
  escalatedValues?: string[];
  shifts?: ShiftDef[];
  /**
   * Zone the shift hours are in, as the setting `socAnalytics.kpi.shiftTimeZone` / `kpi --shift-zone` says it (`UTC`,
   * `local`, an IANA zone in any case, a fixed offset); empty or undefined: `UTC`. Not the display zone: a shift is
   * the SOC's rota. A value that is not a zone is read as UTC, with a note saying so ({@link kpiReportOf}).
   */
  shiftZone?: string;
  sla?: Record<string, SlaTarget>;
  /** Automation / service account patterns (see `KpiOptions.automationAccounts`; default the built-in list). */
  automationAccounts?: string[];
  /**
   * Set by the extension in Restricted Mode (workspace trust): `regex` rules of the rules file are
   * not run (a workspace you do not trust supplies them) and each is reported with this explanation;
   * substring rules still apply.
   */
  regexRulesDisabled?: string;
}

/** Headers of tables skipped for their columns given a note each, at most (the skipped-files note names them all). */
const UNRECOGNISED_NOTES = 5;

/** The tag of every case when the tagging rules file exists but cannot be used (the cases are not tagged). */
export const NOT_TAGGED = '(not tagged)';

/** Why a tagging rules file could not be used, with its place in the file. */
export interface RulesFileError {
  file: string;
  /** 1-based line of the error; 0 when the file as a whole could not be read. */
  line: number;
  /** 1-based column (UTF-16 code units), when known. */
  column?: number;
  message: string;
}

/** Which tagging rules tagged the cases. */
export interface RulesInfo {
  /**
   * `file`: the rules of `file`; `seed`: the built-in seed rules (no rules file); `none`: the rules
   * file exists but could not be used (`error`): the cases were **not tagged** — not by the seed
   * rules either — every case has the tag {@link NOT_TAGGED}, cases per tag and the false-positive
   * rate per tag are unavailable and the volume per week is not split by tag.
   */
  source: 'file' | 'seed' | 'none';
  file?: string;
  error?: RulesFileError;
}

/** The note that the built-in seed rules were used (no rules file): about tagging, so left out when there are no cases. */
export const SEED_RULES_NOTE = 'no tagging rules file: the seed blog rules were used (create .soc/tagging.json to change them)';

/** `file:line:column` (or `file:line`, or just `file` for line 0) of a rules-file error. */
export function rulesErrorLocation(e: RulesFileError): string {
  return e.line > 0 ? `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : e.file;
}

/** What an unusable rules file means for the results (dashboard notice, CLI, report). */
export const RULES_ERROR_CONSEQUENCE =
  `The cases were NOT tagged by it, and no other rules were used instead (not the built-in seed rules either): every case is “${NOT_TAGGED}”, ` +
  'so cases per tag and the false-positive rate per tag are unavailable and the volume per week is not split by tag; the other KPIs do not depend on tags. Fix the file and run the analysis again.';

/** One-paragraph explanation of an unusable rules file: where, what, and what it means. */
export function rulesErrorText(e: RulesFileError): string {
  return `The tagging rules file could not be read: ${rulesErrorLocation(e)}: ${e.message}. ${RULES_ERROR_CONSEQUENCE}`;
}

/** The result of a KPI analysis (structured-cloneable: crosses the worker boundary). */
export interface KpiAnalysis {
  input: CasesInput;
  /** Files read without a file-level error. */
  filesRead: number;
  /** The rules file when it exists (used or not: see `rules`). */
  rulesFile?: string;
  /** Which rules tagged the cases, and why a rules file could not be used. */
  rules: RulesInfo;
  config: TaggingConfig;
  tagging: TaggingResult;
  asOf: number;
  options: KpiRunOptions;
  /** Input errors plus tagging-rule problems (file = the rules file; line = the rule's line in it, the error's line for an unusable file, 0 when unknown). */
  errors: ParseError[];
}

/** Largest tagging rules file read (bytes): a larger one is unusable (`fatal`), never read into memory. */
export const MAX_TAGGING_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads (UTF-8, or UTF-16 with a byte order mark) and validates a tagging file: only a regular file of at most
 * {@link MAX_TAGGING_FILE_BYTES} (a FIFO, socket or device, or a link to one, is unusable, never read), nested at most
 * {@link MAX_JSON_DEPTH} levels (deeper: unusable, at the bracket that passed the limit). Never rejects: a file that cannot be used at all (unreadable,
 * not valid JSON, no "rules" array) gives `fatal` with its line and column and an empty rule list;
 * individual invalid rules are `problems`.
 */
export async function readTaggingFile(
  file: string,
): Promise<{ config: TaggingConfig; problems: TaggingProblem[]; fatal?: RulesFileError; ruleLines?: number[]; matchAt?: ({ line: number; column: number } | undefined)[] }> {
  let text: string;
  try {
    // bounded and regular files only: a workspace's .soc/tagging.json that is a FIFO hung the run, a link to /dev/zero filled the memory
    const bytes = await readHelperFile(file, MAX_TAGGING_FILE_BYTES);
    // UTF-16 with a byte order mark (Windows Notepad's "Unicode"; VS Code reads it too), else UTF-8
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
    text = utf16 ? new TextDecoder(utf16).decode(bytes) : bytes.toString('utf8');
  } catch (e) {
    return { config: { rules: [] }, problems: [], fatal: { file, line: 0, message: `cannot read the file (${helperFileErrorText(e)})` } };
  }
  text = text.replace(/^\ufeff/, '');
  let doc: unknown;
  try {
    // nested deeper than any rules file (3 levels): refused as unusable — a `[[[…]]]` 200,000 levels deep as a rule's
    // "match" ended the run with "Maximum call stack size exceeded" when its problem was written (exit 1)
    doc = parseJsonLimited(text);
  } catch (e) {
    if (e instanceof JsonDepthError) {
      const at = positionOf(text, e.index);
      return { config: { rules: [] }, problems: [], fatal: { file, line: at.line, column: at.column, message: `nested deeper than ${e.max} levels (a rules file nests 3)` } };
    }
    // V8's message has no position for some errors and quotes the whole file in others: locate the error ourselves.
    const err = scanJson(text).error;
    return {
      config: { rules: [] },
      problems: [],
      fatal: err ? { file, line: err.line, column: err.column, message: `not valid JSON: ${err.message}` } : { file, line: 0, message: `not valid JSON: ${(e as Error).message.slice(0, 200)}` },
    };
  }
  // One tree for every position: each rule's line, its keys, the "rules" key (the last of a repeated key, as JSON.parse).
  const locate = jsonLocator(text);
  const rules = (doc as { rules?: unknown } | null)?.rules;
  const at = Array.isArray(rules) ? rules.map((_, i) => locate(['rules', i])) : [];
  const ruleLines = at.every((p) => p !== undefined) ? at.map((p) => p!.line) : [];
  const v = validateTaggingConfig(doc, ruleLines, (i, key) => locate(['rules', i, key]));
  if (v.fatal) {
    const key = locate(['rules']);
    return { config: { rules: [] }, problems: [], fatal: { file, line: key?.line ?? 1, column: key?.column ?? 1, message: v.fatal } };
  }
  // where each rule's "match" is: a regular expression that does not compile is named by it
  const matchAt = Array.isArray(rules) ? rules.map((_, i) => locate(['rules', i, 'match'])) : [];
  return { config: v.config, problems: v.problems, ruleLines, matchAt };
}

/**
 * Runs the whole analysis (see module comment). `paths`: case files and folders — a folder gives the case exports
 * inside it (`discoverCaseFiles`; files that are plainly not case exports are `input.skipped` with the reason,
 * said in a note). Rejects only on an aborted signal.
 */
export async function runKpiAnalysis(paths: string[], opts: KpiRunOptions = {}, signal?: AbortSignal): Promise<KpiAnalysis> {
  const asOf = opts.asOf ?? Date.now();
  // the setting as typed (`local`, any case of an IANA name, `UTC+3`): a zone that is not one is said, not read as UTC silently
  const zoneOk = opts.sourceZone === undefined || isValidZoneSetting(opts.sourceZone);
  const sourceZone = opts.sourceZone === undefined ? undefined : zoneOk ? resolveZone(opts.sourceZone) : 'UTC';
  const found = await discoverCaseFiles(paths, signal);
  const input = await readCases(found.files, { mapping: opts.mapping, fileMappings: opts.fileMappings, declined: opts.declined, sourceZone, referenceMs: asOf, closingReasonsPath: opts.closingReasonsPath, inFolder: found.inFolder });
  const read = input.errors.splice(0); // the discovery's problems first, in the same array (no spread: see below)
  for (const x of found.errors) input.errors.push(x);
  for (const x of read) input.errors.push(x);
  // a case acknowledged or closed before it was created is a problem of its row (it is left out of MTTA / MTTR);
  // one push per problem (push(...all) throws RangeError past ~120,000 arguments)
  for (const x of timeOrderProblems(input.cases)) input.errors.push(x);
  input.skipped = [...found.skipped, ...(input.skipped ?? [])];
  // a table skipped for its columns (another tool's column names) says how to read it after all, once
  // then each header of the tables skipped for their columns, with all its columns and a --map to start from; and
  // first a mapped column no file has (a --map made for another folder, or a column name mistyped)
  if (input.skipped.length)
    input.notes.unshift(
      `${describeSkipped(input.skipped)}${input.skipped.some((k) => k.reason.startsWith(NO_CASE_COLUMNS)) ? ` — ${MAP_HINT}` : ''}`,
      ...(input.unrecognised ?? []).slice(0, UNRECOGNISED_NOTES).map(unrecognisedTablesText),
    );
  if (input.unmatchedMapping) input.notes.unshift(...input.unmatchedMapping.map(unmatchedMappingText));
  if (!zoneOk) {
    const meant = zoneSuggestions(opts.sourceZone!);
    const abbr = zoneAbbreviationProblem(opts.sourceZone!);
    input.notes.unshift(
      abbr
        ? `the source time zone ${JSON.stringify(opts.sourceZone)} (setting socAnalytics.kpi.sourceTimeZone) is ${abbr}: times without an offset were read in UTC`
        : `the source time zone ${JSON.stringify(opts.sourceZone)} is not a time zone (setting socAnalytics.kpi.sourceTimeZone): times without an offset were read in UTC${meant.length ? ` — did you mean ${meant.join(' or ')}?` : ''}`,
    );
  }
  if (signal?.aborted) throw cancelledError();
  let config: TaggingConfig;
  let problems: TaggingProblem[] = [];
  let rules: RulesInfo;
  let ruleLines: number[] = [];
  let matchAt: ({ line: number; column: number } | undefined)[] = [];
  // The configured rules file is looked up at run time, so a re-run picks up a file created after the first run.
  const rulesPath = opts.rulesPath && (await pathExists(opts.rulesPath)) ? opts.rulesPath : undefined;
  if (rulesPath) {
    const read = await readTaggingFile(rulesPath);
    ({ config, problems } = read);
    ruleLines = read.ruleLines ?? [];
    matchAt = read.matchAt ?? [];
    if (read.fatal) {
      // Never fall back silently: tags from other rules would look plausible and be wrong for this team's taxonomy.
      config = { rules: [], defaultTag: NOT_TAGGED };
      rules = { source: 'none', file: rulesPath, error: read.fatal };
    } else rules = { source: 'file', file: rulesPath };
  } else {
    config = SEED_TAGGING_CONFIG;
    rules = { source: 'seed' };
    input.notes.push(SEED_RULES_NOTE);
  }
  if (opts.regexRulesDisabled && rulesPath) {
    // Restricted Mode: regular expressions from the workspace's rules file are not run (built-in seed rules are);
    // the rules stay listed (disabled, with the reason) in the coverage report
    config = {
      ...config,
      rules: config.rules.map((r, pos) => {
        const l = r as LoadedRule;
        if (r.type !== 'regex' || l._disabled) return r;
        const i = l._index ?? pos;
        problems.push({ rule: i, severity: 'error', message: `${ruleLabel(i, r.tag, ruleLines[i])}: ${REGEX_RULE_NOT_RUN} — ${opts.regexRulesDisabled}`, ...(ruleLines[i] ? { ruleLine: ruleLines[i] } : {}) });
        return { ...l, _index: i, _disabled: 'not run in Restricted Mode (regular expression from an untrusted workspace)' };
      }),
    };
  }
  const records = input.cases.map((c) => ({
    fields: { ...c.raw, id: c.id, title: c.title, analyst: c.analyst, severity: c.severity, status: c.status, disposition: c.disposition, rule: c.rules },
    line: c.line,
  }));
  let tagging = tagRecords(records, config, { matchAt: (i) => matchAt[i], totalBudgetMs: opts.taggingBudgetMs });
  if (tagging.stopped) {
    // Past the time bound (a rules file of a million patterns, say): as a rules file that cannot be used — the cases
    // are not tagged, and no other rules are used instead (partial tags would look plausible and be wrong).
    const stopped = tagging.stopped;
    config = { rules: [], defaultTag: NOT_TAGGED };
    rules = { source: 'none', file: rulesPath ?? '(seed rules)', error: { file: rulesPath ?? '(seed rules)', line: 0, message: stopped } };
    problems = [];
    tagging = tagRecords(records, config);
  }
  tagging.problems.unshift(...problems);
  // in rule order (a file-level problem first): an invalid regular expression is found while tagging, after the
  // rules the validation disabled, and was listed after them
  tagging.problems.sort((a, b) => a.rule - b.rule);
  for (const p of tagging.problems) if (p.rule >= 0 && p.ruleLine === undefined && ruleLines[p.rule]) p.ruleLine = ruleLines[p.rule];
  const fileErrors = new Set([...input.errors.filter((e) => e.line === 0).map((e) => e.file), ...input.skipped.map((k) => k.file)]);
  const ruleErrors: ParseError[] = tagging.problems.filter((p) => p.severity === 'error').map((p) => ({ file: rulesPath ?? '(seed rules)', line: p.ruleLine ?? 0, message: p.message }));
  if (rules.error) ruleErrors.unshift({ file: rules.error.file, line: rules.error.line, message: `${rules.error.column !== undefined ? `column ${rules.error.column}: ` : ''}${rules.error.message} — the cases were NOT tagged` });
  return {
    input,
    filesRead: found.files.filter((p) => !fileErrors.has(p)).length,
    rulesFile: rulesPath,
    rules,
    config,
    tagging,
    asOf,
    options: opts,
    errors: [...input.errors, ...ruleErrors],
  };
}

/**
 * The shift zone of a setting or option value as typed ({@link KpiRunOptions.shiftZone}): `zone` the resolved zone the
 * shifts are counted in (`UTC` for empty, unknown or an abbreviation), `note` why an unusable value was read as UTC
 * (naming the zones it probably means), `defaulted` when the value is empty (the default, UTC).
 */
export function resolveShiftZone(setting: string | undefined): { zone: string; note?: string; defaulted: boolean } {
  const v = (setting ?? '').trim();
  if (!v) return { zone: 'UTC', defaulted: true };
  if (isValidZoneSetting(v)) return { zone: resolveZone(v), defaulted: false };
  const abbr = zoneAbbreviationProblem(v);
  const meant = zoneSuggestions(v);
  return {
    zone: 'UTC',
    defaulted: false,
    note: abbr
      ? `the shift time zone ${JSON.stringify(v)} (setting socAnalytics.kpi.shiftTimeZone) is ${abbr}: the shifts were counted in UTC`
      : `the shift time zone ${JSON.stringify(v)} is not a time zone (setting socAnalytics.kpi.shiftTimeZone): the shifts were counted in UTC${meant.length ? ` — did you mean ${meant.join(' or ')}?` : ''}`,
  };
}

/**
 * The KPI report of an analysis in a display zone (recomputed cheaply when the zone changes), as of
 * `asOf` (epoch ms; default the analysis's own as-of time): backlog ages and the SLA checks of open
 * cases are measured at that instant. The per-shift workload is counted in `shiftZone` (as typed, see
 * {@link resolveShiftZone}; default the analysis's option, else UTC), never in the display zone; a value that is not a
 * zone, and the default UTC beside another display zone, are said in the notes. `tagColorMemory`: the tag colours
 * remembered in the workspace (core/analyze/tag-colors `tagColorSlots`).
 */
export function kpiReportOf(a: KpiAnalysis, zone: string, asOf: number = a.asOf, shiftZone: string | undefined = a.options.shiftZone, tagColorMemory?: TagColorMemory): KpiReport {
  const sz = resolveShiftZone(shiftZone);
  const shiftNotes = sz.note
    ? [sz.note]
    : sz.defaulted && zone !== 'UTC'
      ? [`the shifts are counted in UTC (setting socAnalytics.kpi.shiftTimeZone / --shift-zone not set), not in the display zone ${zone}: set it to the zone of the SOC's rota`]
      : [];
  // QRadar offenses have these fields; none of them set is what the export holds (open, unassigned), not a missing column
  const missingReasons =
    a.input.source === 'qradar-offenses'
      ? {
          acknowledged: 'QRadar offenses have no acknowledgement or assignment timestamp; MTTA needs offense notes or the audit log',
          disposition: 'no offense of the export has a closing reason (none is closed, or the export left closing_reason_id out)',
          analyst: 'no offense of the export is assigned or was closed by someone (assigned_to and closing_user are empty)',
          rule: 'no offense of the export names its rules',
          severity: 'no offense of the export has a severity',
        }
      : undefined;
  return buildKpiReport(a.input.cases, a.tagging.tags, {
    zone,
    shiftZone: sz.zone,
    asOf,
    falsePositiveValues: a.options.falsePositiveValues,
    escalatedValues: a.options.escalatedValues,
    shifts: a.options.shifts,
    sla: a.options.sla,
    automationAccounts: a.options.automationAccounts,
    missing: a.input.missing,
    missingReasons,
    lacking: a.input.lacking,
    tagCounts: a.tagging.tagCounts,
    coverage: a.tagging.coverage,
    neutralTags: [a.tagging.defaultTag, NOT_TAGGED],
    tagColorMemory,
    taggingUnavailable: a.rules?.error ? `the tagging rules file could not be read (${rulesErrorLocation(a.rules.error)}: ${a.rules.error.message}); the cases were not tagged` : undefined,
    notes: [...(a.rules?.error ? [rulesErrorText(a.rules.error)] : []), ...a.input.notes, ...shiftNotes, ...a.tagging.problems.map((p) => p.message)],
  });
}

/** True when something exists at `p` (a directory or unreadable file is then reported as unusable, not skipped silently). */
async function pathExists(p: string): Promise<boolean> {
  try {
    await fsp.stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The "as of" time of KPIs from a setting or option text (ISO 8601; a value without offset or `Z`
 * is read in `zone`): `{ ms }` (epoch ms UTC), or `{ why }` — a short reason to show the user — when
 * it is not an ISO time, a local time skipped by a clock change in `zone`, or outside 1990–2100
 * (year 0 or 9999 make every backlog age absurd).
 */
export function parseAsOf(raw: string, zone: string): { ms?: number; why?: string } {
  const r = parseTimestamp(raw.trim(), 'iso', { sourceZone: zone });
  if (r.flag === 'nonexistent') return { why: `is not a time in ${zone} (skipped by a clock change)` };
  if (r.ms === undefined || !Number.isFinite(r.ms)) return { why: 'is not an ISO 8601 time (e.g. 2026-03-31T23:59:59)' };
  const year = new Date(r.ms).getUTCFullYear();
  if (year < 1990 || year > 2100) return { why: 'is outside 1990–2100' };
  return { ms: r.ms };
}
