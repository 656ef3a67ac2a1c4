/**
 * Random bytes given to the Loki analysis are skipped as a `binary file` at any size. Up to ~1 MB they were; from
 * ~1.5 MB they were "1 file, 0 hosts … 11972 unparsed lines" with a terminal-control-sequence warning: past
 * MAX_LINE_ERRORS unparsed lines the parser adds a line-0 "N more unparsed lines not listed" note, which analyzeLoki
 * took for a file-level error (cannot open: keep the file in `errors`), so the file was no longer skipped. And the
 * whole file was read for nothing. Now a file whose first bytes are binary and that holds no Loki line in its first
 * MiB is skipped without being read further, and the note is no file-level error; a Loki log with binary garbage
 * before or after its records (or NULs in a logged value) is still read with its findings.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { MAX_LINE_ERRORS, parseLokiFile } from '../../src/core/parse/loki';
import { capture } from './cli-capture';
import { randomBytes } from './not-text-bytes';

const FIX = resolve(__dirname, '../../../test/fixtures/loki');
const TMP = mkdtempSync(join(tmpdir(), 'soc-loki-binary-size-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

function file(name: string, data: Buffer | string): string {
  const f = join(TMP, name);
  writeFileSync(f, data);
  return f;
}

async function assertSkippedAsBinary(f: string): Promise<void> {
  for (const parseWorkers of [0, undefined]) {
    const a = await runLokiAnalysis([f], { parseWorkers });
    assert.equal(a.summary.files, 0, `${f} (workers ${parseWorkers})`);
    assert.equal(a.summary.hosts, 0);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.warnings ?? [], []);
    assert.deepEqual(a.skipped, [{ file: f, reason: 'binary file' }]);
  }
  const c = capture();
  assert.equal(await main(['loki', f], c.io), 3, c.out());
  assert.ok(c.out().startsWith('Loki results: 0 files, 0 hosts\n'), c.out());
  assert.ok(c.out().includes(`1 file skipped:\n  ${f}: binary file\n`), c.out());
  assert.doesNotMatch(c.out(), /unparsed|file error|control sequence|windows-1252/);
}

describe('loki: random bytes are skipped as a binary file at any size', () => {
  for (const [label, n] of [['100 KB', 100_000], ['1.5 MB', 1_536_000], ['5 MB', 5_000_000]] as const) {
    test(`${label} of random bytes (seeded): skipped as "binary file" (analysis and CLI)`, async () => {
      await assertSkippedAsBinary(file(`random-${n}.log`, randomBytes(n)));
    });
  }

  test('a 5 MB binary file is not read to its end: the parser stops after its first MiB or so', async () => {
    const f = file('random-5mb-read.log', randomBytes(5_000_000));
    const r = await parseLokiFile(f);
    assert.equal(r.notText, 'binary');
    assert.equal(r.format, 'unknown');
    assert.ok(r.bytes > 0 && r.bytes <= 1.5 * (1 << 20), `read ${r.bytes} bytes`);
  });

  test('binary data with a line end every few bytes (more unparsed lines than are listed) is skipped too', async () => {
    const b = randomBytes(3_000_000);
    for (let i = 5; i < b.length; i += 8) b[i] = 10;
    const f = file('random-lines.log', b);
    const r = await parseLokiFile(f);
    assert.ok(r.errors.length >= MAX_LINE_ERRORS, `${r.errors.length} errors`); // past the cap: the "… not listed" note
    assert.equal(r.notText, 'binary');
    await assertSkippedAsBinary(f);
  });

  test('a text file with more non-Loki lines than are listed is "not Loki output", not a file read', async () => {
    const f = file('numbers.log', Array.from({ length: MAX_LINE_ERRORS + 500 }, (_, i) => `row ${i}`).join('\n') + '\n');
    const a = await runLokiAnalysis([f], { parseWorkers: 0 });
    assert.equal(a.summary.files, 0);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.skipped, [{ file: f, reason: `not Loki output: none of its ${MAX_LINE_ERRORS + 500} lines matches a Loki format` }]);
  });
});

describe('loki: a real log with binary bytes is still read with its findings', () => {
  const LOG = readFileSync(join(FIX, 'samples-plain-win.log'));

  async function assertRead(f: string, parseWorkers?: number): Promise<void> {
    const plain = await runLokiAnalysis([join(FIX, 'samples-plain-win.log')], { parseWorkers: 0 });
    const a = await runLokiAnalysis([f], { parseWorkers });
    assert.deepEqual(a.skipped ?? [], []);
    assert.equal(a.summary.files, 1);
    assert.equal(a.summary.hosts, plain.summary.hosts);
    assert.ok(plain.findings.length > 0);
    assert.equal(a.findings.length, plain.findings.length);
    // (invalid UTF-8 in the garbage has the whole file decoded as windows-1252: "März" reads "MÃ¤rz" there)
    const ascii = (xs: Iterable<{ message: string }>) => [...xs].map((x) => x.message.replace(/[^\x20-\x7e]+/g, '?'));
    assert.deepEqual(ascii(a.findings), ascii(plain.findings));
  }

  test('binary garbage (64 KB) before the records: read, same findings', async () => {
    const f = file('garbage-first.log', Buffer.concat([randomBytes(65_536), Buffer.from('\n'), LOG]));
    await assertRead(f, 0);
    await assertRead(f);
    const c = capture();
    assert.equal(await main(['loki', f], c.io), 0, c.out());
    assert.doesNotMatch(c.out(), /binary file/);
  });

  test('binary garbage (3 MB) after the records: read, same findings', async () => {
    const f = file('garbage-last.log', Buffer.concat([LOG, randomBytes(3_000_000)]));
    await assertRead(f, 0);
    await assertRead(f);
  });

  test('a Loki log with NULs in its first bytes (trial-trunc-nul.log) is still read', async () => {
    const a = await runLokiAnalysis([join(FIX, 'trial-trunc-nul.log')], { parseWorkers: 0 });
    assert.deepEqual(a.skipped ?? [], []);
    assert.equal(a.summary.files, 1);
    assert.ok(a.findings.length > 0);
  });
});
