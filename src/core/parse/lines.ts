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
import { isAscii, isUtf8 } from 'node:buffer';
import { Cp1252Decoder } from './cp1252';

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
  /**
   * Byte path for UTF-8 input (fast: no decoding of the whole chunk). When set, every line of
   * UTF-8 input is passed as the byte range `buf[start, end)` (valid UTF-8, EOL removed exactly as
   * for `onLine`; `ascii` true when every byte of `buf` in the range is < 0x80) instead of a
   * string. Lines, line numbers, long lines and the windows-1252 fallback are exactly those of the
   * string path (the chunk is validated as the streaming fatal decoder would). UTF-16 and
   * windows-1252 input still goes to `onLine`. `buf` is only valid during the call and until
   * `onChunkEnd` (called after the lines of each written chunk). `at` is the offset of `buf[start]`
   * in the input, in bytes counted from the first byte ever written (a BOM included): the line's
   * bytes are the input's bytes `[at, at + end - start)`.
   */
  onLineBytes?: (buf: Buffer, start: number, end: number, ascii: boolean, at: number) => void;
  /** Called after the lines of each chunk were passed to `onLineBytes` (see there). */
  onChunkEnd?: () => void;
  /**
   * Called with the first bytes when the sniff finds them NUL-heavy (binary): returning true reads
   * the input as UTF-8 text anyway ({@link LineDecoder.nulHead} is then set), e.g. because those bytes
   * hold lines of the expected format and the NULs came from a logged value. Default: binary, no lines.
   */
  textDespiteNul?: (head: Uint8Array) => boolean;

}

/**
 * Incremental decoder + line splitter. Feed raw chunks with {@link write}; complete physical
 * lines (without `\n` and without one trailing `\r`) are passed to `onLine`. Call {@link end}
 * once; a last line without EOL is emitted then. A final empty segment after the last EOL is
 * not a line. Memory is bounded by the longest line (at most {@link MAX_LINE_CHARS} characters).
 */
export class LineDecoder {
  private decoder: TextDecoder | Cp1252Decoder | undefined;
  private sniffed = false;
  private carry = '';
  private utf8Tail: Uint8Array = new Uint8Array(0);
  /** Encoding in use (after sniffing; may change to windows-1252 on invalid UTF-8). */
  encoding = 'utf-8';
  /** Set when the sniff found binary data; no lines are emitted then. */
  binary = false;
  /** True when the input switched from UTF-8 to the windows-1252 fallback. */
  fellBack = false;
  /** True when the first bytes looked binary (NUL-heavy) but `textDespiteNul` had them read as text. */
  nulHead = false;
  private head: Uint8Array[] = [];
  private headLen = 0;

  private readonly sniffBytes: number;
  private readonly splitLoneCR: boolean;
  private readonly onLongLine: ((chars: number) => void) | undefined;
  /** The previous text ended with a CR already used as a line end: a leading LF belongs to it. */
  private skipLF = false;
  /** Characters already dropped of the current over-long line (0: not inside one). */
  private longChars = 0;
  private readonly onLineBytes: ((buf: Buffer, start: number, end: number, ascii: boolean, at: number) => void) | undefined;
  private readonly onChunkEnd: (() => void) | undefined;
  private readonly textDespiteNul: ((head: Uint8Array) => boolean) | undefined;
  /** Byte path active (UTF-8 input with `onLineBytes`, before any fallback). */
  private bytes = false;
  /** Byte path: start of the current line not yet ended (bytes after the last EOL, valid UTF-8). */
  private bcarry: Buffer = EMPTY;
  /** Byte path: bytes of an incomplete UTF-8 sequence held back (as the streaming decoder does). */
  private held: Buffer = EMPTY;
  /** Input offset of the next byte given to decodeChunk (bytes, from the first byte written). */
  private pos = 0;
  /** Byte path: input offset of {@link bcarry}'s first byte. */
  private bcarryAt = 0;

  /** `sniffBytes`: how many leading bytes decide the encoding (min 4, default 4096). */
  /**
   * True while the decoder keeps chunks given to {@link write} (the first bytes, until it has seen
   * enough to tell the encoding); otherwise nothing of a chunk outlives its `write` call (partial
   * lines and held-back bytes are copies), so the caller may reuse the chunk's memory.
   */
  get holdsInput(): boolean {
    return !this.sniffed && this.headLen > 0;
  }

