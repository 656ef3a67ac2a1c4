/**
 * One runner per worker job kind. A runner does the whole job (discover, parse, analyze) in the
 * worker thread, honours the AbortSignal and reports progress.
 */
import { runLokiAnalysis } from '../core/analyze/run-loki';
import { FindingView, LokiFindingStore, MessagelessFindings } from '../core/parse/loki-store';
import { runQRadarRead } from '../core/analyze/qradar-run';
import { withSummaries } from '../core/analyze/qradar-summary';
import { runBeaconAnalysisRows } from '../core/analyze/beacons/run';
import { beaconPairStats, withSafelist } from '../core/analyze/beacons/dashboard';
import { runKpiAnalysis } from '../core/analyze/kpi-run';
import { readArielCounts } from '../core/qradar-api/ariel';
import type { JobProgress, WorkerJob } from '../shared/worker-protocol';
import { inspectNormalizeInput, isSameFile, normalizeTable, SAME_FILE_REFUSAL, readNormalizeInput, type NormalizeInput, summarizeNormalize, writeNormalized, type NormalizeOptions, type NormalizeResult } from '../core/tz-file';
import type { Tabular } from '../core/parse/cases-input';

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

/**
 * Normalize Timestamps' state in this worker: the table `tzInspect` read and the last conversion of it (the steps
 * run one after the other in one worker; a step of another file, or in a fresh worker, reads the file again).
 */
let tzState: { file: string; table: NormalizeInput; result?: NormalizeResult; key?: string } | undefined;

async function tzTable(file: string, ctx: RunContext, fresh = false): Promise<NormalizeInput> {
  if (!fresh && tzState?.file === file) return tzState.table;
  tzState = undefined; // the previous table is let go before the next one is read
  const table = await readNormalizeInput(file);
  if (ctx.signal.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
  tzState = { file, table };
  return table;
}

function tzConverted(table: Tabular, options: NormalizeOptions, ctx: RunContext): NormalizeResult {
  const key = JSON.stringify(options);
  if (tzState?.table === table && tzState.result && tzState.key === key) return tzState.result;
  const result = normalizeTable(table, options, (done, total) => ctx.onProgress({ done, total, unit: 'items', currentFile: table.file }));
  if (tzState?.table === table) Object.assign(tzState, { result, key });
  return result;
}

export const defaultRunners: Runners = {
  tzInspect: async (job, ctx) => inspectNormalizeInput(await tzTable(job.paths[0], ctx, true)),
  tzConvert: async (job, ctx) => summarizeNormalize(tzConverted(await tzTable(job.paths[0], ctx), job.options, ctx)),
  tzWrite: async (job, ctx) => {
    const { out, tmpPath, ...options } = job.options;
    const table = await tzTable(job.paths[0], ctx);
    if (await isSameFile(out, table.file)) throw new Error(SAME_FILE_REFUSAL);
    await writeNormalized(table, tzConverted(table, options, ctx), tmpPath);
    return { out, tmpPath };
  },
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
  // with the dashboard summaries the host asked for (off the extension host's main thread)
  qradar: async (job, ctx) =>
    withSummaries(
      await runQRadarRead(job.paths, {
        consoleTimeZone: job.options.consoleTimeZone,
        signal: ctx.signal,
        onProgress: byteProgress(ctx),
      }),
      Array.isArray(job.options.summaries) ? job.options.summaries : [],
      ctx.signal,
    ),
  // rows with their details packed (what the host keeps; src/shared/result-packing.ts)
  // with the dashboard's counts over every listed pair (off the extension host's main thread)
  beacons: async (job, ctx) => {
    const a = await runBeaconAnalysisRows(job.paths, {
      ...job.options,
      signal: ctx.signal,
      onProgress: byteProgress(ctx),
    });
    // the job's safelist tested against the listed pairs here (the host's safelist view is then free while it is unchanged)
    const entries = Array.isArray(job.options.safelist) ? job.options.safelist.filter((e): e is string => typeof e === 'string') : [];
    const safelistChecked = entries.length ? { entries, safelisted: withSafelist(a, entries).safelisted } : undefined;
    return { ...a, pairStats: beaconPairStats(a.pairs), ...(safelistChecked ? { safelistChecked } : {}) };
  },
};
