/**
 * Makes attacker-controlled text safe for a terminal: C0/C1 control characters (ESC, BEL, CSI …),
 * DEL and Unicode bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069, "Trojan Source",
 * CVE-2021-42574) are written as `\uXXXX` escapes, so log content can neither run terminal escape
 * sequences nor reorder what the analyst reads.
 *
 * The escapes are also valid JSON string escapes, so applying this to JSON output is lossless.
 * @param keepLayout when true, `\n`, `\t` and `\r` are kept (whole reports, progress lines); otherwise they are escaped too (one table cell)
 */
export function terminalSafe(s: string, keepLayout = false): string {
  const re = keepLayout ? UNSAFE_KEEP_LAYOUT : UNSAFE;
  return re.test(s) ? s.replace(keepLayout ? UNSAFE_KEEP_LAYOUT_G : UNSAFE_G, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : s;
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_G = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_LAYOUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_KEEP_LAYOUT_G = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

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
