/**
 * Turns a LokiAnalysis into what the dashboard shows: cards, charts, small tables, the findings
 * table's columns and a row detail. Pure (no vscode). OWNER: analytics helper.
 */
import type { DashboardModel, RowDetail } from '../../shared/protocol';
import type { LokiFinding } from '../model/loki';
import type { StoreColumn } from '../table/store';
import type { LokiAnalysis } from './loki-summary';

export function lokiFindingColumns(_displayZone: string): StoreColumn<LokiFinding>[] {
  throw new Error('not implemented');
}
export function buildLokiDashboard(_a: LokiAnalysis, _title: string, _displayZone: string): DashboardModel {
  throw new Error('not implemented');
}
export function lokiFindingDetail(_f: LokiFinding, _row: number, _displayZone: string): RowDetail {
  throw new Error('not implemented');
}
