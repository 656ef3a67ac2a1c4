/** Test helper: every real QRadar offense object in shared/data (API shape and XSOAR/FortiSOAR shapes). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export type Raw = Record<string, unknown>;
const data = path.resolve(__dirname, '../../../../shared/data/qradar');

/** The offense objects of the five real offense files, in file order. */
export function realOffenses(): Raw[] {
  const out: Raw[] = [];
  for (const f of ['samples/offenses.json', 'public/demisto-content-qradar-v3/offenses.json', 'public/demisto-content-qradar-v2/offenses.json', 'public/elastic-integrations/offenses.json', 'public/fortisoar-connector-qradar/offenses.json']) {
    const v: unknown = JSON.parse(readFileSync(path.join(data, f), 'utf8'));
    const arr = Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v).find(Array.isArray) ?? [v] : [];
    for (const o of arr as unknown[]) if (typeof o === 'object' && o !== null && !Array.isArray(o)) out.push(o as Raw);
  }
  return out;
}

/** The API-shaped sample offenses (shared/data/qradar/samples/offenses.json). */
export const apiOffenses = (): Raw[] => JSON.parse(readFileSync(path.join(data, 'samples/offenses.json'), 'utf8')) as Raw[];
