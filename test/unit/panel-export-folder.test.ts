/**
 * Export CSV from a dashboard (new-user trial): the first export attempt left an empty `soc-exports/` folder in the
 * workspace with no file in it (the folder was made before the save dialog opened, so also on cancel); a saved export
 * says where it went with Open / Reveal in Explorer. A later trial (QRadar): the dialog proposed a `soc-exports/` that
 * did not exist, and VS Code asked "The folder soc-exports does not exist. Would you like to create it?"; and nothing
 * said that only the filtered rows are exported (the file held 1 of 6 offenses). Now the folder exists while the
 * dialog is open and is removed again when nothing was written into it; the dialog's title and the notification say
 * "1 of 6 offenses (filtered)" or "all 6 offenses".
 * DashboardPanel runs as compiled, with the stand-in `vscode` module (./vscode-stand-in) and a real temp folder.
 */
import { panels, ui } from './vscode-stand-in';
import { describe, it, afterEach, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscodeTypes from 'vscode';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-export-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Row = { host: string; level: string };
const ROWS: Row[] = [
  { host: 'DS1', level: 'ALERT' },
  { host: 'Server1', level: 'WARNING' },
];
function source(inputs: string, matching: number[] = [0, 1]): DashboardSource {
  return {
    panelTitle: 'Loki',
    model: { kind: 'loki', title: 'loki-results', zone: 'UTC', tables: [] } as unknown as DashboardSource['model'],
    rows: ROWS,
    columns: [
      { id: 'host', title: 'Host', get: (r: Row) => r.host },
      { id: 'level', title: 'Level', get: (r: Row) => r.level },
    ] as unknown as DashboardSource['columns'],
    store: { warm() {}, prepare: async () => undefined, matching: () => matching, window: () => ({ total: 0, ids: [], rows: [] }) } as unknown as DashboardSource['store'],
    detail: () => ({}) as never,
    exportName: 'loki-findings.csv',
    rowNoun: 'findings',
    exportDir: inputs,
  };
}

afterEach(() => {
  DashboardPanel.disposeAll();
  ui.saveAnswer = undefined;
  ui.infoAnswer = undefined;
  ui.saveDialogs.length = 0;
  ui.infos.length = 0;
  ui.commands.length = 0;
  ui.workspaceFolders.length = 0;
});

/** A workspace with the Loki logs in `loki-results/`, its dashboard open and loaded. */
async function openDashboard(name: string, matching?: number[]) {
  const ws = path.join(TMP, name);
  const inputs = path.join(ws, 'loki-results');
  fs.mkdirSync(inputs, { recursive: true });
  ui.workspaceFolders.push(ws);
  const host: PanelHost = { getSource: async () => source(inputs, matching), displayZone: () => 'UTC', log: () => undefined };
  DashboardPanel.show(vscode.Uri.file('/ext'), host, name);
  const w = panels[panels.length - 1];
  w.send({ type: 'ready' }, 1);
  await until(() => w.posted.some((m) => m.body.type === 'model'));
  return { ws, w };
}
const acks = (w: (typeof panels)[number]) => w.posted.filter((m) => m.body.type === 'ack').map((m) => m.body.message);
/** Waits (up to 5 s) until `ok()` holds: the export's ack and the notification's answer come a few turns later. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await tick(10);
}

describe('Export CSV: soc-exports/ only when a file is written', () => {
  it('a cancelled save dialog leaves no soc-exports/ folder (the dialog proposed soc-exports/loki-findings.csv, the folder there while it was open)', async () => {
    const { ws, w } = await openDashboard('ws-cancel');
    w.send({ type: 'exportCsv', query: {}, columns: ['host', 'level'] }, 2);
    await until(() => acks(w).length > 0);
    assert.deepEqual(acks(w), ['cancelled']);
    assert.deepEqual(ui.saveDialogs, [{ defaultUri: path.join(ws, 'soc-exports', 'loki-findings.csv'), title: 'Export all 2 findings to CSV — file to save (folder and name)', folderExisted: true }]);
    assert.equal(fs.existsSync(path.join(ws, 'soc-exports')), false, 'no soc-exports/ after a cancelled export');
    assert.deepEqual(ui.infos, []);
  });

  it('a soc-exports/ that was there already is proposed and kept, even empty, after a cancelled dialog', async () => {
    const ws = path.join(TMP, 'ws-existing');
    fs.mkdirSync(path.join(ws, 'soc-exports'), { recursive: true });
    const { w } = await openDashboard('ws-existing');
    w.send({ type: 'exportCsv', query: {}, columns: ['host'] }, 2);
    await until(() => acks(w).length > 0);
    assert.deepEqual(acks(w), ['cancelled']);
    assert.equal(ui.saveDialogs[0].folderExisted, true);
    assert.equal(fs.existsSync(path.join(ws, 'soc-exports')), true, 'the user\'s own (empty) soc-exports/ is not removed');
  });

  it('a file saved elsewhere leaves no empty soc-exports/ behind', async () => {
    const { ws, w } = await openDashboard('ws-elsewhere');
    const target = path.join(ws, 'elsewhere.csv');
    ui.saveAnswer = target;
    w.send({ type: 'exportCsv', query: {}, columns: ['host', 'level'] }, 2);
    await until(() => acks(w).length > 0 && ui.infos.length > 0);
    assert.deepEqual(acks(w), ['exported 2']);
    assert.equal(ui.saveDialogs[0].folderExisted, true);
    assert.equal(fs.existsSync(target), true);
    assert.equal(fs.existsSync(path.join(ws, 'soc-exports')), false, 'the folder made for the dialog is gone again');
  });

  it('a soc-exports that cannot be made (a file of that name) is not proposed: the workspace folder is', async () => {
    const ws = path.join(TMP, 'ws-blocked');
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, 'soc-exports'), 'not a folder');
    const { w } = await openDashboard('ws-blocked');
    w.send({ type: 'exportCsv', query: {}, columns: ['host'] }, 2);
    await until(() => acks(w).length > 0);
    assert.deepEqual(ui.saveDialogs.map((d) => [d.defaultUri, d.folderExisted]), [[path.join(ws, 'loki-findings.csv'), true]]);
    assert.equal(fs.readFileSync(path.join(ws, 'soc-exports'), 'utf8'), 'not a folder');
  });

  it('with filters on, the dialog and the notification say "1 of 2 findings (filtered)" and the file holds that row', async () => {
    const { ws, w } = await openDashboard('ws-filtered', [1]);
    const target = path.join(ws, 'soc-exports', 'loki-findings.csv');
    ui.saveAnswer = target;
    w.send({ type: 'exportCsv', query: { facets: { level: 'WARNING' } }, columns: ['host', 'level'] }, 2);
    await until(() => acks(w).length > 0 && ui.infos.length > 0);
    assert.deepEqual(acks(w), ['exported 1']);
    assert.equal(ui.saveDialogs[0].title, 'Export 1 of 2 findings (filtered) to CSV — file to save (folder and name)');
    assert.equal(fs.readFileSync(target, 'utf8'), '\ufeffHost,Level\r\nServer1,WARNING\r\n');
    assert.deepEqual(ui.infos.map((i) => i.message), [`Exported 1 of 2 findings (filtered) to ${path.join('soc-exports', 'loki-findings.csv')}.`]);
  });

  it('a saved export makes soc-exports/, writes the file and names its path with Open and Reveal in Explorer', async () => {
    const { ws, w } = await openDashboard('ws-save');
    const target = path.join(ws, 'soc-exports', 'loki-findings.csv');
    ui.saveAnswer = target;
    ui.infoAnswer = 'Reveal in Explorer';
    w.send({ type: 'exportCsv', query: {}, columns: ['host', 'level'] }, 2);
    await until(() => acks(w).length > 0 && ui.commands.length > 0);
    assert.deepEqual(acks(w), ['exported 2']);
    assert.equal(fs.readFileSync(target, 'utf8'), '\ufeffHost,Level\r\nDS1,ALERT\r\nServer1,WARNING\r\n');
    assert.deepEqual(ui.infos, [{ message: `Exported all 2 findings to ${path.join('soc-exports', 'loki-findings.csv')}.`, items: ['Open', 'Reveal in Explorer'] }]);
    assert.deepEqual(
      ui.commands.map((c) => [c.command, (c.args[0] as vscodeTypes.Uri).fsPath]),
      [['revealInExplorer', target]],
    );
  });
});

describe('every export prompt says it takes a file (folder and name), not a folder', () => {
  // New-user trial: Cases → Export CSV in VS Code's path box showed its own placeholder "Folder path" while the box
  // held the file's path; the placeholder is VS Code's, the title is ours and says what to type.
  it('the big table, a small table and a chart PNG: each save dialog\'s title ends "— file to save (folder and name)"', async () => {
    const ws = path.join(TMP, 'ws-titles');
    const inputs = path.join(ws, 'cases');
    fs.mkdirSync(inputs, { recursive: true });
    ui.workspaceFolders.push(ws);
    const src = source(inputs);
    src.model = { ...src.model, kind: 'kpi', tables: [{ id: 'sla', title: 'SLA', columns: [{ id: 'a', title: 'A', type: 'text' }], rows: [['x']] }] } as unknown as DashboardSource['model'];
    src.rowNoun = 'cases';
    const host: PanelHost = { getSource: async () => src, displayZone: () => 'UTC', log: () => undefined };
    DashboardPanel.show(vscode.Uri.file('/ext'), host, 'ws-titles');
    const w = panels[panels.length - 1];
    w.send({ type: 'ready' }, 1);
    await until(() => w.posted.some((m) => m.body.type === 'model'));
    w.send({ type: 'exportCsv', query: {}, columns: ['host'] }, 2);
    await until(() => acks(w).length === 1);
    w.send({ type: 'exportTable', tableId: 'sla' }, 3);
    await until(() => acks(w).length === 2);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
    w.send({ type: 'savePng', name: 'Cases per tag', dataUrl: `data:image/png;base64,${png}` }, 4);
    await until(() => acks(w).length === 3);
    assert.deepEqual(acks(w), ['cancelled', 'cancelled', 'cancelled']);
    assert.deepEqual(
      ui.saveDialogs.map((d) => d.title),
      ['Export all 2 cases to CSV — file to save (folder and name)', 'Export “SLA” to CSV — file to save (folder and name)', 'Save chart as PNG — file to save (folder and name)'],
    );
  });
});
