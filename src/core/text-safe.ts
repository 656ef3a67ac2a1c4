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
