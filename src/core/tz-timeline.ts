/**
 * Merged timeline: findings (Loki), offenses (QRadar), connection pairs (beacons) and cases (KPI
 * analyses) of the analyses in the Results view on one time axis, shown in the display zone and filterable by
 * source. Pure (no vscode). Results are read by shape (each kind's documented result fields), so a
 * kind that is not listed simply contributes nothing.
 */
import type { ChartSeries, ColumnDef, DashboardModel, DashboardNotice, RowDetail } from '../shared/protocol';
import type { SourceRef } from './model/common';
import type { StoreColumn } from './table/store';
import { formatTime, isoUtc } from './time';
import { DateTime } from 'luxon';
import { isListObject } from './parse/loki-store';
import { ruleNamer, type LokiAnalysis } from './analyze/loki-summary';
import { cutText } from './text-safe';
import { count, noun, toColumnDefs } from './analyze/dashboard-kit';
import { offenseTime } from './analyze/qradar-summary';
import type { QRadarOffense } from './parse/qradar-model';
import { caseReveal, REVEAL_OFFENSE } from './analyze/reveal-labels';
import { drainSteps } from './slices';

/** Source of an event; a beacon analysis contributes one event per scored connection pair (its first connection). */
export type TimelineSource = 'Findings' | 'Offenses' | 'Connection pairs' | 'Cases';

export interface TimelineEvent {
  /** Epoch ms UTC. */
  time: number;
  source: TimelineSource;
  /** Title of the analysis it comes from. */
  analysis: string;
  event: string;
  detail?: string;
  ref?: SourceRef;
  /**
   * The detail's reveal button when the source is not a log, named as in the event's own dashboard (reveal-labels.ts):
   * an offense's *Reveal in export*, a case's *Reveal in file* (or *in export* for an offense read as a case); a
   * finding's is the default *Reveal in log*.
   */
  reveal?: RowDetail['reveal'];
}

