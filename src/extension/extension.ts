/**
 * SOC Analytics extension entry: wires commands, the Results tree, dashboard panels (with their
 * serializer), settings and the display-zone status bar item. All parsing and analytics live in
 * `src/core` and run in a worker thread (`src/worker`).
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isValidZoneSetting, legacyFixedZoneNote, resolveZone, unknownZoneSettingMessage } from '../core/time';
import { AnalysisRegistry, noInputsError, type AnalysisMeta } from './analyses';
import { CancelledError, jobsForTest, runJob, terminateAllWorkers } from './jobs';
import { kindOf } from './kinds';
import { lokiKind } from './kinds/loki';
import { qradarKind, setQRadarDisplayZone, setQRadarLog, setQRadarTreeRefresh } from './kinds/qradar';
import { arielKind } from './kinds/ariel';
import { registerQRadarApiCommands } from './qradar-api';
import { beaconSettings, beaconsKind, removeSafelistEntries, setBeaconMappingStore, setBeaconTreeRefresh } from './kinds/beacons';
import { createTaggingRulesFile, forgetCaseMappings, generateKpiReport, KPI_REPORT_ANALYZE_FIRST, kpiKind, kpiSettings, setCaseMappingStore, setTagColorStore } from './kinds/kpi';
import { normalizeTimestampsCommand, timelineSource, TIMELINE_ID, TIMELINE_TITLE, ZoneEvidence, type NormalizeArgs } from './tz';
import { analysisIdentityKey, type PanelOrigin } from '../core/analysis-identity';
import type { AnalysisKind } from './kinds/types';
import { DashboardPanel, type PanelHost } from './panels/dashboardPanel';
import { DashboardPrefsStore } from '../core/dashboard-prefs';
import { ResultsTreeProvider } from './resultsTree';
import { COMMON_ZONES, pickZone, type ZoneChoice } from './zone-pick';
import { notificationSafe } from '../core/text-safe';
import { checkShowRowsRequest } from '../core/webview-messages';
import { NoInputError, noInputMessage, nothingReadMessage } from '../core/analyze/no-input';
import { noticeButtons, type RunNotice } from '../core/analyze/run-notice';
import { updateSetting } from './settings';
import { copySummaryMarkdown } from './summary-markdown';

/** Value returned by the analyze commands (used by scripts and tests). */
export interface AnalyzeResult {
  analysisId: string;
  summary: Record<string, number>;
}

const CONFIG = 'socAnalytics';
/** An open merged timeline is rebuilt this long after the last change of the analyses (ms). */
const TIMELINE_FOLLOW_MS = 300;

