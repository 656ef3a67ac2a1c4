/**
 * QRadar findings of the new-user trial and hostile review: top/bottom log sources, full descriptions in
 * the offense table and CSV export, the console zone in the CLI report.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { descriptionOneLine, summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns } from '../../src/core/analyze/qradar-dashboard';
import { cellText, TableStore } from '../../src/core/table/store';
import { csvChunks } from '../../src/core/export/csv';
import type { QRadarOffense, QRadarParsed } from '../../src/core/parse/qradar-model';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';

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
  it('4 log sources, top 20: all fit in the top list, each shown once, no bottom list; 45 with top 20: 20 and 20', () => {
    const p = parsed(withLogSources({ 'FW @ a': 4, 'FW @ b': 3, 'FW @ c': 2, 'FW @ d': 1 }));
    const s = summarizeQRadar(p, settings());
    assert.deepEqual(s.topLogSources.map((l) => [l.logSource, l.count, l.rank, l.ties]), [['FW @ a', 4, 1, 0], ['FW @ b', 3, 2, 0], ['FW @ c', 2, 3, 0], ['FW @ d', 1, 4, 0]]);
    assert.deepEqual(s.bottomLogSources, []);
    const table = buildQRadarDashboard(p, 't', settings(), s).model.tables.find((t) => t.id === 'logSources')!;
    assert.equal(table.title, 'Log sources (all 4, most offenses first)');
    assert.deepEqual(table.rows.map((r) => [r[0], r[3]]), [['FW @ a', '1'], ['FW @ b', '2'], ['FW @ c', '3'], ['FW @ d', '4']]);
    assert.ok(!table.columns.some((c) => c.title === 'List'));
    // one log source: top only; 45 with top 20: 20 and 20 (the middle 5 in neither)
    assert.deepEqual(summarizeQRadar(parsed(withLogSources({ x: 1 })), settings()).bottomLogSources, []);
    const many = summarizeQRadar(parsed(withLogSources(Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`s${String(i).padStart(2, '0')}`, 45 - i])))), settings());
    assert.deepEqual([many.topLogSources.length, many.bottomLogSources.length, many.topLogSources[19].count, many.bottomLogSources[0].count, many.bottomLogSources[19].count], [20, 20, 26, 1, 20]);
  });

  it('5 log sources, top 2: bottom holds the fewest of the other 3, fewest first', () => {
    const s = summarizeQRadar(parsed(withLogSources({ a: 5, b: 4, c: 3, d: 2, e: 1 })), settings({ topN: 2 }));
    assert.deepEqual(s.topLogSources.map((l) => l.logSource), ['a', 'b']);
    assert.deepEqual(s.bottomLogSources.map((l) => [l.logSource, l.count]), [['e', 1], ['d', 2]]);
  });
});

describe('QRadar descriptions: the whole chained description is kept in the table and the CSV export', () => {
  const d4103 = 'Potential Ransomware Staging Activity\n preceded by Suspicious PowerShell Encoded Command\n containing Process Creation Success\n';
  const p = parsed([
    offense(0, { id: 4103, description: d4103, label: 'Potential Ransomware Staging Activity', offenseSource: 'ws-fin-042' }),
    offense(1, { id: 4104, description: 'Potential Ransomware Staging Activity\n', label: 'Potential Ransomware Staging Activity', offenseSource: 'ws-fin-042' }),
    offense(2, { id: 4105, description: 'Potential Ransomware Staging Activity\r\n preceded by Other\n', label: 'Potential Ransomware Staging Activity', offenseSource: 'ws-hr-001' }),
  ]);
  const s = summarizeQRadar(p, settings());
  const model = buildQRadarDashboard(p, 't', settings(), s).model;
  const ctx = qradarContext(p, settings());
  const cols = qradarOffenseColumns(ctx);
  const desc = cols.find((c) => c.id === 'description')!;

  it('the Description column (shown and exported to CSV) holds every line, on one line with ⏎ between', () => {
    assert.equal(descriptionOneLine(d4103), 'Potential Ransomware Staging Activity ⏎ preceded by Suspicious PowerShell Encoded Command ⏎ containing Process Creation Success');
    assert.deepEqual(p.offenses.map((o) => cellText(desc, o)), [
      'Potential Ransomware Staging Activity ⏎ preceded by Suspicious PowerShell Encoded Command ⏎ containing Process Creation Success',
      'Potential Ransomware Staging Activity',
      'Potential Ransomware Staging Activity ⏎ preceded by Other',
    ]);
    // CSV export writes the visible columns' text
    const csv = [...csvChunks(['Id', 'Description'], p.offenses.map((o) => [o.id, cellText(desc, o)]))].join('');
    assert.match(csv, /4103,Potential Ransomware Staging Activity ⏎ preceded by Suspicious PowerShell Encoded Command ⏎ containing Process Creation Success\r\n/);
    const name = cols.find((c) => c.id === 'name')!;
    assert.equal(cellText(name, p.offenses[0]), 'Potential Ransomware Staging Activity');
  });

  it('noise groups by the first line (the rule-given name) and counts the full-text variants; a chart click on the name still filters', () => {
    assert.deepEqual(s.descriptions.map((d) => [d.description, d.count, d.variants]), [['Potential Ransomware Staging Activity', 3, 3]]);
    const noise = model.tables.find((t) => t.id === 'noise')!;
    assert.equal(noise.title, 'Noise by offense name');
    assert.equal(noise.columns[0].title, 'Offense name (first line of the description)');
    assert.deepEqual(noise.rows[0].slice(0, 3), ['Potential Ransomware Staging Activity', 3, 3]);
    const store = new TableStore(p.offenses, cols);
    assert.equal(store.matching({ facets: { description: 'Potential Ransomware Staging Activity' } }).length, 3);
    assert.equal(store.matching({ facets: { description: descriptionOneLine(d4103) } }).length, 1);
  });
});

describe('CLI qradar: the console zone applied to CSV display times is reported', () => {
  const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
  const capture = () => {
    let o = '';
    let e = '';
    return { io: { stdout: (s: string) => void (o += s), stderr: (s: string) => void (e += s) }, out: () => o, err: () => e };
  };

  it('without --console-tz: "read in UTC (assumed …)" in the text report, on stderr with --json and in summary.consoleTimes', async () => {
    let c = capture();
    assert.equal(await main(['qradar', SAMPLES], c.io), 0, c.err());
    assert.match(c.out(), /\n {2}Console times in CSV exports read in UTC \(assumed: --console-tz not given; pass the console's zone if it is not UTC\)\n/);
    c = capture();
    assert.equal(await main(['qradar', SAMPLES, '--json'], c.io), 0);
    assert.deepEqual(JSON.parse(c.out()).summary.consoleTimes, { zone: 'UTC', assumed: true });
    assert.match(c.err(), /read in UTC \(assumed: --console-tz not given/);
  });

  it('with --console-tz europe/berlin: the canonical zone, not assumed', async () => {
    let c = capture();
    assert.equal(await main(['qradar', SAMPLES, '--console-tz', 'europe/berlin'], c.io), 0, c.err());
    assert.match(c.out(), /\n {2}Console times in CSV exports read in Europe\/Berlin \(--console-tz\)\n/);
    c = capture();
    assert.equal(await main(['qradar', SAMPLES, '--console-tz', 'Europe/Berlin', '--json'], c.io), 0);
    assert.deepEqual(JSON.parse(c.out()).summary.consoleTimes, { zone: 'Europe/Berlin', assumed: false });
    assert.equal(c.err(), '');
  });

  it('the text report says how many event rows were read from which Log Activity exports', async () => {
    let c = capture();
    assert.equal(await main(['qradar', SAMPLES, '--console-tz', 'Europe/Berlin'], c.io), 0, c.err());
    const out = c.out();
    // the offenses come from one file; the reference lists and Log Activity exports are named apart
    // (analyst trial 8: the files read as the dashboard counts them)
    assert.match(out, /^QRadar offenses: 6 \(3 open, 1 hidden, 2 closed\) from 1 offense file \(also read: 2 reference lists, 3 Log Activity exports\) — 9 files read \(6 analyzed, 3 skipped\)\n/);
    // every calendar day from the first to the last offense, a day without offenses included
    assert.match(out, /\nOffenses per day \(by first event, UTC\)\nDAY {9}COUNT  ESCALATED\n2026-03-02 {6}1 {10}0\n2026-03-03 {6}1 {10}0\n2026-03-04 {6}0 {10}0\n2026-03-05 {6}1 {10}0\n/);
    const f = (n: string) => path.join(SAMPLES, n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(
      out,
      new RegExp(
        `\nLog Activity exports: 7 event rows \\(event count 27\\) from 3 files\n  Event times \\(UTC\\): 2026-03-03 13:20:05 – 2026-03-03 13:22:48\nROWS  FILE\n` +
          ` {3}5  ${f('log_activity_export.csv')}\n {3}1  ${f('log_activity_export_internal_names.csv')}\n {3}1  ${f('log_activity_export_payload_columns.csv')}\n`,
      ),
    );
    assert.match(out, /\nNoisiest offense names/); // the offense sections stay
    c = capture();
    assert.equal(await main(['qradar', path.join(SAMPLES, 'log_activity_export.csv'), '--console-tz', 'Europe/Berlin'], c.io), 0, c.err());
    assert.match(c.out(), /^QRadar offenses: 0 \(0 open, 0 hidden, 0 closed\) from 0 offense files \(also read: 1 Log Activity export\)\n/);
    assert.match(c.out(), /\nLog Activity exports: 5 event rows \(event count 25\) from 1 file\n {2}Event times \(UTC\): 2026-03-03 13:20:05 – 2026-03-03 13:2\d:\d\d\nROWS  FILE\n {3}5  .*log_activity_export\.csv\n/);
    c = capture();
    assert.equal(await main(['qradar', path.join(SAMPLES, 'offenses.json')], c.io), 0, c.err());
    assert.doesNotMatch(c.out(), /Log Activity exports/);
  });

  it('no CSV display times: nothing said', async () => {
    const c = capture();
    assert.equal(await main(['qradar', path.join(SAMPLES, 'offenses.json')], c.io), 0, c.err());
    assert.doesNotMatch(c.out(), /Console times/);
  });
});
