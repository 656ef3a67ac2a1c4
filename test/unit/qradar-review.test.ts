/**
 * QRadar findings of the new-user trial and hostile review: top/bottom log sources, full descriptions in
 * the offense table and CSV export, the console zone in the CLI report.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import type { QRadarOffense, QRadarParsed } from '../../src/core/parse/qradar-model';

const settings = (extra: Partial<QRadarSettings> = {}): QRadarSettings => ({
  zone: 'UTC',
  escalatedReasons: ['escalat'],
  falsePositiveReasons: ['false positive'],
  topN: 20,
  ...extra,
});

function offense(i: number, extra: Partial<QRadarOffense> = {}): QRadarOffense {
  return {
    id: 4100 + i,
    description: 'Rule X\n',
    label: 'Rule X',
    categories: [],
    destinationNetworks: [],
    rules: [],
    logSources: [],
    source: { file: 'offenses.json', line: i + 2 },
    record: i + 1,
    status: 'OPEN',
    startTime: Date.UTC(2026, 2, 3, 10, 0) + i * 60_000,
    ...extra,
  };
}

const parsed = (offenses: QRadarOffense[], extra: Partial<QRadarParsed> = {}): QRadarParsed => ({
  files: [],
  offenses,
  events: [],
  closingReasons: [],
  offenseTypes: [],
  rules: [],
  errors: [],
  skipped: [],
  consoleTimeZone: 'UTC',
  usedConsoleTimes: false,
  ...extra,
});

/** Offenses whose log sources are `counts` (name → number of offenses). */
function withLogSources(counts: Record<string, number>): QRadarOffense[] {
  const out: QRadarOffense[] = [];
  for (const [name, n] of Object.entries(counts)) for (let k = 0; k < n; k++) out.push(offense(out.length, { logSources: [{ name, typeName: 'CheckPoint' }] }));
  return out;
}

describe('QRadar log sources: top and bottom lists do not overlap', () => {
  it('4 log sources, top 20: each shown once (all in top, bottom empty; dashboard table has 4 rows)', () => {
    const p = parsed(withLogSources({ 'FW @ a': 4, 'FW @ b': 3, 'FW @ c': 2, 'FW @ d': 1 }));
    const s = summarizeQRadar(p, settings());
    assert.deepEqual(
      s.topLogSources.map((l) => [l.logSource, l.count]),
      [['FW @ a', 4], ['FW @ b', 3], ['FW @ c', 2], ['FW @ d', 1]],
    );
    assert.deepEqual(s.bottomLogSources, []);
    const table = buildQRadarDashboard(p, 't', settings(), s).model.tables.find((t) => t.id === 'logSources')!;
    assert.deepEqual(
      table.rows.map((r) => [r[0], r[3]]),
      [['FW @ a', 'top'], ['FW @ b', 'top'], ['FW @ c', 'top'], ['FW @ d', 'top']],
    );
  });

  it('5 log sources, top 2: bottom holds the fewest of the other 3, fewest first', () => {
    const s = summarizeQRadar(parsed(withLogSources({ a: 5, b: 4, c: 3, d: 2, e: 1 })), settings({ topN: 2 }));
    assert.deepEqual(s.topLogSources.map((l) => l.logSource), ['a', 'b']);
    assert.deepEqual(s.bottomLogSources.map((l) => [l.logSource, l.count]), [['e', 1], ['d', 2]]);
  });
});
