/**
 * QRadar REST API in a real VS Code extension host (issue #4): a mock QRadar console on 127.0.0.1
 * (test/unit/qradar-api-mock.ts, plain HTTP on loopback) serving the shared sample offenses, closing
 * reasons and offense types. The token is set through `socAnalytics.setQRadarToken` (its input given
 * as the command argument instead of the password box), offenses are fetched with
 * `socAnalytics.fetchQRadarOffenses`, opened in the QRadar dashboard, an Ariel count is run, and the
 * token must appear nowhere: not in settings, not in any workspace file, not in the log lines.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockQRadar, type MockServer } from '../../unit/qradar-api-mock';
import type { FetchCommandResult as FetchResultOfCommand } from '../../../src/extension/qradar-api';
import { activateExtension, SHARED } from './helpers';

const SAMPLES = path.join(SHARED, 'data/qradar/samples');
const TOKEN = 'SECtok-integration-4b1d9e2a-77c3-4f0e-b6a8-1c2d3e4f5a6b';
const readJson = (f: string) => JSON.parse(fs.readFileSync(path.join(SAMPLES, f), 'utf8')) as Record<string, unknown>[];

type FetchCommandResult = FetchResultOfCommand & { analysis?: { analysisId: string; summary: Record<string, number> } };

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && fs.statSync(p).size < 20 * 1024 * 1024) out.push(p);
  }
  return out;
}

describe('QRadar REST API fetch (real VS Code, mock console on 127.0.0.1)', () => {
  let server: MockServer;
  let root: string;
  before(async () => {
    await activateExtension();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    server = await startMockQRadar({
      token: TOKEN,
      offenses: readJson('offenses.json'),
      closingReasons: readJson('offense_closing_reasons.json'),
      offenseTypes: readJson('offense_types.json'),
      arielRows: () => (JSON.parse(fs.readFileSync(path.join(SAMPLES, 'ariel_search_results.json'), 'utf8')) as { events: Record<string, unknown>[] }).events,
    });
    await vscode.workspace.getConfiguration('socAnalytics.qradar').update('consoleUrl', server.url, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('socAnalytics.qradar').update('consoleUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await server?.close();
  });

  it('contributes the QRadar API commands and settings', async () => {
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['socAnalytics.fetchQRadarOffenses', 'socAnalytics.countQRadarEvents', 'socAnalytics.setQRadarToken', 'socAnalytics.clearQRadarToken', 'socAnalytics.resumeQRadarFetch', 'socAnalytics.analyzeQRadar']) {
      assert.ok(cmds.includes(c), c);
    }
    const cfg = vscode.workspace.getConfiguration('socAnalytics.qradar');
    assert.equal(cfg.get('allowInsecureTls'), false);
    assert.equal(cfg.get('apiVersion'), '20.0');
    assert.equal(cfg.get('consoleUrl'), server.url);
  });

  it('sets the token in Secret Storage, fetches the six sample offenses and opens them in the QRadar dashboard', async () => {
    assert.equal(await vscode.commands.executeCommand('socAnalytics.setQRadarToken', { token: TOKEN }), true);
    const r = await vscode.commands.executeCommand<FetchCommandResult>('socAnalytics.fetchQRadarOffenses', { from: '2026-03-02T00:00Z', to: '2026-03-09T00:00Z' });
    assert.ok(r, 'the fetch command returned nothing');
    assert.equal(r.complete, true, r.error);
    assert.equal(r.fetched, 6);
    assert.equal(r.reportedTotal, 6);
    assert.ok(r.folder.startsWith(path.join(root, 'qradar', 'offenses_20260302T0000Z_20260309T0000Z_fetched-')), r.folder);
    const offenses = JSON.parse(fs.readFileSync(r.file, 'utf8')) as { id: number }[];
    assert.deepEqual(offenses.map((o) => o.id), [4101, 4102, 4103, 4104, 4105, 4106]);
    const manifest = JSON.parse(fs.readFileSync(path.join(r.folder, 'offenses.manifest.json'), 'utf8')) as { status: string; console: string; offenses: { fetched: number } };
    assert.deepEqual([manifest.status, manifest.console, manifest.offenses.fetched], ['complete', server.url, 6]);
    assert.ok(r.analysis, 'the QRadar dashboard was not opened');
    const s = r.analysis.summary;
    assert.deepEqual({ offenses: s.offenses, open: s.open, hidden: s.hidden, closed: s.closed, falsePositive: s.falsePositive }, { offenses: 6, open: 3, hidden: 1, closed: 2, falsePositive: 1 });
    assert.ok(server.requests.every((q) => q.sec), 'every request carried the SEC header');
  });

  it('runs an Ariel count and opens it in the count dashboard (37 events)', async () => {
    const r = await vscode.commands.executeCommand<{ file: string; rows: number; analysis?: { summary: Record<string, number> } }>('socAnalytics.countQRadarEvents', {
      group: 'eventName',
      from: 1772540000000,
      to: 1772620000000,
      offenseId: 4102,
    });
    assert.ok(r, 'the count command returned nothing');
    assert.equal(r.rows, 3);
    assert.ok(r.file.startsWith(path.join(root, 'qradar', 'counts')));
    assert.deepEqual(r.analysis?.summary, { files: 1, groups: 3, events: 37, errors: 0 });
  });

  it('the token appears in no setting, no workspace file and no log line', async () => {
    const settings = JSON.stringify(vscode.workspace.getConfiguration('socAnalytics'));
    assert.equal(settings.includes(TOKEN), false);
    const files = walk(root);
    assert.ok(files.some((f) => f.endsWith('offenses.manifest.json')));
    for (const f of files) assert.equal(fs.readFileSync(f, 'utf8').includes(TOKEN), false, `token found in ${f}`);
    const lines = await vscode.commands.executeCommand<string[]>('socAnalytics.test.qradarApiLog');
    assert.ok(lines.some((l) => /QRadar GET http:\/\/127\.0\.0\.1:\d+\/api\/siem\/offenses\?.* → 200 \[items 0-5\/6\]/.test(l)), lines.join('\n'));
    for (const l of lines) assert.equal(l.includes(TOKEN), false, l);
  });

  it('clearing the token stops further fetches', async () => {
    assert.equal(await vscode.commands.executeCommand('socAnalytics.clearQRadarToken'), 1);
    const before = server.requests.length;
    const r = await vscode.commands.executeCommand('socAnalytics.fetchQRadarOffenses', { from: '2026-03-02T00:00Z', to: '2026-03-09T00:00Z', open: false });
    assert.equal(r, undefined);
    assert.equal(server.requests.length, before, 'no request without a token');
  });

  it('Fetch Offenses and Count Events check the console URL and the token before asking anything', async () => {
    /** Resolves with the command's result, or rejects when it was still waiting (for a question) after 3 s. */
    const noQuestion = async (command: string): Promise<unknown> => {
      let done = false;
      const run = Promise.resolve(vscode.commands.executeCommand(command)).finally(() => (done = true));
      for (let i = 0; i < 30 && !done; i++) await new Promise((r) => setTimeout(r, 100));
      if (!done) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await run;
        assert.fail(`${command} asked a question before checking the console URL and the token`);
      }
      return run;
    };
    // no token (cleared above) for the configured console
    for (const c of ['socAnalytics.fetchQRadarOffenses', 'socAnalytics.countQRadarEvents']) assert.equal(await noQuestion(c), undefined, c);
    let lines = await vscode.commands.executeCommand<string[]>('socAnalytics.test.qradarApiLog');
    assert.match(lines.slice(-1)[0], /^\[error\] QRadar: no API token is stored for http:\/\/127\.0\.0\.1:\d+$/);
    // no console URL
    const cfg = vscode.workspace.getConfiguration('socAnalytics.qradar');
    await cfg.update('consoleUrl', undefined, vscode.ConfigurationTarget.Workspace);
    try {
      for (const c of ['socAnalytics.fetchQRadarOffenses', 'socAnalytics.countQRadarEvents']) assert.equal(await noQuestion(c), undefined, c);
      lines = await vscode.commands.executeCommand<string[]>('socAnalytics.test.qradarApiLog');
      assert.deepEqual(lines.slice(-2), ['[error] QRadar: no console URL is set (socAnalytics.qradar.consoleUrl)', '[error] QRadar: no console URL is set (socAnalytics.qradar.consoleUrl)']);
    } finally {
      await cfg.update('consoleUrl', server.url, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a fetch refused before the first offense (401) says so and keeps no file (nothing to resume)', async () => {
    assert.equal(await vscode.commands.executeCommand('socAnalytics.setQRadarToken', { token: 'not-the-token' }), true);
    try {
      const r = await vscode.commands.executeCommand<FetchCommandResult>('socAnalytics.fetchQRadarOffenses', { from: '2026-03-02T00:00Z', to: '2026-03-09T00:00Z' });
      assert.equal(r.complete, false);
      assert.equal(r.fetched, 0);
      // not one page: the offenses file, its manifest and the folder the fetch made are gone (they were `[]` + a partial
      // manifest that every later analysis of the folder reported as a failed fetch)
      assert.equal(r.discarded, true);
      assert.equal(fs.existsSync(r.file), false, r.file);
      assert.equal(fs.existsSync(r.folder), false, r.folder);
      const lines = await vscode.commands.executeCommand<string[]>('socAnalytics.test.qradarApiLog');
      const last = lines.filter((l) => l.startsWith('[error] SOC Analytics: QRadar fetch')).pop() ?? '';
      assert.match(last, /^\[error\] SOC Analytics: QRadar fetch failed: .*401.*\. Nothing was fetched, so nothing was kept\.$/);
      assert.ok(!last.includes('not-the-token'), 'the token is never logged');
      // the request line as the CLI's --verbose one: the status once, with QRadar's code and message
      const refused = lines.filter((l) => /^\[warn\] QRadar GET http:\/\/127\.0\.0\.1:\d+\/api\/siem\/offenses\?/.test(l));
      assert.ok(refused.length > 0, lines.join('\n'));
      assert.match(refused.pop()!, /^\[warn\] QRadar GET \S+ → HTTP 401 \(code 18\): The provided authorization token is not valid\. \(\d+ ms\)$/);
      assert.ok(!lines.some((l) => / → 401 /.test(l)), `the status twice: ${lines.join('\n')}`);
    } finally {
      await vscode.commands.executeCommand('socAnalytics.clearQRadarToken');
    }
  });
});
