import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { main, type CliIO } from '../../src/cli/cli';
import { readTabular, parseCsvText } from '../../src/core/parse/cases-input';
import { defaultOutputPath, normalizeTable, renderNormalized } from '../../src/core/tz-file';
import {
  detectFormat,
  displayableZone,
  isoInZone,
  majorityZone,
  parseTimestamp,
  suggestTimeColumns,
  wallClockInstants,
} from '../../src/core/tz-normalize';

const SHARED = resolve(__dirname, '../../../../shared/data');
const QRADAR_CSV = join(SHARED, 'qradar/samples/log_activity_export.csv');
const ZEEK_CONN = join(SHARED, 'zeek/json/conn.log');

const Z = (s: string) => Date.parse(s);

describe('DST edge cases (naive local times)', () => {
  test('Europe/Berlin 2024: 02:30 on 31 March does not exist; 02:30 on 27 October occurs twice', () => {
    const gap = parseTimestamp('2024-03-31 02:30:00', 'iso', { sourceZone: 'Europe/Berlin' });
    assert.equal(gap.flag, 'nonexistent');
    assert.equal(gap.ms, undefined);
    assert.match(gap.note!, /does not exist in Europe\/Berlin/);

    const amb = parseTimestamp('2024-10-27 02:30:00', 'iso', { sourceZone: 'Europe/Berlin' });
    assert.equal(amb.flag, 'ambiguous');
    assert.equal(amb.ms, Z('2024-10-27T00:30:00Z')); // earlier = still CEST (+02:00)
    assert.match(amb.note!, /2024-10-27T00:30:00Z or 2024-10-27T01:30:00Z/);
    assert.equal(parseTimestamp('2024-10-27 02:30:00', 'iso', { sourceZone: 'Europe/Berlin', ambiguous: 'later' }).ms, Z('2024-10-27T01:30:00Z'));
    const blank = parseTimestamp('2024-10-27 02:30:00', 'iso', { sourceZone: 'Europe/Berlin', ambiguous: 'blank' });
    assert.equal(blank.ms, undefined);
    assert.equal(blank.flag, 'ambiguous');

    // one minute either side of the changes: unambiguous
    assert.deepEqual(parseTimestamp('2024-03-31 01:59:00', 'iso', { sourceZone: 'Europe/Berlin' }), { ms: Z('2024-03-31T00:59:00Z'), aware: false, carriedZone: 'Europe/Berlin' });
    assert.equal(parseTimestamp('2024-03-31 03:00:00', 'iso', { sourceZone: 'Europe/Berlin' }).ms, Z('2024-03-31T01:00:00Z'));
    assert.equal(parseTimestamp('2024-10-27 03:00:00', 'iso', { sourceZone: 'Europe/Berlin' }).ms, Z('2024-10-27T02:00:00Z'));
    assert.equal(parseTimestamp('2024-10-27 01:59:59', 'iso', { sourceZone: 'Europe/Berlin' }).flag, undefined);
  });

  test('America/New_York 2024: 02:30 on 10 March does not exist; 01:30 on 3 November occurs twice', () => {
    assert.equal(parseTimestamp('2024-03-10T02:30:00', 'iso', { sourceZone: 'America/New_York' }).flag, 'nonexistent');
    const amb = parseTimestamp('2024-11-03T01:30:00', 'iso', { sourceZone: 'America/New_York' });
    assert.equal(amb.flag, 'ambiguous');
    assert.equal(amb.ms, Z('2024-11-03T05:30:00Z')); // EDT -04:00
    assert.equal(parseTimestamp('2024-11-03T01:30:00', 'iso', { sourceZone: 'America/New_York', ambiguous: 'later' }).ms, Z('2024-11-03T06:30:00Z')); // EST
    assert.deepEqual(wallClockInstants(Date.UTC(2024, 10, 3, 1, 30), 'America/New_York'), [Z('2024-11-03T05:30:00Z'), Z('2024-11-03T06:30:00Z')]);
    assert.deepEqual(wallClockInstants(Date.UTC(2024, 2, 10, 2, 30), 'America/New_York'), []);
    // syslog without year in the spring-forward gap
    assert.equal(parseTimestamp('Mar 10 02:30:00', 'rfc3164', { sourceZone: 'America/New_York', year: 2024 }).flag, 'nonexistent');
    // the same wall time is fine in Berlin (its change is three weeks later)
    assert.equal(parseTimestamp('Mar 10 02:30:00', 'rfc3164', { sourceZone: 'Europe/Berlin', year: 2024 }).ms, Z('2024-03-10T01:30:00Z'));
  });

  test('naive vs aware: an offset in the text wins over the source zone and is never flagged', () => {
    const aware = parseTimestamp('2024-10-27T02:30:00+02:00', 'iso', { sourceZone: 'Europe/Berlin' });
    assert.deepEqual(aware, { ms: Z('2024-10-27T00:30:00Z'), aware: true, carriedZone: 'UTC+2' });
    assert.deepEqual(parseTimestamp('2024-10-27T02:30:00Z', 'iso', { sourceZone: 'Europe/Berlin' }), { ms: Z('2024-10-27T02:30:00Z'), aware: true, carriedZone: 'UTC' });
    assert.equal(parseTimestamp('2024-10-27T02:30:00-0430', 'iso').ms, Z('2024-10-27T07:00:00Z'));
    assert.equal(parseTimestamp('2024-10-27T02:30:00-0430', 'iso').carriedZone, 'UTC-04:30');
    const naive = parseTimestamp('2024-10-27T02:30:00', 'iso', { sourceZone: 'Asia/Riyadh' });
    assert.deepEqual(naive, { ms: Z('2024-10-26T23:30:00Z'), aware: false, carriedZone: 'Asia/Riyadh' });
    // naive values default to UTC when no source zone is given
    assert.equal(parseTimestamp('2024-10-27 02:30', 'iso').ms, Z('2024-10-27T02:30:00Z'));
    // custom formats: aware only with an offset token
    assert.equal(parseTimestamp('27/10/2024 02:30', 'custom:dd/MM/yyyy HH:mm', { sourceZone: 'Europe/Berlin' }).flag, 'ambiguous');
    const c = parseTimestamp('27/10/2024 02:30 +01:00', 'custom:dd/MM/yyyy HH:mm ZZ', { sourceZone: 'Europe/Berlin' });
    assert.deepEqual(c, { ms: Z('2024-10-27T01:30:00Z'), aware: true, carriedZone: 'UTC+1' });
  });
});

