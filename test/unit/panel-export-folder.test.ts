/**
 * Export CSV from a dashboard (new-user trial): the first export attempt left an empty `soc-exports/` folder in the
 * workspace with no file in it (the folder was made before the save dialog opened, so also on cancel). Now the
 * folder is made only when a file is written, and a saved export says where it went with Open / Reveal in Explorer.
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
function source(inputs: string): DashboardSource {
  return {
    panelTitle: 'Loki',
    model: { kind: 'loki', title: 'loki-results', zone: 'UTC', tables: [] } as unknown as DashboardSource['model'],
    rows: ROWS,
    columns: [
      { id: 'host', title: 'Host', get: (r: Row) => r.host },
      { id: 'level', title: 'Level', get: (r: Row) => r.level },
    ] as unknown as DashboardSource['columns'],
    store: { warm() {}, prepare: async () => undefined, matching: () => [0, 1], window: () => ({ total: 0, ids: [], rows: [] }) } as unknown as DashboardSource['store'],
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
async function openDashboard(name: string) {
  const ws = path.join(TMP, name);
  const inputs = path.join(ws, 'loki-results');
  fs.mkdirSync(inputs, { recursive: true });
  ui.workspaceFolders.push(ws);
  const host: PanelHost = { getSource: async () => source(inputs), displayZone: () => 'UTC', log: () => undefined };
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
  it('a cancelled save dialog leaves no soc-exports/ folder (the dialog still proposes soc-exports/loki-findings.csv)', async () => {
    const { ws, w } = await openDashboard('ws-cancel');
    w.send({ type: 'exportCsv', query: {}, columns: ['host', 'level'] }, 2);
    await until(() => acks(w).length > 0);
    assert.deepEqual(acks(w), ['cancelled']);
    assert.equal(ui.saveDialogs[0].defaultUri, path.join(ws, 'soc-exports', 'loki-findings.csv'));
    assert.equal(fs.existsSync(path.join(ws, 'soc-exports')), false, 'no soc-exports/ after a cancelled export');
    assert.deepEqual(ui.infos, []);
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
    assert.deepEqual(ui.infos, [{ message: `Exported 2 findings to ${path.join('soc-exports', 'loki-findings.csv')}.`, items: ['Open', 'Reveal in Explorer'] }]);
    assert.deepEqual(
      ui.commands.map((c) => [c.command, (c.args[0] as vscodeTypes.Uri).fsPath]),
      [['revealInExplorer', target]],
    );
  });
});
