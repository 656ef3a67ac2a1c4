// Builds every bundle with esbuild:
//   dist/extension.js  (Node CJS, extension host, `vscode` external)
//   dist/worker.js     (Node CJS, worker thread that parses and analyses off the host's main thread)
//   dist/cli.js        (Node CJS, the `soc-analytics` command-line tool)
//   dist/zeek-worker.js (Node CJS, beacon parse worker started by the CLI and dist/worker.js; see src/core/analyze/beacons/pool.ts)
//   dist/webview/*.js  (browser IIFE per dashboard) + dist/webview/*.css
// Usage: node scripts/build.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, chmodSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev') || watch;

// jsonc-parser's "main" is a UMD build whose modules load each other at run time (a bundle cannot
// resolve them): bundle its ES module build instead (the module field; Node's own require uses main).
const alias = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };
const common = { bundle: true, sourcemap: dev ? 'linked' : false, minify: !dev, logLevel: 'info', legalComments: 'none', alias };
const builds = [
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: { worker: 'src/worker/worker.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: { 'zeek-worker': 'src/core/analyze/beacons/zeek-worker.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: { cli: 'src/cli/cli.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { 'webview/dashboard': 'webview/dashboard/main.ts' }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022' },
];

// The WebAssembly parts of the parser (wasm/*.ts → src/core/parse/generated/*-wasm.ts) before the bundles that embed them.
execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' });

// Start from an empty dist/ so stale bundles never end up in the .vsix.
if (!watch) rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/webview', { recursive: true });
function copyAssets() {
  cpSync('webview/styles.css', 'dist/webview/styles.css');
  const codicons = 'node_modules/@vscode/codicons/dist';
  if (existsSync(codicons)) {
    cpSync(`${codicons}/codicon.css`, 'dist/webview/codicon.css');
    cpSync(`${codicons}/codicon.ttf`, 'dist/webview/codicon.ttf');
  }
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  copyAssets();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
