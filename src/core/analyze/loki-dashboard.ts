/**
 * Turns a LokiAnalysis into what the dashboard shows: cards, charts, small tables, the findings
 * table's columns and a row detail. Pure (no vscode). OWNER: analytics helper.
 *
 * Times are epoch ms UTC in the data and are shown as `yyyy-MM-dd HH:mm:ss` in the display zone
 * (an IANA name or `UTC`, resolved by the caller with `resolveZone`).
 */
import type { Card, ChartSeries, DashboardModel, DashboardNotice, RowDetail, SmallTable } from '../../shared/protocol';
import type { FindingLevel, FindingList, LokiFinding } from '../model/loki';
import { groupedInt, type StoreColumn } from '../table/store';
import { formatTime, isoUtc } from '../time';
import { count, filesReadColumns, grouped, msOrNull, noun, num, orNull, toColumnDefs, txt } from './dashboard-kit';
import { ambiguousCandidatesText, noHostReason, type FleetReport } from './fleet-coverage';
import { samePath } from '../parse/path-case';
import { LOKI_RESULTS_NOTE, NO_PROCESS_NAME, cleanAndErroredHosts, hostKey, isIncompleteByScannerErrors, lokiResultsText, lokiScanId, reasonRuleKey, ruleCells, ruleNamer, hostVerdictLabel, setAsideCounts, setAsideFindingsText, setAsideScansText, type LokiAnalysis } from './loki-summary';
import { LEVEL_RANK, hashHostsText, hashPathsText } from './hash-tally';
import { processOf, strongestHash } from '../parse/loki-store';

/** Scores at or above this sort together within a level (Loki scores are sums of subscores, in the hundreds). */
const SCORE_SORT_CAP = 1e6;

/**
 * Sort key of the `level` column: severity first (ALERT 3, WARNING 2, NOTICE 1, other 0), then the
 * score within a level (no score or a negative one counts as 0; capped at {@link SCORE_SORT_CAP}).
 * Descending, the most severe and highest-scored findings come first; ties keep input order.
 */
export function levelSortKey(f: Pick<LokiFinding, 'level' | 'score'>): number {
  const s = typeof f.score === 'number' && f.score > 0 ? Math.min(f.score, SCORE_SORT_CAP - 1) : 0;
  return (LEVEL_RANK[f.level] ?? 0) * SCORE_SORT_CAP + s;
}

/** The findings table's sort when a dashboard opens: level (then score), most severe first. */
export const LOKI_DEFAULT_SORT = { column: 'level', dir: 'desc' } as const;

/** Number of bars in the top-rules and top-hosts charts. */
export const TOP_CHART_BARS = 15;
/** Rule columns in the host × rule small table. */
export const MATRIX_TABLE_RULES = 15;
/** Rows of the errors small table / problems sample. */
export const ERRORS_TABLE_LIMIT = 1000;
export const PROBLEMS_SAMPLE = 20;

/**
 * The `rule` cell of a finding: every reason's rule, joined with `, `, each named by `name` (default: its rule key,
 * {@link reasonRuleKey}); the findings table passes {@link ruleNamer} of the analysis's rules, so that a hash IOC reads
 * `Hash IOC: <description>` as in the Rules tab, not its bare hash.
 */
export function findingRules(f: LokiFinding, name: (key: string) => string = (k) => k): string {
  return f.reasons.map((r) => name(reasonRuleKey(r))).join(', ');
}

/**
 * The {@link DashboardModel.facetLabels} of a Loki dashboard: the `rule` facet of a hash IOC (its key, the hash) named
 * as the Rules tab names it (`Hash IOC: <description>`, {@link ruleCells}), so that the filter chip of a click on its
 * Rules row or Top rules bar says the same name while the filter keeps the exact key. Undefined when no rule has a
 * name (no hash IOC, or an older result).
 */
export function lokiFacetLabels(rules: readonly Pick<LokiAnalysis['rules'][number], 'rule' | 'kind' | 'description' | 'name'>[] | undefined): DashboardModel['facetLabels'] {
  const byKey: Record<string, string> = {};
  let n = 0;
  for (const r of Array.isArray(rules) ? rules : []) {
    if (!r || typeof r.rule !== 'string' || typeof r.name !== 'string') continue;
    const shown = ruleCells(r).rule;
    if (shown === r.rule) continue;
    byKey[r.rule] = shown;
    n++;
  }
  return n > 0 ? { rule: byKey } : undefined;
}

/**
 * Columns of the findings table, in display order. Ids: `level` (sorts by severity, then score:
 * {@link levelSortKey}), `host`
 * (facet: case-insensitive), `time` (epoch ms UTC, shown in `displayZone`), `module`, `kind`,
 * `path`, `score`, `rule` (all reason rules joined with `, `; facet matches when ANY reason has that
 * rule), `reasons` (count), `description` (first reason), `md5`, `sha1`, `sha256`, `fileType`,
 * `size` (the last four hidden by default), `source` (`file:line`), `scan` (hidden: the finding's
 * scan, {@link lokiScanId}; what a *Hosts* row of one scan filters on, with the host).
 *
 * `files`: the analysis's `files` (their `scans` counts tell a finding outside every scan line of its
 * file, as analyzeLoki counts it); without it every `scanIndex` ≥ 0 is taken as a scan of its file.
 * `rules`: the analysis's `rules`, which name the rules of the `rule` cells as the Rules tab does ({@link ruleNamer}: a
 * hash IOC `Hash IOC: <description>`, not its hash; without it, the rule keys). The `rule` facet stays the rule key
 * (what a Rules row or Top rules bar filters on); it also matches the name, so a chip of either filters the same findings.
 */
