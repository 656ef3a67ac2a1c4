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
import { problemWhere } from '../../core/model/common';

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
  problems(a) {
    if (a.errors.length === 0) return undefined;
    const e = a.errors[0];
    return {
      message: `${count(a.errors.length, 'problem')} in the count ${noun(a.files.length, 'file')} — every readable row was kept. First: ${problemWhere(path.basename(e.file), e.line)} ${e.message}`,
      lines: a.errors.slice(0, 200).map((x) => `${problemWhere(x.file, x.line)}: ${x.message}`),
    };
  },
};
