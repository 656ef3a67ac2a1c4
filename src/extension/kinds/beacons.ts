/**
 * The beacon analysis kind (RITA scoring on Zeek and generic connection logs): settings, column
 * mapping quick pick (saved per file in workspaceState), worker job, Results tree, dashboard and
 * the "Safelist this pair" action (updates `socAnalytics.beacons.safelist`).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BeaconAnalysis, BeaconRow } from '../../core/analyze/beacons/analyze';
import { beaconAttentionHeadline, beaconColumns, beaconPairDetail, beaconPairTreeText, beaconPairStats, beaconProblemsHeadline, buildBeaconDashboard, pairTarget, safelistDone, safelistEntryForAction, severityLabel, withSafelist, withSafelistSteps } from '../../core/analyze/beacons/dashboard';
import { joinSharedJob, runInSlices, type SharedJob } from '../../core/slices';
import { DEFAULT_INTERNAL_SUBNETS } from '../../core/analyze/beacons/filter';
import { count, grouped, noun } from '../../core/analyze/dashboard-kit';
import { resolveBeaconOptions, type BeaconOptions } from '../../core/analyze/beacons/options';
import { describeSkipped, planInputs, promptSkippedFirst, promptSkippedReason } from '../../core/analyze/beacons/run';
import { DEFAULT_SCORING, DEFAULT_THRESHOLDS } from '../../core/analyze/beacons/score';
import { MAPPING_FIELDS, MAPPING_FIELD_LABELS, MAPPING_PRESETS, guessMapping, isQRadarFlowInput, type ColumnMapping } from '../../core/parse/conn-csv';
import { askConsoleZone, qradarLogLine, savedConsoleZone } from './qradar';
import { discoverInputs, type InputInfo } from '../../core/parse/zeek';
import { TableStore } from '../../core/table/store';
import type { DashboardSource } from '../panels/dashboardPanel';
import { beaconsMarkdown } from '../../core/export/markdown-summary';
import { ERRORS_TAB, NOTES_TAB } from '../../core/analyze/run-notice';
import type { AnalysisKind, TreeNodeData } from './types';
import { cutText, notificationSafe } from '../../core/text-safe';
import type { DashboardModel, DashboardNotice, ShowRowsRequest } from '../../shared/protocol';
import { updateSetting } from '../settings';
import { problemWhere } from '../../core/model/common';
import { NoInputError } from '../../core/analyze/no-input';

const SECTION = 'socAnalytics.beacons';
const MAPPINGS_KEY = 'socAnalytics.beacons.mappings';

let mappingStore: vscode.Memento | undefined;

/** Where column mappings are saved per file (call once at activation with `context.workspaceState`). */
export function setBeaconMappingStore(m: vscode.Memento): void {
  mappingStore = m;
}

function savedMappings(): Record<string, ColumnMapping> {
  return { ...(mappingStore?.get<Record<string, ColumnMapping>>(MAPPINGS_KEY, {}) ?? {}) };
}

/** The beacon options from the `socAnalytics.beacons.*` settings (RITA defaults where unset), as they apply to `scope` (the first input: its workspace folder's values). */
export function beaconSettings(scope?: vscode.Uri): Partial<BeaconOptions> {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const w = c.get<Record<string, number>>('weights', {});
  const t = c.get<Record<string, number>>('scoreThresholds', {});
  return {
    algorithm: c.get<'rita-v5' | 'rita-legacy'>('algorithm', 'rita-v5'),
    internalSubnets: c.get<string[]>('internalSubnets', [...DEFAULT_INTERNAL_SUBNETS]),
    alwaysIncluded: c.get<string[]>('alwaysIncludedSubnets', []),
    filterExternalToInternal: c.get<boolean>('filterExternalToInternal', true),
    safelist: c.get<string[]>('safelist', []),
    minScore: c.get<number>('minScore', 0),
    uniqueConnectionThreshold: c.get<number>('uniqueConnectionThreshold', 4),
    legacyConnectionThreshold: c.get<number>('legacyConnectionThreshold', 23),
    strobeConnectionLimit: c.get<number>('strobeConnectionLimit', 86400),
    sni: c.get<boolean>('joinHostNames', true),
    hourlyImport: c.get<boolean>('hourlyImport', true),
    scoring: {
      tsWeight: w.timestamp ?? DEFAULT_SCORING.tsWeight,
      dsWeight: w.dataSize ?? DEFAULT_SCORING.dsWeight,
      durWeight: w.duration ?? DEFAULT_SCORING.durWeight,
      histWeight: w.histogram ?? DEFAULT_SCORING.histWeight,
      durationMinHoursSeen: c.get<number>('durationMinHoursSeen', DEFAULT_SCORING.durationMinHoursSeen),
      durationConsistencyIdealHoursSeen: c.get<number>('durationConsistencyIdealHoursSeen', DEFAULT_SCORING.durationConsistencyIdealHoursSeen),
      histogramModeSensitivity: c.get<number>('histogramModeSensitivity', DEFAULT_SCORING.histogramModeSensitivity),
      histogramBimodalOutlierRemoval: c.get<number>('histogramBimodalOutlierRemoval', DEFAULT_SCORING.histogramBimodalOutlierRemoval),
      histogramBimodalMinHoursSeen: c.get<number>('histogramBimodalMinHoursSeen', DEFAULT_SCORING.histogramBimodalMinHoursSeen),
    },
    thresholds: { ...DEFAULT_THRESHOLDS, ...t },
  };
}

