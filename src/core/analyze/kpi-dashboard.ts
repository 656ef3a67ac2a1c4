/**
 * Turns a KPI analysis into the dashboard model (cards, charts, small tables, the cases table's
 * columns and a row detail). Pure (no vscode). Times are epoch ms UTC in the data and shown in the
 * display zone.
 */
import type { Card, ChartSeries, ColumnDef, DashboardModel, DashboardNotice, RowDetail, SmallTable } from '../../shared/protocol';
import { alsoMatched, FP_RULE_CHART_TITLE, fpRuleBars, kpiSummaryRows, matchedTagsText } from '../export/report';
import type { CaseRecord } from '../parse/cases';
import type { StoreColumn } from '../table/store';
import { formatTime, isoUtc } from '../time';
import { count, grouped, minutesNumber, noun, num, percentNumber, qty, toColumnDefs, txt } from './dashboard-kit';
import { analystChartLeftOut, analystTableRows, automationAccountMatcher, casesAsOf, COUNTED_AS, countedAs, DEFAULT_AUTOMATION_ACCOUNTS, formatDuration, formatRate, isClosedCase, shiftHoursText, workloadRowLabel, type KpiReport, type SlaBreachKind } from './kpi';
import { RULES_ERROR_CONSEQUENCE, rulesErrorLocation, type KpiAnalysis } from './kpi-run';
import { tagSlot } from './tag-colors';
import { caseReveal } from './reveal-labels';

/** One row of the cases table. */
export interface CaseRow {
  c: CaseRecord;
  tag: string;
  /** Tags of every matching rule, in rule order (first = the tag). */
  matchedTags: string[];
  /** `closed` / `open` / `hidden` / `unknown`. */
  state: string;
  /** What the case breached at the as-of time (the KPI report's `slaBreaches.value.breaches`); empty: nothing. */
  sla: readonly SlaBreachKind[];
}

/**
 * The rows of the cases table, in input order: with `asOf` (epoch ms UTC, the KPIs' as-of time), the cases
 * the KPIs count — those that existed then ({@link casesAsOf}: a case created later is not a row) — each with
 * its state then (a case closed after `asOf` is `open`); the case's own times and status are shown as they are.
 * Without `asOf`, every case with its state now.
 */
export function caseRows(a: KpiAnalysis, asOf?: number, report?: KpiReport): CaseRow[] {
  const ruleTag = new Map<number, string>();
  // the breaches of the report's as-of time, by the case's index in the input
  const sla = report?.kpis.slaBreaches.available ? report.kpis.slaBreaches.value.breaches : [];
  const breachesOf = new Map<number, SlaBreachKind[]>(sla.map((b) => [b.input, b.kinds]));
  a.config.rules.forEach((r, pos) => ruleTag.set((r as { _index?: number })._index ?? pos, r.tag));
  const row = (i: number, closedLater: boolean): CaseRow => {
    const c = a.input.cases[i];
    const closed = closedLater ? false : isClosedCase(c);
    const state = closed === true ? 'closed' : c.status && /^hidden$/i.test(c.status) ? 'hidden' : closed === false || c.status ? 'open' : c.closed === undefined && a.input.missing.includes('closed') ? 'unknown' : 'open';
    return { c, tag: a.tagging.tags[i], matchedTags: (a.tagging.matched[i] ?? []).map((ix) => ruleTag.get(ix) ?? `#${ix + 1}`), state, sla: breachesOf.get(i) ?? [] };
  };
  if (asOf === undefined) return a.input.cases.map((_c, i) => row(i, false));
  return casesAsOf(a.input.cases, a.tagging.tags, asOf).index.map((i) => {
    const c = a.input.cases[i];
    return row(i, c.closed !== undefined && c.closed > asOf);
  });
}

