/**
 * The merged timeline's bars count each event in the bar of its bucket in the display zone. New-user trial: with a
 * 1.6 M-finding Loki analysis in the Results view the timeline showed "Building the dashboard…" for over a minute —
 * buildTimelineDashboard made a luxon DateTime per event (12.4 s of the host's main thread for 597,205 findings). It
 * now finds an event's bar by a binary search over the bars' spans; these tests hold it to the per-event definition
 * (DateTime.fromMillis(t, { zone }).startOf(bucket) is the bar's start) on random events across clock changes, long
 * empty stretches (gap bars) and stray far years (events not drawn).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { buildTimelineDashboard, timelineBars, type TimelineEvent, type TimelineSource } from '../../src/core/tz-timeline';

const SOURCES: TimelineSource[] = ['Findings', 'Offenses', 'Connection pairs', 'Cases'];

/** Per source, the count of each bar by the per-event definition, and the events with no bar. */
function reference(events: TimelineEvent[], zone: string): { per: Map<string, number[]>; outside: number } {
  const { bucket, starts } = timelineBars(events.map((e) => e.time), zone);
  const idx = new Map(starts.map((t, i) => [t, i]));
  const per = new Map<string, number[]>();
  let outside = 0;
  for (const e of events) {
    const j = idx.get(DateTime.fromMillis(e.time, { zone }).startOf(bucket).toMillis());
    if (j === undefined) {
      outside++;
      continue;
    }
    if (!per.has(e.source)) per.set(e.source, starts.map(() => 0));
    per.get(e.source)![j]++;
  }
  return { per, outside };
}

const ev = (time: number, source: TimelineSource): TimelineEvent => ({ time, source, analysis: 'a', event: 'e' });

// around the 2024 clock changes of New York and Berlin, a fall-back night, a month, years apart, and year 1 / 9999
const anchors = [Date.UTC(2024, 2, 10, 6), Date.UTC(2024, 10, 3, 5, 30), Date.UTC(2024, 9, 27, 0, 30), Date.UTC(2024, 0, 1), Date.UTC(2026, 5, 1), Date.UTC(1, 0, 1), Date.UTC(9999, 0, 1)];
const eventArb = fc.record({
  anchor: fc.constantFrom(...anchors),
  offset: fc.oneof(fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), fc.integer({ min: -40 * 86_400_000, max: 40 * 86_400_000 })),
  source: fc.constantFrom(...SOURCES),
});

test('timeline bars: every event counted in the bar of its bucket in the zone, or as not drawn (random events)', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { minLength: 1, maxLength: 300 }), fc.constantFrom('America/New_York', 'Europe/Berlin', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe'), (raw, zone) => {
      const events = raw.map((r) => ev(r.anchor + r.offset, r.source));
      const model = buildTimelineDashboard(events, 1, zone);
      const chart = model.charts.find((c) => c.id === 'per-day')!;
      const ref = reference(events, zone);
      for (const ds of chart.datasets ?? []) assert.deepEqual(ds.values, ref.per.get(ds.label) ?? chart.labels.map(() => 0), `${zone} ${ds.label}`);
      const notDrawn = /(\d[\d,]*) events? not drawn/.exec(chart.note ?? '');
      assert.equal(notDrawn ? Number(notDrawn[1].replace(/,/g, '')) : 0, ref.outside, zone);
    }),
    { numRuns: 150, seed: 20261207 },
  );
});

test('timeline bars: the fall-back night of New York in hours — 01:00 EDT and 01:00 EST are two bars, each with its events', () => {
  // 2024-11-03 05:00Z = 01:00 EDT, 06:00Z = 01:00 EST (again); 04:59Z = 00:59 EDT
  const events = [ev(Date.UTC(2024, 10, 3, 4, 59), 'Findings'), ev(Date.UTC(2024, 10, 3, 5, 10), 'Findings'), ev(Date.UTC(2024, 10, 3, 5, 20), 'Cases'), ev(Date.UTC(2024, 10, 3, 6, 10), 'Findings')];
  const chart = buildTimelineDashboard(events, 1, 'America/New_York').charts.find((c) => c.id === 'per-day')!;
  assert.deepEqual(chart.labels, ['2024-11-03 00:00', '2024-11-03 01:00 -04:00', '2024-11-03 01:00 -05:00']);
  assert.deepEqual(chart.values, [1, 2, 1]);
  assert.deepEqual(chart.datasets?.map((d) => [d.label, d.values]), [['Findings', [1, 1, 1]], ['Cases', [0, 1, 0]]]);
});