export function lokiFindingColumns(displayZone: string, files?: LokiAnalysis<FindingList>['files'], rules?: LokiAnalysis<FindingList>['rules']): StoreColumn<LokiFinding>[] {
  const ruleName = ruleNamer(rules);
  const scansIn = new Map<string, number>();
  for (const f of files ?? []) if (typeof f.scans === 'number') scansIn.set(f.file, f.scans);
  return [
    // Most telling first: level, score, host, time and rule fit a narrow panel beside the Explorer and the
    // detail pane; the path follows (it is long), then the rest.
    { id: 'level', title: 'Level', type: 'text', width: 80, get: (f) => f.level, sortKey: levelSortKey, firstSort: 'desc' },
    { id: 'score', title: 'Score', type: 'number', width: 76, get: (f) => f.score },
    {
      id: 'host',
      title: 'Host',
      type: 'text',
      width: 120,
      get: (f) => f.host,
      matches: (f, v) => hostKey(f.host) === hostKey(v),
    },
    {
      id: 'time',
      title: `Time (${displayZone})`,
      type: 'time',
      width: 168,
      // the detail pane shows the time: beside it the column gives its 168 px to Rule and Path
      besideDetail: 'hide',
      get: (f) => (Number.isFinite(f.timestamp) ? f.timestamp : undefined),
      format: (f) => formatTime(f.timestamp, displayZone),
    },
    {
      id: 'rule',
      title: 'Rule',
      type: 'text',
      width: 240,
      // named as the Rules tab (a hash IOC: `Hash IOC: <description>`); the facet is the key (exact: two hash IOCs of
      // one description are two rules), or the name
      get: (f) => findingRules(f, ruleName),
      matches: (f, v) =>
        f.reasons.some((r) => {
          const k = reasonRuleKey(r);
          return k === v || ruleName(k) === v;
        }),
    },
    // a Top files row's click: every spelling of a Windows path (letter case ignored, as Top files counts it)
    { id: 'path', title: 'Path', type: 'text', width: 360, get: (f) => f.path, matches: (f, v) => samePath(f.path, v) },
    { id: 'kind', title: 'Kind', type: 'text', width: 80, get: (f) => f.kind },
    // a Top processes row's click: the process (and connection) findings of a process name, as Top processes counts them
    { id: 'process', title: 'Process', type: 'text', width: 160, hidden: true, get: findingProcessName },
    { id: 'module', title: 'Module', type: 'text', width: 90, get: (f) => f.module },
    { id: 'reasons', title: 'Reasons', type: 'number', width: 60, get: (f) => f.reasons.length },
    { id: 'description', title: 'Description', type: 'text', width: 280, get: (f) => f.reasons[0]?.description },
    // every findings export has the hashes, shown or not (the hash a hash IOC matched: README, Export CSV)
    { id: 'md5', title: 'MD5', type: 'text', width: 250, alwaysExported: true, get: (f) => f.md5, matches: (f, v) => sameHash(f.md5, v) },
    { id: 'sha1', title: 'SHA1', type: 'text', width: 300, hidden: true, alwaysExported: true, get: (f) => f.sha1, matches: (f, v) => sameHash(f.sha1, v) },
    { id: 'sha256', title: 'SHA256', type: 'text', width: 420, hidden: true, alwaysExported: true, get: (f) => f.sha256, matches: (f, v) => sameHash(f.sha256, v) },
    // a Hashes row's click: the findings grouped under the hash (whose strongest hash it is), exactly the row's count
    { id: 'hash', title: 'Hash', type: 'text', width: 420, hidden: true, get: (f) => strongestHash(f), matches: (f, v) => sameHash(strongestHash(f), v) },
    { id: 'fileType', title: 'File type', type: 'text', width: 120, hidden: true, get: (f) => f.fileType },
    // file size in bytes with thousands separators (61,440,000); sorts by the number, exports the number
    { id: 'size', title: 'Size (bytes)', type: 'number', width: 110, hidden: true, get: (f) => f.size, format: (f) => groupedInt(f.size), exportRaw: true },
    {
      id: 'source',
      title: 'Source',
      type: 'text',
      width: 240,
      get: (f) => `${f.source.file}:${f.source.line}`,
    },
    { id: 'scan', title: 'Scan', type: 'text', width: 300, hidden: true, get: (f) => lokiScanId(f.source.file, f.scanIndex, scansIn.get(f.source.file)) },
  ];
}

/** The process name of a process or connection finding as Top processes counts it (LokiAnalysis.topProcesses); undefined for other findings. */
function findingProcessName(f: LokiFinding): string | undefined {
  const p = processOf(f);
  return p === undefined ? undefined : p.name || NO_PROCESS_NAME;
}

/**
 * The zone of a finding's CREATED / MODIFIED / ACCESSED as the detail pane names it. Python Loki writes them with
 * `time.ctime()`: the endpoint's local clock time, no zone or offset (loki-format.md §1.2, §5 item 9), so they cannot be
 * converted to the display zone: `endpoint's local time, zone not logged`. Loki-RS JSONL writes RFC 3339 times with
 * their offset (§3.2, `file_created`: `…+00:00`): `as logged, with UTC offset`.
 */
export function fileTimesZone(f: Pick<LokiFinding, 'created' | 'modified' | 'accessed'>): string {
  const t = f.created ?? f.modified ?? f.accessed ?? '';
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(t.trim()) ? 'as logged, with UTC offset' : 'endpoint’s local time, zone not logged';
}

/** True when hash `h` is `v` ignoring letter case (hex digits). */
function sameHash(h: string | undefined, v: string): boolean {
  return h === v || (h !== undefined && h.length === v.length && h.toLowerCase() === v.toLowerCase());
}

/**
 * The `hashes` table (IOC pivot): one row per hash of `a.hashes` (at most 1,000; the title then says
 * `first 1000 of N`), with hosts, findings, highest score and level, paths, rules (named as in the Rules table: a hash IOC
 * `Hash IOC: <description>`, {@link ruleNamer}; `a.rules` absent, their keys), the number of distinct paths and the other
 * hashes. A click filters the findings by the hash in the `hash` column (the finding's strongest hash, as the tally
 * groups them): exactly the row's findings, not a finding with this MD5 that is grouped under its SHA256.
 */
