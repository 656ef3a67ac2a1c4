/**
 * The tooltip of an offense description in the QRadar Results tree counts every offense source of the description,
 * not the length of its cut list of top sources (TOP_SOURCES = 10): "top 10 of 7,944 offense sources", never
 * "10 sources". Real inputs: shared/data/qradar/samples, their offenses copied.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, TOP_SOURCES, qradarDescriptionTreeText, summarizeQRadar } from '../../src/core/analyze/qradar-summary';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

describe('QRadar description tooltip: the offense sources counted whole', () => {
  it('7,950 offenses of one description from 7,944 offense sources: "top 10 of 7,944 offense sources"; 3 sources: "3 offense sources"', async () => {
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'UTC' });
    const o = p.offenses[0];
    // 7,944 sources: the first 7 offenses from 10.0.0.1, then one offense per source
    const offenses = Array.from({ length: 7950 }, (_, i) => {
      const n = i < 7 ? 1 : i - 5;
      return { ...o, id: i + 1, description: 'Noisy rule', label: 'Noisy rule', offenseSource: `10.0.${n >> 8}.${n & 255}` };
    });
    const few = ['10.1.0.1', '10.1.0.1', '10.1.0.2', '10.1.0.3'].map((offenseSource, i) => ({ ...o, id: 10_000 + i, description: 'Quiet rule', label: 'Quiet rule', offenseSource }));
    const s = summarizeQRadar({ ...p, offenses: [...offenses, ...few] }, settings);
    const noisy = s.descriptions.find((d) => d.description === 'Noisy rule')!;
    assert.equal(noisy.count, 7950);
    assert.equal(noisy.sources, 7944);
    assert.equal(noisy.topSources.length, TOP_SOURCES);
    assert.deepEqual(noisy.topSources[0], { source: '10.0.0.1', count: 7 });
    const t = qradarDescriptionTreeText(noisy);
    assert.equal(t.tooltip.split('\n')[1], '7,950 offenses, top 10 of 7,944 offense sources');
    assert.equal(t.tooltip.split('\n')[2], 'Top source 10.0.0.1: 0.1% of offenses');

    const quiet = s.descriptions.find((d) => d.description === 'Quiet rule')!;
    assert.equal(quiet.sources, 3);
    assert.equal(qradarDescriptionTreeText(quiet).tooltip.split('\n')[1], '4 offenses, 3 offense sources');
  });
});
