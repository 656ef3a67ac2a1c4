/**
 * The byte reader of offense objects (src/core/parse/qradar-fast.ts), used by QRadarArrayStream once
 * a file is known to hold offenses and by parseQRadarJsonText when it is given the (ASCII) bytes,
 * gives exactly what the exact path gives (split + JSON.parse + key normalisation + RecordReader, as
 * parseQRadarJsonText does on the whole text without bytes): on the real
 * offense files, and on arrays of real offenses with mutated members, keys, values and layout
 * (fast-check, fixed seed). Elements it does not accept must fall back, never change the result.
 */
import { apiOffenses, realOffenses, type Raw } from './qradar-real-offenses';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseQRadarJsonText, QRadarArrayStream } from '../../src/core/parse/qradar';
import { decodeUtf8OrCp1252 } from '../../src/core/parse/cp1252';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 200);
const SEED = Number(process.env.FUZZ_SEED) || 42;
const data = path.resolve(__dirname, '../../../../shared/data/qradar');

const REAL = realOffenses();
const API = apiOffenses();

function streamed(text: string, file: string, chunk: number): { r: ReturnType<QRadarArrayStream['end']>; fast: number } {
  const s = new QRadarArrayStream(file);
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  return { r: s.end(), fast: s.fastRecords };
}

/** parseQRadarJsonText with the text's bytes (the byte reader applies when they are ASCII). */
const withBytes = (text: string, file: string) => parseQRadarJsonText(text, file, Buffer.from(text, 'utf8'));

/** 20 plain API offenses first (the kind is decided on them), then `rest`. */
function arrayText(rest: string[], glue = ',\n  '): string {
  const head = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ...API[i % API.length], id: 90000 + i }));
  return `[\n  ${[...head, ...rest].join(glue)}\n]\n`;
}

test('byte reader = exact path on the real offenses (each repeated after 20 plain ones), and it is used', () => {
  const text = arrayText(REAL.map((o) => JSON.stringify(o)));
  const whole = parseQRadarJsonText(text, 'real.json');
  assert.deepEqual(withBytes(text, 'real.json'), whole);
  for (const chunk of [1 << 20, 4096, 333]) {
    const { r, fast } = streamed(text, 'real.json', chunk);
    assert.deepEqual(r, whole);
    if (chunk === 1 << 20) assert.equal(fast, REAL.length); // every real offense after the first 20
  }
  // the API samples themselves are of the accepted shape
  const api = arrayText(API.map((o) => JSON.stringify(o)), ',');
  const { r, fast } = streamed(api, 'api.json', 1 << 20);
  assert.deepEqual(r, parseQRadarJsonText(api, 'api.json'));
  assert.equal(fast, r.records - 20);
  assert.equal(r.offenses[20].source.line, 2); // one line from `[` on: every element starts on line 2
  assert.equal(r.offenses[20].id, API[0].id);
});

test('byte reader: values it takes as they are', () => {
  const o = { ...API[0], description: 'Tab\there e\\n "q"\n second', status: ' open ', start_time: 0, close_time: null, magnitude: 2.5, severity: 12345, event_count: 1e3, relevance: 12345678901234567, categories: [], destination_networks: ['a', 'a'], rules: [{ id: 1, type: ' ', name: 'R', x: [1, { y: null }] }, { id: 2 }], log_sources: [{ name: 'L', type_name: '' }], extra: { deep: [true, false, null, -1.5e-3, '\\u0041'] } };
  const text = arrayText([JSON.stringify(o).replace('"severity":12345', '"severity":-0').replace('"event_count":1000', '"event_count":1E+3')]);
  const { r, fast } = streamed(text, 'v.json', 1 << 20);
  assert.deepEqual(r, parseQRadarJsonText(text, 'v.json'));
  assert.deepEqual(withBytes(text, 'v.json'), r);
  assert.equal(fast, 1);
  const off = r.offenses[20];
  assert.equal(off.description, 'Tab\there e\\n "q"\n second');
  assert.equal(off.label, 'Tab\there e\\n "q"');
  assert.equal(off.status, 'OPEN');
  assert.equal(off.startTime, undefined);
  assert.equal(off.magnitude, 2.5);
  assert.ok(Object.is(off.severity, -0));
  assert.equal(off.eventCount, 1000);
  assert.equal(off.relevance, 12345678901234568);
  assert.deepEqual(off.destinationNetworks, ['a', 'a']);
  assert.deepEqual(off.rules, [{ id: 1, name: 'R' }, { id: 2 }]);
  assert.deepEqual(off.logSources, [{ name: 'L', id: undefined, typeId: undefined, typeName: undefined }]);
});

