/**
 * Per job kind and per sliced result key: how the worker packs a slice of items before posting it
 * (`resultPart.packed`) and how the host puts it back. Used for data that is cheaper to send as
 * typed arrays than as many small objects (beacon chart lists). Both sides import this table.
 */
import type { BeaconRow } from '../core/analyze/beacons/analyze';
import { keepPairDetailsPacked, packPairDetails, shareRowTexts, type PackedPairDetails } from '../core/analyze/beacons/chart-pack';
import type { WorkerJob } from './worker-protocol';
import type { LokiFinding } from '../core/model/loki';
import { shareFindingTexts } from '../core/parse/loki-message';

/** Packs a slice (may mutate the items, or replace them in the array: the sender's last use) and restores it on the other side. */
export interface ItemPacker {
  pack(items: unknown[]): unknown;
  /** `state`: one object per transfer (job), the same for all its slices (e.g. a table of shared texts). */
  unpack(items: unknown[], packed: unknown, state?: Record<string, unknown>): void;
}

export const RESULT_PACKERS: Partial<Record<WorkerJob['kind'], Record<string, ItemPacker>>> = {
  loki: {
    // Nothing to pack; on the host, repeated short texts of the findings become one string each.
    findings: {
      pack: () => 1,
      unpack: (items, _packed, state) => shareFindingTexts(items as LokiFinding[], ((state ?? {}).lokiTexts ??= new Map<string, string>()) as Map<string, string>),
    },
  },
  beacons: {
    // Each pair travels as its row; its detail (chart lists, detail-pane numbers) as typed arrays
    // that stay packed on the host until the detail pane rebuilds the pair (`fullPair`). The rows'
    // repeated texts (addresses, severity, ports) become one string each.
    pairs: {
      pack: (items) => packPairDetails(items),
      unpack: (items, packed, state) => {
        keepPairDetailsPacked(items as BeaconRow[], packed as PackedPairDetails);
        shareRowTexts(items as BeaconRow[], ((state ?? {}).beaconTexts ??= new Map<string, string>()) as Map<string, string>);
      },
    },
  },
};
