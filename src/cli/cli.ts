/**
 * `soc-analytics` command-line tool (bundled to dist/cli.js with a shebang). OWNER: analytics helper.
 *
 *   soc-analytics loki <path…> [--json] [--all-scans] [--zone <zone>] [--expected-hosts <file>]
 *   soc-analytics --help | --version
 *
 * The logic lives in {@link main} (testable in-process); the bottom of the file runs it when this
 * module is the program's entry point.
 */
import { terminalErrorText, terminalSafe } from '../core/text-safe';
import { problemWhere } from '../core/model/common';
import { writeFdSync } from './stdout';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runLokiAnalysis, type LokiProgress } from '../core/analyze/run-loki';
import { LOKI_RESULTS_NOTE, hostVerdictLabel, lokiResultsSummary, lokiNothingRead, lokiResultsText, lokiScanId, ruleCells, ruleNamer, scannerCaveats, setAsideCounts, setAsideFindingsText, setAsideScansText, type LokiAnalysis } from '../core/analyze/loki-summary';
import type { FindingList, LokiFinding } from '../core/model/loki';
import { hashHostsText } from '../core/analyze/hash-tally';
import { MAX_MEMO_KEY_CHARS } from '../core/parse/loki-intern';
import { writeJsonItems } from '../core/json-out';
import { formatTime, isoUtc, isoUtcCached, isValidZoneSetting, legacyFixedZoneNote, resolveZone, unknownZoneMessage, ZONE_HINT } from '../core/time';
import { qradarCli } from '../core/analyze/qradar-report';
import { beaconsCommand } from '../core/analyze/beacons/cli';
import { runTzKpiCommand, TZ_KPI_USAGE } from './tz-kpi';
import { mdOptionsHelp, nothingRead, outputIsInputExit, pathProblem, readingText, resolveReadable, startPathCommand, mdToStdout, takeMdOption, textTable, ttyProgress, writeMdFile } from '../core/cli-support';
import { fleetReport, noHostReason, readExpectedHosts, type ExpectedHostList, type FleetReport } from '../core/analyze/fleet-coverage';
import { fleetCoverageJson, fleetCoverageText } from './fleet-report';
import { lokiMarkdown, inputsTitle } from '../core/export/markdown-summary';
import { qradarApiCli, QRADAR_API_USAGE } from '../core/qradar-api/cli';

/** Where the CLI writes; `process` streams in production, buffers in tests. */
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  /** When true, progress is written to stderr (only then). */
  stderrIsTTY?: boolean;
  /** Replaces the analysis runner (tests). */
  run?: typeof runLokiAnalysis;
}

export const USAGE = `Usage:
  soc-analytics loki <path…> [--json] [--all-scans] [--zone <zone>] [--expected-hosts <file>]
                 [--md FILE [--defang]]
  soc-analytics qradar <file-or-folder…> [--closing-reasons F] [--tz ZONE] [--console-tz ZONE] [--escalated TEXT,…]
                 [--false-positive TEXT,…] [--top N] [--json] [--md FILE [--defang]]
  soc-analytics beacons <path…> [--algorithm rita-v5|rita-legacy] [--min-score X] [--internal CIDR,…|none]
                 [--safelist ENTRY,…] [--map col=field,…|zeek-http|firewall-csv|qradar-flows] [--single-window]
                 [--console-tz ZONE] [--zone ZONE] [--json] [--md FILE [--defang]]
${TZ_KPI_USAGE}${QRADAR_API_USAGE}  soc-analytics --help
  soc-analytics --version

Each subcommand has its own help: soc-analytics <subcommand> --help (or -h); -V / --version after
a subcommand prints the version too.

Exit codes: 0 success (also with unparsed lines), 1 unexpected failure,
2 bad arguments or a path that does not exist or cannot be read (also tz: a zone, format or time that
cannot be read, a compressed or binary input, an existing --out without --force; kpi: a tagging rules
file that cannot be used, the report still printed), 3 nothing to analyze:
no input of the command's kind among the paths (loki, qradar, beacons), not one connection read from
the files (beacons), an empty or header-only input (tz convert: nothing written) or no case in the case
files (kpi), 4 qradar-fetch / qradar-count: the QRadar API could not be reached or answered with an
error, or the fetch was interrupted (a partial fetch is kept: --resume completes it).
`;

/** `soc-analytics loki --help`. */
export const LOKI_USAGE = `Usage: soc-analytics loki <path…> [--json] [--all-scans] [--zone <zone>] [--expected-hosts <file>]
       [--md FILE [--defang]]

Analyzes Loki / Loki-RS scan results (files or folders, searched recursively) from many endpoints.

Options for "loki":
  --json          print one JSON object (summary, hosts, findings, rules, hashes, hashesTotal, errors, …);
                  times in ISO 8601 UTC
  --all-scans     keep every scan of a host (default: only the latest scan per host, and the last finished
                  one beside it when the latest did not finish); each scan is a row of its own (host,
                  verdict, counts, scan start and end) in the hosts table and --json "hosts"
  --zone <zone>   display zone for the text output: UTC (default), local, an IANA name such as Europe/Berlin,
                  or a fixed offset such as UTC+3 (--tz is the same option)
  --expected-hosts <file>
                  the hosts the sweep should have covered: a text file (one host per line; blank lines and
                  # comments ignored) or a CSV export (column host, hostname, computer name, device name,
                  name or fqdn, else the first). Adds a "Fleet coverage" section (expected hosts without a
                  scan, scanned hosts not on the list) and --json "coverage". Names match case-insensitively;
                  ws01 and WS01.corp.local are one host (first DNS label). A list that cannot be read or
                  gives no host: exit 2
${mdOptionsHelp(18)}  -h, --help      show this help
  -V, --version   show the version

Exit codes: 0 success (also with unparsed lines), 1 unexpected failure,
2 bad arguments or a path that does not exist or cannot be read, 3 no Loki result file among the paths
(or none of them could be read).
`;

