/**
 * `FILE:` findings in two steps (src/core/parse/python-messages.ts): locateFileFinding records
 * positions into an Int32Array row, buildFileFinding rebuilds the FindingBody from them, and
 * parseFileFinding is the two in a row. Differential tests against a frozen copy of the former
 * one-step parseFileFinding (test/unit/ff-ref/, the oracle): same values, same property order, same
 * `truncated` texts, same LokiIntern use, for every `FILE:` message of shared/data and test/fixtures,
 * every prefix and many cut-out ranges of them, mutated messages and bodies generated from the §2.1
 * grammar (fast-check, fixed seed). Also the slot layout as documented, and the small text helpers.
 * Runs: FUZZ_RUNS (default 300), seed FUZZ_SEED (default 42).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  FF_ACCESSED_END,
  FF_ACCESSED_START,
  FF_CREATED_END,
  FF_CREATED_START,
  FF_FB_END,
  FF_FB_START,
  FF_MD5,
  FF_MD5_KIND,
  FF_MODIFIED_END,
  FF_MODIFIED_START,
  FF_NUMS,
  FF_PATH_END,
  FF_R1,
  FF_SCORE,
  FF_SHA1_KIND,
  FF_SHA256_KIND,
  FF_SIZE,
  FF_SLOTS,
  FF_TRUNC,
  FF_TRUNC_AFTER_SCORE,
  FF_TRUNC_IN_FIRST_BYTES,
  FF_TRUNC_IN_TYPE,
  FF_TRUNC_NO_REASON,
  FF_TRUNC_NONE,
  FF_TRUNC_TEXT,
  FF_TRUNC_UNRECOGNISED,
  FF_TYPE_END,
  FF_TYPE_START,
  buildFileFinding,
  fileFindingReasons,
  locateFileFinding,
  parseFileFinding,
  type FindingBody,
} from '../../src/core/parse/python-messages';
import { LokiIntern } from '../../src/core/parse/loki-intern';
import { asciiBytes, codeUnits, hexRunKind, hexRunKindBytes, hexRunKindUnits, indexOfSpaced, isBlankFrom, isTrimSpace, startsWithBytes } from '../../src/core/parse/text';
import * as ref from './ff-ref/python-messages';
import * as refText from './ff-ref/text';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
const SEED = Number(process.env.FUZZ_SEED) || 42;
const SHARED_DATA = path.resolve(__dirname, '../../../../shared/data');
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

/** Every file under `dir` (compressed files left out). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (!/\.(gz|zip)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Every `FILE: …` message (the text from `FILE: ` on) of shared/data and test/fixtures, in file order. */
const FILE_MESSAGES: string[] = (() => {
  const out: string[] = [];
  for (const f of [...walk(SHARED_DATA), ...walk(FIXTURES)]) {
    for (const l of fs.readFileSync(f, 'utf8').split(/\r?\n/)) {
      const i = l.indexOf('FILE: ');
      if (i >= 0) out.push(l.slice(i));
    }
  }
  return out;
})();
const DISTINCT_MESSAGES = [...new Set(FILE_MESSAGES)];

