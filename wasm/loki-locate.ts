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

const ROW: usize = 1024;

export function rowAt(): usize {
  return ROW;
}

export function memStart(): usize {
  return 4096;
}

export function locate(at: usize, len: i32): i32 {
  return 0;
}

export function laterScoreKey(at: usize, len: i32, from: i32, end: i32): i32 {
  return -1;
}
