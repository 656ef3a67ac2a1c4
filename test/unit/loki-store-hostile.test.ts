// Columnar Loki findings (src/core/parse/loki-store.ts) under hostile input and odd runs. The
// object path (parseLokiFile per discovered file + analyzeLoki) stays the oracle where values are
// compared; memory is measured where a columnar row must not keep a large string alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { LokiLineParser, parseLokiFile, parseLokiFileColumnar } from '../../src/core/parse/loki';
import { LokiIntern } from '../../src/core/parse/loki-intern';
import { MessageReader, stampOf } from '../../src/core/parse/loki-store';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { objectPath } from './loki-object-path';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'loki-store-hostile-'));

/** A Python CSV file finding whose FIRST_BYTES value is `head` characters long. */
const fileRecord = (i: number, head: number, tail: string): string =>
  `20220110T08:00:01Z,WS-1,WARNING,FileScan,FILE: C:\\x\\f${i}.exe SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: ${'ab'.repeat(head / 2)} MD5: ${'0'.repeat(32)} CREATED: a REASON_1: ${tail}`;

function writeFindings(file: string, n: number, head: number, tail: (i: number) => string): void {
  const lines = ['20220110T08:00:00Z,WS-1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2'];
  for (let i = 0; i < n; i++) lines.push(fileRecord(i, head, tail(i)));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Heap bytes still used after parsing `file` into a columnar store, with the result alive. */
async function retainedHeap(file: string): Promise<number> {
  // A fresh task: an async caller's suspended frame may still hold the previous result.
  await new Promise((r) => setTimeout(r, 10));
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const r = await parseLokiFileColumnar(file, new MessageReader(), { intern: new LokiIntern() });
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  assert.ok(r.findings.length > 0);
  return after - before;
}

test('store memory: a columnar finding keeps no slice of its message (reasons and memo keys are own copies)', async () => {
  // The message's head (here an 8,000-character FIRST_BYTES) is not kept as a string by a columnar
  // row: only its position in the file (the message is read back when the finding is built). A reason parsed from a slice of the message, or a
  // memo key that is one, kept the whole message string alive: ~8 KB of heap per finding.
  const dir = tmp();
  try {
    const cases: [string, number, (i: number) => string][] = [
      // unique short tails, memos on (stored keys were slices of the message)
      ['memos on', 2000, (i) => `Yara Rule MATCH: R${i} SUBSCORE: 70 DESCRIPTION: d REF: -`],
      // unique tails past the memos' probe window: memos off (reasons were parsed from slices)
      ['memos off', 6000, (i) => `Yara Rule MATCH: R${i} SUBSCORE: 70 DESCRIPTION: d REF: -`],
      // tails over MAX_MEMO_KEY_CHARS (never memoised: reasons were parsed from slices)
      ['long tails', 600, (i) => `Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: - MATCHES: ${'m'.repeat(4200)}${i}`],
    ];
    for (const [what, n, tail] of cases) {
      writeFindings(path.join(dir, 'small.csv'), n, 20, tail);
      writeFindings(path.join(dir, 'big.csv'), n, 8000, tail);
      // the least of three measurements each: garbage not yet collected only adds (one measurement failed once on a
      // machine loaded by other jobs)
      const least = async (f: string) => Math.min(await retainedHeap(f), await retainedHeap(f), await retainedHeap(f));
      const small = await least(path.join(dir, 'small.csv'));
      const big = await least(path.join(dir, 'big.csv'));
      const perFinding = (big - small) / n;
      assert.ok(perFinding < 1000, `${what}: ${perFinding.toFixed(0)} more heap bytes per finding for 7,980 more message characters`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('store memory: the findings of a run do not keep the run\'s memos alive', async () => {
  // The stores kept the run's LokiIntern (to pool texts again when building findings), and with it
  // every memo key: a private copy of each distinct REASON tail (up to 50,000 of up to 4,096
  // characters) besides the reasons themselves. Half the tails repeat here, so the memos stay on.
  // Measured as the growth from 2,000 to 6,000 findings (after a warm-up run), per distinct tail added: the heap
  // of one run also holds a few MB that do not grow with the input (compiled code, module state), which moved with
  // the code (an absolute bound of 1.5 × the distinct reasons failed on it by 0.1–0.2 MB).
  const dir = tmp();
  try {
    const tailChars = 3000;
    const write = (name: string, n: number) => {
      fs.mkdirSync(path.join(dir, name));
      writeFindings(path.join(dir, name, 'a.csv'), n, 20, (i) => `Yara Rule MATCH: R${i % 2 ? i : 0} SUBSCORE: 70 DESCRIPTION: d REF: - MATCHES: ${'m'.repeat(tailChars)}`);
    };
    write('warm', 500);
    write('small', 2000);
    write('big', 6000);
    const retained = async (name: string, n: number): Promise<number> => {
      await new Promise((r) => setTimeout(r, 10));
      gc();
      gc();
      const before = process.memoryUsage().heapUsed;
      const run = await runLokiAnalysis([path.join(dir, name)], { includeAllScans: true });
      await new Promise((r) => setTimeout(r, 10));
      gc();
      gc();
      const kept = process.memoryUsage().heapUsed - before;
      assert.equal(run.findings.length, n);
      return kept;
    };
    await retained('warm', 500);
    const small = await retained('small', 2000);
    const big = await retained('big', 6000);
    // 2,000 more distinct tails of 3,000 characters: what must stay is one reason (raw text) per distinct tail,
    // ~3,000 B (measured 3.2–4.5 KB); with the memos alive each also keeps its private copy, ~2 × that
    const perTail = (big - small) / 2000;
    assert.ok(perTail < 1.75 * tailChars, `${perTail.toFixed(0)} B retained per distinct reason tail added (small ${(small / 1e6).toFixed(1)} MB, big ${(big / 1e6).toFixed(1)} MB)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** `fs` itself (the module object; the `import * as` namespace is read-only). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs = require('node:fs') as typeof fs;

test('file reads: a read that fails after a chunk was read still parses that chunk (sync end-of-file read, async read-ahead)', async () => {
  // The read at the known end of the file is synchronous; when it threw, the chunk read just before
  // was never decoded: a file whose last read failed (EIO on a flaky share) lost all its findings,
  // while a failing asynchronous read (and the read stream before) reported them and then the error.
  const dir = tmp();
  const real = nodeFs.readSync;
  try {
    // 1.5 MB: the first 256 KiB are read synchronously, the rest in chunks asynchronously, the read
    // at the end synchronously again.
    const big = path.join(dir, 'big.csv');
    writeFindings(big, 700, 2000, (i) => `Yara Rule MATCH: R${i} SUBSCORE: 70 DESCRIPTION: d REF: -`);
    for (const [file, findings] of [[big, 700]] as const) {
      const size = fs.statSync(file).size;
      const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      nodeFs.readSync = ((fd: number, b: NodeJS.ArrayBufferView, off: number, len: number, pos: number) => {
        if (pos >= size) throw eio;
        return real(fd, b, off, len, pos);
      }) as typeof fs.readSync;
      for (const columnar of [false, true]) {
        const r = columnar
          ? await parseLokiFileColumnar(file, new MessageReader())
          : await parseLokiFile(file);
        const what = `${path.basename(file)} ${columnar ? 'columnar' : 'objects'}`;
        assert.equal(r.errors[0]?.message, 'cannot read file: EIO: i/o error, read', what);
        // Every complete line before the failed read was parsed (the last line ends with EOL).
        assert.equal(r.findings.length, findings, what);
      }
      nodeFs.readSync = real;
    }
  } finally {
    nodeFs.readSync = real;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('store: line numbers past 2^31 (a file of > 2 GiB of line breaks) stay exact in columnar rows', () => {
  // The line column was an Int32Array: line 2^31 came back as -2147483648. The parser's line
  // counter is set directly here instead of feeding two billion empty lines.
  const dir = tmp();
  const file = path.join(dir, 'big.csv');
  const intern = new LokiIntern();
  const lines = [
    '20220110T08:00:00Z,WS-1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2',
    fileRecord(1, 20, 'Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: -'),
    fileRecord(2, 20, 'Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: -'),
  ];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  try {
    const obj = new LokiLineParser(file, 'utf-8', intern);
    const col = new LokiLineParser(file, 'utf-8', intern, new MessageReader(), stampOf(fs.statSync(file), fs.readFileSync(file)));
    for (const p of [obj, col]) {
      let at = 0;
      for (const [i, l] of lines.entries()) {
        if (i === 1) (p as unknown as { lineNo: number }).lineNo = 2 ** 32 - 2;
        const b = Buffer.from(l, 'latin1');
        p.pushBytes(b, 0, b.length, true, at);
        p.releaseBytes();
        at += b.length + 1;
      }
    }
    const want = obj.finish();
    const got = col.finishColumnar();
    assert.equal(got.findings.length, 2);
    assert.equal((got.findings as unknown as { columnarRows: number }).columnarRows, 2);
    assert.deepStrictEqual(want.findings.map((f) => f.source.line), [2 ** 32 - 1, 2 ** 32]);
    assert.deepStrictEqual([...got.findings], want.findings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});


test('store: hostile Python CSV files (chunk boundaries, line ends, control bytes, encodings, modules, hosts, truncations) equal the object path', async () => {
  const real = fs.readFileSync(path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (1).csv'), 'latin1');
  const msgs = real.split(/\r?\n/).filter((l) => /^\d{8}T[\d:]{8}Z,[^,]*,\w+,\w+,FILE: /.test(l)).map((l) => l.split(',').slice(4).join(','));
  const M = msgs[0];
  const rec = (level: string, msg: string, host = 'WS-1', module = 'FileScan'): string => `20220110T08:00:05Z,${host},${level},${module},${msg}`;
  const START = rec('NOTICE', 'Starting Loki Scan VERSION: 0.44.2', 'WS-1', 'Init');
  const B = 1 << 20;
  const files: Record<string, Buffer> = {};
  const u = (s: string) => Buffer.from(s, 'utf8').toString('latin1'); // UTF-8 bytes as latin1 text
  // A FILE record (then a continuation line, then more records) with a read boundary at offset k of
  // the record — the end of the first read (256 KiB) and of the next one (+ 1 MiB) — for LF, CRLF and
  // lone CR line ends; with LF, the continuation line is not ASCII (the record's own line and chunk
  // are: it is read as bytes, then gets a non-ASCII part).
  for (const [name, eol, B] of [1 << 18, (1 << 18) + (1 << 20)].flatMap((b) => [['lf', '\n', b], ['crlf', '\r\n', b], ['cr', '\r', b]] as const)) {
    const R = rec('WARNING', M);
    const cont = name === 'lf' ? u('continued päth €') : 'continued part of the path';
    for (const k of [-2, -1, 0, 1, 40, R.length - 1, R.length, R.length + 1, R.length + 2]) {
      let out = START + eol;
      const filler = rec('INFO', 'Scanning C:/x '.repeat(10)) + eol;
      while (out.length + filler.length + 2000 < B - k) out += filler;
      out += rec('INFO', 'y'.repeat(B - k - out.length - rec('INFO', '').length - eol.length)) + eol;
      assert.equal(out.length, B - k);
      out += R + eol + cont + eol + rec('ALERT', msgs[1]) + eol + R;
      files[`edge_${name}_${B}_${k}.csv`] = Buffer.from(out, 'latin1');
    }
  }
  const lines = (ls: string[], eol = '\n') => Buffer.from(ls.join(eol) + eol, 'latin1');
  Object.assign(files, {
    'ctrl.csv': lines([START, rec('WARNING', `\x1b[31m${M}\x1b[0m`), rec('WARNING', M.replace('SCORE', 'SC\bORE')), rec('WARNING', M.replace('Uninstall', 'Unin\0stall')), rec('WARNING', M + '\0'), rec('WARNING', M + '\t'), rec('WARNING', M + '\x7f'), '|' + rec('WARNING', M)]),
    'trailing-cr.csv': lines([START, rec('WARNING', M) + '\r', rec('ALERT', M) + '\r\r', rec('WARNING', M)]),
    'non-ascii.csv': lines([START, rec('WARNING', u(M.replace('Uninstall', 'Unïnstall'))), rec('WARNING', u(M.replace('WinPcap REF', 'WinPcäp REF'))), rec('WARNING', M, u('WS-ü')), rec('WARNING', M)]),
    'continuation.csv': lines([START, rec('WARNING', M), u('  weiter: Pfad ï € 😀'), rec('ALERT', M), 'ascii continuation', rec('WARNING', M), u('ü'), 'x'.repeat(300)]),
    'cp1252.csv': lines([START, rec('WARNING', M), rec('WARNING', M.replace('Uninstall', 'Un\xefnstall')), rec('WARNING', M)]),
    'bom.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lines([START, rec('WARNING', M), rec('WARNING', M)])]),
    'utf8-cut-at-end.csv': Buffer.concat([lines([START, rec('WARNING', M), rec('WARNING', M)]), Buffer.from([0xe2, 0x82])]),
    'other-format-first.csv': lines(['hello', '2022-01-10T08:00:00Z WS-1 INFO Loki-RS scan started', START, rec('WARNING', M)]),
    'csv4-first.csv': lines([`20220110T08:00:05Z,WS-1,WARNING,${M}`, rec('WARNING', M), rec('WARNING', M, 'WS-1', 'Foo')]),
    'modules.csv': lines([START, ...Array.from({ length: 300 }, (_, i) => rec('WARNING', M, 'WS-1', `Mod${i}`)), rec('WARNING', M), rec('WARNING', M, 'WS-1', 'Mod3')]),
    'hosts.csv': lines([START, rec('WARNING', M), rec('WARNING', M, 'WS-2'), rec('WARNING', M), START, rec('ALERT', M), START, START, rec('WARNING', M, 'ws-1'), rec('WARNING', M, '')]),
    'levels.csv': lines([START, ...['INFO', 'DEBUG', 'ERROR', 'CRITICAL', 'RESULT', 'NOTICE', 'ALERT', 'WARNING', 'warning'].map((l) => rec(l, M))]),
    'truncated.csv': lines([START, ...Array.from({ length: Math.ceil(M.length / 7) + 1 }, (_, i) => rec(i % 2 ? 'ALERT' : 'WARNING', M.slice(0, i * 7))), rec('WARNING', M.slice(0, M.indexOf(' REASON_1')) + ' garbage')]),
    'truncated-last.csv': Buffer.from([START, rec('WARNING', M), rec('WARNING', M.slice(0, 300))].join('\n'), 'latin1'),
    'empty.csv': Buffer.alloc(0),
    'blank.csv': Buffer.from('\r\n\n \n', 'latin1'),
  });
  // A windows-1252 fallback in the second chunk, after columnar rows of the first.
  let late = START + '\n';
  while (late.length < B + 100) late += rec('WARNING', M) + '\n';
  files['late-cp1252.csv'] = Buffer.concat([Buffer.from(late, 'latin1'), lines([rec('WARNING', M.replace('Uninstall', 'Un\xefnstall')), rec('WARNING', M)])]);
  const dir = tmp();
  try {
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
    for (const all of [false, true]) {
      const run = await runLokiAnalysis([dir], { includeAllScans: all });
      const expected = await objectPath(dir, all);
      const got = [...run.findings];
      assert.equal(got.length, expected.findings.length);
      for (let i = 0; i < got.length; i++) {
        assert.deepStrictEqual(got[i], expected.findings[i], `#${i}`);
        assert.equal(JSON.stringify(got[i]), JSON.stringify(expected.findings[i]), `#${i} (key order)`);
      }
      const { findings: _a, ...restRun } = run;
      const { findings: _b, ...restExp } = expected;
      assert.deepStrictEqual(restRun, restExp);
      if (all) assert.ok(got.length > 500, String(got.length));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
