/**
 * Ticket-ready Markdown summaries of the Loki, QRadar, beacon and cases (KPI) analyses (for Jira, ServiceNow, TheHive…): a title,
 * the inputs and time range (display zone, named), the headline numbers, what was left out, then small tables of the
 * top rows. Pure (no vscode, no I/O). The numbers are those of the CLI text reports (the same summaries and, for
 * QRadar, the same tables: {@link qradarReportTables}); nothing is computed anew.
 *
 * Every input-derived text (host names, paths, rule names, descriptions, addresses, file names) is attacker-controlled:
 * each goes through {@link escapeMarkdownCell} (the KPI report's escaping: no table break, link, image, HTML,
 * autolink, heading or list from any value), after {@link defangIocs} when `defang` is set, and is cut to
 * {@link MD_CELL_CHARS} characters.
 */
import { LOKI_RESULTS_NOTE, hostVerdictLabel, lokiResultsSummary, lokiResultsText, ruleCells, ruleNamer, scannerCaveats, setAsideFindingsText, setAsideScansText, type LokiAnalysis } from '../analyze/loki-summary';
import { ambiguousText, type FleetCoverage } from '../analyze/fleet-coverage';
import { hashHostsText, hashPathsText } from '../analyze/hash-tally';
import type { FindingList } from '../model/loki';
import type { QRadarParsed } from '../parse/qradar-model';
import { qradarOffenseCounts, qradarReportTables, undatedText, outOfRangeTexts, consoleTimesLine, closingReasonConflictText } from '../analyze/qradar-tables';
import { commonFolder, shortNamer } from '../path-names';
import { apiErrorFiles, qradarProblems, type QRadarSummary } from '../analyze/qradar-summary';
import type { BeaconAnalysis, BeaconRow } from '../analyze/beacons/analyze';
import { fullPair } from '../analyze/beacons/chart-pack';
import { serviceCell, severityLabel } from '../analyze/beacons/dashboard';
import { filteredBreakdown } from '../analyze/beacons/filter';
import { count, grouped } from '../analyze/dashboard-kit';
import { basename } from 'node:path';
import { formatTime } from '../time';
import { cutText } from '../text-safe';
import { defangIocs, escapeMarkdownCell } from './markdown-escape';
import { kpiSummaryRows } from './report';
import type { KpiReport } from '../analyze/kpi';

/** Options of the Markdown summaries. */
export interface MarkdownSummaryOptions {
  /** Display zone (resolved: `UTC`, an IANA name or `UTC+3`): every time is shown in it, and named. */
  zone: string;
  /** Defang addresses, URLs and domains in input-derived text ({@link defangIocs}). Default false. */
  defang?: boolean;
  /** Rows per table (default {@link MD_TOP_N}; QRadar's rules table uses the report's own top N). */
  top?: number;
  /** What the summary is of (the analysis title, or the inputs); shown in the heading. */
  title?: string;
  /** How to keep the scans set aside, in the Loki summary's "Left out" line (default `--all-scans`). */
  allScansHint?: string;
  /**
   * Where the QRadar console zone came from, named in the QRadar summary's console-times line (default
   * `--console-tz`, the CLI flag; the extension names its setting socAnalytics.qradar.consoleTimeZone).
   */
  consoleZoneHint?: string;
  /**
   * Beacons, in the extension: the safelist as it is now (`entries`) when it has changed since the run, and how many
   * listed pairs it hides that the run listed (`hidden`). The Safelist line then names both, not only the run's.
   */
  safelistNow?: { entries: readonly string[]; hidden: number };
}

/** Default rows per table of a summary. */
export const MD_TOP_N = 10;
/** Input-derived texts are cut to this many characters (a ticket is no place for a 4,000-character path). */
export const MD_CELL_CHARS = 200;
/** Input files listed by name (the rest counted). */
const MD_INPUTS = 10;

