/**
 * Merges parsed Loki files into one multi-host analysis. OWNER: analytics helper.
 *
 * Definitions (the "seed notebook" outputs, corrected):
 * - **Host**: one per distinct host name. Names are trimmed and compared case-insensitively; the
 *   first-seen spelling (file order, then scan order) is displayed, and every finding's `host` is
 *   rewritten to that spelling (shallow copy; the parser's objects are not mutated). A scan with an
 *   empty host name (e.g. Loki-RS JSONL 2.0–2.3 has no `hostname`) is a host of its own named
 *   `(unknown host: <file name>)` (with its parent folders when another host already shows that name),
 *   so unnamed scans of different endpoints are never merged. Every host shows a name of its own.
 * - **Scans**: one entry of `LokiFileResult.scans`. Findings whose `scanIndex` points to no scan
 *   belong to an implicit scan per (file, host) whose verdict is derived from its findings
 *   (`indicators` if any ALERT, else `suspicious` if any WARNING, else `incomplete`).
 * - **Latest scan per host**: by `scanStart` (a missing start counts as earliest), then input file
 *   order, then scan order inside the file. Unless `includeAllScans`, only that scan is kept; the
 *   others are listed in `setAside` (with their finding count) and their findings are dropped.
 *   When that scan did not finish (verdict `incomplete`: interrupted, or no result block / scan
 *   end), the latest finished scan is kept too, and so is every scan after it (after none, when no
 *   scan finished) that has an ALERT or WARNING finding (another rescan cut short, findings without a
 *   scan line); the host rolls them up as `includeAllScans` does (worst verdict, summed counts): a
 *   rescan cut short must not hide the alerts of the last full scan, nor those of another rescan cut
 *   short (loki-format.md §5 item 5 on interrupted scans).
 * - **Verdict of a kept scan**: Loki's own (RESULT line / scan-end counters), raised to what its
 *   findings show (`indicators` with an ALERT, `suspicious` with a WARNING): an interrupted scan
 *   with an alert is `indicators`, flagged `incomplete` (see {@link hostVerdictLabel}).
 *   A scan that would read clean while its scanner logged errors (YARA rule files it could not load, …) is
 *   `incomplete`, flagged `incompleteByScannerErrors`: not trustworthy as clean.
 * - With `includeAllScans`, a host's counters sum all its scans, `verdict` is the worst verdict
 *   (indicators > suspicious > incomplete > clean), `scanStart` the earliest start, `scanEnd` the
 *   latest end, and `lokiVersion`/`file` come from the latest scan: a roll-up per host (`hosts`).
 *   Each kept scan is also a row of its own in `scans` (its own verdict, counts and times), which is
 *   what the CLI and the dashboard's *Hosts* table list, so two scans of a host are never shown as
 *   one scan from the first start to the last end.
 */
import type { FindingList, LokiFileResult, LokiFinding, LokiReason, LokiScan, ParseError, Verdict, LokiFormat, LokiFileEntryUnreadable } from '../model/loki';
import { CANNOT_READ_FILE, isLokiFileLevelError } from '../model/loki';
import { notTextKindText, type NotTextKind } from '../parse/not-text';
import { basename } from 'node:path';
import { FindingView, columnsOf, findingsArray, pathHash } from '../parse/loki-store';
import { PathTally } from './path-tally';
import { Spellings, samePath } from '../parse/path-case';
import { HASHES_LIMIT, RANK_LEVEL, hashTypeOf, tallyHashes, type LokiHashEntry } from './hash-tally';

export { HASHES_LIMIT, type LokiHashEntry };
import { topKIds } from './top-k';
import { hostKey } from '../parse/text';
import { isoUtc } from '../time';

export interface LokiAnalysisOptions {
  /** Keep every scan of a host (default false: only the latest scan per host, others set aside). */
  includeAllScans?: boolean;
  /**
   * Epoch ms UTC of the analysis (default `Date.now()`). A scan that starts more than {@link FUTURE_SCAN_MS} after it
   * is never taken as a host's latest scan over one with a plausible start.
   */
  now?: number;
}

/**
 * How far after the analysis a scan may start and still count as the host's latest (15 min, in ms: an endpoint clock a
 * little ahead; Loki writes its times in UTC, so time zones do not move them). A scan cannot start after the log was
 * read, so a scan dated later is a forged log (dated 2099, or an hour ahead to outrank the rescans of the next hour)
 * or a Loki log from an endpoint whose clock is off: it ranks below every scan with a plausible start of the same
 * host, so that it cannot set the real latest scan aside; it is set aside itself (named, with its alerts and
 * warnings) and a warning says why. Scans of a host that are all dated in the future compare as usual.
 */
export const FUTURE_SCAN_MS = 15 * 60_000;

export interface LokiHostSummary {
  host: string;
  verdict: Verdict;
  alerts: number;
  warnings: number;
  notices: number;
  lokiVersion?: string;
  /** Epoch ms UTC. */
  scanStart?: number;
  scanEnd?: number;
  file: string;
  /**
   * Loki's own count of the scan (not ours): Python's `Results: <a> alerts, <w> warnings, <n> notices` line, Loki-RS's
   * scan-end `Alerts: … Warnings: … Notices: …`. Loki counts every line it logged at a level, its Init / PE-Sieve
   * notices and non-detection lines too, so it may differ from `alerts` / `warnings` / `notices`, which count the
   * findings read ({@link lokiResultsText}). On a roll-up of several scans: their sum when each has one. Absent when
   * the scan logged none (cut short, `--onlyrelevant`, remote syslog without it).
   */
  lokiResults?: { alerts: number; warnings: number; notices: number };
  /** Scanner ERROR messages in the kept scan(s). */
  scanErrors: number;
  /**
   * The highest score of the host's findings (absent: none, or none with a score — Python Loki logs none on process
   * and connection lines). On a scan row (`LokiAnalysis.scans`) only when it is the host's one kept scan.
   */
  maxScore?: number;
  /**
   * The rule key ({@link reasonRuleKey}; name it with {@link ruleNamer}) of the strongest reason (highest subscore, the
   * first on a tie) of the host's top finding (highest score, then level, then the first read). Absent as `maxScore`.
   */
  topRule?: string;
  /**
   * Scanner caveats in the kept scan(s): the scanner's own ALERT / WARNING lines that are no detection
   * (loki-format.md §5 item 29: Loki-RS `Scan is not running with elevated privileges`, `Skipping network drive` /
   * cloud folder, `YARA scan timeout`; Python `Error getting all process information…`, `Too many matches on
   * process memory…`, Init / FileScan warnings). Each says a part of the endpoint was not (fully) scanned, so
   * a clean verdict with caveats is not a plain clean (see {@link hostVerdictLabel}); the lines are in
   * `LokiAnalysis.scannerMessages`. Absent (older producers) reads as 0.
   */
  caveats?: number;
  /** Set when a kept scan said it was not running with elevated privileges (Loki-RS; one of the `caveats`). */
  notElevated?: true;
  /**
   * Set when `verdict` is `incomplete` only because the scanner logged errors (`scanErrors` > 0: YARA rule files it could
   * not load, …) in a scan without alert or warning findings: it would read clean, but rules were not run, so it is not
   * trustworthy as clean ({@link keptVerdict}). Read `Incomplete scan (scanner errors)` ({@link hostVerdictLabel}).
   * On a roll-up: when the verdict is `incomplete` and every scan that makes it so is one of these.
   */
  incompleteByScannerErrors?: true;
  /**
   * Set when the scan (on a `scans` row) or the host's latest kept scan (on a `hosts` roll-up) did not
   * finish (interrupted, or no result block / scan end). `verdict` then still shows what its findings
   * show (`indicators` with an alert): see {@link hostVerdictLabel}.
   */
  incomplete?: true;
  /** Number of kept scans of this host (1 unless `includeAllScans`). */
  scans?: number;
  /**
   * The scan this entry is about, as the findings table's `scan` column shows it for the scan's
   * findings ({@link lokiScanId}): on every row of `LokiAnalysis.scans`, and on a `hosts` entry of one
   * scan; absent on a roll-up of several scans. A Hosts row's click filters the findings by it.
   */
  scanId?: string;
}

/**
 * The merged analysis. `F` is the findings list: an array when {@link analyzeLoki} was given arrays
 * (and after the worker sent the result to the extension host), a columnar {@link FindingList}
 * from `runLokiAnalysis` (findings built on demand; use `at(i)`, `slice` or iteration).
 */