export function lokiHashesTable(a: Pick<LokiAnalysis<FindingList>, 'hashes' | 'hashesTotal'> & Partial<Pick<LokiAnalysis<FindingList>, 'rules'>>): SmallTable {
  const hs = a.hashes ?? [];
  // a rule as the Rules table names it (a hash IOC: `Hash IOC: <description>`; the hash is in the row's Hash cell)
  const ruleName = ruleNamer(a.rules);
  const total = a.hashesTotal ?? hs.length;
  return {
    id: 'hashes',
    // as the other tabs: the tab's badge counts the rows, the title says only when they are not all
    title: total > hs.length ? `Hashes (first ${grouped(hs.length)} of ${grouped(total)})` : 'Hashes',
    columns: [
      // hashes in the editor's monospace font, wrapped (a SHA256 on two lines of 32 digits): whole, and narrow enough
      // for the figures, paths and rules to be in sight at 900 px
      { ...txt('hash', 'Hash', 280), mono: true },
      num('hosts', 'Hosts'),
      txt('hostNames', 'Host names', 200),
      num('count', 'Findings'),
      num('maxScore', 'Max score'),
      txt('maxLevel', 'Max level', 80),
      { ...txt('paths', 'Paths', 420), wrap: true },
      { ...txt('rules', 'Rules', 320), wrap: true },
      // what pathCount counts: the distinct entries of Paths (file paths, a Windows path in any letter case once, and processes), not findings
      { ...num('files', 'Distinct paths', 100), description: 'Distinct file paths (a Windows path in any letter case once) and processes (process: <name> (PID n)) of the hash’s findings; Paths lists the first 5' },
      txt('type', 'Type', 70),
      { ...txt('md5', 'MD5', 250), mono: true },
      { ...txt('sha1', 'SHA1', 300), mono: true },
    ],
    rows: hs.map((h) => [
      h.hash,
      h.hosts,
      hashHostsText(h),
      h.count,
      h.maxScore,
      h.maxLevel,
      hashPathsText(h),
      h.rules.map(ruleName).join(', ') + (h.ruleCount > h.rules.length ? ` … and ${grouped(h.ruleCount - h.rules.length)} more` : ''),
      h.pathCount,
      h.type,
      h.type === 'MD5' ? h.hash : h.md5 ?? null,
      h.type === 'SHA1' ? h.hash : h.sha1 ?? null,
    ]),
    rowFacets: hs.map((h) => ({ hash: h.hash })),
  };
}

type ScanResults = Pick<LokiAnalysis['scans'][number], 'file' | 'host' | 'lokiResults'>;

/**
 * Loki's own count of the kept scans of each file (`scans`: LokiAnalysis.scans) for the *Files read* table, by file:
 * the scan's {@link lokiResultsText} (`6 alerts, 4 warnings, 3 notices`, `not logged`), `HOST: …; HOST2: …` for
 * several kept scans; a file missing from the map has no kept scan (`no kept scan`: set aside, or no scan). One pass
 * over the scans (looked up per file it was quadratic: 50,000 files took up to a minute on the extension host).
 */
export function fileResultsTexts(scans: readonly ScanResults[]): Map<string, string> {
  const byFile = new Map<string, ScanResults[]>();
  for (const h of scans) {
    const own = byFile.get(h.file);
    if (own) own.push(h);
    else byFile.set(h.file, [h]);
  }
  const out = new Map<string, string>();
  for (const [file, own] of byFile) out.set(file, own.length === 1 ? lokiResultsText(own[0]) : own.map((h) => `${h.host}: ${lokiResultsText(h)}`).join('; '));
  return out;
}

/**
 * The title of the Loki `errors` tab: `Unparsed lines` as the card that counts them, `Unparsed lines and file errors`
 * when a file could not be read at all (line 0), and `(first 1000 of N)` past {@link ERRORS_TABLE_LIMIT} rows.
 */
export function lokiUnparsedTitle(errors: readonly { line: number }[]): string {
  const base = errors.some((e) => e.line <= 0) ? 'Unparsed lines and file errors' : 'Unparsed lines';
  return errors.length > ERRORS_TABLE_LIMIT ? `${base} (first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(errors.length)})` : base;
}

/**
 * The `processes` table (Top processes): one row per process name of `a.topProcesses`, labelled `process: <name>` as
 * the hash view lists a process, with its findings, hosts and highest score — `none logged` when Loki wrote no score
 * for its findings (Python Loki's process and connection lines carry none), so no cell is empty without a reason (a
 * right-aligned text column: numbers compare as numbers in its sort). A click filters the findings by the process
 * (hidden findings column `process`).
 */
export function lokiProcessesTable(a: Pick<LokiAnalysis<FindingList>, 'topProcesses'>): SmallTable {
  const ps = a.topProcesses ?? [];
  return {
    id: 'processes',
    title: 'Top processes',
    columns: [txt('process', 'Process', 300), num('count', 'Findings'), num('hosts', 'Hosts'), { ...txt('maxScore', 'Max score', 100), align: 'right' }],
    rows: ps.map((p) => [`process: ${p.process}`, p.count, p.hosts, p.maxScore === null ? 'none logged' : String(p.maxScore)]),
    rowFacets: ps.map((p) => ({ process: p.process })),
  };
}

/**
 * The *Clean hosts* card and, when there are some, the *Incomplete scan(s)* card (its tooltip says why): hosts
 * without alert or warning findings whose scanner logged errors (YARA rule files it could not load) are not counted
 * clean (see isIncompleteByScannerErrors); their card has a warning tone and opens the *Scanner messages* tab, where
 * the error lines are. The clean card has a warning tone and the count "with scanner caveats" (not elevated, drives
 * skipped, YARA timeouts: see LokiHostSummary.caveats) when clean hosts' scanners reported some, and then opens that
 * tab too.
 */
function cleanCards(a: LokiAnalysis<FindingList>): Card[] {
  const counts = cleanAndErroredHosts(a.hosts);
  const withCaveats = a.hosts.filter((h) => h.verdict === 'clean' && !isIncompleteByScannerErrors(h) && (h.caveats ?? 0) > 0).length;
  const clean: Card =
    withCaveats > 0
      ? { id: 'cleanHosts', label: `${noun(counts.clean, 'Clean host')} (${grouped(withCaveats)} with scanner caveats)`, value: counts.clean, tone: 'warning', tab: 'scanner' }
      : { id: 'cleanHosts', label: noun(counts.clean, 'Clean host'), value: counts.clean, tone: 'ok' };
  const n = counts.incompleteByScannerErrors;
  if (n === 0) return [clean];
  // (a short label: the cards' row took five lines for "Host with an incomplete scan (scanner errors)" at 1042 px)
  return [
    clean,
    {
      id: 'incompleteByScannerErrors',
      label: noun(n, 'Incomplete scan'),
      value: n,
      tone: 'warning',
      tab: 'scanner',
      hint: `${grouped(n)} ${noun(n, 'host')} without alert or warning findings whose scanner logged errors (rule files it could not load, say): not counted clean; the Scanner messages tab lists the errors`,
    },
  ];
}

