#!/usr/bin/env node
/**
 * The floor of a Loki parse in plain JavaScript (bench/NOTES.md, "Loki: the floor"): what the pandas baseline
 * extracts (the five CSV columns, the FILE path hashed, SCORE, the first rule), and nothing else, over the files of
 * a folder read whole into one Buffer. Not the product: a yardstick for the full parse.
 *
 *   node bench/loki-floor.mjs /tmp/soc-bench/loki-8x [--json]   (--json: one line, with CPU ms; bench/loki-floor-wasm.mjs --compare)
 */

import { readdirSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
const dir = process.argv[2];
const files = readdirSync(dir).sort().map(f => dir + '/' + f);
const SCORE = Buffer.from(' SCORE: '), MATCH = Buffer.from('MATCH: '), FILE = Buffer.from('FILE: ');
let buf = Buffer.allocUnsafe(4 << 20);
const t0 = performance.now();
const c0 = process.cpuUsage();
let bytes = 0, lines = 0, findings = 0, scoreSum = 0, pathHash = 0, ruleLen = 0;
const scores = new Int32Array(1 << 21), paths = new Int32Array(1 << 21);
for (const f of files) {
  const fd = openSync(f, 'r');
  const size = fstatSync(fd).size;
  if (size > buf.length) buf = Buffer.allocUnsafe(size);
  let n = 0; while (n < size) { const r = readSync(fd, buf, n, size - n, null); if (r <= 0) break; n += r; }
  closeSync(fd);
  bytes += n;
  let p = 0;
  while (p < n) {
    let e = buf.indexOf(10, p); if (e < 0 || e > n) e = n;
    lines++;
    // 4 commas: date, host, level, module
    const c1 = buf.indexOf(44, p), c2 = buf.indexOf(44, c1 + 1), c3 = buf.indexOf(44, c2 + 1), c4 = buf.indexOf(44, c3 + 1);
    if (c4 > 0 && c4 < e && buf[c4 + 1] === 70 /*F*/ && buf[c4 + 5] === 58) {
      const s = buf.indexOf(SCORE, c4 + 7);
      if (s > 0 && s < e) {
        let h = 0; for (let i = c4 + 7; i < s; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
        let v = 0, i = s + 8; while (buf[i] >= 48 && buf[i] <= 57) v = v * 10 + buf[i++] - 48;
        const m = buf.indexOf(MATCH, s);
        if (m > 0 && m < e) { const sp = buf.indexOf(32, m + 7); ruleLen += sp - m - 7; }
        scores[findings] = v; paths[findings] = h; findings++; scoreSum += v; pathHash ^= h;
      }
    }
    p = e + 1;
  }
}
const ms = performance.now() - t0;
const cu = process.cpuUsage(c0);
const cpu = Math.round((cu.user + cu.system) / 1000);
if (process.argv.includes('--json')) { console.log(JSON.stringify({ bytes, lines, findings, scoreSum, pathHash, ruleLen, ms: Math.round(ms), cpu })); process.exit(0); }
console.log({ cpu, bytes, lines, findings, scoreSum, pathHash, ruleLen, ms: Math.round(ms), MBps: Math.round(bytes / 1e6 / (ms / 1000)), MiBps: Math.round(bytes / 1048576 / (ms / 1000)) });
