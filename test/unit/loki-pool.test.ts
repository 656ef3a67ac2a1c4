/**
 * Loki parse workers (src/core/analyze/run-loki.ts with the pool of beacons/pool.ts): a run whose
 * files are parsed by worker threads must give exactly the analysis of a run in the calling thread
 * (findings value by value and in key order, every other field), on the real results, the fixtures
 * and many generated endpoint files; a worker that cannot start, crashes or fails hands its files
 * back; cancellation terminates the workers. The worker entry is the compiled
 * out/src/core/analyze/beacons/zeek-worker.js (what dist/zeek-worker.js bundles).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { discoverLokiFiles } from '../../src/core/parse/discover';
import { LOKI_WORKERS_ENV, defaultParseWorkers } from '../../src/core/analyze/beacons/pool';
import type { LokiAnalysis } from '../../src/core/analyze/loki-summary';
import type { FindingList } from '../../src/core/model/loki';
import { writeEndpoints } from './loki-endpoints';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIX = path.resolve(__dirname, '../../../test/fixtures/loki');
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');

let tmp = '';
let many = '';
let crashing = '';
let failing = '';
let silent = '';
let tracked = '';
let marker = '';

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-loki-pool-'));
  // 40 endpoints from the real results: hosts renamed, every fourth file with CRLF → LF, every
  // fifth with a broken record, two scans of one host in different files.
  many = path.join(tmp, 'many');
  writeEndpoints(many); // 40 endpoints from the real results (test/unit/loki-endpoints.ts)
  crashing = path.join(tmp, 'crashing-worker.js');
  fs.writeFileSync(crashing, `const { parentPort } = require('worker_threads');\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => process.exit(3));\n`);
  failing = path.join(tmp, 'failing-worker.js');
  fs.writeFileSync(failing, `const { parentPort } = require('worker_threads');\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', (m) => parentPort.postMessage({ type: 'failed', id: m.id, message: 'no' }));\n`);
  // the real entry, noting each Loki file it is sent (proves the files were parsed by workers)
  marker = path.join(tmp, 'parsed.txt');
  tracked = path.join(tmp, 'tracked-worker.js');
  fs.writeFileSync(tracked, `require('worker_threads').parentPort.on('message', (m) => { if (m.type === 'loki') require('fs').appendFileSync(${JSON.stringify(marker)}, 'x'); });\nrequire(${JSON.stringify(ENTRY)});\n`);
  silent = path.join(tmp, 'silent-worker.js');
  fs.writeFileSync(silent, `throw new Error('cannot load');\n`);
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The whole analysis as JSON (findings built, key order included). */
const json = (a: LokiAnalysis<FindingList>) => JSON.stringify(a);

test('loki workers: the analysis of files parsed by workers equals the one parsed in this thread', async () => {
  for (const dir of [REAL, FIX, many]) {
    for (const includeAllScans of [false, true]) {
      const here = await runLokiAnalysis([dir], { includeAllScans, parseWorkers: 0 });
      fs.rmSync(marker, { force: true });
      const pooled = await runLokiAnalysis([dir], { includeAllScans, parseWorkers: 2, parseWorkerBundle: tracked });
      assert.ok(here.findings.length > 0, dir);
      const files = (await discoverLokiFiles([dir])).files.length;
      // the workers take files in order, two each at a time; this thread parses the next file nobody has taken while
      // it waits: which thread parses which file depends on timing, the analysis must not
      const byWorkers = fs.readFileSync(marker, 'utf8').length;
      assert.ok(byWorkers >= 1 && byWorkers <= files, `${dir}: ${byWorkers} of ${files} files parsed by workers`);
      assert.equal(json(pooled), json(here), `${dir} all scans: ${includeAllScans}`);
    }
  }
});

test('loki workers: equal reasons lists of different files are one array again (one per side: workers, this thread)', async () => {
  const a = await runLokiAnalysis([many], { parseWorkers: 2, parseWorkerBundle: ENTRY });
  // the files the workers parsed share one array per list, and so do the files parsed in this thread (its memo)
  const byJson = new Map<string, Set<unknown>>();
  let shared = 0;
  for (const f of a.findings) {
    const k = JSON.stringify(f.reasons);
    let seen = byJson.get(k);
    if (seen === undefined) byJson.set(k, (seen = new Set()));
    if (seen.has(f.reasons)) shared++;
    seen.add(f.reasons);
    assert.ok(seen.size <= 2, `${k}: ${seen.size} arrays`);
  }
  assert.ok(shared > a.findings.length / 2, `${shared} of ${a.findings.length}`);
});

