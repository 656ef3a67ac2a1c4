/**
 * Streaming parser for every Loki (Python) and Loki-RS output format.
 * Reference: shared/docs/loki-format.md (§0 detection, §1-§3 grammars, §5 pitfalls, §7 strategy).
 * OWNER: parser helper. Stub signatures — keep them stable.
 */
import type { LokiFileResult } from '../model/loki';

/**
 * Line-at-a-time parser for one file. Feed physical lines (without EOL) in order, then call finish().
 * Never throws on bad data: unreadable lines go to `errors` with file and 1-based line number.
 */
export class LokiLineParser {
  constructor(public readonly file: string, public readonly encoding = 'utf-8') {}
  push(_line: string): void {
    throw new Error('not implemented');
  }
  finish(): LokiFileResult {
    throw new Error('not implemented');
  }
}

/** Parses a whole text (tests, small inputs). */
export function parseLokiText(text: string, file: string): LokiFileResult {
  const p = new LokiLineParser(file);
  for (const l of text.split(/\r?\n/)) p.push(l);
  return p.finish();
}

/**
 * Streams one file from disk (bounded memory), detects encoding and format from content.
 * File-level problems (cannot open, binary) are reported in `errors` with line 0; never rejects
 * except on abort (rejects with an Error named 'AbortError').
 */
export async function parseLokiFile(
  _path: string,
  _opts: { signal?: AbortSignal; onBytes?: (bytesRead: number) => void } = {},
): Promise<LokiFileResult> {
  throw new Error('not implemented');
}
