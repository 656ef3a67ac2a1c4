/**
 * `soc-analytics qradar …`: argument parsing, the `--json` document and the text report. Called by
 * src/cli/cli.ts (which owns the process wiring); testable in-process.
 */
import { DateTime } from 'luxon';
import { formatTime, isValidZoneSetting, resolveZone, unknownZoneMessage } from '../time';
import type { QRadarParsed } from '../parse/qradar-model';
import { helpVersionHelp, mdOptionsHelp, mdToStdout, nothingRead, outputIsInputExit, startPathCommand, takeMdOption, textTable, writeMdFile } from '../cli-support';
import { qradarMarkdown, inputsTitle } from '../export/markdown-summary';
import { runQRadarRead } from './qradar-run';
import { terminalSafe } from '../text-safe';
import { calendarBuckets } from './qradar-dashboard';
import { closingReasonConflictText, outOfRangeTexts, undatedText, consoleTimes, consoleTimesLine, qradarOffenseCounts, qradarReportTables } from './qradar-tables';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N, OFFENSE_DAY_BASIS, apiErrorFiles, qradarProblems, summarizeQRadar, type QRadarSettings, type QRadarSummary } from './qradar-summary';
import { problemWhere } from '../model/common';
import { grouped } from './dashboard-kit';

export { consoleTimes, consoleTimesLine, qradarOffenseCounts, qradarReportTables, type QRadarReportTable } from './qradar-tables';

export const QRADAR_USAGE = `Usage:
  soc-analytics qradar <file-or-folder…> [--closing-reasons <file>] [--tz <zone>] [--console-tz <zone>]
                       [--escalated <text,…>] [--false-positive <text,…>] [--top <n>] [--json] [--md FILE [--defang]]

Analyzes QRadar offenses saved from the REST API (JSON array, NDJSON, wrapped object), closing reasons,
offense types, rules and Log/Network Activity CSV exports (kinds detected from content; a folder is joined).

Options for "qradar":
  --closing-reasons <file>  the closing-reasons list of every offense (/api/siem/offense_closing_reasons, or
                            id,text CSV); without it an offense's closing_reason_id is named by the list of its
                            own export only (its folder, or its qradar-fetch), else shown as #<id>
  --tz <zone>               display zone for days and hours: UTC (default), local, an IANA name or UTC+3
                            (--zone is the same option)
  --console-tz <zone>       zone of the console's display times in Log/Network Activity CSV exports
                            (Mar 3, 2026, 2:20:05 PM); without it they are read in UTC, and the report says so
  --escalated <text,…>      closing-reason fragments counted as escalated, matched anywhere in the reason,
                            case-insensitive (default: ${DEFAULT_ESCALATED_REASONS.join(',')}; escalat is a stem:
                            Escalated, Escalated to IR ticket)
  --false-positive <text,…> closing-reason fragments counted as false positive, matched the same way
                            (default: ${DEFAULT_FALSE_POSITIVE_REASONS.join(',')})
  --top <n>                 length of the top lists (default ${DEFAULT_TOP_N})
  --json                    print one JSON object: summary, byDay, byHour, byClosingReason, byStatus,
                            closingReasonConflicts, topDescriptions, byAssignee, byRule, topPairs, log sources,
                            networks, files, errors, warnings
${mdOptionsHelp(28)}${helpVersionHelp(28)}  --escalated / --false-positive fragments do not count where negated in their clause (Not a false positive).
Exit codes: 0 success, 1 unexpected failure, 2 bad arguments or an unreadable path, 3 no offense or Log
Activity file among the paths (every file skipped).
`;

export interface QRadarCliArgs {
  paths: string[];
  json: boolean;
  settings: QRadarSettings;
  consoleZone: string;
  /** True when `--console-tz` was given (else `consoleZone` is the assumed `UTC`). */
  consoleZoneGiven: boolean;
  /** `--md FILE`: also write the ticket summary there; `--defang`: defang it. */
  md?: string;
  defang?: boolean;
  /** Index in `paths` → the option that gave it (`--closing-reasons`), named when that path cannot be read. */
  pathOptions?: Record<number, string>;
}

export class QRadarArgError extends Error {}

