/**
 * Beacons: backscatter told apart from an internal host's own attempts without data (senior network-security review,
 * 2026-12-07). The Traffic label 'no-data' ("never carried data": every record's conn_state other than SF/S1/S2/S3, no
 * D/d in history, 0 payload bytes) lumped together
 * (a) backscatter — Zeek flipped the direction (`^` in history: the "source" only answered). On the real day
 *     (shared/data/zeek/day-2024-04-19, internal 64.225.56.201/32) the 4 such pairs are all of this kind, checked on
 *     the raw logs (zcat conn.*.gz | awk '$4=="64.225.56.201"' on the pair's destination, fields conn_state history
 *     orig_bytes resp_bytes): 139.99.17.77 33 × `RSTO ^hR 0 0`, 15.235.202.240 8 × `RSTO ^hR 0 0`, 185.89.60.58
 *     5 × `OTH ^aR 0 0` (ports 80, 443), 198.251.88.32 5 × `OTH ^aR 0 0`;
 * (b) an internal host's own attempts refused or unanswered (S0 `S`, REJ `Sr`, no `^`) — exactly what a beacon to a C2
 *     server that is down or sinkholed looks like — which the card "Pairs that exchanged data" hid as a scan artefact.
 * Now (a) is 'backscatter' ("Backscatter", hidden by the card "Pairs without scan artefacts") and (b) stays 'no-data'
 * ("No data exchanged", not hidden). RITA's scores are unchanged.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { isBackscatter, neverCarriedData, type BeaconAnalysis } from '../../src/core/analyze/beacons/analyze';
import { beaconColumns, beaconPairDetail, buildBeaconDashboard, pairTraffic, serviceCell, TRAFFIC_HIDE_ARTEFACTS } from '../../src/core/analyze/beacons/dashboard';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { TableStore } from '../../src/core/table/store';
import { backscatterOf, connStateKind, EXCHANGE_DATA, EXCHANGE_QUIET, EXCHANGE_QUIET_FLIPPED, EXCHANGE_UNKNOWN, exchangeClass, historyKind, payloadCount } from '../../src/core/parse/zeek';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');
const BACKSCATTER = ['139.99.17.77', '15.235.202.240', '185.89.60.58', '198.251.88.32'];

// the real day's header (conn.00:00:00-01:00:00.log.gz, with its _node_name column)
const HEAD = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-04-19-00-00-01',
  '#fields\t_node_name\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\tstring\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
];
const T0 = 1713484800; // 2024-04-19 00:00 UTC
const HOST = '10.20.30.40';
const C2 = '203.0.113.50';
const SPOOFED = '198.51.100.7';
/** One conn line of the real layout. */
const conn = (ts: number, uid: string, oh: string, op: number, rh: string, rp: number, dur: string, ob: string, rb: string, state: string, history: string, opk: number, oip: number, rpk: number, rip: number) =>
  ['worker-eth0-1', ts.toFixed(6), uid, oh, String(op), rh, String(rp), 'tcp', '-', dur, ob, rb, state, 'T', 'F', '0', history, String(opk), String(oip), String(rpk), String(rip), '-'].join('\t');
/**
 * 6 h of an internal host's attempts to one address every 60 s (+ a few ms of jitter): odd minutes unanswered (S0 `S`,
 * 2 SYNs), even minutes refused (REJ `Sr`); and, when `flipped`, the same host's resets of SYN-ACKs from a spoofed-scan
 * victim every 60 s (RSTO `^hR`: backscatter), as on the real day.
 */
function attemptsLog(flipped = true): string {
  const lines = [...HEAD];
  for (let k = 0; k < 360; k++) {
    const ts = T0 + 60 * k + (k % 7) * 0.003;
    lines.push(k % 2 ? conn(ts, `CA${k}`, HOST, 40000 + k, C2, 443, '3.002', '0', '0', 'S0', 'S', 2, 120, 0, 0) : conn(ts, `CA${k}`, HOST, 40000 + k, C2, 443, '0.000071', '0', '0', 'REJ', 'Sr', 1, 60, 1, 40));
    if (flipped) lines.push(conn(ts + 20, `CB${k}`, HOST, 443, SPOOFED, 50000 + k, '0.000050', '0', '0', 'RSTO', '^hR', 1, 40, 1, 40));
  }
  lines.push('#close\t2024-04-19-06-00-00', '');
  return lines.join('\n');
}
const dirOf = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flip-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
};
const byDst = (a: BeaconAnalysis, dst: string) => a.pairs.find((p) => p.dst === dst)!;

