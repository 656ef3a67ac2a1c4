import { BIDI_CONTROL_CLASS, INVISIBLE_CLASS, TAG_CHARACTER_SRC, unitEscapes } from '../shared/visible-text';

/** Character classes of bidi controls and invisible characters: defined in src/shared/visible-text.ts (the webview shares them). */
export { BIDI_CONTROL_CLASS, INVISIBLE_CLASS, TAG_CHARACTER_SRC };

/**
 * Makes attacker-controlled text safe for a terminal and visible to the analyst: C0/C1 control characters (ESC, BEL,
 * CSI …), DEL, Unicode bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069, "Trojan Source",
 * CVE-2021-42574) and invisible characters ({@link INVISIBLE_CLASS}: zero-width space/joiners, direction marks, BOM,
 * soft hyphen, Hangul fillers; tag characters, {@link TAG_CHARACTER_SRC}, as the `\uXXXX` of both surrogates) are written as `\uXXXX` escapes, so log content can neither run terminal escape sequences nor reorder
 * what the analyst reads, and nothing in it is there unseen (a tree label, a CLI table, the HTML and Markdown
 * reports use this).
 *
 * The escapes are also valid JSON string escapes, so applying this to JSON output is lossless.
 * @param keepLayout when true, `\n`, `\t` and `\r` are kept (whole reports, progress lines); otherwise they are escaped too (one table cell)
 */
export function terminalSafe(s: string, keepLayout = false): string {
  const re = keepLayout ? UNSAFE_KEEP_LAYOUT : UNSAFE;
  return re.test(s) ? s.replace(keepLayout ? UNSAFE_KEEP_LAYOUT_G : UNSAFE_G, escapeChar) : s;
}

// one character, or the two units of a tag character (TAG_CHARACTER_SRC), as \uXXXX text
const escapeChar = unitEscapes;

const UNSAFE_SRC = `(?:[\\u0000-\\u001f\\u007f-\\u009f${BIDI_CONTROL_CLASS}${INVISIBLE_CLASS}]|${TAG_CHARACTER_SRC})`;
const UNSAFE_KEEP_LAYOUT_SRC = `(?:[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI_CONTROL_CLASS}${INVISIBLE_CLASS}]|${TAG_CHARACTER_SRC})`;
const UNSAFE = new RegExp(UNSAFE_SRC);
const UNSAFE_G = new RegExp(UNSAFE_SRC, 'g');
const UNSAFE_KEEP_LAYOUT = new RegExp(UNSAFE_KEEP_LAYOUT_SRC);
const UNSAFE_KEEP_LAYOUT_G = new RegExp(UNSAFE_KEEP_LAYOUT_SRC, 'g');

const LINE_SEPARATORS_G = /[\u2028\u2029]/g;

/**
 * `s` as exactly one line of a log (the *SOC Analytics* output channel, the log file behind it): {@link terminalSafe}
 * (C0/C1 control characters — LF, CR, TAB, ESC, NEL U+0085 —, DEL, bidi controls and invisible characters written as
 * `\uXXXX`), and the Unicode line and paragraph separators U+2028 and U+2029, which some log viewers and JavaScript
 * readers take for line breaks, written as `\u2028`, `\u2029` too. For values that come from the webview, a file or a
 * server: a value with a line break can no longer add a forged line (`\n2026-… [info] …`), a CR overwrite one.
 * A backslash is left as it is (the escape is for reading, not reversible).
 */
export function oneLogLine(s: string): string {
  const t = terminalSafe(s);
  return t.includes('\u2028') || t.includes('\u2029') ? t.replace(LINE_SEPARATORS_G, escapeChar) : t;
}

const SHOWN = new RegExp(`(?:[${BIDI_CONTROL_CLASS}${INVISIBLE_CLASS}]|${TAG_CHARACTER_SRC})`);
const SHOWN_G = new RegExp(`(?:[${BIDI_CONTROL_CLASS}${INVISIBLE_CLASS}]|${TAG_CHARACTER_SRC})`, 'g');

