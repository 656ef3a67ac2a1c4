/**
 * The notification after a run of the Loki, QRadar, cases and Ariel-count analyses, made consistent with the beacon
 * one (`BeaconAnalysis.attention`): routine information (counts the dashboard shows, files of another kind in a
 * chosen folder, notes) goes to the log only (`quiet`); a notification only for what needs action or explains a
 * partial or empty result — one or two short sentences (file and line count, no problem message), with the buttons
 * that help (the dashboard tab that lists the details, Open Settings, Open File, Show Log). Real inputs:
 * shared/data (loki, qradar) and test/fixtures.
 */
import { settings } from './vscode-stand-in';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runWorkerJob } from './worker-job';
import {
  arielPartialNotice,
  chosenSkipped,
  chosenSkippedSentence,
  ERRORS_TAB,
  inputProblemsHeadline,
  inputsNotice,
  kpiRulesErrorHeadline,
  LOKI_SKIPPED_TAB,
  noticeButtons,
  NOTES_TAB,
  QRADAR_FILES_TAB,
  unreadFiles,
  kpiRuleProblemsSentence,
} from '../../src/core/analyze/run-notice';
import { lokiKind } from '../../src/extension/kinds/loki';
import { qradarKind } from '../../src/extension/kinds/qradar';
import { kpiKind } from '../../src/extension/kinds/kpi';
import { arielKind } from '../../src/extension/kinds/ariel';
import type { AnalysisKind } from '../../src/extension/kinds/types';

void settings; // the vscode stand-in is installed by importing it
const SHARED = path.resolve(__dirname, '../../../../shared/data');
const FIX = path.resolve(__dirname, '../../../test/fixtures');
/** The longest sentence a run's notification may have (the beacon one is < 130; two sentences a little more). */
const SHORT = 200;

async function run<R>(kind: AnalysisKind<R>, paths: string[], options: Record<string, unknown> = {}): Promise<R> {
  return runWorkerJob<R>(kind.job({ paths, options }));
}

describe('run notice: the sentence about problems reading the inputs', () => {
  it('one file: how many lines and from which, no problem message', () => {
    const errors = [
      { file: '/x/trial.log', line: 4, message: 'malformed or truncated record envelope' },
      { file: '/x/trial.log', line: 5, message: 'continuation' },
    ];
    assert.equal(inputProblemsHeadline('Loki', errors, { unreadableLines: 2 }), 'Loki: 2 unreadable lines in trial.log (from line 4) — everything readable was kept.');
    assert.equal(inputProblemsHeadline('QRadar', errors, { kept: 'every readable record' }), 'QRadar: 2 problems in trial.log (from line 4) — every readable record was kept.');
  });
  it('several files: the count of files and the first place', () => {
    const errors = [
      { file: '/x/a.json', line: 0, message: 'cannot read' },
      { file: '/x/b.json', line: 16, message: 'bad' },
      { file: '/x/c.json', line: 2, message: 'bad' },
    ];
    assert.equal(inputProblemsHeadline('QRadar', errors), 'QRadar: 3 problems in 3 files (first: b.json:16) — everything readable was kept.');
  });
  it('whole files not read (line 0): said as files, the others analyzed', () => {
    assert.equal(inputProblemsHeadline('Cases', [{ file: '/x/cases.json', line: 0, message: 'damaged JSON' }]), 'Cases: 1 file could not be read (cases.json) — the other files were analyzed.');
    const three = ['a', 'b', 'c'].map((f) => ({ file: `/x/${f}.json`, line: 0, message: 'EACCES' }));
    assert.equal(inputProblemsHeadline('Cases', three), 'Cases: 3 files could not be read (a.json, b.json, …) — the other files were analyzed.');
  });
  it('no problem: undefined', () => assert.equal(inputProblemsHeadline('Loki', []), undefined));
  it('files not read at all, per file with the first reason (nothingRead)', () => {
    assert.deepEqual(unreadFiles([{ file: 'a', line: 0, message: 'x' }, { file: 'a', line: 0, message: 'y' }, { file: 'b', line: 3, message: 'z' }]), [{ file: 'a', reason: 'x' }]);
    assert.equal(unreadFiles([{ file: 'b', line: 3, message: 'z' }]), undefined);
  });
});

