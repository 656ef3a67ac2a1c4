/**
 * Python Loki message-body parsers (the MESSAGE part after the envelope).
 * Grammar reference: shared/docs/loki-format.md §2.1 (file findings), §2.2 (reasons),
 * §2.3 (process scan), §2.4 (connections / C2), §5 items 15-29 (pitfalls).
 *
 * All functions are total: they never throw and never use backtracking-prone regexes; values are
 * located with indexOf on the fixed key order of each grammar.
 */
import type { FindingKind, LokiReason } from '../model/loki';
import { MAX_MEMO_KEY_CHARS, ownCopy, pathHash, type LokiIntern } from './loki-intern';
import { asciiBytes, codeUnits, hexRunKind, hexRunKindBytes, hexRunKindUnits, indexOfKeyDigits, indexOfSpaced, isBlankFrom, isDigit, readInt, startsWithBytes } from './text';

/** Finding fields extracted from a message body (the envelope adds host/level/time/source). */
export interface FindingBody {
  kind: FindingKind;
  path?: string;
  score?: number;
  fileType?: string;
  size?: number;
  firstBytes?: string;
  md5?: string;
  sha1?: string;
  sha256?: string;
  created?: string;
  modified?: string;
  accessed?: string;
  pid?: number;
  processName?: string;
  owner?: string;
  commandLine?: string;
  ip?: string;
  port?: number;
  reasons: LokiReason[];
  /** Set when the body was cut short (e.g. truncated last line); the fields present are kept. */
  truncated?: string;
}

/** Reason prefixes that can follow `REASON_n: ` (§2.2); used to reject `REASON_n:` inside values. */
const REASON_PREFIXES = [
  'Yara Rule MATCH: ',
  'File Name IOC matched PATTERN: ',
  'Malware Hash TYPE: ',
  'Suspicious Hash TYPE: ',
  'Levenshtein check',
  'Anomaly detected',
];

function startsWithAt(s: string, prefix: string, i: number): boolean {
  return s.startsWith(prefix, i);
}

// --- FILE findings (§2.1) in two steps: locate (positions only) and build (the FindingBody) --------
//
// Slot layout of one located finding. `slots` (Int32Array) holds FF_SLOTS ints per finding: char
// indices into the message (UTF-16 code units, as String.prototype.slice counts), -1 = absent, plus a
// few small codes. `nums` (Float64Array) holds FF_NUMS numbers per finding.

/** `slots`: end (exclusive) of the path; path = `msg.slice(6, FF_PATH_END)` (6 = `'FILE: '.length; the space before `SCORE:` is left out). */
export const FF_PATH_END = 0;
/** `slots`: truncation code, an index into {@link FF_TRUNC_TEXT} (0 = complete, see FF_TRUNC_*). */
export const FF_TRUNC = 1;
/** `slots`: start of the TYPE value (after `' TYPE: '`), -1 when the finding has no TYPE (FF_TRUNC_AFTER_SCORE). */
export const FF_TYPE_START = 2;
/**
 * `slots`: end of the TYPE value (index of `' SIZE: '`), used as is (no trim); when FF_TRUNC is
 * FF_TRUNC_IN_TYPE it is `msg.length` and the value is `msg.slice(start).trimEnd()`. -1 when absent.
 */
export const FF_TYPE_END = 3;
/** `slots`: start of the FIRST_BYTES value (after `' FIRST_BYTES: '`), -1 when absent. */
export const FF_FB_START = 4;
/**
 * `slots`: raw end of the FIRST_BYTES value (index of ` MD5: `, ` CREATED: `, ` REASON_1: `, or `msg.length`
 * with FF_TRUNC_IN_FIRST_BYTES); firstBytes = `msg.slice(FF_FB_START, FF_FB_END).trim()`. -1 when absent.
 */
export const FF_FB_END = 5;
/**
 * `slots`: index m of the accepted `' MD5: '` key (the first one followed by 32 hex digits), -1 when
 * there are no hashes. The hashes are at fixed offsets from it: MD5 `[m+6, m+38)`, SHA1 `[m+45, m+85)`,
 * SHA256 `[m+94, m+158)` (present as their kind slots say).
 */
export const FF_MD5 = 6;
/** `slots`: {@link hexRunKind} of the MD5 hex: 0 = no MD5, 1 = lower-case as written, 2 = has `A`-`F` (lower-cased by build). */
export const FF_MD5_KIND = 7;
/** `slots`: {@link hexRunKind} of the SHA1 hex (0 = no SHA1, 1 = lower-case, 2 = has `A`-`F`). */
export const FF_SHA1_KIND = 8;
/** `slots`: {@link hexRunKind} of the SHA256 hex (0 = no SHA256, 1 = lower-case, 2 = has `A`-`F`). */
export const FF_SHA256_KIND = 9;
/** `slots`: raw start of the CREATED value (after `' CREATED: '`), -1 when absent; value = `slice(start, end).trim()`. */
export const FF_CREATED_START = 10;
/** `slots`: raw end of the CREATED value (`' MODIFIED: '`, `' REASON_1: '` or the message end), -1 when absent. */
export const FF_CREATED_END = 11;
/** `slots`: raw start of the MODIFIED value, -1 when absent; value = `slice(start, end).trim()`. */
export const FF_MODIFIED_START = 12;
/** `slots`: raw end of the MODIFIED value (`' ACCESSED: '`, `' REASON_1: '` or the message end), -1 when absent. */
export const FF_MODIFIED_END = 13;
/** `slots`: raw start of the ACCESSED value, -1 when absent; value = `slice(start, end).trim()`. */
export const FF_ACCESSED_START = 14;
/** `slots`: raw end of the ACCESSED value (`' REASON_1: '` or the message end), -1 when absent. */
export const FF_ACCESSED_END = 15;
/** `slots`: index of `'REASON_1: '` (the reasons are read from FF_R1 + 10 on, {@link fileFindingReasons}), -1 when none. */
export const FF_R1 = 16;
/** Ints per finding in `slots`. */
export const FF_SLOTS = 17;

/** `nums`: the total SCORE (an integer of 1-15 digits; always present when locate returned true). */
export const FF_SCORE = 0;
/** `nums`: the SIZE in bytes, NaN when the finding has no SIZE (a present SIZE always has 1-15 digits, so never NaN). */
export const FF_SIZE = 1;
/**
 * `nums`: the numeric key of the finding's strongest hash (SHA256, else SHA1, else MD5, as
 * `strongestHash` in ./loki-store.ts picks it), its type and first 12 hex digits (see {@link hashKeyOfText});
 * NaN when the finding has no hashes, -1 when one of the first 25 digits is not `0-9a-fA-F` (the hex
 * check lets a few control codes through). The hash view groups findings by it (../analyze/hash-tally.ts).
 */
