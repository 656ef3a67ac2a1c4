/**
 * The extension host's copy of Loki findings: reading back the message of a finding whose message
 * was left out of the transfer (`LokiFinding.messageAt`, set by `MessagelessFindings` in
 * ./loki-store.ts), and sharing the repeated short texts of the findings that arrive.
 */
import { textSharer } from '../shared-texts';
import { constants as fsc, promises as fsp } from 'node:fs';
import type { LokiFinding } from '../model/loki';
import { fsErrorText } from '../fs-errors';
import { MAX_LINE_CHARS } from './lines';
import { parseFileFinding } from './python-messages';

/** Longest message read back: a columnar finding is one line, and lines are kept up to MAX_LINE_CHARS (./lines.ts). */
const MAX_MESSAGE_BYTES = MAX_LINE_CHARS;

/**
 * The message of `f`: `f.message` itself, or, when `f.messageAt` is set, its bytes read from
 * `f.source.file` (one positioned read; ASCII, decoded as latin1 like the parser's byte path).
 *
 * The text read is checked against the finding: it must sit between the `,` that ends the CSV
 * envelope and the end of its line, and be a `FILE:` message whose path, SCORE, TYPE, SIZE,
 * FIRST_BYTES, hashes, CREATED/MODIFIED/ACCESSED and reasons equal the finding's
 * (shared/docs/loki-format.md §2.1, §2.2).
 *
 * The file is opened without blocking and must still be a regular file (a FIFO put in its place
 * would otherwise block the open forever).
 *
 * Throws an Error naming the file when it cannot be read, is no longer a regular file, is shorter
 * than the finding says, or no longer holds this finding at that place (edited or written again
 * since the analysis).
 */
export async function readLokiMessage(f: LokiFinding): Promise<string> {
  const at = f.messageAt;
  if (at === undefined) return f.message;
  const file = f.source.file;
  if (!Number.isSafeInteger(at.offset) || at.offset < 1 || !Number.isInteger(at.bytes) || at.bytes < 0 || at.bytes > MAX_MESSAGE_BYTES) {
    throw new Error(`the finding at ${file}:${f.source.line} has no valid message position`);
  }
  // The message with the byte before it (the envelope's last comma) and up to two after it (LF, CRLF or the end).
  const want = at.bytes + 3;
  let buf: Buffer;
  let got = 0;
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(file, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
    if (!(await fh.stat()).isFile()) throw new Error('no longer a regular file');
    buf = Buffer.alloc(want);
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, at.offset - 1 + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < at.bytes + 1) throw new Error('the file is shorter than when it was analyzed');
  } catch (e) {
    throw new Error(`cannot read the message of ${file}:${f.source.line} again: ${fsErrorText(e)}`);
  } finally {
    await fh?.close();
  }
  const text = buf.toString('latin1', 1, at.bytes + 1);
  const next = got > at.bytes + 1 ? buf[at.bytes + 1] : -1; // -1: the message ends the file
  const b = buf[0] === 0x2c && (next === -1 || next === 0x0a || next === 0x0d) ? parseFileFinding(text) : undefined;
  const same =
    b !== undefined && b.kind === f.kind && b.path === f.path && b.score === f.score && b.size === f.size &&
    b.md5 === f.md5 && b.sha1 === f.sha1 && b.sha256 === f.sha256 && b.created === f.created &&
    b.modified === f.modified && b.accessed === f.accessed && b.fileType === f.fileType &&
    b.firstBytes === f.firstBytes && JSON.stringify(b.reasons) === JSON.stringify(f.reasons);
  if (!same) throw new Error(`${file} changed after it was analyzed (line ${f.source.line} no longer holds this finding); run the analysis again`);
  return text;
}

/**
 * Makes the repeated short texts of findings that arrived by structured clone one string each:
 * `host`, `level`, `module`, `kind`, `fileType` and `source.file`. A structured clone copies every
 * string it meets, so each finding arrives with its own copy of its host name and file name
 * (loki-8x, 598,155 findings: 567 → 469 MB of host heap, ~0.2 ms more per slice of 1,000). Values are
 * unchanged (equal strings); `pool` is the transfer's table (one per job), bounded by
 * `SHARED_TEXTS_MAX` (src/core/shared-texts.ts). Mutates the findings.
 */
export function shareFindingTexts(findings: LokiFinding[], pool: Map<string, string>): void {
  const share = textSharer(pool);
  // Consecutive findings mostly share their host, module and file: compare with the last one first.
  let lastHost = '';
  let lastFile = '';
  let lastModule = '';
  for (const f of findings) {
    f.host = f.host === lastHost ? lastHost : (lastHost = share(f.host));
    f.module = f.module === lastModule ? lastModule : (lastModule = share(f.module));
    f.level = share(f.level) as LokiFinding['level'];
    f.kind = share(f.kind) as LokiFinding['kind'];
    if (f.fileType !== undefined) f.fileType = share(f.fileType);
    const src = f.source;
    src.file = src.file === lastFile ? lastFile : (lastFile = share(src.file));
  }
}
