import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { INTERN_LIMIT, TableStore, cellText, type StoreColumn } from '../../src/core/table/store';

interface R {
  name: string;
  host: string;
  score?: number;
  tags: string[];
  secret: string;
}

const cols: StoreColumn<R>[] = [
  { id: 'name', title: 'Name', type: 'text', get: (r) => r.name },
  { id: 'host', title: 'Host', type: 'text', get: (r) => r.host },
  { id: 'score', title: 'Score', type: 'number', get: (r) => r.score, format: (r) => (r.score === undefined || Number.isNaN(r.score) ? '' : `${r.score} pts`) },
  { id: 'tags', title: 'Tags', type: 'text', get: (r) => r.tags.join(', '), matches: (r, v) => r.tags.includes(v) },
  { id: 'secret', title: 'Secret', type: 'text', hidden: true, get: (r) => r.secret },
];

const rows: R[] = [
  { name: 'beta', host: 'host10', score: 5, tags: ['a', 'bc'], secret: 'zzz' },
  { name: 'Alpha', host: 'host2', score: undefined, tags: ['b'], secret: 'xx' },
  { name: 'gamma', host: 'HOST2', score: 5, tags: [], secret: 'yy' },
  { name: 'delta', host: 'host1', score: -1, tags: ['abc'], secret: 'ww' },
  { name: '=evil', host: '', score: NaN, tags: ['a'], secret: 'alpha' },
];

describe('TableStore (small, exact)', () => {
  const s = new TableStore(rows, cols);

  test('window returns ids and formatted cells in column order', () => {
    const w = s.window({}, 0, 2);
    assert.deepEqual(w, {
      total: 5,
      ids: [0, 1],
      rows: [
        ['beta', 'host10', '5 pts', 'a, bc', 'zzz'],
        ['Alpha', 'host2', '', 'b', 'xx'],
      ],
    });
    assert.deepEqual(s.window({}, 3, 100).ids, [3, 4]);
    assert.deepEqual(s.window({}, 10, 5), { total: 5, ids: [], rows: [] });
    assert.deepEqual(s.window({}, -3, 1).ids, [0]);
    assert.deepEqual(s.window({}, 0, -1).ids, []);
  });

  test('numeric sort: ties keep row order, empty (undefined/NaN) last both ways', () => {
    assert.deepEqual(s.matching({ sort: { column: 'score', dir: 'asc' } }), [3, 0, 2, 1, 4]);
    assert.deepEqual(s.matching({ sort: { column: 'score', dir: 'desc' } }), [0, 2, 3, 1, 4]);
  });

  test('text sort: case-insensitive, numeric-aware, empty last', () => {
    assert.deepEqual(s.matching({ sort: { column: 'name', dir: 'asc' } }), [4, 1, 0, 3, 2]);
    // host1 < host2 = HOST2 < host10, '' last
    assert.deepEqual(s.matching({ sort: { column: 'host', dir: 'asc' } }), [3, 1, 2, 0, 4]);
    assert.deepEqual(s.matching({ sort: { column: 'host', dir: 'desc' } }), [0, 1, 2, 3, 4]);
  });

  test('column filters: case-insensitive substring on display text', () => {
    assert.deepEqual(s.matching({ columnFilters: { host: 'HOST2' } }), [1, 2]);
    assert.deepEqual(s.matching({ columnFilters: { score: 'pts' } }), [0, 2, 3]);
    assert.deepEqual(s.matching({ columnFilters: { name: 'a', host: '1' } }), [0, 3]);
    assert.deepEqual(s.matching({ columnFilters: { name: '   ' } }), [0, 1, 2, 3, 4]); // blank = no filter
    assert.deepEqual(s.matching({ columnFilters: { nope: 'x' } }), [0, 1, 2, 3, 4]); // unknown column ignored
  });

  test('search covers visible text columns only', () => {
    assert.deepEqual(s.matching({ search: 'ALPHA' }), [1]); // row 4 has "alpha" only in a hidden column
    assert.deepEqual(s.matching({ search: 'pts' }), []); // number columns are not searched
    assert.deepEqual(s.matching({ search: 'bc' }), [0, 3]);
  });

  test('facets: exact display text, or the column matches()', () => {
    assert.deepEqual(s.matching({ facets: { host: 'host2' } }), [1]);
    assert.deepEqual(s.matching({ facets: { host: '' } }), [4]);
    assert.deepEqual(s.matching({ facets: { tags: 'a' } }), [0, 4]); // not 'abc'
    assert.deepEqual(s.matching({ facets: { tags: 'a', host: 'host10' } }), [0]);
    assert.deepEqual(s.matching({ facets: { host: 'nothing' } }), []);
  });

  test('combined query with sort and window', () => {
    const q = { facets: { tags: 'a' }, columnFilters: { name: 'e' }, sort: { column: 'name', dir: 'desc' as const } };
    assert.deepEqual(s.matching(q), [0, 4]);
    assert.equal(s.count(q), 2);
    assert.deepEqual(s.window(q, 1, 5), { total: 2, ids: [4], rows: [['=evil', '', '', 'a', 'alpha']] });
  });

  test('export rows and cell text', () => {
    const e = s.exportRows({ sort: { column: 'score', dir: 'asc' } }, ['score', 'name', 'bogus']);
    assert.deepEqual(e.header, ['Score', 'Name']);
    assert.deepEqual([...e.rows][0], ['-1 pts', 'delta']);
    assert.equal(cellText(cols[0], rows[0]), 'beta');
    assert.equal(cellText({ id: 'x', title: 'x', type: 'number', get: () => NaN }, rows[0]), '');
    assert.deepEqual(s.rowTexts(2, ['host']), ['HOST2']);
  });

  test('sortKey overrides the sort order; query results are cached', () => {
    const sev: Record<string, number> = { ALERT: 3, WARNING: 2, NOTICE: 1 };
    const lv = ['NOTICE', 'ALERT', 'WARNING', 'ALERT'];
    const st = new TableStore(lv, [{ id: 'level', title: 'L', type: 'text', get: (r) => r, sortKey: (r) => sev[r] }]);
    assert.deepEqual(st.matching({ sort: { column: 'level', dir: 'desc' } }), [1, 3, 2, 0]);
    let calls = 0;
    const counted = new TableStore(lv, [{ id: 'level', title: 'L', type: 'text', get: (r) => r, matches: (r, v) => (calls++, r === v) }]);
    counted.window({ facets: { level: 'ALERT' } }, 0, 1);
    counted.window({ facets: { level: 'ALERT' } }, 1, 1);
    assert.equal(calls, 4); // second window served from the cache
  });
});

