/**
 * Where the extension reads and writes its settings, in a real VS Code extension host (code review):
 *  - the QRadar console zone is decided after the inputs are chosen, for those inputs only: palette → Browse… to a
 *    folder of CSV exports outside the workspace asks for the zone (it searched the workspace folders before the
 *    pick, found no CSV, and read every CSV time as UTC without a word) and the CSV times are read in the answer;
 *  - a zone written by the extension goes where it takes effect: the display-zone picker and the console-zone
 *    question write the workspace settings when the workspace sets the key (the user settings were written and the
 *    workspace value kept winning: the picker did nothing, an invalid workspace console zone was asked every run);
 *  - the cases column mapping saved with the setting defined at workspace level;
 *  - a zone typed or set that is no zone (`Berlin`, `new york`) is answered with the zones it probably means: rows on
 *    top of the zone picker, the picker's title on Enter, the warning naming the setting, the Normalize Timestamps error.
 * The target pick, the open dialog and the zone picker are answered by stubbing `vscode.window` (the test bundle and
 * the extension share one API object, as in security.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, poll, sleep, waitRendered, workspacePath, type AnalyzeResult, SHARED } from './helpers';

const REPO = path.resolve(__dirname, '../..'); // out/integration/suite.js → repo root
const SAMPLES = path.join(SHARED, 'data/qradar/samples');
const FIXTURES = path.join(REPO, 'test/fixtures/cases');

type Win = Record<string, unknown>;
const win = vscode.window as unknown as Win;

/** Replaces `vscode.window` members for the test; returns the undo. Fails when the API object is not writable. */
function stubWindow(stubs: Win): () => void {
  const originals: Win = {};
  for (const [k, f] of Object.entries(stubs)) {
    originals[k] = win[k];
    win[k] = f;
    assert.equal(win[k], f, `vscode.window.${k} cannot be stubbed here`);
  }
  return () => {
    for (const [k, f] of Object.entries(originals)) win[k] = f;
  };
}

/** The parts of a quick pick the zone picker (src/extension/zone-pick.ts) uses, and its handlers, for a stand-in. */
interface FakePick {
  title: string;
  value: string;
  items: vscode.QuickPickItem[];
  selectedItems: vscode.QuickPickItem[];
  /** Types `v` (the picker's onDidChangeValue handlers). */
  type(v: string): void;
  /** Presses Enter (the onDidAccept handlers). */
  enter(): void;
}

/** A stand-in for `createQuickPick` as the zone picker uses it; `drive` plays the user once it is shown. */
function fakeZonePicker(drive: (qp: FakePick) => void): () => unknown {
  return () => {
    const change: ((v: string) => void)[] = [];
    const accept: (() => void)[] = [];
    const hide: (() => void)[] = [];
    const none = { dispose() {} };
    const qp = {
      title: '',
      placeholder: '',
      ignoreFocusOut: false,
      matchOnDescription: false,
      value: '',
      items: [] as vscode.QuickPickItem[],
      activeItems: [] as vscode.QuickPickItem[],
      selectedItems: [] as vscode.QuickPickItem[],
      onDidChangeValue: (f: (v: string) => void) => (change.push(f), none),
      onDidAccept: (f: () => void) => (accept.push(f), none),
      onDidHide: (f: () => void) => (hide.push(f), none),
      type(v: string) {
        qp.value = v;
        for (const f of change) f(v);
      },
      enter() {
        for (const f of accept) f();
      },
      show() {
        setTimeout(() => drive(qp), 0);
      },
      hide() {
        for (const f of hide) f();
      },
      dispose() {},
    };
    return qp;
  };
}

/** The zone picker answered with `answer` (a zone among its first suggestions); records the title when shown. */
function zonePicker(answer: string, asked: string[]): () => unknown {
  return fakeZonePicker((qp) => {
    asked.push(qp.title);
    qp.selectedItems = [{ label: answer }];
    qp.enter();
  });
}

const qradarCfg = () => vscode.workspace.getConfiguration('socAnalytics.qradar');
const socCfg = () => vscode.workspace.getConfiguration('socAnalytics');