export interface LokiAnalysis<F extends FindingList = LokiFinding[]> {
  summary: {
    /** Files read (parsed results given to {@link analyzeLoki}). */
    files: number;
    /** Distinct hosts. */
    hosts: number;
    /**
     * Hosts with at least one ALERT or WARNING finding in the kept scans (NOTICE-only hosts do not count: notices are
     * low-score hits), or whose verdict says so (`indicators` / `suspicious`: Loki counted an alert or warning whose line
     * could not be read), so that it agrees with the hosts' verdicts.
     */
    hostsWithFindings: number;
    /** Hosts whose verdict is clean (a host whose scanner logged errors is not: see `incompleteByScannerErrors`). */
    cleanHosts: number;
    /**
     * Hosts without alert or warning findings whose kept scans logged scanner errors: verdict `incomplete` (read
     * `Incomplete scan (scanner errors)`), not clean ({@link LokiHostSummary.incompleteByScannerErrors}). Absent in
     * analyses stored before it was added (they counted such a host clean).
     */
    incompleteByScannerErrors?: number;
    alerts: number;
    warnings: number;
    notices: number;
    /**
     * Lines that could not be parsed: per file the parser's `unparsedLines` count when present
     * (the `errors` list may be capped), else the number of its `errors` with a line number > 0.
     * File-level errors (line 0) are not counted here; they are in `errors`.
     */
    unparsedLines: number;
    scansSetAside: number;
    /**
     * Hosts whose latest scan did not finish (interrupted, or no result block / scan end): their
     * verdict rests on a partial scan, or on the last finished scan kept beside it (see `scans`).
     */
    incompleteHosts: number;
    /** ERROR/CRITICAL messages the scanner itself logged in the kept scans (e.g. YARA rule files it could not read): a host without findings whose scan had some reads as an incomplete scan, not clean. */
    scannerErrors: number;
    /** Scanner caveats (non-detection ALERT/WARNING lines, see {@link LokiHostSummary.caveats}) in the kept scans. */
    scannerCaveats?: number;
    /** Hosts whose verdict is clean but whose kept scans have scanner caveats (a part of them was not scanned). */
    cleanWithCaveats?: number;
  };
  /** One roll-up per host (all its kept scans). Sorted by alerts desc, warnings desc, notices desc, then host name. */
  hosts: LokiHostSummary[];
  /**
   * One row per kept scan (`scans` = 1): the scan's own verdict, counts, scanner errors, Loki version,
   * start, end and file. In the order of `hosts`, then oldest scan first (as {@link analyzeLoki}
   * orders scans: start, file, position in the file). Without `includeAllScans` one row per host,
   * equal to its `hosts` entry.
   */
  scans: LokiHostSummary[];
  /** Findings of the kept scans, in file/line order: the files in the order given (runLokiAnalysis: discovery's, by path), each file's findings by line. */
  findings: F;
  /**
   * Every reason counted (not only the first); `hosts` = distinct hosts; `maxLevel`: the highest level of the findings
   * the rule is in; `description`: the first description of the rule met (YARA rule or IOC description; none when its
   * reasons carry none). Sorted most severe first: by `maxLevel` (ALERT, WARNING, NOTICE), then count desc, then
   * rule, so that a report's top rules never leave out an ALERT rule seen once for frequent WARNING rules. `name`: a
   * hash IOC's name as people call it, `Hash IOC: <description>` ({@link hashIocName}; its `rule`, the key, is the
   * bare hash): the tables show it with the hash beside it ({@link ruleCells}). `alerts`, `warnings`, `notices`: the
   * verdict mix of the rule — its findings (as counted in `count`) by level ALERT, WARNING and NOTICE (a finding of
   * another level is in none); a noisy rule that is mostly notices shows as such.
   */
  rules: { rule: string; kind: string; count: number; hosts: number; alerts: number; warnings: number; notices: number; maxLevel?: 'ALERT' | 'WARNING' | 'NOTICE'; description?: string; name?: string }[];
  /**
   * Findings per `path` (count desc, then the highest score desc, then path; a Windows path in any letter
   * case is one file, under its most common spelling: ../parse/path-case.ts); at most
   * {@link TOP_FILES_LIMIT} entries. `maxScore` is `null` when none of the path's findings has a
   * score (it was 0, which read as a score of 0); such paths sort after scored ones of equal count. `host`: the host
   * the path was found on, of several the first by name (`hosts` counts them; absent in analyses stored before it
   * was added).
   */
  topFiles: { path: string; count: number; hosts: number; maxScore: number | null; host?: string }[];
  /**
   * Findings per process (process and connection findings: they have no file path, only a process name and PID;
   * Top files lists file findings only), by process name (`processOf` of ../parse/loki-store.ts: the name Loki gives, else its
   * executable; {@link NO_PROCESS_NAME} without either), exactly as written: count desc, then the highest score desc, then name; at most
   * {@link TOP_FILES_LIMIT} entries. `maxScore` is `null` when none of its findings has a score (Python Loki logs no
   * SCORE for process and connection findings: loki-format.md §2.3-§2.4). Absent from older producers.
   */
  topProcesses?: { process: string; count: number; hosts: number; maxScore: number | null }[];
  /**
   * The hash view (IOC pivot): findings grouped by their strongest hash (SHA256, else SHA1, else MD5)
   * across hosts, with hosts, findings, highest score and level, paths and rules; at most
   * {@link HASHES_LIMIT} entries, most hosts first (see ./hash-tally.ts). Findings without a hash are
   * not in it.
   */
  hashes: LokiHashEntry[];
  /** Distinct hashes of the kept findings (`hashes` holds at most {@link HASHES_LIMIT} of them). */
  hashesTotal: number;
  /** counts[i][j] = findings on hosts[i] with a reason rules[j]; `rules`: the {@link MATRIX_RULES_LIMIT} most frequent (count desc, then rule). */
  hostRuleMatrix: { hosts: string[]; rules: string[]; counts: number[][] };
  /**
   * The scans not kept (older scans of a host, without `includeAllScans`), with their finding counts:
   * their findings are not in `findings`. `alerts` and `warnings` say what the default view leaves
   * out. A fake `Starting Loki Scan` line in log text (a file name with a newline) no longer splits a
   * scan (the parser counts a start before the running scan ended as part of it), nor does a forged
   * trailer + start that does not fit the scan (times, Loki's counts, `SYSTEM:`, syslog process id;
   * see the parser's startMisfit / endIf / consolidate), nor another host's lines inside a host's
   * one-host log. A forged pair dated within the real scan, with plausible counts, still can when
   * Loki's own trailer does not contradict it: the real findings before it are then set aside. A scan
   * dated more than {@link FUTURE_SCAN_MS} after the analysis never sets aside one with a plausible date.
   * Ordered by host (case ignored, then as written), then scan start, oldest first (a scan without a start line
   * first), then file path and position in the file: the same order whatever order the inputs were given or read in.
   */
  setAside: { host: string; file: string; scanStart?: number; findings: number; alerts: number; warnings: number; future?: true }[];
  /** Set when every scan was kept (`includeAllScans`): nothing can be set aside. */
  allScans?: true;
  /**
   * Per file read; `scans` = the scans the parser found in it (`LokiFileResult.scans.length`; see {@link lokiScanId});
   * `unreadable`: the file could not be read at all (its line-0 problem starts with {@link CANNOT_READ_FILE} and no
   * line was read — a file its reader may not open): counted in `summary.files`, but nothing of it was read.
   */
  files: ({ file: string; format: LokiFormat; encoding: string; lines: number; findings: number; errors: number; unparsedLines?: number; scans?: number } & LokiFileEntryUnreadable)[];
  errors: ParseError[];
  /**
   * The scanner's own messages in the kept scans (not findings), in file order: ERROR/CRITICAL lines, interruptions,
   * and the non-detection ALERT/WARNING lines (scanner caveats: see {@link LokiHostSummary.caveats}).
   */
  scannerMessages: { host: string; level: string; module: string; timestamp: number; message: string; source: { file: string; line: number } }[];
  /** Non-fatal parser notes of all files (`LokiFileResult.warnings`), when any. */
  warnings?: ParseError[];
  /** Files found but deliberately not read (filled by runLokiAnalysis from discovery). */
  skipped?: { file: string; reason: string }[];
}

/** Findings whose path-table entries are read ahead at a time (a power of two; see PathTally.touch). */
const TOUCH_AHEAD = 32;
/** Where the read-ahead's numbers go (kept, so that the reads are not optimised away). */
let touchSink = 0;

/**
 * The path each of the top files `ids` (of `paths`) is shown under: its most common spelling (the first
 * seen among equals) when the tally met several (a Windows path in other letter cases: `paths.spelt`),
 * else its one path. Those files' findings are found by their hash (the parser's, which folds case) in
 * one pass over the kept findings, and each of them is read back and compared under folding: another
 * path of the same hash is never counted as a spelling. No pass when no top file has several spellings.
 */
function spellingsShown(view: Pick<FindingView, 'length' | 'pathAt' | 'pathHashAt'>, paths: PathTally, ids: number[]): string[] {
  const shown = ids.map((id) => paths.path(id));
  const byHash = new Map<number, number[]>(); // hash → positions in `ids` of the files with spellings
  ids.forEach((id, k) => {
    if (!paths.spelt(id)) return;
    const h = view.pathHashAt(paths.row(id));
    const l = byHash.get(h);
    if (l === undefined) byHash.set(h, [k]);
    else l.push(k);
  });
  if (byHash.size === 0) return shown;
  const names = new Map<number, Spellings>();
  for (let i = 0; i < view.length; i++) {
    const l = byHash.get(view.pathHashAt(i));
    if (l === undefined) continue;
    const p = view.pathAt(i);
    for (const k of l) {
      if (!samePath(p, shown[k])) continue;
      let s = names.get(k);
      if (s === undefined) names.set(k, (s = new Spellings()));
      s.add(p!);
      break;
    }
  }
  for (const [k, s] of names) shown[k] = s.shown;
  return shown;
}

/** The `topProcesses` entry (and the findings table's `process` cell) of a process finding with neither name nor executable. */
export const NO_PROCESS_NAME = '(no process name)';

/**
 * Findings per process name, for `LokiAnalysis.topProcesses` (process and connection findings: few next to file
 * findings, so a Map by name; a process name on several hosts is one row, as a path is in Top files). A finding
 * without a name counts under {@link NO_PROCESS_NAME}.
 */
class ProcessTally {
  private readonly byName = new Map<string, { count: number; hosts: Set<number>; maxScore: number }>();
  /** Counts a finding of process `name` on host number `host`; `score` raises its highest score (undefined: none). */
  add(name: string, host: number, score: number | undefined): void {
    const key = name === '' ? NO_PROCESS_NAME : name;
    let e = this.byName.get(key);
    if (e === undefined) this.byName.set(key, (e = { count: 0, hosts: new Set(), maxScore: -Infinity }));
    e.count++;
    e.hosts.add(host);
    if (typeof score === 'number' && score > e.maxScore) e.maxScore = score;
  }
  /** The first `limit` processes: most findings first, then the highest score, then the name. */
  top(limit: number): NonNullable<LokiAnalysis['topProcesses']> {
    return [...this.byName]
      .map(([process, e]) => ({ process, count: e.count, hosts: e.hosts.size, maxScore: e.maxScore === -Infinity ? null : e.maxScore }))
      .sort((a, b) => b.count - a.count || (b.maxScore ?? -Infinity) - (a.maxScore ?? -Infinity) || cmpStr(a.process, b.process))
      .slice(0, limit);
  }
}

