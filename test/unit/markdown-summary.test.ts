/**
 * Ticket-ready Markdown summaries (src/core/export/markdown-summary.ts) on the real inputs of shared/data: the exact
 * headline numbers and rows of the Loki (real-2021-2022), QRadar (public + samples) and beacon (Zeek day, the sensor
 * 64.225.56.201 as the internal network) analyses, in Europe/Berlin; the same numbers as the CLI text reports.
 * Then hostile values (rule names, paths, hosts, descriptions, addresses with `|`, line breaks, links, images, HTML,
 * backticks, headings, list markers) that break a naive table and must not break these, in markdown-it (VS Code's
 * preview) and cmark-gfm (GitHub); defanging; and `--md FILE` of the three CLI commands.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beaconsMarkdown, lokiMarkdown, qradarMarkdown, MD_CELL_CHARS } from '../../src/core/export/markdown-summary';
import { fleetCoverage } from '../../src/core/analyze/fleet-coverage';
import { defangIocs } from '../../src/core/export/report';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { qradarText } from '../../src/core/analyze/qradar-report';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { keepPairDetailsPacked, packPairDetails } from '../../src/core/analyze/beacons/chart-pack';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import type { LokiAnalysis } from '../../src/core/analyze/loki-summary';
import type { FindingList } from '../../src/core/model/loki';
import type { QRadarParsed } from '../../src/core/parse/qradar-model';
import type { QRadarSummary } from '../../src/core/analyze/qradar-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const preview = new MarkdownIt({ html: true, linkify: true });

const DATA = path.resolve(__dirname, '../../../../shared/data');
const LOKI = path.join(DATA, 'loki/real-2021-2022');
const QRADAR = [path.join(DATA, 'qradar/public'), path.join(DATA, 'qradar/samples')];
const DAY = path.join(DATA, 'zeek/day-2024-04-19');
const ZONE = 'Europe/Berlin';
const qradarSettings = (zone: string): QRadarSettings => ({ zone, escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 });

/** The lines of `md` from the line starting with `start` up to the next blank line. */
function block(md: string, start: string): string[] {
  const lines = md.split('\n');
  const i = lines.findIndex((l) => l.startsWith(start));
  assert.ok(i >= 0, `no line starting with ${start}:\n${md}`);
  const j = lines.indexOf('', i);
  return lines.slice(i, j < 0 ? undefined : j);
}