type PickItem = vscode.QuickPickItem & { mapping?: ColumnMapping; manual?: boolean; skip?: boolean; cancel?: boolean };

const describeMapping = (m: ColumnMapping) =>
  MAPPING_FIELDS.filter((f) => m[f])
    .map((f) => `${f}=${m[f]}`)
    .join(', ');

/** Field-by-field quick picks over the file's columns; undefined when cancelled. */
async function pickColumns(info: InputInfo, start: ColumnMapping | undefined): Promise<ColumnMapping | undefined> {
  const out: Partial<ColumnMapping> = {};
  for (const f of MAPPING_FIELDS) {
    const required = f === 'ts' || f === 'src' || f === 'dst';
    const items: vscode.QuickPickItem[] = info.columns.map((c) => ({ label: c, picked: start?.[f] === c }));
    if (!required) items.unshift({ label: '(none)', description: 'leave this field unmapped' });
    const current = start?.[f];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Column for “${MAPPING_FIELD_LABELS[f]}” — ${path.basename(info.file)}`,
      placeHolder: current ? `suggested: ${current}` : required ? 'required' : 'optional',
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (pick.label !== '(none)') out[f] = pick.label;
  }
  return out as ColumnMapping;
}

/** What {@link askMappings} found: the mappings to run with, and the files that will not be read, with why. */
export interface MappingOutcome {
  /** File → column mapping for the run. */
  mappings: Record<string, ColumnMapping>;
  /** Files left out before the run (not connection logs, empty, other Zeek logs…), with the reason. */
  skipped: { file: string; reason: string }[];
  /** Files that can be read as connection or host-name sources (those skipped at the prompt not counted). */
  readable: number;
  /** Files the analyst skipped at the prompt (*Skip* or Escape): passed to the run as `declined`. */
  declined: string[];
  /** QRadar flow CSV exports among them: their display times need the console's zone. */
  qradarCsv: number;
}

/**
 * Asks for the column mapping of generic CSV/JSON files that have no saved mapping (one quick pick
 * per distinct header): presets, the mapping guessed from the header, or column by column. The
 * choice is saved per file. Files that are plainly not connection logs are skipped with a reason
 * and never asked about (core planInputs: QRadar Log Activity exports among them), nor are QRadar flow exports,
 * whose columns are known (Network Activity CSV, Ariel JSON: core qradar-flows.ts). *Skip* (or Escape) leaves one
 * header's files out, listed in `skipped` and not counted as `readable`. Resolves to the outcome (nothing is asked
 * when no file can be read), or undefined when the user chose *Cancel the analysis*.
 */
export async function askMappings(paths: string[]): Promise<MappingOutcome | undefined> {
  const saved = savedMappings();
  const disc = await discoverInputs(paths, { reportNotRead: true });
  const plan = await planInputs(disc.files, { sni: true, mappings: saved });
  const skipped = [...disc.skipped, ...plan.skipped];
  const readable = plan.planned.length + plan.needsMapping.length;
  const qradarCsv = plan.planned.filter((p) => p.role === 'generic' && p.info.format === 'csv' && isQRadarFlowInput(p.info)).length;
  if (readable === 0) return { mappings: {}, skipped, readable, declined: [], qradarCsv };
  const generic = [...plan.planned.filter((p) => p.role === 'generic' && !saved[p.info.file] && !p.preset).map((p) => p.info), ...plan.needsMapping];
  const byHeader = new Map<string, InputInfo[]>();
  const declined: string[] = [];
  for (const info of generic) {
    const key = info.columns.join('\u0000');
    byHeader.set(key, [...(byHeader.get(key) ?? []), info]);
  }
  for (const infos of byHeader.values()) {
    const info = infos[0];
    const guess = guessMapping(info.columns);
    const items: PickItem[] = [];
    if (guess) items.push({ label: '$(sparkle) Detected columns', description: describeMapping(guess), mapping: guess });
    for (const p of MAPPING_PRESETS) {
      if (['ts', 'src', 'dst'].every((f) => info.columns.includes(p.mapping[f as 'ts'])) || info.columns.length === 0) items.push({ label: p.label, description: p.description, mapping: p.mapping });
    }
    items.push({ label: '$(list-selection) Choose columns…', description: 'map each field to a column', manual: true });
    items.push({ label: `$(debug-step-over) Skip ${infos.length > 1 ? 'these files' : 'this file'}`, description: 'listed as skipped by you; the other files are analyzed (Escape does the same)', skip: true });
    items.push({ label: '$(close) Cancel the analysis', description: 'no file is read', cancel: true });
    const pick = await vscode.window.showQuickPick(items, {
      title: `Connection columns of ${path.basename(info.file)}${infos.length > 1 ? ` (+${count(infos.length - 1, 'file')} with the same header)` : ''}`,
      placeHolder: `Columns: ${info.columns.slice(0, 12).join(', ')}${info.columns.length > 12 ? ' …' : ''}`,
      ignoreFocusOut: true,
    });
    if (pick?.cancel) return undefined;
    // Escape, *Skip*, or Escape in the column-by-column picks: this header's files are left out, the others read
    // (Escape cancelled the whole run: a QRadar export in the workspace root stopped the 24 Zeek logs beside it)
    const mapping = !pick || pick.skip ? undefined : pick.manual ? await pickColumns(info, guess) : pick.mapping;
    if (!mapping) {
      for (const i of infos) skipped.push({ file: i.file, reason: promptSkippedReason(i.columns) });
      declined.push(...infos.map((i) => i.file));
      continue;
    }
    for (const i of infos) saved[i.file] = mapping;
  }
  await mappingStore?.update(MAPPINGS_KEY, saved);
  const forRun: Record<string, ColumnMapping> = {};
  for (const f of disc.files) if (saved[f]) forRun[f] = saved[f];
  return { mappings: forRun, skipped, readable: readable - declined.length, declined, qradarCsv };
}

/** The settings scope of a beacon analysis: its first input (the safelist is per workspace folder). */
function scopeOf(a: HostBeaconAnalysis, paths?: string[]): vscode.Uri | undefined {
  const first = a.files[0]?.file ?? paths?.[0];
  return first ? vscode.Uri.file(first) : undefined;
}

/**
 * socAnalytics.beacons.safelist as it applies to `scope`, its string entries only: the setting comes from a workspace
 * (`.vscode/settings.json`), which may hold a string (spread into single characters when written back) or a number
 * (`includes` threw) instead of a list. Hostile review, round 5.
 */
function safelistEntries(scope: vscode.Uri | undefined): string[] {
  const v: unknown = vscode.workspace.getConfiguration(SECTION, scope).get('safelist', []);
  return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : [];
}

/**
 * True when `a` ran with a safelist that left records out (`filtered.safelisted` > 0) and an entry of that
 * safelist is no longer on the current one (an *Undo*, *Remove Beacon Safelist Entries…*, an edit): the pairs that
 * entry hid were never scored, so no view of this result can show them — only a re-run from the input files can. The
 * run's safelist is `safelistChecked.entries` (set by the analysis worker); a result without it (none at run time)
 * answers false.
 */
export function beaconSafelistNarrowedSinceRun(a: HostBeaconAnalysis, paths?: string[]): boolean {
  const ran = a.safelistChecked?.entries;
  if (!ran?.length || !(a.filtered.safelisted ?? 0)) return false;
  const now = new Set(safelistEntries(scopeOf(a, paths)));
  return ran.some((e) => !now.has(e));
}

/** The beacon settings a run applies (safelist aside: it applies at once), with their setting names. */
const RUN_SETTINGS: readonly (readonly [keyof BeaconOptions, string])[] = [
  ['algorithm', 'algorithm'],
  ['internalSubnets', 'internalSubnets'],
  ['alwaysIncluded', 'alwaysIncludedSubnets'],
  ['filterExternalToInternal', 'filterExternalToInternal'],
  ['minScore', 'minScore'],
  ['uniqueConnectionThreshold', 'uniqueConnectionThreshold'],
  ['legacyConnectionThreshold', 'legacyConnectionThreshold'],
  ['strobeConnectionLimit', 'strobeConnectionLimit'],
  ['thresholds', 'scoreThresholds'],
  ['scoring', 'weights and the duration / histogram settings'],
];

/**
 * The beacon settings that differ now from those `a` ran with, one line each (`socAnalytics.beacons.internalSubnets:
 * ["10.0.0.0/8"] at the run, ["192.168.0.0/16"] now`); [] when none. Both sides are resolved the same way
 * (`resolveBeaconOptions`: defaults, corrections), so an invalid value dropped at the run is not a difference. The
 * safelist is left out: its changes apply to the shown result at once.
 */
export function beaconSettingsChangedSinceRun(a: HostBeaconAnalysis, paths?: string[]): string[] {
  const now = resolveBeaconOptions(beaconSettings(scopeOf(a, paths))).options;
  const text = (v: unknown) => cutText(JSON.stringify(v) ?? 'unset', 120);
  return RUN_SETTINGS.filter(([k]) => a.options && JSON.stringify(a.options[k]) !== JSON.stringify(now[k])).map(([k, name]) => `socAnalytics.beacons.${name}: ${text(a.options[k])} at the run, ${text(now[k])} now`);
}

/**
 * *SOC: Remove Beacon Safelist Entries…* (`socAnalytics.removeSafelistEntries`): the entries of
 * socAnalytics.beacons.safelist (as it applies to `scope`: a workspace folder, by default the first one) in a
 * many-choice quick pick, none ticked; the ticked ones are taken off where the list takes effect, and the open beacon
 * dashboards show their pairs again (the configuration listener). Resolves to the entries removed (`[]`: none, or the
 * list is empty — said in a notification), undefined when the pick was dismissed. A new-user trial: the *Undo* of
 * the notification after *Safelist this pair* is gone once the notification is, and the detail pane said to edit the
 * setting by hand.
 */
export async function removeSafelistEntries(scope: vscode.Uri | undefined = vscode.workspace.workspaceFolders?.[0]?.uri): Promise<string[] | undefined> {
  const list = safelistEntries(scope);
  if (list.length === 0) {
    void vscode.window.showInformationMessage('SOC Analytics: the beacon safelist (socAnalytics.beacons.safelist) is empty.');
    return [];
  }
  const picks = await vscode.window.showQuickPick(
    list.map((entry) => ({ label: notificationSafe(String(entry)), entry: String(entry) })),
    { title: 'SOC: Remove beacon safelist entries — tick those to take off (Space), Enter; their pairs come back in every beacon analysis', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picks) return undefined;
  const gone = new Set(picks.map((p) => p.entry));
  if (gone.size === 0) return [];
  // the list as it is now (an entry added meanwhile stays)
  const now = safelistEntries(scope);
  await updateSetting(SECTION, 'safelist', now.filter((e) => !gone.has(e)), { scope, preferred: 'workspace' });
  void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: ${count(gone.size, 'entry', 'entries')} taken off the beacon safelist: ${[...gone].slice(0, 5).join(', ')}${gone.size > 5 ? ', …' : ''}.`));
  return [...gone];
}

