/**
 * Writing the settings the extension changes itself (display zone, QRadar console zone, cases column mapping, beacon
 * safelist) where they take effect: at the caller's preferred level, or at the most specific level that already
 * defines the key (a value written below it would be shadowed: VS Code reads the workspace folder's value, then the
 * workspace's, then the user's). See src/core/config-target.ts.
 */
import * as vscode from 'vscode';
import { chooseConfigLevel, type ConfigLevel } from '../core/config-target';

/** The VS Code target of a level (looked up when called: modules that import this one load without a full `vscode`, as in unit tests). */
function targetOf(level: ConfigLevel): vscode.ConfigurationTarget {
  if (level === 'workspaceFolder') return vscode.ConfigurationTarget.WorkspaceFolder;
  return level === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** The levels that can be written now: the user settings always, the workspace when one is open, the folder of `scope` when it is in one. */
function availableLevels(scope: vscode.Uri | undefined): ConfigLevel[] {
  const out: ConfigLevel[] = ['global'];
  if (vscode.workspace.workspaceFile || vscode.workspace.workspaceFolders?.length) out.push('workspace');
  if (scope && vscode.workspace.getWorkspaceFolder(scope)) out.push('workspaceFolder');
  return out;
}

/**
 * Sets `section.key` to `value` where it takes effect. `scope`: the resource a resource-scoped setting is for (the
 * first input); omit it for window-scoped settings. `preferred`: the level when nothing more specific defines the
 * key (default: the user settings); the workspace falls back to the user settings when no workspace is open.
 * Resolves to the target written.
 */
export async function updateSetting(section: string, key: string, value: unknown, opts: { scope?: vscode.Uri; preferred?: ConfigLevel } = {}): Promise<vscode.ConfigurationTarget> {
  const cfg = vscode.workspace.getConfiguration(section, opts.scope);
  const level = chooseConfigLevel(cfg.inspect(key), opts.preferred ?? 'global', availableLevels(opts.scope));
  await cfg.update(key, value, targetOf(level));
  return targetOf(level);
}
