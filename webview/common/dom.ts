/**
 * Safe DOM construction helpers. Log text is attacker-controlled: everything is rendered through
 * createElement/textContent/setAttribute (never innerHTML & co.), and attribute names are checked
 * so that no `on*` handler or `style`/`src`/`href` attribute can be set from data.
 */

import { visibleText } from '../../src/shared/visible-text';

type Child = Node | string | number | null | undefined | false;

const UNSAFE_ATTR = /^(on|style$|src$|srcdoc$|href$|xlink:href$|formaction$|action$)/i;

/** `s` with what would hide or reorder it made visible: see src/shared/visible-text.ts (every text node and tooltip). */
export { visibleText };

/** Attributes whose value is shown to the user (tooltips, screen readers): bidi controls made visible. */
const SHOWN_ATTR = /^(title|aria-label|placeholder|label)$/i;

export function setAttr(el: Element, name: string, value: string | number | boolean | undefined | null): void {
  if (UNSAFE_ATTR.test(name)) throw new Error(`refusing to set attribute ${name}`);
  if (value === undefined || value === null || value === false) el.removeAttribute(name);
  else el.setAttribute(name, value === true ? '' : SHOWN_ATTR.test(name) ? visibleText(String(value)) : String(value));
}

/** Creates an element with attributes (strings only; booleans toggle) and children (text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | number | boolean | undefined | null>,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Record<string, string | number | boolean | undefined | null>, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Record<string, string | number | boolean | undefined | null>, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) setAttr(el, k, v);
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(visibleText(String(c))) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A codicon span (`codicon codicon-<name>`). */
export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): ((...a: A) => void) & { cancel(): void; flush(): void } {
  let t: ReturnType<typeof setTimeout> | undefined;
  let last: A | undefined;
  const d = (...a: A) => {
    last = a;
    if (t !== undefined) clearTimeout(t);
    t = setTimeout(() => {
      t = undefined;
      fn(...(last as A));
    }, ms);
  };
  d.cancel = () => {
    if (t !== undefined) clearTimeout(t);
    t = undefined;
  };
  d.flush = () => {
    if (t !== undefined) {
      clearTimeout(t);
      t = undefined;
      fn(...(last as A));
    }
  };
  return d;
}

/** Reads a CSS custom property from the body (falls back when empty). */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}
