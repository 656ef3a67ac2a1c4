import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, type CliIO } from '../../src/cli/cli';
import { durationStats, percentile, shiftOf, slaFor, DEFAULT_SLA, type KpiSet } from '../../src/core/analyze/kpi';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { escapeMarkdownCell, kpiSummaryRows, renderKpiReportHtml, renderKpiReportMarkdown } from '../../src/core/export/report';
import { parseMappingSpec, suggestMapping, tableToCases } from '../../src/core/parse/cases';
import { parseCsvText } from '../../src/core/parse/cases-input';
import { val } from './kpi-val';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/cases');
const CASES = join(FIX, 'kpi-small.csv');
const RULES = join(FIX, 'tagging.json');
const QR = resolve(__dirname, '../../../../shared/data/qradar');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;


describe('KPI helpers', () => {
  test('percentiles (linear interpolation, type 7) and stats', () => {
    assert.equal(percentile([1, 5, 5, 10, 20, 30, 40, 60], 0.9), 46);
    assert.equal(percentile([1, 5, 5, 10, 20, 30, 40, 60], 0.5), 15);
    assert.equal(percentile([7], 0.9), 7);
    assert.deepEqual(durationStats([3, 1, 2]), { n: 3, mean: 2, median: 2, p90: 2.8, min: 1, max: 3 });
    assert.equal(durationStats([]), undefined);
  });
  test('shifts wrap midnight; SLA by name or numeric range', () => {
    const sh = [
      { name: 'Day', start: '07:00', end: '15:00' },
      { name: 'Night', start: '23:00', end: '07:00' },
    ];
    assert.equal(shiftOf(Date.parse('2026-03-02T06:59:00Z'), 'UTC', sh), 'Night');
    assert.equal(shiftOf(Date.parse('2026-03-02T07:00:00Z'), 'UTC', sh), 'Day');
    assert.equal(shiftOf(Date.parse('2026-03-02T16:00:00Z'), 'UTC', sh), 'Unassigned');
    assert.equal(shiftOf(Date.parse('2026-03-02T05:00:00Z'), 'Asia/Riyadh', sh), 'Day'); // 08:00 in Riyadh
    assert.deepEqual(slaFor('HIGH', DEFAULT_SLA), { acknowledgeMinutes: 30, closeMinutes: 480 });
    assert.deepEqual(slaFor('9', DEFAULT_SLA), { acknowledgeMinutes: 15, closeMinutes: 240 });
    assert.equal(slaFor('unknown', DEFAULT_SLA), undefined);
    // ServiceNow priorities and the usual synonyms
    assert.deepEqual(slaFor('1 - Critical', DEFAULT_SLA), DEFAULT_SLA.critical);
    assert.deepEqual(slaFor('P2: High', DEFAULT_SLA), DEFAULT_SLA.high);
    assert.deepEqual(slaFor('3 - Moderate', DEFAULT_SLA), DEFAULT_SLA.medium);
    assert.deepEqual(slaFor('Crit', DEFAULT_SLA), DEFAULT_SLA.critical);
    assert.equal(slaFor('5 - Planning', DEFAULT_SLA), undefined);
    assert.equal(slaFor('constructor', DEFAULT_SLA), undefined);
  });

  test('SLA rows: a severity named like an Object member (constructor, toString) sorts as an unknown text, after the usual words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-proto-'));
    const csv = join(dir, 'c.csv');
    writeFileSync(csv, 'Id,Created,Closed,Severity,Status\nA,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,constructor,Closed\nB,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,High,Closed\nC,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,toString,Closed\nD,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Low,Closed\n');
    const sla = { ...DEFAULT_SLA, constructor: { closeMinutes: 30 }, toString: { closeMinutes: 30 } };
    const k = kpiReportOf(await runKpiAnalysis([csv], { mapping: parseMappingSpec('Id=id,Created=created,Closed=closed,Severity=severity,Status=status'), asOf: Date.parse('2026-03-05T00:00:00Z'), sla }), 'UTC').kpis;
    assert.deepEqual(val(k, 'slaBreaches').rows.map((r) => r.severity), ['High', 'Low', 'constructor', 'toString']);
  });

  test('SLA: a ServiceNow export is checked against its priorities; with no target for any case the KPI is unavailable, not "0 breaches"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-sla-'));
    const csv = join(dir, 'snow.csv');
    writeFileSync(
      csv,
      'Number,Short description,Opened,Resolved,Assigned to,Priority,State\n' +
        'INC001,Phishing email reported by user,2026-03-02 08:00:00,2026-03-02 10:00:00,Alice Smith,2 - High,Closed\n' +
        'INC002,Malware detected on WS-12,2026-03-02 09:00:00,2026-03-02 15:00:00,Bob Jones,1 - Critical,Closed\n' +
        'INC003,Brute force on VPN,2026-03-03 23:00:00,,Alice Smith,5 - Planning,In Progress\n',
    );
    const map = parseMappingSpec('Opened=created,Resolved=closed,Priority=severity,State=status');
    const asOf = Date.parse('2026-03-05T00:00:00Z');
    const k = kpiReportOf(await runKpiAnalysis([csv], { mapping: map, asOf }), 'UTC').kpis;
    const sla = val(k, 'slaBreaches');
    // INC002: 6 h against the critical 240 min; INC001: 2 h against high's 480 min; INC003 has no target
    assert.deepEqual([sla.totals.closeBreaches, sla.casesWithoutTarget], [1, 1]);
    assert.deepEqual(sla.rows.map((r) => [r.severity, r.closeChecked, r.closeBreaches]), [['1 - Critical', 1, 1], ['2 - High', 1, 0]]);
    assert.match(k.slaBreaches.available ? (k.slaBreaches.notes ?? []).join('\n') : '', /1 case not checked, no SLA target for the severity: “5 - Planning” ×1/);
    // a table none of whose keys matches: unavailable, with the values met
    const none = kpiReportOf(await runKpiAnalysis([csv], { mapping: map, asOf, sla: { p1: { closeMinutes: 60 } } }), 'UTC').kpis;
    assert.equal(none.slaBreaches.available, false);
    assert.match(none.slaBreaches.available ? '' : none.slaBreaches.reason, /^no case's severity has an SLA target: “2 - High” ×1, “1 - Critical” ×1, “5 - Planning” ×1 — the SLA table .* has p1$/);
    // the CLI reads the same table with --sla
    writeFileSync(join(dir, 'sla.json'), JSON.stringify({ critical: { closeMinutes: 600 } }));
    const out: string[] = [];
    const io: CliIO = { stdout: (x) => out.push(x), stderr: () => undefined };
    assert.equal(await main(['kpi', csv, '--map', 'Opened=created,Resolved=closed,Priority=severity,State=status', '--as-of', '2026-03-05T00:00:00Z', '--sla', join(dir, 'sla.json'), '--json'], io), 0);
    const j = JSON.parse(out.join('')).kpis.slaBreaches;
    assert.deepEqual([j.value.totals.closeBreaches, j.value.casesWithoutTarget], [0, 2]); // 6 h within 600 min
    writeFileSync(join(dir, 'bad.json'), '[1]');
    assert.equal(await main(['kpi', csv, '--sla', join(dir, 'bad.json')], io), 2);
  });
  test('ServiceNow and TheHive exports map themselves: Short description → title, Close code → disposition, endDate → closed (trial)', async () => {
    const { suggestMapping } = await import('../../src/core/parse/cases');
    assert.deepEqual(suggestMapping(['Number', 'Short description', 'Description', 'Opened', 'Resolved', 'Assigned to', 'Priority', 'State', 'Close code']), {
      id: 'Number', title: 'Short description', created: 'Opened', closed: 'Resolved', analyst: 'Assigned to', severity: 'Priority', status: 'State', disposition: 'Close code',
    });
    assert.deepEqual(suggestMapping(['title', 'createdAt', 'endDate', 'assignee', 'severity', 'status', 'resolutionStatus']), {
      title: 'title', created: 'createdAt', closed: 'endDate', analyst: 'assignee', severity: 'severity', status: 'status', disposition: 'resolutionStatus',
    });
    // the ServiceNow export of the SLA test, with its close code: the false-positive rate needs no --map
    const dir = mkdtempSync(join(tmpdir(), 'kpi-snow-'));
    const csv = join(dir, 'snow.csv');
    writeFileSync(
      csv,
      'Number,Short description,Opened,Resolved,Assigned to,Priority,State,Close code\n' +
        'INC001,Phishing email reported by user,2026-03-02 08:00:00,2026-03-02 10:00:00,Alice Smith,2 - High,Closed,False positive\n' +
        'INC002,Malware detected on WS-12,2026-03-02 09:00:00,2026-03-02 15:00:00,Bob Jones,1 - Critical,Closed,Solved (Permanently)\n',
    );
    const k = kpiReportOf(await runKpiAnalysis([csv], { asOf: Date.parse('2026-03-05T00:00:00Z') }), 'UTC').kpis;
    assert.deepEqual([val(k, 'falsePositiveRate').falsePositives, val(k, 'falsePositiveRate').closed], [1, 2]);
  });

  test('SLA rows: one row per SLA target whatever the spelling (High / high / 2 - High); a target left out is named, its cases not checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-sla-rows-'));
    const csv = join(dir, 'cases.csv');
    writeFileSync(
      csv,
      'Id,Title,Created,Closed,Severity\n' +
        'C1,a,2026-03-02T08:00:00Z,2026-03-02T10:00:00Z,High\n' +
        'C2,b,2026-03-02T08:00:00Z,2026-03-02T18:00:00Z,high \n' + // 10 h > high's 480 min
        'C3,c,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,2 - High\n' +
        'C4,d,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,High\n' +
        'C5,e,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Low\n' +
        'C6,f,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Critical\n' +
        'C7,g,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,critical\n',
    );
    const asOf = Date.parse('2026-03-05T00:00:00Z');
    const k = kpiReportOf(await runKpiAnalysis([csv], { asOf }), 'UTC').kpis;
    const sla = val(k, 'slaBreaches');
    assert.deepEqual(
      sla.rows.map((r) => [r.severity, r.cases, r.closeChecked, r.closeBreaches]),
      [['Critical', 2, 2, 0], ['High', 4, 4, 1], ['Low', 1, 1, 0]],
    );
    const notes = k.slaBreaches.available ? (k.slaBreaches.notes ?? []).join('\n') : '';
    assert.match(notes, /one row per SLA target, its severity spelt in several ways: “High” ×2, “high” ×1, “2 - High” ×1; “Critical” ×1, “critical” ×1/);
    // a table entry that is no target (`"high": 5`): left out and said; its cases are not checked, and said so
    const bad = kpiReportOf(await runKpiAnalysis([csv], { asOf, sla: { critical: { closeMinutes: 240 }, high: 5 } as never }), 'UTC').kpis;
    const b = val(bad, 'slaBreaches');
    assert.deepEqual(b.rows.map((r) => [r.severity, r.cases]), [['Critical', 2]]);
    assert.equal(b.casesWithoutTarget, 5);
    const bn = bad.slaBreaches.available ? (bad.slaBreaches.notes ?? []).join('\n') : '';
    assert.match(bn, /SLA "high": 5: not a number of minutes/);
    assert.match(bn, /4 cases not checked, the SLA target of the severity was left out: “High” ×2, “high” ×1, “2 - High” ×1/);
    assert.match(bn, /1 case not checked, no SLA target for the severity: “Low” ×1/);
  });
  test('dispositions: a negated value is neither a false positive nor an escalation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-neg-'));
    const csv = join(dir, 'cases.csv');
    writeFileSync(
      csv,
      'Id,Title,Created,Closed,Status,Disposition\n' +
        'C1,a,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Closed,False positive\n' +
        'C2,b,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Closed,Not a false positive\n' +
        'C3,c,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Closed,Escalated\n' +
        'C4,d,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Closed,Not escalated - benign\n',
    );
    const k = kpiReportOf(await runKpiAnalysis([csv], { mapping: parseMappingSpec('Id=id,Title=title,Created=created,Closed=closed,Status=status,Disposition=disposition'), asOf: Date.parse('2026-03-05T00:00:00Z') }), 'UTC').kpis;
    assert.equal(val(k, 'falsePositiveRate').rate, 1 / 4);
    assert.equal(val(k, 'escalationRate').rate, 1 / 4);
  });
  test('column mapping: suggestion from headers and --map text', () => {
    assert.deepEqual(suggestMapping(['Case ID', 'Title', 'Created', 'Acknowledged', 'Closed', 'Owner', 'Severity', 'Status', 'Disposition', 'Rule']), {
      id: 'Case ID',
      title: 'Title',
      created: 'Created',
      acknowledged: 'Acknowledged',
      closed: 'Closed',
      analyst: 'Owner',
      severity: 'Severity',
      status: 'Status',
      disposition: 'Disposition',
      rule: 'Rule',
    });
    assert.deepEqual(parseMappingSpec('Opened At=created, Who=analyst'), { created: 'Opened At', analyst: 'Who' });
    assert.throws(() => parseMappingSpec('x=nope'), /field must be one of/);
  });
});

