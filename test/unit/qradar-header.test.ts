/**
 * QRadar dashboard header and settings text (new-user trial 2): the header's file count is the "Files read" tab's,
 * set-aside files named as such; the README settings table lists the same default closing-reason fragments as
 * package.json and the code.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, NOT_READ_KIND, SKIPPED_KIND } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.resolve(ROOT, '../shared/data/qradar/samples');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

describe('QRadar dashboard header: the file count is the "Files read" tab\'s', () => {
  it('samples folder: 9 files read (6 analyzed, 3 skipped: not offense data; 1 a QRadar API error answer), as the tab lists them', async () => {
    const parsed = await runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
    const m = buildQRadarDashboard(parsed, 'qradar', settings).model;
    const tab = m.tables.find((t) => t.id === 'inputs')!;
    assert.equal(tab.title, 'Files read');
    assert.equal(tab.rows.length, 9);
    assert.deepEqual(
      tab.rows.filter((r) => r[1] === 'skipped: not offense data').map((r) => path.basename(String(r[0]))),
      ['ariel_search_results.json', 'ariel_search_status.json', 'error_401.json'],
    );
    // new-user trial 3: "(3 set aside)" said nothing here ("set aside" is the Loki dashboard's word for older scans);
    // the header names what the tab's Kind says, and that one of them is an API error answer
    assert.match(m.subtitle ?? '', /^6 offenses \(2026-03-02 – 2026-03-08\), 9 files read \(6 analyzed, 3 skipped: not offense data; 1 of them is a QRadar API error answer\), 7 exported event rows \(event count 27\), console times read in Europe\/Berlin — times in UTC$/);
    assert.doesNotMatch(m.subtitle ?? '', /input files|set aside/);
    // the error answer (error_401.json) is a problem to the analyst: the Problems card counts it, the tab names it
    assert.equal(m.cards.find((c) => c.id === 'errors')?.value, 1);
    assert.equal(m.cards.find((c) => c.id === 'errors')?.tone, 'warning');
    const problems = m.tables.find((t) => t.id === 'errors')!.rows;
    assert.equal(problems.length, 1);
    assert.equal(path.basename(String(problems[0][0])), 'error_401.json');
    assert.match(String(problems[0][2]), /^not an export: an error answer of the QRadar API \(the request that wrote this file failed; skipped\) — QRadar API error body: No SEC header present/);
    assert.equal(m.problems?.count, 1);
  });

  it('entries folder discovery left out (a link outside the folder, a FIFO) are "skipped: not read", not counted as read nor as "not offense data"', { skip: process.platform === 'win32' }, async () => {
    const ev = mkdtempSync(path.join(tmpdir(), 'qradar-notread-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'qradar-notread-out-'));
    try {
      copyFileSync(path.join(SAMPLES, 'offenses.json'), path.join(ev, 'offenses.json'));
      copyFileSync(path.join(SAMPLES, 'ariel_search_status.json'), path.join(ev, 'ariel_search_status.json'));
      copyFileSync(path.join(SAMPLES, 'offenses.json'), path.join(outside, 'other.json'));
      symlinkSync(path.join(outside, 'other.json'), path.join(ev, 'linked.json'));
      let fifo = false;
      try {
        execFileSync('mkfifo', [path.join(ev, 'pipe.json')]);
        fifo = true;
      } catch {
        /* no mkfifo here */
      }
      const parsed = await runQRadarRead([ev], { consoleTimeZone: 'UTC' });
      const m = buildQRadarDashboard(parsed, 'qradar', settings).model;
      const rows = m.tables.find((t) => t.id === 'inputs')!.rows.map((r) => [path.basename(String(r[0])), r[1], r[2]]);
      assert.deepEqual(rows, [
        ['ariel_search_status.json', SKIPPED_KIND, 'Ariel search status (not analyzed)'],
        ['offenses.json', 'Offenses', 'JSON array (API answer)'],
        ...(fifo ? [['pipe.json', NOT_READ_KIND, 'not a regular file (FIFO)']] : []),
        ['linked.json', NOT_READ_KIND, `symbolic link to a file outside the folders analyzed (${path.join(outside, 'other.json')}), not read — name it directly to analyze it`],
      ]);
      assert.equal(NOT_READ_KIND, 'skipped: not read');
      assert.match(m.subtitle ?? '', new RegExp(`^6 offenses \\([^)]*\\), 2 files read \\(1 analyzed, 1 skipped: not offense data\\), ${fifo ? 2 : 1} skipped: not read — times in UTC$`));
    } finally {
      rmSync(ev, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('nothing set aside: no parenthesis; one file: "1 file read"', async () => {
    // alone in its folder (beside the samples' lists, those are read too: 3 files)
    const dir = mkdtempSync(path.join(tmpdir(), 'qradar-one-'));
    copyFileSync(path.join(SAMPLES, 'offenses.json'), path.join(dir, 'offenses.json'));
    const parsed = await runQRadarRead([path.join(dir, 'offenses.json')], { consoleTimeZone: 'UTC' });
    const m = buildQRadarDashboard(parsed, 'qradar', settings).model;
    assert.equal(m.tables.find((t) => t.id === 'inputs')!.rows.length, 1);
    assert.match(m.subtitle ?? '', /^6 offenses \([^)]*\), 1 file read — times in UTC$/);
    const beside = buildQRadarDashboard(await runQRadarRead([path.join(SAMPLES, 'offenses.json')], { consoleTimeZone: 'UTC' }), 'qradar', settings).model;
    assert.equal(beside.tables.find((t) => t.id === 'inputs')!.rows.length, 3);
    assert.match(beside.subtitle ?? '', /^6 offenses \([^)]*\), 3 files read — times in UTC$/);
  });
});

describe('QRadar closing-reason defaults: README settings table = package.json = the code', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const props = Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties)); // settings categories
  it('package.json defaults are DEFAULT_ESCALATED_REASONS / DEFAULT_FALSE_POSITIVE_REASONS', () => {
    assert.deepEqual(props['socAnalytics.qradar.escalatedReasons'].default, DEFAULT_ESCALATED_REASONS);
    assert.deepEqual(props['socAnalytics.qradar.falsePositiveReasons'].default, DEFAULT_FALSE_POSITIVE_REASONS);
    assert.deepEqual(DEFAULT_ESCALATED_REASONS, ['escalat', 'true positive', 'true-positive']);
  });
  it('the README settings row lists every default fragment', () => {
    const row = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').find((l) => l.startsWith('| `socAnalytics.qradar.escalatedReasons`'))!;
    const defaults = row.split('|')[2].split(' / ').map((part) => [...part.matchAll(/`([^`]*)`/g)].map((m) => m[1]));
    assert.deepEqual(defaults, [DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS]);
  });
});
