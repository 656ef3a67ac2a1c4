/** Every analysis kind the extension knows, by `kind` id. Add new kinds here. */
import { lokiKind } from './loki';
import { qradarKind } from './qradar';
import { beaconsKind } from './beacons';
import { kpiKind } from './kpi';
import { arielKind } from './ariel';
import type { AnalysisKind } from './types';

export const KINDS: Record<string, AnalysisKind<never>> = {
  loki: lokiKind as AnalysisKind<never>,
  qradar: qradarKind as AnalysisKind<never>,
  beacons: beaconsKind as AnalysisKind<never>,
  kpi: kpiKind as AnalysisKind<never>,
  ariel: arielKind as AnalysisKind<never>,
};

export function kindOf(kind: string): AnalysisKind<unknown> | undefined {
  return KINDS[kind] as AnalysisKind<unknown> | undefined;
}
