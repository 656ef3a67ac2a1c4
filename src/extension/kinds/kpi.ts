/**
 * The cases/KPI analysis kind (worker job `kpi`): tags cases with the workspace's tagging rules and
 * shows the SOC KPIs; plus the helpers behind `SOC: Generate KPI Report…` and `SOC: Create Tagging
 * Rules File`. KPIs are recomputed for the display zone when the dashboard is built.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { count } from '../../core/analyze/dashboard-kit';
import { isValidZoneSetting, unknownZoneSettingMessage } from '../../core/time';
import { buildKpiDashboard, caseColumns, caseDetail, caseRows, hasAcknowledgedTimes, kpiTagTreeText, kpiTreeText, type CaseRow } from '../../core/analyze/kpi-dashboard';
import { checkSla, openCaseCountAt } from '../../core/analyze/kpi';
import { kpiReportOf, parseAsOf, rulesErrorText, type KpiAnalysis, type KpiRunOptions } from '../../core/analyze/kpi-run';
import { SEED_TAGGING_CONFIG } from '../../core/analyze/tagging';
import { renderKpiReportHtml, renderKpiReportMarkdown } from '../../core/export/report';
import { writeReportFiles } from '../../core/export/report-files';
import { CASE_FIELDS, sampleCaseMapping, unmappedCaseFileGroups, type CaseField, type CaseMapping, type CaseMappingSample } from '../../core/parse/cases';
import { discoverCaseFiles } from '../../core/parse/cases-discover';
import { TableStore } from '../../core/table/store';
import type { AnalysisRegistry } from '../analyses';
import type { DashboardSource } from '../panels/dashboardPanel';
import type { AnalysisKind, AnalysisMeta, TreeNodeData } from './types';
import { notificationSafe } from '../../core/text-safe';
import { updateSetting } from '../settings';

const CONFIG = 'socAnalytics';
/** Why regex tagging rules are skipped in Restricted Mode (shown with each skipped rule). */
export const RESTRICTED_REGEX_NOTE = 'user-supplied regular expressions are disabled in Restricted Mode (a workspace you do not trust could supply a pattern that never finishes); substring rules still apply. Trust the workspace to run them.';

/** Run options from the settings (resource scope of `scope`); `rulesPath` resolved against the workspace folder. */
export function kpiSettings(scope?: vscode.Uri): KpiRunOptions {
  const cfg = vscode.workspace.getConfiguration(CONFIG, scope);
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  const rel = cfg.get<string>('kpi.taggingRulesFile', '.soc/tagging.json');
  const opts: KpiRunOptions = {
    // resolved by the analysis, which notes a value that is not a zone (it was UTC, silently)
    sourceZone: cfg.get<string>('kpi.sourceTimeZone', 'UTC'),
    falsePositiveValues: cfg.get<string[]>('kpi.falsePositiveDispositions'),
    escalatedValues: cfg.get<string[]>('kpi.escalatedDispositions'),
    shifts: cfg.get('kpi.shifts'),
    sla: cfg.get('kpi.sla'),
    automationAccounts: cfg.get<string[]>('kpi.automationAccounts'),
  };
  const zone = opts.sourceZone ?? 'UTC';
  if (!isValidZoneSetting(zone)) {
    if (warnedSourceZone !== zone) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: ${unknownZoneSettingMessage('socAnalytics.kpi.sourceTimeZone', zone, 'Case times without an offset are read in UTC.')}`));
    warnedSourceZone = zone;
  }
  // a target that is not a number of minutes is left out by the analysis, which notes it (no breaches, silently)
  const slaProblems = opts.sla == null ? [] : checkSla(opts.sla).problems; // no table: the default SLA (as the analysis)
  const slaKey = slaProblems.join('; ');
  if (slaProblems.length && warnedSla !== slaKey) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: socAnalytics.kpi.sla ${slaKey}: not a number of minutes ≥ 0; such a target is left out (not checked).`));
  warnedSla = slaKey;
  const saved = cfg.get<CaseMapping>('kpi.columnMapping', {});
  if (saved && Object.keys(saved).length) opts.mapping = { ...saved };
  if (rel) opts.rulesPath = path.isAbsolute(rel) ? rel : folder ? path.join(folder.uri.fsPath, rel) : undefined;
  // Settings values are read-only proxies: copy them so they can cross to the worker (structured clone).
  return JSON.parse(JSON.stringify(opts)) as KpiRunOptions;
}

