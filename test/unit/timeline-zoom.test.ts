/**
 * Zooming the merged timeline to a time span (new user: "click a bar to see only the events of that time in the
 * table"): the events-over-time chart gives each bar its span (`timeSpans`, gap bars none), the table store keeps the
 * rows of a query's `range` ([from, to), epoch ms UTC, on a time column) with the other filters, sort and windows, the
 * host checks the range a webview sends, and the webview's chip writes the span in the display zone as core/time does.
 * Real values: the trial's four sample analyses (shared/data and the cases fixture), as ui-trial.test.ts reads them.
 */
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { TableStore, type StoreColumn } from '../../src/core/table/store';
import { buildTimelineDashboard, timelineBars, timelineColumns, timelineEvents, timelineSpans, type TimelineEvent } from '../../src/core/tz-timeline';
import { checkTableQuery, checkWebviewMessage, MAX_RANGE_MS } from '../../src/core/webview-messages';
import { formatTime } from '../../src/core/time';
import { zoneTimeText } from '../../src/shared/zone-time';
import type { ChartSeries } from '../../src/shared/protocol';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');
const ZONE = 'UTC+05:30';

async function trialEvents(): Promise<TimelineEvent[]> {
  const loki = await runLokiAnalysis([path.join(DATA, 'loki/real-2021-2022')]);
  const qradar = await runQRadarRead([path.join(DATA, 'qradar/samples/offenses.json')], { consoleTimeZone: 'UTC' });
  const beacons = await runBeaconAnalysis([path.join(DATA, 'zeek/day-2024-04-19')], { internalSubnets: ['64.225.56.201/32'] });
  const kpi = await runKpiAnalysis([path.join(FIX, 'cases/kpi-small.csv')], { sourceZone: 'UTC', rulesPath: path.join(FIX, 'cases/tagging.json') });
  return [
    ...timelineEvents('loki', 'loki-results', loki),
    ...timelineEvents('qradar', 'qradar', qradar),
    ...timelineEvents('beacons', 'zeek', beacons),
    ...timelineEvents('kpi', 'kpi-small.csv', kpi),
  ].sort((a, b) => a.time - b.time);
}