const HEX32 = '6bf474e180c160142578f745f1ff7cfc';
const HEX40 = '611ef37d91cc9194e7c16aedf5c4e7e9178a32f4';
const HEX64 = '3c74d2d5c1030f1fd68dbf5c435b3b435219b7c9d79781fb1053cb1647489ea3';
const HEAD = 'FILE: C:\\x SCORE: 1 TYPE: T SIZE: 2 FIRST_BYTES: ';
/** Keys that share their spaces with empty values or with each other, and other boundary layouts. */
const EDGE_MESSAGES = [
  HEAD + '- CREATED: a MODIFIED: b ACCESSED: REASON_1: Yara Rule MATCH: R',
  HEAD + 'CREATED: MODIFIED: ACCESSED: REASON_1: x',
  HEAD + '- CREATED: MODIFIED:  ACCESSED:  REASON_1:  x',
  HEAD + `x MD5: MD5: ${HEX32} SHA1: SHA1: ${HEX40} CREATED: c REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64}CREATED: c REASON_1: r`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64} CREATED: c MODIFIED: c ACCESSED: c REASON_1: r`,
  HEAD + `- MD5: ${HEX32.toUpperCase()} SHA1: ${HEX40} SHA256: ${HEX64.toUpperCase()}REASON_1: r`,
  HEAD + `- MD5: ${HEX32}`,
  HEAD + `- MD5: ${HEX32} SHA1: ${HEX40.slice(1)}`,
  HEAD + '- REASON_1: x',
  HEAD + '-REASON_1: x',
  HEAD + ' REASON_1: x',
  HEAD,
  'FILE: SCORE: 5 TYPE: SIZE: 1 FIRST_BYTES: CREATED: REASON_1: ',
  'FILE: SCORE: 5 TYPE:  SIZE: 1',
  'FILE: a SUBSCORE: 5 TYPE: b SCORE: 6 TYPE: c SIZE: 7 FIRST_BYTES: - REASON_1: x',
  'FILE: a SCORE: 5x SCORE: 6 TYPE: c SIZE: 7x SIZE: 8 FIRST_BYTES: - REASON_1: x',
  'FILE: a SCORE: 5 TYPE: c SIZE: 7 FIRST_BYTES: - CREATED: x\u3000\u2028',
  'FILE: a SCORE: 5 TYPE: c SIZE: 7 FIRST_BYTES: - CREATED: x\u3000\u200b',
  'FILE: a SCORE: 5 TYPE: c SIZE: 7 x',
  'FILE: a SCORE: 5 TYPE: c SIZE: 7',
  'FILE: a SCORE: 5 TYPE: c SIZE: 7 ',
  'FILE: aSCORE: 5 TYPE: c \u3000',
  'FILE: ' + 'p'.repeat(4000) + ` SCORE: 5 TYPE: c SIZE: 7 FIRST_BYTES: - MD5: ${HEX32} SHA1: ${HEX40} SHA256: ${HEX64.toUpperCase()} CREATED: c REASON_1: r`,
];

// --- comparison -----------------------------------------------------------------------------------

/** Same values (deepStrictEqual), same property order (top level and every reason), same JSON. */
function same(actual: FindingBody | undefined, expected: ref.FindingBody | undefined, what: string): void {
  assert.deepStrictEqual(actual, expected, what);
  if (actual === undefined || expected === undefined) return;
  assert.deepStrictEqual(Object.keys(actual), Object.keys(expected), `${what}: key order`);
  actual.reasons.forEach((r, i) => assert.deepStrictEqual(Object.keys(r), Object.keys(expected.reasons[i]), `${what}: reason key order`));
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), `${what}: JSON`);
}

const SENTINEL = 0x5a5a5a5a;
const ROWS = 3;
const slots = new Int32Array(ROWS * FF_SLOTS + 9);
const nums = new Float64Array(ROWS * FF_NUMS + 5);

/** True when every entry of `a` outside [from, to) is the sentinel. */
function untouchedOutside(a: Int32Array | Float64Array, from: number, to: number): boolean {
  for (let k = 0; k < a.length; k++) if ((k < from || k >= to) && a[k] !== SENTINEL) return false;
  return true;
}

/**
 * The row as documented on the FF_* constants: every slot read back against the oracle's finding.
 * (buildFileFinding equal to the oracle does not prove this: it could read a slot the documentation
 * does not promise.)
 */
function checkLayout(msg: string, b: number, nb: number, exp: ref.FindingBody): void {
  const s = (k: number) => slots[b + k];
  const len = msg.length;
  for (let k = 0; k < FF_SLOTS; k++) assert.ok(Number.isInteger(s(k)) && s(k) >= -1 && s(k) <= len, `slot ${k} = ${s(k)}`);
  assert.equal(msg.slice(6, s(FF_PATH_END)), exp.path);
  assert.equal(nums[nb + FF_SCORE], exp.score);
  if (exp.size === undefined) assert.ok(Number.isNaN(nums[nb + FF_SIZE]));
  else assert.equal(nums[nb + FF_SIZE], exp.size);
  assert.ok(s(FF_TRUNC) >= 0 && s(FF_TRUNC) < FF_TRUNC_TEXT.length);
  assert.equal(FF_TRUNC_TEXT[s(FF_TRUNC)], exp.truncated);
  if (exp.fileType === undefined) {
    assert.deepStrictEqual([s(FF_TYPE_START), s(FF_TYPE_END)], [-1, -1]);
  } else {
    const raw = msg.slice(s(FF_TYPE_START), s(FF_TYPE_END));
    assert.equal(s(FF_TRUNC) === FF_TRUNC_IN_TYPE ? raw.trimEnd() : raw, exp.fileType);
    if (s(FF_TRUNC) === FF_TRUNC_IN_TYPE) assert.equal(s(FF_TYPE_END), len);
  }
  const pair = (start: number, end: number, v: string | undefined, what: string) => {
    if (v === undefined) assert.deepStrictEqual([s(start), s(end)], [-1, -1], what);
    else assert.equal(msg.slice(s(start), s(end)).trim(), v, what);
  };
  pair(FF_FB_START, FF_FB_END, exp.firstBytes, 'firstBytes');
  pair(FF_CREATED_START, FF_CREATED_END, exp.created, 'created');
  pair(FF_MODIFIED_START, FF_MODIFIED_END, exp.modified, 'modified');
  pair(FF_ACCESSED_START, FF_ACCESSED_END, exp.accessed, 'accessed');
  const m = s(FF_MD5);
  const hash = (kindSlot: number, from: number, to: number, v: string | undefined, what: string) => {
    if (v === undefined) return assert.equal(s(kindSlot), 0, what);
    const raw = msg.slice(m + from, m + to);
    assert.equal(raw.toLowerCase(), v, what);
    assert.equal(s(kindSlot), raw === v ? 1 : 2, `${what} kind`);
  };
  if (exp.md5 === undefined) assert.equal(m, -1);
  else assert.ok(msg.startsWith(' MD5: ', m));
  hash(FF_MD5_KIND, 6, 38, exp.md5, 'md5');
  hash(FF_SHA1_KIND, 45, 85, exp.sha1, 'sha1');
  hash(FF_SHA256_KIND, 94, 158, exp.sha256, 'sha256');
  const r1 = s(FF_R1);
  if (exp.reasons.length === 0) {
    assert.equal(r1, -1);
  } else {
    assert.ok(msg.startsWith('REASON_1: ', r1));
    assert.equal(s(FF_TRUNC), FF_TRUNC_NONE);
    assert.deepStrictEqual(fileFindingReasons(msg, r1), exp.reasons);
  }
}

/**
 * Runs every code path on `msg` and compares it with the oracle: parseFileFinding with and without a
 * shared intern, and locate + build in a row ≠ 0 of a shared array (default `nums` base) and at an
 * unaligned base with an explicit `nums` base, with and without a shared intern.
 */
class Checker {
  readonly refIntern = new LokiIntern();
  readonly parseIntern = new LokiIntern();
  readonly buildIntern = new LokiIntern();
  private row = 0;
  count = 0;

  check(msg: string): void {
    this.count++;
    const what = JSON.stringify(msg.length > 300 ? msg.slice(0, 300) + '…' : msg);
    const exp = ref.parseFileFinding(msg);
    const expShared = ref.parseFileFinding(msg, this.refIntern);
    same(parseFileFinding(msg), exp, `parse ${what}`);
    same(parseFileFinding(msg, this.parseIntern), expShared, `parse+intern ${what}`);
    this.row = (this.row % (ROWS - 1)) + 1; // rows 1, 2, 1, 2, …: slotBase ≠ 0
    // A row ≠ 0 with the default nums base every time; an unaligned base with an explicit nums base every
    // fourth time.
    const bases: [number, number | undefined][] = [[this.row * FF_SLOTS, undefined]];
    if (this.count % 4 === 0) bases.push([5, 3]);
    for (const [b, nb] of bases) {
      slots.fill(SENTINEL);
      nums.fill(SENTINEL);
      const ok = nb === undefined ? locateFileFinding(msg, slots, nums, b) : locateFileFinding(msg, slots, nums, b, nb);
      const numBase = nb ?? (b / FF_SLOTS) * FF_NUMS;
      assert.equal(ok, exp !== undefined, `locate ${what}`);
      if (!ok) {
        assert.ok(untouchedOutside(slots, 0, 0) && untouchedOutside(nums, 0, 0), 'a failed locate writes nothing');
        continue;
      }
      assert.ok(untouchedOutside(slots, b, b + FF_SLOTS), 'locate writes its slots row only');
      assert.ok(untouchedOutside(nums, numBase, numBase + FF_NUMS), 'locate writes its nums row only');
      checkLayout(msg, b, numBase, exp!);
      if (nb === undefined) this.checkBytes(msg, b, numBase);
      const built = nb === undefined ? buildFileFinding(msg, slots, nums, undefined, b) : buildFileFinding(msg, slots, nums, undefined, b, nb);
      same(built, exp, `build ${what}`);
      if (nb === undefined) same(buildFileFinding(msg, slots, nums, this.buildIntern, b), expShared, `build+intern ${what}`);
    }
  }

  /**
   * locate with the message also given as bytes (code units < 256 only) writes the same row. The
   * bytes sit between hex digits, so a hash check reading past the message's end or before its start
   * would accept a cut hash the string locate rejects.
   */
  private checkBytes(msg: string, b: number, numBase: number): void {
    if (!/^[\x00-\xff]*$/.test(msg)) return;
    const lead = this.count % 7;
    const bytes = Buffer.from('a'.repeat(lead) + msg + 'b'.repeat(200), 'latin1');
    const s2 = slots.slice();
    const n2 = nums.slice();
    s2.fill(SENTINEL, b, b + FF_SLOTS);
    n2.fill(SENTINEL, numBase, numBase + FF_NUMS);
    assert.ok(locateFileFinding(msg, s2, n2, b, numBase, bytes, lead), 'locate with bytes');
    assert.deepStrictEqual([...s2.subarray(b, b + FF_SLOTS)], [...slots.subarray(b, b + FF_SLOTS)], `locate with bytes: slots of ${JSON.stringify(msg.slice(0, 200))}`);
    assert.deepStrictEqual([...n2.subarray(numBase, numBase + FF_NUMS)], [...nums.subarray(numBase, numBase + FF_NUMS)], 'locate with bytes: nums');
  }

  /** The interns saw the same calls: same memo sizes and states. */
  checkInterns(): void {
    const stats = (i: LokiIntern) => [i.paths.size, i.fileTypes.size, i.firstBytes.size, i.reasons.size, i.reasonLists.size, i.reasons.active, i.reasonLists.active];
    assert.deepStrictEqual(stats(this.parseIntern), stats(this.refIntern));
    assert.deepStrictEqual(stats(this.buildIntern), stats(this.refIntern));
  }
}

// --- generators -----------------------------------------------------------------------------------

/** Characters trim() removes, and look-alikes it keeps. */
const SPACES = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u180e', '\u200b', '\x1c', '\x85'];
/** Non-ASCII code units, among them ones whose low byte is a hex digit, and lone/paired surrogates. */
const ODD = ['é', '\u0130', '\u0161', '\u0141', '\u0231', '\u0466', 'ß', '\x10', '\x19', '\x1a', '😀', '\ud800', '\udc00', '\uffff', '\0'];

const KEYWORDS = [
  ' SCORE: 12 TYPE: ', 'SCORE: 7', ' SCORE: ', 'SUBSCORE: ', ' SUBSCORE: 40 TYPE: ', ' TYPE: ', ' SIZE: 5 ', ' SIZE: ', ' SIZE: 123456789012345 ', ' SIZE: 1234567890123456 ',
  ' FIRST_BYTES: ', ' FIRST_BYTES: -  ', ` MD5: ${HEX32}`, ` MD5: ${HEX32.toUpperCase()}`, ` MD5: ${HEX32.slice(1)}`, ` MD5: MD5: ${HEX32}`, ' MD5: ', ` SHA1: ${HEX40}`,
  ` SHA1: ${HEX40.toUpperCase()}`, ` SHA256: ${HEX64}`, ` SHA256: ${HEX64.toUpperCase()}`, ' CREATED: ', ' MODIFIED: ', ' ACCESSED: ',
  ' CREATED: Tue Dec 18 12:01:51 2018', 'REASON_1: ', ' REASON_1: ', 'REASON_2: ', 'REASON_3: ', 'REASON_02: ', 'Yara Rule MATCH: ',
  'File Name IOC matched PATTERN: ', 'Malware Hash TYPE: ', ' HASH: ', ' DESC: ', 'Levenshtein check', 'Anomaly detected', 'FILE: ',
  'ABCDEF', 'abcdef0123', '', ...SPACES, ...ODD,
  'x'.repeat(5000), 'a'.repeat(4100), ' '.repeat(300), '\u3000'.repeat(50),
];

const STEPS = [
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('ins' as const), at: fc.nat(), s: fc.string({ maxLength: 4, unit: 'binary' }) }),
  fc.record({ op: fc.constant('kw' as const), at: fc.nat(), s: fc.constantFrom(...KEYWORDS) }),
  fc.record({ op: fc.constant('del' as const), at: fc.nat(), n: fc.nat({ max: 40 }) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), n: fc.nat({ max: 200 }) }),
  fc.record({ op: fc.constant('up' as const), at: fc.nat(), n: fc.nat({ max: 160 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), s: fc.constantFrom(...SPACES, ...ODD, 'G', 'f', 'F', '0') }),
];
type Step =
  | { op: 'cut'; at: number }
  | { op: 'ins' | 'kw'; at: number; s: string }
  | { op: 'set'; at: number; s: string }
  | { op: 'del' | 'dup' | 'up'; at: number; n: number };

function mutate(msg: string, steps: Step[]): string {
  let s = msg;
  for (const o of steps) {
    const at = s.length ? o.at % (s.length + 1) : 0;
    switch (o.op) {
      case 'cut':
        s = s.slice(0, at);
        break;
      case 'ins':
      case 'kw':
        s = s.slice(0, at) + o.s + s.slice(at);
        break;
      case 'set':
        s = s.slice(0, at) + o.s + s.slice(at + 1);
        break;
      case 'del':
        s = s.slice(0, at) + s.slice(at + o.n);
        break;
      case 'dup':
        s = s.slice(0, at) + s.slice(at, at + o.n) + s.slice(at);
        break;
      case 'up':
        s = s.slice(0, at) + s.slice(at, at + o.n).toUpperCase() + s.slice(at + o.n);
        break;
    }
  }
  return s;
}

/** A real or fixture `FILE:` message with cuts, insertions, deletions, doubled spans, upper-cased spans. */
const mutatedMessage = fc.tuple(fc.constantFrom(...DISTINCT_MESSAGES), fc.array(fc.oneof(...STEPS), { maxLength: 6 })).map(([m, steps]) => mutate(m, steps as Step[]));

/** Hex of `n` digits in any case, sometimes one digit too few or too many or with one odd character. */
function hexArb(n: number): fc.Arbitrary<string> {
  const digits = fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: n, maxLength: n }).map((a) => a.join(''));
  return fc.oneof(
    { weight: 6, arbitrary: digits },
    { weight: 1, arbitrary: digits.map((h) => h.slice(1)) },
    { weight: 1, arbitrary: digits.map((h) => h + 'a') },
    { weight: 2, arbitrary: fc.tuple(digits, fc.nat({ max: n - 1 }), fc.constantFrom(...ODD, 'g', 'G', ' ', '-')).map(([h, i, c]) => h.slice(0, i) + c + h.slice(i + 1)) },
  );
}

const word = (xs: string[]) => fc.constantFrom(...xs);
const space = fc.constantFrom(' ', ' ', ' ', '', '  ', '\t', '\u3000');
const time = word(['Tue Dec 18 12:01:51 2018', 'Wed Sep  4 12:31:57 2022', 'not_available', '', ' ', 'Tue Dec 18 12:01:51 2018 ', '\u00a0x\u00a0']);

/** Bodies built from the §2.1 grammar with optional, empty, doubled and hostile parts. */
const grammarMessage = fc
  .record({
    path: word(['C:\\Windows\\x.exe', 'C:\\a SCORE: 1\\b', 'C:\\a SCORE: 5 TYPE: \\b', '/tmp/ü x', '', 'C:\\SUBSCORE: 9 TYPE: x', 'p'.repeat(4500), 'C:\\😀\\e']),
    scoreSep: word([' ', '', '  ']),
    score: fc.oneof(fc.nat({ max: 400 }).map(String), word(['0', '007', '123456789012345', '1234567890123456', ''])),
    type: word(['UNKNOWN', 'EVT Event Viewer File', '', ' ', 'X SIZE: y', 'TYPE SIZE: 12x', 'T\u3000', 'T SIZE: 1234567890123456 ']),
    size: fc.oneof(fc.nat().map(String), word(['', '123456789012345', '1234567890123456', '0'])),
    fbKey: word([' FIRST_BYTES: ', ' FIRST_BYTES:', '', ' FIRST_BYTES:  ']),
    fb: word(['-', '-  ', '4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x90D2F880>', '', 'a MD5: zz', 'a MD5:', ' MD5: ' + 'g'.repeat(32), 'f'.repeat(5000)]),
    hashes: fc.option(
      fc.tuple(
        word([' MD5: ', ' MD5:', ' MD5:  ']),
        hexArb(32),
        fc.option(fc.tuple(word([' SHA1: ', ' SHA1:']), hexArb(40), fc.option(fc.tuple(word([' SHA256: ', 'SHA256: ']), hexArb(64))))),
      ),
    ),
    times: fc.option(
      fc.tuple(
        word([' CREATED: ', ' CREATED:', '']),
        time,
        fc.option(fc.tuple(word([' MODIFIED: ', ' ACCESSED: ']), time, fc.option(fc.tuple(word([' ACCESSED: ', ' MODIFIED: ']), time)))),
      ),
    ),
    reasons: word([
      '',
      ' REASON_1: Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: - AUTHOR: a MATCHES: $s1: \'x\'',
      ' REASON_1: File Name IOC matched PATTERN: \\\\evil SUBSCORE: 60 DESC: ioc REASON_2: Yara Rule MATCH: Q SUBSCORE: 50 DESCRIPTION: x REF: -',
      'REASON_1: Malware Hash TYPE: MD5 HASH: ABC SUBSCORE: 100 DESC: x',
      ' REASON_1: ',
      ' REASON_2: Yara Rule MATCH: R',
      ' junk',
      '\u3000\u2028',
    ]),
    tail: word(['', ' ', ' x', '\ufeff']),
  })
  .map((p) => {
    let s = `FILE: ${p.path}${p.scoreSep}SCORE: ${p.score} TYPE: ${p.type} SIZE: ${p.size}${p.fbKey}${p.fb}`;
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

// --- tests ----------------------------------------------------------------------------------------

test('ff-locate: text helpers (trim set, blank tail, spaced indexOf, hexRunKind = frozen one, code-unit copy)', () => {
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(isTrimSpace(c), ch.trim() === '', `U+${c.toString(16)}`);
    assert.equal(refText.hexRunKind(`ab${ch}cd`, 0, 5), hexRunKind(`ab${ch}cd`, 0, 5), `hexRunKind U+${c.toString(16)}`);
    assert.equal(hexRunKind(`ab${ch}cd`, 1, 3), refText.hexRunKind(`ab${ch}cd`, 1, 3));
  }
  const alphabet = ['0', 'a', 'F', 'g', ' ', 'S', 'SIZE: ', 'MD5: ', 'REASON_1: ', ...SPACES, ...ODD];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), fc.nat({ max: 40 }), fc.nat({ max: 40 }), (cs, i, n) => {
      const s = cs.join('');
      assert.equal(isBlankFrom(s, i), s.slice(i).trim() === '');
      for (const w of ['SIZE: ', 'MD5: ', 'REASON_1: ', 'a']) assert.equal(indexOfSpaced(s, w, i), s.indexOf(' ' + w, i), `${JSON.stringify(s)} ${w} ${i}`);
      assert.equal(hexRunKind(s, i, n), refText.hexRunKind(s, i, n));
      const units = codeUnits(s, Math.min(s.length, i + n));
      if (units && i + n <= s.length) assert.equal(hexRunKindUnits(units, i, n), refText.hexRunKind(s, i, n));
    }),
    { seed: SEED, numRuns: RUNS * 10 },
  );
  // On bytes (an ASCII text inside a pooled Buffer, so at a byteOffset): two bytes per lookup and
  // startsWith by bytes give the string functions' answers, for every start, length and position.
  fc.assert(
    fc.property(fc.array(fc.constantFrom('0', '9', 'a', 'f', 'A', 'F', 'g', 'G', ' ', '\x10', '\x1a', '\x7f', 'SHA1: ', ' TYPE: '), { maxLength: 40 }), fc.nat({ max: 7 }), fc.nat({ max: 45 }), fc.nat({ max: 45 }), fc.integer({ min: -3, max: 50 }), (cs, lead, i, n, at) => {
      const s = cs.join('');
      const buf = Buffer.from('x'.repeat(lead) + s + 'g'.repeat(8), 'latin1');
      if (i + n <= s.length) assert.equal(hexRunKindBytes(buf, lead + i, n), refText.hexRunKind(s, i, n), `${JSON.stringify(s)} ${i} ${n}`);
      for (const w of [' TYPE: ', 'SHA1: ', 'a', '']) assert.equal(startsWithBytes(buf, lead, s.length, asciiBytes(w), at), s.startsWith(w, at), `${JSON.stringify(s)} ${JSON.stringify(w)} ${at}`);
    }),
    { seed: SEED, numRuns: RUNS * 10 },
  );
  // The copy holds the code units exactly, surrogates (paired or not) included; none past its capacity.
  const s = 'a😀\ud800b\udc00\uffff\u0130';
  const units = codeUnits(s, s.length)!;
  for (let k = 0; k < s.length; k++) assert.equal(units[k], s.charCodeAt(k));
  assert.equal(codeUnits('x'.repeat(5000), 5000), undefined);
  assert.equal(codeUnits('abc', 4), undefined);
});

test('ff-locate: every FILE message of shared/data and the fixtures: parse and locate + build equal the frozen parser', () => {
  assert.ok(FILE_MESSAGES.length >= 50, `FILE messages found: ${FILE_MESSAGES.length}`);
  const c = new Checker();
  for (const m of [...FILE_MESSAGES, ...FILE_MESSAGES]) c.check(m); // twice: the second round hits the memos
  c.checkInterns();
});

test('ff-locate: every prefix, and cut-out ranges, of every FILE message and of boundary layouts', () => {
  const c = new Checker();
  for (const m of [...EDGE_MESSAGES, ...DISTINCT_MESSAGES]) {
    // (Dense in the last 800 characters; in front of them, as in a 4,000-character path, every 37th.)
    const step = (k: number) => (k < m.length - 800 ? 37 : 1);
    for (let k = 0; k <= m.length; k += step(k)) c.check(m.slice(0, k));
    // Cut-out ranges: every third start (every start with FUZZ_RUNS >= 1000) for short ranges, every seventh for longer ones.
    for (const n of [1, 11, 40]) for (let k = 6; k + n <= m.length; k += Math.max(step(k), (n < 3 ? 3 : 7) >> (RUNS >= 1000 ? 3 : 0) || 1)) c.check(m.slice(0, k) + m.slice(k + n));
  }
  c.checkInterns();
});

test('ff-locate: mutated messages (fast-check)', () => {
  const c = new Checker();
  fc.assert(
    fc.property(fc.array(mutatedMessage, { minLength: 1, maxLength: 6 }), (msgs) => {
      for (const m of [...msgs, ...msgs]) c.check(m);
    }),
    { seed: SEED, numRuns: RUNS * 3 },
  );
  c.checkInterns();
});

test('ff-locate: bodies generated from the §2.1 grammar, then mutated (fast-check)', () => {
  const c = new Checker();
  fc.assert(
    fc.property(grammarMessage, fc.array(fc.oneof(...STEPS), { maxLength: 2 }), (m, steps) => {
      c.check(m);
      c.check(mutate(m, steps as Step[]));
    }),
    { seed: SEED, numRuns: RUNS * 5 },
  );
  c.checkInterns();
});

test('ff-locate: every truncation code, the slot layout and the row bases', () => {
  assert.deepStrictEqual(FF_TRUNC_TEXT, [
    undefined,
    'record ends after SCORE',
    'record ends inside TYPE',
    'record ends inside FIRST_BYTES',
    'no REASON_1',
    'unrecognised text after the file info',
  ]);
  const full =
    'FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 121106 FIRST_BYTES: 4d5a / <filter object at 0x03A76FB8> MD5: C0F94449E113FA3F7EB420C64108B58B SHA1: 2fc0779b5c0d560b4a085e452898b64775c9c3a6 SHA256: 348E87F7ECDB9E2D600370029A95A31DD3172D29454FCD4AFAEE8199285B0EDE CREATED: Tue Dec 18 12:01:51 2018 MODIFIED: Tue Dec 18 12:01:51 2018 ACCESSED: Wed Dec 19 12:01:51 2018 REASON_1: Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: - AUTHOR: a';
  const cases: [string, number][] = [
    ['FILE: C:\\x.exe SCORE: 70', FF_TRUNC_AFTER_SCORE],
    ['FILE: C:\\x.exe SCORE: 70 TYPE: EXE  ', FF_TRUNC_IN_TYPE],
    ['FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 5 FIRST_BYTES: 4d5a', FF_TRUNC_IN_FIRST_BYTES],
    ['FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 5 FIRST_BYTES: -  CREATED: x \u3000', FF_TRUNC_NO_REASON],
    ['FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 5 ', FF_TRUNC_NO_REASON],
    ['FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 5 junk', FF_TRUNC_UNRECOGNISED],
    [full, FF_TRUNC_NONE],
  ];
  const c = new Checker();
  for (const [m, code] of cases) {
    c.check(m);
    const s = new Int32Array(FF_SLOTS);
    const n = new Float64Array(FF_NUMS);
    assert.ok(locateFileFinding(m, s, n));
    assert.equal(s[FF_TRUNC], code, m);
  }
  const s = new Int32Array(2 * FF_SLOTS);
  const n = new Float64Array(2 * FF_NUMS);
  assert.ok(locateFileFinding(full, s, n, FF_SLOTS)); // row 1; nums row 1 by default
  assert.deepStrictEqual([n[FF_NUMS + FF_SCORE], n[FF_NUMS + FF_SIZE]], [70, 121106]);
  const at = (k: number) => s[FF_SLOTS + k];
  assert.equal(full.slice(6, at(FF_PATH_END)), 'C:\\x.exe');
  assert.equal(full.slice(at(FF_TYPE_START), at(FF_TYPE_END)), 'EXE');
  assert.equal(full.slice(at(FF_MD5), at(FF_MD5) + 6), ' MD5: ');
  assert.deepStrictEqual([at(FF_MD5_KIND), at(FF_SHA1_KIND), at(FF_SHA256_KIND)], [2, 1, 2]);
  assert.equal(full.slice(at(FF_R1), at(FF_R1) + 10), 'REASON_1: ');
  const b = buildFileFinding(full, s, n, undefined, FF_SLOTS);
  assert.equal(b.md5, 'c0f94449e113fa3f7eb420c64108b58b');
  assert.equal(b.sha256, '348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede');
  assert.deepStrictEqual([b.created, b.modified, b.accessed], ['Tue Dec 18 12:01:51 2018', 'Tue Dec 18 12:01:51 2018', 'Wed Dec 19 12:01:51 2018']);
  // Not a finding: false, the row stays as it was.
  for (const m of ['', 'FILE:', 'FILE: x', 'FILE: x SUBSCORE: 5 TYPE: y', 'FILE: x SCORE: 1234567890123456 TYPE: y', 'PROCESS: x SCORE: 5 TYPE: y']) {
    const before = Int32Array.from(s);
    assert.equal(locateFileFinding(m, s, n, FF_SLOTS), false, m);
    assert.deepStrictEqual(s, before);
    assert.equal(parseFileFinding(m), undefined);
  }
});

test('ff-locate: fileFindingReasons shares one array per tail through the intern, also between build and parse', () => {
  const msgs = FILE_MESSAGES.filter((m) => ref.parseFileFinding(m)?.reasons.length);
  assert.ok(msgs.length >= 10);
  const intern = new LokiIntern();
  const s = new Int32Array(FF_SLOTS);
  const n = new Float64Array(FF_NUMS);
  for (const m of msgs) {
    assert.ok(locateFileFinding(m, s, n));
    const r1 = s[FF_R1];
    const a = fileFindingReasons(m, r1, intern);
    assert.deepStrictEqual(a, ref.parseFileFinding(m)!.reasons);
    assert.equal(fileFindingReasons(m, r1, intern), a); // same array object
    assert.equal(buildFileFinding(m, s, n, intern).reasons, a);
    assert.equal(parseFileFinding(m, intern)!.reasons, a);
    // Another message with the same tail shares it too.
    const other = 'FILE: other SCORE: 1 TYPE: T SIZE: 2 FIRST_BYTES: - ' + m.slice(r1);
    assert.equal(parseFileFinding(other, intern)!.reasons, a);
    // Without an intern: a fresh, equal array each time.
    const fresh = fileFindingReasons(m, r1);
    assert.notEqual(fresh, a);
    assert.deepStrictEqual(fresh, a);
  }
});
