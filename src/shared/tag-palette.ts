/**
 * Tag colours that stay readable: one fixed palette checked for contrast on the editor backgrounds, and the check
 * itself for the theme colours the dashboard uses first. Pure (no DOM, no vscode): shared by the webview charts
 * (webview/common/charts.ts), the HTML report (src/core/analyze/tag-colors.ts) and the unit tests.
 *
 * Contrast ratio as WCAG 2.x defines it (relative luminance of sRGB, (L1 + 0.05) / (L2 + 0.05)); 3:1 is WCAG's
 * minimum for graphical objects (SC 1.4.11, non-text contrast), which bars, legend swatches and tag chips are.
 * A new-user trial found `MaliciousIP` dark brown on the dark theme: the theme's `charts.orange` has an alpha
 * channel (its default is the minimap's find-match colour, half transparent), and painted on #1e1e1e it was #623315,
 * under 2:1.
 */

/** WCAG's least contrast for graphical objects (SC 1.4.11): every tag colour against the background. */
export const MIN_TAG_CONTRAST = 3;

/** Editor backgrounds the fixed palette is checked against: Dark+ (#1e1e1e), Dark Modern (#1f1f1f), Light+ / Light Modern (#ffffff). */
export const CHECKED_BACKGROUNDS = ['#1e1e1e', '#1f1f1f', '#ffffff'] as const;

/**
 * The tag colour of each slot (core/analyze/tag-colors): blue, purple, orange, yellow, green, red (the hues of VS
 * Code's chart colours, in the webview's order), teal, pink, lime, violet, brown. Each has a contrast of at least
 * {@link MIN_TAG_CONTRAST} against every one of {@link CHECKED_BACKGROUNDS} (test/unit/tag-contrast.test.ts), so it
 * reads on the dark and on the light theme, and on the report's white page.
 */
export const TAG_PALETTE = ['#1a85ff', '#8250df', '#d97706', '#bf8803', '#2f9e44', '#e51400', '#0f9488', '#db2777', '#65a30d', '#8b5cf6', '#b07d48'] as const;

/** Colour of the neutral slot (the default tag `Other`, `(not tagged)`): a grey of at least 3:1 on the same backgrounds. */
export const TAG_NEUTRAL = '#8c959f';

/** An sRGB colour with alpha 0..1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/**
 * Reads a CSS colour as computed styles give it: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(r, g, b)`,
 * `rgba(r, g, b, a)` (also space-separated with `/ a`). Undefined for anything else (named colours, `transparent`,
 * `color-mix(…)`).
 */
export function parseColor(css: string): Rgba | undefined {
  const s = css.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s);
  if (m) {
    let h = m[1];
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(s);
  if (m) {
    const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
    const v = [Number(m[1]), Number(m[2]), Number(m[3]), a];
    if (v.some((x) => !Number.isFinite(x))) return undefined;
    return { r: Math.min(255, v[0]), g: Math.min(255, v[1]), b: Math.min(255, v[2]), a: Math.max(0, Math.min(1, a)) };
  }
  return undefined;
}

/** `#rrggbb` of a colour, its alpha dropped. */
export function hexOf(c: Rgba): string {
  return `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.x relative luminance (0 black … 1 white) of an opaque sRGB colour. */
export function relativeLuminance(c: Rgba): number {
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG 2.x contrast ratio (1 … 21) of two colours (CSS text, alpha ignored); NaN when one is not readable by {@link parseColor}. */
export function contrastRatio(a: string, b: string): number {
  const x = parseColor(a);
  const y = parseColor(b);
  if (!x || !y) return NaN;
  const la = relativeLuminance(x);
  const lb = relativeLuminance(y);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The colour to paint a tag in on `background`: the theme colour `themed` (a `--vscode-charts-*` value) made
 * opaque — a theme colour with an alpha channel is painted as its own hue, not darkened into the background — when
 * it then has at least {@link MIN_TAG_CONTRAST} against `background`; else `fallback` (the slot's {@link TAG_PALETTE}
 * colour). An unreadable `themed` or `background` gives `fallback` / the opaque theme colour.
 */
export function readableTagColor(themed: string | undefined, background: string, fallback: string): string {
  const c = themed ? parseColor(themed) : undefined;
  if (!c) return fallback;
  const opaque = hexOf(c);
  const ratio = contrastRatio(opaque, background);
  return Number.isNaN(ratio) || ratio >= MIN_TAG_CONTRAST ? opaque : fallback;
}
