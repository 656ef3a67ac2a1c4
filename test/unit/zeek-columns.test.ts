/**
 * The fast byte path of the beacon parse workers (src/core/parse/zeek.ts, columns.ts) against
 * reference computations:
 * - `AsciiInterner` (dotted quads indexed by value, other texts by hash) = a first-seen `Map` of
 *   the texts, whatever mix of `id` / `idOf` / `ipv4Id` / `quadIdOfValue` sees them; `ipv4Id(text) >= 0` exactly for
 *   the texts `net.isIP` accepts as IPv4 that are made of digits and dots;
 * - `readConnColumns` (records taken as they are read, large gzip chunks first) = the records of
 *   `readZeekFile` collected and replayed (same records and texts, the dotted-quad addresses of lines
 *   read on the byte path as values, one id per text, same file result), and = the string path
 *   (zlib's default chunks) for records, lines and errors
 *   — on the real Zeek day, on hostile files (damaged gzip, non-ASCII, NUL and overlong lines late
 *   in files of several 1 MiB chunks, CRLF, second header block) and on generated files.
 * Runs: FUZZ_RUNS (default 100), seed FUZZ_SEED (default 42).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isIP } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { dottedQuadValueOf } from '../../src/core/parse/ipv4';
import { AsciiInterner, isAddress, quadText, readZeekFile, sniffInput, type ConnRecord, type InputInfo } from '../../src/core/parse/zeek';
import { readConnColumns, type ConnColumns } from '../../src/core/analyze/beacons/columns';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 100);
const SEED = Number(process.env.FUZZ_SEED) || 42;
const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-zeek-columns-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** The IPv4 rule of `ipv4Id`, from `net.isIP`. */
const isQuad = (t: string) => /^[0-9.]+$/.test(t) && isIP(t) === 4;

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('00', '01', '256', '999', '0255', '', '1a'));
const text = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map((p) => p.join('.')) },
  { weight: 2, arbitrary: fc.array(octet, { minLength: 2, maxLength: 6 }).map((p) => p.join('.')) },
  { weight: 1, arbitrary: fc.constantFrom('tcp', 'udp', '-', '', '::1', '2001:db8::1', 'fe80::1%eth0', '1.2.3.4%eth0', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4.', '.1.2.3', '0.0.0.0', '255.255.255.255') },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);
type Op = ['id' | 'idOf' | 'ipv4Id' | 'quadIdOfValue', string];
const op = fc.tuple(fc.constantFrom<Op[0]>('id', 'idOf', 'ipv4Id', 'quadIdOfValue'), text);

/** Runs `ops` on a new interner and on a first-seen Map; asserts they agree after every step. */
function checkInterner(ops: Op[]): void {
  const names = new AsciiInterner();
  const model = new Map<string, number>();
  const order: string[] = [];
  const idInModel = (t: string) => {
    let id = model.get(t);
    if (id === undefined) {
      model.set(t, (id = order.length));
      order.push(t);
    }
    return id;
  };
  for (const [kind, t0] of ops) {
    // the byte methods see latin1 bytes (what the byte path reads); idOf sees any string
    const t = kind === 'idOf' ? t0 : Buffer.from(t0, 'latin1').toString('latin1');
    const buf = Buffer.concat([Buffer.from('\t'), Buffer.from(t, 'latin1'), Buffer.from('\t')]);
    if (kind === 'quadIdOfValue') {
      // the value as a parse worker's column carries it (a signed 32-bit integer) or unsigned
      if (!isQuad(t)) continue;
      const v = dottedQuadValueOf(t);
      assert.equal(names.quadIdOfValue(t.length % 2 ? v | 0 : v), idInModel(t), `quadIdOfValue ${t}`);
    } else if (kind === 'ipv4Id') {
      const got = names.ipv4Id(buf, 1, buf.length - 1);
      if (isQuad(t)) assert.equal(got, idInModel(t), `ipv4Id ${JSON.stringify(t)}`);
      else assert.equal(got, -1, `ipv4Id ${JSON.stringify(t)}`);
    } else {
      const got = kind === 'id' ? names.id(buf, 1, buf.length - 1) : names.idOf(t);
      assert.equal(got, idInModel(t), `${kind} ${JSON.stringify(t)}`);
    }
  }
  assert.deepEqual(names.strings, order);
  order.forEach((t, id) => assert.equal(names.isAddress(id), isAddress(t), `isAddress ${JSON.stringify(t)}`));
  order.forEach((t, id) => assert.equal(names.quadValueOf(id), isQuad(t) ? dottedQuadValueOf(t) : -1, `quadValueOf ${JSON.stringify(t)}`));
}

describe('AsciiInterner', () => {
  it('ids in first-seen order whichever method sees a text, ipv4Id only for net.isIP IPv4 dotted quads (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => checkInterner(ops)),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  it('the same with tables that grow many times (20,000 texts, most seen twice)', () => {
    const ops = fc.sample(op, { numRuns: 20000, seed: SEED });
    checkInterner([...ops, ...ops.map(([, t], i): Op => [(['id', 'idOf', 'ipv4Id', 'quadIdOfValue'] as const)[i % 4], t])]);
  });

  it('ipv4Id on single texts: >= 0 iff net.isIP says IPv4 (digits and dots), including edge cases', () => {
    const names = new AsciiInterner();
    for (const t of ['0.0.0.0', '255.255.255.255', '1.2.3.4', '01.2.3.4', '1.2.3.04', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1..3.4', '1.2.3.', '1.2.3.4%eth0', '::ffff:1.2.3.4', '1.2.3.4 ', '123.123.123.1234']) {
      const buf = Buffer.from(t, 'latin1');
      assert.equal(names.ipv4Id(buf, 0, buf.length) >= 0, isQuad(t), t);
    }
  });
});

/** A record as the columns give it: numbers, the texts of its addresses and protocol, its quad bits. */
type Row = [number, number, number, number, string, string, string, number];

/**
 * The records the earlier way: every record collected by `readZeekFile` (with an address table,
 * `ref`) and replayed, with the quad bits a parse worker sets: the dotted-quad addresses of records
 * read on the byte path travel as their values, every other text (and every text of a record the
 * string path read) by its id in the worker's table.
 */
async function referenceRows(info: InputInfo, ref: AsciiInterner): Promise<{ result: unknown; rows: Row[] }> {
  const rows: Row[] = [];
  const result = await readZeekFile(
    info,
    {
      conn: (rec) => {
        const bytePath = rec.srcId !== undefined && rec.srcId >= 0;
        const src = bytePath ? ref.strings[rec.srcId!] : rec.src;
        const dst = bytePath ? ref.strings[rec.dstId!] : rec.dst;
        const quads = bytePath ? (isQuad(src) ? 1 : 0) | (isQuad(dst) ? 2 : 0) : 0;
        rows.push([rec.tsMs, rec.dport, rec.origBytes, rec.respBytes, src, dst, rec.proto, quads]);
      },
    },
    { skipUid: true, names: ref },
  );
  return { result, rows };
}

/** The records of `c` (`table`: the worker's whole address table). */
function columnRows(c: ConnColumns, table: string[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < c.n; i++) {
    const q = c.quads[i];
    rows.push([c.tsMs[i], c.dport[i], c.orig[i], c.resp[i], q & 1 ? quadText(c.src[i]) : table[c.src[i]], q & 2 ? quadText(c.dst[i]) : table[c.dst[i]], c.proto[i] < 0 ? '' : table[c.proto[i]], q]);
  }
  return rows;
}

/** Records and result of the string path (a host handler keeps `readZeekFile` off the byte path). */
async function stringPath(info: InputInfo): Promise<{ result: unknown; recs: ConnRecord[] }> {
  const recs: ConnRecord[] = [];
  const result = await readZeekFile(info, { conn: (r) => recs.push({ ...r }), host: () => undefined }, { skipUid: true });
  return { result, recs };
}

/** Reads `files` in order with one table each way (as a worker does) and compares with both references. */
async function checkFiles(files: string[]): Promise<number> {
  const fast = new AsciiInterner();
  const ref = new AsciiInterner();
  let records = 0;
  for (const file of files) {
    const info = await sniffInput(file);
    const base = fast.strings.length;
    const got = await readConnColumns(info, {}, fast);
    const want = await referenceRows(info, ref);
    const name = path.basename(file);
    assert.deepEqual(got.result, want.result, name);
    assert.equal(got.cols.n, want.rows.length, name);
    assert.equal(got.cols.stringBase, base, name);
    assert.deepEqual(got.cols.strings, fast.strings.slice(base), name);
    assert.equal(new Set(fast.strings).size, fast.strings.length, `${name}: one id per text`);
    const rows = columnRows(got.cols, fast.strings);
    assert.deepEqual(rows, want.rows, name);
    const s = await stringPath(info);
    assert.deepEqual(got.result, s.result, `${name}: string path`);
    assert.deepEqual(
      rows.map((r) => r.slice(0, 7)),
      s.recs.map((r) => [r.tsMs, r.dport, r.origBytes, r.respBytes, r.src, r.dst, r.proto]),
      `${name}: string path records`,
    );
    records += got.cols.n;
  }
  return records;
}

/**
 * The real day's hour files concatenated into one text (several 1 MiB chunks once decompressed);
 * every 500th line has a destination that is not an address (interned by the byte path only) and
 * every 700th an epoch-ms `ts` (read on the string path) with a new source address.
 */
function bigText(): string {
  const files = fs.readdirSync(DAY).filter((f) => f.endsWith('.log.gz')).sort();
  const texts = files.map((f) => gunzipSync(fs.readFileSync(path.join(DAY, f))).toString('latin1'));
  const head = texts[0].slice(0, texts[0].indexOf('\n#types') + 1);
  const header = head + texts[0].split('\n').find((l) => l.startsWith('#types')) + '\n';
  let body = '';
  // repeat the data lines until the text spans several large chunks
  let k = 0;
  const mutate = (l: string) => {
    const c = l.split('\t');
    if (++k % 500 === 0) c[5] = `bad-host-${k}`;
    if (k % 700 === 0) [c[1], c[3]] = ['1713484800123', `172.16.${k % 256}.${(k >> 8) % 256}`];
    return c.join('\t');
  };
  while (body.length < 3.5 * (1 << 20)) for (const t of texts) body += t.split('\n').filter((l) => l && !l.startsWith('#')).map(mutate).join('\n') + '\n';
  return header + body;
}

describe('readConnColumns (fast byte path) = earlier columns = string path', () => {
  it('real Zeek day (24 gzip files)', async () => {
    const files = fs.readdirSync(DAY).filter((f) => f.endsWith('.log.gz')).sort().map((f) => path.join(DAY, f));
    assert.equal(await checkFiles(files), 31367);
  });

  it('hostile files of several 1 MiB chunks: damaged gzip, non-ASCII / NUL / overlong lines late, CRLF, second header block, truncation', async () => {
    const dir = path.join(TMP, 'big');
    fs.mkdirSync(dir);
    const text = bigText();
    const at = (t: string, frac: number, ins: string) => {
      const nl = t.indexOf('\n', Math.floor(t.length * frac));
      return t.slice(0, nl) + ins + t.slice(nl);
    };
    const damaged = (t: string, frac: number) => {
      const z = Buffer.from(gzipSync(Buffer.from(t, 'latin1')));
      for (let j = 0; j < 40; j++) z[Math.floor(z.length * frac) + j] ^= 0x5a;
      return z;
    };
    const cases: [string, Buffer][] = [
      ['plain', gzipSync(Buffer.from(text, 'latin1'))],
      ['damaged-early', damaged(text, 0.2)],
      ['damaged-late', damaged(text, 0.85)],
      ['truncated', gzipSync(Buffer.from(text, 'latin1')).subarray(0, 400_000)],
      ['non-ascii-late', gzipSync(Buffer.from(at(text, 0.8, 'é'), 'latin1'))],
      ['nul-late', gzipSync(Buffer.from(at(text, 0.7, '\n\0'), 'latin1'))],
      ['overlong', gzipSync(Buffer.from(at(text, 0.5, '\n' + 'x'.repeat((1 << 20) + 100)), 'latin1'))],
      ['overlong-early', gzipSync(Buffer.from(at(text, 0.001, '\n' + 'x'.repeat(1.5 * (1 << 20))), 'latin1'))],
      ['line-of-1MiB', gzipSync(Buffer.from(at(text, 0.4, '\n' + 'y\t'.repeat(1 << 19)), 'latin1'))],
      ['crlf-second-header', gzipSync(Buffer.from((text + text.slice(0, 3000)).replace(/\n/g, '\r\n'), 'latin1'))],
      ['plain-text-overlong', Buffer.from(at(text, 0.5, '\n' + 'z'.repeat((1 << 20) + 5000)), 'latin1')],
    ];
    const files = cases.map(([name, bytes], i) => {
      const f = path.join(dir, `conn.${String(i).padStart(2, '0')}:00:00-${name}.log${bytes[0] === 0x1f ? '.gz' : ''}`);
      fs.writeFileSync(f, bytes);
      return f;
    });
    assert.ok((await checkFiles(files)) > 100_000);
    // a line far longer than MAX_ASCII_LINE near the start: the whole file is read on the string path,
    // so the texts are interned in record order (src, dst, proto), none from the lines after it that
    // the string path does not take (the bad destinations)
    const early = files.find((f) => f.includes('overlong-early'))!;
    const got = await readConnColumns(await sniffInput(early));
    const { recs } = await stringPath(await sniffInput(early));
    // (the protocols of the lines before it were interned by the byte path's first try)
    assert.deepEqual(new Set(got.cols.strings), new Set(recs.flatMap((r) => [r.src, r.dst, r.proto].filter((t) => t !== ''))));
    assert.equal(new Set(got.cols.strings).size, got.cols.strings.length);
    assert.ok(!got.cols.strings.some((t) => t.startsWith('bad-host')));
  });

  it('generated conn files (fast-check): unusual fields and lines, CRLF, gzip whole / truncated / damaged', async () => {
    const GOOD = ['1713484800.123456', 'C1', '10.0.0.5', '51000', '93.184.216.34', '443', 'tcp', '0.5', '120', '300'];
    const fields = '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_ip_bytes\tresp_ip_bytes';
    const value = fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: text },
      { weight: 1, arbitrary: fc.constantFrom('-', '(empty)', '', '1713484800', '1713484800123', '-5.5', '0x1bb', '1e3', '4.43e2', '99999999999999999999', '1713484800.999999999999', 'é') },
    );
    const line = fc.oneof(
      { weight: 10, arbitrary: fc.array(value, { minLength: 10, maxLength: 10 }).map((vs) => vs.map((v, i) => v ?? GOOD[i]).join('\t')) },
      { weight: 1, arbitrary: fc.constantFrom('', '#close\t2024', fields, '#unset_field\t1.2.3.4', 'a\tb') },
    );
    const file = fc.record({
      lines: fc.array(line, { maxLength: 40 }),
      crlf: fc.boolean(),
      gzip: fc.constantFrom('no', 'whole', 'truncated', 'damaged'),
      cut: fc.double({ min: 0.3, max: 0.95, noNaN: true }),
    });
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 3 }), async (specs) => {
        const files = specs.map((s) => {
          let t = ['#separator \\x09', '#path\tconn', fields, ...s.lines].join('\n') + '\n';
          if (s.crlf) t = t.replace(/\n/g, '\r\n');
          let bytes = Buffer.from(t, 'latin1');
          if (s.gzip !== 'no') {
            bytes = Buffer.from(gzipSync(bytes));
            if (s.gzip === 'truncated') bytes = bytes.subarray(0, Math.max(10, Math.floor(bytes.length * s.cut)));
            if (s.gzip === 'damaged') bytes[Math.floor(bytes.length * s.cut)] ^= 0xff;
          }
          const f = path.join(TMP, `conn.${k++}.log${s.gzip === 'no' ? '' : '.gz'}`);
          fs.writeFileSync(f, bytes);
          return f;
        });
        try {
          await checkFiles(files);
        } finally {
          for (const f of files) fs.rmSync(f, { force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
