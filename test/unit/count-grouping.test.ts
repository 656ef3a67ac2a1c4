/**
 * Counts in the Results lines and the Markdown summaries are written with en-US thousands separators, as everywhere
 * else in the product (`2,544 medium`, `Offenses: 60,000 (30,000 open, …)`): the beacon line said `2544 medium`, the
 * QRadar Markdown `Offenses: 62500`. Real inputs (shared/data), their counts scaled up.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { lokiMarkdown, qradarMarkdown, beaconsMarkdown } from '../../src/core/export/markdown-summary';
import { fleetCoverage } from '../../src/core/analyze/fleet-coverage';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, qradarTreeText, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { runWorkerJob } from './worker-job';
import { beaconsKind } from '../../src/extension/kinds/beacons';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const qradarSettings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

describe('counts with thousands separators: Results lines and Markdown summaries', () => {
  afterEach(() => settings.clear());

  it('QRadar: 60,000 offenses (the samples ×10,000) — the Markdown Offenses line and the tree tooltip', async () => {
    const p = await runQRadarRead([path.join(DATA, 'qradar/samples')], { consoleTimeZone: 'UTC' });
    assert.equal(p.offenses.length, 6);
    const big = { ...p, offenses: Array.from({ length: 60_000 }, (_, i) => ({ ...p.offenses[i % 6], id: i + 1 })) };
    const sum = summarizeQRadar(big, qradarSettings);
    const md = qradarMarkdown(big, sum, { zone: 'UTC' });
    assert.match(md, /^- Offenses: 60,000 \(30,000 open, 10,000 hidden, 20,000 closed\) from 1 offense file/m);
    assert.match(md, /^- Escalated: 0 · False positives: 10,000 · Distinct descriptions: 6$/m);
    assert.match(qradarTreeText(sum.summary).tooltip, /^6 files, 60,000 offenses \(30,000 open, 10,000 hidden, 20,000 closed\), /);
  });

  it('Loki: the Hosts line and the fleet coverage of 1,500 expected hosts', async () => {
    const a = await runLokiAnalysis([path.join(DATA, 'loki/real-2021-2022')]);
    const many = { ...a, summary: { ...a.summary, hosts: 1234, cleanHosts: 1100 } };
    const expected = Array.from({ length: 1500 }, (_, i) => `ws${String(i + 1).padStart(4, '0')}`);
    const md = lokiMarkdown(many, { zone: 'UTC', top: 2 }, fleetCoverage(expected, a.hosts.map((h) => h.host)));
    assert.match(md, new RegExp(`^- Hosts: 1,234 \\(${a.summary.hostsWithFindings} with alerts or warnings, 1,100 clean`, 'm'));
    assert.match(md, /^- Fleet coverage: 0 of 1,500 expected hosts scanned; 1,500 without a scan: ws0001, ws0002, … and 1,498 more;/m);
  });

  it('beacons: the Results line, its tooltip and the Markdown Pairs line (2,544 medium)', async () => {
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [path.join(DATA, 'zeek/day-2024-04-19')], options: { internalSubnets: ['64.225.56.201/32'] } });
    const scaled = { ...a, summary: { ...a.summary, high: 1234, medium: 2544, low: 10_000, pairs: 13_778 + 40 } };
    const line = beaconsKind.describe(scaled);
    assert.equal(line.description, '1,234 high · 2,544 medium · 13,818 pairs scored');
    assert.match(line.tooltip, /13,818 scored \(1,234 high, 2,544 medium, 10,000 low\)/);
    assert.match(beaconsMarkdown(scaled, { zone: 'UTC' }), /scored \(High 1,234, Medium 2,544, Low 10,000, None 40\)/);
  });
});
