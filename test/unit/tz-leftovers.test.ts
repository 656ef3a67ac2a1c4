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
import { looksLikeJsonArray, parseLogLinesText, parseTabularText } from '../../src/core/parse/cases-input';
import { parseLokiFile, parseLokiFileColumnar, parseLokiText } from '../../src/core/parse/loki';
import { MessageReader } from '../../src/core/parse/loki-store';
import { parseIsoTs, parsePyTs } from '../../src/core/parse/text';
import { normalizeTable, readNormalizeInput, renderNormalized } from '../../src/core/tz-file';
import { parseTimestamp, suggestTimeColumns } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const SHARED = join(__dirname, '../../../../shared/data');
const LOKI_CSV = join(SHARED, 'loki/real-2021-2022/scan_result (1).csv');
const RS_LEGACY = join(__dirname, '../../../test/fixtures/loki/rs-legacy.log');
const dir = mkdtempSync(join(tmpdir(), 'tz-leftovers-'));

describe('a headerless CSV of one record', () => {
  // the first record of a real Loki --csv scan, alone in its file (a scan cut short after its first line)
  const first = readFileSync(LOKI_CSV, 'utf8').split(/\r?\n/)[0];

  // written as RFC 4180: the message holds a comma ("Stepping 2, GenuineIntel"), so it is one quoted field
  const quoted = `${first.split(',').slice(0, 4).join(',')},"${first.split(',').slice(4).join(',')}",2022-01-19T19:42:50+01:00,\r\n`;

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
      assert.equal(renderNormalized(t, r), quoted);
    }
  });

  it('CLI tz convert converts it (it stopped: "no timestamp column found", exit 2)', async () => {
    const f = join(dir, 'one.csv');
    const out = join(dir, 'one.berlin.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'Europe/Berlin', '--out', out], c.io), 0, c.err());
    assert.match(c.err(), /using column "col_1" \(Loki/);
    assert.match(c.out(), /Converted 1 of 1 row to Europe\/Berlin: 1 carried an offset or Z\./);
    assert.equal(readFileSync(out, 'utf8'), quoted);
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

describe('a text log whose first line starts with "["', () => {
  it('Loki-RS ≤ 2.3 (flexi_logger, "[2026-01-05T10:00:00Z] INFO …") is read line by line, the bracketed time found (it was refused: not valid JSON)', async () => {
    const t = await readNormalizeInput(RS_LEGACY);
    assert.equal(t.format, 'lines');
    assert.deepEqual(t.errors, []);
    assert.deepEqual(t.rows.map((r) => [r.line, r.values.timestamp]), [
      [1, '2026-01-05T09:59:00Z'],
      [2, '2026-01-05T10:00:00Z'],
      [3, ''],
      [4, ''],
      [5, ''],
      [6, ''],
      [7, '2026-01-05T10:05:00Z'],
    ]);
    assert.equal(t.rows[0].values.message, 'INFO Loki-RS scan started VERSION: 2.3.1-beta');
    const r = normalizeTable(t, { column: 'timestamp', format: 'iso', fromZone: 'UTC', toZone: 'Asia/Riyadh' });
    assert.deepEqual([r.stats.rows, r.stats.converted, r.stats.empty], [7, 3, 4]);
    const out = renderNormalized(t, r).split('\n');
    assert.equal(out[0], '2026-01-05T12:59:00+03:00\t\t[2026-01-05T09:59:00Z] INFO Loki-RS scan started VERSION: 2.3.1-beta');
    assert.equal(out[2], '\t\t         SCORE: 90 TYPE: ELF SIZE: 4096');
    assert.equal(out.length, 8);
  });

  it('CLI tz convert reads it (exit 0; it was exit 2, "not valid JSON")', async () => {
    const c = capture();
    const out = join(dir, 'rs-legacy.riyadh.log');
    assert.equal(await main(['tz', 'convert', RS_LEGACY, '--to', 'Asia/Riyadh', '--out', out], c.io), 0, c.err());
    assert.match(c.err(), /using column "timestamp" \(ISO 8601/);
    assert.match(c.out(), /Converted 3 of 7 lines to Asia\/Riyadh: /);
    assert.equal(readFileSync(out, 'utf8').split('\n')[6], '2026-01-05T13:05:00+03:00\t\t[2026-01-05T10:05:00Z] INFO Loki-RS scan finished. Alerts: 1 Warnings: 0 Notices: 0');
  });

  it("Apache's error log: the time in brackets with its weekday is read (rfc3164), a weekday that is not the date's is unparsed with the reason", () => {
    const text =
      '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico\n' +
      '[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test\n' +
      '[Sat Sep 09 10:42:29 2011] [error] wrong weekday\n';
    const t = parseTabularText(text, 'error_log.txt', undefined, { timestampLog: true });
    assert.equal(t.format, 'lines');
    assert.deepEqual(t.rows.map((r) => r.values.timestamp), ['Fri Sep 09 10:42:29.902022 2011', 'Wed Oct 11 14:32:52 2000', 'Sat Sep 09 10:42:29 2011']);
    assert.equal(t.rows[0].values.message, '[core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico');
    const r = normalizeTable(t, { column: 'timestamp', format: 'rfc3164', fromZone: 'America/New_York', toZone: 'UTC' });
    assert.deepEqual(r.rows.map((x) => x.normalized), ['2011-09-09T14:42:29.902022Z', '2000-10-11T18:32:52Z', '']);
    assert.match(r.rows[2].flag, /^unparsed: .*"Sat Sep 09 10:42:29 2011": Sat does not match the date, a Fri$/);
  });

  it('other bracketed starts: a time in brackets is found, anything else is a line without a time; no line is lost', () => {
    const t = parseTabularText(
      '[2024-03-01 12:00:00] message one\n[ 2024-03-01 12:00:01,250 ]: python logging\n[1709294402] epoch in brackets\n[INFO] no time\n[    0.000000] dmesg\n[Mar  1 12:00:03] syslog time\n',
      'app.log',
      undefined,
      { timestampLog: true },
    );
    assert.equal(t.format, 'lines');
    assert.deepEqual(t.rows.map((r) => [r.values.timestamp, r.values.message]), [
      ['2024-03-01 12:00:00', 'message one'],
      ['2024-03-01 12:00:01,250', ': python logging'],
      ['1709294402', 'epoch in brackets'],
      ['', '[INFO] no time'],
      ['', '[    0.000000] dmesg'],
      ['Mar  1 12:00:03', 'syslog time'],
    ]);
    // a text log that starts with a non-bracketed line keeps reading bracketed lines' times
    assert.deepEqual(parseLogLinesText('2024-03-01T12:00:00Z a\n[2024-03-01T12:00:01Z] b\n', 'x.log').rows.map((r) => r.values.timestamp), ['2024-03-01T12:00:00Z', '2024-03-01T12:00:01Z']);
  });

  it('JSON is still JSON: an array of objects, of values, empty, cut short (reported), a .json file whatever it holds', () => {
    for (const t of ['[]', '[ ]\n', '[{"ts":1}]', '[\n  {"ts": "2024-03-01T12:00:00Z", "m": "a]b"},\n', '[1709294400, 1709294401]', '["a", "b"]', '[null,1]', '[{"ts": "cut', '[{"a": [1, 2'])
      assert.equal(looksLikeJsonArray(t), true, t);
    for (const t of ['[2024-03-01 12:00:00] x', '[Mon Mar 04 12:00:00 2024] x', '[1709294400] x', '["INFO"] x', '[INFO] x', '[[main] started', '[-] x', '[0.5] x', '[{"a":1} x'])
      assert.equal(looksLikeJsonArray(t), false, t);
    const cut = parseTabularText('[\n  {"ts": "2024-03-01T12:00:00Z"},\n  {"ts": "2024-03-01T12:', 'cut.log', undefined, { timestampLog: true });
    assert.equal(cut.format, 'json');
    assert.match(cut.errors[0]?.message ?? '', /^damaged JSON \(cut short or not valid JSON\): line \d+, column \d+: /);
    assert.equal(parseTabularText('[2024-03-01 12:00:00] x\n', 'x.json', undefined, { timestampLog: true }).format, 'json');
    // the case readers (not the Normalize input) sniff "[" as before
    assert.equal(parseTabularText('[2024-03-01 12:00:00] x\n', 'cases.txt').format, 'json');
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
      // the whole note: the text has its format's shape, only its second is wrong (no "not ISO 8601: …")
      assert.equal(r.note, `${JSON.stringify(text)}: second 60 on a date without a leap second (${day} UTC; IERS Bulletin C lists 27, at the end of 30 June or 31 December, 1972-06-30 … 2016-12-31)`, text);
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
