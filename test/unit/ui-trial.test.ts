/**
 * Findings of a new-user trial of the dashboards (ui-fixes): the merged timeline's bucket and
 * cards, the beacon dashboard after "Safelist this pair", …, each on the real sample data
 * (shared/data) and the test fixtures.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { describeSkipped, planInputs, runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { discoverInputs } from '../../src/core/parse/zeek';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, qradarDescriptionTreeText, qradarTreeText, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { buildKpiDashboard, caseColumns, caseRows, hasAcknowledgedTimes, kpiTagTreeText } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf } from '../../src/core/analyze/kpi-run';
import { TableStore } from '../../src/core/table/store';
import { lokiTreeText } from '../../src/core/analyze/loki-dashboard';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildBeaconDashboard, safelistDone, safelistEntryForAction, withSafelist } from '../../src/core/analyze/beacons/dashboard';
import { buildTimelineDashboard, MAX_TIMELINE_BARS, timelineBars, timelineBuckets, timelineEvents, TIMELINE_GAP_MIN, type TimelineEvent } from '../../src/core/tz-timeline';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');
const LOKI = path.join(DATA, 'loki/real-2021-2022');
const QRADAR = path.join(DATA, 'qradar/samples/offenses.json');
const ZEEK_DAY = path.join(DATA, 'zeek/day-2024-04-19');
const CASES = path.join(FIX, 'cases/kpi-small.csv');
const SENSOR = ['64.225.56.201/32'];

/** The four sample analyses of the trial's workspace, as the timeline reads them. */
async function trialEvents(): Promise<TimelineEvent[]> {
  const loki = await runLokiAnalysis([LOKI]);
  const qradar = await runQRadarRead([QRADAR], { consoleTimeZone: 'UTC' });
  const beacons = await runBeaconAnalysis([ZEEK_DAY], { internalSubnets: SENSOR });
  const kpi = await runKpiAnalysis([CASES], { sourceZone: 'UTC', rulesPath: path.join(FIX, 'cases/tagging.json') });
  return [
    ...timelineEvents('loki', 'loki-results', loki),
    ...timelineEvents('qradar', 'qradar', qradar),
    ...timelineEvents('beacons', 'zeek', beacons),
    ...timelineEvents('kpi', 'kpi-small.csv', kpi),
  ].sort((a, b) => a.time - b.time);
}

