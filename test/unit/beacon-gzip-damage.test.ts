/**
 * Damaged `.gz` conn logs in the beacon analysis: the records before the damage are read and the damage is said.
 * Before, the CLI's text report never named a gzip file cut short (its "damaged or truncated gzip data" error carries
 * the line it was met on, so it was neither an unreadable line nor a file "not read", and only the first line error
 * is printed), a `.gz` cut after its first bytes was skipped as an "empty file", and other bytes after a complete
 * gzip member (which `gzip -d` ignores) lost the member's last lines: Node's gunzip drops the output of the write
 * its error happens in.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconsTextReport } from '../../src/core/analyze/beacons/cli';
import { isFileDamage, readZeekFile, sniffInput } from '../../src/core/parse/zeek';

const T0 = 1713484800; // 2024-04-19T00:00:00Z

function connLog(n: number): string {
  const head = ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_ip_bytes\tresp_ip_bytes'];
  const rows: string[] = [];
  for (let i = 0; i < n; i++) rows.push([`${T0 + i * 60}.250000`, `C${i}`, '10.0.0.5', String(40000 + (i % 1000)), '203.0.113.9', '443', 'tcp', '120', '80'].join('\t'));
  return [...head, ...rows].join('\n') + '\n';
}

describe('beacons: damaged gzip conn logs', () => {
  it('a .gz cut mid-stream: records before the cut are scored, and the text report names the file and its damage', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-gz-'));
    try {
      const full = gzipSync(connLog(1200));
      const cut = path.join(dir, 'conn.cut.log.gz');
      fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length * 0.6)));
      const a = await runBeaconAnalysis([cut], { internalSubnets: ['10.0.0.0/8'] });
      assert.ok(a.summary.records > 300 && a.summary.records < 1200, String(a.summary.records));
      assert.equal(a.pairs[0]?.count, a.summary.records);
      const damage = a.errors.filter(isFileDamage);
      assert.equal(damage.length, 1);
      assert.match(damage[0].message, /^damaged or truncated gzip data: Z_BUF_ERROR: unexpected end of file/);
      const text = beaconsTextReport(a, 'UTC');
      assert.ok(
        text.includes(`1 file read only up to damage (the records before it were kept):\n  ${cut}:${damage[0].line}: damaged or truncated gzip data: Z_BUF_ERROR: unexpected end of file\n`),
        text,
      );
      // the cut last line is the unreadable line named first, not the damage message
      assert.match(text, new RegExp(`1 unreadable line — first: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+ expected 9 fields, found \\d\\n`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a .gz cut after its first bytes is skipped as damaged, not as an empty file; a gzip of nothing is empty', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-gz-'));
    try {
      const stub = path.join(dir, 'conn.stub.log.gz');
      fs.writeFileSync(stub, gzipSync(connLog(10)).subarray(0, 12));
      const empty = path.join(dir, 'conn.empty.log.gz');
      fs.writeFileSync(empty, gzipSync(''));
      const info = await sniffInput(stub);
      assert.equal(info.format, 'empty');
      assert.match(info.error ?? '', /^damaged or truncated gzip data: /);
      assert.equal((await sniffInput(empty)).error, undefined);
      const a = await runBeaconAnalysis([dir], { internalSubnets: ['10.0.0.0/8'] });
      assert.deepEqual(
        (a.skipped ?? []).map((k) => [path.basename(k.file), k.reason.replace(/: Z_\w+: .*/, '')]),
        [
          ['conn.empty.log.gz', 'empty file'],
          ['conn.stub.log.gz', 'nothing could be read: damaged or truncated gzip data'],
        ],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('other bytes after complete gzip members: every line of every member is read once, and the bytes are named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-gz-'));
    try {
      const text = connLog(3000); // ~190 KB: more than one 16 KiB chunk of output in the last write
      const clean = path.join(dir, 'conn.clean.log.gz');
      fs.writeFileSync(clean, Buffer.concat([gzipSync(text.slice(0, 100_000)), gzipSync(text.slice(100_000))])); // two members
      const tail = path.join(dir, 'conn.tail.log.gz');
      fs.writeFileSync(tail, Buffer.concat([fs.readFileSync(clean), Buffer.from('garbage\n')]));
      const padded = path.join(dir, 'conn.padded.log.gz');
      fs.writeFileSync(padded, Buffer.concat([fs.readFileSync(clean), Buffer.alloc(512)]));
      const read = async (file: string) => {
        const lines: number[] = [];
        const res = await readZeekFile(await sniffInput(file), { conn: (r, line) => lines.push(line, r.ts) });
        return { lines, res };
      };
      const want = await read(clean);
      assert.equal(want.res.records, 3000);
      assert.deepEqual(want.res.errors, []);
      const got = await read(tail);
      assert.equal(got.res.records, 3000);
      assert.deepEqual(got.lines, want.lines);
      assert.deepEqual(got.res.errors, [
        { file: tail, line: 3003, message: 'damaged or truncated gzip data: 8 bytes after the gzip data are not gzip data (ignored; every line before them was read)' },
      ]);
      assert.equal(got.res.unparsedLines, 0);
      const pad = await read(padded);
      assert.deepEqual([pad.res.records, pad.res.errors], [3000, []]);
      // the same through the analysis: the pair has all its connections
      const a = await runBeaconAnalysis([tail], { internalSubnets: ['10.0.0.0/8'] });
      assert.equal(a.summary.records, 3000);
      assert.equal(a.summary.unparsedLines, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
