#!/usr/bin/env node
/**
 * The `FILE:` locator alone, JavaScript against WebAssembly (wasm/loki-locate.ts), in one warm process: per message
 * locateFileFinding + laterScoreKey(msg, pathEnd + 8) in JavaScript (on the string, and with the message's bytes as
 * the parser hands them over), against the module (bytes copied into its memory, locate, the row read back into
 * JavaScript typed arrays, laterScoreKey), and parts of that (the copy alone; no laterScoreKey). Every row is checked
 * equal before timing. ns per message, best of rounds (the minimum: the machine may be shared).
 * A quick look at the function in isolation, not a throughput benchmark of the parser (that is bench/run.mjs).
 *
 *   npm run compile-tests && node bench/loki-locate-wasm.mjs [/tmp/soc-bench/loki-1x] [--rounds 15] [--mb N]
 *
 * --mb N: only the first N MB of messages (a set that stays in the cache, as a line the parser just read does; the
 * whole set is read from memory each round, which the copy and every locator pay for).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pm = require(join(root, 'out/src/core/parse/python-messages.js'));
const { LOKI_LOCATE_WASM } = require(join(root, 'out/src/core/parse/generated/loki-locate-wasm.js'));

const args = process.argv.slice(2);
const ri = args.indexOf('--rounds');
const mi = args.indexOf('--mb');
const maxBytes = mi >= 0 ? Number(args[mi + 1]) * 1e6 : Infinity;
const dir = args.find((a, i) => !a.startsWith('--') && i !== ri + 1 && i !== mi + 1) ?? '/tmp/soc-bench/loki-1x';
const rounds = ri >= 0 ? Number(args[ri + 1]) : 15;

// --- the FILE messages (5th CSV column) of every file, ASCII ones, as strings and as bytes in one buffer ------------
const msgs = [];
const starts = [];
const parts = [];
let off = 0;
for (const f of readdirSync(dir).filter((n) => /\.(csv|log)$/.test(n)).sort()) {
  for (const line of readFileSync(join(dir, f), 'latin1').split('\n')) {
    let c = -1;
    for (let k = 0; k < 4 && (c = line.indexOf(',', c + 1)) >= 0; k++);
    if (c < 0 || !line.startsWith('FILE: ', c + 1)) continue;
    const m = line.endsWith('\r') ? line.slice(c + 1, -1) : line.slice(c + 1);
    if (!/^[\x00-\x7f]*$/.test(m)) continue;
    if (off + m.length > maxBytes) break;
    msgs.push(m);
    starts.push(off);
    parts.push(Buffer.from(m, 'latin1'));
    off += m.length;
  }
}
const bytes = Buffer.concat([...parts, Buffer.alloc(16)]);
const totalBytes = off;

// --- the module -------------------------------------------------------------------------------------------------
const x = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(LOKI_LOCATE_WASM, 'base64')), {}).exports;
const at = x.memStart();
const maxLen = msgs.reduce((a, m) => Math.max(a, m.length), 0);
const need = at + maxLen + 64;
if (need > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((need - x.memory.buffer.byteLength) / 65536));
const mem = Buffer.from(x.memory.buffer);
const rowS = new Int32Array(x.memory.buffer, x.rowAt(), 17);
const rowN = new Float64Array(x.memory.buffer, x.rowAt() + 72, 4);

const slots = new Int32Array(17);
const nums = new Float64Array(4);
let sink = 0;

function runJsString() {
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (pm.locateFileFinding(m, slots, nums, 0, 0)) sink += pm.laterScoreKey(m, slots[0] + 8) + slots[1];
  }
}
function runJsBytes() {
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (pm.locateFileFinding(m, slots, nums, 0, 0, bytes, starts[i])) sink += pm.laterScoreKey(m, slots[0] + 8) + slots[1];
  }
}
function runWasm() {
  for (let i = 0; i < msgs.length; i++) {
    const s = starts[i];
    const n = msgs[i].length;
    bytes.copy(mem, at, s, s + n);
    if (x.locate(at, n) !== 0) {
      slots.set(rowS);
      nums.set(rowN);
      sink += x.laterScoreKey(at, n, slots[0] + 8, -1) + slots[1];
    }
  }
}

// --- same results first ---------------------------------------------------------------------------------------
const js = new Int32Array(17);
const jn = new Float64Array(4);
for (let i = 0; i < msgs.length; i++) {
  const m = msgs[i];
  const ok = pm.locateFileFinding(m, js, jn, 0, 0);
  bytes.copy(mem, at, starts[i], starts[i] + m.length);
  if ((x.locate(at, m.length) === 1) !== ok) throw new Error(`locate differs: ${m}`);
  if (!ok) continue;
  for (let k = 0; k < 17; k++) if (rowS[k] !== js[k]) throw new Error(`slot ${k} differs: ${m}`);
  for (let k = 0; k < 4; k++) if (!Object.is(rowN[k], jn[k])) throw new Error(`num ${k} differs: ${m}`);
  if (x.laterScoreKey(at, m.length, js[0] + 8, -1) !== pm.laterScoreKey(m, js[0] + 8)) throw new Error(`laterScoreKey differs: ${m}`);
}

// Parts of the WebAssembly run: the copy alone; copy + locate + row read back (no laterScoreKey).
function runCopy() {
  for (let i = 0; i < msgs.length; i++) bytes.copy(mem, at, starts[i], starts[i] + msgs[i].length);
}
function runWasmLocate() {
  for (let i = 0; i < msgs.length; i++) {
    const s = starts[i];
    const n = msgs[i].length;
    bytes.copy(mem, at, s, s + n);
    if (x.locate(at, n) !== 0) {
      slots.set(rowS);
      nums.set(rowN);
      sink += slots[1];
    }
  }
}

const runs = { jsString: runJsString, jsBytes: runJsBytes, wasm: runWasm, wasmCopyOnly: runCopy, wasmNoLaterScoreKey: runWasmLocate };
const best = Object.fromEntries(Object.keys(runs).map((k) => [k, Infinity]));
for (let r = 0; r < rounds; r++) {
  for (const [k, f] of Object.entries(runs)) {
    const t0 = process.hrtime.bigint();
    f();
    const ns = Number(process.hrtime.bigint() - t0);
    if (r > 0) best[k] = Math.min(best[k], ns); // round 0 warms up
  }
}
const out = { dir, maxMB: Number.isFinite(maxBytes) ? maxBytes / 1e6 : 'all', messages: msgs.length, bytes: totalBytes, meanLength: Math.round(totalBytes / msgs.length), rounds };
for (const [k, ns] of Object.entries(best)) {
  out[k] = { nsPerMessage: +(ns / msgs.length).toFixed(1), msTotal: +(ns / 1e6).toFixed(1), MBps: +((totalBytes / ns) * 1e3).toFixed(0) };
}
out.sink = sink & 1;
console.log(JSON.stringify(out, null, 1));
