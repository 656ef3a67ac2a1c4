/**
 * Options of the beacon analysis with RITA's defaults, and their validation.
 * Reference: shared/docs/rita-beacons.md §4 (legacy defaults), §5.1 and §5.7 (v5 defaults:
 * unique_connection_threshold 4 (min 4), strobe limit 86400, weights 0.25 summing to 1,
 * score_thresholds 50/70/90/100), §1.4 (legacy connection threshold 23, min 23).
 */
import type { ColumnMapping } from '../../parse/conn-csv';
import { DEFAULT_INTERNAL_SUBNETS, parseCidr } from './filter';
import { isValidZoneSetting, resolveZone } from '../../time';
import { DEFAULT_SCORING, DEFAULT_THRESHOLDS, validateWeights, type ScoreThresholds, type ScoringParams } from './score';

/** `rita-v5` (RITA v5.x, the default) or `rita-legacy` (RITA v4.8.x, era D). */
export type BeaconAlgorithm = 'rita-v5' | 'rita-legacy';

export const BEACON_ALGORITHMS: readonly BeaconAlgorithm[] = ['rita-v5', 'rita-legacy'];

export interface BeaconOptions {
  algorithm: BeaconAlgorithm;
  /** Internal subnets (CIDR). Empty list: keep every pair (RITA filter rule 3). */
  internalSubnets: string[];
  /** Subnets always kept, even if never-included or safelisted. */
  alwaysIncluded: string[];
  /** Drop external → internal connections (RITA default true). */
  filterExternalToInternal: boolean;
  /** Safelist entries: IP, CIDR, FQDN (with `*`), or `src -> dst` pairs (see filter.ts). */
  safelist: string[];
  /** Pairs below this score are not listed (0…1; they still count in `summary.pairs`). */
  minScore: number;
  /** v5: distinct timestamps a pair needs to be scored (default 4, minimum 4). */
  uniqueConnectionThreshold: number;
  /** legacy: connections a pair needs, strictly more than this (default 23, minimum 23). */
  legacyConnectionThreshold: number;
  /** Pairs with at least this many connections are strobes, not beacons (default 86400). */
  strobeConnectionLimit: number;
  scoring: ScoringParams;
  thresholds: ScoreThresholds;
  /** Join Zeek ssl.log/http.log by uid to score src → FQDN beacons (RITA v5 SNI beacons). */
  sni: boolean;
  /**
   * v5 only: emulate RITA's hourly import of rotated logs (§5.1): a pair is scored with the window
   * known after the last hourly group that contained it. False: one window for everything.
   */
  hourlyImport: boolean;
  /** Column mapping for generic CSV/JSON files (and http/ssl logs read as connections). */
  mapping?: ColumnMapping;
  /** Per-file column mappings (absolute path → mapping); win over `mapping`. */
  mappings?: Record<string, ColumnMapping>;
  /**
   * Files (absolute paths) the analyst skipped at the extension's column-mapping prompt (*Skip*, or Escape): not
   * read — not even with a mapping guessed from their header — and listed in `skipped` with
   * {@link promptSkippedReason}'s reason, never as unreadable or as not connection logs.
   */
  declined?: string[];
  /**
   * Zone of the QRadar console that wrote the display times of Network Activity CSV exports (`Dec 3, 2026, 2:05:11
   * PM`, no zone in the text): `UTC`, `local`, an IANA name or a fixed offset (CLI `--console-tz`, setting
   * socAnalytics.qradar.consoleTimeZone). Unset: UTC, said in a note. Epoch times (Ariel JSON) do not use it.
   */
  consoleTimeZone?: string;
}

export const DEFAULT_BEACON_OPTIONS: Readonly<BeaconOptions> = Object.freeze({
  algorithm: 'rita-v5',
  internalSubnets: [...DEFAULT_INTERNAL_SUBNETS],
  alwaysIncluded: [],
  filterExternalToInternal: true,
  safelist: [],
  minScore: 0,
  uniqueConnectionThreshold: 4,
  legacyConnectionThreshold: 23,
  strobeConnectionLimit: 86400,
  scoring: { ...DEFAULT_SCORING },
  thresholds: { ...DEFAULT_THRESHOLDS },
  sni: true,
  hourlyImport: true,
}) as BeaconOptions;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Merges `partial` over the defaults and enforces RITA's rules: unknown algorithm → rita-v5;
 * unique threshold ≥ 4; legacy threshold ≥ 23; strobe limit 1…86400; weights in [0,1] summing to
 * exactly 1 (else the default weights); thresholds ascending; minScore clamped to [0,1];
 * invalid CIDRs dropped. Every correction is described in `problems`. Never throws.
 */
