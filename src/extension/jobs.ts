/**
 * Runs analyses in a worker thread (dist/worker.js) so the extension host's main thread stays
 * responsive, with a cancellable progress notification.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { FromWorker, ToWorker, WorkerJob } from '../shared/worker-protocol';
import { RESULT_PACKERS } from '../shared/result-packing';
import { notificationSafe } from '../core/text-safe';
import { WorkerSlots, type CancelToken } from './worker-slots';

/** Thrown (as a rejection) when the user cancels; callers treat it as "no result". */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** Heap limit of an analysis worker: half the machine's memory, between 2 and 16 GB (results of big inputs are large). */
const WORKER_HEAP_MB = Math.max(2048, Math.min(16384, Math.floor(os.totalmem() / 1024 / 1024 / 2)));

/**
 * Young-generation size of an analysis worker (MB; V8 splits it into semi-spaces, 96 MB gives 64 MB of
 * new space instead of the default 32 MB). Parsers allocate many short-lived strings and keep a large
 * result, so fewer, larger scavenges cost less: about 10-15 % of the Loki analysis time on loki-8x
 * (bench/NOTES.md). The extra memory is a few tens of MB.
 */
const WORKER_YOUNG_MB = 96;

/**
 * At most this many analysis jobs run at once (2, or 1 on a one-core machine); further jobs wait in
 * start order with a "waiting" progress notification that can be cancelled. Each worker may take half
 * the memory and a core: panels restored after a reload, or Re-run clicked twice, must not start N.
 */
export const MAX_ANALYSIS_WORKERS = Math.max(1, Math.min(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length));
const slots = new WorkerSlots(MAX_ANALYSIS_WORKERS);

/** Live workers, terminated on deactivate so none is left running. */
const liveWorkers = new Set<Worker>();

export function terminateAllWorkers(): void {
  for (const w of liveWorkers) void w.terminate();
  liveWorkers.clear();
}

/** Cancel hooks of the running jobs (the same path as the progress notification's Cancel button). */
const jobCancels = new Set<() => void>();

/**
 * TEST ONLY (command `socAnalytics.test.jobs`): live worker count, and ways to stop running jobs
 * the way a user (`cancel`: the Cancel button) or a failure (`crash`: the worker thread dies) would.
 */
export function jobsForTest(action?: 'cancel' | 'crash'): { liveWorkers: number; runningJobs: number; queuedJobs: number; maxWorkers: number } {
  if (action === 'cancel') for (const c of [...jobCancels]) c();
  if (action === 'crash') for (const w of [...liveWorkers]) void w.terminate();
  return { liveWorkers: liveWorkers.size, runningJobs: jobCancels.size, queuedJobs: slots.queued, maxWorkers: slots.size };
}

/**
 * One worker thread kept for several jobs in a row ({@link runJob} with `session`), so a job can use what the one
 * before it read (Normalize Timestamps: read the file, then convert it, then write the copy, each step after a
 * question to the user). A cancelled or failed job terminates the worker (the next job starts a fresh one);
 * `dispose` terminates it.
 */
export class WorkerSession implements vscode.Disposable {
  worker?: Worker;
  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      liveWorkers.delete(w);
      void w.terminate();
    }
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/**
 * Runs one job (parse + analyze) in a fresh worker thread with a cancellable progress notification.
 * @param extensionUri root of the installed extension (the worker bundle is `dist/worker.js`)
 * @param job the worker job (see src/shared/worker-protocol.ts)
 * @param cancelToken also cancels the job (as the notification's Cancel button does), e.g. when its analysis is removed
 * @param session when given, the job runs in the session's worker (started when it has none) and a job that succeeds
 *   leaves it running for the next job; else a fresh worker per job
 * At most {@link MAX_ANALYSIS_WORKERS} jobs run at once: a further job waits for a slot (its notification says so;
 * Cancel, or `cancelToken`, takes it out of the queue and nothing runs).
 * @returns the job's result; rejects with {@link CancelledError} on cancel, or an Error with the worker's message
 */
export function runJob<R>(extensionUri: vscode.Uri, job: WorkerJob, title: string, log: vscode.LogOutputChannel, cancelToken?: vscode.CancellationToken, session?: WorkerSession): Promise<R> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notificationSafe(title), cancellable: true }, async (progress, token) => {
      if (slots.running >= slots.size) {
        progress.report({ message: `waiting for ${slots.running === 1 ? 'the running analysis' : `the ${slots.running} running analyses`} to finish…` });
        log.info(`${title}: waiting (${slots.running} running, at most ${slots.size} at once)`);
      }
      // the notification's Cancel or the caller's token, whichever comes first
      const either: CancelToken = {
        get isCancellationRequested() {
          return token.isCancellationRequested || cancelToken?.isCancellationRequested === true;
        },
        onCancellationRequested(listener) {
          const a = token.onCancellationRequested(listener);
          const b = cancelToken?.onCancellationRequested(listener);
          return { dispose: () => (a.dispose(), b?.dispose()) };
        },
      };
      const release = await slots.acquire(either);
      if (!release) throw new CancelledError(); // cancelled while waiting: nothing ran
      try {
        return await runInWorker<R>(extensionUri, job, title, log, progress, token, cancelToken, session);
      } finally {
        release();
      }
    }),
  );
}

