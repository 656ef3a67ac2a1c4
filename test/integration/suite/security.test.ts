/**
 * Hostile input in a real VS Code extension host (issue #8).
 *
 * 1. Script injection: the fixture set test/fixtures/injection (every attacker-controlled field of
 *    every format carries an HTML/JS payload) is copied into the workspace with `__PORT__` replaced by
 *    the port of a loopback HTTP listener started here. Every dashboard kind is opened through its
 *    command (Loki, QRadar offenses + events CSV, beacons, cases/KPIs, Ariel counts from a mock console
 *    on 127.0.0.1, merged timeline). Each webview is probed (`socAnalytics.test.probeDashboard`: a DOM
 *    probe answered by the webview, after opening the first row's detail) and must show the payloads
 *    as literal text, have no `window.__pwned` marker, no `PWNED` title, no script other than the
 *    nonce'd bundle, no element with an `on*` attribute, no img/iframe/svg/… element, and a CSP
 *    without 'unsafe-inline'/'unsafe-eval'. No `/pwned/` URL may ever reach the listener. The KPI
 *    HTML report of the payload cases must hold the payloads escaped only.
 * 2. Failures mid-way: cancelling a running analysis at random moments, a worker thread that dies,
 *    a file deleted while it is read: the extension keeps working, no half analysis appears in the
 *    Results tree and no worker is left running (`socAnalytics.test.jobs`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewProbe } from '../../../src/shared/protocol';
import { startMockQRadar, type MockServer } from '../../unit/qradar-api-mock';
import { activateExtension, poll as pollEvery, sleep, waitRendered, workspacePath as root, type AnalyzeResult } from './helpers';

interface Jobs {
  liveWorkers: number;
  runningJobs: number;
  queuedJobs: number;
  maxWorkers: number;
  analyses: number;
}

const REPO = path.resolve(__dirname, '../..'); // out/integration/suite.js → repo root
const FIXTURES = path.join(REPO, 'test/fixtures/injection');
const PAYLOADS = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'payloads.json'), 'utf8')) as { payloads: Record<string, string>; noSpace: Record<string, string> });
const TOKEN = 'SECtok-security-9f8e7d6c-5b4a-4321-8765-0fedcba98765';
const POLL_EVERY = { intervalMs: 150 };

/** {@link pollEvery} every 150 ms (this suite's pace). */
function poll<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  return pollEvery(what, fn, timeoutMs, POLL_EVERY);
}

/** Copies the fixture tree into `dest`, replacing `__PORT__` with the listener's port. */
function copyFixtures(src: string, dest: string, port: number): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name);
    const d = path.join(dest, e.name);
    if (e.isDirectory()) copyFixtures(s, d, port);
    else if (!e.name.endsWith('.mjs')) fs.writeFileSync(d, fs.readFileSync(s, 'utf8').split('__PORT__').join(String(port)));
  }
}

const jobs = (action?: 'cancel' | 'crash') => vscode.commands.executeCommand<Jobs>('socAnalytics.test.jobs', action);

