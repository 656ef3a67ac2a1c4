import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsvText, readTabularSample, uniqueColumns } from '../../src/core/parse/cases-input';

test('uniqueColumns: the same names as before on tricky headers (generated names that collide with real ones)', () => {
  // expected values: the output of the previous (quadratic) uniqueColumns on these headers
  const cases: [string[], string[]][] = [
    [['x', 'x', 'x_2'], ['x', 'x_2', 'x_2_2']],
    [['x_2', 'x', 'x'], ['x_2', 'x', 'x_3']],
    [['a', '', 'a', 'col_2', ' a ', 'A'], ['a', 'col_2', 'a_2', 'col_2_2', 'a_3', 'A']],
    [['x', 'x', 'x', 'x_3', 'x', 'x_4'], ['x', 'x_2', 'x_3', 'x_3_2', 'x_4', 'x_4_2']],
    [['id', 'id_2', 'id', 'id', 'id_3'], ['id', 'id_2', 'id_3', 'id_4', 'id_3_2']],
    [['', '', 'col_1'], ['col_1', 'col_2', 'col_1_2']],
  ];
  for (const [header, want] of cases) assert.deepEqual(uniqueColumns(header), want, JSON.stringify(header));
});

// 50,000 copies of one name (~100 KB of header): the old search from `_2` for every copy took minutes
const N = 50_000;
const header = Array(N).fill('x').join(',');
const row = Array.from({ length: N }, (_, i) => `v${i + 1}`).join(',');

test('uniqueColumns: a header of 50,000 duplicate names gets x, x_2 … x_50000', () => {
  const cols = uniqueColumns(Array(N).fill('x'));
  assert.equal(cols.length, N);
  assert.equal(cols[1], 'x_2');
  assert.equal(cols[N - 1], `x_${N}`);
  assert.equal(new Set(cols).size, N);
});

test('parseCsvText: a 50,000-duplicate header and a data record keep every value under its own column', () => {
  const t = parseCsvText(`${header}\n${row}\n`, 'dups.csv');
  assert.equal(t.columns.length, N);
  assert.equal(t.rows.length, 1);
  assert.equal(t.rows[0].values[`x_${N}`], `v${N}`);
  assert.equal(t.rows[0].values.x, 'v1');
});

test('readTabularSample: a cut file with a 50,000-blank header keeps its columns col_1 … col_50000', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uc-'));
  try {
    const f = path.join(dir, 'blank.csv');
    const blank = Array(N).fill('').join(',');
    const short = `1${blank}`; // 50,000 fields, about 50 KB
    fs.writeFileSync(f, `${blank}\n${Array(10).fill(short).join('\n')}\n`);
    const t = await readTabularSample(f, { maxBytes: 200 * 1024 });
    assert.equal(t.truncated, true);
    assert.ok(t.rows.length >= 2, `rows ${t.rows.length}`);
    assert.equal(t.columns.length, N);
    assert.equal(t.columns[N - 1], `col_${N}`);
    assert.equal(t.rows[0].values.col_1, '1');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
