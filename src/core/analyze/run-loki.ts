/**
 * Discover + parse + analyse, shared by the worker thread and the CLI. OWNER: analytics helper.
 */
import type { LokiAnalysis, LokiAnalysisOptions } from './loki-summary';

export interface LokiProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  currentFile?: string;
}

export async function runLokiAnalysis(
  _paths: string[],
  _opts: LokiAnalysisOptions & { signal?: AbortSignal; onProgress?: (p: LokiProgress) => void } = {},
): Promise<LokiAnalysis> {
  throw new Error('not implemented');
}