describe('merged timeline: a readable number of bars, the bucket named, connection pairs called so', () => {
  it('the trial data (2021-10 … 2026-03) is drawn per day with the long empty stretches one bar each (was 54 months of hairlines)', async () => {
    const events = await trialEvents();
    const m = buildTimelineDashboard(events, 4, 'UTC+05:30');
    const chart = m.charts.find((c) => c.id === 'per-day')!;
    assert.equal(chart.title, 'Events per day by source (UTC+05:30), long empty stretches skipped');
    assert.equal(chart.labels[0], '2021-10-14');
    assert.equal(chart.labels.at(-1), '2026-03-10');
    assert.ok(chart.labels.length <= MAX_TIMELINE_BARS, `${chart.labels.length} bars`);
    // the three stretches of months and years between the analyses are one bar each, empty, named by their length
    const gaps = chart.labels.filter((l) => l.startsWith('… '));
    assert.deepEqual(gaps.slice(0, 3), ['… 3 months …', '… 2 years …', '… 22 months …']);
    for (const g of gaps) assert.equal(chart.values[chart.labels.indexOf(g)], 0);
    assert.equal(chart.tooltips![chart.labels.indexOf('… 2 years …')], '2022-01-21 – 2024-04-18: no events (2 years)');
    // every event is in a bar: the stacked totals add up to the events
    assert.equal(chart.values.reduce((a, b) => a + b, 0), events.length);
    // the Loki findings of 2021-10-14 and 2022-01-20 (UTC+05:30) and the 22 beacon pairs of 2024-04-19
    const at = (label: string, source: string) => chart.datasets!.find((d) => d.label === source)!.values[chart.labels.indexOf(label)];
    assert.equal(at('2021-10-14', 'Findings'), 8);
    assert.equal(at('2022-01-20', 'Findings'), 11);
    assert.equal(at('2024-04-19', 'Connection pairs') + (at('2024-04-20', 'Connection pairs') ?? 0), 22);
    assert.equal(chart.datasets!.find((d) => d.label === 'Cases')!.values.reduce((a, b) => a + b, 0), 10);
    // the card counts scored connection pairs, and says so
    const card = m.cards.find((c) => c.id === 'pairs')!;
    assert.deepEqual([card.label, card.value, card.facet], ['Connection pairs', 22, { source: 'Connection pairs' }]);
    assert.ok(!m.cards.some((c) => c.label === 'Connections'));
    assert.match(m.subtitle, /^\d+ events from 4 analyses of the Results view — times in UTC\+05:30$/);
    assert.equal(m.notices, undefined);
    // none yet: a notice says where the events come from ("0 events from 0 open analyses" read as a fault)
    const empty = buildTimelineDashboard([], 0, 'UTC');
    assert.equal(empty.subtitle, '0 events from 0 analyses of the Results view — times in UTC');
    assert.deepEqual(empty.notices?.map((n) => [n.id, n.severity, n.title]), [['no-analyses', 'info', 'No analysis yet']]);
  });

  it('the finest bucket with at most 60 bars: hours for a day, days for weeks, quarters and years for long spans', () => {
    const t = (iso: string) => Date.parse(iso);
    const { bucket, labels } = timelineBuckets(t('2024-04-19T00:00:00Z'), t('2024-04-19T23:51:36Z'), 'UTC');
    assert.deepEqual({ bucket, labels }, {
      bucket: 'hour',
      labels: Array.from({ length: 24 }, (_, h) => `2024-04-19 ${String(h).padStart(2, '0')}:00`),
    });
    const days = timelineBuckets(t('2026-03-02T08:00:00Z'), t('2026-03-10T10:00:00Z'), 'UTC');
    assert.deepEqual([days.bucket, days.labels.length, days.labels[0], days.labels.at(-1)], ['day', 9, '2026-03-02', '2026-03-10']);
    const weeks = timelineBuckets(t('2024-01-01T00:00:00Z'), t('2024-06-30T00:00:00Z'), 'UTC');
    assert.deepEqual([weeks.bucket, weeks.labels[0], weeks.labels.length], ['week', '2024-W01', 26]);
    const quarters = timelineBuckets(t('2010-02-01T00:00:00Z'), t('2024-11-30T00:00:00Z'), 'UTC');
    assert.deepEqual([quarters.bucket, quarters.labels[0], quarters.labels.at(-1), quarters.labels.length], ['quarter', '2010-Q1', '2024-Q4', 60]);
    const years = timelineBuckets(t('1990-01-01T00:00:00Z'), t('2024-01-01T00:00:00Z'), 'UTC');
    assert.deepEqual([years.bucket, years.labels.length], ['year', 35]);
    // the display zone decides the bucket edges: 23:30 UTC is the next day in UTC+05:30
    assert.deepEqual(timelineBuckets(t('2024-04-19T23:30:00Z'), t('2024-04-25T00:00:00Z'), 'UTC+05:30').labels[0], '2024-04-20');
  });
});