/**
 * The expected-host list of a dashboard (setting `socAnalytics.loki.expectedHostsFile`): its coverage
 * ({@link FleetReport}), or the list file and why it could not be read (`error`).
 */
export type LokiFleetInput = FleetReport | { file: string; error: string };

/**
 * The rows of the `coverage` table with their click facets, lazily (the table takes the first {@link ERRORS_TABLE_LIMIT}):
 * expected hosts without a scan, ambiguous candidates (the note names at most 10 candidates), scanned hosts not on the
 * list, short-name matches.
 */
function* coverageRows(c: FleetReport['coverage']): Generator<[(string | null)[], Record<string, string> | undefined]> {
  for (const h of c.missing) yield [[h, 'No scan', null], undefined];
  for (const a of c.ambiguous) {
    const note = `a scan of ${a.scanned} could be any of ${ambiguousCandidatesText(a)}`;
    for (const h of a.candidates) yield [[h, 'Ambiguous', note], { host: a.scanned }];
  }
  for (const h of c.unexpected) yield [[h, 'Scanned, not on the list', null], { host: h }];
  for (const m of c.shortNameMatches) yield [[m.expected, 'Scanned (by short name)', `scanned as ${m.scanned.join(', ')}`], m.scanned.length === 1 ? { host: m.scanned[0] } : undefined];
}

/**
 * The fleet-coverage parts of the dashboard: the card `expectedMissing` ("Expected hosts without a scan",
 * warning tone when there are some; it opens the `coverage` tab), the `coverage` table (one row per expected
 * host without a scan, ambiguous short name, scanned host not on the list and short-name match, at most
 * {@link ERRORS_TABLE_LIMIT} rows, the title then saying `first 1000 of N rows`; a click on a
 * scanned host's row filters the findings by it) and notices (the list unreadable, lines of it not read). A list that
 * gave no host ({@link noHostReason}) is a warning notice and neither card nor table.
 */
export function lokiFleetParts(fleet: LokiFleetInput | undefined): { cards: Card[]; tables: SmallTable[]; notices: DashboardNotice[] } {
  if (!fleet) return { cards: [], tables: [], notices: [] };
  if ('error' in fleet) {
    return {
      cards: [],
      tables: [],
      notices: [{ id: 'expectedHosts', severity: 'warning', title: 'Expected-hosts list not read — no fleet coverage', lines: [fleet.error, 'Setting socAnalytics.loki.expectedHostsFile: a file with one host per line, or a CSV export; relative to the workspace folder of the first input.'] }],
    };
  }
  const none = noHostReason(fleet.list);
  if (none !== undefined) {
    // no host read: no coverage to show (a card "0 without a scan" would read as full coverage)
    return {
      cards: [],
      tables: [],
      notices: [
        {
          id: 'expectedHosts',
          severity: 'warning',
          title: 'Expected-hosts list gave no host — no fleet coverage',
          lines: [`${fleet.file}: ${none}`, ...fleet.list.problems.slice(0, 5).map((p) => `${fleet.file}:${p.line}: ${p.message}`)],
        },
      ],
    };
  }
  const c = fleet.coverage;
  const ambiguousHosts = c.ambiguous.reduce((n, a) => n + a.candidates.length, 0);
  const rows: (string | null)[][] = [];
  const facets: (Record<string, string> | undefined)[] = [];
  // at most ERRORS_TABLE_LIMIT rows, as the other small tables (a list of 100,000 hosts shipped them all to the webview)
  const totalRows = c.missing.length + ambiguousHosts + c.unexpected.length + c.shortNameMatches.length;
  for (const [row, facet] of coverageRows(c)) {
    if (rows.length >= ERRORS_TABLE_LIMIT) break;
    rows.push(row);
    facets.push(facet);
  }
  const notices: DashboardNotice[] = [];
  if (fleet.list.problemCount > 0) {
    notices.push({
      id: 'expectedHostsLines',
      severity: 'warning',
      title: `Expected-hosts list: ${count(fleet.list.problemCount, 'line')} not read (the other hosts were)`,
      lines: fleet.list.problems.slice(0, 5).map((p) => `${fleet.file}:${p.line}: ${p.message}`),
    });
  }
  if (fleet.list.encoding) {
    notices.push({ id: 'expectedHostsEncoding', severity: 'warning', title: 'Expected-hosts list: not UTF-8 (read as windows-1252)', lines: [`${fleet.file}:${fleet.list.encoding.line}: ${fleet.list.encoding.message}`] });
  }
  return {
    cards: [
      {
        id: 'expectedMissing',
        label: ambiguousHosts > 0 ? `${noun(c.missing.length, 'Expected host', 'Expected hosts')} without a scan (and ${grouped(ambiguousHosts)} ambiguous: at most ${grouped(c.ambiguous.length)} of them scanned)` : `${noun(c.missing.length, 'Expected host', 'Expected hosts')} without a scan`,
        value: c.missing.length,
        tone: c.missing.length > 0 || ambiguousHosts > 0 ? 'warning' : 'ok',
        tab: 'coverage',
      },
    ],
    tables: [
      {
        id: 'coverage',
        title: `Fleet coverage (${grouped(c.scanned)} of ${grouped(c.expected)} expected scanned${ambiguousHosts > 0 ? `, ${grouped(ambiguousHosts)} ambiguous` : ''}, ${grouped(c.unexpected.length)} not on the list${totalRows > ERRORS_TABLE_LIMIT ? `; first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(totalRows)} rows` : ''})`,
        columns: [txt('host', 'Host', 220), txt('status', 'Status', 190), txt('note', 'Note', 400)],
        rows,
        rowFacets: facets,
      },
    ],
    notices,
  };
}

