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

test('hostile-1205: a Loki finding whose time cannot be read is kept and named in the warnings with its line (it was kept with no time, silently)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'h1205-lokits-'));
  const rs = readFileSync(resolve(__dirname, '../../../test/fixtures/loki/samples-rs.jsonl'), 'utf8').split('\n').filter(Boolean);
  const match = rs.findIndex((l) => l.includes('"file_match"'));
  assert.ok(match >= 0);
  const bad = rs[match].replace(/"timestamp":"[^"]*"/, '"timestamp":"+275760-09-13T00:00:00.000Z"');
  assert.notEqual(bad, rs[match]);
  const jsonl = join(dir, 'scan.jsonl');
  writeFileSync(jsonl, [...rs.slice(0, match + 1), bad, ...rs.slice(match + 1)].join('\n') + '\n');
  const py = readFileSync(resolve(__dirname, '../../../test/fixtures/loki/samples-plain-win.log'), 'utf8').split('\n');
  assert.match(py[2], /^20250312T08:14:44Z /);
  py[2] = py[2].replace(/^20250312T08:14:44Z/, '20251399T99:99:99Z');
  const plain = join(dir, 'plain.log');
  writeFileSync(plain, py.join('\n'));
  const r = spawnSync(process.execPath, [DIST, 'loki', jsonl, plain, '--all-scans', '--json'], { encoding: 'utf8', env: { ...process.env, SOC_ANALYTICS_LOKI_WORKERS: '0' } });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const kept = j.findings.filter((f: { source: { file: string; line: number } }) => (f.source.file === jsonl && f.source.line === match + 2) || (f.source.file === plain && f.source.line === 3));
  assert.equal(kept.length, 2, 'both findings are kept');
  for (const f of kept) assert.equal(f.timestamp, null);
  const w = j.warnings.filter((x: { message: string }) => /without a time/.test(x.message));
  assert.deepEqual(w, [
    { file: plain, line: 3, message: "the line's time is not a valid date and time (a field out of range): the finding is kept without a time (not in the timeline)" },
    { file: jsonl, line: match + 2, message: 'invalid value: "timestamp" "+275760-09-13T00:00:00.000Z" is not an RFC 3339 time: the finding is kept without a time (not in the timeline)' },
  ]);
});
