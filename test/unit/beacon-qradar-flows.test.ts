/**
 * Beacon detection on QRadar flow data, read without a column mapping: the Network Activity tab's CSV export
 * (display-name headers, times as `Dec 3, 2026, 8:00:00 AM` in the console's zone) and Ariel flow search results
 * saved as JSON (`{"flows":[…]}`, epoch-ms `starttime`, `protocolid`). The fixtures in test/fixtures/qradar-flows are
 * synthetic (make-fixtures.mjs, README.md there): 10.20.30.40 → 203.0.113.50:443 every 60 s (±2 s) for 4 hours, 517
 * bytes out each time, from 8:00 AM Berlin time (07:00 UTC) on Dec 3, 2026, amid noise; two damaged rows.
 * Before, such a CSV was a file with "no column mapping" (CLI) or a mapping prompt (extension), and the Ariel JSON a
 * file that is "not a Zeek log, CSV or JSON-lines file": nothing was scored.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { planInputs, QRADAR_EVENTS_REASON, runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconsCommand } from '../../src/core/analyze/beacons/cli';
import { capture } from './cli-capture';
import { MAX_ARIEL_BYTES, MAX_ARIEL_INFLATED_BYTES } from '../../src/core/parse/conn-csv';

const DIR = path.resolve(__dirname, '../../../test/fixtures/qradar-flows');
const CSV = path.join(DIR, 'network-activity-export.csv');
const ARIEL = path.join(DIR, 'ariel-flows.json');
const START_UTC = Date.UTC(2026, 11, 3, 7, 0, 0); // Dec 3, 2026, 8:00:00 AM in Europe/Berlin (CET)
const HOUR = 3600_000;

/** What both fixtures must give: the beacon first and high, the noise below it, the damaged rows reported. */
function assertBeacon(a: Awaited<ReturnType<typeof runBeaconAnalysis>>, offsetMs: number): void {
  const s = a.summary;
  assert.equal(s.files, 1);
  assert.equal(s.records, 327); // 240 beacon + 87 noise flows; the 2 damaged rows are not records
  assert.equal(s.unparsedLines, 2);
  assert.deepEqual(a.filtered, { 'external-to-internal': 5 }); // the inbound SSH probes
  assert.equal(s.pairsSeen, 30);
  assert.equal(s.pairs, 4);
  assert.deepEqual([s.high, s.medium, s.low], [1, 1, 0]);
  const p = a.pairs[0];
  assert.equal(`${p.src} → ${p.dst}`, '10.20.30.40 → 203.0.113.50');
  assert.equal(p.severity, 'high');
  assert.equal(p.score, 1);
  assert.equal(p.count, 240);
  assert.equal(p.uniqueTs, 240);
  assert.equal(p.ports, '443/tcp');
  // Source Bytes are the client's (RITA's orig bytes, the data-size score); bytes = source + destination bytes
  assert.equal(p.origBytes, 240 * 517);
  assert.equal(p.dsMode, 517);
  assert.equal(p.tsMode, 60);
  assert.equal(p.bytes, 484520);
  // (the CSV's display times are whole seconds; Ariel's epoch ms keep the ±2 s jitter's milliseconds)
  assert.equal(Math.floor(p.firstSeenMs / 1000) * 1000, START_UTC + offsetMs);
  assert.equal(Math.floor(p.lastSeenMs / 1000) * 1000, START_UTC + offsetMs + 239 * 60_000);
  // the noise: a web server visited at random times and sizes, DNS, a browsed site
  assert.deepEqual(
    a.pairs.slice(1).map((x) => `${x.src} → ${x.dst}:${x.ports} ${x.count} ${x.severity}`),
    ['10.20.30.41 → 198.51.100.7:80/tcp 30 medium', '10.20.30.43 → 192.0.2.53:53/udp 12 none', '10.20.30.42 → 198.51.100.49:443/tcp 4 none'],
  );
}

