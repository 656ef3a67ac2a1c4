/**
 * Normalize Timestamps (core + `soc-analytics tz convert`): an empty input file and a header-only one are said as
 * such (`<file> is empty`, `<file> has a header but no rows`; CLI exit 3, nothing written) instead of "no timestamp
 * column found; pass --column ()"; a UTF-8 byte order mark at the start of the input is kept in the output; a header
 * naming the converted column twice (`Created,…,Created`) says which one is converted. Fixtures: the repository's
 * kpi-small.csv and the header of the real conn log in shared/data/zeek.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { duplicateColumnNote, emptyInputMessage, inspectNormalizeInput, readNormalizeInput } from '../../src/core/tz-file';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const KPI_SMALL = readFileSync(resolve(ROOT, 'test/fixtures/cases/kpi-small.csv'), 'utf8');
const CONN = resolve(ROOT, '../shared/data/zeek/day-2024-04-19/conn.00:00:00-01:00:00.log.gz');

test('tz convert: an empty file and a header-only file are said as such, exit 3, no output written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tz-empty-'));
  try {
    const zeekHeader = gunzipSync(readFileSync(CONN)).toString('utf8').split('\n').filter((l) => l.startsWith('#') && !l.startsWith('#close')).join('\n') + '\n';
    const cases: [string, string, string][] = [
      ['empty.csv', '', 'is empty'],
      ['blank.csv', '\n\r\n  \n', 'is empty'],
      ['header.csv', KPI_SMALL.split('\n')[0] + '\n', 'has a header but no rows'],
      ['bom-header.csv', '\ufeff' + KPI_SMALL.split('\n')[0] + '\r\n', 'has a header but no rows'],
      ['conn.log', zeekHeader, 'has a header but no rows'],
    ];
    for (const [name, body, what] of cases) {
      const f = join(dir, name);
      writeFileSync(f, body);
      const out = join(dir, `out-${name}`);
      const c = capture();
      assert.equal(await main(['tz', 'convert', f, '--from', 'UTC', '--to', 'Europe/Berlin', '--out', out], c.io), 3, name);
      assert.equal(c.err(), `soc-analytics: ${f} ${what}: nothing to convert, no output written; exit 3\n`, name);
      assert.equal(existsSync(out), false, name);
      // the extension's inspection carries the same words (base name)
      const t = await readNormalizeInput(f);
      assert.equal(emptyInputMessage(t, name), `${name} ${what}`);
      assert.equal(inspectNormalizeInput(t).noRows, `${name} ${what}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tz convert: a UTF-8 BOM in the input is kept in the output; without one none is added', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tz-bom-'));
  try {
    const outs: string[] = [];
    for (const [name, body] of [['plain.csv', KPI_SMALL], ['bom.csv', '\ufeff' + KPI_SMALL]]) {
      const f = join(dir, name);
      writeFileSync(f, body);
      const out = join(dir, `out-${name}`);
      const c = capture();
      assert.equal(await main(['tz', 'convert', f, '--column', 'Created', '--to', 'UTC', '--out', out], c.io), 0, c.err());
      outs.push(readFileSync(out, 'utf8'));
    }
    assert.equal(outs[0].charCodeAt(0), 'C'.charCodeAt(0));
    assert.equal(outs[1], '\ufeff' + outs[0]);
    assert.ok(outs[0].startsWith('Case ID,Title,Created,'), outs[0].slice(0, 40));
    assert.ok(outs[0].split('\r\n')[1].endsWith(',2026-03-02T08:00:00Z,'), outs[0].split('\r\n')[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tz convert: a header naming the time column twice says which one is converted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tz-dup-'));
  try {
    // kpi-small.csv with its Closed column named Created too (columns 3 and 5)
    const lines = KPI_SMALL.split('\n');
    lines[0] = lines[0].replace(',Closed,', ',Created,');
    const f = join(dir, 'dup.csv');
    writeFileSync(f, lines.join('\n'));
    const t = await readNormalizeInput(f);
    assert.deepEqual(t.columns.slice(2, 5), ['Created', 'Acknowledged', 'Created_2']);
    assert.equal(duplicateColumnNote(t, 'Created'), 'the header names "Created" twice (columns 3, 5): column 3 is converted (--column Created_2 picks column 5)');
    assert.equal(duplicateColumnNote(t, 'Created_2'), 'the header names "Created" twice (columns 3, 5): column 5 is converted (--column Created picks column 3)');
    assert.equal(duplicateColumnNote(t, 'Title'), undefined);
    const out = join(dir, 'out.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--column', 'Created', '--to', 'UTC', '--out', out], c.io), 0, c.err());
    assert.equal(c.err(), 'soc-analytics: the header names "Created" twice (columns 3, 5): column 3 is converted (--column Created_2 picks column 5)\n');
    const row1 = readFileSync(out, 'utf8').split('\r\n')[1];
    assert.ok(row1.endsWith(',2026-03-02T08:00:00Z,'), row1); // column 3 (08:00), not column 5 (09:00)
    const c2 = capture();
    assert.equal(await main(['tz', 'convert', f, '--column', 'Created_2', '--to', 'UTC', '--out', out, '--force'], c2.io), 0, c2.err());
    assert.match(c2.err(), /column 5 is converted/);
    assert.ok(readFileSync(out, 'utf8').split('\r\n')[1].endsWith(',2026-03-02T09:00:00Z,'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
