// Read-back of columnar Loki findings (src/core/parse/loki-store.ts, MessageReader) when the log
// file changed after the analysis in ways that keep every part at its position: the finding built
// later must still be the one analyzed, or an error asking to run again (never a mix of the two).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLokiFile, parseLokiFileColumnar } from '../../src/core/parse/loki';
import { LokiFindingStore, MessageReader, stampOf } from '../../src/core/parse/loki-store';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'loki-readback-hostile-'));
const ENTRY = path.resolve(__dirname, '../../src/core/analyze/beacons/zeek-worker.js');

const START = '20220110T08:00:00Z,WS-1,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2';
const finding = (i: number, md5: string, accessed: string, type: string, reason: string): string =>
  `20220110T08:00:0${i % 10}Z,WS-1,WARNING,FileScan,FILE: C:\\x\\f${i}.exe SCORE: 70 TYPE: ${type} SIZE: 12 FIRST_BYTES: 4d5a MD5: ${md5} ` +
  `SHA1: ${'1'.repeat(40)} CREATED: Tue Dec 18 12:01:51 2018 MODIFIED: Tue Dec 18 12:01:51 2018 ACCESSED: ${accessed} REASON_1: ${reason} SUBSCORE: 70 DESCRIPTION: d REF: -`;
const log = (md5: string, accessed: string, type: string, reason: string): string =>
  [START, ...Array.from({ length: 20 }, (_, i) => finding(i, md5, accessed, type, reason))].join('\r\n') + '\r\n';

