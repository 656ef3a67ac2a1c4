/**
 * Streaming parser for every Loki (Python) and Loki-RS output format.
 * Reference: shared/docs/loki-format.md (§0 detection, §1-§3 grammars, §5 pitfalls, §7 strategy).
 *
 * Line accounting (checkable invariant): every physical line pushed is exactly one of
 *  - part of a parsed record (the envelope line or a continuation line appended to it),
 *  - an intentionally ignored line (blank after cleaning),
 *  - an unparsed line, reported in `errors` as {file, line (1-based), message}.
 * `parsedLines` counts the first two, `unparsedLines` the third, and
 * `parsedLines + unparsedLines === lines` always holds. INFO/DEBUG noise is "parsed" even though it
 * produces no finding. At most {@link MAX_LINE_ERRORS} line errors are stored; beyond that one
 * extra error at line 0 states how many more lines were unparsed (`unparsedLines` stays exact).
 *
 * Classification of non-detection ALERT/WARNING/NOTICE lines (§5 item 29) — by message kind, not
 * by level:
 *  - Python: `Error getting all process information…` (ALERT), `Too many matches on process memory -
 *    most likely a false positive` (WARNING), Init/Update/Upgrader/Results
 *    module WARNING/ALERT lines and FileScan lines that are not `FILE:` findings go to the scan's
 *    `messages`; Init/Results NOTICE lines (`Starting Loki Scan`, `Results:`, `Finished LOKI Scan`,
 *    `PE-Sieve successfully initialized`, …), `Connection output threshold reached` and
 *    `PE-Sieve reported no anomalies` are ignored (parsed, no finding).
 *  - Loki-RS: every WARNING/ALERT/ERROR line that is not a `Match:` / match event (e.g. `Scan is not
 *    running with elevated privileges`, `Skipping network drive`, YARA timeouts) goes to `messages`.
 *
 * Scans (§5 items 5-6): each host's records go to its current scan in the file. A scan-start line
 * opens a new scan only when that scan has ended (Python `Results:` / RESULT / `Finished LOKI Scan`,
 * Loki-RS `scan_end`, or an interruption); a start before that is counted as part of the running scan
 * with a warning at its line (a forged line or a rerun after a crash: see startScan), so that it
 * never sets the findings before it aside. Loki writes YARA matches and file names raw, so a scanned file
 * can forge whole lines, trailer and start included; hence an end line ends the scan only when it fits it
 * (endMisfit / pyEnd / endIf: not dated before the scan's last record, Loki's counts not below what was
 * read, a verdict that agrees, the right `SYSTEM:` / syslog process id), a start after an end opens a new
 * scan only when it fits a new run (startMisfit: not dated before that scan's last record, nothing of that
 * scan after its end, ...), and once the file is read a scan whose own lines prove its start forged (or that has
 * no end of its own after an end without Loki's exact counts), or another host's lines inside a host's scan of a
 * one-host log, are merged back (consolidate). Only the rare
 * start and end lines do this work while reading. Hosts are keyed as the summary groups them (hostKey: case
 * and surrounding spaces ignored). A scan's own counts (`Results:`, Loki-RS scan end) above what was read
 * for it make a warning at that line (checkReported).
 */
import type {
  FindingLevel,
  FindingList,
  LokiFileResult,
  LokiFinding,
  LokiFormat,
  LokiLevel,
  LokiReason,
  LokiScan,
  ParseError,
} from '../model/loki';
import { CANNOT_READ_FILE, MORE_UNPARSED_LINES } from '../model/loki';
import * as fs from 'node:fs';
import { LineDecoder, MAX_LINE_CHARS } from './lines';
import { SNIFF_BYTES, sniffNotText, type NotTextKind } from './not-text';
import { LokiIntern } from './loki-intern';
import { LOKI_READ_CHUNK, lokiLocator, type LokiLocator } from './loki-wasm';
import { FF_NUMS, FF_PATH_END, FF_R1, FF_SCORE, FF_SLOTS, FF_TRUNC, FF_TRUNC_TEXT, FindingBody, fileFindingReasons, laterScoreKey, laterScoreKeyOfFile, locateFileFinding, parseConnection, parseFileFinding, parseProcessInfo, parseReason } from './python-messages';
import { fsErrorText } from '../fs-errors';
import { isLeapSecondDay } from '../leap-seconds';
import { LokiFindingStore, MessageReader, findingFromBody, pathHash, pathHashBytes, stampOf, type FileStamp } from './loki-store';
import { jsonShown, jsonValueText, laterRsScoreKey, parseRsLegacyFinding, parseRsMatch, parseRsSummary, rsJsonFinding, versionFrom } from './rs-messages';
import {
  cleanLine,
  hostFromFileName,
  hostKey,
  indexOfKeyDigits,
  isDigit,
  isIsoPrefix,
  isPyTs,
  parseIsoTs,
  parsePyTs,
  utcDay,
  readInt,
  releaseHexBytes,
  stripSpinnerPrefix,
} from './text';
import { lookupTable } from '../lookup';
import { unparsedFindingReason } from './finding-unparsed';

/** Max stored per-line errors per file (the counters stay exact). */
export const MAX_LINE_ERRORS = 10000;
/**
 * Max listed warnings per file for scan starts counted as part of a running scan (see startScan); the
 * rest are counted in one warning at line 0 (a forged log may hold any number of such lines).
 */
export const MAX_SAME_SCAN_WARNINGS = 20;
/**
 * Max listed warnings per file for scan starts and ends that do not fit their scan (see startMisfit,
 * endMisfit, consolidate); the rest are counted in one warning at line 0.
 */
export const MAX_MISFIT_WARNINGS = 20;
/** Max listed `partial record` warnings per file (as {@link MAX_LINE_ERRORS} for errors); the rest are counted in one warning at line 0. */
export const MAX_PARTIAL_WARNINGS = 10000;
/** Warnings listed per file for Loki-RS JSONL hash values that are not hex digests; the rest are counted in one. */
export const MAX_BAD_HASH_WARNINGS = 20;
/** A record (envelope + continuation lines) longer than this stops accepting continuation lines. */
export const MAX_RECORD_CHARS = 1 << 20;

const LEVELS = new Set<string>(['ALERT', 'WARNING', 'NOTICE', 'INFO', 'ERROR', 'DEBUG', 'RESULT', 'CRITICAL']);
const FINDING_LEVELS = new Set<string>(['ALERT', 'WARNING', 'NOTICE']);
/** Python Loki module names (§5 item 11). */
const PY_MODULES = new Set<string>([
  'Init', 'FileScan', 'ProcessScan', 'Rootkit', 'Results', 'PESieve', 'Update', 'Upgrader', 'VulnChecker', 'WMIScan',
]);
const RS_LEGACY_LEVELS: Readonly<Record<string, LokiLevel>> = lookupTable({ ERROR: 'ERROR', WARN: 'WARNING', INFO: 'INFO', DEBUG: 'DEBUG', TRACE: 'DEBUG' });

type Family = 'py' | 'rs' | 'rsjson' | 'rslegacy';

/** One logical record: an envelope line plus any continuation lines. */
interface Rec {
  family: Family;
  ts: number;
  host: string;
  level: LokiLevel;
  module: string;
  message: string;
  line: number;
  /** Line numbers of continuation lines (only allocated when there are some). */
  cont?: number[];
  /** Legacy Python plain lines without a type: the level was inferred. */
  inferredLevel?: boolean;
  /** An RFC 5424 syslog line (§2.7): its host is the header's HOSTNAME. */
  syslog?: true;
  /** A 5-column CSV line with an empty MODULE column: `module` was read from the message (a warning when kept). */
  emptyModule?: true;
  /** The syslog header's PROCID (the Loki process id on its host), when not `-`. */
  procId?: string;
  json?: Record<string, unknown>;
  format: LokiFormat;
  /** The message is ASCII as read from one line's bytes (no continuation): it may go to the columnar store. */
  ascii?: boolean;
  /** With `ascii`, on the byte path: the message's bytes are the file's bytes `[fileAt, …)`. */
  fileAt?: number;
  /** With `ascii`, on the byte path: the message's bytes are `buf[bufAt, …)` (until releaseBytes). */
  buf?: Buffer;
  bufAt?: number;
  /**
   * The message does not share its buffer with other lines (decoded per line on the byte path), so
   * keeping it (or slices of it) pins nothing else: no private copy needed.
   */
  owned?: boolean;
}

/** Per-scan bookkeeping not exposed in the model. */
interface ScanState {
  started: boolean;
  /**
   * The scan ended: its trailer began (Python `Results:` counters, a RESULT verdict or `Finished LOKI
   * Scan`; Loki-RS `scan_end`) or it was interrupted. A start line of the host after this opens a new
   * scan; before it, the start is counted as part of this scan (see startScan).
   */
  ended: boolean;
  interrupted: boolean;
  /**
   * A `Results:` counters or `Finished LOKI Scan` line of the scan came over remote syslog (§2.7): syslog carries no
   * RESULT line, so this is the scan's end, and its verdict is Loki's rule on its counters (see finalizeScan).
   */
  syslogEnd: boolean;
  firstTs: number;
  lastTs: number;
  resultSeen: boolean;
  /** Line of the scan's last record so far. */
  lastLine: number;
  /** Line of the record that gave `LokiScan.reported` (Python `Results:`, Loki-RS scan end); 0: none. */
  reportedLine: number;
  /** Epoch ms of the scan's start line (the line's own time); NaN: none. */
  startTs: number;
  /** Syslog PROCID of the scan's start line (a scan is one process). */
  procId?: string;
  /** The host's scan in this file this one follows after its end (a rescan, see startScan); -1: none. */
  prev: number;
  /** Line of the record that ended the scan (see {@link ended}), and its findings + messages then. */
  endLine: number;
  endCount: number;
  /**
   * The scan's latest trailer block (see endIf): the line of its latest end line (0: none), of its first, and
   * whether one of its lines did not fit.
   */
  lastEndLine: number;
  blockStart: number;
  blockMisfit: boolean;
  /** Messages (see addMessage) at ALERT / WARNING level: Loki counts them as it counts findings. */
  msgAlerts: number;
  msgWarnings: number;
  /**
   * ALERT / WARNING lines read before the scan's latest start line (a start counted as part of it included): Loki's
   * counters at the end cover the lines since its process started, i.e. a rerun after a crash counts only its own.
   */
  baseAlerts: number;
  baseWarnings: number;
  /** Loki's own alert / warning counts (`Results:`, Loki-RS scan end) that differ from what was read for the scan. */
  mismatch?: { line: number; alerts: number; warnings: number; readAlerts: number; readWarnings: number };
  /**
   * Line of the latest `Results:` (Loki-RS scan end) whose counts are exactly what was read for the scan since its
   * start (Python: its ALERT and WARNING lines; Loki-RS, which counts its matches only: at least the matches and at
   * most the matches and messages read); 0: none.
   */
  exactLine: number;
  /**
   * The scan's end (see {@link ended}) came with such counts in its trailer block: Loki's own end, unless a forged
   * one added exactly the alerts and warnings logged before it, which it cannot see (see LokiLineParser.forgedStart).
   */
  endExact: boolean;
  /**
   * Line of the latest start line counted as part of this scan (see sameScanFrom; 0: none): Loki's counts at its end
   * then cover the lines since it only (a rerun after a crash), which a forged start can make any number, so they
   * prove nothing (forgedStart).
   */
  rebasedLine: number;
}

type Envelope = Rec | 'malformed' | undefined;

/**
 * The warning for a finding of a text log kept without a time: its line's time is no date and time that exists
 * (`20221399T99:99:99Z`, a second 60 that is no leap second, a year past 275759). Such a finding was kept with no time
 * and no word about it (hostile review). A Loki-RS JSONL `timestamp` that is missing or no RFC 3339 time is said by
 * the record's envelope instead (one warning per record).
 */
function badTimeMessage(): string {
  const tail = 'the finding is kept without a time (not in the timeline)';
  return `the line's time is not a valid date and time (a field out of range): ${tail}`;
}

/** Extra counters added to {@link LokiFileResult} by this parser (all optional in the model). */
export type LokiParseResult<F extends FindingList = LokiFinding[]> = LokiFileResult<F> & Required<Pick<LokiFileResult<F>, 'parsedLines' | 'unparsedLines' | 'warnings'>>;

/**
 * Line-at-a-time parser for one file. Feed physical lines (without EOL) in order, then call finish().
 * Never throws on bad data: unreadable lines go to `errors` with file and 1-based line number.
 *
 * Output shapes: see src/core/model/loki.ts. Timestamps are epoch ms UTC (Python `20211013T22:11:03Z`
 * via Date.UTC; Loki-RS ISO / RFC 3339 with offset); CREATED/MODIFIED/ACCESSED stay as printed.
 * Grammars: Python §1.1/§2 (plain, 5-col CSV split on the first 4 commas, 4-col on the first 3,
 * pre-0.27 and colon-less variants, RFC 5424 syslog header stripped), Loki-RS §3.1 plain, §3.2 JSONL,
 * §3.8 legacy flexi_logger (best effort).
 *
 * The format is detected from the first recognisable line (§0) and kept for the file. Records are
 * flushed one line late, because a following physical line without an envelope is a continuation
 * (raw newline in a path or MATCHES value) and is appended to the record's message.
 */
export class LokiLineParser {
  private lineNo = 0;
  private parsed = 0;
  private unparsed = 0;
  private droppedErrors = 0;
  /**
   * Line of the last malformed / truncated envelope (0: none) and {@link parsed} just after it: while no line
   * but blank ones has been parsed since (a blank line moves both on), a line without an envelope continues
   * that cut record and is unparsed too (it must not be glued to the record before the cut). Set only on the
   * malformed path: no work on good lines.
   */
  private cutLine = 0;
  private cutParsed = -1;
  /** Findings kept from a partial record (see {@link MAX_PARTIAL_WARNINGS}). */
  private partialRecords = 0;
  /** `FILE:` findings with a second total-SCORE key (see checkLaterScore). */
  private forgedKeys = 0;
  /** Lines that held ESC or BS (removed by cleanLine) and the first of them (one warning per file, see finishAny). */
  private controlLines = 0;
  private firstControlLine = 0;
  /** Loki-RS JSONL hash values that are not hex digests (see {@link MAX_BAD_HASH_WARNINGS}). */
  private badHashes = 0;
  /** Loki-RS JSONL match values of another JSON type (score, path, reasons; same cap as {@link MAX_BAD_HASH_WARNINGS}). */
  private badValues = 0;
  /** Findings whose time could not be read (an impossible date, a JSONL `timestamp` that is no ISO time; same cap as {@link MAX_BAD_HASH_WARNINGS}). */
  private badTimes = 0;
  /** Python CSV lines with an empty MODULE column (warnings capped as {@link MAX_BAD_HASH_WARNINGS}). */
  private emptyModules = 0;
  private format: LokiFormat = 'unknown';
  private family: Family | undefined;
  /** True once a line was read as a Loki record envelope (its family is known): the file is Loki output. */
  get sawRecord(): boolean {
    return this.family !== undefined;
  }
  private csvCols = 0;
  private pending: Rec | undefined;
  private readonly scans: LokiScan[] = [];
  private readonly states: ScanState[] = [];
  /**
   * Host key ({@link hostKey}: trimmed, lower case, as the summary groups hosts) → index of its latest
   * scan in this file. Lines of several hosts may alternate (a central syslog server receiving the `-r`
   * output of scans running at the same time): a host's records go to its own current scan, not to a
   * new scan at each change of host. Records of `fin-ws0142` go to the current scan of `FIN-WS0142`
   * (the summary shows them as one host), so a start line spelled differently is still inside it.
   */
  private readonly scanOfHost = new Map<string, number>();
  private readonly findings: LokiFinding[] = [];
  /** Columnar mode: every finding goes here instead of {@link findings} (see ./loki-store.ts). */
  private readonly store: LokiFindingStore | undefined;
  /** Columnar mode with a file to read messages back from: file findings may be kept as columns. */
  private readonly columnar: boolean = false;
  private readonly errors: ParseError[] = [];
  private readonly warnings: ParseError[] = [];
  /** Scan starts counted as part of a running scan (see startScan); only the first few are listed. */
  private sameScanStarts = 0;
  /** Scan starts and ends that do not fit their scan (see startMisfit, endMisfit, consolidate); only the first few are listed. */
  private misfits = 0;
  /** A syslog line was read: lines of several hosts may alternate (a central capture), see consolidate. */
  private syslog = false;
  private readonly defaultHost: string;
  private finished: LokiParseResult<FindingList> | undefined;
  /** Bytes represented by the pushed text (set by parseLokiFile / parseLokiText). */
  bytes = 0;
  /** The line being pushed was decoded on its own (byte path): see {@link Rec.owned}. */
  private lineOwned = false;
  /**
   * A pending record that is only INFO/DEBUG noise, kept as bytes (see {@link pushBytes}): flushing it
   * only touches its scan and counts the line. It is turned into a normal {@link Rec}
   * ({@link materialize}) when a continuation line follows or its buffer is about to go.
   */
  private lazyBuf: Buffer | undefined;
  /** Line number of the last line taken for Loki's console text (a traceback goes on over the next lines). */
  private noiseLine = -2;
  private lazyStart = 0;
  private lazyEnd = 0;
  private lazyAscii = false;
  private lazyLine = 0;
  private lazyTs = NaN;
  private lazyScan = 0;
  /** Byte path: buffer scanned for ESC / BS bytes (cleanLine) and the next positions found. */
  private escBuf: Buffer | undefined;
  private nextEsc = -1;
  private nextBs = -1;
  /** Byte path: the buffer of the last line and a DataView of it (the envelope is compared a 32-bit word at a time). */
  private viewBuf: Buffer | undefined;
  private view: DataView<ArrayBufferLike> = EMPTY_VIEW;
  /**
   * Byte path: the date `YYYYMMDD` of the last Python timestamp read, as two little-endian 32-bit words (the words of
   * `00000000` at first, whose day is NaN like any impossible date), and the Date.UTC of that day.
   */
  private dateW0 = DIGITS_WORD;
  private dateW1 = DIGITS_WORD;
  private dayMs = NaN;
  /** Byte path: recently seen host / module strings, reused when the bytes match. */
  private hostCache = '';
  /** The bytes `hostCache` was decoded from. */
  private hostBytes = new Uint8Array(0);
  /** The same bytes and their comma as words (undefined before the first host), and whether they are ASCII. */
  private hostField: FieldWords | undefined;
  private hostFieldAscii = true;
  private moduleCache: string[] = [];
  /** `moduleCache[i]`'s bytes and comma as words. */
  private moduleFields: FieldWords[] = [];
  private lastModule = 0;
  /** This thread's WebAssembly locator for `FILE:` messages read as bytes (columnar mode), if it has one. */
  private readonly locator: LokiLocator | undefined;

