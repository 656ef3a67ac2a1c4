/**
 * Dashboards of analyses whose result must be recomputed from the inputs, as after a window reload (the result is
 * dropped from memory with the TEST ONLY command `socAnalytics.test.memory(id, 'forget')` and the panel is opened
 * again): a re-load that fails shows why with a Retry (not "This analysis no longer exists" on a dead page), a display
 * zone changed during the re-load is the one the dashboard ends with, and removing the analysis during its re-load
 * cancels it and keeps nothing in memory.
 *
 * The input is a Loki log of a few thousand scans (the real `scan_result (3).log` repeated), analyzed with every scan
 * kept, so that a re-load lasts long enough for the zone change and the removal to happen while it runs.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewProbe } from '../../../src/shared/protocol';
import expected from '../expected.json';
import { activateExtension, poll, sleep, workspacePath, type AnalyzeResult } from './helpers';

interface Memory {
  loaded: boolean;
  loading: boolean;
}
interface Jobs {
  liveWorkers: number;
  runningJobs: number;
  analyses: number;
}
const memory = (id: string, action?: 'forget') => Promise.resolve(vscode.commands.executeCommand<Memory | undefined>('socAnalytics.test.memory', id, action));
const probe = (id: string, click?: string) => Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', id, undefined, click));
const jobs = () => Promise.resolve(vscode.commands.executeCommand<Jobs>('socAnalytics.test.jobs'));
const cfg = () => vscode.workspace.getConfiguration('socAnalytics');
const FILE = 'reload-scans.log';

/** The dashboard of `id`, once its table shows rows (the probe answers only when the page is ready). */
function dashboardShown(id: string, what: string): Promise<WebviewProbe> {
  return poll(what, async () => {
    const p = await probe(id);
    return p?.table?.firstRows.length && !/could not be loaded/.test(p.text) ? p : undefined;
  });
}

/** Closes the dashboard tab of the input and drops the result from memory: what a window reload leaves. */
async function asAfterReload(id: string): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.includes(FILE));
  await vscode.window.tabGroups.close(tabs);
  await poll('the dashboard closed', async () => ((await probe(id)) === undefined ? true : undefined));
  const m = await memory(id, 'forget');
  assert.deepEqual(m, { loaded: false, loading: false });
}

describe('Dashboards re-loaded after a window reload', () => {
  let dir = '';
  let file = '';
  let content = '';
  let id = '';

  before(async () => {
    await activateExtension('soc-analytics not found');
    await cfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    dir = path.join(workspacePath(), `reload-${Date.now()}`);
    await fsp.mkdir(dir, { recursive: true });
    file = path.join(dir, FILE);
    const one = await fsp.readFile(path.join(workspacePath(), expected.dataFolder, expected.singleFile.name), 'utf8');
    content = one.repeat(3000);
    await fsp.writeFile(file, content);
    const uri = vscode.Uri.file(file);
    const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLokiAllScans', uri, [uri]);
    assert.ok(r, 'analyzeLokiAllScans returned nothing');
    id = r.analysisId;
    await dashboardShown(id, 'the first dashboard');
  });

  after(async () => {
    await cfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('a re-load whose input was deleted shows the failure with a Retry that works once the file is back', async () => {
    await asAfterReload(id);
    await fsp.rm(file);
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    const failed = await poll('the page of the failed load', async () => {
      const p = await probe(id);
      return p && /could not be loaded/.test(p.text) ? p : undefined;
    });
    console.log(`    failure page: ${failed.text.slice(0, 240)}`);
    assert.doesNotMatch(failed.text, /no longer exists/);
    assert.match(failed.text, new RegExp(`None of the inputs of “${FILE.replace(/\./g, '\\.')} \\(all scans\\)” could be read`));
    assert.match(failed.text, /Retry/);
    assert.ok(await vscode.commands.executeCommand('socAnalytics.test.treeLine', id), 'the analysis is still in the Results view');
    assert.equal((await memory(id))?.loaded, false);

    await fsp.writeFile(file, content);
    const clicked = await probe(id, 'retry'); // the Retry button, pressed
    assert.ok(clicked, 'the failure page answers');
    const shown = await dashboardShown(id, 'the dashboard after Retry');
    assert.doesNotMatch(shown.text, /could not be loaded/);
    assert.equal((await memory(id))?.loaded, true);
  });

  it('a display zone changed while the dashboard re-loads is the zone it ends with', async () => {
    await asAfterReload(id);
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    await poll('the re-load running', async () => ((await memory(id))?.loading ? true : undefined), 30000, { intervalMs: 10 });
    const t0 = Date.now();
    await cfg().update('displayTimeZone', 'Europe/Berlin', vscode.ConfigurationTarget.Global);
    const stillLoading = (await memory(id))?.loading;
    console.log(`    zone changed ${Date.now() - t0} ms after the re-load started; still loading then: ${stillLoading}`);
    const shown = await poll('the dashboard in Europe/Berlin', async () => {
      const p = await probe(id);
      return p?.table?.firstRows.length && /Time \(Europe\/Berlin\)/.test(p.text) ? p : undefined;
    });
    await sleep(1500); // nothing older arrives afterwards
    const later = (await probe(id)) ?? shown;
    assert.match(later.text, /Time \(Europe\/Berlin\)/);
    assert.doesNotMatch(later.text, /Time \(UTC\)/);
    await cfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    await poll('the dashboard back in UTC', async () => {
      const p = await probe(id);
      return p && /Time \(UTC\)/.test(p.text) ? true : undefined;
    });
  });

  it('removing an analysis during its re-load cancels it and keeps nothing in memory', async () => {
    await asAfterReload(id);
    await vscode.commands.executeCommand('socAnalytics.openAnalysis', id);
    await poll('the re-load running', async () => ((await memory(id))?.loading ? true : undefined), 30000, { intervalMs: 10 });
    await vscode.commands.executeCommand('socAnalytics.removeAnalysis', { meta: { id } });
    await poll('no job running', async () => {
      const j = await jobs();
      return j.runningJobs === 0 && j.liveWorkers === 0 ? true : undefined;
    });
    await sleep(500);
    assert.deepEqual(await memory(id), { loaded: false, loading: false });
    assert.equal(await vscode.commands.executeCommand('socAnalytics.test.treeLine', id), undefined);
  });
});
