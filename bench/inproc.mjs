#!/usr/bin/env node --expose-gc
/**
 * In-process measurement of one analysis (bench/run.mjs runs it in a child process):
 * wall time of the analysis alone (no process start, no output), retained memory of the result
 * (heapUsed + arrayBuffers after a full GC and the ArrayBuffer sweep, minus before: typed arrays and Buffers, e.g. the columnar
 * stores, live outside the V8 heap) and the process's peak RSS (VmHWM).
 *
 *   node --expose-gc bench/inproc.mjs <bundle.js> <loki|qradar|beacons> <folder>
 * `bundle.js` is bench/core-entry.ts (run-loki, qradar-run + qradar-dashboard, beacons/run) bundled by run.mjs.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [bundle, kind, dir] = process.argv.slice(2);
const core = createRequire(import.meta.url)(bundle);
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
// A full GC, then again after the event loop turned: V8 frees the memory of dead ArrayBuffers (read
// buffers, grown columns) in a sweeper task after the GC, so `arrayBuffers` right after one GC still
// counts some of them.
const settle = async () => {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 100));
  globalThis.gc?.();
};
await settle();
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const h0 = used();
const elu0 = performance.eventLoopUtilization();
const t0 = performance.now();
let result;
let records = 0;
/** Loki: ms until every file was parsed (the rest of `ms` is the merge: verdicts, tallies, Top files, hash view). */
let parseMs;
if (kind === 'loki') {
  // one thread (the "on one core"); the CLI row of bench/run.mjs uses the parse workers. The last progress
  // report (every file parsed, before the merge into the dashboard's tallies) ends the parse: `parseMs`, the issue's
  // "full parse (every key, every reason)" apart from the aggregation.
  result = await core.runLokiAnalysis([dir], {
    parseWorkers: 0,
    onProgress: (p) => {
      if (p.filesDone === p.filesTotal) parseMs = performance.now() - t0;
    },
  });
  records = result.findings.length;
} else if (kind === 'qradar') {
  const parsed = await core.runQRadarRead([dir], {});
  const settings = { zone: 'UTC', escalatedReasons: core.DEFAULT_ESCALATED_REASONS, falsePositiveReasons: core.DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
  const dashboard = core.buildQRadarDashboard(parsed, 'bench', settings); // every dashboard aggregation
  result = { parsed, dashboard };
  records = parsed.offenses.length;
} else {
  // what the extension's analysis worker runs (src/worker/runners.ts): every pair scored, the listed
  // ones as table rows with their detail numbers and chart lists packed (the CLI leaves the charts out);
  // until 2026-12-02 (run 13) this timed runBeaconAnalysis, full pairs with their charts as arrays,
  // which no command uses (bench/NOTES.md, "Beacons: addresses as values")
  result = await core.runBeaconAnalysisRows([dir], { hourlyImport: false });
  records = result.summary.records;
}
const ms = performance.now() - t0;
// Time the thread's event loop waited with nothing to run (e.g. for file reads), ms.
const idleMs = performance.eventLoopUtilization(elu0).idle;
await settle();
const retained = used() - h0;
const errors = (result.errors ?? result.parsed?.errors ?? []).length;
process.stdout.write(JSON.stringify({ kind, ms, ...(parseMs !== undefined ? { parseMs } : {}), idleMs, records, errors, retainedBytes: retained, peakRss: hwm() }) + '\n');
void result;
