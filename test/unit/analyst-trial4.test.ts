import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { parseTabularText } from '../../src/core/parse/cases-input';
import { zoneSuggestions } from '../../src/core/time';
import { suggestTimeColumns } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const QRADAR = resolve(ROOT, '../shared/data/qradar/samples');
const ERROR_401 = resolve(QRADAR, 'error_401.json');
const KPI_SMALL = resolve(ROOT, 'test/fixtures/cases/kpi-small.csv');
const SERVER_MESSAGE = 'No SEC header present in request.';

test('kpi <folder>: a QRadar API error answer (error_401.json) is a problem, as in `qradar`, not a quiet "not a case export" skip', async () => {
  const a = await runKpiAnalysis([QRADAR], { asOf: Date.UTC(2026, 2, 10, 12) });
  const skip = a.input.skipped?.find((k) => k.file === ERROR_401);
  assert.ok(skip?.reason.startsWith(`QRadar API error body: ${SERVER_MESSAGE}`), skip?.reason);
  const problems = a.errors.filter((e) => e.file === ERROR_401);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 0);
  assert.ok(problems[0].message.startsWith('not an export: an error answer of the QRadar API (the request that wrote this file failed; skipped) — QRadar API error body: No SEC header'), problems[0].message);
  assert.equal(a.input.cases.length, 6); // the offenses of offenses.json are still read
});