test('QRadar Network Activity CSV: recognised by its header, read in the console zone, the 60 s beacon scored high', async () => {
  const a = await runBeaconAnalysis([CSV], { consoleTimeZone: 'Europe/Berlin', parseWorkers: 0 });
  assertBeacon(a, 0);
  assert.deepEqual(a.skipped, []);
  // the damaged rows, by file and line (the rest of the file is kept)
  assert.deepEqual(
    a.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.message}`),
    [
      'network-activity-export.csv:13 unreadable timestamp in First Packet Time: not a QRadar time ("Dec 33, 2026, 9:15:00 AM"); expected e.g. "Mar 3, 2026, 2:20:05 PM" or epoch ms',
      'network-activity-export.csv:24 missing or invalid source address in Source IP: ""',
    ],
  );
  assert.ok(a.notes.includes('QRadar flow export times (327, written without a zone) were read in the console zone Europe/Berlin'), a.notes.join('\n'));
});

test('QRadar Network Activity CSV without a console zone: read as UTC, and a note says so', async () => {
  const a = await runBeaconAnalysis([CSV], { parseWorkers: 0 });
  assertBeacon(a, HOUR); // 8:00 AM read as 08:00 UTC: an hour later than the Berlin console meant
  assert.ok(
    a.notes.some((n) => n.startsWith('QRadar flow export times (327, written without a zone) were read as UTC: no console zone was given (--console-tz, setting socAnalytics.qradar.consoleTimeZone)')),
    a.notes.join('\n'),
  );
});

test('Ariel flow results {"flows":[…]}: epoch-ms starttime, protocolid 6/17; damaged flows reported by line, the rest kept', async () => {
  const a = await runBeaconAnalysis([ARIEL], { consoleTimeZone: 'Asia/Tokyo', parseWorkers: 0 });
  assertBeacon(a, 0); // epoch times: the console zone does not apply
  assert.deepEqual(
    a.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.message}`),
    ['ariel-flows.json:13 unreadable timestamp in starttime: not a QRadar time ("n/a"); expected e.g. "Mar 3, 2026, 2:20:05 PM" or epoch ms', 'ariel-flows.json:24 missing or invalid source address in sourceip: ""'],
  );
  // no display times: no note about the console zone
  assert.ok(!a.notes.some((n) => n.includes('QRadar flow export times')), a.notes.join('\n'));
});

test('Ariel flow results pretty-printed, cut short: every complete flow is kept, the cut is reported', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-ariel-'));
  const file = path.join(dir, 'search.json');
  const flows = Array.from({ length: 10 }, (_, i) => ({ sourceip: '10.1.1.1', destinationip: '203.0.113.7', destinationport: '8443', starttime: `${START_UTC + i * 300_000}.0`, sourcebytes: '300.0', destinationbytes: 1000, protocolid: 6 }));
  const text = JSON.stringify({ flows }, null, 2);
  writeFileSync(file, text.slice(0, text.lastIndexOf('{') + 20)); // inside the 10th flow
  const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  assert.equal(a.summary.records, 9);
  assert.equal(a.pairs[0].ports, '8443/tcp');
  assert.equal(a.pairs[0].origBytes, 9 * 300);
  assert.equal(a.pairs[0].tsMode, 300);
  assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), [`${text.slice(0, text.lastIndexOf('{')).split('\n').length} file ends inside the "flows" array (cut inside flow 10); every complete flow was kept`]);
});

test('header matching is tolerant (case, spacing, internal names); a Log Activity event export is not taken for flows', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-qflow-'));
  const flows = path.join(dir, 'flows.csv');
  const rows = ['\uFEFFfirstPacketTime,SOURCE IP,destination_ip,Destination  Port,sourceBytes,destinationBytes,protocol'];
  for (let i = 0; i < 12; i++) rows.push(`${START_UTC + i * 120_000},10.9.9.9,198.51.100.80,53,"1,200",80,17`);
  writeFileSync(flows, rows.join('\n') + '\n');
  const a = await runBeaconAnalysis([flows], { parseWorkers: 0 });
  assert.equal(a.summary.records, 12);
  assert.equal(a.pairs[0].ports, '53/udp'); // protocol id 17
  assert.equal(a.pairs[0].origBytes, 12 * 1200); // "1,200" with a thousands separator
  assert.deepEqual(a.errors, []);
  // Log Activity (events): Start Time, Source IP, Destination IP but nothing only flows have: skipped as events
  // (it asked for a column mapping, and the CLI said its address columns were "not recognised")
  const events = path.join(dir, 'events.csv');
  writeFileSync(events, 'Event Name,Log Source,Start Time,Source IP,Destination IP,Destination Port\nLogin,fw,"Dec 3, 2026, 8:00:00 AM",10.1.1.1,10.2.2.2,22\n');
  const b = await runBeaconAnalysis([events], { parseWorkers: 0 });
  assert.equal(b.summary.files, 0);
  const plan = await planInputs([events], { sni: true });
  assert.deepEqual([plan.needsMapping.length, plan.skipped.map((k) => k.reason)], [0, [QRADAR_EVENTS_REASON]]);
});

