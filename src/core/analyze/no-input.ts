/**
 * The notification of an analysis that found no input of its kind (`Analyze Loki Results…` on a folder of QRadar
 * exports, a folder of gzipped logs): which files were looked at and why none was read, so that the analyst does
 * not have to guess. Pure (no `vscode`): the extension shows it, a unit test checks it.
 */
import * as path from 'node:path';

/** Files named in the notification (the rest are counted; every one is in the SOC Analytics log). */
export const NO_INPUT_EXAMPLES = 2;

/**
 * `SOC Analytics: no <label> files found in “<title>”.`, then, when files were looked at and skipped, how many and
 * the first {@link NO_INPUT_EXAMPLES} by base name with their reason: `9 files skipped — offenses.json: not Loki
 * output: …; error_401.json: …; … and 7 more (each in the SOC Analytics log)`. A single file chosen and skipped is
 * said of itself: `SOC Analytics: “image.csv” was not read as Cases input — binary file, not a CSV/JSON case export.`
 * @param label the kind as in the command titles (`Loki`, `QRadar`, `Cases`).
 * @param title the analysis title (the folder's or file's name).
 * @param skipped the files found but not read, with the reason ({file, reason}; the analysis result's `skipped`).
 */
export function noInputMessage(label: string, title: string, skipped: readonly { file: string; reason: string }[] = []): string {
  // one file chosen and skipped (*Analyze Cases* on a PNG named image.csv): said of that file, not "no files found in"
  // a file (new-user trial)
  if (skipped.length === 1 && path.basename(skipped[0].file) === title) return `SOC Analytics: “${title}” was not read as ${label} input — ${skipped[0].reason}.`;
  const base = `SOC Analytics: no ${label} files found in “${title}”.`;
  if (!skipped.length) return base;
  const shown = skipped.slice(0, NO_INPUT_EXAMPLES).map((k) => `${path.basename(k.file)}: ${k.reason}`);
  const more = skipped.length - shown.length;
  return `${base} ${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped — ${shown.join('; ')}${more > 0 ? `; … and ${more} more (each in the SOC Analytics log)` : ''}.`;
}

/**
 * A run that found files of its kind but could read none of them (every one `permission denied`, say): `SOC
 * Analytics: no Loki file in “<title>” could be read — a.log: cannot read file: EACCES: …; b.log: …; … and 3 more
 * (each in the SOC Analytics log).` It opens no dashboard (there is nothing in it), as `soc-analytics loki` exits 3.
 * @param label the kind as in the command titles (`Loki`).
 * @param title the analysis title (the folder's or file's name).
 * @param unread the files not read, with why (`{file, reason}`; at least one).
 */
export function nothingReadMessage(label: string, title: string, unread: readonly { file: string; reason: string }[]): string {
  if (unread.length === 1 && path.basename(unread[0].file) === title) return `SOC Analytics: “${title}” could not be read — ${unread[0].reason}.`;
  const shown = unread.slice(0, NO_INPUT_EXAMPLES).map((k) => `${path.basename(k.file)}: ${k.reason}`);
  const more = unread.length - shown.length;
  return `SOC Analytics: no ${label} file in “${title}” could be read — ${shown.join('; ')}${more > 0 ? `; … and ${more} more (each in the SOC Analytics log)` : ''}.`;
}

/**
 * Thrown by a kind's `prepare` step when it found nothing of its kind among the inputs before any job ran (Detect
 * Beacons: no connection log): the extension shows {@link noInputMessage} with `what` as the label and the same next
 * steps as after a run that read nothing (*Choose Files…*, *Show Log*).
 */
export class NoInputError extends Error {
  /**
   * @param what what was looked for, as in `no <what> files found` (`connection log`).
   * @param skipped the files looked at and why each is not of the kind.
   */
  constructor(
    readonly what: string,
    readonly skipped: readonly { file: string; reason: string }[],
  ) {
    super(`no ${what} files found`);
    this.name = 'NoInputError';
  }
}