  /**
   * @param file path reported in findings and errors.
   * @param encoding reported as the file's encoding.
   * @param intern memo of repeated texts shared by the findings (one per analysis run, so files share
   *   it; see ./loki-intern.ts); a private one when not given. Results are equal either way.
   * @param reader columnar mode (one reader per run): the findings go to a {@link LokiFindingStore}.
   * @param stamp the file as it was when opened: with it, file findings of ASCII records read on the
   *   byte path (`pushBytes` with file offsets) are kept as columns and their messages read back from
   *   `file` on demand; without it, every finding is kept as an object (in the store).
   */
  constructor(
    public readonly file: string,
    public readonly encoding = 'utf-8',
    private readonly texts: LokiIntern = new LokiIntern(),
    reader?: MessageReader,
    stamp?: FileStamp,
  ) {
    this.defaultHost = hostFromFileName(file) ?? ''; // '' = no host: the summary names it after its file, never merges it
    if (reader) {
      this.store = new LokiFindingStore(file, reader, stamp);
      this.columnar = stamp !== undefined;
    }
    this.locator = this.columnar ? lokiLocator() : undefined;
  }

  /** Feeds one physical line (EOL removed; a trailing `\r` is stripped here too). */
  push(line: string): void {
    if (this.finished) return;
    const n = ++this.lineNo;
    try {
      this.pushInner(line, n);
    } catch (e) {
      // Defensive: a parser bug must not lose the line or throw.
      this.unparsedLine(n, `internal parser error: ${(e as Error)?.message ?? e}`);
    }
  }

  /**
   * Accounts for one physical line that was too long to keep (see `LineDecoder` `onLongLine`):
   * it counts as one line and is reported as unparsed, so later line numbers stay right.
   */
  pushOverlong(chars: number): void {
    if (this.finished) return;
    const n = ++this.lineNo;
    this.unparsedLine(n, `line too long (${chars} characters, limit ${MAX_LINE_CHARS}): not parsed`);
  }

  /**
   * Feeds one physical line given as valid UTF-8 bytes `buf[start, end)` (EOL removed; `ascii`: all
   * bytes < 0x80). Same result as `push(buf.toString('utf8', start, end))`, but the common Python
   * CSV records are read from the bytes directly: INFO/DEBUG noise is only counted (no strings),
   * other records decode just their message. `at`: the file offset of `buf[start]` (columnar mode
   * keeps message positions; see the constructor).
   */
  pushBytes(buf: Buffer, start: number, end: number, ascii: boolean, at?: number): void {
    if (this.finished) return;
    if (this.family === 'py' && this.csvCols === 5 && this.fastPy(buf, start, end, ascii, at)) return;
    const line = decodeBytes(buf, start, end, ascii);
    this.lineOwned = true;
    try {
      this.push(line);
    } finally {
      this.lineOwned = false;
    }
  }

  /** The byte buffers given to {@link pushBytes} so far may be reused: keep nothing of them. */
  releaseBytes(): void {
    releaseHexBytes();
    if (this.lazyBuf) this.materialize();
    if (this.pending) this.pending.buf = undefined;
    this.escBuf = undefined;
    this.viewBuf = undefined;
    this.view = EMPTY_VIEW;
  }

