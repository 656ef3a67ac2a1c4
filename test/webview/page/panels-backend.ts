// Node-side backends for the harness's merged-timeline, beacon and cases runs: answer the webview
// protocol from the real core (analysis → dashboard model → TableStore), as the analysis kinds in
// src/extension/kinds and src/extension/tz.ts do in VS Code. Bundled on the fly by harness.mjs.
import { runLokiAnalysis } from '../../../src/core/analyze/run-loki';
import { runQRadarRead } from '../../../src/core/analyze/qradar-run';
import { runBeaconAnalysis } from '../../../src/core/analyze/beacons/run';
import { runKpiAnalysis, kpiReportOf } from '../../../src/core/analyze/kpi-run';
import type { BeaconPair } from '../../../src/core/analyze/beacons/analyze';
import { beaconColumns, beaconPairDetail, buildBeaconDashboard, safelistDone, safelistEntryForAction, withSafelist } from '../../../src/core/analyze/beacons/dashboard';
import { buildKpiDashboard, caseColumns, caseDetail, caseRows, hasAcknowledgedTimes } from '../../../src/core/analyze/kpi-dashboard';
import { buildTimelineDashboard, timelineColumns, timelineDetail, timelineEvents } from '../../../src/core/tz-timeline';
import { sameRows, TableStore } from '../../../src/core/table/store';
import { showZoneOffsets } from '../../../src/core/table/zone-offsets';
import { DashboardPrefsStore, type PrefsMemento } from '../../../src/core/dashboard-prefs';
import { TagColorStore } from '../../../src/core/tag-color-store';
import type { DashboardModel, FromWebview, RowDetail, ToWebview } from '../../../src/shared/protocol';

interface Source {
  model: DashboardModel;
  store: { window(q: never, offset: number, limit: number): { total: number; ids: number[]; rows: string[][] } };
  detail(id: number): RowDetail;
}

/** An in-memory Memento (the extension's globalState in VS Code), shared by the panels of one harness run. */
export function memoryMemento(): PrefsMemento & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return { data, get: <T>(k: string) => data[k] as T | undefined, update: async (k: string, v: unknown) => void (data[k] = JSON.parse(JSON.stringify(v))) };
}

/**
 * A protocol answerer over the current source; `action` runs a row action (and may rebuild the source); `prefs`: the
 * view preferences remembered across panels, answered and stored as src/extension/panels/dashboardPanel.ts does.
 */
export function answerer(current: () => Source, action?: (row: number, action: string) => ToWebview, prefs?: DashboardPrefsStore) {
  const sent: FromWebview[] = [];
  const answer = (b: FromWebview): ToWebview | undefined => {
    sent.push(b.type === 'savePng' ? { ...b, dataUrl: b.dataUrl.slice(0, 40) } : b);
    const s = current();
    switch (b.type) {
      case 'ready': {
        const p = prefs?.get(s.model.kind);
        return p ? { type: 'model', model: s.model, prefs: p } : { type: 'model', model: s.model };
      }
      case 'setPrefs':
        void prefs?.set(s.model.kind, b.prefs);
        return undefined;
      case 'query': {
        const t0 = performance.now();
        const w = s.store.window(b.query as never, b.offset, b.limit);
        return { type: 'rows', total: w.total, offset: b.offset, ids: w.ids, rows: w.rows, elapsedMs: performance.now() - t0 };
      }
      case 'detail':
        return { type: 'detail', detail: s.detail(b.row) };
      case 'action':
        return action ? action(b.row, b.action) : { type: 'error', message: 'no actions' };
      case 'reveal':
      case 'copy':
      case 'exportCsv':
      case 'exportTable':
      case 'savePng':
      case 'setZone':
        return { type: 'ack' };
      default:
        return undefined;
    }
  };
  return { answer, sent };
}

