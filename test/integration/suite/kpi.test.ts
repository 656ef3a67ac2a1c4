/**
 * Cases, KPIs, KPI report, timestamp normalisation and the merged timeline in a real VS Code
 * extension host. The hand-computed case file test/fixtures/cases/kpi-small.csv and its rules are
 * copied into the workspace (`kpi-cases/`, rules as `.soc/tagging.json`, the default rules path);
 * the expected numbers are those of test/fixtures/cases/README.md.
 */
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { normalizeTable, readNormalizeInput, renderNormalized } from '../../../src/core/tz-file';
import { activateExtension, poll, waitRendered, workspacePath as root, type AnalyzeResult, SHARED } from './helpers';

const REPO = path.resolve(__dirname, '../..'); // out/integration/suite.js → repo root
const FIXTURES = path.join(REPO, 'test/fixtures/cases');
describe('Cases, KPIs and the KPI report (real VS Code)', () => {
  let analysisId = '';
  let casesFile = '';

  before(async () => {
    await activateExtension();
    await vscode.workspace.getConfiguration('socAnalytics').update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    const dir = path.join(root(), 'kpi-cases');
    await fsp.mkdir(dir, { recursive: true });
    await fsp.mkdir(path.join(root(), '.soc'), { recursive: true });
    casesFile = path.join(dir, 'kpi-small.csv');
    await fsp.copyFile(path.join(FIXTURES, 'kpi-small.csv'), casesFile);
    await fsp.copyFile(path.join(FIXTURES, 'tagging.json'), path.join(root(), '.soc', 'tagging.json'));
  });

  it('contributes the commands and the tagging schema', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['socAnalytics.analyzeCases', 'socAnalytics.generateKpiReport', 'socAnalytics.normalizeTimestamps', 'socAnalytics.showTimeline', 'socAnalytics.createTaggingRules'])
      assert.ok(commands.includes(c), `${c} not registered`);
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'soc-analytics')!;
    const jv = ext.packageJSON.contributes.jsonValidation as { fileMatch: string[]; url: string }[];
    assert.ok(jv.some((j) => j.url === './schemas/tagging.schema.json'));
  });

  it('analyzeCases tags the 10 cases with .soc/tagging.json and the dashboard shows the KPIs', async () => {
    const uri = vscode.Uri.file(casesFile);
    const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', uri, [uri]);
    assert.ok(result, 'analyzeCases returned nothing');
    analysisId = result.analysisId;
    assert.deepEqual(result.summary, { files: 1, cases: 10, open: 3, tags: 8, untagged: 2, errors: 0 });
    const r = await waitRendered(analysisId, 'the cases dashboard to report its cards', (x) => x.cards && x.cards.cases !== undefined && x.visibleRows > 0);
    console.log(`    rendered: ${JSON.stringify(r.cards)}`);
    assert.equal(r.totalRows, 10);
    assert.equal(r.cards.cases, '10');
    assert.equal(r.cards.open, '3');
    assert.equal(r.cards.escalationRate, '28.6%');
    assert.equal(r.cards.fpRate, '57.1%');
    assert.equal(r.cards.mttaMedian, '15 min');
    assert.equal(r.cards.mttrMedian, '2 h');
    assert.equal(r.cards.untagged, '2');
  });

  it('socAnalytics.kpi.asOf sets the time the dashboard computes the KPIs for (as the CLI\'s --as-of)', async () => {
    assert.ok(analysisId, 'needs the analysis');
    const cfg = vscode.workspace.getConfiguration('socAnalytics');
    // as of now the fixture's open cases are long past their targets: 3 acknowledge breaches, 3 open past the close target
    const now = await waitRendered(analysisId, 'the cases dashboard', (x) => x.cards && x.cards.slaAckBreaches !== undefined);
    assert.deepEqual([now.cards.slaAckBreaches, now.cards.slaOpenOverdue], ['3', '3']);
    await cfg.update('kpi.asOf', '2026-03-10T12:00:00Z', vscode.ConfigurationTarget.Global);
    try {
      // `kpi --as-of 2026-03-10T12:00:00Z` on the same file: 2 acknowledge breaches, 1 open past the close target
      const r = await waitRendered(analysisId, 'the dashboard as of 2026-03-10 12:00', (x) => x.cards && x.cards.slaOpenOverdue === '1');
      assert.deepEqual([r.cards.slaAckBreaches, r.cards.slaCloseBreaches, r.cards.slaOpenOverdue], ['2', '1', '1']);
      const files = await vscode.commands.executeCommand<{ html: string; markdown: string } | undefined>('socAnalytics.generateKpiReport', analysisId);
      assert.ok(files);
      assert.match(await fsp.readFile(files.markdown, 'utf8'), /KPIs as of: 2026-03-10 12:00:00 \(UTC\)/);
    } finally {
      await cfg.update('kpi.asOf', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('generateKpiReport writes a self-contained HTML and a Markdown report with the same numbers', async () => {
    assert.ok(analysisId, 'needs the analysis');
    const files = await vscode.commands.executeCommand<{ html: string; markdown: string } | undefined>('socAnalytics.generateKpiReport', analysisId);
    assert.ok(files, 'generateKpiReport returned nothing');
    assert.ok(files.html.startsWith(path.join(root(), 'soc-reports')), files.html);
    const html = await fsp.readFile(files.html, 'utf8');
    assert.match(html, /<td id="kpi-escalationRate">28\.6% \(2 of 7\)<\/td>/);
    assert.match(html, /<td id="kpi-falsePositiveRate">57\.1% \(4 of 7\)<\/td>/);
    assert.match(html, /<td id="kpi-mtta">median 15 min · p90 46 min · mean 21 min 23 s \(n = 8\)<\/td>/);
    assert.match(html, /<td id="kpi-mttr">median 2 h · p90 5 h 24 min · mean 2 h 47 min \(n = 7\)<\/td>/);
    assert.match(html, /<td id="kpi-backlog">3 open; /);
    assert.match(html, /<td id="zone">UTC<\/td>/);
    assert.match(html, /<td id="cases">10<\/td>/);
    assert.ok((html.match(/src="data:image\/svg\+xml;base64,/g) ?? []).length >= 5, 'charts embedded as images');
    assert.doesNotMatch(html, /<script|src="http/);
    const md = await fsp.readFile(files.markdown, 'utf8');
    assert.match(md, /\| False-positive rate \| 57\.1% \(4 of 7\) \|/);
  });

  it('normalizeTimestamps writes a converted copy and leaves the input untouched', async () => {
    const input = path.join(root(), 'kpi-cases', 'export.csv');
    const text = 'Event Name,Start Time\n"Failure Audit","Mar 3, 2026, 2:20:05 PM"\nDST,"Oct 25, 2026, 2:30:00 AM"\n';
    await fsp.writeFile(input, text);
    const out = path.join(root(), 'kpi-cases', 'export.utc.csv');
    const res = await vscode.commands.executeCommand<{ out: string; stats: Record<string, number> } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), {
      column: 'Start Time',
      fromZone: 'Europe/Berlin',
      toZone: 'UTC',
      out,
      noPreview: true,
    });
    assert.ok(res, 'normalizeTimestamps returned nothing');
    assert.equal(res.stats.converted, 2);
    assert.equal(res.stats.ambiguous, 1);
    assert.equal(await fsp.readFile(input, 'utf8'), text);
    const lines = (await fsp.readFile(out, 'utf8')).split('\r\n');
    assert.equal(lines[1], 'Failure Audit,"Mar 3, 2026, 2:20:05 PM",2026-03-03T13:20:05Z,');
    assert.match(lines[2], /^DST,"Oct 25, 2026, 2:30:00 AM",2026-10-25T00:30:00Z,ambiguous: /);
    // Without an explicit output the copy goes to soc-exports/ (never beside the input, where the next analysis would read it).
    const res2 = await vscode.commands.executeCommand<{ out: string } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), {
      column: 'Start Time',
      fromZone: 'Europe/Berlin',
      toZone: 'UTC',
      noPreview: true,
    });
    assert.ok(res2);
    assert.equal(path.basename(path.dirname(res2.out)), 'soc-exports');
    assert.equal(path.basename(res2.out), 'export.utc.csv');
    assert.ok((await fsp.stat(res2.out)).isFile());
  });

  it('normalizeTimestamps converts several columns into one copy: Space ticks Created, Closed, Acknowledged in the column question; Enter alone takes the highlighted one', async () => {
    const input = path.join(root(), 'kpi-cases', 'cases-multi.csv');
    await fsp.copyFile(path.join(FIXTURES, 'kpi-small.csv'), input);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /** Starts the command without a column (the column question is asked) and waits until the file was inspected. */
    const start = async (out: string) => {
      const run = Promise.resolve(
        vscode.commands.executeCommand<{ out: string; column: string; columns?: { column: string; stats: { converted: number } }[] } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), {
          toZone: 'Asia/Riyadh',
          out,
          noPreview: true,
        }),
      );
      await sleep(300);
      await poll('the input inspected', async () => (await vscode.commands.executeCommand<{ runningJobs: number }>('socAnalytics.test.jobs')).runningJobs === 0);
      await sleep(1000); // the question is shown right after the inspection
      return { run }; // (an async function returning the promise itself would wait for it)
    };
    // the list: the suggested time columns — Created, Closed, Acknowledged (a time-like name first), then the others
    const out = path.join(root(), 'kpi-cases', 'cases-multi.riyadh.csv');
    const { run } = await start(out);
    // the first row (suggested) is highlighted when the list opens: Space ticks it, Down, Space, Down, Space
    for (const c of ['quickInput.toggleCheckbox', 'quickInput.next', 'quickInput.toggleCheckbox', 'quickInput.next', 'quickInput.toggleCheckbox']) {
      await vscode.commands.executeCommand(c);
      await sleep(200);
    }
    await vscode.commands.executeCommand('quickInput.accept');
    const res = await run;
    assert.ok(res, 'normalizeTimestamps returned nothing');
    assert.deepEqual(res.columns?.map((c) => [c.column, c.stats.converted]), [['Created', 10], ['Closed', 7], ['Acknowledged', 8]]);
    const lines = (await fsp.readFile(out, 'utf8')).split('\r\n');
    assert.ok(lines[0].endsWith(',Rule,Created_normalized,Created_tz_flag,Closed_normalized,Closed_tz_flag,Acknowledged_normalized,Acknowledged_tz_flag'), lines[0]);
    assert.ok(lines[1].endsWith(',2026-03-02T11:00:00+03:00,,2026-03-02T12:00:00+03:00,,2026-03-02T11:10:00+03:00,'), lines[1]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // nothing ticked: Enter takes the highlighted column (the second row, Closed), as a one-choice list did
    const out2 = path.join(root(), 'kpi-cases', 'cases-multi.closed.csv');
    const { run: run2 } = await start(out2);
    await vscode.commands.executeCommand('quickInput.next');
    await sleep(200);
    await vscode.commands.executeCommand('quickInput.accept');
    const res2 = await run2;
    assert.equal(res2?.column, 'Closed');
    assert.equal(res2?.columns, undefined);
    assert.ok((await fsp.readFile(out2, 'utf8')).split('\r\n')[0].endsWith(',Rule,Closed_normalized,Closed_tz_flag'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // Enter alone: the suggested column (the first row is highlighted when the list opens)
    const { run: run3 } = await start(path.join(root(), 'kpi-cases', 'cases-multi.first.csv'));
    await vscode.commands.executeCommand('quickInput.accept');
    assert.equal((await run3)?.column, 'Created');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('normalizeTimestamps on the sample Log Activity export writes the copy and opens it in an editor', async () => {
    const input = path.join(root(), 'kpi-cases', 'log_activity_export.csv');
    await fsp.copyFile(path.join(SHARED, 'data/qradar/samples/log_activity_export.csv'), input);
    const out = path.join(root(), 'kpi-cases', 'log_activity_export.utc.csv');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const res = await vscode.commands.executeCommand<{ out: string; opened: boolean; stats: Record<string, number> } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), {
      column: 'Start Time',
      fromZone: 'Europe/Berlin',
      toZone: 'UTC',
      out,
      noPreview: true,
    });
    assert.ok(res, 'normalizeTimestamps returned nothing');
    assert.equal(res.out, out);
    assert.equal(res.stats.rows, 5);
    assert.equal(res.stats.converted, 5);
    const lines = (await fsp.readFile(out, 'utf8')).split('\r\n');
    assert.match(lines[1], /"Mar 3, 2026, 2:20:05 PM",.*,2026-03-03T13:20:05Z,$/);
    assert.equal(res.opened, true, 'the copy (a few hundred bytes) was not opened');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, out, `the active editor is ${editor?.document.uri.fsPath}`);
    assert.equal(editor?.document.lineAt(1).text, lines[1]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('normalizeTimestamps offers the saved QRadar console zone first for QRadar export times', async () => {
    const input = path.join(root(), 'kpi-cases', 'export2.csv');
    await fsp.writeFile(input, 'Event Name,Start Time\n"Failure Audit","Mar 3, 2026, 2:20:05 PM"\n');
    const out = path.join(root(), 'kpi-cases', 'export2.utc.csv');
    const cfg = vscode.workspace.getConfiguration('socAnalytics.qradar');
    const before = cfg.inspect<string>('consoleTimeZone')?.globalValue;
    await cfg.update('consoleTimeZone', 'Asia/Kolkata', vscode.ConfigurationTarget.Global);
    try {
      // No fromZone: the command asks for the zone of the naive times; the first row is taken as offered.
      let done = false;
      const run = Promise.resolve(
        vscode.commands.executeCommand<{ out: string } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), { column: 'Start Time', toZone: 'UTC', out, noPreview: true }),
      ).finally(() => (done = true));
      for (let i = 0; i < 60 && !done; i++) {
        await new Promise((r) => setTimeout(r, 250));
        if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      const res = await run;
      assert.ok(res, 'normalizeTimestamps returned nothing');
      const lines = (await fsp.readFile(out, 'utf8')).split('\r\n');
      // 14:20:05 in Asia/Kolkata (UTC+05:30) is 08:50:05 UTC (read as UTC it would stay 14:20:05).
      assert.equal(lines[1], 'Failure Audit,"Mar 3, 2026, 2:20:05 PM",2026-03-03T08:50:05Z,');
    } finally {
      await cfg.update('consoleTimeZone', before, vscode.ConfigurationTarget.Global);
    }
  });

  /** Runs Normalize Timestamps; rejects when it still waits for a question after `ms` (the question is closed). */
  async function normalizeNoQuestion(input: string, args: Record<string, unknown>, ms = 3000): Promise<{ out: string; stats: Record<string, number> } | undefined> {
    let done = false;
    const run = Promise.resolve(
      vscode.commands.executeCommand<{ out: string; stats: Record<string, number> } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), args),
    ).finally(() => (done = true));
    for (let i = 0; i < ms / 100 && !done; i++) await new Promise((r) => setTimeout(r, 100));
    if (!done) {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await run;
      assert.fail('normalizeTimestamps asked a question');
    }
    return run;
  }

  it('normalizeTimestamps asks the zone when a time after the first 500 records has no offset (never read as UTC); dismissed, nothing is written', async () => {
    const input = path.join(root(), 'kpi-cases', 'late-naive.csv');
    const rows = ['id,event_time'];
    for (let i = 1; i <= 600; i++) rows.push(`${i},2026-03-02T08:${String(i % 60).padStart(2, '0')}:00Z`);
    rows.push('601,2026-03-02 09:00:00');
    await fsp.writeFile(input, rows.join('\n') + '\n');
    const out = path.join(root(), 'kpi-cases', 'late-naive.utc.csv');
    let done = false;
    const run = Promise.resolve(
      vscode.commands.executeCommand<{ out: string } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), { column: 'event_time', toZone: 'UTC', out, noPreview: true }),
    ).finally(() => (done = true));
    // the conversion runs first (a worker); then the question waits: it was written at once, row 601 read as UTC
    for (let i = 0; i < 100 && !done; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(done, false, 'normalizeTimestamps finished without asking the zone of the times without an offset');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await run, undefined);
    await assert.rejects(fsp.stat(out), 'a file was written although the zone question was dismissed');
  });

  it('normalizeTimestamps refuses a Zeek .log.gz (as the CLI) instead of listing its bytes as columns', async () => {
    const gz = path.join(root(), 'kpi-cases', 'conn.10:00:00-11:00:00.log.gz');
    await fsp.copyFile(path.join(SHARED, 'data/zeek/day-2024-04-19/conn.10:00:00-11:00:00.log.gz'), gz);
    const out = path.join(root(), 'kpi-cases', 'conn-gz.utc.log');
    assert.equal(await normalizeNoQuestion(gz, { toZone: 'UTC', out, noPreview: true }), undefined);
    await assert.rejects(fsp.stat(out));
  });

  it('normalizeTimestamps converts ts of a Zeek TSV conn.log and writes a Zeek log', async () => {
    const input = path.join(root(), 'kpi-cases', 'conn.log');
    await fsp.writeFile(input, gunzipSync(await fsp.readFile(path.join(SHARED, 'data/zeek/day-2024-04-19/conn.10:00:00-11:00:00.log.gz'))));
    const out = path.join(root(), 'kpi-cases', 'conn.utc.log');
    const res = await normalizeNoQuestion(input, { column: 'ts', toZone: 'UTC', out, noPreview: true });
    assert.ok(res, 'normalizeTimestamps returned nothing');
    assert.equal(res.stats.converted, 1344);
    const lines = (await fsp.readFile(out, 'utf8')).split('\n');
    assert.match(lines[6], /^#fields\t_node_name\tts\t.*\ttunnel_parents\tts_normalized\tts_tz_flag$/);
    assert.match(lines[7], /^#types\tstring\ttime\t.*\tset\[string\]\tstring\tstring$/);
    assert.match(lines[8], /^worker-eth0-1\t1713520795\.434188\tCghnI64wHr1jpn51k9\t.*\t2024-04-19T09:59:55\.434188Z\t-$/);
    assert.equal(lines[lines.length - 2], '#close\t2024-04-19-11-00-00');
  });

  const jobs = () => vscode.commands.executeCommand<{ liveWorkers: number; runningJobs: number }>('socAnalytics.test.jobs');

  /** A generated CSV log of `n` + 2 rows, naive Europe/Berlin times over 300 days of 2026, one in the hour skipped and one in the hour repeated. */
  async function bigLog(name: string, n: number): Promise<string> {
    const file = path.join(root(), 'kpi-cases', name);
    // (the hour skipped and the hour repeated in Europe/Berlin in 2026 first)
    const lines = ['id,host,event_time,message', 'a,host0,2026-03-29 02:30:00,skipped', 'b,host0,2026-10-25 02:30:00,repeated'];
    const start = Date.UTC(2026, 2, 28, 0, 0, 0);
    const step = Math.floor((300 * 86_400_000) / n); // 300 days: both clock changes
    for (let i = 0; i < n; i++) {
      const d = new Date(start + i * step + (i % 7) * 1000);
      lines.push(`${i},host${i % 17},${d.toISOString().slice(0, 19).replace('T', ' ')},"login, ok ${i % 101}"`);
    }
    await fsp.writeFile(file, lines.join('\n') + '\n');
    return file;
  }

  it('normalizeTimestamps runs in a worker thread and writes the same bytes as the direct conversion', async () => {
    const input = await bigLog('big-log.csv', 3_000);
    const out = path.join(root(), 'kpi-cases', 'big-log.utc.csv');
    const args = { column: 'event_time', fromZone: 'Europe/Berlin', toZone: 'UTC', out, noPreview: true };
    let done = false;
    let seenJob = false;
    const run = Promise.resolve(vscode.commands.executeCommand<{ out: string; stats: Record<string, number> } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), args)).finally(() => (done = true));
    while (!done) {
      const j = await jobs();
      if (j.runningJobs > 0 && j.liveWorkers > 0) seenJob = true;
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await run;
    assert.ok(res, 'normalizeTimestamps returned nothing');
    assert.ok(seenJob, 'no worker job was seen while Normalize Timestamps ran');
    const table = await readNormalizeInput(input);
    const direct = normalizeTable(table, { column: 'event_time', format: 'iso', fromZone: 'Europe/Berlin', toZone: 'UTC', ambiguous: 'earlier' });
    assert.equal(await fsp.readFile(out, 'utf8'), renderNormalized(table, direct));
    assert.deepEqual(res.stats, direct.stats);
    assert.ok(direct.stats.ambiguous > 0 && direct.stats.nonexistent > 0, JSON.stringify(direct.stats));
    // the worker is gone with the command, and no temporary file is left
    await poll('the worker to stop', async () => (await jobs()).liveWorkers === 0);
    assert.deepEqual((await fsp.readdir(path.dirname(out))).filter((n) => n.endsWith('.partial')), []);
  });

  it('normalizeTimestamps: Cancel terminates the worker and writes no file', async () => {
    const input = await bigLog('big-log-2.csv', 400_000);
    const out = path.join(root(), 'kpi-cases', 'big-log-2.utc.csv');
    const run = Promise.resolve(
      vscode.commands.executeCommand<{ out: string } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), { column: 'event_time', fromZone: 'Europe/Berlin', toZone: 'UTC', out, noPreview: true }),
    );
    await poll('the Normalize Timestamps job to run', async () => (await jobs()).runningJobs > 0, 30000, { intervalMs: 20 });
    await vscode.commands.executeCommand('socAnalytics.test.jobs', 'cancel');
    assert.equal(await run, undefined);
    await poll('the worker to stop', async () => (await jobs()).liveWorkers === 0);
    await assert.rejects(fsp.stat(out), 'no output file after a cancel');
    assert.deepEqual((await fsp.readdir(path.dirname(out))).filter((n) => n.endsWith('.partial')), []);
    // the command works again after a cancel
    const small = await bigLog('big-log-3.csv', 50);
    const res = await vscode.commands.executeCommand<{ out: string } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(small), { column: 'event_time', fromZone: 'Europe/Berlin', toZone: 'UTC', out: path.join(root(), 'kpi-cases', 'big-log-3.utc.csv'), noPreview: true });
    assert.ok(res);
    assert.ok((await fsp.stat(res.out)).isFile());
  });

  it('normalizeTimestamps pre-selects no source zone for QRadar export times when no console zone is saved', async () => {
    const input = path.join(root(), 'kpi-cases', 'export3.csv');
    await fsp.writeFile(input, 'Event Name,Start Time\n"Failure Audit","Mar 3, 2026, 2:20:05 PM"\n');
    const out = path.join(root(), 'kpi-cases', 'export3.utc.csv');
    const cfg = vscode.workspace.getConfiguration('socAnalytics.qradar');
    const before = cfg.inspect<string>('consoleTimeZone')?.globalValue;
    await cfg.update('consoleTimeZone', undefined, vscode.ConfigurationTarget.Global);
    try {
      let done = false;
      const run = Promise.resolve(
        vscode.commands.executeCommand<{ out: string } | undefined>('socAnalytics.normalizeTimestamps', vscode.Uri.file(input), { column: 'Start Time', toZone: 'UTC', out, noPreview: true }),
      ).finally(() => (done = true));
      // Enter alone (several times) chooses nothing: the prompt stays open
      for (let i = 0; i < 8 && !done; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      const stillAsking = !done;
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      const res = await run;
      assert.ok(stillAsking, `Enter alone chose a zone: ${JSON.stringify(res)}`);
      assert.equal(res, undefined);
      await assert.rejects(fsp.stat(out), 'nothing is written when the question is dismissed');
    } finally {
      await cfg.update('consoleTimeZone', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('the merged timeline shows the cases on one axis', async () => {
    await vscode.commands.executeCommand('socAnalytics.showTimeline');
    const r = await waitRendered('socAnalytics.timeline', 'the timeline to render', (x) => x.cards && x.cards.cases !== undefined && x.totalRows > 0);
    console.log(`    timeline: ${JSON.stringify(r.cards)}`);
    assert.equal(r.cards.cases, '10');
    // every event of every open analysis (Loki findings, offenses, connections of the other suites, if they ran)
    const sum = ['findings', 'offenses', 'pairs', 'cases'].reduce((a, k) => a + Number(r.cards[k]), 0);
    assert.equal(Number(r.cards.events), sum);
    assert.equal(r.totalRows, sum);
  });
});
