/**
 * Time-zone features of the extension layer: the "majority" display zone (evidence from the open
 * analyses and from normalised files), the `SOC: Normalize Timestamps…` command (column pick, format
 * detection, source zone for naive values, target zone, preview, new file) and the merged timeline
 * dashboard. Pure logic lives in src/core/tz-*.ts.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TableStore } from '../core/table/store';
import { isValidZoneSetting, resolveZone, unknownZoneMessage } from '../core/time';
import { COMMON_ZONES, pickZone } from './zone-pick';
import { savedConsoleZone } from './kinds/qradar';
import { INSPECT_HEAD_ROWS, defaultOutputPath, describeAddedColumns, fileExists, describeNormalizeStats, notTextTableMessage, recordNoun, spreadsheetOutputProblem, type NormalizeInspection, type NormalizeOptions, type NormalizeStats, type NormalizeSummary } from '../core/tz-file';
import { FORMAT_LABELS, majorityZone, parseTimestamp, timeColumnVerdict, type AmbiguousPolicy, type MajorityZone, type TimestampFormat } from '../core/tz-normalize';
import { buildTimelineDashboard, timelineColumns, timelineDetail, timelineEvents, timelineSteps, type TimelineEvent, type TimelineLeftOut } from '../core/tz-timeline';
import { runInSlices } from '../core/slices';
import type { AnalysisRegistry } from './analyses';
import type { DashboardSource } from './panels/dashboardPanel';
import { notificationSafe } from '../core/text-safe';
import type { WorkerJob } from '../shared/worker-protocol';
import { saveDialogTitle } from '../shared/export-scope';
import { CancelledError, runJob, WorkerSession } from './jobs';
import { problemWhere } from '../core/model/common';

/** Panel id of the merged timeline (not an analysis id). */
export const TIMELINE_ID = 'socAnalytics.timeline';
/** The merged timeline's tab title. */
export const TIMELINE_TITLE = 'SOC: Merged timeline';

const EVIDENCE_KEY = 'socAnalytics.tz.normalizedEvidence';

/** Carried zone → timestamps, from one analysis result (by kind; see `majorityZone`). */
export function evidenceOf(kind: string, result: unknown): Record<string, number> {
  const r = (result ?? {}) as Record<string, unknown>;
  if (kind === 'kpi') return { ...((r.input as { zoneEvidence?: Record<string, number> } | undefined)?.zoneEvidence ?? {}) };
  const n = timelineEvents(kind, '', result).length;
  if (kind === 'qradar' && r.usedConsoleTimes === true && typeof r.consoleTimeZone === 'string') {
    const events = Array.isArray(r.events) ? r.events.length : 0;
    return { UTC: n, [r.consoleTimeZone]: events };
  }
  return n ? { UTC: n } : {};
}

/**
 * Resolves the display-zone setting, including `majority`: the zone carried by most timestamps of
 * the analyses loaded in this window plus the files normalised in this workspace (see
 * `majorityZone` in src/core/tz-normalize.ts; no evidence or a tie → UTC).
 */
export class ZoneEvidence implements vscode.Disposable {
  private fromAnalyses: Record<string, number> = {};
  private last: MajorityZone = majorityZone({});
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private sub?: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.last = majorityZone(this.combined());
  }

  private combined(): Record<string, number> {
    const out: Record<string, number> = { ...this.state.get<Record<string, number>>(EVIDENCE_KEY, {}) };
    for (const [z, n] of Object.entries(this.fromAnalyses)) out[z] = (out[z] ?? 0) + n;
    return out;
  }

  private recompute(): void {
    const next = majorityZone(this.combined());
    const changed = next.zone !== this.last.zone;
    this.last = next;
    if (changed) this.changed.fire();
  }

  /** Follows the analyses of the registry (only loaded results count; nothing is re-run for this). */
  attach(registry: AnalysisRegistry): void {
    const update = async () => {
      const ev: Record<string, number> = {};
      for (const m of registry.list()) {
        if (!registry.isLoaded(m.id)) continue;
        const r = await registry.load(m.id);
        for (const [z, n] of Object.entries(evidenceOf(m.kind, r))) ev[z] = (ev[z] ?? 0) + n;
      }
      this.fromAnalyses = ev;
      this.recompute();
    };
    this.sub = registry.onDidChange(() => void update());
    void update();
  }

  /** Adds the evidence of a normalised file (persisted in the workspace). */
  async addNormalized(ev: Record<string, number>): Promise<void> {
    const cur = { ...this.state.get<Record<string, number>>(EVIDENCE_KEY, {}) };
    for (const [z, n] of Object.entries(ev)) cur[z] = (cur[z] ?? 0) + n;
    await this.state.update(EVIDENCE_KEY, cur);
    this.recompute();
  }

  majority(): MajorityZone {
    return this.last;
  }

  /** The setting value → IANA zone or `UTC` (`majority` resolved as above). */
  resolve(setting: string): string {
    return /^\s*majority\s*$/i.test(setting ?? '') ? this.last.zone : resolveZone(setting);
  }

  /** Status bar text for a setting value. */
  label(setting: string): string {
    return /^\s*majority\s*$/i.test(setting ?? '') ? `majority: ${this.last.zone}` : resolveZone(setting);
  }

  dispose(): void {
    this.sub?.dispose();
    this.changed.dispose();
  }
}

