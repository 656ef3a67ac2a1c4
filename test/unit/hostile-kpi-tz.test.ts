/**
 * Hostile-input review of the SOC KPI / case tagging, time-zone normalisation and QRadar case
 * inputs: each test is a defect found by the review (input that crashed, lost records silently or
 * gave wrong numbers), kept as a regression test.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeKpis, type KpiSet } from '../../src/core/analyze/kpi';
import type { CaseRecord } from '../../src/core/parse/cases';

type Avail<K extends keyof KpiSet> = Extract<KpiSet[K], { available: true }>['value'];
function val<K extends keyof KpiSet>(k: KpiSet, key: K): Avail<K> {
  const x = k[key];
  assert.ok(x.available, `${key} unavailable: ${(x as { reason?: string }).reason}`);
  return (x as { value: Avail<K> }).value;
}

const kase = (line: number, created: string | undefined, extra: Partial<CaseRecord> = {}): CaseRecord => ({
  title: `case ${line}`,
  rules: [],
  file: 'cases.csv',
  line,
  raw: {},
  ...(created ? { created: Date.parse(created) } : {}),
  ...extra,
});

describe('KPI volume per week', () => {
  test('a stray 1970 created time does not push the real weeks out of the volume table', () => {
    // An export with one epoch-0 date: the 1,000 listed weeks ran from 1970 to 1989, so every 2026 case was lost without a word.
    const cases = [kase(2, '1970-01-01T00:00:00Z'), kase(3, '2026-03-02T08:00:00Z'), kase(4, '2026-03-03T08:00:00Z'), kase(5, '2026-03-10T08:00:00Z')];
    const k = computeKpis(cases, ['A', 'A', 'B', 'B'], { zone: 'UTC', asOf: Date.parse('2026-03-12T00:00:00Z') });
    const v = val(k, 'volume');
    assert.deepEqual(v.weeks, ['1970-W01', '2026-W10', '2026-W11']);
    assert.deepEqual(v.totalPerWeek, [1, 2, 1]);
    assert.deepEqual(v.counts, [
      [1, 1, 0],
      [0, 1, 1],
    ]);
    assert.equal(v.outsideWeeks, 0);
    assert.match(k.volume.available ? (k.volume.notes ?? []).join(' ') : '', /more than 1000 weeks/);
  });

  test('more than 1000 distinct weeks: the latest 1000 are listed, the others counted, none lost silently', () => {
    const cases = Array.from({ length: 1200 }, (_, i) => kase(i + 2, new Date(Date.parse('2000-01-03T12:00:00Z') + i * 14 * 86_400_000).toISOString()));
    const k = computeKpis(cases, cases.map(() => 'A'), { zone: 'UTC', asOf: Date.parse('2050-01-01T00:00:00Z') });
    const v = val(k, 'volume');
    assert.equal(v.weeks.length, 1000);
    assert.equal(v.totalPerWeek.reduce((a, b) => a + b, 0), 1000);
    assert.equal(v.outsideWeeks, 200);
    assert.equal(v.weeks[v.weeks.length - 1], '2045-W51'); // 2000-01-03 + 1199 × 14 days = 2045-12-18
  });
});
