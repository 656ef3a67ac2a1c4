/**
 * QRadar fixes from a new-user trial on hostile inputs (copied to test/fixtures/qradar/trial-*): one `describe` per
 * reported problem, each asserting the corrected values.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns, UNDATED } from '../../src/core/analyze/qradar-dashboard';
import { TableStore } from '../../src/core/table/store';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { qradarMarkdown } from '../../src/core/export/markdown-summary';
import { problemWhere } from '../../src/core/model/common';

const DATA = process.env.SOC_SHARED_DATA ?? '/work/shared/data';
const SAMPLES = path.join(DATA, 'qradar/samples');
const FIX = path.join(__dirname, '../../../test/fixtures/qradar');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(args, { stdout: (s) => out.push(s), stderr: () => {} });
  return { code, out: out.join('') };
}

describe('#1 an offense without a valid start_time is undated: never dated by its last_updated_time', () => {
  const file = path.join(FIX, 'trial-undated/offenses.json');
  const undatedLine = '3 offenses without a valid start_time (undated): in the totals, not in the range or per-day counts';

  it('--json: 3 undated, no first/last, no day, no hour (record 1 was counted on 2023-11-14 by last_updated_time)', async () => {
    const r = await cli(['qradar', file, '--json']);
    const doc = JSON.parse(r.out) as { summary: { offenses: number; first: string | null; last: string | null; undated: number }; byDay: unknown[]; byHour: number[]; errors: { line: number; message: string }[] };
    assert.equal(doc.summary.offenses, 3);
    assert.equal(doc.summary.undated, 3);
    assert.equal(doc.summary.first, null);
    assert.equal(doc.summary.last, null);
    assert.deepEqual(doc.byDay, []);
    assert.equal(doc.byHour.reduce((a, b) => a + b, 0), 0);
    assert.deepEqual(doc.errors.map((e) => [e.line, e.message]), [
      [1, 'record 1: field "start_time": not an epoch-ms time ("yesterday"); field left empty, offense kept undated (in the totals, not in the range or per-day counts)'],
    ]);
  });

  it('text report and Markdown say how many are undated; no per-day table', async () => {
    const r = await cli(['qradar', file]);
    assert.ok(r.out.includes(`  Range (UTC): - .. -\n  ${undatedLine}\n`), r.out);
    assert.ok(!r.out.includes('Offenses per day'), r.out);
    const p = await runQRadarRead([file]);
    const md = qradarMarkdown(p, summarizeQRadar(p, settings), { zone: 'UTC' });
    assert.ok(md.includes(`- Undated: ${undatedLine}\n`), md);
  });

  it('dashboard: an Undated card, no First/Last day, no per-day chart, and the Start column empty for record 1', async () => {
    const p = await runQRadarRead([file]);
    const m = buildQRadarDashboard(p, 'q', settings).model;
    const card = (id: string) => m.cards.find((c) => c.id === id)?.value;
    assert.equal(card('undated'), 3);
    assert.equal(card('first'), '—');
    assert.equal(card('last'), '—');
    assert.equal(m.charts.find((c) => c.id === 'per-day'), undefined);
    assert.match(m.subtitle, /^3 offenses \(no dated offenses; 3 undated\)/);
    const cols = qradarOffenseColumns(qradarContext(p, settings));
    const start = cols.find((c) => c.id === 'start')!;
    const day = cols.find((c) => c.id === 'day')!;
    const o1 = p.offenses.find((o) => o.id === 1)!;
    assert.equal(o1.lastUpdatedTime, 1700000000000);
    assert.equal(start.get(o1), undefined);
    assert.equal(day.get(o1), undefined);
  });

  it('the Undated card filters the table to the undated offenses (a dated one in the same export is not kept)', async () => {
    const p = await runQRadarRead([file, path.join(SAMPLES, 'offenses.json')]);
    const m = buildQRadarDashboard(p, 'q', settings).model;
    const card = m.cards.find((c) => c.id === 'undated')!;
    assert.equal(card.value, 3);
    assert.deepEqual(card.facet, { undated: UNDATED });
    const store = new TableStore(p.offenses.slice(), qradarOffenseColumns(qradarContext(p, settings)));
    const kept = store.matching({ facets: card.facet });
    assert.equal(kept.length, 3);
    assert.ok(p.offenses.length > 3);
    assert.deepEqual(kept.map((i) => p.offenses[i].source.file), [file, file, file]);
  });
});

describe('#2 the status split adds up: a status of the wrong type or an unknown text is "unknown status" and a problem', () => {
  it('hostile export: 6 (5 open, 0 hidden, 0 closed, 1 unknown status); the list-typed status is a problem of record 4', async () => {
    const file = path.join(FIX, 'trial-status/offenses.json');
    const r = await cli(['qradar', file]);
    assert.ok(r.out.startsWith('QRadar offenses: 6 (5 open, 0 hidden, 0 closed, 1 unknown status) from 1 offense file\n'), r.out);
    assert.ok(r.out.includes(`${file}:1: record 4: field "status": not text (["OPEN"]); field left empty, offense kept (counted as an unknown status)\n`), r.out);
    const j = JSON.parse((await cli(['qradar', file, '--json'])).out) as { summary: { unknownStatus: number }; byStatus: Record<string, number> };
    assert.equal(j.summary.unknownStatus, 1);
    assert.deepEqual(j.byStatus, { OPEN: 5, '(unknown)': 1 });
  });

  it('an unknown status text (REOPENED) in an array of 21 (the fast reader): reported with record and line, kept as written, counted apart', async () => {
    const file = path.join(FIX, 'trial-status/unknown-status.json');
    const p = await runQRadarRead([file]);
    assert.deepEqual(p.errors.map((e) => [e.line, e.message]), [
      [79, 'record 8: field "status": not OPEN, HIDDEN or CLOSED ("REOPENED"); kept as written, offense kept (counted as an unknown status, not open, hidden or closed)'],
    ]);
    const sum = summarizeQRadar(p, settings);
    assert.deepEqual(sum.byStatus, { OPEN: 12, CLOSED: 7, HIDDEN: 1, REOPENED: 1 });
    assert.equal(sum.summary.unknownStatus, 1);
    const m = buildQRadarDashboard(p, 'q', settings, sum).model;
    const cards = Object.fromEntries(m.cards.map((c) => [c.id, c.value]));
    assert.deepEqual([cards.offenses, cards.open, cards.hidden, cards.closed, cards.unknownStatus], [21, 12, 1, 7, 1]);
    const md = qradarMarkdown(p, sum, { zone: 'UTC' });
    assert.ok(md.includes('- Offenses: 21 (12 open, 1 hidden, 7 closed, 1 unknown status) from 1 offense file\n'), md);
  });
});

describe('#3 Log Activity CSV: a count left empty adds no events; an invalid IP is a problem', () => {
  const file = path.join(FIX, 'trial-csv/log_activity.csv');

  it('event count 5 (only the row with 5), 3 rows without a valid count named; 999.0.0.1 reported at line 5', async () => {
    const r = await cli(['qradar', file, '--console-tz', 'UTC']);
    assert.ok(r.out.includes('Log Activity exports: 4 event rows (event count 5; 3 rows without a valid count, not counted) from 1 file\n'), r.out);
    const p = await runQRadarRead([file], { consoleTimeZone: 'UTC' });
    assert.deepEqual(p.events.map((e) => e.eventCount), [undefined, 5, undefined, undefined]);
    const sum = summarizeQRadar(p, settings);
    assert.equal(sum.events.eventCount, 5);
    assert.equal(sum.events.uncounted, 3);
    // (first/last: the rows' times, console zone UTC; the `not a time` row and the short row have none)
    const mar31 = Date.UTC(2026, 2, 31, 2, 30);
    const mar3 = Date.UTC(2026, 2, 3, 14, 20, 5);
    assert.deepEqual(sum.events.byLogSource, [{ logSource: 'ls', records: 2, events: 5, first: mar31, last: mar31 }, { logSource: '(none)', records: 1, events: 0 }, { logSource: '<b>ls</b>', records: 1, events: 0, first: mar3, last: mar3 }]);
    assert.deepEqual(
      p.errors.filter((e) => /Event Count|Source IP/.test(e.message)).map((e) => `${e.line}: ${e.message}`),
      [
        '2: record 1: column "Event Count": not a number ("abc"); left empty, record kept (its events not counted in the event totals)',
        '4: record 3: column "Event Count": missing; left empty, record kept (its events not counted in the event totals)',
        '5: record 4: column "Event Count": negative count (-7); left empty, record kept (its events not counted in the event totals)',
        '5: record 4: column "Source IP": not an IP address ("999.0.0.1"); kept as written, record kept',
      ],
    );
    assert.equal(p.events[3].sourceIp, '999.0.0.1');
  });

  it('an export without an Event Count column counts one event per row; the shared display export keeps its counts', async () => {
    const noCol = await runQRadarRead([path.join(SAMPLES, 'log_activity_export_internal_names.csv')]);
    assert.ok(noCol.events.length > 0);
    assert.ok(noCol.events.every((e) => e.eventCount === 1));
    const s1 = summarizeQRadar(noCol, settings);
    assert.deepEqual([s1.events.eventCount, s1.events.uncounted], [noCol.events.length, 0]);
    const p = await runQRadarRead([path.join(SAMPLES, 'log_activity_export.csv')], { consoleTimeZone: 'Europe/Berlin' });
    const sum = summarizeQRadar(p, settings);
    assert.deepEqual([sum.events.records, sum.events.uncounted], [5, 0]);
    assert.deepEqual(p.errors, []);
  });
});

describe('#4 the dashboard\'s Per day tab lists the empty days as the CLI does', () => {
  it('shared samples: 7 days 2026-03-02 … 2026-03-08 with 2026-03-04 at 0, in the tab and in the CLI table', async () => {
    const m = buildQRadarDashboard(await runQRadarRead([SAMPLES]), 'q', settings).model;
    const rows = m.tables.find((t) => t.id === 'days')!.rows;
    assert.equal(rows.length, 7);
    assert.deepEqual(rows[2], ['2026-03-04', 0, 0, 0]);
    const r = await cli(['qradar', SAMPLES]);
    assert.ok(r.out.includes('2026-03-03      1          0\n2026-03-04      0          0\n2026-03-05      1          0\n'), r.out);
  });
});

describe('#5 a problem of a whole file (line 0) is written as the file alone, never file:0', () => {
  it('problemWhere', () => {
    assert.equal(problemWhere('a/error_401.json', 0), 'a/error_401.json');
    assert.equal(problemWhere('a/offenses.json', 12), 'a/offenses.json:12');
  });

  it('qradar text report and dashboard Problems tab: error_401.json without :0', async () => {
    const r = await cli(['qradar', SAMPLES]);
    const f = path.join(SAMPLES, 'error_401.json');
    assert.ok(r.out.includes(`\n  ${f}: not an export: an error answer of the QRadar API`), r.out);
    assert.ok(!r.out.includes(`${f}:0`), r.out);
    const m = buildQRadarDashboard(await runQRadarRead([SAMPLES]), 'q', settings).model;
    const row = m.tables.find((t) => t.id === 'errors')!.rows[0];
    assert.deepEqual(row.slice(0, 2), [f, null]);
  });
});
