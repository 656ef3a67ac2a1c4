/**
 * Dashboard labels and formats (UI review of the dashboards, 2026-12-04), on the real data in shared/data and the
 * fixtures: counts with thousands separators, one duration format, capitalised severities, the escalated-reason
 * fragments said as what they match, no dead "Reveal in log" for a beacon pair, the beacon detail's bytes label.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarContext, qradarEventColumns, qradarOffenseColumns, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { cellText, exportValue, TableStore } from '../../src/core/table/store';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconColumns, beaconPairDetail, buildBeaconDashboard, severityLabel } from '../../src/core/analyze/beacons/dashboard';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { beaconsMarkdown } from '../../src/core/export/markdown-summary';
import { QRADAR_USAGE } from '../../src/core/analyze/qradar-report';
import { fragmentsText, mentions } from '../../src/core/analyze/reason-match';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard, caseDetail, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { formatDuration } from '../../src/core/analyze/kpi';
import { renderKpiReportMarkdown } from '../../src/core/export/report';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const SHARED = path.resolve(__dirname, '../../../../shared/data');
const SAMPLES = path.join(SHARED, 'qradar/samples');
const ZEEK_DAY = path.join(SHARED, 'zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];
const qsettings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

describe('#1 QRadar: the Events column with thousands separators, sorted as numbers (shared/data/qradar/samples/offenses.json)', () => {
  it('Events shows 9,804 / 5,126 / 1,843; sorts numerically; exports the number; the detail pane groups it too', async () => {
    const parsed = await runQRadarRead([path.join(SAMPLES, 'offenses.json')], { consoleTimeZone: 'UTC' });
    const cols = qradarOffenseColumns(qradarContext(parsed, qsettings));
    const events = cols.find((c) => c.id === 'eventCount')!;
    const store = new TableStore(parsed.offenses, cols);
    const top = store.window({ sort: { column: 'eventCount', dir: 'desc' } }, 0, 3);
    const at = cols.findIndex((c) => c.id === 'eventCount');
    assert.deepEqual(top.rows.map((r) => r[at]), ['9,804', '5,126', '1,843']);
    const big = parsed.offenses.find((o) => o.eventCount === 9804)!;
    assert.equal(cellText(events, big), '9,804');
    assert.equal(exportValue(events, big), 9804);
    // a plain-number filter still finds the grouped cell
    assert.equal(store.count({ columnFilters: { eventCount: '9804' } }), 1);
    const d = qradarOffenseDetail(big, 0, qradarContext(parsed, qsettings));
    assert.equal(d.fields.find((f) => f.label === 'Events')!.value, '9,804');
    // (the events table of a Log Activity export groups its Event count the same way)
    const ev = qradarEventColumns('UTC').find((c) => c.id === 'eventCount')!;
    assert.equal(ev.exportRaw, true);
    assert.equal(ev.format!({ eventCount: 12_345 } as never), '12,345');
    // the model still says the column is a number column (right-aligned, numeric sort)
    assert.equal(buildQRadarDashboard(parsed, 'q', qsettings).model.columns.find((c) => c.id === 'eventCount')!.type, 'number');
  });
});

describe('#3 #5 #6 beacons (real Zeek day 2024-04-19, sensor 64.225.56.201)', () => {
  it('#3 severity is capitalised wherever it is a label: cards, chart, table cells, detail title and field, CLI text, Markdown; --json keeps high', async () => {
    const a = await runBeaconAnalysis([ZEEK_DAY], { internalSubnets: SENSOR });
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    assert.deepEqual(m.cards.filter((c) => ['high', 'medium', 'low', 'none'].includes(c.id)).map((c) => [c.label.split(' ')[0], c.facet?.severity]), [['High', 'High'], ['Medium', 'Medium'], ['Low', 'Low'], ['None', 'None']]);
    assert.deepEqual(m.charts.find((c) => c.id === 'severity')!.labels, ['High', 'Medium', 'Low', 'None']);
    const cols = beaconColumns('UTC');
    const store = new TableStore(a.pairs, cols);
    const sev = cols.findIndex((c) => c.id === 'severity');
    // the table's first rows (by severity, most severe first): High, then Medium — not high / medium
    assert.deepEqual(store.window({ sort: { column: 'severity', dir: 'desc' } }, 0, 2).rows.map((r) => r[sev]), ['High', 'Medium']);
    // a card's facet (High), the value (high) and a typed filter find the same pairs: 1 high, 3 medium
    assert.deepEqual([store.count({ facets: { severity: 'High' } }), store.count({ facets: { severity: 'high' } }), store.count({ facets: { severity: 'Medium' } }), store.count({ columnFilters: { severity: 'medium' } })], [1, 1, 3, 3]);
    const d = beaconPairDetail(a.pairs[0], 0, 'UTC');
    assert.equal(d.title, 'High · 1.000 · 64.225.56.201 → 91.189.91.157');
    assert.equal(d.fields.find((f) => f.label === 'Severity')!.value, 'High — from the beacon score 1.000');
    assert.match(d.fields.find((f) => f.label === 'RITA threat score (0–0.8)')!.value, /\(High: 0\.6–0\.8\)/);
    assert.match(beaconsTextReport(a, 'UTC'), /^ *1\.000 +1\.000 +1\.000 +1\.000 +1\.000 +42 +6,384 +High +64\.225\.56\.201/m);
    assert.match(beaconsMarkdown(a, { title: 'day', inputs: [ZEEK_DAY], zone: 'UTC' } as never), /\| 1\.000 \| High \| 64\.225\.56\.201 \|/);
    assert.equal(a.pairs[0].severity, 'high'); // the value (--json) is unchanged
    assert.deepEqual(['high', 'medium', 'low', 'none', 'other'].map(severityLabel), ['High', 'Medium', 'Low', 'None', 'other']);
  });

  it('#5 #6 a pair\'s detail: no reveal button (noReveal: the analysis keeps no line of a pair); bytes named as the column', async () => {
    const a = await runBeaconAnalysis([ZEEK_DAY], { internalSubnets: SENSOR });
    const d = beaconPairDetail(a.pairs[0], 0, 'UTC');
    assert.deepEqual([d.canReveal, d.noReveal], [false, true]);
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    const bytesTitle = m.columns.find((c) => c.id === 'bytes')!.title;
    assert.equal(bytesTitle, 'Bytes (both ways)');
    assert.equal(d.fields.find((f) => f.label === bytesTitle)?.value, '6,384');
    assert.ok(!d.fields.some((f) => f.label === 'Bytes (both directions)'));
  });
});

describe('#4 QRadar: the escalated-reason stems are said as what they match', () => {
  it('the dashboard note lists *escalat* (a fragment counts anywhere in the reason), not a bare escalat; the CLI help says so', async () => {
    // the match is a substring one, not a prefix: escalat counts in Escalated, Escalated to IR ticket and De-escalated
    assert.deepEqual(['Escalated', 'Escalated to IR ticket', 'De-escalated'].map((r) => mentions(r, 'escalat')), [true, true, true]);
    const parsed = await runQRadarRead([path.join(SAMPLES, 'offenses.json')], { consoleTimeZone: 'UTC' });
    const note = buildQRadarDashboard(parsed, 'q', qsettings).model.charts.find((c) => c.id === 'escalated-per-day')!.note;
    assert.equal(
      note,
      'Closing reasons counted as escalated: *escalat*, *true positive*, *true-positive*; as false positive: *false positive*, *false-positive* (case-insensitive, * = any characters; not where negated in its clause, as in Not escalated)',
    );
    assert.equal(fragmentsText(['', '  ']), '—');
    assert.match(QRADAR_USAGE, /--escalated <text,…> +closing-reason fragments counted as escalated, matched anywhere in the reason,\n +case-insensitive \(default: escalat,true positive,true-positive; escalat is a stem:\n +Escalated, Escalated to IR ticket\)/);
  });
});

describe('#2 cases / KPIs: one duration format (test/fixtures/cases/kpi-small.csv, as of 2026-03-10 12:00 UTC)', () => {
  const FIX = path.resolve(__dirname, '../../../test/fixtures/cases');
  const CASES = path.join(FIX, 'kpi-small.csv');
  const RULES = path.join(FIX, 'tagging.json');
  const AS_OF = Date.parse('2026-03-10T12:00:00Z');

  it('formatDuration: at most two units, the larger first — 1 h, never 60 min; 30 min, never 0.5 h', () => {
    const S = 1000;
    const M = 60 * S;
    const H = 60 * M;
    assert.deepEqual(
      [0, 400, 42 * S, 60 * S, 21 * M + 23 * S, 30 * M, 60 * M, 90 * M, 2 * H, 5 * H + 24 * M, 24 * H, 29 * H, 59 * M + 59.6 * S, -10 * M, undefined].map((ms) => formatDuration(ms)),
      ['0 s', 'under 1 s', '42 s', '1 min', '21 min 23 s', '30 min', '1 h', '1 h 30 min', '2 h', '5 h 24 min', '1 d', '1 d 5 h', '1 h', '-10 min', '–'],
    );
  });

  it('the same figures read the same on the cards, in the KPI and workload tables, a case\'s detail, the Markdown report and the CLI', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    const m = buildKpiDashboard(a, r, 'cases', 'UTC');
    const card = (id: string) => m.cards.find((c) => c.id === id)!.value;
    assert.deepEqual([card('mttaMedian'), card('mttrMedian')], ['15 min', '2 h']);
    const kpi = (title: string) => m.tables.find((t) => t.id === 'kpis')!.rows.find((x) => String(x[0]).startsWith(title))![1];
    assert.equal(kpi('MTTA'), 'median 15 min · p90 46 min · mean 21 min 23 s (n = 8)');
    assert.equal(kpi('MTTR'), 'median 2 h · p90 5 h 24 min · mean 2 h 47 min (n = 7)');
    assert.equal(kpi('Open backlog'), '3 open; age median 20 h · p90 1 d 3 h · mean 17 h · oldest 1 d 5 h (n = 3)');
    assert.deepEqual(m.tables.find((t) => t.id === 'analysts')!.rows.map((x) => x[5]), ['2 h', '2 h', '2 h', '–']);
    // C-1: acknowledged after 10 min, closed after 60 min — "1 h" as the MTTA row's max, not "60 min"
    const c1 = caseDetail(caseRows(a, r.asOf)[0], 0, 'UTC');
    assert.deepEqual(['Time to acknowledge', 'Time to resolve'].map((l) => c1.fields.find((f) => f.label === l)!.value), ['10 min', '1 h']);
    const md = renderKpiReportMarkdown(r, { title: 't', inputs: [CASES] });
    assert.ok(md.includes('| MTTA (created → acknowledged) | 8 | 15 min | 46 min | 21 min 23 s | 1 min | 1 h |'), md);
    assert.ok(md.includes('| MTTR, R = resolve (created → closed) | 7 | 2 h | 5 h 24 min | 2 h 47 min | 30 min | 9 h |'), md);
    // SLA targets (setting in minutes): 4 h and 1 d, not 240 min and 1440 min — in the Markdown table and the CLI's
    assert.ok(md.includes('| Critical | 2 | 15 min | 2 | 1 | 1 | 4 h | 1 | 0 | 0% | 1 |'), md);
    assert.ok(md.includes('| Medium | 2 | 2 h | 2 | 0 | 0 | 1 d | 2 | 0 | 0% | 0 |'), md);
    assert.doesNotMatch(md, /\| (?:60|120|240|480|1440|4320) min \|/);
    const c = capture();
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--tz', 'UTC', '--as-of', new Date(AS_OF).toISOString()], c.io), 0);
    assert.match(c.out(), /^ +Medium +2 +2 h +0 of 2 +1 d +0 of 2 +0$/m);
    assert.match(c.out(), /^ +Low +3 +8 h +0 of 2 +3 d +0 of 1 +0$/m);
    assert.match(c.out(), /MTTA \(time to acknowledge\): median 15 min · p90 46 min · mean 21 min 23 s \(n = 8\)/);
  });
});
