/**
 * Hostile review of the Normalize Timestamps input probes: a headerless CSV whose first record has second 60 on a
 * date without a leap second (or a syslog `Dec 31 23:59:60`, probed in the year 2000) lost that record as the header,
 * and `detectFormat` found no format for it; a header-only CSV with a column named by ≥ 9 digits was read as data; a
 * JSON array cut short after its first element, or arrays written one after the other, were read as text lines; an
 * indented `  [2024-03-01 12:00:00] first` got no time.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { looksLikeJsonArray, parseLogLinesText, parseTabularText } from '../../src/core/parse/cases-input';
import { readNormalizeInput } from '../../src/core/tz-file';
import { detectFormat, parseTimestamp } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const dir = mkdtempSync(join(tmpdir(), 'tz-probe-hostile-'));
const log = (text: string, name = 'x.log') => parseTabularText(text, name, undefined, { timestampLog: true });

describe('second 60 when probing a cell (shape, not validity)', () => {
  it('a headerless CSV whose first record has 23:59:60 on a date without a leap second: 2 rows, the first unparsed with the reason (was: the header, 1 row)', async () => {
    const f = join(dir, 'l.csv');
    writeFileSync(f, '20240301T23:59:60Z,DS1,NOTICE,a\n20240302T00:00:00Z,DS1,NOTICE,b\n');
    const out = join(dir, 'l-out.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--from', 'UTC', '--to', 'UTC', '--out', out, '--json'], c.io), 0, c.err());
    const s = JSON.parse(c.out());
    assert.deepEqual([s.rows, s.converted, s.unparsed], [2, 1, 1]);
    assert.equal(s.flagged[0].line, 1);
    assert.match(s.flagged[0].message, /second 60 on a date without a leap second/);
    const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith('20240301T23:59:60Z,DS1,NOTICE,a,,"unparsed:'), lines[0]);
    assert.equal(lines[1], '20240302T00:00:00Z,DS1,NOTICE,b,2024-03-02T00:00:00Z,');
  });

  it('a headerless syslog CSV starting with Dec 31 23:59:60 (--year 2016): both rows converted (was: the first one the header)', async () => {
    const f = join(dir, 's.csv');
    writeFileSync(f, 'Dec 31 23:59:60,fw1,leap\nDec 31 23:59:59,fw1,next\n');
    const out = join(dir, 's-out.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--from', 'UTC', '--to', 'UTC', '--year', '2016', '--out', out, '--json'], c.io), 0, c.err());
    const s = JSON.parse(c.out());
    assert.equal(s.format, 'rfc3164');
    assert.deepEqual([s.rows, s.converted, s.unparsed], [2, 2, 0]);
    assert.deepEqual(readFileSync(out, 'utf8').trim().split(/\r?\n/), ['Dec 31 23:59:60,fw1,leap,2016-12-31T23:59:59Z,', 'Dec 31 23:59:59,fw1,next,2016-12-31T23:59:59Z,']);
  });

  it('detectFormat reads second 60 on any date; the conversion still checks it', () => {
    assert.equal(detectFormat(['Dec 31 23:59:60'])?.format, 'rfc3164');
    assert.equal(detectFormat(['20240301T23:59:60Z'])?.format, 'loki');
    assert.equal(detectFormat(['2024-03-01T23:59:60Z'])?.format, 'iso');
    assert.equal(parseTimestamp('Dec 31 23:59:60', 'rfc3164', { year: 2000 }).flag, 'unparsed');
    assert.equal(parseTimestamp('Dec 31 23:59:60', 'rfc3164', { year: 2016 }).ms, Date.parse('2016-12-31T23:59:59Z'));
    assert.match(parseTimestamp('20240301T23:59:60Z', 'loki').note ?? '', /second 60 on a date without a leap second/);
  });
});

describe('a CSV of one record', () => {
  it('a header with a column named by 9 digits stays a header (was: converted as data)', () => {
    const t = log('id,123456789,name\n', 'h.csv');
    assert.deepEqual(t.header, ['id', '123456789', 'name']);
    assert.equal(t.rows.length, 0);
  });

  it('an epoch value beside a field that is no column name is data; beside names only, a header', () => {
    for (const rec of ['1709294400,10.0.0.1,login', '1709294400,,42', '1709294400123,1709294401123']) {
      const t = log(rec + '\n', 'one.csv');
      assert.equal(t.header, undefined, rec);
      assert.equal(t.rows.length, 1, rec);
    }
    assert.deepEqual(log('host1,1709294400,login\n', 'one.csv').header, ['host1', '1709294400', 'login']);
  });

  it('a first field that is an instant is data, even when every other field looks like a column name (was: the header)', () => {
    for (const rec of ['1709294400,host1,login', '1709294400123,host,login', '1709294400.5,src,dst', '1709294400', '1709294400,Event Name,@timestamp']) {
      const t = log(rec + '\n', 'one.csv');
      assert.equal(t.header, undefined, rec);
      assert.deepEqual(t.columns, rec.split(',').map((_, j) => `col_${j + 1}`), rec);
      assert.equal(t.rows.length, 1, rec);
    }
    // a header only names its columns: digits in another field keep it a header
    assert.deepEqual(log('id,123456789,name\n', 'h.csv').header, ['id', '123456789', 'name']);
  });

  it('a date and time is data whatever the other fields (Loki --csv)', () => {
    const t = log('20220119T18:42:50Z,DS1,NOTICE,Init,Starting Loki Scan\n', 'one.csv');
    assert.equal(t.header, undefined);
    assert.equal(t.rows.length, 1);
  });
});

describe('JSON arrays cut short or written one after the other', () => {
  it('are JSON, reported as not valid JSON (were: text lines)', async () => {
    const cut = '[\n  {"time": "2024-03-01T12:00:00Z"}\n';
    const two = '[{"time": "2024-03-01T12:00:00Z"}]\n[{"time": "2024-03-01T12:00:01Z"}]\n';
    for (const [name, text] of [['cut.log', cut], ['two.log', two], ['cut2.txt', '[1, 2]\n[\n  {"a": 1}\n']] as const) {
      assert.ok(looksLikeJsonArray(text), name);
      const f = join(dir, name);
      writeFileSync(f, text);
      const t = await readNormalizeInput(f);
      assert.equal(t.format, 'json', name);
      assert.equal(t.rows.length, 0, name);
      assert.match(t.errors[0]?.message ?? '', /^damaged JSON \(cut short or not valid JSON\): line \d+, column \d+: /, name);
    }
  });

  it('text logs starting with a bracket stay lines', () => {
    for (const text of ['[1709294400] message\n', '[1709294400]\n[1709294401] message\n', '[2024-03-01 12:00:00] a\n', '[] x\n', '[[main] started\n'])
      assert.equal(looksLikeJsonArray(text), false, text);
    assert.ok(looksLikeJsonArray('[]\n'));
    assert.ok(looksLikeJsonArray('[1709294400]\n'));
  });
});

describe('an indented log line', () => {
  it('gets its time (was: empty) and is written unchanged', () => {
    const text = '  [2024-03-01 12:00:00] first\n\t2024-03-01T12:00:01Z second\n';
    const t = log(text);
    assert.equal(t.format, 'lines');
    assert.deepEqual(t.rows.map((r) => [r.values.timestamp, r.values.message, r.raw]), [
      ['2024-03-01 12:00:00', 'first', '  [2024-03-01 12:00:00] first'],
      ['2024-03-01T12:00:01Z', 'second', '\t2024-03-01T12:00:01Z second'],
    ]);
    assert.equal(log('  2024-03-01T12:00:00Z first\n').format, 'lines');
    assert.deepEqual(parseLogLinesText('    at foo (x.js:1)\n', 'x.log').rows[0].values, { timestamp: '', message: '    at foo (x.js:1)' });
  });
});
