/**
 * Data model for Loki (Python) and Loki-RS scan results.
 *
 * Format reference: `shared/docs/loki-format.md` (§1-§3 line grammars, §2.1 file findings,
 * §2.2 reasons, §2.3-§2.5 other messages). All timestamps are **epoch milliseconds, UTC**;
 * the display zone is applied only at the UI/CLI edge.
 */

/** Output layouts recognised per file (detected from content, never from the file name). */
export type LokiFormat =
  /** Python Loki plain log, v0.27+: `TS HOST LOKI: Type: MODULE: Mod MESSAGE: msg`. */
  | 'loki-plain'
  /** Python Loki plain log, v0.10-0.26 (no MODULE, possibly no type). */
  | 'loki-plain-legacy'
  /** Python Loki `--csv` log file: `TS,HOST,TYPE,MODULE,MESSAGE` (no quoting). */
  | 'loki-csv'
  /** Python Loki `--csv` stdout capture or pre-0.27 CSV log: `TS,HOST,TYPE,MESSAGE`. */
  | 'loki-csv-stdout'
  /** Loki-RS plain log (v2.4+): `ISO-TS HOST LEVEL BODY`. */
  | 'lokirs-plain'
  /** Loki-RS JSONL (v2.0+). */
  | 'lokirs-jsonl'
  /** Loki-RS alpha..2.3 flexi_logger file `[ISO-TS] LEVEL msg`. */
  | 'lokirs-legacy'
  /** Nothing recognisable (every line is reported as unparsed). */
  | 'unknown';

/** Message type as written by the scanner (Python `TYPE`, Loki-RS `LEVEL`), upper case. */
export type LokiLevel = 'ALERT' | 'WARNING' | 'NOTICE' | 'INFO' | 'ERROR' | 'DEBUG' | 'RESULT' | 'CRITICAL';

/** The three levels that make a finding. */
export type FindingLevel = 'ALERT' | 'WARNING' | 'NOTICE';

/** Kind of a reason inside a finding (loki-format.md §2.2, §3.1). */
export type ReasonKind =
  | 'yara' // Yara Rule MATCH / YARA match with rule / YARA-X match with rule (memory)
  | 'filename-ioc' // File Name IOC matched PATTERN / Filename IOC matched in ...
  | 'hash-ioc' // Malware|Suspicious Hash TYPE: .. HASH: .. / HASH match with IOC HASH
  | 'levenshtein' // Levenshtein check - filename looks much like a well-known system file
  | 'anomaly' // script anomaly (Python 2 only), process anomalies
  | 'c2' // Malware Domain/IP match in remote address / C2 IOC match in remote address
  | 'other';

/** One reason of a finding. `rule` is the YARA rule name, the IOC pattern, or the matched hash. */
export interface LokiReason {
  kind: ReasonKind;
  /** YARA rule name; for filename IOCs the PATTERN; for hash IOCs the HASH; for C2 the IP. */
  rule: string;
  /** Sub-score as printed (Levenshtein prints 40 although 60 is added — loki-format.md §2.2). */
  subscore?: number;
  /** DESCRIPTION (YARA) or DESC (IOC) text. */
  description?: string;
  /** REF (YARA) or `reference` (Loki-RS JSONL). */
  ref?: string;
  author?: string;
  /** Raw MATCHES list (Python) or joined `matched_strings` (Loki-RS JSONL). */
  matches?: string;
  /** Hash type for hash IOCs (MD5/SHA1/SHA256). */
  hashType?: string;
  /** The reason text exactly as read. */
  raw: string;
}

/** What a finding is about. */
export type FindingKind = 'file' | 'process' | 'connection' | 'other';

import type { NotTextKind } from '../parse/not-text';
import type { SourceRef, ParseError } from './common';
export type { SourceRef, ParseError } from './common';

/** One ALERT/WARNING/NOTICE finding of one host. */
export interface LokiFinding {
  host: string;
  level: FindingLevel;
  /** Python `MODULE` (FileScan, ProcessScan, ...); Loki-RS: `FileScan`/`ProcessScan` from the event type. */
  module: string;
  kind: FindingKind;
  /** Epoch ms, UTC (line timestamp). NaN if unreadable. */
  timestamp: number;
  /** File path (file findings), executable path or process name (process findings). */
  path?: string;
  /** Total SCORE as printed (Python: unbounded sum; Loki-RS: ≤ 100). */
  score?: number;
  fileType?: string;
  /** Size in bytes. */
  size?: number;
  firstBytes?: string;
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** CREATED/MODIFIED/ACCESSED exactly as printed (Python: host-local `time.ctime`, no zone). */
  created?: string;
  modified?: string;
  accessed?: string;
  pid?: number;
  processName?: string;
  owner?: string;
  commandLine?: string;
  /** Remote IP and port for C2/connection findings. */
  ip?: string;
  port?: number;
  reasons: LokiReason[];
  /**
   * The message text (everything after the envelope), as read; `''` when {@link messageAt} is set.
   */
  message: string;
  /**
   * Set only on the extension host's copy of a columnar file finding, whose message was left out of
   * the transfer from the analysis worker (it is ~40 % of a finding's memory and only the detail view
   * shows it): the message is the `bytes` ASCII bytes at byte `offset` of `source.file`. Read it back
   * with `readLokiMessage` (src/core/parse/loki-message.ts).
   */
  messageAt?: { offset: number; bytes: number };
  source: SourceRef;
  /** Index of the scan (in {@link LokiFileResult.scans}) this finding belongs to. */
  scanIndex: number;
}

