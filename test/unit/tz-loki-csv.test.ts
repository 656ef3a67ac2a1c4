/**
 * Normalize Timestamps on Python Loki's `--csv` log (loki-format.md §1.1: no header row, no quoting; the MESSAGE is
 * free text holding `,` and quotes; "split on the first 4 commas"). csv-parse split each message at its commas into
 * `col_6`…, so the two added fields landed inside the message for a Loki reader (the audit's struts line read back
 * as `…CVE-2017-9805,,,2021-10-14T00:20:58+02:00,`), every such line was an "input problem", and a message piece that
 * starts with `"` was read as a quoted field.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../src/cli/cli';
import { normalizeTable, readNormalizeInput, renderNormalized } from '../../src/core/tz-file';
import { capture } from './cli-capture';

const SHARED = join(__dirname, '../../../../shared/data');
// a real Loki --csv scan (DS-SER1), named .log as Loki writes it
const REAL = join(SHARED, 'loki/real-2021-2022/scan_result (1).log');
const dir = mkdtempSync(join(tmpdir(), 'tz-loki-csv-'));

describe('Normalize Timestamps on a Loki --csv log', () => {
  const lines = readFileSync(REAL, 'utf8').split(/\r?\n/).filter(Boolean);

  it('reads each line as 5 fields, the message whole, with no input problem', async () => {
    assert.equal(lines.length, 23);
    const t = await readNormalizeInput(REAL);
    assert.equal(t.format, 'csv');
    assert.equal(t.header, undefined);
    assert.deepEqual(t.columns, ['col_1', 'col_2', 'col_3', 'col_4', 'col_5']);
    assert.deepEqual(t.errors, []);
    assert.equal(t.rows.length, 23);
    // the first line's message holds a comma ("Stepping 4, GenuineIntel"); line 18 (the struts hash IOC) holds two
    assert.match(String(t.rows[0].values.col_5), /Stepping 4, GenuineIntel ARCH: 32bit WindowsPE$/);
    const struts = t.rows.find((r) => r.line === 18)!;
    assert.deepEqual([struts.values.col_3, struts.values.col_4], ['ALERT', 'FileScan']);
    assert.equal(struts.values.col_5, lines[17].split(',').slice(4).join(','));
    assert.match(String(struts.values.col_5), /CVE-2017-5638 \| CVE-2017-9791 \| CVE-2017-9805$/);
  });

  it('writes every record as 7 CSV fields: the 5 of the line, the converted time, its flag', async () => {
    const t = await readNormalizeInput(REAL);
    const r = normalizeTable(t, { column: 'col_1', format: 'loki', fromZone: 'UTC', toZone: 'Europe/Berlin' });
    assert.deepEqual([r.stats.rows, r.stats.converted], [23, 23]);
    const back = parse(renderNormalized(t, r), { relax_column_count: true }) as string[][];
    assert.deepEqual([...new Set(back.map((x) => x.length))], [7]);
    const s = back[17];
    assert.equal(s[4], lines[17].split(',').slice(4).join(','));
    assert.deepEqual(s.slice(5), ['2021-10-14T00:20:58+02:00', '']);
  });

  it('keeps a message piece that starts with a quote as text, and every line a row of its own', async () => {
    const f = join(dir, 'quotes.log');
    const ls = [
      '20220119T18:42:50Z,DS1,WARNING,ProcessScan,PID: 4711 NAME: cmd.exe CMD: cmd /c a,"b c',
      '20220119T18:43:00Z,DS1,NOTICE,Results,Results: 0 alerts, 1 warnings, 0 notices',
      '20220119T18:43:01Z,DS1,NOTICE,Results,Finished LOKI Scan SYSTEM: DS1 TIME: 20220119T18:43:01Z',
    ];
    writeFileSync(f, ls.join('\r\n') + '\r\n');
    const t = await readNormalizeInput(f);
    assert.equal(t.rows.length, 3);
    assert.deepEqual(t.rows.map((r) => r.values.col_5), ['PID: 4711 NAME: cmd.exe CMD: cmd /c a,"b c', 'Results: 0 alerts, 1 warnings, 0 notices', 'Finished LOKI Scan SYSTEM: DS1 TIME: 20220119T18:43:01Z']);
    const r = normalizeTable(t, { column: 'col_1', format: 'loki', fromZone: 'UTC', toZone: 'Asia/Kolkata' });
    const back = parse(renderNormalized(t, r)) as string[][];
    assert.deepEqual(back.map((x) => [x[4], x[5]]), [
      ['PID: 4711 NAME: cmd.exe CMD: cmd /c a,"b c', '2022-01-20T00:12:50+05:30'],
      ['Results: 0 alerts, 1 warnings, 0 notices', '2022-01-20T00:13:00+05:30'],
      ['Finished LOKI Scan SYSTEM: DS1 TIME: 20220119T18:43:01Z', '2022-01-20T00:13:01+05:30'],
    ]);
  });

  it('reads the stdout form (TS,HOST,TYPE,MESSAGE) on its first 3 commas', async () => {
    const f = join(dir, 'stdout.csv');
    writeFileSync(f, '20220119T18:42:50Z,DS1,NOTICE,Starting Loki Scan VERSION: 0.42.3 PROC: Intel64 Family 6, GenuineIntel\n20220119T18:43:00Z,DS1,ALERT,FILE: C:\\a,b.exe SCORE: 100\n');
    const t = await readNormalizeInput(f);
    assert.deepEqual(t.columns, ['col_1', 'col_2', 'col_3', 'col_4']);
    assert.deepEqual(t.rows.map((r) => r.values.col_4), ['Starting Loki Scan VERSION: 0.42.3 PROC: Intel64 Family 6, GenuineIntel', 'FILE: C:\\a,b.exe SCORE: 100']);
  });

  it('CLI tz convert: no input problem reported, the struts line intact', async () => {
    const out = join(dir, 'real.berlin.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', REAL, '--to', 'Europe/Berlin', '--out', out], c.io), 0, c.err());
    assert.match(c.out(), /Converted 23 of 23 rows to Europe\/Berlin/);
    assert.doesNotMatch(c.out() + c.err(), /input problem|extra fields/);
    const back = parse(readFileSync(out), { relax_column_count: true }) as string[][];
    assert.equal(back[17][4], lines[17].split(',').slice(4).join(','));
  });
});