/**
 * The time the KPIs are computed for, from `socAnalytics.kpi.asOf` (ISO 8601; naive values read in
 * `zone`, the display zone): epoch ms UTC, or undefined when the setting is empty. An unreadable value
 * is reported once per value (warning) and taken as empty. `scope`: the analysis's first input (a folder's own value).
 */
export function kpiAsOfSetting(zone: string, scope?: vscode.Uri): number | undefined {
  const raw = (vscode.workspace.getConfiguration(CONFIG, scope).get<string>('kpi.asOf', '') ?? '').trim();
  if (!raw) return undefined;
  const { ms, why } = parseAsOf(raw, zone);
  if (why) {
    if (warnedAsOf !== raw) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: socAnalytics.kpi.asOf “${raw}” ${why}; KPIs are computed as of now.`));
    warnedAsOf = raw;
    return undefined;
  }
  return ms;
}
let warnedAsOf: string | undefined;
/** The settings scope of an analysis: its first input (resource-scoped settings are per workspace folder). */
const inputScope = (a: KpiAnalysis, meta: Pick<AnalysisMeta, 'paths'>): vscode.Uri | undefined => {
  const first = a.input.files[0] ?? meta.paths[0];
  return first ? vscode.Uri.file(first) : undefined;
};
let warnedSourceZone: string | undefined;
let warnedSla = '';

async function exists(p: string | undefined): Promise<boolean> {
  if (!p) return false;
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Before the run: drops a rules path that does not exist (the seed rules are then used, noted in
 * the report) and, for generic case files, checks the column mapping: when title or created cannot
 * be mapped (or `options.editMapping` is set) the user maps the fields and can save the mapping.
 * Reads only the start of the file (its header and first records, see `sampleCaseMapping`), never the whole file
 * on the extension host's main thread. Folders: see {@link prepareFolders}.
 */
async function prepare(paths: string[], options: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const o = { ...(options as KpiRunOptions & { editMapping?: boolean }) };
  // rulesPath stays in the options even when the file does not exist yet: the job looks it up at run time.
  const first = paths[0];
  if (!first) return o;
  if ((await fsp.stat(first).catch(() => undefined))?.isDirectory()) return prepareFolders(paths, o);
  if (/\.json$/i.test(first)) return o; // JSON may be QRadar offenses (fixed mapping); generic JSON uses the suggestion
  // the header and the first records only (bounded bytes): the whole file is read by the analysis, in its worker thread
  const t = await sampleCaseMapping(first, o.mapping ?? {});
  if (t.columns.length === 0) return o;
  if (t.mapping.title && t.mapping.created && !o.editMapping) {
    o.mapping = t.mapping;
    return o;
  }
  const mapped = await mapColumns(t, path.basename(first), vscode.Uri.file(first));
  if (!mapped) return undefined;
  o.mapping = mapped;
  delete o.editMapping;
  return o;
}

/** Files of a folder sampled for the mapping prompt, at most (the others are judged by the analysis, as before). */
const FOLDER_SAMPLE_FILES = 200;

/**
 * A folder given to the cases analysis: the files in it that look like tables of records but whose columns are not
 * recognised as a case export (no created time, or no title or id: the analysis would skip them) are offered for
 * mapping once, one prompt for the files that share a header ({@link unmappedCaseFileGroups}); the mapping chosen
 * applies to the files that have its columns (the others keep their suggested columns, `folderFileMapping`) and can
 * be saved. "Analyze without them" skips them with the reason, as before; dismissing cancels the analysis. Reads the
 * start of each file only (`sampleCaseMapping`, 64 KiB), at most {@link FOLDER_SAMPLE_FILES} files.
 */
async function prepareFolders<T extends KpiRunOptions & { editMapping?: boolean }>(paths: string[], o: T): Promise<T | undefined> {
  const found = await discoverCaseFiles(paths);
  const inFolder = found.files.filter((f) => found.inFolder.has(f)).slice(0, FOLDER_SAMPLE_FILES);
  const samples = new Map<string, CaseMappingSample>();
  for (const f of inFolder) samples.set(f, await sampleCaseMapping(f, {}, { maxBytes: 64 * 1024 }));
  const groups = unmappedCaseFileGroups([...samples].map(([file, t]) => ({ file, columns: t.columns })), o.mapping);
  if (groups.length === 0) return o;
  const rel = (f: string) => vscode.workspace.asRelativePath(f, false);
  type Item = vscode.QuickPickItem & { group?: number };
  const items: Item[] = [
    ...groups.slice(0, 5).map((g, i) => ({
      group: i,
      label: `$(list-selection) Map the columns of ${path.basename(g.files[0])}`,
      description: g.files.length > 1 ? `and ${count(g.files.length - 1, 'more file')} with the same columns` : rel(g.files[0]),
      detail: `columns: ${g.columns.slice(0, 8).join(', ')}${g.columns.length > 8 ? ', …' : ''}`,
    })),
    { label: '$(debug-step-over) Analyze without them', description: 'they are skipped, with the reason' },
  ];
  const unmapped = groups.reduce((n, g) => n + g.files.length, 0);
  const pick = await vscode.window.showQuickPick(items, {
    title: `Cases: ${count(unmapped, 'file')} in the folder ${unmapped === 1 ? 'has' : 'have'} columns not recognised as a case export (no created time, or no title or id)`,
    placeHolder: 'Map their columns to read them, or analyze without them',
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  if (pick.group === undefined) return o;
  const g = groups[pick.group];
  const mapped = await mapColumns(samples.get(g.files[0])!, `${path.basename(g.files[0])}${g.files.length > 1 ? ` (and ${count(g.files.length - 1, 'more file')})` : ''}`, vscode.Uri.file(g.files[0]));
  if (!mapped) return undefined;
  // the columns chosen win for the files that have them; the saved mapping still serves the others
  o.mapping = { ...(o.mapping ?? {}), ...mapped };
  delete o.editMapping;
  return o;
}

/**
 * The column-mapping prompt: the fields with the column each is read from (`t.mapping`, the suggestion over the saved
 * mapping), changed one field at a time from `t.columns` (with the first record's value), until *Analyze* or *Analyze
 * and save the mapping* (saved in socAnalytics.kpi.columnMapping where `scope` takes it: the workspace, or the user
 * settings with none open). Resolves to the mapping, or undefined when dismissed.
 */
async function mapColumns(t: CaseMappingSample, what: string, scope: vscode.Uri): Promise<CaseMapping | undefined> {
  const mapping: CaseMapping = { ...t.mapping };
  for (;;) {
    type Item = vscode.QuickPickItem & { field?: CaseField; action?: 'run' | 'save' };
    const items: Item[] = [
      { label: '$(play) Analyze with this mapping', action: 'run' },
      { label: `$(save) Analyze and save the mapping in the ${vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user'} settings`, action: 'save' },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...CASE_FIELDS.map((f) => ({ field: f, label: f, description: mapping[f] ? `← ${mapping[f]}` : '(not mapped: KPIs needing it are shown as unavailable)' })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: `Cases: map the columns of ${what}`, placeHolder: 'Pick a field to change its column, or analyze', ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.action) {
      // the workspace (the input's folder when that folder sets a mapping; the user settings with no workspace open)
      if (pick.action === 'save') await updateSetting(CONFIG, 'kpi.columnMapping', mapping, { scope, preferred: 'workspace' });
      return mapping;
    }
    const f = pick.field!;
    const colPick = await vscode.window.showQuickPick(
      [{ label: '(none)', column: undefined as string | undefined }, ...t.columns.map((c) => ({ label: c, column: c as string | undefined, description: String(t.firstRow?.[c] ?? '').slice(0, 60) }))],
      { title: `Column for “${f}”`, ignoreFocusOut: true },
    );
    if (!colPick) continue;
    if (colPick.column) mapping[f] = colPick.column;
    else delete mapping[f];
  }
}

