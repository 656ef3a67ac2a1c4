/**
 * `soc-analytics tz convert …` and `soc-analytics kpi …` (dispatched from `cli.ts`).
 *
 *   soc-analytics tz convert <file> [--column C] [--from ZONE] --to ZONE [--format F] --out FILE
 *                 [--ambiguous earlier|later|blank] [--year N] [--json]
 *   soc-analytics kpi <cases-file|folder…> [--rules <tagging.json> | --seed-rules] [--map col=field,…] [--tz ZONE]
 *                 [--source-zone ZONE] [--shift-zone ZONE] [--as-of ISO] [--closing-reasons FILE] [--html FILE] [--md FILE] [--json]
 *
 * Exit codes: 0 success (also with flagged/unreadable values, which are reported), 1 unexpected
 * failure, 2 bad arguments or unreadable paths; `kpi` also 2 when the tagging rules file cannot be
 * used (the report is still printed and written, with the cases not tagged), 3 when its inputs gave no
 * case at all (the report still says why); `tz convert` 3 when its input is empty or has a header and no rows.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { kpiReportOf, parseAsOf, RULES_ERROR_CONSEQUENCE, SEED_RULES_NOTE, rulesErrorLocation, runKpiAnalysis, type KpiAnalysis, type KpiRunOptions } from '../core/analyze/kpi-run';
import { renderKpiReportHtml, renderKpiReportMarkdown, kpiSummaryRows } from '../core/export/report';
import { AUTOMATED, DEFAULT_AUTOMATION_ACCOUNTS, DEFAULT_SHIFTS, formatDuration, type SlaTarget } from '../core/analyze/kpi';
import { fileList, mappingSpec, parseMappingSpec, unmatchedMappingText } from '../core/parse/cases';
import { isoUtc, isValidZoneSetting, resolveZone, unknownZoneMessage, ZONE_HINT } from '../core/time';
import { describeNormalizeStats, duplicateColumnNote, emptyInputMessage, isNotTextTable, isSameFile, normalizeTable, notTextTableMessage, outputExistsMessage, fileExists, readNormalizeInput, recordNoun, spreadsheetOutputProblem, writeNormalized } from '../core/tz-file';
import { argErrorExit, EXIT_NOTHING_READ, helpVersionHelp, mdToStdout, nothingRead, outputFileProblem, outputIsInputExit, pathProblem, resolveReadable, textTable, writeOutputFile } from '../core/cli-support';
import { terminalSafe } from '../core/text-safe';
import { detectFormat, FORMAT_LABELS, isoInZone, nonEmptySample, outOfRangeReason, parseTimestamp, suggestTimeColumns, TIME_SAMPLE_ROWS, timeColumnVerdict, type AmbiguousPolicy, type TimestampFormat } from '../core/tz-normalize';
import { problemWhere } from '../core/model/common';
import { parseJsonLimited } from '../core/json-depth';
import { helperFileErrorText, readHelperFile } from '../core/fs-read';
import { closingReasonsCandidates, rulesCandidates } from '../core/parse/qradar-reason-lists';

export interface SubIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

const TZ_USAGE = `  soc-analytics tz convert <file> [--column C]… [--from ZONE] --to ZONE [--format F]… --out FILE [--force]
                 [--ambiguous earlier|later|blank] [--year N] [--json]
  soc-analytics tz at <time>|now [--from ZONE] --to ZONE[,ZONE…] [--format F] [--json]
`;
const KPI_USAGE = `  soc-analytics kpi <cases-file|folder…> [--rules <tagging.json> | --seed-rules] [--map col=field,…] [--tz ZONE]
                 [--source-zone ZONE] [--shift-zone ZONE] [--as-of ISO] [--closing-reasons FILE] [--automation-accounts P,…|none]
                 [--sla FILE] [--html FILE] [--md FILE] [--json]
`;
/** The usage lines of both subcommands (the general `--help` and each subcommand's own help print the same). */
export const TZ_KPI_USAGE = TZ_USAGE + KPI_USAGE;

const TZ_HELP = `Usage:
${TZ_USAGE}
Converts timestamp columns of a CSV / JSON / NDJSON log and writes a new file (the input is not
changed) with two added columns per converted column: <C>_normalized (ISO 8601 in --to) and
<C>_tz_flag. A CSV without a header row (Loki --csv, also of one record) keeps its first record; a text log whose lines start with a
time (syslog) or a time in brackets ([2024-03-01 12:00:00] …; a "[" file that is no JSON array) is
read line by line: column "timestamp", each line written as <normalized> TAB <flag> TAB <line>. A Zeek
TSV log (conn.log…) is read by its #fields header (ts: epoch seconds; "-" and "(empty)" are empty) and
written as a Zeek log: every # line kept, the two fields added to #fields and #types. Compressed (gzip,
bzip2, xz, zstd, zip) and binary files, told by their bytes, are refused (exit 2): decompress them
first. An empty file or one with a header and no rows is said so, nothing is written (exit 3). A
byte order mark at the start of the input (UTF-8, or UTF-16's) is kept in the output (UTF-8); a header
that names the chosen column twice (time,time) says which one is converted.
  --column C        timestamp column (default: the column whose times are read in the most rows, a
                    time-like name (Created, time, *_at…) first; equal ones: the first column); repeat it
                    to convert several in one copy (--column Created --column Closed: two added columns
                    each, in that order)
  --from ZONE       zone of values without an offset: required when the column has such values (never
                    guessed); not needed when every value carries its offset (Z, +02:00, epoch)
  --to ZONE         target zone: UTC, local, an IANA name or a fixed offset such as UTC+3 (EST, MST, HST
                    are fixed UTC-5/-7/-10 without daylight saving: America/New_York, America/Denver,
                    Pacific/Honolulu follow the clock changes)
  --format F        ${Object.keys(FORMAT_LABELS).join(', ')}, or custom:<luxon format> (default: detected
                    per column); with several --column: one --format for all, or one per --column in order
  --ambiguous P     DST fall-back times that occur twice: earlier (default), later or blank; always flagged
  --year N          year for RFC 3164 syslog times that do not write one (a year in the value wins;
                    default: the current year, or the previous one for dates over 31 days ahead)
  --out FILE        output file (must differ from the input); an existing FILE is refused (exit 2)
                    (a Zeek, text, JSON or NDJSON log's copy: not .csv/.tsv, its values are unguarded)
  --force           replace an existing --out FILE
  --json            print the summary as JSON
${helpVersionHelp(20)}Non-existent local times (DST spring-forward gap) are never converted and always flagged; second 60 is
read only as a leap second (23:59:60 UTC on the 27 dates of IERS Bulletin C, the last 2016-12-31).

"tz at" converts one time (as written in a log, a ticket or a QRadar export) into one or more zones:
  soc-analytics tz at "2024-10-27 02:30:00" --from Europe/Berlin --to UTC,Asia/Riyadh
  soc-analytics tz at now --to UTC,America/New_York      (now: the current instant)
A time without an offset needs --from (never guessed); one that occurs twice (DST fall-back) is shown
with both instants, one that does not exist (spring-forward gap) is said so.

Exit codes: 0 success (also with flagged or unreadable values, which are reported), 1 unexpected failure,
2 bad arguments (a zone, format or option value), an unreadable path, a compressed or binary input, an
existing --out FILE without --force, or a time "tz at" cannot read, 3 "tz convert" had an empty or
header-only input (nothing written).
`;

