/**
 * `soc-analytics qradar-fetch` and `soc-analytics qradar-count` (wired into src/cli/cli.ts). They use
 * the same client, fetch and Ariel code as the extension. The token comes from the `QRADAR_TOKEN`
 * environment variable only (never an argument: arguments end up in shell history and `ps`).
 *
 *   soc-analytics qradar-fetch --url URL --from T --to T --out FILE [--status OPEN,HIDDEN,CLOSED]
 *       [--time-field start_time|last_updated_time|last_persisted_time|close_time] [--page-size N]
 *       [--fields a,b,…|all] [--max-offenses N] [--api-version V] [--ca PEM] [--insecure] [--timeout S] [--resume]
 *       [--force] [--verbose]
 *   soc-analytics qradar-count --url URL --from T --to T --group day|hour|event-name|log-source|source-ip
 *       --out FILE [--offense ID] [--limit N] [--api-version V] [--ca PEM] [--insecure] [--timeout S] [--json] [--verbose]
 *
 * Times T: ISO 8601 (`2026-03-02`, `2026-03-02T06:00Z`; without a zone read as UTC), epoch ms, `now`,
 * or relative `-7d` / `-12h` / `-30m` (before now).
 * Exit codes: 0 complete; 4 ({@link EXIT_QRADAR_API}) the console could not be reached or answered with an error, or
 * the fetch was interrupted (a partial fetch is kept and can be resumed with `--resume`); 2 bad arguments, missing
 * token or unreadable CA file, and a fetch or resume refused as not matching the fetch on disk
 * ({@link FetchRefusedError}: nothing to resume, already complete, another console, a fetch already there without
 * `--resume`, an --out file no fetch wrote without `--force`); 1 anything else (a fetch of the same file running, a damaged partial file, an unexpected failure).
 */
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { argErrorExit, EXIT_QRADAR_API, helpVersionHelp, outputFileProblem } from '../cli-support';
import { helperFileErrorText, MAX_CA_FILE_BYTES, readHelperFile } from '../fs-read';
import { terminalErrorText, terminalSafe } from '../text-safe';
import { buildCountAql, countFile, runArielSearch, type ArielGroup } from './ariel';
import { QRadarClient, requestLogLine } from './client';
import { QRadarApiError } from './errors';
import { CLI_TLS_NAMES, tlsAdviceText } from './tls-advice';
import { FetchRefusedError, FetchWouldReplaceError, fetchOffenses, OFFENSE_FIELDS, type OffenseStatus, type OffenseTimeField } from './fetch';
import { promises as fsp } from 'node:fs';
import { KNOWN_STATUSES } from '../parse/qradar';

export interface QRadarApiCliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  stderrIsTTY?: boolean;
  /** Environment (default process.env): `QRADAR_TOKEN`. */
  env?: Record<string, string | undefined>;
  /** Cancels the run (tests); the CLI also cancels on SIGINT. */
  signal?: AbortSignal;
  /** Client overrides (tests: fast retries). */
  clientOverrides?: { maxRetries?: number; backoffBaseMs?: number; pollMs?: number };
}

/** The offense statuses `--status` takes, as the offense reader knows them (KNOWN_STATUSES): `OPEN, HIDDEN, CLOSED`. */
const STATUS_LIST = [...KNOWN_STATUSES].join(', ');

export const QRADAR_API_USAGE = `  soc-analytics qradar-fetch --url URL --from T --to T --out FILE [--status S,…] [--time-field F]
      [--page-size N] [--fields a,b,…|all] [--max-offenses N] [--api-version V] [--ca PEM] [--insecure] [--timeout S]
      [--resume] [--force] [--verbose]
  soc-analytics qradar-count --url URL --from T --to T --group day|hour|event-name|log-source|source-ip --out FILE
      [--offense ID] [--limit N] [--api-version V] [--ca PEM] [--insecure] [--timeout S] [--json] [--verbose]
      (token from the QRADAR_TOKEN environment variable; T = ISO 8601, epoch ms, now, -7d, -12h)
`;

