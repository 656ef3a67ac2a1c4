/**
 * Discover + parse + analyze, shared by the worker thread and the CLI. OWNER: analytics helper.
 */
import { discoverLokiFiles } from '../parse/discover';
import { parseLokiFileColumnar, ReadBuffers } from '../parse/loki';
import { LokiFindingStore, MessageReader } from '../parse/loki-store';
import {
  ConnParsePool, LOKI_WORKERS_ENV, PARSE_WORKER_HEAP_MB, PARSE_WORKER_START_MS, PoolCrashError, PoolStartError,
  defaultParseWorkerBundle, defaultParseWorkers, type LokiFileData,
} from './beacons/pool';
import { LokiIntern, TextPool } from '../parse/loki-intern';
import type { FindingList, LokiFileResult, LokiReason } from '../model/loki';
import { cancelledError as abortError, isAbort } from './cancel';
import { analyzeLoki, type LokiAnalysis, type LokiAnalysisOptions } from './loki-summary';

export interface LokiProgress {
  filesDone: number;
  filesTotal: number;
  /** Bytes read so far over all files (monotonic, ≤ bytesTotal unless files grew while read). */
  bytesDone: number;
  /** Total size of the discovered files in bytes (from discovery). */
  bytesTotal: number;
  currentFile?: string;
}

/** Least total size of the files (bytes) for which parse workers are started by default. */
export const MIN_LOKI_POOL_BYTES = 32 << 20;

/**
 * Default number of Loki parse worker threads: `SOC_ANALYTICS_LOKI_WORKERS` when set (0 = none), else one per core
 * but one, at most 3 (`defaultParseWorkers` less one: the calling thread parses files beside them).
 */
export function defaultLokiParseWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const n = defaultParseWorkers(env, LOKI_WORKERS_ENV);
  const v = env[LOKI_WORKERS_ENV];
  return v !== undefined && /^\d+$/.test(v.trim()) ? n : Math.max(0, n - 1);
}

/** How {@link runLokiAnalysis} runs (not part of the analysis options). */
export interface LokiRunControl {
  signal?: AbortSignal;
  onProgress?: (p: LokiProgress) => void;
  /**
   * Worker threads that parse the files (beacons/pool.ts, entry dist/zeek-worker.js) beside the calling thread, which
   * parses the next file nobody has taken whenever it would wait for a worker: 0 parses every file in the calling
   * thread. Default: {@link defaultLokiParseWorkers} (one per core but one; environment variable
   * `SOC_ANALYTICS_LOKI_WORKERS`), used only for at least two files totalling {@link MIN_LOKI_POOL_BYTES}; an
   * explicit number uses them for any run with files.
   */
  parseWorkers?: number;
  /** Path of the parse-worker entry; default `zeek-worker.js` next to the running bundle (none: no workers). */
  parseWorkerBundle?: string;
}

/**
 * Runs a whole Loki analysis over files and folders:
 * `discoverLokiFiles(paths)` → `parseLokiFileColumnar` per discovered file, in parse worker threads and the calling
 * thread when the run is large enough (see {@link LokiRunControl.parseWorkers}; the result is the same) or
 * one after the other in the calling thread → {@link analyzeLoki} over the results in discovery order. Discovery errors (unreadable paths) are added to `analysis.errors` (line 0)
 * and discovery's skipped files to `analysis.skipped`.
 *
 * Findings share repeated values (reasons arrays and reason objects, paths; file types of findings
 * kept as objects; see ../parse/loki-intern.ts) — within a run in the calling thread, within a file
 * when parsed by a worker: treat the result as read-only. The memos
 * themselves are dropped after the run. File findings of Python CSV logs are kept in columnar stores
 * (../parse/loki-store.ts): `analysis.findings` is a {@link FindingList} that builds each finding on
 * demand (`at(i)`, `slice`, iteration), with the same values as `parseLokiFile` + `analyzeLoki`.
 *
 * `onProgress` is called before each file, while reading (via the parser's byte callback) and once
 * at the end (`filesDone === filesTotal`; `filesDone` counts files parsed, in any order); callers throttle it
 * themselves.
 *
 * Rejects with an Error named `AbortError` when `signal` is aborted (checked before each file and
 * inside the parser; workers are terminated). A file whose worker failed, crashed or could not start
 * is parsed in the calling thread instead (with the files after it). A parser failure other than
 * abort (a bug: the parser's contract is to never reject) is recorded as a file-level error for that
 * file and the run continues. Errors from
 * discovery itself (other than per-path errors) propagate.
 */
