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
 * Time of an offense = `start_time` (first contributing event, §1), else `first_persisted_time`,
 * else `last_updated_time`. Offenses without any time count in totals but not per day/hour.
 */
import type { QRadarClosingReason, QRadarEvent, QRadarOffense, QRadarParsed } from '../parse/qradar-model';
import { formatTime } from '../time';

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
export const UNASSIGNED = '(unassigned)';

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

export interface DescriptionNoise {
  description: string;
  count: number;
  /** Share of this description's offenses whose offense_source is its top source (0..1). */
  concentration: number;
  topSource: string;
  topSources: { source: string; count: number }[];
  escalated: number;
  falsePositive: number;
  closed: number;
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
    escalated: number;
    falsePositive: number;
    undated: number;
    descriptions: number;
    errors: number;
  };
  byDay: DayBucket[];
  byHour: number[];
  byClosingReason: ReasonCount[];
  byStatus: Record<string, number>;
  byMagnitude: { value: string; count: number }[];
  bySeverity: { value: string; count: number }[];
  byAssignee: { assignee: string; count: number }[];
  byClosingUser: { user: string; count: number }[];
  byOffenseType: { type: string; count: number }[];
  topDescriptions: DescriptionNoise[];
  /** Every description (sorted like topDescriptions), for the noise table. */
  descriptions: DescriptionNoise[];
  byRule: { ruleId: number; name?: string; type?: string; count: number; descriptions: number }[];
  topPairs: { description: string; source: string; count: number }[];
  /** Log sources of offenses (Custom Rule Engine excluded), most and fewest offenses. */
  topLogSources: { logSource: string; type?: string; count: number }[];
  bottomLogSources: { logSource: string; type?: string; count: number }[];
  topSourceNetworks: { network: string; count: number }[];
  events: {
    records: number;
    eventCount: number;
    first?: number;
    last?: number;
    byName: { name: string; records: number; events: number }[];
    byLogSource: { logSource: string; records: number; events: number }[];
  };
}

/** Offense time used for day/hour buckets (see module comment), epoch ms UTC. */
export function offenseTime(o: QRadarOffense): number | undefined {
  return o.startTime ?? o.firstPersistedTime ?? o.lastUpdatedTime;
}

/** Event time: Start Time, else Log Source Time. */
export function eventTime(e: QRadarEvent): number | undefined {
  return e.startTime ?? e.logSourceTime;
}

/** Lookups built from the closing-reason files (joined over all inputs; a later file wins on an id). */
export function reasonMap(reasons: readonly QRadarClosingReason[]): Map<number, QRadarClosingReason> {
  const m = new Map<number, QRadarClosingReason>();
  for (const r of reasons) m.set(r.id, r);
  return m;
}

/**
 * Closing-reason label of an offense: the reason text (resolved from `closing_reason_id`, or given
 * as text by XSOAR-enriched input), `#<id>` when the id is unknown, {@link NO_REASON} for a CLOSED
 * offense without one, undefined for an offense that is not closed and has no reason.
 */
export function reasonLabel(o: QRadarOffense, reasons: ReadonlyMap<number, QRadarClosingReason>): string | undefined {
  if (o.closingReasonText !== undefined) return o.closingReasonText;
  if (o.closingReasonId !== undefined) return reasons.get(o.closingReasonId)?.text ?? `#${o.closingReasonId}`;
  return o.status === 'CLOSED' ? NO_REASON : undefined;
}

