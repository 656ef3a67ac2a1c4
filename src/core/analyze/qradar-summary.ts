/**
 * QRadar offense analytics for detection-rule tuning: the seed notebook's outputs
 * (alwashali/Qradar-Offenses-Jupyter-Notebook), corrected. Pure; runs per display zone.
 *
 * Corrections over the notebook: days are calendar days `yyyy-MM-dd` in the display zone (never a
 * day-of-month that merges 1 April with 1 May); hours are display-zone hours (DST-correct through
 * luxon offsets, see src/core/time.ts); "escalated" / "false positive" closing reasons are matched by
 * text (case-insensitive substrings, settings) instead of hard-coded ids (qradar.md §3: ids vary by
 * site, "never hard-code the ids"); an unknown `closing_reason_id` shows as `#<id>`.
 *
 * Time of an offense = `start_time` (first contributing event, §1) only: an offense whose `start_time` is missing
 * or unreadable is *undated* (`summary.undated`) — counted in the totals, never per day/hour nor in first/last (no
 * other time stands in for its first event: `last_updated_time` is its LAST event).
 */
import { drainSteps, runInSlices } from '../slices';
import type { QRadarClosingReason, QRadarEvent, QRadarOffense, QRadarParsed } from '../parse/qradar-model';
import type { ParseError } from '../model/common';
import { API_ERROR_REASON, apiErrorProblem } from '../parse/qradar';
import { formatTime } from '../time';
import { formatPercent } from '../percent';
import { count, grouped } from './dashboard-kit';
import { mentionsAny } from './reason-match';
import { closingReasonListsOf, ruleListsOf } from '../parse/qradar-reason-lists';

/** Analysis settings (socAnalytics.qradar.* and socAnalytics.displayTimeZone). */
export interface QRadarSettings {
  /** Display zone, already resolved (IANA or `UTC`). */
  zone: string;
  /** Closing-reason text fragments meaning "escalated" (case-insensitive substrings). */
  escalatedReasons: string[];
  /** Closing-reason text fragments meaning "false positive". */
  falsePositiveReasons: string[];
  /** Length of the top-N lists (descriptions, pairs, networks…). */
  topN: number;
}

/** Defaults: "Escalated", "Escalated to IR ticket", "True Positive" / "False-Positive, Tuned", "False-Positive" (qradar.md §3 and the public reason lists). */
export const DEFAULT_ESCALATED_REASONS = ['escalat', 'true positive', 'true-positive'];
export const DEFAULT_FALSE_POSITIVE_REASONS = ['false positive', 'false-positive'];
export const DEFAULT_TOP_N = 20;
/** Sources per noisy description, and noisy descriptions that get a per-source chart. */
export const TOP_SOURCES = 10;
export const TOP_DESCRIPTIONS_WITH_SOURCES = 10;

/** Label of offenses that are not CLOSED in the per-reason breakdowns. */
export const NOT_CLOSED = '(not closed)';
/** Label of CLOSED offenses without a closing reason. */
export const NO_REASON = '(no reason)';
export const NO_SOURCE = '(none)';
/**
 * Display label of the offenses without an assignee in {@link QRadarSummary.byAssignee} (a label only: that
 * entry is `unassigned: true`; an assignee literally called `(unassigned)` is an entry of its own).
 */
export const UNASSIGNED = '(unassigned)';
/** The *Assignment* of an offense (the hidden offense column, and the assignees table): assigned or not. */
export const ASSIGNMENT = { assigned: 'assigned', unassigned: 'not assigned' } as const;

export type OffenseClass = 'escalated' | 'false positive' | '';

export interface DayBucket {
  /** `yyyy-MM-dd` in the display zone. */
  day: string;
  count: number;
  escalated: number;
  falsePositive: number;
  /** Count per closing-reason label ({@link NOT_CLOSED} for offenses that are not closed). */
  byReason: Record<string, number>;
}

export interface ReasonCount {
  reason: string;
  id?: number;
  count: number;
  class: OffenseClass;
  deleted?: boolean;
  reserved?: boolean;
}

/**
 * Noise of one offense name. Offenses are grouped by the FIRST line of their description (`QRadarOffense.label`): the
 * name the rule that created the offense gave it. The further lines QRadar chains on (`preceded by …`,
 * `containing …`, qradar.md §1) differ from offense to offense of the same rule, so grouping by the full text would
 * split one noisy rule into many small groups; `variants` counts the distinct full descriptions behind the name.
 */
export interface DescriptionNoise {
  /** First line of the description (the noise key). */
  description: string;
  count: number;
  /** Distinct full descriptions (first line plus chained lines) among these offenses; 1 when none is chained. */
  variants: number;
  /** Share of this description's offenses whose offense_source is its top source (0..1). */
  concentration: number;
  topSource: string;
  /**
   * Other sources with as many offenses as {@link topSource} (a tie: `topSource` is the first of them by name, so
   * "top source" says nothing about the others); 0 when it leads alone.
   */
  topSourceTies: number;
  /** The first {@link TOP_SOURCES} offense sources by count (then by name): a cut list, see {@link sources}. */
  topSources: { source: string; count: number }[];
  /** Distinct offense sources of these offenses (all of them, not only those in {@link topSources}). */
  sources: number;
  escalated: number;
  falsePositive: number;
  closed: number;
}

/** QRadar's documented range of an offense's magnitude, severity, credibility and relevance (qradar.md §1: int 0–10). */
export const RATING_RANGE = { min: 0, max: 10 } as const;
/** The rating fields of an offense checked against {@link RATING_RANGE}. */
export const RATING_FIELDS = ['magnitude', 'severity', 'credibility', 'relevance'] as const;
/** Places kept per field in {@link RatingOutOfRange.where}. */
export const OUT_OF_RANGE_WHERE = 5;

/** Offenses whose `field` lies outside {@link RATING_RANGE}: their count and the first places (file, line of the record). */
export interface RatingOutOfRange {
  field: (typeof RATING_FIELDS)[number];
  count: number;
  where: { file: string; line: number }[];
}

