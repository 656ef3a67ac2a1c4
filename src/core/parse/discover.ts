/**
 * Finds candidate Loki result files under files/folders (recursive). OWNER: parser helper.
 */
import type { ParseError } from '../model/loki';

export interface DiscoveredFiles {
  /** Absolute paths, sorted. */
  files: string[];
  /** Files deliberately not read, with the reason (e.g. Loki-RS `.log` beside its `.jsonl`, `.html` reports). */
  skipped: { file: string; reason: string }[];
  /** Unreadable paths (permissions, dangling links, loops). */
  errors: ParseError[];
  /** Total bytes of `files`. */
  totalBytes: number;
}

export async function discoverLokiFiles(_paths: string[], _opts: { signal?: AbortSignal } = {}): Promise<DiscoveredFiles> {
  throw new Error('not implemented');
}