/**
 * Columns of the cases table. Ids: id, title, tag, matched, created, acknowledged, closed, analyst, countedAs, severity, status, state, disposition, sla, rules, source.
 * The time columns name the display zone (`Created (UTC+05:30)`); `acknowledged` (what MTTA is computed from) is
 * shown when `hasAcknowledged` (the cases carry acknowledged times, see {@link hasAcknowledgedTimes}), else hidden.
 * `analyst` is the name as in the input (blank without one; its facet is a name, matched exactly). The hidden
 * `countedAs` column says which row of the workload table a case counts in ({@link COUNTED_AS}: `analyst`, the
 * unassigned cases, or the automation accounts by `automationAccounts`, default {@link DEFAULT_AUTOMATION_ACCOUNTS}):
 * the built-in rows of the workload table filter by it, so an analyst named `(unassigned)` is never mixed with them.
 */
export function caseColumns(zone: string, automationAccounts: readonly string[] = DEFAULT_AUTOMATION_ACCOUNTS, hasAcknowledged = false): StoreColumn<CaseRow>[] {
  const t = (get: (r: CaseRow) => number | undefined) => ({ get, format: (r: CaseRow) => formatTime(get(r), zone) });
  const isAutomation = automationAccountMatcher(automationAccounts);
  // the same test as the workload per analyst (computeKpis): a name with something besides white space
  const named = (r: CaseRow) => (r.c.analyst?.trim() ? r.c.analyst : undefined);
  const counted = (r: CaseRow) => {
    const n = named(r);
    return COUNTED_AS[n === undefined ? 'unassigned' : isAutomation(n) ? 'automated' : 'analyst'];
  };
  return [
    { id: 'id', title: 'Id', type: 'text', width: 80, get: (r) => r.c.id },
    { id: 'title', title: 'Title', type: 'text', width: 360, get: (r) => r.c.title },
    { id: 'tag', title: 'Tag', type: 'text', width: 110, get: (r) => r.tag },
    { id: 'matched', title: 'Matched rules', type: 'text', width: 160, hidden: true, get: (r) => r.matchedTags.join(', '), matches: (r, v) => r.matchedTags.includes(v) },
    { id: 'created', title: `Created (${zone})`, type: 'time', width: 168, ...t((r) => r.c.created) },
    { id: 'acknowledged', title: `Acknowledged (${zone})`, type: 'time', width: 168, hidden: !hasAcknowledged, ...t((r) => r.c.acknowledged) },
    { id: 'closed', title: `Closed (${zone})`, type: 'time', width: 168, ...t((r) => r.c.closed) },
    { id: 'analyst', title: 'Analyst', type: 'text', width: 120, get: named, matches: (r, v) => named(r) === v },
    { id: 'countedAs', title: 'Counted as', type: 'text', width: 150, hidden: true, get: counted },
    { id: 'severity', title: 'Severity', type: 'text', width: 80, get: (r) => r.c.severity },
    { id: 'status', title: 'Status', type: 'text', width: 90, get: (r) => r.c.status },
    { id: 'state', title: 'State', type: 'text', width: 80, get: (r) => r.state },
    { id: 'disposition', title: 'Disposition', type: 'text', width: 160, get: (r) => r.c.disposition },
    // what the case breached at the as-of time (the SLA cards filter by it): `acknowledge, close`
    { id: 'sla', title: 'SLA breaches', type: 'text', width: 170, get: (r) => r.sla.join(', '), matches: (r, v) => r.sla.includes(v as SlaBreachKind) },
    { id: 'rules', title: 'Rules', type: 'text', width: 200, get: (r) => r.c.rules.join(', '), matches: (r, v) => r.c.rules.includes(v) || (v === '(no rule)' && r.c.rules.length === 0) },
    { id: 'source', title: 'Source', type: 'text', width: 200, hidden: true, get: (r) => `${r.c.file}:${r.c.line}` },
  ];
}

/** True when at least one case carries an acknowledged time (the cases table then shows the column). */
export function hasAcknowledgedTimes(a: KpiAnalysis): boolean {
  return a.input.cases.some((c) => c.acknowledged !== undefined);
}

/**
 * The tooltip and tab of an MTTA / MTTR card: the reason when it is unavailable, the cases left out (acknowledged or
 * closed before created, not closed) when some are; nothing otherwise.
 */