const LOKI_HINT = 'soc-analytics loki --help';

/** The package version, read from the nearest `package.json` named `soc-analytics` above this file. */
export function cliVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const j = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (j.name === 'soc-analytics' && j.version) return j.version;
      } catch {
        /* keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return 'unknown';
}

interface LokiArgs {
  paths: string[];
  json: boolean;
  allScans: boolean;
  zone: string;
  /** --expected-hosts: the list file as given. */
  expectedHosts?: string;
  /** `--md FILE`: also write the ticket summary there; `--defang`: defang it. */
  md?: string;
  defang?: boolean;
}

class ArgError extends Error {}

function parseLokiArgs(args: string[]): LokiArgs | 'help' {
  const out: LokiArgs = { paths: [], json: false, allScans: false, zone: 'UTC' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.paths.push(...args.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') return 'help';
    const md = takeMdOption(args, i, out, (m) => new ArgError(m));
    if (md >= 0) i = md;
    else if (a === '--json') out.json = true;
    else if (a === '--all-scans') out.allScans = true;
    else if (a === '--zone' || a.startsWith('--zone=') || a === '--tz' || a.startsWith('--tz=')) {
      // --tz as qradar and kpi spell it
      const v = a === '--zone' || a === '--tz' ? args[++i] : a.slice(a.indexOf('=') + 1);
      if (v === undefined || v === '') throw new ArgError(`--zone needs a value (${ZONE_HINT})`);
      if (!isValidZoneSetting(v)) throw new ArgError(unknownZoneMessage(a.startsWith('--tz') ? '--tz' : '--zone', v));
      out.zone = resolveZone(v);
    } else if (a === '--expected-hosts' || a.startsWith('--expected-hosts=')) {
      const v = a === '--expected-hosts' ? args[++i] : a.slice(a.indexOf('=') + 1);
      if (v === undefined || v.trim() === '') throw new ArgError('--expected-hosts needs a file (one host per line, or a CSV export)');
      out.expectedHosts = v;
    } else if (a.startsWith('-') && a !== '-') throw new ArgError(`unknown option: ${a}`);
    else out.paths.push(a);
  }
  if (out.paths.length === 0) throw new ArgError('no path given: soc-analytics loki <path…>');
  mdToStdout('--md', out.md, out.json, (m) => new ArgError(m));
  return out;
}

/** The zone options of every command; `tz` also reads zones from `--from` / `--to` (a comma list for `tz at`). */
const ZONE_OPTIONS = ['--zone', '--tz', '--console-tz', '--source-zone'];

/**
 * {@link legacyFixedZoneNote} of each zone option value of `args` (command `cmd`) that is `EST`, `MST` or `HST`, once
 * per name: `--zone EST`, `--tz=mst`, `tz at … --to UTC,HST`. Not an error: the zone is used as given.
 */
export function legacyZoneNotes(cmd: string, args: string[]): string[] {
  const names = cmd === 'tz' ? [...ZONE_OPTIONS, '--from', '--to'] : ZONE_OPTIONS;
  const notes = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (!names.includes(name)) continue;
    const v = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i];
    for (const z of (v ?? '').split(',')) {
      const note = legacyFixedZoneNote(z);
      if (note) notes.set(z.trim().toLowerCase(), note);
    }
  }
  return [...notes.values()];
}

/**
 * Runs the CLI. `argv` are the arguments after the script (`process.argv.slice(2)`).
 * Resolves to the exit code: 0 success (also with unparsed lines), 1 unexpected failure (message
 * on stderr; when stdout had part of the report, {@link INCOMPLETE_OUTPUT} too), 2 bad arguments or a missing/unreadable path (message on stderr), 3 nothing to analyze
 * (`loki`, `qradar`, `beacons`: no input file of that kind among the paths; the report is still
 * printed, and a message on stderr). Never rejects.
 */
