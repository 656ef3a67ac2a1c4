/**
 * `soc-analytics beacons` subcommand (wired into src/cli/cli.ts):
 *
 *   soc-analytics beacons <path…> [--algorithm rita-v5|rita-legacy] [--min-score X]
 *     [--internal CIDR,…|none] [--safelist ENTRY,…] [--map col=field,…|preset] [--single-window]
 *     [--console-tz <zone>] [--zone <zone>] [--json]
 *
 * `--json` prints one object: `summary` {records, pairs, windowStart, windowEnd, unparsedLines, …}
 * (window times ISO 8601 UTC), `pairs` [{src, dst, fqdn, count, bytes, score, tsScore, dsScore,
 * durScore, histScore, severity, …}] sorted by score, `strobes` [...], `errors` [...]. With `--algorithm rita-legacy`
 * the severity is `n/a`, the threat score and the summary's high/medium/low counts null: the legacy score has no
 * severity bands (rita-beacons.md §2, §4; the bands are v5's, §5.7).
 * Exit codes: 0 success (also with unreadable lines), 2 bad arguments or unreadable paths, 3 nothing read: no
 * connection log among the paths, or not one connection record read from them (`nothingRead`).
 */
import { helpVersionHelp, mdOptionsHelp, nothingRead, outputIsInputExit, pathProblem, readingText, startPathCommand, mdToStdout, takeMdOption, textTable, ttyProgress, writeMdFile } from '../../cli-support';
import { beaconsMarkdown, inputsTitle } from '../../export/markdown-summary';
import { isColumnNotRead, isNoConnections, keptProblemsNotListed, MAX_KEPT_PROBLEMS, noConnectionsText, parseMappingSpec, type ColumnMapping } from '../../parse/conn-csv';
import { isFileDamage, isKeptRecord } from '../../parse/zeek';
import { formatTime, isoUtcCached, isValidZoneSetting, resolveZone, unknownZoneMessage } from '../../time';
import { writeJsonItems } from '../../json-out';
import { isBackscatter, isIcmpErrorPair, neverCarriedData, type BeaconAnalysis } from './analyze';
import { pairServiceText, pairTraffic, severityLabel, TRAFFIC_LABEL } from './dashboard';
import { filteredBreakdown, parseCidr } from './filter';
import type { BeaconAlgorithm } from './options';
import { runBeaconAnalysis, type BeaconProgress } from './run';
import { LEGACY_SEVERITY_TEXT } from './score';
import { problemWhere } from '../../model/common';
import { terminalSafe } from '../../text-safe';

export interface BeaconCliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  stderrIsTTY?: boolean;
  /** Replaces the analysis runner (tests). */
  runBeacons?: typeof runBeaconAnalysis;
}

export const BEACONS_USAGE = `  soc-analytics beacons <path…> [--algorithm rita-v5|rita-legacy] [--min-score X] [--internal CIDR,…|none]
      [--safelist ENTRY,…] [--map col=field,…|zeek-http|firewall-csv|qradar-flows] [--single-window]
      [--console-tz <zone>] [--zone <zone>] [--json] [--md FILE [--defang]]

Beacon detection with RITA's scoring on Zeek conn logs (TSV/JSON, .gz, rotated folders; ssl/http logs
joined for FQDN beacons), QRadar flows (Network Activity CSV exports and Ariel {"flows":[…]} JSON, recognised
by their columns) and generic CSV/JSON connection exports.

Options for "beacons":
  --algorithm A     rita-v5 (default) or rita-legacy (RITA v4.8 score)
  --min-score X     list only pairs scoring at least X (0…1; default 0)
  --internal L      internal subnets, comma-separated CIDRs (default 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8;
                    "none" keeps every pair)
  --safelist L      safelist entries, comma-separated: IP, CIDR, FQDN (*.example.com) or src->dst
  --map M           column mapping for CSV/JSON exports: col=field pairs (fields ts, src, dst, dport, bytes,
                    respBytes, fqdn, proto) or a preset (zeek-http, firewall-csv, qradar-flows)
  --console-tz Z    zone of the QRadar console that wrote the times of Network Activity CSV exports
                    (they carry none; default UTC, said in a note), as for "qradar"
  --single-window   score every pair with the final window (no hourly import emulation)
  --json            print one JSON object (summary, pairs, strobes, errors); times in ISO 8601 UTC; per pair
                    icmpErrorsOnly, neverCarriedData (Zeek conn logs: no connection carried payload nor was
                    an open session; null when the input cannot say, as generic CSVs), backscatter (of those,
                    Zeek flipped the direction of every one, ^ in history: the source only answered; false for
                    the source's own attempts, refused or unanswered; null as neverCarriedData and for ICMP
                    errors only without data), and traffic,
                    the text report's TRAFFIC (null when the input cannot say)
  --zone Z          display zone of the text output (UTC, local, an IANA name or a fixed offset such as UTC+3;
                    --tz is the same option)
${mdOptionsHelp(20)}${helpVersionHelp(20)}Exit codes: 0 success, 1 unexpected failure, 2 bad arguments or an unreadable path, 3 no connection log among
the paths (every file skipped) or not one connection read from them (e.g. --map names columns the files lack,
or the files have a header only; each such column and file is listed).
`;

