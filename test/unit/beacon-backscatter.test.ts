/**
 * Beacons: pairs that never carried data (new-user trial, senior SOC analyst, HIGH): on the real Zeek day
 * (shared/data/zeek/day-2024-04-19, sensor 64.225.56.201) the pair → 139.99.17.77 was Medium 0.849 ("HTTPS") and
 * → 15.235.202.240 Low 0.666, yet every one of their 33 / 8 connections is `conn_state` RSTO, history `^hR`, 0 payload
 * bytes: the sensor resetting SYN-ACKs it never asked for (backscatter of scans spoofing its address). Nothing said
 * so. The flag (`exchange` / `neverCarriedData`, parse/zeek.ts `exchangeClass`) is informational: RITA's score is
 * unchanged. Expected pairs were checked on the raw logs with zcat + awk (every record of the pair: conn_state not
 * SF/S1/S2/S3, no D/d in history, orig_bytes/resp_bytes 0 or unset): exactly these four of the listed 22.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { neverCarriedData, type BeaconAnalysis } from '../../src/core/analyze/beacons/analyze';
import { beaconColumns, beaconPairDetail } from '../../src/core/analyze/beacons/dashboard';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { connStateKind, EXCHANGE_DATA, EXCHANGE_QUIET, EXCHANGE_QUIET_FLIPPED, EXCHANGE_UNKNOWN, exchangeClass, historyKind, payloadCount } from '../../src/core/parse/zeek';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');
const BACKSCATTER = ['139.99.17.77', '15.235.202.240', '185.89.60.58', '198.251.88.32'];

const flagged = (a: BeaconAnalysis) => a.pairs.filter((p) => neverCarriedData(p) === true).map((p) => p.dst);
const byDst = (a: BeaconAnalysis, dst: string) => a.pairs.find((p) => p.dst === dst)!;

describe('exchangeClass: what one Zeek conn record exchanged', () => {
  const cls = (state: string, history: string, ob: unknown, rb: unknown) => exchangeClass(connStateKind(state), historyKind(history), payloadCount(ob), payloadCount(rb));
  it('backscatter (flipped, ^) and refused or unanswered attempts are quiet; payload or an open session is data; without a state or a history/byte counts: unknown', () => {
    assert.equal(cls('RSTO', '^hR', '0', '0'), EXCHANGE_QUIET_FLIPPED); // the trial's pairs (since 2026-12-07 told apart from attempts)
    assert.equal(cls('OTH', '^aR', '0', '0'), EXCHANGE_QUIET_FLIPPED);
    assert.equal(cls('SHR', '^hf', '', ''), EXCHANGE_QUIET_FLIPPED); // one packet: Zeek leaves the byte counts unset
    assert.equal(cls('REJ', 'Sr', '0', '0'), EXCHANGE_QUIET);
    assert.equal(cls('S0', 'S', '', ''), EXCHANGE_QUIET);
    assert.equal(cls('SF', 'ShADadFf', '669', '134126'), EXCHANGE_DATA);
    assert.equal(cls('SF', 'ShAFf', '0', '0'), EXCHANGE_DATA, 'an open session without payload (a connect-and-close can be the signal)');
    assert.equal(cls('S1', 'ShA', '0', '0'), EXCHANGE_DATA);
    assert.equal(cls('RSTO', 'ShADR', '0', '0'), EXCHANGE_DATA, 'a payload packet in history');
    assert.equal(cls('RSTO', '^hR', '0', '12'), EXCHANGE_DATA, 'payload bytes');
    assert.equal(cls('S0', 'D', '', ''), EXCHANGE_DATA, 'a UDP datagram with payload, no reply');
    assert.equal(cls('OTH', '', '', ''), EXCHANGE_UNKNOWN, 'a lone ICMP message: no history, no byte counts');
    assert.equal(cls('', '^hR', '0', '0'), EXCHANGE_UNKNOWN, 'no conn_state');
    assert.equal(cls('OTH', '', '0', '0'), EXCHANGE_QUIET);
    assert.equal(cls('OTH', '', 'x', '0'), EXCHANGE_UNKNOWN, 'an unreadable count says nothing');
  });
});

describe('the real Zeek day: pairs that never carried data', () => {
  it('exactly the four backscatter pairs are flagged (scores unchanged); NTP, DNS, Cloudflare are not; ICMP-only pairs unknown', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    assert.deepEqual(flagged(a), BACKSCATTER);
    const rst = byDst(a, '139.99.17.77');
    assert.deepEqual([rst.score, rst.severity, rst.count, rst.ports], [0.849, 'medium', 33, '443/tcp']);
    assert.deepEqual([byDst(a, '15.235.202.240').score, byDst(a, '15.235.202.240').severity], [0.666, 'low']);
    for (const dst of ['91.189.91.157', '67.207.67.2', '67.207.67.3', '104.19.173.68', '104.19.174.68', '185.125.188.59']) assert.equal(neverCarriedData(byDst(a, dst)), false, dst);
    // lone ICMP messages: Zeek writes no history and no byte counts for them (flagged as icmpErrorsOnly instead)
    assert.equal(neverCarriedData(byDst(a, '95.214.53.134')), undefined);
    assert.ok(a.notes.some((n) => n.startsWith('4 of 22 listed pairs never carried data: ') && /4 backscatter: Zeek flipped .* not a beacon/.test(n) && !/own attempts/.test(n)), a.notes.join('\n'));
    // the parse workers give the same flags
    const pooled = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 2, parseWorkerBundle: ENTRY });
    assert.deepEqual(pooled.pairs.map((p) => p.exchange), a.pairs.map((p) => p.exchange));
  });

  it('detail pane, table column, text report and --json say so', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const i = a.pairs.findIndex((p) => p.dst === '139.99.17.77');
    const notes = beaconPairDetail(a.pairs[i], i, 'UTC').fields.filter((f) => f.label === 'Note').map((f) => f.value);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^Backscatter: .*flipped .* not a beacon/);
    assert.equal(beaconPairDetail(a.pairs[0], 0, 'UTC').fields.some((f) => f.label === 'Note'), false, 'the NTP pair has no note');
    const col = beaconColumns('UTC').find((c) => c.id === 'noData')!;
    assert.deepEqual([col.get(a.pairs[i]), col.get(a.pairs[0]), col.get(a.pairs[1])], ['yes', 'no', '']);
    const text = beaconsTextReport(a, 'UTC');
    assert.match(text, /64\.225\.56\.201  139\.99\.17\.77     HTTPS                  Backscatter +443\/tcp$/m);
    assert.match(text, /^Note: 4 of 22 listed pairs never carried data/m);
    const c = capture();
    assert.equal(await main(['beacons', DAY, '--internal', '64.225.56.201/32', '--json'], c.io), 0);
    const j = JSON.parse(c.out()) as { pairs: { dst: string; neverCarriedData: boolean | null }[] };
    assert.deepEqual(j.pairs.filter((p) => p.neverCarriedData === true).map((p) => p.dst), BACKSCATTER);
    assert.equal(j.pairs.find((p) => p.dst === '95.214.53.134')!.neverCarriedData, null);
    assert.equal(j.pairs.find((p) => p.dst === '91.189.91.157')!.neverCarriedData, false);
  });
});

describe('synthetic inputs', () => {
  const HEAD = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes'];
  const T0 = 1713484800;
  const line = (k: number, state: string, history: string, ob: string, rb: string) =>
    [`${T0 + 600 * k}.5`, `C${k}`, '10.0.0.5', '443', '198.51.100.9', String(40000 + k), 'tcp', '-', '0.1', ob, rb, state, '0', history, '1', '40', '1', '40'].join('\t');
  const tmp = (name: string, text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-'));
    fs.writeFileSync(path.join(dir, name), text);
    return dir;
  };
  const resets = Array.from({ length: 12 }, (_, k) => line(k, 'RSTO', '^hR', '0', '0'));

  it('Zeek TSV: all resets → flagged; one connection with data among them → not flagged (byte path and string path)', async () => {
    const quiet = await runBeaconAnalysis([tmp('conn.log', [...HEAD, ...resets, ''].join('\n'))], { parseWorkers: 0 });
    assert.equal(quiet.pairs.length, 1);
    assert.equal(neverCarriedData(quiet.pairs[0]), true);
    const mixed = [...resets];
    mixed[6] = line(6, 'SF', 'ShADadFf', '517', '4096');
    const one = await runBeaconAnalysis([tmp('conn.log', [...HEAD, ...mixed, ''].join('\n'))], { parseWorkers: 0 });
    assert.equal(neverCarriedData(one.pairs[0]), false);
    assert.equal(one.pairs[0].score, quiet.pairs[0].score, 'the score reads orig_ip_bytes only: unchanged');
    // a non-ASCII byte in a comment line sends the file down the string path: same flags
    const latin = [...HEAD.slice(0, 5), '#comment\tcafé', ...HEAD.slice(5)];
    const s1 = await runBeaconAnalysis([tmp('conn.log', [...latin, ...resets, ''].join('\n'))], { parseWorkers: 0 });
    const s2 = await runBeaconAnalysis([tmp('conn.log', [...latin, ...mixed, ''].join('\n'))], { parseWorkers: 0 });
    assert.deepEqual([neverCarriedData(s1.pairs[0]), neverCarriedData(s2.pairs[0])], [true, false]);
  });

  it('Zeek JSON: the same fields read', async () => {
    const obj = (k: number, state: string, history: string, ob: number) => JSON.stringify({ _path: 'conn', ts: T0 + 600 * k, uid: `C${k}`, 'id.orig_h': '10.0.0.5', 'id.orig_p': 443, 'id.resp_h': '198.51.100.9', 'id.resp_p': 40000 + k, proto: 'tcp', orig_bytes: ob, resp_bytes: 0, conn_state: state, history, orig_ip_bytes: 40, resp_ip_bytes: 40 });
    const rows = Array.from({ length: 12 }, (_, k) => obj(k, 'RSTO', '^hR', 0));
    const a = await runBeaconAnalysis([tmp('conn.json', rows.join('\n') + '\n')], { parseWorkers: 0 });
    assert.equal(neverCarriedData(a.pairs[0]), true);
    rows[3] = obj(3, 'RSTO', '^hR', 20);
    const b = await runBeaconAnalysis([tmp('conn.json', rows.join('\n') + '\n')], { parseWorkers: 0 });
    assert.equal(neverCarriedData(b.pairs[0]), false);
  });

  it('a connection CSV without conn_state/history: unknown (never true), even with zero bytes; --json null', async () => {
    const csv = ['timestamp,src_ip,dst_ip,dst_port,bytes_sent,bytes_received,protocol', ...Array.from({ length: 12 }, (_, k) => `${new Date((T0 + 600 * k) * 1000).toISOString()},10.0.0.5,198.51.100.9,443,0,0,tcp`)].join('\n') + '\n';
    const dir = tmp('flows.csv', csv);
    const a = await runBeaconAnalysis([dir], { parseWorkers: 0 });
    assert.equal(a.pairs.length, 1);
    assert.equal(neverCarriedData(a.pairs[0]), undefined);
    assert.ok(!a.notes.some((n) => /never carried data/.test(n)));
    const c = capture();
    assert.equal(await main(['beacons', dir, '--json'], c.io), 0);
    assert.equal(JSON.parse(c.out()).pairs[0].neverCarriedData, null);
  });
});
