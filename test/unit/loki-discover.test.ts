/** discoverLokiFiles: recursion, skip rules, symlink loops, errors, sorting, totals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverLokiFiles } from '../../src/core/parse/discover';
import { discoverQRadarFiles } from '../../src/core/analyze/qradar-run';
import { discoverInputs } from '../../src/core/parse/zeek';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

function tree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-disc-'));
  const w = (rel: string, data = 'x') => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
  };
  // hundreds of nested host files
  for (let i = 0; i < 120; i++) w(`hosts/site${i % 7}/h${String(i).padStart(3, '0')}/loki_H${i}_2025-03-12_09-14-02.log`, 'abc');
  w('rs/loki_srv_2026-02-03_10-40-00.log', 'dup');
  w('rs/loki_srv_2026-02-03_10-40-00.jsonl', '{}\n');
  w('rs/loki_srv_2026-02-03_10-40-00.html', '<html>');
  w('loki-upgrade.log', 'u');
  w('img/shot.PNG');
  w('a.gz');
  w('tools/loki.exe');
  w('sig/rules.yar');
  w('.git/config');
  w('node_modules/x/readme.log');
  w('.hidden.log');
  w('top.csv', 'csv!');
  return root;
}

test('discover: recursive, skip rules, sorted, totals', async () => {
  const root = tree();
  const r = await discoverLokiFiles([root]);
  assert.deepEqual(r.errors, []);
  assert.equal(r.files.length, 120 + 2); // 120 host logs + rs .jsonl + top.csv
  assert.deepEqual(r.files, [...r.files].sort());
  assert.ok(r.files.every((f) => path.isAbsolute(f)));
  assert.ok(r.files.includes(path.join(root, 'rs/loki_srv_2026-02-03_10-40-00.jsonl')));
  assert.ok(r.files.includes(path.join(root, 'top.csv')));
  assert.equal(r.totalBytes, 120 * 3 + 3 + 4);
  const why = new Map(r.skipped.map((s) => [path.relative(root, s.file), s.reason]));
  assert.match(why.get('rs/loki_srv_2026-02-03_10-40-00.log')!, /\.jsonl/);
  assert.match(why.get('rs/loki_srv_2026-02-03_10-40-00.html')!, /HTML/);
  assert.match(why.get('loki-upgrade.log')!, /upgrader/i);
  for (const k of ['img/shot.PNG', 'a.gz', 'tools/loki.exe', 'sig/rules.yar', '.git', 'node_modules', '.hidden.log']) assert.ok(why.has(k), k);
  fs.rmSync(root, { recursive: true, force: true });
});

test('discover: symlink loops and duplicate links, dangling links, missing paths', async () => {
  const root = tree();
  fs.symlinkSync(root, path.join(root, 'hosts/site0/loop'));
  fs.symlinkSync(path.join(root, 'hosts/site1'), path.join(root, 'alias-site1'));
  fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling.log'));
  fs.symlinkSync(path.join(root, 'top.csv'), path.join(root, 'top-link.csv'));
  const r = await discoverLokiFiles([root, path.join(root, 'missing-dir')]);
  assert.equal(r.files.length, 122);
  const errs = new Map(r.errors.map((e) => [path.relative(root, e.file), e.message]));
  assert.equal(errs.has('hosts/site0/loop'), false, 'a link loop is skipped, not an error (as beacons, kpi and qradar)');
  assert.match(errs.get('dangling.log')!, /dangling/);
  assert.match(errs.get('missing-dir')!, /ENOENT/);
  assert.ok(r.errors.every((e) => e.line === 0));
  const why = new Map(r.skipped.map((s) => [path.relative(root, s.file), s.reason]));
  assert.equal(why.get('hosts/site0/loop'), `symbolic link to a folder, not entered (a loop: it points to ${fs.realpathSync(root)})`);
  // the links are followed after the folder's own entries: a file or folder is listed by its own path, the link skipped
  assert.equal(why.get('alias-site1'), `symbolic link to a folder already read (${fs.realpathSync(path.join(root, 'hosts/site1'))})`);
  assert.equal(why.get('top-link.csv'), `same file as ${path.join(root, 'top.csv')} (already listed)`);
  assert.ok(r.files.includes(path.join(root, 'top.csv')));
  fs.rmSync(root, { recursive: true, force: true });
});

test('discover: unreadable folder is an error (non-root only); explicit file; abort', async () => {
  const root = tree();
  const locked = path.join(root, 'locked');
  fs.mkdirSync(locked);
  fs.writeFileSync(path.join(locked, 'a.log'), 'x');
  fs.chmodSync(locked, 0o000);
  try {
    const r = await discoverLokiFiles([root]);
    if (process.getuid && process.getuid() !== 0) {
      assert.ok(r.errors.some((e) => e.file === locked && /EACCES|EPERM/.test(e.message)));
    }
  } finally {
    fs.chmodSync(locked, 0o755);
  }
  const one = await discoverLokiFiles([path.join(REAL, 'scan_result (2).log'), path.join(root, 'img/shot.PNG')]);
  assert.deepEqual(one.files, [path.join(REAL, 'scan_result (2).log')]);
  assert.equal(one.totalBytes, 2447);
  assert.equal(one.skipped.length, 1);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(discoverLokiFiles([root], { signal: ac.signal }), (e: Error) => e.name === 'AbortError');
  fs.rmSync(root, { recursive: true, force: true });
});

test('discover: the real data folder', async () => {
  const r = await discoverLokiFiles([REAL]);
  assert.deepEqual(r.files.map((f) => path.basename(f)), ['scan_result (1).csv', 'scan_result (1).log', 'scan_result (2).log', 'scan_result (3).log']);
  assert.equal(r.totalBytes, 11962 + 4623 + 2447 + 4826);
  assert.deepEqual(r.skipped, []);
  assert.deepEqual(r.errors, []);
});

test('our own output folders (soc-exports/, soc-reports/) are never read back as inputs', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-disc-out-'));
  fs.mkdirSync(path.join(root, 'soc-exports'));
  fs.mkdirSync(path.join(root, 'soc-reports'));
  fs.writeFileSync(path.join(root, 'soc-exports', 'loki-findings.csv'), 'Level,Host\r\nALERT,DS1\r\n');
  fs.writeFileSync(path.join(root, 'soc-reports', 'kpi.md'), '# report\n');
  fs.writeFileSync(path.join(root, 'host.log'), '20211013T21:59:33Z,AD,NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: AD TIME: 20211013T21:59:33Z\n');
  const r = await discoverLokiFiles([root]);
  assert.deepEqual(r.files, [path.join(root, 'host.log')]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('discover: a file name that is not valid UTF-8 is reported as such (Loki, QRadar, connection logs), with the code not doubled', { skip: process.platform !== 'linux' }, async () => {
  // Linux file names are bytes: a Latin-1 name reaches JavaScript with U+FFFD and cannot be opened by it.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-disc-name-'));
  try {
    fs.writeFileSync(Buffer.concat([Buffer.from(root + '/loki_M'), Buffer.from([0xfc]), Buffer.from('nchen.log')]), 'x');
    fs.writeFileSync(path.join(root, 'loki_ok.log'), 'x');
    fs.writeFileSync(Buffer.concat([Buffer.from(root + '/conn_M'), Buffer.from([0xfc]), Buffer.from('n.log')]), '#fields\tts\n');
    fs.writeFileSync(Buffer.concat([Buffer.from(root + '/offenses_M'), Buffer.from([0xfc]), Buffer.from('n.json')]), '[]');
    const bad = 'the name is not valid UTF-8 (shown with \uFFFD); rename it to analyze it';
    // The same line from the QRadar and the connection-log discovery (one shared helper).
    const q = await discoverQRadarFiles([root]);
    assert.deepEqual(q.errors.map((e) => [path.relative(root, e.file), e.message]).sort(), [
      ['conn_M\uFFFDn.log', `cannot read: ${bad}`],
      ['loki_M\uFFFDnchen.log', `cannot read: ${bad}`],
      ['offenses_M\uFFFDn.json', `cannot read: ${bad}`],
    ]);
    const z = await discoverInputs([root]);
    assert.ok(z.errors.length === 3 && z.errors.every((e) => e.message === `cannot open: ${bad}`), JSON.stringify(z.errors));
    // Only the Loki file (and a good one) left for the Loki discovery below.
    for (const n of fs.readdirSync(root, { encoding: 'buffer' })) if (!n.toString('latin1').startsWith('loki_')) fs.rmSync(Buffer.concat([Buffer.from(root + '/'), n]));
    const r = await discoverLokiFiles([root, path.join(root, 'missing.log')]);
    assert.deepEqual(r.files, [path.join(root, 'loki_ok.log')]);
    assert.deepEqual(
      r.errors.map((e) => [path.relative(root, e.file), e.message]),
      [
        ['loki_M\uFFFDnchen.log', 'cannot stat: the name is not valid UTF-8 (shown with \uFFFD); rename it to analyze it'],
        ['missing.log', `cannot open: ENOENT: no such file or directory, stat '${path.join(root, 'missing.log')}'`],
      ],
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