/** One job in a worker thread (a slot is held): progress into `progress`, cancelled by `token` or `cancelToken`. */
function runInWorker<R>(
  extensionUri: vscode.Uri,
  job: WorkerJob,
  title: string,
  log: vscode.LogOutputChannel,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
  cancelToken: vscode.CancellationToken | undefined,
  session: WorkerSession | undefined,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const started = Date.now();
    const worker =
      session?.worker ?? new Worker(path.join(extensionUri.fsPath, 'dist', 'worker.js'), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    if (session && session.worker !== worker) {
      session.worker = worker;
      // a session's worker that stops between jobs (crash, deactivate) is not reused
      worker.once('exit', () => {
        liveWorkers.delete(worker);
        if (session.worker === worker) session.worker = undefined;
      });
    }
    liveWorkers.add(worker);
    let settled = false;
    let lastPct = 0;
    const finish = (fn: () => void, keepWorker = false) => {
      if (settled) return;
      settled = true;
      sub.dispose();
      extSub?.dispose();
      jobCancels.delete(cancel);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (!(keepWorker && session)) {
        liveWorkers.delete(worker);
        void worker.terminate();
        if (session?.worker === worker) session.worker = undefined;
      }
      fn();
    };
    let cancelRequested = false;
    const cancel = () => {
      if (settled) return;
      cancelRequested = true;
      log.info(`Cancelled: ${title}`);
      const msg: ToWorker = { type: 'cancel' };
      worker.postMessage(msg);
      // Give the worker a moment to stop cleanly, then terminate it regardless.
      setTimeout(() => finish(() => reject(new CancelledError())), 300);
    };
    jobCancels.add(cancel);
    const sub = token.onCancellationRequested(cancel);
    const extSub = cancelToken?.onCancellationRequested(cancel);
    const parts = new Map<string, unknown[]>();
    const unpackState: Record<string, unknown> = {}; // one per job (see ItemPacker.unpack)
    const onMessage = (msg: FromWorker) => {
      if (msg.type === 'resultPart') {
        let acc = parts.get(msg.key);
        if (!acc) parts.set(msg.key, (acc = []));
        if (msg.packed !== undefined) RESULT_PACKERS[job.kind]?.[msg.key]?.unpack(msg.items, msg.packed, unpackState);
        for (const item of msg.items) acc.push(item);
        // Acknowledged after this task: Node's port keeps delivering messages that arrive while it
        // delivers, so an ack sent from here would let the worker's next slices join this task.
        const seq = msg.seq;
        setImmediate(() => {
          if (settled) return;
          const ack: ToWorker = { type: 'partAck', seq };
          worker.postMessage(ack);
        });
      } else if (msg.type === 'progress') {
        const p = msg.progress;
        const pct = p.total > 0 ? Math.min(100, (p.done / p.total) * 100) : 0;
        const file = p.currentFile ? ` — ${path.basename(p.currentFile)}` : '';
        const files = p.filesTotal !== undefined ? `${p.filesDone ?? 0} of ${p.filesTotal} ${p.filesTotal === 1 ? 'file' : 'files'}, ` : '';
        const amount = p.unit === 'bytes' ? `${formatBytes(p.done)} of ${formatBytes(p.total)}` : `${p.done.toLocaleString()} of ${p.total.toLocaleString()}`;
        progress.report({ increment: Math.max(0, pct - lastPct), message: notificationSafe(`${files}${amount}${file}`) });
        lastPct = pct;
      } else if (msg.type === 'result') {
        if (cancelRequested) {
          // The result overtook the cancel: the user asked for nothing to be added.
          finish(() => reject(new CancelledError()));
          return;
        }
        log.info(`${title}: done in ${Date.now() - started} ms`);
        const result = msg.result as Record<string, unknown>;
        for (const key of msg.parts ?? []) result[key] = parts.get(key) ?? [];
        finish(() => resolve(result as R), true);
      } else if (msg.type === 'error') {
        if (msg.cancelled || token.isCancellationRequested) finish(() => reject(new CancelledError()));
        else finish(() => reject(new Error(msg.message)));
      }
    };
    const onError = (err: Error & { code?: string }) => {
      const msg =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the analysis needs more than ${WORKER_HEAP_MB} MB of memory; analyze fewer files at once`
          : `Analysis worker crashed: ${err.message}`;
      finish(() => reject(new Error(msg)));
    };
    const onExit = (code: number) => {
      if (!settled) finish(() => reject(new Error(`Analysis worker stopped unexpectedly (exit code ${code}).`)));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const run: ToWorker = { type: 'run', job };
    worker.postMessage(run);
    if (cancelToken?.isCancellationRequested) cancel();
  });
}
