/**
 * QRadar in a real VS Code extension host: `socAnalytics.analyzeQRadar` on the shared sample offenses
 * + closing reasons + offense types (shared/data/qradar/samples; no CSV, so no console-zone question),
 * then the dashboard webview must report cards equal to the numbers of the sample file.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitRendered, webviewTab, type AnalyzeResult } from './helpers';

const SHARED = process.env.SOC_SHARED_DIR ? path.resolve(process.env.SOC_SHARED_DIR) : path.resolve(__dirname, '../../../shared');
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
});
