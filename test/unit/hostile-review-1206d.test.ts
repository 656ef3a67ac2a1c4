/**
 * Hostile review of 2026-12-06 (fourth session): tagging rules files, case files and SLA tables, the time-zone tools,
 * the Markdown summaries' defanging and "Left out" line. Each test is a defect the review found, with the values it
 * found it with (they fail on the code before the fix), kept as a regression test.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jsonLocator } from '../../src/core/analyze/json-locate';
import { readTaggingFile } from '../../src/core/analyze/kpi-run';
import { riskyRegex, tagRecords } from '../../src/core/analyze/tagging';
import { checkSla, compareSeverity, computeKpis, slaFor, DEFAULT_SLA, type SlaTarget } from '../../src/core/analyze/kpi';
import type { CaseRecord } from '../../src/core/parse/cases';
import { isoInZone, parseTimestamp } from '../../src/core/tz-normalize';
import { normalizeTable, readNormalizeInput } from '../../src/core/tz-file';
import { defangIocs, escapeMarkdownCell } from '../../src/core/export/markdown-escape';
import { qradarMarkdown } from '../../src/core/export/markdown-summary';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, summarizeQRadar } from '../../src/core/analyze/qradar-summary';
import { assertSubquadratic, withinCpuMs } from './cpu-cost';

const ROOT = resolve(__dirname, '../../..');
const DIST = join(ROOT, 'dist/cli.js');
const KPI_SMALL = join(ROOT, 'test/fixtures/cases/kpi-small.csv');
const TMP = mkdtempSync(join(tmpdir(), 'hostile-1206d-'));
let n = 0;
const tmpFile = (name: string, content: string | Buffer) => {
  const f = join(TMP, `${++n}-${name}`);
  writeFileSync(f, content);
  return f;
};

describe('tagging rules file: checking it is not quadratic', () => {
  /** A rules file with `n` other top-level keys before `"rules"` and `n` rules (each on its own line). */
  const rulesText = (n: number) =>
    `{\n${Array.from({ length: n }, (_, i) => `"k${i}": 0,`).join('\n')}\n"rules": [\n${Array.from({ length: n }, (_, i) => `{"tag": "T${i}", "match": "x${i}"}`).join(',\n')}\n]}\n`;

  test('every rule located once: 16× the keys and rules cost about 16×, not 256× (one walk of the root per rule)', () => {
    // the located lines are real: rule i is on line n + 3 + i, its "match" key after `{"tag": "T999", `
    const loc = jsonLocator(rulesText(1000));
    assert.deepEqual(loc(['rules', 0]), { offset: loc(['rules', 0])!.offset, line: 1003, column: 1 });
    assert.deepEqual(loc(['rules', 999, 'match']), { offset: loc(['rules', 999, 'match'])!.offset, line: 2002, column: 17 });
    assert.equal(loc(['k500'])?.line, 502);
    assert.equal(loc(['rules', 1000]), undefined);
    assertSubquadratic(
      'jsonLocator: n top-level keys, n rules located',
      (k) => rulesText(k),
      (text) => {
        const locate = jsonLocator(text);
        const count = (text.match(/"tag"/g) ?? []).length;
        for (let i = 0; i < count; i++) locate(['rules', i]);
      },
      500,
    );
  });

  test('readTaggingFile of 32,000 rules beside 32,000 other keys: well under the ~10 s the walks took (16,000: 4.6 s), lines right', async () => {
    const f = tmpFile('tagging.json', rulesText(32000));
    const c0 = process.cpuUsage();
    const r = await readTaggingFile(f);
    const c = process.cpuUsage(c0);
    assert.ok((c.user + c.system) / 1000 < 4000, `${(c.user + c.system) / 1000} ms of CPU time`);
    assert.equal(r.config.rules.length, 32000);
    assert.equal(r.ruleLines?.[31999], 32000 + 3 + 31999);
  });

  test('a group of many alternatives is checked in n log n: 50,000 of them (about 20 s pairwise) well under a second', () => {
    // equal-length alternatives: none a prefix of another, so the pairwise check compared every pair
    const alts = Array.from({ length: 50000 }, (_, i) => `w${String(i).padStart(6, '0')}`);
    assert.equal(withinCpuMs(1500, () => riskyRegex(`(${alts.join('|')})+`)), undefined);
    // one overlap anywhere is still found: the last alternative a prefix of the first, a repeated one, the classic ones
    assert.match(withinCpuMs(1500, () => riskyRegex(`(${alts.join('|')}|w00000)+`)) ?? '', /^overlapping alternatives in \(w000000\|/);
    assert.match(riskyRegex(`(${alts.join('|')}|w049999)+`) ?? '', /^overlapping alternatives/);
    assert.equal(riskyRegex('(a|aa)+'), 'overlapping alternatives in (a|aa)+');
    assert.equal(riskyRegex('(?:ab|cd|ab)*'), 'overlapping alternatives in (?:ab|cd|ab)*');
    assert.equal(riskyRegex('(ab|cd|)+x'), undefined); // an empty alternative is nobody's prefix here (as before)
    assert.equal(riskyRegex('(ab|cd)+'), undefined);
    assert.equal(riskyRegex('(ab|abc)'), undefined); // not quantified
    // and through the tagger, which checks each rule's patterns before it runs them (20,000 alternatives: about 3.6 s
    // pairwise; 50,000 take V8 over the 50 ms bound to compile on their first run, and the rule is disabled, reported)
    const words = alts.slice(0, 20000).join('|');
    const r = withinCpuMs(2500, () => tagRecords([{ fields: { title: 'w000042 seen' }, line: 2 }, { fields: { title: 'w1' }, line: 3 }], { rules: [{ tag: 'Alts', type: 'regex', match: `(${words})+` }] }));
    assert.deepEqual([r.tags, r.problems], [['Alts', 'Other'], []]);
  });
});

