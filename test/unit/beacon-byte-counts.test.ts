/**
 * Byte counts a connection reader cannot take — above 10^15 or infinite (`1e308`), negative, `NaN` — in Zeek TSV,
 * Zeek JSON and generic CSV connection logs: the record is reported by file and line and left out (as a flow export's
 * since 6fbef34), never summed into a pair's bytes as Infinity/NaN or a negative. Fixtures: real lines of the Zeek
 * data in shared/data/zeek, one field corrupted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { countOf, countProblem, countText } from '../../src/core/parse/counts';
import { qradarCount } from '../../src/core/parse/qradar-flows';
import { readZeekFile, sniffInput } from '../../src/core/parse/zeek';
import { guessMapping, readGenericFile } from '../../src/core/parse/conn-csv';

const ZEEK = resolve(__dirname, '../../../../shared/data/zeek');

/** The header and the first `n` data lines of a real hourly conn log (TSV). */
function realTsv(n: number): { head: string[]; rows: string[][] } {
  const lines = gunzipSync(readFileSync(join(ZEEK, 'day-2024-04-19/conn.10:00:00-11:00:00.log.gz'))).toString('utf8').split('\n');
  const head = lines.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
  const rows = lines.filter((l) => l && !l.startsWith('#')).slice(0, n).map((l) => l.split('\t'));
  return { head, rows };
}

/**
 * Σ orig and Σ resp bytes of the records a reader hands over: Zeek files on the byte path, or (`strings`) on the
 * string path (a host handler turns the byte path off); other files through the generic reader, columns guessed.
 */
async function sums(file: string, strings = false): Promise<{ orig: number; resp: number; records: number }> {
  const info = await sniffInput(file);
  const t = { orig: 0, resp: 0, records: 0 };
  const add = (r: { origBytes: number; respBytes: number }) => {
    t.orig += r.origBytes;
    t.resp += r.respBytes;
    t.records++;
  };
  if (info.format === 'zeek-tsv' || info.format === 'zeek-json') await readZeekFile(info, { conn: add, ...(strings ? { host: () => undefined } : {}) });
  else await readGenericFile(info, guessMapping(info.columns)!, add);
  return t;
}

