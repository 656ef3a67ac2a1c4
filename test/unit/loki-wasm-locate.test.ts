/**
 * The WebAssembly `FILE:` locator (wasm/loki-locate.ts, AssemblyScript with SIMD, embedded as LOKI_LOCATE_WASM)
 * against the JavaScript it replaces: `locate(at, len)` must write the row `locateFileFinding(msg, slots, nums, 0, 0,
 * bytes, base)` of src/core/parse/python-messages.ts writes (all 17 slots and 4 numbers, NaN and -0 told apart with
 * Object.is) and return 0 exactly when it returns false; `laterScoreKey(at, len, from, end)` must equal
 * `laterScoreKey(msg, from, end < 0 ? Infinity : end)`; `pathHash(at, len)` must equal `pathHashBytes`.
 *
 * The module is instantiated here as the ABI describes (memory grown by JavaScript, messages copied to memStart()),
 * and the bytes after every message are filled with hostile junk (keys, digits, hex) that would change a result if
 * the module let a byte at or past `len` count (its SIMD loads do read up to 15 of them). Sources: every `FILE:`
 * message of the Loki logs under shared/data and of test/fixtures (ASCII ones; every prefix of the distinct ones),
 * messages generated from the §2.1 grammar with hostile mutations (fast-check), and every alignment 0-15.
 * Runs: FUZZ_RUNS (default 2000 property runs), seed FUZZ_SEED (default 42).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { locateModule } from '../../src/core/parse/loki-wasm';
import { FF_NUMS, FF_PATH_END, FF_R1, FF_SLOTS, FF_TRUNC, laterScoreKey, locateFileFinding } from '../../src/core/parse/python-messages';
import { pathHashBytes } from '../../src/core/parse/loki-intern';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 2000);
const SEED = Number(process.env.FUZZ_SEED) || 42;
const SHARED_DATA = path.resolve(__dirname, '../../../../shared/data');
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

// --- the module, as a caller of the ABI uses it ------------------------------------------------------

const wasm = locateModule();
const START = wasm.memStart();
const ROW = wasm.rowAt();

/** Views over the module's memory, made again after each grow (a grow detaches the old buffer). */
let mem = new Uint8Array(wasm.memory.buffer);
let rowSlots = new Int32Array(wasm.memory.buffer, ROW, FF_SLOTS);
let rowNums = new Float64Array(wasm.memory.buffer, ROW + 72, FF_NUMS);

function ensure(bytes: number): void {
  if (wasm.memory.buffer.byteLength >= bytes) return;
  wasm.memory.grow(Math.ceil((bytes - wasm.memory.buffer.byteLength) / 65536));
  mem = new Uint8Array(wasm.memory.buffer);
  rowSlots = new Int32Array(wasm.memory.buffer, ROW, FF_SLOTS);
  rowNums = new Float64Array(wasm.memory.buffer, ROW + 72, FF_NUMS);
}

/**
 * What the stale bytes after a message may hold: each completes a key, a number or a hash that a message cut just
 * before it leaves open (`SCORE: 1` + `2 TYPE: `, ` SIZE: ` + `5 `, `MD5: ` + hex, `REASON_1` + `: `, …), so a read
 * past `len` that counts changes a result.
 */
const JUNK = [
  '2 TYPE: SCORE: 12 TYPE: SIZE: 5 FIRST_BYTES: ',
  '0123456789abcdef0123456789ABCDEF0123456789abcdef',
  ': REASON_1: x SIZE: 5 MD5: 0123456789abcdef01234567',
  'E: 1 TYPE: CORE: 5 TYPE: IZE: 7 ASON_1: ; ; ; ; ;',
  ' \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t \t',
  'SCORE: SIZE: MD5: SHA1: SHA256: CREATED: REASON_1: ',
].map((j) => Buffer.from(j.repeat(2), 'latin1'));
const JUNK_LEN = 64;
/** Sentinels the row is filled with before a call (a slot the module forgets to write keeps one). */
const SLOT_SENTINEL = 0x5a5a5a5a;
const NUM_SENTINEL = 1234.5678;

const jsSlots = new Int32Array(FF_SLOTS);
const jsNums = new Float64Array(FF_NUMS);

