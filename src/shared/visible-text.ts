/**
 * Characters that change how a text reads without being seen, shared by the CLI and report writers
 * (src/core/text-safe.ts) and the dashboard webview (webview/common/dom.ts): the webview shows log text through
 * {@link visibleText}. Pure: no DOM, no vscode, no Node.
 */

/**
 * Unicode bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the text
 * after them ("Trojan Source", CVE-2021-42574). Character-class source, for building regular expressions.
 */
export const BIDI_CONTROL_CLASS = '\\u202a-\\u202e\\u2066-\\u2069';

/**
 * Characters that render as nothing (or nearly) but change what a text is: zero-width space, non-joiner and joiner
 * (U+200B–U+200D), the direction marks LRM, RLM and ALM (U+200E, U+200F, U+061C), word joiner and invisible operators
 * (U+2060–U+2064), deprecated format characters (U+206A–U+206F), the zero-width no-break space / BOM (U+FEFF), the
 * soft hyphen (U+00AD), the Mongolian vowel separator (U+180E), the combining grapheme joiner (U+034F), the Khmer
 * inherent vowels (U+17B4, U+17B5) and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0: drawn as a blank, the
 * "invisible identifier" of Trojan Source), and the line and paragraph separators U+2028 and U+2029 (a terminal and a
 * table cell draw them as nothing or a blank, some viewers and JavaScript readers as a line break: a host
 * `DC01\u2028` looked like `DC01`, and a value could seem to end a line it does not). A rule name `Mal\u200bware` or a
 * host name with a ZWSP looks like another; an analyst must see them. Character-class source (UTF-16 code units; see
 * {@link TAG_CHARACTER_SRC} for the invisible characters beyond U+FFFF).
 */
export const INVISIBLE_CLASS = '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u2028\\u2029\\u2060-\\u2064\\u206a-\\u206f\\u3164\\ufeff\\uffa0';

/**
 * A Unicode tag character (U+E0000–U+E007F: drawn as nothing, they can spell a hidden text after a visible one,
 * "ASCII smuggling") as its UTF-16 surrogate pair: regular-expression source for an expression without the `u` flag,
 * to put beside a character class (`(?:[…]|${TAG_CHARACTER_SRC})`). A lone surrogate is not matched.
 */
export const TAG_CHARACTER_SRC = '\\udb40[\\udc00-\\udc7f]';

/** `\uXXXX` text for each UTF-16 code unit of `m` (one character, or the two units of a surrogate pair). */
export function unitEscapes(m: string): string {
  let out = '';
  for (let i = 0; i < m.length; i++) out += `\\u${m.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

// C0 controls but TAB, LF and CR (kept: a message in the detail pane keeps its lines), DEL, the C1 controls, bidi
// controls and invisible characters
const UNSEEN_SRC = `(?:[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI_CONTROL_CLASS}${INVISIBLE_CLASS}]|${TAG_CHARACTER_SRC})`;
const UNSEEN = new RegExp(UNSEEN_SRC);
const UNSEEN_G = new RegExp(UNSEEN_SRC, 'g');

/**
 * `s` with what would reorder it or be there unseen written as visible `\u202e` text, as the CLI and the reports write
 * it (src/core/text-safe.ts `terminalSafe(s, true)`): bidi controls ({@link BIDI_CONTROL_CLASS}: `file\u202etxt.exe`
 * showed as `fileexe.txt`, "Trojan Source"), invisible characters ({@link INVISIBLE_CLASS}, {@link TAG_CHARACTER_SRC}: a host `DC01` with a
 * zero-width space was a second row that looked the same), C0 controls other than TAB, LF and CR, DEL and the C1
 * controls. Line breaks and tabs are kept. Every text node and tooltip the dashboard creates goes through it.
 */
export function visibleText(s: string): string {
  return UNSEEN.test(s) ? s.replace(UNSEEN_G, unitEscapes) : s;
}
