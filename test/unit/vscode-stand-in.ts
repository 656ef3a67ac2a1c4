/**
 * A small stand-in for the `vscode` module, installed when this file is imported (import it before any module of
 * src/extension): enough for AnalysisRegistry and DashboardPanel — events, cancellation tokens, a memento, webview
 * panels that record their HTML and posted messages, and a display zone the test sets.
 */
import Module from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

type Listener = (x?: unknown) => void;
export interface StandInEvent {
  (fn: Listener, thisArg?: unknown, disposables?: { dispose(): void }[]): { dispose(): void };
  fire(x?: unknown): void;
}
function event(): StandInEvent {
  const fns: Listener[] = [];
  const ev = ((fn: Listener, _this?: unknown, disposables?: { dispose(): void }[]) => {
    fns.push(fn);
    const d = { dispose: () => void (fns.includes(fn) && fns.splice(fns.indexOf(fn), 1)) };
    disposables?.push(d);
    return d;
  }) as StandInEvent;
  ev.fire = (x) => fns.slice().forEach((f) => f(x));
  return ev;
}

class Uri {
  readonly scheme = 'file';
  constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri(p);
  }
  static joinPath(u: Uri, ...s: string[]): Uri {
    return new Uri(path.join(u.fsPath, ...s));
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class EventEmitter {
  readonly event = event();
  fire(x?: unknown): void {
    this.event.fire(x);
  }
  dispose(): void {}
}

class CancellationTokenSource {
  private readonly ev = event();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.ev };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.ev.fire();
  }
  dispose(): void {}
}

export interface StandInPanel {
  title: string;
  htmls: string[];
  posted: { id: number; inReplyTo?: number; body: { type: string; [k: string]: unknown } }[];
  revealed: number;
  /** Whether the tab is shown (the real panel's `visible`); tests set it. */
  visible: boolean;
  webview: { options: { enableScripts?: boolean }; html: string };
  /** A message from the page (an envelope `{ id, body }`). */
  send(body: unknown, id: number): void;
  dispose(): void;
}

export const panels: StandInPanel[] = [];
let zone = 'UTC';
export const setZone = (z: string): void => void (zone = z);
export const currentZone = (): string => zone;

function makePanel(): StandInPanel {
  const onDispose = event();
  const onMessage = event();
  const p = {
    title: '',
    htmls: [] as string[],
    posted: [] as StandInPanel['posted'],
    revealed: 0,
    webview: {
      cspSource: 'vscode-resource:',
      options: {},
      set html(h: string) {
        p.htmls.push(h);
      },
      get html(): string {
        return p.htmls[p.htmls.length - 1] ?? '';
      },
      asWebviewUri: (u: Uri) => u,
      onDidReceiveMessage: onMessage,
      postMessage: async (m: StandInPanel['posted'][number]) => (p.posted.push(m), true),
    },
    onDidDispose: onDispose,
    // (the real panel's; DashboardPanel remembers the dashboard in front for Copy Summary as Markdown)
    active: false,
    visible: true,
    onDidChangeViewState: event(),
    reveal: () => void p.revealed++,
    dispose: () => onDispose.fire(),
    send: (body: unknown, id: number) => onMessage.fire({ id, body }),
  };
  panels.push(p as unknown as StandInPanel);
  return p as unknown as StandInPanel;
}

/** Settings by full key (`socAnalytics.qradar.consoleTimeZone`): what getConfiguration(section).get(key) returns; else the default. */
export const settings = new Map<string, unknown>();

export function memento(): { get<T>(k: string, d: T): T; update(k: string, v: unknown): Promise<void>; keys(): string[] } {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string, d: T) => (m.has(k) ? (m.get(k) as T) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()] };
}

/**
 * The save dialog, notifications and commands: `saveAnswer` is what showSaveDialog returns (undefined: cancelled);
 * every call is recorded, and `workspaceFolders` (paths) is what the workspace holds.
 */