// ------------------------------------------------------------------------------ timeline

/** The merged-timeline dashboard over every analysis in the registry (loads/re-runs them as needed). */
export async function timelineSource(registry: AnalysisRegistry, zone: string): Promise<DashboardSource> {
  const events: TimelineEvent[] = [];
  // what each analysis has without a valid time (a case without a created time): said in a notice, not left out quietly
  const leftOut: TimelineLeftOut[] = [];
  const metas = registry.list();
  for (const m of metas) {
    // each analysis's events are kept by the registry: a rebuild (zone change) re-runs none whose result left memory
    // in slices of ~20 ms: the events of 597,205 findings took ~0.7 s of the host's main thread in one piece
    const t = await registry.derive(m.id, 'timeline', (r) => runInSlices(timelineSteps(m.kind, m.title, r)));
    if (t) for (const e of t.events) events.push(e);
    if (t?.leftOut) leftOut.push(t.leftOut);
  }
  events.sort((a, b) => a.time - b.time);
  const columns = timelineColumns(zone);
  return {
    panelTitle: TIMELINE_TITLE,
    model: buildTimelineDashboard(events, metas.length, zone, leftOut),
    rows: events,
    columns: columns as DashboardSource['columns'],
    store: new TableStore<TimelineEvent>(events, columns) as DashboardSource['store'],
    detail: (row, id) => timelineDetail(row as TimelineEvent, id, zone),
    sourceOf: (row) => (row as TimelineEvent).ref,
    exportName: 'timeline.csv',
    exportDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    rowNoun: 'events',
  };
}

// ------------------------------------------------------------------------------ normalize

/** Arguments of `socAnalytics.normalizeTimestamps` for scripts and tests (every prompt is skipped when given). */
export interface NormalizeArgs {
  column?: string;
  /** Further columns converted into the same copy (after `column`); each format detected unless `format` is given. */
  more?: string[];
  /** Format of `column` (and of each of `more` when given). */
  format?: TimestampFormat;
  fromZone?: string;
  toZone?: string;
  out?: string;
  ambiguous?: AmbiguousPolicy;
  /** Write without the preview confirmation. */
  noPreview?: boolean;
}

export interface NormalizeCommandResult {
  out: string;
  column: string;
  format: TimestampFormat;
  /** Every converted column with its format and counts (the first is `column`), when several were converted. */
  columns?: { column: string; format: TimestampFormat; stats: NormalizeStats }[];
  fromZone: string;
  toZone: string;
  stats: NormalizeStats;
  /** Problems of the input itself (bad JSON lines, extra CSV fields, not UTF-8), each logged with file and line. */
  inputProblems: number;
  /** Whether the written copy was opened in an editor (only a copy of at most {@link OPEN_COPY_MAX_BYTES}). */
  opened: boolean;
}

/**
 * The largest normalized copy opened in an editor after it is written: 50 MB (VS Code does not hand larger files to
 * extensions; *Open* in the notification still opens one in VS Code's own editor).
 */
export const OPEN_COPY_MAX_BYTES = 50 * 1024 * 1024;


