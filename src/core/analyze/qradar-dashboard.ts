/**
 * Turns parsed QRadar inputs + {@link summarizeQRadar} into what the dashboard shows: cards, charts
 * (offenses per day stacked by closing reason, escalations per day, hour-of-day profile, top noisy
 * descriptions, per-description top sources, …), small tables, the offense table's columns and a row
 * detail. Pure (no vscode). Times are epoch ms UTC in the data and shown in the display zone.
 */
import { formatPercent } from '../percent';
import type { Card, ChartSeries, DashboardModel, RowDetail, SmallTable } from '../../shared/protocol';
import type { QRadarEvent, QRadarFileKind, QRadarOffense, QRadarParsed } from '../parse/qradar-model';
import { groupedInt, type StoreColumn } from '../table/store';
import { formatTime, isoUtc } from '../time';
import { count, filesReadColumns, grouped, msOrNull, noun, num, percentNumber, qty, toColumnDefs, txt } from './dashboard-kit';
import { apiErrorFiles, logSourceRankText, qradarProblems, topSourceText, type DayBucket } from './qradar-summary';
import { CLOSING_REASON_CONFLICT, closingReasonConflictDetail, outOfRangeTexts, RATINGS_OUT_OF_RANGE } from './qradar-tables';
import { fragmentsText } from './reason-match';
import {
  classifyReason,
  descriptionOneLine,
  eventTime,
  NOT_CLOSED,
  NO_SOURCE,
  OFFENSE_DAY_BASIS,
  offenseTime,
  offenseTypeLabel,
  reasonLabel,
  closingReasonsOf,
  type ClosingReasons,
  ruleLabel,
  ruleNameOf,
  ruleNamesOf,
  type RuleNames,
  summarizeQRadar,
  TOP_DESCRIPTIONS_WITH_SOURCES,
  ASSIGNMENT,
  type QRadarSettings,
  type QRadarSummary,
} from './qradar-summary';
import { REVEAL_EVENT, REVEAL_OFFENSE } from './reveal-labels';

/** The *Kind* of a file of the "Files read" tab that was read but is not analyzed (not offenses, lookups or events), as the header counts it. */
export const SKIPPED_KIND = 'skipped: not offense data';
/**
 * The *Kind* of an entry of the "Files read" tab that folder discovery left out without reading it (a symbolic link
 * outside the paths named, a FIFO, socket or device, a link loop, a second path to a file already listed): the header
 * counts these apart from the files read.
 */
export const NOT_READ_KIND = 'skipped: not read';
/** The *Kind* of a note of the "Files read" tab that names no file. */
export const NOTE_KIND = 'note';

/** The *Kind* of a file of the "Files read" tab, by what it turned out to be (QRadarFileKind), in words. */
export const QRADAR_FILE_KIND_LABEL: Readonly<Record<QRadarFileKind, string>> = {
  offenses: 'Offenses',
  closingReasons: 'Closing reasons list',
  offenseTypes: 'Offense types list',
  rules: 'Rules list',
  events: 'Exported events',
  unrecognised: 'Not recognised',
};

/**
 * The *Format* of a file of the "Files read" tab in words (the parser's shape names: `json-array`, `ndjson`,
 * `wrapped:offenses`, `csv-display-names`, …); a shape not known here as it is.
 */
export function qradarFormatLabel(format: string): string {
  const known: Record<string, string> = {
    'json-array': 'JSON array (API answer)',
    ndjson: 'JSON lines (one record a line)',
    'json-object': 'JSON object',
    'wrapped (damaged)': 'JSON object (damaged)',
    csv: 'CSV',
    'csv-closing-reasons': 'CSV',
    'csv-display-names': 'CSV (column names as shown)',
    'csv-internal-names': 'CSV (internal column names)',
    'csv-mixed': 'CSV (shown and internal column names)',
  };
  if (known[format]) return known[format];
  const wrapped = /^wrapped:(.+)$/.exec(format);
  return wrapped ? `JSON object, its “${wrapped[1]}” array` : format;
}

/** Rows of the errors small table / problems sample. */
export const ERRORS_TABLE_LIMIT = 1000;
export const PROBLEMS_SAMPLE = 20;
/** Group (section) of the per-description top-source charts. */
export const SOURCES_GROUP = 'Noise: top offense sources of the noisiest descriptions';

/** Everything the offense columns need besides the row. */
export interface QRadarContext {
  settings: QRadarSettings;
  /** Each offense's closing reason from the list of its own export ({@link closingReasonsOf}). */
  reasons: ClosingReasons;
  typeNames: ReadonlyMap<number, string>;
  /** Each offense's rule names from the rules lists of its own export ({@link ruleNamesOf}: rule ids are per console). */
  ruleNames: RuleNames;
}

/** Rule ids with more than one row in `byRule` (named differently by different exports, or named and unnamed). */
export function splitRuleIds(byRule: QRadarSummary['byRule']): Set<number> {
  const seen = new Set<number>();
  const split = new Set<number>();
  for (const r of byRule) (seen.has(r.ruleId) ? split : seen).add(r.ruleId);
  return split;
}

export function qradarContext(p: QRadarParsed, settings: QRadarSettings): QRadarContext {
  return {
    settings,
    reasons: closingReasonsOf(p),
    typeNames: new Map(p.offenseTypes.map((t) => [t.id, t.name])),
    ruleNames: ruleNamesOf(p),
  };
}

/** Value of the hidden `undated` column (title *Start time readable*) for an offense without a readable `start_time`. */
export const UNDATED = 'no (undated)';

/** A 0..1 share as the product writes percentages (../percent.ts: `33.3%`, `100%`). */
const pct = (x: number) => formatPercent(x);

/**
 * The *Log sources* table: every log source once, most offenses first, when they all fit in the top list (title
 * `Log sources (all N, most offenses first)`, no List column); else the top and the bottom list (`Log sources (top
 * N / bottom M)`, a List column). Each row's *Rank* says its place among all log sources and names ties
 * (`2–4 (3 tied)`: equal counts, listed by name), so a split between equal counts never reads as a difference.
 */
