/**
 * Fixes from the new-user trial and the hostile review of the cases / KPI / tagging area: one
 * `describe` per reported problem, each asserting the corrected values.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { scanJson } from '../../src/core/analyze/json-locate';
import { buildKpiDashboard, kpiTreeText } from '../../src/core/analyze/kpi-dashboard';
import { qradarTreeText } from '../../src/core/analyze/qradar-summary';
import { kpiReportOf, NOT_TAGGED, parseAsOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { renderKpiReportHtml, renderKpiReportMarkdown, reportCharts, reportFileStamp } from '../../src/core/export/report';
import { analystSummary, computeKpis, formatDuration, isClosedCase, isClosedStatus, openCaseCount } from '../../src/core/analyze/kpi';
import { kpiSummaryRows } from '../../src/core/export/report';
import type { CaseRecord } from '../../src/core/parse/cases';
import { needsUnicodeFlag, tagRecords, type TaggingConfig } from '../../src/core/analyze/tagging';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/cases');
const CASES = join(FIX, 'kpi-small.csv');
const RULES = join(FIX, 'tagging.json');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const TMP = mkdtempSync(join(tmpdir(), 'soc-kpi-review-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-02T08:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;
/** A case with defaults (file c.csv, line 2+). */
function kase(p: Partial<CaseRecord>, i = 0): CaseRecord {
  return { title: `case ${i + 1}`, rules: [], file: 'c.csv', line: i + 2, raw: {}, ...p };
}

describe('#8 case state: the status must mean closed, not merely mention it', () => {
  test('closing statuses, with qualifiers, are closed', () => {
    for (const s of ['Closed', 'CLOSED', 'closed - false positive', 'Closed (duplicate)', 'Resolved: fixed', 'resolved', 'Auto-closed', 'auto_closed', 'Done', 'completed', 'Complete', 'Dismissed', 'close'])
      assert.equal(isClosedStatus(s), true, s);
  });
  test('statuses that only mention closing are open', () => {
    for (const s of ['Not closed', 'Reopened after close', 'Re-opened (was closed)', 'Closed, reopened', 'Unresolved', 'Not resolved', 'Pending close', 'Close requested', 'Awaiting closure', 'Open', 'In progress', 'OPEN'])
      assert.equal(isClosedStatus(s), false, s);
  });
  test('KPIs: "Not closed" and "Reopened after close" cases are backlog, not closures', () => {
    const cases = [
      kase({ status: 'Not closed', created: T0, disposition: 'False Positive' }, 0),
      kase({ status: 'Reopened after close', created: T0, closed: T0 + H, disposition: 'False Positive' }, 1),
      kase({ status: 'Closed - False Positive', created: T0, closed: T0 + 2 * H, disposition: 'False Positive' }, 2),
    ];
    assert.deepEqual(cases.map(isClosedCase), [false, false, true]);
    assert.equal(openCaseCount(cases), 2);
    const k = computeKpis(cases, ['A', 'A', 'A'], { zone: 'UTC', asOf: T0 + 10 * H });
    assert.ok(k.backlog.available && k.falsePositiveRate.available);
    assert.equal(k.backlog.value.open, 2);
    assert.equal(k.falsePositiveRate.value.closed, 1);
    assert.equal(k.falsePositiveRate.value.falsePositives, 1);
    // nor closes per shift (correctness audit: the reopened case's old closed time was counted, Day 2 closed)
    assert.ok(k.workloadPerShift.available);
    assert.deepEqual(k.workloadPerShift.value.map((r) => [r.shift, r.created, r.closed]), [['Day', 3, 1], ['Evening', 0, 0], ['Night', 0, 0]]);
  });
});

describe('#7 regular expressions with Unicode-only escapes are compiled with the u flag', () => {
  const recs = (titles: string[]) => titles.map((t, i) => ({ fields: { title: t }, line: i + 2 }));
  test('\\p{…} and \\u{…} match by their Unicode meaning, not as literal text', () => {
    assert.equal(needsUnicodeFlag('^\\p{Lu}{3}-\\d+$'), true);
    assert.equal(needsUnicodeFlag('caf\\u{E9}'), true);
    assert.equal(needsUnicodeFlag('a\\-b'), false);
    assert.equal(needsUnicodeFlag('\\\\p{L}'), false); // an escaped backslash, then the text p{L}
    const cfg: TaggingConfig = {
      rules: [
        { tag: 'Ticket', match: '^\\p{Lu}{3}-\\d+$', type: 'regex', caseSensitive: true },
        { tag: 'Cafe', match: 'caf\\u{E9}', type: 'regex' },
        { tag: 'Dash', match: 'a\\-b', type: 'regex' }, // invalid in u mode: must keep its non-Unicode meaning
        { tag: 'Literal', match: '\\\\p\\{L\\}', type: 'regex' },
      ],
    };
    const r = tagRecords(recs(['ÄBC-12', 'p{Lu}{3}-12', 'Café Wi-Fi down', 'see a-b', 'path \\p{L}']), cfg);
    assert.deepEqual(r.tags, ['Ticket', 'Other', 'Cafe', 'Dash', 'Literal']);
    assert.deepEqual(r.problems, []);
  });
  test('a pattern invalid in u mode is reported, saying why the u flag was used', () => {
    const r = tagRecords(recs(['x']), { rules: [{ tag: 'Bad', match: '\\p{L}\\-', type: 'regex' }] });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^rule 1 \("Bad"\): invalid regular expression "\\\\p\{L\}\\\\-" \(compiled with the u flag for its \\p\{…\} \/ \\u\{…\} escapes\): /);
    assert.equal(r.coverage.rules[0].disabled, 'invalid regular expression');
  });
});

