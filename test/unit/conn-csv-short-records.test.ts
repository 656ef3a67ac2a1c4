/**
 * Generic connection CSV (src/core/parse/conn-csv.ts, hostile review B, M2): a record with fewer fields than its
 * mapped columns need, and a port out of range, are no longer read silently. The short record is kept (it has its
 * time, source and destination) with its missing values unset — no port, 0 bytes, as a Zeek `-` — and reported on its
 * line; an out-of-range or non-numeric port keeps its record without a port, reported on its line.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { readGenericFile, guessMapping, type ColumnMapping } from '../../src/core/parse/conn-csv';
import { isKeptRecord, sniffInput, type ConnRecord } from '../../src/core/parse/zeek';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-conn-short-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const HEADER = 'timestamp,src_ip,dst_ip,dst_port,bytes_sent,bytes_received,protocol\n';

async function read(name: string, text: string, mapping?: ColumnMapping) {
  const file = join(TMP, name);
  writeFileSync(file, text);
  const info = await sniffInput(file);
  const got: Pick<ConnRecord, 'tsMs' | 'dport' | 'origBytes' | 'respBytes' | 'proto'>[] = [];
  const res = await readGenericFile(info, mapping ?? guessMapping(info.columns)!, (r) => got.push({ tsMs: r.tsMs, dport: r.dport, origBytes: r.origBytes, respBytes: r.respBytes, proto: r.proto }));
  return { res, got, file };
}

describe('connection CSV: short records and bad ports are reported, not read silently', () => {
  test('the review file (fw-short.csv): 25 short rows and 25 rows with port 70000, each kept and reported at its line', async () => {
    let text = HEADER;
    for (let i = 0; i < 50; i++) text += i % 2 === 0 ? `${1710000000 + 60 * i},10.0.0.5,203.0.113.9,70000,512,1024,tcp\n` : `${1710000000 + 60 * i},10.0.0.5,203.0.113.9\n`;
    const { res, got, file } = await read('fw-short.csv', text);
    assert.equal(res.records, 50);
    assert.equal(res.unparsedLines, 0);
    assert.equal(res.errors.length, 50);
    assert.ok(res.errors.every(isKeptRecord));
    assert.deepEqual(res.errors[0], { file, line: 2, message: 'unreadable port in dst_port: "70000" (not a whole number from 0 to 65535); the record is kept without it' });
    assert.deepEqual(res.errors[1], {
      file,
      line: 3,
      message: 'record has 3 fields, the header 7: dst_port, bytes_sent, bytes_received, protocol read as unset (no port, 0 bytes, as Zeek\'s "-"); the record is kept without them',
    });
    // values: the long rows keep their bytes and protocol, without the port; the short rows have no port, 0 bytes, no protocol
    assert.deepEqual(got[0], { tsMs: 1710000000000, dport: NaN, origBytes: 512, respBytes: 1024, proto: 'tcp' });
    assert.deepEqual(got[1], { tsMs: 1710000060000, dport: NaN, origBytes: 0, respBytes: 0, proto: '' });
  });

  test('ports -1, 99999 and text are reported; 443, empty and - are not; a record short of a column it does not map is not reported', async () => {
    const { res, got } = await read(
      'ports.csv',
      HEADER +
        '1710000000,10.0.0.5,203.0.113.9,-1,1,2,tcp\n' +
        '1710000060,10.0.0.5,203.0.113.9,99999,1,2,tcp\n' +
        '1710000120,10.0.0.5,203.0.113.9,N/A,1,2,tcp\n' +
        '1710000180,10.0.0.5,203.0.113.9,443,1,2,tcp\n' +
        '1710000240,10.0.0.5,203.0.113.9,,1,2,tcp\n' +
        '1710000300,10.0.0.5,203.0.113.9,-,1,2,tcp\n' +
        '1710000360,10.0.0.5,203.0.113.9,443,7\n',
      { ts: 'timestamp', src: 'src_ip', dst: 'dst_ip', dport: 'dst_port', bytes: 'bytes_sent' },
    );
    assert.deepEqual(res.errors.map((e) => [e.line, e.message.replace(/ \(not a whole.*$/, '')]), [
      [2, 'unreadable port in dst_port: "-1"'],
      [3, 'unreadable port in dst_port: "99999"'],
      [4, 'unreadable port in dst_port: "N/A"'],
    ]);
    assert.deepEqual(got.map((r) => r.dport), [NaN, NaN, NaN, 443, NaN, NaN, 443]);
    assert.equal(got[6].origBytes, 7);
  });

  test('a short record without its destination is left out, its error saying it is short', async () => {
    const { res } = await read('noDst.csv', HEADER + '1710000000,10.0.0.5,203.0.113.9,443,1,2,tcp\n1710000060,10.0.0.5\n');
    assert.equal(res.records, 1);
    assert.equal(res.unparsedLines, 1);
    assert.deepEqual(res.errors.map((e) => [e.line, e.message]), [[3, 'missing or invalid destination in dst_ip: "" (the record has 2 fields, the header 7)']]);
  });

  test('beacons --json lists them as errors with file and line', async () => {
    const file = join(TMP, 'cli.csv');
    let text = HEADER;
    for (let i = 0; i < 6; i++) text += i === 2 ? `${1710000000 + 60 * i},10.0.0.5,203.0.113.9\n` : `${1710000000 + 60 * i},10.0.0.5,203.0.113.9,443,512,1024,tcp\n`;
    writeFileSync(file, text);
    const c = capture();
    await main(['beacons', file, '--json'], c.io);
    const j = JSON.parse(c.out()) as { summary: { records: number; unparsedLines: number }; errors: { file: string; line: number; message: string }[] };
    assert.equal(j.summary.records, 6);
    assert.equal(j.summary.unparsedLines, 0);
    assert.deepEqual(j.errors.map((e) => [e.line, e.message.slice(0, 36)]), [[4, 'record has 3 fields, the header 7: d']]);
  });
});
