/**
 * The parser with the WebAssembly `FILE:` locator (src/core/parse/loki-wasm.ts) gives exactly the analysis of the
 * parser on its JavaScript locator (`SOC_ANALYTICS_WASM=0`): the whole analysis as JSON (findings built, key order
 * included) on the real results, the fixtures, 40 generated endpoints and a file of hostile `FILE:` messages (forged
 * keys, truncations, cut hashes, long digit runs, stray spaces, messages past the read chunk). Each run also checks
 * which locator ran (the WebAssembly one loads the messages; the JavaScript run loads none).
 * The function-level equivalence (every slot of every message, fuzzed) is test/unit/loki-wasm-locate.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { WASM_ENV, lokiLocator, resetLokiLocator } from '../../src/core/parse/loki-wasm';
import { writeEndpoints } from './loki-endpoints';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIX = path.resolve(__dirname, '../../../test/fixtures/loki');

let tmp = '';
let many = '';
let hostile = '';

/** `FILE:` messages that take every branch of the locator, and then some. */
function hostileMessages(): string[] {
  const md5 = '0123456789abcdef0123456789abcdef';
  const sha1 = 'aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd';
  const sha256 = 'ABCDEF0123456789'.repeat(4);
  const info = `TYPE: EXE SIZE: 1234 FIRST_BYTES: 4d5a90000300000004000000ffff0000b8000000 / MZ MD5: ${md5} SHA1: ${sha1} SHA256: ${sha256} CREATED: Mon Jan 10 10:00:00 2022 MODIFIED: Mon Jan 10 10:00:00 2022 ACCESSED: Tue Jan 11 09:00:00 2022`;
  const reasons = 'REASON_1: Yara Rule MATCH: Hacktool_X SUBSCORE: 80 DESCRIPTION: x REF: - AUTHOR: y MATCHES: Str1: foo REASON_2: Filename IOC C:\\\\a SUBSCORE: 50';
  const full = `FILE: C:\\Windows\\Temp\\a.exe SCORE: 130 ${info} ${reasons}`;
  const out = [
    full,
    `FILE: /tmp/a SCORE: 0 TYPE: x SCORE: 70 ${info} ${reasons}`, // a forged key in the path
    `FILE: /tmp/a SUBSCORE: 5 TYPE: x SCORE: 70 ${info} ${reasons}`,
    `FILE: /tmp/aSCORE: 70 ${info} ${reasons}`, // no space before SCORE
    `FILE: /tmp/a SCORE: 1234567890123456 ${info} ${reasons}`, // 16 digits: no score there
    `FILE: /tmp/a SCORE: 123456789012345 ${info} ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 99999999999999999 FIRST_BYTES: x ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12x SIZE: 13 FIRST_BYTES: 00 / x MD5: ${md5.slice(0, 31)}g ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x MD5: ${md5.toUpperCase()} SHA1: ${sha1.slice(0, 39)}\u0001 ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x MD5: ${md5} SHA256: ${sha256} ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x CREATED: Mon MODIFIED: Tue ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x CREATED: Mon ACCESSED: Tue ${reasons}`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x ${reasons} SCORE: 1 TYPE: y`, // forged key in a reason
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x REASON_1:`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 00 / x \t `,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 tail text`,
    `FILE: /tmp/a SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: ${'ab'.repeat(3000)} / x MD5: ${md5} ${reasons}`,
    `FILE: ${'C:\\very\\long\\path'.repeat(80)} SCORE: 75 ${info} ${reasons}`,
    'FILE: SCORE: 5',
    'FILE: ',
    'FILE: /tmp/a SCORE: ',
    'FILE: /tmp/a SCORE: 5 TYPE:',
  ];
  // every prefix of the full message (truncated records)
  for (let k = 6; k <= full.length; k += 7) out.push(full.slice(0, k));
  return out;
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-loki-wasm-'));
  many = path.join(tmp, 'many');
  writeEndpoints(many); // 40 endpoints from the real results (test/unit/loki-endpoints.ts)
  hostile = path.join(tmp, 'hostile');
  fs.mkdirSync(hostile);
  const lines = ['20220110T10:00:00Z,HOST-H,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: HOST-H TIME: 20220110T10:00:00Z PLATFORM: Windows 10 PROC: Intel64 ARCH: 64bit'];
  let n = 0;
  for (const m of hostileMessages()) {
    const level = ['ALERT', 'WARNING', 'NOTICE'][n++ % 3];
    lines.push(`20220110T10:00:${String(n % 60).padStart(2, '0')}Z,HOST-H,${level},FileScan,${m}`);
    if (n % 9 === 0) lines.push(`20220110T10:00:00Z,HOST-H,INFO,FileScan,Scanning ${'x'.repeat(n * 997 % 5000)}`);
  }
  // big enough that records straddle the 1 MiB read chunks
  const body = lines.join('\r\n') + '\r\n';
  fs.writeFileSync(path.join(hostile, 'h.csv'), body.repeat(Math.ceil((3 << 20) / body.length)));
});

