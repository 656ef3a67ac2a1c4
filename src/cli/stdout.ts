/**
 * Synchronous, flow-controlled output for the CLI. `process.stdout.write` on a pipe is asynchronous on
 * POSIX: when the reader is slower than the CLI (`soc-analytics loki … --json | jq …`), everything not
 * yet read is buffered in memory — the whole 346 MB JSON of a 2,000,000-line Loki run, ~0.9 GB of
 * RSS. Writing with `fs.writeSync` instead makes a full pipe hold the CLI back.
 */
import * as fs from 'node:fs';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** First wait after a write found the pipe full, in ms (a reader keeping up makes room within about this). */
export const FULL_PIPE_FIRST_WAIT_MS = 0.05;
/** Longest wait between two tries while the pipe stays full, in ms: a stalled reader costs ~20 wake-ups a second. */
export const FULL_PIPE_MAX_WAIT_MS = 50;

/**
 * Writes all of `text` (UTF-8) to file descriptor `fd` before returning, in order. A non-blocking
 * descriptor whose pipe is full (EAGAIN; Node makes fd 1 non-blocking once `process.stdout` is used)
 * is retried after a blocking sleep (`Atomics.wait`, no CPU while asleep) that starts at
 * {@link FULL_PIPE_FIRST_WAIT_MS} and doubles while the pipe stays full, up to
 * {@link FULL_PIPE_MAX_WAIT_MS}; a write that gets through starts the next wait from the first again.
 * So a reader that keeps up costs little latency, and a stalled one (`… --json | (sleep 30; cat)`)
 * ~20 wake-ups a second instead of a busy loop (about a fifth of a core with a fixed 50 µs sleep);
 * once the reader is back, the write resumes within 50 ms at most.
 *
 * @throws the write's error (e.g. EPIPE when the reader has gone; the caller decides what that means)
 */
export function writeFdSync(fd: number, text: string): void {
  const b = Buffer.from(text, 'utf8');
  let off = 0;
  let wait = FULL_PIPE_FIRST_WAIT_MS;
  while (off < b.length) {
    try {
      off += fs.writeSync(fd, b, off, b.length - off);
      wait = FULL_PIPE_FIRST_WAIT_MS;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(sleepCell, 0, 0, wait);
      wait = Math.min(wait * 2, FULL_PIPE_MAX_WAIT_MS);
    }
  }
}
