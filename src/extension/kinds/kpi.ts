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
import { buildKpiDashboard, caseColumns, caseDetail, caseRows, hasAcknowledgedTimes, kpiCaseTreeText, kpiTagRowText, kpiTreeText, type CaseRow } from '../../core/analyze/kpi-dashboard';
import { checkSla, openCaseCountAt } from '../../core/analyze/kpi';
import { kpiMarkdown } from '../../core/export/markdown-summary';
import { kpiReportOf, parseAsOf, REGEX_RULE_NOT_RUN, rulesErrorText, type KpiAnalysis, type KpiRunOptions } from '../../core/analyze/kpi-run';
import { SEED_TAGGING_CONFIG } from '../../core/analyze/tagging';
import { detailLines, ERRORS_TAB, inputsNotice, KPI_NOTES_TAB, kpiRuleProblemsSentence, kpiRulesErrorHeadline, unreadFiles } from '../../core/analyze/run-notice';
import { renderKpiReportHtml, renderKpiReportMarkdown } from '../../core/export/report';
import { writeReportFiles } from '../../core/export/report-files';
import { CASE_FIELDS, type CaseRecord, caseMappingGroups, fileList, mappingSpec, folderOtherToolReason, mappingReadsCases, sampleCaseMapping, type CaseField, type CaseMapping, type CaseMappingGroup, type CaseMappingSample } from '../../core/parse/cases';
import { discoverCaseFiles } from '../../core/parse/cases-discover';
import { TableStore } from '../../core/table/store';
import { TagColorStore } from '../../core/tag-color-store';
import type { AnalysisRegistry } from '../analyses';
import type { DashboardSource } from '../panels/dashboardPanel';
import type { ShowRowsRequest } from '../../shared/protocol';
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

/**
 * The zone the shift hours are in, from `socAnalytics.kpi.shiftTimeZone` as typed (empty: UTC; resolved by
 * `kpiReportOf`), read when the dashboard or report is built so that a change applies at once. A value that is not a
 * zone is warned about once per value, naming the zones it probably means (the shifts are then counted in UTC, and the
 * report's notes say so). `scope`: the analysis's first input (a folder's own value).
 */