test('loki workers: this thread parses files beside the workers (the files nobody has taken while it waits)', async () => {
  fs.rmSync(marker, { force: true });
  const seen: number[] = [];
  const a = await runLokiAnalysis([many], { parseWorkers: 1, parseWorkerBundle: tracked, onProgress: (p) => seen.push(p.filesDone, p.bytesDone) });
  const byWorker = fs.readFileSync(marker, 'utf8').length;
  // 40 files, one worker: the worker takes some, this thread the others
  assert.ok(byWorker >= 1 && byWorker < 40, `${byWorker} of 40 parsed by the worker`);
  assert.equal(json(a), json(await runLokiAnalysis([many], { parseWorkers: 0 })));
  // progress never goes back (files done, bytes done)
  for (let i = 2; i < seen.length; i += 2) {
    assert.ok(seen[i] >= seen[i - 2], `filesDone ${seen[i - 2]} → ${seen[i]}`);
    assert.ok(seen[i + 1] >= seen[i - 1], `bytesDone ${seen[i - 1]} → ${seen[i + 1]}`);
  }
  assert.equal(seen[seen.length - 2], 40);
});

test('loki workers: by default one worker fewer than defaultParseWorkers (this thread parses too); the variable is taken as is', async () => {
  const { defaultLokiParseWorkers } = await import('../../src/core/analyze/run-loki');
  const cores = defaultParseWorkers({}, LOKI_WORKERS_ENV);
  assert.equal(defaultLokiParseWorkers({}), Math.max(0, cores - 1));
  assert.equal(defaultLokiParseWorkers({ [LOKI_WORKERS_ENV]: '0' }), 0);
  assert.equal(defaultLokiParseWorkers({ [LOKI_WORKERS_ENV]: '2' }), 2);
});

test('loki workers: a worker that cannot start, crashes or fails hands its files back (same analysis)', async () => {
  const here = json(await runLokiAnalysis([many], { parseWorkers: 0 }));
  for (const bundle of [silent, crashing, failing, path.join(tmp, 'missing.js')]) {
    const got = await runLokiAnalysis([many], { parseWorkers: 2, parseWorkerBundle: bundle });
    assert.equal(json(got), here, path.basename(bundle));
  }
});

test('loki workers: cancelling stops the run and its workers', async () => {
  const ac = new AbortController();
  let seen = 0;
  await assert.rejects(
    runLokiAnalysis([many], {
      parseWorkers: 2,
      parseWorkerBundle: ENTRY,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.filesDone >= 3 && seen++ === 0) ac.abort();
      },
    }),
    (e: Error) => e.name === 'AbortError',
  );
  assert.equal(seen > 0, true);
});

test('loki workers: the default number comes from SOC_ANALYTICS_LOKI_WORKERS', () => {
  assert.equal(defaultParseWorkers({ [LOKI_WORKERS_ENV]: '0' }, LOKI_WORKERS_ENV), 0);
  assert.equal(defaultParseWorkers({ [LOKI_WORKERS_ENV]: '3' }, LOKI_WORKERS_ENV), 3);
  assert.equal(defaultParseWorkers({ SOC_ANALYTICS_BEACON_WORKERS: '0', [LOKI_WORKERS_ENV]: '2' }, LOKI_WORKERS_ENV), 2);
});

