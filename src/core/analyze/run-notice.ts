/**
 * The notification after an analysis run, decided without `vscode` (the extension shows it, unit tests check it).
 *
 * One rule for every kind (as the beacon analysis's since `BeaconAnalysis.attention`): routine information — counts
 * the dashboard already shows, files of another kind met in a folder, notes that explain the numbers — goes to the
 * output log only (`quiet`); a notification appears only when something needs the analyst's action or explains an
 * empty or partial result (lines or files that could not be read, files the analyst chose that were skipped), in one
 * or two short sentences, with the buttons that help (the dashboard tab that lists the details, Open Settings, Open
 * File, Show Log). Nothing is dropped: every line is in the log, and the dashboard lists the same in its tabs.
 */
import * as path from 'node:path';
import { count } from './dashboard-kit';

/** A dashboard tab that lists what a notification is about, and the button that shows it. */
export interface NoticeTab {
  /** The small table's id in the dashboard model (`notes`, `errors`, `inputs`, `skipped`, `kpis`). */
  id: string;
  /** The button's label: `Show Notes`, `Show Errors`, `Show Files Read`. */
  button: string;
}

/** The Errors tab (Loki, QRadar, cases, beacons). */
export const ERRORS_TAB: NoticeTab = { id: 'errors', button: 'Show Errors' };
/** The beacon dashboard's Notes tab. */
export const NOTES_TAB: NoticeTab = { id: 'notes', button: 'Show Notes' };
/** The cases dashboard's notes: rows `Note` at the end of its KPIs tab. */
export const KPI_NOTES_TAB: NoticeTab = { id: 'kpis', button: 'Show Notes' };
/** The QRadar dashboard's Files read tab (it lists the files skipped, with why). */
export const QRADAR_FILES_TAB: NoticeTab = { id: 'inputs', button: 'Show Files Read' };
/** The Loki dashboard's Skipped files tab. */
export const LOKI_SKIPPED_TAB: NoticeTab = { id: 'skipped', button: 'Show Skipped Files' };

/** What a kind's `problems` returns: the notification after a run, or (`quiet`) only lines for the log. */
export interface RunNotice {
  /** One or two short sentences (shown after `SOC Analytics: `). */
  message: string;
  /** Every detail, one log line each (written to the output log whether a notification is shown or not). */
  lines: string[];
  severity?: 'error' | 'warning';
  /** Routine: the lines go to the log (info), no notification. */
  quiet?: boolean;
  /** The dashboard tab that lists the details: a button reveals the dashboard on it. */
  tab?: NoticeTab;
  /** A setting that fixes the cause: an *Open Settings* button opens it. */
  setting?: string;
  /** A file to fix (a tagging rules file that could not be read): an *Open File* button opens it at the line. */
  file?: { path: string; line: number };
}

/** A problem of an input: file, 1-based line (0 or less: the file as a whole), message. */
export interface InputProblem {
  file: string;
  line: number;
  message: string;
}

const base = (f: string): string => path.basename(f) || f;

/**
 * The one sentence about the problems reading a run's inputs, or undefined when there is none:
 * `Loki: 2 unreadable lines in trial-trunc-nul.log (from line 4) — everything readable was kept.`,
 * `QRadar: 5 problems in 3 files (first: a.json:16) — every readable record was kept.`, and for files not read at all
 * (every problem at line 0) `Cases: 1 file could not be read (cases.json) — the other files were analyzed.` The
 * problems themselves (their messages) are in the log and the dashboard's Errors tab, not in the sentence.
 * @param label the kind as in the command titles (`Loki`, `QRadar`, `Cases`, `QRadar event count`).
 * @param errors the run's problems.
 * @param o `unreadableLines`: the kind's own count of lines it could not read (Loki: unparsed lines), said instead of
 *   the number of problems when set and > 0; `kept`: what was kept (`everything readable` by default).
 */
