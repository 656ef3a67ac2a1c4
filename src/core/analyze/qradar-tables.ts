/**
 * The QRadar report's offense tables and lines shared by the CLI text report (qradar-report.ts) and the Markdown
 * summary (src/core/export/markdown-summary.ts): one source for both. Pure; only types and defaults of qradar-summary
 * (kept light: the extension's analysis kinds bundle it).
 */
import type { QRadarParsed } from '../parse/qradar-model';
import { DEFAULT_TOP_N, RATING_RANGE, statusSplitText, topSourceText, type ClosingReasonConflict, type DescriptionNoise, type QRadarSummary } from './qradar-summary';
import { shortNamer } from '../path-names';
import { formatPercent } from '../percent';
import { count, grouped } from './dashboard-kit';

/**
 * Which zone the console's display times of CSV exports were read in: `undefined` when no input had such times,
 * else the zone and whether it was assumed (`--console-tz` not given: UTC).
 */
export function consoleTimes(p: QRadarParsed, consoleZoneGiven: boolean): { zone: string; assumed: boolean } | undefined {
  return p.usedConsoleTimes ? { zone: p.consoleTimeZone, assumed: !consoleZoneGiven } : undefined;
}

/**
 * One line on the console zone applied to CSV display times (see {@link consoleTimes}); '' when none was read.
 * `source` names where the zone came from (default `--console-tz`, the CLI flag; the extension passes its setting).
 */
export function consoleTimesLine(p: QRadarParsed, consoleZoneGiven: boolean, source = '--console-tz'): string {
  const c = consoleTimes(p, consoleZoneGiven);
  if (!c) return '';
  return c.assumed
    ? `Console times in CSV exports read in ${c.zone} (assumed: ${source} not given; pass the console's zone if it is not ${c.zone})`
    : `Console times in CSV exports read in ${c.zone} (${source})`;
}

/**
 * `7 (6 open, 0 hidden, 1 closed) from 5 offense files (or `7 (6 open, 0 hidden, 0 closed, 1 unknown status) …`) (also read: 5 reference lists)`: the offenses and the files they
 * came from (reference lists and Log Activity exports counted apart), then, when files were skipped, the files read as
 * the dashboard's subtitle counts them: ` — 9 files read (6 analyzed, 3 skipped)` (not with `filesRead` false: the
 * Markdown summary's Inputs line says it). The text report's first line and the Markdown summary's.
 */
export function qradarOffenseCounts(p: QRadarParsed, sum: QRadarSummary, filesRead = true): string {
  const s = sum.summary;
  const offenseFiles = p.files.filter((f) => f.kind === 'offenses').length;
  const refFiles = p.files.filter((f) => f.kind === 'closingReasons' || f.kind === 'offenseTypes' || f.kind === 'rules').length;
  const evFiles = p.files.filter((f) => f.kind === 'events').length;
  const also = [refFiles ? count(refFiles, 'reference list') : '', evFiles ? count(evFiles, 'Log Activity export') : ''].filter(Boolean);
  // the files read, as the dashboard's subtitle counts them (analyst trial 8: the CLI, the dashboard and the Markdown
  // gave three different counts of one folder): `— 9 files read (6 analyzed, 3 skipped)` when some were skipped
  const analyzed = offenseFiles + refFiles + evFiles;
  const skipped = p.skipped.filter((k) => k.file).length;
  const read = skipped && filesRead ? ` — ${count(analyzed + skipped, 'file')} read (${grouped(analyzed)} analyzed, ${grouped(skipped)} skipped)` : '';
  return `${grouped(s.offenses)} (${statusSplitText(s)}) from ${count(offenseFiles, 'offense file')}` + (also.length ? ` (also read: ${also.join(', ')})` : '') + read;
}

/**
 * The offenses without a readable `start_time` (undated: counted in the totals, never per day/hour nor in the range,
 * and no other time stands in): `2 offenses without a valid start_time (undated): in the totals, not in the range or
 * per-day counts`; '' when every offense is dated. The text report's, Markdown summary's and dashboard's line.
 */
