// Read buffers reused from chunk to chunk and file to file (ReadBuffers, parseLokiFileColumnar):
// nothing of a chunk may be read after its buffer was read into again or given back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiFileColumnar, ReadBuffers } from '../../src/core/parse/loki';
import { LineDecoder } from '../../src/core/parse/lines';
import { LokiIntern } from '../../src/core/parse/loki-intern';
import { MessageReader } from '../../src/core/parse/loki-store';
import { discoverLokiFiles } from '../../src/core/parse/discover';
// the module object itself (the namespace import above is a read-only view of it)
import nodeFs = require('node:fs');

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/loki');

/** Buffers poisoned when taken and when given back: a chunk still used after either shows garbage. */
class PoisonBuffers extends ReadBuffers {
  taken = 0;
  given = 0;
  /** Per buffer taken: times taken less times given back (0 for each at the end: every taken buffer came back). */
  readonly out = new Map<Buffer, number>();
  override take(): Buffer {
    this.taken++;
    const b = super.take().fill(0xaa);
    this.out.set(b, (this.out.get(b) ?? 0) + 1);
    return b;
  }
  override give(b: Buffer): void {
    this.given++;
    if (this.out.has(b)) this.out.set(b, this.out.get(b)! - 1);
    b.fill(0xbb);
    super.give(b);
  }
  /** Taken buffers not given back (as often as taken). */
  get missing(): number {
    let n = 0;
    for (const v of this.out.values()) n += Math.max(0, v);
    return n;
  }
}

/** Every finding (built) and every other field of a file result, as JSON. */
async function parsed(file: string, buffers?: ReadBuffers): Promise<string> {
  const r = await parseLokiFileColumnar(file, new MessageReader(), { intern: new LokiIntern(), buffers });
  const { findings, ...rest } = r;
  return JSON.stringify({ ...rest, findings: Array.from({ length: findings.length }, (_, i) => findings.at(i)) });
}

async function inputs(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of [REAL, FIXTURES]) files.push(...(await discoverLokiFiles([dir])).files);
  // big enough for several 1 MiB reads: the real CSV log repeated, with a tiny file beside it
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-read-buffers-'));
  const csv = fs.readFileSync(path.join(REAL, 'scan_result (1).csv'));
  const big = path.join(tmp, 'big.csv');
  fs.writeFileSync(big, Buffer.concat(Array.from({ length: Math.ceil((3.5 * (1 << 20)) / csv.length) }, () => csv)));
  const tiny = path.join(tmp, 'tiny.csv');
  fs.writeFileSync(tiny, csv.subarray(0, 3000));
  files.push(big, tiny);
  return files;
}

test('read buffers: shared by files read one after another and side by side, results equal fresh buffers', async () => {
  const files = await inputs();
  assert.ok(files.length >= 10);
  const expected = await Promise.all(files.map((f) => parsed(f)));
  assert.ok(fs.statSync(files[files.length - 2]).size > 3 << 20);
  const seq = new PoisonBuffers();
  for (let i = 0; i < files.length; i++) assert.equal(await parsed(files[i], seq), expected[i], files[i]);
  assert.equal(seq.taken, 2 * files.length);
  // every taken buffer came back; buffers that replaced one the decoder still held come back too
  assert.equal(seq.missing, 0);
  assert.ok(seq.given >= seq.taken, `${seq.given} given, ${seq.taken} taken`);
  // all files at once through one set of buffers (a parse worker reads two files side by side)
  const par = new PoisonBuffers();
  const got = await Promise.all(files.map((f) => parsed(f, par)));
  for (let i = 0; i < files.length; i++) assert.equal(got[i], expected[i], files[i]);
});

test('read buffers: short reads of a small file keep the chunks the decoder holds (first bytes, before the encoding is known)', async () => {
  const files = await inputs();
  const tiny = files[files.length - 1];
  const real = files.find((f) => f.endsWith('scan_result (1).csv'))!;
  const expected = [await parsed(tiny), await parsed(real)];
  // Regular files may return fewer bytes than asked for: 100 bytes per read here, so the decoder
  // holds ~40 chunks (its first 4,096 bytes) of buffers that would otherwise be read into again.
  const readSync = fs.readSync;
  const read = fs.read;
  const f = nodeFs as unknown as { readSync: typeof fs.readSync; read: typeof fs.read };
  f.readSync = ((fd: number, buf: Uint8Array, off: number, len: number, pos: number) => readSync(fd, buf, off, Math.min(len, 100), pos)) as typeof fs.readSync;
  f.read = ((fd: number, buf: Uint8Array, off: number, len: number, pos: number, cb: (e: Error | null, n: number) => void) =>
    read(fd, buf, off, Math.min(len, 100), pos, cb)) as unknown as typeof fs.read;
  try {
    const pool = new PoisonBuffers();
    assert.equal(await parsed(tiny, pool), expected[0]);
    assert.equal(await parsed(real, pool), expected[1]);
    assert.ok(pool.taken === 4 && pool.given >= 4, `${pool.taken} taken, ${pool.given} given`);
    assert.equal(pool.missing, 0, 'the chunks the decoder held are given back once it let go');
  } finally {
    f.readSync = readSync;
    f.read = read;
  }
});