function durationHint(kpi: KpiReport['kpis']['mttr']): Pick<Card, 'hint' | 'tab'> {
  const hint = !kpi.available ? `n/a: ${kpi.reason}` : kpi.value.excludedNegative > 0 ? (kpi.notes ?? []).join('; ') : undefined;
  return hint ? { hint, tab: 'kpis' } : {};
}

/**
 * Dashboard model. Cards: cases, open, escalationRate, fpRate, mttaMedian, mttrMedian, slaAckBreaches,
 * slaCloseBreaches, slaOpenOverdue (MTTA / MTTR: the n/a reason or the cases left out as tooltip),
 * untagged (facets where they apply). Charts: tags, volume (stacked by tag per week), fp-per-rule,
 * analysts, shifts, backlog-age. Tables: kpis (value + definition), fp-rule, fp-tag, analysts, sla,
 * coverage-rules, multi-matched, unmatched, mapping, errors.
 */
export function buildKpiDashboard(a: KpiAnalysis, r: KpiReport, title: string, zone: string): DashboardModel {
  const k = r.kpis;
  const cards: Card[] = [
    { id: 'cases', label: noun(r.cases, 'Case'), value: r.cases, tone: 'info' },
    { id: 'open', label: 'Open backlog', value: k.backlog.available ? k.backlog.value.open : 'n/a', tone: 'warning', facet: { state: 'open' } },
    { id: 'escalationRate', label: 'Escalation rate', value: k.escalationRate.available ? formatRate(k.escalationRate.value.rate) : 'n/a', tone: 'info' },
    { id: 'fpRate', label: 'False-positive rate', value: k.falsePositiveRate.available ? formatRate(k.falsePositiveRate.value.rate) : 'n/a', tone: 'notice' },
    // why n/a, or which cases are left out (times out of order): the tooltip, and a click opens the KPIs tab saying it
    { id: 'mttaMedian', label: 'MTTA (median)', value: k.mtta.available ? formatDuration(k.mtta.value.median) : 'n/a', tone: 'info', ...durationHint(k.mtta) },
    { id: 'mttrMedian', label: 'MTTR, resolve (median)', value: k.mttr.available ? formatDuration(k.mttr.value.median) : 'n/a', tone: 'info', ...durationHint(k.mttr) },
    // three separate counts (an acknowledge breach and a close breach of the same case are different failures)
    {
      id: 'slaAckBreaches',
      label: `SLA: acknowledge ${noun(k.slaBreaches.available && !k.slaBreaches.value.ackUnavailable ? k.slaBreaches.value.totals.ackBreaches : 'n/a', 'breach', 'breaches')}`,
      value: k.slaBreaches.available && !k.slaBreaches.value.ackUnavailable ? k.slaBreaches.value.totals.ackBreaches : 'n/a',
      tone: 'alert',
      // a click shows the cases (the SLA breaches column)
      facet: { sla: 'acknowledge' satisfies SlaBreachKind },
    },
    { id: 'slaCloseBreaches', label: `SLA: close ${noun(k.slaBreaches.available ? k.slaBreaches.value.totals.closeBreaches : 'n/a', 'breach', 'breaches')} (closed late)`, value: k.slaBreaches.available ? k.slaBreaches.value.totals.closeBreaches : 'n/a', tone: 'alert', facet: { sla: 'close' satisfies SlaBreachKind } },
    { id: 'slaOpenOverdue', label: 'SLA: open past close target', value: k.slaBreaches.available ? k.slaBreaches.value.totals.openOverdue : 'n/a', tone: 'warning', facet: { sla: 'open past close target' satisfies SlaBreachKind } },
    a.rules?.error
      ? { id: 'untagged', label: 'Not tagged: the rules file could not be read', value: r.cases, tone: 'alert' }
      : { id: 'untagged', label: `Untagged (${a.tagging.defaultTag})`, value: r.coverage?.unmatched.count ?? 0, tone: 'notice', facet: { tag: a.tagging.defaultTag } },
  ];
  // a KPI the data cannot give is no alarm: neutral, whatever its tone when it has a value
  // (and filters nothing: no case is in it)
  for (const c of cards)
    if (c.value === 'n/a') {
      c.tone = 'info';
      delete c.facet;
    }
  const charts: ChartSeries[] = [];
  // each tag keeps its colour slot in every chart (and in the report), whatever the counts
  if (!r.taggingUnavailable)
    charts.push({ id: 'tags', title: 'Cases per tag (first matching rule wins)', labels: r.tags.map((t) => t.tag), values: r.tags.map((t) => t.count), colorSlots: r.tags.map((t) => tagSlot(r.tagColors, t.tag)), facetColumn: 'tag', axes: { label: 'Tag', value: 'Cases' } });
  const weekAxis = { label: `Week starting Monday (${zone})`, value: 'Cases created' };
  if (k.volume.available && k.volume.value.notSplitByTag) {
    const v = k.volume.value;
    charts.push({ id: 'volume', title: `Cases per week (${zone}), not split by tag: the rules file could not be used`, labels: v.weeks, values: v.totalPerWeek, orientation: 'vertical', axes: weekAxis });
  } else if (k.volume.available) {
    const v = k.volume.value;
    charts.push({
      id: 'volume',
      title: `Cases per week by tag (${zone})`,
      labels: v.weeks,
      values: v.totalPerWeek,
      orientation: 'vertical',
      stacked: true,
      axes: weekAxis,
      datasets: v.tags.map((t, i) => ({ label: t, values: v.counts[i], colorSlot: tagSlot(r.tagColors, t), facetValue: t })),
      datasetFacetColumn: 'tag',
    });
  }
  if (k.falsePositiveRate.available && k.falsePositiveRate.value.perRule && fpRuleBars(k.falsePositiveRate.value.perRule).length) {
    const pr = fpRuleBars(k.falsePositiveRate.value.perRule);
    charts.push({
      id: 'fp-rule',
      title: FP_RULE_CHART_TITLE,
      labels: pr.map((g) => g.key),
      values: pr.map((g) => g.falsePositives),
      facetColumn: 'rules',
      axes: { label: 'Rule', value: 'False-positive cases' },
      note:
        'bars: number of cases; the FP rate (FP ÷ closed) per rule is in the “False-positive rate per rule” table' +
        // QRadar offenses name their rules by id unless a rules export gives the names
        (pr.every((g) => /^\d+$/.test(g.key)) ? '; rules shown by id: the data has no rule names (QRadar: put the GET /analytics/rules export beside the offenses as analytics_rules.json)' : ''),
    });
  }
  if (k.workloadPerAnalyst.available) {
    const v = k.workloadPerAnalyst.value;
    const w = v.analysts.slice(0, 20);
    charts.push({
      id: 'analysts',
      title: 'Cases per analyst',
      labels: w.map((x) => x.analyst),
      values: w.map((x) => x.cases),
      facetColumn: 'analyst',
      axes: { label: 'Analyst', value: 'Cases' },
      note: analystChartLeftOut(v) ? `${analystChartLeftOut(v)} not shown (${v.unassigned && v.automated ? 'not analysts' : 'not an analyst'}; see the table)` : undefined,
    });
  }
  if (k.workloadPerShift.available) {
    // counted in the shift zone (the SOC's rota), not the display zone; the axis title is short (the zone in it was cut:
    // "Shift (America/Los_Ar"), the shifts' hours and zone are the note under the title, each bar's tooltip its hours
    const v = k.workloadPerShift.value;
    const hours = new Map(r.shifts.map((x) => [String(x.name), `${String(x.start)}–${String(x.end)}`]));
    charts.push({
      id: 'shifts',
      title: 'Cases created per shift',
      labels: v.map((s) => s.shift),
      values: v.map((s) => s.created),
      axes: { label: 'Shift', value: 'Cases created' },
      note: shiftHoursText(r.shiftZone, r.shifts),
      tooltips: v.map((s) => (hours.has(s.shift) ? `${s.shift}: ${hours.get(s.shift)} ${r.shiftZone}` : `${s.shift}: no shift covers these times of day (${r.shiftZone})`)),
    });
  }
  if (k.backlog.available) charts.push({ id: 'backlog-age', title: 'Open cases by age', labels: k.backlog.value.buckets.map((b) => b.label), values: k.backlog.value.buckets.map((b) => b.count), axes: { label: 'Age (since created)', value: 'Open cases' } });

  const tables: SmallTable[] = [
    { id: 'kpis', title: 'KPIs and definitions', columns: [txt('kpi', 'KPI', 220), { ...txt('value', 'Value', 320), wrap: true }, { ...txt('definition', 'Definition', 520), wrap: true }], rows: kpiSummaryRows(r).map((s) => [s.title, s.value, s.definition]) },
  ];
  if (k.falsePositiveRate.available) {
    const v = k.falsePositiveRate.value;
    // (a formatted quantity, shown "28.6%" or "2 h", exports as a number with its unit in the header: exportCells, qty's unit)
    const fpTable = (id: string, title: string, key: ColumnDef, groups: typeof v.perTag, facetColumn: string): SmallTable => ({
      id,
      title,
      columns: [key, num('closed', 'Closed'), num('fp', 'False positives'), qty('rate', 'FP rate', 80, '%')],
      rows: groups.map((g) => [g.key, g.closed, g.falsePositives, formatRate(g.rate)]),
      exportCells: { rate: groups.map((g) => percentNumber(g.rate)) },
      facetColumn,
      facetIndex: 0,
    });
    if (v.perRule) tables.push(fpTable('fp-rule', 'False-positive rate per rule', txt('rule', 'Rule', 300), v.perRule, 'rules'));
    if (!v.perTagUnavailable) tables.push(fpTable('fp-tag', 'False-positive rate per tag', txt('tag', 'Tag', 200), v.perTag, 'tag'));
  }
  if (k.workloadPerAnalyst.available) {
    const rows = analystTableRows(k.workloadPerAnalyst.value);
    tables.push({
      id: 'analysts',
      title: 'Workload per analyst',
      columns: [txt('analyst', 'Analyst', 160), num('cases', 'Cases'), num('open', 'Open'), num('closed', 'Closed'), num('fp', 'False positives'), qty('ttc', 'Median time to close', 140, 'min'), txt('countedAs', 'Counted as', 170)],
      rows: rows.map((x) => [workloadRowLabel(x), x.cases, x.open, x.closed, x.falsePositives, formatDuration(x.medianTimeToCloseMs), countedAs(x)]),
      exportCells: { ttc: rows.map((x) => minutesNumber(x.medianTimeToCloseMs)) },
      // an analyst's row shows the analyst's cases; a built-in row (its label could be someone's name) the cases it counts
      facetColumn: 'analyst',
      facetIndex: 0,
      rowFacets: rows.map((x) => (x.builtin ? { countedAs: countedAs(x) } : undefined)),
    });
  }
  if (k.slaBreaches.available)
    tables.push({
      id: 'sla',
      title: 'SLA breaches per severity',
      columns: [
        txt('severity', 'Severity', 90),
        num('cases', 'Cases'),
        num('ack', 'Ack breaches'),
        num('ackUnack', 'of which never acknowledged'),
        num('ackChecked', 'Ack checked'),
        num('close', 'Close breaches'),
        num('closeChecked', 'Closed checked'),
        qty('rate', 'Close breach rate', 110, '%'),
        num('overdue', 'Open past close target'),
      ],
      rows: k.slaBreaches.value.rows.map((x) => [x.severity, x.cases, x.ackBreaches, x.ackBreachesUnacknowledged, x.ackChecked, x.closeBreaches, x.closeChecked, formatRate(x.closeBreachRate), x.openOverdue]),
      exportCells: { rate: k.slaBreaches.value.rows.map((x) => percentNumber(x.closeBreachRate)) },
      facetColumn: 'severity',
      facetIndex: 0,
    });
  const c = r.coverage;
  if (c) {
    tables.push({
      id: 'coverage-rules',
      title: 'Tagging rules (first match wins)',
      columns: [num('n', '#', 40), txt('tag', 'Tag', 140), num('matches', 'Matches'), num('wins', 'Tags (first match)'), txt('note', 'Note', 300)],
      rows: c.rules.map((x) => [x.index + 1, x.tag, x.matches, x.wins, x.disabled ?? (x.matches === 0 ? 'never matches' : x.wins === 0 ? 'never wins: earlier rules match first' : null)]),
      facetColumn: 'matched',
      facetIndex: 1,
    });
    tables.push({
      id: 'multi-matched',
      // the tab's badge counts the rows; a count in the name repeated it ("… (2)" next to a badge 2, UI trial). Only
      // when the examples are capped (tagging coverage keeps 50) does the name say how many there are in all.
      title:
        c.multiMatched.examples.length < c.multiMatched.count
          ? `Cases matched by several rules (first ${grouped(c.multiMatched.examples.length)} of ${grouped(c.multiMatched.count)})`
          : 'Cases matched by several rules',
      // the case's Id (as in the cases table) beside its Line in the file: a case is found by either
      columns: [num('line', 'Line', 60), txt('id', 'Id', 120), txt('title', 'Title', 320), txt('tags', 'Tag (first matching rule)', 260)],
      rows: c.multiMatched.examples.map((e) => [e.line ?? null, e.id ?? null, e.text, matchedTagsText(e.tags)]),
    });
    // the badge counts the groups (rows); the name said the cases ("(2 cases)" next to a badge 1, UI trial). The
    // untagged cases are counted on the Untagged card.
    tables.push({ id: 'unmatched', title: 'Largest unmatched groups', columns: [txt('title', 'Title (example)', 400), num('count', 'Cases')], rows: c.unmatched.groups.map((g) => [g.text, g.count]) });
  }
  tables.push({
    id: 'mapping',
    // a mixed input: the mapping of the first file (each generic file is mapped by its own header)
    title: `Input (${a.input.source === 'qradar-offenses' ? 'QRadar offenses' : a.input.source === 'mixed' ? 'QRadar offenses and cases, first file' : 'cases'}): field mapping`,
    columns: [txt('field', 'Field', 120), txt('column', 'Column', 220), txt('format', 'Time format', 140)],
    rows: (['id', 'title', 'created', 'acknowledged', 'closed', 'analyst', 'severity', 'status', 'disposition', 'rule'] as const).map((f) => [
      f,
      a.input.missing.includes(f) ? '(missing)' : a.input.mapping[f] ?? null,
      (a.input.timeFormats as Record<string, string>)[f] ?? null,
    ]),
  });
  tables.push({ id: 'errors', title: 'Problems', columns: [txt('file', 'File', 300), num('line', 'Line'), txt('message', 'Message', 500)], rows: a.errors.slice(0, 1000).map((e) => [e.file, e.line > 0 ? e.line : null, e.message]) });

  const notes = r.notes.length ? ` — ${count(r.notes.length, 'note')} in the KPI table` : '';
  return {
    kind: 'kpi',
    title,
    subtitle:
      `${count(r.cases, 'case')}${r.asOfCut.createdAfter ? ` (${grouped(r.asOfCut.createdAfter)} more in the input created after the as-of time, left out)` : ''}, ` +
      `${r.taggingUnavailable ? 'not tagged (the rules file could not be used)' : count(r.tags.length, 'tag')} — KPIs as of ${formatTime(r.asOf, zone)}, times in ${zone}${notes}`,
    cards,
    charts,
    tables: tables.map((t) => (t.id === 'kpis' ? { ...t, rows: [...t.rows, ...r.notes.map((n) => ['Note', n, ''] as (string | number | null)[])] } : t)),
    columns: toColumnDefs(caseColumns(zone, a.options.automationAccounts, hasAcknowledgedTimes(a))),
    // the rows are the cases counted (caseRows with the report's as-of time)
    totalRows: r.cases,
    rowNoun: 'cases',
    tableTitle: 'Cases',
    displayZone: zone,
    // the banner counts problems of the input data; problems with the tagging rules have their own notice
    problems: { count: a.input.errors.length, sample: a.input.errors.slice(0, 20).map((e) => ({ file: e.file, line: e.line, message: e.message })) },
    notices: kpiNotices(a),
  };
}

