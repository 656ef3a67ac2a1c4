/**
 * Normalize Timestamps / `tz convert` of several columns into one copy (UI trial 2026-12-06: a ticket export's
 * Created, Acknowledged and Closed needed three runs, each from the original file, so no copy held all three).
 * Real inputs: the case export test/fixtures/cases/kpi-small.csv (Created/Acknowledged/Closed, ISO 8601 with Z; 2
 * cases never acknowledged, 3 never closed), the QRadar Log Activity export (naive QRadar times) and the real Zeek
 * conn log of shared/data/zeek.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { addedColumnNames, describeAddedColumns, normalizeTable, readNormalizeInput, renderNormalized, summarizeNormalize } from '../../src/core/tz-file';
import { capture } from './cli-capture';

const CASES = resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv');
const ZEEK_DAY = resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const TMP = mkdtempSync(join(tmpdir(), 'soc-tz-multi-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('normalizeTable with further columns (NormalizeOptions.more)', () => {
  test('kpi-small.csv: Created, Acknowledged, Closed to Asia/Riyadh — six added columns in order, each column its own counts', async () => {
    const t = await readNormalizeInput(CASES);
    const r = normalizeTable(t, {
      column: 'Created',
      format: 'iso',
      fromZone: 'UTC',
      toZone: 'Asia/Riyadh',
      more: [
        { column: 'Acknowledged', format: 'iso' },
        { column: 'Closed', format: 'iso' },
      ],
    });
    assert.deepEqual(addedColumnNames(r), ['Created_normalized', 'Created_tz_flag', 'Acknowledged_normalized', 'Acknowledged_tz_flag', 'Closed_normalized', 'Closed_tz_flag']);
    assert.deepEqual([r.stats.converted, r.more![0].stats.converted, r.more![1].stats.converted], [10, 8, 7]);
    assert.deepEqual([r.more![0].stats.empty, r.more![1].stats.empty], [2, 3]);
    const lines = renderNormalized(t, r).split('\r\n');
    assert.equal(lines[0], 'Case ID,Title,Created,Acknowledged,Closed,Owner,Severity,Status,Disposition,Rule,Created_normalized,Created_tz_flag,Acknowledged_normalized,Acknowledged_tz_flag,Closed_normalized,Closed_tz_flag');
    assert.ok(lines[1].endsWith(',Brute Force,2026-03-02T11:00:00+03:00,,2026-03-02T11:10:00+03:00,,2026-03-02T12:00:00+03:00,'), lines[1]);
    assert.equal(describeAddedColumns(t, r), 'Added columns: Created_normalized, Created_tz_flag, Acknowledged_normalized, Acknowledged_tz_flag, Closed_normalized, Closed_tz_flag.');
    // the host's summary carries each further column's counts and first records
    const sum = summarizeNormalize(r, 2);
    assert.deepEqual(sum.more?.map((m) => [m.column, m.stats.converted, m.preview[0].normalized]), [
      ['Acknowledged', 8, '2026-03-02T11:10:00+03:00'],
      ['Closed', 7, '2026-03-02T12:00:00+03:00'],
    ]);
  });

  test('one column as before: no more, two added columns; a column named again in more is converted once', async () => {
    const t = await readNormalizeInput(CASES);
    const one = normalizeTable(t, { column: 'Created', format: 'iso', fromZone: 'UTC', toZone: 'UTC' });
    assert.equal(one.more, undefined);
    assert.deepEqual(addedColumnNames(one), ['Created_normalized', 'Created_tz_flag']);
    const again = normalizeTable(t, { column: 'Created', format: 'iso', fromZone: 'UTC', toZone: 'UTC', more: [{ column: 'Created', format: 'iso' }, { column: 'Closed', format: 'iso' }, { column: 'Closed', format: 'iso' }] });
    assert.deepEqual(addedColumnNames(again), ['Created_normalized', 'Created_tz_flag', 'Closed_normalized', 'Closed_tz_flag']);
  });

  test('added names never collide with the table or with each other (a column "a_normalized" beside "a")', async () => {
    const t = await readNormalizeInput(CASES);
    // a table whose columns already hold Closed_normalized: the added one takes another name
    const shaped = { ...t, columns: [...t.columns, 'Closed_normalized'] };
    const r = normalizeTable(shaped, { column: 'Created', format: 'iso', fromZone: 'UTC', toZone: 'UTC', more: [{ column: 'Closed', format: 'iso' }] });
    const names = addedColumnNames(r);
    assert.deepEqual(names, ['Created_normalized', 'Created_tz_flag', 'Closed_normalized_', 'Closed_tz_flag']);
    assert.equal(new Set(names).size, names.length);
  });

  test('JSON and NDJSON records get every added field; a Zeek log declares them all in #fields and #types', async () => {
    const ndjson = join(TMP, 'c.ndjson');
    writeFileSync(ndjson, '{"opened":"2026-03-02T08:00:00Z","closed":"2026-03-02T09:30:00Z"}\n{"opened":"2026-03-02T10:00:00Z"}\n');
    const t = await readNormalizeInput(ndjson);
    const r = normalizeTable(t, { column: 'opened', format: 'iso', fromZone: 'UTC', toZone: 'UTC+3', more: [{ column: 'closed', format: 'iso' }] });
    assert.deepEqual(renderNormalized(t, r).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown), [
      { opened: '2026-03-02T08:00:00Z', closed: '2026-03-02T09:30:00Z', opened_normalized: '2026-03-02T11:00:00+03:00', opened_tz_flag: '', closed_normalized: '2026-03-02T12:30:00+03:00', closed_tz_flag: '' },
      { opened: '2026-03-02T10:00:00Z', opened_normalized: '2026-03-02T13:00:00+03:00', opened_tz_flag: '', closed_normalized: '', closed_tz_flag: '' },
    ]);
    const plain = join(TMP, 'conn.log');
    writeFileSync(plain, gunzipSync(readFileSync(join(ZEEK_DAY, 'conn.10:00:00-11:00:00.log.gz'))));
    const zeek = await readNormalizeInput(plain);
    const z = normalizeTable(zeek, { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'UTC', more: [{ column: 'duration', format: 'epoch-s' }] });
    const zl = renderNormalized(zeek, z).split('\n');
    const fields = zl.find((l) => l.startsWith('#fields'))!.split('\t');
    assert.deepEqual(fields.slice(-4), ['ts_normalized', 'ts_tz_flag', 'duration_normalized', 'duration_tz_flag']);
    assert.deepEqual(zl.find((l) => l.startsWith('#types'))!.split('\t').slice(-4), ['string', 'string', 'string', 'string']);
    const first = zl.find((l) => !l.startsWith('#'))!.split('\t');
    assert.equal(first.length, fields.length - 1); // #fields starts with the key itself
  });
});

describe('soc-analytics tz convert --column A --column B', () => {
  test('kpi-small.csv, three --column: one copy with six added columns, a text block per column, --json columns', async () => {
    const out = join(TMP, 'cases.riyadh.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', CASES, '--column', 'Created', '--column', 'Acknowledged', '--column', 'Closed', '--to', 'Asia/Riyadh', '--out', out], c.io), 0, c.err());
    const text = c.out();
    assert.match(text, /column Created, format ISO 8601[^\n]*\nConverted 10 of 10 rows to Asia\/Riyadh/);
    assert.match(text, /column Acknowledged, format ISO 8601[^\n]*\nConverted 8 of 10 rows to Asia\/Riyadh[^\n]*\n2 rows with no time in the column/);
    assert.match(text, /column Closed, format ISO 8601[^\n]*\nConverted 7 of 10 rows to Asia\/Riyadh[^\n]*\n3 rows with no time in the column/);
    const header = readFileSync(out, 'utf8').split('\r\n')[0];
    assert.ok(header.endsWith(',Created_normalized,Created_tz_flag,Acknowledged_normalized,Acknowledged_tz_flag,Closed_normalized,Closed_tz_flag'), header);
    const j = capture();
    assert.equal(await main(['tz', 'convert', CASES, '--column', 'Created', '--column', 'Closed', '--to', 'UTC', '--out', join(TMP, 'j.csv'), '--json'], j.io), 0, j.err());
    const js = JSON.parse(j.out()) as { column: string; converted: number; columns: { column: string; converted: number; addedColumns: string[] }[] };
    assert.equal(js.column, 'Created');
    assert.equal(js.converted, 10);
    assert.deepEqual(js.columns.map((x) => [x.column, x.converted, x.addedColumns]), [
      ['Created', 10, ['Created_normalized', 'Created_tz_flag']],
      ['Closed', 7, ['Closed_normalized', 'Closed_tz_flag']],
    ]);
  });

  test('refused with exit 2: a column given twice, a --format count that matches neither one nor every --column, an unknown second column', async () => {
    for (const [args, re] of [
      [['--column', 'Created', '--column', 'Created'], /--column "Created" is given twice/],
      [['--column', 'Created', '--column', 'Closed', '--column', 'Acknowledged', '--format', 'iso', '--format', 'iso'], /2 --format for 3 --column/],
      [['--column', 'Created', '--column', 'Nope'], /no column "Nope"/],
    ] as const) {
      const c = capture();
      const out = join(TMP, `refused-${Math.random().toString(36).slice(2)}.csv`);
      assert.equal(await main(['tz', 'convert', CASES, ...args, '--to', 'UTC', '--out', out], c.io), 2, `${args.join(' ')}: ${c.err()}`);
      assert.match(c.err(), re);
      assert.throws(() => readFileSync(out), /ENOENT/);
    }
  });

  test('naive times in a second column need --from as in the first (never guessed); with --from both are read', async () => {
    const input = join(TMP, 'mixed.csv');
    writeFileSync(input, 'opened,closed\n2026-03-02T08:00:00Z,2026-03-02 09:30:00\n');
    const c = capture();
    assert.equal(await main(['tz', 'convert', input, '--column', 'opened', '--column', 'closed', '--to', 'UTC', '--out', join(TMP, 'mixed-1.csv')], c.io), 2);
    assert.match(c.err(), /column "closed" has times without an offset .*pass --from ZONE \(never guessed\)/);
    const ok = capture();
    const out = join(TMP, 'mixed-2.csv');
    assert.equal(await main(['tz', 'convert', input, '--column', 'opened', '--column', 'closed', '--from', 'Europe/Berlin', '--to', 'UTC', '--out', out], ok.io), 0, ok.err());
    assert.equal(readFileSync(out, 'utf8').split('\r\n')[1], '2026-03-02T08:00:00Z,2026-03-02 09:30:00,2026-03-02T08:00:00Z,,2026-03-02T08:30:00Z,');
  });
});
