/**
 * `soc-analytics beacons` output path: the batched JSON array writer (src/core/json-out.ts
 * `writeJsonItems`) and the analysis without chart data (`runBeaconAnalysis(…, { charts: false })`,
 * what the CLI runs). Both must leave the output byte-identical: the `--json` document is compared
 * with the writer of the previous release (copied below) on the real Zeek data and on generated odd
 * pairs, and the chart-less analysis with the full one (every field but the chart lists).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { pairServiceText, pairTraffic, TRAFFIC_LABEL } from '../../src/core/analyze/beacons/dashboard';
import { beaconsCommand, beaconsTextReport, writeBeaconsJson } from '../../src/core/analyze/beacons/cli';
import type { BeaconAnalysis, BeaconPair } from '../../src/core/analyze/beacons/analyze';
import { isoUtcCached } from '../../src/core/time';
import { WRITE_CHUNK_CHARS, writeJsonItems } from '../../src/core/json-out';
import { BeaconAggregator, isBackscatter, isIcmpErrorPair, neverCarriedData } from '../../src/core/analyze/beacons/analyze';
import { resolveBeaconOptions } from '../../src/core/analyze/beacons/options';
import type { ConnRecord } from '../../src/core/parse/zeek';

const T0 = 1713484800; // 2024-04-19T00:00:00Z
const rec = (src: string, dst: string, ts: number, bytes = 100, uid = ''): ConnRecord => ({ ts, tsMs: ts * 1000, uid, src, dst, dport: 443, proto: 'tcp', origBytes: bytes, respBytes: 50, fqdn: '' });

const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');
const DAY = path.join(ZEEK, 'day-2024-04-19');
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');
const SENSOR = ['64.225.56.201/32'];

/** The `--json` writer before the batched array writer (commit 1958516), as the reference. */
function referenceJson(a: BeaconAnalysis): string {
  const out: string[] = [];
  const io = { stdout: (s: string) => out.push(s) };
  const iso = isoUtcCached();
  const s = a.summary;
  const summary = {
    algorithm: a.algorithm,
    files: s.files,
    records: s.records,
    filteredRecords: s.filteredRecords,
    // why, per reason (RITA's filters, the safelist, implausible times), as the text report's "Left out:"
    filtered: a.filtered,
    pairsSeen: s.pairsSeen,
    pairs: s.pairs,
    listed: s.listed,
    strobes: s.strobes,
    // since: null for a legacy score (no severity bands, rita-beacons.md §2, §4)
    high: a.algorithm === 'rita-legacy' ? null : s.high,
    medium: a.algorithm === 'rita-legacy' ? null : s.medium,
    low: a.algorithm === 'rita-legacy' ? null : s.low,
    windowStart: iso(s.windowStart),
    windowEnd: iso(s.windowEnd),
    // added since that release: the kept records' span and those older than the window
    keptFirst: iso(s.keptFirst),
    keptLast: iso(s.keptLast),
    outsideWindow: { records: s.outsideWindow ?? 0, first: iso(s.outsideFirst), last: iso(s.outsideLast) },
    unparsedLines: s.unparsedLines,
    errors: a.errors.length,
  };
  io.stdout(`{"summary":${JSON.stringify(summary)},\n"pairs":[`);
  const BATCH = 1000;
  for (let i = 0; i < a.pairs.length; i += BATCH) {
    const chunk = a.pairs.slice(i, i + BATCH).map((p) =>
      JSON.stringify({
        type: p.type,
        src: p.src,
        dst: p.dst,
        fqdn: p.fqdn,
        count: p.count,
        bytes: p.bytes,
        score: p.score,
        tsScore: p.tsScore,
        dsScore: p.dsScore,
        durScore: p.durScore,
        histScore: p.histScore,
        severity: p.severity,
        firstSeen: iso(p.firstSeenMs),
        lastSeen: iso(p.lastSeenMs),
        uniqueTs: p.uniqueTs,
        ports: p.ports,
        service: pairServiceText(p.ports), // added 2026-12-06 (fifth session): the well-known service of the main port
        icmpErrorsOnly: isIcmpErrorPair(p), // added 2026-12-03, third session
        neverCarriedData: neverCarriedData(p) ?? null, // added 2026-12-06 (backscatter): Zeek conn logs, null unknown
        backscatter: isBackscatter(p) ?? null, // added 2026-12-07 (flipped): of the no-data pairs, Zeek flipped every record (^)
        traffic: TRAFFIC_LABEL[pairTraffic(p)] || null, // added 2026-12-07 (scan artefacts): the Traffic column's text, null unknown
        // the evidence fields (added 2026-12-03, second session)
        origBytes: p.origBytes,
        threat: p.severity === 'n/a' ? null : Math.round(p.threat * 1000) / 1000, // since: null for a legacy score
        tsSkew: p.tsSkew,
        tsMad: p.tsMad,
        tsMode: p.tsMode,
        tsModeCount: p.tsModeCount,
        dsSkew: p.dsSkew,
        dsMad: p.dsMad,
        dsMode: p.dsMode,
        dsModeCount: p.dsModeCount,
      }),
    );
    io.stdout((i > 0 ? ',\n' : '\n') + chunk.join(',\n'));
  }
  const strobes = a.strobes.map((x) => ({ type: x.type, src: x.src, dst: x.dst, fqdn: x.fqdn, count: x.count, bytes: x.bytes, firstSeen: iso(x.firstSeenMs), lastSeen: iso(x.lastSeenMs) }));
  const errors = a.errors.map((e) => ({ file: e.file, line: e.line, message: e.message }));
  // (2026-12-02: the files skipped as not connection logs were added at the end)
  io.stdout(`],\n"strobes":${JSON.stringify(strobes)},\n"errors":${JSON.stringify(errors)},\n"notes":${JSON.stringify(a.notes)},\n"skipped":${JSON.stringify(a.skipped ?? [])}}\n`);
  return out.join('');
}

