/**
 * SNI/Host beacon pairs (source → FQDN) are kept in columns like IP pairs (analyze.ts SniPairStore):
 * a pair cost 1.7–2.4 KB of heap (an object, five typed arrays and a Map each), so a proxy CSV with
 * 600,000 distinct (source, host) pairs ran a 1 GB heap out of memory whatever its line lengths.
 * Heap measured as in hostile-review-1206e.test.ts (gc before and after, heapUsed), with the typed
 * arrays' backing stores (arrayBuffers, outside heapUsed) counted too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BeaconAggregator } from '../../src/core/analyze/beacons/analyze';
import { resolveBeaconOptions } from '../../src/core/analyze/beacons/options';
import type { ConnRecord } from '../../src/core/parse/zeek';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const T0 = 1713484800;
const rec = (ts: number, src: string, dst: string, fqdn: string, dport: number, bytes: number): ConnRecord => ({ ts, tsMs: ts * 1000, uid: '', src, dst, dport, proto: 'tcp', origBytes: bytes, respBytes: 50, fqdn });

test('SNI pairs: 60,000 distinct (source, host) pairs hold under 400 bytes each (heap + typed arrays; 1,780 bytes of heap before)', () => {
  // 200 sources × 300 host names, 2 records per pair (too few to score: they go back to their IP pairs at finish)
  const srcs = Array.from({ length: 200 }, (_, i) => `10.0.${i >> 4}.${(i & 15) + 1}`);
  const hosts = Array.from({ length: 300 }, (_, i) => `h${i}.example.com`);
  gc();
  gc();
  const m0 = process.memoryUsage();
  const agg = new BeaconAggregator(resolveBeaconOptions({ hourlyImport: false }).options);
  for (let r = 0; r < 2; r++) {
    for (let h = 0; h < hosts.length; h++) {
      for (let s = 0; s < srcs.length; s++) agg.add(rec(T0 + r * 3600 + h * 7 + s, srcs[s], `192.0.2.${1 + (h % 3)}`, hosts[h], r ? 443 : 80, 100 + s));
    }
  }
  gc();
  gc();
  const m1 = process.memoryUsage();
  assert.equal(agg.pairCount, 60_000);
  const perPair = (m1.heapUsed - m0.heapUsed + (m1.arrayBuffers - m0.arrayBuffers)) / 60_000;
  assert.ok(perPair < 400, `${perPair.toFixed(0)} bytes per SNI pair`);
  // no SNI pair scored: every record goes back to its (source, address) IP pair, 200 sources × 3 addresses
  const f = agg.finish(false);
  assert.equal(f.pairsSeen, 60_000);
  assert.equal(f.keptRecords, 120_000);
  assert.equal(f.scored, 600);
  assert.ok(f.pairs.every((p) => p.type === 'ip'));
});

test('SNI pairs from the columns: destinations by count, ports by count, strobe, give-back — the values the per-pair lists gave', () => {
  const agg = new BeaconAggregator(resolveBeaconOptions({ hourlyImport: false, strobeConnectionLimit: 50 }).options);
  // a beacon every 5 minutes to beacon.example.com behind 7 addresses (the 4th the most used), on 443 and 8443
  for (let i = 0; i < 24; i++) {
    const dst = i % 3 === 0 ? '198.51.100.4' : `198.51.100.${1 + (i % 7)}`;
    agg.add(rec(T0 + i * 300, '10.0.0.5', dst, 'beacon.example.com', i % 4 === 0 ? 8443 : 443, 300));
  }
  // 60 records to strobe.example.com (strobe limit 50)
  for (let i = 0; i < 60; i++) agg.add(rec(T0 + i * 10, '10.0.0.6', '203.0.113.9', 'strobe.example.com', 443, 10));
  // 2 records to rare.example.com: not enough to score; they join the IP pair 10.0.0.7 → 203.0.113.7 (4 records of its own)
  agg.add(rec(T0 + 50, '10.0.0.7', '203.0.113.7', 'rare.example.com', 443, 100));
  agg.add(rec(T0 + 4000, '10.0.0.7', '203.0.113.7', 'rare.example.com', 443, 100));
  for (let i = 0; i < 4; i++) agg.add(rec(T0 + 100 + i * 900, '10.0.0.7', '203.0.113.7', '', 443, 100));
  const f = agg.finish();
  assert.equal(f.pairsSeen, 4);
  const sni = f.pairs.find((p) => p.fqdn === 'beacon.example.com');
  assert.ok(sni);
  assert.equal(sni.type, 'sni');
  assert.equal(sni.count, 24);
  assert.equal(sni.dst, '198.51.100.4, 198.51.100.2, 198.51.100.3, 198.51.100.5, 198.51.100.6 +2');
  assert.equal(sni.ports, '443/tcp, 8443/tcp');
  assert.equal(sni.bytes, 24 * 350);
  assert.deepEqual(f.strobes.map((s) => [s.type, s.src, s.dst, s.fqdn, s.count, s.bytes]), [['sni', '10.0.0.6', '203.0.113.9', 'strobe.example.com', 60, 60 * 60]]);
  const ip = f.pairs.find((p) => p.type === 'ip');
  assert.ok(ip);
  assert.deepEqual([ip.src, ip.dst, ip.count, ip.bytes], ['10.0.0.7', '203.0.113.7', 6, 6 * 150]);
  assert.equal(f.keptRecords, 24 + 60 + 6);
});
