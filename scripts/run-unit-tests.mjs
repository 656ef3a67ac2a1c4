// Runs every compiled unit test file (out/test/unit/**/*.test.js) with node's test runner.
// (Node 20's `node --test` does not expand glob patterns itself, and a directory argument would also
// run helper modules such as fixtures and mocks as if they were tests.)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'out/test/unit';
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(root);
if (files.length === 0) {
  console.error(`no unit test files under ${root} (run: npx tsc -p tsconfig.test.json)`);
  process.exit(1);
}
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