/** Cell and line writers for one summary: `t` for input-derived text (defanged when asked), `m` for our own text. */
function writers(opts: MarkdownSummaryOptions) {
  const m = (v: string | number): string => escapeMarkdownCell(typeof v === 'number' ? v.toLocaleString('en-US') : v);
  const text = (v: string, max: number): string => escapeMarkdownCell(cutText(opts.defang ? defangIocs(v) : v, max));
  const t = (v: string): string => text(v, MD_CELL_CHARS);
  /** A sentence of the analysis (a note: settings or values in it), cut at 1,000 characters rather than a cell's 200. */
  const note = (v: string): string => text(v, 1000);
  /** A table: `text` marks the columns of input-derived text (written by `t`; the others by `m`). */
  const table = (header: string[], rows: (string | number)[][], text: boolean[]): string =>
    `| ${header.map(m).join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n` +
    rows.map((r) => `| ${r.map((c, i) => (text[i] && typeof c === 'string' ? t(c) : m(c))).join(' | ')} |`).join('\n') +
    '\n';
  return { m, t, note, table };
}

/** A summary title from the CLI's input paths: their base names (`real-2021-2022, conn.log`). */
export function inputsTitle(paths: readonly string[]): string {
  return paths.map((p) => basename(p) || p).join(', ');
}

/** `2022-01-19 19:42 Europe/Berlin` (minutes; `-` when unknown). */
export function zonedMinute(ms: number | undefined, zone: string): string {
  const f = formatTime(ms, zone);
  return f ? `${f.slice(0, 16)} ${zone}` : '-';
}

/** `from – to` in the display zone, named; `-` when neither is known. */
function rangeText(first: number | undefined, last: number | undefined, zone: string): string {
  const a = zonedMinute(first, zone);
  const b = zonedMinute(last, zone);
  return a === '-' && b === '-' ? '-' : `${a} – ${b}`;
}

/**
 * The inputs line: the count and the first {@link MD_INPUTS} names (escaped by `t`) of the files analyzed — the files
 * left out (`skipped`: not that kind of data, an API error answer…) are not inputs of the numbers, and are named in
 * the "Left out" line instead; with some, the count says the files read as the dashboards do: `9 files read (6 analyzed,
 * 3 skipped) in <folder>: <the 6 analyzed>`.
 */
function inputsLine(all: readonly string[], t: (v: string) => string, skipped: readonly { file: string }[] = []): string {
  const out = new Set(skipped.map((k) => k.file));
  const files = all.filter((f) => !out.has(f));
  // the folder once, the files below it (as the "Left out" line names them): 24 absolute paths made the line unreadable
  const every = [...files, ...skipped.map((k) => k.file).filter((f) => f)]; // a note without a file ('') names no folder
  const folder = commonFolder(every);
  const name = folder ? shortNamer(every) : (f: string) => f;
  const shown = files.slice(0, MD_INPUTS).map((f) => t(name(f))).join(', ');
  // with files skipped, the files read and analyzed as the dashboard's subtitle counts them (analyst trial 8: "Inputs: 6
  // files" beside the dashboard's "9 files read (6 analyzed, 3 skipped …)"); the files named are the analyzed ones
  const left = new Set(skipped.map((k) => k.file).filter((f) => f)).size;
  const counted = left ? `${count(files.length + left, 'file')} read (${grouped(files.length)} analyzed, ${grouped(left)} skipped)` : count(files.length, 'file');
  return `${counted}${files.length && folder ? ` in ${t(folder)}` : ''}${files.length ? `: ${shown}` : ''}${files.length > MD_INPUTS ? `, … ${files.length - MD_INPUTS} more` : ''}`;
}

/** Items named in one part of a "Left out" line; the rest are counted (`and 13 more`). */
export const MD_LEFT_OUT_NAMED = 5;

/** `a; b; c; d; e and 13 more`: the first {@link MD_LEFT_OUT_NAMED} items (already written) joined by `sep`, the rest counted. */
function namedList(items: readonly string[], sep = ', '): string {
  const more = items.length - MD_LEFT_OUT_NAMED;
  return items.slice(0, MD_LEFT_OUT_NAMED).join(sep) + (more > 0 ? ` and ${more} more` : '');
}

/**
 * `2 files skipped — ariel_search_results.json: Ariel search results (not analyzed); notes.txt: …`: the files left
 * out of an analysis with their reason, {@link MD_LEFT_OUT_NAMED} named (`name`: {@link shortNamer}), the rest counted.
 */