export function kpiShiftZoneSetting(scope?: vscode.Uri): string {
  const raw = (vscode.workspace.getConfiguration(CONFIG, scope).get<string>('kpi.shiftTimeZone', '') ?? '').trim();
  if (raw && !isValidZoneSetting(raw)) {
    if (warnedShiftZone !== raw) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: ${unknownZoneSettingMessage('socAnalytics.kpi.shiftTimeZone', raw, 'The shifts are counted in UTC.')}`));
    warnedShiftZone = raw;
  }
  return raw;
}
let warnedShiftZone: string | undefined;
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
 * Before the run: drops a rules path that does not exist (the seed rules are then used, noted in the report) and
 * checks the column mapping of every case file of the run, named or found in a folder (at most
 * {@link FOLDER_SAMPLE_FILES} of those; the others are judged by the analysis): files are grouped by header
 * (`caseMappingGroups`), and each header whose files are not recognised as a case export (no created time, or no
 * title or id), or every header with `options.editMapping`, gets one mapping prompt ({@link mapColumns}), pre-filled
 * with the saved mapping, the suggestion and the columns guessed from the header words (`mappingOffer`). A header
 * with a mapping remembered from an earlier run ({@link rememberedMappings}) is read with it, unasked. The mapping
 * chosen is remembered for the header and applies to its files only (`fileMappings`); Escape (or *Skip*) leaves that
 * header's files out, listed as skipped with the reason (`declined`); *Cancel the analysis* resolves to undefined.
 * Named files keep the columns of their own header (a saved mapping made for another tool's columns is not applied to
 * them). Another tool's export, found in a folder or named (a Loki `--csv` log, a QRadar Log Activity export:
 * `folderOtherToolReason`), gets no prompt: the analysis refuses it with the reason; so does a compressed or binary file
 * (told by its first bytes, `sampleCaseMapping`'s `notText`: a PNG named image.csv had its bytes offered as columns). Reads the start of each file only (`sampleCaseMapping`, 64 KiB), never a whole file on the extension host's
 * main thread.
 */
async function prepare(paths: string[], options: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const o = { ...(options as KpiRunOptions & { editMapping?: boolean }) };
  const all = !!o.editMapping;
  delete o.editMapping;
  delete o.fileMappings;
  delete o.declined;
  // rulesPath stays in the options even when the file does not exist yet: the job looks it up at run time.
  if (paths.length === 0) return o;
  const found = await discoverCaseFiles(paths);
  const named = found.files.filter((f) => !found.inFolder.has(f));
  const sampled = [...named, ...found.files.filter((f) => found.inFolder.has(f)).slice(0, FOLDER_SAMPLE_FILES)];
  const samples = new Map<string, CaseMappingSample>();
  for (const f of sampled) samples.set(f, await sampleCaseMapping(f, o.mapping ?? {}, { maxBytes: 64 * 1024 }));
  const fileMappings: Record<string, CaseMapping> = {};
  // a named file: the suggestion for its own columns, with the saved mapping's fields whose column it has
  for (const f of named) if (samples.get(f)!.columns.length) fileMappings[f] = samples.get(f)!.mapping;
  const remembered = rememberedMappings();
  const groups = caseMappingGroups(
    // a Loki --csv log or a QRadar Log Activity export, found in a folder or named, is no case export: refused by the
    // analysis with the reason (cases.ts namedOtherToolReason, the same rule), never offered for mapping (Enter on the
    // prompt read 5 QRadar events as 5 cases)
    sampled.filter((file) => !folderOtherToolReason(samples.get(file)!)).map((file) => ({ file, ...samples.get(file)! })),
    { mapping: o.mapping, remembered: Object.fromEntries(Object.entries(remembered).map(([k, r]) => [k, r.mapping])), all },
  );
  const asked = groups.filter((g) => all || !g.remembered);
  const declined: string[] = [];
  for (const g of groups) {
    if (!all && g.remembered) {
      for (const f of g.files) fileMappings[f] = g.remembered;
      continue;
    }
    const answer = await mapColumns(g, samples.get(g.files[0])!, asked.length > 1 ? `header ${asked.indexOf(g) + 1} of ${asked.length}: ` : '');
    if (answer === 'cancel') return undefined;
    if (answer === 'skip') {
      // recognised files (a prompt asked for with editMapping) keep their columns; the others are skipped, with the reason
      if (g.needed) declined.push(...g.files.filter((f) => !found.inFolder.has(f)));
      continue;
    }
    for (const f of g.files) fileMappings[f] = answer.mapping;
    await rememberMapping(g, answer.mapping);
    // the workspace (the input's folder when that folder sets a mapping; the user settings with no workspace open)
    if (answer.save) await updateSetting(CONFIG, 'kpi.columnMapping', answer.mapping, { scope: vscode.Uri.file(g.files[0]), preferred: 'workspace' });
  }
  if (Object.keys(fileMappings).length) o.fileMappings = fileMappings;
  if (declined.length) o.declined = declined;
  return o;
}

/** Files of a folder sampled for the mapping prompts, at most (the others are judged by the analysis, as before). */
const FOLDER_SAMPLE_FILES = 200;

/** A mapping chosen in the prompt for one header, remembered in the workspace ({@link rememberedMappings}). */
export interface RememberedCaseMapping {
  /** The header (column names in order); the key is its `headerKey`. */
  columns: string[];
  mapping: CaseMapping;
  /** A file it was chosen for (workspace-relative), to name it. */
  file: string;
  /** When it was chosen, epoch ms. */
  at: number;
}

/** workspaceState key of the mappings remembered per header (`headerKey` → {@link RememberedCaseMapping}). */
const REMEMBERED_KEY = 'socAnalytics.kpi.headerMappings';
let mappingStore: vscode.Memento | undefined;

/** Where the mappings chosen per header are remembered (call once at activation with `context.workspaceState`). */
export function setCaseMappingStore(m: vscode.Memento): void {
  mappingStore = m;
}

/** The tag colours remembered in this workspace (core/tag-color-store); none before activation (tests). */
let tagColorStore: TagColorStore | undefined;

/** Where the tag colours are remembered (call once at activation with `context.workspaceState`). */
export function setTagColorStore(m: vscode.Memento): void {
  tagColorStore = new TagColorStore(m);
}

/**
 * The KPI report of a dashboard or report file, in the workspace's tag colours: a tag keeps the colour it was first
 * shown with, the tags of the report get distinct ones (core/analyze/tag-colors); the colours it shows are remembered.
 */
function shownKpiReport(a: KpiAnalysis, zone: string, asOf: number, shiftZone: string | undefined): ReturnType<typeof kpiReportOf> {
  const report = kpiReportOf(a, zone, asOf, shiftZone, tagColorStore?.memory());
  void tagColorStore?.remember(report.tagColors);
  return report;
}

/** The mappings remembered per header in this workspace (`headerKey` of the columns → mapping). */
export function rememberedMappings(): Record<string, RememberedCaseMapping> {
  return { ...(mappingStore?.get<Record<string, RememberedCaseMapping>>(REMEMBERED_KEY, {}) ?? {}) };
}

async function rememberMapping(g: CaseMappingGroup, mapping: CaseMapping): Promise<void> {
  // (in the order of the fields, as the forget list shows it)
  const ordered: CaseMapping = Object.fromEntries(CASE_FIELDS.filter((f) => mapping[f] !== undefined).map((f) => [f, mapping[f]]));
  await mappingStore?.update(REMEMBERED_KEY, { ...rememberedMappings(), [g.key]: { columns: g.columns, mapping: ordered, file: vscode.workspace.asRelativePath(g.files[0], false), at: Date.now() } });
}

/**
 * `SOC: Forget Remembered Case Column Mappings…`: the mappings remembered per header, all picked (untick those to
 * keep); the ones left picked are forgotten, and the next *Analyze Cases* on files with those headers asks again.
 * Resolves to the number forgotten (0 with none remembered), or undefined when dismissed.
 */
export async function forgetCaseMappings(): Promise<number | undefined> {
  const remembered = rememberedMappings();
  const keys = Object.keys(remembered);
  if (keys.length === 0) {
    void vscode.window.showInformationMessage('SOC Analytics: no case column mapping is remembered in this workspace.');
    return 0;
  }
  const picks = await vscode.window.showQuickPick(
    keys.map((key) => ({ key, label: remembered[key].file, description: mappingSpec(remembered[key].mapping), detail: `columns: ${columnsText(remembered[key].columns)}`, picked: true })),
    { title: 'SOC: Forget remembered case column mappings (the next Analyze Cases asks again for these headers)', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picks) return undefined;
  for (const p of picks) delete remembered[p.key];
  await mappingStore?.update(REMEMBERED_KEY, remembered);
  if (picks.length) void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: ${count(picks.length, 'case column mapping')} forgotten.`));
  return picks.length;
}

