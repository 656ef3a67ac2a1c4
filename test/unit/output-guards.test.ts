/**
 * Output files never overwrite an input (hostile-input review 2026-12-06, F2): an --md / --html file that is a file
 * found inside a named folder, a list read beside the offenses, or a hard or symbolic link to an input is refused
 * with exit 2, nothing written (no report on stdout, the input unchanged).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { outputFileProblem, outputIsInputProblem, writeOutputFile } from '../../src/core/cli-support';
import { execFileSync } from 'node:child_process';
import { capture } from './cli-capture';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');

/** A fresh folder `name` under a new temporary folder holding copies of `files` (source → name). */
function folderWith(files: Record<string, string>): { root: string; dir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'soc-guards-'));
  const dir = path.join(root, 'evidence');
  mkdirSync(dir);
  for (const [name, src] of Object.entries(files)) copyFileSync(src, path.join(dir, name));
  return { root, dir };
}

const LOKI_LOG = path.join(DATA, 'loki/real-2021-2022/scan_result (3).log');
const OFFENSES = path.join(DATA, 'qradar/samples/offenses.json');
const REASONS = path.join(DATA, 'qradar/samples/offense_closing_reasons.json');
const CONN = path.join(DATA, 'zeek/day-2024-04-19/conn.00:00:00-01:00:00.log.gz');
const CASES = path.join(FIX, 'cases/kpi-small.csv');

