/** Shared by the LineDecoder tests: feeding bytes in chunks of chosen sizes. */
import type { LineDecoder } from '../../src/core/parse/lines';

/** Feeds `bytes` to `d` in chunks of the given sizes (cycled), then ends it. */
export function writeInChunks(d: LineDecoder, bytes: Buffer, sizes: number[]): void {
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = sizes[k++ % sizes.length];
    d.write(bytes.subarray(i, i + n));
    i += n;
  }
  d.end();
}
