/**
 * Zeek `history` letters that mean payload was sent (docs.zeek.org "conn.log", `history`): `D`/`d` a packet with
 * payload, `T`/`t` a packet with retransmitted payload, `G`/`g` a content gap (payload the sensor missed). Until
 * 2026-12-07 only `D`/`d` counted, so a connection whose byte counts are unset (`-`) and whose history shows only a
 * retransmission or a gap was read as "no data exchanged". The byte path (TSV), the string path and Zeek JSON must
 * agree, letter by letter.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { connStateKind, EXCHANGE_DATA, EXCHANGE_QUIET, EXCHANGE_QUIET_FLIPPED, exchangeClass, historyKind, payloadCount, readZeekFile, sniffInput } from '../../src/core/parse/zeek';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-history-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];
const HEADER = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields\t${FIELDS.join('\t')}`];

/** Histories of records whose byte counts are unset (`-`), with the class each must get. */
const CASES: [state: string, history: string, want: number][] = [
  ['RSTO', 'ShAT', EXCHANGE_DATA], // the originator retransmitted payload
  ['RSTR', 'ShAt', EXCHANGE_DATA], // the responder did
  ['OTH', '^G', EXCHANGE_DATA], // a content gap: payload the sensor missed (flipped or not, it is data)
  ['RSTO', 'ShAgR', EXCHANGE_DATA],
  ['RSTO', 'ShADR', EXCHANGE_DATA], // D as before
  ['RSTO', '^hR', EXCHANGE_QUIET_FLIPPED], // backscatter, unchanged
  ['S0', 'S', EXCHANGE_QUIET], // an own attempt, unchanged
  ['REJ', 'Sr', EXCHANGE_QUIET],
  ['RSTO', 'ShAWR', EXCHANGE_QUIET], // a zero window is no payload
];

function line(i: number, state: string, history: string): string {
  const v: Record<string, string | number> = { ts: (1713484800 + i * 600).toFixed(6), uid: 'Cx', 'id.orig_h': `10.0.0.${i + 1}`, 'id.orig_p': 40000, 'id.resp_h': `198.51.100.${i + 1}`, 'id.resp_p': 443, proto: 'tcp', service: '-', duration: '-', orig_bytes: '-', resp_bytes: '-', conn_state: state, local_orig: 'T', local_resp: 'F', missed_bytes: 0, history, orig_pkts: 1, orig_ip_bytes: 60, resp_pkts: 1, resp_ip_bytes: 40, tunnel_parents: '-' };
  return FIELDS.map((f) => v[f]).join('\t');
}

describe('Zeek history: T/t (retransmitted payload) and G/g (content gap) are payload, as D/d', () => {
  test('historyKind and exchangeClass: unset byte counts, one class per history', () => {
    for (const [state, history, want] of CASES) assert.equal(exchangeClass(connStateKind(state), historyKind(history), payloadCount('-'), payloadCount('-')), want, `${state} ${history}`);
    assert.deepEqual(['T', 't', 'G', 'g', 'D', 'd', '^', 'S', 'ShAFf', 'W', ''].map(historyKind), [1, 1, 1, 1, 1, 1, 2, 0, 0, 0, -1]);
  });

  test('the TSV byte path, the string path and Zeek JSON give every record the same class', async () => {
    const tsv = join(TMP, 'conn.log');
    writeFileSync(tsv, [...HEADER, ...CASES.map(([s, h], i) => line(i, s, h))].join('\n') + '\n');
    const json = join(TMP, 'conn.json');
    writeFileSync(json, CASES.map(([s, h], i) => {
      const cols = line(i, s, h).split('\t');
      const o: Record<string, unknown> = { _path: 'conn' };
      FIELDS.forEach((name, j) => { if (cols[j] !== '-') o[name] = /^\d+(\.\d+)?$/.test(cols[j]) && !['uid', 'id.orig_h', 'id.resp_h', 'history'].includes(name) ? Number(cols[j]) : cols[j]; });
      return JSON.stringify(o);
    }).join('\n') + '\n');
    const want = CASES.map((c) => c[2]);
    const read = async (file: string, strings: boolean) => {
      const out: number[] = [];
      const info = await sniffInput(file);
      // a host handler sends a TSV conn log down the string path
      await readZeekFile(info!, strings ? { conn: (r) => out.push(r.exchange!), host: () => undefined } : { conn: (r) => out.push(r.exchange!) });
      return out;
    };
    assert.deepEqual(await read(tsv, false), want, 'byte path');
    assert.deepEqual(await read(tsv, true), want, 'string path');
    assert.deepEqual(await read(json, false), want, 'Zeek JSON');
  });

  test('beacons --json: a pair whose only sign of payload is a retransmission is not "No data exchanged"', async () => {
    const rows: string[] = [];
    // pair 1: 72 connections, RSTO ShAT, bytes unset (before: "No data exchanged"); pair 2: 72 × S0 S (own attempts)
    for (let i = 0; i < 72; i++) {
      const a = line(0, 'RSTO', 'ShAT').split('\t');
      a[0] = (1713484800 + i * 600).toFixed(6);
      rows.push(a.join('\t'));
      const b = line(1, 'S0', 'S').split('\t');
      b[0] = (1713484801 + i * 600).toFixed(6);
      rows.push(b.join('\t'));
    }
    const file = join(TMP, 'pairs.log');
    writeFileSync(file, [...HEADER, ...rows].join('\n') + '\n');
    const c = capture();
    assert.equal(await main(['beacons', file, '--json'], c.io), 0, c.err());
    const j = JSON.parse(c.out()) as { pairs: { src: string; traffic: string | null; neverCarriedData: boolean | null }[] };
    assert.deepEqual(j.pairs.map((p) => [p.src, p.traffic, p.neverCarriedData]).sort(), [
      ['10.0.0.1', 'Data exchanged', false],
      ['10.0.0.2', 'No data exchanged', true],
    ]);
  });
});