export function undatedText(s: Pick<QRadarSummary['summary'], 'undated'>): string {
  if (!s.undated) return '';
  return `${s.undated} offense${s.undated === 1 ? '' : 's'} without a valid start_time (undated): in the totals, not in the range or per-day counts`;
}

/**
 * One line per rating field with values outside QRadar's documented range (`summary.outOfRange`: magnitude, severity,
 * credibility, relevance; 0–10): `2 offenses with magnitude outside 0–10 (offenses.json:12, offenses.json:40): kept,
 * charted as given` — the first places (file names shortened as {@link shortNamer}: the base name when the files share
 * a folder; `…` when there are more). None when every value is in range. The text report's, Markdown summary's and
 * dashboard's notes, and `--json` `warnings`. A summary without `outOfRange` has none.
 */
export function outOfRangeTexts(s: Partial<Pick<QRadarSummary['summary'], 'outOfRange'>>): string[] {
  // (a summary made before the count was kept has none)
  const list = s.outOfRange ?? [];
  const name = shortNamer(list.flatMap((r) => r.where.map((w) => w.file)));
  return list.map((r) => {
    const where = r.where.map((w) => (w.line > 0 ? `${name(w.file)}:${w.line}` : name(w.file))).join(', ') + (r.count > r.where.length ? ', …' : '');
    return `${r.count} offense${r.count === 1 ? '' : 's'} with ${r.field} outside ${RATING_RANGE.min}–${RATING_RANGE.max} (${where}): kept, charted as given`;
  });
}

/** A table of the QRadar report: `more` is `` or ` — 10 of 25` (rows left out); `right`: right-aligned columns. */
export interface QRadarReportTable {
  id: 'descriptions' | 'rules' | 'closingReasons';
  title: string;
  more: string;
  header: string[];
  rows: string[][];
  right: boolean[];
  /** A sentence under the table (the rules shown by id only: where their names come from). */
  note?: string;
}

/**
 * The offense tables of the text report and the Markdown summary (one source for both): the noisiest offense names
 * (first line of the description, top source and its share, closed and false positives), the rules (the first `topN`:
 * offenses, closed, false positives and their rate of the closed, escalated) and the closing reasons. Empty tables included.
 */
export function qradarReportTables(sum: QRadarSummary, topN = DEFAULT_TOP_N): QRadarReportTable[] {
  // the tuning question per rule: its offenses, and how many of the closed ones were false positives
  const top = sum.byRule.slice(0, Math.max(1, Math.floor(topN) || DEFAULT_TOP_N));
  const unnamed = top.filter((r) => !r.name).length;
  const names = sum.topDescriptions;
  const allNames = sum.descriptions ?? names; // (a summary built by hand may have only the top ones)
  // the order among equal counts, said when the rows shown have ties (or the cut falls inside one), so the first rows
  // are not read as noisier than the next with the same count (a new-user trial)
  const rulesTie = hasTie(sum.byRule.map((r) => r.count), top.length);
  const rulesNotes = [
    unnamed ? `${unnamed === top.length ? (top.length === 1 ? 'The rule has' : 'These rules have') : `${unnamed} of these rules have`} no name in the data (shown by id): names come from the offenses' rules[] or an /analytics/rules export analyzed with the offenses` : '',
    rulesTie ? 'Equal counts are listed by rule id (ascending).' : '',
  ].filter(Boolean);
  return [
    {
      id: 'descriptions',
      title: 'Noisiest offense names (first line of the description; top source share; false positives of the closed)',
      more: allNames.length > names.length ? ` — ${names.length} of ${allNames.length}` : '',
      header: ['Count', 'Top share', 'Top source', 'Closed', 'FP', 'Description'],
      ...(hasTie(allNames.map((d) => d.count), names.length) ? { note: 'Equal counts are listed alphabetically by description.' } : {}),
      rows: names.map((d) => [grouped(d.count), `${formatPercent(d.concentration)}${d.topSourceTies ? ' each' : ''}`, topSourceText(d), grouped(d.closed), grouped(d.falsePositive), d.description]),
      right: [true, true, false, true, true, false],
    },
    {
      id: 'rules',
      title: 'Rules (offenses per rule; false positives of the closed)',
      more: sum.byRule.length > top.length ? ` — ${top.length} of ${sum.byRule.length}` : '',
      header: ['Offenses', 'Closed', 'FP', 'FP rate', 'Escalated', 'Rule'],
      rows: top.map((r) => [grouped(r.count), grouped(r.closed), grouped(r.falsePositive), r.closed ? formatPercent(r.falsePositive / r.closed) : '-', grouped(r.escalated), r.name ? `${r.name} (${r.ruleId})` : String(r.ruleId)]),
      right: [true, true, true, true, true, false],
      // unnamed rules: as the dashboard's rules chart says (an analyst trial: bare ids with no hint how to name them)
      ...(rulesNotes.length ? { note: rulesNotes.join('. ') } : {}),
    },
    {
      id: 'closingReasons',
      title: 'Closing reasons',
      more: '',
      header: ['Count', 'Class', 'Reason'],
      rows: sum.byClosingReason.map((r) => [grouped(r.count), r.class || '-', r.reason]),
      right: [true, false, false],
    },
  ];
}

