/**
 * The analyses of this workspace: metadata persisted in workspaceState (so the Results tree and
 * dashboards survive a reload), results kept in memory and recomputed from the input files when
 * needed (inputs are files in the workspace; re-parsing is cheaper than storing copies).
 */
import * as vscode from 'vscode';
import { getHeapStatistics } from 'node:v8';
import type { AnalysisMeta } from './kinds/types';

export type { AnalysisMeta } from './kinds/types';

const STATE_KEY = 'socAnalytics.analyses.v2';

/** A re-run of an analysis going on (see {@link AnalysisRegistry.loadOrThrow}). */
interface PendingLoad {
  promise: Promise<unknown>;
  cts: vscode.CancellationTokenSource;
  /** Set when a newer result was added meanwhile (a re-run command): the waiters get it, this load's is dropped. */
  superseded?: { result: unknown };
}

export class AnalysisRegistry implements vscode.Disposable {
  private readonly results = new Map<string, unknown>();
  private readonly loading = new Map<string, PendingLoad>();
  /** Values derived from a result ({@link derive}), per analysis id and key; kept when the result leaves memory. */
  private readonly derived = new Map<string, Map<string, unknown>>();
  /** Bumped for an id whenever its result changes or it is removed: a value derived from an older result is not kept. */
  private readonly versions = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly loadedEvent = new vscode.EventEmitter<string>();
  /**
   * Fired with an analysis id when its result, recomputed from the inputs (a dashboard opened or rebuilt after the
   * result left memory), is in memory again: the Results view's line of a kind that follows live settings
   * (`liveDescription`: the beacon safelist, QRadar closing reasons) then describes it instead of the stored line.
   */
  readonly onDidLoad = this.loadedEvent.event;
  private readonly pressure = new vscode.EventEmitter<{ dropped: number; usedBytes: number; limitBytes: number }>();
  /**
   * Fired when a new result came in while the extension host's heap was over {@link HEAP_SHARE} of its limit: the
   * older results were dropped from memory (`dropped` of them; they are recomputed from their inputs when opened).
   * Open dashboards that are hidden should let go of theirs too (DashboardPanel.releaseHidden).
   */
  readonly onMemoryPressure = this.pressure.event;

  /**
   * @param state workspace memento used for persistence
   * @param rerun recomputes an analysis from its metadata (worker + progress); rejects on cancel/failure, and should
   *   stop (and reject) when `token` is cancelled (the analysis was removed meanwhile)
   */
  constructor(
    private readonly state: vscode.Memento,
    private readonly rerun: (meta: AnalysisMeta, token: vscode.CancellationToken) => Promise<unknown>,
    /** The extension host's heap, bytes: used now and its limit (default: `v8.getHeapStatistics()`); tests inject one. */
    private readonly heap: () => { used: number; limit: number } = () => {
      const h = getHeapStatistics();
      return { used: h.used_heap_size, limit: h.heap_size_limit };
    },
  ) {}

  list(): AnalysisMeta[] {
    return [...this.state.get<AnalysisMeta[]>(STATE_KEY, [])].sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): AnalysisMeta | undefined {
    return this.list().find((m) => m.id === id);
  }

  isLoaded(id: string): boolean {
    return this.results.has(id);
  }

  /**
   * The analyses a run is (newest first): those whose `keyOf` (core/analysis-identity.ts analysisIdentityKey of the
   * kind, the inputs and the options its title shows) is `key`. More than one only in a workspace that kept the
   * duplicates older versions added (every beacon re-run was a new analysis): the run refreshes the first and the
   * others are removed.
   */
  findSame(key: string, keyOf: (m: AnalysisMeta) => string): AnalysisMeta[] {
    return this.list().filter((m) => keyOf(m) === key);
  }

