/**
 * Helper files (tagging rules, closing-reasons and rules lists, --closing-reasons, --sla, a CA file) are read only as
 * regular files of bounded size (hostile-input review 2026-12-06, F3): a FIFO hung `kpi` for ever, a link to /dev/zero
 * grew the memory to 5 GB or ended in `RangeError: Invalid string length` with exit 0.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { MAX_TAGGING_FILE_BYTES, readTaggingFile } from '../../src/core/analyze/kpi-run';
import { readClosingReasons } from '../../src/core/parse/cases-qradar';
import { NOT_REGULAR_FILE, readHelperFile } from '../../src/core/fs-read';
import { capture } from './cli-capture';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');
const OFFENSES = path.join(DATA, 'qradar/samples/offenses.json');
const CASES = path.join(FIX, 'cases/kpi-small.csv');
/** Every test here ends in seconds; a hang (the bug) fails it instead of stalling the suite. */
const T = { timeout: 15_000 };

const root = mkdtempSync(path.join(tmpdir(), 'soc-helper-'));
const fifo = path.join(root, 'pipe.json');
execFileSync('mkfifo', [fifo]);
const zero = path.join(root, 'zero.json');
symlinkSync('/dev/zero', zero);

/** A folder holding the sample offenses and, as `name`, a link to `target` (or a FIFO when `target` is 'fifo'). */
function offensesWith(name: string, target: string | 'fifo'): string {
  const dir = mkdtempSync(path.join(root, 'ev-'));
  copyFileSync(OFFENSES, path.join(dir, 'offenses.json'));
  if (target === 'fifo') execFileSync('mkfifo', [path.join(dir, name)]);
  else symlinkSync(target, path.join(dir, name));
  return dir;
}

describe('readHelperFile', () => {
  it('reads a regular file; refuses a FIFO, /dev/zero and a file over the limit', T, async () => {
    const f = path.join(root, 'small.json');
    writeFileSync(f, '{"a":1}');
    assert.equal((await readHelperFile(f, 7)).toString(), '{"a":1}');
    await assert.rejects(readHelperFile(f, 6), /larger than 6 bytes; not read/);
    await assert.rejects(readHelperFile(fifo, 1024), { message: NOT_REGULAR_FILE });
    await assert.rejects(readHelperFile(zero, 1024), { message: NOT_REGULAR_FILE });
    await assert.rejects(readHelperFile(path.join(root, 'nope.json'), 1024), { code: 'ENOENT' });
  });
});

describe('tagging rules file (.soc/tagging.json, --rules; the extension reads it the same way)', () => {
  it('a FIFO or a link to /dev/zero is unusable at once, with the reason', T, async () => {
    for (const f of [fifo, zero]) {
      const r = await readTaggingFile(f);
      assert.equal(r.fatal?.message, 'cannot read the file (not a regular file: a FIFO, socket or device)', f);
      assert.deepEqual(r.config.rules, []);
    }
  });

  it('a file over the limit is unusable, not read into memory', T, async () => {
    const big = path.join(root, 'big-tagging.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_TAGGING_FILE_BYTES + 1); // sparse
    assert.equal((await readTaggingFile(big)).fatal?.message, `cannot read the file (larger than ${MAX_TAGGING_FILE_BYTES} bytes; not read)`);
  });

  it('kpi with .soc/tagging.json a FIFO in the current directory: exit 2 with the reason, no hang', T, async () => {
    const cwd = mkdtempSync(path.join(root, 'cwd-'));
    mkdirSync(path.join(cwd, '.soc'));
    execFileSync('mkfifo', [path.join(cwd, '.soc', 'tagging.json')]);
    const was = process.cwd();
    process.chdir(cwd);
    after(() => process.chdir(was));
    try {
      const c = capture();
      assert.equal(await main(['kpi', CASES], c.io), 2);
      assert.match(c.err(), /tagging rules file could not be read: .*tagging\.json: cannot read the file \(not a regular file: a FIFO, socket or device\) — the cases were NOT tagged/);
      assert.match(c.out(), /^10 cases \(case export, columns mapped by the generic case reader\)/m);
    } finally {
      process.chdir(was);
    }
  });
});

describe('closing-reasons and rules lists beside the offenses (kpi <folder>)', () => {
  for (const [name, target] of [
    ['offense_closing_reasons.json', 'fifo'],
    ['offense_closing_reasons.json', '/dev/zero'],
    ['analytics_rules.json', 'fifo'],
    ['analytics_rules.json', '/dev/zero'],
  ] as const) {
    it(`${name} as ${target}: skipped as the folder listing says, the offenses read, exit 0`, T, async () => {
      const c = capture();
      assert.equal(await main(['kpi', offensesWith(name, target), '--json'], c.io), 0, c.err());
      const doc = JSON.parse(c.out()) as { cases: number; skipped: { file: string; reason: string }[]; errors: { message: string }[] };
      assert.ok(doc.cases > 0);
      assert.deepEqual(
        doc.skipped.map((k) => [path.basename(k.file), k.reason]),
        [[name, `not a regular file (${target === 'fifo' ? 'FIFO' : 'character device'})`]],
      );
      assert.ok(!doc.errors.some((e) => /Invalid string length|RangeError/.test(e.message)), JSON.stringify(doc.errors));
    });
  }

  it('a list read by name that is a FIFO or device is a problem of the list, never read', T, async () => {
    for (const f of [fifo, zero]) {
      const r = await readClosingReasons(f);
      assert.equal(r.map.size, 0);
      assert.deepEqual(r.errors.map((e) => e.message), ['cannot read closing reasons: not a regular file: a FIFO, socket or device']);
    }
  });
});

describe('kpi --closing-reasons as qradar --closing-reasons: exit 2 before any work', () => {
  for (const [given, why] of [
    [fifo, /not a regular file or folder/],
    ['/dev/urandom', /not a regular file or folder/],
    [path.join(root, 'nope.json'), /no such file or directory/],
  ] as const) {
    it(given, T, async () => {
      for (const cmd of ['kpi', 'qradar']) {
        const c = capture();
        assert.equal(await main([cmd, OFFENSES, '--closing-reasons', given], c.io), 2, cmd);
        assert.match(c.err(), new RegExp(`^soc-analytics: --closing-reasons ${given.replace(/[.\\/]/g, '\\$&')}: ${why.source}`), cmd);
        assert.equal(c.out(), '', cmd);
      }
    });
  }
});

describe('qradar-fetch --ca', () => {
  it('a FIFO or /dev/zero as the CA file: exit 2 with the reason, no hang, no request', T, async () => {
    for (const ca of [fifo, zero]) {
      const c = capture();
      const code = await main(['qradar-fetch', '--url', 'https://127.0.0.1:9', '--from', '-7d', '--to', 'now', '--out', path.join(root, 'f.json'), '--ca', ca], { ...c.io, env: { QRADAR_TOKEN: 'x'.repeat(36) } } as never);
      assert.equal(code, 2, c.err());
      assert.match(c.err(), /cannot read the CA file .*: not a regular file: a FIFO, socket or device/);
    }
  });
});
