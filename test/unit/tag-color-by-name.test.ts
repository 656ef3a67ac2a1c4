/**
 * New-user trial: add a tagging rule, re-run the KPI analysis: SQLInjection went from teal to pink (a tag's colour slot
 * was its position in the sorted list of all tags). Now a tag's slot depends only on its own name (a hash into the
 * 11 colours of the theme-aware palette); the default tag `Other` and `(not tagged)` stay the neutral grey.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NEUTRAL_SLOT, TAG_COLOR_SLOTS, tagColorLight, tagColorSlot, tagColorSlots } from '../../src/core/analyze/tag-colors';
import { TAG_NEUTRAL, TAG_PALETTE } from '../../src/shared/tag-palette';
import { runKpiAnalysis, kpiReportOf } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';

const NEUTRAL = ['Other', '(not tagged)'];
const FIX = join(resolve(__dirname, '../../..'), 'test/fixtures/cases');
const TMP = mkdtempSync(join(tmpdir(), 'soc-tag-color-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('a tag colour depends only on the tag name', () => {
  test('adding or removing other tags changes no slot; Other and (not tagged) stay neutral', () => {
    const before = tagColorSlots(['Logon', 'AV', 'OpenSSL', 'SQLInjection', 'PortScan', 'Other'], NEUTRAL);
    for (const added of [['Aaa'], ['AAA', 'Brute', 'CloudTrail', 'DLP'], ['Zzz'], []]) {
      const after = tagColorSlots(['Logon', 'AV', 'OpenSSL', 'SQLInjection', 'PortScan', 'Other', ...added], NEUTRAL);
      for (const t of Object.keys(before)) assert.equal(after[t], before[t], `${t} with ${added.join(',')} added`);
    }
    const fewer = tagColorSlots(['SQLInjection'], NEUTRAL);
    assert.equal(fewer.SQLInjection, before.SQLInjection);
    assert.equal(before.Other, NEUTRAL_SLOT);
    assert.equal(before['(not tagged)'], NEUTRAL_SLOT);
    assert.equal(tagColorLight(NEUTRAL_SLOT), TAG_NEUTRAL);
  });

  test('tagColorSlot: a fixed slot per name, in range, letter case counted, spread over the palette', () => {
    // fixed numbers: a change of the hash would recolour every analyst's tags
    assert.deepEqual(['SQLInjection', 'Logon', 'AV', 'WAF', 'Phishing'].map(tagColorSlot), [2, 2, 10, 5, 0]);
    assert.equal(tagColorSlot(''), tagColorSlot(''));
    assert.notEqual(tagColorSlot('sqlinjection'), tagColorSlot('SQLInjection'));
    const used = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const s = tagColorSlot(`tag-${i}`);
      assert.ok(Number.isInteger(s) && s >= 0 && s < TAG_COLOR_SLOTS);
      used.add(s);
    }
    assert.equal(used.size, TAG_COLOR_SLOTS, 'every colour is used');
    assert.equal(TAG_COLOR_SLOTS, TAG_PALETTE.length);
  });

  test('the trial: a rule added to the rules file, re-run: every tag of the first run keeps its chart colour', async () => {
    const rules = JSON.parse(readFileSync(join(FIX, 'tagging.json'), 'utf8'));
    const more = { ...rules, rules: [{ tag: 'AAA-Brute', match: 'brute' }, ...rules.rules] };
    const morePath = join(TMP, 'tagging-more.json');
    writeFileSync(morePath, JSON.stringify(more));
    const slots = async (rulesPath: string) => {
      const a = await runKpiAnalysis([join(FIX, 'kpi-small.csv')], { rulesPath, asOf: Date.parse('2026-03-10T12:00:00Z') });
      const d = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC');
      const c = d.charts.find((x) => x.id === 'tags')!;
      return new Map(c.labels.map((l, i) => [l, c.colorSlots![i]]));
    };
    const one = await slots(join(FIX, 'tagging.json'));
    const two = await slots(morePath);
    assert.ok(one.has('SQLInjection'));
    for (const [tag, slot] of one) assert.equal(two.get(tag), slot, tag);
    assert.equal(one.get('SQLInjection'), tagColorSlot('SQLInjection'));
  });
});
