/**
 * QRadar in a real VS Code extension host: `socAnalytics.analyzeQRadar` on the shared sample offenses
 * + closing reasons + offense types (shared/data/qradar/samples; no CSV, so no console-zone question),
 * then the dashboard webview must report cards equal to the numbers of the sample file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitRendered, webviewTab, workspacePath, type AnalyzeResult, SHARED } from './helpers';

const SAMPLES = path.join(SHARED, 'data/qradar/samples');

const cardNumber = (t: string | undefined) => Number((t ?? '').replace(/[^\d]/g, '') || NaN);

describe('QRadar offenses dashboard (real VS Code)', () => {
  it('registers SOC: Analyze QRadar Offenses…', async () => {
    await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('socAnalytics.analyzeQRadar'));
  });

  it('analyses the sample offenses and the dashboard shows 6 offenses: 3 open, 1 hidden, 2 closed, 1 false positive', async () => {
    const files = ['offenses.json', 'offense_closing_reasons.json', 'offense_types.json'].map((f) => vscode.Uri.file(path.join(SAMPLES, f)));
    const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeQRadar', files[0], files);
    assert.ok(result, 'analyzeQRadar returned nothing');
    assert.deepEqual(
      { files: result.summary.files, offenses: result.summary.offenses, open: result.summary.open, hidden: result.summary.hidden, closed: result.summary.closed, falsePositive: result.summary.falsePositive, escalated: result.summary.escalated },
      { files: 3, offenses: 6, open: 3, hidden: 1, closed: 2, falsePositive: 1, escalated: 0 },
    );
    const tab = await webviewTab('a webview tab titled "QRadar: …"', /^QRadar/);
    assert.ok(tab);
    const rendered = await waitRendered(result.analysisId, 'the QRadar dashboard to report its cards', (r) => r.cards && r.cards.offenses !== undefined && r.visibleRows > 0);
    console.log(`    rendered: ${JSON.stringify(rendered)}`);
    assert.equal(cardNumber(rendered.cards.offenses), 6);
    assert.equal(cardNumber(rendered.cards.open), 3);
    assert.equal(cardNumber(rendered.cards.hidden), 1);
    assert.equal(cardNumber(rendered.cards.closed), 2);
    assert.equal(cardNumber(rendered.cards.falsePositive), 1);
    assert.equal(cardNumber(rendered.cards.escalated), 0);
    assert.equal(rendered.cards.fpRate, '50%');
    assert.equal(rendered.cards.first, '2026-03-02');
    assert.equal(rendered.cards.last, '2026-03-08');
    assert.equal(rendered.totalRows, 6);
    assert.ok(rendered.visibleRows > 0 && rendered.visibleRows <= 6);
  });
  it('the console-zone question for a CSV export saves nothing on Enter alone (no zone is pre-selected)', async () => {
    const dir = path.join(workspacePath(), `qradar-csv-${Date.now()}`);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(SAMPLES, 'log_activity_export.csv'), path.join(dir, 'log_activity_export.csv'));
    const cfg = () => vscode.workspace.getConfiguration('socAnalytics.qradar');
    const before = cfg().inspect<string>('consoleTimeZone')?.globalValue;
    await cfg().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Global);
    try {
      let done = false;
      const uri = vscode.Uri.file(dir);
      const run = Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeQRadar', uri, [uri])).finally(() => (done = true));
      // Enter, again and again, as a hurried analyst would: the question stays open and nothing is saved
      for (let i = 0; i < 8 && !done; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      assert.equal(done, false, 'Enter alone answered the console-zone question');
      assert.equal(cfg().inspect<string>('consoleTimeZone')?.globalValue, undefined, 'a zone was saved without a choice');
      // dismissed: the analysis goes on in this machine's zone (with a warning), still nothing saved
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      const result = await run;
      assert.ok(result, 'analyzeQRadar returned nothing after the question was dismissed');
      assert.equal(cfg().inspect<string>('consoleTimeZone')?.globalValue, undefined);
    } finally {
      await cfg().update('consoleTimeZone', before, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