class ArgError extends Error {}

interface Args {
  paths: string[];
  algorithm: BeaconAlgorithm;
  minScore: number;
  internal?: string[];
  safelist?: string[];
  mapping?: ColumnMapping;
  singleWindow: boolean;
  json: boolean;
  zone: string;
  /** `--console-tz`: the zone of QRadar flow exports' display times (resolved). */
  consoleZone?: string;
  /** `--md FILE`: also write the ticket summary there; `--defang`: defang it. */
  md?: string;
  defang?: boolean;
}

function parseArgs(argv: string[]): Args | 'help' {
  const a: Args = { paths: [], algorithm: 'rita-v5', minScore: 0, singleWindow: false, json: false, zone: 'UTC' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string): string => {
      const eq = arg.indexOf('=');
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v.trim() === '') throw new ArgError(`${name} needs a value`);
      return v;
    };
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (arg === '--') {
      a.paths.push(...argv.slice(i + 1));
      break;
    }
    const md = takeMdOption(argv, i, a, (m) => new ArgError(m));
    if (md >= 0) {
      i = md;
      continue;
    }
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--json':
        a.json = true;
        break;
      case '--single-window':
        a.singleWindow = true;
        break;
      case '--algorithm': {
        const v = value(name);
        if (v !== 'rita-v5' && v !== 'rita-legacy') throw new ArgError(`--algorithm must be rita-v5 or rita-legacy, not "${v}"`);
        a.algorithm = v;
        break;
      }
      case '--min-score': {
        // decimal only: Number() also reads 0x1, 0b1 and 0o1 (as 1: `--min-score 0x1` listed nothing)
        const text = value(name).trim();
        const v = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
        if (!Number.isFinite(v) || v < 0 || v > 1) throw new ArgError(`--min-score must be a decimal number from 0 to 1, not ${JSON.stringify(text)}`);
        a.minScore = v;
        break;
      }
      case '--internal': {
        const v = value(name);
        const list = v.toLowerCase() === 'none' ? [] : v.split(',').map((s) => s.trim()).filter(Boolean);
        // only commas: no subnet named (it was read as "none", every pair kept without a word)
        if (list.length === 0 && v.toLowerCase() !== 'none') throw new ArgError(`--internal ${JSON.stringify(v)}: no subnet given (comma-separated CIDRs, or none to keep every pair)`);
        const bad = list.find((c) => !parseCidr(c));
        if (bad) throw new ArgError(`--internal: "${bad}" is not an IP address or CIDR range`);
        a.internal = list;
        break;
      }
      case '--safelist':
        a.safelist = value(name).split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--map':
        try {
          a.mapping = parseMappingSpec(value(name));
        } catch (e) {
          throw new ArgError(`--map: ${(e as Error).message}`);
        }
        break;
      case '--console-tz': {
        const v = value(name);
        if (!isValidZoneSetting(v)) throw new ArgError(unknownZoneMessage(name, v));
        a.consoleZone = resolveZone(v);
        break;
      }
      case '--tz': // as qradar and kpi spell it
      case '--zone': {
        const v = value(name);
        if (!isValidZoneSetting(v)) throw new ArgError(unknownZoneMessage(name, v));
        a.zone = resolveZone(v);
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new ArgError(`unknown option: ${arg}`);
        a.paths.push(arg);
    }
  }
  if (a.paths.length === 0) throw new ArgError('no path given: soc-analytics beacons <path…>');
  mdToStdout('--md', a.md, a.json, (m) => new ArgError(m));
  return a;
}