/** Class of a closing-reason label: escalated wins over false positive when both match. */
export function classifyReason(label: string | undefined, s: Pick<QRadarSettings, 'escalatedReasons' | 'falsePositiveReasons'>): OffenseClass {
  if (!label || label === NO_REASON) return '';
  const l = label.toLowerCase();
  const hit = (pats: string[]) => pats.some((p) => p.trim() !== '' && l.includes(p.trim().toLowerCase()));
  if (hit(s.escalatedReasons)) return 'escalated';
  if (hit(s.falsePositiveReasons)) return 'false positive';
  return '';
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

function counts<T extends { count: number }>(m: Map<string, number>, make: (k: string, n: number) => T, key: (t: T) => string): T[] {
  return [...m].map(([k, n]) => make(k, n)).sort(byCountThenName<T>(key));
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
  const zone = s.zone;
  const reasons = reasonMap(p.closingReasons);
  const typeNames = new Map(p.offenseTypes.map((t) => [t.id, t.name]));
  const ruleNames = new Map(p.rules.map((r) => [r.id, r.name]));
  const topN = Math.max(1, Math.floor(s.topN) || DEFAULT_TOP_N);

  const status = new Map<string, number>();
  const reasonCounts = new Map<string, { id?: number; count: number }>();
  const mag = new Map<string, number>();
  const sev = new Map<string, number>();
  const assignee = new Map<string, number>();
  const closer = new Map<string, number>();
  const otype = new Map<string, number>();
  const desc = new Map<string, { count: number; sources: Map<string, number>; escalated: number; falsePositive: number; closed: number }>();
  const rules = new Map<number, { type?: string; name?: string; count: number; descs: Set<string> }>();
  const pairs = new Map<string, number>();
  const logSources = new Map<string, { type?: string; count: number }>();
  const networks = new Map<string, number>();
  const days = new Map<string, DayBucket>();
  const byHour = new Array<number>(24).fill(0);
  let first: number | undefined;
  let last: number | undefined;
  let escalated = 0;
  let falsePositive = 0;
  let undated = 0;

  for (const o of p.offenses) {
    const st = o.status ?? '(unknown)';
    inc(status, st);
    const label = reasonLabel(o, reasons);
    const cls = classifyReason(label, s);
    if (cls === 'escalated') escalated++;
    if (cls === 'false positive') falsePositive++;
    if (label !== undefined) {
      const e = reasonCounts.get(label) ?? { id: o.closingReasonText === undefined ? o.closingReasonId : undefined, count: 0 };
      e.count++;
      reasonCounts.set(label, e);
    }
    inc(mag, o.magnitude === undefined ? '(unknown)' : String(o.magnitude));
    inc(sev, o.severity === undefined ? '(unknown)' : String(o.severity));
    inc(assignee, o.assignedTo ?? UNASSIGNED);
    if (o.closingUser) inc(closer, o.closingUser);
    inc(otype, offenseTypeLabel(o, typeNames));

    const d = desc.get(o.label) ?? { count: 0, sources: new Map<string, number>(), escalated: 0, falsePositive: 0, closed: 0 };
    d.count++;
    const src = o.offenseSource ?? NO_SOURCE;
    inc(d.sources, src);
    if (cls === 'escalated') d.escalated++;
    if (cls === 'false positive') d.falsePositive++;
    if (o.status === 'CLOSED') d.closed++;
    desc.set(o.label, d);
    inc(pairs, `${o.label}\u0000${src}`);

    const seenRules = new Set<number>();
    for (const r of o.rules) {
      if (seenRules.has(r.id)) continue;
      seenRules.add(r.id);
      const e = rules.get(r.id) ?? { count: 0, descs: new Set<string>() };
      e.count++;
      e.descs.add(o.label);
      e.type ??= r.type;
      e.name ??= r.name ?? ruleNames.get(r.id);
      rules.set(r.id, e);
    }
    const seenLs = new Set<string>();
    for (const ls of o.logSources) {
      if (isCre(ls) || seenLs.has(ls.name)) continue;
      seenLs.add(ls.name);
      const e = logSources.get(ls.name) ?? { type: ls.typeName, count: 0 };
      e.count++;
      logSources.set(ls.name, e);
    }
    if (o.sourceNetwork) inc(networks, o.sourceNetwork);

    const t = offenseTime(o);
    if (t === undefined) {
      undated++;
      continue;
    }
    if (first === undefined || t < first) first = t;
    if (last === undefined || t > last) last = t;
    const day = dayOf(t, zone);
    const b = days.get(day) ?? { day, count: 0, escalated: 0, falsePositive: 0, byReason: {} };
    b.count++;
    if (cls === 'escalated') b.escalated++;
    if (cls === 'false positive') b.falsePositive++;
    const stack = o.status === 'CLOSED' || label !== undefined ? label ?? NO_REASON : NOT_CLOSED;
    b.byReason[stack] = (b.byReason[stack] ?? 0) + 1;
    days.set(day, b);
    byHour[hourOf(t, zone)]++;
  }

  let byDay = [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  if (byDay.length > 0) {
    const range = dayRange(byDay[0].day, byDay[byDay.length - 1].day, MAX_FILLED_DAYS);
    if (range) byDay = range.map((day) => days.get(day) ?? { day, count: 0, escalated: 0, falsePositive: 0, byReason: {} });
  }

  const descriptions: DescriptionNoise[] = [...desc]
    .map(([description, d]) => {
      const topSources = [...d.sources].map(([source, count]) => ({ source, count })).sort(byCountThenName((x) => x.source));
      const top = topSources[0];
      return {
        description,
        count: d.count,
        concentration: top ? top.count / d.count : 0,
        topSource: top?.source ?? NO_SOURCE,
        topSources: topSources.slice(0, TOP_SOURCES),
        escalated: d.escalated,
        falsePositive: d.falsePositive,
        closed: d.closed,
      };
    })
    .sort(byCountThenName((x) => x.description));

  const ls = counts(new Map([...logSources].map(([k, v]) => [k, v.count])), (logSource, count) => ({ logSource, type: logSources.get(logSource)?.type, count }), (x) => x.logSource);
  const bottom = [...ls].sort((a, b) => a.count - b.count || (a.logSource < b.logSource ? -1 : a.logSource > b.logSource ? 1 : 0)).slice(0, topN);

  const eventsOut = summarizeEvents(p.events);
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
      escalated,
      falsePositive,
      undated,
      descriptions: desc.size,
      errors: p.errors.length,
    },
    byDay,
    byHour,
    byClosingReason: [...reasonCounts]
      .map(([reason, e]) => {
        const rc: ReasonCount = { reason, count: e.count, class: classifyReason(reason, s) };
        if (e.id !== undefined) rc.id = e.id;
        const known = e.id !== undefined ? reasons.get(e.id) : undefined;
        if (known?.isDeleted) rc.deleted = true;
        if (known?.isReserved) rc.reserved = true;
        return rc;
      })
      .sort(byCountThenName((x) => x.reason)),
    byStatus: Object.fromEntries([...status].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    byMagnitude: scale(mag),
    bySeverity: scale(sev),
    byAssignee: counts(assignee, (assignee, count) => ({ assignee, count }), (x) => x.assignee),
    byClosingUser: counts(closer, (user, count) => ({ user, count }), (x) => x.user),
    byOffenseType: counts(otype, (type, count) => ({ type, count }), (x) => x.type),
    topDescriptions: descriptions.slice(0, topN),
    descriptions,
    byRule: [...rules]
      .map(([ruleId, e]) => {
        const r: QRadarSummary['byRule'][number] = { ruleId, count: e.count, descriptions: e.descs.size };
        if (e.name) r.name = e.name;
        if (e.type) r.type = e.type;
        return r;
      })
      .sort((a, b) => b.count - a.count || a.ruleId - b.ruleId),
    topPairs: counts(
      pairs,
      (k, count) => {
        const [description, source] = k.split('\u0000');
        return { description, source, count };
      },
      (x) => `${x.description}\u0000${x.source}`,
    ).slice(0, topN),
    topLogSources: ls.slice(0, topN),
    bottomLogSources: bottom,
    topSourceNetworks: counts(networks, (network, count) => ({ network, count }), (x) => x.network).slice(0, topN),
    events: eventsOut,
  };
}

/** `<type name>` from offense_types, the enriched name, `type <n>` for an unknown id (§3), or `(unknown)`. */
export function offenseTypeLabel(o: QRadarOffense, names: ReadonlyMap<number, string>): string {
  if (o.offenseTypeName) return o.offenseTypeName;
  if (o.offenseType === undefined) return '(unknown)';
  return names.get(o.offenseType) ?? `type ${o.offenseType}`;
}

/** Numeric scale counts (magnitude/severity) in ascending numeric order, `(unknown)` last. */
function scale(m: Map<string, number>): { value: string; count: number }[] {
  return [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => {
      const x = Number(a.value);
      const y = Number(b.value);
      if (Number.isNaN(x)) return 1;
      if (Number.isNaN(y)) return -1;
      return x - y;
    });
}

function summarizeEvents(events: readonly QRadarEvent[]): QRadarSummary['events'] {
  const names = new Map<string, { records: number; events: number }>();
  const sources = new Map<string, { records: number; events: number }>();
  let first: number | undefined;
  let last: number | undefined;
  let total = 0;
  for (const e of events) {
    total += e.eventCount;
    const n = names.get(e.eventName ?? NO_SOURCE) ?? { records: 0, events: 0 };
    n.records++;
    n.events += e.eventCount;
    names.set(e.eventName ?? NO_SOURCE, n);
    const l = sources.get(e.logSource ?? NO_SOURCE) ?? { records: 0, events: 0 };
    l.records++;
    l.events += e.eventCount;
    sources.set(e.logSource ?? NO_SOURCE, l);
    const t = eventTime(e);
    if (t !== undefined) {
      if (first === undefined || t < first) first = t;
      if (last === undefined || t > last) last = t;
    }
  }
  const sortE = <T extends { events: number; records: number }>(k: (t: T) => string) => (a: T, b: T) => b.events - a.events || b.records - a.records || (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0);
  return {
    records: events.length,
    eventCount: total,
    first,
    last,
    byName: [...names].map(([name, v]) => ({ name, ...v })).sort(sortE((x) => x.name)),
    byLogSource: [...sources].map(([logSource, v]) => ({ logSource, ...v })).sort(sortE((x) => x.logSource)),
  };
}