describe('#1 an unusable tagging rules file is impossible to miss, precise, and tags nothing', () => {
  // the fixture rules with one extra closing brace at the end (line 14 of the file)
  const bad = join(TMP, 'extra-brace.json');
  const goodText = readFileSync(RULES, 'utf8');
  writeFileSync(bad, goodText.trimEnd() + '\n}\n');
  const badLine = goodText.trimEnd().split('\n').length + 1;

  test('the JSON scanner locates syntax errors V8 does not (line and column)', () => {
    assert.deepEqual(scanJson('{\n "rules": []\n}\n}\n').error, { offset: 17, line: 4, column: 1, message: "unexpected '}' after the end of the JSON document (an extra closing bracket?)" });
    assert.deepEqual(scanJson('{"rules": [\n  {"tag": "a" "match": "x"}\n]}').error, { offset: 26, line: 2, column: 15, message: `expected ',' or '}' after a property value, found '"'` });
    assert.deepEqual(scanJson('{"rules": [}\n]}').error, { offset: 11, line: 1, column: 12, message: "expected a value, found '}' (an extra '}'?)" });
    assert.deepEqual(scanJson('{"rules": [\n{"tag":"x", }\n]}').error, { offset: 24, line: 2, column: 13, message: "expected a property name in double quotes, found '}' (a trailing comma before it, or an extra '}'?)" });
    assert.equal(scanJson('{"rules": [{"tag": "x", "match": ["a", 1.5e3, true, null]}]}').error, undefined);
    assert.deepEqual(scanJson('{"rules": [\n  {"tag": \'x\'}]}').error, { offset: 22, line: 2, column: 11, message: "unexpected ''' (strings need double quotes)" });
    assert.equal(scanJson('{"rules": [] // note\n}').error?.message, 'comments are not allowed in JSON');
    assert.equal(scanJson('{"rules": [1,]}').error?.message, "expected a value, found ']' (a trailing comma before it?)");
    assert.equal(scanJson('   ').error?.message, 'the file is empty (expected a JSON object)');
    assert.deepEqual(scanJson('{"a": 1,\n "rules": [\n {"x": 1},\n\n 7]}', ['rules']).items.get('rules')?.map((p) => p.line), [3, 5]);
    // deeper than the parser can walk: no positions, no exception (V8's JSON.parse reads it)
    const deep = '{"rules": [' + '['.repeat(200_000) + ']'.repeat(200_000) + ']}';
    assert.deepEqual(scanJson(deep, ['rules']), { error: undefined, items: new Map(), keys: new Map() });
  });

  test('analysis: no tags from any rules, the error with file:line:column, per-tag KPIs unavailable', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: bad, asOf: AS_OF });
    assert.deepEqual(a.rules, {
      source: 'none',
      file: bad,
      error: { file: bad, line: badLine, column: 1, message: "not valid JSON: unexpected '}' after the end of the JSON document (an extra closing bracket?)" },
    });
    assert.deepEqual(new Set(a.tagging.tags), new Set([NOT_TAGGED]));
    assert.deepEqual(a.errors, [{ file: bad, line: badLine, message: "column 1: not valid JSON: unexpected '}' after the end of the JSON document (an extra closing bracket?) — the cases were NOT tagged" }]);
    const r = kpiReportOf(a, 'UTC');
    assert.match(r.taggingUnavailable ?? '', new RegExp(`could not be read \\(${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${badLine}:1: not valid JSON`));
    assert.ok(r.kpis.falsePositiveRate.available);
    assert.deepEqual(r.kpis.falsePositiveRate.value.perTag, []);
    assert.equal(r.kpis.falsePositiveRate.value.perTagUnavailable, r.taggingUnavailable);
    assert.equal(r.kpis.falsePositiveRate.value.falsePositives, 4); // KPIs that do not depend on tags are unchanged
    assert.ok(r.kpis.volume.available);
    assert.deepEqual(r.kpis.volume.value.tags, [NOT_TAGGED]);
    assert.match(r.kpis.volume.notes?.join(' ') ?? '', /not split by tag/);

    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    assert.deepEqual(d.problems, { count: 0, sample: [] }); // not an "unparsed line" of the data
    assert.equal(d.notices?.[0].id, 'rules-file');
    assert.equal(d.notices?.[0].severity, 'error');
    assert.equal(d.notices?.[0].title, 'Tagging rules file could not be read — the cases were NOT tagged');
    assert.equal(d.notices?.[0].lines[0], `${bad}:${badLine}:1: not valid JSON: unexpected '}' after the end of the JSON document (an extra closing bracket?)`);
    assert.match(d.notices?.[0].lines[1] ?? '', /no other rules were used instead \(not the built-in seed rules either\)/);
    assert.equal(d.charts.find((c) => c.id === 'tags'), undefined);
    assert.equal(d.tables.find((t) => t.id === 'fp-tag'), undefined);
    assert.deepEqual(d.cards.find((c) => c.id === 'untagged'), { id: 'untagged', label: 'Not tagged: the rules file could not be read', value: 10, tone: 'alert' });

    const meta = { title: 'r', inputs: [CASES], rulesFile: a.rulesFile, rules: a.rules };
    const html = renderKpiReportHtml(r, meta);
    assert.match(html, /<p class="alert" id="rules-error"><strong>Tagging rules file could not be read — the cases were NOT tagged\.<\/strong>/);
    assert.match(html, /<td id="rules">NOT USED — /);
    assert.doesNotMatch(html, /alt="Cases per tag"/);
    assert.match(renderKpiReportMarkdown(r, meta), /^# r\n\n> \*\*Tagging rules file could not be read — the cases were NOT tagged\.\*\*/);
  });

  test('a file without a "rules" array is unusable too (pointing at the file start), never tagged with other rules', async () => {
    const f = join(TMP, 'no-rules.json');
    writeFileSync(f, '{\n  "rule": []\n}\n');
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.deepEqual(a.rules.error, { file: f, line: 1, column: 1, message: 'the tagging file has no "rules" array' });
    assert.equal(a.tagging.tags.filter((t) => t === NOT_TAGGED).length, 10);
  });

  test('CLI: an ERROR line first with file:line:column, no tag table, exit code 2', async () => {
    const c = capture();
    const code = await main(['kpi', CASES, '--rules', bad, '--as-of', '2026-03-10T12:00:00Z'], c.io);
    assert.equal(code, 2);
    const lines = c.out().split('\n');
    assert.equal(lines[0], `ERROR: tagging rules file could not be read: ${bad}:${badLine}:1: not valid JSON: unexpected '}' after the end of the JSON document (an extra closing bracket?)`);
    assert.match(lines[1], /^ {2}The cases were NOT tagged by it, and no other rules were used instead/);
    assert.ok(lines.includes('Tags: none — the cases were NOT tagged (the rules file could not be read)'), c.out());
    assert.match(c.err(), /tagging rules file could not be read: .*extra-brace\.json:\d+:1: .* — the cases were NOT tagged/);
    const j = await main(['kpi', CASES, '--rules', bad, '--json'], capture().io);
    assert.equal(j, 2);
  });
});

