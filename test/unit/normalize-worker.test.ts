/**
 * Normalize Timestamps in the worker thread (src/worker/runners.ts `tzInspect` → `tzConvert` → `tzWrite`, run one
 * after the other by the job handler of one worker, as the extension's WorkerSession runs them): the file written is
 * byte for byte the one the direct path writes (readNormalizeInput → normalizeTable → renderNormalized, the CLI's),
 * and what the extension host gets to ask its questions (NormalizeInspection) gives the answers the whole table gave.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createJobHandler } from '../../src/worker/job-handler';
import type { FromWorker, WorkerJob } from '../../src/shared/worker-protocol';
import { inspectNormalizeInput, INSPECT_HEAD_ROWS, normalizeTable, readNormalizeInput, renderNormalized, summarizeNormalize, type NormalizeInspection, type NormalizeOptions, type NormalizeSummary } from '../../src/core/tz-file';
import { detectFormat, suggestTimeColumns } from '../../src/core/tz-normalize';

const REPO = resolve(__dirname, '../../..');
const SHARED = resolve(REPO, '../shared/data');

/** Files of a folder (recursively), without generators and notes. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (!/\.(mjs|md)$/.test(n)) out.push(p);
  }
  return out;
}

/** A worker's job handler (one worker: the jobs run one after the other, as in a WorkerSession). */
function worker() {
  let inbox: FromWorker[] = [];
  // the host acknowledges each slice it took (src/extension/jobs.ts): without that, a result of RESULT_WINDOW slices or
  // more (the inspection of a file of more than 250 rows: its `head` goes in 250-row slices) waits for ever
  const handle = createJobHandler((m: FromWorker) => {
    inbox.push(m);
    if (m.type === 'resultPart') queueMicrotask(() => void handle({ type: 'partAck', seq: m.seq }));
  });
  return async <R>(job: WorkerJob): Promise<R> => {
    inbox = [];
    await handle({ type: 'run', job });
    const parts = new Map<string, unknown[]>();
    for (const m of inbox) if (m.type === 'resultPart') parts.set(m.key, [...(parts.get(m.key) ?? []), ...m.items]);
    const end = inbox.find((m) => m.type === 'result' || m.type === 'error')!;
    if (end.type === 'error') throw new Error(end.message);
    assert.equal(end.type, 'result');
    const r = (end as { result: Record<string, unknown> }).result;
    for (const k of (end as { parts?: string[] }).parts ?? []) r[k] = parts.get(k);
    // what the host receives is structured-cloned
    return structuredClone(r) as R;
  };
}