  /**
   * Python 5-column CSV envelope read from bytes (the layout of the file is already known, so
   * `pyEnvelope` has no side effects). Returns false, having changed nothing, when the line is not
   * a plain well-formed record of that layout; the string path then handles it.
   */
  private fastPy(b: Buffer, s: number, e: number, ascii: boolean, at: number | undefined): boolean {
    if (e - s < 26 || b[s + 18] !== 44 /* , */) return false;
    // cleanLine would change the line: ESC / BS anywhere (the message is kept as read).
    if (this.escBuf !== b) {
      this.escBuf = b;
      this.nextEsc = b.indexOf(0x1b, s);
      this.nextBs = b.indexOf(0x08, s);
    } else {
      if (this.nextEsc >= 0 && this.nextEsc < s) this.nextEsc = b.indexOf(0x1b, s);
      if (this.nextBs >= 0 && this.nextBs < s) this.nextBs = b.indexOf(0x08, s);
    }
    if ((this.nextEsc >= 0 && this.nextEsc < e) || (this.nextBs >= 0 && this.nextBs < e)) return false;
    if (b[e - 1] === 13) return false; // trailing CR: stripped by pushInner
    // Each field below is first compared in place with the one the last lines had (its bytes and the comma that ends
    // it, a 32-bit word at a time: sameField); equal bytes read as they did then. Otherwise it is read byte by byte.
    const bl = b.length;
    if (this.viewBuf !== b) {
      this.viewBuf = b;
      this.view = new DataView(b.buffer, b.byteOffset, bl);
    }
    const v = this.view;
    // YYYYMMDDTHH:MM:SSZ (e - s >= 26: the words are inside the line)
    const d0 = v.getInt32(s, true);
    const d1 = v.getInt32(s + 4, true);
    if (d0 !== this.dateW0 || d1 !== this.dateW1) {
      let day = 0;
      for (let k = 0; k < 8; k++) {
        const d = b[s + k] - 48;
        if (d < 0 || d > 9) return false;
        day = day * 10 + d;
      }
      this.dateW0 = d0;
      this.dateW1 = d1;
      this.dayMs = utcDay(Math.floor(day / 10000), Math.floor(day / 100) % 100, day % 100); // NaN: no such day
    }
    const h1 = b[s + 9] - 48, h2 = b[s + 10] - 48, m1 = b[s + 12] - 48, m2 = b[s + 13] - 48, s1 = b[s + 15] - 48, s2 = b[s + 16] - 48;
    if (
      b[s + 8] !== 84 || b[s + 11] !== 58 || b[s + 14] !== 58 || b[s + 17] !== 90 ||
      h1 < 0 || h1 > 9 || h2 < 0 || h2 > 9 || m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || s1 < 0 || s1 > 9 || s2 < 0 || s2 > 9
    ) return false;
    // As parsePyTs: the day's ms + the time of day (MakeDate is additive); NaN when a field is out of range;
    // second 60 only as a leap second, 23:59:60 of a day that had one (read as 23:59:59, see leapSecondOk).
    const hh = h1 * 10 + h2, mm = m1 * 10 + m2, ss = s1 * 10 + s2;
    const ts =
      hh <= 23 && mm <= 59 && ss <= 59
        ? this.dayMs + hh * 3600000 + mm * 60000 + ss * 1000
        : ss === 60 && hh === 23 && mm === 59 && isLeapSecondDay(this.dayMs) ? this.dayMs + 86_399_000 : NaN;
    // HOST up to the first comma (no space: that is a malformed record); sameHost: the bytes of the last host
    // decoded (valid UTF-8: equal bytes, equal string).
    const hs = s + 19;
    let c2: number;
    let hostAscii: boolean;
    let sameHost: boolean;
    const hf = this.hostField;
    if (hf !== undefined && hs + hf.n <= e && hs + hf.span <= bl && sameField(v, hs, hf)) {
      c2 = hs + hf.n - 1;
      hostAscii = this.hostFieldAscii;
      sameHost = true;
    } else {
      c2 = hs;
      hostAscii = true;
      const hb = this.hostBytes;
      const hbn = hb.length;
      sameHost = true;
      for (; c2 < e; c2++) {
        const c = b[c2];
        if (c === 44) break;
        if (c === 32) return false;
        if (c >= 0x80) hostAscii = false;
        if (sameHost) {
          const k = c2 - hs;
          if (k >= hbn || hb[k] !== c) sameHost = false;
        }
      }
      if (c2 >= e) return false;
      if (c2 - hs !== hbn) sameHost = false;
    }
    // LEVEL (exact upper case; other spellings take the string path)
    const ls = c2 + 1;
    let c3: number;
    let level: LokiLevel | undefined;
    const lf = ls < e ? LEVEL_FIELDS[b[ls]] : undefined;
    if (lf !== undefined && ls + lf.n <= e && ls + lf.span <= bl && sameField(v, ls, lf)) {
      c3 = ls + lf.n - 1;
      level = LEVEL_BY_FIRST[b[ls]];
    } else {
      c3 = ls;
      while (c3 < e && b[c3] !== 44) c3++;
      if (c3 >= e) return false;
      level = levelOf(b, ls, c3);
    }
    if (level === undefined) return false;
    // MODULE: a word (csvCols is 5, so any word makes the 5th column); `mod`: a module of moduleCache
    const ms = c3 + 1;
    let c4: number;
    let mod: string | undefined;
    const j = this.cachedModule(v, ms, e, bl);
    if (j >= 0) {
      c4 = ms + this.moduleFields[j].n - 1;
      mod = this.moduleCache[j];
    } else {
      c4 = ms;
      for (; c4 < e; c4++) {
        const c = b[c4];
        if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) break;
      }
      if (c4 >= e || b[c4] !== 44 || c4 === ms || c4 - ms > 40) return false;
      // Not in moduleCache: taken in while it has room, also from an INFO line (whose module is otherwise never
      // decoded), so that the module's next lines find it above.
      if (this.moduleCache.length < MODULE_CACHE) mod = this.moduleOf(b, ms, c4);
    }
    const msg = c4 + 1;
    if (level === 'INFO' || level === 'DEBUG') {
      // Noise unless the message is one processPy looks at.
      if (!startsWithSpecialPy(b, msg, e)) {
        this.flushPending();
        const si = this.scans.length - 1;
        if (si >= 0 && this.hostOf(b, hs, c2, hostAscii, sameHost) === this.scans[si].host) {
          this.lazyBuf = b;
          this.lazyStart = s;
          this.lazyEnd = e;
          this.lazyAscii = ascii;
          this.lazyLine = ++this.lineNo;
          this.lazyTs = ts;
          this.lazyScan = si;
          return true;
        }
      }
    }
    const n = ++this.lineNo;
    const host = this.hostOf(b, hs, c2, hostAscii, sameHost);
    const module = mod ?? this.moduleOf(b, ms, c4);
    const message = decodeBytes(b, msg, e, ascii);
    const env: Rec = { family: 'py', ts, host, level, module, message, line: n, format: 'loki-csv' };
    env.owned = true;
    if (ascii) {
      env.ascii = true;
      env.buf = b;
      env.bufAt = msg;
      if (at !== undefined) env.fileAt = at + (msg - s);
    }
    this.flushPending();
    this.pending = env;
    return true;
  }

  /** The host spelled by `b[s, e)` (`same`: the bytes of {@link hostCache}); kept as the next line's cache. */
  private hostOf(b: Buffer, s: number, e: number, ascii: boolean, same: boolean): string {
    if (same) return this.hostCache;
    this.hostBytes = new Uint8Array(b.subarray(s, e)); // a copy: the line buffer is not kept
    this.hostField = fieldWords(b, s, e);
    this.hostFieldAscii = ascii;
    // The current scan's own string when equal: the next comparison with it is then by reference.
    const h = decodeBytes(b, s, e, ascii);
    const i = this.scans.length - 1;
    return (this.hostCache = i >= 0 && this.scans[i].host === h ? this.scans[i].host : h);
  }

  private moduleOf(b: Buffer, s: number, e: number): string {
    const mc = this.moduleCache;
    const last = this.lastModule;
    if (last < mc.length && sameAscii(mc[last], b, s, e)) return mc[last];
    for (let i = 0; i < mc.length; i++) {
      if (sameAscii(mc[i], b, s, e)) {
        this.lastModule = i;
        return mc[i];
      }
    }
    const m = decodeBytes(b, s, e, true);
    if (mc.length < MODULE_CACHE) {
      mc.push(m);
      this.moduleFields.push(fieldWords(b, s, e));
    }
    return m;
  }

  /**
   * The index in {@link moduleCache} of the module whose bytes and comma `v` holds at `at` (the last one found
   * first; it becomes the last one), or -1. `e`: end of the line, `bl`: byte length of `v`.
   */
  private cachedModule(v: DataView, at: number, e: number, bl: number): number {
    const mf = this.moduleFields;
    const last = this.lastModule;
    for (let i = -1; i < mf.length; i++) {
      const j = i < 0 ? last : i;
      if (j >= mf.length || (i >= 0 && j === last)) continue;
      const f = mf[j];
      if (at + f.n <= e && at + f.span <= bl && sameField(v, at, f)) return (this.lastModule = j);
    }
    return -1;
  }

  /** Turns the lazy pending INFO/DEBUG record into a normal pending {@link Rec} (same as the string path). */
  private materialize(): void {
    const b = this.lazyBuf!;
    this.lazyBuf = undefined;
    const line = decodeBytes(b, this.lazyStart, this.lazyEnd, this.lazyAscii);
    const env = this.envelope(this.prep(line) ?? '', this.lazyLine);
    if (env === undefined || env === 'malformed') throw new Error('lazy record did not parse'); // cannot happen
    env.owned = true;
    this.pending = env;
  }

  /** pushInner's line clean-up (trailing CR, ANSI / backspace garbage, spinner prefix); undefined for blank lines. */
  private prep(raw: string): string | undefined {
    let s = raw;
    if (s.length && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    s = cleanLine(s);
    if (isBlank(s)) return undefined;
    return stripSpinnerPrefix(s);
  }

  private pushInner(raw: string, n: number): void {
    if (raw.indexOf('\x1b') >= 0 || raw.indexOf('\b') >= 0) {
      if (this.controlLines++ === 0) this.firstControlLine = n;
    }
    const s = this.prep(raw);
    if (s === undefined) {
      // A blank line is parsed but is no record: the lines after it still continue a cut record.
      if (this.cutParsed === this.parsed) this.cutParsed++;
      this.parsed++;
      return;
    }
    const env = this.envelope(s, n);
    if (env === undefined) {
      // Loki's own console text in a stdout capture (§5.4): not a line of the record above it
      const noise = consoleNoise(s, this.noiseLine === n - 1);
      if (noise !== undefined) {
        this.noiseLine = n;
        this.unparsedLine(n, `Loki console text, not a log record (${noise})`);
        return;
      }
      // Continuation of the previous record (§5 items 17, 25).
      if (this.lazyBuf) this.materialize();
      const p = this.pending;
      if (p && p.family !== 'rsjson' && p.message.length + s.length < MAX_RECORD_CHARS) {
        p.message += '\n' + s;
        p.ascii = false;
        p.fileAt = undefined;
        p.buf = undefined;
        (p.cont ??= []).push(n);
        if (!this.lineOwned) p.owned = false;
        return;
      }
      if (!p && this.cutLine > 0 && this.parsed === this.cutParsed) {
        // No record read since the cut envelope (only unparsed lines): this line continues the cut record.
        this.unparsedLine(n, `continuation of the malformed or truncated record at line ${this.cutLine}`);
        return;
      }
      this.unparsedLine(n, p ? 'continuation line exceeds the record size limit' : 'unrecognised line (no Loki record before it)');
      return;
    }
    if (env === 'malformed') {
      // The lines after a cut envelope continue it, not the record before it: that record is complete.
      this.flushPending();
      this.unparsedLine(n, 'malformed or truncated record envelope');
      this.cutLine = n;
      this.cutParsed = this.parsed;
      return;
    }
    if (this.lineOwned) env.owned = true;
    this.flushPending();
    if (env.family === 'rsjson') this.processRecord(env);
    else this.pending = env;
  }

  /** Finishes parsing (a parser made without a reader); idempotent. */
  finish(): LokiParseResult {
    if (this.store) throw new Error('columnar parser: use finishColumnar()');
    return this.finishAny() as LokiParseResult;
  }

  /** Finishes parsing (a parser made with a reader): the findings are the columnar store; idempotent. */
  finishColumnar(): LokiParseResult<FindingList> {
    if (!this.store) throw new Error('not a columnar parser: use finish()');
    const res = this.finishAny(); // first: it flushes the last record, which may add a row
    this.store.trim();
    return res;
  }

  private finishAny(): LokiParseResult<FindingList> {
    if (this.finished) return this.finished;
    try {
      this.flushPending();
    } catch (e) {
      /* flushPending reports its own lines; nothing else to do */
      void e;
    }
    this.consolidate();
    this.markNested();
    for (let i = 0; i < this.scans.length; i++) {
      this.checkReported(this.scans[i], this.states[i]);
      this.finalizeScan(this.scans[i], this.states[i]);
    }
    if (this.droppedErrors > 0) {
      this.errors.push({ file: this.file, line: 0, message: `${this.droppedErrors} ${MORE_UNPARSED_LINES}` });
    }
    if (this.controlLines > 0 && this.family !== 'rslegacy') {
      // A console capture (`loki.exe > file`) holds colour codes and spinner backspaces, removed to read the records;
      // a file name or host that held such bytes itself (attacker-chosen) is then shown without them. (Loki-RS's
      // flexi_logger files before 2.4 are coloured on every line by design: no warning for them.)
      const n = this.controlLines;
      this.warnings.push({
        file: this.file,
        line: this.firstControlLine,
        message: `${n === 1 ? '1 line holds' : `${n.toLocaleString('en-US')} lines hold`} terminal control sequences (ANSI colours or backspaces, as in a console capture): removed from the values read, so a path or host name that contained them is shown without them${n === 1 ? '' : ` (first at line ${this.firstControlLine})`}`,
      });
    }
    const moreForged = this.forgedKeys - MAX_PARTIAL_WARNINGS;
    if (moreForged > 0) this.warnings.push({ file: this.file, line: 0, message: `${moreForged} more file findings with two SCORE keys not listed (${this.forgedKeys} in all)` });
    const morePartial = this.partialRecords - MAX_PARTIAL_WARNINGS;
    if (morePartial > 0) this.warnings.push({ file: this.file, line: 0, message: `${morePartial} more partial records kept but not listed (${this.partialRecords} in all)` });
    const moreStarts = this.sameScanStarts - MAX_SAME_SCAN_WARNINGS;
    if (moreStarts > 0) {
      this.warnings.push({
        file: this.file,
        line: 0,
        message: `${moreStarts} more scan ${moreStarts === 1 ? 'start' : 'starts'} before the running scan ended counted as the same scan (not listed; ${this.sameScanStarts} in all)`,
      });
    }
    const moreBadValues = this.badValues - MAX_BAD_HASH_WARNINGS;
    if (moreBadValues > 0) this.warnings.push({ file: this.file, line: 0, message: `${moreBadValues} more invalid values not listed (${this.badValues} in all)` });
    const moreBadTimes = this.badTimes - MAX_BAD_HASH_WARNINGS;
    if (moreBadTimes > 0) this.warnings.push({ file: this.file, line: 0, message: `${moreBadTimes} more findings without a readable time not listed (${this.badTimes} in all)` });
    const moreEmpty = this.emptyModules - MAX_BAD_HASH_WARNINGS;
    if (moreEmpty > 0) this.warnings.push({ file: this.file, line: 0, message: `${moreEmpty} more lines with an empty MODULE column not listed (${this.emptyModules} in all)` });
    const moreBadHashes = this.badHashes - MAX_BAD_HASH_WARNINGS;
    if (moreBadHashes > 0) this.warnings.push({ file: this.file, line: 0, message: `${moreBadHashes} more invalid hashes left out of their findings (not listed; ${this.badHashes} in all)` });
    const moreMisfits = this.misfits - MAX_MISFIT_WARNINGS;
    if (moreMisfits > 0) {
      this.warnings.push({
        file: this.file,
        line: 0,
        message: `${moreMisfits} more scan ${moreMisfits === 1 ? 'start or end' : 'starts or ends'} that do not fit their scan (not listed; ${this.misfits} in all)`,
      });
    }
    this.finished = {
      file: this.file,
      format: this.format,
      encoding: this.encoding,
      lines: this.lineNo,
      bytes: this.bytes,
      scans: this.scans,
      findings: this.store ?? this.findings,
      errors: this.errors,
      parsedLines: this.parsed,
      unparsedLines: this.unparsed,
      warnings: this.warnings,
    };
    return this.finished;
  }

  // ---------------------------------------------------------------- envelopes (§0, §1.1, §3.1)

  private envelope(s: string, n: number): Envelope {
    if (this.family === undefined) {
      const fam = detectFamily(s);
      if (!fam) return undefined;
      const env = this.envelopeFor(fam, s, n);
      if (env && env !== 'malformed') {
        this.family = fam;
        this.format = env.format;
      }
      return env;
    }
    return this.envelopeFor(this.family, s, n);
  }

  private envelopeFor(fam: Family, s: string, n: number): Envelope {
    switch (fam) {
      case 'py':
        return this.pyEnvelope(s, n);
      case 'rs':
        return this.rsEnvelope(s, n);
      case 'rsjson':
        return this.jsonEnvelope(s, n);
      case 'rslegacy':
        return this.rsLegacyEnvelope(s, n);
    }
  }

  /** Python plain (all versions), CSV 5/4 columns, RFC 5424 syslog (§1.1, §1.3, §2.7). */
  private pyEnvelope(s: string, n: number): Envelope {
    if (s.charCodeAt(0) === 60 /* < */) return this.pySyslog(s, n);
    if (!isPyTs(s, 0)) return looksLikeEnvelopeStart(s) ? 'malformed' : undefined;
    const ts = parsePyTs(s, 0);
    const sep = s.charCodeAt(18);
    if (sep === 44 /* , */) {
      const c2 = s.indexOf(',', 19);
      const c3 = c2 < 0 ? -1 : s.indexOf(',', c2 + 1);
      if (c3 < 0) return 'malformed';
      const host = s.slice(19, c2);
      let level = s.slice(c2 + 1, c3);
      if (!LEVELS.has(level)) {
        level = level.toUpperCase();
        if (!LEVELS.has(level)) return 'malformed';
      }
      if (host.indexOf(' ') >= 0) return 'malformed';
      const c4 = s.indexOf(',', c3 + 1);
      let cols = 4;
      let module = '';
      let message: string;
      let emptyModule = false;
      if (c4 > c3 + 1) {
        const f4 = s.slice(c3 + 1, c4);
        if (PY_MODULES.has(f4) || (this.csvCols === 5 && isWord(f4))) {
          cols = 5;
          module = f4;
        }
      } else if (c4 === c3 + 1 && this.csvCols !== 4) {
        // An empty MODULE column (`TS,HOST,ALERT,,FILE: …`): Loki always writes one (§1.1), and no Loki message
        // starts with a comma, so this is a 5-column line whose module is read from its message (a warning says so).
        cols = 5;
        emptyModule = true;
      }
      if (emptyModule) {
        message = s.slice(c4 + 1);
        module = inferPyModule(message);
      } else if (cols === 5) message = s.slice(c4 + 1);
      else {
        message = s.slice(c3 + 1);
        // A 5-column file's line with nothing, or (part of) a module name, after TYPE: cut inside its envelope.
        if (this.csvCols === 5 && message.length <= 11 && cutWithin(message, PY_MODULES)) return 'malformed';
        module = inferPyModule(message);
      }
      if (this.csvCols === 0) this.csvCols = cols;
      const rec: Rec = { family: 'py', ts, host, level: level as LokiLevel, module, message, line: n, format: cols === 5 ? 'loki-csv' : 'loki-csv-stdout' };
      if (emptyModule) rec.emptyModule = true;
      return rec;
    }
    if (sep !== 32) return 'malformed';
    const hs = s.indexOf(' ', 19);
    if (hs < 0 || !s.startsWith('LOKI: ', hs + 1)) return 'malformed';
    return this.pyPlainRest(s, hs + 7, ts, s.slice(19, hs), n);
  }

  /** `LOKI: Type: MODULE: Mod MESSAGE: msg` and its older / colon-less variants (§1.3). */
  private pyPlainRest(s: string, k: number, ts: number, host: string, n: number): Envelope {
    let j = k;
    while (j < s.length) {
      const c = s.charCodeAt(j) | 0x20;
      if (c >= 97 && c <= 122) j++;
      else break;
    }
    const word = s.slice(k, j).toUpperCase();
    if (j > k && LEVELS.has(word)) {
      let mi = -1;
      if (s.startsWith(': MODULE: ', j)) mi = j + 10;
      else if (s.startsWith(' MODULE: ', j)) mi = j + 9; // unreleased colon-less variant (2019-08)
      if (mi >= 0) {
        const me = s.indexOf(' MESSAGE: ', mi);
        let module: string;
        let message: string;
        if (me >= 0) {
          module = s.slice(mi, me);
          message = s.slice(me + 10);
        } else if (s.endsWith(' MESSAGE:')) {
          module = s.slice(mi, s.length - 9);
          message = '';
        } else return 'malformed';
        return { family: 'py', ts, host, level: word as LokiLevel, module, message, line: n, format: 'loki-plain' };
      }
      if (s.startsWith(': ', j)) {
        const message = s.slice(j + 2);
        // `Type: ` then (part of) `MODULE:` or nothing: a 0.27+ line cut inside its envelope.
        if (message.length <= 7 && cutWithin(message, MODULE_KEY)) return 'malformed';
        return { family: 'py', ts, host, level: word as LokiLevel, module: inferPyModule(message), message, line: n, format: 'loki-plain-legacy' };
      }
    }
    // 0.10-0.17: no type at all — infer level and module from the message.
    const message = s.slice(k);
    // Nothing, or (part of) a type word such as `Aler` / `Alert:`: a line cut inside its envelope.
    if (message.length <= 9 && cutWithin(message, TYPE_WORDS)) return 'malformed';
    return {
      family: 'py', ts, host, level: inferPyLevel(message), module: inferPyModule(message), message, line: n,
      format: 'loki-plain-legacy', inferredLevel: true,
    };
  }

  /** `<PRI>1 ISO-TS HOST LOKI PID MSGID - [BOM]LOKI: Type: MODULE: ...` (§2.7); header stripped. */
  private pySyslog(s: string, n: number): Envelope {
    const gt = s.indexOf('>');
    if (gt < 2 || gt > 4 || !s.startsWith('1 ', gt + 1)) return undefined;
    // Six space-separated header tokens: VERSION TS HOST APP PROCID MSGID, then SD ('-').
    let p = gt + 1;
    const tok: string[] = [];
    for (let t = 0; t < 7; t++) {
      const sp = s.indexOf(' ', p);
      if (sp < 0) return 'malformed';
      tok.push(s.slice(p, sp));
      p = sp + 1;
    }
    if (s.charCodeAt(p) === 0xfeff) p++;
    if (!s.startsWith('LOKI: ', p)) return 'malformed';
    const ts = parseIsoTs(tok[1]);
    const env = this.pyPlainRest(s, p + 6, ts, tok[2], n);
    if (env && env !== 'malformed') {
      env.format = 'loki-plain';
      env.syslog = true;
      if (tok[4] !== '-') env.procId = tok[4];
      this.syslog = true;
    }
    return env;
  }

  /** Loki-RS plain: `YYYY-MM-DDTHH:MM:SSZ HOST LEVEL BODY` (§3.1). */
  private rsEnvelope(s: string, n: number): Envelope {
    if (!isIsoPrefix(s, 0)) return looksLikeEnvelopeStart(s) ? 'malformed' : undefined;
    if (s.charCodeAt(19) !== 90 || s.charCodeAt(20) !== 32) return 'malformed';
    const hs = s.indexOf(' ', 21);
    if (hs < 0) return 'malformed';
    const le = s.indexOf(' ', hs + 1);
    const level = s.slice(hs + 1, le < 0 ? s.length : le);
    if (!LEVELS.has(level)) return 'malformed';
    return {
      family: 'rs', ts: parseIsoTs(s.slice(0, 20)), host: s.slice(21, hs), level: level as LokiLevel, module: '',
      message: le < 0 ? '' : s.slice(le + 1), line: n, format: 'lokirs-plain',
    };
  }

  /** Loki-RS JSONL object per line (§3.2). Non-JSON lines are unparsed (as `loki-util` skips them). */
  private jsonEnvelope(s: string, n: number): Envelope {
    if (s.charCodeAt(0) !== 123) return 'malformed';
    let o: unknown;
    try {
      o = JSON.parse(s);
    } catch {
      return 'malformed';
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) return 'malformed';
    const obj = o as Record<string, unknown>;
    if (typeof obj.timestamp !== 'string' && typeof obj.event_type !== 'string') return 'malformed';
    // Loki-RS writes `timestamp` and `level` as strings on every line and `hostname` as a string from v2.4 (§3.2):
    // another value (a damaged or forged line) is read as far as it goes, with a warning at its line.
    const finding = obj.event_type === 'file_match' || obj.event_type === 'process_match';
    const lvl = typeof obj.level === 'string' ? obj.level.toUpperCase() : '';
    if (!LEVELS.has(lvl)) {
      this.badValue(
        n,
        `"level" ${jsonShown(obj.level)} is not a Loki-RS level (ALERT, WARNING, NOTICE, INFO, ERROR, DEBUG): ${
          finding ? "the finding's level is taken from its score" : 'the record is read as INFO'
        }`,
      );
    }
    const ts = typeof obj.timestamp === 'string' ? parseIsoTs(obj.timestamp) : NaN;
    if (!Number.isFinite(ts)) {
      const kept = finding ? 'the finding is kept without a time (not in the timeline)' : 'the record is kept without a time';
      this.badValue(n, `"timestamp" ${jsonShown(obj.timestamp)} is not an RFC 3339 time: ${kept}`);
    }
    const hostOk = typeof obj.hostname === 'string';
    // optional keys (Loki-RS omits them when unset): JSON null is the same as absent, no warning
    if (!hostOk && obj.hostname !== undefined && obj.hostname !== null) {
      const under = this.defaultHost ? `the host named in the file name (${this.defaultHost})` : 'its file (no host name)';
      this.badValue(n, `"hostname" ${jsonShown(obj.hostname)} is not a text: the record is kept under ${under}`);
    }
    return {
      family: 'rsjson',
      ts,
      host: hostOk && obj.hostname ? (obj.hostname as string) : this.defaultHost,
      level: (LEVELS.has(lvl) ? lvl : 'INFO') as LokiLevel,
      module: '',
      message: typeof obj.message === 'string' ? obj.message : this.noMessage(n, obj.message),
      line: n,
      json: obj,
      format: 'lokirs-jsonl',
    };
  }

  /**
   * A Loki-RS JSONL value of another JSON type than Loki-RS writes, as a warning `invalid value: <why>` at `line`
   * (the first {@link MAX_BAD_HASH_WARNINGS} per file; the rest are counted in one warning at line 0).
   */
  private badValue(line: number, why: string): void {
    if (++this.badValues <= MAX_BAD_HASH_WARNINGS) this.warnings.push({ file: this.file, line, message: `invalid value: ${why}` });
  }

  /** The message of a Loki-RS record whose `message` is no text: empty, with a warning unless it is absent or null. */
  private noMessage(line: number, v: unknown): string {
    if (v !== undefined && v !== null) this.badValue(line, `"message" ${jsonShown(v)} is not a text: the record is kept without its message`);
    return '';
  }

  /** Loki-RS alpha..2.3 flexi_logger: `[ISO-TS] LEVEL msg` (§3.8). */
  private rsLegacyEnvelope(s: string, n: number): Envelope {
    if (s.charCodeAt(0) !== 91 || !isIsoPrefix(s, 1)) return looksLikeEnvelopeStart(s) ? 'malformed' : undefined;
    const close = s.indexOf('] ', 20);
    if (close < 0 || close > 45) return 'malformed';
    const le = s.indexOf(' ', close + 2);
    const word = s.slice(close + 2, le < 0 ? s.length : le);
    const level = RS_LEGACY_LEVELS[word];
    if (!level) return 'malformed';
    return {
      family: 'rslegacy', ts: parseIsoTs(s.slice(1, close)), host: this.defaultHost, level, module: word,
      message: le < 0 ? '' : s.slice(le + 1), line: n, format: 'lokirs-legacy',
    };
  }

  // ---------------------------------------------------------------- records

  private flushPending(): void {
    if (this.lazyBuf) {
      // processRecord of an INFO/DEBUG record without a special message, in its current scan.
      this.lazyBuf = undefined;
      const st = this.states[this.lazyScan];
      st.lastLine = this.lazyLine;
      const ts = this.lazyTs;
      if (Number.isFinite(ts)) {
        if (!Number.isFinite(st.firstTs)) st.firstTs = ts;
        st.lastTs = ts;
      }
      this.parsed++;
      return;
    }
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.processRecord(p);
  }

  private processRecord(r: Rec): void {
    // Strings kept in the result must not pin the 1 MiB decoded chunk they were sliced from
    // (V8 sliced strings keep their parent alive), so retained records get a private copy first.
    if (!r.owned && (r.family === 'rslegacy' || (r.level !== 'INFO' && r.level !== 'DEBUG'))) r.message = detach(r.message);
    let ok: boolean;
    try {
      ok = this.dispatch(r);
    } catch (e) {
      ok = false;
      this.recordUnparsed(r, `internal parser error: ${(e as Error)?.message ?? e}`);
      return;
    }
    if (ok) this.parsed += 1 + (r.cont ? r.cont.length : 0);
    if (ok && r.emptyModule && ++this.emptyModules <= MAX_BAD_HASH_WARNINGS) {
      const as = r.module ? `read as ${r.module} from its message` : 'its message names none, read by its message alone';
      this.warnings.push({ file: this.file, line: r.line, message: `empty MODULE column: ${as}` });
    }
  }

  /** Returns false when the record was reported as unparsed (already counted). */
  private dispatch(r: Rec): boolean {
    switch (r.family) {
      case 'py':
        return this.processPy(r);
      case 'rs':
        return this.processRs(r);
      case 'rsjson':
        return this.processJson(r);
      case 'rslegacy':
        return this.processRsLegacy(r);
    }
  }

  private recordUnparsed(r: Rec, msg: string): void {
    this.unparsedLine(r.line, msg);
    if (r.cont) for (const l of r.cont) this.unparsedLine(l, `continuation of unparsable record at line ${r.line}`);
  }

  private unparsedLine(line: number, message: string): void {
    this.unparsed++;
    if (this.errors.length < MAX_LINE_ERRORS) this.errors.push({ file: this.file, line, message });
    else this.droppedErrors++;
  }

  /** Current scan for a record: the host's latest scan in this file (see {@link scanOfHost}), else a new one. */
  private scanFor(r: Rec): number {
    const i = this.scans.length - 1;
    if (i >= 0 && this.scans[i].host === r.host) return this.touch(i, r);
    return this.touch(this.scanOfHost.get(hostKey(r.host)) ?? this.newScan(r), r);
  }

  /** {@link scanFor} without touching the scan: for the rare lines that are checked against it first (scan ends). */
  private scanOf(r: Rec): number {
    const i = this.scans.length - 1;
    if (i >= 0 && this.scans[i].host === r.host) return i;
    return this.scanOfHost.get(hostKey(r.host)) ?? this.newScan(r);
  }

  private touch(i: number, r: Rec): number {
    const st = this.states[i];
    st.lastLine = r.line;
    if (Number.isFinite(r.ts)) {
      if (!Number.isFinite(st.firstTs)) st.firstTs = r.ts;
      st.lastTs = r.ts;
    }
    return i;
  }

  private newScan(r: Rec): number {
    const rs = r.family !== 'py';
    this.scans.push({
      host: this.intern(r.host),
      file: this.file,
      format: this.format === 'unknown' ? r.format : this.format,
      tool: rs ? 'loki-rs' : 'loki',
      verdict: 'incomplete',
      complete: false,
      alerts: 0,
      warnings: 0,
      notices: 0,
      messages: [],
      firstLine: r.line,
    });
    this.states.push({
      started: false, ended: false, interrupted: false, syslogEnd: false, firstTs: NaN, lastTs: NaN, resultSeen: false, lastLine: r.line, reportedLine: 0,
      startTs: NaN, prev: -1, endLine: 0, endCount: 0, lastEndLine: 0, blockStart: 0, blockMisfit: false, msgAlerts: 0, msgWarnings: 0, baseAlerts: 0, baseWarnings: 0,
      exactLine: 0, endExact: false, rebasedLine: 0,
    });
    const i = this.scans.length - 1;
    this.scanOfHost.set(hostKey(this.scans[i].host), i);
    return i;
  }

  /**
   * A scan-start line (§5 item 6). Returns the index of the scan it starts: the host's current scan in
   * this file when that scan has not started yet (records before any start line), else a new scan.
   *
   * Returns undefined — the line starts no scan, and neither it nor its time changes any — when the host's scan
   * in this file started and has not ended yet (no `Results:` / RESULT / `Finished LOKI Scan` /
   * `scan_end` line, not interrupted): the start is counted as part of that running scan, with a
   * warning at its line. Loki writes file names and YARA matches raw, so a line break in one can add
   * a `Starting Loki Scan` line of the host in the middle of its scan; as a new scan it would set the
   * real findings before it aside (only the latest scan of a host is shown by default). A crashed scan
   * followed by a rerun in the same file (no trailer in between) is merged the same way: its findings
   * are all shown, possibly twice, never hidden.
   *
   * A start after the host's scan ended opens a new scan (a genuine rescan, interrupted scans included) unless it
   * does not fit as the start of a new run ({@link startMisfit}: dated before the scan's last record, findings of
   * that scan after its end, another host named in `SYSTEM:`, the same syslog process id): then the end before it
   * was forged too, and the start is counted as part of that scan the same way, with a warning. A new scan
   * remembers the scan it follows: {@link consolidate} merges them back when the new scan's own lines prove the
   * start forged.
   */
  private startScan(r: Rec): number | undefined {
    let i = this.scans.length - 1;
    if (i < 0 || this.scans[i].host !== r.host) i = this.scanOfHost.get(hostKey(r.host)) ?? -1;
    let prev = -1;
    if (i >= 0 && this.states[i].ended) {
      const why = this.startMisfit(i, r);
      if (why !== undefined) {
        this.misfit(r.line, `scan start at line ${r.line} after the end of the scan that began at line ${this.scans[i].firstLine} does not fit (${why}): counted as the same scan (a line forged by a line break in a logged file name or match, or logs joined out of order)`);
        this.sameScanFrom(i, r);
        return undefined;
      }
      prev = i;
      i = this.newScan(r);
    } else if (i >= 0 && this.states[i].started) {
      if (++this.sameScanStarts <= MAX_SAME_SCAN_WARNINGS) {
        this.warnings.push({
          file: this.file,
          line: r.line,
          message: `scan start at line ${r.line} before the scan that began at line ${this.scans[i].firstLine} ended: counted as the same scan (a rerun after a crash, or a line forged by a line break in a logged file name or match)`,
        });
      }
      // Its time is not the scan's (a forged line may carry any): the scan's start, end and version stay.
      this.sameScanFrom(i, r);
      return undefined;
    } else if (i < 0) i = this.newScan(r);
    const st = this.states[i];
    st.started = true;
    st.prev = prev;
    st.startTs = r.ts;
    if (r.procId !== undefined) st.procId = r.procId;
    return this.touch(i, r);
  }

  /**
   * A start line counted as part of scan `i`: it starts nothing, but Loki's counts at the end of a rerun cover the
   * lines from here on (those of a forged start cover more, which is fine: see pyEnd).
   */
  private sameScanFrom(i: number, r: Rec): void {
    const st = this.states[i];
    st.lastLine = r.line;
    st.rebasedLine = r.line;
    const read = this.readCounts(i);
    st.baseAlerts = read.alerts;
    st.baseWarnings = read.warnings;
  }

  /**
   * Why a start line of the host does not fit as the start of a new run after its scan `i` (in this file) ended,
   * or undefined when it does. A new run is a new process that starts after the last one ended: its start is not
   * dated before that scan's last record, no finding or message of that scan follows that scan's end (Loki writes
   * nothing after its `Finished LOKI Scan` / `scan_end`), Python's `SYSTEM:` names the line's host (both are
   * Loki's `getHostname()`), and a syslog line's PROCID differs from that scan's.
   */
  private startMisfit(i: number, r: Rec): string | undefined {
    const st = this.states[i];
    if (Number.isFinite(r.ts) && Number.isFinite(st.lastTs) && r.ts < st.lastTs) return `dated ${isoTime(r.ts)}, before that scan's last record at ${isoTime(st.lastTs)}`;
    const more = this.recordCount(i) - st.endCount;
    if (more > 0) return `its end at line ${st.endLine} is followed by ${more} more of its findings or messages`;
    if (r.family === 'py') {
      const sys = this.systemMisfit(r);
      if (sys !== undefined) return sys;
    }
    if (r.procId !== undefined && r.procId === st.procId) return `the same process id ${shortText(r.procId)} as that scan`;
    return undefined;
  }

  /** Python start / finish line whose `SYSTEM: <host>` is not the line's host (not checked on syslog lines, whose host is the header's). */
  private systemMisfit(r: Rec): string | undefined {
    if (r.syslog) return undefined;
    const k = r.message.indexOf(' SYSTEM: ');
    if (k < 0) return undefined;
    const e = r.message.indexOf(' ', k + 9);
    const sys = r.message.slice(k + 9, e < 0 ? r.message.length : e);
    return hostKey(sys) === hostKey(r.host) ? undefined : `SYSTEM: ${shortText(sys)} is not the line's host ${shortText(r.host)}`;
  }

  /**
   * Why a scan-end line (Python `Results:` / RESULT / `Finished LOKI Scan` / interruption, Loki-RS scan end / abort)
   * does not fit scan `si`, or undefined when it does: it is not dated before the scan's last record, and a syslog
   * line comes from the scan's process (its start line's PROCID). The callers add their own checks (counts, verdict,
   * `SYSTEM:`).
   */
  private endMisfit(si: number, r: Rec): string | undefined {
    const st = this.states[si];
    if (Number.isFinite(r.ts) && Number.isFinite(st.lastTs) && r.ts < st.lastTs) return `dated ${isoTime(r.ts)}, before the scan's last record at ${isoTime(st.lastTs)}`;
    if (r.procId !== undefined && st.procId !== undefined && r.procId !== st.procId) return `process id ${shortText(r.procId)}, the scan's is ${shortText(st.procId)}`;
    return undefined;
  }

  /**
   * The scan-end line `r` (already applied to scan `si`) ends the scan when it fits (`why` undefined) and so did
   * every end line of its trailer block — Loki writes its `Results:`, RESULT, `Finished LOKI Scan` lines one after
   * the other, so end lines of a scan at most 5 lines apart are one block. A block with a line that does not fit
   * ends nothing (the scan stays as it was before the block, running or ended by an earlier block), with one
   * warning at its first such line.
   */
  private endIf(si: number, r: Rec, why: string | undefined): void {
    const st = this.states[si];
    const sameBlock = st.lastEndLine > 0 && r.line - st.lastEndLine <= 5;
    if (!sameBlock) {
      st.blockStart = r.line;
      st.blockMisfit = false;
    }
    st.lastEndLine = r.line;
    if (why !== undefined) {
      if (!st.blockMisfit) {
        this.misfit(r.line, `scan end at line ${r.line} does not fit the scan that began at line ${this.scans[si].firstLine} (${why}): not taken as its end, a start line after it does not open a new scan (a line forged by a line break in a logged file name or match, or logs joined out of order)`);
      }
      st.blockMisfit = true;
      if (st.ended && st.endLine >= st.blockStart) st.ended = false; // ended by a line of this very block
      return;
    }
    if (st.blockMisfit) return;
    st.ended = true;
    st.endLine = r.line;
    st.endCount = this.recordCount(si);
    st.endExact = st.exactLine > 0 && st.exactLine >= st.blockStart;
  }

  /** Findings and messages of scan `si`. */
  private recordCount(si: number): number {
    const sc = this.scans[si];
    return sc.alerts + sc.warnings + sc.notices + sc.messages.length;
  }

  /** The scan's ALERT and WARNING lines read (findings and messages), as Loki counts them. */
  private readCounts(si: number): { alerts: number; warnings: number } {
    const sc = this.scans[si];
    const st = this.states[si];
    return { alerts: sc.alerts + st.msgAlerts, warnings: sc.warnings + st.msgWarnings };
  }

  /** {@link readCounts} since the scan's latest start line (see ScanState.baseAlerts): what Loki's own counters at its end cover at least. */
  private readSinceStart(si: number): { alerts: number; warnings: number } {
    const r = this.readCounts(si);
    const st = this.states[si];
    return { alerts: r.alerts - st.baseAlerts, warnings: r.warnings - st.baseWarnings };
  }

  /** Notes Loki's own counts `rep` at line `r` when they differ from what was read for scan `si` (see consolidate). */
  private noteCounts(si: number, r: Rec, rep: { alerts: number; warnings: number }, read: { alerts: number; warnings: number }): void {
    if (rep.alerts !== read.alerts || rep.warnings !== read.warnings) {
      this.states[si].mismatch = { line: r.line, alerts: rep.alerts, warnings: rep.warnings, readAlerts: read.alerts, readWarnings: read.warnings };
    } else this.states[si].mismatch = undefined;
  }

  /** A warning about a scan start / end that does not fit (capped per file, see {@link MAX_MISFIT_WARNINGS}). */
  private misfit(line: number, message: string): void {
    if (++this.misfits <= MAX_MISFIT_WARNINGS) this.warnings.push({ file: this.file, line, message });
  }

  private readonly interned = new Map<string, string>();

  /** Shared, detached copy of short repeated strings (host, module). */
  private intern(s: string): string {
    let v = this.interned.get(s);
    if (v === undefined) {
      v = detach(s);
      if (this.interned.size < 10000) this.interned.set(v, v);
    }
    return v;
  }

  private addMessage(si: number, r: Rec, level?: LokiLevel): void {
    const lvl = level ?? r.level;
    if (lvl === 'ALERT') this.states[si].msgAlerts++;
    else if (lvl === 'WARNING') this.states[si].msgWarnings++;
    this.scans[si].messages.push({
      level: lvl,
      module: this.intern(r.module),
      timestamp: r.ts,
      message: r.level === 'INFO' || r.level === 'DEBUG' ? detach(r.message) : r.message,
      source: { file: this.file, line: r.line },
    });
  }

  private addFinding(si: number, r: Rec, level: FindingLevel, module: string, b: FindingBody): void {
    const f = findingFromBody(this.scans[si].host, level, this.intern(module), r.ts, r.message, this.file, r.line, si, b);
    this.pushFinding(si, r, level, b.truncated, f);
  }

  private pushFinding(si: number, r: Rec, level: FindingLevel, truncated: string | undefined, f: LokiFinding | undefined): void {
    if (f !== undefined) {
      if (this.store) this.store.addObject(f);
      else this.findings.push(f);
    }
    // A Loki-RS JSONL record's unreadable timestamp is said once, by its envelope (rsJsonEnvelope).
    if (!Number.isFinite(r.ts) && !r.json && ++this.badTimes <= MAX_BAD_HASH_WARNINGS) this.warnings.push({ file: this.file, line: r.line, message: badTimeMessage() });
    const sc = this.scans[si];
    if (level === 'ALERT') sc.alerts++;
    else if (level === 'WARNING') sc.warnings++;
    else sc.notices++;
    if (truncated) {
      if (++this.partialRecords <= MAX_PARTIAL_WARNINGS) this.warnings.push({ file: this.file, line: r.line, message: `partial record (${truncated})` });
    }
  }

  /**
   * Columnar mode: a `FILE:` finding of an ASCII record goes to the store as its message and
   * positions (the same values as parseFileFinding + addFinding, built on demand). Returns
   * undefined (nothing done) when the record cannot be stored so; 'unparsed' when it has no SCORE.
   */
  private storeFileFinding(r: Rec, si: number, lvl: FindingLevel, module: string): 'stored' | 'unparsed' | undefined {
    const st = this.store;
    if (st === undefined || !this.columnar || r.fileAt === undefined || r.ascii !== true || r.inferredLevel || !st.acceptsModule(module)) return undefined;
    const msg = r.message;
    const row = st.nextRow();
    const sl = st.slotRows;
    const nu = st.numRows;
    const sb = row * FF_SLOTS;
    const nb = row * FF_NUMS;
    // The WebAssembly locator when this thread has one (same row; ./loki-wasm.ts): the message where it was read when
    // that is a chunk of the locator's memory (ReadBuffers), else copied there.
    const wl = this.locator;
    const loaded = wl !== undefined && r.buf !== undefined && wl.use(r.buf, r.bufAt!, r.bufAt! + msg.length);
    if (!(loaded ? wl.locate(sl, nu, sb, nb) : locateFileFinding(msg, sl, nu, sb, nb, r.buf, r.bufAt))) return 'unparsed';
    const pathEnd = sl[sb + FF_PATH_END];
    let path: string;
    let hash: number;
    if (r.buf !== undefined) {
      // Looked up by the bytes; a new path is decoded from them (not a slice of the message, which is not kept).
      const ps = r.bufAt! + 6;
      hash = loaded ? wl.pathHash(6, pathEnd) : pathHashBytes(r.buf, ps, ps + pathEnd - 6);
      path = this.texts.paths.fromBytes(r.buf, ps, ps + pathEnd - 6, hash);
    } else {
      const raw = msg.slice(6, pathEnd);
      hash = pathHash(raw);
      path = this.texts.paths.text(raw, hash, true); // never the slice: the message is not kept
    }
    const r1 = sl[sb + FF_R1];
    // Own copies: a reason (or memo key) sliced from the message would keep the whole message alive.
    const memo = this.texts.reasonLists;
    const memoSize = memo.size;
    const reasons = r1 >= 0 ? fileFindingReasons(msg, r1, this.texts, true) : [];
    this.checkLaterScore(r, msg, pathEnd, laterScoreKeyOfFile(msg, pathEnd, r1, reasons, this.texts, memo.size !== memoSize, loaded ? wl : undefined));
    const trunc = sl[sb + FF_TRUNC];
    st.addFile(this.scans[si].host, lvl, this.intern(module), r.ts, r.fileAt, msg.length, r.line, si, path, hash, nu[nb + FF_SCORE], reasons);
    const last = reasons.length > 0 ? reasons[reasons.length - 1] : undefined;
    // A last reason without SUBSCORE or rule (not so in complete 0.27+ reasons): perhaps cut (reasonCut).
    const cut = last !== undefined && (last.subscore === undefined || last.rule === '') ? this.reasonCut(r, si, reasons) : undefined;
    this.pushFinding(si, r, lvl, trunc > 0 ? FF_TRUNC_TEXT[trunc] : cut, undefined);
    return 'stored';
  }

  // ---------------------------------------------------------------- Python messages (§2)

  private processPy(r: Rec): boolean {
    const msg = r.message;
    const lvl = r.level;
    // The common case first: a file finding (none of the checks below matches a `FILE: ` message).
    if (msg.charCodeAt(0) === 70 && (lvl === 'ALERT' || lvl === 'WARNING' || lvl === 'NOTICE') && msg.startsWith('FILE: ')) return this.pyFileFinding(r, this.scanFor(r), lvl);
    if (msg.startsWith('Starting Loki Scan')) {
      const si = this.startScan(r);
      if (si === undefined) return true;
      const sc = this.scans[si];
      const v = versionFrom(msg);
      if (v) sc.lokiVersion = detach(v);
      const t = timeValue(msg);
      sc.scanStart = Number.isFinite(t) ? t : Number.isFinite(r.ts) ? r.ts : undefined;
      return true;
    }
    // Scan ends are checked against the scan before they touch it (see endMisfit).
    if (lvl === 'RESULT' || msg.startsWith('Results: ') || msg.startsWith('Finished LOKI Scan') || msg.startsWith("LOKI's work has been interrupted by a human")) {
      const done = this.pyEnd(r);
      if (done !== undefined) return done;
    }
    const si = this.scanFor(r);
    if (lvl === 'ERROR' || lvl === 'CRITICAL') {
      this.addMessage(si, r);
      return true;
    }
    if (!FINDING_LEVELS.has(lvl)) return true; // INFO / DEBUG noise
    return this.pyFinding(r, si, lvl as FindingLevel);
  }

  /**
   * A Python scan-end line (§2.5): the `Results:` counters, a RESULT verdict, `Finished LOKI Scan`, or the
   * interruption (Ctrl-C). What it says is taken as before (the verdict, Loki's counts, the end time: the last one
   * wins), but it ends the scan — so that a start line after it may open a new scan — only when it fits the scan
   * ({@link endMisfit}, and: `Results:` counts at least the ALERT / WARNING lines read since the scan's latest start
   * line, as Loki counts every line it logs; a verdict that agrees with those lines; `SYSTEM:` naming the line's
   * host); otherwise a warning at its line ({@link endIf}). Returns undefined for a line that is no scan end
   * after all (a RESULT recommendation text, a `Results: ` message without counts): processPy handles it as any
   * other line.
   */
  private pyEnd(r: Rec): boolean | undefined {
    const msg = r.message;
    if (r.level === 'RESULT') {
      const v: LokiScan['verdict'] | undefined = msg.startsWith('Indicators detected')
        ? 'indicators'
        : msg.startsWith('Suspicious objects detected')
          ? 'suspicious'
          : msg.startsWith('SYSTEM SEEMS TO BE CLEAN')
            ? 'clean'
            : undefined;
      if (v === undefined) return undefined; // the recommendation lines: ignored
      const si = this.scanOf(r);
      const why = this.endMisfit(si, r) ?? this.verdictMisfit(si, v);
      this.touch(si, r);
      const sc = this.scans[si];
      sc.verdict = v;
      sc.complete = true;
      this.states[si].resultSeen = true;
      this.endIf(si, r, why);
      return true;
    }
    if (msg.startsWith('Results: ')) {
      const rep = parsePyResults(msg);
      if (!rep) {
        // counts that are no whole numbers of at most 15 digits (`-1 alerts`, 26 digits): said, not dropped silently —
        // the verdict is then not checked against Loki's count (review: a forged count hid no warning)
        if (/^Results: [-+]?\d/.test(msg) && this.warnings.length < MAX_LINE_ERRORS)
          this.warnings.push({ file: this.file, line: r.line, message: `Loki's Results line not read: its counts are not whole numbers of at most 15 digits ("${msg.slice(0, 120)}"); the host's verdict is not checked against it` });
        return undefined;
      }
      const si = this.scanOf(r);
      const read = this.readSinceStart(si);
      this.noteCounts(si, r, rep, read);
      this.states[si].exactLine = rep.alerts === read.alerts && rep.warnings === read.warnings ? r.line : 0;
      const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
      const why =
        this.endMisfit(si, r) ??
        (rep.alerts < read.alerts || rep.warnings < read.warnings
          ? `it counts ${n(rep.alerts, 'alert')} and ${n(rep.warnings, 'warning')}, ${n(read.alerts, 'alert')} and ${n(read.warnings, 'warning')} were read`
          : undefined);
      this.touch(si, r);
      this.scans[si].reported = rep;
      this.states[si].reportedLine = r.line;
      if (r.syslog) this.states[si].syslogEnd = true;
      this.endIf(si, r, why);
      return true;
    }
    const si = this.scanOf(r);
    if (msg.startsWith('Finished LOKI Scan')) {
      const why = this.endMisfit(si, r) ?? this.systemMisfit(r);
      this.touch(si, r);
      const sc = this.scans[si];
      const t = timeValue(msg);
      sc.scanEnd = Number.isFinite(t) ? t : Number.isFinite(r.ts) ? r.ts : undefined;
      sc.complete = true;
      if (r.syslog) this.states[si].syslogEnd = true;
      this.endIf(si, r, why);
      return true;
    }
    // LOKI's work has been interrupted by a human.
    this.interrupt(si, r);
    return true;
  }

  /** Scan `si` interrupted by the user at record `r` (Python's Ctrl-C line, Loki-RS `Scan aborted by user.`): an end, when it fits. */
  private interrupt(si: number, r: Rec): void {
    const why = this.endMisfit(si, r);
    this.touch(si, r);
    this.states[si].interrupted = true;
    this.addMessage(si, r);
    this.endIf(si, r, why);
  }

  /** Why a RESULT verdict does not fit scan `si` (see pyEnd): Loki's verdict follows its counters (§2.5), which count every ALERT / WARNING line. */
  private verdictMisfit(si: number, v: LokiScan['verdict']): string | undefined {
    const read = this.readSinceStart(si);
    if ((v === 'clean' && read.alerts + read.warnings > 0) || (v === 'suspicious' && read.alerts > 0)) {
      const text = v === 'clean' ? 'SYSTEM SEEMS TO BE CLEAN' : 'Suspicious objects detected';
      return `"${text}" after ${read.alerts} ${read.alerts === 1 ? 'alert' : 'alerts'} and ${read.warnings} ${read.warnings === 1 ? 'warning' : 'warnings'} were read`;
    }
    return undefined;
  }

  /** ALERT/WARNING/NOTICE Python lines: finding, scan message or ignored (see file header). */
  private pyFinding(r: Rec, si: number, lvl: FindingLevel): boolean {
    if (r.message.startsWith('FILE: ')) return this.pyFileFinding(r, si, lvl);
    return this.pyOtherFinding(r, si, lvl);
  }

  /** A `FILE: ` finding of an ALERT/WARNING/NOTICE Python line (see {@link pyFinding}). */
  private pyFileFinding(r: Rec, si: number, lvl: FindingLevel): boolean {
    const msg = r.message;
    const mod = r.module;
    const stored = this.storeFileFinding(r, si, lvl, mod || 'FileScan');
    if (stored === 'stored') return true;
    if (stored === 'unparsed') {
      this.recordUnparsed(r, unparsedFindingReason(msg, 'file'));
      return false;
    }
    const b = parseFileFinding(msg, this.texts);
    if (!b) {
      this.recordUnparsed(r, unparsedFindingReason(msg, 'file'));
      return false;
    }
    const pathEnd = 6 + (b.path ?? '').length;
    this.checkLaterScore(r, msg, pathEnd, laterScoreKey(msg, pathEnd + 8));
    const last = b.reasons.length > 0 ? b.reasons[b.reasons.length - 1] : undefined;
    // A last reason without SUBSCORE or rule (not so in complete 0.27+ reasons): perhaps cut (reasonCut).
    if (last !== undefined && (last.subscore === undefined || last.rule === '') && b.truncated === undefined) b.truncated = this.reasonCut(r, si, b.reasons);
    // Typeless legacy lines: level from the SCORE with the default thresholds 100/60/40 (§2.1).
    const level = r.inferredLevel && b.score !== undefined ? (b.score >= 100 ? 'ALERT' : b.score >= 60 ? 'WARNING' : 'NOTICE') : lvl;
    this.addFinding(si, r, level, mod || 'FileScan', b);
    return true;
  }

  /**
   * Warns (the first {@link MAX_PARTIAL_WARNINGS} per file, then one count) when the `FILE:` message of record `r`, whose
   * path was read up to `pathEnd`, has another ` SCORE: <n> TYPE: ` after the one read, at `later` (-1: none; {@link laterScoreKey}
   * from `pathEnd + 8`): a file name that copies Loki's keys can make up the path, SCORE, hashes and reasons shown (the
   * finding is kept as read; its whole line is its message).
   */
  private checkLaterScore(r: Rec, msg: string, pathEnd: number, later: number): void {
    if (later >= 0) this.warnLaterScore(r, msg.slice(6, pathEnd), later, msg);
  }

  /** The warning of {@link checkLaterScore} (Loki-RS plain too): `later` is the index of the second `SCORE: ` in `msg`, -1 for none. */
  private warnLaterScore(r: Rec, path: string, later: number, msg: string): void {
    if (later < 0) return;
    if (++this.forgedKeys > MAX_PARTIAL_WARNINGS) return;
    const shown = (t: string) => JSON.stringify(t.length > 80 ? `${t.slice(0, 79)}…` : t);
    let e = later + 7;
    while (e < msg.length && e - later < 22 && msg.charCodeAt(e) >= 48 && msg.charCodeAt(e) <= 57) e++;
    this.warnings.push({
      file: this.file,
      line: r.line,
      message: `file finding with two SCORE keys: read as path ${shown(path)}, but ${shown(msg.slice(later, e))} follows — a file name that copies Loki's keys can forge the path, SCORE, hashes and reasons read; check the line`,
    });
  }

  /**
   * An ALERT/WARNING/NOTICE Python line whose message is nothing or (part of) `FILE:`: a finding cut
   * right after its envelope. Nothing of it can be kept: reported as unparsed (ending before its path).
   */
  private cutFileKey(r: Rec): boolean {
    this.recordUnparsed(r, unparsedFindingReason(r.message, 'file'));
    return false;
  }

  /**
   * The `truncated` text of a `FILE:` finding of record `r` (scan `si`) whose last reason misses a key
   * that its kind always has (§2.2: SUBSCORE; the ORIGINAL name of a Levenshtein reason; the SCORE
   * of a script anomaly), or that is nothing or the start of a reason
   * prefix (`File Name IO`): a line cut inside that reason. Only for Loki versions that write SUBSCORE:
   * the 0.27+ layouts (`LOKI: Type: MODULE:` lines, 5-column CSV), a scan started by 0.27 or later,
   * or another reason of the finding with a SUBSCORE. Undefined when the reason is complete.
   */
  private reasonCut(r: Rec, si: number, reasons: readonly LokiReason[]): string | undefined {
    const last = reasons[reasons.length - 1];
    let cut: boolean;
    switch (last.kind) {
      case 'yara':
      case 'filename-ioc':
      case 'hash-ioc':
        cut = last.subscore === undefined;
        break;
      case 'levenshtein':
        cut = last.subscore === undefined || last.rule === '';
        break;
      case 'anomaly':
        cut = last.subscore === undefined;
        break;
      default:
        cut = last.subscore === undefined && cutWithin(last.raw, PY_REASON_PREFIXES);
    }
    if (!cut) return undefined;
    let writesSubscore = r.format === 'loki-csv' || (r.format === 'loki-plain' && !r.syslog) || versionAtLeast(this.scans[si].lokiVersion, 0, 27);
    for (let i = 0; !writesSubscore && i < reasons.length - 1; i++) writesSubscore = reasons[i].subscore !== undefined && reasons[i].kind !== 'anomaly';
    return writesSubscore ? `record ends inside REASON_${reasons.length}` : undefined;
  }

  /** Any other ALERT/WARNING/NOTICE Python line (see {@link pyFinding}). */
  private pyOtherFinding(r: Rec, si: number, lvl: FindingLevel): boolean {
    const msg = r.message;
    const mod = r.module;
    const module = mod || 'ProcessScan';
    // --- non-detections
    // `Error getting all process information…` (ALERT) and `Too many matches on process memory - most likely a false
    // positive <process_info>` (WARNING, Loki's own doubt: more than 5 memory rules hit) are no detections (§5 item 29)
    if (msg.startsWith('Error getting all process information') || msg.startsWith('Too many matches on process memory')) {
      this.addMessage(si, r);
      return true;
    }
    if (msg.startsWith('Connection output threshold reached') || msg.startsWith('PE-Sieve reported no anomalies') || msg.startsWith('PE-Sieve successfully initialized')) {
      return true;
    }
    if (mod === 'Init' || mod === 'Update' || mod === 'Upgrader' || mod === 'Results' || mod === 'FileScan') {
      if (mod === 'FileScan' && msg.length < 6 && cutWithin(msg, FILE_KEY)) return this.cutFileKey(r);
      if (lvl !== 'NOTICE') this.addMessage(si, r);
      return true;
    }
    const pid = indexOfKeyDigits(msg, 'PID: ', 0);
    // --- memory YARA: `Yara Rule MATCH: <rule> <process_info>` (§2.3)
    if (msg.startsWith('Yara Rule MATCH: ') && pid > 0) {
      const b: FindingBody = { kind: 'process', reasons: [] };
      parseProcessInfo(msg, pid, b);
      b.reasons.push({ kind: 'yara', rule: msg.slice(17, pid).trim(), raw: msg.slice(0, pid).trim() });
      this.addFinding(si, r, lvl, module, b);
      return true;
    }
    // --- C2 and connections (§2.4)
    if (msg.startsWith('Malware Domain/IP match in remote address') && pid > 0) {
      const b: FindingBody = { kind: 'connection', reasons: [] };
      const desc = parseConnection(msg, pid, b);
      const reason: LokiReason = { kind: 'c2', rule: b.ip ?? '', raw: msg };
      if (desc !== undefined) reason.description = desc;
      b.reasons.push(reason);
      this.addFinding(si, r, lvl, module, b);
      return true;
    }
    if ((msg.startsWith('Established connection') || msg.startsWith('Established conenction') || msg.startsWith('Listening ')) && pid > 0) {
      const b: FindingBody = { kind: 'connection', reasons: [] };
      parseConnection(msg, pid, b);
      if (msg.startsWith('Listening on Port 0')) b.reasons.push({ kind: 'anomaly', rule: 'Listening on Port 0', raw: msg.slice(0, pid).trim() });
      this.addFinding(si, r, lvl, module, b);
      return true;
    }
    // --- filename IOC on a process command line (§2.3)
    if (msg.startsWith('File Name IOC matched PATTERN: ') || msg.startsWith('File Name Suspicious IOC matched PATTERN: ')) {
      const ps = msg.indexOf('PATTERN: ') + 9;
      const di = msg.indexOf(' DESC: ', ps);
      const mi = msg.lastIndexOf(' MATCH: ');
      const reason: LokiReason = { kind: 'filename-ioc', rule: msg.slice(ps, di >= 0 ? di : mi > ps ? mi : msg.length), raw: msg };
      if (di >= 0) reason.description = msg.slice(di + 7, mi > di ? mi : msg.length).trim();
      const b: FindingBody = { kind: 'process', reasons: [reason] };
      if (mi > ps) b.commandLine = msg.slice(mi + 8).trim();
      this.addFinding(si, r, lvl, module, b);
      return true;
    }
    // --- other process findings (anomalies, PE-Sieve, SKELETON KEY, ...)
    if (pid > 0 && msg.indexOf(' NAME: ', pid) > 0) {
      const b: FindingBody = { kind: 'process', reasons: [] };
      parseProcessInfo(msg, pid, b);
      const text = msg.slice(0, pid).trim();
      b.reasons.push({ kind: 'anomaly', rule: text, raw: text });
      this.addFinding(si, r, lvl, module, b);
      return true;
    }
    if (r.inferredLevel) return true;
    if (msg.length < 6 && cutWithin(msg, FILE_KEY)) return this.cutFileKey(r);
    // --- anything else at a finding level (VulnChecker, Rootkit, WMIScan, unknown): kind 'other'.
    const rule = msg.length > 160 ? msg.slice(0, 160) : msg;
    this.addFinding(si, r, lvl, mod || 'Other', { kind: 'other', reasons: [{ kind: 'other', rule, raw: msg }] });
    return true;
  }

  // ---------------------------------------------------------------- Loki-RS plain (§3.1)

  private processRs(r: Rec): boolean {
    const msg = r.message;
    if (msg.startsWith('Loki-RS scan started') || msg.startsWith('Loki scan started')) {
      const si = this.startScan(r);
      if (si === undefined) return true;
      const v = versionFrom(msg);
      if (v) this.scans[si].lokiVersion = detach(v);
      this.scans[si].scanStart = Number.isFinite(r.ts) ? r.ts : undefined;
      return true;
    }
    if (msg.startsWith('Match: ')) {
      const si = this.scanFor(r);
      const b = parseRsMatch(msg);
      if (!b) {
        this.recordUnparsed(r, unparsedFindingReason(msg, 'rs-match'));
        return false;
      }
      const pathEnd = 7 + (b.path ?? '').length;
      this.warnLaterScore(r, msg.slice(7, pathEnd), laterRsScoreKey(msg, pathEnd + 8), msg);
      const lvl = FINDING_LEVELS.has(r.level) ? (r.level as FindingLevel) : rsLevelFromScore(b.score);
      this.addFinding(si, r, lvl, b.kind === 'process' ? 'ProcessScan' : 'FileScan', b);
      return true;
    }
    // scan ends are checked against the scan before they touch it (see endMisfit)
    if (msg.startsWith('Loki-RS scan finished') || msg.startsWith('Loki scan finished')) return this.rsEnd(r, msg);
    if (msg.startsWith('Scan aborted by user')) return this.rsAbort(r);
    if ((r.level === 'ALERT' || r.level === 'WARNING') && msg.length < 7 && cutWithin(msg, RS_MATCH_KEY)) {
      // Nothing, or (part of) `Match:`, after the level: a match cut inside its envelope.
      this.scanFor(r);
      this.recordUnparsed(r, unparsedFindingReason(msg, 'rs-match'));
      return false;
    }
    const si = this.scanFor(r);
    if (r.level === 'ERROR' || r.level === 'CRITICAL' || r.level === 'WARNING' || r.level === 'ALERT') this.addMessage(si, r);
    return true;
  }

  /**
   * Loki-RS scan end (plain `Loki-RS scan finished. Summary …`, JSONL `scan_end`, legacy `Scan finished`): taken as
   * before, and it ends the scan when it fits it ({@link endMisfit}; Loki-RS's counters are not compared, as what
   * they count is not documented line by line; see {@link endIf}). Always "parsed" (true).
   */
  private rsEnd(r: Rec, text: string): boolean {
    const si = this.scanOf(r);
    const why = this.endMisfit(si, r);
    this.touch(si, r);
    const sc = this.scans[si];
    const rep = parseRsSummary(text);
    if (rep) {
      sc.reported = rep;
      this.states[si].reportedLine = r.line;
      const read = this.readSinceStart(si);
      // only more than read is a mismatch here (Loki-RS may count less than its message lines, see checkReported)
      this.noteCounts(si, r, rep, rep.alerts > read.alerts || rep.warnings > read.warnings ? read : rep);
      // exact: its matches at least (the lines read less every message of the scan), its lines read at most
      const st = this.states[si];
      const fits = (k: number, most: number, msgs: number) => k <= most && k >= most - msgs;
      st.exactLine = fits(rep.alerts, read.alerts, st.msgAlerts) && fits(rep.warnings, read.warnings, st.msgWarnings) ? r.line : 0;
    } else this.states[si].exactLine = 0;
    sc.scanEnd = Number.isFinite(r.ts) ? r.ts : undefined;
    sc.complete = true;
    this.endIf(si, r, why);
    return true;
  }

  /** Loki-RS `Scan aborted by user.`: the scan is interrupted (see {@link rsEnd}). */
  private rsAbort(r: Rec): boolean {
    this.interrupt(this.scanOf(r), r);
    return true;
  }

  // ---------------------------------------------------------------- Loki-RS JSONL (§3.2)

  private processJson(r: Rec): boolean {
    const o = r.json!;
    const et = typeof o.event_type === 'string' ? o.event_type : '';
    const ctx = o.context && typeof o.context === 'object' && !Array.isArray(o.context) ? (o.context as Record<string, unknown>) : undefined;
    if (!ctx && o.context !== undefined && o.context !== null) this.badValue(r.line, `"context" ${jsonShown(o.context)} is not an object: the record is kept without it`);
    // a null context value is absent (not the text "null")
    const ctxText = ctx ? Object.keys(ctx).filter((k) => ctx[k] !== null && ctx[k] !== undefined).map((k) => `${k}: ${jsonValueText(ctx[k])}`).join(' ') : '';
    if (et === 'scan_start') {
      const si = this.startScan(r);
      if (si === undefined) return true;
      let v = versionFrom(r.message);
      if (!v && ctx) {
        const cv = ctx.VERSION ?? ctx.version;
        if (typeof cv === 'string' && cv) v = cv;
      }
      if (v) this.scans[si].lokiVersion = detach(v);
      this.scans[si].scanStart = Number.isFinite(r.ts) ? r.ts : undefined;
      return true;
    }
    if (et === 'file_match' || et === 'process_match') {
      const si = this.scanFor(r);
      const b = rsJsonFinding(
        o,
        (why) => {
          if (++this.badHashes <= MAX_BAD_HASH_WARNINGS) this.warnings.push({ file: this.file, line: r.line, message: `invalid hash: ${why}` });
        },
        (why) => this.badValue(r.line, why),
      );
      const lvl = FINDING_LEVELS.has(r.level) ? (r.level as FindingLevel) : rsLevelFromScore(b.score);
      this.addFinding(si, r, lvl, et === 'process_match' ? 'ProcessScan' : 'FileScan', b);
      return true;
    }
    // scan ends are checked against the scan before they touch it (see endMisfit)
    if (et === 'scan_end') return this.rsEnd(r, r.message + ' ' + ctxText);
    if (r.message.startsWith('Scan aborted by user')) return this.rsAbort(r);
    const si = this.scanFor(r);
    if (et === 'error' || r.level === 'ERROR' || r.level === 'WARNING' || r.level === 'ALERT' || r.level === 'CRITICAL') {
      this.addMessage(si, ctxText ? { ...r, message: r.message ? `${r.message} ${ctxText}` : ctxText } : r);
    }
    return true;
  }

  // ---------------------------------------------------------------- Loki-RS legacy (§3.8, best effort)

  private processRsLegacy(r: Rec): boolean {
    const msg = r.message;
    // Findings first: a logged path may contain any words (`/home/u/Starting Loki/miner`).
    let lvl: FindingLevel | undefined;
    let body = msg;
    for (const w of ['ALERT ', 'WARNING ', 'NOTICE '] as const) {
      if (msg.startsWith(w)) {
        lvl = w.trim() as FindingLevel;
        body = msg.slice(w.length);
        break;
      }
    }
    if (!lvl && msg.indexOf('match found') >= 0) {
      lvl = r.level === 'ERROR' ? 'ALERT' : r.level === 'WARNING' ? 'WARNING' : 'NOTICE';
    }
    if (!lvl && RS_LEGACY_START.test(msg)) {
      const started = this.startScan(r);
      if (started === undefined) return true;
      const m = /(?:VERSION:?\s*v?|\bv)(\d+\.\d+[\w.-]*)/.exec(msg);
      if (m) this.scans[started].lokiVersion = detach(m[1]);
      this.scans[started].scanStart = Number.isFinite(r.ts) ? r.ts : undefined;
      return true;
    }
    if (!lvl && RS_LEGACY_END.test(msg)) return this.rsEnd(r, msg);
    const si = this.scanFor(r);
    if (lvl) {
      const b = parseRsLegacyFinding(body);
      if (b) {
        this.addFinding(si, r, lvl, 'FileScan', b);
        return true;
      }
      const pidIdx = indexOfKeyDigits(body, 'PID: ', 0);
      const fb: FindingBody = { kind: pidIdx >= 0 ? 'process' : 'other', reasons: [] };
      if (pidIdx >= 0) fb.pid = readInt(body, pidIdx + 5)[0];
      const first = body.split('\n')[0].trim();
      fb.reasons.push({ kind: 'other', rule: first, raw: body });
      this.addFinding(si, r, lvl, pidIdx >= 0 ? 'ProcessScan' : 'Other', fb);
      return true;
    }
    if (r.level === 'ERROR' || r.level === 'WARNING') this.addMessage(si, r);
    return true;
  }

  // ---------------------------------------------------------------- finish

  /**
   * Merges back, once the whole file is read, the scans that forged lines opened (only the rare scan starts and ends
   * did any work for this while reading):
   *
   * 1. A scan opened by a start after the end of the host's previous scan in this file (see startScan) is part of
   *    that scan when its own lines prove the start forged: its records end before its start line's time (a forged
   *    start dated later than the scan it interrupts, say 2030), or Loki's own counts at its end (`Results:`,
   *    Loki-RS scan end) differ from the alerts and warnings read after the start while the scan before holds
   *    findings (a new run counts only its own lines; these counts include the lines before the forged start), or it
   *    has no end of its own and the end before it has no Loki counts of exactly the alerts and warnings read in the
   *    scan before while that scan holds findings (a forged trailer cannot see how many lines Loki logged before it;
   *    Loki's own trailer has those counts — a real rerun after a scan interrupted with Ctrl-C, or after one that
   *    lost a line, that itself never ended is merged too: all findings shown). The
   *    merged scan keeps the first scan's start, version and first line and takes the later one's end, verdict and
   *    counts (the first one's end was forged).
   * 2. In a log written by Loki itself (no syslog line, not JSONL: one host's lines), a scan of another host whose
   *    lines all lie inside a host's scan (that scan has lines before and after) is part of that scan: a line
   *    break in a value that host logged forged them, and as a scan of its own (with or without a start line, dated
   *    later) it would set aside that other host's real scan in another file. Its findings are that scan's, under
   *    its host. A central syslog capture (several hosts at once) and JSONL (no raw line break) are left as read.
   *
   * Each merge is a warning at the merged scan's first line; findings are moved to the scan they join.
   */
  private consolidate(): void {
    const n = this.scans.length;
    if (n < 2) return;
    const into = new Int32Array(n);
    for (let i = 0; i < n; i++) into[i] = i;
    const root = (i: number): number => {
      while (into[i] !== i) i = into[i];
      return i;
    };
    let merged = false;
    // 1. forged starts after an end
    for (let j = 0; j < n; j++) {
      const st = this.states[j];
      if (st.prev < 0) continue;
      const i = root(st.prev);
      const why = this.forgedStart(i, j);
      if (why === undefined) continue;
      this.misfit(this.scans[j].firstLine, `scan start at line ${this.scans[j].firstLine} after the end of the scan that began at line ${this.scans[i].firstLine} does not fit (${why}): counted as the same scan (a line forged by a line break in a logged file name or match, or logs joined out of order)`);
      const forgedEnd = st.ended && this.recordCount(j) > st.endCount; // Loki logs nothing after its end
      this.mergeScan(i, j, true);
      if (forgedEnd) this.dropEnd(i);
      into[j] = i;
      merged = true;
    }
    // 2. another host's lines inside a host's scan of a one-host log
    if (!this.syslog && this.family !== 'rsjson') {
      let best = -1; // the scan reaching furthest so far
      let other = -1; // the one reaching furthest among other hosts than best's
      for (let j = 0; j < n; j++) {
        if (into[j] !== j) continue;
        const key = hostKey(this.scans[j].host);
        const last = this.states[j].lastLine;
        const outer = best >= 0 && hostKey(this.scans[best].host) !== key ? best : other;
        if (outer >= 0 && this.states[outer].lastLine > last) {
          const sc = this.scans[j];
          const host = this.scans[outer].host;
          this.misfit(sc.firstLine, `lines of ${shortText(sc.host)} at ${last > sc.firstLine ? `lines ${sc.firstLine}-${last}` : `line ${last}`} lie inside the scan of ${shortText(host)} that began at line ${this.scans[outer].firstLine}, in a log of one host: counted as part of that scan (a line break in a value ${shortText(host)} logged can forge them)`);
          this.mergeScan(outer, j, false);
          into[j] = outer;
          merged = true;
          continue;
        }
        if (best < 0 || last > this.states[best].lastLine) {
          if (best >= 0 && hostKey(this.scans[best].host) !== key) other = best;
          best = j;
        } else if (hostKey(this.scans[best].host) !== key && (other < 0 || last > this.states[other].lastLine)) other = j;
      }
    }
    if (!merged) return;
    // Keep the roots in order; every finding moves to its root's new index (and host).
    const map = new Int32Array(n);
    const scans: LokiScan[] = [];
    const states: ScanState[] = [];
    for (let i = 0; i < n; i++) {
      if (into[i] !== i) continue;
      map[i] = scans.length;
      scans.push(this.scans[i]);
      states.push(this.states[i]);
    }
    for (let i = 0; i < n; i++) map[i] = map[root(i)];
    const hostOf = scans.map((sc) => sc.host);
    this.scans.length = 0;
    this.states.length = 0;
    for (let k = 0; k < scans.length; k++) {
      this.scans.push(scans[k]);
      this.states.push(states[k]);
    }
    if (this.store) this.store.remapScans(map, hostOf);
    else {
      for (const f of this.findings) {
        const s = f.scanIndex;
        if (!(s >= 0 && s < n)) continue;
        f.scanIndex = map[s];
        f.host = hostOf[map[s]];
      }
    }
  }

  /** Why scan `j`, opened by a start after the end of scan `i` of its host, is part of `i` (see consolidate), or undefined. */
  private forgedStart(i: number, j: number): string | undefined {
    const st = this.states[j];
    if (Number.isFinite(st.startTs) && Number.isFinite(st.lastTs) && st.lastTs < st.startTs) {
      return `the lines after it end at ${isoTime(st.lastTs)}, before its own time ${isoTime(st.startTs)}`;
    }
    const m = st.mismatch;
    const before = this.readCounts(i);
    const held = before.alerts + before.warnings + this.scans[i].notices;
    const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
    if (m && held > 0) {
      return `Loki's counts at line ${m.line}, ${n(m.alerts, 'alert')} and ${n(m.warnings, 'warning')}, are not the ${n(m.readAlerts, 'alert')} and ${n(m.readWarnings, 'warning')} read after it, and the scan before it holds ${n(held, 'finding')}`;
    }
    // No end of its own (Loki's trailer missing: killed, cut short, or the rest of the scan a forged start cut in
    // two; an end followed by more of its records is none: Loki logs nothing after its end, so a forged one): only
    // the end before it can prove a new run, by Loki's counts of exactly the lines read in that scan, which a forged
    // trailer cannot know. JSONL lines cannot be forged by a line break.
    const after = st.ended ? this.recordCount(j) - st.endCount : 0;
    const si = this.states[i];
    if ((!st.ended || after > 0) && !(si.endExact && si.rebasedLine === 0) && held > 0 && this.family !== 'rsjson') {
      const own = after > 0 ? `its end at line ${st.endLine} is followed by ${after} more of its findings or messages` : 'it has no end of its own';
      const counts = si.rebasedLine > 0 && si.endExact ? `counts only the lines since the start at line ${si.rebasedLine}, counted as part of that scan` : 'has no Loki counts of exactly the alerts and warnings read in that scan';
      return `${own}, and the end of the scan before it at line ${si.endLine} ${counts}, which holds ${n(held, 'finding')}`;
    }
    return undefined;
  }

  /** Scan `si`'s end was forged (records of it follow): it has none, so no verdict or Loki counts (see consolidate). */
  private dropEnd(si: number): void {
    const sc = this.scans[si];
    const st = this.states[si];
    sc.verdict = 'incomplete';
    sc.complete = false;
    sc.reported = undefined;
    sc.scanEnd = undefined;
    st.resultSeen = false;
    st.interrupted = false;
    st.syslogEnd = false;
    st.ended = false;
    st.endExact = false;
    st.reportedLine = 0;
    st.mismatch = undefined;
  }

  /**
   * Scan `j` becomes part of scan `i` (see consolidate): counts and messages are added, the lines span both. With
   * `takeEnd` (j is the rest of i after a forged start), i takes j's end: verdict, completeness, Loki's counts, end
   * time and what startScan / forgedStart read of it. Otherwise (another host's forged lines inside i) i keeps its own.
   */
  private mergeScan(i: number, j: number, takeEnd: boolean): void {
    const a = this.scans[i];
    const b = this.scans[j];
    const sa = this.states[i];
    const sb = this.states[j];
    a.alerts += b.alerts;
    a.warnings += b.warnings;
    a.notices += b.notices;
    if (b.messages.length > 0) {
      // both in line order: keep it (another host's lines lie between i's)
      const ma = a.messages;
      const mb = b.messages;
      const out: typeof ma = [];
      let x = 0;
      let y = 0;
      while (x < ma.length || y < mb.length) out.push(y >= mb.length || (x < ma.length && ma[x].source.line <= mb[y].source.line) ? ma[x++] : mb[y++]);
      a.messages = out;
    }
    sa.msgAlerts += sb.msgAlerts;
    sa.msgWarnings += sb.msgWarnings;
    if (sb.lastLine > sa.lastLine) sa.lastLine = sb.lastLine;
    if (!takeEnd) return;
    a.verdict = b.verdict;
    a.complete = b.complete;
    a.reported = b.reported;
    a.scanEnd = b.scanEnd;
    sa.reportedLine = sb.reportedLine;
    sa.resultSeen = sb.resultSeen;
    sa.interrupted = sb.interrupted;
    sa.syslogEnd = sb.syslogEnd;
    sa.ended = sb.ended;
    sa.endLine = sb.endLine;
    sa.endCount = sb.endCount;
    sa.mismatch = sb.mismatch;
    // its end's counts are of the lines since a start proven forged: no proof of a new run after it
    sa.exactLine = 0;
    sa.endExact = false;
    sa.lastTs = sb.lastTs;
    if (!Number.isFinite(sa.firstTs)) sa.firstTs = sb.firstTs;
  }

  /**
   * Sets `LokiScan.within` on each scan with a start line whose records all lie inside another host's
   * scan of this file (one pass over the scans in order of their first line: the scan reaching
   * furthest so far, and the one reaching furthest among other hosts than that one's).
   */
  private markNested(): void {
    let best = -1; // scan with the greatest lastLine so far
    let other = -1; // greatest lastLine among scans of another host than `best`
    for (let i = 0; i < this.scans.length; i++) {
      const sc = this.scans[i];
      const st = this.states[i];
      const key = hostKey(sc.host);
      if (st.started) {
        const outer = best >= 0 && hostKey(this.scans[best].host) !== key ? best : other;
        if (outer >= 0 && this.states[outer].lastLine > st.lastLine) sc.within = { host: this.scans[outer].host, line: this.scans[outer].firstLine };
      }
      if (best < 0 || st.lastLine > this.states[best].lastLine) {
        // `other` stays the furthest among hosts other than this one's (the old best's, when of another host)
        if (best >= 0 && hostKey(this.scans[best].host) !== key) other = best;
        best = i;
      } else if (hostKey(this.scans[best].host) !== key && (other < 0 || st.lastLine > this.states[other].lastLine)) other = i;
    }
  }

  /**
   * Loki's own counts against what was read: when the scan's trailer (`Results: N alerts, M warnings`,
   * Loki-RS scan end) reports more alerts or warnings than the scan's records hold (the scan's start
   * line being in the file), a warning at that line says so. Loki counts every ALERT / WARNING line it logs, so the lines read at those levels are
   * compared (findings and the scan's messages). A finding whose line lost its SCORE (a line break in
   * a logged path forges the next line) is an unparsed line, and the scan would otherwise show fewer
   * alerts than Loki found without a word.
   */
  private checkReported(sc: LokiScan, st: ScanState): void {
    const rep = sc.reported;
    // A scan without its start line in this file (a capture that began mid-scan) lacks lines by nature.
    if (!rep || st.reportedLine <= 0 || !st.started) return;
    let alerts = sc.alerts;
    let warnings = sc.warnings;
    for (const m of sc.messages) {
      if (m.level === 'ALERT') alerts++;
      else if (m.level === 'WARNING') warnings++;
    }
    const moreAlerts = rep.alerts > alerts;
    const moreWarnings = rep.warnings > warnings;
    if (!moreAlerts && !moreWarnings) return;
    const n = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
    const said = [moreAlerts ? n(rep.alerts, 'alert') : '', moreWarnings ? n(rep.warnings, 'warning') : ''].filter(Boolean).join(' and ');
    const read = moreAlerts && moreWarnings ? `${n(alerts, 'alert')} and ${n(warnings, 'warning')} were read` : `${moreAlerts ? alerts : warnings} ${(moreAlerts ? alerts : warnings) === 1 ? 'was' : 'were'} read`;
    const hint = this.unparsed > 0 ? 'see the unparsed lines' : 'lines of the scan are missing from the log';
    this.warnings.push({ file: this.file, line: st.reportedLine, message: `Loki reported ${said} in this scan, ${read} (${hint})` });
  }

  private finalizeScan(sc: LokiScan, st: ScanState): void {
    if (sc.scanStart === undefined && Number.isFinite(st.firstTs)) sc.scanStart = st.firstTs;
    if (sc.scanEnd === undefined && Number.isFinite(st.lastTs)) sc.scanEnd = st.lastTs;
    if (sc.tool === 'loki') {
      // Python: the RESULT line gives the verdict; no result block → incomplete (§5 item 5).
      if (st.resultSeen) return;
      if (st.syslogEnd && !st.interrupted) {
        // Remote syslog sends no RESULT line (§2.7): a scan that reached its end (`Results:` / `Finished LOKI
        // Scan`) gets the verdict its RESULT line gives (§2.5: any ALERT, else any WARNING, else clean), from
        // Loki's counters or the ALERT / WARNING lines read (findings and messages), whichever is higher.
        const a = Math.max(sc.reported ? sc.reported.alerts : 0, sc.alerts + st.msgAlerts);
        const w = Math.max(sc.reported ? sc.reported.warnings : 0, sc.warnings + st.msgWarnings);
        sc.verdict = a > 0 ? 'indicators' : w > 0 ? 'suspicious' : 'clean';
        sc.complete = true;
        return;
      }
      sc.verdict = 'incomplete';
      if (st.interrupted) sc.complete = false;
      return;
    }
    // Loki-RS: derive from the scan_end counters, else from the recomputed findings. A scan aborted by the user
    // (`Scan aborted by user.`, then its normal scan end, §3.1) did not finish: incomplete whatever its counts, as a
    // Python scan interrupted with Ctrl-C (§5 item 5).
    if (!sc.complete || st.interrupted) {
      sc.verdict = 'incomplete';
      sc.complete = false;
      return;
    }
    const a = sc.reported ? sc.reported.alerts : sc.alerts;
    const w = sc.reported ? sc.reported.warnings : sc.warnings;
    sc.verdict = a > 0 ? 'indicators' : w > 0 ? 'suspicious' : 'clean';
  }
}

