/**
 * windows-1252 decoding that Node does not always get right: Node 20's `TextDecoder('windows-1252')`, in a one-shot
 * `decode(bytes)` (not with `{ stream: true }`), takes its Latin-1 fast path and returns the bytes 0x80–0x9F as the
 * C1 controls U+0080–U+009F (invisible) instead of `€ ‚ ƒ „ … † ‡ ˆ ‰ Š
 * ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ` (WHATWG Encoding Standard, index-windows-1252; the five bytes it leaves
 * undefined, 0x81 0x8D 0x8F 0x90 0x9D, map to the C1 control of the same value, as the standard's decoder does).
 */

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