export function inputProblemsHeadline(label: string, errors: readonly InputProblem[], o: { unreadableLines?: number; kept?: string } = {}): string | undefined {
  if (!errors.length) return undefined;
  const kept = o.kept ?? 'everything readable';
  const files = [...new Set(errors.map((e) => e.file))];
  const wholeFiles = [...new Set(errors.filter((e) => e.line <= 0).map((e) => e.file))];
  if (wholeFiles.length === errors.length && wholeFiles.length === files.length) {
    const more = wholeFiles.length > 1 ? `, ${base(wholeFiles[1])}${wholeFiles.length > 2 ? ', …' : ''}` : '';
    return `${label}: ${count(wholeFiles.length, 'file')} could not be read (${base(wholeFiles[0])}${more}) — the other files were analyzed.`;
  }
  const what = o.unreadableLines && o.unreadableLines > 0 ? count(o.unreadableLines, 'unreadable line') : count(errors.length, 'problem');
  const first = errors.find((e) => e.line > 0) ?? errors[0];
  if (files.length === 1) return `${label}: ${what} in ${base(files[0])}${first.line > 0 ? ` (from line ${first.line.toLocaleString('en-US')})` : ''} — ${kept} was kept.`;
  return `${label}: ${what} in ${count(files.length, 'file')} (first: ${base(first.file)}${first.line > 0 ? `:${first.line}` : ''}) — ${kept} was kept.`;
}

/**
 * The skipped files the analyst chose one by one (an input path is the file itself), not those met in a chosen
 * folder: a folder of mixed exports skips files of other kinds on every run (routine, in the dashboard and the log),
 * while a file picked and left out makes the result partial (worth a notification). Entries without a file (notes of
 * the run) are never chosen.
 */
export function chosenSkipped<T extends { file: string }>(skipped: readonly T[] | undefined, paths: readonly string[] | undefined): T[] {
  if (!skipped?.length || !paths?.length) return [];
  const chosen = new Set(paths.map((p) => path.resolve(p)));
  return skipped.filter((k) => k.file && chosen.has(path.resolve(k.file)));
}

/**
 * `1 chosen file was skipped: binary.bin.log (binary file).` / `3 chosen files were skipped (a.csv: …; b.csv: …; …).`
 * — the sentence about files the analyst chose that the run left out; undefined when none.
 */
export function chosenSkippedSentence(skipped: readonly { file: string; reason: string }[]): string | undefined {
  if (!skipped.length) return undefined;
  if (skipped.length === 1) return `1 chosen file was skipped: ${base(skipped[0].file)} (${skipped[0].reason}).`;
  const shown = skipped.slice(0, 2).map((k) => `${base(k.file)}: ${k.reason}`);
  return `${count(skipped.length, 'chosen file')} were skipped (${shown.join('; ')}${skipped.length > 2 ? '; …' : ''}).`;
}

/** Log lines of problems (`file:line: message`, the first 200) and of skipped files (`skipped file: reason`). */
export function detailLines(errors: readonly InputProblem[], skipped: readonly { file: string; reason: string }[] = []): string[] {
  return [...errors.slice(0, 200).map((e) => `${e.line > 0 ? `${e.file}:${e.line}` : e.file}: ${e.message}`), ...skipped.map((k) => (k.file ? `skipped ${k.file}: ${k.reason}` : k.reason))];
}

/**
 * The notification of a run whose inputs had problems or whose chosen files were skipped (Loki, QRadar, cases and
 * Ariel counts alike): {@link inputProblemsHeadline}, then {@link chosenSkippedSentence}; a run with neither but with
 * files skipped in a folder, or `notes`, is `quiet` (its lines go to the log). Undefined when there is nothing at all.
 * @param o.label the kind (`Loki`); o.errors, o.skipped (every file skipped), o.paths (the run's input paths);
 *   o.unreadableLines, o.kept as for the headline; o.notes: routine notes the dashboard shows (logged);
 *   o.errorsTab: the tab that lists the problems (none: Ariel counts show them in a banner); o.skippedTab: the tab
 *   that lists the skipped files.
 */