export function resolveBeaconOptions(partial: Partial<BeaconOptions> = {}): { options: BeaconOptions; problems: string[] } {
  const problems: string[] = [];
  const d = DEFAULT_BEACON_OPTIONS;
  const o: BeaconOptions = {
    ...d,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
    scoring: { ...d.scoring, ...(partial.scoring ?? {}) },
    thresholds: { ...d.thresholds, ...(partial.thresholds ?? {}) },
  } as BeaconOptions;
  if (!(BEACON_ALGORITHMS as readonly string[]).includes(o.algorithm)) {
    problems.push(`unknown algorithm "${String(o.algorithm)}"; using rita-v5`);
    o.algorithm = 'rita-v5';
  }
  const cidrs = (list: unknown, name: string): string[] => {
    const out: string[] = [];
    for (const c of Array.isArray(list) ? list : []) {
      if (typeof c === 'string' && parseCidr(c)) out.push(c.trim());
      else problems.push(`${name}: "${String(c)}" is not an IP address or CIDR range; ignored`);
    }
    return out;
  };
  if (o.consoleTimeZone !== undefined) {
    if (typeof o.consoleTimeZone === 'string' && isValidZoneSetting(o.consoleTimeZone)) o.consoleTimeZone = resolveZone(o.consoleTimeZone);
    else {
      problems.push(`QRadar console zone "${String(o.consoleTimeZone)}" is not a time zone; QRadar flow export times read as UTC`);
      delete o.consoleTimeZone;
    }
  }
  o.internalSubnets = cidrs(o.internalSubnets, 'internal subnets');
  o.alwaysIncluded = cidrs(o.alwaysIncluded, 'always-included subnets');
  o.safelist = (Array.isArray(o.safelist) ? o.safelist : []).map((s) => String(s));
  if (!finite(o.minScore) || o.minScore < 0) o.minScore = 0;
  if (o.minScore > 1) o.minScore = 1;
  if (!finite(o.uniqueConnectionThreshold) || o.uniqueConnectionThreshold < 4) {
    if (o.uniqueConnectionThreshold !== d.uniqueConnectionThreshold) problems.push('unique connection threshold below RITA\'s minimum 4; using 4');
    o.uniqueConnectionThreshold = 4;
  }
  if (!finite(o.legacyConnectionThreshold) || o.legacyConnectionThreshold < 23) {
    problems.push('legacy connection threshold below RITA\'s minimum 23; using 23');
    o.legacyConnectionThreshold = 23;
  }
  if (!finite(o.strobeConnectionLimit) || o.strobeConnectionLimit < 1 || o.strobeConnectionLimit > 86400) {
    problems.push('strobe connection limit must be 1…86400; using 86400');
    o.strobeConnectionLimit = 86400;
  }
  try {
    validateWeights(o.scoring);
  } catch (e) {
    problems.push(`score weights: ${(e as Error).message}; using 0.25 each`);
    Object.assign(o.scoring, { tsWeight: 0.25, dsWeight: 0.25, durWeight: 0.25, histWeight: 0.25 });
  }
  const s = o.scoring;
  for (const k of Object.keys(DEFAULT_SCORING) as (keyof ScoringParams)[]) {
    if (!finite(s[k])) {
      problems.push(`${k} is not a number; using ${DEFAULT_SCORING[k]}`);
      s[k] = DEFAULT_SCORING[k];
    }
  }
  if (s.durationConsistencyIdealHoursSeen < 1) s.durationConsistencyIdealHoursSeen = 1;
  if (s.durationMinHoursSeen < 1) s.durationMinHoursSeen = 1;
  const t = o.thresholds;
  if (![t.base, t.low, t.medium, t.high].every(finite) || !(t.base < t.low && t.low < t.medium && t.medium <= t.high)) {
    problems.push('score thresholds must ascend (base < low < medium ≤ high); using 50/70/90/100');
    o.thresholds = { ...DEFAULT_THRESHOLDS };
  }
  return { options: o, problems };
}