describe('exchangeClass: a quiet record flipped by Zeek (^) is EXCHANGE_QUIET_FLIPPED', () => {
  const cls = (state: string, history: string, ob: unknown, rb: unknown) => exchangeClass(connStateKind(state), historyKind(history), payloadCount(ob), payloadCount(rb));
  it('RSTO ^hR, OTH ^aR, SHR ^hf flipped; S0 S, REJ Sr not; data and unknown as before', () => {
    assert.deepEqual([cls('RSTO', '^hR', '0', '0'), cls('OTH', '^aR', '0', '0'), cls('SHR', '^hf', '', '')], [EXCHANGE_QUIET_FLIPPED, EXCHANGE_QUIET_FLIPPED, EXCHANGE_QUIET_FLIPPED]);
    assert.deepEqual([cls('S0', 'S', '0', '0'), cls('REJ', 'Sr', '0', '0'), cls('S0', 'S', '', '')], [EXCHANGE_QUIET, EXCHANGE_QUIET, EXCHANGE_QUIET]);
    assert.equal(cls('SF', '^hADadFf', '10', '20'), EXCHANGE_DATA);
    assert.equal(cls('', '^hR', '0', '0'), EXCHANGE_UNKNOWN);
  });
  it('backscatterOf a pair: every quiet record flipped → true; one own attempt among them → false; data → false; unknown → undefined', () => {
    assert.equal(backscatterOf(EXCHANGE_QUIET_FLIPPED), true);
    assert.equal(backscatterOf(EXCHANGE_QUIET_FLIPPED | EXCHANGE_QUIET), false);
    assert.equal(backscatterOf(EXCHANGE_QUIET), false);
    assert.equal(backscatterOf(EXCHANGE_QUIET_FLIPPED | EXCHANGE_DATA), false);
    assert.equal(backscatterOf(EXCHANGE_QUIET_FLIPPED | EXCHANGE_UNKNOWN), undefined);
    assert.equal(backscatterOf(0), undefined);
  });
});

describe('the real Zeek day: the 4 pairs without data are backscatter', () => {
  it('in-thread and parse workers: exactly the 4, each "Backscatter"; scores unchanged', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    assert.deepEqual(a.pairs.filter((p) => isBackscatter(p) === true).map((p) => p.dst), BACKSCATTER);
    assert.deepEqual(a.pairs.filter((p) => pairTraffic(p) === 'backscatter').map((p) => p.dst), BACKSCATTER);
    assert.equal(a.pairs.filter((p) => pairTraffic(p) === 'no-data').length, 0);
    for (const dst of BACKSCATTER) assert.equal(byDst(a, dst).exchange, EXCHANGE_QUIET_FLIPPED, dst);
    assert.deepEqual([byDst(a, '139.99.17.77').score, byDst(a, '139.99.17.77').severity, byDst(a, '15.235.202.240').score], [0.849, 'medium', 0.666]);
    const pooled = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 2, parseWorkerBundle: ENTRY });
    assert.deepEqual(pooled.pairs.map((p) => [p.dst, p.exchange, pairTraffic(p)]), a.pairs.map((p) => [p.dst, p.exchange, pairTraffic(p)]));
  });
});

