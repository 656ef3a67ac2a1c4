/**
 * The QRadar analysis kind: worker job (read offenses, lookups and exports), Results tree (noisiest
 * descriptions) and dashboard (rebuilt per display zone and per socAnalytics.qradar.* settings).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  buildQRadarDashboard,
  qradarContext,
  qradarEventColumns,
  qradarEventDetail,
  qradarOffenseColumns,
  qradarOffenseDetail,
} from '../../core/analyze/qradar-dashboard';
import {
  DEFAULT_ESCALATED_REASONS,
  DEFAULT_FALSE_POSITIVE_REASONS,
  DEFAULT_TOP_N,
  qradarDescriptionTreeText,
  qradarTreeText,
  summarizeQRadar,
  summarizeQRadarAsync,
  type QRadarResult,
  type QRadarSettings,
  type QRadarSummary,
} from '../../core/analyze/qradar-summary';
import type { QRadarParsed } from '../../core/parse/qradar-model';
import { TableStore, type StoreColumn } from '../../core/table/store';
import { joinSharedJob, type SharedJob } from '../../core/slices';
import type { SourceRef } from '../../core/model/common';
import type { RowDetail, ShowRowsRequest } from '../../shared/protocol';
import { discoverQRadarFiles } from '../../core/analyze/qradar-run';
import { isValidZoneSetting, resolveZone, unknownZoneSettingMessage } from '../../core/time';
import { COMMON_ZONES, pickZone } from '../zone-pick';
import type { DashboardSource } from '../panels/dashboardPanel';
import type { AnalysisKind, TreeNodeData } from './types';
import { ERRORS_TAB, inputsNotice, QRADAR_FILES_TAB } from '../../core/analyze/run-notice';
import { notificationSafe } from '../../core/text-safe';
import { updateSetting } from '../settings';
import { qradarMarkdown } from '../../core/export/markdown-summary';

/**
 * Dashboard summaries per result and settings. Each is a full pass over the offenses (about a second at 500,000
 * offenses), so none runs on the extension host's main thread in one piece: the analysis worker computes the summary
 * for the display zone with the result ({@link QRadarResult.summaries}), and any other (another display zone, changed
 * closing-reason settings) is computed here in slices of ~20 ms ({@link summarizeQRadarAsync}) while VS Code goes on.
 * Results are not changed after the job, so a summary stays valid as long as its result lives.
 */
interface SummaryEntry {
  settings: QRadarSettings;
  summary?: QRadarSummary;
  /** The computation in slices meanwhile (src/core/slices.ts `joinSharedJob`). */
  pending?: SharedJob<QRadarSummary>;
}

const summaries = new WeakMap<QRadarParsed, Map<string, SummaryEntry>>();
const settingsKey = (s: QRadarSettings) => JSON.stringify(s);

function summaryEntries(p: QRadarResult): Map<string, SummaryEntry> {
  let m = summaries.get(p);
  if (!m) {
    summaries.set(p, (m = new Map()));
    for (const x of p.summaries ?? []) m.set(settingsKey(x.settings), { settings: x.settings, summary: x.summary });
  }
  return m;
}

function entryOf(p: QRadarResult, settings: QRadarSettings): SummaryEntry {
  const m = summaryEntries(p);
  const key = settingsKey(settings);
  let e = m.get(key);
  if (!e) {
    // a few zones / settings at a time (the oldest finished one goes)
    if (m.size >= 8) for (const [k, x] of m) if (x.pending === undefined) { m.delete(k); break; }
    m.set(key, (e = { settings }));
  }
  return e;
}

/** The summary for `settings`, computed here and now when not known yet (blocks; prefer {@link summaryOfAsync}). */
function summaryOf(p: QRadarResult, settings: QRadarSettings): QRadarSummary {
  const e = entryOf(p, settings);
  return (e.summary ??= summarizeQRadar(p, settings));
}

/** An `AbortError` like the one {@link summarizeQRadarAsync} rejects with. */
const abortError = () => new DOMException('The summary is no longer needed.', 'AbortError');

/**
 * The summary for `settings`: a known one, else computed in slices (one computation per result and settings, shared by
 * all who ask meanwhile). `signal`: the caller stops waiting when it aborts (the promise rejects with an `AbortError`);
 * when every caller has stopped waiting, the computation stops between two slices and is not cached (a later request
 * computes it again). Without a signal the caller waits to the end.
 */
function summaryOfAsync(p: QRadarResult, settings: QRadarSettings, signal?: AbortSignal): Promise<QRadarSummary> {
  const e = entryOf(p, settings);
  if (e.summary) return Promise.resolve(e.summary);
  return joinSharedJob(
    e,
    (stop) => summarizeQRadarAsync(p, settings, { signal: stop }),
    (s) => (e.summary = s),
    signal,
    abortError,
  );
}