function skippedText(skipped: readonly { file: string; reason: string }[], name: (f: string) => string, m: (v: string) => string, t: (v: string) => string): string {
  return `${m(`${count(skipped.length, 'file')} skipped`)} — ${namedList(skipped.map((k) => `${t(name(k.file))}: ${t(k.reason)}`), '; ')}`;
}

/** `## Title (5 of 12)` and a table, or `## Title` and `none`. */
function section(title: string, shown: number, total: number, body: string): string {
  return `## ${title}${total > shown ? ` (${grouped(shown)} of ${grouped(total)})` : ''}\n\n${shown ? body : 'none\n'}\n`;
}

/**
 * The Loki summary. Shape: `# Loki scan summary: <title>`; a list of the inputs, the scans' time range (earliest
 * scan start – latest scan end of the kept scans), hosts (with alerts or warnings, clean, incomplete), findings by
 * level, scanner errors (with the hosts that reported them), scanner caveats and what was left out (unparsed lines, scans set aside with the alerts and
 * warnings they hold, file errors, files skipped); then the kept scans with alerts or warnings (verdict, alerts,
 * warnings, scan start), the scanner caveat lines when any (clean hosts first: not elevated, drives skipped…), the top rules (findings, their verdict mix — alerts, warnings, notices —, hosts), the top files (file findings: findings, hosts, max score), the top processes
 * (process and connection findings, when any: `process: <name>`, max score `none logged` when Loki wrote none) and the top hashes (type,
 * hosts with their names, findings, max score and level, paths, rules, the other hashes: see LokiAnalysis.hashes),
 * `top` rows each. File errors and skipped files are named with their reason (the first {@link MD_LEFT_OUT_NAMED}).
 */
