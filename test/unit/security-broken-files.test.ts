/**
 * Broken files for every analysis other than Loki (the Loki path has test/unit/hostile-loki.test.ts
 * and test/hostile/big-input.mjs): QRadar offenses/events, beacons (Zeek/conn exports), cases and
 * Ariel counts, each run through its worker-side runner on a folder or file list that mixes good
 * data with an empty file, a binary file, invalid UTF-8, mixed line ends (CRLF, LF, lone CR), a
 * truncated gzip, a symlink loop, a missing file, a 50 MB single line and (not as root) an unreadable
 * file. Each run must not throw, must name every bad file in an error or a skip reason, and must
 * keep every readable record. Generated into os.tmpdir() and removed afterwards.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { readArielCounts } from '../../src/core/qradar-api/ariel';
import { assertSubquadraticAsync } from './cpu-cost';

const SHARED = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-broken-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

function dir(name: string): string {
  const d = path.join(TMP, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}
function put(d: string, name: string, content: string | Buffer): string {
  const p = path.join(d, name);
  fs.writeFileSync(p, content);
  return p;
}
function loop(d: string): void {
  fs.symlinkSync(path.join(d, 'loop-b'), path.join(d, 'loop-a'));
  fs.symlinkSync(path.join(d, 'loop-a'), path.join(d, 'loop-b'));
}
/** 50 MB on one line without a line end. */
function bigLine(d: string, name: string): string {
  const p = path.join(d, name);
  const fd = fs.openSync(p, 'w');
  const chunk = Buffer.alloc(1 << 20, 'a');
  for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return p;
}
const BINARY = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x00, 0x41, 0x00, 0x7f, 0x80]);
/** Every name must appear in an error's or skip's file. */
function named(kind: string, reported: { file: string }[], names: string[]): void {
  const files = reported.map((r) => path.basename(r.file));
  for (const n of names) assert.ok(files.includes(n), `${kind}: ${n} is not named in any message (${files.join(', ')})`);
}

test('broken files: QRadar offenses and events keep every readable record and name each bad file', async () => {
  const d = dir('qradar');
  fs.copyFileSync(path.join(SHARED, 'qradar/samples/offenses.json'), path.join(d, 'offenses.json'));
  put(d, 'empty.json', '');
  put(d, 'binary.json', BINARY);
  put(d, 'bad-utf8.json', Buffer.concat([Buffer.from('[{"id": 9001, "description": "caf'), Buffer.from([0xe9, 0xff]), Buffer.from('", "offense_source": "10.1.1.1", "start_time": 1772437272318}]')]));
  put(d, 'mixed-endings.csv', 'Event Name,Log Source,Start Time\r\nA,ls,"Mar 3, 2026, 2:20:05 PM"\nB,ls,"Mar 3, 2026, 2:21:05 PM"\rC,ls,"Mar 3, 2026, 2:22:05 PM"\r\n');
  put(d, 'truncated.json', fs.readFileSync(path.join(SHARED, 'qradar/samples/offenses.json'), 'utf8').slice(0, 2500));
  loop(d);
  bigLine(d, 'one-line.json');
  let unreadable: string | undefined;
  if (!isRoot) {
    unreadable = put(d, 'unreadable.json', '[]');
    fs.chmodSync(unreadable, 0);
  }
  const p = await runQRadarRead([d, path.join(d, 'missing.json')], { consoleTimeZone: 'UTC' });
  // 6 sample offenses + 1 with invalid UTF-8 (kept, U+FFFD) + the complete records of the truncated copy
  const ids = p.offenses.map((o) => o.id);
  assert.ok(ids.includes(9001), 'the offense with invalid UTF-8 is kept');
  for (const id of [4101, 4102, 4103, 4104, 4105, 4106]) assert.ok(ids.includes(id), `offense ${id}`);
  assert.deepEqual(p.events.map((e) => [e.fields['Event Name'], e.source.line]), [['A', 2], ['B', 3], ['C', 4]], 'mixed line ends: three events');
  const reported = [...p.errors, ...((p as unknown as { skipped?: { file: string }[] }).skipped ?? [])];
  named('qradar', reported, ['empty.json', 'binary.json', 'truncated.json', 'loop-a', 'loop-b', 'one-line.json', 'missing.json', ...(unreadable ? ['unreadable.json'] : [])]);
});

