/**
 * The merged timeline dates QRadar offenses by the one rule of the QRadar analysis (offenseTime): start_time only;
 * an offense without a valid start_time is undated there and is not placed at its first_persisted_time either.
 * Fixture: test/fixtures/qradar/undated-persisted/offenses.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { summarizeQRadar, DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { timelineEvents } from '../../src/core/tz-timeline';

const FILE = path.resolve(__dirname, '../../../test/fixtures/qradar/undated-persisted/offenses.json');

test('offenses without a valid start_time are not on the merged timeline (no first_persisted_time in its place), as in the QRadar analysis', async () => {
  const parsed = await runQRadarRead([FILE], { consoleTimeZone: 'UTC' });
  assert.equal(parsed.offenses.length, 3);
  const ev = timelineEvents('qradar', 'Q', parsed);
  assert.deepEqual(
    ev.map((e) => [new Date(e.time).toISOString(), e.event]),
    [['2026-04-01T10:00:00.000Z', '7 · dated']],
  );
  const s = summarizeQRadar(parsed, { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 });
  assert.equal(s.summary.undated, 2);
  assert.equal(s.summary.offenses - s.summary.undated, ev.length);
});