  /** Adds (or replaces, same id) a finished analysis (only complete analyses are ever added). */
  async add(meta: AnalysisMeta, analysis: unknown): Promise<void> {
    this.changedResult(meta.id, analysis);
    this.remember(meta.id, analysis);
    const list = this.list().filter((m) => m.id !== meta.id);
    list.unshift(meta);
    await this.state.update(STATE_KEY, list);
    this.changed.fire();
  }

  /** Replaces the result of an existing analysis (re-run). */
  async replace(id: string, analysis: unknown, described: Pick<AnalysisMeta, 'description' | 'tooltip' | 'summary'>): Promise<void> {
    const list = this.list().map((m) => (m.id === id ? { ...m, ...described, createdAt: Date.now() } : m));
    this.changedResult(id, analysis);
    this.remember(id, analysis);
    await this.state.update(STATE_KEY, list);
    this.changed.fire();
  }

  /** The result when it is in memory (no re-run, no change to which results stay in memory); undefined otherwise. */
  peek(id: string): unknown {
    return this.results.get(id);
  }

  /**
   * The analysis result, recomputed from the inputs when not in memory. Undefined if unknown or the re-run failed/was
   * cancelled (see {@link loadOrThrow} to tell these apart).
   */
  async load(id: string): Promise<unknown> {
    return this.loadOrThrow(id).catch(() => undefined);
  }

  /**
   * The analysis result, recomputed from the inputs when not in memory. Undefined only when the analysis is unknown,
   * or was removed while it was being recomputed; rejects with the re-run's error when it failed (a CancelledError
   * when the user cancelled it), so a dashboard can show why and offer to try again. A result that finishes after its
   * analysis was removed is never kept.
   */
  async loadOrThrow(id: string): Promise<unknown> {
    if (this.results.has(id)) {
      const cached = this.results.get(id);
      this.remember(id, cached);
      return cached;
    }
    const meta = this.get(id);
    if (!meta) return undefined;
    let entry = this.loading.get(id);
    if (!entry) {
      const cts = new vscode.CancellationTokenSource();
      const e: PendingLoad = { cts, promise: Promise.resolve(undefined) };
      const current = () => this.loading.get(id) === e; // false once removed (or cleared) meanwhile
      e.promise = Promise.resolve()
        .then(() => (current() ? this.rerun(meta, cts.token) : undefined)) // (removed before it started: not run)
        .then(
          (a) => {
            if (!current()) return e.superseded?.result;
            this.remember(id, a);
            this.loadedEvent.fire(id);
            return a;
          },
          (err: unknown) => {
            if (!current()) return e.superseded?.result;
            throw err;
          },
        )
        .finally(() => {
          if (current()) this.loading.delete(id);
          cts.dispose();
        });
      this.loading.set(id, e);
      entry = e;
    }
    return entry.promise;
  }

  /**
   * A value computed from an analysis's result by `compute` (e.g. the events the merged timeline shows of it), kept per
   * analysis id and `key` even when the result leaves memory: only {@link MAX_RESULTS_IN_MEMORY} results stay, so
   * something built from every analysis in turn (the merged timeline, on each zone change) would otherwise re-run
   * analyses each time. Dropped when the analysis is re-run, replaced or removed. Undefined when the result cannot be
   * loaded (nothing kept then). The value stays as long as the analysis: keep it much smaller than the result.
   */
  async derive<T>(id: string, key: string, compute: (result: unknown) => T): Promise<T | undefined> {
    const have = this.derived.get(id);
    if (have?.has(key)) return have.get(key) as T;
    const version = this.versions.get(id) ?? 0;
    const result = await this.load(id);
    if (result === undefined) return undefined;
    const value = compute(result);
    if ((this.versions.get(id) ?? 0) === version && this.get(id)) {
      let m = this.derived.get(id);
      if (!m) this.derived.set(id, (m = new Map()));
      m.set(key, value);
    }
    return value;
  }

  /** Whether the analysis is being recomputed from its inputs now. */
  isLoading(id: string): boolean {
    return this.loading.has(id);
  }

