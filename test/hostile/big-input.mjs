#!/usr/bin/env node
/**
 * Large hostile inputs for the Loki CLI (not a unit test: it takes a minute and needs ~2 GB of disk).
 * Prints its measurements. Run after `node scripts/build.mjs`:
 *
 *   node test/hostile/big-input.mjs [--gb 2] [--files 10000] [--keep]
 *
 * 1. A folder of N small Loki files: wall time, exit code, invariants, and that files are read one
 *    after the other (peak open fds measured via /proc/<pid>/fd while it runs, Linux only).
 * 2. One ~2 GB file made of a real-looking finding line repeated: peak RSS (/usr/bin/time -v when
 *    present, else sampled /proc/<pid>/status VmHWM), wall time, exit code, invariants.
 * Everything is generated into os.tmpdir() and removed unless --keep.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const GB = opt('--gb', 2);
const NFILES = opt('--files', 10000);
const KEEP = args.includes('--keep');
if (!fs.existsSync(CLI)) {
  console.error(`missing ${CLI}: run node scripts/build.mjs first`);
  process.exit(2);
}
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-big-'));

const LINE = (host, i) =>
  `20211013T22:11:03Z ${host} LOKI: Warning: MODULE: FileScan MESSAGE: FILE: C:\\Users\\x\\f${i}.exe SCORE: 70 TYPE: EXE SIZE: 10 ` +
  'FIRST_BYTES: 4d5a / MZ MD5: 0123456789abcdef0123456789abcdef SHA1: 0123456789abcdef0123456789abcdef01234567 ' +
  'SHA256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef CREATED: Mon Mar 10 11:47:05 2025 ' +
  'MODIFIED: Mon Mar 10 11:47:05 2025 ACCESSED: Mon Mar 10 11:47:09 2025 REASON_1: Yara Rule MATCH: RuleX SUBSCORE: 70 ' +
  'DESCRIPTION: d REF: r AUTHOR: a MATCHES: Str1: x';
const INFO = (host) => `20211013T22:11:03Z ${host} LOKI: Info: MODULE: FileScan MESSAGE: Scanning C:\\Windows\\System32\\drivers\\etc ...`;

/** Runs the CLI; samples open fds and VmHWM from /proc while it runs. */
function runCli(cliArgs, { json = true } = {}) {
  return new Promise((resolve) => {
    const useTime = fs.existsSync('/usr/bin/time');
    const cmd = useTime ? '/usr/bin/time' : process.execPath;
    const argv = useTime ? ['-v', process.execPath, CLI, ...cliArgs] : [CLI, ...cliArgs];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    let maxFds = 0;
    let hwmKb = 0;
    const sample = setInterval(() => {
      // With /usr/bin/time the node process is the child of `time`: find it.
      let pid = child.pid;
      try {
        if (useTime) {
          const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
          if (kids[0]) pid = Number(kids[0]);
        }
        maxFds = Math.max(maxFds, fs.readdirSync(`/proc/${pid}/fd`).length);
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
      } catch {
        /* process gone or no /proc */
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(sample);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const rssKb = m ? Number(m[1]) : hwmKb;
      let doc;
      if (json) {
        try {
          doc = JSON.parse(out);
        } catch (e) {
          doc = { parseError: String(e) };
        }
      }
      resolve({ code, secs, rssMb: rssKb / 1024, maxFds, doc, stderr: err.split('\n').filter((l) => !/^\s/.test(l) && l).slice(0, 5).join('\n') });
    });
  });
}

async function manyFiles() {
  const dir = path.join(TMP, 'many');
  fs.mkdirSync(dir);
  const t0 = Date.now();
  for (let i = 0; i < NFILES; i++) {
    const host = `HOST${i}`;
    const sub = path.join(dir, `d${i % 100}`);
    if (i < 100) fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, `loki_${host}_2021-10-13_22-11-03.log`), `${INFO(host)}\n${LINE(host, i)}\n`);
  }
  const gen = (Date.now() - t0) / 1000;
  const r = await runCli(['loki', dir, '--json']);
  const s = r.doc?.summary ?? {};
  console.log(`\n[${NFILES} small files] generated in ${gen.toFixed(1)} s`);
  console.log(`  exit ${r.code}, wall ${r.secs.toFixed(2)} s, peak RSS ${r.rssMb.toFixed(0)} MB, peak open fds ${r.maxFds || 'n/a'} (ulimit -n ${await ulimit()})`);
  console.log(`  files ${s.files}, hosts ${s.hosts}, findings ${r.doc?.findings?.length}, unparsed ${s.unparsedLines}, errors ${s.errors}`);
  const ok = r.code === 0 && s.files === NFILES && s.hosts === NFILES && r.doc.findings.length === NFILES && s.unparsedLines === 0;
  console.log(`  invariants: ${ok ? 'OK' : 'FAILED'}${r.stderr ? `\n  stderr: ${r.stderr}` : ''}`);
  return ok;
}

