/**
 * Hostile review of the CSV export: formula characters behind leading white space (Google Sheets and
 * spreadsheets importing with "trim spaces" drop it), and the full-width forms an IME types
 * (＝ ＋ － ＠, which East Asian Excel reads as the ASCII ones), are neutralised like a bare `=`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';

test('white space before a formula character does not hide it', () => {
  for (const c of [' =1+1', '  +1+1', '\u00a0=1+1', '\u3000=1+1', ' \t=1', '\u2003-2+3'])
    assert.equal(neutralizeCell(c), `'${c}`, JSON.stringify(c));
  // zero-width space and BOM are written as \u200b / \ufeff text (visible): the cell then starts with a backslash
  assert.equal(neutralizeCell('\u200b=1+1'), '\\u200b=1+1');
  assert.equal(neutralizeCell('\ufeff@SUM(A1)'), '\\ufeff@SUM(A1)');
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

test('a file written with another delimiter (";", TAB, "|"): a formula character after a "," in a cell is neutralised', () => {
  // the "," is not quoted in such a file, and Excel with "," as list separator (US, UK) starts a cell at it
  for (const delimiter of [';', '\t', '|'])
    assert.equal(toCsv([], [['x', 'foo,=1+1', 'bar, @SUM(1)']], { delimiter }), ['x', "foo,'=1+1", "bar, '@SUM(1)"].join(delimiter) + '\r\n', JSON.stringify(delimiter));
  assert.equal(neutralizeCell('bar, @SUM(1)', ';'), "bar, '@SUM(1)");
  assert.equal(neutralizeCell('a, b - c', '\t'), 'a, b - c');
  // with "," as the delimiter such a cell is quoted (read whole): written as it is
  assert.equal(neutralizeCell('foo,=1+1'), 'foo,=1+1');
  assert.equal(toCsv([], [['foo,=1+1']]), '"foo,=1+1"\r\n');
});

test('tz convert of a ";" file keeps its delimiter and neutralises "x,=1+1" (the real path: readNormalizeInput → renderNormalized)', async () => {
  const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { main } = await import('../../src/cli/cli');
  const { capture } = await import('./cli-capture');
  const dir = mkdtempSync(join(tmpdir(), 'soc-csv-formula-'));
  try {
    writeFileSync(join(dir, 'in.csv'), 'time;msg\n2024-01-01T00:00:00Z;x,=cmd|\' /C calc\'!A0\n2024-01-01T00:00:00Z;plain, text\n');
    const c = capture();
    assert.equal(await main(['tz', 'convert', join(dir, 'in.csv'), '--to', 'UTC', '--out', join(dir, 'out.csv')], c.io), 0, c.err());
    assert.equal(
      readFileSync(join(dir, 'out.csv'), 'utf8'),
      "time;msg;time_normalized;time_tz_flag\r\n2024-01-01T00:00:00Z;x,'=cmd|' /C calc'!A0;2024-01-01T00:00:00Z;\r\n2024-01-01T00:00:00Z;plain, text;2024-01-01T00:00:00Z;\r\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
