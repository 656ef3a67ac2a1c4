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
