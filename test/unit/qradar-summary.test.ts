/**
 * QRadar analytics, dashboard model and CLI: exact values on the shared samples and on crafted
 * data (a month-spanning range, DST transitions in the display zone, unknown and deleted closing
 * reasons, missing fields).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { dedupeOffenses, runQRadarRead } from '../../src/core/analyze/qradar-run';
import { summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns, SOURCES_GROUP } from '../../src/core/analyze/qradar-dashboard';
import { TableStore } from '../../src/core/table/store';
import { main, type CliIO } from '../../src/cli/cli';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const REASONS = path.join(SAMPLES, 'offense_closing_reasons.json');
const FIX = path.resolve(__dirname, '../../../test/fixtures/qradar');

const settings = (zone: string, extra: Partial<QRadarSettings> = {}): QRadarSettings => ({
  zone,
  escalatedReasons: ['escalat', 'true positive', 'true-positive'],
  falsePositiveReasons: ['false positive', 'false-positive'],
  topN: 20,
  ...extra,
});

const nonZeroDays = (s: ReturnType<typeof summarizeQRadar>) => s.byDay.filter((b) => b.count > 0).map((b) => [b.day, b.count, b.escalated, b.falsePositive]);

describe('QRadar analytics on the sample offenses', () => {
  it('UTC: 6 offenses 2026-03-02 .. 2026-03-08, per calendar day and hour, reasons, status, assignees', async () => {
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
    const s = summarizeQRadar(p, settings('UTC'));
    assert.equal(s.summary.offenses, 6);
    assert.equal(s.summary.first, 1772437272318);
    assert.equal(s.summary.last, 1772978539005);
    assert.deepEqual([s.summary.open, s.summary.hidden, s.summary.closed, s.summary.escalated, s.summary.falsePositive], [3, 1, 2, 0, 1]);
    assert.deepEqual(
      s.byDay.map((b) => [b.day, b.count]),
      [
        ['2026-03-02', 1],
        ['2026-03-03', 1],
        ['2026-03-04', 0],
        ['2026-03-05', 1],
        ['2026-03-06', 1],
        ['2026-03-07', 1],
        ['2026-03-08', 1],
      ],
    );
    assert.deepEqual(s.byHour, [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    assert.deepEqual(s.byClosingReason, [
      { reason: 'False-Positive, Tuned', id: 2, count: 1, class: 'false positive' },
      { reason: 'Non-Issue', id: 1, count: 1, class: '' },
    ]);
    assert.deepEqual(s.byStatus, { OPEN: 3, CLOSED: 2, HIDDEN: 1 });
    assert.deepEqual(s.byAssignee, [
      { assignee: '(unassigned)', count: 4, unassigned: true },
      { assignee: 'a.okafor', count: 1 },
      { assignee: 'j.moreau', count: 1 },
    ]);
    assert.deepEqual(s.byClosingUser, [
      { user: 'j.moreau', count: 1 },
      { user: 'soc.automation', count: 1 },
    ]);
    assert.deepEqual(s.byOffenseType[0], { type: 'Source IP', count: 2 });
    // Custom Rule Engine excluded: CheckPoint is on 4101, 4103, 4106
    assert.deepEqual(s.topLogSources[0], { logSource: 'CheckPoint @ fw-edge-01.corp.example', type: 'CheckPoint', count: 3, rank: 1, ties: 0 });
    assert.ok(!s.topLogSources.some((l) => l.logSource.startsWith('Custom Rule Engine')));
    assert.deepEqual(s.topSourceNetworks.slice(0, 2), [
      { network: 'Net-10-172-192.Net_10_20_0_0', count: 2 },
      { network: 'other', count: 2 },
    ]);
    assert.equal(s.byRule.length, 10);
    assert.equal(s.topDescriptions.length, 6);
    assert.ok(s.topDescriptions.every((d) => d.count === 1 && d.concentration === 1));
    assert.deepEqual(s.events.eventCount, 27);
  });

  it('Asia/Riyadh (UTC+3): offense 4103 (2026-03-05 22:58 UTC) moves to 2026-03-06', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'offenses.json'), REASONS]);
    const s = summarizeQRadar(p, settings('Asia/Riyadh'));
    assert.deepEqual(
      s.byDay.map((b) => [b.day, b.count]),
      [
        ['2026-03-02', 1],
        ['2026-03-03', 1],
        ['2026-03-04', 0],
        ['2026-03-05', 0],
        ['2026-03-06', 2],
        ['2026-03-07', 1],
        ['2026-03-08', 1],
      ],
    );
    // UTC hours 07, 13, 22, 10, 03, 14 → Riyadh 10, 16, 01, 13, 06, 17
    assert.deepEqual(s.byHour, [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('escalated reasons are a setting: "non-issue" makes 4105 (2026-03-07) escalated', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'offenses.json'), REASONS]);
    const s = summarizeQRadar(p, settings('UTC', { escalatedReasons: ['NON-ISSUE'] }));
    assert.equal(s.summary.escalated, 1);
    assert.deepEqual(
      s.byDay.filter((b) => b.escalated).map((b) => b.day),
      ['2026-03-07'],
    );
  });
});

describe('QRadar analytics on crafted data', () => {
  it('a month-spanning range: 1 April and 1 May stay separate calendar days, 31 days zero-filled', async () => {
    const p = await runQRadarRead([path.join(FIX, 'month-span.json'), REASONS], { namedClosingReasons: [REASONS] });
    const s = summarizeQRadar(p, settings('UTC'));
    assert.equal(s.byDay.length, 31);
    assert.equal(s.byDay[0].day, '2026-04-01');
    assert.equal(s.byDay[30].day, '2026-05-01');
    // offenses 6 (first_persisted_time only), 7 (no time) and 8 (start_time "yesterday", last_updated_time 2 April)
    // are undated: no other time stands in for the first event (8 was counted on 2 April, 6 on 20 April)
    assert.deepEqual(nonZeroDays(s), [
      ['2026-04-01', 2, 0, 1],
      ['2026-04-15', 1, 0, 0],
      ['2026-05-01', 2, 1, 0],
    ]);
    assert.equal(s.summary.undated, 3);
    assert.deepEqual(s.byHour, [0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(s.byDay[0].byReason, { '(not closed)': 1, 'False-Positive, Tuned': 1 });
  });

  it('unknown closing reason shows as #99, the deleted reason 53 keeps its text and is flagged', async () => {
    const p = await runQRadarRead([path.join(FIX, 'month-span.json'), REASONS], { namedClosingReasons: [REASONS] });
    const s = summarizeQRadar(p, settings('UTC'));
    assert.deepEqual(s.byClosingReason, [
      { reason: '#99', id: 99, count: 1, class: '' },
      { reason: 'Duplicate (legacy reason)', id: 53, count: 1, class: '', deleted: true },
      { reason: 'Escalated to IR ticket', id: 54, count: 1, class: 'escalated' },
      { reason: 'False-Positive, Tuned', id: 2, count: 1, class: 'false positive' },
    ]);
    // without the lookup file every reason is #<id>, never blank
    const bare = summarizeQRadar(await runQRadarRead([path.join(FIX, 'month-span.json')]), settings('UTC'));
    assert.deepEqual(
      bare.byClosingReason.map((r) => r.reason),
      ['#2', '#53', '#54', '#99'],
    );
    assert.equal(bare.summary.escalated, 0);
  });

  it('noise: "Noisy Rule A" has 5 offenses, 10.0.0.1 explains 80%; missing fields count as (none)/(unknown)', async () => {
    const p = await runQRadarRead([path.join(FIX, 'month-span.json'), REASONS], { namedClosingReasons: [REASONS] });
    const s = summarizeQRadar(p, settings('UTC'));
    assert.deepEqual(
      s.topDescriptions.map((d) => [d.description, d.count, d.concentration, d.topSource]),
      [
        ['Noisy Rule A', 5, 0.8, '10.0.0.1'],
        ['Other Rule B', 2, 0.5, '(none)'],
        ['(no description)', 1, 1, '10.9.9.9'],
      ],
    );
    assert.deepEqual(s.topDescriptions[0].topSources, [
      { source: '10.0.0.1', count: 4 },
      { source: '10.0.0.2', count: 1 },
    ]);
    assert.deepEqual(s.topPairs[0], { description: 'Noisy Rule A', source: '10.0.0.1', count: 4 });
    // of its 5 offenses 3 are closed: reason 2 (False-Positive, Tuned), 54 (Escalated to IR ticket), 99 (unknown)
    assert.deepEqual(s.byRule[0], { ruleId: 100001, type: 'CRE_RULE', count: 5, descriptions: 1, closed: 3, falsePositive: 1, escalated: 1 });
    assert.deepEqual(s.byStatus, { CLOSED: 4, OPEN: 3, HIDDEN: 1 });
    assert.deepEqual(s.byMagnitude, [
      { value: '3', count: 3 },
      { value: '6', count: 1 },
      { value: '7', count: 1 },
      { value: '(unknown)', count: 3 },
    ]);
    // two log sources: the more active one is the top list, the quieter one the bottom list (no overlap)
    // both fit in the top list: listed once, most first, no bottom list
    assert.deepEqual(s.topLogSources, [
      { logSource: 'FW @ fw1', type: 'CheckPoint', count: 2, rank: 1, ties: 0 },
      { logSource: 'FW @ fw2', type: 'CheckPoint', count: 1, rank: 2, ties: 0 },
    ]);
    assert.deepEqual(s.bottomLogSources, []);
  });

  it('DST in the display zone (America/New_York, 2026-03-08 and 2026-11-01): hours and days follow the wall clock', async () => {
    const p = await runQRadarRead([path.join(FIX, 'dst.ndjson')]);
    const s = summarizeQRadar(p, settings('America/New_York'));
    // 06:30Z = 01:30 EST, 07:30Z = 03:30 EDT (02:xx does not exist), 04:30Z next day = 00:30 EDT,
    // 05:30Z/06:30Z on 11-01 = 01:30 EDT and 01:30 EST, 04:30Z on 11-02 = 23:30 EST on 11-01
    const hours = Object.fromEntries(s.byHour.map((n, h) => [h, n]).filter(([, n]) => n > 0));
    assert.deepEqual(hours, { 0: 1, 1: 3, 3: 1, 23: 1 });
    assert.deepEqual(nonZeroDays(s), [
      ['2026-03-08', 2, 0, 0],
      ['2026-03-09', 1, 0, 0],
      ['2026-11-01', 3, 0, 0],
    ]);
    assert.equal(s.byDay.length, 239);
    // a fixed UTC−5 offset would have put 103 on 03-08 and 106 on 11-01 23:30 → check the zone really matters
    const utc = summarizeQRadar(p, settings('UTC'));
    assert.deepEqual(nonZeroDays(utc), [
      ['2026-03-08', 2, 0, 0],
      ['2026-03-09', 1, 0, 0],
      ['2026-11-01', 2, 0, 0],
      ['2026-11-02', 1, 0, 0],
    ]);
  });
});

describe('QRadar dashboard model', () => {
  it('cards, charts (stacked per-day, escalations line, hour profile, noise, per-description sources) and facets that match the table', async () => {
    const p = await runQRadarRead([path.join(FIX, 'month-span.json'), REASONS], { namedClosingReasons: [REASONS] });
    const set = settings('UTC');
    const { model } = buildQRadarDashboard(p, 'month', set);
    const card = (id: string) => model.cards.find((c) => c.id === id)?.value;
    assert.deepEqual([card('offenses'), card('open'), card('hidden'), card('closed'), card('escalated'), card('falsePositive'), card('fpRate'), card('first'), card('last'), card('errors')], [8, 3, 1, 4, 1, 1, '25%', '2026-04-01', '2026-05-01', 4]);
    assert.equal(model.totalRows, 8);
    assert.equal(model.rowNoun, 'offenses');
    const perDay = model.charts.find((c) => c.id === 'per-day')!;
    assert.equal(perDay.labels.length, 31);
    assert.equal(perDay.stacked, true);
    assert.equal(perDay.orientation, 'vertical');
    assert.deepEqual(
      perDay.datasets!.map((d) => d.label),
      ['#99', '(not closed)', 'Duplicate (legacy reason)', 'Escalated to IR ticket', 'False-Positive, Tuned'],
    );
    const esc = model.charts.find((c) => c.id === 'escalated-per-day')!;
    assert.equal(esc.type, 'line');
    assert.equal(esc.values[30], 1);
    const src = model.charts.filter((c) => c.group === SOURCES_GROUP);
    assert.equal(src.length, 3);
    assert.deepEqual(src[0].baseFacet, { description: 'Noisy Rule A' });
    assert.equal(src[0].note, '5 offenses · top source 10.0.0.1 explains 80%');

    // every chart facet selects exactly the offenses the chart counted
    const ctx = qradarContext(p, set);
    const store = new TableStore(p.offenses, qradarOffenseColumns(ctx));
    const n = (facets: Record<string, string>) => store.window({ facets }, 0, 100).total;
    assert.equal(n({ day: '2026-05-01' }), 2);
    assert.equal(n({ day: '2026-04-01', closingReason: '(not closed)' }), 1);
    assert.equal(n({ day: '2026-04-01', closingReason: 'False-Positive, Tuned' }), 1);
    assert.equal(n({ hour: '08' }), 2);
    assert.equal(n({ description: 'Noisy Rule A', offenseSource: '10.0.0.1' }), 4);
    assert.equal(n({ description: 'Other Rule B', offenseSource: '(none)' }), 1);
    assert.equal(n({ class: 'escalated' }), 1);
    assert.equal(n({ rules: '100001' }), 5);
    assert.equal(n({ assignment: 'not assigned' }), 6);
    assert.equal(n({ assignedTo: '(unassigned)' }), 0);
    assert.equal(n({ closingReason: '#99' }), 1);
    assert.equal(n({ logSources: 'FW @ fw1' }), 2);
  });

  it('the display zone changes the model (Asia/Riyadh moves offense 2 to 2026-04-02)', async () => {
    const p = await runQRadarRead([path.join(FIX, 'month-span.json'), REASONS], { namedClosingReasons: [REASONS] });
    const { model } = buildQRadarDashboard(p, 'month', settings('Asia/Riyadh'));
    const perDay = model.charts.find((c) => c.id === 'per-day')!;
    assert.deepEqual([perDay.values[0], perDay.values[1]], [1, 1]);
    assert.equal(model.displayZone, 'Asia/Riyadh');
    assert.match(model.columns.find((c) => c.id === 'start')!.title, /Asia\/Riyadh/);
  });

  it('Files read: every file of the sample folder once; Ariel and error files skipped with their reason', async () => {
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
    const { model } = buildQRadarDashboard(p, 'samples', settings('UTC'));
    const rows = model.tables.find((t) => t.id === 'inputs')!.rows.map((r) => [path.basename(String(r[0])), r[1]]);
    assert.deepEqual(
      rows.slice().sort(),
      [
        ['ariel_search_results.json', 'skipped: not offense data'],
        ['ariel_search_status.json', 'skipped: not offense data'],
        ['error_401.json', 'skipped: not offense data'],
        ['log_activity_export.csv', 'Exported events'],
        ['log_activity_export_internal_names.csv', 'Exported events'],
        ['log_activity_export_payload_columns.csv', 'Exported events'],
        ['offense_closing_reasons.json', 'Closing reasons list'],
        ['offense_types.json', 'Offense types list'],
        ['offenses.json', 'Offenses'],
      ],
    );
    // new-user trial: the tab showed whole paths (the names out of view) and the parser's names (`closingReasons`,
    // `json-array`): now each file's name below the folder the files share (its whole path in the cell's tooltip), its
    // kind and format in words, its folder last
    const tab = model.tables.find((t) => t.id === 'inputs')!;
    assert.deepEqual(tab.columns.map((c) => c.title), ['File', 'Kind', 'Format / why skipped', 'Records', 'Errors', 'Folder']);
    const byName = new Map(tab.rows.map((r, i) => [String(r[0]), { row: r, tip: tab.cellTitles?.file?.[i] }]));
    assert.deepEqual(byName.get('offenses.json')!.row, ['offenses.json', 'Offenses', 'JSON array (API answer)', 6, 0, SAMPLES]);
    assert.equal(byName.get('offenses.json')!.tip, path.join(SAMPLES, 'offenses.json'));
    assert.deepEqual(byName.get('log_activity_export_internal_names.csv')!.row.slice(1, 3), ['Exported events', 'CSV (internal column names)']);
    assert.deepEqual(byName.get('log_activity_export.csv')!.row.slice(1, 3), ['Exported events', 'CSV (column names as shown)']);
    assert.ok(tab.rows.every((r) => !String(r[0]).includes('/') && r.at(-1) === SAMPLES), JSON.stringify(tab.rows.map((r) => [r[0], r.at(-1)])));
    const why = model.tables.find((t) => t.id === 'inputs')!.rows.find((r) => String(r[0]).endsWith('error_401.json'))![2];
    assert.match(String(why), /QRadar API error body/);
  });

  it('events only (Log Activity export, no offenses): the table shows events', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'log_activity_export.csv')], { consoleTimeZone: 'Europe/Berlin' });
    const { model } = buildQRadarDashboard(p, 'export', settings('UTC'));
    assert.equal(model.rowNoun, 'events');
    assert.equal(model.totalRows, 5);
    // with the first and last event of the name: console times (Berlin, CET) "Mar 3, 2026, 2:20:05 PM" and "2:20:09 PM"
    // in the display zone (UTC) — the console zone asked for shows here (a new-user trial: it showed nowhere)
    const names = model.tables.find((t) => t.id === 'eventNames')!;
    assert.deepEqual(names.columns.slice(3).map((c) => [c.title, c.type]), [['First event (UTC)', 'time'], ['Last event (UTC)', 'time']]);
    assert.deepEqual(names.rows[0], ['Failure Audit: An account failed to log on', 2, 20, '2026-03-03 13:20:05', '2026-03-03 13:20:09']);
    const sources = model.tables.find((t) => t.id === 'eventLogSources')!;
    assert.deepEqual(sources.rows[0].slice(3), ['2026-03-03 13:20:05', '2026-03-03 13:20:09']);
    // another console zone moves them; another display zone shows them there
    const ny = await runQRadarRead([path.join(SAMPLES, 'log_activity_export.csv')], { consoleTimeZone: 'America/New_York' });
    assert.deepEqual(buildQRadarDashboard(ny, 'export', settings('UTC')).model.tables.find((t) => t.id === 'eventNames')!.rows[0].slice(3), ['2026-03-03 19:20:05', '2026-03-03 19:20:09']);
    assert.deepEqual(buildQRadarDashboard(p, 'export', settings('Asia/Tokyo')).model.tables.find((t) => t.id === 'eventNames')!.rows[0].slice(3), ['2026-03-03 22:20:05', '2026-03-03 22:20:09']);
  });

  it('CLI: the event times line and --json events first/last per name (console times read in the console zone)', async () => {
    const out: string[] = [];
    const io: CliIO = { stdout: (t) => out.push(t), stderr: () => undefined };
    assert.equal(await main(['qradar', path.join(SAMPLES, 'log_activity_export.csv'), '--console-tz', 'Europe/Berlin', '--tz', 'America/New_York'], io), 0);
    assert.match(out.join(''), /^ {2}Event times \(America\/New_York\): 2026-03-03 08:20:05 – 2026-03-03 08:2\d:\d\d$/m);
    out.length = 0;
    assert.equal(await main(['qradar', path.join(SAMPLES, 'log_activity_export.csv'), '--console-tz', 'Europe/Berlin', '--json'], io), 0);
    const ev = JSON.parse(out.join('')).events;
    assert.equal(ev.first, '2026-03-03T13:20:05Z');
    assert.deepEqual(ev.byName[0], { name: 'Failure Audit: An account failed to log on', records: 2, events: 20, first: '2026-03-03T13:20:05Z', last: '2026-03-03T13:20:09Z' });
  });
});

describe('soc-analytics qradar', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
    return { io, out: () => out.join(''), err: () => err.join('') };
  }

  it('--json on the samples: summary, byDay, byHour, byClosingReason, byStatus, topDescriptions, byAssignee, errors', async () => {
    const c = capture();
    const code = await main(['qradar', SAMPLES, '--tz', 'Asia/Riyadh', '--console-tz', 'Europe/Berlin', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const j = JSON.parse(c.out());
    assert.deepEqual(
      { offenses: j.summary.offenses, first: j.summary.first, last: j.summary.last, timezone: j.summary.timezone },
      { offenses: 6, first: '2026-03-02T10:41:12.318+03:00', last: '2026-03-08T17:02:19.005+03:00', timezone: 'Asia/Riyadh' },
    );
    assert.deepEqual(j.byDay[4], { day: '2026-03-06', count: 2, escalated: 0, falsePositive: 0 });
    assert.equal(j.byHour.length, 24);
    assert.deepEqual(j.byClosingReason[0], { reason: 'False-Positive, Tuned', id: 2, count: 1, class: 'false positive', deleted: false, reserved: false });
    assert.deepEqual(j.byStatus, { OPEN: 3, CLOSED: 2, HIDDEN: 1 });
    assert.deepEqual(j.topDescriptions[0], {
      description: 'Application Error Threshold Exceeded',
      count: 1,
      variants: 1,
      concentration: 1,
      topSources: [{ source: '7c1e2a90-4b6d-4f3e-9a51-0d2f8e6b1c34', count: 1 }],
      topSourceTies: 0,
      closed: 1,
      falsePositive: 0,
      escalated: 0,
    });
    assert.deepEqual(j.byAssignee[0], { assignee: '(unassigned)', count: 4, unassigned: true });
    // the saved 401 answer is a problem, as on the dashboard (it was only "Left out")
    assert.equal(j.summary.errors, 1);
    assert.deepEqual(j.errors.map((e: { file: string; line: number }) => [path.basename(e.file), e.line]), [['error_401.json', 0]]);
  });

  it('--escalated and --closing-reasons: the month fixture joined with the sample reasons', async () => {
    const c = capture();
    const code = await main(['qradar', path.join(FIX, 'month-span.json'), '--closing-reasons', REASONS, '--escalated', 'escalat,non-issue', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const j = JSON.parse(c.out());
    assert.equal(j.summary.offenses, 8);
    assert.equal(j.summary.escalated, 1);
    assert.equal(j.byDay.length, 31);
    assert.equal(j.topDescriptions[0].concentration, 0.8);
    assert.equal(j.errors.length, 4);
    assert.deepEqual(j.errors[2], { file: path.join(FIX, 'month-span.json'), line: 10, message: 'record 9: not an offense object (number); skipped' });
  });

  it('exit 2 on a bad zone, a missing path or no path; text report otherwise', async () => {
    for (const args of [['qradar', SAMPLES, '--tz', 'Mars/Base'], ['qradar', path.join(FIX, 'nope')], ['qradar']]) {
      const c = capture();
      assert.equal(await main(args, c.io), 2, args.join(' '));
      assert.ok(c.err().length > 0);
    }
    const c = capture();
    assert.equal(await main(['qradar', path.join(SAMPLES, 'offenses.json')], c.io), 0);
    assert.match(c.out(), /^QRadar offenses: 6 \(3 open, 1 hidden, 2 closed\) from 1 offense file \(also read: 2 reference lists\)\n/);
  });
});

describe('calendar buckets of long ranges', () => {
  it('weeks start on Monday; > 120 days → weeks, > 730 days → months; totals kept', async () => {
    const { calendarBuckets, weekStart } = await import('../../src/core/analyze/qradar-dashboard');
    assert.equal(weekStart('2026-03-08'), '2026-03-02'); // Sunday → Monday before
    assert.equal(weekStart('2026-03-09'), '2026-03-09'); // Monday
    assert.equal(weekStart('2021-01-01'), '2020-12-28'); // across a year boundary
    const mk = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const day = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
        return { day, count: 1, escalated: i % 2, falsePositive: 0, byReason: { x: 1 } };
      });
    assert.equal(calendarBuckets(mk(120)).unit, 'day');
    const w = calendarBuckets(mk(121));
    assert.equal(w.unit, 'week');
    assert.equal(w.buckets[0].day, '2024-01-01'); // a Monday
    assert.equal(w.buckets[0].count, 7);
    assert.equal(w.buckets.reduce((s, b) => s + b.count, 0), 121);
    const m = calendarBuckets(mk(731));
    assert.equal(m.unit, 'month');
    assert.deepEqual(m.buckets.slice(0, 2).map((b) => [b.day, b.count, b.byReason.x]), [['2024-01', 31, 31], ['2024-02', 29, 29]]);
    assert.equal(m.buckets.reduce((s, b) => s + b.count, 0), 731);
  });
});

describe('QRadar analytics: sources per description and day buckets (counted after the offense pass)', () => {
  const off = (i: number, label: string, src: string | undefined, startTime: number) => ({
    id: i,
    description: label,
    label,
    categories: [],
    destinationNetworks: [],
    rules: [],
    logSources: [],
    source: { file: 'x.json', line: i + 2 },
    record: i + 1,
    status: 'OPEN',
    startTime,
    ...(src === undefined ? {} : { offenseSource: src }),
  });
  const parsed = (offenses: ReturnType<typeof off>[]) => ({ files: [], offenses, events: [], closingReasons: [], offenseTypes: [], rules: [], errors: [], skipped: [], consoleTimeZone: 'UTC', usedConsoleTimes: false });
  const t = Date.UTC(2026, 2, 3, 10, 20);

  it('top sources, concentration and top pairs; a NUL inside a source orders pairs by the joined key', () => {
    const p = parsed([off(0, 'A', '10.0.0.1', t), off(1, 'A', '10.0.0.2', t), off(2, 'A', '10.0.0.1', t + 1), off(3, 'B', undefined, t + 3_600_000), off(4, 'B', 'a\u0000b', t), off(5, 'B', 'a', t)]);
    const s = summarizeQRadar(p, settings('UTC', { topN: 3 }));
    assert.deepEqual(
      s.descriptions.map((d) => [d.description, d.count, d.topSource, d.concentration, d.topSources]),
      [
        ['A', 3, '10.0.0.1', 2 / 3, [{ source: '10.0.0.1', count: 2 }, { source: '10.0.0.2', count: 1 }]],
        ['B', 3, '(none)', 1 / 3, [{ source: '(none)', count: 1 }, { source: 'a', count: 1 }, { source: 'a\u0000b', count: 1 }]],
      ],
    );
    // pairs by count, then by the key `description NUL source` ('(' sorts before 'a')
    assert.deepEqual(s.topPairs, [
      { description: 'A', source: '10.0.0.1', count: 2 },
      { description: 'A', source: '10.0.0.2', count: 1 },
      { description: 'B', source: '(none)', count: 1 },
    ]);
    assert.deepEqual(s.byHour.slice(10, 12), [5, 1]);
    assert.deepEqual(s.byDay.map((b) => [b.day, b.count]), [['2026-03-03', 6]]);
  });

  it('offenses decades apart (outside the block table around the first one): days and hours as usual', () => {
    const p = parsed([off(0, 'A', 's', Date.UTC(1995, 5, 1, 7, 30)), off(1, 'A', 's', Date.UTC(2030, 0, 2, 23, 59)), off(2, 'A', 's', Date.UTC(2030, 0, 2, 23, 1)), off(3, 'A', 's', Date.UTC(1995, 5, 1, 7, 44))]);
    const s = summarizeQRadar(p, settings('America/New_York'));
    assert.deepEqual(s.byDay.map((b) => [b.day, b.count]), [['1995-06-01', 2], ['2030-01-02', 2]]);
    assert.deepEqual([s.byHour[3], s.byHour[18]], [2, 2]);
  });

  it('Asia/Kathmandu (+05:45): day and hour of offenses around local midnight', () => {
    // 2026-03-03 18:10 and 18:20 UTC = 23:55 and 2026-03-04 00:05 in Kathmandu
    const p = parsed([off(0, 'A', 's', Date.UTC(2026, 2, 3, 18, 10)), off(1, 'A', 's', Date.UTC(2026, 2, 3, 18, 20)), off(2, 'A', 's', Date.UTC(2026, 2, 3, 18, 14))]);
    const s = summarizeQRadar(p, settings('Asia/Kathmandu'));
    assert.deepEqual(s.byDay.map((b) => [b.day, b.count]), [['2026-03-03', 2], ['2026-03-04', 1]]);
    assert.equal(s.byHour[23], 2);
    assert.equal(s.byHour[0], 1);
  });
});

describe('dedupeOffenses: ids in order skip the id table, same result', () => {
  const o = (id: number | undefined, startTime: number, lastPersistedTime: number) => ({
    ...(id === undefined ? {} : { id }),
    description: '',
    label: '(no description)',
    categories: [],
    destinationNetworks: [],
    rules: [],
    logSources: [],
    source: { file: 'x', line: 1 },
    record: 1,
    startTime,
    lastPersistedTime,
  });
  it('increasing, decreasing, with and without ids, duplicates, 0 and -0', () => {
    const inc = [o(1, 5, 1), o(undefined, 5, 1), o(2, 5, 1), o(7, 5, 1)];
    assert.deepEqual(dedupeOffenses(inc), { offenses: inc, duplicates: 0, copies: [] });
    const dec = [o(9, 5, 1), o(3, 5, 1), o(undefined, 5, 1), o(undefined, 5, 1)];
    assert.equal(dedupeOffenses(dec).offenses, dec);
    const dup = [o(1, 5, 1), o(2, 5, 1), o(1, 5, 3)];
    assert.deepEqual(dedupeOffenses(dup), { offenses: [dup[1], dup[2]], duplicates: 1, copies: [{ dropped: dup[0], kept: dup[2] }] });
    const zigzag = [o(1, 5, 1), o(3, 5, 1), o(2, 5, 1)];
    assert.deepEqual(dedupeOffenses(zigzag), { offenses: zigzag, duplicates: 0, copies: [] });
    const zeros = [o(0, 5, 2), o(-0, 5, 1)];
    assert.deepEqual(dedupeOffenses(zeros).duplicates, 1);
    const otherStart = [o(4, 5, 1), o(4, 6, 1)];
    assert.deepEqual(dedupeOffenses(otherStart), { offenses: otherStart, duplicates: 0, copies: [] });
  });
});