function logSourcesTable(sum: QRadarSummary): SmallTable {
  const top = sum.topLogSources;
  const bottom = sum.bottomLogSources;
  const rank = (l: (typeof top)[number]) => (l.rank === undefined ? null : logSourceRankText({ rank: l.rank, ties: l.ties ?? 0 }));
  const cols = [txt('logSource', 'Log source (Custom Rule Engine excluded)', 320), txt('type', 'Type', 150), num('count', 'Offenses'), txt('place', 'Rank', 110)];
  if (bottom.length === 0)
    return {
      id: 'logSources',
      title: top.length > 1 ? `Log sources (all ${grouped(top.length)}, most offenses first)` : 'Log sources',
      columns: cols,
      rows: top.map((l) => [l.logSource, l.type ?? null, l.count, rank(l)]),
      facetColumn: 'logSources',
      facetIndex: 0,
    };
  return {
    id: 'logSources',
    title: `Log sources (top ${grouped(top.length)} / bottom ${grouped(bottom.length)})`,
    columns: [...cols, txt('rank', 'List', 70)],
    rows: [
      ...top.map((l) => [l.logSource, l.type ?? null, l.count, rank(l), 'top'] as (string | number | null)[]),
      ...bottom.map((l) => [l.logSource, l.type ?? null, l.count, rank(l), 'bottom'] as (string | number | null)[]),
    ],
    facetColumn: 'logSources',
    facetIndex: 0,
  };
}

/**
 * Columns of the offense table. Facet columns used by chart clicks: `day` (`yyyy-MM-dd`, display
 * zone), `hour` (`00`–`23`), `description` (shows the whole description on one line, chained lines separated by
 * ` ⏎ `; a facet value matches the first line — the noise key — or that whole text), `name` (first line), `offenseSource`, `status`, `magnitude`,
 * `undated` (title *Start time readable*: {@link UNDATED} for an offense without a readable start_time, else empty),
 * `closingReason` (the value {@link NOT_CLOSED} matches every offense that is not CLOSED), `class`
 * (`escalated` / `false positive`), `rules` (matches when ANY rule id equals the value),
 * `logSources` (any), `assignedTo` (an assignee's name, exactly), `assignment` ({@link ASSIGNMENT}: `not assigned`
 * matches the offenses without an assignee — the assignees table's built-in row, which an assignee called
 * `(unassigned)` is not), `closingUser`, `sourceNetwork`, `offenseType`.
 */
export function qradarOffenseColumns(ctx: QRadarContext): StoreColumn<QRadarOffense>[] {
  const zone = ctx.settings.zone;
  const reason = (o: QRadarOffense) => reasonLabel(o, ctx.reasons);
  const time = (o: QRadarOffense) => offenseTime(o);
  // descriptions repeat (interned by the parser): each distinct one is put on one line once
  const lines = new Map<string, string>();
  const oneLine = (d: string) => {
    let t = lines.get(d);
    if (t === undefined) {
      t = descriptionOneLine(d);
      if (lines.size < 100_000) lines.set(d, t);
    }
    return t;
  };
  return [
    // an id beyond 2^53 is kept as written (idText, reported by the parser): shown, searched and exported as that text, sorted by its (rounded) value
    { id: 'id', title: 'Id', type: 'number', width: 70, get: (o) => o.id ?? o.idText, sortKey: (o) => o.id ?? (o.idText === undefined ? undefined : Number(o.idText)) },
    { id: 'start', title: `Start (${zone})`, type: 'time', width: 168, get: time, format: (o) => formatTime(time(o), zone) },
    { id: 'day', title: 'Day', type: 'text', width: 90, hidden: true, get: (o) => formatTime(time(o), zone).slice(0, 10) || undefined },
    { id: 'week', title: 'Week (from Monday)', type: 'text', width: 90, hidden: true, get: (o) => weekStart(formatTime(time(o), zone).slice(0, 10)) },
    { id: 'month', title: 'Month', type: 'text', width: 70, hidden: true, get: (o) => formatTime(time(o), zone).slice(0, 7) || undefined },
    { id: 'hour', title: 'Hour', type: 'text', width: 50, hidden: true, get: (o) => formatTime(time(o), zone).slice(11, 13) || undefined },
    // the Undated card's facet: the offenses without a readable start_time (empty for the dated ones)
    { id: 'undated', title: 'Start time readable', type: 'text', width: 90, hidden: true, get: (o) => (time(o) === undefined ? UNDATED : undefined) },
    {
      id: 'description',
      title: 'Description',
      type: 'text',
      width: 300,
      // the whole description, chained lines included (`A ⏎ preceded by B`): shown, sorted, searched and exported to CSV
      get: (o) => oneLine(o.description) || o.label,
      // chart and noise-table clicks facet by the first line (the noise key); the whole text matches too
      matches: (o, v) => o.label === v || oneLine(o.description) === v,
    },
    { id: 'name', title: 'Offense name (first line)', type: 'text', width: 240, hidden: true, get: (o) => o.label },
    { id: 'offenseSource', title: 'Offense source', type: 'text', width: 170, get: (o) => o.offenseSource, matches: (o, v) => (o.offenseSource ?? NO_SOURCE) === v },
    { id: 'offenseType', title: 'Offense type', type: 'text', width: 120, get: (o) => offenseTypeLabel(o, ctx.typeNames), sortKey: (o) => o.offenseType }, // by id: 7 before 52
    { id: 'status', title: 'Status', type: 'text', width: 75, get: (o) => o.status },
    { id: 'magnitude', title: 'Magnitude', type: 'number', width: 70, get: (o) => o.magnitude },
    { id: 'severity', title: 'Severity', type: 'number', width: 65, get: (o) => o.severity },
    { id: 'credibility', title: 'Credibility', type: 'number', width: 70, hidden: true, get: (o) => o.credibility },
    { id: 'relevance', title: 'Relevance', type: 'number', width: 70, hidden: true, get: (o) => o.relevance },
    {
      id: 'closingReason',
      title: 'Closing reason',
      type: 'text',
      width: 170,
      get: reason,
      matches: (o, v) => (v === NOT_CLOSED ? o.status !== 'CLOSED' && reason(o) === undefined : reason(o) === v),
    },
    { id: 'class', title: 'Class', type: 'text', width: 95, get: (o) => classifyReason(reason(o), ctx.settings) || undefined },
    { id: 'assignedTo', title: 'Assigned to', type: 'text', width: 110, get: (o) => o.assignedTo, matches: (o, v) => o.assignedTo === v },
    { id: 'assignment', title: 'Assignment', type: 'text', width: 100, hidden: true, get: (o) => (o.assignedTo === undefined ? ASSIGNMENT.unassigned : ASSIGNMENT.assigned) },
    { id: 'closingUser', title: 'Closing user', type: 'text', width: 110, get: (o) => o.closingUser },
    { id: 'closeTime', title: `Closed (${zone})`, type: 'time', width: 168, get: (o) => o.closeTime, format: (o) => formatTime(o.closeTime, zone) },
    { id: 'lastUpdated', title: `Last event (${zone})`, type: 'time', width: 168, hidden: true, get: (o) => o.lastUpdatedTime, format: (o) => formatTime(o.lastUpdatedTime, zone) },
    // counts with thousands separators (`9,804`) like the cards and small tables; sorted, filtered and exported as numbers
    { id: 'eventCount', title: 'Events', type: 'number', width: 70, get: (o) => o.eventCount, format: (o) => groupedInt(o.eventCount), exportRaw: true },
    { id: 'flowCount', title: 'Flows', type: 'number', width: 60, hidden: true, get: (o) => o.flowCount, format: (o) => groupedInt(o.flowCount), exportRaw: true },
    {
      id: 'rules',
      title: 'Rules',
      type: 'text',
      width: 160,
      get: (o) => o.rules.map((r) => String(r.id)).join(', ') || undefined,
      matches: (o, v) => o.rules.some((r) => String(r.id) === v),
    },
    {
      // each rule by name and id as its own export names it (`Rule <id>` when none does): what a click on a rule whose
      // id two consoles name differently filters by (rule ids are per console, qradar.md §8)
      id: 'ruleNames',
      title: 'Rule names',
      type: 'text',
      width: 260,
      hidden: true,
      get: (o) => o.rules.map((r) => ruleLabel(r.id, ruleNameOf(o, r, ctx.ruleNames))).join(', ') || undefined,
      matches: (o, v) => o.rules.some((r) => ruleLabel(r.id, ruleNameOf(o, r, ctx.ruleNames)) === v),
    },
    {
      id: 'logSources',
      title: 'Log sources',
      type: 'text',
      width: 240,
      get: (o) => o.logSources.map((l) => l.name).join(', ') || undefined,
      matches: (o, v) => o.logSources.some((l) => l.name === v),
    },
    { id: 'sourceNetwork', title: 'Source network', type: 'text', width: 170, hidden: true, get: (o) => o.sourceNetwork },
    { id: 'categories', title: 'Categories', type: 'text', width: 200, hidden: true, get: (o) => o.categories.join(', ') || undefined },
    { id: 'source', title: 'Source', type: 'text', width: 220, hidden: true, get: (o) => `${o.source.file}:${o.source.line}` },
  ];
}