// ------------------------------------------------------------------ helpers

/** Epoch ms as `2021-10-13T22:11:03Z` (in warnings). */
function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString().replace(/\.000Z$/, 'Z') : String(ms);
}

/** A value read from the log (host name, process id) as put into a warning: at most 100 characters. */
function shortText(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

/**
 * Returns a copy of `s` that does not reference the (large) string it was sliced from: the cons
 * string `' ' + s` is flattened into a new buffer by `.slice(1)` in V8.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

type RawBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/** Valid UTF-8 bytes → string (latin1 copy when all bytes are ASCII: same string, faster). */
function decodeBytes(b: Buffer, s: number, e: number, ascii: boolean): string {
  return ascii ? (b as RawBuffer).latin1Slice(s, e) : (b as RawBuffer).utf8Slice(s, e);
}

const LEVEL_NAMES: LokiLevel[] = ['ALERT', 'WARNING', 'NOTICE', 'INFO', 'ERROR', 'DEBUG', 'RESULT', 'CRITICAL'];

/** The level of {@link LEVEL_NAMES} with first letter c (they all differ), else undefined. */
const LEVEL_BY_FIRST: (LokiLevel | undefined)[] = (() => {
  const t: (LokiLevel | undefined)[] = new Array(256).fill(undefined);
  for (const l of LEVEL_NAMES) t[l.charCodeAt(0)] = l;
  return t;
})();

/**
 * A field of a CSV envelope as little-endian 32-bit words: its bytes and the comma that ends it (`n` bytes), the last
 * word padded with zero bytes; `span` = 4 × words, the bytes {@link sameField} reads.
 */
interface FieldWords {
  readonly words: Int32Array;
  readonly n: number;
  readonly span: number;
}

/** The {@link FieldWords} of the bytes `b[s, e)` and a comma. */
function fieldWords(b: Uint8Array, s: number, e: number): FieldWords {
  const n = e - s + 1;
  const words = new Int32Array((n + 3) >> 2);
  for (let k = 0; k < n; k++) words[k >> 2] |= (k < n - 1 ? b[s + k] : 44) << (8 * (k & 3));
  return { words, n, span: words.length * 4 };
}

/** Masks of the first 0–3 bytes of a little-endian word. */
const REST_MASK = [0, 0xff, 0xffff, 0xffffff];

/**
 * True when `v` holds the bytes of `f` at `at` (the field and its comma), compared a word at a time. The caller
 * checks `at + f.span <= v.byteLength` (the last word's padding is masked off: the bytes after the comma may be anything).
 */
function sameField(v: DataView, at: number, f: FieldWords): boolean {
  const w = f.words;
  const full = f.n >> 2;
  for (let k = 0; k < full; k++) if (v.getInt32(at + 4 * k, true) !== w[k]) return false;
  const r = f.n & 3;
  return r === 0 || (v.getInt32(at + 4 * full, true) & REST_MASK[r]) === w[full];
}

/** Most modules a parser keeps decoded (see LokiLineParser's `moduleCache`). */
const MODULE_CACHE = 16;

/** The view of no buffer (see LokiLineParser's `view`). */
const EMPTY_VIEW: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/** `0000` as a little-endian word (the first date a parser compares with, see dateW0). */
const DIGITS_WORD = 0x30303030;

/** The {@link FieldWords} of each level of {@link LEVEL_NAMES} (with its comma), by its first letter. */
const LEVEL_FIELDS: (FieldWords | undefined)[] = (() => {
  const t: (FieldWords | undefined)[] = new Array(256).fill(undefined);
  for (const l of LEVEL_NAMES) t[l.charCodeAt(0)] = fieldWords(Buffer.from(l, 'latin1'), 0, l.length);
  return t;
})();

/** The level spelled exactly by `b[s, e)`, else undefined. */
function levelOf(b: Buffer, s: number, e: number): LokiLevel | undefined {
  const l = e > s ? LEVEL_BY_FIRST[b[s]] : undefined;
  return l !== undefined && sameAscii(l, b, s, e) ? l : undefined;
}

/** True when bytes `b[s, e)` spell the ASCII string `str`. */
function sameAscii(str: string, b: Buffer, s: number, e: number): boolean {
  if (str.length !== e - s) return false;
  for (let i = 0; i < str.length; i++) if (b[s + i] !== str.charCodeAt(i)) return false;
  return true;
}

/**
 * Loki-RS legacy (flexi_logger) scan start / end messages, matched at the start of the message only
 * (`Loki-RS scan started VERSION: 2.3.1-beta`, `Loki-RS scan finished. …`; the alpha "Loki2" builds:
 * `Loki scan started`, `LOKI scan started`, `Starting Loki …`, `Scan finished` / `Scan completed`).
 * A message that merely mentions such words (`Skipping /tmp/scan completed`) starts or ends nothing.
 */
const RS_LEGACY_START = /^(?:(?:loki(?:-rs|2)? )?scan start(?:ed|ing)?\b|starting loki\b)/i;
const RS_LEGACY_END = /^(?:(?:loki(?:-rs|2)? )?scan (?:finished|completed)\b|finished (?:loki )?scan\b)/i;

/** Message prefixes processPy acts on for every level (see processPy). */
const SPECIAL_PY = ['Starting Loki Scan', 'Results: ', 'Finished LOKI Scan', "LOKI's work has been interrupted by a human"].map((p) => Buffer.from(p, 'latin1'));

/** 1 for the first byte of a {@link SPECIAL_PY} prefix. */
const SPECIAL_PY_FIRST = (() => {
  const t = new Uint8Array(256);
  for (const p of SPECIAL_PY) t[p[0]] = 1;
  return t;
})();

function startsWithSpecialPy(b: Buffer, s: number, e: number): boolean {
  if (s >= e || SPECIAL_PY_FIRST[b[s]] === 0) return false;
  for (const p of SPECIAL_PY) {
    if (e - s < p.length) continue;
    let k = 0;
    while (k < p.length && b[s + k] === p[k]) k++;
    if (k === p.length) return true;
  }
  return false;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0 && c !== 0xfeff) return false;
  }
  return true;
}