test('soc-analytics beacons <QRadar CSV> --console-tz: the beacon with its times in the console zone; a bad zone is exit 2', async () => {
  const c = capture();
  assert.equal(await beaconsCommand([CSV, '--console-tz', 'Europe/Berlin', '--json'], c.io), 0);
  const doc = JSON.parse(c.out()) as { pairs: { src: string; dst: string; severity: string; count: number; firstSeen: string }[]; notes: string[] };
  assert.deepEqual(
    { src: doc.pairs[0].src, dst: doc.pairs[0].dst, severity: doc.pairs[0].severity, count: doc.pairs[0].count, firstSeen: doc.pairs[0].firstSeen },
    { src: '10.20.30.40', dst: '203.0.113.50', severity: 'high', count: 240, firstSeen: '2026-12-03T07:00:00Z' },
  );
  const bad = capture();
  assert.equal(await beaconsCommand([CSV, '--console-tz', 'Mars/Olympus'], bad.io), 2);
  assert.match(bad.err(), /--console-tz Mars\/Olympus: unknown time zone/);
  // the fixture is what make-fixtures.mjs writes (CRLF line ends, every value quoted, as the console exports)
  assert.ok(readFileSync(CSV, 'utf8').startsWith('"Flow Type","First Packet Time","Storage Time","Source IP"'));
});

test('planInputs: a QRadar flow export is planned with its columns as the qradar-flows preset (the extension asks nothing); a given mapping wins', async () => {
  const plan = await planInputs([CSV, ARIEL], { sni: true });
  assert.deepEqual(plan.needsMapping, []);
  assert.deepEqual(
    plan.planned.map((p) => ({ file: path.basename(p.info.file), preset: p.preset, ts: p.mapping?.ts, bytes: p.mapping?.bytes, respBytes: p.mapping?.respBytes, proto: p.mapping?.proto })),
    [
      { file: 'network-activity-export.csv', preset: 'qradar-flows', ts: 'First Packet Time', bytes: 'Source Bytes', respBytes: 'Destination Bytes', proto: 'Protocol' },
      { file: 'ariel-flows.json', preset: 'qradar-flows', ts: 'starttime', bytes: 'sourcebytes', respBytes: 'destinationbytes', proto: 'protocolid' },
    ],
  );
  const given = { ts: 'Storage Time', src: 'Source IP', dst: 'Destination IP' };
  const mine = await planInputs([CSV], { sni: true, mappings: { [CSV]: given } });
  assert.equal(mine.planned[0].preset, undefined);
  assert.deepEqual(mine.planned[0].mapping, given);
});

test('console times at DST changes: a repeated hour is read as its earlier instant and noted, a skipped hour is an unreadable row; icmp.ip', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-qflow-dst-'));
  const file = path.join(dir, 'flows.csv');
  const rows = ['"First Packet Time","Source IP","Destination IP","Destination Port","Source Bytes","Destination Bytes","Protocol"'];
  // Europe/Berlin: clocks go back at 3:00 AM CEST on Oct 25, 2026 (2:00–2:59 AM twice), forward at 2:00 AM on Mar 29, 2026
  for (const t of ['12:30:00 AM', '1:30:00 AM', '2:30:00 AM', '3:30:00 AM', '4:30:00 AM']) rows.push(`"Oct 25, 2026, ${t}","10.1.1.1","203.0.113.9","0","64","64","icmp.ip"`);
  rows.push('"Mar 29, 2026, 2:30:00 AM","10.1.1.1","203.0.113.9","0","64","64","icmp.ip"');
  writeFileSync(file, rows.join('\n') + '\n');
  const a = await runBeaconAnalysis([file], { consoleTimeZone: 'Europe/Berlin', internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  assert.equal(a.summary.records, 5);
  const p = a.pairs[0];
  assert.equal(p.ports, 'icmp');
  assert.equal(p.firstSeenMs, Date.UTC(2026, 9, 24, 22, 30)); // 12:30 AM CEST (UTC+2)
  assert.equal(p.lastSeenMs, Date.UTC(2026, 9, 25, 3, 30)); // 4:30 AM CET (UTC+1)
  assert.equal(p.uniqueTs, 5);
  assert.ok(a.notes.includes('1 QRadar flow time fell in the hour that occurs twice when clocks go back in Europe/Berlin and was read as the earlier one'), a.notes.join('\n'));
  assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), ['7 unreadable timestamp in First Packet Time: "Mar 29, 2026, 2:30:00 AM" does not exist in Europe/Berlin (clocks moved forward)']);
});