/** Columns of the event table (used when the inputs hold Log Activity exports but no offenses). */
export function qradarEventColumns(zone: string): StoreColumn<QRadarEvent>[] {
  return [
    { id: 'time', title: `Time (${zone})`, type: 'time', width: 168, get: (e) => eventTime(e), format: (e) => formatTime(eventTime(e), zone) },
    { id: 'eventName', title: 'Event name', type: 'text', width: 280, get: (e) => e.eventName },
    { id: 'logSource', title: 'Log source', type: 'text', width: 240, get: (e) => e.logSource },
    { id: 'eventCount', title: 'Event count', type: 'number', width: 80, get: (e) => e.eventCount, format: (e) => groupedInt(e.eventCount), exportRaw: true },
    { id: 'category', title: 'Low level category', type: 'text', width: 170, get: (e) => e.category },
    { id: 'sourceIp', title: 'Source IP', type: 'text', width: 120, get: (e) => e.sourceIp },
    { id: 'sourcePort', title: 'Source port', type: 'text', width: 70, hidden: true, get: (e) => e.sourcePort },
    { id: 'destinationIp', title: 'Destination IP', type: 'text', width: 120, get: (e) => e.destinationIp },
    { id: 'destinationPort', title: 'Destination port', type: 'text', width: 70, get: (e) => e.destinationPort },
    { id: 'username', title: 'Username', type: 'text', width: 110, get: (e) => e.username },
    { id: 'magnitude', title: 'Magnitude', type: 'number', width: 70, get: (e) => e.magnitude },
    { id: 'source', title: 'Source', type: 'text', width: 220, hidden: true, get: (e) => `${e.source.file}:${e.source.line}` },
  ];
}

/** Chart colour key of a closing reason (the webview maps keys to theme colours). */
function reasonColorKey(reason: string, s: QRadarSettings): string | undefined {
  if (reason === NOT_CLOSED) return 'NOTCLOSED';
  const c = classifyReason(reason, s);
  return c === 'escalated' ? 'ESCALATED' : c === 'false positive' ? 'FALSEPOSITIVE' : undefined;
}

/** `No rule has a name in the data`, `The rule has no name…`, `3 rules have no name…` (of `all` charted rules). */
function unnamedRulesText(unnamed: number, all: number): string {
  if (unnamed === all) return all === 1 ? 'The rule has no name in the data' : 'No rule has a name in the data';
  return `${count(unnamed, 'rule')} ${unnamed === 1 ? 'has' : 'have'} no name in the data`;
}