function isWord(s: string): boolean {
  if (s.length === 0 || s.length > 40) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  }
  return true;
}

/**
 * True when `head` (a file's first bytes) starts with a Loki line of a known family (§0): such a file
 * is read as text even when NULs from logged values (a YARA match, a command line) make the bytes
 * look binary; a file that only starts with NULs or other bytes stays binary.
 */
export function looksLikeLokiLog(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  const nl = text.indexOf('\n');
  let first = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
  if (first.startsWith('\u00ef\u00bb\u00bf')) first = first.slice(3); // a UTF-8 BOM as latin1
  return first.length > 0 && detectFamily(first) !== undefined;
}

/** Family of the first recognisable line (§0). */
function detectFamily(s: string): Family | undefined {
  const c = s.charCodeAt(0);
  if (c === 123 /* { */) return s.indexOf('"timestamp"') >= 0 || s.indexOf('"event_type"') >= 0 ? 'rsjson' : undefined;
  if (c === 91 /* [ */) return isIsoPrefix(s, 1) ? 'rslegacy' : undefined;
  if (isPyTs(s, 0)) return 'py';
  if (isIsoPrefix(s, 0)) return 'rs';
  if (c === 60 /* < */ && /^<\d{1,3}>1 \S+ \S+ LOKI /.test(s.slice(0, 200))) return 'py';
  return undefined;
}

