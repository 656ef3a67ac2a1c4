#!/usr/bin/env node
/**
 * `npm run bench`: our CLI against a pandas baseline on the same generated files, in the same run.
 *
 *   node bench/run.mjs [--scale 1,2,4,8] [--only loki,qradar,beacons] [--no-pandas] [--no-eld]
 *                      [--data /tmp/soc-bench] [--runs 3]
 *
 * For every kind and scale: generates the data (bench/gen.mjs, seeded, cached under --data), runs
 * `node dist/cli.js <kind> <folder> --json` and `node dist/cli.js <kind> <folder>` (the text
 * report: summary tables, like the counts the pandas scripts print; output discarded) and
 * `python3 bench/pandas_<kind>.py`
 * under `/usr/bin/time` (wall time and peak RSS), plus bench/inproc.mjs (analysis time without
 * process start and output, retained heap of the result; the median of `--runs` runs, 3 by default). At the largest scale, bench/eld.mjs
 * measures the main thread's event-loop delay while dist/worker.js runs the job. Prints a table
 * and writes bench/results.json. Scale 8 is the issue's full size (see bench/gen.mjs).
 * Debian's python3-pandas is installed through apt-get when `import pandas` fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const opt = (n, d) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : d;
};
const scales = opt('--scale', '1,2,4,8').split(',').map(Number);
const only = opt('--only', 'loki,qradar,beacons').split(',');
const data = opt('--data', '/tmp/soc-bench');
const withPandas = !argv.includes('--no-pandas');
const withEld = !argv.includes('--no-eld');
/** In-process analysis runs per kind and scale (odd: the median is one of them). */
const INPROC_RUNS = Math.max(1, Number(opt('--runs', '3')) | 1);
const PY = '/usr/bin/python3';
const DIR = { loki: 'loki', qradar: 'qradar', beacons: 'zeek' };

