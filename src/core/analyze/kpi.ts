/**
 * SOC KPIs over cases (shared/docs/soc-peers-and-kpis.md §4.2 catalogue, §4.3 field mapping).
 * Pure (no vscode). Inputs are {@link CaseRecord}s (times epoch ms UTC) and their tags; the display
 * zone is used only for calendar buckets (ISO weeks). Shifts are counted in the shift zone
 * ({@link KpiOptions.shiftZone}, default UTC): the SOC's rota, not the viewer's display preference.
 *
 * Every KPI carries its definition text; a KPI whose input field is missing is
 * `{available: false, reason}` — never a zero. Durations are milliseconds; percentiles use linear
 * interpolation between closest ranks (Hyndman & Fan type 7, the default of numpy/pandas
 * `quantile`), so values can be checked against a pandas notebook.
 *
 * Case state: a case is *closed* when its status starts with a closing word (`closed`, `resolved`,
 * `done`, `completed`, `dismissed`, case-insensitive; `Closed - False Positive` is closed, `Not
 * closed`, `Pending close` and `Reopened after close` are not: {@link isClosedStatus}) or, without a
 * status, when it has a closed time; it is
 * *open* when not closed, except QRadar `HIDDEN` offenses (hidden from the queue, not backlog).
 */
import { formatPercent } from '../percent';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import type { CaseField, CaseRecord } from '../parse/cases';
import { accountName } from '../parse/cases-input';
import type { CoverageReport } from './tagging';
import { tagColorSlots, type TagColorMemory } from './tag-colors';
import { count } from './dashboard-kit';
import { mentionsAny } from './reason-match';
import { foldedUnit } from '../parse/path-case';

export interface ShiftDef {
  name: string;
  /** `HH:mm` in the shift zone ({@link KpiOptions.shiftZone}; inclusive). */
  start: string;
  /** `HH:mm` in the shift zone (exclusive); a shift with end ≤ start wraps past midnight. */
  end: string;
}

export interface SlaTarget {
  /** Created → acknowledged, minutes. */
  acknowledgeMinutes?: number;
  /** Created → closed, minutes. */
  closeMinutes?: number;
}

export interface KpiOptions {
  /** Display zone (IANA or `UTC`) for weeks. */
  zone: string;
  /**
   * Zone the shift hours are in (resolved: `UTC`, an IANA name or `UTC+3`; default `UTC`): the per-shift workload is
   * counted by the time of day there, whatever the display zone (a shift is the SOC's rota, not a viewing preference).
   */
  shiftZone?: string;
  /** The as-of time ("now" of the numbers) for backlog age and open-case SLA checks, epoch ms. */
  asOf: number;
  /** Disposition substrings (case-insensitive) meaning false positive. */
  falsePositiveValues?: string[];
  /** Disposition substrings (case-insensitive) meaning escalated / true positive. */
  escalatedValues?: string[];
  shifts?: ShiftDef[];
  /** Severity (case-insensitive text, or a numeric range `a-b`) → targets. */
  sla?: Record<string, SlaTarget>;
  /**
   * Automation / service account patterns ({@link automationAccountMatcher}; default
   * {@link DEFAULT_AUTOMATION_ACCOUNTS}, `[]` for none): their cases are not an analyst's workload.
   */
  automationAccounts?: string[];
  /** Fields the input lacks (from the case reader). */
  missing?: CaseField[];
  /** Reasons for missing fields, overriding the generic one (e.g. QRadar has no ack time). */
  missingReasons?: Partial<Record<CaseField, string>>;
  /**
   * Fields only some input files have (from the case reader): field → the files (as in {@link CaseRecord.file})
   * lacking it. The escalation and false-positive rates (disposition; per rule: rule), the workload per analyst
   * (analyst), the SLA breaches (severity; acknowledge breaches: acknowledged) and MTTA (acknowledged) count the
   * other files' cases only, with a note naming those files.
   */
  lacking?: Partial<Record<CaseField, string[]>>;
  /**
   * Set (to the reason) when the cases could not be tagged (the rules file is unusable): the volume
   * is not split by tag and the false-positive rate per tag is unavailable (`perTagUnavailable`).
   */
  taggingUnavailable?: string;
}

export const DEFAULT_FALSE_POSITIVE = ['false positive', 'false-positive', 'falsepositive', 'false_positive'];
export const DEFAULT_ESCALATED = ['escalated', 'true positive', 'true-positive', 'truepositive', 'true_positive'];
/**
 * Account names of SOAR playbooks, API integrations and service users, which close or own cases but
 * are not analysts (QRadar: an offense closed through the API by an authorized service). Matched by
 * {@link automationAccountMatcher}: a display name with spaces (`Api Nguyen`, `Bot Smith`) is matched
 * only as a whole and a dot does not split words (`api.nguyen`) — that is how people's names are
 * written — so a word of a person's name never makes that person an automation account. Conservative:
 * - `*automation*`, `*playbook*`, `*xsoar*`, `*demisto*`: anywhere in any name (never part of a
 *   person's name: `soc.automation`, `Phishing Playbook`, `Cortex XSOAR`);
 * - `soar`, `svc`, `api`: a whole name, or a part or word of an account identifier (`qradar-soar`,
 *   `svc_backup`, `CORP\svc`, `api-user`, `qradar_api`), not `j.soares`, `svcadmin`, `pia`;
 * - `svc.*`: dotted service logins (`svc.backup`);
 * - `api_user:*`: QRadar's name for what was done through the API (`API_user: admin`);
 * - `*$`: machine and managed service accounts (`SOAR01$`, `CORP\gmsa-soar$`).
 * Display names of automation that none of these catch (`QRadar SOAR`) go into the setting whole.
 */
export const DEFAULT_AUTOMATION_ACCOUNTS = ['*automation*', '*playbook*', '*xsoar*', '*demisto*', 'soar', 'svc', 'svc.*', 'api', 'api_user:*', '*$'];
export const DEFAULT_SHIFTS: ShiftDef[] = [
  { name: 'Day', start: '07:00', end: '15:00' },
  { name: 'Evening', start: '15:00', end: '23:00' },
  { name: 'Night', start: '23:00', end: '07:00' },
];
export const DEFAULT_SLA: Record<string, SlaTarget> = {
  critical: { acknowledgeMinutes: 15, closeMinutes: 240 },
  high: { acknowledgeMinutes: 30, closeMinutes: 480 },
  medium: { acknowledgeMinutes: 120, closeMinutes: 1440 },
  low: { acknowledgeMinutes: 480, closeMinutes: 4320 },
  '8-10': { acknowledgeMinutes: 15, closeMinutes: 240 },
  '5-7': { acknowledgeMinutes: 30, closeMinutes: 480 },
  '3-4': { acknowledgeMinutes: 120, closeMinutes: 1440 },
  '1-2': { acknowledgeMinutes: 480, closeMinutes: 4320 },
};

export interface DurationStats {
  /** Number of durations. */
  n: number;
  /** All in ms. */
  mean: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

export type Kpi<T> =
  | { id: string; title: string; definition: string; available: true; value: T; notes?: string[] }
  | { id: string; title: string; definition: string; available: false; reason: string };

export interface GroupRate {
  key: string;
  closed: number;
  falsePositives: number;
  /** falsePositives / closed (0..1). */
  rate: number;
}

/**
 * Workload of one analyst, or of one of the two rows of cases that are not an analyst's (`builtin`
 * set): the cases without an analyst (`builtin: 'unassigned'`, `analyst` = the label {@link UNASSIGNED})
 * and the cases of automation accounts (`builtin: 'automated'`, `analyst` = the label {@link AUTOMATED}).
 * Tell the rows apart by `builtin`, never by `analyst`: a real analyst may be called `(unassigned)`.
 */
export interface AnalystLoad {
  /** The analyst's name as in the input (the key of the row), or the label of a built-in row. */
  analyst: string;
  /** Set on the two rows that are not an analyst's; absent on an analyst's row. */
  builtin?: BuiltinAnalystRow;
  /** The automation accounts row only: the account names it covers, sorted. */
  accounts?: string[];
  cases: number;
  open: number;
  closed: number;
  falsePositives: number;
  /** ms; undefined without a closed case with both times. */
  medianTimeToCloseMs?: number;
}

/** The rows of the workload table that are not an analyst's: cases without an analyst, cases of automation accounts. */
export type BuiltinAnalystRow = 'unassigned' | 'automated';
/** Display label of the row of cases without an analyst (a label only: the row is `builtin: 'unassigned'`). */
export const UNASSIGNED = '(unassigned)';
/** Display label of the row of cases of automation / service accounts (a label only: the row is `builtin: 'automated'`). */
export const AUTOMATED = '(automation accounts)';
/**
 * What a case or a row of the workload table counts as (the *Counted as* column of the dashboard's
 * workload and cases tables, and of the report's workload table): the text for an analyst and for
 * each {@link BuiltinAnalystRow}. Unlike a name, it says which row a case belongs to.
 */
export const COUNTED_AS: Readonly<Record<'analyst' | BuiltinAnalystRow, string>> = { analyst: 'analyst', unassigned: 'unassigned (no analyst)', automated: 'automation accounts' };

/** Separators between the parts of an account identifier: domain, realm and prefix (`CORP\svc`, `svc@corp.local`, `api:x`). */
const ACCOUNT_PART_SEPARATORS = /[\\/@:]+/;
/** Separators between the words of a part of an account identifier (`svc_backup`, `qradar-soar`); `.` is not one (`first.last` logins). */
const ACCOUNT_WORD_SEPARATORS = /[_-]+/;
/** A display name (`Api Nguyen`) rather than an account identifier: matched only as a whole. */
const HAS_SPACE = / /;

/** A `*` of a pattern in {@link globUnits} (code units are 0 … 0xffff). */
const GLOB_STAR = -1;

/** `s` as folded code units ({@link foldedUnit}: as a case-insensitive RegExp without the `u` flag folds them); in a pattern (`star`), each `*` is {@link GLOB_STAR}. */
function globUnits(s: string, star: boolean): Int32Array {
  const out = new Int32Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = star && c === 42 ? GLOB_STAR : foldedUnit(c);
  }
  return out;
}

