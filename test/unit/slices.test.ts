/**
 * src/core/slices.ts: computations in slices on the extension host, shared by whoever asks while they run
 * (`joinSharedJob`, used by the QRadar summary and the beacon safelist view).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drainSteps, joinSharedJob, runInSlices, type SharedJob } from '../../src/core/slices';

const turn = () => new Promise<void>((r) => setImmediate(r));
const stopped = () => new DOMException('not needed', 'AbortError');

/** A computation of `n` steps that counts the steps it ran; returns n * 10. */
function counter(n: number) {
  const ran = { steps: 0, starts: 0 };
  const start = (signal: AbortSignal) => {
    ran.starts++;
    return runInSlices(
      (function* () {
        for (let i = 0; i < n; i++) {
          ran.steps++;
          yield;
        }
        return n * 10;
      })(),
      { sliceMs: 0, signal },
    );
  };
  return { ran, start };
}

describe('joinSharedJob', () => {
  it('one computation for every waiter; the result goes to done', async () => {
    const slot: { pending?: SharedJob<number> } = {};
    const { ran, start } = counter(50);
    const got: number[] = [];
    const [x, y] = await Promise.all([joinSharedJob(slot, start, (v) => got.push(v), undefined, stopped), joinSharedJob(slot, start, (v) => got.push(v), new AbortController().signal, stopped)]);
    assert.deepEqual([x, y, got, ran.starts, ran.steps], [500, 500, [500], 1, 50]);
    assert.equal(slot.pending, undefined);
  });

  it('the last waiter leaving stops it after that turn; a request in the same turn keeps it; a later one starts anew', async () => {
    const slot: { pending?: SharedJob<number> } = {};
    const { ran, start } = counter(1_000);
    const a = new AbortController();
    const first = joinSharedJob(slot, start, () => undefined, a.signal, stopped);
    await turn();
    a.abort();
    await assert.rejects(first, { name: 'AbortError' });
    // same turn: joins the running one (no second start)
    const b = new AbortController();
    const second = joinSharedJob(slot, start, () => undefined, b.signal, stopped);
    assert.equal(ran.starts, 1);
    b.abort();
    await assert.rejects(second, { name: 'AbortError' });
    await turn();
    await turn();
    const at = ran.steps;
    assert.ok(at < 1_000, `stopped early (${at} steps)`);
    assert.equal(slot.pending, undefined, 'nothing kept');
    await turn();
    assert.equal(ran.steps, at, 'no step after the stop');
    assert.equal(await joinSharedJob(slot, start, () => undefined, undefined, stopped), 10_000);
    assert.equal(ran.starts, 2);
  });

  it('an aborted signal is refused at once; drainSteps runs a generator in one go', async () => {
    const slot: { pending?: SharedJob<number> } = {};
    const { ran, start } = counter(3);
    const a = new AbortController();
    a.abort();
    await assert.rejects(joinSharedJob(slot, start, () => undefined, a.signal, stopped), { name: 'AbortError' });
    assert.equal(ran.starts, 0);
    assert.equal(
      drainSteps(
        (function* () {
          yield;
          yield;
          return 7;
        })(),
      ),
      7,
    );
  });
});
