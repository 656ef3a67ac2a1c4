/**
 * Streaming byte → line decoding for Loki result files.
 * Reference: shared/docs/loki-format.md §5 items 1-3 (encodings, line endings) and §7 step 1.
 *
 * Encoding detection (from the first bytes of the file):
 *  1. BOM: `EF BB BF` → utf-8, `FF FE` → utf-16le, `FE FF` → utf-16be (the BOM is dropped).
 *  2. No BOM: NUL-byte pattern of the first ≤ 4 KiB. Mostly NULs at odd offsets → utf-16le,
 *     at even offsets → utf-16be. Many NULs without that pattern → binary ("not a text file").
 *  3. Otherwise utf-8 (strict). If a chunk is not valid UTF-8, decoding switches to
 *     windows-1252 from that chunk on (already emitted lines stay as decoded).
 */

import { TextDecoder } from 'node:util';

/** Longest line kept in memory before it is emitted in pieces (characters). */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Result of sniffing the first bytes of a file. */
export interface EncodingSniff {
  /** WHATWG encoding label: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'. */
  encoding: string;
  /** Number of BOM bytes to skip (0, 2 or 3). */
  bomLength: number;
  /** True when the bytes look like binary data (NUL-heavy and not UTF-16). */
  binary: boolean;
}

/**
 * Sniffs encoding from the first bytes (pass at least the first 4 KiB when available).
 * Never throws.
 */
export function sniffEncoding(head: Uint8Array): EncodingSniff {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, binary: false };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2, binary: false };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2, binary: false };
  const n = Math.min(head.length, 4096) & ~1;
  if (n >= 2) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++;
      if (head[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero >= pairs * 0.4 && evenZero <= pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0, binary: false };
    if (evenZero >= pairs * 0.4 && oddZero <= pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0, binary: false };
    // Text never contains NUL; a few stray NULs are tolerated, more than 1 % means binary.
    if (evenZero + oddZero > Math.max(1, n * 0.01)) return { encoding: 'utf-8', bomLength: 0, binary: true };
  } else if (head.length === 1 && head[0] === 0) {
    return { encoding: 'utf-8', bomLength: 0, binary: true };
  }
  return { encoding: 'utf-8', bomLength: 0, binary: false };
}

