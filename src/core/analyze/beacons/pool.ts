/**
 * A pool of worker threads that read Zeek connection files into columns (columns.ts) for the
 * beacon analysis, one whole file per job, one worker per core. Used by run.ts, i.e. by the CLI
 * and by the extension's job worker (nested worker threads). The same workers parse Loki result
 * files into columnar stores for run-loki.ts ({@link ConnParsePool.lokiFile}). The workers run the entry
 * zeek-worker.ts, bundled to `dist/zeek-worker.js` next to dist/cli.js and dist/worker.js (those
 * two run their main code when loaded, so they cannot serve as pool entries). Pure Node (no vscode).
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InputInfo } from '../../parse/zeek';
import type { ParsedConnFile } from './columns';
import type { IpScoreJob, IpScoreRows } from './score-ip';
import type { LokiFileResult } from '../../model/loki';
import type { LokiStoreData } from '../../parse/loki-store';

/** A Loki file parsed by a worker: the file result with its findings store as plain data. */
export type LokiFileData = Omit<LokiFileResult, 'findings'> & { findings: LokiStoreData };

/** Main thread → parse worker: read a conn file into columns, score a range of IP pairs, or parse a Loki file. */
export type ToParseWorker =
  | { type: 'parse'; id: number; info: InputInfo }
  | { type: 'score'; id: number; job: IpScoreJob }
  | { type: 'loki'; id: number; file: string };
/** Parse worker → main thread. */
export type FromParseWorker =
  | { type: 'ready' }
  | { type: 'bytes'; id: number; bytes: number }
  | { type: 'done'; id: number; parsed: ParsedConnFile }
  | { type: 'scored'; id: number; rows: IpScoreRows }
  | { type: 'lokiDone'; id: number; result: LokiFileData }
  | { type: 'failed'; id: number; message: string };

/** Old-generation cap of a parse worker in MB (its columns are off-heap ArrayBuffers). */
export const PARSE_WORKER_HEAP_MB = 2048;
/**
 * Time (ms) within which at least one parse worker must report ready; after it the pool gives up
 * with {@link PoolStartError} (the caller then reads the files itself) instead of waiting forever
 * on an entry that loads but never answers (e.g. a wrong or stale dist/zeek-worker.js).
 */
export const PARSE_WORKER_START_MS = 30_000;
/** Most parse workers started by default. */
export const MAX_PARSE_WORKERS = 4;
/** Environment variable that sets the number of parse workers (0 = read in the calling thread). */
export const PARSE_WORKERS_ENV = 'SOC_ANALYTICS_BEACON_WORKERS';
/** Environment variable that sets the number of Loki parse workers (0 = parse in the calling thread). */
export const LOKI_WORKERS_ENV = 'SOC_ANALYTICS_LOKI_WORKERS';

/**
 * Number of parse workers to use when the caller does not say: the environment variable `name`
 * (default {@link PARSE_WORKERS_ENV}) when it holds a whole number ≥ 0 (capped at 64), else one per
 * core (`os.availableParallelism()`, at most {@link MAX_PARSE_WORKERS}), or 0 on a single core.
 */
export function defaultParseWorkers(env: NodeJS.ProcessEnv = process.env, name = PARSE_WORKERS_ENV): number {
  const v = env[name];
  if (v !== undefined && /^\d+$/.test(v.trim())) return Math.min(64, Number(v.trim()));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? Math.min(cores, MAX_PARSE_WORKERS) : 0;
}

/** Path of the parse-worker entry next to the running bundle (`dist/zeek-worker.js`), or undefined when it is not there. */
export function defaultParseWorkerBundle(): string | undefined {
  const p = path.join(__dirname, 'zeek-worker.js');
  return existsSync(p) ? p : undefined;
}

/** Rejection reason of pool jobs when a worker could not start (the caller reads the file itself). */
export class PoolStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoolStartError';
  }
}

