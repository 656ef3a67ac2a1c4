/**
 * The QRadar summaries after a settings change (src/extension/kinds/qradar.ts): the Results line follows the current
 * closing-reason settings as the tree's children do. Real inputs: shared/data/qradar/samples.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, type QRadarResult, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
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