/**
 * True when the pattern `p` ({@link globUnits} with stars) matches all of `t`. Greedy, going back
 * only to the last `*`: at most t.length × p.length steps, whatever the pattern. A RegExp
 * `^.*a.*a.*…$` backtracks over every star (`*a*a*a*a*a*a*a*b` against 64 `a`s took 18 s).
 */
function globMatch(p: Int32Array, t: Int32Array): boolean {
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === GLOB_STAR) {
      star = pi++;
      mark = ti;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === GLOB_STAR) pi++;
  return pi === p.length;
}

/**
 * A test for automation / service account names. A pattern (case-insensitive; `*` = any run of
 * characters, none included; every other character literal; white space trimmed and each run of it
 * one space, in the pattern and in the name) matches a name when it matches
 * - the whole name, or
 * - when the name has no space (an account identifier, not a display name), one of its parts —
 *   between `\`, `/`, `@` and `:` (`CORP\svc_backup` → `CORP`, `svc_backup`) — or one of the words of
 *   a part — between `_` and `-` (`svc_backup` → `svc`, `backup`).
 *
 * `.` separates neither (`first.last` is how people's logins are written) and a name with a space
 * (`Api Nguyen`, `Bot Smith`: how people's display names are written) is matched only as a whole, so
 * `api` matches `api`, `api-user`, `qradar_api` and `CORP\api`, not `Api Nguyen` or `api.nguyen`;
 * `svc` matches `svc_backup` and `CORP\svc`, not `svcadmin`; `soc.automation` matches only that name;
 * `*automation*` matches `Automation Service` too. Blank patterns are ignored; no pattern → nothing
 * matches; an undefined or blank name never matches. Time: at most 3 × (name length) × (pattern
 * length) steps per pattern, whatever the pattern (no RegExp is built from a pattern).
 */
export function automationAccountMatcher(patterns: readonly string[]): (name: string | undefined) => boolean {
  // Matched without RegExp: patterns come from settings (a workspace's too) and names from the case
  // file, and a backtracking `^.*a.*a…$` takes time growing with the name length to the power of the stars (see globMatch).
  const globs = patterns
    .map(accountName) // patterns and names in one spelling (NFC, invisible characters removed, white-space runs as one space)
    .filter((p) => p !== '')
    .map((p) => globUnits(p, true));
  if (globs.length === 0) return () => false;
  const seen = new Map<string, boolean>(); // a few names own most cases
  return (name) => {
    const n = name === undefined ? '' : accountName(name);
    if (!n) return false;
    let r = seen.get(n);
    if (r === undefined) {
      const texts = [globUnits(n, false)];
      if (!HAS_SPACE.test(n))
        for (const part of n.split(ACCOUNT_PART_SEPARATORS)) {
          if (part === '') continue;
          if (part !== n) texts.push(globUnits(part, false));
          for (const w of part.split(ACCOUNT_WORD_SEPARATORS)) if (w !== '' && w !== part) texts.push(globUnits(w, false));
        }
      r = globs.some((g) => texts.some((t) => globMatch(g, t)));
      if (seen.size < 10_000) seen.set(n, r);
    }
    return r;
  };
}

export interface KpiSet {
  /**
   * `weeks` are consecutive, or (a span over 1000 weeks) the latest 1000 weeks that have cases; `outsideWeeks` counts cases with a created time in no listed week.
   * `notSplitByTag` (the reason) is set when the cases could not be tagged: the volume is then a total per week (its title and definition say so;
   * `tags` holds the one placeholder tag of every case).
   */
  volume: Kpi<{ weeks: string[]; tags: string[]; counts: number[][]; totalPerWeek: number[]; withoutCreated: number; outsideWeeks: number; notSplitByTag?: string }>;
  escalationRate: Kpi<{ escalated: number; closed: number; rate: number; closedWithoutDisposition: number }>;
  /** `perTag` is empty and `perTagUnavailable` says why when the cases could not be tagged. */
  falsePositiveRate: Kpi<{ falsePositives: number; closed: number; rate: number; perTag: GroupRate[]; perTagUnavailable?: string; perRule?: GroupRate[]; perRuleUnavailable?: string }>;
  mtta: Kpi<DurationStats & { excludedNegative: number }>;
  /**
   * `withoutAutomation`: the same statistics over the cases closed by a person — not by an automation account
   * ({@link KpiOptions.automationAccounts}; a SOAR playbook closing in seconds pulls the median down) — and
   * `automatedCloses` those left out; both absent when no counted case's analyst is an automation account.
   */
  mttr: Kpi<DurationStats & { excludedNegative: number; withoutAutomation?: DurationStats | null; automatedCloses?: number }>;
  /**
   * `analysts`: one row per named analyst, most cases first (ties by name); `unassigned`: the cases
   * without an analyst, absent when every case has one; `automated`: the cases of automation /
   * service accounts ({@link KpiOptions.automationAccounts}; `accounts` names them), absent when
   * there are none. Neither is an analyst, so neither is in `analysts`; both carry `builtin`, and
   * an analyst whose name is one of their labels is an analyst like any other.
   */
  workloadPerAnalyst: Kpi<{ analysts: AnalystLoad[]; unassigned?: AnalystLoad; automated?: AnalystLoad }>;
  workloadPerShift: Kpi<{ shift: string; created: number; closed: number }[]>;
  slaBreaches: Kpi<{
    /** One row per severity, most severe first ({@link compareSeverity}: Critical, High, Medium, Low, Informational, …). */
    rows: {
      severity: string;
      cases: number;
      target: SlaTarget;
      /** Cases whose acknowledge target could be checked: acknowledged, closed, or open and already past the target at `asOf`. */
      ackChecked: number;
      /** Acknowledged after the target, or never acknowledged and closed after the target / still open past it at `asOf`. */
      ackBreaches: number;
      /** Of `ackBreaches`: cases with no acknowledged time (open past the target at `asOf`, or closed after it). */
      ackBreachesUnacknowledged: number;
      closeChecked: number;
      closeBreaches: number;
      /** Open cases (not hidden) older than the close target at `asOf`. Not counted in `closeBreaches`. */
      openOverdue: number;
      /** closeBreaches / closeChecked (0..1), undefined when nothing was checked. */
      closeBreachRate?: number;
    }[];
    casesWithoutTarget: number;
    /** Totals over the rows (each a separate count: never added together). */
    totals: { ackBreaches: number; ackBreachesUnacknowledged: number; closeBreaches: number; openOverdue: number };
    /** Set when acknowledge targets could not be checked (no acknowledged times), with the reason. */
    ackUnavailable?: string;
    /**
     * The cases that breached, in input order: `input` their index in the input's cases (as given to
     * {@link computeKpis} / {@link buildKpiReport}), `id` their id when they have one, `file`/`line` where they are,
     * `kinds` what they breached (each counted in the totals above).
     */
    breaches: { input: number; id?: string; file: string; line: number; kinds: SlaBreachKind[] }[];
  }>;
  backlog: Kpi<{ open: number; hidden: number; age?: DurationStats; buckets: { label: string; count: number }[] }>;
}

export interface KpiReport {
  asOf: number;
  /** Display zone (weeks, times shown). */
  zone: string;
  /** Zone the shift hours are in (resolved; the per-shift workload is counted in it). */
  shiftZone: string;
  /** The shift calendar in use ({@link effectiveShifts}). */
  shifts: ShiftDef[];
  /** First and last created time (epoch ms) of the cases counted, when known. */
  period: { from?: number; to?: number };
  /** Cases counted: those of the input that existed at the as-of time ({@link casesAsOf}). */
  cases: number;
  /** What the as-of time left out or changed (all 0 when the as-of time is after every time of the input). */
  asOfCut: AsOfCut;
  tags: { tag: string; count: number }[];
  kpis: KpiSet;
  coverage?: CoverageReport;
  /** Why there are no tags (the rules file could not be used); per-tag tables and charts are then unavailable. */
  taggingUnavailable?: string;
  /**
   * Colour slot of every tag of the rules and the cases ({@link tagColorSlots}: a remembered tag keeps its slot, the
   * others take free ones from their name's hash on, the default tag and `(not tagged)` neutral), shared by the
   * dashboard and the report; the host remembers it for the next ones (`rememberTagColors`).
   */
  tagColors: Record<string, number>;
  notes: string[];
}

/** Linear-interpolation percentile (type 7) of an ascending-sorted array; `p` in 0..1. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** n, mean, median, 90th percentile, min, max of durations (ms); undefined for an empty list. */
export function durationStats(values: number[]): DurationStats | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return { n: s.length, mean: sum / s.length, median: percentile(s, 0.5), p90: percentile(s, 0.9), min: s[0], max: s[s.length - 1] };
}

/**
 * Statuses meaning closed: the status must *start* with a closing word (after an optional `auto`/
 * `system` prefix), so that `Closed - False Positive`, `Resolved: duplicate` or `Auto-closed` are
 * closed while `Not closed`, `Unresolved`, `Pending close` or `Reopened after close` are not. A
 * status that mentions a reopening anywhere (`Closed, reopened`) is open. The bare present tense
 * `close` counts only as the whole status (`Close requested` is a request, not a state).
 */
const CLOSED_START = /^(?:(?:auto(?:matically)?|system)\s+)?(?:closed|resolved|done|completed?|dismissed)(?:\s|$)/;
const REOPENED = /\bre\s?open/;

/** True when a status text means the case is closed (see {@link CLOSED_START}); case-insensitive. */
export function isClosedStatus(status: string): boolean {
  const s = status
    .toLowerCase()
    .replace(/[\s_\-\u2010-\u2015:;,./\\()[\]{}|]+/g, ' ')
    .trim();
  if (REOPENED.test(s)) return false;
  return s === 'close' || CLOSED_START.test(s);
}

/** True/false when the case's state is known, undefined otherwise (see module comment). */
export function isClosedCase(c: CaseRecord): boolean | undefined {
  if (c.status) return isClosedStatus(c.status);
  if (c.closed !== undefined) return true;
  return undefined;
}