test('Ariel flow results gzipped (.json.gz): read as the plain file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-ariel-gz-'));
  const file = path.join(dir, 'ariel-flows.json.gz');
  writeFileSync(file, gzipSync(readFileSync(ARIEL)));
  const a = await runBeaconAnalysis([file], { parseWorkers: 0 });
  assertBeacon(a, 0);
  assert.deepEqual(a.errors.map((e) => e.line), [13, 24]);
});

test('Ariel results as several documents ({"flows":[…]} per line): every document is read; other trailing content is reported by line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-ariel-docs-'));
  const flow = (i: number) => ({ starttime: START_UTC + i * 600_000, sourceip: '10.1.1.5', destinationip: '203.0.113.9', destinationport: 443, protocolid: 6, sourcebytes: 1200 });
  const doc = (from: number) => JSON.stringify({ flows: Array.from({ length: 25 }, (_, i) => flow(from + i)) });
  const file = path.join(dir, 'two-docs.json');
  writeFileSync(file, `${doc(0)}\n${doc(25)}\n`); // before: only the first document's 25 flows, no error
  const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  assert.equal(a.summary.records, 50);
  assert.equal(a.pairs[0].count, 50);
  assert.deepEqual(a.errors, []);
  const junk = path.join(dir, 'junk.json');
  writeFileSync(junk, `${doc(0)}\n\n{"events":[{"qid":1}]}\n`);
  const b = await runBeaconAnalysis([junk], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  assert.equal(b.summary.records, 25);
  assert.deepEqual(b.errors.map((e) => `${e.line} ${e.message}`), ['3 content after the "flows" array that is not another {"flows":[…]} document was not read']);
});

test('Ariel results whose first element is damaged, not an object, sparse or huge: the columns come from the next flows, the element is reported', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-ariel-first-'));
  const good = Array.from({ length: 12 }, (_, i) => JSON.stringify({ starttime: START_UTC + i * 600_000, sourceip: '10.1.1.5', destinationip: '203.0.113.9', destinationport: 443, protocolid: 6, sourcebytes: 1200, destinationbytes: 3400 }));
  const cases: [string, string, string][] = [
    ['badfirst', '{"starttime":1796200000000,,}', '2 flow 1: unreadable JSON'],
    ['numfirst', '1', '2 flow 1: not a JSON object'],
    ['sparsefirst', '{"starttime":1796200000000,"qid":5}', '2 missing or invalid source address in sourceip: ""'],
    ['hugefirst', JSON.stringify({ note: 'x'.repeat(200_000) }), '2 unreadable timestamp in starttime: no time'],
  ];
  for (const [name, first, error] of cases) {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, `{"flows":[\n${[first, ...good].join(',\n')}\n]}\n`); // before: skipped whole, "not a connection log"
    const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
    assert.deepEqual(a.skipped, [], name);
    assert.equal(a.summary.records, 12, name);
    assert.equal(a.pairs[0].origBytes, 12 * 1200, name);
    assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), [error], name);
  }
});

test('a CSV header naming a mapped column twice: the first column is read (as the detected mapping says) and a note names it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-qflow-dup-'));
  const file = path.join(dir, 'duphdr.csv');
  const rows = ['"First Packet Time","Source IP","Destination IP","Destination Port","Source Bytes","Protocol","Source IP"'];
  for (let i = 0; i < 12; i++) rows.push(`"${START_UTC + i * 600_000}","10.1.1.5","203.0.113.9","443","1200","tcp.ip","192.0.2.1"`);
  writeFileSync(file, rows.join('\n') + '\n');
  const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  assert.equal(a.summary.records, 12);
  // before: every flow read the decoy 192.0.2.1 (the last "Source IP"), left out as external ↔ external
  assert.deepEqual(a.pairs.map((p) => `${p.src} → ${p.dst} ${p.count}`), ['10.1.1.5 → 203.0.113.9 12']);
  assert.ok(a.notes.includes('duphdr.csv: the header names column "Source IP" 2 times (columns 2, 7); the first was read as source address'), a.notes.join('\n'));
});

