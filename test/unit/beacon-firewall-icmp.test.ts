/**
 * A generic firewall CSV read with the `firewall-csv` preset (CLI `--map firewall-csv`, the mapping picker's
 * "Generic firewall CSV"): its protocol and bytes_received columns are read when the export has them, and an ICMP
 * connection, which a firewall export writes with port 0 and no ICMP type, shows as `icmp`, never as port `0`
 * (the Ports column said "0" for a ping every minute, and "0/icmp" with a protocol column).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { parseMappingSpec } from '../../src/core/parse/conn-csv';

test('firewall-csv preset: protocol and bytes received are read; ICMP without a type is "icmp", not port 0', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-fw-'));
  const file = path.join(dir, 'fw.csv');
  const rows = ['timestamp,src_ip,src_port,dst_ip,dst_port,protocol,bytes_sent,bytes_received,action'];
  for (let i = 0; i < 40; i++) {
    const t = 1_700_000_000 + i * 60;
    rows.push(`${t},10.0.0.5,0,203.0.113.9,0,ICMP,64,84,allow`);
    rows.push(`${t},10.0.0.6,${40000 + i},203.0.113.10,443,tcp,517,4096,allow`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
  const a = await runBeaconAnalysis([file], { mapping: parseMappingSpec('firewall-csv'), internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  const bySrc = new Map(a.pairs.map((p) => [p.src, p]));
  assert.equal(bySrc.get('10.0.0.5')?.ports, 'icmp');
  assert.equal(bySrc.get('10.0.0.6')?.ports, '443/tcp');
  assert.equal(bySrc.get('10.0.0.5')?.count, 40);
  // bytes = sent + received (RITA's total bytes): 40 × (64 + 84)
  assert.equal(bySrc.get('10.0.0.5')?.bytes, 40 * (64 + 84));
});
