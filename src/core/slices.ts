/**
 * Long computations on the extension host's main thread, in pieces: a computation written as a generator that yields
 * now and then (every few thousand items) is either drained in one go ({@link drainSteps}: the worker, the CLI, small
 * inputs) or run in slices of ~`sliceMs` with the event loop free in between ({@link runInSlices}: the extension host,
 * so that VS Code keeps answering while a dashboard of a million rows is recounted). Same result either way.
 */

/** Runs `steps` to its end in one go and returns its result. */
export function drainSteps<T>(steps: Generator<unknown, T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/**
 * Runs `steps` to its end in slices of about `sliceMs` milliseconds (default 20), with a `setImmediate` turn of the
 * event loop between two slices, and resolves to its result. Rejects with `signal`'s reason (an `AbortError`) when
 * `signal` is aborted before or between slices; the generator is then closed (its `finally` blocks run).
 */
export async function runInSlices<T>(steps: Generator<unknown, T>, opts: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<T> {
  const sliceMs = opts.sliceMs ?? 20;
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      const t0 = performance.now();
      let r = steps.next();
      while (!r.done && performance.now() - t0 < sliceMs) r = steps.next();
      if (r.done) return r.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    steps.return(undefined as T);
  }
}

/**
 * A computation in slices shared by everyone who asks for the same result while it runs, and how many still wait for
 * it: when the last one stops waiting, the computation is stopped between two slices (after that turn of the event
 * loop, unless someone asked again meanwhile) and nothing is kept.
 */
export interface SharedJob<T> {
  promise: Promise<T>;
  abort: AbortController;
  waiters: number;
}

/**
 * Joins the computation held by `slot.pending`, or starts one with `start` (given the job's own AbortSignal, which it
 * passes to {@link runInSlices}) and keeps it there until it settles. `done` receives the result (the caller caches it
 * beside the slot). A job that every waiter has left is never joined again: a request after that starts a new one.
 *
 * `signal`: this caller stops waiting when it aborts; its promise then rejects with `abortError()` (an `AbortError`
 * DOMException), and the job is stopped when no one else waits. Without a signal the caller waits to the end.
 * Rejects with the job's error when the computation fails.
 */
export function joinSharedJob<T>(
  slot: { pending?: SharedJob<T> },
  start: (signal: AbortSignal) => Promise<T>,
  done: (value: T) => void,
  signal: AbortSignal | undefined,
  abortError: () => Error,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(abortError());
  let job = slot.pending?.abort.signal.aborted ? undefined : slot.pending;
  if (!job) {
    const abort = new AbortController();
    const started: SharedJob<T> = {
      abort,
      waiters: 0,
      promise: start(abort.signal).then(
        (value) => {
          if (slot.pending === started) slot.pending = undefined;
          done(value);
          return value;
        },
        (err: unknown) => {
          if (slot.pending === started) slot.pending = undefined;
          throw err;
        },
      ),
    };
    started.promise.catch(() => undefined); // (each waiter gets the rejection; none left unhandled here)
    slot.pending = job = started;
  }
  const waiting = job;
  waiting.waiters++;
  if (!signal) return waiting.promise;
  return new Promise<T>((resolve, reject) => {
    const leave = () => {
      reject(abortError());
      // the last waiter left: stopped after this turn of the event loop unless someone joined meanwhile (a dashboard
      // rebuilt for the same settings asks again right after its older load let go); once stopped it is not joined
      if (--waiting.waiters === 0)
        setImmediate(() => {
          if (waiting.waiters > 0 || slot.pending !== waiting) return;
          waiting.abort.abort();
          slot.pending = undefined;
        });
    };
    signal.addEventListener('abort', leave, { once: true });
    waiting.promise.then(
      (v) => (signal.removeEventListener('abort', leave), resolve(v)),
      (err: unknown) => (signal.removeEventListener('abort', leave), reject(err)),
    );
  });
}