test('a gzip bomb named .json.gz with Ariel results: inflating stops at the 256 MB limit and the file is reported too large', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-ariel-bomb-'));
  const file = path.join(dir, 'bomb.json.gz');
  const head = gzipSync('{"flows":[{"starttime":1796200000000,"sourceip":"10.1.1.5","destinationip":"203.0.113.9","sourcebytes":1200}');
  const pad = gzipSync(Buffer.alloc(16 << 20, 0x20)); // 16 MB of spaces in 16 KB; gzip members one after another are one stream
  writeFileSync(file, Buffer.concat([head, ...Array.from({ length: 17 }, () => pad), gzipSync(']}\n')])); // 272 MB inflated
  // bytes each gunzip stream of this thread hands on (the analysis reads in this thread: parseWorkers 0)
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const realGunzip = zlib.createGunzip;
  let mostInflated = 0;
  const swap = (f: typeof realGunzip) => Object.defineProperty(zlib, 'createGunzip', { value: f, writable: false, enumerable: true, configurable: true });
  swap((o?: import('node:zlib').ZlibOptions) => {
    const z = realGunzip(o);
    const push = z.push.bind(z);
    let n = 0;
    z.push = (chunk: unknown, enc?: BufferEncoding) => {
      if (Buffer.isBuffer(chunk)) mostInflated = Math.max(mostInflated, (n += chunk.length));
      return push(chunk, enc);
    };
    return z;
  });
  let a: Awaited<ReturnType<typeof runBeaconAnalysis>>;
  try {
    a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  } finally {
    swap(realGunzip);
  }
  // before: inflated whole (the limit was 512 MB) and read as 1 flow, no error
  assert.equal(a.summary.records, 0);
  assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), ['0 Ariel results file too large: more than 256 MB decompressed (the limit); not read']);
  // inflating stopped at the limit (a count, not a time): not the whole 272 MB
  assert.ok(mostInflated > MAX_ARIEL_INFLATED_BYTES && mostInflated < MAX_ARIEL_INFLATED_BYTES + (4 << 20), `${mostInflated} bytes inflated`);
});

test('byte counts above 10^15 or infinite (1e308) are unreadable values reported by line; the sums stay finite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-qflow-huge-'));
  const csv = path.join(dir, 'flows.csv');
  const rows = ['"First Packet Time","Source IP","Destination IP","Destination Port","Source Bytes","Destination Bytes","Protocol"'];
  for (let i = 0; i < 12; i++) rows.push(`"${START_UTC + i * 600_000}","10.1.1.5","203.0.113.9","443","${i === 3 ? '1e308' : '1200'}","${i === 5 ? '2e15' : '3400'}","tcp.ip"`);
  writeFileSync(csv, rows.join('\n') + '\n');
  const a = await runBeaconAnalysis([csv], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  // before: 12 records, bytes Infinity (null in --json)
  assert.equal(a.summary.records, 10);
  assert.equal(a.pairs[0].bytes, 10 * (1200 + 3400));
  assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), ['5 unreadable byte count in Source Bytes: "1e308" (more than 10^15)', '7 unreadable byte count in Destination Bytes: "2e15" (more than 10^15)']);
  const ariel = path.join(dir, 'ariel.json');
  const flows = Array.from({ length: 12 }, (_, i) => ({ starttime: START_UTC + i * 600_000, sourceip: '10.1.1.5', destinationip: '203.0.113.9', destinationport: 443, protocolid: 6, sourcebytes: i === 0 ? 1e308 : 1200 }));
  writeFileSync(ariel, `{"flows":[\n${flows.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`);
  const b = await runBeaconAnalysis([ariel], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  assert.equal(b.summary.records, 11);
  assert.equal(b.pairs[0].origBytes, 11 * 1200);
  assert.deepEqual(b.errors.map((e) => `${e.line} ${e.message}`), ['2 unreadable byte count in sourcebytes: 1e+308 (more than 10^15)']);
});

