/**
 * The extension host's copy of Loki findings: columnar file findings travel without their message
 * (MessagelessFindings, src/core/parse/loki-store.ts) and the detail reads it back
 * (readLokiMessage, src/core/parse/loki-message.ts). Real Loki logs from shared/data.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { FindingView, MessagelessFindings } from '../../src/core/parse/loki-store';
import { readLokiMessage, shareFindingTexts } from '../../src/core/parse/loki-message';
import { SHARED_TEXTS_MAX } from '../../src/core/shared-texts';
import { RESULT_PACKERS } from '../../src/shared/result-packing';
import { execFileSync } from 'node:child_process';
import { defaultRunners } from '../../src/worker/runners';
import { postResult } from '../../src/worker/job-handler';
import type { LokiFinding } from '../../src/core/model/loki';
import type { FromWorker } from '../../src/shared/worker-protocol';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

function withoutRef(f: LokiFinding, message: string): LokiFinding {
  const { messageAt: _drop, ...rest } = f;
  return { ...rest, message };
}

test('messageless findings: same findings as the analysis, message read back equal, on the real logs', async () => {
  const a = await runLokiAnalysis([REAL], { parseWorkers: 0 });
  const view = a.findings;
  assert.ok(view instanceof FindingView, 'the real Python CSV logs give a columnar view');
  const t = new MessagelessFindings(view);
  assert.equal(t.length, 19);
  let columnar = 0;
  for (let i = 0; i < view.length; i++) {
    const orig: LokiFinding = view.at(i)!;
    const sent = structuredClone(t.at(i)!); // as the host receives it
    if (view.messageAt(i) === undefined) {
      assert.deepEqual(sent, orig);
      continue;
    }
    columnar++;
    assert.equal(sent.message, '');
    assert.deepEqual(sent.messageAt, view.messageAt(i));
    const back = await readLokiMessage(sent);
    assert.equal(back, orig.message);
    assert.match(back, /^FILE: /);
    assert.deepEqual(withoutRef(sent, back), orig);
  }
  assert.equal(columnar, 19, 'every finding of these logs is a columnar file finding');
  // a finding that kept its message answers with it, without reading
  assert.equal(await readLokiMessage({ ...view.at(0)!, source: { file: '/no/such/file', line: 1 } }), view.at(0)!.message);
});

test('readLokiMessage: a log changed, cut or deleted after the analysis is reported, never read as another message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-msg-'));
  try {
    const src = fs.readdirSync(REAL).find((n) => fs.readFileSync(path.join(REAL, n), 'latin1').includes('MD5: '))!;
    const file = path.join(dir, src);
    fs.copyFileSync(path.join(REAL, src), file);
    const a = await runLokiAnalysis([file], { parseWorkers: 0 });
    const view = a.findings as FindingView;
    const t = new MessagelessFindings(view);
    const i = Array.from({ length: t.length }, (_, k) => k).find((k) => t.at(k)!.messageAt !== undefined && t.at(k)!.md5 !== undefined)!;
    const f = t.at(i)!;
    assert.equal(await readLokiMessage(f), view.at(i)!.message);
    const text = fs.readFileSync(file, 'latin1');
    const at = f.messageAt!.offset + view.at(i)!.message.indexOf('MD5: ') + 5;
    // one hex digit of the MD5 changed in place (same length)
    const flipped = text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
    fs.writeFileSync(file, flipped, 'latin1');
    await assert.rejects(readLokiMessage(f), (e: Error) => e.message === `${file} changed after it was analyzed (line ${f.source.line} no longer holds this finding); run the analysis again`);
    // cut before the message ends
    fs.writeFileSync(file, text.slice(0, f.messageAt!.offset + 10), 'latin1');
    await assert.rejects(readLokiMessage(f), /cannot read the message of .* again: the file is shorter than when it was analyzed/);
    fs.rmSync(file);
    await assert.rejects(readLokiMessage(f), (e: Error) => e.message.includes(file) && /ENOENT/.test(e.message));
    // a position that is not one
    await assert.rejects(readLokiMessage({ ...f, messageAt: { offset: -1, bytes: 10 } }), /no valid message position/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the worker's Loki job sends file findings without their message", async () => {
  const ac = new AbortController();
  const result = (await defaultRunners.loki({ kind: 'loki', paths: [REAL], options: {} }, { signal: ac.signal, onProgress: () => {} })) as { findings: unknown };
  assert.ok(result.findings instanceof MessagelessFindings);
  const posted: FromWorker[] = [];
  await postResult((m) => posted.push(structuredClone(m)), result);
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'result');
  const findings = (last.result as { findings: LokiFinding[] }).findings;
  assert.equal(findings.length, 19);
  assert.ok(findings.every((f) => f.message === '' && f.messageAt !== undefined && f.messageAt.bytes > 0));
  // (one real message has no space before SCORE: `…\\configurationSCORE: 80`)
  for (const f of findings) assert.match(await readLokiMessage(f), /^FILE: .*SCORE: \d+ TYPE: /);
});

/** One Python Loki 5-column CSV line with a FILE finding (message as given). */
const line = (msg: string, t = '08:00:05') => `20220110T${t}Z,WS-9,WARNING,FileScan,${msg}`;
/** The first line of a log (the parser learns the layout from it; it is read on the string path). */
const FIRST = '20220110T08:00:00Z,WS-9,INFO,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: WS-9';
const MSG = (path: string, rule: string, extra = '') =>
  `FILE: ${path} SCORE: 70 TYPE: EXE SIZE: 905928 FIRST_BYTES: 4d5a9000 / <filter object at 0x90D2F880> MD5: 6bf474e180c160142578f745f1ff7cfc SHA1: 611ef37d91cc9194e7c16aedf5c4e7e9178a32f4 SHA256: 3c74d2d5c1030f1fd68dbf5c435b3b435219b7c9d79781fb1053cb1647489ea3 CREATED: Wed Sep  4 12:31:57 2022 MODIFIED: Wed Jun  7 02:30:15 2021 ACCESSED: Fri Sep  3 18:23:10 2022 REASON_1: Yara Rule MATCH: ${rule} SUBSCORE: 70 DESCRIPTION: d${extra} REF: - AUTHOR: x`;

