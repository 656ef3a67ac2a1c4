/**
 * Trial defect B: a workspace folder analyzed as QRadar offenses held a Loki `big.log` of 1.7 GB, which was reported
 * as a problem, `file too large (1761601700 bytes, limit 536870912); not read`. A `.log`/`.txt` in a folder is a QRadar
 * input only when it starts as QRadar data: a Loki log is left out as what it is, whatever its size (no size check,
 * no problem); a real input too large gets its size and the limit in binary units and what to do. The large files
 * are sparse (truncate): no disk space is used. Real data: the shared Loki log and QRadar samples.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverQRadarFiles, HEAD_BYTES, LOKI_LOG_NOT_QRADAR, notQRadarHeadReason, qradarTooLargeText, runQRadarRead } from '../../src/core/analyze/qradar-run';
import { bytesText } from '../../src/core/byte-size';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const LOKI_LOG = path.join(DATA, 'loki/real-2021-2022/scan_result (1).log');
const OFFENSES = path.join(DATA, 'qradar/samples/offenses.json');
const EVENTS = path.join(DATA, 'qradar/samples/log_activity_export.csv');
const BIG = 1761601700; // the trial's big.log

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-qradar-big-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A folder with the sample offenses and `files` (name → [source file, size to extend it to (sparse)]). */
function folder(name: string, files: Record<string, [string, number?]>): string {
  const d = path.join(TMP, name);
  fs.mkdirSync(d);
  fs.copyFileSync(OFFENSES, path.join(d, 'offenses.json'));
  for (const [f, [src, size]] of Object.entries(files)) {
    fs.copyFileSync(src, path.join(d, f));
    if (size !== undefined) fs.truncateSync(path.join(d, f), size);
  }
  return d;
}

test('bytesText: binary units, one decimal, none when .0', () => {
  assert.equal(bytesText(BIG), '1.6 GiB');
  assert.equal(bytesText(512 * 1024 * 1024), '512 MiB');
  assert.equal(bytesText(600_000_000), '572.2 MiB');
  assert.equal(bytesText(1024), '1 KiB');
  assert.equal(bytesText(1536), '1.5 KiB');
  assert.equal(bytesText(1023), '1023 bytes');
  assert.equal(bytesText(1), '1 byte');
  assert.equal(bytesText(1024 ** 3 - 40_000), '1 GiB'); // 1023.96 MiB rounds up: the next unit
  assert.equal(bytesText(Number.NaN), 'NaN bytes');
});

test('a workspace folder with a 1.7 GB Loki big.log: left out as a Loki log (CLI and discovery), not a QRadar problem', async () => {
  const d = folder('ws', { 'big.log': [LOKI_LOG, BIG] });
  const disc = await discoverQRadarFiles([d]);
  assert.deepEqual(disc.files.map((f) => path.basename(f.file)), ['offenses.json']);
  assert.deepEqual(disc.skipped, [{ file: path.join(d, 'big.log'), reason: LOKI_LOG_NOT_QRADAR }]);
  assert.deepEqual(disc.errors, []);

  const p = await runQRadarRead([d]);
  assert.equal(p.offenses.length, 6);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.skipped, [{ file: path.join(d, 'big.log'), reason: LOKI_LOG_NOT_QRADAR }]);

  const c = capture();
  assert.equal(await main(['qradar', d], c.io), 0, c.err());
  assert.doesNotMatch(c.out(), /too large|1761601700|problem/);
  assert.match(c.out(), /Left out:\n {2}\S*big\.log: a Loki scan log, not QRadar data: analyze it with soc-analytics loki \(in VS Code: SOC: Analyze Loki Results…\)/);
});

test('a small Loki log and a note in the folder are left out by their start; an NDJSON .log and a Log Activity .txt are read', async () => {
  const d = folder('mixed', { 'scan.log': [LOKI_LOG], 'events.txt': [EVENTS] });
  fs.writeFileSync(path.join(d, 'notes.txt'), 'call back the owner of ws-fin-042\n');
  fs.writeFileSync(path.join(d, 'one.log'), '{"id": 9001, "description": "NDJSON offense", "start_time": 1709294400000, "status": "OPEN"}\n');
  const disc = await discoverQRadarFiles([d]);
  assert.deepEqual(disc.files.map((f) => path.basename(f.file)), ['events.txt', 'offenses.json', 'one.log']);
  assert.deepEqual(
    disc.skipped.map((k) => [path.basename(k.file), k.reason]),
    [
      ['notes.txt', 'not QRadar data: no JSON and no QRadar CSV header (first line: "call back the owner of ws-fin-042")'],
      ['scan.log', LOKI_LOG_NOT_QRADAR],
    ],
  );
  const p = await runQRadarRead([d]);
  assert.equal(p.offenses.length, 7);
  assert.ok(p.offenses.some((o) => o.id === 9001));
  assert.equal(p.files.find((f) => f.file.endsWith('events.txt'))?.kind, 'events');
});