/**
 * Banners of a cases analysis: an unusable tagging rules file (error: the cases were not tagged,
 * with `file:line:column`), and problems with individual rules (warning, one line each).
 */
export function kpiNotices(a: KpiAnalysis): DashboardNotice[] {
  const out: DashboardNotice[] = [];
  const e = a.rules?.error;
  if (e)
    out.push({
      id: 'rules-file',
      severity: 'error',
      title: 'Tagging rules file could not be read — the cases were NOT tagged',
      lines: [`${rulesErrorLocation(e)}: ${e.message}`, RULES_ERROR_CONSEQUENCE],
    });
  const ruleProblems = a.tagging.problems.filter((p) => p.severity === 'error');
  if (ruleProblems.length)
    out.push({
      id: 'rules',
      severity: 'warning',
      title: `${count(ruleProblems.length, 'tagging rule')} could not be used (disabled; see the tagging rules table)`,
      lines: ruleProblems.slice(0, 20).map((p) => p.message),
    });
  return out;
}

/** The Results-tree line and tooltip of a cases analysis (`10 cases · 1 tag · 2 untagged`), with singular/plural right. */
export function kpiTreeText(a: KpiAnalysis): { description: string; tooltip: string } {
  const untagged = a.tagging.coverage.unmatched.count;
  const tags = a.rules?.error ? 'NOT tagged (rules file unusable)' : `${count(a.tagging.tagCounts.length, 'tag')} · ${untagged.toLocaleString('en-US')} untagged`;
  const rules = a.rules?.error ? `${a.rulesFile} could not be read — cases NOT tagged` : a.rulesFile ?? 'seed rules';
  return {
    description: `${count(a.input.cases.length, 'case')} · ${tags}`,
    tooltip: `${a.input.source === 'qradar-offenses' ? 'QRadar offenses' : a.input.source === 'mixed' ? 'QRadar offenses and cases' : 'Cases'} from ${count(a.filesRead, 'file')}; rules: ${rules}; ${count(a.errors.length, 'problem')}`,
  };
}