export interface QRadarSummary {
  summary: {
    files: number;
    offenses: number;
    events: number;
    /** Epoch ms UTC of the earliest / latest offense time. */
    first?: number;
    last?: number;
    timezone: string;
    open: number;
    hidden: number;
    closed: number;
    /**
     * Offenses whose status is none of OPEN, HIDDEN, CLOSED (another text, or missing / not text): the rest of the
     * split, so open + hidden + closed + unknownStatus = offenses. Each is in `byStatus` under its text or `(unknown)`.
     */
    unknownStatus: number;
    escalated: number;
    falsePositive: number;
    /** Offenses without a readable `start_time` ({@link offenseTime}): in the totals, not per day/hour nor in first/last. */
    undated: number;
    /**
     * Per rating field (magnitude, severity, credibility, relevance) whose value lies outside QRadar's documented range
     * ({@link RATING_RANGE}, 0–10) on some offense: how many offenses, and where the first {@link OUT_OF_RANGE_WHERE}
     * are (file, line). The offenses are kept and counted, their values as given (the table and the magnitude chart show
     * them); only fields with such a value are listed, in that order.
     */
    outOfRange: RatingOutOfRange[];
    descriptions: number;
    errors: number;
  };
  byDay: DayBucket[];
  byHour: number[];
  byClosingReason: ReasonCount[];
  /** Ids offenses use that the closing-reasons lists of different exports name differently ({@link ClosingReasons}). */
  closingReasonConflicts: ClosingReasonConflict[];
  byStatus: Record<string, number>;
  byMagnitude: { value: string; count: number }[];
  bySeverity: { value: string; count: number }[];
  /**
   * Offenses per assignee, most first (ties by name). The offenses without an assignee are one entry with
   * `unassigned: true` and the label {@link UNASSIGNED} as `assignee`, never merged with an assignee of that name.
   */
  byAssignee: { assignee: string; count: number; unassigned?: true }[];
  byClosingUser: { user: string; count: number }[];
  byOffenseType: { type: string; count: number }[];
  topDescriptions: DescriptionNoise[];
  /** Every description (sorted like topDescriptions), for the noise table. */
  descriptions: DescriptionNoise[];
  /** Offenses per rule (an offense counts once per distinct rule id); `closed`, `falsePositive`, `escalated` of those offenses (classes as {@link classifyReason}). */
  /**
   * Offenses per rule of their `rules[]` (an offense counts once per rule), by count then id. One row per rule id and
   * name: an id that two exports' rules lists name differently (rule ids are per console) is a row per name, and an
   * id named in one export but not in another is a named and an unnamed row.
   */
  byRule: { ruleId: number; name?: string; type?: string; count: number; descriptions: number; closed: number; falsePositive: number; escalated: number }[];
  topPairs: { description: string; source: string; count: number }[];
  /**
   * Log sources of offenses (Custom Rule Engine excluded): the most active, `topN` of them (offenses descending,
   * equal counts by name), and, among the others, the least active (`topN` at most, ascending, equal counts by name),
   * so the two lists never overlap. When every log source fits in the top list (`topN` or fewer), they are all in
   * `topLogSources`, most active first, and `bottomLogSources` is empty (each source is shown once). `rank`: the
   * source's place among all log sources by offenses (1 = most; equal counts share the first place of their group) and
   * `ties`: how many other log sources have the same count — a tie's order (by name) says nothing about activity.
   */
  topLogSources: LogSourceCount[];
  bottomLogSources: LogSourceCount[];
  topSourceNetworks: { network: string; count: number }[];
  events: {
    records: number;
    /** Sum of the rows' Event Count (a row of an export without that column counts 1). */
    eventCount: number;
    /** Rows whose Event Count is blank, missing or not a count: in `records`, adding nothing to `eventCount`. */
    uncounted: number;
    first?: number;
    last?: number;
    /** Per event name / log source: rows, summed Event Count, and the first and last event time (epoch ms UTC; undefined when no row has a time). */
    byName: { name: string; records: number; events: number; first?: number; last?: number }[];
    byLogSource: { logSource: string; records: number; events: number; first?: number; last?: number }[];
  };
}

/** Separator shown between the lines of a chained description when it is written on one line. */
export const DESCRIPTION_LINE_SEPARATOR = ' ⏎ ';

/**
 * The whole description on one line: leading/trailing white space (QRadar's trailing `\n`) removed and every line
 * break, with the spaces around it, replaced by {@link DESCRIPTION_LINE_SEPARATOR} (`A ⏎ preceded by B`). Nothing
 * else of the text is dropped. `''` for an empty description.
 */
export function descriptionOneLine(description: string): string {
  return description.trim().replace(/[ \t]*(?:\r\n|\r|\n)\s*/g, DESCRIPTION_LINE_SEPARATOR);
}

/**
 * What the day and hour of an offense are taken from ({@link offenseTime}), named in the per-day titles: its first
 * event (`start_time`), not its creation (`first_persisted_time`, which `kpi` counts volume by).
 */
export const OFFENSE_DAY_BASIS = 'by first event';

/**
 * Offense time used for day/hour buckets, first/last and the offense table's Start column: its `start_time`, epoch ms
 * UTC; undefined (an undated offense) when that is missing or was unreadable — never another time in its place.
 */
export function offenseTime(o: QRadarOffense): number | undefined {
  return o.startTime;
}

/** Event time: Start Time, else Log Source Time. */
export function eventTime(e: QRadarEvent): number | undefined {
  return e.startTime ?? e.logSourceTime;
}

/**
 * An id that offenses use and that the closing-reasons lists of different exports name differently (console A's 2 is
 * "Escalated to IR", console B's 2 "False-Positive, Tuned"): each text with the lists (files) that give it.
 */
export interface ClosingReasonConflict {
  id: number;
  texts: { text: string; lists: string[] }[];
}

/**
 * The closing reasons of a read, per export: {@link ClosingReasons.of} gives an offense's reason from the list of its
 * OWN export only — the lists {@link closingReasonListsOf} gives for its file (its fetch's list, else the lists in
 * its folder; the same rule as `kpi`), or the lists named for every offense ({@link QRadarParsed.namedClosingReasons},
 * and records with no file) — never another console's list (ids are per console, qradar.md §3). `conflicts`: the
 * ids offenses use that the lists of different exports name differently, by id (found when first read: a walk over
 * every offense).
 */
export interface ClosingReasons {
  of(o: QRadarOffense): QRadarClosingReason | undefined;
  conflicts: ClosingReasonConflict[];
}

const closingReasonsMemo = new WeakMap<QRadarParsed, ClosingReasons>();

/** {@link ClosingReasons} of a read (computed once per read). */
export function closingReasonsOf(p: QRadarParsed): ClosingReasons {
  let r = closingReasonsMemo.get(p);
  if (r === undefined) closingReasonsMemo.set(p, (r = buildClosingReasons(p)));
  return r;
}