export const ui = {
  saveAnswer: undefined as string | undefined,
  /** Each save dialog: its proposed file, its title, and whether the proposed file's folder existed while it was open. */
  saveDialogs: [] as { defaultUri?: string; title?: string; folderExisted?: boolean }[],
  infos: [] as { message: string; items: string[] }[],
  /** Warning notifications shown (their text), in order. */
  warnings: [] as string[],
  /** The item the next information message answers with (undefined: dismissed). */
  infoAnswer: undefined as string | undefined,
  commands: [] as { command: string; args: unknown[] }[],
  /** Each document shown in an editor (showTextDocument): its path. */
  shownDocuments: [] as string[],
  workspaceFolders: [] as string[],
};
const folderOf = (u: Uri) => ui.workspaceFolders.find((f) => u.fsPath === f || u.fsPath.startsWith(f + path.sep));

const vscode = {
  Uri,
  ThemeIcon,
  ThemeColor,
  commands: { executeCommand: async (command: string, ...args: unknown[]) => void ui.commands.push({ command, args }) },
  EventEmitter,
  CancellationTokenSource,
  ViewColumn: { Active: -1, Beside: -2 },
  FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
  TabInputWebview: class TabInputWebview {
    constructor(readonly viewType: string) {}
  },
  window: {
    createWebviewPanel: (_viewType: string, title: string) => Object.assign(makePanel(), { title }),
    // no editor tabs here: the tabs restored after a reload are tested in the real VS Code (test/integration)
    tabGroups: { all: [] as unknown[], close: async () => true },
    registerWebviewPanelSerializer: () => ({ dispose() {} }),
    showErrorMessage: async () => undefined,
    showTextDocument: async (u: Uri) => void ui.shownDocuments.push(u.fsPath),
    showWarningMessage: async (message: string) => void ui.warnings.push(message),
    showInformationMessage: async (message: string, ...items: string[]) => (ui.infos.push({ message, items }), items.length ? ui.infoAnswer : undefined),
    showSaveDialog: async (o: { defaultUri?: Uri; title?: string }) => (
      ui.saveDialogs.push({ defaultUri: o.defaultUri?.fsPath, title: o.title, folderExisted: o.defaultUri ? fs.existsSync(path.dirname(o.defaultUri.fsPath)) : undefined }),
      ui.saveAnswer === undefined ? undefined : Uri.file(ui.saveAnswer)
    ),
  },
  workspace: {
    fs: {
      createDirectory: async (u: Uri) => void (await fs.promises.mkdir(u.fsPath, { recursive: true })),
      stat: async (u: Uri) => {
        const st = await fs.promises.stat(u.fsPath);
        return { type: st.isDirectory() ? 2 : 1, size: st.size, ctime: st.ctimeMs, mtime: st.mtimeMs };
      },
      readDirectory: async (u: Uri) => (await fs.promises.readdir(u.fsPath, { withFileTypes: true })).map((e) => [e.name, e.isDirectory() ? 2 : 1]),
      delete: async (u: Uri, o?: { recursive?: boolean }) => (o?.recursive ? fs.promises.rm(u.fsPath, { recursive: true }) : fs.promises.rmdir(u.fsPath)),
      writeFile: async (u: Uri, b: Uint8Array) => fs.promises.writeFile(u.fsPath, b),
    },
    get workspaceFolders() {
      return ui.workspaceFolders.length ? ui.workspaceFolders.map((f, index) => ({ uri: Uri.file(f), name: path.basename(f), index })) : undefined;
    },
    getWorkspaceFolder: (u: Uri) => {
      const f = folderOf(u);
      return f === undefined ? undefined : { uri: Uri.file(f), name: path.basename(f), index: ui.workspaceFolders.indexOf(f) };
    },
    asRelativePath: (u: Uri) => {
      const f = folderOf(u);
      return f === undefined ? u.fsPath : path.relative(f, u.fsPath);
    },
    getConfiguration: (section?: string) => ({ get: (k: string, d: unknown) => (settings.has(`${section}.${k}`) ? settings.get(`${section}.${k}`) : d), update: async () => undefined }),
  },
};

const M = Module as unknown as { _resolveFilename(req: string, ...a: unknown[]): string };
const resolve = M._resolveFilename;
M._resolveFilename = function (req: string, ...a: unknown[]) {
  return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...a);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode } as unknown as NodeJS.Module;
