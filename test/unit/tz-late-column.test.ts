// A time column with no value in the first 500 records (the Closed column of a case export sorted newest first:
// hundreds of open cases above the closed ones). `tz convert` without --column said "no timestamp column found", and
// Normalize Timestamps detected no format for it when it was chosen (its verdict came from the first records only);
// the format of a named column (`--column`) was already read from its first non-empty values wherever they are.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../src/cli/cli';
import { inspectTimeColumns, nonEmptySample, suggestTimeColumns, TIME_SAMPLE_ROWS } from '../../src/core/tz-normalize';
import { inspectNormalizeInput, readNormalizeInput } from '../../src/core/tz-file';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-tz-late-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

// the demo's sample case export (test/fixtures/cases, its closed cases), below 600 open cases without a Closed time
const SAMPLE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cases', 'kpi-small.csv');
const sample = parse(readFileSync(SAMPLE, 'utf8'), { columns: true }) as Record<string, string>[];
const closed = sample.filter((r) => r.Closed !== '');

function lateFile(): string {
  const f = join(TMP, 'late.csv');
  const open = Array.from({ length: 600 }, (_, i) => `O-${i + 1},open case ${i + 1},`);
  writeFileSync(f, ['Case ID,Title,Closed', ...open, ...closed.map((r) => `${r['Case ID']},${r.Title.replace(/,/g, ' ')},${r.Closed}`)].join('\n') + '\n');
  return f;
}

describe('a time column empty in the first 500 records', () => {
  test('the sample has closed cases to put below (the test can fail)', () => {
    assert.ok(closed.length >= 5, `${closed.length} closed cases in ${SAMPLE}`);
  });

  test('suggestTimeColumns: suggested, its rows being the records read to find its values', async () => {
    const table = await readNormalizeInput(lateFile());
    const s = suggestTimeColumns(table.columns, table.rows.map((r) => r.values));
    assert.deepEqual(
      s.map((x) => [x.column, x.guess.format, x.read, x.rows, x.verdict]),
      [['Closed', 'iso', closed.length, 600 + closed.length, `ISO 8601 (with or without offset) in ${closed.length} of ${closed.length} values`]],
    );
    // a column with values in the first records ranks first (it scores its share of 500 records)
    const both = suggestTimeColumns(['Created', 'Closed'], [{ Created: '2026-03-02T08:00:00Z', Closed: '' }, ...table.rows.slice(1).map((r) => ({ Created: '2026-03-02T08:00:00Z', Closed: r.values.Closed }))]);
    assert.deepEqual(both.map((x) => x.column), ['Created', 'Closed']);
  });

  test('tz convert without --column converts it, every closed time', async () => {
    const f = lateFile();
    const out = join(TMP, 'late-out.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'Asia/Tokyo', '--out', out], c.io), 0, c.err());
    assert.match(c.err(), /using column "Closed" \(ISO 8601 .* in \d+ of \d+ values; sampled the first \d+ rows\)/);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const converted = rows.filter((r) => r.Closed !== '');
    assert.equal(converted.length, closed.length);
    // 2026-03-02T09:00:00Z is 18:00 in Tokyo
    const c1 = rows.find((r) => r['Case ID'] === closed[0]['Case ID'])!;
    const tokyoCol = Object.keys(c1).find((k) => k !== 'Closed' && k.startsWith('Closed'))!;
    assert.equal(new Date(closed[0].Closed).toISOString().slice(0, 19), new Date(c1[tokyoCol]).toISOString().slice(0, 19));
  });

  test('Normalize Timestamps: the inspection carries its first non-empty values', async () => {
    const ins = inspectNormalizeInput(await readNormalizeInput(lateFile()));
    assert.equal(ins.head.filter((v) => v.Closed !== '' && v.Closed !== undefined).length, 0);
    assert.deepEqual(ins.samples.Closed, closed.map((r) => r.Closed));
    assert.equal(ins.suggestions[0]?.column, 'Closed');
  });
});

describe('a column empty in its first 500 records is read once (each row\'s value pulled at most once)', () => {
  /** 600 open cases (no Closed time) above the sample's closed ones, each row counting the reads of its Closed value. */
  function countedRows(): { rows: Record<string, unknown>[]; reads: number[] } {
    const values = [...Array.from({ length: 600 }, () => ''), ...closed.map((r) => r.Closed)];
    const reads = values.map(() => 0);
    const rows = values.map((v, i) => {
      const row: Record<string, unknown> = { Title: `case ${i + 1}` };
      Object.defineProperty(row, 'Closed', { enumerable: true, get: () => (reads[i]++, v) });
      return row;
    });
    return { rows, reads };
  }
  const expected = [['Closed', 'iso', closed.length, 600 + closed.length]];

  test('suggestTimeColumns: the same suggestion, every row read once', () => {
    const { rows, reads } = countedRows();
    const s = suggestTimeColumns(['Title', 'Closed'], rows);
    assert.deepEqual(s.map((x) => [x.column, x.guess.format, x.read, x.rows]), expected);
    // (read twice before: the first 500 rows, then the scan for the first non-empty values from the first row again)
    assert.equal(Math.max(...reads), 1, `rows read more than once: ${reads.filter((n) => n > 1).length}`);
    assert.equal(reads.filter((n) => n === 1).length, rows.length, 'every row was needed (the closed cases are the last ones)');
  });

  test('inspectTimeColumns (Normalize Timestamps): the suggestions and samples of the two functions apart, from one read', () => {
    const { rows, reads } = countedRows();
    const both = inspectTimeColumns(['Title', 'Closed'], rows);
    assert.deepEqual(both.suggestions.map((x) => [x.column, x.guess.format, x.read, x.rows]), expected);
    assert.deepEqual(both.samples.Closed, closed.map((r) => r.Closed));
    assert.equal(Math.max(...reads), 1);
    // the same as the functions apart (which read the rows again and again)
    assert.deepEqual(both.suggestions, suggestTimeColumns(['Title', 'Closed'], rows));
    assert.deepEqual(both.samples, { Title: nonEmptySample(rows, (r) => r.Title), Closed: nonEmptySample(rows, (r) => r.Closed) });
  });

  test('a column with values in its first records reads no further than them for the suggestion; its samples stop at 500 values', () => {
    const reads = Array.from({ length: 2000 }, () => 0);
    // one value in the first 500 records, then one every 3 rows
    const rows = reads.map((_, i) => {
      const row: Record<string, unknown> = {};
      Object.defineProperty(row, 'ts', { enumerable: true, get: () => (reads[i]++, i === 7 || (i >= TIME_SAMPLE_ROWS && i % 3 === 0) ? '2026-03-02T08:00:00Z' : '') });
      return row;
    });
    suggestTimeColumns(['ts'], rows);
    assert.deepEqual([reads.slice(0, TIME_SAMPLE_ROWS).every((n) => n === 1), reads.slice(TIME_SAMPLE_ROWS).every((n) => n === 0)], [true, true]);
    reads.fill(0);
    const { samples } = inspectTimeColumns(['ts'], rows);
    assert.equal(samples.ts.length, TIME_SAMPLE_ROWS);
    assert.equal(Math.max(...reads), 1);
    const last = reads.lastIndexOf(1);
    // the 500th value: row 7, then 499 more from row 501 on, every 3 rows (501 + 3 × 498 = 1995)
    assert.equal(last, 1995, 'read up to the 500th value, no further');
  });
});
