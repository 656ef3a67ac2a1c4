/**
 * Hostile review of 2026-12-05: inputs that earlier rounds did not cover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTabular, readTabularSample, SAMPLE_BYTES } from '../../src/core/parse/cases-input';

const DIST = resolve(__dirname, '../../../dist/cli.js');
const CASES = resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv');
const LOG_ACTIVITY = resolve(__dirname, '../../../../shared/data/qradar/samples/log_activity_export.csv');

/** `text` as UTF-16 without a byte order mark (Buffer's utf16le, byte-swapped for BE). */
function utf16NoBom(text: string, be: boolean): Buffer {
  const b = Buffer.from(text, 'utf16le');
  return be ? b.swap16() : b;
}

test('hostile-1205: a case CSV in UTF-16 LE or BE without a byte order mark is read as UTF-16 (it was UTF-8 with a NUL between characters)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h1205-u16-'));
  const text = readFileSync(CASES, 'utf8');
  const ref = await readTabular(CASES);
  assert.equal(ref.rows.length, 10);
  for (const be of [false, true]) {
    const f = join(dir, be ? 'be.csv' : 'le.csv');
    writeFileSync(f, utf16NoBom(text, be));
    const t = await readTabular(f);
    assert.deepEqual(t.columns, ref.columns);
    assert.equal(t.columns[0], 'Case ID');
    assert.equal(t.rows.length, 10, 'ten cases, no stray row for the last NUL');
    assert.deepEqual(t.rows, ref.rows);
    assert.deepEqual(t.errors, []);
  }
});

test('hostile-1205: the mapping sample of a large BOM-less UTF-16 case file cuts at a whole UTF-16 line end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h1205-u16s-'));
  const lines = ['id,title,created'];
  for (let i = 0; lines.join('\n').length * 2 < SAMPLE_BYTES * 2; i++) lines.push(`${i},Suspicious login ${i},2026-01-01T10:00:00Z`);
  const f = join(dir, 'big.csv');
  writeFileSync(f, utf16NoBom(lines.join('\n') + '\n', false));
  const t = await readTabularSample(f);
  assert.equal(t.truncated, true);
  assert.deepEqual(t.columns, ['id', 'title', 'created']);
  assert.ok(t.rows.length > 100);
  for (const r of t.rows) assert.doesNotMatch(Object.values(r.values).join(','), /[\u0000\ufffd]/);
});

test('hostile-1205: CLI kpi, qradar and tz convert read BOM-less UTF-16 exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'h1205-u16c-'));
  const cases = join(dir, 'cases.csv');
  writeFileSync(cases, utf16NoBom(readFileSync(CASES, 'utf8'), false));
  const k = spawnSync(process.execPath, [DIST, 'kpi', cases, '--as-of', '2026-03-10T12:00:00Z', '--json'], { encoding: 'utf8' });
  assert.equal(k.status, 0, k.stderr);
  const kj = JSON.parse(k.stdout);
  assert.equal(kj.cases, 10);
  assert.deepEqual(kj.errors, []);
  assert.equal(kj.mapping.id, 'Case ID');
  const la = join(dir, 'log_activity.csv');
  writeFileSync(la, utf16NoBom(readFileSync(LOG_ACTIVITY, 'utf8'), true));
  const q = spawnSync(process.execPath, [DIST, 'qradar', la, '--console-tz', 'UTC'], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  assert.match(q.stdout, /Log Activity exports: 5 event rows \(event count 25\) from 1 file/);
  const out = join(dir, 'out.csv');
  const z = spawnSync(process.execPath, [DIST, 'tz', 'convert', cases, '--column', 'Created', '--to', 'UTC', '--out', out], { encoding: 'utf8' });
  assert.equal(z.status, 0, z.stderr);
  const conv = readFileSync(out, 'utf8').split(/\r?\n/);
  assert.equal(conv[0], 'Case ID,Title,Created,Acknowledged,Closed,Owner,Severity,Status,Disposition,Rule,Created_normalized,Created_tz_flag');
  assert.match(conv[1], /^C-1,.*,2026-03-02T08:00:00Z,$/);
});
