/** Short names of paths for reports (pure string arithmetic on `/` and `\` separators; no file is read). */

/**
 * A short name for each of `files`: the path below the folder common to all of `all` (`samples/error_401.json` when
 * the inputs were `…/qradar/public` and `…/qradar/samples`; the base name when they share their folder). Paths with
 * `/` or `\`.
 */
export function shortNamer(all: readonly string[]): (file: string) => string {
  const dirs = all.map((f) => f.split(/[\\/]/).slice(0, -1));
  let n = dirs.length ? dirs[0].length : 0;
  for (const d of dirs) {
    let i = 0;
    while (i < n && i < d.length && d[i] === dirs[0][i]) i++;
    n = i;
  }
  return (file) => file.split(/[\\/]/).slice(n).join('/') || file;
}

/**
 * The folder common to all of `all` as written (`/ev/zeek/day` for `/ev/zeek/day/conn.00.log.gz` and
 * `/ev/zeek/day/conn.01.log.gz`; `C:\\ev` for `C:\\ev\\a.log` and `C:\\ev\\b\\c.log`), with the separator of the first
 * path; `''` when they share none (relative names, different drives, only the root). The folder below which
 * {@link shortNamer} names them.
 */
export function commonFolder(all: readonly string[]): string {
  if (!all.length) return '';
  const dirs = all.map((f) => f.split(/[\\/]/).slice(0, -1));
  let n = dirs[0].length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && i < d.length && d[i] === dirs[0][i]) i++;
    n = i;
  }
  const sep = /[\\/]/.exec(all[0])?.[0] ?? '/';
  const folder = dirs[0].slice(0, n).join(sep);
  // the root alone ('' or a drive letter) names no folder worth a line
  return folder === '' || /^[A-Za-z]:$/.test(folder) ? '' : folder;
}
