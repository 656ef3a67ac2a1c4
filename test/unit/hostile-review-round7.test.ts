/**
 * Hostile review, round 7: the beacons' Traffic label (Zeek's `^` flip flag through every parse path) and the
 * merged timeline's zoom range, each finding verified by running the real code, with the values it must give.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { EXCHANGE_UNKNOWN, jsonZeekString, readZeekFile, sniffInput } from '../../src/core/parse/zeek';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconPairDetail, pairTraffic } from '../../src/core/analyze/beacons/dashboard';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile7-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];
const HEADER = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields\t${FIELDS.join('\t')}`];

interface Conn { ts?: number | string; src?: string; dst?: string; sport?: number | string; dport?: number | string; proto?: string; ob?: string; rb?: string; state?: string; history?: string; oib?: number | string; rib?: number | string }

/** One Zeek conn.log TSV line (defaults: an unanswered SYN, `S0 S`). */
function conn(c: Conn = {}): string {
  const v: Record<string, string | number> = { ts: c.ts ?? 1713484800.5, uid: 'Cx', 'id.orig_h': c.src ?? '10.0.0.1', 'id.orig_p': c.sport ?? 40000, 'id.resp_h': c.dst ?? '198.51.100.1', 'id.resp_p': c.dport ?? 443, proto: c.proto ?? 'tcp', service: '-', duration: '0.1', orig_bytes: c.ob ?? '0', resp_bytes: c.rb ?? '0', conn_state: c.state ?? 'S0', local_orig: 'T', local_resp: 'F', missed_bytes: 0, history: c.history ?? 'S', orig_pkts: 1, orig_ip_bytes: c.oib ?? 60, resp_pkts: 0, resp_ip_bytes: c.rib ?? 0, tunnel_parents: '-' };
  return FIELDS.map((f) => v[f]).join('\t');
}

/** Pair n (10.0.0.n → 198.51.100.n), 72 connections every 10 minutes, each record from `f`. */
function pairLines(n: number, f: (i: number) => Conn): string[] {
  const start = 1713484800;
  return Array.from({ length: 72 }, (_, i) => conn({ ts: (start + i * 600 + n).toFixed(6), src: `10.0.0.${n}`, dst: `198.51.100.${n}`, ...f(i) }));
}

/** Every record's [line, exchange class] as the byte path reads the file (a TSV conn log, no host handler) and as the string path does. */
async function bothPaths(file: string): Promise<{ bytes: [number, number | undefined][]; strings: [number, number | undefined][] }> {
  const info = await sniffInput(file);
  const bytes: [number, number | undefined][] = [];
  const strings: [number, number | undefined][] = [];
  await readZeekFile(info!, { conn: (r, n) => bytes.push([n, r.exchange]) });
  // a host handler sends a TSV conn log down the string path
  await readZeekFile(info!, { conn: (r, n) => strings.push([n, r.exchange]), host: () => undefined });
  return { bytes, strings };
}

/** `beacons --json` of `paths`: per pair [src, traffic, neverCarriedData, backscatter]. */
async function trafficOf(...paths: string[]): Promise<[string, string | null, boolean | null, boolean | null][]> {
  const c = capture();
  assert.equal(await main(['beacons', ...paths, '--json'], c.io), 0, c.err());
  const j = JSON.parse(c.out()) as { pairs: { src: string; traffic: string | null; neverCarriedData: boolean | null; backscatter: boolean | null }[] };
  return j.pairs.map((p) => [p.src, p.traffic, p.neverCarriedData, p.backscatter]);
}