describe('run notice: skipped files, buttons', () => {
  it('a skipped file the analyst chose is worth saying; one found in a chosen folder is not', () => {
    const skipped = [{ file: '/d/bin.log', reason: 'binary file' }, { file: '/d/sub/readme.md', reason: 'not Loki output' }, { file: '', reason: 'a note' }];
    assert.deepEqual(chosenSkipped(skipped, ['/d/bin.log', '/d/x.log']), [skipped[0]]);
    assert.deepEqual(chosenSkipped(skipped, ['/d']), []);
    assert.equal(chosenSkippedSentence([skipped[0]]), '1 chosen file was skipped: bin.log (binary file).');
    assert.equal(chosenSkippedSentence([]), undefined);
  });
  it('a folder run whose only news is files of another kind: quiet, each in the log', () => {
    const n = inputsNotice({ label: 'QRadar', errors: [], skipped: [{ file: '/d/ariel.json', reason: 'Ariel search results (not analyzed)' }], paths: ['/d'] });
    assert.equal(n?.quiet, true);
    assert.deepEqual(n?.lines, ['skipped /d/ariel.json: Ariel search results (not analyzed)']);
    assert.equal(inputsNotice({ label: 'QRadar', errors: [], skipped: [], paths: ['/d'] }), undefined);
  });
  it('buttons: the file, the setting, the tab, then the log', () => {
    assert.deepEqual(noticeButtons({}), ['Show Log']);
    assert.deepEqual(noticeButtons({ tab: NOTES_TAB }), ['Show Notes', 'Show Log']);
    assert.deepEqual(noticeButtons({ tab: ERRORS_TAB, setting: 's', file: { path: 'f', line: 1 } }), ['Open File', 'Open Settings', 'Show Errors', 'Show Log']);
  });
});