/** `pathHash('')`: the hash of a finding without a path. */
const EMPTY_PATH_HASH = pathHash('');

/** Maximum entries of `LokiAnalysis.topFiles`. */
export const TOP_FILES_LIMIT = 500;
/** Most reasons lists whose rule ids analyzeLoki keeps (the columnar stores share lists; arrays do not). */
const IDS_CACHE_MAX = 100_000;
/** Maximum rules (columns) of `LokiAnalysis.hostRuleMatrix` (the top rules by count). */
export const MATRIX_RULES_LIMIT = 50;

/**
 * The key a reason is counted under: its `rule` (YARA rule name, IOC pattern, hash, C2 address),
 * trimmed; `(<kind>)` when the rule is empty. Used by the rules table and the `rule` facet alike.
 */
export function reasonRuleKey(r: LokiReason): string {
  const s = (r.rule ?? '').trim();
  return s !== '' ? s : `(${r.kind})`;
}

/** A Python hash IOC reason's list (loki-format.md §2.2: `<Malware|Suspicious> Hash TYPE: …`). */
const HASH_IOC_SET = /^((?:Malware|Suspicious) Hash) TYPE: /;

/**
 * The name of a hash IOC rule (the Rules table, CLI *Top rules*, Markdown, `--json` `rules[].name`): `Hash IOC:
 * <description>` (the IOC's comment in the hash IOC file, Loki's `DESC:`), else `Hash IOC: <list>` (`Malware Hash` /
 * `Suspicious Hash`, the words of Python Loki's reason), else `Hash IOC (no description)`. Its rule key stays the hash.
 */
export function hashIocName(description: string | undefined, iocSet: string | undefined): string {
  if (description) return `Hash IOC: ${description}`;
  return iocSet ? `Hash IOC: ${iocSet}` : 'Hash IOC (no description)';
}

/**
 * The Rule and Description cells of a rule (dashboard Rules table, CLI *Top rules*, Markdown *Top rules*): its rule
 * key and description, but for a hash IOC its `name` (`Hash IOC: <description>`) and, as the description, the hash it
 * matched with its type (`IOC SHA1 66178d4a…`, the type by {@link hashTypeOf}; `hash` for a length that is no MD5,
 * SHA1 or SHA256): the description is in the name, the hash stays in sight.
 */
export function ruleCells(r: Pick<LokiAnalysis['rules'][number], 'rule' | 'kind' | 'description' | 'name'>): { rule: string; description: string } {
  if (r.kind === 'hash-ioc' && r.name) return { rule: r.name, description: `IOC ${hashTypeOf(r.rule) ?? 'hash'} ${r.rule}` };
  return { rule: r.rule, description: r.description ?? '' };
}

/**
 * How rule keys are named where a list of them is shown (dashboard Hashes tab *Rules*, CLI and Markdown *Top hashes*,
 * the merged timeline's *Detail*): a function from a rule key (a hash's `rules[]`, a reason's `rule`, trimmed as
 * {@link reasonRuleKey}) to its Rule cell of the Rules table ({@link ruleCells}: a hash IOC's `Hash IOC: <description>`,
 * any other rule its key). `rules`: the analysis's rules (`LokiAnalysis.rules`); a key not in them, or a rule without a
 * string `name` (an older result), reads as the key. Never throws.
 */
export function ruleNamer(rules: readonly Pick<LokiAnalysis['rules'][number], 'rule' | 'kind' | 'description' | 'name'>[] | undefined): (key: string) => string {
  const names = new Map<string, string>();
  for (const r of Array.isArray(rules) ? rules : []) {
    if (r && typeof r.rule === 'string' && typeof r.name === 'string') names.set(r.rule, ruleCells(r).rule);
  }
  return (key) => (names.size > 0 ? names.get(key.trim()) : undefined) ?? key;
}

/**
 * Identifier of the scan a finding belongs to, for the findings table's `scan` column and the Hosts
 * rows' filter: `<file> · scan <n>`, n = 1 + `scanIndex` (the scan's position among all the scans of
 * that file, of every host), or `<file> · no scan line` when `scanIndex` is no scan of the file (not
 * an integer in [0, `scansInFile`); such findings form one implicit scan per host and file, so a
 * filter on it goes with the host). `scansInFile`: the file's scan count (`LokiFileResult.scans.length`);
 * unknown (undefined) takes every integer index ≥ 0 as a scan. Never throws.
 */
export function lokiScanId(file: string, scanIndex: number, scansInFile?: number): string {
  const ok = Number.isInteger(scanIndex) && scanIndex >= 0 && (scansInFile === undefined || scanIndex < scansInFile);
  return ok ? `${file} · scan ${scanIndex + 1}` : `${file} · no scan line`;
}

/** Normalised host key: trimmed, lower case (the parser's key too: see ../parse/text.ts). */
export { hostKey };


const VERDICT_RANK: Record<Verdict, number> = { clean: 0, incomplete: 1, suspicious: 2, indicators: 3 };

/** How each verdict is shown to people (Python Loki's RESULT texts; see loki-format.md §2.5). */
export const VERDICT_LABEL: Record<Verdict, string> = {
  indicators: 'Indicators detected',
  suspicious: 'Suspicious objects detected',
  clean: 'Clean',
  incomplete: 'Incomplete scan (no result)',
};

/** The verdict label of a scan without findings whose scanner logged errors ({@link LokiHostSummary.incompleteByScannerErrors}). */
export const INCOMPLETE_BY_ERRORS_LABEL = 'Incomplete scan (scanner errors)';

/**
 * Whether a host (or scan row) reads `Incomplete scan (scanner errors)`: no alert or warning finding, yet its scanner
 * logged errors ({@link LokiHostSummary.incompleteByScannerErrors}; in an analysis stored before that flag, a clean
 * verdict with `scanErrors` > 0).
 */
export function isIncompleteByScannerErrors(h: Pick<LokiHostSummary, 'verdict' | 'scanErrors'> & Partial<Pick<LokiHostSummary, 'incompleteByScannerErrors'>>): boolean {
  return h.incompleteByScannerErrors === true || (h.verdict === 'clean' && h.scanErrors > 0);
}

/**
 * The hosts that read clean and those that read `Incomplete scan (scanner errors)` ({@link isIncompleteByScannerErrors}),
 * counted from `hosts` (so that an analysis stored before `summary.incompleteByScannerErrors` counts them alike).
 */
export function cleanAndErroredHosts(hosts: readonly LokiHostSummary[]): { clean: number; incompleteByScannerErrors: number } {
  let clean = 0;
  let errored = 0;
  for (const h of hosts) {
    if (isIncompleteByScannerErrors(h)) errored++;
    else if (h.verdict === 'clean') clean++;
  }
  return { clean, incompleteByScannerErrors: errored };
}

/**
 * The verdict of a host as shown in the dashboard, the CLI report and the Markdown summary: {@link VERDICT_LABEL};
 * `Incomplete scan (scanner errors)` ({@link INCOMPLETE_BY_ERRORS_LABEL}) for a host without findings whose scanner
 * logged errors (`incompleteByScannerErrors`, e.g. YARA rule files it could not load: not trustworthy as clean); and
 * for a clean host what its clean rests on, in brackets: `not elevated` (`notElevated`) and `N scanner caveat(s)` for
 * its other caveats (`caveats`: drives skipped, YARA timeouts, …), e.g. `Clean (not elevated; 2 scanner caveats)`,
 * since such a "clean" is not a plain clean. A stored analysis from before `incompleteByScannerErrors` (a clean
 * verdict with `scanErrors` > 0) reads the same `Incomplete scan (scanner errors)`. A scan that did not finish but
 * found something (`incomplete` set, verdict raised by its findings) reads `Indicators detected (scan incomplete)`; a
 * roll-up of several scans whose latest did not finish, `… (latest scan incomplete)`.
 */
export function hostVerdictLabel(
  h: Pick<LokiHostSummary, 'verdict' | 'scanErrors' | 'incomplete' | 'scans' | 'caveats' | 'notElevated'> &
    Partial<Pick<LokiHostSummary, 'alerts' | 'warnings' | 'incompleteByScannerErrors'>>,
): string {
  if (isIncompleteByScannerErrors(h)) return INCOMPLETE_BY_ERRORS_LABEL;
  const why: string[] = [];
  if (h.incomplete && h.verdict !== 'incomplete') why.push(`${(h.scans ?? 1) > 1 ? 'latest scan' : 'scan'} incomplete`);
  const unread = unreadDetection(h);
  if (unread) why.push(unread);
  if (h.verdict !== 'clean') return VERDICT_LABEL[h.verdict] + (why.length > 0 ? ` (${why.join('; ')})` : '');
  if (h.notElevated) why.push('not elevated');
  const other = (h.caveats ?? 0) - (h.notElevated ? 1 : 0);
  if (other > 0) why.push(`${other} scanner caveat${other === 1 ? '' : 's'}`);
  return VERDICT_LABEL.clean + (why.length > 0 ? ` (${why.join('; ')})` : '');
}

/**
 * Why an `indicators` / `suspicious` verdict has no finding read at its level: Loki counted (Results line, RESULT)
 * an alert / a warning whose line could not be read (cut, malformed: see the unparsed lines), so the verdict follows
 * Loki's count (never milder, see unitVerdict) while the findings read are fewer. Undefined otherwise, or when the
 * counts are not given.
 */