describe('formats', () => {
  test('epoch units, Loki, QRadar export, RFC 3164 and unreadable values', () => {
    assert.equal(parseTimestamp('1772544005', 'epoch-s').ms, 1772544005000);
    assert.equal(parseTimestamp(1772544005000, 'epoch-ms').ms, 1772544005000);
    assert.equal(parseTimestamp('1772544005000123', 'epoch-us').ms, 1772544005000);
    assert.equal(parseTimestamp('20211013T21:59:33Z', 'loki').ms, Z('2021-10-13T21:59:33Z'));
    assert.equal(parseTimestamp('Mar 3, 2026, 2:20:05 PM', 'qradar', { sourceZone: 'Europe/Berlin' }).ms, 1772544005000);
    assert.equal(parseTimestamp('Mar 3, 2026 2:20 PM', 'qradar', { sourceZone: 'UTC' }).ms, Z('2026-03-03T14:20:00Z'));
    assert.equal(parseTimestamp('Dec 31, 2025, 12:32:59 AM', 'qradar').ms, Z('2025-12-31T00:32:59Z'));
    assert.equal(parseTimestamp('<13>Mar 03 14:20:05 dc02 MSWinEventLog', 'rfc3164', { sourceZone: 'Europe/Berlin', year: 2026 }).ms, 1772544005000);
    // no year: the reference year, or the year before for a date more than 31 days ahead (December log read in January)
    assert.equal(parseTimestamp('Dec 30 23:00:00', 'rfc3164', { referenceMs: Z('2026-01-05T00:00:00Z') }).ms, Z('2025-12-30T23:00:00Z'));
    assert.equal(parseTimestamp('Jan  4 23:00:00', 'rfc3164', { referenceMs: Z('2026-01-05T00:00:00Z') }).ms, Z('2026-01-04T23:00:00Z'));
    assert.equal(parseTimestamp('Feb 30, 2026, 1:00:00 PM', 'qradar').flag, 'unparsed');
    assert.equal(parseTimestamp('yesterday', 'iso').flag, 'unparsed');
    assert.deepEqual(parseTimestamp('', 'iso'), { aware: false });
  });

  test('detection by content and magnitude', () => {
    assert.equal(detectFormat(['1517422326.539915', '1517422385.780131'])!.format, 'epoch-s');
    assert.equal(detectFormat(['1772544005000', '1772544009000'])!.format, 'epoch-ms');
    assert.equal(detectFormat(['1772544005000000'])!.format, 'epoch-us');
    assert.equal(detectFormat(['20211013T21:59:33Z'])!.format, 'loki');
    // the first field of every line of a real Loki --csv log
    const loki = readFileSync(join(SHARED, 'loki/real-2021-2022/scan_result (1).csv'), 'utf8').split(/\r?\n/).filter(Boolean).map((l) => l.split(',')[0]);
    const g = detectFormat(loki)!;
    assert.equal(g.format, 'loki');
    assert.equal(g.share, 1);
    assert.equal(parseTimestamp(loki[0], 'loki').ms, Z('2022-01-19T18:42:50Z'));
    assert.equal(detectFormat(['Mar 3, 2026, 2:20:05 PM', 'Mar 3, 2026, 2:20:09 PM'])!.format, 'qradar');
    assert.equal(detectFormat(['Mar  3 14:20:05'])!.format, 'rfc3164');
    const iso = detectFormat(['2026-03-03T13:20:05Z', '2026-03-03 14:20:05', 'n/a'])!;
    assert.deepEqual(iso, { format: 'iso', share: 2 / 3, sampled: 3, naive: 1, outOfRange: 0 });
    assert.equal(detectFormat(['', null]), undefined);
  });

  test('property: every instant survives naive formatting in a zone and re-reading (except flagged DST values)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Riyadh', 'Australia/Sydney', 'UTC'), (ms, zone) => {
        const s = Math.floor(ms / 1000) * 1000;
        const local = isoInZone(s, zone).replace(/(Z|[+-]\d{2}:\d{2})$/, '');
        const back = parseTimestamp(local, 'iso', { sourceZone: zone, ambiguous: 'earlier' });
        if (back.flag === 'ambiguous') return back.ms === s || wallClockInstants(Date.parse(local + 'Z'), zone).includes(s);
        return back.flag === undefined && back.ms === s;
      }),
      { seed: 6, numRuns: 500 },
    );
  });
});

