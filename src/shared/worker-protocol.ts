/** Messages between the extension host and the analysis worker thread (src/worker/worker.ts). */
import type { LokiAnalysis, LokiAnalysisOptions } from '../core/analyze/loki-summary';
import type { LokiProgress } from '../core/analyze/run-loki';

export type ToWorker =
  /** Start a Loki analysis of files/folders (one job at a time per worker). */
  | { type: 'loki'; paths: string[]; options: LokiAnalysisOptions }
  /** Abort the running job: the worker then posts `{ type: 'error', cancelled: true }`. */
  | { type: 'cancel' };

export type FromWorker =
  /** Throttled: at most 10 per second. */
  | { type: 'progress'; progress: LokiProgress }
  | { type: 'result'; analysis: LokiAnalysis }
  /** `cancelled` is true when the job ended because of a `cancel` message. */
  | { type: 'error'; message: string; cancelled?: boolean };