export const FF_HASH_HI = 2;
/** `nums`: the low word of the strongest hash's numeric key (its hex digits 13-25, see {@link hashKeyOfText}); NaN when there are no hashes. */
export const FF_HASH_LO = 3;
/** Numbers per finding in `nums`. */
export const FF_NUMS = 4;

/** Value of a hex digit's code (`0-9`, `a-f`, `A-F`), -1 for any other code (hexRunKind lets a few control codes through). */
const HEX_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 48; c <= 57; c++) t[c] = c - 48;
  for (let c = 97; c <= 102; c++) t[c] = t[c - 32] = c - 87;
  return t;
})();
const hexDigit = (c: number): number => (c < 128 ? HEX_VALUE[c] : -1);

/**
 * The numeric key of a hash (32, 40 or 64 hex digits; letter case does not matter), two integers exact
 * in a double: high word `type * 2^48 + (hex digits 1-12 as a number)`, type 1 MD5, 2 SHA1, 3 SHA256
 * (below 2^50); low word the hex digits 13-25 as a number (below 2^52). Hex digests are uniformly
 * distributed, so their leading digits are already a good key. `src`: the digits from `at` on (codes or
 * bytes). -1 when one of the digits read is not `0-9a-fA-F`.
 */
const HASH_TYPE_UNIT = 2 ** 48;
/** High and low words of the digits `[at, at + 25)` of `src` (char codes or bytes) to `out[o]`, `out[o + 1]`; -1 in both when one is not hex. */
function hashWords(digits: number, src: Uint8Array | string, at: number, out: Float64Array, o: number): void {
  let hi = 0;
  let lo = 0;
  let bad = 0;
  if (typeof src === 'string') {
    for (let k = at; k < at + 12; k++) {
      const d = hexDigit(src.charCodeAt(k));
      bad |= d;
      hi = hi * 16 + d;
    }
    for (let k = at + 12; k < at + 25; k++) {
      const d = hexDigit(src.charCodeAt(k));
      bad |= d;
      lo = lo * 16 + d;
    }
  } else {
    for (let k = at; k < at + 12; k++) {
      const d = HEX_VALUE[src[k] & 127] | (src[k] & 128 ? -1 : 0);
      bad |= d;
      hi = hi * 16 + d;
    }
    for (let k = at + 12; k < at + 25; k++) {
      const d = HEX_VALUE[src[k] & 127] | (src[k] & 128 ? -1 : 0);
      bad |= d;
      lo = lo * 16 + d;
    }
  }
  out[o] = bad < 0 ? -1 : (digits === 64 ? 3 : digits === 40 ? 2 : 1) * HASH_TYPE_UNIT + hi;
  out[o + 1] = bad < 0 ? -1 : lo;
}

const KEY = new Float64Array(2);

/**
 * The numeric key of a hash given as text (32, 40 or 64 hex digits, as a finding's md5/sha1/sha256),
 * its high word to `out[0]`, its low word to `out[1]`: the values {@link locateFileFinding} writes to
 * FF_HASH_HI / FF_HASH_LO for the finding's strongest hash. The high word gives the type (`>= 3 * 2^48`
 * SHA256, `>= 2 * 2^48` SHA1, else MD5); within a type, (high, low) order as the digits' text does.
 * Returns false (nothing written) when `h` is not 32, 40 or 64 hex digits.
 */
export function hashKeyOfText(h: string, out: Float64Array): boolean {
  const n = h.length;
  if (n !== 32 && n !== 40 && n !== 64) return false;
  for (let k = 25; k < n; k++) if (hexDigit(h.charCodeAt(k)) < 0) return false;
  hashWords(n, h, 0, KEY, 0);
  if (KEY[0] < 0) return false;
  out[0] = KEY[0];
  out[1] = KEY[1];
  return true;
}

/** FF_TRUNC code: the body is complete (it has `REASON_1: `). */
export const FF_TRUNC_NONE = 0;
/** FF_TRUNC code: the message ends right after the SCORE digits. */
export const FF_TRUNC_AFTER_SCORE = 1;
/** FF_TRUNC code: no acceptable ` SIZE: <digits>` after TYPE. */
export const FF_TRUNC_IN_TYPE = 2;
/** FF_TRUNC code: FIRST_BYTES is followed by neither MD5, CREATED nor ` REASON_1: `. */
export const FF_TRUNC_IN_FIRST_BYTES = 3;
/** FF_TRUNC code: the file info is complete but nothing (or only white space) follows it. */
export const FF_TRUNC_NO_REASON = 4;
/** FF_TRUNC code: text that is not `REASON_1: ` follows the file info. */
export const FF_TRUNC_UNRECOGNISED = 5;
/** `truncated` text of a FindingBody per FF_TRUNC code (index 0: undefined, no `truncated` property). */
export const FF_TRUNC_TEXT: readonly (string | undefined)[] = [
  undefined,
  'record ends after SCORE',
  'record ends inside TYPE',
  'record ends inside FIRST_BYTES',
  'no REASON_1',
  'unrecognised text after the file info',
];

/** A key locateFileFinding checks at a known place: its text, and its bytes for messages located on their bytes. */
interface Key {
  word: string;
  bytes: Uint8Array;
}
const key = (word: string): Key => ({ word, bytes: asciiBytes(word) });
const K_TYPE = key(' TYPE: ');
const K_FIRST_BYTES = key(' FIRST_BYTES: ');
const K_SHA1 = key(' SHA1: ');
const K_SHA256 = key(' SHA256: ');
const K_CREATED = key(' CREATED: ');
const K_REASON_1 = key('REASON_1: ');

/** `msg.startsWith(k.word, at)`, on the bytes when given (`bytes[base + i] === msg.charCodeAt(i)`). */
function keyAt(msg: string, bytes: Uint8Array | undefined, base: number, k: Key, at: number): boolean {
  return bytes !== undefined ? startsWithBytes(bytes, base, msg.length, k.bytes, at) : msg.startsWith(k.word, at);
}

