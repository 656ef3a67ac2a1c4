/**
 * Fleet coverage (expected-host list vs the hosts of a Loki sweep): the list reader, the matching rules, the CLI's
 * `--expected-hosts` (text section, --json `coverage`, exit 2 for a bad file) and the dashboard's card and table,
 * on the real Loki logs of shared/data (hosts DS1, DS-SER1, Server1, AD).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fleetCoverage, fleetReport, parseExpectedHosts, readExpectedHosts } from '../../src/core/analyze/fleet-coverage';
import { buildLokiDashboard, ERRORS_TABLE_LIMIT } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { main } from '../../src/cli/cli';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { capture } from './cli-capture';

const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const REAL_HOSTS = ['DS1', 'DS-SER1', 'Server1', 'AD']; // the hosts of the four real logs

const dir = mkdtempSync(join(tmpdir(), 'soc-fleet-'));
/** Some real hosts, two as FQDNs, a host that was not scanned, a comment, a blank line, a duplicate and a bad line. */
const HOSTS_TXT = [
  '# Finance sweep, March 2022 (change 4711)',
  'DS1',
  'ds-ser1.corp.local   # file server',
  'Server1.corp.local',
  'WS-HR-07',
  '',
  'ds1',
  'bad host name',
].join('\n');
const TXT = join(dir, 'hosts.txt');
writeFileSync(TXT, HOSTS_TXT);
/** The CSV variant: an AD export (BOM, CRLF, a comment line), the host column second, one record without a host. */
const HOSTS_CSV = '\ufeff# exported from AD 2022-01-20\r\nIP Address,Computer Name,OS\r\n10.0.0.5,DS1.corp.local,Windows\r\n10.0.0.6,"Server1",Windows\r\n10.0.0.9,,Linux\r\n10.0.0.7,WS-HR-07.corp.local,Windows\r\n';
const CSV = join(dir, 'hosts.csv');
writeFileSync(CSV, HOSTS_CSV);

describe('expected-host list', () => {
  test('text: one host per line, comments and blank lines ignored, a duplicate counted once, a bad line reported with its number', () => {
    const l = parseExpectedHosts(HOSTS_TXT, 'hosts.txt');
    assert.equal(l.format, 'text');
    assert.deepEqual(l.hosts, ['DS1', 'ds-ser1.corp.local', 'Server1.corp.local', 'WS-HR-07']);
    assert.equal(l.duplicates, 1);
    assert.equal(l.problemCount, 1);
    assert.deepEqual(l.problems.map((p) => p.line), [8]);
    assert.match(l.problems[0].message, /"bad host name" is no host name: holds white space/);
  });

  test('a one-column export read as text: its header line is no host', () => {
    const l = parseExpectedHosts('Hostname\nDS1\nAD\n', 'list.txt');
    assert.deepEqual(l.hosts, ['DS1', 'AD']);
    assert.equal(l.column, 'Hostname');
  });

  test('CSV: the host column by name (Computer Name, not the first), comment lines skipped, line numbers of the file', async () => {
    const l = await readExpectedHosts(CSV);
    assert.equal(l.format, 'csv');
    assert.equal(l.column, 'Computer Name');
    assert.deepEqual(l.hosts, ['DS1.corp.local', 'Server1', 'WS-HR-07.corp.local']);
    assert.deepEqual(l.problems, [{ line: 5, message: 'no host in column "Computer Name"; skipped' }]);
  });

  test('CSV: hostname preferred over fqdn and name; semicolons; without a known header the first column', () => {
    const l = parseExpectedHosts('FQDN;Hostname;Name\nds1.corp.local;DS1;Domain server\n', 'x.txt');
    assert.equal(l.column, 'Hostname');
    assert.deepEqual(l.hosts, ['DS1']);
    // a comment above a semicolon header: the delimiter is the header's
    const semi = parseExpectedHosts('# CMDB export\n\nFQDN;Device Name\nds1.corp.local;DS1\n;\n', 'cmdb.csv');
    assert.deepEqual([semi.column, semi.hosts, semi.problems.map((p) => p.line)], ['Device Name', ['DS1'], [5]]);
    const first = parseExpectedHosts('Asset,Owner\nDS-SER1,IT\nAD,IT\n', 'assets.csv');
    assert.equal(first.column, 'Asset');
    assert.deepEqual(first.hosts, ['DS-SER1', 'AD']);
  });

  test('an unreadable file rejects with a clear message; content never does', async () => {
    await assert.rejects(readExpectedHosts(join(dir, 'none.txt')), /cannot read the expected-hosts list .*none\.txt: no such file/);
    await assert.rejects(readExpectedHosts(dir), /is a folder/);
    const junk = parseExpectedHosts('\u0000\u0001\u0002\n"a,b\n<script>\n', 'junk.txt');
    assert.equal(junk.hosts.length, 0);
    assert.ok(junk.problemCount > 0);
  });
});

