/**
 * The detail pane's reveal button (RowDetail.reveal) per kind of source, one name each wherever a row of that kind
 * is shown (its own dashboard and the merged timeline): a QRadar offense or Log Activity event opens its export (JSON or
 * CSV from QRadar, not a log), a case of a ticket export its case file; a Loki finding keeps the webview's default,
 * "Reveal in log". Analyst trial 8: the timeline's detail of a QRadar offense said "Reveal in log", the QRadar
 * dashboard "Reveal in export". Pure (no vscode).
 */
import type { RowDetail } from '../../shared/protocol';

type Reveal = NonNullable<RowDetail['reveal']>;

/** A QRadar offense (also one read as a case): its offenses export. */
export const REVEAL_OFFENSE: Reveal = { label: 'Reveal in export', title: 'Open the offenses export at this offense' };
/** A QRadar Log Activity event: its Log Activity export. */
export const REVEAL_EVENT: Reveal = { label: 'Reveal in export', title: 'Open the Log Activity export at this event' };
/** A case of a ticket export (CSV, JSON): its case file. */
export const REVEAL_CASE_FILE: Reveal = { label: 'Reveal in file', title: 'Open the case file at this case' };

/** The reveal button of a case: a QRadar offense read as a case (its raw fields have `offense_source`) opens its export, any other its case file. */
export function caseReveal(raw: unknown): Reveal {
  return raw !== null && typeof raw === 'object' && 'offense_source' in raw ? REVEAL_OFFENSE : REVEAL_CASE_FILE;
}
