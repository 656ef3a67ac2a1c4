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

  /** Adds a finished analysis (only complete analyses are ever added). */
  async add(meta: AnalysisMeta, analysis: unknown): Promise<void> {
    this.results.set(meta.id, analysis);
    const list = this.list().filter((m) => m.id !== meta.id);
    list.unshift(meta);
    await this.state.update(STATE_KEY, list);
    this.changed.fire();
  }

  /** Replaces the result of an existing analysis (re-run). */
  async replace(id: string, analysis: unknown, described: Pick<AnalysisMeta, 'description' | 'tooltip' | 'summary'>): Promise<void> {
    const list = this.list().map((m) => (m.id === id ? { ...m, ...described, createdAt: Date.now() } : m));
    this.results.set(id, analysis);
    await this.state.update(STATE_KEY, list);
    this.changed.fire();
  }

  /** The analysis result, recomputed from the inputs when not in memory. Undefined if unknown or the re-run failed/was cancelled. */
  async load(id: string): Promise<unknown> {
    const cached = this.results.get(id);
    if (cached) return cached;
    const meta = this.get(id);
    if (!meta) return undefined;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.rerun(meta).then(
        (a) => {
          this.results.set(id, a);
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
}