test('JSON-lines firewall records that have a "flows" key are read as JSON lines, not taken for Ariel results', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-jsonl-flows-'));
  const file = path.join(dir, 'fw.json');
  const recs = Array.from({ length: 12 }, (_, i) => JSON.stringify({ flows: [], timestamp: START_UTC / 1000 + i * 600, src_ip: '10.1.1.5', dst_ip: '203.0.113.9', dst_port: 443, bytes_sent: 1200 }));
  writeFileSync(file, recs.join('\n') + '\n');
  const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
  // before: skipped as "not a connection log: no header line" (an Ariel document with no flows)
  assert.deepEqual(a.skipped, []);
  assert.equal(a.summary.records, 12);
  assert.deepEqual(a.pairs.map((p) => `${p.src} → ${p.dst}:${p.ports} ${p.origBytes}`), ['10.1.1.5 → 203.0.113.9:443 14400']);
});

test('an unclosed quote in the last column that swallows the next line: both records are read and the damaged one is reported by line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-qflow-unclosed-'));
  const qradar = path.join(dir, 'flows.csv');
  const rows = ['"First Packet Time","Source IP","Destination IP","Destination Port","Source Bytes","Protocol","Source Payload"'];
  for (let i = 0; i < 12; i++) rows.push(`"Dec 3, 2026, ${i + 1}:00:00 AM","10.1.1.5","203.0.113.9","443","1200","tcp.ip","${i === 4 ? 'unclosed' : 'GET /"'}`);
  writeFileSync(qradar, rows.join('\n') + '\n');
  const fw = path.join(dir, 'fw.csv');
  const lines = ['timestamp,src_ip,dst_ip,dst_port,bytes_sent,payload'];
  for (let i = 0; i < 12; i++) lines.push(`${START_UTC / 1000 + i * 600},10.1.1.5,203.0.113.9,443,1200,"${i === 4 ? 'unclosed' : 'GET"'}`);
  writeFileSync(fw, lines.join('\n') + '\n');
  for (const file of [qradar, fw]) {
    const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
    // before: 11 records, no error (line 7 was read as the end of line 6's payload)
    assert.equal(a.summary.records, 12, file);
    assert.deepEqual(
      a.errors.map((e) => `${e.line} ${e.message}`),
      ['6 unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own (the quote closes on line 7: lines 6–7 would be one record, and a line inside its quoted field is a connection record of its own)'],
      file,
    );
  }
});

test('a plain Ariel results file of 264 MiB (above the 256 MB gzip limit, under 512 MB) is read, as before that limit (a .json.gz is still inflated only up to 256 MB: the gzip bomb test above)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soc-ariel-300mb-'));
  try {
    const file = path.join(dir, 'search.json');
    const flows = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ starttime: START_UTC + i * 600_000, sourceip: '10.1.1.5', destinationip: '203.0.113.9', destinationport: 443, protocolid: 6, sourcebytes: 1200, destinationbytes: 3400 }),
    );
    const doc = Buffer.from(`{"flows":[\n${flows.join(',\n')}\n]}\n`);
    // the 12 flows, then blank lines up to 264 MiB (a search of ~1.15 million flows has that size; parsing them would take the test seconds)
    const big = Buffer.alloc(264 << 20, 0x20);
    for (let i = 79; i < big.length; i += 80) big[i] = 0x0a;
    doc.copy(big);
    writeFileSync(file, big);
    const a = await runBeaconAnalysis([file], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
    // before: `0 Ariel results file too large (276824064 bytes, limit 268435456); not read`, nothing read
    assert.deepEqual(a.errors, []);
    assert.equal(a.summary.records, 12);
    assert.equal(a.pairs[0]?.bytes, 12 * (1200 + 3400));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ariel limits: plain files up to 512 MiB (within the longest string V8 makes), gzip inflated up to 256 MiB', () => {
  assert.equal(MAX_ARIEL_INFLATED_BYTES, 256 * 1024 * 1024);
  assert.equal(MAX_ARIEL_BYTES, Math.min(512 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH));
  assert.ok(MAX_ARIEL_BYTES > 500 * 1024 * 1024);
});
