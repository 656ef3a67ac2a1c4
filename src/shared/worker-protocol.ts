/** Messages between the extension host and the analysis worker thread (src/worker/worker.ts). */
import type { LokiAnalysis, LokiAnalysisOptions } from '../core/analyze/loki-summary';
import type { LokiProgress } from '../core/analyze/run-loki';

export type ToWorker = { type: 'loki'; paths: string[]; options: LokiAnalysisOptions };

export type FromWorker =
  | { type: 'progress'; progress: LokiProgress }
  | { type: 'result'; analysis: LokiAnalysis }
  | { type: 'error'; message: string };
