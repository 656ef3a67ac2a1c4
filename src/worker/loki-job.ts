/**
 * The worker's message handling, separate from `worker_threads` wiring so it can be unit-tested.
 * OWNER: analytics helper.
 */
import { runLokiAnalysis, type LokiProgress } from '../core/analyze/run-loki';
import type { FromWorker, ToWorker } from '../shared/worker-protocol';

/** Minimum interval between two progress messages (ms): at most 10 per second. */
export const PROGRESS_INTERVAL_MS = 100;

export interface JobDeps {
  run?: typeof runLokiAnalysis;
  /** Clock in ms (tests). */
  now?: () => number;
}

/**
 * Returns a handler for {@link ToWorker} messages that posts {@link FromWorker} messages.
 * - `loki`: runs {@link runLokiAnalysis} with a fresh AbortController; posts throttled progress
 *   (the first report at once, then at most one per {@link PROGRESS_INTERVAL_MS}), then
 *   `result`, or `error` (with `cancelled: true` after a `cancel`). A `loki` message while a job
 *   runs is answered with an `error` (one job at a time).
 * - `cancel`: aborts the running job (no-op when idle).
 * The returned promise (for `loki`) settles after the final message was posted; it never rejects.
 */
export function createLokiJobHandler(post: (m: FromWorker) => void, deps: JobDeps = {}): (msg: ToWorker) => Promise<void> {
  const run = deps.run ?? runLokiAnalysis;
  const now = deps.now ?? Date.now;
  let current: AbortController | undefined;
  return async (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      current?.abort();
      return;
    }
    if (msg.type !== 'loki') {
      post({ type: 'error', message: `Unknown message type: ${String((msg as { type?: unknown }).type)}` });
      return;
    }
    if (current) {
      post({ type: 'error', message: 'A job is already running in this worker' });
      return;
    }
    const ac = new AbortController();
    current = ac;
    let last = -Infinity;
    const onProgress = (p: LokiProgress) => {
      const t = now();
      if (t - last < PROGRESS_INTERVAL_MS) return;
      last = t;
      post({ type: 'progress', progress: { ...p } });
    };
    try {
      const analysis = await run(msg.paths, { ...(msg.options ?? {}), signal: ac.signal, onProgress });
      if (ac.signal.aborted) post({ type: 'error', message: 'Cancelled', cancelled: true });
      else post({ type: 'result', analysis });
    } catch (e) {
      if (ac.signal.aborted) post({ type: 'error', message: 'Cancelled', cancelled: true });
      else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      current = undefined;
    }
  };
}