/**
 * Builds the QRadar dashboard model for one display zone. Returns the model and the summary it
 * was built from (the kind uses the summary for the Results tree). Cards: offenses, first/last day,
 * open, hidden, closed, escalated, falsePositive (+ fpRate), descriptions, events (when any),
 * errors. Charts: `per-day` (stacked by closing reason), `escalated-per-day` (line), `per-hour`,
 * `top-descriptions`, `status`, `magnitude`, `closing-reasons`, `top-rules`, and
 * `sources-<n>` (group {@link SOURCES_GROUP}) for the 10 noisiest descriptions.
 * `summary`: `summarizeQRadar(p, settings)` when the caller has it already (it is a full pass over
 * the offenses); computed here otherwise.
 */
export function buildQRadarDashboard(p: QRadarParsed, title: string, settings: QRadarSettings, summary?: QRadarSummary): { model: DashboardModel; summary: QRadarSummary } {
  const sum = summary ?? summarizeQRadar(p, settings);
  const s = sum.summary;
  const zone = settings.zone;
  const day = (ms: number | undefined) => (ms === undefined ? '—' : formatTime(ms, zone).slice(0, 10));
  const closedWithReason = sum.byClosingReason.reduce((a, r) => a + r.count, 0);
  const cards: Card[] = [
    { id: 'offenses', label: noun(s.offenses, 'Offense'), value: s.offenses, tone: 'info' },
    { id: 'first', label: `First (${zone})`, value: day(s.first), tone: 'info' },
    { id: 'last', label: `Last (${zone})`, value: day(s.last), tone: 'info' },
    { id: 'open', label: 'Open', value: s.open, tone: s.open > 0 ? 'warning' : 'ok', facet: { status: 'OPEN' } },
    { id: 'hidden', label: 'Hidden', value: s.hidden, tone: 'notice', facet: { status: 'HIDDEN' } },
    { id: 'closed', label: 'Closed', value: s.closed, tone: 'ok', facet: { status: 'CLOSED' } },
    // the rest of the split (a status other than OPEN, HIDDEN, CLOSED, or none readable): the cards add up to Offenses
    ...(s.unknownStatus > 0 ? [{ id: 'unknownStatus', label: 'Unknown status', value: s.unknownStatus, tone: 'warning' as const, tab: 'errors' }] : []),
    { id: 'escalated', label: 'Escalated', value: s.escalated, tone: s.escalated > 0 ? 'alert' : 'ok', facet: { class: 'escalated' } },
    { id: 'falsePositive', label: noun(s.falsePositive, 'False positive'), value: s.falsePositive, tone: 'notice', facet: { class: 'false positive' } },
    { id: 'fpRate', label: 'False-positive rate (closed)', value: closedWithReason > 0 ? pct(s.falsePositive / closedWithReason) : '—', tone: 'info' },
    { id: 'descriptions', label: noun(s.descriptions, 'Distinct description'), value: s.descriptions, tone: 'info' },
  ];
  // offenses without a readable start_time: in the totals, never per day/hour nor in First/Last (no time stands in)
  if (s.undated > 0) cards.splice(3, 0, { id: 'undated', label: 'Undated (no valid start_time)', value: s.undated, tone: 'warning', facet: { undated: UNDATED } });
  // (the hint: the event count, the sum of the rows' Event Count — QRadar coalesces repeated events into one row — as
  // the CLI prints it: analyst trial 8)
  if (s.events > 0) cards.push({ id: 'events', label: `${noun(s.events, 'Exported event')} (${noun(s.events, 'row')})`, value: s.events, tone: 'info', hint: eventCountText(sum) });
  // A file that is an error answer of the QRadar API (a 401 body saved in place of an export) is a problem to the analyst
  // (the export it stands for is missing), not only a file skipped: the Problems card and tab name it.
  const apiErrors = apiErrorFiles(p);
  const problems = qradarProblems(p);
  const problemCount = problems.length;
  cards.push({ id: 'errors', label: noun(problemCount, 'Problem'), value: problemCount, tone: problemCount > 0 ? 'warning' : 'ok' });

  const charts: ChartSeries[] = [];
  const reasonsInDays = new Map<string, number>();
  for (const b of sum.byDay) for (const [r, n] of Object.entries(b.byReason)) reasonsInDays.set(r, (reasonsInDays.get(r) ?? 0) + n);
  const stackOrder = [...reasonsInDays].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([r]) => r);
  // Calendar days (never day-of-month); a long range is bucketed by week (> 120 days) or month (> 2 years) so bars stay readable.
  const { unit, buckets } = calendarBuckets(sum.byDay);
  const dayLabels = buckets.map((b) => b.day);
  const per = unit === 'day' ? 'per day' : unit === 'week' ? 'per week (weeks start on Monday)' : 'per month';
  const timeAxis = { label: `${unit === 'day' ? 'Day' : unit === 'week' ? 'Week starting Monday' : 'Month'} (${zone})`, value: 'Offenses' };
  if (sum.byDay.length) {
    charts.push({
      id: 'per-day',
      title: `Offenses ${per} (${OFFENSE_DAY_BASIS}, ${zone}), by closing reason`,
      labels: dayLabels,
      values: buckets.map((b) => b.count),
      orientation: 'vertical',
      stacked: true,
      axes: timeAxis,
      datasets: stackOrder.map((r) => ({ label: r, values: buckets.map((b) => b.byReason[r] ?? 0), colorKey: reasonColorKey(r, settings) })),
      facetColumn: unit,
      datasetFacetColumn: 'closingReason',
    });
    charts.push({
      id: 'escalated-per-day',
      title: `Escalated and false-positive offenses ${per} (${OFFENSE_DAY_BASIS}, ${zone})`,
      labels: dayLabels,
      values: buckets.map((b) => b.escalated),
      type: 'line',
      orientation: 'vertical',
      axes: timeAxis,
      datasets: [
        { label: 'Escalated', values: buckets.map((b) => b.escalated), colorKey: 'ESCALATED' },
        { label: 'False positive', values: buckets.map((b) => b.falsePositive), colorKey: 'FALSEPOSITIVE' },
      ],
      facetColumn: unit,
      // a fragment counts wherever it occurs in the reason: shown *escalat*, not a bare `escalat` that read as a typo
      note: `Closing reasons counted as escalated: ${fragmentsText(settings.escalatedReasons)}; as false positive: ${fragmentsText(settings.falsePositiveReasons)} (case-insensitive, * = any characters; not where negated in its clause, as in Not escalated)`,
    });
    charts.push({
      id: 'per-hour',
      title: `Hour-of-day profile (${OFFENSE_DAY_BASIS}, ${zone})`,
      labels: sum.byHour.map((_, h) => String(h).padStart(2, '0')),
      values: sum.byHour,
      orientation: 'vertical',
      axes: { label: `Hour of day (${zone})`, value: 'Offenses' },
      facetColumn: 'hour',
    });
  }
  const top = sum.topDescriptions;
  charts.push({ id: 'top-descriptions', title: `Top ${grouped(top.length)} noisy offense names (first line of the description)`, labels: top.map((d) => d.description), values: top.map((d) => d.count), facetColumn: 'description', axes: { label: 'Offense name', value: 'Offenses' } });
  charts.push({ id: 'status', title: 'Offenses by status', labels: Object.keys(sum.byStatus), values: Object.values(sum.byStatus), facetColumn: 'status', axes: { label: 'Status', value: 'Offenses' } });
  charts.push({
    id: 'closing-reasons',
    title: 'Closed offenses by closing reason',
    labels: sum.byClosingReason.map((r) => r.reason),
    values: sum.byClosingReason.map((r) => r.count),
    colorKeys: sum.byClosingReason.map((r) => reasonColorKey(r.reason, settings) ?? ''),
    facetColumn: 'closingReason',
    axes: { label: 'Closing reason', value: 'Closed offenses' },
  });
  // a magnitude outside QRadar's 0–10 is charted as given, said under the title (the notice above the cards has where)
  const magOut = sum.summary.outOfRange?.find((r) => r.field === 'magnitude');
  charts.push({ id: 'magnitude', title: 'Offenses by magnitude', labels: sum.byMagnitude.map((m) => m.value), values: sum.byMagnitude.map((m) => m.count), orientation: 'vertical', facetColumn: 'magnitude', ...(magOut ? { note: `${count(magOut.count, 'offense')} outside QRadar’s 0–10, charted as given` } : {}), axes: { label: 'Magnitude (QRadar, 1–10)', value: 'Offenses' } });
  const topRules = sum.byRule.slice(0, settings.topN);
  const unnamed = topRules.filter((r) => !r.name).length;
  // a rule id with a row per name (two consoles name it differently): its clicks filter by name and id, not by the id
  const splitIds = splitRuleIds(sum.byRule);
  // the Rules tab: rules without a name in the data; the Name column only when some rule has one
  const rulesUnnamed = sum.byRule.filter((r) => !r.name).length;
  const rulesNamed = rulesUnnamed < sum.byRule.length;
  const topSplit = topRules.some((r) => splitIds.has(r.ruleId));
  charts.push({
    id: 'top-rules',
    title: `Top ${count(topRules.length, 'rule')} (rules[] of offenses)`,
    // the rule's name where the data has it (rules[] names, or the rules lookup beside the offenses); its id and type in the tooltip
    labels: topRules.map((r) => r.name || `Rule ${r.ruleId}`),
    tooltips: topRules.map((r) => [`Rule ${r.ruleId}`, r.type, r.name].filter(Boolean).join(' · ')),
    facetValues: topRules.map((r) => (topSplit ? ruleLabel(r.ruleId, r.name) : String(r.ruleId))),
    values: topRules.map((r) => r.count),
    facetColumn: topSplit ? 'ruleNames' : 'rules',
    axes: { label: 'Rule', value: 'Offenses' },
    note: unnamed ? `${unnamedRulesText(unnamed, topRules.length)} (shown by id): names come from rules[] or an /analytics/rules export analyzed with the offenses` : undefined,
  });
  top.slice(0, TOP_DESCRIPTIONS_WITH_SOURCES).forEach((d, i) => {
    charts.push({
      id: `sources-${i + 1}`,
      title: d.description || '(no description)',
      note: `${count(d.count, 'offense')} · top source ${topSourceText(d)} explains ${pct(d.concentration)}${d.topSourceTies ? ' each' : ''}`,
      labels: d.topSources.map((x) => x.source),
      values: d.topSources.map((x) => x.count),
      facetColumn: 'offenseSource',
      baseFacet: { description: d.description },
      axes: { label: 'Offense source', value: 'Offenses' },
      group: SOURCES_GROUP,
    });
  });

  const tables: SmallTable[] = [
    {
      id: 'noise',
      // grouped by the first line of the description (the rule-given name); the column title says so, the whole
      // chained text is in the offense table (a long tab title pushed the tab row off a narrow panel)
      title: 'Noise by offense name',
      columns: [
        txt('description', 'Offense name (first line of the description)', 320),
        num('count', 'Offenses'),
        num('variants', 'Full-text variants'),
        txt('topSource', 'Top source', 170),
        qty('concentration', 'Top source share', 90, '%'),
        num('sources', 'Sources'),
        num('closed', 'Closed'),
        num('falsePositive', 'False positives'),
        num('escalated', 'Escalated'),
      ],
      rows: sum.descriptions.map((d) => [d.description, d.count, d.variants, topSourceText(d), pct(d.concentration), d.sources, d.closed, d.falsePositive, d.escalated]),
      exportCells: { concentration: sum.descriptions.map((d) => percentNumber(d.concentration)) },
      facetColumn: 'description',
      facetIndex: 0,
    },
    {
      id: 'pairs',
      title: 'Offense name × source',
      columns: [txt('description', 'Offense name (first line)', 320), txt('source', 'Offense source', 200), num('count', 'Offenses')],
      rows: sum.topPairs.map((x) => [x.description, x.source, x.count]),
      facetColumn: 'description',
      facetIndex: 0,
    },
    {
      id: 'rules',
      title: 'Rules',
      // the tuning question per rule: how many of its offenses were closed as false positives (FP rate of the closed).
      // Without any rule name in the data the Name column is left out and the line above the table says why (a
      // new-user trial found an empty Name column on every row, unexplained; the chart and the CLI said it).
      ...(rulesUnnamed ? { description: `${unnamedRulesText(rulesUnnamed, sum.byRule.length)} (shown by id): names come from the offenses' rules[] or an /analytics/rules export analyzed with the offenses` } : {}),
      columns: [
        txt('rule', 'Rule id', 90),
        ...(rulesNamed ? [txt('name', 'Name', 300)] : []),
        txt('type', 'Type', 150),
        num('count', 'Offenses'),
        num('descriptions', 'Descriptions'),
        num('closed', 'Closed'),
        num('falsePositive', 'False positives'),
        qty('fpRate', 'False-positive rate (closed)', 110, '%'),
        num('escalated', 'Escalated'),
      ],
      rows: sum.byRule.map((r) => [String(r.ruleId), ...(rulesNamed ? [r.name ?? null] : []), r.type ?? null, r.count, r.descriptions, r.closed, r.falsePositive, r.closed ? pct(r.falsePositive / r.closed) : null, r.escalated]),
      exportCells: { fpRate: sum.byRule.map((r) => (r.closed ? percentNumber(r.falsePositive / r.closed) : null)) },
      facetColumn: 'rules',
      facetIndex: 0,
      ...(splitIds.size ? { rowFacets: sum.byRule.map((r) => (splitIds.has(r.ruleId) ? { ruleNames: ruleLabel(r.ruleId, r.name) } : undefined)) } : {}),
    },
    {
      id: 'reasons',
      title: 'Closing reasons',
      columns: [txt('reason', 'Closing reason', 260), txt('id', 'Id', 60), num('count', 'Offenses'), txt('class', 'Class', 110), txt('flags', 'Flags', 120)],
      rows: sum.byClosingReason.map((r) => [r.reason, r.id === undefined ? null : String(r.id), r.count, r.class || null, [r.deleted ? 'deleted' : '', r.reserved ? 'reserved' : ''].filter(Boolean).join(', ') || null]),
      facetColumn: 'closingReason',
      facetIndex: 0,
    },
    {
      id: 'days',
      // a tab title: short. Every calendar day of the range, a day without an offense as 0 (as the chart's gap and
      // the CLI's per-day table show it: an analyst trial found the empty 2026-03-04 listed there and missing here)
      title: `Per day (${OFFENSE_DAY_BASIS}, ${zone})`,
      columns: [txt('day', 'Day', 100), num('count', 'Offenses'), num('escalated', 'Escalated'), num('falsePositive', 'False positives')],
      rows: sum.byDay.map((b) => [b.day, b.count, b.escalated, b.falsePositive]),
      facetColumn: 'day',
      facetIndex: 0,
    },
    {
      id: 'assignees',
      title: 'Assignees',
      columns: [txt('assignee', 'Assigned to', 200), num('count', 'Offenses'), txt('assignment', 'Assignment', 100)],
      rows: sum.byAssignee.map((a) => [a.assignee, a.count, a.unassigned ? ASSIGNMENT.unassigned : ASSIGNMENT.assigned]),
      // the row of the offenses without an assignee filters by the assignment, not by its label (an assignee's name could be the same)
      facetColumn: 'assignedTo',
      facetIndex: 0,
      rowFacets: sum.byAssignee.map((a) => (a.unassigned ? { assignment: ASSIGNMENT.unassigned } : undefined)),
    },
    {
      id: 'closers',
      title: 'Closing users',
      columns: [txt('user', 'Closing user', 200), num('count', 'Offenses')],
      rows: sum.byClosingUser.map((a) => [a.user, a.count]),
      facetColumn: 'closingUser',
      facetIndex: 0,
    },
    logSourcesTable(sum),
    {
      id: 'networks',
      title: 'Source networks',
      columns: [txt('network', 'Source network', 300), num('count', 'Offenses')],
      rows: sum.topSourceNetworks.map((n) => [n.network, n.count]),
      facetColumn: 'sourceNetwork',
      facetIndex: 0,
    },
    {
      id: 'types',
      title: 'Offense types',
      columns: [txt('type', 'Offense type', 220), num('count', 'Offenses')],
      rows: sum.byOffenseType.map((t) => [t.type, t.count]),
      facetColumn: 'offenseType',
      facetIndex: 0,
    },
  ];
  if (s.events > 0) {
    const eventSpanColumns = [
      { id: 'first', title: `First event (${zone})`, type: 'time' as const, width: 168 },
      { id: 'last', title: `Last event (${zone})`, type: 'time' as const, width: 168 },
    ];
    const eventSpan = (e: { first?: number; last?: number }) => [e.first === undefined ? null : formatTime(e.first, zone), e.last === undefined ? null : formatTime(e.last, zone)];
    // the instants for the UTC columns of a CSV export
    const eventSpanTimes = (es: readonly { first?: number; last?: number }[]) => ({ first: es.map((e) => msOrNull(e.first)), last: es.map((e) => msOrNull(e.last)) });
    tables.push(
      {
        id: 'eventNames',
        title: 'Exported events by name',
        // when each kind of event came and went, in the display zone (CSV exports' console times read in the console
        // zone: a new-user trial asked what the zone question was for — no event time was shown anywhere)
        columns: [txt('name', 'Event name', 320), num('records', 'Rows'), num('events', 'Event count'), ...eventSpanColumns],
        rows: sum.events.byName.map((e) => [e.name, e.records, e.events, ...eventSpan(e)]),
        exportTimes: eventSpanTimes(sum.events.byName),
      },
      {
        id: 'eventLogSources',
        title: 'Exported events by log source',
        columns: [txt('logSource', 'Log source', 320), num('records', 'Rows'), num('events', 'Event count'), ...eventSpanColumns],
        rows: sum.events.byLogSource.map((e) => [e.logSource, e.records, e.events, ...eventSpan(e)]),
        exportTimes: eventSpanTimes(sum.events.byLogSource),
      },
    );
  }
  // One row per file: a file that was read but not recognised is listed once, as skipped with its reason
  // (it was listed twice: once as "unrecognised", once as "set aside"); notes without a file stay at the end.
  // "skipped", not "set aside": in the Loki dashboard "set aside" means older scans of a host.
  const setAsideWhy = new Map<string, string>();
  for (const k of p.skipped) if (k.file && !setAsideWhy.has(k.file)) setAsideWhy.set(k.file, k.reason);
  const listedFiles = new Set(p.files.map((f) => f.file));
  const inputEntries: (string | number | null)[][] = [
    ...p.files.map((f) => {
      const why = f.kind === 'unrecognised' ? setAsideWhy.get(f.file) : undefined;
      // what each file is and how it is written, in words (new-user trial: `closingReasons`, `json-array`)
      return (why === undefined ? [f.file, QRADAR_FILE_KIND_LABEL[f.kind] ?? f.kind, qradarFormatLabel(f.format), f.records, f.errors] : [f.file, SKIPPED_KIND, why, f.records, f.errors]) as (string | number | null)[];
    }),
    // a file left out by folder discovery is never in `p.files` (every file read is): it was not read
    ...p.skipped.filter((k) => !k.file || !listedFiles.has(k.file)).map((k) => [k.file || '—', k.file ? NOT_READ_KIND : NOTE_KIND, k.reason, 0, 0] as (string | number | null)[]),
  ];
  // the file's name in view (its path below the folder the files share), its folder last (filesReadColumns)
  const fc = filesReadColumns(inputEntries.map((r) => String(r[0])));
  tables.push(
    {
      id: 'inputs',
      title: 'Files read',
      columns: [fc.file, txt('kind', 'Kind', 170), { ...txt('format', 'Format / why skipped', 220), maxWidth: 360 }, num('records', 'Records'), num('errors', 'Errors'), fc.folder],
      rows: inputEntries.map((r, i) => [fc.names[i], ...r.slice(1), fc.folders[i]]),
      cellTitles: { file: fc.titles },
    },
    {
      id: 'errors',
      title: problems.length > ERRORS_TABLE_LIMIT ? `Problems (first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(problems.length)})` : 'Problems',
      columns: [txt('file', 'File', 400), num('line', 'Line'), txt('message', 'Message', 500)],
      rows: problems.slice(0, ERRORS_TABLE_LIMIT).map((e) => [e.file, e.line > 0 ? e.line : null, e.message]),
    },
  );

  const offensesTable = s.offenses > 0 || s.events === 0;
  const ctx = qradarContext(p, settings);
  const span = (s.first !== undefined ? `${day(s.first)} – ${day(s.last)}` : 'no dated offenses') + (s.undated ? `; ${grouped(s.undated)} undated` : '');
  // the file count of the "Files read" tab (its file rows, not its notes nor the entries not read), skipped files
  // included and named as the tab names them; the entries not read are counted after it
  const tabRows = tables.find((t) => t.id === 'inputs')?.rows ?? [];
  const inputRows = tabRows.filter((r) => r[1] !== NOTE_KIND && r[1] !== NOT_READ_KIND);
  const notRead = tabRows.length - inputRows.length - tabRows.filter((r) => r[1] === NOTE_KIND).length;
  const skipped = inputRows.filter((r) => r[1] === SKIPPED_KIND).length;
  // (`6 analyzed, 3 skipped …`: the Results view's label counts the 6 analyzed — trial: "6 files" there, "9 read" here)
  const skippedText = skipped ? ` (${grouped(inputRows.length - skipped)} analyzed, ${grouped(skipped)} ${SKIPPED_KIND}${apiErrors.length ? `; ${apiErrors.length === skipped ? (skipped === 1 ? 'it is' : 'all are') : `${grouped(apiErrors.length)} of them ${apiErrors.length === 1 ? 'is' : 'are'}`} ${apiErrors.length === 1 ? 'a QRadar API error answer' : 'QRadar API error answers'}` : ''})` : '';
  const subtitle =
    // (every count grouped en-US, as the cards: `2,400,000 exported event rows`)
    `${count(s.offenses, 'offense')} (${span}), ${count(inputRows.length, 'file')} read${skippedText}` +
    (notRead ? `, ${grouped(notRead)} ${NOT_READ_KIND}` : '') +
    (s.events ? `, ${count(s.events, 'exported event row')} (${eventCountText(sum)})` : '') +
    (p.usedConsoleTimes ? `, console times read in ${p.consoleTimeZone}` : '') +
    ` — times in ${zone}`;
  const model: DashboardModel = {
    kind: 'qradar',
    title,
    subtitle,
    cards,
    charts,
    tables,
    columns: offensesTable ? toColumnDefs(qradarOffenseColumns(ctx)) : toColumnDefs(qradarEventColumns(zone)),
    totalRows: offensesTable ? p.offenses.length : p.events.length,
    rowNoun: offensesTable ? 'offenses' : 'events',
    displayZone: zone,
    problems: {
      count: problems.length,
      sample: problems.slice(0, PROBLEMS_SAMPLE).map((e) => ({ file: e.file, line: e.line, message: e.message })),
    },
  };
  // closing-reason ids that the lists of different exports (consoles) name differently: the same warning as the CLI's
  const conflict = closingReasonConflictDetail(sum.closingReasonConflicts);
  if (conflict) model.notices = [{ id: 'closingReasonConflict', severity: 'warning', title: CLOSING_REASON_CONFLICT, lines: [conflict] }];
  // magnitude, severity, credibility or relevance outside QRadar's 0–10: the offenses kept, the values charted as given, said
  const outOfRange = outOfRangeTexts(sum.summary);
  if (outOfRange.length) (model.notices ??= []).push({ id: 'ratingsOutOfRange', severity: 'warning', title: RATINGS_OUT_OF_RANGE, lines: outOfRange });
  return { model, summary: sum };
}