/**
 * The note under the Loki *Top rules* chart: its order (most findings first, unlike the Rules table's most severe first)
 * and its colours (each bar the colour of its rule's highest level, as in *Findings by level*).
 */
export const TOP_RULES_NOTE = 'Most findings first; bar colour: the rule’s highest level (ALERT, WARNING, NOTICE as in Findings by level). The Rules table lists ALERT rules first.';

/**
 * Builds the dashboard model (everything but the findings rows) for an analysis.
 * Cards: files, hosts, hostsWithFindings, cleanHosts, alerts/warnings/notices (with a `level`
 * facet), unparsed, setAside. Charts: `top-rules`, `top-hosts` (by alerts+warnings+notices),
 * `levels`. Small tables: `hosts` (one row per kept scan; a click filters by host, and when a host has
 * several rows, by that row's scan too: `rowFacets` `{ host, scan }`), `rules`, `files` (top files),
 * `matrix`, `inputs`, `errors`, `warnings` (the parser's warnings, with a `parserWarnings` card that
 * opens it; both only when there are some: e.g. Loki reported more alerts than were read).
 * `problems.count` = all entries of `analysis.errors` (unparsed lines and file-level errors).
 * `fleet`: the expected-host list, when one is set: its card (after `hosts`), table and notices ({@link lokiFleetParts}).
 */