function buildClosingReasons(p: QRadarParsed): ClosingReasons {
  const named = new Set(p.namedClosingReasons ?? []);
  /** Records of each list file (a later record of a file wins on an id); '' holds the records without a file. */
  const byFile = new Map<string, Map<number, QRadarClosingReason>>();
  for (const r of p.closingReasons) {
    const f = r.file === undefined || named.has(r.file) ? '' : r.file;
    let m = byFile.get(f);
    if (!m) byFile.set(f, (m = new Map()));
    m.set(r.id, r);
  }
  const everyOffense = byFile.get('');
  byFile.delete('');
  const files = [...byFile.keys()];
  /** The merged list of each offenses file's export (the first list naming an id wins), and the lists behind it. */
  const scopes = new Map<string, { lists: string[]; map: Map<number, QRadarClosingReason> }>();
  const scopeOf = (file: string) => {
    let sc = scopes.get(file);
    if (sc === undefined) {
      if (everyOffense) sc = { lists: [], map: everyOffense };
      else {
        const lists = closingReasonListsOf(file, files);
        const map = lists.length === 1 ? byFile.get(lists[0])! : new Map<number, QRadarClosingReason>();
        if (lists.length > 1) for (const l of lists) for (const [id, x] of byFile.get(l)!) if (!map.has(id)) map.set(id, x);
        sc = { lists, map };
      }
      scopes.set(file, sc);
    }
    return sc;
  };
  // The conflicts walk every offense: only the summary reads them (the worker's, usually), so a host that only names
  // reasons (the offense table, its detail) does not pay for that walk.
  let conflicts: ClosingReasonConflict[] | undefined;
  const findConflicts = (): ClosingReasonConflict[] => {
    // ids used by offenses (by reason id, not given as text), and the exports (offense files, first use first) of them
    const used = new Set<number>();
    const usedFiles = new Set<string>();
    for (const o of p.offenses) if (o.closingReasonText === undefined && o.closingReasonId !== undefined) {
      used.add(o.closingReasonId);
      usedFiles.add(o.source.file);
    }
    const out: ClosingReasonConflict[] = [];
    if (everyOffense || byFile.size <= 1) return out;
    const seen = new Set<string>();
    const distinct = [...usedFiles].map(scopeOf).filter((sc) => {
      const k = sc.lists.join('\u0000');
      if (sc.lists.length === 0 || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    for (const id of [...used].sort((a, b) => a - b)) {
      const texts = new Map<string, Set<string>>();
      for (const sc of distinct) {
        const x = sc.map.get(id);
        if (x === undefined) continue;
        let t = texts.get(x.text);
        if (!t) texts.set(x.text, (t = new Set()));
        // the list that gave this id's text in that export
        t.add(sc.lists.find((l) => byFile.get(l)!.get(id) === x) ?? sc.lists[0]);
      }
      if (texts.size > 1) out.push({ id, texts: [...texts].map(([text, lists]) => ({ text, lists: [...lists].sort() })) });
    }
    return out;
  };
  return {
    of: (o) => (o.closingReasonId === undefined ? undefined : scopeOf(o.source.file).map.get(o.closingReasonId)),
    get conflicts() {
      return (conflicts ??= findConflicts());
    },
  };
}

/** Rule names of an offense's export: `name(o, id)` is the name of rule `id` in the rules lists of `o`'s own export. */
export interface RuleNames {
  name(o: QRadarOffense, id: number): string | undefined;
}

const ruleNamesMemo = new WeakMap<QRadarParsed, RuleNames>();

/**
 * Names of the rules offenses cite by id (`rules[]` carries no name, qradar.md §1), each from the rules lists
 * (`/api/analytics/rules`) of the offense's OWN export ({@link ruleListsOf}: its fetch's `<stem>.rules.json`, else the
 * lists in its folder; the first list naming an id wins): rule ids are per console (§8: resolved "through cached
 * lookups per console"), so another console's list never names them. Rules built without a file name every offense's
 * rules. Memoised per parsed input.
 */
export function ruleNamesOf(p: QRadarParsed): RuleNames {
  let r = ruleNamesMemo.get(p);
  if (r === undefined) ruleNamesMemo.set(p, (r = buildRuleNames(p)));
  return r;
}

function buildRuleNames(p: QRadarParsed): RuleNames {
  const everyOffense = new Map<number, string>();
  const byFile = new Map<string, Map<number, string>>();
  for (const r of p.rules) {
    if (r.file === undefined) {
      if (!everyOffense.has(r.id)) everyOffense.set(r.id, r.name);
      continue;
    }
    let m = byFile.get(r.file);
    if (!m) byFile.set(r.file, (m = new Map()));
    m.set(r.id, r.name);
  }
  const files = [...byFile.keys()];
  const scopes = new Map<string, Map<number, string>>();
  const scopeOf = (file: string) => {
    let sc = scopes.get(file);
    if (sc === undefined) {
      sc = new Map(everyOffense);
      for (const l of ruleListsOf(file, files)) for (const [id, name] of byFile.get(l)!) if (!sc.has(id)) sc.set(id, name);
      scopes.set(file, sc);
    }
    return sc;
  };
  return { name: (o, id) => scopeOf(o.source.file).get(id) };
}

/**
 * The name of one of an offense's rules: the name its `rules[]` entry carries, else the one the rules list of the
 * offense's own export gives the id ({@link ruleNamesOf}); undefined when neither names it. An empty name counts as none.
 */
export function ruleNameOf(o: QRadarOffense, r: QRadarOffense['rules'][number], names: RuleNames): string | undefined {
  return r.name || names.name(o, r.id) || undefined;
}

/**
 * How a rule is written where one text must tell it apart (the offense table's hidden *Rule names* column, the
 * facet of a rules-table row or chart bar): `<name> (<id>)`, or `Rule <id>` when the data does not name it. Two
 * consoles' rules of one id but different names are two texts (rule ids are per console, qradar.md §8).
 */
export function ruleLabel(id: number, name: string | undefined): string {
  return name ? `${name} (${id})` : `Rule ${id}`;
}

/**
 * Closing-reason label of an offense: the reason text (resolved from `closing_reason_id` in the list of the offense's
 * own export, {@link closingReasonsOf}, or given as text by XSOAR-enriched input), `#<id>` when that list does not
 * name the id (or the export has no list), {@link NO_REASON} for a CLOSED offense without one, undefined for an
 * offense that is not closed and has no reason.
 */
export function reasonLabel(o: QRadarOffense, reasons: ClosingReasons): string | undefined {
  if (o.closingReasonText !== undefined) return o.closingReasonText;
  if (o.closingReasonId !== undefined) return reasons.of(o)?.text ?? `#${o.closingReasonId}`;
  return o.status === 'CLOSED' ? NO_REASON : undefined;
}

/** Classes already worked out, per settings object and label (the offenses table asks once per row). */
const classMemo = new WeakMap<object, Map<string, OffenseClass>>();

/**
 * Class of a closing-reason label: `escalated` when it {@link mentions} one of `escalatedReasons`,
 * else `false positive` when it mentions one of `falsePositiveReasons`, else `''`. A negated fragment
 * does not count (`Not a false positive`, `Not escalated - benign`: see reason-match.ts).
 */
export function classifyReason(label: string | undefined, s: Pick<QRadarSettings, 'escalatedReasons' | 'falsePositiveReasons'>): OffenseClass {
  if (!label || label === NO_REASON) return '';
  let memo = classMemo.get(s);
  if (memo === undefined) classMemo.set(s, (memo = new Map()));
  let c = memo.get(label);
  if (c === undefined) {
    c = mentionsAny(label, s.escalatedReasons) ? 'escalated' : mentionsAny(label, s.falsePositiveReasons) ? 'false positive' : '';
    if (memo.size < 10_000) memo.set(label, c);
  }
  return c;
}

/** `yyyy-MM-dd` of epoch ms in `zone`. */
export function dayOf(ms: number, zone: string): string {
  return formatTime(ms, zone).slice(0, 10);
}

/** Hour of day 0–23 of epoch ms in `zone`. */
export function hourOf(ms: number, zone: string): number {
  return Number(formatTime(ms, zone).slice(11, 13));
}

/** Log sources that are the Custom Rule Engine itself (type EventCRE or a `Custom Rule Engine` name, §1). */
export function isCre(ls: { name: string; typeName?: string }): boolean {
  return ls.typeName === 'EventCRE' || /^custom rule engine\b/i.test(ls.name);
}

function inc<K>(m: Map<K, number>, k: K, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

const byCountThenName = <T extends { count: number }>(name: (t: T) => string) => (a: T, b: T) => b.count - a.count || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);

/** A log source's offense count with its place among all log sources ({@link QRadarSummary.topLogSources}). */
export interface LogSourceCount {
  logSource: string;
  type?: string;
  count: number;
  /** 1 + the number of log sources with more offenses (equal counts share it). */
  rank: number;
  /** Other log sources with the same count (0: none). */
  ties: number;
}

/** Adds `rank` and `ties` to entries sorted by count descending ({@link LogSourceCount}). */
function rankedCounts<T extends { count: number }>(sorted: T[]): (T & { rank: number; ties: number })[] {
  const out: (T & { rank: number; ties: number })[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].count === sorted[i].count) j++;
    for (let k = i; k < j; k++) out.push({ ...sorted[k], rank: i + 1, ties: j - i - 1 });
    i = j;
  }
  return out;
}

/**
 * A log source's place as the tables say it: `3`, or for equal counts the places they share and that they tie,
 * `2–4 (3 tied)` ({@link LogSourceCount}).
 */
export function logSourceRankText(l: Pick<LogSourceCount, 'rank' | 'ties'>): string {
  return l.ties > 0 ? `${l.rank}–${l.rank + l.ties} (${l.ties + 1} tied)` : String(l.rank);
}

function counts<T extends { count: number }>(m: Map<string, number>, make: (k: string, n: number) => T, key: (t: T) => string): T[] {
  return [...m].map(([k, n]) => make(k, n)).sort(byCountThenName<T>(key));
}

/**
 * The first `n` entries of `m` by count (descending), then key — the same as sorting every entry with
 * {@link byCountThenName} and keeping `n` (keys are distinct, so the order is total), without sorting
 * everything (a description × source map can hold one entry per offense).
 */
function topCounts(m: Map<string, number>, n: number): { key: string; count: number }[] {
  const out: { key: string; count: number }[] = [];
  if (n <= 0) return out;
  m.forEach((count, key) => {
    if (out.length === n) {
      const w = out[n - 1];
      if (count < w.count || (count === w.count && key > w.key)) return;
    }
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = out[mid];
      if (count > x.count || (count === x.count && key < x.key)) hi = mid;
      else lo = mid + 1;
    }
    out.splice(lo, 0, { key, count });
    if (out.length > n) out.pop();
  });
  return out;
}