/**
 * True when a closed case (`closed`: its state, by default {@link isClosedCase}) was acknowledged after its closed
 * time. That is no time to acknowledge: MTTA is alert raised → first human action (soc-peers-and-kpis.md §4.2: AWS
 * "time to acknowledge and prioritize", Sentinel TimeToTriage = FirstModifiedTime − CreatedTime), and closing is a
 * human action on the case, so MTTA counts only acknowledgements between creation and closing. Such a case is left
 * out of MTTA ({@link computeKpis}) and is a problem of its row (`timeOrderProblems` in parse/cases). A case that is
 * not closed (reopened, its export keeping the old closed time) is never this: it may be acknowledged again.
 */
export function acknowledgedAfterClose(c: CaseRecord, closed: boolean = isClosedCase(c) === true): boolean {
  return closed && c.acknowledged !== undefined && c.closed !== undefined && c.acknowledged > c.closed;
}

/**
 * What the as-of time changed in the input ({@link casesAsOf}); counts of cases.
 */
export interface AsOfCut {
  /** Cases of the input, before the cut. */
  inputCases: number;
  /** Created after the as-of time: not in the KPIs at all (they did not exist yet). */
  createdAfter: number;
  /** Of the cases counted: closed after the as-of time, so open at it (backlog and open age; not in MTTR, escalation or FP rates). */
  closedAfter: number;
  /** Of the cases counted: acknowledged after the as-of time, so not acknowledged at it (not in MTTA; an acknowledge breach once past the target). */
  acknowledgedAfter: number;
  /**
   * Of the cases counted: closed by their status but with no closed time, counted as closed at the as-of time
   * (when they were closed is unknown). Counted only when the as-of time is before some time of the input
   * (one of the three counts above is not 0); 0 otherwise.
   */
  closedWithoutTime: number;
}

/**
 * The cases as they stood at the as-of time `asOf` (epoch ms UTC), for a point-in-time view:
 * - a case created after `asOf` is left out (its tag too; `index` maps each kept case to its input position);
 * - an acknowledged time after `asOf` is removed (the case was not acknowledged yet);
 * - a closed time after `asOf` is removed, and the case is open at `asOf` (`closedAt` false) whatever its
 *   status says now, and its disposition (given at closing) is removed;
 * - a case without a created time is kept (whether it existed then is unknown).
 * `closedAt[i]`: case i of the result is closed at `asOf` ({@link isClosedCase} of the input case, and not
 * closed after `asOf`). Input cases are not modified (changed cases are copies). O(n).
 */
export function casesAsOf(cases: readonly CaseRecord[], tags: readonly string[], asOf: number): { cases: CaseRecord[]; tags: string[]; index: number[]; closedAt: boolean[]; cut: AsOfCut } {
  const out: CaseRecord[] = [];
  const outTags: string[] = [];
  const index: number[] = [];
  const closedAt: boolean[] = [];
  const cut: AsOfCut = { inputCases: cases.length, createdAfter: 0, closedAfter: 0, acknowledgedAfter: 0, closedWithoutTime: 0 };
  let noClosedTime = 0;
  cases.forEach((c, i) => {
    if (c.created !== undefined && c.created > asOf) {
      cut.createdAfter++;
      return;
    }
    const ackLater = c.acknowledged !== undefined && c.acknowledged > asOf;
    const closedLater = c.closed !== undefined && c.closed > asOf;
    if (ackLater) cut.acknowledgedAfter++;
    if (closedLater) cut.closedAfter++;
    const closed = isClosedCase(c) === true && !closedLater;
    if (closed && c.closed === undefined) noClosedTime++;
    out.push(ackLater || closedLater ? { ...c, acknowledged: ackLater ? undefined : c.acknowledged, closed: closedLater ? undefined : c.closed, disposition: closedLater ? undefined : c.disposition } : c);
    outTags.push(tags[i]);
    index.push(i);
    closedAt.push(closed);
  });
  if (cut.createdAfter || cut.closedAfter || cut.acknowledgedAfter) cut.closedWithoutTime = noClosedTime;
  return { cases: out, tags: outTags, index, closedAt, cut };
}

/**
 * The note saying what the as-of time changed (`As of the as-of time: 3 cases created after it are left out; …`),
 * or undefined when it changed nothing.
 */
export function asOfCutNote(cut: AsOfCut): string | undefined {
  const parts = [
    ...(cut.createdAfter ? [`${count(cut.createdAfter, 'case')} of the input created after it ${cut.createdAfter === 1 ? 'is' : 'are'} left out`] : []),
    ...(cut.closedAfter ? [`${count(cut.closedAfter, 'case')} closed after it ${cut.closedAfter === 1 ? 'counts' : 'count'} as open (backlog, not MTTR)`] : []),
    ...(cut.acknowledgedAfter ? [`${count(cut.acknowledgedAfter, 'case')} acknowledged after it ${cut.acknowledgedAfter === 1 ? 'counts' : 'count'} as not acknowledged (not in MTTA)`] : []),
    ...(cut.closedWithoutTime ? [`${count(cut.closedWithoutTime, 'closed case')} without a closed time ${cut.closedWithoutTime === 1 ? 'counts' : 'count'} as closed (when is unknown)`] : []),
  ];
  return parts.length ? `KPIs at the as-of time: ${parts.join('; ')}` : undefined;
}

/**
 * Open cases at the as-of time `asOf` (epoch ms UTC): those of {@link casesAsOf} not closed then (a case
 * closed after `asOf` counts; one created after it does not), and not QRadar `HIDDEN` — the backlog the
 * dashboard shows for that time. O(n).
 */
export function openCaseCountAt(cases: readonly CaseRecord[], asOf: number): number {
  const at = casesAsOf(cases, [], asOf);
  let n = 0;
  for (let i = 0; i < at.cases.length; i++) if (!at.closedAt[i] && !isHidden(at.cases[i])) n++;
  return n;
}

/** Open cases: not closed (by {@link isClosedCase}) and not QRadar `HIDDEN`. */
export function openCaseCount(cases: CaseRecord[]): number {
  return cases.filter((c) => isClosedCase(c) !== true && !isHidden(c)).length;
}

function isHidden(c: CaseRecord): boolean {
  return !!c.status && /^hidden$/i.test(c.status);
}

/**
 * Minutes after midnight of an `HH:mm` time of day (`24:00` is midnight); undefined for anything else — the
 * setting is free JSON: a number threw, `07:75` was read as 08:15 and `99:00` as 03:00.
 */
function minutesOfDay(hhmm: unknown): number | undefined {
  const m = typeof hhmm === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim()) : null;
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return undefined;
  return (h % 24) * 60 + min;
}

/** `shift "Day": "07:75"` for each shift with a start or end that is not a time of day ({@link minutesOfDay}). */
function badShiftTimes(shifts: ShiftDef[]): string[] {
  return shifts
    .map((s) => ({ s, bad: [s.start, s.end].filter((t) => minutesOfDay(t) === undefined) }))
    .filter((x) => x.bad.length > 0)
    .map((x) => `shift ${JSON.stringify(String(x.s.name))}: ${x.bad.map((t) => JSON.stringify(t) ?? String(t)).join(', ')}`);
}

/** The shift calendar in use: `shifts` when it has any, else {@link DEFAULT_SHIFTS}. */
export function effectiveShifts(shifts: ShiftDef[] | undefined): ShiftDef[] {
  return shifts && shifts.length ? shifts : DEFAULT_SHIFTS;
}

/**
 * The shifts named with their hours and zone, once, for every place that shows per-shift numbers:
 * `Shifts (America/New_York): Day 07:00–15:00, Evening 15:00–23:00, Night 23:00–07:00`. `zone`: the resolved shift
 * zone; `shifts`: the calendar in use ({@link effectiveShifts}); times as configured (`HH:mm`, end exclusive).
 */
export function shiftHoursText(zone: string, shifts: ShiftDef[]): string {
  return `Shifts (${zone}): ${shifts.map((s) => `${String(s.name)} ${String(s.start)}–${String(s.end)}`).join(', ')}`;
}

/**
 * The shift (by name) containing `ms` in `zone`; `Unassigned` when no shift covers that time of day. A shift
 * whose start or end is not an `HH:mm` time of day covers nothing.
 */
export function shiftOf(ms: number, zone: string, shifts: ShiftDef[]): string {
  const dt = DateTime.fromMillis(ms, { zone });
  const m = dt.hour * 60 + dt.minute;
  for (const s of shifts) {
    const a = minutesOfDay(s.start);
    const b = minutesOfDay(s.end);
    if (a === undefined || b === undefined) continue;
    if (a < b ? m >= a && m < b : m >= a || m < b) return s.name;
  }
  return 'Unassigned';
}

/** ISO week label (`2026-W10`) of `ms` in `zone`. */
export function isoWeek(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("kkkk-'W'WW");
}

/** A setting value as typed, for a note: `"abc"`, `-5`, `NaN`, `{"a":1}`. */
function settingText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    // a value nested too deeply to write (a settings value is free JSON): said as such, not a stack overflow
    t = Array.isArray(v) ? '[…] (nested too deeply to show)' : '{…} (nested too deeply to show)';
  }
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

/**
 * The SLA table with every target that is not a number of minutes ≥ 0 left out (an entry that is not an
 * object keeps its severity with no targets), and one problem text per bad value: `"high"
 * acknowledgeMinutes: "abc"`. The setting is free JSON; a text, a negative or a NaN made every comparison
 * false — no breaches, silently.
 */
export function checkSla(sla: unknown): { sla: Record<string, SlaTarget>; problems: string[] } {
  if (typeof sla !== 'object' || sla === null || Array.isArray(sla)) return { sla: {}, problems: [`the SLA table ${settingText(sla)}`] };
  const out: Record<string, SlaTarget> = {};
  const problems: string[] = [];
  for (const [k, v] of Object.entries(sla)) {
    const t: SlaTarget = {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) problems.push(`${JSON.stringify(k)}: ${settingText(v)}`);
    else
      for (const f of ['acknowledgeMinutes', 'closeMinutes'] as const) {
        const x = (v as Record<string, unknown>)[f];
        if (x === undefined) continue;
        if (typeof x === 'number' && Number.isFinite(x) && x >= 0) t[f] = x;
        else problems.push(`${JSON.stringify(k)} ${f}: ${settingText(x)}`);
      }
    // defineProperty: a `__proto__` key is a severity of the table (plain assignment set the prototype and lost it)
    Object.defineProperty(out, k, { value: t, enumerable: true, writable: true, configurable: true });
  }
  return { sla: out, problems };
}

