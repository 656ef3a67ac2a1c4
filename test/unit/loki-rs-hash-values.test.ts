/**
 * Loki-RS JSONL hash values are checked as the Python Loki parser checks its `MD5:` / `SHA1:` / `SHA256:` fields:
 * trimmed, lower-cased, 32 / 40 / 64 hex digits, else left out of the finding with a warning on its line. Built from
 * the Loki-RS JSONL fixture (test/fixtures/loki, Loki-RS field layout of §3.2) with its file_match copied under other
 * paths and with hostile `sha256` values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { parseLokiText } from '../../src/core/parse/loki';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/loki/loki_build-srv-07_2026-02-03_10-40-00.jsonl');
const SHA256 = '9b7afc227d1d3efa11b7e3f635e9bb8361b14538103b7ba516b6f1e7ffc31541';

/** The fixture with its file_match repeated (other paths) carrying each `sha256` of `values`, before the scan end. */
function craft(values: unknown[]): string {
  const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim());
  const match = JSON.parse(lines.find((l) => l.includes('"file_match"'))!) as Record<string, unknown>;
  const extra = values.map((v, i) => JSON.stringify({ ...match, file_path: `/opt/ci/cache/tools/copy-${i}.so`, sha256: v }));
  const end = lines.findIndex((l) => l.includes('"scan_end"'));
  return [...lines.slice(0, end), ...extra, ...lines.slice(end)].join('\n') + '\n';
}

test('Loki-RS JSONL: sha256 "abc", " ", 64 × "z" and the real hash plus a space: one hash row, warnings on their lines', async () => {
  const text = craft(['abc', ' ', 'z'.repeat(64), `${SHA256} `, ` ${SHA256.toUpperCase()}`]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-rs-hash-'));
  const file = path.join(dir, 'loki_build-srv-07_2026-02-03_10-40-00.jsonl');
  fs.writeFileSync(file, text);
  const a = await runLokiAnalysis([dir]);
  // the real hash once, with its findings: the original, the trailing-space and the upper-case copies; the three bad
  // values' findings keep their MD5 and SHA1, so their strongest hash is the SHA1
  assert.deepEqual(
    a.hashes.map((h) => [h.hash, h.type, h.count]),
    [
      [SHA256, 'SHA256', 3],
      ['9dcb6a6fdffad290809808f5ed351b4348256430', 'SHA1', 3],
    ],
  );
  assert.equal(a.hashesTotal, 2);
  // every finding is kept (1 original + 5 copies + the process match); the bad values only lose their SHA256
  assert.equal(a.findings.length, 7);
  const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const bad = (a.warnings ?? []).filter((w) => w.message.startsWith('invalid hash'));
  assert.deepEqual(
    bad.map((w) => [path.basename(w.file), w.line, w.message]),
    [
      [path.basename(file), lineOf('copy-0.so'), 'invalid hash: SHA256 "abc" is not 64 hex digits: the finding is kept without it'],
      [path.basename(file), lineOf('copy-1.so'), 'invalid hash: SHA256 " " is not 64 hex digits: the finding is kept without it'],
      [path.basename(file), lineOf('copy-2.so'), `invalid hash: SHA256 "${'z'.repeat(64)}" is not 64 hex digits: the finding is kept without it`],
    ],
  );
});

test('Loki-RS JSONL: a bad MD5 / SHA1 leaves the good SHA256; a non-string hash is a warning; many bad values are counted in one', () => {
  const text = craft([SHA256]).replaceAll('"md5":"1e94b5d4a2f74d8fa9baa40870d53b86"', '"md5":"1e94b5d4a2f74d8fa9baa40870d53b8"').replaceAll('"sha1":"9dcb6a6fdffad290809808f5ed351b4348256430"', '"sha1":12345');
  const r = parseLokiText(text, 'x.jsonl');
  const lines = text.split('\n');
  const [l1, l2] = [lines.findIndex((l) => l.includes('libcrypt-compat')) + 1, lines.findIndex((l) => l.includes('copy-0.so')) + 1];
  const f = r.findings.filter((x) => x.kind === 'file');
  assert.deepEqual(f.map((x) => [x.md5, x.sha1, x.sha256]), [[undefined, undefined, SHA256], [undefined, undefined, SHA256]]);
  assert.deepEqual(r.warnings.filter((w) => w.message.startsWith('invalid hash')).map((w) => [w.line, w.message]), [
    [l1, 'invalid hash: MD5 "1e94b5d4a2f74d8fa9baa40870d53b8" is not 32 hex digits: the finding is kept without it'],
    [l1, 'invalid hash: SHA1 12345 is not 40 hex digits: the finding is kept without it'],
    [l2, 'invalid hash: MD5 "1e94b5d4a2f74d8fa9baa40870d53b8" is not 32 hex digits: the finding is kept without it'],
    [l2, 'invalid hash: SHA1 12345 is not 40 hex digits: the finding is kept without it'],
  ]);
  const many = parseLokiText(craft(Array.from({ length: 30 }, (_, i) => `bad-${i}`)), 'y.jsonl');
  const w = many.warnings.filter((x) => /invalid hash/.test(x.message));
  assert.equal(w.length, 21);
  assert.deepEqual([w[20].line, w[20].message], [0, '10 more invalid hashes left out of their findings (not listed; 30 in all)']);
});
