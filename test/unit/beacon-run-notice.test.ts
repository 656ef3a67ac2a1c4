/**
 * The notification after a beacon run (new-user trial, LOW): every run of the sample day posted a ~600-character
 * warning, its first note ("12 of 22 listed pairs are ICMP error messages only…"), repeating the dashboard's Notes
 * tab. Now routine notes (ICMP errors only, pairs that never carried data) go to the Notes tab and the log only
 * (`problems(…).quiet`); a notification is for what needs action — problems reading the inputs, or notes on a setting
 * or connections left out of the scoring (`attention`) — in one short sentence. Real input:
 * shared/data/zeek/day-2024-04-19.
 */
import { settings } from './vscode-stand-in';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis, runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import { beaconAttentionHeadline, beaconProblemsHeadline } from '../../src/core/analyze/beacons/dashboard';
import type { BeaconAnalysis, BeaconRow } from '../../src/core/analyze/beacons/analyze';
import { runWorkerJob } from './worker-job';
import { beaconsKind } from '../../src/extension/kinds/beacons';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/zeek');
const SENSOR = ['64.225.56.201/32'];
void settings; // the vscode stand-in is installed by importing it

describe('beacons: a notification only for notes that need action', () => {
  it('the sample day (sensor subnet): 2 routine notes, none needs attention — log only, no notification', async () => {
    // as the extension gets the result: through the worker's job handler (the field survives the transfer)
    const a = await runWorkerJob<BeaconAnalysis<BeaconRow>>({ kind: 'beacons', paths: [DAY], options: { internalSubnets: SENSOR } });
    assert.equal(a.errors.length, 0);
    assert.equal(a.notes.length, 2);
    assert.match(a.notes[0], /^12 of 22 listed pairs are ICMP error messages only/);
    assert.match(a.notes[1], /^4 of 22 listed pairs never carried data/);
    assert.deepEqual(a.attention, []);
    assert.equal(beaconAttentionHeadline(a), undefined);
    const p = beaconsKind.problems!(a);
    assert.deepEqual(p, { message: "2 notes in the dashboard's Notes tab", lines: a.notes, quiet: true });
  });

  it('the sample day with the default subnets: the external ↔ external and no-window notes need attention, one short sentence', async () => {
    const a = await runBeaconAnalysisRows([DAY], { parseWorkers: 0 });
    assert.equal(a.errors.length, 0);
    assert.equal(a.attention?.length, 2);
    assert.deepEqual(a.attention, a.notes);
    assert.match(a.attention![0], /^31,317 of 31,367 records were left out as external ↔ external/);
    assert.match(a.attention![1], /^no observation window/);
    const p = beaconsKind.problems!(a);
    assert.equal(p?.quiet, undefined);
    assert.equal(p?.message, "2 beacon notes need your attention — a setting to fix or connections left out of the scoring; see the dashboard's Notes tab.");
    assert.ok(p!.message.length < 130, String(p!.message.length));
    // its button opens the dashboard on the Notes tab
    assert.deepEqual(p?.tab, { id: 'notes', button: 'Show Notes' });
    // the whole notes still go to the log
    assert.deepEqual(p?.lines, a.notes);
  });

  it('an invalid safelist entry (a setting) needs attention; the ICMP and no-data notes beside it do not', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: SENSOR, safelist: ['not an entry!'], parseWorkers: 0 });
    assert.deepEqual(a.attention, ['safelist entry "not an entry!" is not an IP, CIDR, FQDN or "src -> dst" pair; ignored']);
    assert.equal(a.notes.length, 3);
    assert.ok(a.notes.includes(a.attention![0]));
    assert.equal(beaconsKind.problems!(a as unknown as BeaconAnalysis<BeaconRow>)?.message, "1 beacon note needs your attention — a setting to fix or connections left out of the scoring; see the dashboard's Notes tab.");
  });

  it('problems reading the inputs lead, as before; a run without notes or problems: nothing', async () => {
    const a = await runBeaconAnalysis([path.join(FIXTURES, 'conn-damaged.log')], { internalSubnets: ['10.0.0.0/8'], parseWorkers: 0 });
    assert.ok(a.errors.length > 1);
    const p = beaconsKind.problems!(a as unknown as BeaconAnalysis<BeaconRow>);
    assert.equal(p?.message, beaconProblemsHeadline(a));
    assert.equal(p?.quiet, undefined);
    const none = { ...a, errors: [], notes: [], attention: [] } as unknown as BeaconAnalysis<BeaconRow>;
    assert.equal(beaconsKind.problems!(none), undefined);
  });
});
