/**
 * Hostile review: a QRadar offense array too large to be read as one text (over 512 MiB) is streamed
 * (QRadarArrayStream). A file read whole reads bytes that are not UTF-8 (a windows-1252 export, an Excel re-save) as
 * windows-1252 and reports the line of the first; the stream decoded each record as UTF-8 and made them U+FFFD,
 * silently. It now reads them as the whole-file path does (the same offenses, the same texts) and reports the first
 * with its line, record and byte offset in the file, and how many records had such bytes: in the problems of the
 * dashboard and of the CLI.
 *
 * The threshold is lowered for most of the tests (`maxWholeFileBytes`: the file is streamed as a 513 MiB one is); the
 * last writes a 513 MiB file (records apart by whitespace; about 4 s) and reads it with the real threshold.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQRadarRead, MAX_FILE_BYTES } from '../../src/core/analyze/qradar-run';
import { QRadarArrayStream } from '../../src/core/parse/qradar';
import { qradarText } from '../../src/core/analyze/qradar-report';
import { summarizeQRadar, DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N } from '../../src/core/analyze/qradar-summary';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-stream-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const offense = (id: number, description: Buffer, extra = '') =>
  Buffer.concat([utf8(`{"id": ${id}, "description": "`), description, utf8(`", "offense_source": "10.0.0.${id % 250}", "start_time": 1709294400000, "status": "OPEN", "magnitude": 5${extra}}`)]);

/** 20 ASCII offenses, then: windows-1252 bytes (ü, €), UTF-8 (Zürich), windows-1252 in a value the model does not read, ASCII. */
function exportBytes(): Buffer {
  const recs: Buffer[] = [];
  for (let i = 1; i <= 20; i++) recs.push(offense(i, utf8(`Brute force ${i}`)));
  recs.push(offense(21, latin1('M\u00fcnchen \u0080 brute force')));
  recs.push(offense(22, utf8('Z\u00fcrich port scan')));
  recs.push(Buffer.concat([utf8('{"id": 23, "description": "x", "offense_source": "a", "start_time": 1709294400000, "username_count": 1, "notes": "Ren'), latin1('\u00e9'), utf8('"}')]));
  recs.push(offense(24, utf8('Last')));
  return Buffer.concat([utf8('[\n'), Buffer.concat(recs.flatMap((r, i) => (i ? [utf8(',\n'), r] : [r]))), utf8('\n]\n')]);
}

const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N };

test('a streamed offense array with windows-1252 bytes: same offenses and texts as a file read whole, and the first such byte reported', async () => {
  const bytes = exportBytes();
  const f = join(TMP, 'offenses-cp1252.json');
  writeFileSync(f, bytes);
  const whole = await runQRadarRead([f]);
  const streamed = await runQRadarRead([f], { maxWholeFileBytes: 1024 });
  assert.ok(bytes.length > 1024 && bytes.length < MAX_FILE_BYTES);

  // the file read whole (the reference): windows-1252 read as such, one warning
  assert.equal(whole.offenses.length, 24);
  assert.equal(whole.offenses[20].description, 'M\u00fcnchen \u20ac brute force');
  assert.equal(whole.offenses[21].description, 'Z\u00fcrich port scan');
  assert.equal(whole.errors.length, 1);
  assert.match(whole.errors[0].message, /^not UTF-8/);

  // streamed: nothing lost, nothing turned into U+FFFD
  assert.deepEqual(streamed.offenses, whole.offenses);
  assert.doesNotMatch(JSON.stringify(streamed.offenses), /\ufffd/);
  assert.equal(streamed.errors.length, 1, JSON.stringify(streamed.errors));
  const e = streamed.errors[0];
  assert.equal(e.file, f);
  assert.equal(e.line, whole.errors[0].line);
  assert.equal(e.line, 22);
  const at = bytes.indexOf(0xfc); // the ü of München
  assert.equal(
    e.message,
    `not UTF-8 (first invalid byte on this line, in record 21, byte ${at} of the file; 1 more record with such bytes): the bytes that are not UTF-8 are read as windows-1252`,
  );
  assert.deepEqual(streamed.files, [{ file: f, kind: 'offenses', format: 'json-array', records: 24, errors: 1 }]);
  assert.deepEqual(streamed.files, whole.files);

  // the CLI's report lists it among the problems
  const text = qradarText(streamed, summarizeQRadar(streamed, settings));
  assert.ok(text.includes(`1 problem:\n  ${f}:22: not UTF-8 (first invalid byte on this line, in record 21, byte ${at} of the file`), text);
});