/** Column names shown in a prompt, at most. */
const PROMPT_COLUMNS = 12;
const columnsText = (columns: string[]) =>
  columns
    .slice(0, PROMPT_COLUMNS)
    .map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c))
    .join(', ') + (columns.length > PROMPT_COLUMNS ? `, … (${columns.length} columns)` : '');


/**
 * The column-mapping prompt of one header's files (`g`): the fields with the column each is read from (`g.offer`: the
 * remembered mapping, or the saved one, the suggestion and the guess from the header words), changed one field at a
 * time from the columns (with the first record's value, from `t`), until *Read them with this mapping* or *… and save
 * the mapping* (socAnalytics.kpi.columnMapping, saved by the caller). The first row (Enter) is *Read them*, or *Skip
 * these files* while the mapping reads no case (no created time, or no title or id) of files not recognised. Resolves to the mapping, `'skip'` (*Skip these
 * files*, or Escape) or `'cancel'` (*Cancel the analysis*). `position`: `header 1 of 3: `, or empty.
 */
async function mapColumns(g: CaseMappingGroup, t: CaseMappingSample, position: string): Promise<{ mapping: CaseMapping; save: boolean } | 'skip' | 'cancel'> {
  const mapping: CaseMapping = { ...g.offer };
  const example = (c: string) => String(t.firstRow?.[c] ?? '').slice(0, 40);
  for (;;) {
    type Item = vscode.QuickPickItem & { field?: CaseField; action?: 'run' | 'save' | 'skip' | 'cancel' };
    const run: Item = { label: '$(play) Read them with this mapping', description: 'remembered for this header (SOC: Forget Remembered Case Column Mappings… to undo)', action: 'run' };
    const skip: Item = g.needed
      ? { label: '$(debug-step-over) Skip these files', description: 'listed as skipped, with the reason (Escape does the same)', action: 'skip' }
      : { label: '$(debug-step-over) Keep their columns', description: 'the suggested or saved mapping (Escape does the same)', action: 'skip' };
    const save: Item = { label: `$(save) Read them and save the mapping in the ${vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user'} settings`, action: 'save' };
    // Enter takes the first row: skipping when the mapping reads no case (no created time, or no title or id)
    const actions = g.needed && !mappingReadsCases(mapping, t.columns) ? [skip, run, save] : [run, save, skip];
    const items: Item[] = [
      ...actions,
      { label: '$(close) Cancel the analysis', description: 'no file is read', action: 'cancel' },
      { label: g.remembered ? 'remembered mapping' : g.needed ? 'guessed from the header: check it' : 'fields', kind: vscode.QuickPickItemKind.Separator },
      ...CASE_FIELDS.map((f) => ({
        field: f,
        label: f,
        description: mapping[f] ? `← ${mapping[f]}${example(mapping[f]!) ? ` (${example(mapping[f]!)})` : ''}` : '(not mapped: KPIs needing it are shown as unavailable)',
      })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Cases, ${position}map the columns of ${fileList(g.files)}${g.files.length > 1 ? ` (${count(g.files.length, 'file')} with this header)` : ''}`,
      placeHolder: `Columns: ${columnsText(g.columns)} — pick a field to change its column, or read them`,
      ignoreFocusOut: true,
    });
    if (!pick) return 'skip';
    if (pick.action === 'run' || pick.action === 'save') return { mapping, save: pick.action === 'save' };
    if (pick.action) return pick.action;
    const f = pick.field!;
    const colPick = await vscode.window.showQuickPick(
      [{ label: '(none)', column: undefined as string | undefined }, ...g.columns.map((c) => ({ label: c, column: c as string | undefined, description: String(t.firstRow?.[c] ?? '').slice(0, 60) }))],
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
  panelTitle: (meta) => `Cases: ${meta.title}`,
  command: () => 'socAnalytics.analyzeCases',
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
  summary: true,
  source(a, meta, zone): DashboardSource {
    const asOf = kpiAsOfSetting(zone, inputScope(a, meta)) ?? a.asOf;
    const report = shownKpiReport(a, zone, asOf, kpiShiftZoneSetting(inputScope(a, meta)));
    // the cases the KPIs count, with their state at the as-of time (the cards' and tables' filters show exactly those)
    const rows = caseRows(a, asOf, report);
    const columns = caseColumns(zone, a.options.automationAccounts, hasAcknowledgedTimes(a));
    const first = a.input.files[0];
    return {
      panelTitle: kpiKind.panelTitle(meta),
      // Copy Summary as Markdown: the KPI values of the dashboard's cards, short (the full report is Generate KPI Report)
      markdown: (o) => kpiMarkdown(report, a.input, { zone, defang: o.defang, title: meta.title }),
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
  children(a, id, parentKey, settings): TreeNodeData[] {
    // each case's state and SLA breaches at the dashboard's as-of time: the row a click shows reads the same
    const rows = treeRows(a, settings.zone ?? 'UTC');
    if (parentKey === undefined)
      // a click shows the dashboard's cases of the tag (a removable chip)
      return a.tagging.tagCounts.map((t) => ({
        key: `tag:${t.tag}`,
        ...kpiTagRowText(t.tag, t.count, rows.byTag.get(t.tag) ?? []),
        icon: new vscode.ThemeIcon('tag'),
        expandable: t.count > 0,
        command: { command: 'socAnalytics.openAnalysis', title: 'Show in Dashboard', arguments: [id, { facets: { tag: t.tag } } as ShowRowsRequest] },
      }));
    if (!parentKey.startsWith('tag:')) return [];
    const tag = parentKey.slice(4);
    const out: TreeNodeData[] = [];
    a.input.cases.forEach((c, i) => {
      if (a.tagging.tags[i] !== tag || out.length >= settings.maxChildren) return;
      // the case's row of the dashboard (by its id, within the tag), its detail open
      const show: ShowRowsRequest | undefined = c.id ? { facets: { id: c.id, tag }, detail: true } : undefined;
      out.push({
        key: `case:${i}`,
        // id · state · SLA breaches · analyst, then the title; a case created after the as-of time: its state now
        ...kpiCaseTreeText(rows.byCase.get(c) ?? rows.now(i)),
        expandable: false,
        ...(show ? { command: { command: 'socAnalytics.openAnalysis', title: 'Show in Dashboard', arguments: [id, show] } } : {}),
      });
    });
    return out;
  },
  skipped: (a) => a.input.skipped,
  // no case file read (each damaged or unreadable): why, per file, instead of "no Cases files found"
  nothingRead: (a) => (a.filesRead === 0 ? unreadFiles(a.errors.filter((e) => e.file !== (a.rulesFile ?? '(seed rules)'))) : undefined),
  problems(a, paths) {
    // an unusable rules file: the cases were NOT tagged — an error, with the file to fix (at its line) and the setting
    if (a.rules?.error) {
      const e = a.rules.error;
      return {
        severity: 'error',
        message: kpiRulesErrorHeadline(e),
        lines: [rulesErrorText(e), ...detailLines(a.errors)],
        setting: 'socAnalytics.kpi.taggingRulesFile',
        file: { path: e.file, line: e.line },
      };
    }
    // rules the validation disabled (their file's problems) apart from the cases' own problems
    const rulesFile = a.rulesFile ?? '(seed rules)';
    const ruleErrors = a.errors.filter((e) => e.file === rulesFile);
    const inputErrors = a.errors.filter((e) => e.file !== rulesFile);
    // the notes (seed rules used, no acknowledgement times…) are rows of the KPIs tab: the log only
    const n = inputsNotice({ label: 'Cases', errors: inputErrors, skipped: a.input.skipped, paths, notes: a.input.notes, errorsTab: ERRORS_TAB, skippedTab: KPI_NOTES_TAB });
    if (!ruleErrors.length) return n;
    const rules = kpiRuleProblemsSentence(ruleErrors.length, a.rulesFile, ruleErrors.filter((e) => e.message.includes(`: ${REGEX_RULE_NOT_RUN} — `)).length);
    const loud = n && !n.quiet;
    return {
      severity: 'warning',
      message: loud ? `${n.message} ${rules}` : `Cases: ${rules}`,
      lines: [...(n?.lines ?? []), ...detailLines(ruleErrors)],
      tab: loud && n.tab ? n.tab : ERRORS_TAB,
      ...(a.rulesFile ? { file: { path: a.rulesFile, line: ruleErrors[0].line } } : {}),
    };
  },
};

interface KpiTreeRows {
  /** The as-of time the rows are for (the dashboard's: socAnalytics.kpi.asOf, else the analysis's). */
  asOf: number;
  /** Each case's row of the cases table at `asOf` (state, SLA breaches); a case created after it has none. */
  byCase: Map<CaseRecord, CaseRow>;
  /** The rows by tag. */
  byTag: Map<string, CaseRow[]>;
  /** The row of input case `i` with its state now and no SLA breach (a case created after the as-of time). */
  now(i: number): CaseRow;
}
/** The Results tree's case rows of each analysis, for one as-of time (made again when the as-of setting changes). */
const treeRowCache = new WeakMap<KpiAnalysis, KpiTreeRows>();

/**
 * The cases table's rows of a cases analysis for the Results tree ({@link caseRows} with the KPI report's SLA
 * breaches), at the as-of time its dashboard uses, so that a row reads as the dashboard row a click shows; computed once
 * per analysis and as-of time (a tag's expansion does not recompute the KPIs).
 */
function treeRows(a: KpiAnalysis, zone: string): KpiTreeRows {
  const scope = inputScope(a, { paths: [] });
  const asOf = kpiAsOfSetting(zone, scope) ?? a.asOf;
  const cached = treeRowCache.get(a);
  if (cached?.asOf === asOf) return cached;
  // the SLA breaches do not depend on the display or shift zone
  const report = kpiReportOf(a, zone, asOf, kpiShiftZoneSetting(scope));
  const byCase = new Map<CaseRecord, CaseRow>();
  const byTag = new Map<string, CaseRow[]>();
  for (const r of caseRows(a, asOf, report)) {
    byCase.set(r.c, r);
    const list = byTag.get(r.tag);
    if (list) list.push(r);
    else byTag.set(r.tag, [r]);
  }
  let all: CaseRow[] | undefined;
  const rows: KpiTreeRows = { asOf, byCase, byTag, now: (i) => (all ??= caseRows(a))[i] };
  treeRowCache.set(a, rows);
  return rows;
}

/**
 * `SOC: Create Tagging Rules File`: creates `.soc/tagging.json` (the seed blog's rules; or the file
 * socAnalytics.kpi.taggingRulesFile names) in the workspace folder and opens it. A file already there is never
 * overwritten (written with `wx`: not even one made in the meantime): it is opened, and an information message says so
 * (a new user's trial: the command opened the existing file without a word). Resolves to the file, undefined without a
 * workspace folder.
 */
export async function createTaggingRulesFile(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('SOC Analytics: open a workspace folder first.');
    return undefined;
  }
  const opts = kpiSettings(folder.uri);
  const file = opts.rulesPath ?? path.join(folder.uri.fsPath, '.soc', 'tagging.json');
  let existed = await exists(file);
  if (!existed) {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const body = { ...SEED_TAGGING_CONFIG, $schema: undefined };
    try {
      await fsp.writeFile(file, JSON.stringify(body, null, 2) + '\n', { encoding: 'utf8', flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code !== 'EEXIST') throw e;
      existed = true;
    }
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  if (existed) void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: ${vscode.workspace.asRelativePath(vscode.Uri.file(file), false)} already exists; opened it.`));
  return file;
}

export interface KpiReportFiles {
  html: string;
  markdown: string;
  analysisId: string;
}

/**
 * Title of the input pick *Generate KPI Report* opens when no cases analysis is open: the report needs one, and a
 * bare "Analyze Cases" picker did not say why it appeared (a UI trial).
 */
export const KPI_REPORT_ANALYZE_FIRST = 'SOC: Generate KPI Report — no cases analysis is open: choose the case export to analyze first';

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
  const report = shownKpiReport(a, zone, kpiAsOfSetting(zone, inputScope(a, meta)) ?? now, kpiShiftZoneSetting(inputScope(a, meta)));
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(a.input.files[0] ?? '')) ?? vscode.workspace.workspaceFolders?.[0];
  // the report's paths relative to the workspace folder when they are in it (`cases/week1.csv`), else absolute
  const reportMeta = { title: `SOC KPI report: ${meta.title}`, inputs: a.input.files, rulesFile: a.rulesFile, rules: a.rules, errors: a.errors, generatedAt: now, baseDir: folder?.uri.fsPath };
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
