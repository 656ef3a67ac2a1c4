/**
 * One rule for the folder discovery of `loki`, `beacons`, `kpi` and `qradar` (README: Folder discovery): a symbolic
 * link loop is a skipped entry with its reason in all four (loki reported it as an error), and each real file is read
 * once, listed under the path it was found by — its own path in the folder named before a link to it, which is
 * skipped as `same file as <the path listed> (already listed)` (beacons and kpi listed files by their real path, loki
 * and qradar by the first name in sort order, the link).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const CASES: Record<string, { src: string; name: string; files: (doc: Record<string, unknown>) => string[] }> = {
  // loki --json names the file of each host's scan; beacons --json counts the files read (the skipped link names the one listed)
  loki: { src: 'test/fixtures/loki/legacy-plain-typed.log', name: 'host.log', files: (d) => (d.hosts as { file: string }[]).map((h) => h.file) },
  beacons: { src: 'test/fixtures/injection/zeek/conn.log', name: 'conn.log', files: (d) => ((d.summary as { files: number; records: number }).files === 1 && (d.summary as { records: number }).records === 144 ? [join(String(d.dir), 'conn.log')] : []) },
  kpi: { src: 'test/fixtures/cases/kpi-small.csv', name: 'cases.csv', files: (d) => d.files as string[] },
  qradar: { src: 'test/fixtures/qradar/month-span.json', name: 'offenses.json', files: (d) => (d.files as { file: string }[]).map((f) => f.file) },
};

for (const [cmd, c] of Object.entries(CASES)) {
  test(`${cmd} <folder>: a link loop is skipped with its reason; a file is listed by its own path, a link to it skipped`, { skip: process.platform === 'win32' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), `same-rule-${cmd}-`));
    try {
      const ext = c.name.slice(c.name.lastIndexOf('.'));
      cpSync(join(ROOT, c.src), join(dir, c.name));
      symlinkSync(join(dir, c.name), join(dir, `0-alias${ext}`)); // sorts before the file it points to
      symlinkSync('.', join(dir, 'loop'));
      symlinkSync(`self${ext}`, join(dir, `self${ext}`));
      const j = capture();
      assert.equal(await main([cmd, dir, '--json'], j.io), 0, j.err());
      const doc = { ...JSON.parse(j.out()), dir };
      assert.deepEqual(c.files(doc), [join(dir, c.name)]);
      const why = Object.fromEntries((doc.skipped as { file: string; reason: string }[]).map((k) => [k.file, k.reason]));
      assert.deepEqual(why, {
        [join(dir, `0-alias${ext}`)]: `same file as ${join(dir, c.name)} (already listed)`,
        [join(dir, 'loop')]: `symbolic link to a folder, not entered (a loop: it points to ${dir})`,
        [join(dir, `self${ext}`)]: 'symbolic link loop',
      });
      assert.equal(JSON.stringify(doc.errors ?? []).includes('loop'), false, 'no loop among the errors');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
