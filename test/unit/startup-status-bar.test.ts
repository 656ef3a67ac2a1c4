/**
 * The display-zone status bar item exists in a fresh window: the extension activates on startup finished
 * (package.json) and its activation creates the item first, without reading files or starting workers. The shipped
 * bundle (dist/extension.js, `npm run build`) is loaded here with a stand-in `vscode` module that records the status
 * bar items, and its load and activation times are printed.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'dist/extension.js');

/** Anything: every property, call and `new` gives another stand-in (EventEmitter, Uri, Disposable, …). */
function anything(): unknown {
  const fn = function () {
    /* stand-in */
  };
  return new Proxy(fn, {
    get: (_t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : anything()),
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

/** Node modules through which activation could read files or start work off the main thread. */
const WATCHED_MODULES = new Set(['fs', 'fs/promises', 'worker_threads', 'child_process']);

/** `mod` with every function (also of `mod.promises`) reporting `name.key` to `seen` when called or constructed. */
function watch(mod: object, name: string, seen: (what: string) => void): unknown {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(mod, {
    get(t, k) {
      const v = Reflect.get(t, k) as unknown;
      const d = Reflect.getOwnPropertyDescriptor(t, k);
      if (typeof k === 'symbol' || (d && !d.configurable && !d.writable) || (typeof v !== 'function' && !(k === 'promises' && typeof v === 'object' && v))) return v;
      if (!wrapped.has(k)) {
        wrapped.set(
          k,
          typeof v === 'function'
            ? new Proxy(v, {
                apply: (f, self, args) => (seen(`${name}.${k}`), Reflect.apply(f, self, args)),
                construct: (f, args, nt) => (seen(`new ${name}.${k}`), Reflect.construct(f, args, nt)),
              })
            : watch(v as object, `${name}.${k}`, seen),
        );
      }
      return wrapped.get(k);
    },
  });
}

interface Item {
  id: string;
  text: string;
  command?: string;
  shown: boolean;
}

function fakeVscode(settings: Record<string, unknown>, items: Item[], commands: string[], warnings: string[] = []): unknown {
  const base = anything() as Record<string | symbol, unknown>;
  const window = new Proxy(
    {
      createStatusBarItem: (id: string) => {
        const it: Item & { show(): void; dispose(): void } = { id, text: '', shown: false, show() { it.shown = true; }, dispose() {} };
        items.push(it);
        return it;
      },
      showWarningMessage: async (m: string) => (warnings.push(m), undefined),
    } as Record<string | symbol, unknown>,
    { get: (t, k) => (k in t ? t[k as string] : anything()) },
  );
  const workspace = new Proxy(
    { getConfiguration: () => ({ get: (k: string, d: unknown) => (k in settings ? settings[k] : d), update: async () => undefined }) } as Record<string | symbol, unknown>,
    { get: (t, k) => (k in t ? t[k as string] : anything()) },
  );
  // executeCommand: activation sets context keys (setContext socAnalytics.hasAnalyses)
  const cmds = { registerCommand: (id: string) => (commands.push(id), { dispose() {} }), executeCommand: async () => undefined };
  // own properties: the bundle copies the module's own keys (esbuild's ES-module interop)
  const mod: Record<string, unknown> = { window, workspace, commands: cmds };
  for (const k of ['ConfigurationTarget', 'Disposable', 'EventEmitter', 'MarkdownString', 'ProgressLocation', 'QuickPickItemKind', 'Range', 'StatusBarAlignment', 'TextEditorRevealType', 'ThemeColor', 'ThemeIcon', 'TreeItem', 'TreeItemCollapsibleState', 'Uri', 'ViewColumn', 'env', 'l10n', 'extensions', 'languages'])
    mod[k] = base[k];
  return mod;
}

describe('status bar: display zone in a fresh window', () => {
  it('package.json activates on startup finished (besides restoring dashboards)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };
    assert.deepEqual(pkg.activationEvents, ['onStartupFinished', 'onWebviewPanel:socAnalytics.dashboard']);
  });

  it('activation shows the item with the canonical zone and the switch command, quickly', { skip: fs.existsSync(BUNDLE) ? false : 'dist/extension.js missing: run npm run build' }, () => {
    const items: Item[] = [];
    const commands: string[] = [];
    const vscode = fakeVscode({ displayTimeZone: 'europe/paris' }, items, commands);
    const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
    const load = M._load;
    // file system, worker and process calls the bundle makes while activate() runs (its modules are watched from load on)
    const calls: string[] = [];
    let watching = false;
    const watched = new Map<string, unknown>();
    M._load = (req, parent, isMain) => {
      if (req === 'vscode') return vscode;
      const mod = load(req, parent, isMain);
      const name = req.replace(/^node:/, '');
      if (!WATCHED_MODULES.has(name) || (typeof mod !== 'object' && typeof mod !== 'function') || mod === null) return mod;
      if (!watched.has(req)) watched.set(req, watch(mod as object, name, (what) => watching && calls.push(what)));
      return watched.get(req);
    };
    try {
      const t0 = process.hrtime.bigint();
      const ext = require(BUNDLE) as { activate(c: unknown): void };
      const t1 = process.hrtime.bigint();
      const state = { get: (_k: string, d: unknown) => d, update: async () => undefined, keys: () => [] };
      const c0 = process.cpuUsage();
      watching = true;
      ext.activate({ subscriptions: [], workspaceState: state, globalState: state, extensionUri: anything(), secrets: anything() });
      watching = false;
      const c = process.cpuUsage(c0);
      const t2 = process.hrtime.bigint();
      const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
      console.log(`dist/extension.js load ${ms(t0, t1).toFixed(1)} ms, activate() ${ms(t1, t2).toFixed(1)} ms`);
      assert.equal(items.length, 1);
      assert.deepEqual({ ...items[0], show: undefined, dispose: undefined }, { id: 'socAnalytics.displayZone', text: '$(globe) Europe/Paris', command: 'socAnalytics.setDisplayZone', shown: true, name: 'SOC Analytics display time zone', tooltip: 'SOC Analytics: display time zone of every dashboard (click to change)', show: undefined, dispose: undefined });
      assert.ok(commands.includes('socAnalytics.setDisplayZone'));
      // quick: activation reads no files, starts no workers or processes (counted, whatever the machine's load), and
      // its CPU time (~15 ms) is far from a generous bound; the startup time itself is the benchmark's to measure
      assert.ok(watched.size > 0, 'the bundle loads the watched modules through the hook');
      assert.deepEqual(calls, []);
      assert.ok((c.user + c.system) / 1000 < 2000, `activate() took ${(c.user + c.system) / 1000} ms of CPU time`);
    } finally {
      M._load = load;
    }
  });

  it('a displayTimeZone that is not a zone, already in the settings, is warned about at activation (only on a change, before)', { skip: fs.existsSync(BUNDLE) ? false : 'dist/extension.js missing: run npm run build' }, () => {
    const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
    const load = M._load;
    const state = { get: (_k: string, d: unknown) => d, update: async () => undefined, keys: () => [] };
    try {
      for (const [zone, warned] of [['Europe/Berln', true], ['europe/paris', false], ['majority', false], ['UTC+3', false]] as const) {
        const warnings: string[] = [];
        const vscode = fakeVscode({ displayTimeZone: zone }, [], [], warnings);
        M._load = (req, parent, isMain) => (req === 'vscode' ? vscode : load(req, parent, isMain));
        delete require.cache[require.resolve(BUNDLE)];
        const ext = require(BUNDLE) as { activate(c: unknown): void };
        ext.activate({ subscriptions: [], workspaceState: state, globalState: state, extensionUri: anything(), secrets: anything() });
        if (warned) assert.deepEqual(warnings.filter((w) => w.includes(`setting socAnalytics.displayTimeZone “${zone}” is not a known time zone; did you mean Europe/Berlin? Times are shown in UTC.`)).length, 1, JSON.stringify(warnings));
        else assert.deepEqual(warnings, [], zone);
      }
    } finally {
      M._load = load;
    }
  });
});