describe('merged timeline zoom: the bars spans and the store range (trial data, UTC+05:30)', () => {
  let events: TimelineEvent[] = [];
  let chart: ChartSeries;
  let store: TableStore<TimelineEvent>;
  before(async () => {
    events = await trialEvents();
    chart = buildTimelineDashboard(events, 4, ZONE).charts.find((c) => c.id === 'per-day')!;
    store = new TableStore(events, timelineColumns(ZONE));
  });

  it('every bar has its day as span on the time column, a gap bar none; a click zooms and sets no source facet', () => {
    assert.equal(events.length, 57);
    const spans = chart.timeSpans!;
    assert.equal(spans.column, 'time');
    assert.equal(spans.spans.length, chart.labels.length);
    chart.labels.forEach((l, i) => assert.equal(spans.spans[i] === null, l.startsWith('… '), l));
    assert.equal(chart.datasetFacetColumn, undefined);
    // the Zeek day as the display zone has it: 2024-04-19 00:00 to 2024-04-20 00:00 at +05:30
    const i = chart.labels.indexOf('2024-04-19');
    assert.deepEqual(spans.spans[i], [Date.parse('2024-04-18T18:30:00Z'), Date.parse('2024-04-19T18:30:00Z')]);
  });

  it('the rows of a bar span are exactly the bar count, for every bar (57 events in all)', () => {
    let sum = 0;
    chart.timeSpans!.spans.forEach((span, i) => {
      if (!span) return;
      const n = store.count({ range: { column: 'time', from: span[0], to: span[1] } });
      assert.equal(n, chart.values[i], `${chart.labels[i]}: ${n} rows for a bar of ${chart.values[i]}`);
      sum += n;
    });
    assert.equal(sum, 57);
    const zeek = chart.timeSpans!.spans[chart.labels.indexOf('2024-04-19')]!;
    assert.equal(store.count({ range: { column: 'time', from: zeek[0], to: zeek[1] } }), 22);
  });

  it('with the other filters, the sort and windows: the day of the 22 connection pairs, searched and sorted', () => {
    const [from, to] = chart.timeSpans!.spans[chart.labels.indexOf('2024-04-19')]!;
    const range = { column: 'time', from, to };
    assert.equal(store.count({ range, facets: { source: 'Connection pairs' } }), 22);
    assert.equal(store.count({ range, facets: { source: 'Findings' } }), 0);
    const w = store.window({ range, sort: { column: 'time', dir: 'desc' } }, 0, 5);
    assert.equal(w.total, 22);
    assert.equal(w.rows.length, 5);
    const times = w.ids.map((id) => events[id].time);
    assert.deepEqual([...times].sort((a, b) => b - a), times);
    assert.ok(times.every((t) => t >= from && t < to));
    // a window past the first rows, and the row texts in the display zone
    const rest = store.window({ range, sort: { column: 'time', dir: 'desc' } }, 20, 10);
    assert.equal(rest.total, 22);
    assert.equal(rest.ids.length, 2);
    assert.ok(rest.rows.every((r) => r[0].startsWith('2024-04-19 ')), JSON.stringify(rest.rows.map((r) => r[0])));
    // the search narrows within the zoom; the export (matching) follows the zoom too
    const searched = store.count({ range, search: '64.225.56.201' });
    assert.ok(searched > 0 && searched <= 22, String(searched));
    assert.equal(store.matching({ range }).length, 22);
  });

  it('[from, to): an event at `from` is in, one at `to` is out', () => {
    const t = events[0].time;
    const at = events.filter((e) => e.time === t).length;
    assert.equal(store.count({ range: { column: 'time', from: t, to: t + 1 } }), at);
    assert.equal(store.count({ range: { column: 'time', from: t - 60_000, to: t } }), 0);
    assert.equal(store.count({ range: { column: 'time', from: t, to: t } }), 0);
    // a new range is a new query (the cached result of another range is not reused)
    assert.equal(store.count({ range: { column: 'time', from: t, to: events[events.length - 1].time + 1 } }), 57);
  });

  it('a range the store cannot apply is ignored as a filter on an unknown column is: other column, not a time column, reversed, not numbers', () => {
    for (const range of [
      { column: 'nope', from: 0, to: 1 },
      { column: 'source', from: 0, to: 1 },
      { column: 'time', from: 2, to: 1 },
      { column: 'time', from: NaN, to: 1 },
      { column: 'time', from: '0', to: '1' },
    ])
      assert.equal(store.count({ range: range as never }), 57, JSON.stringify(range));
  });

  it('a row without a time is out of any range', () => {
    type Row = { t?: number };
    const cols: StoreColumn<Row>[] = [{ id: 't', title: 'T', type: 'time', get: (r) => r.t }];
    const s = new TableStore<Row>([{ t: 5 }, {}, { t: NaN }, { t: 10 }], cols);
    assert.deepEqual(s.matching({ range: { column: 't', from: 0, to: 100 } }), [0, 3]);
    assert.deepEqual(s.matching({}), [0, 1, 2, 3]);
  });
});

describe('merged timeline zoom: bar spans around clock changes', () => {
  const ev = (iso: string): TimelineEvent => ({ time: Date.parse(iso), source: 'Findings', analysis: 'a', event: 'e' });
  it('the two 02:00 hours of a fall-back day are one hour each; a day bar of a fall-back day is 25 hours', () => {
    const hours = [ev('2026-10-25T00:10:00Z'), ev('2026-10-25T01:50:00Z')];
    const b = timelineBars(hours.map((e) => e.time), 'Europe/Berlin');
    assert.deepEqual(timelineSpans(b, 'Europe/Berlin'), [
      [Date.parse('2026-10-25T00:00:00Z'), Date.parse('2026-10-25T01:00:00Z')],
      [Date.parse('2026-10-25T01:00:00Z'), Date.parse('2026-10-25T02:00:00Z')],
    ]);
    const days = timelineBars(Array.from({ length: 10 }, (_, d) => Date.parse(`2026-10-${20 + d}T12:00:00Z`)), 'Europe/Berlin');
    assert.equal(days.bucket, 'day');
    const spans = timelineSpans(days, 'Europe/Berlin');
    const i = days.labels.indexOf('2026-10-25');
    assert.deepEqual(spans[i], [Date.parse('2026-10-24T22:00:00Z'), Date.parse('2026-10-25T23:00:00Z')]);
    assert.equal(spans[i]![1] - spans[i]![0], 25 * 3600_000);
    assert.equal(spans[i - 1]![1], spans[i]![0]);
  });
});

