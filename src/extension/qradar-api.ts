/**
 * QRadar REST API commands (issue #4): token in SecretStorage, offense fetch with progress
 * "n of total" and cancel, resume of a partial fetch, and Ariel push-down counts. The network code
 * is src/core/qradar-api (shared with the CLI); this module adds the VS Code side: settings,
 * quick picks, progress, the output channel and opening the results in the dashboards.
 *
 * Security:
 * - The SEC token lives only in SecretStorage, under a key bound to the console origin
 *   (`socAnalytics.qradar.token:<origin>`): a token set for one console is never sent to another,
 *   even if a workspace changes `socAnalytics.qradar.consoleUrl`.
 * - Log lines carry method, URL, status, Content-Range and timing (never headers); every message is
 *   also passed through `redact()` with the token.
 * - Network commands are disabled in Restricted Mode; consoleUrl, caCertificateFile and
 *   allowInsecureTls are restricted settings (package.json) so an untrusted workspace cannot set them.
 * - `allowInsecureTls` shows a warning on every request batch (each command run).
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { ARIEL_GROUPS, buildCountAql, countFile, runArielSearch, type ArielCountSpec, type ArielGroup } from '../core/qradar-api/ariel';
import { parseTimeArg } from '../core/qradar-api/cli';
import { apiBaseUrl, QRadarClient, requestLogLine, type RequestLogEntry } from '../core/qradar-api/client';
import { QRadarApiError, redact } from '../core/qradar-api/errors';
import { SETTINGS_TLS_NAMES, tlsAdviceText, tlsSettingToOpen } from '../core/qradar-api/tls-advice';
import { DEFAULT_MAX_OFFENSES, fetchFiles, fetchLockFile, fetchOffenses, fetchStem, readManifest, type FetchResult, type OffenseStatus } from '../core/qradar-api/fetch';
import { notificationSafe } from '../core/text-safe';
import { arielPartialNotice } from '../core/analyze/run-notice';
import { MAX_CA_FILE_BYTES, readHelperFile } from '../core/fs-read';

const SECTION = 'socAnalytics.qradar';

/**
 * Opens the Settings editor on a QRadar setting (`socAnalytics.qradar.consoleUrl`…). The connection settings are
 * `machine-overridable`: in a remote or browser window (`npm run demo`, code-server, SSH, WSL) VS Code lists them under
 * the *Remote* tab, and the *User* tab that `workbench.action.openSettings` shows said "No Settings Found"
 * (verification trial) — there the Remote tab is opened with the same search (`openRemoteSettings` takes the options
 * `openSettings` does), and the plain Settings editor when that fails.
 */
function openQRadarSetting(id: string): Thenable<unknown> {
  const plain = () => vscode.commands.executeCommand('workbench.action.openSettings', id);
  if (!vscode.env.remoteName) return plain();
  return vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query: id }).then(undefined, plain);
}
const ORIGINS_KEY = 'socAnalytics.qradar.tokenOrigins';
/** Command that opens offenses in the QRadar dashboard (issue #3). */
export const ANALYZE_QRADAR_COMMAND = 'socAnalytics.analyzeQRadar';
/** Folder (under the first workspace folder) where fetches and counts are written. */
export const OUTPUT_FOLDER = 'qradar';

const secretKey = (origin: string) => `socAnalytics.qradar.token:${origin}`;

export interface QRadarApiDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** Opens a saved Ariel count file in the `ariel` dashboard (extension.ts: analyze(arielKind, …)). */
  openCounts(file: vscode.Uri): Promise<unknown>;
}

/** Arguments the fetch command accepts instead of asking (scripts and tests). */
export interface FetchArgs {
  /** ISO 8601, epoch ms, `now`, `-7d`. */
  from?: string | number;
  to?: string | number;
  statuses?: OffenseStatus[];
  /** Folder to write into (default `<workspace>/qradar/<stem>`). */
  folder?: string;
  /** Open the dashboard afterwards (default true). */
  open?: boolean;
}

/** What the fetch/resume commands return. */
export interface FetchCommandResult {
  file: string;
  folder: string;
  complete: boolean;
  fetched: number;
  reportedTotal?: number;
  error?: string;
  /** A new fetch that got not one page: its files (and the folder it created) were removed; nothing to resume. */
  discarded?: boolean;
  /** The value returned by the QRadar analyze command, when the dashboard was opened. */
  analysis?: unknown;
}