function ulimit() {
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', 'ulimit -n']);
    let o = '';
    c.stdout.on('data', (d) => (o += d));
    c.on('close', () => resolve(o.trim() || '?'));
    c.on('error', () => resolve('?'));
  });
}

async function bigFile() {
  const f = path.join(TMP, 'loki_BIGHOST_2021-10-13_22-11-03.log');
  const target = GB * 1024 ** 3;
  // 8 MiB block of alternating finding / info lines (CRLF), written repeatedly.
  const unit = `${LINE('BIGHOST', 1)}\r\n${INFO('BIGHOST')}\r\n`;
  const reps = Math.floor((8 << 20) / unit.length);
  const block = Buffer.from(unit.repeat(reps));
  const blocks = Math.ceil(target / block.length);
  const t0 = Date.now();
  const fd = fs.openSync(f, 'w');
  for (let i = 0; i < blocks; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  const size = fs.statSync(f).size;
  const lines = blocks * reps * 2;
  const findings = blocks * reps;
  console.log(`\n[one ${(size / 1024 ** 3).toFixed(2)} GB file, ${lines} lines, ${findings} findings] generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Text mode: the --json document of ~7M findings would itself be ~4 GB of stdout.
  const r = await runCli(['loki', f], { json: false });
  console.log(`  text mode: exit ${r.code}, wall ${r.secs.toFixed(1)} s, peak RSS ${r.rssMb.toFixed(0)} MB, throughput ${(size / 1024 ** 2 / r.secs).toFixed(0)} MB/s`);
  if (r.stderr) console.log(`  stderr: ${r.stderr}`);
  // Streaming bound of the reader alone (findings retained are the analysis, not the reader):
  // the same size made of INFO lines only (no findings retained).
  const f2 = path.join(TMP, 'loki_INFOHOST_2021-10-13_22-11-03.log');
  const unit2 = `${INFO('INFOHOST')}\r\n`;
  const block2 = Buffer.from(unit2.repeat(Math.floor((8 << 20) / unit2.length)));
  const fd2 = fs.openSync(f2, 'w');
  for (let i = 0; i < Math.ceil(target / block2.length); i++) fs.writeSync(fd2, block2);
  fs.closeSync(fd2);
  fs.rmSync(f);
  const r2 = await runCli(['loki', f2, '--json']);
  const s2 = r2.doc?.summary ?? {};
  console.log(`  INFO-only ${(fs.statSync(f2).size / 1024 ** 3).toFixed(2)} GB: exit ${r2.code}, wall ${r2.secs.toFixed(1)} s, peak RSS ${r2.rssMb.toFixed(0)} MB, unparsed ${s2.unparsedLines}, files ${s2.files}`);
  fs.rmSync(f2);
}

try {
  await manyFiles();
  await bigFile();
} finally {
  if (!KEEP) fs.rmSync(TMP, { recursive: true, force: true });
  else console.log(`kept ${TMP}`);
}
