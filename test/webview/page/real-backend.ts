// Node-side backend for the harness's "real data" run: answers the webview protocol from the real
// core (parser → analysis → dashboard model → TableStore), like src/extension/panels/dashboardPanel.ts
// does, but without VS Code. Bundled on the fly by harness.mjs with esbuild.
import { runLokiAnalysis } from '../../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFindingColumns, lokiFindingDetail } from '../../../src/core/analyze/loki-dashboard';
import { TableStore } from '../../../src/core/table/store';
import { showZoneOffsets } from '../../../src/core/table/zone-offsets';
import type { FromWebview, ToWebview } from '../../../src/shared/protocol';

export async function makeBackend(paths: string[], zone = 'UTC'): Promise<(body: FromWebview) => ToWebview | undefined> {
  const analysis = await runLokiAnalysis(paths);
  const columns = lokiFindingColumns(zone, analysis.files);
  const findings = [...analysis.findings];
  const store = new TableStore(findings, columns);
  const model = buildLokiDashboard(analysis, 'Loki fixtures', zone);
  showZoneOffsets(columns, findings, model, zone); // (as DashboardPanel does)
  return (b) => {
    switch (b.type) {
      case 'ready':
        return { type: 'model', model };
      case 'query': {
        const t0 = performance.now();
        const w = store.window(b.query, b.offset, b.limit);
        return { type: 'rows', total: w.total, offset: b.offset, ids: w.ids, rows: w.rows, elapsedMs: performance.now() - t0 };
      }
      case 'detail':
        return { type: 'detail', detail: lokiFindingDetail(findings[b.row], b.row, zone) };
      case 'reveal':
      case 'copy':
      case 'exportCsv':
        return { type: 'ack' };
      default:
        return undefined;
    }
  };
}