export function lokiMarkdown(a: LokiAnalysis<FindingList>, opts: MarkdownSummaryOptions, fleet?: FleetCoverage): string {
  const { m, t, table } = writers(opts);
  const top = opts.top ?? MD_TOP_N;
  const s = a.summary;
  const z = opts.zone;
  const starts = a.scans.map((h) => h.scanStart).filter((x): x is number => x !== undefined);
  const ends = a.scans.map((h) => h.scanEnd ?? h.scanStart).filter((x): x is number => x !== undefined);
  let out = `# Loki scan summary${opts.title ? `: ${t(opts.title)}` : ''}\n\n`;
  out += `- Inputs: ${inputsLine(a.files.map((f) => f.file), t, a.skipped)}\n`;
  out += `- Scans: ${m(rangeText(starts.length ? starts.reduce((x, y) => Math.min(x, y)) : undefined, ends.length ? ends.reduce((x, y) => Math.max(x, y)) : undefined, z))}\n`;
  const n = grouped;
  out += `- Hosts: ${m(`${n(s.hosts)} (${n(s.hostsWithFindings)} with alerts or warnings, ${n(s.cleanHosts)} clean${s.cleanWithCaveats ? ` (${n(s.cleanWithCaveats)} with scanner caveats)` : ''}${s.incompleteByScannerErrors ? `, ${n(s.incompleteByScannerErrors)} with an incomplete scan (scanner errors)` : ''}${s.incompleteHosts > 0 ? `, ${n(s.incompleteHosts)} with an incomplete latest scan` : ''})`)}\n`;
  out += `- Findings read: ${m(`${count(s.alerts, 'alert')}, ${count(s.warnings, 'warning')}, ${count(s.notices, 'notice')}`)}\n`;
  const own = lokiResultsSummary(a.scans, s);
  if (own) out += `- Loki Results lines: ${m(`${own} (${LOKI_RESULTS_NOTE})`)}\n`;
  if (s.scannerErrors > 0) {
    // the hosts whose scan reported them, most errors first (one without findings reads Incomplete scan, not clean)
    const perHost = new Map<string, number>();
    for (const h of a.scans) if (h.scanErrors > 0) perHost.set(h.host, (perHost.get(h.host) ?? 0) + h.scanErrors);
    const hosts = [...perHost].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    out += `- Scanner errors: ${m(`${n(s.scannerErrors)} (the scanner itself reported errors; a host without findings whose scan had some reads Incomplete scan, not clean)`)}`;
    if (hosts.length) out += ` — ${m(hosts.length === 1 ? 'host:' : `${n(hosts.length)} hosts:`)} ${namedList(hosts.map(([h, errors]) => `${t(h)} ${m(`(${n(errors)})`)}`))}`;
    out += '\n';
  }
  const caveats = scannerCaveats(a);
  if (caveats) out += `- Scanner caveats: ${m(caveats.headline)}\n`;
  if (fleet) {
    // the expected-host list (--expected-hosts, socAnalytics.loki.expectedHostsFile): which endpoints did not report
    const names = (xs: readonly string[]) => xs.slice(0, top).map(t).join(', ') + (xs.length > top ? m(`, … and ${n(xs.length - top)} more`) : '');
    if (fleet.expected === 0) out += `- Fleet coverage: ${m('none: the expected-hosts list gave no host')}`;
    else out += `- Fleet coverage: ${m(`${n(fleet.scanned)} of ${n(fleet.expected)} expected hosts scanned`)}`;
    if (fleet.missing.length) out += `; ${m(`${n(fleet.missing.length)} without a scan:`)} ${names(fleet.missing)}`;
    const amb = ambiguousText(fleet);
    if (amb) out += `; ${m(amb)}: ${names(fleet.ambiguous.flatMap((a) => a.candidates))}`;
    else if (fleet.missing.length === 0 && fleet.expected > 0) out += m('; every expected host has a scan');
    if (fleet.expected > 0 && fleet.unexpected.length) out += `; ${m(`${n(fleet.unexpected.length)} scanned host${fleet.unexpected.length === 1 ? '' : 's'} not on the list:`)} ${names(fleet.unexpected)}`;
    out += '\n';
  }
  const left: string[] = [];
  const fileErrorList = a.errors.filter((e) => e.line <= 0);
  const fileErrors = fileErrorList.length;
  const unparsed = Math.max(s.unparsedLines, a.errors.length - fileErrors);
  const name = shortNamer([...a.files.map((f) => f.file), ...(a.skipped ?? []).map((k) => k.file), ...fileErrorList.map((e) => e.file)]);
  if (unparsed > 0) left.push(count(unparsed, 'unparsed line'));
  if (s.scansSetAside > 0) {
    const hidden = setAsideFindingsText(a.setAside);
    left.push(`${setAsideScansText(a.setAside, s.scansSetAside, true)} set aside${hidden ? ` with ${hidden} NOT counted here` : ''} (${opts.allScansHint ?? '--all-scans'} keeps them)`);
  }
  const named = left.map(m);
  // the files not read, named with their error (as the skipped ones)
  if (fileErrors > 0) named.push(`${m(count(fileErrors, 'file error'))} — ${namedList(fileErrorList.map((e) => `${t(name(e.file))}: ${t(e.message)}`), '; ')}`);
  if (a.skipped?.length) named.push(skippedText(a.skipped, name, m, t));
  out += `- Left out: ${named.length ? named.join('; ') : m('nothing')}\n\n`;

  // (and those whose verdict says so: an alert Loki counted whose line could not be read, as Hosts with findings counts them)
  const flagged = a.scans.filter((h) => h.alerts + h.warnings > 0 || h.verdict === 'indicators' || h.verdict === 'suspicious');
  out += section(
    a.scans.length > a.hosts.length ? 'Scans with alerts or warnings' : 'Hosts with alerts or warnings',
    Math.min(top, flagged.length),
    flagged.length,
    table(
      // ours (the findings read) and Loki's own count, each named
      ['Host', 'Verdict', 'Alerts (findings read)', 'Warnings (findings read)', "Loki's Results line", `Scan start (${z})`],
      flagged.slice(0, top).map((h) => [h.host, hostVerdictLabel(h), h.alerts, h.warnings, lokiResultsText(h), formatTime(h.scanStart, z).slice(0, 16) || '-']),
      [true, false, false, false, false, false],
    ),
  );
  if (caveats) {
    // what a clean verdict rests on: the lines that say which part of the scan was not done (clean hosts first)
    const verdictOf = new Map(a.hosts.map((h) => [h.host, hostVerdictLabel(h)]));
    const shown = scannerCaveats(a, top)!.lines;
    out += section(
      'Scanner caveats',
      shown.length,
      caveats.total,
      table(
        ['Host', 'Verdict', 'Level', 'Message', 'Source'],
        shown.map((x) => [x.host, verdictOf.get(x.host) ?? '-', x.level, x.message, `${name(x.source.file)}:${x.source.line}`]),
        [true, false, false, true, true],
      ),
    );
  }
  out += section(
    'Top rules',
    Math.min(top, a.rules.length),
    a.rules.length,
    // most severe first, then by count (LokiAnalysis.rules): a ticket never leaves out the one ALERT rule
    // (a hash IOC as `Hash IOC: <description>`, its hash in the Description cell: ruleCells); the verdict mix (the
    // rule's findings by level) beside Findings, as the dashboard's Rules table
    table(['Rule', 'Max level', 'Kind', 'Findings', 'Alerts', 'Warnings', 'Notices', 'Hosts', 'Description'], a.rules.slice(0, top).map((r) => {
      const c = ruleCells(r);
      return [c.rule, r.maxLevel ?? '-', r.kind, r.count, r.alerts, r.warnings, r.notices, r.hosts, c.description];
    }), [true, false, false, false, false, false, false, false, true]),
  );
  out += section(
    'Top files',
    Math.min(top, a.topFiles.length),
    a.topFiles.length,
    table(['Path', 'Findings', 'Hosts', 'Max score'], a.topFiles.slice(0, top).map((f) => [f.path, f.count, f.hosts, f.maxScore ?? '-']), [true, false, false, false]),
  );
  // process and connection findings have a process, not a file path: a list of their own, only when there are some
  const ps = a.topProcesses ?? [];
  if (ps.length > 0) {
    out += section(
      'Top processes',
      Math.min(top, ps.length),
      ps.length,
      table(['Process', 'Findings', 'Hosts', 'Max score'], ps.slice(0, top).map((p) => [`process: ${p.process}`, p.count, p.hosts, p.maxScore ?? 'none logged']), [true, false, false, false]),
    );
  }
  // the IOC pivot: findings with the same hash across hosts (one or more paths or processes), most hosts first
  const hs = a.hashes ?? [];
  // a rule as Top rules names it (a hash IOC: `Hash IOC: <description>`; the hash is in the Hash cell)
  const ruleName = ruleNamer(a.rules);
  out += section(
    'Top hashes',
    Math.min(top, hs.length),
    a.hashesTotal ?? hs.length,
    table(
      ['Hash', 'Type', 'Hosts', 'Findings', 'Max score', 'Max level', 'Paths', 'Rules', 'Other hashes'],
      hs.slice(0, top).map((h) => [
        h.hash,
        h.type,
        `${h.hosts}: ${hashHostsText(h)}`,
        h.count,
        h.maxScore ?? '-',
        h.maxLevel,
        hashPathsText(h),
        h.rules.map(ruleName).join(', '),
        [h.md5 ? `MD5 ${h.md5}` : '', h.sha1 ? `SHA1 ${h.sha1}` : '', h.sha256 ? `SHA256 ${h.sha256}` : ''].filter(Boolean).join(', ') || '-',
      ]),
      [true, false, true, false, false, false, true, true, true],
    ),
  );
  return out;
}