/**
 * Asks for a zone: `suggested` (with why it is suggested) first, then `first` (the current display
 * zone), UTC, this machine's zone and the common zones. Resolves to the resolved zone, or undefined
 * when dismissed. `noDefault`: no row is pre-selected (Enter alone chooses nothing) — for a zone that is
 * not known (the source zone of naive times without a saved QRadar console zone: a guessed UTC would
 * shift every time silently).
 */
async function pickZoneFor(title: string, first: string | undefined, suggested?: { zone: string; why: string }, noDefault = false): Promise<string | undefined> {
  const zones = [...new Set([...(suggested ? [suggested.zone] : []), ...(first ? [first] : []), 'UTC', 'local', ...COMMON_ZONES])];
  const describe = (z: string): string | undefined =>
    z === suggested?.zone ? suggested.why : z === 'local' ? `this machine: ${resolveZone('local')}` : z === first ? 'current display zone' : undefined;
  const picked = await pickZone({
    title,
    // (short enough for the input box; the long hint was cut)
    placeHolder: 'Type a zone, e.g. Europe/Paris or UTC+3',
    ignoreFocusOut: true,
    noDefault,
    first: zones.map((z) => ({ label: z, description: describe(z) })),
  });
  return picked ? resolveZone(picked) : undefined;
}

/**
 * Asks the format of `column` (the detected one first, with the detection's words); undefined when dismissed.
 * *Custom luxon format…* asks the luxon pattern next.
 */
async function askFormat(column: string, verdict: ReturnType<typeof timeColumnVerdict>, example = ''): Promise<TimestampFormat | undefined> {
  const guess = verdict.guess;
  const ids = Object.keys(FORMAT_LABELS) as TimestampFormat[];
  const ordered = guess ? [guess.format, ...ids.filter((f) => f !== guess.format)] : ids;
  const items: (vscode.QuickPickItem & { format?: TimestampFormat })[] = ordered.map((f) => ({
    format: f,
    label: FORMAT_LABELS[f] ?? f,
    // the column step's words: recognised (`detected: ISO 8601 in 2 of 3 values …`) or why not
    description: guess && f === guess.format ? (verdict.recognised ? `detected: ${verdict.text}` : verdict.text) : undefined,
  }));
  items.push({ label: 'Custom luxon format…', description: 'e.g. dd/MM/yyyy HH:mm:ss' });
  const pick = await vscode.window.showQuickPick(items, { title: `Format of “${column}”${example ? ` (e.g. ${example})` : ''}`, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.format) return pick.format;
  const f = await vscode.window.showInputBox({ title: 'Luxon format (tokens: yyyy MM dd HH mm ss SSS a ZZ …)', placeHolder: 'dd/MM/yyyy HH:mm:ss', ignoreFocusOut: true });
  return f ? `custom:${f}` : undefined;
}

/**
 * The column question: a quick pick whose Enter takes the highlighted column (as a one-choice pick) unless columns
 * were ticked with Space (then those, in the list's order). Resolves to the columns, or undefined when dismissed.
 */
function pickColumns(items: (vscode.QuickPickItem & { column: string })[], title: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { column: string }>();
    qp.title = title;
    qp.items = items;
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.placeholder = 'Enter: the highlighted column · Space: tick several, then Enter';
    let done = false;
    qp.onDidAccept(() => {
      const ticked = qp.selectedItems.length ? items.filter((i) => qp.selectedItems.includes(i)) : qp.activeItems.slice(0, 1);
      done = true;
      qp.hide();
      resolve(ticked.map((i) => i.column));
    });
    qp.onDidHide(() => {
      qp.dispose();
      if (!done) resolve(undefined);
    });
    qp.show();
    // a many-choice list starts with no row highlighted: the first (suggested) one is, so Enter alone takes it as before
    if (items.length) qp.activeItems = [items[0]];
  });
}

/**
 * `SOC: Normalize Timestamps…`. Resolves to what was written, or undefined when cancelled or the
 * input is unusable (a message is shown; a dismissed question is said in the status bar and the log). The input file
 * is never modified. The written copy is opened in an editor when at most {@link OPEN_COPY_MAX_BYTES}, and a
 * notification names it with *Open* and *Reveal in Explorer*. The file is read,
 * converted and written in a worker thread (one for the whole command, src/extension/jobs.ts
 * `WorkerSession`), each step with a progress notification that can be cancelled: the worker is then
 * terminated and no output file is written. The extension host only asks the questions.
 */
