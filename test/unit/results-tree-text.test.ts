/**
 * The Results tree shows input content (host names, file paths, rule names, offense descriptions) as node labels,
 * descriptions and tooltips. A bidirectional override (U+202E) in a file name must not reorder what the analyst
 * reads ("…\invoice\u202Efdp.exe" shown as "invoiceexe.pdf") and control characters must not reach the view:
 * src/extension/resultsTree.ts writes them as \uXXXX escapes (terminalSafe), for every analysis kind.
 *
 * resultsTree.ts imports `vscode`; it is bundled with esbuild (`vscode` external) and loaded with a stand-in whose
 * classes record their constructor arguments.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Module from 'node:module';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

interface Item {
  args: unknown[];
  description?: string;
  tooltip?: unknown;
}

function loadProvider(): new (registry: unknown, settings: () => unknown) => { getTreeItem(n: unknown): Item } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'soc-rtree-')), 'results-tree.js');
  buildSync({ entryPoints: [path.join(ROOT, 'src/extension/resultsTree.ts')], bundle: true, platform: 'node', format: 'cjs', mainFields: ['module', 'main'], external: ['vscode'], outfile: out, logLevel: 'silent' });
  // (the bundle copies the module's own keys: each name a class that records its arguments)
  const names = ['TreeItem', 'EventEmitter', 'ThemeIcon', 'ThemeColor', 'MarkdownString', 'Uri', 'Disposable', 'Range', 'Position', 'Selection'];
  const stub: Record<string, unknown> = { TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 } };
  for (const n of names) {
    stub[n] = class {
      args: unknown[];
      constructor(...a: unknown[]) {
        this.args = a;
      }
    };
  }
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const load = M._load;
  M._load = (req, parent, isMain) => (req === 'vscode' ? stub : load(req, parent, isMain));
  try {
    return (require(out) as { ResultsTreeProvider: ReturnType<typeof loadProvider> }).ResultsTreeProvider;
  } finally {
    M._load = load;
  }
}

describe('Results tree: input text shown as text', () => {
  it('a finding node: bidi overrides and control characters in its label, description and tooltip are escaped', () => {
    const Provider = loadProvider();
    const registry = { onDidChange: () => ({ dispose() {} }) };
    const tree = new Provider(registry, () => ({ maxChildren: 100 }));
    const item = tree.getTreeItem({
      kind: 'node',
      analysisId: 'a1',
      data: {
        key: 'finding:h:0',
        label: 'invoice\u202Efdp.exe',
        description: '…\\Users\u2066\\x · ALERT 140 · Rule\u001b[31m',
        tooltip: 'C:\\invoice\u202Efdp.exe\nALERT score 140',
        expandable: false,
      },
    });
    assert.equal(item.args[0], 'invoice\\u202efdp.exe');
    assert.equal(item.description, '…\\Users\\u2066\\x · ALERT 140 · Rule\\u001b[31m');
    // the tooltip keeps its lines
    assert.equal(item.tooltip, 'C:\\invoice\\u202efdp.exe\nALERT score 140');
  });
});
