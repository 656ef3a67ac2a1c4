/**
 * Hostile review of Normalize Timestamps / tz convert inputs (2026-12): a CSV without a header row (Loki's real
 * `--csv` log), a plain syslog `.log`, bytes that are not UTF-8, NDJSON lines that are not objects, a TSV — no
 * record may be lost or changed, and every problem of the input is reported with file and line.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { normalizeTable, readNormalizeInput, renderNormalized } from '../../src/core/tz-file';
import { suggestTimeColumns } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const SHARED = join(__dirname, '../../../../shared/data');
const LOKI_CSV = join(SHARED, 'loki/real-2021-2022/scan_result (1).csv');
const dir = mkdtempSync(join(tmpdir(), 'tz-files-'));


describe('a CSV without a header row (Loki --csv, real scan)', () => {
  it('its first record is a row, converted like the others (it was taken as the header: never converted, not counted)', async () => {
    const lines = readFileSync(LOKI_CSV, 'utf8').split(/\r?\n/).filter(Boolean);
    assert.equal(lines.length, 32);
    const t = await readNormalizeInput(LOKI_CSV);
    assert.equal(t.header, undefined);
    assert.equal(t.rows.length, 32);
    assert.equal(t.rows[0].line, 1);
    const s = suggestTimeColumns(t.columns, t.rows.map((r) => r.values));
    assert.equal(s[0].column, 'col_1');
    assert.equal(s[0].guess.format, 'loki');
    const r = normalizeTable(t, { column: 'col_1', format: 'loki', fromZone: 'UTC', toZone: 'Europe/Berlin' });
    assert.equal(r.stats.rows, 32);
    assert.equal(r.stats.converted, 32);
    const out = renderNormalized(t, r).split('\r\n').filter(Boolean);
    assert.equal(out.length, 32, 'no header line is added');
    // the message holds a comma ("Stepping 2, GenuineIntel"): one field, quoted (RFC 4180)
    assert.ok(out[0].startsWith('20220119T18:42:50Z,DS1,NOTICE,Init,"Starting Loki Scan VERSION: 0.42.3'));
    assert.ok(out[0].endsWith(',2022-01-19T19:42:50+01:00,'), out[0].slice(-60));
  });

  it('a CSV with a header keeps it (the QRadar export), and so does a pivot table with dates as headers', async () => {
    const q = await readNormalizeInput(join(SHARED, 'qradar/samples/log_activity_export.csv'));
    assert.ok(q.header?.includes('Start Time'));
    assert.equal(q.rows.length, 5);
    const f = join(dir, 'pivot.csv');
    writeFileSync(f, 'rule,2026-03-01,2026-03-02\nBrute force,4,7\nPhish,1,0\n');
    const p = await readNormalizeInput(f);
    assert.deepEqual(p.header, ['rule', '2026-03-01', '2026-03-02']);
    assert.equal(p.rows.length, 2);
  });
});

describe('a plain text log (syslog lines)', () => {
  const f = join(dir, 'auth.log');
  writeFileSync(
    f,
    'Mar 29 02:30:00 fw01 sshd[1]: Failed password for root\n' +
      'Mar 29 03:30:00 fw01 sshd[2]: Accepted password, for bob\n' +
      '    at java.lang.Thread.run(Thread.java:750)\n' +
      'Oct 25 02:30:00 fw01 kernel: x\n',
  );

  it('is read line by line: the first line is a row (it was the CSV header) and commas do not split a line', async () => {
    const t = await readNormalizeInput(f);
    assert.equal(t.format, 'lines');
    assert.deepEqual(t.rows.map((r) => [r.line, r.values.timestamp]), [
      [1, 'Mar 29 02:30:00'],
      [2, 'Mar 29 03:30:00'],
      [3, ''],
      [4, 'Oct 25 02:30:00'],
    ]);
    const r = normalizeTable(t, { column: 'timestamp', format: 'rfc3164', fromZone: 'Europe/Berlin', toZone: 'UTC', year: 2026 });
    assert.deepEqual(
      { rows: r.stats.rows, converted: r.stats.converted, nonexistent: r.stats.nonexistent, ambiguous: r.stats.ambiguous, empty: r.stats.empty },
      { rows: 4, converted: 2, nonexistent: 1, ambiguous: 1, empty: 1 },
    );
    assert.deepEqual(r.errors.map((e) => e.line), [1, 4]);
    const out = renderNormalized(t, r).split('\n');
    assert.match(out[0], /^\tnonexistent: 2026-03-29T02:30:00 does not exist in Europe\/Berlin[^\t]*\tMar 29 02:30:00 fw01 sshd\[1\]: Failed password for root$/);
    assert.equal(out[1], '2026-03-29T01:30:00Z\t\tMar 29 03:30:00 fw01 sshd[2]: Accepted password, for bob');
    assert.equal(out[2], '\t\t    at java.lang.Thread.run(Thread.java:750)');
    assert.match(out[3], /^2026-10-25T00:30:00Z\tambiguous: .*\tOct 25 02:30:00 fw01 kernel: x$/);
  });

  it('CLI: the column is "timestamp" and the first line is flagged', async () => {
    const c = capture();
    const code = await main(['tz', 'convert', f, '--from', 'Europe/Berlin', '--to', 'UTC', '--year', '2026', '--out', join(dir, 'auth.utc.log')], c.io);
    assert.equal(code, 0, c.err());
    assert.match(c.out(), /Converted 2 of 4 lines to UTC: /);
    assert.match(c.out(), /auth\.log:1: timestamp: nonexistent/);
  });
});

describe('bytes, lines and delimiters are kept', () => {
  it('a Latin-1 byte is read as windows-1252 and reported (it became U+FFFD in the output)', async () => {
    const f = join(dir, 'latin1.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('time,city\n2026-03-03T12:00:00Z,Berlin\n2026-03-03T13:00:00Z,M'), Buffer.from([0xfc]), Buffer.from('nchen\n')]));
    const t = await readNormalizeInput(f);
    assert.equal(t.rows[1].values.city, 'München');
    assert.deepEqual(t.errors.map((e) => [e.line, e.message]), [[3, 'not UTF-8 (first invalid byte on this line): the bytes that are not UTF-8 are read as windows-1252']]);
    const out = renderNormalized(t, normalizeTable(t, { column: 'time', format: 'iso', fromZone: 'UTC', toZone: 'UTC' }));
    assert.ok(out.includes('München'));
    assert.ok(!out.includes('\ufffd'));
  });

  it('NDJSON: a line that is not a JSON object stays at its place in the output (it was dropped)', async () => {
    const f = join(dir, 'conn.jsonl');
    writeFileSync(f, '{"ts":1713484800.5,"uid":"C1"}\n{"ts":1713484801,"uid":"C2",\n[1,2]\n{"ts":1713484802,"uid":"C3"}\n');
    const t = await readNormalizeInput(f);
    const out = renderNormalized(t, normalizeTable(t, { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'UTC' })).split('\n');
    assert.deepEqual(out, [
      '{"ts":1713484800.5,"uid":"C1","ts_normalized":"2024-04-19T00:00:00.500Z","ts_tz_flag":""}',
      '{"ts":1713484801,"uid":"C2",',
      '[1,2]',
      '{"ts":1713484802,"uid":"C3","ts_normalized":"2024-04-19T00:00:02Z","ts_tz_flag":""}',
      '',
    ]);
  });

  it('JSON array: an element that is not an object stays at its place', async () => {
    const f = join(dir, 'arr.json');
    writeFileSync(f, '[{"t":"2026-03-03T12:00:00Z"},"stray",null,{"t":"2026-03-03T13:00:00Z"}]');
    const t = await readNormalizeInput(f);
    const arr = JSON.parse(renderNormalized(t, normalizeTable(t, { column: 't', format: 'iso', fromZone: 'UTC', toZone: 'UTC+3' })));
    assert.deepEqual(arr.map((o: unknown) => (o && typeof o === 'object' ? (o as Record<string, string>).t_normalized : o)), [
      '2026-03-03T15:00:00+03:00',
      'stray',
      null,
      '2026-03-03T16:00:00+03:00',
    ]);
  });

  it('a TSV is written tab-separated (it was comma-separated under the .tsv name), formulas still neutralised', async () => {
    const f = join(dir, 'events.tsv');
    writeFileSync(f, 'time\tuser\tnote\r\n2026-03-03T12:00:00Z\t=cmd|calc!A0\t-1+1\r\n');
    const t = await readNormalizeInput(f);
    const out = renderNormalized(t, normalizeTable(t, { column: 'time', format: 'iso', fromZone: 'UTC', toZone: 'UTC' }));
    assert.equal(out, "time\tuser\tnote\ttime_normalized\ttime_tz_flag\r\n2026-03-03T12:00:00Z\t'=cmd|calc!A0\t'-1+1\t2026-03-03T12:00:00Z\t\r\n");
  });

  it('CLI: every input problem is listed with file and line, and --json carries them', async () => {
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"ts":1713484800}\nnot json\n{"ts":1713484801}\n');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--out', join(dir, 'bad.out.jsonl')], c.io), 0, c.err());
    assert.match(c.out(), /1 input problem \(every record is kept in the output\):\n {2}bad\.jsonl:2: not valid JSON/);
    const j = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--out', join(dir, 'bad.out.jsonl'), '--force', '--json'], j.io), 0);
    const sum = JSON.parse(j.out());
    assert.equal(sum.inputErrors, 1);
    assert.equal(sum.inputProblems[0].line, 2);
    assert.equal(readFileSync(join(dir, 'bad.out.jsonl'), 'utf8').split('\n')[1], 'not json');
  });
});
