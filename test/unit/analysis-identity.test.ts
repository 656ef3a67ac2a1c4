/**
 * Which analysis a run is (new-user trial: Detect Beacons run twice on `zeek/` added two "Beacons · zeek" entries and
 * two tabs, and the merged timeline counted 44 pairs for 22): the key of a run must be the same after the options went
 * through VS Code's Memento (a JSON round trip drops `declined: undefined`), and settings a run read are not part of it.
 * Also the check of what a restored tab remembers of its analysis (untrusted webview state) and its message.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analysisIdentityKey, canonicalJson, checkPanelOrigin, goneMessage, identityPath } from '../../src/core/analysis-identity';

const ZEEK = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');

/** The key the registry used before: top-level option keys sorted, values as `JSON.stringify` writes them. */
function oldKey(kind: string, paths: string[], options: Record<string, unknown>): string {
  return JSON.stringify([kind, [...paths].sort(), Object.keys(options).sort().map((k) => [k, options[k]])]);
}

/** What the beacon kind's prepare returns for a folder of Zeek logs with nothing skipped (kinds/beacons.ts). */
function beaconRunOptions(): Record<string, unknown> {
  return {
    algorithm: 'rita-v5',
    internalSubnets: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
    safelist: [],
    minScore: 0,
    scoring: { tsWeight: 0.25, dsWeight: 0.25, durWeight: 0.25, histWeight: 0.25 },
    thresholds: { high: 0.8, medium: 0.6, low: 0.4 },
    mappings: {},
    declined: undefined,
  };
}

describe('analysis identity', () => {
  it('a beacon run and the same run read back from the workspace state are one analysis (the old key told them apart)', () => {
    const fresh = beaconRunOptions();
    const stored = JSON.parse(JSON.stringify(fresh)) as Record<string, unknown>; // what Memento.get returns
    assert.ok(!('declined' in stored));
    assert.notEqual(oldKey('beacons', [ZEEK], fresh), oldKey('beacons', [ZEEK], stored)); // the trial's duplicate
    assert.equal(analysisIdentityKey('beacons', [ZEEK]), analysisIdentityKey('beacons', [ZEEK]));
    // the identity options, if a kind has any, compare the same way: undefined left out, key order ignored
    assert.equal(canonicalJson(fresh), canonicalJson(stored));
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: [1, undefined] } }), '{"a":{"c":[1,null],"d":2},"b":1}');
  });

  it('settings a run read are not part of it; the options its title shows are (Loki all scans)', () => {
    // safelist grown, another algorithm: the same inputs, the same analysis (refreshed with them)
    assert.equal(analysisIdentityKey('beacons', [ZEEK], {}), analysisIdentityKey('beacons', [ZEEK + '/'], {}));
    assert.equal(analysisIdentityKey('kpi', ['/ws/cases/a.csv', '/ws/cases/b.csv']), analysisIdentityKey('kpi', ['/ws/cases/b.csv', '/ws/./cases/a.csv']));
    assert.notEqual(analysisIdentityKey('loki', ['/ws/loki'], { includeAllScans: true }), analysisIdentityKey('loki', ['/ws/loki'], { includeAllScans: false }));
    assert.notEqual(analysisIdentityKey('loki', ['/ws/loki']), analysisIdentityKey('qradar', ['/ws/loki']));
    assert.notEqual(analysisIdentityKey('beacons', ['/ws/zeek']), analysisIdentityKey('beacons', ['/ws/zeek', '/ws/more']));
    assert.equal(identityPath('/'), '/');
    assert.equal(identityPath('/ws/zeek///'), '/ws/zeek');
  });

  it('checks what a restored tab remembers: known commands, absolute paths only', () => {
    assert.deepEqual(checkPanelOrigin({ command: 'socAnalytics.detectBeacons', paths: [ZEEK], title: 'day-2024-04-19' }), { command: 'socAnalytics.detectBeacons', paths: [ZEEK], title: 'day-2024-04-19' });
    assert.equal(checkPanelOrigin({ command: 'workbench.action.terminal.sendSequence', paths: [ZEEK], title: 'x' }), undefined);
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.analyzeQRadar', paths: ['relative/qradar'], title: 'x' }), undefined);
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.analyzeQRadar', paths: [], title: 'x' }), undefined);
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.analyzeQRadar', paths: ['/a\0b'], title: 'x' }), undefined);
    assert.equal(checkPanelOrigin({ command: 'toString', paths: ['/a'], title: 'x' }), undefined);
    assert.equal(checkPanelOrigin('socAnalytics.analyzeQRadar'), undefined);
    assert.equal(checkPanelOrigin({ command: 'socAnalytics.analyzeQRadar', paths: ['/ws/qradar'] })?.title, 'qradar');
  });

  it('a gone tab names the command and the inputs, not the (empty) Results view', () => {
    const g = goneMessage({ command: 'socAnalytics.detectBeacons', paths: [ZEEK], title: 'day-2024-04-19' }, 'Beacons: day-2024-04-19');
    assert.equal(
      g.message,
      '“Beacons: day-2024-04-19” is no longer in the SOC Analytics Results view (it was removed, or this workspace\'s analyses were lost). Run SOC: Detect Beacons… on day-2024-04-19 again to get it back.',
    );
    assert.equal(g.action, 'Run Detect Beacons on day-2024-04-19');
    const none = goneMessage(undefined, 'SOC dashboard');
    assert.equal(none.action, undefined);
    assert.match(none.message, /^This analysis is no longer in the SOC Analytics Results view/);
    assert.doesNotMatch(none.message, /from the SOC Analytics Results view/);
  });
});