/** Day (`yyyy-MM-dd`) and hour of day in the display zone per 15-minute UTC block (see {@link dayHourOf}). */
type DayHourCache = Map<number, DayHour | null>;
/** `bucket`: index of the day's bucket of the summary being computed, once looked up. */
type DayHour = { day: string; hour: number; bucket: number | undefined };
/** 15-minute blocks in the window of {@link summarizeQRadar}'s block table (about 7.5 years). */
const WINDOW_BLOCKS = 1 << 18;
const BLOCK_MS = 15 * 60 * 1000;

/**
 * {@link dayOf} and {@link hourOf} of `ms` in one go. `formatTime` uses one zone offset per 15-minute
 * UTC block, so display time grows with `ms` inside a block: when the block's first and last
 * millisecond fall in the same display-zone hour, every time of the block does (cached per block);
 * otherwise (offsets that are not whole quarter hours, years outside 0–9999) it formats `ms` itself.
 */
function dayHourOf(ms: number, zone: string, cache: DayHourCache): DayHour {
  const block = Math.floor(ms / BLOCK_MS);
  let e = cache.get(block);
  if (e === undefined) {
    const a = formatTime(block * BLOCK_MS, zone);
    const b = formatTime(block * BLOCK_MS + BLOCK_MS - 1, zone);
    e = a.length === 19 && b.length === 19 && a.slice(0, 13) === b.slice(0, 13) ? { day: a.slice(0, 10), hour: Number(a.slice(11, 13)), bucket: undefined } : null;
    cache.set(block, e);
  }
  if (e !== null) return e;
  return { day: dayOf(ms, zone), hour: hourOf(ms, zone), bucket: undefined };
}

/** Days from `first` to `last` (inclusive) as `yyyy-MM-dd`, following the calendar (UTC date arithmetic on the date labels). */
function dayRange(first: string, last: string, max: number): string[] | undefined {
  const t0 = Date.parse(`${first}T00:00:00Z`);
  const t1 = Date.parse(`${last}T00:00:00Z`);
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) return undefined;
  const n = Math.round((t1 - t0) / 86_400_000) + 1;
  if (n > max) return undefined;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/** Longest day axis that is zero-filled; longer ranges list only days with offenses. */
export const MAX_FILLED_DAYS = 3700;

/**
 * Computes every output of the QRadar dashboard and CLI from parsed inputs for one display zone.
 * `byDay` covers every calendar day from the first to the last offense (zero-filled, up to
 * {@link MAX_FILLED_DAYS}); `byHour` has 24 entries (display-zone hour). Lists are sorted by count
 * (descending), then by name; `topDescriptions`/`topPairs`/`topSourceNetworks`/log sources are cut
 * to `topN`. Never throws.
 */
export function summarizeQRadar(p: QRadarParsed, s: QRadarSettings): QRadarSummary {
  return drainSteps(summarySteps(p, s));
}

/**
 * {@link summarizeQRadar} in time slices, for the VS Code extension host's main thread (500,000 offenses take about a
 * second there, long enough to freeze the window): runs the same steps for about `sliceMs` (default 20 ms) at a time
 * and lets the event loop run in between (`setImmediate`; src/core/slices.ts `runInSlices`). Same result as
 * {@link summarizeQRadar}. Rejects with an `AbortError` (DOMException name) when `signal` is aborted between slices.
 * Never throws otherwise.
 */
