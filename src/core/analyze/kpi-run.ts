/**
 * Read cases + tagging rules → tag → KPI report; shared by the worker job `kpi`, the CLI and tests.
 * Pure except file reads (no vscode).
 */
import { promises as fsp } from 'node:fs';
import type { ParseError } from '../model/common';
import { readCases, type CaseMapping, type CasesInput } from '../parse/cases';
import { cancelledError } from './cancel';
import { buildKpiReport, type KpiReport, type ShiftDef, type SlaTarget } from './kpi';
import { SEED_TAGGING_CONFIG, tagRecords, validateTaggingConfig, type TaggingConfig, type TaggingProblem, type TaggingResult } from './tagging';

export interface KpiRunOptions {
  /** Tagging rules file (`.soc/tagging.json`); undefined → the seed blog's rules (noted). */
  rulesPath?: string;
  /** Field → column for generic inputs. */
  mapping?: CaseMapping;
  /** Zone of naive case times (IANA or `UTC`). Default `UTC`. */
  sourceZone?: string;
  closingReasonsPath?: string;
  /** Report time, epoch ms (default: now). */
  asOf?: number;
  falsePositiveValues?: string[];
  escalatedValues?: string[];
  shifts?: ShiftDef[];
  sla?: Record<string, SlaTarget>;
  /**
   * Set by the extension in Restricted Mode (workspace trust): `regex` rules of the rules file are
   * not run (a workspace you do not trust supplies them) and each is reported with this explanation;
   * substring rules still apply.
   */
  regexRulesDisabled?: string;
}

/** The result of a KPI analysis (structured-cloneable: crosses the worker boundary). */
export interface KpiAnalysis {
  input: CasesInput;
  /** Files read without a file-level error. */
  filesRead: number;
  rulesFile?: string;
  config: TaggingConfig;
  tagging: TaggingResult;
  asOf: number;
  options: KpiRunOptions;
  /** Input errors plus tagging-rule problems (file = rules file, line 0). */
  errors: ParseError[];
}

/**
 * Reads and validates a tagging file. Never rejects: an unreadable or invalid file gives an empty
 * rule list and problems.
 */
export async function readTaggingFile(file: string): Promise<{ config: TaggingConfig; problems: TaggingProblem[] }> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    return { config: { rules: [] }, problems: [{ rule: -1, severity: 'error', message: `cannot read tagging rules ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }] };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    return { config: { rules: [] }, problems: [{ rule: -1, severity: 'error', message: `tagging rules ${file} are not valid JSON: ${(e as Error).message}` }] };
  }
  return validateTaggingConfig(doc);
}

/** Runs the whole analysis (see module comment). Rejects only on an aborted signal. */
export async function runKpiAnalysis(paths: string[], opts: KpiRunOptions = {}, signal?: AbortSignal): Promise<KpiAnalysis> {
  const asOf = opts.asOf ?? Date.now();
  const input = await readCases(paths, { mapping: opts.mapping, sourceZone: opts.sourceZone, referenceMs: asOf, closingReasonsPath: opts.closingReasonsPath });
  if (signal?.aborted) throw cancelledError();
  let config: TaggingConfig;
  let problems: TaggingProblem[] = [];
  // The configured rules file is looked up at run time, so a re-run picks up a file created after the first run.
  const rulesPath = opts.rulesPath && (await fileExists(opts.rulesPath)) ? opts.rulesPath : undefined;
  if (rulesPath) ({ config, problems } = await readTaggingFile(rulesPath));
  else {
    config = SEED_TAGGING_CONFIG;
    input.notes.push('no tagging rules file: the seed blog rules were used (create .soc/tagging.json to change them)');
  }
  if (opts.regexRulesDisabled && rulesPath) {
    // Restricted Mode: regular expressions from the workspace's rules file are not run (built-in seed rules are)
    const kept: TaggingConfig['rules'] = [];
    config.rules.forEach((r, i) => {
      if (r.type === 'regex') problems.push({ rule: i, severity: 'error', message: `rule ${i + 1} (tag "${r.tag}"): regular expression not run — ${opts.regexRulesDisabled}` });
      else kept.push(r);
    });
    config = { ...config, rules: kept };
  }
  const tagging = tagRecords(
    input.cases.map((c) => ({
      fields: { ...c.raw, id: c.id, title: c.title, analyst: c.analyst, severity: c.severity, status: c.status, disposition: c.disposition, rule: c.rules },
      line: c.line,
    })),
    config,
  );
  tagging.problems.unshift(...problems);
  const fileErrors = new Set(input.errors.filter((e) => e.line === 0).map((e) => e.file));
  return {
    input,
    filesRead: paths.filter((p) => !fileErrors.has(p)).length,
    rulesFile: rulesPath,
    config,
    tagging,
    asOf,
    options: opts,
    errors: [...input.errors, ...tagging.problems.filter((p) => p.severity === 'error').map((p) => ({ file: rulesPath ?? '(seed rules)', line: p.line ?? 0, message: p.message }))],
  };
}

/** The KPI report of an analysis in a display zone (recomputed cheaply when the zone changes). */
export function kpiReportOf(a: KpiAnalysis, zone: string): KpiReport {
  const missingReasons = a.input.source === 'qradar-offenses' ? { acknowledged: 'QRadar offenses have no acknowledgement or assignment timestamp (KPI doc §4.3); MTTA needs offense notes or the audit log' } : undefined;
  return buildKpiReport(a.input.cases, a.tagging.tags, {
    zone,
    asOf: a.asOf,
    falsePositiveValues: a.options.falsePositiveValues,
    escalatedValues: a.options.escalatedValues,
    shifts: a.options.shifts,
    sla: a.options.sla,
    missing: a.input.missing,
    missingReasons,
    tagCounts: a.tagging.tagCounts,
    coverage: a.tagging.coverage,
    notes: [...a.input.notes, ...a.tagging.problems.map((p) => p.message)],
  });
}

async function fileExists(p: string): Promise<boolean> {
  try {
    return (await import('node:fs/promises').then((fs) => fs.stat(p))).isFile();
  } catch {
    return false;
  }
}
