/**
 * HTML of the dashboard webview (pure: no `vscode` import, unit-testable).
 * Strict CSP: scripts only with the per-load nonce, styles/fonts/images only from the webview's
 * resource origin (`cspSource`). No 'unsafe-inline', no 'unsafe-eval'.
 */
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 24) || 'n0nce';
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`, `img-src ${cspSource} data:`].join('; ');
}

export interface DashboardHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  analysisId: string;
  title: string;
  /** What made the analysis (JSON in `data-origin`; the page keeps it in its state for a restored tab). */
  origin?: unknown;
}

export function dashboardHtml(o: DashboardHtmlOptions): string {
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${e(o.codiconUri)}">
<link rel="stylesheet" href="${e(o.styleUri)}">
<title>${e(o.title)}</title>
</head>
<body data-analysis-id="${e(o.analysisId)}"${o.origin ? ` data-origin="${e(JSON.stringify(o.origin))}"` : ''}>
<div id="app"></div>
<script nonce="${e(o.nonce)}" src="${e(o.scriptUri)}"></script>
</body>
</html>`;
}

/** A static page with a message (no scripts), e.g. when a restored panel's analysis is gone. */
export function messageHtml(cspSource: string, styleUri: string, title: string, message: string): string {
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${e(cspSource)};">
<link rel="stylesheet" href="${e(styleUri)}">
<title>${e(title)}</title>
</head>
<body>
<div id="app"><div class="boot">${e(message)}</div></div>
</body>
</html>`;
}