function unreadDetection(h: Partial<Pick<LokiHostSummary, 'verdict' | 'alerts' | 'warnings'>>): string | undefined {
  if (h.alerts === undefined || h.warnings === undefined) return undefined;
  if (h.verdict === 'indicators' && h.alerts === 0) return 'alert counted by Loki, its line not read';
  if (h.verdict === 'suspicious' && h.alerts + h.warnings === 0) return 'warning counted by Loki, its line not read';
  return undefined;
}

/**
 * Loki's own count of a scan ({@link LokiHostSummary.lokiResults}) as its Python `Results:` line says it: `6 alerts,
 * 4 warnings, 3 notices`; `not logged` when the scan has none. Shown beside our counts (the findings read), each named.
 */
export function lokiResultsText(h: Pick<LokiHostSummary, 'lokiResults'>): string {
  const r = h.lokiResults;
  if (!r) return 'not logged';
  const n = (v: number, w: string) => `${v.toLocaleString('en-US')} ${w}${v === 1 ? '' : 's'}`;
  return `${n(r.alerts, 'alert')}, ${n(r.warnings, 'warning')}, ${n(r.notices, 'notice')}`;
}

/**
 * The sum of Loki's own counts over `scans` (kept scans' `lokiResults`), as `7 alerts, 11 warnings, 9 notices`, when it
 * differs from the findings read (`summary`'s alerts, warnings, notices), with how many scans logged none; undefined when
 * they agree or no scan logged one. The reports' summary names both.
 */
export function lokiResultsSummary(scans: readonly Pick<LokiHostSummary, 'lokiResults'>[], s: Pick<LokiAnalysis['summary'], 'alerts' | 'warnings' | 'notices'>): string | undefined {
  const sum = { alerts: 0, warnings: 0, notices: 0 };
  let without = 0;
  for (const h of scans) {
    if (!h.lokiResults) {
      without++;
      continue;
    }
    sum.alerts += h.lokiResults.alerts;
    sum.warnings += h.lokiResults.warnings;
    sum.notices += h.lokiResults.notices;
  }
  if (without === scans.length) return undefined;
  if (without === 0 && sum.alerts === s.alerts && sum.warnings === s.warnings && sum.notices === s.notices) return undefined;
  return lokiResultsText({ lokiResults: sum }) + (without > 0 ? ` (${without} scan${without === 1 ? '' : 's'} logged none)` : '');
}

/** What Loki's own count is beside ours, in the reports (CLI, Markdown, dashboard). */
export const LOKI_RESULTS_NOTE = 'Loki counts every line it logged at a level (Init and PE-Sieve notices, scanner messages), not only findings';

/** A scanner message that is a caveat (a non-detection ALERT / WARNING line; see {@link LokiHostSummary.caveats}). */
export function isScannerCaveat(m: { level: string }): boolean {
  return m.level === 'ALERT' || m.level === 'WARNING';
}

/** Caveat lines listed by the CLI report and the Markdown summary (the rest are in `--json` / the dashboard). */
export const CAVEATS_LISTED = 5;

/**
 * The scanner caveats of the kept scans, for the reports: a headline (`3 on 2 hosts (1 clean): parts of these
 * scans were not done, so a clean verdict with caveats is not a plain clean`) and the first `max` lines (host, message, source), clean hosts' first; `total`: all caveat lines. Undefined when there are none.
 */
export function scannerCaveats(a: Pick<LokiAnalysis<FindingList>, 'scannerMessages' | 'hosts'>, max = CAVEATS_LISTED): { headline: string; lines: LokiAnalysis['scannerMessages']; total: number } | undefined {
  const all = a.scannerMessages.filter(isScannerCaveat);
  if (all.length === 0) return undefined;
  const clean = new Set(a.hosts.filter((h) => h.verdict === 'clean').map((h) => h.host));
  const hosts = new Set(all.map((m) => m.host));
  const cleanN = [...hosts].filter((h) => clean.has(h)).length;
  const lines = [...all.filter((m) => clean.has(m.host)), ...all.filter((m) => !clean.has(m.host))].slice(0, max);
  return {
    headline: `${all.length} on ${hosts.size} host${hosts.size === 1 ? '' : 's'}${cleanN > 0 ? ` (${cleanN} clean)` : ''}: parts of these scans were not done, so a clean verdict with caveats is not a plain clean`,
    lines,
    total: all.length,
  };
}

/** Loki-RS's line for a scan without elevated privileges (§3.1: `… Please run as root.` / `as Administrator.`). */
const NOT_ELEVATED = 'Scan is not running with elevated privileges';

/**
 * The scanner's own messages of a scan, counted (one pass over `scan.messages`): `errors` (ERROR / CRITICAL),
 * `caveats` (ALERT / WARNING: the non-detection lines at a finding level, see {@link LokiHostSummary.caveats}), of
 * them `alerts` and `warnings`, and whether one says the scan was not elevated (`notElevated`).
 */
function messageCounts(scan: LokiScan | undefined): { errors: number; caveats: number; alerts: number; warnings: number; notElevated: boolean } {
  const c = { errors: 0, caveats: 0, alerts: 0, warnings: 0, notElevated: false };
  if (!scan) return c;
  for (const m of scan.messages) {
    if (m.level === 'ERROR' || m.level === 'CRITICAL') c.errors++;
    else if (m.level === 'ALERT' || m.level === 'WARNING') {
      if (m.level === 'ALERT') c.alerts++;
      else c.warnings++;
      if (m.message.startsWith(NOT_ELEVATED)) c.notElevated = true;
      c.caveats++;
    }
  }
  return c;
}

/** The alerts and warnings of the scans set aside (not in the findings); tolerant of lists without them. */
export function setAsideCounts(setAside: LokiAnalysis<FindingList>['setAside'] | undefined): { alerts: number; warnings: number } {
  let alerts = 0;
  let warnings = 0;
  for (const x of setAside ?? []) {
    alerts += x.alerts ?? 0;
    warnings += x.warnings ?? 0;
  }
  return { alerts, warnings };
}

/**
 * The scans set aside, named by why: `2 older scans`, `1 scan dated after the analysis` (`future`, see
 * {@link FUTURE_SCAN_MS}) or `2 older scans and 1 dated after the analysis`. With `sameHost`, `of the same host` is
 * placed where it reads (`1 older scan of the same host`). `total`: the count (the summary's `scansSetAside`).
 */
export function setAsideScansText(setAside: LokiAnalysis<FindingList>['setAside'] | undefined, total: number, sameHost = false): string {
  const future = Math.min(total, (setAside ?? []).filter((x) => x.future).length);
  const older = total - future;
  const of = sameHost ? ' of the same host' : '';
  const olderText = `${older.toLocaleString('en-US')} older scan${older === 1 ? '' : 's'}`;
  if (future === 0) return olderText + of;
  if (older === 0) return `${future.toLocaleString('en-US')} scan${future === 1 ? '' : 's'}${of} dated after the analysis`;
  return `${olderText} and ${future.toLocaleString('en-US')} dated after the analysis${sameHost ? ', of the same host' : ''}`;
}

/**
 * The alerts and warnings of the scans set aside, as `1 alert, 2 warnings`; undefined when they have
 * none. Shown beside the set-aside count (CLI, dashboard), so that findings left out of the default
 * view are never silent.
 */
export function setAsideFindingsText(setAside: LokiAnalysis<FindingList>['setAside'] | undefined): string | undefined {
  const { alerts, warnings } = setAsideCounts(setAside);
  if (alerts + warnings === 0) return undefined;
  const n = (v: number, w: string) => `${v.toLocaleString('en-US')} ${w}${v === 1 ? '' : 's'}`;
  return `${n(alerts, 'alert')}, ${n(warnings, 'warning')}`;
}

interface Unit {
  /** Index in the run's `units`. */
  idx: number;
  fileIdx: number;
  scanIdx: number; // -1 for implicit scans
  scan?: LokiScan;
  key: string;
  /** Findings (positions) of this unit, and how many of them are alerts / warnings / notices. */
  n: number;
  alerts: number;
  warnings: number;
  notices: number;
}

function countIn(u: Unit, level: string): void {
  u.n++;
  if (level === 'ALERT') u.alerts++;
  else if (level === 'WARNING') u.warnings++;
  else if (level === 'NOTICE') u.notices++;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Display name of a scan without a host name in `file`: `(unknown host: <file name>)`, or with as many
 * parent folders as it takes to differ from every name in `taken` (lower case; two `a.log` in different
 * folders are two hosts and must not share a name: the tables and the host × rule matrix key rows by
 * it), else numbered.
 */
function unknownHostName(file: string, taken: ReadonlySet<string>): string {
  const parts = file.split(/[\\/]/).filter((p) => p !== '');
  for (let n = 1; n <= parts.length; n++) {
    const name = `(unknown host: ${n === 1 ? basename(file) : parts.slice(-n).join('/')})`;
    if (!taken.has(name.toLowerCase())) return name;
  }
  return uniqueName(`(unknown host: ${file})`, taken);
}

/** `name`, or `name (2)`, `name (3)`… : the first that is not in `taken` (lower case). */
function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const next = `${name} (${n})`;
    if (!taken.has(next.toLowerCase())) return next;
  }
}

/**
 * Why a Loki input that is no text by its first bytes ({@link LokiFileResult.notText}) is skipped, in the words the
 * other readers use: `binary file`; `gzip-compressed file: not read — extract it first` (also bzip2, xz, zstd;
 * `zip archive: …`), as a `.gz` found in a folder is `compressed file or archive (.gz): not read — extract it first`.
 */
export function lokiNotTextReason(kind: NotTextKind): string {
  return kind === 'binary' ? notTextKindText(kind) : `${notTextKindText(kind)}: not read — extract it first`;
}

