/**
 * `beacons <folder>`: no folder entry is dropped silently (a FIFO, a link to a device, symbolic link loops are
 * skipped with the reason, in the text report, `--json` `skipped`, the Markdown summary's Left out and the
 * dashboard's notes), and symbolic links to folders are followed as `loki` follows them, each real folder once, only
 * inside the folders analyzed (a link to a folder or file elsewhere is skipped with the reason).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import { buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';
import { discoverInputs } from '../../src/core/parse/zeek';
import { discoverLokiFiles } from '../../src/core/parse/discover';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const CONN = join(ROOT, 'test/fixtures/injection/zeek/conn.log'); // 144 connections
const HAS_MKFIFO = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * A collection folder: its own conn.log, a per-host folder outside it linked in (twice) and a file link to its
 * conn.log, a host folder inside it linked in, and entries that cannot be read.
 */
function collection(): { dir: string; host: string } {
  const dir = mkdtempSync(join(tmpdir(), 'beacons-special-'));
  const host = mkdtempSync(join(tmpdir(), 'beacons-host-'));
  cpSync(CONN, join(dir, 'conn.log'));
  mkdirSync(join(host, 'zeek'));
  cpSync(CONN, join(host, 'zeek', 'conn.log'));
  symlinkSync(host, join(dir, 'host-b'));
  symlinkSync(host, join(dir, 'host-b-again'));
  symlinkSync(dir, join(host, 'zeek', 'back')); // from the linked folder back to the collection
  symlinkSync(join(host, 'zeek', 'conn.log'), join(dir, 'outside.log'));
  mkdirSync(join(dir, 'hosts', 'c'), { recursive: true });
  cpSync(CONN, join(dir, 'hosts', 'c', 'conn.log'));
  symlinkSync(join(dir, 'hosts', 'c'), join(dir, 'host-c')); // inside the collection: read once
  if (HAS_MKFIFO) execFileSync('mkfifo', [join(dir, 'pipe.log')]);
  symlinkSync('/dev/zero', join(dir, 'zero.log'));
  symlinkSync('.', join(dir, 'loop'));
  symlinkSync('self.log', join(dir, 'self.log'));
  return { dir, host };
}

function expected(dir: string, host: string): Record<string, string> {
  return {
    [join(dir, 'host-b')]: `symbolic link to a folder outside the folders analyzed (${host}), not entered — name it directly to analyze it`,
    [join(dir, 'host-b-again')]: `symbolic link to a folder outside the folders analyzed (${host}), not entered — name it directly to analyze it`,
    [join(dir, 'host-c')]: `symbolic link to a folder already read (${join(dir, 'hosts', 'c')})`,
    [join(dir, 'outside.log')]: `symbolic link to a file outside the folders analyzed (${join(host, 'zeek', 'conn.log')}), not read — name it directly to analyze it`,
    [join(dir, 'loop')]: `symbolic link to a folder, not entered (a loop: it points to ${dir})`,
    ...(HAS_MKFIFO ? { [join(dir, 'pipe.log')]: 'not a regular file (FIFO)' } : {}),
    [join(dir, 'self.log')]: 'symbolic link loop',
    [join(dir, 'zero.log')]: 'not a regular file (character device)',
  };
}

