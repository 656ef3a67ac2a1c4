/**
 * The analyses of this workspace: metadata persisted in workspaceState (so the Results tree and
 * dashboards survive a reload), results kept in memory and recomputed from the input files when
 * needed (inputs are files in the workspace; re-parsing is cheaper than storing copies).
 */
import * as vscode from 'vscode';
import type { AnalysisMeta } from './kinds/types';

export type { AnalysisMeta } from './kinds/types';

const STATE_KEY = 'socAnalytics.analyses.v2';

export class AnalysisRegistry implements vscode.Disposable {
  private readonly results = new Map<string, unknown>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /**
   * @param state workspace memento used for persistence
   * @param rerun recomputes an analysis from its metadata (worker + progress); rejects on cancel/failure
   */
  constructor(
    private readonly state: vscode.Memento,
    private readonly rerun: (meta: AnalysisMeta) => Promise<unknown>,
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

  /** The analysis of the same kind over the same inputs with the same options, if any. */
  findSame(kind: string, paths: string[], options: Record<string, unknown>): AnalysisMeta | undefined {
    const key = sameKey(kind, paths, options);
    return this.list().find((m) => sameKey(m.kind, m.paths, m.options) === key);
  }

  /** Adds (or replaces, same id) a finished analysis (only complete analyses are ever added). */
  async add(meta: AnalysisMeta, analysis: unknown): Promise<void> {
    this.remember(meta.id, analysis);
    const list = this.list().filter((m) => m.id !== meta.id);
    list.unshift(meta);
    await this.state.update(STATE_KEY, list);
    this.changed.fire();
  }

  /** Replaces the result of an existing analysis (re-run). */
  async replace(id: string, analysis: unknown, described: Pick<AnalysisMeta, 'description' | 'tooltip' | 'summary'>): Promise<void> {
    const list = this.list().map((m) => (m.id === id ? { ...m, ...described, createdAt: Date.now() } : m));
    this.remember(id, analysis);
    await this.state.update(STATE_KEY, list);
    this.changed.fire();
  }

  /** The result when it is in memory (no re-run, no change to which results stay in memory); undefined otherwise. */
  peek(id: string): unknown {
    return this.results.get(id);
  }

  /** The analysis result, recomputed from the inputs when not in memory. Undefined if unknown or the re-run failed/was cancelled. */
  async load(id: string): Promise<unknown> {
    if (this.results.has(id)) {
      const cached = this.results.get(id);
      this.remember(id, cached);
      return cached;
    }
    const meta = this.get(id);
    if (!meta) return undefined;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.rerun(meta).then(
        (a) => {
          this.remember(id, a);
          return a;
        },
        () => undefined,
      );
      pending.finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  async remove(id: string): Promise<void> {
    this.results.delete(id);
    await this.state.update(
      STATE_KEY,
      this.list().filter((m) => m.id !== id),
    );
    this.changed.fire();
  }

  async clear(): Promise<void> {
    this.results.clear();
    await this.state.update(STATE_KEY, []);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  /**
   * Keeps a result in memory, most recent last; only the last {@link MAX_RESULTS_IN_MEMORY} stay (results of big
   * inputs are large — an open dashboard keeps its own reference, others are recomputed from the inputs on demand).
   */
  private remember(id: string, result: unknown): void {
    this.results.delete(id);
    this.results.set(id, result);
    while (this.results.size > MAX_RESULTS_IN_MEMORY) {
      const oldest = this.results.keys().next().value as string;
      this.results.delete(oldest);
    }
  }
}

/** Analysis results kept in memory at once. */
export const MAX_RESULTS_IN_MEMORY = 3;

function sameKey(kind: string, paths: string[], options: Record<string, unknown>): string {
  const opts = Object.keys(options ?? {})
    .sort()
    .map((k) => [k, options[k]]);
  return JSON.stringify([kind, [...paths].sort(), opts]);
}