  /** Removes an analysis: its result leaves memory and a re-run of it still going is cancelled (its result is dropped). */
  async remove(id: string): Promise<void> {
    this.results.delete(id);
    this.changedResult(id);
    this.cancelLoad(id);
    await this.state.update(
      STATE_KEY,
      this.list().filter((m) => m.id !== id),
    );
    this.changed.fire();
  }

  /**
   * Drops the result of an analysis from memory (it is recomputed from the inputs when next needed), as a window
   * reload does. The analysis stays in the list.
   */
  forget(id: string): void {
    this.results.delete(id);
  }

  async clear(): Promise<void> {
    this.results.clear();
    for (const id of [...this.derived.keys()]) this.changedResult(id);
    for (const id of [...this.loading.keys()]) this.cancelLoad(id);
    await this.state.update(STATE_KEY, []);
    this.changed.fire();
  }

  dispose(): void {
    for (const id of [...this.loading.keys()]) this.cancelLoad(id);
    this.changed.dispose();
    this.loadedEvent.dispose();
    this.pressure.dispose();
  }

  /**
   * The result of `id` changed (or it is gone): the values derived from the old one are dropped, and a re-load of the
   * old one still going is cancelled — its waiters get `newResult` (no re-load result overwrites a newer one).
   */
  private changedResult(id: string, newResult?: unknown): void {
    this.derived.delete(id);
    this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
    const e = this.loading.get(id);
    if (e && newResult !== undefined) {
      e.superseded = { result: newResult };
      this.cancelLoad(id);
    }
  }

  /** Cancels the re-run of an analysis still going, if any; whoever waits for it gets undefined (no such analysis). */
  private cancelLoad(id: string): void {
    const e = this.loading.get(id);
    if (!e) return;
    this.loading.delete(id);
    e.cts.cancel();
  }

  /**
   * Keeps a result in memory, most recent last; only the last {@link MAX_RESULTS_IN_MEMORY} stay (results of big
   * inputs are large — an open dashboard keeps its own reference, others are recomputed from the inputs on demand).
   * When the host's heap is over {@link HEAP_SHARE} of its limit, only this result stays (three results of a 1.7 GB
   * Loki log, 2.4 M findings each, ran VS Code's 4 GB extension host out of memory) and {@link onMemoryPressure} fires.
   */
  private remember(id: string, result: unknown): void {
    this.results.delete(id);
    this.results.set(id, result);
    while (this.results.size > MAX_RESULTS_IN_MEMORY) {
      const oldest = this.results.keys().next().value as string;
      this.results.delete(oldest);
    }
    if (this.results.size < 2) return;
    const { used, limit } = this.heap();
    if (!(limit > 0 && used > HEAP_SHARE * limit)) return;
    const dropped = this.results.size - 1;
    for (const other of [...this.results.keys()]) if (other !== id) this.results.delete(other);
    this.pressure.fire({ dropped, usedBytes: used, limitBytes: limit });
  }
}

/**
 * The error of a re-run that read no input at all (every input deleted, moved or unreadable since the analysis was
 * made — an analysis is only ever added when it read some): its dashboard would be empty, so the re-load fails with
 * this instead (shown with a Retry). Undefined when the re-run read some input, or the kind counts no files.
 * `firstProblem`: the first problem the re-run reported (`file:line: message`).
 */
export function noInputsError(meta: Pick<AnalysisMeta, 'title' | 'paths'>, summary: Record<string, number> | undefined, firstProblem?: string): Error | undefined {
  if (summary?.files !== 0) return undefined;
  const where = firstProblem ? ` (${firstProblem})` : meta.paths.length ? ` (${meta.paths.join(', ')})` : '';
  return new Error(`None of the inputs of “${meta.title}” could be read${where}. Restore them, or remove the analysis.`);
}

/** Analysis results kept in memory at once. */
export const MAX_RESULTS_IN_MEMORY = 3;

/** Share of the extension host's heap limit above which a new result is the only one kept in memory (see `remember`). */
export const HEAP_SHARE = 0.5;
