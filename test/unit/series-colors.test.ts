/**
 * New-user trial: with "non-issue" added to socAnalytics.qradar.falsePositiveReasons, the QRadar per-day chart's legend
 * showed "False-Positive, Tuned" and "Non-Issue" in the same green. Each series of a chart gets its own colour
 * (src/shared/series-colors.ts, used by webview/common/charts.ts with the theme's palette).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesColors, type SeriesPalette } from '../../src/shared/series-colors';

// the dark theme's values (test/webview/page/themes.css and charts.ts's fallbacks)
const GREEN = '#89d185';
const RED = '#f14c4c';
const GREY = '#9d9d9d';
const CYCLE = ['#3794ff', '#b180d7', '#d18616', '#cca700', GREEN, RED, '#0f9488', '#db2777', '#65a30d', '#8b5cf6', '#b07d48', '#cccccc'];
const NEUTRAL = '#8c959f';
const palette: SeriesPalette = {
  levels: { ESCALATED: RED, FALSEPOSITIVE: GREEN, NOTCLOSED: GREY, ALERT: RED },
  cycle: CYCLE,
  slot: (s) => (s < 0 ? NEUTRAL : CYCLE[s % 11]),
};
const reason = (colorKey?: string) => ({ colorKey });

describe('chart series colours: one colour per series', () => {
  test('the trial: two closing reasons counted as false positive — the first the green, the second the first free cycle colour (blue)', () => {
    // per-day datasets as buildQRadarDashboard makes them: (not closed), False-Positive, Tuned, Non-Issue
    assert.deepEqual(seriesColors([reason('NOTCLOSED'), reason('FALSEPOSITIVE'), reason('FALSEPOSITIVE')], palette), [GREY, GREEN, '#3794ff']);
    // two escalated reasons too
    assert.deepEqual(seriesColors([reason('ESCALATED'), reason('FALSEPOSITIVE'), reason('ESCALATED'), reason('FALSEPOSITIVE')], palette), [RED, GREEN, '#3794ff', '#b180d7']);
  });

  test('reasons without a colour key skip the colours of the keyed ones (the fifth was green beside the false positives)', () => {
    const got = seriesColors([reason(), reason(), reason(), reason(), reason(), reason('FALSEPOSITIVE'), reason('ESCALATED'), reason()], palette);
    assert.deepEqual(got, ['#3794ff', '#b180d7', '#d18616', '#cca700', '#0f9488', GREEN, RED, '#db2777']);
    assert.equal(new Set(got).size, got.length);
  });

  test('a keyed series keeps its theme colour wherever it stands; two keys of one colour (ESCALATED, ALERT) are two colours', () => {
    assert.deepEqual(seriesColors([reason(), reason('FALSEPOSITIVE')], palette), ['#3794ff', GREEN]);
    assert.deepEqual(seriesColors([reason('ESCALATED'), reason('alert')], palette), [RED, '#3794ff']);
  });

  test('colours are compared as painted: rgb() and hex of one colour are the same colour', () => {
    const p: SeriesPalette = { ...palette, levels: { FALSEPOSITIVE: 'rgb(137, 209, 133)' } };
    assert.deepEqual(seriesColors([reason('FALSEPOSITIVE'), reason(), reason(), reason(), reason(), reason()], p), ['rgb(137, 209, 133)', '#3794ff', '#b180d7', '#d18616', '#cca700', RED]);
  });

  test('tag colour slots keep their slot colour (the same tag, the same colour in every chart); other series avoid them', () => {
    assert.deepEqual(seriesColors([{ colorSlot: 0 }, { colorSlot: 4 }, { colorSlot: -1 }, reason(), reason('FALSEPOSITIVE')], palette), ['#3794ff', GREEN, NEUTRAL, '#b180d7', '#d18616']);
    assert.deepEqual(seriesColors([{ colorSlot: 2 }, { colorSlot: 3 }], palette), ['#d18616', '#cca700']);
  });

  test('more series than colours: every cycle colour first, then the cycle again', () => {
    const got = seriesColors(Array.from({ length: 14 }, () => reason()), palette);
    assert.deepEqual(got.slice(0, 12), CYCLE);
    assert.deepEqual(got.slice(12), CYCLE.slice(0, 2));
    assert.deepEqual(seriesColors([], palette), []);
  });
});