/**
 * The SLA target for a severity: the key equal to it (case-insensitive); else, for a ServiceNow-style
 * priority (`1 - Critical`, `P2: High`), the key equal to the word after the number; else a key that
 * is a synonym of the usual severity words (`Moderate` = `medium`, `crit` = `critical`, `info` =
 * `informational`); else a numeric range key `a-b` containing it (QRadar's 1–10). Undefined: no target.
 * Of several keys that fit, the first in the table's order.
 */
export function slaFor(severity: string | undefined, sla: Record<string, SlaTarget>): SlaTarget | undefined {
  return slaMatch(severity, slaIndex(sla))?.target;
}

/** A match of {@link slaMatch}: the target and the row it counts in. */
type SlaMatch = { target: SlaTarget; group: string };

/**
 * An SLA table indexed once for the lookups of every case ({@link slaIndex}). Each lookup used to walk the whole
 * table (up to four times per case, and once per comparison when the rows were sorted): 16,000 cases against a
 * table of 16,000 severities took 13 minutes (4,000 against 4,000: 23 s). Now a lookup is a few map reads and a
 * binary search, whatever the size of the table.
 */
interface SlaIndex {
  /** Trimmed lower-case key → the first key so spelt (table order) and its target. */
  byKey: Map<string, [string, SlaTarget]>;
  /** Rank of a usual severity word ({@link SEVERITY_WORDS}) → the first key that is a word of that rank. */
  byRank: Map<number, [string, SlaTarget]>;
  /** Trimmed lower-case key → position of the first key so spelt (the order of {@link severityKey}'s band 2). */
  position: Map<string, number>;
  /** The first range key `a-b` (table order) whose range holds `n`. */
  inRange: (n: number) => SlaTarget | undefined;
  /** Severity text → its match (the cases of an export share a few severities). */
  memo: Map<string, SlaMatch | undefined>;
}

/** An SLA range key `a-b` (`8-10`, `-1 - 2.5`). */
const SLA_RANGE_KEY = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/;

/** {@link SlaIndex} of a table: O(k log k) for k keys. */
function slaIndex(sla: Record<string, SlaTarget>): SlaIndex {
  const byKey = new Map<string, [string, SlaTarget]>();
  const byRank = new Map<number, [string, SlaTarget]>();
  const position = new Map<string, number>();
  const ranges: { lo: number; hi: number; target: SlaTarget }[] = [];
  Object.entries(sla).forEach(([k, v], i) => {
    const kl = k.trim().toLowerCase();
    if (!byKey.has(kl)) byKey.set(kl, [k, v]);
    if (!position.has(kl)) position.set(kl, i);
    if (Object.hasOwn(SEVERITY_WORDS, kl) && !byRank.has(SEVERITY_WORDS[kl])) byRank.set(SEVERITY_WORDS[kl], [k, v]);
    const m = SLA_RANGE_KEY.exec(k);
    if (m && Number(m[1]) <= Number(m[2])) ranges.push({ lo: Number(m[1]), hi: Number(m[2]), target: v });
  });
  return { byKey, byRank, position, inRange: firstRangeHolding(ranges), memo: new Map() };
}

/**
 * A lookup of the first range (in the given order) holding a number, for many numbers: the ranges' distinct ends
 * cut the line into points and the open gaps between them; each of these pieces gets the first range that covers it
 * (ranges in order, each painting only the pieces no earlier range painted: a union-find "next unpainted piece"), and a
 * number is found by binary search. O(r log r) to build for r ranges, O(log r) per number; a range `a-b` holds `a` and `b`.
 */
function firstRangeHolding<T>(ranges: readonly { lo: number; hi: number; target: T }[]): (n: number) => T | undefined {
  if (ranges.length === 0) return () => undefined;
  if (ranges.length <= 16) return (n) => ranges.find((r) => n >= r.lo && n <= r.hi)?.target; // the usual table (4 ranges)
  const ends = [...new Set(ranges.flatMap((r) => [r.lo, r.hi]))].sort((a, b) => a - b);
  const at = (x: number) => {
    // index of the last end ≤ x (-1 when none)
    let lo = 0;
    let hi = ends.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= x) (found = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return found;
  };
  // piece 2i is the point ends[i], piece 2i + 1 the open gap (ends[i], ends[i + 1])
  const pieces = 2 * ends.length - 1;
  const owner: (T | undefined)[] = new Array(pieces).fill(undefined);
  const next = Array.from({ length: pieces + 1 }, (_, i) => i); // next unpainted piece at or after i (pieces = none)
  const find = (i: number) => {
    let r = i;
    while (next[r] !== r) r = next[r];
    // path compression: every piece passed on the way points at the result
    while (i !== r) {
      const up = next[i];
      next[i] = r;
      i = up;
    }
    return r;
  };
  for (const r of ranges) {
    const last = 2 * at(r.hi);
    for (let p = find(2 * at(r.lo)); p <= last; p = find(p)) {
      owner[p] = r.target;
      next[p] = p + 1;
    }
  }
  return (n) => {
    const i = at(n);
    if (i < 0) return undefined;
    return ends[i] === n ? owner[2 * i] : 2 * i + 1 < pieces ? owner[2 * i + 1] : undefined;
  };
}

/**
 * {@link slaFor} with the row the severity counts in: `group` is `key:<the SLA key matched>` for a
 * match by text (so `High`, `high `, `P2: High` are one row), `num:<number>` for a number inside a
 * range key (one row per severity number, as QRadar's 1–10 are read).
 */
function slaMatch(severity: string | undefined, index: SlaIndex): SlaMatch | undefined {
  if (!severity) return undefined;
  if (index.memo.has(severity)) return index.memo.get(severity);
  const found = slaMatchOnce(severity, index);
  if (index.memo.size < 100_000) index.memo.set(severity, found);
  return found;
}

function slaMatchOnce(severity: string, index: SlaIndex): SlaMatch | undefined {
  const l = severity.trim().toLowerCase();
  const byKey = (w: string): SlaMatch | undefined => {
    const e = index.byKey.get(w);
    return e && { target: e[1], group: `key:${e[0]}` };
  };
  const exact = byKey(l);
  if (exact) return exact;
  // ServiceNow-style priorities, `1 - Critical`: the word after the number, when the table has it
  const word = /^p?\d+\s*[-–:]\s*(\S.*)$/.exec(l)?.[1];
  const worded = word !== undefined ? byKey(word) : undefined;
  if (worded) return worded;
  // the usual words' synonyms (`Moderate` = `medium`, `crit` = `critical`, `info` = `informational`)
  for (const w of [l, word]) {
    const rank = w !== undefined && Object.hasOwn(SEVERITY_WORDS, w) ? SEVERITY_WORDS[w] : undefined;
    if (rank === undefined) continue;
    const e = index.byRank.get(rank);
    if (e) return { target: e[1], group: `key:${e[0]}` };
  }
  const n = Number(l);
  if (!Number.isFinite(n)) return undefined;
  const target = index.inRange(n);
  return target && { target, group: `num:${n}` };
}

/** Rank of the usual severity words (lower = more severe); `unknown`-like words sort last. */
const SEVERITY_WORDS: Record<string, number> = { critical: 0, crit: 0, high: 1, medium: 2, med: 2, moderate: 2, low: 3, informational: 4, info: 4 };
const UNKNOWN_SEVERITY = /^(?:unknown|none|n\/?a|-|–|\?)$/;

/**
 * Sort key of a severity: `[band, value]`. Bands: 0 the usual words (Critical, High, Medium, Low,
 * Informational, in that order); 1 numbers (highest first); 2 other texts, in the order of the SLA
 * table's keys (the key they match); 3 unknown (`unknown`, `n/a`, `-`, or no SLA key).
 */
function severityKey(severity: string, index: SlaIndex): [number, number] {
  const l = severity.trim().toLowerCase();
  if (Object.hasOwn(SEVERITY_WORDS, l)) return [0, SEVERITY_WORDS[l]]; // not `in`: 'constructor' is in every object
  const n = Number(l);
  if (l !== '' && Number.isFinite(n)) return [1, -n];
  if (UNKNOWN_SEVERITY.test(l)) return [3, 0];
  const i = index.position.get(l);
  return i !== undefined ? [2, i] : [3, 0];
}

/**
 * Orders severities most severe first: Critical, High, Medium, Low, Informational (any case), then
 * numeric severities (highest first), then other severities in the order of the SLA table, unknown
 * ones (`unknown`, `n/a`, not in the table) last; ties by text.
 */
export function compareSeverity(a: string, b: string, sla: Record<string, SlaTarget> = DEFAULT_SLA): number {
  return compareSeverityIn(a, b, slaIndex(sla));
}

/** {@link compareSeverity} with the table indexed once ({@link slaIndex}), for sorting many rows. */
function compareSeverityIn(a: string, b: string, index: SlaIndex): number {
  const ka = severityKey(a, index);
  const kb = severityKey(b, index);
  return ka[0] - kb[0] || ka[1] - kb[1] || a.localeCompare(b);
}

const DAY = 86_400_000;
/** Places (`file.csv:4`) of cases with times out of order named in an MTTA/MTTR note or reason, at most. */
const OUT_OF_ORDER_EXAMPLES = 3;
/** SLA table keys named in the note on severities without a target (the rest counted). */
const SLA_KEYS_NAMED = 20;
/** Most weeks listed in the volume KPI. */
const MAX_WEEKS = 1000;

