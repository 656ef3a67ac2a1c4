/**
 * The "Fleet coverage" section of `soc-analytics loki --expected-hosts FILE`: text report and the
 * `--json` `coverage` object. See src/core/analyze/fleet-coverage.ts for the matching rules.
 */
import { ambiguousCandidatesText, ambiguousText, type FleetReport } from '../core/analyze/fleet-coverage';
import { count } from '../core/analyze/dashboard-kit';
import { terminalSafe } from '../core/text-safe';
import { problemWhere } from '../core/model/common';

/** Names listed per group in the text report; the rest are counted (`… and N more`), `--json` has them all. */
export const FLEET_TEXT_NAMES = 50;

/**
 * The text section (ends with a blank line): the counts, then the expected hosts without a scan, the
 * scanned hosts not on the list, short-name matches and ambiguous short names (each at most
 * {@link FLEET_TEXT_NAMES} names), and the list's lines that gave no host. Names are terminal-safe, one line each.
 */
export function fleetCoverageText(f: FleetReport): string {
  const c = f.coverage;
  const l = f.list;
  const names = (title: string, items: string[]): string => {
    if (items.length === 0) return '';
    let s = `  ${title} (${items.length}):\n`;
    for (const x of items.slice(0, FLEET_TEXT_NAMES)) s += `    ${terminalSafe(x)}\n`;
    if (items.length > FLEET_TEXT_NAMES) s += `    … and ${items.length - FLEET_TEXT_NAMES} more (--json lists them all)\n`;
    return s;
  };
  let out = `Fleet coverage (expected hosts: ${terminalSafe(f.file)}${l.format === 'csv' ? (l.column === undefined ? ', CSV without a header row: first column' : `, CSV column "${terminalSafe(l.column)}"`) : ''})\n`;
  out += `  Expected: ${c.expected}   Scanned: ${c.scanned}   Without a scan: ${c.missing.length}   Scanned, not on the list: ${c.unexpected.length}\n`;
  const amb = ambiguousText(c);
  if (amb) out += `  Also ${amb}\n`;
  out += names('Expected hosts without a scan', c.missing);
  out += names('Scanned hosts not on the list', c.unexpected);
  out += names(
    'Ambiguous short names (counted neither scanned nor missing)',
    c.ambiguous.map((a) => `${a.scanned}: the scan could be any of ${ambiguousCandidatesText(a)}`),
  );
  out += names(
    'Matched by short name',
    c.shortNameMatches.map((m) => `${m.expected} ← scanned as ${m.scanned.join(', ')}`),
  );
  if (l.duplicates > 0) out += `  ${count(l.duplicates, 'host')} listed twice (counted once)\n`;
  if (l.encoding) out += `  Note: ${terminalSafe(f.file)}:${l.encoding.line}: ${terminalSafe(l.encoding.message)}\n`;
  if (l.problemCount > 0) {
    out += `  ${count(l.problemCount, 'line')} of the list not read:\n`;
    for (const p of l.problems.slice(0, 10)) out += `    ${terminalSafe(problemWhere(f.file, p.line))}: ${terminalSafe(p.message)}\n`;
    if (l.problemCount > 10) out += `    … and ${l.problemCount - 10} more\n`;
  }
  return out + '\n';
}

/**
 * The `--json` `coverage` object: `{file, format, column, expected, scanned, missing[], unexpected[],
 * shortNameMatches[{expected, scanned[]}], ambiguous[{scanned, candidates[]}], duplicates,
 * listProblems[{line, message}], listProblemCount, encodingWarning?{line, message}}` (full lists; `listProblems` at most
 * MAX_LIST_PROBLEMS; `encodingWarning` only when the list was not UTF-8).
 */
export function fleetCoverageJson(f: FleetReport): Record<string, unknown> {
  const c = f.coverage;
  return {
    file: f.file,
    format: f.list.format,
    column: f.list.column ?? null,
    expected: c.expected,
    scanned: c.scanned,
    missing: c.missing,
    unexpected: c.unexpected,
    shortNameMatches: c.shortNameMatches,
    ambiguous: c.ambiguous,
    duplicates: f.list.duplicates,
    listProblems: f.list.problems,
    listProblemCount: f.list.problemCount,
    ...(f.list.encoding ? { encodingWarning: f.list.encoding } : {}),
  };
}