test('soc-analytics kpi <folder>: the text report and --json name the QRadar API error answer found instead of an export', async () => {
  const c = capture();
  assert.equal(await main(['kpi', QRADAR, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z'], c.io), 0, c.err());
  assert.match(c.out(), /^1 problem:\n {2}error_401\.json: not an export: an error answer of the QRadar API .* No SEC header present in request\./m);
  const j = capture();
  assert.equal(await main(['kpi', QRADAR, '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], j.io), 0, j.err());
  const doc = JSON.parse(j.out());
  const errs = doc.errors.filter((e: { file: string }) => e.file === ERROR_401);
  assert.equal(errs.length, 1);
  assert.match(errs[0].message, /^not an export: an error answer of the QRadar API/);
});

test('soc-analytics kpi error_401.json (named): no case made of the error body; exit 3 with the API error named', async () => {
  const c = capture();
  assert.equal(await main(['kpi', ERROR_401, '--seed-rules'], c.io), 3);
  assert.match(c.out(), /^No cases found \(/); // no report of zeros (trial 2026-12-06)
  assert.match(c.out(), /^No cases: error_401\.json: not an export: an error answer of the QRadar API/m);
});

test('suggestTimeColumns on a case export: Created (10 of 10 rows) ranks above Closed (7 of 10), ties keep the column order', () => {
  const t = parseTabularText(readFileSync(KPI_SMALL, 'utf8'), KPI_SMALL);
  const s = suggestTimeColumns(t.columns, t.rows.map((r) => r.values));
  assert.deepEqual(
    s.map((x) => [x.column, x.read, x.rows]),
    [['Created', 10, 10], ['Closed', 7, 10], ['Acknowledged', 8, 10]],
  );
  // two full time-named columns: the first one wins (it was the alphabetically first)
  const u = suggestTimeColumns(['updated_at', 'created_at'], [{ updated_at: '2026-03-02T09:00:00Z', created_at: '2026-03-02T08:00:00Z' }]);
  assert.deepEqual(u.map((x) => x.column), ['updated_at', 'created_at']);
});

test('soc-analytics tz convert kpi-small.csv --to UTC (no --column, no --from): converts Created, names the other time columns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trial4-tz-'));
  try {
    const out = join(dir, 'x.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', KPI_SMALL, '--to', 'UTC', '--out', out], c.io), 0, c.err());
    assert.equal(
      c.err(),
      'soc-analytics: using column "Created" (ISO 8601 (with or without offset) in 10 of 10 values; sampled the first 10 rows); other time columns: "Closed", "Acknowledged" (--column picks one; repeat it for several)\n',
    );
    const lines = readFileSync(out, 'utf8').split(/\r?\n/);
    assert.ok(lines[0].endsWith(',Created_normalized,Created_tz_flag'), lines[0]);
    assert.ok(lines[1].endsWith(',2026-03-02T08:00:00Z,'), lines[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tz convert usage: --from is optional (needed only for times without an offset), in --help and the README', async () => {
  const c = capture();
  assert.equal(await main(['tz', 'convert', '--help'], c.io), 0);
  assert.match(c.out(), /tz convert <file> \[--column C\]… \[--from ZONE\] --to ZONE/);
  assert.match(c.out(), /--from ZONE {7}zone of values without an offset: required when the column has such values/);
  assert.match(readFileSync(resolve(ROOT, 'README.md'), 'utf8'), /tz convert <file> \[--column C\]… \[--from ZONE\] --to ZONE/);
});

test('kpi offenses.json: the open backlog says the HIDDEN offense left out beside the count (text report, Markdown, HTML)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trial4-hidden-'));
  try {
    const c = capture();
    const md = join(dir, 'r.md');
    const html = join(dir, 'r.html');
    assert.equal(await main(['kpi', resolve(QRADAR, 'offenses.json'), '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--md', md, '--html', html], c.io), 0, c.err());
    // offenses 4101–4106: 4104 is HIDDEN (not backlog), 3 others open
    assert.match(c.out(), /^ {2}Open backlog and age: 3 open \(1 hidden offense left out\); age median /m);
    assert.match(readFileSync(md, 'utf8'), /\| Open backlog and age \| 3 open \(1 hidden offense left out\); age median /);
    assert.ok(readFileSync(html, 'utf8').includes('3 open (1 hidden offense left out); age median'));
    const j = capture();
    assert.equal(await main(['kpi', resolve(QRADAR, 'offenses.json'), '--seed-rules', '--as-of', '2026-03-10T12:00:00Z', '--json'], j.io), 0);
    assert.deepEqual([JSON.parse(j.out()).kpis.backlog.value.open, JSON.parse(j.out()).kpis.backlog.value.hidden], [3, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable file given to an option names the option (loki --expected-hosts, kpi --sla / --rules, qradar --closing-reasons)', async () => {
  const cases: [string[], string][] = [
    [['loki', resolve(ROOT, '../shared/data/loki'), '--expected-hosts', '/nope.txt'], 'soc-analytics: --expected-hosts /nope.txt: no such file or directory\n'],
    [['kpi', KPI_SMALL, '--sla', '/nope.json'], 'soc-analytics: --sla /nope.json: no such file or directory\n'],
    [['kpi', KPI_SMALL, '--rules', '/nope.json'], 'soc-analytics: --rules /nope.json: no such file or directory\n'],
    [['qradar', QRADAR, '--closing-reasons', '/nope.json'], 'soc-analytics: --closing-reasons /nope.json: no such file or directory\n'],
    // a path given as an input stays as it was
    [['qradar', '/nope'], 'soc-analytics: /nope: no such file or directory\n'],
  ];
  for (const [args, err] of cases) {
    const c = capture();
    assert.equal(await main(args, c.io), 2, args.join(' '));
    assert.equal(c.err(), err);
  }
});

test('an unknown zone names its option and suggests the IANA zones ending with it (at most 3)', async () => {
  const hint = '(use UTC, local, an IANA zone such as Europe/Paris, or a fixed offset such as UTC+3 or UTC-05:30)';
  const cases: [string[], string][] = [
    [['qradar', QRADAR, '--console-tz', 'Berlin'], `--console-tz Berlin: unknown time zone; did you mean Europe/Berlin? ${hint}`],
    [['beacons', QRADAR, '--console-tz', 'berlin'], `--console-tz berlin: unknown time zone; did you mean Europe/Berlin? ${hint}`],
    [['loki', QRADAR, '--zone', 'London'], `--zone London: unknown time zone; did you mean Europe/London? ${hint}`],
    [['kpi', KPI_SMALL, '--tz', 'Indianapolis'], `--tz Indianapolis: unknown time zone; did you mean America/Indiana/Indianapolis or America/Indianapolis? ${hint}`],
    [['tz', 'at', '2024-01-01T00:00:00Z', '--to', 'new york'], `--to new york: unknown time zone; did you mean America/New_York? ${hint}`],
    [['kpi', KPI_SMALL, '--source-zone', 'Mars/Base'], `--source-zone Mars/Base: unknown time zone ${hint}`],
  ];
  for (const [args, msg] of cases) {
    const c = capture();
    assert.equal(await main(args, c.io), 2, args.join(' '));
    assert.ok(c.err().startsWith(`soc-analytics: ${msg}\n`), c.err());
  }
  assert.deepEqual(zoneSuggestions('Germany/BERLIN'), ['Europe/Berlin']);
  assert.equal(zoneSuggestions('Indianapolis', 1).length, 1);
  assert.deepEqual(zoneSuggestions(''), []);
});
