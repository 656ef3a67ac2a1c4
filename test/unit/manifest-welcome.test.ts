/**
 * The Results view's welcome text (package.json `viewsWelcome`): VS Code renders only links (a line that is a link is a
 * button), not bold — `**Analyze Loki Results…**` showed with its asterisks (new-user trial) —, and it offered Loki only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

test('the Results welcome offers each analysis as a button, every one a contributed command, and no Markdown VS Code does not render', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { viewsWelcome: { view: string; contents: string }[]; commands: { command: string; title: string }[] };
  };
  const w = pkg.contributes.viewsWelcome.find((v) => v.view === 'socAnalytics.results')!;
  assert.doesNotMatch(w.contents, /\*\*|__|`/);
  const buttons = w.contents.split('\n').filter((l) => /^\[[^\]]+\]\(command:[\w.]+\)$/.test(l));
  const titles = new Map(pkg.contributes.commands.map((c) => [c.command, c.title]));
  assert.deepEqual(
    buttons.map((b) => /^\[([^\]]+)\]\(command:([\w.]+)\)$/.exec(b)!.slice(1)).map(([label, id]) => [label, titles.get(id)]),
    [
      ['Analyze Loki Results…', 'Analyze Loki Results…'],
      ['Analyze QRadar Offenses…', 'Analyze QRadar Offenses…'],
      ['Detect Beacons…', 'Detect Beacons…'],
      ['Analyze Cases (KPIs and Tags)…', 'Analyze Cases (KPIs and Tags)…'],
    ],
  );
});