describe('TableStore with 1,000,000 rows (correctness, not timing)', () => {
  const N = 1_000_000;
  interface Big {
    id: number;
    host: string;
    score: number | undefined;
    path: string;
  }
  const big: Big[] = new Array(N);
  for (let i = 0; i < N; i++) {
    const h = (i * 7919) % 1000;
    big[i] = {
      id: i,
      host: `host${h}`,
      score: i % 13 === 0 ? undefined : (i * 31) % 997,
      path: `C:\\Users\\u${i % 5000}\\file${(i * 17) % 100_003}.exe`,
    };
  }
  const bcols: StoreColumn<Big>[] = [
    { id: 'host', title: 'Host', type: 'text', get: (r) => r.host },
    { id: 'score', title: 'Score', type: 'number', get: (r) => r.score },
    { id: 'path', title: 'Path', type: 'text', get: (r) => r.path },
  ];
  const store = new TableStore(big, bcols);
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  function sameOrder(actual: number[], expected: number[]) {
    assert.equal(actual.length, expected.length);
    for (let k = 0; k < expected.length; k++) if (actual[k] !== expected[k]) assert.fail(`position ${k}: got ${actual[k]}, expected ${expected[k]}`);
  }

  test('numeric sort asc/desc matches a naive sort', () => {
    const ids = Array.from({ length: N }, (_, i) => i);
    const key = (i: number) => (big[i].score === undefined ? Infinity : big[i].score!);
    const asc = [...ids].sort((a, b) => key(a) - key(b) || a - b);
    sameOrder(store.matching({ sort: { column: 'score', dir: 'asc' } }), asc);
    const defined = ids.filter((i) => big[i].score !== undefined);
    const desc = defined.sort((a, b) => key(b) - key(a) || a - b).concat(ids.filter((i) => big[i].score === undefined));
    sameOrder(store.matching({ sort: { column: 'score', dir: 'desc' } }), desc);
  });

  test('text sort matches a naive collator sort', () => {
    const ids = Array.from({ length: N }, (_, i) => i);
    const expected = ids.sort((a, b) => collator.compare(big[a].host, big[b].host) || a - b);
    sameOrder(store.matching({ sort: { column: 'host', dir: 'asc' } }), expected);
    const w = store.window({ sort: { column: 'host', dir: 'asc' } }, 0, 3);
    assert.deepEqual(w.rows.map((r) => r[0]), ['host0', 'host0', 'host0']);
    assert.equal(w.total, N);
  });

  test('filters, search and facets match a naive scan', () => {
    const naive = (pred: (r: Big) => boolean) => {
      const out: number[] = [];
      for (let i = 0; i < N; i++) if (pred(big[i])) out.push(i);
      return out;
    };
    const f1 = naive((r) => r.host.includes('host12'));
    assert.equal(f1.length, 11_000); // host12, host120..129: 11 hosts × 1000 rows
    sameOrder(store.matching({ columnFilters: { host: 'HOST12' } }), f1);

    const f2 = naive((r) => r.path.toLowerCase().includes('\\u42\\') || r.host.includes('u42\\'));
    sameOrder(store.matching({ search: '\\U42\\' }), f2);
    assert.equal(f2.length, 200);

    const f3 = naive((r) => r.host === 'host7');
    sameOrder(store.matching({ facets: { host: 'host7' } }), f3);
    assert.equal(f3.length, 1000);

    // filter + facet + numeric sort desc
    const f4 = naive((r) => r.host === 'host7' && String(r.score ?? '').includes('9'));
    const exp4 = [...f4].sort((a, b) => big[b].score! - big[a].score! || a - b);
    const got4 = store.matching({ facets: { host: 'host7' }, columnFilters: { score: '9' }, sort: { column: 'score', dir: 'desc' } });
    sameOrder(got4, exp4);
    const w = store.window({ facets: { host: 'host7' }, columnFilters: { score: '9' }, sort: { column: 'score', dir: 'desc' } }, 0, 2);
    assert.deepEqual(w.ids, exp4.slice(0, 2));
    assert.deepEqual(w.rows[0], ['host7', String(big[exp4[0]].score), big[exp4[0]].path]);
  });
});

