/**
 * A beacon safelist changed since the run, on a large result (issue #7, "keep VS Code responsive"): its view tests
 * every listed pair (0.45–0.9 s in one piece for 1.2 million pairs). Above SAFELIST_SYNC_PAIRS it is computed in
 * slices: the Results tree shows the view it has and refreshes when the new one is ready; the dashboard waits for it.
 * Real input: shared/data/zeek/day-2024-04-19 (22 listed pairs), its pairs repeated with other sources.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import { buildBeaconDashboard, withSafelist, withSafelistSteps, SAFELIST_STEP } from '../../src/core/analyze/beacons/dashboard';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { beaconSafelistNarrowedSinceRun, beaconSettingsChangedSinceRun, beaconsKind, setBeaconTreeRefresh, SAFELIST_SYNC_PAIRS } from '../../src/extension/kinds/beacons';
import { runWorkerJob } from './worker-job';
import type { AnalysisMeta } from '../../src/extension/analyses';
import { drainSteps, runInSlices } from '../../src/core/slices';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];
const N = 60_000;
const turn = () => new Promise<void>((r) => setImmediate(r));

/** The day's 22 pairs repeated to N, each copy from its own source address (10.x.y.z): a large result. */
async function large(): Promise<{ a: BeaconAnalysis<BeaconRow>; day: BeaconAnalysis<BeaconRow> }> {
  const day = await runBeaconAnalysisRows([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
  const pairs = Array.from({ length: N }, (_, i) => ({ ...day.pairs[i % day.pairs.length], src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
  return { day, a: { ...day, pairs, summary: { ...day.summary, listed: N, pairs: N } } };
}

describe('withSafelistSteps: the safelist view in pieces', () => {
  it('pauses every SAFELIST_STEP pairs and returns the view withSafelist returns', async () => {
    const { a, day } = await large();
    const dst = '139.99.17.77';
    const k = day.pairs.findIndex((p) => p.dst === dst);
    assert.ok(k >= 0);
    // hidden: every copy of the day's pair to 139.99.17.77
    const hidden = Array.from({ length: N }, (_, i) => i).filter((i) => i % day.pairs.length === k).length;
    assert.equal(hidden, 2728);
    const steps = withSafelistSteps(a, [dst]);
    let pauses = 0;
    let r = steps.next();
    while (!r.done) {
      pauses++;
      r = steps.next();
    }
    assert.equal(pauses, Math.floor(N / SAFELIST_STEP));
    assert.equal(r.value.safelisted, hidden);
    assert.equal(r.value.view.pairs.length, N - hidden);
    assert.deepEqual(r.value, withSafelist(a, [dst]));
    assert.equal(drainSteps(withSafelistSteps(a, [])).view, a, 'no entry: the result itself');
  });

  it('runInSlices gives the event loop turns between slices and stops when aborted', async () => {
    const { a } = await large();
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    try {
      const v = await runInSlices(withSafelistSteps(a, ['139.99.17.77']), { sliceMs: 0 });
      assert.equal(v.view.pairs.length, N - 2728);
      assert.ok(turns >= 1, `turns ${turns}`);
    } finally {
      clearInterval(tick);
    }
    const ac = new AbortController();
    let pulled = 0;
    function* counted(): Generator<void, number> {
      for (;;) {
        pulled++;
        if (pulled === 3) ac.abort();
        yield;
      }
    }
    await assert.rejects(runInSlices(counted(), { sliceMs: 0, signal: ac.signal }), { name: 'AbortError' });
    assert.equal(pulled, 3, 'no step after the abort');
  });
});

describe('extension: a changed safelist on a large result is tested in slices', () => {
  afterEach(() => {
    settings.clear();
    setBeaconTreeRefresh(() => undefined);
  });

  it('the Results line shows the view it has, then the new one after a tree refresh; the dashboard waits for it', async () => {
    const { a } = await large();
    assert.ok(a.pairs.length > SAFELIST_SYNC_PAIRS);
    const meta = { id: 'bs1', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    let refreshed = 0;
    setBeaconTreeRefresh(() => refreshed++);
    assert.doesNotMatch(beaconsKind.describe(a).description, /safelisted/, 'no safelist: the run itself');
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    // not computed in one piece here: the line still shows the run's counts
    assert.doesNotMatch(beaconsKind.describe(a).description, /safelisted/);
    const src = await beaconsKind.source(a, meta, 'UTC');
    assert.equal(src.rows.length, N - 2728);
    await new Promise((r) => setImmediate(r));
    assert.equal(refreshed, 1, 'the tree was refreshed once when the view was ready');
    assert.match(beaconsKind.describe(a).description, /· 2,728 safelisted$/);
    // another change: the line keeps the last view until the next one is ready
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77', '15.235.202.240']);
    assert.match(beaconsKind.describe(a).description, /· 2,728 safelisted$/);
    const two = await beaconsKind.source(a, meta, 'UTC');
    assert.equal(two.rows.length, N - 2 * 2728);
    await new Promise((r) => setImmediate(r));
    assert.equal(refreshed, 2);
    assert.match(beaconsKind.describe(a).description, /· 5,456 safelisted$/);
  });
});

describe('extension: the beacon Results tree lists the first pairs of a large result', () => {
  afterEach(() => settings.clear());
  it('maxChildren pairs at low severity or above, then "… N more" with the true remainder', async () => {
    const { a, day } = await large();
    const banded = a.pairs.filter((p) => p.severity !== 'none').length;
    // the day's pairs at low severity or above, repeated
    const perDay = day.pairs.filter((p) => p.severity !== 'none').length;
    assert.ok(perDay > 0);
    const nodes = beaconsKind.children!(a, 'id1', undefined, { maxChildren: 100, zone: 'UTC' });
    const pairs = nodes.filter((n) => n.key.startsWith('pair:'));
    assert.equal(pairs.length, 100);
    // the score and the destination first; the source at the end of the line; a click shows that pair with its detail
    const first = a.pairs.find((p) => p.severity !== 'none')!;
    assert.equal(pairs[0].label, `${first.score.toFixed(3)} · ${first.fqdn || first.dst}`);
    assert.ok(String(pairs[0].description).endsWith(` · from ${first.src}`), String(pairs[0].description));
    assert.deepEqual(pairs[0].command?.arguments, ['id1', { facets: first.fqdn ? { src: first.src, fqdn: first.fqdn } : { src: first.src, dst: first.dst }, detail: true }]);
    const more = nodes.find((n) => n.key === 'more');
    assert.equal(more?.label, `… ${(banded - 100).toLocaleString('en-US')} more — open the dashboard`);
    assert.ok(banded - 100 >= 1000, 'grouped thousands');
    // a pair's connections grouped too (the day's pairs have up to 1,000s of connections)
    const big = a.pairs.filter((p) => p.severity !== 'none').slice(0, 100).find((p) => p.count >= 1000);
    if (big) assert.ok(pairs.some((n) => String(n.description).startsWith(`${big.count.toLocaleString('en-US')} conns · `)));
  });
});

describe('extension: a result that ran with a safelist entry taken off since must be re-run', () => {
  afterEach(() => settings.clear());
  it('true only when the run\'s safelist left records out and one of its entries is gone', async () => {
    const ran = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR, safelist: ['139.99.17.77'] } });
    // the entry left the records of its pair out at run time: 21 pairs listed, not 22
    assert.equal(ran.pairs.length, 21);
    assert.ok((ran.filtered.safelisted ?? 0) > 0, `records safelisted at run time: ${ran.filtered.safelisted}`);
    assert.deepEqual(ran.safelistChecked?.entries, ['139.99.17.77']);
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    assert.equal(beaconSafelistNarrowedSinceRun(ran), false, 'unchanged');
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77', '15.235.202.240']);
    assert.equal(beaconSafelistNarrowedSinceRun(ran), false, 'grown: a view hides the new pairs');
    settings.set('socAnalytics.beacons.safelist', []);
    assert.equal(beaconSafelistNarrowedSinceRun(ran), true, 'the Undo: its pair was never scored');
    // a run whose safelist hid nothing, or none at all: a view of it is enough
    const nothing = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR, safelist: ['192.0.2.1'] } });
    assert.equal(nothing.filtered.safelisted ?? 0, 0);
    assert.equal(beaconSafelistNarrowedSinceRun(nothing), false);
    const plain = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    assert.equal(beaconSafelistNarrowedSinceRun(plain), false);
  });
});

