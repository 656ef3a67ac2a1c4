/**
 * Which analysis a run is: running the same kind over the same inputs again refreshes that analysis (its Results entry
 * and its dashboard tab) instead of adding a second one. Also: what a dashboard tab remembers of its analysis so that a
 * tab restored after a window reload, whose analysis is gone, can say how to get it back (and offer to), checked here
 * because the webview that kept it is untrusted. Pure (no `vscode`).
 */
import * as path from 'node:path';

/**
 * A JSON text of `value` that does not depend on how it was stored: object keys sorted at every depth, and keys whose
 * value is `undefined` (or a function/symbol) left out, as a JSON round trip leaves them out. VS Code's Memento stores
 * values as JSON, so an option `{ declined: undefined }` of a new run read back from the workspace state is `{}`: keyed
 * with plain `JSON.stringify` the two differed and every beacon re-run added a second analysis (new-user trial).
 * Arrays keep their order (`undefined` in an array reads `null`, as in JSON). Non-finite numbers read `null`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'null';
}

function canonical(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
  if (Array.isArray(v)) return v.map((x) => canonical(x) ?? null);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const c = canonical((v as Record<string, unknown>)[k]);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/**
 * An input path as it identifies an analysis: normalized (`a/./b/` → `a/b`), no trailing separator (the Explorer's
 * `zeek` and a picked `zeek/` are one folder), the root kept as it is.
 */
export function identityPath(p: string): string {
  let n = path.normalize(p);
  while (n.length > 1 && (n.endsWith('/') || n.endsWith('\\')) && n !== path.parse(n).root) n = n.slice(0, -1);
  return n;
}

/**
 * The key that makes two runs one analysis: the kind, the input paths (order and duplicates ignored, see
 * {@link identityPath}) and only the options that make a run of the same inputs another analysis — those its title
 * shows (Loki's `includeAllScans`, titled " (all scans)"); the settings a run happened to read (beacon thresholds and
 * safelist, case SLA targets, the QRadar console zone, column mappings, files skipped at a prompt) are not part of it:
 * running the same inputs again, with other settings, refreshes the analysis with them (two Results entries with the
 * same title could not be told apart). `identity`: those options (undefined values ignored, key order ignored).
 */
export function analysisIdentityKey(kind: string, paths: readonly string[], identity: Record<string, unknown> = {}): string {
  const ps = [...new Set(paths.map(identityPath))].sort();
  return canonicalJson([kind, ps, identity ?? {}]);
}

/** What a dashboard tab keeps of its analysis (in its webview state) to offer running it again once it is gone. */
export interface PanelOrigin {
  /** The command that makes the analysis (one of {@link RERUN_COMMANDS}). */
  command: string;
  /** Its input paths, absolute. */
  paths: string[];
  /** The analysis title (`zeek`, `cases + 2 more`): named in the message. */
  title: string;
}

/** The commands a restored tab may offer to run again, with the title the Command Palette shows (package.json). */
export const RERUN_COMMANDS: Readonly<Record<string, string>> = {
  'socAnalytics.analyzeLoki': 'SOC: Analyze Loki Results…',
  'socAnalytics.analyzeLokiAllScans': 'SOC: Analyze Loki Results (Include All Scans)…',
  'socAnalytics.analyzeQRadar': 'SOC: Analyze QRadar Offenses…',
  'socAnalytics.detectBeacons': 'SOC: Detect Beacons…',
  'socAnalytics.analyzeCases': 'SOC: Analyze Cases…',
};

/** At most this many input paths are kept in a tab's state (a longer list is not offered again). */
export const MAX_ORIGIN_PATHS = 200;

/**
 * The {@link PanelOrigin} of a restored tab's state, checked (the webview that kept it renders log content and is
 * untrusted): the command must be one of {@link RERUN_COMMANDS}, the paths 1 to {@link MAX_ORIGIN_PATHS} absolute
 * paths (no NUL, under 4,096 characters); the title is the one the paths give ({@link originTitle}), the page's kept only
 * when it is that title with a ` (…)` suffix. Undefined when anything is off.
 */
export function checkPanelOrigin(raw: unknown): PanelOrigin | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.command !== 'string' || !Object.prototype.hasOwnProperty.call(RERUN_COMMANDS, o.command)) return undefined;
  if (!Array.isArray(o.paths) || o.paths.length === 0 || o.paths.length > MAX_ORIGIN_PATHS) return undefined;
  const paths: string[] = [];
  for (const p of o.paths) {
    if (typeof p !== 'string' || p.length === 0 || p.length >= 4096 || p.includes('\0') || !(path.isAbsolute(p) || path.win32.isAbsolute(p))) return undefined;
    paths.push(p);
  }
  // The title the button names is the one the paths give (as the analysis was titled), never the page's own words: a
  // tampered state `{ paths: ['/home/me/.ssh'], title: 'zeek' }` offered "Run Detect Beacons on zeek". The page's title
  // is kept only when it is that title with a suffix the analysis adds (` (all scans)`).
  const base = originTitle(paths);
  const kept = typeof o.title === 'string' ? o.title.slice(0, 200) : '';
  const title = kept === base || (kept.startsWith(`${base} (`) && kept.endsWith(')') && !/[\r\n]/.test(kept)) ? kept : base;
  return { command: o.command, paths, title };
}

/**
 * The title of an analysis of `paths` as the extension gives it (`zeek`, `cases + 2 more`: the first input's name) —
 * the whole path for a network path (`\\host\share\zeek`, `//host/share`), whose name alone would hide where it reads.
 */
export function originTitle(paths: readonly string[]): string {
  const first = paths[0] ?? '';
  const network = /^(?:\\\\|\/\/)[^\\/]/.test(first);
  const name = network ? first : path.basename(first) || first;
  return paths.length === 1 ? name : `${name} + ${paths.length - 1} more`;
}

/**
 * What a dashboard tab whose analysis is gone says (plain text), and the label of its button when it can run the
 * analysis again (`origin` known): `“Beacons: zeek” is no longer in the SOC Analytics Results view (it was removed, or
 * this workspace's analyses were lost). Run SOC: Detect Beacons… on zeek again to get it back.` Without an origin (a
 * tab kept before tabs remembered it) it names the Command Palette and the Explorer's SOC Analytics menu, never the
 * Results view (it is empty then). `tabTitle`: the tab's title, when it is known.
 */
export function goneMessage(origin: PanelOrigin | undefined, tabTitle?: string): { message: string; action?: string } {
  const what = tabTitle && tabTitle !== 'SOC dashboard' ? `“${tabTitle}”` : 'This analysis';
  const why = `${what} is no longer in the SOC Analytics Results view (it was removed, or this workspace's analyses were lost).`;
  if (!origin) {
    return { message: `${why} Run the analysis again on its input files: SOC Analytics commands are in the Command Palette (SOC:) and in the Explorer's right-click menu (SOC Analytics).` };
  }
  const command = RERUN_COMMANDS[origin.command] ?? origin.command;
  const inputs = origin.paths.length === 1 ? origin.title : `${origin.title} (${origin.paths.length} inputs)`;
  return { message: `${why} Run ${command} on ${inputs} again to get it back.`, action: `Run ${command.replace(/^SOC: /, '').replace(/…$/, '')} on ${inputs}` };
}