describe('webview messages: a query range', () => {
  it('is kept as a fresh copy of column, from and to', () => {
    const q = checkTableQuery({ range: { column: 'time', from: 1713465000000, to: 1713551400000, extra: 1 }, search: 'x' });
    assert.deepEqual(q, { search: 'x', range: { column: 'time', from: 1713465000000, to: 1713551400000 } });
    const m = checkWebviewMessage({ id: 3, body: { type: 'exportCsv', query: { range: { column: 'time', from: 0, to: 0 } }, columns: [] } });
    assert.ok(m.ok);
    assert.deepEqual((m.body as { query: unknown }).query, { range: { column: 'time', from: 0, to: 0 } });
    assert.deepEqual(checkTableQuery({ range: null }), {});
  });

  it('refuses what is no range: not an object, a column that is no text, bounds that are no finite times, a reversed range', () => {
    const bad: [unknown, RegExp][] = [
      ['time', /range must be an object/],
      [[1, 2], /range must be an object/],
      [{ column: 5, from: 0, to: 1 }, /range column must be text/],
      [{ column: 'x'.repeat(300), from: 0, to: 1 }, /range column is too long/],
      [{ column: 'time', from: '0', to: 1 }, /range start must be a time/],
      [{ column: 'time', from: 0, to: null }, /range end must be a time/],
      [{ column: 'time', from: 0 }, /range end must be a time/],
      [{ column: 'time', from: -Infinity, to: 1 }, /range start must be a time/],
      [{ column: 'time', from: 0, to: MAX_RANGE_MS * 2 }, /range end must be a time/],
      [{ column: 'time', from: 2, to: 1 }, /range start is after its end/],
    ];
    for (const [range, why] of bad) {
      const m = checkWebviewMessage({ id: 1, body: { type: 'query', query: { range }, offset: 0, limit: 10 } });
      assert.equal(m.ok, false, JSON.stringify(range));
      assert.match((m as { error: string }).error, why, JSON.stringify(range));
    }
  });
});

describe('zoom chip times: zoneTimeText writes the wall time core/time formatTime writes', () => {
  it('UTC, fixed offsets and IANA zones, around clock changes, with seconds only when not zero', () => {
    const instants = ['2024-04-18T18:30:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-03-29T01:00:00Z', '2021-10-13T21:59:33Z', '1970-01-01T00:00:00Z'].map(Date.parse);
    for (const zone of ['UTC', 'UTC+05:30', 'UTC-3', 'UTC+14', 'Europe/Berlin', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const ms of instants) {
        const { text, zone: used } = zoneTimeText(ms, zone);
        const full = formatTime(ms, zone);
        assert.equal(used, zone);
        assert.equal(text, full.endsWith(':00') ? full.slice(0, -3) : full, `${zone} ${new Date(ms).toISOString()}`);
      }
    }
    assert.deepEqual(zoneTimeText(Date.parse('2024-04-18T18:30:00Z'), 'UTC+05:30'), { text: '2024-04-19 00:00', zone: 'UTC+05:30' });
  });

  it('a zone the platform does not know: UTC, said so; no time: empty', () => {
    assert.deepEqual(zoneTimeText(0, 'Mars/Olympus'), { text: '1970-01-01 00:00', zone: 'UTC' });
    assert.equal(zoneTimeText(NaN, 'UTC').text, '');
    assert.equal(zoneTimeText(8.64e15, 'UTC').text, '');
  });
});