export const kpiKind: AnalysisKind<KpiAnalysis> = {
  kind: 'kpi',
  label: 'Cases',
  icon: 'checklist',
  job: (meta) => {
    const { editMapping: _e, ...options } = meta.options as KpiRunOptions & { editMapping?: boolean };
    void _e;
    // Workspace trust: in Restricted Mode the workspace's regular-expression rules are not run (decided per run).
    if (!vscode.workspace.isTrusted) options.regexRulesDisabled = RESTRICTED_REGEX_NOTE;
    else delete options.regexRulesDisabled;
    return { kind: 'kpi', paths: meta.paths, options };
  },
  prepare,
  describe(a) {
    // open at the analysis's as-of time, as its dashboard's backlog (a past as-of time is a point in time)
    const open = openCaseCountAt(a.input.cases, a.asOf);
    const untagged = a.tagging.coverage.unmatched.count;
    return {
      ...kpiTreeText(a),
      summary: { files: a.filesRead, cases: a.input.cases.length, open, tags: a.tagging.tagCounts.length, untagged, errors: a.errors.length },
    };
  },
  source(a, meta, zone): DashboardSource {
    const asOf = kpiAsOfSetting(zone, inputScope(a, meta)) ?? a.asOf;
    const report = kpiReportOf(a, zone, asOf);
    // the cases the KPIs count, with their state at the as-of time (the cards' and tables' filters show exactly those)
    const rows = caseRows(a, asOf);
    const columns = caseColumns(zone, a.options.automationAccounts, hasAcknowledgedTimes(a));
    const first = a.input.files[0];
    return {
      panelTitle: `Cases: ${meta.title}`,
      model: buildKpiDashboard(a, report, meta.title, zone),
      rows,
      // rebuilt rows are new objects: a zone change keeps the selection when they show the same cases
      rowIdentity: (row) => (row as CaseRow).c,
      columns: columns as DashboardSource['columns'],
      store: new TableStore<CaseRow>(rows, columns) as DashboardSource['store'],
      detail: (row, id) => caseDetail(row as CaseRow, id, zone),
      sourceOf: (row) => {
        const c = (row as CaseRow).c;
        return c.line > 0 && (!/\.json$/i.test(c.file) || 'offense_source' in c.raw) ? { file: c.file, line: c.line } : undefined;
      },
      exportName: 'cases.csv',
      exportDir: first ? path.dirname(first) : undefined,
      rowNoun: 'cases',
    };
  },
  children(a, _id, parentKey, settings): TreeNodeData[] {
    if (parentKey === undefined)
      return a.tagging.tagCounts.map((t) => ({ key: `tag:${t.tag}`, label: t.tag, description: kpiTagTreeText(t.count), icon: new vscode.ThemeIcon('tag'), expandable: t.count > 0 }));
    if (!parentKey.startsWith('tag:')) return [];
    const tag = parentKey.slice(4);
    const out: TreeNodeData[] = [];
    a.input.cases.forEach((c, i) => {
      if (a.tagging.tags[i] !== tag || out.length >= settings.maxChildren) return;
      out.push({ key: `case:${i}`, label: c.title || '(no title)', description: [c.id, c.status, c.analyst].filter(Boolean).join(' · '), tooltip: `${c.file}:${c.line}`, expandable: false });
    });
    return out;
  },
  problems(a) {
    if (a.errors.length === 0) return undefined;
    if (a.rules?.error)
      return { severity: 'error', message: rulesErrorText(a.rules.error), lines: a.errors.slice(0, 200).map((x) => `${x.file}:${x.line}: ${x.message}`) };
    const e = a.errors[0];
    return { message: `${count(a.errors.length, 'problem')} in the cases or the tagging rules — everything readable was kept. First: ${path.basename(e.file)}:${e.line} ${e.message}`, lines: a.errors.slice(0, 200).map((x) => `${x.file}:${x.line}: ${x.message}`) };
  },
};

