/**
 * Trial defect E: the Results view labelled a QRadar run on the workspace folder `demo-workspace`, which says neither
 * what kind of analysis it is nor that it is a folder. The label is now the kind and what was analyzed,
 * `QRadar · demo-workspace`, at most RESULTS_LABEL_MAX characters for the default side bar (the middle of the name gives
 * way); the files read are in the whole label, `QRadar · demo-workspace (3 files)`, which heads the tooltip. A later
 * trial read `QRadar · qradar (6 files) 6 offens…`: the count in the label pushed the analysis's counts out of sight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { RESULTS_LABEL_MAX, resultsLabel } from '../../src/core/analyze/results-label';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';

const DATA = path.resolve(__dirname, '../../../../shared/data');

test('a folder: the kind and the folder; the files read in the tooltip’s whole label — the trial’s QRadar run on demo-workspace', () => {
  assert.deepEqual(resultsLabel('QRadar', 'demo-workspace', 3, true), { label: 'QRadar · demo-workspace', full: 'QRadar · demo-workspace (3 files)' });
  assert.equal(resultsLabel('QRadar', 'demo-workspace', 1, true).full, 'QRadar · demo-workspace (1 file)');
  assert.equal(resultsLabel('Cases', 'tickets', 12_345, true).full, 'Cases · tickets (12,345 files)');
  // the trial's run (label 15 characters: the line `6 offenses · …` after it shows in a 300 px side bar)
  assert.equal(resultsLabel('QRadar', 'qradar', 6, true).label, 'QRadar · qradar');
});

test('one file named is its own name, no count; several inputs are counted', () => {
  assert.deepEqual(resultsLabel('QRadar', 'offenses.json', 1, false), { label: 'QRadar · offenses.json', full: 'QRadar · offenses.json' });
  assert.deepEqual(resultsLabel('Loki', 'ws1.log + 2 more', 3, true), { label: 'Loki · ws1.log + 2 more', full: 'Loki · ws1.log + 2 more (3 files)' });
  // (the name's middle gives way)
  assert.deepEqual(resultsLabel('Loki', 'scan_result (1).log + 2 more', 3, true), { label: 'Loki · scan_resu… + 2 more', full: 'Loki · scan_result (1).log + 2 more (3 files)' });
  assert.equal(resultsLabel('QRadar', 'samples', undefined, true).label, 'QRadar · samples');
});

test('too long for the side bar: the middle of the name gives way; the kind stays; code points are not split', () => {
  const long = resultsLabel('QRadar', 'incident-2026-11-04-dc02-triage', 12, true);
  assert.equal(long.full, 'QRadar · incident-2026-11-04-dc02-triage (12 files)');
  assert.equal(long.label, 'QRadar · incident…2-triage');
  assert.equal(Array.from(long.label).length, RESULTS_LABEL_MAX);
  const allScans = resultsLabel('Loki', 'real-2021-2022 (all scans)', 4, true);
  assert.equal(allScans.label, 'Loki · real-2021…ll scans)');
  assert.equal(allScans.full, 'Loki · real-2021-2022 (all scans) (4 files)');
  const emoji = resultsLabel('Beacons', '🛰️'.repeat(30), 2, true).label;
  assert.equal(Array.from(emoji).length, RESULTS_LABEL_MAX);
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(emoji), 'no lone high surrogate');
  assert.ok(emoji.startsWith('Beacons · '));
});

test('real runs: a folder of QRadar samples and the Loki scan folder give their kind, name and files read', async () => {
  const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N };
  const q = summarizeQRadar(await runQRadarRead([path.join(DATA, 'qradar/samples')]), settings).summary;
  assert.deepEqual(resultsLabel('QRadar', 'samples', q.files, true), { label: 'QRadar · samples', full: 'QRadar · samples (6 files)' });
  const l = await runLokiAnalysis([path.join(DATA, 'loki/real-2021-2022')]);
  assert.deepEqual(resultsLabel('Loki', 'real-2021-2022', l.summary.files, true), { label: 'Loki · real-2021-2022', full: 'Loki · real-2021-2022 (4 files)' });
});