/** A result as a safelist shows it ({@link withSafelist}). */
type SafelistView = { view: HostBeaconAnalysis; safelisted: number };

/** A safelist's view of a result: known, or being computed in slices. */
interface ViewEntry {
  view?: SafelistView;
  /** The computation in slices meanwhile (src/core/slices.ts `joinSharedJob`). */
  pending?: SharedJob<SafelistView>;
}

/** Per result: its views by safelist; `latest`; the safelist whose view the tree waits for (one wait, one refresh). */
interface ResultViews {
  byList: Map<string, ViewEntry>;
  latest?: SafelistView;
  treeWait?: { key: string; stop: AbortController };
}

/**
 * Views per result and safelist (its entries as JSON): the Results line follows the safelist (`liveDescription`), so
 * every refresh of the tree asked again, and with a non-empty safelist that is a test of every listed pair (~1 s for
 * the 1.2 million pairs of 10 million connections, on the extension host's main thread). `latest` is the view the
 * tree last showed as current, which it shows while the view of a changed safelist is being computed.
 */
const views = new WeakMap<HostBeaconAnalysis, ResultViews>();

/** Listed pairs up to which a changed safelist's view is computed here and now (a few ms) rather than in slices. */
export const SAFELIST_SYNC_PAIRS = 50_000;

