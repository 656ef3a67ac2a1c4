import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const QRADAR = resolve(ROOT, '../shared/data/qradar/samples');
const CASES = join(ROOT, 'test/fixtures/cases');

/** A folder as an analyst keeps it: the QRadar samples (offenses + lookup lists + event exports) and a generic case CSV. */
function caseFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-folder-'));
  mkdirSync(join(dir, 'qradar'));
  for (const f of readdirSync(QRADAR)) cpSync(join(QRADAR, f), join(dir, 'qradar', f));
  for (const f of readdirSync(CASES)) cpSync(join(CASES, f), join(dir, f)); // kpi-small.csv, README.md, tagging.json
  writeFileSync(join(dir, 'cases.zip'), Buffer.from('PK\x03\x04'));
  writeFileSync(join(dir, 'empty.csv'), '');
  mkdirSync(join(dir, '.old'));
  cpSync(join(CASES, 'kpi-small.csv'), join(dir, '.old', 'kpi-small.csv'));
  return dir;
}

const AS_OF = Date.UTC(2026, 2, 10, 12);

test('kpi on a folder: reads its case exports (QRadar offenses and a generic CSV), skips the others with a reason', async () => {
  const dir = caseFolder();
  try {
    const a = await runKpiAnalysis([dir], { asOf: AS_OF });
    // 10 cases of kpi-small.csv + 6 offenses of offenses.json
    assert.equal(a.input.cases.length, 16);
    assert.deepEqual(a.input.files, [join(dir, 'kpi-small.csv'), join(dir, 'qradar', 'offenses.json')]);
    assert.equal(a.filesRead, 2);
    const reason = (name: string) => a.input.skipped?.find((k) => k.file.endsWith(name))?.reason;
    assert.equal(reason('README.md'), 'not a case export (.md; CSV, TSV, JSON, JSONL and NDJSON are read)');
    assert.equal(reason('cases.zip'), 'compressed file (.zip): extract the case export first');
    assert.equal(reason('empty.csv'), 'empty file');
    assert.equal(reason(join('.old', 'kpi-small.csv')), 'hidden or tool folder');
    assert.match(reason('offense_closing_reasons.json')!, /^QRadar lookup list/);
    assert.match(reason('tagging.json')!, /^not a case export: no column for the created time/);
    assert.equal(reason('log_activity_export.csv'), 'QRadar Log Activity or Network Activity export (events, not cases): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)');
    assert.equal(a.input.skipped?.length, 13);
    // the closing reasons beside the offenses are still read for them
    assert.ok(a.input.notes.includes('closing reasons from offense_closing_reasons.json (6)'));
    assert.match(a.input.notes[0], /^13 files skipped — /);
    // no skipped file gives a problem line but the QRadar API error answer (an export is missing)
    assert.deepEqual(
      a.errors.filter((e) => e.line === 0).map((e) => e.file),
      [join(dir, 'qradar', 'error_401.json')],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi: a Log Activity export named explicitly is refused as another tool\'s export, as in a folder; mapped on purpose it is read', async () => {
  // (it was read as 5 cases: a new-user trial took them for tickets; kpi-named-other-tool.test.ts)
  const a = await runKpiAnalysis([join(QRADAR, 'log_activity_export.csv')], { asOf: AS_OF });
  assert.deepEqual((a.input.skipped ?? []).map((k) => k.reason), ['QRadar Log Activity or Network Activity export (events, not cases): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)']);
  assert.equal(a.input.cases.length, 0);
  const mapped = await runKpiAnalysis([join(QRADAR, 'log_activity_export.csv')], { asOf: AS_OF, mapping: { title: 'Event Name' } });
  assert.deepEqual(mapped.input.skipped, []);
  assert.equal(mapped.input.cases.length, 5); // its 5 event rows, read as cases (the analyst mapped them)
});

test('soc-analytics kpi <folder> --json: exit 0, the files read and the skipped ones', async () => {
  const dir = caseFolder();
  try {
    const c = capture();
    const code = await main(['kpi', dir, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const doc = JSON.parse(c.out());
    assert.equal(doc.cases, 16);
    assert.deepEqual(doc.files, [join(dir, 'kpi-small.csv'), join(dir, 'qradar', 'offenses.json')]);
    assert.equal(doc.skipped.length, 13);
    assert.ok(doc.skipped.some((k: { file: string; reason: string }) => k.file === join(dir, 'cases.zip') && k.reason.startsWith('compressed file')));
    // a folder of nothing but non-case files: exit 3, naming the skipped count
    const empty = mkdtempSync(join(tmpdir(), 'kpi-none-'));
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    const c2 = capture();
    assert.equal(await main(['kpi', empty, '--seed-rules'], c2.io), 3);
    assert.match(c2.err(), /no case was read in the given paths \(1 file skipped/);
    rmSync(empty, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Explorer (SOC Analytics submenu) offers Analyze Cases on a folder (the analysis reads the case exports inside it)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const entry = pkg.contributes.menus['socAnalytics.explorer'].find((m: { command: string }) => m.command === 'socAnalytics.analyzeCases');
  assert.match(entry.when, /explorerResourceIsFolder \|\|/);
});
