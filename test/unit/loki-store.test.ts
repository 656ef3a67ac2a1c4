// Columnar Loki findings (src/core/parse/loki-store.ts): a run through the store gives exactly what
// the object path gives (parseLokiFile per file + analyzeLoki), on the real results, the fixtures
// and fuzzed Python CSV files; the list API behaves like an array's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseLokiFile, parseLokiFileColumnar } from '../../src/core/parse/loki';
import { LokiIntern } from '../../src/core/parse/loki-intern';
import { LokiFindingStore, MessageReader, findingsArray } from '../../src/core/parse/loki-store';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { objectPath } from './loki-object-path';
import { writeJson } from '../../src/cli/cli';
import { postResult, RESULT_PART_ITEMS } from '../../src/worker/job-handler';
import type { FromWorker } from '../../src/shared/worker-protocol';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 60);
const SEED = Number(process.env.FUZZ_SEED) || 7;
const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIX = path.resolve(__dirname, '../../../test/fixtures/loki');


/** Same value and same key order (JSON), finding by finding. */
function sameFindings(actual: Iterable<unknown>, expected: readonly unknown[], what: string): void {
  const a = [...actual];
  assert.equal(a.length, expected.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.deepStrictEqual(a[i], expected[i], `${what} #${i}`);
    assert.equal(JSON.stringify(a[i]), JSON.stringify(expected[i]), `${what} #${i} (key order)`);
  }
}

test('store: a run over the real results and the fixtures equals the object path, finding by finding', async () => {
  for (const dir of [REAL, FIX]) {
    for (const all of [false, true]) {
      const run = await runLokiAnalysis([dir], { includeAllScans: all });
      const expected = await objectPath(dir, all);
      sameFindings(run.findings, expected.findings, dir);
      const { findings: _a, ...restRun } = run;
      const { findings: _b, ...restExp } = expected;
      assert.deepStrictEqual(restRun, restExp);
    }
  }
  // The real CSV results are plain ASCII Python CSV: their file findings are columnar rows.
  const r = await parseLokiFileColumnar(path.join(REAL, 'scan_result (1).csv'), new MessageReader());
  assert.ok(r.findings instanceof LokiFindingStore);
  const st = r.findings as LokiFindingStore;
  assert.equal(st.length, 11);
  assert.equal(st.columnarRows, 11);
});

test('store: the list API (at, slice, iteration) behaves like an array', async () => {
  const r = await parseLokiFileColumnar(path.join(REAL, 'scan_result (1).csv'), new MessageReader(), { intern: new LokiIntern() });
  const arr = (await parseLokiFile(path.join(REAL, 'scan_result (1).csv'))).findings;
  const st = r.findings;
  assert.equal(st.length, arr.length);
  for (const i of [-1, st.length, 1.5, NaN, Infinity]) assert.equal(st.at(i), undefined, String(i));
  assert.deepStrictEqual(st.at(0), arr[0]);
  assert.deepStrictEqual(st.at(st.length - 1), arr[arr.length - 1]);
  for (const [s, e] of [[0, 0], [0, 3], [5, 2], [st.length - 2, st.length + 10], [-3, 2], [undefined, undefined]] as [number | undefined, number | undefined][]) {
    const want = arr.slice(Math.max(0, s ?? 0), e === undefined ? undefined : Math.max(0, e));
    assert.deepStrictEqual(st.slice(s, e), want, `slice(${s}, ${e})`);
  }
  assert.deepStrictEqual(findingsArray(st), arr);
  assert.equal(findingsArray(arr), arr);
});

test('store: loki --json of a columnar run is byte-identical to the object path', async () => {
  for (const dir of [REAL, FIX]) {
    const run = await runLokiAnalysis([dir]);
    const expected = await objectPath(dir);
    const a: string[] = [];
    const b: string[] = [];
    writeJson(run, { stdout: (s) => a.push(s) });
    writeJson(expected, { stdout: (s) => b.push(s) });
    assert.equal(a.join(''), b.join(''), dir);
  }
});

