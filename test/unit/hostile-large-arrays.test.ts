/**
 * Inputs with more rows than a function call takes arguments: `push(...rows)` and `Math.max(...column)` throw
 * RangeError (Maximum call stack size exceeded) past ~120,000 items with Node's default stack, so `kpi` on a
 * 200,000-case export, `qradar` on a 200,000-row Log Activity export and `loki` on a log of 200,000 hosts stopped with
 * exit 1 and no report (the extension's analyses too: same core). The built CLI is run with a smaller stack
 * (`--stack-size=150`, about a sixth) so that 30,000 rows show the same failure in a fraction of the time.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DIST = resolve(__dirname, '../../../dist/cli.js');
const TMP = mkdtempSync(join(tmpdir(), 'soc-large-arrays-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const N = 30_000;
const run = (args: string[]) => spawnSync(process.execPath, ['--stack-size=150', DIST, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });

test('kpi: 30,000 cases, each closed before it was created (30,000 problems), are read and reported', () => {
  const f = join(TMP, 'cases.csv');
  let text = 'id,created,closed,severity\n';
  for (let i = 0; i < N; i++) text += `C-${i},2024-01-02T00:00:00Z,2024-01-01T00:00:00Z,High\n`;
  writeFileSync(f, text);
  const r = run(['kpi', f, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { cases: number; kpis: { mttr: { reason?: string; value?: unknown } } };
  assert.equal(doc.cases, N);
  assert.doesNotMatch(r.stderr, /call stack/);
});

test('qradar: a Log Activity export of 30,000 rows is read', () => {
  const f = join(TMP, 'log_activity.csv');
  let text = 'Event Name,Log Source,Event Count,Start Time,Low Level Category,Source IP,Source Port,Destination IP,Destination Port,Username,Magnitude\n';
  const row = '"Failure Audit: An account failed to log on","WindowsAuthServer @ dc02.corp.example","6","Mar 3, 2026, 2:20:05 PM","User Login Failure","10.20.14.77","0","10.20.1.12","0","svc_backup","5"\n';
  for (let i = 0; i < N; i++) text += row;
  writeFileSync(f, text);
  const r = run(['qradar', f, '--console-tz', 'UTC']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Log Activity exports: 30,?000 event rows \(event count 180,?000\)/);
});

test('loki: a log of 30,000 hosts is reported (the Hosts table of 30,000 rows)', () => {
  const f = join(TMP, 'many-hosts.log');
  let text = '';
  for (let i = 0; i < N; i++)
    text +=
      `20250312T03:44:10Z host${i} LOKI: Warning: MODULE: FileScan MESSAGE: FILE: /tmp/x${i}.exe SCORE: 60 TYPE: EXE SIZE: 98 ` +
      `MD5: eb64742c8a91693e57b92f7b61f2b49a REASON_1: Yara Rule MATCH: R${i} SUBSCORE: 60 DESCRIPTION: d\n`;
  writeFileSync(f, text);
  const md = join(TMP, 'summary.md');
  const r = run(['loki', f, '--md', md]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Loki results: 1 file, 30000 hosts\n/);
  assert.match(r.stdout, /\nhost29999 +Suspicious objects detected/);
});