export async function runLokiAnalysis(
  paths: string[],
  opts: LokiAnalysisOptions & LokiRunControl = {},
): Promise<LokiAnalysis<FindingList>> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError(signal);
  const disc = await discoverLokiFiles(paths, { signal });
  if (signal?.aborted) throw abortError(signal);
  const filesTotal = disc.files.length;
  const bytesTotal = disc.totalBytes;
  let bytesDone = 0;
  const results: LokiFileResult<FindingList>[] = [];
  // Repeated texts (reasons, paths, file types) shared by the findings of every file of this run.
  const intern = new LokiIntern();
  // read buffers reused from file to file by this thread (see ReadBuffers)
  const readBuffers = new ReadBuffers();
  // Reads the messages of the columnar findings back from their files when findings are built.
  const reader = new MessageReader();
  // Bytes read so far by workers, per file not yet taken over.
  const workerBytes = new Map<number, number>();
  let lastBytes = 0;
  const report = (filesDone: number, currentFile?: string) => {
    if (!onProgress) return;
    let b = bytesDone;
    for (const v of workerBytes.values()) b += v;
    // monotonic: a file handed back by a failed worker is read again from its start
    b = lastBytes = Math.max(lastBytes, b);
    onProgress({ filesDone, filesTotal, bytesDone: b, bytesTotal, currentFile });
  };

  // Parse workers, and this thread beside them: files are handed out in order, two per worker at a time; this thread
  // parses the next file nobody has taken whenever it would otherwise wait for a worker's result, so that the
  // calling thread is one of the parsers (one fewer worker by default) and its files never travel between threads.
  const workers = opts.parseWorkers ?? defaultLokiParseWorkers();
  const bundle = opts.parseWorkerBundle ?? defaultParseWorkerBundle();
  let pool: ConnParsePool | undefined;
  const poolWorkers = Math.min(workers, filesTotal);
  if (workers > 0 && bundle !== undefined && filesTotal > 0 && (opts.parseWorkers !== undefined || (filesTotal >= 2 && bytesTotal >= MIN_LOKI_POOL_BYTES))) {
    try {
      // Two files per worker at a time: a worker never waits for this thread to hand out the next one.
      pool = new ConnParsePool(bundle, poolWorkers, PARSE_WORKER_HEAP_MB, PARSE_WORKER_START_MS, { label: 'Loki parse worker', depth: 2 });
    } catch {
      pool = undefined; // threads unavailable: parse in this thread
    }
  }
  // Per file: the worker's job (undefined: not sent, or taken back when the pool stopped), whether it settled, and
  // a result parsed here ahead of its turn (while this thread waited for an earlier file's worker).
  const jobs: (Promise<LokiFileData> | undefined)[] = new Array(filesTotal);
  const settled = new Uint8Array(filesTotal);
  const ahead: (LokiFileResult<FindingList> | undefined)[] = new Array(filesTotal);
  // Equal reasons lists of files parsed by workers become one array again (see LokiFindingStore.fromData).
  const sharedReasons = new Map<string, LokiReason[]>();
  // Their paths pooled apart from this thread's memo (a pool switches itself off when it does not pay;
  // unique worker paths must not switch off the one of files parsed here).
  const workerPaths = new TextPool(200_000);
  /** Files [0, handedOut) are taken: by a worker (jobs[i]) or by this thread. */
  let handedOut = 0;
  let inFlight = 0;
  let filesDone = 0;
  let current = 0;
  const feed = (): void => {
    while (pool && inFlight < poolWorkers * 2 && handedOut < filesTotal) {
      const i = handedOut++;
      inFlight++;
      const job = pool.lokiFile(disc.files[i], (b) => {
        workerBytes.set(i, b);
        report(filesDone, disc.files[current]);
      });
      const done = () => {
        settled[i] = 1;
        inFlight--;
        feed();
      };
      job.then(done, done); // errors are handled where the job is awaited
      jobs[i] = job;
    }
  };
  const stopPool = (reason?: Error): Promise<void> => {
    const p = pool;
    pool = undefined;
    jobs.fill(undefined);
    workerBytes.clear();
    return p ? p.destroy(reason) : Promise.resolve();
  };
  const onAbort = () => void stopPool(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  /** Parses file `i` in this thread; a parser failure other than abort becomes a file-level error. */
  const parseHere = async (i: number): Promise<LokiFileResult<FindingList>> => {
    const file = disc.files[i];
    try {
      return await parseLokiFileColumnar(file, reader, {
        signal,
        intern,
        buffers: readBuffers,
        onBytes: (b) => {
          workerBytes.set(i, Math.max(0, b));
          report(filesDone, file);
        },
      });
    } catch (e) {
      if (isAbort(e) || signal?.aborted) throw abortError(signal);
      return {
        file,
        format: 'unknown',
        encoding: 'unknown',
        lines: 0,
        bytes: 0,
        scans: [],
        findings: [],
        errors: [{ file, line: 0, message: `Cannot parse file: ${e instanceof Error ? e.message : String(e)}` }],
      };
    } finally {
      workerBytes.delete(i);
    }
  };
  const finish = (r: LokiFileResult<FindingList>): LokiFileResult<FindingList> => {
    bytesDone += r.bytes || 0;
    filesDone++;
    return r;
  };
  try {
    feed();
    for (let i = 0; i < filesTotal; i++) {
      if (signal?.aborted) throw abortError(signal);
      current = i;
      const file = disc.files[i];
      report(filesDone, file);
      let r = ahead[i];
      ahead[i] = undefined;
      if (r === undefined && i >= handedOut) {
        // nobody has it: this thread takes it (the workers get their next files first)
        handedOut = i + 1;
        feed();
        r = finish(await parseHere(i));
      }
      const job = jobs[i];
      if (r === undefined && job) {
        // while its worker parses it, this thread parses the next files nobody has taken
        while (!settled[i] && pool && handedOut < filesTotal) {
          const k = handedOut++;
          feed();
          ahead[k] = finish(await parseHere(k));
          if (signal?.aborted) throw abortError(signal);
        }
        jobs[i] = undefined;
        try {
          const d = await job;
          const store = LokiFindingStore.fromData(d.findings, reader, { reasons: sharedReasons, texts: workerPaths });
          workerBytes.delete(i);
          r = finish({ ...d, findings: store });
        } catch (e) {
          if (isAbort(e) || signal?.aborted) throw abortError(signal);
          workerBytes.delete(i);
          // Parsed here instead; a pool that failed as a whole hands every later file back too.
          if (e instanceof PoolStartError || e instanceof PoolCrashError) await stopPool();
        }
      }
      // a file whose worker failed, or that was handed back when the pool stopped
      if (r === undefined) r = finish(await parseHere(i));
      results.push(r);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await stopPool();
  }
  report(filesTotal);
  const analysis = analyzeLoki(results, { includeAllScans: opts.includeAllScans, now: opts.now });
  if (disc.errors.length > 0) analysis.errors = [...disc.errors, ...analysis.errors];
  if (disc.skipped.length > 0) analysis.skipped = [...disc.skipped, ...(analysis.skipped ?? [])];
  return analysis;
}