export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('SOC Analytics', { log: true });
  context.subscriptions.push(log);
  const cfg = (scope?: vscode.Uri) => vscode.workspace.getConfiguration(CONFIG, scope);
  setQRadarLog((m) => log.info(m));
  const zoneEvidence = new ZoneEvidence(context.workspaceState);
  // the case column mappings chosen per header (Analyze Cases), remembered in the workspace
  setCaseMappingStore(context.workspaceState);
  // the tag colours of the cases dashboards and KPI reports, remembered in the workspace (a tag keeps its colour)
  setTagColorStore(context.workspaceState);
  context.subscriptions.push(zoneEvidence);
  const displayZone = () => zoneEvidence.resolve(cfg().get<string>('displayTimeZone', 'UTC'));
  setQRadarDisplayZone(displayZone);

  // Display zone in the status bar; click to switch. The extension activates on startup finished (package.json
  // activationEvents) for this item alone, so it is created first; nothing here reads files or starts workers
  // (analyses load their results lazily, when opened).
  const zoneItem = vscode.window.createStatusBarItem('socAnalytics.displayZone', vscode.StatusBarAlignment.Right, 100);
  zoneItem.name = 'SOC Analytics display time zone';
  zoneItem.command = 'socAnalytics.setDisplayZone';
  const updateZoneItem = () => {
    zoneItem.text = `$(globe) ${zoneEvidence.label(cfg().get<string>('displayTimeZone', 'UTC'))}`;
    zoneItem.tooltip = 'SOC Analytics: display time zone of every dashboard (click to change)';
  };
  updateZoneItem();
  zoneItem.show();
  context.subscriptions.push(zoneItem);
  // a zone that is not one shows times in UTC: said at activation too (a value already in the settings was silent)
  const warnDisplayZone = () => {
    const raw = cfg().get<string>('displayTimeZone', 'UTC');
    if (!isValidZoneSetting(raw) && !/^\s*majority\s*$/i.test(raw)) {
      // names the setting and the zones it probably means (`Berlin` → Europe/Berlin), with the picker one click away
      const choose = 'Choose Time Zone…';
      void vscode.window
        .showWarningMessage(notificationSafe(`SOC Analytics: ${unknownZoneSettingMessage(`${CONFIG}.displayTimeZone`, raw, 'Times are shown in UTC.')}`), choose)
        .then((a) => (a === choose ? vscode.commands.executeCommand('socAnalytics.setDisplayZone') : undefined));
    } else if (legacyFixedZoneNote(raw)) {
      // EST, MST, HST: valid, used as set, but a fixed offset (no daylight saving): said, with the regional zone
      void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: setting ${CONFIG}.displayTimeZone: ${legacyFixedZoneNote(raw)}.`));
    }
  };
  warnDisplayZone();

  const kindFor = (meta: AnalysisMeta): AnalysisKind<unknown> => {
    const k = kindOf(meta.kind);
    if (!k) throw new Error(`Unknown analysis kind “${meta.kind}”.`);
    return k;
  };
  const registry = new AnalysisRegistry(context.workspaceState, async (meta, token) => {
    const k = kindFor(meta);
    const a = await runJob(context.extensionUri, k.job(meta), `SOC: Loading “${meta.title}”`, log, token);
    // inputs gone since, or none readable now (permission denied): a failed load
    const unread = k.nothingRead?.(a);
    const none = unread?.length ? noInputsError(meta, { files: 0 }, `${unread[0].file}: ${unread[0].reason}`) : noInputsError(meta, k.describe(a).summary, k.problems?.(a)?.lines[0]);
    if (none) throw none;
    return a;
  });
  context.subscriptions.push(registry);
  zoneEvidence.attach(registry);
  // `socAnalytics.hasAnalyses`: Clear All Analyses (palette, Results view title) only when there is one to clear
  const setHasAnalyses = () => void vscode.commands.executeCommand('setContext', 'socAnalytics.hasAnalyses', registry.list().length > 0);
  setHasAnalyses();
  context.subscriptions.push(registry.onDidChange(setHasAnalyses));

  const host: PanelHost = {
    getSource: async (id, zone, signal) => {
      if (id === TIMELINE_ID) return timelineSource(registry, zone);
      const meta = registry.get(id);
      if (!meta) return undefined;
      const result = await registry.loadOrThrow(id); // a failed or cancelled re-run rejects: the panel shows it
      return result === undefined ? undefined : kindFor(meta).source(result, meta, zone, signal);
    },
    displayZone,
    log: (m) => log.info(m),
    loadingMessage: (id) => {
      const meta = id === TIMELINE_ID ? undefined : registry.get(id);
      return meta && !registry.isLoaded(id)
        ? `Re-running “${meta.title}” from its input files (its result is no longer in memory). Progress and Cancel are in the notification.`
        : 'Building the dashboard…';
    },
    prefs: new DashboardPrefsStore(context.globalState),
    expectedTitle: (id) => {
      if (id === TIMELINE_ID) return TIMELINE_TITLE;
      const meta = registry.get(id);
      return meta ? kindOf(meta.kind)?.panelTitle(meta) : undefined;
    },
    origin: (id) => {
      const meta = id === TIMELINE_ID ? undefined : registry.get(id);
      const command = meta ? kindOf(meta.kind)?.command?.(meta.options) : undefined;
      return meta && command ? { command, paths: meta.paths, title: meta.title } : undefined;
    },
    rerun: async (origin: PanelOrigin) => {
      const uris = origin.paths.map((p) => vscode.Uri.file(p));
      const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>(origin.command, uris[0], uris);
      return r?.analysisId;
    },
  };
  /** The key that makes two runs one analysis (core/analysis-identity.ts): kind, inputs, the options its title shows. */
  const identityOf = (kind: string, paths: string[], options: Record<string, unknown>): string =>
    analysisIdentityKey(kind, paths, kindOf(kind)?.identity?.(options ?? {}) ?? {});
  /** The tab title of an analysis when no other analysis has it (else undefined: a restored tab of it could be the other's). */
  const uniqueTabTitle = (meta: AnalysisMeta): string | undefined => {
    const title = host.expectedTitle?.(meta.id);
    return title && !registry.list().some((m) => m.id !== meta.id && host.expectedTitle?.(m.id) === title) ? title : undefined;
  };
  // An open merged timeline follows the Results view: analyses added, refreshed or removed (debounced: Clear All, or a
  // run that replaces duplicates, changes the list several times in a row)
  let timelineTimer: ReturnType<typeof setTimeout> | undefined;
  context.subscriptions.push(
    registry.onDidChange(() => {
      if (timelineTimer) clearTimeout(timelineTimer);
      timelineTimer = setTimeout(() => {
        timelineTimer = undefined;
        DashboardPanel.refreshOne(TIMELINE_ID);
      }, TIMELINE_FOLLOW_MS);
    }),
    { dispose: () => timelineTimer && clearTimeout(timelineTimer) },
  );
  context.subscriptions.push(DashboardPanel.registerSerializer(context.extensionUri, host));
  context.subscriptions.push(
    registry.onMemoryPressure((e) => {
      const released = DashboardPanel.releaseHidden();
      const mb = (n: number) => `${Math.round(n / 2 ** 20).toLocaleString('en-US')} MB`;
      log.warn(
        `Memory: the extension host's heap holds ${mb(e.usedBytes)} of ${mb(e.limitBytes)}; ${e.dropped} older analysis result${e.dropped === 1 ? '' : 's'} and ${released} hidden dashboard${released === 1 ? '' : 's'} let go of their data (they are re-run from their input files when opened).`,
      );
    }),
  );

  const tree = new ResultsTreeProvider(registry, () => ({ maxChildren: cfg().get<number>('loki.maxTreeFindings', 500), zone: displayZone() }));
  setQRadarTreeRefresh(() => tree.refresh());
  setBeaconTreeRefresh(() => tree.refresh());
  context.subscriptions.push(tree, vscode.window.createTreeView('socAnalytics.results', { treeDataProvider: tree, showCollapseAll: true }));

  context.subscriptions.push(
    zoneEvidence.onDidChange(() => {
      updateZoneItem();
      if (/^\s*majority\s*$/i.test(cfg().get<string>('displayTimeZone', 'UTC'))) DashboardPanel.refreshAll();
    }),
  );

  // a result the current settings can no longer be shown from (a beacon run that applied a safelist entry taken off
  // since: it never scored the pairs the entry hid) leaves memory, so that its open dashboards re-run it from the input
  // files (with progress and Cancel)
  const forgetStaleResults = () => {
    for (const m of registry.list()) {
      const r = registry.peek(m.id);
      if (r !== undefined && kindOf(m.kind)?.rerunAfterSettingsChange?.(r as never, m)) registry.forget(m.id);
    }
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${CONFIG}.displayTimeZone`)) {
        warnDisplayZone();
        updateZoneItem();
        DashboardPanel.refreshAll();
        tree.refresh();
      }
      if (e.affectsConfiguration(`${CONFIG}.loki.maxTreeFindings`)) tree.refresh();
      if (e.affectsConfiguration(`${CONFIG}.loki.expectedHostsFile`)) DashboardPanel.refreshAll(); // the Loki dashboards' fleet coverage
      if (e.affectsConfiguration(`${CONFIG}.kpi.asOf`) || e.affectsConfiguration(`${CONFIG}.kpi.shiftTimeZone`)) DashboardPanel.refreshAll(); // the cases dashboards' KPIs
      if (e.affectsConfiguration(`${CONFIG}.beacons.safelist`)) {
        forgetStaleResults();
        DashboardPanel.refreshAll();
        tree.refresh(); // beacon tree lines count the pairs the safelist leaves visible (kind.liveDescription)
      }
      if (e.affectsConfiguration(`${CONFIG}.qradar`)) {
        DashboardPanel.refreshAll();
        tree.refresh();
      }
    }),
  );

  let lastAnalysisId: string | undefined;

  /** Run options, or how to read them from the settings for a scope (the first input: resource-scoped settings per workspace folder). */
  type RunOptions = Record<string, unknown> | ((scope: vscode.Uri | undefined) => Record<string, unknown>);

  /**
   * Resolves the targets (Explorer selection, or a quick pick), then the options for them (settings in the scope of
   * the first target, the kind's `prepare` prompts about these inputs), runs the kind's job in a worker with
   * cancellable progress, stores the analysis and opens its dashboard. Only complete analyses are added.
   */
  async function analyze(
    kind: AnalysisKind<unknown>,
    uri: vscode.Uri | undefined,
    uris: vscode.Uri[] | undefined,
    runOptions: RunOptions,
    why?: string,
  ): Promise<AnalyzeResult | undefined> {
    let targets = (uris && uris.length ? uris : uri instanceof vscode.Uri ? [uri] : undefined)?.filter((u) => u instanceof vscode.Uri);
    // (the pick's title names the run, e.g. " (all scans)", from the settings without a folder: the targets are not chosen yet)
    if (!targets || targets.length === 0) targets = await pickTargets(kind, () => (typeof runOptions === 'function' ? runOptions(undefined) : runOptions), why);
    if (!targets || targets.length === 0) return undefined;
    const nonFile = targets.find((t) => t.scheme !== 'file');
    if (nonFile) {
      void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics reads local files only; cannot analyze ${nonFile.toString()}.`));
      return undefined;
    }
    const paths = targets.map((t) => t.fsPath);
    // (a folder among the inputs: the Results label counts the files read, `QRadar · demo-workspace (3 files)`)
    let folder = false;
    for (const p of paths) {
      try {
        if ((await fsp.stat(p)).isDirectory()) folder = true;
      } catch (err) {
        const msg = `SOC Analytics: cannot read “${p}”: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        log.error(msg);
        void vscode.window.showErrorMessage(notificationSafe(msg));
        return undefined;
      }
    }
    let title = paths.length === 1 ? path.basename(paths[0]) || paths[0] : `${path.basename(paths[0])} + ${paths.length - 1} more`;
    let options = typeof runOptions === 'function' ? runOptions(targets[0]) : runOptions;
    /**
     * Nothing of the kind among the inputs: which files were looked at and why none was read (the message said only
     * "no Loki files found"), with the next steps *Choose Files…* (analyze others) and *Show Log* (every file skipped).
     */
    const warnNoInput = (what: string, skipped: readonly { file: string; reason: string }[], unread?: readonly { file: string; reason: string }[]): void => {
      for (const k of [...skipped, ...(unread ?? [])]) log.warn(`${kind.label}: ${k.file}: ${k.reason}`);
      const message = unread?.length ? nothingReadMessage(what, title, unread) : noInputMessage(what, title, skipped);
      void vscode.window.showWarningMessage(notificationSafe(message), 'Choose Files…', ...(skipped.length || unread?.length ? ['Show Log'] : [])).then(async (choice) => {
        if (choice === 'Show Log') log.show();
        if (choice !== 'Choose Files…') return;
        const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Analyze', title: `${kind.label} files or folders`, defaultUri: vscode.Uri.file(path.dirname(paths[0])) });
        if (picked?.length) await analyze(kind, undefined, picked, runOptions);
      });
    };
    if (kind.prepare) {
      let prepared: Record<string, unknown> | undefined | null;
      try {
        prepared = await kind.prepare(paths, options);
      } catch (err) {
        if (err instanceof NoInputError) {
          warnNoInput(err.what, err.skipped);
          return undefined;
        }
        // (a failed settings write, an unreadable input…): said plainly, not a bare "command failed"
        const msg = `SOC Analytics: could not prepare the ${kind.label} analysis of “${title}”: ${(err as Error).message}`;
        log.error(msg);
        void vscode.window.showErrorMessage(notificationSafe(msg));
        return undefined;
      }
      if (prepared === undefined) {
        // a prompt was dismissed (Escape): say so, as a cancelled run does
        void vscode.window.showInformationMessage('SOC Analytics: analysis cancelled; nothing was added.');
        return undefined;
      }
      if (prepared === null) return undefined;
      options = prepared;
    }
    title += kind.titleSuffix?.(options) ?? '';
    let result: unknown;
    try {
      result = await runJob(context.extensionUri, kind.job({ paths, options }), `SOC: Analyzing ${kind.label} data in “${title}”`, log);
    } catch (err) {
      if (err instanceof CancelledError) {
        void vscode.window.showInformationMessage('SOC Analytics: analysis cancelled; nothing was added.');
        return undefined;
      }
      const msg = `SOC Analytics: analysis failed: ${(err as Error).message}`;
      log.error(msg);
      void vscode.window.showErrorMessage(notificationSafe(msg));
      return undefined;
    }
    const described = kind.describe(result);
    // files of the kind found, none readable (permission denied, damaged JSON): nothing to show, said as a run that
    // found none, with why per file (not "no Cases files found" for a case export cut short)
    const unread = kind.nothingRead?.(result);
    if (described.summary.files === 0 || unread?.length) {
      warnNoInput(kind.label, kind.skipped?.(result) ?? [], unread);
      return undefined;
    }
    // Analyzing the same inputs again (same kind and paths, and the options the title shows) refreshes that analysis —
    // its Results entry and its tab — instead of adding a duplicate; the duplicates older versions added go (with their tabs)
    const [same, ...duplicates] = registry.findSame(identityOf(kind.kind, paths, options), (m) => identityOf(m.kind, m.paths, m.options));
    const meta: AnalysisMeta = { id: same?.id ?? randomUUID(), kind: kind.kind, title, paths, folder, options, createdAt: Date.now(), ...described };
    for (const d of duplicates) {
      await DashboardPanel.disposeFor(d.id);
      await registry.remove(d.id);
    }
    await registry.add(meta, result);
    lastAnalysisId = meta.id;
    if (same) DashboardPanel.refreshAll();
    DashboardPanel.show(context.extensionUri, host, meta.id);
    const notice = kind.problems?.(result, paths);
    if (notice) showRunNotice(notice, meta.id);
    return { analysisId: meta.id, summary: described.summary };
  }

  /**
   * The notification after a run (core/analyze/run-notice.ts): `quiet` notes go to the log only; the others to the
   * log and a short warning (error) with its buttons — the dashboard tab that lists the details (*Show Notes*, *Show
   * Errors*…: the dashboard is opened or revealed on that tab), *Open Settings*, *Open File* (at the line), *Show Log*.
   */
  function showRunNotice(notice: RunNotice, analysisId: string): void {
    if (notice.quiet) {
      // routine notes (the dashboard shows them): the log only, no notification on every run
      for (const l of notice.lines) log.info(l);
      return;
    }
    log.warn(notice.message);
    for (const l of notice.lines) log.warn(l);
    const show = notice.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    void show(notificationSafe(`SOC Analytics: ${notice.message}`), ...noticeButtons(notice)).then((c) => {
      if (!c) return;
      if (c === 'Show Log') log.show();
      else if (c === 'Open Settings' && notice.setting) void vscode.commands.executeCommand('workbench.action.openSettings', notice.setting);
      else if (c === 'Open File' && notice.file) {
        const line = Math.max(0, notice.file.line - 1);
        void vscode.window.showTextDocument(vscode.Uri.file(notice.file.path), { selection: new vscode.Range(line, 0, line, 0), preview: false }).then(undefined, (e) => log.warn(`Cannot open ${notice.file!.path}: ${(e as Error).message}`));
      } else if (notice.tab && c === notice.tab.button) {
        // the analysis may be gone since (removed, Clear All): nothing to show then
        if (registry.get(analysisId)) DashboardPanel.showTab(context.extensionUri, host, analysisId, notice.tab.id);
        else log.info('The analysis of that notification is no longer in the Results view.');
      }
    });
  }

  /**
   * Asks for the inputs of a run: a workspace folder or *Browse…* (files or folders). `why`, when another command
   * starts the run (*Generate KPI Report* with no cases analysis open), heads the pick and the dialog instead of the
   * plain `SOC: Analyze <kind> data` title, so the analyst knows why a file picker appeared.
   */
  async function pickTargets(kind: AnalysisKind<unknown>, options: () => Record<string, unknown>, why?: string): Promise<vscode.Uri[] | undefined> {
    const suffix = kind.titleSuffix?.(options()) ?? ''; // e.g. " (all scans)": the pick says which run it starts
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const items: Item[] = (vscode.workspace.workspaceFolders ?? []).map((f) => ({
      label: `$(folder) ${f.name}`,
      description: f.uri.fsPath,
      detail: `Analyze every ${kind.label} file in this workspace folder (recursive)`,
      uri: f.uri,
    }));
    items.push({ label: '$(folder-opened) Browse…', detail: 'Choose files or folders' });
    const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: why ?? `SOC: Analyze ${kind.label} data${suffix}`, placeHolder: `Folder or files with ${kind.label} data` });
    if (!pick) return undefined;
    if (pick.uri) return [pick.uri];
    return vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: 'Analyze',
      title: why ?? `${kind.label} files or folders${suffix}`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('socAnalytics.analyzeLoki', (uri?: vscode.Uri, uris?: vscode.Uri[]) =>
      analyze(lokiKind, uri, uris, (scope) => ({ includeAllScans: cfg(scope).get<boolean>('loki.includeAllScans', false) })),
    ),
    vscode.commands.registerCommand('socAnalytics.analyzeLokiAllScans', (uri?: vscode.Uri, uris?: vscode.Uri[]) => analyze(lokiKind, uri, uris, { includeAllScans: true })),
    ...registerQRadarApiCommands({ context, log, openCounts: (file) => analyze(arielKind, file, [file], {}) }),
    // the console zone is decided by qradarKind.prepare, once the inputs are chosen, for those inputs only
    vscode.commands.registerCommand('socAnalytics.analyzeQRadar', (uri?: vscode.Uri, uris?: vscode.Uri[]) => analyze(qradarKind, uri, uris, {})),
    vscode.commands.registerCommand('socAnalytics.detectBeacons', (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
      setBeaconMappingStore(context.workspaceState);
      return analyze(beaconsKind, uri, uris, (scope) => beaconSettings(scope));
    }),
    vscode.commands.registerCommand('socAnalytics.removeSafelistEntries', () => removeSafelistEntries()),
    vscode.commands.registerCommand('socAnalytics.analyzeCases', (uri?: vscode.Uri, uris?: vscode.Uri[], extra?: Record<string, unknown>) =>
      analyze(kpiKind, uri, uris, (scope) => ({ ...kpiSettings(scope), ...(extra ?? {}) })),
    ),
    vscode.commands.registerCommand('socAnalytics.forgetCaseMappings', () => forgetCaseMappings()),
    vscode.commands.registerCommand('socAnalytics.generateKpiReport', (arg?: unknown) =>
      generateKpiReport(arg, { registry, displayZone, analyzeCases: () => analyze(kpiKind, undefined, undefined, (scope) => ({ ...kpiSettings(scope) }), KPI_REPORT_ANALYZE_FIRST), log: (m) => log.info(m) }),
    ),
    vscode.commands.registerCommand('socAnalytics.createTaggingRules', () => createTaggingRulesFile()),
    vscode.commands.registerCommand('socAnalytics.copySummaryMarkdown', (arg?: unknown) => copySummaryMarkdown(arg, (id) => host.getSource(id, displayZone()))),
    vscode.commands.registerCommand('socAnalytics.normalizeTimestamps', (uri?: vscode.Uri, args?: NormalizeArgs | vscode.Uri[]) =>
      normalizeTimestampsCommand(uri instanceof vscode.Uri ? uri : undefined, args && !Array.isArray(args) ? args : undefined, { displayZone, evidence: zoneEvidence, log: (m) => log.info(m), extensionUri: context.extensionUri, channel: log }),
    ),
    vscode.commands.registerCommand('socAnalytics.showTimeline', () => {
      const wasOpen = DashboardPanel.lastRendered(TIMELINE_ID) !== undefined;
      DashboardPanel.show(context.extensionUri, host, TIMELINE_ID);
      if (wasOpen) DashboardPanel.refreshAll(); // pick up analyses added since
    }),
    // a Results-tree row below an analysis passes what it stands for (`{ facets, detail? }`): the dashboard shows
    // those rows (filter chips), whether it was open already or not
    vscode.commands.registerCommand('socAnalytics.openAnalysis', async (arg?: string | { meta?: AnalysisMeta }, rows?: unknown) => {
      const id = typeof arg === 'string' ? arg : arg?.meta?.id ?? lastAnalysisId;
      if (!id || !registry.get(id)) {
        void vscode.window.showInformationMessage('SOC Analytics: no analysis to open. Run “SOC: Analyze Loki Results…” first.');
        return;
      }
      const req = checkShowRowsRequest(rows);
      if (req) DashboardPanel.showRows(context.extensionUri, host, id, req);
      else DashboardPanel.show(context.extensionUri, host, id);
    }),
    vscode.commands.registerCommand('socAnalytics.rerunAnalysis', async (arg?: { meta?: AnalysisMeta }) => {
      const meta = arg?.meta;
      if (!meta) return;
      try {
        const k = kindFor(meta);
        const a = await runJob(context.extensionUri, k.job(meta), `SOC: Re-running “${meta.title}”`, log);
        await registry.replace(meta.id, a, k.describe(a));
        DashboardPanel.refreshAll();
      } catch (err) {
        if (!(err instanceof CancelledError)) void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: re-run failed: ${(err as Error).message}`));
      }
    }),
    vscode.commands.registerCommand('socAnalytics.removeAnalysis', async (arg?: { meta?: AnalysisMeta }) => {
      if (!arg?.meta) return;
      // its tabs, those restored after a window reload and not shown since included
      await DashboardPanel.disposeFor(arg.meta.id, uniqueTabTitle(arg.meta));
      await registry.remove(arg.meta.id);
    }),
    vscode.commands.registerCommand('socAnalytics.clearAnalyses', async () => {
      if (registry.list().length === 0) return;
      const ok = await vscode.window.showWarningMessage('Remove every analysis from the Results view? Input files are not touched.', { modal: true }, 'Remove All');
      if (ok) {
        // every analysis tab, those restored after a window reload and not shown since included; an open merged
        // timeline stays (it follows the Results view: empty now)
        await DashboardPanel.disposeAnalyses(TIMELINE_ID, TIMELINE_TITLE);
        await registry.clear();
      }
    }),
    vscode.commands.registerCommand('socAnalytics.revealFinding', async (fileOrNode?: string | { finding?: { source: { file: string; line: number } } }, line?: number) => {
      const src = typeof fileOrNode === 'string' ? { file: fileOrNode, line: line ?? 1 } : fileOrNode?.finding?.source;
      if (src) await DashboardPanel.revealSource(src.file, src.line);
    }),
    vscode.commands.registerCommand('socAnalytics.setDisplayZone', async () => {
      const local = resolveZone('local');
      const zones = ['UTC', 'local', 'majority', ...COMMON_ZONES];
      const items: ZoneChoice[] = zones.map((z) => ({
        label: z,
        description: z === 'local' ? `this machine: ${local}` : z === 'majority' ? `zone most input timestamps carry — now ${zoneEvidence.majority().zone} (${zoneEvidence.majority().reason})` : undefined,
      }));
      // stored as the tz database spells it (europe/paris → Europe/Paris), offsets as UTC+3 / UTC-05:30
      const zone = await pickZone({ title: 'SOC Analytics: display time zone', placeHolder: `Current: ${displayZone()} — type a zone to filter, or UTC+3 / UTC-05:30`, first: items });
      if (!zone) return;
      // where it takes effect: the user settings, or the workspace when the workspace sets the display zone
      await updateSetting(CONFIG, 'displayTimeZone', zone);
    }),
    vscode.commands.registerCommand('socAnalytics.showLog', () => log.show()),
    vscode.commands.registerCommand('socAnalytics.test.lastRendered', (id?: string) => {
      const key = id ?? lastAnalysisId;
      return key ? DashboardPanel.lastRendered(key) : undefined;
    }),
    // TEST ONLY (test/integration/suite/security.test.ts, beacons.test.ts): DOM probe of an open dashboard; live
    // workers, analyses in the Results tree (count, and one analysis's tree line), and cancel/crash of the running jobs.
    vscode.commands.registerCommand('socAnalytics.test.probeDashboard', (id?: string, openDetail?: number, click?: string) => {
      const key = typeof id === 'string' ? id : lastAnalysisId;
      return key ? DashboardPanel.probe(key, openDetail, undefined, typeof click === 'string' ? click : undefined) : undefined;
    }),
    // TEST ONLY (extension.test.ts): whether an analysis's result is in memory or being recomputed; 'forget' drops it
    // from memory as a window reload does (the next dashboard re-runs it from its inputs)
    vscode.commands.registerCommand('socAnalytics.test.memory', (id?: string, action?: 'forget') => {
      if (typeof id !== 'string') return undefined;
      if (action === 'forget') registry.forget(id);
      return { loaded: registry.isLoaded(id), loading: registry.isLoading(id) };
    }),
    // TEST ONLY (reruns.test.ts): hands a webview panel made by the test, with a webview state, to the registered
    // WebviewPanelSerializer, as VS Code does with a restored tab when it is first shown after a window reload
    vscode.commands.registerCommand('socAnalytics.test.revivePanel', async (panel?: vscode.WebviewPanel, state?: unknown) => {
      if (!panel || typeof panel.webview !== 'object' || !DashboardPanel.registered) return false;
      await DashboardPanel.registered.deserializeWebviewPanel(panel, state);
      return true;
    }),
    vscode.commands.registerCommand('socAnalytics.test.jobs', (action?: 'cancel' | 'crash') => ({
      ...jobsForTest(action === 'cancel' || action === 'crash' ? action : undefined),
      analyses: registry.list().length,
    })),
    vscode.commands.registerCommand('socAnalytics.test.treeLine', (id?: string) => {
      const meta = registry.list().find((m) => m.id === id);
      return meta ? tree.analysisLine(meta) : undefined;
    }),
    // TEST ONLY (extension.test.ts): the Results-tree items below an analysis (label, description, command) as shown
    vscode.commands.registerCommand('socAnalytics.test.treeChildren', async (id?: string) => {
      const meta = registry.list().find((m) => m.id === id);
      if (!meta) return undefined;
      const nodes = await tree.getChildren({ kind: 'analysis', meta });
      return nodes.map((n) => {
        const item = tree.getTreeItem(n);
        return { label: item.label, description: item.description, command: item.command && { command: item.command.command, arguments: item.command.arguments } };
      });
    }),
    // TEST ONLY (security.test.ts): the tooltip of an analysis's Results-tree item, with the flags of its MarkdownString
    vscode.commands.registerCommand('socAnalytics.test.treeTooltip', (id?: string) => {
      const meta = registry.list().find((m) => m.id === id);
      const t = meta ? tree.getTreeItem({ kind: 'analysis', meta }).tooltip : undefined;
      if (!(t instanceof vscode.MarkdownString)) return t === undefined ? undefined : { text: t };
      return { markdown: t.value, isTrusted: t.isTrusted ?? false, supportHtml: t.supportHtml ?? false, supportThemeIcons: t.supportThemeIcons ?? false };
    }),
  );
  log.info('SOC Analytics activated');
}

export function deactivate() {
  terminateAllWorkers();
  DashboardPanel.disposeAll();
}