test('Zeek TSV (byte path, string path, parse workers): a huge, infinite, negative or NaN orig_ip_bytes/resp_ip_bytes is reported by line, the record left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-zeek-bytes-'));
  try {
    const { head, rows } = realTsv(12);
    const fields = head.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
    const O = fields.indexOf('orig_ip_bytes');
    const R = fields.indexOf('resp_ip_bytes');
    const good = rows.map((r) => [...r]);
    const bad: [number, number, string][] = [
      [1, O, '1e308'],
      [3, R, '99999999999999999'], // 17 digits: more than the byte path's 15
      [5, O, '-5'],
      [7, R, 'NaN'],
    ];
    for (const [i, c, v] of bad) rows[i][c] = v;
    const file = join(dir, 'conn.log');
    writeFileSync(file, [...head, ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
    const line = (i: number) => head.length + 1 + i;
    const want = [
      `${line(1)} unreadable byte count in orig_ip_bytes: "1e308" (more than 10^15)`,
      `${line(3)} unreadable byte count in resp_ip_bytes: "99999999999999999" (more than 10^15)`,
      `${line(5)} unreadable byte count in orig_ip_bytes: "-5" (negative)`,
      `${line(7)} unreadable byte count in resp_ip_bytes: "NaN" (not a number)`,
    ];
    const kept = good.filter((_, i) => !bad.some(([b]) => b === i));
    const origSum = kept.reduce((s, r) => s + Number(r[O]), 0);
    const allSum = kept.reduce((s, r) => s + Number(r[O]) + Number(r[R]), 0);
    for (const parseWorkers of [0, 1]) {
      const a = await runBeaconAnalysis([file], { internalSubnets: [], parseWorkers });
      assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), want, `parseWorkers ${parseWorkers}`);
      assert.ok(a.errors.every((e) => e.file === file));
      assert.equal(a.summary.records, 8);
      assert.equal(a.summary.unparsedLines, 4);
    }
    for (const strings of [false, true]) assert.deepEqual(await sums(file, strings), { orig: origSum, resp: allSum - origSum, records: 8 }, `strings ${strings}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Zeek JSON: a huge, infinite, negative or non-number byte count is reported by line, the record left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-zeek-json-bytes-'));
  try {
    const lines = readFileSync(join(ZEEK, 'json/conn.log'), 'utf8').split('\n').filter((l) => l.includes('"_path": "conn"')).slice(0, 10);
    const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const good = objs.map((o) => ({ ...o }));
    objs[0].orig_ip_bytes = 1e308;
    objs[2].resp_ip_bytes = -1;
    objs[4].orig_ip_bytes = 'NaN';
    objs[6].resp_ip_bytes = 2e15;
    objs[8].orig_ip_bytes = { n: 1 };
    const file = join(dir, 'conn.json');
    writeFileSync(file, objs.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const a = await runBeaconAnalysis([file], { internalSubnets: [], parseWorkers: 0 });
    assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), [
      '1 unreadable byte count in orig_ip_bytes: 1e+308 (more than 10^15)',
      '3 unreadable byte count in resp_ip_bytes: -1 (negative)',
      '5 unreadable byte count in orig_ip_bytes: "NaN" (not a number)',
      '7 unreadable byte count in resp_ip_bytes: 2000000000000000 (more than 10^15)',
      '9 unreadable byte count in orig_ip_bytes: {"n":1} (not a number)',
    ]);
    assert.equal(a.summary.records, 5);
    const kept = good.filter((_, i) => i % 2 === 1);
    assert.deepEqual(await sums(file), {
      orig: kept.reduce((s, o) => s + Number(o.orig_ip_bytes), 0),
      resp: kept.reduce((s, o) => s + Number(o.resp_ip_bytes), 0),
      records: 5,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generic CSV connection log (Zeek columns mapped): a negative or NaN byte count is reported by line as a huge one is; unset cells read 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-csv-bytes-'));
  try {
    const { head, rows } = realTsv(8);
    const fields = head.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
    const col = (r: string[], f: string) => r[fields.indexOf(f)];
    const out = ['ts,src_ip,dst_ip,dst_port,bytes_sent,bytes_received'];
    const sent = ['-7', 'NaN', '1e308', 'N/A', '-', '', ...rows.slice(6).map((r) => col(r, 'orig_ip_bytes'))];
    rows.forEach((r, i) => out.push([col(r, 'ts'), col(r, 'id.orig_h'), col(r, 'id.resp_h'), col(r, 'id.resp_p'), sent[i], col(r, 'resp_ip_bytes')].join(',')));
    const file = join(dir, 'firewall.csv');
    writeFileSync(file, out.join('\n') + '\n');
    const a = await runBeaconAnalysis([file], { internalSubnets: [], parseWorkers: 0 });
    assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), [
      '2 unreadable byte count in bytes_sent: "-7" (negative)',
      '3 unreadable byte count in bytes_sent: "NaN" (not a number)',
      '4 unreadable byte count in bytes_sent: "1e308" (more than 10^15)',
    ]);
    assert.equal(a.summary.records, 5);
    const t = await sums(file);
    assert.equal(t.records, 5);
    assert.equal(t.orig, rows.slice(6).reduce((s, r) => s + Number(col(r, 'orig_ip_bytes')), 0)); // N/A, - and '' read 0
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('count rules: countOf, countText, countProblem, qradarCount', () => {
  assert.equal(countOf(1e15), 1e15);
  assert.ok(Number.isNaN(countOf(1e15 + 1)));
  assert.ok(Number.isNaN(countOf(Infinity)));
  assert.ok(Number.isNaN(countOf(-1)));
  assert.ok(Number.isNaN(countOf(NaN)));
  assert.equal(countOf(12.9), 12);
  assert.equal(countText('N/A'), 0);
  assert.ok(Number.isNaN(countText('nan')));
  assert.ok(Number.isNaN(countText('Infinity')));
  assert.ok(Number.isNaN(countText('12 KB')));
  assert.equal(qradarCount('1,234'), 1234);
  assert.ok(Number.isNaN(qradarCount('-1,234')));
  assert.equal(countProblem('-Infinity'), 'negative');
  assert.equal(countProblem('1,000,000,000,000,001'), 'more than 10^15');
  assert.equal(countProblem(true), 'not a number');
});

test('Zeek TSV (byte and string paths): a count written as 0x10, 0b101, 0o7, 1_000 or in non-ASCII digits is unreadable, reported by line; 5.0, +5, .5, 1e3, -0 are still read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-zeek-bytes-forms-'));
  try {
    const { head, rows } = realTsv(14);
    const fields = head.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
    const O = fields.indexOf('orig_ip_bytes');
    const R = fields.indexOf('resp_ip_bytes');
    const bad: [number, number, string][] = [
      [0, O, '0x10'],
      [2, R, '0b101'],
      [4, O, '0o7'],
      [6, R, '\uFF15'], // fullwidth 5
      [8, O, '\u0665'], // Arabic-Indic 5
      [10, R, '1_000'],
    ];
    const readable: [number, number, string, number][] = [
      [1, O, '5.0', 5],
      [3, O, '+5', 5],
      [5, O, '.5', 0],
      [7, O, '1e3', 1000],
      [9, O, '-0', 0],
    ];
    for (const [i, c, v] of bad) rows[i][c] = v;
    for (const [i, c, v] of readable) rows[i][c] = v;
    const file = join(dir, 'conn.log');
    writeFileSync(file, [...head, ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
    const line = (i: number) => head.length + 1 + i;
    const a = await runBeaconAnalysis([file], { internalSubnets: [], parseWorkers: 0 });
    assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), bad.map(([i, c, v]) => `${line(i)} unreadable byte count in ${c === O ? 'orig_ip_bytes' : 'resp_ip_bytes'}: ${JSON.stringify(v)} (not a number)`));
    assert.equal(a.summary.records, 8);
    const kept = rows.filter((_, i) => !bad.some(([b]) => b === i));
    const origOf = (r: string[]) => readable.find(([i]) => rows[i] === r)?.[3] ?? Number(r[O]);
    for (const strings of [false, true]) {
      assert.deepEqual(await sums(file, strings), { orig: kept.reduce((s, r) => s + origOf(r), 0), resp: kept.reduce((s, r) => s + Number(r[R]), 0), records: 8 }, `strings ${strings}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generic JSON lines (Zeek fields mapped): a byte count true, {} or [] is reported by line as Zeek JSON reports it, not read as 0; null reads 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-jsonl-bytes-'));
  try {
    const lines = readFileSync(join(ZEEK, 'json/conn.log'), 'utf8').split('\n').filter((l) => l.includes('"_path": "conn"')).slice(0, 8);
    const objs = lines.map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return { ts: o.ts, src_ip: o['id.orig_h'], dst_ip: o['id.resp_h'], dst_port: o['id.resp_p'], bytes_sent: o.orig_ip_bytes, bytes_received: o.resp_ip_bytes } as Record<string, unknown>;
    });
    const sentOk = objs.map((o) => Number(o.bytes_sent));
    objs[1].bytes_sent = true;
    objs[3].bytes_sent = {};
    objs[5].bytes_sent = [];
    objs[6].bytes_sent = null;
    const file = join(dir, 'flows.jsonl');
    writeFileSync(file, objs.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const a = await runBeaconAnalysis([file], { internalSubnets: [], parseWorkers: 0 });
    assert.deepEqual(a.errors.map((e) => `${e.line} ${e.message}`), [
      '2 unreadable byte count in bytes_sent: true (not a number)',
      '4 unreadable byte count in bytes_sent: {} (not a number)',
      '6 unreadable byte count in bytes_sent: [] (not a number)',
    ]);
    assert.equal(a.summary.records, 5);
    assert.equal((await sums(file)).orig, [0, 2, 4, 7].reduce((s, i) => s + sentOk[i], 0)); // null: 0
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('count rules: decimal text only', () => {
  for (const [s, n] of [['5.0', 5], ['5.', 5], ['+5', 5], ['.5', 0], ['1e15', 1e15], ['1E3', 1000], ['-0', 0], ['12', 12]] as const) assert.ok(countText(s) === n, s); // (-0 === 0)
  for (const s of ['0x10', '0b101', '0o7', '1_000', '\uFF15', '\u0665', '12 KB', '5e', 'e5', '--5', 'Infinity', '-infinity']) assert.ok(Number.isNaN(countText(s)), s);
  for (const s of ['N/A', 'none', '(empty)', 'true']) assert.equal(countText(s), 0, s);
  assert.ok(Number.isNaN(qradarCount('0x10')));
  assert.ok(Number.isNaN(qradarCount(true)));
  assert.ok(Number.isNaN(qradarCount({})));
  assert.equal(qradarCount(null), 0);
  assert.equal(qradarCount('1,234.0'), 1234);
});
