/**
 * What the Results tree (side panel) shows for one Loki host, as plain data: src/extension/kinds/loki.ts turns the
 * icon into a `vscode.ThemeIcon`. Kept here so that it is unit-tested without VS Code.
 */
import type { Verdict } from '../model/loki';
import { hostVerdictLabel, type LokiHostSummary } from './loki-summary';

/** A codicon id and the theme colour it is drawn in. */
export interface TreeIconSpec {
  id: string;
  color?: string;
}

const VERDICT_ICON: Record<Verdict, TreeIconSpec> = {
  indicators: { id: 'error', color: 'errorForeground' },
  suspicious: { id: 'warning', color: 'editorWarning.foreground' },
  clean: { id: 'pass', color: 'testing.iconPassed' },
  incomplete: { id: 'question' },
};

/**
 * The icon, description and tooltip of a host node. A clean host whose scanner reported errors (e.g. YARA rule files
 * it could not read) is not shown with the green check: a warning icon and `Clean (with scanner errors)`, as the
 * dashboard's host table and card and the CLI report say.
 */
export function lokiHostNode(h: Pick<LokiHostSummary, 'host' | 'verdict' | 'alerts' | 'warnings' | 'notices' | 'scanErrors' | 'lokiVersion' | 'file'>): {
  description: string;
  tooltip: string;
  icon: TreeIconSpec;
} {
  const verdict = hostVerdictLabel(h);
  const errors = h.scanErrors > 0 ? `${h.scanErrors} scanner error${h.scanErrors === 1 ? '' : 's'}` : '';
  return {
    description: `${verdict} · ${h.alerts} A / ${h.warnings} W / ${h.notices} N${errors ? ` · ${errors}` : ''}`,
    tooltip:
      `${h.host}\n${verdict}\nLoki ${h.lokiVersion ?? '?'}\n${h.file}` +
      (errors ? `\n${errors}: the scan may be incomplete (see the dashboard's Scanner messages tab)` : ''),
    icon: h.verdict === 'clean' && h.scanErrors > 0 ? { id: 'warning', color: 'editorWarning.foreground' } : VERDICT_ICON[h.verdict],
  };
}

/**
 * For each path, the folder that tells it apart from the other listed paths with the same file name, as VS Code's
 * editor tabs do: `''` when its file name is unique in `paths` (case-insensitive, as on Windows), else the fewest last
 * folders that differ from every other path of that name (`…\Downloads`, `…\jdoe\Documents`; the whole folder, without
 * `…`, when that is needed). The same path listed twice gets its last folder. Windows (`\`) and POSIX (`/`) paths;
 * a path is written with its own separator. Pure; O(n · depth) per group of equal names.
 */
export function distinguishingFolders(paths: readonly string[]): string[] {
  const segs = paths.map((p) => p.split(/[\\/]+/).filter((s) => s !== ''));
  const names = segs.map((s) => (s.length > 0 ? s[s.length - 1].toLowerCase() : ''));
  const groups = new Map<string, number[]>();
  names.forEach((n, i) => {
    const g = groups.get(n);
    if (g) g.push(i);
    else groups.set(n, [i]);
  });
  const out = paths.map(() => '');
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    for (const i of idx) {
      const dirs = segs[i].slice(0, -1);
      if (dirs.length === 0) continue;
      const others = idx.filter((j) => j !== i && paths[j].toLowerCase() !== paths[i].toLowerCase()).map((j) => segs[j].slice(0, -1));
      const tail = (d: string[], n: number) => d.slice(Math.max(0, d.length - n)).join('\0').toLowerCase();
      let depth = 1;
      while (depth < dirs.length && others.some((o) => tail(o, depth) === tail(dirs, depth))) depth++;
      const sep = paths[i].includes('\\') ? '\\' : '/';
      const text = dirs.slice(dirs.length - depth).join(sep);
      out[i] = depth < dirs.length ? `…${sep}${text}` : paths[i].slice(0, paths[i].length - segs[i][segs[i].length - 1].length).replace(/[\\/]+$/, '') || text;
    }
  }
  return out;
}