/** The Results-tree line of one tag under a cases analysis (`1 case`, `2 cases`). */
export function kpiTagTreeText(cases: number): string {
  return count(cases, 'case');
}

/** A case's SLA breaches in a Results-tree row, short (`ack`, `close`, `overdue`); the tooltip spells them out. */
const SLA_SHORT: Record<SlaBreachKind, string> = { acknowledge: 'ack', close: 'close', 'open past close target': 'overdue' };

/** A case's analyst as a tree row shows it: the name trimmed, `unassigned` without one (as the workload table counts it). */
const treeAnalyst = (c: CaseRecord): string => c.analyst?.trim() || 'unassigned';

/**
 * The Results-tree row of one case under its tag, for the default ~300 px side bar (the row led with the title, and the
 * id, state and analyst after it were cut off): what a SOC lead scans for first — the case id, its state at the as-of
 * time (`open`, `closed`, `hidden`, `state unknown`: the cases table's State), its SLA breaches then when it has any
 * (`SLA: ack, close`; `overdue`: open past the close target) and who has it (`unassigned` without an analyst) —
 * `C-5 · closed · SLA: ack, close · alice`; the title after it. The tooltip has all of it: id and title; the state with
 * the export's own status when that says more (`open (status In Progress)`), the analyst and the severity; the breaches
 * in the SLA table's words; the file and line of the case. `r`: the case's row of the cases table ({@link caseRows} at
 * the dashboard's as-of time, with the report's breaches).
 */
