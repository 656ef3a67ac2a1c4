/**
 * QRadarArrayStream (streaming reader of offense arrays larger than V8's string limit) gives the
 * same result as parseQRadarJsonText on the whole text: real files, fed in tiny chunks, and damaged
 * variants (bad record, truncation, trailing text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseQRadarJsonText, QRadarArrayStream } from '../../src/core/parse/qradar';

const data = path.resolve(__dirname, '../../../../shared/data/qradar');
const files = [
  'samples/offenses.json',
  'samples/offense_closing_reasons.json',
  'samples/offense_types.json',
  'public/demisto-content-qradar-v3/offenses.json',
  'public/demisto-content-qradar-v2/offenses.json',
  'public/elastic-integrations/offenses.json',
];

function streamed(text: string, file: string, chunk: number) {
  const s = new QRadarArrayStream(file);
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  return s.end();
}

for (const f of files) {
  test(`stream = whole text: ${f}`, () => {
    const text = readFileSync(path.join(data, f), 'utf8');
    if (!text.trimStart().startsWith('[')) return; // only arrays are streamed
    const whole = parseQRadarJsonText(text, f);
    for (const chunk of [1, 7, 4096]) assert.deepEqual(streamed(text, f, chunk), whole);
  });
}

test('stream = whole text on damaged arrays', () => {
  const text = readFileSync(path.join(data, 'samples/offenses.json'), 'utf8');
  const whole = JSON.parse(text) as unknown[];
  assert.equal(whole.length, 6);
  const variants = [
    text.replace('"id": 4101', '"id": 4101,,'), // one invalid record
    text.slice(0, Math.floor(text.length * 0.7)), // truncated
    text.trimEnd() + '\nextra', // trailing text
    '[]',
    '[1, 2, "x"]',
  ];
  for (const v of variants) {
    const exp = parseQRadarJsonText(v, 'x.json');
    for (const chunk of [1, 13, 1 << 20]) assert.deepEqual(streamed(v, 'x.json', chunk), exp);
  }
  assert.equal(parseQRadarJsonText(variants[0], 'x.json').offenses.length, 5);
  assert.equal(streamed(variants[0], 'x.json', 3).errors.length, 1);
});

test('stream = whole text when an element is followed by non-JSON whitespace (NBSP, BOM, \\v, U+2028): record reported, not kept', () => {
  const api = JSON.parse(readFileSync(path.join(data, 'samples/offenses.json'), 'utf8')) as Record<string, unknown>[];
  const head = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ...api[i % api.length], id: 90000 + i }));
  for (const w of ['\u00a0', '\ufeff', '\v', '\u2028']) {
    const text = `[\n${[...head, `{"id": 1, "offense_source": "x"}${w}`, '{"id": 2, "offense_source": "y"}'].join(',\n')}\n]\n`;
    const whole = parseQRadarJsonText(text, 'x.json');
    assert.equal(whole.offenses.length, 21);
    assert.equal(whole.errors.length, 1);
    assert.equal(whole.errors[0].line, 22);
    assert.match(whole.errors[0].message, /^record 21: invalid JSON/);
    for (const chunk of [1, 13, 1 << 20]) assert.deepEqual(streamed(text, 'x.json', chunk), whole, `${JSON.stringify(w)} chunk ${chunk}`);
  }
  // the error text of the last element keeps its trailing newline, as on the whole text
  const last = `[\n${[...head, '{"id": 3, "offense_source": "z", "a": NaN}'].join(',\n')}\n]\n`;
  assert.deepEqual(streamed(last, 'x.json', 1 << 20), parseQRadarJsonText(last, 'x.json'));
});

test('stream = whole text on Unicode whitespace after the array (no "unexpected text"), also split inside a character', () => {
  const text = readFileSync(path.join(data, 'samples/offenses.json'), 'utf8').trimEnd();
  for (const w of ['\u00a0', '\ufeff', '\u2028', '\u3000', '\v', '\f']) {
    const v = `${text}\n${w}\n`;
    const whole = parseQRadarJsonText(v, 'x.json');
    assert.deepEqual(whole.errors, []);
    for (const chunk of [1, 2, 7, 1 << 20]) assert.deepEqual(streamed(v, 'x.json', chunk), whole, `${JSON.stringify(w)} chunk ${chunk}`);
  }
  for (const w of ['x', '\u0085', '\u00a0x', '\u00e9']) {
    const v = `${text}\n${w}\n`;
    const whole = parseQRadarJsonText(v, 'x.json');
    assert.equal(whole.errors.length, 1);
    assert.equal(whole.errors[0].message, 'unexpected text after the JSON array; ignored');
    for (const chunk of [1, 2, 1 << 20]) assert.deepEqual(streamed(v, 'x.json', chunk), whole, `${JSON.stringify(w)} chunk ${chunk}`);
  }
  // an incomplete character at the very end is text (U+FFFD on the whole text)
  const s = new QRadarArrayStream('x.json');
  s.push(Buffer.concat([Buffer.from(`${text}\n`), Buffer.from([0xc2])]));
  assert.equal(s.end().errors.length, 1);
});
