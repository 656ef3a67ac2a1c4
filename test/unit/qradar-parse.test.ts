/**
 * QRadar input parsing: the real sample files of shared/data/qradar (offenses, lookups, the three
 * Log Activity CSV variants, public API captures) and crafted damage in test/fixtures/qradar.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { descriptionLabel, parseQRadarJsonText, scanArray } from '../../src/core/parse/qradar';
import { columnNames, parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { parseExportTime, toEpochMs } from '../../src/core/parse/qradar-values';

const SHARED = path.resolve(__dirname, '../../../../shared/data/qradar');
const SAMPLES = path.join(SHARED, 'samples');
const PUBLIC = path.join(SHARED, 'public');
const FIX = path.resolve(__dirname, '../../../test/fixtures/qradar');

describe('QRadar samples (shared/data/qradar/samples)', () => {
  it('reads the sample folder: 6 offenses, 6 closing reasons, 5 offense types, 7 exported events, Ariel/error files set aside', async () => {
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
    assert.equal(p.offenses.length, 6);
    assert.deepEqual(
      p.offenses.map((o) => o.id),
      [4101, 4102, 4103, 4104, 4105, 4106],
    );
    assert.equal(p.closingReasons.length, 6);
    assert.deepEqual(
      p.closingReasons.filter((r) => r.isDeleted).map((r) => r.id),
      [53],
    );
    assert.deepEqual(
      p.closingReasons.filter((r) => r.isReserved).map((r) => r.id),
      [4],
    );
    assert.equal(p.offenseTypes.length, 5);
    assert.equal(p.events.length, 7);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(
      p.skipped.map((s) => [path.basename(s.file), s.reason.split(':')[0]]),
      [
        ['ariel_search_results.json', 'Ariel search results (not analyzed)'],
        ['ariel_search_status.json', 'Ariel search status (not analyzed)'],
        ['error_401.json', 'QRadar API error body'],
      ],
    );
    assert.equal(p.usedConsoleTimes, true);
  });

  it('keeps the offense fields exactly (4102: field order shuffled, CLOSED, reason 2; 4105: domain_id null, UUID source)', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'offenses.json')]);
    const o = p.offenses.find((x) => x.id === 4102)!;
    assert.equal(o.label, 'Multiple Login Failures for the Same User');
    assert.equal(o.description, 'Multiple Login Failures for the Same User\n containing Failure Audit: An account failed to log on\n');
    assert.equal(o.status, 'CLOSED');
    assert.equal(o.closingReasonId, 2);
    assert.equal(o.closingUser, 'j.moreau');
    assert.equal(o.startTime, 1772544005114);
    assert.equal(o.closeTime, 1772615380000);
    assert.equal(o.offenseType, 3);
    assert.equal(o.offenseSource, 'svc_backup');
    assert.deepEqual(o.rules, [
      { id: 100056, type: 'CRE_RULE' },
      { id: 100813, type: 'BUILDING_BLOCK_RULE' },
    ]);
    assert.deepEqual(
      o.logSources.map((l) => l.name),
      ['WindowsAuthServer @ dc02.corp.example', 'Custom Rule Engine-8 :: qradar-con01'],
    );
    const u = p.offenses.find((x) => x.id === 4105)!;
    assert.equal(u.domainId, undefined);
    assert.equal(u.offenseSource, '7c1e2a90-4b6d-4f3e-9a51-0d2f8e6b1c34');
    const flow = p.offenses.find((x) => x.id === 4104)!;
    assert.deepEqual(flow.logSources, []);
    assert.equal(flow.status, 'HIDDEN');
  });

  it('Log Activity export with display names: console time Mar 3, 2026, 2:20:05 PM in Europe/Berlin = 1772544005000; quoted comma and doubled quotes; empty username', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'log_activity_export.csv')], { consoleTimeZone: 'Europe/Berlin' });
    assert.equal(p.files[0].format, 'csv-display-names');
    assert.deepEqual(
      p.events.map((e) => e.startTime),
      [1772544005000, 1772544009000, 1772544100000, 1772544168000, 1772544168000],
    );
    assert.deepEqual(
      p.events.map((e) => e.eventCount),
      [6, 14, 1, 3, 1],
    );
    assert.equal(p.events[3].eventName, 'Firewall Deny "Block SMB outbound", policy 12');
    assert.equal(p.events[3].destinationPort, '445');
    assert.equal(p.events[4].username, undefined);
    assert.equal(p.events[0].username, 'svc_backup');
    assert.deepEqual(
      p.events.map((e) => e.source.line),
      [2, 3, 4, 5, 6],
    );
  });

  it('the same export read in UTC is one hour later (the console zone is a setting)', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'log_activity_export.csv')], { consoleTimeZone: 'UTC' });
    assert.equal(p.events[0].startTime, 1772544005000 + 3600_000);
  });

  it('internal-name export: epoch-ms deviceTime, misspelt sourcMACAddress kept by header', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'log_activity_export_internal_names.csv')]);
    assert.equal(p.files[0].format, 'csv-internal-names');
    assert.equal(p.events.length, 1);
    assert.equal(p.events[0].logSourceTime, 1772544005000);
    assert.equal(p.events[0].fields.sourcMACAddress, '00:00:5E:00:53:1A');
    assert.equal(p.usedConsoleTimes, false);
  });

  it('payload-column export: the three blank headers become col_5, col_6, col_7', async () => {
    const p = await runQRadarRead([path.join(SAMPLES, 'log_activity_export_payload_columns.csv')], { consoleTimeZone: 'Europe/Berlin' });
    const e = p.events[0];
    assert.deepEqual(Object.keys(e.fields), ['Event Name', 'Log Source Identifier', 'Source MAC', 'Log Source Time', 'col_5', 'col_6', 'col_7']);
    assert.equal(e.fields.col_7, 'PDEzPk1hciAwMyAxNDoyMDowNQ==');
    assert.equal(e.logSourceTime, 1772544005000);
  });
});

describe('QRadar public captures (shared/data/qradar/public)', () => {
  it('reads 7 offenses (8 records; the update response duplicates offense 16), 17 closing reasons and 8 rules; log sources and rule groups are not offenses', async () => {
    const p = await runQRadarRead([PUBLIC]);
    assert.equal(p.offenses.length, 7);
    assert.deepEqual(
      p.offenses.map((o) => o.id).sort((a, b) => a! - b!),
      [7, 7, 12, 14, 15, 16, 450],
    );
    assert.ok(p.skipped.some((s) => s.reason.startsWith('1 duplicate offense (same id and start_time) kept once: offense 16 ')));
    assert.equal(p.closingReasons.length, 12 + 3 + 2);
    assert.equal(p.rules.length, 8);
    const kinds = Object.fromEntries(p.files.map((f) => [path.relative(PUBLIC, f.file), f.kind]));
    assert.equal(kinds['demisto-content-qradar-v3/log_sources.json'], 'unrecognised');
    assert.equal(kinds['demisto-content-qradar-v3/analytics_rule_groups.json'], 'unrecognised');
    assert.equal(kinds['alwashali-qradar-offenses-notebook/offense_closing_reasons.csv'], 'closingReasons');
    assert.deepEqual(p.errors, []);
  });
});

describe('QRadar crafted damage (test/fixtures/qradar)', () => {
  it('month-span.json: numbers as strings, bad fields reported with record/line/field, non-offenses skipped, 8 offenses kept', async () => {
    const p = await runQRadarRead([path.join(FIX, 'month-span.json')]);
    assert.equal(p.offenses.length, 8);
    const o3 = p.offenses.find((o) => o.id === 3)!;
    assert.equal(o3.startTime, Date.parse('2026-05-01T08:00:00Z'));
    assert.equal(o3.closingReasonId, 54);
    assert.equal(o3.magnitude, 6);
    const o8 = p.offenses.find((o) => o.id === 8)!;
    assert.equal(o8.startTime, undefined);
    assert.equal(o8.magnitude, undefined);
    assert.equal(o8.lastUpdatedTime, Date.parse('2026-04-02T00:00:00Z'));
    assert.equal(p.offenses.find((o) => o.id === 7)!.status, 'OPEN');
    assert.deepEqual(
      p.errors.map((e) => [path.basename(e.file), e.line, e.message]),
      [
        ['month-span.json', 9, 'record 8: field "magnitude": not a number ("high"); field left empty, offense kept'],
        ['month-span.json', 9, 'record 8: field "start_time": not an epoch-ms time ("yesterday"); field left empty, offense kept undated (in the totals, not in the range or per-day counts)'],
        ['month-span.json', 10, 'record 9: not an offense object (number); skipped'],
        ['month-span.json', 11, 'record 10: not an offense (needs id and offense_source, offense_type, magnitude or description with start_time); skipped'],
      ],
    );
  });

  it('NDJSON: a broken line is reported with its line number, the other 6 offenses are kept', async () => {
    const p = await runQRadarRead([path.join(FIX, 'dst.ndjson')]);
    assert.equal(p.files[0].format, 'ndjson');
    assert.equal(p.offenses.length, 6);
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.message]),
      [[4, 'record 4: invalid JSON (Unterminated string); skipped']],
    );
  });

  it('an object wrapping the array is detected (wrapped:offenses), no error for the closing brace', async () => {
    const p = await runQRadarRead([path.join(FIX, 'wrapped.json')]);
    assert.equal(p.files[0].format, 'wrapped:offenses');
    assert.deepEqual(
      p.offenses.map((o) => [o.id, o.magnitude]),
      [
        [101, undefined],
        [102, 4],
      ],
    );
    assert.deepEqual(p.errors, []);
  });

  it('a truncated array keeps every complete record and names the cut', async () => {
    const p = await runQRadarRead([path.join(FIX, 'truncated.json')]);
    assert.deepEqual(
      p.offenses.map((o) => o.id),
      [101, 102],
    );
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.message]),
      [
        [16, 'record 3: invalid JSON (Expected double-quoted property name); skipped'],
        [16, 'file ends inside the JSON array (truncated after record 3); every complete record was kept'],
      ],
    );
  });

  it('CSV damage: gap time, bad count, bad time, quoted newline, broken quote (kept as text) — 6 of 6 records kept', async () => {
    const p = await runQRadarRead([path.join(FIX, 'bad-export.csv')], { consoleTimeZone: 'Europe/Berlin' });
    assert.deepEqual(
      p.events.map((e) => [e.eventName, e.startTime === undefined ? null : new Date(e.startTime).toISOString(), e.eventCount, e.source.line]),
      [
        ['ok one', '2026-03-29T00:59:59.000Z', 2, 2],
        ['gap', null, 1, 3],
        ['bad time', null, undefined, 4], // Event Count "x": no count (it counted as 1)
        ['multi\nline', '2026-10-25T00:30:00.000Z', 1, 5], // the fall-back hour: the earlier instant, reported below
        ['"broken"quote"', '2026-03-03T13:20:05.000Z', 1, 7],
        ['last', '2026-03-03T13:20:05.000Z', 1, 8],
      ],
    );
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.message]),
      [
        [3, 'record 2: column "Start Time": "Mar 29, 2026, 2:30:00 AM" does not exist in Europe/Berlin (clocks moved forward); time left empty, record kept'],
        [4, 'record 3: column "Event Count": not a number ("x"); left empty, record kept (its events not counted in the event totals)'],
        [4, 'record 3: column "Start Time": not a QRadar time ("yesterday"); expected e.g. "Mar 3, 2026, 2:20:05 PM" or epoch ms; time left empty, record kept'],
        [5, 'record 4: column "Start Time": "Oct 25, 2026, 2:30:00 AM" occurs twice in Europe/Berlin (DST fall-back): 2026-10-25T00:30:00Z or 2026-10-25T01:30:00Z; earlier occurrence used'],
      ],
    );
  });

  it('closing reasons as id,text CSV (seed notebook output): a bad id is reported, the rest kept', async () => {
    const p = await runQRadarRead([path.join(FIX, 'closing-csv')]);
    // each reason carries its list's file: it names only the offenses of its own export (folder)
    const file = path.join(FIX, 'closing-csv', 'reasons.csv');
    assert.deepEqual(p.closingReasons, [
      { id: 2, text: 'False-Positive, Tuned', file },
      { id: 254, text: 'Escalated', file },
    ]);
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.message]),
      [[4, 'record 3: column "id": not a number ("x"); skipped']],
    );
  });

  it('unreadable paths are file-level errors, nothing throws', async () => {
    const p = await runQRadarRead([path.join(FIX, 'no-such-file.json')]);
    assert.equal(p.offenses.length, 0);
    assert.equal(p.errors.length, 1);
    assert.equal(p.errors[0].line, 0);
    assert.match(p.errors[0].message, /ENOENT/);
  });
});

describe('QRadar value helpers', () => {
  it('epoch values: ms, seconds, "…0.0" strings, ISO with offset; 0 and null are empty', () => {
    assert.deepEqual(toEpochMs(1772544005114), { ok: true, value: 1772544005114 });
    assert.deepEqual(toEpochMs(1772544005), { ok: true, value: 1772544005000 });
    assert.deepEqual(toEpochMs('1666114280756.0'), { ok: true, value: 1666114280756 });
    assert.deepEqual(toEpochMs('2021-02-15T14:24:11.536000+00:00'), { ok: true, value: 1613399051536 });
    assert.deepEqual(toEpochMs(0), { ok: true, value: undefined });
    assert.deepEqual(toEpochMs(null), { ok: true, value: undefined });
    assert.equal(toEpochMs('soon').ok, false);
  });

  it('console display formats (§5.1): with and without the comma, 24-hour, yyyy-MM-dd', () => {
    const z = 'Europe/Berlin';
    for (const s of ['Mar 3, 2026, 2:20:05 PM', 'Mar 3, 2026 2:20:05 PM', 'Mar 3, 2026, 14:20:05', '2026-03-03 14:20:05', 'Mar 03, 2026, 2:20:05 pm'])
      assert.deepEqual(parseExportTime(s, z), { ok: true, value: 1772544005000, display: true }, s);
    assert.equal(parseExportTime('Mar 29, 2026, 2:30:00 AM', z).ok, false);
  });

  it('a console time in a fall-back hour: the earlier instant in every zone, said (time-zone audit)', () => {
    // expected instants from Python zoneinfo (fold=0); luxon alone took the later one in Berlin and New York and the
    // earlier one on Lord Howe (30-min DST) and Chatham, without a word
    const cases: [string, string, string, string][] = [
      ['Oct 25, 2026, 2:30:00 AM', 'Europe/Berlin', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00Z'],
      ['Nov 1, 2026, 1:30:00 AM', 'America/New_York', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00Z'],
      ['Apr 5, 2026, 1:45:00 AM', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z', '2026-04-04T15:15:00Z'],
      ['Apr 5, 2026, 3:00:00 AM', 'Pacific/Chatham', '2026-04-04T13:15:00.000Z', '2026-04-04T14:15:00Z'],
    ];
    for (const [cell, zone, earlier, later] of cases) {
      const r = parseExportTime(cell, zone);
      assert.ok(r.ok && r.value !== undefined, cell);
      assert.equal(new Date(r.value).toISOString(), earlier, `${cell} ${zone}`);
      assert.equal(r.ambiguous, `"${cell}" occurs twice in ${zone} (DST fall-back): ${earlier.replace('.000', '')} or ${later}; earlier occurrence used`);
    }
    // an ordinary time is not flagged
    assert.equal(parseExportTime('Oct 25, 2026, 4:30:00 AM', 'Europe/Berlin').ambiguous, undefined);
    // a 12-hour time with an hour outside 1–12 is a problem, not 13:20 or 00:20 (time-zone audit)
    assert.deepEqual(parseExportTime('Mar 3, 2026, 13:20:05 PM', 'Europe/Berlin'), { ok: false, problem: 'not a QRadar time ("Mar 3, 2026, 13:20:05 PM"): hour 13 with PM' });
    assert.equal(parseExportTime('Mar 3, 2026, 0:20:05 am', 'Europe/Berlin').ok, false);
    assert.equal(new Date((parseExportTime('Mar 3, 2026, 12:20:05 AM', 'UTC') as { value: number }).value).toISOString(), '2026-03-03T00:20:05.000Z');
  });

  it('description label = first line, trimmed', () => {
    assert.equal(descriptionLabel('Potential Ransomware Staging Activity\n preceded by X\n'), 'Potential Ransomware Staging Activity');
    assert.equal(descriptionLabel('  A  '), 'A');
    assert.equal(descriptionLabel(''), '');
  });

  it('blank and duplicate CSV headers are named col_<n>', () => {
    assert.deepEqual(columnNames(['Event Name', '', 'Event Name', ' ']), ['Event Name', 'col_2', 'col_3', 'col_4']);
  });

  it('property: any JSON array of offenses, cut anywhere, never throws and keeps every complete record (seed 7)', () => {
    const offense = fc.record({ id: fc.integer({ min: 1, max: 1e6 }), description: fc.string(), offense_source: fc.string(), magnitude: fc.integer({ min: 1, max: 10 }) });
    fc.assert(
      fc.property(fc.array(offense, { minLength: 1, maxLength: 8 }), fc.nat(), (offs, cutSeed) => {
        const text = JSON.stringify(offs, null, 1);
        const cut = cutSeed % (text.length + 1);
        const r = parseQRadarJsonText(text.slice(0, cut), 'x.json');
        const whole = scanArray(text, 0).spans.filter((s) => s.end <= cut).length;
        assert.ok(r.offenses.length >= Math.max(0, whole - 1));
        if (cut === text.length) assert.equal(r.offenses.length, offs.length);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('property: CSV fields with commas, quotes and newlines round-trip through the export parser (seed 11)', () => {
    const cell = fc.string().filter((s) => !s.includes('\r'));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 5 }), (rows) => {
        const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
        const text = ['Event Name,Username', ...rows.map(([a, b]) => `${q(a)},${q(b)}`)].join('\n') + '\n';
        const r = parseQRadarCsvText(text, 'x.csv', 'UTC');
        assert.equal(r.events.length, rows.length);
        r.events.forEach((e, i) => {
          assert.equal(e.fields['Event Name'], rows[i][0]);
          assert.equal(e.fields.Username, rows[i][1]);
        });
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