type Any = Record<string, unknown>;
/** An array, or the items of a list object (a columnar Loki findings list, see isListObject); else none. */
const arr = (v: unknown): Any[] => (Array.isArray(v) ? (v as Any[]) : isListObject(v) ? (v.slice() as Any[]) : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const ref = (v: unknown): SourceRef | undefined => {
  const o = v as { file?: unknown; line?: unknown } | undefined;
  return o && typeof o.file === 'string' && typeof o.line === 'number' ? { file: o.file, line: o.line } : undefined;
};

/**
 * What of one analysis is not on the timeline: its findings, offenses, pairs or cases without a valid time (the
 * timeline would leave them out quietly: a new-user trial saw 13 of 14 cases and no word why).
 */
export interface TimelineLeftOut {
  /** Title of the analysis. */
  analysis: string;
  source: TimelineSource;
  /** How many were left out (≥ 1). */
  count: number;
  /** Why, after the noun: `without a valid created time`. */
  why: string;
  /** The first few of them by name (a case's id, an offense's id, `file:line`), at most {@link LEFT_OUT_NAMES}. */
  names: string[];
}

/** Most names a {@link TimelineLeftOut} keeps. */
export const LEFT_OUT_NAMES = 5;

/** Noun of one item of each source, for the left-out note. */
const SOURCE_NOUN: Record<TimelineSource, [string, string]> = { Findings: ['finding', 'findings'], Offenses: ['offense', 'offenses'], 'Connection pairs': ['connection pair', 'connection pairs'], Cases: ['case', 'cases'] };
/** Why an item of each source has no place on the axis. */
const SOURCE_WHY: Record<TimelineSource, string> = { Findings: 'without a valid timestamp', Offenses: 'without a valid start time', 'Connection pairs': 'without a valid first-seen time', Cases: 'without a valid created time' };

/**
 * Events of one analysis result by kind: `loki` findings (timestamp, level · host · path; detail: its reasons' rules, named
 * as in the Rules table by the result's `rules`: a hash IOC `Hash IOC: <description>`, ruleNamer),
 * `qradar` offenses (their time by `offenseTime`: start_time = first event, never first_persisted_time in its place;
 * id · description), `beacons` pairs (first seen; source → destination, score) and `kpi` cases (created; title, tag).
 * Values without a time (an undated offense) are skipped: {@link timelineOf} also says how many.
 */
export function timelineEvents(kind: string, analysis: string, result: unknown): TimelineEvent[] {
  return timelineOf(kind, analysis, result).events;
}

/**
 * {@link timelineEvents} and, in the same pass, what was left out for want of a valid time ({@link TimelineLeftOut};
 * undefined when nothing was): a case without a created time, an offense without a start_time, a finding without a
 * timestamp, a pair without a first-seen time.
 */
export function timelineOf(kind: string, analysis: string, result: unknown): { events: TimelineEvent[]; leftOut?: TimelineLeftOut } {
  return drainSteps(timelineSteps(kind, analysis, result));
}

/** Items of a result turned into events between two yields of {@link timelineSteps}. */
export const TIMELINE_STEP = 4096;

/**
 * {@link timelineOf} as steps (a generator that yields every {@link TIMELINE_STEP} items; its return value is the
 * result): the extension host runs it in slices (`runInSlices`, ../core/slices.ts) — the events of 597,205 findings
 * took ~0.7 s of its main thread in one piece.
 */
export function* timelineSteps(kind: string, analysis: string, result: unknown): Generator<unknown, { events: TimelineEvent[]; leftOut?: TimelineLeftOut }> {
  const r = (result ?? {}) as Any;
  let n = 0;
  const out: TimelineEvent[] = [];
  let missing = 0;
  const names: string[] = [];
  const skip = (name: string | undefined) => {
    missing++;
    if (names.length < LEFT_OUT_NAMES && name) names.push(cutText(name, 80));
  };
  const where = (v: unknown) => {
    const x = ref(v);
    return x ? `${x.file.split(/[\\/]/).pop()}:${x.line}` : undefined;
  };
  let source: TimelineSource | undefined;
  if (kind === 'loki') {
    source = 'Findings';
    // a reason's rule as the Rules table names it (a hash IOC: `Hash IOC: <description>`, not the bare hash)
    const ruleName = ruleNamer(arr(r.rules) as unknown as LokiAnalysis['rules']);
    for (const f of arr(r.findings)) {
      if (++n % TIMELINE_STEP === 0) yield;
      const t = num(f.timestamp);
      if (t === undefined) {
        skip(where(f.source) ?? str(f.host));
        continue;
      }
      const reasons = arr(f.reasons).map((x) => str(x.rule)).filter((x): x is string => x !== undefined).map(ruleName).join(', ');
      out.push({ time: t, source: 'Findings', analysis, event: `${str(f.level) ?? ''} · ${str(f.host) ?? ''} · ${str(f.path) ?? cutText(str(f.message) ?? '', 120)}`, detail: reasons || undefined, ref: ref(f.source) });
    }
  } else if (kind === 'qradar') {
    source = 'Offenses';
    for (const o of arr(r.offenses)) {
      if (++n % TIMELINE_STEP === 0) yield;
      const t = num(offenseTime(o as unknown as QRadarOffense)); // undated (no valid start_time): not on the axis
      if (t === undefined) {
        skip(o.id !== undefined && o.id !== null ? String(o.id) : where(o.source));
        continue;
      }
      out.push({ time: t, source: 'Offenses', analysis, event: `${o.id ?? ''} · ${str(o.label) ?? str(o.description) ?? ''}`, detail: [str(o.status), str(o.offenseSource)].filter(Boolean).join(' · ') || undefined, ref: ref(o.source), reveal: REVEAL_OFFENSE });
    }
  } else if (kind === 'beacons') {
    source = 'Connection pairs';
    for (const p of arr(r.pairs)) {
      if (++n % TIMELINE_STEP === 0) yield;
      const t = num(p.firstSeenMs);
      if (t === undefined) {
        skip(`${str(p.src) ?? ''} → ${str(p.fqdn) || str(p.dst) || ''}`);
        continue;
      }
      const dst = str(p.fqdn) || str(p.dst) || '';
      out.push({ time: t, source: 'Connection pairs', analysis, event: `${str(p.src) ?? ''} → ${dst} (${count(num(p.count) ?? 0, 'connection')})`, detail: num(p.score) !== undefined ? `beacon score ${num(p.score)}` : undefined });
    }
  } else if (kind === 'kpi') {
    source = 'Cases';
    const input = (r.input ?? {}) as Any;
    const tags = ((r.tagging ?? {}) as Any).tags as string[] | undefined;
    const cases = arr(input.cases);
    for (let i = 0; i < cases.length; i++) {
      if (++n % TIMELINE_STEP === 0) yield;
      const c = cases[i];
      const t = num(c.created);
      if (t === undefined) {
        skip(str(c.id) ?? where(c));
        continue;
      }
      out.push({ time: t, source: 'Cases', analysis, event: `${str(c.id) ? `${c.id} · ` : ''}${str(c.title) ?? ''}`, detail: tags?.[i], ref: typeof c.file === 'string' && typeof c.line === 'number' ? { file: c.file, line: c.line } : undefined, reveal: caseReveal(c.raw) });
    }
  }
  return { events: out, ...(missing > 0 && source ? { leftOut: { analysis, source, count: missing, why: SOURCE_WHY[source], names } } : {}) };
}

/**
 * The lines of the timeline's note on what it leaves out, one per analysis: `1 case without a valid created time is
 * not on the timeline (cases): X-2`, `3 offenses without a valid start time are not on the timeline (offenses.json):
 * 7, 9, 12`, the names cut after {@link LEFT_OUT_NAMES} with `, … and N more`.
 */
export function timelineLeftOutLines(leftOut: readonly TimelineLeftOut[]): string[] {
  return leftOut.map((l) => {
    const [one, many] = SOURCE_NOUN[l.source];
    const more = l.count - l.names.length;
    const names = l.names.length ? `: ${l.names.join(', ')}${more > 0 ? `, … and ${more} more` : ''}` : '';
    return `${l.count} ${l.count === 1 ? one : many} ${l.why} ${l.count === 1 ? 'is' : 'are'} not on the timeline (${l.analysis})${names}`;
  });
}

/**
 * Columns of the timeline table: time (display zone), source, analysis, event, detail, ref. The Event text is what
 * tells rows apart, so it keeps its room (analyst trial 8: at a ~1040 px panel with a row's detail open only Time,
 * Source and Analysis showed, six offense rows all "Offenses · qradar"; at ~650 px Event showed 2–3 letters):
 * - Time is as wide as its times (`2026-03-05 17:58:31`), titled `Time`: the display zone is in its header's tooltip
 *   (`description`), the page's subtitle and *Times in*, and in its CSV header `Time (<zone>)` (`exportTitle`; the export
 *   adds `Time (UTC)` after it, store.ts exportLayout) — a header `Time (America/New_York)` made the column ~220 px;
 * - Source and Analysis step aside while the detail pane stands beside the table (`besideDetail: 'hide'`: the detail
 *   gives both), and are no wider than their values need.
 */
export function timelineColumns(zone: string): StoreColumn<TimelineEvent>[] {
  return [
    {
      id: 'time',
      title: 'Time',
      description: `in the display zone, ${zone} (Times in, at the top of the page; the detail also gives it in UTC)`,
      exportTitle: `Time (${zone})`,
      type: 'time',
      // (its times, `2026-03-05 17:58:31`, take ~138 px in the editor's 13 px UI font: room for wider fonts)
      width: 160,
      get: (e) => e.time,
      format: (e) => formatTime(e.time, zone),
    },
    // wide enough for its longest value, "Connection pairs" (100 px cut it to "Connection…")
    { id: 'source', title: 'Source', type: 'text', width: 128, besideDetail: 'hide', get: (e) => e.source },
    { id: 'analysis', title: 'Analysis', type: 'text', width: 130, besideDetail: 'hide', get: (e) => e.analysis },
    { id: 'event', title: 'Event', type: 'text', width: 480, get: (e) => e.event },
    { id: 'detail', title: 'Detail', type: 'text', width: 240, get: (e) => e.detail },
    { id: 'ref', title: 'Location', type: 'text', width: 220, hidden: true, get: (e) => (e.ref ? `${e.ref.file}:${e.ref.line}` : undefined) },
  ];
}

const SOURCES: TimelineSource[] = ['Findings', 'Offenses', 'Connection pairs', 'Cases'];
/** Card id of each source (stable ids for tests and the Results tree). */
const SOURCE_CARD: Record<TimelineSource, string> = { Findings: 'findings', Offenses: 'offenses', 'Connection pairs': 'pairs', Cases: 'cases' };

/** Bucket of the events-over-time chart, finest first. */
export type TimelineBucket = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
const BUCKETS: TimelineBucket[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
/** Most bars the events-over-time chart draws: more make thin slivers and an axis that is a wall of labels. */
export const MAX_TIMELINE_BARS = 60;
/** Label of a bucket start (ISO week for weeks, `2024-Q2` for quarters). */
const BUCKET_FORMAT: Record<TimelineBucket, string> = { hour: "yyyy-MM-dd HH':00'", day: 'yyyy-MM-dd', week: "kkkk-'W'WW", month: 'yyyy-MM', quarter: "yyyy-'Q'q", year: 'yyyy' };

/**
 * The finest bucket (hour, day, week, month, quarter, year) that covers `[min, max]` (epoch ms) in
 * `zone` with at most `maxBars` buckets, the label of every bucket from the first to the last
 * (empty ones included) and the start of each (epoch ms). A span of years gets months or quarters, one day gets hours.
 * The hour that occurs twice when clocks go back (02:00 in Europe/Berlin on 2026-10-25) is two buckets, labelled with
 * their offsets (`2026-10-25 02:00 +02:00`, `… +01:00`); an hour skipped when clocks go forward has no bucket.
 */
export function timelineBuckets(min: number, max: number, zone: string, maxBars = MAX_TIMELINE_BARS): { bucket: TimelineBucket; labels: string[]; starts: number[] } {
  let labels: string[] = [];
  let starts: number[] = [];
  let bucket: TimelineBucket = 'year';
  for (const b of BUCKETS) {
    labels = [];
    starts = [];
    const end = DateTime.fromMillis(max, { zone });
    // luxon adds hours as elapsed time: after the first 02:00 of a fall-back day comes the second 02:00
    for (let d = DateTime.fromMillis(min, { zone }).startOf(b); d <= end && labels.length <= maxBars; d = d.plus({ [b]: 1 })) {
      labels.push(d.toFormat(BUCKET_FORMAT[b]));
      starts.push(d.toMillis());
    }
    bucket = b;
    if (labels.length <= maxBars) break;
  }
  // an hour that occurs twice: both labels name their offset (the same label twice counted both hours in the second bar)
  const n = new Map<string, number>();
  for (const l of labels) n.set(l, (n.get(l) ?? 0) + 1);
  labels = labels.map((l, i) => ((n.get(l) ?? 0) > 1 ? `${l} ${DateTime.fromMillis(starts[i], { zone }).toFormat('ZZ')}` : l));
  return { bucket, labels, starts };
}

/** A run of at least this many empty buckets between two with events is drawn as one gap bar by {@link timelineBars}. */
export const TIMELINE_GAP_MIN = 4;

/** The bars of the events-over-time chart ({@link timelineBars}). */
export interface TimelineBars {
  bucket: TimelineBucket;
  /** Label per bar: its bucket's start ({@link timelineBuckets}), or for a gap bar its length, `… 27 months …`. */
  labels: string[];
  /** Start of each bar's bucket, epoch ms (a gap bar: its first empty bucket). */
  starts: number[];
  /** Per bar: for a gap bar the stretch it stands for (`2022-01-20 – 2024-04-18: no events (2 years)`), else undefined. */
  gaps: (string | undefined)[];
}

const UNIT_PLURAL: Record<TimelineBucket, string> = { hour: 'hours', day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };

/** The length of the stretch `from` … `to` in the largest unit it holds twice or more (`27 months`, `5 days`, `7 hours`). */
function stretch(from: DateTime, to: DateTime): string {
  for (const unit of ['years', 'months', 'days'] as const) {
    const n = Math.floor(to.diff(from, unit).as(unit));
    if (n >= 2) return `${n.toLocaleString('en-US')} ${unit}`;
  }
  const h = Math.round(to.diff(from, 'hours').as('hours'));
  return `${h} ${h === 1 ? 'hour' : 'hours'}`;
}

/**
 * The bars of the events-over-time chart for events at `times` (epoch ms, any order, at least one) in `zone`: the
 * buckets of {@link timelineBuckets} when they are hours, when at least half of them hold events, or when no finer
 * bucket does better; else the finest bucket in which the buckets with events, the runs of fewer than
 * {@link TIMELINE_GAP_MIN} empty buckets between them, and one gap bar for each longer run (no events; labelled with its
 * length, `… 27 months …`, its stretch in `gaps`; at most a quarter of the bars) make at most `maxBars` bars.
 * New-user trial: Loki 2021, Zeek 2024 and QRadar and cases of 2026 made 54 months of hairline bars, 49 of them empty;
 * now the days with events, the long empty stretches one bar each. Every instant with events lies in exactly one
 * non-gap bar's bucket, also when even years are too many for `maxBars` plain bars (a stray year-0001 time beside
 * 2026's: gap bars are then used whatever their share), unless the events fall in more than `maxBars` distinct years.
 */
export function timelineBars(times: readonly number[], zone: string, maxBars = MAX_TIMELINE_BARS): TimelineBars {
  let min = Infinity;
  let max = -Infinity;
  // one instant per quarter hour with events (zone offsets in use are whole quarter hours): the buckets of many events cost little
  const slots = new Map<number, number>();
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
    const k = Math.floor(t / 900_000);
    if (!slots.has(k)) slots.set(k, t);
  }
  const plain = timelineBuckets(min, max, zone, maxBars);
  const asPlain = (): TimelineBars => ({ ...plain, gaps: plain.labels.map(() => undefined) });
  // Even years did not fit (a stray `0001-01-01` case or Loki finding beside 2026's): the plain bars stop after maxBars
  // years and every later event had no bar — the real ones vanished from the chart. Then the buckets with gap bars
  // are tried up to years, without the one-gap-in-four rule (a chart of a few bars between gaps beats a chart without
  // the events).
  const cut = plain.labels.length > maxBars;
  if (plain.bucket === 'hour' && !cut) return asPlain();
  const reps = [...slots.values()];
  // most of the plain buckets with events: drawn as they are
  const filled = new Set(reps.map((t) => DateTime.fromMillis(t, { zone }).startOf(plain.bucket).toMillis())).size;
  if (!cut && filled * 2 >= plain.labels.length) return asPlain();
  // (when cut, a second pass takes the finest bucket that fits at all: gap bars whatever their share)
  for (const strict of cut ? [true, false] : [true]) {
    for (const b of BUCKETS) {
      if (b === plain.bucket && !cut) break;
      const occ = [...new Set(reps.map((t) => DateTime.fromMillis(t, { zone }).startOf(b).toMillis()))].sort((x, y) => x - y);
      if (occ.length > maxBars) continue;
      const starts: number[] = [];
      const gaps: (string | undefined)[] = [];
      const labels: string[] = [];
      const label = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat(BUCKET_FORMAT[b]);
      for (let i = 0; i < occ.length && starts.length <= maxBars; i++) {
        starts.push(occ[i]);
        labels.push(label(occ[i]));
        gaps.push(undefined);
        if (i === occ.length - 1) break;
        // the empty buckets up to the next one with events: drawn when few, else one gap bar
        const empty: number[] = [];
        for (let d = DateTime.fromMillis(occ[i], { zone }).plus({ [b]: 1 }); d.toMillis() < occ[i + 1] && empty.length < TIMELINE_GAP_MIN; d = d.plus({ [b]: 1 })) empty.push(d.toMillis());
        if (empty.length < TIMELINE_GAP_MIN) {
          for (const e of empty) {
            starts.push(e);
            labels.push(label(e));
            gaps.push(undefined);
          }
          continue;
        }
        const span = stretch(DateTime.fromMillis(empty[0], { zone }), DateTime.fromMillis(occ[i + 1], { zone }));
        const last = DateTime.fromMillis(occ[i + 1], { zone }).minus({ [b]: 1 });
        starts.push(empty[0]);
        labels.push(`… ${span} …`);
        gaps.push(`${label(empty[0])} – ${last.toFormat(BUCKET_FORMAT[b])}: no events (${span})`);
      }
      // (a chart of isolated bars between gaps says little: at most one bar in four a gap)
      const nGaps = gaps.filter((g) => g !== undefined).length;
      if (starts.length <= maxBars && (!strict || nGaps * 4 <= starts.length)) return { bucket: b, labels, starts, gaps };
    }
  }
  // (events in more than maxBars distinct years: the chart says how many events it does not draw, see buildTimelineDashboard)
  return asPlain();
}

/**
 * The time span of each bar of {@link timelineBars}, `[from, to)` in epoch ms UTC: a bar's bucket, from its start to the
 * start of the next bucket in `zone` (a day of 23 or 25 hours when clocks change, each of the two 02:00 hours of a
 * fall-back day one hour); `null` for a gap bar (no events in it: nothing to zoom to). Every event of a bar's count lies
 * in its span, so a zoom to it shows exactly the bar's events.
 */
export function timelineSpans(bars: Pick<TimelineBars, 'bucket' | 'starts' | 'gaps'>, zone: string): ([number, number] | null)[] {
  return bars.starts.map((start, i) => (bars.gaps[i] !== undefined ? null : [start, DateTime.fromMillis(start, { zone }).plus({ [bars.bucket]: 1 }).toMillis()]));
}

/**
 * The timeline dashboard: a card per source (click filters the table), events over time in the
 * display zone stacked by source (the bars of {@link timelineBars}: at most {@link MAX_TIMELINE_BARS}, empty buckets
 * included but long empty stretches one gap bar each, the bucket named in the title; a click on a bar zooms the table
 * to its span, {@link timelineSpans}), events per analysis, and the table sorted by time. `leftOut` (from
 * {@link timelineOf}, one per analysis that has any): what is not on the timeline for want of a valid time, said in an
 * info notice *Not on the timeline* ({@link timelineLeftOutLines}), never left out quietly.
 */
export function buildTimelineDashboard(events: TimelineEvent[], analyses: number, zone: string, leftOut: readonly TimelineLeftOut[] = []): DashboardModel {
  const bySource = new Map<TimelineSource, number>();
  for (const e of events) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);
  const ofSource = (s: TimelineSource) => bySource.get(s) ?? 0;
  const present = SOURCES.filter((s) => ofSource(s) > 0);
  const charts: ChartSeries[] = [];
  if (events.length) {
    const { bucket, labels, starts, gaps } = timelineBars(events.map((e) => e.time), zone);
    const skipped = gaps.some((g) => g !== undefined);
    const spans = timelineSpans({ bucket, starts, gaps }, zone);
    // An event's bar: the last bar starting at or before it, when the event is inside that bar's span (its bucket in
    // `zone`: the two 02:00 hours of a fall-back day are two bars). A binary search over the bars' starts: a luxon
    // DateTime per event (startOf the bucket) took 12.4 s for the 597,205 findings of 400 endpoints, on the host.
    const barOf = (t: number): number => {
      let lo = 0;
      let hi = starts.length - 1;
      if (hi < 0 || !(t >= starts[0])) return -1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= t) lo = mid;
        else hi = mid - 1;
      }
      const sp = spans[lo];
      return sp !== null && t < sp[1] ? lo : -1;
    };
    const per = new Map(present.map((s) => [s, labels.map(() => 0)]));
    let outside = 0;
    for (const e of events) {
      const j = barOf(e.time);
      if (j >= 0) per.get(e.source)![j]++;
      else outside++;
    }
    const notes: string[] = [];
    if (skipped) notes.push(`${TIMELINE_GAP_MIN} or more ${UNIT_PLURAL[bucket]} in a row without events are one empty bar, labelled with their length (… 2 years …).`);
    // never silently: an event without a bar (events in more years than the chart has bars) is counted here
    if (outside > 0) notes.push(`${count(outside, 'event')} not drawn: the chart shows ${count(labels.length, bucket)} from ${labels[0] ?? '-'}; every event is in the table.`);
    charts.push({
      id: 'per-day',
      title: `Events per ${bucket} by source (${zone})${skipped ? ', long empty stretches skipped' : ''}`,
      ...(notes.length ? { note: notes.join(' ') } : {}),
      labels,
      ...(skipped ? { tooltips: gaps.map((g) => g ?? '') } : {}),
      values: labels.map((_, j) => present.reduce((a, s) => a + per.get(s)![j], 0)),
      orientation: 'vertical',
      stacked: true,
      axes: { label: `${bucket[0].toUpperCase()}${bucket.slice(1)} (${zone})`, value: 'Events' },
      datasets: present.map((s) => ({ label: s, values: per.get(s)!, facetValue: s })),
      // a click on a bar zooms the table to its span (the cards filter by source)
      timeSpans: { column: 'time', spans },
    });
    const byAnalysis = new Map<string, number>();
    for (const e of events) byAnalysis.set(e.analysis, (byAnalysis.get(e.analysis) ?? 0) + 1);
    const ba = [...byAnalysis.entries()].sort((a, b) => b[1] - a[1]);
    charts.push({ id: 'per-analysis', title: 'Events per analysis', labels: ba.map((x) => x[0]), values: ba.map((x) => x[1]), facetColumn: 'analysis', axes: { label: 'Analysis', value: 'Events' } });
  }
  const cols: ColumnDef[] = toColumnDefs(timelineColumns(zone));
  const notices: DashboardNotice[] = [];
  // no analysis yet: say where the events come from (a trial read "0 events from 0 open analyses" as a fault)
  if (analyses === 0)
    notices.push({ id: 'no-analyses', severity: 'info', title: 'No analysis yet', lines: ['The timeline merges the events of every analysis in the SOC Analytics Results view: run Analyze Loki Results…, Analyze QRadar Offenses…, Detect Beacons… or Analyze Cases… (right-click files or folders in the Explorer): their events appear here as the analyses come in.'] });
  const leftOutTotal = leftOut.reduce((a, l) => a + l.count, 0);
  if (leftOutTotal > 0) notices.push({ id: 'left-out', severity: 'info', title: `Not on the timeline: ${count(leftOutTotal, 'item')} without a valid time`, lines: timelineLeftOutLines(leftOut) });
  return {
    kind: 'timeline',
    title: 'Merged timeline',
    subtitle: `${count(events.length, 'event')} from ${count(analyses, 'analysis', 'analyses')} of the Results view — times in ${zone}`,
    ...(notices.length ? { notices } : {}),
    cards: [
      { id: 'events', label: noun(events.length, 'Event'), value: events.length, tone: 'info' },
      ...SOURCES.map((s) => ({ id: SOURCE_CARD[s], label: s, value: ofSource(s), tone: 'info' as const, facet: { source: s } })),
    ],
    charts,
    tables: [],
    columns: cols,
    totalRows: events.length,
    rowNoun: 'events',
    tableTitle: 'Timeline',
    displayZone: zone,
    problems: { count: 0, sample: [] },
  };
}

/** Detail of one event. */
export function timelineDetail(e: TimelineEvent, id: number, zone: string): RowDetail {
  const fields = [
    { label: `Time (${zone})`, value: formatTime(e.time, zone) },
    { label: 'Time (UTC, ISO 8601)', value: isoUtc(e.time) },
    { label: 'Source', value: e.source },
    { label: 'Analysis', value: e.analysis },
    { label: 'Event', value: e.event },
  ];
  if (e.detail) fields.push({ label: 'Detail', value: e.detail });
  if (e.ref) fields.push({ label: 'Location', value: `${e.ref.file}:${e.ref.line}` });
  // (the reveal button named by what it opens, as in the event's own dashboard; a connection pair has none: it is
  // aggregated from many connections, as in the beacon dashboard)
  return { row: id, title: e.event, fields, sections: [], canReveal: !!e.ref && e.ref.line > 0, ...(e.reveal ? { reveal: e.reveal } : {}), ...(e.source === 'Connection pairs' ? { noReveal: true } : {}) };
}