export function summarizeQRadarAsync(p: QRadarParsed, s: QRadarSettings, opts: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<QRadarSummary> {
  return runInSlices(summarySteps(p, s), opts);
}

/** A QRadar result with dashboard summaries computed beside it (by the analysis worker), one per settings asked for. */
export type QRadarResult = QRadarParsed & { summaries?: { settings: QRadarSettings; summary: QRadarSummary }[] };

/**
 * `p` with {@link summarizeQRadar} of it for each of `settings` ({@link QRadarResult}; `p` itself when `settings` is
 * empty). Throws an `AbortError` when `signal` is aborted before a summary.
 */
export function withSummaries(p: QRadarParsed, settings: readonly QRadarSettings[], signal?: AbortSignal): QRadarResult {
  if (settings.length === 0) return p;
  return {
    ...p,
    summaries: settings.map((s) => {
      signal?.throwIfAborted();
      return { settings: s, summary: summarizeQRadar(p, s) };
    }),
  };
}

/** Offenses (or sources) counted between two points where {@link summarySteps} may pause. */
const SUMMARY_STEP = 2048;

/** The work of {@link summarizeQRadar} as a generator that pauses (yields) every {@link SUMMARY_STEP} offenses or sources. */
function* summarySteps(p: QRadarParsed, s: QRadarSettings): Generator<void, QRadarSummary, void> {
  let work = 0;
  const zone = s.zone;
  const reasons = closingReasonsOf(p);
  const typeNames = new Map(p.offenseTypes.map((t) => [t.id, t.name]));
  const ruleNames = ruleNamesOf(p);
  const topN = Math.max(1, Math.floor(s.topN) || DEFAULT_TOP_N);

  const status = new Map<string, number>();
  /** Per label: the id and list record of its first offense (an id of its own export's list), and the count. */
  const reasonCounts = new Map<string, { id?: number; known?: QRadarClosingReason; count: number }>();
  const mag = new Map<number | undefined, number>();
  const sev = new Map<number | undefined, number>();
  const assignee = new Map<string, number>();
  let unassigned = 0;
  const closer = new Map<string, number>();
  const otype = new Map<string, number>();
  /** The type id behind each type label (the label of an enriched name: the id it came with), for the numeric order. */
  const typeIds = new Map<string, number>();
  /** Per description; `srcs` lists the offense source of each of its offenses (counted into `sources` after the loop). */
  const desc = new Map<string, { count: number; sources: Map<string, number>; srcs: string[]; escalated: number; falsePositive: number; closed: number; full: string; variants: Set<string> | undefined }>();
  /**
   * Per rule: its id and the name the offense's OWN export gives it ({@link ruleNamesOf}), keyed `id` or `id NUL name`:
   * rule ids are per console (qradar.md §8), so one id that two consoles' lists name differently is two rows, not one
   * row counting both under the first name seen.
   */
  const rules = new Map<string, { ruleId: number; type?: string; name?: string; count: number; descs: Set<string>; closed: number; falsePositive: number; escalated: number }>();
  /** Some description or source holds a NUL (the separator of the description × source key): count pairs by that key, as before. */
  let nulInPairKey = false;
  const classes = new Map<string | undefined, OffenseClass>();
  /** {@link offenseTypeLabel} per offense type id (offenses without a type name). */
  const typeLabels = new Map<number | undefined, string>();
  const dayHours: DayHourCache = new Map();
  const logSources = new Map<string, { type?: string; count: number }>();
  const networks = new Map<string, number>();
  const days = new Map<string, DayBucket>();
  // Per 15-minute block of a window around the first dated offense: the display hour + 1 and the
  // day bucket's index in `dayList`, once known for a block whose times all share one display hour
  // (0 = not known yet; other blocks, and blocks outside the window, go through dayHourOf).
  const win = new Int8Array(WINDOW_BLOCKS);
  const winDay = new Int32Array(WINDOW_BLOCKS);
  let winBase = NaN;
  const dayList: DayBucket[] = [];
  const dayIndex = new Map<string, number>();
  const byHour = new Array<number>(24).fill(0);
  let first: number | undefined;
  let last: number | undefined;
  let escalated = 0;
  let falsePositive = 0;
  let undated = 0;
  // per RATING_FIELDS index: the offenses whose value is outside RATING_RANGE (a sparse array until the end)
  const outOfRange: RatingOutOfRange[] = [];

  for (const o of p.offenses) {
    if (++work === SUMMARY_STEP) {
      work = 0;
      yield;
    }
    const st = o.status ?? '(unknown)';
    inc(status, st);
    const label = reasonLabel(o, reasons);
    let cls = classes.get(label);
    if (cls === undefined) {
      cls = classifyReason(label, s);
      classes.set(label, cls);
    }
    if (cls === 'escalated') escalated++;
    if (cls === 'false positive') falsePositive++;
    if (label !== undefined) {
      const e = reasonCounts.get(label);
      if (e) e.count++;
      else if (o.closingReasonText !== undefined) reasonCounts.set(label, { count: 1 });
      else reasonCounts.set(label, { id: o.closingReasonId, known: reasons.of(o), count: 1 });
    }
    inc(mag, o.magnitude);
    inc(sev, o.severity);
    for (let k = 0; k < RATING_FIELDS.length; k++) {
      const v = o[RATING_FIELDS[k]];
      if (v === undefined || (v >= RATING_RANGE.min && v <= RATING_RANGE.max)) continue;
      const r = (outOfRange[k] ??= { field: RATING_FIELDS[k], count: 0, where: [] });
      r.count++;
      if (r.where.length < OUT_OF_RANGE_WHERE) r.where.push({ file: o.source.file, line: o.source.line });
    }
    if (o.assignedTo === undefined) unassigned++;
    else inc(assignee, o.assignedTo);
    if (o.closingUser) inc(closer, o.closingUser);
    let tl = o.offenseTypeName;
    if (!tl) {
      tl = typeLabels.get(o.offenseType);
      if (tl === undefined) typeLabels.set(o.offenseType, (tl = offenseTypeLabel(o, typeNames)));
    }
    inc(otype, tl);
    if (o.offenseType !== undefined && !typeIds.has(tl)) typeIds.set(tl, o.offenseType);

    let d = desc.get(o.label);
    if (d === undefined) {
      d = { count: 0, sources: new Map<string, number>(), srcs: [], escalated: 0, falsePositive: 0, closed: 0, full: o.description, variants: undefined };
      desc.set(o.label, d);
      if (o.label.includes('\u0000')) nulInPairKey = true;
    } else if (o.description !== d.full) {
      // distinct full texts behind one name (a Set only once a second one turns up; trailing white space ignored)
      if (d.variants === undefined) {
        if (o.description.trimEnd() !== d.full.trimEnd()) d.variants = new Set([d.full.trimEnd(), o.description.trimEnd()]);
      } else d.variants.add(o.description.trimEnd());
    }
    d.count++;
    d.srcs.push(o.offenseSource ?? NO_SOURCE);
    if (cls === 'escalated') d.escalated++;
    if (cls === 'false positive') d.falsePositive++;
    if (o.status === 'CLOSED') d.closed++;

    const orules = o.rules;
    for (let k = 0; k < orules.length; k++) {
      const r = orules[k];
      let dup = false;
      for (let j = 0; j < k && !dup; j++) if (orules[j].id === r.id) dup = true;
      if (dup) continue;
      const name = ruleNameOf(o, r, ruleNames);
      const key = name === undefined ? String(r.id) : `${r.id}\0${name}`;
      let e = rules.get(key);
      if (!e) rules.set(key, (e = { ruleId: r.id, name, count: 0, descs: new Set<string>(), closed: 0, falsePositive: 0, escalated: 0 }));
      e.count++;
      if (o.status === 'CLOSED') e.closed++;
      if (cls === 'false positive') e.falsePositive++;
      else if (cls === 'escalated') e.escalated++;
      e.descs.add(o.label);
      e.type ??= r.type;
    }
    const ols = o.logSources;
    for (let k = 0; k < ols.length; k++) {
      const ls = ols[k];
      if (isCre(ls)) continue;
      let dup = false;
      for (let j = 0; j < k && !dup; j++) if (ols[j].name === ls.name && !isCre(ols[j])) dup = true;
      if (dup) continue;
      const e = logSources.get(ls.name);
      if (e) e.count++;
      else logSources.set(ls.name, { type: ls.typeName, count: 1 });
    }
    if (o.sourceNetwork) inc(networks, o.sourceNetwork);

    const t = offenseTime(o);
    if (t === undefined) {
      undated++;
      continue;
    }
    if (first === undefined || t < first) first = t;
    if (last === undefined || t > last) last = t;
    const block = Math.floor(t / BLOCK_MS);
    if (winBase !== winBase) winBase = block - WINDOW_BLOCKS / 2;
    const w = block - winBase;
    const inWin = w >= 0 && w < WINDOW_BLOCKS;
    let b: DayBucket;
    let hour: number;
    if (inWin && win[w] > 0) {
      hour = win[w] - 1;
      b = dayList[winDay[w]];
    } else {
      const dh = dayHourOf(t, zone, dayHours);
      hour = dh.hour;
      let bi = dh.bucket;
      if (bi === undefined) {
        const day = dh.day;
        bi = dayIndex.get(day);
        if (bi === undefined) {
          const nb: DayBucket = { day, count: 0, escalated: 0, falsePositive: 0, byReason: {} };
          days.set(day, nb);
          bi = dayList.push(nb) - 1;
          dayIndex.set(day, bi);
        }
        dh.bucket = bi;
      }
      b = dayList[bi];
      if (inWin && dayHours.get(block) === dh) {
        win[w] = hour + 1;
        winDay[w] = bi;
      }
    }
    b.count++;
    if (cls === 'escalated') b.escalated++;
    if (cls === 'false positive') b.falsePositive++;
    const stack = o.status === 'CLOSED' || label !== undefined ? label ?? NO_REASON : NOT_CLOSED;
    b.byReason[stack] = (b.byReason[stack] ?? 0) + 1;
    byHour[hour]++;
  }

  // Sources per description, counted one description at a time (a smaller table in use at a time than
  // interleaved over all descriptions; the same maps, filled in the same order).
  for (const d of desc.values()) {
    const m = d.sources;
    const srcs = d.srcs;
    for (let k = 0; k < srcs.length; k++) {
      if (++work === SUMMARY_STEP) {
        work = 0;
        yield;
      }
      const src = srcs[k];
      const sc = m.get(src);
      if (sc === undefined) {
        m.set(src, 1);
        if (src.includes('\u0000')) nulInPairKey = true;
      } else m.set(src, sc + 1);
    }
    d.srcs = [];
  }
  yield;

  let byDay = [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  if (byDay.length > 0) {
    const range = dayRange(byDay[0].day, byDay[byDay.length - 1].day, MAX_FILLED_DAYS);
    if (range) byDay = range.map((day) => days.get(day) ?? { day, count: 0, escalated: 0, falsePositive: 0, byReason: {} });
  }

  // Per description, then sorted, in steps too: with one description per few offenses these are the summary's
  // longest parts after the offenses (100,000 descriptions: about 0.7 s in one piece).
  const unsorted: DescriptionNoise[] = [];
  for (const [description, d] of desc) {
    work += 1 + d.sources.size;
    if (work >= SUMMARY_STEP) {
      work = 0;
      yield;
    }
    const topSources = topCounts(d.sources, TOP_SOURCES).map((x) => ({ source: x.key, count: x.count }));
    const top = topSources[0];
    let ties = 0;
    if (top && topSources[1]?.count === top.count) d.sources.forEach((n) => (ties += n === top.count ? 1 : 0));
    unsorted.push({
      description,
      count: d.count,
      variants: d.variants?.size ?? 1,
      concentration: top ? top.count / d.count : 0,
      topSource: top?.source ?? NO_SOURCE,
      topSourceTies: Math.max(0, ties - 1),
      topSources: topSources.slice(0, TOP_SOURCES),
      sources: d.sources.size,
      escalated: d.escalated,
      falsePositive: d.falsePositive,
      closed: d.closed,
    });
  }
  const descriptions = yield* sortSteps(unsorted, byCountThenName((x: DescriptionNoise) => x.description));

  const ls = rankedCounts(counts(new Map([...logSources].map(([k, v]) => [k, v.count])), (logSource, count) => ({ logSource, type: logSources.get(logSource)?.type, count }), (x) => x.logSource));
  // Top list: topN (all of them when they fit: no bottom list, each shown once); bottom list: the fewest offenses
  // among the others, fewest first (never overlapping the top list).
  const topLs = Math.min(topN, ls.length);
  const bottom = ls
    .slice(topLs)
    .sort((a, b) => a.count - b.count || (a.logSource < b.logSource ? -1 : a.logSource > b.logSource ? 1 : 0))
    .slice(0, topN);

  const eventsOut = summarizeEvents(p.events);
  const pairs = yield* topPairsSteps(p.offenses, desc, nulInPairKey, topN);
  yield;
  // (a walk over every offense when first read: a step of its own)
  const conflicts = reasons.conflicts;
  return {
    summary: {
      files: p.files.filter((f) => f.kind !== 'unrecognised').length,
      offenses: p.offenses.length,
      events: p.events.length,
      first,
      last,
      timezone: zone,
      open: status.get('OPEN') ?? 0,
      hidden: status.get('HIDDEN') ?? 0,
      closed: status.get('CLOSED') ?? 0,
      unknownStatus: p.offenses.length - (status.get('OPEN') ?? 0) - (status.get('HIDDEN') ?? 0) - (status.get('CLOSED') ?? 0),
      escalated,
      falsePositive,
      undated,
      outOfRange: outOfRange.filter((x) => x !== undefined),
      descriptions: desc.size,
      errors: qradarProblems(p).length,
    },
    byDay,
    byHour,
    byClosingReason: [...reasonCounts]
      .map(([reason, e]) => {
        const rc: ReasonCount = { reason, count: e.count, class: classifyReason(reason, s) };
        if (e.id !== undefined) rc.id = e.id;
        if (e.known?.isDeleted) rc.deleted = true;
        if (e.known?.isReserved) rc.reserved = true;
        return rc;
      })
      .sort(byCountThenName((x) => x.reason)),
    closingReasonConflicts: conflicts,
    byStatus: Object.fromEntries([...status].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    byMagnitude: scale(mag),
    bySeverity: scale(sev),
    byAssignee: [
      ...(unassigned ? [{ assignee: UNASSIGNED, count: unassigned, unassigned: true as const }] : []),
      ...counts(assignee, (assignee, count) => ({ assignee, count }), (x) => x.assignee),
    ].sort(byCountThenName((x) => x.assignee)),
    byClosingUser: counts(closer, (user, count) => ({ user, count }), (x) => x.user),
    // by count, then by type id (7 before 52), labels without an id last
    byOffenseType: [...otype]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || (typeIds.get(a.type) ?? Infinity) - (typeIds.get(b.type) ?? Infinity) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
    topDescriptions: descriptions.slice(0, topN),
    descriptions,
    byRule: [...rules.values()]
      .map((e) => {
        const r: QRadarSummary['byRule'][number] = { ruleId: e.ruleId, count: e.count, descriptions: e.descs.size, closed: e.closed, falsePositive: e.falsePositive, escalated: e.escalated };
        if (e.name) r.name = e.name;
        if (e.type) r.type = e.type;
        return r;
      })
      // (an unnamed row of an id before its named ones)
      .sort((a, b) => b.count - a.count || a.ruleId - b.ruleId || ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0)),
    topPairs: pairs,
    topLogSources: ls.slice(0, topLs),
    bottomLogSources: bottom,
    topSourceNetworks: topCounts(networks, topN).map((x) => ({ network: x.key, count: x.count })),
    events: eventsOut,
  };
}

/**
 * QRadar's stock offense types by id, only those qradar.md §`GET /api/siem/offense_types` gives as seen on consoles:
 * 0 Source IP (`sourceIP`), 3 Username, 7 Hostname. The other stock ids it lists (1 Destination IP, 2 Event Name, 4/5
 * MAC, …) are marked [unverified] there (the sample offense_types.json's stock ids are "illustrative"), so they are
 * not named as fact: `type 1 (offense types not loaded)`. Ids from 52 up are a console's custom properties.
 */
export const STOCK_OFFENSE_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'Source IP'],
  [3, 'Username'],
  [7, 'Hostname'],
]);