test('a Loki log named explicitly over the limit is left out by its start, not reported too large', async () => {
  const f = path.join(TMP, 'named.log');
  fs.copyFileSync(LOKI_LOG, f);
  const p = await runQRadarRead([f, OFFENSES], { maxWholeFileBytes: 1024 });
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.skipped, [{ file: f, reason: LOKI_LOG_NOT_QRADAR }]);
});

test('a real QRadar input too large: human sizes, the limit and what to do — the same words in the CLI report', async () => {
  const d = folder('big-csv', { 'events.csv': [EVENTS, BIG] });
  const p = await runQRadarRead([d]);
  const csvText =
    'file too large (1.6 GiB, limit 512 MiB: the longest text that can be read at once; only a UTF-8 JSON array is streamed past it); not read. ' +
    'Export a shorter time range (a Log Activity or Network Activity search over fewer hours) or split the file into parts of less than 512 MiB, each starting with the header line';
  assert.deepEqual(p.errors, [{ file: path.join(d, 'events.csv'), line: 0, message: csvText }]);
  assert.equal(qradarTooLargeText(BIG, 512 * 1024 * 1024, 'csv'), csvText);
  const c = capture();
  assert.equal(await main(['qradar', d], c.io), 0, c.err());
  assert.ok(c.out().includes(`${path.join(d, 'events.csv')}: ${csvText}`), c.out());

  // NDJSON over the limit (lowered for the test): the advice is a fetch as a JSON array, which is streamed
  const nd = path.join(TMP, 'offenses.ndjson');
  fs.writeFileSync(nd, '{"id": 1, "description": "a", "start_time": 1709294400000}\n'.repeat(40));
  const q = await runQRadarRead([nd], { maxWholeFileBytes: 1024 });
  assert.equal(q.errors.length, 1);
  assert.equal(
    q.errors[0].message,
    `file too large (${bytesText(fs.statSync(nd).size)}, limit 1 KiB: the longest text that can be read at once; only a UTF-8 JSON array is streamed past it); not read. ` +
      'Fetch the offenses as a JSON array (soc-analytics qradar-fetch, in VS Code: SOC: Fetch QRadar Offenses…), or a narrower range with --from/--to, or split the file into parts of less than 1 KiB',
  );
});

test('notQRadarHeadReason: JSON and QRadar CSV headers can be inputs; a cut first line is read, not judged', () => {
  assert.equal(notQRadarHeadReason(Buffer.from('\ufeff[\n{"id": 1}'), 'x.log'), undefined);
  assert.equal(notQRadarHeadReason(Buffer.from('id,text\n1,False-Positive'), 'x.txt'), undefined);
  assert.equal(notQRadarHeadReason(Buffer.from('"Event Name","Log Source","Start Time"\n'), 'x.txt'), undefined);
  assert.equal(notQRadarHeadReason(Buffer.from(''), 'x.log'), undefined);
  assert.equal(HEAD_BYTES, 8 * 1024);
  assert.equal(notQRadarHeadReason(Buffer.from('x'.repeat(HEAD_BYTES)), 'x.log'), undefined);
  assert.match(notQRadarHeadReason(Buffer.from('x'.repeat(HEAD_BYTES - 1)), 'x.log') ?? '', /^not QRadar data: no JSON and no QRadar CSV header \(first line: "x{80}…"\)$/);
  assert.equal(notQRadarHeadReason(fs.readFileSync(LOKI_LOG).subarray(0, 4096), 'x.log'), LOKI_LOG_NOT_QRADAR);
  assert.equal(notQRadarHeadReason(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'x.log'), 'zip archive: extract it first'); // a zip by its magic bytes, as kpi, loki and tz convert name it
});
