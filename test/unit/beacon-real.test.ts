/**
 * The beacon analysis on the real Zeek day (shared/data/zeek/day-2024-04-19: 24 hourly gzipped
 * conn logs from a sensor on the public address 64.225.56.201) and the JSON logs, through the core
 * runner and the `soc-analytics beacons` CLI. Expected numbers were cross-checked with an
 * independent re-implementation of the RITA v5 formulas (§5) outside this code base.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { runBeaconAnalysis, sensorHint } from '../../src/core/analyze/beacons/run';
import { isIcmpErrorPair, type BeaconAnalysis } from '../../src/core/analyze/beacons/analyze';
import { main } from '../../src/cli/cli';
import { beaconsMarkdown } from '../../src/core/export/markdown-summary';
import { beaconPairDetail, buildBeaconDashboard, withSafelist } from '../../src/core/analyze/beacons/dashboard';

const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');
const DAY = path.join(ZEEK, 'day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];

const pick = (p: BeaconAnalysis['pairs'][number]) => [p.src, p.dst, p.count, p.bytes, p.score, p.tsScore, p.dsScore, p.durScore, p.histScore, p.severity];

describe('sensorHint: the address in most external ↔ external pairs', () => {
  it('named when in at least half of at least two pairs; IPv6 as /128; else nothing', () => {
    assert.equal(sensorHint(undefined), '');
    assert.equal(sensorHint({ address: '198.51.100.7', pairs: 1, of: 1 }), '', 'one pair says nothing');
    assert.equal(sensorHint({ address: '198.51.100.7', pairs: 4, of: 9 }), '', 'under half');
    assert.equal(sensorHint({ address: '198.51.100.7', pairs: 5, of: 10 }), '; 198.51.100.7 is in 5 of the 10 external ↔ external pairs: if it is the monitored host (a sensor with a public address), add 198.51.100.7/32 to the internal subnets');
    assert.match(sensorHint({ address: '2001:db8::5', pairs: 1200, of: 1201 }), /is in 1,200 of the 1,201 .* add 2001:db8::5\/128 to the internal subnets$/);
  });
});

describe('real Zeek day (24 rotated .gz files)', () => {
  it('default internal subnets: all 31,367 records read, none of the public pairs is kept', async () => {
    const a = await runBeaconAnalysis([DAY]);
    assert.equal(a.summary.files, 24);
    assert.equal(a.summary.records, 31367);
    assert.equal(a.files.reduce((s, f) => s + f.lines, 0), 31367 + 24 * 9);
    assert.ok(a.files.every((f) => f.closed === true && f.unparsedLines === 0));
    assert.equal(a.summary.unparsedLines, 0);
    assert.deepEqual(a.filtered, { 'both-external': 31317, 'never-included': 49 });
    assert.equal(a.summary.filteredRecords, 31366);
    assert.equal(a.summary.pairsSeen, 1);
    assert.equal(a.summary.pairs, 0);
    assert.ok(a.notes.some((n) => /internal subnets/.test(n)), 'hint to set the internal subnets');
    // its counts grouped as the report's other counts (was `31317 of 31367`)
    assert.ok(a.notes.some((n) => n.startsWith('31,317 of 31,367 records were left out as external ↔ external (neither address in the internal subnets 10.0.0.0/8, ')), JSON.stringify(a.notes));
    // ... and names the sensor's public address, in nearly every external ↔ external pair (the README's --internal)
    const ext = a.notes.find((n) => n.startsWith('31,317 of 31,367 records were left out as external ↔ external'));
    const m = /; 64\.225\.56\.201 is in (\d[\d,]*) of the (\d[\d,]*) external ↔ external pairs: if it is the monitored host \(a sensor with a public address\), add 64\.225\.56\.201\/32 to the internal subnets$/.exec(ext ?? '');
    assert.ok(m, ext);
    const [inPairs, ofPairs] = [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
    assert.ok(inPairs >= 0.9 * ofPairs && ofPairs > 100, `${inPairs} of ${ofPairs}`);
    // The text report says why every filtered record was left out (31,317 + 49 = 31,366).
    assert.match(beaconsTextReport(a, 'UTC'), /^ {2}Left out: 31,317 external ↔ external, 49 never-included address \(RITA: loopback, link-local, multicast, broadcast…\)$/m);
  });

  it('internal = the sensor 64.225.56.201: 362 pairs, 22 scored, exact top pairs (RITA v5, hourly import)', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    // the dashboard says the 362 pairs seen beside the 22 scored, and why 340 were not (trial: "only 22 pairs?")
    const cards = buildBeaconDashboard(a, 'Beacons', 'UTC').cards;
    const seen = cards.find((c) => c.id === 'pairsSeen');
    assert.deepEqual([seen?.label, seen?.value, seen?.hint, cards.find((c) => c.id === 'pairs')?.value], ['Pairs seen', 362, '340 pairs not scored: too few connections (RITA scores a pair from 4 distinct connection times)', 22]);
    assert.equal(a.summary.records, 31367);
    assert.deepEqual(a.filtered, { 'external-to-internal': 29486, 'never-included': 49, 'both-external': 6 });
    assert.equal(a.summary.pairsSeen, 362);
    assert.equal(a.summary.pairs, 22);
    assert.deepEqual([a.summary.high, a.summary.medium, a.summary.low, a.summary.strobes], [1, 3, 5, 0]);
    assert.equal(new Date(a.summary.windowStart).toISOString(), '2024-04-19T00:00:00.000Z');
    assert.equal(new Date(a.summary.windowEnd).toISOString(), '2024-04-19T23:51:36.000Z');
    assert.deepEqual(a.pairs.slice(0, 4).map(pick), [
      ['64.225.56.201', '91.189.91.157', 42, 6384, 1, 1, 1, 1, 1, 'high'],
      ['64.225.56.201', '95.214.53.134', 32, 3033, 0.875, 0.822, 0.678, 1, 1, 'medium'],
      ['64.225.56.201', '139.99.17.77', 33, 2640, 0.849, 0.58, 1, 0.927, 0.889, 'medium'],
      ['64.225.56.201', '104.19.173.68', 15, 505546, 0.811, 0.537, 0.793, 0.912, 1, 'medium'],
    ]);
    const dns = a.pairs.find((p) => p.dst === '67.207.67.2')!;
    assert.deepEqual(pick(dns), ['64.225.56.201', '67.207.67.2', 661, 209173, 0.522, 0.066, 0.37, 1, 0.652, 'low']);
    const top = a.pairs[0];
    assert.equal(new Date(top.firstSeenMs).toISOString(), '2024-04-19T00:13:05.258Z');
    assert.equal(new Date(top.lastSeenMs).toISOString(), '2024-04-19T23:32:43.508Z');
    assert.equal(top.ports, '123/udp');
  });

  it('one final window (no hourly import): the fourth pair scores 0.802 (duration 0.878)', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, hourlyImport: false });
    assert.equal(a.summary.pairs, 22);
    assert.deepEqual(pick(a.pairs[3]), ['64.225.56.201', '104.19.173.68', 15, 505546, 0.802, 0.537, 0.793, 0.878, 1, 'medium']);
  });

  it('legacy (v4.8) score: only pairs with more than 23 connections, 5 scored', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, algorithm: 'rita-legacy' });
    assert.equal(a.algorithm, 'rita-legacy');
    assert.equal(a.summary.pairs, 5);
    assert.deepEqual(a.pairs.map((p) => [p.dst, p.count, p.score]), [
      ['91.189.91.157', 42, 1],
      ['139.99.17.77', 33, 0.861],
      ['95.214.53.134', 32, 0.861],
      ['67.207.67.2', 661, 0.573],
      ['67.207.67.3', 544, 0.553],
    ]);
  });

  it('legacy score: no severity bands (rita-beacons.md §2, §4: RITA v4.8 ranks beacons by score only; high/medium/low are v5\'s score_thresholds, §5.7) — dashboard, detail, text, Markdown', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, algorithm: 'rita-legacy' });
    // was: high 1 (score 1), medium 2 (0.861), low 2 (0.573, 0.553) by v5's bands, threat 0.8 …
    assert.deepEqual(a.pairs.map((p) => [p.dst, p.score, p.severity, p.threat]), [
      ['91.189.91.157', 1, 'n/a', 0],
      ['139.99.17.77', 0.861, 'n/a', 0],
      ['95.214.53.134', 0.861, 'n/a', 0],
      ['67.207.67.2', 0.573, 'n/a', 0],
      ['67.207.67.3', 0.553, 'n/a', 0],
    ]);
    assert.deepEqual([a.summary.high, a.summary.medium, a.summary.low], [0, 0, 0]);
    const m = buildBeaconDashboard(a, 'Beacons', 'UTC');
    assert.deepEqual(m.cards.map((c) => c.id).filter((id) => ['high', 'medium', 'low', 'none'].includes(id)), []);
    assert.equal(m.charts.find((c) => c.id === 'severity'), undefined);
    const top = m.charts.find((c) => c.id === 'top-sources')!;
    assert.deepEqual([top.title, top.labels, top.values], ['Sources with most listed pairs (score ≥ the minimum)', ['64.225.56.201'], [5]]);
    assert.match(m.subtitle, /^RITA legacy \(v4\.8\) score · .*, 5 pairs scored, no severity bands \(the legacy score has none\), /);
    const fields = beaconPairDetail(a.pairs[0], 0, "UTC").fields;
    assert.match(fields.find((f) => f.label === 'Severity')!.value, /^none given — no severity bands: the legacy score \(RITA v4\.8\) has none/);
    assert.equal(fields.find((f) => f.label.startsWith('RITA threat score')), undefined);
    const text = beaconsTextReport(a, 'UTC');
    assert.match(text, /Severity: no severity bands: the legacy score \(RITA v4\.8\) has none/);
    assert.doesNotMatch(text, /High \d+ {2}Medium/);
    const md = beaconsMarkdown(a, { zone: 'UTC', top: 2 });
    assert.match(md, /- Pairs: .*5 scored \(no severity bands: the legacy score has none\)/);
    assert.match(md, /; no severity bands \(the legacy score has none\)/);
    assert.doesNotMatch(md, /severity from score 0\.5 \(low\)/);
    // v5 on the same day keeps its bands
    const v5 = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    assert.ok(v5.pairs.every((p) => p.severity !== 'n/a'));
    assert.ok(buildBeaconDashboard(v5, 'Beacons', 'UTC').charts.some((c) => c.id === 'severity'));
  });

  it('no internal subnets (keep every pair): 7,977 pairs, 752 scored; the scanner 120.245.134.197 is a 0.992 beacon', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: [] });
    assert.equal(a.summary.pairsSeen, 7977);
    assert.equal(a.summary.pairs, 752);
    const scanner = a.pairs.find((p) => p.src === '120.245.134.197')!;
    assert.deepEqual([scanner.count, scanner.uniqueTs, scanner.score], [5348, 5348, 0.992]);
  });

  it('safelist and min score take pairs out', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, safelist: ['64.225.56.201 -> 91.189.91.157', '95.214.53.134'], minScore: 0.5 });
    assert.equal(a.filtered.safelisted, 42 + 32 + 32); // a plain entry matches either side: also the 32 records 95.214.53.134 → sensor
    assert.equal(a.summary.pairs, 20);
    assert.equal(a.pairs[0].dst, '139.99.17.77');
    assert.ok(a.pairs.every((p) => p.score >= 0.5));
    assert.equal(a.summary.listed, 7);
  });

  it('the severity bands count every scored pair: --min-score lists fewer pairs but moves none of them to None (trial)', async () => {
    const bands = (j: { summary: { high: number; medium: number; low: number; pairs: number } }) => [j.summary.high, j.summary.medium, j.summary.low, j.summary.pairs];
    const all = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const some = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, minScore: 0.8 });
    // 22 scored pairs: 1 high, 3 medium, 5 low (13 none) — whatever the minimum score listed
    assert.deepEqual(bands(all), [1, 3, 5, 22]);
    assert.deepEqual(bands(some), [1, 3, 5, 22]);
    assert.equal(some.summary.listed, 4);
    const t = io();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32', '--min-score', '0.8'], t.io), 0);
    assert.match(t.out.join(''), /High 1 {2}Medium 3 {2}Low 5 {2}None 13\n/);
    const m = buildBeaconDashboard(some, 'day', 'UTC');
    assert.deepEqual(m.cards.filter((c) => ['high', 'medium', 'low', 'none'].includes(c.id)).map((c) => c.value), [1, 3, 5, 13]);
    // a pair safelisted since the run leaves its band
    const { view } = withSafelist(some, ['64.225.56.201 -> 91.189.91.157']);
    assert.deepEqual(bands(view), [0, 3, 5, 21]);
  });

  it('pairs of ICMP error messages only (the sensor answering probes) are flagged: a note, the detail, --json (trial: 12 of 22 pairs)', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const flagged = a.pairs.filter(isIcmpErrorPair);
    assert.equal(flagged.length, 12);
    assert.ok(flagged.every((p) => /^icmp type 3 code \d+/.test(p.ports)));
    // DNS with a few port-unreachable answers mixed in is no such pair
    assert.equal(isIcmpErrorPair(a.pairs.find((p) => p.dst === '67.207.67.2')!), false);
    assert.ok(a.notes.some((n) => n.startsWith('12 of 22 listed pairs are ICMP error messages only (port unreachable, time exceeded…)')), a.notes.join('\n'));
    const second = a.pairs[1];
    assert.deepEqual([second.dst, second.severity], ['95.214.53.134', 'medium']);
    assert.match(beaconPairDetail(second, 1, 'UTC').fields.find((f) => f.label === 'Note')?.value ?? '', /^ICMP error messages only: usually this source answering packets the destination sent it/);
    assert.equal(beaconPairDetail(a.pairs[0], 0, 'UTC').fields.some((f) => f.label === 'Note'), false);
    const c = io();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.pairs.filter((p: { icmpErrorsOnly: boolean }) => p.icmpErrorsOnly).length, 12);
    assert.deepEqual([j.pairs[0].icmpErrorsOnly, j.pairs[1].icmpErrorsOnly], [false, true]);
  });

  it('dashboard model and pair detail with its three charts', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const m = buildBeaconDashboard(a, 'day', 'Europe/Berlin');
    assert.equal(m.kind, 'beacons');
    assert.equal(m.totalRows, 22);
    assert.deepEqual(m.cards.filter((c) => ['records', 'pairs', 'high'].includes(c.id)).map((c) => c.value), [31367, 22, 1]);
    const d = beaconPairDetail(a.pairs[0], 0, 'Europe/Berlin');
    assert.deepEqual(d.charts!.map((c) => c.id), ['intervals', 'hourly', 'sizes']);
    assert.equal(d.charts![1].values.reduce((s, v) => s + v, 0), 42);
    assert.equal(d.charts![1].labels[0], '04-19 02:00'); // window start 00:00 UTC in Berlin (CEST); spans two local dates
    assert.ok(d.fields.some((f) => f.label === 'First seen (Europe/Berlin)' && f.value === '2024-04-19 02:13:05'));
    assert.deepEqual(d.actions!.map((x) => x.id), ['safelist-pair', 'safelist-destination']);
  });
});

describe('real Zeek JSON logs', () => {
  it('29 conn records, 10 http records joined by uid; no pair reaches 4 distinct timestamps', async () => {
    const a = await runBeaconAnalysis([path.join(ZEEK, 'json')], { internalSubnets: [] });
    assert.deepEqual(a.files.map((f) => [path.basename(f.file), f.role, f.records]), [
      ['http.log', 'host', 10],
      ['conn.log', 'conn', 29],
    ]);
    assert.equal(a.summary.records, 29);
    assert.equal(a.summary.pairsSeen, 20);
    assert.equal(a.summary.pairs, 0);
  });
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } };
}

describe('soc-analytics beacons (CLI)', () => {
  it('--json on the whole zeek folder with --internal: summary, pairs sorted by score, strobes, errors', async () => {
    const c = io();
    const code = await main(['beacons', ZEEK, '--internal', '64.225.56.201/32', '--json'], c.io);
    assert.equal(code, 0, c.err.join(''));
    const j = JSON.parse(c.out.join(''));
    assert.deepEqual(
      { records: j.summary.records, pairs: j.summary.pairs, windowStart: j.summary.windowStart, windowEnd: j.summary.windowEnd, unparsedLines: j.summary.unparsedLines },
      { records: 31367 + 29, pairs: 22, windowStart: '2024-04-19T00:00:00Z', windowEnd: '2024-04-19T23:51:36Z', unparsedLines: 0 },
    );
    assert.equal(j.pairs.length, 22);
    assert.deepEqual(Object.keys(j.pairs[0]).slice(0, 11), ['type', 'src', 'dst', 'fqdn', 'count', 'bytes', 'score', 'tsScore', 'dsScore', 'durScore', 'histScore']);
    assert.deepEqual([j.pairs[0].src, j.pairs[0].dst, j.pairs[0].score, j.pairs[0].severity], ['64.225.56.201', '91.189.91.157', 1, 'high']);
    for (let i = 1; i < j.pairs.length; i++) assert.ok(j.pairs[i - 1].score >= j.pairs[i].score);
    assert.deepEqual(j.strobes, []);
    assert.deepEqual(j.errors, []);
  });

  it('--algorithm rita-legacy --min-score 0.8', async () => {
    const c = io();
    assert.equal(await main(['beacons', DAY, '--internal=64.225.56.201/32', '--algorithm', 'rita-legacy', '--min-score', '0.8', '--json'], c.io), 0);
    const j = JSON.parse(c.out.join(''));
    assert.equal(j.summary.algorithm, 'rita-legacy');
    assert.deepEqual(j.pairs.map((p: { dst: string }) => p.dst), ['91.189.91.157', '139.99.17.77', '95.214.53.134']);
    // no severity bands for the legacy score: n/a, no threat score, no band counts (were high/medium by v5's bands)
    assert.deepEqual(j.pairs.map((p: { severity: string; threat: number | null }) => [p.severity, p.threat]), [['n/a', null], ['n/a', null], ['n/a', null]]);
    assert.deepEqual([j.summary.high, j.summary.medium, j.summary.low], [null, null, null]);
  });

  it('text report and exit code 2 for bad arguments or paths', async () => {
    const c = io();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32'], c.io), 0);
    assert.match(c.out.join(''), /Beacons \(rita-v5\): 24 files, 31,367 records/);
    assert.match(c.out.join(''), /1\.000 +1\.000 +1\.000 +1\.000 +1\.000 +42 +6,384 +High +64\.225\.56\.201 +91\.189\.91\.157/);
    assert.match(c.out.join(''), /^Beacons \(rita-v5\): 24 files, 31,367 records \(29,541 left out, see below\), 362 pairs, 22 scored, 0 strobes\n/);
    // a file that is not a connection log is named with the reason, in the text and in --json
    const q = path.join(ZEEK, '../qradar/samples/offenses.json');
    const k = io();
    assert.equal(await main(['beacons', q], k.io), 3); // nothing to analyze: exit 3
    assert.ok(k.out.join('').endsWith(`1 file skipped:\n  ${q}: not a Zeek log, CSV or JSON-lines file\n`), k.out.join(''));
    const kj = io();
    assert.equal(await main(['beacons', q, '--json'], kj.io), 3);
    assert.deepEqual(JSON.parse(kj.out.join('')).skipped, [{ file: q, reason: 'not a Zeek log, CSV or JSON-lines file' }]);
    // a Markdown file (its first line a `# heading`) is no Zeek log: it was skipped as "Zeek sources log" (trial)
    const md = path.join(ZEEK, '../qradar/public/SOURCES.md');
    const mj = io();
    assert.equal(await main(['beacons', md, '--json'], mj.io), 3);
    assert.deepEqual(JSON.parse(mj.out.join('')).skipped, [{ file: md, reason: 'not a Zeek log, CSV or JSON-lines file' }]);
    // --min-score lists fewer pairs than were scored: the header says how many are listed
    const m = io();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32', '--min-score', '0.8'], m.io), 0);
    assert.match(m.out.join(''), /^Beacons \(rita-v5\): 24 files, 31,367 records \(29,541 left out, see below\), 362 pairs, 22 scored \(4 listed: score ≥ the minimum\), 0 strobes\n/);
    for (const bad of [
      ['beacons'],
      ['beacons', '/no/such/dir'],
      ['beacons', DAY, '--algorithm', 'rita-v9'],
      ['beacons', DAY, '--min-score', '2'],
      ['beacons', DAY, '--internal', '10.0.0.0/99'],
      ['beacons', DAY, '--map', 'foo=bar'],
      ['beacons', DAY, '--bogus'],
    ]) {
      const e = io();
      assert.equal(await main(bad, e.io), 2, bad.join(' '));
      assert.ok(e.err.join('').length > 0);
    }
  });
});

describe('records at an implausible time (hostile review)', () => {
  it('a record at ts 1e20, in the year 2100 or at ts 0 is left out as implausible-time; every real pair is scored as without it', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const base = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    assert.ok(base.summary.pairs > 0);
    const top = base.pairs[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-time-'));
    try {
      const head = [
        '#separator \\x09',
        '#set_separator\t,',
        '#empty_field\t(empty)',
        '#unset_field\t-',
        '#path\tconn',
        '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
        '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
      ];
      const rec = (ts: string) => [ts, 'Cx', top.src, '50000', top.dst, '443', 'tcp', 'ssl', '0.1', '76', '0', 'SF', 'T', 'F', '0', 'ShADadFf', '5', '76', '5', '0', '-'].join('\t');
      fs.writeFileSync(path.join(dir, 'conn.extra.log'), [...head, rec('100000000000000000000'), rec('4102444800.000000'), rec('0.000000'), ''].join('\n'));
      const a = await runBeaconAnalysis([DAY, dir], { internalSubnets: SENSOR, parseWorkers: 0 });
      assert.equal(a.filtered['implausible-time'], 3);
      assert.equal(a.summary.records, base.summary.records + 3);
      assert.deepEqual(a.pairs, base.pairs);
      assert.match(beaconsTextReport(a, 'UTC'), /3 time before 1990 or after now \(\+1 day\): it would move the observation window/);
      assert.ok(!a.notes.some((n) => /older than the observation window/.test(n)), 'no window note when every pair is scored');
      // --json says why records were left out, per reason
      const out: string[] = [];
      assert.equal(await main(['beacons', DAY, dir, '--internal', SENSOR[0], '--json'], { stdout: (t) => out.push(t), stderr: () => {} }), 0);
      assert.deepEqual(JSON.parse(out.join('')).summary.filtered, a.filtered);
      assert.equal(a.filtered['implausible-time'], 3);
      // a plausible but stray record 30 days ago, long after the real day: nothing is scored, and a note says why
      const stray = ((Date.now() - 30 * 86_400_000) / 1000).toFixed(6);
      fs.writeFileSync(path.join(dir, 'conn.extra.log'), [...head, rec(stray), ''].join('\n'));
      const late = await runBeaconAnalysis([DAY, dir], { internalSubnets: SENSOR, parseWorkers: 0 });
      assert.equal(late.summary.pairs, 0);
      const kept = late.summary.records - late.summary.filteredRecords;
      assert.ok(
        late.notes.some(
          (n) =>
            n.startsWith(`${(kept - 1).toLocaleString('en-US')} of ${kept.toLocaleString('en-US')} kept records (2024-04-19T00:00:00Z – 2024-04-19T23:51:36Z) are older than the observation window ${new Date(late.summary.windowStart).toISOString().replace('.000Z', 'Z')} – ${new Date(late.summary.windowEnd).toISOString().replace('.000Z', 'Z')}: as in RITA, the window ends at the latest record and starts at most 24 hours earlier, so they were not scored;`) &&
            n.endsWith('; if a few stray records with later times set that window, remove them from the input'),
        ),
        JSON.stringify(late.notes),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the detail pane writes counts and bytes as the table does (UI trial)', () => {
  it('grouped thousands in Connections and Bytes', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    const p = a.pairs.find((x) => x.bytes >= 1000)!;
    const fields = Object.fromEntries(beaconPairDetail(p, 0, 'UTC').fields.map((f) => [f.label, f.value]));
    assert.equal(fields['Bytes (both ways)'], p.bytes.toLocaleString('en-US'));
    assert.match(fields['Bytes (both ways)'], /^\d{1,3}(,\d{3})+$/);
    assert.equal(fields['Connections'], p.count.toLocaleString('en-US'));
    // the score sections and the size chart's labels too
    const q = a.pairs.find((x) => x.dsMode >= 1000)!;
    const d = beaconPairDetail(q, 0, 'UTC');
    const ds = d.sections.find((x) => x.title === 'Data-size score')!.fields.find((f) => f.label === 'Most common size (bytes)')!;
    assert.equal(ds.value, q.dsMode.toLocaleString('en-US'));
    assert.match(ds.value, /,/);
    assert.ok(d.charts!.find((c) => c.id === 'sizes')!.labels.some((l) => /^\d{1,3}(,\d{3})+ B$/.test(l)));
  });
});

describe('the Beacons table opens in its order with the sort arrow (UI review)', () => {
  it('defaultSort is score descending, the order the pairs are listed in', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    assert.deepEqual(m.defaultSort, { column: 'score', dir: 'desc' });
    assert.ok(m.columns.some((c) => c.id === 'score'));
    assert.ok(a.pairs.length > 10);
    assert.ok(a.pairs.every((p, i) => i === 0 || a.pairs[i - 1].score >= p.score));
  });
});

describe('severity and records left out read at a glance (UI trial)', () => {
  it('the Severity line names the band and the beacon score; RITA\'s threat score has its own line saying what it is; the card and the CLI say "left out"', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    const p = a.pairs[0];
    const fields = beaconPairDetail(p, 0, 'UTC').fields;
    const sev = fields.find((f) => f.label === 'Severity')!.value;
    const band = p.severity.charAt(0).toUpperCase() + p.severity.slice(1);
    assert.equal(sev, `${band} — from the beacon score ${p.score.toFixed(3)}`);
    // UI trial: "beacon score 1.000 (RITA beacon threat score 0.80)" beside a table Score of 1.000 — which is which?
    assert.equal(p.severity, 'high');
    const threat = fields.find((f) => f.label === 'RITA threat score (0–0.8)')!.value;
    assert.equal(threat, `${p.threat.toFixed(2)} — the beacon score mapped onto RITA's threat scale, at most 0.8 (High: 0.6–0.8); not the Score column`);
    const card = buildBeaconDashboard(a, 'day', 'UTC').cards.find((c) => c.id === 'filtered')!;
    assert.equal(card.label, 'Records left out');
    assert.equal(card.tab, 'filtered');
    assert.ok(a.summary.filteredRecords > 1000);
    const text = beaconsTextReport(a, 'UTC');
    assert.ok(text.includes(`(${a.summary.filteredRecords.toLocaleString('en-US')} left out, see below)`), text.split('\n')[0]);
    assert.doesNotMatch(text, /\d filtered\)/);
  });
});
