/**
 * Re-review of Normalize Timestamps' inputs: a text log whose time is not followed by white space (a CSV named
 * `.log`: `2024-03-05 10:00:00,host,…`) was read line by line with the date alone as its time, so every line became
 * midnight; a UTF-8 file with one stray windows-1252 byte had every other non-ASCII character changed into mojibake.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTableText, parseLogLinesText, parseTabularText } from '../../src/core/parse/cases-input';
import { normalizeTable, readNormalizeInput, renderNormalized } from '../../src/core/tz-file';

const dir = mkdtempSync(join(tmpdir(), 'tz-rereview-'));

describe('a text log line whose time is not followed by white space', () => {
  it('a CSV named .log (ISO date, space, time, comma) is a headerless CSV, not lines timed at midnight', () => {
    const t = parseTabularText('2024-03-05 10:00:00,host1,login\n2024-03-05 11:30:00,host2,logout\n', 'auth.log', undefined, { timestampLog: true });
    assert.equal(t.format, 'csv');
    assert.equal(t.header, undefined);
    assert.deepEqual(t.rows.map((r) => r.values.col_1), ['2024-03-05 10:00:00', '2024-03-05 11:30:00']);
    const r = normalizeTable(t, { column: 'col_1', format: 'iso', fromZone: 'UTC', toZone: 'UTC' });
    assert.deepEqual(r.rows.map((x) => x.normalized), ['2024-03-05T10:00:00Z', '2024-03-05T11:30:00Z']);
  });

  it('in a log read line by line, such a line has no time (it was given its date at midnight)', () => {
    const t = parseLogLinesText('2024-03-05 10:00:00,123 INFO start\n2024-03-05 10:00:01,host2,x\n2024-03-05T10:00:02.5x y\n2024-03-05 stray date\n', 'app.log');
    assert.deepEqual(t.rows.map((r) => r.values.timestamp), ['2024-03-05 10:00:00,123', '', '', '2024-03-05']);
    assert.deepEqual(t.rows.map((r) => r.raw), ['2024-03-05 10:00:00,123 INFO start', '2024-03-05 10:00:01,host2,x', '2024-03-05T10:00:02.5x y', '2024-03-05 stray date']);
  });
});

describe('bytes that are not UTF-8', () => {
  it('one windows-1252 byte deep inside a UTF-8 file: only that byte is read as windows-1252', () => {
    const buf = Buffer.concat([Buffer.from('host,city\nh1,München\nh2,Zürich €\n', 'utf8'), Buffer.from('h3,K', 'latin1'), Buffer.from([0xf6]), Buffer.from('ln\nh4,Straße\n', 'utf8')]);
    const { text, warning } = decodeTableText(buf, 'x.csv');
    assert.equal(text, 'host,city\nh1,München\nh2,Zürich €\nh3,Köln\nh4,Straße\n');
    assert.equal(warning?.line, 4);
  });

  it('a whole windows-1252 file is read as before; truncated and invalid sequences byte by byte', () => {
    assert.equal(decodeTableText(Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, 0x20, 0x80, 0x0a]), 'w.csv').text, 'München €\n');
    // E2 82 (a cut-off €), ED A0 80 (a UTF-16 surrogate), C0 AF (overlong), F4 90 (above U+10FFFF)
    assert.equal(decodeTableText(Buffer.from([0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xf4, 0x90, 0xe2, 0x82, 0xac]), 'b.csv').text, 'â‚Aí\u00a0€À¯ô\u0090€');
  });

  it('end to end: the written file keeps every UTF-8 character of the input', async () => {
    const f = join(dir, 'mixed.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('time,user\n2024-03-05T10:00:00Z,Jürgen\n2024-03-05T10:00:01Z,', 'utf8'), Buffer.from([0xe9]), Buffer.from('mile\n', 'utf8')]));
    const t = await readNormalizeInput(f);
    const r = normalizeTable(t, { column: 'time', format: 'iso', fromZone: 'UTC', toZone: 'UTC' });
    assert.equal(
      renderNormalized(t, r),
      'time,user,time_normalized,time_tz_flag\r\n2024-03-05T10:00:00Z,Jürgen,2024-03-05T10:00:00Z,\r\n2024-03-05T10:00:01Z,émile,2024-03-05T10:00:01Z,\r\n',
    );
  });
});

describe('windows-1252 bytes 0x80–0x9F', () => {
  it('are read as windows-1252 (€ ’ “ ” – Š), not as invisible C1 controls', () => {
    assert.equal(decodeTableText(Buffer.from([0x80, 0x20, 0x92, 0x93, 0x94, 0x96, 0x8a, 0x0a]), 'q.csv').text, '€ ’“”–Š\n');
  });
});

describe('second 60 is read the same by the Loki parser and Normalize Timestamps', () => {
  it('23:59:60 UTC is that day\'s 23:59:59 in both (Loki made it 00:00:00 of the next day, even the next year); 12:34:60 is no time in both', async () => {
    const { parsePyTs, parseIsoTs } = await import('../../src/core/parse/text');
    const { parseTimestamp } = await import('../../src/core/tz-normalize');
    const cases: [string, 'loki' | 'iso', number | undefined][] = [
      ['20161231T23:59:60Z', 'loki', Date.parse('2016-12-31T23:59:59Z')],
      ['20161231T12:34:60Z', 'loki', undefined],
      ['2016-12-31T23:59:60Z', 'iso', Date.parse('2016-12-31T23:59:59Z')],
      ['2017-01-01T00:59:60+01:00', 'iso', Date.parse('2016-12-31T23:59:59Z')],
      ['2016-12-31T23:59:60+01:00', 'iso', undefined],
      ['2016-12-31T12:34:60.5Z', 'iso', undefined],
    ];
    for (const [text, f, want] of cases) {
      const loki = f === 'loki' ? parsePyTs(text) : parseIsoTs(text);
      assert.equal(Number.isNaN(loki) ? undefined : loki, want, `Loki ${text}`);
      assert.equal(parseTimestamp(text, f, { sourceZone: 'UTC' }).ms, want, `Normalize Timestamps ${text}`);
    }
    // the byte path of a Python CSV log and the columnar store: test/unit/hostile-loki.test.ts (impossible timestamps)
  });
});
