/**
 * The QRadar summaries after a settings change (src/extension/kinds/qradar.ts): the Results line follows the current
 * closing-reason settings as the tree's children do. Real inputs: shared/data/qradar/samples.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import * as summaryModule from '../../src/core/analyze/qradar-summary';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, qradarDescriptionTreeText, type QRadarResult, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { qradarKind, setQRadarDisplayZone, setQRadarTreeRefresh } from '../../src/extension/kinds/qradar';
import { ResultsTreeProvider } from '../../src/extension/resultsTree';
import type { AnalysisMeta, AnalysisRegistry } from '../../src/extension/analyses';

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

/** Runs `fn` while recording the settings of every summary the kind starts computing in slices. */
async function counting<T>(fn: (started: QRadarSettings[]) => Promise<T>): Promise<T> {
  // (CommonJS: the kind calls the export as it is at call time)
  const exported = summaryModule as { summarizeQRadarAsync: typeof summaryModule.summarizeQRadarAsync };
  const real = exported.summarizeQRadarAsync;
  const started: QRadarSettings[] = [];
  exported.summarizeQRadarAsync = (p, s, o) => (started.push(s), real(p, s, o));
  try {
    return await fn(started);
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
    await counting(async (started) => {
      const refreshed = nextRefresh();
      assert.equal(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 }).length, result.summaries![0].summary.descriptions.length);
      qradarKind.describe(result);
      const dash = await qradarKind.source(result, meta, 'Asia/Tokyo');
      await refreshed;
      assert.deepEqual(started, [fpReasons(settingsFor('Asia/Tokyo'))], 'one computation, of the display zone');
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
    await counting(async (started) => {
      const refreshed = nextRefresh();
      const dash = qradarKind.source(result, meta, 'Europe/Berlin');
      assert.equal(qradarKind.describe(result).summary.offenses, 12_345, 'the summary it has meanwhile');
      qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 });
      await dash;
      await refreshed;
      assert.deepEqual(started, [fpReasons(settingsFor('Europe/Berlin', 7))]);
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
    await counting(async (started) => {
      assert.equal(qradarKind.describe(result).summary.offenses, 12_345, 'the worker summary: its counts do not depend on topN');
      assert.equal(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 }).length, result.summaries![0].summary.descriptions.length);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(started, []);
      assert.equal(refreshes, 0);
    });
  });
});
