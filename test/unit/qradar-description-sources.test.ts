/**
 * The tooltip of an offense description in the QRadar Results tree counts every offense source of the description,
 * not the length of its cut list of top sources (TOP_SOURCES = 10): "top 10 of 7,944 offense sources", never
 * "10 sources". Real inputs: shared/data/qradar/samples, their offenses copied.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, TOP_SOURCES, qradarDescriptionTreeText, summarizeQRadar, topSourceText } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { qradarReportTables } from '../../src/core/analyze/qradar-tables';

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
    assert.equal(t.label, '7,950 · Noisy rule');
    assert.equal(t.tooltip.split('\n')[1], '7,950 offenses, top 10 of 7,944 offense sources');
    assert.equal(t.tooltip.split('\n')[2], 'Top source 10.0.0.1: 0.1% of offenses');

    const quiet = s.descriptions.find((d) => d.description === 'Quiet rule')!;
    assert.equal(quiet.sources, 3);
    assert.equal(qradarDescriptionTreeText(quiet).tooltip.split('\n')[1], '4 offenses, 3 offense sources');
  });

  it('the dashboard\'s noise table counts every source; a top source tied with 1,652 others says so everywhere (trial, 2026-12-07)', async () => {
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'UTC' });
    const o = p.offenses[0];
    // 1,653 sources with one offense each: every one is "the top source"
    const offenses = Array.from({ length: 1653 }, (_, i) => ({ ...o, id: i + 1, description: 'Tied rule', label: 'Tied rule', offenseSource: `10.2.${i >> 8}.${i & 255}` }));
    const parsed = { ...p, offenses };
    const s = summarizeQRadar(parsed, settings);
    const tied = s.descriptions.find((d) => d.description === 'Tied rule')!;
    assert.equal(tied.sources, 1653);
    assert.equal(tied.topSourceTies, 1652);
    assert.equal(topSourceText(tied), '10.2.0.0 +1,652 tied');
    const t = qradarDescriptionTreeText(tied);
    // the count before the name (grouped), the top source after it
    assert.equal(t.label, '1,653 · Tied rule');
    assert.equal(t.description, '10.2.0.0 +1,652 tied 0.1% each');
    assert.deepEqual(t.facets, { description: 'Tied rule' });
    assert.equal(t.tooltip.split('\n')[2], 'Top source 10.2.0.0 +1,652 tied: 0.1% of offenses each');
    const model = buildQRadarDashboard(parsed, 'tied', settings).model;
    const noise = model.tables.find((x) => x.id === 'noise')!;
    const cols = noise.columns.map((c) => c.id);
    const row = noise.rows.find((r) => r[0] === 'Tied rule')!;
    assert.equal(row[cols.indexOf('sources')], 1653, 'every source, not the 10 of the cut list');
    assert.equal(row[cols.indexOf('topSource')], '10.2.0.0 +1,652 tied');
    // the Markdown / text report table: grouped counts and the tie
    const md = qradarReportTables(s).find((x) => x.id === 'descriptions')!;
    assert.deepEqual(md.rows.find((r) => r[5] === 'Tied rule'), ['1,653', '0.1% each', '10.2.0.0 +1,652 tied', '0', '0', 'Tied rule']);
  });
});