  constructor(private readonly onLine: (line: string) => void, sniffBytes = 4096, opts: LineDecoderOptions = {}) {
    this.sniffBytes = Math.max(4, sniffBytes);
    this.splitLoneCR = opts.splitLoneCR === true;
    this.onLongLine = opts.onLongLine;
    this.onLineBytes = opts.onLineBytes;
    this.onChunkEnd = opts.onChunkEnd;
    this.textDespiteNul = opts.textDespiteNul;
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
    if (this.bytes) {
      this.bytes = false;
      if (this.held.length === 0) {
        // The decoder's final flush succeeds: the carried bytes are the last line.
        const c = this.bcarry;
        this.bcarry = EMPTY;
        if (c.length > 0 || this.longChars > 0) {
          let e = c.length;
          if (e > 0 && c[e - 1] === 13) e--;
          this.emitLineBytes(c, 0, e, isAscii(c), this.bcarryAt);
        }
        this.onChunkEnd?.();
        return;
      }
      // Incomplete sequence at the end: the decoder's final flush throws; same fallback as below.
      const text = this.bcarry.toString('utf8') + new Cp1252Decoder().decode(this.utf8Tail);
      this.fellBack = true;
      this.encoding = 'windows-1252';
      this.bcarry = EMPTY;
      this.held = EMPTY;
      this.carry = '';
      if (text.length > 0 || this.longChars > 0) this.emitLines(text, true);
      return;
    }
    let rest = '';
    if (this.decoder) {
      try {
        rest = this.decoder.decode();
      } catch {
        rest = new Cp1252Decoder().decode(this.utf8Tail);
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
      if (!this.textDespiteNul?.(all.subarray(0, this.sniffBytes))) {
        this.binary = true;
        return;
      }
      this.nulHead = true;
    }
    this.encoding = s.encoding;
    this.decoder = s.encoding === 'windows-1252' ? new Cp1252Decoder() : new TextDecoder(s.encoding, { fatal: s.encoding === 'utf-8', ignoreBOM: true });
    this.bytes = s.encoding === 'utf-8' && this.onLineBytes !== undefined;
    this.pos = s.bomLength;
    this.decodeChunk(s.bomLength ? all.subarray(s.bomLength) : all);
  }

  private decodeChunk(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.bytes) {
      this.bytesChunk(chunk);
      return;
    }
    this.pos += chunk.length;
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
        this.decoder = new Cp1252Decoder();
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

  /**
   * Byte path for one chunk: validates it as `TextDecoder('utf-8', {fatal}).decode(chunk, {stream})`
   * would (held-back incomplete sequence included) and splits the valid part into lines on bytes.
   */
  private bytesChunk(chunk: Uint8Array): void {
    const held = this.held;
    const base = this.pos - held.length; // input offset of all[0]
    this.pos += chunk.length;
    const all: Buffer = held.length ? Buffer.concat([held, chunk]) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const tail = validUtf8PrefixTail(all);
    const end = all.length - (tail < 0 ? 0 : tail);
    if (tail < 0 || !isUtf8(all.subarray(0, end))) {
      // Not valid UTF-8: switch to the string path exactly as decodeChunk's fallback does.
      this.bytes = false;
      this.carry = this.bcarry.toString('utf8');
      this.bcarry = EMPTY;
      this.held = EMPTY;
      const prev = this.utf8Tail;
      this.encoding = 'windows-1252';
      this.fellBack = true;
      this.decoder = new Cp1252Decoder();
      const text = this.decoder.decode(concat([prev, chunk], prev.length + chunk.length), { stream: true });
      if (text.length) this.emitLines(text, false);
      return;
    }
    this.utf8Tail = chunk.subarray(chunk.length - incompleteUtf8Tail(chunk)).slice();
    this.held = end < all.length ? Buffer.from(all.subarray(end)) : EMPTY;
    if (end > 0) this.emitLinesBytes(all, end, base);
    this.onChunkEnd?.();
  }

  /** Lines of `buf[0, end)`, whose first byte is at input offset `base`. */
  private emitLinesBytes(buf: Buffer, end: number, base: number): void {
    let start = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (buf[0] === 10) start = 1;
    }
    const ascii = isAscii(buf.subarray(0, end));
    let carry = this.bcarry;
    let nextLF = -2;
    let nextCR = this.splitLoneCR ? -2 : -1;
    for (;;) {
      if (nextLF !== -1 && nextLF < start) {
        nextLF = buf.indexOf(10, start);
        if (nextLF >= end) nextLF = -1;
      }
      if (nextCR !== -1 && nextCR < start) {
        nextCR = buf.indexOf(13, start);
        if (nextCR >= end) nextCR = -1;
      }
      let nl: number;
      let next: number;
      if (nextCR >= 0 && (nextLF < 0 || nextCR < nextLF)) {
        nl = nextCR;
        if (nextCR + 1 < end) next = buf[nextCR + 1] === 10 ? nextCR + 2 : nextCR + 1;
        else {
          next = nextCR + 1;
          this.skipLF = true;
        }
      } else if (nextLF >= 0) {
        nl = nextLF;
        next = nextLF + 1;
      } else break;
      if (carry.length) {
        const line = Buffer.concat([carry, buf.subarray(start, nl)]);
        carry = EMPTY;
        let e = line.length;
        if (e > 0 && line[e - 1] === 13) e--;
        this.emitLineBytes(line, 0, e, isAscii(line), this.bcarryAt);
      } else {
        let e = nl;
        if (e > start && buf[e - 1] === 13) e--;
        // A chunk that is not all ASCII is checked line by line: one path with an umlaut must not
        // take the ASCII fast paths away from the thousands of other lines of its chunk.
        this.emitLineBytes(buf, start, e, ascii || isAscii(buf.subarray(start, e)), base + start);
      }
      start = next;
    }
    // Bytes after the last line end: the start of the next line (copied: `buf` is not ours).
    if (start < end) {
      if (carry.length) carry = Buffer.concat([carry, buf.subarray(start, end)]);
      else {
        carry = Buffer.from(buf.subarray(start, end));
        this.bcarryAt = base + start;
      }
    }
    this.bcarry = carry;
    if (carry.length > MAX_LINE_CHARS) {
      // Same bound as the string path, in characters (UTF-16 code units) of the decoded text.
      const chars = utf16Length(carry);
      if (chars > MAX_LINE_CHARS) {
        this.bcarry = EMPTY;
        if (this.onLongLine) this.longChars += chars;
        else this.onLine(carry.toString('utf8'));
      }
    }
  }

