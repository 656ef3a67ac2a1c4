/**
 * The `ariel` analysis kind: a grouped event count computed by QRadar (Ariel search, issue #4),
 * saved as `<name>.ariel-counts.json`, shown with one chart and the table of groups.
 */
import * as path from 'node:path';
import { count, noun } from '../../core/analyze/dashboard-kit';
import { arielColumns, arielRowDetail, arielTotal, buildArielDashboard } from '../../core/qradar-api/ariel-dashboard';
import type { ArielCountRow, ArielCounts } from '../../core/qradar-api/ariel';
import { TableStore } from '../../core/table/store';
import type { DashboardSource } from '../panels/dashboardPanel';
import type { AnalysisKind } from './types';
import { inputsNotice, unreadFiles } from '../../core/analyze/run-notice';

export const arielKind: AnalysisKind<ArielCounts> = {
  kind: 'ariel',
  label: 'QRadar event count',
  treeLabel: 'QRadar count',
  icon: 'graph-line',
  panelTitle: (meta) => `QRadar count: ${meta.title}`,
  job: (meta) => ({ kind: 'ariel', paths: meta.paths, options: {} }),
  describe(a) {
    const total = arielTotal(a);
    return {
      description: `${count(total, 'event')} · ${a.rows.length.toLocaleString('en-US')} ${a.keyTitle.toLowerCase()} ${noun(a.rows.length, 'group')}`,
      tooltip: `${count(a.files.length, 'count file')}, ${count(a.rows.length, 'group')}, ${count(total, 'event')} (SUM(eventcount), counted by QRadar)${a.files[0]?.aql ? `\n${a.files[0].aql}` : ''}`,
      summary: { files: a.files.length, groups: a.rows.length, events: total, errors: a.errors.length },
    };
  },
  source(a, meta, zone): DashboardSource {
    const columns = arielColumns(a);
    const first = a.files[0]?.file;
    return {
      panelTitle: arielKind.panelTitle(meta),
      model: buildArielDashboard(a, meta.title, zone),
      rows: a.rows,
      columns: columns as DashboardSource['columns'],
      store: new TableStore<ArielCountRow>(a.rows, columns) as DashboardSource['store'],
      detail: (row, id) => arielRowDetail(row as ArielCountRow, id, a),
      exportName: 'qradar-event-counts.csv',
      exportDir: first ? path.dirname(first) : undefined,
      rowNoun: 'groups',
    };
  },
  // no count file read (each damaged or not Ariel results): why, per file, instead of "no … files found"
  nothingRead: (a) => (a.files.length === 0 ? unreadFiles(a.errors) : undefined),
  // problems in the count files (the dashboard's banner lists them; there is no Errors tab): a warning, Show Log
  problems: (a, paths) => inputsNotice({ label: 'QRadar event count', errors: a.errors, paths, kept: 'every readable row' }),
};