test('LineDecoder.holdsInput: true only while the first bytes wait for the encoding to be known', () => {
  const lines: string[] = [];
  const d = new LineDecoder((l) => lines.push(l), 4096, { onLineBytes: () => undefined });
  assert.equal(d.holdsInput, false);
  d.write(Buffer.from('20220110T08:00:00Z,WS-1,NOTICE,Init,Starting Loki Scan\n'));
  assert.equal(d.holdsInput, true);
  d.write(Buffer.alloc(5000, 0x61));
  assert.equal(d.holdsInput, false);
  d.write(Buffer.from('\nmore\n'));
  assert.equal(d.holdsInput, false);
  const e = new LineDecoder(() => undefined);
  e.write(Buffer.from('short'));
  assert.equal(e.holdsInput, true);
  e.end();
  assert.equal(e.holdsInput, false);
});

test('read buffers: a read that fails while the decoder holds the first bytes still gives every chunk back', async () => {
  // A tiny file (its bytes held by the decoder until the encoding is known), then an I/O error on the read that
  // checks whether it grew: the file is reported as unreadable and nothing is parsed again, so its chunks (in the
  // WebAssembly locator's memory: 8 per thread) must come back, not be lost to every later read of the thread.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-read-buffers-eio-'));
  const tiny = path.join(tmp, 'tiny.csv');
  fs.writeFileSync(tiny, '20220110T10:00:00Z,H,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: H\n');
  const readSync = fs.readSync;
  const f = nodeFs as unknown as { readSync: typeof fs.readSync };
  let calls = 0;
  f.readSync = ((...a: Parameters<typeof fs.readSync>) => {
    if (++calls === 2) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    return (readSync as (...x: unknown[]) => number)(...a);
  }) as typeof fs.readSync;
  try {
    for (let k = 0; k < 6; k++) {
      calls = 0;
      const pool = new PoisonBuffers();
      const r = await parseLokiFileColumnar(tiny, new MessageReader(), { intern: new LokiIntern(), buffers: pool });
      assert.match(r.errors[0]?.message ?? '', /EIO/);
      assert.equal(pool.missing, 0, `run ${k}: ${pool.taken} taken, ${pool.given} given`);
    }
  } finally {
    f.readSync = readSync;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('read buffers: a parse that fails inside a chunk does not read its pending record from a chunk given back', async () => {
  // An error while the lines of a chunk are parsed (say a failed allocation) ends the file's reads, its chunks are
  // given back, and the record pending then (the line before the failing one) is still stored by finish: from the
  // bytes it was read from, which must not be a chunk given back (poisoned here; another file's bytes in real use).
  const { LokiLineParser } = await import('../../src/core/parse/loki');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-read-buffers-throw-'));
  const file = path.join(tmp, 'f.csv');
  const lines = ['20220110T10:00:00Z,H,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: H TIME: 20220110T10:00:00Z'];
  for (let i = 0; i < 100; i++) {
    lines.push(`20220110T10:00:01Z,H,WARNING,FileScan,FILE: C:\\t\\f${i}.exe SCORE: 70 TYPE: EXE SIZE: 12 FIRST_BYTES: 4d5a / MZ MD5: 0123456789abcdef0123456789abcdef REASON_1: Yara Rule MATCH: X SUBSCORE: 70`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const proto = LokiLineParser.prototype as unknown as { pushBytes: (...a: unknown[]) => void };
  const pushBytes = proto.pushBytes;
  let calls = 0;
  proto.pushBytes = function (this: unknown, ...a: unknown[]) {
    if (++calls === 50) throw new RangeError('Array buffer allocation failed');
    return pushBytes.apply(this, a);
  };
  try {
    calls = 0;
    const expected = await parsed(file);
    assert.match(expected, /allocation failed/);
    assert.match(expected, /f47\.exe/, 'the record pending at the failure is kept');
    calls = 0;
    assert.equal(await parsed(file, new PoisonBuffers()), expected);
  } finally {
    proto.pushBytes = pushBytes;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