const BEACONS_HINT = 'soc-analytics beacons --help';

/**
 * Runs `soc-analytics beacons` with the arguments after the subcommand. Resolves to the exit code
 * (0 success, 2 bad arguments or a missing/unreadable path, 3 no connection log or no connection read). Never
 * rejects for bad input.
 */
export async function beaconsCommand(argv: string[], io: BeaconCliIO): Promise<number> {
  const start = startPathCommand(io, { parse: () => parseArgs(argv), argError: ArgError, hint: BEACONS_HINT, usage: `Usage:\n${BEACONS_USAGE}`, pathProblem: (p) => pathProblem(p, true) });
  if (typeof start === 'number') return start;
  const { args, paths } = start;
  const run = io.runBeacons ?? runBeaconAnalysis;
  const progress = ttyProgress<BeaconProgress>(io, (p) => (p.phase === 'score' ? 'Scoring pairs…' : readingText(p)));
  const a = await run(paths, {
    algorithm: args.algorithm,
    minScore: args.minScore,
    internalSubnets: args.internal,
    safelist: args.safelist,
    mapping: args.mapping,
    consoleTimeZone: args.consoleZone,
    hourlyImport: !args.singleWindow,
    onProgress: progress.onProgress,
    charts: false, // neither report shows the chart data
  });
  progress.done();
  // an --md file that is one of the files read (found in a named folder, or a link to one): exit 2, nothing written
  const mdOut = args.md === '-'; // the summary on stdout instead of the report
  if (args.md !== undefined && !mdOut && outputIsInputExit(io, [{ option: '--md', given: args.md }], (a.files ?? []).map((f) => f.file), BEACONS_HINT)) return 2;
  if (args.json) writeBeaconsJson(a, io);
  else if (!mdOut) io.stdout(beaconsTextReport(a, args.zone));
  if (args.md !== undefined) {
    const md = beaconsMarkdown(a, { zone: args.zone, defang: args.defang, title: inputsTitle(args.paths) });
    if (mdOut) io.stdout(md);
    else if (await writeMdFile(io, args.md, md)) return 1;
  }
  if (a.summary.files === 0) return nothingRead(io, 'no connection log was found', a.skipped?.length ?? 0);
  // files were read but not one record came of them (mapped columns missing, header-only files, every line unreadable)
  if (a.summary.records === 0) return nothingRead(io, 'no connection could be read from the files', a.skipped?.length ?? 0);
  return 0;
}


/**
 * The `--json` document, written in pieces (pairs in batches of bounded size, see
 * {@link writeJsonItems}): `{summary, pairs, strobes, errors, notes}` (see the file comment).
 */