const KPI_HELP = `Usage:
${KPI_USAGE}
Tags cases with the rules (first match wins, case-insensitive by default) and computes SOC KPIs.
Input: CSV/JSON/NDJSON cases (columns auto-mapped, --map to override) or QRadar offenses JSON; a
folder: every case export in it (recursive; .csv .tsv .json .jsonl .ndjson). Files of a folder that
are plainly not case exports (no column for the created time or for the title or id, QRadar lookup
lists, empty, other extensions, archives) are skipped, each with the reason (a note; --json skipped).
  --rules FILE            tagging rules; default: .soc/tagging.json of the current directory when it
                          exists (as the extension reads the workspace's), else the seed blog's rules
  --seed-rules            use the built-in seed rules even when .soc/tagging.json exists
  --map col=field,…       column → field; fields: id, title, created, acknowledged, closed, analyst,
                          severity, status, disposition, rule. Column names are matched exactly, else
                          ignoring case and surrounding spaces when that names one column
  --tz ZONE               display zone for weeks and times (default UTC; --zone is the same option); not
                          the shifts, which are counted in --shift-zone
  --source-zone ZONE      zone of case times without an offset (default UTC)
  --shift-zone ZONE       zone the shift hours are in, the SOC's rota (default UTC, as the setting
                          socAnalytics.kpi.shiftTimeZone): the workload per shift is counted by the
                          time of day there, whatever --tz. Shifts: ${DEFAULT_SHIFTS.map((x) => `${x.name} ${x.start}–${x.end}`).join(', ')}
                          (end exclusive). The report names them with their hours and zone
  --as-of ISO             the time the KPIs are computed for (default: now): the cases as they stood
                          then — cases created later left out, later closes and acknowledgements
                          not made yet; backlog ages and SLA checks measured then. The report shows
                          it and its generation time
  --closing-reasons FILE  QRadar offense_closing_reasons.json (default: beside the offenses)
  --automation-accounts P,…|none
                          automation and service accounts (SOAR playbooks, API users) are not analysts:
                          their cases are a separate "${AUTOMATED}" row of the workload per
                          analyst. Case-insensitive, * = any characters. A pattern matches the whole
                          account name; in a name without spaces (an account identifier) also one of
                          its parts (between \\ / @ :) or their words (between _ -): svc matches
                          svc_backup and CORP\\svc. A name with spaces (a display name: Api Nguyen) is
                          matched only whole and . does not split words (api.nguyen), so a person is
                          never caught by a word of their name.
                          Default: ${DEFAULT_AUTOMATION_ACCOUNTS.join(',')}
                          (as the setting socAnalytics.kpi.automationAccounts); none: every named account
                          counts as an analyst
  --sla FILE              SLA targets per severity, a JSON object as the setting socAnalytics.kpi.sla:
                          {"critical": {"acknowledgeMinutes": 15, "closeMinutes": 240}, …}; keys are
                          severity values (case-insensitive; "1 - Critical" finds critical) or
                          ranges "a-b" of numbers. Default: the setting's default table
  --html FILE / --md FILE also write the report (- prints it on stdout instead of the text report; not with --json)
  --json                  print {tags, kpis, coverage, errors, …}; durations in ms, times ISO 8601 UTC
${helpVersionHelp(26)}Exit codes: 0 success, 1 unexpected failure, 2 bad arguments, an unreadable path or a tagging rules
file that cannot be used (the report is still printed), 3 no case in the case files.
`;

class ArgError extends Error {}

/** Largest `kpi --sla` file read (bytes; a table of targets per severity is a few hundred). */
const MAX_SLA_FILE_BYTES = 1024 * 1024;

/** Why the input file `p` cannot be read (these commands read files, not folders), or undefined. */
function readProblem(p: string): string | undefined {
  return pathProblem(p, true) ?? (statSync(p).isDirectory() ? 'is a folder: give the file itself (case exports, CSV/JSON)' : undefined);
}

/** `value` of the output option `name`, resolved and checked before any work is done (ArgError: exit 2). */
function outputPath(name: string, value: string): string {
  const out = path.resolve(value);
  const why = outputFileProblem(value);
  if (why) throw new ArgError(`${name} ${value}: ${why}`);
  return out;
}

/** Options whose value is a time zone: their "needs a value" names the zones accepted ({@link ZONE_HINT}). */
const ZONE_OPTIONS = new Set(['--tz', '--zone', '--source-zone', '--shift-zone', '--from', '--to']);

function zoneArg(name: string, v: string | undefined): string {
  if (!v) throw new ArgError(`${name} needs a value (${ZONE_HINT})`);
  if (!isValidZoneSetting(v)) throw new ArgError(unknownZoneMessage(name, v));
  return resolveZone(v);
}

