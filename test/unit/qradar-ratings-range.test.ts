/**
 * QRadar offense ratings outside the documented range (qradar.md §1: credibility, relevance, severity int 0–10;
 * magnitude 1–10, but real exports carry magnitude 0 — shared/data/qradar/public has three — so 0–10 for all four):
 * the offense is kept and counted, its value charted as given, and the analysis says so with the places —
 * `2 offenses with magnitude outside 0–10 (offenses.json:2, offenses.json:59): kept, charted as given` — in the CLI
 * text (`Note:`), `--json` (`summary.outOfRange`, `warnings`), the Markdown summary and the dashboard (a notice, and a
 * note under the magnitude chart). Data: the real sample shared/data/qradar/samples/offenses.json with three values
 * moved out of range (4101 magnitude 42; 4103 magnitude -3 and severity 11) and one to the edge (4104 magnitude 10).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { outOfRangeTexts } from '../../src/core/analyze/qradar-tables';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { qradarMarkdown } from '../../src/core/export/markdown-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const REAL = resolve(__dirname, '../../../../shared/data/qradar/samples/offenses.json');
const dir = mkdtempSync(join(tmpdir(), 'soc-ratings-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'offenses.json');
const lines = readFileSync(REAL, 'utf8').split('\n');
const set = (n: number, from: string, to: string) => {
  assert.ok(lines[n - 1].includes(from), `line ${n}: ${lines[n - 1]}`);
  lines[n - 1] = lines[n - 1].replace(from, to);
};
set(8, '"magnitude": 4,', '"magnitude": 42,'); // offense 4101
set(65, '"magnitude": 8, "severity": 9,', '"magnitude": -3, "severity": 11,'); // offense 4103
set(95, '"magnitude": 2,', '"magnitude": 10,'); // offense 4104: the edge, in range
writeFileSync(FILE, lines.join('\n'));


const SETTINGS = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };
const MAG = '2 offenses with magnitude outside 0–10 (offenses.json:2, offenses.json:59): kept, charted as given';
const SEV = '1 offense with severity outside 0–10 (offenses.json:59): kept, charted as given';

test('summary: the offenses are kept and counted; the fields outside 0–10 are counted with their places', async () => {
  const p = await runQRadarRead([FILE], { consoleTimeZone: 'UTC' });
  assert.deepEqual(p.offenses.map((o) => [o.id, o.magnitude, o.severity]), [
    [4101, 42, 5],
    [4102, 5, 6],
    [4103, -3, 11],
    [4104, 10, 3],
    [4105, 1, 2],
    [4106, 5, 6],
  ]);
  const sum = summarizeQRadar(p, SETTINGS);
  assert.equal(sum.summary.offenses, 6);
  assert.deepEqual(sum.summary.outOfRange, [
    { field: 'magnitude', count: 2, where: [{ file: FILE, line: 2 }, { file: FILE, line: 59 }] },
    { field: 'severity', count: 1, where: [{ file: FILE, line: 59 }] },
  ]);
  assert.deepEqual(outOfRangeTexts(sum.summary), [MAG, SEV]);
  // charted as given (the note says so): 42 and -3 are bars of their own
  assert.deepEqual(sum.byMagnitude.map((m) => [m.value, m.count]), [['-3', 1], ['1', 1], ['5', 2], ['10', 1], ['42', 1]]);
  // the real sample as it is: nothing out of range, no note
  const real = summarizeQRadar(await runQRadarRead([REAL], { consoleTimeZone: 'UTC' }), SETTINGS);
  assert.deepEqual(real.summary.outOfRange, []);
  assert.deepEqual(outOfRangeTexts(real.summary), []);
});

test('CLI qradar: a Note line per field in the text report; --json summary.outOfRange and warnings', async () => {
  const c = capture();
  assert.equal(await main(['qradar', FILE], c.io), 0, c.err());
  assert.ok(c.out().includes(`  Note: ${MAG}\n  Note: ${SEV}\n`), c.out());
  const j = capture();
  assert.equal(await main(['qradar', FILE, '--json'], j.io), 0, j.err());
  const out = JSON.parse(j.out()) as { summary: { offenses: number; outOfRange: { field: string; count: number }[] }; warnings: string[] };
  assert.equal(out.summary.offenses, 6);
  assert.deepEqual(out.summary.outOfRange.map((r) => [r.field, r.count]), [['magnitude', 2], ['severity', 1]]);
  assert.deepEqual(out.warnings, [MAG, SEV]);
});

test('Markdown summary and dashboard: the notes, a notice and the magnitude chart\'s note', async () => {
  const p = await runQRadarRead([FILE], { consoleTimeZone: 'UTC' });
  const { model, summary } = buildQRadarDashboard(p, 'qradar', SETTINGS);
  assert.deepEqual(model.notices?.find((n) => n.id === 'ratingsOutOfRange'), { id: 'ratingsOutOfRange', severity: 'warning', title: 'Offense ratings outside QRadar’s 0–10', lines: [MAG, SEV] });
  assert.equal(model.charts.find((c) => c.id === 'magnitude')?.note, '2 offenses outside QRadar’s 0–10, charted as given');
  const md = qradarMarkdown(p, summary, { zone: 'UTC' });
  assert.match(md, /^- Note: 2 offenses with magnitude outside 0–10 \(offenses\.json:2, offenses\.json:59\): kept, charted as given$/m);
  assert.match(md, /^- Note: 1 offense with severity outside 0–10 \(offenses\.json:59\): kept, charted as given$/m);
});