/** `p` settled within `ms` (the old reader hung on a FIFO and read /dev/zero until the heap ran out). */
const within = <T>(p: Promise<T>, ms = 3000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, no) => setTimeout(() => no(new Error(`still reading after ${ms} ms`)), ms).unref())]);

describe('expected-host list: only regular files, bounded reads', () => {
  test('a FIFO, /dev/zero and a link to /dev/zero are refused at once (no hang, no unbounded read)', { skip: process.platform === 'win32' }, async () => {
    const fifo = join(dir, 'hosts.fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(within(readExpectedHosts(fifo)), /cannot read the expected-hosts list .*hosts\.fifo: is not a regular file \(a FIFO, socket or device\)/);
    await assert.rejects(within(readExpectedHosts('/dev/zero')), /\/dev\/zero: is not a regular file/);
    const link = join(dir, 'zero-link.txt');
    symlinkSync('/dev/zero', link);
    await assert.rejects(within(readExpectedHosts(link)), /zero-link\.txt: is not a regular file/);
    // a link to a regular list is followed
    const ok = join(dir, 'hosts-link.txt');
    symlinkSync(TXT, ok);
    assert.deepEqual((await readExpectedHosts(ok)).hosts, ['DS1', 'ds-ser1.corp.local', 'Server1.corp.local', 'WS-HR-07']);
  });

  test('package.json: the setting is restricted in an untrusted workspace', () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('socAnalytics.loki.expectedHostsFile'));
  });
});

const HOSTILE = (name: string, content: string | Buffer): string => {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
};

describe('expected-host list: no host lost to the format', () => {
  test('a headerless .csv (one column, or an address beside the host): its first line is a host', async () => {
    const one = await readExpectedHosts(HOSTILE('noheader.csv', 'DS1\nServer1\nAD\n'));
    assert.deepEqual([one.format, one.column, one.hosts], ['csv', undefined, ['DS1', 'Server1', 'AD']]);
    const two = parseExpectedHosts('ds1,10.0.0.1\nad,10.0.0.2\n', 'x.csv');
    assert.deepEqual(two.hosts, ['ds1', 'ad']);
    // a named header is still a header, also an unknown one of several columns
    assert.deepEqual(parseExpectedHosts('Asset,Owner\nDS-SER1,IT\n', 'a.csv').hosts, ['DS-SER1']);
    const c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', join(dir, 'noheader.csv')], c.io), 0);
    assert.match(c.out(), /Fleet coverage \(expected hosts: .*noheader\.csv, CSV without a header row: first column\)\n {2}Expected: 3 {3}Scanned: 3 {3}Without a scan: 0 /);
  });

  test('an inline comment holding a comma does not make a text list CSV', async () => {
    const l = await readExpectedHosts(HOSTILE('inline.txt', 'DS1   # primary DC, site A\nServer1\nAD # domain ctl\n'));
    assert.deepEqual([l.format, l.hosts, l.problemCount], ['text', ['DS1', 'Server1', 'AD'], 0]);
  });

  test('a CSV header "#,Hostname,IP" is a header, not a comment', async () => {
    const l = await readExpectedHosts(HOSTILE('idx.csv', '#,Hostname,IP\n1,DS1,10.0.0.1\n2,AD,10.0.0.2\n3,Server1,10.0.0.3\n'));
    assert.deepEqual([l.column, l.hosts, l.problemCount], ['Hostname', ['DS1', 'AD', 'Server1'], 0]);
    // without the extension too
    assert.deepEqual(parseExpectedHosts('# list\n#;Hostname\n1;DS1\n', 'idx.txt').hosts, ['DS1']);
  });

  test('a trailing dot (fully qualified) is the same host', () => {
    const c = fleetCoverage(['ds1.corp.local.', 'AD.'], ['DS1.corp.local', 'ad']);
    assert.deepEqual([c.scanned, c.missing, c.unexpected], [2, [], []]);
    assert.equal(parseExpectedHosts('ds1.corp.local\nDS1.corp.local.\n').duplicates, 1);
  });

  test('a list that is not UTF-8: the windows-1252 note is shown (CLI, --json, dashboard)', async () => {
    const f = HOSTILE('cp1252.txt', Buffer.from([...Buffer.from('DS1\nAD\n'), 0xff, 0xfe, 0x80, ...Buffer.from('junk\n')]));
    const l = await readExpectedHosts(f);
    assert.deepEqual(l.encoding, { line: 3, message: 'not UTF-8 (first invalid byte on this line): the bytes that are not UTF-8 are read as windows-1252' });
    const c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', f], c.io), 0);
    assert.match(c.out(), new RegExp(`  Note: ${f.replace(/[.\\/]/g, '\\$&')}:3: not UTF-8 \\(first invalid byte on this line\\)`));
    const j = capture();
    await main(['loki', REAL, '--json', '--expected-hosts', f], j.io);
    assert.deepEqual((JSON.parse(j.out()) as { coverage: { encodingWarning: unknown } }).coverage.encodingWarning, l.encoding);
    const a = await runLokiAnalysis([REAL]);
    const m = buildLokiDashboard(a, 't', 'UTC', fleetReport(f, l, a.hosts));
    assert.deepEqual(m.notices?.map((n) => [n.id, n.title]), [['expectedHostsEncoding', 'Expected-hosts list: not UTF-8 (read as windows-1252)']]);
  });
});

