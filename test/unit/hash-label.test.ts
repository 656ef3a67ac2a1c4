/**
 * The hash cut of chart labels (src/shared/hash-label.ts): a YARA rule named after a hash is cut inside the hash,
 * its first and last digits and the name around it kept (UI trial: two hash-named rules looked alike on the
 * Loki dashboard's top rules chart). Widths: 7 units a character (a monospace stand-in for the canvas).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutHashLabel } from '../../src/shared/hash-label';

const w = (t: string) => 7 * [...t].length;
const SHA256 = '2133a0f6cbe82b715aec0aecb56c5d6e1b5e5a3ff87c0aa9acd98c8a733a0f6c';

test('hash label: a SHA256-named rule keeps the hash start and end, the digits shared out', () => {
  assert.equal(SHA256.length, 64);
  // 21 characters of room: 20 digits and the ellipsis, 10 at each end
  assert.equal(cutHashLabel(SHA256, 7 * 21, w), '2133a0f6cb…8a733a0f6c');
  // odd room: the start takes the extra digit
  assert.equal(cutHashLabel(SHA256, 7 * 12, w), '2133a0…a0f6c');
});

test('hash label: the name around the hash stays whole (prefix, suffix), the cut is inside the hash', () => {
  const rule = `SUSP_Hash_${SHA256}_exe`;
  const out = cutHashLabel(rule, 7 * 30, w);
  // 16 characters left beside the name: 15 digits (8 + 7) and the ellipsis
  assert.equal(out, 'SUSP_Hash_2133a0f6…33a0f6c_exe');
  assert.equal(w(out!), 7 * 30);
  // two rules named after two samples whose hashes share a long start: told apart by the kept end
  const other = `SUSP_Hash_${SHA256.slice(0, 40)}ffffffffffffffffffffffff_exe`;
  assert.notEqual(cutHashLabel(other, 7 * 30, w), out);
  assert.equal(cutHashLabel(other, 7 * 30, w), 'SUSP_Hash_2133a0f6…fffffff_exe');
});

test('hash label: MD5 and SHA1 count as hashes; shorter hex runs, hex inside a word and labels that fit are left to the caller', () => {
  const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
  assert.equal(cutHashLabel(`MAL_${md5}`, 7 * 16, w), 'MAL_d41d8c…8427e');
  assert.equal(cutHashLabel(`da39a3ee5e6b4b0d3255bfef95601890afd80709.exe`, 7 * 16, w), 'da39a3…80709.exe');
  assert.equal(cutHashLabel('APT_MAL_Sandworm_Exaramel_Socket_Path', 7 * 10, w), undefined);
  assert.equal(cutHashLabel(`x${md5}`, 7 * 12, w), undefined);
  assert.equal(cutHashLabel('deadbeefcafe_short_hex', 7 * 10, w), undefined);
  assert.equal(cutHashLabel(`MAL_${md5}`, 7 * 100, w), `MAL_${md5}`);
  // too little room for 4 digits at each end beside the name: the caller's usual cut
  assert.equal(cutHashLabel(`SUSP_Hash_${SHA256}`, 7 * 15, w), undefined);
});