function ensurePandas() {
  if (spawnSync(PY, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0) return;
  process.stderr.write('python3-pandas missing: installing with apt-get…\n');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit' }).status;
  if (run(['apt-get', 'install', '-y', 'python3-pandas']) !== 0) {
    run(['apt-get', 'update']);
    if (run(['apt-get', 'install', '-y', 'python3-pandas']) !== 0) throw new Error('could not install python3-pandas');
  }
}

/** Runs a command under /usr/bin/time; returns wall seconds, peak RSS bytes and stdout. */
function timed(cmd, args, { keepStdout = true } = {}) {
  const tf = join(data, `.time-${process.pid}`); // per process: benchmarks of other checkouts run at the same time
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', tf, cmd, ...args], { maxBuffer: 1 << 30, encoding: keepStdout ? 'utf8' : 'buffer', stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
  const [wall, kb] = readFileSync(tf, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  rmSync(tf, { force: true });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${String(r.stderr).slice(-500)}`);
  return { wall, peak: kb * 1024, stdout: keepStdout ? String(r.stdout) : '' };
}

function folderBytes(dir) {
  let n = 0;
  for (const f of readdirSync(dir)) if (!f.startsWith('.')) n += statSync(join(dir, f)).size;
  return n;
}

mkdirSync(data, { recursive: true });
if (withPandas) ensurePandas();
if (!existsSync(join(root, 'dist', 'cli.js')) || !existsSync(join(root, 'dist', 'worker.js')) || !existsSync(join(root, 'dist', 'zeek-worker.js'))) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
// one build folder per checkout (worktrees benchmark side by side); the beacon parse-worker entry
// goes next to the in-process bundle, as dist/zeek-worker.js sits next to dist/cli.js
const buildDir = join(data, `build-${basename(resolve(root))}`);
mkdirSync(buildDir, { recursive: true });
const bundle = join(buildDir, 'core.cjs');
// (jsonc-parser's main is a UMD build that loads its modules at run time: bundle its ES module build, as scripts/build.mjs)
const esb = (entry, out) => execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [entry, '--bundle', '--platform=node', '--format=cjs', '--target=node20', '--alias:jsonc-parser=jsonc-parser/lib/esm/main.js', `--outfile=${out}`, '--log-level=warning'], { stdio: 'inherit' });
esb(join(here, 'core-entry.ts'), bundle);
esb(join(root, 'src', 'core', 'analyze', 'beacons', 'zeek-worker.ts'), join(buildDir, 'zeek-worker.js'));

const rows = [];
for (const kind of only) {
  for (const scale of scales) {
    const dir = execFileSync(process.execPath, [join(here, 'gen.mjs'), DIR[kind], '--scale', String(scale), '--out', data], { encoding: 'utf8' }).trim();
    const meta = JSON.parse(readFileSync(join(dir, '.complete'), 'utf8'));
    const bytes = kind === 'beacons' ? meta.bytes : folderBytes(dir); // beacons: uncompressed bytes
    const cliArgs = [join(root, 'dist', 'cli.js'), kind, dir, '--json', ...(kind === 'beacons' ? ['--single-window'] : [])];
    const ours = timed(process.execPath, ['--max-old-space-size=16384', ...cliArgs], { keepStdout: false });
    const report = timed(process.execPath, ['--max-old-space-size=16384', ...cliArgs.filter((a) => a !== '--json')], { keepStdout: false });
    // The in-process analysis is run INPROC_RUNS times and the median run is reported (this VM's
    // speed drifts by ±10 % between runs a minute apart; one run said little). All times are kept.
    const runs = [];
    for (let k = 0; k < INPROC_RUNS; k++) runs.push(JSON.parse(timed(process.execPath, ['--expose-gc', '--max-old-space-size=16384', join(here, 'inproc.mjs'), bundle, kind, dir]).stdout));
    const inproc = [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1];
    let pandas;
    if (withPandas) {
      const p = timed(PY, [join(here, `pandas_${kind}.py`), dir]);
      pandas = { wall: p.wall, peak: p.peak, result: JSON.parse(p.stdout.trim().split('\n').pop()) };
    }
    const row = {
      kind,
      scale,
      inputBytes: bytes,
      records: meta.records ?? meta.lines,
      files: meta.files,
      cli: { wall: ours.wall, peak: ours.peak },
      report: { wall: report.wall, peak: report.peak },
      analysis: { seconds: inproc.ms / 1000, runsSeconds: runs.map((x) => x.ms / 1000), retainedBytes: inproc.retainedBytes, peak: inproc.peakRss, records: inproc.records },
      // Loki: the parse alone (every file parsed, before the merge), the median run's; all runs kept
      ...(inproc.parseMs !== undefined ? { parse: { seconds: inproc.parseMs / 1000, runsSeconds: runs.map((x) => x.parseMs / 1000) } } : {}),
      pandas,
      ratio: pandas ? pandas.wall / ours.wall : undefined,
      reportRatio: pandas ? pandas.wall / report.wall : undefined,
    };
    rows.push(row);
    process.stderr.write(`${kind} ${scale}x: cli ${ours.wall}s, report ${report.wall}s, analysis ${(inproc.ms / 1000).toFixed(2)}s${inproc.parseMs !== undefined ? ` (parse ${(inproc.parseMs / 1000).toFixed(2)}s)` : ''}${pandas ? `, pandas ${pandas.wall}s` : ''}\n`);
  }
}

const eld = [];
if (withEld) {
  const top = Math.max(...scales);
  for (const kind of only) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=16384', join(here, 'eld.mjs'), kind, join(data, `${DIR[kind]}-${top}x`), bundle], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status === 0) eld.push({ scale: top, ...JSON.parse(r.stdout.trim().split('\n').pop()) });
    else eld.push({ kind, scale: top, error: r.stderr.slice(-300) });
  }
}

const MB = 1024 * 1024;
const f1 = (x) => (x === undefined ? '-' : x.toFixed(1));
const f2 = (x) => (x === undefined ? '-' : x.toFixed(2));
const header = ['kind', 'scale', 'input MB', 'records', 'cli s', 'MB/s', 'report s', 'analysis s', 'analysis MB/s', 'parse s', 'parse MB/s', 'cli peak MB', 'retained MB', 'pandas s', 'pandas peak MB', 'pandas/cli', 'pandas/report'];
const table = rows.map((r) => [
  r.kind,
  `${r.scale}x`,
  f1(r.inputBytes / MB),
  String(r.records),
  f2(r.cli.wall),
  f1(r.inputBytes / MB / r.cli.wall),
  f2(r.report.wall),
  f2(r.analysis.seconds),
  f1(r.inputBytes / MB / r.analysis.seconds),
  r.parse ? f2(r.parse.seconds) : '-',
  r.parse ? f1(r.inputBytes / MB / r.parse.seconds) : '-',
  f1(r.cli.peak / MB),
  f1(r.analysis.retainedBytes / MB),
  r.pandas ? f2(r.pandas.wall) : '-',
  r.pandas ? f1(r.pandas.peak / MB) : '-',
  r.ratio ? f2(r.ratio) + '×' : '-',
  r.reportRatio ? f2(r.reportRatio) + '×' : '-',
]);
const w = header.map((h, j) => Math.max(h.length, ...table.map((t) => t[j].length)));
const line = (c) => '| ' + c.map((x, j) => (j < 2 ? x.padEnd(w[j]) : x.padStart(w[j]))).join(' | ') + ' |';
let out = line(header) + '\n' + '|' + w.map((n, j) => (j < 2 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|\n' + table.map(line).join('\n') + '\n';
const growth = [];
for (const kind of only) {
  const rs = rows.filter((r) => r.kind === kind).sort((a, b) => a.scale - b.scale);
  if (rs.length >= 2) {
    const a = rs[0];
    const b = rs[rs.length - 1];
    growth.push({ kind, inputFactor: b.scale / a.scale, cliTimeFactor: b.cli.wall / a.cli.wall, analysisTimeFactor: b.analysis.seconds / a.analysis.seconds });
  }
}
if (growth.length) out += '\nGrowth (largest / smallest scale): ' + growth.map((g) => `${g.kind} ${g.inputFactor}× input → ${f2(g.cliTimeFactor)}× cli time, ${f2(g.analysisTimeFactor)}× analysis time`).join('; ') + '\n';
if (eld.length) out += '\nEvent-loop delay of the host thread while dist/worker.js runs the job: ' + eld.map((e) => (e.error ? `${e.kind}: failed` : `${e.kind} ${e.scale}x p99 ${e.eldP99} ms, max ${e.eldMax} ms (wall ${(e.wallMs / 1000).toFixed(1)} s)`)).join('; ') + '\n';
let pandasVersion;
try {
  pandasVersion = execFileSync(PY, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).trim();
} catch {
  /* not installed */
}
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version, pandas: pandasVersion };
out += `\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}, pandas ${machine.pandas ?? '-'}\n`;
process.stdout.write(out);
writeFileSync(join(here, 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine, rows, growth, eld, table: out }, null, 2) + '\n');
