/**
 * Bounded reads of files named by input (settings, files beside an input): never `readFile` of a path that may be a
 * FIFO (the read waits for a writer for ever) or a device such as /dev/zero (it fills the memory). Pure Node; no vscode.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';

/**
 * At most `limit` bytes of the regular file `file`: opened non-blocking (a path swapped for a FIFO after a stat does not
 * hang the open), checked on the open handle (not a regular file: rejects with `notFile()`), then read into buffers up
 * to `limit` (never `readFile`: a file that grows while read is still read only up to `limit`).
 */
export async function readBounded(file: string, limit: number, notFile: () => Error): Promise<Buffer> {
  const h = await fsp.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const st = await h.stat();
    if (!st.isFile()) throw notFile();
    const parts: Buffer[] = [];
    let total = 0;
    let next = Math.min(limit, st.size + 1);
    while (total < limit) {
      const b = Buffer.allocUnsafe(Math.max(1, Math.min(next, limit - total)));
      const { bytesRead } = await h.read(b, 0, b.length, null);
      if (bytesRead === 0) break;
      parts.push(b.subarray(0, bytesRead));
      total += bytesRead;
      next = 1024 * 1024;
    }
    return Buffer.concat(parts, total);
  } finally {
    await h.close();
  }
}

/**
 * The UTF-8 text of `file` when it is a regular file (after following links) of at most `limit` bytes; undefined
 * otherwise (missing, unreadable, a folder, FIFO, socket or device, larger). Never throws.
 */
export async function readSmallTextFile(file: string, limit: number): Promise<string | undefined> {
  try {
    const st = await fsp.stat(file);
    if (!st.isFile() || st.size > limit) return undefined;
    const buf = await readBounded(file, limit + 1, () => new Error('not a regular file'));
    return buf.length > limit ? undefined : buf.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Largest CA certificate file read (bytes: `qradar-fetch --ca`, the setting socAnalytics.qradar.caCertificateFile). */
export const MAX_CA_FILE_BYTES = 16 * 1024 * 1024;

/** Why a file named by input or settings that is a FIFO, socket or device (or a link to one) is not read. */
export const NOT_REGULAR_FILE = 'not a regular file: a FIFO, socket or device';

/**
 * The bytes of a helper file (tagging rules, closing-reasons and rules lists, SLA targets, a CA file): the regular file
 * `file` (links followed) of at most `limit` bytes, read with {@link readBounded} — never waits for a FIFO's writer,
 * never reads a device such as /dev/zero. Rejects with an Error whose message says why not: {@link NOT_REGULAR_FILE},
 * `larger than <limit> bytes`, or the open error (its `code`: ENOENT, EACCES…).
 */
export async function readHelperFile(file: string, limit: number): Promise<Buffer> {
  const buf = await readBounded(file, limit + 1, () => new Error(NOT_REGULAR_FILE));
  if (buf.length > limit) throw new Error(`larger than ${limit} bytes; not read`);
  return buf;
}

/** The message of an error of {@link readHelperFile}: its code (ENOENT…) when the system gave one, else its text. */
export function helperFileErrorText(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e));
}
