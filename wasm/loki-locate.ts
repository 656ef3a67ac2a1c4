// AssemblyScript source of the Loki `FILE:` message locator in WebAssembly (see src/core/parse/loki-wasm.ts).
// Compiled by scripts/build-wasm.mjs into src/core/parse/generated/loki-locate-wasm.ts (not tsc's build).
//
// ABI (addresses are byte offsets into this module's memory; the JavaScript side owns memory from memStart() on):
//   rowAt(): usize                  the row written by locate: FF_SLOTS (17) i32 slots, then at rowAt() + 72 FF_NUMS (4) f64
//   memStart(): usize               first byte the JavaScript side may use (16-aligned)
//   locate(at, len): i32            locateFileFinding(latin1 of bytes [at, at + len), row) of python-messages.ts: 1 and the
//                                   row written, or 0 (row unspecified). Positions are relative to `at`. 16 readable
//                                   bytes must follow at + len (SIMD loads).
//   laterScoreKey(at, len, from, end): i32   laterScoreKey(msg, from, end < 0 ? Infinity : end), relative to `at`.
//   pathHash(at, len): i32          pathHashBytes(b, at, at + len) of loki-intern.ts (latin1 bytes).
//
// Every function here is a transcription of the JavaScript in src/core/parse/python-messages.ts and text.ts; the tests
// (test/unit/loki-wasm-locate.test.ts) compare the two row for row. The rules the transcription keeps:
//  - The bytes at and after `len` are stale data of the caller: SIMD loads may read up to 15 of them, but no match,
//    digit or hex digit may be taken from there. Every search is bounded by the last index where its whole pattern
//    still fits before `len` (JS indexOf finds nothing that runs past the end either).
//  - `indexOf(' KEY: ', from)`: the JS searches `KEY: ` from `from + 1` and checks the space before it (a speed trick
//    of V8); that is the same as searching ` KEY: ` from `from`, which is what is done here.
//  - Numbers equal the JS's: SCORE and SIZE accumulate in f64 as there (exact: at most 15 digits); the hash words are
//    assembled as integers (exact, below 2^52; see hashWords), the JS's doubles being exact too.

// --- memory layout --------------------------------------------------------------------------------

// The row: 17 i32 slots (68 bytes), 4 bytes of padding, 4 f64 at +72 (the ABI's 8-aligned offset).
const ROW: usize = memory.data(104, 16);
const NUMS: usize = ROW + 72;

// Slot byte offsets in the row (the FF_* slot constants of python-messages.ts, times 4).
const S_PATH_END: usize = 0 << 2;
const S_TRUNC: usize = 1 << 2;
const S_TYPE_START: usize = 2 << 2;
const S_TYPE_END: usize = 3 << 2;
const S_FB_START: usize = 4 << 2;
const S_FB_END: usize = 5 << 2;
const S_MD5: usize = 6 << 2;
const S_MD5_KIND: usize = 7 << 2;
const S_SHA1_KIND: usize = 8 << 2;
const S_SHA256_KIND: usize = 9 << 2;
const S_CREATED_START: usize = 10 << 2;
const S_CREATED_END: usize = 11 << 2;
const S_MODIFIED_START: usize = 12 << 2;
const S_MODIFIED_END: usize = 13 << 2;
const S_ACCESSED_START: usize = 14 << 2;
const S_ACCESSED_END: usize = 15 << 2;
const S_R1: usize = 16 << 2;

// FF_TRUNC codes of python-messages.ts.
const TRUNC_NONE: i32 = 0;
const TRUNC_AFTER_SCORE: i32 = 1;
const TRUNC_IN_TYPE: i32 = 2;
const TRUNC_IN_FIRST_BYTES: i32 = 3;
const TRUNC_NO_REASON: i32 = 4;
const TRUNC_UNRECOGNISED: i32 = 5;