describe('expected-host list that gave no host', () => {
  const lists = () => ({
    empty: HOSTILE('emptylist.txt', ''),
    comments: HOSTILE('comments.txt', '# only comments\n\n'),
    tab: HOSTILE('tabline.txt', 'DS1\tServer1\n'),
    bad: HOSTILE('manyprob.txt', Array.from({ length: 2000 }, (_, i) => `bad name ${i}`).join('\n')),
  });

  test('CLI: a clear stderr message and exit 2, nothing on stdout', async () => {
    const f = lists();
    const want: [string, string][] = [
      [f.empty, 'no host read: the file is empty or holds only blank and comment lines'],
      [f.comments, 'no host read: the file is empty or holds only blank and comment lines'],
      [f.tab, 'no host read: a CSV header row (column "DS1") and no record under it'],
      [f.bad, 'no host read: none of its lines gave one (2,000 lines not read)'],
    ];
    for (const [file, why] of want) {
      const c = capture();
      assert.equal(await main(['loki', REAL, '--expected-hosts', file], c.io), 2, file);
      assert.equal(c.err().split('\n')[0], `soc-analytics: --expected-hosts ${file}: ${why}`);
      assert.equal(c.out(), '');
    }
    const c = capture();
    await main(['loki', REAL, '--expected-hosts', f.bad], c.io);
    assert.equal(c.err().split('\n')[1], `  ${f.bad}:1: line "bad name 0" is no host name: holds white space or a control character (one host per line); skipped`);
  });

  test('dashboard: a warning notice and no card "0 without a scan"; Markdown says there is no coverage', async () => {
    const f = lists();
    const a = await runLokiAnalysis([REAL]);
    for (const file of [f.empty, f.bad]) {
      const r = fleetReport(file, await readExpectedHosts(file), a.hosts);
      const m = buildLokiDashboard(a, 't', 'UTC', r);
      assert.equal(m.cards.some((x) => x.id === 'expectedMissing'), false);
      assert.equal(m.tables.some((x) => x.id === 'coverage'), false);
      assert.deepEqual(m.notices?.map((n) => [n.severity, n.title]), [['warning', 'Expected-hosts list gave no host — no fleet coverage']]);
      assert.doesNotMatch(m.notices?.[0].lines.join('\n') ?? '', /the other hosts were/);
      const md = lokiMarkdown(a, { zone: 'UTC' }, r.coverage);
      assert.match(md, /- Fleet coverage: none: the expected-hosts list gave no host\n/);
      assert.doesNotMatch(md, /every expected host has a scan/);
    }
  });
});