/** Rejection reason of pool jobs when a worker died while working (uncaught error, exit, heap limit). */
export class PoolCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoolCrashError';
  }
}

interface Job {
  id: number;
  msg: ToParseWorker;
  transfer: ArrayBuffer[];
  /** What the job does, for error messages ("reading <file>", "scoring pairs"). */
  what: string;
  resolve: (v: never) => void;
  reject: (e: Error) => void;
  onBytes?: (bytes: number) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Jobs sent to the worker and not answered yet (at most the pool's depth). */
  jobs: Job[];
  /** The worker's address/protocol table (its files send only new texts; see columns.ts). */
  strings: string[];
}

/**
 * Worker threads that read connection files into columns ({@link parse}) and score ranges of IP
 * pairs ({@link score}); jobs are handed out in the order they were queued. {@link destroy} terminates every worker (call it when done, on
 * cancellation, or on error). A worker that cannot start (fails before it reports ready) rejects
 * every pending job with {@link PoolStartError}; one that crashes later (uncaught error, exit,
 * heap limit) rejects every pending job with an Error naming the file it was reading; either way
 * the pool is then destroyed (crash: {@link PoolCrashError}).
 */
export class ConnParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, Job>();
  private nextId = 1;
  private dead: Error | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private readonly label: string;
  private readonly depth: number;