interface Time {
  fromMs: number;
  toMs: number;
  label: string;
}

/** Settings of the console (socAnalytics.qradar.*). */
function settings() {
  const c = vscode.workspace.getConfiguration(SECTION);
  const num = (k: string, d: number, min: number, max: number) => {
    const v = Number(c.get<number>(k, d));
    return Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : d;
  };
  return {
    consoleUrl: (c.get<string>('consoleUrl', '') ?? '').trim(),
    apiVersion: (c.get<string>('apiVersion', '20.0') ?? '').trim(),
    pageSize: num('pageSize', 500, 1, 10000),
    maxOffenses: num('maxOffenses', DEFAULT_MAX_OFFENSES, 1, Number.MAX_SAFE_INTEGER),
    timeoutMs: num('requestTimeoutSeconds', 120, 5, 3600) * 1000,
    caFile: (c.get<string>('caCertificateFile', '') ?? '').trim(),
    insecure: c.get<boolean>('allowInsecureTls', false) === true,
  };
}

function workspaceRoot(): string | undefined {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.uri.scheme === 'file');
  return f?.uri.fsPath;
}

/** Registers the QRadar API commands; returns their disposables. */
export function registerQRadarApiCommands(deps: QRadarApiDeps): vscode.Disposable[] {
  const { context, log } = deps;
  /** Recent log lines written by this module (hidden test command; never holds the token). */
  const recent: string[] = [];
  let currentToken: string | undefined;
  const write = (level: 'info' | 'warn' | 'error', msg: string) => {
    const line = redact(msg, [currentToken]);
    recent.push(`[${level}] ${line}`);
    if (recent.length > 1000) recent.shift();
    log[level](line);
  };
  // the CLI's --verbose line (one form: an error answer says its status once, `HTTP 403 (code 26): <message>`)
  const logRequest = (e: RequestLogEntry) => write(e.error ? 'warn' : 'info', `QRadar ${requestLogLine(e)}`);

  async function storedOrigins(): Promise<string[]> {
    return context.globalState.get<string[]>(ORIGINS_KEY, []);
  }

  function trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(
      'SOC Analytics: fetching from QRadar is disabled in Restricted Mode — a workspace you do not trust could point the console URL or the TLS settings elsewhere. Trust the workspace to use the QRadar API.',
      'Manage Workspace Trust',
    ).then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  function errorText(e: unknown): string {
    const m = e instanceof Error ? e.message : String(e);
    return redact(m, [currentToken]);
  }

  /** A CA file was read for the client in use (socAnalytics.qradar.caCertificateFile): a TLS failure's advice says it did not help. */
  let caInUse = false;

  /**
   * Logs and shows an error. A TLS failure (self-signed certificate, private CA, another host name, expired) says
   * what to do ({@link tlsAdviceText} with the settings' names: the CA file first, allowInsecureTls only as a last
   * resort; a CA file set that did not help is said), with *Open Settings* on the setting that fixes it.
   */
  function showError(what: string, e: unknown): void {
    let msg = `SOC Analytics: ${what}: ${errorText(e)}`;
    const tls = tlsAdviceText(e, caInUse, SETTINGS_TLS_NAMES);
    if (tls) {
      msg += ` — ${tls}`;
    } else if (e instanceof QRadarApiError && e.status === 401) {
      msg += ' — run “SOC: Set QRadar API Token”.';
    }
    write('error', msg);
    // a console never reached (connection refused, host not found): the console URL is the setting to check
    const urlFix = e instanceof QRadarApiError && e.details.neverReached === true;
    const buttons = tls || urlFix ? ['Open Settings'] : e instanceof QRadarApiError && e.status === 401 ? ['Set Token'] : [];
    void vscode.window.showErrorMessage(notificationSafe(msg), ...buttons).then((c) => {
      if (c === 'Open Settings') void openQRadarSetting(tls ? tlsSettingToOpen(e) : `${SECTION}.consoleUrl`);
      if (c === 'Set Token') void vscode.commands.executeCommand('socAnalytics.setQRadarToken');
    });
  }

  /**
   * The console URL (socAnalytics.qradar.consoleUrl) and the token stored for its origin; undefined (after telling
   * the user, with an *Open Settings* / *Set Token* button) when either is missing or the URL is bad. Checked before
   * any question of a command (nothing is asked for a fetch that cannot run) and again by {@link makeClient}.
   */
  async function connection(): Promise<{ s: ReturnType<typeof settings>; origin: string; token: string } | undefined> {
    const s = settings();
    if (!s.consoleUrl) {
      write('error', 'QRadar: no console URL is set (socAnalytics.qradar.consoleUrl)');
      void vscode.window
        .showErrorMessage('SOC Analytics: set the QRadar console URL (socAnalytics.qradar.consoleUrl) first.', 'Open Settings')
        .then((c) => c && openQRadarSetting(`${SECTION}.consoleUrl`));
      return undefined;
    }
    let origin: string;
    try {
      origin = apiBaseUrl(s.consoleUrl).origin;
    } catch (e) {
      showError('bad console URL', e);
      return undefined;
    }
    const token = await context.secrets.get(secretKey(origin));
    if (!token) {
      write('error', `QRadar: no API token is stored for ${origin}`);
      void vscode.window
        .showErrorMessage(notificationSafe(`SOC Analytics: no QRadar API token is stored for ${origin}. Run “SOC: Set QRadar API Token”.`), 'Set Token')
        .then((c) => c && vscode.commands.executeCommand('socAnalytics.setQRadarToken'));
      return undefined;
    }
    return { s, origin, token };
  }

  /** Builds a client from the settings and the stored token; undefined (after telling the user) when not possible. */
  async function makeClient(): Promise<{ client: QRadarClient; origin: string; apiVersion: string; pageSize: number } | undefined> {
    const conn = await connection();
    if (!conn) return undefined;
    const { s, origin, token } = conn;
    currentToken = token;
    let caPem: string | undefined;
    caInUse = false;
    if (s.caFile) {
      const root = workspaceRoot();
      const p = s.caFile.startsWith('~') ? path.join(os.homedir(), s.caFile.slice(1)) : path.isAbsolute(s.caFile) || !root ? s.caFile : path.join(root, s.caFile);
      try {
        // a regular file of at most 16 MiB: a FIFO would hang the command, /dev/zero fill the memory
        caPem = (await readHelperFile(p, MAX_CA_FILE_BYTES)).toString('utf8');
        caInUse = true;
      } catch (e) {
        showError(`cannot read the CA certificate file ${p}`, e);
        return undefined;
      }
    }
    if (s.insecure) {
      const w = `SOC Analytics: TLS certificate verification for ${origin} is OFF (socAnalytics.qradar.allowInsecureTls). Anyone between you and the console could read the API token. Prefer socAnalytics.qradar.caCertificateFile.`;
      write('warn', w);
      void vscode.window.showWarningMessage(notificationSafe(w), 'Open Settings').then((c) => c && openQRadarSetting(`${SECTION}.allowInsecureTls`));
    }
    try {
      const client = new QRadarClient({
        consoleUrl: s.consoleUrl,
        token,
        apiVersion: s.apiVersion,
        timeoutMs: s.timeoutMs,
        caPem,
        allowInsecureTls: s.insecure,
        onRequest: logRequest,
      });
      return { client, origin, apiVersion: s.apiVersion, pageSize: s.pageSize };
    } catch (e) {
      showError('cannot use the QRadar settings', e);
      return undefined;
    }
  }

  // ---------------------------------------------------------------- token

  async function setToken(args?: { token?: string; consoleUrl?: string }): Promise<boolean> {
    let url = (args?.consoleUrl ?? settings().consoleUrl).trim();
    if (!url) {
      url =
        (
          await vscode.window.showInputBox({
            title: 'QRadar console URL',
            placeHolder: 'https://qradar.corp.example',
            ignoreFocusOut: true,
            validateInput: (v) => {
              try {
                apiBaseUrl(v);
                return undefined;
              } catch (e) {
                return (e as Error).message;
              }
            },
          })
        )?.trim() ?? '';
      if (!url) return false;
      await vscode.workspace.getConfiguration(SECTION).update('consoleUrl', url, vscode.ConfigurationTarget.Global);
    }
    let origin: string;
    try {
      origin = apiBaseUrl(url).origin;
    } catch (e) {
      showError('bad console URL', e);
      return false;
    }
    const token =
      args?.token ??
      (await vscode.window.showInputBox({
        title: `QRadar API token for ${origin}`,
        prompt: 'Authorized-service token (Admin → Authorized Services). Stored in VS Code Secret Storage for this console only.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Enter the token' : /[\r\n]/.test(v) ? 'The token must be one line' : undefined),
      }));
    if (!token || !token.trim()) return false;
    await context.secrets.store(secretKey(origin), token.trim());
    const origins = await storedOrigins();
    if (!origins.includes(origin)) await context.globalState.update(ORIGINS_KEY, [...origins, origin]);
    write('info', `QRadar API token stored in Secret Storage for ${origin}`);
    void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: QRadar API token stored for ${origin}.`));
    return true;
  }

  async function clearToken(): Promise<number> {
    const origins = await storedOrigins();
    const s = settings();
    let current: string | undefined;
    try {
      current = s.consoleUrl ? apiBaseUrl(s.consoleUrl).origin : undefined;
    } catch {
      current = undefined;
    }
    const all = [...new Set([...origins, ...(current ? [current] : [])])];
    for (const o of all) await context.secrets.delete(secretKey(o));
    await context.globalState.update(ORIGINS_KEY, []);
    currentToken = undefined;
    write('info', `QRadar API token removed from Secret Storage (${all.length} console${all.length === 1 ? '' : 's'})`);
    void vscode.window.showInformationMessage(notificationSafe(`SOC Analytics: QRadar API token removed${all.length ? ` for ${all.join(', ')}` : ''}.`));
    return all.length;
  }

  // ---------------------------------------------------------------- time range and status

  async function pickTimeRange(title: string): Promise<Time | undefined> {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const day = 86_400_000;
    const d = new Date(now);
    const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const prevMonthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
    type Item = vscode.QuickPickItem & { range?: [number, number] };
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const presets: [string, number, number][] = [
      ['Last 24 hours', now - day, now],
      ['Last 7 days', now - 7 * day, now],
      ['Last 30 days', now - 30 * day, now],
      ['Last 90 days', now - 90 * day, now],
      ['This month (UTC)', monthStart, now],
      ['Previous month (UTC)', prevMonthStart, monthStart],
    ];
    const items: Item[] = presets.map(([label, a, b]) => ({ label, description: `${iso(a)} → ${iso(b)} UTC`, range: [a, b] }));
    items.push({ label: 'Custom…', description: 'ISO 8601 (UTC unless a zone is given), epoch ms, or -7d / -12h' });
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Time range' });
    if (!pick) return undefined;
    if (pick.range) return { fromMs: pick.range[0], toMs: pick.range[1], label: pick.label };
    const ask = async (what: string, value: string) =>
      vscode.window.showInputBox({
        title: `${title}: ${what}`,
        value,
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            parseTimeArg(v, Date.now(), what);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
    const from = await ask('from', new Date(now - 7 * day).toISOString().slice(0, 16) + 'Z');
    if (!from) return undefined;
    const to = await ask('to (exclusive)', new Date(now).toISOString().slice(0, 16) + 'Z');
    if (!to) return undefined;
    const fromMs = parseTimeArg(from, Date.now());
    const toMs = parseTimeArg(to, Date.now());
    if (toMs <= fromMs) {
      void vscode.window.showErrorMessage('SOC Analytics: the end of the time range must be after its start.');
      return undefined;
    }
    return { fromMs, toMs, label: `${iso(fromMs)} → ${iso(toMs)} UTC` };
  }

  function timeFromArgs(a: { from?: string | number; to?: string | number }): Time | undefined {
    if (a.from === undefined || a.to === undefined) return undefined;
    const fromMs = typeof a.from === 'number' ? a.from : parseTimeArg(a.from, Date.now());
    const toMs = typeof a.to === 'number' ? a.to : parseTimeArg(a.to, Date.now());
    return { fromMs, toMs, label: 'given range' };
  }

  async function pickStatuses(): Promise<OffenseStatus[] | undefined> {
    const items: (vscode.QuickPickItem & { s: OffenseStatus })[] = [
      { label: 'OPEN', s: 'OPEN', picked: true },
      { label: 'HIDDEN', s: 'HIDDEN', picked: true },
      { label: 'CLOSED', s: 'CLOSED', picked: true },
    ];
    const picks = await vscode.window.showQuickPick(items, { title: 'SOC: Fetch QRadar Offenses — status', placeHolder: 'Statuses to fetch (all = no status filter)', canPickMany: true });
    if (!picks || picks.length === 0) return undefined;
    return picks.length === 3 ? [] : picks.map((p) => p.s);
  }

  // ---------------------------------------------------------------- fetch

  async function openOffenses(folder: string): Promise<unknown> {
    const cmds = await vscode.commands.getCommands(true);
    const uri = vscode.Uri.file(folder);
    if (!cmds.includes(ANALYZE_QRADAR_COMMAND)) {
      write('warn', `${ANALYZE_QRADAR_COMMAND} is not available; revealing ${folder} instead`);
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return undefined;
    }
    return vscode.commands.executeCommand(ANALYZE_QRADAR_COMMAND, uri, [uri]);
  }

  async function runFetch(
    c: NonNullable<Awaited<ReturnType<typeof makeClient>>>,
    file: string,
    spec: Parameters<typeof fetchOffenses>[2],
    open: boolean,
    /** Arguments of the fetch command that run this fetch again (*Retry* when nothing was kept). */
    retry?: FetchArgs,
  ): Promise<FetchCommandResult> {
    const folder = path.dirname(file);
    let result: FetchResult | undefined;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: notificationSafe(`SOC: ${spec.resume ? 'Resuming' : 'Fetching'} QRadar offenses from ${c.origin}`), cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          let lastPct = 0;
          try {
            return await fetchOffenses(c.client, file, spec, {
              signal: ac.signal,
              apiVersion: c.apiVersion,
              maxOffenses: settings().maxOffenses,
              onProgress: (p) => {
                if (p.phase === 'offenses') {
                  const pct = p.total ? Math.min(100, (100 * p.fetched) / p.total) : 0;
                  progress.report({ increment: Math.max(0, pct - lastPct), message: `${p.fetched.toLocaleString()} of ${p.total === undefined ? '?' : p.total.toLocaleString()} ${p.total === 1 ? 'offense' : 'offenses'}` });
                  lastPct = Math.max(lastPct, pct);
                } else if (p.phase === 'lookups') progress.report({ message: `${p.fetched.toLocaleString()} ${p.fetched === 1 ? 'offense' : 'offenses'} — fetching ${p.lookup ?? 'lookups'}…` });
                else progress.report({ message: notificationSafe(`${p.fetched.toLocaleString()} ${p.fetched === 1 ? 'offense' : 'offenses'} — writing ${path.basename(file)}…`) });
              },
            });
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      showError('QRadar fetch failed', e);
      return { file, folder, complete: false, fetched: 0, error: errorText(e) };
    } finally {
      c.client.close();
    }
    const m = result.manifest;
    const out: FetchCommandResult = { file, folder, complete: result.complete, fetched: m.offenses.fetched, reportedTotal: m.offenses.reportedTotal };
    for (const w of m.warnings) write('warn', `QRadar fetch ${path.basename(folder)}: ${w}`);
    if (result.complete) {
      write('info', `QRadar fetch complete: ${m.offenses.fetched} ${m.offenses.fetched === 1 ? 'offense' : 'offenses'} in ${file}`);
      if (open) out.analysis = await openOffenses(folder);
      return out;
    }
    out.error = result.error ? errorText(result.error) : 'stopped';
    const cancelled = result.error?.kind === 'cancelled';
    if (result.discarded) {
      // not one page: no files were kept (fetchOffenses removed them and the folder it made), so no Resume — a Retry,
      // and the setting or token that fixes the cause
      out.discarded = true;
      const tlsFix = tlsAdviceText(result.error, caInUse, SETTINGS_TLS_NAMES);
      const head = cancelled ? 'SOC Analytics: QRadar fetch cancelled before the first answer' : `SOC Analytics: QRadar fetch failed: ${out.error}`;
      const text = `${head}${tlsFix ? ` — ${tlsFix}` : ''}. Nothing was fetched, so nothing was kept.`;
      write(cancelled ? 'info' : 'error', text);
      if (open && !cancelled) {
        const e = result.error;
        const urlFix = e?.details.neverReached === true;
        const tokenFix = e?.status === 401;
        const actions = [...(tlsFix || urlFix ? ['Open Settings'] : []), ...(tokenFix ? ['Set Token'] : []), ...(retry ? ['Retry'] : [])];
        void vscode.window.showErrorMessage(notificationSafe(text), ...actions).then((choice) => {
          if (choice === 'Open Settings') void openQRadarSetting(tlsFix ? tlsSettingToOpen(e) : `${SECTION}.consoleUrl`);
          if (choice === 'Set Token') void vscode.commands.executeCommand('socAnalytics.setQRadarToken');
          if (choice === 'Retry') void vscode.commands.executeCommand('socAnalytics.fetchQRadarOffenses', retry);
        });
      }
      return out;
    }
    const none = m.offenses.fetched === 0;
    const msg = none
      ? `SOC Analytics: QRadar fetch ${cancelled ? 'cancelled' : 'stopped'} before the first offense${cancelled ? '' : `: ${out.error}`}. The query is kept (marked partial) and can be resumed.`
      : `SOC Analytics: QRadar fetch ${cancelled ? 'cancelled' : 'stopped'} after ${m.offenses.fetched.toLocaleString()}${m.offenses.reportedTotal !== undefined ? ` of ${m.offenses.reportedTotal.toLocaleString()}` : ''} offenses${cancelled ? '' : `: ${out.error}`}. What was fetched is kept (marked partial) and can be resumed.`;
    // a TLS failure: what to do (the CA file setting first), and Open Settings on it before Resume
    const tls = tlsAdviceText(result.error, caInUse, SETTINGS_TLS_NAMES);
    const full = tls ? `${msg} — ${tls}` : msg;
    write(cancelled ? 'info' : 'error', full);
    if (open) {
      // Nothing to open when not one offense arrived: only Resume is offered.
      // stopped at the bound (socAnalytics.qradar.maxOffenses): a resume needs a larger one first
      const atLimit = result.error?.kind === 'limit';
      // a console never reached (refused, unknown host): the console URL setting, then Resume
      const urlFix = result.error?.details.neverReached === true;
      const actions = [...(tls || urlFix ? ['Open Settings'] : []), ...(atLimit ? ['Raise the Limit'] : []), ...(none ? ['Resume'] : ['Resume', 'Open What Was Fetched'])];
      void (cancelled ? vscode.window.showInformationMessage : vscode.window.showErrorMessage)(notificationSafe(full), ...actions).then((choice) => {
        if (choice === 'Open Settings') void openQRadarSetting(tls ? tlsSettingToOpen(result.error) : `${SECTION}.consoleUrl`);
        if (choice === 'Raise the Limit') void vscode.commands.executeCommand('workbench.action.openSettings', 'socAnalytics.qradar.maxOffenses');
        if (choice === 'Resume') void vscode.commands.executeCommand('socAnalytics.resumeQRadarFetch', vscode.Uri.file(folder));
        if (choice === 'Open What Was Fetched') void openOffenses(folder);
      });
    }
    return out;
  }

  /** Partial fetches under `<workspace>/qradar/`, newest first. */
  async function partialFetches(): Promise<{ folder: string; file: string; fetched: number; total?: number; started: string }[]> {
    const root = workspaceRoot();
    if (!root) return [];
    const base = path.join(root, OUTPUT_FOLDER);
    let names: string[] = [];
    try {
      names = await fsp.readdir(base);
    } catch {
      return [];
    }
    const out: { folder: string; file: string; fetched: number; total?: number; started: string }[] = [];
    for (const n of names) {
      const file = path.join(base, n, 'offenses.json');
      const m = await readManifest(fetchFiles(file).manifest);
      // a fetch that is running holds its lock: it is not offered for Resume (fetchOffenses would refuse it)
      const running = await fsp.access(fetchLockFile(file)).then(() => true, () => false);
      if (m && m.status === 'partial' && !running) out.push({ folder: path.join(base, n), file, fetched: m.offenses.fetched, total: m.offenses.reportedTotal, started: m.startedAt });
    }
    return out.sort((a, b) => (a.started < b.started ? 1 : -1));
  }

  async function fetchCommand(args?: FetchArgs): Promise<FetchCommandResult | undefined> {
    if (!trusted()) return undefined;
    // console URL and token first: no question is asked for a fetch that cannot run
    if (!(await connection())) return undefined;
    const a = args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {};
    let time: Time | undefined;
    try {
      time = timeFromArgs(a);
    } catch (e) {
      showError('bad time range', e);
      return undefined;
    }
    if (!time) {
      const partial = await partialFetches();
      if (partial.length) {
        type Item = vscode.QuickPickItem & { folder?: string };
        const items: Item[] = [
          { label: '$(cloud-download) New fetch…' },
          ...partial.map((p) => ({ label: `$(debug-continue) Resume ${path.basename(p.folder)}`, description: `${p.fetched.toLocaleString()} of ${p.total?.toLocaleString() ?? '?'} ${p.total === 1 ? 'offense' : 'offenses'}`, folder: p.folder })),
        ];
        const pick = await vscode.window.showQuickPick(items, { title: 'SOC: Fetch QRadar Offenses', placeHolder: 'Partial fetches can be resumed' });
        if (!pick) return undefined;
        if (pick.folder) return resumeCommand(vscode.Uri.file(pick.folder));
      }
      time = await pickTimeRange('SOC: Fetch QRadar Offenses');
      if (!time) return undefined;
    }
    const statuses = a.statuses ?? (a.from !== undefined ? [] : await pickStatuses());
    if (!statuses) return undefined;
    const c = await makeClient();
    if (!c) return undefined;
    // what runs this fetch again (Retry): the same window and statuses, and the folder only when one was given (else a
    // new one named for the new fetch time)
    const retry: FetchArgs = { from: time.fromMs, to: time.toMs, statuses, ...(a.folder ? { folder: a.folder } : {}), ...(a.open === false ? { open: false } : {}) };
    let folder = a.folder;
    if (!folder) {
      const root = workspaceRoot();
      if (root) folder = path.join(root, OUTPUT_FOLDER, fetchStem(time, Date.now()));
      else {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Save Offenses Here', title: 'Folder for the fetched offenses' });
        if (!picked?.[0]) {
          c.client.close();
          return undefined;
        }
        folder = path.join(picked[0].fsPath, fetchStem(time, Date.now()));
      }
    }
    const file = path.join(folder, 'offenses.json');
    write('info', `QRadar fetch from ${c.origin}: ${time.label}, statuses ${statuses.length ? statuses.join(',') : 'all'} → ${file}`);
    return runFetch(c, file, { query: { fromMs: time.fromMs, toMs: time.toMs, statuses, pageSize: c.pageSize } }, a.open !== false, retry);
  }

  async function resumeCommand(target?: vscode.Uri | { folder?: string; open?: boolean }): Promise<FetchCommandResult | undefined> {
    if (!trusted()) return undefined;
    let folder: string | undefined;
    let open = true;
    if (target instanceof vscode.Uri) folder = target.fsPath;
    else if (target && typeof target === 'object') {
      folder = target.folder;
      open = target.open !== false;
    }
    if (!folder) {
      if (!(await connection())) return undefined;
      const partial = await partialFetches();
      if (!partial.length) {
        void vscode.window.showInformationMessage('SOC Analytics: no partial QRadar fetch in this workspace.');
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        partial.map((p) => ({ label: path.basename(p.folder), description: `${p.fetched.toLocaleString()} of ${p.total?.toLocaleString() ?? '?'} ${p.total === 1 ? 'offense' : 'offenses'}`, folder: p.folder })),
        { title: 'SOC: Resume QRadar Fetch' },
      );
      if (!pick) return undefined;
      folder = pick.folder;
    }
    const st = await fsp.stat(folder).catch(() => undefined);
    const file = st?.isDirectory() ? path.join(folder, 'offenses.json') : folder.replace(/\.manifest\.json$/i, '.json');
    const c = await makeClient();
    if (!c) return undefined;
    return runFetch(c, file, { resume: true }, open);
  }

  // ---------------------------------------------------------------- Ariel counts

  async function countCommand(args?: { group?: ArielGroup; from?: string | number; to?: string | number; offenseId?: number; out?: string; open?: boolean }): Promise<{ file: string; rows: number; analysis?: unknown } | undefined> {
    if (!trusted()) return undefined;
    // console URL and token first: no question is asked for a count that cannot run
    if (!(await connection())) return undefined;
    const a = args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {};
    let group = a.group;
    let offenseId = a.offenseId;
    if (!group) {
      type Item = vscode.QuickPickItem & { g: ArielGroup; offense?: boolean };
      const items: Item[] = [
        { label: 'Events per day', description: 'DATEFORMAT(starttime) — console time zone', g: 'day' },
        { label: 'Events per hour', description: 'DATEFORMAT(starttime) — console time zone', g: 'hour' },
        { label: 'Events per event name', description: 'QIDNAME(qid)', g: 'eventName' },
        { label: 'Events per log source', description: 'LOGSOURCENAME(logsourceid)', g: 'logSource' },
        { label: 'Events per source IP', description: 'sourceip', g: 'sourceIp' },
        { label: 'Events of one offense, per event name', description: 'INOFFENSE(id)', g: 'eventName', offense: true },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'SOC: Count Events in QRadar (AQL)', placeHolder: 'Grouped count computed by QRadar (SUM(eventcount))' });
      if (!pick) return undefined;
      group = pick.g;
      if (pick.offense) {
        const v = await vscode.window.showInputBox({ title: 'Offense id', validateInput: (s) => (/^\d+$/.test(s.trim()) ? undefined : 'An offense id (digits)') });
        if (!v) return undefined;
        offenseId = Number(v.trim());
      }
    }
    let time: Time | undefined;
    try {
      time = timeFromArgs(a) ?? (await pickTimeRange('SOC: Count Events in QRadar (AQL)'));
    } catch (e) {
      showError('bad time range', e);
      return undefined;
    }
    if (!time) return undefined;
    const spec: ArielCountSpec = { group, fromMs: time.fromMs, toMs: time.toMs, offenseId };
    let aql: string;
    try {
      aql = buildCountAql(spec);
    } catch (e) {
      showError('bad count', e);
      return undefined;
    }
    const c = await makeClient();
    if (!c) return undefined;
    const root = workspaceRoot();
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
    const name = `${ARIEL_GROUPS[group].key}${offenseId !== undefined ? `_offense-${offenseId}` : ''}_${fetchStem(time, Date.now()).replace(/^offenses_|_fetched-.*$/g, '')}_${stamp}.ariel-counts.json`;
    const out = a.out ?? path.join(root ?? os.tmpdir(), OUTPUT_FOLDER, 'counts', name);
    write('info', `QRadar Ariel count from ${c.origin}: ${aql}`);
    try {
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: notificationSafe(`SOC: Counting events in QRadar (${ARIEL_GROUPS[group].title.toLowerCase()})`), cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          try {
            return await runArielSearch(c.client, aql, {
              signal: ac.signal,
              onStatus: (s) => progress.report({ message: notificationSafe(`Ariel search ${s.status}${s.progress !== undefined ? ` ${s.progress}%` : ''}`) }),
              onRows: (n, t) => progress.report({ message: `${n.toLocaleString()} of ${t?.toLocaleString() ?? '?'} result ${t === 1 ? 'row' : 'rows'}` }),
              onCleanupFailed: (m) => write('warn', `QRadar Ariel count: ${m}`),
            });
          } finally {
            sub.dispose();
          }
        },
      );
      await fsp.mkdir(path.dirname(out), { recursive: true });
      await fsp.writeFile(out, `${JSON.stringify(countFile(c.origin, spec, aql, run, Date.now()), null, 1)}\n`, 'utf8');
      write('info', `QRadar Ariel count: ${run.rows.length} ${run.rows.length === 1 ? 'group' : 'groups'} written to ${out}`);
      for (const w of run.rowWarnings) write('warn', `QRadar Ariel count: ${w}`);
      // a partial result, in one short sentence (the row bound cut rows: logged with the row warnings above; the search
      // reported errors), the whole in the log
      if (run.warnings.length) write('warn', `QRadar Ariel count: the search completed with error messages: ${run.warnings.join('; ')}`);
      const partial = arielPartialNotice(run.rowLimit?.cut, run.warnings.length);
      if (partial) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: ${partial}`), 'Show Log').then((c) => c && log.show());
      const res: { file: string; rows: number; analysis?: unknown } = { file: out, rows: run.rows.length };
      if (a.open !== false) res.analysis = await deps.openCounts(vscode.Uri.file(out));
      return res;
    } catch (e) {
      if (e instanceof QRadarApiError && e.kind === 'cancelled') {
        write('info', 'QRadar Ariel count cancelled (the search it created is deleted from the console; a warning follows if that failed)');
        return undefined;
      }
      showError('QRadar count failed', e);
      return undefined;
    } finally {
      c.client.close();
    }
  }

  return [
    vscode.commands.registerCommand('socAnalytics.setQRadarToken', (args?: { token?: string; consoleUrl?: string }) => setToken(args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : undefined)),
    vscode.commands.registerCommand('socAnalytics.clearQRadarToken', () => clearToken()),
    vscode.commands.registerCommand('socAnalytics.fetchQRadarOffenses', (args?: FetchArgs) => fetchCommand(args)),
    vscode.commands.registerCommand('socAnalytics.resumeQRadarFetch', (target?: vscode.Uri | { folder?: string; open?: boolean }) => resumeCommand(target)),
    vscode.commands.registerCommand('socAnalytics.countQRadarEvents', (args?: Parameters<typeof countCommand>[0]) => countCommand(args)),
    /** Hidden (not contributed): the lines this module logged, for the integration test's token scan. */
    vscode.commands.registerCommand('socAnalytics.test.qradarApiLog', () => [...recent]),
  ];
}