/** `qradar-fetch --help`: the usage line and what each option does (README: each subcommand's --help explains its options). */
export const QRADAR_FETCH_HELP = `Fetch offenses from the QRadar REST API (GET /api/siem/offenses) into a JSON file the qradar command reads.

Usage:
  soc-analytics qradar-fetch --url URL --from T --to T --out FILE [options]

  --url URL             the QRadar console (https://…; http only for loopback, e.g. an SSH tunnel)
  --from T, --to T      the window, on --time-field: ISO 8601 (no zone = UTC), epoch ms, now, -7d, -12h, -30m
  --out FILE            the offenses as one JSON array (its folder must exist: checked before any request);
                        beside it <stem>.manifest.json (march.json →
                        march.manifest.json) records the query and the progress, and the closing reasons,
                        offense types, rules and addresses the offenses refer to go to <stem>.closing-reasons.json,
                        .offense-types.json, .rules.json, .source-addresses.json, .local-destination-addresses.json
  --status S,…          only these statuses: ${STATUS_LIST} (default: all)
  --time-field F        start_time (default), last_updated_time, last_persisted_time or close_time
  --page-size N         offenses per request, 1…10000 (default 500; Range: items=…)
  --fields a,b,…|all    the offense fields to ask for (default: those the dashboards use; all = every field)
  --max-offenses N      the most offenses the file may hold (default 2,000,000): a console that keeps sending
                        new offenses stops there, the fetch left partial (exit 4) — narrow the window, or
                        raise N and --resume (allowed beside --resume)
  --resume              continue the fetch recorded in the manifest after an interruption or an error
                        (--url and --out only: the window and filters come from the manifest; --from,
                        --to, --status, --time-field, --page-size or --fields beside it is exit 2)
  --force               replace an existing --out FILE (and lookup files beside it) that no fetch wrote (no
                        manifest beside it); without it such a file is left as it is (exit 2, nothing fetched).
                        A previous fetch's own files are resumed (--resume), never replaced by a new fetch
  --api-version V       the Version header (default: none, the newest the console offers; the extension
                        sends socAnalytics.qradar.apiVersion, default 20.0: pass 20.0 for the same answers)
  --ca PEM              trust this CA (PEM file) besides the system's, for a console with a private CA
  --insecure            do not verify the console's TLS certificate (verified unless this is given)
  --timeout S           seconds per request, 1…3600 (default 120; below 1 is refused, exit 2); timeouts, dropped
                        connections, 5xx and 429 are retried with backoff (a console never reached — connection
                        refused, host not found, unreachable — or a TLS certificate error is not: fix --url/--ca)
  --verbose             log each request (method, URL, status, range, time) on stderr; the token never appears
${helpVersionHelp(24)}
The token is read from the QRADAR_TOKEN environment variable (an authorized-service token), never from an option.
Exit codes: 0 done, 4 the fetch stopped: the console could not be reached (connection refused, timeout, TLS),
answered with an error (401, 5xx after the retries) or the fetch was interrupted — what was fetched is kept,
marked partial (the qradar command reports it as such; the message says how to resume; a fetch that got not
one page keeps no file: run it again), 2 bad arguments, no
token or an unreadable CA file, or a fetch refused as not matching the one on disk (--resume with no manifest
to resume, of a complete fetch or of another console's; --resume with --from, --to or filters; a new fetch
into a file that has one, or into an existing file no fetch wrote without --force), 1 another failure (a fetch of the same file running, a damaged partial file, an
unexpected error).
`;

/** `qradar-count --help`. */
export const QRADAR_COUNT_HELP = `Count events with an Ariel (AQL) search on the QRadar REST API, grouped, into a JSON file the qradar command reads.

Usage:
  soc-analytics qradar-count --url URL --from T --to T --group G --out FILE [options]

  --url URL             the QRadar console (https://…; http only for loopback)
  --from T, --to T      the window: ISO 8601 (no zone = UTC), epoch ms, now, -7d, -12h, -30m
  --group G             day, hour (buckets in the console's time zone: AQL DATEFORMAT), event-name, log-source
                        or source-ip
  --out FILE            the counts (format soc-analytics/qradar-ariel-count; its folder must exist)
  --offense ID          only the events of this offense (INOFFENSE)
  --limit N             at most N groups, the largest first (default 1000 for names; every bucket for day/hour)
  --json                print the counts as JSON instead of one tab-separated line per group
  --api-version V, --ca PEM, --insecure, --timeout S, --verbose   as for qradar-fetch
${helpVersionHelp(24)}
The token is read from the QRADAR_TOKEN environment variable. Exit codes: 0 done, 4 the search failed (the console
could not be reached or answered with an error), 2 bad arguments, no token or an unreadable CA file, 1 another
failure.
`;

