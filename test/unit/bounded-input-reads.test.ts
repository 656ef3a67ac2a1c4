/**
 * Whole-file readers of inputs read through one handle, bounded (fs-read.ts `readInputBounded`, `openRegularFile`):
 * a path that is (or was swapped for) a FIFO is refused at once — the old `stat` then `readFile` waited for a writer for
 * ever — and a file over the limit (or grown past it after its size was taken) is refused with its size, never read
 * whole. Readers: QRadar exports (`readQRadarFile`), case exports (`readCases`, `readTabular`, `readTabularSample`,
 * Normalize Timestamps' `readNormalizeInput`),
 * Ariel count files (`readArielCounts`) and Ariel flow results (`readGenericFile`). Data: shared/data/qradar/samples
 * (offenses.json, ariel_search_results.json) and test/fixtures/qradar-flows/ariel-flows.json.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, copyFileSync, mkdtempSync, openSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NOT_REGULAR_FILE, readInputBounded } from '../../src/core/fs-read';
import { readQRadarFile } from '../../src/core/analyze/qradar-run';
import type { QRadarParsed } from '../../src/core/parse/qradar-model';
import { readCases } from '../../src/core/parse/cases';
import { readTabular, readTabularSample } from '../../src/core/parse/cases-input';
import { readNormalizeInput } from '../../src/core/tz-file';
import { readArielCounts } from '../../src/core/qradar-api/ariel';
import { MAX_ARIEL_BYTES, readGenericFile, parseMappingSpec } from '../../src/core/parse/conn-csv';
import { sniffInput } from '../../src/core/parse/zeek';

const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
const OFFENSES = join(SAMPLES, 'offenses.json');
const ARIEL_COUNTS = join(SAMPLES, 'ariel_search_results.json');
const ARIEL_FLOWS = resolve(__dirname, '../../../test/fixtures/qradar-flows/ariel-flows.json');

const dir = mkdtempSync(join(tmpdir(), 'soc-bounded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let HAS_MKFIFO = process.platform !== 'win32';
const fifo = join(dir, 'swapped.json');
if (HAS_MKFIFO) {
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    HAS_MKFIFO = false;
  }
}

/**
 * `p` settled within `ms`; else the FIFO's blocked open is released (a writer opened and closed at once, so the read
 * sees end of file and the test process can exit) and the test fails: the reader waited for a writer.
 */
