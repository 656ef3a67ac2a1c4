/**
 * Beacons: the Service (by port) column and detail field (UI trial 2026-12-06: the only High pair of the real Zeek day
 * was NTP, 123/udp to 91.189.91.157, and the DNS resolvers were Low pairs, with nothing saying these are infrastructure
 * that polls on a timer by design). Real input: shared/data/zeek/day-2024-04-19 with the sensor 64.225.56.201 as the
 * internal subnet.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconPairDetail, buildBeaconDashboard, pairService, pairServiceText } from '../../src/core/analyze/beacons/dashboard';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const SENSOR = ['64.225.56.201/32'];

describe('pairService: the well-known service of the main destination port', () => {
  it('by the first (most frequent) port; infrastructure on a timer marked; other ports, ICMP and prototype keys: none', () => {
    assert.deepEqual(pairService('123/udp'), { name: 'NTP', port: '123/udp', periodic: true });
    assert.deepEqual(pairService('53/udp, 53/tcp'), { name: 'DNS', port: '53/udp', periodic: true });
    assert.deepEqual(pairService('443/tcp, 80/tcp'), { name: 'HTTPS', port: '443/tcp', periodic: false });
    assert.equal(pairService('80/tcp, 443/tcp')?.name, 'HTTP');
    for (const p of ['4444/tcp', '', 'icmp type 3 code 3 (port unreachable)', '__proto__', 'constructor', '123/tcp']) assert.equal(pairService(p), undefined, p);
    assert.equal(pairServiceText('123/udp'), 'NTP (timer by design)');
    assert.equal(pairServiceText('443/tcp'), 'HTTPS');
    assert.equal(pairServiceText('4444/tcp'), '');
  });
});

describe('the real Zeek day: the High NTP pair and the DNS pairs say what they are', () => {
  it('Service column values of the scored pairs; the NTP pair\'s detail says to check the server', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR });
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    const col = m.columns.find((c) => c.id === 'service');
    assert.ok(col, 'no Service column');
    assert.equal(col.title, 'Service (by port)');
    const ntp = a.pairs[0];
    assert.deepEqual([ntp.severity, ntp.dst, ntp.ports], ['high', '91.189.91.157', '123/udp']);
    assert.equal(pairServiceText(ntp.ports), 'NTP (timer by design)');
    const dns = a.pairs.filter((p) => pairService(p.ports)?.name === 'DNS');
    assert.ok(dns.length >= 1, `no DNS pair among ${a.pairs.map((p) => `${p.dst} ${p.ports}`).join('; ')}`);
    const field = beaconPairDetail(ntp, 0, 'UTC').fields.find((f) => f.label === 'Service (by port)');
    assert.equal(field?.value, "NTP (123/udp) — polls on a timer by design, so a steady rhythm is expected: check that 91.189.91.157 is your own or your provider's NTP server, not an unknown host; by port only, a beacon may hide on a well-known port");
  });
});
