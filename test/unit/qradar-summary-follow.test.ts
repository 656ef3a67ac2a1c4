/**
 * The QRadar summaries after a settings change (src/extension/kinds/qradar.ts): the Results line follows the current
 * closing-reason settings as the tree's children do. Real inputs: shared/data/qradar/samples.
 */
import { panels, settings } from './vscode-stand-in';
import { many } from './qradar-many';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import * as summaryModule from '../../src/core/analyze/qradar-summary';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, qradarDescriptionTreeText, type QRadarResult, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { qradarKind, setQRadarDisplayZone, setQRadarTreeRefresh } from '../../src/extension/kinds/qradar';
import { ResultsTreeProvider } from '../../src/extension/resultsTree';
import type { AnalysisMeta, AnalysisRegistry } from '../../src/extension/analyses';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';
import type { QRadarParsed } from '../../src/core/parse/qradar-model';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import type * as vscodeTypes from 'vscode';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const settingsFor = (zone: string, topN = 20): QRadarSettings => ({ zone, escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN });
const read = () => runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });

/** A result as the worker sends it for `asked` (its summary says 12,345 offenses and false positives: a summary computed here says the real counts). */
async function markedResult(asked: QRadarSettings): Promise<QRadarResult> {
  const p = await read();
  const marked = structuredClone(summarizeQRadar(p, asked));
  marked.summary.offenses = 12_345;
  marked.summary.falsePositive = 12_345;
  return structuredClone({ ...p, summaries: [{ settings: asked, summary: marked }] });
}

