/**
 * Hostile review: the Results tree's analysis tooltip is a `vscode.MarkdownString` whose text holds input paths and
 * the kind's line (an Ariel count's query, read from the count file). It was built with `appendText`, which escapes
 * only `\ ` * _ { } [ ] ( ) # + - ! ~` and `>`: a URL, an e-mail address or `<https://…>` in that text became a link
 * in the hover (GFM autolinks), a line starting with `<script` or `<div` (a file name with a line break) opened an
 * HTML block that VS Code drops from a hover without `supportHtml` (the rest of the tooltip vanished) and `&lt;`
 * showed as `<`. `markdownText` (src/core/text-safe.ts) escapes every ASCII punctuation
 * character: the text renders literally, with no link, image, HTML or formatting.
 *
 * The renderer is markdown-it with `linkify` (VS Code's Markdown preview; it comes with the dev tools, through
 * `@vscode/vsce`) and raw HTML allowed: its autolinks are a superset of GFM's (marked, VS Code's hover renderer,
 * finds autolinks in the source text as markdown-it does, and its backslash escapes are CommonMark's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownParagraphs, markdownText } from '../../src/core/text-safe';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const md = new MarkdownIt({ html: true, linkify: true });

/** The payloads of the hostile review, and what else Markdown would make of a host, rule, path or description. */
const PAYLOADS = [
  '[x](command:workbench.action.terminal.new)',
  '[run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D "title")',
  '![i](http://evil.example/x.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'a path\n<script\nwith line breaks',
  '<div\nblock',
  '<https://evil.example/auto>',
  'a `code` span and ``two``',
  '*bold* _it_ **strong** __strong__ ~~gone~~',
  'https://evil.example/login?a=1',
  'see www.evil.example and evil.com',
  'user@evil.com',
  'mailto:a@evil.com xmpp:bot@evil.com/r',
  '$(alert) $(loading~spin) theme icons',
  '&#60;b&#62; &amp; &lt;',
  '# heading',
  '---',
  '- item',
  '1. one',
  '> quote',
  '    indented code',
  '| a | b |',
  '[a]: http://evil.example',
  'back\\slash \\[x\\](y)',
  'C:\\Users\\x\\AppData\\evil.exe',
  '\\\\server\\share\\[1].txt',
];

/** The text markdown-it shows for `html` (tags removed, references decoded, paragraphs as line breaks). */
function shown(html: string): string {
  return html
    .replace(/<\/p>\n?/g, '\n')
    .replace(/<p>/g, '')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n+$/, '');
}

/** Tags other than the paragraphs: links, images, HTML, emphasis, code, headings, lists, quotes, tables, rules. */
const FOREIGN_TAG = /<(?!\/?p>)[a-z/!]/i;

test('markdownText: every payload renders as exactly its text — no link, image, HTML, command link or formatting', () => {
  for (const p of PAYLOADS) {
    const html = md.render(markdownText(p));
    assert.doesNotMatch(html, FOREIGN_TAG, `${JSON.stringify(p)} → ${html}`);
    assert.equal(shown(html), p, `${JSON.stringify(p)} → ${html}`);
  }
  // the checker sees the problem: VS Code's appendText escaping (src/vs/base/common/htmlContent.ts) lets through
  // autolinks, HTML and character references
  const appendText = (s: string) =>
    s
      .replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&')
      .replace(/([ \t]+)/g, (_m, g: string) => '&nbsp;'.repeat(g.length))
      .replace(/>/g, '\\>')
      .replace(/\n/g, '\n\n');
  for (const p of ['https://evil.example/x', 'user@evil.com', '<https://evil.example>']) assert.match(md.render(appendText(p)), /<a href/, p);
  // a line that starts with `<script` (a file name with a line break) opened an HTML block: the rest of the tooltip vanished
  assert.match(md.render(appendText('x\n<script\nthe rest')), /^<p>x<\/p>\n<script\n\nthe&nbsp;rest$/);
  assert.equal(shown(md.render(appendText('&lt;b&gt;'))), '<b>');
});

test('markdownText: line breaks, leading and repeated spaces and tabs are kept as text (no indented code, nothing collapsed)', () => {
  const text = 'line one\n    four spaces\n\ttab\r\nwin  two  spaces\rold mac';
  const html = md.render(markdownText(text));
  assert.doesNotMatch(html, FOREIGN_TAG, html);
  // (a tab shows as one space)
  assert.equal(shown(html), 'line one\n    four spaces\n tab\nwin  two  spaces\nold mac');
  // a single space between words stays a space (the hover wraps there)
  assert.equal(markdownText('a b'), 'a b');
});

test('markdownParagraphs: the analysis tooltip (header, input paths, the kind line) shows each paragraph literally', () => {
  const paths = ['/cases/<img src=x>.csv', '/loki/www.evil.example', '/mail/user@evil.com', '/x/[a](command:foo)'];
  const src = markdownParagraphs(['Ariel analysis — 2026-03-10T12:00:00.000Z', `Inputs: ${paths.join(', ')}`, "1 count file\nSELECT * FROM events WHERE url = 'https://evil.example/'"]);
  const html = md.render(src);
  assert.doesNotMatch(html, FOREIGN_TAG, html);
  assert.equal(
    shown(html),
    `Ariel analysis — 2026-03-10T12:00:00.000Z\nInputs: ${paths.join(', ')}\n1 count file\nSELECT * FROM events WHERE url = 'https://evil.example/'`,
  );
});
