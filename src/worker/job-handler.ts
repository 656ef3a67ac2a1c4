/**
 * The worker's message handling, separate from `worker_threads` wiring so it can be unit-tested.
 */
import type { FromWorker, JobProgress, ToWorker, WorkerJob } from '../shared/worker-protocol';
import { defaultRunners, type Runners } from './runners';
import { RESULT_PACKERS, type ItemPacker } from '../shared/result-packing';
import { isListObject } from '../core/parse/loki-store';

/** Minimum interval between two progress messages (ms): at most 10 per second. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Top-level result arrays longer than this are sent in `resultPart` slices of this many items.
 * The host deserialises up to {@link RESULT_WINDOW} slices in one task, so this bounds its longest
 * task: with 1,000 the host's event-loop p99 was 54-67 ms on a slow VM (Loki 8x), with 250 it is
 * 35-37 ms, and the transfer is faster too (wall 11.1-11.4 s → 9.1-9.6 s; bench/NOTES.md "Result
 * slices of 250").
 */
export const RESULT_PART_ITEMS = 250;

/**
 * Slices the worker may have posted that the host has not acknowledged yet (`partAck`). With one, the
 * worker built and serialised the next slice only while the host sat idle; with two, the worker builds
 * slice n+1 while the host deserialises slice n (Loki 8x, 598,155 findings: transfer 4.3-5.4 s →
 * 3.3-3.9 s, host event-loop p99 27-31 ms against 22-32 ms; bench/NOTES.md "Result transfer"). The host
 * acknowledges after its task (src/extension/jobs.ts), so it takes at most this many slices per task.
 */
export const RESULT_WINDOW = 2;

/**
 * Posts a result: each top-level array longer than {@link RESULT_PART_ITEMS} goes out in slices
 * (`resultPart`), then the rest of the object as `result` with `parts` naming the sliced keys.
 * A top-level list object with `length`, `at` and `slice` (a columnar Loki findings list) goes out
 * as arrays the same way: in slices when long, else as one array.
 * Flow control: `ack()` resolves when the host has taken one more slice (its `partAck`); at most
 * `window` slices are unacknowledged at any time (Node delivers all queued port messages in one task,
 * so without this the host would deserialise every slice in one long freeze). The result message
 * itself is posted without waiting for the last acks (port messages arrive in order).
 * `packers`: per key, packs each slice (`resultPart.packed`, see src/shared/result-packing.ts).
 * `signal`: when aborted, the transfer stops after the current slice and rejects with an AbortError
 * (no `result` is posted).
 */
