/**
 * Zeek TSV/JSON reader, gzip streaming, sniffing, discovery and the generic CSV/JSON reader with
 * column mappings — on hand-made fixtures (test/fixtures/zeek) and damaged copies of real files.
 * Reference: shared/docs/rita-beacons.md §1.1, §6.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  discoverInputs,
  hostOnly,
  importGroupOf,
  logPathFromName,
  parseZeekTime,
  readZeekFile,
  sniffInput,
  type ConnRecord,
} from '../../src/core/parse/zeek';
import { guessMapping, parseMappingSpec, readGenericFile, MAPPING_PRESETS } from '../../src/core/parse/conn-csv';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';

const FIX = path.resolve(__dirname, '../../../test/fixtures/zeek');
const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek');
const REAL_HOUR = path.join(ZEEK, 'day-2024-04-19', 'conn.00:00:00-01:00:00.log.gz');

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-zeek-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function collect(file: string): Promise<{ recs: ConnRecord[]; res: Awaited<ReturnType<typeof readZeekFile>> }> {
  const info = await sniffInput(file);
  const recs: ConnRecord[] = [];
  const res = await readZeekFile(info, { conn: (r) => recs.push({ ...r }) });
  return { recs, res };
}

describe('Zeek time, names and groups', () => {
  it('ts is truncated to whole seconds from the text (no float rounding); ms kept for display', () => {
    assert.deepEqual(parseZeekTime('1713484795.943239'), { ts: 1713484795, tsMs: 1713484795943 });
    assert.deepEqual(parseZeekTime('1713484795.999999'), { ts: 1713484795, tsMs: 1713484795999 });
    assert.deepEqual(parseZeekTime('1713484795'), { ts: 1713484795, tsMs: 1713484795000 });
    assert.deepEqual(parseZeekTime(1713484795.943239), { ts: 1713484795, tsMs: 1713484795943 });
    assert.deepEqual(parseZeekTime(1713484795943), { ts: 1713484795, tsMs: 1713484795943 }); // JSON::TS_MILLIS
    assert.deepEqual(parseZeekTime('2019-03-14T23:59:49.920582Z'), { ts: 1552607989, tsMs: 1552607989920 });
    assert.deepEqual(parseZeekTime('2019-03-14T23:59:49+01:00'), { ts: 1552604389, tsMs: 1552604389000 });
    assert.equal(parseZeekTime('not-a-time'), undefined);
    assert.equal(parseZeekTime(null), undefined);
  });
  it('log path from file names and rotation groups', () => {
    assert.equal(logPathFromName('/x/conn.00:00:00-01:00:00.log.gz'), 'conn');
    assert.equal(logPathFromName('conn_eth0.log'), 'conn');
    assert.equal(logPathFromName('conn-summary.log'), 'conn_summary');
    assert.equal(logPathFromName('open_conn.log'), 'open_conn');
    assert.equal(logPathFromName('ssl.log.gz'), 'ssl');
    assert.deepEqual(importGroupOf('/data/2024-04-19/conn.13:00:00-14:00:00.log.gz'), { day: '2024-04-19', hour: 13 });
    assert.deepEqual(importGroupOf('/data/day-2024-04-19/conn.log'), { day: '2024-04-19', hour: 0 });
    assert.deepEqual(importGroupOf('/data/conn.log'), { day: '', hour: 0 });
    assert.equal(hostOnly('Example.COM:8080'), 'example.com');
    assert.equal(hostOnly('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(hostOnly('www.example.org.'), 'www.example.org');
  });
});

describe('Zeek TSV reader', () => {
  it('reads fields by #fields order, unset bytes → 0, reports bad lines with file and line, notes the missing #close', async () => {
    const file = path.join(FIX, 'conn-damaged.log');
    const { recs, res } = await collect(file);
    assert.equal(res.format, 'zeek-tsv');
    assert.equal(res.logPath, 'conn');
    assert.equal(res.lines, 17);
    assert.equal(res.records, 5);
    assert.equal(res.unparsedLines, 3);
    assert.equal(res.closed, false);
    assert.deepEqual(
      res.errors.map((e) => [path.basename(e.file), e.line, e.message.split(':')[0]]),
      [
        ['conn-damaged.log', 11, 'expected 22 fields, found 8'],
        ['conn-damaged.log', 12, 'unreadable ts'],
        ['conn-damaged.log', 13, 'missing or invalid address'],
      ],
    );
    assert.deepEqual(
      recs.map((r) => [r.ts, r.uid, r.src, r.dst, r.dport, r.proto, r.origBytes, r.respBytes]),
      [
        [1713484800, 'C1', '10.0.0.5', '93.184.216.34', 443, 'tcp', 120, 300],
        [1713485100, 'C2', '10.0.0.5', '93.184.216.34', 443, 'tcp', 0, 0],
        [1713486000, 'C6', '10.0.0.5', '93.184.216.34', 443, 'tcp', 120, 300],
        [1713486300, 'C7', '10.0.0.5', '93.184.216.34', 443, 'tcp', 120, 300],
        [1713486600, 'C8', 'fd00::5', '2001:db8::1', 80, 'tcp', 120, 300],
      ],
    );
  });

  it('a file with two header blocks and #close footers', async () => {
    const { recs, res } = await collect(path.join(FIX, 'conn-two-blocks.log'));
    assert.equal(res.records, 2);
    assert.equal(res.closed, true);
    assert.deepEqual(recs.map((r) => r.uid), ['D1', 'D2']);
  });

  it('real hourly gzip file: 1,765 records, 1,774 lines, #close present, first record exact', async () => {
    const { recs, res } = await collect(REAL_HOUR);
    assert.equal(res.format, 'zeek-tsv');
    assert.equal(res.records, 1765);
    assert.equal(res.lines, 1774);
    assert.equal(res.unparsedLines, 0);
    assert.equal(res.closed, true);
    assert.deepEqual(
      [recs[0].ts, recs[0].tsMs, recs[0].uid, recs[0].src, recs[0].dst, recs[0].dport, recs[0].origBytes, recs[0].respBytes],
      [1713484795, 1713484795943, 'CYl7H53iN6mY9NyXJ8', '167.94.138.145', '64.225.56.201', 6008, 60, 40],
    );
  });

  it('truncated gzip: records before the damage are kept and the damage is reported, nothing throws', async () => {
    const buf = fs.readFileSync(REAL_HOUR);
    const cut = path.join(tmp, 'conn.truncated.log.gz');
    fs.writeFileSync(cut, buf.subarray(0, Math.floor(buf.length / 2)));
    const { recs, res } = await collect(cut);
    assert.ok(recs.length > 100 && recs.length < 1765, `records ${recs.length}`);
    assert.equal(res.closed, false);
    const last = res.errors[res.errors.length - 1];
    assert.match(last.message, /damaged or truncated gzip data/);
    assert.equal(last.file, cut);
  });

  it('binary garbage and empty files are skipped, not read', async () => {
    const bin = path.join(tmp, 'junk.log');
    fs.writeFileSync(bin, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? 0 : (i * 7919) % 256))));
    const empty = path.join(tmp, 'empty.log');
    fs.writeFileSync(empty, '');
    assert.equal((await sniffInput(bin)).format, 'binary');
    assert.equal((await sniffInput(empty)).format, 'empty');
  });
});

describe('Zeek JSON reader', () => {
  it('epoch float, ISO 8601 and epoch-ms ts; nested id; bad lines reported', async () => {
    const { recs, res } = await collect(path.join(FIX, 'conn-mixed.json'));
    assert.equal(res.format, 'zeek-json');
    assert.equal(res.records, 3);
    assert.deepEqual(recs.map((r) => [r.ts, r.src, r.dst, r.dport, r.origBytes]), [
      [1713484800, '10.0.0.9', '198.51.100.7', 443, 200],
      [1713485100, '10.0.0.9', '198.51.100.7', 443, 210],
      [1713485400, '10.0.0.9', '198.51.100.7', 443, 220],
    ]);
    assert.deepEqual(res.errors.map((e) => e.line), [4, 5, 6]);
  });

  it('real JSON conn.log and http.log: 29 and 10 records, http hosts by uid', async () => {
    const conn = await collect(path.join(ZEEK, 'json', 'conn.log'));
    assert.equal(conn.res.records, 29);
    assert.equal(conn.res.unparsedLines, 0);
    const info = await sniffInput(path.join(ZEEK, 'json', 'http.log'));
    assert.equal(info.logPath, 'http');
    const hosts: [string, string][] = [];
    const res = await readZeekFile(info, { host: (uid, host) => hosts.push([uid, host]) });
    assert.equal(res.records, 10);
    assert.equal(hosts.length, 10);
    assert.deepEqual(hosts[0], ['CB9DKu4WI1kRo88sj6', 'gm.mmstat.com']);
  });
});

describe('generic CSV / JSON exports with a column mapping', () => {
  it('guesses the firewall columns and reads several timestamp layouts; bad rows reported with line', async () => {
    const info = await sniffInput(path.join(FIX, 'firewall.csv'));
    assert.equal(info.format, 'csv');
    const m = guessMapping(info.columns);
    // the preset's columns that this export has (it has no protocol or bytes_received column)
    const preset = Object.entries(MAPPING_PRESETS.find((p) => p.id === 'firewall-csv')!.mapping).filter(([, c]) => info.columns.includes(c as string));
    assert.deepEqual(m, Object.fromEntries(preset));
    const recs: ConnRecord[] = [];
    const res = await readGenericFile(info, m!, (r) => recs.push({ ...r }));
    assert.deepEqual(recs.map((r) => [r.ts, r.src, r.dst, r.dport, r.origBytes]), [
      [1713484800, '10.1.1.1', '203.0.113.10', 443, 512],
      [1713485400, '10.1.1.1', '203.0.113.10', 443, 512],
      [1713486000, '10.1.1.1', '203.0.113.10', 443, 512],
      [1713486600, '10.1.1.1', '203.0.113.10', 443, 520],
      [1713487800, '10.1.1.1', '203.0.113.10', 443, 512],
    ]);
    assert.deepEqual(res.errors.map((e) => [e.line, e.message.split(' in ')[0]]), [
      [6, 'unreadable timestamp'],
      [7, 'missing or invalid source address'],
    ]);
    assert.equal(res.unparsedLines, 2);
  });

  it('semicolon proxy export: a host-name destination becomes the FQDN', async () => {
    const info = await sniffInput(path.join(FIX, 'proxy.csv'));
    assert.equal(info.delimiter, ';');
    const m = parseMappingSpec('time=ts,client=src,server=dst,host=fqdn,sent=bytes');
    const recs: ConnRecord[] = [];
    await readGenericFile(info, m, (r) => recs.push({ ...r }));
    assert.equal(recs.length, 4);
    assert.deepEqual([recs[0].src, recs[0].dst, recs[0].fqdn, recs[0].origBytes], ['10.2.2.2', '', 'updates.example.net', 100]);
  });

  it('mapping specs: both orders, presets, errors', () => {
    assert.deepEqual(parseMappingSpec('src=src_ip,dst_ip=dst,ts=timestamp'), { src: 'src_ip', dst: 'dst_ip', ts: 'timestamp' });
    assert.deepEqual(parseMappingSpec('timestamp=ts,source=src,destination=dst'), { ts: 'timestamp', src: 'source', dst: 'destination' });
    assert.deepEqual(parseMappingSpec('zeek-http'), MAPPING_PRESETS[0].mapping);
    assert.throws(() => parseMappingSpec('a=b'), /unknown field/);
    assert.throws(() => parseMappingSpec('src=src_ip'), /at least ts, src and dst/);
  });

  it('Zeek http.log read as connections with the RITA-J preset (ts, request_body_len, host)', async () => {
    const info = await sniffInput(path.join(ZEEK, 'json', 'http.log'));
    const recs: ConnRecord[] = [];
    const res = await readGenericFile(info, MAPPING_PRESETS[0].mapping, (r) => recs.push({ ...r }));
    assert.equal(res.records, 10);
    assert.deepEqual([recs[0].src, recs[0].dst, recs[0].fqdn, recs[0].origBytes], ['10.55.100.105', '205.204.101.182', 'gm.mmstat.com', 0]);
  });
});

describe('runBeaconAnalysis on the fixtures', () => {
  it('SNI join with ssl.log, unreadable lines counted, CSV without a connection header skipped with its reason', async () => {
    const dir = path.join(tmp, 'mixed', '2024-04-19');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(FIX, 'conn-damaged.log'), path.join(dir, 'conn.00:00:00-01:00:00.log'));
    fs.copyFileSync(path.join(FIX, 'conn-two-blocks.log'), path.join(dir, 'conn.01:00:00-02:00:00.log'));
    fs.copyFileSync(path.join(FIX, 'ssl.log'), path.join(dir, 'ssl.00:00:00-01:00:00.log'));
    fs.writeFileSync(path.join(dir, 'notes.csv'), 'a,b,c\n1,2,3\n');
    fs.writeFileSync(path.join(dir, 'dns.log'), '#separator \\x09\n#path\tdns\n#fields\tts\tuid\n1\tx\n');
    const a = await runBeaconAnalysis([path.join(tmp, 'mixed')], { internalSubnets: ['10.0.0.0/8', 'fd00::/8'] });
    assert.equal(a.summary.files, 3);
    assert.equal(a.summary.records, 7);
    assert.equal(a.summary.unparsedLines, 3);
    assert.deepEqual(a.files.map((f) => [path.basename(f.file), f.role]), [
      ['ssl.00:00:00-01:00:00.log', 'host'],
      ['conn.00:00:00-01:00:00.log', 'conn'],
      ['conn.01:00:00-02:00:00.log', 'conn'],
    ]);
    // a header with no source or destination column is no connection log: skipped with the reason, no mapping asked
    assert.ok(a.skipped.some((s) => s.file.endsWith('notes.csv') && s.reason === 'not a connection log: no source or destination address column in its header (a, b, c)'));
    assert.ok(!a.errors.some((e) => e.file.endsWith('notes.csv')));
    assert.ok(a.skipped.some((s) => s.file.endsWith('dns.log')));
    // C1, C2, C6, C7 carry the SNI beacon.example.com: 4 distinct ts → scored as an SNI beacon
    const sni = a.pairs.find((p) => p.type === 'sni');
    assert.ok(sni, JSON.stringify(a.summary));
    assert.deepEqual([sni.src, sni.fqdn, sni.dst, sni.count], ['10.0.0.5', 'beacon.example.com', '93.184.216.34', 4]);
  });
});

describe('Zeek JSON: a field that cannot be turned into text', () => {
  it('is one unreadable line; the lines after it are still read', async () => {
    const rec = (k: number, src: string) =>
      JSON.stringify({ _path: 'conn', ts: 1704067200 + k, uid: 'C', 'id.orig_h': src, 'id.resp_h': '203.0.113.9', 'id.resp_p': 443, proto: 'tcp' });
    const f = path.join(tmp, 'conn-object-address.log');
    fs.writeFileSync(f, [rec(0, '10.0.0.1'), '{"_path":"conn","ts":1704067201,"id.orig_h":{"toString":1},"id.resp_h":"8.8.8.8"}', rec(2, '10.0.0.2')].join('\n') + '\n');
    const { recs, res } = await collect(f);
    assert.deepEqual(recs.map((r) => r.src), ['10.0.0.1', '10.0.0.2']);
    assert.equal(res.lines, 3);
    assert.equal(res.records, 2);
    assert.equal(res.unparsedLines, 1);
    assert.deepEqual(res.errors.map((e) => e.line), [2]);
  });
});

describe('generic JSON lines: a field that cannot be turned into text', () => {
  it('is one unreadable line; the lines after it are still read', async () => {
    const row = (k: number, src: string) => JSON.stringify({ timestamp: 1704067200 + k * 60, src_ip: src, dst_ip: '203.0.113.9', dst_port: 443 });
    const f = path.join(tmp, 'flows-object-address.json');
    fs.writeFileSync(f, [row(0, '10.0.0.1'), '{"timestamp":1704067260,"src_ip":{"toString":1},"dst_ip":"8.8.8.8"}', row(2, '10.0.0.2')].join('\n') + '\n');
    const info = await sniffInput(f);
    const m = guessMapping(info.columns);
    assert.ok(m);
    const srcs: string[] = [];
    const res = await readGenericFile(info, m, (r) => srcs.push(r.src));
    assert.deepEqual(srcs, ['10.0.0.1', '10.0.0.2']);
    assert.equal(res.records, 2);
    assert.equal(res.unparsedLines, 1);
    assert.deepEqual(res.errors.map((e) => e.line), [2]);
  });
});

describe('Zeek TSV read again on the string path (not plain ASCII)', () => {
  it('reports bytes read that never go backwards', async () => {
    const hdr = '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_ip_bytes\tresp_ip_bytes\n';
    const rows: string[] = [];
    for (let k = 0; k < 40000; k++) rows.push(`${1704067200 + k}.5\tC${k}\t10.0.0.${k % 200}\t1234\t203.0.113.${k % 50}\t443\ttcp\t100\t200\n`);
    const f = path.join(tmp, 'conn-late-non-ascii.log');
    fs.writeFileSync(f, hdr + rows.join('') + '# café\n');
    const size = fs.statSync(f).size;
    assert.ok(size > 2 << 20);
    const info = await sniffInput(f);
    const seen: number[] = [];
    let n = 0;
    const res = await readZeekFile(info, { conn: () => n++ }, { onBytes: (b) => seen.push(b) });
    assert.equal(n, 40000);
    assert.equal(res.bytes, size);
    assert.ok(seen.length > 0);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `bytes went backwards: ${seen.join(', ')}`);
    assert.equal(seen[seen.length - 1], size);
  });
});

describe('discovery: a folder inside that cannot be listed', () => {
  // a path longer than PATH_MAX (ENAMETOOLONG, even for root) failed the recursive listing of the
  // whole folder: every file in it was lost behind one "cannot read folder" error
  const D = 'd'.repeat(200);
  const DEPTH = 22;
  const removeDeep = (top: string) => {
    const cwd = process.cwd();
    try {
      process.chdir(top);
      let depth = 0;
      while (fs.existsSync(D)) {
        process.chdir(D);
        depth++;
      }
      for (; depth > 0; depth--) {
        process.chdir('..');
        fs.rmdirSync(D);
      }
    } finally {
      process.chdir(cwd);
    }
  };
  it('reports that folder; the other files are still found', async () => {
    const top = path.join(tmp, 'deep');
    fs.mkdirSync(path.join(top, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(top, 'conn.log'), '#path\tconn\n');
    fs.writeFileSync(path.join(top, 'sub', 'conn.1.log'), '#path\tconn\n');
    const cwd = process.cwd();
    try {
      process.chdir(top);
      for (let i = 0; i < DEPTH; i++) {
        fs.mkdirSync(D);
        process.chdir(D);
      }
    } finally {
      process.chdir(cwd);
    }
    try {
      const d = await discoverInputs([top]);
      assert.deepEqual(d.files, [path.join(top, 'conn.log'), path.join(top, 'sub', 'conn.1.log')]);
      assert.equal(d.errors.length, 1);
      assert.equal(d.errors[0].line, 0);
      assert.ok(d.errors[0].file.startsWith(path.join(top, D, D)));
      assert.match(d.errors[0].message, /^cannot read folder: .*ENAMETOOLONG/);
    } finally {
      removeDeep(top);
    }
  });
});