describe('majority zone', () => {
  test('most timestamps win, ties to UTC, unmappable offsets ignored, no evidence → UTC', () => {
    assert.deepEqual(majorityZone({}), { zone: 'UTC', share: 0, total: 0, reason: 'no timestamps seen yet: UTC' });
    assert.equal(majorityZone({ 'Asia/Riyadh': 7, UTC: 3 }).zone, 'Asia/Riyadh');
    assert.equal(majorityZone({ 'Asia/Riyadh': 7, UTC: 3 }).share, 0.7);
    assert.equal(majorityZone({ 'Asia/Riyadh': 3, UTC: 3 }).zone, 'UTC');
    assert.equal(majorityZone({ 'UTC+3': 5, UTC: 2 }).zone, 'Etc/GMT-3');
    assert.equal(majorityZone({ 'UTC+05:30': 9, 'Europe/Berlin': 1 }).zone, 'Europe/Berlin');
    assert.equal(displayableZone('UTC-4'), 'Etc/GMT+4');
  });
});

describe('normalize files (real data)', () => {
  test('QRadar Log Activity export: Start Time suggested, Europe/Berlin → UTC, exact values', async () => {
    const t = await readTabular(QRADAR_CSV);
    assert.equal(t.rows.length, 5);
    const s = suggestTimeColumns(t.columns, t.rows.map((r) => r.values));
    assert.equal(s[0].column, 'Start Time');
    assert.equal(s[0].guess.format, 'qradar');
    const r = normalizeTable(t, { column: 'Start Time', format: 'qradar', fromZone: 'Europe/Berlin', toZone: 'UTC' });
    assert.deepEqual(
      r.rows.map((x) => x.normalized),
      ['2026-03-03T13:20:05Z', '2026-03-03T13:20:09Z', '2026-03-03T13:21:40Z', '2026-03-03T13:22:48Z', '2026-03-03T13:22:48Z'],
    );
    assert.equal(r.rows[0].ms, 1772544005000); // qradar.md §7: Mar 3, 2026, 2:20:05 PM Berlin = 1772544005000 ms
    assert.deepEqual(r.stats, { rows: 5, converted: 5, empty: 0, aware: 0, epoch: 0, naive: 5, ambiguous: 0, nonexistent: 0, unparsed: 0 });
    assert.deepEqual(r.evidence, { 'Europe/Berlin': 5 });
    const out = renderNormalized(t, r);
    const lines = out.split('\r\n');
    assert.equal(lines[0], 'Event Name,Log Source,Event Count,Start Time,Low Level Category,Source IP,Source Port,Destination IP,Destination Port,Username,Magnitude,Start Time_normalized,Start Time_tz_flag');
    // row 4 keeps its quoted comma and doubled quotes
    assert.equal(lines[4], '"Firewall Deny ""Block SMB outbound"", policy 12",CheckPoint @ fw-edge-01.corp.example,3,"Mar 3, 2026, 2:22:48 PM",Firewall Deny,10.20.14.77,51544,203.0.113.45,445,,4,2026-03-03T13:22:48Z,');
    // to Asia/Riyadh
    const riy = normalizeTable(t, { column: 'Start Time', format: 'qradar', fromZone: 'Europe/Berlin', toZone: 'Asia/Riyadh' });
    assert.equal(riy.rows[0].normalized, '2026-03-03T16:20:05+03:00');
  });

  test('Zeek conn.log (NDJSON, epoch seconds): ts detected, 29 rows converted', async () => {
    const t = await readTabular(ZEEK_CONN);
    assert.equal(t.format, 'ndjson');
    assert.equal(t.rows.length, 29);
    const s = suggestTimeColumns(t.columns, t.rows.map((r) => r.values));
    assert.equal(s[0].column, 'ts');
    assert.equal(s[0].guess.format, 'epoch-s');
    const r = normalizeTable(t, { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'UTC' });
    assert.equal(r.stats.converted, 29);
    assert.equal(r.stats.aware, 29);
    // ts 1517422326.539915: the microseconds as written (not rounded to .540); the instant stays in ms
    assert.equal(r.rows[0].normalized, '2018-01-31T18:12:06.539915Z');
    assert.equal(r.rows[0].ms, 1517422326540);
    const nd = renderNormalized(t, r).trim().split('\n');
    assert.equal(nd.length, 29);
    assert.equal(JSON.parse(nd[0]).ts_normalized, '2018-01-31T18:12:06.539915Z');
  });

  test('flags per row in the output; bad CSV records reported with their line', () => {
    const t = parseCsvText('time,msg\n2024-10-27 02:30:00,amb\n2024-03-31 02:30:00,gap\nnope,bad\n"2024-01-01 00:00:00,x\n', 'x.csv');
    const r = normalizeTable(t, { column: 'time', format: 'iso', fromZone: 'Europe/Berlin', toZone: 'UTC' });
    // the record with the unclosed quote (line 5) is kept with its quote as text: its time does not parse
    assert.deepEqual(r.stats, { rows: 4, converted: 1, empty: 0, aware: 0, epoch: 0, naive: 1, ambiguous: 1, nonexistent: 1, unparsed: 2 });
    assert.deepEqual(r.errors.map((e) => e.line), [2, 3, 4, 5]);
    assert.equal(t.errors.length, 1);
    assert.equal(t.errors[0].line, 5);
    assert.match(t.errors[0].message, /^unclosed quote/);
    assert.equal(defaultOutputPath('/a/b/export.csv', 'Asia/Riyadh'), '/a/b/export.asia-riyadh.csv');
  });
});