/** Number of bytes at the end of `buf` that form an incomplete (but so far valid) UTF-8 sequence. */
export function incompleteUtf8Tail(buf: Uint8Array): number {
  const len = buf.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const b = buf[len - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte, keep looking for the lead byte
    let need = 0;
    if ((b & 0xe0) === 0xc0) need = 2;
    else if ((b & 0xf0) === 0xe0) need = 3;
    else if ((b & 0xf8) === 0xf0) need = 4;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Options of {@link LineDecoder}.
 */
export interface LineDecoderOptions {
  /**
   * Also end a line at a lone CR (`\r` not followed by `\n`), as VS Code and classic Mac OS do.
   * Without it a file with CR-only line ends is one giant "line" and every record after the first
   * is silently glued into the first one. `\r\n` stays one line end. Default false.
   */
  splitLoneCR?: boolean;
  /**
   * Called instead of `onLine` for a physical line longer than {@link MAX_LINE_CHARS}: the line is
   * not kept (bounded memory), only its length in characters is reported, and it still counts as
   * exactly one line (so later line numbers stay right). Without this callback such a line is
   * emitted in {@link MAX_LINE_CHARS} pieces, each piece counting as one line (legacy behaviour).
   */
  onLongLine?: (chars: number) => void;
}

/**
 * Incremental decoder + line splitter. Feed raw chunks with {@link write}; complete physical
 * lines (without `\n` and without one trailing `\r`) are passed to `onLine`. Call {@link end}
 * once; a last line without EOL is emitted then. A final empty segment after the last EOL is
 * not a line. Memory is bounded by the longest line (at most {@link MAX_LINE_CHARS} characters).
 */
export class LineDecoder {
  private decoder: TextDecoder | undefined;
  private sniffed = false;
  private carry = '';
  private utf8Tail: Uint8Array = new Uint8Array(0);
  /** Encoding in use (after sniffing; may change to windows-1252 on invalid UTF-8). */
  encoding = 'utf-8';
  /** Set when the sniff found binary data; no lines are emitted then. */
  binary = false;
  /** True when the input switched from UTF-8 to the windows-1252 fallback. */
  fellBack = false;
  private head: Uint8Array[] = [];
  private headLen = 0;

  private readonly sniffBytes: number;
  private readonly splitLoneCR: boolean;
  private readonly onLongLine: ((chars: number) => void) | undefined;
  /** The previous text ended with a CR already used as a line end: a leading LF belongs to it. */
  private skipLF = false;
  /** Characters already dropped of the current over-long line (0: not inside one). */
  private longChars = 0;

  /** `sniffBytes`: how many leading bytes decide the encoding (min 4, default 4096). */
  constructor(private readonly onLine: (line: string) => void, sniffBytes = 4096, opts: LineDecoderOptions = {}) {
    this.sniffBytes = Math.max(4, sniffBytes);
    this.splitLoneCR = opts.splitLoneCR === true;
    this.onLongLine = opts.onLongLine;
  }

  write(chunk: Uint8Array): void {
    if (this.binary) return;
    if (!this.sniffed) {
      // Collect enough bytes to sniff reliably.
      this.head.push(chunk);
      this.headLen += chunk.length;
      if (this.headLen < this.sniffBytes) return;
      this.flushHead();
      return;
    }
    this.decodeChunk(chunk);
  }

  end(): void {
    if (!this.sniffed) this.flushHead();
    if (this.binary) return;
    let rest = '';
    if (this.decoder) {
      try {
        rest = this.decoder.decode();
      } catch {
        rest = new TextDecoder('windows-1252').decode(this.utf8Tail);
        this.fellBack = true;
        this.encoding = 'windows-1252';
      }
    }
    const text = this.carry + rest;
    this.carry = '';
    if (text.length > 0 || this.longChars > 0) this.emitLines(text, true);
  }

  private flushHead(): void {
    this.sniffed = true;
    const all = concat(this.head, this.headLen);
    this.head = [];
    const s = sniffEncoding(all.subarray(0, this.sniffBytes));
    if (s.binary) {
      this.binary = true;
      return;
    }
    this.encoding = s.encoding;
    this.decoder = new TextDecoder(s.encoding, { fatal: s.encoding === 'utf-8', ignoreBOM: true });
    this.decodeChunk(s.bomLength ? all.subarray(s.bomLength) : all);
  }

  private decodeChunk(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let text: string;
    if (this.encoding === 'utf-8') {
      try {
        text = this.decoder!.decode(chunk, { stream: true });
        this.utf8Tail = chunk.subarray(chunk.length - incompleteUtf8Tail(chunk)).slice();
      } catch {
        // Not valid UTF-8: re-decode this chunk (plus the bytes the decoder held back) as cp1252.
        const prev = this.utf8Tail;
        this.encoding = 'windows-1252';
        this.fellBack = true;
        this.decoder = new TextDecoder('windows-1252');
        text = this.decoder.decode(concat([prev, chunk], prev.length + chunk.length), { stream: true });
      }
    } else {
      text = this.decoder!.decode(chunk, { stream: true });
    }
    if (text.length) this.emitLines(text, false);
  }

  private emitLines(text: string, final: boolean): void {
    let start = 0;
    let buf = this.carry;
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    // Next LF / CR positions, cached so that each is searched once per text (no rescans).
    let nextLF = -2;
    let nextCR = this.splitLoneCR ? -2 : -1;
    for (;;) {
      if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
      let nl: number;
      let next: number;
      if (nextCR >= 0 && (nextLF < 0 || nextCR < nextLF)) {
        // Lone CR or CRLF (only with splitLoneCR).
        nl = nextCR;
        if (nextCR + 1 < text.length) next = text.charCodeAt(nextCR + 1) === 10 ? nextCR + 2 : nextCR + 1;
        else {
          next = nextCR + 1;
          if (!final) this.skipLF = true; // the LF of a CRLF may start the next chunk
        }
      } else if (nextLF >= 0) {
        nl = nextLF;
        next = nextLF + 1;
      } else break;
      let line = buf.length ? buf + text.slice(start, nl) : text.slice(start, nl);
      buf = '';
      if (line.length && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      this.emitLine(line);
      start = next;
    }
    const rest = buf.length ? buf + text.slice(start) : text.slice(start); // buf is '' once a line was emitted
    if (final) {
      this.carry = '';
      if (rest.length || this.longChars > 0) this.emitLine(rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest);
    } else {
      this.carry = rest;
      // Bounded memory: a "line" longer than MAX_LINE_CHARS (no EOL in sight, e.g. a huge
      // garbage blob) is either dropped and reported once at its end (onLongLine) or, without
      // that callback, emitted in pieces that each count as one physical line.
      if (this.carry.length > MAX_LINE_CHARS) {
        const piece = this.carry;
        this.carry = '';
        if (this.onLongLine) this.longChars += piece.length;
        else this.onLine(piece);
      }
    }
  }

  private emitLine(line: string): void {
    if (this.longChars > 0 || (this.onLongLine && line.length > MAX_LINE_CHARS)) {
      const n = this.longChars + line.length;
      this.longChars = 0;
      this.onLongLine!(n);
      return;
    }
    this.onLine(line);
  }
}

function concat(parts: Uint8Array[], len: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