describe('merged timeline: long empty stretches skipped', () => {
  const t = (iso: string) => Date.parse(iso);
  it('a span whose buckets are mostly filled is drawn as before (every bucket, no gap bar)', () => {
    const b = timelineBars([t('2026-03-02T08:00:00Z'), t('2026-03-06T08:00:00Z'), t('2026-03-07T08:00:00Z'), t('2026-03-08T08:00:00Z'), t('2026-03-10T10:00:00Z')], 'UTC');
    assert.deepEqual([b.bucket, b.labels.length, b.gaps.every((g) => g === undefined)], ['day', 9, true]);
    // two events 8 days apart: hours would be two bars and a gap (a third of the bars) — days, as before
    const two = timelineBars([t('2026-03-02T08:00:00Z'), t('2026-03-10T10:00:00Z')], 'UTC');
    assert.deepEqual([two.bucket, two.labels.length, two.gaps.every((g) => g === undefined)], ['day', 9, true]);
  });
  it(`runs of fewer than ${TIMELINE_GAP_MIN} empty buckets are drawn, longer ones are one bar; every event instant in a drawn bucket`, () => {
    const times = [t('2024-04-19T10:00:00Z'), t('2024-04-21T10:00:00Z'), ...[2, 3, 4, 5, 6, 7, 8].map((d) => t(`2026-03-0${d}T07:41:12Z`))];
    const b = timelineBars(times, 'UTC');
    assert.equal(b.bucket, 'day');
    assert.deepEqual(b.labels, ['2024-04-19', '2024-04-20', '2024-04-21', '… 22 months …', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    assert.deepEqual(b.gaps.filter(Boolean), ['2024-04-22 – 2026-03-01: no events (22 months)']);
    assert.equal(b.starts[3], t('2024-04-22T00:00:00Z'));
  });
});

describe('beacons: after "Safelist this pair" the cards count what the table shows', () => {
  it('22 scored pairs, 95.214.53.134 safelisted: 21 pairs, 2 medium, a "safelisted" card; the detail pane outcome names the entry', async () => {
    const a = await runBeaconAnalysis([ZEEK_DAY], { internalSubnets: SENSOR });
    assert.equal(a.summary.pairs, 22);
    const pair = a.pairs.find((p) => p.dst === '95.214.53.134')!;
    const entry = safelistEntryForAction(pair, 'safelist-pair')!;
    assert.equal(entry, '64.225.56.201 -> 95.214.53.134');
    const { view, safelisted } = withSafelist(a, [entry]);
    assert.equal(safelisted, 1);
    assert.equal(view.pairs.length, 21);
    const m = buildBeaconDashboard(view, 'zeek', 'UTC', safelisted);
    const card = (id: string) => m.cards.find((c) => c.id === id)?.value;
    assert.deepEqual([card('pairs'), card('high'), card('medium'), card('low'), card('none'), card('safelisted')], [21, 1, 2, 5, 13, 1]);
    // the severity cards and bars add up to the pairs scored: the pairs of severity none have a card and a bar too
    assert.equal(Number(card('high')) + Number(card('medium')) + Number(card('low')) + Number(card('none')), card('pairs'));
    assert.deepEqual(m.cards.find((c) => c.id === 'none')?.facet, { severity: 'None' });
    const sev = m.charts.find((c) => c.id === 'severity')!;
    assert.deepEqual([sev.labels, sev.values, sev.facetColumn], [['High', 'Medium', 'Low', 'None'], [1, 2, 5, 13], 'severity']);
    assert.equal(m.totalRows, 21);
    assert.match(m.subtitle, /, 21 pairs scored \(1 safelisted since the run\), 1 high, 2 medium, 5 low, 13 none, 0 strobes ·/);
    assert.equal(view.notes[0], '1 pair safelisted since the run: left out of this dashboard (a re-run leaves their connections out)');
    // nothing safelisted: the analysis itself, no card
    assert.equal(withSafelist(a, []).view, a);
    assert.equal(buildBeaconDashboard(a, 'zeek', 'UTC').cards.find((c) => c.id === 'safelisted'), undefined);
    const done = safelistDone(pair, entry, 'safelist-pair');
    assert.equal(done.title, 'Safelisted: 64.225.56.201 -> 95.214.53.134');
    assert.match(done.lines.join(' '), /64\.225\.56\.201 → 95\.214\.53\.134 is left out of this dashboard/);
  });
});

describe('Detect Beacons on files that are not connection logs: skipped with the reason, no column-mapping prompt', () => {
  it('the Loki results folder: 4 files skipped (the first line is a Loki log line, not column names), none needs a mapping', async () => {
    const disc = await discoverInputs([LOKI]);
    const plan = await planInputs(disc.files, { sni: true });
    assert.equal(plan.needsMapping.length, 0);
    assert.equal(plan.planned.length, 0);
    assert.deepEqual(
      plan.skipped.map((k) => [path.basename(k.file), k.reason]),
      [
        ['scan_result (1).csv', 'not a connection log: its first line is not column names (“20220119T18:42:50Z” looks like a value)'],
        ['scan_result (1).log', 'not a connection log: its first line is not column names (“20211013T22:11:03Z” looks like a value)'],
        ['scan_result (2).log', 'not a connection log: its first line is not column names (“20211013T21:59:33Z” looks like a value)'],
        ['scan_result (3).log', 'not a connection log: its first line is not column names (“20211013T21:11:45Z” looks like a value)'],
      ],
    );
    assert.equal(
      describeSkipped(plan.skipped),
      '4 files skipped — not a connection log: its first line is not column names (e.g. “20220119T18:42:50Z” looks like a value): scan_result (1).csv, scan_result (1).log, scan_result (2).log, scan_result (3).log',
    );
    // the run (CLI, worker) lists them as skipped, not as files that could not be read for want of a mapping
    const a = await runBeaconAnalysis([LOKI]);
    assert.deepEqual([a.summary.files, a.skipped.length, a.errors.length], [0, 4, 0]);
  });

  it('a case export is skipped (no address column); a proxy export with client/server columns still gets the prompt', async () => {
    const plan = await planInputs([CASES, path.join(FIX, 'zeek/proxy.csv'), path.join(DATA, 'qradar/samples/log_activity_export.csv')], { sni: true });
    assert.deepEqual(
      plan.skipped.map((k) => [path.basename(k.file), k.reason]),
      [
        ['kpi-small.csv', 'not a connection log: no source or destination address column in its header (Case ID, Title, Created, Acknowledged, Closed, Owner, Severity, Status, …)'],
        ['log_activity_export.csv', 'QRadar Log Activity export (events, not connections): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)'],
      ],
    );
    assert.deepEqual(plan.needsMapping.map((i) => path.basename(i.file)), ['proxy.csv']);
  });
});

describe('count labels: "1 offense", "1 case", "1 false positive" (the Results tree and the dashboards)', () => {
  it('QRadar samples: every description has 1 offense; "Multiple Login Failures…" 1 false positive', async () => {
    const parsed = await runQRadarRead([QRADAR, path.join(DATA, 'qradar/samples/offense_closing_reasons.json')], { consoleTimeZone: 'UTC' });
    const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
    const s = summarizeQRadar(parsed, settings);
    const d = s.descriptions.find((x) => x.description === 'Multiple Login Failures for the Same User')!;
    const t = qradarDescriptionTreeText(d);
    assert.equal(t.label, '1 · Multiple Login Failures for the Same User');
    assert.equal(t.description, 'svc_backup 100%');
    assert.match(t.tooltip, /\n1 offense, 1 offense source\n/);
    assert.match(t.tooltip, /\n1 closed, 1 false positive, 0 escalated$/);
    assert.equal(qradarTreeText(s.summary).description, '6 offenses · 0 escalated · 1 false positive');
    const m = buildQRadarDashboard(parsed, 'qradar', settings).model;
    assert.doesNotMatch(JSON.stringify([m.subtitle, m.charts.map((c) => c.title), m.tables.map((x) => x.title)]), /\b1 (offenses|rules|cases|events)\b/);
  });

  it('cases: a tag with one case says "1 case"; Loki: one notice says "1 notice"; one host says "1 host"', async () => {
    const kpi = await runKpiAnalysis([CASES], { sourceZone: 'UTC', rulesPath: path.join(FIX, 'cases/tagging.json') });
    const av = kpi.tagging.tagCounts.find((t) => t.tag === 'AV')!;
    assert.equal(av.count, 1);
    assert.equal(kpiTagTreeText(av.count), '1 case');
    assert.equal(kpiTagTreeText(2), '2 cases');
    const loki = await runLokiAnalysis([path.join(LOKI, 'scan_result (2).log')]);
    const lt = lokiTreeText(loki.summary);
    assert.equal(lt.description, '0 alerts · 0 warnings');
    assert.match(lt.tooltip, /^1 file, 1 host \(/);
    const all = lokiTreeText((await runLokiAnalysis([LOKI])).summary);
    assert.match(all.tooltip, /, 1 notice, 0 unparsed lines/);
  });
});

describe('QRadar charts: titles say what they plot; rules by name where the data names them', () => {
  const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
  it('the escalations chart, which also plots false positives, is titled so (samples)', async () => {
    const parsed = await runQRadarRead([QRADAR, path.join(DATA, 'qradar/samples/offense_closing_reasons.json')], { consoleTimeZone: 'UTC' });
    const m = buildQRadarDashboard(parsed, 'qradar', settings).model;
    const esc = m.charts.find((c) => c.id === 'escalated-per-day')!;
    assert.equal(esc.title, 'Escalated and false-positive offenses per day (by first event, UTC)');
    assert.deepEqual(esc.datasets!.map((d) => d.label), ['Escalated', 'False positive']);
    // no rule of the samples has a name: "Rule <id>", and the note says where names come from
    const rules = m.charts.find((c) => c.id === 'top-rules')!;
    assert.equal(rules.labels[0], 'Rule 100056');
    assert.equal(rules.tooltips![0], 'Rule 100056 · CRE_RULE');
    assert.equal(rules.note, 'No rule has a name in the data (shown by id): names come from rules[] or an /analytics/rules export analyzed with the offenses');
  });

  it('offenses whose rules[] carry names (Elastic integration sample): the bar is the name, the tooltip the id and type, the facet the id', async () => {
    const parsed = await runQRadarRead([path.join(DATA, 'qradar/public/elastic-integrations')], { consoleTimeZone: 'UTC' });
    const rules = buildQRadarDashboard(parsed, 'elastic', settings).model.charts.find((c) => c.id === 'top-rules')!;
    const i = rules.facetValues!.indexOf('100407');
    assert.equal(rules.labels[i], 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts');
    assert.equal(rules.tooltips![i], 'Rule 100407 · CRE_RULE · Anomaly: Excessive Firewall Accepts Across Multiple Hosts');
    const j = rules.facetValues!.indexOf('100356');
    assert.deepEqual([rules.labels[j], rules.tooltips![j]], ['Rule 100356', 'Rule 100356 · CRE_RULE']);
    const unnamed = rules.labels.filter((l) => /^Rule \d+$/.test(l)).length;
    assert.match(rules.note!, new RegExp(`^${unnamed} rules? ha(s|ve) no name in the data \\(shown by id\\)`));
  });
});

describe('cases table: the time columns name the display zone; the acknowledged time (MTTA) is a column when the data has it', () => {
  it('kpi-small.csv in UTC+05:30: Created / Acknowledged / Closed (UTC+05:30), Acknowledged shown, values converted', async () => {
    const a = await runKpiAnalysis([CASES], { sourceZone: 'UTC', rulesPath: path.join(FIX, 'cases/tagging.json') });
    assert.equal(hasAcknowledgedTimes(a), true);
    const zone = 'UTC+05:30';
    const cols = buildKpiDashboard(a, kpiReportOf(a, zone), 'cases', zone).columns;
    const col = (id: string) => cols.find((c) => c.id === id)!;
    assert.deepEqual([col('created').title, col('acknowledged').title, col('closed').title], ['Created (UTC+05:30)', 'Acknowledged (UTC+05:30)', 'Closed (UTC+05:30)']);
    assert.equal(col('acknowledged').hidden, undefined);
    // C-1: created 08:00Z, acknowledged 08:10Z, closed 09:00Z
    const columns = caseColumns(zone, a.options.automationAccounts, true);
    const w = new TableStore(caseRows(a), columns).window({}, 0, 1);
    const cell = (id: string) => w.rows[0][columns.findIndex((c) => c.id === id)];
    assert.deepEqual([cell('id'), cell('created'), cell('acknowledged'), cell('closed')], ['C-1', '2026-03-02 13:30:00', '2026-03-02 13:40:00', '2026-03-02 14:30:00']);
  });

  it('QRadar offenses as cases have no acknowledged time: the column stays hidden', async () => {
    const a = await runKpiAnalysis([QRADAR], { sourceZone: 'UTC' });
    assert.equal(hasAcknowledgedTimes(a), false);
    const cols = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'offenses', 'UTC').columns;
    assert.deepEqual(cols.filter((c) => c.type === 'time').map((c) => [c.title, !!c.hidden]), [['Created (UTC)', false], ['Acknowledged (UTC)', true], ['Closed (UTC)', false]]);
  });
});