/**
 * Splits `args` into options and positional arguments. `opts` holds the last value of each option (`'true'` for a
 * flag); `all` every value of an option given more than once, in order (`--column A --column B`).
 * @throws ArgError for an unknown option or an option without its value (missing, or empty: `--md ""`, `--tz=`).
 */
function takeOptions(args: string[], withValue: string[], flags: string[]): { opts: Record<string, string>; all: Record<string, string[]>; positional: string[] } {
  const opts: Record<string, string> = {};
  const all: Record<string, string[]> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(name)) {
      const v = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i];
      // an empty value (`--as-of ""`, `--tz=`, `--md " "`: white space only) is no value: it was taken as "not given" (now, UTC, the seed rules, no
      // report file) without a word, as `qradar --md ""` and `kpi --shift-zone=` already refuse it
      if (v === undefined || v.trim() === '') throw new ArgError(`${name} needs a value${ZONE_OPTIONS.has(name) ? ` (${ZONE_HINT})` : ''}`);
      opts[name] = v;
      (all[name] ??= []).push(v);
    } else if (flags.includes(a)) opts[a] = 'true';
    else if (a.startsWith('-') && a !== '-') throw new ArgError(`unknown option: ${a}`);
    else positional.push(a);
  }
  return { opts, all, positional };
}

function knownFormat(f: string): TimestampFormat {
  // own keys only: `constructor` is in every object (it was taken as a format named "function Object() { [native code] }")
  if (Object.hasOwn(FORMAT_LABELS, f) || f.startsWith('custom:')) return f as TimestampFormat;
  return `custom:${f}`;
}