/**
 * The QRadar summary. Shape: `# QRadar offense summary: <title>`; a list of the inputs, the offenses' time range,
 * the offense counts (open, hidden, closed; escalated, false positives, distinct descriptions), the console zone of
 * CSV display times when any, what was left out (problems, files skipped); then the text report's tables
 * ({@link qradarReportTables}: noisiest offense names with their top source, rules with closed / false positives,
 * closing reasons), the rules table with the report's `topN` rows, the others with `opts.top`.
 * `sum` is {@link summarizeQRadar} of `p` for the display zone; `consoleZoneGiven` as for the text report.
 */
export function qradarMarkdown(p: QRadarParsed, sum: QRadarSummary, opts: MarkdownSummaryOptions & { topN?: number; consoleZoneGiven?: boolean }): string {
  const { m, t, note, table } = writers(opts);
  const top = opts.top ?? MD_TOP_N;
  const s = sum.summary;
  let out = `# QRadar offense summary${opts.title ? `: ${t(opts.title)}` : ''}\n\n`;
  out += `- Inputs: ${inputsLine(p.files.map((f) => f.file), t, p.skipped)}\n`;
  out += `- Offenses: ${m(qradarOffenseCounts(p, sum, false))}\n`;
  out += `- Range: ${m(rangeText(s.first, s.last, opts.zone))}\n`;
  const undated = undatedText(s);
  if (undated) out += `- Undated: ${m(undated)}\n`;
  for (const x of outOfRangeTexts(s)) out += `- Note: ${m(x)}\n`;
  out += `- Escalated: ${m(s.escalated)} · False positives: ${m(s.falsePositive)} · Distinct descriptions: ${m(s.descriptions)}\n`;
  const ct = consoleTimesLine(p, opts.consoleZoneGiven ?? true, opts.consoleZoneHint);
  if (ct) out += `- ${m(ct)}\n`;
  // reason texts and list paths come from the input: written as text (a sentence: cut at 1,000 characters, not 200)
  const conflict = closingReasonConflictText(sum.closingReasonConflicts);
  if (conflict) out += `- Warning: ${note(conflict)}\n`;
  out += `- Left out: ${qradarLeftOut(p, m, t)}\n\n`;
  for (const tb of qradarReportTables(sum, opts.topN)) {
    const rows = tb.id === 'rules' ? tb.rows : tb.rows.slice(0, top);
    const total = tb.id === 'rules' ? sum.byRule.length : tb.rows.length;
    // the input-derived columns: top source, description, rule name, closing reason (counts and classes are ours)
    const text = tb.header.map((h) => h === 'Top source' || h === 'Description' || h === 'Rule' || h === 'Reason');
    out += section(tb.title, rows.length, total, table(tb.header, rows, text));
    if (tb.note) out += `\n${m(tb.note)}\n\n`;
  }
  return out;
}