test('broken files: beacons keep every readable connection and name each bad file (truncated gzip, binary, 50 MB line, mixed ends)', async () => {
  const d = dir('zeek');
  const conn = fs.readFileSync(path.join(FIX, 'injection/zeek/conn.log'), 'utf8');
  const lines = conn.split('\n');
  put(d, 'conn.log', conn);
  // the same records with CRLF for the first half and lone CR for some: 144 more connections
  put(path.join(dir('zeek/mixed')), 'conn.log', lines.map((l, i) => l + (i === lines.length - 1 ? '' : i < 40 ? '\r\n' : i < 60 ? '\r' : '\n')).join(''));
  const z = gzipSync(conn);
  put(dir('zeek/cut'), 'conn.log.gz', z.subarray(0, Math.floor(z.length / 2)));
  put(d, 'empty.log', '');
  put(d, 'binary.log', BINARY);
  bigLine(d, 'one-line.log');
  loop(d);
  const a = await runBeaconAnalysis([d, path.join(d, 'missing.log')], {});
  const s = a.summary as unknown as Record<string, number>;
  assert.ok(s.records >= 288 && s.records < 432, `records ${s.records}: both complete copies (288) plus the part of the truncated gzip before the damage`);
  const reported = [...a.errors, ...((a as unknown as { skipped?: { file: string }[] }).skipped ?? [])];
  named('beacons', reported, ['empty.log', 'binary.log', 'one-line.log', 'loop-a', 'loop-b', 'conn.log.gz', 'missing.log']);
  assert.ok(a.errors.some((e) => /gzip/i.test(e.message) && e.file.endsWith('conn.log.gz')), 'the gzip damage is reported');
});

test('broken files: cases keep every readable case (mixed line ends, invalid UTF-8) and name each bad file', async () => {
  const d = dir('cases');
  const mixed = put(d, 'mixed.csv', Buffer.concat([Buffer.from('Title,Created\r\n"a",2026-03-02T08:00:00Z\n"b'), Buffer.from([0xff]), Buffer.from('",2026-03-02T09:00:00Z\r"c",2026-03-02T10:00:00Z\r\n')]));
  const empty = put(d, 'empty.csv', '');
  const bin = put(d, 'binary.csv', BINARY);
  const big = bigLine(d, 'one-line.csv');
  loop(d);
  const a = await runKpiAnalysis([mixed, empty, bin, big, path.join(d, 'loop-a'), path.join(d, 'missing.csv')], { asOf: Date.UTC(2026, 2, 10) });
  // the byte that is not UTF-8 is read as windows-1252 (ÿ) and reported at its line, as every table reader does
  assert.deepEqual(a.input.cases.map((c) => [c.title, c.line]), [['a', 2], ['b\u00ff', 3], ['c', 4]]);
  assert.ok(a.errors.some((e) => e.file === mixed && e.line === 3 && /windows-1252/.test(e.message)), JSON.stringify(a.errors));
  assert.deepEqual(a.input.cases.map((c) => c.created), [Date.UTC(2026, 2, 2, 8), Date.UTC(2026, 2, 2, 9), Date.UTC(2026, 2, 2, 10)]);
  named('cases', [...a.errors, ...(a.input.skipped ?? [])], ['empty.csv', 'binary.csv', 'one-line.csv', 'loop-a', 'missing.csv']);
  assert.equal(a.filesRead, 1, 'only mixed.csv was read without a file-level problem');
  // a binary file, named or found in a folder, is skipped with what it is (told by its first bytes), never read as cases
  assert.deepEqual((a.input.skipped ?? []).filter((k) => k.file === bin), [{ file: bin, reason: 'binary file, not a CSV/JSON case export' }]);
  assert.match(a.errors.find((e) => e.file === empty)!.message, /empty/);
});

test('broken files: Ariel count files — bad files named, good rows kept', async () => {
  const d = dir('ariel');
  const good = put(d, 'good.json', JSON.stringify({ events: [{ event_name: 'x', events: '3.0' }, { event_name: 'y', events: 'NaN' }] }));
  const files = [good, put(d, 'empty.json', ''), put(d, 'binary.json', BINARY), put(d, 'array.json', '[1,2]'), put(d, 'truncated.json', '{"events": [{"event_name": "z"'), path.join(d, 'missing.json')];
  const c = await readArielCounts(files);
  assert.deepEqual(c.rows.map((r) => [r.key, r.events]), [['x', 3]]);
  named('ariel', c.errors, ['good.json', 'empty.json', 'binary.json', 'array.json', 'truncated.json', 'missing.json']);
});

test('broken files: a folder of 10,000 QRadar files is read one after the other and every offense kept', async () => {
  const d = dir('many');
  const one = (i: number) => JSON.stringify([{ id: 100000 + i, description: `d${i % 7}`, offense_source: `10.0.${i % 250}.1`, start_time: 1772437272318 + i * 1000, status: 'OPEN' }]);
  for (let i = 0; i < 10000; i++) fs.writeFileSync(path.join(d, `o${i}.json`), one(i));
  const p = await runQRadarRead([d], { consoleTimeZone: 'UTC' });
  assert.equal(p.offenses.length, 10000);
  assert.equal(p.errors.length, 0);
  // CPU time of 10,000 files against 625: linear in the files, not quadratic (each file checked against all before)
  const few = dir('few');
  for (let i = 0; i < 625; i++) fs.writeFileSync(path.join(few, `o${i}.json`), one(i));
  await assertSubquadraticAsync('10,000 files against 625', (folder: string) => runQRadarRead([folder], { consoleTimeZone: 'UTC' }), few, d, 16);
});