/**
 * Computes every KPI of {@link KpiSet} for the cases (tags aligned with `cases`) as they stood at the
 * as-of time `opts.asOf` ({@link casesAsOf}: cases created after it are left out, closes and
 * acknowledgements after it have not happened yet). Never throws.
 * Definitions (also in each KPI's `definition`):
 * - volume: cases created per tag per ISO week (Monday start) in the display zone (a span over 1000
 *   weeks lists only the latest 1000 weeks that have cases; the cases outside are counted); with
 *   `taggingUnavailable`, cases created per week, not split by tag (title and definition say so);
 * - escalation rate = escalated ÷ closed cases with a disposition;
 * - false-positive rate = FP ÷ closed cases with a disposition; per tag and per rule (a case with
 *   several rules counts once for each);
 * - MTTA = acknowledged − created over acknowledgements between creation and closing (a closed case acknowledged
 *   after its closed time, {@link acknowledgedAfterClose}, is excluded and counted); MTTR (R = resolve) = closed −
 *   created over closed cases (a case that is not closed, say reopened with its old closed time, is left out and
 *   counted); median, p90, mean; negative durations are excluded and counted;
 * - workload per analyst: cases, open, closed, FP, median time to close per analyst; cases without
 *   an analyst (`unassigned`) and cases of automation / service accounts (`automated`, by
 *   `automationAccounts`) are reported separately, never as an analyst;
 * - workload per shift: cases created and closed per shift of the shift calendar in `shiftZone` (a close only of a
 *   case closed at `asOf`: not of a reopened case that still holds its old closed time);
 * - SLA breaches per severity, three separate counts: ack breaches (ack − created > target; a case
 *   never acknowledged is a breach when open past the target at `asOf` or closed after it), close
 *   breaches (closed − created > target) and open cases already older than the close target at `asOf`;
 *   rows most severe first ({@link compareSeverity});
 * - backlog: open cases, age (`asOf` − created) statistics and age buckets.
 */
export function computeKpis(cases: CaseRecord[], tags: string[], opts: KpiOptions): KpiSet {
  const at = casesAsOf(cases, tags, opts.asOf);
  return computeKpisAt(at.cases, at.tags, at.closedAt, at.index, opts);
}

/** What a case breached: its acknowledge target, its close target (closed late), or still open past the close target. */
export type SlaBreachKind = 'acknowledge' | 'close' | 'open past close target';

/**
 * {@link computeKpis} of cases already cut to the as-of time by {@link casesAsOf} (`closedAt` its state of each case,
 * `index` its index in the input).
 */
