/**
 * Files that are no text, told by their first bytes: a compressed file (gzip, bzip2, xz, zstd), a zip archive or other
 * binary data — whatever the file is named. One rule for every reader that refuses or skips such a file: `tz convert`
 * (Normalize Timestamps), `kpi` (case files, named or found in a folder) and `loki` (listed as skipped, never as a file
 * read). Pure Node (no vscode); moved here from tz-file.ts, which re-exports it.
 */
import type { FileHandle } from 'node:fs/promises';
import { NOT_REGULAR_FILE, openRegularFile } from '../fs-read';
import { sniffEncoding } from './lines';

/** What a file that is no text table is, by its first bytes: a compressed file of that kind, a zip archive, or other binary data. */
export type NotTextKind = 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'zip' | 'binary';

/** Bytes {@link sniffNotTextFile} reads from the start of a file (and {@link sniffNotText} looks at). */
export const SNIFF_BYTES = 4096;

/**
 * What the first bytes `head` of a file say it is when it is no text: `gzip` (1f 8b), `bzip2` (`BZh`), `xz`, `zstd`,
 * `zip` (`PK\x03\x04`), or `binary` — more than 1 % of the bytes (and at least 2) are control bytes that text never
 * holds (0x00–0x08, 0x0e–0x1a, 0x1c–0x1f; TAB, line ends, form feed and ESC are text). A UTF-16 file (a BOM, or NULs
 * at every other byte) is text. Undefined for text. Never throws.
 */
export function sniffNotText(head: Uint8Array): NotTextKind | undefined {
  const at = (...b: number[]) => head.length >= b.length && b.every((x, i) => head[i] === x);
  if (at(0x1f, 0x8b)) return 'gzip';
  if (at(0x42, 0x5a, 0x68)) return 'bzip2';
  if (at(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (at(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (at(0x50, 0x4b, 0x03, 0x04)) return 'zip';
  const enc = sniffEncoding(head);
  if (enc.binary) return 'binary';
  if (enc.encoding !== 'utf-8') return undefined;
  const n = Math.min(head.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b <= 0x08 || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) control++;
  }
  return control >= 2 && control > n * 0.01 ? 'binary' : undefined;
}

/**
 * {@link sniffNotText} of the first 4 KiB of `file`; undefined when it is text or cannot be read (the read then says
 * why) — also a FIFO, socket or device (opened non-blocking and checked on the handle: never waited on).
 */
export async function sniffNotTextFile(file: string): Promise<NotTextKind | undefined> {
  let fh: FileHandle | undefined;
  try {
    fh = (await openRegularFile(file, () => new Error(NOT_REGULAR_FILE))).handle;
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return sniffNotText(buf.subarray(0, bytesRead));
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** What each {@link NotTextKind} is, in words (without an article). */
const KIND_TEXT: Record<NotTextKind, string> = {
  gzip: 'gzip-compressed file',
  bzip2: 'bzip2-compressed file',
  xz: 'xz-compressed file',
  zstd: 'zstd-compressed file',
  zip: 'zip archive',
  binary: 'binary file',
};

/**
 * What a file of this {@link NotTextKind} is, in the words every reader uses: `gzip-compressed file`, `zip archive`,
 * `binary file`…; with `article`: `a gzip-compressed file`, `an xz-compressed file`.
 */
export function notTextKindText(kind: NotTextKind, article = false): string {
  const t = KIND_TEXT[kind];
  // (said "ex-zed": an xz-compressed file)
  return article ? `${kind === 'xz' ? 'an' : 'a'} ${t}` : t;
}