/**
 * What a line without an envelope is when it is Loki's own console output in a stdout capture (loki-format.md §5.4:
 * `Cannot print certain characters to command line - …`, `Cannot print line to log file …`, a Python traceback),
 * or undefined for a continuation of the record above it. `afterNoise`: the line before was such text (a
 * traceback's `File "…", line N` lines, its indented source lines and its closing `…Error: …` line follow).
 */
function consoleNoise(s: string, afterNoise: boolean): string | undefined {
  if (s.startsWith('Cannot print')) return 'a print error';
  if (s.startsWith('Traceback (most recent call last)')) return 'a Python traceback';
  if (afterNoise && (/^\s/.test(s) || /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b/.test(s))) return 'a Python traceback';
  return undefined;
}

/** A line that starts like a record envelope (timestamp) but did not parse: not a continuation. */
function looksLikeEnvelopeStart(s: string): boolean {
  if (s.length >= 9 && isDigit(s, 0) && isDigit(s, 7) && s.charCodeAt(8) === 84 && /^\d{8}T/.test(s)) return true;
  if (s.length >= 11 && /^\d{4}-\d{2}-\d{2}T/.test(s)) return true;
  if (s.length >= 12 && /^\[\d{4}-\d{2}-\d{2}T/.test(s)) return true;
  return false;
}

/** `TIME: 20211013T22:11:03Z` inside start/finish lines → epoch ms (NaN if absent). */
function timeValue(msg: string): number {
  const i = msg.indexOf('TIME: ');
  return i < 0 ? NaN : parsePyTs(msg, i + 6);
}

/** `Results: a alerts, w warnings, n notices` (§2.5). */
function parsePyResults(msg: string): { alerts: number; warnings: number; notices: number } | undefined {
  const [a, e1] = readInt(msg, 9);
  if (e1 === 9 || !msg.startsWith(' alerts, ', e1)) return undefined;
  const [w, e2] = readInt(msg, e1 + 9);
  if (e2 === e1 + 9 || !msg.startsWith(' warnings, ', e2)) return undefined;
  const [n, e3] = readInt(msg, e2 + 11);
  if (e3 === e2 + 11) return undefined;
  return { alerts: a, warnings: w, notices: n };
}

function rsLevelFromScore(score: number | undefined): FindingLevel {
  // Loki-RS default thresholds: alert 80 / warning 60 / notice 40 (§3.4).
  if (score !== undefined && score >= 80) return 'ALERT';
  if (score !== undefined && score >= 60) return 'WARNING';
  return 'NOTICE';
}

/** Title-case type words of plain lines, with their colon (§1.1). */
const TYPE_WORDS = ['Alert:', 'Warning:', 'Notice:', 'Info:', 'Error:', 'Debug:', 'Result:', 'Critical:'];

/**
 * `text` (trailing blanks aside) is nothing or the start of one of `words` (`Al` of `Alert:`, `File Name IO` of a
 * reason prefix): the line was cut there, inside its envelope or a reason.
 */
function cutWithin(text: string, words: Iterable<string>): boolean {
  const t = text.trimEnd();
  for (const w of words) if (w.startsWith(t)) return true;
  return false;
}
const FILE_KEY = ['FILE:'];
const MODULE_KEY = ['MODULE:'];
const RS_MATCH_KEY = ['Match:'];

/** How the Python reason kinds start (§2.2). */
const PY_REASON_PREFIXES = [
  'Yara Rule MATCH: ', 'File Name IOC matched PATTERN: ', 'File Name Suspicious IOC matched PATTERN: ', 'Malware Hash TYPE: ',
  'Suspicious Hash TYPE: ', 'Levenshtein check', 'Anomaly detected',
];

/** Version text `v` (`0.51.1`, `v0.30.0`) is `major.minor` or later; false when absent or unreadable. */
function versionAtLeast(v: string | undefined, major: number, minor: number): boolean {
  const m = v === undefined ? null : /^v?(\d+)\.(\d+)/.exec(v);
  if (!m) return false;
  const a = Number(m[1]);
  return a > major || (a === major && Number(m[2]) >= minor);
}

/** Module for layouts without a MODULE field (pre-0.27 plain, 4-column CSV). */
function inferPyModule(msg: string): string {
  if (msg.startsWith('FILE: ') || msg.startsWith('Scanning Path') || msg.startsWith('Cannot YARA scan')) return 'FileScan';
  if (msg.startsWith('Results: ') || msg.startsWith('Finished LOKI Scan') || msg.startsWith('Indicators detected') ||
      msg.startsWith('Suspicious objects detected') || msg.startsWith('SYSTEM SEEMS TO BE CLEAN') ||
      msg.startsWith('Loki recommends') || msg.startsWith('Please report false positives')) return 'Results';
  if (msg.startsWith('Starting Loki Scan') || msg.indexOf(' initialized with ') >= 0 || msg.startsWith('Initializ') ||
      msg.startsWith('Setting LOKI process') || msg.startsWith('Current user')) return 'Init';
  if (msg.startsWith('PE-Sieve')) return msg.indexOf(' PID: ') >= 0 ? 'ProcessScan' : 'PESieve';
  if (indexOfKeyDigits(msg, 'PID: ', 0) >= 0 || msg.startsWith('Malware Domain/IP match') || msg.startsWith('File Name IOC matched') ||
      msg.startsWith('File Name Suspicious IOC matched') || msg.startsWith('Error getting all process information')) return 'ProcessScan';
  return '';
}

/** Level for 0.10-0.17 plain lines, which carry no type (best effort). */
function inferPyLevel(msg: string): LokiLevel {
  if (msg.startsWith('FILE: ')) return 'WARNING'; // refined from SCORE in pyFinding
  if (msg.startsWith('Indicators detected') || msg.startsWith('Suspicious objects detected') || msg.startsWith('SYSTEM SEEMS TO BE CLEAN')) return 'RESULT';
  if (msg.startsWith('Yara Rule MATCH: ') || msg.startsWith('Malware Domain/IP match')) return 'ALERT';
  if (msg.startsWith('Results: ') || msg.startsWith('Starting Loki Scan') || msg.startsWith('Finished LOKI Scan')) return 'NOTICE';
  if (/^error\b/i.test(msg)) return 'ERROR';
  return 'INFO';
}

/**
 * Parses a whole text (tests, small inputs). Lines are split on `\n` (a trailing `\r` is removed);
 * a final empty segment after the last line break is not a line. Same result shape as
 * {@link parseLokiFile}. `intern`: see {@link LokiLineParser}.
 */
export function parseLokiText(text: string, file: string, intern?: LokiIntern): LokiParseResult {
  const p = new LokiLineParser(file, undefined, intern);
  p.bytes = Buffer.byteLength(text, 'utf8');
  let start = 0;
  const len = text.length;
  while (start < len) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      p.push(text.slice(start));
      break;
    }
    p.push(text.slice(start, nl));
    start = nl + 1;
  }
  return p.finish();
}

