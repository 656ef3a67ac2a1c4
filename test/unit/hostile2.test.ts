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

test('hostile2: rules file — a bad character or escape inside a string is located at that character, not at the string start', async () => {
  // a TAB pasted into a tag (JSON strings cannot hold control characters)
  assert.deepEqual(scanJson('{"rules": [\n  {"tag": "a\tb", "match": "x"}]}').error, {
    offset: 24,
    line: 2,
    column: 13,
    message: 'control character U+0009 inside a string (a missing closing quote, or a character to escape?)',
  });
  assert.deepEqual(scanJson('{"rules":["abc\u0001"]}').error, { offset: 14, line: 1, column: 15, message: 'control character U+0001 inside a string (a missing closing quote, or a character to escape?)' });
  // a Windows path with single backslashes: the escape is named and located
  assert.deepEqual(scanJson('{"rules": [\n  {"tag": "a", "match": "C:\\temp\\x"}]}').error, {
    offset: 44,
    line: 2,
    column: 33,
    message: 'invalid escape \\x in a string (write a backslash as \\\\)',
  });
  assert.deepEqual(scanJson('{"rules":["ab\\u12"]}').error, { offset: 13, line: 1, column: 14, message: 'invalid \\u escape in a string (4 hex digits expected)' });
  // the first problem of the string counts (jsonc-parser keeps the last one)
  assert.equal(scanJson('{"rules":["\\q\u0001"]}').error?.message, 'invalid escape \\q in a string (write a backslash as \\\\)');
  // the same through the file reader (CLI ERROR line, dashboard banner)
  const r = await readTaggingFile(rulesFile('{\r\n  "rules": [\r\n    {"tag": "😀 \\d", "match": "x"}\r\n  ]\r\n}\r\n'));
  assert.deepEqual({ line: r.fatal?.line, column: r.fatal?.column, message: r.fatal?.message }, { line: 3, column: 17, message: 'not valid JSON: invalid escape \\d in a string (write a backslash as \\\\)' });
});

test('hostile2: rules file — a repeated "rules" key: lines and positions come from the last one, the one JSON.parse uses', async () => {
  const twice = '{\n"rules": [\n{"tag":"a","match":"x"}\n],\n"rules": [\n{"tag":"b","match":5},\n{"tag":"c","match":"x"}\n]\n}';
  const r = await readTaggingFile(rulesFile(twice));
  assert.deepEqual(r.ruleLines, [6, 7]);
  assert.deepEqual(
    r.problems.map((p) => [p.ruleLine, p.message]),
    [[6, 'rule 1 ("b", line 6, column 12): "match" must be a non-empty string or a list of non-empty strings (found 5); the rule is disabled']],
  );
  const notArray = await readTaggingFile(rulesFile('{\n"rules": [],\n  "rules": 5\n}'));
  assert.deepEqual({ line: notArray.fatal?.line, column: notArray.fatal?.column, message: notArray.fatal?.message }, { line: 3, column: 3, message: '"rules" must be an array' });
  assert.deepEqual(scanJson('{"a": 1,\n "rules": [1],\n "rules": [\n 2]}', ['rules']).items.get('rules')?.map((p) => p.line), [4]);
});

test('hostile2: rules file — lone CR line ends (classic Mac) count as line breaks, as in VS Code', async () => {
  const r = await readTaggingFile(rulesFile('{\r  "rules": [\r    {"tag":"a","match":"x"},\r    {"tag":"b" "match":"y"}\r  ]\r}\r'));
  assert.deepEqual({ line: r.fatal?.line, column: r.fatal?.column }, { line: 4, column: 16 });
  const ok = await readTaggingFile(rulesFile('{\r  "rules": [\r    {"tag":"a","match":"x"},\r\n    {"tag":"b","match":7}\r  ]\r}\r'));
  assert.deepEqual(ok.ruleLines, [3, 4]);
  assert.equal(ok.problems[0]?.ruleLine, 4);
});

// (Speed is not asserted here: unit tests carry no timings. This was ~75 s when each rule's line was
// counted from the start of the file; it is ~0.4 s with the line starts found once.)
test('hostile2: rules file — 40,000 rules are located (lines of every rule; CRLF and a lone CR)', async () => {
  const count = 40_000;
  const text = '{"rules": [\n' + Array.from({ length: count }, (_, i) => `  {"tag": "t${i}", "match": "m${i}"}`).join(',\r\n') + '\r]}\n';
  const r = await readTaggingFile(rulesFile(text));
  assert.equal(r.ruleLines?.length, count);
  assert.deepEqual([r.ruleLines![0], r.ruleLines![count - 1]], [2, count + 1]);
  const err = scanJson(text + 'x').error; // `]}` on line count + 2, the `x` on the next
  assert.deepEqual(err && { line: err.line, column: err.column }, { line: count + 3, column: 1 });
  assert.deepEqual(r.ruleLines!.slice(0, 5), [2, 3, 4, 5, 6]);
});

test('hostile2: rules file — invisible characters in an error message are named by code point, not printed (bidi override, C1, line separator)', () => {
  assert.equal(scanJson('{"rules":[\u202e]}').error?.message, 'unexpected character U+202E');
  assert.equal(scanJson('{"rules":[\u009b31m]}').error?.message, 'unexpected character U+009B');
  assert.equal(scanJson('{"rules":[1,\u2028 2 "x"]}').error?.message, "unexpected character U+2028");
  assert.equal(scanJson('{"rules":["a\\\u202e"]}').error?.message, 'invalid escape \\ before character U+202E in a string (write a backslash as \\\\)');
  assert.equal(scanJson('{"rules":[1 \u200b]}').error?.message, 'unexpected character U+200B');
});

test('hostile2: rules file — UTF-16 with a byte order mark (Notepad "Unicode") is read, not "unexpected \'\ufffd\'"', async () => {
  const json = '{\n  "rules": [\n    {"tag": "Ünïcode", "match": "x"},\n    {"tag": "b", "match": 1}\n  ]\n}\n';
  const le = await readTaggingFile(rulesFile(Buffer.from('\ufeff' + json, 'utf16le')));
  assert.equal(le.fatal, undefined);
  assert.deepEqual([le.config.rules[0].tag, le.ruleLines, le.problems[0]?.ruleLine], ['Ünïcode', [3, 4], 4]);
  const be = await readTaggingFile(rulesFile(Buffer.from('\ufeff' + json, 'utf16le').swap16()));
  assert.deepEqual([be.fatal, be.config.rules[0].tag, be.ruleLines], [undefined, 'Ünïcode', [3, 4]]);
  const bad = await readTaggingFile(rulesFile(Buffer.from('\ufeff{"rules": [,]}', 'utf16le')));
  assert.deepEqual([bad.fatal?.line, bad.fatal?.column, bad.fatal?.message], [1, 12, "not valid JSON: expected a value, found ','"]);
});
