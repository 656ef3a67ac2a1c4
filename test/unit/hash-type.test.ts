/**
 * One rule for the type of a file hash (hashTypeOf in analyze/hash-tally): the hash view's `type` and the Rules
 * table's `IOC <type> <hash>` description of a hash IOC both come from it. Real input: the shared Loki scan whose
 * hash IOC matched a SHA1 (scan_result (1).log, `Malware Hash TYPE: SHA1 HASH: 66178d4a…`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { hashTypeOf } from '../../src/core/analyze/hash-tally';
import { ruleCells } from '../../src/core/analyze/loki-summary';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (1).log');
const SHA1 = '66178d4a9279ebb1cd1eb79c10dc204b4199f061';

test('hashTypeOf: MD5, SHA1, SHA256 by the number of hex digits, undefined for any other length', () => {
  assert.equal(hashTypeOf('d41d8cd98f00b204e9800998ecf8427e'), 'MD5');
  assert.equal(hashTypeOf(SHA1), 'SHA1');
  assert.equal(hashTypeOf('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), 'SHA256');
  assert.equal(hashTypeOf('abc'), undefined);
  assert.equal(hashTypeOf(''), undefined);
});

test('the hash IOC of a real scan: Rules description and the hash view name the same type (SHA1)', async () => {
  const a = await runLokiAnalysis([REAL]);
  const rule = a.rules.find((r) => r.kind === 'hash-ioc' && r.rule === SHA1);
  assert.ok(rule, 'the hash IOC rule');
  assert.equal(ruleCells(rule).description, `IOC SHA1 ${SHA1}`);
  assert.equal(ruleCells({ rule: 'abc', kind: 'hash-ioc', name: 'Hash IOC: x' }).description, 'IOC hash abc');
  for (const h of a.hashes) assert.equal(h.type, hashTypeOf(h.hash), h.hash);
  assert.ok(a.hashes.length > 0);
});