export async function main(argv: string[], given: CliIO): Promise<number> {
  // whether the report had begun when an unexpected failure stopped it: stdout then holds a cut-off report (a log
  // changed while `loki --json` streamed its findings left half a JSON document), which stderr says
  let wrote = false;
  const io: CliIO = {
    ...given,
    stdout: (s) => {
      if (s) wrote = true;
      given.stdout(s);
    },
  };
  try {
    if (argv.length === 0) {
      io.stderr(USAGE);
      return 2;
    }
    const [cmd, ...rest] = argv;
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
      io.stdout(`${cliVersion()}\n`);
      return 0;
    }
    // `<command> -V` / `--version` alone: the version, as each command's help lists it (loki listed it, no command took it)
    if (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V')) {
      io.stdout(`${cliVersion()}\n`);
      return 0;
    }
    // EST, MST, HST are accepted (the tz database's fixed offsets); what they are is said once, before the command runs
    for (const note of legacyZoneNotes(cmd, rest)) io.stderr(`soc-analytics: note: ${note}\n`);
    if (cmd === 'qradar') return await qradarCli(rest, io, filePathProblem);
    if (cmd === 'beacons') return await beaconsCommand(rest, io);
    if (cmd === 'tz' || cmd === 'kpi') return await runTzKpiCommand(cmd, rest, io);
    if (cmd === 'qradar-fetch' || cmd === 'qradar-count') return await qradarApiCli(cmd, rest, io);
    if (cmd !== 'loki') {
      io.stderr(`soc-analytics: unknown command: ${cmd}\n\n${USAGE}`);
      return 2;
    }
    const start = startPathCommand(io, { parse: () => parseLokiArgs(rest), argError: ArgError, hint: LOKI_HINT, usage: LOKI_USAGE, pathProblem: filePathProblem });
    if (typeof start === 'number') return start;
    const { args, paths } = start;
    const list = args.expectedHosts === undefined ? undefined : await expectedHostsArg(args.expectedHosts, io);
    if (list === null) return 2;
    const run = io.run ?? runLokiAnalysis;
    const progress = ttyProgress<LokiProgress>(io, readingText);
    const analysis = await run(paths, { includeAllScans: args.allScans, onProgress: progress.onProgress });
    progress.done();
    // an --md file that is one of the files read (found in a named folder, or a link to one): nothing written, exit 2
    const mdOut = args.md === '-'; // the summary on stdout instead of the report
    if (args.md !== undefined && !mdOut && outputIsInputExit(io, [{ option: '--md', given: args.md }], [...(analysis.files ?? []).map((f) => f.file), ...(args.expectedHosts === undefined ? [] : [args.expectedHosts])], LOKI_HINT)) return 2;
    const fleet = list && args.expectedHosts !== undefined ? fleetReport(args.expectedHosts, list, analysis.hosts) : undefined;
    if (args.json) writeJson(analysis, io, fleet);
    else if (!mdOut) io.stdout(textReport(analysis, args.zone, fleet));
    if (args.md !== undefined) {
      const md = lokiMarkdown(analysis, { zone: args.zone, defang: args.defang, title: inputsTitle(args.paths) }, fleet?.coverage);
      if (mdOut) io.stdout(md);
      else if (await writeMdFile(io, args.md, md)) return 1;
    }
    if (analysis.summary.files === 0) return nothingRead(io, 'no Loki result file was found', analysis.skipped?.length ?? 0);
    // every file it found could not be read (permission denied): nothing was read, as qradar and beacons say (it was
    // "1 file, 0 hosts", exit 0)
    const unread = lokiNothingRead(analysis);
    if (unread) return nothingRead(io, `no Loki result file could be read (${unreadableFilesText(unread)})`, analysis.skipped?.length ?? 0);
    return 0;
  } catch (e) {
    io.stderr(`soc-analytics: ${terminalErrorText(e instanceof Error ? e.message : String(e))}\n`);
    if (wrote) io.stderr(`soc-analytics: ${INCOMPLETE_OUTPUT}\n`);
    return 1;
  }
}

/** Said on stderr after an unexpected failure (exit 1) once part of the report was on stdout. */
export const INCOMPLETE_OUTPUT = 'the output on stdout is incomplete (cut off by this error; a --json document is not valid JSON): do not use it';

/** A missing, unreadable or special (FIFO, socket, device) path. */
const filePathProblem = (p: string): string | undefined => pathProblem(p, true);

/** The --expected-hosts list, read; null (after `soc-analytics: --expected-hosts <given>: <why>` on stderr: exit 2) when the file cannot be read or gave no host ({@link noHostReason}). */
async function expectedHostsArg(given: string, io: CliIO): Promise<ExpectedHostList | null> {
  const [file] = resolveReadable([given], io, (p) => pathProblem(p, true) ?? (statSync(p).isDirectory() ? 'is a folder: give the list file itself' : undefined), '--expected-hosts') ?? [];
  if (file === undefined) return null;
  try {
    const list = await readExpectedHosts(file);
    const none = noHostReason(list);
    if (none === undefined) return list;
    // a list that gave no host is no coverage: as unreadable as a missing file
    io.stderr(`soc-analytics: --expected-hosts ${terminalSafe(given)}: ${terminalSafe(none)}\n${list.problems.slice(0, 5).map((p) => `  ${terminalSafe(given)}:${p.line}: ${terminalSafe(p.message)}\n`).join('')}`);
    return null;
  } catch (e) {
    io.stderr(`soc-analytics: --expected-hosts ${terminalErrorText(given)}: ${terminalErrorText((e as Error).message)}\n`);
    return null;
  }
}

const isoOrNull = (ms: number | undefined): string | null => isoUtc(ms) || null;
export { isoUtcCached };

/**
 * Most characters of JSON that {@link writeJson} keeps for repeated texts and reasons arrays (one
 * budget for both memos). The writer streams; without a bound, distinct long texts (e.g. paths of
 * control characters, six JSON characters each) were all kept until the end: a 62 MB log ran out
 * of a 300 MB heap that the streaming writer never needed.
 */
export const JSON_MEMO_CHARS = 1 << 23;
export { WRITE_CHUNK_CHARS } from '../core/json-out';
const nul = <V>(v: V | undefined): V | null => (v === undefined ? null : v);

/**
 * The `--json` document, written in pieces (findings in batches) so that very large results never
 * need one huge string. Shape: `{summary, hosts, findings, rules, errors}` (see USAGE / README), plus `coverage` with `fleet` (--expected-hosts, see fleetCoverageJson);
 * `hosts` has one entry per kept scan ({@link LokiAnalysis.scans}), `summary.hosts` counts distinct hosts.
 * Orders (documented in README's Command line section; the same whatever order the paths were given in):
 * `hosts` as the text report's Hosts table (most alerts, then warnings, then notices, then host name case ignored;
 * a host's scans oldest first), `setAside` by host, then scan start (oldest first), then file, `findings` in
 * file/line order (the files by path, as discovery sorts them; each file's findings by line), `rules` most severe
 * first ({@link LokiAnalysis.rules}).
 */