  private emitLineBytes(buf: Buffer, start: number, end: number, ascii: boolean, at: number): void {
    if (this.longChars > 0 || (this.onLongLine && end - start > MAX_LINE_CHARS)) {
      const chars = utf16Length(buf.subarray(start, end));
      if (this.longChars > 0 || chars > MAX_LINE_CHARS) {
        const n = this.longChars + chars;
        this.longChars = 0;
        this.onLongLine!(n);
        return;
      }
    }
    this.onLineBytes!(buf, start, end, ascii, at);
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

const EMPTY = Buffer.alloc(0);

/** Length in UTF-16 code units of valid UTF-8 bytes. */
function utf16Length(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

/**
 * Length of the trailing incomplete-but-valid-so-far UTF-8 sequence of `b` (0..3), i.e. what a
 * streaming decoder holds back; -1 when the trailing partial sequence can never become valid.
 */
function validUtf8PrefixTail(b: Uint8Array): number {
  const len = b.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const c = b[len - back];
    if ((c & 0xc0) === 0x80) continue;
    let need = 0;
    if (c >= 0xc2 && c <= 0xdf) need = 2;
    else if (c >= 0xe0 && c <= 0xef) need = 3;
    else if (c >= 0xf0 && c <= 0xf4) need = 4;
    if (need <= back) return 0; // complete (or ASCII / invalid lead: isUtf8 decides)
    if (back >= 2) {
      const c1 = b[len - back + 1];
      if (c === 0xe0 && c1 < 0xa0) return -1;
      if (c === 0xed && c1 > 0x9f) return -1;
      if (c === 0xf0 && c1 < 0x90) return -1;
      if (c === 0xf4 && c1 > 0x8f) return -1;
    }
    return back;
  }
  return 0;
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