describe('extension: quick safelist changes on a large result (trial H1b: safelist, Undo, safelist another pair)', () => {
  afterEach(() => {
    settings.clear();
    setBeaconTreeRefresh(() => undefined);
  });
  it('after the last change settles, the Results line and the dashboard show the current safelist', async () => {
    const { a, day } = await large();
    const meta = { id: 'bs2', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    let line = beaconsKind.describe(a).description;
    // the tree as VS Code runs it: a refresh asks for the line and the children again
    const treeRefresh = () => {
      line = beaconsKind.describe(a).description;
      beaconsKind.children!(a, meta.id, undefined, { maxChildren: 100, zone: 'UTC' });
    };
    setBeaconTreeRefresh(treeRefresh);
    let load: AbortController | undefined;
    let shown: Promise<{ rows: readonly unknown[] } | undefined> = Promise.resolve(undefined);
    // the configuration listener: every open dashboard rebuilt (its older load let go), the tree refreshed
    const changed = (list: string[]) => {
      settings.set('socAnalytics.beacons.safelist', list);
      load?.abort();
      const mine = (load = new AbortController());
      shown = Promise.resolve(beaconsKind.source(a, meta, 'UTC', mine.signal)).then(
        (s) => s,
        () => undefined,
      );
      treeRefresh();
    };
    const x = '139.99.17.77';
    const y = '15.235.202.240';
    const hidesX = N - withSafelist(a, [x]).view.pairs.length;
    const hidesY = N - withSafelist(a, [y]).view.pairs.length;
    assert.equal(hidesX, 2728);
    assert.ok(hidesY > 0 && day.pairs.some((p) => p.dst === y));
    changed([x]);
    await turn();
    changed([]); // Undo, before the view of [x] is ready
    await turn();
    changed([y]);
    const last = await shown;
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(last?.rows.length, N - hidesY, 'the dashboard: the pairs [y] leaves');
    assert.match(line, new RegExp(`· ${hidesY.toLocaleString('en-US')} safelisted$`), `the Results line: ${line}`);
    // and back to none: the run itself at once
    changed([]);
    assert.equal((await shown)?.rows.length, N);
    assert.doesNotMatch(line, /safelisted/);
  });
});

describe('extension: Copy Summary as Markdown names the current safelist (trial M4: "Safelist: none" while it hid pairs)', () => {
  afterEach(() => settings.clear());
  it('the run\'s safelist and the current one, with the listed pairs hidden since', async () => {
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    const meta = { id: 'bs3', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    const line = async () => (await beaconsKind.source(a, meta, 'UTC')).markdown!({ defang: false }).split('\n').find((l) => l.startsWith('- Safelist:'));
    assert.equal(await line(), '- Safelist: none');
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']);
    assert.equal(await line(), '- Safelist: now 139.99.17.77 (1 listed pair hidden since the run); at the run: none');
  });
});

describe('beacon dashboard: scored pairs below the minimum score are said to be left out of the table (trial L3)', () => {
  it('minScore 0.5 on the real day: the "Pairs scored" card and the score chart say how many are not listed', async () => {
    const all = await runBeaconAnalysisRows([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    assert.equal(all.summary.pairs, all.summary.listed, 'the default minimum lists every scored pair');
    const plain = buildBeaconDashboard(all, 'day', 'UTC');
    assert.equal(plain.cards.find((c) => c.id === 'pairs')?.hint, undefined);
    const some = await runBeaconAnalysisRows([DAY], { internalSubnets: SENSOR, parseWorkers: 0, minScore: 0.5 });
    const below = some.summary.pairs - some.summary.listed;
    assert.ok(below > 0 && some.summary.listed > 0, JSON.stringify(some.summary));
    const d = buildBeaconDashboard(some, 'day', 'UTC');
    assert.equal(d.cards.find((c) => c.id === 'pairs')?.hint, `${some.summary.listed} of them are listed in the table and the score chart (score ≥ the minimum score 0.5, setting socAnalytics.beacons.minScore); the other ${below} scored below it: counted here and in the severity cards, not listed`);
    assert.equal(d.charts.find((c) => c.id === 'score-distribution')?.note, `Listed pairs only: the ${below} scored below the minimum score 0.5 (socAnalytics.beacons.minScore) are not in the table or this chart`);
  });
});

describe('extension: an open beacon analysis says which settings changed since its run (trial L4)', () => {
  afterEach(() => settings.clear());
  it('internal subnets and the minimum score changed: a notice names both, at the run and now; none when they match', async () => {
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    const meta = { id: 'bs4', kind: 'beacons', title: 'day', paths: [DAY], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
    settings.set('socAnalytics.beacons.internalSubnets', SENSOR);
    assert.deepEqual(beaconSettingsChangedSinceRun(a), []);
    assert.equal((await beaconsKind.source(a, meta, 'UTC')).model.notices?.some((n) => n.id === 'settings-changed') ?? false, false);
    // an invalid entry is dropped on both sides: no difference
    settings.set('socAnalytics.beacons.internalSubnets', [...SENSOR, 'not a subnet']);
    assert.deepEqual(beaconSettingsChangedSinceRun(a), []);
    settings.set('socAnalytics.beacons.internalSubnets', ['10.0.0.0/8']);
    settings.set('socAnalytics.beacons.minScore', 0.4);
    settings.set('socAnalytics.beacons.safelist', ['139.99.17.77']); // applies at once: not named
    const n = (await beaconsKind.source(a, meta, 'UTC')).model.notices?.find((x) => x.id === 'settings-changed');
    assert.equal(n?.title, 'Beacon settings changed since this run: re-run the analysis to apply them');
    assert.deepEqual(n?.lines.slice(0, 2), ['socAnalytics.beacons.internalSubnets: ["64.225.56.201/32"] at the run, ["10.0.0.0/8"] now', 'socAnalytics.beacons.minScore: 0 at the run, 0.4 now']);
    assert.equal(n?.lines.length, 3);
  });
});