/**
 * The name of an offense's type: the enriched name, else its name in the offense_types lookup `names`, else QRadar's
 * stock name for a stock id ({@link STOCK_OFFENSE_TYPES}), else `type <n>` — with `(offense types not loaded)` when
 * `names` is empty (no offense_types file was read; §3) —, or `(unknown)` without a type.
 */
export function offenseTypeLabel(o: QRadarOffense, names: ReadonlyMap<number, string>): string {
  if (o.offenseTypeName) return o.offenseTypeName;
  if (o.offenseType === undefined) return '(unknown)';
  return names.get(o.offenseType) ?? STOCK_OFFENSE_TYPES.get(o.offenseType) ?? `type ${o.offenseType}${names.size ? '' : ' (offense types not loaded)'}`;
}

/**
 * The most frequent description × offense source pairs: counted by the key `description NUL source`
 * and ordered by count, then that key. Without a NUL inside descriptions and sources the key order is
 * (description, source) and each pair's count is its description's source count.
 * In steps that each count about {@link SUMMARY_STEP} offenses or pairs ({@link summarySteps}).
 */
function* topPairsSteps(offenses: readonly QRadarOffense[], desc: Map<string, { sources: Map<string, number> }>, nulInKey: boolean, topN: number): Generator<void, QRadarSummary['topPairs'], void> {
  let work = 0;
  const out: QRadarSummary['topPairs'] = [];
  if (topN <= 0) return out;
  if (nulInKey) {
    const pairs = new Map<string, number>();
    for (const o of offenses) {
      if (++work === SUMMARY_STEP) {
        work = 0;
        yield;
      }
      inc(pairs, `${o.label}\u0000${o.offenseSource ?? NO_SOURCE}`);
    }
    // The first topN of every pair sorted (stable) by count, then `description NUL source` of the split key: a key
    // with more NULs is written as its first two parts, so equal texts keep the pairs' first-seen order.
    const order: string[] = [];
    const comesBefore = (count: number, text: string, k: number) => count > out[k].count || (count === out[k].count && text < order[k]);
    for (const [key, count] of pairs) {
      if (++work === SUMMARY_STEP) {
        work = 0;
        yield;
      }
      const [description, source] = key.split('\u0000');
      const text = `${description}\u0000${source}`;
      if (out.length === topN && !comesBefore(count, text, topN - 1)) continue;
      let lo = 0;
      let hi = out.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comesBefore(count, text, mid)) hi = mid;
        else lo = mid + 1;
      }
      out.splice(lo, 0, { description, source, count });
      order.splice(lo, 0, text);
      if (out.length > topN) {
        out.pop();
        order.pop();
      }
    }
    return out;
  }
  const before = (count: number, description: string, source: string, x: QRadarSummary['topPairs'][number]) =>
    count > x.count || (count === x.count && (description < x.description || (description === x.description && source < x.source)));
  for (const [description, d] of desc) {
    for (const [source, count] of d.sources) {
      if (++work === SUMMARY_STEP) {
        work = 0;
        yield;
      }
      if (out.length === topN && !before(count, description, source, out[topN - 1])) continue;
      let lo = 0;
      let hi = out.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(count, description, source, out[mid])) hi = mid;
        else lo = mid + 1;
      }
      out.splice(lo, 0, { description, source, count });
      if (out.length > topN) out.pop();
    }
  }
  return out;
}