export function writeJson(a: LokiAnalysis<FindingList>, io: Pick<CliIO, 'stdout'>, fleet?: FleetReport): void {
  const s = a.summary;
  const hidden = setAsideCounts(a.setAside);
  const summary = {
    files: s.files,
    hosts: s.hosts,
    hostsWithFindings: s.hostsWithFindings,
    alerts: s.alerts,
    warnings: s.warnings,
    notices: s.notices,
    unparsedLines: s.unparsedLines,
    cleanHosts: s.cleanHosts,
    // hosts without alert/warning findings whose scanner logged errors (YARA rules it could not load): verdict
    // "incomplete", not clean
    incompleteByScannerErrors: s.incompleteByScannerErrors ?? 0,
    scansSetAside: s.scansSetAside,
    incompleteHosts: s.incompleteHosts,
    setAsideAlerts: hidden.alerts,
    setAsideWarnings: hidden.warnings,
    errors: a.errors.length,
    scannerErrors: s.scannerErrors,
    skippedFiles: a.skipped?.length ?? 0,
    // non-detection ALERT/WARNING lines of the scanners (not elevated, drives skipped, YARA timeouts…): scannerMessages
    scannerCaveats: s.scannerCaveats ?? 0,
    cleanWithCaveats: s.cleanWithCaveats ?? 0,
    // of `files`, those that could not be read at all (permission denied): all of them is exit 3
    unreadableFiles: (a.files ?? []).filter((f) => f.unreadable).length,
  };
  // One entry per kept scan (per host unless --all-scans kept several scans of a host).
  const perScan = a.scans.length > a.hosts.length;
  const scansIn = new Map<string, number>();
  for (const f of a.files ?? []) if (typeof f.scans === 'number') scansIn.set(f.file, f.scans);
  // with several scans of a host kept, each finding names its scan (hosts[].scanId); else nothing is added
  const scanIdJson = (f: LokiFinding): string => (perScan ? ',"scanId":' + jsonOf(lokiScanId(f.source.file, f.scanIndex, scansIn.get(f.source.file))) : '');
  const hosts = a.scans.map((h) => ({
    host: h.host,
    verdict: h.verdict,
    // the scan did not finish (interrupted, no result): `verdict` is what its findings show
    incomplete: h.incomplete === true,
    // no alert/warning finding, but the scanner logged errors (rules it could not load): `verdict` is "incomplete", not clean
    incompleteByScannerErrors: h.incompleteByScannerErrors === true,
    alerts: h.alerts,
    warnings: h.warnings,
    notices: h.notices,
    // the host's top finding: its score (null: none logged one) and the rule key of its strongest reason (as rules[].rule)
    maxScore: h.maxScore ?? null,
    topRule: h.topRule ?? null,
    // Loki's own count (its Results line / Loki-RS scan end), not ours: it also counts its lines that are no finding
    lokiResults: h.lokiResults ?? null,
    lokiVersion: nul(h.lokiVersion),
    scanStart: isoOrNull(h.scanStart),
    scanEnd: isoOrNull(h.scanEnd),
    scannerErrors: h.scanErrors,
    // coverage caveats of the scan (its lines are in scannerMessages): a clean verdict with some is not a plain clean
    scannerCaveats: h.caveats ?? 0,
    notElevated: h.notElevated === true,
    // the log the scan is in (of a host's latest scan without --all-scans): two scans with the same times are told apart
    file: h.file,
    // with several scans of a host kept (--all-scans): which scan, as the findings' scanId
    ...(perScan && h.scanId !== undefined ? { scanId: h.scanId } : {}),
  }));
  // the scans left out (only each host's latest is kept without --all-scans): which, and what they hold
  const setAside = (a.setAside ?? []).map((x) => ({ host: x.host, file: x.file, scanStart: isoOrNull(x.scanStart), findings: x.findings, alerts: x.alerts, warnings: x.warnings, ...(x.future ? { future: true } : {}) }));
  io.stdout(`{"summary":${JSON.stringify(summary)},\n"hosts":${JSON.stringify(hosts)},\n"setAside":${JSON.stringify(setAside)},\n"findings":[`);
  const iso = isoUtcCached();
  // Findings of one run share their reasons arrays (see src/core/parse/loki-intern.ts): their JSON is
  // built once per array. Each finding is `JSON.stringify` of the object below, assembled from the
  // JSON of its parts (same bytes: the object's JSON is its members' JSON joined in key order).
  let memoChars = 0; // JSON characters kept by the two memos below (at most JSON_MEMO_CHARS)
  const reasonsJson = new Map<LokiFinding['reasons'], string>();
  const reasonsText = (rs: LokiFinding['reasons']): string => {
    let t = reasonsJson.get(rs);
    if (t === undefined) {
      t = JSON.stringify(
        rs.map((r) => ({
          kind: r.kind,
          rule: r.rule,
          subscore: nul(r.subscore),
          description: nul(r.description),
          ref: nul(r.ref),
        })),
      );
      if (reasonsJson.size < 100_000 && memoChars + t.length <= JSON_MEMO_CHARS) {
        reasonsJson.set(rs, t);
        memoChars += t.length;
      }
    }
    return t;
  };
  // JSON of repeated texts (hosts, modules, paths, file names: shared strings), built once.
  const textJson = new Map<string, string>();
  const jsonOf = (t: string): string => {
    if (t.length > MAX_MEMO_KEY_CHARS) return JSON.stringify(t); // see MAX_MEMO_KEY_CHARS: no long Map keys
    let j = textJson.get(t);
    if (j === undefined) {
      j = JSON.stringify(t);
      if (textJson.size < 200_000 && memoChars + j.length <= JSON_MEMO_CHARS) {
        textJson.set(t, j);
        memoChars += j.length;
      }
    }
    return j;
  };
  const optText = (v: string | undefined): string => (v === undefined ? 'null' : JSON.stringify(v));
  writeJsonItems((t) => io.stdout(t), a.findings, (f) => {
    const src = f.source;
    if (
      typeof f.host === 'string' && typeof f.level === 'string' && typeof f.module === 'string' &&
      (f.path === undefined || typeof f.path === 'string') && (f.score === undefined || typeof f.score === 'number') &&
      (f.md5 === undefined || typeof f.md5 === 'string') && (f.sha1 === undefined || typeof f.sha1 === 'string') &&
      (f.sha256 === undefined || typeof f.sha256 === 'string') && typeof src.file === 'string' && typeof src.line === 'number'
    ) {
      // Well-typed finding: every member's JSON is the JSON.stringify of that value (strings,
      // finite numbers as String(n), null for undefined / NaN / ±Infinity).
      const t = iso(f.timestamp);
      const sc = f.score;
      return (
        '{"host":' + jsonOf(f.host) +
        ',"level":' + jsonOf(f.level) +
        ',"module":' + jsonOf(f.module) +
        ',"timestamp":' + (t === null ? 'null' : JSON.stringify(t)) +
        ',"path":' + (f.path === undefined ? 'null' : jsonOf(f.path)) +
        ',"score":' + (sc === undefined || !Number.isFinite(sc) ? 'null' : String(sc)) +
        ',"md5":' + optText(f.md5) +
        ',"sha1":' + optText(f.sha1) +
        ',"sha256":' + optText(f.sha256) +
        ',"reasons":' + reasonsText(f.reasons) +
        ',"source":{"file":' + jsonOf(src.file) + ',"line":' + (Number.isFinite(src.line) ? String(src.line) : 'null') + '}' +
        scanIdJson(f) +
        '}'
      );
    }
    const head = JSON.stringify({
      host: f.host,
      level: f.level,
      module: f.module,
      timestamp: iso(f.timestamp),
      path: nul(f.path),
      score: nul(f.score),
      md5: nul(f.md5),
      sha1: nul(f.sha1),
      sha256: nul(f.sha256),
    });
    return head.slice(0, -1) + ',"reasons":' + reasonsText(f.reasons) + ',"source":' + JSON.stringify({ file: src.file, line: src.line }) + scanIdJson(f) + '}';
  });
  // the verdict mix beside count: the rule's findings by level (LokiAnalysis.rules)
  const rules = a.rules.map((r) => ({ rule: r.rule, name: r.name ?? r.rule, count: r.count, alerts: r.alerts, warnings: r.warnings, notices: r.notices, hosts: r.hosts, kind: r.kind, description: nul(r.description), maxLevel: nul(r.maxLevel) }));
  const errors = a.errors.map((e) => ({ file: e.file, line: e.line, message: e.message }));
  const warnings = (a.warnings ?? []).map((e) => ({ file: e.file, line: e.line, message: e.message }));
  const scannerMessages = a.scannerMessages.map((m) => ({ host: m.host, level: m.level, module: m.module, timestamp: isoOrNull(m.timestamp), message: m.message, source: m.source }));
  const hashes = (a.hashes ?? []).map((h) => ({
    hash: h.hash,
    type: h.type,
    md5: h.type === 'MD5' ? h.hash : nul(h.md5),
    sha1: h.type === 'SHA1' ? h.hash : nul(h.sha1),
    sha256: h.type === 'SHA256' ? h.hash : nul(h.sha256),
    hosts: h.hosts,
    hostNames: h.hostNames,
    count: h.count,
    maxScore: h.maxScore,
    maxLevel: h.maxLevel,
    pathCount: h.pathCount,
    paths: h.paths,
    ruleCount: h.ruleCount,
    rules: h.rules,
  }));
  io.stdout(
    `],\n"rules":${JSON.stringify(rules)},\n"hashes":${JSON.stringify(hashes)},\n"hashesTotal":${a.hashesTotal ?? hashes.length},\n"errors":${JSON.stringify(errors)},\n"warnings":${JSON.stringify(warnings)},\n` +
      `"scannerMessages":${JSON.stringify(scannerMessages)},\n"skipped":${JSON.stringify(a.skipped ?? [])}` +
      (fleet ? `,\n"coverage":${JSON.stringify(fleetCoverageJson(fleet))}` : '') +
      '}\n',
  );
}


