import { createHash } from 'node:crypto';
/**
 * SOC KPI report as a self-contained HTML file (tables, definitions, charts embedded as SVG images in
 * `data:` URIs; no script, no external resource; a CSP meta tag allows only inline styles and data
 * images) and as Markdown (the same tables; charts as tables). Pure (no vscode, no DOM).
 *
 * Every input-derived text is escaped: HTML text/attributes with {@link escapeHtml}, SVG text with
 * the same escaping (and XML-invalid control characters replaced) before base64 encoding, Markdown table cells with {@link escapeMarkdownCell}.
 */
import { analystChartLeftOut, analystSummary, analystTableRows, countedAs, workloadRowLabel, formatDuration, shiftHoursText, formatRate, type DurationStats, type Kpi, type KpiReport } from '../analyze/kpi';
import { count, grouped } from '../analyze/dashboard-kit';
import { rulesErrorLocation, rulesErrorText, type RulesInfo } from '../analyze/kpi-run';
import { tagColorLight, tagSlot } from '../analyze/tag-colors';
import { formatTime, isoUtc } from '../time';
import { terminalSafe } from '../text-safe';
import { escapeMarkdownCell } from './markdown-escape';
import { pathBelow } from '../path-names';

export { defangIocs, escapeMarkdownCell } from './markdown-escape';

/**
 * Escapes `& < > " '` for HTML/XML text and attribute values, and writes control characters and bidi
 * overrides/isolates as the text `\u202e` ({@link terminalSafe}; line breaks and tabs kept): an account
 * name with U+202E would otherwise show as another name in the HTML report (hostile review).
 */
export function escapeHtml(s: unknown): string {
  return terminalSafe(String(s ?? ''), true).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// ------------------------------------------------------------------------------------ charts

/** Characters XML 1.0 does not allow (C0 controls other than TAB, LF, CR; U+FFFE, U+FFFF): one of them in a label made the whole SVG chart unreadable (a broken image). */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** SVG text: {@link escapeHtml} with XML-invalid characters shown as U+FFFD. */
function svgText(s: unknown): string {
  return escapeHtml(String(s ?? '').replace(XML_INVALID, '\ufffd'));
}

const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#f97316', '#84cc16', '#ec4899', '#64748b', '#a855f7', '#14b8a6'];

function fmtNum(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, '');
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** A horizontal bar chart as SVG text (labels left, value at the bar end); `colors`: one fill per bar (default: one colour). */
export function svgBarChart(title: string, labels: string[], values: number[], opts: { width?: number; valueText?: (v: number, i: number) => string; colors?: string[] } = {}): string {
  const width = opts.width ?? 640;
  const row = 22;
  const top = 30;
  const labelW = 220;
  const h = top + Math.max(1, labels.length) * row + 10;
  const max = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : m), 1);
  const barMax = width - labelW - (opts.valueText ? 170 : 70);
  const vt = opts.valueText ?? fmtNum;
  let body = '';
  labels.forEach((l, i) => {
    const v = Number.isFinite(values[i]) ? values[i] : 0;
    const y = top + i * row;
    const w = Math.max(v > 0 ? 1 : 0, (v / max) * barMax);
    body +=
      `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12">${svgText(truncate(l, 34))}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="${opts.colors?.[i] ?? PALETTE[0]}"/>` +
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 15}" font-size="12">${svgText(vt(values[i], i))}</text>`;
  });
  if (labels.length === 0) body = `<text x="10" y="${top + 15}" font-size="12">no data</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><text x="10" y="18" font-size="14" font-weight="bold">${svgText(title)}</text>${body}</svg>`
  );
}