describe('KPIs on the hand-computed case file (test/fixtures/cases/kpi-small.csv)', async () => {
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES, asOf: AS_OF });
  const r = kpiReportOf(a, 'UTC');
  const k = r.kpis;

  test('input, tags and period', () => {
    assert.equal(a.input.source, 'generic');
    assert.equal(a.input.cases.length, 10);
    assert.deepEqual(a.input.missing, []);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.input.zoneEvidence, { UTC: 25 }); // 10 created + 8 acknowledged + 7 closed, all with Z
    assert.deepEqual(r.tags, [
      { tag: 'Logon', count: 2 },
      { tag: 'Other', count: 2 },
      { tag: 'AV', count: 1 },
      { tag: 'MaliciousIP', count: 1 },
      { tag: 'OpenSSL', count: 1 },
      { tag: 'PortScan', count: 1 },
      { tag: 'SQLInjection', count: 1 },
      { tag: 'UserEvents', count: 1 },
    ]);
    assert.deepEqual(r.period, { from: Date.parse('2026-03-02T08:00:00Z'), to: Date.parse('2026-03-10T10:00:00Z') });
  });

  test('volume per tag per ISO week', () => {
    const v = val(k, 'volume');
    assert.deepEqual(v.weeks, ['2026-W10', '2026-W11']);
    assert.deepEqual(v.totalPerWeek, [5, 5]);
    assert.deepEqual(v.counts[v.tags.indexOf('Logon')], [2, 0]);
    assert.deepEqual(v.counts[v.tags.indexOf('Other')], [0, 2]);
  });

  test('escalation and false-positive rates, per tag and per rule', () => {
    assert.deepEqual(val(k, 'escalationRate'), { escalated: 2, closed: 7, rate: 2 / 7, closedWithoutDisposition: 0 });
    const fp = val(k, 'falsePositiveRate');
    assert.equal(fp.falsePositives, 4);
    assert.equal(fp.closed, 7);
    assert.equal(fp.rate, 4 / 7);
    assert.deepEqual(
      fp.perTag.map((g) => [g.key, g.closed, g.falsePositives]),
      [
        ['Logon', 2, 1],
        ['Other', 1, 1],
        ['PortScan', 1, 1],
        ['SQLInjection', 1, 1],
        ['AV', 1, 0],
        ['MaliciousIP', 1, 0],
      ],
    );
    assert.deepEqual(
      fp.perRule!.map((g) => [g.key, g.closed, g.falsePositives]),
      [
        ['Port Scan', 2, 1],
        ['(no rule)', 1, 1],
        ['Brute Force', 1, 1],
        ['WAF', 1, 1],
        ['AV Alert', 1, 0],
        ['Impossible Travel', 1, 0],
        ['Threat Intel', 1, 0],
      ],
    );
  });

  test('MTTA and MTTR (resolve): median, p90, mean', () => {
    assert.deepEqual(val(k, 'mtta'), { n: 8, mean: 21.375 * MIN, median: 15 * MIN, p90: 46 * MIN, min: 1 * MIN, max: 60 * MIN, excludedNegative: 0 });
    const m = val(k, 'mttr');
    assert.equal(m.n, 7);
    assert.equal(m.median, 120 * MIN);
    assert.ok(Math.abs(m.p90 - 324 * MIN) < 1e-6);
    assert.ok(Math.abs(m.mean - (1170 / 7) * MIN) < 1e-6);
    assert.match(k.mttr.title, /R = resolve/);
  });

  test('workload per analyst and per shift (UTC; shift zone Asia/Riyadh; the display zone moves no case)', () => {
    assert.deepEqual(val(k, 'workloadPerAnalyst'), {
      analysts: [
        { analyst: 'alice', cases: 3, open: 1, closed: 2, falsePositives: 2, medianTimeToCloseMs: 120 * MIN },
        { analyst: 'bob', cases: 3, open: 0, closed: 3, falsePositives: 2, medianTimeToCloseMs: 120 * MIN },
        { analyst: 'carol', cases: 2, open: 0, closed: 2, falsePositives: 0, medianTimeToCloseMs: 120 * MIN },
      ],
      unassigned: { analyst: '(unassigned)', builtin: 'unassigned', cases: 2, open: 2, closed: 0, falsePositives: 0, medianTimeToCloseMs: undefined },
    });
    assert.deepEqual(val(k, 'workloadPerShift'), [
      { shift: 'Day', created: 7, closed: 3 },
      { shift: 'Evening', created: 1, closed: 2 },
      { shift: 'Night', created: 2, closed: 2 },
    ]);
    // the display zone does not move cases between shifts (the SOC's rota); the shift zone does
    assert.deepEqual(val(kpiReportOf(a, 'Asia/Riyadh').kpis, 'workloadPerShift'), val(k, 'workloadPerShift'));
    const riyadh = kpiReportOf(a, 'UTC', a.asOf, 'Asia/Riyadh').kpis;
    assert.deepEqual(
      val(riyadh, 'workloadPerShift').map((s) => [s.shift, s.created]),
      [
        ['Day', 6],
        ['Evening', 2],
        ['Night', 2],
      ],
    );
  });

  test('SLA breaches per severity and the backlog', () => {
    const s = val(k, 'slaBreaches');
    assert.equal(s.casesWithoutTarget, 0);
    assert.deepEqual(
      s.rows.map((x) => [x.severity, x.cases, x.ackChecked, x.ackBreaches, x.closeChecked, x.closeBreaches, x.openOverdue]),
      [
        ['Critical', 2, 2, 1, 1, 0, 1], // C-7 never acknowledged, open 20 h > 15 min: an acknowledge breach
        ['High', 3, 3, 1, 3, 1, 0],
        ['Medium', 2, 2, 0, 2, 0, 0],
        ['Low', 3, 2, 0, 1, 0, 0],
      ],
    );
    assert.equal(s.rows[1].closeBreachRate, 1 / 3);
    const b = val(k, 'backlog');
    assert.equal(b.open, 3);
    assert.deepEqual(b.age, { n: 3, mean: 17 * H, median: 20 * H, p90: 27.2 * H, min: 2 * H, max: 29 * H });
    assert.deepEqual(b.buckets.map((x) => x.count), [2, 1, 0, 0]);
  });

  test('backlog: the definition names the statistics the value shows, in the same order (dashboard, CLI, reports, JSON)', async () => {
    const def = k.backlog.definition;
    assert.match(def, /\(as-of − created\): median, 90th percentile, mean and oldest \(JSON: age\.median, age\.p90, age\.mean, age\.max\);/);
    const row = kpiSummaryRows(r).find((x) => x.id === 'backlog')!;
    assert.equal(row.definition, def);
    assert.equal(row.value, '3 open; age median 20 h · p90 1 d 3 h · mean 17 h · oldest 1 d 5 h (n = 3)');
    // each statistic named in the definition is in the value, in the definition's order; nothing else (no "max")
    const named: [string, string][] = [['median', 'median'], ['90th percentile', 'p90'], ['mean', 'mean'], ['oldest', 'oldest']];
    const labels = [...row.value.matchAll(/(median|p90|mean|oldest|max|min) \d/g)].map((m) => m[1]);
    assert.deepEqual(labels, named.map(([, l]) => l));
    for (const [word] of named) assert.ok(def.includes(word), word);
    // the JSON fields the definition names carry exactly the shown numbers
    const age = val(k, 'backlog').age!;
    assert.deepEqual([age.median, age.p90, age.mean, age.max], [20 * H, 27.2 * H, 17 * H, 29 * H]);
    const md = renderKpiReportMarkdown(r, { title: 'SOC KPI report', inputs: [CASES], rulesFile: RULES });
    assert.ok(md.includes('| Open backlog and age | 3 open; age median 20 h · p90 1 d 3 h · mean 17 h · oldest 1 d 5 h (n = 3) |'), md.split('\n').filter((l) => l.includes('backlog')).join('\n'));
    // CLI kpi: the text line and the JSON (definition and the fields it names)
    const out: string[] = [];
    const io: CliIO = { stdout: (x) => out.push(x), stderr: () => undefined };
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--tz', 'UTC', '--as-of', new Date(AS_OF).toISOString()], io), 0);
    assert.match(out.join(''), /\n {2}Open backlog and age: 3 open; age median 20 h · p90 1 d 3 h · mean 17 h · oldest 1 d 5 h \(n = 3\)\n/);
    // the SLA rows per severity (the summary line gives totals only: analyst trial)
    const sla = val(k, 'slaBreaches');
    const slaText = /\nSLA per severity \(breaches of the cases checked\)\n((?: {2}.*\n)+)/.exec(out.join(''))?.[1] ?? '';
    // the table, then the line naming the cases that breached (kpi-sla-cases.test.ts)
    const all = slaText.trimEnd().split('\n');
    assert.equal(all[all.length - 1], '  Cases that breached: C-5 (acknowledge, close); C-7 (acknowledge, open past close target)');
    const lines = all.slice(0, -1).map((l) => l.trim().split(/ {2,}/));
    assert.deepEqual(lines[0], ['SEVERITY', 'CASES', 'ACK TARGET', 'ACK BREACHES', 'CLOSE TARGET', 'CLOSE BREACHES', 'OPEN PAST TARGET']);
    assert.deepEqual(
      lines.slice(1),
      sla.rows.map((x) => [x.severity, String(x.cases), slaMins(x.target.acknowledgeMinutes), `${x.ackBreaches} of ${x.ackChecked}`, slaMins(x.target.closeMinutes), x.closeChecked ? `${x.closeBreaches} of ${x.closeChecked}` : '-', String(x.openOverdue)]),
    );
    assert.equal(lines.length, sla.rows.length + 1);
    assert.ok(sla.rows.some((x) => x.ackBreaches > 0), 'a breach to show');
    out.length = 0;
    assert.equal(await main(['kpi', CASES, '--rules', RULES, '--tz', 'UTC', '--as-of', new Date(AS_OF).toISOString(), '--json'], io), 0);
    const bl = JSON.parse(out.join('')).kpis.backlog;
    assert.equal(bl.definition, def);
    assert.deepEqual([bl.value.age.median, bl.value.age.p90, bl.value.age.mean, bl.value.age.max], [20 * H, 27.2 * H, 17 * H, 29 * H]);
  });

  test('HTML report: self-contained, numbers and definitions, escaped input', () => {
    const html = renderKpiReportHtml(r, { title: 'SOC KPI report <test>', inputs: [CASES], rulesFile: RULES });
    assert.match(html, /<td id="kpi-escalationRate">28\.6% \(2 of 7\)<\/td>/);
    assert.match(html, /<td id="kpi-falsePositiveRate">57\.1% \(4 of 7\)<\/td>/);
    assert.match(html, /<td id="kpi-mtta">median 15 min · p90 46 min · mean 21 min 23 s \(n = 8\)<\/td>/);
    assert.match(html, /<td id="kpi-mttr">median 2 h · p90 5 h 24 min · mean 2 h 47 min \(n = 7\)<\/td>/);
    assert.match(html, /<td id="kpi-backlog">3 open; age median 20 h · p90 1 d 3 h · mean 17 h · oldest 1 d 5 h \(n = 3\)<\/td>/);
    assert.match(html, /<td id="zone">UTC<\/td>/);
    assert.match(html, /<td id="period">2026-03-02 08:00:00 – 2026-03-10 10:00:00 \(UTC, by created time\)<\/td>/);
    assert.match(html, /<title>SOC KPI report &lt;test&gt;<\/title>/);
    assert.equal((html.match(/<img alt="[^"]*" src="data:image\/svg\+xml;base64,/g) ?? []).length, 6);
    assert.doesNotMatch(html, /<script|src="http|href="http/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'sha256-[A-Za-z0-9+/]+=*'"/);
    assert.match(html, /Closed − created, over cases closed at the as-of time/);
    const md = renderKpiReportMarkdown(r, { title: 'SOC KPI report', inputs: [CASES], rulesFile: RULES });
    assert.match(md, /\| Escalation rate \| 28\.6% \(2 of 7\) \|/);
    assert.match(md, /## Largest unmatched groups \(2 cases untagged\)/);
    assert.equal(escapeMarkdownCell('a|b<script>\n[x](y)'), 'a\\|b&lt;script&gt; \\[x\\](y)');
  });
});

