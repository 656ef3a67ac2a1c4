/**
 * Hostile review of the CSV export: formula characters behind leading white space (Google Sheets and
 * spreadsheets importing with "trim spaces" drop it), and the full-width forms an IME types
 * (＝ ＋ － ＠, which East Asian Excel reads as the ASCII ones), are neutralised like a bare `=`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';

test('white space before a formula character does not hide it', () => {
  for (const c of [' =1+1', '  +1+1', '\u00a0=1+1', '\u3000=1+1', '\u200b=1+1', '\ufeff@SUM(A1)', ' \t=1', '\u2003-2+3'])
    assert.equal(neutralizeCell(c), `'${c}`, JSON.stringify(c));
});

test('full-width formula characters are neutralised', () => {
  for (const c of ['＝HYPERLINK("http://x")', '＋1', '－1+1', '＠SUM(A1)', ' ＝1']) assert.equal(neutralizeCell(c), `'${c}`, JSON.stringify(c));
});

test('after a ";" (Excel with ";" as list separator) and a line break, the same', () => {
  assert.equal(neutralizeCell('foo;\u00a0=1+1'), "foo;\u00a0'=1+1");
  assert.equal(neutralizeCell('foo;＝1+1'), "foo;'＝1+1");
  assert.equal(toCsv([], [['a\n\u3000=1+1']]), `"a\n\u3000'=1+1"\r\n`);
});

test('ordinary text with spaces is unchanged', () => {
  for (const c of [' leading space', 'a = b', 'x - y', ' 42', 'trailing space ', '全角テキスト', ' ']) assert.equal(neutralizeCell(c), c, JSON.stringify(c));
});