describe('Zeek conn logs: a zero-length conn_state or history is unset on the byte path as on the string path', () => {
  test('the records: the byte path read a zero-length field as set (`,,` conn_state → a failed handshake, `^h` → backscatter)', async () => {
    const f = join(TMP, 'zero-length.log');
    writeFileSync(
      f,
      [
        ...HEADER,
        conn({ state: '', history: '^h' }), // line 7: no conn_state → unknown (was EXCHANGE_QUIET_FLIPPED on bytes)
        conn({ state: 'OTH', history: '', ob: '-', rb: '-' }), // 8: no history, no byte counts → unknown (was quiet)
        conn({ state: 'S0', history: '' }), // 9: no history, both counts 0 → quiet on both
      ].join('\n') + '\n',
    );
    const { bytes, strings } = await bothPaths(f);
    assert.deepEqual(strings, [[7, EXCHANGE_UNKNOWN], [8, EXCHANGE_UNKNOWN], [9, 1]]);
    assert.deepEqual(bytes, strings);
  });
  test('beacons --json: one pair, the same Traffic whether the file is plain ASCII (byte path), has a non-ASCII byte late (string path) or is gzipped', async () => {
    const lines = [
      ...HEADER,
      ...pairLines(1, () => ({ state: 'RSTO', history: '^hR' })),
      ...pairLines(2, () => ({ state: '', history: '^h' })),
      ...pairLines(3, () => ({ state: 'OTH', history: '', ob: '-', rb: '-' })),
    ];
    const ascii = join(TMP, 'traffic-ascii.log');
    const late = join(TMP, 'traffic-late-utf8.log');
    const gz = join(TMP, 'traffic-ascii.log.gz');
    writeFileSync(ascii, lines.join('\n') + '\n');
    writeFileSync(late, lines.join('\n') + '\n#comment naïve\n');
    writeFileSync(gz, gzipSync(lines.join('\n') + '\n'));
    const want: [string, string | null, boolean | null, boolean | null][] = [
      ['10.0.0.1', 'Backscatter', true, true],
      // before: 'Backscatter' (hidden by the card "Pairs without scan artefacts") on the byte path, null on the string path
      ['10.0.0.2', null, null, null],
      // before: 'No data exchanged' on the byte path, null on the string path
      ['10.0.0.3', null, null, null],
    ];
    assert.deepEqual(await trafficOf(late), want);
    assert.deepEqual(await trafficOf(ascii), want);
    assert.deepEqual(await trafficOf(gz), want);
  });
});