/** All fields of one offense as label/value text; rules and log sources as sections. */
export function qradarOffenseDetail(o: QRadarOffense, row: number, ctx: QRadarContext): RowDetail {
  const zone = ctx.settings.zone;
  const fields: { label: string; value: string }[] = [];
  const add = (label: string, v: string | number | boolean | undefined | null) => {
    if (v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v))) return;
    fields.push({ label, value: String(v) });
  };
  const reason = reasonLabel(o, ctx.reasons);
  add('Id', o.id ?? o.idText);
  add('Description', o.description.trim());
  add('Status', o.status);
  add('Offense type', offenseTypeLabel(o, ctx.typeNames));
  add('Offense source', o.offenseSource);
  add('Magnitude', o.magnitude);
  add('Severity', o.severity);
  add('Credibility', o.credibility);
  add('Relevance', o.relevance);
  add('Closing reason', reason);
  add('Class', classifyReason(reason, ctx.settings));
  add('Assigned to', o.assignedTo);
  add('Closing user', o.closingUser);
  for (const [label, ms] of [
    ['Start', o.startTime],
    ['Last event', o.lastUpdatedTime],
    ['Closed', o.closeTime],
    ['First persisted', o.firstPersistedTime],
    ['Last persisted', o.lastPersistedTime],
  ] as const) {
    if (ms === undefined) continue;
    add(`${label} (${zone})`, formatTime(ms, zone));
    add(`${label} (UTC, ISO 8601)`, isoUtc(ms));
  }
  add('Events', groupedInt(o.eventCount));
  add('Flows', groupedInt(o.flowCount));
  add('Categories', o.categories.join(', '));
  add('Source network', o.sourceNetwork);
  add('Destination networks', o.destinationNetworks.join(', '));
  const n = (x: number | undefined) => (x === undefined ? '?' : groupedInt(x));
  add('Sources / local / remote destinations', [o.sourceCount, o.localDestinationCount, o.remoteDestinationCount].some((x) => x !== undefined) ? `${n(o.sourceCount)} / ${n(o.localDestinationCount)} / ${n(o.remoteDestinationCount)}` : undefined);
  add('Follow-up', o.followUp);
  add('Protected', o.protected);
  add('Inactive', o.inactive);
  add('Domain id', o.domainId);
  add('Source', `${o.source.file}:${o.source.line} (record ${o.record})`);
  const sections = [
    { title: `Rules (${o.rules.length})`, fields: o.rules.map((r) => ({ label: String(r.id), value: [r.name ?? ctx.ruleNames.name(o, r.id), r.type].filter(Boolean).join(' · ') || '—' })) },
    { title: `Log sources (${o.logSources.length})`, fields: o.logSources.map((l) => ({ label: l.name, value: [l.typeName, l.id !== undefined ? `id ${l.id}` : ''].filter(Boolean).join(' · ') || '—' })) },
  ];
  return {
    row,
    title: `Offense ${o.id ?? o.idText ?? '?'} · ${o.label || '(no description)'}`,
    fields,
    sections,
    canReveal: o.source.line > 0,
    // the source is the offenses export (JSON/CSV from QRadar), not a log
    reveal: REVEAL_OFFENSE,
  };
}