async function withinOrUnblock<T>(p: Promise<T>, what: string, ms = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let r: T | 'timeout';
  try {
    r = await Promise.race([p, new Promise<'timeout'>((ok) => (timer = setTimeout(() => ok('timeout'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
  if (r === 'timeout') {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      /* no reader left */
    }
    await p.catch(() => undefined);
    assert.fail(`${what} waited on a FIFO for ${ms} ms`);
  }
  return r as T;
}

const emptyParsed = (): QRadarParsed => ({ files: [], offenses: [], events: [], closingReasons: [], offenseTypes: [], rules: [], errors: [], skipped: [], consoleTimeZone: 'UTC', usedConsoleTimes: false });

describe('readInputBounded', () => {
  test('a FIFO is refused at once with NOT_REGULAR_FILE', { skip: !HAS_MKFIFO }, async () => {
    await assert.rejects(withinOrUnblock(readInputBounded(fifo, 1024), 'readInputBounded'), new RegExp(NOT_REGULAR_FILE.replace(/[()]/g, '\\$&')));
  });
  test('a file whose stat says 0 bytes but that holds more than the limit (as one grown after the stat) is over, read no further', { skip: process.platform !== 'linux' }, async () => {
    // /proc files report size 0 and hold more: what a file grown between a size check and the read looks like
    assert.equal(statSync('/proc/self/status').size, 0);
    const r = await readInputBounded('/proc/self/status', 64);
    assert.equal(r.buf, undefined);
    assert.ok(r.over !== undefined && r.over >= 65, `over: ${r.over}`);
    const whole = await readInputBounded('/proc/self/status', 1 << 20);
    assert.ok(whole.buf && whole.buf.length > 64 && whole.buf.toString('utf8').startsWith('Name:'));
  });
  test('a real export within the limit is read whole', async () => {
    const r = await readInputBounded(OFFENSES, statSync(OFFENSES).size);
    assert.equal(r.buf?.length, 8451);
  });
});

describe('QRadar exports (readQRadarFile)', () => {
  test('a path swapped for a FIFO after discovery: a line-0 problem at once, no hang', { skip: !HAS_MKFIFO }, async () => {
    const out = emptyParsed();
    await withinOrUnblock(readQRadarFile(fifo, out, 'UTC'), 'readQRadarFile');
    assert.deepEqual(out.errors.map((e) => [e.line, e.message]), [[0, `cannot read: ${NOT_REGULAR_FILE}`]]);
    assert.deepEqual(out.files.map((f) => f.format), ['unreadable']);
  });
  test('the real offenses.json over a small limit: streamed as a JSON array (all 6 offenses), not read whole', async () => {
    const out = emptyParsed();
    await readQRadarFile(OFFENSES, out, 'UTC', 1024);
    assert.deepEqual(out.errors, []);
    assert.deepEqual(out.offenses.map((o) => o.id), [4101, 4102, 4103, 4104, 4105, 4106]);
    const whole = emptyParsed();
    await readQRadarFile(OFFENSES, whole, 'UTC');
    assert.deepEqual(whole.offenses.map((o) => o.id), [4101, 4102, 4103, 4104, 4105, 4106]);
  });
});

describe('case exports (readCases, readTabular, readTabularSample)', () => {
  test('readCases: a FIFO named is a line-0 problem at once, no hang', { skip: !HAS_MKFIFO }, async () => {
    const r = await withinOrUnblock(readCases([fifo]), 'readCases');
    assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [[0, `cannot read file: ${NOT_REGULAR_FILE}`]]);
    assert.equal(r.cases.length, 0);
  });
  test('readCases: the real offenses.json over the limit is refused with its size, read within it', async () => {
    const r = await readCases([OFFENSES], { maxBytes: 4096 });
    assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [[0, 'file too large (8.3 KiB, limit 4 KiB); not read — split the file into smaller parts, each starting with the header line']]);
    assert.equal(r.cases.length, 0);
    const ok = await readCases([OFFENSES], { maxBytes: 8451 });
    assert.equal(ok.cases.length, 6);
  });
  test('readTabular and readTabularSample: a FIFO is refused at once; a file over the limit is refused', { skip: !HAS_MKFIFO }, async () => {
    const t = await withinOrUnblock(readTabular(fifo), 'readTabular');
    assert.deepEqual(t.errors.map((e) => e.message), [`cannot read file: ${NOT_REGULAR_FILE}`]);
    const s = await withinOrUnblock(readTabularSample(fifo), 'readTabularSample');
    assert.deepEqual(s.errors.map((e) => e.message), [`cannot read file: ${NOT_REGULAR_FILE}`]);
    // Normalize Timestamps' input (its first bytes sniffed, then readTabular): refused at once too
    const n = await withinOrUnblock(readNormalizeInput(fifo), 'readNormalizeInput');
    assert.deepEqual(n.errors.map((e) => e.message), [`cannot read file: ${NOT_REGULAR_FILE}`]);
    const big = await readTabular(join(SAMPLES, 'log_activity_export.csv'), undefined, { maxBytes: 1000 });
    assert.deepEqual(big.errors.map((e) => e.message), ['file too large (1 KiB, limit 1000 bytes); not read — split the file into smaller parts, each starting with the header line']);
  });
});

describe('Ariel results (readArielCounts, Ariel flows)', () => {
  test('readArielCounts: a FIFO is a line-0 problem at once, no hang', { skip: !HAS_MKFIFO }, async () => {
    const r = await withinOrUnblock(readArielCounts([fifo]), 'readArielCounts');
    assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [[0, `cannot read as JSON: ${NOT_REGULAR_FILE}`]]);
  });
  test('readArielCounts: the real results over the limit are refused with their size; within it, read', async () => {
    const r = await readArielCounts([ARIEL_COUNTS], undefined, 100);
    assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [[0, 'file too large (268 bytes, limit 100 bytes); not read']]);
    assert.deepEqual(r.rows, []);
    const ok = await readArielCounts([ARIEL_COUNTS]);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.rows.map((x) => x.events), [34, 2, 1]);
  });
  test('Ariel flows: a path swapped for a FIFO after sniffing is a line-0 problem at once; a sparse file past 512 MiB is refused unread', { skip: !HAS_MKFIFO }, async () => {
    const info = await sniffInput(ARIEL_FLOWS);
    assert.equal(info.document, 'ariel-flows');
    const mapping = parseMappingSpec('ts=starttime,src=sourceip,dst=destinationip');
    const res = await withinOrUnblock(readGenericFile({ ...info, file: fifo }, mapping, () => undefined), 'readGenericFile');
    assert.deepEqual(res.errors.map((e) => [e.line, e.message]), [[0, `cannot read: ${NOT_REGULAR_FILE}`]]);
    const sparse = join(dir, 'sparse.json');
    copyFileSync(ARIEL_FLOWS, sparse);
    truncateSync(sparse, 600 * 1024 * 1024);
    const big = await readGenericFile({ ...info, file: sparse }, mapping, () => undefined);
    assert.deepEqual(big.errors.map((e) => [e.line, e.message]), [[0, `Ariel results file too large (${600 * 1024 * 1024} bytes, limit ${MAX_ARIEL_BYTES}); not read`]]);
  });
});
