/**
 * Hostile-input review of the SOC KPI / case tagging, time-zone normalisation and QRadar case
 * inputs: each test is a defect found by the review (input that crashed, lost records silently or
 * gave wrong numbers), kept as a regression test.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { main, type CliIO } from '../../src/cli/cli';
import { computeKpis, type KpiSet } from '../../src/core/analyze/kpi';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { svgBarChart, svgStackedBars } from '../../src/core/export/report';
import type { CaseRecord } from '../../src/core/parse/cases';
import { parseTabularText } from '../../src/core/parse/cases-input';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { toNumber } from '../../src/core/parse/qradar-values';
import { shownValue } from '../../src/core/parse/zeek';
import { normalizeTable, renderNormalized, writeNormalized } from '../../src/core/tz-file';
import { isoInZone, parseTimestamp } from '../../src/core/tz-normalize';
import { val } from './kpi-val';


const kase = (line: number, created: string | undefined, extra: Partial<CaseRecord> = {}): CaseRecord => ({
  title: `case ${line}`,
  rules: [],
  file: 'cases.csv',
  line,
  raw: {},
  ...(created ? { created: Date.parse(created) } : {}),
  ...extra,
});

describe('KPI volume per week', () => {
  test('a stray 1970 created time does not push the real weeks out of the volume table', () => {
    // An export with one epoch-0 date: the 1,000 listed weeks ran from 1970 to 1989, so every 2026 case was lost without a word.
    const cases = [kase(2, '1970-01-01T00:00:00Z'), kase(3, '2026-03-02T08:00:00Z'), kase(4, '2026-03-03T08:00:00Z'), kase(5, '2026-03-10T08:00:00Z')];
    const k = computeKpis(cases, ['A', 'A', 'B', 'B'], { zone: 'UTC', asOf: Date.parse('2026-03-12T00:00:00Z') });
    const v = val(k, 'volume');
    assert.deepEqual(v.weeks, ['1970-W01', '2026-W10', '2026-W11']);
    assert.deepEqual(v.totalPerWeek, [1, 2, 1]);
    assert.deepEqual(v.counts, [
      [1, 1, 0],
      [0, 1, 1],
    ]);
    assert.equal(v.outsideWeeks, 0);
    assert.match(k.volume.available ? (k.volume.notes ?? []).join(' ') : '', /more than 1000 weeks/);
  });

  test('more than 1000 distinct weeks: the latest 1000 are listed, the others counted, none lost silently', () => {
    const cases = Array.from({ length: 1200 }, (_, i) => kase(i + 2, new Date(Date.parse('2000-01-03T12:00:00Z') + i * 14 * 86_400_000).toISOString()));
    const k = computeKpis(cases, cases.map(() => 'A'), { zone: 'UTC', asOf: Date.parse('2050-01-01T00:00:00Z') });
    const v = val(k, 'volume');
    assert.equal(v.weeks.length, 1000);
    assert.equal(v.totalPerWeek.reduce((a, b) => a + b, 0), 1000);
    assert.equal(v.outsideWeeks, 200);
    assert.equal(v.weeks[v.weeks.length - 1], '2045-W51'); // 2000-01-03 + 1199 × 14 days = 2045-12-18
  });
});

describe('deeply nested JSON case and log records', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  test('a title nested 100,000 levels deep is reported on its record; the analysis and the other records go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-deep-'));
    const file = join(dir, 'cases.json');
    writeFileSync(file, `[{"title":${deep(100_000)},"created":"2026-03-02T08:00:00Z","status":"Open"},\n{"title":"Login failed","created":"2026-03-03T08:00:00Z","status":"Open"}]`);
    const a = await runKpiAnalysis([file], { asOf: Date.parse('2026-03-10T00:00:00Z') });
    assert.equal(a.input.cases.length, 2);
    assert.deepEqual(
      a.input.cases.map((c) => [c.line, c.title, c.created]),
      [
        [1, '', Date.parse('2026-03-02T08:00:00Z')],
        [2, 'Login failed', Date.parse('2026-03-03T08:00:00Z')],
      ],
    );
    assert.deepEqual(a.errors, [{ file, line: 1, message: 'field "title": nested deeper than 1000 levels; read as empty' }]);
  });

  test('NDJSON: the same for tz convert input; a field at the depth limit is kept', () => {
    const t = parseTabularText(`{"ts":"2026-03-02T08:00:00Z","x":${deep(50_000)}}\n{"ts":"2026-03-02T09:00:00Z","x":${deep(1000)}}\n`, 'log.ndjson');
    assert.equal(t.rows.length, 2);
    assert.equal(t.rows[0].values.x, '');
    assert.equal(JSON.stringify(t.rows[1].values.x), deep(1000));
    assert.deepEqual(t.errors, [{ file: 'log.ndjson', line: 1, message: 'field "x": nested deeper than 1000 levels; read as empty' }]);
    const r = normalizeTable(t, { column: 'ts', format: 'iso', fromZone: 'UTC', toZone: 'UTC' });
    assert.equal(r.stats.converted, 2);
    assert.match(renderNormalized(t, r), /"ts_normalized":"2026-03-02T09:00:00Z"/);
  });
});

describe('QRadar offenses as cases: hostile closing-reason file', () => {
  test('ids and texts that are JSON objects are reported, not thrown (the analysis stopped with a TypeError)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-reasons-'));
    const offenses = join(dir, 'offenses.json');
    writeFileSync(
      offenses,
      JSON.stringify([
        { id: 1, description: 'Brute force', offense_source: '10.0.0.1', status: 'CLOSED', first_persisted_time: 1772438400000, close_time: 1772442000000, closing_reason_id: 2 },
        { id: 2, description: 'Port scan', offense_source: '10.0.0.2', status: 'CLOSED', first_persisted_time: 1772438400000, close_time: 1772442000000, closing_reason_id: 3 },
      ]),
    );
    const reasons = join(dir, 'offense_closing_reasons.json');
    writeFileSync(reasons, '[{"id":{"toString":0},"text":"x"},{"id":2,"text":"False-Positive, Tuned"},{"id":3,"text":{"toString":0}}]');
    const a = await runKpiAnalysis([offenses], { asOf: Date.parse('2026-03-10T00:00:00Z') });
    assert.equal(a.input.source, 'qradar-offenses');
    assert.deepEqual(
      a.input.cases.map((c) => c.disposition),
      ['False-Positive, Tuned', 'closing_reason_id 3'],
    );
    assert.deepEqual(
      a.errors.filter((e) => e.file === reasons),
      [
        // the line a record starts on (all three are on line 1) and its place in the array
        { file: reasons, line: 1, message: 'closing reasons: record 1 left out ("id" {"toString":0} is not a number)' },
        { file: reasons, line: 1, message: 'closing reasons: record 3 left out (no name)' },
      ],
    );
  });
});

describe('tz convert output', () => {
  test('a CSV record with more fields than the header keeps the added columns under their headers', () => {
    const t = parseTabularText('ts,a\n2024-01-01T00:00:00Z,1,EXTRA\n2024-01-02T00:00:00Z,2\n', 'log.csv');
    const r = normalizeTable(t, { column: 'ts', format: 'iso', fromZone: 'UTC', toZone: 'Europe/Berlin' });
    assert.equal(
      renderNormalized(t, r),
      'ts,a,col_3,ts_normalized,ts_tz_flag\r\n' + '2024-01-01T00:00:00Z,1,EXTRA,2024-01-01T01:00:00+01:00,\r\n' + '2024-01-02T00:00:00Z,2,,2024-01-02T01:00:00+01:00,\r\n',
    );
  });
});

describe('ISO 8601 values read exactly or not at all', () => {
  test('years 0000–0099 stay in the first century (Date.UTC made 0024 into 1924)', () => {
    assert.deepEqual(parseTimestamp('0024-04-19T10:00:00Z', 'iso'), { ms: Date.parse('0024-04-19T10:00:00Z'), aware: true, carriedZone: 'UTC' });
    assert.equal(isoInZone(parseTimestamp('0099-12-31T23:59:59Z', 'iso').ms, 'UTC'), '0099-12-31T23:59:59Z');
    assert.equal(parseTimestamp('0023-02-29T00:00:00Z', 'iso').flag, 'unparsed');
    assert.equal(parseTimestamp('20240419T10:00:00Z', 'loki').ms, Date.parse('2024-04-19T10:00:00Z'));
  });
  test('an offset with minutes over 59 is unparsed, not read as hours and minutes (+05:99 was 6 h 39 min)', () => {
    assert.deepEqual(parseTimestamp('2024-01-01T00:00:00+05:99', 'iso'), { aware: false, flag: 'unparsed', note: 'not ISO 8601 (with or without offset): offset out of range' });
    assert.equal(parseTimestamp('2024-01-01T00:00:00+0599', 'iso').flag, 'unparsed');
    assert.equal(parseTimestamp('2024-01-01T00:00:00+05:45', 'iso').ms, Date.parse('2023-12-31T18:15:00Z'));
  });
});

describe('outputs never overwrite the inputs', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
    return { io, out: () => out.join(''), err: () => err.join('') };
  };
  const dir = mkdtempSync(join(tmpdir(), 'soc-out-'));
  const input = join(dir, 'log.csv');
  const text = 'ts,a\n2024-01-01T00:00:00Z,1\n';
  writeFileSync(input, text);

  test('tz convert --out through a symlink or a hard link to the input exits 2 and leaves the input as it was', async () => {
    symlinkSync(input, join(dir, 'sym.csv'));
    linkSync(input, join(dir, 'hard.csv'));
    for (const out of ['sym.csv', 'hard.csv']) {
      const c = capture();
      const code = await main(['tz', 'convert', input, '--column', 'ts', '--to', 'UTC', '--out', join(dir, out)], c.io);
      assert.equal(code, 2, out);
      assert.match(c.err(), /--out must differ from the input file/);
      assert.equal(readFileSync(input, 'utf8'), text);
    }
    const t = parseTabularText(text, input);
    await assert.rejects(writeNormalized(t, normalizeTable(t, { column: 'ts', format: 'iso', fromZone: 'UTC', toZone: 'UTC' }), join(dir, 'sym.csv')), /refusing to overwrite the input file/);
    assert.equal(readFileSync(input, 'utf8'), text);
  });

  test('kpi --html / --md naming the cases file exits 2 and leaves it as it was', async () => {
    for (const o of ['--html', '--md']) {
      const c = capture();
      const code = await main(['kpi', input, o, join(dir, 'hard.csv')], c.io);
      assert.equal(code, 2, o);
      assert.match(c.err(), new RegExp(`${o} must differ from the input file`));
      assert.equal(readFileSync(input, 'utf8'), text);
    }
  });
});

describe('kpi text output', () => {
  test('an analyst name with line breaks cannot print a forged KPI line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-kpi-text-'));
    const file = join(dir, 'cases.csv');
    const eve = '"eve\r\n  MTTA (time to acknowledge): 0 s\r"';
    writeFileSync(file, `Title,Created,Owner,Status\nx,2026-03-02T08:00:00Z,${eve},Open\ny,2026-03-02T09:00:00Z,${eve},Open\n`);
    const out: string[] = [];
    const code = await main(['kpi', file, '--as-of', '2026-03-10T00:00:00Z'], { stdout: (s) => out.push(s), stderr: () => {} });
    assert.equal(code, 0);
    const lines = out.join('').split('\n');
    assert.equal(lines.filter((l) => l.includes('MTTA')).length, 2); // the real MTTA line and the one analyst line
    // (the name's line breaks and spaces are one space: accountName)
    assert.ok(lines.includes('  Workload per analyst: 1 analyst; most cases: eve MTTA (time to acknowledge): 0 s (2)'), lines.join('\n'));
    assert.ok(lines.some((l) => /^ {2}MTTA \(time to acknowledge\): unavailable: /.test(l)));
  });
});

describe('qradar text report', () => {
  test('names the files it left out and the duplicate offenses it dropped (only --json did)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-qr-left-'));
    const off = { description: 'Brute force', offense_source: '10.0.0.1', status: 'OPEN', start_time: 1772438400000 };
    writeFileSync(join(dir, 'offenses.json'), JSON.stringify([{ id: 2, ...off }, { id: 1, ...off }, { id: 2, ...off }]));
    writeFileSync(join(dir, 'other.json'), '{"hello":"world"}');
    const out: string[] = [];
    const code = await main(['qradar', dir], { stdout: (s) => out.push(s), stderr: () => {} });
    assert.equal(code, 0);
    const text = out.join('');
    assert.match(text, /^QRadar offenses: 2 \(2 open/);
    assert.ok(
      text.endsWith(`Left out:\n  ${join(dir, 'other.json')}: not QRadar offenses, closing reasons, offense types or rules\n  1 duplicate offense (same id and start_time) kept once: offense 2 (start_time 2026-03-02T08:00:00.000Z): kept ${basename(dir)}/offenses.json:1 (record 3) (no last_persisted_time or last_updated_time, the later record), dropped ${basename(dir)}/offenses.json:1 (record 1); the copies are the same\n`),
      text,
    );
  });
});

describe('QRadar Log Activity CSV event counts', () => {
  test('an Event Count of 1e400 or -5 is reported, not summed (totals became Infinity / lost events)', () => {
    const csv =
      'Event Name,Log Source,Event Count,Start Time\r\n' +
      '"A","LS","6","Mar 3, 2026, 2:20:05 PM"\r\n' +
      '"B","LS","1e400","Mar 3, 2026, 2:20:06 PM"\r\n' +
      '"C","LS","-5","Mar 3, 2026, 2:20:07 PM"\r\n' +
      '"D","LS","2.5e1","Mar 3, 2026, 2:20:08 PM"\r\n';
    const r = parseQRadarCsvText(csv, 'ev.csv', 'UTC');
    assert.equal(r.kind, 'events');
    assert.deepEqual(
      r.events.map((e) => [e.fields['Event Name'], e.eventCount]),
      [
        ['A', 6],
        // a count left empty adds nothing (it added 1 event each)
        ['B', undefined],
        ['C', undefined],
        ['D', 25],
      ],
    );
    assert.deepEqual(r.errors, [
      { file: 'ev.csv', line: 3, message: 'record 2: column "Event Count": not a finite number ("1e400"); left empty, record kept (its events not counted in the event totals)' },
      { file: 'ev.csv', line: 4, message: 'record 3: column "Event Count": negative count (-5); left empty, record kept (its events not counted in the event totals)' },
    ]);
    assert.deepEqual(toNumber('1e400'), { ok: false, problem: 'not a finite number ("1e400")' });
  });
});

describe('QRadar Log Activity CSV stray quotes', () => {
  test('a stray quote keeps its record as text and no longer takes the good record after it (that one was reported unreadable)', () => {
    const csv = 'Event Name,Log Source,Event Count\n"bad"x,"LS","1"\n"good1","LS","2"\n"good2","LS","3"\n';
    const r = parseQRadarCsvText(csv, 'ev.csv', 'UTC');
    assert.deepEqual(
      r.events.map((e) => [e.fields['Event Name'], e.eventCount, e.source.line]),
      [
        ['"bad"x', 1, 2],
        ['good1', 2, 3],
        ['good2', 3, 4],
      ],
    );
    assert.deepEqual(r.errors, []);
  });
});

describe('beacons: a deeply nested JSON value on one line', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const run = async (file: string, extra: string[]) => {
    const out: string[] = [];
    const code = await main(['beacons', file, '--internal', '10.0.0.0/8', '--json', ...extra], { stdout: (s) => out.push(s), stderr: () => {} });
    assert.equal(code, 0);
    return JSON.parse(out.join('')) as { summary: { records: number; unparsedLines: number }; errors: { file: string; line: number; message: string }[] };
  };
  const dir = mkdtempSync(join(tmpdir(), 'soc-deep-conn-'));

  test('generic JSON lines (--map): that line is reported, the 30 lines after it are read (reading stopped at it)', async () => {
    const file = join(dir, 'conn.jsonl');
    const good = Array.from({ length: 30 }, (_, i) => JSON.stringify({ ts: 1713484800 + i * 60, src: '10.0.0.1', dst: '1.2.3.4', bytes: 100 }));
    writeFileSync(file, [`{"ts":${deep},"src":"10.0.0.1","dst":"1.2.3.4"}`, ...good].join('\n') + '\n');
    const j = await run(file, ['--map', 'ts=ts,src=src,dst=dst,bytes=bytes']);
    assert.equal(j.summary.records, 30);
    assert.equal(j.summary.unparsedLines, 1);
    assert.deepEqual(j.errors, [{ file, line: 1, message: 'unreadable timestamp in ts: (a value nested too deeply to show)' }]);
  });

  test('Zeek JSON conn.log: the same', async () => {
    const file = join(dir, 'conn.log');
    const good = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ ts: 1713484800 + i * 60, uid: `C${i}`, 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '1.2.3.4', 'id.resp_p': 443, proto: 'tcp', orig_ip_bytes: 100, duration: 1 }),
    );
    writeFileSync(file, [`{"ts":${deep},"id.orig_h":"10.0.0.1","id.resp_h":"1.2.3.4"}`, ...good].join('\n') + '\n');
    const j = await run(file, []);
    assert.equal(j.summary.records, 30);
    assert.deepEqual(j.errors, [{ file, line: 1, message: 'unreadable ts: (a value nested too deeply to show)' }]);
  });

  test('an unreadable timestamp is shown cut to 200 characters', () => {
    assert.equal(shownValue('x'.repeat(500)), `"${'x'.repeat(198)}…`);
    assert.equal(shownValue(undefined), 'null');
  });
});

describe('KPI report charts', () => {
  test('a control character in an analyst name or tag does not make the SVG chart invalid XML (a broken image)', () => {
    const svg = svgBarChart('Cases per analyst', ['eve\u0001\u001b[31m', 'bob'], [2, 1]);
    assert.equal(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(svg), false);
    assert.ok(svg.includes('>eve\ufffd\ufffd[31m</text>'));
    const stacked = svgStackedBars('Cases per week', ['2026-W10'], [{ name: 'tag\u0007', values: [1] }]);
    assert.equal(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(stacked), false);
  });
});