/**
 * `xs` sorted by `cmp` (stable, as `Array.prototype.sort`) in steps that each sort or merge about
 * {@link SUMMARY_STEP} items (a merge sort of sorted runs). Sorts `xs` in place and returns it.
 */
function* sortSteps<T>(xs: T[], cmp: (a: T, b: T) => number): Generator<void, T[], void> {
  if (xs.length <= SUMMARY_STEP) return xs.sort(cmp);
  for (let i = 0; i < xs.length; i += SUMMARY_STEP) {
    const run = xs.slice(i, i + SUMMARY_STEP).sort(cmp);
    for (let k = 0; k < run.length; k++) xs[i + k] = run[k];
    yield;
  }
  let from = xs;
  let to = new Array<T>(xs.length);
  let work = 0;
  for (let width = SUMMARY_STEP; width < xs.length; width *= 2) {
    for (let lo = 0; lo < xs.length; lo += 2 * width) {
      const mid = Math.min(lo + width, xs.length);
      const hi = Math.min(lo + 2 * width, xs.length);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k++) {
        // the left run's item first on a tie (stable)
        to[k] = a < mid && (b >= hi || cmp(from[a], from[b]) <= 0) ? from[a++] : from[b++];
        if (++work === SUMMARY_STEP) {
          work = 0;
          yield;
        }
      }
    }
    [from, to] = [to, from];
  }
  if (from !== xs) for (let k = 0; k < xs.length; k++) xs[k] = from[k];
  return xs;
}