describe('time zones: an offset of local mean time', () => {
  test('epoch 0 in Africa/Monrovia (−00:44:30) is written at −00:44 with its wall time: the text reads back as the same instant', () => {
    assert.equal(isoInZone(0, 'Africa/Monrovia'), '1969-12-31T23:16:00-00:44'); // was 23:15:30-00:44, 30 s late when read
    assert.equal(parseTimestamp(isoInZone(0, 'Africa/Monrovia'), 'iso').ms, 0);
    const riyadh1930 = Date.parse('1930-01-01T00:00:00Z');
    assert.equal(isoInZone(riyadh1930, 'Asia/Riyadh'), '1930-01-01T03:07:00+03:07'); // +03:06:52 rounded
    assert.equal(parseTimestamp(isoInZone(riyadh1930, 'Asia/Riyadh'), 'iso').ms, riyadh1930);
    // whole-minute offsets as before, fractions of a second kept
    assert.equal(isoInZone(0, 'America/New_York'), '1969-12-31T19:00:00-05:00');
    assert.equal(isoInZone(1709294400123, 'Asia/Kolkata'), '2024-03-01T17:30:00.123+05:30');
    assert.equal(isoInZone(0, 'UTC'), '1970-01-01T00:00:00Z');
  });

  test('tz convert of epoch 0 to Africa/Monrovia: every converted time reads back as its instant', async () => {
    const f = tmpFile('epoch.csv', 'ts,host\n0,a\n94694400,b\n1709294400,c\n');
    const t = await readNormalizeInput(f);
    const r = normalizeTable(t, { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'Africa/Monrovia' });
    assert.deepEqual(r.rows.map((x) => x.normalized), ['1969-12-31T23:16:00-00:44', '1973-01-01T00:00:00+00:00', '2024-03-01T12:00:00+00:00']);
    for (const x of r.rows) assert.equal(parseTimestamp(x.normalized, 'iso').ms, x.ms);
  });
});
