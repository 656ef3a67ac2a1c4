/**
 * ICMP in the Ports of a beacon pair (src/core/analyze/beacons/icmp.ts): Zeek logs the ICMP type as `id.orig_p` and
 * the code (or, for a request or reply, its counterpart's type) as `id.resp_p`; the dashboard showed `3/icmp`, as if
 * 3 were a port. The real Zeek day (shared/data/zeek/day-2024-04-19) holds 866 ICMP records; its second pair,
 * 64.225.56.201 → 95.214.53.134 (32 connections, medium), is all ICMP type 3 code 3: port unreachable.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { icmpLabel } from '../../src/core/analyze/beacons/icmp';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { readConnColumns } from '../../src/core/analyze/beacons/columns';
import { beaconPairDetail, buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { readZeekFile, sniffInput, type ConnRecord } from '../../src/core/parse/zeek';
import { main } from '../../src/cli/cli';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');
const SENSOR = ['64.225.56.201/32'];
const UNREACHABLE = 'icmp type 3 code 3 (port unreachable)';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-icmp-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('icmpLabel', () => {
  it('a one-way message: type and code, named by its code (IANA)', () => {
    assert.equal(icmpLabel(3, 3, false), 'icmp type 3 code 3 (port unreachable)');
    assert.equal(icmpLabel(3, 13, false), 'icmp type 3 code 13 (communication administratively prohibited)');
    assert.equal(icmpLabel(11, 0, false), 'icmp type 11 code 0 (TTL exceeded in transit)');
    // an unknown code: the type's name; an unknown type: no name
    assert.equal(icmpLabel(3, 99, false), 'icmp type 3 code 99 (destination unreachable)');
    assert.equal(icmpLabel(42, 1, false), 'icmp type 42 code 1');
  });

  it("a request or reply: Zeek's id.resp_p is the counterpart's type, not a code, and is not shown", () => {
    assert.equal(icmpLabel(8, 0, false), 'icmp type 8 (echo request)');
    assert.equal(icmpLabel(0, 8, false), 'icmp type 0 (echo reply)');
    assert.equal(icmpLabel(13, 14, false), 'icmp type 13 (timestamp)');
    // not the counterpart (not from Zeek's ICMP analyzer): the value is shown as the code
    assert.equal(icmpLabel(8, 5, false), 'icmp type 8 code 5 (echo request)');
  });

  it('ICMPv6 (Zeek writes proto icmp for it too): its own types, codes and counterparts', () => {
    assert.equal(icmpLabel(133, 134, true), 'icmpv6 type 133 (router solicitation)');
    assert.equal(icmpLabel(128, 129, true), 'icmpv6 type 128 (echo request)');
    assert.equal(icmpLabel(1, 4, true), 'icmpv6 type 1 code 4 (port unreachable)');
    assert.equal(icmpLabel(3, 0, true), 'icmpv6 type 3 code 0 (hop limit exceeded in transit)');
  });

  it('unset values', () => {
    assert.equal(icmpLabel(NaN, 3, false), 'icmp code 3');
    assert.equal(icmpLabel(8, NaN, false), 'icmp type 8 (echo request)');
    assert.equal(icmpLabel(NaN, NaN, true), 'icmpv6');
  });
});

describe('real Zeek day: ICMP pairs', () => {
  it('in this thread and in 2 parse workers: the port-unreachable pair shows ICMP type 3 code 3, not 3/icmp', async () => {
    for (const parseWorkers of [0, 2]) {
      const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers, parseWorkerBundle: ENTRY });
      const by = (dst: string) => a.pairs.find((p) => p.dst === dst)!;
      assert.deepEqual([by('95.214.53.134').count, by('95.214.53.134').severity, by('95.214.53.134').ports], [32, 'medium', UNREACHABLE]);
      // the sensor's DNS resolver: its DNS queries and the port-unreachable answers to late replies
      assert.equal(by('67.207.67.2').ports, `53/udp, ${UNREACHABLE}`);
      assert.equal(by('91.189.91.157').ports, '123/udp');
      assert.ok(a.pairs.every((p) => !/\d\/icmp/.test(p.ports)), a.pairs.map((p) => p.ports).join(' | '));
    }
  });

  it('the detail and the CLI --json', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const i = a.pairs.findIndex((p) => p.dst === '95.214.53.134');
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    assert.equal(m.columns.find((c) => c.id === 'ports')?.title, 'Ports');
    const d = beaconPairDetail(a.pairs[i], i, 'UTC');
    assert.equal(d.fields.find((f) => f.label === 'Ports')?.value, UNREACHABLE);
    // the CLI's text report: its top pairs' PORTS column (it had none)
    const row = beaconsTextReport(a, 'UTC').split('\n').find((l) => l.includes('95.214.53.134'));
    assert.match(row ?? '', /95\.214\.53\.134 {2,}ICMP errors only {2,}icmp type 3 code 3 \(port unreachable\)$/);
    let out = '';
    const code = await main(['beacons', DAY, '--internal', SENSOR[0], '--json'], { stdout: (s: string) => (out += s), stderr: () => {} } as never);
    assert.equal(code, 0);
    const j = JSON.parse(out) as { pairs: { dst: string; ports: string }[] };
    assert.equal(j.pairs.find((p) => p.dst === '95.214.53.134')?.ports, UNREACHABLE);
  });
});

describe('Zeek readers: the ICMP type of id.orig_p', () => {
  const HEAD = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_ip_bytes\tresp_ip_bytes',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tcount',
  ];
  const T0 = 1713484800;
  // an ICMPv6 echo request every 10 minutes for a day (Zeek: type 128, id.resp_p 129) and an IPv4 pair with TCP
  // 443 and ICMP time exceeded; one line with a non-ASCII uid (the string path of the reader)
  const rows: string[] = [];
  for (let k = 0; k < 144; k++) rows.push(`${T0 + 600 * k}.5\tC6x${k}\tfd00::5\t128\t2001:db8::1\t129\ticmp\t104\t104`);
  for (let k = 0; k < 48; k++) rows.push(`${T0 + 1800 * k}.25\tC4x${k}\t10.0.0.5\t${k % 3 === 0 ? 11 : 51000}\t93.184.216.34\t${k % 3 === 0 ? 0 : 443}\t${k % 3 === 0 ? 'icmp' : 'tcp'}\t120\t300`);
  rows.push(`${T0 + 60}.0\tCé\t10.0.0.5\t3\t93.184.216.34\t13\ticmp\t56\t0`);

  it('TSV (byte and string paths), columns, JSON; the pairs labelled ICMP and ICMPv6, in this thread and in workers', async () => {
    const tsv = path.join(tmp, 'conn.log');
    fs.writeFileSync(tsv, [...HEAD, ...rows, '#close\t2024-04-20-00-00-00', ''].join('\n'));
    const recs: ConnRecord[] = [];
    await readZeekFile(await sniffInput(tsv), { conn: (r) => recs.push({ ...r }) });
    assert.equal(recs.length, 144 + 48 + 1);
    assert.deepEqual([recs[0].proto, recs[0].icmpType, recs[0].dport], ['icmp', 128, 129]);
    assert.deepEqual([recs[144].proto, recs[144].icmpType, recs[144].dport], ['icmp', 11, 0]);
    assert.ok(Number.isNaN(recs[145].icmpType!), 'a TCP record has no ICMP type');
    assert.deepEqual([recs[192].uid, recs[192].icmpType, recs[192].dport], ['Cé', 3, 13]);
    const cols = (await readConnColumns(await sniffInput(tsv))).cols;
    assert.deepEqual([cols.icmpType[0], cols.icmpType[144], cols.icmpType[145], cols.icmpType[192]], [128, 11, -1, 3]);

    const json = path.join(tmp, 'json', 'conn.log');
    fs.mkdirSync(path.dirname(json));
    fs.writeFileSync(json, `{"ts":${T0},"uid":"J1","id.orig_h":"10.0.0.5","id.orig_p":8,"id.resp_h":"93.184.216.34","id.resp_p":0,"proto":"icmp"}\n{"ts":${T0},"uid":"J2","id.orig_h":"10.0.0.5","id.orig_p":51000,"id.resp_h":"93.184.216.34","id.resp_p":443,"proto":"tcp"}\n`);
    const jrecs: ConnRecord[] = [];
    await readZeekFile(await sniffInput(json), { conn: (r) => jrecs.push({ ...r }) });
    assert.deepEqual(jrecs.map((r) => [r.proto, r.icmpType, r.dport]), [['icmp', 8, 0], ['tcp', NaN, 443]]);

    for (const parseWorkers of [0, 2]) {
      const a = await runBeaconAnalysis([tsv], { internalSubnets: ['10.0.0.0/8', 'fd00::/8'], parseWorkers, parseWorkerBundle: ENTRY });
      const ports = Object.fromEntries(a.pairs.map((p) => [p.src, p.ports]));
      assert.deepEqual(ports, {
        'fd00::5': 'icmpv6 type 128 (echo request)',
        '10.0.0.5': '443/tcp, icmp type 11 code 0 (TTL exceeded in transit), icmp type 3 code 13 (communication administratively prohibited)',
      });
    }
  });
});
