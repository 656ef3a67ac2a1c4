import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contentSecurityPolicy, dashboardHtml, escapeHtml, makeNonce, messageHtml } from '../../src/extension/panels/html';

const root = resolve(__dirname, '../../..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('webview sources never use HTML-string sinks or eval', () => {
  const files = walk(join(root, 'webview'));
  assert.ok(files.length > 0);
  const forbidden = [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new\s+Function\s*\(/, /setAttribute\(\s*['"]on/i, /createContextualFragment/];
  for (const f of files) {
    const src = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const re of forbidden) assert.ok(!re.test(src), `${f} matches ${re}`);
  }
});

test('chart.js is registered piecemeal (no chart.js/auto)', () => {
  for (const f of walk(join(root, 'webview'))) assert.ok(!/from\s+['"]chart\.js\/auto['"]/.test(readFileSync(f, 'utf8')), f);
});

test('CSP: nonce scripts only, no unsafe-inline/unsafe-eval', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc123');
  assert.equal(csp, "default-src 'none'; script-src 'nonce-abc123'; style-src https://x.vscode-cdn.net; font-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net data:");
  assert.ok(!/unsafe/.test(csp));
});

test('dashboard HTML: fresh nonce, escaped attributes, scripts carry the nonce', () => {
  const a = makeNonce();
  const b = makeNonce();
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z0-9]{16,}$/);
  const html = dashboardHtml({
    cspSource: 'vscode-resource:',
    nonce: a,
    scriptUri: 'https://r/loki.js',
    styleUri: 'https://r/styles.css',
    codiconUri: 'https://r/codicon.css',
    analysisId: 'id"><script>alert(1)</script>',
    title: '<b>t</b>',
  });
  assert.ok(html.includes('data-analysis-id="id&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
  assert.ok(html.includes('<title>&lt;b&gt;t&lt;/b&gt;</title>'));
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0].includes(`nonce="${a}"`));
  assert.ok(html.includes('id="vscode-codicon-stylesheet"'));
  assert.ok(!/ style=|<style/.test(html));
  // what made the analysis (kept by the page for a restored tab): escaped JSON in one attribute
  const withOrigin = dashboardHtml({ cspSource: 'vscode-resource:', nonce: a, scriptUri: 's', styleUri: 's', codiconUri: 'c', analysisId: 'x', title: 't', origin: { command: 'socAnalytics.detectBeacons', paths: ['/ws/"><script>zeek'], title: 'zeek' } });
  assert.ok(withOrigin.includes('data-origin="{&quot;command&quot;:&quot;socAnalytics.detectBeacons&quot;,&quot;paths&quot;:[&quot;/ws/\\&quot;&gt;&lt;script&gt;zeek&quot;],&quot;title&quot;:&quot;zeek&quot;}"'));
  assert.equal((withOrigin.match(/<script\b/g) ?? []).length, 1);
});

test('message HTML has no scripts and escapes text', () => {
  const html = messageHtml('vscode-resource:', 'https://r/styles.css', 'T', '<img src=x onerror=alert(1)>');
  assert.ok(!html.includes('<script'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
});
