/**
 * The value axis of the dashboards' charts writes large counts short (src/shared/value-ticks.ts), so that a chart of
 * 1,600,002 findings no longer runs its tick labels into each other (new-user trial, "1,000,0001,500,0002,000,000").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueTickLabel } from '../../src/shared/value-ticks';

test('value ticks: counts from 100,000 up are compact, smaller ones grouped', () => {
  // the trial's axis: 0, 500,000, 1,000,000, 1,500,000, 2,000,000
  assert.deepEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000].map(valueTickLabel), ['0', '500K', '1M', '1.5M', '2M']);
  // steps of 250,000 keep their two decimals (1.3M would misplace the tick)
  assert.equal(valueTickLabel(1_250_000), '1.25M');
  assert.equal(valueTickLabel(99_999), '99,999');
  assert.equal(valueTickLabel(5_000), '5,000');
  assert.equal(valueTickLabel(2.5), '2.5');
  assert.equal(valueTickLabel(3_000_000_000), '3B');
});