  /**
   * @param bundle path of the worker entry (dist/zeek-worker.js)
   * @param size number of workers (≥ 1)
   * @param heapMb old-generation cap of each worker (MB)
   * @param startMs see {@link PARSE_WORKER_START_MS}
   * @param opts `label`: what error messages call a worker (default "beacon parse worker");
   *   `depth`: jobs sent to a worker before it answered one (default 1; more only for jobs a worker
   *   may run side by side, such as Loki files: it then never waits for the next one)
   * @throws when a worker thread cannot be created at all (e.g. the thread limit)
   */
  constructor(
    bundle: string,
    size: number,
    heapMb = PARSE_WORKER_HEAP_MB,
    startMs = PARSE_WORKER_START_MS,
    opts: { label?: string; depth?: number } = {},
  ) {
    const label = (this.label = opts.label ?? 'beacon parse worker');
    this.depth = Math.max(1, opts.depth ?? 1);
    try {
      for (let i = 0; i < Math.max(1, size); i++) this.spawn(bundle, heapMb);
    } catch (e) {
      void this.destroy(new PoolStartError(`${label} could not start: ${(e as Error).message}`));
      throw e;
    }
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      if (!this.slots.some((s) => s.ready)) void this.destroy(new PoolStartError(`${label} could not start: not ready after ${startMs} ms`));
    }, startMs);
    this.startTimer.unref();
  }

  /** Number of worker threads. */
  get size(): number {
    return this.slots.length;
  }

  private spawn(bundle: string, heapMb: number): void {
    const worker = new Worker(bundle, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    const slot: Slot = { worker, ready: false, jobs: [], strings: [] };
    this.slots.push(slot);
    worker.on('message', (m: FromParseWorker) => this.onMessage(slot, m));
    worker.on('error', (e: Error) => this.fail(slot, e.message));
    worker.on('exit', (code) => this.fail(slot, `exited with code ${code}`));
  }

  private onMessage(slot: Slot, m: FromParseWorker): void {
    if (this.dead) return;
    if (m.type === 'ready') {
      slot.ready = true;
      clearTimeout(this.startTimer);
      this.startTimer = undefined;
      this.pump();
      return;
    }
    const job = this.pending.get(m.id);
    if (!job) return;
    if (m.type === 'bytes') {
      job.onBytes?.(m.bytes);
      return;
    }
    this.pending.delete(m.id);
    const k = slot.jobs.indexOf(job);
    if (k >= 0) slot.jobs.splice(k, 1);
    if (m.type === 'done') {
      // messages of one worker arrive in order: extend its table, hand out the whole table
      const c = m.parsed.cols;
      if (c.stringBase !== slot.strings.length) {
        void this.destroy(new PoolCrashError(`${this.label} sent an address table out of order while ${job.what}`));
        return;
      }
      for (const t of c.strings) slot.strings.push(t);
      c.strings = slot.strings;
      c.stringBase = 0;
      (job.resolve as (v: ParsedConnFile) => void)(m.parsed);
    }
    else if (m.type === 'scored') (job.resolve as (v: IpScoreRows) => void)(m.rows);
    else if (m.type === 'lokiDone') (job.resolve as (v: LokiFileData) => void)(m.result);
    else job.reject(new Error(m.message));
    this.pump();
  }

  private fail(slot: Slot, why: string): void {
    if (this.dead) return;
    const e = slot.ready
      ? new PoolCrashError(`${this.label} stopped unexpectedly${slot.jobs.length ? ` while ${slot.jobs[0].what}` : ''}: ${why}`)
      : new PoolStartError(`${this.label} could not start: ${why}`);
    void this.destroy(e);
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (slot.ready && slot.jobs.length < this.depth && this.queue.length > 0) {
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        slot.worker.postMessage(job.msg, job.transfer);
      }
    }
  }

  /**
   * Reads `info` (a Zeek conn/open_conn log) in a worker. Resolves with the columns and the
   * reader's result (`cols.strings` is the worker's whole table, shared by its files, base 0); rejects with the worker's error message when reading threw, with
   * {@link PoolStartError} or a crash Error (see the class), or with the reason given to
   * {@link destroy}. `onBytes` gets the bytes read from disk so far (a few times per file).
   */
  parse(info: InputInfo, onBytes?: (bytes: number) => void): Promise<ParsedConnFile> {
    return this.submit<ParsedConnFile>((id) => ({ type: 'parse', id, info }), [], `reading ${info.file}`, onBytes);
  }

  /**
   * Scores a range of IP pairs in a worker (score-ip.ts `scoreIpPairs`). The job's typed arrays
   * are transferred (unusable here afterwards). Rejects like {@link parse}.
   */
  score(job: IpScoreJob): Promise<IpScoreRows> {
    const transfer = [job.start, job.ts, job.orig, job.resp, job.lastGroup].map((a) => a.buffer as ArrayBuffer);
    return this.submit<IpScoreRows>((id) => ({ type: 'score', id, job }), transfer, 'scoring pairs');
  }

  /**
   * Parses a Loki result file in a worker (`parseLokiFileColumnar`; each worker shares its memos
   * between its files). Resolves with the file result, its findings store as data
   * (`LokiFindingStore.fromData` makes it a store again); rejects like {@link parse}.
   */
  lokiFile(file: string, onBytes?: (bytes: number) => void): Promise<LokiFileData> {
    return this.submit<LokiFileData>((id) => ({ type: 'loki', id, file }), [], `reading ${file}`, onBytes);
  }

  private submit<T>(msg: (id: number) => ToParseWorker, transfer: ArrayBuffer[], what: string, onBytes?: (bytes: number) => void): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      const job: Job = { id, msg: msg(id), transfer, what, resolve: resolve as (v: never) => void, reject, onBytes };
      this.pending.set(job.id, job);
      this.queue.push(job);
      this.pump();
    });
  }

  /**
   * Terminates every worker and rejects the jobs not finished yet with `reason` (default: "pool
   * closed"). Safe to call more than once; resolves when the threads are gone.
   */
  async destroy(reason?: Error): Promise<void> {
    clearTimeout(this.startTimer);
    this.startTimer = undefined;
    if (!this.dead) {
      this.dead = reason ?? new Error(`${this.label} pool closed`);
      const jobs = [...this.pending.values()];
      this.pending.clear();
      this.queue.length = 0;
      for (const j of jobs) j.reject(this.dead);
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}