/** A fresh folder outside the workspace with the sample Log Activity CSV export (times `Mar 3, 2026, 2:2x PM`). */
function csvFolderOutsideWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-qradar-csv-'));
  fs.copyFileSync(path.join(SAMPLES, 'log_activity_export.csv'), path.join(dir, 'log_activity_export.csv'));
  assert.ok(!dir.startsWith(workspacePath() + path.sep), 'the CSV folder must be outside the workspace');
  return dir;
}

describe('Settings: the QRadar console zone for the chosen inputs, zones written where they take effect (real VS Code)', () => {
  let csvAnalysis = '';
  const dirs: string[] = [];
  const saved: Record<string, unknown> = {};

  before(async () => {
    await activateExtension();
    saved.consoleGlobal = qradarCfg().inspect('consoleTimeZone')?.globalValue;
    saved.displayGlobal = socCfg().inspect('displayTimeZone')?.globalValue;
    await qradarCfg().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Global);
    await qradarCfg().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
    await socCfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    await socCfg().update('displayTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await qradarCfg().update('consoleTimeZone', saved.consoleGlobal, vscode.ConfigurationTarget.Global);
    await qradarCfg().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
    await socCfg().update('displayTimeZone', saved.displayGlobal, vscode.ConfigurationTarget.Global);
    await socCfg().update('displayTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('palette → Browse… to CSV exports outside the workspace: the console zone is asked after the folder is chosen, and the CSV times are read in it', async () => {
    const dir = csvFolderOutsideWorkspace();
    dirs.push(dir);
    const steps: string[] = [];
    const asked: string[] = [];
    const restore = stubWindow({
      showQuickPick: async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
        steps.push('targets');
        return (await items).find((i) => /Browse/.test(i.label));
      },
      showOpenDialog: async () => {
        steps.push('open dialog');
        return [vscode.Uri.file(dir)];
      },
      createQuickPick: (() => {
        const make = zonePicker('Asia/Kolkata', asked);
        return () => {
          steps.push('console zone');
          return make();
        };
      })(),
    });
    let result: AnalyzeResult | undefined;
    try {
      result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeQRadar');
    } finally {
      restore();
    }
    assert.deepEqual(steps, ['targets', 'open dialog', 'console zone'], 'the console zone must be asked once, after the inputs are chosen');
    assert.match(asked[0] ?? '', /QRadar console's time zone/);
    assert.ok(result, 'analyzeQRadar returned nothing');
    assert.equal(result.summary.files, 1);
    csvAnalysis = result.analysisId;
    assert.equal(qradarCfg().inspect('consoleTimeZone')?.globalValue, 'Asia/Kolkata', 'the answer is saved in the user settings');
    // 2:20:05 PM in Asia/Kolkata (UTC+05:30) is 08:50:05 UTC (read as UTC it would stay 14:20:05)
    const r = await waitRendered(csvAnalysis, 'the QRadar events table', (x) => x.firstRow && x.firstRow.length > 0, { retryErrors: true });
    console.log(`    first row: ${JSON.stringify(r.firstRow)}`);
    assert.ok(r.firstRow!.some((c) => /\b08:5\d/.test(c)), `times not read in Asia/Kolkata: ${JSON.stringify(r.firstRow)}`);
    assert.ok(!r.firstRow!.some((c) => /\b14:2\d/.test(c)), `times read as UTC: ${JSON.stringify(r.firstRow)}`);
  });

  it('the display-zone picker writes the workspace settings when the workspace sets the zone, and the open dashboard follows', async () => {
    await socCfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Workspace);
    const asked: string[] = [];
    const restore = stubWindow({ createQuickPick: zonePicker('Asia/Tokyo', asked) });
    try {
      await vscode.commands.executeCommand('socAnalytics.setDisplayZone');
    } finally {
      restore();
    }
    assert.equal(asked.length, 1, 'the display-zone picker was not shown');
    const i = socCfg().inspect<string>('displayTimeZone');
    assert.equal(i?.workspaceValue, 'Asia/Tokyo', 'written where the workspace sets it');
    assert.equal(i?.globalValue, 'UTC', 'the user settings are left alone');
    assert.equal(socCfg().get('displayTimeZone'), 'Asia/Tokyo');
    // 08:50:05 UTC is 17:50:05 in Tokyo
    assert.ok(csvAnalysis, 'needs the CSV analysis of the test above');
    const r = await waitRendered(csvAnalysis, 'the QRadar dashboard in Asia/Tokyo', (x) => x.firstRow?.some((c) => /\b17:5\d/.test(c)), { retryErrors: true });
    console.log(`    first row: ${JSON.stringify(r.firstRow)}`);
    await socCfg().update('displayTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('an invalid console zone set by the workspace is replaced there by the answer, and not asked again', async () => {
    await qradarCfg().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Global);
    await qradarCfg().update('consoleTimeZone', 'Berlin', vscode.ConfigurationTarget.Workspace);
    const asked: string[] = [];
    const warnings: string[] = [];
    const run = async () => {
      const dir = csvFolderOutsideWorkspace();
      dirs.push(dir);
      const uri = vscode.Uri.file(dir);
      const restore = stubWindow({ createQuickPick: zonePicker('Europe/Berlin', asked), showWarningMessage: async (m: string) => void warnings.push(m) });
      try {
        return await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeQRadar', uri, [uri]);
      } finally {
        restore();
      }
    };
    assert.ok(await run(), 'first run returned nothing');
    assert.equal(asked.length, 1, 'the console zone was not asked');
    // the warning names the setting and the zone the value probably means
    assert.ok(
      warnings.some((w) => w.includes('socAnalytics.qradar.consoleTimeZone “Berlin” is not a known time zone; did you mean Europe/Berlin?')),
      `no warning naming the setting and Europe/Berlin: ${JSON.stringify(warnings)}`,
    );
    const i = qradarCfg().inspect<string>('consoleTimeZone');
    assert.equal(i?.workspaceValue, 'Europe/Berlin', 'the answer replaces the workspace value');
    assert.equal(i?.globalValue, undefined);
    assert.ok(await run(), 'second run returned nothing');
    assert.equal(asked.length, 1, 'the console zone was asked again');
    await qradarCfg().update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Cases "Analyze and save the mapping" with the mapping set at workspace level updates the workspace value', async () => {
    const dir = path.join(workspacePath(), `kpi-mapping-${Date.now()}`);
    fs.mkdirSync(dir);
    dirs.push(dir);
    const file = path.join(dir, 'cases.csv');
    fs.copyFileSync(path.join(FIXTURES, 'kpi-small.csv'), file);
    const globalBefore = socCfg().inspect('kpi.columnMapping')?.globalValue;
    await socCfg().update('kpi.columnMapping', { title: 'Title', created: 'Created', analyst: 'Rule' }, vscode.ConfigurationTarget.Workspace);
    const labels: string[] = [];
    const restore = stubWindow({
      showQuickPick: async (items: readonly (vscode.QuickPickItem & { action?: string })[] | Thenable<readonly (vscode.QuickPickItem & { action?: string })[]>) => {
        const list = await items;
        const save = list.find((x) => x.action === 'save');
        if (save) labels.push(save.label);
        return save;
      },
    });
    try {
      const uri = vscode.Uri.file(file);
      const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', uri, [uri], { editMapping: true });
      assert.ok(result, 'analyzeCases returned nothing');
      assert.equal(result.summary.cases, 10);
      assert.match(labels[0] ?? '', /save the mapping in the workspace settings/);
      const i = socCfg().inspect<Record<string, string>>('kpi.columnMapping');
      assert.equal(i?.workspaceValue?.title, 'Title');
      assert.equal(i?.workspaceValue?.analyst, 'Rule', 'the saved mapping is the one analyzed (the workspace value it started from)');
      assert.equal(i?.workspaceValue?.closed, 'Closed', 'the suggested columns are saved with it');
      assert.deepEqual(i?.globalValue, globalBefore, 'the user settings are left alone');
    } finally {
      restore();
      await socCfg().update('kpi.columnMapping', undefined, vscode.ConfigurationTarget.Workspace);
      await forgetAll(); // the header of kpi-small.csv, remembered with the mapping saved
    }
  });
});