/** A vertical stacked bar chart (one bar per category, one colour per series — its `color`, else by position —, legend below) as SVG text. */
export function svgStackedBars(title: string, categories: string[], series: { name: string; values: number[]; color?: string }[], opts: { width?: number } = {}): string {
  const width = opts.width ?? Math.max(360, 60 + categories.length * 56);
  const top = 30;
  const plotH = 200;
  const left = 40;
  const legendRows = Math.ceil(series.length / 4);
  const h = top + plotH + 40 + legendRows * 18 + 10;
  const totals = categories.map((_, j) => series.reduce((a, s) => a + (s.values[j] || 0), 0));
  const max = totals.reduce((m, v) => Math.max(m, v), 1);
  const slot = (width - left - 10) / Math.max(1, categories.length);
  const bw = Math.min(40, slot * 0.7);
  let body = `<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#888"/>`;
  body += `<text x="${left - 4}" y="${top + 10}" text-anchor="end" font-size="11">${fmtNum(max)}</text><text x="${left - 4}" y="${top + plotH}" text-anchor="end" font-size="11">0</text>`;
  categories.forEach((c, j) => {
    const x = left + j * slot + (slot - bw) / 2;
    let y = top + plotH;
    series.forEach((s, k) => {
      const v = s.values[j] || 0;
      if (v <= 0) return;
      const bh = (v / max) * plotH;
      y -= bh;
      body += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${s.color ?? PALETTE[k % PALETTE.length]}"/>`;
    });
    body += `<text x="${(x + bw / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="11">${fmtNum(totals[j])}</text>`;
    body += `<text x="${(x + bw / 2).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle" font-size="10">${svgText(truncate(c, 10))}</text>`;
  });
  series.forEach((s, k) => {
    const lx = 10 + (k % 4) * ((width - 20) / 4);
    const ly = top + plotH + 34 + Math.floor(k / 4) * 18;
    body += `<rect x="${lx.toFixed(1)}" y="${ly - 9}" width="10" height="10" fill="${s.color ?? PALETTE[k % PALETTE.length]}"/><text x="${(lx + 14).toFixed(1)}" y="${ly}" font-size="11">${svgText(truncate(s.name, 22))}</text>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(0)}" height="${h}" viewBox="0 0 ${width.toFixed(0)} ${h}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><text x="10" y="18" font-size="14" font-weight="bold">${svgText(title)}</text>${body}</svg>`
  );
}

/** `<img>` with the SVG as a base64 `data:` URI (self-contained; the alt text is escaped). */
export function svgImg(svg: string, alt: string): string {
  return `<img alt="${escapeHtml(alt)}" src="data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}">`;
}

// ------------------------------------------------------------------------------------ summary

export interface SummaryRow {
  id: string;
  title: string;
  /** Value text, or `unavailable: <reason>`. */
  value: string;
  available: boolean;
  definition: string;
}

function statsText(s: DurationStats): string {
  return `median ${formatDuration(s.median)} · p90 ${formatDuration(s.p90)} · mean ${formatDuration(s.mean)} (n = ${grouped(s.n)})`;
}

/** ` — note; note` of a KPI's own notes (empty without notes). */
function notesText(kpi: Kpi<unknown>): string {
  return kpi.available && kpi.notes?.length ? ` — ${kpi.notes.join('; ')}` : '';
}

/** One line per KPI (value text and definition), shared by the HTML, Markdown and the dashboard. */
export function kpiSummaryRows(r: KpiReport): SummaryRow[] {
  const k = r.kpis;
  const row = <T>(kpi: Kpi<T>, text: (v: T) => string): SummaryRow =>
    kpi.available
      ? { id: kpi.id, title: kpi.title, value: text(kpi.value), available: true, definition: kpi.definition }
      : { id: kpi.id, title: kpi.title, value: `unavailable: ${kpi.reason}`, available: false, definition: kpi.definition };
  return [
    row(
      k.volume,
      (v) =>
        `${count(v.totalPerWeek.reduce((a, b) => a + b, 0), 'case')} in ${count(v.weeks.length, 'week')}` +
        (v.withoutCreated ? ` (${grouped(v.withoutCreated)} without created time)` : '') +
        (v.outsideWeeks ? ` (${grouped(v.outsideWeeks)} created in earlier weeks, not listed)` : '') +
        (v.notSplitByTag ? ' — not split by tag: the tagging rules file could not be used (the cases were not tagged)' : ''),
    ),
    row(k.escalationRate, (v) => `${formatRate(v.rate)} (${grouped(v.escalated)} of ${grouped(v.closed)})` + notesText(k.escalationRate)),
    row(k.falsePositiveRate, (v) => `${formatRate(v.rate)} (${grouped(v.falsePositives)} of ${grouped(v.closed)})` + notesText(k.falsePositiveRate)),
    // cases left out of a duration (ack before created, a reopened case's old closed time) are said beside its numbers
    row(k.mtta, (v) => statsText(v) + notesText(k.mtta)),
    row(k.mttr, (v) => statsText(v) + notesText(k.mttr)),
    row(k.workloadPerAnalyst, (v) => analystSummary(v) + notesText(k.workloadPerAnalyst)),
    // the shifts' hours and zone beside the numbers (the shift zone, not the display zone: the SOC's rota)
    row(k.workloadPerShift, (v) => v.map((s) => `${s.shift}: ${grouped(s.created)} created, ${grouped(s.closed)} closed`).join(' · ') + ` — ${shiftHoursText(r.shiftZone, r.shifts)}` + notesText(k.workloadPerShift)),
    // the notes but the acknowledged-times one, which slaSummary says
    row(k.slaBreaches, (v) => {
      const notes = k.slaBreaches.available ? k.slaBreaches.notes?.filter((n) => !n.startsWith('acknowledge targets not checked')) : undefined;
      return slaSummary(v) + (notes?.length ? ` — ${notes.join('; ')}` : '');
    }),
    // the statistics named in the backlog definition (median, 90th percentile, mean and oldest), in its order; the
    // QRadar HIDDEN offenses left out are said beside the count (only --json `hidden` and the definition said it)
    row(k.backlog, (v) => {
      return `${grouped(v.open)} open` + (v.hidden ? ` (${count(v.hidden, 'hidden offense')} left out)` : '') + (v.age ? `; age median ${formatDuration(v.age.median)} · p90 ${formatDuration(v.age.p90)} · mean ${formatDuration(v.age.mean)} · oldest ${formatDuration(v.age.max)} (n = ${grouped(v.age.n)})` : '') + notesText(k.backlog);
    }),
  ];
}

/** The SLA counts, each labelled (never added together): `1 acknowledge breach (1 never acknowledged) · 1 close breach · 1 open past the close target`. */
export function slaSummary(v: Extract<KpiReport['kpis']['slaBreaches'], { available: true }>['value']): string {
  const t = v.totals;
  const pl = (n: number, w: string) => `${grouped(n)} ${w}${n === 1 ? '' : w.endsWith('h') ? 'es' : 's'}`;
  const ack = v.ackUnavailable ? 'acknowledge breaches: not checked (no acknowledged times)' : `${pl(t.ackBreaches, 'acknowledge breach')}${t.ackBreachesUnacknowledged ? ` (${grouped(t.ackBreachesUnacknowledged)} never acknowledged)` : ''}`;
  return `${ack} · ${pl(t.closeBreaches, 'close breach')} · ${grouped(t.openOverdue)} open past the close target`;
}

// ------------------------------------------------------------------------------------ tables

/**
 * The tag of a case matched by several rules, with the other matches (tags of the matching rules in
 * rule order; the first one tags the case): `Logon (also matched: PortScan, AV)`. The same wording on
 * the dashboard and in the report (an arrow between tags read like a re-tag).
 */
export function matchedTagsText(tags: string[]): string {
  if (tags.length === 0) return '';
  const also = alsoMatched(tags);
  return also.length ? `${tags[0]} (also matched: ${also.join(', ')})` : tags[0];
}

/** The tags of the other matching rules (after the first, which tags the case), each once and not the case's own tag. */
export function alsoMatched(tags: string[]): string[] {
  return tags.slice(1).filter((t, i, a) => t !== tags[0] && a.indexOf(t) === i);
}

interface Table {
  title: string;
  header: string[];
  rows: (string | number)[][];
  /** Ids for cells, for tests (`rowKey` index → `data-key`). */
  keyColumn?: number;
}

function durRow(label: string, kpi: Kpi<DurationStats>): (string | number)[] {
  if (!kpi.available) return [label, `unavailable: ${kpi.reason}`, '', '', '', '', ''];
  return statsRow(label, kpi.value);
}

/** A row of the durations table: label, n, median, p90, mean, min, max (one unit for the row). */
function statsRow(label: string, s: DurationStats): (string | number)[] {
  // each value in the one duration format (formatDuration: `1 min` … `1 h`, never `60 s` beside `60 min`, nor `60 min` beside `2 h`)
  return [label, s.n, formatDuration(s.median), formatDuration(s.p90), formatDuration(s.mean), formatDuration(s.min), formatDuration(s.max)];
}

/** Every detail table of the report (HTML and Markdown render the same list). */
export function reportTables(r: KpiReport): Table[] {
  const k = r.kpis;
  const t: Table[] = [];
  if (r.taggingUnavailable) t.push({ title: 'Cases per tag', header: ['Status'], rows: [[`unavailable: ${r.taggingUnavailable}`]] });
  else t.push({ title: 'Cases per tag', header: ['Tag', 'Cases'], rows: r.tags.map((x) => [x.tag, x.count]) });
  if (k.volume.available) {
    const v = k.volume.value;
    if (v.notSplitByTag) t.push({ title: 'Volume per week (not split by tag: the tagging rules file could not be used)', header: ['', ...v.weeks], rows: [['Cases created', ...v.totalPerWeek]] });
    else t.push({ title: 'Volume per tag per week', header: ['Tag', ...v.weeks], rows: [...v.tags.map((tag, i) => [tag, ...v.counts[i]]), ['Total', ...v.totalPerWeek]] });
  }
  const people = k.mttr.available && k.mttr.value.withoutAutomation ? k.mttr.value.withoutAutomation : undefined;
  t.push({
    title: 'Time to acknowledge and to resolve',
    header: ['KPI', 'n', 'Median', 'p90', 'Mean', 'Min', 'Max'],
    rows: [
      durRow('MTTA (created → acknowledged)', k.mtta),
      durRow('MTTR, R = resolve (created → closed)', k.mttr),
      // the cases people closed (automation accounts close in seconds)
      ...(people ? [statsRow('MTTR without automation accounts', people)] : []),
    ],
  });
  if (k.falsePositiveRate.available) {
    const v = k.falsePositiveRate.value;
    if (v.perTagUnavailable) t.push({ title: 'False-positive rate per tag', header: ['Status'], rows: [[`unavailable: ${v.perTagUnavailable}`]] });
    else t.push({ title: 'False-positive rate per tag', header: ['Tag', 'Closed', 'False positives', 'FP rate'], rows: v.perTag.map((g) => [g.key, g.closed, g.falsePositives, formatRate(g.rate)]) });
    if (v.perRule) t.push({ title: 'False-positive rate per rule', header: ['Rule', 'Closed', 'False positives', 'FP rate'], rows: v.perRule.map((g) => [g.key, g.closed, g.falsePositives, formatRate(g.rate)]) });
    else t.push({ title: 'False-positive rate per rule', header: ['Status'], rows: [[`unavailable: ${v.perRuleUnavailable ?? ''}`]] });
  }
  if (k.workloadPerAnalyst.available)
    t.push({
      title: 'Workload per analyst',
      // "Counted as" tells an analyst named "(unassigned)" from the built-in row of that label
      header: ['Analyst', 'Cases', 'Open', 'Closed', 'False positives', 'Median time to close', 'Counted as'],
      rows: analystTableRows(k.workloadPerAnalyst.value).map((a) => [workloadRowLabel(a), a.cases, a.open, a.closed, a.falsePositives, formatDuration(a.medianTimeToCloseMs), countedAs(a)]),
    });
  if (k.workloadPerShift.available) t.push({ title: `Workload per shift — ${shiftHoursText(r.shiftZone, r.shifts)}`, header: ['Shift', 'Created', 'Closed'], rows: k.workloadPerShift.value.map((s) => [s.shift, s.created, s.closed]) });
  if (k.slaBreaches.available) {
    const v = k.slaBreaches.value;
    t.push({
      title: 'SLA breaches per severity',
      header: ['Severity', 'Cases', 'Ack target', 'Ack checked', 'Ack breaches', 'of which never acknowledged', 'Close target', 'Closed checked', 'Close breaches', 'Close breach rate', 'Open past close target'],
      rows: [
        ...v.rows.map((x) => [
          x.severity,
          x.cases,
          formatDuration(x.target.acknowledgeMinutes === undefined ? undefined : x.target.acknowledgeMinutes * 60_000), // `4 h`, not `240 min`
          x.ackChecked,
          x.ackBreaches,
          x.ackBreachesUnacknowledged,
          formatDuration(x.target.closeMinutes === undefined ? undefined : x.target.closeMinutes * 60_000), // `4 h`, not `240 min`
          x.closeChecked,
          x.closeBreaches,
          formatRate(x.closeBreachRate),
          x.openOverdue,
        ]),
        ...(v.casesWithoutTarget ? [[`(no SLA target)`, v.casesWithoutTarget, '', '', '', '', '', '', '', '', '']] : []),
      ],
    });
  }
  if (k.backlog.available) {
    const v = k.backlog.value;
    t.push({ title: 'Open backlog by age', header: ['Age', 'Open cases'], rows: [...v.buckets.map((b) => [b.label, b.count]), ['Total open', v.open]] });
  }
  const c = r.coverage;
  if (c) {
    t.push({
      title: 'Tagging rules coverage (rules in order; the first matching rule tags a case)',
      header: ['#', 'Tag', 'Matches', 'Tags (first match)', 'Note'],
      rows: c.rules.map((x) => [x.index + 1, x.tag, x.matches, x.wins, x.disabled ? x.disabled : x.matches === 0 ? 'never matches' : x.wins === 0 ? 'never wins (earlier rules match first)' : '']),
    });
    t.push({
      title: `Cases matched by several rules (${c.multiMatched.count})`,
      header: ['Line', 'Id', 'Title', 'Rules (in order)', 'Tag (first matching rule)'],
      rows: c.multiMatched.examples.map((e) => [e.line ?? '', e.id ?? '', e.text, e.rules.map((i) => `#${i + 1}`).join(', '), matchedTagsText(e.tags)]),
    });
    t.push({ title: `Largest unmatched groups (${count(c.unmatched.count, 'case')} untagged)`, header: ['Title (example)', 'Cases'], rows: c.unmatched.groups.slice(0, 20).map((g) => [g.text, g.count]) });
  }
  return t;
}

// ------------------------------------------------------------------------------------ documents

export interface ReportMeta {
  title: string;
  /** Input file names (shown as text; relative to `baseDir` when below it). */
  inputs: string[];
  rulesFile?: string;
  /**
   * The folder the report's paths are shown relative to (the CLI's working directory, the extension's workspace
   * folder): the inputs, the tagging rules file and the files of the problems, when they are in it or below it
   * (`cases/week1.csv`); paths outside it, and every path without it, are shown absolute as given ({@link pathBelow}).
   */
  baseDir?: string;
  /** Which rules tagged the cases (takes precedence over `rulesFile`); an unusable rules file is shown as an alert at the top. */
  rules?: RulesInfo;
  /** Errors to list (first 100). */
  errors?: { file: string; line: number; message: string }[];
  /** When the report was generated (epoch ms); shown beside the as-of time of the numbers. Default: now. */
  generatedAt?: number;
}

/**
 * `20260310T120000Z` (`yyyyMMddTHHmmssZ`): the UTC time of a report file name (unambiguous whatever
 * the display zone), to the second — milliseconds are dropped (truncated, never rounded up).
 */
export function reportFileStamp(ms: number): string {
  return isoUtc(Math.floor(ms / 1000) * 1000).replace(/[-:]/g, '');
}

/** `2026-03-10 15:00:00 (Asia/Riyadh) = 2026-03-10T12:00:00Z`: a time in the display zone and in UTC. */
function timeText(ms: number, zone: string): string {
  const utc = isoUtc(ms);
  return zone === 'UTC' ? `${formatTime(ms, zone)} (UTC)` : `${formatTime(ms, zone)} (${zone}) = ${utc}`;
}

/** The as-of line: the time the numbers were computed for, and what depends on it. */
function asOfText(r: KpiReport): string {
  return `${timeText(r.asOf, r.zone)} — the cases as they stood then: cases created later are left out, closes and acknowledgements made later do not count yet; backlog ages and SLA checks are measured at this time`;
}

/** The "Cases" header value: the cases counted, and those of the input created after the as-of time (`7 (3 more in the input, created after the as-of time, are left out)`). */
export function casesCountText(r: KpiReport): string {
  const later = r.asOfCut?.createdAfter ?? 0;
  return later ? `${r.cases} (${later} more in the input, created after the as-of time, ${later === 1 ? 'is' : 'are'} left out)` : String(r.cases);
}

/** The "Tagging rules" header value. */
function rulesText(meta: ReportMeta): string {
  const r = meta.rules;
  const shown = (p: string) => pathBelow(p, meta.baseDir);
  if (!r) return meta.rulesFile !== undefined ? shown(meta.rulesFile) : 'seed rules (built in)';
  if (r.error) return `NOT USED — ${rulesErrorLocation({ ...r.error, file: shown(r.error.file) })}: ${r.error.message}; the cases were not tagged`;
  return r.source === 'file' && r.file ? shown(r.file) : 'seed rules (built in)';
}

/** The rules error of the report's alert line, its file as the report shows paths ({@link ReportMeta.baseDir}). */
function rulesAlertText(error: NonNullable<RulesInfo['error']>, baseDir: string | undefined): string {
  return rulesErrorText({ ...error, file: pathBelow(error.file, baseDir) });
}

function periodText(r: KpiReport): string {
  const f = formatTime(r.period.from, r.zone);
  const t = formatTime(r.period.to, r.zone);
  return f ? `${f} – ${t} (${r.zone}, by created time)` : 'unknown (no created times)';
}

/**
 * Title of the false-positives-per-rule chart, the same on the dashboard and in the report: bars are
 * numbers of cases closed as false positive (not rates), the 15 rules with the most.
 */
export const FP_RULE_CHART_TITLE = 'False positives per rule (cases closed as FP; top 15 by count)';

/** The bars of {@link FP_RULE_CHART_TITLE}: the rules with at least one false positive, at most 15, in the given order (by count); every rule's rate stays in the table. */
export function fpRuleBars<G extends { falsePositives: number }>(perRule: readonly G[]): G[] {
  return perRule.filter((g) => g.falsePositives > 0).slice(0, 15);
}

/** Charts of the report as SVG strings (title → svg). */
export function reportCharts(r: KpiReport): { title: string; svg: string }[] {
  const k = r.kpis;
  const out: { title: string; svg: string }[] = [];
  // each tag in its colour slot's colour, as on the dashboard
  const tagColor = (t: string) => tagColorLight(tagSlot(r.tagColors, t));
  if (!r.taggingUnavailable) out.push({ title: 'Cases per tag', svg: svgBarChart('Cases per tag', r.tags.map((t) => t.tag), r.tags.map((t) => t.count), { colors: r.tags.map((t) => tagColor(t.tag)) }) });
  if (k.volume.available) {
    const v = k.volume.value;
    if (v.notSplitByTag)
      out.push({ title: 'Volume per week (not split by tag)', svg: svgStackedBars(`Cases per week (${r.zone}), not split by tag: the rules file could not be used`, v.weeks, [{ name: 'all cases', values: v.totalPerWeek }]) });
    else out.push({ title: 'Volume per tag per week', svg: svgStackedBars(`Cases per week by tag (${r.zone})`, v.weeks, v.tags.map((t, i) => ({ name: t, values: v.counts[i], color: tagColor(t) }))) });
  }
  if (k.falsePositiveRate.available && k.falsePositiveRate.value.perRule) {
    const pr = fpRuleBars(k.falsePositiveRate.value.perRule);
    if (pr.length) {
      out.push({
        title: FP_RULE_CHART_TITLE,
        svg: svgBarChart(FP_RULE_CHART_TITLE, pr.map((g) => g.key), pr.map((g) => g.falsePositives), { valueText: (v, i) => `${fmtNum(v)} of ${pr[i].closed} closed (${formatRate(pr[i].rate)})` }),
      });
    }
  }
  if (k.workloadPerAnalyst.available) {
    const v = k.workloadPerAnalyst.value;
    const a = v.analysts.slice(0, 20);
    const leftOut = analystChartLeftOut(v);
    const title = `Cases per analyst${leftOut ? ` (${leftOut}: not analysts, not shown)` : ''}`;
    out.push({ title: 'Workload per analyst', svg: svgBarChart(title, a.map((x) => x.analyst), a.map((x) => x.cases)) });
  }
  if (k.workloadPerShift.available) {
    const s = k.workloadPerShift.value;
    // each bar's label with its hours (the chart stands alone as an image); the zone in the title
    const hours = new Map(r.shifts.map((x) => [String(x.name), `${String(x.start)}–${String(x.end)}`]));
    const label = (name: string) => (hours.has(name) ? `${name} ${hours.get(name)}` : name);
    out.push({ title: 'Workload per shift', svg: svgBarChart(`Cases created per shift (shift hours in ${r.shiftZone})`, s.map((x) => label(x.shift)), s.map((x) => x.created)) });
  }
  if (k.backlog.available) {
    const b = k.backlog.value.buckets;
    out.push({ title: 'Open backlog by age', svg: svgBarChart('Open cases by age', b.map((x) => x.label), b.map((x) => x.count)) });
  }
  return out;
}

const CSS = `body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
th{background:#f6f8fa}td.num{text-align:right}.unavailable{color:#9a6700}.def{color:#57606a;font-size:12px}.meta td{border:none;padding:2px 8px}
img{max-width:100%;display:block;margin:8px 0}.alert{border:2px solid #cf222e;background:#ffebe9;padding:8px 12px}`;

/** CSP hash of {@link CSS}, the report's only inline style. */
const CSS_SHA256 = createHash('sha256').update(CSS, 'utf8').digest('base64');

/**
 * The self-contained HTML report. Shape: header (title, period, display zone, the as-of time of the
 * numbers and the generation time — each in the display zone and UTC —, inputs, tagging rules),
 * KPI summary table (value + definition per KPI, unavailable ones with their reason; value cells have
 * `id="kpi-<id>"`), charts (SVG `data:` images), detail tables, notes and errors.
 */
export function renderKpiReportHtml(r: KpiReport, meta: ReportMeta): string {
  const e = escapeHtml;
  const cell = (v: string | number) => (typeof v === 'number' ? `<td class="num">${e(v)}</td>` : `<td>${e(v)}</td>`);
  let h = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">`;
  // The one inline <style> is allowed by its hash (no 'unsafe-inline'): nothing else can style or script the report.
  h += `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'sha256-${CSS_SHA256}'">`;
  h += `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(meta.title)}</title><style>${CSS}</style></head><body>\n`;
  h += `<h1>${e(meta.title)}</h1>\n`;
  if (meta.rules?.error) h += `<p class="alert" id="rules-error"><strong>Tagging rules file could not be read — the cases were NOT tagged.</strong> ${e(rulesAlertText(meta.rules.error, meta.baseDir))}</p>\n`;
  h += `<table class="meta">`;
  h += `<tr><td>Period</td><td id="period">${e(periodText(r))}</td></tr>`;
  h += `<tr><td>Display time zone</td><td id="zone">${e(r.zone)}</td></tr>`;
  h += `<tr><td>KPIs as of</td><td id="asOf">${e(asOfText(r))}</td></tr>`;
  h += `<tr><td>Generated</td><td id="generatedAt">${e(timeText(meta.generatedAt ?? Date.now(), r.zone))}</td></tr>`;
  h += `<tr><td>Cases</td><td id="cases">${e(casesCountText(r))}</td></tr>`;
  h += `<tr><td>Inputs</td><td>${meta.inputs.map((p) => e(pathBelow(p, meta.baseDir))).join('<br>')}</td></tr>`;
  h += `<tr><td>Tagging rules</td><td id="rules">${e(rulesText(meta))}</td></tr></table>\n`;
  h += `<h2>KPIs</h2>\n<table><tr><th>KPI</th><th>Value</th><th>Definition</th></tr>`;
  for (const s of kpiSummaryRows(r))
    h += `<tr><td>${e(s.title)}</td><td id="kpi-${e(s.id)}"${s.available ? '' : ' class="unavailable"'}>${e(s.value)}</td><td class="def">${e(s.definition)}</td></tr>`;
  h += `</table>\n<h2>Charts</h2>\n`;
  for (const c of reportCharts(r)) h += svgImg(c.svg, c.title) + '\n';
  for (const t of reportTables(r)) {
    h += `<h2>${e(t.title)}</h2>\n<table><tr>${t.header.map((x) => `<th>${e(x)}</th>`).join('')}</tr>`;
    for (const row of t.rows) h += `<tr>${row.map(cell).join('')}</tr>`;
    if (t.rows.length === 0) h += `<tr><td colspan="${t.header.length}">none</td></tr>`;
    h += `</table>\n`;
  }
  if (r.notes.length) h += `<h2>Notes</h2>\n<ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>\n`;
  const errs = meta.errors ?? [];
  if (errs.length) {
    h += `<h2>Problems with the input (${errs.length})</h2>\n<table><tr><th>File</th><th>Line</th><th>Problem</th></tr>`;
    for (const x of errs.slice(0, 100)) h += `<tr>${cell(pathBelow(x.file, meta.baseDir))}${cell(x.line)}${cell(x.message)}</tr>`;
    h += `</table>\n`;
  }
  h += `</body></html>\n`;
  return h;
}

/** The Markdown report: the same header, KPI summary and tables (no images). */
export function renderKpiReportMarkdown(r: KpiReport, meta: ReportMeta): string {
  const m = escapeMarkdownCell;
  const table = (header: string[], rows: (string | number)[][]) =>
    `| ${header.map(m).join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n` + rows.map((row) => `| ${row.map((c) => m(c)).join(' | ')} |`).join('\n') + '\n';
  let s = `# ${m(meta.title)}\n\n`;
  if (meta.rules?.error) s += `> **Tagging rules file could not be read — the cases were NOT tagged.** ${m(rulesAlertText(meta.rules.error, meta.baseDir))}\n\n`;
  s += `- Period: ${m(periodText(r))}\n- Display time zone: ${m(r.zone)}\n- KPIs as of: ${m(asOfText(r))}\n- Generated: ${m(timeText(meta.generatedAt ?? Date.now(), r.zone))}\n- Cases: ${m(casesCountText(r))}\n`;
  s += `- Inputs: ${meta.inputs.map((p) => m(pathBelow(p, meta.baseDir))).join(', ')}\n- Tagging rules: ${m(rulesText(meta))}\n\n`;
  s += `## KPIs\n\n` + table(['KPI', 'Value', 'Definition'], kpiSummaryRows(r).map((x) => [x.title, x.value, x.definition])) + '\n';
  for (const t of reportTables(r)) s += `## ${m(t.title)}\n\n` + (t.rows.length ? table(t.header, t.rows) : 'none\n') + '\n';
  if (r.notes.length) s += `## Notes\n\n` + r.notes.map((n) => `- ${m(n)}`).join('\n') + '\n\n';
  const errs = meta.errors ?? [];
  if (errs.length) s += `## Problems with the input (${errs.length})\n\n` + table(['File', 'Line', 'Problem'], errs.slice(0, 100).map((x) => [pathBelow(x.file, meta.baseDir), x.line, x.message]));
  return s;
}
