/**
 * The Loki path pool (src/core/parse/loki-intern.ts `PathPool`): paths looked up by their FNV-1a
 * hash straight from a line's bytes (columnar file findings) or as strings (object rows), one
 * string per distinct path, bounded work per lookup whatever the hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LokiIntern, MAX_MEMO_KEY_CHARS, PATH_PROBES, PathPool, pathHash, pathHashBytes } from '../../src/core/parse/loki-intern';
import { parseLokiFileColumnar } from '../../src/core/parse/loki';
import { MessageReader } from '../../src/core/parse/loki-store';

const SHARED = join(__dirname, '../../../../shared/data/loki/real-2021-2022');

/** `text` as latin1 bytes at `at` inside a larger buffer (as a path sits inside a log line). */
function inLine(text: string, at = 17): Buffer {
  const b = Buffer.alloc(at + text.length + 9, 0x2e);
  b.write(text, at, 'latin1');
  return b;
}

test('path pool: equal bytes anywhere give one string; it equals the decoded text', () => {
  const pool = new PathPool(100, 4096, 0);
  const p = 'C:\\Windows\\System32\\drivers\\etc\\hosts';
  const b1 = inLine(p, 3);
  const b2 = inLine(p, 40);
  const h = pathHashBytes(b1, 3, 3 + p.length);
  assert.equal(h, pathHash(p), 'bytes and string hash alike for an ASCII path');
  const s1 = pool.fromBytes(b1, 3, 3 + p.length, h);
  const s2 = pool.fromBytes(b2, 40, 40 + p.length, h);
  assert.equal(s1, p);
  assert.equal(s2, p);
  assert.equal(pool.size, 1, 'the second lookup found the first (JavaScript cannot compare string identity; the count shows it)');
  // The string side shares the same entry (object rows and columnar rows of one run).
  assert.equal(pool.text(p.slice(0), pathHash(p)), s1);
  assert.equal(pool.size, 1);
  // Same length, one byte different: another path.
  const q = p.replace('hosts', 'hostz');
  const s3 = pool.fromBytes(inLine(q), 17, 17 + q.length, pathHash(q));
  assert.equal(s3, q);
  assert.equal(pool.size, 2);
});

test('path pool: equal hashes of different paths are told apart; at most PATH_PROBES slots per lookup', () => {
  const pool = new PathPool(1000, 4096, 0);
  const h = 0x1234567; // every path below claims this hash (a crafted FNV-1a collision set)
  const paths = Array.from({ length: 3 * PATH_PROBES }, (_, i) => `C:\\Users\\u\\AppData\\Local\\Temp\\${String(i).padStart(4, '0')}.tmp`);
  const first = paths.map((p) => pool.fromBytes(inLine(p), 17, 17 + p.length, h));
  assert.deepEqual(first, paths);
  assert.equal(pool.size, PATH_PROBES, 'only the slots one lookup may visit are filled');
  for (let i = 0; i < paths.length; i++) assert.equal(pool.fromBytes(inLine(paths[i]), 17, 17 + paths[i].length, h), paths[i]);
  assert.equal(pool.size, PATH_PROBES, 'looked up again: found or left out, never added past the probes');
  // Same for strings.
  const t = new PathPool(1000, 4096, 0);
  for (const p of paths) assert.equal(t.text(p, h), p);
  assert.equal(t.size, PATH_PROBES);
});

test('path pool: limit, hit-rate switch-off and long paths', () => {
  const pool = new PathPool(4, 4096, 0);
  for (let i = 0; i < 10; i++) {
    const p = `D:\\x\\${i}`;
    pool.fromBytes(inLine(p), 17, 17 + p.length, pathHash(p));
  }
  assert.equal(pool.size, 4);

  // Every lookup a miss: off after the first window, and nothing is kept any more.
  const unique = new PathPool(1000, 16, 0.2);
  for (let i = 0; i < 16; i++) {
    const p = `E:\\${i}`;
    unique.text(p, pathHash(p));
  }
  assert.equal(unique.size, 0);
  assert.equal(unique.text('E:\\1', pathHash('E:\\1')), 'E:\\1');
  assert.equal(unique.size, 0);

  const long = 'F:\\' + 'a'.repeat(MAX_MEMO_KEY_CHARS);
  const lp = new PathPool();
  assert.equal(lp.fromBytes(inLine(long), 17, 17 + long.length, pathHash(long)), long);
  assert.equal(lp.text(long, pathHash(long)), long);
  assert.equal(lp.size, 0);
});

test('path pool: the real Loki logs parse to the same paths with one string per distinct path', async () => {
  const intern = new LokiIntern();
  const reader = new MessageReader();
  const byText = new Map<string, string>();
  let files = 0;
  let rows = 0;
  for (const f of readdirSync(SHARED)) {
    const r = await parseLokiFileColumnar(join(SHARED, f), reader, { intern });
    files++;
    for (const x of r.findings) {
      if (x.path === undefined) continue;
      rows++;
      byText.set(x.path, x.path);
    }
    // Every path is the text between `FILE: ` and ` SCORE:` of its line.
    const text = readFileSync(join(SHARED, f), 'latin1');
    for (const x of r.findings) if (x.path !== undefined) assert.ok(text.includes(`FILE: ${x.path} SCORE:`), `${f}: ${x.path}`);
  }
  assert.ok(files >= 2 && rows >= 19, `${files} files, ${rows} file findings`);
  // Each distinct path pooled once (none of these logs has more than the pool holds).
  assert.equal(intern.paths.size, byText.size);
});