let refreshTree: (() => void) | undefined;
/** How the Results tree is refreshed when a summary it waited for is ready (call once at activation). */
export function setQRadarTreeRefresh(refresh: () => void): void {
  refreshTree = refresh;
}

let displayZoneOf: (() => string) | undefined;
/** The display zone whose summary the worker computes with each QRadar result (call once at activation). */
export function setQRadarDisplayZone(zone: () => string): void {
  displayZoneOf = zone;
}

/**
 * The closing-reason settings of a summary: the tree's texts (counts, descriptions by count) depend on nothing else —
 * not on the display zone, not on topN (the descriptions are listed whole, their sources cut to a fixed length).
 */
const reasonsKey = (s: QRadarSettings) => JSON.stringify([s.escalatedReasons, s.falsePositiveReasons]);

/**
 * Per result, the summary the tree waits for (the key of its closing-reason settings): one wait and one refresh at a
 * time; a wait for other settings ends it (the tree no longer needs that summary).
 */
const treeWaits = new WeakMap<QRadarResult, { key: string; stop: AbortController }>();

/**
 * Waits for the summary of `settings` (computed in slices, or joined when in flight) and refreshes the tree when it is
 * ready. A wait for other settings (other closing reasons, or the display zone's summary after a zone change) ends the
 * earlier one, whose computation then stops unless a dashboard waits for it.
 */
function waitForTree(p: QRadarResult, settings: QRadarSettings): void {
  const key = settingsKey(settings);
  const before = treeWaits.get(p);
  if (before?.key === key) return; // already waiting: one refresh comes
  before?.stop.abort();
  const wait = { key, stop: new AbortController() };
  treeWaits.set(p, wait);
  const done = (refresh: boolean) => {
    if (treeWaits.get(p) !== wait) return;
    treeWaits.delete(p);
    if (refresh) refreshTree?.();
  };
  void summaryOfAsync(p, settings, wait.stop.signal).then(
    () => done(true),
    () => done(false),
  );
}

/**
 * The summary the Results tree reads, its line ({@link qradarKind}.describe: the line follows the current settings
 * while the result is in memory, `liveDescription`) and its children: counts and descriptions by count, the same in
 * every display zone and for every topN. Any known summary of the current closing-reason settings; else
 * the one in flight for them (a dashboard's) is waited for, or the display zone's summary is asked for (the one the
 * dashboards ask for: one computation serves both), and the tree is refreshed when it is ready, while the tree shows a
 * summary of earlier settings (or, with none known at all, one computed here and now).
 */
function treeSummary(p: QRadarResult): QRadarSummary {
  const settings = qradarSettings(displayZoneOf?.() ?? 'UTC');
  const reasons = reasonsKey(settings);
  const key = settingsKey(settings);
  const waitingFor = treeWaits.get(p)?.key;
  let own: SummaryEntry | undefined; // the display zone's, in flight (the dashboards wait for it)
  let waited: SummaryEntry | undefined; // the one the tree already waits for
  let inFlight: SummaryEntry | undefined;
  let any: QRadarSummary | undefined;
  for (const e of summaryEntries(p).values()) {
    if (reasonsKey(e.settings) === reasons) {
      if (e.summary) return e.summary;
      if (e.pending) {
        const k = settingsKey(e.settings);
        if (k === key) own = e;
        else if (k === waitingFor) waited = e;
        else inFlight ??= e;
      }
    }
    any ??= e.summary;
  }
  if (!any) return summaryOf(p, settings);
  // after a display-zone change the dashboards count in the new zone: the tree joins that one rather than keep another
  // zone's computation alive for itself alone
  waitForTree(p, (own ?? waited ?? inFlight)?.settings ?? settings);
  return any;
}

let qradarLog: ((m: string) => void) | undefined;
/** Where the console-zone step logs (call once at activation with the extension's log). */
export function setQRadarLog(log: (m: string) => void): void {
  qradarLog = log;
}

/** The console-zone step's log (see {@link setQRadarLog}). */
export function qradarLogLine(m: string): void {
  qradarLog?.(m);
}

const strings = (v: unknown, dflt: string[]): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : dflt);

/** socAnalytics.qradar.* settings for a display zone (already resolved). */
export function qradarSettings(zone: string): QRadarSettings {
  const c = vscode.workspace.getConfiguration('socAnalytics.qradar');
  const topN = Number(c.get<number>('topN', DEFAULT_TOP_N));
  return {
    zone,
    escalatedReasons: strings(c.get('escalatedReasons'), DEFAULT_ESCALATED_REASONS),
    falsePositiveReasons: strings(c.get('falsePositiveReasons'), DEFAULT_FALSE_POSITIVE_REASONS),
    topN: Number.isFinite(topN) && topN >= 1 ? Math.min(500, Math.floor(topN)) : DEFAULT_TOP_N,
  };
}

