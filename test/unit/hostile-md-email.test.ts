/**
 * Hostile review: the Markdown KPI report wrote `user@domain.com` (an analyst, a case title, an input name) as text
 * that GitHub-Flavoured Markdown turns into a `mailto:` link: GFM's extended e-mail autolink ("Autolinks (extension)")
 * is found by cmark-gfm in the text after backslash escapes and character references are decoded, so `\@` and
 * `&#64;` do not stop it (nor did the earlier `mailto&#58;` / `xmpp&#58;`: those links need an `@` too). Each run of
 * `@` is now a code span, another inline node between the local part and the domain.
 *
 * Checked three ways: the escaped text has no `@` outside a code span and reads back as the value; markdown-it with
 * linkify (VS Code's Markdown preview, which the extension opens on the report) makes no mailto/xmpp link; and
 * cmark-gfm (GitHub's renderer; Debian package `cmark-gfm`, installed by scripts/setup-test-env.sh) makes no link at
 * all — required when CI is set, else skipped when it is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { escapeMarkdownCell, renderKpiReportMarkdown } from '../../src/core/export/report';
import { buildKpiReport } from '../../src/core/analyze/kpi';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const preview = new MarkdownIt({ html: true, linkify: true });

const EMAILS = [
  'user@domain.com',
  'Phish from first.last+tag@evil-domain.co.uk today',
  'jane_doe@corp.example',
  'mailto:a@evil.example',
  'MAILTO:a@evil.example',
  'xmpp:bot@evil.example/resource',
  'a@@b.com',
  'x`@y.com',
  'www.@evil.com',
  '@@@',
  'two: a@b.com, c@d.com',
];

/** A URL's scheme and `www.` as written before they were defanged (`hxxps://` → `https://`, `www[.]` → `www.`: analyst trial 8). */
const refang = (s: string) => s.replace(/hxxps?(?=:\/\/)|fxp(?=:\/\/)/gi, (m) => m.replace(/x/g, 't').replace(/X/g, 'T')).replace(/(www)\[\.\]/gi, '$1.');
/** The text a reader sees, its URLs refanged: `@` code spans, character references and backslash escapes decoded. */
const plain = (md: string) =>
  refang(
    md
      .replace(/`(@+)`/g, '$1')
      .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\\([!-/:-@[-`{-~])/g, '$1'),
  );

/** cmark-gfm with GitHub's extensions, or undefined when it is not installed. */
function cmarkGfm(md: string): string | undefined {
  const r = spawnSync('cmark-gfm', ['-e', 'autolink', '-e', 'table', '-e', 'strikethrough'], { input: md, encoding: 'utf8' });
  if (r.error) return undefined;
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('Markdown report: an e-mail address (also mailto: / xmpp:) is no autolink; every @ is a code span and reads back', () => {
  for (const u of EMAILS) {
    const e = escapeMarkdownCell(u);
    assert.doesNotMatch(e.replace(/`@+`/g, ''), /@/, `an @ outside a code span: ${e}`);
    assert.equal(plain(e), u, e);
    const html = preview.render(`| v |\n| --- |\n| ${e} |\n`);
    assert.doesNotMatch(html, /href="(mailto|xmpp):/i, `${u} → ${html}`);
    // the cell shows the value (the code span's @ included; the preview's linkify still makes a bare domain such as
    // `domain.com` a link of its own, as in any Markdown file: README, Security)
    assert.equal(refang(html.match(/<td>(.*)<\/td>/)?.[1].replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') ?? ''), u);
  }
});

test('Markdown report in GitHub\'s renderer (cmark-gfm): no e-mail, mailto: or xmpp: autolink, the text unchanged', (t) => {
  const probe = cmarkGfm('a@b.com\n');
  if (probe === undefined) {
    if (process.env.CI) assert.fail('cmark-gfm is not installed (scripts/setup-test-env.sh installs it)');
    t.skip('cmark-gfm not installed (scripts/setup-test-env.sh installs it)');
    return;
  }
  // the control: cmark-gfm links a bare address, and the escapes that do not work here
  assert.match(probe, /<a href="mailto:a@b.com">/);
  for (const bad of ['a\\@b.com', 'a&#64;b.com', 'mailto&#58;a@b.com']) assert.match(cmarkGfm(`${bad}\n`)!, /<a href="mailto:/, bad);
  for (const u of EMAILS) {
    const html = cmarkGfm(`| v |\n| --- |\n| ${escapeMarkdownCell(u)} |\n`)!;
    assert.doesNotMatch(html, /<a /, `${u} → ${html}`);
  }
  const md = renderKpiReportMarkdown(buildKpiReport([], [], { zone: 'UTC', asOf: 0 }), {
    title: 'KPIs for soc@corp.example',
    inputs: ['mail/jane.doe@corp.example.csv', 'xmpp:bot@evil.example'],
    rulesFile: 'mailto:rules@evil.example',
  });
  const html = cmarkGfm(md)!;
  assert.doesNotMatch(html, /<a /, html);
  for (const v of ['soc@corp.example', 'jane.doe@corp.example.csv', 'xmpp:bot@evil.example', 'mailto:rules@evil.example']) assert.ok(html.replace(/<\/?code>/g, '').includes(v), `not shown: ${v}`);
});

/**
 * A new user's trial (2026-12-02, eighth session): the raw report read `\(UTC, by created time\)` and `true\_positive`.
 * `(`, `)` and `!` now go unescaped (a link or image needs `](` or `![`, and `[` `]` are escaped) and so does a `_`
 * between two letters or digits (it cannot open or close emphasis). Hostile cells still make no link, image or
 * emphasis in either renderer, and read back as the value.
 */
const MARKUP = [
  '[x](https://evil.example)',
  '![img](http://evil.example/a.png)',
  '[ref]: http://evil.example',
  'a](b) [c]',
  '_em_ and __strong__ and *em* and **strong**',
  'snake_case_name and _leading and trailing_',
  'x_y_z_',
  'ä_ö and 1_2 and _ä_',
  '~~strike~~ ~one~',
  '(UTC) true_positive close_time',
  '\\_ \\( \\*',
];

test('Markdown report: ( ) ! and a _ inside a word are written plainly; no link, image or emphasis from any cell', (t) => {
  assert.equal(escapeMarkdownCell('(UTC, by created time)'), '(UTC, by created time)');
  assert.equal(escapeMarkdownCell('true_positive close_time'), 'true_positive close_time');
  assert.equal(escapeMarkdownCell('_a_ b_ _c'), '\\_a\\_ b\\_ \\_c');
  const gfm = cmarkGfm('x\n');
  if (gfm === undefined && process.env.CI) assert.fail('cmark-gfm is not installed (scripts/setup-test-env.sh installs it)');
  for (const u of MARKUP) {
    const e = escapeMarkdownCell(u);
    assert.equal(plain(e), u, e);
    const md = `| v |\n| --- |\n| ${e} |\n\n- ${e}\n`;
    for (const [name, html] of [['markdown-it', preview.render(md)], ['cmark-gfm', gfm === undefined ? undefined : cmarkGfm(md)]] as const) {
      if (html === undefined) continue;
      assert.doesNotMatch(html, /<(a|img|em|strong|del)\b/, `${name}: ${u} → ${html}`);
    }
  }
  if (gfm === undefined) t.diagnostic('cmark-gfm not installed: checked with markdown-it only');
  // the report's own texts read plainly too
  const md = renderKpiReportMarkdown(buildKpiReport([], [], { zone: 'UTC', asOf: 0 }), { title: 'KPIs', inputs: ['cases.csv'], rulesFile: 'tagging.json' });
  assert.doesNotMatch(md, /\\[()!]/, 'no backslash before ( ) !');
  assert.match(md, /\(between \\_ -\)/, 'a lone _ is still escaped');
  assert.match(md, /true_positive/);
});

/**
 * A new user's trial (2026-12-06): ticket summaries doubled every backslash (`C:\\Users\\jdoe\\configuration`), so a
 * path copied from the raw Markdown into a plain-text ticket field was not the path. A backslash is now escaped only
 * before ASCII punctuation or at the end of the text (CommonMark 2.4: elsewhere it is a literal backslash); both
 * renderers show every value unchanged, with no link, emphasis or line break from it.
 */
const PATHS = [
  'C:\\Users\\jdoe\\configuration',
  'C:\\Program Files (x86)\\WinPcap\\Uninstall.exe',
  '\\\\fileserver\\share$\\drop\\a.ps1',
  'C:\\dir\\',
  '\\',
  'C:\\x\\*evil*\\_y_\\[a](b)\\`c`',
  'C:\\a\\\\b',
  'C:\\x\\<script>\\&amp;\\@x',
  'C:\\x\\|y|',
  'C:\\x\\u001b',
];

test('Markdown: a backslash before a letter is written as it is (paths read the same raw and rendered)', (t) => {
  assert.equal(escapeMarkdownCell('C:\\Users\\jdoe\\configuration'), 'C:\\Users\\jdoe\\configuration');
  assert.equal(escapeMarkdownCell('C:\\dir\\'), 'C:\\dir\\\\', 'a trailing backslash is escaped');
  assert.equal(escapeMarkdownCell('C:\\x\\*y'), 'C:\\x\\\\\\*y', 'before punctuation: the backslash and the * both');
  const gfm = cmarkGfm('x\n');
  if (gfm === undefined && process.env.CI) assert.fail('cmark-gfm is not installed (scripts/setup-test-env.sh installs it)');
  const cellText = (html: string) => html.match(/<td>(.*)<\/td>/s)?.[1].replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  for (const u of PATHS) {
    const e = escapeMarkdownCell(u);
    assert.equal(plain(e), u, e);
    const table = `| v |\n| --- |\n| ${e} |\n`;
    assert.equal(cellText(preview.render(table)), u, `markdown-it: ${e}`);
    assert.doesNotMatch(preview.render(table), /<(a|em|strong|br|script)\b/, e);
    if (gfm !== undefined) {
      const html = cmarkGfm(table)!;
      assert.equal(cellText(html), u, `cmark-gfm: ${e} → ${html}`);
      assert.doesNotMatch(html, /<(a|em|strong|br|script)\b/, e);
    } else t.diagnostic('cmark-gfm not installed: markdown-it only');
  }
});
