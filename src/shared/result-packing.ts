/**
 * Per job kind and per sliced result key: how the worker packs a slice of items before posting it
 * (`resultPart.packed`) and how the host puts it back. Used for data that is cheaper to send as
 * typed arrays than as many small objects (beacon chart lists). Both sides import this table.
 */
import type { BeaconPair } from '../core/analyze/beacons/analyze';
import { packPairCharts, unpackPairCharts, type PackedCharts } from '../core/analyze/beacons/chart-pack';
import type { WorkerJob } from './worker-protocol';

/** Packs a slice (may mutate the items: the sender's last use) and restores it on the other side. */
export interface ItemPacker {
  pack(items: unknown[]): unknown;
  unpack(items: unknown[], packed: unknown): void;
}

export const RESULT_PACKERS: Partial<Record<WorkerJob['kind'], Record<string, ItemPacker>>> = {
  beacons: {
    pairs: {
      pack: (items) => packPairCharts(items as BeaconPair[]),
      unpack: (items, packed) => unpackPairCharts(items as BeaconPair[], packed as PackedCharts),
    },
  },
};