describe('unavailable KPIs are reported with a reason, never as zero', () => {
  test('no acknowledged / disposition / analyst columns', () => {
    const t = parseCsvText('Title,Created,Closed,Status\nA,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,Closed\nB,2026-03-02T10:00:00Z,,Open\nC,yesterday,,Open\n', 'c.csv');
    const parsed = tableToCases(t, suggestMapping(t.columns));
    assert.deepEqual(parsed.missing, ['id', 'acknowledged', 'analyst', 'severity', 'disposition', 'rule']);
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.message.slice(0, 30)]), [[4, 'created (Created): unparsed: n']]);
    assert.equal(parsed.cases.length, 3);
    assert.equal(parsed.cases[2].created, undefined);
  });

  test('QRadar offenses (shared/data/qradar/samples): MTTA unavailable, exact MTTR/FP/backlog', async () => {
    const a = await runKpiAnalysis([join(QR, 'samples/offenses.json')], { asOf: AS_OF });
    assert.equal(a.input.source, 'qradar-offenses');
    assert.equal(a.input.cases.length, 6);
    assert.deepEqual(a.input.missing, ['acknowledged']);
    const k = kpiReportOf(a, 'UTC').kpis;
    assert.equal(k.mtta.available, false);
    assert.match((k.mtta as { reason: string }).reason, /no acknowledgement or assignment timestamp/);
    // 4102: close_time 1772615380000 − first_persisted_time 1772544007000; 4105: 1772853360000 − 1772853346000
    assert.deepEqual(val(k, 'mttr'), {
      n: 2, mean: 35_693_500, median: 35_693_500, p90: 64_237_100, min: 14_000, max: 71_373_000, excludedNegative: 0,
      // 4105 closed by soc.automation in 14 s: the MTTR of the case a person closed beside it
      automatedCloses: 1, withoutAutomation: { n: 1, mean: 71_373_000, median: 71_373_000, p90: 71_373_000, min: 71_373_000, max: 71_373_000 },
    });
    // 4102 "False-Positive, Tuned" (closing reason 2) is FP; 4105 "Non-Issue" is neither
    assert.deepEqual(val(k, 'falsePositiveRate').rate, 0.5);
    assert.deepEqual(val(k, 'escalationRate'), { escalated: 0, closed: 2, rate: 0, closedWithoutDisposition: 0 });
    assert.deepEqual(
      val(k, 'falsePositiveRate').perRule!.map((g) => [g.key, g.falsePositives, g.closed]),
      [
        ['100056', 1, 1],
        ['100813', 1, 1],
        ['104402', 0, 1],
      ],
    );
    const b = val(k, 'backlog');
    assert.equal(b.open, 3); // 4101, 4103, 4106 OPEN; 4104 HIDDEN is not backlog
    assert.equal(b.hidden, 1);
    assert.deepEqual(a.tagging.tags, ['Other', 'Logon', 'Other', 'PortScan', 'Other', 'PortScan']);
  });

  test('QRadar offenses without closing reasons (demisto v3): escalation and FP unavailable', async () => {
    const a = await runKpiAnalysis([join(QR, 'public/demisto-content-qradar-v3/offenses.json')], { asOf: AS_OF });
    const k = kpiReportOf(a, 'UTC').kpis;
    assert.equal(k.escalationRate.available, false);
    assert.equal(k.falsePositiveRate.available, false);
    assert.equal(k.workloadPerAnalyst.available, false);
    assert.ok(a.input.notes.includes('2 offenses have no first_persisted_time: created = start_time (first event) for them'));
  });
});

