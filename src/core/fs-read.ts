/**
 * Bounded reads of files named by input (settings, files beside an input): never `readFile` of a path that may be a
 * FIFO (the read waits for a writer for ever) or a device such as /dev/zero (it fills the memory). Pure Node; no vscode.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * The regular file `file` opened once for reading: opened non-blocking (a path swapped for a FIFO after a stat does not
 * hang the open), checked on the open handle (`fstat`: not a regular file after following links — a FIFO, socket,
 * device or folder — closes it and rejects with `notFile()`). `size`: the bytes the handle's `fstat` gave at the open (a
 * file may still grow: read it with {@link readHandleBounded}). The caller closes `handle`. Rejects with the open error
 * (its `code`: ENOENT, EACCES…) as `fs` does.
 */
export async function openRegularFile(file: string, notFile: () => Error): Promise<{ handle: FileHandle; size: number }> {
  const handle = await fsp.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notFile();
    return { handle, size: st.size };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

/**
 * At most `limit` bytes of the open file `h`, read from its current position into buffers (never `readFile`: a file that
 * grows while read is still read only up to `limit`). `sizeHint`: the size its `fstat` gave (the first buffer is that
 * plus one byte, at most `limit`). Rejects as `fs` does.
 */
export async function readHandleBounded(h: FileHandle, limit: number, sizeHint: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  let next = Math.min(limit, sizeHint + 1);
  while (total < limit) {
    const b = Buffer.allocUnsafe(Math.max(1, Math.min(next, limit - total)));
    const { bytesRead } = await h.read(b, 0, b.length, null);
    if (bytesRead === 0) break;
    parts.push(b.subarray(0, bytesRead));
    total += bytesRead;
    next = 1024 * 1024;
  }
  return Buffer.concat(parts, total);
}

/**
 * At most `limit` bytes of the regular file `file` ({@link openRegularFile}: opened once, non-blocking, checked on the
 * handle; not a regular file rejects with `notFile()`), read with {@link readHandleBounded}.
 */
export async function readBounded(file: string, limit: number, notFile: () => Error): Promise<Buffer> {
  const { handle, size } = await openRegularFile(file, notFile);
  try {
    return await readHandleBounded(handle, limit, size);
  } finally {
    await handle.close();
  }
}

/**
 * A whole input file read with a bound: `{ buf }` when `file` is a regular file of at most `limit` bytes as read (opened
 * once, `fstat` on the handle, at most `limit + 1` bytes read: a file that grew past the limit after its size was known
 * is caught by the read, not by a stat before it); `{ over: size }` when it holds more than `limit` bytes (`size`: the
 * largest size seen — the `fstat` at the open, the one after the read, the bytes read — so at least `limit + 1`; the
 * bytes past the limit are never read; a file whose `fstat` at the open is over the limit is not read at all). Rejects with an Error whose message is {@link NOT_REGULAR_FILE} for a FIFO,
 * socket, device or folder (the read never waits for a FIFO's writer), or with the open/read error (`code` ENOENT…).
 */
export async function readInputBounded(file: string, limit: number): Promise<{ buf: Buffer; over?: undefined } | { buf?: undefined; over: number }> {
  const { handle, size } = await openRegularFile(file, () => new Error(NOT_REGULAR_FILE));
  try {
    if (size > limit) return { over: size };
    const buf = await readHandleBounded(handle, limit + 1, size);
    if (buf.length <= limit) return { buf };
    const now = await handle.stat().then((s) => s.size, () => 0);
    return { over: Math.max(size, now, buf.length) };
  } finally {
    await handle.close();
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
