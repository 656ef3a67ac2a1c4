/**
 * KPI reports (CLI `kpi --md/--html`, the extension's Generate KPI Report) show the inputs, the tagging rules file and
 * the files of the problems relative to a base folder when they are below it (the CLI's working directory, the
 * extension's workspace folder), absolute otherwise (ReportMeta.baseDir, pathBelow). Real inputs: the repo's
 * test/fixtures/cases (kpi-small.csv, tagging.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { renderKpiReportHtml, renderKpiReportMarkdown } from '../../src/core/export/report';
import { pathBelow } from '../../src/core/path-names';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/cases');
const CASES = join(FIX, 'kpi-small.csv');
const RULES = join(FIX, 'tagging.json');

test('pathBelow: relative below the base, the path as given elsewhere (POSIX and Windows)', () => {
  assert.equal(pathBelow('/ws/cases/week1.csv', '/ws'), 'cases/week1.csv');
  assert.equal(pathBelow('/ws/cases/week1.csv', '/ws/'), 'cases/week1.csv');
  assert.equal(pathBelow('/ws', '/ws'), '.');
  assert.equal(pathBelow('/ws2/week1.csv', '/ws'), '/ws2/week1.csv'); // a sibling sharing the prefix is outside
  assert.equal(pathBelow('/data/week1.csv', '/ws'), '/data/week1.csv');
  assert.equal(pathBelow('/ws/..x/a.csv', '/ws'), '..x/a.csv'); // a folder named `..x` is inside
  assert.equal(pathBelow('cases/week1.csv', '/ws'), 'cases/week1.csv'); // relative: as given
  assert.equal(pathBelow('/ws/a.csv', undefined), '/ws/a.csv');
  assert.equal(pathBelow('/ws/a\\b.csv', '/ws'), 'a\\b.csv'); // a POSIX name with a backslash stays one name
  // Windows: letter case ignored, `\` kept; another drive or share is outside
  assert.equal(pathBelow('c:\\SOC\\Cases\\week1.csv', 'C:\\soc'), 'Cases\\week1.csv');
  assert.equal(pathBelow('D:\\soc\\week1.csv', 'C:\\soc'), 'D:\\soc\\week1.csv');
  assert.equal(pathBelow('\\\\srv\\share\\soc\\a.csv', '\\\\srv\\share'), 'soc\\a.csv');
  assert.equal(pathBelow('C:\\other\\a.csv', 'C:\\soc'), 'C:\\other\\a.csv');
});

test('report builder: inputs and rules file relative to baseDir when below it, absolute otherwise', async () => {
  const a = await runKpiAnalysis([CASES], { rulesPath: RULES });
  const r = kpiReportOf(a, 'UTC', Date.parse('2026-03-10T12:00:00Z'));
  const meta = { title: 'SOC KPI report: kpi-small.csv', inputs: a.input.files, rulesFile: a.rulesFile, rules: a.rules, errors: a.errors, generatedAt: 0 };
  assert.deepEqual(a.input.files, [CASES]);
  const inRepo = renderKpiReportMarkdown(r, { ...meta, baseDir: ROOT });
  assert.ok(inRepo.includes('\n- Inputs: test/fixtures/cases/kpi-small.csv\n- Tagging rules: test/fixtures/cases/tagging.json\n'), inRepo.slice(0, 800));
  assert.ok(renderKpiReportHtml(r, { ...meta, baseDir: ROOT }).includes('<tr><td>Inputs</td><td>test/fixtures/cases/kpi-small.csv</td></tr><tr><td>Tagging rules</td><td id="rules">test/fixtures/cases/tagging.json</td></tr>'));
  // below another folder only: absolute, as given; without a base: absolute (as before)
  for (const base of [join(ROOT, 'src'), undefined]) {
    const md = renderKpiReportMarkdown(r, { ...meta, baseDir: base });
    assert.ok(md.includes(`\n- Inputs: ${CASES}\n- Tagging rules: ${RULES}\n`), String(base));
  }
});

test('CLI kpi --md/--html: paths relative to the working directory, absolute outside it; problems too', async () => {
  const cwd = process.cwd();
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'soc-kpi-paths-')));
  try {
    mkdirSync(join(dir, 'cases'));
    copyFileSync(CASES, join(dir, 'cases', 'week1.csv'));
    writeFileSync(join(dir, 'cases', 'empty.csv'), readFileSync(CASES, 'utf8').split('\n')[0] + '\n'); // the header alone: a problem
    mkdirSync(join(dir, 'out'));
    process.chdir(dir);
    const c = capture();
    // an input below the working directory given absolute, one given relative, the rules file outside it
    const code = await main(['kpi', join(dir, 'cases', 'week1.csv'), 'cases/empty.csv', '--rules', RULES, '--as-of', '2026-03-10T12:00:00Z', '--md', 'out/r.md', '--html', 'out/r.html'], c.io);
    assert.equal(code, 0, c.err());
    const md = readFileSync(join(dir, 'out', 'r.md'), 'utf8');
    assert.ok(md.includes(`\n- Inputs: cases/week1.csv, cases/empty.csv\n- Tagging rules: ${RULES}\n`), md.slice(0, 1200));
    assert.match(md, /\n## Problems with the input \(1\)\n\n\| File \| Line \| Problem \|\n\| --- \| --- \| --- \|\n\| cases\/empty\.csv \| 0 \| /);
    assert.doesNotMatch(md, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))); // no absolute path of the working directory left
    const html = readFileSync(join(dir, 'out', 'r.html'), 'utf8');
    assert.ok(html.includes('<tr><td>Inputs</td><td>cases/week1.csv<br>cases/empty.csv</td></tr>'), html.slice(0, 2000));
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});
