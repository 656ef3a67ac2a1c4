/**
 * Labels and formats of the dashboards and CLI reports (UX review, 2026-12-03), on the real data in shared/data: the
 * beacon columns say what their 0–1 sub-scores and byte counts are and name the display zone; every chart has axis
 * titles; the beacon histogram's bins are labelled at readable times.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconPairDetail, buildBeaconDashboard, histogramBinLabels } from '../../src/core/analyze/beacons/dashboard';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, offenseTypeLabel } from '../../src/core/analyze/qradar-summary';
import type { QRadarOffense } from '../../src/core/parse/qradar-model';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];

describe('beacon labels (real Zeek day 2024-04-19, sensor 64.225.56.201)', () => {
  it('pairs table: named sub-scores with a 0–1 description, Bytes (both ways), first/last seen in the zone', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const m = buildBeaconDashboard(a, 'day', 'Europe/Berlin');
    const col = Object.fromEntries(m.columns.map((c) => [c.id, c]));
    assert.deepEqual(
      ['tsScore', 'dsScore', 'durScore', 'histScore', 'bytes', 'firstSeen', 'lastSeen'].map((k) => col[k].title),
      ['Timing score', 'Data-size score', 'Duration score', 'Histogram score', 'Bytes (both ways)', 'First seen (Europe/Berlin)', 'Last seen (Europe/Berlin)'],
    );
    for (const k of ['score', 'tsScore', 'dsScore', 'durScore', 'histScore']) assert.match(col[k].description ?? '', /0–1.*1 = /, k);
    assert.match(col.bytes.description ?? '', /orig_ip_bytes \+ resp_ip_bytes.*data-size score uses only .*orig_ip_bytes/);
    // the NTP pair: 42 connections of 76 + 76 IP bytes = 6,384 both ways, 3,192 sent by the source
    const ntp = a.pairs[0];
    assert.deepEqual([ntp.dst, ntp.bytes, ntp.origBytes], ['91.189.91.157', 6384, 3192]);
    const strobes = m.tables.find((t) => t.id === 'strobes')!;
    assert.equal(strobes.columns.find((c) => c.id === 'bytes')!.title, 'Bytes (both ways)');
  });

  it('CLI text report: BYTES (BOTH WAYS) column and a key to the abbreviated scores', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const t = beaconsTextReport(a, 'UTC');
    assert.match(t, /^SCORE +TS +DS +DUR +HIST +CONNS +BYTES \(BOTH WAYS\) +SEVERITY/m);
    assert.match(t, /^ *1\.000 +1\.000 +1\.000 +1\.000 +1\.000 +42 +6,384 +High +64\.225\.56\.201 +91\.189\.91\.157 +NTP \(timer by design\) +Data exchanged +123\/udp$/m);
    // (the TRAFFIC column says "Backscatter" now — every record flipped by Zeek, ^ in history —: SERVICE is the port's service alone)
    assert.match(t, /^0\.849 .* 139\.99\.17\.77 +HTTPS +Backscatter +443\/tcp$/m);
    assert.match(t, /^TS timing, DS data-size, DUR duration, HIST histogram score: each 0–1, 1 = most beacon-like; SCORE their mean\. BYTES \(BOTH WAYS\) = orig_ip_bytes \+ resp_ip_bytes; the data-size score uses orig_ip_bytes only\. SERVICE: the well-known service of the main port \(by port only\); "timer by design" = infrastructure that polls on a schedule\. TRAFFIC \(a label, not part of the score\): "ICMP errors only" = .*"Backscatter" = .*"No data exchanged" = the source's own attempts without data, refused or unanswered .*"Data exchanged" = a connection carried payload or was an open session; "-" = the input cannot say\.$/m);
  });

  it('every beacon chart has axis titles; the 24 bins are labelled at their start rounded to 5 min, exact range in the tooltip', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    assert.deepEqual(m.charts.map((c) => c.axes), [
      { label: 'Severity', value: 'Pairs' },
      { label: 'Beacon score (0–1)', value: 'Pairs' },
      { label: 'Source', value: 'Pairs (severity ≥ low)' },
    ]);
    const d = beaconPairDetail(a.pairs[0], 0, 'UTC');
    const [iv, hist, sizes] = d.charts!;
    assert.deepEqual([iv.axes, sizes.axes], [
      { label: 'Interval (whole seconds)', value: 'Intervals' },
      { label: 'Bytes sent (orig_ip_bytes)', value: 'Connections' },
    ]);
    // window 2024-04-19 00:00:00 – 23:51:36 UTC: 24 bins of 3,579 s; the old labels were 00:00, 00:59, 01:59, 02:58, 03:58 …
    // "per bin of 59 min 39 s", not "per 59 min 39 s bin" (analyst trial: hard to read)
    assert.equal(hist.title, 'Connections per bin of 59\u00a0min\u00a039\u00a0s (UTC)');
    assert.deepEqual(hist.axes, { label: 'Bin start (to the nearest 5 min)', value: 'Connections' });
    assert.deepEqual(hist.labels.slice(0, 6), ['00:00', '01:00', '02:00', '03:00', '04:00', '05:00']);
    assert.equal(hist.labels[23], '22:50'); // 22:52:21
    assert.ok(hist.labels.every((l) => /^\d\d:\d[05]$/.test(l)));
    assert.equal(hist.tooltips![1], '2024-04-19 00:59:39 – 01:59:18 (UTC)');
    assert.equal(hist.values.reduce((s, v) => s + v, 0), 42); // the counts are RITA's, unchanged
    // Berlin (CEST): the window spans two local dates, so the labels carry the date
    const berlin = beaconPairDetail(a.pairs[0], 0, 'Europe/Berlin').charts![1];
    assert.deepEqual(berlin.labels.slice(0, 3), ['04-19 02:00', '04-19 03:00', '04-19 04:00']);
  });

  it('bin labels: whole-hour bins are not said to be rounded; short bins keep seconds', () => {
    const h = 3_600_000;
    const t0 = Date.UTC(2024, 3, 19);
    const hourly = histogramBinLabels(Array.from({ length: 25 }, (_, i) => t0 + i * h), 'UTC');
    assert.deepEqual([hourly.width, hourly.rounded, hourly.labels[1]], ['1 h', '', '01:00']);
    const short = histogramBinLabels(Array.from({ length: 25 }, (_, i) => t0 + (i * 3_000_000) / 24), 'UTC'); // 50 min window
    assert.deepEqual([short.width, short.rounded, short.labels[1]], ['2 min 5 s', '10 s', '00:02:10']);
  });
});

describe('QRadar offense types without the offense_types file (shared/data/qradar/samples/offenses.json)', () => {
  const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
  const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

  it('stock ids seen on consoles by their QRadar names (qradar.md §3: 0, 3, 7), an unverified stock id (1) and a custom id as "type <n> (offense types not loaded)", in id order (7 before 52)', async () => {
    // alone in a folder: beside the samples' offense_types.json it is read with it
    const alone = mkdtempSync(path.join(tmpdir(), 'qradar-types-'));
    copyFileSync(path.join(SAMPLES, 'offenses.json'), path.join(alone, 'offenses.json'));
    const parsed = await runQRadarRead([path.join(alone, 'offenses.json')], { consoleTimeZone: 'UTC' });
    const { model, summary } = buildQRadarDashboard(parsed, 'qradar', settings);
    // was: type 0 ×2, then type 1, type 3, type 52, type 7
    assert.deepEqual(summary.byOffenseType, [
      { type: 'Source IP', count: 2 },
      // 1 Destination IP is [unverified] in qradar.md §3: not named as fact
      { type: 'type 1 (offense types not loaded)', count: 1 },
      { type: 'Username', count: 1 },
      { type: 'Hostname', count: 1 },
      { type: 'type 52 (offense types not loaded)', count: 1 },
    ]);
    assert.deepEqual(model.tables.find((t) => t.id === 'types')!.rows.map((r) => r[0]), summary.byOffenseType.map((t) => t.type));
    assert.equal(offenseTypeLabel({ offenseType: 12 } as QRadarOffense, new Map()), 'type 12 (offense types not loaded)');
    assert.deepEqual([0, 1, 2, 3, 7].map((t) => offenseTypeLabel({ offenseType: t } as QRadarOffense, new Map())), ['Source IP', 'type 1 (offense types not loaded)', 'type 2 (offense types not loaded)', 'Username', 'Hostname']);
  });

  it('with the offense_types file its names win, and an id it lacks is plain "type <n>"', async () => {
    const parsed = await runQRadarRead([path.join(SAMPLES, 'offenses.json'), path.join(SAMPLES, 'offense_types.json')], { consoleTimeZone: 'UTC' });
    const { summary } = buildQRadarDashboard(parsed, 'qradar', settings);
    assert.ok(summary.byOffenseType.some((t) => t.type === 'Application Instance GUID'));
    assert.equal(offenseTypeLabel({ offenseType: 12 } as QRadarOffense, new Map([[0, 'Source IP']])), 'type 12');
  });
});
