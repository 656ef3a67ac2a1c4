/**
 * Beacons: scan artefacts as a first-class per-pair label (analyst trial, senior SOC analyst, MEDIUM). On the real Zeek
 * day (shared/data/zeek/day-2024-04-19, internal = the sensor 64.225.56.201, 22 scored pairs) the analysis already told
 * the pairs apart — a Note in the detail pane, the Notes tab, a notification, --json icmpErrorsOnly/neverCarriedData —
 * but the table had no column or filter for them and the CLI's SERVICE said "no data" only for the TCP backscatter.
 *
 * Checked on the raw logs (zcat + awk): 12 of the 22 pairs are ICMP type 3 code 3 only (the sensor's port-unreachable
 * replies to scanners' UDP probes: e.g. 95.214.53.134 probed 161, 1900, 3702, 5683, 53, 37020/udp, each answered within
 * 0.1 ms), 4 never carried data (every record RSTO `^hR` or OTH `^aR`, 0 payload bytes: backscatter — since 2026-12-07
 * labelled "Backscatter", apart from an own host's attempts without data, see beacon-flipped.test.ts), 6 exchanged data.
 * So 16 of the 22 are scan artefacts (the trial's "12 of 22" counted the ICMP-only ones); of the 9 pairs rated Low or
 * higher, 4 (2 ICMP-only, 2 backscatter). The label is not a score: RITA's scores are unchanged.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { beaconColumns, beaconPairDetail, buildBeaconDashboard, hideEmptyColumns, pairTraffic, TRAFFIC_HIDE_ARTEFACTS, TRAFFIC_HIDE_ARTEFACTS_LABEL } from '../../src/core/analyze/beacons/dashboard';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { TableStore } from '../../src/core/table/store';
import { csvChunks } from '../../src/core/export/csv';
import { toColumnDefs } from '../../src/core/analyze/dashboard-kit';
import { facetValueLabel } from '../../src/shared/protocol';
import { EXCHANGE_DATA, EXCHANGE_QUIET, EXCHANGE_QUIET_FLIPPED } from '../../src/core/parse/zeek';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];
const ICMP_ONLY = ['95.214.53.134', '165.154.254.36', '162.142.125.252', '45.155.91.34', '162.142.125.243', '223.113.128.133', '185.94.111.1', '162.142.125.246', '162.142.125.253', '146.88.241.190', '146.88.241.150', '223.113.128.138'];
// every record of these RSTO ^hR or OTH ^aR (flipped by Zeek): backscatter, none of the source's own attempts
const NO_DATA = ['139.99.17.77', '15.235.202.240', '185.89.60.58', '198.251.88.32'];
const DATA = ['91.189.91.157', '104.19.173.68', '104.19.174.68', '67.207.67.2', '67.207.67.3', '185.125.188.59'];
const ICMP_TEXT = 'ICMP errors only';
const NO_DATA_TEXT = 'Backscatter';

let day: BeaconAnalysis | undefined;
const real = async () => (day ??= await runBeaconAnalysis([DAY], { internalSubnets: SENSOR }));
const dsts = (rows: readonly BeaconRow[]) => rows.map((p) => p.dst);

describe('pairTraffic on the real Zeek day', () => {
  it('12 ICMP errors only, 4 never carried data, 6 data exchanged (pairs in score order); RITA scores unchanged', async () => {
    const a = await real();
    assert.equal(a.pairs.length, 22);
    assert.deepEqual(dsts(a.pairs.filter((p) => pairTraffic(p) === 'icmp-errors')), ICMP_ONLY);
    assert.deepEqual(dsts(a.pairs.filter((p) => pairTraffic(p) === 'backscatter')), NO_DATA);
    assert.equal(a.pairs.filter((p) => pairTraffic(p) === 'no-data').length, 0);
    assert.deepEqual(dsts(a.pairs.filter((p) => pairTraffic(p) === 'data')), DATA);
    // of the 9 pairs rated Low or higher: 2 ICMP-only, 2 backscatter
    const rated = a.pairs.filter((p) => p.severity !== 'none');
    assert.equal(rated.length, 9);
    assert.deepEqual(rated.map((p) => pairTraffic(p)).filter((t) => t !== 'data'), ['icmp-errors', 'backscatter', 'backscatter', 'icmp-errors']);
    // a label, not a re-score: the trial's #2 pair keeps RITA v5's 0.875 / Medium, the backscatter 0.849 / Medium
    const by = (dst: string) => a.pairs.find((p) => p.dst === dst)!;
    assert.deepEqual([by('95.214.53.134').score, by('95.214.53.134').severity, by('139.99.17.77').score, by('139.99.17.77').severity], [0.875, 'medium', 0.849, 'medium']);
    assert.deepEqual(a.pairs.map((p) => p.score).slice(0, 3), [1, 0.875, 0.849]);
  });

  it('the input cannot say (no conn_state/history, e.g. a generic CSV): unknown; ICMP errors win; mixed ICMP + DNS is data', () => {
    assert.equal(pairTraffic({ ports: '443/tcp', exchange: undefined }), 'unknown');
    assert.equal(pairTraffic({ ports: 'icmp type 3 code 3 (port unreachable)', exchange: undefined }), 'icmp-errors');
    assert.equal(pairTraffic({ ports: 'icmp type 8 (echo request)', exchange: undefined }), 'unknown');
    assert.equal(pairTraffic({ ports: '443/tcp', exchange: EXCHANGE_QUIET }), 'no-data');
    assert.equal(pairTraffic({ ports: '443/tcp', exchange: EXCHANGE_QUIET_FLIPPED }), 'backscatter');
    assert.equal(pairTraffic({ ports: '443/tcp', exchange: EXCHANGE_QUIET | EXCHANGE_QUIET_FLIPPED }), 'no-data', 'one own attempt among the flipped records');
    assert.equal(pairTraffic({ ports: '53/udp, icmp type 3 code 3 (port unreachable)', exchange: EXCHANGE_DATA }), 'data');
  });
});

describe('the pairs table: a Traffic column that filters, sorts and exports', () => {
  it('shown by default; values; the facet that hides the scan artefacts; a facet per value; a column filter', async () => {
    const a = await real();
    const cols = beaconColumns('UTC');
    const col = cols.find((c) => c.id === 'traffic')!;
    assert.ok(col && !col.hidden, 'the Traffic column is shown by default');
    assert.equal(cols.find((c) => c.id === 'noData')!.hidden, true, '"No data" (yes/no) is in the chooser only: Traffic says it');
    assert.deepEqual([col.get(a.pairs[0]), col.get(a.pairs[1]), col.get(a.pairs[2])], ['Data exchanged', ICMP_TEXT, NO_DATA_TEXT]);
    const store = new TableStore(a.pairs, cols);
    const ids = (q: Parameters<typeof store.matching>[0]) => store.matching(q).map((i) => a.pairs[i].dst);
    // one click (the card's facet): every pair but the 16 artefacts, in score order
    assert.deepEqual(ids({ facets: { traffic: TRAFFIC_HIDE_ARTEFACTS } }), DATA);
    assert.deepEqual(ids({ facets: { traffic: ICMP_TEXT } }), ICMP_ONLY);
    assert.deepEqual(ids({ facets: { traffic: NO_DATA_TEXT } }), NO_DATA);
    // with the Medium card: the one Medium pair left that exchanged data
    assert.deepEqual(ids({ facets: { traffic: TRAFFIC_HIDE_ARTEFACTS, severity: 'Medium' } }), ['104.19.173.68']);
    assert.deepEqual(ids({ columnFilters: { traffic: 'icmp' } }), ICMP_ONLY);
    assert.equal(store.count({ columnFilters: { traffic: 'backscatter' } }), 4);
    assert.equal(store.count({ columnFilters: { traffic: 'no data' } }), 0);
  });

  it('a header click sorts the artefacts last, each group still in score order (a down-rank, not a re-score)', async () => {
    const a = await real();
    const cols = beaconColumns('UTC');
    assert.equal(cols.find((c) => c.id === 'traffic')!.firstSort ?? 'asc', 'asc');
    const store = new TableStore(a.pairs, cols);
    const order = store.matching({ sort: { column: 'traffic', dir: 'asc' } }).map((i) => a.pairs[i].dst);
    assert.deepEqual(order, [...DATA, ...NO_DATA, ...ICMP_ONLY]);
  });

  it('CSV export has the Traffic column with its text', async () => {
    const a = await real();
    const cols = beaconColumns('UTC');
    const store = new TableStore(a.pairs, cols);
    const ex = store.exportRows({}, ['src', 'dst', 'score', 'traffic']);
    const lines = [...csvChunks(ex.header, ex.rows)].join('').trim().split(/\r?\n/);
    assert.equal(lines[0], 'Source,Destination,Score,Traffic');
    assert.deepEqual(lines.slice(1, 4), ['64.225.56.201,91.189.91.157,1.000,Data exchanged', `64.225.56.201,95.214.53.134,0.875,${ICMP_TEXT}`, `64.225.56.201,139.99.17.77,0.849,${NO_DATA_TEXT}`]);
  });
});

describe('the dashboard model', () => {
  it('a card "Pairs without scan artefacts" (6) sets the hiding facet; its tooltip counts 12 + 4; the chip names the facet', async () => {
    const a = await real();
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    const card = m.cards.find((c) => c.id === 'noArtefacts')!;
    assert.deepEqual([card.label, card.value, card.facet], ['Pairs without scan artefacts', 6, { traffic: TRAFFIC_HIDE_ARTEFACTS }]);
    assert.match(card.hint ?? '', /^Hides the 16 of the 22 listed pairs that are usually scan artefacts.*12 ICMP errors only, 4 backscatter \(no data, direction flipped/);
    assert.equal(facetValueLabel(m, 'traffic', TRAFFIC_HIDE_ARTEFACTS), TRAFFIC_HIDE_ARTEFACTS_LABEL);
    // next to the severity cards, before Strobes
    const order = m.cards.map((c) => c.id);
    assert.equal(order.indexOf('noArtefacts'), order.indexOf('none') + 1);
  });

  it('no card when no listed pair is an artefact (it would hide nothing)', async () => {
    const a = await real();
    const m = buildBeaconDashboard({ ...a, pairs: a.pairs.filter((p) => pairTraffic(p) === 'data') }, 'day', 'UTC');
    assert.equal(m.cards.some((c) => c.id === 'noArtefacts'), false);
  });

  it('a column empty in every pair (FQDN: no ssl/http log) starts hidden, kept for the chooser; filled ones stay', async () => {
    const a = await real();
    assert.ok(a.pairs.every((p) => p.fqdn === ''));
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    const col = Object.fromEntries(m.columns.map((c) => [c.id, c]));
    assert.equal(col.fqdn.hidden, true);
    for (const id of ['severity', 'score', 'src', 'dst', 'service', 'traffic', 'ports', 'count']) assert.ok(!col[id].hidden, id);
    // the general helper: one FQDN in one pair keeps the column; no rows changes nothing
    const cols = beaconColumns('UTC');
    const withOne = a.pairs.map((p, i) => (i === 5 ? { ...p, fqdn: 'example.com' } : p));
    assert.ok(!hideEmptyColumns(toColumnDefs(cols), cols, withOne).find((c) => c.id === 'fqdn')!.hidden);
    assert.deepEqual(hideEmptyColumns(toColumnDefs(cols), cols, []), toColumnDefs(cols));
  });
});

describe('the detail pane', () => {
  it('says the Traffic; prose values (Severity, threat score, Type, Traffic, Note) in the normal font, addresses and times monospace', async () => {
    const a = await real();
    const i = a.pairs.findIndex((p) => p.dst === '95.214.53.134');
    const d = beaconPairDetail(a.pairs[i], i, 'UTC');
    const f = Object.fromEntries(d.fields.map((x) => [x.label, x]));
    assert.equal(f.Traffic.value, ICMP_TEXT);
    for (const k of ['Severity', 'RITA threat score (0–0.8)', 'Type', 'Traffic', 'Note']) assert.equal(f[k].prose, true, k);
    for (const k of ['Beacon score', 'Source', 'Destination', 'Ports', 'Connections', 'First seen (UTC)', 'First seen (UTC, ISO 8601)']) assert.ok(!f[k].prose, k);
    const ntp = beaconPairDetail(a.pairs[0], 0, 'UTC').fields.find((x) => x.label === 'Service (by port)')!;
    assert.equal(ntp.prose, true);
  });

  it('the chart of sources says how many of its pairs are scan artefacts (new-user trial: 9 pairs charted, the card said 6 were free of them)', async () => {
    const m = buildBeaconDashboard(await real(), 'Beacons', 'UTC');
    const top = m.charts.find((c) => c.id === 'top-sources')!;
    assert.deepEqual([top.labels, top.values], [['64.225.56.201'], [9]]);
    assert.deepEqual(top.tooltips, ['64.225.56.201: 9 pairs, 4 of them usually scan artefacts (ICMP errors only, backscatter)']);
    assert.equal(top.note, '4 of these 9 pairs are usually scan artefacts (ICMP errors only, backscatter; Traffic column): the card “Pairs without scan artefacts” hides them');
  });

  it('the histogram title reads "per bin of 59 min 39 s"', async () => {
    const a = await real();
    const hist = beaconPairDetail(a.pairs[0], 0, 'UTC').charts!.find((c) => c.id === 'hourly')!;
    assert.equal(hist.title, 'Connections per bin of 59\u00a0min\u00a039\u00a0s (UTC)');
  });
});

describe('the CLI', () => {
  it('text: a TRAFFIC column for every pair; --json: traffic per pair', async () => {
    const t = beaconsTextReport(await real(), 'UTC');
    assert.match(t, /^SCORE .* SERVICE +TRAFFIC +PORTS$/m);
    assert.match(t, /^0\.875 .* 95\.214\.53\.134 +ICMP errors only +icmp type 3 code 3 \(port unreachable\)$/m);
    assert.match(t, /^0\.849 .* 139\.99\.17\.77 +HTTPS +Backscatter +443\/tcp$/m);
    assert.equal(t.match(/ICMP errors only +icmp/g)?.length, 12);
    const c = capture();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32', '--json'], c.io), 0);
    const j = JSON.parse(c.out()) as { pairs: { dst: string; traffic: string | null; score: number }[] };
    assert.deepEqual(j.pairs.filter((p) => p.traffic === ICMP_TEXT).map((p) => p.dst), ICMP_ONLY);
    assert.deepEqual(j.pairs.filter((p) => p.traffic === NO_DATA_TEXT).map((p) => p.dst), NO_DATA);
    assert.deepEqual(j.pairs.filter((p) => p.traffic === 'Data exchanged').map((p) => p.dst), DATA);
    assert.equal(j.pairs.find((p) => p.dst === '95.214.53.134')!.score, 0.875);
  });
});
