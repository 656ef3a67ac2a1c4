/**
 * The label of an analysis in the Results view (Activity Bar → SOC Analytics → Results): the kind and what was
 * analyzed, `QRadar · demo-workspace (3 files)`, short enough for the default side bar. A trial read a bare
 * `demo-workspace` (a QRadar run on the workspace folder) without knowing what kind of analysis it was. Pure (no vscode).
 */
import { count } from './dashboard-kit';

/**
 * Most characters of a label. The default side bar (about 300 px) shows about 36 characters of a top-level row beside
 * its icon in VS Code's 13 px UI font, and the kind's line (`6 offenses · 0 escalated · …`) follows the label: a new
 * user's trial read `QRadar · qradar (6 files) 6 offens…`, the counts cut. The label keeps room for the first count
 * (the whole of both is in the tooltip).
 */
export const RESULTS_LABEL_MAX = 26;

/** Characters of the analyzed name kept at least when it is cut (start and end, `…` between). */
const NAME_MIN = 9;

/**
 * The Results label of an analysis and its whole form for the tooltip. `kind`: the kind as people say it (`Loki`,
 * `QRadar`, `Cases`, `Beacons`); `title`: what was analyzed (the folder's or file's name, `a + 2 more` for several
 * inputs, a suffix such as ` (all scans)`); `files`: the files read (the kind's `summary.files`), counted in `full` as
 * `(3 files)` when the inputs are not one file (`several`: a folder, or more than one path) — one file named is its own
 * name. `full` is `QRadar · demo-workspace (3 files)` (it heads the tooltip); `label` is the kind and the name,
 * `QRadar · demo-workspace`, the count left to the tooltip so that the counts after the label show, and with the name
 * cut in its middle past {@link RESULTS_LABEL_MAX} characters (`QRadar · incident…02-triage`: the start and end of a
 * name tell folders apart), never the kind. Characters are counted as code points (an emoji or CJK name is not split
 * inside a pair).
 */
export function resultsLabel(kind: string, title: string, files: number | undefined, several: boolean): { label: string; full: string } {
  const n = several && typeof files === 'number' && Number.isFinite(files) && files >= 0 ? ` (${count(files, 'file')})` : '';
  const head = `${kind} · `;
  const full = `${head}${title}${n}`;
  const name = Array.from(title);
  const room = Math.max(NAME_MIN, RESULTS_LABEL_MAX - Array.from(head).length);
  if (name.length <= room) return { label: `${head}${title}`, full };
  const keep = room - 1;
  const start = Math.ceil(keep / 2);
  return { label: `${head}${name.slice(0, start).join('')}…${name.slice(name.length - (keep - start)).join('')}`, full };
}
