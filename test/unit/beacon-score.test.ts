/**
 * Synthetic beacons with hand-computed RITA v5 / legacy scores, the subnet filter and safelist,
 * and the streaming aggregator (thresholds, strobes, window, SNI give-back).
 * Reference: shared/docs/rita-beacons.md §1.2, §4, §5, §11.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { scorePairLegacy, scorePairV5, histogramLegacy } from '../../src/core/analyze/beacons/score';
import { SubnetFilter, isSafelisted, parseSafelist, safelistEntryFor } from '../../src/core/analyze/beacons/filter';
import { BeaconAggregator } from '../../src/core/analyze/beacons/analyze';
import { resolveBeaconOptions } from '../../src/core/analyze/beacons/options';
import { quadText, type ConnRecord } from '../../src/core/parse/zeek';

const T0 = 1713484800; // 2024-04-19T00:00:00Z
const DAY = 86400;

/** Small seeded PRNG (mulberry32) for reproducible synthetic traffic. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function constBytes(n: number, v = 100): number[] {
  return new Array(n).fill(v);
}

describe('synthetic beacons, RITA v5 (window = one day)', () => {
  it('fixed 300-s interval over 24 h scores 1 in every sub-score', () => {
    const ts = Array.from({ length: 288 }, (_, k) => T0 + 300 * k);
    const s = scorePairV5(ts, constBytes(288), T0, T0 + DAY);
    assert.deepEqual([s.score, s.tsScore, s.dsScore, s.durScore, s.histScore], [1, 1, 1, 1, 1]);
    assert.equal(s.coverage, 0.997); // ceil3(86100/86400)
    assert.equal(s.consistency, 1);
    assert.deepEqual(s.hist, new Array(24).fill(12));
    assert.equal(s.intervals.mode, 300);
  });

  it('jittered 300-s beacon (offsets 0,10,30,20 s) → ts 0.817, total 0.954', () => {
    // intervals cycle 310, 320, 290, 280: Q1 290, Q2 310, Q3 320 → skew −1/3; MAD 10 → (310−10)/310
    const j = [0, 10, 30, 20];
    const ts = Array.from({ length: 288 }, (_, k) => T0 + 300 * k + j[k % 4]);
    const s = scorePairV5(ts, constBytes(288), T0, T0 + DAY);
    assert.ok(Math.abs(s.tsSkew - -1 / 3) < 1e-12);
    assert.equal(s.tsMad, 10);
    assert.equal(s.tsScore, 0.817);
    assert.equal(s.dsScore, 1);
    assert.equal(s.durScore, 1);
    assert.equal(s.histScore, 1);
    assert.equal(s.score, 0.954);
  });

  it('sparse beacon: 5 connections 5 h apart → ts 1, ds 1, dur 0 (5 bars < 6), hist 0 (cv > 1) → 0.5', () => {
    const ts = Array.from({ length: 5 }, (_, k) => T0 + 5 * 3600 * k);
    const s = scorePairV5(ts, constBytes(5), T0, T0 + DAY);
    assert.deepEqual([s.tsScore, s.dsScore, s.durScore, s.histScore, s.score], [1, 1, 0, 0, 0.5]);
    assert.equal(s.totalBars, 5);
  });

  it('sparse beacon with 6 bars gets the coverage duration score', () => {
    const ts = Array.from({ length: 6 }, (_, k) => T0 + 4 * 3600 * k);
    const s = scorePairV5(ts, constBytes(6), T0, T0 + DAY);
    assert.equal(s.totalBars, 6);
    assert.equal(s.coverage, 0.834); // ceil3(72000/86400)
    assert.equal(s.consistency, 0.084); // ceil3(1/12)
    assert.equal(s.durScore, 0.834);
  });

  it('bimodal (office-hours) beacon: 10/h for 12 h then 4/h → hist 1 from the bimodal fit, score 1', () => {
    const ts: number[] = [];
    for (let h = 0; h < 24; h++) {
      const n = h < 12 ? 10 : 4;
      for (let i = 0; i < n; i++) ts.push(T0 + h * 3600 + (3600 / n) * i);
    }
    const s = scorePairV5(ts, constBytes(ts.length), T0, T0 + DAY);
    assert.equal(s.cvScore, 0.571);
    assert.equal(s.bimodalScore, 1);
    assert.equal(s.histScore, 1);
    assert.equal(s.tsScore, 1); // Q1 == Q2 = 360 → skew 0, MAD 0
    assert.equal(s.coverage, 0.99); // ceil3(85500/86400)
    assert.equal(s.score, 1);
  });

  it('random (memoryless) traffic gets a low timestamp score (20 fixed seeds)', () => {
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = mulberry32(seed);
      let t = T0;
      const ts = Array.from({ length: 200 }, () => (t += Math.max(1, Math.round(-Math.log(1 - rnd()) * 400))));
      const s = scorePairV5(ts, constBytes(ts.length), T0, ts[ts.length - 1]);
      assert.ok(s.tsScore < 0.75, `seed ${seed}: ts score ${s.tsScore}`);
      total += s.tsScore;
    }
    assert.ok(total / 20 < 0.7, `mean ts score ${total / 20}`);
  });

  it('scores stay in [0, 1] and the sub-scores in [0, 1] for any input (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: DAY }), { minLength: 4, maxLength: 300 }), fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: 300, maxLength: 300 }), (offsets, bytes) => {
        const ts = offsets.map((o) => T0 + o);
        const s = scorePairV5(ts, bytes.slice(0, ts.length), T0, T0 + DAY);
        return [s.score, s.tsScore, s.dsScore, s.durScore, s.histScore].every((x) => x >= 0 && x <= 1);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('legacy score (era D, RITA v4.8)', () => {
  it('exact 300-s beacon over 24 h scores 1.0 (§11)', () => {
    const ts = Array.from({ length: 288 }, (_, k) => T0 + 300 * k);
    const s = scorePairLegacy(ts, constBytes(288), T0, T0 + DAY);
    assert.deepEqual([s.score, s.tsScore, s.dsScore, s.durScore, s.histScore], [1, 1, 1, 1, 1]);
    assert.equal(s.dsSmallness, 1 - 100 / 65535);
  });
  it('ceil rounding and the smallness term: 1000-byte mode → ds ceil3((1 + 1 + 0.98474)/3) = 0.995', () => {
    const ts = Array.from({ length: 288 }, (_, k) => T0 + 300 * k);
    const s = scorePairLegacy(ts, constBytes(288, 1000), T0, T0 + DAY);
    assert.equal(s.dsScore, 0.995);
    assert.equal(s.score, 0.999); // ceil3(0.25 + 0.24875 + 0.25 + 0.25)
  });
  it('duration needs strictly more than 6 bars', () => {
    const ts = Array.from({ length: 6 }, (_, k) => T0 + 4 * 3600 * k);
    assert.equal(scorePairLegacy(ts, constBytes(6), T0, T0 + DAY).durScore, 0);
    const ts7 = Array.from({ length: 7 }, (_, k) => T0 + 3 * 3600 * k);
    assert.equal(scorePairLegacy(ts7, constBytes(7), T0, T0 + DAY).durScore, 0.75); // ceil3(64800/86400)
  });
  it('histogram: integer step, ts equal to the window max stays in the current bucket (legacy quirk)', () => {
    // window 0..100: step trunc(100/24) = 4; ts 5 → bucket 1, ts 100 = max → no j → stays in bucket 1
    const { hist, edges } = histogramLegacy(0, 100, [5, 100]);
    assert.equal(edges[1], 4);
    assert.equal(edges[24], 100);
    assert.equal(hist[1], 2);
    assert.equal(hist[23], 0);
  });
});

describe('subnet filter and safelist (§1.2, §5.1)', () => {
  const f = new SubnetFilter({ internalSubnets: ['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8'], filterExternalToInternal: true });
  it('RITA rules in order', () => {
    assert.equal(f.check('10.0.0.5', '8.8.8.8'), undefined);
    assert.equal(f.check('10.0.0.5', '10.0.0.6'), 'both-internal');
    assert.equal(f.check('1.1.1.1', '8.8.8.8'), 'both-external');
    assert.equal(f.check('8.8.8.8', '10.0.0.5'), 'external-to-internal');
    assert.equal(f.check('10.0.0.5', '224.0.0.251'), 'never-included');
    assert.equal(f.check('127.0.0.1', '8.8.8.8'), 'never-included');
    assert.equal(f.check('fd12::1', '2001:db8::1'), undefined);
    assert.equal(f.check('fe80::1', '2001:db8::1'), 'never-included');
    const keepIn = new SubnetFilter({ internalSubnets: ['10.0.0.0/8'], filterExternalToInternal: false });
    assert.equal(keepIn.check('8.8.8.8', '10.0.0.5'), undefined);
    const none = new SubnetFilter({ internalSubnets: [], filterExternalToInternal: true });
    assert.equal(none.check('1.1.1.1', '8.8.8.8'), undefined);
    const always = new SubnetFilter({ internalSubnets: ['10.0.0.0/8'], alwaysIncluded: ['1.1.1.1/32'], filterExternalToInternal: true });
    assert.equal(always.check('1.1.1.1', '8.8.8.8'), undefined);
  });
  it('checkV4 (two IPv4 values) = check of their dotted quads, for any ranges without a safelist (fast-check)', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const cidr = fc.oneof(
      fc.tuple(u32, fc.integer({ min: 0, max: 32 })).map(([v, p]) => `${quadText(v)}/${p}`),
      fc.constantFrom('10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '128.0.0.0/1', '::ffff:0:0/96', '::ffff:10.0.0.0/104', 'fd00::/8', '2001:db8::/32', 'bad'),
    );
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 4 }), fc.array(cidr, { maxLength: 2 }), fc.boolean(), fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 20 }), (internal, always, ext, pairs) => {
        const filter = new SubnetFilter({ internalSubnets: internal, alwaysIncluded: always, filterExternalToInternal: ext });
        if (!filter.v4Fast) return;
        for (const [a, b] of pairs) assert.equal(filter.checkV4(a, b), filter.check(quadText(a), quadText(b)), `${quadText(a)} → ${quadText(b)}`);
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.ok(f.v4Fast);
    assert.equal(f.checkV4(0x0a000005, 0x08080808), undefined);
    assert.equal(f.checkV4(0x7f000001, 0x08080808), 'never-included');
    assert.ok(!new SubnetFilter({ internalSubnets: ['10.0.0.0/8'], filterExternalToInternal: true, safelist: parseSafelist(['8.8.8.8']) }).v4Fast, 'a safelist needs the texts');
  });
  it('safelist: IP, CIDR, FQDN wildcard, src→dst pairs; invalid entries reported', () => {
    const s = parseSafelist(['8.8.8.8', '172.16.0.0/12', '*.windowsupdate.com', '10.0.0.5 -> 1.2.3.4', '10.0.0.6 → *.example.org', '* > 9.9.9.9', 'not valid!', '# comment']);
    assert.deepEqual(s.invalid, ['not valid!']);
    assert.ok(isSafelisted(s, '10.0.0.1', '8.8.8.8'));
    assert.ok(isSafelisted(s, '172.20.1.1', '5.5.5.5'));
    assert.ok(isSafelisted(s, '10.0.0.1', '5.5.5.5', 'dl.Delivery.WindowsUpdate.com'));
    assert.ok(!isSafelisted(s, '10.0.0.1', '5.5.5.5', 'windowsupdate.com.evil.net'));
    assert.ok(isSafelisted(s, '10.0.0.5', '1.2.3.4'));
    assert.ok(!isSafelisted(s, '10.0.0.7', '1.2.3.4'));
    assert.ok(isSafelisted(s, '10.0.0.6', '', 'a.example.org'));
    assert.ok(!isSafelisted(s, '10.0.0.5', '', 'a.example.org'));
    assert.ok(isSafelisted(s, '10.9.9.9', '9.9.9.9'));
    assert.equal(safelistEntryFor('10.0.0.5', 'evil.example'), '10.0.0.5 -> evil.example');
    const filter = new SubnetFilter({ internalSubnets: ['10.0.0.0/8'], filterExternalToInternal: true, safelist: s });
    assert.equal(filter.check('10.0.0.5', '1.2.3.4'), 'safelisted');
  });
  it('safelist: a mistyped address (300.1.1.1, 10.1.1, 10.0.0.5 -> 1.2.3.999) is invalid, not an FQDN that never matches', () => {
    const s = parseSafelist(['300.1.1.1', '10.1.1', '10.0.0.5 -> 1.2.3.999', '1password.com', '3.example.net']);
    assert.deepEqual(s.invalid, ['300.1.1.1', '10.1.1', '10.0.0.5 -> 1.2.3.999']);
    assert.ok(isSafelisted(s, '10.0.0.1', '5.5.5.5', '1password.com'));
    assert.ok(isSafelisted(s, '10.0.0.1', '5.5.5.5', '3.Example.net'));
  });
});

function rec(src: string, dst: string, ts: number, bytes = 100, extra: Partial<ConnRecord> = {}): ConnRecord {
  return { ts, tsMs: ts * 1000, uid: '', src, dst, dport: 443, proto: 'tcp', origBytes: bytes, respBytes: 50, fqdn: '', ...extra };
}

describe('aggregator: thresholds, strobes, window, SNI give-back', () => {
  it('v5: ≥ 4 distinct timestamps scored, strobes reported separately, window = [min, max] of the kept records', () => {
    const { options } = resolveBeaconOptions({ internalSubnets: ['10.0.0.0/8'], strobeConnectionLimit: 100, hourlyImport: false });
    const agg = new BeaconAggregator(options);
    for (let k = 0; k < 48; k++) agg.add(rec('10.0.0.1', '1.1.1.1', T0 + 1800 * k)); // A: 30-min beacon
    for (let k = 0; k < 3; k++) agg.add(rec('10.0.0.2', '2.2.2.2', T0 + 1000 * k)); // B: 3 distinct ts
    for (let k = 0; k < 4; k++) agg.add(rec('10.0.0.2', '3.3.3.3', T0 + 5)); // C: 4 records, 1 distinct ts
    for (let k = 0; k < 120; k++) agg.add(rec('10.0.0.3', '4.4.4.4', T0 + k)); // S: strobe (≥ 100)
    agg.add(rec('10.0.0.4', '5.5.5.5', T0 + DAY)); // D: ends the window
    agg.add(rec('8.8.8.8', '10.0.0.1', T0)); // external → internal: filtered
    const r = agg.finish();
    assert.equal(agg.records, 48 + 3 + 4 + 120 + 1 + 1);
    assert.equal(agg.filteredRecords, 1);
    assert.deepEqual(agg.filtered, { 'external-to-internal': 1 });
    assert.equal(r.pairsSeen, 5);
    assert.equal(r.scored, 1);
    assert.equal(r.windowStart, T0 * 1000);
    assert.equal(r.windowEnd, (T0 + DAY) * 1000);
    assert.equal(r.strobes.length, 1);
    assert.deepEqual({ src: r.strobes[0].src, dst: r.strobes[0].dst, count: r.strobes[0].count, bytes: r.strobes[0].bytes }, { src: '10.0.0.3', dst: '4.4.4.4', count: 120, bytes: 120 * 150 });
    const a = r.pairs[0];
    assert.deepEqual([a.src, a.dst, a.type, a.count, a.uniqueTs, a.bytes, a.origBytes], ['10.0.0.1', '1.1.1.1', 'ip', 48, 48, 48 * 150, 48 * 100]);
    assert.deepEqual([a.score, a.tsScore, a.dsScore, a.durScore, a.histScore, a.severity], [1, 1, 1, 1, 1, 'high']);
    assert.equal(a.coverage, 0.98); // ceil3(84600/86400)
    assert.equal(a.ports, '443/tcp');
    assert.deepEqual(a.hist, new Array(24).fill(2));
  });

  it('legacy: needs more than 23 connections and a window over the non-strobe pairs', () => {
    const { options } = resolveBeaconOptions({ algorithm: 'rita-legacy', internalSubnets: ['10.0.0.0/8'] });
    const agg = new BeaconAggregator(options);
    for (let k = 0; k < 23; k++) agg.add(rec('10.0.0.1', '1.1.1.1', T0 + 3600 * k)); // 23: not > 23
    for (let k = 0; k < 24; k++) agg.add(rec('10.0.0.2', '2.2.2.2', T0 + 3600 * k)); // 24: scored
    const r = agg.finish();
    assert.equal(r.scored, 1);
    assert.equal(r.pairs[0].src, '10.0.0.2');
    assert.equal(r.windowEnd, (T0 + 23 * 3600) * 1000);
  });

  it('SNI: host names joined by uid; a non-qualifying FQDN pair gives its records back to the IP pair', () => {
    const { options } = resolveBeaconOptions({ internalSubnets: ['10.0.0.0/8'], hourlyImport: false });
    const agg = new BeaconAggregator(options);
    for (let k = 0; k < 6; k++) agg.addHost(`F${k}`, 'beacon.example');
    agg.addHost('E0', 'rare.example');
    agg.addHost('E1', 'rare.example');
    for (let k = 0; k < 6; k++) agg.add(rec('10.0.0.8', k % 2 ? '7.7.7.8' : '7.7.7.7', T0 + 3600 * k, 100, { uid: `F${k}` }));
    agg.add(rec('10.0.0.7', '6.6.6.6', T0 + 100, 100, { uid: 'E0' }));
    agg.add(rec('10.0.0.7', '6.6.6.6', T0 + 200, 100, { uid: 'E1' }));
    for (let k = 0; k < 3; k++) agg.add(rec('10.0.0.7', '6.6.6.6', T0 + 300 + 100 * k));
    agg.add(rec('10.0.0.9', '9.9.9.9', T0 + DAY));
    const r = agg.finish();
    const sni = r.pairs.find((p) => p.type === 'sni');
    assert.ok(sni, 'SNI pair scored');
    assert.deepEqual([sni.src, sni.fqdn, sni.dst, sni.count], ['10.0.0.8', 'beacon.example', '7.7.7.7, 7.7.7.8', 6]);
    assert.ok(!r.pairs.some((p) => p.src === '10.0.0.8' && p.type === 'ip'), 'records of a scored SNI beacon are not IP beacons');
    const ip = r.pairs.find((p) => p.src === '10.0.0.7');
    assert.ok(ip, 'IP pair scored with the records given back');
    assert.deepEqual([ip.type, ip.dst, ip.fqdn, ip.count, ip.uniqueTs], ['ip', '6.6.6.6', '', 5, 5]);
  });

  it('v5 hourly import: a pair is scored with the window known after its last hourly group (§5.1)', () => {
    const { options } = resolveBeaconOptions({ internalSubnets: ['10.0.0.0/8'] });
    const agg = new BeaconAggregator(options);
    agg.setGroup(0);
    for (let k = 0; k < 12; k++) agg.add(rec('10.0.0.1', '1.1.1.1', T0 + 300 * k)); // only in group 0
    agg.setGroup(1);
    for (let k = 0; k < 12; k++) agg.add(rec('10.0.0.2', '2.2.2.2', T0 + 7200 + 300 * k));
    const r = agg.finish();
    const p1 = r.pairs.find((p) => p.src === '10.0.0.1')!;
    const p2 = r.pairs.find((p) => p.src === '10.0.0.2')!;
    assert.equal(p1.windowEndMs, (T0 + 3300) * 1000);
    assert.equal(p2.windowEndMs, (T0 + 7200 + 3300) * 1000);
    assert.equal(p1.windowStartMs, T0 * 1000);
    assert.equal(p1.coverage, 1); // its own window ends with its last record
    assert.ok(p2.coverage < 1);
    const single = new BeaconAggregator(resolveBeaconOptions({ internalSubnets: ['10.0.0.0/8'], hourlyImport: false }).options);
    for (let k = 0; k < 12; k++) single.add(rec('10.0.0.1', '1.1.1.1', T0 + 300 * k));
    single.add(rec('10.0.0.2', '2.2.2.2', T0 + 10500));
    assert.equal(single.finish().pairs[0].windowEndMs, (T0 + 10500) * 1000);
  });
});

describe('options', () => {
  it('RITA minimums and weight rules are enforced with a note', () => {
    const { options, problems } = resolveBeaconOptions({ uniqueConnectionThreshold: 2, legacyConnectionThreshold: 5, scoring: { tsWeight: 0.5, dsWeight: 0.5, durWeight: 0.5, histWeight: 0.5 } as never, internalSubnets: ['10.0.0.0/8', 'nope'] });
    assert.equal(options.uniqueConnectionThreshold, 4);
    assert.equal(options.legacyConnectionThreshold, 23);
    assert.equal(options.scoring.tsWeight, 0.25);
    assert.deepEqual(options.internalSubnets, ['10.0.0.0/8']);
    assert.equal(problems.length, 4);
  });
});
