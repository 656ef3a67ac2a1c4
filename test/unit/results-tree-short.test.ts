/**
 * The Results view's analysis line at the default sidebar width (new-user trial: `loki-results 4 hosts · 7 al…` was
 * cut at ~300 px). The Loki line gives the alerts and warnings only; the hosts and files are in the tooltip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { lokiTreeText } from '../../src/core/analyze/loki-dashboard';

const LOKI = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

test("the Loki analysis line of the trial's 4 real logs is `7 alerts · 11 warnings` (hosts and files in the tooltip)", async () => {
  const a = await runLokiAnalysis([LOKI]);
  const t = lokiTreeText(a.summary);
  assert.equal(t.description, '7 alerts · 11 warnings');
  assert.ok(t.description.length <= 24, 'reads beside the input name at ~300 px');
  assert.match(t.tooltip, /^4 files, 4 hosts \(3 with findings, 0 clean, 1 with an incomplete scan \(scanner errors\)\), 7 alerts, 11 warnings, 1 notice, 0 unparsed lines/);
});
