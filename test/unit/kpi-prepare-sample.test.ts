/**
 * The column-mapping step of the cases analysis (`prepare` in src/extension/kinds/kpi.ts) reads only the start of
 * the case file — `sampleCaseMapping` / `readTabularSample` — not the whole file on the extension host's main thread
 * (review: a 100 MB CSV blocked the host for 20 s). Bytes are counted, not time.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTabular, readTabularSample, SAMPLE_BYTES } from '../../src/core/parse/cases-input';
import { sampleCaseMapping, suggestMapping } from '../../src/core/parse/cases';

const FIXTURE = resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv');
const SHARED = resolve(__dirname, '../../../../shared/data');
const CLOSING_REASONS = join(SHARED, 'qradar/public/alwashali-qradar-offenses-notebook/offense_closing_reasons.csv');

/** Counts the bytes read from `file` through fs.promises (readFile and FileHandle.read) while `fn` runs. */
async function bytesReadFrom<T>(file: string, fn: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  const p = fs.promises as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const { readFile, open } = p;
  let bytes = 0;
  const same = (f: unknown) => typeof f === 'string' && resolve(f) === resolve(file);
  p.readFile = async (...a: unknown[]) => {
    const r = (await readFile.apply(fs.promises, a)) as Buffer | string;
    if (same(a[0])) bytes += Buffer.byteLength(r);
    return r;
  };
  p.open = async (...a: unknown[]) => {
    const fh = (await open.apply(fs.promises, a)) as fs.promises.FileHandle;
    if (same(a[0])) {
      const read = fh.read.bind(fh) as (...x: unknown[]) => Promise<{ bytesRead: number }>;
      (fh as unknown as { read: typeof read }).read = async (...x: unknown[]) => {
        const r = await read(...x);
        bytes += r.bytesRead;
        return r;
      };
    }
    return fh;
  };
  try {
    return { value: await fn(), bytes };
  } finally {
    p.readFile = readFile;
    p.open = open;
  }
}

