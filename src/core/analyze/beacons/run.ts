/**
 * Discover + sniff + stream + score: the whole beacon analysis over files and folders, shared by
 * the worker thread and the CLI. Pure Node (no vscode).
 *
 * File roles: Zeek conn/open_conn logs (TSV or JSON) are connection sources; Zeek http/ssl logs
 * are host-name sources joined by uid (RITA v5 SNI beacons, §5.8) — unless a column mapping is set
 * for them, then they are read as connections (RITA-J style, §7); other CSV/JSON files are generic
 * connection exports read through their column mapping (per file, the global one, or one guessed
 * from the header). Other Zeek logs, empty and binary files, and CSV/JSON files whose header is
 * plainly not a connection log's (its first line is data, or no column names a connection field)
 * are skipped with a reason.
 * Order (RITA v5 import, §5.1): host sources first, then connection sources grouped by day folder
 * and hour of the rotated file name.
 */
import { isoUtc } from '../../time';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { connectionHeaderProblem, guessMapping, readGenericFile, type ColumnMapping } from '../../parse/conn-csv';
import { qradarFlowMapping, qradarFlowMissing } from '../../parse/qradar-flows';
import { isQRadarEventExportHeader } from '../../parse/qradar-csv';
import { discoverInputs, readZeekFile, sniffInput, type ConnFileResult, type InputInfo } from '../../parse/zeek';
import { cancelledError as abortError, isAbort } from '../cancel';
import { BeaconAggregator, isIcmpErrorPair, neverCarriedData, type BeaconAnalysis, type BeaconFileInfo, type BeaconFinish, type BeaconRow, type ChartsMode } from './analyze';
import type { ParsedConnFile } from './columns';
import { pairTraffic } from './dashboard';
import { ConnParsePool, PoolCrashError, PoolStartError, defaultParseWorkerBundle, defaultParseWorkers } from './pool';
import { resolveBeaconOptions, type BeaconOptions } from './options';
import type { ParseError } from '../../model/common';
import { count } from '../dashboard-kit';

/** A count with thousands separators (`31,317`), as the report's other counts. */
const g = (n: number | undefined): string => (n ?? 0).toLocaleString('en-US');

export interface BeaconProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  currentFile?: string;
  phase: 'discover' | 'read' | 'score';
}

type Role = 'conn' | 'host' | 'generic';

interface Planned {
  info: InputInfo;
  role: Role;
  mapping?: ColumnMapping;
  /** The mapping was recognised from a known export's header (`qradar-flows`), not given or saved: never asked about. */
  preset?: 'qradar-flows';
  size: number;
}

/**
 * The mapping a non-Zeek file (or an http/ssl log read as connections) is read with: the per-file
 * mapping, else the global one, else the QRadar flow columns when its header is a QRadar flow
 * export's (Network Activity CSV, Ariel `{"flows":[…]}` JSON; qradar-flows.ts), else one guessed
 * from its columns; undefined if none fits.
 */
export function mappingFor(info: InputInfo, o: Pick<BeaconOptions, 'mapping' | 'mappings'>): ColumnMapping | undefined {
  return o.mappings?.[info.file] ?? o.mapping ?? qradarFlowMapping(info.columns) ?? guessMapping(info.columns);
}

/**
 * The reason a QRadar Log Activity export (events) is not read for beacons: its rows are events, not connections
 * (one row per event, with the event count; qradar.md §5.1), read by the QRadar analysis. Network Activity (flow)
 * exports are read ({@link qradarFlowMapping}).
 */
export const QRADAR_EVENTS_REASON = 'QRadar Log Activity export (events, not connections): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)';

/** A QRadar event export's header ({@link isQRadarEventExportHeader}) without the columns of a flow export. */
function isQRadarEventsHeader(columns: readonly string[]): boolean {
  const keys = columns.map((c) => c.toLowerCase().replace(/[^a-z0-9]/g, ''));
  return isQRadarEventExportHeader(columns) && !keys.some((k) => k === 'flowtype' || k === 'firstpackettime' || k === 'lastpackettime' || k === 'totalbytes' || k === 'sourcebytes');
}