describe('soc-analytics tz convert', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
    return { io, out: () => out.join(''), err: () => err.join('') };
  };
  const dir = mkdtempSync(join(tmpdir(), 'soc-tz-'));

  test('converts the real QRadar export and leaves the input untouched', async () => {
    const before = readFileSync(QRADAR_CSV);
    const outFile = join(dir, 'export.utc.csv');
    const c = capture();
    const code = await main(['tz', 'convert', QRADAR_CSV, '--column', 'Start Time', '--from', 'Europe/Berlin', '--to', 'UTC', '--out', outFile, '--json'], c.io);
    assert.equal(code, 0, c.err());
    const j = JSON.parse(c.out());
    assert.equal(j.format, 'qradar');
    assert.equal(j.converted, 5);
    assert.ok(readFileSync(QRADAR_CSV).equals(before));
    assert.match(readFileSync(outFile, 'utf8'), /"Mar 3, 2026, 2:20:05 PM",User Login Failure,.*,2026-03-03T13:20:05Z,\r\n/);
  });

  test('bad arguments exit 2; naive values without --from are refused (never guessed)', async () => {
    const cases: [string[], RegExp][] = [
      [['tz', 'convert', QRADAR_CSV, '--to', 'UTC', '--out', join(dir, 'a.csv')], /pass --from ZONE/],
      [['tz', 'convert', QRADAR_CSV, '--from', 'Mars/Base', '--to', 'UTC', '--out', join(dir, 'a.csv')], /--from Mars\/Base: unknown time zone/],
      [['tz', 'convert', QRADAR_CSV, '--to', 'UTC', '--out', QRADAR_CSV], /--out must differ/],
      [['tz', 'convert', QRADAR_CSV, '--column', 'Nope', '--to', 'UTC', '--out', join(dir, 'a.csv')], /no column "Nope"/],
      [['tz', 'convert', join(dir, 'missing.csv'), '--to', 'UTC', '--out', join(dir, 'a.csv')], /no such file/],
      [['tz', 'frobnicate'], /unknown tz command/],
    ];
    for (const [argv, re] of cases) {
      const c = capture();
      assert.equal(await main(argv, c.io), 2, argv.join(' '));
      assert.match(c.err(), re);
    }
  });

  test('the DST flags reach the output file', async () => {
    const f = join(dir, 'dst.csv');
    writeFileSync(f, 'time,msg\n2024-11-03 01:30:00,amb\n2024-03-10 02:30:00,gap\n2024-07-01 12:00:00,ok\n');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--from', 'America/New_York', '--to', 'UTC', '--out', join(dir, 'dst.out.csv')], c.io), 0, c.err());
    const rows = readFileSync(join(dir, 'dst.out.csv'), 'utf8').split('\r\n');
    assert.match(rows[1], /^2024-11-03 01:30:00,amb,2024-11-03T05:30:00Z,ambiguous: 2024-11-03T01:30:00 occurs twice/);
    assert.match(rows[2], /^2024-03-10 02:30:00,gap,,nonexistent: 2024-03-10T02:30:00 does not exist/);
    assert.equal(rows[3], '2024-07-01 12:00:00,ok,2024-07-01T16:00:00Z,');
    assert.match(c.out(), /Converted 2 of 3 rows to UTC: 2 had no zone and were read as America\/New_York time; 1 of them is in the hour that repeats when clocks go back: the earlier time was used \(flagged\)\.\nNot converted, flagged in time_tz_flag: 1 row \(1 in the hour skipped when clocks go forward\)\.\n/);
  });
});