/** Places `msg` (latin1) at START + align, with junk variant `junk` after it (and junk before it). Returns its address. */
function place(msg: string, align: number, junk: number): number {
  const at = START + align;
  ensure(at + msg.length + JUNK_LEN + 16);
  const j = JUNK[junk % JUNK.length];
  mem.set(j.subarray(0, align), START); // junk before the message too (nothing may read before `at`)
  mem.set(Buffer.from(msg, 'latin1'), at);
  mem.set(j.subarray(0, JUNK_LEN), at + msg.length);
  return at;
}

const ASCII = /^[\x00-\x7f]*$/;
const show = (m: string) => JSON.stringify(m.length > 300 ? m.slice(0, 150) + '…' + m.slice(-150) : m);

/** Comparison counts, per kind (reported by the last test). */
const counts = { locate: 0, located: 0, later: 0, pathHash: 0 };
/** What the located messages had (proves the generators reach every branch; reset per test). */
const newCoverage = () => ({ trunc: [0, 0, 0, 0, 0, 0], md5: 0, sha1: 0, sha256: 0, upperHex: 0, badHashWords: 0, modified: 0, accessed: 0 });
let coverage = newCoverage();

/**
 * locate and laterScoreKey of the module equal the JavaScript for `msg` (ASCII) at alignment `align`, with every junk
 * variant after it. `froms`, `ends`: extra laterScoreKey arguments (besides the ones derived from the row).
 */
function check(msg: string, align = 0, froms: readonly number[] = [], ends: readonly number[] = []): void {
  const len = msg.length;
  // The oracle reads the same bytes in the module's memory (bytes, base), as the parser will hand them over.
  let at = place(msg, align, 0);
  jsSlots.fill(SLOT_SENTINEL);
  jsNums.fill(NUM_SENTINEL);
  const ok = locateFileFinding(msg, jsSlots, jsNums, 0, 0, mem, at);
  counts.locate++;
  if (ok) counts.located++;
  const later: [number, number, number][] = [];
  const fs0 = [0, 1, 3, 6, len - 7, len - 1, len, len + 5, -4, ...froms];
  if (ok) fs0.push(jsSlots[FF_PATH_END] + 8, jsSlots[FF_R1] + 10);
  const es0 = [-1, 0, len, len + 9, ...ends];
  if (ok && jsSlots[FF_R1] >= 0) es0.push(jsSlots[FF_R1]);
  // the bounds at each `SCORE: `: a search from just before, at and after it; an end at it (excluded) and after it
  for (let i = msg.indexOf('SCORE: '), n = 0; i >= 0 && n < 4; i = msg.indexOf('SCORE: ', i + 1), n++) {
    fs0.push(i - 1, i, i + 1);
    es0.push(i, i + 1);
  }
  for (const f of fs0) for (const e of es0) later.push([f, e, laterScoreKey(msg, f, e < 0 ? Infinity : e)]);
  for (let junk = 0; junk < JUNK.length; junk++) {
    at = place(msg, align, junk);
    rowSlots.fill(SLOT_SENTINEL);
    rowNums.fill(NUM_SENTINEL);
    const r = wasm.locate(at, len);
    if (r !== (ok ? 1 : 0)) assert.fail(`locate returned ${r}, JS ${ok} (align ${align}, junk ${junk}) for ${show(msg)}`);
    if (ok) {
      for (let k = 0; k < FF_SLOTS; k++) {
        if (rowSlots[k] !== jsSlots[k]) {
          assert.deepStrictEqual([...rowSlots], [...jsSlots], `slot ${k} (align ${align}, junk ${junk}) of ${show(msg)}`);
        }
      }
      for (let k = 0; k < FF_NUMS; k++) {
        if (!Object.is(rowNums[k], jsNums[k])) {
          assert.deepStrictEqual([...rowNums], [...jsNums], `num ${k} (align ${align}, junk ${junk}) of ${show(msg)}`);
        }
      }
    }
    for (const [f, e, exp] of later) {
      const got = wasm.laterScoreKey(at, len, f, e);
      counts.later++;
      if (got !== exp) assert.fail(`laterScoreKey(from ${f}, end ${e}) = ${got}, JS ${exp} (align ${align}, junk ${junk}) for ${show(msg)}`);
    }
  }
  if (ok) {
    const t = jsSlots[FF_TRUNC];
    coverage.trunc[t]++;
    if (jsSlots[7] !== 0) coverage.md5++;
    if (jsSlots[8] !== 0) coverage.sha1++;
    if (jsSlots[9] !== 0) coverage.sha256++;
    if (jsSlots[7] === 2 || jsSlots[8] === 2 || jsSlots[9] === 2) coverage.upperHex++;
    if (jsNums[2] === -1) coverage.badHashWords++;
    if (jsSlots[12] >= 0) coverage.modified++;
    if (jsSlots[14] >= 0) coverage.accessed++;
    // The path's hash, on the path's bytes (the parser hashes `msg.slice(6, FF_PATH_END)`).
    at = place(msg, align, 1);
    const e = jsSlots[FF_PATH_END];
    const exp = pathHashBytes(mem, at + 6, at + e);
    counts.pathHash++;
    assert.equal(wasm.pathHash(at + 6, e - 6), exp, `pathHash of ${show(msg)}`);
  }
}

