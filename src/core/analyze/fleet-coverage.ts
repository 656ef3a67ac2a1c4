/**
 * Fleet coverage of a Loki sweep: which endpoints of an expected-host list have no scan among the
 * results, and which scanned hosts are not on the list. Pure analytics plus one async file read
 * ({@link readExpectedHosts}); no vscode. Used by the CLI (`loki --expected-hosts FILE`) and the
 * Loki dashboard (setting `socAnalytics.loki.expectedHostsFile`).
 *
 * Host names are compared as {@link fleetHostKey} spells them (trimmed, lower case, without the trailing dot of a
 * fully qualified name: `ds1.corp.local.` is `ds1.corp.local`). When the full name
 * of an expected host has no scan, its first DNS label is tried: a bare name (one label, `ws01`)
 * and an FQDN whose first label it is (`WS01.corp.local`) are one host. Two FQDNs in different
 * domains (`ws01.corp.local`, `ws01.lab.local`) are never the same host, and IP addresses are only
 * compared whole.
 */
import { promises as fsp } from 'node:fs';
import { readBounded } from '../fs-read';
import * as path from 'node:path';
import { decodeTableText, parseCsvText } from '../parse/cases-input';
import { hostKey } from '../parse/text';

/** A host name as compared here: {@link hostKey} (trimmed, lower case) without a trailing dot (`DS1.corp.local.` → `ds1.corp.local`). */
export const fleetHostKey = (name: string): string => hostKey(name).replace(/\.+$/, '');

/** Most problems kept per list ({@link ExpectedHostList.problemCount} counts them all). */
export const MAX_LIST_PROBLEMS = 100;
/** Largest expected-host list read, in bytes (a list of a few thousand hosts is some 100 KB). */
export const MAX_LIST_BYTES = 32 * 1024 * 1024;
/** Longest host name kept (a DNS name has at most 253 characters). */
export const MAX_HOST_CHARS = 255;

/**
 * CSV header names of the host column, in order of preference, compared case-insensitively with
 * spaces, `_` and `-` left out (`Computer Name`, `computer_name` and `ComputerName` are one name).
 */
export const HOST_COLUMN_NAMES = ['host', 'hostname', 'computername', 'devicename', 'name', 'fqdn'] as const;

/** One line of the list that gave no host (1-based line of the file). */
export interface ListProblem {
  line: number;
  message: string;
}

/** An expected-host list as read. */
export interface ExpectedHostList {
  /** Distinct hosts (by {@link fleetHostKey}), spelled as first listed, in list order. */
  hosts: string[];
  /** `text`: one host per line; `csv`: a CSV export (see {@link parseExpectedHosts}). */
  format: 'text' | 'csv';
  /** CSV: the header of the column the hosts were taken from, as written; text: a first line that is such a header (`Hostname`), skipped. */
  column?: string;
  /** Lines that gave no host, in file order (at most {@link MAX_LIST_PROBLEMS}). */
  problems: ListProblem[];
  /** All such lines (also those past the cap). */
  problemCount: number;
  /** Entries left out because the same host (by {@link fleetHostKey}) was listed before. */
  duplicates: number;
  /** The file was not UTF-8: where and how it was decoded (windows-1252). The hosts were read; shown as a note. */
  encoding?: ListProblem;
}