describe('KPI prepare: the mapping is read from the header and a sample', () => {
  let dir: string;
  let big: string;
  const HEADER = 'id,title,created,closed,status,analyst,disposition';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kpi-sample-'));
    big = join(dir, 'cases-big.csv');
    const lines = [HEADER];
    for (let i = 0; i < 120_000; i++) lines.push(`${i},Suspicious login ${i % 97},2026-01-0${1 + (i % 9)}T10:00:00Z,2026-01-1${i % 9}T10:00:00Z,closed,analyst${i % 13},false positive`);
    writeFileSync(big, lines.join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a 12 MB case CSV: at most SAMPLE_BYTES (1 MiB) are read, and the mapping is that of the whole file', async () => {
    const size = fs.statSync(big).size;
    assert.ok(size > 10 * SAMPLE_BYTES, `generated file is ${size} bytes`);
    const { value: s, bytes } = await bytesReadFrom(big, () => sampleCaseMapping(big));
    assert.ok(bytes > 0 && bytes <= SAMPLE_BYTES, `read ${bytes} of ${size} bytes`);
    assert.equal(s.bytesRead, bytes);
    assert.deepEqual(s.columns, HEADER.split(','));
    assert.deepEqual(s.mapping, { id: 'id', title: 'title', created: 'created', closed: 'closed', status: 'status', analyst: 'analyst', disposition: 'disposition' });
    assert.deepEqual(s.firstRow, { id: '0', title: 'Suspicious login 0', created: '2026-01-01T10:00:00Z', closed: '2026-01-10T10:00:00Z', status: 'closed', analyst: 'analyst0', disposition: 'false positive' });
    // the same mapping as from the whole file
    const whole = await readTabular(big);
    assert.deepEqual(s.mapping, suggestMapping(whole.columns));
  });

  test('a smaller budget is kept too; the sample has whole records only (the cut line dropped)', async () => {
    const { value: t, bytes } = await bytesReadFrom(big, () => readTabularSample(big, { maxBytes: 4096 }));
    assert.ok(bytes <= 4096, `read ${bytes}`);
    assert.equal(t.truncated, true);
    assert.ok(t.rows.length > 10);
    const last = t.rows[t.rows.length - 1];
    assert.equal(last.values.disposition, 'false positive');
    assert.deepEqual(t.errors, []);
  });

  test('the line budget: the header and at most maxLines - 1 records', async () => {
    const t = await readTabularSample(big, { maxLines: 50 });
    assert.ok(t.rows.length <= 49 && t.rows.length >= 40, `${t.rows.length} rows`);
    assert.equal(t.rows[0].line, 2);
  });

  test('a header longer than the byte budget is still read whole', async () => {
    const f = join(dir, 'wide.csv');
    const cols = Array.from({ length: 400 }, (_, i) => `field_with_a_long_name_${i}`);
    writeFileSync(f, ['Title,Created', ...cols].join(',') + '\nx,2026-01-01T00:00:00Z\n'.repeat(3));
    const s = await sampleCaseMapping(f, {}, { maxBytes: 1024 });
    assert.equal(s.columns.length, 402);
    assert.equal(s.mapping.title, 'Title');
    assert.equal(s.mapping.created, 'Created');
  });

  test('the fixture kpi-small.csv (shorter than the budget): read as readTabular reads it, its real mapping and first row', async () => {
    const { value: s, bytes } = await bytesReadFrom(FIXTURE, () => sampleCaseMapping(FIXTURE));
    assert.equal(bytes, readFileSync(FIXTURE).length);
    assert.deepEqual(s.columns, ['Case ID', 'Title', 'Created', 'Acknowledged', 'Closed', 'Owner', 'Severity', 'Status', 'Disposition', 'Rule']);
    assert.equal(s.mapping.title, 'Title');
    assert.equal(s.mapping.created, 'Created');
    assert.equal(s.mapping.analyst, 'Owner');
    assert.equal(s.firstRow?.['Case ID'], 'C-1');
    assert.equal(s.firstRow?.Title, 'Multiple login failures for admin');
    const whole = await readTabular(FIXTURE);
    const sample = await readTabularSample(FIXTURE);
    assert.equal(sample.truncated, false);
    assert.deepEqual(sample.rows, whole.rows);
  });

  test('real QRadar closing-reasons CSV (shared data) and a saved mapping: same columns as the whole file; saved columns the file lacks are dropped', async () => {
    const whole = await readTabular(CLOSING_REASONS);
    const s = await sampleCaseMapping(CLOSING_REASONS, { title: 'text', created: 'no such column' }, { maxBytes: 64, maxLines: 3 });
    assert.deepEqual(s.columns, whole.columns);
    assert.deepEqual(s.firstRow, whole.rows[0].values);
    assert.equal(s.mapping.created, undefined);
    assert.equal(s.mapping.title, whole.columns.includes('text') ? 'text' : undefined);
  });

  test('NDJSON and a JSON array (not named .json) cut short: complete records only', async () => {
    const nd = join(dir, 'cases.ndjson');
    const arr = join(dir, 'cases.txt');
    const recs = Array.from({ length: 2000 }, (_, i) => ({ title: `t${i}`, created: '2026-01-01T00:00:00Z', note: 'x'.repeat(i % 50) }));
    writeFileSync(nd, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(arr, JSON.stringify(recs, null, 2));
    for (const f of [nd, arr]) {
      const { value: t, bytes } = await bytesReadFrom(f, () => readTabularSample(f, { maxBytes: 8192 }));
      assert.ok(bytes <= 8192, `${f}: ${bytes}`);
      assert.equal(t.truncated, true);
      assert.deepEqual(t.columns, ['title', 'created', 'note']);
      assert.ok(t.rows.length > 5, `${f}: ${t.rows.length} rows`);
      assert.deepEqual(t.rows[3].values, recs[3]);
      assert.deepEqual(t.errors, []);
    }
  });
});