/**
 * The zone picker driven like a user: types each of `typed` in turn, recording the rows shown on top, and presses
 * Enter with nothing selected (recording the title); then selects the first row and presses Enter.
 */
function typingZonePicker(typed: string[], seen: { value: string; top: vscode.QuickPickItem[]; title: string }[]): () => unknown {
  return fakeZonePicker((qp) => {
    for (const v of typed) {
      qp.type(v);
      qp.selectedItems = [];
      qp.enter();
      seen.push({ value: v, top: qp.items.filter((i) => i.alwaysShow), title: qp.title });
    }
    qp.selectedItems = qp.items.slice(0, 1);
    qp.enter();
  });
}

describe('Settings: a zone that is no zone is answered with the zones it probably means (real VS Code)', () => {
  const saved: Record<string, unknown> = {};
  before(async () => {
    await activateExtension();
    saved.display = socCfg().inspect('displayTimeZone')?.globalValue;
    saved.source = socCfg().inspect('kpi.sourceTimeZone')?.globalValue;
  });
  after(async () => {
    await socCfg().update('displayTimeZone', saved.display, vscode.ConfigurationTarget.Global);
    await socCfg().update('kpi.sourceTimeZone', saved.source, vscode.ConfigurationTarget.Global);
  });

  it('the display-zone picker offers Europe/Berlin for "Berlin" and America/New_York for "new york", names them on Enter, and saves the one picked', async () => {
    const seen: { value: string; top: vscode.QuickPickItem[]; title: string }[] = [];
    const restore = stubWindow({ createQuickPick: typingZonePicker(['Berlin', 'GMT+2', 'new york'], seen) });
    try {
      await vscode.commands.executeCommand('socAnalytics.setDisplayZone');
    } finally {
      restore();
    }
    console.log(`    seen: ${JSON.stringify(seen.map((x) => [x.value, x.top.map((i) => i.label), x.title]))}`);
    assert.deepEqual(seen.map((x) => x.top.map((i) => i.label)), [['Europe/Berlin'], ['UTC+2'], ['America/New_York']]);
    assert.match(seen[0].top[0].description ?? '', /did you mean/);
    assert.match(seen[0].title, /Unknown time zone “Berlin”: did you mean Europe\/Berlin\?/);
    assert.match(seen[2].title, /did you mean America\/New_York\?/);
    assert.equal(socCfg().inspect('displayTimeZone')?.globalValue, 'America/New_York', 'the suggestion picked is saved');
  });

  it('the real zone picker: typing AST (IST, EST) and Enter saves Asia/Riyadh (Asia/Kolkata, America/New_York), never the fuzzy match Africa/Sao_Tome (America/Boa_Vista) nor EST', async () => {
    // VS Code's own quick pick (its filter, sort and highlight), handed to the test: the value is set as typed and Enter
    // is the real accept command. Typed and Enter at once first (the window may still show its rows for the text
    // before); then, once the picker's rows are shown, the highlighted row and Enter.
    const real = vscode.window.createQuickPick.bind(vscode.window);
    const picks: vscode.QuickPick<vscode.QuickPickItem>[] = [];
    const restore = stubWindow({
      createQuickPick: () => {
        const qp = real();
        picks.push(qp);
        return qp;
      },
    });
    const report: unknown[] = [];
    try {
      for (const [typed, meant, never] of [['AST', 'Asia/Riyadh', 'Africa/Sao_Tome'], ['IST', 'Asia/Kolkata', 'America/Boa_Vista'], ['EST', 'America/New_York', 'EST']]) {
        await socCfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
        const n = picks.length;
        let done = false;
        const run = Promise.resolve(vscode.commands.executeCommand('socAnalytics.setDisplayZone')).finally(() => (done = true));
        try {
          const qp = await poll('the zone picker', () => picks[n]);
          await sleep(600); // shown
          qp.value = typed;
          await sleep(5); // (the extension host sends a quick pick's changes on a timer: the text first, then Enter)
          await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          await sleep(400);
          const hurried = { typed, done, saved: socCfg().inspect<string>('displayTimeZone')?.globalValue, title: qp.title };
          report.push(hurried);
          assert.notEqual(hurried.saved, never, `${typed} + Enter at once saved ${never}`);
          if (done) assert.equal(hurried.saved, meant, `${typed} + Enter at once saved ${hurried.saved}`);
          else {
            // the highlighted row, as VS Code shows it now (the window reports it to the extension host)
            const active = await poll(`the highlighted row for ${typed}`, () => (qp.activeItems[0]?.label === meant ? qp.activeItems[0] : undefined), 5000).catch(() => qp.activeItems[0]);
            report.push({ typed, active: active?.label, description: active?.description, rows: qp.items.slice(0, 4).map((i) => i.label) });
            assert.equal(active?.label, meant, `${typed}: the highlighted row is ${active?.label}`);
            assert.match(active?.description ?? '', new RegExp(`^suggested for “${typed}”`));
            await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
            await poll(`the picker for ${typed} to close`, () => done, 5000).catch(() => undefined);
            assert.equal(socCfg().inspect<string>('displayTimeZone')?.globalValue, meant, `${typed} + Enter on the highlighted row`);
          }
        } finally {
          if (!done) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
          await run;
        }
      }
    } finally {
      restore();
      console.log(`    seen: ${JSON.stringify(report)}`);
    }
  });

  it('a display zone setting that is no zone warns naming the setting and the zone it probably means', async () => {
    const warnings: string[] = [];
    const restore = stubWindow({ showWarningMessage: async (m: string) => void warnings.push(m) });
    try {
      await socCfg().update('displayTimeZone', 'new york', vscode.ConfigurationTarget.Global);
      const end = Date.now() + 10000;
      while (!warnings.length && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    } finally {
      restore();
      await socCfg().update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    }
    assert.ok(
      warnings.some((w) => w.includes('setting socAnalytics.displayTimeZone “new york” is not a known time zone; did you mean America/New_York? Times are shown in UTC.')),
      `no warning naming the setting and America/New_York: ${JSON.stringify(warnings)}`,
    );
  });

  it('socAnalytics.kpi.sourceTimeZone that is no zone warns naming the setting and the zone it probably means', async () => {
    await socCfg().update('kpi.sourceTimeZone', 'Kolkata', vscode.ConfigurationTarget.Global);
    const warnings: string[] = [];
    const restore = stubWindow({ showWarningMessage: async (m: string) => void warnings.push(m) });
    try {
      const uri = vscode.Uri.file(path.join(FIXTURES, 'kpi-small.csv'));
      const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', uri, [uri]);
      assert.ok(result, 'analyzeCases returned nothing');
    } finally {
      restore();
    }
    assert.ok(
      warnings.some((w) => w.includes('setting socAnalytics.kpi.sourceTimeZone “Kolkata” is not a known time zone; did you mean Asia/Kolkata? Case times without an offset are read in UTC.')),
      `no warning naming the setting and Asia/Kolkata: ${JSON.stringify(warnings)}`,
    );
  });

  it('Normalize Timestamps refuses a scripted fromZone that is no zone (it read the times as UTC), naming the zone it probably means', async () => {
    const errors: string[] = [];
    const restore = stubWindow({ showErrorMessage: async (m: string) => void errors.push(m) });
    let res: unknown;
    try {
      const uri = vscode.Uri.file(path.join(FIXTURES, 'kpi-small.csv'));
      res = await vscode.commands.executeCommand('socAnalytics.normalizeTimestamps', uri, { column: 'Created', fromZone: 'Berlin', toZone: 'UTC', noPreview: true, out: path.join(os.tmpdir(), `soc-norm-${Date.now()}.csv`) });
    } finally {
      restore();
    }
    assert.equal(res, undefined, 'nothing is written');
    assert.deepEqual(errors, ['SOC Analytics: Normalize Timestamps: fromZone Berlin: unknown time zone; did you mean Europe/Berlin? (use UTC, local, an IANA zone such as Europe/Paris, or a fixed offset such as UTC+3 or UTC-05:30).']);
  });
});

describe('Cases: one column-mapping prompt per header of the files and folders analyzed, remembered per header (real VS Code)', () => {
  const dirs: string[] = [];
  const TICKETS = path.join(REPO, 'test/fixtures/tickets/tickets-unmapped.csv');
  const INCIDENTS = path.join(REPO, 'test/fixtures/tickets/incidents-unmapped.csv');
  before(async () => {
    await activateExtension();
    await socCfg().update('kpi.columnMapping', undefined, vscode.ConfigurationTarget.Workspace);
    await forgetAll();
  });
  afterEach(forgetAll);
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function newDir(name: string): string {
    const dir = path.join(workspacePath(), `${name}-${Date.now()}`);
    fs.mkdirSync(dir);
    dirs.push(dir);
    return dir;
  }

  /** A workspace folder with the 10 recognised cases and two exports (3 tickets each) of a tool with other column names. */
  function casesFolder(): vscode.Uri {
    const dir = newDir('kpi-folder-map');
    fs.copyFileSync(path.join(FIXTURES, 'kpi-small.csv'), path.join(dir, 'a-cases.csv'));
    const tickets = fs.readFileSync(TICKETS, 'utf8');
    fs.writeFileSync(path.join(dir, 'b-tickets.csv'), tickets);
    fs.writeFileSync(path.join(dir, 'c-tickets-2.csv'), tickets.replace(/T-1/g, 'T-2'));
    return vscode.Uri.file(dir);
  }

  /** The two exports of two tools (3 tickets, 3 incidents), each with its own unrecognised header, as two files selected in the Explorer. */
  function twoTools(): vscode.Uri[] {
    const dir = newDir('kpi-two-tools');
    fs.copyFileSync(TICKETS, path.join(dir, 'b-tickets.csv'));
    fs.copyFileSync(INCIDENTS, path.join(dir, 'incidents.csv'));
    return [vscode.Uri.file(path.join(dir, 'b-tickets.csv')), vscode.Uri.file(path.join(dir, 'incidents.csv'))];
  }

  type Shown = { title: string; placeHolder: string; items: (vscode.QuickPickItem & { action?: string })[] };
  /** Answers each quick pick with the first row `answers` names (a label, `run`/`save`/`skip`/`cancel`, or undefined: Escape), recording what was shown. */
  function answering(answers: (string | RegExp | undefined)[], shown: Shown[]): Win {
    return {
      showQuickPick: async (items: readonly (vscode.QuickPickItem & { action?: string })[] | Thenable<readonly (vscode.QuickPickItem & { action?: string })[]>, o?: vscode.QuickPickOptions) => {
        const list = await items;
        shown.push({ title: o?.title ?? '', placeHolder: o?.placeHolder ?? '', items: [...list] });
        const want = answers.shift();
        if (want === undefined) return undefined;
        return list.find((i) => (want instanceof RegExp ? want.test(i.label) : i.action === want || (!i.action && i.label === want)));
      },
    };
  }

  async function analyze(uris: vscode.Uri[], answers: (string | RegExp | undefined)[], shown: Shown[]): Promise<AnalyzeResult | undefined> {
    const restore = stubWindow(answering(answers, shown));
    try {
      return await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', uris[0], uris);
    } finally {
      restore();
    }
  }

  const mappingPrompts = (shown: Shown[]) => shown.filter((x) => x.items.some((i) => i.action === 'run'));

  it('a folder: one prompt for the two files sharing a header, pre-filled with the guess; they and the recognised file are read', async () => {
    const shown: Shown[] = [];
    const result = await analyze([casesFolder()], ['closed', 'Finished', 'run'], shown);
    console.log(`    prompts: ${JSON.stringify(shown.map((x) => x.title))}`);
    assert.equal(shown[0].title, 'Cases, map the columns of b-tickets.csv and c-tickets-2.csv (2 files with this header)');
    assert.equal(shown[0].placeHolder, 'Columns: Ticket Ref, Headline, Logged, Finished, Handler, Outcome — pick a field to change its column, or read them');
    assert.deepEqual(
      shown[0].items.filter((i) => i.action).map((i) => i.label),
      ['$(play) Read them with this mapping', '$(save) Read them and save the mapping in the workspace settings', '$(debug-step-over) Skip these files', '$(close) Cancel the analysis'],
    );
    // the guess of the CLI's skip note, with the first record's values
    const desc = (f: string) => shown[0].items.find((i) => i.label === f)?.description;
    assert.deepEqual(['id', 'title', 'created', 'analyst'].map(desc), ['← Ticket Ref (T-100)', '← Headline (Phishing mail reported by finance)', '← Logged (2026-03-05T09:00:00Z)', '← Handler (carol)']);
    assert.equal(mappingPrompts(shown).length, 2, 'the same prompt again after the column was changed, and no other');
    assert.ok(result, 'analyzeCases returned nothing');
    assert.equal(result.summary.files, 3);
    assert.equal(result.summary.cases, 16, 'the 10 cases and the 6 tickets');
    assert.equal(socCfg().inspect('kpi.columnMapping')?.workspaceValue, undefined, 'nothing saved in the settings without "save"');
  });

  it('two files of two tools selected together: one prompt each, both read with their own columns (6 cases, MTTR median 2 h)', async () => {
    const shown: Shown[] = [];
    const result = await analyze(twoTools(), ['closed', 'Finished', 'run', 'run'], shown);
    console.log(`    prompts: ${JSON.stringify(shown.map((x) => x.title))}`);
    assert.deepEqual(
      shown.map((x) => x.title),
      ['Cases, header 1 of 2: map the columns of b-tickets.csv', 'Column for “closed”', 'Cases, header 1 of 2: map the columns of b-tickets.csv', 'Cases, header 2 of 2: map the columns of incidents.csv'],
    );
    const desc = (f: string) => shown[3].items.find((i) => i.label === f)?.description;
    assert.deepEqual(['id', 'title', 'created', 'closed'].map(desc), ['← Incident No (I-1)', '← Subject Line (Ransomware note on FS-02)', '← Raised At (2026-03-04T08:00:00Z)', '← Resolved At (2026-03-04T10:00:00Z)']);
    assert.ok(result, 'analyzeCases returned nothing');
    assert.deepEqual([result.summary.files, result.summary.cases, result.summary.open], [2, 6, 2]);
    // closed after 1.5 h (T-100), 2 h (T-101), 2 h (I-1) and 4 h (I-2): both files' close times, the one mapped by hand too
    const r = await waitRendered(result.analysisId, 'the cases dashboard', (x) => x.cards && x.cards.mttrMedian !== undefined);
    assert.equal(r.cards.mttrMedian, '2 h');
    assert.equal(r.cards.cases, '6');

    // the next run on the same two exports: not asked again, the same numbers
    const again: Shown[] = [];
    const second = await analyze(twoTools(), [], again);
    assert.deepEqual(again.map((x) => x.title), [], 'a remembered mapping is used without a prompt');
    assert.ok(second, 'the second run returned nothing');
    assert.deepEqual([second.summary.files, second.summary.cases, second.summary.open], [2, 6, 2]);
    const r2 = await waitRendered(second.analysisId, 'the cases dashboard', (x) => x.cards && x.cards.mttrMedian !== undefined);
    assert.equal(r2.cards.mttrMedian, '2 h');

    // forgotten (SOC: Forget Remembered Case Column Mappings…): asked again
    const forgotten: Shown[] = [];
    const restore = stubWindow({
      showQuickPick: async (items: readonly vscode.QuickPickItem[], o?: vscode.QuickPickOptions) => {
        forgotten.push({ title: o?.title ?? '', placeHolder: '', items: [...items] });
        return items.filter((i) => /(b-tickets|incidents)\.csv$/.test(i.label));
      },
      showInformationMessage: async () => undefined,
    });
    let n: number | undefined;
    try {
      n = await vscode.commands.executeCommand<number | undefined>('socAnalytics.forgetCaseMappings');
    } finally {
      restore();
    }
    assert.equal(n, 2);
    assert.deepEqual(forgotten[0].items.map((i) => [i.description, i.picked]).sort(), [
      ['Incident No=id,Subject Line=title,Raised At=created,Resolved At=closed,Verdict=disposition', true],
      ['Ticket Ref=id,Headline=title,Logged=created,Finished=closed,Handler=analyst,Outcome=disposition', true],
    ].sort());
    const third: Shown[] = [];
    await analyze(twoTools(), ['cancel'], third);
    assert.equal(mappingPrompts(third).length, 1, 'asked again once forgotten');
  });

  it('Escape on one header skips only its files (listed as skipped, with the reason); "Cancel the analysis" cancels the run', async () => {
    const shown: Shown[] = [];
    const result = await analyze(twoTools(), [undefined, 'run'], shown);
    assert.equal(mappingPrompts(shown).length, 2, 'the second header is still asked');
    assert.ok(result, 'analyzeCases returned nothing');
    assert.deepEqual([result.summary.files, result.summary.cases, result.summary.open], [1, 3, 1], 'the incidents only');
    const files = await vscode.commands.executeCommand<{ markdown: string } | undefined>('socAnalytics.generateKpiReport', result.analysisId);
    assert.ok(files);
    const md = fs.readFileSync(files.markdown, 'utf8');
    assert.match(md, /1 file skipped — not a case export: no column for the created time or title or id \(columns: Ticket Ref, Headline, Logged, Finished, Handler, …\): b-tickets\.csv/);
    // the skipped header is not remembered, the one read is
    const next: Shown[] = [];
    await analyze(twoTools(), ['cancel'], next);
    assert.deepEqual(mappingPrompts(next).map((x) => x.title), ['Cases, map the columns of b-tickets.csv']);

    const cancelled: Shown[] = [];
    assert.equal(await analyze(twoTools(), ['cancel'], cancelled), undefined, 'cancelled: no analysis');
    assert.equal(mappingPrompts(cancelled).length, 1, 'no prompt after "Cancel the analysis"');
  });

  it('a workspace-like folder: a QRadar Log Activity export and a Loki --csv log get no prompt (skipped with the reason); Enter on a header with no created time skips it', async () => {
    const dir = newDir('kpi-workspace-root');
    fs.copyFileSync(path.join(FIXTURES, 'kpi-small.csv'), path.join(dir, 'kpi-small.csv'));
    fs.copyFileSync(path.join(SAMPLES, 'log_activity_export.csv'), path.join(dir, 'log_activity_export.csv'));
    fs.copyFileSync(path.join(SAMPLES, 'log_activity_export_internal_names.csv'), path.join(dir, 'log_activity_export_internal_names.csv'));
    fs.copyFileSync(path.join(SHARED, 'data/loki/real-2021-2022/scan_result (1).csv'), path.join(dir, 'scan_result (1).csv'));
    fs.writeFileSync(path.join(dir, 'assets.csv'), 'Asset,Owner,Location\nfs-02,alice,Berlin\n');
    const shown: Shown[] = [];
    // Enter: the first row of the prompt
    const restore = stubWindow({
      showQuickPick: async (items: readonly (vscode.QuickPickItem & { action?: string })[] | Thenable<readonly (vscode.QuickPickItem & { action?: string })[]>, o?: vscode.QuickPickOptions) => {
        const list = await items;
        shown.push({ title: o?.title ?? '', placeHolder: o?.placeHolder ?? '', items: [...list] });
        return list[0];
      },
    });
    let result: AnalyzeResult | undefined;
    try {
      result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', vscode.Uri.file(dir), [vscode.Uri.file(dir)]);
    } finally {
      restore();
    }
    assert.deepEqual(mappingPrompts(shown).map((x) => x.title), ['Cases, map the columns of assets.csv'], 'the Loki log and the QRadar event exports are not offered for mapping');
    assert.deepEqual(
      shown[0].items.filter((i) => i.action).map((i) => i.action),
      ['skip', 'run', 'save', 'cancel'],
      'no created time guessed: Enter skips',
    );
    assert.ok(result, 'analyzeCases returned nothing');
    assert.deepEqual([result.summary.files, result.summary.cases], [1, 10], 'the 10 cases of kpi-small.csv only (the 5 events were read as 5 cases)');
    const files = await vscode.commands.executeCommand<{ markdown: string } | undefined>('socAnalytics.generateKpiReport', result.analysisId);
    assert.ok(files);
    const md = fs.readFileSync(files.markdown, 'utf8');
    assert.match(md, /QRadar Log Activity or Network Activity export \(events, not cases\): read by the QRadar analysis \(SOC: Analyze QRadar Offenses…; CLI: qradar\)/);
    assert.match(md, /Loki scan results \(a --csv log file\), not cases: read by the Loki analysis \(SOC: Analyze Loki Results…; CLI: loki\)/);
  });
});

/** `SOC: Forget Remembered Case Column Mappings…` with every mapping picked (the test runs share the workspace). */
async function forgetAll(): Promise<void> {
  const restore = stubWindow({ showQuickPick: async (items: readonly vscode.QuickPickItem[]) => [...items], showInformationMessage: async () => undefined });
  try {
    await vscode.commands.executeCommand('socAnalytics.forgetCaseMappings');
  } finally {
    restore();
  }
}