export function kpiCaseTreeText(r: Pick<CaseRow, 'c' | 'state' | 'sla'>): { label: string; description: string; tooltip: string } {
  const c = r.c;
  const state = r.state === 'unknown' ? 'state unknown' : r.state;
  const sla = r.sla.length ? `SLA: ${r.sla.map((k) => SLA_SHORT[k] ?? k).join(', ')}` : undefined;
  const status = c.status?.trim() && c.status.trim().toLowerCase() !== r.state ? ` (status ${c.status.trim()})` : '';
  return {
    label: [c.id, state, sla, treeAnalyst(c)].filter(Boolean).join(' · '),
    description: c.title || '(no title)',
    tooltip: [
      [c.id, c.title || '(no title)'].filter(Boolean).join(' · '),
      [`${state}${status}`, treeAnalyst(c), c.severity?.trim() ? `severity ${c.severity.trim()}` : undefined].filter(Boolean).join(' · '),
      ...(r.sla.length ? [`SLA breaches: ${r.sla.join(', ')}`] : []),
      `${c.file}:${c.line}`,
    ].join('\n'),
  };
}

/**
 * The Results-tree row of one tag under a cases analysis, in the style of the case rows ({@link kpiCaseTreeText}): the
 * case count before the tag (`3 · Brute force`, as a QRadar description's `count · name`), then how many of its cases
 * are open at the as-of time and how many breached an SLA target (`2 open · 1 breached SLA`; the second part only when
 * some did). The tooltip: the tag, its cases by state, those with an SLA breach, and the cases created after the as-of
 * time when there are some (not counted by state). `cases`: the tag's count of cases ({@link kpiTagTreeText});
 * `rows`: its rows of the cases table at the as-of time ({@link caseRows}).
 */