const TOP_N = 20;
/** Longest DESCRIPTION cell of the Loki Top rules table (characters; cut with …). */
const TOP_DESCRIPTION_WIDTH = 64;

/** The report's `Scanner caveats` lines (none when the kept scans have none): see scannerCaveats. */
function caveatsText(a: LokiAnalysis<FindingList>): string {
  const c = scannerCaveats(a);
  if (!c) return '';
  let out = `  Scanner caveats: ${c.headline}\n`;
  for (const m of c.lines) out += `    ${terminalSafe(m.host)}: ${m.level} ${terminalSafe(m.message)} (${terminalSafe(m.source.file)}:${m.source.line})\n`; // one line each
  const more = c.total - c.lines.length;
  if (more > 0) out += `    … ${more} more (--json lists them all in scannerMessages)\n`;
  return out;
}

/**
 * `/d/secret.csv: cannot read file: EACCES: permission denied, open '/d/secret.csv'` for the first of `unread`
 * (`lokiNothingRead`), and `, and 2 more` when there are others: the files a `loki` run could not read.
 */
function unreadableFilesText(unread: readonly { file: string; reason: string }[]): string {
  return `${terminalSafe(unread[0].file)}: ${terminalSafe(unread[0].reason)}${unread.length > 1 ? `, and ${unread.length - 1} more` : ''}`;
}

