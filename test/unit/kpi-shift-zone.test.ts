/**
 * Shifts are counted in the shift zone (socAnalytics.kpi.shiftTimeZone / kpi --shift-zone, default UTC), never in the
 * display zone (new-user trial, SOC manager view: setting the dashboards' display zone to America/Los_Angeles moved
 * cases between shifts — "Day: 1 created, 2 closed · Evening: 2 created · Night: 7 created, 3 closed" against the CLI's
 * "Day: 7 created, 3 closed …" for the same cases); every per-shift view names the shifts with their hours and zone.
 * Real values of test/fixtures/cases/kpi-small.csv (times in UTC; Los Angeles is UTC-8 until 2026-03-08, UTC-7 after).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { shiftHoursText, DEFAULT_SHIFTS } from '../../src/core/analyze/kpi';
import { kpiReportOf, resolveShiftZone, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { kpiSummaryRows, renderKpiReportHtml, renderKpiReportMarkdown, reportCharts } from '../../src/core/export/report';
import { kpiMarkdown } from '../../src/core/export/markdown-summary';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const CASES = join(ROOT, 'test/fixtures/cases/kpi-small.csv');
const RULES = join(ROOT, 'test/fixtures/cases/tagging.json');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');

/** The per-shift rows, UTC: C-1 08:00Z Day … C-3 23:30Z Night, C-7 16:00Z Evening. */
const UTC_ROWS = [
  { shift: 'Day', created: 7, closed: 3 },
  { shift: 'Evening', created: 1, closed: 2 },
  { shift: 'Night', created: 2, closed: 2 },
];
/** In Los Angeles: C-1 00:00 PST Night, C-7 09:00 PDT Day, C-8 18:00 PDT Evening, … (the trial's dashboard numbers). */
const LA_ROWS = [
  { shift: 'Day', created: 1, closed: 2 },
  { shift: 'Evening', created: 2, closed: 2 },
  { shift: 'Night', created: 7, closed: 3 },
];
const HOURS = 'Day 07:00–15:00, Evening 15:00–23:00, Night 23:00–07:00';

const rowsOf = (r: ReturnType<typeof kpiReportOf>) => {
  const k = r.kpis.workloadPerShift;
  assert.ok(k.available);
  return k.value;
};
const shiftRow = (r: ReturnType<typeof kpiReportOf>) => kpiSummaryRows(r).find((x) => x.id === 'workloadPerShift')!.value;