export function buildLokiDashboard(a: LokiAnalysis<FindingList>, title: string, displayZone: string, fleet?: LokiFleetInput): DashboardModel {
  const s = a.summary;
  const fleetParts = lokiFleetParts(fleet);
  const hiddenFindings = setAsideFindingsText(a.setAside);
  const parserWarnings = a.warnings ?? [];
  const cards: Card[] = [
    { id: 'files', label: noun(s.files, 'File'), value: s.files, tone: 'info' },
    { id: 'hosts', label: noun(s.hosts, 'Host'), value: s.hosts, tone: 'info' },
    ...fleetParts.cards,
    { id: 'hostsWithFindings', label: `${noun(s.hostsWithFindings, 'Host')} with findings`, value: s.hostsWithFindings, tone: s.hostsWithFindings > 0 ? 'warning' : 'ok' },
    // A scan without findings whose scanner reported errors (say a YARA file it could not read) is incomplete, not clean.
    ...cleanCards(a),
    // Hosts whose latest scan was cut short: only when there are some (the Hosts table shows their scans).
    ...((s.incompleteHosts ?? 0) > 0
      ? [{ id: 'incompleteHosts', label: `${noun(s.incompleteHosts, 'Host')} with an incomplete latest scan`, value: s.incompleteHosts, tone: 'warning', tab: 'hosts' } satisfies Card]
      : []),
    { id: 'alerts', label: noun(s.alerts, 'Alert'), value: s.alerts, tone: s.alerts > 0 ? 'alert' : 'ok', facet: { level: 'ALERT' } },
    { id: 'warnings', label: noun(s.warnings, 'Warning'), value: s.warnings, tone: s.warnings > 0 ? 'warning' : 'ok', facet: { level: 'WARNING' } },
    { id: 'notices', label: noun(s.notices, 'Notice'), value: s.notices, tone: 'notice', facet: { level: 'NOTICE' } },
    // (opens the tab of the same name, where they are)
    { id: 'unparsed', label: noun(s.unparsedLines, 'Unparsed line'), value: s.unparsedLines, tone: s.unparsedLines > 0 ? 'warning' : 'ok', ...(a.errors.length > 0 ? { tab: 'errors' } : {}) },
    // Findings of set-aside scans are not in the table: their alerts and warnings are named (a warning tone).
    // With every scan kept nothing can be set aside: no card.
    ...(a.allScans
      ? []
      : [
          hiddenFindings
            ? ({ id: 'setAside', label: `${noun(s.scansSetAside, 'Scan')} set aside (${hiddenFindings} not shown)`, value: s.scansSetAside, tone: setAsideCounts(a.setAside).alerts > 0 ? 'alert' : 'warning', tab: 'setAside' } satisfies Card)
            : ({ id: 'setAside', label: `${noun(s.scansSetAside, 'Scan')} set aside`, value: s.scansSetAside, tone: 'info', ...(s.scansSetAside > 0 ? { tab: 'setAside' } : {}) } satisfies Card),
        ]),
    // the scanner's own ERROR lines: they are in the Scanner messages tab, which the card opens (not the Unparsed lines tab,
    // which holds the lines this extension could not read)
    { id: 'scannerErrors', label: noun(s.scannerErrors ?? 0, 'Scanner error'), value: s.scannerErrors ?? 0, tone: (s.scannerErrors ?? 0) > 0 ? 'warning' : 'ok', ...((s.scannerErrors ?? 0) > 0 ? { tab: 'scanner' } : {}) },
    // The parser's notes (records kept, yet worth a look: Loki reported more alerts than were read, a scan
    // start inside a running scan…): only when there are some; the card opens their tab.
    ...(parserWarnings.length > 0 ? [{ id: 'parserWarnings', label: noun(parserWarnings.length, 'Parser warning'), value: parserWarnings.length, tone: 'warning', tab: 'warnings' } satisfies Card] : []),
  ];

  // the chart's bars are counts: its rules are the most frequent (the Rules table lists the most severe first)
  const topRules = [...a.rules].sort((x, y) => y.count - x.count || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0)).slice(0, TOP_CHART_BARS);
  const topHosts = [...a.hosts]
    .map((h) => ({ h, n: h.alerts + h.warnings + h.notices }))
    .filter((x) => x.n > 0)
    .sort((x, y) => y.n - x.n || (x.h.host < y.h.host ? -1 : x.h.host > y.h.host ? 1 : 0))
    .slice(0, TOP_CHART_BARS);
  const charts: ChartSeries[] = [
    // a hash IOC's bar is labelled with its name (`Hash IOC: <description>`, as the Rules table and the findings' Rule
    // cells); its click filters by the rule key (the hash: exact), whose chip says the name (facetLabels)
    // ordered by findings (the Rules table lists the most severe first): each bar in its rule's highest level's colour
    // (the theme's ALERT / WARNING / NOTICE colours of "Findings by level"), and the title and note say so
    {
      id: 'top-rules',
      title: `Top ${count(topRules.length, 'rule')} by findings`,
      note: TOP_RULES_NOTE,
      labels: topRules.map((r) => r.name ?? r.rule),
      values: topRules.map((r) => r.count),
      ...(topRules.some((r) => r.maxLevel) ? { colorKeys: topRules.map((r) => r.maxLevel ?? '') } : {}),
      facetColumn: 'rule',
      facetValues: topRules.map((r) => r.rule),
      axes: { label: 'Rule', value: 'Findings' },
    },
    { id: 'top-hosts', title: `Top ${count(topHosts.length, 'host')} by findings`, labels: topHosts.map((x) => x.h.host), values: topHosts.map((x) => x.n), facetColumn: 'host', axes: { label: 'Host', value: 'Findings' } },
    {
      id: 'levels',
      title: 'Findings by level',
      labels: ['ALERT', 'WARNING', 'NOTICE'],
      values: [s.alerts, s.warnings, s.notices],
      colorKeys: ['ALERT', 'WARNING', 'NOTICE'],
      facetColumn: 'level',
      axes: { label: 'Level', value: 'Findings' },
    },
  ];

  const zoneLabel = displayZone;
  const m = a.hostRuleMatrix;
  const inputCols = filesReadColumns(a.files.map((f) => f.file));
  const mRules = m.rules.slice(0, MATRIX_TABLE_RULES);
  const matrixRuleName = ruleNamer(a.rules);
  const fileResults = fileResultsTexts(a.scans);
  // the scans set aside the table lists (bounded like the errors table: a forged log can hold any number; alerts first)
  const setAsideShown = [...a.setAside].sort((x, y) => y.alerts - x.alerts || y.warnings - x.warnings).slice(0, ERRORS_TABLE_LIMIT);
  const tables: SmallTable[] = [
    {
      id: 'hosts',
      // One row per kept scan: with every scan kept, a host scanned twice has two rows, each with its own times.
      title: a.scans.length > a.hosts.length ? 'Hosts (one row per scan)' : 'Hosts',
      columns: [
        txt('host', 'Host', 160),
        txt('verdict', 'Verdict', 190),
        // which host first, among hosts of one verdict (a new-user trial: DS1's mimikatz hits at 145 and DS-SER1's one
        // vulnerable-library hash read alike): the host's top finding's score and the rule of its strongest reason
        { ...num('maxScore', 'Max score', 80), description: 'The highest score of the host’s findings (one row per scan: of that scan’s; none: no finding logged one)' },
        { ...txt('topRule', 'Top rule', 200), maxWidth: 200, description: 'The rule of the strongest reason of the host’s top finding (highest score, then level; one row per scan: that scan’s)' },
        // the findings read (Loki's own Results line is in Files read, beside the findings read per file: a column more
        // here would not fit a 1042 px dashboard)
        { ...num('alerts', 'Alerts'), description: 'ALERT findings read from the scan’s log (Loki’s own Results line: Files read)' },
        { ...num('warnings', 'Warnings'), description: 'WARNING findings read from the scan’s log (Loki’s own Results line: Files read)' },
        { ...num('notices', 'Notices'), description: 'NOTICE findings read from the scan’s log (Loki’s own Results line: Files read)' },
        num('scanErrors', 'Scanner errors', 110),
        // ("Loki", as the CLI's LOKI column: "Loki version" took 40 px more than its values, and the Verdict column needs
        // them for "Incomplete scan (scanner errors)" in a 1042 px dashboard)
        { ...txt('lokiVersion', 'Loki', 60), description: 'The Loki version of the scan' },
        { id: 'scanStart', title: `Scan start (${zoneLabel})`, type: 'time', width: 168 },
        { id: 'scanEnd', title: `Scan end (${zoneLabel})`, type: 'time', width: 168 },
      ],
      rows: a.scans.map((h) => [
        h.host,
        hostVerdictLabel(h),
        h.maxScore ?? null,
        h.topRule === undefined ? null : matrixRuleName(h.topRule),
        h.alerts,
        h.warnings,
        h.notices,
        h.scanErrors,
        h.lokiVersion ?? null,
        orNull(formatTime(h.scanStart, displayZone)),
        orNull(formatTime(h.scanEnd, displayZone)),
      ]),
      exportTimes: { scanStart: a.scans.map((h) => msOrNull(h.scanStart)), scanEnd: a.scans.map((h) => msOrNull(h.scanEnd)) },
      facetColumn: 'host',
      facetIndex: 0,
      // With every scan kept, a host scanned twice has a row per scan: the row shows that scan's findings, not the host's.
      ...(a.scans.length > a.hosts.length ? { rowFacets: a.scans.map((h) => (h.scanId !== undefined ? { host: h.host, scan: h.scanId } : undefined)) } : {}),
    },
    {
      id: 'rules',
      title: 'Rules',
      // most severe first, then by count (LokiAnalysis.rules), as the CLI report and the Markdown summary; the verdict
      // mix (its findings by level) beside the count, so that a noisy rule of mostly notices shows as such
      columns: [
        txt('rule', 'Rule', 260),
        txt('maxLevel', 'Max level', 80),
        txt('kind', 'Kind', 90),
        num('count', 'Findings'),
        num('alerts', 'Alerts', 70),
        num('warnings', 'Warnings', 80),
        num('notices', 'Notices', 70),
        num('hosts', 'Hosts'),
        txt('description', 'Description', 320),
      ],
      // a hash IOC as `Hash IOC: <description>` with its hash as the description (ruleCells); a click filters by the rule key
      rows: a.rules.map((r) => {
        const c = ruleCells(r);
        return [c.rule, r.maxLevel ?? null, r.kind, r.count, r.alerts, r.warnings, r.notices, r.hosts, c.description || null];
      }),
      facetColumn: 'rule',
      facetIndex: 0,
      ...(a.rules.some((r) => r.name !== undefined) ? { rowFacets: a.rules.map((r) => (r.name !== undefined ? { rule: r.rule } : undefined)) } : {}),
    },
    {
      id: 'files',
      title: 'Top files',
      columns: [txt('path', 'Path', 400), num('count', 'Findings'), num('hosts', 'Hosts'), num('maxScore', 'Max score')],
      rows: a.topFiles.map((f) => [f.path, f.count, f.hosts, f.maxScore]),
      facetColumn: 'path',
      facetIndex: 0,
    },
    // process and connection findings (no file path): a tab of their own, only when there are some; a click shows the
    // process's findings (hidden findings column `process`)
    ...((a.topProcesses ?? []).length > 0 ? [lokiProcessesTable(a)] : []),
    lokiHashesTable(a),
    {
      id: 'matrix',
      title: 'Hosts × top rules',
      // rules named as the Rules tab (a hash IOC: `Hash IOC: <description>`, not its hash)
      columns: [txt('host', 'Host', 160), ...mRules.map((r, j) => num(`r${j}`, matrixRuleName(r), 90))],
      rows: m.hosts.map((h, i) => [h, ...m.counts[i].slice(0, mRules.length)]),
      facetColumn: 'host',
      facetIndex: 0,
      // shaded by count: which hosts share a rule stands out (a new-user trial read the bare numbers cell by cell)
      heat: true,
    },
    {
      id: 'inputs',
      title: 'Files read',
      // ours (the findings read) beside Loki's own count (its Results line), each named; the file's name in view (its
      // path below the folder the files share), its folder last (filesReadColumns)
      columns: [
        inputCols.file,
        txt('format', 'Format', 110),
        txt('encoding', 'Encoding', 80),
        num('lines', 'Lines'),
        { ...num('findings', 'Findings read'), description: 'Findings read from the file (its scans set aside included)' },
        { ...txt('lokiResults', 'Loki’s Results line', 240), description: `Loki’s own count of the file’s kept scans (Python: its Results line; Loki-RS: its scan end): ${LOKI_RESULTS_NOTE}` },
        { ...num('errors', 'Read errors'), description: 'Lines of the file that could not be read, or the file itself (binary, unreadable): the Unparsed lines tab lists them' },
        inputCols.folder,
      ],
      rows: a.files.map((f, i) => [inputCols.names[i], f.format, f.encoding, f.lines, f.findings, fileResults.get(f.file) ?? 'no kept scan', f.errors, inputCols.folders[i]]),
      cellTitles: { file: inputCols.titles },
    },
    {
      // the lines (and files) this extension could not read — named as their card, never "Errors" beside the scanner's
      // own errors (the Scanner errors card, whose lines are in Scanner messages)
      id: 'errors',
      title: lokiUnparsedTitle(a.errors),
      columns: [txt('file', 'File', 400), num('line', 'Line'), txt('message', 'Message', 400)],
      rows: a.errors.slice(0, ERRORS_TABLE_LIMIT).map((e) => [e.file, e.line > 0 ? e.line : null, e.message]),
    },
    ...(parserWarnings.length > 0
      ? [
          {
            id: 'warnings',
            title: parserWarnings.length > ERRORS_TABLE_LIMIT ? `Parser warnings (first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(parserWarnings.length)})` : 'Parser warnings',
            columns: [txt('file', 'File', 400), num('line', 'Line'), txt('message', 'Message', 600)],
            rows: parserWarnings.slice(0, ERRORS_TABLE_LIMIT).map((e) => [e.file, e.line > 0 ? e.line : null, e.message]),
          } satisfies SmallTable,
        ]
      : []),
    {
      id: 'scanner',
      title: (a.scannerMessages ?? []).length > ERRORS_TABLE_LIMIT ? `Scanner messages (first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(a.scannerMessages.length)})` : 'Scanner messages',
      columns: [
        txt('host', 'Host', 140),
        txt('level', 'Level', 80),
        txt('module', 'Module', 90),
        { id: 'time', title: `Time (${zoneLabel})`, type: 'time', width: 168 },
        { ...txt('message', 'Message', 520), maxWidth: 900 },
        // (the log file's path and line: cut at 280 px, whole in the tooltip, so the message has the room)
        { ...txt('source', 'Source', 300), maxWidth: 280 },
      ],
      rows: (a.scannerMessages ?? []).slice(0, ERRORS_TABLE_LIMIT).map((m) => [m.host, m.level, m.module, orNull(formatTime(m.timestamp, displayZone)), m.message, `${m.source.file}:${m.source.line}`]),
      exportTimes: { time: (a.scannerMessages ?? []).slice(0, ERRORS_TABLE_LIMIT).map((m) => msOrNull(m.timestamp)) },
      facetColumn: 'host',
      facetIndex: 0,
    },
    ...(a.setAside.length > 0
      ? [
          {
            // which scans were left out and what they hold (their findings are in no count or table: Include All Scans shows them)
            id: 'setAside',
            // (bounded like the errors table: a forged log can hold any number of scans; the ones with alerts first)
            title: a.setAside.length > ERRORS_TABLE_LIMIT ? `Scans set aside (first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(a.setAside.length)})` : 'Scans set aside',
            columns: [txt('host', 'Host', 160), { id: 'scanStart', title: `Scan start (${zoneLabel})`, type: 'time', width: 168 }, txt('file', 'File', 400), num('findings', 'Findings'), num('alerts', 'Alerts'), num('warnings', 'Warnings')],
            rows: setAsideShown.map((x) => [x.host, orNull(formatTime(x.scanStart, displayZone)), x.file, x.findings, x.alerts, x.warnings]),
            exportTimes: { scanStart: setAsideShown.map((x) => msOrNull(x.scanStart)) },
          } satisfies SmallTable,
        ]
      : []),
    ...(a.skipped && a.skipped.length > 0
      ? [
          {
            id: 'skipped',
            title: 'Skipped files',
            columns: [txt('file', 'File', 500), txt('reason', 'Why it was not analyzed', 500)],
            rows: a.skipped.map((k) => [k.file, k.reason]),
          } satisfies SmallTable,
        ]
      : []),
    ...fleetParts.tables,
  ];

  const subtitle =
    // (every count grouped en-US: `2,400,000 warnings`, as the cards)
    `${count(s.files, 'file')}, ${count(s.hosts, 'host')}, ` +
    `${count(s.alerts, 'alert')}, ${count(s.warnings, 'warning')}, ${count(s.notices, 'notice')}` +
    (s.scansSetAside > 0 ? `, ${setAsideScansText(a.setAside, s.scansSetAside)} set aside${hiddenFindings ? ` (${hiddenFindings} not shown)` : ''}` : '') +
    ((s.incompleteHosts ?? 0) > 0 ? `, ${count(s.incompleteHosts, 'host')} with an incomplete latest scan` : '') +
    ((s.scannerErrors ?? 0) > 0 ? `, ${count(s.scannerErrors, 'scanner error')}` : '') +
    ` — times in ${displayZone}`;

  const facetLabels = lokiFacetLabels(a.rules);
  return {
    kind: 'loki',
    title,
    subtitle,
    cards,
    charts,
    tables,
    columns: toColumnDefs(lokiFindingColumns(displayZone)),
    totalRows: a.findings.length,
    defaultSort: { ...LOKI_DEFAULT_SORT },
    displayZone,
    problems: {
      count: a.errors.length,
      sample: a.errors.slice(0, PROBLEMS_SAMPLE).map((e) => ({ file: e.file, line: e.line, message: e.message })),
    },
    ...(fleetParts.notices.length > 0 ? { notices: fleetParts.notices } : {}),
    // a hash IOC's filter chip (its Rules row, its Top rules bar: the facet is the hash) says its name, as the Rules tab
    ...(facetLabels ? { facetLabels } : {}),
  };
}

