/**
 * One runner per worker job kind. A runner does the whole job (discover, parse, analyse) in the
 * worker thread, honours the AbortSignal and reports progress.
 */
import { runLokiAnalysis } from '../core/analyze/run-loki';
import { FindingView, LokiFindingStore, MessagelessFindings } from '../core/parse/loki-store';
import { runQRadarRead } from '../core/analyze/qradar-run';
import { runBeaconAnalysisRows } from '../core/analyze/beacons/run';
import { runKpiAnalysis } from '../core/analyze/kpi-run';
import { readArielCounts } from '../core/qradar-api/ariel';
import type { JobProgress, WorkerJob } from '../shared/worker-protocol';

export interface RunContext {
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
}

export type Runners = { [K in WorkerJob['kind']]: (job: Extract<WorkerJob, { kind: K }>, ctx: RunContext) => Promise<unknown> };

/** Reports a file reader's progress (bytes of the files, files done) as the job's progress. */
const byteProgress =
  (ctx: RunContext) =>
  (p: { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number; currentFile?: string }): void =>
    ctx.onProgress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', filesDone: p.filesDone, filesTotal: p.filesTotal, currentFile: p.currentFile });

export const defaultRunners: Runners = {
  kpi: (job, ctx) => runKpiAnalysis(job.paths, job.options, ctx.signal),
  ariel: (job, ctx) => readArielCounts(job.paths, ctx.signal),
  loki: async (job, ctx) => {
    const a = await runLokiAnalysis(job.paths, {
      ...job.options,
      signal: ctx.signal,
      onProgress: byteProgress(ctx),
    });
    // The host gets columnar file findings without their message (read back for the detail view).
    const f = a.findings;
    return f instanceof FindingView || f instanceof LokiFindingStore ? { ...a, findings: new MessagelessFindings(f) } : a;
  },
  qradar: (job, ctx) =>
    runQRadarRead(job.paths, {
      consoleTimeZone: job.options.consoleTimeZone,
      signal: ctx.signal,
      onProgress: byteProgress(ctx),
    }),
  // rows with their details packed (what the host keeps; src/shared/result-packing.ts)
  beacons: (job, ctx) =>
    runBeaconAnalysisRows(job.paths, {
      ...job.options,
      signal: ctx.signal,
      onProgress: byteProgress(ctx),
    }),
};
