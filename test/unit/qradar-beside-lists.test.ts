// `qradar` on one offenses file reads the reference lists of its own export beside it, as on its folder and as `kpi`
// does (trial 2026-12-05: `qradar offenses.json` gave 0 false positives and reasons #1, #2 where the folder gave 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';

const DIST = resolve(__dirname, '../../../dist/cli.js');
const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');

function qradarJson(...args: string[]): { summary: { falsePositive: number; closed: number }; byClosingReason: { label?: string; key?: string; count: number }[]; files: { file: string; kind: string }[]; skipped: { file: string; reason: string }[] } {
  const r = spawnSync(process.execPath, [DIST, 'qradar', ...args, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('qradar on the sample offenses.json alone: its folder\'s closing reasons and offense types are read (1 false positive, reasons named)', async () => {
  const file = join(SAMPLES, 'offenses.json');
  const p = await runQRadarRead([file]);
  assert.deepEqual(p.files.map((f) => [f.file.split('/').pop(), f.kind]).sort(), [['offense_closing_reasons.json', 'closingReasons'], ['offense_types.json', 'offenseTypes'], ['offenses.json', 'offenses']]);
  assert.equal(p.offenses.length, 6);
  assert.ok(p.closingReasons.length > 0);
  const alone = qradarJson(file);
  const folder = qradarJson(SAMPLES);
  assert.equal(alone.summary.falsePositive, 1);
  assert.equal(alone.summary.falsePositive, folder.summary.falsePositive);
  assert.deepEqual(JSON.stringify(alone.byClosingReason), JSON.stringify(folder.byClosingReason));
  assert.doesNotMatch(JSON.stringify(alone.byClosingReason), /#1|#2/);
});

test('a fetch\'s own lists beside <stem>.json are read; another file under a list\'s name that holds offenses is left out with the reason, its offenses not counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qradar-beside-'));
  copyFileSync(join(SAMPLES, 'offenses.json'), join(dir, 'prod.json'));
  copyFileSync(join(SAMPLES, 'offense_closing_reasons.json'), join(dir, 'prod.closing-reasons.json'));
  const p = await runQRadarRead([join(dir, 'prod.json')]);
  assert.deepEqual(p.files.map((f) => f.kind).sort(), ['closingReasons', 'offenses']);
  assert.equal(qradarJson(join(dir, 'prod.json')).summary.falsePositive, 1);

  const dir2 = mkdtempSync(join(tmpdir(), 'qradar-beside-'));
  copyFileSync(join(SAMPLES, 'offenses.json'), join(dir2, 'offenses.json'));
  copyFileSync(join(SAMPLES, 'offenses.json'), join(dir2, 'offense_closing_reasons.json'));
  const p2 = await runQRadarRead([join(dir2, 'offenses.json')]);
  assert.equal(p2.offenses.length, 6, 'the offenses under the list\'s name are not added');
  const skip = p2.skipped.find((s) => s.file.endsWith('offense_closing_reasons.json'));
  assert.match(skip?.reason ?? '', /^beside offenses\.json but not a closing-reasons, rules or offense-types list \(offenses\); not read$/);
});

test('--closing-reasons names the list for every offense: the list beside the offenses is not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qradar-beside-'));
  copyFileSync(join(SAMPLES, 'offenses.json'), join(dir, 'offenses.json'));
  copyFileSync(join(SAMPLES, 'offense_closing_reasons.json'), join(dir, 'offense_closing_reasons.json'));
  // the named list says id 1 and 2 are neither escalation nor false positive
  writeFileSync(join(dir, 'other-reasons.json'), JSON.stringify([{ id: 1, text: 'Non-Issue' }, { id: 2, text: 'Policy Violation' }]));
  const j = qradarJson(join(dir, 'offenses.json'), '--closing-reasons', join(dir, 'other-reasons.json'));
  assert.equal(j.summary.falsePositive, 0);
  assert.ok(!j.files.some((f) => f.file.endsWith('offense_closing_reasons.json')));
});
