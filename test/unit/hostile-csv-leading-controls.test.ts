/**
 * Hostile review of the CSV export's formula guard (src/core/export/csv.ts):
 * - control characters before a formula character hid it: `\x0B=1+1` (VT), `\x0C` (FF), `\x7F` (DEL), `\x85` (NEL),
 *   the other C1 controls U+0080–U+009F and the C0 controls other than TAB, CR, LF and NUL were written as they are,
 *   so a cell `\x0B=HYPERLINK(…)` reached a spreadsheet or import step that drops them (a CSV import with "trim",
 *   Java's `String.trim()`, which drops everything up to U+0020, Python's `str.strip()`, which strips VT, FF,
 *   U+001C–U+001F and NEL) with its `=` first. They now count as leading white space, as a space does.
 * - the check for a formula character after a line break inside a cell was quadratic in the length of a run of line
 *   breaks: a cell of 40,000 line breaks took ~10 s to export (every position of the run was tried again to its end).
 *   Now it is linear; the test compares the cost of a 16× longer run (CPU time, ./cpu-cost), never a timed threshold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';
import { assertSubquadratic } from './cpu-cost';

const hex = (s: string) => JSON.stringify(s);
/**
 * VT, FF, DEL, NEL and every other C1 control (U+0080–U+009F), and the other C0 controls that are no formula starter
 * themselves (U+0001–U+0008, U+000E–U+001F: Java's `String.trim()` drops them, Python's `strip()` U+001C–U+001F).
 */
const C0 = [...Array.from({ length: 8 }, (_, i) => 1 + i), ...Array.from({ length: 0x12 }, (_, i) => 0x0e + i)].map((c) => String.fromCharCode(c));
const CONTROLS = ['\x0b', '\x0c', '\x7f', ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)), ...C0];
/** The characters the guard already treated as a formula start (with the full-width `＝`). */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\0', '\uff1d'];

test('VT, FF, DEL, NEL, the C1 and the other C0 controls before a formula character do not hide it', () => {
  for (const c of CONTROLS)
    for (const t of TRIGGERS) {
      const cell = `${c}${t}1+1`;
      assert.equal(neutralizeCell(cell), `'${cell}`, hex(cell));
    }
  // mixed with the white space the guard knew before, and several in a row
  for (const cell of [' \x0b=1+1', '\x85\u00a0@SUM(A1)', '\x0c\x0b\x7f\x9f-2+3', '\u3000\x85+1', '\x1f\x01=1'])
    assert.equal(neutralizeCell(cell), `'${cell}`, hex(cell));
});

test('after a ";", a line break, or a "," in a file of another delimiter: the same', () => {
  assert.equal(neutralizeCell('foo;\x0b=1+1'), "foo;\x0b'=1+1");
  assert.equal(neutralizeCell('foo; \x85@SUM(A1)'), "foo; \x85'@SUM(A1)");
  assert.equal(neutralizeCell('a\n\x7f=1+1'), "a\n\x7f'=1+1");
  assert.equal(neutralizeCell('a\r\n\x0c-2'), "a\r\n\x0c'-2");
  assert.equal(neutralizeCell('x,\x9b=1', ';'), "x,\x9b'=1");
  assert.equal(neutralizeCell('x,\x9b=1'), 'x,\x9b=1', 'with "," as the delimiter the cell is quoted, read whole');
  // the whole export: quoted (line break, quote), the `'` inside
  assert.equal(toCsv(['h'], [['\x0c=HYPERLINK("http://x")'], ['a\n\x85+1']]), `h\r\n"'\x0c=HYPERLINK(""http://x"")"\r\n"a\n\x85'+1"\r\n`);
});

test('U+180E and U+2060 (also leading white space) are written as \\u180e / \\u2060 text: the cell starts with a backslash', () => {
  // showInvisible (src/core/text-safe.ts) makes them visible before the formula checks; the guard counts them as
  // white space too, for any text that reaches it without that step
  assert.equal(neutralizeCell('\u180e=1+1'), '\\u180e=1+1');
  assert.equal(neutralizeCell('\u2060@SUM(A1)'), '\\u2060@SUM(A1)');
  assert.equal(neutralizeCell('foo;\u2060=1'), 'foo;\\u2060=1');
});

test('text with those controls and no formula character stays as it is', () => {
  for (const cell of ['\x0bplain', '\x85text = 1', 'a\x7fb', 'x;\x0cy', 'a\n\x9fb', '\x0c', '\x85 42']) assert.equal(neutralizeCell(cell), cell, hex(cell));
});

test('a run of line breaks costs linear time (40,000 line breaks: 16× the run of 2,500 costs < 16^1.75× as much)', () => {
  const n = 2500;
  // a run of LF, of CRLF, and of line breaks followed by white space but no formula character; `,` and `;` delimiters
  assertSubquadratic('LF run', (k) => `a${'\n'.repeat(k)}b`, (s) => neutralizeCell(s), n);
  assertSubquadratic('CRLF run', (k) => `a${'\r\n'.repeat(k / 2)} \x0bb`, (s) => neutralizeCell(s), n);
  assertSubquadratic('LF run, ";" file', (k) => `a${'\n'.repeat(k)}b`, (s) => neutralizeCell(s, ';'), n);
  // and the result is right: a run followed by a formula character gets one `'` after it, one without gets none
  const run = '\r\n'.repeat(20_000);
  assert.equal(neutralizeCell(`a${run}=1`), `a${run}'=1`);
  assert.equal(neutralizeCell(`a${run}b`), `a${run}b`);
});
