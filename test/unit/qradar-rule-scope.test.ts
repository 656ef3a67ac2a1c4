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
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import { qradarContext, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
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