/**
 * The QRadar summary's "Left out" line, named for a ticket reader, in sentences: the problems (as the text report,
 * `--json` and the dashboard count them: {@link qradarProblems}) by file — an API error answer saved in place of an
 * export (the export it stands for is missing), a file-level problem with its message (a partial fetch), the
 * problems on a file's records counted, with the records skipped among them (a problem whose message ends in
 * `skipped`: invalid JSON, not an offense, an unreadable CSV record) — `offenses.json: 14 problems (first at line 1;
 * 1 unreadable record skipped, the other records kept)`, `… 3 problems (first at line 7; no record skipped)` —; the
 * files skipped with their reason; the duplicate offenses kept once. Every problem on a record was counted as an
 * unreadable record before, also a field left empty on an offense that was kept and counted (`14 unreadable records`
 * beside `Offenses: 20` for one record skipped).
 * Files are named below the inputs' common folder, {@link MD_LEFT_OUT_NAMED} per part and the rest counted; every
 * name and message is written by `t` (escaped, defanged when asked). `nothing` when nothing was left out.
 */
/** A problem of a record the QRadar readers skipped (`record 6: invalid JSON (…); skipped`, `unreadable CSV record (…); skipped`). */
const RECORD_SKIPPED = /;\s*skipped\s*$/;

function qradarLeftOut(p: QRadarParsed, m: (v: string) => string, t: (v: string) => string): string {
  const name = shortNamer(p.files.map((f) => f.file));
  const apiErrors = apiErrorFiles(p);
  const onRecords = new Map<string, { n: number; skipped: number; line: number }>();
  for (const e of p.errors) {
    if (e.line <= 0) continue;
    const u = onRecords.get(e.file) ?? { n: 0, skipped: 0, line: e.line };
    u.n++;
    if (RECORD_SKIPPED.test(e.message)) u.skipped++;
    onRecords.set(e.file, u);
  }
  const problems: string[] = [
    ...apiErrors.map((k) => `${t(name(k.file))}: ${m('a saved QRadar API error answer, the export it stands for is missing')}`),
    ...p.errors.filter((e) => e.line <= 0).map((e) => `${t(name(e.file))}: ${t(e.message)}`),
    ...[...onRecords].map(
      ([f, u]) => `${t(name(f))}: ${m(`${count(u.n, 'problem')} (first at line ${u.line}; ${u.skipped ? `${count(u.skipped, 'unreadable record')} skipped, the other records kept` : 'no record skipped'})`)}`,
    ),
  ];
  const apiFiles = new Set(apiErrors.map((k) => k.file));
  const skipped = p.skipped.filter((k) => k.file && !apiFiles.has(k.file));
  const duplicates = p.skipped.reduce((n, k) => n + (k.file ? 0 : Number(/^(\d+) duplicate offenses? /.exec(k.reason)?.[1] ?? 0)), 0);
  const parts: string[] = [];
  const nProblems = qradarProblems(p).length;
  if (nProblems) parts.push(`${m(count(nProblems, 'problem'))} — ${namedList(problems, '; ')}`);
  if (skipped.length) parts.push(skippedText(skipped, name, m, t));
  if (duplicates) parts.push(m(`${count(duplicates, 'duplicate offense')} (same id and start_time) kept once`));
  return parts.length ? `${parts.join('. ')}.` : 'nothing';
}

