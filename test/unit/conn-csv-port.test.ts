/**
 * Generic connection exports (src/core/parse/conn-csv.ts): an empty destination-port cell is "no port"
 * (NaN, as Zeek's unset `-`), never port 0; a set value that is no port is reported on its line, the record kept.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseMappingSpec, portOf, readGenericFile } from '../../src/core/parse/conn-csv';
import { sniffInput } from '../../src/core/parse/zeek';

describe('generic connection CSV: destination port', () => {
  it('empty, blank, "-" and text cells are no port; 0, 443 and 443.0 are ports', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conn-port-'));
    try {
      const file = path.join(dir, 'fw.csv');
      fs.writeFileSync(
        file,
        'timestamp,src_ip,dst_ip,dst_port\n' +
          '1713484800,10.0.0.1,8.8.8.8,443\n' +
          '1713484801,10.0.0.2,8.8.8.8,\n' +
          '1713484802,10.0.0.3,8.8.8.8, \n' +
          '1713484803,10.0.0.4,8.8.8.8,-\n' +
          '1713484804,10.0.0.5,8.8.8.8,0\n' +
          '1713484805,10.0.0.6,8.8.8.8,53.0\n' +
          '1713484806,10.0.0.7,8.8.8.8,https\n' +
          '1713484807,10.0.0.8,8.8.8.8,70000\n',
      );
      const got: [string, number][] = [];
      const res = await readGenericFile(await sniffInput(file), parseMappingSpec('ts=timestamp,src=src_ip,dst=dst_ip,dport=dst_port'), (r) => got.push([r.src, r.dport]));
      // a set value that is no port (a service name, out of range) keeps its record without a port, said on its line
      assert.deepEqual(res.errors.map((e) => [e.line, e.message]), [
        [8, 'unreadable port in dst_port: "https" (not a whole number from 0 to 65535); the record is kept without it'],
        [9, 'unreadable port in dst_port: "70000" (not a whole number from 0 to 65535); the record is kept without it'],
      ]);
      assert.equal(res.unparsedLines, 0);
      assert.deepEqual(got, [
        ['10.0.0.1', 443],
        ['10.0.0.2', NaN],
        ['10.0.0.3', NaN],
        ['10.0.0.4', NaN],
        ['10.0.0.5', 0],
        ['10.0.0.6', 53],
        ['10.0.0.7', NaN],
        ['10.0.0.8', NaN],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('JSON values: numbers in range, null and "" are no port', () => {
    assert.deepEqual([portOf(22), portOf(null), portOf(''), portOf(undefined), portOf(-1), portOf(8.5), portOf('0x50')], [22, NaN, NaN, NaN, NaN, NaN, NaN]);
  });
});