async function tzConvert(args: string[], io: SubIO): Promise<number> {
  const { opts, all, positional } = takeOptions(args, ['--column', '--from', '--to', '--format', '--out', '--ambiguous', '--year'], ['--json', '--force', '--help', '-h']);
  if (opts['--help'] || opts['-h']) {
    io.stdout(TZ_HELP);
    return 0;
  }
  if (positional.length !== 1) throw new ArgError('tz convert needs exactly one input file');
  const givenColumns = all['--column'] ?? [];
  const givenFormats = all['--format'] ?? [];
  const twice = givenColumns.find((c, i) => givenColumns.indexOf(c) !== i);
  if (twice !== undefined) throw new ArgError(`--column "${terminalSafe(twice)}" is given twice`);
  if (givenFormats.length > 1 && givenFormats.length !== givenColumns.length)
    throw new ArgError(`${givenFormats.length} --format for ${givenColumns.length} --column: give one --format for every column, or one per --column in order`);
  // both zones are checked before the file is read: a wrong zone is said at once, not after a long read
  const to = zoneArg('--to', opts['--to']);
  const fromZone = opts['--from'] ? zoneArg('--from', opts['--from']) : undefined;
  const [input] = resolveReadable([positional[0]], io, readProblem) ?? [];
  if (input === undefined) return 2;
  if (!opts['--out']) throw new ArgError('--out FILE is required (the input is never overwritten)');
  const out = outputPath('--out', opts['--out']);
  if (await isSameFile(out, input)) throw new ArgError('--out must differ from the input file');
  // an existing file is replaced only when asked (--force): a second run must not silently overwrite the first output
  if (!opts['--force'] && (await fileExists(out))) throw new ArgError(outputExistsMessage(opts['--out']));
  const amb = (opts['--ambiguous'] ?? 'earlier') as AmbiguousPolicy;
  if (!['earlier', 'later', 'blank'].includes(amb)) throw new ArgError('--ambiguous must be earlier, later or blank');
  const year = opts['--year'] !== undefined ? Number(opts['--year']) : undefined;
  if (year !== undefined && !(Number.isInteger(year) && year > 0 && year < 10000)) throw new ArgError('--year must be a year such as 2026');
  const table = await readNormalizeInput(input);
  const fileErr = table.errors.find((e) => e.line === 0);
  if (fileErr && table.rows.length === 0) {
    io.stderr(`soc-analytics: ${positional[0]}: ${fileErr.message}\n`);
    return 2;
  }
  // a compressed or binary file read as text: its "columns" are control bytes (say so, do not print them)
  if (isNotTextTable(table)) throw new ArgError(notTextTableMessage(positional[0], table.notTextKind));
  // a Zeek log or a text log is copied as it is, its values unguarded: never under a name a spreadsheet opens as CSV
  const sheet = spreadsheetOutputProblem(table.format, out);
  if (sheet) throw new ArgError(`--out ${opts['--out']}: ${sheet}`);
  // nothing to convert (no bytes, a header alone): said as such, nothing written; exit 3 as the analyses that read nothing
  const empty = emptyInputMessage(table, positional[0]);
  if (empty) {
    io.stderr(`soc-analytics: ${terminalSafe(empty)}: nothing to convert, no output written; exit ${EXIT_NOTHING_READ}\n`);
    return EXIT_NOTHING_READ;
  }
  let column = givenColumns[0];
  if (column === undefined) {
    const s = suggestTimeColumns(table.columns, table.rows.map((r) => r.values));
    if (!s.length) {
      // why not, per column, in the words of Normalize Timestamps (timeColumnVerdict)
      const why = table.columns.slice(0, 6).map((c) => `"${c}": ${timeColumnVerdict(table.rows.slice(0, TIME_SAMPLE_ROWS).map((r) => r.values[c])).text.replace(/^not recognised as a timestamp: /, '')}`);
      throw new ArgError(`no timestamp column found; pass --column (${why.join('; ')}${table.columns.length > 6 ? '; …' : ''})`);
    }
    column = s[0].column;
    const others = s.slice(1, 4).map((o) => `"${o.column}"`);
    io.stderr(
      `soc-analytics: using column "${column}" (${s[0].verdict}; sampled the first ${s[0].rows} row${s[0].rows === 1 ? '' : 's'})` +
        `${others.length ? `; other time columns: ${others.join(', ')}${s.length > 4 ? ', …' : ''} (--column picks one; repeat it for several)` : ''}\n`,
    );
  }
  const columns = givenColumns.length ? givenColumns : [column];
  for (const c of columns) if (!table.columns.includes(c)) throw new ArgError(`no column "${c}" in ${positional[0]} (columns: ${table.columns.join(', ')})`);
  // each column's format: --format (one for all, or one per --column), else detected in its first rows
  const formats = columns.map((col, k): TimestampFormat => {
    const given = givenFormats.length > 1 ? givenFormats[k] : givenFormats[0];
    if (given) return knownFormat(given);
    // the chosen column's first non-empty values wherever they are (a column empty in its first rows has a format too)
    const v = timeColumnVerdict(nonEmptySample(table.rows, (r) => r.values[col]));
    if (!v.guess) throw new ArgError(`cannot detect the format of column "${col}" (${v.text}); pass --format`);
    return v.guess.format;
  });
  for (const col of columns) {
    // `time,time`: which one is converted (the second is read as `time_2`)
    const dup = duplicateColumnNote(table, col);
    if (dup) io.stderr(`soc-analytics: ${terminalSafe(dup)}\n`);
  }
  const col = columns[0];
  const format = formats[0];
  let from = 'UTC';
  if (fromZone) from = fromZone;
  else {
    columns.forEach((c, k) => {
      const naive = table.rows.slice(0, 500).some((r) => {
        const res = parseTimestamp(r.values[c], formats[k], { year: year ?? 2000, anySecondSixty: true });
        return res.flag !== 'unparsed' && !res.aware && res.carriedZone !== undefined;
      });
      if (naive) throw new ArgError(`column "${c}" has times without an offset (${FORMAT_LABELS[formats[k]] ?? formats[k]}): pass --from ZONE (never guessed)`);
    });
  }
  const more = columns.slice(1).map((c, k) => ({ column: c, format: formats[k + 1] }));
  const result = normalizeTable(table, { column: col, format, fromZone: from, toZone: to, ambiguous: amb, year, ...(more.length ? { more } : {}) });
  const parts = [result, ...(result.more ?? [])];
  // the sample above is the first 500 rows: a time without an offset further down is never read as UTC either
  for (const r of parts)
    if (!fromZone && r.stats.naive > 0)
      throw new ArgError(`column "${r.options.column}" has ${r.stats.naive} time${r.stats.naive === 1 ? '' : 's'} without an offset (${FORMAT_LABELS[r.options.format] ?? r.options.format}; the first 500 rows carry one): pass --from ZONE (never guessed)`);
  await writeNormalized(table, result, out);
  const summary = {
    input, output: out, column: col, format, from, to, ambiguousPolicy: amb, ...result.stats,
    inputErrors: table.errors.length, inputProblems: table.errors.slice(0, 100), flagged: result.errors.slice(0, 100),
    // several columns: each one's counts (the fields above are the first column's, as with one column)
    ...(parts.length > 1 ? { columns: parts.map((r) => ({ column: r.options.column, format: r.options.format, addedColumns: r.outColumns, ...r.stats })) } : {}),
  };
  if (opts['--json']) io.stdout(JSON.stringify(summary, null, 2) + '\n');
  else {
    const flagNames = parts.map((r) => terminalSafe(r.outColumns[1])).join(', ');
    io.stdout(
      `${terminalSafe(path.basename(input))} → ${terminalSafe(out)}\n` +
        parts
          .map(
            (r) =>
              // without --from every time carried its zone (else exit 2 above): no zone was applied, none is named
              `column ${terminalSafe(r.options.column)}, format ${FORMAT_LABELS[r.options.format] ?? r.options.format}; ${fromZone ? `times without a zone read as ${from} time` : 'every time carries its zone (no --from needed)'}, converted to ${to}\n` +
              `${describeNormalizeStats(r.stats, from, amb, { toZone: to, flagColumn: terminalSafe(r.outColumns[1]), noun: recordNoun(table.format) })}\n`,
          )
          .join('') +
        result.errors
          .slice(0, 20)
          .map((e) => `  ${terminalSafe(problemWhere(path.basename(e.file), e.line))}: ${terminalSafe(e.message)}\n`)
          .join('') +
        (result.errors.length > 20 ? `  … ${result.errors.length - 20} more flagged rows (every one in ${flagNames}; --json lists 100)\n` : '') +
        (table.errors.length
          ? `${table.errors.length} input problem${table.errors.length === 1 ? '' : 's'} (every record is kept in the output):\n` +
            table.errors
              .slice(0, 20)
              .map((e) => `  ${terminalSafe(problemWhere(path.basename(e.file), e.line))}: ${terminalSafe(e.message)}\n`)
              .join('') +
            (table.errors.length > 20 ? `  … ${table.errors.length - 20} more (--json lists 100)\n` : '')
          : ''),
    );
  }
  return 0;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : isoUtc(ms) || null);

/**
 * `tz at <time>|now [--from ZONE] --to ZONE[,ZONE…] [--format F] [--json]`: one time in other zones. The format is
 * detected as `tz convert` detects a column's (or `--format`); a time without an offset is read in `--from`
 * (required for it). An ambiguous wall time (DST fall-back) gives both instants, a non-existent one (the
 * spring-forward gap) none. Text: one line per target zone (`2024-10-27T01:30:00+00:00  UTC`); JSON:
 * `{input, format, from, instants: [{utc, zones: {<zone>: iso}}], flag?, note?}`. Exit 2 for an unreadable time.
 */