/**
 * The CLI's words for a new fetch refused because `--out` (or a lookup file beside it) is there and no fetch wrote it
 * (no manifest beside it): `--out march.json already exists and is not a qradar-fetch output (no march.manifest.json
 * beside it); nothing was fetched or written. Pass --force to replace it, or choose another --out file` — the lookup
 * files named when some are there too. `out`: --out as given.
 */
export function wouldReplaceText(e: FetchWouldReplaceError, out: string): string {
  const others = e.files.filter((f) => f !== resolve(out));
  const outThere = others.length < e.files.length;
  const what = outThere ? `--out ${out} already exists${others.length ? ` (and ${others.join(', ')})` : ''}` : `${others.join(', ')} ${others.length === 1 ? 'exists' : 'exist'} beside --out ${out}`;
  return `${what} and ${e.files.length === 1 ? 'is' : 'are'} not qradar-fetch output (no fetch manifest ${e.manifest}); nothing was fetched or written. Pass --force to replace ${e.files.length === 1 ? 'it' : 'them'}, or choose another --out file`;
}

/**
 * What to do about a TLS error (kind `tls`) of `qradar-fetch` / `qradar-count` ({@link tlsAdviceText} with the CLI's
 * options `--ca <file>`, `--insecure`, `--url`), as a stderr line `soc-analytics <cmd>: …\n`; empty for any other
 * error. `caGiven`: a CA file was given (and the certificate still did not verify with it).
 */
export function tlsAdvice(e: unknown, cmd: string, caGiven: boolean): string {
  const text = tlsAdviceText(e, caGiven, CLI_TLS_NAMES);
  return text ? `soc-analytics ${cmd}: ${text}\n` : '';
}

class ArgError extends Error {}

const GROUPS: Record<string, ArielGroup> = { day: 'day', hour: 'hour', 'event-name': 'eventName', 'log-source': 'logSource', 'source-ip': 'sourceIp' };
const TIME_FIELDS = new Set(['start_time', 'last_updated_time', 'last_persisted_time', 'close_time']);

/**
 * Parses a time argument to epoch ms UTC: ISO 8601 (zone-less → UTC), epoch ms (≥ 10 digits),
 * `now`, `-<n>d|h|m` relative to `nowMs`. Throws ArgError.
 */
