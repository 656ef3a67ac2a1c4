/**
 * Hostile review, round 6: findings verified by running the real code, each with the values it must give.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCases } from '../../src/core/parse/cases';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile6-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const SAMPLE = join(__dirname, '../../../test/fixtures/cases/kpi-small.csv');

describe('case files: a record of blank fields is no case, a short record is said', () => {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l !== '');
  test('`,,,,` and a line of spaces are reported at their lines, not counted as open unassigned cases', async () => {
    const f = join(TMP, 'cases-blank.csv');
    // the sample's 10 cases, with a row of empty fields (as a spreadsheet leaves them) and a line of spaces between
    writeFileSync(f, [...lines.slice(0, 6), ',,,,,,,,,', '   ', ...lines.slice(6)].join('\n') + '\n');
    const input = await readCases([f]);
    assert.equal(input.cases.length, 10);
    assert.deepEqual(input.cases.map((c) => c.id), ['C-1', 'C-2', 'C-3', 'C-4', 'C-5', 'C-6', 'C-7', 'C-8', 'C-9', 'C-10']);
    assert.deepEqual(
      input.errors.map((e) => [e.line, e.message]),
      [
        [7, 'empty record (every field blank): not a case, skipped'],
        [8, 'empty record (every field blank): not a case, skipped'],
      ],
    );
  });
  test('a record with fewer fields than the header is kept and named at its line', async () => {
    const f = join(TMP, 'cases-short.csv');
    writeFileSync(f, [...lines.slice(0, 6), 'C-99,Short row', ...lines.slice(6)].join('\n') + '\n');
    const input = await readCases([f]);
    assert.equal(input.cases.length, 11);
    const c = input.cases.find((x) => x.id === 'C-99');
    assert.equal(c?.title, 'Short row');
    assert.equal(c?.created, undefined);
    assert.deepEqual(input.errors.map((e) => [e.line, e.message]), [[7, 'record has 2 fields, header has 10: the missing fields are read as empty']]);
  });
});
