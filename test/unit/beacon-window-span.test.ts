/**
 * The observation window told plainly (a new-user trial): older logs among the inputs (the 2018 JSON
 * logs beside the 2024 day) fall outside RITA's window — it ends at the latest record and starts at
 * most 24 hours earlier (rita-beacons.md §1.5, §5.1) — and the report, `--json` and the dashboard say
 * how many and when; a run whose kept records are all in one second has no window and says why.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis, spanWords } from '../../src/core/analyze/beacons/run';
import { beaconsTextReport, writeBeaconsJson } from '../../src/core/analyze/beacons/cli';
import { buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';

const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');
const DAY = path.join(ZEEK, 'day-2024-04-19');
const SUBNETS = ['64.225.56.201/32', '10.55.0.0/16'];

function json(a: Parameters<typeof writeBeaconsJson>[0]): { summary: Record<string, unknown>; notes: string[]; pairs: { dst: string; score: number }[] } {
  const out: string[] = [];
  writeBeaconsJson(a, { stdout: (s) => out.push(s) });
  return JSON.parse(out.join(''));
}

describe('beacons: records older than the observation window', () => {
  it('the 2018 JSON logs beside the 2024 day: 28 records outside, their span, the note, the window from the latest record', async () => {
    const a = await runBeaconAnalysis([ZEEK], { internalSubnets: SUBNETS, parseWorkers: 0 });
    const j = json(a);
    assert.equal(j.summary.windowStart, '2024-04-18T23:51:36Z');
    assert.equal(j.summary.windowEnd, '2024-04-19T23:51:36Z');
    assert.equal(j.summary.keptFirst, '2018-01-31T17:34:30Z');
    assert.equal(j.summary.keptLast, '2024-04-19T23:51:36Z');
    assert.deepEqual(j.summary.outsideWindow, { records: 28, first: '2018-01-31T17:34:30Z', last: '2018-01-31T18:13:37Z' });
    const note = j.notes.find((n) => n.includes('older than the observation window'));
    assert.ok(note, j.notes.join('\n'));
    assert.match(note, /^28 of 1,854 kept records \(2018-01-31T17:34:30Z – 2018-01-31T18:13:37Z\) are older than the observation window 2024-04-18T23:51:36Z – 2024-04-19T23:51:36Z: as in RITA, the window ends at the latest record/);
    assert.match(note, /span 2018-01-31T17:34:30Z – 2024-04-19T23:51:36Z \(6 years\)/);
    // the 2024 pair the trial named: its score with the older logs (RITA's semantics kept) and without
    assert.equal(a.pairs.find((p) => p.dst === '139.99.17.77')?.score, 0.862);
    const day = await runBeaconAnalysis([DAY], { internalSubnets: SUBNETS, parseWorkers: 0 });
    assert.equal(day.pairs.find((p) => p.dst === '139.99.17.77')?.score, 0.849);
    assert.equal(day.summary.outsideWindow, 0);
    assert.ok(!day.notes.some((n) => n.includes('older than the observation window')));
    assert.match(beaconsTextReport(day, 'UTC'), /Window: 2024-04-19 00:00:00 – 2024-04-19 23:51:36 \(UTC, up to the latest record\) {3}High/);
    // the text report's window line and the dashboard's subtitle point at the note
    assert.match(beaconsTextReport(a, 'UTC'), /Window: 2024-04-18 23:51:36 – 2024-04-19 23:51:36 \(UTC, up to the latest record\) — 28 older records outside, see the note/);
    const d = buildBeaconDashboard(a, 'Beacons', 'UTC');
    assert.match(d.subtitle ?? '', /window 2024-04-18 23:51:36 – 2024-04-19 23:51:36 \(28 older records outside, see Notes\)/);
    const notesTable = d.tables?.find((t) => t.id === 'notes');
    assert.ok(notesTable?.rows.some((r) => String(r[0]).startsWith('28 of 1,854 kept records')));
  });

  it('--single-window: the older records were not scored', async () => {
    const a = await runBeaconAnalysis([ZEEK], { internalSubnets: SUBNETS, parseWorkers: 0, hourlyImport: false });
    assert.ok(a.notes.some((n) => n.includes('older than the observation window 2024-04-18T23:51:36Z – 2024-04-19T23:51:36Z: as in RITA, the window ends at the latest record and starts at most 24 hours earlier, so they were not scored')), a.notes.join('\n'));
  });

  it('default subnets on the 2024 day: one kept record, no window, and why', async () => {
    const a = await runBeaconAnalysis([DAY], { parseWorkers: 0 });
    assert.equal(a.summary.records - a.summary.filteredRecords, 1);
    const j = json(a);
    assert.equal(j.summary.windowStart, null);
    assert.equal(j.summary.keptFirst, '2024-04-19T13:27:29Z');
    assert.equal(j.summary.keptLast, '2024-04-19T13:27:29Z');
    assert.ok(j.notes.includes("no observation window: the only kept record is at 2024-04-19T13:27:29Z — RITA's window runs from the earliest to the latest kept record, so it needs records at two different seconds (and a pair needs 4 distinct connection times to be scored)"), j.notes.join('\n'));
    const text = beaconsTextReport(a, 'UTC');
    assert.match(text, /Window: none — every kept record is at 2024-04-19 13:27:29 \(UTC\): a window needs two different seconds/);
    assert.doesNotMatch(text, /Window: - – -/);
  });

  it('spanWords rounds to the largest unit with at least two', () => {
    assert.equal(spanWords(6 * 365.25 * 86_400_000 + 1), '6 years');
    assert.equal(spanWords(36 * 3_600_000), '36 hours');
    assert.equal(spanWords(3 * 86_400_000), '3 days');
    assert.equal(spanWords(90_000), '2 minutes');
    assert.equal(spanWords(5_000), '5 seconds');
  });
});