describe('Markdown summaries of the real inputs (Europe/Berlin)', () => {
  it('Loki: inputs, scan range, hosts, findings, scanner errors; hosts with alerts/warnings, top rules, top files', async () => {
    const a = await runLokiAnalysis([LOKI]);
    const md = lokiMarkdown(a, { zone: ZONE, title: 'real-2021-2022' });
    assert.deepEqual(block(md, '# '), ['# Loki scan summary: real\\-2021\\-2022'.replace(/\\-/g, '-')]);
    assert.deepEqual(block(md, '- Inputs:').slice(1), [
      '- Scans: 2021-10-13 23:11 Europe/Berlin – 2022-01-19 20:59 Europe/Berlin',
      '- Hosts: 4 (3 with alerts or warnings, 0 clean, 1 with an incomplete scan (scanner errors))',
      '- Findings read: 7 alerts, 11 warnings, 1 notice',
      "- Loki Results lines: 7 alerts, 11 warnings, 9 notices (Loki counts every line it logged at a level (Init and PE-Sieve notices, scanner messages), not only findings)",
      '- Scanner errors: 4 (the scanner itself reported errors; a host without findings whose scan had some reads Incomplete scan, not clean) — host: AD (4)',
      '- Left out: nothing',
    ]);
    // the common folder once, the files below it (24 absolute paths made a beacon ticket's line unreadable)
    assert.equal(block(md, '- Inputs:')[0], `- Inputs: 4 files in ${LOKI}: scan_result (1).csv, scan_result (1).log, scan_result (2).log, scan_result (3).log`);
    assert.deepEqual(block(md, '| Host |'), [
      "| Host | Verdict | Alerts (findings read) | Warnings (findings read) | Loki's Results line | Scan start (Europe/Berlin) |",
      '| --- | --- | --- | --- | --- | --- |',
      '| DS1 | Indicators detected | 6 | 4 | 6 alerts, 4 warnings, 3 notices | 2022-01-19 19:42 |',
      '| DS-SER1 | Indicators detected | 1 | 3 | 1 alert, 3 warnings, 2 notices | 2021-10-14 00:11 |',
      '| Server1 | Suspicious objects detected | 0 | 4 | 0 alerts, 4 warnings, 2 notices | 2021-10-13 23:11 |',
    ]);
    // most severe first (max level, then count): the one hash IOC of the alerts is in the ticket, psexec_generic (4
    // warnings) after the ALERT rules; before, ranked by count only, the hash IOC was cut off
    assert.ok(md.includes('## Top rules (10 of 12)\n\n| Rule | Max level | Kind | Findings | Alerts | Warnings | Notices | Hosts | Description |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n| Hacktool_Strings_p0wnedShell | ALERT | yara | 3 | 2 | 1 | 0 | 1 | p0wnedShell Runspace Post Exploitation Toolkit - file p0wnedShell.cs |\n| APT_MAL_Sandworm_Exaramel_Socket_Path | ALERT | yara | 2 | 2 | 0 | 0 | 1 |'), md);
    assert.match(md, /^\| Hash IOC: DCSO Vuln List .* \| ALERT \| hash-ioc \| 1 \| 1 \| 0 \| 0 \| 1 \| IOC SHA1 66178d4a9279ebb1cd1eb79c10dc204b4199f061 \|$/m);
    assert.ok(md.includes('| Mimikatz_Memory_Rule_RID2F34 | ALERT | yara | 2 | 2 | 0 | 0 | 1 | Detects password dumper mimikatz in memory |\n| Hash IOC: DCSO Vuln List '), md);
    assert.ok(md.includes('| psexec_generic | WARNING | yara | 4 | 0 | 4 | 0 | 1 | not set |\n| APT10_Malware_Sample_Gen | WARNING | yara | 2 | 0 | 2 | 0 | 1 | APT 10 / Cloud Hopper malware campaign |\n| S149_WinPcap | WARNING | yara | 2 | 0 | 2 | 0 | 2 | WinPcap |\n\n'), md);
    assert.doesNotMatch(md, /Scanner caveats/); // the real logs have none
    // the expected-host list: which endpoints did not report (and which reported off the list)
    const fleet = fleetCoverage(['DS1', 'ds-ser1.corp.local', 'WS-HR-07', 'Server1'], a.hosts.map((h) => h.host));
    assert.deepEqual(block(lokiMarkdown(a, { zone: 'UTC' }, fleet), '- Fleet coverage:').slice(0, 1), ['- Fleet coverage: 3 of 4 expected hosts scanned; 1 without a scan: WS-HR-07; 1 scanned host not on the list: AD']);
    assert.doesNotMatch(md, /Fleet coverage/);
    assert.ok(md.includes('## Top files (10 of 18)\n\n| Path | Findings | Hosts | Max score |\n| --- | --- | --- | --- |\n| C:\\Users\\jdoe\\configuration | 2 | 1 | 80 |\n| C:\\Users\\Administrator\\Downloads\\fx1.exe | 1 | 1 | 145 |\n'), md);
    // top 3: the tables are cut, and say so
    const small = lokiMarkdown(a, { zone: 'UTC', top: 2 });
    assert.match(small, /^## Hosts with alerts or warnings \(2 of 3\)$/m);
    assert.match(small, /^\| DS1 \| Indicators detected \| 6 \| 4 \| 6 alerts, 4 warnings, 3 notices \| 2022-01-19 18:42 \|$/m);
    assert.match(small, /^- Scans: 2021-10-13 21:11 UTC – 2022-01-19 19:59 UTC$/m);
  });

  it('QRadar: the text report\'s numbers and tables (offenses, range, escalated / FP, noisiest names, rules, closing reasons)', async () => {
    const p = await runQRadarRead(QRADAR);
    const sum = summarizeQRadar(p, qradarSettings(ZONE));
    const md = qradarMarkdown(p, sum, { zone: ZONE, topN: 3, consoleZoneGiven: false });
    assert.deepEqual(block(md, '- Offenses:'), [
      '- Offenses: 13 (9 open, 1 hidden, 3 closed) from 6 offense files (also read: 7 reference lists, 3 Log Activity exports)',
      '- Range: 2020-07-22 16:40 Europe/Berlin – 2026-03-08 15:02 Europe/Berlin',
      // 1 false positive, as kpi counts: the Elastic offense 7 (elastic-integrations, no closing-reasons list) is #2, not
      // "False-Positive, Tuned" from another console's list
      '- Escalated: 0 · False positives: 1 · Distinct descriptions: 11',
      "- Console times in CSV exports read in UTC (assumed: --console-tz not given; pass the console's zone if it is not UTC)",
      // the saved API error answer (error_401.json) is a problem, as in the text report and --json; named, as are the
      // files skipped (5 of 16, with their reason) and the duplicate offenses, counted apart
      '- Left out: 1 problem — samples/error_401.json: a saved QRadar API error answer, the export it stands for is missing. ' +
        '16 files skipped — public/ciscosecurity-tr05-qradar/ariel_search_results.json: Ariel search results (not analyzed); ' +
        'public/demisto-content-qradar-v2/ariel_search_create.json: Ariel search status (not analyzed); ' +
        'public/demisto-content-qradar-v2/ariel_search_results.json: Ariel search results (not analyzed); ' +
        'public/demisto-content-qradar-v2/ariel_search_status.json: Ariel search status (not analyzed); ' +
        'public/demisto-content-qradar-v2/offense_note.json: offense notes (not analyzed) and 11 more. ' +
        '1 duplicate offense (same id and start_time) kept once.',
    ]);
    // the inputs line lists what was analyzed (16 of the 33 files read): no skipped file, no API error answer
    const inputs = block(md, '- Inputs:')[0];
    assert.match(inputs, /^- Inputs: 33 files read \(16 analyzed, 17 skipped\) in \/\S+\/qradar: public\/alwashali-qradar-offenses-notebook\/offense_closing_reasons\.csv, /);
    assert.doesNotMatch(inputs, /error_401|ariel_search|offense_note/);
    assert.deepEqual(block(md, '| Count | Top share |').slice(0, 4), [
      '| Count | Top share | Top source | Closed | FP | Description |',
      '| --- | --- | --- | --- | --- | --- |',
      // a three-way tie for the top source: said, not broken by name silently
      '| 3 | 33.3% each | root \\+2 tied | 1 | 1 | Multiple Login Failures for the Same User |',
      '| 1 | 100% | 7c1e2a90-4b6d-4f3e-9a51-0d2f8e6b1c34 | 1 | 0 | Application Error Threshold Exceeded |',
    ]);
    assert.ok(md.includes('## Rules (offenses per rule; false positives of the closed) (3 of 16)\n\n'), md);
    assert.deepEqual(block(md, '| Offenses | Closed |'), [
      '| Offenses | Closed | FP | FP rate | Escalated | Rule |',
      '| --- | --- | --- | --- | --- | --- |',
      '| 2 | 1 | 1 | 100% | 0 | 100056 |',
      '| 1 | 0 | 0 | \\- | 0 | 100067 |',
      '| 1 | 0 | 0 | \\- | 0 | 100087 |',
    ]);
    assert.deepEqual(block(md, '| Count | Class |'), ['| Count | Class | Reason |', '| --- | --- | --- |', '| 1 | \\#2 | \\- |', '| 1 | false positive | False-Positive, Tuned |', '| 1 | \\- | Non-Issue |'].map((l) => (l === '| 1 | \\#2 | \\- |' ? '| 1 | \\- | \\#2 |' : l)));
    // the same rows as the CLI text report (one source: qradarReportTables)
    const text = qradarText(p, sum, false, 3);
    assert.match(text, /^ {7}2 {7}1 {3}1 {5}100% {10}0 {2}100056$/m);
    assert.match(text, /^ {4}1 {2}false positive {2}False-Positive, Tuned$/m);
  });

  it('beacons: window, counts, settings in effect and the top beacons with their evidence; host rows (packed details) give the same text', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: ['64.225.56.201/32'], safelist: ['192.0.2.1'] });
    const md = beaconsMarkdown(a, { zone: ZONE, top: 3 });
    assert.deepEqual(block(md, '- Window:').slice(0, 5), [
      '- Window: 2024-04-19 02:00 Europe/Berlin – 2024-04-20 01:51 Europe/Berlin',
      '- Records: 31,367 (29,541 left out: 29,486 external → internal (inbound), 49 never-included address (RITA: loopback, link-local, multicast, broadcast…), 6 external ↔ external)',
      '- Pairs: 362 seen, 22 scored (High 1, Medium 3, Low 5, None 13), 0 strobes',
      '- Settings: rita-v5; internal subnets 64.225.56.201/32; minimum score 0; a pair is scored from 4 distinct connection times, a strobe from 86,400 connections; severity from score 0.5 (low), 0.7 (medium), 0.9 (high)',
      '- Safelist: 192.0.2.1',
    ]);
    // the analysis's notes, whole (not cut like a cell)
    assert.match(md, /^- Note: 12 of 22 listed pairs are ICMP error messages only \(port unreachable, time exceeded…\): .{200,}$/m);
    assert.deepEqual(block(md, '| Score |'), [
      '| Score | TS | DS | DUR | HIST | Severity | Source | Destination | Conns | Bytes (both ways) | Interval (s) × n | Interval MAD (s) | Size (B) × n | Service | Ports |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      '| 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | High | 64.225.56.201 | 91.189.91.157 | 42 | 6,384 | 2,048 × 31 | 0 | 76 × 42 | NTP (timer by design) | 123/udp |',
      '| 0.875 | 0.822 | 0.678 | 1.000 | 1.000 | Medium | 64.225.56.201 | 95.214.53.134 | 32 | 3,033 | 1,936 × 2 | 453 | 59 × 6 | ICMP errors only | icmp type 3 code 3 (port unreachable) |',
      '| 0.849 | 0.580 | 1.000 | 0.927 | 0.889 | Medium | 64.225.56.201 | 139.99.17.77 | 33 | 2,640 | 62 × 1 | 1,202 | 40 × 33 | HTTPS · backscatter | 443/tcp |',
    ]);
    assert.match(md, /^## Top beacons \(3 of 22\)$/m);
    // on the extension host the pairs are rows whose details stay packed: the summary rebuilds only its rows
    const rows = a.pairs.map((p) => ({ ...p })) as unknown as BeaconRow[];
    keepPairDetailsPacked(rows, packPairDetails(rows as unknown[]));
    assert.equal(rows[0].packedIndex, 0, 'the rows are packed');
    assert.equal((rows[0] as { tsModeCount?: number }).tsModeCount, undefined, 'the packed row has no tsModeCount of its own');
    assert.equal(beaconsMarkdown({ ...a, pairs: rows } as BeaconAnalysis<BeaconRow>, { zone: ZONE, top: 3 }), md);
    // defanged: every address
    const d = beaconsMarkdown(a, { zone: ZONE, top: 1, defang: true });
    assert.match(d, /^\| 1\.000 \| 1\.000 \| 1\.000 \| 1\.000 \| 1\.000 \| High \| 64\.225\.56\\\[\.\\\]201 \| 91\.189\.91\\\[\.\\\]157 \|/m);
    assert.match(d, /^- Safelist: 192\.0\.2\\\[\.\\\]1$/m);
    // and in every line: the internal subnets of the Settings line too (a setting, but an address all the same)
    assert.match(d, /^- Settings: rita-v5; internal subnets 64\.225\.56\\\[\.\\\]201\/32; minimum score 0; /m);
    assert.doesNotMatch(d, /\d+\.\d+\.\d+\.\d+/, 'no address left as it is');
  });
});