/**
 * Where a `FILE: …` body (§2.1) has another total-SCORE key after the one {@link locateFileFinding} read: the index of
 * the first `SCORE: <1-15 digits> TYPE: ` (not `SUBSCORE:`) at or after `from`, or -1. Loki writes one; a second is
 * text of the file name (or of a match) that copies Loki's keys: the path is read up to the first, as the format
 * prescribes (loki-format §4 pitfall 17), so a file named `a SCORE: 0 TYPE: … REASON_1: … Benign …` made up the path,
 * SCORE, hashes and reasons read, and the real ones were left in its last reason's text. The parser warns at the line.
 * `end` (default: none): only a key that starts before `end` counts (-1 otherwise); the search may still read past
 * `end` up to the next `SCORE: ` (no match can start before `REASON_1: ` and reach into it, see {@link laterScoreKeyOfFile}).
 */
export function laterScoreKey(msg: string, from: number, end = Infinity): number {
  const len = msg.length;
  for (let f = from; ; ) {
    const i = msg.indexOf('SCORE: ', f);
    if (i < 0 || i >= end) return -1;
    let e = i + 7;
    while (e < len && e - i <= 22 && msg.charCodeAt(e) >= 48 && msg.charCodeAt(e) <= 57) e++;
    if (e > i + 7 && e - i <= 22 && !(i >= 3 && msg.startsWith('SUB', i - 3)) && msg.startsWith(' TYPE: ', e)) return i;
    f = i + 1;
  }
}

/** {@link laterScoreKey} of a message already loaded elsewhere (the WebAssembly locator, ./loki-wasm.ts): same results. */
export interface LaterScoreKeyOf {
  laterScoreKey(from: number, end?: number): number;
}

/**
 * {@link laterScoreKey}`(msg, pathEnd + 8)` of a `FILE:` message that {@link locateFileFinding} read (path up to
 * `pathEnd`, `REASON_1: ` at `r1`, -1 for none), reading a repeated reasons tail once: the same index, or -1.
 *
 * `reasons` is `fileFindingReasons(msg, r1, intern)`: one array object per tail text while the intern's
 * `reasonLists` memo holds it, so the tail's own answer is kept by that array in `intern.tailLater` (relative to the
 * tail, -1 for none) and a finding with a known tail searches only the text before `REASON_1: ` (and up to the first
 * `SCORE: ` after it). `kept`: `reasons` was just stored in `reasonLists` (only such arrays are added, so the map
 * holds no more than the memo). Exact because a key can neither start inside `REASON_1: ` nor run into it (its
 * letters `A`, `N`, `_` are none of the key's), so the first key at or after `pathEnd + 8` is the first one before
 * `r1` or else the first one at or after the tail's start `r1 + 10`; and that one depends on the tail's text only
 * (the `SUB` look-back of its first three places reads `1: `).
 * `loaded`: `msg` as loaded into the WebAssembly locator (./loki-wasm.ts), whose searches are used instead (same results).
 */
export function laterScoreKeyOfFile(
  msg: string, pathEnd: number, r1: number, reasons: readonly LokiReason[], intern: LokiIntern, kept: boolean, loaded?: LaterScoreKeyOf,
): number {
  const from = pathEnd + 8;
  if (r1 < from) return loaded ? loaded.laterScoreKey(from) : laterScoreKey(msg, from);
  const head = loaded ? loaded.laterScoreKey(from, r1) : laterScoreKey(msg, from, r1);
  if (head >= 0) return head;
  const t = r1 + 10;
  let k = intern.tailLater.get(reasons);
  if (k === undefined) {
    const at = loaded ? loaded.laterScoreKey(t) : laterScoreKey(msg, t);
    k = at < 0 ? -1 : at - t;
    if (kept) intern.tailLater.set(reasons, k);
    else if (!intern.reasonLists.active && intern.tailLater.size > 0) intern.tailLater.clear(); // the memo let its arrays go
  }
  return k < 0 ? -1 : t + k;
}

/** Default `nums` base of the row that starts at `slotBase` (row = floor(slotBase / FF_SLOTS)). */
function numBaseOf(slotBase: number): number {
  return Math.floor(slotBase / FF_SLOTS) * FF_NUMS;
}

/**
 * Step 1 of {@link parseFileFinding}: finds where the parts of a `FILE: …` body (§2.1) are, with the
 * same search rules, and records only positions and numbers: no slicing, no case mapping, no
 * allocation (about 0.8 µs for a typical 700-character finding with hashes).
 *
 * Row layout (indices into `msg`, -1 = absent; details on each constant):
 *
 * | slot | value |
 * |---|---|
 * | FF_PATH_END | path = `msg.slice(6, FF_PATH_END)` |
 * | FF_TRUNC | code into FF_TRUNC_TEXT (0 = complete) |
 * | FF_TYPE_START, FF_TYPE_END | TYPE = `slice(start, end)` (`.trimEnd()` of the rest with FF_TRUNC_IN_TYPE) |
 * | FF_FB_START, FF_FB_END | FIRST_BYTES = `slice(start, end).trim()` |
 * | FF_MD5 | index m of ` MD5: `; MD5/SHA1/SHA256 hex at m+6 / m+45 / m+94 |
 * | FF_MD5_KIND, FF_SHA1_KIND, FF_SHA256_KIND | 0 absent, 1 lower-case, 2 has `A`-`F` |
 * | FF_CREATED_/MODIFIED_/ACCESSED_START, _END | time = `slice(start, end).trim()` |
 * | FF_R1 | index of `REASON_1: ` (reasons: {@link fileFindingReasons}) |
 * | nums FF_SCORE, FF_SIZE | SCORE; SIZE or NaN |
 * | nums FF_HASH_HI, FF_HASH_LO | numeric key of the strongest hash (hashKeyHi, hashKeyLo); NaN without hashes |
 *
 * Writes one row: `slots[slotBase … slotBase + FF_SLOTS)` (layout: the FF_* slot constants; every slot
 * is written, -1 = absent) and `nums[numBase … numBase + FF_NUMS)` (FF_SCORE, FF_SIZE, FF_HASH_HI, FF_HASH_LO; NaN = absent).
 * `numBase` defaults to the same row of `nums`: `floor(slotBase / FF_SLOTS) * FF_NUMS`, so a store
 * with rows of FF_SLOTS ints and FF_NUMS numbers passes `row * FF_SLOTS` only.
 *
 * Returns false exactly when parseFileFinding returns undefined (not `FILE: `, or no usable
 * `SCORE: <digits>`); the row is then left as it was. Never throws for any string; the caller provides
 * arrays long enough for the row (a typed array drops writes past its end). Positions are UTF-16 code
 * unit indices of `msg` (they fit an Int32: V8 strings are shorter than 2^30). Rebuild the finding with
 * {@link buildFileFinding} on the same `msg` and row.
 *
 * `bytes`, `base`: optionally, the message as ASCII bytes, `bytes[base + k] === msg.charCodeAt(k)` for
 * every k < msg.length (e.g. the line buffer it was decoded from): the hashes are then checked on the
 * bytes (same result, no copy of the message into code units).
 */
