/**
 * The extension's cases dashboard with socAnalytics.kpi.shiftTimeZone (stand-in `vscode`): the shifts are counted in
 * the setting's zone whatever the display zone, the chart and the Markdown summary name them with their hours and
 * zone, and a value that is no zone is warned about (once per value) naming the zone it probably means. Real values
 * of test/fixtures/cases/kpi-small.csv.
 */
import { settings, ui } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { kpiKind, kpiShiftZoneSetting } from '../../src/extension/kinds/kpi';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import type { AnalysisMeta } from '../../src/extension/analyses';

const CASES = path.resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv');
const RULES = path.resolve(__dirname, '../../../test/fixtures/cases/tagging.json');
const meta = { id: 'k1', kind: 'kpi', title: 'kpi-small', paths: [CASES], options: {}, createdAt: 1 } as unknown as AnalysisMeta;
const HOURS = 'Day 07:00–15:00, Evening 15:00–23:00, Night 23:00–07:00';

describe('extension: socAnalytics.kpi.shiftTimeZone', async () => {
  afterEach(() => {
    settings.clear();
    ui.warnings.length = 0;
  });
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: Date.parse('2026-03-10T12:00:00Z') });
  settings.set('socAnalytics.kpi.asOf', '2026-03-10T12:00:00Z');
  const chart = async (display: string) => {
    settings.set('socAnalytics.kpi.asOf', '2026-03-10T12:00:00Z');
    const s = await kpiKind.source(a, meta, display);
    return { chart: s.model.charts.find((c) => c.id === 'shifts')!, md: s.markdown!({ defang: false }) };
  };

  it('empty (the default): UTC shifts whatever the display zone — America/Los_Angeles moved every case before', async () => {
    for (const display of ['UTC', 'America/Los_Angeles']) {
      const { chart: c, md } = await chart(display);
      assert.deepEqual(c.values, [7, 1, 2], display);
      assert.equal(c.note, `Shifts (UTC): ${HOURS}`);
      assert.ok(md.includes(`Day: 7 created, 3 closed · Evening: 1 created, 2 closed · Night: 2 created, 2 closed — Shifts (UTC): ${HOURS}`), md);
    }
    assert.deepEqual(ui.warnings, []);
  });

  it('America/Los_Angeles: the Los Angeles shifts, whatever the display zone', async () => {
    settings.set('socAnalytics.kpi.shiftTimeZone', 'America/Los_Angeles');
    for (const display of ['UTC', 'Asia/Riyadh']) {
      const { chart: c, md } = await chart(display);
      assert.deepEqual(c.values, [1, 2, 7], display);
      assert.equal(c.note, `Shifts (America/Los_Angeles): ${HOURS}`);
      assert.deepEqual(c.axes, { label: 'Shift', value: 'Cases created' });
      assert.ok(md.includes(`Day: 1 created, 2 closed · Evening: 2 created, 2 closed · Night: 7 created, 3 closed — Shifts (America/Los_Angeles): ${HOURS}`), md);
    }
  });

  it('a value that is no zone: warned once naming America/Los_Angeles; the shifts counted in UTC', async () => {
    settings.set('socAnalytics.kpi.shiftTimeZone', 'Los_Angeles');
    assert.equal(kpiShiftZoneSetting(), 'Los_Angeles');
    const { chart: c } = await chart('UTC');
    assert.deepEqual(c.values, [7, 1, 2]);
    assert.equal(c.note, `Shifts (UTC): ${HOURS}`);
    assert.equal(ui.warnings.length, 1, JSON.stringify(ui.warnings));
    assert.match(ui.warnings[0], /^SOC Analytics: setting socAnalytics\.kpi\.shiftTimeZone “Los_Angeles” is not a known time zone; did you mean America\/Los_Angeles\? The shifts are counted in UTC\. Use UTC, local/);
  });
});
