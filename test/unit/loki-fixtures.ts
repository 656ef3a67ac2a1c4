/** Hand-built Loki parse results for the analytics/CLI unit tests (no parser involved). */
import type { LokiFileResult, LokiFinding, LokiReason, LokiScan, ParseError } from '../../src/core/model/loki';

export const T0 = Date.UTC(2024, 2, 12, 8, 0, 0); // 2024-03-12T08:00:00Z

export function yara(rule: string, subscore = 70, description = `desc ${rule}`): LokiReason {
  return { kind: 'yara', rule, subscore, description, ref: '-', author: 'x', raw: `Yara Rule MATCH: ${rule} SUBSCORE: ${subscore}` };
}
export function fnIoc(pattern: string, subscore = 60): LokiReason {
  return { kind: 'filename-ioc', rule: pattern, subscore, description: 'ioc', raw: `File Name IOC matched PATTERN: ${pattern}` };
}

export function finding(p: Partial<LokiFinding> & Pick<LokiFinding, 'host' | 'level'>): LokiFinding {
  return {
    module: 'FileScan',
    kind: 'file',
    timestamp: T0,
    reasons: [],
    message: 'FILE: x',
    source: { file: 'f.log', line: 1 },
    scanIndex: 0,
    ...p,
  };
}

export function scan(p: Partial<LokiScan> & Pick<LokiScan, 'host'>): LokiScan {
  return {
    file: 'f.log',
    format: 'loki-csv',
    tool: 'loki',
    lokiVersion: '0.51.0',
    verdict: 'clean',
    complete: true,
    alerts: 0,
    warnings: 0,
    notices: 0,
    messages: [],
    firstLine: 1,
    ...p,
  };
}

export function fileResult(file: string, scans: LokiScan[], findings: LokiFinding[], errors: ParseError[] = []): LokiFileResult {
  return {
    file,
    format: 'loki-csv',
    encoding: 'utf-8',
    lines: 100,
    bytes: 1000,
    scans: scans.map((s) => ({ ...s, file })),
    findings: findings.map((f) => ({ ...f, source: { file, line: f.source.line } })),
    errors: errors.map((e) => ({ ...e, file })),
  };
}

/**
 * Three files:
 * - a.log: host "WS01", scan at T0 (older), 1 ALERT (rules R1, R2)
 * - b.log: host " ws01 " (same host), scan at T0+1h (latest), ALERT (R1, IOC1), WARNING (R3) and
 *   NOTICE (R1); one unparsed line (line 7) and one file-level error (line 0)
 * - c.log: host "SRV", one scan, clean, no findings; NOTICE-only host "NOTE1" as a second scan
 */
export function sampleResults(): LokiFileResult[] {
  const a = fileResult(
    '/cases/a.log',
    [scan({ host: 'WS01', scanStart: T0, scanEnd: T0 + 600_000, verdict: 'indicators', lokiVersion: '0.44.2' })],
    [finding({ host: 'WS01', level: 'ALERT', path: 'C:\\old.exe', score: 140, reasons: [yara('R1'), yara('R2')], source: { file: '', line: 5 } })],
  );
  const b = fileResult(
    '/cases/b.log',
    [scan({ host: ' ws01 ', scanStart: T0 + 3_600_000, scanEnd: T0 + 7_200_000, verdict: 'indicators', lokiVersion: '0.51.0', messages: [{ level: 'ERROR', module: 'Init', timestamp: T0, message: 'Error reading signature file', source: { file: '', line: 2 } }] })],
    [
      finding({ host: ' ws01 ', level: 'ALERT', path: 'C:\\evil.exe', score: 170, md5: 'a'.repeat(32), reasons: [yara('R1'), fnIoc('\\\\evil\\.exe')], source: { file: '', line: 10 }, timestamp: T0 + 3_700_000 }),
      finding({ host: ' ws01 ', level: 'WARNING', path: 'C:\\tool.exe', score: 70, reasons: [yara('R3')], source: { file: '', line: 11 }, timestamp: T0 + 3_800_000 }),
      finding({ host: ' ws01 ', level: 'NOTICE', path: 'C:\\evil.exe', score: 45, reasons: [yara('R1', 45)], source: { file: '', line: 12 }, timestamp: T0 + 3_900_000 }),
    ],
    [
      { file: '', line: 7, message: 'unrecognised line' },
      { file: '', line: 0, message: 'binary content skipped' },
    ],
  );
  const c = fileResult(
    '/cases/c.log',
    [
      scan({ host: 'SRV', scanStart: T0, scanEnd: T0 + 1000, verdict: 'clean' }),
      scan({ host: 'NOTE1', scanStart: T0, scanEnd: T0 + 1000, verdict: 'clean', firstLine: 50 }),
    ],
    [finding({ host: 'NOTE1', level: 'NOTICE', path: 'C:\\maybe.dll', score: 40, reasons: [fnIoc('maybe')], source: { file: '', line: 60 }, scanIndex: 1 })],
  );
  return [a, b, c];
}

/**
 * A kept scan's (or host roll-up's) verdict for assertions: `indicators (incomplete)` when the scan did
 * not finish but its findings raised the verdict (`incomplete` flag), else the verdict.
 */
export function vd(h: { verdict: string; incomplete?: true }): string {
  return h.incomplete && h.verdict !== 'incomplete' ? `${h.verdict} (incomplete)` : h.verdict;
}
