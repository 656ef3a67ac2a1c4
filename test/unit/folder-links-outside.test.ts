/**
 * Evidence folders are attacker-controlled: a symbolic link inside one (to `/proc`, `/proc/kmsg`, another case
 * folder) is followed by loki, beacons and kpi only when it points inside the folders analyzed; elsewhere it is
 * skipped with the reason (text report and `--json`). A folder named directly is always read. Also: a link to a
 * folder that could not be listed gets that folder's read error as its reason; a long chain of linked folders ends
 * without a spurious ELOOP.
 */
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, promises as fsp, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { discoverInputs } from '../../src/core/parse/zeek';
import { discoverLokiFiles } from '../../src/core/parse/discover';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const CONN = join(ROOT, 'test/fixtures/injection/zeek/conn.log'); // 144 connections
const CASES = join(ROOT, 'test/fixtures/cases/kpi-small.csv'); // 10 cases
const PROC = process.platform === 'linux' && existsSync('/proc/self');
const KMSG = existsSync('/proc/kmsg') ? '/proc/kmsg' : '/proc/version';
const OUT_DIR = (t: string) => `symbolic link to a folder outside the folders analyzed (${t}), not entered — name it directly to analyze it`;
const OUT_FILE = (t: string) => `symbolic link to a file outside the folders analyzed (${t}), not read — name it directly to analyze it`;

test('beacons, kpi and loki on an evidence folder with links to /proc and /proc/kmsg: not entered, not read, skipped with the reason; they end at once', { skip: !PROC, timeout: 60_000 }, async () => {
  const ev = mkdtempSync(join(tmpdir(), 'links-proc-'));
  try {
    cpSync(CONN, join(ev, 'conn.log'));
    cpSync(CASES, join(ev, 'cases.csv'));
    symlinkSync('/proc', join(ev, 'pr'));
    symlinkSync(KMSG, join(ev, 'km.log'));
    const want = { [join(ev, 'km.log')]: OUT_FILE(KMSG), [join(ev, 'pr')]: OUT_DIR('/proc') };
    const pick = (skipped: { file: string; reason: string }[]) => Object.fromEntries(skipped.filter((k) => k.file in want).map((k) => [k.file, k.reason]));
    // beacons: --json and the text report
    const b = capture();
    assert.equal(await main(['beacons', ev, '--json'], b.io), 0, b.err());
    const bd = JSON.parse(b.out());
    assert.equal(bd.summary.files, 1);
    assert.equal(bd.summary.records, 144);
    assert.deepEqual(pick(bd.skipped), want);
    const bt = capture();
    assert.equal(await main(['beacons', ev], bt.io), 0, bt.err());
    for (const [f, r] of Object.entries(want)) assert.ok(bt.out().includes(`  ${f}: ${r}\n`), `beacons text: ${f}`);
    // kpi: only the folder's own cases, nothing from other processes' folders under /proc
    const k = capture();
    assert.equal(await main(['kpi', ev, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], k.io), 0, k.err());
    const kd = JSON.parse(k.out());
    assert.equal(kd.cases, 10);
    assert.deepEqual(kd.files, [join(ev, 'cases.csv')]);
    assert.deepEqual(pick(kd.skipped), want);
    // loki: --json skipped and the text summary's count
    const l = capture();
    await main(['loki', ev, '--json'], l.io);
    assert.deepEqual(pick(JSON.parse(l.out()).skipped), want);
  } finally {
    rmSync(ev, { recursive: true, force: true });
  }
});