/** Bytes per read of a Loki file (see parseLokiFile). */
const READ_CHUNK = LOKI_READ_CHUNK;
/**
 * Size of a file's first read, which is synchronous: small, so that most bytes are read by the
 * thread pool (on another core) while the parser works; parsing it takes longer than the thread
 * pool needs for the next {@link READ_CHUNK} from the page cache, so the parser does not wait.
 */
const FIRST_READ = 1 << 18;
/** Size of the read at the known end of a file (it only finds out whether the file grew). */
const GROWTH_PROBE = 1 << 16;
/**
 * A file whose first bytes are binary (`sniffNotText`) is read no further than this once none of its lines was a Loki
 * record: it is skipped as a binary file (5 MB of random bytes were read to their end, as thousands of unparsed lines).
 * Binary garbage before a log's first record is tolerated up to about this size.
 */
const BINARY_PROBE = 1 << 20;

/**
 * Read buffers of one analysis thread, reused from chunk to chunk and from file to file instead of a
 * fresh 1 MiB buffer per read. A fresh buffer is only freed when V8 collects its JS object: with
 * hundreds of megabytes read, tens of megabytes of dead read buffers were held at a time (peak RSS)
 * and their allocation kept starting full garbage collections (external memory). Each file being
 * read takes two buffers (one parsed while the next chunk is read into the other) and gives them
 * back when its reads are over; files read side by side in one thread take their own. At most
 * {@link ReadBuffers.KEEP} buffers are kept. Not shared between threads.
 */