/** The human-readable report (times in `zone`); with `fleet` (--expected-hosts), a "Fleet coverage" section before the hosts. */
export function textReport(a: LokiAnalysis<FindingList>, zone: string, fleet?: FleetReport): string {
  const s = a.summary;
  let out = '';
  const unread = (a.files ?? []).filter((f) => f.unreadable).length;
  out += `Loki results: ${s.files} file${s.files === 1 ? '' : 's'}${unread ? ` (${unread} could not be read)` : ''}, ${s.hosts} host${s.hosts === 1 ? '' : 's'}\n`;
  out += `  Hosts with findings (alert/warning): ${s.hostsWithFindings}   Clean hosts: ${s.cleanHosts}${s.cleanWithCaveats ? ` (${s.cleanWithCaveats} with scanner caveats)` : ''}${s.incompleteByScannerErrors ? `   Incomplete scan (scanner errors): ${s.incompleteByScannerErrors}` : ''}${s.incompleteHosts > 0 ? `   Incomplete latest scan: ${s.incompleteHosts}` : ''}\n`;
  const n = (v: number, w: string) => `${v} ${w}${v === 1 ? '' : 's'}`;
  out += `  Findings read: ${n(s.alerts, 'alert')}, ${n(s.warnings, 'warning')}, ${n(s.notices, 'notice')}\n`;
  const own = lokiResultsSummary(a.scans, s);
  if (own) out += `  Loki Results lines: ${own} (${LOKI_RESULTS_NOTE})\n`;
  if (s.scannerErrors > 0) {
    out += `  Scanner errors: ${s.scannerErrors} (the scanner itself reported errors; a host without findings whose scan had some reads Incomplete scan, not clean)\n`;
    for (const m of a.scannerMessages.filter((x) => x.level === 'ERROR' || x.level === 'CRITICAL').slice(0, 5))
      out += `    ${terminalSafe(m.host)}: ${terminalSafe(m.message)} (${terminalSafe(m.source.file)}:${m.source.line})\n`; // one line each, whatever the log holds
  }
  out += caveatsText(a);
  if (s.files === 0) out += `  No Loki result files found.\n`;
  if (s.scansSetAside > 0) {
    // Their alerts and warnings are not in this report: say so (forged log text can still split a scan, see LokiAnalysis.setAside).
    const hidden = setAsideFindingsText(a.setAside);
    out += `  Scans set aside: ${setAsideScansText(a.setAside, s.scansSetAside, true)}${hidden ? ` with ${hidden} NOT shown below` : ''} (use --all-scans to keep them)\n`;
    // which ones: an analyst must be able to find a hidden alert without a second run
    const SHOWN = 20;
    for (const x of a.setAside.slice(0, SHOWN)) {
      const held = [x.alerts ? n(x.alerts, 'alert') : '', x.warnings ? n(x.warnings, 'warning') : ''].filter(Boolean).join(', ');
      out += `    ${terminalSafe(x.host)}: scan started ${formatTime(x.scanStart, zone) || '(no start line)'} in ${terminalSafe(x.file)} — ${n(x.findings, 'finding')}${held ? ` (${held})` : ''}\n`;
    }
    if (a.setAside.length > SHOWN) out += `    … ${a.setAside.length - SHOWN} more (--json lists them all)\n`;
  }
  out += '\n';
  if (fleet) out += fleetCoverageText(fleet);
  if (a.scans.length > 0) {
    // One row per kept scan: with --all-scans a host scanned twice has two rows, each with its own times.
    // ours (the findings read) and Loki's own count side by side, each named
    out += a.scans.length > a.hosts.length ? `Hosts, one row per scan (times in ${zone})\n` : `Hosts (times in ${zone})\n`;
    out += textTable(
      ['HOST', 'VERDICT', 'MAX SCORE', 'ALERTS', 'WARNINGS', 'NOTICES', "LOKI'S RESULTS LINE", 'SCANNER ERRORS', 'LOKI', 'SCAN START', 'SCAN END', 'TOP RULE'],
      a.scans.map((h) => [
        h.host,
        hostVerdictLabel(h),
        h.maxScore === undefined ? '-' : String(h.maxScore),
        String(h.alerts),
        String(h.warnings),
        String(h.notices),
        lokiResultsText(h),
        String(h.scanErrors),
        h.lokiVersion ?? '-',
        formatTime(h.scanStart, zone) || '-',
        formatTime(h.scanEnd, zone) || '-',
        // last: a rule name may be long (a hash IOC's sentence), cut like any last cell
        h.topRule === undefined ? '-' : ruleNamer(a.rules)(h.topRule),
      ]),
      [false, false, true, true, true, true, false, true, false, false, false, false],
    );
    out += `  MAX SCORE: the highest score of the ${a.scans.length > a.hosts.length ? 'scan' : 'host'}'s findings; TOP RULE: the rule of its strongest reason; ALERTS, WARNINGS, NOTICES: the findings read; LOKI'S RESULTS LINE: Loki's own count (${LOKI_RESULTS_NOTE})\n\n`;
  }
  if (a.rules.length > 0) {
    out += `Top rules${a.rules.length > TOP_N ? ` (${TOP_N} of ${a.rules.length})` : ''}\n`;
    out += textTable(
      // most severe first (see LokiAnalysis.rules); a hash IOC as `Hash IOC: <description>`, its hash in DESCRIPTION (ruleCells);
      // the verdict mix (the rule's findings by level) beside FINDINGS, as the dashboard's Rules table. RULE last and
      // whole (a hash IOC's name is a sentence that ends in its CVEs: before DESCRIPTION it pushed that column ~150
      // characters right, new-user trial), DESCRIPTION cut at TOP_DESCRIPTION_WIDTH (--json has it whole)
      ['FINDINGS', 'ALERTS', 'WARNINGS', 'NOTICES', 'HOSTS', 'MAX LEVEL', 'KIND', 'DESCRIPTION', 'RULE'],
      a.rules.slice(0, TOP_N).map((r) => {
        const c = ruleCells(r);
        return [String(r.count), String(r.alerts), String(r.warnings), String(r.notices), String(r.hosts), r.maxLevel ?? '', r.kind, c.description, c.rule];
      }),
      [true, true, true, true, true, false, false, false, false],
      [undefined, undefined, undefined, undefined, undefined, undefined, undefined, TOP_DESCRIPTION_WIDTH],
    );
    if (a.rules.slice(0, TOP_N).some((r) => ruleCells(r).description.length > TOP_DESCRIPTION_WIDTH)) out += `  DESCRIPTION: cut at ${TOP_DESCRIPTION_WIDTH} characters (…); --json and the dashboard's Rules tab have it whole\n`;
    out += '\n';
  }
  if (a.topFiles.length > 0) {
    out += `Top files${a.topFiles.length > TOP_N ? ` (${TOP_N} of ${a.topFiles.length}${a.topFiles.length >= 500 ? '+' : ''})` : ''}\n`;
    out += textTable(
      ['FINDINGS', 'HOSTS', 'HOST', 'MAX SCORE', 'PATH'],
      a.topFiles.slice(0, TOP_N).map((f) => [String(f.count), String(f.hosts), topFileHost(f), f.maxScore === null ? NO_SCORE : String(f.maxScore), f.path]),
      [true, true, false, true, false],
    );
    out += '\n';
  }
  out += topProcessesText(a);
  out += topHashesText(a);
  const lineErrors = a.errors.filter((e) => e.line > 0);
  const fileErrors = a.errors.filter((e) => e.line <= 0);
  const unparsed = Math.max(s.unparsedLines, lineErrors.length);
  if (unparsed > 0) {
    const e = lineErrors[0];
    out += `${unparsed} unparsed line${unparsed === 1 ? '' : 's'}` + (e ? ` — first: ${terminalSafe(problemWhere(e.file, e.line))} ${terminalSafe(e.message)}` : '') + '\n';
  }
  if (fileErrors.length > 0) {
    out += `${fileErrors.length} file error${fileErrors.length === 1 ? '' : 's'}:\n`;
    for (const e of fileErrors.slice(0, TOP_N)) out += `  ${terminalSafe(e.file)}: ${terminalSafe(e.message)}\n`;
    if (fileErrors.length > TOP_N) out += `  … and ${fileErrors.length - TOP_N} more\n`;
  }
  const warnings = a.warnings ?? [];
  if (warnings.length > 0) {
    out += `${warnings.length} warning${warnings.length === 1 ? '' : 's'} (records kept):\n`;
    for (const w of warnings.slice(0, TOP_N)) out += `  ${terminalSafe(problemWhere(w.file, w.line))}: ${terminalSafe(w.message)}\n`;
    if (warnings.length > TOP_N) out += `  … and ${warnings.length - TOP_N} more\n`;
  }
  // every skipped entry with its reason (as beacons lists them), the first TOP_SKIPPED
  const skipped = a.skipped ?? [];
  if (skipped.length > 0) {
    out += `${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped:\n`;
    for (const k of skipped.slice(0, TOP_SKIPPED)) out += `  ${terminalSafe(k.file)}: ${terminalSafe(k.reason)}\n`;
    if (skipped.length > TOP_SKIPPED) out += `  … and ${skipped.length - TOP_SKIPPED} more (see --json)\n`;
  }
  return out;
}

