/**
 * What the Results tree (side panel) shows for one Loki host, as plain data: src/extension/kinds/loki.ts turns the
 * icon into a `vscode.ThemeIcon`. Kept here so that it is unit-tested without VS Code.
 */
import type { Verdict } from '../model/loki';
import { hostVerdictLabel, isIncompleteByScannerErrors, type LokiHostSummary } from './loki-summary';
import { formatTime } from '../time';

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
 * The icon, description and tooltip of a host node. A host without findings whose scanner reported errors (e.g. YARA
 * rule files it could not read) is not shown with the green check: a warning icon and `Incomplete scan (scanner
 * errors)`, as the dashboard's host table and card and the CLI report say; its icon is the question mark of an incomplete scan
 * in the warning colour, not the triangle of a suspicious host.
 */
export function lokiHostNode(
  h: Pick<LokiHostSummary, 'host' | 'verdict' | 'alerts' | 'warnings' | 'notices' | 'scanErrors' | 'lokiVersion' | 'file'> & Partial<Pick<LokiHostSummary, 'incompleteByScannerErrors'>>,
): {
  description: string;
  tooltip: string;
  icon: TreeIconSpec;
} {
  const verdict = hostVerdictLabel(h);
  const errors = h.scanErrors > 0 ? `${h.scanErrors} scanner error${h.scanErrors === 1 ? '' : 's'}` : '';
  const n = (k: number, what: string) => `${k.toLocaleString('en-US')} ${what}${k === 1 ? '' : 's'}`;
  return {
    // the counts first: the icon already says the verdict, and the default ~300 px side bar cuts the line after the
    // host name (a new user's trial); A / W / N are Loki's ALERT, WARNING and NOTICE lines, spelt out in the tooltip
    description: `${h.alerts} A / ${h.warnings} W / ${h.notices} N · ${verdict}${errors ? ` · ${errors}` : ''}`,
    tooltip:
      `${h.host}\n${verdict}: ${n(h.alerts, 'alert')}, ${n(h.warnings, 'warning')}, ${n(h.notices, 'notice')}\nLoki ${h.lokiVersion ?? '?'}\n${h.file}` +
      (errors ? `\n${errors}: the scan may be incomplete (see the dashboard's Scanner messages tab)` : ''),
    // (a question mark, as an incomplete scan, in the warning colour: not the triangle of a suspicious host — a new-user
    // trial saw Server1's "Suspicious objects" and AD's "Incomplete scan" with one icon)
    icon: isIncompleteByScannerErrors(h) ? { id: 'question', color: 'editorWarning.foreground' } : VERDICT_ICON[h.verdict],
  };
}

/**
 * For each path, the folder that tells it apart from the other listed paths with the same file name, as VS Code's
 * editor tabs do: `''` when its file name is unique in `paths` (case-insensitive, as on Windows), else the fewest last
 * folders that differ from every other path of that name (`…\Downloads`, `…\jdoe\Documents`; the whole folder, without
 * `…`, when that is needed). The same path listed twice gets its last folder. Windows (`\`) and POSIX (`/`) paths;
 * a path is written with its own separator. Pure; O(k · depth) per group of k equal names (depth: folders
 * needed to tell them apart).
 */
export function distinguishingFolders(paths: readonly string[]): string[] {
  const segs = paths.map((p) => p.split(/[\\/]+/).filter((s) => s !== ''));
  const groups = new Map<string, number[]>();
  segs.forEach((s, i) => {
    const n = s.length > 0 ? s[s.length - 1].toLowerCase() : '';
    const g = groups.get(n);
    if (g) g.push(i);
    else groups.set(n, [i]);
  });
  const out = paths.map(() => '');
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    // folders of each path, lower-cased once; keys[k] grows by one folder per depth (its last `depth` folders)
    const dirs = idx.map((i) => segs[i].slice(0, -1).map((d) => d.toLowerCase()));
    const whole = idx.map((i) => paths[i].toLowerCase());
    const keys = idx.map(() => '');
    const depthOf = idx.map((_, k): number => (dirs[k].length === 0 ? 0 : -1)); // -1: not yet told apart
    let open = depthOf.filter((d) => d < 0).length;
    for (let depth = 1; open > 0; depth++) {
      // the distinct paths (not listings of the same path) that share each key at this depth
      const sharing = new Map<string, Set<string>>();
      for (let k = 0; k < idx.length; k++) {
        if (depth <= dirs[k].length) keys[k] = depth === 1 ? dirs[k][dirs[k].length - 1] : `${dirs[k][dirs[k].length - depth]}\0${keys[k]}`;
        const set = sharing.get(keys[k]);
        if (set) set.add(whole[k]);
        else sharing.set(keys[k], new Set([whole[k]]));
      }
      for (let k = 0; k < idx.length; k++) {
        if (depthOf[k] >= 0) continue;
        if (depth >= dirs[k].length || sharing.get(keys[k])!.size === 1) {
          depthOf[k] = depth;
          open--;
        }
      }
    }
    idx.forEach((i, k) => {
      const depth = depthOf[k];
      if (depth === 0) return;
      const own = segs[i].slice(0, -1);
      const sep = paths[i].includes('\\') ? '\\' : '/';
      const text = own.slice(own.length - depth).join(sep);
      if (depth < own.length) out[i] = `…${sep}${text}`;
      else {
        // the whole folder as written (drive, leading separator), without the file name or a trailing separator
        const p = paths[i].replace(/[\\/]+$/, '');
        out[i] = p.slice(0, p.length - segs[i][segs[i].length - 1].length).replace(/[\\/]+$/, '') || text;
      }
    });
  }
  return out;
}

/**
 * For each row of the Results tree, the time that tells it apart from the other rows that read the same (`texts[i]`:
 * a row's label and description as shown), as distinguishingFolders tells apart files of one name: `''` when its text
 * is unique (or it has no readable time); else the short form `HH:mm:ss` in `zone` when that differs from every other
 * row of its text, else `yyyy-MM-dd HH:mm:ss` (same time of day on another date). Rows of one text and one second get
 * the same time (their log lines tell them apart, in the tooltip). A new user's trial: two DS1 rows read
 * `configuration WARNING 80 · …\jdoe · APT10_Malware_Sample_Gen`, findings at 18:50:46 and 18:52:04. Pure.
 */
export function distinguishingTimes(texts: readonly string[], times: readonly (number | undefined)[], zone: string): string[] {
  const groups = new Map<string, number[]>();
  texts.forEach((t, i) => {
    const g = groups.get(t);
    if (g) g.push(i);
    else groups.set(t, [i]);
  });
  const out = texts.map(() => '');
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    const full = idx.map((i) => formatTime(times[i], zone));
    const short = full.map((f) => f.slice(11));
    const dates = new Set(full.filter((f) => f !== '').map((f) => f.slice(0, 10)));
    // the time of day when it is enough: one date, or times of day that differ from each other
    const shortEnough = dates.size <= 1 || new Set(short.filter((s) => s !== '')).size === short.filter((s) => s !== '').length;
    idx.forEach((i, k) => {
      out[i] = full[k] === '' ? '' : shortEnough ? short[k] : full[k];
    });
  }
  return out;
}