/**
 * Merges parsed files (in input order) into one analysis. Pure; never throws on well-typed input.
 * Time values are epoch ms UTC. See the module comment for the definitions used.
 * Findings given as arrays come back as an array (the same objects, or shallow copies with the
 * displayed host); columnar lists come back as a columnar view over them (no finding is built).
 */
/**
 * The files of an analysis that found Loki files but could read none of them (each `unreadable`: permission denied, a
 * read error), with why — its line-0 problem (`cannot read file: EACCES: permission denied, open '…'`); undefined when
 * any file was read, or none was found. `soc-analytics loki` exits 3 then; the extension opens no dashboard.
 */
export function lokiNothingRead(a: Pick<LokiAnalysis<FindingList>, 'summary' | 'files' | 'errors'>): { file: string; reason: string }[] | undefined {
  const unread = (a.files ?? []).filter((f) => f.unreadable);
  if (a.summary.files === 0 || unread.length !== a.summary.files) return undefined;
  return unread.map((f) => ({ file: f.file, reason: a.errors.find((e) => e.file === f.file && e.line === 0)?.message ?? CANNOT_READ_FILE }));
}

export function analyzeLoki(allResults: LokiFileResult[], opts?: LokiAnalysisOptions): LokiAnalysis;
export function analyzeLoki(allResults: LokiFileResult<FindingList>[], opts?: LokiAnalysisOptions): LokiAnalysis<FindingList>;
export function analyzeLoki(allResults: LokiFileResult<FindingList>[], opts: LokiAnalysisOptions = {}): LokiAnalysis<FindingList> {
  // 0. Files in which not one line matches a Loki format are not Loki output (a CSV export, a README…):
  //    they are listed as skipped with the reason instead of flooding the analysis with unparsed lines.
  //    So are compressed and binary files (`notText`: we know what they are), with what they are — a PNG was "1 file,
  //    0 hosts, 1 problem" and opened an empty dashboard. Files with a file-level error (cannot open: we cannot tell
  //    what they are) stay in `errors`.
  const results: LokiFileResult<FindingList>[] = [];
  const notLoki: { file: string; reason: string }[] = [];
  for (const r of allResults) {
    // (not the "N more unparsed lines not listed" tally: 1.5 MB of random bytes, past 10000 unparsed lines, were a file read)
    const fileLevelError = r.errors.some(isLokiFileLevelError);
    if (r.notText && r.scans.length === 0 && r.findings.length === 0 && !fileLevelError) {
      notLoki.push({ file: r.file, reason: lokiNotTextReason(r.notText) });
    } else if (r.format === 'unknown' && r.scans.length === 0 && r.findings.length === 0 && !fileLevelError) {
      notLoki.push({ file: r.file, reason: r.lines === 0 ? 'empty file' : (r.lines === 1 ? 'not Loki output: its one line does not match a Loki format' : `not Loki output: none of its ${r.lines} lines matches a Loki format`) });
    } else results.push(r);
  }

  // 1. Units (scans) in file order, then scan order.
  const units: Unit[] = [];
  const hostName = new Map<string, string>(); // key → display spelling (first seen)
  const shown = new Set<string>(); // display names given so far, lower case (each host shows a name of its own)
  const keyFor = (host: string, file: string): string => {
    const h = (host ?? '').trim();
    const k = h === '' ? `\u0000${file}` : hostKey(h);
    if (!hostName.has(k)) {
      const name = h === '' ? unknownHostName(file, shown) : uniqueName(h, shown);
      hostName.set(k, name);
      shown.add(name.toLowerCase());
    }
    return k;
  };
  // Unit (index in `units`) of every finding position, per file (parallel to each file's
  // `findings`; typed arrays: a large run has millions of positions). `seen` only detects the same
  // finding object given twice in arrays, for which the identity-keyed path below is kept.
  const unitAt: Int32Array[] = [];
  const seen = new Set<LokiFinding>();
  let arrayPositions = 0;
  let positions = 0;
  const cols = results.map((r) => columnsOf(r.findings));
  results.forEach((r, fileIdx) => {
    const c = cols[fileIdx];
    const at = new Int32Array(c.length);
    unitAt.push(at);
    positions += c.length;
    const base = units.length;
    const nScans = r.scans.length;
    r.scans.forEach((scan, scanIdx) => {
      units.push({ idx: units.length, fileIdx, scanIdx, scan, key: keyFor(scan.host, r.file), n: 0, alerts: 0, warnings: 0, notices: 0 });
    });
    const implicit = new Map<string, Unit>();
    const isArray = Array.isArray(r.findings);
    for (let i = 0; i < c.length; i++) {
      if (isArray) {
        seen.add((r.findings as LokiFinding[])[i]);
        arrayPositions++;
      }
      const si = c.scanIndexAt(i);
      const level = c.levelAt(i);
      if (Number.isInteger(si) && si >= 0 && si < nScans) {
        countIn(units[base + si], level);
        at[i] = base + si;
        continue;
      }
      const k = keyFor(c.hostAt(i), r.file);
      let iu = implicit.get(k);
      if (!iu) {
        iu = { idx: units.length, fileIdx, scanIdx: -1, key: k, n: 0, alerts: 0, warnings: 0, notices: 0 };
        implicit.set(k, iu);
        units.push(iu);
      }
      countIn(iu, level);
      at[i] = iu.idx;
    }
  });

  // 2. Kept scans: the latest per host unless includeAllScans.
  const byHost = new Map<string, Unit[]>();
  for (const u of units) {
    let l = byHost.get(u.key);
    if (!l) byHost.set(u.key, (l = []));
    l.push(u);
  }
  const futureAfter = (opts.now ?? Date.now()) + FUTURE_SCAN_MS;
  /** A scan dated more than FUTURE_SCAN_MS after the analysis. */
  const future = (u: Unit): boolean => (u.scan?.scanStart ?? -Infinity) > futureAfter;
  const later = (a: Unit, b: Unit): boolean => {
    const fa = future(a);
    if (fa !== future(b)) return !fa;
    const sa = a.scan?.scanStart ?? -Infinity;
    const sb = b.scan?.scanStart ?? -Infinity;
    const na = Number.isNaN(sa) ? -Infinity : sa;
    const nb = Number.isNaN(sb) ? -Infinity : sb;
    if (na !== nb) return na > nb;
    if (a.fileIdx !== b.fileIdx) return a.fileIdx > b.fileIdx;
    return a.scanIdx > b.scanIdx;
  };
  /** Sort order: latest scan first ({@link later}). */
  const latestFirst = (a: Unit, b: Unit): number => (later(a, b) ? -1 : later(b, a) ? 1 : 0);
  const kept = new Set<Unit>();
  /** Sum of the path hashes of a unit's findings (mod 2^32), computed only for the rare partial scans that share a start. */
  const pathSum = (u: Unit): number => {
    const at = unitAt[u.fileIdx];
    const c = cols[u.fileIdx];
    let h = 0;
    for (let i = 0; i < at.length; i++) if (at[i] === u.idx) h = (h + c.pathHashAt(i)) >>> 0;
    return h;
  };
  /** Two copies of one scan: the same start, the same counts and the same finding paths (a log collected twice). */
  const sameScan = (u: Unit, v: Unit): boolean => {
    const t = u.scan?.scanStart;
    return t !== undefined && !Number.isNaN(t) && t === v.scan?.scanStart && u.n === v.n && u.alerts === v.alerts && u.warnings === v.warnings && u.notices === v.notices && pathSum(u) === pathSum(v);
  };
  /** A scan with a verdict of its own that did not reach its result (implicit scans have none to reach). */
  const unfinished = (u: Unit): boolean => u.scan !== undefined && u.scan.verdict === 'incomplete';
  const setAside: LokiAnalysis['setAside'] = [];
  const keptByHost = new Map<string, Unit[]>();
  for (const [k, list] of byHost) {
    if (opts.includeAllScans) {
      list.forEach((u) => kept.add(u));
      keptByHost.set(k, list);
      continue;
    }
    let best = list[0];
    for (const u of list) if (later(u, best)) best = u;
    if (!unfinished(best)) {
      kept.add(best);
      keptByHost.set(k, [best]);
      continue;
    }
    // The latest scan did not finish (interrupted, no result): the latest finished scan is kept beside
    // it, and so is every scan after that one with an alert or a warning (another rescan cut short,
    // findings without a scan line), so that no partial scan hides what the last full scan found, nor
    // what a partial one found. Partial scans without such findings add nothing and stay aside.
    let finished: Unit | undefined;
    for (const u of list) if (u.scan !== undefined && !unfinished(u) && (finished === undefined || later(u, finished))) finished = u;
    // the same partial scan collected twice (a copy of the log in a backup folder: same host, same start, the same
    // findings) counts once: the later copy is kept, the other set aside
    const kept1: Unit[] = [];
    const keep = list
      .filter((u) => u === best || u === finished || ((finished === undefined || later(u, finished)) && u.alerts + u.warnings > 0))
      .sort(latestFirst)
      .filter((u) => {
        if (u !== best && u !== finished && kept1.some((v) => sameScan(u, v))) return false;
        kept1.push(u);
        return true;
      });
    keep.forEach((u) => kept.add(u));
    keptByHost.set(k, keep);
  }
  // by host (case ignored, as the Hosts table names hosts), then oldest scan first (a scan without a start line first,
  // as `later` ranks it), then file and position: one order whatever order the files were read in
  const asideStart = (u: Unit): number => {
    const t = u.scan?.scanStart;
    return t === undefined || Number.isNaN(t) ? -Infinity : t;
  };
  const asideUnits = units
    .filter((u) => !kept.has(u))
    .sort((x, y) => {
      const hx = hostName.get(x.key)!;
      const hy = hostName.get(y.key)!;
      const sx = asideStart(x);
      const sy = asideStart(y);
      return cmpStr(hx.toLowerCase(), hy.toLowerCase()) || cmpStr(hx, hy) || (sx < sy ? -1 : sx > sy ? 1 : 0) || cmpStr(results[x.fileIdx].file, results[y.fileIdx].file) || x.scanIdx - y.scanIdx;
    });
  for (const u of asideUnits) {
    setAside.push({ host: hostName.get(u.key)!, file: results[u.fileIdx].file, scanStart: u.scan?.scanStart, findings: u.n, alerts: u.alerts, warnings: u.warnings, ...(future(u) ? { future: true as const } : {}) });
  }

  // 3. Findings of kept scans in file/line order (host spelling normalised): which list and row
  //    each kept finding is, and the host spelling it shows (an index in `hostNames`).
  const hostNames: string[] = [];
  const hostIdx = new Map<string, number>();
  const hostIndexOf = (key: string): number => {
    let j = hostIdx.get(key);
    if (j === undefined) {
      j = hostNames.length;
      hostNames.push(hostName.get(key)!);
      hostIdx.set(key, j);
    }
    return j;
  };
  let keptList = new Int32Array(positions);
  let keptRow = new Int32Array(positions);
  let keptHost = new Int32Array(positions);
  // With several scans of a host kept (`includeAllScans`): each kept finding's scan (its unit's index), for each scan
  // row's own Max score and Top rule; not kept otherwise (a host's one scan row copies the host's).
  const perScanTop = [...keptByHost.values()].some((l) => l.length > 1);
  let keptUnit = perScanTop ? new Int32Array(positions) : undefined;
  let nk = 0;
  if (seen.size === arrayPositions) {
    // Every finding object occurs once: its unit is the one of its position.
    const display = new Int32Array(units.length).fill(-1);
    for (const u of kept) display[u.idx] = hostIndexOf(u.key);
    for (let fi = 0; fi < results.length; fi++) {
      const at = unitAt[fi];
      for (let i = 0; i < at.length; i++) {
        const d = display[at[i]];
        if (d < 0) continue;
        keptList[nk] = fi;
        keptRow[nk] = i;
        keptHost[nk] = d;
        if (keptUnit) keptUnit[nk] = at[i];
        nk++;
      }
    }
  } else {
    // The same object at several positions (arrays only): kept when any of its units is kept,
    // shown with the host of the last unit it occurs in.
    const keptFinding = new Set<LokiFinding>();
    const unitOfFinding = new Map<LokiFinding, Unit>();
    for (let fi = 0; fi < results.length; fi++) {
      const fs = results[fi].findings;
      if (!Array.isArray(fs)) continue;
      for (let i = 0; i < fs.length; i++) if (kept.has(units[unitAt[fi][i]])) keptFinding.add(fs[i]);
    }
    const order = new Map<Unit, number>(units.map((u, i) => [u, i]));
    for (let fi = 0; fi < results.length; fi++) {
      const fs = results[fi].findings;
      if (!Array.isArray(fs)) continue;
      for (let i = 0; i < fs.length; i++) {
        const u = units[unitAt[fi][i]];
        const prev = unitOfFinding.get(fs[i]);
        if (prev === undefined || order.get(u)! >= order.get(prev)!) unitOfFinding.set(fs[i], u);
      }
    }
    for (let fi = 0; fi < results.length; fi++) {
      const fs = results[fi].findings;
      for (let i = 0; i < fs.length; i++) {
        if (Array.isArray(fs) ? !keptFinding.has(fs[i]) : !kept.has(units[unitAt[fi][i]])) continue;
        const u = Array.isArray(fs) ? unitOfFinding.get(fs[i])! : units[unitAt[fi][i]];
        keptList[nk] = fi;
        keptRow[nk] = i;
        keptHost[nk] = hostIndexOf(u.key);
        if (keptUnit) keptUnit[nk] = u.idx;
        nk++;
      }
    }
  }
  seen.clear();
  unitAt.length = 0;
  if (nk < positions) {
    keptList = keptList.slice(0, nk);
    keptRow = keptRow.slice(0, nk);
    keptHost = keptHost.slice(0, nk);
    keptUnit = keptUnit?.slice(0, nk);
  }
  const view = new FindingView(
    results.map((r) => r.findings),
    keptList,
    keptRow,
    keptHost,
    hostNames,
  );

  // 4. Hosts (and the scanner's own error messages of the kept scans).
  const unitScanId = (u: Unit): string => lokiScanId(results[u.fileIdx].file, u.scanIdx, results[u.fileIdx].scans.length);
  const hosts: LokiHostSummary[] = [];
  const scannerMessages: LokiAnalysis['scannerMessages'] = [];
  let incompleteHosts = 0;
  // each kept scan's messages, counted once (its host and its row of `scans` both use them)
  const msgCounts = new Map<Unit, ReturnType<typeof messageCounts>>();
  for (const list of keptByHost.values()) for (const u of list) msgCounts.set(u, messageCounts(u.scan));
  for (const [k, list] of keptByHost) {
    let alerts = 0;
    let warnings = 0;
    let notices = 0;
    for (const u of list) {
      alerts += u.alerts;
      warnings += u.warnings;
      notices += u.notices;
    }
    let latest = list[0];
    for (const u of list) if (later(u, latest)) latest = u;
    if (unfinished(latest)) incompleteHosts++;
    let verdict: Verdict = 'clean';
    let first = true;
    let scanStart: number | undefined;
    let scanEnd: number | undefined;
    let scanErrors = 0;
    let caveats = 0;
    let notElevated = false;
    let byErrors = false; // a scan is incomplete only for its scanner errors
    let noResult = false; // a scan is incomplete for another reason (no result)
    const own = list.every((u) => u.scan?.reported !== undefined) ? { alerts: 0, warnings: 0, notices: 0 } : undefined;
    for (const u of list) {
      if (own !== undefined) {
        own.alerts += u.scan!.reported!.alerts;
        own.warnings += u.scan!.reported!.warnings;
        own.notices += u.scan!.reported!.notices;
      }
      if (u.scan)
        for (const m of u.scan.messages)
          scannerMessages.push({ host: hostName.get(k)!, level: m.level, module: m.module, timestamp: m.timestamp, message: m.message, source: m.source });
      const mc = msgCounts.get(u)!;
      const kv = keptVerdict(u, mc);
      const v = kv.verdict;
      if (kv.byErrors) byErrors = true;
      else if (v === 'incomplete') noResult = true;
      if (first || VERDICT_RANK[v] > VERDICT_RANK[verdict]) verdict = v;
      first = false;
      const s = u.scan?.scanStart;
      const e = u.scan?.scanEnd;
      if (s !== undefined && !Number.isNaN(s) && (scanStart === undefined || s < scanStart)) scanStart = s;
      if (e !== undefined && !Number.isNaN(e) && (scanEnd === undefined || e > scanEnd)) scanEnd = e;
      scanErrors += mc.errors;
      caveats += mc.caveats;
      notElevated ||= mc.notElevated;
    }
    hosts.push({
      host: hostName.get(k)!,
      verdict,
      ...(unfinished(latest) ? { incomplete: true as const } : {}),
      alerts,
      warnings,
      notices,
      lokiVersion: latest.scan?.lokiVersion,
      scanStart,
      scanEnd,
      file: results[latest.fileIdx].file,
      ...(own !== undefined ? { lokiResults: own } : {}),
      scanErrors,
      caveats,
      ...(notElevated ? { notElevated: true as const } : {}),
      ...(verdict === 'incomplete' && byErrors && !noResult ? { incompleteByScannerErrors: true as const } : {}),
      scans: list.length,
      ...(list.length === 1 ? { scanId: unitScanId(list[0]) } : {}),
    });
  }
  hosts.sort((a, b) => b.alerts - a.alerts || b.warnings - a.warnings || b.notices - a.notices || cmpStr(a.host.toLowerCase(), b.host.toLowerCase()));
  // One row per kept scan, in host order, oldest scan first.
  const keyOfHost = new Map([...keptByHost.keys()].map((k) => [hostName.get(k)!, k]));
  const validTime = (t: number | undefined) => (t === undefined || Number.isNaN(t) ? undefined : t);
  /** The unit of each row of `scans` (its index in `units`). */
  const scanUnit: number[] = [];
  const scans: LokiHostSummary[] = hosts.flatMap((h) =>
    [...keptByHost.get(keyOfHost.get(h.host)!)!]
      .sort((a, b) => (later(a, b) ? 1 : later(b, a) ? -1 : 0))
      .map((u) => (scanUnit.push(u.idx), {
        host: h.host,
        verdict: keptVerdict(u, msgCounts.get(u)!).verdict,
        ...(unfinished(u) ? { incomplete: true as const } : {}),
        alerts: u.alerts,
        warnings: u.warnings,
        notices: u.notices,
        lokiVersion: u.scan?.lokiVersion,
        scanStart: validTime(u.scan?.scanStart),
        scanEnd: validTime(u.scan?.scanEnd),
        file: results[u.fileIdx].file,
        ...(u.scan?.reported !== undefined ? { lokiResults: { ...u.scan.reported } } : {}),
        scanErrors: msgCounts.get(u)!.errors,
        caveats: msgCounts.get(u)!.caveats,
        ...(msgCounts.get(u)!.notElevated ? { notElevated: true as const } : {}),
        ...(keptVerdict(u, msgCounts.get(u)!).byErrors ? { incompleteByScannerErrors: true as const } : {}),
        scans: 1,
        scanId: unitScanId(u),
      })),
  );

  // 5. Rules (every reason), top files, matrix. Consecutive findings mostly share their host, their
  //    reasons list (the store shares equal lists) and often their path, so the last ones are
  //    remembered (`last*`): a Set add of the host just added is skipped, not repeated.
  /** `level`: the highest level (LEVEL_RANK) of the findings the rule is in. */
  /** `iocSet`: a hash IOC's list as Loki names it in the reason (`Malware Hash`, `Suspicious Hash`), from its first reason. */
  /** `byRank[rank]`: the rule's findings of level rank (0 other, 1 NOTICE, 2 WARNING, 3 ALERT). */
  interface RuleEntry { rule: string; kind: string; count: number; hostSet: Set<string>; lastHost: string | undefined; id: number; description: string | undefined; level: number; byRank: [number, number, number, number]; iocSet?: string }
  const rules = new Map<string, RuleEntry>();
  const ruleById: RuleEntry[] = [];
  let alerts = 0;
  let warnings = 0;
  let notices = 0;
  const nKept = view.length;
  const paths = new PathTally(nKept, (row) => view.pathAt(row)!);
  const procs = new ProcessTally();
  // Rule ids of a reasons list, per list: the columnar stores share equal lists, so a run has few
  // (findings given as arrays each have their own: at most IDS_CACHE_MAX lists are kept).
  const idsCache = new Map<readonly LokiReason[], number[]>();
  const ruleIds = (rs: readonly LokiReason[]): number[] => {
    let ids = idsCache.get(rs);
    if (ids !== undefined) return ids;
    ids = [];
    for (const r of rs) {
      const key = reasonRuleKey(r);
      let e = rules.get(key);
      if (!e) {
        e = { rule: key, kind: r.kind, count: 0, hostSet: new Set(), lastHost: undefined, id: ruleById.length, description: undefined, level: 0, byRank: [0, 0, 0, 0] };
        if (r.kind === 'hash-ioc') e.iocSet = HASH_IOC_SET.exec(r.raw)?.[1];
        rules.set(key, e);
        ruleById.push(e);
      }
      // the first description met (a YARA rule's, a hash IOC's — say `struts … CVE-2017-5638` for a bare SHA1)
      if (e.description === undefined && r.description && r.description !== '-') e.description = r.description;
      ids.push(e.id);
    }
    if (idsCache.size < IDS_CACHE_MAX) idsCache.set(rs, ids);
    return ids;
  };
  let lastReasons: readonly LokiReason[] | undefined;
  let lastIds: number[] = [];
  let touched = 0;
  // Per host (index of hostNames): the top finding — highest score, then highest level, then the first read — for the
  // Hosts table's Max score and Top rule (a new-user trial could not rank two "Indicators detected" hosts).
  const topScore = new Float64Array(hostNames.length).fill(-Infinity);
  const topRank = new Int8Array(hostNames.length);
  const topRow = new Int32Array(hostNames.length).fill(-1);
  // the same per kept scan (index of `units`), when a host has several scans kept (`keptUnit`)
  const unitTopScore = keptUnit ? new Float64Array(units.length).fill(-Infinity) : undefined;
  const unitTopRank = keptUnit ? new Int8Array(units.length) : undefined;
  const unitTopRow = keptUnit ? new Int32Array(units.length).fill(-1) : undefined;
  for (let i = 0; i < nKept; i++) {
    if ((i & (TOUCH_AHEAD - 1)) === 0) {
      // The path table's slots and records of the next findings, read ahead in one go (see PathTally.touch).
      const end = Math.min(nKept, i + TOUCH_AHEAD);
      for (let j = i; j < end; j++) touched += paths.touch(view.pathHashAt(j));
    }
    const level = view.levelAt(i);
    let rank = 0;
    if (level === 'ALERT') {
      alerts++;
      rank = 3;
    } else if (level === 'WARNING') {
      warnings++;
      rank = 2;
    } else if (level === 'NOTICE') {
      notices++;
      rank = 1;
    }
    const host = view.hostAt(i);
    const hi = keptHost[i];
    const sc = view.scoreAt(i) ?? -1; // (Python Loki logs no score on process and connection lines)
    if (sc > topScore[hi] || (sc === topScore[hi] && rank > topRank[hi])) {
      topScore[hi] = sc;
      topRank[hi] = rank;
      topRow[hi] = i;
    }
    if (keptUnit) {
      const ui = keptUnit[i];
      if (sc > unitTopScore![ui] || (sc === unitTopScore![ui] && rank > unitTopRank![ui])) {
        unitTopScore![ui] = sc;
        unitTopRank![ui] = rank;
        unitTopRow![ui] = i;
      }
    }
    const rs = view.reasonsAt(i);
    if (rs !== lastReasons) {
      lastReasons = rs;
      lastIds = ruleIds(rs);
    }
    for (let q = 0; q < lastIds.length; q++) {
      const e = ruleById[lastIds[q]];
      e.count++;
      e.byRank[rank]++;
      if (rank > e.level) e.level = rank;
      if (e.lastHost !== host) {
        e.hostSet.add(host);
        e.lastHost = host;
      }
    }
    // A process or connection finding has a process, not a file: Top processes, never Top files (its `path` is the
    // process name or its executable). A columnar row (a file finding) answers undefined without reading anything.
    const proc = view.processAt(i);
    if (proc !== undefined) {
      procs.add(proc.name ?? '', keptHost[i], view.scoreAt(i));
      continue;
    }
    const path = view.pathAt(i);
    const ph = view.pathHashAt(i);
    // `ph` first: only a path hashed as '' is read to tell whether it is empty.
    if (path !== undefined && (ph !== EMPTY_PATH_HASH || path !== '')) paths.add(i, path, ph, keptHost[i], view.scoreAt(i));
  }
  touchSink = touched;
  // Each host's top finding: its score (none: no finding logged one) and the rule of its strongest reason (highest
  // subscore, the first on a tie) as a rule key; on a scan row copied when the host has that one scan kept, else the
  // scan's own top finding (with --all-scans each scan row shows its own Max score and Top rule; they were empty).
  const topOf = (row: number, score: number): Pick<LokiHostSummary, 'maxScore' | 'topRule'> => {
    let best: LokiReason | undefined;
    for (const r of view.reasonsAt(row)) if (best === undefined || (r.subscore ?? -Infinity) > (best.subscore ?? -Infinity)) best = r;
    return { ...(score >= 0 ? { maxScore: score } : {}), ...(best ? { topRule: reasonRuleKey(best) } : {}) };
  };
  const topOfHost = new Map<string, Pick<LokiHostSummary, 'maxScore' | 'topRule'>>();
  for (const h of hosts) {
    const j = hostIdx.get(keyOfHost.get(h.host)!);
    const row = j === undefined ? -1 : topRow[j];
    if (row < 0) continue;
    const top = topOf(row, topScore[j!]);
    Object.assign(h, top);
    if (h.scans === 1) topOfHost.set(h.host, top);
  }
  scans.forEach((sc, k) => {
    const own = topOfHost.get(sc.host);
    if (own) return void Object.assign(sc, own);
    const ui = scanUnit[k];
    const row = unitTopRow?.[ui] ?? -1;
    if (row >= 0) Object.assign(sc, topOf(row, unitTopScore![ui]));
  });
  // The hash view: a pass of its own after the one above (by the numeric hash keys the parser kept; see ./hash-tally.ts).
  const hashView = tallyHashes(view, (i) => keptHost[i], hostNames.length, reasonRuleKey, (h) => hostNames[h]);
  // Rules most severe first (an ALERT rule seen once before a WARNING rule seen 40 times: a ticket's top rules must not
  // leave out the one alert), then by count; the matrix's columns are the most frequent rules.
  const byCount = [...rules.values()].sort((a, b) => b.count - a.count || cmpStr(a.rule, b.rule));
  const ruleList = [...byCount]
    .sort((a, b) => b.level - a.level || b.count - a.count || cmpStr(a.rule, b.rule))
    .map((e) => ({
      rule: e.rule,
      kind: e.kind,
      count: e.count,
      hosts: e.hostSet.size,
      alerts: e.byRank[3],
      warnings: e.byRank[2],
      notices: e.byRank[1],
      maxLevel: RANK_LEVEL[e.level], // a rule's highest finding level by its rank (RuleEntry.level)
      ...(e.description ? { description: e.description } : {}),
      ...(e.kind === 'hash-ioc' ? { name: hashIocName(e.description, e.iocSet) } : {}),
    }));
  // Every finding may have a path of its own (real fleets): select the top ones, do not sort them all.
  const scoreOf = (id: number): number => paths.maxScore(id) ?? -Infinity;
  const byScore = (a: number, b: number): number => (scoreOf(b) > scoreOf(a) ? 1 : scoreOf(b) < scoreOf(a) ? -1 : 0);
  const topIds = topKIds(paths.size, TOP_FILES_LIMIT, (a, b) => paths.count(b) - paths.count(a) || byScore(a, b) || cmpStr(paths.path(a), paths.path(b)));
  const spelling = spellingsShown(view, paths, topIds);
  const firstHost = (p: number): string => paths.hostIds(p).map((h) => hostNames[h]).sort(cmpStr)[0] ?? '';
  const topFiles = topIds.map((p, k) => ({ path: spelling[k], count: paths.count(p), hosts: paths.hosts(p), maxScore: paths.maxScore(p), host: firstHost(p) }));
  if (spelling.some((p, k) => p !== paths.path(topIds[k]))) {
    const score = (m: number | null): number => m ?? -Infinity;
    topFiles.sort((a, b) => b.count - a.count || (score(b.maxScore) > score(a.maxScore) ? 1 : score(b.maxScore) < score(a.maxScore) ? -1 : 0) || cmpStr(a.path, b.path));
  }

  const mRules = byCount.slice(0, MATRIX_RULES_LIMIT).map((r) => r.rule);
  const mCol = new Int32Array(ruleById.length).fill(-1); // rule id → matrix column
  mRules.forEach((r, j) => (mCol[rules.get(r)!.id] = j));
  const mHosts = hosts.filter((h) => h.alerts + h.warnings + h.notices > 0).map((h) => h.host);
  const mHostIdx = new Map(mHosts.map((h, i) => [h, i]));
  const mRow = Int32Array.from(hostNames, (h) => mHostIdx.get(h) ?? -1); // host index → matrix row
  const counts = mHosts.map(() => new Array<number>(mRules.length).fill(0));
  lastReasons = undefined;
  // A finding counts once per rule column however many of its reasons name the rule: `stamp[j]` is
  // the last finding (x + 1) counted in column j.
  const stamp = new Int32Array(mRules.length);
  for (let x = 0; x < nKept; x++) {
    const i = mRow[keptHost[x]];
    if (i < 0) continue;
    const rs = view.reasonsAt(x);
    if (rs !== lastReasons) {
      lastReasons = rs;
      lastIds = ruleIds(rs);
    }
    const row = counts[i];
    for (let q = 0; q < lastIds.length; q++) {
      const j = mCol[lastIds[q]];
      if (j >= 0 && stamp[j] !== x + 1) {
        stamp[j] = x + 1;
        row[j]++;
      }
    }
  }

  // 6. Files and errors.
  const errors: ParseError[] = [];
  const warningsList: ParseError[] = [];
  if (hashView.unread > 0) warningsList.push({ file: '', line: 0, message: `the hashes of ${hashView.unread} finding${hashView.unread === 1 ? '' : 's'} could not be read again (a log changed since it was read): they are not in the hash view; run the analysis again` });
  let unparsedLines = 0;
  for (const r of results) {
    for (const e of r.errors) errors.push(e);
    for (const w of r.warnings ?? []) warningsList.push(w);
    unparsedLines += fileUnparsed(r);
  }
  // A kept scan that lies inside another host's scan of its file sets aside a scan of its host in another
  // file that has alerts or warnings: said, since a line break in a value the other host logged can forge
  // such a scan (start + result) with a later time. Nothing else changes: a central syslog capture of
  // scans that ran at the same time holds such scans too (which one is real cannot be told from the lines).
  for (const u of units) {
    const w = u.scan?.within;
    if (!w || !kept.has(u)) continue;
    for (const o of byHost.get(u.key) ?? []) {
      if (kept.has(o) || o.fileIdx === u.fileIdx || o.alerts + o.warnings === 0) continue;
      const held = `${o.alerts} alert${o.alerts === 1 ? '' : 's'}, ${o.warnings} warning${o.warnings === 1 ? '' : 's'}`;
      warningsList.push({
        file: results[u.fileIdx].file,
        line: u.scan!.firstLine,
        message: `the scan of ${hostName.get(u.key)} kept (the latest) lies inside the scan of ${w.host} that began at line ${w.line}, and sets aside its scan in ${results[o.fileIdx].file} with ${held}: a line break in a value logged by ${w.host} can forge such a scan; compare them with --all-scans`,
      });
    }
  }
  // A scan dated in the future that would have been the host's latest, set aside for a scan with a plausible date.
  const futureWarned = new Set<string>();
  for (const u of units.filter((x) => !kept.has(x) && future(x)).sort(latestFirst)) {
    if (opts.includeAllScans || futureWarned.has(u.key)) continue;
    if ((keptByHost.get(u.key) ?? []).some((v) => future(v))) continue;
    futureWarned.add(u.key);
    const t = u.scan!.scanStart!;
    warningsList.push({
      file: results[u.fileIdx].file,
      line: u.scan!.firstLine,
      message: `the scan of ${hostName.get(u.key)} that starts ${isoUtc(t) || String(t)}, after the analysis, is not taken as its latest scan (a forged log, or an endpoint clock that is off): set aside${u.alerts + u.warnings > 0 ? ` with ${u.alerts} alert${u.alerts === 1 ? '' : 's'}, ${u.warnings} warning${u.warnings === 1 ? '' : 's'}` : ''}; compare them with --all-scans`,
    });
  }
  const files = results.map((r) => ({
    file: r.file,
    format: r.format,
    encoding: r.encoding,
    lines: r.lines,
    findings: r.findings.length,
    errors: r.errors.length,
    unparsedLines: fileUnparsed(r),
    scans: r.scans.length,
    ...(r.lines === 0 && r.findings.length === 0 && r.errors.some((e) => e.line === 0 && e.message.startsWith(CANNOT_READ_FILE)) ? { unreadable: true as const } : {}),
  }));

  return {
    summary: {
      files: results.length,
      hosts: hosts.length,
      hostsWithFindings: hosts.filter((h) => h.alerts + h.warnings > 0 || h.verdict === 'indicators' || h.verdict === 'suspicious').length,
      cleanHosts: hosts.filter((h) => h.verdict === 'clean').length,
      incompleteByScannerErrors: hosts.filter((h) => h.incompleteByScannerErrors).length,
      alerts,
      warnings,
      notices,
      unparsedLines,
      scansSetAside: setAside.length,
      incompleteHosts,
      scannerErrors: scannerMessages.filter((m) => m.level === 'ERROR' || m.level === 'CRITICAL').length,
      scannerCaveats: hosts.reduce((n, h) => n + (h.caveats ?? 0), 0),
      cleanWithCaveats: hosts.filter((h) => h.verdict === 'clean' && (h.caveats ?? 0) > 0).length,
    },
    hosts,
    scans,
    findings: results.every((r) => Array.isArray(r.findings)) ? findingsArray(view) : view,
    rules: ruleList,
    topFiles,
    topProcesses: procs.top(TOP_FILES_LIMIT),
    hashes: hashView.hashes,
    hashesTotal: hashView.total,
    hostRuleMatrix: { hosts: mHosts, rules: mRules, counts },
    setAside,
    ...(opts.includeAllScans ? { allScans: true as const } : {}),
    files,
    errors,
    scannerMessages,
    ...(warningsList.length > 0 ? { warnings: warningsList } : {}),
    ...(notLoki.length > 0 ? { skipped: notLoki } : {}),
  };
}

