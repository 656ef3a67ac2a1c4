/**
 * Hostile review, round 6: findings verified by running the real code, each with the values it must give.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCases } from '../../src/core/parse/cases';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { toEpochMs } from '../../src/core/parse/qradar-values';
import { parseQRadarJsonText } from '../../src/core/parse/qradar';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { discoverQRadarFiles } from '../../src/core/analyze/qradar-run';
import { canonicalAddress } from '../../src/core/parse/ipv4';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { checkPanelOrigin, goneMessage } from '../../src/core/analysis-identity';
import { gunzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { main } from '../../src/cli/cli';
import { defaultOutputPath } from '../../src/core/tz-file';
import { capture } from './cli-capture';
import { buildTimelineDashboard, timelineBars, timelineEvents } from '../../src/core/tz-timeline';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile6-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const SAMPLE = join(__dirname, '../../../test/fixtures/cases/kpi-small.csv');

describe('case files: a record of blank fields is no case, a short record is said', () => {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l !== '');
  test('`,,,,` and a line of spaces are reported at their lines, not counted as open unassigned cases', async () => {
    const f = join(TMP, 'cases-blank.csv');
    // the sample's 10 cases, with a row of empty fields (as a spreadsheet leaves them) and a line of spaces between
    writeFileSync(f, [...lines.slice(0, 6), ',,,,,,,,,', '   ', ...lines.slice(6)].join('\n') + '\n');
    const input = await readCases([f]);
    assert.equal(input.cases.length, 10);
    assert.deepEqual(input.cases.map((c) => c.id), ['C-1', 'C-2', 'C-3', 'C-4', 'C-5', 'C-6', 'C-7', 'C-8', 'C-9', 'C-10']);
    assert.deepEqual(
      input.errors.map((e) => [e.line, e.message]),
      [
        [7, 'empty record (every field blank): not a case, skipped'],
        [8, 'empty record (every field blank): not a case, skipped'],
      ],
    );
  });
  test('a record with fewer fields than the header is kept and named at its line', async () => {
    const f = join(TMP, 'cases-short.csv');
    writeFileSync(f, [...lines.slice(0, 6), 'C-99,Short row', ...lines.slice(6)].join('\n') + '\n');
    const input = await readCases([f]);
    assert.equal(input.cases.length, 11);
    const c = input.cases.find((x) => x.id === 'C-99');
    assert.equal(c?.title, 'Short row');
    assert.equal(c?.created, undefined);
    assert.deepEqual(input.errors.map((e) => [e.line, e.message]), [[7, 'record has 2 fields, header has 10: the missing fields are read as empty']]);
  });
});

describe('merged timeline: a stray year-0001 time does not push every other event out of the chart', () => {
  test('a Loki finding dated 0001-01-01 beside the real scans\' findings and the sample cases: every event has a bar', async () => {
    // the real scan of Server1 with its first WARNING line dated the year 1 (kept by the Loki reader as a time)
    const real = readFileSync(join(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (3).log'), 'latin1').split('\n');
    const i = real.findIndex((l) => l.includes(',WARNING,FileScan,'));
    real[i] = real[i].replace(/^\d{8}T\d\d:\d\d:\d\dZ/, '00010101T00:00:00Z');
    const log = join(TMP, 'scan-year1.log');
    writeFileSync(log, real.join('\n'), 'latin1');
    const loki = await runLokiAnalysis([log]);
    // the Loki analysis alone on the timeline: its year-1 finding and the three of 2021-10-13
    const alone = timelineEvents('loki', 'loki', loki);
    assert.deepEqual(alone.map((e) => new Date(e.time).toISOString().slice(0, 10)), ['0001-01-01', '2021-10-13', '2021-10-13', '2021-10-13']);
    const aloneChart = buildTimelineDashboard(alone, 1, 'UTC').charts.find((c) => c.id === 'per-day')!;
    // before: 61 yearly bars 0001…0061 holding only the year-1 finding (sum 1); the 2021 findings were in no bar
    assert.equal(aloneChart.values.reduce((a, b) => a + b, 0), 4);
    assert.ok(aloneChart.labels.length <= 60, `${aloneChart.labels.length} bars`);
    assert.ok(aloneChart.labels.some((l) => l.startsWith('2021-10-13')), JSON.stringify(aloneChart.labels));
    const input = await readCases([SAMPLE]);
    const events = [...timelineEvents('loki', 'loki', loki), ...timelineEvents('kpi', 'cases', { input })];
    assert.equal(events.length, 4 + 10);
    assert.equal(Math.min(...events.map((e) => e.time)), Date.parse('0001-01-01T00:00:00Z'));
    for (const zone of ['UTC', 'Europe/Berlin']) {
      const model = buildTimelineDashboard(events, 2, zone);
      const chart = model.charts.find((c) => c.id === 'per-day')!;
      // before: 61 yearly bars 0001…0061, the 2021 findings and 2026 cases in none of them (sum 1)
      assert.equal(chart.values.reduce((a, b) => a + b, 0), 14, zone);
      assert.ok(chart.labels.length <= 60, `${zone}: ${chart.labels.length} bars`);
      assert.equal(chart.note?.includes('not drawn'), false, chart.note);
    }
    const bars = timelineBars(events.map((e) => e.time), 'UTC');
    assert.equal(bars.labels[0].startsWith('0001'), true, bars.labels[0]);
    assert.equal(bars.labels.some((l) => l.startsWith('2021-10')), true, JSON.stringify(bars.labels));
    assert.equal(bars.labels.some((l) => l.startsWith('2026-03')), true, JSON.stringify(bars.labels));
  });
  test('events in more distinct years than bars: the chart says how many it does not draw', () => {
    const events = Array.from({ length: 70 }, (_, i) => ({ time: Date.UTC(1950 + i, 5, 1), source: 'Cases' as const, analysis: 'a', event: `e${i}` }));
    const chart = buildTimelineDashboard(events, 1, 'UTC').charts.find((c) => c.id === 'per-day')!;
    const drawn = chart.values.reduce((a, b) => a + b, 0);
    assert.equal(drawn, 61);
    assert.match(chart.note ?? '', /^9 events not drawn: the chart shows 61 years from 1950; every event is in the table\.$/);
  });
});

describe('tz convert: a Zeek or text log is never copied under a .csv / .tsv name (its values are not formula-guarded)', () => {
  const zeek = join(__dirname, '../../../../shared/data/zeek/day-2024-04-19/conn.00:00:00-01:00:00.log.gz');
  // the real hour's header and first record, its service field holding a formula between commas
  const real = gunzipSync(readFileSync(zeek)).toString('utf8').split('\n');
  const rec = real[8].split('\t');
  rec[8] = 'http,=HYPERLINK("http://evil.example/"),';
  const text = [...real.slice(0, 8), rec.join('\t'), ''].join('\n');
  test('a Zeek log named .csv: --out x.csv refused (exit 2, nothing written); --out x.log written with the value as it is', async () => {
    const f = join(TMP, 'conn.csv');
    writeFileSync(f, text);
    const bad = join(TMP, 'conn.utc.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--out', bad], c.io), 2);
    assert.match(c.err(), /keeps its lines and values as they are \(not CSV, no formula guard\).*name the output \.log/);
    assert.equal(existsSync(bad), false);
    const good = join(TMP, 'conn.utc.log');
    const g = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--out', good], g.io), 0, g.err());
    const out = readFileSync(good, 'utf8').split('\n');
    assert.equal(out[8].split('\t')[8], 'http,=HYPERLINK("http://evil.example/"),');
    assert.equal(out[8].split('\t').at(-2), '2024-04-18T23:59:55.943239Z');
  });
  test('a text log: --out x.tsv refused; the extension\'s default name of such a copy ends .log', async () => {
    const f = join(TMP, 'auth.log');
    writeFileSync(f, '2024-03-01 12:00:01 sshd login from x,=HYPERLINK("http://evil.example/"),\n');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--from', 'UTC', '--to', 'UTC', '--out', join(TMP, 'auth.utc.tsv')], c.io), 2);
    // an NDJSON log's copy is NDJSON text, its values unguarded too
    const nd = join(TMP, 'events.ndjson');
    writeFileSync(nd, JSON.stringify({ time: '2024-03-01T12:00:01Z', user: "x,=1+cmd|' /C calc'!A0," }) + '\n');
    const n = capture();
    assert.equal(await main(['tz', 'convert', nd, '--to', 'UTC', '--out', join(TMP, 'events.utc.csv')], n.io), 2);
    assert.match(n.err(), /the copy of an NDJSON file keeps its lines and values as they are .*name the output \.ndjson/);
    assert.equal(existsSync(join(TMP, 'events.utc.csv')), false);
    assert.equal(defaultOutputPath('/w/conn.csv', 'UTC', 'zeek'), '/w/conn.utc.log');
    assert.equal(defaultOutputPath('/w/http.tsv', 'Europe/Berlin', 'zeek'), '/w/http.europe-berlin.log');
    assert.equal(defaultOutputPath('/w/cases.csv', 'UTC', 'csv'), '/w/cases.utc.csv');
    assert.equal(defaultOutputPath('/w/auth.log', 'UTC', 'lines'), '/w/auth.utc.log');
  });
});

describe('placeholder dates (0001-01-01, epoch 0) are out of range, not times', () => {
  test('a case created 0001-01-01 or closed 1970-01-01: left empty and reported, as a QRadar offense time is', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l !== '');
    const f = join(TMP, 'cases-placeholders.csv');
    writeFileSync(f, [...lines, 'C-11,Placeholder created,0001-01-01T00:00:00Z,,,alice,Low,Open,,', 'C-12,Placeholder closed,2026-03-09T10:00:00Z,,1970-01-01T00:00:00Z,bob,Low,Closed,,'].join('\n') + '\n');
    const input = await readCases([f]);
    assert.equal(input.cases.length, 12);
    const c11 = input.cases.find((c) => c.id === 'C-11')!;
    const c12 = input.cases.find((c) => c.id === 'C-12')!;
    assert.equal(c11.created, undefined);
    assert.equal(c12.created, Date.parse('2026-03-09T10:00:00Z'));
    assert.equal(c12.closed, undefined);
    assert.deepEqual(input.errors.map((e) => [e.line, e.message]), [
      [12, 'created (Created): out of range: 0001-01-01T00:00:00Z is outside 1990–2100 (a placeholder date?); left empty'],
      [13, 'closed (Closed): out of range: 1970-01-01T00:00:00Z is outside 1990–2100 (a placeholder date?); left empty'],
    ]);
    assert.equal(input.timeStats.unparsed, 2);
  });
  test('a QRadar offense time written as ISO text is held to 1990–2100 as a number is', async () => {
    assert.deepEqual(toEpochMs('0001-01-01T00:00:00+00:00'), { ok: false, problem: 'time out of range ("0001-01-01T00:00:00+00:00")' });
    assert.deepEqual(toEpochMs('2021-02-15T14:24:11.536000+00:00'), { ok: true, value: Date.parse('2021-02-15T14:24:11.536Z') });
    const offenses = JSON.parse(readFileSync(join(__dirname, '../../../../shared/data/qradar/samples/offenses.json'), 'utf8'));
    offenses[0].start_time = '0001-01-01T00:00:00+00:00';
    const r = parseQRadarJsonText(JSON.stringify(offenses), 'offenses.json');
    assert.equal(r.offenses.length, 6);
    assert.equal(r.offenses.find((o) => o.id === 4101)?.startTime, undefined);
    assert.ok(r.errors.some((e) => /record 1: field "start_time": time out of range \("0001-01-01T00:00:00\+00:00"\)/.test(e.message)), JSON.stringify(r.errors));
  });
});

describe('CSV: a stray quote on the line above a quoted record is not glued into that record', () => {
  const real = readFileSync(join(__dirname, '../../../../shared/data/qradar/samples/log_activity_export.csv'), 'utf8').split('\n').filter((l) => l !== '');
  test('QRadar Log Activity export: the line is its own record, named; the next event keeps its name', () => {
    // the real export with a damaged line `"abc` before its third event (all its fields quoted, as QRadar writes them)
    const text = [...real.slice(0, 3), '"abc', ...real.slice(3)].join('\n') + '\n';
    const r = parseQRadarCsvText(text, 'log_activity_export.csv', 'UTC');
    // before: 5 records, the third event named `"abc⏎"Multiple Login Failures for the Same User"`, no problem
    assert.equal(r.events.length, 6);
    assert.deepEqual(r.events.map((e) => e.eventName), [
      'Failure Audit: An account failed to log on',
      'Failure Audit: An account failed to log on',
      '"abc',
      'Multiple Login Failures for the Same User',
      'Firewall Deny "Block SMB outbound", policy 12',
      'Session Closed',
    ]);
    assert.equal(r.events.reduce((n, e) => n + (e.eventCount ?? 0), 0), 25);
    const first = r.errors.find((e) => e.line === 4);
    assert.equal(first?.message, 'unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own (the quote closes on line 5: lines 4–5 would be one record, and more text follows that quote, which ends no quoted field)');
  });
  test('a case export: the stray line is reported, the case after it keeps its title', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l !== '');
    const quoted = (l: string) => l.split(',').map((c) => `"${c}"`).join(',');
    const f = join(TMP, 'cases-stray-quote.csv');
    writeFileSync(f, [lines[0], ...lines.slice(1, 5).map(quoted), '"abc', ...lines.slice(5).map(quoted)].join('\n') + '\n');
    const input = await readCases([f]);
    const c5 = input.cases.find((c) => c.id === 'C-5');
    assert.equal(c5?.line, 7);
    assert.equal(c5?.title, lines[5].split(',')[1]);
    assert.ok(input.errors.some((e) => e.line === 6 && e.message.startsWith('unclosed quote:')), JSON.stringify(input.errors));
  });
  test('a quoted multi-line description stays one field', () => {
    const r = parseQRadarCsvText([real[0], real[1].replace('"Failure Audit: An account failed to log on"', '"Failure Audit:\nAn account failed to log on"'), ...real.slice(2)].join('\n') + '\n', 'log_activity_export.csv', 'UTC');
    assert.equal(r.events.length, 5);
    assert.equal(r.events[0].eventName, 'Failure Audit:\nAn account failed to log on');
    assert.deepEqual(r.errors, []);
  });
});

describe('Zeek: a line of separators is a record to check, not a blank line', () => {
  test('22 empty fields between the real records are one unreadable line, named; every real record is read', async () => {
    const real = gunzipSync(readFileSync(join(__dirname, '../../../../shared/data/zeek/day-2024-04-19/conn.00:00:00-01:00:00.log.gz'))).toString('utf8').split('\n');
    const f = join(TMP, 'conn.log');
    // the real hour (1,765 records) with a line of 21 TABs after its 12th record
    writeFileSync(f, [...real.slice(0, 20), '\t'.repeat(21), ...real.slice(20)].join('\n'));
    for (const parseWorkers of [0, 1]) {
      const a = await runBeaconAnalysis([f], { internalSubnets: ['64.225.56.0/24'], parseWorkers });
      assert.equal(a.summary.records, 1765);
      // before: no problem at all, the line vanished (a TAB is white space: read as a blank line)
      assert.deepEqual(a.errors.map((e) => [e.line, e.message]), [[21, 'unreadable ts: ""']]);
    }
  });
});

describe('kpi: --html and --md naming one file', () => {
  test('refused (exit 2, nothing written); before, the Markdown report replaced the HTML report with exit 0', async () => {
    const out = join(TMP, 'report.out');
    const c = capture();
    assert.equal(await main(['kpi', SAMPLE, '--html', out, '--md', join(TMP, '.', 'report.out')], c.io), 2);
    assert.match(c.err(), /--html and --md name the same file .*give each its own file/);
    assert.equal(existsSync(out), false);
    const html = join(TMP, 'report.html');
    const md = join(TMP, 'report.md');
    const ok = capture();
    assert.equal(await main(['kpi', SAMPLE, '--html', html, '--md', md, '--as-of', '2026-03-10T12:00:00Z'], ok.io), 0, ok.err());
    assert.match(readFileSync(html, 'utf8'), /^<!doctype html>/i);
    assert.match(readFileSync(md, 'utf8'), /^# SOC KPI report: kpi-small\.csv/);
  });
});

describe('a restored tab\'s origin: the button names what it would read', () => {
  const ZEEK = join(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
  test('a title that is not the paths\' own is replaced by it (the page keeps the origin and is untrusted)', () => {
    // a tampered webview state: read ~/.ssh, say "zeek"
    const o = checkPanelOrigin({ command: 'socAnalytics.analyzeCases', paths: ['/home/analyst/.ssh'], title: 'day-2024-04-19' });
    assert.deepEqual(o, { command: 'socAnalytics.analyzeCases', paths: ['/home/analyst/.ssh'], title: '.ssh' });
    assert.equal(goneMessage(o, 'Cases: day-2024-04-19').action, 'Run Analyze Cases on .ssh');
    // a network path is named whole (its last name alone hid the host it reads from)
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.detectBeacons', paths: ['//evil.example/share/zeek'], title: 'zeek' })?.title, '//evil.example/share/zeek');
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.detectBeacons', paths: [ZEEK, '/ws/more'], title: 'x' })?.title, 'day-2024-04-19 + 1 more');
  });
  test('the analysis\' own titles pass: the paths\' name, with a suffix the analysis adds', () => {
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.detectBeacons', paths: [ZEEK], title: 'day-2024-04-19' })?.title, 'day-2024-04-19');
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.analyzeLokiAllScans', paths: ['/ws/loki'], title: 'loki (all scans)' })?.title, 'loki (all scans)');
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.analyzeLoki', paths: ['/ws/loki'], title: 'loki (x)\nRun' })?.title, 'loki');
  });
});

describe('folder discovery: a hard link is the same file', () => {
  test('beacons: a conn log and a hard link to it beside it are read once (every connection was counted twice)', async () => {
    const dir = join(TMP, 'zeek-hardlink');
    mkdirSync(dir);
    const a = join(dir, 'conn.00:00:00-01:00:00.log.gz');
    copyFileSync(join(__dirname, '../../../../shared/data/zeek/day-2024-04-19/conn.00:00:00-01:00:00.log.gz'), a);
    linkSync(a, join(dir, 'copy-of-conn.log.gz'));
    const r = await runBeaconAnalysis([dir], { internalSubnets: ['64.225.56.0/24'], parseWorkers: 0 });
    assert.equal(r.summary.files, 1);
    assert.equal(r.summary.records, 1765);
    assert.deepEqual(r.skipped.map((k) => [k.file, k.reason]), [[join(dir, 'copy-of-conn.log.gz'), `same file as ${a} (already listed)`]]);
  });
  test('qradar: a Log Activity export and a hard link to it are one file (its events were counted twice)', async () => {
    const dir = join(TMP, 'qradar-hardlink');
    mkdirSync(dir);
    const a = join(dir, 'log_activity_export.csv');
    copyFileSync(join(__dirname, '../../../../shared/data/qradar/samples/log_activity_export.csv'), a);
    linkSync(a, join(dir, 'saved-again.csv'));
    const d = await discoverQRadarFiles([dir]);
    assert.deepEqual(d.files.map((f) => f.file), [a]);
    assert.deepEqual(d.skipped, [{ file: join(dir, 'saved-again.csv'), reason: `same file as ${a} (already listed)` }]);
  });
  test('loki: a scan log and a hard link to it are one file', async () => {
    const dir = join(TMP, 'loki-hardlink');
    mkdirSync(dir);
    const a = join(dir, 'scan_result (3).log');
    copyFileSync(join(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (3).log'), a);
    linkSync(a, join(dir, 'z-again.log'));
    const r = await runLokiAnalysis([dir]);
    assert.equal(r.files.length, 1);
    assert.equal(r.findings.length, 4);
    assert.ok((r.skipped ?? []).some((k) => k.file === join(dir, 'z-again.log') && k.reason === `same file as ${a} (already listed)`), JSON.stringify(r.skipped));
  });
});

describe('workspace trust: every setting that names a file is restricted', () => {
  test('socAnalytics.kpi.taggingRulesFile is a restricted configuration, as the expected-hosts list and the CA file are', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const props: Record<string, { type?: string }> = Object.assign({}, ...[].concat(pkg.contributes.configuration).map((c: { properties: object }) => c.properties));
    // every string setting that names a file or a URL (an untrusted workspace could point it at ~/.ssh or \\host\share)
    const pathSettings = Object.keys(props).filter((k) => props[k].type === 'string' && /File$|Url$/.test(k)).sort();
    assert.deepEqual(pathSettings, ['socAnalytics.kpi.taggingRulesFile', 'socAnalytics.loki.expectedHostsFile', 'socAnalytics.qradar.caCertificateFile', 'socAnalytics.qradar.consoleUrl']);
    for (const k of pathSettings) assert.ok(restricted.includes(k), `${k} is not restricted`);
  });
});

describe('beacons: one host, one key, whatever the address\'s spelling', () => {
  test('canonicalAddress: IPv4-mapped IPv6 is the IPv4 address; IPv6 in its RFC 5952 form', () => {
    assert.equal(canonicalAddress('::ffff:10.1.1.5'), '10.1.1.5');
    assert.equal(canonicalAddress('::FFFF:10.1.1.5'), '10.1.1.5');
    assert.equal(canonicalAddress('0:0:0:0:0:ffff:0a01:0105'), '10.1.1.5');
    assert.equal(canonicalAddress('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(canonicalAddress('2001:0db8:0000:0001:0000:0000:0000:0001'), '2001:db8:0:1::1');
    assert.equal(canonicalAddress('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(canonicalAddress('FE80::1%eth0'), 'fe80::1%eth0');
    assert.equal(canonicalAddress('::ffff:10.1.1.5%eth0'), '::ffff:a01:105%eth0');
    assert.equal(canonicalAddress('::'), '::');
    assert.equal(canonicalAddress('::1'), '::1');
    for (const same of ['10.1.1.5', 'evil.example', '2001:db8::1', '1.2.3.4::', 'not:an:address']) assert.equal(canonicalAddress(same), same);
  });
  test('a firewall export writing the internal host as ::ffff:10.1.1.5 (either case) beside 10.1.1.5: one pair of all its connections', async () => {
    // one beacon every 10 minutes for 12 hours from one internal host, its address spelled three ways by the exporter
    const start = Date.parse('2024-04-19T00:00:00Z') / 1000;
    const forms = ['10.1.1.5', '::ffff:10.1.1.5', '::FFFF:10.1.1.5'];
    const rows = ['timestamp,src_ip,dst_ip,dst_port,bytes_sent'];
    for (let i = 0; i < 72; i++) rows.push(`${start + i * 600},${forms[i % 3]},${i % 2 ? '2001:DB8::9' : '2001:db8:0:0:0:0:0:9'},443,1200`);
    const f = join(TMP, 'fw-mapped.csv');
    writeFileSync(f, rows.join('\n') + '\n');
    const a = await runBeaconAnalysis([f], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
    // before: three pairs of 24 connections (10.1.1.5, ::ffff:10.1.1.5, ::FFFF:10.1.1.5), each to two destinations' texts
    assert.equal(a.summary.pairsSeen, 1);
    assert.deepEqual(a.pairs.map((p) => [p.src, p.dst, p.count]), [['10.1.1.5', '2001:db8::9', 72]]);
  });
});
