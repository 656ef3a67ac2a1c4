#!/usr/bin/env node
// `npm run demo`: try SOC Analytics in a real VS Code with the sample Loki results.
//
//   1. npm ci when node_modules is missing or older than package-lock.json (never through a node_modules link)
//   2. npm run package            → dist/soc-analytics.vsix (build included)
//   3. demo workspace             → .tools/demo-workspace/{loki-results,qradar,zeek,cases}/ (copies of the sample data) and
//                                   .soc/tagging.json (the cases' tagging rules, where the analysis reads them): demo-workspace.mjs
//   4a. a desktop `code` command exists: code --install-extension dist/soc-analytics.vsix --force; code <workspace>
//   4b. otherwise: bash scripts/setup-test-env.sh, then the VS Code server (code-server's VS Code OSS) with the
//       vsix installed; prints http://127.0.0.1:<port>/?tkn=<token>&folder=<workspace> (a fresh connection token per run)
//       and runs until Ctrl+C.
//
// Options: --server (always 4b), --port <n> (default 8124, or a free port when taken), --skip-build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoWorkspace } from './demo-workspace.mjs';
import { ensureDeps } from './ensure-deps.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(process.env.SOC_SHARED_DIR || join(ROOT, '../shared'));
const VSIX = join(ROOT, 'dist/soc-analytics.vsix');
const WS = join(ROOT, '.tools/demo-workspace');
const args = process.argv.slice(2);
const forceServer = args.includes('--server');
const skipBuild = args.includes('--skip-build');
const wantedPort = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 8124;

const say = (m) => console.log(`[demo] ${m}`);
function run(cmd, argv, opts = {}) {
  say(`$ ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    say(`failed: ${cmd} ${argv.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

// 1. dependencies
try {
  ensureDeps(ROOT, say);
} catch (e) {
  say(e.message);
  process.exit(1);
}

// 2. build + package
if (skipBuild && existsSync(VSIX)) say(`using existing ${VSIX}`);
else run('npm', ['run', 'package']);

// 3. demo workspace with the sample data of every analysis kind (copies; the originals stay untouched)
buildDemoWorkspace({ root: ROOT, shared: SHARED, ws: WS, log: say });
spawnSync('chmod', ['-R', 'u+w', WS]);

// 4a. desktop VS Code
const hasCode = !forceServer && spawnSync('sh', ['-c', 'command -v code >/dev/null && code --version >/dev/null 2>&1'], { timeout: 20000 }).status === 0;
if (hasCode) {
  run('code', ['--install-extension', VSIX, '--force']);
  run('code', [WS]);
  say('opened the demo workspace in VS Code: right-click loki-results (or qradar, zeek, cases) in the Explorer and pick the SOC command.');
  process.exit(0);
}

// 4b. VS Code server in the browser
say(forceServer ? '--server: using the VS Code server' : 'no desktop `code` command: using the VS Code server (open it in your browser)');
// the browser is the user's own: no Chromium (an apt-get install) needed to serve VS Code
run('bash', ['scripts/setup-test-env.sh'], { env: { ...process.env, SOC_SKIP_CHROMIUM: '1' } });
const port = await new Promise((res) => {
  const srv = createServer();
  srv.once('error', () => {
    const s2 = createServer();
    s2.listen(0, '127.0.0.1', () => { const p = s2.address().port; s2.close(() => res(p)); });
  });
  srv.listen(wantedPort, '127.0.0.1', () => srv.close(() => res(wantedPort)));
});
const child = spawn(process.execPath, [join(ROOT, 'test/integration/runServer.mjs'), '--serve', '--vsix', VSIX, '--workspace', WS, '--port', String(port), '--data-dir', join(ROOT, '.tools/demo-vscode-data')], { cwd: ROOT, stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal's process group; forward other signals ourselves.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
