/**
 * `worker_threads` entry (bundled to dist/worker.js): parses and analyses off the extension host's
 * main thread. Protocol: src/shared/worker-protocol.ts. OWNER: analytics helper.
 *
 * Host usage: `new Worker(path.join(ctx.extensionPath, 'dist/worker.js'))`, post
 * `{ type: 'loki', paths, options }`, receive `progress`… then `result` or `error`; post
 * `{ type: 'cancel' }` to abort (or `worker.terminate()` as a last resort).
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../shared/worker-protocol';
import { createLokiJobHandler } from './loki-job';

if (parentPort) {
  const port = parentPort;
  const handle = createLokiJobHandler((m: FromWorker) => port.postMessage(m));
  port.on('message', (msg: ToWorker) => {
    void handle(msg);
  });
}