export async function normalizeTimestampsCommand(
  uri: vscode.Uri | undefined,
  args: NormalizeArgs | undefined,
  deps: { displayZone: () => string; evidence: ZoneEvidence; log: (m: string) => void; extensionUri: vscode.Uri; channel: vscode.LogOutputChannel },
): Promise<NormalizeCommandResult | undefined> {
  const session = new WorkerSession();
  try {
    return await normalizeWithWorker(uri, args, deps, session);
  } catch (e) {
    if (e instanceof CancelledError) {
      // cancelled while the worker read, converted or wrote: it was terminated, and the output is renamed into place only when whole
      void vscode.window.showInformationMessage('SOC Analytics: Normalize Timestamps cancelled; no file was written.');
      return undefined;
    }
    const msg = `SOC Analytics: Normalize Timestamps failed: ${(e as Error).message}`;
    deps.log(msg);
    void vscode.window.showErrorMessage(notificationSafe(msg));
    return undefined;
  } finally {
    session.dispose();
  }
}

async function normalizeWithWorker(
  uri: vscode.Uri | undefined,
  args: NormalizeArgs | undefined,
  deps: { displayZone: () => string; evidence: ZoneEvidence; log: (m: string) => void; extensionUri: vscode.Uri; channel: vscode.LogOutputChannel },
  session: WorkerSession,
): Promise<NormalizeCommandResult | undefined> {
  const a = args ?? {};
  /** A prompt dismissed (Escape): the command ends, said in the status bar and the log (no file was written). */
  const dismissed = (prompt: string): undefined => {
    deps.log(`Normalize Timestamps: ${prompt} dismissed; no file was written.`);
    vscode.window.setStatusBarMessage('SOC Analytics: Normalize Timestamps cancelled; no file was written.', 5000);
    return undefined;
  };
  // a scripted zone that is no zone was read as UTC without a word: refused, with the zones it probably means
  for (const [key, v] of [['fromZone', a.fromZone], ['toZone', a.toZone]] as const) {
    if (v !== undefined && !isValidZoneSetting(v)) {
      void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: Normalize Timestamps: ${unknownZoneMessage(key, v)}.`));
      return undefined;
    }
  }
  let target = uri instanceof vscode.Uri ? uri : undefined;
  if (!target) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Normalize',
      title: 'Log file with timestamps (CSV, JSON, NDJSON, Zeek TSV or a text log)',
      filters: { Logs: ['csv', 'tsv', 'json', 'ndjson', 'jsonl', 'log'], 'All files': ['*'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    target = picked?.[0];
    if (!target) return dismissed('the file choice');
  }
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics reads local files only; cannot normalize ${target.toString()}.`));
    return undefined;
  }
  const input = target.fsPath;
  const name = path.basename(input);
  const job = <R>(j: Omit<WorkerJob, 'paths'>, title: string) => runJob<R>(deps.extensionUri, { ...j, paths: [input] } as WorkerJob, title, deps.channel, undefined, session);
  // read and inspected in the worker (the table stays there for the conversion)
  const table = await job<NormalizeInspection>({ kind: 'tzInspect', options: {} }, `SOC: Normalize Timestamps: reading ${name}`);
  // a compressed or binary file read as text (a Zeek .log.gz): refused as the CLI refuses it, its bytes never listed as columns
  if (table.notText) {
    void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: ${notTextTableMessage(name, table.notTextKind)}.`));
    return undefined;
  }
  if (table.rows === 0) {
    void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: ${table.noRows ?? `no records in ${name}${table.fileError ? `: ${table.fileError}` : ''}`}.`));
    return undefined;
  }
  const sampleText = (c: string) => table.examples[c] ?? '';
  // 1. column(s): Enter takes the focused column; Space ticks several (each converted into the same copy)
  let column = a.column;
  let moreColumns = a.more ?? [];
  const suggestions = table.suggestions;
  if (!column) {
    const items: (vscode.QuickPickItem & { column: string })[] = [
      ...suggestions.map((s, i) => ({
        column: s.column,
        label: s.column,
        description: `${s.verdict}${i === 0 ? ' · suggested' : ''}`,
        detail: `e.g. ${sampleText(s.column)}`,
      })),
      // why not, in the words of the format step (one detection: timeColumnVerdict, on the same sampled records)
      ...table.columns
        .filter((c) => !suggestions.some((s) => s.column === c))
        .map((c) => ({ column: c, label: c, description: timeColumnVerdict(table.samples[c] ?? []).text, detail: `e.g. ${sampleText(c)}` })),
    ];
    const picks = await pickColumns(items, `Normalize Timestamps: column of ${name} — Enter takes the highlighted one; Space ticks several`);
    if (!picks?.length) return dismissed('the column question');
    column = picks[0];
    moreColumns = picks.slice(1);
  }
  for (const c of [column, ...moreColumns]) {
    if (!table.columns.includes(c)) {
      void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: no column “${c}” in ${name}.`));
      return undefined;
    }
  }
  moreColumns = moreColumns.filter((c, i) => c !== column && moreColumns.indexOf(c) === i);
  const col = column;
  const allColumns = [col, ...moreColumns];
  // 2. format (asked for the first column; a further column takes its detected format, shown in the preview, and is
  // asked only when none is detected)
  let format = a.format;
  // the column's first non-empty values wherever they are, as `tz convert --column` (a column empty in its first records)
  const verdict = timeColumnVerdict(table.samples[col] ?? []);
  const guess = verdict.guess;
  if (!format && args && guess) format = guess.format; // scripted call: no prompt
  if (!format) {
    format = await askFormat(col, verdict, sampleText(col));
    if (!format) return dismissed('the format question');
  }
  const fmt = format;
  const moreFormats: { column: string; format: TimestampFormat }[] = [];
  for (const c of moreColumns) {
    const v = timeColumnVerdict(table.samples[c] ?? []);
    let f = a.format ?? (v.recognised || args ? v.guess?.format : undefined);
    if (!f) f = await askFormat(c, v, sampleText(c));
    if (!f) return dismissed('the format question');
    moreFormats.push({ column: c, format: f });
  }
  const formatOf = (c: string): TimestampFormat => (c === col ? fmt : moreFormats.find((m) => m.column === c)!.format);
  const quoted = allColumns.map((c) => `“${c}”`).join(', ');
  // 3. source zone for naive values
  const naive = allColumns.some((c) =>
    table.head.some((v) => {
      const x = parseTimestamp(v[c], formatOf(c), { year: 2000, anySecondSixty: true });
      return x.flag !== 'unparsed' && x.carriedZone !== undefined && !x.aware;
    }),
  );
  let fromZone = a.fromZone ? resolveZone(a.fromZone) : 'UTC';
  /** Asks the zone the naive times were written in (`why`: which times); undefined when dismissed. */
  const askFromZone = (why: string): Promise<string | undefined> => {
    // QRadar export times are in the console's zone: the one saved for the QRadar analyses comes first.
    const consoleZone = fmt === 'qradar' ? savedConsoleZone() : undefined;
    // then the display zone (socAnalytics.displayTimeZone; UTC when none is set) as the first of the usual zones
    return pickZoneFor(
      `Zone the times in ${quoted} were written in (${why})`,
      deps.displayZone() || 'UTC',
      consoleZone ? { zone: consoleZone, why: 'QRadar console zone (setting socAnalytics.qradar.consoleTimeZone)' } : undefined,
      // nothing pre-selected unless the zone is known (the saved console zone): Enter alone must not read the times as UTC
      !consoleZone,
    );
  };
  if (naive && !a.fromZone) {
    const z = await askFromZone('they carry no offset');
    if (!z) return dismissed('the source zone question');
    fromZone = z;
  }
  // 4. target zone
  let toZone = a.toZone ? resolveZone(a.toZone) : undefined;
  if (!toZone) {
    toZone = await pickZoneFor('Convert to zone', deps.displayZone());
    if (!toZone) return dismissed('the target zone question');
  }
  const options: NormalizeOptions = { column: col, format: fmt, fromZone, toZone, ambiguous: a.ambiguous ?? 'earlier', ...(moreFormats.length ? { more: moreFormats } : {}) };
  let result = await job<NormalizeSummary>({ kind: 'tzConvert', options }, `SOC: Normalize Timestamps: converting ${quoted} of ${name}`);
  const naiveCount = (r: NormalizeSummary) => r.stats.naive + (r.more ?? []).reduce((n, m) => n + m.stats.naive, 0);
  // The question above looked at the first INSPECT_HEAD_ROWS records (table.head): times without an offset further down were read
  // as UTC. A zone is never guessed: ask now, and convert again in the zone given.
  if (!naive && !a.fromZone && naiveCount(result) > 0) {
    const n = naiveCount(result);
    const z = await askFromZone(`${n} ${n === 1 ? 'time' : 'times'} after the first ${INSPECT_HEAD_ROWS} ${recordNoun(table.format)}s carry no offset`);
    if (!z) return dismissed('the source zone question');
    fromZone = z;
    options.fromZone = z;
    result = await job<NormalizeSummary>({ kind: 'tzConvert', options }, `SOC: Normalize Timestamps: converting ${quoted} of ${name}`);
  }
  const parts = [{ column: col, format: fmt, outColumns: result.outColumns, stats: result.stats, preview: result.preview }, ...(result.more ?? [])];
  const s = result.stats;
  // Default: `soc-exports/` of the workspace folder, which no analysis reads back (a converted copy beside the
  // original would be counted twice by the next analysis of that folder).
  const wsFolder = vscode.workspace.getWorkspaceFolder(target);
  let out = a.out;
  if (!out) {
    const converted = defaultOutputPath(input, toZone, table.format);
    if (wsFolder) {
      // (the folder is made when the file is written, not while the preview asks)
      out = path.join(wsFolder.uri.fsPath, 'soc-exports', path.basename(converted));
    } else out = converted;
  }
  // 5. preview
  if (!a.noPreview) {
    const previewOf = (rows: NormalizeSummary['preview']) => rows.map((r) => `${r.original || '(empty)'}  →  ${r.normalized || '—'}${r.flag ? `   ⚠ ${r.flag}` : ''}`).join('\n');
    const statsOf = (p: (typeof parts)[number]) => describeNormalizeStats(p.stats, fromZone, a.ambiguous ?? 'earlier', { toZone, flagColumn: p.outColumns[1], noun: recordNoun(table.format) });
    // one column: its counts, then its first records; several: per column its format, counts and first 5 records
    const preview =
      parts.length === 1
        ? previewOf(result.preview)
        : parts.map((p) => `“${p.column}” (${FORMAT_LABELS[p.format] ?? p.format}):\n${previewOf(p.preview.slice(0, 5))}`).join('\n\n');
    const summary = (parts.length === 1 ? statsOf(parts[0]) : parts.map((p) => `“${p.column}”: ${statsOf(p)}`).join('\n')) + inputProblems();
    // an existing output (a second run on the same file) is never replaced silently: said, and the button says Replace
    const exists = await fileExists(out);
    const choice = await vscode.window.showInformationMessage(
      notificationSafe(`Convert the times in ${quoted} to ${toZone}?`),
      {
        modal: true,
        detail: `${summary}\n\nFirst ${recordNoun(table.format)}s (as written → converted):\n${preview}\n\nOutput: ${exists ? `${out} — this file already exists and is replaced (Choose Location… writes elsewhere)` : `a new file, ${out}`}\n${describeAddedColumns(table, result)} The input file is not changed.`,
      },
      exists ? 'Replace File' : 'Write File',
      'Choose Location…',
    );
    if (!choice) return dismissed('the preview');
    if (choice === 'Choose Location…') {
      const dest = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(out), title: saveDialogTitle('Normalized copy') });
      if (!dest) return dismissed('the save dialog');
      return finish(dest.fsPath);
    }
  }
  return finish(out);

  /** The input's own problems (bad JSON lines, extra CSV fields, not UTF-8): count and the first three with line. */
  function inputProblems(): string {
    const n = table.errorCount;
    if (!n) return '';
    const first = table.errors.slice(0, 3).map((e) => `${problemWhere(path.basename(e.file), e.line)}: ${e.message.slice(0, 200)}`).join('\n');
    return `\n${n} problem${n === 1 ? '' : 's'} reading the input (every record is still written; all listed in the SOC Analytics log):\n${first}`;
  }

  async function finish(outPath: string): Promise<NormalizeCommandResult | undefined> {
    // a Zeek or text log's copy keeps its values unguarded: not under a name a spreadsheet opens (a chosen or scripted one)
    const sheet = spreadsheetOutputProblem(table.format, outPath);
    if (sheet) {
      void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: Normalize Timestamps: ${path.basename(outPath)}: ${sheet}. No file was written.`));
      return undefined;
    }
    // written by the worker under a temporary name beside the output, renamed here when whole: a cancel leaves no partial file
    const tmpPath = path.join(path.dirname(outPath), `.${path.basename(outPath)}.${randomBytes(4).toString('hex')}.partial`);
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(outPath)));
      await job({ kind: 'tzWrite', options: { ...options, out: outPath, tmpPath } }, `SOC: Normalize Timestamps: writing ${path.basename(outPath)}`);
      await fsp.rename(tmpPath, outPath);
    } catch (e) {
      await fsp.rm(tmpPath, { force: true }).catch(() => undefined);
      if (e instanceof CancelledError) throw e;
      void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: cannot write ${outPath}: ${(e as Error).message}`));
      return undefined;
    }
    await deps.evidence.addNormalized(result.evidence);
    for (const p of parts) deps.log(`Normalized ${input} [${p.column}, ${p.format}, ${fromZone} → ${toZone}] → ${outPath}: ${JSON.stringify(p.stats)}`);
    for (const e of table.errors) deps.log(`${problemWhere(e.file, e.line)}: input: ${e.message}`);
    if (table.errorCount > table.errors.length) deps.log(`… ${table.errorCount - table.errors.length} more input problems in ${input}`);
    for (const e of result.errors) deps.log(`${problemWhere(e.file, e.line)}: ${e.message}`);
    const flagColumns = parts.map((p) => p.outColumns[1]).join(', ');
    if (result.errorCount > result.errors.length) deps.log(`… ${result.errorCount - result.errors.length} more flagged rows (every one in ${flagColumns} of ${outPath})`);
    const flagged = parts.reduce((n, p) => n + p.stats.ambiguous + p.stats.nonexistent + p.stats.unparsed, 0);
    const problems = table.errorCount;
    // the copy is opened in an editor when VS Code can give it to an editor (≤ 50 MB); the notification names it
    const outUri = vscode.Uri.file(outPath);
    const size = await fsp.stat(outPath).then((st) => st.size, () => Infinity);
    let opened = false;
    if (size <= OPEN_COPY_MAX_BYTES) {
      try {
        await vscode.window.showTextDocument(outUri, { preview: false });
        opened = true;
      } catch (e) {
        deps.log(`Normalize Timestamps: ${outPath} was written but could not be opened: ${(e as Error).message}`);
      }
    }
    const noun = recordNoun(table.format);
    const where = wsFolder && !path.relative(wsFolder.uri.fsPath, outPath).startsWith('..') ? path.relative(wsFolder.uri.fsPath, outPath) : outPath;
    void vscode.window
      .showInformationMessage(
        notificationSafe(`SOC Analytics: converted ${parts.map((p) => `${p.stats.converted} of ${p.stats.rows} ${noun}${p.stats.rows === 1 ? '' : 's'} in “${p.column}”`).join(', ')} to ${toZone}, written to ${where} (the input is unchanged).` +
          (flagged ? ` ${flagged} flagged in ${flagColumns} (not converted, or in the hour that repeats when clocks go back).` : '') +
          (problems ? ` ${problems} problem${problems === 1 ? '' : 's'} reading the input: see the SOC Analytics log.` : '') +
          (size > OPEN_COPY_MAX_BYTES && Number.isFinite(size) ? ` Not opened: ${Math.round(size / 1024 / 1024)} MB is over ${OPEN_COPY_MAX_BYTES / 1024 / 1024} MB.` : '')),
        'Open',
        'Reveal in Explorer',
      )
      .then((c) => {
        if (c === 'Open') void vscode.commands.executeCommand('vscode.open', outUri);
        else if (c === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', outUri);
      });
    return {
      out: outPath,
      column: col,
      format: fmt,
      ...(parts.length > 1 ? { columns: parts.map((p) => ({ column: p.column, format: p.format, stats: p.stats })) } : {}),
      fromZone,
      toZone: toZone!,
      stats: s,
      inputProblems: table.errorCount,
      opened,
    };
  }
}
