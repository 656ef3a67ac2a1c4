/**
 * Generic connection CSV in UTF-16 (Windows "Unicode" export; hostile review B, L2): the reader decodes it as the case,
 * Loki and tz readers do (a byte order mark, LE or BE, or the NULs of UTF-16 text without one; plain or gzip), instead
 * of reading its header as mojibake ("timestamp" … "not in the header") and no record.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { guessMapping, readGenericFile } from '../../src/core/parse/conn-csv';
import { sniffInput } from '../../src/core/parse/zeek';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-conn-utf16-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

let TEXT = 'timestamp,src_ip,dst_ip,dst_port,bytes_sent\r\n';
for (let i = 0; i < 50; i++) TEXT += `${1710000000 + 60 * i},10.0.0.5,203.0.113.9,443,512\r\n`;

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

const VARIANTS: [string, Buffer][] = [
  ['le-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
  ['be-bom.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
  ['le-nobom.csv', Buffer.from(TEXT, 'utf16le')],
  ['le-bom.csv.gz', gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))],
];

describe('connection CSV in UTF-16', () => {
  for (const [name, bytes] of VARIANTS) {
    test(`${name}: every record read, with its values, no problem`, async () => {
      const file = join(TMP, name);
      writeFileSync(file, bytes);
      const info = await sniffInput(file);
      const got: [number, string, string, number, number][] = [];
      const res = await readGenericFile(info, guessMapping(info.columns)!, (r) => got.push([r.ts, r.src, r.dst, r.dport, r.origBytes]));
      assert.deepEqual(res.errors, []);
      assert.equal(res.records, 50);
      assert.equal(res.lines, 51);
      assert.deepEqual(got[0], [1710000000, '10.0.0.5', '203.0.113.9', 443, 512]);
      assert.deepEqual(got[49], [1710002940, '10.0.0.5', '203.0.113.9', 443, 512]);
    });
  }

  test('beacons fw-utf16.csv (the review file): the pair is scored, exit 0', async () => {
    const file = join(TMP, 'fw-utf16.csv');
    writeFileSync(file, VARIANTS[0][1]);
    const c = capture();
    assert.equal(await main(['beacons', file, '--json'], c.io), 0, c.err());
    const j = JSON.parse(c.out()) as { summary: { records: number; pairs: number }; pairs: { src: string; dst: string; count: number; ports: string }[] };
    assert.equal(j.summary.records, 50);
    assert.deepEqual(j.pairs.map((p) => [p.src, p.dst, p.count, p.ports]), [['10.0.0.5', '203.0.113.9', 50, '443']]);
  });
});
