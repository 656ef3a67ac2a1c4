/**
 * The QRadar kind's summaries per result and settings (src/extension/kinds/qradar.ts) under the orders the extension
 * host can run them in: settings changed while the worker ran, a dashboard's Markdown after other zones pushed its
 * summary out of the cache, two dashboards of one zone at once, the tree refreshed when a summary is ready, settings
 * that are not plain. Real inputs: shared/data/qradar/samples.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import * as summaryModule from '../../src/core/analyze/qradar-summary';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, type QRadarResult, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import type { WorkerJob } from '../../src/shared/worker-protocol';
import { qradarKind, setQRadarDisplayZone, setQRadarTreeRefresh } from '../../src/extension/kinds/qradar';
import type { AnalysisMeta } from '../../src/extension/analyses';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const meta = { id: 'q1', kind: 'qradar', title: 'samples', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin' }, createdAt: 1 } as unknown as AnalysisMeta;
const settingsFor = (zone: string, topN = 20): QRadarSettings => ({ zone, escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN });
const read = () => runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });

/** A result as the worker sends it for `asked`, its summary marked (12,345 offenses and false positives): a summary computed here says the real counts. */
async function markedResult(asked: QRadarSettings): Promise<{ result: QRadarResult; real: number }> {
  const p = await read();
  const marked = structuredClone(summarizeQRadar(p, asked));
  marked.summary.offenses = 12_345;
  marked.summary.falsePositive = 12_345;
  return { result: structuredClone({ ...p, summaries: [{ settings: asked, summary: marked }] }), real: p.offenses.length };
}

describe('QRadar kind: the summaries per result and settings', () => {
  afterEach(() => {
    settings.clear();
    setQRadarTreeRefresh(() => undefined);
  });

  it("the Results line counts with the settings when they changed while the worker ran, once their summary is ready (the tree is refreshed)", async () => {
    const { result } = await markedResult(settingsFor('UTC'));
    assert.equal(summarizeQRadar(result, settingsFor('UTC')).summary.falsePositive, 1, 'the samples have a false positive');
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason']);
    const refreshed = new Promise<void>((r) => setQRadarTreeRefresh(() => r()));
    // the line is live (kind.liveDescription): the summary it has now, the current settings' after the refresh
    assert.equal(qradarKind.describe(result).summary.falsePositive, 12_345);
    await refreshed;
    const line = qradarKind.describe(result);
    assert.equal(line.summary.falsePositive, 0, 'no closing reason mentions "no such reason"');
    assert.equal(line.summary.offenses, 6);
    assert.match(line.description, /^6 offenses · 0 escalated · 0 false positives$/);
  });

  it("a dashboard's Markdown summary is of the summary the dashboard shows, never one computed again (after other zones filled the cache)", async () => {
    const { result } = await markedResult(settingsFor('Asia/Tokyo'));
    const tokyo = await qradarKind.source(result, meta, 'Asia/Tokyo');
    assert.match(tokyo.markdown!({ defang: false }), /False positives: 12,345\b/);
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Cairo', 'Pacific/Auckland', 'Europe/London']) await qradarKind.source(result, meta, zone);
    assert.match(tokyo.markdown!({ defang: false }), /False positives: 12,345\b/);
  });

  it('two dashboards of one zone at once share one computation; nine zones at once (the cache keeps eight) each get their own', async () => {
    const { result } = await markedResult(settingsFor('Asia/Tokyo'));
    // counts the computations the kind starts (CommonJS: the kind calls the export as it is at call time)
    const exported = summaryModule as { summarizeQRadarAsync: typeof summaryModule.summarizeQRadarAsync };
    const real = exported.summarizeQRadarAsync;
    const started: string[] = [];
    exported.summarizeQRadarAsync = (p, s, o) => (started.push(s.zone), real(p, s, o));
    try {
      const [a, b] = await Promise.all([qradarKind.source(result, meta, 'Europe/Berlin'), qradarKind.source(result, meta, 'Europe/Berlin')]);
      assert.deepEqual(started, ['Europe/Berlin']);
      assert.deepEqual(a.model, b.model);
      const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Cairo', 'Pacific/Auckland', 'Europe/London'];
      const all = await Promise.all(zones.map((z) => qradarKind.source(result, meta, z)));
      all.forEach((x, i) => assert.deepEqual(x.model, buildQRadarDashboard(result, meta.title, settingsFor(zones[i])).model));
      assert.equal(started.filter((z) => z === 'Europe/Berlin').length, 1, 'Berlin known: not computed again');
    } finally {
      exported.summarizeQRadarAsync = real;
    }
  });

  it('the tree refreshes once per summary it waited for, and then reads it (no refresh loop)', async () => {
    const { result } = await markedResult(settingsFor('Asia/Tokyo'));
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['non-issue']);
    let refreshes = 0;
    let settled: () => void = () => undefined;
    const quiet = new Promise<void>((r) => (settled = r));
    let timer: NodeJS.Timeout | undefined;
    setQRadarTreeRefresh(() => {
      refreshes++;
      // the tree reads its children again, as VS Code does after a refresh
      qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 });
      clearTimeout(timer);
      timer = setTimeout(settled, 200);
    });
    qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 });
    qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 });
    await quiet;
    assert.ok(refreshes >= 1 && refreshes <= 2, `${refreshes} refreshes`);
    const kids = qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 });
    assert.equal(kids.length, summarizeQRadar(result, { ...settingsFor('UTC'), falsePositiveReasons: ['non-issue'] }).descriptions.length);
  });

  it('settings that are not plain (topN not a number, reasons not a list) give the worker and the host the same key', async () => {
    settings.set('socAnalytics.qradar.topN', 'many');
    settings.set('socAnalytics.qradar.escalatedReasons', 'escalat');
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['false positive', 7, null]);
    setQRadarDisplayZone(() => 'Asia/Tokyo');
    const job = qradarKind.job(meta) as Extract<WorkerJob, { kind: 'qradar' }>;
    const asked = structuredClone(job.options.summaries![0]);
    const { result } = await markedResult(asked);
    let refreshed = 0;
    setQRadarTreeRefresh(() => refreshed++);
    assert.equal(qradarKind.describe(result).summary.offenses, 12_345, 'the worker summary');
    assert.match((await qradarKind.source(result, meta, 'Asia/Tokyo')).markdown!({ defang: false }), /False positives: 12,345\b/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(refreshed, 0, 'nothing computed again');
  });
});
