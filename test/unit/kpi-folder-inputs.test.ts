import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, promises as fsp, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const SMALL = join(ROOT, 'test/fixtures/cases/kpi-small.csv'); // 10 cases
const AS_OF = Date.UTC(2026, 2, 10, 12);

test('kpi <folder> <file inside it>, in either order: each case read once, the second path skipped as already listed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-dup-'));
  try {
    const file = join(dir, 'cases.csv');
    cpSync(SMALL, file);
    for (const order of [[dir, file], [file, dir]]) {
      const c = capture();
      assert.equal(await main(['kpi', ...order, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], c.io), 0, c.err());
      const doc = JSON.parse(c.out());
      assert.equal(doc.cases, 10, `order ${order.join(' ')}`);
      assert.deepEqual(doc.files, [file]);
      assert.deepEqual(doc.skipped, [{ file, reason: 'already listed (read once: the same file was named and found in a folder given, or given twice)' }]);
    }
    // said in a note
    const a = await runKpiAnalysis([dir, file], { asOf: AS_OF });
    assert.match(a.input.notes[0], /^1 file skipped — already listed \(read once/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi <folder>: a FIFO, a link to a device and symbolic link loops are skipped with the reason, none silently; a linked folder is read when inside the paths named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-special-'));
  const other = mkdtempSync(join(tmpdir(), 'kpi-linked-'));
  try {
    cpSync(SMALL, join(dir, 'a.csv'));
    writeFileSync(join(other, 'd.csv'), readFileSync(SMALL, 'utf8').replace(/^C-/gm, 'N-')); // 10 other cases
    symlinkSync(other, join(dir, 'november'));
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    symlinkSync('/dev/zero', join(dir, 'zero.csv'));
    symlinkSync('.', join(dir, 'loop'));
    symlinkSync('self.csv', join(dir, 'self.csv'));
    symlinkSync(join(dir, 'a.csv'), join(dir, 'again.csv'));
    symlinkSync(other, join(dir, 'november-again'));
    // the linked folder is named too (a root): the link to it is followed, the folder named is then read once
    const a = await runKpiAnalysis([dir, other], { asOf: AS_OF });
    assert.equal(a.input.cases.length, 20, 'a.csv and the linked folder november/d.csv');
    assert.deepEqual(a.input.files, [join(dir, 'a.csv'), join(dir, 'november', 'd.csv')]); // by the path found (was the real path, other/d.csv)
    const reasons = Object.fromEntries((a.input.skipped ?? []).map((k) => [k.file.startsWith(dir) ? k.file.slice(dir.length + 1) : k.file, k.reason]));
    assert.deepEqual(reasons, {
      'again.csv': `same file as ${join(dir, 'a.csv')} (already listed)`,
      loop: `symbolic link to a folder, not entered (a loop: it points to ${dir})`,
      'november-again': `symbolic link to a folder already read (${other})`,
      'pipe.csv': 'not a regular file (FIFO)',
      'self.csv': 'symbolic link loop',
      'zero.csv': 'not a regular file (character device)',
      [join(other, 'd.csv')]: 'already listed (read once: the same file was named and found in a folder given, or given twice)',
    });
    // the folder alone: the links to the folder outside it are not entered
    const alone = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.equal(alone.input.cases.length, 10);
    for (const name of ['november', 'november-again']) {
      assert.equal(alone.input.skipped?.find((k) => k.file === join(dir, name))?.reason, `symbolic link to a folder outside the folders analyzed (${other}), not entered — name it directly to analyze it`);
    }
    assert.deepEqual(a.errors.filter((e) => e.line === 0), []);
    assert.match(a.input.notes[0], /^7 files skipped — /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('kpi <folder>: a large file that is no case export (a flow CSV) is skipped from its header, never read whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-big-'));
  const readFile = fsp.readFile;
  const wholeReads: string[] = [];
  try {
    cpSync(SMALL, join(dir, 'cases.csv'));
    const row = '2026-03-01 10:00:00,10.0.0.5,51234,203.0.113.7,443,tcp,1200,5400\n';
    writeFileSync(join(dir, 'flows.csv'), 'Start Time,Source IP,Source Port,Destination IP,Destination Port,Protocol,Bytes Sent,Bytes Received\n' + row.repeat(60_000)); // 4 MB
    fsp.readFile = (async (...args: Parameters<typeof readFile>) => {
      wholeReads.push(String(args[0]));
      return readFile(...args);
    }) as typeof readFile;
    const a = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.equal(a.input.cases.length, 10);
    assert.deepEqual(a.input.skipped, [
      { file: join(dir, 'flows.csv'), reason: 'not a case export: no column for the title or id (columns: Start Time, Source IP, Source Port, Destination IP, Destination Port, …)' },
    ]);
    assert.ok(!wholeReads.includes(join(dir, 'flows.csv')), `read whole: ${wholeReads.join(', ')}`);
  } finally {
    fsp.readFile = readFile;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi: a JSON case export shaped as QRadar offenses but with an acknowledged field is read as a generic export, its acknowledgements kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-ack-'));
  try {
    const t0 = Date.UTC(2026, 2, 31, 8);
    const rows = [0, 1, 2].map((i) => ({ id: i + 1, description: `Case ${i}`, status: 'CLOSED', start_time: t0 + i * 3_600_000, acknowledged: t0 + i * 3_600_000 + (i + 1) * 600_000, close_time: t0 + i * 3_600_000 + 7_200_000, severity: 'High', assigned_to: 'alice' }));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(rows));
    const a = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.equal(a.input.source, 'generic');
    assert.deepEqual(a.input.cases.map((c) => c.acknowledged), rows.map((r) => r.acknowledged));
    assert.ok(!a.input.missing.includes('acknowledged'));
    assert.ok(a.input.notes.includes('cases.json: read as a generic case export, not QRadar offenses: it has an acknowledgement column ("acknowledged"), which QRadar offenses never have'));
    // a real QRadar offense export (no such column) is still read as offenses
    const q = await runKpiAnalysis([resolve(ROOT, '../shared/data/qradar/samples/offenses.json')], { asOf: AS_OF });
    assert.equal(q.input.source, 'qradar-offenses');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
