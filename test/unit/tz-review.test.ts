/**
 * Time-zone findings of the new-user trial and hostile review: Normalize Timestamps counts that add up, RFC 3164
 * with a year, Feb 29 in a common year, canonical zone names and fixed offsets.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvText } from '../../src/core/parse/cases-input';
import { describeNormalizeStats, normalizeTable } from '../../src/core/tz-file';
import { main } from '../../src/cli/cli';
import { parseTimestamp } from '../../src/core/tz-normalize';
import { allZoneNames, canonicalZone, canonicalZoneSetting, formatTime, isValidZoneSetting, resolveZone, ZONE_HINT } from '../../src/core/time';
import { capture } from './cli-capture';


describe('Normalize Timestamps: the summary counts add up and say what happened', () => {
  const csv = 'ts,msg\nMar 31 02:30:00,gap\nOct 27 02:30:00,twice\nMar 30 10:00:00,ok\nJan 5 10:00:00,ok\nnope,bad\n,empty\n';

  it('RFC 3164 in Europe/Berlin 2024: non-existent and ambiguous times are not counted as "read in" (only converted rows are)', () => {
    const r = normalizeTable(parseCsvText(csv, 'x.csv'), { column: 'ts', format: 'rfc3164', fromZone: 'Europe/Berlin', toZone: 'UTC', year: 2024 });
    assert.deepEqual(r.stats, { rows: 6, converted: 3, empty: 1, aware: 0, epoch: 0, naive: 3, ambiguous: 1, nonexistent: 1, unparsed: 1 });
    const s = r.stats;
    assert.equal(s.aware + s.naive, s.converted);
    assert.equal(s.converted + s.nonexistent + s.unparsed + s.empty, s.rows);
    assert.equal(
      describeNormalizeStats(s, 'Europe/Berlin', 'earlier', { toZone: 'UTC', flagColumn: 'ts_tz_flag' }),
      'Converted 3 of 6 rows to UTC: 3 had no zone and were read as Europe/Berlin time; 1 of them is in the hour that repeats when clocks go back: the earlier time was used (flagged).\n' +
        'Not converted, flagged in ts_tz_flag: 2 rows (1 in the hour skipped when clocks go forward; 1 not readable as a time).\n' +
        '1 row with no time in the column: left as it is.',
    );
  });

  it('policy blank: the ambiguous row is listed as not converted', () => {
    const r = normalizeTable(parseCsvText(csv, 'x.csv'), { column: 'ts', format: 'rfc3164', fromZone: 'Europe/Berlin', toZone: 'UTC', year: 2024, ambiguous: 'blank' });
    assert.deepEqual(r.stats, { rows: 6, converted: 2, empty: 1, aware: 0, epoch: 0, naive: 2, ambiguous: 1, nonexistent: 1, unparsed: 1 });
    assert.equal(
      describeNormalizeStats(r.stats, 'Europe/Berlin', 'blank'),
      'Converted 2 of 6 rows: 2 had no zone and were read as Europe/Berlin time.\n' +
        'Not converted, flagged: 3 rows (1 in the hour that repeats when clocks go back (left empty, as chosen); 1 in the hour skipped when clocks go forward; 1 not readable as a time).\n' +
        '1 row with no time in the column: left as it is.',
    );
  });

  it('each kind of converted value is worded for what it is: epoch numbers are UTC by definition, not "with their own zone"', () => {
    // Zeek-style epoch seconds: no zone of their own, and none "read in" the source zone
    const ep = normalizeTable(parseCsvText('ts\n1713484795.943239\n1713484796\n', 'e.csv'), { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'UTC' });
    assert.deepEqual(ep.stats, { rows: 2, converted: 2, empty: 0, aware: 2, epoch: 2, naive: 0, ambiguous: 0, nonexistent: 0, unparsed: 0 });
    assert.equal(describeNormalizeStats(ep.stats, 'UTC', 'earlier', { toZone: 'UTC', noun: 'record' }), 'Converted 2 of 2 records to UTC: 2 were epoch values (UTC by definition).');
    // ISO text: with an offset or Z, and naive (read in the source zone)
    const iso = normalizeTable(parseCsvText('t\n2026-03-02T08:00:00+01:00\n2026-03-02T08:00:00Z\n2026-03-02T08:00:00\n', 'i.csv'), { column: 't', format: 'iso', fromZone: 'Asia/Riyadh', toZone: 'UTC' });
    assert.deepEqual(iso.stats, { rows: 3, converted: 3, empty: 0, aware: 2, epoch: 0, naive: 1, ambiguous: 0, nonexistent: 0, unparsed: 0 });
    assert.equal(describeNormalizeStats(iso.stats, 'Asia/Riyadh', 'earlier', { toZone: 'UTC' }), 'Converted 3 of 3 rows to UTC: 2 carried an offset or Z; 1 had no zone and was read as Asia/Riyadh time.');
    // nothing converted: no empty parentheses
    const none = normalizeTable(parseCsvText('t\nnope\n', 'n.csv'), { column: 't', format: 'iso', fromZone: 'UTC', toZone: 'UTC' });
    assert.equal(describeNormalizeStats(none.stats, 'UTC', 'earlier', { toZone: 'UTC', flagColumn: 't_tz_flag', noun: 'line' }), 'Nothing converted to UTC (1 line).\nNot converted, flagged in t_tz_flag: 1 line (1 not readable as a time).');
  });

  it('CLI tz convert prints the same summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-review-'));
    const input = join(dir, 'syslog.csv');
    writeFileSync(input, csv);
    const c = capture();
    const code = await main(['tz', 'convert', input, '--column', 'ts', '--from', 'Europe/Berlin', '--to', 'UTC', '--year', '2024', '--out', join(dir, 'out.csv')], c.io);
    assert.equal(code, 0, c.err());
    assert.ok(
      c.out().includes(
        '; times without a zone read as Europe/Berlin time, converted to UTC\n' +
          'Converted 3 of 6 rows to UTC: 3 had no zone and were read as Europe/Berlin time; 1 of them is in the hour that repeats when clocks go back: the earlier time was used (flagged).\n' +
          'Not converted, flagged in ts_tz_flag: 2 rows (1 in the hour skipped when clocks go forward; 1 not readable as a time).\n' +
          '1 row with no time in the column: left as it is.\n',
      ),
      c.out(),
    );
  });

  it('CLI tz convert without --from on times that all carry their zone (real Loki CSV) does not claim a zone was applied to naive times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-review-'));
    const input = join(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (1).csv');
    const c = capture();
    const code = await main(['tz', 'convert', input, '--to', 'Europe/Berlin', '--out', join(dir, 'out.csv')], c.io);
    assert.equal(code, 0, c.err());
    // it said "times without a zone read as UTC time": a guess the README says is never made, and there were none
    assert.ok(!/without a zone read as/.test(c.out()), c.out());
    assert.ok(
      c.out().includes(
        'column col_1, format Loki (yyyyMMddTHH:mm:ssZ, UTC); every time carries its zone (no --from needed), converted to Europe/Berlin\n' +
          'Converted 32 of 32 rows to Europe/Berlin: 32 carried an offset or Z.\n',
      ),
      c.out(),
    );
  });
});

describe('tz convert never guesses the zone of a time without an offset, wherever it is in the file', () => {
  it('a naive time after the first 500 rows (all with Z) is exit 2 without --from, no file written; with --from it is read in that zone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-review-'));
    const input = join(dir, 'mixed.csv');
    const lines = ['time,msg'];
    for (let i = 0; i < 600; i++) lines.push(`2026-03-02T08:${String(i % 60).padStart(2, '0')}:00Z,aware ${i}`);
    lines.push('2026-03-02 09:00:00,naive');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'out.csv');
    const c = capture();
    const code = await main(['tz', 'convert', input, '--to', 'UTC', '--out', out], c.io);
    // it was read as UTC, silently but for a count: "1 had no zone and was read as UTC time"
    assert.equal(code, 2, c.out());
    assert.match(c.err(), /column "time" has 1 time without an offset .*: pass --from ZONE \(never guessed\)/);
    assert.equal(existsSync(out), false);
    const c2 = capture();
    assert.equal(await main(['tz', 'convert', input, '--from', 'Europe/Berlin', '--to', 'UTC', '--out', out], c2.io), 0, c2.err());
    assert.match(c2.out(), /Converted 601 of 601 rows to UTC: 600 carried an offset or Z; 1 had no zone and was read as Europe\/Berlin time\./);
    assert.match(readFileSync(out, 'utf8'), /2026-03-02 09:00:00,naive,2026-03-02T08:00:00Z,/);
  });
});

describe('Normalize Timestamps keeps the fraction of a second as written (more than 3 digits), the instant stays in ms', () => {
  const one = (text: string, format: Parameters<typeof parseTimestamp>[1], toZone = 'UTC', fromZone = 'UTC') => {
    const r = normalizeTable(parseCsvText(`t\n${text}\n`, 'f.csv'), { column: 't', format, fromZone, toZone });
    return [r.rows[0].normalized, r.rows[0].ms];
  };
  it('epoch seconds, ms, µs, ns (decimal text, no float rounding)', () => {
    assert.deepEqual(one('1713484795.943239', 'epoch-s'), ['2024-04-18T23:59:55.943239Z', 1713484795943]);
    assert.deepEqual(one('1713484795.943239', 'epoch-s', 'Europe/Berlin'), ['2024-04-19T01:59:55.943239+02:00', 1713484795943]);
    assert.deepEqual(one('1713484795.9999999', 'epoch-s'), ['2024-04-18T23:59:55.9999999Z', 1713484796000]); // ms rounded as before; the text is not
    assert.deepEqual(one('1713484796.000239', 'epoch-s'), ['2024-04-18T23:59:56.000239Z', 1713484796000]);
    assert.deepEqual(one('1713484795943.239', 'epoch-ms'), ['2024-04-18T23:59:55.943239Z', 1713484795943]);
    assert.deepEqual(one('1713484795943239', 'epoch-us'), ['2024-04-18T23:59:55.943239Z', 1713484795943]);
    assert.deepEqual(one('1713484795943239123', 'epoch-ns'), ['2024-04-18T23:59:55.943239123Z', 1713484795943]);
    // 3 digits or fewer: unchanged
    assert.deepEqual(one('1713484795.5', 'epoch-s'), ['2024-04-18T23:59:55.500Z', 1713484795500]);
    assert.deepEqual(one('1713484795943', 'epoch-ms'), ['2024-04-18T23:59:55.943Z', 1713484795943]);
  });
  it('ISO with Z, an offset, or naive', () => {
    assert.deepEqual(one('2024-04-18T23:59:55.943239Z', 'iso'), ['2024-04-18T23:59:55.943239Z', 1713484795943]);
    assert.deepEqual(one('2024-04-19T01:59:55.943239123+02:00', 'iso'), ['2024-04-18T23:59:55.943239123Z', 1713484795943]);
    assert.deepEqual(one('2024-04-19 01:59:55.0001', 'iso', 'UTC', 'Europe/Berlin'), ['2024-04-18T23:59:55.0001Z', 1713484795000]);
    assert.equal(parseTimestamp('2024-04-18T23:59:55.943Z', 'iso').frac, undefined);
  });
});

describe('RFC 3164 syslog: a written year is read; Feb 29 in a common year says why it is unparsed', () => {
  const Z = (s: string) => Date.parse(s);

  it('a year after the time (or before it, Cisco style) wins over the reference year and --year', () => {
    // 2023: DST began on 26 March, so 31 March 02:30 exists (CEST); in 2024 it falls in the gap
    assert.deepEqual(parseTimestamp('Mar 31 02:30:00 2023', 'rfc3164', { sourceZone: 'Europe/Berlin', year: 2024 }), { ms: Z('2023-03-31T00:30:00Z'), aware: false, carriedZone: 'Europe/Berlin' });
    assert.equal(parseTimestamp('Mar 31 02:30:00 2024', 'rfc3164', { sourceZone: 'Europe/Berlin', year: 2023 }).flag, 'nonexistent');
    assert.equal(parseTimestamp('Mar 31 2023 02:30:00', 'rfc3164', { sourceZone: 'Europe/Berlin', year: 2024 }).ms, Z('2023-03-31T00:30:00Z'));
    assert.equal(parseTimestamp('<34>Oct  5 22:14:15.250 2021 host su: x', 'rfc3164', { year: 2024 }).ms, Z('2021-10-05T22:14:15.250Z'));
    // without a year the reference year applies; a number glued to a host name is not a year
    assert.equal(parseTimestamp('Mar 31 02:30:00', 'rfc3164', { sourceZone: 'Europe/Berlin', year: 2023 }).ms, Z('2023-03-31T00:30:00Z'));
    assert.equal(parseTimestamp('Jan 5 10:00:00 2021host', 'rfc3164', { year: 2024 }).ms, Z('2024-01-05T10:00:00Z'));
  });

  it('Feb 29: read in a leap year; in a common year unparsed with the reason', () => {
    assert.equal(parseTimestamp('Feb 29 12:00:00', 'rfc3164', { year: 2024 }).ms, Z('2024-02-29T12:00:00Z'));
    assert.equal(parseTimestamp('Feb 29 12:00:00 2024', 'rfc3164', { year: 2023 }).ms, Z('2024-02-29T12:00:00Z'));
    const r = parseTimestamp('Feb 29 12:00:00', 'rfc3164', { year: 2023 });
    assert.equal(r.flag, 'unparsed');
    assert.equal(r.ms, undefined);
    assert.match(r.note ?? '', /"Feb 29 12:00:00": 29 February does not exist in 2023, the year given for these values: not a leap year/);
    const d = parseTimestamp('Feb 29 12:00:00', 'rfc3164', { referenceMs: Z('2025-06-01T00:00:00Z') });
    assert.match(d.note ?? '', /29 February does not exist in 2025, the reference year \(the text has no year\): not a leap year/);
    assert.match(parseTimestamp('Feb 30 12:00:00', 'rfc3164', { year: 2024 }).note ?? '', /^"Feb 30 12:00:00" has the shape of RFC 3164 syslog .*, but day 30 is out of range \(February 2024 has 29 days\)$/);
  });
});

describe('zone names: canonical spelling and fixed offsets', () => {
  it('IANA names in any case are spelled as the tz database does; unknown names are rejected', () => {
    assert.deepEqual(
      ['europe/paris', 'EUROPE/PARIS', 'Europe/Paris', 'asia/kolkata', 'europe/kyiv', 'america/argentina/buenos_aires', 'etc/gmt-3', 'utc', 'Z'].map(canonicalZone),
      ['Europe/Paris', 'Europe/Paris', 'Europe/Paris', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Etc/GMT-3', 'UTC', 'UTC'],
    );
    assert.equal(canonicalZone('Asia/Calcutta'), 'Asia/Calcutta'); // spelled right: kept as given
    // a link spelled with capitals is kept; the same link in random case gets the zone's canonical name
    assert.equal(canonicalZone('US/Eastern'), 'US/Eastern');
    assert.equal(canonicalZone('uS/eAsTeRn'), 'America/New_York');
    // the picker's list: every zone once, sorted, current and older names both findable
    const all = allZoneNames();
    assert.ok(all.length > 300 && new Set(all).size === all.length && all.every((z, i) => i === 0 || all[i - 1] < z));
    assert.ok(['Europe/Paris', 'Asia/Kolkata', 'America/New_York'].every((z) => all.includes(z)));
    // and only zones a setting accepts: the tz database's EST, MST and HST are refused as abbreviations, so the
    // picker does not offer them (picked, EST was saved and warned about at the next start)
    assert.deepEqual(all.filter((z) => canonicalZone(z) === undefined || !isValidZoneSetting(z)), []);
    assert.ok(!all.includes('EST') && !all.includes('MST') && !all.includes('HST') && all.includes('CET') && all.includes('EST5EDT'));
    assert.equal(canonicalZone('Mars/Base'), undefined);
    assert.equal(resolveZone('europe/paris'), 'Europe/Paris');
    assert.equal(canonicalZoneSetting('LOCAL'), 'local');
    assert.equal(canonicalZoneSetting('europe/paris'), 'Europe/Paris');
    assert.equal(canonicalZoneSetting('Mars/Base'), undefined);
  });

  it('fixed offsets UTC±h[:mm] are accepted in a canonical form and used; GMT+3 and out-of-range offsets are not', () => {
    assert.deepEqual(
      ['UTC+3', 'utc+03', 'UTC-5', 'UTC-05:30', 'utc+0530', 'UTC+14', 'UTC+00:00'].map(canonicalZone),
      ['UTC+3', 'UTC+3', 'UTC-5', 'UTC-05:30', 'UTC+05:30', 'UTC+14', 'UTC'],
    );
    assert.deepEqual(['UTC+15', 'UTC+3:75', 'GMT+3', '+03:00', 'UTC3'].map(canonicalZone), [undefined, undefined, undefined, undefined, undefined]);
    // three or five digits are neither hours nor hhmm (UTC+003 was read as 00:03)
    assert.deepEqual(['UTC+003', 'UTC+05300', 'UTC+530'].map(canonicalZone), [undefined, undefined, undefined]);
    assert.equal(canonicalZone('UTC-1200'), 'UTC-12');
    assert.equal(isValidZoneSetting('UTC+3'), true);
    assert.equal(isValidZoneSetting('GMT+3'), false);
    assert.match(ZONE_HINT, /UTC\+3 or UTC-05:30/);
    assert.equal(formatTime(Date.UTC(2026, 2, 3, 12, 0), 'UTC-05:30'), '2026-03-03 06:30:00');
    assert.equal(formatTime(Date.UTC(2026, 2, 3, 12, 0), resolveZone('utc+3')), '2026-03-03 15:00:00');
    // a naive value read in a fixed offset (it was read in UTC)
    assert.equal(parseTimestamp('2026-03-03 15:00:00', 'iso', { sourceZone: 'UTC+3' }).ms, Date.UTC(2026, 2, 3, 12, 0));
  });

  it('CLI: --tz europe/paris reports in Europe/Paris; --tz UTC+3 works; an unknown zone says what is accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-review-'));
    const f = join(dir, 'offenses.json');
    writeFileSync(f, JSON.stringify([{ id: 1, description: 'X\n', status: 'OPEN', start_time: Date.UTC(2026, 2, 3, 12, 0) }]));
    let c = capture();
    assert.equal(await main(['qradar', f, '--tz', 'europe/paris'], c.io), 0, c.err());
    assert.match(c.out(), /Range \(Europe\/Paris\): 2026-03-03T13:00:00\+01:00/);
    c = capture();
    assert.equal(await main(['qradar', f, '--tz', 'UTC+3', '--json'], c.io), 0, c.err());
    assert.equal(JSON.parse(c.out()).summary.first, '2026-03-03T15:00:00+03:00');
    c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'Mars/Base', '--out', join(dir, 'o.json')], c.io), 2);
    assert.match(c.err(), /--to Mars\/Base: unknown time zone \(use UTC, local, an IANA zone such as Europe\/Paris, or a fixed offset such as UTC\+3 or UTC-05:30\)/);
  });
});