// ------------------------------------------------------------------------------------ hostile

const HOSTILE = [
  'evil|host',
  'two\nlines | x',
  '[x](http://evil.example/p)',
  '![i](http://evil.example/i.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '`code` and ``two``',
  '# heading',
  '- item',
  '1. first',
  '> quote',
  'https://evil.example/x www.evil.example',
  '[ref]: http://evil.example',
];

/** cmark-gfm with GitHub's extensions, or undefined when it is not installed. */
function cmarkGfm(md: string): string | undefined {
  const r = spawnSync('cmark-gfm', ['-e', 'autolink', '-e', 'table', '-e', 'strikethrough', '-e', 'tagfilter'], { input: md, encoding: 'utf8' });
  if (r.error) return undefined;
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/**
 * What a safe summary is: each table row has the header's number of cells (no unescaped `|`, no line break in a
 * cell); the only headings and list items are the summary's own; no link, image or HTML element in either renderer.
 */
function assertSafe(md: string, headings: string[]): void {
  const lines = md.split('\n');
  let cells = -1;
  for (const l of lines) {
    if (!l.startsWith('|')) {
      cells = -1;
      continue;
    }
    const n = l.replace(/\\\\/g, '').split(/(?<!\\)\|/).length;
    if (cells < 0) cells = n;
    else assert.equal(n, cells, `a row with another number of cells: ${l}`);
  }
  assert.deepEqual(lines.filter((l) => /^\s{0,3}#/.test(l)), headings, 'headings');
  for (const l of lines) if (l !== '' && !/^(# |## |- [A-Z][A-Za-z ]+: |\| |none$|Equal counts are listed (alphabetically by description|by rule id \(ascending\))\.$)/.test(l)) assert.fail(`a line the summary does not write: ${l}`);
  const gfm = cmarkGfm(md);
  if (gfm === undefined && process.env.CI) assert.fail('cmark-gfm is not installed (scripts/setup-test-env.sh installs it)');
  for (const [name, html] of [['markdown-it', preview.render(md)], ['cmark-gfm', gfm]] as const) {
    if (html === undefined) continue;
    assert.doesNotMatch(html, /<(a|img|script|h[3-6]|ol|blockquote|code|hr)\b/, `${name}: ${html}`);
    // the only lists are the summary's own header list
    assert.equal(html.match(/<ul>/g)?.length ?? 0, 1, `${name}: one list\n${html}`);
  }
}

function hostileLoki(): LokiAnalysis<FindingList> {
  const scans = HOSTILE.map((h, i) => ({ host: h, verdict: 'indicators', alerts: i + 1, warnings: 1, notices: 0, file: `f${i}.log`, scanErrors: 0, scanStart: Date.UTC(2026, 10, 30, 13, 3) }));
  return {
    summary: { files: 1, hosts: HOSTILE.length, hostsWithFindings: HOSTILE.length, cleanHosts: 0, alerts: 91, warnings: 13, notices: 0, unparsedLines: 0, scansSetAside: 0, incompleteHosts: 0, scannerErrors: 0 },
    hosts: scans,
    scans,
    findings: [],
    rules: HOSTILE.map((r, i) => ({ rule: r, kind: 'yara', count: 20 - i, hosts: 1, alerts: 20 - i, warnings: 0, notices: 0 })),
    topFiles: HOSTILE.map((p, i) => ({ path: `C:\\Users\\${p}`, count: 20 - i, hosts: 1, maxScore: 100 })),
    hostRuleMatrix: { hosts: [], rules: [], counts: [] },
    setAside: [],
    files: HOSTILE.map((f) => ({ file: `/logs/${f}.log`, format: 'loki-log', encoding: 'utf8', lines: 1, findings: 1, errors: 0 })),
    errors: [],
    scannerMessages: [],
  } as unknown as LokiAnalysis<FindingList>;
}

describe('Markdown summaries: hostile log text', () => {
  it('a naive table (values as they are) breaks: the checks below see it', () => {
    const naive = `# Loki scan summary\n\n- Inputs: x\n\n## Top rules\n\n| Rule | Findings |\n| --- | --- |\n` + HOSTILE.map((r) => `| ${r} | 1 |`).join('\n') + '\n';
    assert.throws(() => assertSafe(naive, ['# Loki scan summary', '## Top rules']));
  });

  it('Loki: host, rule and path values make no extra cell, line, heading, list, link, image or HTML', () => {
    const a = hostileLoki();
    for (const defang of [false, true]) {
      const md = lokiMarkdown(a, { zone: 'Europe/Berlin', title: '# [t](http://evil.example) | x', top: 20, defang });
      assertSafe(md, ['# Loki scan summary: \\# \\[t\\](hxxp://evil.example) \\| x'.replace('evil.example', defang ? 'evil\\[.\\]example' : 'evil.example'), '## Hosts with alerts or warnings', '## Top rules', '## Top files', '## Top hashes']);
      assert.match(md, /^\| evil\\\|host \| Indicators detected \| 1 \| 1 \| not logged \| 2026-11-30 14:03 \|$/m);
      assert.match(md, /^\| two lines \\\| x \| \\- \| yara \| 19 \| 19 \| 0 \| 0 \| 1 \| {2}\|$/m);
      assert.match(md, /^\| &lt;img src=x onerror=alert\(1\)&gt; \| \\- \| yara \| 16 \| 16 \| 0 \| 0 \| 1 \| {2}\|$/m);
      assert.match(md, /^\| \\`code\\` and \\`\\`two\\`\\` \| \\- \| yara \| 14 \| 14 \| 0 \| 0 \| 1 \| {2}\|$/m);
    }
  });

  it('QRadar: descriptions, top sources, rule names and closing reasons', () => {
    const sum = {
      summary: { files: 1, offenses: 3, events: 0, first: Date.UTC(2026, 10, 30, 13, 3), last: Date.UTC(2026, 10, 30, 14, 0), timezone: 'UTC', open: 3, hidden: 0, closed: 0, unknownStatus: 0, escalated: 0, falsePositive: 0, undated: 0, descriptions: 3, errors: 0 },
      topDescriptions: HOSTILE.map((h) => ({ description: h, count: 1, concentration: 1, topSource: h, closed: 0, falsePositive: 0 })),
      byRule: HOSTILE.map((h, i) => ({ ruleId: i, name: h, count: 1, descriptions: 1, closed: 0, falsePositive: 0, escalated: 0 })),
      byClosingReason: HOSTILE.map((h) => ({ reason: h, count: 1, class: '' })),
      // reason texts of lists that disagree on an id: the warning line writes them as text too
      closingReasonConflicts: [{ id: 2, texts: HOSTILE.map((h, i) => ({ text: h, lists: [`/x/c${i}/offense_closing_reasons.json`] })) }],
    } as unknown as QRadarSummary;
    const p = { files: [{ file: '/x/[a](http://evil.example).json', kind: 'offenses' }], errors: [], skipped: [], usedConsoleTimes: false } as unknown as QRadarParsed;
    const md = qradarMarkdown(p, sum, { zone: 'UTC', top: 20, topN: 20 });
    assertSafe(md, ['# QRadar offense summary', '## Noisiest offense names (first line of the description; top source share; false positives of the closed)', '## Rules (offenses per rule; false positives of the closed)', '## Closing reasons']);
    assert.match(md, /^\| 1 \| 100% \| \\\[x\\\]\(hxxp:\/\/evil\.example\/p\) \| 0 \| 0 \| \\\[x\\\]\(hxxp:\/\/evil\.example\/p\) \|$/m);
  });

  it('beacons: source, destination, FQDN and ports; a long value is cut', () => {
    const pair = (src: string, fqdn: string) => ({ type: 'sni', src, dst: '10.0.0.1', fqdn, count: 10, bytes: 100, score: 0.9, tsScore: 1, dsScore: 1, durScore: 1, histScore: 1, severity: 'high', ports: fqdn, tsMode: 60, tsModeCount: 9, tsMad: 0, dsMode: 10, dsModeCount: 10 });
    const a = {
      algorithm: 'rita-v5',
      summary: { files: 1, records: 10, filteredRecords: 0, pairsSeen: 1, pairs: 1, listed: 1, strobes: 0, high: 1, medium: 0, low: 0, unparsedLines: 0 },
      pairs: [...HOSTILE.map((h) => pair(h, h)), pair('x'.repeat(5000), 'y')],
      strobes: [],
      files: [{ file: '/z/conn.log' }],
      errors: [],
      skipped: [],
      filtered: {},
      notes: ['- [n](http://evil.example)'],
      options: { algorithm: 'rita-v5', internalSubnets: [], minScore: 0, uniqueConnectionThreshold: 4, strobeConnectionLimit: 86400, thresholds: { base: 50, low: 70, medium: 90, high: 100 }, safelist: ['<b>|x'] },
    } as unknown as BeaconAnalysis<BeaconRow>;
    const md = beaconsMarkdown(a, { zone: 'UTC', top: 20 });
    assertSafe(md, ['# Beacon summary', '## Top beacons']);
    assert.match(md, /^- Safelist: &lt;b&gt;\\\|x$/m);
    assert.match(md, /^- Note: \\- \\\[n\\\]\(hxxp:\/\/evil\.example\)$/m);
    const long = md.split('\n').find((l) => l.includes('xxxxx'))!;
    assert.ok(long.includes(`${'x'.repeat(MD_CELL_CHARS - 1)}…`) && !long.includes('x'.repeat(MD_CELL_CHARS)), 'cut to MD_CELL_CHARS');
  });
});

describe('Markdown summaries: what was left out, named for the ticket (trial)', () => {
  const SAMPLES = QRADAR[1];

  it('QRadar: problem files by name and kind, skipped files apart from duplicate offenses, hostile names escaped and defanged', async () => {
    const p = await runQRadarRead([SAMPLES]);
    const sum = summarizeQRadar(p, qradarSettings('UTC'));
    // the trial's folder: the 401 answer is named as what it is, the two Ariel files as skipped; the inputs are the 6 analyzed
    const md = qradarMarkdown(p, sum, { zone: 'UTC' });
    assert.deepEqual(block(md, '- Left out:'), [
      '- Left out: 1 problem — error_401.json: a saved QRadar API error answer, the export it stands for is missing. ' +
        '2 files skipped — ariel_search_results.json: Ariel search results (not analyzed); ariel_search_status.json: Ariel search status (not analyzed).',
    ]);
    assert.equal(
      block(md, '- Inputs:')[0],
      `- Inputs: 9 files read (6 analyzed, 3 skipped) in ${SAMPLES}: ${['log_activity_export.csv', 'log_activity_export_internal_names.csv', 'log_activity_export_payload_columns.csv', 'offense_closing_reasons.json', 'offense_types.json', 'offenses.json'].join(', ')}`,
    );
    // a file-level problem (a partial fetch) with its message, problems on records counted per file (the records
    // skipped among them: a field left empty on an offense that was kept is no unreadable record), more than 5 files
    // skipped (5 named, the rest counted); names and reasons are log-derived: escaped, and defanged with --defang
    const offenses = path.join(SAMPLES, 'offenses.json');
    const hostile = path.join(SAMPLES, 'sub', '[x](evil.example) | 10.1.2.3.json');
    const q: QRadarParsed = {
      ...p,
      files: [...p.files, { ...p.files[0], file: hostile }],
      errors: [
        { file: offenses, line: 0, message: 'a partial QRadar fetch: 50 of 120 offenses of the query were fetched' },
        { file: offenses, line: 7, message: "record 3: invalid JSON (Expected ',' or '}' after property value); skipped" },
        { file: offenses, line: 9, message: 'record 4: field "start_time": time out of range (-1); field left empty, offense kept undated' },
      ],
      skipped: [...p.skipped, ...[1, 2, 3, 4].map((i) => ({ file: path.join(SAMPLES, `n${i}.json`), reason: 'offense notes (not analyzed)' })), { file: hostile, reason: 'see https://evil.example/x' }, { file: '', reason: '3 duplicate offenses (same id and start_time) kept once: …' }],
    };
    const left = block(qradarMarkdown(q, sum, { zone: 'UTC' }), '- Left out:')[0];
    assert.equal(
      left,
      '- Left out: 4 problems — error_401.json: a saved QRadar API error answer, the export it stands for is missing; ' +
        'offenses.json: a partial QRadar fetch: 50 of 120 offenses of the query were fetched; offenses.json: 2 problems (first at line 7; 1 unreadable record skipped, the other records kept). ' +
        '7 files skipped — ariel_search_results.json: Ariel search results (not analyzed); ariel_search_status.json: Ariel search status (not analyzed); ' +
        'n1.json: offense notes (not analyzed); n2.json: offense notes (not analyzed); n3.json: offense notes (not analyzed) and 2 more. ' +
        '3 duplicate offenses (same id and start_time) kept once.',
    );
    const few = { ...q, skipped: q.skipped.filter((k) => !/n\d\.json$/.test(k.file)) };
    const hostileLine = block(qradarMarkdown(few, sum, { zone: 'UTC', defang: true }), '- Left out:')[0];
    assert.ok(hostileLine.includes('sub/\\[x\\](evil\\[.\\]example) \\| 10.1.2\\[.\\]3.json: see hxxps://evil\\[.\\]example/x.'), hostileLine);
    // no link from the hostile name, undefanged either (the escaping alone)
    const plain = block(qradarMarkdown(few, sum, { zone: 'UTC' }), '- Left out:')[0];
    assert.ok(plain.includes('sub/\\[x\\](evil.example) \\| 10.1.2.3.json: see hxxps://evil.example/x.'), plain);
    assert.doesNotMatch(preview.render(plain), /<a /);
  });

  it('QRadar: the console-zone line names where the zone came from (the CLI flag, or the setting in the extension)', async () => {
    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: ZONE });
    const sum = summarizeQRadar(p, qradarSettings('UTC'));
    assert.match(qradarMarkdown(p, sum, { zone: 'UTC' }), /^- Console times in CSV exports read in Europe\/Berlin \(--console-tz\)$/m);
    const ext = qradarMarkdown(p, sum, { zone: 'UTC', consoleZoneHint: 'setting socAnalytics.qradar.consoleTimeZone' });
    assert.match(ext, /^- Console times in CSV exports read in Europe\/Berlin \(setting socAnalytics\.qradar\.consoleTimeZone\)$/m);
    assert.doesNotMatch(ext, /--console-tz/);
  });

  it('beacons and Loki: files skipped are named in a Left-out line, not listed as inputs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'md-left-'));
    writeFileSync(path.join(dir, 'conn.log'), readFileSync(path.join(DATA, 'zeek/json/conn.log')));
    writeFileSync(path.join(dir, 'notes.txt'), 'hello\n');
    const b = beaconsMarkdown(await runBeaconAnalysis([dir], {}), { zone: 'UTC' });
    assert.deepEqual(block(b, '- Inputs:').slice(0, 2), [`- Inputs: 2 files read (1 analyzed, 1 skipped) in ${dir}: conn.log`, '- Left out: 1 file skipped — notes.txt: not a Zeek log, CSV or JSON-lines file']);
    const ldir = mkdtempSync(path.join(tmpdir(), 'md-left-loki-'));
    writeFileSync(path.join(ldir, 'scan.log'), readFileSync(path.join(LOKI, 'scan_result (1).log')));
    writeFileSync(path.join(ldir, 'http.log'), readFileSync(path.join(DATA, 'zeek/json/http.log')));
    const l = lokiMarkdown(await runLokiAnalysis([ldir]), { zone: 'UTC' });
    assert.equal(block(l, "- Inputs:")[0], `- Inputs: 2 files read (1 analyzed, 1 skipped) in ${ldir}: scan.log`);
    assert.match(l, /^- Left out: 1 file skipped — http\.log: not Loki output: none of its 10 lines matches a Loki format$/m);
  });
});

describe('defangIocs', () => {
  it('URLs, IPv4 addresses and domains; file names, Windows path components and versions left', () => {
    assert.equal(defangIocs('http://evil.com/a.php'), 'hxxp://evil[.]com/a.php');
    assert.equal(defangIocs('HTTPS://www.Evil.co.uk:8443/x'), 'HxxPS://www.Evil.co[.]uk:8443/x');
    assert.equal(defangIocs('ftp://files.evil.net'), 'fxp://files.evil[.]net');
    assert.equal(defangIocs('beacon to 10.0.0.1:443 and 192.168.1.20'), 'beacon to 10.0.0[.]1:443 and 192.168.1[.]20');
    assert.equal(defangIocs('ws-fin-042.corp.example phished by jane@evil.com'), 'ws-fin-042.corp[.]example phished by jane@evil[.]com');
    assert.equal(defangIocs('C:\\Users\\jdoe\\evil.com\\PsExec.exe'), 'C:\\Users\\jdoe\\evil.com\\PsExec.exe');
    assert.equal(defangIocs('pwer.cs fx1.exe conn.log struts-core-1.3.8.jar 0.44.2'), 'pwer.cs fx1.exe conn.log struts-core-1.3.8.jar 0.44.2');
    assert.equal(defangIocs('1.2.3.4.5 and ::ffff:1.2.3.4'), '1.2.3.4.5 and ::ffff:1.2.3[.]4');
  });

  it('defanged text renders with no link in either renderer (markdown-it linkify makes one of a bare evil.com)', () => {
    const v = 'see evil.com, http://evil.com/x and 10.0.0.1';
    const lokiWith = (defang: boolean) => lokiMarkdown({ ...hostileLoki(), rules: [{ rule: v, kind: 'yara', count: 1, hosts: 1, alerts: 0, warnings: 0, notices: 0 }] }, { zone: 'UTC', defang });
    assert.match(preview.render(lokiWith(false)), /<a href="http:\/\/evil\.com"/, 'control: linkify links a bare domain');
    const md = lokiWith(true);
    assert.ok(md.includes('| see evil\\[.\\]com, hxxp://evil\\[.\\]com/x and 10.0.0\\[.\\]1 | \\- | yara | 1 | 0 | 0 | 0 | 1 |'), md);
    assert.doesNotMatch(preview.render(md), /<a /);
    const gfm = cmarkGfm(md);
    if (gfm !== undefined) assert.doesNotMatch(gfm, /<a /);
  });
});

// ------------------------------------------------------------------------------------ CLI

describe('CLI --md FILE', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'md-summary-'));

  it('loki / qradar / beacons write the summary beside the normal output (stdout unchanged)', async () => {
    const runs: [string[], string, RegExp][] = [
      [['loki', LOKI, '--zone', ZONE], 'loki.md', /^- Findings read: 7 alerts, 11 warnings, 1 notice$/m],
      [['qradar', ...QRADAR, '--tz', ZONE], 'qradar.md', /^- Escalated: 0 · False positives: 1 · Distinct descriptions: 11$/m],
      [['beacons', DAY, '--internal', '64.225.56.201/32', '--zone', ZONE], 'beacons.md', /^\| 1\.000 \| 1\.000 \| 1\.000 \| 1\.000 \| 1\.000 \| High \| 64\.225\.56\.201 \| 91\.189\.91\.157 \| 42 \|/m],
    ];
    for (const [args, name, want] of runs) {
      const plain = capture();
      assert.equal(await main(args, plain.io), 0, plain.err());
      const file = path.join(tmp, name);
      const c = capture();
      assert.equal(await main([...args, '--md', file], c.io), 0, c.err());
      assert.equal(c.out(), plain.out(), `${args[0]}: stdout as without --md`);
      const md = readFileSync(file, 'utf8');
      assert.match(md, want, md);
      assert.match(md, new RegExp(`^# [A-Za-z]+ [a-z ]*summary: ${path.basename(args[1]).replace(/[-.]/g, '\\$&')}`));
    }
    // --md=FILE and --defang, with --json
    const c = capture();
    const file = path.join(tmp, 'b2.md');
    assert.equal(await main(['beacons', DAY, '--internal=64.225.56.201/32', '--json', `--md=${file}`, '--defang'], c.io), 0, c.err());
    assert.match(c.out(), /^\{"summary":/);
    assert.match(readFileSync(file, 'utf8'), /\| 64\.225\.56\\\[\.\\\]201 \| 91\.189\.91\\\[\.\\\]157 \|/);
  });

  it('--md - prints the summary on stdout in place of the report (it made a file named "-"); with --json it is refused', async () => {
    const cwd = process.cwd();
    process.chdir(tmp); // a file named "-" would land here
    try {
      const runs: [string[], string][] = [
        [['loki', LOKI, '--zone', ZONE], 'loki.md'],
        [['qradar', ...QRADAR, '--tz', ZONE], 'qradar.md'],
        [['beacons', DAY, '--internal', '64.225.56.201/32', '--zone', ZONE], 'beacons.md'],
      ];
      for (const [args, name] of runs) {
        const file = path.join(tmp, `std-${name}`);
        const f = capture();
        assert.equal(await main([...args, '--md', file], f.io), 0, f.err());
        const c = capture();
        assert.equal(await main([...args, '--md', '-'], c.io), 0, c.err());
        assert.equal(c.out(), readFileSync(file, 'utf8'), `${args[0]}: stdout is the summary, byte for byte`);
        assert.match(c.out(), /^# [A-Za-z]+ [a-z ]*summary: /);
        const j = capture();
        assert.equal(await main([...args, '--md', '-', '--json'], j.io), 2, args[0]);
        assert.match(j.err(), /--md - and --json both write to stdout: give --md a file name, or leave out --json/);
        assert.equal(j.out(), '');
      }
      // kpi: --md - / --html - (one of them)
      const kpiArgs = ['kpi', path.resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv'), '--as-of', '2026-03-11T00:00:00Z'];
      const k = capture();
      assert.equal(await main([...kpiArgs, '--md', '-'], k.io), 0, k.err());
      assert.match(k.out(), /^# SOC KPI report: kpi-small\.csv\n/);
      assert.doesNotMatch(k.out(), /^\d+ cases? \(/m, 'no text report beside it');
      const h = capture();
      assert.equal(await main([...kpiArgs, '--html', '-'], h.io), 0, h.err());
      assert.match(h.out(), /^<!DOCTYPE html>/);
      const both = capture();
      assert.equal(await main([...kpiArgs, '--html', '-', '--md', '-'], both.io), 2);
      assert.match(both.err(), /both write to stdout/);
      assert.ok(!existsSync(path.join(tmp, '-')), 'no file named "-"');
    } finally {
      process.chdir(cwd);
    }
  });

  it('bad --md: no file name, a missing folder, a folder, an input → exit 2 before any work; a write error → exit 1', async () => {
    const input = path.join(tmp, 'scan.log');
    writeFileSync(input, readFileSync(path.join(LOKI, 'scan_result (3).log')));
    const cases: [string[], RegExp][] = [
      [['loki', LOKI, '--md'], /--md needs a file name/],
      [['qradar', ...QRADAR, '--md='], /--md needs a file name/],
      [['beacons', DAY, '--md', path.join(tmp, 'nope', 'x.md')], /--md .*nope\/x\.md: the folder .*nope does not exist/],
      [['loki', LOKI, '--md', tmp], /--md .*: is a folder; give a file name/],
      [['loki', input, '--md', input], /--md .*scan\.log: is one of the inputs; give another file name/],
    ];
    for (const [args, err] of cases) {
      const c = capture();
      assert.equal(await main(args, c.io), 2, args.join(' '));
      assert.match(c.err(), err);
      assert.equal(c.out(), '', 'no report before the arguments are good');
    }
    assert.equal(readFileSync(input, 'utf8'), readFileSync(path.join(LOKI, 'scan_result (3).log'), 'utf8'), 'the input is untouched');
    assert.ok(!existsSync(path.join(tmp, 'nope')));
    if (process.platform === 'linux') {
      const c = capture();
      assert.equal(await main(['loki', LOKI, '--md', '/proc/version'], c.io), 1);
      assert.match(c.err(), /^soc-analytics: --md \/proc\/version: could not write it: E[A-Z]+/);
      assert.match(c.out(), /^Loki results: 4 files, 4 hosts/, 'the report is still printed');
    }
  });

  it('help texts name --md and --defang', async () => {
    for (const cmd of ['loki', 'qradar', 'beacons']) {
      const c = capture();
      assert.equal(await main([cmd, '--help'], c.io), 0);
      assert.match(c.out(), /--md FILE +also write a ticket-ready Markdown summary to FILE/);
      assert.match(c.out(), /--defang +defang addresses, URLs and domains in that summary/);
    }
    const c = capture();
    await main(['--help'], c.io);
    assert.equal(c.out().match(/\[--md FILE \[--defang\]\]/g)?.length, 3);
  });
});