function fileUnparsed(r: LokiFileResult<FindingList>): number {
  return typeof r.unparsedLines === 'number' ? r.unparsedLines : r.errors.filter((e) => e.line > 0).length;
}

function implicitVerdict(u: Unit): Verdict {
  if (u.alerts > 0) return 'indicators';
  if (u.warnings > 0) return 'suspicious';
  return 'incomplete';
}

/**
 * The verdict of a kept scan as the reports show it: {@link unitVerdict}, but a scan that would read clean while its
 * scanner logged errors (`mc.errors` > 0: YARA rule files it could not load, …) is `incomplete` (`byErrors`): rules it
 * meant to run were not run, so "no findings" is not a trustworthy clean.
 */
function keptVerdict(u: Unit, mc: { alerts: number; warnings: number; errors: number }): { verdict: Verdict; byErrors: boolean } {
  const v = unitVerdict(u, mc);
  return v === 'clean' && mc.errors > 0 ? { verdict: 'incomplete', byErrors: true } : { verdict: v, byErrors: false };
}

/**
 * The verdict of a kept scan: the scan's own (Loki's RESULT / scan-end counters), raised to what its
 * findings show — `indicators` with an ALERT, `suspicious` with a WARNING. An interrupted scan with an
 * alert is then *indicators* (flagged `incomplete`), not ranked below a host with one warning; a scan
 * line without findings keeps Loki's verdict. Findings without a scan line: {@link implicitVerdict}.
 *
 * Python Loki's RESULT follows its counters, which count every ALERT / WARNING line it logged, the
 * non-detection lines too (`Error getting all process information…` makes "Indicators detected!", `Too many
 * matches on process memory…` "Suspicious objects detected!": loki-format.md §2.3, §5 item 29). Such a verdict
 * is lowered to what the detections show when those lines (`mc`, the scan's messages) account for it: Loki's
 * own counts (`Results:`) less its messages, or without them the findings read. Loki-RS counts its matches
 * only, so its verdict is kept. The verdict is never milder than that `Results:` count less the messages: an
 * alert Loki counted whose line was cut makes `indicators` even with no finding read (and a scan without a
 * RESULT line, `incomplete` otherwise, then reads `Indicators detected (scan incomplete; …)`).
 */
