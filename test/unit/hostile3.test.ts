/**
 * Third hostile-input review (automation accounts of the KPIs, output file checks, Markdown reports,
 * Loki --all-scans rows): each test is a defect the review found, kept as a regression test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { automationAccountMatcher, DEFAULT_AUTOMATION_ACCOUNTS } from '../../src/core/analyze/kpi';
import { escapeMarkdownCell } from '../../src/core/export/report';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiTreeText } from '../../src/core/analyze/loki-dashboard';
import { capture } from './cli-capture';
import { assertSubquadratic } from './cpu-cost';

const ROOT = resolve(__dirname, '../../..');

/**
 * A RegExp per pattern, as the reference for the names the linear matcher may try in time: the whole
 * name, and in a name without spaces its parts (between `\ / @ :`) and their words (between `_ -`).
 */
function regexMatcher(patterns: string[]): (name: string) => boolean {
  const res = patterns
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter((p) => p !== '')
    .map((p) => new RegExp('^' + p.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'is'));
  return (name) => {
    const n = name.trim().replace(/\s+/g, ' ');
    if (!n) return false;
    const words = /\s/.test(n) ? [] : n.split(/[\\/@:]+/).flatMap((p) => [p, ...p.split(/[_-]+/)]).filter((w) => w !== '');
    return res.some((re) => re.test(n) || words.some((w) => re.test(w)));
  };
}

test('hostile3: automation account patterns with many `*` take linear time (a RegExp backtracked for hours)', () => {
  // `*a*a*a*a*a*a*a*b` was `^.*a.*a.*a.*a.*a.*a.*a.*b$`: 64 `a`s took 18 s, 128 would take hours.
  // The setting can come from a workspace's settings and the names from any case file.
  // CPU time, a fresh matcher each time (it remembers names): 48 characters against 6 cost ~8× (the RegExp: ~5 s
  // against well under 1 ms, the length to the power of the stars), 20,000 against 1,250 ~16×
  const eight = ['*a*a*a*a*a*a*a*b'];
  assert.equal(automationAccountMatcher(eight)('a'.repeat(48)), false);
  assertSubquadratic('48 `a`s against 6', (n) => 'a'.repeat(n), (name) => automationAccountMatcher(eight)(name), 6, 8);
  const two = ['*a*a*a*a*a*a*a*b', '*a*a*a*a*a*a*a*a*a*a*ab'];
  const m = automationAccountMatcher(two);
  assert.equal(m('a'.repeat(20_000) + 'c'), false);
  assert.equal(m(`${'a'.repeat(5000)} ${'a'.repeat(5000)}`), false);
  assert.equal(m('a'.repeat(20_000) + 'b'), true);
  assertSubquadratic('20,000 `a`s and a `c`', (n) => 'a'.repeat(n) + 'c', (name) => automationAccountMatcher(two)(name), 20_000 / 16);
  assertSubquadratic('two runs of 5,000 `a`s', (n) => `${'a'.repeat(n)} ${'a'.repeat(n)}`, (name) => automationAccountMatcher(two)(name), 5000 / 16);
});