test('byte reader: short-string cache (bytes compared 4 at a time, then the tail) never mixes up near-equal strings', () => {
  // strings of every length 0..40 that differ from each other in one byte only (first, a middle word,
  // the last word, the tail), repeated so that later ones are cache hits; escapes in some (raw bytes cached)
  const texts: string[] = [];
  for (let len = 0; len <= 40; len++) {
    const a = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'.slice(0, len);
    texts.push(a);
    for (const at of [0, len >> 1, len - 4, len - 3, len - 2, len - 1]) if (at >= 0 && at < len) texts.push(a.slice(0, at) + '#' + a.slice(at + 1));
    if (len >= 2) texts.push(a.slice(0, len - 2) + '\\n', a.slice(0, len - 2) + '\n');
  }
  const rest = [...texts, ...texts.slice().reverse(), ...texts].map((t, i) =>
    JSON.stringify({ ...API[i % API.length], id: 70000 + i, offense_source: t, assigned_to: t === '' ? 'x' : t, categories: [t, t + '.'], destination_networks: [t + 'z'] }),
  );
  const text = arrayText(rest);
  const { r, fast } = streamed(text, 'cache.json', 1 << 23);
  assert.equal(fast, rest.length);
  assert.deepEqual(r, parseQRadarJsonText(text, 'cache.json'));
  assert.deepEqual(withBytes(text, 'cache.json'), r);
  const all = [...texts, ...texts.slice().reverse(), ...texts];
  for (let i = 0; i < all.length; i++) assert.deepEqual(r.offenses[20 + i].categories, [all[i], all[i] + '.']);
});

test('byte reader: unusual elements fall back to the exact path (same offenses, same errors)', () => {
  const base = JSON.stringify(API[0]);
  const variants = [
    base.replace('"id":', '"ID":'), // key normalised by the exact path
    base.replace('"status":"OPEN"', '"status":"OPEN","status":"CLOSED"'), // repeated key: the last wins
    base.replace('"magnitude":4', '"magnitude":"4"'), // number as text
    base.replace('"magnitude":4', '"magnitude":1e400'), // not finite: reported
    base.replace('"start_time":1772437272318', '"start_time":1772437272'), // seconds
    base.replace('"start_time":1772437272318', '"start_time":"2026-03-02T07:41:12Z"'),
    base.replace('"offense_type":0', '"offense_type":"Source IP"'),
    base.replace('"rules":[{"id":100221,"type":"CRE_RULE"}]', '"rules":[{"type":"CRE_RULE"}]'), // missing rule id: reported
    base.replace('"rules":[{"id":100221,"type":"CRE_RULE"}]', '"rules":[1,{"id":1}]'),
    base.replace('"log_sources":[', '"log_sources":[{"name":" "},'),
    base.replace('"categories":[', '"categories":[7,'),
    base.replace('"description":"', '"description":"caf\u00e9 '), // non-ASCII chunk
    base.replace('"description":"', '"description":"\\ud800 \\x'), // invalid escape: invalid JSON
    base.replace('"magnitude":4', '"magnitude":04'), // invalid JSON
    base.replace('"magnitude":4', '"magnitude":-'),
    base.replace('"follow_up":false', '"follow_up":"false"'),
    base.replace(/"id":4101,/, ''), // no id: not an offense
    base + ' x',
    '{}',
    '[]',
    '"text"',
    base.replace('{', '{ "nested": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}, '),
    base.replace(/,/g, ' ,\r\n\t'),
  ];
  for (const v of variants) {
    const text = arrayText([v, base]);
    const exp = parseQRadarJsonText(text, 'x.json');
    for (const chunk of [1 << 20, 50]) assert.deepEqual(streamed(text, 'x.json', chunk).r, exp, v.slice(0, 80));
    assert.deepEqual(withBytes(text, 'x.json'), exp, v.slice(0, 80));
    const wrapped = `{"offenses": ${text}}`;
    assert.deepEqual(withBytes(wrapped, 'w.json'), parseQRadarJsonText(wrapped, 'w.json'), v.slice(0, 80));
  }
  // truncated inside an element read by the byte reader
  const text = arrayText([base, base]);
  for (const cut of [text.length - 40, text.length - 3, text.length - 1]) {
    const t = text.slice(0, cut);
    assert.deepEqual(streamed(t, 'cut.json', 1 << 20).r, parseQRadarJsonText(t, 'cut.json'));
    assert.deepEqual(withBytes(t, 'cut.json'), parseQRadarJsonText(t, 'cut.json'));
  }
});

/** A real offense with members replaced (by any JSON value or awkward scalars), deleted or renamed. */
const awkward = fc.constantFrom<unknown>(null, 0, -0, 1, -1, 1.5, 1e21, 1e400, '1', ' 7.0 ', '', ' ', 'x\ny', 'é', '\u0000', '\\', '"', true, false, [], {}, ['a'], [1], [{}], [{ id: 1 }], [{ id: 1.5 }], [{ id: 1, type: null, name: '' }], [{ name: 'n', id: null, type_id: 3 }], 631152000000, 4102444800001, 1772437272318, '1772437272318', 1772437272);
const mutated = fc
  .tuple(
    fc.constantFrom(...REAL),
    fc.array(fc.tuple(fc.constantFrom('id', 'description', 'status', 'offense_type', 'offense_source', 'magnitude', 'severity', 'event_count', 'assigned_to', 'closing_user', 'closing_reason_id', 'start_time', 'close_time', 'last_persisted_time', 'categories', 'destination_networks', 'source_network', 'follow_up', 'domain_id', 'rules', 'log_sources', 'source_address_ids', 'other'), fc.oneof(awkward, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined))), { maxLength: 4 }),
    fc.constantFrom('', ' ', '\n    '),
  )
  .map(([o, edits, space]) => {
    const c: Raw = { ...o };
    for (const [k, v] of edits) {
      if (v === undefined) delete c[k];
      else c[k] = v;
    }
    return space === '' ? JSON.stringify(c) : JSON.stringify(c, null, space.length);
  });