/**
 * The HOST cell of a Top files row: the host it was found on; of several, the first by name and `+N more`
 * (`WS01 +2 more`, HOSTS 3); `-` for an analysis stored before the host was kept.
 */
export function topFileHost(f: { hosts: number; host?: string }): string {
  if (f.host === undefined) return '-';
  return f.hosts > 1 ? `${f.host} +${f.hosts - 1} more` : f.host;
}

/** A MAX SCORE cell of a file or process none of whose findings has a score (explained under the table). */
const NO_SCORE = 'none';

/**
 * The text report's *Top processes* section (empty when no finding is about a process): process and connection
 * findings per process name (LokiAnalysis.topProcesses; they have no file path, so they are not in *Top files*), the
 * first {@link TOP_N}, each as `process: <name>` (as the hash view lists a process); a MAX SCORE of `none` says why under the table.
 */
export function topProcessesText(a: Pick<LokiAnalysis<FindingList>, 'topProcesses'>): string {
  const ps = a.topProcesses ?? [];
  if (ps.length === 0) return '';
  let out = `Top processes${ps.length > TOP_N ? ` (${TOP_N} of ${ps.length})` : ''}: process and connection findings (no file path)\n`;
  const shown = ps.slice(0, TOP_N);
  out += textTable(
    ['FINDINGS', 'HOSTS', 'MAX SCORE', 'PROCESS'],
    shown.map((p) => [String(p.count), String(p.hosts), p.maxScore === null ? NO_SCORE : String(p.maxScore), `process: ${p.process}`]),
    [true, true, true, false],
  );
  if (shown.some((p) => p.maxScore === null)) out += `  MAX SCORE none: Loki logged no score for these findings (Python Loki writes no SCORE on process and connection lines)\n`;
  return out + '\n';
}