describe("an internal host's own attempts (S0/REJ every 60 s to one address) stay visible", () => {
  it('"No data exchanged", not backscatter; the flipped pair beside it is; scored as before (the label reads no score)', async () => {
    const dir = dirOf({ 'conn.00:00:00-06:00:00.log': attemptsLog() });
    const a = await runBeaconAnalysis([dir], { parseWorkers: 0 });
    const c2 = byDst(a, C2);
    const bs = byDst(a, SPOOFED);
    assert.deepEqual([neverCarriedData(c2), isBackscatter(c2), pairTraffic(c2)], [true, false, 'no-data']);
    assert.deepEqual([neverCarriedData(bs), isBackscatter(bs), pairTraffic(bs)], [true, true, 'backscatter']);
    const col = beaconColumns('UTC').find((c) => c.id === 'traffic')!;
    assert.deepEqual([col.get(c2), col.get(bs)], ['No data exchanged', 'Backscatter']);
    assert.deepEqual([serviceCell(c2), serviceCell(bs)], ['HTTPS · no data', 'backscatter']);
    // RITA v5 on 360 connections 60 s apart: a beacon (the same values as before the split)
    assert.deepEqual([c2.count, c2.score, c2.severity, c2.ports], [360, 0.958, 'high', '443/tcp']);
    // the same log with the attempts' histories flipped: the same score (the label is not part of it)
    const flippedDir = dirOf({ 'conn.00:00:00-06:00:00.log': attemptsLog().replace(/\tS0\tT\tF\t0\tS\t/g, '\tS0\tT\tF\t0\t^S\t').replace(/\tREJ\tT\tF\t0\tSr\t/g, '\tREJ\tT\tF\t0\t^Sr\t') });
    const f = byDst(await runBeaconAnalysis([flippedDir], { parseWorkers: 0 }), C2);
    assert.deepEqual([pairTraffic(f), f.score, f.severity], ['backscatter', c2.score, c2.severity]);
    const d = beaconPairDetail(c2, a.pairs.indexOf(c2), 'UTC').fields.find((x) => x.label === 'Note')!;
    assert.match(d.value, /^Never carried data: .*own attempts .*refused or unanswered .*C2 server that is down/);
  });

  it('the card hides the backscatter, not the attempts; its tooltip counts each kind and says the attempts stay', async () => {
    const dir = dirOf({ 'conn.00:00:00-06:00:00.log': attemptsLog() });
    const a = await runBeaconAnalysis([dir], { parseWorkers: 0 });
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    const card = m.cards.find((c) => c.id === 'noArtefacts')!;
    assert.deepEqual([card.label, card.value], ['Pairs without scan artefacts', a.pairs.length - 1]);
    assert.match(card.hint ?? '', /^Hides the 1 of the 2 listed pairs .*: 1 backscatter .* The 1 pair "No data exchanged" .* stays\./);
    const store = new TableStore(a.pairs, beaconColumns('UTC'));
    assert.deepEqual(store.matching({ facets: { traffic: TRAFFIC_HIDE_ARTEFACTS } }).map((i) => a.pairs[i].dst), [C2]);
    // only attempts: nothing to hide, no card
    const only = await runBeaconAnalysis([dirOf({ 'conn.log': attemptsLog(false) })], { parseWorkers: 0 });
    assert.equal(buildBeaconDashboard(only, 'day', 'UTC').cards.some((c) => c.id === 'noArtefacts'), false);
    // the note tells both kinds apart
    assert.ok(a.notes.some((n) => n.startsWith('2 of 2 listed pairs never carried data: ') && /1 backscatter: .* 1 the source's own attempts, refused or unanswered/.test(n)), a.notes.join('\n'));
  });

  it('parse workers, the string path (a non-ASCII comment) and Zeek JSON agree with the byte path', async () => {
    // two hourly files: the pool reads them in its workers
    const lines = attemptsLog().split('\n');
    const body = lines.filter((l) => !l.startsWith('#') && l !== '');
    const half = body.length / 2;
    const files = { 'conn.00:00:00-03:00:00.log': [...HEAD, ...body.slice(0, half), ''].join('\n'), 'conn.03:00:00-06:00:00.log': [...HEAD, ...body.slice(half), ''].join('\n') };
    const a = await runBeaconAnalysis([dirOf(files)], { parseWorkers: 0 });
    const pooled = await runBeaconAnalysis([dirOf(files)], { parseWorkers: 2, parseWorkerBundle: ENTRY });
    const key = (x: BeaconAnalysis) => x.pairs.map((p) => [p.dst, p.exchange, pairTraffic(p), p.score]);
    assert.deepEqual(key(a), [[SPOOFED, EXCHANGE_QUIET_FLIPPED, 'backscatter', 1], [C2, EXCHANGE_QUIET, 'no-data', 0.958]]);
    assert.deepEqual(key(pooled), key(a));
    const latin = [...HEAD.slice(0, 5), '#comment\tcafé', ...HEAD.slice(5), ...body, ''].join('\n');
    assert.deepEqual(key(await runBeaconAnalysis([dirOf({ 'conn.log': latin })], { parseWorkers: 0 })), key(a));
    const fields = HEAD[6].split('\t').slice(1);
    const json = body.map((l) => {
      const v = l.split('\t');
      const o: Record<string, unknown> = { _path: 'conn' };
      fields.forEach((name, i) => {
        if (v[i] === '-') return;
        o[name] = /^(ts|duration)$/.test(name) ? Number(v[i]) : /_(p|bytes|pkts)$/.test(name) ? Number(v[i]) : v[i];
      });
      return JSON.stringify(o);
    });
    assert.deepEqual(key(await runBeaconAnalysis([dirOf({ 'conn.json': json.join('\n') + '\n' })], { parseWorkers: 0 })), key(a));
  });

  it('CLI: TRAFFIC column and --json traffic, backscatter, neverCarriedData', async () => {
    const dir = dirOf({ 'conn.log': attemptsLog() });
    const a = await runBeaconAnalysis([dir], { parseWorkers: 0 });
    const text = beaconsTextReport(a, 'UTC');
    assert.match(text, /10\.20\.30\.40 +203\.0\.113\.50 +HTTPS +No data exchanged +443\/tcp$/m);
    assert.match(text, /10\.20\.30\.40 +198\.51\.100\.7 +Backscatter +50\d{3}\/tcp/m);
    const c = capture();
    assert.equal(await main(['beacons', dir, '--json'], c.io), 0);
    const j = JSON.parse(c.out()) as { pairs: { dst: string; traffic: string | null; backscatter: boolean | null; neverCarriedData: boolean | null }[] };
    assert.deepEqual(
      j.pairs.map((p) => [p.dst, p.traffic, p.neverCarriedData, p.backscatter]),
      [
        [SPOOFED, 'Backscatter', true, true],
        [C2, 'No data exchanged', true, false],
      ],
    );
  });

  it('the real day through the CLI: --json backscatter true for the 4, false for data, null for ICMP only', async () => {
    const c = capture();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32', '--json'], c.io), 0);
    const j = JSON.parse(c.out()) as { pairs: { dst: string; traffic: string | null; backscatter: boolean | null }[] };
    assert.deepEqual(j.pairs.filter((p) => p.backscatter === true).map((p) => p.dst), BACKSCATTER);
    assert.ok(j.pairs.filter((p) => p.backscatter === true).every((p) => p.traffic === 'Backscatter'));
    assert.equal(j.pairs.find((p) => p.dst === '91.189.91.157')!.backscatter, false);
    assert.equal(j.pairs.find((p) => p.dst === '95.214.53.134')!.backscatter, null);
  });
});