describe('Normalize Timestamps through the worker', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'tz-worker-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const inputs = [...filesUnder(join(REPO, 'test/fixtures')), ...filesUnder(join(SHARED, 'zeek/json')), ...filesUnder(join(SHARED, 'loki')), ...filesUnder(join(SHARED, 'qradar'))];

  test(`the written copy is byte-identical to the direct conversion's, and the inspection answers as the whole table (${inputs.length} real and fixture files)`, async () => {
    let converted = 0;
    let n = 0;
    for (const file of inputs) {
      const run = worker();
      const ins = await run<NormalizeInspection>({ kind: 'tzInspect', paths: [file], options: {} });
      const table = await readNormalizeInput(file);
      assert.deepEqual(ins, structuredClone(inspectNormalizeInput(table)), file);
      if (ins.notText || ins.rows === 0) continue;
      // the answers the command took from the whole table before
      assert.deepEqual(ins.columns, table.columns, file);
      assert.deepEqual(ins.suggestions, suggestTimeColumns(table.columns, table.rows.map((r) => r.values)), file);
      for (const c of table.columns) {
        const v = table.rows.find((r) => r.values[c] !== undefined && r.values[c] !== '')?.values[c];
        assert.equal(ins.examples[c] ?? '', v === undefined ? '' : String(v).slice(0, 60), `${file} ${c}`);
      }
      assert.equal(ins.head.length, Math.min(INSPECT_HEAD_ROWS, table.rows.length));
      assert.equal(ins.errorCount, table.errors.length);
      const col = ins.suggestions[0]?.column ?? table.columns[0];
      assert.deepEqual(detectFormat(ins.head.map((v) => v[col])), detectFormat(table.rows.slice(0, 500).map((r) => r.values[col])), file);
      const format = detectFormat(ins.head.map((v) => v[col]))?.format ?? 'iso';
      const options: NormalizeOptions = { column: col, format, fromZone: 'Europe/Berlin', toZone: 'America/New_York', ambiguous: 'earlier' };
      const sum = await run<NormalizeSummary>({ kind: 'tzConvert', paths: [file], options });
      const direct = normalizeTable(table, options);
      assert.deepEqual(sum, structuredClone(summarizeNormalize(direct)), file);
      const out = join(dir, `out-${n}`);
      const tmpPath = join(dir, `.out-${n++}.partial`);
      await run({ kind: 'tzWrite', paths: [file], options: { ...options, out, tmpPath } });
      // the worker writes the temporary file only (the extension renames it when the job succeeded)
      assert.equal(fs.existsSync(out), false);
      assert.equal(readFileSync(tmpPath, 'utf8'), renderNormalized(table, direct), file);
      converted += direct.stats.converted;
    }
    assert.ok(n >= 20, `${n} files converted`);
    assert.ok(converted > 500, `${converted} times converted`);
  });

  test('a Zeek .log.gz is refused by the inspection (not text), its bytes never listed as columns', async () => {
    const gz = join(SHARED, 'zeek/day-2024-04-19/conn.10:00:00-11:00:00.log.gz');
    const ins = await worker()<NormalizeInspection>({ kind: 'tzInspect', paths: [gz], options: {} });
    assert.equal(ins.notText, true);
    assert.deepEqual(ins.columns, []);
    assert.deepEqual(ins.head, []);
  });

  test('the steps of one worker read the file once (the table is kept between the questions)', async () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Event Name,Start Time\n"Failure Audit","Mar 3, 2026, 2:20:05 PM"\nDST,"Oct 25, 2026, 2:30:00 AM"\n');
    const p = fs.promises as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    // the file is read through handles (sniffNotTextFile's head, readTableFileBytes → fs-read's readInputBounded): its opens are its reads
    const open = p.open;
    let reads = 0;
    p.open = async (...a: unknown[]) => {
      if (a[0] === file) reads++;
      return open.apply(fs.promises, a);
    };
    try {
      const run = worker();
      await run({ kind: 'tzInspect', paths: [file], options: {} });
      const options: NormalizeOptions = { column: 'Start Time', format: 'qradar', fromZone: 'Europe/Berlin', toZone: 'UTC', ambiguous: 'earlier' };
      const sum = await run<NormalizeSummary>({ kind: 'tzConvert', paths: [file], options });
      await run({ kind: 'tzWrite', paths: [file], options: { ...options, out: join(dir, 'export.utc.csv'), tmpPath: join(dir, 'export.tmp') } });
      // one look at its first 4 KiB (sniffNotTextFile) and one whole read, by the first step only
      assert.equal(reads, 2);
      assert.deepEqual(sum.stats, { rows: 2, converted: 2, empty: 0, aware: 0, epoch: 0, naive: 2, ambiguous: 1, nonexistent: 0, unparsed: 0 });
      assert.deepEqual(sum.preview[0], { original: 'Mar 3, 2026, 2:20:05 PM', normalized: '2026-03-03T13:20:05Z', flag: '' });
      assert.equal(readFileSync(join(dir, 'export.tmp'), 'utf8').split('\r\n')[1], 'Failure Audit,"Mar 3, 2026, 2:20:05 PM",2026-03-03T13:20:05Z,');
    } finally {
      p.open = open;
    }
  });

  test('writing over the input is refused with a plain message, nothing written', async () => {
    const file = join(dir, 'self.csv');
    writeFileSync(file, 'ts\n2026-01-01T00:00:00Z\n');
    const run = worker();
    const options: NormalizeOptions = { column: 'ts', format: 'iso', fromZone: 'UTC', toZone: 'UTC', ambiguous: 'earlier' };
    await assert.rejects(run({ kind: 'tzWrite', paths: [file], options: { ...options, out: file, tmpPath: join(dir, 'self.tmp') } }), /^Error: refusing to overwrite the input file; choose another output path$/);
    assert.equal(fs.existsSync(join(dir, 'self.tmp')), false);
    assert.equal(readFileSync(file, 'utf8'), 'ts\n2026-01-01T00:00:00Z\n');
  });
});