/** Creates `.soc/tagging.json` (the seed blog's rules) in the workspace folder unless it exists, and opens it. */
export async function createTaggingRulesFile(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('SOC Analytics: open a workspace folder first.');
    return undefined;
  }
  const opts = kpiSettings(folder.uri);
  const file = opts.rulesPath ?? path.join(folder.uri.fsPath, '.soc', 'tagging.json');
  if (!(await exists(file))) {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const body = { ...SEED_TAGGING_CONFIG, $schema: undefined };
    await fsp.writeFile(file, JSON.stringify(body, null, 2) + '\n', 'utf8');
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  return file;
}

export interface KpiReportFiles {
  html: string;
  markdown: string;
  analysisId: string;
}

/**
 * `SOC: Generate KPI Report…`: for a cases analysis (argument: analysis id, a Results-tree node, or
 * picked from the open cases analyses; with none open, `analyzeCases` runs first), writes
 * `soc-reports/kpi-report-<yyyyMMddTHHmmssZ>.html` and `.md` (UTC time of generation, to the second;
 * `-2`, `-3`, … when a report of that second exists: never overwritten) into the workspace folder
 * (beside the input without a workspace), times shown in the display zone. The KPIs
 * are recomputed as of the generation time (backlog ages, SLA checks of open cases); the report
 * shows that as-of time and the generation time. Resolves to the written paths.
 */
