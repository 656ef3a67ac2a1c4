/**
 * New-user trial: Loki dashboard → Rules → `Hash IOC: DCSO Vuln List …` → Export CSV wrote the findings without the
 * SHA1 the IOC matched: Export CSV writes the shown columns, and SHA1/SHA256 are hidden by default, while the README
 * says a findings export writes "the name in Rule and the hash in SHA1, MD5, SHA256". Now the hash columns are
 * in every findings export (ColumnDef.alwaysExported), each after the column before it in the table's order.
 * The extension's Export CSV runs as compiled with the stand-in `vscode` module (./vscode-stand-in).
 */
import { panels, ui } from './vscode-stand-in';
import { describe, it, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import type * as vscodeTypes from 'vscode';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { exportColumns, TableStore } from '../../src/core/table/store';
import type { ColumnDef } from '../../src/shared/protocol';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
const DATA = path.resolve(__dirname, '../../../../shared/data');
const LOKI = path.join(DATA, 'loki/real-2021-2022/scan_result (1).log');
const SHA1 = '66178d4a9279ebb1cd1eb79c10dc204b4199f061';
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-export-hashes-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await tick(10);
}

afterEach(() => {
  DashboardPanel.disposeAll();
  ui.saveAnswer = undefined;
  ui.saveDialogs.length = 0;
  ui.infos.length = 0;
  ui.workspaceFolders.length = 0;
});

describe('a findings export always has the hashes (MD5, SHA1, SHA256)', () => {
  it('Rules → Hash IOC: DCSO Vuln List … → Export CSV with the default columns: the SHA1 the IOC matched is in the file', async () => {
    const a = await runLokiAnalysis([LOKI]);
    const columns = lokiFindingColumns('UTC', a.files, a.rules);
    const findings = a.findings.slice();
    const store = new TableStore(findings, columns);
    const model = buildLokiDashboard(a, 'loki', 'UTC');
    // the webview sends the shown columns: the model's columns not hidden
    const shown = model.columns.filter((c) => !c.hidden).map((c) => c.id);
    assert.ok(!shown.includes('sha1') && !shown.includes('sha256'), 'SHA1 and SHA256 are hidden by default');
    assert.deepEqual(model.columns.filter((c) => c.alwaysExported).map((c) => c.id), ['md5', 'sha1', 'sha256'], 'the webview knows (its tooltip says so)');
    const ws = path.join(TMP, 'ws');
    fs.mkdirSync(ws, { recursive: true });
    ui.workspaceFolders.push(ws);
    const source: DashboardSource = {
      panelTitle: 'Loki',
      model,
      rows: findings,
      columns: columns as DashboardSource['columns'],
      store: store as DashboardSource['store'],
      detail: () => ({}) as never,
      exportName: 'loki-findings.csv',
      rowNoun: 'findings',
      exportDir: ws,
    };
    const host: PanelHost = { getSource: async () => source, displayZone: () => 'UTC', log: () => undefined };
    DashboardPanel.show(vscode.Uri.file('/ext'), host, 'loki-hashes');
    const w = panels[panels.length - 1];
    w.send({ type: 'ready' }, 1);
    await until(() => w.posted.some((m) => m.body.type === 'model'));
    const target = path.join(ws, 'soc-exports', 'loki-findings.csv');
    ui.saveAnswer = target;
    // the Rules row's click: the findings filtered by the rule's key (the hash)
    const rule = a.rules.find((r) => /DCSO Vuln List/.test(r.description ?? ''));
    assert.ok(rule, 'the sample has the DCSO hash IOC');
    w.send({ type: 'exportCsv', query: { facets: { rule: rule.rule } }, columns: shown }, 2);
    await until(() => w.posted.some((m) => m.body.type === 'ack'));
    const back = parse(fs.readFileSync(target, 'utf8').slice(1)) as string[][];
    const head = back[0];
    assert.ok(back.length >= 2, 'the rule has findings');
    // MD5 where it is shown, SHA1 and SHA256 right after it (the table's order)
    assert.deepEqual(head.slice(head.indexOf('MD5'), head.indexOf('MD5') + 3), ['MD5', 'SHA1', 'SHA256']);
    for (const r of back.slice(1)) {
      assert.match(r[head.indexOf('Rule')], /^Hash IOC: DCSO Vuln List/);
      assert.equal(r[head.indexOf('SHA1')].toLowerCase(), SHA1);
      assert.match(r[head.indexOf('SHA256')], /^[0-9a-f]{64}$/i);
    }
  });

  it('exportColumns: the chosen columns in their order; an always-exported column not chosen after the nearest written column before it', () => {
    const c = (id: string, more: Partial<ColumnDef> = {}): ColumnDef => ({ id, title: id.toUpperCase(), type: 'text', ...more });
    const all = [c('level'), c('rule'), c('md5', { alwaysExported: true }), c('sha1', { hidden: true, alwaysExported: true }), c('sha256', { hidden: true, alwaysExported: true }), c('source')];
    const ids = (cols: ColumnDef[]) => cols.map((x) => x.id);
    assert.deepEqual(ids(exportColumns(all, ['level', 'rule', 'md5', 'source'])), ['level', 'rule', 'md5', 'sha1', 'sha256', 'source']);
    assert.deepEqual(ids(exportColumns(all, ['source', 'rule'])), ['source', 'rule', 'md5', 'sha1', 'sha256']);
    assert.deepEqual(ids(exportColumns(all, ['source'])), ['md5', 'sha1', 'sha256', 'source']);
    assert.deepEqual(ids(exportColumns(all, ['sha256', 'level'])), ['sha256', 'level', 'md5', 'sha1']);
    // nothing chosen (or nothing known): the columns not hidden, and the hashes
    assert.deepEqual(ids(exportColumns(all, [])), ['level', 'rule', 'md5', 'sha1', 'sha256', 'source']);
    assert.deepEqual(ids(exportColumns(all, ['nope'])), ['level', 'rule', 'md5', 'sha1', 'sha256', 'source']);
    // a table without such columns: exactly the chosen ones
    assert.deepEqual(ids(exportColumns([c('a'), c('b', { hidden: true })], ['a'])), ['a']);
  });
});
