/**
 * Analyst trial 8: the merged timeline's Event column was pushed out of view (a Time column ~220 px wide for its header
 * `Time (America/New_York)`; with a row's detail open at a ~1040 px panel only Time, Source and Analysis showed). The
 * model's columns: Time titled `Time` (as wide as its times), the zone in its tooltip and CSV header; Source and
 * Analysis step aside beside the detail pane; Event neither hidden nor stepping aside. Real input: the QRadar samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { exportHeader } from '../../src/core/table/store';
import { buildTimelineDashboard, timelineColumns, timelineEvents } from '../../src/core/tz-timeline';

const ROOT = resolve(__dirname, '../../..');
const OFFENSES = resolve(ROOT, '../shared/data/qradar/samples/offenses.json');
const ZONE = 'America/New_York';

test('merged timeline columns: Time as wide as its times, its zone in the tooltip and the CSV header; Source and Analysis step aside beside the detail; Event stays', async () => {
  const events = timelineEvents('qradar', 'qradar', await runQRadarRead([OFFENSES], { consoleTimeZone: 'UTC' }));
  assert.equal(events.length, 6);
  const m = buildTimelineDashboard(events, 1, ZONE);
  const col = Object.fromEntries(m.columns.map((c) => [c.id, c]));
  assert.deepEqual(m.columns.map((c) => c.id), ['time', 'source', 'analysis', 'event', 'detail', 'ref']);
  assert.equal(col.time.title, 'Time');
  assert.ok((col.time.width ?? 0) <= 160, String(col.time.width));
  assert.match(col.time.description ?? '', /America\/New_York/);
  assert.equal(col.source.besideDetail, 'hide');
  assert.equal(col.analysis.besideDetail, 'hide');
  assert.equal(col.event.besideDetail, undefined);
  assert.equal(col.event.hidden, undefined);
  assert.equal(col.time.besideDetail, undefined);
  // the CSV export keeps the zone in its header
  assert.equal(exportHeader(timelineColumns(ZONE).find((c) => c.id === 'time')!), 'Time (America/New_York)');
});