export function inputsNotice(o: {
  label: string;
  errors: readonly InputProblem[];
  skipped?: readonly { file: string; reason: string }[];
  paths?: readonly string[];
  unreadableLines?: number;
  kept?: string;
  notes?: readonly string[];
  errorsTab?: NoticeTab;
  skippedTab?: NoticeTab;
}): RunNotice | undefined {
  const skipped = o.skipped ?? [];
  const lines = [...detailLines(o.errors, skipped), ...(o.notes ?? [])];
  const head = inputProblemsHeadline(o.label, o.errors, { unreadableLines: o.unreadableLines, kept: o.kept });
  const chosen = chosenSkippedSentence(chosenSkipped(skipped, o.paths));
  if (head || chosen) {
    const message = head ? (chosen ? `${head} ${chosen}` : head) : `${o.label}: ${chosen}`;
    const tab = head ? o.errorsTab : o.skippedTab;
    return { message, lines, severity: 'warning', ...(tab ? { tab } : {}) };
  }
  if (!lines.length) return undefined;
  const parts = [skipped.length ? count(skipped.filter((k) => k.file).length, 'file') + ' skipped' : '', o.notes?.length ? count(o.notes.length, 'note') : ''].filter(Boolean);
  return { message: `${o.label}: ${parts.join(', ') || 'notes'} (in the dashboard)`, lines, quiet: true };
}

/** The buttons of a run's notification, in this order: Open File, Open Settings, the tab's (`Show Notes`…), Show Log. */
export function noticeButtons(n: Pick<RunNotice, 'tab' | 'setting' | 'file'>): string[] {
  return [...(n.file ? ['Open File'] : []), ...(n.setting ? ['Open Settings'] : []), ...(n.tab ? [n.tab.button] : []), 'Show Log'];
}

/**
 * The notification of a cases run whose tagging rules file could not be used (nothing was tagged): `Cases: the
 * tagging rules file tagging.json could not be read (line 3) — the cases were NOT tagged. Fix it and run again.` The
 * full explanation (where, what, what it means: `rulesErrorText`) is in the log and the dashboard's banner.
 */
export function kpiRulesErrorHeadline(e: { file: string; line: number }): string {
  return `Cases: the tagging rules file ${base(e.file)} could not be read${e.line > 0 ? ` (line ${e.line.toLocaleString('en-US')})` : ''} — the cases were NOT tagged. Fix it and run again.`;
}

/**
 * `2 tagging rules of tagging.json could not be used (disabled).` — rules the validation left out (`file` none: the
 * seed rules). `restricted`: how many of them are regular expressions not run because the workspace is not trusted
 * (Restricted Mode): `1 tagging rule of tagging.json was not run: regular expressions are disabled in Restricted Mode
 * (trust the workspace to run it).`, or the count of them in brackets among other disabled rules.
 */
export function kpiRuleProblemsSentence(n: number, file: string | undefined, restricted = 0): string {
  const what = `${count(n, 'tagging rule')}${file ? ` of ${base(file)}` : ''}`;
  if (restricted > 0 && restricted === n) {
    return `${what} ${n === 1 ? 'was' : 'were'} not run: regular expressions are disabled in Restricted Mode (trust the workspace to run ${n === 1 ? 'it' : 'them'}).`;
  }
  return `${what} could not be used (disabled${restricted > 0 ? `; ${restricted} of them regular expressions not run in Restricted Mode` : ''}).`;
}

/**
 * The files a run could not read at all (a problem at line 0 or less: damaged JSON, not the expected shape), each with
 * the first such reason, for `AnalysisKind.nothingRead` when a run read no file (the notification then says why, per
 * file, instead of "no … files found"); undefined when there is none.
 */
export function unreadFiles(errors: readonly InputProblem[]): { file: string; reason: string }[] | undefined {
  const out = new Map<string, string>();
  for (const e of errors) if (e.line <= 0 && !out.has(e.file)) out.set(e.file, e.message);
  return out.size ? [...out].map(([file, reason]) => ({ file, reason })) : undefined;
}

/**
 * The notification of an Ariel count whose result is partial, or undefined: `the row limit left groups out, and the
 * Ariel search reported 2 error messages — the counts may be incomplete (see the log).` The row-limit text
 * and the search's messages themselves go to the log (they were the notification, a paragraph each).
 * @param cut the row-limit warning (`ArielRunResult.rowLimit.cut`), if the limit cut rows.
 * @param searchErrors how many error messages the completed search reported.
 */
export function arielPartialNotice(cut: string | undefined, searchErrors: number): string | undefined {
  const parts = [cut ? 'the row limit left groups out' : '', searchErrors ? `the Ariel search reported ${searchErrors === 1 ? 'an error message' : `${searchErrors} error messages`}` : ''].filter(Boolean);
  if (!parts.length) return undefined;
  return `QRadar event count: ${parts.join(', and ')} — the counts may be incomplete (see the log).`;
}
