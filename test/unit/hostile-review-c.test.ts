/**
 * Hostile review C (the tenth-and-eleventh session diff): the memory check of a file to be rewritten follows the reader
 * that reads it, not its name (a Zeek log named .csv ran `tz convert` out of memory; a CSV named .txt was refused
 * again); the problems of kept connection records no longer take the slots of unreadable ones; an option value of
 * white space only is no value.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTabular } from '../../src/core/parse/cases-input';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-c-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const tmpFile = (name: string, text: string) => {
  const f = join(TMP, name);
  writeFileSync(f, text);
  return f;
};
// 1 MB a record: 10,000 records need ~10 GB (refused), a handful a few MB
const COST = { perRecord: 1_000_000, perCell: 0, perByte: 0 };

describe('the memory check of a rewrite follows the reader, not the name', () => {
  const zeek =
    '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\tts\tuid\tid.orig_h\n#types\ttime\tstring\taddr\n' +
    '1713484796.5\tC1\t10.0.0.1\n' + '\n'.repeat(10_000) + '1713484797.5\tC2\t10.0.0.2\n';
  test('a Zeek log named .csv keeps its blank lines: refused like the same log named .log (it ran out of memory)', async () => {
    for (const name of ['zeek-blank.log', 'zeek-blank.csv']) {
      const t = await readTabular(tmpFile(name, zeek), undefined, { timestampLog: true, memory: COST });
      assert.equal(t.rows.length, 0, name);
      assert.match(t.errors[0]?.message ?? '', /^too large to read in memory: about 10,0\d\d records/, name);
    }
  });
  test('a CSV named .txt with a quoted field of 6,000 line breaks is read (its reader skips blank lines), as under .csv', async () => {
    // (6,000 blank lines counted as records would need ~6 GB at COST: refused; one record holds at most 10,000 lines)
    const csv = 'timestamp,title\n2024-03-05T10:00:00Z,"a' + '\n'.repeat(6_000) + 'b"\n2024-03-05T10:00:01Z,c\n';
    for (const name of ['quoted-blank.csv', 'quoted-blank.txt']) {
      const t = await readTabular(tmpFile(name, csv), undefined, { timestampLog: true, memory: COST });
      assert.deepEqual(t.errors.filter((e) => /too large/.test(e.message)), [], name);
      assert.equal(t.rows.length, 2, name);
    }
  });
});

describe('connection CSV: problems of kept records are listed apart from unreadable records', () => {
  // 1,500 records of 3 fields (kept, each with a warning), 5 unreadable times, then one port 70000 (kept, a warning)
  const rows = ['timestamp,src_ip,dst_ip,dst_port,bytes_sent,bytes_received,protocol'];
  for (let i = 0; i < 1500; i++) rows.push(`${1_700_000_000 + 60 * i},10.0.0.1,93.184.216.34`);
  for (let i = 0; i < 5; i++) rows.push('not-a-time,10.0.0.1,93.184.216.34,443,10,10,tcp');
  rows.push('1700090000,10.0.0.1,93.184.216.34,70000,10,10,tcp');
  test('beacons --json: the 5 unreadable records are named at their lines; 100 warnings listed and the other 1,401 counted', async () => {
    const f = tmpFile('short-then-bad.csv', rows.join('\n') + '\n');
    const c = capture();
    assert.equal(await main(['beacons', f, '--map', 'firewall-csv', '--json'], c.io), 0, c.err());
    const errors = (JSON.parse(c.out()) as { errors: { line: number; message: string }[] }).errors;
    const unreadable = errors.filter((e) => /not-a-time|time/i.test(e.message) && e.line >= 1502 && e.line <= 1506);
    assert.deepEqual(unreadable.map((e) => e.line), [1502, 1503, 1504, 1505, 1506]);
    const kept = errors.filter((e) => e.line > 0 && /record is kept/.test(e.message));
    assert.equal(kept.length, 100);
    assert.deepEqual(errors.filter((e) => e.line === 0 && /more records kept with a problem not listed/.test(e.message)).map((e) => e.message), [
      '1,401 more records kept with a problem not listed',
    ]);
    assert.equal(errors.filter((e) => /more unreadable records not listed/.test(e.message)).length, 0);
  });
  test('beacons text report: 1,501 warnings counted, the unreadable lines named', async () => {
    const f = tmpFile('short-then-bad-2.csv', rows.join('\n') + '\n');
    const c = capture();
    assert.equal(await main(['beacons', f, '--map', 'firewall-csv'], c.io), 0, c.err());
    assert.match(c.out(), /^5 unreadable lines — first: .*short-then-bad-2\.csv:1502/m);
    assert.match(c.out(), /^1,501 warnings \(records kept\):$/m);
    assert.match(c.out(), /… and 1,476 more \(--json lists the first 100 of each file\)/);
  });
});

describe('an option value of white space only is no value', () => {
  const cases = () => tmpFile('cases.csv', 'Case ID,Title,Created,Closed\nC-1,Phish,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z\n');
  for (const args of [['--md= '], ['--md', '  '], ['--rules', ' '], ['--as-of', '\t']]) {
    test(`kpi ${JSON.stringify(args)}: exit 2 "needs a value", no file written`, async () => {
      const c = capture();
      const cwd = process.cwd();
      process.chdir(TMP);
      try {
        assert.equal(await main(['kpi', cases(), ...args], c.io), 2);
      } finally {
        process.chdir(cwd);
      }
      assert.match(c.err(), /needs a value/);
      assert.equal(existsSync(join(TMP, ' ')) || existsSync(join(TMP, '  ')), false);
    });
  }
  test('loki --md " ": exit 2 "--md needs a file name"', async () => {
    const c = capture();
    assert.equal(await main(['loki', join(__dirname, '../../../test/fixtures/loki'), '--md', ' '], c.io), 2);
    assert.match(c.err(), /--md needs a file name/);
  });
});
