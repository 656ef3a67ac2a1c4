/**
 * New-user trial (a senior SOC analyst) on the cases / KPI area and the merged timeline:
 * - the Markdown KPI report showed our own labels as HTML entities (`| &lt; 1 day |`, `&gt; target`) when pasted into
 *   a ticket system: they are written without `<` / `>` now (`under 1 day`, `30 days or more`, `longer than the
 *   target`, `under 1 s`), the HTML report alike; attacker text (a case title) is still escaped;
 * - a bad date gave luxon's wording (`you specified 13 (of type number) as a month, which is invalid`): now
 *   `month 13, day 45 and hour 99 are out of range`, at its file:line;
 * - `kpi` printed only the first problem (`3 problems; first: broken.csv:2 …`): now all, up to 20, as `qradar`;
 * - the merged timeline left out a case without a valid created time quietly (13 of 14): a notice says so.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { formatDuration } from '../../src/core/analyze/kpi';
import { fieldsOutOfRange, parseTimestamp } from '../../src/core/tz-normalize';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildTimelineDashboard, timelineEvents, timelineLeftOutLines, timelineOf } from '../../src/core/tz-timeline';
import { KPI_PROBLEMS_SHOWN, kpiProblemsText } from '../../src/cli/tz-kpi';

const TMP = mkdtempSync(join(tmpdir(), 'kpi-trial-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const HEADER = 'Case ID,Title,Created,Acknowledged,Closed,Owner,Severity,Status,Disposition,Rule\n';

describe('KPI reports: our own labels without < or >, attacker text still escaped', () => {
  it('Markdown and HTML: backlog buckets `under 1 day` / `30 days or more`, SLA definition `longer than the target`, MTTA `under 1 s`; a title <b>…</b> escaped', async () => {
    const cases = join(TMP, 'labels.csv');
    writeFileSync(
      cases,
      HEADER +
        'T-1,<b>alert</b> on host,2026-03-02T08:00:00Z,2026-03-02T08:00:00.400Z,2026-03-02T09:00:00Z,alice,High,Closed,False Positive,R\n' +
        'T-2,Old open case,2026-03-02T08:00:00Z,,,bob,High,Open,,R\n' +
        'T-3,Recent open case,2026-04-14T20:00:00Z,,,bob,High,Open,,R\n',
    );
    const md = join(TMP, 'r.md');
    const html = join(TMP, 'r.html');
    const c = capture();
    assert.equal(await main(['kpi', cases, '--seed-rules', '--tz', 'UTC', '--as-of', '2026-04-15T00:00:00Z', '--md', md, '--html', html], c.io), 0, c.err());
    const m = readFileSync(md, 'utf8');
    const h = readFileSync(html, 'utf8');
    assert.match(m, /^\| under 1 day \| 1 \|$/m);
    assert.match(m, /^\| 30 days or more \| 1 \|$/m);
    assert.match(m, /acknowledge breaches \(acknowledged − created longer than the target;/);
    assert.match(m, /buckets under 1 day, 1–7 days, 7–30 days, 30 days or more\./);
    assert.match(m, /median under 1 s/);
    assert.match(h, /<td>under 1 day<\/td><td class="num">1<\/td>/);
    assert.match(h, /<td>30 days or more<\/td><td class="num">1<\/td>/);
    assert.match(h, /close breaches \(closed cases: closed − created longer than the target\)/);
    // the only entities left come from the input (the case title), never from our labels
    assert.match(m + h, /&lt;b&gt;alert&lt;\/b&gt; on host/);
    const entities = (s: string) => (s.replace(/&lt;b&gt;alert&lt;\/b&gt;/g, '').match(/&lt;|&gt;/g) ?? []).length;
    assert.equal(entities(m), 0, 'no &lt; / &gt; in the Markdown besides the title');
    assert.equal(entities(h), 0, 'no &lt; / &gt; in the HTML besides the title');
    assert.equal(formatDuration(400), 'under 1 s');
  });
});

describe('a bad date in a cases file: an analyst’s message at file:line, not luxon’s wording', () => {
  it('2026-13-45 99:00:00 → month 13, day 45 and hour 99 are out of range; 2025-02-29 → day 29 (February 2025 has 28 days)', async () => {
    assert.equal(fieldsOutOfRange(2026, 13, 45, 99), 'month 13, day 45 and hour 99 are out of range');
    assert.equal(fieldsOutOfRange(2026, 13, 1), 'month 13 is out of range');
    assert.equal(fieldsOutOfRange(2025, 2, 29), 'day 29 is out of range (February 2025 has 28 days)');
    assert.equal(fieldsOutOfRange(2024, 4, 10, 12, 61), 'minute 61 is out of range');
    assert.equal(parseTimestamp('2024-02-30', 'iso').note, '"2024-02-30" has the shape of ISO 8601 (with or without offset), but day 30 is out of range (February 2024 has 29 days)');
    // a custom format: luxon's own explanation put in the same words
    assert.match(parseTimestamp('13/01/2024', 'custom:MM/dd/yyyy').note ?? '', /month 13 is out of range/);
    const f = join(TMP, 'bad-month.csv');
    writeFileSync(f, HEADER + 'X-1,ok,2026-03-02T08:00:00Z,,2026-03-02T09:00:00Z,alice,High,Closed,False Positive,R\nX-2,Bad month,2026-13-45 99:00:00,,,alice,High,Open,,R\n');
    const a = await runKpiAnalysis([f], { asOf: Date.parse('2026-04-01T00:00:00Z') });
    const e = a.errors.find((x) => x.line === 3);
    assert.ok(e, JSON.stringify(a.errors));
    assert.equal(e.message, 'created (Created): unparsed: "2026-13-45 99:00:00" has the shape of ISO 8601 (with or without offset), but month 13, day 45 and hour 99 are out of range');
    assert.doesNotMatch(JSON.stringify(a.errors), /you specified|of type number|which is invalid/);
  });
});

describe('kpi CLI: every problem listed (up to 20), as qradar lists its', () => {
  it('the trial file (unclosed quote, month 13, closed before created): 3 problems, each at its file:line', async () => {
    const f = join(TMP, 'broken.csv');
    writeFileSync(
      f,
      HEADER +
        'X-1,Closed early,2026-03-02T08:00:00Z,,2026-03-01T09:00:00Z,bob,High,Closed,False Positive,R\n' +
        'X-2,Bad month,2026-13-45 99:00:00,,,alice,High,Open,,R\n' +
        'X-3,ok,2026-03-02T08:00:00Z,,2026-03-02T09:00:00Z,bob,High,Closed,False Positive,R\n' +
        'X-4,"Unclosed quote,2026-03-02T08:00:00Z,,2026-03-02T09:00:00Z,alice,High,Closed,False Positive,R\n',
    );
    const c = capture();
    assert.equal(await main(['kpi', f, '--seed-rules', '--as-of', '2026-04-01T00:00:00Z'], c.io), 0, c.err());
    const out = c.out();
    const block = out.slice(out.lastIndexOf('\n3 problems:\n') + 1);
    const lines = block.trimEnd().split('\n');
    assert.equal(lines[0], '3 problems:', out);
    assert.equal(lines.length, 4, block);
    assert.ok(lines.slice(1).every((l) => /^ {2}broken\.csv:\d+: \S/.test(l)), block);
    assert.match(block, /^ {2}broken\.csv:2: .*closed .*before created/m);
    assert.match(block, /^ {2}broken\.csv:3: created \(Created\): unparsed: "2026-13-45 99:00:00" has the shape of ISO 8601 \(with or without offset\), but month 13, day 45 and hour 99 are out of range$/m);
    assert.match(block, /^ {2}broken\.csv:5: .*quote/im);
    assert.doesNotMatch(out, /problems; first:/);
  });

  it('more than 20: the first 20, then `… and N more (--json lists them all)`', () => {
    const errs = Array.from({ length: 23 }, (_, i) => ({ file: '/x/cases.csv', line: i + 2, message: `bad ${i}\nnext` }));
    const t = kpiProblemsText(errs).split('\n');
    assert.equal(KPI_PROBLEMS_SHOWN, 20);
    assert.equal(t[0], '23 problems:');
    assert.equal(t[1], '  cases.csv:2: bad 0\\u000anext');
    assert.equal(t[20], '  cases.csv:21: bad 19\\u000anext');
    assert.equal(t[21], '  … and 3 more (--json lists them all)');
    assert.equal(t.length, 23); // and the final line break
    assert.equal(kpiProblemsText([{ file: 'a.csv', line: 0, message: 'not a case export' }]), '1 problem:\n  a.csv: not a case export\n');
    assert.equal(kpiProblemsText([]), '');
  });
});

describe('merged timeline: what has no valid time is said, not left out quietly', () => {
  it('a case without a valid created time: 1 of 3 cases not on the timeline, named, in a notice', async () => {
    const f = join(TMP, 'timeline.csv');
    writeFileSync(
      f,
      HEADER +
        'X-1,one,2026-03-02T08:00:00Z,,2026-03-02T09:00:00Z,bob,High,Closed,False Positive,R\n' +
        'X-2,Bad month,2026-13-45 99:00:00,,,alice,High,Open,,R\n' +
        'X-3,three,2026-03-03T08:00:00Z,,,bob,High,Open,,R\n',
    );
    const a = await runKpiAnalysis([f], { asOf: Date.parse('2026-04-01T00:00:00Z') });
    assert.equal(a.input.cases.length, 3);
    const t = timelineOf('kpi', 'cases', a);
    assert.deepEqual(t.events.map((e) => e.event), ['X-1 · one', 'X-3 · three']);
    assert.deepEqual(t.events, timelineEvents('kpi', 'cases', a));
    assert.deepEqual(t.leftOut, { analysis: 'cases', source: 'Cases', count: 1, why: 'without a valid created time', names: ['X-2'] });
    const m = buildTimelineDashboard(t.events, 1, 'UTC', [t.leftOut!]);
    assert.deepEqual(m.notices, [{ id: 'left-out', severity: 'info', title: 'Not on the timeline: 1 item without a valid time', lines: ['1 case without a valid created time is not on the timeline (cases): X-2'] }]);
    // every case dated: no notice
    assert.equal(timelineOf('kpi', 'cases', { input: { cases: [{ id: 'A', created: 1 }] } }).leftOut, undefined);
    assert.equal(buildTimelineDashboard(t.events, 1, 'UTC').notices, undefined);
  });

  it('undated offenses and many cases: counted per analysis, the names cut after 5', () => {
    const q = timelineOf('qradar', 'offenses.json', { offenses: [{ id: 7, startTime: null }, { id: 9 }, { id: 12, startTime: Date.parse('2026-04-01T10:00:00Z') }] });
    assert.equal(q.events.length, 1);
    const cases = Array.from({ length: 8 }, (_, i) => ({ id: `C-${i}`, created: undefined }));
    const k = timelineOf('kpi', 'big', { input: { cases } });
    assert.deepEqual(timelineLeftOutLines([q.leftOut!, k.leftOut!]), [
      '2 offenses without a valid start time are not on the timeline (offenses.json): 7, 9',
      '8 cases without a valid created time are not on the timeline (big): C-0, C-1, C-2, C-3, C-4, … and 3 more',
    ]);
    assert.equal(buildTimelineDashboard(q.events, 2, 'UTC', [q.leftOut!, k.leftOut!]).notices?.[0].title, 'Not on the timeline: 10 items without a valid time');
  });
});
