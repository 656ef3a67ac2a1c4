import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { topK, topKIds } from '../../src/core/analyze/top-k';

describe('topK', () => {
  test('equals a stable sort and slice, ties in input order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 6 }), tag: fc.nat() }), { maxLength: 300 }),
        fc.oneof(fc.integer({ min: -3, max: 320 }), fc.double({ min: -2, max: 40, noNaN: true })),
        (items, k) => {
          const cmp = (a: { key: number }, b: { key: number }) => b.key - a.key; // many ties
          const expected = [...items].sort(cmp).slice(0, Math.max(0, Math.floor(k)));
          const got = topK(items, k, cmp);
          assert.equal(got.length, expected.length);
          for (let i = 0; i < got.length; i++) assert.equal(got[i], expected[i], `position ${i}`); // the same objects
        },
      ),
      { numRuns: 500 },
    );
  });

  test('reads any iterable once; k of NaN or 0 gives nothing', () => {
    let reads = 0;
    function* gen() {
      for (const v of [5, 1, 9, 3, 9, 7]) {
        reads++;
        yield v;
      }
    }
    assert.deepEqual(topK(gen(), 3, (a, b) => b - a), [9, 9, 7]);
    assert.equal(reads, 6);
    assert.deepEqual(topK([1, 2], NaN, (a, b) => a - b), []);
    assert.deepEqual(topK([1, 2], 0, (a, b) => a - b), []);
    assert.deepEqual(topK(new Set([3, 1, 2]).keys(), 10, (a, b) => a - b), [1, 2, 3]);
  });

  test('topKIds equals topK of the ids 0 … n - 1: a stable sort and slice, ties in id order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 300 }),
        fc.oneof(fc.integer({ min: -3, max: 320 }), fc.double({ min: -2, max: 40, noNaN: true })),
        (keys, k) => {
          const cmp = (a: number, b: number) => keys[b] - keys[a]; // many ties
          const ids = keys.map((_, i) => i);
          const expected = [...ids].sort(cmp).slice(0, Math.max(0, Math.floor(k)));
          assert.deepEqual(topKIds(keys.length, k, cmp), expected);
          assert.deepEqual(topKIds(keys.length, k, cmp), topK(ids, k, cmp));
        },
      ),
      { numRuns: 500 },
    );
    assert.deepEqual(topKIds(0, 5, () => 0), []);
    assert.deepEqual(topKIds(-2, 5, () => 0), []);
    assert.deepEqual(topKIds(4, NaN, () => 0), []);
    assert.deepEqual(topKIds(4, 10, () => 0), [0, 1, 2, 3]); // all equal: id order
  });
});
