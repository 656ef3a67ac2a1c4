/**
 * New-user trial (2026-12-06, CLI branch): the CLI on the shared sample data says what it did and
 * nothing it did not — no KPI report of zeros without cases, …
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const DATA = resolve(__dirname, '../../../../shared/data');

describe('kpi with no cases (the Loki folder): only the "no cases" message, exit 3', () => {
  it('no report of zeros; the skipped files are said; exit 3 on stderr', async () => {
    const c = capture();
    assert.equal(await main(['kpi', resolve(DATA, 'loki')], c.io), 3);
    const out = c.out();
    assert.match(out, /^No cases found \(case export, columns mapped by the generic case reader\): nothing to analyze — no KPI report \(the KPIs are unavailable, not zero\)\n/);
    assert.match(out, /4 files skipped — not a case export \(\.log; CSV, TSV, JSON, JSONL and NDJSON are read\): scan_result \(1\)\.log/);
    for (const zero of ['0 acknowledge breaches', 'Day: 0 created', 'KPIs as of', 'Tagging rules coverage', 'seed blog rules']) assert.ok(!out.includes(zero), zero);
    assert.equal(c.err(), 'soc-analytics: no case was read in the given paths (4 files skipped: see the report); exit 3\n');
  });
  it('--json: kpis is null (unavailable), not a set of zeros; --md / --html are not written', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(resolve(os.tmpdir(), 'trial-1206c-kpi-'));
    const md = resolve(dir, 'r.md');
    const html = resolve(dir, 'r.html');
    const c = capture();
    assert.equal(await main(['kpi', resolve(DATA, 'loki'), '--json', '--md', md, '--html', html], c.io), 3);
    const doc = JSON.parse(c.out());
    assert.equal(doc.cases, 0);
    assert.equal(doc.kpis, null);
    assert.equal(doc.skipped.length, 4);
    assert.equal(fs.existsSync(md), false);
    assert.equal(fs.existsSync(html), false);
    assert.match(c.err(), /--html \S+r\.html not written: no case was read \(the KPIs are unavailable, not zero\)\n/);
    assert.match(c.err(), /--md \S+r\.md not written: no case was read/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('tz convert --out onto an existing file: refused before any work (no sampling note)', () => {
  it('stderr is the refusal alone, exit 2, the file untouched', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(resolve(os.tmpdir(), 'trial-1206c-tz-'));
    try {
      const out = resolve(dir, 'existing.csv');
      fs.writeFileSync(out, 'keep me\n');
      const input = resolve(DATA, 'qradar/samples/log_activity_export.csv');
      // without --out existing, the column is sampled and said (so the refusal below really comes first)
      const ok = capture();
      assert.equal(await main(['tz', 'convert', input, '--from', 'UTC', '--to', 'UTC', '--out', resolve(dir, 'new.csv')], ok.io), 0, ok.err());
      assert.match(ok.err(), /^soc-analytics: using column "/);
      for (const args of [['--out', out], [`--out=${out}`], ['--json', '--out', out]]) {
        const c = capture();
        assert.equal(await main(['tz', 'convert', input, '--from', 'UTC', '--to', 'UTC', ...args], c.io), 2);
        assert.equal(c.err(), `soc-analytics: --out ${out} already exists; pass --force to replace it, or choose another file\nTry "soc-analytics tz --help".\n`);
        assert.equal(c.out(), '');
      }
      assert.equal(fs.readFileSync(out, 'utf8'), 'keep me\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('qradar --top 2: both tables say "N of M", and the order among equal counts', () => {
  it('the sample folder: 2 of 6 names, 2 of 10 rules, each with its tie note', async () => {
    const c = capture();
    assert.equal(await main(['qradar', resolve(DATA, 'qradar/samples'), '--top', '2'], c.io), 0);
    const out = c.out();
    assert.match(out, /\nNoisiest offense names \(first line of the description; top source share; false positives of the closed\) — 2 of 6\n/);
    assert.match(out, /\n {4}1 {7}100% {2}203\.0\.113\.45 {31}0 {3}0 {2}Excessive Firewall Denies From Single Source\n {2}Equal counts are listed alphabetically by description\.\n/);
    assert.match(out, /\nRules \(offenses per rule; false positives of the closed\) — 2 of 10\n/);
    assert.match(out, /with the offenses\. Equal counts are listed by rule id \(ascending\)\.\n/);
  });
  it('hasTie: ties among the rows shown or at the cut only', async () => {
    const { hasTie } = await import('../../src/core/analyze/qradar-tables');
    assert.equal(hasTie([5, 4, 3], 3), false);
    assert.equal(hasTie([5, 4, 4], 2), true); // the cut falls inside a tie
    assert.equal(hasTie([5, 4, 3, 3], 2), false);
    assert.equal(hasTie([2, 2], 2), true);
    assert.equal(hasTie([], 10), false);
  });
});

describe('--help: exit codes as README says them; -h and -V in every subcommand', () => {
  it('the top-level help names tz convert exit 3, tz exit 2 and beacons exit 3 for no connection read', async () => {
    const c = capture();
    assert.equal(await main(['--help'], c.io), 0);
    const h = c.out().replace(/\s+/g, ' ');
    assert.match(h, /2 bad arguments or a path that does not exist or cannot be read \(also tz: a zone, format or time that cannot be read, a compressed or binary input, an existing --out without --force; kpi: a tagging rules file that cannot be used/);
    assert.match(h, /3 nothing to analyze: no input of the command's kind among the paths \(loki, qradar, beacons\), not one connection read from the files \(beacons\), an empty or header-only input \(tz convert: nothing written\) or no case in the case files \(kpi\)/);
    // and what the code does: tz convert on a header-only file is exit 3
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(resolve(os.tmpdir(), 'trial-1206c-help-'));
    try {
      fs.writeFileSync(resolve(dir, 'h.csv'), 'time,msg\n');
      assert.equal(await main(['tz', 'convert', resolve(dir, 'h.csv'), '--to', 'UTC', '--out', resolve(dir, 'o.csv')], capture().io), 3);
      assert.equal(await main(['tz', 'at', 'not a time', '--to', 'UTC'], capture().io), 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  for (const cmd of ['loki', 'qradar', 'beacons', 'kpi', 'tz', 'qradar-fetch', 'qradar-count']) {
    it(`${cmd}: its help lists -h, --help and -V, --version, and "${cmd} -V" prints the version`, async () => {
      const h = capture();
      assert.equal(await main([cmd, '--help'], h.io), 0);
      assert.match(h.out(), /\n {2}-h, --help +show this help\n {2}-V, --version +show the version\n/);
      const v = capture();
      assert.equal(await main([cmd, '-V'], v.io), 0);
      assert.match(v.out(), /^\d+\.\d+\.\d+\n$/);
      assert.equal(v.err(), '');
    });
  }
});

describe('README documents every top-level key of qradar --json (the trial counted 9 of 21)', () => {
  it('each key of the sample folder\'s document has its README line, and the README lists no other', async () => {
    const fs = await import('node:fs');
    const c = capture();
    assert.equal(await main(['qradar', resolve(DATA, 'qradar/samples'), '--json'], c.io), 0);
    const keys = Object.keys(JSON.parse(c.out()));
    assert.equal(keys.length, 21);
    const readme = fs.readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('`qradar --json` prints one object with these 21 keys'), readme.indexOf('`beacons --json` prints'));
    const listed = [...section.matchAll(/^- `(\w+)`(?: \/ `(\w+)`)?/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean));
    assert.deepEqual([...listed].sort(), [...keys].sort());
  });
});

describe('README: the real Loki scans as the CLI reports them (AD is "Incomplete scan (scanner errors)")', () => {
  it('the README verdicts and counts are the loki text report\'s', async () => {
    const fs = await import('node:fs');
    const c = capture();
    assert.equal(await main(['loki', resolve(DATA, 'loki/real-2021-2022')], c.io), 0);
    const out = c.out();
    assert.match(out, /\nAD {7}Incomplete scan \(scanner errors\) {10}- {7}0 {9}0 {8}0 /);
    assert.match(out, /Scanner errors: 4 /);
    assert.match(out, /Hosts with findings \(alert\/warning\): 3 {3}Clean hosts: 0 {3}Incomplete scan \(scanner errors\): 1\n {2}Findings read: 7 alerts, 11 warnings, 1 notice\n/);
    const readme = fs.readFileSync(resolve(__dirname, '../../../README.md'), 'utf8').replace(/\s+/g, ' ');
    assert.ok(readme.includes('AD *Incomplete scan (scanner errors)*: its 4 scanner errors'), 'README names the CLI verdict');
    assert.ok(readme.includes('3 hosts with findings, 0 clean hosts, 1 host with an incomplete scan (scanner errors), 7 alerts, 11 warnings, 1 notice, 0 unparsed lines'));
    assert.ok(!readme.includes('AD *Clean*)'));
  });
});
