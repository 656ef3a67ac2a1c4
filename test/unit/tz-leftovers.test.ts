/**
 * Leftovers of the hostile reviews of Normalize Timestamps: a headerless CSV of one record was taken as a
 * header row (its record never converted); a text log whose first line starts with `[` (`[2024-03-01 12:00:00] …`,
 * Apache's `[Mon Mar 04 …]`, Loki-RS ≤ 2.3) was sniffed as JSON and refused; second 60 was read as a leap second at
 * 23:59:60 UTC on any date, where UTC has had 27 leap seconds (IERS Bulletin C), the last on 2016-12-31 — in
 * Normalize Timestamps and in the Loki timestamps alike.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { isLeapSecondDay, LEAP_SECOND_DATES } from '../../src/core/leap-seconds';
import { parseTabularText } from '../../src/core/parse/cases-input';
import { parseLokiFile, parseLokiFileColumnar, parseLokiText } from '../../src/core/parse/loki';
import { MessageReader } from '../../src/core/parse/loki-store';
import { parseIsoTs, parsePyTs } from '../../src/core/parse/text';
import { normalizeTable, readNormalizeInput, renderNormalized } from '../../src/core/tz-file';
import { parseTimestamp, suggestTimeColumns } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const SHARED = join(__dirname, '../../../../shared/data');
const LOKI_CSV = join(SHARED, 'loki/real-2021-2022/scan_result (1).csv');
const dir = mkdtempSync(join(tmpdir(), 'tz-leftovers-'));

describe('a headerless CSV of one record', () => {
  // the first record of a real Loki --csv scan, alone in its file (a scan cut short after its first line)
  const first = readFileSync(LOKI_CSV, 'utf8').split(/\r?\n/)[0];

  it('is a row, converted (it was the header: 0 rows, nothing converted)', async () => {
    assert.ok(first.startsWith('20220119T18:42:50Z,DS1,NOTICE,Init,Starting Loki Scan VERSION: 0.42.3'));
    for (const name of ['one.csv', 'one.log']) {
      const f = join(dir, name);
      writeFileSync(f, first + '\r\n');
      const t = await readNormalizeInput(f);
      assert.equal(t.format, 'csv', name);
      assert.equal(t.header, undefined, name);
      assert.equal(t.rows.length, 1, name);
      assert.equal(t.rows[0].line, 1);
      assert.equal(t.rows[0].values.col_1, '20220119T18:42:50Z');
      const s = suggestTimeColumns(t.columns, t.rows.map((r) => r.values));
      assert.deepEqual([s[0].column, s[0].guess.format], ['col_1', 'loki']);
      const r = normalizeTable(t, { column: 'col_1', format: 'loki', fromZone: 'UTC', toZone: 'Europe/Berlin' });
      assert.deepEqual([r.stats.rows, r.stats.converted], [1, 1]);
      // written without a header: the record itself, then the two added fields
      assert.equal(renderNormalized(t, r), `${first},2022-01-19T19:42:50+01:00,\r\n`);
    }
  });

  it('CLI tz convert converts it (it stopped: "no timestamp column found", exit 2)', async () => {
    const f = join(dir, 'one.csv');
    const out = join(dir, 'one.berlin.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'Europe/Berlin', '--out', out], c.io), 0, c.err());
    assert.match(c.err(), /using column "col_1" \(Loki/);
    assert.match(c.out(), /1 row: 1 converted \(1 with an offset or Z\)/);
    assert.equal(readFileSync(out, 'utf8'), `${first},2022-01-19T19:42:50+01:00,\r\n`);
  });

  it('a header-only CSV stays a header, also one naming its columns by dates (a pivot table), and so does a one-record file without an instant', () => {
    for (const [text, header] of [
      ['time,host,level,module,message\n', ['time', 'host', 'level', 'module', 'message']],
      ['rule,2026-03-01,2026-03-02\n', ['rule', '2026-03-01', '2026-03-02']],
      ['Start Time;Event Name;Source IP\r\n', ['Start Time', 'Event Name', 'Source IP']],
    ] as [string, string[]][]) {
      const t = parseTabularText(text, 'x.csv', undefined, { timestampLog: true });
      assert.deepEqual(t.header, header);
      assert.equal(t.rows.length, 0);
    }
    // one record of each other format with a time of day, and an epoch value: data
    for (const [text, col1] of [
      ['2024-03-05 10:00:00,host1,login\n', '2024-03-05 10:00:00'],
      ['"Mar 4, 2024, 2:20:05 PM",Firewall Deny,10.0.0.1\n', 'Mar 4, 2024, 2:20:05 PM'],
      ['1713484795.943239,CHhAvVGS1DHFjwGM9,10.0.0.5\n', '1713484795.943239'],
    ]) {
      const t = parseTabularText(text, 'x.csv', undefined, { timestampLog: true });
      assert.equal(t.header, undefined, text);
      assert.deepEqual(t.rows.map((r) => r.values.col_1), [col1]);
    }
  });
});

describe('second 60 only on the real leap-second dates (IERS Bulletin C)', () => {
  it('the table: 27 dates, each 30 June or 31 December, 1972-06-30 … 2016-12-31', () => {
    assert.equal(LEAP_SECOND_DATES.length, 27);
    assert.deepEqual([LEAP_SECOND_DATES[0], LEAP_SECOND_DATES[26]], ['1972-06-30', '2016-12-31']);
    for (const d of LEAP_SECOND_DATES) assert.match(d, /^\d{4}-(06-30|12-31)$/);
    assert.deepEqual([...LEAP_SECOND_DATES].sort(), [...LEAP_SECOND_DATES]);
    // cross-check: the first days after them as Modified Julian Dates (the tempo `leap.sec` list, from the IERS bulletins)
    const mjd = [41499, 41683, 42048, 42413, 42778, 43144, 43509, 43874, 44239, 44786, 45151, 45516, 46247, 47161, 47892, 48257, 48804, 49169, 49534, 50083, 50630, 51179, 53736, 54832, 56109, 57204, 57754];
    assert.deepEqual(LEAP_SECOND_DATES.map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000 + 1 + 40_587), mjd);
    assert.equal(isLeapSecondDay(Date.parse('2016-12-31T12:00:00Z')), true);
    assert.equal(isLeapSecondDay(Date.parse('2017-12-31T00:00:00Z')), false);
  });

  it('Normalize Timestamps: each leap second is that day\'s 23:59:59 UTC; 23:59:60 UTC on any other date is unparsed with the reason (was: read as 23:59:59)', () => {
    for (const d of LEAP_SECOND_DATES) {
      const r = parseTimestamp(`${d}T23:59:60Z`, 'iso');
      assert.deepEqual([r.ms, r.flag], [Date.parse(`${d}T23:59:59Z`), undefined], d);
    }
    const cases: [string, 'iso' | 'loki' | 'rfc3164' | 'qradar', string, string?][] = [
      ['2024-12-31T23:59:60Z', 'iso', '2024-12-31'],
      ['2017-12-31T23:59:60Z', 'iso', '2017-12-31'],
      ['1971-12-31T23:59:60Z', 'iso', '1971-12-31'], // before the first one (1972-06-30)
      ['2016-06-30T23:59:60Z', 'iso', '2016-06-30'], // 2016 had one, on 31 December
      ['2025-07-01T01:59:60+02:00', 'iso', '2025-06-30'],
      ['2024-01-01 00:59:60', 'iso', '2023-12-31', 'Europe/Berlin'],
      ['20221231T23:59:60Z', 'loki', '2022-12-31'],
      ['Dec 31 23:59:60 2023', 'rfc3164', '2023-12-31'],
      ['Dec 31, 2023, 11:59:60 PM', 'qradar', '2023-12-31'],
    ];
    for (const [text, f, day, zone] of cases) {
      const r = parseTimestamp(text, f, { sourceZone: zone ?? 'UTC' });
      assert.equal(r.flag, 'unparsed', text);
      assert.equal(r.ms, undefined, text);
      assert.ok(r.note?.includes(`${JSON.stringify(text)}: second 60 on a date without a leap second (${day} UTC; IERS Bulletin C lists 27, at the end of 30 June or 31 December, 1972-06-30 … 2016-12-31)`), `${text}: ${r.note}`);
    }
    // a real one written with an offset, or as a naive wall clock: still read
    assert.equal(parseTimestamp('2015-07-01T01:59:60+02:00', 'iso').ms, Date.parse('2015-06-30T23:59:59Z'));
    assert.equal(parseTimestamp('Jun 30 19:59:60 2012', 'rfc3164', { sourceZone: 'America/New_York' }).ms, Date.parse('2012-06-30T23:59:59Z'));
    // not 23:59:60 UTC at all: the reason as before
    assert.match(parseTimestamp('2016-12-31T12:34:60Z', 'iso').note ?? '', /second 60 exists only as a leap second, at 23:59:60 UTC$/);
  });

  it('a file: the row is flagged unparsed and counted so, the real leap second converted', async () => {
    const f = join(dir, 'leap.csv');
    writeFileSync(f, 'time,event\n2016-12-31T23:59:60Z,real\n2023-12-31T23:59:60Z,none that day\n');
    const t = await readNormalizeInput(f);
    const r = normalizeTable(t, { column: 'time', format: 'iso', fromZone: 'UTC', toZone: 'UTC' });
    assert.deepEqual([r.stats.converted, r.stats.unparsed], [1, 1]);
    assert.deepEqual(r.rows.map((x) => x.normalized), ['2016-12-31T23:59:59Z', '']);
    assert.deepEqual(r.errors.map((e) => e.line), [3]);
    assert.match(r.errors[0].message, /^time: unparsed: .*second 60 on a date without a leap second \(2023-12-31 UTC/);
  });

  it('Loki: 23:59:60 UTC on a date without a leap second is no time on every path (was the day\'s 23:59:59)', async () => {
    assert.ok(Number.isNaN(parsePyTs('20221231T23:59:60Z')));
    assert.ok(Number.isNaN(parseIsoTs('2022-12-31T23:59:60Z')));
    assert.ok(Number.isNaN(parseIsoTs('2023-01-01T00:59:60+01:00')));
    assert.equal(parsePyTs('20150630T23:59:60Z'), Date.parse('2015-06-30T23:59:59Z'));
    assert.equal(parseIsoTs('2015-07-01T01:59:60+02:00'), Date.parse('2015-06-30T23:59:59Z'));
    // the byte path of a Python CSV log, the columnar store and the string path (the real scan's first finding line)
    const lines = readFileSync(LOKI_CSV, 'utf8').split(/\r?\n/).filter(Boolean);
    const finding = lines.find((l) => /^\d{8}T[\d:]{8}Z,DS1,(ALERT|WARNING|NOTICE),FileScan,FILE: /.test(l));
    assert.ok(finding, 'a FileScan line in the real scan');
    const at = (ts: string) => ts + finding!.slice(18);
    const text = [at('20161231T23:59:60Z'), at('20221231T23:59:60Z'), at('20220119T18:50:47Z')].join('\n') + '\n';
    const want = [Date.parse('2016-12-31T23:59:59Z'), NaN, Date.parse('2022-01-19T18:50:47Z')];
    const file = join(dir, 'leap-scan.csv');
    writeFileSync(file, text);
    assert.deepEqual((await parseLokiFile(file)).findings.map((x) => x.timestamp), want);
    assert.deepEqual([...(await parseLokiFileColumnar(file, new MessageReader())).findings].map((x) => x.timestamp), want);
    assert.deepEqual(parseLokiText(text, 'leap-scan.csv').findings.map((x) => x.timestamp), want);
  });
});