/**
 * All fields of one finding as label/value text (undefined fields left out), one section per
 * reason. `row` is the store row id echoed back. `canReveal` when the finding has a source line.
 * `ruleName`: how a reason's rule key is named in its section title ({@link ruleNamer} of the analysis's rules: a hash
 * IOC `Reason 1: Hash IOC: <description>`, as the Rule cell; its `Rule` field keeps the key, the hash); default the key.
 */
export function lokiFindingDetail(f: LokiFinding, row: number, displayZone: string, ruleName: (key: string) => string = (k) => k): RowDetail {
  const fields: { label: string; value: string }[] = [];
  const add = (label: string, v: string | number | undefined | null) => {
    if (v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v))) return;
    fields.push({ label, value: String(v) });
  };
  add('Level', f.level);
  add('Host', f.host);
  const local = formatTime(f.timestamp, displayZone);
  add(`Time (${displayZone})`, local);
  add('Time (UTC, ISO 8601)', isoUtc(f.timestamp));
  if (!local) add('Time', 'unreadable');
  add('Module', f.module);
  add('Kind', f.kind);
  add('Path', f.path);
  add('Score', f.score);
  add('File type', f.fileType);
  add('Size (bytes)', groupedInt(f.size));
  add('First bytes', f.firstBytes);
  add('MD5', f.md5);
  add('SHA1', f.sha1);
  add('SHA256', f.sha256);
  const zone = fileTimesZone(f);
  add(`Created (${zone})`, f.created);
  add(`Modified (${zone})`, f.modified);
  add(`Accessed (${zone})`, f.accessed);
  add('PID', f.pid);
  add('Process name', f.processName);
  add('Owner', f.owner);
  add('Command line', f.commandLine);
  add('IP', f.ip);
  add('Port', f.port);
  add('Reasons', f.reasons.length);
  add('Message', f.message);
  add('Source', `${f.source.file}:${f.source.line}`);
  add('Scan in this file', f.scanIndex + 1); // 1-based, as the Scan column and its filter chip ('… · scan 1')

  const sections = f.reasons.map((r, i) => {
    const sf: { label: string; value: string }[] = [];
    const put = (label: string, v: string | number | undefined) => {
      if (v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) return;
      sf.push({ label, value: String(v) });
    };
    put('Kind', r.kind);
    put('Rule', r.rule);
    put('Subscore', r.subscore);
    put('Description', r.description);
    put('Reference', r.ref);
    put('Author', r.author);
    put('Matches', r.matches);
    put('Hash type', r.hashType);
    put('Raw', r.raw);
    return { title: `Reason ${i + 1}: ${ruleName(reasonRuleKey(r))}`, fields: sf };
  });

  const what = f.path ?? f.processName ?? f.ip ?? f.message.slice(0, 80);
  return {
    row,
    title: `${f.level} · ${f.host} · ${what}`,
    fields,
    sections,
    canReveal: f.source.line > 0,
  };
}

