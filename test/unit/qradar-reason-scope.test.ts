/**
 * Closing-reason ids are per console (shared/docs/qradar.md §3: "IDs of custom reasons vary by site … never hard-code
 * the ids"): `qradar` names an offense's `closing_reason_id` from the list of its OWN export (its folder, or its
 * qradar-fetch's `<stem>.closing-reasons.json`) — the rule `kpi` follows — and says when the lists of different exports
 * disagree on an id. Real data (shared/data/qradar) and the crafted test/fixtures/qradar-consoles (see its README).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, reasonLabel, closingReasonsOf, summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { closingReasonListsOf } from '../../src/core/parse/qradar-reason-lists';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { val } from './kpi-val';

const ROOT = resolve(__dirname, '../../..'); // out/test/unit → repo root
const QRADAR = resolve(ROOT, '../shared/data/qradar');
const FIX = join(ROOT, 'test/fixtures/qradar-consoles');
const DIST = join(ROOT, 'dist/cli.js');
const settings: QRadarSettings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
const AS_OF = Date.UTC(2026, 2, 10);
const WARNING =
  'Closing-reason lists of different exports disagree — id 2: "Escalated to IR" in consoleA/offense_closing_reasons.json, ' +
  '"False-Positive, Tuned" in consoleB/offense_closing_reasons.json, "Non-Issue" in fetch/offenses.closing-reasons.json; ' +
  'each offense is named from the list of its own export (folder or fetch)';

describe('closing reasons per export: the real data (shared/data/qradar)', () => {
  it('false positives are counted as kpi counts them: 1 of the 3 closed, not 2 — the Elastic offense 7 (no list in its folder) is #2', async () => {
    const p = await runQRadarRead([QRADAR]);
    const sum = summarizeQRadar(p, settings);
    const k = kpiReportOf(await runKpiAnalysis([QRADAR], { asOf: AS_OF }), 'UTC').kpis;
    const fp = val(k, 'falsePositiveRate');
    assert.deepEqual([fp.falsePositives, fp.closed], [1, 3]);
    assert.deepEqual([sum.summary.falsePositive, sum.summary.closed], [fp.falsePositives, fp.closed]);
    assert.equal(sum.summary.escalated, val(k, 'escalationRate').escalated);
    const elastic = p.offenses.find((o) => o.id === 7 && o.source.file.includes('elastic-integrations'))!;
    assert.equal(elastic.closingReasonId, 2);
    assert.equal(reasonLabel(elastic, closingReasonsOf(p)), '#2');
    assert.deepEqual(
      sum.byClosingReason.map((r) => [r.reason, r.id, r.count, r.class]),
      [
        ['#2', 2, 1, ''],
        ['False-Positive, Tuned', 2, 1, 'false positive'],
        ['Non-Issue', 1, 1, ''],
      ],
    );
    // the Elastic rule 100356: 1 closed, no false positive (it showed a 100% FP rate)
    const rule = sum.byRule.find((r) => r.ruleId === 100356)!;
    assert.deepEqual([rule.count, rule.closed, rule.falsePositive, rule.escalated], [1, 1, 0, 0]);
    // the real lists agree on every id the offenses use: no warning
    assert.deepEqual(sum.closingReasonConflicts, []);
    // alone, the Elastic folder gives the same label
    const alone = await runQRadarRead([join(QRADAR, 'public/elastic-integrations')]);
    assert.deepEqual(summarizeQRadar(alone, settings).byClosingReason.map((r) => r.reason), ['#2']);
  });

  it('the CLI text, --json and the tie of the top source (root, svc_backup and admin, 1 of 3 each)', async () => {
    const c = capture();
    assert.equal(await main(['qradar', QRADAR, '--console-tz', 'UTC'], c.io), 0);
    assert.match(c.out(), /^ {2}Escalated: 0 {3}False positives: 1 {3}Distinct descriptions: 11$/m);
    assert.match(c.out(), /^ {4}3 {2}33\.3% each {2}root \+2 tied {2,}1 {3}1 {2}Multiple Login Failures for the Same User$/m);
    assert.match(c.out(), /^ {7}1 {7}1 {3}0 {7}0% {10}0 {2}100356$/m);
    assert.doesNotMatch(c.out(), /Warning:/);
    const j = capture();
    assert.equal(await main(['qradar', QRADAR, '--console-tz', 'UTC', '--json'], j.io), 0);
    const doc = JSON.parse(j.out());
    assert.equal(doc.summary.falsePositive, 1);
    assert.deepEqual([doc.closingReasonConflicts, doc.warnings], [[], []]);
    assert.equal(doc.topDescriptions[0].topSourceTies, 2);
  });
});

describe('closing reasons per export: two consoles, a fetch and a folder without a list (test/fixtures/qradar-consoles)', () => {
  it('each offense takes its own export\'s reason: 1 escalated, 1 false positive, #2 for the folder without a list', async () => {
    const p = await runQRadarRead([FIX]);
    const sum = summarizeQRadar(p, settings);
    assert.deepEqual([sum.summary.closed, sum.summary.escalated, sum.summary.falsePositive], [4, 1, 1]);
    const reasons = closingReasonsOf(p);
    assert.deepEqual(
      p.offenses.map((o) => [o.id, reasonLabel(o, reasons)]),
      [
        [1, 'Escalated to IR'],
        [2, 'False-Positive, Tuned'],
        [4, 'Non-Issue'],
        [3, '#2'],
      ],
    );
    assert.deepEqual(
      sum.byClosingReason.map((r) => [r.reason, r.id, r.class]),
      [
        ['#2', 2, ''],
        ['Escalated to IR', 2, 'escalated'],
        ['False-Positive, Tuned', 2, 'false positive'],
        ['Non-Issue', 2, ''],
      ],
    );
    // the rule's tuning numbers use the same labels: 1 false positive of 4 closed (25%), 1 escalated
    assert.deepEqual(sum.byRule.map((r) => [r.ruleId, r.count, r.closed, r.falsePositive, r.escalated]), [[100056, 4, 4, 1, 1]]);
    assert.deepEqual(sum.byDay.map((b) => [b.day, b.count, b.escalated, b.falsePositive, b.byReason]), [['2026-03-01', 4, 1, 1, { 'Escalated to IR': 1, 'False-Positive, Tuned': 1, 'Non-Issue': 1, '#2': 1 }]]);
    assert.deepEqual(sum.closingReasonConflicts, [
      {
        id: 2,
        texts: [
          { text: 'Escalated to IR', lists: [join(FIX, 'consoleA/offense_closing_reasons.json')] },
          { text: 'False-Positive, Tuned', lists: [join(FIX, 'consoleB/offense_closing_reasons.json')] },
          { text: 'Non-Issue', lists: [join(FIX, 'fetch/offenses.closing-reasons.json')] },
        ],
      },
    ]);
  });

  it('the conflicts are found when first read (the host names reasons without that walk), the same after any reasons were named first', async () => {
    const want = summarizeQRadar(await runQRadarRead([FIX]), settings).closingReasonConflicts;
    assert.equal(want.length, 1);
    const p = await runQRadarRead([FIX]);
    const reasons = closingReasonsOf(p);
    // every offense's reason first, last offense first (a scope per export made before the conflicts are looked for)
    assert.deepEqual([...p.offenses].reverse().map((o) => [o.id, reasons.of(o)?.text]), [[3, undefined], [4, 'Non-Issue'], [2, 'False-Positive, Tuned'], [1, 'Escalated to IR']]);
    assert.deepEqual(reasons.conflicts, want);
    assert.equal(reasons.conflicts, reasons.conflicts, 'found once');
  });

  it('the dashboard: cards, the Rules table, the offense table\'s closing reason and class, the detail, and a notice naming the lists', async () => {
    const p = await runQRadarRead([FIX]);
    const { model } = buildQRadarDashboard(p, 'consoles', settings);
    const card = (id: string) => model.cards.find((c) => c.id === id)!.value;
    assert.deepEqual([card('escalated'), card('falsePositive'), card('fpRate')], [1, 1, '25%']);
    assert.deepEqual(model.tables.find((t) => t.id === 'rules')!.rows, [['100056', 'CRE_RULE', 4, 1, 4, 1, '25%', 1]]);
    assert.deepEqual(model.notices, [{ id: 'closingReasonConflict', severity: 'warning', title: 'Closing-reason lists of different exports disagree', lines: [WARNING.slice(WARNING.indexOf('id 2:'))] }]);
    assert.equal(model.charts.find((c) => c.id === 'per-day')!.title, 'Offenses per day (by first event, UTC), by closing reason');
    const ctx = qradarContext(p, settings);
    const cols = qradarOffenseColumns(ctx);
    const col = (id: string) => cols.find((c) => c.id === id)!;
    assert.deepEqual(p.offenses.map((o) => [col('closingReason').get(o), col('class').get(o)]), [
      ['Escalated to IR', 'escalated'],
      ['False-Positive, Tuned', 'false positive'],
      ['Non-Issue', undefined],
      ['#2', undefined],
    ]);
    const detail = qradarOffenseDetail(p.offenses[3], 3, ctx);
    assert.equal(detail.fields.find((f) => f.label === 'Closing reason')!.value, '#2');
  });

  it('kpi reads the same lists: a fetch\'s own list names its offense (it was "closing_reason_id 2"), 1 of 4 escalated and false positive', async () => {
    const a = await runKpiAnalysis([FIX], { asOf: AS_OF });
    assert.deepEqual(
      a.input.cases.map((c) => [c.id, c.disposition]),
      [
        ['1', 'Escalated to IR'],
        ['2', 'False-Positive, Tuned'],
        ['4', 'Non-Issue'],
        ['3', 'closing_reason_id 2'],
      ],
    );
    const k = kpiReportOf(a, 'UTC').kpis;
    assert.deepEqual([val(k, 'falsePositiveRate').falsePositives, val(k, 'escalationRate').escalated, val(k, 'falsePositiveRate').closed], [1, 1, 4]);
    // a fetch's list is a lookup beside the offenses, never a case export to map
    assert.ok(!a.input.notes.some((n) => n.includes('offenses.closing-reasons.json not read')), a.input.notes.join('\n'));
  });

  it('which lists belong to an offenses file: its fetch\'s list first, the folder\'s lists, never another fetch\'s or folder\'s', () => {
    const lists = ['/e/a/offense_closing_reasons.csv', '/e/a/offense_closing_reasons.json', '/e/a/x.closing-reasons.json', '/e/a/y.closing-reasons.json', '/e/a/z.json', '/e/b/offense_closing_reasons.json'];
    assert.deepEqual(closingReasonListsOf('/e/a/x.json', lists), ['/e/a/x.closing-reasons.json', '/e/a/offense_closing_reasons.json', '/e/a/offense_closing_reasons.csv', '/e/a/z.json']);
    assert.deepEqual(closingReasonListsOf('/e/a/offenses.json', lists), ['/e/a/offense_closing_reasons.json', '/e/a/offense_closing_reasons.csv', '/e/a/z.json']);
    assert.deepEqual(closingReasonListsOf('/e/c/offenses.json', lists), []);
  });

  it('--closing-reasons names the reasons of every offense (as kpi\'s): all four are false positives, no warning', async () => {
    const c = capture();
    assert.equal(await main(['qradar', FIX, '--closing-reasons', join(FIX, 'consoleB/offense_closing_reasons.json')], c.io), 0);
    assert.match(c.out(), /^ {2}Escalated: 0 {3}False positives: 4 {3}Distinct descriptions: 1$/m);
    assert.doesNotMatch(c.out(), /Warning:/);
  });

  it('built dist/cli.js: text, --json and --md say the lists disagree, naming them; offenses per day by first event', { skip: !existsSync(DIST) && 'npm run build first' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'qr-consoles-'));
    const md = join(dir, 'qradar.md');
    const text = spawnSync(process.execPath, [DIST, 'qradar', FIX, '--md', md], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^ {2}Escalated: 1 {3}False positives: 1 {3}Distinct descriptions: 1$/m);
    assert.ok(text.stdout.includes(`\n  Warning: ${WARNING}\n`), text.stdout);
    assert.match(text.stdout, /^ {4}4 {3}25% each {2}10\.0\.0\.1 \+3 tied {7}4 {3}1 {2}Multiple Login Failures for the Same User$/m);
    assert.match(text.stdout, /\nOffenses per day \(by first event, UTC\)\nDAY {9}COUNT  ESCALATED\n2026-03-01 {6}4 {10}1\n/);
    assert.ok(readFileSync(md, 'utf8').includes('\n- Warning: Closing-reason lists of different exports disagree — id 2: "Escalated to IR" in consoleA/offense_closing_reasons.json'), readFileSync(md, 'utf8'));
    const json = spawnSync(process.execPath, [DIST, 'qradar', FIX, '--json'], { encoding: 'utf8' });
    const doc = JSON.parse(json.stdout);
    assert.deepEqual([doc.summary.escalated, doc.summary.falsePositive, doc.warnings], [1, 1, [WARNING]]);
    assert.deepEqual(doc.closingReasonConflicts[0].texts.map((t: { text: string }) => t.text), ['Escalated to IR', 'False-Positive, Tuned', 'Non-Issue']);
  });
});