describe('beacons: a pair of ICMP errors only is counted and explained as ICMP errors, never also as backscatter or own attempts', () => {
  // ICMP port unreachable (type 3 code 3) records with a `^` in history (hostile: Zeek writes none for ICMP) and
  // without (`0 0 OTH -`: a quiet record), beside one real backscatter pair and one pair of own attempts
  const file = join(TMP, 'icmp-quiet.log');
  writeFileSync(
    file,
    [
      ...HEADER,
      ...pairLines(1, () => ({ state: 'RSTO', history: '^hR' })),
      ...pairLines(2, () => ({ state: 'S0', history: 'S' })),
      ...pairLines(3, () => ({ proto: 'icmp', sport: 3, dport: 3, state: 'OTH', history: '^' })),
      ...pairLines(4, () => ({ proto: 'icmp', sport: 3, dport: 3, state: 'OTH', history: '-' })),
    ].join('\n') + '\n',
  );
  test('the notes count the pairs by the Traffic label the table shows (the ICMP pairs were counted as 1 more backscatter and 1 more own attempt)', async () => {
    const a = await runBeaconAnalysis([file], { parseWorkers: 0 });
    assert.deepEqual(a.pairs.map((p) => [p.src, pairTraffic(p)]).sort(), [['10.0.0.1', 'backscatter'], ['10.0.0.2', 'no-data'], ['10.0.0.3', 'icmp-errors'], ['10.0.0.4', 'icmp-errors']]);
    assert.ok(a.notes.some((n) => n.startsWith('2 of 4 listed pairs are ICMP error messages only')), a.notes.join('\n'));
    const quiet = a.notes.find((n) => n.includes('never carried data'));
    assert.ok(quiet, a.notes.join('\n'));
    // before: '4 of 4 listed pairs never carried data: … 2 backscatter: … (Traffic "Backscatter" …); 2 the source\'s own attempts'
    assert.ok(quiet.startsWith('2 of 4 listed pairs never carried data (besides the ICMP error pairs above): '), quiet);
    assert.match(quiet, /\. 1 backscatter: Zeek flipped .*\(Traffic "Backscatter"; .*; 1 the source's own attempts, refused or unanswered .*\(Traffic "No data exchanged"; not hidden by the card\)\./);
  });
  test('the detail of an ICMP-errors pair has the ICMP note only (it also said "Backscatter" or "this source\'s own attempts … a beacon to a C2 server that is down")', async () => {
    const a = await runBeaconAnalysis([file], { parseWorkers: 0 });
    const notes = (src: string) => {
      const i = a.pairs.findIndex((p) => p.src === src);
      const d = beaconPairDetail(a.pairs[i], i, 'UTC').fields;
      return [d.find((f) => f.label === 'Traffic')?.value, ...d.filter((f) => f.label === 'Note').map((f) => f.value.split(':')[0])];
    };
    assert.deepEqual(notes('10.0.0.3'), ['ICMP errors only', 'ICMP error messages only']);
    assert.deepEqual(notes('10.0.0.4'), ['ICMP errors only', 'ICMP error messages only']);
    assert.deepEqual(notes('10.0.0.1'), ['Backscatter', 'Backscatter']);
    assert.deepEqual(notes('10.0.0.2'), ['No data exchanged', 'Never carried data']);
  });
  test('--json: backscatter is null for a pair of ICMP errors only (a ^ said true and quiet records false — "own attempts" — beside traffic "ICMP errors only")', async () => {
    assert.deepEqual((await trafficOf(file)).sort(), [
      ['10.0.0.1', 'Backscatter', true, true],
      ['10.0.0.2', 'No data exchanged', true, false],
      ['10.0.0.3', 'ICMP errors only', true, null],
      ['10.0.0.4', 'ICMP errors only', true, null],
    ]);
  });
});

describe('Zeek JSON conn logs: "-" and "(empty)" (TSV tokens a converted log keeps) are unset, as in the TSV log', () => {
  /** The same connections as a TSV conn log and as a JSON one made from it (`-` fields kept as "-"). */
  function both(name: string, rows: Conn[][]): { tsv: string; json: string } {
    const tsvLines = [...HEADER];
    const jsonLines: string[] = [];
    rows.forEach((f, k) => {
      for (const line of pairLines(k + 1, (i) => f[i % f.length])) {
        tsvLines.push(line);
        const cols = line.split('\t');
        const o: Record<string, unknown> = { _path: 'conn' };
        FIELDS.forEach((name, j) => (o[name] = /^\d+(\.\d+)?$/.test(cols[j]) && !['uid', 'id.orig_h', 'id.resp_h', 'conn_state', 'history'].includes(name) ? Number(cols[j]) : cols[j]));
        jsonLines.push(JSON.stringify(o));
      }
    });
    const tsv = join(TMP, `${name}.tsv.log`);
    const json = join(TMP, `${name}.json.log`);
    writeFileSync(tsv, tsvLines.join('\n') + '\n');
    writeFileSync(json, jsonLines.join('\n') + '\n');
    return { tsv, json };
  }
  test('beacons --json: the JSON copy labels each pair as the TSV copy does (it said "Backscatter" and "No data exchanged" where TSV cannot say)', async () => {
    const { tsv, json } = both('dash', [
      [{ state: 'RSTO', history: '^hR' }],
      [{ state: '-', history: '^h' }], // no conn_state: cannot say
      [{ state: '-', history: '-', ob: '-', rb: '-' }], // nothing: cannot say
      [{ state: 'OTH', history: '(empty)', ob: '-', rb: '-' }], // an empty history, no byte counts: cannot say
      [{ state: 'S0', history: '-' }], // no history, both counts 0: no data
    ]);
    const want: [string, string | null, boolean | null, boolean | null][] = [
      ['10.0.0.1', 'Backscatter', true, true],
      ['10.0.0.2', null, null, null],
      ['10.0.0.3', null, null, null],
      ['10.0.0.4', null, null, null],
      ['10.0.0.5', 'No data exchanged', true, false],
    ];
    assert.deepEqual(await trafficOf(tsv), want);
    assert.deepEqual(await trafficOf(json), want);
  });
  test('jsonZeekString: a string as it is; "-", "(empty)" and what is no string: unset', () => {
    assert.deepEqual(['^hR', 'S0', '', '-', '(empty)', ' - ', 94, ['^h'], null, undefined, { h: '^' }].map(jsonZeekString), ['^hR', 'S0', '', '', '', ' - ', '', '', '', '', '']);
  });
});
