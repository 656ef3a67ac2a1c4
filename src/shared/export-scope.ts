/**
 * What an Export CSV of the big table writes, in words: the rows the table's filters keep out of all of them.
 * New-user trial: with two filters on, the exported file held 1 of 6 offenses and nothing had said that only the
 * filtered rows are exported. The save dialog's title, the notification after the export and the Export CSV button's
 * tooltip say it the same way. Pure (used by the host and the webview); counts grouped en-US as the dashboards' counts.
 */

/** `offenses` → `offense`, `connection pairs` → `connection pair` (the nouns of the big tables). */
function singular(noun: string): string {
  return noun.replace(/s$/, '');
}

/**
 * The rows exported, `matching` of `total` rows of the noun `noun` (plural): `1 of 6 offenses (filtered)` when the
 * filters leave some out, `all 6 offenses` when they keep every row, `1 offense` / `0 offenses` for a table of one
 * row or none.
 */
export function exportScopeText(matching: number, total: number, noun: string): string {
  const n = (v: number) => v.toLocaleString('en-US');
  if (total <= 0) return `0 ${noun}`;
  if (matching >= total) return total === 1 ? `1 ${singular(noun)}` : `all ${n(total)} ${noun}`;
  // the noun agrees with the total, as the table's row count says it ("1 of 6 offenses")
  return `${n(matching)} of ${n(total)} ${total === 1 ? singular(noun) : noun} (filtered)`;
}

/**
 * The title of an export's save dialog: what is saved, and that the dialog takes the path of a file (folder and file
 * name). New-user trial: Cases → Export CSV in VS Code's own path box (the simple file dialog: `files.simpleDialog.enable`,
 * remote windows) showed its placeholder "Folder path" — VS Code's text, which an extension cannot set — while the box
 * holds the file's path; the title, ours, says what to type. `Export all 6 cases to CSV — file to save (folder and name)`.
 */
export function saveDialogTitle(what: string): string {
  return `${what} — file to save (folder and name)`;
}