export function writeBeaconsJson(a: BeaconAnalysis, io: Pick<BeaconCliIO, 'stdout'>): void {
  const iso = isoUtcCached(); // two times per pair: luxon per call was ~10 % of the CLI at 10 M records
  const s = a.summary;
  const summary = {
    algorithm: a.algorithm,
    files: s.files,
    records: s.records,
    filteredRecords: s.filteredRecords,
    // why, per reason (RITA's filters, the safelist, implausible times), as the text report's "Left out:"
    filtered: a.filtered,
    pairsSeen: s.pairsSeen,
    pairs: s.pairs,
    listed: s.listed,
    strobes: s.strobes,
    // the severity bands are RITA v5's: a legacy score has none (null, not 0 pairs in each)
    high: a.algorithm === 'rita-legacy' ? null : s.high,
    medium: a.algorithm === 'rita-legacy' ? null : s.medium,
    low: a.algorithm === 'rita-legacy' ? null : s.low,
    windowStart: iso(s.windowStart),
    windowEnd: iso(s.windowEnd),
    // the kept records' span, and those older than the window (RITA: it ends at the latest record, 24 hours at most)
    keptFirst: iso(s.keptFirst),
    keptLast: iso(s.keptLast),
    outsideWindow: { records: s.outsideWindow ?? 0, first: iso(s.outsideFirst), last: iso(s.outsideLast) },
    unparsedLines: s.unparsedLines,
    errors: a.errors.length,
  };
  io.stdout(`{"summary":${JSON.stringify(summary)},\n"pairs":[`);
  writeJsonItems((t) => io.stdout(t), a.pairs, (p) =>
    JSON.stringify({
      type: p.type,
      src: p.src,
      dst: p.dst,
      fqdn: p.fqdn,
      count: p.count,
      bytes: p.bytes,
      score: p.score,
      tsScore: p.tsScore,
      dsScore: p.dsScore,
      durScore: p.durScore,
      histScore: p.histScore,
      severity: p.severity,
      firstSeen: iso(p.firstSeenMs),
      lastSeen: iso(p.lastSeenMs),
      uniqueTs: p.uniqueTs,
      ports: p.ports,
      // the well-known service of the main destination port ('NTP (timer by design)', 'HTTPS'; '' for none): by port only
      service: pairServiceText(p.ports),
      // ICMP error messages only: the source answers the destination's probes (not a beacon of the source)
      icmpErrorsOnly: isIcmpErrorPair(p),
      // Zeek conn logs: no connection carried payload nor was an open session (backscatter or own attempts); null unknown
      neverCarriedData: neverCarriedData(p) ?? null,
      // of those, Zeek flipped every one (^ in history): backscatter; false for data or the source's own attempts
      // (refused, unanswered); null when neverCarriedData is, and for ICMP errors only without data (answers, never the
      // source's own attempts: quiet records said false, a ^ true — beside traffic "ICMP errors only") (added 2026-12-07)
      backscatter: isIcmpErrorPair(p) && neverCarriedData(p) === true ? null : (isBackscatter(p) ?? null),
      // the dashboard's Traffic column (a label beside the score): 'ICMP errors only', 'Backscatter', 'No data
      // exchanged', 'Data exchanged'; null when the input cannot say
      traffic: TRAFFIC_LABEL[pairTraffic(p)] || null,
      // the evidence behind the score, as the dashboard's detail shows it (a ticket needs it; an analyst trial)
      origBytes: p.origBytes,
      // 0.549, not 0.5489999999999999; null for a legacy score (severity "n/a": no bands, no threat score)
      threat: p.severity === 'n/a' ? null : Math.round(p.threat * 1000) / 1000,
      tsSkew: p.tsSkew,
      tsMad: p.tsMad,
      tsMode: p.tsMode,
      tsModeCount: p.tsModeCount,
      dsSkew: p.dsSkew,
      dsMad: p.dsMad,
      dsMode: p.dsMode,
      dsModeCount: p.dsModeCount,
    }),
  );
  const strobes = a.strobes.map((x) => ({ type: x.type, src: x.src, dst: x.dst, fqdn: x.fqdn, count: x.count, bytes: x.bytes, firstSeen: iso(x.firstSeenMs), lastSeen: iso(x.lastSeenMs) }));
  const errors = a.errors.map((e) => ({ file: e.file, line: e.line, message: e.message }));
  io.stdout(`],\n"strobes":${JSON.stringify(strobes)},\n"errors":${JSON.stringify(errors)},\n"notes":${JSON.stringify(a.notes)},\n"skipped":${JSON.stringify(a.skipped ?? [])}}\n`);
}


const TOP = 25;

/** The key under the text report's pairs table: what the abbreviated score columns and BYTES hold (rita-beacons.md §5). */
export const TEXT_TABLE_LEGEND =
  'TS timing, DS data-size, DUR duration, HIST histogram score: each 0–1, 1 = most beacon-like; SCORE their mean. ' +
  'BYTES (BOTH WAYS) = orig_ip_bytes + resp_ip_bytes; the data-size score uses orig_ip_bytes only. ' +
  'SERVICE: the well-known service of the main port (by port only); "timer by design" = infrastructure that polls on a schedule. ' +
  'TRAFFIC (a label, not part of the score): "ICMP errors only" = port unreachable, time exceeded… only, usually the source answering a scanner\'s probes; ' +
  '"Backscatter" = no connection carried a payload byte or was an open session and Zeek flipped the direction of each (^ in history): the source only answered; ' +
  '"No data exchanged" = the source\'s own attempts without data, refused or unanswered (S0, REJ…: a beacon to a C2 server that is down looks so; see the notes); ' +
  '"Data exchanged" = a connection carried payload or was an open session; "-" = the input cannot say.';

