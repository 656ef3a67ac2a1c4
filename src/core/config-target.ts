/**
 * Where a setting the extension writes (display zone, QRadar console zone, cases column mapping, beacon safelist)
 * must go so that it takes effect: VS Code reads the most specific level that defines a key (workspace folder, then
 * workspace, then user), so a value written to the user settings while the workspace defines the key changes nothing.
 * Pure: the extension maps the level to `vscode.ConfigurationTarget`.
 */

/** Settings levels, least specific first. */
export type ConfigLevel = 'global' | 'workspace' | 'workspaceFolder';

const RANK: Record<ConfigLevel, number> = { global: 0, workspace: 1, workspaceFolder: 2 };

/** The values of one key at each level, as `WorkspaceConfiguration.inspect()` gives them (language overrides ignored). */
export interface ConfigInspect {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** The most specific level that defines the key, or undefined when only the default applies. */
export function definingLevel(inspect: ConfigInspect | undefined): ConfigLevel | undefined {
  if (!inspect) return undefined;
  if (inspect.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (inspect.workspaceValue !== undefined) return 'workspace';
  if (inspect.globalValue !== undefined) return 'global';
  return undefined;
}

/**
 * The level to write the key at: `preferred` (the caller's choice when nothing more specific defines the key: the
 * user settings for the zones, the workspace for a cases mapping), or the most specific level that defines the key
 * when that is more specific — a value written below it would be shadowed. `available` lists the levels that can be
 * written now (no workspace open: only `global`; a resource outside every workspace folder: no `workspaceFolder`):
 * a level that is not available falls back to the next less specific one that is.
 */
export function chooseConfigLevel(inspect: ConfigInspect | undefined, preferred: ConfigLevel = 'global', available: readonly ConfigLevel[] = ['global', 'workspace', 'workspaceFolder']): ConfigLevel {
  const defined = definingLevel(inspect);
  let want: ConfigLevel = defined !== undefined && RANK[defined] > RANK[preferred] ? defined : preferred;
  while (!available.includes(want) && want !== 'global') want = want === 'workspaceFolder' ? 'workspace' : 'global';
  return want;
}
