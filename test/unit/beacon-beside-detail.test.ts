/**
 * The beacon table beside a pair's detail pane (new-user trial: the pane, 58 % of a 1042 px panel for its charts, cut
 * the Destination column): the Severity steps aside (the detail's title repeats it) and Score, Source and Destination
 * are the columns kept whole in view (ColumnDef.besideDetail). Real input: shared/data/zeek/day-2024-04-19, sensor
 * 64.225.56.201. The layout itself is checked in the webview harness ('beacon detail beside').
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconPairDetail, buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';

const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');

describe('beacon table beside the detail pane', () => {
  it('Severity steps aside, Score, Source and Destination are kept in view; the detail title repeats what steps aside', async () => {
    const a = await runBeaconAnalysis([DAY], { internalSubnets: ['64.225.56.201/32'] });
    const m = buildBeaconDashboard(a, 'day', 'UTC');
    const beside = Object.fromEntries(m.columns.filter((c) => c.besideDetail).map((c) => [c.id, c.besideDetail]));
    assert.deepEqual(beside, { severity: 'hide', score: 'keep', src: 'keep', dst: 'keep' });
    // the kept columns are the first ones once the Severity steps aside (the pane leaves the table their room)
    assert.deepEqual(m.columns.filter((c) => c.besideDetail !== 'hide' && !c.hidden).slice(0, 3).map((c) => c.id), ['score', 'src', 'dst']);
    const ntp = a.pairs[0];
    assert.deepEqual([ntp.severity, ntp.src, ntp.dst], ['high', '64.225.56.201', '91.189.91.157']);
    assert.equal(beaconPairDetail(ntp, 0, 'UTC').title, 'High · 1.000 · 64.225.56.201 → 91.189.91.157');
  });
});
