/**
 * A narrow chart's label axis (new-user trial, the beacon detail's "Connections per bin", 24 bars about 200 px wide):
 * Chart.js's own skipping drew one date of 24 and squeezed the axis title into the plot's width. Now the first, the
 * last and evenly spaced labels between them, and the title on two lines when it is wider than the axis.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spreadTickIndices, wrapWords } from '../../src/shared/axis-ticks';

describe('spreadTickIndices', () => {
  it('24 bins of a 150 px plot with 70 px dates ("04-19 09:00"): the first and the last', () => {
    assert.deepEqual(spreadTickIndices(24, 150 / 24, 70), [0, 23]);
  });
  it('24 bins of a 240 px plot: first, middle, last', () => {
    assert.deepEqual(spreadTickIndices(24, 240 / 24, 70), [0, 12, 23]);
  });
  it('24 bins of a 400 px plot with 32 px times ("09:00"): evenly spaced, the last one included', () => {
    const got = spreadTickIndices(24, 400 / 24, 32);
    assert.equal(got[0], 0);
    assert.equal(got.at(-1), 23);
    // neighbours at least 40 px apart (32 px wide labels and the 8 px gap)
    for (let i = 1; i < got.length; i++) assert.ok((got[i] - got[i - 1]) * (400 / 24) >= 40, JSON.stringify(got));
    assert.deepEqual(got, [0, 3, 7, 10, 13, 16, 20, 23]);
  });
  it('labels that fit side by side: all of them; no room for two: only the first; none or one bar', () => {
    assert.deepEqual(spreadTickIndices(4, 60, 40), [0, 1, 2, 3]);
    assert.deepEqual(spreadTickIndices(24, 2, 70), [0]);
    assert.deepEqual(spreadTickIndices(0, 10, 10), []);
    assert.deepEqual(spreadTickIndices(1, 10, 100), [0]);
  });
});

describe('wrapWords', () => {
  const mono = (s: string) => s.length * 6; // 6 px a character
  it('a title wider than its axis breaks at its spaces onto lines as wide as the axis', () => {
    assert.deepEqual(wrapWords('Bin start (to the nearest 5 min)', 160, mono), ['Bin start (to the nearest', '5 min)']);
  });
  it('a title that fits stays on one line; a word wider than the axis stays whole', () => {
    assert.deepEqual(wrapWords('Connections', 160, mono), ['Connections']);
    assert.deepEqual(wrapWords('orig_ip_bytes_and_more sent', 60, mono), ['orig_ip_bytes_and_more', 'sent']);
  });
});
