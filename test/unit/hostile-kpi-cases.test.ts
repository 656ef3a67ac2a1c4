/**
 * Hostile review of the cases → KPI path: a reopened case's stale closed time and case ids that
 * repeat (overlapping exports, one row per update) must not skew the KPIs.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKpiReport, computeKpis } from '../../src/core/analyze/kpi';
import { kpiSummaryRows } from '../../src/core/export/report';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import type { CaseRecord } from '../../src/core/parse/cases';
import { runTzKpiCommand } from '../../src/cli/tz-kpi';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-kpi-cases-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-02T08:00:00Z');
const H = 3_600_000;
function kase(p: Partial<CaseRecord>, i = 0): CaseRecord {
  return { title: `case ${i + 1}`, rules: [], file: 'c.csv', line: i + 2, raw: {}, ...p };
}

describe('MTTR counts closed cases only', () => {
  test('a reopened case keeps its old closed time in the export: it is backlog, not a resolution (MTTR counted it)', () => {
    const cases = [
      kase({ status: 'Reopened', created: T0, closed: T0 + 1 * H }, 0),
      kase({ status: 'Closed', created: T0, closed: T0 + 4 * H }, 1),
    ];
    const k = computeKpis(cases, ['A', 'A'], { zone: 'UTC', asOf: T0 + 10 * H });
    assert.ok(k.mttr.available && k.backlog.available);
    assert.equal(k.backlog.value.open, 1);
    assert.equal(k.mttr.value.n, 1);
    assert.equal(k.mttr.value.median, 4 * H);
    assert.ok(k.mttr.notes?.some((n) => /1 case .*not closed/.test(n)), JSON.stringify(k.mttr.notes));
  });
  test('without a status column a closed time still means closed', () => {
    const k = computeKpis([kase({ created: T0, closed: T0 + 2 * H })], ['A'], { zone: 'UTC', asOf: T0 + 10 * H, missing: ['status'] });
    assert.ok(k.mttr.available);
    assert.equal(k.mttr.value.n, 1);
  });
});

describe('case ids that repeat are one case', () => {
  const header = 'Case ID,Title,Created,Acknowledged,Closed,Owner,Severity,Status,Disposition\n';
  test('two overlapping exports: each case counted once, the later row kept, noted with the count', async () => {
    const monday = join(TMP, 'cases-monday.csv');
    const friday = join(TMP, 'cases-friday.csv');
    writeFileSync(monday, header + 'C-1,Login failure,2026-03-02T08:00:00Z,2026-03-02T08:10:00Z,,alice,High,Open,\nC-2,Port scan,2026-03-02T09:00:00Z,2026-03-02T09:05:00Z,2026-03-02T10:00:00Z,bob,Low,Closed,False Positive\n');
    writeFileSync(friday, header + 'C-1,Login failure,2026-03-02T08:00:00Z,2026-03-02T08:10:00Z,2026-03-05T08:00:00Z,alice,High,Closed,Escalated\nC-2,Port scan,2026-03-02T09:00:00Z,2026-03-02T09:05:00Z,2026-03-02T10:00:00Z,bob,Low,Closed,False Positive\nC-3,Malware,2026-03-04T09:00:00Z,,,,Medium,Open,\n');
    const a = await runKpiAnalysis([monday, friday], { asOf: Date.parse('2026-03-06T00:00:00Z') });
    assert.deepEqual(a.input.cases.map((c) => [c.id, c.file === friday, c.status]), [
      ['C-1', true, 'Closed'],
      ['C-2', true, 'Closed'],
      ['C-3', true, 'Open'],
    ]);
    assert.ok(a.input.notes.some((n) => /2 rows repeat a case id/.test(n) && /cases-monday\.csv:2/.test(n)), JSON.stringify(a.input.notes));
    const k = kpiReportOf(a, 'UTC').kpis;
    assert.ok(k.backlog.available && k.mttr.available && k.escalationRate.available);
    assert.equal(k.backlog.value.open, 1);
    assert.equal(k.mttr.value.n, 2);
    assert.equal(k.escalationRate.value.escalated, 1);
    assert.equal(k.escalationRate.value.closed, 2);
    assert.equal(a.tagging.tags.length, 3);
  });
  test('rows without an id are never merged', async () => {
    const f = join(TMP, 'noid.csv');
    writeFileSync(f, header + ',Login failure,2026-03-02T08:00:00Z,,,alice,High,Open,\n,Login failure,2026-03-02T08:00:00Z,,,alice,High,Open,\n');
    const a = await runKpiAnalysis([f], { asOf: Date.parse('2026-03-06T00:00:00Z') });
    assert.equal(a.input.cases.length, 2);
  });
});

describe('cases left out of MTTA / MTTR are said where the numbers are shown', () => {
  test('acknowledged before created, and a reopened case: the KPI lines (CLI, dashboard, report) say so (only --json did)', () => {
    const cases = [
      kase({ status: 'Closed', created: T0, acknowledged: T0 - H, closed: T0 + 2 * H }, 0),
      kase({ status: 'Closed', created: T0, acknowledged: T0 + H, closed: T0 + 3 * H }, 1),
      kase({ status: 'Reopened', created: T0, acknowledged: T0 + H, closed: T0 + 1 * H }, 2),
    ];
    const rows = kpiSummaryRows(buildKpiReport(cases, ['A', 'A', 'A'], { zone: 'UTC', asOf: T0 + 10 * H }));
    const mtta = rows.find((r) => r.id === 'mtta')!;
    const mttr = rows.find((r) => r.id === 'mttr')!;
    assert.match(mtta.value, /\(n = 2\).*1 case with acknowledged before created excluded/);
    assert.match(mttr.value, /\(n = 2\).*1 case with a closed time but not closed .*excluded/);
  });
});

describe('an as-of time before some cases were created', () => {
  test('a case created after it did not exist then: not in the backlog (it was counted at age 0), said in a note', () => {
    const cases = [kase({ status: 'Open', created: T0 + 5 * H }, 0), kase({ status: 'Open', created: T0 - 5 * H }, 1)];
    const r = buildKpiReport(cases, ['A', 'A'], { zone: 'UTC', asOf: T0 });
    assert.ok(r.kpis.backlog.available);
    assert.equal(r.kpis.backlog.value.open, 1);
    assert.equal(r.kpis.backlog.value.age?.max, 5 * H);
    assert.equal(r.cases, 1);
    const row = kpiSummaryRows(r).find((x) => x.id === 'backlog')!;
    assert.match(row.value, /^1 open; age median 5 h .*\(n = 1\)$/);
    assert.ok(r.notes.includes('KPIs at the as-of time: 1 case of the input created after it is left out'), JSON.stringify(r.notes));
  });
});

describe('a windows-1252 case export', () => {
  test('keeps its letters (they became U+FFFD, silently), reported at the line', async () => {
    const f = join(TMP, 'cases-cp1252.csv');
    writeFileSync(f, Buffer.from('Case ID,Title,Created,Owner,Status\r\nC-1,Anmeldung f\xfcr M\xfcller,2026-03-02T08:00:00Z,j\xfcrgen,Open\r\n', 'latin1'));
    const a = await runKpiAnalysis([f], { asOf: Date.parse('2026-03-06T00:00:00Z') });
    assert.deepEqual(a.input.cases.map((c) => [c.title, c.analyst]), [['Anmeldung für Müller', 'jürgen']]);
    assert.ok(a.errors.some((e) => e.file === f && e.line === 2 && /windows-1252/.test(e.message)), JSON.stringify(a.errors));
  });
});

describe('a source zone that is not a time zone (a typo in socAnalytics.kpi.sourceTimeZone)', () => {
  test('naive times are read in UTC and the analysis says so (it fell back to UTC silently)', async () => {
    const f = join(TMP, 'naive.csv');
    writeFileSync(f, 'Case ID,Title,Created,Status\r\nC-1,Login,2026-03-02 08:00:00,Open\r\n');
    const a = await runKpiAnalysis([f], { sourceZone: 'Europe/Berln', asOf: Date.parse('2026-03-06T00:00:00Z') });
    assert.equal(a.input.cases[0].created, Date.parse('2026-03-02T08:00:00Z'));
    assert.ok(a.input.notes.some((n) => /"Europe\/Berln" is not a time zone.*UTC/.test(n)), JSON.stringify(a.input.notes));
    // with the zone it probably means
    assert.ok(a.input.notes.includes('the source time zone "Europe/Berln" is not a time zone (setting socAnalytics.kpi.sourceTimeZone): times without an offset were read in UTC — did you mean Europe/Berlin?'), JSON.stringify(a.input.notes));
    const ok = await runKpiAnalysis([f], { sourceZone: 'europe/berlin', asOf: Date.parse('2026-03-06T00:00:00Z') });
    assert.equal(ok.input.cases[0].created, Date.parse('2026-03-02T07:00:00Z'));
    assert.ok(!ok.input.notes.some((n) => /not a time zone/.test(n)));
  });
});

describe('a shift calendar with times that are not HH:mm (socAnalytics.kpi.shifts is free JSON)', () => {
  test('a number threw (the KPIs failed); 07:75 was 08:15 and 99:00 was 03:00, silently: such a shift is left out and said', () => {
    const cases = [kase({ status: 'Closed', created: Date.parse('2026-03-02T08:00:00Z'), closed: Date.parse('2026-03-02T16:00:00Z') }, 0)];
    const shifts = [
      { name: 'Day', start: '07:00', end: '15:00' },
      { name: 'Broken', start: 7 as unknown as string, end: '07:75' },
      { name: 'Late', start: '99:00', end: '23:00' },
    ];
    const r = buildKpiReport(cases, ['A'], { zone: 'UTC', asOf: T0 + 100 * H, shifts });
    assert.ok(r.kpis.workloadPerShift.available);
    assert.deepEqual(r.kpis.workloadPerShift.value.map((s) => [s.shift, s.created, s.closed]), [
      ['Day', 1, 0],
      ['Broken', 0, 0],
      ['Late', 0, 0],
      ['Unassigned', 0, 1],
    ]);
    const row = kpiSummaryRows(r).find((x) => x.id === 'workloadPerShift')!;
    assert.match(row.value, /shift "Broken": 7, "07:75".*shift "Late": "99:00".*not a time of day/);
  });
});

describe('an SLA target that is not a number of minutes (socAnalytics.kpi.sla is free JSON)', () => {
  test('"abc", a negative or a NaN target made every comparison false (0 breaches, silently): it is left out and said', () => {
    const cases = [kase({ severity: 'High', status: 'Closed', created: T0, acknowledged: T0 + 5 * H, closed: T0 + 50 * H }, 0)];
    const sla = {
      high: { acknowledgeMinutes: 'abc' as unknown as number, closeMinutes: 60 },
      medium: { acknowledgeMinutes: -5, closeMinutes: Number.NaN },
      low: 30 as unknown as { acknowledgeMinutes: number },
    };
    const r = buildKpiReport(cases, ['A'], { zone: 'UTC', asOf: T0 + 100 * H, sla });
    assert.ok(r.kpis.slaBreaches.available);
    const row0 = r.kpis.slaBreaches.value.rows[0];
    assert.equal(row0.target.acknowledgeMinutes, undefined);
    assert.equal(row0.ackChecked, 0);
    assert.equal(row0.closeBreaches, 1);
    const row = kpiSummaryRows(r).find((x) => x.id === 'slaBreaches')!;
    assert.match(row.value, /"high" acknowledgeMinutes: "abc".*"medium" acknowledgeMinutes: -5.*"medium" closeMinutes: NaN.*"low": 30.*left out/);
    const ok = buildKpiReport(cases, ['A'], { zone: 'UTC', asOf: T0 + 100 * H });
    assert.ok(ok.kpis.slaBreaches.available && !ok.kpis.slaBreaches.notes?.length);
    assert.doesNotMatch(kpiSummaryRows(ok).find((x) => x.id === 'slaBreaches')!.value, /left out/);
  });
});

describe('tagging on field names that are Object.prototype members (constructor, __proto__)', () => {
  test('field "constructor" matched "function Object()…" of every case; a "__proto__" column is kept and matched like any other', async () => {
    const rules = join(TMP, 'proto-rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { tag: 'Ctor', match: 'function', field: 'constructor' },
          { tag: 'ToStr', match: 'native', field: 'toString' },
          { tag: 'Proto', match: 'evil', field: '__proto__' },
        ],
      }),
    );
    for (const [name, body] of [
      ['proto.csv', 'Case ID,Title,Created,Status,__proto__\r\nC-1,Login,2026-03-02T08:00:00Z,Open,evil\r\nC-2,Scan,2026-03-02T09:00:00Z,Open,fine\r\n'],
      ['proto.json', JSON.parse('[{"Case ID":"C-1","Title":"Login","Created":"2026-03-02T08:00:00Z","Status":"Open","__proto__":"evil"},{"Case ID":"C-2","Title":"Scan","Created":"2026-03-02T09:00:00Z","Status":"Open","__proto__":"fine"}]')],
    ] as const) {
      const f = join(TMP, name);
      writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
      const a = await runKpiAnalysis([f], { rulesPath: rules, asOf: Date.parse('2026-03-06T00:00:00Z') });
      assert.equal(a.input.cases.length, 2, name);
      assert.equal(a.input.cases[0].raw['__proto__'], 'evil', name);
      assert.ok(Object.hasOwn(a.input.cases[1].raw, '__proto__'), name);
      assert.deepEqual(a.tagging.tags, ['Proto', 'Other'], name);
    }
  });
});

describe('a case export with a header and no rows', () => {
  test('said as "no cases (the file has a header only)", not "the input has no created column"; exit 3 as loki, qradar and beacons finding nothing', async () => {
    const f = join(TMP, 'header-only.csv');
    writeFileSync(f, 'Case ID,Title,Created,Status\r\n');
    const a = await runKpiAnalysis([f], { asOf: T0 });
    assert.equal(a.input.cases.length, 0);
    assert.ok(a.errors.some((e) => e.file === f && e.line === 0 && e.message === 'no cases (the file has a header only)'), JSON.stringify(a.errors));
    assert.ok(!a.input.missing.includes('created'), JSON.stringify(a.input.missing));
    assert.ok(!a.input.notes.some((n) => /no timestamp format/.test(n)), JSON.stringify(a.input.notes));
    let out = '';
    let err = '';
    const code = await runTzKpiCommand('kpi', [f, '--seed-rules'], { stdout: (x) => (out += x), stderr: (x) => (err += x) });
    assert.equal(code, 3);
    assert.equal(err, 'soc-analytics: no case was read in the given paths; exit 3\n');
    assert.doesNotMatch(out, /no "created" column/);
    assert.match(out, /^No cases: header-only.csv: no cases \(the file has a header only\)$/m);
  });
});
