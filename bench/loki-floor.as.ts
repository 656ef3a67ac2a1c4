// AssemblyScript source of bench/loki-floor-wasm.mjs (compiled by it; not part of the product or of tsc's build).
// The same work as bench/loki-floor.mjs, on bytes in WebAssembly memory: per line the four commas of the Python CSV
// envelope; on a `FILE: ` message the path hashed byte by byte (h = h * 31 + b, 32-bit), the digits after ` SCORE: `,
// the length of the first `MATCH: ` rule name; results as i32 columns at outPtr (scores, then path hashes; cap each).
// runScalar looks at one byte at a time; runSimd finds a byte 16 at a time (v128 compare + bitmask), so the input
// must be followed by 16 readable bytes.

let findings: i32 = 0;
let lines: i32 = 0;
let scoreSum: i64 = 0;
let pathHash: i32 = 0;
let ruleLen: i64 = 0;

// ' SCORE: ' and 'MATCH: ' as little-endian words
const SCORE_WORD: u64 = 0x203a45524f435320;
const MATCH_WORD: u64 = 0x00203a484354414d;
const MATCH_MASK: u64 = 0x00ffffffffffffff;

@inline function idxScalar(p: usize, e: usize, c: u8): usize {
  while (p < e) { if (load<u8>(p) == c) return p; p++; }
  return e;
}

@inline function idxSimd(p: usize, e: usize, c: u8): usize {
  const needle = i8x16.splat(<i8>c);
  while (p < e) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(p), needle));
    if (m != 0) { const q = p + <usize>ctz(m); return q < e ? q : e; }
    p += 16;
  }
  return e;
}

@inline function finding(c4: usize, s: usize, e: usize, outPtr: usize, cap: i32, simd: bool): void {
  let h: i32 = 0;
  for (let i = c4 + 7; i < s; i++) h = h * 31 + <i32>load<u8>(i);
  let v: i32 = 0;
  let i = s + 8;
  while (i < e) { const b = load<u8>(i); if (b < 48 || b > 57) break; v = v * 10 + b - 48; i++; }
  let m = s;
  let mf = false;
  while (m < e) {
    m = simd ? idxSimd(m, e, 77) : idxScalar(m, e, 77);
    if (m >= e) break;
    if ((load<u64>(m) & MATCH_MASK) == MATCH_WORD) { mf = true; break; }
    m++;
  }
  if (mf) {
    const sp = simd ? idxSimd(m + 7, e, 32) : idxScalar(m + 7, e, 32);
    ruleLen += <i64>(sp - m - 7);
  }
  if (findings < cap) {
    store<i32>(outPtr + (<usize>findings << 2), v);
    store<i32>(outPtr + (<usize>(cap + findings) << 2), h);
  }
  findings++;
  scoreSum += v;
  pathHash ^= h;
}

@inline function lineLoop(inPtr: usize, n: usize, outPtr: usize, cap: i32, simd: bool): void {
  const end = inPtr + n;
  let p = inPtr;
  while (p < end) {
    const e = simd ? idxSimd(p, end, 10) : idxScalar(p, end, 10);
    lines++;
    const c1 = simd ? idxSimd(p, e, 44) : idxScalar(p, e, 44);
    const c2 = simd ? idxSimd(c1 + 1, e, 44) : idxScalar(c1 + 1, e, 44);
    const c3 = simd ? idxSimd(c2 + 1, e, 44) : idxScalar(c2 + 1, e, 44);
    const c4 = simd ? idxSimd(c3 + 1, e, 44) : idxScalar(c3 + 1, e, 44);
    if (c4 + 5 < e && load<u8>(c4 + 1) == 70 && load<u8>(c4 + 5) == 58) {
      let s = c4 + 7;
      let found = false;
      while (s < e) {
        s = simd ? idxSimd(s, e, 83) : idxScalar(s, e, 83); // 'S'
        if (s >= e) break;
        if (s + 7 <= e && load<u64>(s - 1) == SCORE_WORD) { s = s - 1; found = true; break; }
        s++;
      }
      if (found) finding(c4, s, e, outPtr, cap, simd);
    }
    p = e + 1;
  }
}

export function runScalar(inPtr: usize, n: usize, outPtr: usize, cap: i32): void { lineLoop(inPtr, n, outPtr, cap, false); }
export function runSimd(inPtr: usize, n: usize, outPtr: usize, cap: i32): void { lineLoop(inPtr, n, outPtr, cap, true); }
export function getFindings(): i32 { return findings; }
export function getLines(): i32 { return lines; }
export function getScoreSum(): i64 { return scoreSum; }
export function getPathHash(): i32 { return pathHash; }
export function getRuleLen(): i64 { return ruleLen; }
