#!/usr/bin/env node
// Runs the same integration suite (out/integration/suite.js, see suite/index.ts) under desktop VS Code
// with @vscode/test-electron — for machines that have VS Code or can download it.
//
//   node test/integration/runElectron.mjs [--version <stable|1.x.y>]
//
// Which VS Code:
//   1. VSCODE_EXECUTABLE=/path/to/code (the Electron binary, e.g. /usr/share/code/code or
//      "/Applications/Visual Studio Code.app/Contents/MacOS/Electron")
//   2. a build already cached in .vscode-test/ (test-electron reuses it offline)
//   3. a download from the VS Code update service, when it answers within a few seconds
// Otherwise it prints a SKIP message and exits 0 (this is the case on the offline CI machine: use
// runServer.mjs --suite there). On Linux without $DISPLAY, run it under `xvfb-run -a`.
import { existsSync, mkdtempSync, cpSync, mkdirSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import https from 'node:https';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = resolve(process.env.SOC_SHARED_DIR || join(ROOT, '../shared'));
const DATA = join(SHARED, 'data/loki/real-2021-2022');
const TESTS = join(ROOT, 'out/integration/suite.js');
const CACHE = join(ROOT, '.vscode-test');
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'test/integration/expected.json'), 'utf8'));
const argv = process.argv.slice(2);
const version = argv.includes('--version') ? argv[argv.indexOf('--version') + 1] : 'stable';

function skip(reason) {
  console.log(`[runElectron] SKIP: ${reason}`);
  console.log('[runElectron] The same suite runs offline with: node test/integration/runServer.mjs --suite');
  process.exit(0);
}

/** Resolves true when the update service answers within `ms` (no body is downloaded). */
function updateServiceReachable(ms = 4000) {
  return new Promise((res) => {
    const req = https.request('https://update.code.visualstudio.com/api/releases/stable', { method: 'HEAD', timeout: ms }, (r) => {
      r.resume();
      res(r.statusCode !== undefined && r.statusCode < 500);
    });
    req.on('timeout', () => { req.destroy(); res(false); });
    req.on('error', () => res(false));
    req.end();
  });
}

async function main() {
  if (!existsSync(TESTS)) {
    console.error(`[runElectron] ERROR: ${TESTS} missing (run: node scripts/build-tests.mjs)`);
    process.exit(2);
  }
  let testElectron;
  try {
    testElectron = await import('@vscode/test-electron');
  } catch {
    skip('@vscode/test-electron is not installed (npm ci)');
  }
  const { runTests, downloadAndUnzipVSCode } = testElectron;

  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
  if (vscodeExecutablePath) {
    if (!existsSync(vscodeExecutablePath)) skip(`VSCODE_EXECUTABLE=${vscodeExecutablePath} does not exist`);
    console.log(`[runElectron] using VSCODE_EXECUTABLE=${vscodeExecutablePath}`);
  } else {
    const cached = existsSync(CACHE) ? readdirSync(CACHE).filter((d) => d.startsWith('vscode-')) : [];
    if (cached.length) {
      console.log(`[runElectron] using cached VS Code in .vscode-test/ (${cached.join(', ')})`);
    } else {
      console.log('[runElectron] no VSCODE_EXECUTABLE and nothing cached in .vscode-test/: checking the VS Code update service (4 s)…');
      if (!(await updateServiceReachable())) skip('no desktop VS Code available (VSCODE_EXECUTABLE unset, .vscode-test/ empty, update service unreachable: offline)');
    }
    try {
      vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: CACHE, timeout: 60000 });
    } catch (err) {
      skip(`could not obtain VS Code ${version}: ${err?.message ?? err}`);
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
    console.log(`[runElectron] WARNING: no $DISPLAY; desktop VS Code needs one${xvfb ? ' (re-run under: xvfb-run -a node test/integration/runElectron.mjs)' : ' (apt-get install xvfb; xvfb-run -a …)'}`);
  }

  if (!existsSync(DATA)) {
    console.error(`[runElectron] ERROR: Loki data not found: ${DATA} (shared/ beside the repo root, or SOC_SHARED_DIR)`);
    process.exit(2);
  }
  const temp = mkdtempSync(join(tmpdir(), 'soc-electron-'));
  const ws = join(temp, 'soc-analytics-ws');
  mkdirSync(ws, { recursive: true });
  cpSync(DATA, join(ws, EXPECTED.dataFolder), { recursive: true });
  spawnSync('chmod', ['-R', 'u+w', ws]);

  let code = 1;
  try {
    code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS,
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(temp, 'user-data'), '--extensions-dir', join(temp, 'extensions')],
    });
  } catch (err) {
    console.error(`[runElectron] tests failed: ${err?.message ?? err}`);
    code = 1;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  console.log(`[runElectron] exit ${code}`);
  process.exit(code);
}

main().catch((err) => {
  console.error('[runElectron] ERROR:', err);
  process.exit(1);
});
