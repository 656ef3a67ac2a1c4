/**
 * Analyst trial 8: the merged timeline's detail of a QRadar offense said "Reveal in log" while the QRadar dashboard
 * says "Reveal in export" (an export is not a log). One name per source kind, in the event's own dashboard and in the
 * timeline: an offense *Reveal in export*, a case of a ticket export *Reveal in file*, a finding the default (*Reveal in
 * log*), a connection pair none. Real input: the QRadar samples, the Loki 2021–2022 logs, the Zeek day, kpi-small.csv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { qradarContext, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { caseDetail, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { timelineDetail, timelineEvents } from '../../src/core/tz-timeline';

const ROOT = resolve(__dirname, '../../..');
const SHARED = resolve(ROOT, '../shared/data');
const OFFENSES = resolve(SHARED, 'qradar/samples/offenses.json');
const CASES = resolve(ROOT, 'test/fixtures/cases/kpi-small.csv');

test('the reveal button of a QRadar offense: "Reveal in export" in the merged timeline as in the QRadar dashboard', async () => {
  const parsed = await runQRadarRead([OFFENSES], { consoleTimeZone: 'UTC' });
  const own = qradarOffenseDetail(parsed.offenses[0], 0, qradarContext(parsed, { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 }));
  const events = timelineEvents('qradar', 'qradar', parsed);
  assert.equal(events.length, 6);
  for (const [i, e] of events.entries()) {
    const d = timelineDetail(e, i, 'UTC');
    assert.equal(d.canReveal, true);
    assert.deepEqual(d.reveal, own.reveal);
    assert.equal(d.reveal?.label, 'Reveal in export');
  }
});

test('the reveal button of a case (a ticket export): "Reveal in file" in the merged timeline as in the cases dashboard', async () => {
  const a = await runKpiAnalysis([CASES], { sourceZone: 'UTC' });
  const own = caseDetail(caseRows(a)[0], 0, 'UTC');
  assert.equal(own.reveal?.label, 'Reveal in file');
  const events = timelineEvents('kpi', 'kpi-small.csv', a);
  assert.ok(events.length >= 10, String(events.length));
  for (const e of events) assert.deepEqual(timelineDetail(e, 0, 'UTC').reveal, own.reveal);
});

test('a Loki finding keeps "Reveal in log" (the default); a connection pair has no reveal button, as in the beacon dashboard', async () => {
  const loki = timelineEvents('loki', 'loki-results', await runLokiAnalysis([resolve(SHARED, 'loki/real-2021-2022')]));
  assert.ok(loki.length > 10);
  const f = timelineDetail(loki[0], 0, 'UTC');
  assert.equal(f.reveal, undefined);
  assert.equal(f.noReveal, undefined);
  const pairs = timelineEvents('beacons', 'zeek', await runBeaconAnalysis([resolve(SHARED, 'zeek/day-2024-04-19')], { internalSubnets: ['64.225.56.201/32'] }));
  assert.equal(pairs.length, 22);
  assert.equal(timelineDetail(pairs[0], 0, 'UTC').noReveal, true);
});
