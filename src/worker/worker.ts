/**
 * `worker_threads` entry (bundled to dist/worker.js): runs analysis jobs off the extension host's
 * main thread. Protocol: src/shared/worker-protocol.ts; runners: src/worker/runners.ts.
 *
 * Host usage: `new Worker(<extension>/dist/worker.js)`, post `{ type: 'run', job }`, receive
 * `progress`… then `result` or `error`; post `{ type: 'cancel' }` to abort (the host also
 * terminates the worker after a short grace period).
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../shared/worker-protocol';
import { createJobHandler } from './job-handler';

if (parentPort) {
  const port = parentPort;
  const handle = createJobHandler((m: FromWorker) => port.postMessage(m));
  port.on('message', (msg: ToWorker) => {
    void handle(msg);
  });
}
