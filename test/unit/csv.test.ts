import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { csvChunks, neutralizeCell, toCsv } from '../../src/core/export/csv';

test('RFC 4180 quoting, CRLF records', () => {
  const csv = toCsv(['a', 'b', 'c'], [
    ['plain', 'with,comma', 'with "quote"'],
    ['line\nbreak', 'cr\rhere', ''],
    [1, null, undefined],
  ]);
  assert.equal(
    csv,
    'a,b,c\r\n' + 'plain,"with,comma","with ""quote"""\r\n' + '"line\nbreak","cr\rhere",\r\n' + '1,,\r\n',
  );
});

test('formula neutralisation (OWASP): = + - @ TAB CR get a leading apostrophe', () => {
  assert.equal(neutralizeCell('=1+2'), "'=1+2");
  assert.equal(neutralizeCell('+cmd'), "'+cmd");
  assert.equal(neutralizeCell('-2+3'), "'-2+3");
  assert.equal(neutralizeCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(neutralizeCell('\tx'), "'\tx");
  assert.equal(neutralizeCell('\rx'), "'\rx");
  assert.equal(neutralizeCell('a=b'), 'a=b');
  // Excel with ';' as list separator starts a cell after every ';' of a line, quoted or not
  assert.equal(neutralizeCell('foo;=1+1'), "foo;'=1+1");
  assert.equal(neutralizeCell('a;b;  "=cmd|\' /C calc\'!A0";x'), 'a;b;  "\'=cmd|\' /C calc\'!A0";x');
  assert.equal(neutralizeCell('=a;@b;-c;+d;\te'), "'=a;'@b;'-c;'+d;'\te");
  assert.equal(neutralizeCell('a; b=c;d'), 'a; b=c;d');
  assert.equal(neutralizeCell('C:\\x;y'), 'C:\\x;y');
  assert.equal(neutralizeCell(5), '5');
  assert.equal(neutralizeCell(0), '0');
  assert.equal(neutralizeCell(-0), '0');
  // a negative number as the text '-5': with ';' as list separator `-5,1+cmd|…` is one field, a formula
  assert.equal(neutralizeCell(-5), "'-5");
  assert.equal(neutralizeCell(-0.25), "'-0.25");
  assert.equal(neutralizeCell('-5'), "'-5");
  assert.equal(neutralizeCell(NaN), '');
  assert.equal(neutralizeCell(null), '');
  assert.equal(toCsv(['=H'], [['=HYPERLINK("http://x","y")']]), `'=H\r\n"'=HYPERLINK(""http://x"",""y"")"\r\n`);
});

test('round trip through csv-parse', () => {
  const header = ['Path', 'Rule', 'Note', '=formula header'];
  const rows = [
    ['C:\\Users\\a b\\x.exe', 'R1, R2', 'say "hi", ok', 'x'],
    ['multi\nline\r\nvalue', '-cmd', '@at', '+plus'],
    ['\ttab', '\rcr', '=1+1', ''],
    ['ünïcödé ✓', ' leading space', 'trailing space ', '""'],
  ];
  const csv = toCsv(header, rows);
  const back: string[][] = parse(csv, { relax_column_count: false, skip_empty_lines: false });
  assert.deepEqual(back, [
    ['Path', 'Rule', 'Note', "'=formula header"],
    ['C:\\Users\\a b\\x.exe', 'R1, R2', 'say "hi", ok', 'x'],
    ['multi\nline\r\nvalue', "'-cmd", "'@at", "'+plus"],
    ["'\ttab", "'\rcr", "'=1+1", ''],
    ['ünïcödé ✓', ' leading space', 'trailing space ', '""'],
  ]);
});

test('chunks equal the whole document; BOM option', () => {
  const rows = Array.from({ length: 12 }, (_, i) => [i, `v${i}`]);
  const chunks = [...csvChunks(['n', 'v'], rows, { batch: 5 })];
  assert.equal(chunks.length, 4); // header + 3 batches
  assert.equal(chunks.join(''), toCsv(['n', 'v'], rows));
  const withBom = toCsv(['n'], [[1]], { bom: true });
  assert.equal(withBom, '\ufeffn\r\n1\r\n');
  assert.equal(toCsv([], []), '');
  assert.equal(toCsv([], [], { bom: true }), '\ufeff');
  // generator input works too
  function* gen() {
    yield ['a'];
    yield ['b'];
  }
  assert.equal(toCsv(['h'], gen()), 'h\r\na\r\nb\r\n');
});
