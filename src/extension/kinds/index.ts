/** Every analysis kind the extension knows, by `kind` id. Add new kinds here. */
import { lokiKind } from './loki';
import type { AnalysisKind } from './types';

export const KINDS: Record<string, AnalysisKind<never>> = {
  loki: lokiKind as AnalysisKind<never>,
};

export function kindOf(kind: string): AnalysisKind<unknown> | undefined {
  return KINDS[kind] as AnalysisKind<unknown> | undefined;
}
