/**
 * Rule ids are per console (shared/docs/qradar.md §8: rule names are resolved "through cached lookups per console"):
 * `qradar` names a rule an offense cites by id only from the `/analytics/rules` list of the offense's OWN export, as
 * `kpi` does and as closing reasons are named (qradar-reason-scope.test.ts). The real exports in shared/data/qradar show
 * why: "Devices with High Event Rates" is rule 100001 in demisto-content-qradar-v3/analytics_rules.json and rule 100408
 * in elastic-integrations/analytics_rules.json. The XSOAR offense 16 ("Session Closed") cites rule 100405, which its own
 * console's list does not name; the Elastic console's list calls its 100405 "AssetExclusion: Exclude DNS Name By IP",
 * and that name was shown for it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { buildQRadarDashboard, qradarContext, qradarOffenseColumns, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
import { qradarReportTables } from '../../src/core/analyze/qradar-tables';
import { ruleListsOf } from '../../src/core/parse/qradar-reason-lists';

const ROOT = resolve(__dirname, '../../..'); // out/test/unit → repo root
const QRADAR = resolve(ROOT, '../shared/data/qradar');
const settings: QRadarSettings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

describe('rule names per export: the real data (shared/data/qradar)', () => {
  it('rule 100405 of the XSOAR offense 16 has no name (its console\'s list lacks it), not the Elastic console\'s name', async () => {
    const p = await runQRadarRead([QRADAR]);
    const sum = summarizeQRadar(p, settings);
    const named = (id: number) => sum.byRule.find((r) => r.ruleId === id)?.name;
    assert.equal(named(100405), undefined);
    // the Elastic offenses' rules are still named from the Elastic list beside them
    assert.equal(named(100407), 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts');
    assert.equal(named(100408), 'Devices with High Event Rates');
    // exactly those two of the 16 rules cited are named
    assert.deepEqual(sum.byRule.filter((r) => r.name !== undefined).map((r) => r.ruleId).sort(), [100407, 100408]);

    // the offense detail: the rule by id and type only
    const o16 = p.offenses.find((o) => o.id === 16)!;
    assert.ok(o16.source.file.includes('demisto-content-qradar-v3'));
    const detail = qradarOffenseDetail(o16, 0, qradarContext(p, settings));
    const rules = detail.sections.find((s) => s.title === 'Rules (1)')!;
    assert.deepEqual(rules.fields, [{ label: '100405', value: 'CRE_RULE' }]);
  });

  it('the Elastic folder alone names its offenses\' rules as before', async () => {
    const p = await runQRadarRead([join(QRADAR, 'public/elastic-integrations')]);
    const sum = summarizeQRadar(p, settings);
    assert.deepEqual(
      sum.byRule.map((r) => [r.ruleId, r.name]),
      [
        [100356, undefined],
        [100407, 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts'],
        [100408, 'Devices with High Event Rates'],
      ],
    );
  });

  it('kpi names the rules of a qradar-fetch from its <stem>.rules.json, as qradar does (it read only analytics_rules.json)', async () => {
    // the Elastic export laid out as a fetch writes it: <stem>.json and the /analytics/rules answer as <stem>.rules.json
    const dir = mkdtempSync(join(tmpdir(), 'rule-scope-'));
    copyFileSync(join(QRADAR, 'public/elastic-integrations/offenses.json'), join(dir, 'elastic.json'));
    copyFileSync(join(QRADAR, 'public/elastic-integrations/analytics_rules.json'), join(dir, 'elastic.rules.json'));
    const a = await runKpiAnalysis([dir], { asOf: Date.UTC(2026, 2, 10) });
    assert.deepEqual(
      a.input.cases.map((c) => [c.id, c.rules]),
      [
        ['14', ['Devices with High Event Rates (100408)']],
        ['7', ['100356']],
        ['12', ['Anomaly: Excessive Firewall Accepts Across Multiple Hosts (100407)']],
      ],
    );
    assert.ok(a.input.notes.includes('rule names from elastic.rules.json (6)'), a.input.notes.join('\n'));
    // qradar names them alike
    const sum = summarizeQRadar(await runQRadarRead([dir]), settings);
    assert.deepEqual(sum.byRule.map((r) => r.name), [undefined, 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts', 'Devices with High Event Rates']);
  });

  it('which rules lists belong to an offenses file: its fetch\'s list first, then its folder\'s, never another fetch\'s or folder\'s', () => {
    const lists = ['/c/a/analytics_rules.json', '/c/a/offenses.rules.json', '/c/a/other.rules.json', '/c/a/zz-rules.json', '/c/b/analytics_rules.json'];
    assert.deepEqual(ruleListsOf('/c/a/offenses.json', lists), ['/c/a/offenses.rules.json', '/c/a/analytics_rules.json', '/c/a/zz-rules.json']);
    assert.deepEqual(ruleListsOf('/c/d/offenses.json', lists), []);
  });
});

describe('one rule id, two consoles: a row per name, not one row under the first name seen', () => {
  /**
   * The Elastic export twice: console A with its own rules list (100408 = "Devices with High Event Rates"), console B
   * with the XSOAR console's list, which does not name 100408 or 100407 (its "Devices with High Event Rates" is 100001).
   * Offense 14 of each console cites 100408. Before, one row "Devices with High Event Rates" counted both offenses.
   */
  function twoConsoles(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rule-split-'));
    mkdirSync(join(dir, 'consoleA'));
    mkdirSync(join(dir, 'consoleB'));
    copyFileSync(join(QRADAR, 'public/elastic-integrations/offenses.json'), join(dir, 'consoleA/offenses.json'));
    copyFileSync(join(QRADAR, 'public/elastic-integrations/analytics_rules.json'), join(dir, 'consoleA/analytics_rules.json'));
    // console B's offenses start a second later: the same id and start_time would be one offense saved twice
    const b = (JSON.parse(readFileSync(join(QRADAR, 'public/elastic-integrations/offenses.json'), 'utf8')) as { start_time: number }[]).map((o) => ({ ...o, start_time: o.start_time + 1000 }));
    writeFileSync(join(dir, 'consoleB/offenses.json'), JSON.stringify(b));
    copyFileSync(join(QRADAR, 'public/demisto-content-qradar-v3/analytics_rules.json'), join(dir, 'consoleB/analytics_rules.json'));
    return dir;
  }

  it('summary, dashboard rules table and chart, offense-table facet, text report', async () => {
    const p = await runQRadarRead([twoConsoles()]);
    assert.equal(p.offenses.length, 6);
    const sum = summarizeQRadar(p, settings);
    assert.deepEqual(
      sum.byRule.map((r) => [r.ruleId, r.name, r.count]),
      [
        [100356, undefined, 2],
        [100407, undefined, 1],
        [100407, 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts', 1],
        [100408, undefined, 1],
        [100408, 'Devices with High Event Rates', 1],
      ],
    );
    const { model } = buildQRadarDashboard(p, 'two consoles', settings, sum);
    const t = model.tables.find((x) => x.id === 'rules')!;
    // some rules named: the Name column stays, empty where the data has no name, and the line above says how many
    assert.equal(t.columns[1].title, 'Name');
    assert.equal(t.description, "3 rules have no name in the data (shown by id): names come from the offenses' rules[] or an /analytics/rules export analyzed with the offenses");
    assert.deepEqual(t.rows.map((r) => [r[0], r[1], r[3]]), [['100356', null, 2], ['100407', null, 1], ['100407', 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts', 1], ['100408', null, 1], ['100408', 'Devices with High Event Rates', 1]]);
    // 100356 (one row) still filters by id; the split ids by name and id
    assert.deepEqual(t.rowFacets, [undefined, { ruleNames: 'Rule 100407' }, { ruleNames: 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts (100407)' }, { ruleNames: 'Rule 100408' }, { ruleNames: 'Devices with High Event Rates (100408)' }]);
    const col = qradarOffenseColumns(qradarContext(p, settings)).find((c) => c.id === 'ruleNames')!;
    const hits = (v: string) => p.offenses.filter((o) => col.matches!(o, v)).map((o) => `${o.source.file.includes('consoleA') ? 'A' : 'B'}${o.id}`);
    assert.deepEqual(hits('Devices with High Event Rates (100408)'), ['A14']);
    assert.deepEqual(hits('Rule 100408'), ['B14']);
    assert.equal(col.get(p.offenses.find((o) => o.id === 14 && o.source.file.includes('consoleA'))!), 'Devices with High Event Rates (100408)');
    const chart = model.charts.find((c) => c.id === 'top-rules')!;
    assert.equal(chart.facetColumn, 'ruleNames');
    assert.deepEqual(chart.labels, ['Rule 100356', 'Rule 100407', 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts', 'Rule 100408', 'Devices with High Event Rates']);
    assert.deepEqual(chart.facetValues?.slice(3), ['Rule 100408', 'Devices with High Event Rates (100408)']);
    const rules = qradarReportTables(sum).find((x) => x.id === 'rules')!;
    assert.deepEqual(rules.rows.map((r) => [r[0], r[5]]), [['2', '100356'], ['1', '100407'], ['1', 'Anomaly: Excessive Firewall Accepts Across Multiple Hosts (100407)'], ['1', '100408'], ['1', 'Devices with High Event Rates (100408)']]);
  });

  it('one console: the rules table and chart facet by id as before (no Rule names facet)', async () => {
    const p = await runQRadarRead([join(QRADAR, 'public/elastic-integrations')]);
    const { model } = buildQRadarDashboard(p, 'elastic', settings);
    assert.equal(model.tables.find((x) => x.id === 'rules')!.rowFacets, undefined);
    assert.equal(model.charts.find((c) => c.id === 'top-rules')!.facetColumn, 'rules');
  });
});
