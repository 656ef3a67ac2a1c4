/**
 * File names are attacker-controlled too (a folder collected from an endpoint): a line break in a name must not start
 * a line of its own in the CLI text reports (a forged `Findings read: 0 alerts` line), in any list of problems or
 * skipped files — qradar and kpi already wrote such names as `\u000a`; loki and beacons wrote them raw.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-names-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const FORGED = 'FORGED: 0 alerts';
const evilName = (ext: string) => `x\n${FORGED}\r${FORGED}.${ext}`;

/** Lines of `text` that start with the forged text (after indentation). */
const forgedLines = (text: string) => text.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith(FORGED));

test('loki text report: a skipped file and a file with unparsed lines, both named with line breaks, are one line each', async () => {
  const dir = join(TMP, 'loki');
  mkdirSync(dir);
  // not Loki output: skipped with its name
  writeFileSync(join(dir, evilName('log')), 'hello\nworld\n');
  // a real Loki log with an unparsed line after its findings, under a hostile name
  writeFileSync(
    join(dir, evilName('txt')),
    '20250312T03:44:10Z web01 LOKI: Warning: MODULE: FileScan MESSAGE: FILE: /tmp/x.exe SCORE: 60 TYPE: EXE SIZE: 98 ' +
      'MD5: eb64742c8a91693e57b92f7b61f2b49a REASON_1: Yara Rule MATCH: Foo SUBSCORE: 60 DESCRIPTION: d\n' +
      '20250312T03:44:11Z web01 LOKI: Warning: MODULE: FileScan MESSAGE: FILE: /x SIZE: 1\n',
  );
  const c = capture();
  await main(['loki', dir], c.io);
  const out = c.out();
  assert.match(out, /file skipped|files skipped/);
  assert.match(out, /x\\u000aFORGED: 0 alerts\\u000dFORGED: 0 alerts\.log: not Loki output/);
  assert.match(out, /unparsed line.* first: .*x\\u000aFORGED: 0 alerts\\u000dFORGED: 0 alerts\.txt:\d+ /);
  assert.deepEqual(forgedLines(out), []);
});

test('beacons text report: skipped files and unreadable lines named with line breaks are one line each', async () => {
  const dir = join(TMP, 'beacons');
  mkdirSync(dir);
  writeFileSync(join(dir, evilName('log')), 'hello\nworld\n');
  const header =
    '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\n';
  let rows = '';
  for (let i = 0; i < 20; i++) rows += `${1713484800 + i * 60}.0\tC${i}\t10.0.0.1\t5000\t192.0.2.4\t443\ttcp\n`;
  writeFileSync(join(dir, `conn-${evilName('log')}`), `${header}1e400\tCbad\t10.0.0.1\t5000\t192.0.2.4\t443\ttcp\n${rows}`);
  const c = capture();
  await main(['beacons', dir], c.io);
  const out = c.out();
  assert.match(out, /conn-x\\u000aFORGED: 0 alerts\\u000dFORGED: 0 alerts\.log:4 unreadable ts/);
  assert.match(out, /x\\u000aFORGED: 0 alerts\\u000dFORGED: 0 alerts\.log: not a Zeek log/);
  assert.deepEqual(forgedLines(out), []);
});

test('tz convert: the input and output names with line breaks are one line each', async () => {
  const dir = join(TMP, 'tz');
  mkdirSync(dir);
  const input = join(dir, evilName('csv'));
  writeFileSync(input, 'time,msg\n2024-01-01T00:00:00Z,x\nbad,y\n');
  const c = capture();
  assert.equal(await main(['tz', 'convert', input, '--to', 'UTC', '--out', join(dir, `out-${evilName('csv')}`)], c.io), 0, c.err());
  const out = c.out();
  assert.match(out, /^x\\u000aFORGED: 0 alerts\\u000dFORGED: 0 alerts\.csv → .*out-x\\u000aFORGED: 0 alerts\\u000dFORGED: 0 alerts\.csv\n/);
  assert.deepEqual(forgedLines(out), []);
});