/** Skipped files named in the text report (the others counted; --json lists them all). */
const TOP_SKIPPED = 10;

/** Hashes in the text report's *Top hashes* section. */
export const TOP_HASHES_N = 10;

/**
 * The text report's *Top hashes* section (empty when no finding has a hash): the first
 * {@link TOP_HASHES_N} of `a.hashes` (most hosts first), each with its hosts (count and names:
 * hashHostsText), findings, highest score and level, its most common path (`(+N more)` when the hash is
 * under several) and its first rules (named as in Top rules: a hash IOC `Hash IOC: <description>`, ruleNamer); then, on an indented line under the row, its other hashes (MD5,
 * SHA1), so that an IOC of either type can be found in the report with grep.
 */
export function topHashesText(a: Pick<LokiAnalysis<FindingList>, 'hashes' | 'hashesTotal'> & Partial<Pick<LokiAnalysis<FindingList>, 'rules'>>): string {
  const hs = a.hashes ?? [];
  // a rule as the Top rules table names it (a hash IOC: `Hash IOC: <description>`; the hash is in HASH)
  const ruleName = ruleNamer(a.rules);
  if (hs.length === 0) return '';
  const total = a.hashesTotal ?? hs.length;
  const more = (n: number): string => (n > 0 ? ` (+${n} more)` : '');
  // one hash, not one file: the same content may be under several paths (FINDINGS, PATH `(+N more)`) or be a process's image
  let out = `Top hashes${total > TOP_HASHES_N ? ` (${Math.min(TOP_HASHES_N, hs.length)} of ${total})` : ''}: findings with the same hash across hosts (under one or more paths or processes)\n`;
  const shown = hs.slice(0, TOP_HASHES_N);
  const table = textTable(
    ['HOSTS', 'HOST NAMES', 'FINDINGS', 'MAX SCORE', 'MAX LEVEL', 'TYPE', 'HASH', 'PATH', 'RULES'],
    shown.map((h) => [
      String(h.hosts),
      hashHostsText(h),
      String(h.count),
      h.maxScore === null ? '' : String(h.maxScore),
      h.maxLevel,
      h.type,
      h.hash,
      h.paths.length > 0 ? h.paths[0] + more(h.pathCount - 1) : '',
      h.rules.slice(0, 3).map(ruleName).join(', ') + more(h.ruleCount - Math.min(3, h.rules.length)),
    ]),
    [true, false, true, true, false, false, false, false, false],
  ).split('\n');
  // the row, then its other hashes (those the first finding gave)
  out += table[0] + '\n';
  shown.forEach((h, k) => {
    out += table[k + 1] + '\n';
    const others = [h.md5 ? `MD5 ${h.md5}` : '', h.sha1 ? `SHA1 ${h.sha1}` : '', h.sha256 ? `SHA256 ${h.sha256}` : ''].filter(Boolean);
    if (others.length > 0) out += `      ${others.join('  ')}\n`;
  });
  return out + '\n';
}

/** True when this file is the program (node dist/cli.js, the npm `soc-analytics` bin link). */
function isEntryPoint(): boolean {
  if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) return true;
  return /(^|[\\/])(cli\.js|soc-analytics)$/.test(process.argv[1] ?? '');
}

if (isEntryPoint()) {
  // Closed output pipes (`soc-analytics kpi … 2>&1 | head`), for every command: the reader has gone,
  // which is not an error worth a stack trace or exit code 1. stdout closed: the report has nobody to
  // read it, so the CLI stops at once with exit 0. stderr closed: its notes and progress are dropped
  // and the command goes on (a `tz convert` that noted its column still writes its --out file) and
  // ends with its own exit code. Node's own writes to the streams (warnings) get the same treatment.
  let stderrOpen = true;
  const closedPipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
  const stderr = (s: string): void => {
    if (!stderrOpen) return;
    try {
      writeFdSync(2, terminalSafe(s, true));
    } catch (e) {
      if (!closedPipe(e)) throw e;
      stderrOpen = false;
    }
  };
  process.stdout.on('error', (e) => (closedPipe(e) ? process.exit(0) : undefined));
  process.stderr.on('error', (e) => {
    if (closedPipe(e)) stderrOpen = false;
  });
  main(process.argv.slice(2), {
    // Log text is attacker-controlled: never let it reach the terminal as escape sequences.
    // Written synchronously (see ./stdout.ts): a slow reader of a pipe holds the CLI back instead of
    // the output piling up in memory.
    stdout: (s) => {
      try {
        writeFdSync(1, terminalSafe(s, true));
      } catch (e) {
        if (closedPipe(e)) process.exit(0);
        throw e;
      }
    },
    stderr,
    stderrIsTTY: process.stderr.isTTY === true,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      stderr(`soc-analytics: ${terminalErrorText(String(e))}\n`);
      process.exitCode = 1;
    },
  );
}
