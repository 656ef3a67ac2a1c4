/**
 * Offenses of the usual full shapes are built as one object literal (fullShapeOffense in
 * src/core/parse/qradar.ts); every other offense gets its keys one by one. Both must give exactly
 * the same offense: the same values, the same keys in the same order, absent keys absent (never
 * `undefined`). Checked on every real offense in shared/data, through the exact reader (whole text,
 * no bytes), the byte reader (whole text with bytes) and the stream, with the one-literal path on
 * and off (OFFENSE_BUILD.fullShapes), and on real API offenses with fields removed, nulled or
 * given as text so that the shape check itself is exercised on both sides of each condition.
 */
import { apiOffenses, realOffenses, type Raw } from './qradar-real-offenses';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OFFENSE_BUILD, parseQRadarJsonText, QRadarArrayStream } from '../../src/core/parse/qradar';


const REAL = realOffenses();
const API = apiOffenses();

/** The keys of the four full shapes (closed / open, with / without assignedTo), in the order they must come. */
const HEAD = ['id', 'description', 'label', 'categories', 'destinationNetworks', 'rules', 'logSources', 'source', 'record', 'status', 'offenseType'];
const MID = ['offenseSource', 'magnitude', 'severity', 'credibility', 'relevance', 'eventCount', 'flowCount'];
const TAIL = ['lastPersistedTime', 'sourceNetwork', 'followUp', 'protected', 'inactive', 'domainId', 'sourceCount', 'localDestinationCount', 'remoteDestinationCount'];
const FULL_SHAPES = [
  [...HEAD, 'closingReasonId', ...MID, 'assignedTo', 'closingUser', 'startTime', 'lastUpdatedTime', 'closeTime', 'firstPersistedTime', ...TAIL],
  [...HEAD, 'closingReasonId', ...MID, 'closingUser', 'startTime', 'lastUpdatedTime', 'closeTime', 'firstPersistedTime', ...TAIL],
  [...HEAD, ...MID, 'assignedTo', 'startTime', 'lastUpdatedTime', 'firstPersistedTime', ...TAIL],
  [...HEAD, ...MID, 'startTime', 'lastUpdatedTime', 'firstPersistedTime', ...TAIL],
].map((k) => k.join());

/** 20 plain API offenses first (the file kind is decided on them, the byte reader applies after), then `rest`. */
function arrayText(rest: Raw[]): string {
  const head = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ...API[i % API.length], id: 90000 + i }));
  return `[\n  ${[...head, ...rest.map((o) => JSON.stringify(o))].join(',\n  ')}\n]\n`;
}

function streamed(text: string, file: string): ReturnType<QRadarArrayStream['end']> {
  const s = new QRadarArrayStream(file);
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += 4096) s.push(buf.subarray(i, i + 4096));
  return s.end();
}

/** The three readers' results with the one-literal path on or off. */
function readAll(text: string, fullShapes: boolean) {
  const was = OFFENSE_BUILD.fullShapes;
  OFFENSE_BUILD.fullShapes = fullShapes;
  try {
    return [parseQRadarJsonText(text, 'o.json'), parseQRadarJsonText(text, 'o.json', Buffer.from(text, 'utf8')), streamed(text, 'o.json')];
  } finally {
    OFFENSE_BUILD.fullShapes = was;
  }
}

/** Same results, incl. key order (JSON text) and absent vs undefined keys (deepEqual, key lists). */
function assertSame(text: string): ReturnType<typeof readAll> {
  const fast = readAll(text, true);
  const slow = readAll(text, false);
  for (let i = 0; i < fast.length; i++) {
    assert.equal(JSON.stringify(fast[i]), JSON.stringify(slow[i]));
    assert.deepEqual(fast[i], slow[i]);
    assert.deepEqual(
      fast[i].offenses.map((o) => Object.keys(o).join()),
      slow[i].offenses.map((o) => Object.keys(o).join()),
    );
  }
  return fast;
}

test('full-shape offenses (one literal) = offenses built key by key, on every real offense', () => {
  assert.equal(OFFENSE_BUILD.fullShapes, true);
  const [whole] = assertSame(arrayText(REAL));
  // the one-literal path is taken on real data: API offenses of each of the four shapes are there
  const shapes = new Set(whole.offenses.map((o) => Object.keys(o).join()).filter((k) => FULL_SHAPES.includes(k)));
  assert.ok(shapes.size >= 2, `full shapes seen: ${shapes.size}`);
  assert.ok(whole.offenses.filter((o) => FULL_SHAPES.includes(Object.keys(o).join())).length >= 20);
});

test('full-shape check: each condition on both sides (fields removed, null, 0 times, text types, partly closed)', () => {
  const base = API.filter((o) => o.status === 'CLOSED')[0] ?? API[0];
  const open = API.filter((o) => o.status === 'OPEN')[0] ?? API[0];
  const variants: Raw[] = [];
  const keys = Object.keys(base);
  for (const o of [base, open]) {
    for (const k of keys) {
      const { [k]: _drop, ...without } = o;
      variants.push(without, { ...o, [k]: null });
    }
    variants.push(
      { ...o, assigned_to: 'analyst' },
      { ...o, assigned_to: null },
      { ...o, assigned_to: '   ' },
      { ...o, close_time: 0 },
      { ...o, close_time: 1700000000000, closing_user: null, closing_reason_id: null },
      { ...o, closing_user: 'admin', close_time: null, closing_reason_id: null },
      { ...o, closing_reason_id: 3, closing_user: null, close_time: null },
      { ...o, closing_reason_id: 'Tuned by hand', closing_user: 'admin', close_time: 1700000000000 },
      { ...o, offense_type: 'Source IP' },
      { ...o, id: '12345' },
      { ...o, id: 9007199254740993 },
      { ...o, status: 'weird' },
      { ...o, status: '' },
      { ...o, source_network: '' },
      { ...o, offense_source: ' ' },
      { ...o, follow_up: 'yes' },
      { ...o, magnitude: '3' },
      { ...o, start_time: 0 },
    );
  }
  const [whole] = assertSame(arrayText(variants));
  assert.ok(whole.offenses.some((x) => FULL_SHAPES.includes(Object.keys(x).join())));
  assert.ok(whole.offenses.some((x) => !FULL_SHAPES.includes(Object.keys(x).join())));
});

test('full-shape offense: exact values and key order of a closed API offense', () => {
  const o = { ...API[0], id: 4242, status: ' closed ', assigned_to: 'bob', closing_user: 'admin', closing_reason_id: 2, close_time: 1700000300000, start_time: 1700000000000, last_updated_time: 1700000100000, first_persisted_time: 1700000002000, last_persisted_time: 1700000140000 };
  const [whole] = assertSame(arrayText([o]));
  const off = whole.offenses[20];
  assert.equal(Object.keys(off).join(), FULL_SHAPES[0]);
  assert.equal(off.id, 4242);
  assert.equal(off.status, 'CLOSED');
  assert.equal(off.assignedTo, 'bob');
  assert.equal(off.closingUser, 'admin');
  assert.equal(off.closingReasonId, 2);
  assert.equal(off.startTime, 1700000000000);
  assert.equal(off.closeTime, 1700000300000);
  assert.equal(off.record, 21);
  assert.deepEqual(off.source, { file: 'o.json', line: 22 });
});
