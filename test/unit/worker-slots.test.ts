import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerSlots, type CancelToken } from '../../src/extension/worker-slots';

/** A cancellation token the test can trip. */
function token(): CancelToken & { cancel(): void } {
  const listeners = new Set<() => void>();
  let cancelled = false;
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(l) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    cancel() {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
  };
}

test('worker slots: at most `size` jobs run; the others wait in start order; a release lets the next one in', async () => {
  const s = new WorkerSlots(2);
  const order: string[] = [];
  const r1 = (await s.acquire())!;
  const r2 = (await s.acquire())!;
  assert.deepEqual([s.running, s.queued], [2, 0]);
  const p3 = s.acquire().then((r) => (order.push('3'), r));
  const p4 = s.acquire().then((r) => (order.push('4'), r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([s.running, s.queued, order.length], [2, 2, 0], 'the third and fourth wait');
  r1();
  r1(); // a second call does nothing
  const r3 = (await p3)!;
  assert.deepEqual([s.running, s.queued, order], [2, 1, ['3']]);
  r2();
  const r4 = (await p4)!;
  assert.deepEqual(order, ['3', '4']);
  r3();
  r4();
  assert.deepEqual([s.running, s.queued], [0, 0]);
});

test('worker slots: a job cancelled while waiting leaves the queue and never runs; one cancelled before asking gets no slot', async () => {
  const s = new WorkerSlots(1);
  const r1 = (await s.acquire())!;
  const t = token();
  const waiting = s.acquire(t);
  const after = s.acquire();
  assert.equal(s.queued, 2);
  t.cancel();
  assert.equal(await waiting, undefined);
  assert.equal(s.queued, 1);
  r1();
  const r3 = await after;
  assert.ok(r3, 'the next job in the queue runs');
  assert.equal(s.running, 1);
  const gone = token();
  gone.cancel();
  assert.equal(await s.acquire(gone), undefined);
  assert.equal(s.queued, 0);
  r3!();
  assert.throws(() => new WorkerSlots(0), RangeError);
});
