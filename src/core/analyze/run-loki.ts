/**
 * Discover + parse + analyse, shared by the worker thread and the CLI. OWNER: analytics helper.
 */
import { discoverLokiFiles } from '../parse/discover';
import { parseLokiFileColumnar } from '../parse/loki';
import { MessageReader } from '../parse/loki-store';
import { LokiIntern } from '../parse/loki-intern';
import type { FindingList, LokiFileResult } from '../model/loki';
import { cancelledError as abortError, isAbort } from './cancel';
import { analyzeLoki, type LokiAnalysis, type LokiAnalysisOptions } from './loki-summary';

export interface LokiProgress {
  filesDone: number;
  filesTotal: number;
  /** Bytes read so far over all files (monotonic, ≤ bytesTotal unless files grew while read). */
  bytesDone: number;
  /** Total size of the discovered files in bytes (from discovery). */
  bytesTotal: number;
  currentFile?: string;
}

/**
 * Runs a whole Loki analysis over files and folders:
 * `discoverLokiFiles(paths)` → `parseLokiFile` per discovered file, one after the other →
 * {@link analyzeLoki}. Discovery errors (unreadable paths) are added to `analysis.errors` (line 0)
 * and discovery's skipped files to `analysis.skipped`.
 *
 * Findings of one run share repeated values (reasons arrays and reason objects, paths; file types of
 * findings kept as objects; see ../parse/loki-intern.ts): treat the result as read-only. The memos
 * themselves are dropped after the run. File findings of Python CSV logs are kept in columnar stores
 * (../parse/loki-store.ts): `analysis.findings` is a {@link FindingList} that builds each finding on
 * demand (`at(i)`, `slice`, iteration), with the same values as `parseLokiFile` + `analyzeLoki`.
 *
 * `onProgress` is called before each file, while reading (via the parser's byte callback) and once
 * at the end (`filesDone === filesTotal`); callers throttle it themselves.
 *
 * Rejects with an Error named `AbortError` when `signal` is aborted (checked before each file and
 * inside the parser). A parser failure other than abort (a bug: the parser's contract is to never
 * reject) is recorded as a file-level error for that file and the run continues. Errors from
 * discovery itself (other than per-path errors) propagate.
 */
export async function runLokiAnalysis(
  paths: string[],
  opts: LokiAnalysisOptions & { signal?: AbortSignal; onProgress?: (p: LokiProgress) => void } = {},
): Promise<LokiAnalysis<FindingList>> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError(signal);
  const disc = await discoverLokiFiles(paths, { signal });
  if (signal?.aborted) throw abortError(signal);
  const filesTotal = disc.files.length;
  const bytesTotal = disc.totalBytes;
  let bytesDone = 0;
  const results: LokiFileResult<FindingList>[] = [];
  // Repeated texts (reasons, paths, file types) shared by the findings of every file of this run.
  const intern = new LokiIntern();
  // Reads the messages of the columnar findings back from their files when findings are built.
  const reader = new MessageReader();
  const report = (filesDone: number, currentFile?: string) =>
    onProgress?.({ filesDone, filesTotal, bytesDone, bytesTotal, currentFile });

  for (let i = 0; i < disc.files.length; i++) {
    if (signal?.aborted) throw abortError(signal);
    const file = disc.files[i];
    const base = bytesDone;
    report(i, file);
    let r: LokiFileResult<FindingList>;
    try {
      r = await parseLokiFileColumnar(file, reader, {
        signal,
        intern,
        onBytes: (b) => {
          const now = base + Math.max(0, b);
          if (now > bytesDone) {
            bytesDone = now;
            report(i, file);
          }
        },
      });
    } catch (e) {
      if (isAbort(e) || signal?.aborted) throw abortError(signal);
      r = {
        file,
        format: 'unknown',
        encoding: 'unknown',
        lines: 0,
        bytes: 0,
        scans: [],
        findings: [],
        errors: [{ file, line: 0, message: `Cannot parse file: ${e instanceof Error ? e.message : String(e)}` }],
      };
    }
    bytesDone = Math.max(bytesDone, base + (r.bytes || 0));
    results.push(r);
  }
  report(filesTotal);
  const analysis = analyzeLoki(results, { includeAllScans: opts.includeAllScans });
  if (disc.errors.length > 0) analysis.errors = [...disc.errors, ...analysis.errors];
  if (disc.skipped.length > 0) analysis.skipped = [...disc.skipped, ...(analysis.skipped ?? [])];
  return analysis;
}
