/**
 * Hostile review: a QRadar summary in slices whose last waiter left is aborted, but stays `pending` in its entry until
 * its next slice (a setImmediate away). Whoever asks for the same settings in that window must not join the stopped
 * computation (it would reject with an AbortError nobody asked for): a dashboard refreshed for the same settings, the
 * tree's wait for closing-reason settings changed A → B → A.
 */
import { settings } from './vscode-stand-in';
import { many } from './qradar-many';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, type QRadarResult, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { qradarKind, setQRadarDisplayZone, setQRadarTreeRefresh } from '../../src/extension/kinds/qradar';
import type { AnalysisMeta } from '../../src/extension/analyses';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const settingsFor = (zone: string): QRadarSettings => ({ zone, escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 });
const read = () => runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
const meta = { id: 'q1', kind: 'qradar', title: 'samples', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin' }, createdAt: 1 } as unknown as AnalysisMeta;
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('QRadar summary: a request right after the last waiter left starts afresh', () => {
  afterEach(() => {
    settings.clear();
    setQRadarTreeRefresh(() => undefined);
    setQRadarDisplayZone(() => 'UTC');
  });

  it('a dashboard reloaded for the same settings (refresh: the older load aborted first) gets its summary', async () => {
    const big = many(await read(), 100_000);
    const first = new AbortController();
    const a = Promise.resolve(qradarKind.source(big, meta, 'Europe/Berlin', first.signal));
    await turn();
    // DashboardPanel.load: the older load's signal aborted, then the newer load asks at once (same zone, same settings)
    first.abort();
    const b = Promise.resolve(qradarKind.source(big, meta, 'Europe/Berlin', new AbortController().signal));
    await assert.rejects(a, { name: 'AbortError' });
    const d = await b; // was: AbortError "The summary is no longer needed." — the panel showed a failure
    assert.equal(d.model.kind, 'qradar');
  });

  it('closing-reason settings A → B → A: the tree is refreshed with the counts of A', async () => {
    const big: QRadarResult = { ...many(await read(), 100_000) };
    big.summaries = [{ settings: settingsFor('UTC'), summary: summarizeQRadar(big, settingsFor('UTC')) }];
    let refreshes = 0;
    setQRadarTreeRefresh(() => refreshes++);
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason A']);
    qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 });
    await turn();
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason B']);
    qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 });
    settings.set('socAnalytics.qradar.falsePositiveReasons', ['no such reason A']);
    qradarKind.children!(big, 'q1', undefined, { maxChildren: 500 });
    for (let i = 0; i < 1000 && refreshes === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(refreshes >= 1, 'the tree was never refreshed: it keeps showing the counts of the run\'s settings');
    assert.equal(qradarKind.describe(big).summary.falsePositive, 0, 'the counts of A');
  });
});

describe('QRadar summary: a waiter that leaves and another that comes in the same turn keep the computation', () => {
  afterEach(() => settings.clear());

  it('a dashboard refresh for the same settings joins the computation in flight (no restart from the first slice)', async () => {
    const big = many(await read(), 100_000);
    // (CommonJS: the kind calls the export as it is at call time)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require('../../src/core/analyze/qradar-summary') as { summarizeQRadarAsync: (...a: unknown[]) => Promise<unknown> };
    const real = exported.summarizeQRadarAsync;
    let started = 0;
    exported.summarizeQRadarAsync = (...a: unknown[]) => (started++, real(...a));
    try {
      const first = new AbortController();
      const a = Promise.resolve(qradarKind.source(big, meta, 'Europe/Berlin', first.signal));
      await turn();
      await turn();
      first.abort();
      await Promise.resolve(); // (DashboardPanel.load: the newer load asks after an await or two)
      const b = Promise.resolve(qradarKind.source(big, meta, 'Europe/Berlin', new AbortController().signal));
      await assert.rejects(a, { name: 'AbortError' });
      await b;
      assert.equal(started, 1, 'one computation: the newer load joined the one in flight');
    } finally {
      exported.summarizeQRadarAsync = real;
    }
  });
});
