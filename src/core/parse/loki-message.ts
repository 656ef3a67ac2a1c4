/**
 * Reading back the message of a Loki finding whose message was left out of the transfer to the
 * extension host (`LokiFinding.messageAt`, set by `MessagelessFindings` in ./loki-store.ts).
 */
import { promises as fsp } from 'node:fs';
import type { LokiFinding } from '../model/loki';
import { fsErrorText } from '../fs-errors';
import { parseFileFinding } from './python-messages';

/** Longest message read back (the parser keeps records up to 1 MiB; see MAX_RECORD_CHARS in ./loki.ts). */
const MAX_MESSAGE_BYTES = 1 << 20;

/**
 * The message of `f`: `f.message` itself, or, when `f.messageAt` is set, its bytes read from
 * `f.source.file` (one positioned read; ASCII, decoded as latin1 like the parser's byte path).
 *
 * The text read is checked against the finding: it must be a `FILE:` message whose path, SCORE,
 * SIZE, hashes and CREATED/MODIFIED/ACCESSED equal the finding's (shared/docs/loki-format.md §2.1).
 *
 * Throws an Error naming the file when it cannot be read, is shorter than the finding says, or no
 * longer holds this finding at that place (edited or written again since the analysis).
 */
export async function readLokiMessage(f: LokiFinding): Promise<string> {
  const at = f.messageAt;
  if (at === undefined) return f.message;
  const file = f.source.file;
  if (!Number.isSafeInteger(at.offset) || at.offset < 0 || !Number.isInteger(at.bytes) || at.bytes < 0 || at.bytes > MAX_MESSAGE_BYTES) {
    throw new Error(`the finding at ${file}:${f.source.line} has no valid message position`);
  }
  let text: string;
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(file, 'r');
    const buf = Buffer.alloc(at.bytes);
    let got = 0;
    while (got < at.bytes) {
      const { bytesRead } = await fh.read(buf, got, at.bytes - got, at.offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < at.bytes) throw new Error('the file is shorter than when it was analysed');
    text = buf.toString('latin1', 0, at.bytes);
  } catch (e) {
    throw new Error(`cannot read the message of ${file}:${f.source.line} again: ${fsErrorText(e)}`);
  } finally {
    await fh?.close();
  }
  const b = parseFileFinding(text);
  const same =
    b !== undefined && b.path === f.path && b.score === f.score && b.size === f.size && b.md5 === f.md5 &&
    b.sha1 === f.sha1 && b.sha256 === f.sha256 && b.created === f.created && b.modified === f.modified &&
    b.accessed === f.accessed && b.fileType === f.fileType && b.firstBytes === f.firstBytes;
  if (!same) throw new Error(`${file} changed after it was analysed (line ${f.source.line} no longer holds this finding); run the analysis again`);
  return text;
}