describe('#2 an invalid rule is named (number, tag, line) and stays in the coverage table, disabled', () => {
  test('"type": "regexp" → rule 2 ("Phish", line 7, column 7), listed as disabled with the reason; other rules still tag', async () => {
    const f = join(TMP, 'bad-rule.json');
    writeFileSync(
      f,
      ['{', '  "rules": [', '    { "tag": "Logon", "match": ["login", "logon"] },', '', '    {', '      "tag": "Phish",', '      "type": "regexp",', '      "match": "phish"', '    },', '    { "tag": "AV", "match": "malware" }', '  ]', '}', ''].join('\n'),
    );
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.equal(a.rules.source, 'file');
    // located at the offending key ("type", line 7, column 7), not at the rule's "{" (line 5)
    assert.deepEqual(a.errors, [{ file: f, line: 7, message: 'rule 2 ("Phish", line 7, column 7): "type" must be "substring" or "regex" (found "regexp"); the rule is disabled' }]);
    assert.deepEqual(
      a.tagging.coverage.rules.map((x) => [x.index, x.tag, x.matches, x.disabled]),
      [
        [0, 'Logon', 2, undefined],
        [1, 'Phish', 0, 'invalid rule: "type" must be "substring" or "regex" (found "regexp")'],
        [2, 'AV', 1, undefined],
      ],
    );
    const d = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC');
    const cov = d.tables.find((t) => t.id === 'coverage-rules')!;
    assert.deepEqual(cov.rows[1], [2, 'Phish', 0, 0, 'invalid rule: "type" must be "substring" or "regex" (found "regexp")']);
    assert.equal(d.notices?.[0].id, 'rules');
    assert.equal(d.notices?.[0].title, '1 tagging rule could not be used (disabled; see the tagging rules table)');
    assert.deepEqual(d.problems.count, 0);
  });
  test('a regex problem found while tagging points at the rule’s line too', async () => {
    const f = join(TMP, 'bad-regex.json');
    writeFileSync(f, '{"rules": [\n  {"tag": "A", "match": "a"},\n  {"tag": "B", "type": "regex", "match": "(unclosed"}\n]}\n');
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.equal(a.errors.length, 1);
    assert.equal(a.errors[0].line, 3);
    // named as every rule problem is (tag quoted, the line and column of its "match"); the error of the pattern
    // as meant (no u flag), not of the retry with it (tagging audit: "/(unclosed/iu")
    assert.equal(a.errors[0].message, 'rule 2 ("B", line 3, column 33): invalid regular expression "(unclosed": Invalid regular expression: /(unclosed/i: Unterminated group; it never matches');
  });
  test('problems are listed in rule order: a regex found invalid while tagging comes before later disabled rules', async () => {
    const f = join(TMP, 'order.json');
    writeFileSync(f, '{"rules": [\n  {"tag": "R", "type": "regex", "match": "([a-z"},\n  {"tag": "E", "match": ""}\n]}\n');
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.deepEqual(a.errors.map((e) => e.message.slice(0, 14)), ['rule 1 ("R", l', 'rule 2 ("E", l']);
  });
});

