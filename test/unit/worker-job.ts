/**
 * A worker job run in this thread through the worker's own job handler (src/worker/job-handler.ts), as
 * src/extension/jobs.ts drives a worker: each result slice acknowledged, packed slices unpacked by RESULT_PACKERS
 * (one state per job), every message structured-cloned as `postMessage` would, the sliced keys put back. Resolves to
 * the result the host would hold; rejects with the worker's error message.
 */
import { createJobHandler } from '../../src/worker/job-handler';
import { RESULT_PACKERS } from '../../src/shared/result-packing';
import type { FromWorker, WorkerJob } from '../../src/shared/worker-protocol';

export async function runWorkerJob<R>(job: WorkerJob): Promise<R> {
  const inbox: FromWorker[] = [];
  const handle = createJobHandler((m: FromWorker) => {
    inbox.push(m);
    if (m.type === 'resultPart') queueMicrotask(() => void handle({ type: 'partAck', seq: m.seq }));
  });
  await handle({ type: 'run', job });
  const parts = new Map<string, unknown[]>();
  const state = {};
  for (const m of inbox) {
    if (m.type !== 'resultPart') continue;
    const items = structuredClone(m.items);
    if (m.packed !== undefined) RESULT_PACKERS[job.kind]?.[m.key]?.unpack(items, structuredClone(m.packed), state);
    parts.set(m.key, [...(parts.get(m.key) ?? []), ...items]);
  }
  const end = inbox.find((m) => m.type === 'result' || m.type === 'error')!;
  if (end.type === 'error') throw new Error(end.message);
  const r = structuredClone((end as { result: Record<string, unknown> }).result);
  for (const k of (end as { parts?: string[] }).parts ?? []) r[k] = parts.get(k);
  return r as R;
}