function tzAt(args: string[], io: SubIO): number {
  const { opts, positional } = takeOptions(args, ['--from', '--to', '--format'], ['--json', '--help', '-h']);
  if (opts['--help'] || opts['-h']) {
    io.stdout(TZ_HELP);
    return 0;
  }
  if (positional.length !== 1) throw new ArgError('tz at needs exactly one time (quote it: "2024-10-27 02:30:00", or now)');
  // `now`: the current instant (UTC, to the millisecond; --from and --format do not apply)
  const isNow = positional[0].trim().toLowerCase() === 'now';
  const value = isNow ? isoUtc(Date.now()) : positional[0];
  if (!opts['--to']) throw new ArgError('--to ZONE is required (several: --to UTC,Asia/Riyadh)');
  const targets = opts['--to'].split(',').map((z) => zoneArg('--to', z.trim()));
  let format: TimestampFormat;
  if (isNow) format = 'iso';
  else if (opts['--format']) format = knownFormat(opts['--format']);
  else {
    const g = detectFormat([value]);
    if (!g || g.share < 1) {
      // the shape of a known format with a field out of range (month 13): that is the problem, not the format
      const why = outOfRangeReason(value.trim());
      throw new ArgError(why ? `cannot read the time: ${terminalSafe(why)}` : `cannot read the time ${JSON.stringify(terminalSafe(value.slice(0, 80)))}; pass --format`);
    }
    format = g.format;
  }
  const from = opts['--from'] ? zoneArg('--from', opts['--from']) : undefined;
  const year = new Date().getUTCFullYear();
  const probe = parseTimestamp(value, format, { year, anySecondSixty: true });
  if (probe.flag === 'unparsed') throw new ArgError(`cannot read the time: ${probe.note ?? value}`);
  if (!probe.aware && from === undefined) throw new ArgError(`${JSON.stringify(terminalSafe(value.slice(0, 80)))} has no offset: pass --from ZONE (the zone it was written in; never guessed)`);
  const read = (ambiguous: AmbiguousPolicy) => parseTimestamp(value, format, { sourceZone: from, ambiguous, year });
  const earlier = read('earlier');
  const later = read('later');
  const instants = [...new Set([earlier.ms, later.ms].filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
  const flag = earlier.flag ?? later.flag;
  // both instants are shown: the policy's "earlier occurrence used" does not apply
  const note = (earlier.note ?? later.note)?.replace(/; (?:earlier|later) occurrence used$/, '');
  const frac = earlier.frac; // digits beyond the millisecond as written (a Zeek ts), kept
  const inZones = (ms: number) => Object.fromEntries(targets.map((z) => [z, isoInZone(ms, resolveZone(z), frac)]));
  if (opts['--json']) {
    const doc = { input: isNow ? 'now' : value, ...(isNow ? { now: value } : {}), format, from: from ?? null, instants: instants.map((ms) => ({ utc: isoUtc(ms), zones: inZones(ms) })), ...(flag ? { flag } : {}), ...(note ? { note } : {}) };
    io.stdout(JSON.stringify(doc, null, 2) + '\n');
    return instants.length ? 0 : 2;
  }
  let out = isNow ? `now (${value})\n` : `${terminalSafe(value)} (${FORMAT_LABELS[format] ?? format}${probe.aware ? '' : `, read as ${from} time`})\n`;
  if (flag) out += `  ${flag}: ${terminalSafe(note ?? '')}\n`;
  const w = Math.max(...targets.map((z) => z.length));
  instants.forEach((ms, i) => {
    if (instants.length > 1) out += `  ${i === 0 ? 'earlier' : 'later'} instant (${isoUtc(ms)}):\n`;
    for (const z of targets) out += `  ${z.padEnd(w)}  ${isoInZone(ms, resolveZone(z), frac)}\n`;
  });
  io.stdout(out);
  return instants.length ? 0 : 2;
}

async function kpi(args: string[], io: SubIO): Promise<number> {
  const { opts, positional } = takeOptions(args, ['--rules', '--map', '--tz', '--zone', '--source-zone', '--shift-zone', '--as-of', '--closing-reasons', '--automation-accounts', '--sla', '--html', '--md'], ['--json', '--seed-rules', '--help', '-h']);
  if (opts['--help'] || opts['-h']) {
    io.stdout(KPI_HELP);
    return 0;
  }
  if (positional.length === 0) throw new ArgError('no cases file given: soc-analytics kpi <cases-file> [--rules <tagging.json>]');
  // case files and folders (a folder: the case exports inside it, the others skipped with the reason)
  const files = resolveReadable(positional, io, (p) => pathProblem(p, true));
  if (!files) return 2;
  const run: KpiRunOptions = {};
  if (opts['--rules'] && opts['--seed-rules']) throw new ArgError('--rules and --seed-rules exclude each other');
  // Like the extension: the workspace's rules file (<cwd>/.soc/tagging.json) is used when present, and said so.
  const workspaceRules = path.resolve('.soc', 'tagging.json');
  const workspaceRulesExist = existsSync(workspaceRules);
  let rulesOrigin: 'option' | 'workspace' | 'seed' = 'seed';
  if (opts['--rules']) {
    const [rules] = resolveReadable([opts['--rules']], io, readProblem, '--rules') ?? [];
    if (rules === undefined) return 2;
    run.rulesPath = rules;
    rulesOrigin = 'option';
  } else if (workspaceRulesExist && !opts['--seed-rules']) {
    run.rulesPath = workspaceRules;
    rulesOrigin = 'workspace';
  }
  const unusedWorkspaceRules = workspaceRulesExist && !(run.rulesPath && (await isSameFile(run.rulesPath, workspaceRules))) ? workspaceRules : undefined;
  const rulesLine =
    (rulesOrigin === 'option'
      ? `${run.rulesPath} (--rules)`
      : rulesOrigin === 'workspace'
        ? `${workspaceRules} (the workspace's .soc/tagging.json in the current directory; --rules FILE or --seed-rules to use others)`
        : `the built-in seed rules (${opts['--seed-rules'] ? '--seed-rules' : 'no --rules and no .soc/tagging.json in the current directory'})`) +
    (unusedWorkspaceRules ? `; ${unusedWorkspaceRules} exists but was not used` : '');
  if (opts['--map']) {
    try {
      run.mapping = parseMappingSpec(opts['--map']);
    } catch (e) {
      throw new ArgError((e as Error).message);
    }
  }
  if (opts['--tz'] && opts['--zone']) throw new ArgError('--tz and --zone are the same option: give one');
  // --zone as loki and beacons spell it
  const zone = opts['--tz'] ? zoneArg('--tz', opts['--tz']) : opts['--zone'] ? zoneArg('--zone', opts['--zone']) : 'UTC';
  if (opts['--source-zone']) run.sourceZone = zoneArg('--source-zone', opts['--source-zone']);
  // the shifts' zone (the SOC's rota): an unknown one is exit 2 naming the zones it probably means, never UTC silently
  if ('--shift-zone' in opts) run.shiftZone = zoneArg('--shift-zone', opts['--shift-zone']);
  if (opts['--as-of']) {
    // as the setting socAnalytics.kpi.asOf: ISO 8601, a real time in the zone, 1990–2100
    const r = parseAsOf(opts['--as-of'], zone);
    if (r.ms === undefined) throw new ArgError(`--as-of: “${opts['--as-of']}” ${r.why}`);
    run.asOf = r.ms;
  }
  if (opts['--closing-reasons']) {
    // as qradar --closing-reasons: missing, unreadable, a folder, a FIFO or device → exit 2 before any work
    const [file] = resolveReadable([opts['--closing-reasons']], io, readProblem, '--closing-reasons') ?? [];
    if (file === undefined) return 2;
    run.closingReasonsPath = file;
  }
  if ('--automation-accounts' in opts) {
    const v = opts['--automation-accounts'].trim();
    const patterns = v.split(',').map((x) => x.trim()).filter(Boolean);
    if (patterns.length === 0) throw new ArgError('--automation-accounts needs patterns (P,…) or none');
    run.automationAccounts = patterns.length === 1 && patterns[0].toLowerCase() === 'none' ? [] : patterns;
  }
  if (opts['--sla']) {
    const [file] = resolveReadable([opts['--sla']], io, readProblem, '--sla') ?? [];
    if (file === undefined) return 2;
    let sla: unknown;
    let text: string;
    try {
      text = (await readHelperFile(file, MAX_SLA_FILE_BYTES)).toString('utf8');
    } catch (e) {
      throw new ArgError(`--sla ${opts['--sla']}: cannot read it (${helperFileErrorText(e)})`);
    }
    try {
      sla = parseJsonLimited(text); // a [[[…]]] 200,000 levels deep ended the run with a stack overflow (exit 1)
    } catch (e) {
      throw new ArgError(`--sla ${opts['--sla']}: not JSON (${(e as Error).message})`);
    }
    if (typeof sla !== 'object' || sla === null || Array.isArray(sla)) throw new ArgError(`--sla ${opts['--sla']}: not a JSON object of severity → {acknowledgeMinutes, closeMinutes}`);
    // targets that are not minutes ≥ 0 are left out and said, as for the setting
    run.sla = sla as Record<string, SlaTarget>;
  }
  // `--md -` / `--html -`: that report on stdout instead of the text report (one of them; not with --json)
  const toStdout = mdToStdout('--md', opts['--md'], !!opts['--json'], (m) => new ArgError(m)) ? '--md' : mdToStdout('--html', opts['--html'], !!opts['--json'], (m) => new ArgError(m)) ? '--html' : undefined;
  if (opts['--md'] === '-' && opts['--html'] === '-') throw new ArgError('--md - and --html - both write to stdout: give one of them a file name');
  for (const o of ['--html', '--md']) {
    if (!opts[o] || opts[o] === '-') continue;
    const out = outputPath(o, opts[o]);
    for (const f of [...files, ...(run.rulesPath ? [run.rulesPath] : [])]) if (await isSameFile(out, f)) throw new ArgError(`${o} must differ from the input file ${f}`);
  }
  // one file for both reports: the Markdown was written over the HTML report, exit 0 and no word
  if (opts['--html'] && opts['--md'] && opts['--html'] !== '-' && opts['--md'] !== '-' && (await isSameFile(outputPath('--html', opts['--html']), outputPath('--md', opts['--md']))))
    throw new ArgError(`--html and --md name the same file (${opts['--md']}): the Markdown report would replace the HTML report; give each its own file`);
  const a = await runKpiAnalysis(files, run);
  // an --html / --md file that is one of the files read (a case file found in a named folder, a list beside the
  // offenses, the rules, a link to one): exit 2, nothing written
  const outputs = (['--html', '--md'] as const).filter((o) => opts[o] && opts[o] !== '-').map((o) => ({ option: o, given: opts[o] }));
  if (outputs.length && outputIsInputExit(io, outputs, kpiInputFiles(a, opts['--sla']), 'soc-analytics kpi --help')) return 2;
  const report = kpiReportOf(a, zone);
  // the report's paths relative to the working directory when they are below it (`cases/week1.csv`), else absolute
  const meta = { title: `SOC KPI report: ${files.map((f) => path.basename(f)).join(', ')}`, inputs: files, rulesFile: a.rulesFile, rules: a.rules, errors: a.errors, generatedAt: Date.now(), baseDir: process.cwd() };
  // no case read: no report file of zeros either (the KPIs are unavailable, not zero; exit 3 below)
  const noCases = a.input.cases.length === 0;
  for (const o of ['--html', '--md'] as const) {
    if (!opts[o]) continue;
    if (noCases) io.stderr(`soc-analytics: kpi: ${o} ${terminalSafe(opts[o])} not written: no case was read (the KPIs are unavailable, not zero)\n`);
    else if (o === toStdout) io.stdout(o === '--html' ? renderKpiReportHtml(report, meta) : renderKpiReportMarkdown(report, meta));
    else await writeOutputFile(opts[o], o === '--html' ? renderKpiReportHtml(report, meta) : renderKpiReportMarkdown(report, meta));
  }
  if (toStdout && !noCases) {
    // the report went to stdout in place of the text report
  } else if (opts['--json']) {
    const doc = {
      source: a.input.source,
      fileSources: a.input.fileSources ?? {},
      files: a.input.files,
      skipped: a.input.skipped ?? [],
      cases: report.cases,
      zone: report.zone,
      shiftZone: report.shiftZone,
      shifts: report.shifts,
      asOf: iso(report.asOf),
      asOfCut: report.asOfCut,
      period: { from: iso(report.period.from), to: iso(report.period.to) },
      mapping: a.input.mapping,
      missing: a.input.missing,
      ...(a.input.lacking ? { lacking: a.input.lacking } : {}),
      rules: { ...a.rules, origin: rulesOrigin, ...(unusedWorkspaceRules ? { unusedWorkspaceFile: unusedWorkspaceRules } : {}) },
      tags: report.tags,
      kpis: noCases ? null : report.kpis, // null: unavailable (no case read), never a set of zeros
      coverage: report.coverage,
      notes: report.notes,
      errors: a.errors.map((e) => ({ file: e.file, line: e.line, message: e.message })),
    };
    io.stdout(JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
  } else if (a.input.cases.length === 0) {
    // nothing to analyze: no report of zeros ("0 acknowledge breaches", "Day: 0 created") — the KPIs are unavailable,
    // never zero (a new-user trial); only why, per file, and the files skipped (the exit-3 line on stderr points here)
    const one = (t: string) => terminalSafe(t);
    let s = a.rules.error ? `ERROR: tagging rules file could not be read: ${one(rulesErrorLocation(a.rules.error))}: ${one(a.rules.error.message)}\n\n` : '';
    s += `No cases found (${sourceText(a.input)}): nothing to analyze — no KPI report (the KPIs are unavailable, not zero)\n`;
    for (const e of a.errors.filter((x) => x.line === 0)) s += `No cases: ${one(path.basename(e.file))}: ${one(e.message)}\n`;
    const notes = a.input.notes.filter((n) => n !== SEED_RULES_NOTE);
    if (notes.length) {
      s += '\nNotes\n';
      for (const n of notes) s += `  - ${one(n)}\n`;
    }
    const lineErrors = a.errors.filter((x) => x.line > 0);
    if (lineErrors.length) s += `\n${kpiProblemsText(lineErrors)}`;
    io.stdout(s);
  } else {
    // one line per entry: line breaks in input-derived text (an analyst named "x\n  MTTA …: 0 s") are escaped, not printed
    const one = (t: string) => terminalSafe(t);
    let s = '';
    if (a.rules.error) s += `ERROR: tagging rules file could not be read: ${one(rulesErrorLocation(a.rules.error))}: ${one(a.rules.error.message)}\n  ${RULES_ERROR_CONSEQUENCE}\n\n`;
    s += `${report.cases} case${report.cases === 1 ? '' : 's'} (${sourceText(a.input)}), display zone ${zone}, KPIs as of ${isoUtc(report.asOf)}\n`;
    // a past as-of time: the cases of the input that did not exist yet are said where the count is
    if (report.asOfCut.createdAfter) s += `  (${report.asOfCut.createdAfter} more in the input, created after the as-of time, ${report.asOfCut.createdAfter === 1 ? 'is' : 'are'} left out)\n`;
    // no cases at all: why, per file, first (it was only the last "problem" line)
    if (report.cases === 0) for (const e of a.errors.filter((x) => x.line === 0)) s += `No cases: ${one(path.basename(e.file))}: ${one(e.message)}\n`;
    s += `Tagging rules: ${one(rulesLine)}\n\n`;
    if (a.rules.error) s += `Tags: none — the cases were NOT tagged (the rules file could not be read)\n`;
    else {
      s += 'Tags (first matching rule wins)\n';
      for (const t of report.tags) s += `  ${String(t.count).padStart(6)}  ${one(t.tag)}\n`;
    }
    s += '\nKPIs\n';
    for (const r of kpiSummaryRows(report)) s += `  ${r.title}: ${one(r.value)}\n`;
    // the SLA rows per severity (the summary line gives totals only; an analyst trial asked which severity breaches)
    const sla = report.kpis.slaBreaches;
    if (sla.available && sla.value.rows.length) {
      // the KPIs' one duration format (`15 min`, `4 h`, `1 d`), as the Markdown report and the dashboard write durations
      const mins = (m: number | undefined) => (m === undefined ? '-' : formatDuration(m * 60_000));
      const of = (n: number, d: number) => (d ? `${n} of ${d}` : '-');
      s += '\nSLA per severity (breaches of the cases checked)\n';
      s += textTable(
        ['SEVERITY', 'CASES', 'ACK TARGET', 'ACK BREACHES', 'CLOSE TARGET', 'CLOSE BREACHES', 'OPEN PAST TARGET'],
        sla.value.rows.map((r) => [r.severity, String(r.cases), mins(r.target.acknowledgeMinutes), of(r.ackBreaches, r.ackChecked), mins(r.target.closeMinutes), of(r.closeBreaches, r.closeChecked), String(r.openOverdue)]),
        [false, true, true, true, true, true, true],
      ).replace(/^(?=.)/gm, '  ');
      // which cases (an analyst follows up cases, not counts): id, else file:line; the first 20
      const b = sla.value.breaches;
      if (b.length) {
        const name = (x: (typeof b)[number]) => one(x.id ?? `${path.basename(x.file)}:${x.line}`);
        s += `  Cases that breached: ${b.slice(0, 20).map((x) => `${name(x)} (${x.kinds.join(', ')})`).join('; ')}${b.length > 20 ? `; … ${b.length - 20} more (--json kpis.slaBreaches.value.breaches)` : ''}
`;
      }
    }
    const cov = report.coverage;
    if (cov && !a.rules.error) {
      const label = (i: number) => {
        const r = cov.rules.find((x) => x.index === i);
        return `#${i + 1} ${one(r?.tag ?? '')}`;
      };
      const disabled = cov.rules.filter((x) => x.disabled);
      const neverMatched = cov.neverMatched.filter((i) => !cov.rules.find((x) => x.index === i)?.disabled);
      s += '\nTagging rules coverage\n';
      s += `  disabled: ${disabled.length ? disabled.map((x) => `${label(x.index)} (${one(x.disabled!)})`).join('; ') : 'none'}\n`;
      s += `  never match: ${neverMatched.length ? neverMatched.map(label).join(', ') : 'none'}\n`;
      s += `  never win (earlier rules match first): ${cov.neverWins.length ? cov.neverWins.map(label).join(', ') : 'none'}\n`;
      s += `  cases matched by several rules: ${cov.multiMatched.count}\n`;
      s += `  untagged (${one(a.tagging.defaultTag)}): ${cov.unmatched.count}` + (cov.unmatched.groups.length ? '; largest groups:' : '') + '\n';
      for (const g of cov.unmatched.groups.slice(0, 5)) s += `  ${String(g.count).padStart(6)}  ${one(g.text)}\n`;
    }
    if (report.notes.length) {
      s += '\nNotes\n';
      for (const n of report.notes) s += `  - ${one(n)}\n`;
    }
    if (a.errors.length) s += `\n${kpiProblemsText(a.errors)}`;
    io.stdout(s);
  }
  // a --map column no file has, and tables skipped for their columns: said on stderr too (only in the last notes)
  for (const u of a.input.unmatchedMapping ?? []) io.stderr(`soc-analytics: kpi: --map: ${terminalSafe(unmatchedMappingText(u))}\n`);
  const unrec = a.input.unrecognised ?? [];
  if (unrec.length) {
    const files = unrec.flatMap((g) => g.files);
    const g = unrec.find((x) => x.guess);
    const how = g ? `map ${files.length === 1 ? 'its' : 'their'} columns, e.g. ${unrec.length > 1 ? `for ${fileList(g.files)}: ` : ''}--map "${mappingSpec(g.guess!)}"` : `map ${files.length === 1 ? 'its' : 'their'} columns with --map "column=field,…"`;
    io.stderr(`soc-analytics: kpi: warning: ${files.length} file${files.length === 1 ? '' : 's'} skipped, columns not recognised as a case export (${terminalSafe(fileList(files))}): to read ${files.length === 1 ? 'it' : 'them'}, ${terminalSafe(how)} (see Notes)\n`);
  }
  if (a.rules.error) {
    // the KPIs are printed (those not depending on tags are right), but the run is not a success
    io.stderr(`soc-analytics: kpi: tagging rules file could not be read: ${terminalSafe(rulesErrorLocation(a.rules.error))}: ${terminalSafe(a.rules.error.message)} — the cases were NOT tagged\n`);
    return 2;
  }
  // no case in any input (empty or header-only files): exit 3, as loki, qradar and beacons finding nothing
  if (a.input.cases.length === 0) return nothingRead(io, 'no case was read', a.input.skipped?.length ?? 0);
  return 0;
}

/** Most problems the `kpi` text report lists (then `… and N more (--json lists them all)`), as `qradar` lists its. */
export const KPI_PROBLEMS_SHOWN = 20;

/**
 * The problems of a `kpi` run as the text report lists them, as `qradar` does: `3 problems:` then one line each,
 * `  <file name>:<line>: <message>` (a file's own problem without `:line`; line breaks and control characters in input
 * text escaped), at most {@link KPI_PROBLEMS_SHOWN}, then `  … and N more (--json lists them all)`. It listed only
 * the first (`3 problems; first: broken.csv:2 …`; new-user trial). Ends with a line break; '' for none.
 */
export function kpiProblemsText(errors: readonly { file: string; line: number; message: string }[]): string {
  if (errors.length === 0) return '';
  let s = `${errors.length === 1 ? '1 problem' : `${errors.length} problems`}:\n`;
  for (const e of errors.slice(0, KPI_PROBLEMS_SHOWN)) s += `  ${terminalSafe(problemWhere(path.basename(e.file), e.line))}: ${terminalSafe(e.message)}\n`;
  if (errors.length > KPI_PROBLEMS_SHOWN) s += `  … and ${errors.length - KPI_PROBLEMS_SHOWN} more (--json lists them all)\n`;
  return s;
}

/**
 * Every file a `kpi` run read or may have read: the case files (also those found inside named folders), the rules
 * file, `--sla`, `--closing-reasons`, and the closing-reasons and rules lists beside QRadar offenses files.
 */
function kpiInputFiles(a: KpiAnalysis, sla: string | undefined): string[] {
  const offenses = Object.entries(a.input.fileSources ?? {}).filter(([, k]) => k === 'qradar-offenses').map(([f]) => f);
  return [
    ...a.input.files,
    ...(a.rulesFile ? [a.rulesFile] : []),
    ...(sla ? [sla] : []),
    ...(a.options.closingReasonsPath ? [a.options.closingReasonsPath] : []),
    ...offenses.flatMap((f) => [...closingReasonsCandidates(f), ...rulesCandidates(f)]),
  ];
}

/** What `generic` (--json `source`) means, as the text report says it: a case file read by the generic case reader. */
export const GENERIC_CASES_TEXT = 'case export, columns mapped by the generic case reader';

/**
 * The input's kind for the report's first line, in words: `case export, columns mapped by the generic case reader` (--json
 * `source` `generic`: a CSV / JSON case file whose columns were matched to case fields by their names or --map, not a
 * known tool's export), `QRadar offenses`, or `mixed: 1 case export (generic case reader), 1 QRadar offenses file`.
 */
function sourceText(input: KpiAnalysis['input']): string {
  if (input.source === 'generic') return GENERIC_CASES_TEXT;
  if (input.source === 'qradar-offenses') return 'QRadar offenses';
  const kinds = Object.values(input.fileSources ?? {});
  const n = (k: string) => kinds.filter((x) => x === k).length;
  const g = n('generic');
  const q = n('qradar-offenses');
  return `mixed: ${g} case ${g === 1 ? 'export' : 'exports'} (generic case reader), ${q} QRadar offenses ${q === 1 ? 'file' : 'files'}`;
}

/**
 * Runs `tz …` / `kpi …` (argv after the command name). Resolves to the exit code; bad arguments → 2
 * with a message on stderr. Other errors propagate to `main` (exit 1).
 */
export async function runTzKpiCommand(cmd: 'tz' | 'kpi', args: string[], io: SubIO): Promise<number> {
  try {
    if (cmd === 'kpi') return await kpi(args, io);
    const [sub, ...rest] = args;
    if (sub === '--help' || sub === '-h' || sub === undefined) {
      (sub === undefined ? io.stderr : io.stdout)(TZ_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'at') return tzAt(rest, io);
    if (sub !== 'convert') throw new ArgError(`unknown tz command: ${sub} (expected "convert" or "at")`);
    return await tzConvert(rest, io);
  } catch (e) {
    return argErrorExit(e, ArgError, io, `soc-analytics ${cmd} --help`);
  }
}
