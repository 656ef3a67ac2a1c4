#!/usr/bin/env node
/**
 * Extension-host responsiveness: runs a job in dist/worker.js exactly as src/extension/jobs.ts
 * does (`new Worker(dist/worker.js)`, post `{type:'run', job}`, take `progress`, then `result`)
 * while the main thread samples `perf_hooks.monitorEventLoopDelay` (10 ms resolution). The
 * `result` message is deserialised on the main thread, so its cost is part of the measurement.
 *
 *   node [--expose-gc] bench/eld.mjs <loki|qradar|beacons> <folder> [bundle]   -> one JSON line (delays in ms;
 *   hostHeapMB / hostArrayBuffersMB: what the main thread holds with the result, after a full GC with --expose-gc)
 * `bundle`: the bench bundle (bench/core-entry.ts, built by run.mjs), whose RESULT_PACKERS unpack the
 * packed slices (beacon chart lists) as jobs.ts does; without it they are left packed. With it, a QRadar job also
 * asks the worker for the dashboard summary (as src/extension/kinds/qradar.ts does) and the host then builds the
 * dashboard model from it (`hostDashboardMs`, inside the event-loop measurement); a beacon job runs with a one-entry
 * safelist, its host builds the dashboard as src/extension/kinds/beacons.ts does (`hostDashboardMs`) and then tests
 * the pairs against a safelist changed since the run, in slices (`hostSafelistMs`, its longest step `hostSafelistStepMs`).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

const [kind, dir, bundle] = process.argv.slice(2);
const packers = bundle ? createRequire(import.meta.url)(bundle).RESULT_PACKERS[kind] : undefined; // (core below: the same bundle)
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = bundle ? createRequire(import.meta.url)(bundle) : undefined;
// QRadar: the worker computes the dashboard summary for the display zone, as src/extension/kinds/qradar.ts asks it to
const qradarSettings = core ? { zone: 'UTC', escalatedReasons: core.DEFAULT_ESCALATED_REASONS, falsePositiveReasons: core.DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 } : undefined;
// beacons: a one-entry safelist that matches nothing, as a workspace that safelists a server would have
const SAFELIST = ['192.0.2.1'];
const options = kind === 'qradar' ? (qradarSettings ? { summaries: [qradarSettings] } : {}) : kind === 'beacons' ? { hourlyImport: false, safelist: SAFELIST } : {};
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
// A host-like timer: the extension host runs timers and IPC on this loop.
let ticks = 0;
const timer = setInterval(() => ticks++, 5);
const t0 = performance.now();
let resultAt = 0;
let progress = 0;
const result = await new Promise((resolve, reject) => {
  const w = new Worker(join(root, 'dist', 'worker.js'), { resourceLimits: { maxYoungGenerationSizeMb: 96 } }); // limits as in src/extension/jobs.ts
  const parts = new Map();
  const unpackState = {}; // one per job, as in jobs.ts
  w.on('message', (m) => {
    if (m.type === 'progress') progress++;
    else if (m.type === 'resultPart') {
      // reassembled exactly as src/extension/jobs.ts does
      if (!parts.has(m.key)) parts.set(m.key, []);
      const acc = parts.get(m.key);
      if (m.packed !== undefined) packers?.[m.key]?.unpack(m.items, m.packed, unpackState);
      for (const x of m.items) acc.push(x);
      setImmediate(() => w.postMessage({ type: 'partAck' })); // after this task, as jobs.ts acks
    } else if (m.type === 'result') {
      resultAt = performance.now();
      void w.terminate();
      for (const k of m.parts ?? []) m.result[k] = parts.get(k) ?? [];
      resolve(m.result);
    } else if (m.type === 'error') reject(new Error(m.message));
  });
  w.on('error', reject);
  w.postMessage({ type: 'run', job: { kind, paths: [dir], options } });
});
const tDone = performance.now();
// QRadar: the host's dashboard step, as the extension's QRadar kind runs it (the model from the worker's summary)
let hostDashboardMs;
if (kind === 'qradar' && core && result?.summaries?.length) {
  await new Promise((r) => setTimeout(r, 20));
  const t = performance.now();
  core.buildQRadarDashboard(result, 'bench', qradarSettings, result.summaries[0].summary);
  hostDashboardMs = Math.round(performance.now() - t);
}
// beacons: the host's dashboard step as src/extension/kinds/beacons.ts runs it (the view of the job's safelist, which
// the worker tested: `safelistChecked`; then the model), and the view of a safelist changed since the run (every
// listed pair tested), which the kind computes in slices of ~20 ms: `hostSafelistMs` from start to end, and
// `hostSafelistStepMs` the longest step between two pauses (a slice is ~20 ms plus at most one step)
let hostSafelistMs;
let hostSafelistStepMs;
if (kind === 'beacons' && core && result?.pairs) {
  await new Promise((r) => setTimeout(r, 20));
  let t = performance.now();
  const c = result.safelistChecked;
  const view = c && c.safelisted === 0 && JSON.stringify(c.entries) === JSON.stringify(SAFELIST) ? result : core.withSafelist(result, SAFELIST).view;
  core.buildBeaconDashboard(view, 'bench', 'UTC', 0);
  hostDashboardMs = Math.round(performance.now() - t);
  await new Promise((r) => setTimeout(r, 20));
  t = performance.now();
  let longest = 0;
  function* timed(steps) {
    for (;;) {
      const s0 = performance.now();
      const r = steps.next();
      longest = Math.max(longest, performance.now() - s0);
      if (r.done) return r.value;
      yield;
    }
  }
  await core.runInSlices(timed(core.withSafelistSteps(result, [...SAFELIST, '192.0.2.2'])));
  hostSafelistMs = Math.round(performance.now() - t);
  hostSafelistStepMs = Math.round(longest * 10) / 10;
}
// let the loop settle after the result
await new Promise((r) => setTimeout(r, 50));
clearInterval(timer);
h.disable();
// what the host keeps for the result (a full GC first when run with --expose-gc)
globalThis.gc?.();
const mem = process.memoryUsage();
const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
process.stdout.write(
  JSON.stringify({
    kind,
    wallMs: Math.round(tDone - t0),
    resultMessageAtMs: Math.round(resultAt - t0),
    progressMessages: progress,
    eldP50: ms(h.percentile(50)),
    eldP99: ms(h.percentile(99)),
    eldMax: ms(h.max),
    findings: Array.isArray(result?.findings) ? result.findings.length : undefined,
    pairs: Array.isArray(result?.pairs) ? result.pairs.length : undefined,
    hostDashboardMs,
    hostSafelistMs,
    hostSafelistStepMs,
    hostHeapMB: Math.round(mem.heapUsed / 1e6),
    hostArrayBuffersMB: Math.round(mem.arrayBuffers / 1e6),
  }) + '\n',
);