/** Numeric scale counts (magnitude/severity) in ascending numeric order, `(unknown)` last. */
function scale(m: Map<number | undefined, number>): { value: string; count: number }[] {
  return [...m]
    .map(([v, count]) => ({ value: v === undefined ? '(unknown)' : String(v), count }))
    .sort((a, b) => {
      const x = Number(a.value);
      const y = Number(b.value);
      if (Number.isNaN(x)) return 1;
      if (Number.isNaN(y)) return -1;
      return x - y;
    });
}

function summarizeEvents(events: readonly QRadarEvent[]): QRadarSummary['events'] {
  type Tally = { records: number; events: number; first?: number; last?: number };
  const names = new Map<string, Tally>();
  const sources = new Map<string, Tally>();
  const span = (x: { first?: number; last?: number }, t: number | undefined) => {
    if (t === undefined) return;
    if (x.first === undefined || t < x.first) x.first = t;
    if (x.last === undefined || t > x.last) x.last = t;
  };
  const all: { first?: number; last?: number } = {};
  let total = 0;
  let uncounted = 0;
  for (const e of events) {
    // a row without a valid Event Count adds no events (it is still a row)
    const c = e.eventCount ?? 0;
    if (e.eventCount === undefined) uncounted++;
    total += c;
    const t = eventTime(e);
    const n = names.get(e.eventName ?? NO_SOURCE) ?? { records: 0, events: 0 };
    n.records++;
    n.events += c;
    span(n, t);
    names.set(e.eventName ?? NO_SOURCE, n);
    const l = sources.get(e.logSource ?? NO_SOURCE) ?? { records: 0, events: 0 };
    l.records++;
    l.events += c;
    span(l, t);
    sources.set(e.logSource ?? NO_SOURCE, l);
    span(all, t);
  }
  const sortE = <T extends { events: number; records: number }>(k: (t: T) => string) => (a: T, b: T) => b.events - a.events || b.records - a.records || (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0);
  return {
    records: events.length,
    eventCount: total,
    uncounted,
    first: all.first,
    last: all.last,
    byName: [...names].map(([name, v]) => ({ name, ...v })).sort(sortE((x) => x.name)),
    byLogSource: [...sources].map(([logSource, v]) => ({ logSource, ...v })).sort(sortE((x) => x.logSource)),
  };
}

/** The files of a QRadar read left out because they are an error answer of the QRadar API (`skipped` entries). */
export function apiErrorFiles(p: QRadarParsed): QRadarParsed['skipped'] {
  return p.skipped.filter((k) => k.file && k.reason.startsWith(API_ERROR_REASON));
}

/**
 * The problems of a QRadar read, as the dashboard (*Problems* card and tab), `qradar --json` (`errors`,
 * `summary.errors`) and the `qradar` text report list them: each file that is an error answer of the QRadar API (an
 * HTTP 401 body saved in place of an export: the export it stands for is missing) at line 0 with the server's message,
 * then the read errors (file, line, message). The error answer is also a file left out (`skipped`).
 */
export function qradarProblems(p: QRadarParsed): ParseError[] {
  const apiErrors = apiErrorFiles(p);
  if (apiErrors.length === 0) return p.errors;
  return [...apiErrors.map((k) => apiErrorProblem(k.file, k.reason)), ...p.errors];
}

/**
 * The top source of an offense name as the reports print it: `root`, or on a tie `root +1,652 tied` (the first by name
 * of 1,653 sources with as many offenses each). The text report's, Markdown's, dashboard's and Results tree's.
 */
export function topSourceText(d: Pick<DescriptionNoise, 'topSource' | 'topSourceTies'>): string {
  return d.topSourceTies ? `${d.topSource} +${grouped(d.topSourceTies)} tied` : d.topSource;
}

/**
 * The Results-tree row of one offense description under a QRadar analysis: the offense count before the name
 * (`12 · Excessive Firewall Denies From Single Source`: the list is the noisiest rules first, and the default ~300 px
 * side bar cut a new user's rows to the name, the counts hidden after it), then the top offense source and its share
 * (`10.0.0.5 100%`). The tooltip says what the count counts (`12 offenses`, singular/plural right), counts every offense
 * source of the description (`3 offense sources`), and says when its list of sources is cut (`top 10 of 7,944 offense
 * sources`). `facets`: the offenses table's facet a click applies (the description, as a chart bar's).
 */
export function qradarDescriptionTreeText(d: DescriptionNoise): { label: string; description: string; tooltip: string; facets: Record<string, string> } {
  const sources = d.sources > d.topSources.length ? `top ${d.topSources.length} of ${count(d.sources, 'offense source')}` : count(d.sources, 'offense source');
  return {
    label: `${grouped(d.count)} · ${d.description || '(no description)'}`,
    facets: { description: d.description },
    description: `${topSourceText(d)} ${formatPercent(d.concentration)}${d.topSourceTies ? ' each' : ''}`,
    tooltip:
      `${d.description}\n${count(d.count, 'offense')}, ${sources}\nTop source ${topSourceText(d)}: ${formatPercent(d.concentration)} of offenses${d.topSourceTies ? ' each' : ''}\n` +
      `${d.closed.toLocaleString('en-US')} closed, ${count(d.falsePositive, 'false positive')}, ${d.escalated.toLocaleString('en-US')} escalated`,
  };
}

/**
 * The status split of the offenses: `6 open, 0 hidden, 0 closed, 1 unknown status` — the last part only when some
 * status is none of OPEN, HIDDEN, CLOSED (so the parts add up to the offenses). The text report's, Markdown's, tree's.
 */
export function statusSplitText(s: Pick<QRadarSummary['summary'], 'open' | 'hidden' | 'closed' | 'unknownStatus'>): string {
  return `${grouped(s.open)} open, ${grouped(s.hidden)} hidden, ${grouped(s.closed)} closed${s.unknownStatus ? `, ${grouped(s.unknownStatus)} unknown status` : ''}`;
}

/** The Results-tree line and tooltip of a QRadar analysis (`1 offense · 0 escalated · 1 false positive`), with singular/plural right. */
export function qradarTreeText(s: QRadarSummary['summary']): { description: string; tooltip: string } {
  return {
    description: `${count(s.offenses, 'offense')} · ${s.escalated.toLocaleString('en-US')} escalated · ${count(s.falsePositive, 'false positive')}`,
    tooltip:
      `${count(s.files, 'file')}, ${count(s.offenses, 'offense')} (${statusSplitText(s)}), ${count(s.descriptions, 'description')}, ` +
      `${s.escalated.toLocaleString('en-US')} escalated, ${count(s.falsePositive, 'false positive')}, ${count(s.events, 'exported event row')}, ${count(s.errors, 'problem')}`,
  };
}
