/**
 * Findings of the first-use trial of 2026-12-04 (branch trial-1204b): what a subcommand's --help says against the
 * top-level usage and the README.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { main, USAGE } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { noInputMessage } from '../../src/core/analyze/no-input';
import { beaconColumns } from '../../src/core/analyze/beacons/dashboard';
import { commonFolder } from '../../src/core/path-names';
import { capture } from './cli-capture';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

/** The usage block of `<cmd> --help`, joined onto one line (its continuation lines' indentation differs). */
async function helpText(cmd: string): Promise<string> {
  const c = capture();
  assert.equal(await main([cmd, '--help'], c.io), 0, c.err());
  return c.out();
}
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

test('beacons --help: its usage line gives --internal none and the --map presets, as soc-analytics --help does', async () => {
  const h = oneLine(await helpText('beacons'));
  const top = oneLine(USAGE);
  for (const part of ['[--internal CIDR,…|none]', '[--map col=field,…|zeek-http|firewall-csv|qradar-flows]']) {
    assert.ok(top.includes(part), `top-level usage: ${part}`);
    assert.ok(h.includes(part), `beacons --help usage lacks ${part}: ${h.slice(0, 400)}`);
  }
});

test('kpi --help: says --zone is --tz (the README: "--zone or --tz in loki, qradar, beacons and kpi") and gives its exit codes', async () => {
  const h = await helpText('kpi');
  assert.match(oneLine(h), /--tz ZONE display zone for weeks and times \(default UTC; --zone is the same option\); not the shifts, which are counted in --shift-zone/);
  // as the other subcommands' help: exit 2 also when the tagging rules cannot be used, 3 when no case was read
  assert.match(oneLine(h), /Exit codes: 0 success, 1 unexpected failure, 2 bad arguments, an unreadable path or a tagging rules file that cannot be used \(the report is still printed\), 3 no case in the case files/);
});

test('Loki dashboard: the Rules and Top files tables name their count column Findings, as the CLI (FINDINGS) and the Markdown summary do', async () => {
  const a = await runLokiAnalysis([REAL]);
  const m = buildLokiDashboard(a, 't', 'UTC');
  const header = (id: string) => m.tables.find((t) => t.id === id)!.columns.map((c) => c.title);
  // it was "Count": a count of what? The Hashes tab already says Findings
  assert.deepEqual(header('rules'), ['Rule', 'Max level', 'Kind', 'Findings', 'Alerts', 'Warnings', 'Notices', 'Hosts', 'Description']);
  assert.deepEqual(header('files'), ['Path', 'Findings', 'Hosts', 'Max score']);
  const rules = m.tables.find((t) => t.id === 'rules')!;
  assert.deepEqual(rules.rows.find((r) => r[0] === 'psexec_generic'), ['psexec_generic', 'WARNING', 'yara', 4, 0, 4, 0, 1, 'not set']);
  assert.ok(header('hashes').includes('Findings'));
});

test('loki on a gzipped Loki log or a zip of logs: the skip reason says it is compressed and to extract it (it said "not a log file (.gz)")', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trial-1204b-gz-'));
  try {
    const log = readFileSync(join(REAL, 'scan_result (2).log'));
    writeFileSync(join(dir, 'scan_result (2).log.gz'), gzipSync(log));
    writeFileSync(join(dir, 'hosts.zip'), Buffer.from('PK\u0003\u0004'));
    writeFileSync(join(dir, 'tool.exe'), Buffer.from('MZ'));
    const c = capture();
    assert.equal(await main(['loki', dir], c.io), 3, c.err());
    const out = c.out();
    assert.match(out, /scan_result \(2\)\.log\.gz: compressed file or archive \(\.gz\): not read — extract it first\n/);
    assert.match(out, /hosts\.zip: compressed file or archive \(\.zip\): not read — extract it first\n/);
    assert.match(out, /tool\.exe: not a log file \(\.exe\)\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no input of the kind: the notification names how many files were skipped and the first two with their reason', async () => {
  const a = await runLokiAnalysis([path.resolve(REAL, '../../qradar/samples')]);
  assert.equal(a.files.length, 0);
  assert.equal(
    noInputMessage('Loki', 'samples', a.skipped),
    'SOC Analytics: no Loki files found in “samples”. 9 files skipped — ariel_search_results.json: not Loki output: none of its 5 lines matches a Loki format; ' +
      'ariel_search_status.json: not Loki output: its one line does not match a Loki format; … and 7 more (each in the SOC Analytics log).',
  );
  assert.equal(noInputMessage('Cases', 'empty'), 'SOC Analytics: no Cases files found in “empty”.');
});

test('beacon table header tooltips do not say the column name twice ("Timing score: timing score 0–1: …")', () => {
  // the tooltip is "<title>: <description> — click to sort…"; the descriptions began with the title again
  for (const c of beaconColumns('UTC').filter((x) => x.description)) {
    assert.ok(!c.description!.toLowerCase().startsWith(c.title.toLowerCase()), `${c.title}: ${c.description}`);
    if (/score/i.test(c.id)) assert.match(c.description!, /^(beacon score )?0–1[:,] .*1 = /, c.id);
  }
  assert.equal(beaconColumns('UTC').find((c) => c.id === 'tsScore')!.description, '0–1: how regular the intervals between connections are (Bowley skew and MAD of the intervals); 1 = a fixed interval');
});

test('commonFolder: the folder the Markdown inputs line names once (POSIX and Windows paths; none for the root alone)', () => {
  assert.equal(commonFolder(['/ev/zeek/day/conn.00.log.gz', '/ev/zeek/day/conn.01.log.gz']), '/ev/zeek/day');
  assert.equal(commonFolder(['/ev/zeek/day/conn.log', '/ev/qradar/offenses.json']), '/ev');
  assert.equal(commonFolder(['C:\\ev\\a.log', 'C:\\ev\\b\\c.log']), 'C:\\ev');
  assert.equal(commonFolder(['/a.log', '/b/c.log']), '');
  assert.equal(commonFolder(['C:\\a.log', 'D:\\b.log']), '');
  assert.equal(commonFolder(['scan.log']), '');
  assert.equal(commonFolder([]), '');
});
