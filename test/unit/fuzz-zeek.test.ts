/**
 * Property tests (fast-check, fixed seed) for the connection-log readers: Zeek TSV and Zeek JSON
 * (src/core/parse/zeek.ts) and mapped CSV / JSON-lines exports (conn-csv.ts). Properties: never
 * rejects (except on abort), terminates within a CPU-time bound, and every line is accounted for —
 * Zeek TSV: records + unparsed + header/blank lines = lines; JSON: records + unparsed = non-blank
 * lines; CSV: records + unparsed = data records.
 * Runs: FUZZ_RUNS (default 100; `npm run fuzz` uses 5000), seed FUZZ_SEED (default 42).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { readZeekFile, sniffInput, type ConnFileResult } from '../../src/core/parse/zeek';
import { readGenericFile, guessMapping } from '../../src/core/parse/conn-csv';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 100);
const SEED = Number(process.env.FUZZ_SEED) || 42;
/** CPU time bound of one read of a generated input (ms), not wall time: only catastrophic work exceeds it. */
const BOUND_MS = 3000;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-fuzz-zeek-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));
let seq = 0;

async function read(name: string, content: string | Buffer, kind: 'zeek' | 'generic'): Promise<{ r: ConnFileResult; conns: number; hosts: number }> {
  const file = path.join(TMP, `${seq++}-${name}`);
  fs.writeFileSync(file, content);
  const c0 = process.cpuUsage();
  try {
    const info = await sniffInput(file);
    let conns = 0;
    let hosts = 0;
    let r: ConnFileResult;
    if (kind === 'zeek') r = await readZeekFile(info, { conn: () => void conns++, host: () => void hosts++ });
    else {
      const mapping = guessMapping(info.columns) ?? { ts: 'ts', src: 'src', dst: 'dst' };
      r = await readGenericFile(info, mapping, () => void conns++);
    }
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000;
    assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms of CPU time`);
    return { r, conns, hosts };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-04-19-00-00-01',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
];
const GOOD = '1713484800.123456\tC1\t10.0.0.5\t51000\t93.184.216.34\t443\ttcp\tssl\t0.5\t10\t20\tSF\tT\tF\t0\tShADadFf\t3\t120\t3\t300\t(empty)';
/** Field text without line breaks (the line reader splits on CR/LF). */
const fieldText = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-', '(empty)', '', 'NaN', '1e400', '::1', '999.1.1.1', '<img src=x>', '\\x09', '\u00ff\u0100')).map((s) => s.replace(/[\r\n]/g, ''));
const mutatedTsv = fc
  .tuple(fc.array(fc.tuple(fc.nat({ max: 25 }), fieldText), { maxLength: 4 }), fc.integer({ min: -2, max: 2 }))
  .map(([edits, extra]) => {
    const cols = GOOD.split('\t');
    for (const [i, v] of edits) cols[i % cols.length] = v;
    if (extra > 0) for (let k = 0; k < extra; k++) cols.push('x');
    if (extra < 0) cols.splice(extra);
    return cols.join('\t');
  });
const tsvLine = fc.oneof({ weight: 8, arbitrary: mutatedTsv }, { weight: 1, arbitrary: fc.constantFrom('', '   ', '#close\t2024-04-20-00-00-00', '#weird header') }, { weight: 1, arbitrary: fieldText });

function tsvAccounting(lines: string[], r: ConnFileResult): void {
  const meta = lines.filter((l) => l.startsWith('#') || l.trim() === '').length;
  assert.equal(r.lines, lines.length, 'lines');
  assert.equal(r.records + r.unparsedLines + meta, r.lines, `records ${r.records} + unparsed ${r.unparsedLines} + header/blank ${meta} ≠ lines ${r.lines}`);
  for (const e of r.errors) assert.ok(e.line >= 0 && e.line <= r.lines);
}

test('fuzz zeek: TSV conn logs — never rejects, bounded time, records + unparsed + header/blank = lines', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(tsvLine, { maxLength: 40 }), fc.boolean(), async (body, gz) => {
      const lines = [...HEADER, ...body];
      const text = lines.join('\n') + '\n';
      const { r, conns } = await read(gz ? 'conn.log.gz' : 'conn.log', gz ? gzipSync(text) : text, 'zeek');
      tsvAccounting(lines, r);
      assert.equal(conns, r.records);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz zeek: truncated gzip keeps the lines before the damage and reports it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutatedTsv, { minLength: 50, maxLength: 200 }), fc.double({ min: 0.3, max: 0.95, noNaN: true }), async (body, frac) => {
      const text = [...HEADER, ...body].join('\n') + '\n';
      const z = gzipSync(text);
      const { r } = await read('conn.cut.log.gz', z.subarray(0, Math.floor(z.length * frac)), 'zeek');
      assert.ok(r.errors.some((e) => /gzip|truncated|unexpected end/i.test(e.message)), `damage not reported: ${JSON.stringify(r.errors.slice(-2))}`);
      assert.ok(r.records + r.unparsedLines <= body.length);
    }),
    { seed: SEED, numRuns: Math.min(RUNS, 50) },
  );
});

test('fuzz zeek: JSON logs — records + unparsed = non-blank lines', async () => {
  const obj = fc
    .record({
      ts: fc.oneof(fc.double({ noNaN: true }), fc.constant(1713484800.5), fc.string({ maxLength: 25 }), fc.constant(null)),
      uid: fc.string({ maxLength: 6 }),
      'id.orig_h': fc.oneof(fc.constant('10.0.0.5'), fc.string({ maxLength: 8 })),
      'id.resp_h': fc.oneof(fc.constant('93.184.216.34'), fc.constant('2001:db8::1'), fc.string({ maxLength: 8 })),
      'id.resp_p': fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
      _path: fc.constantFrom('conn', 'ssl', 'http', 'dns', 'open_conn'),
      server_name: fc.string({ maxLength: 10 }),
      host: fc.string({ maxLength: 10 }),
    }, { requiredKeys: ['ts', 'id.orig_h', 'id.resp_h'] })
    .map((o) => JSON.stringify(o));
  const line = fc.oneof({ weight: 6, arbitrary: obj }, { weight: 1, arbitrary: fieldText }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) });
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 40 }), async (body) => {
      const lines = ['{"ts": 1713484800.1, "uid": "C0", "id.orig_h": "10.0.0.5", "id.resp_h": "93.184.216.34", "_path": "conn"}', ...body];
      const { r } = await read('conn.json', lines.join('\n') + '\n', 'zeek');
      assert.equal(r.records + r.unparsedLines, lines.filter((l) => l.trim() !== '').length);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz conn-csv: mapped CSV exports — records + unparsed = data records; any cell text', async () => {
  const header = ['timestamp', 'src_ip', 'dst_ip', 'dst_port', 'bytes_sent'];
  const cell = fc.oneof(fc.string({ maxLength: 14 }), fc.constantFrom('2024-04-19T10:00:00Z', '10.0.0.5', '93.184.216.34', '443', '"', ',', '\n', '=1+1', ''));
  const good = fc.constant(['2024-04-19T10:00:00Z', '10.0.0.5', '93.184.216.34', '443', '100']);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(good, fc.array(cell, { minLength: 1, maxLength: 7 })), { maxLength: 30 }), async (rows) => {
      const data = rows.filter((r) => !(r.length === 1 && r[0] === ''));
      const text = stringify([header, ['2024-04-19T09:00:00Z', '10.0.0.5', '93.184.216.34', '443', '1'], ...data], { record_delimiter: '\n', quoted_match: /[\r\n]/ });
      const { r, conns } = await read('firewall.csv', text, 'generic');
      assert.equal(r.records + r.unparsedLines, data.length + 1, `records ${r.records} + unparsed ${r.unparsedLines} ≠ ${data.length + 1} (${JSON.stringify(r.errors.slice(0, 3))})`);
      assert.equal(conns, r.records);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz zeek/conn-csv: arbitrary bytes — never rejects, bounded time', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a))), fc.constantFrom('conn.log', 'x.csv', 'http.log'), async (content, name) => {
      const z = await read(name, content, 'zeek');
      assert.ok(z.r.records + z.r.unparsedLines <= Math.max(1, z.r.lines));
      await read(name, content, 'generic');
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