test('warm() precomputes indexes without changing results', async () => {
  const s = new TableStore(rows, cols);
  await s.warm({ sortColumns: ['score', 'nope'] });
  assert.deepEqual(s.matching({ search: 'bc', sort: { column: 'score', dir: 'asc' } }), [3, 0]);
  const ac = new AbortController();
  ac.abort();
  await s.warm({ signal: ac.signal });
});

test('warm({ search: false }) builds only the sort orders asked for', async () => {
  const calls: Record<string, number> = { level: 0, host: 0 };
  const data = [{ l: 2, h: 'b' }, { l: 3, h: 'a' }, { l: 1, h: 'c' }];
  const st = new TableStore(data, [
    { id: 'level', title: 'L', type: 'text', get: (r: (typeof data)[0]) => String(r.l), sortKey: (r: (typeof data)[0]) => (calls.level++, r.l) },
    { id: 'host', title: 'H', type: 'text', get: (r: (typeof data)[0]) => (calls.host++, r.h) },
  ]);
  await st.warm({ sortColumns: ['level'], search: false });
  assert.deepEqual(calls, { level: 3, host: 0 });
  // the query then reuses that order (no second pass over the rows)
  assert.deepEqual(st.matching({ sort: { column: 'level', dir: 'desc' } }), [1, 0, 2]);
  assert.equal(calls.level, 3);
});

test('high-cardinality text columns (over INTERN_LIMIT distinct) filter, facet and sort correctly', () => {
  const n = INTERN_LIMIT * 2 + 1; // > INTERN_LIMIT distinct non-empty values
  const data = Array.from({ length: n }, (_, i) => ({ p: i % 7 === 0 ? '' : `Path${(i * 7919) % n}` }));
  const st = new TableStore(data, [{ id: 'p', title: 'P', type: 'text', get: (r: { p: string }) => r.p }]);
  const asc = st.matching({ sort: { column: 'p', dir: 'asc' } });
  const nonEmpty = data.map((_, i) => i).filter((i) => data[i].p !== '');
  const expected = nonEmpty
    .sort((a, b) => (data[a].p.toLowerCase() < data[b].p.toLowerCase() ? -1 : data[a].p.toLowerCase() > data[b].p.toLowerCase() ? 1 : a - b))
    .concat(data.map((_, i) => i).filter((i) => data[i].p === ''));
  assert.deepEqual(asc, expected);
  const desc = st.matching({ sort: { column: 'p', dir: 'desc' } });
  assert.deepEqual(desc.slice(0, nonEmpty.length), [...expected.slice(0, nonEmpty.length)].reverse());
  const target = data[1].p;
  assert.deepEqual(st.matching({ facets: { p: target } }), data.map((_, i) => i).filter((i) => data[i].p === target));
  assert.deepEqual(
    st.matching({ columnFilters: { p: 'PATH123' } }),
    data.map((_, i) => i).filter((i) => data[i].p.toLowerCase().includes('path123')),
  );
});

