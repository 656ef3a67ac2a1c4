/**
 * The QRadar dashboard summary off the extension host's main thread (issue #7, "keep VS Code responsive"): at 500,000
 * offenses `summarizeQRadar` takes about a second, and the host ran it on its main thread twice per analysis (the
 * Results line in UTC, the dashboard in the display zone), freezing the window. Now the analysis worker computes the
 * display zone's summary with the result (`withSummaries`), the Results tree reads it in any zone (its texts do not
 * depend on the zone), and any other summary is computed on the host in slices (`summarizeQRadarAsync`).
 * Real inputs: shared/data/qradar/samples.
 */
import { settings } from './vscode-stand-in';
import { many } from './qradar-many';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, summarizeQRadarAsync, withSummaries, type QRadarResult, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import type { QRadarParsed } from '../../src/core/parse/qradar-model';
import type { WorkerJob } from '../../src/shared/worker-protocol';
import { runWorkerJob } from './worker-job';
import { qradarKind, setQRadarDisplayZone, setQRadarTreeRefresh } from '../../src/extension/kinds/qradar';
import type { AnalysisMeta } from '../../src/extension/analyses';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const meta = { id: 'q1', kind: 'qradar', title: 'samples', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin' }, createdAt: 1 } as unknown as AnalysisMeta;
const settingsFor = (zone: string, topN = 20): QRadarSettings => ({ zone, escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN });
const read = () => runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });



