/**
 * Messages between the extension host and the analysis worker thread (src/worker/worker.ts).
 * One job at a time per worker; every analysis kind is one `WorkerJob` variant with a runner in
 * src/worker/runners.ts.
 */
import type { LokiAnalysisOptions } from '../core/analyze/loki-summary';
import type { BeaconOptions } from '../core/analyze/beacons/options';
import type { KpiRunOptions } from '../core/analyze/kpi-run';
import type { NormalizeOptions } from '../core/tz-file';
import type { QRadarSettings } from '../core/analyze/qradar-summary';

/** Progress of a job. `done`/`total` in `unit` (bytes read, or items processed). */
export interface JobProgress {
  done: number;
  total: number;
  unit: 'bytes' | 'items';
  filesDone?: number;
  filesTotal?: number;
  currentFile?: string;
}

/** A job the worker can run; add a variant (and a runner) per analysis kind. */
export type WorkerJob =
  | { kind: 'loki'; paths: string[]; options: LokiAnalysisOptions }
  /**
   * `summaries`: settings (display zone, closing-reason classes, top N) whose dashboard summary the worker computes
   * after the read and sends with the result (`QRadarResult.summaries`), so that the extension host does not run that
   * pass over every offense on its main thread (about a second at 500,000 offenses).
   */
  | { kind: 'qradar'; paths: string[]; options: { consoleTimeZone?: string; summaries?: QRadarSettings[] } }
  | { kind: 'beacons'; paths: string[]; options: Partial<BeaconOptions> }
  | { kind: 'kpi'; paths: string[]; options: KpiRunOptions }
  | { kind: 'ariel'; paths: string[]; options: Record<string, never> }
  /**
   * Normalize Timestamps, in three steps run one after the other in one worker (src/extension/jobs.ts
   * `WorkerSession`), the extension asking its questions in between: `tzInspect` reads `paths[0]` and answers a
   * `NormalizeInspection` (src/core/tz-file.ts); `tzConvert` converts it (`NormalizeSummary`); `tzWrite` writes the
   * converted copy for `options.out` to `options.tmpPath` (the extension renames it to `out` when the job succeeded, so
   * a cancelled write leaves no partial `out`). The table read by
   * `tzInspect` is kept in the worker for the next steps (read again when the worker is a new one).
   */
  | { kind: 'tzInspect'; paths: string[]; options: Record<string, never> }
  | { kind: 'tzConvert'; paths: string[]; options: NormalizeOptions }
  | { kind: 'tzWrite'; paths: string[]; options: NormalizeOptions & { out: string; tmpPath: string } };

export type ToWorker =
  /** Start a job (one at a time per worker). */
  | { type: 'run'; job: WorkerJob }
  /** Abort the running job: the worker then posts `{ type: 'error', cancelled: true }`. */
  | { type: 'cancel' }
  /** The host has taken one `resultPart` (flow control: the worker keeps at most RESULT_WINDOW slices unacknowledged, so the host takes a few slices per task, not all of them in one). */
  | { type: 'partAck'; /** The `seq` of the slice acknowledged (acks of another run are ignored). */ seq?: number };

export type FromWorker =
  /** Throttled: at most 10 per second. */
  | { type: 'progress'; progress: JobProgress }
  /**
   * A slice of one large top-level array of the result (e.g. `findings`), sent before `result` so that the host
   * deserialises a big result in many short tasks instead of one long freeze of its event loop.
   */
  | { type: 'resultPart'; key: string; items: unknown[]; /** Set when the kind packs this key (src/shared/result-packing.ts). */ packed?: unknown; /** Run number in this worker, echoed by `partAck`. */ seq?: number }
  /** The job's result (shape depends on the job kind, e.g. LokiAnalysis for 'loki'); arrays named in `parts` arrive as `resultPart`s. */
  | { type: 'result'; result: unknown; parts?: string[] }
  /** `cancelled` is true when the job ended because of a `cancel` message. */
  | { type: 'error'; message: string; cancelled?: boolean };