let refreshTree: (() => void) | undefined;
/** How the Results tree is refreshed when a safelist view it waited for is ready (call once at activation). */
export function setBeaconTreeRefresh(refresh: () => void): void {
  refreshTree = refresh;
}

function viewsOf(a: HostBeaconAnalysis): ResultViews {
  let v = views.get(a);
  if (!v) views.set(a, (v = { byList: new Map() }));
  return v;
}

/** The entry of `a` for the safelist `key`, with its view when it needs no test of the pairs. */
function viewEntry(a: HostBeaconAnalysis, entries: string[], key: string): ViewEntry {
  const v = viewsOf(a);
  let e = v.byList.get(key);
  if (!e) {
    // a few safelists at a time (scopes, edits): the oldest finished one goes
    if (v.byList.size >= 4) for (const [k, x] of v.byList) if (!x.pending) { v.byList.delete(k); break; }
    v.byList.set(key, (e = {}));
    // no entry, or the worker tested the pairs against this safelist and none would be hidden: the result itself
    const c = a.safelistChecked;
    if (entries.length === 0 || (c && c.safelisted === 0 && JSON.stringify(c.entries) === key)) e.view = { view: a, safelisted: 0 };
  }
  return e;
}

const abortError = () => new DOMException('The safelist view is no longer needed.', 'AbortError');

