/**
 * Second hostile-input review (tagging rules file, CSV export): each test is a defect the review
 * found, kept as a regression test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTaggingFile } from '../../src/core/analyze/kpi-run';
import { scanJson } from '../../src/core/analyze/json-locate';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';

const dir = mkdtempSync(join(tmpdir(), 'hostile2-'));
let n = 0;
function rulesFile(content: string | Buffer): string {
  const f = join(dir, `tagging-${++n}.json`);
  writeFileSync(f, content);
  return f;
}

test('hostile2: CSV — a formula after a line break inside a cell is neutralised (Excel with ";" ends the record there)', () => {
  // In a ';' locale Excel reads the ','-file line `a,"x` as ONE field (the quote is not at a field
  // start), so the line break inside the cell ends the record and `=1+1` starts the next one.
  assert.equal(neutralizeCell('x\n=1+1;'), "x\n'=1+1;");
  assert.equal(neutralizeCell("x\r\n=cmd|' /C calc'!A0;"), "x\r\n'=cmd|' /C calc'!A0;");
  assert.equal(neutralizeCell('x\r+1;'), "x\r'+1;");
  assert.equal(neutralizeCell('x\n "@SUM(1);'), 'x\n "\'@SUM(1);');
  assert.equal(neutralizeCell('x;\n=1'), "x;'\n'=1");
  // a CRLF is one line break: nothing between its CR and LF; plain text after a line break unchanged
  assert.equal(neutralizeCell('a\r\nb\n\nc'), 'a\r\nb\n\nc');
  assert.equal(neutralizeCell('a\r\n\r\n-1'), "a\r\n\r\n'-1");
  assert.equal(toCsv([], [['a', 'x\n=1+1;']]), 'a,"x\n\'=1+1;"\r\n');
});
