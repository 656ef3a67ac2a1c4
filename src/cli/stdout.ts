/**
 * Synchronous, flow-controlled output for the CLI. `process.stdout.write` on a pipe is asynchronous on
 * POSIX: when the reader is slower than the CLI (`soc-analytics loki … --json | jq …`), everything not
 * yet read is buffered in memory — the whole 346 MB JSON of a 2,000,000-line Loki run, ~0.9 GB of
 * RSS. Writing with `fs.writeSync` instead makes a full pipe hold the CLI back.
 */
import * as fs from 'node:fs';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` (UTF-8) to file descriptor `fd` before returning. A non-blocking descriptor
 * whose pipe is full (EAGAIN; Node makes fd 1 non-blocking once `process.stdout` is used) is retried
 * after a 50 µs sleep until the reader has made room.
 *
 * @throws the write's error (e.g. EPIPE when the reader has gone; the caller decides what that means)
 */
export function writeFdSync(fd: number, text: string): void {
  const b = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(sleepCell, 0, 0, 0.05);
    }
  }
}