describe('an output file that is an input found inside a named folder: exit 2, nothing written', () => {
  const cases: { cmd: string; files: Record<string, string>; out: string; option: string }[] = [
    { cmd: 'loki', files: { 'a.csv': LOKI_LOG }, out: 'a.csv', option: '--md' },
    { cmd: 'qradar', files: { 'offenses.json': OFFENSES, 'offense_closing_reasons.json': REASONS }, out: 'offenses.json', option: '--md' },
    // a list read beside the offenses is an input too
    { cmd: 'qradar', files: { 'offenses.json': OFFENSES, 'offense_closing_reasons.json': REASONS }, out: 'offense_closing_reasons.json', option: '--md' },
    { cmd: 'beacons', files: { 'conn.log.gz': CONN }, out: 'conn.log.gz', option: '--md' },
    { cmd: 'kpi', files: { 'kpi-small.csv': CASES }, out: 'kpi-small.csv', option: '--html' },
    { cmd: 'kpi', files: { 'kpi-small.csv': CASES }, out: 'kpi-small.csv', option: '--md' },
    { cmd: 'kpi', files: { 'offenses.json': OFFENSES, 'offense_closing_reasons.json': REASONS }, out: 'offense_closing_reasons.json', option: '--md' },
  ];
  for (const c of cases) {
    it(`${c.cmd} <folder> ${c.option} <folder>/${c.out}`, async () => {
      const { dir } = folderWith(c.files);
      const target = path.join(dir, c.out);
      const before = readFileSync(target);
      const io = capture();
      assert.equal(await main([c.cmd, dir, c.option, target], io.io), 2, io.err());
      assert.match(io.err(), new RegExp(`^soc-analytics: ${c.option} .*${c.out.replace(/\./g, '\\.')}: is one of the inputs; give another file name\nTry "soc-analytics ${c.cmd} --help"\\.\n$`));
      assert.equal(io.out(), '', 'no report printed');
      assert.deepEqual(readFileSync(target), before, 'the input is unchanged');
    });
  }

  it('loki: --md through a hard link or a symbolic link (outside the folder) to a file of the folder', async () => {
    const { root, dir } = folderWith({ 'a.csv': LOKI_LOG });
    const input = path.join(dir, 'a.csv');
    const before = readFileSync(input);
    linkSync(input, path.join(root, 'hard.md'));
    symlinkSync(input, path.join(root, 'sym.md'));
    for (const name of ['hard.md', 'sym.md']) {
      const io = capture();
      assert.equal(await main(['loki', dir, '--md', path.join(root, name)], io.io), 2, name);
      assert.match(io.err(), new RegExp(`--md .*${name}: is one of the inputs \\(${input.replace(/[.\\/]/g, '\\$&')}\\); give another file name`));
      assert.equal(io.out(), '');
      assert.deepEqual(readFileSync(input), before);
    }
  });

  it('loki: --md naming the --expected-hosts list', async () => {
    const { root, dir } = folderWith({ 'a.log': LOKI_LOG });
    const hosts = path.join(root, 'hosts.txt');
    writeFileSync(hosts, 'AD\nDS1\n');
    const io = capture();
    assert.equal(await main(['loki', dir, '--expected-hosts', hosts, '--md', hosts], io.io), 2);
    assert.match(io.err(), /--md .*hosts\.txt: is one of the inputs; give another file name/);
    assert.equal(readFileSync(hosts, 'utf8'), 'AD\nDS1\n');
  });

  it('a summary file kept in the evidence folder (not an input) is still replaced on a second run', async () => {
    const { dir } = folderWith({ 'a.log': LOKI_LOG });
    const md = path.join(dir, 'summary.md');
    for (const run of [1, 2]) {
      const io = capture();
      assert.equal(await main(['loki', dir, '--md', md], io.io), 0, `run ${run}: ${io.err()}`);
      assert.match(readFileSync(md, 'utf8'), /^# /);
    }
    assert.ok(existsSync(path.join(dir, 'a.log')));
  });
});

describe('outputIsInputProblem', () => {
  it('names the first output that is an input; a new output file is none', () => {
    const { root, dir } = folderWith({ 'a.csv': CASES });
    const input = path.join(dir, 'a.csv');
    linkSync(input, path.join(root, 'b.md'));
    assert.equal(outputIsInputProblem([{ option: '--html', given: path.join(root, 'new.html') }], [input]), undefined);
    assert.equal(outputIsInputProblem([{ option: '--md', given: path.join(root, 'b.md') }], [path.join(root, 'other.csv')]), undefined);
    assert.equal(
      outputIsInputProblem([{ option: '--html', given: path.join(root, 'new.html') }, { option: '--md', given: path.join(root, 'b.md') }], [path.join(root, 'missing.csv'), input]),
      `--md ${path.join(root, 'b.md')}: is one of the inputs (${input}); give another file name`,
    );
  });
});

describe('an output path that is a FIFO, socket or device: exit 2 before any work, never a hang (F8)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'soc-guards-fifo-'));
  const fifo = path.join(root, 'out.md');
  execFileSync('mkfifo', [fifo]);
  const cases: { args: string[]; option: string; cmd: string }[] = [
    { cmd: 'loki', args: ['loki', LOKI_LOG, '--md', fifo], option: '--md' },
    { cmd: 'qradar', args: ['qradar', OFFENSES, '--md', fifo], option: '--md' },
    { cmd: 'beacons', args: ['beacons', CONN, '--md', fifo], option: '--md' },
    { cmd: 'kpi', args: ['kpi', CASES, '--md', fifo], option: '--md' },
    { cmd: 'kpi', args: ['kpi', CASES, '--html', fifo], option: '--html' },
    { cmd: 'tz', args: ['tz', 'convert', CASES, '--to', 'UTC', '--from', 'UTC', '--out', fifo, '--force'], option: '--out' },
  ];
  for (const c of cases) {
    it(c.args.join(' ').replace(root, '<tmp>'), { timeout: 15_000 }, async () => {
      const io = capture();
      assert.equal(await main(c.args, io.io), 2, io.err());
      assert.match(io.err(), new RegExp(`^soc-analytics: ${c.option} \\S+: is not a regular file \\(a FIFO, socket or block device; /dev/stdout prints the output\\); give a file name\nTry "soc-analytics ${c.cmd} --help"\\.\n$`));
      assert.equal(io.out(), '', 'refused before any work');
    });
  }

  it('writeOutputFile: a FIFO put in place after the checks fails at once (ENXIO), a regular file is replaced', { timeout: 15_000 }, async () => {
    await assert.rejects(writeOutputFile(fifo, 'x'), { code: 'ENXIO' });
    const f = path.join(root, 'r.md');
    writeFileSync(f, 'a much longer old content\n');
    await writeOutputFile(f, 'new\n');
    assert.equal(readFileSync(f, 'utf8'), 'new\n');
    assert.equal(outputFileProblem(fifo), 'is not a regular file (a FIFO, socket or block device; /dev/stdout prints the output); give a file name');
    assert.equal(outputFileProblem(f), undefined);
  });
});

describe('stream outputs are still written: /dev/null, and /dev/stdout when stdout is a pipe', () => {
  const CLI = path.resolve(__dirname, '../../../dist/cli.js');
  it('kpi --md /dev/null: exit 0', async () => {
    const io = capture();
    assert.equal(await main(['kpi', CASES, '--md', '/dev/null', '--as-of', '2026-03-10T12:00:00Z'], io.io), 0, io.err());
    assert.equal(outputFileProblem('/dev/null'), undefined);
  });
  it('kpi --md /dev/stdout | …: the Markdown report arrives on the pipe (the built CLI in a child process)', () => {
    // through a shell pipe (a FIFO): Node's own child stdio is a socket, which /dev/stdout cannot open
    const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
    const out = execFileSync('sh', ['-c', `${q(process.execPath)} ${q(CLI)} kpi ${q(CASES)} --md /dev/stdout --as-of 2026-03-10T12:00:00Z | cat`], { encoding: 'utf8' });
    assert.match(out, /^# .*KPI/m);
    assert.match(out, /\| .* \| .* \|/); // a Markdown table of the report
  });
});