describe('ambiguous short names are counted, never hidden', () => {
  const AMB = ['ds1.corp.local', 'ds1.lab.local', 'ad'];

  test('CLI and Markdown: "2 ambiguous … at most 1 of them was scanned", no claim of full coverage', async () => {
    const f = HOSTILE('amb.txt', AMB.join('\n'));
    const md = join(dir, 'amb.md');
    const c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', f, '--md', md], c.io), 0);
    assert.match(
      c.out(),
      /\n {2}Expected: 3 {3}Scanned: 1 {3}Without a scan: 0 {3}Scanned, not on the list: 2\n {2}Also 2 ambiguous \(one scan name, several expected FQDNs\): at most 1 of them was scanned\n/,
    );
    const line = readFileSync(md, 'utf8').split('\n').find((l) => l.startsWith('- Fleet coverage:'));
    assert.equal(
      line,
      '- Fleet coverage: 1 of 3 expected hosts scanned; 2 ambiguous (one scan name, several expected FQDNs): at most 1 of them was scanned: ds1.corp.local, ds1.lab.local; 2 scanned hosts not on the list: DS-SER1, Server1',
    );
  });

  test('dashboard: a warning card that counts them; each row names at most 10 candidates', async () => {
    const a = await runLokiAnalysis([REAL]);
    const m = buildLokiDashboard(a, 't', 'UTC', fleetReport('amb.txt', parseExpectedHosts(AMB.join('\n')), a.hosts));
    assert.deepEqual(m.cards.find((x) => x.id === 'expectedMissing'), {
      id: 'expectedMissing',
      label: 'Expected hosts without a scan (and 2 ambiguous: at most 1 of them scanned)',
      value: 0,
      tone: 'warning',
      tab: 'coverage',
    });
    assert.equal(m.tables.find((x) => x.id === 'coverage')?.title, 'Fleet coverage (1 of 3 expected scanned, 2 ambiguous, 2 not on the list)');
    // 5,000 FQDNs sharing the label DS1: the note of each row stays short (it listed all 5,000: a 500 MB model)
    const many = Array.from({ length: 5000 }, (_, i) => `ds1.site${i}.corp.local`);
    const big = buildLokiDashboard(a, 't', 'UTC', fleetReport('many.txt', parseExpectedHosts(many.join('\n')), a.hosts));
    const rows = big.tables.find((x) => x.id === 'coverage')?.rows ?? [];
    const amb = rows.filter((r) => r[1] === 'Ambiguous');
    assert.ok(amb.length > 0);
    assert.equal(amb[0][2], `a scan of DS1 could be any of ${many.slice(0, 10).join(', ')}, … and 4,990 more`);
    assert.ok(amb.every((r) => String(r[2]).length < 400));
  });
});

describe('coverage table: at most 1,000 rows, as the other Loki tables', () => {
  test('a list of 2,500 hosts: the table has the first 1,000 rows and says so; the CLI --json keeps all', async () => {
    const hosts = ['DS1', ...Array.from({ length: 2500 }, (_, i) => `WS${String(i).padStart(5, '0')}`)];
    const f = HOSTILE('fleet2500.txt', hosts.join('\n'));
    const a = await runLokiAnalysis([REAL]);
    const m = buildLokiDashboard(a, 't', 'UTC', fleetReport(f, await readExpectedHosts(f), a.hosts));
    const t = m.tables.find((x) => x.id === 'coverage');
    assert.ok(t);
    assert.equal(t.rows.length, ERRORS_TABLE_LIMIT);
    assert.equal(t.rowFacets?.length, ERRORS_TABLE_LIMIT);
    assert.deepEqual(t.rows[999], ['WS00999', 'No scan', null]);
    assert.equal(t.title, 'Fleet coverage (1 of 2,501 expected scanned, 3 not on the list; first 1,000 of 2,503 rows)');
    const c = capture();
    await main(['loki', REAL, '--json', '--expected-hosts', f], c.io);
    assert.equal((JSON.parse(c.out()) as { coverage: { missing: string[] } }).coverage.missing.length, 2500);
  });
});