export class ReadBuffers {
  static readonly KEEP = 4;
  private readonly free: Buffer[] = [];
  /** This thread's WebAssembly locator: its memory holds read chunks, whose `FILE:` messages it locates in place. */
  private readonly locator = lokiLocator();
  /** A buffer of READ_CHUNK bytes (contents undefined): a chunk of the locator's memory while it has one free. */
  take(): Buffer {
    return this.locator?.takeChunk() ?? this.free.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK);
  }
  /** Gives back a buffer from {@link take} that nothing refers to any more (no read in flight into it). */
  give(b: Buffer): void {
    if (this.locator?.giveChunk(b)) return;
    if (this.free.length < ReadBuffers.KEEP && b.length === READ_CHUNK) this.free.push(b);
  }
}

/** Waits for a read still in flight, then closes the file; never rejects. */
async function closeQuietly(fd: number | undefined, ahead: Promise<number> | undefined): Promise<void> {
  if (ahead) await ahead.catch(() => undefined);
  if (fd === undefined) return;
  try {
    fs.closeSync(fd);
  } catch {
    /* nothing to do */
  }
}

function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * Streams one file from disk (bounded memory: 1 MiB chunks, incremental TextDecoder), detects
 * encoding (BOM / UTF-16 NUL pattern / UTF-8 with windows-1252 fallback, see ./lines.ts) and
 * format from content. `onBytes(totalBytesReadSoFar)` is called after each chunk.
 *
 * File-level problems (cannot open, permission denied) are reported in `errors` with line 0 and an
 * otherwise empty result. A file that is no text by its first bytes (`sniffNotText`) and holds no Loki
 * line gets `notText` (a compressed file or archive: not read past its first chunk; binary data: not read past its
 * first MiB when no line of it was a Loki record — {@link BINARY_PROBE}), so the
 * analysis lists it as skipped; never rejects except on abort, where it rejects with
 * an Error whose `name` is 'AbortError' (the signal is checked before the first and between chunks).
 * `intern`: memo of repeated texts shared by all files of one run (see {@link LokiLineParser}).
 */
export async function parseLokiFile(
  path: string,
  opts: { signal?: AbortSignal; onBytes?: (bytesRead: number) => void; intern?: LokiIntern } = {},
): Promise<LokiFileResult> {
  return (await readLokiFile(path, opts, undefined)) as LokiFileResult;
}

/**
 * {@link parseLokiFile} with the findings kept in a columnar store ({@link LokiFindingStore}):
 * equal findings, far fewer objects. The messages of file findings are not kept but read back from
 * `path` by `reader` (one per run) when a finding is built, so building findings later throws if the
 * file can no longer be read or has been rewritten (see LokiFindingStore.at). Used by `runLokiAnalysis`.
 */
export async function parseLokiFileColumnar(
  path: string,
  reader: MessageReader,
  opts: { signal?: AbortSignal; onBytes?: (bytesRead: number) => void; intern?: LokiIntern; buffers?: ReadBuffers } = {},
): Promise<LokiFileResult<FindingList>> {
  return readLokiFile(path, opts, reader);
}

/** `buffers`: read buffers reused across the files of one thread (see {@link ReadBuffers}); fresh ones per read without. */
async function readLokiFile(
  path: string,
  opts: { signal?: AbortSignal; onBytes?: (bytesRead: number) => void; intern?: LokiIntern; buffers?: ReadBuffers },
  reader: MessageReader | undefined,
): Promise<LokiFileResult<FindingList>> {
  const { signal, onBytes, buffers } = opts;
  const intern = opts.intern ?? new LokiIntern();
  if (signal?.aborted) throw abortError();
  let parser: LokiLineParser | undefined;
  const decoder = new LineDecoder(
    (l) => {
      if (!parser) parser = new LokiLineParser(path, decoder.encoding, intern, reader, stamp);
      parser.push(l);
    },
    4096,
    {
      // VS Code also ends a line at a lone CR: line numbers then match "Reveal in log".
      splitLoneCR: true,
      onLineBytes: (buf, start, end, ascii, at) => {
        if (!parser) parser = new LokiLineParser(path, decoder.encoding, intern, reader, stamp);
        parser.pushBytes(buf, start, end, ascii, at);
      },
      onChunkEnd: () => parser?.releaseBytes(),
      onLongLine: (chars) => {
        if (!parser) parser = new LokiLineParser(path, decoder.encoding, intern, reader, stamp);
        parser.pushOverlong(chars);
      },
      // NULs from a logged value (a YARA match, a command line) must not drop a whole Loki log as binary
      textDespiteNul: looksLikeLokiLog,
    },
  );
  let total = 0;
  let fileError: string | undefined;
  let fd: number | undefined;
  // The file as opened (columnar mode reads messages back from it; set after the first read).
  let stamp: FileStamp | undefined;
  // The read of the next chunk, started before the current one is parsed (see below).
  let ahead: Promise<number> | undefined;
  // With `buffers`: the two buffers this file reads into in turn (`side`: the one the next read uses).
  const pair: Buffer[] | undefined = buffers ? [buffers.take(), buffers.take()] : undefined;
  let side = 0;
  /** Buffers of `pair` replaced while the decoder held them. */
  const held: Buffer[] = [];
  const chunkBuffer = (len: number): Buffer => (pair ? pair[side].subarray(0, len) : Buffer.allocUnsafe(len));
  let aborted = false;
  // What the first bytes say the file is when they are no text and hold no Loki line (sniffNotText): a compressed
  // file or archive is not read at all; other binary data only when no line of it turns out to be Loki output.
  let notText: NotTextKind | undefined;
  let headBinary = false;
  try {
    // Open without blocking (a FIFO would block open() and read() forever) and read only regular
    // files: the path may have been swapped for a FIFO, device or socket after discovery, and
    // /dev/zero or /dev/urandom never end.
    // Synchronous open / fstat / close (local metadata calls; this runs in a worker thread or the CLI):
    // a thread-pool round trip per call left the parser idle between files.
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      const err = new Error(`not a regular file (${what}); not read`) as NodeJS.ErrnoException;
      err.code = st.isDirectory() ? 'EISDIR' : 'ENOTREG';
      throw err;
    }
    // 1 MiB chunks, each read started while the previous one is parsed: the parser never waits
    // for the thread pool on a warm page cache (a read stream asks for the next chunk only when
    // the current one was consumed). Chunks go to two buffers in turn (or a fresh buffer each): the
    // next read never goes into the buffer being parsed, and a buffer the decoder still holds
    // (`holdsInput`: the first bytes of a tiny file) is replaced, not read into again.
    // The first read (FIRST_READ bytes) and the read at the known end of the file are synchronous
    // (no wait for the thread pool between files; at the end the read only confirms that the file
    // did not grow).
    const handle = fd;
    const size = st.size;
    let pos = 0;
    // A failed synchronous read rejects like an asynchronous one (it must not throw here: the chunk
    // read before it is parsed first, and the error is reported on the next turn).
    const readSyncAt = (b: Buffer, at: number): Promise<number> => {
      try {
        return Promise.resolve(fs.readSync(handle, b, 0, b.length, at));
      } catch (e) {
        return Promise.reject(e);
      }
    };
    const readAt = (b: Buffer, at: number): Promise<number> =>
      at === 0 || at >= size
        ? readSyncAt(b, at)
        : new Promise((resolve, reject) => fs.read(handle, b, 0, b.length, at, (err, n) => (err ? reject(err) : resolve(n))));
    let buf = chunkBuffer(FIRST_READ);
    let bufSide = side;
    side ^= 1;
    ahead = readAt(buf, pos);
    for (;;) {
      const n = await ahead;
      ahead = undefined;
      if (signal?.aborted) throw abortError();
      if (n === 0) break;
      const cur = n === buf.length ? buf : buf.subarray(0, n);
      // The file as opened and its first bytes (columnar rows read their messages back from it).
      if (pos === 0) {
        stamp = stampOf(st, cur);
        // gzip data named scan.csv was read as "none of its 8 lines matches a Loki format": a compressed file is said
        // to be one, as tz convert and kpi say it (a Loki line never starts with these bytes)
        const head = cur.subarray(0, SNIFF_BYTES);
        const kind = looksLikeLokiLog(head) ? undefined : sniffNotText(head);
        if (kind !== undefined && kind !== 'binary') {
          notText = kind;
          total = n;
          onBytes?.(total);
          break;
        }
        headBinary = kind === 'binary';
      }
      pos += n;
      // No larger than what is left of the known size (at the end: a small read that only checks
      // whether the file grew; if it did, the next reads are full chunks again).
      buf = chunkBuffer(pos < size ? Math.min(READ_CHUNK, size - pos) : pos === size ? GROWTH_PROBE : READ_CHUNK);
      const curSide = bufSide;
      bufSide = side;
      side ^= 1;
      ahead = readAt(buf, pos);
      ahead.catch(() => undefined); // awaited (and reported) on the next turn, or dropped on abort
      total += n;
      decoder.write(cur);
      // Still held by the decoder: that buffer is not read into again (nor given back).
      if (pair && decoder.holdsInput) {
        held.push(pair[curSide]); // given back with the pair once the decoder lets go
        pair[curSide] = Buffer.allocUnsafeSlow(READ_CHUNK);
      }
      onBytes?.(total);
      if (decoder.binary) break;
      // Binary by its first bytes and no Loki record in its first MiB: no Loki output (as a compressed file, not read
      // on; skipped as a binary file below). A log with binary bytes before its first record has read one by then.
      if (headBinary && total >= BINARY_PROBE && !parser?.sawRecord) break;
    }
    if (signal?.aborted) throw abortError();
    decoder.end();
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') {
      aborted = true;
      await closeQuietly(fd, ahead);
      throw e;
    }
    const err = e as NodeJS.ErrnoException;
    fileError = `${CANNOT_READ_FILE}: ${fsErrorText(err)}`;
    // An error inside the lines of a chunk (a failed allocation) may leave a record pending on that chunk's bytes: it
    // is stored by finish below, once the chunk was given back (and maybe read into by another file of this thread).
    try {
      parser?.releaseBytes();
    } catch {
      /* the pending record stays as it is */
    }
  } finally {
    // No read is in flight any more (closeQuietly waited for it) and the decoder has let go of
    // every chunk (end() flushed what it held; after an abort or error nothing is parsed again, so
    // the first bytes it may still hold after a failed read are never read: their chunks come back too,
    // else each such file lost two of the WebAssembly locator's eight chunks to the thread's later reads).
    if (pair) {
      if (!aborted) await closeQuietly(fd, ahead);
      fd = undefined;
      ahead = undefined;
      for (const b of pair) buffers!.give(b);
      for (const b of held) buffers!.give(b);
    }
  }
  await closeQuietly(fd, ahead);
  if (!parser) parser = new LokiLineParser(path, decoder.encoding, intern, reader, stamp);
  parser.bytes = total;
  const res = reader ? parser.finishColumnar() : parser.finish();
  res.encoding = decoder.encoding;
  // binary data (NULs, other control bytes in the first 4 KiB) without a Loki line is no Loki output: skipped as a binary
  // file by the analysis, not "a file read" with a problem (an empty dashboard opened; random bytes with a few NULs
  // were "not Loki output: none of its 41 lines…"). A file that could not be read stays an error (fileError).
  if (!fileError) {
    if (decoder.binary || (headBinary && res.format === 'unknown' && res.scans.length === 0 && res.findings.length === 0)) notText = 'binary';
    if (notText) res.notText = notText;
  } else if (decoder.binary) res.errors.unshift({ file: path, line: 0, message: 'not a text file (binary data)' });
  if (decoder.nulHead) res.warnings?.push({ file: path, line: 0, message: 'NUL bytes in the first 4 KiB: read as text because it holds Loki lines' });
  if (fileError) res.errors.unshift({ file: path, line: 0, message: fileError });
  if (decoder.fellBack) res.warnings?.push({ file: path, line: 0, message: 'invalid UTF-8: decoded as windows-1252' });
  return res;
}