export const qradarKind: AnalysisKind<QRadarResult> = {
  kind: 'qradar',
  label: 'QRadar',
  icon: 'pulse',
  summary: true,
  // the line counts with the closing-reason settings, which can change after the run
  liveDescription: true,
  panelTitle: (meta) => `QRadar: ${meta.title}`,
  command: () => 'socAnalytics.analyzeQRadar',
  job: (meta) => ({
    kind: 'qradar',
    paths: meta.paths,
    options: {
      consoleTimeZone: typeof meta.options.consoleTimeZone === 'string' ? meta.options.consoleTimeZone : undefined,
      // the dashboard's summary in the display zone, computed in the worker (the tree reads it too: see treeSummary)
      summaries: [qradarSettings(displayZoneOf?.() ?? 'UTC')],
    },
  }),
  // the console zone is decided for the chosen inputs (asked only when they hold CSV exports), after they are chosen;
  // it is kept in the analysis options, so a re-run reads the exports in the same zone
  async prepare(paths, options) {
    if (typeof options.consoleTimeZone === 'string') return options;
    const consoleTimeZone = await qradarConsoleZone(paths, (m) => qradarLog?.(m));
    return consoleTimeZone === undefined ? undefined : { ...options, consoleTimeZone };
  },
  describe(p) {
    const s = treeSummary(p).summary;
    return {
      ...qradarTreeText(s),
      summary: {
        files: s.files,
        offenses: s.offenses,
        open: s.open,
        hidden: s.hidden,
        closed: s.closed,
        escalated: s.escalated,
        falsePositive: s.falsePositive,
        descriptions: s.descriptions,
        events: s.events,
        errors: s.errors,
      },
    };
  },
  async source(p, meta, zone, signal): Promise<DashboardSource> {
    const settings = qradarSettings(zone);
    // (kept for the Markdown summary: the cache may have let it go by the time that is asked for)
    const summary = await summaryOfAsync(p, settings, signal);
    const { model } = buildQRadarDashboard(p, meta.title, settings, summary);
    const firstInput = p.files[0]?.file;
    const exportDir = firstInput ? path.dirname(firstInput) : undefined;
    const table = <T extends { source: SourceRef }>(rows: T[], columns: StoreColumn<T>[], detail: (row: T, id: number) => RowDetail, rowNoun: 'events' | 'offenses'): DashboardSource => ({
      panelTitle: qradarKind.panelTitle(meta),
      model,
      rows,
      columns: columns as DashboardSource['columns'],
      store: new TableStore<T>(rows, columns) as DashboardSource['store'],
      detail: (row, id) => detail(row as T, id),
      sourceOf: (row) => (row as T).source,
      exportName: `qradar-${rowNoun}.csv`,
      exportDir,
      rowNoun,
      // the console zone of CSV exports is chosen (asked, or the setting) before the run: never an assumed one
      markdown: (o) => qradarMarkdown(p, summary, { zone, defang: o.defang, title: meta.title, topN: settings.topN, consoleZoneHint: consoleZoneHint(p.consoleTimeZone) }),
    });
    if (model.rowNoun === 'events') return table(p.events, qradarEventColumns(zone), (row, id) => qradarEventDetail(row, id, zone), 'events');
    const ctx = qradarContext(p, settings);
    return table(p.offenses, qradarOffenseColumns(ctx), (row, id) => qradarOffenseDetail(row, id, ctx), 'offenses');
  },
  children(p, analysisId, parentKey, settings): TreeNodeData[] {
    if (parentKey !== undefined) return [];
    const sum = treeSummary(p);
    return sum.descriptions.slice(0, settings.maxChildren).map((d, i) => {
      // the count before the name; a click shows the dashboard's offenses of this description (a removable chip)
      const { facets, ...text } = qradarDescriptionTreeText(d);
      const show: ShowRowsRequest = { facets };
      return {
        key: `desc:${i}`,
        ...text,
        icon: new vscode.ThemeIcon(d.concentration >= 0.8 && d.count > 1 ? 'flame' : 'circle-outline'),
        expandable: false,
        command: { command: 'socAnalytics.openAnalysis', title: 'Show in Dashboard', arguments: [analysisId, show] },
      };
    });
  },
  skipped: (p) => p.skipped,
  problems(p, paths) {
    // problems in the inputs (every readable record kept), a file chosen and skipped: a warning with the tab that
    // lists them; files of another kind in a chosen folder and the notes of the run (duplicates kept once): the log
    // and the Files read tab only
    return inputsNotice({ label: 'QRadar', errors: p.errors, skipped: p.skipped, paths, kept: 'every readable record', errorsTab: ERRORS_TAB, skippedTab: QRADAR_FILES_TAB });
  },
};

