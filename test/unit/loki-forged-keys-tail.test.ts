/**
 * The forged-keys check of a columnar `FILE:` finding (laterScoreKeyOfFile) reads a repeated reasons tail once: the
 * tail's answer is kept by its reasons array (LokiIntern.tailLater) and only the text before `REASON_1: ` is searched
 * again. It must give exactly laterScoreKey(msg, pathEnd + 8), the full search it replaces: on every `FILE:` message
 * of the real logs (shared/data) and on generated bodies that forge the keys in the path, before `REASON_1: `, in
 * repeated tails, at the tail's first places (the `SUB` look-back), and with digit runs around the 15-digit limit.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LokiIntern } from '../../src/core/parse/loki-intern';
import { FF_NUMS, FF_PATH_END, FF_R1, FF_SLOTS, fileFindingReasons, laterScoreKey, laterScoreKeyOfFile, locateFileFinding } from '../../src/core/parse/python-messages';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-forged-tail-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

interface Tally {
  checked: number;
  /** Later keys found, by where: before `REASON_1: `, in a tail (searched / kept from an earlier finding), no REASON_1. */
  head: number;
  tailSearched: number;
  tailKept: number;
  noReasons: number;
  differences: string[];
}

/** Runs both checks on `msg` as storeFileFinding does (one intern for a whole sequence of messages). */
function check(intern: LokiIntern, msg: string, t: Tally): void {
  const sl = new Int32Array(FF_SLOTS);
  const nu = new Float64Array(FF_NUMS);
  if (!locateFileFinding(msg, sl, nu, 0, 0)) return;
  const pathEnd = sl[FF_PATH_END];
  const r1 = sl[FF_R1];
  const size = intern.reasonLists.size;
  const reasons = r1 >= 0 ? fileFindingReasons(msg, r1, intern, true) : [];
  const known = intern.tailLater.has(reasons);
  const got = laterScoreKeyOfFile(msg, pathEnd, r1, reasons, intern, intern.reasonLists.size !== size);
  const want = laterScoreKey(msg, pathEnd + 8);
  t.checked++;
  if (got !== want) t.differences.push(`${want} ≠ ${got}: ${msg}`);
  if (want < 0) return;
  if (r1 < 0) t.noReasons++;
  else if (want < r1) t.head++;
  else if (known) t.tailKept++;
  else t.tailSearched++;
}

const tally = (): Tally => ({ checked: 0, head: 0, tailSearched: 0, tailKept: 0, noReasons: 0, differences: [] });

test('laterScoreKeyOfFile = laterScoreKey on every FILE message of the real logs', () => {
  const t = tally();
  let messages = 0;
  for (const f of fs.readdirSync(REAL).sort()) {
    const intern = new LokiIntern();
    for (const line of fs.readFileSync(path.join(REAL, f), 'latin1').split(/\r?\n/)) {
      const i = line.indexOf('FILE: ');
      if (i < 0) continue;
      messages++;
      check(intern, line.slice(i), t);
    }
  }
  assert.equal(messages, 19);
  assert.equal(t.checked, 19);
  assert.deepEqual(t.differences, []);
  assert.equal(t.head + t.tailSearched + t.tailKept + t.noReasons, 0); // real findings have one total SCORE
});

test('laterScoreKeyOfFile = laterScoreKey on 40,000 generated bodies (heads and tails repeated, keys forged)', () => {
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const digits = () => '1234567890123456789'.slice(0, pick([0, 1, 2, 3, 14, 15, 16, 20]));
  const bits = ['SCORE: ', 'SUBSCORE: ', 'SCORE: 7 TYPE: ', 'SUBSCORE: 7 TYPE: ', ' TYPE: ', 'TYPE: ', 'SCORE:', ' ', 'x', 'SUB', 'REASON_1: ', 'REASON_2: ', 'Yara Rule MATCH: R ', 'SIZE: 5 ', '1: '];
  const junk = () => {
    let s = '';
    for (let k = Math.floor(rnd() * 6); k > 0; k--) s += pick(bits) + (rnd() < 0.5 ? digits() : '');
    return s;
  };
  const tails: string[] = [];
  for (let i = 0; i < 150; i++) tails.push(`${junk()}Yara Rule MATCH: R${i} SUBSCORE: ${digits() || '70'} ${junk()}${rnd() < 0.3 ? ` REASON_2: ${junk()}` : ''}`);
  const heads: string[] = [];
  for (let i = 0; i < 40; i++) heads.push(`TYPE: EXE SIZE: 1 FIRST_BYTES: ${junk()} / ${junk()} MD5: d41d8cd98f00b204e9800998ecf8427e ${junk()}`);
  const intern = new LokiIntern();
  const t = tally();
  for (let i = 0; i < 40_000; i++) {
    const p = rnd() < 0.1 ? `/tmp/a ${junk()}` : `/tmp/f${i % 97}`;
    const score = pick(['0', '70', '140', '123456789012345']);
    // one in twenty without REASON_1 (the whole rest is searched)
    const body = rnd() < 0.05 ? `FILE: ${p} SCORE: ${score} ${pick(heads)}` : `FILE: ${p} SCORE: ${score} ${pick(heads)} REASON_1: ${pick(tails)}`;
    check(intern, body, t);
  }
  assert.deepEqual(t.differences.slice(0, 3), []);
  assert.ok(t.checked > 35_000, String(t.checked));
  // every way of finding a later key was taken, many times
  for (const k of ['head', 'tailSearched', 'tailKept', 'noReasons'] as const) assert.ok(t[k] >= 20, `${k}: ${t[k]}`);
  assert.ok(intern.tailLater.size <= intern.reasonLists.size);
});

test('a repeated tail with a forged key warns at every line (the second time from the kept answer)', async () => {
  const forged = 'Yara Rule MATCH: Benign SUBSCORE: 0 DESCRIPTION: ok SCORE: 140 TYPE: EXE';
  const line = (n: number) =>
    `20250312T03:44:1${n}Z,web01,ALERT,FileScan,FILE: /tmp/a${n} SCORE: 0 TYPE: TXT SIZE: 1 MD5: eb64742c8a91693e57b92f7b61f2b49a REASON_1: ${forged}\n`;
  const f = path.join(TMP, 'repeated.csv');
  fs.writeFileSync(f, line(1) + line(2) + line(3));
  const c = capture();
  assert.equal(await main(['loki', f, '--json'], c.io), 0, c.err());
  const doc = JSON.parse(c.out()) as { warnings: { line: number; message: string }[]; findings: unknown[] };
  assert.equal(doc.findings.length, 3);
  assert.deepEqual(
    doc.warnings.map((w) => [w.line, w.message.slice(0, 74)]),
    [1, 2, 3].map((n) => [n, `file finding with two SCORE keys: read as path "/tmp/a${n}", but "SCORE: 140"`]),
  );
});
