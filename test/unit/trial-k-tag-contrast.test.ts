/**
 * New-user trial: the KPI tag colour of MaliciousIP was dark brown on the dark theme. Every tag colour has a contrast
 * of at least 3:1 (WCAG SC 1.4.11) on the dark and light editor backgrounds; a theme colour with alpha is made opaque.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TAG_PALETTE_LIGHT, TAG_NEUTRAL_LIGHT } from '../../src/core/analyze/tag-colors';
import { CHECKED_BACKGROUNDS, contrastRatio, MIN_TAG_CONTRAST, readableTagColor, TAG_PALETTE } from '../../src/shared/tag-palette';

describe('6. tag colours readable on the dark and light themes', () => {
  test('every palette colour (dashboard fallback and report) has ≥ 3:1 on #1e1e1e, #1f1f1f and #ffffff', () => {
    for (const c of [...TAG_PALETTE, ...TAG_PALETTE_LIGHT, TAG_NEUTRAL_LIGHT])
      for (const bg of CHECKED_BACKGROUNDS) assert.ok(contrastRatio(c, bg) >= MIN_TAG_CONTRAST, `${c} on ${bg}: ${contrastRatio(c, bg).toFixed(2)}`);
    // the old brown of slot 10 was dark on dark; the old teal and lime were pale on white
    assert.ok(contrastRatio('#14b8a6', '#ffffff') < 3 && contrastRatio('#84cc16', '#ffffff') < 3);
  });
  test("a theme chart colour with alpha is painted opaque; one that does not read falls back to the slot's palette colour", () => {
    // charts.orange as a theme with a half-transparent find-match colour gives it: MaliciousIP was #623315 on #1e1e1e
    assert.ok(contrastRatio('#623315', '#1e1e1e') < 2);
    assert.equal(readableTagColor('#d186167e', '#1e1e1e', TAG_PALETTE[2]), '#d18616');
    assert.equal(readableTagColor('rgba(209, 134, 22, 0.5)', '#1e1e1e', TAG_PALETTE[2]), '#d18616');
    // a dark brown from a theme: not readable on the dark background → the palette's orange
    assert.equal(readableTagColor('#623315', '#1e1e1e', TAG_PALETTE[2]), TAG_PALETTE[2]);
    assert.equal(readableTagColor('', '#1e1e1e', TAG_PALETTE[2]), TAG_PALETTE[2]);
  });
});
