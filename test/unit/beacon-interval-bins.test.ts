/**
 * The beacon detail's "Intervals between connections" chart (dashboard.ts intervalBars) on the real Zeek day
 * (shared/data/zeek/day-2024-04-19, sensor 64.225.56.201). New-user trial: pair 139.99.17.77 drew 32 bars, all of
 * height 1, under a single x label "62 s"; the NTP pair 2 bars with one label. Many distinct lengths are binned into
 * at most 8 ranges labelled with their starts (the unit and width on the axis title), the exact lengths in each bar's tooltip; a few are one bar each, each labelled.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconPairDetail, intervalBars, INTERVAL_BINS_MAX } from '../../src/core/analyze/beacons/dashboard';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');

describe('beacon detail: intervals between connections', () => {
  it('real Zeek day: 32 distinct lengths of 139.99.17.77 → 7 ranges of 15 min; the NTP pair\'s 2 lengths → 2 labelled bars', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: ['64.225.56.201/32'] });
    const i = a.pairs.findIndex((p) => p.dst === '139.99.17.77');
    const c = beaconPairDetail(a.pairs[i], i, 'UTC').charts!.find((x) => x.id === 'intervals')!;
    assert.deepEqual(c.labels, ['0', '15', '30', '45', '60', '75', '90']);
    assert.deepEqual(c.values, [6, 7, 7, 4, 3, 3, 2]);
    assert.equal(c.values.reduce((s, v) => s + v, 0), 32, 'every interval in a range');
    assert.equal(c.axes?.label, 'Interval from (min; 15 min ranges)');
    assert.equal(c.tooltips![0], '0 s – 14 min 59 s: 6 intervals — 62 s, 2 min 5 s, 10 min 57 s, 11 min 4 s, 11 min 17 s, 14 min 50 s');
    assert.equal(c.tooltips![1], '15 min – 29 min 59 s: 7 intervals — 15 min 27 s, 18 min 54 s, 19 min 21 s, 20 min 13 s, 24 min 29 s, 27 min 7 s, … (1 more)');
    const j = a.pairs.findIndex((p) => p.dst === '91.189.91.157');
    const ntp = beaconPairDetail(a.pairs[j], j, 'UTC').charts!.find((x) => x.id === 'intervals')!;
    assert.deepEqual([ntp.labels, ntp.values, ntp.tooltips, ntp.axes?.label], [['2,048', '2,049'], [31, 10], ['34 min 8 s (2,048 s): 31 intervals', '34 min 9 s (2,049 s): 10 intervals'], 'Interval (whole seconds)']);
    // every pair of the day: at most 8 bars, each with its tooltip, the counts adding up to the pair's intervals
    for (const [k, p] of a.pairs.entries()) {
      const x = beaconPairDetail(p, k, 'UTC').charts!.find((y) => y.id === 'intervals')!;
      assert.ok(x.labels.length <= INTERVAL_BINS_MAX && x.tooltips!.length === x.labels.length, p.dst);
      assert.equal(x.values.reduce((s, v) => s + v, 0), p.intervals.counts.reduce((s, v) => s + v, 0), p.dst);
    }
  });
  it('ranges in seconds, minutes or hours by their width; empty ranges kept between', () => {
    const s = intervalBars([60, 61, 63, 70, 75, 80, 85, 90, 119], [1, 1, 1, 1, 1, 1, 1, 1, 2]);
    assert.deepEqual([s.labels, s.values, s.width], [['60', '70', '80', '90', '100', '110'], [3, 2, 2, 1, 0, 2], 10]);
    assert.equal(s.tooltips[4], '100 s – 109 s: 0 intervals');
    const h = intervalBars([3600, 7300, 9000, 20000, 30000, 40000, 50000, 60000, 80000], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual([h.width, h.unit], [10800, 'h']);
    assert.deepEqual(h.labels, ['0', '3', '6', '9', '12', '15', '18', '21']);
  });
});
