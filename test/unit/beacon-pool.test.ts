/**
 * Beacon parse workers (src/core/analyze/beacons/pool.ts): the analysis with Zeek conn files read
 * by worker threads must be identical to the one read in the calling thread — on the real Zeek
 * day and on mutated copies of it (CRLF, non-ASCII bytes, broken lines, truncated gzip, a second
 * header block) — and cancellation, a missing worker entry and a crashing worker must behave.
 * The worker entry is the compiled out/src/core/analyze/beacons/zeek-worker.js (what
 * dist/zeek-worker.js bundles), located relative to this file.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { readConnColumns } from '../../src/core/analyze/beacons/columns';
import { ConnParsePool, PoolCrashError, PoolStartError, defaultParseWorkers, PARSE_WORKERS_ENV } from '../../src/core/analyze/beacons/pool';
import { quadText, sniffInput } from '../../src/core/parse/zeek';
import { comparePairs, sortPairs, type BeaconAnalysis, type BeaconPair } from '../../src/core/analyze/beacons/analyze';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');
const SENSOR = ['64.225.56.201/32'];

const same = (a: BeaconAnalysis, b: BeaconAnalysis) => assert.equal(JSON.stringify(a), JSON.stringify(b));

let tmp = '';
let mutated = '';
let marker = '';
let tracked = '';
let crashing = '';

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-beacon-pool-'));
  // a worker entry that records that it was started, then runs the real one
  marker = path.join(tmp, 'started.txt');
  tracked = path.join(tmp, 'tracked-worker.js');
  fs.writeFileSync(tracked, `require('fs').appendFileSync(${JSON.stringify(marker)}, 'x');\nrequire(${JSON.stringify(ENTRY)});\n`);
  // a worker entry that says ready, then dies on its first job
  crashing = path.join(tmp, 'crashing-worker.js');
  fs.writeFileSync(crashing, `const { parentPort } = require('worker_threads');\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => process.exit(3));\n`);
  // mutated copies of the real day: every unusual input must take the same (exact) path as in-thread
  mutated = path.join(tmp, 'mutated', '2024-04-19');
  fs.mkdirSync(mutated, { recursive: true });
  const files = fs.readdirSync(DAY).filter((f) => f.endsWith('.log.gz')).sort();
  files.forEach((f, i) => {
    let text = gunzipSync(fs.readFileSync(path.join(DAY, f))).toString('latin1');
    const lines = text.split('\n');
    const data = lines.map((l, j) => ({ l, j })).filter(({ l }) => l && !l.startsWith('#'));
    const edit = (k: number, fn: (cols: string[]) => void) => {
      const d = data[k % Math.max(1, data.length)];
      if (!d) return;
      const cols = lines[d.j].split('\t');
      fn(cols);
      lines[d.j] = cols.join('\t');
    };
    // fields: _node_name ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto … orig_ip_bytes resp_pkts resp_ip_bytes
    edit(1, (c) => (c[1] = c[1].split('.')[0] + '.5'));
    edit(2, (c) => (c[1] = c[1].split('.')[0] + '.999999999999'));
    edit(3, (c) => (c[1] = 'garbage'));
    edit(4, (c) => (c[6] = '-'));
    edit(5, (c) => (c[6] = '0x1bb'));
    edit(6, (c) => (c[18] = '1e3'));
    edit(7, (c) => (c[3] = '010.1.2.3'));
    edit(8, (c) => (c[5] = '2001:db8::1'));
    edit(9, (c) => c.pop());
    edit(10, (c) => (c[7] = '(empty)'));
    edit(11, (c) => (c[1] = c[1].split('.')[0] + '000'));
    edit(12, (c) => (c[3] = '10.0.0.' + (i % 5)));
    edit(13, (c) => (c[5] = '64.225.56.201'));
    text = lines.join('\n');
    if (i % 6 === 1) text = text.replace(/\n/g, '\r\n');
    if (i % 6 === 2) text = text.replace(/#close[^\n]*\n?$/, ''); // still open
    if (i % 6 === 3) text = text.replace('\tREJ\t', '\tREJ\u00e9\t'); // not ASCII: the string path
    if (i % 6 === 4) text += text.slice(0, text.indexOf('\n#types') + 1) + lines.filter((l) => l && !l.startsWith('#')).slice(0, 20).join('\n') + '\n';
    const bytes = Buffer.from(text, 'latin1');
    if (i % 6 === 5) fs.writeFileSync(path.join(mutated, f), gzipSync(bytes).subarray(0, 2000)); // truncated gzip
    else if (i % 2 === 0) fs.writeFileSync(path.join(mutated, f), gzipSync(bytes));
    else fs.writeFileSync(path.join(mutated, f.replace(/\.gz$/, '')), bytes);
  });
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('beacon parse workers', () => {
  it('the worker entry exists where the tests expect it (compiled with the tests)', () => {
    assert.ok(fs.existsSync(ENTRY), ENTRY);
  });

  it('real Zeek day: the same analysis read by 2 workers as in this thread (v5 hourly, single window, legacy, every pair)', async () => {
    for (const o of [{ internalSubnets: SENSOR }, { internalSubnets: SENSOR, hourlyImport: false }, { internalSubnets: [], algorithm: 'rita-legacy' as const }, { internalSubnets: [] }]) {
      fs.rmSync(marker, { force: true });
      const inThread = await runBeaconAnalysis([DAY], { ...o, parseWorkers: 0 });
      const pooled = await runBeaconAnalysis([DAY], { ...o, parseWorkers: 2, parseWorkerBundle: tracked });
      assert.equal(fs.readFileSync(marker, 'utf8'), 'xx', 'two workers started');
      same(pooled, inThread);
    }
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 2, parseWorkerBundle: ENTRY });
    assert.equal(a.summary.records, 31367);
    assert.equal(a.summary.pairsSeen, 362);
    assert.equal(a.summary.pairs, 22);
  });

  it('mutated files (CRLF, non-ASCII, bad ts/ports/addresses, column counts, open, two headers, truncated gzip): identical, errors with file and line', async () => {
    for (const o of [{ internalSubnets: [] }, { internalSubnets: [], algorithm: 'rita-legacy' as const, hourlyImport: false }]) {
      const inThread = await runBeaconAnalysis([path.dirname(mutated)], { ...o, parseWorkers: 0 });
      for (const n of [1, 3]) {
        const pooled = await runBeaconAnalysis([path.dirname(mutated)], { ...o, parseWorkers: n, parseWorkerBundle: ENTRY });
        same(pooled, inThread);
      }
      assert.ok(inThread.summary.unparsedLines > 0);
      assert.ok(inThread.errors.some((e) => e.line > 0 && /unreadable ts/.test(e.message)));
      assert.ok(inThread.errors.some((e) => /gzip/.test(e.message)));
      assert.ok(inThread.summary.pairs > 0);
    }
  });

  it('with the http log (host-name join by uid) the conn files are read in this thread, same result', async () => {
    fs.rmSync(marker, { force: true });
    const pooled = await runBeaconAnalysis([ZEEK], { internalSubnets: [], parseWorkers: 2, parseWorkerBundle: tracked });
    const inThread = await runBeaconAnalysis([ZEEK], { internalSubnets: [], parseWorkers: 0 });
    same(pooled, inThread);
  });

  it('a file read by a worker gives the same columns as read here', async () => {
    const file = path.join(DAY, 'conn.13:00:00-14:00:00.log.gz');
    const info = await sniffInput(file);
    const here = await readConnColumns(info);
    const pool = new ConnParsePool(ENTRY, 1);
    try {
      const there = await pool.parse(info);
      assert.deepEqual(there.result, here.result);
      assert.equal(there.cols.n, here.cols.n);
      assert.ok(here.cols.n > 500, String(here.cols.n));
      for (const k of ['tsMs', 'dport', 'orig', 'resp', 'src', 'dst', 'quads', 'proto'] as const) {
        assert.deepEqual(Array.from(there.cols[k].subarray(0, here.cols.n)), Array.from(here.cols[k].subarray(0, here.cols.n)), k);
      }
      assert.deepEqual(there.cols.strings, here.cols.strings);
      // dotted quads travel as their values, not in the table
      assert.equal(here.cols.quads[0], 3);
      assert.equal(quadText(here.cols.dst[0]), '64.225.56.201');
      assert.equal(here.cols.quads.subarray(0, here.cols.n).filter((q) => q === 3).length, 981); // 3 records read on the string path carry ids
    } finally {
      await pool.destroy();
    }
  });

  it('missing worker entry: the files are read in this thread (same result)', async () => {
    const missing = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 2, parseWorkerBundle: path.join(tmp, 'no-such-worker.js') });
    const inThread = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 0 });
    same(missing, inThread);
  });

  // without the start time the run would wait forever: the test's timeout (not a speed bound) turns that into a failure
  it('a worker entry that loads but never says ready: PoolStartError after the start time, no hang', { timeout: 60_000 }, async () => {
    const silent = path.join(tmp, 'silent-worker.js');
    fs.writeFileSync(silent, 'setInterval(() => undefined, 1000);\n');
    const pool = new ConnParsePool(silent, 2, undefined, 300);
    const info = await sniffInput(path.join(DAY, 'conn.00:00:00-01:00:00.log.gz'));
    try {
      await assert.rejects(pool.parse(info), (e: Error) => e instanceof PoolStartError && /not ready after 300 ms/.test(e.message));
    } finally {
      await pool.destroy();
    }
  });

  it('a worker that dies while reading: a clear error naming the file, no hang', async () => {
    await assert.rejects(
      runBeaconAnalysis([DAY], { internalSubnets: SENSOR, parseWorkers: 2, parseWorkerBundle: crashing }),
      (e: Error) => e instanceof PoolCrashError && /stopped unexpectedly while reading .*conn\.\d\d.*exited with code 3/.test(e.message),
    );
  });

  it('cancel while workers read: AbortError, workers terminated', async () => {
    const ac = new AbortController();
    fs.rmSync(marker, { force: true });
    const run = runBeaconAnalysis([DAY], {
      internalSubnets: SENSOR,
      parseWorkers: 2,
      parseWorkerBundle: tracked,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'read' && p.filesDone >= 2) ac.abort();
      },
    });
    await assert.rejects(run, (e: Error) => e.name === 'AbortError');
    // a pool whose jobs are cancelled rejects them and ends its threads
    const pool = new ConnParsePool(ENTRY, 2);
    const info = await sniffInput(path.join(DAY, 'conn.00:00:00-01:00:00.log.gz'));
    const jobs = [pool.parse(info), pool.parse(info), pool.parse(info)].map((j) => j.then(() => 'done', (e: Error) => e.name));
    const abort = new Error('cancelled');
    abort.name = 'AbortError';
    await pool.destroy(abort);
    assert.deepEqual(await Promise.all(jobs), ['AbortError', 'AbortError', 'AbortError']);
    await assert.rejects(pool.parse(info), (e: Error) => e.name === 'AbortError');
  });

  it('default number of workers: the environment variable, else one per core (at most 4)', () => {
    assert.equal(defaultParseWorkers({ [PARSE_WORKERS_ENV]: '0' }), 0);
    assert.equal(defaultParseWorkers({ [PARSE_WORKERS_ENV]: ' 3 ' }), 3);
    const cores = os.availableParallelism();
    assert.equal(defaultParseWorkers({ [PARSE_WORKERS_ENV]: 'x' }), cores >= 2 ? Math.min(cores, 4) : 0);
  });
});

describe('result order', () => {
  it('sortPairs gives the order of a stable sort with comparePairs (ties on every key, SNI vs IP)', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: [], parseWorkers: 0 });
    assert.ok(a.pairs.length > 100);
    // shuffled real pairs plus copies that tie on score/count/source/destination with each other
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const base = a.pairs.map((p) => ({ ...p }));
    const extra: BeaconPair[] = [];
    for (let i = 0; i < 200; i++) {
      const p = { ...base[Math.floor(rnd() * base.length)] };
      if (i % 3 === 0) p.score = base[0].score;
      if (i % 5 === 0) p.count = base[1].count;
      if (i % 7 === 0) (p as { fqdn: string }).fqdn = p.dst; // an SNI pair whose FQDN equals an IP pair's destination
      extra.push(p);
    }
    const all = [...base, ...extra].map((p, i) => ({ p, r: rnd(), i })).sort((x, y) => x.r - y.r || x.i - y.i).map((x) => x.p);
    const expected = [...all].sort(comparePairs);
    const got = sortPairs(all);
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) assert.equal(got[i], expected[i], `position ${i}`);
  });

  it('sortPairs equals the stable comparator sort on random keys (ties, -0, non-ASCII, NaN/∞ fallback)', () => {
    const text = fc.constantFrom('', '10.0.0.1', '10.0.0.10', '10.0.0.2', 'a.example', 'ä.example', '\u{1F600}', 'Z', 'z');
    const pair = fc.record({
      // not-finite values are rare, so most arrays take the radix path and some the fallback
      score: fc.oneof({ arbitrary: fc.constantFrom(0, -0, 0.25, 0.5, 0.501, 1), weight: 300 }, { arbitrary: fc.constantFrom(NaN, Infinity), weight: 1 }),
      count: fc.oneof({ arbitrary: fc.constantFrom(0, 3, 4, 100, 1e9), weight: 300 }, { arbitrary: fc.constant(-Infinity), weight: 1 }),
      src: text,
      dst: text,
      fqdn: text,
    });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 60 }), (raw) => {
        const all = raw.map((r) => ({ ...r, type: r.fqdn ? 'sni' : 'ip' }) as unknown as BeaconPair);
        const expected = [...all].sort(comparePairs);
        const got = sortPairs(all);
        assert.equal(got.length, expected.length);
        for (let i = 0; i < got.length; i++) assert.equal(got[i], expected[i], `position ${i}`);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });
});