/**
 * Where an analysis's console zone came from, for its Markdown summary: the setting socAnalytics.qradar.consoleTimeZone
 * when it holds that zone, else the zone chosen when the analysis ran (a dismissed question: this machine's zone; or
 * the setting changed since).
 */
export function consoleZoneHint(zone: string): string {
  return savedConsoleZone() === zone ? 'setting socAnalytics.qradar.consoleTimeZone' : 'chosen when the analysis ran; setting socAnalytics.qradar.consoleTimeZone';
}

/** The QRadar console zone saved in socAnalytics.qradar.consoleTimeZone (IANA name or fixed offset), resolved; undefined when empty or not a zone. */
export function savedConsoleZone(): string | undefined {
  const raw = (vscode.workspace.getConfiguration('socAnalytics.qradar').get<string>('consoleTimeZone', '') ?? '').trim();
  return raw && isValidZoneSetting(raw) ? resolveZone(raw) : undefined;
}

/**
 * The zone of the console's CSV display times (socAnalytics.qradar.consoleTimeZone, qradar.md §5.1) for an analysis
 * of `paths` — the inputs chosen for it, never other folders. When the setting is empty (or not a zone) and those
 * inputs hold CSV files, asks once (quick pick) and saves the answer where it takes effect (the user settings, or the
 * workspace when the workspace defines the setting); a dismissed question falls back to this machine's zone with a
 * warning. Without CSV files nothing is asked and `UTC` is returned (no display times to convert). The look for CSV
 * files walks the chosen inputs only (a cancellable progress notification when it is slow): resolves to undefined when
 * it was cancelled.
 */
export async function qradarConsoleZone(paths: string[], log: (m: string) => void): Promise<string | undefined> {
  const saved = savedConsoleZone();
  if (saved) return saved;
  // Only the chosen inputs are walked. A walk that takes more than a moment (a large folder, a network share) shows a
  // progress notification with Cancel (the analysis is then cancelled); a quick one shows nothing.
  const ac = new AbortController();
  const search = discoverQRadarFiles(paths, ac.signal).then(
    (d) => d.files.some((f) => f.file.toLowerCase().endsWith('.csv')),
    () => (ac.signal.aborted ? undefined : false),
  );
  let timer: NodeJS.Timeout | undefined;
  const quick = await Promise.race([search, new Promise<'slow'>((r) => (timer = setTimeout(() => r('slow'), 400)))]);
  clearTimeout(timer);
  const hasCsv =
    quick !== 'slow'
      ? quick
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SOC: Looking for QRadar CSV exports in the chosen inputs', cancellable: true }, (_p, token) => {
          const sub = token.onCancellationRequested(() => ac.abort());
          return search.finally(() => sub.dispose());
        });
  if (hasCsv === undefined) return undefined;
  if (!hasCsv) return 'UTC';
  return askConsoleZone(log);
}

/**
 * Asks for the QRadar console's zone (the zone of the display times in Log/Network Activity CSV exports) and saves
 * the answer in socAnalytics.qradar.consoleTimeZone, where it takes effect; a dismissed question falls back to this
 * machine's zone with a warning (nothing saved). Call when the setting holds no zone ({@link savedConsoleZone}) and
 * the inputs hold such exports (the QRadar analysis, a beacon analysis of QRadar flow exports).
 */
export async function askConsoleZone(log: (m: string) => void): Promise<string> {
  const raw = (vscode.workspace.getConfiguration('socAnalytics.qradar').get<string>('consoleTimeZone', '') ?? '').trim();
  if (raw) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: ${unknownZoneSettingMessage('socAnalytics.qradar.consoleTimeZone', raw, 'Asking for the console zone again.')}`));
  const local = resolveZone('local');
  const zone = await pickZone({
    // (the placeholder must fit the input box; the detail goes in the title, which wraps)
    title: "Choose the QRadar console's time zone — the zone of the times in CSV exports (their event times: the First/Last event columns); asked once, saved in socAnalytics.qradar.consoleTimeZone",
    placeHolder: 'Console zone, e.g. Europe/Berlin or UTC+3',
    ignoreFocusOut: true,
    // Enter alone must not save a guess: a wrong console zone shifts every CSV time without a sign
    noDefault: true,
    first: [{ label: 'local', description: `this machine: ${local}` }, ...['UTC', ...COMMON_ZONES].map((z) => ({ label: z }))],
  });
  if (!zone) {
    void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: QRadar export times read in this machine's zone (${local}). Set socAnalytics.qradar.consoleTimeZone to the console's zone and re-run if that is wrong.`));
    log(`QRadar console time zone not set; using ${local}`);
    return local;
  }
  // where it takes effect: a workspace that sets the key (an invalid value there) would otherwise ask again every run
  await updateSetting('socAnalytics.qradar', 'consoleTimeZone', zone);
  log(`QRadar console time zone set to ${zone}`);
  return resolveZone(zone);
}