test('QRadarArrayStream: the same offenses and report in any chunking (a character split between chunks included)', () => {
  const bytes = exportBytes();
  const read = (chunk: number) => {
    const s = new QRadarArrayStream('x.json');
    for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
    return s.end();
  };
  const ref = read(1 << 20);
  assert.equal(ref.offenses.length, 24);
  assert.equal(ref.offenses[20].description, 'M\u00fcnchen \u20ac brute force');
  assert.equal(ref.errors.length, 1);
  for (const chunk of [1, 2, 7, 100, 4096]) assert.deepEqual(read(chunk), ref, `chunk ${chunk}`);
  // a file that is UTF-8 throughout reports nothing
  const s = new QRadarArrayStream('ok.json');
  s.push(Buffer.from(`[${Array.from({ length: 25 }, (_, i) => `{"id": ${i + 1}, "description": "Z\u00fcrich ${i}", "offense_source": "a", "start_time": 1709294400000}`).join(',')}]`));
  const ok = s.end();
  assert.equal(ok.offenses.length, 25);
  assert.deepEqual(ok.errors, []);
});

test('a damaged record with windows-1252 bytes is still reported as invalid JSON; the bytes report names it', () => {
  const s = new QRadarArrayStream('bad.json');
  const bytes = Buffer.concat([utf8('[{"id": 1, "offense_source": "a"},\n{"id": 2, "offense_source": "'), latin1('\u00e9'), utf8('" "x"},\n{"id": 3, "offense_source": "c"}]')]);
  s.push(bytes);
  const r = s.end();
  assert.deepEqual(r.offenses.map((o) => o.id), [1, 3]);
  assert.equal(r.errors.length, 2);
  assert.ok(r.errors[0].message.startsWith(`not UTF-8 (first invalid byte on this line, in record 2, byte ${bytes.indexOf(0xe9)} of the file)`), r.errors[0].message);
  assert.equal(r.errors[0].line, 2);
  assert.match(r.errors[1].message, /^record 2: invalid JSON/);
});

test('at the real threshold: a file over 512 MiB (whitespace between records) takes the stream and reports the byte', async (t) => {
  // 513 MiB of temporary disk: skipped (and said so) on a machine without 2 GiB free there
  const st = statfsSync(TMP);
  if (st.bavail * st.bsize < 2 ** 31) {
    t.skip(`only ${Math.round((st.bavail * st.bsize) / 2 ** 20)} MiB free in ${tmpdir()}`);
    return;
  }
  const f = join(TMP, 'offenses-513mib.json');
  const fd = openSync(f, 'w');
  let size = 0;
  const write = (b: Buffer) => {
    writeSync(fd, b);
    size += b.length;
  };
  try {
    write(utf8('[\n'));
    for (let i = 1; i <= 20; i++) write(Buffer.concat([offense(i, utf8(`Brute force ${i}`)), utf8(',\n')]));
    const pad = Buffer.alloc(16 << 20, 0x20);
    pad[pad.length - 1] = 0x0a;
    while (size <= MAX_FILE_BYTES) write(pad);
    const last = offense(21, latin1('M\u00fcnchen'));
    const at = size + last.indexOf(0xfc);
    write(Buffer.concat([last, utf8('\n]\n')]));
    closeSync(fd);
    const p = await runQRadarRead([f]);
    assert.deepEqual(p.files, [{ file: f, kind: 'offenses', format: 'json-array', records: 21, errors: 1 }]);
    assert.equal(p.offenses.length, 21);
    assert.equal(p.offenses[20].description, 'M\u00fcnchen');
    assert.equal(p.errors.length, 1);
    assert.equal(p.errors[0].message, `not UTF-8 (first invalid byte on this line, in record 21, byte ${at} of the file): the bytes that are not UTF-8 are read as windows-1252`);
  } finally {
    rmSync(f, { force: true });
  }
});