/**
 * The beacon summary. Shape: `# Beacon summary: <title>`; a list of the inputs, the observation window, the counts
 * (records and those left out by reason, pairs seen, scored by severity, strobes), the settings in effect (algorithm,
 * internal subnets, minimum score, connection thresholds, severity thresholds, safelist) and the analysis notes; then
 * the top `top` listed pairs by score with their evidence: score and subscores (TS, DS, DUR, HIST), severity, source →
 * destination, connections, bytes, the most common interval and size with their counts, the interval MAD, the service
 * of the main port ({@link serviceCell}: by port, `· backscatter` for backscatter, `· no data` when the pair otherwise never carried data, `ICMP errors only`), ports.
 * Only those rows are rebuilt whole ({@link fullPair}: on the extension host the pairs' details stay packed).
 */
export function beaconsMarkdown(a: BeaconAnalysis<BeaconRow>, opts: MarkdownSummaryOptions): string {
  const { m, t, note, table } = writers(opts);
  const top = opts.top ?? MD_TOP_N;
  const s = a.summary;
  const o = a.options;
  let out = `# Beacon summary${opts.title ? `: ${t(opts.title)}` : ''}\n\n`;
  out += `- Inputs: ${inputsLine(a.files.map((f) => f.file), t, a.skipped)}\n`;
  if (a.skipped.length) out += `- Left out: ${skippedText(a.skipped, shortNamer([...a.files.map((f) => f.file), ...a.skipped.map((k) => k.file)]), m, t)}\n`;
  out += `- Window: ${m(rangeText(s.windowStart, s.windowEnd, opts.zone))}\n`;
  out += `- Records: ${m(`${s.records.toLocaleString('en-US')} (${s.filteredRecords.toLocaleString('en-US')} left out${s.filteredRecords ? `: ${filteredBreakdown(a.filtered)}` : ''})`)}\n`;
  const none = Math.max(0, s.pairs - s.high - s.medium - s.low);
  const legacy = a.algorithm === 'rita-legacy'; // no severity bands (rita-beacons.md §2, §4: the bands are RITA v5's)
  out += `- Pairs: ${m(`${s.pairsSeen.toLocaleString('en-US')} seen, ${s.pairs.toLocaleString('en-US')} scored (${legacy ? 'no severity bands: the legacy score has none' : `High ${grouped(s.high)}, Medium ${grouped(s.medium)}, Low ${grouped(s.low)}, None ${grouped(none)}`}), ${count(s.strobes, 'strobe')}`)}\n`;
  if (s.unparsedLines > 0) out += `- Unreadable lines: ${m(s.unparsedLines)}\n`;
  const thresholds = o.algorithm === 'rita-legacy' ? `more than ${o.legacyConnectionThreshold} connections` : `${o.uniqueConnectionThreshold} distinct connection times`;
  out +=
    // the subnets are settings holding addresses: written by `t`, defanged when asked, as the addresses of the table
    `- Settings: ${m(`${a.algorithm}; internal subnets `)}${o.internalSubnets.length ? o.internalSubnets.map(t).join(', ') : m('none (every pair kept)')}${m(`; minimum score ${o.minScore}; ` +
      `a pair is scored from ${thresholds}, a strobe from ${o.strobeConnectionLimit.toLocaleString('en-US')} connections; ` +
      (legacy ? 'no severity bands (the legacy score has none)' : `severity from score ${o.thresholds.base / 100} (low), ${o.thresholds.low / 100} (medium), ${o.thresholds.medium / 100} (high)`))}\n`;
  const entries = (list: readonly string[]) => (list.length ? `${list.slice(0, 20).map(t).join(', ')}${list.length > 20 ? `, … ${list.length - 20} more` : ''}` : m('none'));
  const now = opts.safelistNow;
  const changed = now && (now.entries.length !== o.safelist.length || now.entries.some((e, i) => e !== o.safelist[i]));
  out += changed
    ? `- Safelist: ${m('now ')}${entries(now.entries)}${m(` (${count(now.hidden, 'listed pair')} hidden since the run); at the run: `)}${entries(o.safelist)}\n`
    : `- Safelist: ${entries(o.safelist)}\n`;
  for (const n of a.notes) out += `- Note: ${note(n)}\n`;
  out += '\n';
  const shown = a.pairs.slice(0, top).map(fullPair);
  out += section(
    'Top beacons',
    shown.length,
    a.pairs.length,
    table(
      ['Score', 'TS', 'DS', 'DUR', 'HIST', 'Severity', 'Source', 'Destination', 'Conns', 'Bytes (both ways)', 'Interval (s) × n', 'Interval MAD (s)', 'Size (B) × n', 'Service', 'Ports'],
      shown.map((p) => [
        p.score.toFixed(3),
        p.tsScore.toFixed(3),
        p.dsScore.toFixed(3),
        p.durScore.toFixed(3),
        p.histScore.toFixed(3),
        severityLabel(p.severity),
        p.src,
        p.fqdn ? `${p.fqdn} (${p.dst})` : p.dst,
        p.count,
        p.bytes,
        `${grouped(p.tsMode)} × ${grouped(p.tsModeCount)}`,
        p.tsMad,
        `${grouped(p.dsMode)} × ${grouped(p.dsModeCount)}`,
        serviceCell(p),
        p.ports,
      ]),
      [false, false, false, false, false, false, true, true, false, false, false, false, false, false, true],
    ),
  );
  return out;
}