test('loki workers: a store travels as tables (each host, path and reasons list once per file) and arrives equal', async () => {
  const { parseLokiFileColumnar } = await import('../../src/core/parse/loki');
  const { LokiFindingStore, MessageReader, pathHash } = await import('../../src/core/parse/loki-store');
  const { LokiIntern, TextPool } = await import('../../src/core/parse/loki-intern');
  const reader = new MessageReader();
  const intern = new LokiIntern();
  const share = { reasons: new Map(), texts: new TextPool(200_000) };
  const arrived: InstanceType<typeof LokiFindingStore>[] = [];
  // 300 file findings over 7 rules, every 25th a process finding or a path that is not ASCII (object rows)
  const dir = path.join(tmp, 'tables');
  fs.mkdirSync(dir);
  for (let k = 0; k < 3; k++) {
    const lines = ['20220110T08:00:00Z,WS-1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2'];
    // a reasons list too long to be shared by its JSON (sent without a key)
    lines.push(`20220110T08:00:01Z,WS-1,WARNING,FileScan,FILE: C:\\long.exe SCORE: 70 TYPE: EXE SIZE: 12 REASON_1: Yara Rule MATCH: LONG SUBSCORE: 70 DESCRIPTION: ${'d'.repeat(5000)} REF: -`);
    for (let i = 0; i < 300; i++) {
      const p = i % 25 === 7 ? `C:\\x\\fü${i}.exe` : `C:\\x\\f${i}.exe`;
      lines.push(
        i % 25 === 3
          ? `20220110T08:00:01Z,WS-1,ALERT,ProcessScan,Yara Rule MATCH: R${i % 7} PID: ${i} NAME: a.exe OWNER: x CMD: a.exe PATH: C:\\a.exe`
          : `20220110T08:00:01Z,WS-1,WARNING,FileScan,FILE: ${p} SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 4d5a MD5: ${'0'.repeat(32)} CREATED: Mon Jan 10 08:00:00 2022 REASON_1: Yara Rule MATCH: R${i % 7} SUBSCORE: 70 DESCRIPTION: d REF: -`,
      );
    }
    fs.writeFileSync(path.join(dir, `loki_${k}.csv`), lines.join('\r\n') + '\r\n', 'utf8');
  }
  for (const f of fs.readdirSync(dir)) {
    const r = await parseLokiFileColumnar(path.join(dir, f), reader, { intern });
    const store = r.findings as InstanceType<typeof LokiFindingStore>;
    const before = JSON.stringify([...store]);
    const objects = store.length - store.columnarRows;
    // each row carries the hash of its path (columnar rows from the bytes, object rows from the string)
    const hashes = Array.from({ length: store.length }, (_, i) => store.pathHashAt(i));
    assert.deepEqual(hashes, Array.from({ length: store.length }, (_, i) => pathHash(store.pathAt(i) ?? '')), f);
    assert.ok(new Set(hashes).size > 250, `${f}: distinct paths, distinct hashes`);
    const { data, transfer } = store.toData();
    assert.ok(store.columnarRows > 100 && objects > 0, `${f}: columnar and object rows`);
    assert.equal(data.hostList.length, 1, `${f}: one host`);
    assert.ok(data.reasonList.length < store.length / 5, `${f}: ${data.reasonList.length} lists for ${store.length} rows`);
    assert.equal(data.objList.length, objects);
    assert.deepEqual(data.reasonKeys.map((k) => k.length > 4096), data.reasonKeys.map(() => false), 'no key over 4,096 characters is sent');
    assert.equal(data.reasonKeys.filter((k) => k === '').length, 1, 'the long list has no key');
    const copy = structuredClone(data, { transfer });
    const back = LokiFindingStore.fromData(copy, reader, share);
    assert.equal(JSON.stringify([...back]), before, f);
    assert.deepEqual(Array.from({ length: back.length }, (_, i) => back.pathHashAt(i)), hashes, `${f}: hashes arrive`);
    for (let k = 0; k < copy.objRows.length; k++) assert.equal(copy.objList[k].reasons, back.reasonsAt(copy.objRows[k]), 'an object row holds its row list');
    arrived.push(back);
  }
  // equal lists of different files are one array (lists with over 4,096 characters of JSON are not shared)
  const first = new Map<string, unknown>();
  let shared = 0;
  for (const st of arrived) {
    for (let i = 0; i < st.length; i++) {
      const l = st.reasonsAt(i);
      const k = JSON.stringify(l);
      if (k.length > 4096) continue; // not shared by design
      if (!first.has(k)) first.set(k, l);
      else if (first.get(k) === l) shared++;
      else assert.fail(`two arrays for ${k.slice(0, 200)}`);
    }
  }
  assert.ok(shared > 0);
});
