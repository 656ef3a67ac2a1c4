/**
 * One runner per worker job kind. A runner does the whole job (discover, parse, analyse) in the
 * worker thread, honours the AbortSignal and reports progress.
 */
import { runLokiAnalysis } from '../core/analyze/run-loki';
import type { JobProgress, WorkerJob } from '../shared/worker-protocol';

export interface RunContext {
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
}

export type Runners = { [K in WorkerJob['kind']]: (job: Extract<WorkerJob, { kind: K }>, ctx: RunContext) => Promise<unknown> };

export const defaultRunners: Runners = {
  loki: (job, ctx) =>
    runLokiAnalysis(job.paths, {
      ...job.options,
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.onProgress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', filesDone: p.filesDone, filesTotal: p.filesTotal, currentFile: p.currentFile }),
    }),
};