export function locateFileFinding(
  msg: string,
  slots: Int32Array,
  nums: Float64Array,
  slotBase = 0,
  numBase = numBaseOf(slotBase),
  bytes?: Uint8Array,
  base = 0,
): boolean {
  if (!msg.startsWith('FILE: ')) return false;
  const len = msg.length;
  // The searches below are parseFileFinding's (frozen in test/unit/ff-ref/), written out with
  // charCodeAt so that nothing is allocated: `indexOf(' KEY: ', from)` is searched as `KEY: ` from
  // `from + 1` with a space before it (V8's indexOf is several times slower for a pattern that starts
  // with a space), and readInt(s, i) is the digit loop (1-15 digits, else no value).
  // --- FILE / SCORE: the first `SCORE: <digits>` not preceded by `SUB` and followed by ` TYPE: ` (or
  // by the end of the message: truncated line). A missing space before `SCORE:` is tolerated.
  let sc = -1;
  let scoreEnd = -1;
  let score = 0;
  for (let from = 6; ; ) {
    const i = msg.indexOf('SCORE: ', from);
    if (i < 0) return false;
    let e = i + 7;
    let v = 0;
    for (; e < len; e++) {
      const c = msg.charCodeAt(e);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (e > i + 7 && e - i <= 22 && !(i >= 3 && msg.startsWith('SUB', i - 3)) && (e === len || keyAt(msg, bytes, base, K_TYPE, e))) {
      sc = i;
      scoreEnd = e;
      score = v;
      break;
    }
    from = i + 1;
  }
  let trunc = FF_TRUNC_NONE;
  let typeStart = -1;
  let typeEnd = -1;
  let size = NaN;
  let fbStart = -1;
  let fbEnd = -1;
  let md5 = -1;
  let md5Kind = 0;
  let sha1Kind = 0;
  let sha256Kind = 0;
  let cs = -1;
  let ce = -1;
  let ms = -1;
  let me = -1;
  let as = -1;
  let ae = -1;
  let r1 = -1;
  body: {
    if (scoreEnd >= len) {
      trunc = FF_TRUNC_AFTER_SCORE;
      break body;
    }
    // --- TYPE ... SIZE: up to the first ` SIZE: <digits>` followed by a space or the end (` FIRST_BYTES: `
    // starts with a space).
    typeStart = scoreEnd + 7;
    let sizeEnd = -1;
    for (let p = typeStart; ; ) {
      let j = msg.indexOf('SIZE: ', p + 1);
      while (j >= 0 && msg.charCodeAt(j - 1) !== 32) j = msg.indexOf('SIZE: ', j + 1);
      if (j < 0) break;
      let e = j + 6;
      let v = 0;
      for (; e < len; e++) {
        const c = msg.charCodeAt(e);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
      if (e > j + 6 && e - j <= 21 && (e === len || msg.charCodeAt(e) === 32)) {
        typeEnd = j - 1;
        sizeEnd = e;
        size = v;
        break;
      }
      p = j; // the next ` SIZE: ` at/after (index of this one) + 1
    }
    if (sizeEnd < 0) {
      typeEnd = len;
      trunc = FF_TRUNC_IN_TYPE;
      break body;
    }
    let infoEnd = sizeEnd; // where the search for REASON_1 starts
    if (keyAt(msg, bytes, base, K_FIRST_BYTES, sizeEnd)) {
      // --- FIRST_BYTES: up to the first ` MD5: <32 hex>`, else up to ` CREATED: `, else up to ` REASON_1: `.
      fbStart = sizeEnd + 14;
      let units: Uint16Array | undefined;
      for (let q = fbStart; ; ) {
        let j = msg.indexOf('MD5: ', q + 1);
        while (j >= 0 && msg.charCodeAt(j - 1) !== 32) j = msg.indexOf('MD5: ', j + 1);
        if (j < 0) break;
        let kind: 0 | 1 | 2;
        if (bytes !== undefined) kind = j + 37 <= len ? hexRunKindBytes(bytes, base + j + 5, 32) : 0;
        else {
          units = j + 158 <= len ? codeUnits(msg, j + 158) : undefined;
          kind = units ? hexRunKindUnits(units, j + 5, 32) : hexRunKind(msg, j + 5, 32);
        }
        if (kind !== 0) {
          md5 = j - 1;
          md5Kind = kind;
          break;
        }
        q = j;
      }
      let createdIdx = -1;
      if (md5 >= 0) {
        fbEnd = md5;
        // --- hashes (optional group): SHA1 only right after MD5, SHA256 only right after SHA1.
        let h = md5 + 38;
        sha1Kind = !keyAt(msg, bytes, base, K_SHA1, h)
          ? 0
          : bytes !== undefined
            ? h + 47 <= len ? hexRunKindBytes(bytes, base + h + 7, 40) : 0
            : units ? hexRunKindUnits(units, h + 7, 40) : hexRunKind(msg, h + 7, 40);
        if (sha1Kind !== 0) {
          h += 47;
          sha256Kind = !keyAt(msg, bytes, base, K_SHA256, h)
            ? 0
            : bytes !== undefined
              ? h + 73 <= len ? hexRunKindBytes(bytes, base + h + 9, 64) : 0
              : units ? hexRunKindUnits(units, h + 9, 64) : hexRunKind(msg, h + 9, 64);
          if (sha256Kind !== 0) h += 73;
        }
        infoEnd = h;
        createdIdx = keyAt(msg, bytes, base, K_CREATED, h) ? h : indexOfSpaced(msg, 'CREATED: ', h);
      } else {
        createdIdx = indexOfSpaced(msg, 'CREATED: ', fbStart);
        if (createdIdx >= 0) {
          fbEnd = createdIdx;
          infoEnd = createdIdx;
        } else {
          const r = indexOfSpaced(msg, 'REASON_1: ', fbStart);
          if (r < 0) {
            fbEnd = len;
            trunc = FF_TRUNC_IN_FIRST_BYTES;
            break body;
          }
          fbEnd = r;
          infoEnd = r;
        }
      }
      // --- CREATED / MODIFIED / ACCESSED (ctime strings, kept as printed): each up to the next key, the
      // last one up to ` REASON_1: ` (or the end).
      if (createdIdx >= 0) {
        cs = createdIdx + 10;
        const mi = indexOfSpaced(msg, 'MODIFIED: ', cs);
        const ai = mi >= 0 ? indexOfSpaced(msg, 'ACCESSED: ', mi + 11) : -1;
        const r = indexOfSpaced(msg, 'REASON_1: ', ai >= 0 ? ai : cs);
        const end = r < 0 ? len : r;
        if (mi < 0) {
          ce = end;
        } else {
          ce = mi;
          ms = mi + 11;
          if (ai < 0) {
            me = end;
          } else {
            me = ai;
            as = ai + 11;
            ae = end;
          }
        }
        infoEnd = end;
      }
    }
    // --- REASON_1 (the reasons themselves are split by fileFindingReasons). After the times, infoEnd
    // is the index of ` REASON_1: `, so the key is found at infoEnd + 1.
    r1 = msg.charCodeAt(infoEnd) === 32 && keyAt(msg, bytes, base, K_REASON_1, infoEnd + 1) ? infoEnd + 1 : msg.indexOf('REASON_1: ', infoEnd);
    if (r1 < 0) trunc = infoEnd >= len || isBlankFrom(msg, infoEnd) ? FF_TRUNC_NO_REASON : FF_TRUNC_UNRECOGNISED;
  }
  const b = slotBase;
  slots[b + FF_PATH_END] = msg.charCodeAt(sc - 1) === 32 ? sc - 1 : sc;
  slots[b + FF_TRUNC] = trunc;
  slots[b + FF_TYPE_START] = typeStart;
  slots[b + FF_TYPE_END] = typeEnd;
  slots[b + FF_FB_START] = fbStart;
  slots[b + FF_FB_END] = fbEnd;
  slots[b + FF_MD5] = md5;
  slots[b + FF_MD5_KIND] = md5Kind;
  slots[b + FF_SHA1_KIND] = sha1Kind;
  slots[b + FF_SHA256_KIND] = sha256Kind;
  slots[b + FF_CREATED_START] = cs;
  slots[b + FF_CREATED_END] = ce;
  slots[b + FF_MODIFIED_START] = ms;
  slots[b + FF_MODIFIED_END] = me;
  slots[b + FF_ACCESSED_START] = as;
  slots[b + FF_ACCESSED_END] = ae;
  slots[b + FF_R1] = r1;
  nums[numBase + FF_SCORE] = score;
  nums[numBase + FF_SIZE] = size;
  if (md5 >= 0) {
    // the strongest hash's digits, as buildFileFinding reads them: MD5 at m+6, SHA1 at m+45, SHA256 at m+94
    const at = sha256Kind !== 0 ? md5 + 94 : sha1Kind !== 0 ? md5 + 45 : md5 + 6;
    const src = bytes !== undefined ? bytes : msg;
    const from = bytes !== undefined ? base + at : at;
    // -1: a control code among the digits (no numeric key)
    hashWords(sha256Kind !== 0 ? 64 : sha1Kind !== 0 ? 40 : 32, src, from, nums, numBase + FF_HASH_HI);
  } else {
    nums[numBase + FF_HASH_HI] = NaN;
    nums[numBase + FF_HASH_LO] = NaN;
  }
  return true;
}

/**
 * Step 2 of {@link parseFileFinding}: the FindingBody (§2.1) of `msg` from the row that
 * {@link locateFileFinding} wrote for the same `msg` (and returned true for) at `slotBase` /
 * `numBase` (same defaults as there). The result equals `parseFileFinding(msg, intern)` field by
 * field, in the same property order: path, TYPE and FIRST_BYTES pooled through `intern`, hashes
 * lower-cased, FIRST_BYTES and the times trimmed, equal time texts shared as one string, reasons from
 * {@link fileFindingReasons}, `truncated` = FF_TRUNC_TEXT[FF_TRUNC] when not 0.
 *
 * Reads only the row and `msg` and allocates the finding and its strings (a locate + build of a typical
 * finding costs about what parseFileFinding cost before the split). Never throws; a row that locate
 * did not write for this `msg` gives meaningless (but string- and number-valued) fields.
 * `known`: the path and reasons of this row as computed before (equal to what would be built here;
 * the columnar store keeps them): used as they are instead of being built again.
 */
export function buildFileFinding(
  msg: string,
  slots: Int32Array,
  nums: Float64Array,
  intern?: LokiIntern,
  slotBase = 0,
  numBase = numBaseOf(slotBase),
  known?: { path: string; reasons: LokiReason[] },
): FindingBody {
  const b = slotBase;
  const rawPath = known !== undefined ? known.path : msg.slice(6, slots[b + FF_PATH_END]);
  const out: FindingBody = {
    kind: 'file',
    path: intern && known === undefined ? intern.paths.text(rawPath, pathHash(rawPath)) : rawPath,
    score: nums[numBase + FF_SCORE],
    reasons: [],
  };
  const trunc = slots[b + FF_TRUNC];
  const typeStart = slots[b + FF_TYPE_START];
  if (typeStart >= 0) {
    const t = trunc === FF_TRUNC_IN_TYPE ? msg.slice(typeStart).trimEnd() : msg.slice(typeStart, slots[b + FF_TYPE_END]);
    out.fileType = intern ? intern.fileTypes.text(t) : t;
    if (trunc !== FF_TRUNC_IN_TYPE) out.size = nums[numBase + FF_SIZE];
  }
  const fbStart = slots[b + FF_FB_START];
  if (fbStart >= 0) {
    const fb = msg.slice(fbStart, slots[b + FF_FB_END]).trim();
    out.firstBytes = intern ? intern.firstBytes.text(fb) : fb;
  }
  const m = slots[b + FF_MD5];
  if (m >= 0) {
    // toLowerCase only when there is an upper-case digit (else it returns an equal string).
    out.md5 = slots[b + FF_MD5_KIND] === 1 ? msg.slice(m + 6, m + 38) : msg.slice(m + 6, m + 38).toLowerCase();
    const sha1Kind = slots[b + FF_SHA1_KIND];
    if (sha1Kind !== 0) {
      out.sha1 = sha1Kind === 1 ? msg.slice(m + 45, m + 85) : msg.slice(m + 45, m + 85).toLowerCase();
      const sha256Kind = slots[b + FF_SHA256_KIND];
      if (sha256Kind !== 0) {
        out.sha256 = sha256Kind === 1 ? msg.slice(m + 94, m + 158) : msg.slice(m + 94, m + 158).toLowerCase();
      }
    }
  }
  const cs = slots[b + FF_CREATED_START];
  if (cs >= 0) {
    const created = msg.slice(cs, slots[b + FF_CREATED_END]).trim();
    out.created = created;
    const ms = slots[b + FF_MODIFIED_START];
    if (ms >= 0) {
      // The three times are often the same text: keep one string then (equal values).
      const modified = msg.slice(ms, slots[b + FF_MODIFIED_END]).trim();
      out.modified = modified === created ? created : modified;
      const as = slots[b + FF_ACCESSED_START];
      if (as >= 0) {
        const accessed = msg.slice(as, slots[b + FF_ACCESSED_END]).trim();
        out.accessed = accessed === modified ? out.modified : accessed === created ? created : accessed;
      }
    }
  }
  const r1 = slots[b + FF_R1];
  if (r1 >= 0) out.reasons = known !== undefined ? known.reasons : fileFindingReasons(msg, r1, intern);
  if (trunc !== FF_TRUNC_NONE) out.truncated = FF_TRUNC_TEXT[trunc];
  return out;
}

/** One row for parseFileFinding (locate fills it, build reads it; neither calls back into parseFileFinding). */
const ROW_SLOTS = new Int32Array(FF_SLOTS);
const ROW_NUMS = new Float64Array(FF_NUMS);

/**
 * Parses a `FILE: ...` body (§2.1). Returns undefined when not even `FILE: <path> SCORE: <n>` can
 * be read (the caller reports the line as unparsed).
 *
 * Anchors: path = text up to the first `SCORE: <digits> TYPE: ` (a missing space before
 * `SCORE:` is tolerated, as in real 0.42/0.44 logs); TYPE up to ` SIZE: <digits>`; FIRST_BYTES up to
 * ` MD5: <32 hex>` or ` CREATED: `; optional hash group; CREATED/MODIFIED/ACCESSED; then the
 * sequential `REASON_n: ` split (§2.2).
 *
 * With `intern` (one per analysis run), repeated texts are shared between findings: the path, TYPE
 * and FIRST_BYTES strings, every reason object and the whole reasons array of a repeated
 * `REASON_1: …` tail. The values are the same as without it; shared objects must not be mutated.
 *
 * Same as {@link locateFileFinding} then {@link buildFileFinding} (one code path).
 */
export function parseFileFinding(msg: string, intern?: LokiIntern): FindingBody | undefined {
  if (!locateFileFinding(msg, ROW_SLOTS, ROW_NUMS, 0, 0)) return undefined;
  return buildFileFinding(msg, ROW_SLOTS, ROW_NUMS, intern, 0, 0);
}

/**
 * The reasons array of a `FILE:` body (§2.2) whose `REASON_1: ` key is at index `r1` of `msg`
 * (FF_R1 of {@link locateFileFinding}): the sequential `REASON_n: ` split of `msg` from `r1 + 10` on,
 * each reason parsed by {@link parseReason}; an exact-size array of at least one reason.
 *
 * With `intern`, the result for a repeated tail (the text after `REASON_1: `) is the same shared
 * array object, and repeated reason texts share their reason objects (read-only). Never throws; an
 * `r1` that is not such a key index splits whatever text follows `r1 + 10`.
 *
 * `own`: nothing handed out or stored in `intern` references `msg` (every reason is parsed from a
 * private copy of its text, memo keys are private copies). For callers that do not keep `msg` (the
 * columnar store keeps the message as bytes): a slice of it would keep the whole string alive.
 */
export function fileFindingReasons(msg: string, r1: number, intern?: LokiIntern, own = false): LokiReason[] {
  // The split below reads `msg` only from r1 + 10 on: the reasons are a function of that tail.
  const tail = intern ? msg.slice(r1 + 10) : '';
  if (intern) {
    const known = intern.reasonLists.get(tail);
    if (known !== undefined) return known;
  }
  // Reasons that may be shared (stored in either memo) are parsed from a private copy of their text,
  // so that they never keep this finding's message alive (the memo key is that copy too).
  const share = intern !== undefined && (intern.reasons.accepts || intern.reasonLists.accepts);
  const list: LokiReason[] = [];
  let n = 1;
  let start = r1 + 10;
  const strong = strongReasonStarts(msg, r1 + 10);
  for (;;) {
    const next = findReasonStart(msg, n + 1, start, strong);
    const text = next < 0 ? msg.slice(start) : msg.slice(start, next);
    let reason = intern ? intern.reasons.get(text) : undefined;
    if (reason === undefined) {
      const t = own || (share && text.length <= MAX_MEMO_KEY_CHARS) ? ownCopy(text) : text;
      reason = parseReason(t);
      if (intern) intern.reasons.set(t, reason);
    }
    list.push(reason);
    if (next < 0) break;
    n++;
    start = next + reasonKeyLength(n);
  }
  // Exact-size copy: a pushed-to array keeps spare capacity for the lifetime of the finding.
  const reasons = list.slice();
  if (intern) intern.reasonLists.set(own && intern.reasonLists.accepts && tail.length <= MAX_MEMO_KEY_CHARS ? ownCopy(tail) : tail, reasons);
  return reasons;
}

/**
 * Positions of every `REASON_<n>: ` at/after `from` that is followed by a known reason prefix,
 * grouped by n (ascending positions). One linear pass over `msg`.
 */
function strongReasonStarts(msg: string, from: number): Map<string, { pos: number[]; k: number }> {
  const out = new Map<string, { pos: number[]; k: number }>();
  let i = msg.indexOf('REASON_', from);
  while (i >= 0) {
    let j = i + 7;
    while (j < msg.length && j - i < 16 && isDigit(msg, j)) j++;
    if (j > i + 7 && j - i < 16 && msg.startsWith(': ', j)) {
      const at = j + 2;
      for (const pre of REASON_PREFIXES) {
        if (startsWithAt(msg, pre, at)) {
          const n = msg.slice(i + 7, j); // digits as written: `REASON_02: ` is not `REASON_2: `
          let list = out.get(n);
          if (!list) out.set(n, (list = { pos: [], k: 0 }));
          list.pos.push(i);
          break;
        }
      }
    }
    i = msg.indexOf('REASON_', i + 7);
  }
  return out;
}

/**
 * Finds `REASON_<n>: ` at/after `from`. Prefers an occurrence followed by a known reason prefix
 * (so `REASON_2:` inside a MATCHES value is skipped); falls back to the first occurrence.
 * `strong` (from {@link strongReasonStarts}) holds the prefixed occurrences, so the whole reason
 * split stays linear in the message length (a hostile line with thousands of `REASON_n: x` keys
 * used to rescan the rest of the line for every n: quadratic time).
 */
function findReasonStart(msg: string, n: number, from: number, strong: Map<string, { pos: number[]; k: number }>): number {
  const list = strong.get(String(n));
  if (list) {
    // Positions ascend and `from` only grows: skip the ones already behind us.
    while (list.k < list.pos.length && list.pos[list.k] < from) list.k++;
    if (list.k < list.pos.length) return list.pos[list.k];
  }
  return msg.indexOf(`REASON_${n}: `, from);
}

/** `REASON_${n}: `.length */
function reasonKeyLength(n: number): number {
  return n < 10 ? 10 : n < 100 ? 11 : `REASON_${n}: `.length;
}

function num(s: string): number | undefined {
  const [v, e] = readInt(s, 0);
  return e > 0 ? v : undefined;
}

/** Cuts `s` at the first occurrence of `key` at/after `from` (returns [value, keyIndex]). */
function upTo(s: string, from: number, key: string): [string, number] {
  const i = s.indexOf(key, from);
  return i < 0 ? [s.slice(from), -1] : [s.slice(from, i), i];
}

/**
 * Parses one reason text (the value after `REASON_n: `, §2.2), per kind:
 *  - YARA: `Yara Rule MATCH: r SUBSCORE: n DESCRIPTION: d REF: r [AUTHOR: a] [MATCHES: m]`.
 *    MATCHES runs to the end; AUTHOR is the last ` AUTHOR: ` before MATCHES and REF the last
 *    ` REF: ` before AUTHOR, so `REF:` inside a description does not cut it.
 *  - filename IOC: `File Name IOC matched PATTERN: p SUBSCORE: n DESC: d` (rule = PATTERN).
 *  - hash IOC: `Malware|Suspicious Hash TYPE: t HASH: h SUBSCORE: n DESC: d` (rule = HASH).
 *  - Levenshtein: `Levenshtein check - ... SUBSCORE: 40 ORIGINAL: name` (rule = ORIGINAL name).
 *  - script anomaly: `Anomaly detected ANOMALIES: ... SCORE: n` (rule = ANOMALIES list).
 *  - anything else: kind 'other', rule = text before ` SUBSCORE: ` (or the whole text).
 */
export function parseReason(raw: string): LokiReason {
  const text = raw.trimEnd();
  if (text.startsWith('Yara Rule MATCH: ')) {
    const si = text.indexOf(' SUBSCORE: ', 17);
    const rule = (si < 0 ? text.slice(17) : text.slice(17, si)).trim();
    if (si < 0) return { kind: 'yara', rule, raw };
    let de = si + 11;
    while (de < text.length && isDigit(text, de)) de++;
    const subOk = de > si + 11 && de - (si + 11) <= 15;
    const di = text.indexOf(' DESCRIPTION: ', si);
    if (subOk && di >= 0) {
      // Common full form: one object literal in the final key order (no property back store).
      const full = yaraFull(text, raw, rule, Number(text.slice(si + 11, de)), di);
      if (full) return full;
    }
    const r: LokiReason = { kind: 'yara', rule, raw };
    if (subOk) r.subscore = Number(text.slice(si + 11, de));
    if (di < 0) return r;
    const ds = di + 14;
    const mi = text.indexOf(' MATCHES: ', ds);
    const headEnd = mi < 0 ? text.length : mi;
    const head = text.slice(0, headEnd);
    let ai = head.lastIndexOf(' AUTHOR: ');
    if (ai < ds) ai = -1;
    const ri = head.lastIndexOf(' REF: ', ai < 0 ? headEnd : ai);
    if (ri >= ds) {
      r.description = text.slice(ds, ri).trim();
      r.ref = text.slice(ri + 6, ai < 0 ? headEnd : ai).trim();
    } else {
      r.description = text.slice(ds, ai < 0 ? headEnd : ai).trim();
    }
    if (ai >= 0) r.author = text.slice(ai + 9, headEnd).trim();
    if (mi >= 0) r.matches = text.slice(mi + 10).trim();
    return r;
  }
  if (text.startsWith('File Name IOC matched PATTERN: ') || text.startsWith('File Name Suspicious IOC matched PATTERN: ')) {
    const ps = text.indexOf('PATTERN: ') + 9;
    const r: LokiReason = { kind: 'filename-ioc', rule: '', raw };
    const si = indexOfKeyDigits(text, ' SUBSCORE: ', ps);
    const di = text.indexOf(' DESC:', si >= 0 ? si : ps);
    const pe = si >= 0 ? si : di >= 0 ? di : text.length;
    r.rule = text.slice(ps, pe);
    if (si >= 0) r.subscore = readInt(text, si + 11)[0];
    if (di >= 0) r.description = text.slice(di + 6).trim();
    return r;
  }
  if (text.startsWith('Malware Hash TYPE: ') || text.startsWith('Suspicious Hash TYPE: ')) {
    const r: LokiReason = { kind: 'hash-ioc', rule: '', raw };
    const ts = text.indexOf('TYPE: ') + 6;
    const [ht, hi] = upTo(text, ts, ' HASH: ');
    r.hashType = ht.trim();
    if (hi < 0) return r;
    const [hash, si] = upTo(text, hi + 7, ' SUBSCORE: ');
    r.rule = hash.trim().toLowerCase();
    if (si < 0) return r;
    const [sub, e] = readInt(text, si + 11);
    if (e > si + 11) r.subscore = sub;
    const di = text.indexOf(' DESC:', si);
    if (di >= 0) r.description = text.slice(di + 6).trim();
    return r;
  }
  if (text.startsWith('Levenshtein check')) {
    const r: LokiReason = { kind: 'levenshtein', rule: '', raw };
    const si = indexOfKeyDigits(text, ' SUBSCORE: ', 0);
    r.description = text.slice(0, si < 0 ? text.length : si).trim();
    if (si >= 0) r.subscore = readInt(text, si + 11)[0];
    const oi = text.indexOf(' ORIGINAL: ');
    r.rule = oi >= 0 ? text.slice(oi + 11).trim() : '';
    return r;
  }
  if (text.startsWith('Anomaly detected')) {
    const r: LokiReason = { kind: 'anomaly', rule: '', raw };
    const ai = text.indexOf('ANOMALIES: ');
    const si = text.lastIndexOf(' SCORE: ');
    const end = si > ai ? si : text.length;
    r.rule = ai >= 0 ? text.slice(ai + 11, end).trim() : text.slice(0, end).trim();
    if (si > ai) r.subscore = num(text.slice(si + 8));
    return r;
  }
  const si = indexOfKeyDigits(text, ' SUBSCORE: ', 0);
  const r: LokiReason = { kind: 'other', rule: text.slice(0, si < 0 ? text.length : si).trim(), raw };
  if (si >= 0) r.subscore = readInt(text, si + 11)[0];
  return r;
}

/**
 * The YARA reason with every key present (subscore, description, ref, author, matches) as one literal
 * (same keys, order and values as the general path in parseReason); undefined when one is missing.
 */
function yaraFull(text: string, raw: string, rule: string, subscore: number, di: number): LokiReason | undefined {
  const ds = di + 14;
  const mi = text.indexOf(' MATCHES: ', ds);
  if (mi < 0) return undefined;
  const headEnd = mi;
  const head = text.slice(0, headEnd);
  const ai = head.lastIndexOf(' AUTHOR: ');
  if (ai < ds) return undefined;
  const ri = head.lastIndexOf(' REF: ', ai);
  if (ri < ds) return undefined;
  return {
    kind: 'yara',
    rule,
    raw,
    subscore,
    description: text.slice(ds, ri).trim(),
    ref: text.slice(ri + 6, ai).trim(),
    author: text.slice(ai + 9, headEnd).trim(),
    matches: text.slice(mi + 10).trim(),
  };
}

/** Keys that may trail `PATH: <exe>` in process_info lines (§2.3, §5 item 27). */
const PROCESS_ADDONS = [' IMPLANTED PE: ', ' REPLACED: ', ' PATCHED: ', ' UNREACHABLE: ', ' PARENTID: '];

/**
 * Parses the common `PID: n NAME: n OWNER: o CMD: c PATH: p` block (§2.3) starting at `pidIdx`
 * (index of `PID: `). PATH is anchored at the **last** ` PATH: ` (CMD may contain `PATH: `);
 * known add-on keys after PATH are cut off.
 */
export function parseProcessInfo(msg: string, pidIdx: number, out: FindingBody): void {
  const [pid, pe] = readInt(msg, pidIdx + 5);
  if (pe > pidIdx + 5) out.pid = pid;
  const ni = msg.indexOf(' NAME: ', pe);
  if (ni < 0) return;
  const oi = msg.indexOf(' OWNER: ', ni + 7);
  const ci = msg.indexOf(' CMD: ', oi >= 0 ? oi : ni + 7);
  const nameEnd = oi >= 0 ? oi : ci >= 0 ? ci : msg.length;
  out.processName = msg.slice(ni + 7, nameEnd).trim();
  if (oi >= 0) out.owner = msg.slice(oi + 8, ci >= 0 ? ci : msg.length).trim();
  if (ci < 0) return;
  const pa = msg.lastIndexOf(' PATH: ');
  if (pa > ci) {
    out.commandLine = msg.slice(ci + 6, pa).trim();
    let pathEnd = msg.length;
    for (const k of PROCESS_ADDONS) {
      const a = msg.indexOf(k, pa + 7);
      if (a >= 0 && a < pathEnd) pathEnd = a;
    }
    const p = msg.slice(pa + 7, pathEnd).trim();
    if (p && p !== 'none') out.path = p;
  } else {
    out.commandLine = msg.slice(ci + 6).trim();
  }
  if (!out.path && out.processName) out.path = out.processName;
}

/**
 * Parses connection lines (§2.4): `... PID: n NAME: n COMMAND: c IP: ip PORT: p [DESC: d]` and
 * `Established connection ... LIP: ip LPORT: p RIP: ip RPORT: p`. The remote IP/port goes to
 * `ip`/`port`. IPv6 addresses (with `::`) are fine because values are cut at spaces.
 */
export function parseConnection(msg: string, pidIdx: number, out: FindingBody): string | undefined {
  const [pid, pe] = readInt(msg, pidIdx + 5);
  if (pe > pidIdx + 5) out.pid = pid;
  const ni = msg.indexOf(' NAME: ', pe);
  const ci = msg.indexOf(' COMMAND: ', ni >= 0 ? ni : pe);
  if (ni >= 0) out.processName = msg.slice(ni + 7, ci >= 0 ? ci : msg.length).trim();
  if (ci < 0) return undefined;
  const cs = ci + 10;
  // Remote endpoint: `RIP: ip RPORT: p` (established) or the first ` IP: ip PORT: p`.
  let ipKey = -1;
  let ipLen = 0;
  let portKey = ' PORT: ';
  const rip = findKeyValueKey(msg, ' RIP: ', ' RPORT: ', cs);
  const lip = findKeyValueKey(msg, ' LIP: ', ' LPORT: ', cs);
  const ip = findKeyValueKey(msg, ' IP: ', ' PORT: ', cs);
  if (rip >= 0) {
    ipKey = rip;
    ipLen = 6;
    portKey = ' RPORT: ';
  } else if (ip >= 0) {
    ipKey = ip;
    ipLen = 5;
  }
  const cmdEnd = lip >= 0 ? lip : ipKey >= 0 ? ipKey : msg.length;
  out.commandLine = msg.slice(cs, cmdEnd).trim();
  out.path = out.processName;
  if (ipKey < 0) return undefined;
  const sp = msg.indexOf(' ', ipKey + ipLen);
  out.ip = msg.slice(ipKey + ipLen, sp);
  const pk = msg.indexOf(portKey, sp);
  const [port, pend] = readInt(msg, pk + portKey.length);
  if (pend > pk + portKey.length) out.port = port;
  const di = msg.indexOf(' DESC: ', pend);
  return di >= 0 ? msg.slice(di + 7).trim() : msg.startsWith(' DESC:', pend) ? '' : undefined;
}

/** Index of `k1` (at/after from) where `k1 <value-without-space> k2<digit>` follows. */
function findKeyValueKey(msg: string, k1: string, k2: string, from: number): number {
  let i = msg.indexOf(k1, from);
  while (i >= 0) {
    const sp = msg.indexOf(' ', i + k1.length);
    if (sp > i + k1.length && msg.startsWith(k2, sp) && isDigit(msg, sp + k2.length)) return i;
    i = msg.indexOf(k1, i + 1);
  }
  return -1;
}

/** Known process-anomaly / process-finding prefixes (§2.3) that end before ` PID: `. */
export function processRuleText(msg: string, pidIdx: number): string {
  return msg.slice(0, pidIdx).trim();
}
