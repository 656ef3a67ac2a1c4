#!/usr/bin/env node
/**
 * The Loki floor (bench/loki-floor.mjs) in WebAssembly, to tell whether a parser written in WebAssembly could reach
 * issue #7's 400 MB/s (bench/NOTES.md, "Loki: the floor of a parse in WebAssembly"). Not the product.
 *
 *   node bench/loki-floor-wasm.mjs /tmp/soc-bench/loki-8x [--variant simd|scalar]   one run, one JSON line
 *   node bench/loki-floor-wasm.mjs /tmp/soc-bench/loki-8x --compare 3             JS, scalar and SIMD runs in fresh
 *                                                                                 processes, alternating; checks that
 *                                                                                 all found the same counts
 *
 * Compiles bench/loki-floor.as.ts with AssemblyScript 0.28.20, installed on first use under
 * /tmp/soc-bench/.assemblyscript (a benchmark tool, not a project dependency; `--asc DIR` to use another install).
 * Timing: wall and CPU (user + system) ms of the read and the scan, as in loki-floor.mjs.
 */
import { readdirSync, openSync, readSync, closeSync, fstatSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const dir = args[0];
if (!dir || dir.startsWith('--')) { console.error('usage: node bench/loki-floor-wasm.mjs <loki folder> [--variant simd|scalar] [--compare N]'); process.exit(2); }
const ASC_VERSION = '0.28.20';
const ascDir = opt('--asc', '/tmp/soc-bench/.assemblyscript');
const wasmFile = join(ascDir, 'loki-floor.wasm');

function compile() {
  const bin = join(ascDir, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  if (!existsSync(bin)) {
    mkdirSync(ascDir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', ascDir, '--no-audit', '--no-fund', '--no-save', `assemblyscript@${ASC_VERSION}`], { stdio: 'inherit' });
  }
  execFileSync(process.execPath, [bin, join(here, 'loki-floor.as.ts'), '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd',
    '--initialMemory', '2048', '--maximumMemory', '16384', '-o', wasmFile], { stdio: 'inherit' });
}

const compare = Number(opt('--compare', '0'));
if (compare > 0) {
  compile();
  const rows = [];
  const run = (name, script, extra) => {
    const r = spawnSync(process.execPath, [join(here, script), dir, ...extra], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    rows.push({ name, ...JSON.parse(r.stdout.trim().split('\n').pop()) });
  };
  for (let i = 0; i < compare; i++) {
    run('js', 'loki-floor.mjs', ['--json']);
    run('wasm scalar', 'loki-floor-wasm.mjs', ['--variant', 'scalar', '--no-compile']);
    run('wasm simd', 'loki-floor-wasm.mjs', ['--variant', 'simd', '--no-compile']);
  }
  const key = (r) => [r.bytes, r.lines, r.findings, r.scoreSum, r.pathHash, r.ruleLen].join(',');
  const keys = new Set(rows.map(key));
  for (const r of rows) console.log(`${r.name.padEnd(12)} wall ${String(r.ms).padStart(5)} ms  cpu ${String(r.cpu).padStart(5)} ms  ${String(Math.round(r.bytes / 1e6 / (r.cpu / 1000))).padStart(5)} MB/s of CPU`);
  console.log(keys.size === 1 ? `same counts in every run: ${[...keys][0]}` : `COUNTS DIFFER: ${[...keys].join(' | ')}`);
  process.exit(keys.size === 1 ? 0 : 1);
}

if (!args.includes('--no-compile') || !existsSync(wasmFile)) compile();
const variant = opt('--variant', 'simd');
const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), { env: { abort() { throw new Error('abort'); } } });
const { memory } = inst.exports;
const runFile = variant === 'scalar' ? inst.exports.runScalar : inst.exports.runSimd;
const CAP = 1 << 21;
const outPtr = 1 << 20;
const inPtr = outPtr + CAP * 8;
const files = readdirSync(dir).sort().map((f) => join(dir, f));
const t0 = performance.now();
const c0 = process.cpuUsage();
let bytes = 0;
for (const f of files) {
  const fd = openSync(f, 'r');
  const size = fstatSync(fd).size;
  const need = inPtr + size + 16; // 16 readable bytes after the input for the SIMD loads
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const view = new Uint8Array(memory.buffer, inPtr, size);
  let n = 0;
  while (n < size) { const r = readSync(fd, view, n, size - n, null); if (r <= 0) break; n += r; }
  closeSync(fd);
  bytes += n;
  runFile(inPtr, n, outPtr, CAP);
}
const ms = performance.now() - t0;
const cu = process.cpuUsage(c0);
const e = inst.exports;
console.log(JSON.stringify({ variant, bytes, lines: e.getLines(), findings: e.getFindings(), scoreSum: Number(e.getScoreSum()), pathHash: e.getPathHash(), ruleLen: Number(e.getRuleLen()), ms: Math.round(ms), cpu: Math.round((cu.user + cu.system) / 1000) }));