export function parseTimeArg(v: string, nowMs: number, what = 'time'): number {
  const s = v.trim();
  if (s === 'now') return nowMs;
  const rel = /^-(\d+)([dhm])$/.exec(s);
  if (rel) return nowMs - Number(rel[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[2] as 'd' | 'h' | 'm'];
  if (/^\d{10,}$/.test(s)) return Number(s);
  const dt = DateTime.fromISO(s, { zone: 'UTC', setZone: true });
  if (!dt.isValid) throw new ArgError(`${what}: not a time: ${v} (ISO 8601, epoch ms, now, -7d)`);
  return dt.toMillis();
}

interface Common {
  url: string;
  fromMs: number;
  toMs: number;
  out: string;
  apiVersion?: string;
  ca?: string;
  insecure: boolean;
  timeoutS: number;
  verbose: boolean;
  json: boolean;
  resume: boolean;
  /** qradar-fetch `--force`: a new fetch replaces an --out file (and lookup files) no fetch wrote. */
  force: boolean;
  statuses: OffenseStatus[];
  timeField: OffenseTimeField;
  pageSize: number;
  fields?: string[];
  group?: ArielGroup;
  offenseId?: number;
  limit?: number;
  maxOffenses?: number;
  help: boolean;
}

function parseArgs(cmd: string, args: string[], nowMs: number): Common {
  const given = new Set<string>();
  const o: Partial<Common> & { from?: string; to?: string } = { insecure: false, timeoutS: 120, verbose: false, json: false, resume: false, force: false, statuses: [], timeField: 'start_time', pageSize: 500, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    given.add(name);
    const val = () => {
      const v = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new ArgError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '--url':
        o.url = val();
        break;
      case '--from':
        o.from = val();
        break;
      case '--to':
        o.to = val();
        break;
      case '--out':
        o.out = val();
        break;
      case '--api-version':
        o.apiVersion = val();
        break;
      case '--ca':
        o.ca = val();
        break;
      case '--insecure':
        o.insecure = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--json':
        o.json = true;
        break;
      case '--resume':
        o.resume = true;
        break;
      case '--force':
        o.force = true;
        break;
      case '--timeout': {
        // below 1 s (0.5, 0, negative) every request would time out at once: a usage error, as text that is no number
        const v = val();
        const n = v.trim() === '' ? NaN : Number(v);
        if (!(n >= 1 && n <= 3600)) throw new ArgError(`--timeout ${JSON.stringify(v)}: must be a number of seconds from 1 to 3600 (the time one request may take; default 120)`);
        o.timeoutS = n;
        break;
      }
      case '--page-size': {
        const n = Number(val());
        if (!(Number.isInteger(n) && n >= 1 && n <= 10000)) throw new ArgError('--page-size must be an integer 1…10000');
        o.pageSize = n;
        break;
      }
      case '--status': {
        const list = val().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
        for (const s of list) if (!KNOWN_STATUSES.has(s)) throw new ArgError(`--status: unknown status ${s} (${STATUS_LIST})`);
        o.statuses = list as OffenseStatus[];
        break;
      }
      case '--time-field': {
        const f = val();
        if (!TIME_FIELDS.has(f)) throw new ArgError(`--time-field: one of ${[...TIME_FIELDS].join(', ')}`);
        o.timeField = f as OffenseTimeField;
        break;
      }
      case '--fields': {
        const f = val();
        o.fields = f === 'all' ? [] : f.split(',').map((s) => s.trim()).filter(Boolean);
        break;
      }
      case '--group': {
        // own keys only: `constructor` or `__proto__` is in every object (it was taken, and the run ended with exit 1)
        const gv = val();
        const g = Object.hasOwn(GROUPS, gv) ? GROUPS[gv] : undefined;
        if (!g) throw new ArgError(`--group: one of ${Object.keys(GROUPS).join(', ')}`);
        o.group = g;
        break;
      }
      case '--offense': {
        const n = Number(val());
        if (!(Number.isSafeInteger(n) && n >= 0)) throw new ArgError('--offense must be an offense id');
        o.offenseId = n;
        break;
      }
      case '--max-offenses': {
        const v = val();
        const n = Number(v.replace(/[,_]/g, ''));
        if (!(Number.isSafeInteger(n) && n >= 1)) throw new ArgError(`--max-offenses ${JSON.stringify(v)}: must be a positive whole number of offenses (default 2,000,000)`);
        o.maxOffenses = n;
        break;
      }
      case '--limit': {
        const n = Number(val());
        if (!(Number.isSafeInteger(n) && n >= 1)) throw new ArgError('--limit must be a positive integer');
        o.limit = n;
        break;
      }
      default:
        throw new ArgError(`unknown option for ${cmd}: ${a}`);
    }
  }
  if (o.help) return o as Common;
  if (!o.url) throw new ArgError('--url is required (the QRadar console, e.g. https://qradar.corp.example)');
  if (!o.out) throw new ArgError('--out FILE is required');
  // Checked before any request: a fetch or an Ariel search that runs for minutes must not fail at the end for a typo.
  const outProblem = outputFileProblem(o.out);
  if (outProblem) throw new ArgError(`--out ${o.out}: ${outProblem}`);
  if (cmd === 'qradar-fetch' && o.resume) {
    // the window and the filters are the manifest's: a different one given here would be ignored silently
    const query = ['--from', '--to', '--status', '--time-field', '--page-size', '--fields'].filter((n) => given.has(n));
    if (query.length) throw new ArgError(`--resume continues the fetch recorded in the manifest, with its window and filters: leave out ${query.join(', ')}`);
  } else {
    if (!o.from || !o.to) throw new ArgError('--from and --to are required');
    o.fromMs = parseTimeArg(o.from, nowMs, '--from');
    o.toMs = parseTimeArg(o.to, nowMs, '--to');
    if (o.toMs <= o.fromMs) throw new ArgError('--to must be after --from');
  }
  if (cmd === 'qradar-count' && given.has('--force')) throw new ArgError('--force is for qradar-fetch');
  if (cmd === 'qradar-fetch' && o.resume && o.force) throw new ArgError('--force is for a new fetch (it replaces an --out file no fetch wrote); --resume continues the fetch of --out: leave out --force');
  if (cmd === 'qradar-count' && given.has('--max-offenses')) throw new ArgError('--max-offenses is for qradar-fetch (qradar-count reads at most --limit groups)');
  if (cmd === 'qradar-count' && !o.group) throw new ArgError('--group is required (day, hour, event-name, log-source, source-ip)');
  return o as Common;
}

/**
 * Runs `qradar-fetch` / `qradar-count`. Resolves to the exit code; never rejects.
 */
export async function qradarApiCli(cmd: 'qradar-fetch' | 'qradar-count', args: string[], io: QRadarApiCliIO): Promise<number> {
  let o: Common;
  const now = Date.now();
  try {
    o = parseArgs(cmd, args, now);
  } catch (e) {
    return argErrorExit(e, ArgError, io, `soc-analytics ${cmd} --help`, `soc-analytics ${cmd}`);
  }
  if (o.help) {
    io.stdout(cmd === 'qradar-fetch' ? QRADAR_FETCH_HELP : QRADAR_COUNT_HELP);
    return 0;
  }
  const token = (io.env ?? process.env).QRADAR_TOKEN;
  if (!token || !token.trim()) {
    io.stderr(`soc-analytics ${cmd}: set the QRadar authorized-service token in the QRADAR_TOKEN environment variable\n`);
    return 2;
  }
  let caPem: string | undefined;
  if (o.ca) {
    try {
      // a regular file of at most 16 MiB: a FIFO hung the command, /dev/zero filled the memory
      caPem = (await readHelperFile(resolve(o.ca), MAX_CA_FILE_BYTES)).toString('utf8');
    } catch (e) {
      io.stderr(`soc-analytics ${cmd}: cannot read the CA file ${o.ca}: ${helperFileErrorText(e)}\n`);
      return 2;
    }
  }
  if (o.insecure) io.stderr(`soc-analytics ${cmd}: WARNING: TLS certificate verification is OFF (--insecure); the token could be sent to an impostor.\n`);
  let client: QRadarClient;
  try {
    client = new QRadarClient({
      consoleUrl: o.url,
      token,
      apiVersion: o.apiVersion,
      timeoutMs: o.timeoutS * 1000,
      caPem,
      allowInsecureTls: o.insecure,
      maxRetries: io.clientOverrides?.maxRetries,
      backoffBaseMs: io.clientOverrides?.backoffBaseMs,
      onRequest: o.verbose ? (e) => io.stderr(`${terminalSafe(requestLogLine(e))}\n`) : undefined,
    });
  } catch (e) {
    io.stderr(`soc-analytics ${cmd}: ${terminalErrorText((e as Error).message)}\n`);
    return 2;
  }
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  const onOuter = () => ac.abort();
  io.signal?.addEventListener('abort', onOuter, { once: true });
  if (io.signal?.aborted) ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const out = resolve(o.out);
    if (cmd === 'qradar-fetch') {
      let last = 0;
      const r = await fetchOffenses(
        client,
        out,
        o.resume ? { resume: true } : { query: { fromMs: o.fromMs, toMs: o.toMs, statuses: o.statuses, timeField: o.timeField, pageSize: o.pageSize, fields: o.fields ?? OFFENSE_FIELDS } },
        {
          signal: ac.signal,
          apiVersion: o.apiVersion,
          maxOffenses: o.maxOffenses,
          replaceOtherFiles: o.force,
          onProgress: io.stderrIsTTY
            ? (p) => {
                if (Date.now() - last < 100) return;
                last = Date.now();
                io.stderr(`\r${p.phase === 'offenses' ? `${p.fetched} of ${p.total ?? '?'} offense${p.total === 1 ? '' : 's'}` : `lookups: ${p.lookup ?? p.phase}`}          `);
              }
            : undefined,
        },
      );
      if (io.stderrIsTTY) io.stderr('\r\n');
      const m = r.manifest;
      const lk = Object.entries(m.lookups)
        .map(([k, v]) => `${k} ${v?.count}`)
        .join(', ');
      if (r.complete) {
        io.stdout(`${m.offenses.fetched} offense${m.offenses.fetched === 1 ? '' : 's'} written to ${out} (complete${lk ? `; ${lk}` : ''})\n`);
        for (const w of m.warnings) io.stderr(`warning: ${terminalErrorText(w)}\n`);
        return 0;
      }
      if (r.discarded) {
        // not one page: no file and no manifest are left behind, so there is no resume — the same command again
        io.stderr(
          `soc-analytics qradar-fetch: ${terminalErrorText(r.error?.message ?? 'stopped')}\n` +
            (r.kept
              ? `Nothing was fetched, so nothing was written: ${out} is as it was (not replaced), no manifest; run the same command again once that is fixed.\n`
              : `Nothing was fetched, so nothing was written (no ${out}, no manifest); run the same command again once that is fixed.\n`),
        );
        io.stderr(tlsAdvice(r.error, cmd, caPem !== undefined));
        return EXIT_QRADAR_API;
      }
      // stopped at --max-offenses: the resume needs a larger bound (twice what the file holds is offered)
      const atLimit = r.error?.kind === 'limit';
      const resume = `soc-analytics qradar-fetch --url ${o.url} --out ${o.out} --resume${atLimit ? ` --max-offenses ${2 * m.offenses.fetched}` : ''}`;
      io.stderr(
        `soc-analytics qradar-fetch: ${terminalErrorText(r.error?.message ?? 'stopped')}\n` +
          (m.offenses.fetched === 0 && m.offenses.layout === 'json-array'
            ? `No offense was fetched: ${out} holds an empty list ([]); the query is kept in ${r.files.manifest} (partial). Retry with: ${resume}\n`
            : `${m.offenses.fetched} offense${m.offenses.fetched === 1 ? '' : 's'} kept in ${out} (partial). Resume with${atLimit ? ' a larger bound' : ''}: ${resume}\n`),
      );
      io.stderr(tlsAdvice(r.error, cmd, caPem !== undefined));
      return EXIT_QRADAR_API;
    }
    const spec = { group: o.group!, fromMs: o.fromMs, toMs: o.toMs, offenseId: o.offenseId, limit: o.limit };
    const aql = buildCountAql(spec);
    const run = await runArielSearch(client, aql, {
      signal: ac.signal,
      pollMs: io.clientOverrides?.pollMs,
      onCleanupFailed: (m) => io.stderr(`soc-analytics ${cmd}: warning: ${terminalErrorText(m)}\n`),
    });
    const file = countFile(client.origin, spec, aql, run, Date.now());
    await fsp.writeFile(out, `${JSON.stringify(file, null, 1)}\n`, 'utf8');
    for (const w of run.warnings) io.stderr(`warning: the Ariel search completed with an error message, the counts may be incomplete: ${terminalErrorText(w)}\n`);
    for (const w of run.rowWarnings) io.stderr(`warning: ${terminalErrorText(w)}\n`);
    // the same warnings as the count file (countFile): the search's messages, then what the row bound left out
    const warnings = [...run.warnings, ...run.rowWarnings];
    if (o.json) io.stdout(`${JSON.stringify({ file: out, aql, rows: run.rows, ...(warnings.length ? { warnings } : {}) })}\n`);
    else {
      io.stdout(`${run.rows.length} group${run.rows.length === 1 ? '' : 's'} written to ${out}\n`);
      // one line per group whatever the console sent: a tab or line break in a key is escaped (\u0009, \u000a)
      for (const r of run.rows) io.stdout(`${terminalSafe(String(r[file.keyColumn] ?? ''))}\t${Number(r.events)}\n`);
    }
    return 0;
  } catch (e) {
    const msg = e instanceof QRadarApiError || e instanceof Error ? e.message : String(e);
    io.stderr(`soc-analytics ${cmd}: ${terminalErrorText(e instanceof FetchWouldReplaceError ? wouldReplaceText(e, o.out) : msg)}\n`);
    io.stderr(tlsAdvice(e, cmd, caPem !== undefined));
    // the console unreachable or answering with an error is no unexpected failure
    // a resume or fetch that does not match the one on disk is a usage error, as bad arguments
    return e instanceof RangeError || e instanceof FetchRefusedError ? 2 : e instanceof QRadarApiError && e.kind !== 'config' ? EXIT_QRADAR_API : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    io.signal?.removeEventListener('abort', onOuter);
    client.close();
  }
}