const list = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses the arguments after `qradar`. Throws {@link QRadarArgError} on bad input; `'help'` for -h. */
export function parseQRadarArgs(args: string[]): QRadarCliArgs | 'help' {
  const out: QRadarCliArgs = {
    paths: [],
    json: false,
    consoleZone: 'UTC',
    consoleZoneGiven: false,
    settings: { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N },
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.paths.push(...args.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--json') {
      out.json = true;
      continue;
    }
    const md = takeMdOption(args, i, out, (msg) => new QRadarArgError(msg));
    if (md >= 0) {
      i = md;
      continue;
    }
    const m = /^(--[a-z-]+)(?:=(.*))?$/.exec(a);
    const opt = m?.[1];
    if (opt && ['--closing-reasons', '--tz', '--zone', '--console-tz', '--escalated', '--false-positive', '--top'].includes(opt)) {
      const v = m?.[2] !== undefined ? m[2] : args[++i];
      if (v === undefined || v === '') throw new QRadarArgError(`${opt} needs a value`);
      switch (opt) {
        case '--closing-reasons':
          (out.pathOptions ??= {})[out.paths.length] = opt;
          out.paths.push(v);
          break;
        case '--tz':
        case '--zone':
        case '--console-tz':
          if (!isValidZoneSetting(v)) throw new QRadarArgError(unknownZoneMessage(opt, v));
          if (opt === '--console-tz') {
            out.consoleZone = resolveZone(v);
            out.consoleZoneGiven = true;
          }
          else out.settings.zone = resolveZone(v);
          break;
        case '--escalated':
        case '--false-positive': {
          // `--escalated ,` or `" "` named no fragment: nothing would have counted as escalated, silently
          const l = list(v);
          if (l.length === 0) throw new QRadarArgError(`${opt} needs at least one closing-reason fragment (comma-separated), got ${JSON.stringify(v)}`);
          if (opt === '--escalated') out.settings.escalatedReasons = l;
          else out.settings.falsePositiveReasons = l;
          break;
        }
        case '--top': {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1) throw new QRadarArgError(`--top needs a positive integer, got ${v}`);
          out.settings.topN = n;
          break;
        }
      }
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new QRadarArgError(`unknown option: ${a}`);
    out.paths.push(a);
  }
  if (out.paths.length === 0) throw new QRadarArgError('no path given: soc-analytics qradar <file-or-folder…>');
  mdToStdout('--md', out.md, out.json, (m) => new QRadarArgError(m));
  return out;
}