export function kpiTagRowText(tag: string, cases: number, rows: readonly Pick<CaseRow, 'state' | 'sla'>[]): { label: string; description: string; tooltip: string } {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.state, (by.get(r.state) ?? 0) + 1);
  const breached = rows.filter((r) => r.sla.length > 0).length;
  const states = ['open', 'closed', 'hidden', 'unknown'].filter((s) => s === 'open' || s === 'closed' || by.get(s)).map((s) => `${grouped(by.get(s) ?? 0)} ${s === 'unknown' ? 'state unknown' : s}`);
  const later = cases - rows.length;
  return {
    label: `${grouped(cases)} · ${tag}`,
    description: `${grouped(by.get('open') ?? 0)} open${breached ? ` · ${grouped(breached)} breached SLA` : ''}`,
    tooltip:
      `${tag}\n${kpiTagTreeText(cases)}: ${states.join(', ')}${later > 0 ? `, ${grouped(later)} created after the as-of time` : ''}\n` +
      `${count(breached, 'case')} with an SLA breach at the as-of time`,
  };
}

/** Every field of one case as label/value text. */
export function caseDetail(row: CaseRow, id: number, zone: string): RowDetail {
  const c = row.c;
  const fields: { label: string; value: string }[] = [];
  const add = (label: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') fields.push({ label, value: String(v) });
  };
  add('Id', c.id);
  add('Title', c.title);
  add('Tag', row.tag);
  add('Matching rules (tags, in rule order)', row.matchedTags.join(', ') || 'none');
  add('Also matched', alsoMatched(row.matchedTags).join(', '));
  for (const f of ['created', 'acknowledged', 'closed'] as const) {
    add(`${f[0].toUpperCase()}${f.slice(1)} (${zone})`, formatTime(c[f], zone) || undefined);
    add(`${f[0].toUpperCase()}${f.slice(1)} (UTC, ISO 8601)`, isoUtc(c[f]) || undefined);
  }
  if (c.created !== undefined && c.closed !== undefined) add('Time to resolve', formatDuration(c.closed - c.created));
  if (c.created !== undefined && c.acknowledged !== undefined) add('Time to acknowledge', formatDuration(c.acknowledged - c.created));
  add('Analyst', c.analyst);
  add('Severity', c.severity);
  add('SLA breaches (at the KPIs\' as-of time)', row.sla.join(', '));
  add('Status', c.status);
  add('State', row.state);
  add('Disposition', c.disposition);
  add('Rules', c.rules.join(', '));
  add('Source', `${c.file}:${c.line}`);
  const raw = Object.entries(c.raw).map(([label, value]) => ({ label, value }));
  // the button names what it opens: a case is a row of a ticket export or an offense of a QRadar export, not a log line
  const offense = 'offense_source' in c.raw;
  const reveal = caseReveal(c.raw);
  return {
    row: id,
    title: `${c.id ? `${c.id} · ` : ''}${c.title}`,
    fields,
    sections: raw.length ? [{ title: 'Input columns', fields: raw }] : [],
    canReveal: c.line > 0 && (!/\.json$/i.test(c.file) || offense),
    reveal,
  };
}