/**
 * The report's window: `start – end (zone)`, with how many kept records are older when some are; or
 * why there is none (nothing kept, or every kept record in one second: RITA needs two).
 */
export function windowText(s: BeaconAnalysis['summary'], zone: string): string {
  if (Number.isFinite(s.windowStart)) {
    const older = s.outsideWindow ?? 0;
    return `${formatTime(s.windowStart, zone)} – ${formatTime(s.windowEnd, zone)} (${zone}, up to the latest record)${older > 0 ? ` — ${older.toLocaleString('en-US')} older record${older === 1 ? '' : 's'} outside, see the note` : ''}`;
  }
  if (s.keptFirst !== undefined && Number.isFinite(s.keptFirst)) return `none — every kept record is at ${formatTime(s.keptFirst, zone)} (${zone}): a window needs two different seconds`;
  return 'none (no record kept)';
}

/** Human-readable report (times in `zone`). */
export function beaconsTextReport(a: BeaconAnalysis, zone: string): string {
  const s = a.summary;
  // every count with thousands separators (a new-user trial: "29,570 left out" beside "29486 external → internal")
  const n = (x: number) => x.toLocaleString('en-US');
  let out = `Beacons (${a.algorithm}): ${n(s.files)} file${s.files === 1 ? '' : 's'}, ${n(s.records)} record${s.records === 1 ? '' : 's'} (${n(s.filteredRecords)} left out${s.filteredRecords > 0 ? ', see below' : ''}), ${n(s.pairsSeen)} pair${s.pairsSeen === 1 ? '' : 's'}, ${n(s.pairs)} scored${a.pairs.length !== s.pairs ? ` (${n(a.pairs.length)} listed: score ≥ the minimum)` : ''}, ${n(s.strobes)} strobe${s.strobes === 1 ? '' : 's'}\n`;
  // every scored pair is in one band; None (below Low) as the dashboard's card and chart show it
  const none = Math.max(0, s.pairs - s.high - s.medium - s.low);
  const bands = a.algorithm === 'rita-legacy' ? `Severity: ${LEGACY_SEVERITY_TEXT}` : `High ${s.high}  Medium ${s.medium}  Low ${s.low}  None ${n(none)}`;
  out += `  Window: ${windowText(s, zone)}   ${bands}\n`;
  // the pairs seen but neither scored nor strobes: too few connections for RITA to score (rita-beacons.md thresholds)
  const unscored = s.pairsSeen - s.pairs - s.strobes;
  if (unscored > 0)
    out += `  Not scored: ${n(unscored)} pair${unscored === 1 ? '' : 's'} with too few connections (${a.algorithm === 'rita-legacy' ? 'the legacy score needs more than 23 connections at 4 or more distinct times' : 'RITA scores a pair from 4 distinct connection times'})\n`;
  if (s.filteredRecords > 0) out += `  Left out: ${filteredBreakdown(a.filtered)}\n`;
  out += '\n';
  if (a.pairs.length) {
    out += `Top pairs${a.pairs.length > TOP ? ` (${TOP} of ${a.pairs.length})` : ''}\n`;
    out += textTable(
      // PORTS last: ICMP pairs have long labels (`icmp type 3 code 3 (port unreachable)`), cut like any cell;
      // SERVICE before it: the NTP pair that tops a quiet day says "timer by design" (a new-user trial); TRAFFIC: the
      // scan artefacts told apart for every pair (analyst trial: SERVICE said "no data" but nothing of ICMP-only pairs)
      ['SCORE', 'TS', 'DS', 'DUR', 'HIST', 'CONNS', 'BYTES (BOTH WAYS)', 'SEVERITY', 'SOURCE', 'DESTINATION', 'SERVICE', 'TRAFFIC', 'PORTS'],
      a.pairs.slice(0, TOP).map((p) => [p.score.toFixed(3), p.tsScore.toFixed(3), p.dsScore.toFixed(3), p.durScore.toFixed(3), p.histScore.toFixed(3), n(p.count), n(p.bytes), severityLabel(p.severity), p.src, p.fqdn || p.dst, pairServiceText(p.ports), TRAFFIC_LABEL[pairTraffic(p)] || '-', p.ports]),
      [true, true, true, true, true, true, true, false, false, false, false, false, false],
    );
    out += `${TEXT_TABLE_LEGEND}\n\n`;
  }
  if (a.strobes.length) {
    out += `Strobes\n`;
    out += textTable(['CONNS', 'SOURCE', 'DESTINATION'], a.strobes.slice(0, TOP).map((x) => [n(x.count), x.src, x.fqdn || x.dst]), [true, false, false]);
    out += '\n';
  }
  for (const n of a.notes) out += `Note: ${terminalSafe(n)}\n`;
  const lineErrors = a.errors.filter((e) => e.line > 0 && !isFileDamage(e) && !isKeptRecord(e));
  if (s.unparsedLines > 0) out += `${s.unparsedLines} unreadable line${s.unparsedLines === 1 ? '' : 's'}${lineErrors[0] ? ` — first: ${terminalSafe(problemWhere(lineErrors[0].file, lineErrors[0].line))} ${terminalSafe(lineErrors[0].message)}` : ''}\n`;
  // problems of records that were kept (a JSON object as a protocol, an unclosed quote): listed, never "unreadable"
  const kept = a.errors.filter(isKeptRecord);
  // past the first MAX_KEPT_PROBLEMS of a file, its kept records' problems are counted, not listed
  const keptUnlisted = a.errors.reduce((t, e) => t + keptProblemsNotListed(e), 0);
  const keptAll = kept.length + keptUnlisted;
  if (keptAll) {
    out += `${n(keptAll)} warning${keptAll === 1 ? '' : 's'} (records kept):\n`;
    for (const e of kept.slice(0, TOP)) out += `  ${terminalSafe(problemWhere(e.file, e.line))}: ${terminalSafe(e.message)}\n`;
    if (keptAll > TOP) out += `  … and ${n(keptAll - Math.min(TOP, kept.length))} more (${keptUnlisted ? `--json lists the first ${MAX_KEPT_PROBLEMS} of each file` : 'see --json'})\n`;
  }
  // damaged or cut gzip data, read errors: the records before the damage were read, the rest of the file was not
  const damaged = a.errors.filter((e) => e.line > 0 && isFileDamage(e));
  if (damaged.length) {
    out += `${damaged.length} file${damaged.length === 1 ? '' : 's'} read only up to damage (the records before it were kept):\n`;
    for (const e of damaged.slice(0, TOP)) out += `  ${terminalSafe(problemWhere(e.file, e.line))}: ${terminalSafe(e.message)}\n`;
    if (damaged.length > TOP) out += `  … and ${damaged.length - TOP} more (see --json)\n`;
  }
  // mapped columns a file lacks (--map, a saved mapping): the file was read without them
  const notRead = a.errors.filter(isColumnNotRead);
  if (notRead.length) {
    out += `${notRead.length} mapped column${notRead.length === 1 ? '' : 's'} not read:\n`;
    for (const e of notRead.slice(0, TOP)) out += `  ${terminalSafe(e.file)}: ${terminalSafe(e.message)}\n`;
    if (notRead.length > TOP) out += `  … and ${notRead.length - TOP} more (see --json)\n`;
  }
  const noConns = a.errors.filter(isNoConnections);
  for (const e of noConns.slice(0, TOP)) out += `${terminalSafe(noConnectionsText(e.file))}\n`;
  if (noConns.length > TOP) out += `… and ${noConns.length - TOP} more files with no connections (see --json)\n`;
  const fileErrors = a.errors.filter((x) => x.line <= 0 && !isColumnNotRead(x) && !isNoConnections(x));
  if (fileErrors.length) {
    out += `${fileErrors.length} file${fileErrors.length === 1 ? '' : 's'} not read:\n`;
    for (const e of fileErrors.slice(0, TOP)) out += `  ${terminalSafe(e.file)}: ${terminalSafe(e.message)}\n`;
    if (fileErrors.length > TOP) out += `  … and ${fileErrors.length - TOP} more (see --json)\n`;
  }
  // files that are not connection logs (the dashboard's Notes tab lists them too)
  const skipped = a.skipped ?? [];
  if (skipped.length) {
    out += `${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped:\n`;
    for (const k of skipped.slice(0, TOP)) out += `  ${terminalSafe(k.file)}: ${terminalSafe(k.reason)}\n`;
    if (skipped.length > TOP) out += `  … and ${skipped.length - TOP} more (see --json)\n`;
  }
  return out;
}