/** The writer's pieces. */
function pieces(a: BeaconAnalysis): string[] {
  const out: string[] = [];
  writeBeaconsJson(a, { stdout: (s) => out.push(s) });
  return out;
}

/** `a` with the chart lists emptied (what `charts: false` is documented to give). */
function withoutCharts(a: BeaconAnalysis): BeaconAnalysis {
  return { ...a, pairs: a.pairs.map((p) => ({ ...p, intervals: { values: [], counts: [] }, sizes: { values: [], counts: [] }, hist: [] })) };
}

const RUNS: { name: string; paths: string[]; opts: Parameters<typeof runBeaconAnalysis>[1] }[] = [
  { name: 'day, sensor, v5 hourly', paths: [DAY], opts: { internalSubnets: SENSOR } },
  { name: 'day, sensor, single window', paths: [DAY], opts: { internalSubnets: SENSOR, hourlyImport: false } },
  { name: 'day, every pair, legacy', paths: [DAY], opts: { internalSubnets: [], algorithm: 'rita-legacy' } },
  { name: 'day, every pair, v5', paths: [DAY], opts: { internalSubnets: [] } },
  { name: 'whole folder, min score 0.4', paths: [ZEEK], opts: { internalSubnets: [], minScore: 0.4 } },
];

describe('beacons --json writer', () => {
  it('real Zeek data: byte-identical to the previous writer', async () => {
    for (const r of RUNS) {
      const a = await runBeaconAnalysis(r.paths, { ...r.opts, parseWorkers: 0 });
      assert.ok(a.pairs.length > 0, `${r.name}: pairs listed`);
      assert.equal(pieces(a).join(''), referenceJson(a), r.name);
    }
  });

  it('generated pairs with odd values (NaN, ±Infinity, -0, 1e21, quotes, control characters, U+2028, non-ASCII, lone surrogates, bad times): byte-identical', () => {
    const odd = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 0.1 + 0.2), fc.integer());
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('"', '\\', '\u2028\u2029', '\ud800', 'a\udc00b', '\u0000\u001f\u007f\u009b', 'é日本', ''));
    const time = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constantFrom(NaN, Infinity, 1.5, 1713484800000, 253402300800000));
    const pair = fc.record({
      type: fc.constantFrom('ip', 'sni'),
      src: text,
      dst: text,
      fqdn: text,
      count: odd,
      bytes: odd,
      score: odd,
      tsScore: odd,
      dsScore: odd,
      durScore: odd,
      histScore: odd,
      severity: text,
      firstSeenMs: time,
      lastSeenMs: time,
      uniqueTs: odd,
      ports: text,
      origBytes: odd,
      threat: odd,
      tsSkew: odd,
      tsMad: odd,
      tsMode: odd,
      tsModeCount: odd,
      dsSkew: odd,
      dsMad: odd,
      dsMode: odd,
      dsModeCount: odd,
    });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 2500 }), (ps) => {
        const a = {
          algorithm: 'rita-v5',
          summary: { files: 1, records: 1, filteredRecords: 0, pairsSeen: 1, pairs: ps.length, listed: ps.length, strobes: 0, high: 0, medium: 0, low: 0, windowStart: 0, windowEnd: 1, unparsedLines: 0 },
          pairs: ps as unknown as BeaconPair[],
          strobes: [],
          errors: [],
          notes: ['n"ote\u2028'],
        } as unknown as BeaconAnalysis;
        assert.equal(pieces(a).join(''), referenceJson(a));
      }),
      { numRuns: 60 },
    );
  });

  it('pairs are written in pieces of bounded size (huge FQDNs never make one over-long string)', () => {
    // The old writer joined 1,000 pairs whatever their size: with FQDNs of 100,000 control characters
    // (~600 M characters of JSON) past V8's limit ("Invalid string length"). Here 20,000 (120 M
    // characters per 1,000 pairs, a quick test): pieces of at most WRITE_CHUNK_CHARS + one pair.
    const fqdn = '\u0001'.repeat(20_000);
    const pair = { type: 'sni', src: '10.0.0.1', dst: '1.2.3.4', fqdn, count: 5, bytes: 1, score: 0.5, tsScore: 0.5, dsScore: 0.5, durScore: 0.5, histScore: 0.5, severity: 'low', firstSeenMs: 0, lastSeenMs: 1, uniqueTs: 5, ports: '443/tcp' };
    const a = {
      algorithm: 'rita-v5',
      summary: { files: 1, records: 1, filteredRecords: 0, pairsSeen: 1000, pairs: 1000, listed: 1000, strobes: 0, high: 0, medium: 0, low: 1000, windowStart: 0, windowEnd: 1, unparsedLines: 0 },
      pairs: Array.from({ length: 1000 }, (_, i) => ({ ...pair, src: `10.0.${i >> 8}.${i & 255}` })),
      strobes: [],
      errors: [],
      notes: [],
    } as unknown as BeaconAnalysis;
    const out = pieces(a);
    const one = JSON.stringify(fqdn).length + 300;
    assert.ok(out.length > 6, `${out.length} pieces`);
    for (const s of out) assert.ok(s.length <= WRITE_CHUNK_CHARS + one, `piece of ${s.length} characters`);
    // the whole document is too long for one string: each piece between head and tail holds whole pairs
    const parsed = out.slice(1, -1).flatMap((s) => JSON.parse(`[${s.replace(/^,?\n/, '')}]`) as { fqdn: string; src: string }[]);
    assert.equal(parsed.length, 1000);
    assert.equal(parsed[999].fqdn, fqdn);
    assert.equal(parsed[999].src, '10.0.3.231');
    assert.ok(out[0].endsWith('"pairs":[') && out[out.length - 1].startsWith('],\n"strobes":'));
  });

  it('writeJsonItems: the items joined (first one after a newline), in batches of at most maxItems', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 50 }), fc.integer({ min: 1, max: 7 }), (items, maxItems) => {
        const out: string[] = [];
        writeJsonItems((s) => out.push(s), items, (t) => JSON.stringify(t), maxItems);
        assert.equal(out.join(''), items.length === 0 ? '' : '\n' + items.map((t) => JSON.stringify(t)).join(',\n'));
        assert.equal(out.length, Math.ceil(items.length / maxItems));
      }),
    );
  });
});

