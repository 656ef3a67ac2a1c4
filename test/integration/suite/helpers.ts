/**
 * Helpers shared by the integration test files (bundled into out/integration/suite.js with them:
 * imported, not required by index.ts, so it adds no tests of its own).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What the analysis commands return. */
export interface AnalyzeResult {
  analysisId: string;
  summary: Record<string, number>;
}
/** What `socAnalytics.test.lastRendered(analysisId)` returns. */
export interface Rendered {
  cards: Record<string, string>;
  totalRows: number;
  visibleRows: number;
  firstRow?: string[];
  /** Order of the report among all dashboards' reports (a fresh render has a higher one). */
  seq: number;
}

export const LAST_RENDERED = 'socAnalytics.test.lastRendered';

/** The shared data and docs folder (`SOC_SHARED_DIR`, else `../shared` beside the repo; the suite runs from out/integration/). */
export const SHARED = process.env.SOC_SHARED_DIR ? path.resolve(process.env.SOC_SHARED_DIR) : path.resolve(__dirname, '../../../shared');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface PollOptions {
  /** Pause between attempts (default 200 ms). */
  intervalMs?: number;
  /** Keep polling when `fn` throws (the last error is named on time-out); by default it fails at once. */
  retryErrors?: boolean;
}

/** Calls `fn` until it returns something other than undefined, null or false; fails after `timeoutMs`. */
export async function poll<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30000,
  { intervalMs = 200, retryErrors = false }: PollOptions = {},
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as T;
    } catch (err) {
      if (!retryErrors) throw err;
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Polls `socAnalytics.test.lastRendered(analysisId)` until `ready` holds for what the webview reported. */
export function waitRendered(analysisId: string, what: string, ready: (r: Rendered) => unknown, opts?: PollOptions): Promise<Rendered> {
  return poll(
    what,
    async () => {
      const r = await vscode.commands.executeCommand<Rendered | undefined>(LAST_RENDERED, analysisId);
      return r && ready(r) ? r : undefined;
    },
    30000,
    opts,
  );
}

/** The first webview tab whose label matches `label`, once there is one. */
export function webviewTab(what: string, label: RegExp): Promise<vscode.Tab> {
  return poll(what, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && label.test(t.label)));
}

/** The path of the workspace folder the launcher opened. */
export function workspacePath(): string {
  const f = vscode.workspace.workspaceFolders;
  assert.ok(f && f.length, 'the launcher must open a workspace folder');
  return f[0].uri.fsPath;
}

/** Finds and activates the soc-analytics extension. */
export async function activateExtension(message?: string): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'soc-analytics');
  assert.ok(ext, message);
  await ext.activate();
  return ext;
}
