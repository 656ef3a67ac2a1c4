/**
 * `loki --json` list order (README, Command line): `hosts` as the text report's Hosts table (most alerts, warnings,
 * notices, then name), `setAside` by host then scan start (oldest first), `findings` in file/line order (files by
 * path). The same document whatever order the paths are given in. Real data: /work/shared/data/loki/real-2021-2022
 * (`scan_result (1).log` is DS-SER1, `(2).log` AD, `(3).log` Server1, all scanned 2021-10-13; rescans made by moving
 * every time stamp to another day).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

async function json(args: string[]): Promise<{ hosts: { host: string; scanStart: string }[]; setAside: { host: string; file: string; scanStart: string }[]; findings: { host: string; source: { file: string; line: number } }[] }> {
  const c = capture();
  assert.equal(await main(['loki', '--json', ...args], c.io), 0, c.err());
  return JSON.parse(c.out());
}

test('real logs: hosts most alerts/warnings first, findings by file then line', async () => {
  const j = await json([REAL]);
  // DS1 6 alerts, DS-SER1 1 alert, Server1 0 alerts 4 warnings, AD clean (as the text report's Hosts table)
  assert.deepEqual(j.hosts.map((h) => h.host), ['DS1', 'DS-SER1', 'Server1', 'AD']);
  const where = j.findings.map((f) => `${f.source.file.slice(REAL.length + 1)}:${f.source.line}`);
  // 11 findings of the csv (DS1), 4 of (1).log (DS-SER1), none of (2).log (AD), 4 of (3).log (Server1)
  assert.equal(where.length, 19);
  assert.deepEqual(where.slice(0, 2), ['scan_result (1).csv:16', 'scan_result (1).csv:17']);
  assert.deepEqual(where.slice(10, 12), ['scan_result (1).csv:27', 'scan_result (1).log:15']);
  assert.deepEqual(where.slice(-2), ['scan_result (3).log:18', 'scan_result (3).log:19']);
  // the file names sort ' (1).csv' < ' (1).log' < ' (3).log' and each file's lines rise
  const sorted = [...j.findings].sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line));
  assert.deepEqual(j.findings, sorted);
});

test('setAside by host, then scan start, whatever the file names and the order of the paths', async () => {
  const d = mkdtempSync(join(tmpdir(), 'soc-json-order-'));
  try {
    const server1 = readFileSync(join(REAL, 'scan_result (3).log'), 'utf8');
    const dsSer1 = readFileSync(join(REAL, 'scan_result (1).log'), 'utf8');
    // path order: a (Server1 Oct 6), b (Server1 Oct 1), c (DS-SER1 Sep 30), then the kept latest scans
    writeFileSync(join(d, 'a.log'), server1.replaceAll('20211013T', '20211006T'));
    writeFileSync(join(d, 'b.log'), server1.replaceAll('20211013T', '20211001T'));
    writeFileSync(join(d, 'c.log'), dsSer1.replaceAll('20211013T', '20210930T'));
    writeFileSync(join(d, 'd.log'), server1);
    writeFileSync(join(d, 'e.log'), dsSer1);
    const j = await json([d]);
    // before, in file path order: Server1 Oct 6, Server1 Oct 1, DS-SER1 Sep 30
    assert.deepEqual(
      j.setAside.map((x) => [x.host, x.scanStart, x.file.slice(d.length + 1)]),
      [
        ['DS-SER1', '2021-09-30T22:11:03Z', 'c.log'],
        ['Server1', '2021-10-01T21:11:45Z', 'b.log'],
        ['Server1', '2021-10-06T21:11:45Z', 'a.log'],
      ],
    );
    // kept: DS-SER1 (1 alert) before Server1 (0 alerts); the findings of d.log (Server1) before e.log (DS-SER1): file order
    assert.deepEqual(j.hosts.map((h) => [h.host, h.scanStart]), [['DS-SER1', '2021-10-13T22:11:03Z'], ['Server1', '2021-10-13T21:11:45Z']]);
    assert.deepEqual([...new Set(j.findings.map((f) => f.source.file.slice(d.length + 1)))], ['d.log', 'e.log']);
    // the files named one by one, in reverse: the same document
    const rev = await json(['e.log', 'd.log', 'c.log', 'b.log', 'a.log'].map((f) => join(d, f)));
    assert.deepEqual(rev, j);
    // the text report lists the set-aside scans in the same order
    const c = capture();
    assert.equal(await main(['loki', d], c.io), 0, c.err());
    const lines = c.out().split('\n').filter((l) => /^ {4}(DS-SER1|Server1): scan started/.test(l)).map((l) => l.trim().split(' in ')[0]);
    assert.deepEqual(lines, ['DS-SER1: scan started 2021-09-30 22:11:03', 'Server1: scan started 2021-10-01 21:11:45', 'Server1: scan started 2021-10-06 21:11:45']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