/**
 * The reason listed for a file the analyst skipped at the column-mapping prompt of *SOC: Detect Beacons…* (its
 * `skipped` entry, in the dashboard's Notes, the Markdown summary's "Left out" and the no-input notification):
 * `skipped by you at the column prompt (columns: when, client, server, svc)` — the first 8 columns, then `…`.
 */
export function promptSkippedReason(columns: readonly string[]): string {
  return `${PROMPT_SKIPPED} (columns: ${columns.slice(0, 8).join(', ') || 'none'}${columns.length > 8 ? ', …' : ''})`;
}

/** The start of {@link promptSkippedReason}. */
export const PROMPT_SKIPPED = 'skipped by you at the column prompt';

/** `skipped` with the files skipped at the column prompt ({@link PROMPT_SKIPPED}) first, each part in its order. */
export function promptSkippedFirst<T extends { reason: string }>(skipped: readonly T[]): T[] {
  const byYou = (k: T): boolean => k.reason.startsWith(PROMPT_SKIPPED);
  return [...skipped.filter(byYou), ...skipped.filter((k) => !byYou(k))];
}

/**
 * Sniffs every file and decides how it is read (see the module comment). Files that need a column
 * mapping and have none are returned in `needsMapping` (and reported as file errors by the run),
 * unless their header is plainly not a connection log's ({@link connectionHeaderProblem}) or is a QRadar Log
 * Activity export's ({@link QRADAR_EVENTS_REASON}): those are skipped with the reason, as empty files and other Zeek
 * logs are (a file with a column mapping given is always read with it). Files in `o.declined` without a mapping of
 * their own (`o.mappings`) are skipped with {@link promptSkippedReason}.
 */
