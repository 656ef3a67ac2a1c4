/**
 * Cutting a label that holds a hash (a YARA rule named after a sample's MD5, SHA1 or SHA256, a file
 * named by its hash) to fit a chart axis: inside the hash, keeping the hash's first and last
 * characters and the whole name around it. Analysts tell hashes apart by their start and end
 * (`2133a0f6…c8a733`), so two hash-named rules stay apart and each can be matched to its hash; a
 * cut that keeps the name's start and a few characters of its end (`SUSP_Hash_…8a733`) loses the
 * hash's start. Pure: the caller measures (canvas `measureText` in the webview, any width function
 * in a test). No DOM, no vscode.
 */

/** A hash: a run of at least 32 hex digits (MD5 32, SHA1 40, SHA256 64) not inside a longer word. */
const HASH_RUN = /(?<![0-9A-Za-z])[0-9A-Fa-f]{32,}(?![0-9A-Za-z])/g;

/** Hex digits kept at each end of the hash at least; with less room the caller cuts as it would any label. */
export const HASH_END_MIN = 4;

/**
 * `label` cut inside its longest hash to fit `maxPx` (as measured by `width`, in the same unit):
 * the text before the hash, the hash's first characters, `…`, its last characters and the text
 * after it, the start and end of the hash getting the room in turns (the start one more when odd).
 * Returns `label` itself when it fits, and `undefined` when it holds no hash (32+ hex digits
 * standing alone or between separators such as `_`) or when the text around the hash leaves no room
 * for {@link HASH_END_MIN} digits at each end of it (the caller then cuts the label its usual way).
 * Example (about 7 px a character, 130 px): `SUSP_Hash_2133a0f6…c8a733` → `SUSP_Hash_2133a…8a733`.
 */
export function cutHashLabel(label: string, maxPx: number, width: (text: string) => number): string | undefined {
  if (width(label) <= maxPx) return label;
  let best: RegExpExecArray | undefined;
  HASH_RUN.lastIndex = 0;
  for (let m = HASH_RUN.exec(label); m; m = HASH_RUN.exec(label)) if (!best || m[0].length > best[0].length) best = m;
  if (!best) return undefined;
  const hash = best[0];
  const before = label.slice(0, best.index);
  const after = label.slice(best.index + hash.length);
  const shown = (head: number, tail: number) => `${before}${hash.slice(0, head)}…${hash.slice(hash.length - tail)}${after}`;
  if (width(shown(HASH_END_MIN, HASH_END_MIN)) > maxPx) return undefined;
  let head = HASH_END_MIN;
  let tail = HASH_END_MIN;
  // one more digit at a time, start first, while it fits and leaves at least one digit out (the "…")
  for (;;) {
    const nextHead = head <= tail;
    const h = nextHead ? head + 1 : head;
    const t = nextHead ? tail : tail + 1;
    if (h + t >= hash.length || width(shown(h, t)) > maxPx) {
      // the other end may still take one
      const h2 = nextHead ? head : head + 1;
      const t2 = nextHead ? tail + 1 : tail;
      if (h2 + t2 < hash.length && width(shown(h2, t2)) <= maxPx) {
        head = h2;
        tail = t2;
      }
      break;
    }
    head = h;
    tail = t;
  }
  return shown(head, tail);
}
