/**
 * The Markdown summaries as the extension's analysis kinds build them (`DashboardSource.markdown`, what *SOC: Copy
 * Summary as Markdown* copies), with a stand-in `vscode` module (./vscode-stand-in) holding the settings: the QRadar
 * summary names the setting the console zone came from (socAnalytics.qradar.consoleTimeZone), not the CLI's
 * `--console-tz` (trial); real CSV exports of shared/data/qradar/samples.
 */
import { settings } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { qradarKind } from '../../src/extension/kinds/qradar';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import type { AnalysisMeta } from '../../src/extension/analyses';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const meta = { id: 'q1', kind: 'qradar', title: 'samples', paths: [SAMPLES], options: { consoleTimeZone: 'Europe/Berlin' }, createdAt: 1 } as unknown as AnalysisMeta;

describe('extension: QRadar Markdown summary (Copy Summary as Markdown)', () => {
  afterEach(() => settings.clear());

  it('the console-zone line names the setting the zone came from, never --console-tz', async () => {
    settings.set('socAnalytics.qradar.consoleTimeZone', 'Europe/Berlin');
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
    const md = (await qradarKind.source(p, meta, 'UTC')).markdown!({ defang: false });
    assert.match(md, /^- Console times in CSV exports read in Europe\/Berlin \(setting socAnalytics\.qradar\.consoleTimeZone\)$/m);
    assert.doesNotMatch(md, /--console-tz/);
    // the setting changed (or the question was dismissed: this machine's zone): the zone was chosen at the run
    settings.set('socAnalytics.qradar.consoleTimeZone', 'UTC');
    const later = (await qradarKind.source(p, meta, 'UTC')).markdown!({ defang: false });
    assert.match(later, /^- Console times in CSV exports read in Europe\/Berlin \(chosen when the analysis ran; setting socAnalytics\.qradar\.consoleTimeZone\)$/m);
  });
});