export async function generateKpiReport(
  arg: unknown,
  deps: { registry: AnalysisRegistry; displayZone: () => string; analyzeCases: () => Promise<{ analysisId: string } | undefined>; log: (m: string) => void },
): Promise<KpiReportFiles | undefined> {
  let id: string | undefined = typeof arg === 'string' ? arg : (arg as { meta?: AnalysisMeta } | undefined)?.meta?.id;
  if (id && deps.registry.get(id)?.kind !== 'kpi') id = undefined;
  if (!id) {
    const list = deps.registry.list().filter((m) => m.kind === 'kpi');
    if (list.length === 0) id = (await deps.analyzeCases())?.analysisId;
    else if (list.length === 1) id = list[0].id;
    else {
      const pick = await vscode.window.showQuickPick(
        list.map((m) => ({ label: m.title, description: m.description, id: m.id })),
        { title: 'SOC: Generate KPI Report — which cases analysis?' },
      );
      id = pick?.id;
    }
  }
  if (!id) return undefined;
  const meta = deps.registry.get(id)!;
  const a = (await deps.registry.load(id)) as KpiAnalysis | undefined;
  if (!a) {
    void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: the analysis “${meta.title}” could not be loaded.`));
    return undefined;
  }
  const zone = deps.displayZone();
  // The numbers are recomputed as of now (cheap: no file is read again), so backlog ages are those of the report's
  // day, not of the analysis run; the report states both times.
  const now = Date.now();
  const report = kpiReportOf(a, zone, kpiAsOfSetting(zone, inputScope(a, meta)) ?? now);
  const reportMeta = { title: `SOC KPI report: ${meta.title}`, inputs: a.input.files, rulesFile: a.rulesFile, rules: a.rules, errors: a.errors, generatedAt: now };
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(a.input.files[0] ?? '')) ?? vscode.workspace.workspaceFolders?.[0];
  const dir = folder ? path.join(folder.uri.fsPath, 'soc-reports') : path.dirname(a.input.files[0]);
  // never replaces an earlier report: a second report in the same second gets "-2"
  const [html, markdown] = await writeReportFiles(dir, now, [
    { ext: '.html', text: renderKpiReportHtml(report, reportMeta) },
    { ext: '.md', text: renderKpiReportMarkdown(report, reportMeta) },
  ]);
  deps.log(`KPI report written: ${html}, ${markdown}`);
  void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: KPI report written to ${path.relative(folder?.uri.fsPath ?? dir, html)} and .md.`), 'Open Markdown', 'Reveal HTML').then((c) => {
    if (c === 'Open Markdown') void vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(markdown));
    if (c === 'Reveal HTML') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(html));
  });
  return { html, markdown, analysisId: id };
}