/**
 * True when two of the first `shown` counts (sorted descending) are equal, or the first left out equals the last shown
 * (the cut falls inside a tie): then the order among equal counts decides what is listed first.
 */
export function hasTie(counts: readonly number[], shown: number): boolean {
  const n = Math.min(counts.length - 1, shown);
  for (let i = 0; i < n; i++) if (counts[i] === counts[i + 1]) return true;
  return false;
}

/** Ids named in {@link closingReasonConflictText}; the others are counted. */
const CONFLICT_IDS_NAMED = 5;

/** The title of the dashboard notice of {@link outOfRangeTexts} (its bold line). */
export const RATINGS_OUT_OF_RANGE = 'Offense ratings outside QRadar’s 0–10';

/** The title of the warning of {@link closingReasonConflictText} (the dashboard notice's bold line). */
export const CLOSING_REASON_CONFLICT = 'Closing-reason lists of different exports disagree';

/**
 * The warning of the text report, `--json` (`warnings`), the Markdown summary and the dashboard when the
 * closing-reasons lists of different exports (consoles) name an id that offenses use differently: `Closing-reason
 * lists of different exports disagree — id 2: "Escalated to IR" in consoleA/offense_closing_reasons.json, "False-Positive,
 * Tuned" in consoleB/offense_closing_reasons.json; each offense is named from the list of its own export (folder or
 * fetch)` ({@link CLOSING_REASON_CONFLICT} — {@link closingReasonConflictDetail}). '' when the lists agree.
 */
export function closingReasonConflictText(conflicts: readonly ClosingReasonConflict[]): string {
  const detail = closingReasonConflictDetail(conflicts);
  return detail ? `${CLOSING_REASON_CONFLICT} — ${detail}` : '';
}

/**
 * The warning's detail: each id with its texts and the lists giving them (named below their common folder;
 * {@link CONFLICT_IDS_NAMED} ids named, the rest counted), and how offenses are named. '' when the lists agree.
 */
export function closingReasonConflictDetail(conflicts: readonly ClosingReasonConflict[]): string {
  if (conflicts.length === 0) return '';
  const name = shortNamer(conflicts.flatMap((c) => c.texts.flatMap((t) => t.lists)));
  const ids = conflicts
    .slice(0, CONFLICT_IDS_NAMED)
    .map((c) => `id ${c.id}: ${c.texts.map((t) => `${JSON.stringify(t.text)} in ${t.lists.map(name).join(', ')}`).join(', ')}`);
  const more = conflicts.length - CONFLICT_IDS_NAMED;
  return `${ids.join('; ')}${more > 0 ? `; and ${more} more id${more === 1 ? '' : 's'}` : ''}; each offense is named from the list of its own export (folder or fetch)`;
}
