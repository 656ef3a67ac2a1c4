/**
 * Loki discovery stats a folder's regular files side by side (one `lstat` each, started when the folder is listed) and
 * takes such a file's path as its real path. A file swapped for a symbolic link after the folder was listed is
 * resolved as before (stat + realpath): a link to a file outside the folders analyzed is skipped with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverLokiFiles } from '../../src/core/parse/discover';
// the module object itself, to swap a file for a link right after readdir
import fspModule = require('node:fs/promises');

test('loki discovery: regular files listed in order with their sizes; a file swapped for an outside link after listing is skipped', async () => {
  const root = mkdtempSync(join(tmpdir(), 'loki-lstat-'));
  const ev = join(root, 'ev');
  const outside = join(root, 'outside.log');
  try {
    require('node:fs').mkdirSync(ev);
    for (let i = 0; i < 30; i++) writeFileSync(join(ev, `h${String(i).padStart(2, '0')}.log`), 'x'.repeat(i + 1));
    writeFileSync(outside, 'secret');
    const plain = await discoverLokiFiles([ev]);
    assert.deepEqual(plain.files.map((f) => f.slice(ev.length + 1)), Array.from({ length: 30 }, (_, i) => `h${String(i).padStart(2, '0')}.log`));
    assert.equal(plain.totalBytes, (30 * 31) / 2);
    assert.deepEqual(plain.skipped, []);
    // h07.log becomes a link to a file outside the folder once the folder was listed
    const readdir = fspModule.readdir;
    const f = fspModule as unknown as { readdir: typeof readdir };
    f.readdir = (async (...args: Parameters<typeof readdir>) => {
      const r = await (readdir as (...a: Parameters<typeof readdir>) => Promise<unknown>)(...args);
      unlinkSync(join(ev, 'h07.log'));
      symlinkSync(outside, join(ev, 'h07.log'));
      return r;
    }) as typeof readdir;
    let swapped;
    try {
      swapped = await discoverLokiFiles([ev]);
    } finally {
      f.readdir = readdir;
    }
    assert.equal(swapped.files.length, 29);
    assert.ok(!swapped.files.some((x) => x.endsWith('h07.log')));
    assert.equal(swapped.skipped.length, 1);
    assert.match(swapped.skipped[0].reason, /outside the folders analyzed/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
