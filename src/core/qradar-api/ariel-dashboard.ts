/**
 * Dashboard of an Ariel grouped count (kind `ariel`): cards, one chart and the table of groups.
 * Pure (no vscode). Counts are `SUM(eventcount)` (coalesced events, qradar.md §4).
 */
import { formatPercent } from '../percent';
import type { Card, ChartSeries, DashboardModel, RowDetail, SmallTable } from '../../shared/protocol';
import type { StoreColumn } from '../table/store';
import { count, noun, num, percentNumber, toColumnDefs, txt } from '../analyze/dashboard-kit';
import type { ArielCountRow, ArielCounts } from './ariel';

/** Bars in the chart of a non-time grouping. */
export const ARIEL_CHART_BARS = 30;

/** Tooltip of an Ariel row's disabled "Reveal in export" button: why there is nothing to reveal. */
export const ARIEL_NO_EXPORT = 'Fetched from the QRadar API (an Ariel search counted these events on the console): there is no export file to reveal';

/** Sum of `events` over all rows. */
export function arielTotal(a: ArielCounts): number {
  return a.rows.reduce((s, r) => s + r.events, 0);
}

/** Table columns: `key` (group), `events`, `records`, `share` (% of all events), `source` (file:row, hidden). */
export function arielColumns(a: ArielCounts): StoreColumn<ArielCountRow>[] {
  const total = arielTotal(a);
  return [
    { id: 'key', title: a.keyTitle, type: 'text', width: 360, get: (r) => r.key },
    // counts export as numbers (not "1,234"), the share as a percentage number under "Share (%)"
    { id: 'events', title: 'Events', type: 'number', width: 120, get: (r) => r.events, format: (r) => r.events.toLocaleString('en-US'), exportRaw: true },
    { id: 'records', title: 'Records', type: 'number', width: 110, get: (r) => r.records, format: (r) => (r.records === undefined ? '' : r.records.toLocaleString('en-US')), exportRaw: true },
    {
      id: 'share',
      title: 'Share',
      exportTitle: 'Share (%)',
      type: 'number',
      width: 80,
      get: (r) => (total > 0 ? r.events / total : undefined),
      format: (r) => (total > 0 ? formatPercent(r.events / total) : ''),
      exportNumber: (r) => (total > 0 ? percentNumber(r.events / total) ?? undefined : undefined),
    },
    { id: 'source', title: 'Source', type: 'text', width: 260, hidden: true, get: (r) => `${r.file}:${r.row}` },
  ];
}

/**
 * The model: cards (events, groups, records, files, problems), one chart (`counts`: a vertical line
 * over time buckets in key order, or horizontal bars of the top {@link ARIEL_CHART_BARS} groups by
 * events; a click filters the table by the group), a `query` small table (console, window, AQL).
 */
export function buildArielDashboard(a: ArielCounts, title: string, displayZone: string): DashboardModel {
  const total = arielTotal(a);
  const records = a.rows.some((r) => r.records !== undefined) ? a.rows.reduce((s, r) => s + (r.records ?? 0), 0) : undefined;
  const cards: Card[] = [
    { id: 'events', label: `${noun(total, 'Event')} (SUM eventcount)`, value: total, tone: 'info' },
    { id: 'groups', label: a.keyTitle.replace(/ \(.*\)$/, '') + (a.timeBuckets ? ` ${noun(a.rows.length, 'bucket')}` : a.rows.length === 1 ? '' : 's'), value: a.rows.length, tone: 'info' },
  ];
  if (records !== undefined) cards.push({ id: 'records', label: `Stored ${noun(records, 'record')}`, value: records, tone: 'info' });
  cards.push({ id: 'files', label: noun(a.files.length, 'File'), value: a.files.length, tone: 'info' });
  if (a.errors.length) cards.push({ id: 'problems', label: noun(a.errors.length, 'Problem'), value: a.errors.length, tone: 'warning' });

  const agg = new Map<string, number>();
  for (const r of a.rows) agg.set(r.key, (agg.get(r.key) ?? 0) + r.events);
  let chart: ChartSeries;
  if (a.timeBuckets) {
    const keys = [...agg.keys()].sort();
    chart = { id: 'counts', title: `Events per ${a.keyTitle.toLowerCase()}`, labels: keys, values: keys.map((k) => agg.get(k) ?? 0), type: 'line', orientation: 'vertical', facetColumn: 'key', axes: { label: `${a.keyTitle} (QRadar console time zone)`, value: 'Events' } };
  } else {
    const top = [...agg].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, ARIEL_CHART_BARS);
    chart = { id: 'counts', title: `Events per ${a.keyTitle.toLowerCase()} (top ${top.length})`, labels: top.map((t) => t[0]), values: top.map((t) => t[1]), facetColumn: 'key', axes: { label: a.keyTitle, value: 'Events' } };
  }
  const q: SmallTable = {
    id: 'query',
    title: 'Query',
    columns: [txt('file', 'File', 260), txt('console', 'Console', 200), txt('from', 'From (UTC)', 170), txt('to', 'To (UTC)', 170), num('offense', 'Offense', 80), num('rows', 'Rows', 70), txt('aql', 'AQL', 600)],
    rows: a.files.map((f) => [f.file, f.console ?? null, f.from ?? null, f.to ?? null, f.offenseId ?? null, f.rows, f.aql ?? null]),
  };
  const cols = arielColumns(a);
  return {
    kind: 'ariel',
    title,
    subtitle: `${count(total, 'event')} in ${count(a.rows.length, 'group')}, counted by QRadar (Ariel)${a.timeBuckets ? ' — buckets in the console time zone' : ''}`,
    cards,
    charts: [chart],
    tables: [q],
    columns: toColumnDefs(cols),
    totalRows: a.rows.length,
    rowNoun: 'groups',
    tableTitle: 'Counts',
    displayZone,
    problems: { count: a.errors.length, sample: a.errors.slice(0, 20) },
  };
}

/** Row detail: group, counts, share, source; the "Reveal in export" button disabled, its tooltip saying why (no export: counted through the API). */
export function arielRowDetail(r: ArielCountRow, id: number, a: ArielCounts): RowDetail {
  const total = arielTotal(a);
  return {
    row: id,
    title: r.key,
    fields: [
      { label: a.keyTitle, value: r.key },
      { label: 'Events', value: r.events.toLocaleString('en-US') },
      { label: 'Records', value: r.records === undefined ? '' : r.records.toLocaleString('en-US') },
      { label: 'Share', value: total > 0 ? formatPercent(r.events / total, 2) : '' },
      { label: 'Source', value: `${r.file}, row ${r.row}` },
    ],
    sections: [],
    canReveal: false,
    // a group counted by QRadar's Ariel search through the API: its events are on the console, in no file here
    reveal: { label: 'Reveal in export', title: '', disabledTitle: ARIEL_NO_EXPORT },
  };
}