test('byte reader = exact path on mutated offenses (property, fixed seed)', () => {
  let fastTotal = 0;
  fc.assert(
    fc.property(fc.array(mutated, { minLength: 1, maxLength: 8 }), fc.constantFrom(1 << 20, 4096, 200), (els, chunk) => {
      const text = arrayText(els);
      const { r, fast } = streamed(text, 'm.json', chunk);
      fastTotal += fast;
      const exp = parseQRadarJsonText(text, 'm.json');
      assert.deepEqual(r, exp);
      assert.deepEqual(withBytes(text, 'm.json'), exp);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  assert.ok(fastTotal > 0, 'the byte reader was used');
});

test('parseQRadarJsonText with bytes: non-offense arrays, short arrays and non-ASCII bytes read as without them', () => {
  const reasons = readFileSync(path.join(data, 'samples/offense_closing_reasons.json'), 'utf8');
  assert.deepEqual(withBytes(reasons, 'r.json'), parseQRadarJsonText(reasons, 'r.json'));
  const small = readFileSync(path.join(data, 'samples/offenses.json'), 'utf8');
  assert.deepEqual(withBytes(small, 's.json'), parseQRadarJsonText(small, 's.json'));
  const text = arrayText([JSON.stringify({ ...API[1], description: 'caf\u00e9' })]);
  assert.deepEqual(withBytes(text, 'u.json'), parseQRadarJsonText(text, 'u.json'));
  const mixed = `[${Array.from({ length: 30 }, (_, i) => (i % 2 ? '{"id": 1, "text": "Non-Issue"}' : JSON.stringify(API[0]))).join(',')}]`;
  assert.deepEqual(withBytes(mixed, 'mix.json'), parseQRadarJsonText(mixed, 'mix.json'));
  // the bytes of another text of the same length are not used (not ASCII here)
  assert.deepEqual(parseQRadarJsonText(small, 's.json', Buffer.alloc(small.length, 0xff)), parseQRadarJsonText(small, 's.json'));
});

test('byte reader: UTF-8 text (taken when valid), invalid UTF-8 bytes (exact path)', () => {
  const o = { ...API[2], description: 'Zugriff verweigert für Benutzer «Müller» 🚫\n containing Überwachung', assigned_to: 'José', log_sources: [{ id: 1, name: 'Pare-feu @ fw-é.example', type_name: 'Checkpoint' }], extra: 'ü' };
  const text = arrayText([JSON.stringify(o)]);
  const { r, fast } = streamed(text, 'u.json', 1 << 20);
  assert.equal(fast, 1);
  assert.deepEqual(r, parseQRadarJsonText(text, 'u.json'));
  assert.equal(r.offenses[20].label, 'Zugriff verweigert für Benutzer «Müller» 🚫');
  assert.equal(r.offenses[20].assignedTo, 'José');
  assert.equal(r.offenses[20].logSources[0].name, 'Pare-feu @ fw-é.example');
  // invalid UTF-8 inside a used string and inside a skipped one: the exact path, with the bytes that are not UTF-8
  // read as windows-1252, as the file reader decodes a file read whole (decodeTableText), and reported
  for (const [field, at] of [['description', '"description":"'], ['extra', '"extra":"']]) {
    const good = Buffer.from(arrayText([JSON.stringify({ ...API[2], extra: 'x' })]), 'utf8');
    const k = good.indexOf(at, good.indexOf(`"id":${API[2].id}`, good.lastIndexOf('"id":90019'))) + at.length;
    const bad = Buffer.concat([good.subarray(0, k), Buffer.from([0xc3, 0x28, 0xff]), good.subarray(k)]);
    const s = new QRadarArrayStream('b.json');
    s.push(bad);
    const got = s.end();
    assert.equal(s.fastRecords, 0, field);
    const text = decodeUtf8OrCp1252(bad).text;
    assert.ok(text.includes('\u00c3(\u00ff') && !text.includes('\ufffd'));
    assert.deepEqual({ ...got, errors: got.errors.slice(1) }, parseQRadarJsonText(text, 'b.json'), field);
    assert.deepEqual(got.errors[0], {
      file: 'b.json',
      line: 22,
      message: `not UTF-8 (first invalid byte on this line, in record 21, byte ${k} of the file): the bytes that are not UTF-8 are read as windows-1252`,
    });
  }
});