/**
 * The short cases (KPI) summary, for *Copy Summary as Markdown* on a cases analysis (the full report with charts and
 * definitions is *SOC: Generate KPI Report…* / the CLI's `kpi --md`). Shape: `# Cases KPI summary: <title>`; a list of
 * the inputs (`input.files`: the case files read; `input.skipped` named with their reason), the as-of time and the cases counted with their created-time range, a
 * table of the KPIs (one row each, the value text of {@link kpiSummaryRows}: the same as the report's and the
 * dashboard's), then the top `top` tags (tag, cases) when the cases were tagged, and a last line naming the full
 * report. The KPI values hold analyst names and the tags come from the tagging rules: both are written by `t`.
 */
export function kpiMarkdown(r: KpiReport, input: { files: readonly string[]; skipped?: readonly { file: string; reason: string }[] }, opts: MarkdownSummaryOptions): string {
  const { m, t, note, table } = writers(opts);
  const top = opts.top ?? MD_TOP_N;
  let out = `# Cases KPI summary${opts.title ? `: ${t(opts.title)}` : ''}\n\n`;
  const skipped = input.skipped ?? [];
  out += `- Inputs: ${inputsLine(input.files, t, skipped)}\n`;
  if (skipped.length) out += `- Left out: ${skippedText(skipped, shortNamer([...input.files, ...skipped.map((k) => k.file)]), m, t)}\n`;
  out += `- As of: ${m(zonedMinute(r.asOf, opts.zone))}\n`;
  out += `- Cases: ${m(`${r.cases.toLocaleString('en-US')} (created ${rangeText(r.period.from, r.period.to, opts.zone)})`)}\n`;
  if (r.taggingUnavailable) out += `- Tags: ${note(`not tagged: ${r.taggingUnavailable}`)}\n`;
  out += '\n';
  const rows = kpiSummaryRows(r);
  out += section('KPIs', rows.length, rows.length, table(['KPI', 'Value'], rows.map((k) => [k.title, k.value]), [false, true]));
  if (!r.taggingUnavailable) {
    const tags = r.tags.filter((g) => g.count > 0);
    out += section('Top tags', Math.min(top, tags.length), tags.length, table(['Tag', 'Cases'], tags.slice(0, top).map((g) => [g.tag, g.count]), [true, false]));
  }
  out += 'Full report (charts, per-tag tables, definitions): SOC: Generate KPI Report…\n';
  return out;
}