const meta = { id: 'q1', kind: 'qradar', title: 'samples', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin' }, createdAt: 1 } as unknown as AnalysisMeta;

/** A summary computation in slices the kind started: its settings, its stop signal, and how it ended. */
interface Computation {
  settings: QRadarSettings;
  signal?: AbortSignal;
  promise: Promise<unknown>;
  /** Slices it ran (the event loop turns it let through, counted from its start). */
  slices: () => number;
}

/** Runs `fn` while recording every summary computation the kind starts in slices. */
async function computations<T>(fn: (jobs: Computation[]) => Promise<T>): Promise<T> {
  // (CommonJS: the kind calls the export as it is at call time)
  const exported = summaryModule as { summarizeQRadarAsync: typeof summaryModule.summarizeQRadarAsync };
  const real = exported.summarizeQRadarAsync;
  const jobs: Computation[] = [];
  exported.summarizeQRadarAsync = (p, s, o) => {
    let turns = 0;
    let on = true;
    const turn = () => {
      turns++;
      if (on) setImmediate(turn);
    };
    setImmediate(turn);
    const promise = real(p, s, o);
    const stopCounting = () => void (on = false);
    promise.then(stopCounting, stopCounting);
    jobs.push({ settings: s, signal: o?.signal, promise, slices: () => turns });
    return promise;
  };
  try {
    return await fn(jobs);
  } finally {
    exported.summarizeQRadarAsync = real;
  }
}

/** Resolves at the next tree refresh the kind asks for. */
function nextRefresh(): Promise<void> {
  return new Promise<void>((r) => setQRadarTreeRefresh(() => r()));
}

describe('QRadar Results line: follows the closing-reason settings', () => {
  afterEach(() => {
    settings.clear();
    setQRadarTreeRefresh(() => undefined);
    setQRadarDisplayZone(() => 'UTC');
  });

  it('after a change of the false-positive reasons the analysis line shows the summary it has, then the new counts at the refresh', async () => {
    const result = await markedResult(settingsFor('UTC'));
    assert.equal(qradarKind.liveDescription, true);
    const registry = { onDidChange: () => ({ dispose() {} }), peek: () => result } as unknown as AnalysisRegistry;
    const tree = new ResultsTreeProvider(registry, () => ({ maxChildren: 500, zone: 'UTC' }));
    const meta = { id: 'q1', kind: 'qradar', title: 'samples', paths: [SAMPLES], options: {}, createdAt: 1, ...qradarKind.describe(result) } as unknown as AnalysisMeta;
    assert.equal(meta.description, '12,345 offenses · 0 escalated · 12,345 false positives', 'stored at the run: the worker summary');

    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason']);
    const refreshed = nextRefresh();
    // the summary it has (no computation here and now on the main thread)
    assert.equal(tree.analysisLine(meta).description, '12,345 offenses · 0 escalated · 12,345 false positives');
    await refreshed;
    // the current settings: no closing reason mentions "no such reason"
    assert.equal(tree.analysisLine(meta).description, '6 offenses · 0 escalated · 0 false positives');
    assert.equal(qradarKind.describe(result).summary.falsePositive, 0);

    settings.delete('socAnalytics.qradar.falsePositiveReasons');
    assert.equal(tree.analysisLine(meta).description, '12,345 offenses · 0 escalated · 12,345 false positives', 'back to the worker settings: its summary');
    tree.dispose();
  });
});

describe('QRadar summaries after a settings change: one computation for the tree and the dashboard', () => {
  afterEach(() => {
    settings.clear();
    setQRadarTreeRefresh(() => undefined);
    setQRadarDisplayZone(() => 'UTC');
  });

  const fpReasons = (s: QRadarSettings) => ({ ...s, falsePositiveReasons: ['no such reason'] });

  it('outside UTC, the tree first: it asks for the display zone\'s summary, and the dashboard of that zone joins it', async () => {
    setQRadarDisplayZone(() => 'Asia/Tokyo');
    const result = await markedResult(settingsFor('Asia/Tokyo'));
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason']);
    await computations(async (jobs) => {
      const refreshed = nextRefresh();
      assert.equal(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 }).length, result.summaries![0].summary.descriptions.length);
      qradarKind.describe(result);
      const dash = await qradarKind.source(result, meta, 'Asia/Tokyo');
      await refreshed;
      assert.deepEqual(jobs.map((j) => j.settings), [fpReasons(settingsFor('Asia/Tokyo'))], 'one computation, of the display zone');
      const want = summarizeQRadar(result, fpReasons(settingsFor('Asia/Tokyo')));
      assert.equal(want.summary.falsePositive, 0);
      assert.match(dash.markdown!({ defang: false }), /False positives: 0\b/);
      assert.equal(qradarKind.describe(result).summary.offenses, 6);
      assert.deepEqual(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 }).map((k) => k.description), want.descriptions.map((d) => qradarDescriptionTreeText(d).description));
    });
  });

  it('the dashboard first (another topN): the tree waits for the summary in flight instead of starting its own', async () => {
    setQRadarDisplayZone(() => 'Asia/Tokyo');
    const result = await markedResult(settingsFor('Asia/Tokyo'));
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason']);
    settings.set('socAnalytics.qradar.topN', 7);
    await computations(async (jobs) => {
      const refreshed = nextRefresh();
      const dash = qradarKind.source(result, meta, 'Europe/Berlin');
      assert.equal(qradarKind.describe(result).summary.offenses, 12_345, 'the summary it has meanwhile');
      qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 });
      await dash;
      await refreshed;
      assert.deepEqual(jobs.map((j) => j.settings), [fpReasons(settingsFor('Europe/Berlin', 7))]);
      assert.equal(qradarKind.describe(result).summary.offenses, 6);
      assert.equal(qradarKind.describe(result).summary.falsePositive, 0);
    });
  });

  it('a topN change alone starts no summary for the tree (nor a refresh)', async () => {
    setQRadarDisplayZone(() => 'Asia/Tokyo');
    const result = await markedResult(settingsFor('Asia/Tokyo'));
    settings.set('socAnalytics.qradar.topN', 3);
    let refreshes = 0;
    setQRadarTreeRefresh(() => refreshes++);
    await computations(async (jobs) => {
      assert.equal(qradarKind.describe(result).summary.offenses, 12_345, 'the worker summary: its counts do not depend on topN');
      assert.equal(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 }).length, result.summaries![0].summary.descriptions.length);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(jobs.map((j) => j.settings), []);
      assert.equal(refreshes, 0);
    });
  });
});

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('QRadar summaries in slices: stopped when nobody needs them', () => {
  afterEach(() => {
    settings.clear();
    setQRadarTreeRefresh(() => undefined);
    setQRadarDisplayZone(() => 'UTC');
    DashboardPanel.disposeAll();
  });

  it('the dashboard that asked stops waiting: the computation stops early, nothing is cached, a later request computes it again', async () => {
    const big = many(await read(), 200_000);
    await computations(async (jobs) => {
      const stop = new AbortController();
      const dash = Promise.resolve(qradarKind.source(big, meta, 'Europe/Berlin', stop.signal));
      await turn();
      await turn();
      stop.abort();
      await assert.rejects(dash, { name: 'AbortError' });
      assert.equal(jobs.length, 1);
      await turn(); // (stopped after the turn in which its last waiter left: one who asks again meanwhile joins it)
      assert.equal(jobs[0].signal?.aborted, true, 'the computation was told to stop');
      await assert.rejects(jobs[0].promise, { name: 'AbortError' }, 'it stopped before the end (a finished one resolves)');
      const slices = jobs[0].slices();
      assert.ok(slices <= 6, `stopped after ${slices} slices`);

      const again = await qradarKind.source(big, meta, 'Europe/Berlin');
      assert.equal(jobs.length, 2, 'not cached: computed again');
      await jobs[1].promise;
      assert.ok(jobs[1].slices() > slices, `the whole computation takes ${jobs[1].slices()} slices`);
      assert.deepEqual(again.model, buildQRadarDashboard(big, meta.title, settingsFor('Europe/Berlin')).model);
      await qradarKind.source(big, meta, 'Europe/Berlin');
      assert.equal(jobs.length, 2, 'now known');
    });
  });

  it('two dashboards wait for one computation: one stops waiting, the other still gets the summary', async () => {
    const result = await markedResult(settingsFor('Asia/Tokyo'));
    await computations(async (jobs) => {
      const stop = new AbortController();
      const first = Promise.resolve(qradarKind.source(result, meta, 'America/New_York', stop.signal));
      const second = Promise.resolve(qradarKind.source(result, meta, 'America/New_York', new AbortController().signal));
      stop.abort();
      await assert.rejects(first, { name: 'AbortError' });
      const d = await second;
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0].signal?.aborted, false);
      assert.deepEqual(d.model, buildQRadarDashboard(result, meta.title, settingsFor('America/New_York')).model);
    });
  });

  it("the tree stops waiting for the summary of closing-reason settings changed again; the current settings' one is computed", async () => {
    const big: QRadarResult = { ...many(await read(), 200_000) };
    big.summaries = [{ settings: settingsFor('UTC'), summary: summarizeQRadar(big, settingsFor('UTC')) }];
    await computations(async (jobs) => {
      settings.set('socAnalytics.qradar.falsePositiveReasons', ['first edit']);
      const refreshed = nextRefresh();
      qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 });
      await turn();
      settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason']);
      qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 });
      await assert.rejects(jobs[0].promise, { name: 'AbortError' }, 'the first edit\'s summary is no longer needed');
      await refreshed;
      assert.deepEqual(jobs.map((j) => j.settings.falsePositiveReasons), [['first edit'], ['no such reason']]);
      assert.equal(qradarKind.describe(big).summary.falsePositive, 0);
      assert.equal(qradarKind.describe(big).summary.offenses, 200_000);
    });
  });

  it("a display-zone change while the tree waits: the tree joins the new zone's computation, the old zone's stops", async () => {
    const big: QRadarResult = { ...many(await read(), 200_000) };
    big.summaries = [{ settings: settingsFor('UTC'), summary: summarizeQRadar(big, settingsFor('UTC')) }];
    const fp = (zone: string): QRadarSettings => ({ ...settingsFor(zone), falsePositiveReasons: ['no such reason'] });
    await computations(async (jobs) => {
      settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason']);
      const refreshed = nextRefresh();
      qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 }); // the tree waits for UTC's
      await turn();
      // the zone changes: the dashboard asks for the new zone's summary, then the tree is refreshed
      setQRadarDisplayZone(() => 'Asia/Tokyo');
      const dash = qradarKind.source(big, meta, 'Asia/Tokyo', new AbortController().signal);
      qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 });
      assert.deepEqual(jobs.map((j) => j.settings), [fp('UTC'), fp('Asia/Tokyo')]);
      await assert.rejects(jobs[0].promise, { name: 'AbortError' }, "UTC's summary was needed by the tree alone");
      await dash;
      await refreshed;
      assert.equal(jobs.length, 2, 'no third computation');
      assert.equal(qradarKind.describe(big).summary.falsePositive, 0);
      assert.equal(qradarKind.describe(big).summary.offenses, 200_000);
    });
  });

  it('a dashboard panel stops waiting for the source of an older load (a refresh) and when it is closed', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vscode = require('vscode') as typeof vscodeTypes;
    const signals: AbortSignal[] = [];
    const never = new Promise<DashboardSource>(() => undefined);
    const host: PanelHost = { getSource: (_id, _zone, signal) => (signals.push(signal!), never), displayZone: () => 'UTC', log: () => undefined };
    DashboardPanel.show(vscode.Uri.file('/ext'), host, 'S');
    const page = panels[panels.length - 1];
    page.send({ type: 'ready' }, 1);
    await turn();
    assert.equal(signals.length, 1);
    DashboardPanel.refreshAll();
    await turn();
    assert.equal(signals.length, 2);
    assert.deepEqual(signals.map((x) => x.aborted), [true, false], 'the older load is not needed any more');
    page.dispose();
    assert.equal(signals[1].aborted, true, 'closed: nobody waits');
  });
});
