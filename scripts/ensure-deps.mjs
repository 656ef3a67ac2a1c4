#!/usr/bin/env node
// Installs the project's dependencies (`npm ci`) when node_modules is missing or older than
// package-lock.json, so that `npm test` and `npm run demo` work on a fresh clone. Never through a
// node_modules link: `npm ci` empties node_modules first, and through a link that is another
// checkout's. Plain Node (no dependencies): it runs before there are any.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs `npm ci` in `root` when needed.
 * @param {string} root the repository root (holds package-lock.json).
 * @param {(m: string) => void} say progress messages.
 * @returns {boolean} true when it installed.
 * @throws {Error} when `npm ci` fails (its output is on the console).
 */
export function ensureDeps(root, say) {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules/.package-lock.json');
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    say(`node_modules is a link to ${realpathSync(modules)}: not reinstalling it (run npm ci there when its lockfile changed)`);
    return false;
  }
  if (existsSync(installed) && !(existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000)) {
    say('node_modules up to date');
    return false;
  }
  say('$ npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ci failed (exit ${r.status ?? r.signal})`);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureDeps(resolve(dirname(fileURLToPath(import.meta.url)), '..'), (m) => console.log(`[deps] ${m}`));
  } catch (e) {
    console.error(`[deps] ${e.message}`);
    process.exit(1);
  }
}