/**
 * The view of the safelist `entries`: known, or computed in slices (one computation per result and safelist, shared by
 * all who ask meanwhile). `signal`: the caller stops waiting when it aborts (the promise rejects with an `AbortError`);
 * when every caller has stopped waiting, the computation stops. Without a signal the caller waits to the end.
 */
function viewAsync(a: HostBeaconAnalysis, entries: string[], key: string, signal?: AbortSignal): Promise<SafelistView> {
  const e = viewEntry(a, entries, key);
  if (e.view) return Promise.resolve(e.view);
  return joinSharedJob(
    e,
    (stop) => runInSlices(withSafelistSteps(a, entries), { signal: stop }),
    (view) => (e.view = view),
    signal,
    abortError,
  );
}

/**
 * The current safelist of `a` (as it applies to its inputs), its key and its entry; the entry's view is filled in here
 * and now when that takes no slices (up to {@link SAFELIST_SYNC_PAIRS} listed pairs: a few ms).
 */
function currentEntry(a: HostBeaconAnalysis, paths?: string[]): { entries: string[]; key: string; e: ViewEntry } {
  const entries = safelistEntries(scopeOf(a, paths));
  const key = JSON.stringify(entries);
  const e = viewEntry(a, entries, key);
  if (!e.view && !e.pending && a.pairs.length <= SAFELIST_SYNC_PAIRS) e.view = withSafelist(a, entries);
  return { entries, key, e };
}

/**
 * The analysis as the current safelist (which may have grown since the run) shows it, for the Results tree: the same
 * object while the safelist is unchanged. The view of a changed safelist is computed here and now for up to
 * {@link SAFELIST_SYNC_PAIRS} listed pairs; above, in slices, while the tree shows the view it last showed (the run's
 * own at first) and refreshes when the new one is ready. A wait for another safelist's view (edited again, set back)
 * ends: that view stops unless a dashboard waits for it.
 */