/**
 * `event count 27`: the sum of the exported rows' Event Count (QRadar coalesces repeated events into one row; a row
 * without the column is one event), as the CLI's `Log Activity exports: 7 event rows (event count 27)`, with the rows
 * whose count is not a valid number (`; 1 row without a valid count, not counted`).
 */
export function eventCountText(sum: QRadarSummary): string {
  const u = sum.events.uncounted;
  return `event count ${grouped(sum.events.eventCount)}${u ? `; ${count(u, 'row')} without a valid count, not counted` : ''}`;
}

/** All fields of one exported event row. */
export function qradarEventDetail(e: QRadarEvent, row: number, zone: string): RowDetail {
  const fields: { label: string; value: string }[] = [];
  const t = eventTime(e);
  if (t !== undefined) {
    fields.push({ label: `Time (${zone})`, value: formatTime(t, zone) });
    fields.push({ label: 'Time (UTC, ISO 8601)', value: isoUtc(t) });
  }
  for (const [k, v] of Object.entries(e.fields)) if (v !== '') fields.push({ label: k, value: v });
  fields.push({ label: 'Source', value: `${e.source.file}:${e.source.line} (record ${e.record})` });
  return {
    row,
    title: `${e.eventName ?? 'Event'} · ${e.logSource ?? ''}`,
    fields,
    sections: [],
    canReveal: e.source.line > 0,
    reveal: REVEAL_EVENT,
  };
}

