/**
 * Analyst trial 8: four different file counts for the QRadar samples folder — the dashboard "9 files read (6 analyzed,
 * 3 skipped)", the Results view "(6 files)", the CLI "1 offense file (also read: 2 reference lists, 3 Log Activity
 * exports)", the Markdown "Inputs: 6 files". The CLI's first line and the Markdown's Inputs line now say the files read
 * as the dashboard does (the Results view's label keeps the 6 analyzed, as each of them names them); and the dashboard
 * gives the exported events' event count (27, the sum of their Event Count) beside its 7 rows, as the CLI does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { qradarMarkdown } from '../../src/core/export/markdown-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const SAMPLES = resolve(ROOT, '../shared/data/qradar/samples');
const READ = '9 files read (6 analyzed, 3 skipped';

test('QRadar samples folder: the dashboard, the CLI and the Markdown summary count the files read alike; the dashboard gives the event count', async () => {
  const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'UTC' });
  const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
  const { model, summary } = buildQRadarDashboard(p, 'qradar', settings);
  assert.ok(model.subtitle?.includes(`${READ}: not offense data`), model.subtitle);
  assert.ok(model.subtitle?.includes('7 exported event rows (event count 27)'), model.subtitle);
  const card = model.cards.find((c) => c.id === 'events');
  assert.equal(card?.value, 7);
  assert.equal(card?.hint, 'event count 27');

  const c = capture();
  assert.equal(await main(['qradar', SAMPLES, '--console-tz', 'UTC'], c.io), 0, c.err());
  const first = c.out().split('\n')[0];
  assert.equal(first, `QRadar offenses: 6 (3 open, 1 hidden, 2 closed) from 1 offense file (also read: 2 reference lists, 3 Log Activity exports) — ${READ})`);
  assert.match(c.out(), /\nLog Activity exports: 7 event rows \(event count 27\) from 3 files\n/);

  const md = qradarMarkdown(p, summary, { zone: 'UTC', title: 'qradar', topN: 20 });
  const inputs = md.split('\n').find((l) => l.startsWith('- Inputs: '));
  assert.ok(inputs?.startsWith(`- Inputs: ${READ}) in ${SAMPLES}: log_activity_export.csv, `), inputs);
  // (said once: the Offenses line below it does not repeat the count)
  assert.equal(md.split(READ).length, 2, md);
});
