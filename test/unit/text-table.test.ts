/**
 * The CLI's plain-text tables (src/core/cli-support.ts `textTable`, used by the loki, qradar and beacons reports).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_TABLE_CELL, textTable } from '../../src/core/cli-support';

describe('CLI text tables', () => {
  it('aligns columns (right-aligned numbers, last column unpadded) as the reports always did', () => {
    const t = textTable(['COUNT', 'RULE', 'PATH'], [['7', 'Webshell', 'C:\\x.aspx'], ['12', 'A', 'D:\\y']], [true, false, false]);
    assert.equal(t, 'COUNT  RULE      PATH\n    7  Webshell  C:\\x.aspx\n   12  A         D:\\y\n');
  });

  it('one line per row: newlines, escapes and bidi controls inside log text are escaped', () => {
    const t = textTable(['A', 'B'], [['x\ny', '\u001b[31mred\u202e']], [false, false]);
    assert.equal(t, 'A         B\nx\\u000ay  \\u001b[31mred\\u202e\n');
  });

  it('huge hostile cells are cut (the report of 20 rows with a 40 M-character path no longer exceeds V8’s string limit)', () => {
    const huge = 'p'.repeat(40_000_000);
    const rows = Array.from({ length: 20 }, (_, i) => [String(i), huge, 'x']);
    const t = textTable(['N', 'PATH', 'RULE'], rows, [true, false, false]);
    const lines = t.trimEnd().split('\n');
    assert.equal(lines.length, 21);
    assert.equal(lines[1], ` 0  ${'p'.repeat(MAX_TABLE_CELL - 1)}…  x`);
    // a cell whose escapes make it longer than the limit is cut too, never inside the limit
    const esc = textTable(['A'], [['\u0007'.repeat(MAX_TABLE_CELL)]], [false]).split('\n')[1];
    assert.equal(esc.length, MAX_TABLE_CELL);
    assert.ok(esc.endsWith('…') && esc.startsWith('\\u0007'));
  });
});
