/**
 * Tag colours, stable and distinct. New-user trials: (1) add a tagging rule, re-run: SQLInjection went from teal to pink
 * (a tag's slot was its position in the sorted list of all tags); (2) then, with the slot a hash of the name alone,
 * three of the sample's nine tags (Logon, OpenSSL, SQLInjection) were the same orange in "Cases per week by tag". Now
 * the workspace remembers each tag's slot (a tag keeps the colour it was first shown with) and a new tag takes the first
 * slot from its name's hash on that no other tag of the dashboard holds; `Other` and `(not tagged)` stay grey.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NEUTRAL_SLOT,
  nearSlots,
  normalizeTagColorMemory,
  rememberTagColors,
  TAG_COLOR_MEMORY_LIMIT,
  TAG_COLOR_SLOTS,
  tagColorLight,
  tagColorSlot,
  tagColorSlots,
  type TagColorMemory,
} from '../../src/core/analyze/tag-colors';
import { TAG_NEUTRAL, TAG_PALETTE } from '../../src/shared/tag-palette';
import { runKpiAnalysis, kpiReportOf, type KpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { reportCharts } from '../../src/core/export/report';
import { TAG_COLORS_KEY, TagColorStore } from '../../src/core/tag-color-store';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const NEUTRAL = ['Other', '(not tagged)'];
const FIX = join(resolve(__dirname, '../../..'), 'test/fixtures/cases');
const TMP = mkdtempSync(join(tmpdir(), 'soc-tag-color-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** The nine tags of the trial's rules (test/fixtures/cases/tagging.json). */
const TRIAL_TAGS = ['Logon', 'AV', 'OpenSSL', 'SQLInjection', 'PortScan', 'WAF', 'MaliciousIP', 'UserEvents', 'Phishing'];

/** The not neutral slots of `slots` are pairwise different. */
function distinct(slots: Record<string, number>): boolean {
  const s = Object.values(slots).filter((x) => x !== NEUTRAL_SLOT);
  return new Set(s).size === s.length;
}

/** The pairs of tags whose colours look alike. */
function nearPairs(slots: Record<string, number>): string[] {
  const e = Object.entries(slots);
  return e.flatMap(([a, x], i) => e.slice(i + 1).filter(([, y]) => nearSlots(x, y)).map(([b]) => `${a}/${b}`));
}

/** A memory as the host keeps it: run after run, each run's slots remembered. */
function runs(...tagSets: string[][]): Record<string, number>[] {
  let mem: TagColorMemory = [];
  return tagSets.map((tags) => {
    const slots = tagColorSlots([...tags, 'Other'], NEUTRAL, mem);
    mem = rememberTagColors(mem, slots);
    return slots;
  });
}

function memento() {
  const data: Record<string, unknown> = {};
  return { data, get: <T>(k: string) => data[k] as T | undefined, update: async (k: string, v: unknown) => void (data[k] = JSON.parse(JSON.stringify(v))) };
}

