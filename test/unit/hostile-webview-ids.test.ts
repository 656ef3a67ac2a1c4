/**
 * Hostile review of the webview → host messages (src/core/webview-messages.ts, DashboardPanel.onMessage): the values
 * `savePng.name`, `exportTable.tableId` and `setZone.zone` come from the webview, which renders log content and is
 * untrusted. They were checked for type and length only, and written as they are into the *SOC Analytics* output
 * channel: `Saved chart <name> to …`, and the refusal of an unknown table id or zone (`Dashboard <id>: no table …`,
 * `… display time zone <zone>: unknown time zone …`). A value with a line break then wrote a second, forged log line
 * (`2026-12-06 10:00:00.000 [info] Exported table …` looks like the extension's own), and a CR, ESC or U+2028 could
 * overwrite or split a line in the log file. Each now goes to the log with control characters, line breaks (also
 * U+2028, U+2029, NEL) and bidi controls written as `\uXXXX`: one message is always one log line.
 * DashboardPanel runs as compiled, with the stand-in `vscode` module (./vscode-stand-in).
 */
import { panels, ui } from './vscode-stand-in';
import { describe, it, afterEach, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscodeTypes from 'vscode';
import { DashboardPanel, type DashboardSource, type PanelHost } from '../../src/extension/panels/dashboardPanel';
import { checkWebviewMessage } from '../../src/core/webview-messages';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode') as typeof vscodeTypes;
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-webview-ids-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A smallest real PNG (1×1, transparent), as the webview's chart export sends it. */
const PNG_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** Anything in a log message that ends, splits or rewrites its line, or drives a terminal: C0/C1 controls, DEL, LS, PS, bidi controls. */
// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A forged log line: a line break, then what the extension's own next line would look like. */
const FORGE = '\n2026-12-06 10:00:00.000 [info] Exported table kpi-sla (3 rows) to /tmp/x.csv';

function source(): DashboardSource {
  return {
    panelTitle: 'KPI',
    model: {
      kind: 'kpi',
      title: 'cases',
      zone: 'UTC',
      tables: [{ id: 'kpi-sla', title: 'SLA', columns: [{ id: 'team', title: 'Team' }], rows: [['Tier 1'], ['Tier 2'], ['Tier 3']] }],
    } as unknown as DashboardSource['model'],
    rows: [],
    columns: [],
    store: { warm() {}, prepare: async () => undefined, matching: () => [], window: () => ({ total: 0, ids: [], rows: [] }) } as unknown as DashboardSource['store'],
    detail: () => ({}) as never,
    exportName: 'cases.csv',
    rowNoun: 'cases',
    exportDir: TMP,
  };
}

afterEach(() => {
  DashboardPanel.disposeAll();
  ui.saveAnswer = undefined;
  ui.saveDialogs.length = 0;
  ui.infos.length = 0;
});

/** A dashboard open and loaded; `logs` holds every line it writes to the output channel. */
async function openDashboard(name: string) {
  const logs: string[] = [];
  const host: PanelHost = { getSource: async () => source(), displayZone: () => 'UTC', log: (m) => void logs.push(m) };
  DashboardPanel.show(vscode.Uri.file('/ext'), host, name);
  const w = panels[panels.length - 1];
  w.send({ type: 'ready' }, 1);
  await until(() => w.posted.some((m) => m.body.type === 'model'));
  return { w, logs };
}
/** Waits (up to 5 s) until `ok()` holds. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await tick(10);
}
const answered = (w: (typeof panels)[number], id: number) => w.posted.some((m) => m.inReplyTo === id && (m.body.type === 'ack' || m.body.type === 'error'));
function assertOneLineEach(logs: string[]): void {
  for (const l of logs) assert.doesNotMatch(l, NOT_ONE_LINE, `a log message that is not one line: ${JSON.stringify(l)}`);
}

describe('webview ids in the output channel: one message, one line', () => {
  it('savePng.name: "Saved chart <name>" shows line breaks, CR, ESC, U+2028 and U+202E as \\uXXXX', async () => {
    const { w, logs } = await openDashboard('png');
    const target = path.join(TMP, 'chart.png');
    ui.saveAnswer = target;
    w.send({ type: 'savePng', name: `Alerts per day${FORGE}\r\x1b[2K\u2028\u202e\x85`, dataUrl: PNG_URL }, 2);
    await until(() => answered(w, 2));
    assert.equal(fs.existsSync(target), true, 'the chart is saved');
    assert.deepEqual(
      logs.filter((l) => l.startsWith('Saved chart')),
      [`Saved chart Alerts per day\\u000a2026-12-06 10:00:00.000 [info] Exported table kpi-sla (3 rows) to /tmp/x.csv\\u000d\\u001b[2K\\u2028\\u202e\\u0085 to ${target}`],
    );
    assertOneLineEach(logs);
  });

  it('exportTable.tableId: an unknown table id is refused and logged on one line; a real one still exports', async () => {
    const { w, logs } = await openDashboard('table');
    w.send({ type: 'exportTable', tableId: `kpi-sla${FORGE}` }, 2);
    await until(() => answered(w, 2));
    const refusal = logs.filter((l) => l.includes('no table'));
    assert.equal(refusal.length, 1, logs.join(' | '));
    assert.match(refusal[0], /^Dashboard table: no table kpi-sla\\u000a2026-12-06 10:00:00\.000 \[info\] Exported table kpi-sla \(3 rows\) to \/tmp\/x\.csv$/);
    // the table of the model, with its own id, exports as before (its log line names it)
    const target = path.join(TMP, 'kpi-sla.csv');
    ui.saveAnswer = target;
    w.send({ type: 'exportTable', tableId: 'kpi-sla' }, 3);
    await until(() => answered(w, 3));
    assert.equal(fs.readFileSync(target, 'utf8'), '\ufeffTeam\r\nTier 1\r\nTier 2\r\nTier 3\r\n');
    assert.deepEqual(logs.filter((l) => l.startsWith('Exported table')), [`Exported table kpi-sla (3 rows) to ${target}`]);
    assertOneLineEach(logs);
  });

  it('setZone.zone: an unknown zone is refused and logged on one line', async () => {
    const { w, logs } = await openDashboard('zone');
    w.send({ type: 'setZone', zone: `Mars/Olympus${FORGE}\r\n\u2029x` }, 2);
    await until(() => answered(w, 2));
    const refusal = logs.filter((l) => l.includes('Mars/Olympus'));
    assert.equal(refusal.length, 1, logs.join(' | '));
    assert.match(refusal[0], /^Dashboard zone: display time zone Mars\/Olympus\\u000a2026-12-06 10:00:00\.000 \[info\] Exported table kpi-sla \(3 rows\) to \/tmp\/x\.csv\\u000d\\u000a\\u2029x: /);
    assertOneLineEach(logs);
    // the webview is answered with the error (shown there as text)
    assert.ok(w.posted.some((m) => m.inReplyTo === 2 && m.body.type === 'error'));
  });
});

describe('a webview log message: U+2028 and U+2029 are line breaks too', () => {
  it('the log message of the webview is one line also with the Unicode line and paragraph separators', () => {
    const c = checkWebviewMessage({ id: 1, body: { type: 'log', level: 'info', message: `chart drawn\u20282026-12-06 10:00:00.000 [error] forged\u2029x\n\x85y` } });
    assert.ok(c.ok);
    assert.deepEqual(c.body, { type: 'log', level: 'info', message: 'chart drawn\\u20282026-12-06 10:00:00.000 [error] forged\\u2029x\\u000a\\u0085y' });
  });

  it('every C0/C1 control, DEL, LS and PS is escaped; other text, backslashes included, is kept', () => {
    let all = '';
    for (let c = 0; c <= 0x9f; c++) if (c < 0x20 || c >= 0x7f) all += String.fromCharCode(c);
    all += '\u2028\u2029';
    const c = checkWebviewMessage({ id: 1, body: { type: 'log', message: all } });
    assert.ok(c.ok && c.body.type === 'log');
    assert.doesNotMatch(c.body.message, NOT_ONE_LINE);
    assert.equal(c.body.message, [...all].map((x) => `\\u${x.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
    const plain = checkWebviewMessage({ id: 1, body: { type: 'log', message: 'C:\\Users\\jdoe\\fx1.exe – 42 € ok' } });
    assert.ok(plain.ok && plain.body.type === 'log');
    assert.equal(plain.body.message, 'C:\\Users\\jdoe\\fx1.exe – 42 € ok');
  });
});
