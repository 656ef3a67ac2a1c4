/**
 * Error lines for files and folders that could not be opened or read, shared by the input discovery of
 * every analysis (Loki, QRadar, Zeek/connection logs). Pure text; no I/O.
 */
import * as path from 'node:path';

/**
 * The message of a failed file-system call with its error code once: Node's fs messages already start
 * with the code (`ENOENT: no such file or directory, stat '/x'`), other errors get it in front
 * (`EIO: …`). Anything that is not an Error becomes its `String()`.
 */
export function fsErrorText(e: unknown): string {
  const x = e as NodeJS.ErrnoException;
  const msg = x?.message ?? String(e);
  return x?.code && !msg.startsWith(x.code) ? `${x.code}: ${msg}` : msg;
}

/**
 * `<what>: <fsErrorText>` for `file`, except when the file is missing and its name holds U+FFFD: a name
 * that is not valid UTF-8 (say a Latin-1 `M\xfcnchen.log` on Linux) reaches JavaScript with U+FFFD in
 * its place and can no longer be opened by that name, so the line says so instead of a bare "no such
 * file". Example: `cannot open: the name is not valid UTF-8 (shown with \uFFFD); rename it to analyze it`.
 */
export function openErrorText(what: string, file: string, e: unknown): string {
  if ((e as NodeJS.ErrnoException)?.code === 'ENOENT' && path.basename(file).includes('\uFFFD')) {
    return `${what}: the name is not valid UTF-8 (shown with \uFFFD); rename it to analyze it`;
  }
  return `${what}: ${fsErrorText(e)}`;
}

/** Why a folder entry that is neither a regular file nor a folder is not read: `not a regular file (FIFO)`. */
export function notRegularReason(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  const kind = st.isFIFO() ? 'FIFO' : st.isSocket() ? 'socket' : st.isCharacterDevice() ? 'character device' : st.isBlockDevice() ? 'block device' : 'special file';
  return `not a regular file (${kind})`;
}