test('read back: a file rewritten with every part at the same position but other values is an error, not a mixed finding', async () => {
  // The check of a changed file compared the positions of the parts, SCORE, SIZE and the path
  // only: a scan written again over the same file (same files found, other ACCESSED times or
  // hashes) gave findings with the new hashes and times under the old analysis, and a message
  // whose REASON no longer matched the finding's reasons.
  const dir = tmp();
  const file = path.join(dir, 'WS-1.csv');
  const text = log('0'.repeat(32), 'Tue Dec 18 12:01:51 2018', 'EXE', 'Yara Rule MATCH: R');
  const others: [string, string][] = [
    ['md5', log('f'.repeat(32), 'Tue Dec 18 12:01:51 2018', 'EXE', 'Yara Rule MATCH: R')],
    ['accessed', log('0'.repeat(32), 'Wed Dec 19 13:02:52 2018', 'EXE', 'Yara Rule MATCH: R')],
    ['type', log('0'.repeat(32), 'Tue Dec 18 12:01:51 2018', 'ZIP', 'Yara Rule MATCH: R')],
    ['reason', log('0'.repeat(32), 'Tue Dec 18 12:01:51 2018', 'EXE', 'Yara Rule MATCH: Q')],
  ];
  try {
    fs.writeFileSync(file, text);
    const want = (await parseLokiFile(file)).findings;
    assert.equal(want.length, 20);
    for (const [what, other] of others) {
      assert.equal(other.length, text.length, what);
      fs.writeFileSync(file, text);
      const r = await parseLokiFileColumnar(file, new MessageReader());
      assert.equal((r.findings as LokiFindingStore).columnarRows, 20, what);
      fs.writeFileSync(file, other);
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      // (the whole file is within the fingerprinted head)
      assert.throws(() => r.findings.at(3), (e: Error) => e.message === `${file} changed after it was analyzed (it no longer starts as it did); run the analysis again`, what);
      // Written back as analyzed: read again, equal to the object path.
      fs.writeFileSync(file, text);
      fs.utimesSync(file, new Date(), new Date(Date.now() + 9000));
      assert.deepStrictEqual([...r.findings], want, what);
    }
    // The same through a run whose files were parsed by workers (the check travels with the store).
    fs.writeFileSync(file, text);
    fs.writeFileSync(path.join(dir, 'WS-2.csv'), text.replace(/WS-1/g, 'WS-2'));
    const run = await runLokiAnalysis([dir], { parseWorkers: 2, parseWorkerBundle: ENTRY });
    assert.equal(run.findings.length, 40);
    fs.writeFileSync(file, others[0][1]);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.throws(() => [...run.findings], /WS-1\.csv changed after it was analyzed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('read back: MessageReader.unchanged answers for the stamp of each call, also from a window already read', () => {
  // The window remembered whether the file matched the stamp of the call that read it: a later
  // call for the same file with another stamp (the same path parsed twice with one reader, before
  // and after it was rewritten) was told "unchanged" and its rows were not checked.
  const dir = tmp();
  const file = path.join(dir, 'a.csv');
  try {
    fs.writeFileSync(file, 'FILE: hello world');
    const st = stampOf(fs.statSync(file), fs.readFileSync(file));
    const r = new MessageReader();
    assert.equal(r.text(file, st, 6, 5), 'hello');
    assert.equal(r.unchanged, true);
    assert.equal(r.text(file, { ...st, size: st.size - 1 }, 12, 5), 'world');
    assert.equal(r.reads, 1); // same window
    assert.equal(r.unchanged, false);
    assert.equal(r.text(file, st, 6, 5), 'hello');
    assert.equal(r.unchanged, true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('read back: a large file changed past its fingerprinted head is checked finding by finding', async () => {
  // 2,000 findings (~0.8 MB): the first 64 KiB are fingerprinted (FileStamp.head); past them each
  // message read back is checked against its row (positions, SCORE, SIZE, path, reasons).
  const dir = tmp();
  const file = path.join(dir, 'WS-1.csv');
  const lines = [START, ...Array.from({ length: 2000 }, (_, i) => finding(i, '0'.repeat(32), 'Tue Dec 18 12:01:51 2018', 'EXE', `Yara Rule MATCH: R${i % 10}`))];
  const text = lines.join('\r\n') + '\r\n';
  const edit = (i: number, from: string, to: string): string => {
    const l = [...lines];
    assert.ok(l[i].includes(from));
    l[i] = l[i].replace(from, to);
    return l.join('\r\n') + '\r\n';
  };
  const parse = async () => {
    fs.writeFileSync(file, text);
    const r = await parseLokiFileColumnar(file, new MessageReader());
    assert.equal((r.findings as LokiFindingStore).columnarRows, 2000);
    return r.findings;
  };
  const later = () => fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  try {
    fs.writeFileSync(file, text);
    const want = (await parseLokiFile(file)).findings;
    // Loki still writing: grown, read back as analyzed.
    let got = await parse();
    fs.appendFileSync(file, finding(7, '1'.repeat(32), 'x', 'EXE', 'Yara Rule MATCH: Z') + '\r\n');
    assert.deepStrictEqual([...got], want);
    // A scan written again (other start time on the first line, same length): refused as a whole.
    got = await parse();
    fs.writeFileSync(file, text.replace('20220110T08:00:00Z', '20220111T08:00:00Z'));
    later();
    assert.throws(() => got.at(1999), /WS-1\.csv changed after it was analyzed \(it no longer starts as it did\)/);
    // Edited far past the head: a reason of the same length → that finding is refused, the others read.
    got = await parse();
    fs.writeFileSync(file, edit(1501, 'MATCH: R0', 'MATCH: Q0'));
    later();
    assert.throws(() => got.at(1500), (e: Error) => e.message === `${file} changed after it was analyzed (line 1502 no longer holds its finding); run the analysis again`);
    assert.deepStrictEqual(got.at(10), want[10]);
    assert.deepStrictEqual(got.at(1999), want[1999]);
    // … a path of the same length, a SCORE of another length
    for (const [from, to] of [['f1700.exe', 'g1700.exe'], ['SCORE: 70', 'SCORE: 700']]) {
      got = await parse();
      fs.writeFileSync(file, edit(1701, from, to));
      later();
      assert.throws(() => got.at(1700), /line 1702 no longer holds its finding/, from);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