/** ISO 8601 with the display zone's offset (e.g. `2026-03-02T10:41:12.318+03:00`), null when absent. */
function isoZoned(ms: number | undefined, zone: string): string | null {
  if (ms === undefined) return null;
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.isValid ? dt.toISO({ suppressMilliseconds: true }) : null;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/**
 * The `--json` document (see USAGE). `concentration` is rounded to 4 decimals. `summary.consoleTimes` is
 * `{zone, assumed}` when CSV exports had console display times (`assumed`: `--console-tz` was not given), else null.
 */
export function qradarJson(p: QRadarParsed, sum: QRadarSummary, consoleZoneGiven = true): unknown {
  const s = sum.summary;
  return {
    summary: {
      offenses: s.offenses,
      first: isoZoned(s.first, s.timezone),
      last: isoZoned(s.last, s.timezone),
      timezone: s.timezone,
      consoleTimes: consoleTimes(p, consoleZoneGiven) ?? null,
      open: s.open,
      hidden: s.hidden,
      closed: s.closed,
      unknownStatus: s.unknownStatus,
      escalated: s.escalated,
      falsePositive: s.falsePositive,
      undated: s.undated,
      // ratings outside QRadar's 0–10 (magnitude, severity, credibility, relevance): count and first places per field
      outOfRange: s.outOfRange,
      descriptions: s.descriptions,
      events: s.events,
      files: s.files,
      errors: s.errors,
    },
    byDay: sum.byDay.map((b) => ({ day: b.day, count: b.count, escalated: b.escalated, falsePositive: b.falsePositive })),
    byHour: sum.byHour,
    byClosingReason: sum.byClosingReason.map((r) => ({ reason: r.reason, id: r.id ?? null, count: r.count, class: r.class || null, deleted: r.deleted === true, reserved: r.reserved === true })),
    closingReasonConflicts: sum.closingReasonConflicts,
    byStatus: sum.byStatus,
    byMagnitude: sum.byMagnitude,
    topDescriptions: sum.topDescriptions.map((d) => ({
      description: d.description,
      count: d.count,
      variants: d.variants,
      concentration: round4(d.concentration),
      topSources: d.topSources,
      topSourceTies: d.topSourceTies,
      closed: d.closed,
      falsePositive: d.falsePositive,
      escalated: d.escalated,
    })),
    byAssignee: sum.byAssignee,
    byClosingUser: sum.byClosingUser,
    byOffenseType: sum.byOffenseType,
    byRule: sum.byRule,
    topPairs: sum.topPairs,
    topLogSources: sum.topLogSources,
    bottomLogSources: sum.bottomLogSources,
    topSourceNetworks: sum.topSourceNetworks,
    // first / last: ISO 8601 with the display zone's offset, as summary.first (null: no row with a time), overall and per name and log source
    events: {
      records: sum.events.records,
      eventCount: sum.events.eventCount,
      uncounted: sum.events.uncounted,
      first: isoZoned(sum.events.first, s.timezone),
      last: isoZoned(sum.events.last, s.timezone),
      byName: sum.events.byName.map((e) => ({ name: e.name, records: e.records, events: e.events, first: isoZoned(e.first, s.timezone), last: isoZoned(e.last, s.timezone) })),
      byLogSource: sum.events.byLogSource.map((e) => ({ logSource: e.logSource, records: e.records, events: e.events, first: isoZoned(e.first, s.timezone), last: isoZoned(e.last, s.timezone) })),
    },
    files: p.files.map((f) => ({ file: f.file, kind: f.kind, format: f.format, records: f.records, errors: f.errors })),
    skipped: p.skipped,
    errors: qradarProblems(p).map((e) => ({ file: e.file, line: e.line, message: e.message })),
    warnings: [closingReasonConflictText(sum.closingReasonConflicts), ...outOfRangeTexts(s)].filter(Boolean),
  };
}


/**
 * Human-readable report: the offense summary, the event rows read per Log/Network Activity CSV export, the offense
 * tables, then the problems and the files / duplicate offenses left out. When CSV exports had
 * console display times it says which zone they were read in, and that it was assumed when `consoleZoneGiven` is false.
 */
export function qradarText(p: QRadarParsed, sum: QRadarSummary, consoleZoneGiven = true, topN = DEFAULT_TOP_N): string {
  const s = sum.summary;
  const z = s.timezone;
  let out = `QRadar offenses: ${qradarOffenseCounts(p, sum)}\n`;
  out += `  Range (${z}): ${isoZoned(s.first, z) ?? '-'} .. ${isoZoned(s.last, z) ?? '-'}\n`;
  const undated = undatedText(s);
  if (undated) out += `  ${undated}\n`;
  for (const t of outOfRangeTexts(s)) out += `  Note: ${terminalSafe(t)}\n`;
  const ct = consoleTimesLine(p, consoleZoneGiven);
  if (ct) out += `  ${ct}\n`;
  out += `  Escalated: ${grouped(s.escalated)}   False positives: ${grouped(s.falsePositive)}   Distinct descriptions: ${grouped(s.descriptions)}\n`;
  const conflict = closingReasonConflictText(sum.closingReasonConflicts);
  if (conflict) out += `  Warning: ${terminalSafe(conflict)}\n`;
  out += '\n';
  // Log/Network Activity CSV exports: the rows read and from which files (the offense lines above do not count them)
  const eventFiles = p.files.filter((f) => f.kind === 'events');
  if (eventFiles.length) {
    const n = sum.events.records;
    const u = sum.events.uncounted;
    const uncounted = u ? `; ${u} row${u === 1 ? '' : 's'} without a valid count, not counted` : '';
    out += `Log Activity exports: ${n} event row${n === 1 ? '' : 's'} (event count ${sum.events.eventCount}${uncounted}) from ${eventFiles.length} file${eventFiles.length === 1 ? '' : 's'}\n`;
    // when the events were (their console times read in the console zone; shown in the display zone)
    if (sum.events.first !== undefined && sum.events.last !== undefined) out += `  Event times (${z}): ${formatTime(sum.events.first, z)} – ${formatTime(sum.events.last, z)}\n`;
    out += textTable(['ROWS', 'FILE'], eventFiles.map((f) => [String(f.records), f.file]), [true, false]);
    out += '\n';
  }
  for (const t of qradarReportTables(sum, topN)) {
    if (!t.rows.length) continue;
    out += `${t.title}${t.more}\n`;
    out += textTable(t.header.map((h) => h.toUpperCase()), t.rows, t.right);
    if (t.note) out += `  ${t.note}\n`;
    out += '\n';
  }
  if (sum.byDay.length) {
    // as the dashboard's chart: a long range per ISO week (> 120 days) or month (> 2 years), not thousands of day rows
    const { unit, buckets } = calendarBuckets(sum.byDay);
    out += `Offenses per ${unit === 'week' ? 'week (from Monday)' : unit} (${OFFENSE_DAY_BASIS}, ${z})${unit === 'day' ? '' : `: ${sum.byDay.length} days; --json byDay has each day`}\n`;
    // a run of 3 or more buckets without an offense is one row (a 5-year export printed 62 months, most of them 0)
    const rows: string[][] = [];
    for (let i = 0; i < buckets.length; ) {
      let j = i;
      while (j < buckets.length && buckets[j].count === 0) j++;
      if (j - i >= 3) {
        rows.push([`${buckets[i].day} … ${buckets[j - 1].day}`, '0', '0']);
        i = j;
      } else {
        rows.push([buckets[i].day, grouped(buckets[i].count), grouped(buckets[i].escalated)]);
        i++;
      }
    }
    out += textTable([unit.toUpperCase(), 'COUNT', 'ESCALATED'], rows, [false, true, true]);
    if (rows.length < buckets.length) out += `  (a … row: ${unit === 'day' ? 'days' : `${unit}s`} in a row without an offense)\n`;
    out += '\n';
  }
  // the same problems as the dashboard's and --json's (an API error answer saved as a file is one)
  const problems = qradarProblems(p);
  if (problems.length) {
    out += `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`;
    // one line each: a line break in a message (a description in a duplicate note, a manifest's reason) is escaped
    for (const e of problems.slice(0, 20)) out += `  ${terminalSafe(problemWhere(e.file, e.line))}: ${terminalSafe(e.message)}\n`;
  }
  // files left out and duplicate offenses dropped (only --json listed them: the text said nothing); an API error answer
  // is listed once, as a problem above (--json keeps it in both: errors and skipped)
  const asProblem = new Set(apiErrorFiles(p));
  const leftOut = p.skipped.filter((k) => !asProblem.has(k));
  if (leftOut.length) {
    out += `Left out:\n`;
    for (const k of leftOut.slice(0, 20)) out += `  ${k.file ? `${terminalSafe(k.file)}: ` : ''}${terminalSafe(k.reason)}\n`;
    if (leftOut.length > 20) out += `  … and ${leftOut.length - 20} more (see --json)\n`;
  }
  return out;
}

const QRADAR_HINT = 'soc-analytics qradar --help';

/**
 * Runs `qradar` with its arguments. Returns the exit code: 0 success (also with problems in the
 * data), 2 bad arguments or an unreadable path (`pathProblem` returns the reason).
 */
export async function qradarCli(args: string[], io: { stdout(s: string): void; stderr(s: string): void }, pathProblem: (p: string) => string | undefined): Promise<number> {
  const start = startPathCommand(io, { parse: () => parseQRadarArgs(args), argError: QRadarArgError, hint: QRADAR_HINT, usage: QRADAR_USAGE, pathProblem });
  if (typeof start === 'number') return start;
  const { args: a, paths } = start;
  // a list named with --closing-reasons names the reasons of every offense (as kpi's); the others only their own export's
  const named = Object.entries(a.pathOptions ?? {}).filter(([, o]) => o === '--closing-reasons').map(([i]) => a.paths[Number(i)]);
  const parsed = await runQRadarRead(paths, { consoleTimeZone: a.consoleZone, namedClosingReasons: named });
  // an --md file that is one of the files read (found in a named folder, a list beside the offenses, a link to one): exit 2, nothing written
  const mdOut = a.md === '-'; // the summary on stdout instead of the report
  if (a.md !== undefined && !mdOut && outputIsInputExit(io, [{ option: '--md', given: a.md }], parsed.files.map((f) => f.file), QRADAR_HINT)) return 2;
  const sum = summarizeQRadar(parsed, a.settings);
  if (a.json) {
    io.stdout(`${JSON.stringify(qradarJson(parsed, sum, a.consoleZoneGiven))}\n`);
    const ct = consoleTimes(parsed, a.consoleZoneGiven);
    if (ct?.assumed) io.stderr(`soc-analytics: ${consoleTimesLine(parsed, false)}\n`);
  } else if (!mdOut) io.stdout(qradarText(parsed, sum, a.consoleZoneGiven, a.settings.topN));
  if (a.md !== undefined) {
    const md = qradarMarkdown(parsed, sum, { zone: a.settings.zone, defang: a.defang, title: inputsTitle(a.paths), topN: a.settings.topN, consoleZoneGiven: a.consoleZoneGiven });
    if (mdOut) io.stdout(md);
    else if (await writeMdFile(io, a.md, md)) return 1;
  }
  if (!parsed.files.some((f) => f.kind === 'offenses' || f.kind === 'events')) {
    // the files looked at: those read, and those folder discovery left out by their start (a Loki log: never read)
    const read = new Set(parsed.files.map((f) => f.file));
    const leftOut = new Set(parsed.skipped.filter((k) => k.file && !read.has(k.file)).map((k) => k.file)).size;
    return nothingRead(io, 'no QRadar offense or Log Activity file was found', parsed.files.length + leftOut);
  }
  return 0;
}