// The patterns, 16 bytes each (zero-padded: a match compares only the first n lanes, see matchAt).
const P_FILE: usize = memory.data<u8>([70, 73, 76, 69, 58, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16); // 'FILE: '
const P_SCORE: usize = memory.data<u8>([83, 67, 79, 82, 69, 58, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16); // 'SCORE: '
const P_TYPE: usize = memory.data<u8>([32, 84, 89, 80, 69, 58, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16); // ' TYPE: '
const P_SIZE: usize = memory.data<u8>([32, 83, 73, 90, 69, 58, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16); // ' SIZE: '
const P_FIRST_BYTES: usize = memory.data<u8>([32, 70, 73, 82, 83, 84, 95, 66, 89, 84, 69, 83, 58, 32, 0, 0], 16); // ' FIRST_BYTES: '
const P_MD5: usize = memory.data<u8>([32, 77, 68, 53, 58, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16); // ' MD5: '
const P_SHA1: usize = memory.data<u8>([32, 83, 72, 65, 49, 58, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16); // ' SHA1: '
const P_SHA256: usize = memory.data<u8>([32, 83, 72, 65, 50, 53, 54, 58, 32, 0, 0, 0, 0, 0, 0, 0], 16); // ' SHA256: '
const P_CREATED: usize = memory.data<u8>([32, 67, 82, 69, 65, 84, 69, 68, 58, 32, 0, 0, 0, 0, 0, 0], 16); // ' CREATED: '
const P_MODIFIED: usize = memory.data<u8>([32, 77, 79, 68, 73, 70, 73, 69, 68, 58, 32, 0, 0, 0, 0, 0], 16); // ' MODIFIED: '
const P_ACCESSED: usize = memory.data<u8>([32, 65, 67, 67, 69, 83, 83, 69, 68, 58, 32, 0, 0, 0, 0, 0], 16); // ' ACCESSED: '
const P_REASON_1: usize = memory.data<u8>([82, 69, 65, 83, 79, 78, 95, 49, 58, 32, 0, 0, 0, 0, 0, 0], 16); // 'REASON_1: '
const P_SP_REASON_1: usize = memory.data<u8>([32, 82, 69, 65, 83, 79, 78, 95, 49, 58, 32, 0, 0, 0, 0, 0], 16); // ' REASON_1: '

// hashWords' type unit (2^48): high word = type * 2^48 + the first 12 digits.
const HASH_TYPE_UNIT: f64 = 281474976710656.0;

export function rowAt(): usize {
  return ROW;
}

export function memStart(): usize {
  // __heap_base: the end of the static data (patterns, row); the runtime stub allocates nothing.
  return (__heap_base + 15) & ~(<usize>15);
}

// --- byte primitives --------------------------------------------------------------------------------

/** True when the n (<= 16) bytes at p are the pattern's first n bytes (one v128 compare; reads 16 bytes at p). */
@inline function matchAt(p: usize, pat: usize, n: i32): bool {
  const full = (1 << n) - 1;
  return (i8x16.bitmask(i8x16.eq(v128.load(p), v128.load(pat))) & full) == full;
}

/**
 * `msg.startsWith(pat, at)` for at >= 0 (startsWithBytes of text.ts): false when the pattern does not fit before len,
 * so the stale bytes after the message are never compared.
 */
@inline function keyAt(s: usize, len: i32, pat: usize, n: i32, at: i32): bool {
  return at + n <= len && matchAt(s + <usize>at, pat, n);
}

/**
 * The first index i in [from, last] where the n-byte pattern (5 <= n <= 16) starts, or -1: `indexOf(pat, from)` with
 * `last` = len - n (or less: a caller that only wants a match before some index). The candidate places are the lanes
 * where both the pattern's second byte and its `:` (byte n - 2; every pattern ends with `: `) are found, each then
 * checked whole by matchAt; 32 places per step while the loads stay within 16 bytes of `last + n` (the ABI's readable
 * bytes after the message), then 16. Lanes past `last` are discarded before they are checked: the loads read up to
 * 14 bytes past the message, and what they find there is never a result.
 */
function find(s: usize, from: i32, last: i32, pat: usize, n: i32): i32 {
  if (from < 0) from = 0; // indexOf: a negative position counts from 0
  if (from > last) return -1;
  const c1 = i8x16.splat(load<i8>(pat + 1));
  const c2 = i8x16.splat(load<i8>(pat + <usize>(n - 2)));
  const o2 = <usize>(n - 2);
  let p = from;
  // two vectors per step: their loads end at p + 16 + n - 2 + 15 < last + n + 16 while p + 16 <= last
  for (; p + 16 <= last; p += 32) {
    const q = s + <usize>p;
    let m = i8x16.bitmask(v128.and(i8x16.eq(v128.load(q + 1), c1), i8x16.eq(v128.load(q + o2), c2))) |
      (i8x16.bitmask(v128.and(i8x16.eq(v128.load(q + 17), c1), i8x16.eq(v128.load(q + 16 + o2), c2))) << 16);
    while (m != 0) {
      const i = p + ctz(m);
      if (i > last) return -1;
      if (matchAt(s + <usize>i, pat, n)) return i;
      m &= m - 1;
    }
  }
  for (; p <= last; p += 16) {
    const q = s + <usize>p;
    let m = i8x16.bitmask(v128.and(i8x16.eq(v128.load(q + 1), c1), i8x16.eq(v128.load(q + o2), c2)));
    while (m != 0) {
      const i = p + ctz(m);
      if (i > last) return -1;
      if (matchAt(s + <usize>i, pat, n)) return i;
      m &= m - 1;
    }
  }
  return -1;
}

/** `msg.indexOf(pat, from)` (pattern of n bytes) in a message of len bytes. */
@inline function indexOf(s: usize, len: i32, pat: usize, n: i32, from: i32): i32 {
  return find(s, from, len - n, pat, n);
}

/**
 * hexRunKind of the n (32, 40 or 64) bytes at p (the caller checked they lie before len): 0 when one is not accepted
 * by isHexRun, 2 when one is A-F, else 1. HEX_FLAGS of text.ts in vector form: a byte c is accepted when c | 0x20 is
 * 0-9 or a-f, which also lets the control codes 0x10-0x19 through (0x10 | 0x20 = '0'; kept, as the JS keeps it), and
 * is upper case when c is A-F. The last 16-byte step overlaps the one before for n = 40, so nothing past p + n is read.
 */
@inline function hexRunKind(p: usize, n: i32): i32 {
  const bit = i8x16.splat(0x20);
  const c0 = i8x16.splat(48);
  const ca = i8x16.splat(97);
  const cA = i8x16.splat(65);
  const ten = i8x16.splat(10);
  const six = i8x16.splat(6);
  let ok = i8x16.splat(-1);
  let upper = i8x16.splat(0);
  for (let k = 0; k < n; k += 16) {
    const at = k + 16 <= n ? k : n - 16;
    const c = v128.load(p + <usize>at);
    const d = v128.or(c, bit);
    ok = v128.and(ok, v128.or(i8x16.lt_u(i8x16.sub(d, c0), ten), i8x16.lt_u(i8x16.sub(d, ca), six)));
    upper = v128.or(upper, i8x16.lt_u(i8x16.sub(c, cA), six));
  }
  if (i8x16.bitmask(ok) != 0xffff) return 0;
  return v128.any_true(upper) ? 2 : 1;
}

/** Lanes of `c` that are a hex digit for HEX_VALUE (0-9 a-f A-F; for any byte, the control codes and >= 0x80 not). */
@inline function hexDigitLanes(c: v128): v128 {
  const d = v128.or(c, i8x16.splat(0x20));
  return v128.or(i8x16.lt_u(i8x16.sub(c, i8x16.splat(48)), i8x16.splat(10)), i8x16.lt_u(i8x16.sub(d, i8x16.splat(97)), i8x16.splat(6)));
}

/** The value 0-15 of each hex digit lane of `c` (other lanes: anything). */
@inline function hexDigitValues(c: v128): v128 {
  const v = i8x16.sub(v128.or(c, i8x16.splat(0x20)), i8x16.splat(48)); // 0-9, or 49-54 for a-f
  return i8x16.sub(v, v128.and(i8x16.gt_u(v, i8x16.splat(9)), i8x16.splat(39)));
}

/** Per 16-bit lane of nibble values (n0, n1): the byte n0 * 16 + n1 (the two digits in text order), in that lane. */
@inline function nibblePairs(v: v128): v128 {
  return v128.or(i16x8.shl(v128.and(v, i16x8.splat(0xff)), 4), i16x8.shr_u(v, 8));
}

/**
 * hashWords of python-messages.ts for the 25 digits at p: the high word (type * 2^48 + digits 1-12) and the low word
 * (digits 13-25) to the row's FF_HASH_HI / FF_HASH_LO, -1 in both when one digit is not 0-9 a-f A-F (a control code
 * hexRunKind let through). The JS accumulates `hi * 16 + d` in doubles, a chain of 25 dependent multiply-adds (about
 * a fifth of this module's time per finding when written so): here the digits' values are computed 16 at a time,
 * paired into bytes, and the bytes put in big-endian order by one shuffle per word. The same numbers: both are exact
 * (below 2^48 and 2^52) when every digit is valid, and otherwise only the -1 is written. Reads 32 bytes at p, all
 * within the hash (every hash has 32 digits or more, checked by hexRunKind before).
 */
@inline function hashWords(p: usize, digits: i32): void {
  const a = v128.load(p);
  const b = v128.load(p + 16);
  const ok = (i8x16.bitmask(hexDigitLanes(a)) | (i8x16.bitmask(hexDigitLanes(b)) << 16)) & 0x1ffffff;
  // y: 16 bytes, byte k = digits 2k, 2k + 1 (y0-y5: digits 1-12, y6-y12: digits 13-26)
  const y = i8x16.narrow_i16x8_u(nibblePairs(hexDigitValues(a)), nibblePairs(hexDigitValues(b)));
  const zero = i8x16.splat(0);
  // hi = y0 … y5 read big-endian; lo = y6 … y12 read big-endian, less the 26th digit (the low nibble of y12)
  const hi = i64x2.extract_lane(i8x16.shuffle(y, zero, 5, 4, 3, 2, 1, 0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16), 0);
  const lo = i64x2.extract_lane(i8x16.shuffle(y, zero, 12, 11, 10, 9, 8, 7, 6, 16, 16, 16, 16, 16, 16, 16, 16, 16), 0) >>> 4;
  const type: f64 = digits == 64 ? 3 : digits == 40 ? 2 : 1;
  const bad = ok != 0x1ffffff;
  store<f64>(NUMS + 16, bad ? -1 : type * HASH_TYPE_UNIT + <f64>hi);
  store<f64>(NUMS + 24, bad ? -1 : <f64>lo);
}

@inline function isDigitAt(p: usize): bool {
  return <u32>load<u8>(p) - 48 < 10;
}

/** isBlankFrom of text.ts for ASCII: every byte from `from` to len is a space or TAB, LF, VT, FF, CR (isTrimSpace). */
function isBlankFrom(s: usize, len: i32, from: i32): bool {
  for (let k = from; k < len; k++) {
    const c = <u32>load<u8>(s + <usize>k);
    if (c != 32 && c - 9 >= 5) return false;
  }
  return true;
}

// --- the functions of the ABI -------------------------------------------------------------------------

/**
 * locateFileFinding(msg, slots, nums, 0, 0, bytes, base) of python-messages.ts for the ASCII message of len bytes at
 * s: 1 and the whole row written, or 0 (not `FILE: `, or no usable `SCORE: <digits>`). The steps and their names
 * follow the JS; see the comments there for the grammar (loki-format §2.1).
 */
export function locate(s: usize, len: i32): i32 {
  if (!keyAt(s, len, P_FILE, 6, 0)) return 0;
  // --- FILE / SCORE: the first `SCORE: <1-15 digits>` not preceded by `SUB`, followed by ` TYPE: ` or the end.
  let sc = -1;
  let scoreEnd = -1;
  let score: f64 = 0;
  for (let from = 6; ; ) {
    const i = indexOf(s, len, P_SCORE, 7, from);
    if (i < 0) return 0;
    let e = i + 7;
    let v: f64 = 0;
    // The JS reads every digit; more than 15 reject the key all the same, so the loop may stop at 16.
    for (; e < len && e - i <= 22; e++) {
      const c = <i32>load<u8>(s + <usize>e);
      if (c < 48 || c > 57) break;
      v = v * 10 + <f64>(c - 48);
    }
    // (i >= 6, so the three bytes before it are in the message.)
    const sub = load<u8>(s + <usize>(i - 3)) == 83 && load<u8>(s + <usize>(i - 2)) == 85 && load<u8>(s + <usize>(i - 1)) == 66;
    if (e > i + 7 && e - i <= 22 && !sub && (e == len || keyAt(s, len, P_TYPE, 7, e))) {
      sc = i;
      scoreEnd = e;
      score = v;
      break;
    }
    from = i + 1;
  }
  let trunc = TRUNC_NONE;
  let typeStart = -1;
  let typeEnd = -1;
  let size: f64 = NaN;
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
  // `do { … } while (false)` stands for the JS's labelled block `body: { … }` (break = break body).
  do {
    if (scoreEnd >= len) {
      trunc = TRUNC_AFTER_SCORE;
      break;
    }
    // --- TYPE … SIZE: up to the first ` SIZE: <1-15 digits>` followed by a space or the end.
    typeStart = scoreEnd + 7;
    let sizeEnd = -1;
    for (let p = typeStart; ; ) {
      const k = indexOf(s, len, P_SIZE, 7, p); // the space of ` SIZE: `; the JS's j is k + 1
      if (k < 0) break;
      const j = k + 1;
      let e = j + 6;
      let v: f64 = 0;
      for (; e < len && e - j <= 21; e++) {
        const c = <i32>load<u8>(s + <usize>e);
        if (c < 48 || c > 57) break;
        v = v * 10 + <f64>(c - 48);
      }
      if (e > j + 6 && e - j <= 21 && (e == len || load<u8>(s + <usize>e) == 32)) {
        typeEnd = k;
        sizeEnd = e;
        size = v;
        break;
      }
      p = j; // the next ` SIZE: ` at/after (this one's space) + 1
    }
    if (sizeEnd < 0) {
      typeEnd = len;
      trunc = TRUNC_IN_TYPE;
      break;
    }
    let infoEnd = sizeEnd;
    if (keyAt(s, len, P_FIRST_BYTES, 14, sizeEnd)) {
      // --- FIRST_BYTES: up to the first ` MD5: <32 hex>`, else ` CREATED: `, else ` REASON_1: `.
      fbStart = sizeEnd + 14;
      for (let q = fbStart; ; ) {
        const k = indexOf(s, len, P_MD5, 6, q); // the space; the JS's j is k + 1
        if (k < 0) break;
        const j = k + 1;
        const kind = j + 37 <= len ? hexRunKind(s + <usize>(j + 5), 32) : 0;
        if (kind != 0) {
          md5 = k;
          md5Kind = kind;
          break;
        }
        q = j;
      }
      let createdIdx = -1;
      if (md5 >= 0) {
        fbEnd = md5;
        // --- hashes: SHA1 only right after MD5, SHA256 only right after SHA1.
        let h = md5 + 38;
        sha1Kind = keyAt(s, len, P_SHA1, 7, h) && h + 47 <= len ? hexRunKind(s + <usize>(h + 7), 40) : 0;
        if (sha1Kind != 0) {
          h += 47;
          sha256Kind = keyAt(s, len, P_SHA256, 9, h) && h + 73 <= len ? hexRunKind(s + <usize>(h + 9), 64) : 0;
          if (sha256Kind != 0) h += 73;
        }
        infoEnd = h;
        createdIdx = keyAt(s, len, P_CREATED, 10, h) ? h : indexOf(s, len, P_CREATED, 10, h);
      } else {
        createdIdx = indexOf(s, len, P_CREATED, 10, fbStart);
        if (createdIdx >= 0) {
          fbEnd = createdIdx;
          infoEnd = createdIdx;
        } else {
          const r = indexOf(s, len, P_SP_REASON_1, 11, fbStart);
          if (r < 0) {
            fbEnd = len;
            trunc = TRUNC_IN_FIRST_BYTES;
            break;
          }
          fbEnd = r;
          infoEnd = r;
        }
      }
      // --- CREATED / MODIFIED / ACCESSED: each up to the next key, the last one up to ` REASON_1: ` (or the end).
      if (createdIdx >= 0) {
        cs = createdIdx + 10;
        const mi = indexOf(s, len, P_MODIFIED, 11, cs);
        const ai = mi >= 0 ? indexOf(s, len, P_ACCESSED, 11, mi + 11) : -1;
        const r = indexOf(s, len, P_SP_REASON_1, 11, ai >= 0 ? ai : cs);
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
    // --- REASON_1: right after a space at infoEnd, else the first `REASON_1: ` from infoEnd on.
    r1 = infoEnd < len && load<u8>(s + <usize>infoEnd) == 32 && keyAt(s, len, P_REASON_1, 10, infoEnd + 1)
      ? infoEnd + 1
      : indexOf(s, len, P_REASON_1, 10, infoEnd);
    if (r1 < 0) trunc = infoEnd >= len || isBlankFrom(s, len, infoEnd) ? TRUNC_NO_REASON : TRUNC_UNRECOGNISED;
  } while (false);
  store<i32>(ROW + S_PATH_END, load<u8>(s + <usize>(sc - 1)) == 32 ? sc - 1 : sc);
  store<i32>(ROW + S_TRUNC, trunc);
  store<i32>(ROW + S_TYPE_START, typeStart);
  store<i32>(ROW + S_TYPE_END, typeEnd);
  store<i32>(ROW + S_FB_START, fbStart);
  store<i32>(ROW + S_FB_END, fbEnd);
  store<i32>(ROW + S_MD5, md5);
  store<i32>(ROW + S_MD5_KIND, md5Kind);
  store<i32>(ROW + S_SHA1_KIND, sha1Kind);
  store<i32>(ROW + S_SHA256_KIND, sha256Kind);
  store<i32>(ROW + S_CREATED_START, cs);
  store<i32>(ROW + S_CREATED_END, ce);
  store<i32>(ROW + S_MODIFIED_START, ms);
  store<i32>(ROW + S_MODIFIED_END, me);
  store<i32>(ROW + S_ACCESSED_START, as);
  store<i32>(ROW + S_ACCESSED_END, ae);
  store<i32>(ROW + S_R1, r1);
  store<f64>(NUMS, score);
  store<f64>(NUMS + 8, size);
  if (md5 >= 0) {
    // the strongest hash's digits: MD5 at m+6, SHA1 at m+45, SHA256 at m+94
    const at = sha256Kind != 0 ? md5 + 94 : sha1Kind != 0 ? md5 + 45 : md5 + 6;
    hashWords(s + <usize>at, sha256Kind != 0 ? 64 : sha1Kind != 0 ? 40 : 32);
  } else {
    store<f64>(NUMS + 16, NaN);
    store<f64>(NUMS + 24, NaN);
  }
  return 1;
}

/**
 * laterScoreKey(msg, from, end < 0 ? Infinity : end) of python-messages.ts: the index of the first
 * `SCORE: <1-15 digits> TYPE: ` (not `SUBSCORE:`) at or after `from` that starts before `end`, or -1.
 */
export function laterScoreKey(s: usize, len: i32, from: i32, end: i32): i32 {
  // Only a key starting before `end` counts, and the first `SCORE: ` at or after `end` ends the JS's loop: so the
  // search need not look at a start past end - 1.
  let last = len - 7;
  if (end >= 0 && end - 1 < last) last = end - 1;
  for (let i = find(s, from, last, P_SCORE, 7); i >= 0; i = find(s, i + 1, last, P_SCORE, 7)) {
    let e = i + 7;
    while (e < len && e - i <= 22 && isDigitAt(s + <usize>e)) e++;
    const sub = i >= 3 && load<u8>(s + <usize>(i - 3)) == 83 && load<u8>(s + <usize>(i - 2)) == 85 && load<u8>(s + <usize>(i - 1)) == 66;
    if (e > i + 7 && e - i <= 22 && !sub && keyAt(s, len, P_TYPE, 7, e)) return i;
  }
  return -1;
}

/**
 * foldedUnit of path-case.ts for a latin1 byte: a-z to A-Z (ASCII_FOLD), and what `toUpperCase` makes of the latin1
 * letters when it is one code unit of U+0080 or above (a-grave..thorn less the division sign: - 32; micro sign: U+039C;
 * y-diaeresis: U+0178; sharp s stays, its upper case is two letters).
 */
@inline function foldByte(c: u32): u32 {
  if (c - 0x61 < 26) return c - 32;
  if (c < 0xb5) return c;
  if (c == 0xb5) return 0x39c;
  if (c == 0xff) return 0x178;
  return c >= 0xe0 && c != 0xf7 ? c - 32 : c;
}

/**
 * pathHashBytes(b, at, at + len) of loki-intern.ts (latin1 bytes): 32-bit FNV-1a, with a-z folded to A-Z when the
 * text is a Windows path (isWindowsPathBytes of path-case.ts: `\\…`, or a drive letter, `:` and `\` or `/`).
 */
export function pathHash(s: usize, len: i32): i32 {
  let h: i32 = 0x811c9dc5;
  let win = false;
  if (len >= 2) {
    const c0 = <u32>load<u8>(s);
    if (c0 == 0x5c) win = load<u8>(s + 1) == 0x5c;
    else if (len >= 3 && ((c0 | 0x20) - 0x61) < 26 && load<u8>(s + 1) == 0x3a) {
      const c2 = load<u8>(s + 2);
      win = c2 == 0x5c || c2 == 0x2f;
    }
  }
  if (win) {
    for (let i = 0; i < len; i++) h = (h ^ <i32>foldByte(<u32>load<u8>(s + <usize>i))) * 16777619;
  } else {
    for (let i = 0; i < len; i++) h = (h ^ <i32>load<u8>(s + <usize>i)) * 16777619;
  }
  return h;
}
