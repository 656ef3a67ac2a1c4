import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const SMALL = join(ROOT, 'test/fixtures/cases/kpi-small.csv'); // 10 cases
const AS_OF = Date.UTC(2026, 2, 10, 12);

test('kpi <folder> <file inside it>, in either order: each case read once, the second path skipped as already listed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-dup-'));
  try {
    const file = join(dir, 'cases.csv');
    cpSync(SMALL, file);
    for (const order of [[dir, file], [file, dir]]) {
      const c = capture();
      assert.equal(await main(['kpi', ...order, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], c.io), 0, c.err());
      const doc = JSON.parse(c.out());
      assert.equal(doc.cases, 10, `order ${order.join(' ')}`);
      assert.deepEqual(doc.files, [file]);
      assert.deepEqual(doc.skipped, [{ file, reason: 'already listed (read once: the same file was named and found in a folder given, or given twice)' }]);
    }
    // said in a note
    const a = await runKpiAnalysis([dir, file], { asOf: AS_OF });
    assert.match(a.input.notes[0], /^1 file skipped — already listed \(read once/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
