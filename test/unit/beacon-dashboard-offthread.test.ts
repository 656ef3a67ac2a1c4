/**
 * The beacon dashboard's counts over every listed pair off the extension host's main thread (issue #7, "keep VS Code
 * responsive"): at 10 million connections (1.2 million listed pairs) the host walked the pairs several times when the
 * dashboard opened (~1.1 s, bench/eld.mjs), and with a non-empty safelist tested every pair again at each refresh of
 * the Results tree. The worker now sends `pairStats` with the result; the kind keeps its safelist view while the
 * safelist is unchanged. Real input: shared/data/zeek/day-2024-04-19.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import * as dashboardModule from '../../src/core/analyze/beacons/dashboard';
import { beaconPairStats, buildBeaconDashboard, withSafelist, type BeaconPairStats } from '../../src/core/analyze/beacons/dashboard';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import type { WorkerJob } from '../../src/shared/worker-protocol';
import { runWorkerJob } from './worker-job';
import { beaconsKind } from '../../src/extension/kinds/beacons';
import type { AnalysisMeta } from '../../src/extension/analyses';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];


describe('beaconPairStats: the dashboard counts in one pass', () => {
  it('the real day: 12 ICMP-error pairs, 4 backscatter, the sensor with 9 pairs (4 artefacts), FQDN empty', async () => {
    const a = await runBeaconAnalysisRows([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    assert.equal(a.pairs.length, 22);
    assert.deepEqual(beaconPairStats(a.pairs), {
      traffic: { icmp: 12, flipped: 4, attempts: 0 },
      bins: [0, 0, 4, 6, 3, 4, 1, 0, 3, 1],
      topSources: [{ src: '64.225.56.201', pairs: 9, artefacts: 4 }],
      emptyColumns: ['fqdn'],
    });
    assert.deepEqual(beaconPairStats([]), { traffic: { icmp: 0, flipped: 0, attempts: 0 }, bins: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], topSources: [], emptyColumns: [] });
  });

  it('the worker sends them with the result; the dashboard from them is the one made from the pairs', async () => {
    const r = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    assert.ok(r.pairStats, 'pairStats in the result');
    assert.deepEqual(r.pairStats, beaconPairStats(r.pairs));
    const fromWorker = buildBeaconDashboard(r, 'day', 'Europe/Berlin');
    const made = buildBeaconDashboard({ ...r, pairStats: undefined }, 'day', 'Europe/Berlin');
    assert.deepEqual(fromWorker, made);
    assert.equal(fromWorker.cards.find((c) => c.id === 'noArtefacts')?.value, 6);
    assert.equal(fromWorker.columns!.find((c) => c.id === 'fqdn')?.hidden, true);
    // a safelist view counts its own pairs: one backscatter pair safelisted since the run
    const { view, safelisted } = withSafelist(r, ['139.99.17.77']);
    assert.equal(safelisted, 1);
    assert.equal(view.pairStats, undefined);
    const m = buildBeaconDashboard(view, 'day', 'UTC', safelisted);
    assert.match(m.cards.find((c) => c.id === 'noArtefacts')!.hint!, /^Hides the 15 of the 21 listed pairs .*: 12 ICMP errors only, 3 backscatter/);
  });
});

describe('the worker tests the listed pairs against the job\'s safelist', () => {
  it('safelistChecked: the string entries and how many pairs they would hide; none without a safelist', async () => {
    const r = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR, safelist: ['192.0.2.1', 7 as unknown as string, 'ntp.example'] } });
    assert.deepEqual(r.safelistChecked, { entries: ['192.0.2.1', 'ntp.example'], safelisted: 0 });
    assert.equal(r.pairs.length, 22);
    const none = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    assert.equal('safelistChecked' in none, false);
    assert.equal(withSafelist({ ...none, safelistChecked: { entries: ['x'], safelisted: 0 } }, ['139.99.17.77']).view.safelistChecked, undefined, 'a view drops it');
  });
});

describe('extension: the beacon kind keeps its safelist view while the safelist is unchanged', () => {
  it('uses the worker\'s test of the same safelist (nothing to hide) instead of testing every pair again', async () => {
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    const meta = { id: 'b2', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    // a marked check: the worker "tested" this safelist and found nothing to hide; the kind trusts it (22 rows, not 21)
    const marked = { ...a, safelistChecked: { entries: ['139.99.17.77'], safelisted: 0 } };
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    assert.equal((await beaconsKind.source(marked, meta, 'UTC')).rows, marked.pairs);
    // another safelist than the worker's: tested here
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77', '15.235.202.240']);
    assert.equal((await beaconsKind.source(marked, meta, 'UTC')).rows.length, 20);
  });


  afterEach(() => settings.clear());
  it('the same view (no new test of every pair) until the safelist changes', async () => {
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    const meta = { id: 'b1', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    const one = await beaconsKind.source(a, meta, 'UTC');
    const two = await beaconsKind.source(a, meta, 'UTC');
    assert.equal(one.rows.length, 21);
    assert.equal(two.rows, one.rows, 'the same view');
    assert.match(beaconsKind.describe(a).description, /· 1 safelisted$/);
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77', '15.235.202.240']);
    const three = await beaconsKind.source(a, meta, 'UTC');
    assert.equal(three.rows.length, 20);
    assert.match(beaconsKind.describe(a).description, /· 2 safelisted$/);
  });
});

describe('extension: a safelist view counts its pairs once, not at every dashboard rebuild', () => {
  afterEach(() => settings.clear());
  it('two display zones after a safelist change: the dashboard gets the view\'s counts, made once', async () => {
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    const meta = { id: 'b2', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    settings.set('socAnalytics.beacons.internalSubnets', SENSOR); // the run's (no "settings changed" notice)
    // what the kind hands to the dashboard, and how often it counts (CommonJS: the kind calls the exports as they are at call time)
    const exported = dashboardModule as { buildBeaconDashboard: typeof dashboardModule.buildBeaconDashboard; beaconPairStats: typeof dashboardModule.beaconPairStats };
    const realBuild = exported.buildBeaconDashboard;
    const realStats = exported.beaconPairStats;
    const given: (BeaconPairStats | undefined)[] = [];
    let counted = 0;
    exported.buildBeaconDashboard = (v, ...rest) => (given.push(v.pairStats), realBuild(v, ...rest));
    exported.beaconPairStats = (pairs) => (counted++, realStats(pairs));
    try {
      // the zone switch rebuilds the dashboard of the same safelist view (status bar item: socAnalytics.setDisplayZone)
      const utc = await beaconsKind.source(a, meta, 'UTC');
      const berlin = await beaconsKind.source(a, meta, 'Europe/Berlin');
      assert.equal(given.length, 2);
      assert.ok(given.every((s) => s !== undefined), 'the dashboard never walks the pairs itself (1.2 million on the host at 10 M connections, ~1 s each rebuild)');
      assert.equal(counted, 1, 'counted once per safelist view');
      assert.deepEqual(given[1], realStats(berlin.rows as BeaconRow[]));
      assert.equal(utc.model.cards.find((c) => c.id === 'noArtefacts')?.value, 6, '21 listed, 12 ICMP errors only, 3 backscatter');
      assert.deepEqual(berlin.model, realBuild({ ...withSafelist(a, ['139.99.17.77']).view, pairStats: undefined }, 'day', 'Europe/Berlin', 1));
    } finally {
      exported.buildBeaconDashboard = realBuild;
      exported.beaconPairStats = realStats;
    }
  });
});
