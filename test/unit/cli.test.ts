import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { main, type CliIO } from '../../src/cli/cli';
import { analyzeLoki } from '../../src/core/analyze/loki-summary';
import { sampleResults } from './loki-fixtures';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..'); // out/test/unit → repo root
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');


const dir = mkdtempSync(join(tmpdir(), 'soc-cli-'));
writeFileSync(join(dir, 'x.log'), '');
/** Runner returning the hand-built sample analysis (no parser needed). */
const fakeRun: CliIO['run'] = async (paths, opts) => {
  assert.deepEqual(paths, [dir]);
  return analyzeLoki(sampleResults(), { includeAllScans: opts?.includeAllScans });
};

describe('cli main() in-process', () => {
  test('--help, --version, no arguments', async () => {
    let c = capture();
    assert.equal(await main(['--help'], c.io), 0);
    assert.match(c.out(), /soc-analytics loki <path…> \[--json\] \[--all-scans\] \[--zone <zone>\]/);
    c = capture();
    assert.equal(await main(['--version'], c.io), 0);
    assert.equal(c.out(), `${PKG.version}\n`);
    c = capture();
    assert.equal(await main([], c.io), 2);
    assert.match(c.err(), /Usage:/);
    c = capture();
    assert.equal(await main(['loki', '--help'], c.io), 0);
    assert.match(c.out(), /Options for "loki":[\s\S]*--all-scans/);
    // the general help lists the subcommands, not the options of one of them
    c = capture();
    await main(['--help'], c.io);
    assert.doesNotMatch(c.out(), /Options for "loki"/);
    assert.match(c.out(), /soc-analytics qradar-count --url URL --from T --to T/);
  });

  test('bad arguments and missing paths exit 2 with a message on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown command: nope/],
      [['loki'], /no path given/],
      [['loki', '--bogus', dir], /unknown option: --bogus/],
      [['loki', '--zone'], /--zone needs a value/],
      [['loki', '--zone', 'Mars/Olympus', dir], /--zone Mars\/Olympus: unknown time zone/],
      [['loki', join(dir, 'missing.log')], /missing\.log: no such file or directory/],
    ];
    for (const [argv, re] of cases) {
      const c = capture({ run: fakeRun });
      assert.equal(await main(argv, c.io), 2, argv.join(' '));
      assert.match(c.err(), re);
      assert.equal(c.out(), '');
    }
  });

  test('--json prints one JSON object with the documented shape', async () => {
    const c = capture({ run: fakeRun });
    assert.equal(await main(['loki', dir, '--json'], c.io), 0);
    assert.equal(c.err(), ''); // no progress: stderr is not a TTY
    const j = JSON.parse(c.out());
    assert.deepEqual(Object.keys(j), ['summary', 'hosts', 'setAside', 'findings', 'rules', 'hashes', 'hashesTotal', 'errors', 'warnings', 'scannerMessages', 'skipped']);
    assert.deepEqual(Object.keys(j.summary).slice(0, 7), ['files', 'hosts', 'hostsWithFindings', 'alerts', 'warnings', 'notices', 'unparsedLines']);
    assert.deepEqual(
      [j.summary.files, j.summary.hosts, j.summary.hostsWithFindings, j.summary.alerts, j.summary.warnings, j.summary.notices, j.summary.unparsedLines],
      [3, 3, 1, 1, 1, 2, 1],
    );
    assert.deepEqual(j.hosts[0], {
      host: 'WS01',
      verdict: 'indicators',
      incomplete: false,
      incompleteByScannerErrors: false,
      alerts: 1,
      warnings: 1,
      notices: 1,
      maxScore: 170, // its top finding (score 170) and the rule of that finding's strongest reason
      topRule: 'R1',
      lokiResults: null, // the hand-made scan has no Results line
      lokiVersion: '0.51.0',
      scanStart: '2024-03-12T09:00:00Z',
      scanEnd: '2024-03-12T10:00:00Z',
      scannerErrors: 1,
      scannerCaveats: 0,
      notElevated: false,
      file: '/cases/b.log',
    });
    assert.equal(j.findings.length, 4);
    assert.deepEqual(j.findings[0], {
      host: 'WS01',
      level: 'ALERT',
      module: 'FileScan',
      timestamp: '2024-03-12T09:01:40Z',
      path: 'C:\\evil.exe',
      score: 170,
      md5: 'a'.repeat(32),
      sha1: null,
      sha256: null,
      reasons: [
        { kind: 'yara', rule: 'R1', subscore: 70, description: 'desc R1', ref: '-' },
        { kind: 'filename-ioc', rule: '\\\\evil\\.exe', subscore: 60, description: 'ioc', ref: null },
      ],
      source: { file: '/cases/b.log', line: 10 },
    });
    assert.deepEqual(j.rules[0], { rule: 'R1', name: 'R1', count: 2, alerts: 1, warnings: 0, notices: 1, hosts: 1, kind: 'yara', description: 'desc R1', maxLevel: 'ALERT' });
    assert.deepEqual(j.errors, [
      { file: '/cases/b.log', line: 7, message: 'unrecognised line' },
      { file: '/cases/b.log', line: 0, message: 'binary content skipped' },
    ]);
  });

  test('--json with --all-scans keeps older scans', async () => {
    const c = capture({ run: fakeRun });
    assert.equal(await main(['loki', '--all-scans', '--json', dir], c.io), 0);
    const j = JSON.parse(c.out());
    assert.equal(j.summary.alerts, 2);
    assert.equal(j.findings.length, 5);
    assert.equal(j.summary.scansSetAside, 0);
  });

  test('--all-scans: two scans of one host (real Loki 0.44 log, rescanned a week later) are two rows, in text and --json', async () => {
    // the real Server1 log, and the same scan a week later (every time stamp moved to 2021-10-20)
    const d = mkdtempSync(join(tmpdir(), 'soc-cli-rescan-'));
    const log = readFileSync(join(REAL, 'scan_result (3).log'), 'utf8');
    writeFileSync(join(d, 'server1-a.log'), log);
    writeFileSync(join(d, 'server1-b.log'), log.replaceAll('20211013T', '20211020T'));
    let c = capture();
    assert.equal(await main(['loki', '--all-scans', '--json', d], c.io), 0, c.err());
    const j = JSON.parse(c.out());
    assert.deepEqual([j.summary.hosts, j.summary.warnings, j.summary.scansSetAside], [1, 8, 0]);
    assert.deepEqual(
      j.hosts.map((h: { host: string; verdict: string; warnings: number; scanStart: string; scanEnd: string }) => [h.host, h.verdict, h.warnings, h.scanStart, h.scanEnd]),
      [
        ['Server1', 'suspicious', 4, '2021-10-13T21:11:45Z', '2021-10-13T22:32:38Z'],
        ['Server1', 'suspicious', 4, '2021-10-20T21:11:45Z', '2021-10-20T22:32:38Z'],
      ],
    );
    c = capture();
    assert.equal(await main(['loki', '--all-scans', d], c.io), 0, c.err());
    const rows = c.out().split('\n').filter((l) => l.startsWith('Server1 '));
    assert.equal(rows.length, 2, c.out());
    // (a host of two kept scans: each scan row its own scan's Max score and Top rule — they were '-')
    assert.match(rows[0], /^Server1 +Suspicious objects detected +70 +0 +4 .*2021-10-13 21:11:45 +2021-10-13 22:32:38 +psexec_generic$/);
    assert.match(rows[1], /^Server1 +Suspicious objects detected +70 +0 +4 .*2021-10-20 21:11:45 +2021-10-20 22:32:38 +psexec_generic$/);
    assert.match(c.out(), /^Hosts, one row per scan \(times in UTC\)$/m);
    // without --all-scans: the latest scan only, one row
    c = capture();
    assert.equal(await main(['loki', '--json', d], c.io), 0);
    assert.deepEqual(JSON.parse(c.out()).hosts.map((h: { scanStart: string }) => h.scanStart), ['2021-10-20T21:11:45Z']);
  });

  test('text report', async () => {
    const c = capture({ run: fakeRun });
    assert.equal(await main(['loki', dir, '--zone', 'Europe/Berlin'], c.io), 0);
    const t = c.out();
    assert.match(t, /^Loki results: 3 files, 3 hosts$/m);
    assert.match(t, /Hosts with findings \(alert\/warning\): 1 {3}Clean hosts: 2/);
    assert.match(t, /Findings read: 1 alert, 1 warning, 2 notices/);
    assert.match(t, /Scans set aside: 1 older scan of the same host/);
    assert.match(t, /^Hosts \(times in Europe\/Berlin\)$/m);
    assert.match(t, /^WS01 +Indicators detected +170 +1 +1 +1 +not logged +1 +0\.51\.0 +2024-03-12 10:00:00 +2024-03-12 11:00:00 +R1$/m);
    assert.match(t, /^SRV +Clean +- +0 +0 +0 +not logged +0 /m);
    assert.match(t, /^ +2 +1 +0 +1 +1 +ALERT +yara +desc R1 +R1$/m);
    assert.match(t, /^ +2 +1  WS01 +170  C:\\evil\.exe$/m); // FINDINGS, HOSTS, HOST, MAX SCORE, PATH
    assert.match(t, /^1 unparsed line — first: \/cases\/b\.log:7 unrecognised line$/m);
    assert.match(t, /^1 file error:\n {2}\/cases\/b\.log: binary content skipped$/m);
  });

  test('progress goes to stderr only when stderr is a TTY', async () => {
    const run: CliIO['run'] = async (_p, opts) => {
      opts?.onProgress?.({ filesDone: 1, filesTotal: 4, bytesDone: 50, bytesTotal: 100 });
      return analyzeLoki(sampleResults());
    };
    const tty = capture({ run, stderrIsTTY: true });
    assert.equal(await main(['loki', dir], tty.io), 0);
    assert.match(tty.err(), /Reading 1\/4 files, 50%/);
    const pipe = capture({ run, stderrIsTTY: false });
    assert.equal(await main(['loki', dir], pipe.io), 0);
    assert.equal(pipe.err(), '');
  });

  test('unexpected failures exit 1', async () => {
    const c = capture({
      run: async () => {
        throw new Error('disk on fire');
      },
    });
    assert.equal(await main(['loki', dir], c.io), 1);
    assert.match(c.err(), /disk on fire/);
  });
});