function currentView(a: HostBeaconAnalysis, paths?: string[]): SafelistView {
  const { entries, key, e } = currentEntry(a, paths);
  const v = viewsOf(a);
  if (v.treeWait && v.treeWait.key !== key) {
    v.treeWait.stop.abort();
    v.treeWait = undefined;
  }
  // `latest`: the view the tree last showed for a safelist then in effect (not one computed for a safelist since set back)
  if (e.view) return (v.latest = e.view);
  if (!v.treeWait) {
    const wait = { key, stop: new AbortController() };
    v.treeWait = wait;
    void viewAsync(a, entries, key, wait.stop.signal).then(
      () => {
        if (v.treeWait !== wait) return;
        v.treeWait = undefined;
        refreshTree?.();
      },
      () => {
        if (v.treeWait === wait) v.treeWait = undefined;
      },
    );
  }
  return v.latest ?? { view: a, safelisted: 0 };
}

/** {@link currentView} for the dashboard: waits for the current safelist's view (computed in slices when large). */
function currentViewAsync(a: HostBeaconAnalysis, paths?: string[], signal?: AbortSignal): Promise<SafelistView> {
  const { entries, key, e } = currentEntry(a, paths);
  return e.view ? Promise.resolve(e.view) : viewAsync(a, entries, key, signal);
}

function severityIcon(s: string): vscode.ThemeIcon {
  if (s === 'high') return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('errorForeground'));
  if (s === 'medium') return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('editorWarning.foreground'));
  if (s === 'low') return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('editorInfo.foreground'));
  return new vscode.ThemeIcon('circle-outline');
}

/** A beacon result on the host: its pairs are rows whose details stay packed (src/shared/result-packing.ts). */
type HostBeaconAnalysis = BeaconAnalysis<BeaconRow>;

/** `model` with a notice naming the beacon settings changed since the run (`changed`, none: `model` as it is). */
function withSettingsNotice(model: DashboardModel, changed: string[]): DashboardModel {
  if (!changed.length) return model;
  const notice: DashboardNotice = {
    id: 'settings-changed',
    severity: 'info',
    title: 'Beacon settings changed since this run: re-run the analysis to apply them',
    lines: [...changed, 'Re-run Analysis (right-click the analysis in the SOC Analytics Results view) scores the pairs again with the current settings; safelist changes apply at once.'],
  };
  return { ...model, notices: [...(model.notices ?? []), notice] };
}