export async function planInputs(
  files: string[],
  o: Pick<BeaconOptions, 'mapping' | 'mappings' | 'sni' | 'declined'>,
  signal?: AbortSignal,
): Promise<{ planned: Planned[]; skipped: { file: string; reason: string }[]; needsMapping: InputInfo[] }> {
  const planned: Planned[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const needsMapping: InputInfo[] = [];
  for (const file of files) {
    if (signal?.aborted) throw abortError(signal);
    const info = await sniffInput(file);
    const explicit = o.mappings?.[file] ?? o.mapping;
    const zeek = info.format === 'zeek-tsv' || info.format === 'zeek-json';
    if (!o.mappings?.[file] && o.declined?.includes(file)) skipped.push({ file, reason: promptSkippedReason(info.columns) });
    else if (info.format === 'empty') skipped.push({ file, reason: info.error ? `nothing could be read: ${info.error}` : 'empty file' });
    else if (info.format === 'binary' || info.format === 'unknown') skipped.push({ file, reason: 'not a Zeek log, CSV or JSON-lines file' });
    else if (zeek && (info.logPath === 'conn' || info.logPath === 'open_conn')) planned.push({ info, role: 'conn', size: 0 });
    else if (zeek && (info.logPath === 'http' || info.logPath === 'ssl')) {
      if (explicit) planned.push({ info, role: 'generic', mapping: explicit, size: 0 });
      else if (o.sni) planned.push({ info, role: 'host', size: 0 });
      else skipped.push({ file, reason: `Zeek ${info.logPath}.log (host-name join turned off)` });
    } else if (zeek && !explicit) {
      // a header whose #separator does not split its #path / #fields (so its kind came from the file name): said so
      skipped.push({ file, reason: info.headerProblem ? `Zeek log header not readable: ${info.headerProblem}; its type is unknown (not read)` : `Zeek ${info.logPath || 'unknown'} log (not a connection log)` });
    }
    else {
      const qradar = explicit ? undefined : qradarFlowMapping(info.columns);
      const m = qradar ?? mappingFor(info, o);
      // Ariel flow results are flow data whatever their keys: a mapping is asked for (CLI: the missing columns named), never "not a connection log"
      const notConn = m || info.document === 'ariel-flows' ? undefined : connectionHeaderProblem(info.columns);
      if (m) planned.push({ info, role: 'generic', mapping: m, size: 0, ...(qradar ? { preset: 'qradar-flows' as const } : {}) });
      else if (!explicit && isQRadarEventsHeader(info.columns)) skipped.push({ file, reason: QRADAR_EVENTS_REASON });
      else if (notConn) skipped.push({ file, reason: `not a connection log: ${notConn}` });
      else needsMapping.push(info);
    }
  }
  return { planned, skipped, needsMapping };
}

/**
 * One line about skipped files for a message: grouped by reason, each group naming up to `names`
 * files by base name. Reasons that differ only in their detail in parentheses (the value quoted for
 * each file) are one group with the first detail as an example, e.g. `4 files skipped — not a
 * connection log: its first line is not column names (e.g. “20220119T18:42:50Z” looks like a
 * value): scan_result (1).csv, scan_result (1).log, scan_result (2).log, scan_result (3).log`.
 */
export function describeSkipped(skipped: readonly { file: string; reason: string }[], names = 5): string {
  const groups = new Map<string, { reasons: string[]; details: string[]; files: string[] }>();
  for (const k of skipped) {
    const m = /^(.*?) \((.*)\)$/.exec(k.reason);
    const key = m ? m[1] : k.reason;
    const g = groups.get(key) ?? { reasons: [], details: [], files: [] };
    g.reasons.push(k.reason);
    g.details.push(m ? m[2] : '');
    g.files.push(path.basename(k.file));
    groups.set(key, g);
  }
  const parts = [...groups].map(([key, g]) => {
    const reason = g.reasons.every((r) => r === g.reasons[0]) ? g.reasons[0] : `${key} (e.g. ${g.details[0]})`;
    const shown = g.files.slice(0, names).join(', ') + (g.files.length > names ? ` and ${g.files.length - names} more` : '');
    return `${reason}: ${shown}`;
  });
  return `${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped — ${parts.join('; ')}`;
}

/** Smallest total size of Zeek conn files for which parse workers are started by default (bytes on disk). */
export const MIN_POOL_BYTES = 4 << 20;

/** Options of {@link runBeaconAnalysis} that are not analysis options (not part of the result's `options`). */
export interface BeaconRunControl {
  signal?: AbortSignal;
  onProgress?: (p: BeaconProgress) => void;
  /**
   * Worker threads that read Zeek conn files (pool.ts): 0 reads every file in the calling thread.
   * Default {@link defaultParseWorkers} (one per core, env `SOC_ANALYTICS_BEACON_WORKERS`), used
   * only for at least two conn files totalling {@link MIN_POOL_BYTES}; an explicit number uses
   * them for any conn file. Never used when host names are joined by uid (SNI).
   */
  parseWorkers?: number;
  /** Path of the parse-worker entry; default `zeek-worker.js` next to the running bundle (none: no workers). */
  parseWorkerBundle?: string;
  /**
   * False: the listed pairs' chart data (`intervals`, `sizes`, `hist`) is neither computed nor kept
   * (empty lists; every other field, and `histEdgesMs`, unchanged) — for callers that show none of
   * it (the CLI): less memory (~30 % of the retained result at 1.25 M records) and time. Default true.
   * (See {@link runBeaconAnalysisRows} for the analysis worker's packed rows.)
   */
  charts?: boolean;
}

/**
 * Runs the beacon analysis over files and folders (recursive). `onProgress` is called while
 * reading (bytes from disk) and once at the end; callers throttle it. Options are resolved with
 * {@link resolveBeaconOptions} (corrections end up in `notes`). Zeek conn files may be read by
 * worker threads (see {@link BeaconRunControl.parseWorkers}); the result is the same either way
 * (files are folded in in import order), and when a worker cannot start the files are read in
 * the calling thread. The same workers then score the IP pairs (score-ip.ts).
 * Rejects with an Error named `AbortError` when `signal` aborts (parse workers are terminated),
 * and with a {@link PoolCrashError} when a parse worker dies while reading or scoring (e.g. its
 * heap limit);
 * unreadable paths, files and records are reported in `errors` (file + line, line 0 for
 * file-level problems).
 */
export async function runBeaconAnalysis(paths: string[], opts: Partial<BeaconOptions> & BeaconRunControl = {}): Promise<BeaconAnalysis> {
  const { charts = true, ...rest } = opts;
  return (await runBeacons(paths, rest, charts)) as BeaconAnalysis;
}

/**
 * {@link runBeaconAnalysis} for the analysis worker: the listed pairs are rows ({@link BeaconRow})
 * whose detail numbers and chart lists sit in typed arrays (chart-pack.ts `PairDetailStore`), never
 * built as objects; the worker posts them to the extension host that way, and `fullPair(row)`
 * rebuilds a whole pair. Everything else as there (`charts` is ignored).
 */
export function runBeaconAnalysisRows(paths: string[], opts: Partial<BeaconOptions> & BeaconRunControl = {}): Promise<BeaconAnalysis<BeaconRow>> {
  const { charts: _charts, ...rest } = opts;
  return runBeacons(paths, rest, 'packed');
}

async function runBeacons(paths: string[], opts: Partial<BeaconOptions> & Omit<BeaconRunControl, 'charts'>, charts: ChartsMode): Promise<BeaconAnalysis<BeaconRow>> {
  const { signal, onProgress, parseWorkers, parseWorkerBundle, ...partial } = opts;
  const { options, problems } = resolveBeaconOptions(partial);
  if (signal?.aborted) throw abortError(signal);
  onProgress?.({ filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, phase: 'discover' });
  const disc = await discoverInputs(paths, { signal, reportNotRead: true });
  const plan = await planInputs(disc.files, options, signal);
  const errors: ParseError[] = [...disc.errors];
  const fileNotes: string[] = []; // notes of the readers about how a file was read (a column named twice)
  for (const info of plan.needsMapping) {
    // Ariel flow results: which of the needed columns no flow has (by the Ariel names looked for)
    const missing = info.document === 'ariel-flows' ? qradarFlowMissing(info.columns) : [];
    errors.push({
      file: info.file,
      line: 0,
      message: missing.length
        ? `no column mapping: Ariel flow results without a column for the ${missing.join(', ')} in its flows (columns: ${info.columns.slice(0, 15).join(', ') || 'none'}): map its columns to read it`
        : `no column mapping: timestamp, source and destination columns not recognised (columns: ${info.columns.slice(0, 15).join(', ') || 'none'})`,
    });
  }
  for (const p of plan.planned) {
    try {
      p.size = statSync(p.info.file).size;
    } catch {
      p.size = 0;
    }
  }
  // host sources first, then connection sources by (day, hour, name) — RITA v5 import order
  const hosts = plan.planned.filter((p) => p.role === 'host');
  const conns = plan.planned
    .filter((p) => p.role !== 'host')
    .sort((a, b) => (a.info.day < b.info.day ? -1 : a.info.day > b.info.day ? 1 : a.info.hour - b.info.hour || (a.info.file < b.info.file ? -1 : 1)));
  const groupKeys = [...new Set(conns.map((p) => `${p.info.day}\u0000${String(p.info.hour).padStart(2, '0')}`))];
  const order = [...hosts, ...conns];

  const agg = new BeaconAggregator(options);
  const filesTotal = order.length;
  const bytesTotal = order.reduce((s, p) => s + p.size, 0);
  let bytesDone = 0;
  const fileInfos: BeaconFileInfo[] = [];
  let unparsed = 0;
  const consoleTimes = { files: 0, display: 0, ambiguous: 0 }; // QRadar flow exports read, and their zone-less times

  // parse workers for the Zeek conn files (started at the first one, once host names are known)
  const connAt = order.map((p, i) => (p.role === 'conn' ? i : -1)).filter((i) => i >= 0);
  const workers = parseWorkers ?? defaultParseWorkers();
  const bundle = parseWorkerBundle ?? defaultParseWorkerBundle();
  const connBytes = connAt.reduce((s, i) => s + order[i].size, 0);
  let poolWanted =
    workers > 0 && bundle !== undefined && connAt.length > 0 && (parseWorkers !== undefined || (connAt.length >= 2 && connBytes >= MIN_POOL_BYTES));
  let pool: ConnParsePool | undefined;
  const jobs = new Map<number, Promise<ParsedConnFile>>();
  const workerBytes = new Map<number, number>();
  let nextConn = 0;
  let current = 0;
  const progressBytes = () => {
    let b = bytesDone;
    for (const v of workerBytes.values()) b += v;
    return b;
  };
  const dispatch = () => {
    // files parsed ahead of the one being folded in: one per worker plus one
    while (pool && nextConn < connAt.length && jobs.size < pool.size + 1) {
      const j = connAt[nextConn++];
      if (j < current) continue;
      const job = pool.parse(order[j].info, (b) => {
        workerBytes.set(j, b);
        onProgress?.({ filesDone: current, filesTotal, bytesDone: progressBytes(), bytesTotal, currentFile: order[current]?.info.file, phase: 'read' });
      });
      job.catch(() => undefined); // handled where it is awaited
      jobs.set(j, job);
    }
  };
  const stopPool = (reason?: Error) => {
    const p = pool;
    pool = undefined;
    jobs.clear();
    workerBytes.clear();
    return p ? p.destroy(reason) : Promise.resolve();
  };
  const onAbort = () => void stopPool(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });

  let fin: BeaconFinish<BeaconRow>;
  try {
    for (let i = 0; i < order.length; i++) {
      if (signal?.aborted) throw abortError(signal);
      current = i;
      const p = order[i];
      const base = bytesDone;
      onProgress?.({ filesDone: i, filesTotal, bytesDone: progressBytes(), bytesTotal, currentFile: p.info.file, phase: 'read' });
      const readOpts = {
        signal,
        onBytes: (b: number) => {
          bytesDone = base + b;
          onProgress?.({ filesDone: i, filesTotal, bytesDone: progressBytes(), bytesTotal, currentFile: p.info.file, phase: 'read' as const });
        },
      };
      if (p.role !== 'host') agg.setGroup(Math.max(0, groupKeys.indexOf(`${p.info.day}\u0000${String(p.info.hour).padStart(2, '0')}`)));
      if (p.role === 'conn' && poolWanted && !pool) {
        poolWanted = false;
        if (!agg.usesUid) {
          try {
            pool = new ConnParsePool(bundle!, Math.min(workers, connAt.length));
          } catch {
            pool = undefined; // threads unavailable: read in this thread
          }
        }
      }
      let r: ConnFileResult | undefined;
      if (p.role === 'conn' && pool) {
        dispatch();
        const job = jobs.get(i);
        jobs.delete(i);
        dispatch();
        if (job) {
          try {
            const parsed = await job;
            agg.addColumns(parsed.cols);
            r = parsed.result;
          } catch (e) {
            if (isAbort(e) || signal?.aborted) throw abortError(signal);
            if (e instanceof PoolCrashError) throw e;
            if (e instanceof PoolStartError) await stopPool(); // read here, and the rest too
            else r = { file: p.info.file, format: p.info.format, logPath: p.info.logPath, lines: 0, records: 0, unparsedLines: 0, bytes: 0, errors: [{ file: p.info.file, line: 0, message: `cannot read: ${(e as Error).message}` }] };
          }
          workerBytes.delete(i);
        }
      }
      if (!r) {
        try {
          if (p.role === 'host') r = await readZeekFile(p.info, { host: (uid, host) => agg.addHost(uid, host) }, readOpts);
          else if (p.role === 'conn') r = await readZeekFile(p.info, { conn: (rec) => agg.add(rec) }, { ...readOpts, skipUid: !agg.usesUid, names: agg.names });
          else r = await readGenericFile(p.info, p.mapping!, (rec) => agg.add(rec), { ...readOpts, consoleZone: options.consoleTimeZone ?? 'UTC' });
        } catch (e) {
          if (isAbort(e) || signal?.aborted) throw abortError(signal);
          r = { file: p.info.file, format: p.info.format, logPath: p.info.logPath, lines: 0, records: 0, unparsedLines: 0, bytes: 0, errors: [{ file: p.info.file, line: 0, message: `cannot read: ${(e as Error).message}` }] };
        }
      }
      bytesDone = base + Math.max(r.bytes, p.size);
      unparsed += r.unparsedLines;
      if (r.qradarTimes) {
        consoleTimes.files++;
        consoleTimes.display += r.qradarTimes.displayTimes;
        consoleTimes.ambiguous += r.qradarTimes.ambiguousTimes;
      }
      for (const x of r.errors) errors.push(x);
      if (r.notes) for (const x of r.notes) fileNotes.push(x);
      const fi: BeaconFileInfo = { file: p.info.file, format: r.format, logPath: r.logPath, role: p.role, lines: r.lines, records: r.records, unparsedLines: r.unparsedLines };
      if (r.closed !== undefined) fi.closed = r.closed;
      fileInfos.push(fi);
    }
    onProgress?.({ filesDone: filesTotal, filesTotal, bytesDone, bytesTotal, phase: 'score' });
    if (signal?.aborted) throw abortError(signal);
    // IP pairs are scored by the parse workers when they ran (several ranges per worker)
    const scorer = pool;
    try {
      fin = scorer ? await agg.finishWith((job) => scorer.score(job), 2 * scorer.size, charts) : agg.finish(charts);
    } catch (e) {
      if (isAbort(e) || signal?.aborted) throw abortError(signal);
      throw e;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await stopPool();
  }
  const timeNotes = qradarTimeNotes(consoleTimes, options.consoleTimeZone);
  const notes = [...problems, ...fileNotes, ...timeNotes, ...agg.notes, ...fin.notes];
  // the notes that ask the analyst to act (BeaconAnalysis.attention): settings, data left out, inputs read with a
  // caveat — not the routine findings below (ICMP errors only, pairs that never carried data, the console zone used)
  const attention = [...problems, ...fileNotes, ...(options.consoleTimeZone ? [] : timeNotes.slice(0, 1)), ...agg.notes, ...fin.notes];
  if (agg.records > 0 && fin.scored === 0 && (agg.filtered['both-external'] ?? 0) >= 0.9 * agg.records) {
    const external =
      `${g(agg.filtered['both-external'])} of ${count(agg.records, 'record')} ${agg.filtered['both-external'] === 1 ? 'was' : 'were'} left out as external ↔ external (neither address in the internal subnets ${options.internalSubnets.join(', ') || "(none)"}); set the internal subnets (socAnalytics.beacons.internalSubnets / --internal) to the monitored network${sensorHint(agg.topExternalAddress())}`;
    notes.push(external);
    attention.push(external);
  }
  // RITA scores the 24 hours before the latest record: one stray late record leaves the rest out (hostile review),
  // and older logs among the inputs (a 2018 folder beside a 2024 day) fall outside it without a word (a new-user trial).
  const windowNote = outsideWindowNote(fin, options);
  if (windowNote) notes.push(windowNote);
  const noWindow = noWindowNote(fin);
  if (noWindow) notes.push(noWindow);
  for (const n of [windowNote, noWindow]) if (n) attention.push(n);
  const icmpErrors = fin.pairs.filter(isIcmpErrorPair).length;
  if (icmpErrors > 0)
    notes.push(
      `${g(icmpErrors)} of ${g(fin.pairs.length)} listed pair${fin.pairs.length === 1 ? '' : 's'} ${icmpErrors === 1 ? 'is' : 'are'} ICMP error messages only (port unreachable, time exceeded…): usually the source answering packets the destination sent it — say a scanner's probes of closed ports —, so the rhythm is the prober's, not a beacon of the source; look for the destination's traffic to the source before setting one aside (ICMP can carry a covert channel); RITA scores them like any pair (Traffic "ICMP errors only"; the dashboard's card "Pairs without scan artefacts" hides them; --json icmpErrorsOnly, traffic)`,
    );
  // counted by the Traffic label each pair shows (pairTraffic): a pair of ICMP errors only is in the note above even
  // when it never carried data or Zeek flipped it (it was counted here too, as "Backscatter" or "No data exchanged",
  // beside a table that labels it "ICMP errors only" and a card that hides it)
  let flipped = 0;
  let own = 0;
  let icmpQuiet = 0;
  for (const p of fin.pairs) {
    const t = pairTraffic(p);
    if (t === 'backscatter') flipped++;
    else if (t === 'no-data') own++;
    else if (t === 'icmp-errors' && neverCarriedData(p) === true) icmpQuiet++;
  }
  const quiet = flipped + own;
  if (quiet > 0) {
    const kinds = [
      flipped ? `${g(flipped)} backscatter: Zeek flipped the direction of every connection (^ in history, e.g. RSTO ^hR, OTH ^aR) — the source only answered packets it never asked for (resets of SYN-ACKs, answers to scans spoofing its address), not a beacon, the rhythm is the sender's (Traffic "Backscatter"; the dashboard's card "Pairs without scan artefacts" hides them)` : '',
      own ? `${g(own)} the source's own attempts, refused or unanswered (conn_state S0, REJ…, no ^) — what a beacon to a C2 server that is down or sinkholed looks like: check the destination (Traffic "No data exchanged"; not hidden by the card)` : '',
    ].filter(Boolean).join('; ');
    notes.push(
      `${g(quiet)} of ${g(fin.pairs.length)} listed pair${fin.pairs.length === 1 ? '' : 's'} never carried data${icmpQuiet ? ` (besides the ICMP error pairs above)` : ''}: in the Zeek conn log no connection of ${quiet === 1 ? 'it' : 'them'} had a payload byte or was an open session (no payload letter D/d/T/t/G/g in history, conn_state not SF/S1/S2/S3). ${kinds}. RITA scores them like any pair (--json neverCarriedData, backscatter, traffic)`,
    );
  }
  // every scored pair, listed or below --min-score: the bands do not depend on the display filter
  const { high, medium, low } = fin.bands;
  return {
    algorithm: options.algorithm,
    summary: {
      files: fileInfos.length,
      records: agg.records,
      filteredRecords: agg.filteredRecords,
      pairsSeen: fin.pairsSeen,
      pairs: fin.scored,
      listed: fin.pairs.length,
      strobes: fin.strobes.length,
      high,
      medium,
      low,
      windowStart: fin.windowStart,
      windowEnd: fin.windowEnd,
      unparsedLines: unparsed,
      keptFirst: fin.keptFirstMs,
      keptLast: fin.keptLastMs,
      outsideWindow: fin.olderThanWindow,
      outsideFirst: fin.olderFirstMs,
      outsideLast: fin.olderLastMs,
    },
    pairs: fin.pairs,
    strobes: fin.strobes,
    files: fileInfos,
    errors,
    skipped: [...disc.skipped, ...plan.skipped],
    filtered: agg.filtered,
    notes,
    attention,
    options,
  };
}

/** A time span in words, rounded: `6 years`, `3 days`, `5 hours`, `1 minute`. */
export function spanWords(ms: number): string {
  const day = 86_400_000;
  const units: [number, string][] = [[365.25 * day, 'year'], [day, 'day'], [3_600_000, 'hour'], [60_000, 'minute']];
  for (const [size, name] of units) if (ms >= 2 * size || (name === 'minute' && ms >= size)) return count(Math.round(ms / size), name);
  return count(Math.round(ms / 1000), 'second');
}

/**
 * The note on kept records older than the observation window (`undefined` when there are none): how
 * many, their time span, the window and the span of all kept records, and that RITA chose the window
 * from the latest record (it ends there and starts at most 24 hours earlier, rita-beacons.md §1.5, §5.1).
 * With RITA v5's hourly import a pair is scored with the window known after its last hour, so older
 * records still count for pairs with no later connection; with one window they are not scored.
 */
export function outsideWindowNote(
  fin: Pick<BeaconFinish<BeaconRow>, 'keptRecords' | 'olderThanWindow' | 'olderFirstMs' | 'olderLastMs' | 'keptFirstMs' | 'keptLastMs' | 'windowStart' | 'windowEnd' | 'scored'>,
  options: Pick<BeaconOptions, 'hourlyImport' | 'algorithm'>,
): string | undefined {
  if (!(fin.olderThanWindow > 0) || !Number.isFinite(fin.windowStart)) return undefined;
  const oneWindow = !options.hourlyImport || options.algorithm === 'rita-legacy';
  const older = fin.olderThanWindow;
  const span = (a: number, b: number) => (a === b ? `at ${isoUtc(a)}` : `${isoUtc(a)} – ${isoUtc(b)}`);
  const fate = oneWindow || fin.scored === 0
    ? `${older === 1 ? 'it was' : 'they were'} not scored`
    : `${older === 1 ? 'it counts' : 'they count'} only for pairs with no later connection (RITA v5's hourly import scores a pair with the window known after its last hour; --single-window: not at all)`;
  let note =
    `${g(older)} of ${count(fin.keptRecords, 'kept record')} (${span(fin.olderFirstMs, fin.olderLastMs)}) ${older === 1 ? 'is' : 'are'} older than the observation window ` +
    `${isoUtc(fin.windowStart)} – ${isoUtc(fin.windowEnd)}: as in RITA, the window ends at the latest record and starts at most 24 hours earlier, ` +
    `so ${fate}; the kept records span ${span(fin.keptFirstMs, fin.keptLastMs)} (${spanWords(fin.keptLastMs - fin.keptFirstMs)}), ` +
    `and the older ones also move the window's start from the earliest record to 24 hours before the latest, which changes the duration and histogram scores; analyze each day's logs separately (one folder per day)`;
  if (older > fin.keptRecords / 2 && (oneWindow || fin.scored === 0)) note += '; if a few stray records with later times set that window, remove them from the input';
  return note;
}

/** The note on why there is no observation window although records were kept (all in one second); `undefined` otherwise. */
export function noWindowNote(fin: Pick<BeaconFinish<BeaconRow>, 'keptRecords' | 'keptFirstMs' | 'windowStart'>): string | undefined {
  if (Number.isFinite(fin.windowStart) || !(fin.keptRecords > 0) || !Number.isFinite(fin.keptFirstMs)) return undefined;
  const which = fin.keptRecords === 1 ? 'the only kept record is' : `all ${g(fin.keptRecords)} kept records are`;
  return `no observation window: ${which} at ${isoUtc(fin.keptFirstMs)} — RITA's window runs from the earliest to the latest kept record, so it needs records at two different seconds (and a pair needs 4 distinct connection times to be scored)`;
}

/**
 * The notes on QRadar flow exports' times: the zone their console display times (which carry none) were read in —
 * the console zone given (`--console-tz`, socAnalytics.qradar.consoleTimeZone), else UTC, said to be assumed, as the
 * QRadar offense analysis does —, and the times of an hour that occurs twice there (read as the earlier instant).
 * None when no QRadar flow export had display times.
 */
export function qradarTimeNotes(t: { files: number; display: number; ambiguous: number }, consoleZone: string | undefined): string[] {
  if (t.display === 0) return [];
  const n = t.display.toLocaleString('en-US');
  const out = [
    consoleZone
      ? `QRadar flow export times (${n}, written without a zone) were read in the console zone ${consoleZone}`
      : `QRadar flow export times (${n}, written without a zone) were read as UTC: no console zone was given (--console-tz, setting socAnalytics.qradar.consoleTimeZone); if the console shows another zone, every time is off by its offset`,
  ];
  if (t.ambiguous > 0)
    out.push(`${t.ambiguous.toLocaleString('en-US')} QRadar flow time${t.ambiguous === 1 ? '' : 's'} fell in the hour that occurs twice when clocks go back in ${consoleZone ?? 'UTC'} and ${t.ambiguous === 1 ? 'was' : 'were'} read as the earlier one`);
  return out;
}

/** Short display name of an input file (for tables). */
export function shortName(file: string): string {
  return path.basename(file);
}

/**
 * `; 64.225.56.201 is in 361 of the 362 external ↔ external pairs: if it is the monitored host (a sensor with a
 * public address), add 64.225.56.201/32 to the internal subnets`, when one address is in at least half of them (and of at least two);
 * else ''. `top`: BeaconAggregator.topExternalAddress.
 */
export function sensorHint(top: { address: string; pairs: number; of: number } | undefined): string {
  if (!top || top.of < 2 || top.pairs * 2 < top.of) return '';
  const cidr = `${top.address}/${top.address.includes(':') ? 128 : 32}`;
  return `; ${top.address} is in ${top.pairs.toLocaleString('en-US')} of the ${top.of.toLocaleString('en-US')} external ↔ external pairs: if it is the monitored host (a sensor with a public address), add ${cidr} to the internal subnets`;
}
