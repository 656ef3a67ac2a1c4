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

/** How {@link runLokiAnalysis} runs (not part of the analysis options). */
export interface LokiRunControl {
  signal?: AbortSignal;
  onProgress?: (p: LokiProgress) => void;
  /**
   * Worker threads that parse the files (beacons/pool.ts, entry dist/zeek-worker.js): 0 parses every
   * file in the calling thread. Default: one per core, at most 4 (`defaultParseWorkers`; environment
   * variable `SOC_ANALYTICS_LOKI_WORKERS`), used only for at least two files totalling
   * {@link MIN_LOKI_POOL_BYTES}; an explicit number uses them for any run with files.
   */
  parseWorkers?: number;
  /** Path of the parse-worker entry; default `zeek-worker.js` next to the running bundle (none: no workers). */
  parseWorkerBundle?: string;
}

/**
 * Runs a whole Loki analysis over files and folders:
 * `discoverLokiFiles(paths)` → `parseLokiFileColumnar` per discovered file, in parse worker threads
 * when the run is large enough (see {@link LokiRunControl.parseWorkers}; the result is the same) or
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
 * at the end (`filesDone === filesTotal`); callers throttle it themselves.
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
  const report = (filesDone: number, currentFile?: string) => {
    if (!onProgress) return;
    let b = bytesDone;
    for (const v of workerBytes.values()) b += v;
    onProgress({ filesDone, filesTotal, bytesDone: b, bytesTotal, currentFile });
  };

  // Parse workers: every file is queued at once (the pool hands them out in order).
  const workers = opts.parseWorkers ?? defaultParseWorkers(process.env, LOKI_WORKERS_ENV);
  const bundle = opts.parseWorkerBundle ?? defaultParseWorkerBundle();
  let pool: ConnParsePool | undefined;
  if (workers > 0 && bundle !== undefined && filesTotal > 0 && (opts.parseWorkers !== undefined || (filesTotal >= 2 && bytesTotal >= MIN_LOKI_POOL_BYTES))) {
    try {
      // Two files per worker at a time: a worker never waits for this thread to hand out the next one.
      pool = new ConnParsePool(bundle, Math.min(workers, filesTotal), PARSE_WORKER_HEAP_MB, PARSE_WORKER_START_MS, { label: 'Loki parse worker', depth: 2 });
    } catch {
      pool = undefined; // threads unavailable: parse in this thread
    }
  }
  const jobs: (Promise<LokiFileData> | undefined)[] = [];
  // Equal reasons lists of files parsed by workers become one array again (see LokiFindingStore.fromData).
  const sharedReasons = new Map<string, LokiReason[]>();
  // Their paths pooled apart from this thread's memo (a pool switches itself off when it does not pay;
  // unique worker paths must not switch off the one of files parsed here).
  const workerPaths = new TextPool(200_000);
  let current = 0;
  if (pool) {
    for (let i = 0; i < filesTotal; i++) {
      const job = pool.lokiFile(disc.files[i], (b) => {
        workerBytes.set(i, b);
        report(current, disc.files[current]);
      });
      job.catch(() => undefined); // handled where it is awaited
      jobs.push(job);
    }
  }
  const stopPool = (reason?: Error): Promise<void> => {
    const p = pool;
    pool = undefined;
    jobs.length = 0;
    workerBytes.clear();
    return p ? p.destroy(reason) : Promise.resolve();
  };
  const onAbort = () => void stopPool(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let i = 0; i < disc.files.length; i++) {
      if (signal?.aborted) throw abortError(signal);
      current = i;
      const file = disc.files[i];
      const base = bytesDone;
      report(i, file);
      let r: LokiFileResult<FindingList> | undefined;
      const job = jobs[i];
      if (job) {
        jobs[i] = undefined;
        try {
          const d = await job;
          const store = LokiFindingStore.fromData(d.findings, reader, { reasons: sharedReasons, texts: workerPaths });
          r = { ...d, findings: store };
        } catch (e) {
          if (isAbort(e) || signal?.aborted) throw abortError(signal);
          // Parsed here instead; a pool that failed as a whole hands every later file back too.
          if (e instanceof PoolStartError || e instanceof PoolCrashError) await stopPool();
        }
        workerBytes.delete(i);
      }
      if (!r) {
        try {
          r = await parseLokiFileColumnar(file, reader, {
            signal,
            intern,
            buffers: readBuffers,
            onBytes: (b) => {
              const now = base + Math.max(0, b);
              if (now > bytesDone) {
                bytesDone = now;
                report(i, file);
              }
            },
          });
        } catch (e) {
          if (isAbort(e) || signal?.aborted) throw abortError(signal);
          r = {
            file,
            format: 'unknown',
            encoding: 'unknown',
            lines: 0,
            bytes: 0,
            scans: [],
            findings: [],
            errors: [{ file, line: 0, message: `Cannot parse file: ${e instanceof Error ? e.message : String(e)}` }],
          };
        }
      }
      bytesDone = Math.max(bytesDone, base + (r.bytes || 0));
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
