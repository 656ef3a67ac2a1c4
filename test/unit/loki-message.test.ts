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
import { readLokiMessage } from '../../src/core/parse/loki-message';
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
    await assert.rejects(readLokiMessage(f), (e: Error) => e.message === `${file} changed after it was analysed (line ${f.source.line} no longer holds this finding); run the analysis again`);
    // cut before the message ends
    fs.writeFileSync(file, text.slice(0, f.messageAt!.offset + 10), 'latin1');
    await assert.rejects(readLokiMessage(f), /cannot read the message of .* again: the file is shorter than when it was analysed/);
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
