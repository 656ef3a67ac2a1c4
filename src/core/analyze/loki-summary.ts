/**
 * Merges parsed Loki files into one multi-host analysis. OWNER: analytics helper. Stub — keep signatures.
 */
import type { LokiFileResult, LokiFinding, ParseError, Verdict, LokiFormat } from '../model/loki';

export interface LokiAnalysisOptions {
  /** Keep every scan of a host (default false: only the latest scan per host, others set aside). */
  includeAllScans?: boolean;
}

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
  /** Scanner ERROR messages in the kept scan(s). */
  scanErrors: number;
}

export interface LokiAnalysis {
  summary: {
    files: number;
    hosts: number;
    hostsWithFindings: number;
    /** Hosts whose verdict is clean. */
    cleanHosts: number;
    alerts: number;
    warnings: number;
    notices: number;
    unparsedLines: number;
    scansSetAside: number;
  };
  hosts: LokiHostSummary[];
  /** Findings of the kept scans, in file/line order. */
  findings: LokiFinding[];
  /** Every reason counted (not only the first); `hosts` = distinct hosts. Sorted by count desc. */
  rules: { rule: string; kind: string; count: number; hosts: number }[];
  topFiles: { path: string; count: number; hosts: number; maxScore: number }[];
  /** counts[i][j] = findings on hosts[i] with a reason rules[j]. */
  hostRuleMatrix: { hosts: string[]; rules: string[]; counts: number[][] };
  setAside: { host: string; file: string; scanStart?: number; findings: number }[];
  files: { file: string; format: LokiFormat; encoding: string; lines: number; findings: number; errors: number }[];
  errors: ParseError[];
}

export function analyzeLoki(_results: LokiFileResult[], _opts: LokiAnalysisOptions = {}): LokiAnalysis {
  throw new Error('not implemented');
}
