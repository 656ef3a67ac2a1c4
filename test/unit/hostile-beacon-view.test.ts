/**
 * Hostile review: the beacon Results line while a changed safelist's view is computed in slices (large results):
 * it must show the view it showed last for a safelist that was current — not the view of a safelist set back since —
 * and the tree is refreshed once per view, however often it was described meanwhile.
 * Real input: shared/data/zeek/day-2024-04-19 (22 listed pairs), its pairs repeated with other sources.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { beaconsKind, setBeaconTreeRefresh, SAFELIST_SYNC_PAIRS } from '../../src/extension/kinds/beacons';
import type { AnalysisMeta } from '../../src/extension/analyses';
import * as slices from '../../src/core/slices';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];
const N = 60_000;
const meta = { id: 'hb1', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;

async function large(): Promise<BeaconAnalysis<BeaconRow>> {
  const day = await runBeaconAnalysisRows([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
  const pairs = Array.from({ length: N }, (_, i) => ({ ...day.pairs[i % day.pairs.length], src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
  return { ...day, pairs, summary: { ...day.summary, listed: N, pairs: N } };
}
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('beacons: the Results line while a safelist view is computed in slices', () => {
  afterEach(() => {
    settings.clear();
    setBeaconTreeRefresh(() => undefined);
  });

  it('after the safelist was set back to the run\'s, a new change shows the run\'s view meanwhile, not the older change\'s', async () => {
    const a = await large();
    assert.ok(a.pairs.length > SAFELIST_SYNC_PAIRS);
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    await beaconsKind.source(a, meta, 'UTC');
    assert.match(beaconsKind.describe(a).description, /· 2,728 safelisted$/);
    // set back: the run's own view (nothing hidden)
    settings.set('socAnalytics.beacons.safelist', []);
    assert.doesNotMatch(beaconsKind.describe(a).description, /safelisted/);
    // another entry: while its view is computed, the line must not hide the pairs of the entry taken off
    settings.set('socAnalytics.beacons.safelist', ['15.235.202.240']);
    const line = beaconsKind.describe(a).description;
    assert.doesNotMatch(line, /2,728 safelisted/, `showed the view of a safelist no longer in effect: ${line}`);
    await beaconsKind.source(a, meta, 'UTC');
  });

  it('one tree refresh when the view is ready, however often the tree described the result meanwhile', async () => {
    const a = await large();
    let refreshed = 0;
    setBeaconTreeRefresh(() => refreshed++);
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    for (let i = 0; i < 5; i++) {
      beaconsKind.describe(a);
      beaconsKind.children!(a, 'hb1', undefined, { maxChildren: 100, zone: 'UTC' });
    }
    await beaconsKind.source(a, meta, 'UTC');
    await settle();
    assert.equal(refreshed, 1, `${refreshed} refreshes for one view`);
    assert.match(beaconsKind.describe(a).description, /· 2,728 safelisted$/);
  });
});

describe('beacons: a safelist view in slices nobody waits for any more is stopped', () => {
  afterEach(() => {
    settings.clear();
    setBeaconTreeRefresh(() => undefined);
  });

  /** Runs `fn` while recording the stop signal of every safelist view computed in slices. */
  async function recorded(fn: (signals: (AbortSignal | undefined)[]) => Promise<void>): Promise<void> {
    // (CommonJS: the kind calls the export as it is at call time)
    const exported = slices as { runInSlices: typeof slices.runInSlices };
    const real = exported.runInSlices;
    const signals: (AbortSignal | undefined)[] = [];
    exported.runInSlices = (steps, o) => (signals.push(o?.signal), real(steps, { ...o, sliceMs: 0 })); // one step a slice (60,000 pairs: 4 slices)
    try {
      await fn(signals);
    } finally {
      exported.runInSlices = real;
    }
  }

  it('edited again while the tree waited: the older edit\'s view stops (it ran to its end, beside the newer one)', async () => {
    const a = await large();
    await recorded(async (signals) => {
      settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
      beaconsKind.describe(a);
      await new Promise((r) => setImmediate(r));
      settings.set('socAnalytics.beacons.safelist', ['15.235.202.240']);
      beaconsKind.describe(a);
      const src = await beaconsKind.source(a, meta, 'UTC', new AbortController().signal);
      assert.equal(src.rows.length, N - 2728);
      assert.equal(signals.length, 2);
      assert.equal(signals[0]?.aborted, true, 'the first edit\'s view is needed by nobody');
      assert.equal(signals[1]?.aborted, false);
    });
  });

  it('set back to the run\'s safelist while the tree waited: the changed one\'s view stops', async () => {
    const a = await large();
    await recorded(async (signals) => {
      settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
      beaconsKind.describe(a);
      settings.set('socAnalytics.beacons.safelist', []);
      assert.doesNotMatch(beaconsKind.describe(a).description, /safelisted/);
      await settle();
      assert.equal(signals.length, 1);
      assert.equal(signals[0]?.aborted, true);
    });
  });

  it('a dashboard closed while it waited for a view the tree does not need: stopped', async () => {
    const a = await large();
    await recorded(async (signals) => {
      settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
      const stop = new AbortController();
      const src = Promise.resolve(beaconsKind.source(a, meta, 'UTC', stop.signal));
      stop.abort();
      await assert.rejects(src, { name: 'AbortError' });
      await settle();
      assert.equal(signals[0]?.aborted, true);
      // asked again: computed again, and it is the view of the safelist
      const again = await beaconsKind.source(a, meta, 'UTC');
      assert.equal(again.rows.length, N - 2728);
    });
  });
});
