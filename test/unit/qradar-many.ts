/** Test helper: a large QRadar result made from the real samples (a summary of many slices). */
import type { QRadarParsed } from '../../src/core/parse/qradar-model';

/** The samples' offenses copied to `n` offenses over `n` minutes, with 37 descriptions and 1,000 sources. */
export function many<P extends QRadarParsed>(p: P, n: number): P {
  const base = Date.UTC(2025, 0, 1);
  const offenses = Array.from({ length: n }, (_, i) => {
    const o = p.offenses[i % p.offenses.length];
    const description = `${o.description} ${i % 37}`;
    return { ...o, id: i + 1, startTime: base + i * 60_000, description, label: description, offenseSource: `10.0.${(i % 1000) >> 8}.${i % 256}` };
  });
  return { ...p, offenses };
}