test('number columns accept comparison and range filters; text columns keep substring filters', () => {
  type R = { name: string; score: number | undefined };
  const rows: R[] = [
    { name: 'a', score: 40 },
    { name: 'b', score: 60 },
    { name: 'c', score: 100 },
    { name: 'd', score: 145 },
    { name: 'e', score: undefined },
    { name: '>100', score: 7 },
  ];
  const cols: StoreColumn<R>[] = [
    { id: 'name', title: 'Name', type: 'text', get: (r) => r.name },
    { id: 'score', title: 'Score', type: 'number', get: (r) => r.score },
  ];
  const st = new TableStore(rows, cols);
  const names = (f: string, col = 'score') => st.window({ columnFilters: { [col]: f } }, 0, 100).rows.map((r) => r[0]);
  assert.deepEqual(names('>100'), ['d']);
  assert.deepEqual(names('>=100'), ['c', 'd']);
  assert.deepEqual(names('<60'), ['a', '>100']);
  assert.deepEqual(names('<= 60'), ['a', 'b', '>100']);
  assert.deepEqual(names('=100'), ['c']);
  assert.deepEqual(names('60..100'), ['b', 'c']);
  assert.deepEqual(names('14'), ['d']); // no operator: substring of the number's text
  assert.deepEqual(names('>100', 'name'), ['>100']); // text column: substring
});

test('sameRows: the same rows in the same order (objects, or what they stand for); a pair left out by a safelist is not', async () => {
  const { sameRows } = await import('../../src/core/table/store');
  const a = { id: 1 };
  const b = { id: 2 };
  const c = { id: 3 };
  assert.equal(sameRows([a, b, c], [a, b, c]), true);
  assert.equal(sameRows([a, b, c], [b, c]), false); // the first row safelisted: every id moves
  assert.equal(sameRows([a, b], [b, a]), false);
  // rebuilt rows (new objects) of the same cases: the same rows by identity
  const rows = (xs: { id: number }[]) => xs.map((x) => ({ c: x }));
  assert.equal(sameRows(rows([a, b]), rows([a, b])), false);
  assert.equal(sameRows(rows([a, b]), rows([a, b]), (r) => r.c), true);
  assert.equal(sameRows(rows([a, b]), rows([a, c]), (r) => r.c), false);
});

describe('TableStore.prepare: the indexes of a query, one task each, before the query', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ host: `WS-${i % 97}`, rule: `rule ${i % 13}`, path: `C:\\x\\${i}.exe`, score: i % 101 }));
  const cols: StoreColumn<(typeof rows)[number]>[] = [
    { id: 'host', title: 'Host', type: 'text', get: (r) => r.host },
    { id: 'rule', title: 'Rule', type: 'text', get: (r) => r.rule },
    { id: 'path', title: 'Path', type: 'text', get: (r) => r.path },
    { id: 'score', title: 'Score', type: 'number', get: (r) => r.score },
  ];
  test('a search and a sort: each missing index in its own turn of the event loop, the window the same as without', async () => {
    const q = { search: 'ws-4', sort: { column: 'score', dir: 'desc' as const } };
    const fresh = new TableStore(rows, cols).window(q, 0, 50);
    const s = new TableStore(rows, cols);
    // another task that wants the event loop at every turn: it gets turns between the indexes
    let turns = 0;
    let on = true;
    const other = () => {
      if (!on) return;
      turns++;
      setImmediate(other);
    };
    setImmediate(other);
    await s.prepare(q);
    on = false;
    const built = (s as unknown as { text: unknown[]; sorts: unknown[] });
    assert.equal(built.text.filter(Boolean).length, 3, 'the text index of the 3 searched columns');
    assert.ok(built.sorts[3], 'the sort order of score');
    assert.ok(turns >= 3, `the other task ran ${turns} times while 4 indexes were built`);
    assert.deepEqual(s.window(q, 0, 50), fresh);
    // nothing missing: resolves without waiting for the event loop (no tick per column)
    let settled = false;
    void s.prepare(q).then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(settled, true);
  });
  test('a malformed query builds nothing and does not throw', async () => {
    const s = new TableStore(rows, cols);
    for (const q of [undefined, null, {}, { search: 7 }, { sort: { column: 42 } }, { sort: { column: 'nope', dir: 'asc' } }, { search: '   ' }]) await s.prepare(q as never);
    const built = (s as unknown as { text: unknown[]; sorts: unknown[] });
    assert.equal(built.text.filter(Boolean).length + built.sorts.filter(Boolean).length, 0);
  });
});
