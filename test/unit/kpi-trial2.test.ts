/**
 * Fixes from the second new-user trial of the cases / KPI area: one `describe` per reported
 * problem, each asserting the corrected values.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jsonLocator, scanJson } from '../../src/core/analyze/json-locate';
import { buildKpiDashboard, caseDetail, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf, RULES_ERROR_CONSEQUENCE, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiReport, compareSeverity, computeKpis } from '../../src/core/analyze/kpi';
import { validateTaggingConfig } from '../../src/core/analyze/tagging';
import { NEUTRAL_SLOT, rememberTagColors, tagColorLight, tagColorSlot, tagColorSlots, tagSlot, TAG_NEUTRAL_LIGHT, type TagColorMemory } from '../../src/core/analyze/tag-colors';
import { kpiSummaryRows, matchedTagsText, renderKpiReportHtml, renderKpiReportMarkdown, reportCharts, reportFileStamp } from '../../src/core/export/report';
import { writeReportFiles } from '../../src/core/export/report-files';
import type { CaseRecord } from '../../src/core/parse/cases';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/cases');
const CASES = join(FIX, 'kpi-small.csv');
const RULES = join(FIX, 'tagging.json');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const TMP = mkdtempSync(join(tmpdir(), 'soc-kpi-trial2-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-02T08:00:00Z');
function kase(p: Partial<CaseRecord>, i = 0): CaseRecord {
  return { title: `case ${i + 1}`, rules: [], file: 'c.csv', line: i + 2, raw: {}, ...p };
}

describe('#1 SLA rows by severity rank (Critical, High, Medium, Low, …), not alphabetically', () => {
  test('compareSeverity: words by rank, numbers highest first, others by SLA table order, unknown last', () => {
    const sla = { critical: {}, high: {}, medium: {}, low: {}, informational: {}, sev2: {}, sev1: {}, unknown: {} };
    const list = ['unknown', 'Low', 'sev1', 'Informational', 'medium', 'sev2', 'High', 'Critical', '3', '9'];
    assert.deepEqual([...list].sort((a, b) => compareSeverity(a, b, sla)), ['Critical', 'High', 'medium', 'Low', 'Informational', '9', '3', 'sev2', 'sev1', 'unknown']);
  });

  test('computeKpis, the dashboard table, the HTML and the Markdown report list Critical, High, Medium, Low', async () => {
    const k = computeKpis(
      ['Low', 'Medium', 'Critical', 'High', 'Low'].map((severity, i) => kase({ severity, created: T0, status: 'Open' }, i)),
      ['A', 'A', 'A', 'A', 'A'],
      { zone: 'UTC', asOf: T0 },
    );
    assert.ok(k.slaBreaches.available);
    assert.deepEqual(k.slaBreaches.value.rows.map((r) => r.severity), ['Critical', 'High', 'Medium', 'Low']);

    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    assert.deepEqual(d.tables.find((t) => t.id === 'sla')?.rows.map((x) => x[0]), ['Critical', 'High', 'Medium', 'Low']);
    const html = renderKpiReportHtml(r, { title: 'r', inputs: [CASES] });
    const slaHtml = html.slice(html.indexOf('<h2>SLA breaches per severity</h2>'));
    assert.deepEqual([...slaHtml.matchAll(/<tr><td>(Critical|High|Medium|Low)<\/td>/g)].map((m) => m[1]), ['Critical', 'High', 'Medium', 'Low']);
    const md = renderKpiReportMarkdown(r, { title: 'r', inputs: [CASES] });
    const slaMd = md.slice(md.indexOf('## SLA breaches per severity'));
    assert.deepEqual([...slaMd.matchAll(/^\| (Critical|High|Medium|Low) \|/gm)].map((m) => m[1]), ['Critical', 'High', 'Medium', 'Low']);
  });
});

describe('#2 a stray "}," in the rules file: the hint names the likely causes, not only a trailing comma', () => {
  // the fixture rules written one key per line, with an extra "}," inserted as line 13
  const lines = ['{', '  "$schema": "../schemas/tagging.schema.json",', '  "defaultTag": "Other",', '  "rules": ['];
  for (const [tag, match] of [['Logon', 'logon'], ['AV', 'malware'], ['PortScan', 'scan']]) lines.push('    {', `      "tag": "${tag}",`, `      "match": "${match}"`, '    },');
  lines[lines.length - 1] = '    }';
  lines.push('  ]', '}');
  lines.splice(12, 0, '    },');

  test('the analysis: tagging.json:13:5 with a hint for an extra brace or a missing value', async () => {
    const f = join(TMP, 'tagging.json');
    writeFileSync(f, lines.join('\n') + '\n');
    assert.deepEqual(readFileSync(f, 'utf8').split('\n').slice(11, 13), ['    },', '    },']);
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.deepEqual(a.rules.error, { file: f, line: 13, column: 5, message: "not valid JSON: expected a value, found '}' (an extra '}', or a value missing after the comma before it?)" });
  });

  test('each closer gets the hint that fits where it stands', () => {
    const m = (t: string) => scanJson(t).error?.message;
    assert.equal(m('{"rules": [1,\n]}'), "expected a value, found ']' (a trailing comma before it?)");
    assert.equal(m('{"rules": [\n {"tag": "a"}\n },\n]}'), "expected ',' or ']' after an array element, found '}' (an extra '}'?)");
    assert.equal(m('{"rules": [], }'), "expected a property name in double quotes, found '}' (a trailing comma before it, or an extra '}'?)");
    assert.equal(m('{"rules": [] ]}'), "expected ',' or '}' after a property value, found ']' (an extra ']'?)");
    assert.equal(m('{"rules": }'), "expected a value, found '}' (a value missing after the colon?)");
    assert.equal(m('{"rules": [}]}'), "expected a value, found '}' (an extra '}'?)");
  });
});

describe('#3 an invalid rule points at the offending key (line and column), else at the rule', () => {
  const text = [
    '{',
    '  "rules": [',
    '    { "tag": "Logon", "match": "logon" },',
    '    {',
    '      "tag": "AV",',
    '      "match": "malware",',
    '        "type": "regexp"',
    '    },',
    '    { "match": "x" },',
    '    { "tag": "C", "match": ["a",',
    '        "", "b"] }',
    '  ]',
    '}',
  ].join('\n');

  test('jsonLocator: the key of a property, an element, undefined when absent or the text is invalid', () => {
    const at = jsonLocator(text);
    assert.deepEqual(at(['rules', 1, 'type']), { offset: text.indexOf('"type"'), line: 7, column: 9 });
    assert.deepEqual(at(['rules', 1]), { offset: text.indexOf('{\n      "tag": "AV"'), line: 4, column: 5 });
    assert.equal(at(['rules', 2, 'tag']), undefined);
    assert.equal(jsonLocator('{"rules": [}')(['rules']), undefined);
  });

  test('the analysis: rule 2 ("AV", line 7, column 9) for its "type"; a missing "tag" falls back to the rule line', async () => {
    const f = join(TMP, 'bad-key.json');
    writeFileSync(f, text);
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.deepEqual(a.errors, [
      { file: f, line: 7, message: 'rule 2 ("AV", line 7, column 9): "type" must be "substring" or "regex" (found "regexp"); the rule is disabled' },
      { file: f, line: 9, message: 'rule 3 (no tag, line 9): "tag" must be a non-empty string (found nothing); the rule is disabled' },
      { file: f, line: 10, message: 'rule 4 ("C", line 10, column 19): "match" must be a non-empty string or a list of non-empty strings (found ["a","","b"]); the rule is disabled' },
    ]);
    assert.deepEqual(a.tagging.problems.map((p) => [p.ruleLine, p.ruleColumn]), [[7, 9], [9, undefined], [10, 19]]);
  });

  test('without a locator (a parsed document only): the rule line, as before', () => {
    const v = validateTaggingConfig(JSON.parse(text), [3, 4, 9, 10]);
    assert.equal(v.problems[0].message, 'rule 2 ("AV", line 4): "type" must be "substring" or "regex" (found "regexp"); the rule is disabled');
  });
});

describe('#6 KPI report file names: yyyyMMddTHHmmssZ without milliseconds, never overwritten', () => {
  test('reportFileStamp drops the milliseconds (truncating, not rounding)', () => {
    assert.equal(reportFileStamp(Date.parse('2026-12-01T08:08:49.564Z')), '20261201T080849Z');
    assert.equal(reportFileStamp(Date.parse('2026-12-01T08:08:59.999Z')), '20261201T080859Z');
    assert.equal(reportFileStamp(Date.parse('2026-12-01T08:08:49Z')), '20261201T080849Z');
  });

  test('two reports in the same second: the second gets -2 (both files), nothing is replaced', async () => {
    const dir = join(TMP, 'soc-reports');
    const t = Date.parse('2026-12-01T08:08:49.564Z');
    const first = await writeReportFiles(dir, t, [{ ext: '.html', text: 'one' }, { ext: '.md', text: 'one md' }]);
    const second = await writeReportFiles(dir, t + 300, [{ ext: '.html', text: 'two' }, { ext: '.md', text: 'two md' }]);
    assert.deepEqual(first, [join(dir, 'kpi-report-20261201T080849Z.html'), join(dir, 'kpi-report-20261201T080849Z.md')]);
    assert.deepEqual(second, [join(dir, 'kpi-report-20261201T080849Z-2.html'), join(dir, 'kpi-report-20261201T080849Z-2.md')]);
    assert.equal(readFileSync(first[0], 'utf8'), 'one');
    assert.equal(readFileSync(second[1], 'utf8'), 'two md');
    // only the .md of a name taken (say by hand): the pair moves on to the next free name, no half-written pair is left
    writeFileSync(join(dir, 'kpi-report-20261201T080849Z-3.md'), 'kept');
    const third = await writeReportFiles(dir, t, [{ ext: '.html', text: 'three' }, { ext: '.md', text: 'three md' }]);
    assert.deepEqual(third, [join(dir, 'kpi-report-20261201T080849Z-4.html'), join(dir, 'kpi-report-20261201T080849Z-4.md')]);
    assert.equal(readFileSync(join(dir, 'kpi-report-20261201T080849Z-3.md'), 'utf8'), 'kept');
    assert.deepEqual(readdirSync(dir).sort(), [
      'kpi-report-20261201T080849Z-2.html',
      'kpi-report-20261201T080849Z-2.md',
      'kpi-report-20261201T080849Z-3.md',
      'kpi-report-20261201T080849Z-4.html',
      'kpi-report-20261201T080849Z-4.md',
      'kpi-report-20261201T080849Z.html',
      'kpi-report-20261201T080849Z.md',
    ]);
  });
});

describe('the case detail\'s reveal button names what it opens', () => {
  test('a case CSV row: "Reveal in file"; an offense of the QRadar sample export: "Reveal in export"', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const d = caseDetail(caseRows(a)[0], 0, 'UTC');
    assert.equal(d.canReveal, true);
    assert.deepEqual(d.reveal, { label: 'Reveal in file', title: 'Open the case file at this case' });
    const q = await runKpiAnalysis([join(__dirname, '../../../../shared/data/qradar/samples/offenses.json')], { rulesPath: RULES, asOf: AS_OF });
    const rows = caseRows(q);
    assert.equal(rows.length, 6);
    const o = caseDetail(rows[0], 0, 'UTC');
    assert.equal(o.canReveal, true);
    assert.deepEqual(o.reveal, { label: 'Reveal in export', title: 'Open the offenses export at this offense' });
  });
});

describe('#7 a case matched by several rules: "Logon (also matched: PortScan)", not "Logon → PortScan"', () => {
  test('matchedTagsText', () => {
    assert.equal(matchedTagsText(['Logon', 'PortScan', 'AV', 'PortScan', 'Logon']), 'Logon (also matched: PortScan, AV)');
    assert.equal(matchedTagsText(['Logon']), 'Logon');
    assert.equal(matchedTagsText([]), '');
  });

  test('the HTML and Markdown report, the dashboard table and the case detail use the same wording', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    const meta = { title: 'r', inputs: [CASES] };
    const html = renderKpiReportHtml(r, meta);
    assert.match(html, /<th>Rules \(in order\)<\/th><th>Tag \(first matching rule\)<\/th><\/tr><tr><td class="num">5<\/td><td>C-4<\/td><td>Login from unusual geo location followed by port scan<\/td><td>#1, #5<\/td><td>Logon \(also matched: PortScan\)<\/td><\/tr>/);
    assert.doesNotMatch(html, /Logon → PortScan/);
    const md = renderKpiReportMarkdown(r, meta);
    assert.ok(md.includes('| 5 | C-4 | Login from unusual geo location followed by port scan | \\#1, \\#5 | Logon (also matched: PortScan) |'), md);
    assert.doesNotMatch(md, /→ PortScan/);
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    const mm = d.tables.find((t) => t.id === 'multi-matched')!;
    assert.deepEqual(mm.columns.map((c) => c.title), ['Line', 'Id', 'Title', 'Tag (first matching rule)']);
    assert.deepEqual(mm.rows, [
      [5, 'C-4', 'Login from unusual geo location followed by port scan', 'Logon (also matched: PortScan)'],
      [6, 'C-5', 'SQL injection attempt blocked by WAF', 'SQLInjection (also matched: WAF)'],
    ]);
    const row = caseRows(a)[3];
    const fields = caseDetail(row, 3, 'UTC').fields;
    assert.deepEqual(fields.filter((f) => /^(Tag|Matching rules|Also matched)/.test(f.label)), [
      { label: 'Tag', value: 'Logon' },
      { label: 'Matching rules (tags, in rule order)', value: 'Logon, PortScan' },
      { label: 'Also matched', value: 'PortScan' },
    ]);
  });
});

describe('#4 an unusable rules file: no tag count in the subtitle, the volume says it is not split by tag', () => {
  test('dashboard subtitle: singular/plural, and no tag count without tagging', async () => {
    const good = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    assert.match(buildKpiDashboard(good, kpiReportOf(good, 'UTC'), 'cases', 'UTC').subtitle ?? '', /^10 cases, 8 tags — KPIs as of /);
    const one = buildKpiReport([kase({ created: T0 })], ['A'], { zone: 'UTC', asOf: T0 });
    assert.equal(kpiSummaryRows(one).find((x) => x.id === 'volume')?.value, '1 case in 1 week');
    const f = join(TMP, 'broken.json');
    writeFileSync(f, '{\n  "rules": [\n    { "tag": "A", "match": "a" },\n    },\n  ]\n}\n');
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.ok(a.rules.error);
    const r = kpiReportOf(a, 'UTC');
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    assert.match(d.subtitle ?? '', /^10 cases, not tagged \(the rules file could not be used\) — KPIs as of /);
    assert.doesNotMatch(d.subtitle ?? '', /tags\b/);

    // the KPI row, its definition, the chart, the report table and chart
    const row = kpiSummaryRows(r).find((x) => x.id === 'volume')!;
    assert.equal(row.title, 'Volume per week (not split by tag)');
    assert.equal(row.value, '10 cases in 2 weeks — not split by tag: the tagging rules file could not be used (the cases were not tagged)');
    assert.equal(row.definition, 'Cases created per ISO week (Monday–Sunday) in UTC. Not split by tag: the tagging rules file could not be used, so the cases were not tagged.');
    assert.doesNotMatch(row.definition, /tags from the tagging rules/);
    assert.deepEqual(d.tables.find((t) => t.id === 'kpis')!.rows[0], [row.title, row.value, row.definition]);
    const chart = d.charts.find((c) => c.id === 'volume')!;
    assert.equal(chart.title, 'Cases per week (UTC), not split by tag: the rules file could not be used');
    assert.equal(chart.datasets, undefined);
    assert.deepEqual(chart.values, [5, 5]);
    const html = renderKpiReportHtml(r, { title: 'r', inputs: [CASES], rules: a.rules });
    assert.match(html, /<h2>Volume per week \(not split by tag: the tagging rules file could not be used\)<\/h2>\n<table><tr><th><\/th><th>2026-W10<\/th><th>2026-W11<\/th><\/tr><tr><td>Cases created<\/td><td class="num">5<\/td><td class="num">5<\/td><\/tr><\/table>/);
    assert.doesNotMatch(html, /<td>\(not tagged\)<\/td>/);
    assert.deepEqual(reportCharts(r).map((c) => c.title).slice(0, 1), ['Volume per week (not split by tag)']);
    assert.match(RULES_ERROR_CONSEQUENCE, /cases per tag and the false-positive rate per tag are unavailable and the volume per week is not split by tag/);
  });

  test('with tags: unchanged title and definition', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const row = kpiSummaryRows(kpiReportOf(a, 'UTC')).find((x) => x.id === 'volume')!;
    assert.equal(row.title, 'Volume per tag per week');
    assert.equal(row.value, '10 cases in 2 weeks');
  });
});

describe('#5 each tag keeps one colour: by name, not by count or order; the same slot on the dashboard and in the report', () => {
  test('tagColorSlots: distinct slots from each name’s hash on, neutral tags fixed, independent of input order and repetition', () => {
    const a = tagColorSlots(['PortScan', 'Logon', 'AV', 'Other', 'Logon'], ['Other', '(not tagged)']);
    const b = tagColorSlots(['AV', 'Other', 'Logon', 'PortScan'], ['Other', '(not tagged)']);
    // (three different hash slots: each its own)
    assert.deepEqual({ ...a }, { AV: tagColorSlot('AV'), Logon: tagColorSlot('Logon'), PortScan: tagColorSlot('PortScan'), Other: NEUTRAL_SLOT, '(not tagged)': NEUTRAL_SLOT });
    assert.deepEqual({ ...b }, { ...a });
    assert.equal(tagSlot(a, 'never seen'), NEUTRAL_SLOT);
    assert.equal(tagColorLight(NEUTRAL_SLOT), TAG_NEUTRAL_LIGHT);
  });

  /** The fill of the bar or legend box drawn for `label` in a report chart (decoded SVG). */
  function fills(svg: string): Map<string, string> {
    const m = new Map<string, string>();
    // bar chart: label text, then its bar; stacked chart legend: box, then its label text
    for (const x of svg.matchAll(/<text[^>]*text-anchor="end"[^>]*>([^<]+)<\/text><rect [^>]*fill="([^"]+)"/g)) m.set(x[1], x[2]);
    for (const x of svg.matchAll(/<rect [^>]*width="10" height="10" fill="([^"]+)"\/><text[^>]*>([^<]+)<\/text>/g)) m.set(x[2], x[1]);
    return m;
  }

  test('two analyses with different counts: Logon has the same slot and colour everywhere', async () => {
    const subset = join(TMP, 'subset.csv');
    const lines = readFileSync(CASES, 'utf8').trimEnd().split('\n');
    // without the other Logon case and the OpenSSL/SQL/WAF ones: other counts, other tags present, other order
    writeFileSync(subset, [lines[0], lines[1], lines[3], lines[3].replace('C-3', 'C-33'), lines[9], lines[10]].join('\n') + '\n');
    const runs = [await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF }), await runKpiAnalysis([subset], { rulesPath: RULES, asOf: AS_OF })];
    const seen: { slot: number; report: string; reportVolume: string }[] = [];
    let memory: TagColorMemory = []; // the workspace's, as the host keeps it
    for (const a of runs) {
      const r = kpiReportOf(a, 'UTC', a.asOf, undefined, memory);
      memory = rememberTagColors(memory, r.tagColors);
      const d = buildKpiDashboard(a, r, 'cases', 'UTC');
      const tagsChart = d.charts.find((c) => c.id === 'tags')!;
      const vol = d.charts.find((c) => c.id === 'volume')!;
      const slotInTags = tagsChart.colorSlots![tagsChart.labels.indexOf('Logon')];
      const slotInVolume = vol.datasets!.find((x) => x.label === 'Logon')!.colorSlot!;
      assert.equal(slotInTags, slotInVolume);
      assert.equal(tagsChart.colorSlots![tagsChart.labels.indexOf('Other')], NEUTRAL_SLOT);
      assert.equal(vol.datasets!.find((x) => x.label === 'Other')!.colorSlot, NEUTRAL_SLOT);
      const charts = reportCharts(r);
      seen.push({
        slot: slotInTags,
        report: fills(charts.find((c) => c.title === 'Cases per tag')!.svg).get('Logon')!,
        reportVolume: fills(charts.find((c) => c.title === 'Volume per tag per week')!.svg).get('Logon')!,
      });
      assert.equal(fills(charts.find((c) => c.title === 'Cases per tag')!.svg).get('Other'), TAG_NEUTRAL_LIGHT);
    }
    // Logon's slot is the one it was first shown with (its name's: the first of the sorted tags with that hash)
    const logon = tagColorSlot('Logon');
    assert.deepEqual(seen, [
      { slot: logon, report: tagColorLight(logon), reportVolume: tagColorLight(logon) },
      { slot: logon, report: tagColorLight(logon), reportVolume: tagColorLight(logon) },
    ]);
    assert.notEqual(kpiReportOf(runs[0], 'UTC').tags[0].tag, kpiReportOf(runs[1], 'UTC').tags[0].tag); // the order by count differs
  });
});