function computeKpisAt(cases: CaseRecord[], tags: string[], closedAt: boolean[], index: readonly number[], opts: KpiOptions): KpiSet {
  const zone = opts.zone;
  const fpVals = opts.falsePositiveValues ?? DEFAULT_FALSE_POSITIVE;
  const escVals = opts.escalatedValues ?? DEFAULT_ESCALATED;
  const shifts = effectiveShifts(opts.shifts);
  const shiftZone = opts.shiftZone ?? 'UTC';
  // a target that is not a number of minutes is left out and said beside the SLA numbers
  const { sla, problems: slaProblems } = checkSla(opts.sla ?? DEFAULT_SLA);
  const missing = new Set(opts.missing ?? []);
  const why = (f: CaseField) => opts.missingReasons?.[f] ?? `the input has no "${f}" column (map one in the column mapping or with --map column=${f})`;
  const need = (...fields: CaseField[]): string | undefined => {
    const m = fields.filter((f) => missing.has(f));
    return m.length ? m.map(why).join('; ') : undefined;
  };
  const un = <T>(id: string, title: string, definition: string, reason: string): Kpi<T> => ({ id, title, definition, available: false, reason });
  // a field only some files have: their cases are left out of the KPIs needing it, and the files named
  const lackingFiles = new Map((Object.entries(opts.lacking ?? {}) as [CaseField, string[]][]).map(([f, files]) => [f, new Set(files)]));
  const lacks = (c: CaseRecord, f: CaseField) => lackingFiles.get(f)?.has(c.file) === true;
  const lackingNote = (f: CaseField): string[] => {
    const files = lackingFiles.get(f);
    const n = files ? cases.filter((c) => lacks(c, f)).length : 0;
    if (!files || n === 0) return [];
    const names = [...files].map((x) => path.basename(x));
    return [`${count(n, 'case')} of ${names.join(', ')} not counted: ${names.length === 1 ? 'that file has' : 'those files have'} no "${f}" column`];
  };
  const stateKnown = !missing.has('status') || !missing.has('closed');
  const stateReason = `${why('status')}; ${why('closed')}`;
  const closedOf = closedAt;
  // a disposition that mentions a value, not negated in its clause (`Not a false positive`: reason-match.ts)
  const isFp = (c: CaseRecord) => mentionsAny(c.disposition, fpVals);
  const isEsc = (c: CaseRecord) => mentionsAny(c.disposition, escVals);

  // volume per tag per week (a total per week when the cases could not be tagged)
  const volTitle = opts.taggingUnavailable ? 'Volume per week (not split by tag)' : 'Volume per tag per week';
  const volDef = opts.taggingUnavailable
    ? `Cases created per ISO week (Monday–Sunday) in ${zone}. Not split by tag: the tagging rules file could not be used, so the cases were not tagged.`
    : `Cases created per tag per ISO week (Monday–Sunday) in ${zone}; tags from the tagging rules (first match wins).`;
  let volume: KpiSet['volume'];
  if (missing.has('created')) volume = un('volume', volTitle, volDef, why('created'));
  else {
    const withTime = cases.map((c, i) => ({ c, tag: tags[i] })).filter((x) => x.c.created !== undefined);
    let weeks: string[] = [];
    const volNotes: string[] = [];
    if (withTime.length) {
      const min = withTime.reduce((a, x) => Math.min(a, x.c.created!), Infinity);
      const max = withTime.reduce((a, x) => Math.max(a, x.c.created!), -Infinity);
      let w = DateTime.fromMillis(min, { zone }).startOf('week');
      const end = DateTime.fromMillis(max, { zone });
      for (; weeks.length < MAX_WEEKS && w <= end; w = w.plus({ weeks: 1 })) weeks.push(w.toFormat("kkkk-'W'WW"));
      if (w <= end) {
        // A longer span (say one stray 1970 date among this year's cases) listed only its first 1000 weeks and
        // lost every later case: list the weeks that have cases instead, the latest MAX_WEEKS of them.
        const starts = [...new Set(withTime.map((x) => DateTime.fromMillis(x.c.created!, { zone }).startOf('week').toMillis()))].sort((a, b) => a - b);
        weeks = starts.slice(-MAX_WEEKS).map((ms) => DateTime.fromMillis(ms, { zone }).toFormat("kkkk-'W'WW"));
        volNotes.push(`created times span more than ${MAX_WEEKS} weeks: only weeks with cases are listed` + (starts.length > MAX_WEEKS ? ` (the latest ${MAX_WEEKS})` : ''));
      }
    }
    const tagList = [...new Set(tags)].sort();
    const counts = tagList.map(() => weeks.map(() => 0));
    const wi = new Map(weeks.map((w, i) => [w, i]));
    const ti = new Map(tagList.map((t, i) => [t, i]));
    let outsideWeeks = 0;
    for (const x of withTime) {
      const j = wi.get(isoWeek(x.c.created!, zone));
      if (j !== undefined) counts[ti.get(x.tag)!][j]++;
      else outsideWeeks++;
    }
    if (outsideWeeks) volNotes.push(`${count(outsideWeeks, 'case')} created in earlier weeks ${outsideWeeks === 1 ? 'is' : 'are'} not listed`);
    if (opts.taggingUnavailable) volNotes.push(`not split by tag: ${opts.taggingUnavailable}`);
    volume = {
      id: 'volume',
      title: volTitle,
      definition: volDef,
      available: true,
      value: {
        weeks,
        tags: tagList,
        counts,
        totalPerWeek: weeks.map((_, j) => counts.reduce((a, r) => a + r[j], 0)),
        withoutCreated: cases.length - withTime.length,
        outsideWeeks,
        ...(opts.taggingUnavailable ? { notSplitByTag: opts.taggingUnavailable } : {}),
      },
      notes: volNotes.length ? volNotes : undefined,
    };
  }

  // escalation rate
  const escDef = `Escalated ÷ closed cases with a disposition. Escalated = disposition contains one of: ${escVals.join(', ')} (case-insensitive; not where negated in its clause, as in not escalated).`;
  let escalationRate: KpiSet['escalationRate'];
  const closedWithDisp = cases.filter((c, i) => closedOf[i] && c.disposition);
  const closedNoDisp = cases.filter((c, i) => closedOf[i] && !c.disposition && !lacks(c, 'disposition')).length;
  const dispNotes = lackingNote('disposition');
  if (missing.has('disposition') || !stateKnown) escalationRate = un('escalationRate', 'Escalation rate', escDef, missing.has('disposition') ? why('disposition') : stateReason);
  else {
    const e = closedWithDisp.filter(isEsc).length;
    escalationRate = {
      id: 'escalationRate',
      title: 'Escalation rate',
      definition: escDef,
      available: true,
      value: { escalated: e, closed: closedWithDisp.length, rate: closedWithDisp.length ? e / closedWithDisp.length : NaN, closedWithoutDisposition: closedNoDisp },
      notes: dispNotes.length ? dispNotes : undefined,
    };
  }

  // false-positive rate
  const fpDef = `False positives ÷ closed cases with a disposition, overall, per tag and per rule (a case with several rules counts for each). FP = disposition contains one of: ${fpVals.join(', ')} (case-insensitive; not where negated in its clause, as in not a false positive).`;
  let falsePositiveRate: KpiSet['falsePositiveRate'];
  if (missing.has('disposition') || !stateKnown) falsePositiveRate = un('falsePositiveRate', 'False-positive rate', fpDef, missing.has('disposition') ? why('disposition') : stateReason);
  else {
    const group = (keysOf: (c: CaseRecord, i: number) => string[]): GroupRate[] => {
      const m = new Map<string, GroupRate>();
      cases.forEach((c, i) => {
        if (!closedOf[i] || !c.disposition) return;
        for (const k of keysOf(c, i)) {
          let g = m.get(k);
          if (!g) m.set(k, (g = { key: k, closed: 0, falsePositives: 0, rate: 0 }));
          g.closed++;
          if (isFp(c)) g.falsePositives++;
        }
      });
      return [...m.values()].map((g) => ({ ...g, rate: g.falsePositives / g.closed })).sort((a, b) => b.falsePositives - a.falsePositives || b.closed - a.closed || a.key.localeCompare(b.key));
    };
    const fp = closedWithDisp.filter(isFp).length;
    const v: Extract<KpiSet['falsePositiveRate'], { available: true }>['value'] = {
      falsePositives: fp,
      closed: closedWithDisp.length,
      rate: closedWithDisp.length ? fp / closedWithDisp.length : NaN,
      perTag: opts.taggingUnavailable ? [] : group((_c, i) => [tags[i]]),
    };
    if (opts.taggingUnavailable) v.perTagUnavailable = opts.taggingUnavailable;
    if (missing.has('rule')) v.perRuleUnavailable = why('rule');
    else v.perRule = group((c) => (lacks(c, 'rule') ? [] : c.rules.length ? c.rules : ['(no rule)']));
    const fpNotes = [...dispNotes, ...lackingNote('rule').map((n) => `per rule: ${n}`)];
    falsePositiveRate = { id: 'falsePositiveRate', title: 'False-positive rate', definition: fpDef, available: true, value: v, notes: fpNotes.length ? fpNotes : undefined };
  }

  // MTTA / MTTR
  const autoPatterns = (opts.automationAccounts ?? DEFAULT_AUTOMATION_ACCOUNTS).map((p) => p.trim()).filter((p) => p !== '');
  const isAutomation = automationAccountMatcher(autoPatterns);
  // closedOnly (MTTR): a case that is not closed (say reopened: its export keeps the old closed time) is backlog, not a resolution
  const durKpi = (id: 'mtta' | 'mttr', title: string, definition: string, from: CaseField, to: CaseField, closedOnly = false): KpiSet['mttr'] => {
    const r = need(from, to);
    if (r) return un(id, title, definition, r);
    const d: number[] = [];
    /** The durations of cases whose analyst is a person (MTTR: not an automation account), and how many are not. */
    const human: number[] = [];
    let automated = 0;
    let neg = 0;
    /** Where the cases with `to` before `from` are (`file.csv:4`), the first few. */
    const negAt: string[] = [];
    let notClosed = 0;
    /** MTTA: closed cases acknowledged after their closed time ({@link acknowledgedAfterClose}), and the first few places. */
    let late = 0;
    const lateAt: string[] = [];
    cases.forEach((c, i) => {
      const a = c[from as 'created'];
      const b = c[to as 'closed'];
      if (a === undefined || b === undefined) return;
      if (closedOnly && !closedOf[i]) notClosed++;
      else if (b - a < 0) {
        neg++;
        if (negAt.length < OUT_OF_ORDER_EXAMPLES) negAt.push(`${path.basename(c.file)}:${c.line}`);
      } else if (to === 'acknowledged' && acknowledgedAfterClose(c, closedOf[i])) {
        late++;
        if (lateAt.length < OUT_OF_ORDER_EXAMPLES) lateAt.push(`${path.basename(c.file)}:${c.line}`);
      } else {
        d.push(b - a);
        if (closedOnly && c.analyst !== undefined && isAutomation(c.analyst)) automated++;
        else human.push(b - a);
      }
    });
    // where they are: the problems list has each one with its times
    const negWhere = neg ? `${negAt.join(', ')}${neg > negAt.length ? ', …' : ''}` : '';
    const lateWhere = late ? `${lateAt.join(', ')}${late > lateAt.length ? ', …' : ''}` : '';
    const notes = [
      ...(neg ? [`${count(neg, 'case')} with ${to} before ${from} excluded (${negWhere}; see the problems)`] : []),
      ...(late ? [`${count(late, 'case')} acknowledged after ${late === 1 ? 'it was' : 'they were'} closed excluded (${lateWhere}; see the problems)`] : []),
      ...(notClosed ? [`${count(notClosed, 'case')} with a ${to} time but not closed (status such as reopened) excluded`] : []),
    ];
    const s = durationStats(d);
    if (!s) {
      // every case with both times has them out of order (or is not closed): say so, not that the times are missing
      const toVerb = to === 'closed' ? 'closed' : 'acknowledged';
      const why = late
        ? `no case acknowledged between its creation and its closing (${[
            ...(neg ? [`${neg} acknowledged before ${neg === 1 ? 'it was' : 'they were'} created: ${negWhere}`] : []),
            `${late} acknowledged after ${late === 1 ? 'it was' : 'they were'} closed: ${lateWhere}`,
          ].join('; ')})`
        : neg
        ? `no ${closedOnly ? 'closed ' : ''}case with ${to === 'closed' ? 'a close' : 'an acknowledgement'} time after its creation (${neg} ${toVerb} before ${neg === 1 ? 'it was' : 'they were'} created: ${negWhere}${
            notClosed ? `; ${count(notClosed, 'case')} with a ${to} time but not closed` : ''
          })`
        : notClosed
          ? `no closed case has both ${from} and ${to} times (${count(notClosed, 'case')} with a ${to} time but not closed, such as reopened)`
          : `no ${closedOnly ? 'closed ' : ''}case has both ${from} and ${to} times`;
      return un(id, title, definition, why);
    }
    if (automated > 0) {
      // automation closes in seconds: the MTTR of the cases people closed, beside it
      const h = durationStats(human);
      notes.push(`${count(automated, 'case')} closed by automation accounts included; without ${automated === 1 ? 'it' : 'them'}: ${h ? `median ${formatDuration(h.median)} · p90 ${formatDuration(h.p90)} · mean ${formatDuration(h.mean)} (n = ${h.n})` : 'no case'}`);
      return { id, title, definition, available: true, value: { ...s, excludedNegative: neg, withoutAutomation: h ?? null, automatedCloses: automated }, notes };
    }
    return { id, title, definition, available: true, value: { ...s, excludedNegative: neg }, notes: notes.length ? notes : undefined };
  };
  const mtta = durKpi('mtta', 'MTTA (time to acknowledge)', 'Acknowledged − created, over cases with both times at the as-of time (an acknowledgement after it does not count yet), counting only acknowledgements between creation and closing (a closed case acknowledged after it was closed is left out); median, 90th percentile (linear interpolation) and mean.', 'created', 'acknowledged');
  // files without acknowledged times (QRadar offenses beside a ticket export): their cases are not in MTTA, said
  if (mtta.available && lackingNote('acknowledged').length) mtta.notes = [...(mtta.notes ?? []), ...lackingNote('acknowledged')];
  const mttr = durKpi(
    'mttr',
    'MTTR (R = resolve: created → closed)',
    'Closed − created, over cases closed at the as-of time with both times (a case closed after it is still open then; Sentinel TimeToClosure; QRadar close_time − first_persisted_time); median, 90th percentile (linear interpolation) and mean.',
    'created',
    'closed',
    true,
  );

  // workload per analyst
  const finish = ({ ttc, ...g }: AnalystLoad & { ttc: number[] }): AnalystLoad => ({ ...g, medianTimeToCloseMs: durationStats(ttc)?.median });
  const waDef =
    `Per analyst (owner / closing user): cases, open, closed, false positives, and median time to close (closed − created). Not analysts, so counted in rows of their own: cases without an analyst (row "${UNASSIGNED}") and ` +
    (autoPatterns.length
      ? `cases of automation or service accounts such as SOAR playbooks and API users (row "${AUTOMATED}"): account names matching one of ${autoPatterns.join(', ')} as the whole name or, in an account identifier without spaces, as one of its parts (between \\ / @ :) or words (between _ -); names with spaces (display names such as a person's First Last) only as a whole (case-insensitive, * = any characters; setting socAnalytics.kpi.automationAccounts).`
      : 'cases of automation accounts: none configured, so every named account counts as an analyst (setting socAnalytics.kpi.automationAccounts).');
  let workloadPerAnalyst: KpiSet['workloadPerAnalyst'];
  if (missing.has('analyst')) workloadPerAnalyst = un('workloadPerAnalyst', 'Workload per analyst', waDef, why('analyst'));
  else {
    type Load = { analyst: string; builtin?: BuiltinAnalystRow; cases: number; open: number; closed: number; falsePositives: number; ttc: number[] };
    // analysts by name; the two built-in rows are apart from the map, so no name (not even "(unassigned)") reaches them
    const m = new Map<string, Load>();
    const un: Load = { analyst: UNASSIGNED, builtin: 'unassigned', cases: 0, open: 0, closed: 0, falsePositives: 0, ttc: [] };
    const auto: Load = { analyst: AUTOMATED, builtin: 'automated', cases: 0, open: 0, closed: 0, falsePositives: 0, ttc: [] };
    const autoNames = new Set<string>();
    cases.forEach((c, i) => {
      if (lacks(c, 'analyst')) return; // not "(unassigned)": its file has no analyst column
      const k = c.analyst?.trim() ? c.analyst : undefined;
      const automated = k !== undefined && isAutomation(k);
      if (automated) autoNames.add(k);
      let g = k === undefined ? un : automated ? auto : m.get(k);
      if (!g) m.set(k!, (g = { analyst: k!, cases: 0, open: 0, closed: 0, falsePositives: 0, ttc: [] }));
      g.cases++;
      if (closedOf[i]) {
        g.closed++;
        if (isFp(c)) g.falsePositives++;
        if (c.closed !== undefined && c.created !== undefined && c.closed >= c.created) g.ttc.push(c.closed - c.created);
      } else if (!isHidden(c)) g.open++;
    });
    workloadPerAnalyst = {
      id: 'workloadPerAnalyst',
      title: 'Workload per analyst',
      definition: waDef,
      available: true,
      value: {
        analysts: [...m.values()].map(finish).sort((a, b) => b.cases - a.cases || a.analyst.localeCompare(b.analyst)),
        ...(un.cases ? { unassigned: finish(un) } : {}),
        ...(auto.cases ? { automated: { ...finish(auto), accounts: [...autoNames].sort((a, b) => a.localeCompare(b)) } } : {}),
      },
      notes: lackingNote('analyst').length ? lackingNote('analyst') : undefined,
    };
  }

  // workload per shift
  const wsDef = `Per shift: cases created (by their created time) and cases closed (by their closed time; a case not closed at the as-of time, such as a reopened one, is no close), by the time of day in the shift zone (setting socAnalytics.kpi.shiftTimeZone, CLI --shift-zone; not the display zone). ${shiftHoursText(shiftZone, shifts)}.`;
  let workloadPerShift: KpiSet['workloadPerShift'];
  if (missing.has('created')) workloadPerShift = un('workloadPerShift', 'Workload per shift', wsDef, why('created'));
  else {
    const rows = new Map<string, { shift: string; created: number; closed: number }>(shifts.map((s) => [s.name, { shift: s.name, created: 0, closed: 0 }]));
    const row = (n: string) => {
      let r = rows.get(n);
      if (!r) rows.set(n, (r = { shift: n, created: 0, closed: 0 }));
      return r;
    };
    cases.forEach((c, i) => {
      if (c.created !== undefined) row(shiftOf(c.created, shiftZone, shifts)).created++;
      // a close only of a case closed at the as-of time: a reopened case keeps its old closed time in the export
      if (closedOf[i] && c.closed !== undefined) row(shiftOf(c.closed, shiftZone, shifts)).closed++;
    });
    const bad = badShiftTimes(shifts);
    const shiftNotes = bad.length ? [`${bad.join('; ')}: not a time of day (HH:mm, 00:00–24:00); such a shift is left out (its cases count as Unassigned)`] : undefined;
    workloadPerShift = { id: 'workloadPerShift', title: 'Workload per shift', definition: wsDef, available: true, value: [...rows.values()], notes: shiftNotes };
  }

  // SLA breaches per severity
  const slaDef =
    'Per severity, judged at the as-of time (cases created after it left out; acknowledgements and closes after it not yet made), three separate counts: acknowledge breaches (acknowledged − created longer than the target; a closed case acknowledged after its close counts as acknowledged when it was closed; a case not acknowledged is a breach once it is open past the target at the as-of time, or was closed after the target — closing acknowledges it at the latest), close breaches (closed cases: closed − created longer than the target), and open cases past the close target at the as-of time (not yet a close breach). Close breach rate = close breaches ÷ closed cases checked. A case acknowledged or closed before it was created is not checked against that target (a note says where). Targets from the SLA table (setting socAnalytics.kpi.sla).';
  let slaBreaches: KpiSet['slaBreaches'];
  const slaMissing = need('severity', 'created');
  if (slaMissing) slaBreaches = un('slaBreaches', 'SLA breaches per severity', slaDef, slaMissing);
  else {
    const m = new Map<string, Extract<KpiSet['slaBreaches'], { available: true }>['value']['rows'][number]>();
    /** The spellings of each row's severity (`High`, `high`, `P2: High`), with their case counts: the row shows the most common. */
    const spellings = new Map<string, Map<string, number>>();
    let without = 0;
    /** Severity values without an SLA target, with their case counts (for the note). */
    const untargeted = new Map<string, number>();
    /** Severity values whose SLA entry had no valid target left (`"high": 5`), with their case counts. */
    const leftOut = new Map<string, number>();
    const bump = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);
    /**
     * Cases whose acknowledgement (or close, for a case never acknowledged) / close is before their creation: not
     * checked against that target (a negative time is no "within target"; MTTA/MTTR leave them out too), with the
     * first few places for the note.
     */
    const outOfOrder = { ack: 0, ackAt: [] as string[], close: 0, closeAt: [] as string[] };
    const skip = (which: 'ack' | 'close', c: CaseRecord) => {
      outOfOrder[which]++;
      const at = which === 'ack' ? outOfOrder.ackAt : outOfOrder.closeAt;
      if (at.length < OUT_OF_ORDER_EXAMPLES) at.push(`${path.basename(c.file)}:${c.line}`);
    };
    const slaIdx = slaIndex(sla); // once for every case's lookup and the sort of the rows
    const breaches: Extract<KpiSet['slaBreaches'], { available: true }>['value']['breaches'] = [];
    cases.forEach((c, i) => {
      if (lacks(c, 'severity')) return; // said in a note, not "no SLA target for the severity (empty)"
      const kinds: SlaBreachKind[] = [];
      judge(c, i, kinds);
      if (kinds.length) breaches.push({ input: index[i] ?? i, ...(c.id ? { id: c.id } : {}), file: c.file, line: c.line, kinds });
    });
    /** Checks case `c` (position `i`) against its severity's targets: counted in its row of `m`, its breaches into `kinds`. */
    function judge(c: CaseRecord, i: number, kinds: SlaBreachKind[]): void {
      const match = slaMatch(c.severity, slaIdx);
      const target = match?.target;
      const empty = target !== undefined && target.acknowledgeMinutes === undefined && target.closeMinutes === undefined;
      if (!target || empty || c.created === undefined) {
        without++;
        if (!target) bump(untargeted, c.severity?.trim() ?? '');
        else if (empty) bump(leftOut, c.severity!.trim());
        return;
      }
      const k = match!.group;
      let sp = spellings.get(k);
      if (!sp) spellings.set(k, (sp = new Map()));
      bump(sp, c.severity!.trim());
      let g = m.get(k);
      if (!g) m.set(k, (g = { severity: c.severity!.trim(), cases: 0, target, ackChecked: 0, ackBreaches: 0, ackBreachesUnacknowledged: 0, closeChecked: 0, closeBreaches: 0, openOverdue: 0 }));
      g.cases++;
      // a case of a file without acknowledged times is not checked (not "never acknowledged"): said in a note
      if (target.acknowledgeMinutes !== undefined && !missing.has('acknowledged') && !lacks(c, 'acknowledged')) {
        const limit = target.acknowledgeMinutes * 60_000;
        if (c.acknowledged !== undefined) {
          // acknowledged after it was closed: closing was the first human action, so it acknowledged the case (as for a
          // case never acknowledged); the late acknowledgement is no breach of its own ({@link acknowledgedAfterClose})
          const ack = acknowledgedAfterClose(c, closedOf[i]) ? c.closed! : c.acknowledged;
          if (ack < c.created) skip('ack', c);
          else {
            g.ackChecked++;
            if (ack - c.created > limit) {
              g.ackBreaches++;
              kinds.push('acknowledge');
            }
          }
        } else if (closedOf[i] && c.closed !== undefined && c.closed < c.created) skip('ack', c);
        else if (closedOf[i] ? c.closed !== undefined : !isHidden(c)) {
          // never acknowledged: closing acknowledges at the latest; an open case is checked as of asOf once past the target
          const until = closedOf[i] ? c.closed! : opts.asOf;
          if (closedOf[i] || until - c.created > limit) g.ackChecked++;
          if (until - c.created > limit) {
            g.ackBreaches++;
            g.ackBreachesUnacknowledged++;
            kinds.push('acknowledge');
          }
        }
      }
      if (target.closeMinutes !== undefined) {
        if (closedOf[i] && c.closed !== undefined) {
          if (c.closed < c.created) skip('close', c);
          else {
            g.closeChecked++;
            if (c.closed - c.created > target.closeMinutes * 60_000) {
              g.closeBreaches++;
              kinds.push('close');
            }
          }
        } else if (!closedOf[i] && !isHidden(c) && opts.asOf - c.created > target.closeMinutes * 60_000) {
          g.openOverdue++;
          kinds.push('open past close target');
        }
      }
    }
    /** Rows whose cases spell their severity in several ways, for the note: `“High” ×3, “high” ×1`. */
    const merged: string[] = [];
    for (const [k, g] of m) {
      const sp = [...spellings.get(k)!].sort((a, b) => b[1] - a[1]);
      g.severity = sp[0][0]; // the most common spelling (the first seen of equal counts)
      if (sp.length > 1) merged.push(sp.slice(0, 5).map(([v, n]) => `“${v}” ×${n}`).join(', ') + (sp.length > 5 ? `, … (${sp.length} spellings)` : ''));
    }
    const rows = [...m.values()]
      .map((g) => ({ ...g, closeBreachRate: g.closeChecked ? g.closeBreaches / g.closeChecked : undefined }))
      .sort((a, b) => compareSeverityIn(a.severity, b.severity, slaIdx));
    const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((a, x) => a + f(x), 0);
    const totals = { ackBreaches: sum((x) => x.ackBreaches), ackBreachesUnacknowledged: sum((x) => x.ackBreachesUnacknowledged), closeBreaches: sum((x) => x.closeBreaches), openOverdue: sum((x) => x.openOverdue) };
    const ackUnavailable = missing.has('acknowledged') ? why('acknowledged') : undefined;
    const slaNotes = [
      ...(slaProblems.length ? [`SLA ${slaProblems.join('; ')}: not a number of minutes ≥ 0 (setting socAnalytics.kpi.sla); such a target is left out (not checked)`] : []),
      ...(ackUnavailable ? [`acknowledge targets not checked: ${ackUnavailable}`] : []),
      ...(merged.length ? [`one row per SLA target, its severity spelt in several ways: ${merged.join('; ')}`] : []),
      ...lackingNote('severity'),
      ...lackingNote('acknowledged').map((n) => `acknowledge targets: ${n}`),
      ...(outOfOrder.ack
        ? [`${count(outOfOrder.ack, 'case')} acknowledged (or, never acknowledged, closed) before ${outOfOrder.ack === 1 ? 'it was' : 'they were'} created: not checked against the acknowledge target (${outOfOrder.ackAt.join(', ')}${outOfOrder.ack > outOfOrder.ackAt.length ? ', …' : ''}; see the problems)`]
        : []),
      ...(outOfOrder.close
        ? [`${count(outOfOrder.close, 'case')} closed before ${outOfOrder.close === 1 ? 'it was' : 'they were'} created: not checked against the close target (${outOfOrder.closeAt.join(', ')}${outOfOrder.close > outOfOrder.closeAt.length ? ', …' : ''}; see the problems)`]
        : []),
    ];
    const nLeftOut = [...leftOut.values()].reduce((a, x) => a + x, 0);
    if (nLeftOut > 0)
      slaNotes.push(
        `${nLeftOut} case${nLeftOut === 1 ? '' : 's'} not checked, the SLA target of the severity was left out: ` +
          [...leftOut].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([v, n]) => `“${v}” ×${n}`).join(', ') + (leftOut.size > 5 ? `, … (${leftOut.size} values)` : ''),
      );
    const keys = Object.keys(sla);
    const shown = [...untargeted].sort((a, b) => b[1] - a[1]).slice(0, 5);
    const untargetedText =
      shown.map(([v, n]) => `${v === '' ? '(empty)' : `“${v}”`} ×${n}`).join(', ') + (untargeted.size > shown.length ? `, … (${untargeted.size} values)` : '') +
      ` — the SLA table (setting socAnalytics.kpi.sla, CLI --sla) has ${keys.length ? keys.slice(0, SLA_KEYS_NAMED).join(', ') + (keys.length > SLA_KEYS_NAMED ? `, … (${keys.length} severities)` : '') : 'no targets'}`;
    if (rows.length === 0 && cases.length > 0 && untargeted.size > 0) {
      // nothing was checked: "0 breaches" would read as every case within its targets
      slaBreaches = un('slaBreaches', 'SLA breaches per severity', slaDef, `no case's severity has an SLA target: ${untargetedText}`);
    } else {
      const n = [...untargeted.values()].reduce((a, x) => a + x, 0);
      if (n > 0) slaNotes.push(`${n} case${n === 1 ? '' : 's'} not checked, no SLA target for the severity: ${untargetedText}`);
      slaBreaches = {
        id: 'slaBreaches',
        title: 'SLA breaches per severity',
        definition: slaDef,
        available: true,
        value: { rows, casesWithoutTarget: without, totals, ...(ackUnavailable ? { ackUnavailable } : {}), breaches },
        notes: slaNotes.length ? slaNotes : undefined,
      };
    }
  }

  // backlog
  const blDef = 'Open cases at the as-of time (not closed by then: a case closed later counts; QRadar HIDDEN offenses excluded) and their age then (as-of − created): median, 90th percentile, mean and oldest (JSON: age.median, age.p90, age.mean, age.max); buckets under 1 day, 1–7 days, 7–30 days, 30 days or more.';
  let backlog: KpiSet['backlog'];
  if (!stateKnown) backlog = un('backlog', 'Open backlog and age', blDef, stateReason);
  else {
    const open = cases.filter((c, i) => !closedOf[i] && !isHidden(c));
    // (cases created after the as-of time are not here: casesAsOf left them out)
    const ages = open.filter((c) => c.created !== undefined).map((c) => Math.max(0, opts.asOf - c.created!));
    const buckets = [
      { label: 'under 1 day', count: ages.filter((a) => a < DAY).length },
      { label: '1–7 days', count: ages.filter((a) => a >= DAY && a < 7 * DAY).length },
      { label: '7–30 days', count: ages.filter((a) => a >= 7 * DAY && a < 30 * DAY).length },
      { label: '30 days or more', count: ages.filter((a) => a >= 30 * DAY).length },
    ];
    backlog = {
      id: 'backlog',
      title: 'Open backlog and age',
      definition: blDef,
      available: true,
      value: { open: open.length, hidden: cases.filter(isHidden).length, age: durationStats(ages), buckets },
    };
  }

  return { volume, escalationRate, falsePositiveRate, mtta, mttr, workloadPerAnalyst, workloadPerShift, slaBreaches, backlog };
}

