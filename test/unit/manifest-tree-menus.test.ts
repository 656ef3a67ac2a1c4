/**
 * The Results view's item actions (package.json `menus.view/item/context`): an action contributed only to the
 * `inline` group is a hover button — it is not in the item's right-click menu, nor in the menu Shift+F10 / the
 * context-menu key opens on the focused item, so a keyboard user could not re-run or remove an analysis (UX review in
 * VS Code 1.139: the right-click menu of an analysis held only "Copy Summary as Markdown").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

type MenuItem = { command: string; when?: string; group?: string };

test('every inline action of a Results item is also in its context menu, with the same when clause', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
  const items = pkg.contributes.menus['view/item/context'];
  const inline = items.filter((m) => m.group?.startsWith('inline'));
  const menu = items.filter((m) => !m.group?.startsWith('inline'));
  assert.deepEqual(
    inline.map((m) => [m.command, m.when, menu.some((c) => c.command === m.command && c.when === m.when)]),
    [
      ['socAnalytics.openAnalysis', 'view == socAnalytics.results && viewItem =~ /^analysis(-summary)?$/', true],
      ['socAnalytics.rerunAnalysis', 'view == socAnalytics.results && viewItem =~ /^analysis(-summary)?$/', true],
      ['socAnalytics.removeAnalysis', 'view == socAnalytics.results && viewItem =~ /^analysis(-summary)?$/', true],
      ['socAnalytics.revealFinding', 'view == socAnalytics.results && viewItem == finding', true],
    ],
  );
  // Remove (destructive) is last, in a group of its own
  const analysisMenu = menu.filter((m) => m.when?.includes('analysis')).sort((a, b) => (a.group! < b.group! ? -1 : 1));
  assert.equal(analysisMenu.at(-1)?.command, 'socAnalytics.removeAnalysis');
});

test('Clear All Analyses is offered (palette, Results view title) only when there is an analysis, on a key the extension sets', () => {
  // with no analysis it was a view-title button and a palette entry that did nothing (UX review, VS Code 1.139)
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
  const menus = pkg.contributes.menus;
  assert.deepEqual(
    [menus.commandPalette, menus['view/title']].map((l) => l.filter((m) => m.command === 'socAnalytics.clearAnalyses').map((m) => m.when)),
    [['socAnalytics.hasAnalyses'], ['view == socAnalytics.results && socAnalytics.hasAnalyses']],
  );
  const ext = readFileSync(join(ROOT, 'src/extension/extension.ts'), 'utf8');
  assert.match(ext, /executeCommand\('setContext', 'socAnalytics\.hasAnalyses', registry\.list\(\)\.length > 0\)/);
  assert.match(ext, /registry\.onDidChange\(setHasAnalyses\)/);
});
