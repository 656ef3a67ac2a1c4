/**
 * U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) in log content are written as the visible text `\u2028`,
 * `\u2029`, as a zero-width space is (`\u200b`): in CLI tables and plain text (terminalSafe), the stderr messages
 * (terminalErrorText), Markdown (escapeMarkdownCell), the CSV export (showInvisible) and the dashboard (visibleText).
 * A terminal draws them as nothing or a blank, some viewers as a line break. Data: the real DS-SER1 Loki log of
 * shared/data with the WinPcap finding's path given a U+2028 and the putty finding's a U+200B.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { showInvisible, terminalErrorText, terminalSafe } from '../../src/core/text-safe';
import { visibleText } from '../../src/shared/visible-text';
import { escapeMarkdownCell } from '../../src/core/export/markdown-escape';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

test('the text helpers show U+2028 and U+2029 as \\u2028, \\u2029, as they show U+200B', () => {
  const s = 'DC01\u2028evil\u2029x\u200by';
  const shown = 'DC01\\u2028evil\\u2029x\\u200by';
  assert.equal(terminalSafe(s), shown);
  assert.equal(terminalSafe(s, true), shown); // a whole report keeps \n, \t, \r, not these
  assert.equal(terminalSafe('a\nb', true), 'a\nb');
  assert.equal(visibleText(s), shown);
  assert.equal(showInvisible(s), shown);
  assert.equal(terminalErrorText(s), shown);
  assert.equal(escapeMarkdownCell(s), shown);
});

const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (1).log');
const dir = mkdtempSync(join(tmpdir(), 'soc-u2028-'));
after(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });
const LOG = join(dir, 'ds-ser1.log');
writeFileSync(
  LOG,
  readFileSync(REAL, 'utf8')
    .replace('FILE: C:\\Program Files\\WinPcap\\Uninstall.exe', 'FILE: C:\\Program Files\\WinPcap\\Uninstall\u2028.exe')
    .replace('FILE: C:\\Program Files (x86)\\WinSCP\\PuTTY\\pageant.exe', 'FILE: C:\\Program Files (x86)\\WinSCP\\PuTTY\\page\u200bant.exe'),
);

test('CLI loki text output: a path with U+2028 is shown \\u2028 in Top files, as a U+200B is \\u200b; no raw separator written', async () => {
  const c = capture();
  assert.equal(await main(['loki', LOG], c.io), 0, c.err());
  const out = c.out();
  assert.ok(!/[\u2028\u2029\u200b]/.test(out), 'a raw U+2028/U+2029/U+200B in the text output');
  assert.match(out, /^ +1 +1 +DS-SER1 +70 +C:\\Program Files\\WinPcap\\Uninstall\\u2028\.exe$/m);
  assert.match(out, /^ +1 +1 +DS-SER1 +70 +C:\\Program Files \(x86\)\\WinSCP\\PuTTY\\page\\u200bant\.exe$/m);
});

test('Markdown summary: the path is written with \\u2028, as with \\u200b', async () => {
  const a = await runLokiAnalysis([LOG]);
  const md = lokiMarkdown(a, { zone: 'UTC' });
  assert.ok(!/[\u2028\u2029\u200b]/.test(md), 'a raw U+2028/U+2029/U+200B in the Markdown');
  assert.ok(md.includes('Uninstall\\u2028.exe'), md);
  assert.ok(md.includes('page\\u200bant.exe'), md);
});
