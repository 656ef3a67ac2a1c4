/**
 * The beacon pairs table shows byte and connection counts with thousands separators (as the cards do: 31,367),
 * while sorting, comparison filters and CSV export use the raw numbers. Real Zeek day, internal = the sensor
 * 64.225.56.201 (see beacon-real.test.ts for the analysis itself).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconColumns } from '../../src/core/analyze/beacons/dashboard';
import { exportValue, groupedInt, TableStore } from '../../src/core/table/store';
import { csvChunks } from '../../src/core/export/csv';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');

describe('beacon table: Bytes and Connections with thousands separators', () => {
  it('groupedInt', () => {
    assert.equal(groupedInt(505546), '505,546');
    assert.equal(groupedInt(999), '999');
    assert.equal(groupedInt(1234567.25), '1,234,567.25');
    assert.equal(groupedInt(NaN), '');
    assert.equal(groupedInt(undefined), '');
  });

  it('display text grouped; sort, filters and CSV export on the raw numbers (real day, 22 pairs)', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: ['64.225.56.201/32'] });
    assert.equal(a.pairs.length, 22);
    const cols = beaconColumns('UTC');
    const store = new TableStore(a.pairs, cols);
    const at = (id: string) => cols.findIndex((c) => c.id === id);

    // display: 505546 → 505,546; the DNS pair's 661 connections, 209173 bytes → 209,173
    const all = store.window({}, 0, 100);
    const row = (dst: string) => all.rows[all.ids.findIndex((i) => a.pairs[i].dst === dst)];
    assert.equal(row('104.19.173.68')[at('bytes')], '505,546');
    assert.equal(row('104.19.173.68')[at('count')], '15');
    assert.deepEqual([row('67.207.67.2')[at('count')], row('67.207.67.2')[at('bytes')]], ['661', '209,173']);

    // sorting by Bytes is numeric on the raw values (a text sort of "505,546" / "6,384" would differ)
    const desc = store.window({ sort: { column: 'bytes', dir: 'desc' } }, 0, 100);
    const raw = desc.ids.map((i) => a.pairs[i].bytes);
    assert.deepEqual(raw, [...raw].sort((x, y) => y - x));
    assert.equal(desc.rows[0][at('bytes')], groupedInt(Math.max(...a.pairs.map((p) => p.bytes))));

    // filters: a comparison and a plain number typed without separators
    assert.deepEqual(store.matching({ columnFilters: { bytes: '505546' } }).map((i) => a.pairs[i].dst), ['104.19.173.68']);
    assert.deepEqual(store.matching({ columnFilters: { bytes: '505,546' } }).map((i) => a.pairs[i].dst), ['104.19.173.68']);
    assert.ok(store.matching({ columnFilters: { bytes: '>500000' } }).every((i) => a.pairs[i].bytes > 500000));

    // CSV export: raw numbers (the extension's export uses exportValue, the store's exportRows the same)
    const p = a.pairs.find((x) => x.dst === '104.19.173.68')!;
    assert.equal(exportValue(cols[at('bytes')], p), 505546);
    assert.equal(exportValue(cols[at('count')], p), 15);
    assert.equal(exportValue(cols[at('score')], p), '0.811'); // formatted scores export as shown, as before
    const ex = store.exportRows({ columnFilters: { dst: '104.19.173.68' } }, ['dst', 'count', 'bytes']);
    const csv = [...csvChunks(ex.header, ex.rows)].join('');
    assert.equal(csv, 'Destination,Connections,Bytes (both ways)\r\n104.19.173.68,15,505546\r\n');
  });
});