const DIST = join(ROOT, 'dist', 'cli.js');
describe('built dist/cli.js (npm test builds it first)', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [DIST, ...args], { encoding: 'utf8' });

  test('shebang, --help, --version, exit codes', () => {
    assert.match(readFileSync(DIST, 'utf8'), /^#!\/usr\/bin\/env node/);
    let r = run(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage:/);
    r = run(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${PKG.version}\n`);
    r = run(['loki', '/definitely/not/here']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no such file or directory/);
    assert.equal(r.stdout, '');
    r = run(['frobnicate']);
    assert.equal(r.status, 2);
  });

  // Needs the parser (src/core/parse): fails until it is implemented.
  test('loki --json on the real 2021-2022 results', () => {
    const r = run(['loki', REAL, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      [j.summary.files, j.summary.hosts, j.summary.hostsWithFindings, j.summary.alerts, j.summary.warnings, j.summary.notices],
      [4, 4, 3, 7, 11, 1],
    );
    assert.equal(j.findings.length, 19);
    assert.ok(j.findings.every((f: { timestamp: string }) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(f.timestamp)));
    const t = run(['loki', REAL]);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /^Loki results: 4 files, 4 hosts$/m);
    assert.match(t.stdout, /^AD +Incomplete scan \(scanner errors\) +- +0 +0 +0 +0 alerts, 0 warnings, 2 notices +4 +0\.44\.2 /m);
    assert.match(t.stdout, /Scanner errors: 4 \(the scanner itself reported errors/);
    assert.equal(j.summary.scannerErrors, 4);
    assert.equal(j.scannerMessages.length, 4);
  });
});

describe('built dist/cli.js: a reader that closes the output pipe (`… 2>&1 | head`)', { skip: process.platform === 'win32' }, () => {
  const SHARED = resolve(__dirname, '../../../../shared/data');
  const out = mkdtempSync(join(tmpdir(), 'soc-cli-epipe-'));
  /**
   * Runs the CLI with `stdout`/`stderr` each a pipe whose reader has gone before the CLI writes (`closed`
   * names them; `both` is `2>&1` into one closed pipe), the other captured. Resolves to the exit code
   * and what the captured stream got.
   */
  const closedRun = async (args: string[], closed: 'both' | 'stdout' | 'stderr'): Promise<{ code: number | null; captured: string }> => {
    const child =
      closed === 'both'
        ? spawn('bash', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, DIST, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
        : spawn(process.execPath, [DIST, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [gone, kept] = closed === 'stderr' ? [child.stderr!, child.stdout!] : [child.stdout!, child.stderr];
    gone.destroy(); // the reader closes its end before the CLI has started
    let captured = '';
    kept?.on('data', (d: Buffer) => (captured += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    return { code, captured };
  };
  const tzArgs = (file: string) => ['tz', 'convert', join(SHARED, 'qradar/samples/log_activity_export.csv'), '--from', 'Europe/Berlin', '--to', 'UTC', '--out', file];

  test('every command stops quietly with exit 0 (tz convert, which notes its column on stderr first, still writes its file)', async () => {
    const commands = [
      ['--help'],
      ['loki', join(SHARED, 'loki'), '--json'],
      ['qradar', join(SHARED, 'qradar/samples')],
      ['kpi', join(SHARED, 'qradar/samples/offenses.json'), '--seed-rules'],
      ['beacons', join(SHARED, 'zeek/day-2024-04-19'), '--internal', '64.225.56.201/32'],
      tzArgs(join(out, 'both.csv')),
    ];
    for (const args of commands) assert.equal((await closedRun(args, 'both')).code, 0, args.join(' '));
    const lines = readFileSync(join(out, 'both.csv'), 'utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, 6);
    assert.match(lines[1], /"Mar 3, 2026, 2:20:05 PM",.*,2026-03-03T13:20:05Z,$/);
    // stdout closed, stderr read: nothing on stderr (no stack trace)
    for (const args of commands.slice(0, 5)) assert.deepEqual(await closedRun(args, 'stdout'), { code: 0, captured: '' }, args.join(' '));
  });

  test('stderr closed: the notes are dropped, the report and the exit code are the command\'s own', async () => {
    const r = await closedRun(tzArgs(join(out, 'stderr.csv')), 'stderr');
    assert.equal(r.code, 0);
    assert.match(r.captured, /^Converted 5 of 5 rows /m);
    assert.equal(readFileSync(join(out, 'stderr.csv'), 'utf8').trim().split(/\r?\n/).length, 6);
    // a missing input is still exit 2 (bad path), not 1, when its message cannot be written
    assert.equal((await closedRun(['kpi', join(out, 'missing.csv')], 'both')).code, 2);
    assert.equal((await closedRun(['loki'], 'both')).code, 2);
  });
});

describe('built dist/cli.js with hostile log text', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [DIST, ...args], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'soc-cli-hostile-'));
  // A Loki-RS JSONL finding whose host name carries terminal escapes (set title, clear screen), a newline and an RTL override.
  const host = '\u001b]0;pwned\u0007\u001b[2J\nHOST\u202eX';
  const file = join(dir, 'e.jsonl');
  writeFileSync(file, JSON.stringify({ timestamp: '2026-02-03T09:41:27Z', level: 'ALERT', event_type: 'file_match', hostname: host, file_path: '/x', score: 85 }) + '\n');

  test('text output never carries terminal escape sequences or bidi overrides', () => {
    const r = run(['loki', file]);
    assert.equal(r.status, 0);
    assert.ok(!/[\u001b\u0007\u202e]/.test(r.stdout), 'raw control characters in the report');
    assert.match(r.stdout, /\\u001b\]0;pwned\\u0007\\u001b\[2J\\u000aHOST\\u202eX/);
  });

  test('JSON output stays lossless (escapes decode to the original text)', () => {
    const r = run(['loki', file, '--json']);
    assert.equal(r.status, 0);
    assert.ok(!/[\u001b\u0007\u202e]/.test(r.stdout));
    const j = JSON.parse(r.stdout);
    assert.equal(j.hosts[0].host, host);
    assert.deepEqual(j.warnings, []);
  });

  test('a FIFO is refused with exit code 2 (never read, never hangs)', () => {
    const fifo = join(dir, 'pipe.log');
    const mk = spawnSync('mkfifo', [fifo]);
    assert.equal(mk.status, 0, 'mkfifo available');
    const r = run(['loki', fifo]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a regular file or folder/);
    // every path command alike (beacons took it, skipped it and ended with exit 3, 'nothing to analyze')
    for (const cmd of ['qradar', 'beacons', 'kpi']) {
      const x = run([cmd, fifo]);
      assert.equal(x.status, 2, cmd);
      assert.match(x.stderr, /pipe\.log: not a regular file or folder/, cmd);
    }
  });

  test('parser warnings (windows-1252 fallback) are reported in JSON and text', () => {
    const latin = join(dir, 'latin1.log');
    writeFileSync(
      latin,
      Buffer.from('20250312T09:31:55Z,HOST1,WARNING,FileScan,FILE: C:\\Rechnung M\xe4rz.js SCORE: 75 TYPE: UNKNOWN SIZE: 1 FIRST_BYTES: - CREATED: x MODIFIED: x ACCESSED: x REASON_1: File Name IOC matched PATTERN: x SUBSCORE: 75 DESC: d\r\n', 'latin1'),
    );
    const j = JSON.parse(run(['loki', latin, '--json']).stdout);
    assert.equal(j.findings[0].path, 'C:\\Rechnung März.js');
    assert.ok(j.warnings.length >= 1 && /windows-1252/.test(j.warnings[0].message), JSON.stringify(j.warnings));
    assert.match(run(['loki', latin]).stdout, /warning.*records kept[\s\S]*windows-1252/);
  });
});

test('README: the command-line usage block equals the usage lines of `soc-analytics --help`', async () => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
  const block = /## Command line[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'usage block in README.md');
  let out = '';
  const code = await main(['--help'], { stdout: (s: string) => (out += s), stderr: () => undefined } as unknown as CliIO);
  assert.equal(code, 0);
  const lines = out.split('\n').slice(1);
  const usage = lines.slice(0, lines.findIndex((l) => l.startsWith('  soc-analytics --help'))).map((l) => l.replace(/^ {2}/, ''));
  assert.equal(block.trimEnd(), usage.join('\n').trimEnd());
});

test('a bad option: every subcommand names its own help ("Try \\"soc-analytics <cmd> --help\\"."), beacons too', async () => {
  for (const cmd of ['loki', 'qradar', 'beacons', 'tz', 'kpi', 'qradar-fetch', 'qradar-count']) {
    const c = capture();
    assert.equal(await main([cmd, '--no-such-option'], c.io), 2, cmd);
    assert.match(c.err(), new RegExp(`\\nTry "soc-analytics ${cmd} --help"\\.\\n$`), `${cmd}: ${c.err()}`);
    // and that help exists
    const h = capture();
    assert.equal(await main([cmd, '--help'], h.io), 0, cmd);
    assert.match(h.out(), /Usage:/, cmd);
  }
});