function unitVerdict(u: Unit, mc: { alerts: number; warnings: number }): Verdict {
  if (!u.scan) return implicitVerdict(u);
  let own = u.scan.verdict;
  if (u.scan.tool === 'loki' && mc.alerts + mc.warnings > 0 && (own === 'indicators' || own === 'suspicious')) {
    const rep = u.scan.reported;
    const a = Math.max(u.alerts, rep ? rep.alerts - mc.alerts : 0);
    const w = Math.max(u.warnings, rep ? rep.warnings - mc.warnings : 0);
    const det: Verdict = a > 0 ? 'indicators' : w > 0 ? 'suspicious' : 'clean';
    if (VERDICT_RANK[det] < VERDICT_RANK[own]) own = det;
  }
  // Never milder than Loki's Results line (less its non-detection lines): an alert it counted whose line was cut or
  // malformed still makes the scan `indicators` (the label says it was not read, see hostVerdictLabel).
  const counted = u.scan.reported;
  if (counted) {
    const lost: Verdict | undefined = counted.alerts - mc.alerts > 0 ? 'indicators' : counted.warnings - mc.warnings > 0 ? 'suspicious' : undefined;
    if (lost !== undefined && VERDICT_RANK[lost] > VERDICT_RANK[own]) own = lost;
  }
  const shown: Verdict | undefined = u.alerts > 0 ? 'indicators' : u.warnings > 0 ? 'suspicious' : undefined;
  return shown !== undefined && VERDICT_RANK[shown] > VERDICT_RANK[own] ? shown : own;
}