describe('the preferred slot: a hash of the name', () => {
  test('tagColorSlot: a fixed slot per name, in range, letter case counted, spread over the palette', () => {
    // fixed numbers: a change of the hash would give new tags other colours than before
    assert.deepEqual(['SQLInjection', 'Logon', 'AV', 'WAF', 'Phishing'].map(tagColorSlot), [2, 2, 10, 5, 0]);
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
});

describe('distinct within a dashboard', () => {
  test('the trial sample: the nine tags get nine colours (the hash alone gave Logon, OpenSSL and SQLInjection one)', () => {
    assert.equal(new Set(['Logon', 'OpenSSL', 'SQLInjection'].map(tagColorSlot)).size, 1, 'the trial: the same hash slot');
    const slots = tagColorSlots([...TRIAL_TAGS, 'Other'], NEUTRAL);
    assert.equal(new Set(TRIAL_TAGS.map((t) => slots[t])).size, 9);
    assert.equal(slots.Other, NEUTRAL_SLOT);
    assert.equal(slots['(not tagged)'], NEUTRAL_SLOT);
    // nine of eleven colours: one pair that looks alike at most (the palette's four such pairs leave no better choice)
    assert.ok(nearPairs(slots).length <= 1, JSON.stringify(nearPairs(slots)));
  });

  test('colours that look alike: purple/violet, orange/yellow, green/lime, yellow/brown; a new tag avoids them while it can', () => {
    const near: string[] = [];
    for (let a = 0; a < TAG_COLOR_SLOTS; a++) for (let b = a + 1; b < TAG_COLOR_SLOTS; b++) if (nearSlots(a, b)) near.push(`${a}-${b}`);
    assert.deepEqual(near, ['1-9', '2-3', '3-10', '4-8']);
    assert.ok(!nearSlots(2, 2) && !nearSlots(NEUTRAL_SLOT, 3));
    // Logon is orange (2); OpenSSL's hash is 2 too: not yellow (3, next to it), the next unlike orange
    const s = tagColorSlots(['Logon', 'OpenSSL'], NEUTRAL);
    assert.equal(s.Logon, 2);
    assert.equal(s.OpenSSL, 4);
    // up to seven tags (the palette has seven colours pairwise unlike) none look alike, whatever their hashes
    for (let k = 0; k < 200; k++) {
      const tags = Array.from({ length: 7 }, (_, i) => `k${k}-${i}`);
      assert.deepEqual(nearPairs(tagColorSlots(tags, NEUTRAL)), [], tags.join(','));
    }
  });

  test('up to the palette size every tag has its own colour; beyond it the rest fall back to the hash', () => {
    for (let n = 1; n <= TAG_COLOR_SLOTS; n++) {
      const tags = Array.from({ length: n }, (_, i) => `T${i * 7}`);
      const slots = tagColorSlots(tags, NEUTRAL);
      assert.ok(distinct(slots), `${n} tags`);
      assert.equal(Object.keys(slots).length, n + 2);
    }
    // all same-hash names: distinct all the same
    const same = Array.from({ length: 400 }, (_, i) => `x${i}`).filter((t) => tagColorSlot(t) === 3).slice(0, TAG_COLOR_SLOTS);
    assert.equal(same.length, TAG_COLOR_SLOTS);
    assert.ok(distinct(tagColorSlots(same, NEUTRAL)));
    const many = Array.from({ length: 15 }, (_, i) => `tag-${i}`);
    const slots = tagColorSlots(many, NEUTRAL);
    assert.equal(new Set(many.map((t) => slots[t])).size, TAG_COLOR_SLOTS, 'every colour used');
    const sorted = [...many].sort();
    for (const t of sorted.slice(TAG_COLOR_SLOTS)) assert.equal(slots[t], tagColorSlot(t), `${t}: the hash's slot`);
  });

  test('independent of the order and repetition of the input; the tags the charts show first when slots are short', () => {
    const a = tagColorSlots(['PortScan', 'Logon', 'AV', 'Other', 'Logon', 'SQLInjection'], NEUTRAL);
    const b = tagColorSlots(['SQLInjection', 'AV', 'Other', 'Logon', 'PortScan'], NEUTRAL);
    assert.deepEqual({ ...a }, { ...b });
    // 11 rule-only tags and one shown tag: the shown one gets its hash slot, not a leftover
    const rulesOnly = Array.from({ length: 11 }, (_, i) => `A${i}`);
    const s = tagColorSlots([...rulesOnly, 'SQLInjection'], NEUTRAL, [], ['SQLInjection']);
    assert.equal(s.SQLInjection, tagColorSlot('SQLInjection'));
  });
});

describe('stable across runs: the remembered slots', () => {
  test('a tag added or removed changes no other tag’s colour; the new one takes a free colour', () => {
    const base = ['Logon', 'AV', 'OpenSSL', 'SQLInjection', 'PortScan'];
    for (const added of [['Aaa'], ['AAA', 'Brute', 'CloudTrail', 'DLP'], ['Zzz'], ['0-first']]) {
      const [one, two, three] = runs(base, [...base, ...added], base.slice(1));
      for (const t of base) assert.equal(two[t], one[t], `${t} with ${added.join(',')} added`);
      for (const t of base.slice(1)) assert.equal(three[t], one[t], `${t} with Logon removed`);
      assert.ok(distinct(two), `${added.join(',')}: distinct`);
    }
  });

  test('a tag keeps the colour it was first shown with, also after dashboards without it', () => {
    const [first, , , back] = runs(['SQLInjection', 'AV'], ['Logon', 'OpenSSL'], ['WAF', 'Phishing', 'PortScan'], ['SQLInjection', 'Logon', 'OpenSSL', 'AV']);
    assert.equal(back.SQLInjection, first.SQLInjection);
    assert.equal(back.AV, first.AV);
    assert.ok(distinct(back));
    // tags of different dashboards differ too while the palette allows: Logon (hash 2, as SQLInjection) took another
    assert.notEqual(back.Logon, back.SQLInjection);
  });

  test('a colour map from an older run is honoured, also as a { tag: slot } object (an older report’s tagColors)', () => {
    const old = { SQLInjection: 7, Logon: 0, Other: NEUTRAL_SLOT, '(not tagged)': NEUTRAL_SLOT, '2024': 4 };
    const slots = tagColorSlots([...TRIAL_TAGS, 'Other', '2024'], NEUTRAL, old);
    assert.equal(slots.SQLInjection, 7);
    assert.equal(slots.Logon, 0);
    assert.equal(slots['2024'], 4);
    assert.ok(distinct(slots));
    // stored pairs: the same; bad entries are skipped
    const pairs = normalizeTagColorMemory([['SQLInjection', 7], ['Logon', 0], ['x', 99], ['y', -1], ['z', 1.5], 'junk', [3, 3], ['SQLInjection', 1]]);
    assert.deepEqual(pairs, [['SQLInjection', 7], ['Logon', 0]]);
    assert.deepEqual(normalizeTagColorMemory('junk'), []);
    assert.deepEqual(normalizeTagColorMemory(undefined), []);
  });

  test('two remembered tags shown together for the first time with one slot: the more recent keeps it, the other moves', () => {
    // [most recent first]: B was shown last
    const mem: TagColorMemory = [['B', 5], ['A', 5]];
    const slots = tagColorSlots(['A', 'B'], NEUTRAL, mem);
    assert.equal(slots.B, 5);
    assert.notEqual(slots.A, 5);
    // from then on A keeps its new slot
    const next = rememberTagColors(mem, slots);
    const later = tagColorSlots(['A', 'B', 'C'], NEUTRAL, next);
    assert.equal(later.A, slots.A);
    assert.equal(later.B, 5);
    assert.ok(distinct(later));
  });

  test('the memory: most recently shown first, neutral tags not kept, bounded', () => {
    let mem: TagColorMemory = [];
    for (let i = 0; i < TAG_COLOR_MEMORY_LIMIT + 50; i++) mem = rememberTagColors(mem, tagColorSlots([`t${i}`, 'Other'], NEUTRAL, mem));
    assert.equal(mem.length, TAG_COLOR_MEMORY_LIMIT);
    assert.equal(mem[0][0], `t${TAG_COLOR_MEMORY_LIMIT + 49}`);
    assert.ok(!mem.some(([t]) => t === 'Other' || t === 't0'));
    assert.equal(rememberTagColors([['a', 1]], { b: 2, Other: NEUTRAL_SLOT }).length, 2);
  });

  test('TagColorStore: remembers in the Memento under one key, writes only a change', async () => {
    const m = memento();
    let writes = 0;
    const counted = { get: m.get, update: async (k: string, v: unknown) => (writes++, m.update(k, v)) };
    const store = new TagColorStore(counted);
    assert.deepEqual(store.memory(), []);
    const slots = tagColorSlots([...TRIAL_TAGS, 'Other'], NEUTRAL, store.memory());
    await store.remember(slots);
    await store.remember(slots);
    assert.equal(writes, 1);
    assert.equal((m.data[TAG_COLORS_KEY] as unknown[]).length, 9);
    assert.deepEqual({ ...tagColorSlots([...TRIAL_TAGS, 'Other'], NEUTRAL, store.memory()) }, { ...slots });
  });
});

describe('the trial: kpi-small.csv with the trial’s rules, as the host runs it', () => {
  const analyze = (rulesPath: string) => runKpiAnalysis([join(FIX, 'kpi-small.csv')], { rulesPath, asOf: Date.parse('2026-03-10T12:00:00Z') });
  /** The slot of each tag of the dashboard's "Cases per week by tag" chart and "Cases per tag" chart. */
  const shown = (a: KpiAnalysis, mem: TagColorMemory) => {
    const r = kpiReportOf(a, 'UTC', a.asOf, undefined, mem);
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    const tags = d.charts.find((x) => x.id === 'tags')!;
    const vol = d.charts.find((x) => x.id === 'volume')!;
    return { r, tags: new Map(tags.labels.map((l, i) => [l, tags.colorSlots![i]])), volume: new Map(vol.datasets!.map((x) => [x.label, x.colorSlot!])) };
  };

  test('nine distinct colours on the dashboard and in the report; a rule added, re-run: every tag keeps its colour', async () => {
    const rules = JSON.parse(readFileSync(join(FIX, 'tagging.json'), 'utf8'));
    const more = { ...rules, rules: [{ tag: 'AAA-Brute', match: 'brute' }, ...rules.rules] };
    const morePath = join(TMP, 'tagging-more.json');
    writeFileSync(morePath, JSON.stringify(more));
    const store = new TagColorStore(memento());
    const one = shown(await analyze(join(FIX, 'tagging.json')), store.memory());
    await store.remember(one.r.tagColors);
    // the report's nine rule tags: nine colours
    assert.equal(new Set(TRIAL_TAGS.map((t) => one.r.tagColors[t])).size, 9);
    assert.ok(TRIAL_TAGS.every((t) => one.r.tagColors[t] >= 0));
    const volumeSlots = [...one.volume].filter(([t]) => t !== 'Other' && t !== '(not tagged)').map(([, s]) => s);
    assert.ok(volumeSlots.length >= 5 && new Set(volumeSlots).size === volumeSlots.length, JSON.stringify([...one.volume]));
    for (const t of ['Logon', 'OpenSSL', 'SQLInjection']) assert.ok(one.volume.has(t), t);
    assert.equal(new Set(['Logon', 'OpenSSL', 'SQLInjection'].map((t) => one.volume.get(t))).size, 3, 'the trial’s three orange tags');
    assert.deepEqual(nearPairs(Object.fromEntries(one.volume)), [], 'no two tags of the chart look alike');
    for (const [t, s] of one.tags) assert.equal(one.volume.get(t) ?? s, s, `${t}: the same slot in both charts`);
    assert.equal(one.tags.get('Other'), NEUTRAL_SLOT);
    // the report draws the same colours
    const svg = reportCharts(one.r).find((c) => c.title === 'Volume per tag per week')!.svg;
    for (const t of ['Logon', 'OpenSSL', 'SQLInjection']) assert.ok(svg.includes(tagColorLight(one.r.tagColors[t])), t);
    assert.ok(svg.includes(TAG_NEUTRAL));

    const two = shown(await analyze(morePath), store.memory());
    await store.remember(two.r.tagColors);
    for (const [t, s] of one.tags) assert.equal(two.tags.get(t), s, t);
    for (const t of TRIAL_TAGS) assert.equal(two.r.tagColors[t], one.r.tagColors[t], t);
    assert.ok(distinct(two.r.tagColors), 'ten tags, ten colours');
    // and back without the rule: the same again
    const three = shown(await analyze(join(FIX, 'tagging.json')), store.memory());
    assert.deepEqual({ ...three.r.tagColors }, { ...one.r.tagColors });
  });
});
