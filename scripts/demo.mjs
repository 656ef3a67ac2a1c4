#!/usr/bin/env node
// `npm run demo`: try SOC Analytics in a real VS Code with the sample Loki results.
//
//   1. npm ci when node_modules is missing or older than package-lock.json
//   2. npm run package            → dist/soc-analytics.vsix (build included)
//   3. demo workspace             → .tools/demo-workspace/{loki-results,qradar,zeek,cases}/ (copies of the sample data)
//   4a. a desktop `code` command exists: code --install-extension dist/soc-analytics.vsix --force; code <workspace>
//   4b. otherwise: bash scripts/setup-test-env.sh, then the VS Code server (code-server's VS Code OSS) with the
//       vsix installed; prints http://127.0.0.1:<port>/?folder=<workspace> and runs until Ctrl+C.
//
// Options: --server (always 4b), --port <n> (default 8124, or a free port when taken), --skip-build.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const lock = join(ROOT, 'package-lock.json');
const installed = join(ROOT, 'node_modules/.package-lock.json');
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000)) {
  run('npm', ['ci']);
} else {
  say('node_modules up to date');
}

// 2. build + package
if (skipBuild && existsSync(VSIX)) say(`using existing ${VSIX}`);
else run('npm', ['run', 'package']);

// 3. demo workspace with the sample data of every analysis kind (copies; the originals stay untouched)
const samples = [
  // [folder in the workspace, candidate sources (first that exists wins)]
  ['loki-results', [join(SHARED, 'data/loki/real-2021-2022'), join(ROOT, 'test/fixtures/loki')]],
  // the samples folder is one coherent console export (March 2026); public/ mixes unrelated sets from 2020-2026
  ['qradar', [join(SHARED, 'data/qradar/samples'), join(SHARED, 'data/qradar')]],
  // one real sensor day (24 hourly gzipped conn logs); data/zeek/json is an unrelated 2018 sample
  ['zeek', [join(SHARED, 'data/zeek/day-2024-04-19'), join(SHARED, 'data/zeek')]],
  ['cases', [join(ROOT, 'test/fixtures/cases')]],
];
mkdirSync(WS, { recursive: true });
for (const [name, sources] of samples) {
  const src = sources.find((d) => existsSync(d) && readdirSync(d).length > 0);
  if (!src) {
    say(`WARNING: no sample data for ${name} (looked in ${sources.join(', ')})`);
    continue;
  }
  rmSync(join(WS, name), { recursive: true, force: true }); // fresh copy each run (no stale files from older demos)
  cpSync(src, join(WS, name), { recursive: true });
  say(`demo workspace: ${name}/ ← ${src}`);
}
spawnSync('chmod', ['-R', 'u+w', WS]);
// The sample Zeek sensor sits on a public address: mark it internal so beacon detection has pairs to score.
mkdirSync(join(WS, '.vscode'), { recursive: true });
writeFileSync(join(WS, '.vscode/settings.json'), JSON.stringify({ 'socAnalytics.beacons.internalSubnets': ['64.225.56.201/32'] }, null, 2) + '\n');

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
run('bash', ['scripts/setup-test-env.sh']);
const port = await new Promise((res) => {
  const srv = createServer();
  srv.once('error', () => {
    const s2 = createServer();
    s2.listen(0, '127.0.0.1', () => { const p = s2.address().port; s2.close(() => res(p)); });
  });
  srv.listen(wantedPort, '127.0.0.1', () => srv.close(() => res(wantedPort)));
});
const child = spawn(process.execPath, [join(ROOT, 'test/integration/runServer.mjs'), '--serve', '--vsix', VSIX, '--workspace', WS, '--port', String(port)], { cwd: ROOT, stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal's process group; forward other signals ourselves.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