test('store: the worker sends a columnar findings list as arrays (slices when long)', async () => {
  // 11 real findings × 150 hosts: more than one result slice (RESULT_PART_ITEMS).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-store-w-'));
  const csv = fs.readFileSync(path.join(REAL, 'scan_result (1).csv'), 'utf8');
  for (let i = 0; i < 150; i++) fs.writeFileSync(path.join(dir, `h${i}.csv`), csv.replace(/DS1/g, `HOST${i}`));
  const run = await runLokiAnalysis([dir]);
  const expected = await objectPath(dir);
  assert.equal(run.findings.length, 1650);
  const posted: FromWorker[] = [];
  try {
    await postResult((m) => posted.push(m), run); // builds the findings: reads the files again
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(posted.filter((m) => m.type === 'resultPart').length, Math.ceil(1650 / RESULT_PART_ITEMS));
  const items: unknown[] = [];
  let result: Record<string, unknown> | undefined;
  let parts: string[] | undefined;
  for (const m of posted) {
    if (m.type === 'resultPart') {
      assert.equal(m.key, 'findings');
      items.push(...m.items);
    } else if (m.type === 'result') {
      result = m.result as Record<string, unknown>;
      parts = m.parts;
    }
  }
  assert.ok(result);
  assert.deepStrictEqual(result.findings, []);
  assert.deepStrictEqual(parts, ['findings']);
  const got = items;
  // A structured clone of what was posted is what the host gets.
  sameFindings(structuredClone(got), expected.findings, 'posted');
});

/** A Python CSV record. */
const rec = (ts: string, host: string, level: string, module: string, msg: string): string => `${ts},${host},${level},${module},${msg}`;

test('store: fuzzed Python CSV files give the same analysis through the store as through objects', async () => {
  const real = [REAL, FIX]
    .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.csv')).map((f) => path.join(d, f)))
    .flatMap((f) => fs.readFileSync(f, 'utf8').split(/\r?\n/))
    .filter((l) => /^\d{8}T[\d:]{8}Z,[^,]*,(ALERT|WARNING|NOTICE),\w+,FILE: /.test(l));
  assert.ok(real.length >= 10, String(real.length));
  const msgs = real.map((l) => l.split(',').slice(4).join(','));
  const piece = fc.constantFrom(
    ' SCORE: 12 TYPE: ', ' SIZE: 5 ', ' MD5: ' + 'A'.repeat(32), ' SHA1: ' + 'b'.repeat(40), ' CREATED: ', ' MODIFIED: x', ' ACCESSED: ',
    'REASON_2: ', 'REASON_1: Yara Rule MATCH: X SUBSCORE: 3', 'SUBSCORE: ', ' FIRST_BYTES: ', '\u00e9', '"', ',', '  ', '',
  );
  const mutated = fc.tuple(fc.nat(msgs.length - 1), fc.nat(2000), fc.nat(2000), piece).map(([k, a, b, p]) => {
    const m = msgs[k];
    const i = Math.min(a, m.length);
    const j = Math.min(i + (b % 40), m.length);
    return b % 3 === 0 ? m.slice(0, i) : m.slice(0, i) + p + m.slice(j);
  });
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('ALERT', 'WARNING', 'NOTICE'), mutated).map(([lv, m]) => rec('20220110T08:00:05Z', 'WS-1', lv, 'FileScan', m)) },
    { weight: 1, arbitrary: fc.constantFrom('    continuation text', rec('20220110T08:00:06Z', 'WS-2', 'ALERT', 'FileScan', msgs[0]), rec('20220110T08:00:07Z', 'WS-1', 'INFO', 'FileScan', 'Scanning x')) },
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-store-'));
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 3 }), async (files) => {
        for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
        files.forEach((ls, i) => fs.writeFileSync(path.join(dir, `loki_${i}.csv`), ls.join(i % 2 ? '\r\n' : '\n') + '\n'));
        const run = await runLokiAnalysis([dir]);
        const expected = await objectPath(dir);
        sameFindings(run.findings, expected.findings, 'fuzz');
        const { findings: _a, ...restRun } = run;
        const { findings: _b, ...restExp } = expected;
        assert.deepStrictEqual(restRun, restExp);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A Python CSV log of `n` file findings (the first real FILE: message with its path numbered). */
function lokiLog(n: number, pathOf: (i: number) => string = (i) => `C:\\x\\f${i}.exe`): string {
  const lines = ['20220110T08:00:00Z,WS-1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2'];
  for (let i = 0; i < n; i++) {
    lines.push(`20220110T08:00:01Z,WS-1,WARNING,FileScan,FILE: ${pathOf(i)} SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 4d5a MD5: ${'0'.repeat(32)} SHA1: ${'1'.repeat(40)} CREATED: Mon Jan 10 08:00:00 2022 REASON_1: Yara Rule MATCH: R${i % 7} SUBSCORE: 70 DESCRIPTION: d REF: -`);
  }
  return lines.join('\r\n') + '\r\n';
}

test('store: messages are read back from the file, each file once when the findings are built in order', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-reader-'));
  try {
    // ~2.6 MB per file: three 1 MiB windows each
    for (const f of ['a.csv', 'b.csv']) fs.writeFileSync(path.join(dir, f), lokiLog(9000));
    const reader = new MessageReader();
    const a = await parseLokiFileColumnar(path.join(dir, 'a.csv'), reader);
    const b = await parseLokiFileColumnar(path.join(dir, 'b.csv'), reader);
    const want = [...(await parseLokiFile(path.join(dir, 'a.csv'))).findings, ...(await parseLokiFile(path.join(dir, 'b.csv'))).findings];
    assert.equal(reader.reads, 0); // nothing read back while parsing
    const got = [...a.findings, ...b.findings];
    sameFindings(got, want, 'read back');
    const windows = Math.ceil(fs.statSync(path.join(dir, 'a.csv')).size / MessageReader.WINDOW);
    assert.equal(windows, 3);
    assert.equal(reader.reads, 2 * windows);
    // Random access still works (one window per jump).
    assert.deepStrictEqual(a.findings.at(8999), want[8999]);
    assert.deepStrictEqual(b.findings.at(0), want[9000]);
    assert.deepStrictEqual(a.findings.at(1), want[1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('store: a log file that changed after the analysis: grown or rewritten the same is read; rewritten, cut or gone is an error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-reader-'));
  const file = path.join(dir, 'WS-1.csv');
  const text = lokiLog(50);
  const parse = async () => {
    fs.writeFileSync(file, text);
    const r = await parseLokiFileColumnar(file, new MessageReader());
    assert.equal((r.findings as LokiFindingStore).columnarRows, 50);
    return r.findings;
  };
  try {
    const want = (await parseLokiFile((fs.writeFileSync(file, text), file))).findings;
    // Loki still writing: the file grew; the analyzed part is unchanged.
    let got = await parse();
    fs.appendFileSync(file, lokiLog(3).split('\r\n').slice(1).join('\r\n'));
    sameFindings(got, want, 'grown');
    // Written again with the same bytes (new modification time): checked and read.
    got = await parse();
    fs.writeFileSync(file, Buffer.from(text));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    sameFindings(got, want, 'same bytes');
    // Rewritten: other paths of the same length (the positions agree; the file's first bytes do not).
    got = await parse();
    fs.writeFileSync(file, lokiLog(50, (i) => `D:\\y\\g${i}.exe`));
    assert.throws(() => got.at(3), (e: Error) => e.message === `${file} changed after it was analyzed (it no longer starts as it did); run the analysis again`);
    // Rewritten with other lengths (another scan)
    got = await parse();
    fs.writeFileSync(file, lokiLog(50, (i) => `C:\\longer\\path\\${i}.dll`));
    assert.throws(() => [...got], /changed after it was analyzed/);
    // Cut short
    got = await parse();
    fs.truncateSync(file, 400);
    assert.throws(() => got.at(49), (e: Error) => e.message === `cannot read the findings of ${file} again: the file is shorter than when it was analyzed; run the analysis again`);
    // Gone
    got = await parse();
    fs.rmSync(file);
    assert.throws(() => got.slice(0, 2), (e: Error) => e.message.startsWith(`cannot read the findings of ${file} again: ENOENT: no such file or directory`));
    // Replaced by a folder
    got = await parse();
    fs.rmSync(file);
    fs.mkdirSync(file);
    assert.throws(() => got.at(0), (e: Error) => e.message.includes('EISDIR') || e.message.includes('no longer a regular file'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('store: postResult sends a long typed array as it is (only list objects are sliced)', async () => {
  const posted: FromWorker[] = [];
  const values = new Float64Array(2500).fill(1.5);
  await postResult((m) => posted.push(m), { values, n: 1 });
  assert.equal(posted.length, 1);
  const m = posted[0];
  assert.equal(m.type, 'result');
  assert.equal((m as { result: { values: Float64Array } }).result.values, values);
});

test('store: a file parsed after larger ones (its columns are theirs, reused) holds only its own rows', async () => {
  // Stores of one thread fill the columns a finished store gave back (SCRATCH, loki-store.ts): the
  // rows past a small file's own still hold a large file's values, and a row whose FILE: message
  // did not locate (no SCORE) is written and then reused. Each file must read as it does alone.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-scratch-'));
  try {
    // one host per file: the merge keeps one scan per host
    const on = (text: string, host: string): string => text.replaceAll(',WS-1,', `,${host},`);
    fs.writeFileSync(path.join(dir, 'a-big.csv'), on(lokiLog(3000, (i) => `C:\\big\\b${i}.dll`), 'HOST-A'));
    const small = lokiLog(4, (i) => `D:\\small\\s${i}.exe`).replaceAll(' SCORE: 70 ', ' SCORE: 55 ').split('\r\n');
    // a FILE: message without SCORE (reported unparsed), and a finding's line again with another host
    small.splice(2, 0, '20220110T08:00:02Z,WS-1,ALERT,FileScan,FILE: C:\\nos\\core.exe TYPE: EXE SIZE: 1');
    small.splice(4, 0, small[3].replace(',WS-1,', ',WS-9,'));
    fs.writeFileSync(path.join(dir, 'b-small.csv'), small.join('\r\n'));
    fs.writeFileSync(path.join(dir, 'c-big.csv'), on(lokiLog(2100, (i) => `E:\\c${i}.sys`), 'HOST-C'));
    fs.writeFileSync(path.join(dir, 'd-one.csv'), on(lokiLog(1), 'HOST-D'));
    for (let round = 0; round < 2; round++) {
      const run = await runLokiAnalysis([dir], { parseWorkers: 0 });
      const expected = await objectPath(dir);
      sameFindings(run.findings, expected.findings, `round ${round}`);
      const { findings: _a, ...restRun } = run;
      const { findings: _b, ...restExp } = expected;
      assert.deepStrictEqual(restRun, restExp);
      assert.equal(run.findings.length, 3000 + 5 + 2100 + 1);
      const mine = [...run.findings].filter((f) => f.source.file.endsWith('b-small.csv'));
      assert.deepStrictEqual(mine.map((f) => f.path), ['s0', 's1', 's1', 's2', 's3'].map((n) => `D:\\small\\${n}.exe`));
      assert.ok(mine.every((f) => f.score === 55 && f.reasons.length === 1 && f.source.line > 1), 'rows of the small file');
      assert.equal(run.summary.unparsedLines, 1);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