describe('per-shift workload: the shift zone, not the display zone', async () => {
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });

  test('the same shift counts whatever the display zone (UTC, America/Los_Angeles, Asia/Riyadh, Asia/Kolkata, UTC+3)', () => {
    const zones = ['UTC', 'America/Los_Angeles', 'Asia/Riyadh', 'Asia/Kolkata', 'UTC+3'];
    // (America/Los_Angeles gave the trial's Day 1 / Evening 2 / Night 7 created)
    assert.deepEqual(zones.map((z) => rowsOf(kpiReportOf(a, z))), zones.map(() => UTC_ROWS));
    for (const zone of zones) {
      const r = kpiReportOf(a, zone);
      assert.equal(r.shiftZone, 'UTC', zone);
      assert.equal(shiftRow(r), `Day: 7 created, 3 closed · Evening: 1 created, 2 closed · Night: 2 created, 2 closed — Shifts (UTC): ${HOURS}`, zone);
    }
  });

  test('a shift zone of America/Los_Angeles gives the Los Angeles counts, whatever the display zone; any case of the name', () => {
    for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
      const r = kpiReportOf(a, zone, AS_OF, 'America/Los_Angeles');
      assert.deepEqual(rowsOf(r), LA_ROWS, zone);
      assert.equal(r.shiftZone, 'America/Los_Angeles');
    }
    assert.deepEqual(rowsOf(kpiReportOf(a, 'UTC', AS_OF, 'america/los_angeles')), LA_ROWS);
    // the run option (as the CLI gives it) is the default of the report
    const withOption = { ...a, options: { ...a.options, shiftZone: 'America/Los_Angeles' } };
    assert.deepEqual(rowsOf(kpiReportOf(withOption, 'Asia/Riyadh')), LA_ROWS);
    // a fixed offset works as the other zone settings: UTC-8 is Los Angeles before 2026-03-08 only
    assert.deepEqual(rowsOf(kpiReportOf(a, 'UTC', AS_OF, 'UTC-8')).map((x) => x.created), [1, 2, 7]);
  });

  test('the hours line names the shifts with their hours and zone, once, in the KPI row, the report, the Markdown summary and the dashboard', () => {
    assert.equal(shiftHoursText('America/New_York', DEFAULT_SHIFTS), `Shifts (America/New_York): ${HOURS}`);
    const r = kpiReportOf(a, 'UTC', AS_OF, 'America/Los_Angeles');
    const line = `Shifts (America/Los_Angeles): ${HOURS}`;
    assert.equal(shiftRow(r), `Day: 1 created, 2 closed · Evening: 2 created, 2 closed · Night: 7 created, 3 closed — ${line}`);
    const def = kpiSummaryRows(r).find((x) => x.id === 'workloadPerShift')!.definition;
    assert.match(def, /in the shift zone \(setting socAnalytics\.kpi\.shiftTimeZone, CLI --shift-zone; not the display zone\)\. Shifts \(America\/Los_Angeles\): Day 07:00–15:00/);
    const meta = { title: 't', inputs: [CASES], rules: a.rules, errors: [], generatedAt: AS_OF };
    const md = renderKpiReportMarkdown(r, meta);
    assert.ok(md.includes(`Workload per shift — ${line}`), md);
    const html = renderKpiReportHtml(r, meta);
    assert.ok(html.includes(`Workload per shift — ${line}`));
    // the report's chart (an image in the HTML): the zone in its title, each bar's label with its hours
    const svg = reportCharts(r).find((c) => c.title === 'Workload per shift')!.svg;
    assert.ok(svg.includes('Cases created per shift (shift hours in America/Los_Angeles)'), svg);
    for (const l of ['Day 07:00–15:00', 'Evening 15:00–23:00', 'Night 23:00–07:00']) assert.ok(svg.includes(`>${l}<`), `${l}: ${svg}`);
    const summary = kpiMarkdown(r, a.input, { zone: 'UTC' });
    assert.equal(summary.split(line).length - 1, 1, summary);
    // the dashboard chart: a short axis title (it was cut: "Shift (America/Los_Ar"), the hours line as its note
    const chart = buildKpiDashboard(a, r, 't', 'Asia/Tokyo').charts.find((c) => c.id === 'shifts')!;
    assert.deepEqual(chart.axes, { label: 'Shift', value: 'Cases created' });
    assert.equal(chart.title, 'Cases created per shift');
    assert.equal(chart.note, line);
    assert.deepEqual(chart.values, [1, 2, 7]);
    assert.deepEqual(chart.tooltips, ['Day: 07:00–15:00 America/Los_Angeles', 'Evening: 15:00–23:00 America/Los_Angeles', 'Night: 23:00–07:00 America/Los_Angeles']);
  });

  test('the default (UTC) beside another display zone is said in a note; a shift zone given says nothing', () => {
    const note = (r: ReturnType<typeof kpiReportOf>) => r.notes.filter((n) => n.includes('shift'));
    assert.deepEqual(note(kpiReportOf(a, 'America/Los_Angeles')), [
      'the shifts are counted in UTC (setting socAnalytics.kpi.shiftTimeZone / --shift-zone not set), not in the display zone America/Los_Angeles: set it to the zone of the SOC\'s rota',
    ]);
    assert.deepEqual(note(kpiReportOf(a, 'UTC')), []);
    assert.deepEqual(note(kpiReportOf(a, 'America/Los_Angeles', AS_OF, 'UTC')), []);
  });

  test('a shift zone that is not a zone: counted in UTC and said, naming the zone it probably means (an abbreviation too)', () => {
    const r = kpiReportOf(a, 'UTC', AS_OF, 'Los_Angeles');
    assert.deepEqual(rowsOf(r), UTC_ROWS);
    assert.ok(
      r.notes.includes('the shift time zone "Los_Angeles" is not a time zone (setting socAnalytics.kpi.shiftTimeZone): the shifts were counted in UTC — did you mean America/Los_Angeles?'),
      JSON.stringify(r.notes),
    );
    const pst = resolveShiftZone('PST');
    assert.equal(pst.zone, 'UTC');
    assert.match(pst.note!, /^the shift time zone "PST" \(setting socAnalytics\.kpi\.shiftTimeZone\) is a time-zone abbreviation.*America\/Los_Angeles/);
    assert.deepEqual(resolveShiftZone(''), { zone: 'UTC', defaulted: true });
    assert.deepEqual(resolveShiftZone(' europe/paris '), { zone: 'Europe/Paris', defaulted: false });
  });
});