describe('fleetCoverage', () => {
  test('the real hosts against the list: by name, by short name, missing and unexpected', () => {
    const c = fleetCoverage(parseExpectedHosts(HOSTS_TXT).hosts, REAL_HOSTS);
    assert.equal(c.expected, 4);
    assert.equal(c.scanned, 3);
    assert.deepEqual(c.missing, ['WS-HR-07']);
    assert.deepEqual(c.unexpected, ['AD']);
    assert.deepEqual(c.shortNameMatches, [
      { expected: 'ds-ser1.corp.local', scanned: ['DS-SER1'] },
      { expected: 'Server1.corp.local', scanned: ['Server1'] },
    ]);
    assert.deepEqual(c.ambiguous, []);
  });

  test('a short name shared by two expected FQDNs is ambiguous: neither scanned nor missing', () => {
    const c = fleetCoverage(['ds1.corp.local', 'DS1.lab.local', ' ad '], REAL_HOSTS);
    assert.deepEqual(c.ambiguous, [{ scanned: 'DS1', candidates: ['ds1.corp.local', 'DS1.lab.local'] }]);
    assert.equal(c.scanned, 1); // ad = AD
    assert.deepEqual(c.missing, []);
    assert.deepEqual(c.unexpected, ['DS-SER1', 'Server1']);
    // one of the two scanned under its own FQDN: the bare scan is the other
    const d = fleetCoverage(['ds1.corp.local', 'DS1.lab.local'], ['DS1', 'ds1.LAB.local']);
    assert.deepEqual(d.ambiguous, []);
    assert.equal(d.scanned, 2);
    assert.deepEqual(d.shortNameMatches, [{ expected: 'ds1.corp.local', scanned: ['DS1'] }]);
  });

  test('an expected bare name is covered by a scanned FQDN; two FQDNs of other domains and IP addresses are not matched by label', () => {
    const c = fleetCoverage(['ds1', 'server1.corp.local', '10.0.0.5', '10.0.0.6'], ['DS1.corp.local', 'Server1.lab.local', '10.0.0.5', '10']);
    assert.deepEqual(c.shortNameMatches, [{ expected: 'ds1', scanned: ['DS1.corp.local'] }]);
    assert.deepEqual(c.missing, ['server1.corp.local', '10.0.0.6']);
    assert.deepEqual(c.unexpected, ['10', 'Server1.lab.local']);
    assert.equal(c.scanned, 2);
  });
});

describe('soc-analytics loki --expected-hosts', () => {
  test('text report: a Fleet coverage section with the hosts without a scan and the unexpected ones', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', TXT], c.io), 0);
    const out = c.out();
    const section = out.slice(out.indexOf('Fleet coverage'), out.indexOf('Hosts (times in UTC)'));
    assert.equal(
      section,
      `Fleet coverage (expected hosts: ${TXT})\n` +
        '  Expected: 4   Scanned: 3   Without a scan: 1   Scanned, not on the list: 1\n' +
        '  Expected hosts without a scan (1):\n    WS-HR-07\n' +
        '  Scanned hosts not on the list (1):\n    AD\n' +
        '  Matched by short name (2):\n    ds-ser1.corp.local ← scanned as DS-SER1\n    Server1.corp.local ← scanned as Server1\n' +
        '  1 host listed twice (counted once)\n' +
        `  1 line of the list not read:\n    ${TXT}:8: line "bad host name" is no host name: holds white space or a control character (one host per line); skipped\n\n`,
    );
    // without the option: no section (the report as before)
    const plain = capture();
    assert.equal(await main(['loki', REAL], plain.io), 0);
    assert.doesNotMatch(plain.out(), /Fleet coverage/);
  });

  test('--json: a coverage object with the full lists (CSV list)', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL, '--json', `--expected-hosts=${CSV}`], c.io), 0);
    const j = JSON.parse(c.out()) as { coverage: Record<string, unknown>; summary: { hosts: number } };
    assert.equal(j.summary.hosts, 4);
    assert.deepEqual(j.coverage, {
      file: CSV,
      format: 'csv',
      column: 'Computer Name',
      expected: 3,
      scanned: 2,
      missing: ['WS-HR-07.corp.local'],
      unexpected: ['AD', 'DS-SER1'],
      shortNameMatches: [{ expected: 'DS1.corp.local', scanned: ['DS1'] }],
      ambiguous: [],
      duplicates: 0,
      listProblems: [{ line: 5, message: 'no host in column "Computer Name"; skipped' }],
      listProblemCount: 1,
    });
    const plain = capture();
    await main(['loki', REAL, '--json'], plain.io);
    assert.equal('coverage' in (JSON.parse(plain.out()) as object), false);
  });

  test('a long list of hosts without a scan is capped in the text report ("… and N more")', async () => {
    const f = join(dir, 'many.txt');
    writeFileSync(f, ['DS1', ...Array.from({ length: 65 }, (_, i) => `WS${String(i + 1).padStart(3, '0')}`)].join('\n'));
    const c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', f], c.io), 0);
    const out = c.out();
    assert.match(out, /Without a scan: 65 /);
    assert.match(out, / {4}WS050\n {4}… and 15 more \(--json lists them all\)\n/);
    assert.doesNotMatch(out, /WS051/);
  });

  test('a missing list file, a folder or no value: a clear error and exit 2', async () => {
    let c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', join(dir, 'missing.txt')], c.io), 2);
    assert.equal(c.err(), `soc-analytics: --expected-hosts ${join(dir, 'missing.txt')}: no such file or directory\n`);
    assert.equal(c.out(), '');
    c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts', dir], c.io), 2);
    assert.match(c.err(), /is a folder: give the list file itself/);
    c = capture();
    assert.equal(await main(['loki', REAL, '--expected-hosts'], c.io), 2);
    assert.match(c.err(), /--expected-hosts needs a file/);
  });
});