export const beaconsKind: AnalysisKind<HostBeaconAnalysis> = {
  kind: 'beacons',
  label: 'Beacon',
  treeLabel: 'Beacons',
  icon: 'broadcast',
  summary: true,
  liveDescription: true,
  // an entry taken off the safelist after a run that applied it: its pairs were never scored (no view can show them)
  rerunAfterSettingsChange: (a, meta) => beaconSafelistNarrowedSinceRun(a, meta.paths),
  panelTitle: (meta) => `Beacons: ${meta.title}`,
  command: () => 'socAnalytics.detectBeacons',
  job: (meta) => ({
    kind: 'beacons',
    paths: meta.paths,
    // live settings win (a re-run applies the current safelist/thresholds); mappings stay per analysis
    options: { ...(meta.options as Partial<BeaconOptions>), ...beaconSettings(meta.paths[0] ? vscode.Uri.file(meta.paths[0]) : undefined), mappings: (meta.options as Partial<BeaconOptions>).mappings },
  }),
  async prepare(paths, options) {
    const r = await askMappings(paths);
    if (!r) return undefined;
    // nothing to score: which files were looked at and why none is a connection log (no prompt, no job), with the
    // next steps of every analysis that found nothing of its kind (Choose Files…, Show Log)
    // the files the analyst skipped at the prompt first: the notification names two files
    if (r.readable === 0) throw new NoInputError('connection log', promptSkippedFirst(r.skipped));
    const notConn = r.skipped.filter((k) => k.reason.startsWith('not a connection log'));
    if (notConn.length) void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: ${describeSkipped(notConn)} (also listed in the dashboard's Notes tab).`));
    // QRadar flow CSV exports: their times carry no zone; the console's (the setting, else asked once, as for the
    // QRadar analysis), kept in the analysis options so that a re-run reads them in the same zone
    const consoleTimeZone = typeof options.consoleTimeZone === 'string' ? options.consoleTimeZone : r.qradarCsv > 0 ? (savedConsoleZone() ?? (await askConsoleZone(qradarLogLine))) : undefined;
    // the skipped files go to the run: left out there too (not read with a guessed mapping, not "no column mapping"
    // errors), listed with "skipped by you at the column prompt"
    return { ...options, mappings: r.mappings, ...(r.declined.length ? { declined: r.declined } : { declined: undefined }), ...(consoleTimeZone ? { consoleTimeZone } : {}) };
  },
  describe(a) {
    // counts of the pairs the current safelist leaves visible (as the dashboard shows them)
    const { view, safelisted: hidden } = currentView(a);
    const s = view.summary;
    return {
      description: `${grouped(s.high)} high · ${grouped(s.medium)} medium · ${count(s.pairs, 'pair')} scored${hidden ? ` · ${grouped(hidden)} safelisted` : ''}`,
      tooltip:
        `${a.algorithm}: ${count(s.files, 'file')}, ${count(s.records, 'connection')} (${s.filteredRecords.toLocaleString('en-US')} filtered), ${count(s.pairsSeen, 'pair')}, ` +
        `${s.pairs.toLocaleString('en-US')} scored (${grouped(s.high)} high, ${grouped(s.medium)} medium, ${grouped(s.low)} low), ${count(s.strobes, 'strobe')}, ${count(s.unparsedLines, 'unreadable line')}` +
        (hidden ? `; ${count(hidden, 'listed pair')} hidden by the current safelist` : ''),
      summary: {
        files: s.files,
        records: s.records,
        filteredRecords: s.filteredRecords,
        pairsSeen: s.pairsSeen,
        pairs: s.pairs,
        listed: s.listed,
        high: s.high,
        medium: s.medium,
        low: s.low,
        strobes: s.strobes,
        unparsedLines: s.unparsedLines,
      },
    };
  },
  async source(a, meta, zone, signal): Promise<DashboardSource> {
    // a safelist changed since the run: its view is computed in slices (the host keeps answering); stopped when no
    // longer needed (`signal`: the panel closed or rebuilt, and the tree waits for another safelist)
    const { view, safelisted } = await currentViewAsync(a, meta.paths, signal);
    // a safelist view has no worker counts (they are of every listed pair): counted here once per view and kept with it,
    // not at every rebuild of the dashboard (a display-zone switch, another safelist's refresh) — ~1 s on the host's
    // main thread for the 1.2 million pairs of 10 million connections. Not in currentView: the Results line needs none.
    view.pairStats ??= beaconPairStats(view.pairs);
    const pairs = view.pairs;
    const columns = beaconColumns(zone);
    const store = new TableStore<BeaconRow>(pairs, columns);
    const firstInput = a.files[0]?.file ?? meta.paths[0];
    return {
      panelTitle: beaconsKind.panelTitle(meta),
      model: withSettingsNotice(buildBeaconDashboard(view, meta.title, zone, safelisted), beaconSettingsChangedSinceRun(a, meta.paths)),
      rows: pairs,
      columns: columns as DashboardSource['columns'],
      store: store as DashboardSource['store'],
      detail: (row, id) => beaconPairDetail(row as BeaconRow, id, zone),
      exportName: 'beacons.csv',
      exportDir: firstInput ? path.dirname(firstInput) : undefined,
      rowNoun: 'connection pairs',
      // the pairs the current safelist leaves (as the dashboard); only the top rows are rebuilt whole
      markdown: (o) => beaconsMarkdown(view, { zone, defang: o.defang, title: meta.title, safelistNow: { entries: safelistEntries(scopeOf(a, meta.paths)), hidden: safelisted } }),
      async action(row, _id, action) {
        const p = row as BeaconRow;
        const entry = safelistEntryForAction(p, action);
        if (!entry) throw new Error(`Cannot ${action} for ${p.src} → ${pairTarget(p)}.`);
        const scope = scopeOf(a, meta.paths);
        const list = safelistEntries(scope);
        const added = !list.includes(entry);
        if (added) {
          // Safelisting hides traffic from every later analysis: ask first (a double click must not safelist two pairs).
          const ok = await vscode.window.showWarningMessage(
            notificationSafe(`Add “${entry}” to the beacon safelist?`),
            { modal: true, detail: 'Safelisted traffic is left out of every beacon analysis of this workspace (setting socAnalytics.beacons.safelist; remove the entry there to undo).' },
            'Safelist',
          );
          if (ok !== 'Safelist') return { message: 'cancelled' };
          // the workspace (the input's folder when that folder has its own safelist; the user settings with no workspace open)
          await updateSetting(SECTION, 'safelist', [...list, entry], { scope, preferred: 'workspace' });
        }
        // Undo takes the entry off again (the list as it is then: other entries added meanwhile stay); the open
        // dashboards show the pair again through the same configuration listener
        void vscode.window
          .showInformationMessage(notificationSafe(`SOC Analytics: “${entry}” is on the beacon safelist (socAnalytics.beacons.safelist).`), ...(added ? ['Undo'] : []))
          .then(async (c) => {
            if (c !== 'Undo') return;
            const now = safelistEntries(scope);
            await updateSetting(SECTION, 'safelist', now.filter((e) => e !== entry), { scope, preferred: 'workspace' });
            void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: “${entry}” was taken off the beacon safelist.`));
          });
        // the configuration listener in extension.ts rebuilds the open dashboards; the detail pane shows `done`
        return { message: `safelisted ${entry}`, done: safelistDone(p, entry, action) };
      },
    };
  },
  children(a, analysisId, parentKey, settings): TreeNodeData[] {
    if (parentKey !== undefined) return [];
    // v5: the pairs of a severity band; legacy (no bands, severity n/a): every listed pair (score ≥ the minimum)
    // the first maxChildren of them, and how many there are (no copy of the 1.2 million rows of a large result)
    const all = currentView(a).view.pairs;
    const pairs: BeaconRow[] = [];
    let banded = 0;
    for (const p of all) {
      if (p.severity === 'none') continue;
      if (banded++ < settings.maxChildren) pairs.push(p);
    }
    const nodes: TreeNodeData[] = pairs.map((p, i) => {
      // the score and the destination first (the default side bar cuts the rest); a click shows the pair's row, its detail open
      const t = beaconPairTreeText(p);
      const show: ShowRowsRequest = { facets: t.facets, detail: true };
      return {
        key: `pair:${i}`,
        label: t.label,
        description: t.description,
        tooltip: t.tooltip,
        icon: severityIcon(p.severity),
        contextValue: 'beacon',
        expandable: false,
        command: { command: 'socAnalytics.openAnalysis', title: 'Show in Dashboard', arguments: [analysisId, show] },
      };
    });
    if (banded > settings.maxChildren) {
      nodes.push({ key: 'more', label: `… ${grouped(banded - settings.maxChildren)} more — open the dashboard`, expandable: false, command: { command: 'socAnalytics.openAnalysis', title: 'Open Dashboard', arguments: [analysisId] } });
    }
    if (a.strobes.length) nodes.push({ key: 'strobes', label: `${grouped(a.strobes.length)} strobe${a.strobes.length === 1 ? '' : 's'} (too many connections)`, icon: new vscode.ThemeIcon('pulse'), expandable: false, command: { command: 'socAnalytics.openAnalysis', title: 'Open Dashboard', arguments: [analysisId] } });
    if (!nodes.length) nodes.push({ key: 'none', label: a.summary.pairs ? (a.algorithm === 'rita-legacy' ? 'No pair at the minimum score or above' : 'No pair at low severity or above') : 'No pair could be scored', description: a.notes[0], expandable: false });
    return nodes;
  },
  problems(a) {
    if (a.errors.length === 0 && a.notes.length === 0) return undefined;
    const lines = [...a.notes, ...a.errors.slice(0, 200).map((e) => `${problemWhere(e.file, e.line)}: ${e.message}`)];
    // a notification only for what needs action — inputs with problems, then notes on settings or connections left
    // out of the scoring (a.attention), in one short sentence; routine notes (ICMP errors only, pairs that never
    // carried data) stay in the Notes tab and the log
    // (with the button that opens the dashboard on the tab that lists them: Errors, else Notes)
    const problemsMsg = beaconProblemsHeadline(a);
    if (problemsMsg) return { message: problemsMsg, lines, tab: ERRORS_TAB };
    const attention = beaconAttentionHeadline(a);
    return attention ? { message: attention, lines, tab: NOTES_TAB } : { message: `${count(a.notes.length, 'note')} in the dashboard's Notes tab`, lines, quiet: true };
  },
};