export async function postResult(
  post: (m: FromWorker) => void,
  result: unknown,
  ack: () => Promise<void> = async () => {},
  packers: Record<string, ItemPacker> = {},
  window = RESULT_WINDOW,
  signal?: AbortSignal,
): Promise<void> {
  const inFlight = Math.max(1, Math.floor(window));
  let unacked = 0;
  if (!result || typeof result !== 'object' || Array.isArray(result)) {
    post({ type: 'result', result });
    return;
  }
  const head: Record<string, unknown> = { ...(result as Record<string, unknown>) };
  const parts: string[] = [];
  for (const [key, value] of Object.entries(head)) {
    if (isListObject(value)) {
      // A columnar list (e.g. Loki findings, src/core/parse/loki-store.ts): its items are built
      // slice by slice below; a class instance would not survive structured cloning.
      if (value.length <= RESULT_PART_ITEMS) {
        head[key] = value.slice(0, value.length);
        continue;
      }
    } else if (!Array.isArray(value) || value.length <= RESULT_PART_ITEMS) continue;
    const list = value as { length: number; slice(start: number, end: number): unknown[] };
    for (let i = 0; i < list.length; i += RESULT_PART_ITEMS) {
      const items = list.slice(i, i + RESULT_PART_ITEMS);
      const packer = packers[key];
      post(packer ? { type: 'resultPart', key, items, packed: packer.pack(items) } : { type: 'resultPart', key, items });
      unacked++;
      while (unacked >= inFlight) {
        await ack();
        unacked--;
      }
      // Cancelled while the result travels: stop (the caller reports the cancel, not the result).
      if (signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
    }
    head[key] = [];
    parts.push(key);
  }
  post(parts.length ? { type: 'result', result: head, parts } : { type: 'result', result: head });
}

export interface JobDeps {
  runners?: Partial<Runners>;
  /** Clock in ms (tests). */
  now?: () => number;
}

/**
 * Returns a handler for {@link ToWorker} messages that posts {@link FromWorker} messages.
 * - `run`: runs the job's runner with a fresh AbortController; posts throttled progress (the first
 *   report at once, then at most one per {@link PROGRESS_INTERVAL_MS}), then `result`, or `error`
 *   (with `cancelled: true` after a `cancel`). A `run` while a job runs is answered with an `error`.
 * - `cancel`: aborts the running job (no-op when idle).
 * The returned promise settles after the final message was posted; it never rejects.
 */
export function createJobHandler(post: (m: FromWorker) => void, deps: JobDeps = {}): (msg: ToWorker) => Promise<void> {
  const runners: Runners = { ...defaultRunners, ...deps.runners };
  const now = deps.now ?? Date.now;
  let current: AbortController | undefined;
  // partAcks that arrived while postResult was not waiting are counted, not lost (several slices may be in flight).
  let acked: (() => void) | undefined;
  let earlyAcks = 0;
  // Run number: slices carry it and the host's acks echo it, so a late ack of an earlier run is not
  // taken for one of this run's.
  let seq = 0;
  const waitAck = () =>
    new Promise<void>((resolve) => {
      if (earlyAcks > 0) {
        earlyAcks--;
        resolve();
      } else acked = resolve;
    });
  return async (msg: ToWorker) => {
    if (msg?.type === 'cancel') {
      current?.abort();
      const a = acked;
      acked = undefined;
      a?.(); // wakes a transfer waiting for an ack: it sees the abort and stops
      return;
    }
    if (msg?.type === 'partAck') {
      if (!current || (msg.seq !== undefined && msg.seq !== seq)) return;
      const a = acked;
      acked = undefined;
      if (a) a();
      else earlyAcks++;
      return;
    }
    if (msg?.type !== 'run' || !msg.job || typeof (runners as Record<string, unknown>)[msg.job.kind] !== 'function') {
      post({ type: 'error', message: `Unknown worker message: ${JSON.stringify((msg as { type?: unknown })?.type)} ${JSON.stringify((msg as { job?: { kind?: unknown } })?.job?.kind ?? '')}` });
      return;
    }
    if (current) {
      post({ type: 'error', message: 'A job is already running in this worker' });
      return;
    }
    const ac = new AbortController();
    current = ac;
    earlyAcks = 0;
    const run = ++seq;
    let last = -Infinity;
    const onProgress = (p: JobProgress) => {
      const t = now();
      if (t - last < PROGRESS_INTERVAL_MS) return;
      last = t;
      post({ type: 'progress', progress: { ...p } });
    };
    try {
      const runner = runners[msg.job.kind] as (job: WorkerJob, ctx: { signal: AbortSignal; onProgress: typeof onProgress }) => Promise<unknown>;
      const result = await runner(msg.job, { signal: ac.signal, onProgress });
      if (ac.signal.aborted) post({ type: 'error', message: 'Cancelled', cancelled: true });
      else await postResult((m) => post(m.type === 'resultPart' ? { ...m, seq: run } : m), result, waitAck, RESULT_PACKERS[msg.job.kind], RESULT_WINDOW, ac.signal);
    } catch (e) {
      if (ac.signal.aborted) post({ type: 'error', message: 'Cancelled', cancelled: true });
      else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      current = undefined;
    }
  };
}
