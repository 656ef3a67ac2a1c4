/** Test helper: a KPI's value, asserting that it is available (its reason otherwise). */
import assert from 'node:assert/strict';
import type { KpiSet } from '../../src/core/analyze/kpi';

export type Avail<K extends keyof KpiSet> = Extract<KpiSet[K], { available: true }>['value'];

/** `k[key].value`; fails the test with the KPI's reason when it is unavailable. */
export function val<K extends keyof KpiSet>(k: KpiSet, key: K): Avail<K> {
  const x = k[key];
  assert.ok(x.available, `${key} unavailable: ${(x as { reason?: string }).reason}`);
  return (x as { value: Avail<K> }).value;
}
