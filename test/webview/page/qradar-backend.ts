// Node-side backend for the harness's QRadar run: answers the webview protocol from the real core
// (runQRadarRead → buildQRadarDashboard → TableStore), like src/extension/kinds/qradar.ts does in VS Code.
import { runQRadarRead } from '../../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns, qradarOffenseDetail } from '../../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../../src/core/analyze/qradar-summary';
import { TableStore } from '../../../src/core/table/store';
import { showZoneOffsets } from '../../../src/core/table/zone-offsets';
import type { FromWebview, ToWebview } from '../../../src/shared/protocol';
import { answerer } from './panels-backend';

/**
 * `namedClosingReasons`: lists naming every offense's reasons (the CLI's --closing-reasons; a list names only its own
 * folder's offenses otherwise); `reasons`: the settings' socAnalytics.qradar.escalatedReasons / falsePositiveReasons
 * (the defaults otherwise).
 */
export async function makeQRadarBackend(paths: string[], zone = 'UTC', namedClosingReasons?: string[], reasons?: { escalated?: string[]; falsePositive?: string[] }): Promise<{ answer: (body: FromWebview) => ToWebview | undefined; sent: FromWebview[] }> {
  const parsed = await runQRadarRead(paths, { consoleTimeZone: 'Europe/Berlin', namedClosingReasons });
  const settings = { zone, escalatedReasons: reasons?.escalated ?? DEFAULT_ESCALATED_REASONS, falsePositiveReasons: reasons?.falsePositive ?? DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
  const ctx = qradarContext(parsed, settings);
  const columns = qradarOffenseColumns(ctx);
  const store = new TableStore(parsed.offenses, columns);
  const { model } = buildQRadarDashboard(parsed, 'QRadar fixtures', settings);
  showZoneOffsets(columns, parsed.offenses, model, zone); // (as DashboardPanel does)
  return answerer(() => ({ model, store, detail: (row) => qradarOffenseDetail(parsed.offenses[row], row, ctx) }));
}
