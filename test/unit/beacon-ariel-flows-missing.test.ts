/**
 * Ariel flow results (`{"flows":[…]}`) whose flows lack the columns the beacon analysis needs (time, source,
 * destination): one clear problem naming the missing columns, not a silently empty result nor one "unreadable" line
 * per flow, and never "not a connection log". Fixtures: test/fixtures/qradar-flows (synthetic, make-fixtures.mjs):
 * ariel-flows.json (327 good flows, 2 damaged) and ariel-flows-no-ips.json (its first 6 flows without sourceip and
 * destinationip, as a search whose SELECT left the addresses out).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { planInputs, runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconsCommand } from '../../src/core/analyze/beacons/cli';
import { qradarFlowMissing } from '../../src/core/parse/qradar-flows';
import { capture } from './cli-capture';

const DIR = path.resolve(__dirname, '../../../test/fixtures/qradar-flows');
const ARIEL = path.join(DIR, 'ariel-flows.json');
const NO_IPS = path.join(DIR, 'ariel-flows-no-ips.json');
const COLUMNS = 'starttime, sourceport, destinationport, protocolid, sourcebytes, destinationbytes, sourcepackets, destinationpackets, flowtype';
const where = (a: { errors: { file: string; line: number; message: string }[] }) => a.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.message}`);

test('qradarFlowMissing names the needed fields a flow record has no column for', () => {
  assert.deepEqual(qradarFlowMissing(COLUMNS.split(', ')), [
    'source address (sourceip, sourceaddress or sourceipv6)',
    'destination address (destinationip, destinationaddress or destinationipv6)',
  ]);
  assert.deepEqual(qradarFlowMissing(['Source IP', 'Destination IP', 'Storage Time']), ['time (firstpackettime, starttime or flowstarttime)']);
  assert.deepEqual(qradarFlowMissing(['sourceip', 'destinationip', 'starttime']), []);
});

test('no mapping found: the problem names the missing address columns (it was "not a connection log: no source or destination address column")', async () => {
  const plan = await planInputs([NO_IPS], { sni: true });
  assert.deepEqual(plan.skipped, []); // flow data: never "not a connection log"; the extension asks for a mapping
  assert.deepEqual(plan.needsMapping.map((i) => path.basename(i.file)), ['ariel-flows-no-ips.json']);
  const a = await runBeaconAnalysis([NO_IPS], { parseWorkers: 0 });
  assert.equal(a.summary.records, 0);
  assert.deepEqual(where(a), [
    `ariel-flows-no-ips.json:0 no column mapping: Ariel flow results without a column for the source address (sourceip, sourceaddress or sourceipv6), destination address (destinationip, destinationaddress or destinationipv6) in its flows (columns: ${COLUMNS}): map its columns to read it`,
  ]);
  const c = capture();
  assert.equal(await beaconsCommand([NO_IPS], c.io), 3);
  assert.match(c.out(), /ariel-flows-no-ips\.json: no column mapping: Ariel flow results without a column for the source address \(sourceip, /);
});

test('a mapping whose time, source or destination column is in no flow: one problem naming them, no flow counted unparsed', async () => {
  // before: 6 "unreadable lines — first: …:2 missing or invalid source address in src_ip" and nothing naming the cause
  const a = await runBeaconAnalysis([NO_IPS], { parseWorkers: 0, mapping: { ts: 'starttime', src: 'src_ip', dst: 'dest_ip', dport: 'destinationport', bytes: 'sourcebytes' } });
  assert.equal(a.summary.records, 0);
  assert.equal(a.summary.unparsedLines, 0);
  assert.deepEqual(where(a), [
    `ariel-flows-no-ips.json:0 no connection read: the time, source and destination columns are needed, and "src_ip" (src), "dest_ip" (dst) are in none of its 6 flows (its columns: ${COLUMNS})`,
  ]);
  // the real fixture with one wrong column: only that one is named; optional columns in no flow are named as the JSON-lines reader names them
  const b = await runBeaconAnalysis([ARIEL], { parseWorkers: 0, mapping: { ts: 'starttime', src: 'sourceip', dst: 'dst_addr', bytes: 'src_bytes' } });
  assert.equal(b.summary.records, 0);
  assert.equal(b.summary.unparsedLines, 0);
  assert.deepEqual(where(b), [
    `ariel-flows.json:0 no connection read: the time, source and destination columns are needed, and "dst_addr" (dst) is in none of its 329 flows (its columns: starttime, sourceip, sourceport, destinationip, destinationport, protocolid, sourcebytes, destinationbytes, sourcepackets, destinationpackets, flowtype)`,
    'ariel-flows.json:0 mapped column "src_bytes" (bytes) is not in the file: not read',
  ]);
  const c = capture();
  assert.equal(await beaconsCommand([NO_IPS, '--map', 'starttime=ts,src_ip=src,dest_ip=dst'], c.io), 3);
  assert.ok(c.out().includes('"src_ip" (src), "dest_ip" (dst) are in none of its 6 flows'), c.out());
  assert.doesNotMatch(c.out(), /unreadable lines/);
});

test('flows that lack a column only at first: those flows are reported by line once the column is seen, the others read', async () => {
  const d = mkdtempSync(path.join(tmpdir(), 'soc-ariel-late-'));
  try {
    const lines = readFileSync(ARIEL, 'utf8').split('\n');
    // flows 1 and 2 (lines 2 and 3) without sourceip
    for (const k of [1, 2]) lines[k] = lines[k].replace(/"sourceip":"[^"]*",/, '');
    const f = path.join(d, 'late.json');
    writeFileSync(f, lines.join('\n'));
    const a = await runBeaconAnalysis([f], { parseWorkers: 0 });
    assert.equal(a.summary.records, 325); // 327 good flows, 2 without a source
    assert.equal(a.summary.unparsedLines, 4); // those 2 and the 2 damaged flows of the fixture
    assert.deepEqual(where(a).slice(0, 2), ['late.json:2 missing or invalid source address in sourceip: ""', 'late.json:3 missing or invalid source address in sourceip: ""']);
    assert.equal(a.errors.length, 4);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
