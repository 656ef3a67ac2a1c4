/**
 * Trial defect C: numbers in dashboard subtitles, card labels, tab titles and notes were printed ungrouped
 * (`2400000 warnings`) beside counts that were grouped (`31,317 of 31,367 records`). Every count there is grouped as
 * en-US writes it. The analyses are real (shared data); their counts are scaled up to the sizes of a large fleet or
 * console, which is what the builders print.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiUnparsedTitle } from '../../src/core/analyze/loki-dashboard';
import { lokiResultsText, setAsideFindingsText } from '../../src/core/analyze/loki-summary';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { kpiSummaryRows, slaSummary } from '../../src/core/export/report';
import { analystSummary } from '../../src/core/analyze/kpi';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';
import { grouped } from '../../src/core/analyze/dashboard-kit';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');
/** A run of 4 or more digits: an ungrouped count (no year or time is in these texts). */
const UNGROUPED = /\d{4,}/;

test('grouped: en-US thousands', () => {
  assert.equal(grouped(2_400_000), '2,400,000');
  assert.equal(grouped(999), '999');
  assert.equal(grouped(31317), '31,317');
});

test('Loki: the subtitle, tab titles and Loki’s own counts group thousands (real scan, counts of a large fleet)', async () => {
  const a = await runLokiAnalysis([path.join(DATA, 'loki')]);
  const big = { ...a, summary: { ...a.summary, files: 1200, hosts: 3400, alerts: 12_000, warnings: 2_400_000, notices: 1001, scannerErrors: 1500 } };
  const m = buildLokiDashboard(big, 't', 'UTC');
  assert.equal(m.subtitle, '1,200 files, 3,400 hosts, 12,000 alerts, 2,400,000 warnings, 1,001 notices, 1,500 scanner errors — times in UTC');
  assert.equal(lokiUnparsedTitle(Array.from({ length: 4211 }, () => ({ line: 3 }))), 'Unparsed lines (first 1,000 of 4,211)');
  assert.equal(lokiResultsText({ lokiResults: { alerts: 1, warnings: 12_345, notices: 2_400_000 } }), '1 alert, 12,345 warnings, 2,400,000 notices');
  assert.equal(setAsideFindingsText([{ alerts: 1200, warnings: 1 } as never]), '1,200 alerts, 1 warning');
});

test('QRadar: the subtitle and the per-description notes group thousands (real sample export, a large console)', async () => {
  const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N };
  const p = await runQRadarRead([path.join(DATA, 'qradar/samples/offenses.json'), path.join(DATA, 'qradar/samples/log_activity_export.csv')]);
  const sum = summarizeQRadar(p, settings);
  const big = { ...sum, summary: { ...sum.summary, offenses: 31_367, undated: 1500, events: 2_400_000 }, events: { ...sum.events, eventCount: 3_100_000 }, topDescriptions: sum.topDescriptions.map((d, i) => (i === 0 ? { ...d, count: 12_000 } : d)) };
  const { model } = buildQRadarDashboard(p, 't', settings, big);
  assert.match(model.subtitle, /^31,367 offenses \(2026-03-02 – 2026-03-08; 1,500 undated\), 4 files read, 2,400,000 exported event rows \(event count 3,100,000\), console times read in UTC — times in UTC$/);
  const note = model.charts.find((c) => c.id === 'sources-1')?.note ?? '';
  assert.match(note, /^12,000 offenses · top source /);
});

test('KPI: the subtitle and the KPI summary values group thousands (real fixture cases, a large SOC)', async () => {
  const a = await runKpiAnalysis([path.join(FIX, 'cases/kpi-small.csv')], { rulesPath: path.join(FIX, 'cases/tagging.json'), asOf: Date.parse('2026-03-10T12:00:00Z') });
  const r = kpiReportOf(a, 'UTC');
  const k = r.kpis;
  assert.ok(k.escalationRate.available && k.falsePositiveRate.available && k.backlog.available && k.workloadPerAnalyst.available);
  const big = {
    ...r,
    cases: 31_317,
    asOfCut: { ...r.asOfCut, createdAfter: 1500 },
    kpis: {
      ...k,
      escalationRate: { ...k.escalationRate, value: { ...k.escalationRate.value, escalated: 1234, closed: 56_789 } },
      falsePositiveRate: { ...k.falsePositiveRate, value: { ...k.falsePositiveRate.value, falsePositives: 4321, closed: 56_789 } },
      backlog: { ...k.backlog, value: { ...k.backlog.value, open: 12_000 } },
    },
  } as typeof r;
  const m = buildKpiDashboard(a, big, 'cases', 'UTC');
  assert.match(m.subtitle, /^31,317 cases \(1,500 more in the input created after the as-of time, left out\), /);
  const rows = kpiSummaryRows(big);
  assert.match(rows.find((x) => x.id === k.escalationRate.id)!.value, /\(1,234 of 56,789\)/);
  assert.match(rows.find((x) => x.id === k.falsePositiveRate.id)!.value, /\(4,321 of 56,789\)/);
  assert.match(rows.find((x) => x.id === k.backlog.id)!.value, /^12,000 open/);
  assert.equal(
    slaSummary({ ackUnavailable: false, totals: { ackBreaches: 1200, ackBreachesUnacknowledged: 1001, closeBreaches: 1, openOverdue: 40_000 } } as never),
    '1,200 acknowledge breaches (1,001 never acknowledged) · 1 close breach · 40,000 open past the close target',
  );
  assert.equal(
    analystSummary({ analysts: [{ analyst: 'alice', cases: 12_000 } as never], unassigned: { cases: 3000 } as never }),
    '1 analyst; most cases: alice (12,000); 3,000 unassigned cases',
  );
});

test('beacons: the subtitle’s severity bands group thousands (real Zeek day, a large network)', async () => {
  const a = await runBeaconAnalysis([path.join(DATA, 'zeek/day-2024-04-19')], { internalSubnets: ['64.225.56.201/32'] });
  const big = { ...a, summary: { ...a.summary, records: 2_400_000, pairs: 31_367, high: 1200, medium: 3400, low: 12_000 } };
  const m = buildBeaconDashboard(big, 'day', 'UTC', 1500);
  assert.match(m.subtitle, /^RITA v5 score · 2,400,000 connections, 31,367 pairs scored \(1,500 safelisted since the run\), 1,200 high, 3,400 medium, 12,000 low, [\d,]+ none, /);
  const counts = m.subtitle.split(' · window ')[0];
  assert.doesNotMatch(counts, UNGROUPED, counts);
});
