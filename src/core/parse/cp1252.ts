/**
 * windows-1252 decoding that Node does not always get right: Node 20's `TextDecoder('windows-1252')`, in a one-shot
 * `decode(bytes)` (not with `{ stream: true }`), takes its Latin-1 fast path and returns the bytes 0x80–0x9F as the
 * C1 controls U+0080–U+009F (invisible) instead of `€ ‚ ƒ „ … † ‡ ˆ ‰ Š
 * ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ` (WHATWG Encoding Standard, index-windows-1252; the five bytes it leaves
 * undefined, 0x81 0x8D 0x8F 0x90 0x9D, map to the C1 control of the same value, as the standard's decoder does).
 */

import { isUtf8 } from 'node:buffer';

/** windows-1252 (the WHATWG index) of the bytes 0x80–0xFF, spelled out (see the module comment). */
export const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178' +
  Array.from({ length: 96 }, (_, k) => String.fromCharCode(0xa0 + k)).join('');

/** The windows-1252 text of `bytes[start, end)` (every byte is one character; never throws). */
export function decodeCp1252(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Latin-1 and windows-1252 differ only at 0x80–0x9F.
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * A drop-in for `new TextDecoder('windows-1252')` in streaming use (`decode(chunk, { stream: true })`, then
 * `decode()`): a single-byte encoding keeps no state between chunks.
 */
export class Cp1252Decoder {
  readonly encoding = 'windows-1252';
  decode(input?: Uint8Array, _options?: { stream?: boolean }): string {
    return input === undefined ? '' : decodeCp1252(input);
  }
}

/**
 * Length of the well-formed UTF-8 sequence at `i` (1–4), or 0 when the byte there does not start one (a stray
 * continuation byte, an overlong form, a surrogate, a value above U+10FFFF, a sequence cut short) — the same bytes
 * that `TextDecoder('utf-8', {fatal: true})` rejects.
 */
export function utf8SequenceAt(buf: Buffer, i: number): number {
  const b = buf[i];
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < buf.length && buf[i + k] >= lo && buf[i + k] <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const ok1 = b === 0xe0 ? cont(1, 0xa0) : b === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    return ok1 && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const ok1 = b === 0xf0 ? cont(1, 0x90) : b === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    return ok1 && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * The text of UTF-8 bytes in which each byte that is not part of well-formed UTF-8 (a Latin-1 `München` from an old
 * tool, one such byte pasted into a UTF-8 file) is read as windows-1252 instead of becoming U+FFFD. Every well-formed
 * UTF-8 character stays what it is; a BOM is kept. `firstBad`: the offset of the first such byte in `buf`,
 * `firstBadChar` its index in `text` (both -1 when the bytes are UTF-8).
 */
export function decodeUtf8OrCp1252(buf: Buffer): { text: string; firstBad: number; firstBadChar: number } {
  if (isUtf8(buf)) return { text: buf.toString('utf8'), firstBad: -1, firstBadChar: -1 };
  const parts: string[] = [];
  let start = 0; // start of the current run of well-formed UTF-8
  let firstBad = -1;
  let firstBadChar = -1;
  let textLen = 0;
  for (let i = 0; i < buf.length; ) {
    const n = utf8SequenceAt(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) {
      const run = buf.toString('utf8', start, i);
      parts.push(run);
      textLen += run.length;
    }
    if (firstBad < 0) {
      firstBad = i;
      firstBadChar = textLen;
    }
    parts.push(CP1252_HIGH[buf[i] - 0x80]);
    textLen++;
    start = ++i;
  }
  if (start < buf.length) parts.push(buf.toString('utf8', start));
  return { text: parts.join(''), firstBad, firstBadChar };
}