describe('summarizeQRadarAsync: the same summary, in slices', () => {
  it('equals summarizeQRadar on the real samples (two zones) and on 30,000 offenses; the event loop runs between slices', async () => {
    const p = await read();
    assert.ok(p.offenses.length > 0);
    for (const zone of ['UTC', 'Europe/Berlin']) assert.deepEqual(await summarizeQRadarAsync(p, settingsFor(zone)), summarizeQRadar(p, settingsFor(zone)));
    const big = many(p, 30_000);
    const want = summarizeQRadar(big, settingsFor('America/New_York'));
    assert.equal(want.summary.offenses, 30_000);
    assert.equal(want.descriptions.length, 37 * new Set(p.offenses.map((o) => o.description)).size);
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const got = await summarizeQRadarAsync(big, settingsFor('America/New_York'), { sliceMs: 0 });
    clearInterval(timer);
    assert.deepEqual(got, want);
    // a slice of 0 ms pauses at every step (2,048 offenses or sources): 30,000 offenses and their sources are > 20 steps
    assert.ok(turns >= 10, `timers ran ${turns} times while it worked`);
  });

  it('no slice holds the work after the offenses in one piece (many descriptions, NUL in descriptions): each is a small share of the whole', async () => {
    const p = await read();
    // 120,000 offenses, 60,000 names (a NUL in half of them: pairs are counted by their key), a source each
    const offenses = Array.from({ length: 120_000 }, (_, i) => {
      const o = p.offenses[i % p.offenses.length];
      const label = `Rule${i % 4 < 2 ? ' ' : '\u0000'}${i >> 1}`;
      return { ...o, id: i + 1, startTime: Date.UTC(2025, 0, 1) + i * 60_000, label, offenseSource: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` };
    });
    const big: QRadarParsed = { ...p, offenses };
    const gaps: number[] = [];
    let last = performance.now();
    let on = true;
    const tick = () => {
      const t = performance.now();
      gaps.push(t - last);
      last = t;
      if (on) setImmediate(tick);
    };
    setImmediate(tick);
    const t0 = performance.now();
    const got = await summarizeQRadarAsync(big, settingsFor('UTC'), { sliceMs: 0 });
    const total = performance.now() - t0;
    on = false;
    await new Promise((r) => setImmediate(r)); // the gap of the last slice
    assert.equal(got.summary.descriptions, 60_000);
    const longest = Math.max(...gaps);
    // before: the descriptions' noise and sort and the pairs by key ran after the last pause (~40% of the whole)
    assert.ok(longest < total * 0.15, `longest slice ${longest.toFixed(0)} ms of ${total.toFixed(0)} ms`);
  });

  it('stops with an AbortError when its signal is aborted', async () => {
    const big = many(await read(), 20_000);
    const ac = new AbortController();
    const run = summarizeQRadarAsync(big, settingsFor('UTC'), { sliceMs: 0, signal: ac.signal });
    ac.abort();
    await assert.rejects(run, { name: 'AbortError' });
  });
});

describe('the worker computes the summaries the host asks for', () => {
  it('a qradar job with summaries: each is summarizeQRadar of the result for its settings; without: none', async () => {
    const asked = [settingsFor('Asia/Tokyo', 5)];
    const r = await runWorkerJob<QRadarResult>({ kind: 'qradar', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin', summaries: asked } });
    assert.equal(r.summaries?.length, 1);
    assert.deepEqual(r.summaries![0].settings, asked[0]);
    const { summaries, ...parsed } = r;
    assert.deepEqual(summaries![0].summary, structuredClone(summarizeQRadar(parsed as QRadarParsed, asked[0])));
    assert.equal(summaries![0].summary.summary.timezone, 'Asia/Tokyo');
    assert.equal(summaries![0].summary.topDescriptions.length, Math.min(5, summaries![0].summary.descriptions.length));
    const plain = await runWorkerJob<QRadarResult>({ kind: 'qradar', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin' } });
    assert.equal('summaries' in plain, false);
    assert.equal(withSummaries(parsed as QRadarParsed, []), parsed, 'no settings: the result itself');
  });
});

describe('extension: the QRadar kind reads the worker summary and computes others in slices', () => {
  afterEach(() => {
    settings.clear();
    setQRadarTreeRefresh(() => undefined);
  });

  it('the job asks for the display zone summary with the current settings', () => {
    setQRadarDisplayZone(() => 'Asia/Tokyo');
    settings.set('socAnalytics.qradar.topN', 7);
    const job = qradarKind.job(meta) as Extract<WorkerJob, { kind: 'qradar' }>;
    assert.deepEqual(job.options.summaries, [settingsFor('Asia/Tokyo', 7)]);
    assert.equal(job.options.consoleTimeZone, 'Europe/Berlin');
  });

  it('the Results line and tree use the worker summary of any zone; after a settings change, a summary computed in slices and a tree refresh', async () => {
    const p = await read();
    const real = summarizeQRadar(p, settingsFor('Asia/Tokyo'));
    // a marked copy: if the kind computed its own, the line would say the real count
    const marked = structuredClone(real);
    marked.summary.offenses = 12_345;
    const result: QRadarResult = { ...p, summaries: [{ settings: settingsFor('Asia/Tokyo'), summary: marked }] };
    assert.match(qradarKind.describe(result).description, /^12,345 offenses · /);
    assert.equal(qradarKind.describe(result).summary.offenses, 12_345);
    assert.equal(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 }).length, real.descriptions.length);
    // the escalation settings change: the tree's children show the summary they have until the new one is ready, then
    // the tree refreshes (the Results line is stored at the run, so describe counts with the settings of now at once)
    marked.descriptions[0] = { ...marked.descriptions[0], description: 'marked' };
    settings.set('socAnalytics.qradar.escalatedReasons', ['no such reason']);
    let refreshed: () => void = () => undefined;
    const refresh = new Promise<void>((r) => (refreshed = r));
    setQRadarTreeRefresh(() => refreshed());
    // (the label is the offense count, then the name: `1 · marked`)
    const nameOf = () => String(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 })[0].label).replace(/^[\d,]+ · /, '');
    assert.equal(qradarKind.children!(result, 'q1', undefined, { maxChildren: 500 })[0].label, `${marked.descriptions[0].count.toLocaleString('en-US')} · marked`);
    assert.equal(nameOf(), 'marked');
    await refresh;
    assert.notEqual(nameOf(), 'marked');
    const now = qradarKind.describe(result).summary;
    assert.equal(now.offenses, p.offenses.length);
    assert.equal(now.escalated, 0, 'no closing reason mentions "no such reason"');
  });

  it('the dashboard: the worker summary for its zone, another zone computed in slices — the same model as computed here', async () => {
    const p = await read();
    const marked = structuredClone(summarizeQRadar(p, settingsFor('Asia/Tokyo')));
    marked.summary.offenses = 12_345;
    const result: QRadarResult = { ...p, summaries: [{ settings: settingsFor('Asia/Tokyo'), summary: marked }] };
    const tokyo = await qradarKind.source(result, meta, 'Asia/Tokyo');
    assert.deepEqual(tokyo.model, buildQRadarDashboard(p, meta.title, settingsFor('Asia/Tokyo'), marked).model);
    const berlin = await qradarKind.source(result, meta, 'Europe/Berlin');
    assert.deepEqual(berlin.model, buildQRadarDashboard(p, meta.title, settingsFor('Europe/Berlin')).model);
  });
});