/**
 * The whole report: KPIs plus tag counts, period, coverage, tag colours and notes, of the cases as they
 * stood at `opts.asOf` ({@link casesAsOf}; `cases`, `period` and `tags` count the cases that existed then,
 * `asOfCut` says what was left out, and a note says it). The tagging coverage is that of the whole input
 * (it is about the rules). `neutralTags`:
 * tags drawn in the neutral colour (default: `Other`; the analysis passes its default tag and
 * `(not tagged)`). `tagColorMemory`: the tag colours remembered in the workspace ({@link tagColorSlots}; none: the
 * colours are distinct within this report, but not remembered).
 */
export function buildKpiReport(
  cases: CaseRecord[],
  tags: string[],
  opts: KpiOptions & { tagCounts?: { tag: string; count: number }[]; coverage?: CoverageReport; notes?: string[]; neutralTags?: string[]; tagColorMemory?: TagColorMemory },
): KpiReport {
  const at = casesAsOf(cases, tags, opts.asOf);
  const created = at.cases.map((c) => c.created).filter((x): x is number => x !== undefined);
  // cases per tag of the cases counted (the given counts are those of the whole input)
  let tagCounts = at.cut.createdAfter ? undefined : opts.tagCounts;
  if (!tagCounts) {
    const m = new Map<string, number>();
    for (const t of at.tags) m.set(t, (m.get(t) ?? 0) + 1);
    tagCounts = [...m.entries()].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  }
  return {
    asOf: opts.asOf,
    zone: opts.zone,
    shiftZone: opts.shiftZone ?? 'UTC',
    shifts: effectiveShifts(opts.shifts),
    period: created.length ? { from: created.reduce((a, b) => Math.min(a, b)), to: created.reduce((a, b) => Math.max(a, b)) } : {},
    cases: at.cases.length,
    asOfCut: at.cut,
    tags: tagCounts,
    kpis: computeKpisAt(at.cases, at.tags, at.closedAt, at.index, opts),
    coverage: opts.coverage,
    taggingUnavailable: opts.taggingUnavailable,
    // the charts show the tags of the cases (they come first when slots are short); the rules' other tags count too
    tagColors: tagColorSlots([...(opts.coverage?.rules.map((r) => r.tag) ?? []), ...tagCounts.map((t) => t.tag), ...tags], opts.neutralTags ?? ['Other'], opts.tagColorMemory, [...tagCounts.map((t) => t.tag), ...tags]),
    notes: [...(asOfCutNote(at.cut) ? [asOfCutNote(at.cut)!] : []), ...(opts.notes ?? [])],
  };
}