/**
 * Host verdict. Python: the RESULT line (over remote syslog, which sends none: derived from the `Results:` counts at
 * the scan's end); Loki-RS: derived from the scan_end counters. An interrupted scan (Ctrl-C, `Scan aborted by user.`)
 * is `incomplete`.
 */
export type Verdict = 'indicators' | 'suspicious' | 'clean' | 'incomplete';

/** A scanner message that is not a finding but matters (ERROR lines, interruptions). */
export interface ScanMessage {
  level: LokiLevel;
  module: string;
  timestamp: number;
  message: string;
  source: SourceRef;
}

/** One scan of one host inside one file. */
export interface LokiScan {
  host: string;
  file: string;
  format: LokiFormat;
  tool: 'loki' | 'loki-rs';
  lokiVersion?: string;
  /** Epoch ms UTC of `Starting Loki Scan` / `scan_start` (or of the first line). */
  scanStart?: number;
  /** Epoch ms UTC of `Finished LOKI Scan` / `scan_end` (or of the last line). */
  scanEnd?: number;
  verdict: Verdict;
  /** True when the scan ended with its result block (Python) or scan_end (Loki-RS), not interrupted. */
  complete: boolean;
  /** The tool's own counters (`Results: a alerts, w warnings, n notices`), when present. */
  reported?: { alerts: number; warnings: number; notices: number };
  /** Counts recomputed from the parsed findings of this scan. */
  alerts: number;
  warnings: number;
  notices: number;
  /**
   * The scanner's own messages: ERROR/CRITICAL lines, interruptions, and the ALERT/WARNING lines that are no
   * detection (loki-format.md §5 item 29: not elevated, drives skipped, YARA timeouts, `Error getting all process
   * information…`, `Too many matches on process memory…`).
   */
  messages: ScanMessage[];
  /** First line number of this scan in its file. */
  firstLine: number;
  /**
   * Set when this scan has its own start line and all its records lie inside the scan of another host
   * in the same file (that scan began before and has records after): that host and the line its scan
   * began at. A central syslog capture of scans that ran at the same time gives this for a short scan;
   * so does a scan forged by a line break in a value the other host logged (see analyzeLoki's warnings).
   */
  within?: { host: string; line: number };
}


/**
 * A read-only list of findings: a plain array, or a columnar store that keeps its findings as
 * bytes and numbers and builds each {@link LokiFinding} on demand (src/core/parse/loki-store.ts).
 * `at(i)` returns the finding at `0 <= i < length` (a columnar list builds a fresh object on each
 * call: equal values, not the same object); iteration yields them in order.
 */
export interface FindingList extends Iterable<LokiFinding> {
  readonly length: number;
  at(i: number): LokiFinding | undefined;
  /** Findings `[start, end)` as a new array (like `Array.prototype.slice` with non-negative bounds). */
  slice(start?: number, end?: number): LokiFinding[];
}

/**
 * The outcome of parsing one file. `F` is the findings list: an array from `parseLokiFile` /
 * `parseLokiText`, a columnar {@link FindingList} inside `runLokiAnalysis`.
 */
export interface LokiFileResult<F extends FindingList = LokiFinding[]> {
  file: string;
  format: LokiFormat;
  encoding: string;
  /** Physical lines read. */
  lines: number;
  bytes: number;
  scans: LokiScan[];
  findings: F;
  errors: ParseError[];
  /**
   * Lines that are part of a parsed record or intentionally ignored (blank). Added by the parser:
   * `parsedLines + unparsedLines === lines` (see src/core/parse/loki.ts).
   */
  parsedLines?: number;
  /** Lines reported as unparsed (one `errors` entry with line > 0 each, up to a cap). */
  unparsedLines?: number;
  /** Non-fatal notes, e.g. a partially parsed (truncated) record or an encoding fallback. */
  warnings?: ParseError[];
  /**
   * Set when the file is no text by its first bytes and held no Loki line (`sniffNotText`: a gzip/bzip2/xz/zstd file
   * or zip archive, not read; or binary data): it is no Loki output, listed as skipped with what it is
   * (`analyzeLoki`), not a file read with a problem. Not set for a file that could not be read.
   */
  notText?: NotTextKind;
}

/**
 * Start of the line-0 problem of a Loki file that could not be read (`cannot read file: EACCES: permission denied,
 * open '…'`; the parser's message). A file with this problem and no line read is {@link LokiFileEntryUnreadable}.
 */
export const CANNOT_READ_FILE = 'cannot read file';

/**
 * End of the line-0 note a parsed file gets past its first MAX_LINE_ERRORS unparsed lines (`12045 more unparsed lines
 * not listed`): a tally of its lines, not a file-level error — such a file was read ({@link isLokiFileLevelError}).
 */
export const MORE_UNPARSED_LINES = 'more unparsed lines not listed';

/**
 * True for a problem with a whole file (line 0: cannot open or read it, not a text file…), false for a line's problem and
 * for the {@link MORE_UNPARSED_LINES} tally. A file with such an error is not skipped as "not Loki output" or as a
 * binary file: we cannot tell what it is.
 */
export function isLokiFileLevelError(e: { line: number; message: string }): boolean {
  return e.line <= 0 && !e.message.endsWith(` ${MORE_UNPARSED_LINES}`);
}

/** Marks a `LokiAnalysis.files` entry whose file could not be read at all (no line: open or first read failed). */
export type LokiFileEntryUnreadable = { unreadable?: true };