describe('run notice per kind on real inputs', () => {
  it('Loki, the sample scans (shared/data): nothing to say — no notification', async () => {
    const dir = path.join(SHARED, 'loki/real-2021-2022');
    const a = await run(lokiKind, [dir]);
    assert.equal(lokiKind.problems!(a, [dir]), undefined);
  });

  it('Loki, a truncated CSV and a binary file chosen: one warning, the line count and the skipped file, Show Errors', async () => {
    const paths = [path.join(FIX, 'loki/truncated.csv'), path.join(FIX, 'loki/binary.bin.log')];
    const a = await run(lokiKind, paths);
    const n = lokiKind.problems!(a, paths)!;
    assert.equal(n.message, 'Loki: 1 unreadable line in truncated.csv (from line 3) — everything readable was kept. 1 chosen file was skipped: binary.bin.log (binary file).');
    assert.ok(n.message.length < SHORT);
    assert.equal(n.severity, 'warning');
    assert.deepEqual(n.tab, ERRORS_TAB);
    // the problem's message and the skipped file are in the log
    assert.ok(n.lines.some((l) => l.endsWith('truncated.csv:3: truncated or malformed file finding (no SCORE)')), n.lines.join('\n'));
    assert.ok(n.lines.some((l) => /^skipped .*binary\.bin\.log: binary file$/.test(l)), n.lines.join('\n'));
  });

  it('Loki, only a chosen file skipped: the Skipped files tab', async () => {
    const paths = [path.join(FIX, 'loki/samples-plain-win.log'), path.join(FIX, 'loki/binary.bin.log')];
    const a = await run(lokiKind, paths);
    const n = lokiKind.problems!(a, paths)!;
    assert.equal(n.message, 'Loki: 1 chosen file was skipped: binary.bin.log (binary file).');
    assert.deepEqual(n.tab, LOKI_SKIPPED_TAB);
  });

  it('QRadar, the public sample folder: 14 files of other kinds and a duplicate note — the log only', async () => {
    const dir = path.join(SHARED, 'qradar/public');
    const a = await run(qradarKind, [dir]);
    const n = qradarKind.problems!(a, [dir])!;
    assert.equal(n.quiet, true);
    assert.ok(n.lines.some((l) => /^skipped .*ariel_search_results\.json: Ariel search results/.test(l)));
    assert.ok(n.lines.some((l) => /^1 duplicate offense/.test(l)));
  });

  it('QRadar, a damaged export chosen: a warning with file and line, Show Errors; a skipped chosen file: Show Files Read', async () => {
    const bad = path.join(FIX, 'qradar/truncated.json');
    const n = qradarKind.problems!(await run(qradarKind, [bad]), [bad])!;
    assert.equal(n.message, 'QRadar: 2 problems in truncated.json (from line 16) — every readable record was kept.');
    assert.deepEqual(n.tab, ERRORS_TAB);
    const ariel = path.join(SHARED, 'qradar/public/ciscosecurity-tr05-qradar/ariel_search_results.json');
    const offenses = path.join(SHARED, 'qradar/public/elastic-integrations/offenses.json');
    const m = qradarKind.problems!(await run(qradarKind, [offenses, ariel]), [offenses, ariel])!;
    assert.equal(m.message, 'QRadar: 1 chosen file was skipped: ariel_search_results.json (Ariel search results (not analyzed)).');
    assert.deepEqual(m.tab, QRADAR_FILES_TAB);
  });

  it('Cases, the small export: its notes (seed rules used) go to the log only', async () => {
    const f = path.join(FIX, 'cases/kpi-small.csv');
    const n = kpiKind.problems!(await run(kpiKind, [f]), [f])!;
    assert.equal(n.quiet, true);
    assert.ok(n.lines.some((l) => l.startsWith('no tagging rules file')));
  });

  it('Cases, a tagging rules file that cannot be read: an error, short, with Open File and Open Settings', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notice-rules-'));
    const rules = path.join(dir, 'tagging.json');
    writeFileSync(rules, '{\n  "rules": [\n    { "tag": "x", \n');
    const f = path.join(FIX, 'cases/kpi-small.csv');
    const a = await run(kpiKind, [f], { rulesPath: rules });
    const n = kpiKind.problems!(a, [f])!;
    assert.equal(n.severity, 'error');
    assert.equal(n.message, kpiRulesErrorHeadline(a.rules.error!));
    assert.match(n.message, /^Cases: the tagging rules file tagging\.json could not be read( \(line \d+\))? — the cases were NOT tagged\. Fix it and run again\.$/);
    assert.ok(n.message.length < SHORT);
    assert.deepEqual(noticeButtons(n), ['Open File', 'Open Settings', 'Show Log']);
    assert.equal(n.setting, 'socAnalytics.kpi.taggingRulesFile');
    // the whole explanation is in the log
    assert.match(n.lines[0], /^The tagging rules file could not be read: .*The cases were NOT tagged by it/);
  });

  it('Cases and Ariel counts, a damaged JSON alone: nothing read, with why (not "no files found")', async () => {
    const kpiBad = path.join(FIX, 'kpi-review/pretty-missing-comma.json');
    const k = await run(kpiKind, [kpiBad]);
    assert.match(kpiKind.nothingRead!(k)?.[0].reason ?? '', /^damaged JSON/);
    const arielBad = path.join(FIX, 'qradar/truncated.json');
    const r = await run(arielKind, [arielBad]);
    assert.match(arielKind.nothingRead!(r)?.[0].reason ?? '', /^cannot read as JSON/);
  });

  it('Ariel counts, the sample results: no notification; a damaged file beside a good one: Show Log only', async () => {
    const good = path.join(SHARED, 'qradar/public/ciscosecurity-tr05-qradar/ariel_search_results.json');
    assert.equal(arielKind.problems!(await run(arielKind, [good]), [good]), undefined);
    const bad = path.join(FIX, 'qradar/truncated.json');
    const n = arielKind.problems!(await run(arielKind, [good, bad]), [good, bad])!;
    assert.equal(n.message, 'QRadar event count: 1 file could not be read (truncated.json) — the other files were analyzed.');
    assert.deepEqual(noticeButtons(n), ['Show Log']);
  });
});

describe('run notice: an Ariel count with a partial result (Count Events in QRadar)', () => {
  it('one short sentence for the row limit and the search errors; none when complete', () => {
    assert.equal(arielPartialNotice(undefined, 0), undefined);
    assert.equal(arielPartialNotice('rows past LIMIT 1,000 were left out …', 0), 'QRadar event count: the row limit left groups out — the counts may be incomplete (see the log).');
    assert.equal(
      arielPartialNotice('cut', 2),
      'QRadar event count: the row limit left groups out, and the Ariel search reported 2 error messages — the counts may be incomplete (see the log).',
    );
  });
});

it('cases: disabled tagging rules say why when the workspace is not trusted (Restricted Mode)', () => {
  assert.equal(kpiRuleProblemsSentence(2, '/w/.soc/tagging.json'), '2 tagging rules of tagging.json could not be used (disabled).');
  assert.equal(
    kpiRuleProblemsSentence(1, '/w/.soc/tagging.json', 1),
    '1 tagging rule of tagging.json was not run: regular expressions are disabled in Restricted Mode (trust the workspace to run it).',
  );
  assert.equal(
    kpiRuleProblemsSentence(3, '/w/.soc/tagging.json', 1),
    '3 tagging rules of tagging.json could not be used (disabled; 1 of them regular expressions not run in Restricted Mode).',
  );
});