describe('Loki dashboard: fleet coverage', () => {
  test('card "Expected hosts without a scan" opens the coverage table of the missing and unexpected hosts', async () => {
    const a = await runLokiAnalysis([REAL]);
    const m = buildLokiDashboard(a, 't', 'UTC', fleetReport(TXT, parseExpectedHosts(HOSTS_TXT), a.hosts));
    const card = m.cards.find((x) => x.id === 'expectedMissing');
    assert.deepEqual(card, { id: 'expectedMissing', label: 'Expected host without a scan', value: 1, tone: 'warning', tab: 'coverage' });
    assert.equal(m.cards[m.cards.findIndex((x) => x.id === 'hosts') + 1].id, 'expectedMissing');
    const t = m.tables.find((x) => x.id === 'coverage');
    assert.ok(t);
    assert.equal(t.title, 'Fleet coverage (3 of 4 expected scanned, 1 not on the list)');
    assert.deepEqual(t.columns.map((c) => c.title), ['Host', 'Status', 'Note']);
    assert.deepEqual(t.rows, [
      ['WS-HR-07', 'No scan', null],
      ['AD', 'Scanned, not on the list', null],
      ['ds-ser1.corp.local', 'Scanned (by short name)', 'scanned as DS-SER1'],
      ['Server1.corp.local', 'Scanned (by short name)', 'scanned as Server1'],
    ]);
    // a click on a scanned host's row filters the findings by it; a host without a scan has nothing to filter
    assert.deepEqual(t.rowFacets, [undefined, { host: 'AD' }, { host: 'DS-SER1' }, { host: 'Server1' }]);
    assert.deepEqual(m.notices?.map((n) => [n.id, n.title, n.lines]), [
      ['expectedHostsLines', 'Expected-hosts list: 1 line not read (the other hosts were)', [`${TXT}:8: line "bad host name" is no host name: holds white space or a control character (one host per line); skipped`]],
    ]);
    // all hosts scanned: an ok card
    const all = buildLokiDashboard(a, 't', 'UTC', fleetReport('l.txt', parseExpectedHosts(REAL_HOSTS.join('\n')), a.hosts));
    assert.deepEqual(all.cards.find((x) => x.id === 'expectedMissing'), { id: 'expectedMissing', label: 'Expected hosts without a scan', value: 0, tone: 'ok', tab: 'coverage' });
    assert.equal(all.notices, undefined);
    // without a list: no card, no table
    const none = buildLokiDashboard(a, 't', 'UTC');
    assert.equal(none.cards.some((x) => x.id === 'expectedMissing'), false);
    assert.equal(none.tables.some((x) => x.id === 'coverage'), false);
  });

  test('a list that could not be read: a warning notice, no card', async () => {
    const a = await runLokiAnalysis([REAL]);
    const err = await readExpectedHosts(join(dir, 'gone.txt')).then(
      () => '',
      (e: Error) => e.message,
    );
    const m = buildLokiDashboard(a, 't', 'UTC', { file: join(dir, 'gone.txt'), error: err });
    assert.equal(m.cards.some((x) => x.id === 'expectedMissing'), false);
    assert.deepEqual(m.notices?.map((n) => [n.severity, n.title, n.lines[0]]), [['warning', 'Expected-hosts list not read — no fleet coverage', `cannot read the expected-hosts list ${join(dir, 'gone.txt')}: no such file`]]);
  });
});