describe('#3 unassigned cases are not an analyst; ties are all named', () => {
  test('hand-computed case file: 3 analysts, alice and bob tie at 3, 2 unassigned', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    assert.ok(r.kpis.workloadPerAnalyst.available);
    const v = r.kpis.workloadPerAnalyst.value;
    assert.deepEqual(v.analysts.map((x) => [x.analyst, x.cases]), [['alice', 3], ['bob', 3], ['carol', 2]]);
    assert.deepEqual(v.unassigned && [v.unassigned.analyst, v.unassigned.cases, v.unassigned.open], ['(unassigned)', 2, 2]);
    assert.equal(kpiSummaryRows(r).find((x) => x.id === 'workloadPerAnalyst')?.value, '3 analysts; most cases: alice, bob (3 each); 2 unassigned cases');
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    const chart = d.charts.find((c) => c.id === 'analysts')!;
    assert.deepEqual(chart.labels, ['alice', 'bob', 'carol']);
    assert.equal(chart.note, '2 unassigned cases not shown (not an analyst; see the table)');
    assert.deepEqual(d.tables.find((t) => t.id === 'analysts')!.rows.map((row) => row[0]), ['alice', 'bob', 'carol', '(unassigned)']);
  });
  test('QRadar sample offenses: unassigned is never "most" (nor the automation account soc.automation)', async () => {
    const a = await runKpiAnalysis([join(ROOT, '../shared/data/qradar/samples/offenses.json')], { asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    assert.equal(kpiSummaryRows(r).find((x) => x.id === 'workloadPerAnalyst')?.value, '2 analysts; most cases: a.okafor, j.moreau (1 each); 1 case of automation accounts (soc.automation); 3 unassigned cases');
  });
  test('one top analyst, many ties, nobody assigned', () => {
    const row = (analyst: string, cases: number) => ({ analyst, cases, open: 0, closed: 0, falsePositives: 0 });
    assert.equal(analystSummary({ analysts: [row('ann', 4), row('ben', 1)] }), '2 analysts; most cases: ann (4)');
    assert.equal(analystSummary({ analysts: ['a', 'b', 'c', 'd', 'e'].map((n) => row(n, 2)) }), '5 analysts; most cases: a, b, c +2 more (2 each)');
    assert.equal(analystSummary({ analysts: [], unassigned: row('(unassigned)', 1) }), '0 analysts; 1 unassigned case');
  });
});

describe('#5 SLA: separate, labelled counts; a never-acknowledged case past its target is an acknowledge breach', () => {
  const DAY = 24 * H;
  test('an open Critical case never acknowledged for 267 days is an acknowledge breach (and open past the close target)', () => {
    const asOf = T0 + 267 * DAY;
    const cases = [
      kase({ severity: 'Critical', status: 'Open', created: T0 }, 0), // 267 d, never acknowledged
      kase({ severity: 'Critical', status: 'Open', created: asOf - 10 * MIN }, 1), // 10 min < 15 min: not checked yet
      kase({ severity: 'Critical', status: 'Closed', created: T0, closed: T0 + 10 * MIN }, 2), // closed within 15 min, no ack time: fine
      kase({ severity: 'Critical', status: 'Closed', created: T0, closed: T0 + 3 * H }, 3), // closed after 3 h, never acknowledged: ack breach
      kase({ severity: 'Critical', status: 'Closed', created: T0, acknowledged: T0 + 20 * MIN, closed: T0 + 5 * H }, 4), // ack 20 min; closed 5 h
    ];
    const k = computeKpis(cases, cases.map(() => 'A'), { zone: 'UTC', asOf });
    assert.ok(k.slaBreaches.available);
    const row = k.slaBreaches.value.rows[0];
    assert.deepEqual(
      [row.cases, row.ackChecked, row.ackBreaches, row.ackBreachesUnacknowledged, row.closeChecked, row.closeBreaches, row.openOverdue],
      [5, 4, 3, 2, 3, 1, 1],
    );
    assert.deepEqual(k.slaBreaches.value.totals, { ackBreaches: 3, ackBreachesUnacknowledged: 2, closeBreaches: 1, openOverdue: 1 });
  });
  test('hand-computed file: three labelled cards and summary, never one added-up number', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    assert.equal(kpiSummaryRows(r).find((x) => x.id === 'slaBreaches')?.value, '2 acknowledge breaches (1 never acknowledged) · 1 close breach · 1 open past the close target');
    const d = buildKpiDashboard(a, r, 'cases', 'UTC');
    assert.deepEqual(
      d.cards.filter((c) => c.id.startsWith('sla')).map((c) => [c.id, c.label, c.value]),
      [
        ['slaAckBreaches', 'SLA: acknowledge breaches', 2],
        ['slaCloseBreaches', 'SLA: close breach (closed late)', 1],
        ['slaOpenOverdue', 'SLA: open past close target', 1],
      ],
    );
  });
  test('QRadar offenses have no acknowledged time: acknowledge breaches are "not checked", not 0', async () => {
    const a = await runKpiAnalysis([join(ROOT, '../shared/data/qradar/samples/offenses.json')], { asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    assert.match(kpiSummaryRows(r).find((x) => x.id === 'slaBreaches')?.value ?? '', /^acknowledge breaches: not checked \(no acknowledged times\) · /);
    assert.equal(buildKpiDashboard(a, r, 'o', 'UTC').cards.find((c) => c.id === 'slaAckBreaches')?.value, 'n/a');
  });
});

describe('#4 the report states the as-of time of its numbers and its generation time; file names carry UTC', () => {
  test('recomputed as of a later time: backlog ages move; both times shown, in the zone and in UTC', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const later = AS_OF + 24 * H;
    const r0 = kpiReportOf(a, 'Asia/Riyadh');
    const r1 = kpiReportOf(a, 'Asia/Riyadh', later);
    assert.equal(r0.asOf, AS_OF);
    assert.equal(r1.asOf, later);
    assert.ok(r0.kpis.backlog.available && r1.kpis.backlog.available);
    assert.equal(r0.kpis.backlog.value.age?.max, 29 * H);
    assert.equal(r1.kpis.backlog.value.age?.max, 53 * H);
    const generatedAt = later + 5 * MIN;
    const html = renderKpiReportHtml(r1, { title: 't', inputs: [CASES], rules: a.rules, generatedAt });
    assert.match(html, /<td>KPIs as of<\/td><td id="asOf">2026-03-11 15:00:00 \(Asia\/Riyadh\) = 2026-03-11T12:00:00Z — the cases as they stood then: cases created later are left out, closes and acknowledgements made later do not count yet; backlog ages and SLA checks are measured at this time<\/td>/);
    assert.match(html, /<td>Generated<\/td><td id="generatedAt">2026-03-11 15:05:00 \(Asia\/Riyadh\) = 2026-03-11T12:05:00Z<\/td>/);
    assert.doesNotMatch(html, /Report time/);
    const md = renderKpiReportMarkdown(r1, { title: 't', inputs: [CASES], rules: a.rules, generatedAt });
    assert.match(md, /- KPIs as of: 2026-03-11 15:00:00 \(Asia\/Riyadh\) = 2026-03-11T12:00:00Z — /);
    assert.match(md, /- Generated: 2026-03-11 15:05:00 \(Asia\/Riyadh\) = 2026-03-11T12:05:00Z\n/);
  });
  test('report file names use the UTC time with a Z', () => {
    assert.equal(reportFileStamp(Date.parse('2026-03-10T23:30:05Z')), '20260310T233005Z');
  });
});

describe('#6 the false-positives-per-rule chart means the same on the dashboard and in the report (counts, labelled)', () => {
  test('same title, same values (FP counts), units in the labels', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const r = kpiReportOf(a, 'UTC');
    const dash = buildKpiDashboard(a, r, 'cases', 'UTC').charts.find((c) => c.id === 'fp-rule')!;
    assert.equal(dash.title, 'False positives per rule (cases closed as FP; top 15 by count)');
    // rules without a false positive are no bar (their 0% stays in the table)
    assert.deepEqual(dash.values, [1, 1, 1, 1]);
    assert.equal(buildKpiDashboard(a, r, 'cases', 'UTC').tables.find((t) => t.id === 'fp-rule')?.rows.length, 7);
    assert.match(dash.note ?? '', /^bars: number of cases; the FP rate/);
    const chart = reportCharts(r).find((c) => c.title === dash.title);
    assert.ok(chart, reportCharts(r).map((c) => c.title).join(' | '));
    assert.match(chart.svg, /font-weight="bold">False positives per rule \(cases closed as FP; top 15 by count\)<\/text>/);
    // the bar labels carry count, denominator and rate: "1 of 2 closed (50%)" for Port Scan
    assert.ok(chart.svg.includes('>Port Scan</text>'));
    assert.ok(chart.svg.includes('>1 of 2 closed (50%)</text>'), chart.svg);
    assert.ok(!chart.svg.includes('>50%</text>'));
  });
});