/** Why `name` is no host name (undefined when it can be one): white space, control or separator characters, too long. */
function hostNameProblem(name: string): string | undefined {
  if (name.length > MAX_HOST_CHARS) return `longer than ${MAX_HOST_CHARS} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(name)) return 'holds white space or a control character (one host per line)';
  if (/[,;"'<>|\\/*?=]/.test(name)) return 'holds a character no host name has (, ; " \' < > | \\ / * ? =)';
  return undefined;
}

/** `Computer Name` → `computername`: a header as {@link HOST_COLUMN_NAMES} spells it. */
const headerKey = (h: string): string => h.replace(/^\ufeff/, '').toLowerCase().replace(/[\s_-]+/g, '');

/**
 * Where a `#` comment starts in a line, or -1: a `#` directly followed by a delimiter (`,` `;` tab) is no comment
 * (a CSV header `#,Hostname,IP` names its index column `#`).
 */
const commentAt = (line: string): number => line.search(/#(?![,;\t])/);
/** A line without its `#` comment ({@link commentAt}), trimmed. */
const uncommented = (line: string): string => {
  const i = commentAt(line);
  return (i >= 0 ? line.slice(0, i) : line).trim();
};
/** An IPv4 or IPv6 address, or a number: a CSV cell that is data, never a column name. */
const isDataCell = (cell: string): boolean => /^\d+(?:\.\d+)*$/.test(cell.trim()) || /^[\da-f]*:[\da-f:.]*$/i.test(cell.trim());

/** Shortens a text shown in a problem message. */
const shown = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/**
 * Reads an expected-host list from its text. Never throws on content: lines that give no host are
 * in `problems` with their line number, everything else is kept.
 *
 * Formats:
 * - **CSV** when `fileName` ends with `.csv` or `.tsv`, or when the first line that is neither blank
 *   nor a comment holds a comma, semicolon or tab once its `#` comment is left out (`DS1  # DC, site A`
 *   is text): parsed with csv-parse (delimiter sniffed from the header line; quotes, CRLF and a BOM as
 *   in the case exports). The first record is the header, unless it names no host column and is one
 *   column or holds an address or number (`DS1`, `ds1,10.0.0.1`: a headerless list, its first record a
 *   host); the host column is the first header in {@link HOST_COLUMN_NAMES} order (`host`, `hostname`,
 *   `computer name`, `device name`, `name`, `fqdn`; case, spaces, `_` and `-` ignored), else the
 *   first column. Lines starting with `#` are comments, except `#` directly followed by a delimiter
 *   (a header `#,Hostname,IP`). A record with an empty host cell is a problem.
 * - **Text** otherwise: one host per line; blank lines and `#` comments (whole lines, or after the
 *   name) are ignored, and so is a first line that is a host-column header (`Hostname`: a one-column
 *   export). A line holding white space inside the name, a separator character or more
 *   than {@link MAX_HOST_CHARS} characters is a problem.
 *
 * Hosts are trimmed; a host listed again (same {@link fleetHostKey}) is counted in `duplicates`.
 */
export function parseExpectedHosts(text: string, fileName = ''): ExpectedHostList {
  const out: ExpectedHostList = { hosts: [], format: 'text', problems: [], problemCount: 0, duplicates: 0 };
  const seen = new Set<string>();
  const problem = (line: number, message: string) => {
    out.problemCount++;
    if (out.problems.length < MAX_LIST_PROBLEMS) out.problems.push({ line, message });
  };
  const add = (raw: string, line: number, what = 'line') => {
    const name = raw.trim();
    const why = hostNameProblem(name);
    if (why) return problem(line, `${what} ${shown(name)} is no host name: ${why}; skipped`);
    const k = fleetHostKey(name);
    if (seen.has(k)) {
      out.duplicates++;
      return;
    }
    seen.add(k);
    out.hosts.push(name);
  };
  const body = text.replace(/^\ufeff/, '');
  const lines = body.split(/\r\n|\n|\r/);
  // inline comments (`DS1   # primary DC, site A`) are left out before the delimiter is looked for
  const firstMeaningful = lines.map(uncommented).find((l) => l !== '') ?? '';
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || /[,;\t]/.test(firstMeaningful)) {
    out.format = 'csv';
    // The header is the first line that is neither blank nor a comment (the delimiter is sniffed from it): the lines
    // before it are left out and counted back into the line numbers; later comment lines become blank lines (skipped).
    const lead = /^(?:[ \t]*(?:#(?![,;\t])[^\r\n]*)?(?:\r\n|\n|\r))*/.exec(body)?.[0] ?? '';
    const skip = lead.split(/\r\n|\n|\r/).length - 1;
    const t = parseCsvText(body.slice(lead.length).replace(/^[ \t]*#(?![,;\t])[^\r\n]*/gm, ''), fileName);
    for (const r of t.rows) r.line += skip;
    for (const e of t.errors) if (!/^record has \d+ fields/.test(e.message)) problem(e.line + skip, e.message); // extra fields do not matter here
    let header = t.header ?? [];
    // No header row (a list saved as .csv: `DS1` on the first line): the first record is data when it names no host
    // column and is one column, or holds an address or number (a header never does; parseCsvText's own detection
    // knows timestamps only). Its line is the first one after the lead.
    if (t.header && !t.header.some((h) => (HOST_COLUMN_NAMES as readonly string[]).includes(headerKey(h))) && (t.header.length === 1 || t.header.some(isDataCell))) {
      t.rows.unshift({ values: {}, line: skip + 1, cells: t.header });
      header = [];
    }
    const keys = header.map(headerKey);
    let col = 0;
    for (const want of HOST_COLUMN_NAMES) {
      const j = keys.indexOf(want);
      if (j >= 0) {
        col = j;
        break;
      }
    }
    out.column = header.length > 0 ? header[col] : undefined;
    for (const r of t.rows) {
      const cell = (r.cells?.[col] ?? '').trim();
      if (cell === '') problem(r.line, out.column === undefined ? 'no host in the first column; skipped' : `no host in column ${shown(out.column)}; skipped`);
      else add(cell, r.line, 'value');
    }
    out.problems.sort((x, y) => x.line - y.line);
    return out;
  }
  let first = true;
  lines.forEach((l, i) => {
    const name = uncommented(l);
    if (name === '') return;
    // a one-column export's header (`Hostname`) is no host
    if (first && (HOST_COLUMN_NAMES as readonly string[]).includes(headerKey(name))) out.column = name;
    else add(name, i + 1);
    first = false;
  });
  return out;
}

/**
 * Why list `l` gave no host (undefined when it gave one or more): the empty file, only blank and comment lines, a CSV
 * header without records, or every line a problem. A list without a host is no coverage: the CLI refuses it (exit 2)
 * and the dashboard shows a warning instead of the coverage card.
 */
export function noHostReason(l: ExpectedHostList): string | undefined {
  if (l.hosts.length > 0) return undefined;
  if (l.problemCount > 0) return `no host read: none of its lines gave one (${l.problemCount === 1 ? '1 line' : `${l.problemCount.toLocaleString('en-US')} lines`} not read)`;
  if (l.format === 'csv' && l.column !== undefined) return `no host read: a CSV header row (column ${shown(l.column)}) and no record under it`;
  return 'no host read: the file is empty or holds only blank and comment lines';
}

/**
 * Reads and parses the list file `file` ({@link parseExpectedHosts}; the bytes decoded as UTF-8,
 * UTF-16 with a BOM, or windows-1252 where not UTF-8, as the case exports). Rejects with a clear
 * message (`cannot read the expected-hosts list <file>: no such file`) when the file cannot be read,
 * is not a regular file (after following links: a folder, FIFO, socket or device such as /dev/zero)
 * or is larger than {@link MAX_LIST_BYTES}; never on its content. At most {@link MAX_LIST_BYTES} + 1
 * bytes are ever read (a file that grew past the limit after the stat is refused too), so the read
 * neither hangs nor runs out of memory whatever the path names.
 */
export async function readExpectedHosts(file: string): Promise<ExpectedHostList> {
  const fail = (why: string) => new Error(`cannot read the expected-hosts list ${file}: ${why}`);
  const tooLarge = () => fail(`larger than ${MAX_LIST_BYTES / 1024 / 1024} MB`);
  let buf: Buffer;
  try {
    const st = await fsp.stat(file); // follows links
    if (st.isDirectory()) throw fail('is a folder, not a file');
    if (!st.isFile()) throw fail('is not a regular file (a FIFO, socket or device)');
    if (st.size > MAX_LIST_BYTES) throw tooLarge();
    buf = await readBounded(file, MAX_LIST_BYTES + 1, () => fail('is not a regular file (a FIFO, socket or device)'));
    if (buf.length > MAX_LIST_BYTES) throw tooLarge(); // grew since the stat
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('cannot read the expected-hosts list')) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(e)));
  }
  const { text, warning } = decodeTableText(buf, file);
  const list = parseExpectedHosts(text, file);
  if (warning) list.encoding = { line: warning.line, message: warning.message }; // a note: the hosts were read
  return list;
}

/** An expected host matched through its first DNS label. */
export interface ShortNameMatch {
  /** As listed. */
  expected: string;
  /** The scanned host(s) it was matched with, as Loki reported them. */
  scanned: string[];
}

/** A scanned bare name that could be any of several expected FQDNs (their first label is that name). */
export interface AmbiguousShortName {
  /** As Loki reported it. */
  scanned: string;
  /** The expected FQDNs with that first label, in list order. */
  candidates: string[];
}

/**
 * Coverage of an expected-host list by the scanned hosts. `expected` = `scanned` + `missing.length`
 * + the candidates of `ambiguous` (one scan, several possible hosts: neither counted scanned nor missing).
 */
export interface FleetCoverage {
  /** Distinct expected hosts. */
  expected: number;
  /** Expected hosts with a scan (by full name or by short name). */
  scanned: number;
  /** Expected hosts without a scan, as listed, in list order. */
  missing: string[];
  /** Scanned hosts matched by no expected host, as Loki reported them, sorted (case-insensitively). */
  unexpected: string[];
  /** Expected hosts covered only through their first DNS label, in list order. */
  shortNameMatches: ShortNameMatch[];
  /** Scanned bare names shared by two or more expected FQDNs without a scan of their own. */
  ambiguous: AmbiguousShortName[];
}

/** Candidates named per ambiguous short name in a table note or a report line (the rest counted: `… and N more`). */
export const AMBIGUOUS_NAMES_LISTED = 10;

/** The candidates of `a`, joined with `, `: at most {@link AMBIGUOUS_NAMES_LISTED}, then `… and N more`. */
export function ambiguousCandidatesText(a: AmbiguousShortName): string {
  const shownNames = a.candidates.slice(0, AMBIGUOUS_NAMES_LISTED).join(', ');
  return a.candidates.length > AMBIGUOUS_NAMES_LISTED ? `${shownNames}, … and ${(a.candidates.length - AMBIGUOUS_NAMES_LISTED).toLocaleString('en-US')} more` : shownNames;
}

/**
 * The expected hosts that are ambiguous (candidates of all `ambiguous` entries: each entry's scan covers at most one
 * of its candidates) as one phrase, `2 ambiguous (one scan name, several expected FQDNs): at most 1 of them was
 * scanned`; undefined when there are none. Said wherever the coverage is counted (CLI, dashboard, Markdown), so
 * "0 without a scan" never hides them.
 */
export function ambiguousText(c: Pick<FleetCoverage, 'ambiguous'>): string | undefined {
  if (c.ambiguous.length === 0) return undefined;
  const hosts = c.ambiguous.reduce((n, a) => n + a.candidates.length, 0);
  const scans = c.ambiguous.length;
  return `${hosts} ambiguous (one scan name, several expected FQDNs): at most ${scans} of them ${scans === 1 ? 'was' : 'were'} scanned`;
}

/** True for an IPv4 address (all labels digits) or an IPv6 one (a `:`): never matched by label. */
const isAddress = (k: string): boolean => k.includes(':') || /^[\d.]+$/.test(k);
/** The first DNS label of a host key, or undefined for an address or a name of one label. */
const firstLabelOfFqdn = (k: string): string | undefined => {
  const dot = k.indexOf('.');
  return dot > 0 && !isAddress(k) ? k.slice(0, dot) : undefined;
};

/**
 * Which expected hosts have a scan. `expected`: host names as listed (duplicates by {@link fleetHostKey}
 * count once); `scannedHosts`: the hosts of the analysis (e.g. `LokiAnalysis.hosts[].host`; empty
 * names ignored). Rules, per expected host:
 * 1. a scanned host with the same {@link fleetHostKey} covers it;
 * 2. else an expected FQDN (`ws01.corp.local`) is covered by a scanned bare name equal to its first
 *    label (`WS01`), unless that name is also the first label of another expected FQDN without a
 *    scan of its own: then the scan is reported in `ambiguous` and none of them counts as scanned or missing;
 * 3. else an expected bare name (`ws01`) is covered by every scanned FQDN whose first label it is.
 * A scanned host that covers nothing (and is in no `ambiguous` entry) is `unexpected`.
 */
export function fleetCoverage(expected: readonly string[], scannedHosts: readonly string[]): FleetCoverage {
  const exp: { name: string; key: string }[] = [];
  const expKeys = new Set<string>();
  for (const e of expected) {
    const name = e.trim();
    const key = fleetHostKey(name);
    if (key === '' || expKeys.has(key)) continue;
    expKeys.add(key);
    exp.push({ name, key });
  }
  const scanned = new Map<string, string>(); // key → name as reported (first spelling)
  for (const s of scannedHosts) {
    const key = fleetHostKey(s);
    if (key !== '' && !scanned.has(key)) scanned.set(key, s.trim());
  }
  const used = new Set<string>(); // scanned keys that cover (or may cover) an expected host
  const covered = new Set<string>(); // expected keys with a scan
  for (const e of exp) {
    if (scanned.has(e.key)) {
      covered.add(e.key);
      used.add(e.key);
    }
  }
  // expected FQDNs without a scan of their own, by first label
  const fqdnsByLabel = new Map<string, { name: string; key: string }[]>();
  for (const e of exp) {
    const label = firstLabelOfFqdn(e.key);
    if (label === undefined || covered.has(e.key)) continue;
    const g = fqdnsByLabel.get(label);
    if (g) g.push(e);
    else fqdnsByLabel.set(label, [e]);
  }
  const shortNameMatches: ShortNameMatch[] = [];
  const ambiguous: AmbiguousShortName[] = [];
  const inAmbiguous = new Set<string>();
  const byExpected = new Map<string, ShortNameMatch>();
  // rule 2: a scanned bare name ↔ expected FQDNs with that first label
  for (const [key, name] of scanned) {
    if (key.includes('.') || isAddress(key)) continue;
    const group = fqdnsByLabel.get(key);
    if (!group) continue;
    used.add(key);
    if (group.length === 1) {
      covered.add(group[0].key);
      byExpected.set(group[0].key, { expected: group[0].name, scanned: [name] });
    } else {
      ambiguous.push({ scanned: name, candidates: group.map((g) => g.name) });
      for (const g of group) inAmbiguous.add(g.key);
    }
  }
  // rule 3: an expected bare name ↔ scanned FQDNs with that first label
  const bareExpected = new Map(exp.filter((e) => !covered.has(e.key) && !e.key.includes('.') && !isAddress(e.key)).map((e) => [e.key, e]));
  for (const [key, name] of scanned) {
    const label = firstLabelOfFqdn(key);
    const e = label === undefined ? undefined : bareExpected.get(label);
    if (!e) continue;
    used.add(key);
    covered.add(e.key);
    const m = byExpected.get(e.key);
    if (m) m.scanned.push(name);
    else byExpected.set(e.key, { expected: e.name, scanned: [name] });
  }
  for (const e of exp) {
    const m = byExpected.get(e.key);
    if (m) shortNameMatches.push(m);
  }
  const missing = exp.filter((e) => !covered.has(e.key) && !inAmbiguous.has(e.key)).map((e) => e.name);
  const unexpected = [...scanned]
    .filter(([key]) => !used.has(key))
    .map(([, name]) => name)
    .sort((x, y) => {
      const a = x.toLowerCase();
      const b = y.toLowerCase();
      return a < b ? -1 : a > b ? 1 : 0;
    });
  return { expected: exp.length, scanned: covered.size, missing, unexpected, shortNameMatches, ambiguous };
}

/** An expected-host list, as read, and its coverage by one analysis: what the CLI and the dashboard show. */
export interface FleetReport {
  /** The list file as given (CLI) or as resolved from the setting (extension). */
  file: string;
  list: ExpectedHostList;
  coverage: FleetCoverage;
}

/** The {@link FleetReport} of list `list` (read from `file`) against the hosts of an analysis (`LokiAnalysis.hosts`). */
export function fleetReport(file: string, list: ExpectedHostList, hosts: readonly { host: string }[]): FleetReport {
  return { file, list, coverage: fleetCoverage(list.hosts, hosts.map((h) => h.host)) };
}
