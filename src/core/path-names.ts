/** Short names of paths for reports (pure string arithmetic on `/` and `\` separators; no file is read). */
import { posix, win32 } from 'node:path';

/**
 * `p` as a report shows an input path: relative to the folder `base` when `p` is in it or below it (`cases/week1.csv`;
 * `.` for `base` itself), else `p` as given (a path outside `base`, on another drive, a relative `p`, or no `base`).
 * With a Windows `base` (drive letter or UNC) paths are compared as Windows compares them (letter case ignored) and
 * keep `\`; else as POSIX paths. Pure path arithmetic: no file is read, links are not followed.
 */
export function pathBelow(p: string, base: string | undefined): string {
  if (!base || !p) return p;
  // by the base's shape only: a `\` in a POSIX file name makes no Windows path
  const windows = /^([A-Za-z]:[\\/]|\\\\)/.test(base);
  const P = windows ? win32 : posix;
  if (!P.isAbsolute(p) || !P.isAbsolute(base)) return p;
  const rel = P.relative(base, p);
  if (rel === '') return '.';
  // `..` (outside), or still absolute (another drive)
  if (rel === '..' || rel.startsWith('..' + P.sep) || P.isAbsolute(rel)) return p;
  return rel;
}

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