test('a folder named directly is read, though a link to it from another folder analyzed alone is not', async () => {
  const ev = mkdtempSync(join(tmpdir(), 'links-ev-'));
  const other = mkdtempSync(join(tmpdir(), 'links-other-'));
  try {
    cpSync(CONN, join(other, 'conn.log'));
    symlinkSync(other, join(ev, 'case-b'));
    const alone = capture();
    assert.equal(await main(['beacons', ev, '--json'], alone.io), 3, 'nothing read');
    assert.deepEqual(JSON.parse(alone.out()).skipped, [{ file: join(ev, 'case-b'), reason: OUT_DIR(other) }]);
    const named = capture();
    assert.equal(await main(['beacons', other, '--json'], named.io), 0, named.err());
    assert.equal(JSON.parse(named.out()).summary.records, 144);
    // both named: the link is followed, the folder read once
    const both = await discoverInputs([ev, other], { reportNotRead: true });
    // listed by the path found first, by all of them (beacons and kpi listed it by its real path)
    assert.deepEqual(both.files, [join(ev, 'case-b', 'conn.log')]);
    assert.deepEqual((await discoverLokiFiles([ev, other])).files, [join(ev, 'case-b', 'conn.log')]);
  } finally {
    rmSync(ev, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('a link to a folder that could not be listed is skipped with that folder\'s read error, not as "already read"', async () => {
  const ev = mkdtempSync(join(tmpdir(), 'links-eacces-'));
  const locked = join(ev, 'locked');
  mkdirSync(join(locked, 'inner'), { recursive: true });
  cpSync(CONN, join(ev, 'conn.log'));
  symlinkSync(locked, join(ev, 'alias'));
  // a folder this user may not list (simulated: the tests may run as root, for whom chmod 000 changes nothing)
  const readdir = fsp.readdir;
  const denied = (p: unknown) => String(p) === locked || String(p) === join(ev, 'alias');
  fsp.readdir = (async (p: Parameters<typeof readdir>[0], o?: unknown) => {
    if (denied(p)) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(p)}'`), { code: 'EACCES' });
    if ((o as { recursive?: boolean })?.recursive) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    return (readdir as (p: unknown, o: unknown) => Promise<unknown>)(p, o);
  }) as typeof readdir;
  try {
    const d = await discoverInputs([ev], { reportNotRead: true });
    const message = `cannot read folder: EACCES: permission denied, scandir '${locked}'`;
    assert.deepEqual(d.errors.map((e) => e.message), [message]);
    assert.deepEqual(d.skipped, [{ file: join(ev, 'alias'), reason: message }]);
    assert.deepEqual(d.files, [join(ev, 'conn.log')]);
  } finally {
    fsp.readdir = readdir;
    rmSync(ev, { recursive: true, force: true });
  }
});

test('loki: a chain of 60 folders each linking the next (all inside the folder) is read with no ELOOP error', async () => {
  const ev = mkdtempSync(join(tmpdir(), 'links-chain-'));
  try {
    for (let i = 0; i < 60; i++) {
      mkdirSync(join(ev, `d${i}`));
      cpSync(CONN, join(ev, `d${i}`, 'loki.log')); // any text: discovery only
      if (i > 0) symlinkSync(join(ev, `d${i}`), join(ev, `d${i - 1}`, 'next'));
    }
    const l = await discoverLokiFiles([ev]);
    assert.deepEqual(l.errors, []);
    assert.equal(l.files.length, 60);
  } finally {
    rmSync(ev, { recursive: true, force: true });
  }
});

test('qradar on an exported folder: links outside it and a FIFO are left out with the reason; a link inside it is read once; a folder named directly is read', { skip: process.platform === 'win32' }, async () => {
  const OFFENSES = join(ROOT, 'test/fixtures/qradar/month-span.json'); // 10 records, 8 offenses kept
  const ev = mkdtempSync(join(tmpdir(), 'links-qradar-'));
  const outside = mkdtempSync(join(tmpdir(), 'links-qradar-out-'));
  try {
    cpSync(OFFENSES, join(ev, 'offenses.json'));
    cpSync(OFFENSES, join(outside, 'other.json'));
    symlinkSync(join(outside, 'other.json'), join(ev, 'linked.json'));
    symlinkSync(outside, join(ev, 'outdir'));
    symlinkSync(join(ev, 'offenses.json'), join(ev, 'again.json')); // inside: the same file, read once
    let fifo = false;
    try {
      execFileSync('mkfifo', [join(ev, 'pipe.json')]);
      fifo = true;
    } catch {
      /* no mkfifo here */
    }
    const want: Record<string, string> = {
      [join(ev, 'linked.json')]: OUT_FILE(join(outside, 'other.json')),
      [join(ev, 'outdir')]: OUT_DIR(outside),
    };
    if (fifo) want[join(ev, 'pipe.json')] = 'not a regular file (FIFO)';
    const q = capture();
    assert.equal(await main(['qradar', ev, '--json'], q.io), 0, q.err());
    const qd = JSON.parse(q.out());
    assert.deepEqual(Object.fromEntries(qd.skipped.filter((k: { file: string }) => k.file in want).map((k: { file: string; reason: string }) => [k.file, k.reason])), want);
    // offenses.json is read once, listed by its own path; the link to it beside it is skipped (it was listed by the link, which sorts first)
    assert.deepEqual(qd.files.map((f: { file: string }) => f.file), [join(ev, 'offenses.json')]);
    assert.equal(qd.skipped.find((k: { file: string }) => k.file === join(ev, 'again.json'))?.reason, `same file as ${join(ev, 'offenses.json')} (already listed)`);
    assert.equal(qd.summary.offenses, 8);
    const t = capture();
    assert.equal(await main(['qradar', ev], t.io), 0, t.err());
    for (const [f, r] of Object.entries(want)) assert.ok(t.out().includes(`  ${f}: ${r}\n`), `qradar text: ${f}`);
    // Named directly, the outside folder is read (and the links into it followed).
    const d = capture();
    assert.equal(await main(['qradar', ev, outside, '--json'], d.io), 0, d.err());
    // other.json is read, once: under the first name met (the link, now inside a folder named)
    assert.deepEqual(JSON.parse(d.out()).files.map((f: { file: string }) => f.file), [join(ev, 'linked.json'), join(ev, 'offenses.json')]);
  } finally {
    rmSync(ev, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});