test('hostile3: the linear matcher gives the RegExp matcher`s answers (case folding, words, metacharacters)', () => {
  const patterns = [
    [...DEFAULT_AUTOMATION_ACCOUNTS],
    ['a*b', '*', 'x.y', '(svc)', '[a-z]', 'a+b', '^api$', 'st*r', 'ß', 'ı', 'ſvc', 'İ', 'Σ', 'k'],
    ['**', '*svc', 'svc*', '*s*v*c*'],
  ];
  const names = [
    'svc', 'SVC', 'Svc_backup', 'svcadmin', 'CORP\\svc', 'soc.automation', 'API_user: admin', 'j.soares', 'pia', 'a.pi',
    'x.y', 'xzy', '(svc)', '[a-z]', 'a', 'ab', 'a+b', 'aab', '^api$', 'star', 'sr', 'stxr', 'SS', 'ß', 'ẞ', 'ı', 'I', 'i',
    'ſvc', 'SVC', 'İ', 'i̇', 'σ', 'ς', 'Σ', 'K', 'k', '\u212a', 'a\nb', 'svc\u00a0x', 'x\u2028svc', ' ', 'playbook-7', 'XSOAR Engine',
    '*', '**', 's*v*c', 'abc\ud800', '\udc00svc', 'Api Nguyen', 'api.nguyen', 'CORP\\svc_backup', 'svc-soar@corp.local', 'API_user: admin', 'SOAR01$', 'a  b',
  ];
  for (const ps of patterns) {
    const fast = automationAccountMatcher(ps);
    const ref = regexMatcher(ps);
    for (const n of names) assert.equal(fast(n), ref(n), `${JSON.stringify(ps)} ${JSON.stringify(n)}`);
  }
  // random short names and patterns over a small alphabet
  let seed = 7;
  const rnd = (k: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const alpha = ['a', 'B', 'b', '*', '.', ' ', '_', 'ı', 'I', 'ß', 'S'];
  const word = (len: number, star: boolean) => Array.from({ length: len }, () => alpha[rnd(star ? alpha.length : alpha.length - 1)].replace('*', star ? '*' : 'a')).join('');
  for (let i = 0; i < 3000; i++) {
    const ps = [word(1 + rnd(5), true)];
    const n = word(rnd(9), false);
    assert.equal(automationAccountMatcher(ps)(n), regexMatcher(ps)(n), `${JSON.stringify(ps)} ${JSON.stringify(n)}`);
  }
});

test('hostile3: an output option ending with a path separator (or . / ..) names a folder: exit 2, no file written', async () => {
  // `--out reports/` with no folder `reports`: the path was resolved (dropping the `/`) and a FILE
  // named `reports` was written (tz convert, kpi --html/--md) or created by qradar-fetch.
  const tmp = mkdtempSync(join(tmpdir(), 'hostile3-out-'));
  const cases = join(ROOT, 'test/fixtures/cases/kpi-small.csv');
  const table = join(tmp, 't.csv');
  writeFileSync(table, 'time,x\n2026-03-01T10:00:00Z,1\n');
  for (const given of [`${tmp}/reports/`, `${tmp}/reports/.`, `${tmp}/reports/x/..`]) {
    const runs = [
      ['tz', 'convert', table, '--from', 'UTC', '--to', 'UTC', '--out', given],
      ['kpi', cases, '--seed-rules', '--html', given],
      ['kpi', cases, '--seed-rules', '--md', given],
      ['qradar-fetch', '--url', 'https://127.0.0.1:9', '--from', '-1d', '--to', 'now', '--out', given],
      ['qradar-count', '--url', 'https://127.0.0.1:9', '--from', '-1d', '--to', 'now', '--group', 'day', '--out', given],
    ];
    for (const args of runs) {
      const c = capture();
      assert.equal(await main(args, c.io), 2, args.join(' '));
      assert.match(c.err(), /names a folder \(ends with a path separator, \. or \.\.\); give a file name/, args.join(' '));
      assert.equal(c.out(), '');
      assert.deepEqual(readdirSync(tmp).sort(), ['t.csv'], `${args.join(' ')}: nothing written`);
    }
  }
  // a file name in an existing folder is still fine
  const c = capture();
  assert.equal(await main(['tz', 'convert', table, '--from', 'UTC', '--to', 'UTC', '--out', join(tmp, 'out.csv')], c.io), 0, c.err());
});

test('hostile3: Markdown report — control characters and bidi overrides of an account name are written as \\uXXXX text', async () => {
  // An analyst / automation account named `svc\x1b[31mRED` or `\u202esvc` went into the .md file raw:
  // `cat report.md` ran the escape sequence, and U+202E reordered the rest of the table row.
  assert.equal(escapeMarkdownCell('svc\u001b[31mRED'), 'svc\\u001b\\[31mRED');
  assert.equal(escapeMarkdownCell('\u202esvc\u202c'), '\\u202esvc\\u202c');
  assert.equal(escapeMarkdownCell('a\tb\u0007\u009b'), 'a\\u0009b\\u0007\\u009b');
  assert.equal(escapeMarkdownCell('x\r\ny'), 'x y', 'line breaks are still one space');
  const tmp = mkdtempSync(join(tmpdir(), 'hostile3-md-'));
  const csv = join(tmp, 'cases.csv');
  const names = ['svc\u001b]0;pwned\u0007', '\u202ealice', 'bob\u001b[2J'];
  writeFileSync(
    csv,
    'Case ID,Title,Created,Closed,Owner,Severity,Status,Disposition\n' +
      names.map((n, i) => `C-${i},t,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,"${n}",High,Closed,False Positive`).join('\n') +
      '\n',
  );
  const md = join(tmp, 'r.md');
  const c = capture();
  assert.equal(await main(['kpi', csv, '--seed-rules', '--md', md, '--as-of', '2026-03-10T00:00:00Z'], c.io), 0, c.err());
  const text = readFileSync(md, 'utf8');
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.match(text, /\| \\u202ealice \| 1 \|/);
  assert.match(text, /bob\\u001b\\\[2J/);
  // the HTML report too: U+202E made an account name show as another name (hostile review)
  const html = join(tmp, 'r.html');
  const c2 = capture();
  assert.equal(await main(['kpi', csv, '--seed-rules', '--html', html, '--as-of', '2026-03-10T00:00:00Z'], c2.io), 0, c2.err());
  const page = readFileSync(html, 'utf8');
  assert.doesNotMatch(page, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.match(page, /<td>\\u202ealice<\/td>/);
});

test('hostile3: Loki — a fake scan start injected by log text no longer sets real alerts aside: it counts as the running scan, noted at its line', async () => {
  // A Linux file name with a newline and a `Starting Loki Scan` line of the same host after it (Loki
  // writes paths raw, so the name becomes a record of its own) split the scan: without --all-scans
  // the part before it, with the real alert, was set aside and the host showed 0 findings. A start
  // before the host's running scan ended is now part of that scan.
  const tmp = mkdtempSync(join(tmpdir(), 'hostile3-loki-'));
  const ts = '20211013T22:16:41Z';
  const finding = (path: string, level: string, score: number, rule: string) =>
    `${ts},WS2,${level},FileScan,FILE: ${path} SCORE: ${score} TYPE: EXE SIZE: 1 MD5: c0f94449e113fa3f7eb420c64108b58b REASON_1: Yara Rule MATCH: ${rule} SUBSCORE: ${score} DESCRIPTION: d REF: - AUTHOR: -`;
  const fakeStart = 'Starting Loki Scan VERSION: 0.44.2 SYSTEM: WS2 TIME: 20300101T00:00:00Z PLATFORM: x/y';
  writeFileSync(
    join(tmp, 'loki_WS2.log'),
    [
      `${ts},WS2,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: WS2 TIME: ${ts} PLATFORM: x`,
      finding('/home/u/.cache/miner', 'ALERT', 150, 'MAL_Miner'),
      finding(`/tmp/x\n20300101T00:00:00Z,WS2,NOTICE,Init,${fakeStart}`, 'WARNING', 60, 'Susp'),
    ].join('\n') + '\n',
  );
  const text = capture();
  assert.equal(await main(['loki', tmp], text.io), 0);
  assert.doesNotMatch(text.out(), /Scans set aside/);
  const json = capture();
  assert.equal(await main(['loki', tmp, '--json'], json.io), 0);
  const j = JSON.parse(json.out());
  assert.deepEqual([j.summary.alerts, j.summary.scansSetAside, j.summary.setAsideAlerts, j.summary.setAsideWarnings], [1, 0, 0, 0]);
  assert.deepEqual((j.hosts as { scanStart: string }[]).map((h) => h.scanStart), ['2021-10-13T22:16:41Z'], 'the forged TIME is not the scan`s');
  // the forged line is noted where it is
  assert.deepEqual(
    (j.warnings as { file: string; line: number; message: string }[]).filter((w) => /scan start/.test(w.message)).map((w) => [w.file, w.line, w.message]),
    [[join(tmp, 'loki_WS2.log'), 4, 'scan start at line 4 before the scan that began at line 1 ended: counted as the same scan (a rerun after a crash, or a line forged by a line break in a logged file name or match)']],
  );
  const a = await runLokiAnalysis([tmp]);
  const card = buildLokiDashboard(a, 't', 'UTC').cards.find((c) => c.id === 'setAside')!;
  assert.deepEqual([card.label, card.value, card.tone], ['Scans set aside', 0, 'info']);
  const all = capture();
  assert.equal(await main(['loki', tmp, '--all-scans', '--json'], all.io), 0);
  assert.deepEqual([JSON.parse(all.out()).summary.alerts, JSON.parse(all.out()).hosts.length], [1, 1]);

  // A forged trailer AND start (the log text can hold several lines), Loki's own trailer missing: that trailer
  // has no `Results:` counts of exactly the lines read before it (a forged one cannot see them), so the scan after it
  // is part of the running scan too (it made a "finished" scan and a rescan, the alert set aside).
  writeFileSync(
    join(tmp, 'loki_WS2.log'),
    [
      `${ts},WS2,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: WS2 TIME: ${ts} PLATFORM: x`,
      finding('/home/u/.cache/miner', 'ALERT', 150, 'MAL_Miner'),
      finding(`/tmp/x\n${ts},WS2,NOTICE,Results,Finished LOKI Scan SYSTEM: WS2 TIME: ${ts}\n20300101T00:00:00Z,WS2,NOTICE,Init,${fakeStart}`, 'WARNING', 60, 'Susp'),
    ].join('\n') + '\n',
  );
  const forged = capture();
  assert.equal(await main(['loki', tmp, '--json'], forged.io), 0);
  const jf = JSON.parse(forged.out());
  assert.deepEqual([jf.summary.alerts, jf.summary.scansSetAside, jf.summary.setAsideAlerts], [1, 0, 0]);
  assert.ok((jf.warnings as { line: number; message: string }[]).some((w) => w.line === 5 && /^scan start at line 5 after the end of the scan that began at line 1 does not fit \(it has no end of its own/.test(w.message)), forged.out());

  // A genuine rescan (the first scan ended with Loki's trailer, its counts exactly the lines read) that never
  // ended (the next morning; a rescan dated after the analysis is the test below): the finished scan is kept beside
  // it, nothing is set aside.
  const rescan = [
    `${ts},WS2,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: WS2 TIME: ${ts} PLATFORM: x`,
    finding('/home/u/.cache/miner', 'ALERT', 150, 'MAL_Miner'),
    `${ts},WS2,NOTICE,Results,Results: 1 alerts, 0 warnings, 0 notices`,
    `${ts},WS2,RESULT,Results,Indicators detected!`,
    `${ts},WS2,NOTICE,Results,Finished LOKI Scan SYSTEM: WS2 TIME: ${ts}`,
    `20211014T08:00:00Z,WS2,NOTICE,Init,${fakeStart.replace('20300101T00:00:00Z', '20211014T08:00:00Z')}`,
  ];
  writeFileSync(join(tmp, 'loki_WS2.log'), rescan.join('\n') + '\n');
  const unfinished = capture();
  assert.equal(await main(['loki', tmp, '--json'], unfinished.io), 0);
  const ju = JSON.parse(unfinished.out());
  assert.deepEqual([ju.summary.alerts, ju.summary.scansSetAside, ju.summary.incompleteHosts], [1, 0, 1]);
  assert.deepEqual((ju.hosts as { verdict: string }[]).map((h) => h.verdict), ['indicators', 'incomplete']);
  // The rescan ended clean: the alerts set aside so are named, never silent.
  writeFileSync(
    join(tmp, 'loki_WS2.log'),
    [
      ...rescan,
      `20211014T08:00:00Z,WS2,NOTICE,Results,Results: 0 alerts, 0 warnings, 0 notices`,
      `20211014T08:00:00Z,WS2,RESULT,Results,SYSTEM SEEMS TO BE CLEAN.`,
      `20211014T08:00:00Z,WS2,NOTICE,Results,Finished LOKI Scan SYSTEM: WS2 TIME: 20211014T08:00:00Z`,
    ].join('\n') + '\n',
  );
  const text2 = capture();
  assert.equal(await main(['loki', tmp], text2.io), 0);
  assert.match(text2.out(), /Scans set aside: 1 older scan of the same host with 1 alert, 0 warnings NOT shown below \(use --all-scans to keep them\)/);
  const json2 = capture();
  assert.equal(await main(['loki', tmp, '--json'], json2.io), 0);
  const j2 = JSON.parse(json2.out());
  assert.deepEqual([j2.summary.alerts, j2.summary.scansSetAside, j2.summary.setAsideAlerts, j2.summary.setAsideWarnings], [0, 1, 1, 0]);
  // which scan: named in the text, in --json and in the dashboard's tab (an analyst finds the hidden alert without a second run)
  const file = join(tmp, 'loki_WS2.log');
  assert.ok(text2.out().includes(`    WS2: scan started 2021-10-13 22:16:41 in ${file} — 1 finding (1 alert)\n`), text2.out());
  assert.deepEqual(j2.setAside, [{ host: 'WS2', file, scanStart: '2021-10-13T22:16:41Z', findings: 1, alerts: 1, warnings: 0 }]);
  const a2 = await runLokiAnalysis([tmp]);
  const model2 = buildLokiDashboard(a2, 't', 'UTC');
  const card2 = model2.cards.find((c) => c.id === 'setAside')!;
  assert.deepEqual([card2.label, card2.value, card2.tone, card2.tab], ['Scan set aside (1 alert, 0 warnings not shown)', 1, 'alert', 'setAside']);
  assert.deepEqual(model2.tables.find((t) => t.id === 'setAside')?.rows, [['WS2', '2021-10-13 22:16:41', file, 1, 1, 0]]);
  // the Results tree's tooltip names them too
  assert.match(lokiTreeText(a2.summary, a2.setAside).tooltip, /, 1 older scan set aside \(1 alert, 0 warnings not shown\)/);
  // --all-scans keeps both parts: the alert is back
  const all2 = capture();
  assert.equal(await main(['loki', tmp, '--all-scans', '--json'], all2.io), 0);
  assert.equal(JSON.parse(all2.out()).summary.alerts, 1);
});

test('hostile3: loki --all-scans --json — two scans of a host with the same times are told apart by their file', async () => {
  // One row per scan, but the rows had no file: the same log collected twice (or two scans started in
  // the same second) gave identical rows.
  const tmp = mkdtempSync(join(tmpdir(), 'hostile3-scans-'));
  const ts = '20211013T22:16:41Z';
  const log = (path: string) =>
    [
      `${ts},ALPHA,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: ALPHA TIME: ${ts} PLATFORM: x`,
      `${ts},ALPHA,WARNING,FileScan,FILE: ${path} SCORE: 70 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d`,
    ].join('\n') + '\n';
  writeFileSync(join(tmp, 'a.log'), log('C:\\a.exe'));
  writeFileSync(join(tmp, 'b.log'), log('C:\\b.exe').replaceAll('ALPHA', 'alpha'));
  const c = capture();
  assert.equal(await main(['loki', tmp, '--all-scans', '--json'], c.io), 0, c.err());
  const hosts = JSON.parse(c.out()).hosts as { host: string; scanStart: string; file: string }[];
  assert.deepEqual(
    hosts.map((h) => [h.host, h.scanStart, h.file]),
    [
      ['ALPHA', '2021-10-13T22:16:41Z', join(tmp, 'a.log')],
      ['ALPHA', '2021-10-13T22:16:41Z', join(tmp, 'b.log')],
    ],
  );
  const d = capture();
  assert.equal(await main(['loki', tmp, '--json'], d.io), 0);
  // without --all-scans: neither scan finished and both found something, so neither hides the other
  assert.deepEqual((JSON.parse(d.out()).hosts as { file: string }[]).map((h) => h.file), [join(tmp, 'a.log'), join(tmp, 'b.log')]);
  // a finished scan after them leaves them aside
  writeFileSync(join(tmp, 'c.log'), `20211014T08:00:00Z,ALPHA,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: ALPHA TIME: 20211014T08:00:00Z PLATFORM: x\n` +
    ['NOTICE,Results,Results: 0 alerts, 0 warnings, 0 notices', 'RESULT,Results,SYSTEM SEEMS TO BE CLEAN.', 'NOTICE,Results,Finished LOKI Scan SYSTEM: ALPHA TIME: 20211014T08:00:01Z'].map((l) => `20211014T08:00:01Z,ALPHA,${l}`).join('\n') + '\n');
  const e = capture();
  assert.equal(await main(['loki', tmp, '--json'], e.io), 0);
  assert.deepEqual((JSON.parse(e.out()).hosts as { file: string; verdict: string }[]).map((h) => [h.file, h.verdict]), [[join(tmp, 'c.log'), 'clean']]);
});

test('hostile3: Loki — scans of several hosts whose lines alternate in one file (central syslog) keep every finding', async () => {
  // Loki's `-r` sends every host's lines to one syslog server, where scans running at the same time
  // interleave. Each change of host started a new scan, so without --all-scans all but each host's
  // last fragment were "older scans" set aside (9 findings → 0 shown, every host "incomplete"), and
  // with --all-scans every fragment was a row of its own.
  const tmp = mkdtempSync(join(tmpdir(), 'hostile3-syslog-'));
  const hosts = ['WS-A', 'WS-B', 'WS-C'];
  const line = (h: string, level: string, minute: number, rest: string) =>
    `<154>1 2025-03-12T10:${String(minute).padStart(2, '0')}:13.512044+01:00 ${h} LOKI 5816 1187 - LOKI: ${level}: MODULE: ${rest}`;
  const lines: string[] = [];
  for (const h of hosts) lines.push(line(h, 'Notice', 0, `Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: ${h} TIME: 20250312T09:00:13Z PLATFORM: 10`));
  let minute = 1;
  for (let i = 0; i < 9; i++)
    lines.push(line(hosts[i % 3], i % 2 ? 'Warning' : 'Alert', minute++, `FileScan MESSAGE: FILE: C:\\mal${i}.dll SCORE: 150 TYPE: EXE SIZE: 1 REASON_1: Yara Rule MATCH: R${i} SUBSCORE: 150 DESCRIPTION: d REF: - AUTHOR: -`));
  for (const h of hosts) lines.push(line(h, 'Notice', minute++, `Results MESSAGE: Finished LOKI Scan SYSTEM: ${h} TIME: 20250312T09:30:00Z`));
  writeFileSync(join(tmp, 'central-syslog.log'), lines.join('\n') + '\n');

  const c = capture();
  assert.equal(await main(['loki', tmp, '--json'], c.io), 0, c.err());
  const j = JSON.parse(c.out());
  assert.deepEqual([j.summary.hosts, j.summary.alerts, j.summary.warnings, j.summary.scansSetAside, j.findings.length], [3, 5, 4, 0, 9]);
  assert.deepEqual(
    (j.hosts as { host: string; alerts: number; warnings: number; lokiVersion: string; scanStart: string; scanEnd: string }[])
      .map((h) => [h.host, h.alerts + h.warnings, h.lokiVersion, h.scanStart, h.scanEnd])
      .sort(),
    hosts.map((h) => [h, 3, '0.51.1', '2025-03-12T09:00:13Z', '2025-03-12T09:30:00Z']),
  );
  const all = capture();
  assert.equal(await main(['loki', tmp, '--json', '--all-scans'], all.io), 0);
  assert.equal(JSON.parse(all.out()).hosts.length, 3, 'one scan per host, not one per fragment');
});