// --- sources ---------------------------------------------------------------------------------------

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (!/\.(gz|zip|mjs|js|ts)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * The `FILE:` messages of a log, read as latin1: of a Python CSV line (`TIMESTAMP,HOST,LEVEL,MODULE,MESSAGE`) the text
 * after the 4th comma when it starts with `FILE: `; of any other line (plain logs, syslog, …) the text from its first
 * `FILE: ` on. ASCII ones in `out`; the number of others returned.
 */
function fileMessages(file: string, out: string[]): number {
  let skipped = 0;
  for (const raw of fs.readFileSync(file, 'latin1').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let c = -1;
    for (let k = 0; k < 4 && (c = line.indexOf(',', c + 1)) >= 0; k++);
    let m: string | undefined;
    if (c >= 0 && line.startsWith('FILE: ', c + 1)) m = line.slice(c + 1);
    else {
      const i = line.indexOf('FILE: ');
      if (i >= 0) m = line.slice(i);
    }
    if (m === undefined) continue;
    if (ASCII.test(m)) out.push(m);
    else skipped++;
  }
  return skipped;
}

const SHARED_FILES = walk(SHARED_DATA).filter((f) => f.includes(`${path.sep}loki${path.sep}`));
const FIXTURE_FILES = walk(FIXTURES);
const sharedMessages: string[] = [];
const fixtureMessages: string[] = [];
const skippedShared = SHARED_FILES.reduce((n, f) => n + fileMessages(f, sharedMessages), 0);
const skippedFixtures = FIXTURE_FILES.reduce((n, f) => n + fileMessages(f, fixtureMessages), 0);
const DISTINCT = [...new Set([...sharedMessages, ...fixtureMessages])];

const HEX32 = '6bf474e180c160142578f745f1ff7cfc';
const HEX40 = '611ef37d91cc9194e7c16aedf5c4e7e9178a32f4';
const HEX64 = '3c74d2d5c1030f1fd68dbf5c435b3b435219b7c9d79781fb1053cb1647489ea3';
const HEAD = 'FILE: C:\\x SCORE: 1 TYPE: T SIZE: 2 FIRST_BYTES: ';
/** Boundary layouts (keys sharing spaces, empty values, control codes in hashes, keys cut at the end). */
const EDGE = [
  '', 'F', 'FILE:', 'FILE: ', 'FILE: x', 'FILE: SCORE: 1', 'FILE: SCORE: 1 TYPE:', 'FILE: SCORE: 1 TYPE: ', 'FILE: xSCORE: 12',
  'FILE: SUBSCORE: 1 TYPE: x', 'FILE: x SCORE: 1234567890123456 TYPE: y', 'FILE: x SCORE: 123456789012345 TYPE: y SIZE: 123456789012345',
  'FILE: x SCORE: 123456789012345 TYPE: y SIZE: 1234567890123456 ', 'FILE: x SCORE: 999999999999999 TYPE: y SIZE: 000000000000001 ',
  HEAD + '- CREATED: a MODIFIED: b ACCESSED: REASON_1: Yara Rule MATCH: R',
  HEAD + 'CREATED: MODIFIED: ACCESSED: REASON_1: x',
  HEAD + '- CREATED: MODIFIED:  ACCESSED:  REASON_1:  x',
  HEAD + '- CREATED: MODIFIED: ACCESSED: REASON_1: x', HEAD + '- CREATED: c MODIFIED: ACCESSED: a REASON_1: x', HEAD + '- CREATED: c MODIFIED: m ACCESSED: REASON_1: x',
  HEAD + `x MD5: MD5: ${HEX32} SHA1: SHA1: ${HEX40} CREATED: c REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64}CREATED: c REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64} CREATED: c MODIFIED: c ACCESSED: c REASON_1: r`,
  HEAD + `- MD5: ${HEX32.toUpperCase()} SHA1: ${HEX40} SHA256: ${HEX64.toUpperCase()}REASON_1: r`,
  HEAD + `- MD5: ${HEX32}`,
  HEAD + `- MD5: ${HEX32.slice(0, 31)}`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40.slice(1)}`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64.slice(1)}`,
  HEAD + `- MD5: \x10\x11\x12\x13\x14\x15\x16\x17\x18\x19${HEX32.slice(10)} REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40.slice(0, 20)}\x19${HEX40.slice(21)} REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64.slice(0, 24)}\x10${HEX64.slice(25)} REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64.slice(0, 25)}\x1a${HEX64.slice(26)} REASON_1: r`,
  HEAD + `- MD5: ${HEX32.slice(0, 31)}\x7f REASON_1: r`,
  // a control code hexRunKind lets through at each digit of the 25 hashWords reads, and just after them (the 26th)
  ...[0, 1, 11, 12, 13, 15, 16, 23, 24, 25, 26, 31].flatMap((k) => [
    HEAD + `- MD5: ${HEX32.slice(0, k)}\x19${HEX32.slice(k + 1)} REASON_1: r`,
    HEAD + `- MD5: ${HEX32} SHA1: ${HEX40.slice(0, k)}\x10${HEX40.slice(k + 1)} REASON_1: r`,
    HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64.slice(0, k)}\x15${HEX64.slice(k + 1).toUpperCase()} REASON_1: r`,
  ]),
  HEAD + `- MD5: ${'f'.repeat(32)} SHA1: ${'F'.repeat(40)} SHA256: ${'0'.repeat(64)} REASON_1: r`,
  HEAD + `- MD5: ${'F'.repeat(32)} SHA1: ${'9'.repeat(40)} REASON_1: r`, HEAD + `- MD5: ${'0'.repeat(31)}1 REASON_1: r`,
  HEAD + '- REASON_1: x', HEAD + '-REASON_1: x', HEAD + ' REASON_1: x', HEAD, HEAD + ' \t\n\v\f\r ', HEAD + ' \t\x1c',
  'FILE: SCORE: 5 TYPE: SIZE: 1 FIRST_BYTES: CREATED: REASON_1: ',
  'FILE: SCORE: 5 TYPE:  SIZE: 1',
  'FILE: a SUBSCORE: 5 TYPE: b SCORE: 6 TYPE: c SIZE: 7 FIRST_BYTES: - REASON_1: x',
  'FILE: a SCORE: 5x SCORE: 6 TYPE: c SIZE: 7x SIZE: 8 FIRST_BYTES: - REASON_1: x',
  'FILE: a SCORE: 5 TYPE: c SIZE: 7 x', 'FILE: a SCORE: 5 TYPE: c SIZE: 7', 'FILE: a SCORE: 5 TYPE: c SIZE: 7 ',
  'FILE: a SCORE: 0 TYPE: x SIZE: 1 FIRST_BYTES: - REASON_1: Benign SCORE: 70 TYPE: EXE SIZE: 5 REASON_1: evil',
  'FILE: ' + 'p'.repeat(4000) + ` SCORE: 5 TYPE: c SIZE: 7 FIRST_BYTES: - MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64.toUpperCase()} CREATED: c REASON_1: r`,
  'FILE: ' + 'SCORE: '.repeat(700) + '5 TYPE: x',
  // (laterScoreKey reads any text: the `SUB` look-back at index 3 and before)
  'SUBSCORE: 1 TYPE: x', 'UBSCORE: 1 TYPE: x', 'BSCORE: 1 TYPE: x', 'SCORE: 1 TYPE: x', 'SCORE: 1 TYPE:', 'xSUBSCORE: 12 TYPE: SCORE: 3 TYPE: ',
  'FILE: ' + ' SIZE: 1x'.repeat(600) + ' SCORE: 5 TYPE: x' + ' SIZE: 1x'.repeat(600) + ' SIZE: 2',
];

// --- generators (ASCII only: the module's callers hand it ASCII messages) ----------------------------

const SPACES = [' ', '\t', '\n', '\r', '\v', '\f', '\x1c', '\x1f', '\0'];
const CONTROLS = ['\x10', '\x15', '\x19', '\x1a', '\x0f', '\x7f', '\x00', '\x20', '\x40', '\x47', '\x60', '\x67'];
const KEYWORDS = [
  ' SCORE: 12 TYPE: ', 'SCORE: 7', ' SCORE: ', 'SCORE: ', 'SUBSCORE: ', ' SUBSCORE: 40 TYPE: ', 'SUB', ' TYPE: ', ' SIZE: 5 ', ' SIZE: ',
  ' SIZE: 123456789012345 ', ' SIZE: 1234567890123456 ', ' SCORE: 1234567890123456789012 TYPE: ', ' FIRST_BYTES: ', ' FIRST_BYTES: -  ',
  ` MD5: ${HEX32}`, ` MD5: ${HEX32.toUpperCase()}`, ` MD5: ${HEX32.slice(1)}`, ` MD5: MD5: ${HEX32}`, ' MD5: ', 'MD5: ', ` SHA1: ${HEX40}`,
  ` SHA1: ${HEX40.toUpperCase()}`, ` SHA256: ${HEX64}`, ` SHA256: ${HEX64.toUpperCase()}`, ' CREATED: ', ' MODIFIED: ', ' ACCESSED: ',
  'CREATED: ', ' CREATED: Tue Dec 18 12:01:51 2018', 'REASON_1: ', ' REASON_1: ', 'REASON_1:', 'REASON_2: ', 'Yara Rule MATCH: ', 'FILE: ',
  'a SCORE: 0 TYPE: x', 'ABCDEF', 'abcdef0123', '', ':', ': ', ...SPACES, ...CONTROLS, 'x'.repeat(5000), 'a'.repeat(4100), ' '.repeat(300),
  '9'.repeat(30),
];

type Step =
  | { op: 'cut'; at: number }
  | { op: 'ins' | 'kw' | 'set'; at: number; s: string }
  | { op: 'del' | 'dup' | 'up'; at: number; n: number };

const asciiChar = fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c));
const STEPS: fc.Arbitrary<Step>[] = [
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('ins' as const), at: fc.nat(), s: fc.array(asciiChar, { maxLength: 4 }).map((a) => a.join('')) }),
  fc.record({ op: fc.constant('kw' as const), at: fc.nat(), s: fc.constantFrom(...KEYWORDS) }),
  fc.record({ op: fc.constant('del' as const), at: fc.nat(), n: fc.nat({ max: 40 }) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), n: fc.nat({ max: 200 }) }),
  fc.record({ op: fc.constant('up' as const), at: fc.nat(), n: fc.nat({ max: 160 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), s: fc.constantFrom(...SPACES, ...CONTROLS, 'G', 'f', 'F', '0', ' ', ':') }),
];

function mutate(msg: string, steps: Step[]): string {
  let s = msg;
  for (const o of steps) {
    const at = s.length ? o.at % (s.length + 1) : 0;
    switch (o.op) {
      case 'cut': s = s.slice(0, at); break;
      case 'ins': case 'kw': s = s.slice(0, at) + o.s + s.slice(at); break;
      case 'set': s = s.slice(0, at) + o.s + s.slice(at + 1); break;
      case 'del': s = s.slice(0, at) + s.slice(at + o.n); break;
      case 'dup': s = s.slice(0, at) + s.slice(at, at + o.n) + s.slice(at); break;
      case 'up': s = s.slice(0, at) + s.slice(at, at + o.n).toUpperCase() + s.slice(at + o.n); break;
    }
  }
  return s;
}

/** Hex of `n` digits in any case; sometimes a digit short or long, or with one odd (control, non-hex) byte. */
function hexArb(n: number): fc.Arbitrary<string> {
  const digits = fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: n, maxLength: n }).map((a) => a.join(''));
  return fc.oneof(
    { weight: 6, arbitrary: digits },
    { weight: 1, arbitrary: digits.map((h) => h.slice(1)) },
    { weight: 1, arbitrary: digits.map((h) => h + 'a') },
    { weight: 3, arbitrary: fc.tuple(digits, fc.nat({ max: n - 1 }), fc.constantFrom(...CONTROLS, 'g', 'G', ' ', '-')).map(([h, i, c]) => h.slice(0, i) + c + h.slice(i + 1)) },
  );
}

const word = (xs: string[]) => fc.constantFrom(...xs);
const sep = word([' ', ' ', ' ', ' ', '', '  ', '\t', '\v']);
const digitsArb = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map(String) },
  { weight: 1, arbitrary: word(['', '0', '007', '123456789012345', '999999999999999', '1234567890123456', '12345678901234567890123', '9'.repeat(40)]) },
);
const time = word(['Tue Dec 18 12:01:51 2018', 'Wed Sep  4 12:31:57 2022', 'not_available', '', ' ', '\t', 'x\x1c']);
const randomText = fc.array(fc.oneof(asciiChar, fc.constantFrom(...KEYWORDS.filter((k) => k.length < 50))), { maxLength: 12 }).map((a) => a.join(''));

/** Bodies of the §2.1 grammar, every part optional, doubled, forged or empty. */
const grammarMessage = fc
  .record({
    path: fc.oneof(
      word(['C:\\Windows\\x.exe', 'C:\\a SCORE: 1\\b', 'C:\\a SCORE: 0 TYPE: x', 'C:\\a SCORE: 5 TYPE: \\b SIZE: 3 ', '/tmp/x y', '', 'C:\\SUBSCORE: 9 TYPE: x',
        '\\\\srv\\share\\a.dll', `C:\\x MD5: ${HEX32}`, 'p'.repeat(4500)]),
      randomText,
    ),
    scoreSep: word([' ', '', '  ', '\t']),
    score: digitsArb,
    type: fc.oneof(word(['UNKNOWN', 'EVT Event Viewer File', '', ' ', 'X SIZE: y', 'TYPE SIZE: 12x', 'T SIZE: 1234567890123456 ', 'EXE SCORE: 9 TYPE: y']), randomText),
    sizeSep: word([' SIZE: ', ' SIZE:', 'SIZE: ', ' SIZE:  ', ' SIZE: SIZE: ']),
    size: digitsArb,
    fbKey: word([' FIRST_BYTES: ', ' FIRST_BYTES:', '', ' FIRST_BYTES:  ', 'FIRST_BYTES: ']),
    fb: fc.oneof(word(['-', '-  ', '4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x90D2F880>', '', 'a MD5: zz', 'a MD5:', ' MD5: ' + 'g'.repeat(32),
      'f'.repeat(5000), ` MD5: ${HEX32.slice(2)} CREATED: x`]), randomText),
    hashes: fc.option(
      fc.tuple(
        word([' MD5: ', ' MD5:', ' MD5:  ', 'MD5: ']),
        hexArb(32),
        fc.option(fc.tuple(word([' SHA1: ', ' SHA1:', 'SHA1: ']), hexArb(40), fc.option(fc.tuple(word([' SHA256: ', 'SHA256: ', ' SHA256:']), hexArb(64))))),
      ),
    ),
    times: fc.option(
      fc.tuple(
        word([' CREATED: ', ' CREATED:', '', 'CREATED: ']),
        time,
        fc.option(fc.tuple(word([' MODIFIED: ', ' ACCESSED: ', 'MODIFIED: ']), time, fc.option(fc.tuple(word([' ACCESSED: ', ' MODIFIED: ', ' ACCESSED:', 'ACCESSED: ']), time)))),
      ),
    ),
    reasons: fc.oneof(
      word([
        '',
        ' REASON_1: Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: - AUTHOR: a MATCHES: $s1: \'x\'',
        ' REASON_1: File Name IOC matched PATTERN: \\\\evil SUBSCORE: 60 DESC: ioc REASON_2: Yara Rule MATCH: Q SUBSCORE: 50 DESCRIPTION: x REF: -',
        'REASON_1: Malware Hash TYPE: MD5 HASH: ABC SUBSCORE: 100 DESC: x',
        ' REASON_1: Yara Rule MATCH: a SCORE: 0 TYPE: x SUBSCORE:70 SCORE: 9 TYPE: ',
        ' REASON_1: ',
        ' REASON_2: Yara Rule MATCH: R',
        ' junk',
        ' \t\r\n',
      ]),
      randomText.map((t) => ' REASON_1: ' + t),
    ),
    tail: word(['', ' ', ' x', '\t', ' SCORE: 1 TYPE: z']),
  })
  .map((p) => {
    let s = `FILE: ${p.path}${p.scoreSep}SCORE: ${p.score} TYPE: ${p.type}${p.sizeSep}${p.size}${p.fbKey}${p.fb}`;
    if (p.hashes) {
      s += p.hashes[0] + p.hashes[1];
      if (p.hashes[2]) {
        s += p.hashes[2][0] + p.hashes[2][1];
        if (p.hashes[2][2]) s += p.hashes[2][2][0] + p.hashes[2][2][1];
      }
    }
    if (p.times) {
      s += p.times[0] + p.times[1];
      if (p.times[2]) {
        s += p.times[2][0] + p.times[2][1];
        if (p.times[2][2]) s += p.times[2][2][0] + p.times[2][2][1];
      }
    }
    return s + p.reasons + p.tail;
  });

/** Short texts (0-20 bytes) of key fragments: the module's bounds at the very start and end of a message. */
const shortMessage = fc
  .array(fc.oneof(asciiChar, word(['FILE: ', 'SCORE: ', 'SUB', ' TYPE: ', '1', '12', ' SIZE: ', 'E: ', ': '])), { maxLength: 8 })
  .map((a) => a.join('').slice(0, 20));

/** Prefixes of `m` to check: every one for a short message; in a long one every one in its last 700 bytes and every 37th before. */
function prefixes(m: string): string[] {
  const out: string[] = [];
  for (let k = 0; k <= m.length; k += k < m.length - 700 ? 37 : 1) out.push(m.slice(0, k));
  return out;
}

// --- tests -----------------------------------------------------------------------------------------

test('loki-wasm-locate: the module instantiates with the ABI (row, memory start, exports)', () => {
  assert.equal(START % 16, 0);
  assert.ok(START >= ROW + 72 + 8 * FF_NUMS, `memStart ${START} after the row at ${ROW}`);
  assert.equal(ROW % 8, 0);
  for (const f of ['rowAt', 'memStart', 'locate', 'laterScoreKey', 'pathHash']) assert.equal(typeof (wasm as unknown as Record<string, unknown>)[f], 'function', f);
  assert.ok(wasm.memory.buffer instanceof ArrayBuffer);
});

test('loki-wasm-locate: every FILE message of the Loki logs under shared/data and of test/fixtures', () => {
  assert.ok(SHARED_FILES.length > 0, `Loki logs under ${SHARED_DATA}`);
  assert.ok(sharedMessages.length > 0, `FILE messages in ${SHARED_FILES.length} shared/data logs`);
  assert.ok(fixtureMessages.length > 0, 'FILE messages in test/fixtures');
  const before = counts.locate;
  for (const m of sharedMessages) check(m);
  for (const m of fixtureMessages) check(m);
  const n = counts.locate - before;
  assert.equal(n, sharedMessages.length + fixtureMessages.length);
  assert.ok(n > 0);
  console.log(`loki-wasm-locate: compared ${sharedMessages.length} FILE messages of ${SHARED_FILES.length} shared/data logs (${skippedShared} non-ASCII skipped), ` +
    `${fixtureMessages.length} of ${FIXTURE_FILES.length} fixture files (${skippedFixtures} non-ASCII skipped); ${DISTINCT.length} distinct`);
});

test('loki-wasm-locate: every prefix of every distinct FILE message and of the boundary layouts (truncation everywhere)', () => {
  const before = counts.locate;
  for (const m of [...EDGE, ...DISTINCT]) for (const p of prefixes(m)) check(p);
  console.log(`loki-wasm-locate: ${counts.locate - before} prefixes compared`);
});

test('loki-wasm-locate: messages at every alignment (memStart() + 0..15)', () => {
  const sample = [...EDGE, ...DISTINCT.filter((_, i) => i % 7 === 0)];
  for (let align = 0; align < 16; align++) for (const m of sample) check(m, align);
});

test('loki-wasm-locate: §2.1 grammar bodies with hostile mutations, short and long texts (fast-check)', () => {
  const before = counts.locate;
  coverage = newCoverage();
  let runs = 0;
  fc.assert(
    fc.property(
      fc.oneof({ weight: 8, arbitrary: grammarMessage }, { weight: 1, arbitrary: shortMessage }, { weight: 1, arbitrary: fc.constantFrom(...DISTINCT, ...EDGE) }),
      fc.array(fc.oneof(...STEPS), { maxLength: 4 }),
      fc.nat({ max: 15 }),
      fc.array(fc.integer({ min: -10, max: 6000 }), { maxLength: 3 }),
      fc.nat(),
      (m, steps, align, extra, cut) => {
        runs++;
        const mutated = mutate(m, steps);
        check(m, align, extra, extra);
        check(mutated, (align + 5) & 15, extra, extra);
        // one truncation of each at a random place, and a random cut-out range
        check(m.slice(0, cut % (m.length + 1)), align);
        check(mutated.slice(0, cut % (mutated.length + 1)), align);
        const k = cut % (m.length + 1);
        check(m.slice(0, k) + m.slice(k + (cut % 41)), align);
      },
    ),
    { seed: SEED, numRuns: RUNS },
  );
  assert.equal(runs >= RUNS, true);
  console.log(`loki-wasm-locate: ${runs} property runs, ${counts.locate - before} messages compared; located: ${JSON.stringify(coverage)}`);
  if (RUNS >= 500) {
    coverage.trunc.forEach((n, t) => assert.ok(n > 0, `FF_TRUNC ${t} generated`));
    for (const [k, n] of Object.entries(coverage)) if (typeof n === 'number') assert.ok(n > 0, `${k} generated`);
  }
});

test('loki-wasm-locate: every prefix of generated bodies (fast-check, a tenth of the runs)', () => {
  fc.assert(
    fc.property(grammarMessage, fc.array(fc.oneof(...STEPS), { maxLength: 2 }), (m, steps) => {
      for (const p of prefixes(mutate(m, steps))) check(p);
    }),
    { seed: SEED + 1, numRuns: Math.max(1, Math.ceil(RUNS / 10)) },
  );
});

test('loki-wasm-locate: pathHash = pathHashBytes for latin1 paths, Windows-looking or not', () => {
  const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
  const lead = word(['', 'C:\\', 'c:/', 'z:\\', '\\\\', '\\', 'C:', '@:\\', '[:\\', '`:\\', '{:\\', 'C;\\', '/', 'Ab']);
  // every latin1 byte after a Windows and a non-Windows head (the case fold of each)
  for (let c = 0; c < 256; c++) {
    for (const p of [`C:\\${String.fromCharCode(c)}x`, `/${String.fromCharCode(c)}`, String.fromCharCode(c), `\\${String.fromCharCode(c)}`]) {
      const at = place(p, c & 15, 2);
      assert.equal(wasm.pathHash(at, p.length), pathHashBytes(mem, at, at + p.length), JSON.stringify(p));
      counts.pathHash++;
    }
  }
  fc.assert(
    fc.property(lead, fc.array(byte, { maxLength: 300 }), fc.nat({ max: 15 }), (h, cs, align) => {
      const p = h + cs.join('');
      const at = place(p, align, 3);
      assert.equal(wasm.pathHash(at, p.length), pathHashBytes(mem, at, at + p.length), JSON.stringify(p));
      counts.pathHash++;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(`loki-wasm-locate: totals ${JSON.stringify(counts)}`);
});

test('loki-wasm-locate: laterScoreKey with a negative `from` searches from 0, not in the bytes before the message', () => {
  for (const before of ['xSCORE: ', 'SCORE: 1', 'SCORE: ', 'SCORE:']) {
    for (const msg of ['5 TYPE: x', ' TYPE: x', '1 TYPE: SCORE: 2 TYPE: ', '']) {
      const at = START + 16;
      ensure(at + msg.length + JUNK_LEN);
      mem.set(Buffer.from(before, 'latin1'), at - before.length);
      mem.set(Buffer.from(msg + JUNK[0].toString('latin1'), 'latin1'), at);
      for (const from of [-1, -3, -7, -8, -9, -20, -1000, -(2 ** 31), 2 ** 31 - 1]) {
        assert.equal(wasm.laterScoreKey(at, msg.length, from, -1), laterScoreKey(msg, from), `${before}|${msg} from ${from}`);
        assert.equal(wasm.laterScoreKey(at, msg.length, from, msg.length), laterScoreKey(msg, from, msg.length));
      }
    }
  }
});

test('loki-wasm-locate: the row holds FF_TRUNC codes and absent values as documented (spot checks)', () => {
  const at = place('FILE: C:\\x SCORE: 70', 0, 0);
  assert.equal(wasm.locate(at, 20), 1);
  assert.equal(rowSlots[FF_TRUNC], 1);
  assert.ok(Number.isNaN(rowNums[1]) && Number.isNaN(rowNums[2]) && Number.isNaN(rowNums[3]));
  assert.equal(rowNums[0], 70);
  const m = HEAD + `- MD5: \x10${HEX32.slice(1)} REASON_1: r`; // a control code hexRunKind lets through: hash words -1
  const at2 = place(m, 3, 1);
  assert.equal(wasm.locate(at2, m.length), 1);
  assert.deepStrictEqual([rowSlots[7], rowNums[2], rowNums[3]], [1, -1, -1]);
});
