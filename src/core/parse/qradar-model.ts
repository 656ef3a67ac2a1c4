/**
 * Data model of QRadar inputs (offenses, lookups, Log/Network Activity exports). Pure types.
 * Reference: shared/docs/qradar.md §1 (Offense object), §3 (closing reasons, offense types),
 * §5.1 (CSV exports), §5.3 (JSON shapes). All times are epoch milliseconds, UTC.
 */
import type { ParseError, SourceRef } from '../model/common';

/** A contributing rule of an offense (`rules[]`, §1). `name` only when the input carried it (XSOAR-enriched). */
export interface QRadarRuleRef {
  id: number;
  type?: string;
  name?: string;
}

/** A log source of an offense (`log_sources[]`, §1). */
export interface QRadarLogSourceRef {
  id?: number;
  name: string;
  typeId?: number;
  typeName?: string;
}

/**
 * One offense as read from `GET /api/siem/offenses` (§1). Every field is optional except
 * `description`/`label` (empty string when missing) and the arrays (empty when missing).
 */
export interface QRadarOffense {
  /** The offense id; left out when it is not an integer a JavaScript number holds exactly (then {@link idText}). */
  id?: number;
  /**
   * An id beyond ±(2^53 − 1) as written in the input (`9007199254740993`), reported as a problem: as a number it
   * would be rounded (9007199254740992) and two different offenses would share it. Shown where the id is, never
   * used to tell duplicates (the offense is kept like one without an id). Only set with no `id`.
   */
  idText?: string;
  /** Raw `description` (may end with `\n` and chain `preceded by` / `containing` lines). */
  description: string;
  /** First line of `description`, trimmed (the noise key, §1 "Strip the trailing newline"); `(no description)` when empty. */
  label: string;
  /** Upper-cased `status`: OPEN, HIDDEN, CLOSED (or whatever the input said). */
  status?: string;
  offenseType?: number;
  /** Offense type name when the input carried it instead of an id (XSOAR enriched, §5.3 item 4). */
  offenseTypeName?: string;
  offenseSource?: string;
  magnitude?: number;
  severity?: number;
  credibility?: number;
  relevance?: number;
  eventCount?: number;
  flowCount?: number;
  assignedTo?: string;
  closingUser?: string;
  closingReasonId?: number;
  /** Closing reason text when the input carried it instead of an id (XSOAR enriched). */
  closingReasonText?: string;
  /** Epoch ms UTC. */
  startTime?: number;
  lastUpdatedTime?: number;
  closeTime?: number;
  firstPersistedTime?: number;
  lastPersistedTime?: number;
  categories: string[];
  sourceNetwork?: string;
  destinationNetworks: string[];
  rules: QRadarRuleRef[];
  logSources: QRadarLogSourceRef[];
  followUp?: boolean;
  protected?: boolean;
  inactive?: boolean;
  domainId?: number;
  sourceCount?: number;
  localDestinationCount?: number;
  remoteDestinationCount?: number;
  /** File and line where the record starts. */
  source: SourceRef;
  /** 1-based record number in its file. */
  record: number;
}

/** `/siem/offense_closing_reasons` entry (§3). */
export interface QRadarClosingReason {
  id: number;
  text: string;
  isReserved?: boolean;
  isDeleted?: boolean;
  /**
   * The file the list was read from (set by the run, qradar-run.ts): a list names only the offenses of its own export
   * (qradar-reason-lists.ts). A reason without a file (built by a caller, not read) names every offense.
   */
  file?: string;
}

/** `/siem/offense_types` entry (§3). */
export interface QRadarOffenseType {
  id: number;
  name: string;
  propertyName?: string;
  databaseType?: string;
  custom?: boolean;
}

/** `/analytics/rules` entry (only what the dashboard uses). */
export interface QRadarRule {
  id: number;
  name: string;
  type?: string;
  origin?: string;
  enabled?: boolean;
  /**
   * The file the list was read from (set by the run, qradar-run.ts): rule ids are per console, so a list names only
   * the rules of its own export's offenses (qradar-reason-lists.ts `ruleListsOf`). A rule without a file (built by a
   * caller, not read) names the rules of every offense.
   */
  file?: string;
}

/**
 * One row of a Log Activity / Network Activity "Export to CSV" (§5.1). Known columns are mapped
 * to these fields through a header alias table; `fields` keeps every column by its header
 * (blank headers named `col_<n>`, 1-based).
 */
export interface QRadarEvent {
  eventName?: string;
  logSource?: string;
  /**
   * Coalesced event count (`Event Count`): 1 when the export has no such column (a row is one event); undefined when
   * the column is there but this row's value is blank, missing (a short row) or not a count (`abc`, `-7`) — such a
   * row adds nothing to the event totals (a problem names it).
   */
  eventCount?: number;
  /** Epoch ms UTC (Start Time / First Packet Time / starttime). */
  startTime?: number;
  /** Epoch ms UTC (Log Source Time / deviceTime). */
  logSourceTime?: number;
  category?: string;
  sourceIp?: string;
  sourcePort?: string;
  destinationIp?: string;
  destinationPort?: string;
  username?: string;
  magnitude?: number;
  fields: Record<string, string>;
  source: SourceRef;
  record: number;
}

/** What a file turned out to be (detected from content). */
export type QRadarFileKind = 'offenses' | 'closingReasons' | 'offenseTypes' | 'rules' | 'events' | 'unrecognised';

export interface QRadarFileInfo {
  file: string;
  kind: QRadarFileKind;
  /** Shape detail, e.g. `json-array`, `ndjson`, `wrapped:offenses`, `csv-display-names`. */
  format: string;
  records: number;
  errors: number;
}

/** Everything read from the inputs (the worker's result; analytics run later, per display zone). */
export interface QRadarParsed {
  files: QRadarFileInfo[];
  offenses: QRadarOffense[];
  events: QRadarEvent[];
  closingReasons: QRadarClosingReason[];
  /**
   * Closing-reasons files named for every offense (the CLI's `--closing-reasons`, as `kpi`'s): when set, they alone
   * name the reasons of all offenses; otherwise each offense takes the lists of its own export.
   */
  namedClosingReasons?: string[];
  offenseTypes: QRadarOffenseType[];
  rules: QRadarRule[];
  errors: ParseError[];
  /** Files read but not QRadar data (or not analyzed, e.g. Ariel search status), with the reason. */
  skipped: { file: string; reason: string }[];
  /** Zone used to read console display times in CSV exports (IANA or `UTC`). */
  consoleTimeZone: string;
  /** True when a CSV export had console display times (so the console zone mattered). */
  usedConsoleTimes: boolean;
}
