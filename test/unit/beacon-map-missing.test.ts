/**
 * `soc-analytics beacons … --map …` naming columns the input lacks: each is listed as not read (file, column) in the
 * text report and in `--json` errors; when not one connection could be read the CLI exits 3 (as with no connection
 * log among the paths, src/core/cli-support.ts EXIT_NOTHING_READ). A CSV with a header and no rows says
 * "no connections in <file>". Fixtures: rows of the real conn log in shared/data/zeek as a CSV / JSON-lines export.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REAL = resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19/conn.10:00:00-11:00:00.log.gz');

/** The first `n` records of the real conn log as objects of the columns used here. */
function realRows(n: number): Record<string, string>[] {
  const lines = gunzipSync(readFileSync(REAL)).toString('utf8').split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  return lines
    .filter((l) => l && !l.startsWith('#'))
    .slice(0, n)
    .map((l) => {
      const v = l.split('\t');
      const o: Record<string, string> = {};
      for (const f of ['ts', 'id.orig_h', 'id.resp_h', 'id.resp_p', 'orig_ip_bytes']) o[f] = v[fields.indexOf(f)];
      return o;
    });
}

test('beacons --map: mapped columns missing from a CSV / JSON-lines export are listed as not read; exit 3 when nothing could be read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-map-missing-'));
  try {
    const rows = realRows(40);
    const csv = join(dir, 'fw.csv');
    writeFileSync(csv, ['time,source,dest,port,sent', ...rows.map((r) => [r.ts, r['id.orig_h'], r['id.resp_h'], r['id.resp_p'], r.orig_ip_bytes].join(','))].join('\n') + '\n');
    // two optional columns missing: the 40 records are read without them, both named
    const a = capture();
    assert.equal(await main(['beacons', csv, '--internal', 'none', '--map', 'time=ts,source=src,dest=dst,dst_port=dport,bytes_out=bytes'], a.io), 0, a.err());
    assert.match(a.out(), /^Beacons \(rita-v5\): 1 file, 40 records /);
    assert.ok(
      a.out().includes(`2 mapped columns not read:\n  ${csv}: mapped column "dst_port" (dport) is not in the file: not read\n  ${csv}: mapped column "bytes_out" (bytes) is not in the file: not read\n`),
      a.out(),
    );
    const aj = capture();
    assert.equal(await main(['beacons', csv, '--json', '--map', 'time=ts,source=src,dest=dst,dst_port=dport,bytes_out=bytes'], aj.io), 0);
    assert.deepEqual(JSON.parse(aj.out()).errors, [
      { file: csv, line: 0, message: 'mapped column "dst_port" (dport) is not in the file: not read' },
      { file: csv, line: 0, message: 'mapped column "bytes_out" (bytes) is not in the file: not read' },
    ]);
    // the destination column missing: nothing can be read — listed, the file named as not read, exit 3
    const b = capture();
    assert.equal(await main(['beacons', csv, '--map', 'time=ts,source=src,dst_ip=dst'], b.io), 3);
    assert.match(b.out(), /^Beacons \(rita-v5\): 1 file, 0 records /);
    assert.ok(b.out().includes(`1 mapped column not read:\n  ${csv}: mapped column "dst_ip" (dst) is not in the file: not read\n`), b.out());
    assert.ok(b.out().includes(`1 file not read:\n  ${csv}: no connection read: the timestamp, source and destination columns are needed, and "dst_ip" is not in the header (time, source, dest, port, sent)\n`), b.out());
    assert.equal(b.err(), 'soc-analytics: no connection could be read from the files in the given paths; exit 3\n');
    // JSON lines: a column no record has is named; the records are read
    const jsonl = join(dir, 'flows.jsonl');
    writeFileSync(jsonl, rows.map((r) => JSON.stringify({ time: Number(r.ts), source: r['id.orig_h'], dest: r['id.resp_h'] })).join('\n') + '\n');
    const c = capture();
    assert.equal(await main(['beacons', jsonl, '--json', '--map', 'time=ts,source=src,dest=dst,sent=bytes'], c.io), 0, c.err());
    const cj = JSON.parse(c.out());
    assert.equal(cj.summary.records, 40);
    assert.deepEqual(cj.errors, [{ file: jsonl, line: 0, message: 'mapped column "sent" (bytes) is not in the file: not read' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('beacons: a CSV export with a header and no rows says "no connections in <file>" and exits 3', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-map-missing-'));
  try {
    const csv = join(dir, 'empty-export.csv');
    writeFileSync(csv, 'timestamp,src_ip,dst_ip,dst_port,bytes_sent\r\n');
    for (const map of [[], ['--map', 'firewall-csv']]) {
      const t = capture();
      assert.equal(await main(['beacons', csv, ...map], t.io), 3, t.out());
      assert.ok(t.out().includes(`\nno connections in ${csv} (it has a header and no rows)\n`), t.out());
      assert.equal(t.err(), 'soc-analytics: no connection could be read from the files in the given paths; exit 3\n');
      const j = capture();
      assert.equal(await main(['beacons', csv, '--json', ...map], j.io), 3);
      assert.deepEqual(JSON.parse(j.out()).errors, [{ file: csv, line: 0, message: 'no connections in empty-export.csv (it has a header and no rows)' }]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
