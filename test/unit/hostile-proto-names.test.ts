/**
 * Hostile review (2026-12-06): lookup tables indexed by input text were plain object literals, so a name that is a
 * property of every object found `Object` there: `tz at … --to constructor` crashed (`r.slice is not a function`,
 * exit 1), a `displayTimeZone` setting `constructor` threw while the extension activated, a Loki-RS legacy line
 * `[ts] constructor …` was read as a record of level `Object` (no error), and a QRadar CSV column `constructor`
 * added a field named `function Object() { [native code] }` to every event. The tables have no prototype now
 * (src/core/lookup.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/cli';
import { parseLokiText } from '../../src/core/parse/loki';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { unknownZoneSettingMessage } from '../../src/core/time';
import { lookupTable } from '../../src/core/lookup';
import { capture } from './cli-capture';

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

test('lookupTable: own keys only', () => {
  const t = lookupTable({ a: 1 });
  assert.equal(t.a, 1);
  for (const k of PROTO_NAMES) assert.equal(t[k], undefined, k);
  assert.ok(Object.isFrozen(t));
});

test('a zone named like an Object property is an unknown zone (exit 2), in every zone option', async () => {
  for (const z of PROTO_NAMES) {
    for (const args of [['tz', 'at', '2024-06-01T12:00:00Z', '--to', z], ['tz', 'at', '2024-06-01 12:00', '--from', z, '--to', 'UTC']]) {
      const c = capture();
      assert.equal(await main(args, c.io), 2, `${args.join(' ')}: ${c.err()}`);
      assert.match(c.err(), new RegExp(`${z.replace(/\$/g, '\\$')}: unknown time zone`));
    }
  }
  // the extension's message for a setting (activation calls it for socAnalytics.displayTimeZone)
  for (const z of PROTO_NAMES) assert.match(unknownZoneSettingMessage('socAnalytics.displayTimeZone', z, 'UTC is used.'), /is not a known time zone/);
});

test('a Loki-RS legacy line with the level word "constructor" is an unreadable line, not a record', () => {
  const r = parseLokiText('[2023-05-01T10:00:00.000Z] INFO Starting Loki\n[2023-05-01T10:00:01.000Z] constructor x\n[2023-05-01T10:00:02.000Z] toString y\n', 'a.log');
  assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [
    [2, 'malformed or truncated record envelope'],
    [3, 'malformed or truncated record envelope'],
  ]);
});

test('a QRadar CSV column named "constructor" is a column of its own, mapped to no event field', () => {
  const q = parseQRadarCsvText('Event Name,Start Time,constructor,Log Source\nLogin failed,"Mar 2, 2026, 8:00:00 AM",x,WinLog\n', 'q.csv', 'UTC');
  assert.equal(q.events.length, 1);
  const e = q.events[0] as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(e).filter((k) => k.includes('function')), []);
  assert.equal(e.eventName, 'Login failed');
  assert.equal(e.logSource, 'WinLog');
  assert.equal(e.startTime, Date.UTC(2026, 2, 2, 8));
});
