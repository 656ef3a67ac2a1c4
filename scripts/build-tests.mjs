// Bundles the integration suite for the extension host:
//   test/integration/suite/index.ts (+ extension.test.ts, expected.json, mocha) -> out/integration/suite.js
// Node CJS; only `vscode` is external (the host provides it). Mocha is bundled in, so the suite does not
// depend on node_modules being present next to it (works with extensionDevelopmentPath and with a
// copied/installed extension alike).
// Usage: node scripts/build-tests.mjs
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { suite: 'test/integration/suite/index.ts' },
  outdir: 'out/integration',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // jsonc-parser's "main" is a UMD build that loads its modules at run time: its ES module build, as scripts/build.mjs
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  sourcemap: 'inline',
  logLevel: 'info',
  // mocha's optional ESM loader uses dynamic import(); not used here (files are bundled, not loaded)
  logOverride: { 'unsupported-dynamic-import': 'silent', 'require-resolve-not-external': 'silent' },
});