describe('beacon analysis without chart data (charts: false, the CLI)', () => {
  it('real Zeek data, in this thread and with 2 workers: every field but the chart lists as with charts, same --json and text report', async () => {
    for (const r of RUNS) {
      const full = await runBeaconAnalysis(r.paths, { ...r.opts, parseWorkers: 0 });
      assert.ok(full.pairs.some((p) => p.hist.length > 0 && p.intervals.values.length > 0 && p.sizes.values.length > 0), `${r.name}: charts computed by default`);
      for (const parseWorkers of [0, 2]) {
        const bare = await runBeaconAnalysis(r.paths, { ...r.opts, parseWorkers, parseWorkerBundle: ENTRY, charts: false });
        assert.deepEqual(bare, withoutCharts(full), `${r.name}, ${parseWorkers} workers`);
        assert.equal(pieces(bare).join(''), referenceJson(full), r.name);
        assert.equal(beaconsTextReport(bare, 'UTC'), beaconsTextReport(full, 'UTC'), r.name);
      }
    }
  });

  it('SNI pairs (host names joined by uid) and given-back IP pairs: as with charts but the chart lists', () => {
    const run = (charts: boolean) => {
      const agg = new BeaconAggregator(resolveBeaconOptions({ internalSubnets: ['10.0.0.0/8'], hourlyImport: false }).options);
      for (let k = 0; k < 8; k++) agg.addHost(`F${k}`, 'beacon.example');
      agg.addHost('E0', 'rare.example');
      for (let k = 0; k < 8; k++) agg.add(rec('10.0.0.8', k % 2 ? '7.7.7.8' : '7.7.7.7', T0 + 3600 * k + (k % 3), 100 + k, `F${k}`));
      agg.add(rec('10.0.0.7', '6.6.6.6', T0 + 100, 100, 'E0'));
      for (let k = 0; k < 5; k++) agg.add(rec('10.0.0.7', '6.6.6.6', T0 + 300 + 97 * k, 90 + k));
      agg.add(rec('10.0.0.9', '9.9.9.9', T0 + 86400));
      return agg.finish(charts);
    };
    const full = run(true);
    const bare = run(false);
    const sni = full.pairs.find((p) => p.type === 'sni');
    assert.ok(sni && sni.hist.length > 0 && sni.intervals.values.length > 0, 'SNI pair with charts');
    assert.ok(full.pairs.some((p) => p.type === 'ip' && p.src === '10.0.0.7' && p.hist.length > 0), 'given-back IP pair with charts');
    assert.deepEqual(bare, { ...full, pairs: withoutCharts({ pairs: full.pairs } as BeaconAnalysis).pairs });
  });

  it('the CLI asks for no chart data', async () => {
    let charts: boolean | undefined;
    const out: string[] = [];
    const code = await beaconsCommand([DAY, '--json', '--internal', SENSOR[0]], {
      stdout: (s) => out.push(s),
      stderr: () => undefined,
      runBeacons: (paths, opts) => {
        charts = opts?.charts;
        return runBeaconAnalysis(paths, opts);
      },
    });
    assert.equal(code, 0);
    assert.equal(charts, false);
    assert.equal(out.join(''), referenceJson(await runBeaconAnalysis([DAY], { internalSubnets: SENSOR })));
  });
});
