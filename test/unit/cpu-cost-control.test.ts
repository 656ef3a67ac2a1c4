/**
 * Controls of the cost checker (cpu-cost.ts) the hostile-input tests rely on: quadratic work fails it and linear work
 * passes, with the bound of k^1.75.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSubquadratic } from './cpu-cost';

const make = (n: number) => Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0);

test('quadratic work (every pair of n values) fails the check', () => {
  assert.throws(
    () =>
      assertSubquadratic('pairs', make, (a) => {
        let x = 0;
        for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) x ^= a[i] + a[j];
        return x;
      }, 300),
    /16× the input took .* bound 128×/,
  );
});

test('linear work (one pass over n values) passes the check', () => {
  const r = assertSubquadratic('one pass', make, (a) => {
    let x = 0;
    for (let i = 0; i < a.length; i++) x ^= a[i];
    return x;
  }, 20_000);
  assert.ok(r.big > r.small, JSON.stringify(r));
});
