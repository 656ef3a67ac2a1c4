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