describe('soc-analytics kpi', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
    return { io, out: () => out.join(''), err: () => err.join('') };
  };
  const dir = mkdtempSync(join(tmpdir(), 'soc-kpi-'));

  test('--json prints tags, kpis, coverage and errors; --html/--md write the reports', async () => {
    const c = capture();
    const html = join(dir, 'r.html');
    const code = await main(['kpi', CASES, '--rules', RULES, '--tz', 'UTC', '--as-of', '2026-03-10T12:00:00Z', '--json', '--html', html, '--md', join(dir, 'r.md')], c.io);
    assert.equal(code, 0, c.err());
    const j = JSON.parse(c.out());
    assert.deepEqual(j.tags[0], { tag: 'Logon', count: 2 });
    assert.equal(j.kpis.escalationRate.value.rate, 2 / 7);
    assert.equal(j.kpis.mtta.value.median, 15 * MIN);
    assert.deepEqual(j.coverage.neverMatched, [8]);
    assert.deepEqual(j.coverage.neverWins, [5]);
    assert.deepEqual(j.errors, []);
    assert.equal(j.asOf, '2026-03-10T12:00:00Z');
    assert.match(readFileSync(html, 'utf8'), /id="kpi-escalationRate">28\.6%/);
    assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /# SOC KPI report: kpi-small\.csv/);
  });

  test('--map renames columns; a missing column makes its KPIs unavailable', async () => {
    const f = join(dir, 'renamed.csv');
    writeFileSync(f, readFileSync(CASES, 'utf8').replace('Owner', 'Handled By').replace('Acknowledged', 'First Touch'));
    const c = capture();
    assert.equal(await main(['kpi', f, '--rules', RULES, '--map', 'Handled By=analyst', '--as-of', '2026-03-10T12:00:00Z', '--json'], c.io), 0, c.err());
    const j = JSON.parse(c.out());
    assert.equal(j.kpis.workloadPerAnalyst.available, true);
    assert.equal(j.kpis.mtta.available, false);
    assert.match(j.kpis.mtta.reason, /no "acknowledged" column/);
  });

  test('bad arguments exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['kpi'], /no cases file given/],
      [['kpi', join(dir, 'none.csv')], /no such file/],
      [['kpi', CASES, '--rules', join(dir, 'none.json')], /none\.json: no such file/],
      [['kpi', CASES, '--map', 'x=bogus'], /field must be one of/],
      [['kpi', CASES, '--tz', 'Mars/Base'], /unknown time zone/],
      [['kpi', CASES, '--as-of', 'soon'], /not an ISO 8601 time/],
    ];
    for (const [argv, re] of cases) {
      const c = capture();
      assert.equal(await main(argv, c.io), 2, argv.join(' '));
      assert.match(c.err(), re);
    }
  });
});

/** A target as the CLI's SLA table shows it, in the KPIs' one duration format: `15 min`, `8 h`, `1 d`, `3 d`, `-`. */
function slaMins(m: number | undefined): string {
  const known: Record<number, string> = { 15: '15 min', 30: '30 min', 120: '2 h', 240: '4 h', 480: '8 h', 1440: '1 d', 4320: '3 d' };
  return m === undefined ? '-' : known[m] ?? `(a target of ${m} min this test does not know)`;
}