/** The merged timeline over the trial's four analyses (Loki, QRadar, beacons, cases) in `zone`. */
export async function makeTimelineBackend(p: { loki: string; qradar: string; zeek: string; cases: string; rules: string; sensor: string }, zone: string) {
  const events = [
    ...timelineEvents('loki', 'loki-results', await runLokiAnalysis([p.loki])),
    ...timelineEvents('qradar', 'qradar', await runQRadarRead([p.qradar], { consoleTimeZone: 'UTC' })),
    ...timelineEvents('beacons', 'zeek', await runBeaconAnalysis([p.zeek], { internalSubnets: [p.sensor] })),
    ...timelineEvents('kpi', 'kpi-small.csv', await runKpiAnalysis([p.cases], { sourceZone: 'UTC', rulesPath: p.rules })),
  ].sort((a, b) => a.time - b.time);
  const columns = timelineColumns(zone);
  const model = buildTimelineDashboard(events, 4, zone);
  showZoneOffsets(columns, events, model, zone); // (as DashboardPanel does)
  const src: Source = { model, store: new TableStore(events, columns) as never, detail: (id) => timelineDetail(events[id], id, zone) };
  return answerer(() => src);
}

/**
 * The beacon dashboard of the real Zeek day with a safelist that "Safelist this pair" extends, like
 * src/extension/kinds/beacons.ts: the rebuilt model is handed to `onRebuilt` (the harness pushes it
 * to the page, as the configuration listener does, before the action's answer arrives).
 */
export async function makeBeaconBackend(zeek: string, sensor: string, zone: string, memento?: PrefsMemento) {
  const a = await runBeaconAnalysis([zeek], { internalSubnets: [sensor] });
  const safelist: string[] = [];
  const build = (): Source & { pairs: BeaconPair[] } => {
    const { view, safelisted } = withSafelist(a, safelist);
    const pairs = view.pairs;
    const columns = beaconColumns(zone);
    const model = buildBeaconDashboard(view, 'zeek', zone, safelisted);
    showZoneOffsets(columns, pairs, model, zone); // (as DashboardPanel does)
    return { pairs, model, store: new TableStore(pairs, columns) as never, detail: (id) => beaconPairDetail(pairs[id], id, zone) };
  };
  let src = build();
  const rebuilt: ToWebview[] = [];
  const { answer, sent } = answerer(
    () => src,
    (row, action) => {
      const p = src.pairs[row];
      const entry = safelistEntryForAction(p, action)!;
      safelist.push(entry);
      src = build();
      rebuilt.push({ type: 'model', model: src.model });
      return { type: 'ack', message: `safelisted ${entry}`, done: safelistDone(p, entry, action) };
    },
    memento ? new DashboardPrefsStore(memento) : undefined,
  );
  /**
   * The safelist grew elsewhere (another dashboard's action, or the settings): the configuration listener rebuilds
   * this dashboard too, as src/extension/panels/dashboardPanel.ts refresh() does — `rowsChanged` when the rows are not
   * the same rows any more.
   */
  const external = (entry: string): ToWebview => {
    const before = src.pairs;
    safelist.push(entry);
    src = build();
    return sameRows(before, src.pairs) ? { type: 'model', model: src.model } : { type: 'model', model: src.model, rowsChanged: true };
  };
  /** The last entry taken off the safelist again (the notification's Undo): the dashboard rebuilt with its pairs back. */
  const undo = (): ToWebview => {
    const before = src.pairs;
    safelist.pop();
    src = build();
    return sameRows(before, src.pairs) ? { type: 'model', model: src.model } : { type: 'model', model: src.model, rowsChanged: true };
  };
  return { answer, sent, rebuilt, safelist, external, undo };
}

/** The cases dashboard of `cases` (tagging rules `rules`) in `zone`, like src/extension/kinds/kpi.ts. */
export async function makeCasesBackend(cases: string, rules: string, zone: string, memento?: PrefsMemento) {
  const a = await runKpiAnalysis([cases], { sourceZone: 'UTC', rulesPath: rules });
  const rows = caseRows(a, a.asOf);
  const columns = caseColumns(zone, a.options.automationAccounts, hasAcknowledgedTimes(a));
  // the tag colours remembered in the workspace, as src/extension/kinds/kpi.ts keeps them
  const tagColors = new TagColorStore(memento ?? memoryMemento());
  const report = kpiReportOf(a, zone, a.asOf, undefined, tagColors.memory());
  await tagColors.remember(report.tagColors);
  const model = buildKpiDashboard(a, report, 'kpi-small.csv', zone);
  showZoneOffsets(columns, rows, model, zone); // (as DashboardPanel does)
  const src: Source = { model, store: new TableStore(rows, columns) as never, detail: (id) => caseDetail(rows[id], id, zone) };
  return answerer(() => src, undefined, memento ? new DashboardPrefsStore(memento) : undefined);
}