/**
 * A duration in ms as text: the one format of every duration of the cases / KPI area — dashboard cards, the KPI and
 * workload tables, a case's detail, the CLI, Markdown and HTML reports — so that a figure reads the same wherever it
 * appears and `60 min` never stands beside `2 h` (UI review). At most two units, the larger first and the smaller
 * rounded: `42 s`, `15 min`, `21 min 24 s`, `1 h` (not `60 min`), `2 h`, `5 h 24 min`, `1 d`, `1 d 5 h`. A non-zero
 * value under half a second is `under 1 s` (no `<`: a report pasted into a ticket shows it as is, not as `&lt;`); a negative one (a close time before the creation) keeps its `-`;
 * undefined or not finite is `–`. (CSV exports write minutes as numbers instead: dashboard-kit `minutesNumber`.)
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  const sign = ms < 0 ? '-' : '';
  const sec = Math.round(Math.abs(ms) / 1000);
  if (sec === 0) return ms === 0 ? '0 s' : 'under 1 s';
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) => `${sign}${big} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ''}`;
  if (sec < 60) return `${sign}${sec} s`;
  if (sec < 3600) return two(Math.floor(sec / 60), 'min', sec % 60, 's');
  const min = Math.round(sec / 60);
  if (min < 1440) return two(Math.floor(min / 60), 'h', min % 60, 'min');
  const h = Math.round(min / 60);
  return two(Math.floor(h / 24), 'd', h % 24, 'h');
}

/** A 0..1 rate as a percentage, the product's one style ({@link formatPercent}: `33.3%`, `100%`), `–` for NaN/undefined. */
export function formatRate(r: number | undefined): string {
  return formatPercent(r);
}

/** Up to 3 names, then `+N more`. */
function someNames(names: string[]): string {
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ` +${names.length - 3} more` : '');
}

/**
 * One-line summary of the workload per analyst: `3 analysts; most cases: alice, bob (3 each); 1 case
 * of automation accounts (soc.automation); 2 unassigned cases`. Ties are all named (up to 3, then
 * `+N more`); automation accounts and unassigned cases are not analysts.
 */
export function analystSummary(v: { analysts: AnalystLoad[]; unassigned?: AnalystLoad; automated?: AnalystLoad }): string {
  const n = v.analysts.length;
  let s = `${n.toLocaleString('en-US')} analyst${n === 1 ? '' : 's'}`;
  if (n) {
    const top = v.analysts.filter((a) => a.cases === v.analysts[0].cases);
    const names = someNames(top.map((a) => a.analyst));
    const c = v.analysts[0].cases;
    const cases = c.toLocaleString('en-US');
    s += top.length > 1 ? `; most cases: ${names} (${cases} each)` : `; most cases: ${names} (${cases})`;
  }
  if (v.automated) s += `; ${v.automated.cases.toLocaleString('en-US')} case${v.automated.cases === 1 ? '' : 's'} of automation accounts (${someNames(v.automated.accounts ?? [])})`;
  if (v.unassigned) s += `; ${v.unassigned.cases.toLocaleString('en-US')} unassigned case${v.unassigned.cases === 1 ? '' : 's'}`;
  return s;
}

/**
 * The first cell of a workload-table row: the analyst, or for the automation accounts' row its label
 * and the accounts (`(automation accounts): soc.automation, svc_backup`; up to 3, then `+N more`).
 */
export function workloadRowLabel(a: AnalystLoad): string {
  return a.builtin === 'automated' && a.accounts?.length ? `${a.analyst}: ${someNames(a.accounts)}` : a.analyst;
}

/**
 * The rows of the workload table (report and dashboard): the analysts, then the automation accounts,
 * then the unassigned cases. The last two carry `builtin` (see {@link AnalystLoad}).
 */
export function analystTableRows(v: { analysts: AnalystLoad[]; unassigned?: AnalystLoad; automated?: AnalystLoad }): AnalystLoad[] {
  return [...v.analysts, ...(v.automated ? [v.automated] : []), ...(v.unassigned ? [v.unassigned] : [])];
}

/** What the per-analyst chart leaves out (`1 case of automation accounts, 2 unassigned`), or undefined. */
export function analystChartLeftOut(v: { unassigned?: AnalystLoad; automated?: AnalystLoad }): string | undefined {
  const parts = [
    ...(v.automated ? [`${v.automated.cases.toLocaleString('en-US')} case${v.automated.cases === 1 ? '' : 's'} of automation accounts`] : []),
    ...(v.unassigned ? [`${v.unassigned.cases.toLocaleString('en-US')} unassigned case${v.unassigned.cases === 1 ? '' : 's'}`] : []),
  ];
  return parts.length ? parts.join(', ') : undefined;
}

/** What a row of the workload table counts as ({@link COUNTED_AS}): `analyst`, or the built-in row's text. */
export function countedAs(a: AnalystLoad): string {
  return COUNTED_AS[a.builtin ?? 'analyst'];
}