describe('Hostile input: no payload runs in any dashboard (real VS Code)', () => {
  let listener: http.Server;
  let port = 0;
  const requests: string[] = [];
  let ws = '';
  let mock: MockServer | undefined;
  /** payload → the same text with the real port, as the analyses read it. */
  const P: Record<string, string> = {};
  const opened: { kind: string; id: string }[] = [];

  before(async () => {
    await activateExtension();
    listener = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as AddressInfo).port;
    for (const [k, v] of Object.entries({ ...PAYLOADS.payloads, ...PAYLOADS.noSpace })) P[k] = v.split('__PORT__').join(String(port));
    ws = path.join(root(), 'injection');
    copyFixtures(FIXTURES, ws, port);
    const cfg = vscode.workspace.getConfiguration('socAnalytics');
    await cfg.update('displayTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    await cfg.update('qradar.consoleTimeZone', 'UTC', vscode.ConfigurationTarget.Global);
    await cfg.update('kpi.taggingRulesFile', path.join(ws, 'cases', 'tagging.json'), vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    const cfg = vscode.workspace.getConfiguration('socAnalytics');
    await cfg.update('qradar.consoleTimeZone', undefined, vscode.ConfigurationTarget.Global);
    await cfg.update('kpi.taggingRulesFile', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg.update('qradar.consoleUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('socAnalytics.clearQRadarToken');
    await mock?.close();
    await new Promise((r) => listener.close(r));
  });

  it('the loopback listener records requests (positive control)', async () => {
    await new Promise<void>((resolve, reject) => http.get(`http://127.0.0.1:${port}/control`, (r) => (r.resume(), r.on('end', resolve))).on('error', reject));
    assert.ok(requests.includes('/control'), requests.join(', '));
  });

  /** Waits for the dashboard, probes it (after opening row 0's detail) and checks that nothing ran. */
  async function probeAndCheck(kind: string, id: string, literal: string[], detailLiteral: string[] = []): Promise<WebviewProbe> {
    opened.push({ kind, id });
    await waitRendered(id, `the ${kind} dashboard to render`, (r) => Object.keys(r.cards).length > 0 && r.visibleRows > 0, POLL_EVERY);
    const probe = await poll(`a DOM probe of the ${kind} dashboard`, () => Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', id, 0)));
    console.log(`    ${kind}: title ${JSON.stringify(probe.title)}, ${probe.text.length} chars of text, detail ${probe.detailText?.length ?? 0} chars, scripts ${JSON.stringify(probe.scripts.map((x) => x.src || `inline:${x.inline.slice(0, 40)}`))}`);
    assert.equal(probe.marker, false, `${kind}: window.__pwned was set — a payload ran`);
    assert.doesNotMatch(probe.title, /PWNED/, `${kind}: document.title was changed by a payload`);
    // Our document has exactly one script: the nonce'd bundle. Any other <script> is an injection,
    // except the host script VS Code itself puts into every webview document (no src, no nonce of ours).
    const ours = probe.scripts.filter((x) => x.nonce);
    assert.equal(ours.length, 1, `${kind}: scripts ${JSON.stringify(probe.scripts)}`);
    assert.match(ours[0].src, /\/dashboard\.js$/);
    const others = probe.scripts.filter((x) => !x.nonce);
    assert.ok(others.length <= 1 && others.every((x) => !x.src && !/__pwned|PWNED/.test(x.inline)), `${kind}: unexpected scripts ${JSON.stringify(others)}`);
    assert.equal(probe.handlerElements, 0, `${kind}: an element carries an on* attribute`);
    assert.deepEqual(probe.foreignElements, [], `${kind}: payload elements in the app`);
    assert.match(probe.csp, /default-src 'none'/);
    assert.match(probe.csp, /script-src 'nonce-[A-Za-z0-9]+'/);
    assert.doesNotMatch(probe.csp, /unsafe-inline|unsafe-eval/);
    for (const l of literal) assert.ok(probe.text.includes(l), `${kind}: the text ${JSON.stringify(l)} is not shown literally`);
    for (const l of detailLiteral) assert.ok((probe.detailText ?? '').includes(l), `${kind}: the detail pane does not show ${JSON.stringify(l)} literally: ${probe.detailText?.slice(0, 500)}`);
    assert.equal(probe.text.includes(TOKEN) || (probe.detailText ?? '').includes(TOKEN), false, `${kind}: the QRadar token reached the webview`);
    return probe;
  }

  it('Loki: payload host names, paths, rule names and descriptions render as text', async () => {
    const uri = vscode.Uri.file(path.join(ws, 'loki'));
    const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', uri, [uri]);
    assert.ok(r, 'analyzeLoki returned nothing');
    assert.deepEqual([r.summary.files, r.summary.hosts, r.summary.alerts, r.summary.warnings, r.summary.unparsedLines], [2, 2, 3, 4, 0]);
    await probeAndCheck('loki', r.analysisId, [P.host, `${P.img} host`], []);
  });

  it('Results tree: an input path with Markdown, HTML, a URL and an e-mail address is shown as text in the tooltip', async () => {
    // a folder name is attacker-controlled (an unpacked archive); the tooltip is a MarkdownString
    const dir = path.join(ws, 'www.evil.example [x](command:workbench.action.terminal.new) <img src=x> *b* user@evil.com');
    fs.cpSync(path.join(ws, 'loki'), dir, { recursive: true });
    const uri = vscode.Uri.file(dir);
    const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', uri, [uri]);
    assert.ok(r, 'analyzeLoki returned nothing');
    const tip = await vscode.commands.executeCommand<{ markdown: string; isTrusted: boolean; supportHtml: boolean; supportThemeIcons: boolean } | undefined>('socAnalytics.test.treeTooltip', r.analysisId);
    assert.ok(tip?.markdown, JSON.stringify(tip));
    assert.deepEqual([tip.isTrusted, tip.supportHtml, tip.supportThemeIcons], [false, false, false]);
    // no Markdown syntax is left: every ASCII punctuation character is escaped (apart from our own &nbsp;)
    assert.doesNotMatch(tip.markdown.replace(/&nbsp;/g, '').replace(/\\[!-/:-@[-`{-~]/g, ''), /[!-/:-@[-`{-~]/, tip.markdown);
    const text = tip.markdown.replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.ok(text.includes(`Inputs: ${dir}`), text);
    // the run's time is written in the display zone, as on the dashboards (it was raw ISO UTC: 2026-12-04T18:05:18.201Z)
    const cfg = vscode.workspace.getConfiguration('socAnalytics');
    const before = cfg.inspect<string>('displayTimeZone')?.globalValue;
    await cfg.update('displayTimeZone', 'Asia/Kolkata', vscode.ConfigurationTarget.Global);
    try {
      const tz = await vscode.commands.executeCommand<{ markdown: string } | undefined>('socAnalytics.test.treeTooltip', r.analysisId);
      const t = (tz?.markdown ?? '').replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
      // (after the whole label, which heads the tooltip: `Loki · <folder> (2 files)`)
      assert.match(t, /^Loki · www\.evil\.example .* \(2 files\)\n\nLoki analysis — \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Asia\/Kolkata\)/, t);
    } finally {
      await cfg.update('displayTimeZone', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('QRadar: payload descriptions, sources, users, closing reasons, offense types and CSV headers render as text', async () => {
    const files = ['offenses.json', 'offense_closing_reasons.json', 'offense_types.json', 'log_activity_export.csv'].map((f) => vscode.Uri.file(path.join(ws, 'qradar', f)));
    const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeQRadar', files[0], files);
    assert.ok(r, 'analyzeQRadar returned nothing');
    assert.deepEqual([r.summary.offenses, r.summary.open, r.summary.closed, r.summary.falsePositive, r.summary.escalated], [4, 2, 2, 1, 1]);
    await probeAndCheck('qradar', r.analysisId, [P.svg], []);
  });

  it('Beacons: payload FQDNs from ssl.log server_name and http.log Host render as text', async () => {
    const uri = vscode.Uri.file(path.join(ws, 'zeek'));
    const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.detectBeacons', uri, [uri]);
    assert.ok(r, 'detectBeacons returned nothing');
    // Zeek host names are compared case-insensitively (lower-cased), so is the literal check
    const probe = await probeAndCheck('beacons', r.analysisId, []);
    const text = probe.text.toLowerCase();
    assert.ok(text.includes(P.img.toLowerCase()) || text.includes(P.script.toLowerCase()) || text.includes(`${P.svg}.example`.toLowerCase()), 'no payload FQDN shown literally');
  });

  it('Cases: payload titles, analysts, dispositions, CSV header and rule tags render as text; the HTML report escapes them', async () => {
    const uri = vscode.Uri.file(path.join(ws, 'cases', 'cases.csv'));
    const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', uri, [uri]);
    assert.ok(r, 'analyzeCases returned nothing');
    assert.deepEqual([r.summary.cases, r.summary.tags, r.summary.untagged, r.summary.errors], [4, 4, 1, 0]);
    await probeAndCheck('kpi', r.analysisId, [`Logon ${P.script}`, `AV ${P.img}`]);
    const files = await vscode.commands.executeCommand<{ html: string; markdown: string } | undefined>('socAnalytics.generateKpiReport', r.analysisId);
    assert.ok(files, 'generateKpiReport returned nothing');
    const html = fs.readFileSync(files.html, 'utf8');
    // escaped only: no raw payload anywhere (nor in the embedded SVG charts), no script, images are data: charts only
    assert.doesNotMatch(html, /<script|<iframe|<object|<embed|<base|<link/i, 'a payload tag survived in the HTML report');
    for (const img of html.match(/<img\b[^>]*>/g) ?? []) assert.match(img, /^<img alt="[^"<>]*" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+">$/, img.slice(0, 200));
    const svgs = [...html.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
    for (const doc of [html, ...svgs]) for (const [k, v] of Object.entries(P)) assert.equal(doc.includes(v), false, `raw payload ${k} in the report`);
    assert.ok(html.includes('Logon &lt;script&gt;window.__pwned=1;document.title=&#39;PWNED&#39;&lt;/script&gt;'), 'the payload tag is not shown escaped in the report');
    assert.doesNotMatch(html, new RegExp(`127\\.0\\.0\\.1:${port}/pwned/[a-z]+"`), 'a payload URL is an attribute value in the report');
  });

  it('Ariel counts: payload event names from a (mock) console render as text; the token never reaches the webview', async () => {
    const rows = (JSON.parse(fs.readFileSync(path.join(ws, 'qradar', 'ariel_rows.json'), 'utf8')) as { events: Record<string, unknown>[] }).events;
    mock = await startMockQRadar({ token: TOKEN, offenses: [], closingReasons: [], offenseTypes: [], arielRows: () => rows });
    await vscode.workspace.getConfiguration('socAnalytics.qradar').update('consoleUrl', mock.url, vscode.ConfigurationTarget.Workspace);
    assert.equal(await vscode.commands.executeCommand('socAnalytics.setQRadarToken', { token: TOKEN }), true);
    const r = await vscode.commands.executeCommand<{ file: string; rows: number; analysis?: AnalyzeResult }>('socAnalytics.countQRadarEvents', { group: 'eventName', from: 1772540000000, to: 1772620000000 });
    assert.ok(r?.analysis, 'the count dashboard was not opened');
    assert.deepEqual(r.analysis.summary, { files: 1, groups: 3, events: 10, errors: 0 });
    await probeAndCheck('ariel', r.analysis.analysisId, [P.img, P.script, P.formula]);
  });

  it('the merged timeline shows every payload analysis as text', async () => {
    await vscode.commands.executeCommand('socAnalytics.showTimeline');
    await sleep(500);
    await probeAndCheck('timeline', 'socAnalytics.timeline', []);
  });

  it('no payload URL was ever requested from the loopback listener', async () => {
    assert.ok(opened.length >= 6, `dashboards opened: ${opened.map((o) => o.kind).join(', ')}`);
    await sleep(1500); // late image/style loads
    const pwned = requests.filter((u) => u.includes('/pwned'));
    assert.deepEqual(pwned, [], `payload URLs were requested: ${pwned.join(', ')}`);
  });
});

describe('Failures mid-way: cancel, worker crash, file deleted while read (real VS Code)', () => {
  let big = '';
  let small = '';

  before(async function () {
    this.timeout(120000);
    const dir = path.join(root(), 'failures');
    fs.mkdirSync(dir, { recursive: true });
    big = path.join(dir, 'loki_BIGHOST_big.log');
    // ~175 MB of Info lines and a few findings: takes about a second or more to analyze
    const info = '20211013T22:11:03Z BIGHOST LOKI: Info: MODULE: FileScan MESSAGE: Scanning C:\\Windows\\System32\\drivers\\etc\\some\\long\\path\\to\\file\\number\\';
    const fd = fs.openSync(big, 'w');
    for (let b = 0; b < 120; b++) {
      const lines: string[] = [];
      for (let i = 0; i < 10000; i++) lines.push(`${info}${b * 10000 + i} ...`);
      fs.writeSync(fd, lines.join('\n') + '\n');
    }
    fs.closeSync(fd);
    small = path.join(dir, 'loki_SMALLHOST_small.log');
    fs.writeFileSync(small, `20211013T22:11:03Z SMALLHOST LOKI: Warning: MODULE: FileScan MESSAGE: FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 10 REASON_1: Yara Rule MATCH: R SUBSCORE: 70 DESCRIPTION: d REF: r\n`);
  });

  after(() => fs.rmSync(path.join(root(), 'failures'), { recursive: true, force: true }));

  /** Seeded PRNG (mulberry32): the "random moments" are the same on every run. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  async function noWorkerLeft(): Promise<Jobs> {
    return poll('every worker to stop', async () => {
      const j = await jobs();
      return j.liveWorkers === 0 && j.runningJobs === 0 ? j : undefined;
    }, 10000);
  }

  it('cancelling at random moments adds nothing and leaves no worker running', async function () {
    this.timeout(180000);
    const next = rng(8);
    const uri = vscode.Uri.file(big);
    let cancelled = 0;
    for (let i = 0; i < 6; i++) {
      const before = await noWorkerLeft();
      const delay = Math.floor(next() * 900);
      const run = Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', uri, [uri]));
      await sleep(delay);
      await jobs('cancel');
      const r = await run;
      const after = await noWorkerLeft();
      if (r === undefined) cancelled++;
      // cancelled: nothing added. Finished before the cancel: one complete analysis (a re-run of the
      // same inputs refreshes the existing one instead of adding a duplicate).
      if (r === undefined) assert.equal(after.analyses, before.analyses, `run ${i} (cancel after ${delay} ms): Results tree ${before.analyses} → ${after.analyses}`);
      else {
        assert.ok(after.analyses === before.analyses || after.analyses === before.analyses + 1, `run ${i}: ${before.analyses} → ${after.analyses}`);
        assert.equal(r.summary.files, 1);
      }
    }
    console.log(`    ${cancelled} of 6 runs cancelled mid-way`);
    assert.ok(cancelled >= 3, `only ${cancelled} runs were cancelled mid-way: the file is too small to test cancellation`);
  });

  it('a worker that dies mid-way gives an error, adds nothing, and the next analysis works', async function () {
    this.timeout(60000);
    const before = await noWorkerLeft();
    const uri = vscode.Uri.file(big);
    const run = Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', uri, [uri]));
    await poll('the worker to start', async () => ((await jobs()).liveWorkers > 0 ? true : undefined), 10000);
    await sleep(100);
    await jobs('crash');
    assert.equal(await run, undefined, 'a crashed job must not return an analysis');
    const after = await noWorkerLeft();
    assert.equal(after.analyses, before.analyses, 'no half analysis in the Results tree');
    const ok = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', vscode.Uri.file(small), [vscode.Uri.file(small)]);
    assert.ok(ok, 'the extension must keep working after a worker crash');
    assert.equal(ok.summary.warnings, 1);
    assert.ok((await noWorkerLeft()).analyses <= before.analyses + 1);
  });

  it('three analyses started at once: at most two workers run, the third waits and then runs (review: N restored panels started N workers)', async function () {
    this.timeout(120000);
    await noWorkerLeft();
    // three inputs (hard links of the big log, so three analyses, not one refreshed)
    const paths = [1, 2, 3].map((n) => path.join(path.dirname(big), `loki_BIGHOST_link${n}.log`));
    for (const p of paths) if (!fs.existsSync(p)) fs.linkSync(big, p);
    let done = 0;
    const runs = paths.map((p) => Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', vscode.Uri.file(p), [vscode.Uri.file(p)])).finally(() => done++));
    let maxLive = 0;
    let sawQueued = false;
    let max = 0;
    while (done < 3) {
      const j = await jobs();
      max = j.maxWorkers;
      maxLive = Math.max(maxLive, j.liveWorkers);
      if (j.queuedJobs > 0) sawQueued = true;
      await sleep(20);
    }
    const results = await Promise.all(runs);
    console.log(`    at most ${maxLive} of ${max} workers at once; a job waited: ${sawQueued}`);
    assert.ok(max >= 1 && max <= 2, `maxWorkers ${max}`);
    assert.ok(maxLive <= max, `${maxLive} workers ran at once (at most ${max})`);
    assert.ok(sawQueued, 'the third analysis waited for a slot');
    assert.deepEqual(results.map((r) => r?.summary.files), [1, 1, 1], 'all three completed');
    await noWorkerLeft();
    for (const p of paths) fs.rmSync(p, { force: true });
  });

  it('a file deleted while it is read: the analysis completes or fails cleanly, and nothing is left running', async function () {
    this.timeout(60000);
    const copy = path.join(path.dirname(big), 'loki_BIGHOST_deleted.log');
    fs.copyFileSync(big, copy);
    const before = await noWorkerLeft();
    const uri = vscode.Uri.file(copy);
    const run = Promise.resolve(vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', uri, [uri]));
    await poll('the worker to start', async () => ((await jobs()).liveWorkers > 0 ? true : undefined), 10000);
    await sleep(150);
    fs.rmSync(copy);
    const r = await run;
    const after = await noWorkerLeft();
    if (r === undefined) assert.equal(after.analyses, before.analyses);
    else assert.ok(after.analyses - before.analyses <= 1);
    // POSIX keeps an unlinked file readable through the open descriptor: every line is still read
    if (r) assert.equal(r.summary.files, 1);
    const ok = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', vscode.Uri.file(small), [vscode.Uri.file(small)]);
    assert.ok(ok);
  });
});

/**
 * Workspace trust. Registered only in the Restricted Mode run of the launcher
 * (`node test/integration/runServer.mjs --suite --restricted --grep "Restricted Mode"`: workspace
 * trust on, the folder not trusted, SOC_RESTRICTED=1); it fails when the folder is trusted there.
 */
if (process.env.SOC_RESTRICTED === '1') {
  describe('Restricted Mode: local analysis works; QRadar fetches and workspace regexes are disabled with an explanation (real VS Code)', () => {
    const shown: string[] = [];
    const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
    const originals: Record<string, (...a: unknown[]) => Thenable<unknown>> = {};
    let mock: MockServer | undefined;

    before(async () => {
      await activateExtension('the extension must be active in Restricted Mode (untrustedWorkspaces: limited)');
      for (const k of ['showWarningMessage', 'showErrorMessage', 'showInformationMessage']) {
        originals[k] = win[k];
        win[k] = (...a: unknown[]) => {
          shown.push(String(a[0]));
          return Promise.resolve(undefined);
        };
      }
    });
    after(async () => {
      for (const [k, f] of Object.entries(originals)) win[k] = f;
      await mock?.close();
    });

    it('the workspace is not trusted', () => {
      assert.equal(vscode.workspace.isTrusted, false, 'the launcher must run this suite in Restricted Mode (--restricted)');
    });

    it('analyzing local Loki files works', async () => {
      const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'loki-results');
      const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeLoki', uri, [uri]);
      assert.ok(r, 'analyzeLoki returned nothing in Restricted Mode');
      assert.equal(r.summary.files, 4);
      assert.ok(r.summary.alerts > 0);
    });

    it('cases are tagged by substring rules; the workspace regex rule is not run and the user is told why', async () => {
      const dir = path.join(root(), 'restricted-cases');
      fs.mkdirSync(path.join(root(), '.soc'), { recursive: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(REPO, 'test/fixtures/cases/kpi-small.csv'), path.join(dir, 'kpi-small.csv'));
      // a regex rule before the substring rules that would tag every "log…n" title
      fs.writeFileSync(path.join(root(), '.soc', 'tagging.json'), JSON.stringify({ rules: [{ tag: 'ReTag', match: 'log.n', type: 'regex' }, { tag: 'Logon', match: ['logon', 'login'] }] }));
      shown.length = 0;
      const uri = vscode.Uri.file(path.join(dir, 'kpi-small.csv'));
      const r = await vscode.commands.executeCommand<AnalyzeResult | undefined>('socAnalytics.analyzeCases', uri, [uri]);
      assert.ok(r, 'analyzeCases returned nothing in Restricted Mode');
      assert.equal(r.summary.cases, 10);
      assert.equal(r.summary.errors, 1, 'the skipped regex rule is reported');
      const rendered = await waitRendered(r.analysisId, 'the cases dashboard', (x) => x.visibleRows > 0 && !!x.firstRow && x.firstRow.length > 0, POLL_EVERY);
      assert.equal(rendered.totalRows, 10);
      // C-1 "Multiple login failures for admin": tagged by the substring rule, not by the skipped regex rule
      assert.ok(rendered.firstRow!.includes('Logon') && !rendered.firstRow!.includes('ReTag'), `the regex rule tagged cases: ${JSON.stringify(rendered.firstRow)}`);
      const probe = await poll('a DOM probe', () => Promise.resolve(vscode.commands.executeCommand<WebviewProbe | undefined>('socAnalytics.test.probeDashboard', r.analysisId)));
      assert.match(probe.text, /rule 1 \("ReTag", line 1\): regular expression not run — user-supplied regular expressions are disabled in Restricted Mode/);
      // the skipped rule stays listed in the coverage table, disabled with the reason
      assert.match(probe.text, /not run in Restricted Mode \(regular expression from an untrusted workspace\)/);
      assert.ok(probe.text.includes('Logon'));
      await poll('a warning', () => (shown.some((m) => /Restricted Mode|problem/i.test(m)) ? true : undefined), 5000);
    });

    it('fetching from QRadar is refused with an explanation and sends no request', async () => {
      mock = await startMockQRadar({ token: TOKEN, offenses: [] });
      shown.length = 0;
      const r = await vscode.commands.executeCommand('socAnalytics.fetchQRadarOffenses', { from: '-1d', to: 'now', open: false });
      assert.equal(r, undefined);
      const c = await vscode.commands.executeCommand('socAnalytics.countQRadarEvents', { group: 'eventName', from: 1772540000000, to: 1772620000000 });
      assert.equal(c, undefined);
      assert.ok(shown.some((m) => /disabled in Restricted Mode/.test(m)), shown.join('\n'));
      assert.equal(mock.requests.length, 0);
    });
  });
}