/**
 * `s` with bidi controls and invisible characters ({@link BIDI_CONTROL_CLASS}, {@link INVISIBLE_CLASS}) written as
 * `\uXXXX` text, everything else (line breaks, tabs, other characters) unchanged: the data is kept, and what would
 * hide or reorder it is seen. The CSV export writes its cells this way. A literal `\u200b` already in the text is
 * left as it is (the escape is not reversible in general; it is for reading).
 */
export function showInvisible(s: string): string {
  return SHOWN.test(s) ? s.replace(SHOWN_G, escapeChar) : s;
}

/** Bidi embeddings, overrides and isolates ({@link BIDI_CONTROL_CLASS}), all of them. */
export const BIDI_CONTROLS_G = new RegExp(`[${BIDI_CONTROL_CLASS}]`, 'g');
// eslint-disable-next-line no-control-regex
const ERROR_CONTROLS_G = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * An error message for a terminal (CLI stderr) whose text may come from a console, a file or a file name: C0/C1
 * control characters (ESC, BEL, CR, TAB …) and DEL become a space, bidi embeddings/overrides/isolates are removed;
 * line breaks are kept (a message of several lines); invisible characters are shown as
 * `\uXXXX` ({@link showInvisible}). A CR can no longer overwrite the line, ESC start a terminal sequence, U+202E
 * reverse the rest of the message.
 */
export function terminalErrorText(s: string): string {
  return showInvisible(s.replace(BIDI_CONTROLS_G, '').replace(ERROR_CONTROLS_G, ' '));
}

/**
 * Cuts `s` to at most `max` characters, the last being `…` when anything was left out (a cut never ends mid-word
 * without a mark). Does not split a UTF-16 surrogate pair.
 */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const c = s.charCodeAt(end - 1);
  if (end > 0 && c >= 0xd800 && c <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${s.slice(0, end)}…`;
}

/**
 * Markdown source that renders as exactly `text`, for a `vscode.MarkdownString` (a Results-tree tooltip) that shows
 * attacker-controlled text: host names, rule names, file paths, offense descriptions, an Ariel query. Every ASCII
 * punctuation character is backslash-escaped (CommonMark: a backslash before any ASCII punctuation makes it a literal
 * character), so nothing in `text` starts a link or image (`[x](command:…)`, `![i](http://…)`), raw HTML
 * (`<img src=x>`, which VS Code drops from a hover without `supportHtml`: the text would vanish), a character
 * reference (`&#60;`), emphasis, code, strikethrough, a heading, list, quote, table or theme icon (`$(alert)`); and
 * the `:` of `https://`, the `.` of `www.` and the `@` of an e-mail address are escaped in the source, where VS
 * Code's Markdown (marked, GFM) looks for autolinks. Leading spaces, tabs and runs of spaces are `&nbsp;` (no
 * indented code block, nothing collapsed); each line break is a paragraph break, as `MarkdownString.appendText`
 * makes it (which escapes only some of these characters: a URL, an address or an HTML tag in its text is still one).
 */
export function markdownText(text: string): string {
  return text
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/^[ \t]+|[ \t]{2,}|\t/gm, (m) => '&nbsp;'.repeat(m.length))
    .replace(/\r\n|\r|\n/g, '\n\n');
}

/** Markdown of plain-text paragraphs, each shown literally ({@link markdownText}), one after the other. */
export function markdownParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.map(markdownText).join('\n\n');
}

/**
 * `s` for a VS Code notification (`window.show…Message`, a progress notification's message): VS Code turns
 * `[label](https://…)`, `[label](command:…)` and `[label](file:…)` in such a message into links, and a
 * command link runs its command, with its arguments, when clicked (vs/base/common/linkedText.ts,
 * `parseLinkedText`: `/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)…\)/gi`). A file name, a
 * log value or a server's error text in a message could carry one. A space between every `]` and a `(`
 * after it leaves no such link and changes nothing else; the message never has links of its own.
 */
export function notificationSafe(s: string): string {
  return s.includes('](') ? s.replace(/\]\(/g, '] (') : s;
}
