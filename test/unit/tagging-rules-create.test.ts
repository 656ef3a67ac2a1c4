/**
 * `SOC: Create Tagging Rules File` (createTaggingRulesFile, stand-in `vscode`): a workspace without `.soc/tagging.json`
 * gets the seed rules, opened; one that has it keeps it byte for byte and is told so — a new user's trial: the command
 * opened the existing file without a word.
 */
import { settings, ui } from './vscode-stand-in';
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTaggingRulesFile } from '../../src/extension/kinds/kpi';

describe('SOC: Create Tagging Rules File', () => {
  afterEach(() => {
    settings.clear();
    ui.infos.length = 0;
    ui.shownDocuments.length = 0;
    ui.workspaceFolders = [];
  });

  it('no file yet: writes the seed rules and opens them, no message', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-tagging-'));
    ui.workspaceFolders = [ws];
    const file = await createTaggingRulesFile();
    assert.equal(file, path.join(ws, '.soc', 'tagging.json'));
    assert.ok(Array.isArray(JSON.parse(fs.readFileSync(file!, 'utf8')).rules));
    assert.deepEqual(ui.shownDocuments, [file]);
    assert.deepEqual(ui.infos, []);
  });

  it('the file exists: opened as it is (never overwritten), and an information message says so', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-tagging-'));
    fs.mkdirSync(path.join(ws, '.soc'));
    const mine = '{ "rules": [ { "tag": "mine", "match": { "title": "x" } } ] }\n';
    fs.writeFileSync(path.join(ws, '.soc', 'tagging.json'), mine);
    ui.workspaceFolders = [ws];
    const file = await createTaggingRulesFile();
    assert.equal(fs.readFileSync(file!, 'utf8'), mine);
    assert.deepEqual(ui.shownDocuments, [file]);
    assert.deepEqual(ui.infos, [{ message: 'SOC Analytics: .soc/tagging.json already exists; opened it.', items: [] }]);
  });

  it('the setting names another file that exists: that one is opened and named', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-tagging-'));
    fs.mkdirSync(path.join(ws, 'rules'));
    fs.writeFileSync(path.join(ws, 'rules', 'tags.json'), '{}\n');
    settings.set('socAnalytics.kpi.taggingRulesFile', 'rules/tags.json');
    ui.workspaceFolders = [ws];
    const file = await createTaggingRulesFile();
    assert.equal(file, path.join(ws, 'rules', 'tags.json'));
    assert.equal(fs.readFileSync(file!, 'utf8'), '{}\n');
    assert.deepEqual(ui.infos.map((i) => i.message), ['SOC Analytics: rules/tags.json already exists; opened it.']);
  });
});
