// A Loki run that found result files but could read none of them (permission denied): the extension opens no
// dashboard and says which files and why (it opened an empty "1 file, 0 hosts" dashboard), as `loki` exits 3.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { lokiNothingRead } from '../../src/core/analyze/loki-summary';
import { nothingReadMessage } from '../../src/core/analyze/no-input';
import { withOpenDenied } from './open-denied';

const TMP = mkdtempSync(join(tmpdir(), 'soc-loki-nothing-read-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const REAL = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'loki', 'real-2021-2022');

describe('Loki: every result file unreadable', () => {
  const logs = readdirSync(REAL).filter((f) => f.endsWith('.log') || f.endsWith('.txt') || f.endsWith('.csv')).sort();

  test('three real logs, all denied: each named with its error; the message the extension shows', async () => {
    const d = join(TMP, 'all-denied');
    mkdirSync(d);
    const names = logs.slice(0, 3).map((f, i) => `${i}-${f}`);
    logs.slice(0, 3).forEach((f, i) => copyFileSync(join(REAL, f), join(d, names[i])));
    assert.equal(names.length, 3, `three real Loki logs in ${REAL}`);
    const a = await withOpenDenied('', () => runLokiAnalysis([d], { parseWorkers: 0 }));
    assert.equal(a.summary.files, 3);
    assert.equal(a.summary.hosts, 0);
    const unread = lokiNothingRead(a);
    assert.deepEqual(
      unread,
      names.map((n) => ({ file: join(d, n), reason: `cannot read file: EACCES: permission denied, open '${join(d, n)}'` })),
    );
    assert.equal(
      nothingReadMessage('Loki', 'all-denied', unread!),
      `SOC Analytics: no Loki file in “all-denied” could be read — ${names[0]}: cannot read file: EACCES: permission denied, open '${join(d, names[0])}'; ${names[1]}: cannot read file: EACCES: permission denied, open '${join(d, names[1])}'; … and 1 more (each in the SOC Analytics log).`,
    );
  });

  test('one file chosen and denied: said of itself', async () => {
    const d = join(TMP, 'one');
    mkdirSync(d);
    const f = join(d, logs[0]);
    copyFileSync(join(REAL, logs[0]), f);
    const a = await withOpenDenied(logs[0], () => runLokiAnalysis([f], { parseWorkers: 0 }));
    const unread = lokiNothingRead(a)!;
    assert.equal(nothingReadMessage('Loki', logs[0], unread), `SOC Analytics: “${logs[0]}” could not be read — cannot read file: EACCES: permission denied, open '${f}'.`);
  });

  test('one denied beside one read: a dashboard as before (nothing said here), the read file counted', async () => {
    const d = join(TMP, 'mixed');
    mkdirSync(d);
    copyFileSync(join(REAL, logs[0]), join(d, 'a-denied'));
    copyFileSync(join(REAL, logs[0]), join(d, 'b.log'));
    const a = await withOpenDenied('a-denied', () => runLokiAnalysis([d], { parseWorkers: 0 }));
    assert.equal(a.summary.files, 2);
    assert.equal(a.files.filter((x) => x.unreadable).length, 1);
    assert.ok(a.summary.hosts >= 1);
    assert.equal(lokiNothingRead(a), undefined);
  });

  test('no file found at all: not this case (the no-input warning says it)', async () => {
    const d = join(TMP, 'empty');
    mkdirSync(d);
    const a = await runLokiAnalysis([d], { parseWorkers: 0 });
    assert.equal(a.summary.files, 0);
    assert.equal(lokiNothingRead(a), undefined);
  });
});