/** Monday (`yyyy-MM-dd`) of the ISO week of a calendar day given as `yyyy-MM-dd` (pure date arithmetic, no zone). */
export function weekStart(day: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const sinceMonday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Groups zero-filled calendar days into the unit a chart can show: days (≤ 120), ISO weeks labelled by their Monday
 * (≤ 730 days), else months (`yyyy-MM`). Counts are summed; `day` holds the bucket label.
 */
export function calendarBuckets(days: DayBucket[]): { unit: 'day' | 'week' | 'month'; buckets: DayBucket[] } {
  if (days.length <= 120) return { unit: 'day', buckets: days };
  const unit = days.length <= 730 ? 'week' : 'month';
  const out = new Map<string, DayBucket>();
  for (const d of days) {
    const key = unit === 'week' ? weekStart(d.day) ?? d.day : d.day.slice(0, 7);
    let b = out.get(key);
    if (!b) out.set(key, (b = { day: key, count: 0, escalated: 0, falsePositive: 0, byReason: {} }));
    b.count += d.count;
    b.escalated += d.escalated;
    b.falsePositive += d.falsePositive;
    for (const [r, n] of Object.entries(d.byReason)) b.byReason[r] = (b.byReason[r] ?? 0) + n;
  }
  return { unit, buckets: [...out.values()] };
}