after(() => {
  delete process.env[WASM_ENV];
  resetLokiLocator();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The analysis of `dir` with the WebAssembly locator on or off, and how many messages it loaded. */
async function analysis(dir: string, wasm: boolean): Promise<{ json: string; loaded: number; findings: number }> {
  if (wasm) delete process.env[WASM_ENV];
  else process.env[WASM_ENV] = '0';
  resetLokiLocator();
  const before = lokiLocator()?.loaded ?? 0;
  const a = await runLokiAnalysis([dir], { parseWorkers: 0 });
  const loaded = (lokiLocator()?.loaded ?? 0) - before;
  return { json: JSON.stringify(a), loaded, findings: a.findings.length };
}

test('loki wasm: this Node has the WebAssembly locator (SIMD)', () => {
  delete process.env[WASM_ENV];
  resetLokiLocator();
  assert.ok(lokiLocator(), 'WebAssembly with SIMD is available in Node 20 and VS Code');
  process.env[WASM_ENV] = '0';
  resetLokiLocator();
  assert.equal(lokiLocator(), undefined, `${WASM_ENV}=0 turns it off`);
});

test('loki wasm: the analysis with the WebAssembly locator equals the one with the JavaScript locator', async () => {
  for (const dir of [REAL, FIX, many, hostile]) {
    const js = await analysis(dir, false);
    const wa = await analysis(dir, true);
    assert.equal(js.loaded, 0, `${dir}: the JavaScript run loads nothing`);
    assert.ok(wa.loaded > 0 && wa.findings > 0, `${dir}: the WebAssembly locator ran (${wa.loaded} messages, ${wa.findings} findings)`);
    assert.equal(wa.json, js.json, dir);
  }
});

/** Chunks free in this thread's locator (taken all, given back). */
function freeChunks(): number {
  const l = lokiLocator()!;
  const taken: Buffer[] = [];
  for (let c = l.takeChunk(); c !== undefined; c = l.takeChunk()) taken.push(c);
  for (const c of taken) l.giveChunk(c);
  return taken.length;
}

test('loki wasm: runs aborted mid-file and runs side by side in one thread: equal analyses, every chunk given back', async () => {
  // Chunk lifetime (ReadBuffers in the locator's memory): a run cancelled at any point, with another run of the same
  // files reading beside it in this thread (more files in flight than the locator has chunks), then a run after it.
  const dir = path.join(tmp, 'abort');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(hostile, 'h.csv'), path.join(dir, 'big.csv'));
  const src = fs.readdirSync(many).slice(0, 12);
  for (const f of src) fs.copyFileSync(path.join(many, f), path.join(dir, f));
  const head = fs.readFileSync(path.join(many, src[0]));
  for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(dir, `tiny${i}.csv`), head.subarray(0, 700 + i * 900));
  const js = await analysis(dir, false);
  delete process.env[WASM_ENV];
  resetLokiLocator();
  assert.equal(freeChunks(), 8);
  for (const ms of [0, 1, 3, 10, 30, 100]) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), ms);
    const cancelled = runLokiAnalysis([dir], { parseWorkers: 0, signal: ac.signal }).then(() => 'done', (e: Error) => e.name);
    const beside = [runLokiAnalysis([dir], { parseWorkers: 0 }), runLokiAnalysis([dir], { parseWorkers: 0 }), runLokiAnalysis([dir], { parseWorkers: 0 })];
    const [how, ...done] = await Promise.all([cancelled, ...beside]);
    clearTimeout(timer);
    assert.ok(how === 'done' || how === 'AbortError', String(how));
    for (const a of done) assert.ok(JSON.stringify(a) === js.json, `${ms} ms: a run beside the cancelled one`);
    assert.ok(JSON.stringify(await runLokiAnalysis([dir], { parseWorkers: 0 })) === js.json, `${ms} ms: the run after it`);
    assert.equal(freeChunks(), 8, `${ms} ms: every chunk back`);
  }
});

test('loki wasm: a chunk given back twice is handed out once', () => {
  delete process.env[WASM_ENV];
  resetLokiLocator();
  const l = lokiLocator()!;
  const a = l.takeChunk()!;
  assert.ok(a && a.buffer === l.memory);
  assert.equal(l.giveChunk(a), true);
  assert.equal(l.giveChunk(a), true);
  const taken = new Set<Buffer>();
  for (let b = l.takeChunk(); b !== undefined; b = l.takeChunk()) {
    assert.ok(!taken.has(b), 'no chunk twice');
    taken.add(b);
  }
  assert.equal(taken.size, 8);
  assert.equal(l.giveChunk(Buffer.alloc(16)), false, 'a buffer of other memory is not taken in');
  resetLokiLocator();
});