describe('#9 cosmetics: singular/plural, one duration unit per row, shift text matches its numbers', () => {
  test('Results tree: "1 tag", "1 problem", "1 false positive"', async () => {
    const f = join(TMP, 'one-tag.json');
    writeFileSync(f, '{"rules": [\n{"tag": "Logon", "match": "login"},\n{"tag": "Bad", "match": "x", "type": "glob"}\n]}\n');
    const a = await runKpiAnalysis([CASES], { rulesPath: f, asOf: AS_OF });
    assert.deepEqual(kpiTreeText(a), { description: '10 cases · 2 tags · 8 untagged', tooltip: `Cases from 1 file; rules: ${f}; 1 problem` });
    const one = join(TMP, 'one-case.csv');
    writeFileSync(one, 'Title,Created\nlogin failure,2026-03-02T08:00:00Z\n');
    assert.equal(kpiTreeText(await runKpiAnalysis([one], { rulesPath: f, asOf: AS_OF })).description, '1 case · 1 tag · 0 untagged');
    const q = { files: 1, offenses: 1, open: 0, hidden: 0, closed: 1, descriptions: 1, escalated: 0, falsePositive: 1, events: 1, errors: 1 } as Parameters<typeof qradarTreeText>[0];
    assert.deepEqual(qradarTreeText(q), {
      description: '1 offense · 0 escalated · 1 false positive',
      tooltip: '1 file, 1 offense (0 open, 0 hidden, 1 closed), 1 description, 0 escalated, 1 false positive, 1 exported event row, 1 problem',
    });
  });
  test('MTTA row of the report: "1 min" beside "1 h", not "60 s" beside "60 min" (one duration format)', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const md = renderKpiReportMarkdown(kpiReportOf(a, 'UTC'), { title: 't', inputs: [CASES] });
    assert.ok(md.includes('| MTTA (created → acknowledged) | 8 | 15 min | 46 min | 21 min 23 s | 1 min | 1 h |'), md);
    assert.ok(md.includes('| MTTR, R = resolve (created → closed) | 7 | 2 h | 5 h 24 min | 2 h 47 min | 30 min | 9 h |'), md);
    // one format for every duration (UI review: "60 min" in one place, "2 h" in another): 60 s is 1 min, 60 min is 1 h
    assert.deepEqual([42_000, 60_000, 3_600_000, 7_200_000].map((ms) => formatDuration(ms)), ['42 s', '1 min', '1 h', '2 h']);
  });
  test('workload per shift: the summary shows created and closed, as its definition says', async () => {
    const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const row = kpiSummaryRows(kpiReportOf(a, 'UTC')).find((x) => x.id === 'workloadPerShift')!;
    // (with the shifts' hours and zone since the shift zone setting)
    assert.equal(row.value, 'Day: 7 created, 3 closed · Evening: 1 created, 2 closed · Night: 2 created, 2 closed — Shifts (UTC): Day 07:00–15:00, Evening 15:00–23:00, Night 23:00–07:00');
    assert.match(row.definition, /^Per shift: cases created \(by their created time\) and cases closed \(by their closed time; a case not closed at the as-of time, such as a reopened one, is no close\)/);
  });
});