/**
 * The Results-tree line and tooltip of a Loki analysis (`7 alerts · 1 warning`: short enough to read beside the input's
 * name in the default sidebar; the hosts, files and the rest are in the tooltip), with singular/plural right.
 * `setAside`: the analysis's scans set aside, whose alerts and warnings the tooltip names (they are not in the counts).
 */
export function lokiTreeText(s: LokiAnalysis['summary'], setAside?: LokiAnalysis<FindingList>['setAside']): { description: string; tooltip: string } {
  const hidden = setAsideFindingsText(setAside);
  return {
    // (short: the Results view's default ~300 px sidebar cut `4 hosts · 7 al…` after the label and the row's actions;
    // the hosts are the node's children and in the tooltip)
    description: `${count(s.alerts, 'alert')} · ${count(s.warnings, 'warning')}`,
    tooltip:
      `${count(s.files, 'file')}, ${count(s.hosts, 'host')} (${s.hostsWithFindings.toLocaleString('en-US')} with findings, ${s.cleanHosts.toLocaleString('en-US')} clean` +
      (s.incompleteByScannerErrors ? `, ${s.incompleteByScannerErrors.toLocaleString('en-US')} with an incomplete scan (scanner errors)` : '') +
      `), ` +
      `${count(s.alerts, 'alert')}, ${count(s.warnings, 'warning')}, ${count(s.notices, 'notice')}, ${count(s.unparsedLines, 'unparsed line')}` +
      (s.scansSetAside ? `, ${setAsideScansText(setAside, s.scansSetAside)} set aside${hidden ? ` (${hidden} not shown)` : ''}` : '') +
      (s.incompleteHosts ? `, ${count(s.incompleteHosts, 'host')} with an incomplete latest scan` : '') +
      (s.scannerErrors ? `, ${count(s.scannerErrors, 'scanner error')}` : ''),
  };
}

