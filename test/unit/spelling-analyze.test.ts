/**
 * User-visible text is American: "Analyze"/"Analyzes"/"Analyzing", never the British verb "Analyse"/"Analysing" (user
 * trial 2026-12-06: the Marketplace description, the CLI help "Analyses Loki…", the workspace-folder pick "Analyse
 * every…", the Results welcome and the README mixed both; lower case too since the second session: "changed after it was
 * analysed", "nothing to analyse"). The plural noun "Analyses" ("Clear All Analyses") stays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const FORBIDDEN: RegExp[] = [/\b[Aa]nalyse\b/g, /\b[Aa]nalysing\b/g, /\b[Aa]nalysed\b/g, /\bAnalyses (?:Loki|QRadar|Zeek|the|every|one|a|an)\b/g];

/** Every `.ts`/`.tsx` file under `dir` (recursive). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** `file:line: text` of every forbidden spelling in `text`. */
function hits(file: string, text: string): string[] {
  return FORBIDDEN.flatMap((re) => [...text.matchAll(re)].map((m) => `${file}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`));
}

test('the checker catches the verb and lets the noun through', () => {
  assert.deepEqual(hits('x', 'Analyses Loki / Loki-RS scan results\nAnalyse every file\nAnalysing again'), ['x:2: Analyse', 'x:3: Analysing', 'x:1: Analyses Loki']);
  assert.deepEqual(hits('x', 'Clear All Analyses\nNo analyses yet. Analyze exported files\nAnalyzes QRadar'), []);
  assert.deepEqual(hits('x', 'nothing to analyse\nchanged after it was analysed'), ['x:1: analyse', 'x:2: analysed']);
});

test('package.json (description and contributes), README.md, src/ and webview/ never use the British verb "Analyse"', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { description: string; contributes: unknown };
  const found = [
    ...hits('package.json description', pkg.description),
    ...hits('package.json contributes', JSON.stringify(pkg.contributes, null, 1)),
    ...hits('README.md', readFileSync(join(ROOT, 'README.md'), 'utf8')),
    ...[...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'webview'))].flatMap((f) => hits(relative(ROOT, f), readFileSync(f, 'utf8'))),
  ];
  assert.deepEqual(found, []);
  // The strings the trial reported are there, American.
  assert.match(pkg.description, /^Analyze Loki scanner results/);
  assert.match(readFileSync(join(ROOT, 'src/cli/cli.ts'), 'utf8'), /\nAnalyzes Loki \/ Loki-RS scan results/);
  assert.match(readFileSync(join(ROOT, 'src/core/analyze/qradar-report.ts'), 'utf8'), /\nAnalyzes QRadar offenses saved from the REST API/);
});