describe('#10 CLI kpi: which rules were used, the workspace rules file by default, coverage and notes', () => {
  const ws = join(TMP, 'ws');
  mkdirSync(join(ws, '.soc'), { recursive: true });
  const wsRules = join(ws, '.soc', 'tagging.json');
  writeFileSync(wsRules, JSON.stringify({ rules: [{ tag: 'Printer', match: 'printer' }, { tag: 'Never', match: 'zzz' }] }));
  async function inWs(argv: string[]) {
    const c = capture();
    const old = process.cwd();
    process.chdir(ws);
    try {
      const code = await main(argv, c.io);
      return { code, out: c.out(), err: c.err() };
    } finally {
      process.chdir(old);
    }
  }
  test('default: <cwd>/.soc/tagging.json is used, and the output says so; coverage section lists its rules', async () => {
    const r = await inWs(['kpi', CASES, '--as-of', '2026-03-10T12:00:00Z']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[1], `Tagging rules: ${wsRules} (the workspace's .soc/tagging.json in the current directory; --rules FILE or --seed-rules to use others)`);
    assert.ok(lines.includes('       2  Printer'), r.out);
    assert.ok(lines.includes('Tagging rules coverage'), r.out);
    assert.ok(lines.includes('  never match: #2 Never'), r.out);
    assert.ok(lines.includes('  untagged (Other): 8; largest groups:'), r.out);
  });
  test('--rules or --seed-rules: the unused workspace file is named; seed rules are noted', async () => {
    const r = await inWs(['kpi', CASES, '--rules', RULES, '--as-of', '2026-03-10T12:00:00Z']);
    assert.equal(r.out.split('\n')[1], `Tagging rules: ${RULES} (--rules); ${wsRules} exists but was not used`);
    const s = await inWs(['kpi', CASES, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z']);
    const lines = s.out.split('\n');
    assert.equal(lines[1], `Tagging rules: the built-in seed rules (--seed-rules); ${wsRules} exists but was not used`);
    assert.ok(lines.includes('Notes'), s.out);
    assert.ok(lines.includes('  - no tagging rules file: the seed blog rules were used (create .soc/tagging.json to change them)'), s.out);
    const j = await inWs(['kpi', CASES, '--json']);
    assert.deepEqual(JSON.parse(j.out).rules, { source: 'file', file: wsRules, origin: 'workspace' });
    assert.equal((await inWs(['kpi', CASES, '--rules', RULES, '--seed-rules'])).code, 2);
  });
});

describe('#11 the demo workspace puts the cases’ tagging rules where the analysis reads them', () => {
  test('.soc/tagging.json holds the fixture rules; no ignored tagging.json beside the cases', async () => {
    const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<{ buildDemoWorkspace: (o: object) => Record<string, string> }>;
    const { buildDemoWorkspace } = await importEsm(pathToFileURL(join(ROOT, 'scripts/demo-workspace.mjs')).href);
    const ws = join(TMP, 'demo-ws');
    const written = buildDemoWorkspace({ root: ROOT, shared: join(TMP, 'no-shared-data'), ws });
    assert.equal(written.cases, FIX);
    assert.equal(existsSync(join(ws, 'cases', 'kpi-small.csv')), true);
    assert.equal(existsSync(join(ws, 'cases', 'tagging.json')), false);
    // the fixtures' developer README (which test asserts what) is not in the demo; the demo's own guide names the commands
    assert.equal(existsSync(join(ws, 'cases', 'README.md')), false);
    assert.match(readFileSync(join(ws, 'README.md'), 'utf8'), /\| `cases\/` \| 10 fictitious SOC cases \(`kpi-small\.csv`\) \| SOC: Analyze Cases \(KPIs and Tags\)…/);
    const rules = JSON.parse(readFileSync(join(ws, '.soc', 'tagging.json'), 'utf8'));
    assert.equal(rules.$schema, undefined);
    assert.deepEqual(rules.rules, JSON.parse(readFileSync(RULES, 'utf8')).rules);
    // the extension's default rules path (socAnalytics.kpi.taggingRulesFile = .soc/tagging.json) now finds them
    const a = await runKpiAnalysis([join(ws, 'cases', 'kpi-small.csv')], { rulesPath: join(ws, '.soc', 'tagging.json'), asOf: AS_OF });
    assert.equal(a.rules.source, 'file');
    assert.deepEqual(a.tagging.coverage.neverMatched, [8]); // the fixture's Phishing regex rule: proof these are its rules
    // the demo computes the KPIs as of the time the fixture's numbers are documented for (a trial saw a 267-day backlog
    // "now" instead of the documented one): its settings carry that time, and it reads as the tests' AS_OF
    const settings = JSON.parse(readFileSync(join(ws, '.vscode', 'settings.json'), 'utf8'));
    assert.equal(parseAsOf(settings['socAnalytics.kpi.asOf'], 'UTC').ms, AS_OF);
    assert.deepEqual(settings['socAnalytics.beacons.internalSubnets'], ['64.225.56.201/32']);
  });
});

describe('CLI paths a user gets wrong (README: exit 2 on bad arguments or unreadable paths)', () => {
  test('kpi on a folder of Loki logs: every file skipped with its reason, exit 3 (no case read)', async () => {
    const c = capture();
    const code = await main(['kpi', join(ROOT, '../shared/data/loki'), '--seed-rules'], c.io);
    assert.equal(code, 3);
    assert.match(c.err(), /no case was read in the given paths \(4 files skipped: see the report\)/);
    assert.match(c.out(), /4 files skipped — not a case export \(\.log; CSV, TSV, JSON, JSONL and NDJSON are read\): scan_result \(1\)\.log, scan_result \(2\)\.log, scan_result \(3\)\.log; Loki scan results \(a --csv log file\), not cases: read by the Loki analysis \(SOC: Analyze Loki Results…; CLI: loki\): scan_result \(1\)\.csv/);
  });

  test('kpi --html / --md into a missing folder: exit 2 before the analysis, no raw ENOENT', async () => {
    for (const o of ['--html', '--md']) {
      const c = capture();
      const target = join(TMP, 'no-such-folder', 'r.out');
      const code = await main(['kpi', CASES, '--rules', RULES, o, target], c.io);
      assert.equal(code, 2, o);
      assert.ok(c.err().includes(`${o} ${target}: the folder ${join(TMP, 'no-such-folder')} does not exist`), c.err());
      assert.doesNotMatch(c.err(), /ENOENT/);
      assert.equal(c.out(), '');
    }
    const c = capture();
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--html', TMP], c.io), 2);
    assert.match(c.err(), /is a folder; give a file name/);
  });

  test('tz convert on a gzip file: exit 2, "not a text table", no control bytes printed', async () => {
    const { gzipSync } = await import('node:zlib');
    const gz = join(TMP, 'cases.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(CASES)));
    const c = capture();
    assert.equal(await main(['tz', 'convert', gz, '--to', 'UTC', '--out', join(TMP, 'z.csv')], c.io), 2);
    assert.match(c.err(), /cases\.csv\.gz is not a text table: it is a gzip-compressed file; decompress it first/);
    assert.ok(c.err().includes(`; decompress it first, e.g. \`gunzip -k ${gz}\` (keeps the compressed file), then convert ${gz.slice(0, -3)}`), c.err());
    assert.doesNotMatch(c.err(), /[\u0000-\u0008\u000e-\u001f\ufffd]/);
  });

  test('tz convert: a folder as input, or --out into a missing folder: exit 2 with the reason', async () => {
    const c = capture();
    assert.equal(await main(['tz', 'convert', FIX, '--to', 'UTC', '--out', join(TMP, 'x.csv')], c.io), 2);
    assert.match(c.err(), /is a folder: give the file itself/);
    const d = capture();
    const out = join(TMP, 'missing', 'x.csv');
    assert.equal(await main(['tz', 'convert', CASES, '--to', 'UTC', '--out', out], d.io), 2);
    assert.ok(d.err().includes(`--out ${out}: the folder ${join(TMP, 'missing')} does not exist`), d.err());
    assert.equal(existsSync(out), false);
  });
});

describe('UI trial: a KPI the data cannot give is shown neutral, not in the alarm colour', () => {
  test('QRadar offenses as cases: the acknowledge-breach card is n/a and neutral', async () => {
    const offenses = resolve(ROOT, '../shared/data/qradar/samples/offenses.json');
    const a = await runKpiAnalysis([offenses], { asOf: AS_OF });
    const cards = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'offenses', 'UTC').cards;
    const na = cards.filter((c) => c.value === 'n/a');
    assert.ok(na.some((c) => c.id === 'slaAckBreaches'), JSON.stringify(cards.map((c) => [c.id, c.value])));
    for (const c of na) assert.equal(c.tone, 'info', `${c.id} is n/a but ${c.tone}`);
    // a card with a value keeps its tone
    assert.equal(cards.find((c) => c.id === 'slaCloseBreaches')?.value !== 'n/a' ? cards.find((c) => c.id === 'slaCloseBreaches')?.tone : 'alert', 'alert');
  });
});

describe('socAnalytics.kpi.asOf values (hostile review)', () => {
  test('ISO times read in the display zone; skipped local times, non-times and absurd years are refused with a reason', async () => {
    const { parseAsOf } = await import('../../src/core/analyze/kpi-run');
    assert.deepEqual(parseAsOf('2026-03-10T12:00:00Z', 'Europe/Berlin'), { ms: Date.parse('2026-03-10T12:00:00Z') });
    assert.deepEqual(parseAsOf(' 2026-03-31T23:59:59 ', 'Europe/Berlin'), { ms: Date.parse('2026-03-31T21:59:59Z') });
    assert.deepEqual(parseAsOf('2026-03-29T02:30:00', 'Europe/Berlin'), { why: 'is not a time in Europe/Berlin (skipped by a clock change)' });
    assert.deepEqual(parseAsOf('yesterday', 'UTC'), { why: 'is not an ISO 8601 time (e.g. 2026-03-31T23:59:59)' });
    assert.deepEqual(parseAsOf('0000-01-01T00:00:00Z', 'UTC'), { why: 'is outside 1990–2100' });
    assert.deepEqual(parseAsOf('9999-12-31T23:59:59Z', 'UTC'), { why: 'is outside 1990–2100' });
  });
});

describe('UI trial: QRadar rules shown by id are explained in the FP chart', () => {
  test('the sample offenses have no rule names: the note says so; named rules add nothing', async () => {
    const offenses = resolve(ROOT, '../shared/data/qradar/samples/offenses.json');
    const a = await runKpiAnalysis([offenses], { asOf: AS_OF });
    const fp = buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'offenses', 'UTC').charts.find((c) => c.id === 'fp-rule');
    assert.ok(fp && fp.labels.every((l) => /^\d+$/.test(l)), JSON.stringify(fp?.labels));
    assert.match(fp.note ?? '', /rules shown by id: the data has no rule names \(QRadar: put the GET \/analytics\/rules export beside the offenses as analytics_rules\.json\)$/);
    const b = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
    const named = buildKpiDashboard(b, kpiReportOf(b, 'UTC'), 'cases', 'UTC').charts.find((c) => c.id === 'fp-rule')!;
    assert.doesNotMatch(named.note ?? '', /shown by id/);
  });
});
