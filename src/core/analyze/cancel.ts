/**
 * The error a cancelled analysis rejects with (name `AbortError`), shared by the analysis runners.
 * Pure (no vscode).
 */

/** The signal's own AbortError reason if it has one, else a new `AbortError` "The analysis was cancelled". */
export function cancelledError(signal?: AbortSignal): Error {
  const r = signal?.reason;
  if (r instanceof Error && r.name === 'AbortError') return r;
  const e = new Error('The analysis was cancelled');
  e.name = 'AbortError';
  return e;
}

/** Whether `e` is an abort (any error object named `AbortError`). */
export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError';
}