describe('kpi --shift-zone', () => {
  const base = ['kpi', CASES, '--rules', RULES, '--as-of', '2026-03-10T12:00:00Z'];

  test('text and --json count the shifts in --shift-zone, whatever --tz; the text names the shifts with their hours and zone', async () => {
    const c = capture();
    assert.equal(await main([...base, '--tz', 'UTC', '--shift-zone', 'America/Los_Angeles'], c.io), 0, c.err());
    assert.ok(c.out().includes(`  Workload per shift: Day: 1 created, 2 closed · Evening: 2 created, 2 closed · Night: 7 created, 3 closed — Shifts (America/Los_Angeles): ${HOURS}\n`), c.out());
    const j = capture();
    assert.equal(await main([...base, '--tz', 'Asia/Tokyo', '--shift-zone', 'america/los_angeles', '--json'], j.io), 0, j.err());
    const doc = JSON.parse(j.out());
    assert.equal(doc.zone, 'Asia/Tokyo');
    assert.equal(doc.shiftZone, 'America/Los_Angeles');
    assert.deepEqual(doc.shifts, DEFAULT_SHIFTS);
    assert.deepEqual(doc.kpis.workloadPerShift.value, LA_ROWS);
  });

  test('--tz alone moves no case between shifts (UTC, said in a note)', async () => {
    const c = capture();
    assert.equal(await main([...base, '--tz', 'America/Los_Angeles', '--json'], c.io), 0, c.err());
    const doc = JSON.parse(c.out());
    assert.equal(doc.shiftZone, 'UTC');
    assert.deepEqual(doc.kpis.workloadPerShift.value, UTC_ROWS);
    assert.ok(doc.notes.some((n: string) => n.startsWith('the shifts are counted in UTC (setting socAnalytics.kpi.shiftTimeZone / --shift-zone not set), not in the display zone America/Los_Angeles')));
  });

  test('an unknown --shift-zone: exit 2 naming the zone it probably means; an abbreviation refused; no value refused', async () => {
    const c = capture();
    assert.equal(await main([...base, '--shift-zone', 'Los_Angeles'], c.io), 2);
    assert.match(c.err(), /--shift-zone Los_Angeles: unknown time zone; did you mean America\/Los_Angeles\?/);
    assert.equal(c.out(), '');
    const p = capture();
    assert.equal(await main([...base, '--shift-zone', 'PST'], p.io), 2);
    assert.match(p.err(), /--shift-zone PST: "PST" is a time-zone abbreviation/);
    const e = capture();
    assert.equal(await main([...base, '--shift-zone='], e.io), 2);
    assert.match(e.err(), /--shift-zone needs a value/);
  });

  test('kpi --help documents --shift-zone and that --tz does not move the shifts', async () => {
    const c = capture();
    assert.equal(await main(['kpi', '--help'], c.io), 0);
    const h = c.out().replace(/\s+/g, ' ');
    assert.ok(h.includes('[--source-zone ZONE] [--shift-zone ZONE] [--as-of ISO]'), h.slice(0, 400));
    assert.ok(h.includes(`--shift-zone ZONE zone the shift hours are in, the SOC's rota (default UTC, as the setting socAnalytics.kpi.shiftTimeZone): the workload per shift is counted by the time of day there, whatever --tz. Shifts: ${HOURS} (end exclusive).`), h);
    assert.ok(h.includes('--tz ZONE display zone for weeks and times (default UTC; --zone is the same option); not the shifts, which are counted in --shift-zone'));
  });
});
