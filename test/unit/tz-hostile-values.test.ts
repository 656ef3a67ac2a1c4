/**
 * Hostile review of the time-zone core (2026-12): values a careless analyst or an attacker feeds to Normalize
 * Timestamps / tz convert — second 60 outside a leap second, epoch columns that mix units, small numbers such as
 * Excel serial dates guessed to be epoch seconds, RFC 3339's lower-case `t`, the merged timeline's hours around DST changes.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { detectFormat, isoInZone, parseTimestamp } from '../../src/core/tz-normalize';
import { buildTimelineDashboard, timelineBuckets, type TimelineEvent } from '../../src/core/tz-timeline';

const iso = (v: string, f: Parameters<typeof parseTimestamp>[1], o: Parameters<typeof parseTimestamp>[2] = {}) => {
  const r = parseTimestamp(v, f, o);
  return { at: isoInZone(r.ms, 'UTC'), flag: r.flag, note: r.note };
};

describe('second 60', () => {
  it('is a leap second only at 23:59:60 UTC: that day\'s 23:59:59 (was: any :60 silently read as :59)', () => {
    assert.deepEqual(iso('2016-12-31T23:59:60Z', 'iso'), { at: '2016-12-31T23:59:59Z', flag: undefined, note: undefined });
    // the same leap second written in Berlin's winter time, with its offset or as a naive Berlin wall clock
    assert.equal(iso('2017-01-01T00:59:60+01:00', 'iso').at, '2016-12-31T23:59:59Z');
    assert.equal(iso('2017-01-01 00:59:60', 'iso', { sourceZone: 'Europe/Berlin' }).at, '2016-12-31T23:59:59Z');
    assert.equal(iso('Dec 31 23:59:60 2016', 'rfc3164').at, '2016-12-31T23:59:59Z');
  });
  it('anywhere else the time does not exist: unparsed with the reason', () => {
    for (const [v, f] of [
      ['2026-03-03T12:34:60Z', 'iso'],
      ['2026-03-03 12:34:60', 'iso'],
      ['20260303T12:34:60Z', 'loki'],
      ['Mar 3, 2026, 2:20:60 PM', 'qradar'],
      ['Mar  3 14:20:60 2026', 'rfc3164'],
      // 23:59:60 in Berlin is 22:59:60 UTC: no leap second there
      ['2016-12-31T23:59:60+01:00', 'iso'],
    ] as const) {
      const r = iso(v, f, { sourceZone: 'Europe/Berlin' });
      assert.equal(r.at, '', v);
      assert.equal(r.flag, 'unparsed', v);
      assert.match(r.note ?? '', /second 60 exists only as a leap second, at 23:59:60 UTC/, v);
    }
  });
});

describe('epoch units', () => {
  it('a value with the magnitude of another unit is unparsed, not converted into the year 58139 or 1970', () => {
    // Zeek ts (seconds) and QRadar start_time (ms) pasted into one column
    assert.equal(iso('1772544005', 'epoch-s').at, '2026-03-03T13:20:05Z');
    const ms = iso('1772544005000', 'epoch-s');
    assert.equal(ms.at, '');
    assert.equal(ms.flag, 'unparsed');
    assert.match(ms.note ?? '', /magnitude of Epoch milliseconds .*year 58139/);
    assert.equal(iso('1772544005000', 'epoch-ms').at, '2026-03-03T13:20:05Z');
    const s = iso('1772544005', 'epoch-ms');
    assert.equal(s.flag, 'unparsed');
    assert.match(s.note ?? '', /magnitude of Epoch seconds/);
    assert.equal(iso('1772544005123456', 'epoch-us').at, '2026-03-03T13:20:05.123Z');
    assert.equal(iso('1772544005123', 'epoch-us').flag, 'unparsed');
    // 0 and other values below 1e8 (an unset field, the first days of 1970) are read in the column's unit
    assert.equal(iso('0', 'epoch-ms').at, '1970-01-01T00:00:00Z');
    assert.equal(iso('-1', 'epoch-s').at, '1969-12-31T23:59:59Z');
  });
  it('small numbers (Excel serial dates, counts) are not guessed to be epoch seconds in 1970', () => {
    // 46084.5 = 2026-03-03 12:00 as an Excel serial date; read as epoch seconds it was 1970-01-01T12:48:04.5Z
    assert.equal(detectFormat(['46084.5', '46085.25', '46086']), undefined);
    assert.equal(detectFormat(['443', '80', '8080']), undefined);
    assert.equal(detectFormat(['1772544005', '1772544006'])?.format, 'epoch-s');
  });
});

describe('ISO 8601 / RFC 3339', () => {
  it('a lower-case t between date and time is read (RFC 3339 §5.6), as the lower-case z already was', () => {
    assert.equal(iso('2026-03-03t12:34:56z', 'iso').at, '2026-03-03T12:34:56Z');
    assert.equal(iso('2026-03-03t12:34:56+05:45', 'iso').at, '2026-03-03T06:49:56Z');
  });
});

describe('merged timeline around DST changes', () => {
  const t = (iso: string) => Date.parse(iso);
  const ev = (iso: string): TimelineEvent => ({ time: t(iso), source: 'Findings', analysis: 'a', event: 'e' });

  it('the hour that occurs twice on a fall-back day is two bars with their offsets (both hours were counted in the second bar)', () => {
    // Europe/Berlin 2026-10-25: 02:00–03:00 CEST (00:00Z–01:00Z), then 02:00–03:00 CET (01:00Z–02:00Z)
    const b = timelineBuckets(t('2026-10-25T00:10:00Z'), t('2026-10-25T01:50:00Z'), 'Europe/Berlin');
    assert.deepEqual(b.labels, ['2026-10-25 02:00 +02:00', '2026-10-25 02:00 +01:00']);
    const model = buildTimelineDashboard([ev('2026-10-25T00:10:00Z'), ev('2026-10-25T00:20:00Z'), ev('2026-10-25T00:30:00Z'), ev('2026-10-25T01:50:00Z')], 1, 'Europe/Berlin');
    const chart = model.charts!.find((c) => c.id === 'per-day')!;
    assert.deepEqual(chart.labels, ['2026-10-25 02:00 +02:00', '2026-10-25 02:00 +01:00']);
    assert.deepEqual(chart.values, [3, 1]);
  });

  it('the hour skipped on a spring-forward day has no bar; Asia/Kathmandu hours start at :00 local time', () => {
    const b = timelineBuckets(t('2026-03-29T00:30:00Z'), t('2026-03-29T01:30:00Z'), 'Europe/Berlin');
    assert.deepEqual(b.labels, ['2026-03-29 01:00', '2026-03-29 03:00']);
    assert.deepEqual(timelineBuckets(t('2026-03-03T00:00:00Z'), t('2026-03-03T00:20:00Z'), 'Asia/Kathmandu').labels, ['2026-03-03 05:00', '2026-03-03 06:00']);
  });
});
