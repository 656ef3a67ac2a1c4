/**
 * Which closing-reasons list names the `closing_reason_id` of which offenses — one rule for `kpi` (cases-qradar /
 * cases.ts) and `qradar` (qradar-summary.ts), and for the offenses a `qradar-fetch` wrote. Closing-reason ids are
 * per console ("IDs of custom reasons vary by site … never hard-code the ids", qradar.md §3): id 2 is
 * "False-Positive, Tuned" on one console and "Escalated to IR" on another, so a list names only the offenses of its
 * own export — the same fetch (`<stem>.closing-reasons.json` beside `<stem>.json`, written by fetch.ts) or, for a
 * saved export, the same folder. Pure path arithmetic; reads no file.
 */
import * as path from 'node:path';
import { fetchFiles, LOOKUP_SUFFIX } from '../qradar-api/fetch';

/** File names of a closing-reasons list saved beside offenses (`/api/siem/offense_closing_reasons`, or an `id,text` CSV). */
export const CLOSING_REASONS_FILE_NAMES: readonly string[] = ['offense_closing_reasons.json', 'offense_closing_reasons.csv'];

/**
 * The files, by name, that hold the closing reasons of the export of `offensesFile`, most preferred first: the
 * fetch's own list (`<stem>.closing-reasons.json`, {@link fetchFiles}), then `offense_closing_reasons.json` and
 * `offense_closing_reasons.csv` in its folder. Whether they exist is the caller's question (`kpi` reads the ones
 * that do).
 */
export function closingReasonsCandidates(offensesFile: string): string[] {
  const dir = path.dirname(offensesFile);
  return [fetchFiles(offensesFile).closingReasons, ...CLOSING_REASONS_FILE_NAMES.map((n) => path.join(dir, n))];
}

/**
 * Of `lists` — files that turned out to hold closing reasons (detected from content, any name) — those that name the
 * reasons of the offenses of `offensesFile`, most preferred first: the lists of its export, i.e. in its folder,
 * except the list of another fetch saved there (`<other stem>.closing-reasons.json`); its own fetch's list first,
 * then {@link closingReasonsCandidates}' order, then by path. Empty when its export has no list: its offenses'
 * reasons are then unknown (`#<id>`), never taken from another console's list.
 */
export function closingReasonListsOf(offensesFile: string, lists: readonly string[]): string[] {
  return listsOfExport(offensesFile, lists, closingReasonsCandidates(offensesFile), LOOKUP_SUFFIX.closingReasons);
}

/** File name of a rules list saved beside offenses (`/api/analytics/rules`). */
export const RULES_FILE_NAME = 'analytics_rules.json';

/**
 * The files, by name, that hold the rule names of the export of `offensesFile`, most preferred first: the fetch's own
 * list (`<stem>.rules.json`, {@link fetchFiles}), then `analytics_rules.json` in its folder. Whether they exist is the
 * caller's question (`kpi` reads the ones that do).
 */
export function rulesCandidates(offensesFile: string): string[] {
  return [fetchFiles(offensesFile).rules, path.join(path.dirname(offensesFile), RULES_FILE_NAME)];
}

/**
 * Of `lists` — files that turned out to hold rules (`/api/analytics/rules`, detected from content, any name) — those
 * that name the rules of the offenses of `offensesFile`, most preferred first. Rule ids are per console as closing-reason
 * ids are (the real exports in shared/data/qradar: "Devices with High Event Rates" is rule 100001 on one console and
 * 100408 on another; qradar.md §8: rule names are resolved "through cached lookups per console"), so the same rule as
 * {@link closingReasonListsOf}: the lists in its folder, except another fetch's `<other stem>.rules.json`; its own
 * fetch's list first, then `analytics_rules.json`, then by path. Empty when its export has no list: its offenses' rules
 * are then known by id (or by the names in their own `rules[]`), never named from another console's list.
 */
export function ruleListsOf(offensesFile: string, lists: readonly string[]): string[] {
  return listsOfExport(offensesFile, lists, rulesCandidates(offensesFile), LOOKUP_SUFFIX.rules);
}

/**
 * The one rule of {@link closingReasonListsOf} and {@link ruleListsOf}: of `lists`, those in the folder of
 * `offensesFile` except another fetch's list (a name ending in `suffix` other than `own[0]`, its own fetch's), ranked
 * by their place in `own` (the candidate names, most preferred first), then by path.
 */
function listsOfExport(offensesFile: string, lists: readonly string[], own: readonly string[], suffix: string): string[] {
  const dir = path.dirname(offensesFile);
  const rank = (f: string) => {
    const i = own.indexOf(f);
    return i < 0 ? own.length : i;
  };
  return lists
    .filter((f) => path.dirname(f) === dir && (f === own[0] || !f.toLowerCase().endsWith(suffix)))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
