/**
 * A Zeek conn log (TSV or JSON lines, plain or gzip) with one line longer than the line limit (16 Mi characters, a
 * forged or damaged log): the line was handed on in 16 Mi-character pieces, each counted as an unreadable line, so
 * one line was 3 unreadable lines and every later problem was reported 2 lines below its place. It is now one
 * unreadable line, `line too long`, and the line numbers after it are right.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { MAX_LINE_CHARS } from '../../src/core/parse/lines';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-zeek-long-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const HEADER = '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\n';
const rows = (from: number) => Array.from({ length: 20 }, (_, i) => `${1713484800 + (from + i) * 60}.0\tC${from + i}\t10.0.0.1\t5000\t192.0.2.4\t443\ttcp\n`).join('');
const LONG = 'A'.repeat(2 * MAX_LINE_CHARS + 5);

async function errorsOf(file: string): Promise<{ records: number; unparsed: number; errors: [number, string][] }> {
  const c = capture();
  assert.equal(await main(['beacons', file, '--json'], c.io), 0, c.err());
  const doc = JSON.parse(c.out()) as { summary: { records: number; unparsedLines: number }; errors: { line: number; message: string }[] };
  return { records: doc.summary.records, unparsed: doc.summary.unparsedLines, errors: doc.errors.map((e) => [e.line, e.message.slice(0, 40)]) };
}

test('Zeek TSV, plain and gzip: an over-long line is one unreadable line and the lines after it keep their numbers', async () => {
  // header 4 lines, rows 5-24, the long line 25, rows 26-45, BADLINE 46
  const text = `${HEADER}${rows(0)}${LONG}\n${rows(20)}BADLINE\n`;
  const plain = join(TMP, 'conn.log');
  writeFileSync(plain, text);
  writeFileSync(`${plain}.gz`, gzipSync(text));
  for (const f of [plain, `${plain}.gz`]) {
    assert.deepEqual(
      await errorsOf(f),
      {
        records: 40,
        unparsed: 2,
        errors: [
          [25, 'line too long (33554437 characters, limi'],
          [46, 'expected 7 fields, found 1'],
        ],
      },
      f,
    );
  }
});

test('Zeek JSON lines: the same', async () => {
  const row = (i: number) => JSON.stringify({ _path: 'conn', ts: 1713484800 + i * 60, 'id.orig_h': '10.0.0.1', 'id.orig_p': 5000, 'id.resp_h': '192.0.2.4', 'id.resp_p': 443, proto: 'tcp' });
  const lines = [...Array.from({ length: 20 }, (_, i) => row(i)), LONG, ...Array.from({ length: 20 }, (_, i) => row(20 + i)), 'BADLINE'];
  const f = join(TMP, 'conn.json.log');
  writeFileSync(f, `${lines.join('\n')}\n`);
  assert.deepEqual(await errorsOf(f), {
    records: 40,
    unparsed: 2,
    errors: [
      [21, 'line too long (33554437 characters, limi'],
      [42, 'not a JSON object (unreadable JSON)'],
    ],
  });
});