test('beacons <folder>: links to a folder or file outside the folder, a FIFO, a link to a device and symbolic link loops are skipped with the reason (text, --json, --md, dashboard); a linked host folder inside it is read once', async () => {
  const { dir, host } = collection();
  try {
    const want = expected(dir, host);
    const n = Object.keys(want).length;
    // --json
    const j = capture();
    assert.equal(await main(['beacons', dir, '--json'], j.io), 0, j.err());
    const doc = JSON.parse(j.out());
    assert.equal(doc.summary.files, 2, 'the collection conn.log and hosts/c/conn.log (once, though linked as host-c)');
    assert.equal(doc.summary.records, 288);
    assert.deepEqual(Object.fromEntries(doc.skipped.map((k: { file: string; reason: string }) => [k.file, k.reason])), want);
    assert.equal(doc.skipped.length, n);
    assert.deepEqual(doc.errors, []);
    // text report and Markdown summary
    const md = join(host, 'summary.md');
    const t = capture();
    assert.equal(await main(['beacons', dir, '--md', md], t.io), 0, t.err());
    assert.match(t.out(), new RegExp(`${n} files skipped:\\n`));
    for (const [f, r] of Object.entries(want)) assert.ok(t.out().includes(`  ${f}: ${r}\n`), `text: ${f}`);
    const left = readFileSync(md, 'utf8').split('\n').find((l) => l.startsWith('- Left out: '));
    assert.ok(left?.startsWith(`- Left out: ${n} files skipped — `), left);
    // five named (in the order found: the linked folder's own entries last), the rest counted
    for (const k of doc.skipped.slice(0, 5)) assert.ok(left!.includes(`${k.file.slice(dir.length + 1)}: ${want[k.file]}`), `Left out: ${k.file}`);
    if (n > 5) assert.ok(left!.endsWith(` and ${n - 5} more`), left);
    // the dashboard's notes: the same list
    const a = await runBeaconAnalysisRows([dir], {});
    const notes = buildBeaconDashboard(a, 'x', 'UTC').tables.find((tb) => tb.id === 'notes')!;
    for (const [f, r] of Object.entries(want)) assert.ok(notes.rows.some((row) => row[0] === `skipped ${f}: ${r}`), `dashboard: ${f}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(host, { recursive: true, force: true });
  }
});

test('folder discovery: beacons/kpi (discoverInputs) and loki (discoverLokiFiles) follow the same links, list the same files under the same paths, skip the same entries with the same reasons and end on loops', async () => {
  const { dir, host } = collection();
  try {
    // the folder alone: nothing outside it is read; a file is listed by its own path in the folder, not by a link to it
    const alone = await discoverInputs([dir], { reportNotRead: true });
    assert.deepEqual(alone.files, [join(dir, 'conn.log'), join(dir, 'hosts', 'c', 'conn.log')]);
    const lAlone = await discoverLokiFiles([dir]);
    assert.deepEqual(lAlone.files, alone.files); // loki listed host-c/conn.log (the link sorts first) and hosts/c as "already scanned"
    const reasons = (k: { file: string; reason: string }[]) => Object.fromEntries(k.map((x) => [x.file, x.reason]));
    // loki: every entry left out is skipped with beacons' reason (a link loop was an error in loki: `symbolic link loop (points to …)`)
    assert.deepEqual(reasons(lAlone.skipped), reasons(alone.skipped));
    assert.deepEqual(reasons(lAlone.skipped), expected(dir, host));
    assert.deepEqual(lAlone.errors, []);
    // the host folder named too: the links to it are followed, each real folder once, its file listed by the path found
    const b = await discoverInputs([dir, host], { reportNotRead: true });
    const l = await discoverLokiFiles([dir, host]);
    // host/zeek/conn.log is reached by two links: the file link in the folder named (met first), then the folder
    // link's path (beacons listed it by its real path, loki by host-b/zeek/conn.log)
    const viaLink = join(dir, 'outside.log');
    assert.deepEqual(b.files, [join(dir, 'conn.log'), join(dir, 'hosts', 'c', 'conn.log'), viaLink]);
    assert.deepEqual(l.files, b.files);
    assert.deepEqual(reasons(l.skipped), reasons(b.skipped));
    assert.equal(b.skipped.find((k) => k.file === join(dir, 'host-b', 'zeek', 'conn.log'))?.reason, `same file as ${viaLink} (already listed)`);
    assert.equal(b.skipped.find((k) => k.file === join(dir, 'host-b-again'))?.reason, `symbolic link to a folder already read (${host})`);
    assert.equal(b.skipped.find((k) => k.file === host)?.reason, `folder already read (${host})`);
    // a folder given twice, or inside one given before it, is read once
    const twice = await discoverInputs([dir, host, join(host, 'zeek')], { reportNotRead: true });
    assert.deepEqual(twice.files, b.files);
    assert.deepEqual(twice.skipped.filter((k) => k.reason.startsWith('folder already read')), [
      { file: host, reason: `folder already read (${host})` },
      { file: join(host, 'zeek'), reason: `folder already read (${join(host, 'zeek')})` },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(host, { recursive: true, force: true });
  }
});
