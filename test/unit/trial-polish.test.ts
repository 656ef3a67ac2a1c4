/**
 * Fixes from the new-user trial (polish round): a Loki host without findings whose scanner logged errors reads as an
 * incomplete scan, not clean (cards, Hosts table, CLI text and --json, Markdown summary), on the real scans of
 * shared/data/loki/real-2021-2022 (AD: 4 YARA rule files Loki could not read).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { hostVerdictLabel } from '../../src/core/analyze/loki-summary';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { formatPercent } from '../../src/core/percent';
import { formatRate } from '../../src/core/analyze/kpi';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { capture } from './cli-capture';

const DATA = resolve(__dirname, '../../../../shared/data');
const REAL = join(DATA, 'loki/real-2021-2022');
const FIX = resolve(__dirname, '../../../test/fixtures');
const AD_LOG = readFileSync(join(REAL, 'scan_result (2).log'), 'utf8');
const QSET: QRadarSettings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
const TMP = mkdtempSync(join(tmpdir(), 'soc-polish-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('Loki: a host without findings whose scanner logged errors is an incomplete scan, not clean', () => {
  test('the real AD scan (4 signature files not read): verdict, counts, cards and Hosts table', async () => {
    const a = await runLokiAnalysis([REAL]);
    const ad = a.hosts.find((h) => h.host === 'AD')!;
    assert.deepEqual([ad.verdict, ad.incompleteByScannerErrors, ad.scanErrors, ad.incomplete], ['incomplete', true, 4, undefined]);
    assert.equal(hostVerdictLabel(ad), 'Incomplete scan (scanner errors)');
    assert.deepEqual([a.summary.cleanHosts, a.summary.incompleteByScannerErrors, a.summary.hostsWithFindings, a.summary.incompleteHosts], [0, 1, 3, 0]);
    const m = buildLokiDashboard(a, 'real', 'UTC');
    assert.deepEqual(
      m.cards.filter((c) => c.id === 'cleanHosts' || c.id === 'incompleteByScannerErrors').map((c) => [c.label, c.value, c.tone, c.tab]),
      [
        ['Clean hosts', 0, 'ok', undefined],
        ['Incomplete scan', 1, 'warning', 'scanner'],
      ],
    );
    assert.ok(!m.cards.some((c) => /with scanner errors/.test(c.label)), 'no "Clean hosts (1 with scanner errors)"');
    const hosts = m.tables.find((t) => t.id === 'hosts')!;
    assert.deepEqual(hosts.rows.map((r) => [r[0], r[1]]), [
      ['DS1', 'Indicators detected'],
      ['DS-SER1', 'Indicators detected'],
      ['Server1', 'Suspicious objects detected'],
      ['AD', 'Incomplete scan (scanner errors)'],
    ]);
  });

  test('CLI text and --json, Markdown summary', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0);
    assert.match(c.out(), /^ {2}Hosts with findings \(alert\/warning\): 3 {3}Clean hosts: 0 {3}Incomplete scan \(scanner errors\): 1$/m);
    assert.match(c.out(), /^AD +Incomplete scan \(scanner errors\) +- +0 +0 +0 /m);
    assert.doesNotMatch(c.out(), /Clean \(with scanner errors\)/);
    const j = capture();
    assert.equal(await main(['loki', REAL, '--json'], j.io), 0);
    const doc = JSON.parse(j.out());
    assert.deepEqual([doc.summary.cleanHosts, doc.summary.incompleteByScannerErrors], [0, 1]);
    const adJson = doc.hosts.find((h: { host: string }) => h.host === 'AD');
    assert.deepEqual([adJson.verdict, adJson.incomplete, adJson.incompleteByScannerErrors, adJson.scannerErrors], ['incomplete', false, true, 4]);
    assert.equal(doc.hosts.find((h: { host: string }) => h.host === 'DS1').incompleteByScannerErrors, false);
    const md = lokiMarkdown(await runLokiAnalysis([REAL]), { zone: 'UTC' });
    assert.match(md, /^- Hosts: 4 \(3 with alerts or warnings, 0 clean, 1 with an incomplete scan \(scanner errors\)\)$/m);
  });

  test('the same AD scan without its ERROR lines is clean; with --all-scans the errored older scan is its own row', async () => {
    const clean = AD_LOG.split('\n').filter((l) => !l.includes(',ERROR,')).join('\n');
    const d1 = join(TMP, 'clean');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d1);
    writeFileSync(join(d1, 'ad.log'), clean);
    let a = await runLokiAnalysis([d1]);
    assert.deepEqual([a.hosts[0].verdict, hostVerdictLabel(a.hosts[0]), a.summary.cleanHosts, a.summary.incompleteByScannerErrors], ['clean', 'Clean', 1, 0]);
    assert.ok(!buildLokiDashboard(a, 'x', 'UTC').cards.some((c) => c.id === 'incompleteByScannerErrors'));
    // the real (errored) scan, and the clean one a week later
    const d2 = join(TMP, 'two');
    mkdirSync(d2);
    writeFileSync(join(d2, 'ad-a.log'), AD_LOG);
    writeFileSync(join(d2, 'ad-b.log'), clean.replaceAll('20211013T', '20211020T'));
    a = await runLokiAnalysis([d2]);
    assert.deepEqual([a.hosts[0].verdict, hostVerdictLabel(a.hosts[0])], ['clean', 'Clean']); // the latest scan only
    a = await runLokiAnalysis([d2], { includeAllScans: true });
    assert.deepEqual(a.scans.map((h) => hostVerdictLabel(h)), ['Incomplete scan (scanner errors)', 'Clean']);
    assert.deepEqual([a.hosts[0].verdict, hostVerdictLabel(a.hosts[0]), a.summary.cleanHosts, a.summary.incompleteByScannerErrors], ['incomplete', 'Incomplete scan (scanner errors)', 0, 1]);
  });
});

describe('Cards: the label agrees with the value in number (1 Notice, 4 Scanner errors)', () => {
  test('the real Loki scans: 1 Notice, 1 Host with an incomplete scan; the others plural', async () => {
    const m = buildLokiDashboard(await runLokiAnalysis([REAL]), 'real', 'UTC');
    const cards = Object.fromEntries(m.cards.map((c) => [c.id, `${c.value} ${c.label}`]));
    assert.deepEqual(
      [cards.files, cards.hosts, cards.hostsWithFindings, cards.cleanHosts, cards.alerts, cards.warnings, cards.notices, cards.unparsed, cards.setAside, cards.scannerErrors],
      ['4 Files', '4 Hosts', '3 Hosts with findings', '0 Clean hosts', '7 Alerts', '11 Warnings', '1 Notice', '0 Unparsed lines', '0 Scans set aside', '4 Scanner errors'],
    );
  });

  test('the real QRadar samples and a one-of-each model: no "1 <plural>" card', async () => {
    const p = await runQRadarRead([join(DATA, 'qradar/samples')]);
    const { model } = buildQRadarDashboard(p, 'samples', QSET);
    for (const c of model.cards) if (c.value === 1) assert.doesNotMatch(c.label, /^(Offenses|False positives|Distinct descriptions|Exported events|Problems)\b/, `${c.value} ${c.label}`);
    const problems = model.cards.find((c) => c.id === 'errors')!;
    assert.equal(`${problems.value} ${problems.label}`, '1 Problem'); // error_401.json
  });
});

describe('Percentages: one style everywhere (formatPercent: no space, one decimal where needed)', () => {
  test('formatPercent', () => {
    assert.deepEqual([formatPercent(2 / 7), formatPercent(1), formatPercent(0.5), formatPercent(0), formatPercent(1 / 3), formatPercent(0.12345, 2), formatPercent(undefined), formatPercent(NaN), formatPercent(-0.0001)], ['28.6%', '100%', '50%', '0%', '33.3%', '12.35%', '–', '–', '0%']);
    assert.equal(formatRate(2 / 7), '28.6%');
  });

  test('the real QRadar samples: the CLI and the dashboard write the same 100% (not 100.0% / 100%); the KPI fixture 28.6% (2 of 7)', async () => {
    const c = capture();
    assert.equal(await main(['qradar', join(DATA, 'qradar/samples')], c.io), 0);
    assert.match(c.out(), /^ {4}1 {7}100% {2}203\.0\.113\.45 /m);
    assert.doesNotMatch(c.out(), /\d\.0%|\d %/);
    const p = await runQRadarRead([join(DATA, 'qradar/samples')]);
    const { model } = buildQRadarDashboard(p, 'samples', QSET);
    const noise = model.tables.find((t) => t.rows.some((r) => r.includes('203.0.113.45')))!;
    assert.ok(noise.rows.find((r) => r.includes('203.0.113.45'))!.includes('100%'));
    const a = await runKpiAnalysis([join(FIX, 'cases/kpi-small.csv')], { rulesPath: join(FIX, 'cases/tagging.json'), asOf: Date.parse('2026-03-10T12:00:00Z') });
    const d = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC');
    assert.equal(d.cards.find((x) => x.id === 'escalationRate')!.value, '28.6%');
  });
});

describe('QRadar log sources: all in the top list when they fit, ties named', () => {
  test('the real samples (4 log sources, 3 of them with 1 offense): listed once, most first, the 1-offense tie said', async () => {
    const p = await runQRadarRead([join(DATA, 'qradar/samples')]);
    const { model, summary } = buildQRadarDashboard(p, 'samples', QSET);
    assert.deepEqual(summary.bottomLogSources, []);
    const t = model.tables.find((x) => x.id === 'logSources')!;
    assert.equal(t.title, 'Log sources (all 4, most offenses first)');
    assert.deepEqual(t.columns.map((c) => c.title), ['Log source (Custom Rule Engine excluded)', 'Type', 'Offenses', 'Rank']);
    assert.deepEqual(t.rows, [
      ['CheckPoint @ fw-edge-01.corp.example', 'CheckPoint', 3, '1'],
      ['PayrollApp @ app-pay-07.corp.example', 'PayrollAppCustom', 1, '2–4 (3 tied)'],
      ['Sysmon @ ws-fin-042.corp.example', 'WindowsAuthServer', 1, '2–4 (3 tied)'],
      ['WindowsAuthServer @ dc02.corp.example', 'WindowsAuthServer', 1, '2–4 (3 tied)'],
    ]);
    // --json: the same, with rank and ties
    const c = capture();
    assert.equal(await main(['qradar', join(DATA, 'qradar/samples'), '--json'], c.io), 0);
    const j = JSON.parse(c.out());
    assert.deepEqual(j.bottomLogSources, []);
    assert.deepEqual(j.topLogSources.map((l: { count: number; rank: number; ties: number }) => [l.count, l.rank, l.ties]), [[3, 1, 0], [1, 2, 2], [1, 2, 2], [1, 2, 2]]);
  });

  test('more sources than the top list: top and bottom, ties at the cut named in both', async () => {
    const p = await runQRadarRead([join(DATA, 'qradar/samples')]);
    const { model } = buildQRadarDashboard(p, 'samples', { ...QSET, topN: 2 });
    const t = model.tables.find((x) => x.id === 'logSources')!;
    assert.equal(t.title, 'Log sources (top 2 / bottom 2)');
    assert.deepEqual(t.rows.map((r) => [r[2], r[3], r[4]]), [
      [3, '1', 'top'],
      [1, '2–4 (3 tied)', 'top'],
      [1, '2–4 (3 tied)', 'bottom'],
      [1, '2–4 (3 tied)', 'bottom'],
    ]);
  });
});

describe('Loki Top rules chart: coloured by the rule\'s highest level, its order said', () => {
  test('the real scans: 12 bars, most findings first, each with its rule\'s maxLevel as colour key', async () => {
    const a = await runLokiAnalysis([REAL]);
    const chart = buildLokiDashboard(a, 'real', 'UTC').charts.find((c) => c.id === 'top-rules')!;
    assert.equal(chart.title, 'Top 12 rules by findings');
    assert.match(chart.note ?? '', /^Most findings first; bar colour: the rule’s highest level/);
    const level = new Map(a.rules.map((r) => [r.rule, r.maxLevel]));
    assert.deepEqual(chart.colorKeys, chart.facetValues!.map((r) => level.get(r)));
    assert.deepEqual([chart.labels[0], chart.colorKeys![0], chart.labels[1], chart.colorKeys![1]], ['psexec_generic', 'WARNING', 'Hacktool_Strings_p0wnedShell', 'ALERT']);
  });
});

describe('qradar text report: an API error answer is listed once (as a problem, not again under Left out)', () => {
  test('the real samples: error_401.json under "1 problem" only; the Ariel files still under Left out; --json keeps both lists', async () => {
    const c = capture();
    assert.equal(await main(['qradar', join(DATA, 'qradar/samples')], c.io), 0);
    const out = c.out();
    assert.equal(out.split('\n').filter((l) => l.includes('error_401.json')).length, 1, out);
    assert.match(out, /^1 problem:\n {2}\S*error_401\.json: not an export: an error answer of the QRadar API/m);
    const left = out.slice(out.indexOf('Left out:\n'));
    assert.deepEqual(left.split('\n').slice(1).filter(Boolean).map((l) => l.replace(/^ {2}\S*\//, '')), [
      'ariel_search_results.json: Ariel search results (not analyzed)',
      'ariel_search_status.json: Ariel search status (not analyzed)',
    ]);
    const j = capture();
    assert.equal(await main(['qradar', join(DATA, 'qradar/samples'), '--json'], j.io), 0);
    const doc = JSON.parse(j.out());
    assert.ok(doc.skipped.some((k: { file: string }) => k.file.endsWith('error_401.json')));
    assert.ok(doc.errors.some((e: { file: string }) => e.file.endsWith('error_401.json')));
  });
});

describe('KPI: "generic" said in words; the several-rules table names the case Id beside its Line', () => {
  test('kpi on kpi-small.csv: "10 cases (case export, columns mapped by the generic case reader)"; Id C-4 and C-5 in the dashboard table', async () => {
    const c = capture();
    assert.equal(await main(['kpi', join(FIX, 'cases/kpi-small.csv'), '--as-of', '2026-03-10T12:00:00Z'], c.io), 0, c.err());
    assert.match(c.out(), /^10 cases \(case export, columns mapped by the generic case reader\), display zone /m);
    assert.doesNotMatch(c.out(), /\(generic\)/);
    const a = await runKpiAnalysis([join(FIX, 'cases/kpi-small.csv')], { rulesPath: join(FIX, 'cases/tagging.json'), asOf: Date.parse('2026-03-10T12:00:00Z') });
    const t = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC').tables.find((x) => x.id === 'multi-matched')!;
    assert.deepEqual(t.rows.map((r) => [r[0], r[1]]), [[5, 'C-4'], [6, 'C-5']]);
  });
});