async function transferred(file: string): Promise<{ sent: LokiFinding[]; orig: LokiFinding[] }> {
  const a = await runLokiAnalysis([file], { parseWorkers: 0 });
  const view = a.findings as FindingView;
  const t = new MessagelessFindings(view);
  return { sent: t.slice(0, t.length).map((f) => structuredClone(f)), orig: view.slice(0, view.length) };
}

test('readLokiMessage: a log swapped for a FIFO is refused at once (no blocking open), other reasons edited in place are noticed', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-msg2-'));
  try {
    const file = path.join(dir, 'loki_WS-9_2022-01-10_08-00-00.csv');
    const text = [FIRST, line(MSG('C:\\a.exe', 'S149_WinPcap')), line(MSG('C:\\b.exe', 'Other_Rule_1'), '08:00:06'), ''].join('\n');
    fs.writeFileSync(file, text);
    const { sent, orig } = await transferred(file);
    assert.equal(sent.length, 2);
    assert.ok(sent.every((f) => f.messageAt !== undefined && f.message === ''));
    assert.equal(await readLokiMessage(sent[1]), orig[1].message);
    // a rule name changed with the same length: every other checked part is equal
    fs.writeFileSync(file, text.replace('S149_WinPcap', 'EVIL_Ransom1'));
    await assert.rejects(readLokiMessage(sent[0]), /changed after it was analyzed \(line 2 no longer holds this finding\)/);
    // the message moved by one byte (a byte inserted before it): refused, not read shifted
    fs.writeFileSync(file, 'x' + text);
    await assert.rejects(readLokiMessage(sent[0]), /changed after it was analyzed/);
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    // a blocking open would wait for a writer forever: the test's timeout (not a speed bound) turns that into a failure
    await assert.rejects(readLokiMessage(sent[0]), /no longer a regular file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('readLokiMessage: a record over 1 MiB on one line is read back; a finding with an empty path keeps its message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-msg3-'));
  try {
    const file = path.join(dir, 'loki_WS-9_2022-01-10_08-00-00.csv');
    const long = MSG('C:\\big.exe', 'Long_Rule', ' ' + 'M'.repeat(1_500_000));
    fs.writeFileSync(file, [FIRST, line(long), line('FILE:  SCORE: 70 TYPE: EXE SIZE: 10 REASON_1: Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: r', '08:00:06'), ''].join('\n'));
    const { sent, orig } = await transferred(file);
    assert.equal(sent.length, 2);
    assert.ok(sent[0].messageAt !== undefined && sent[0].messageAt.bytes > 1 << 20);
    assert.equal(await readLokiMessage(sent[0]), long);
    // empty path: sent whole (the Results tree label and the timeline fall back to the message)
    assert.equal(sent[1].path, '');
    assert.equal(sent[1].messageAt, undefined);
    assert.equal(sent[1].message, orig[1].message);
    assert.match(sent[1].message, /^FILE: {2}SCORE: 70/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the host's unpacking shares repeated texts of the findings (values unchanged), one table per transfer", async () => {
  const { postResult: post, RESULT_PART_ITEMS } = await import('../../src/worker/job-handler');
  const real = (await runLokiAnalysis([REAL], { parseWorkers: 0 })).findings;
  const n = RESULT_PART_ITEMS * 2 + 280; // three slices
  const result = { findings: Array.from({ length: n }, (_, i) => real.at(i % real.length)!) };
  const posted: FromWorker[] = [];
  await post((m) => posted.push(structuredClone(m)), result, async () => {}, RESULT_PACKERS.loki);
  const state: Record<string, unknown> = {};
  const plain: LokiFinding[] = [];
  const shared: LokiFinding[] = [];
  for (const m of posted) {
    if (m.type !== 'resultPart') continue;
    assert.equal(m.packed, 1);
    plain.push(...structuredClone(m.items as LokiFinding[]));
    RESULT_PACKERS.loki!.findings.unpack(m.items, m.packed, state);
    shared.push(...(m.items as LokiFinding[]));
  }
  assert.equal(shared.length, n);
  assert.deepEqual(shared, plain);
  const pool = state.lokiTexts as Map<string, string> | undefined;
  assert.ok(pool, 'the table lives in the transfer state, shared by the slices');
  const expect = new Set<string>();
  for (const f of shared) for (const v of [f.host, f.level, f.module, f.kind, f.fileType, f.source.file]) if (v !== undefined) expect.add(v);
  assert.deepEqual(new Set(pool.keys()), expect);
  // bounded: past SHARED_TEXTS_MAX distinct texts nothing is added (values still unchanged)
  const full = new Map(Array.from({ length: SHARED_TEXTS_MAX }, (_, i) => [`t${i}`, `t${i}`] as [string, string]));
  const f0 = structuredClone(real.at(0)!);
  shareFindingTexts([f0], full);
  assert.equal(full.size, SHARED_TEXTS_MAX);
  assert.deepEqual(f0, real.at(0));
});
