/**
 * A nesting-depth limit for JSON input (exported offense files, QRadar API answers, Ariel count files), which is
 * attacker-controlled. V8's `JSON.parse` reads `[[[[…]]]]` a million levels deep, but every recursive walk of the value
 * afterwards (`JSON.stringify` of a record written to a file, a structured clone to a worker or webview, a deep copy)
 * overflows the stack (`RangeError: Maximum call stack size exceeded`), far from the input and without naming it.
 * Such text is refused up front, with a message that names the limit and where it was passed. Pure; no vscode.
 */

/** Deepest JSON nesting read (arrays and objects): 512 levels. A QRadar offense nests 3. */
export const MAX_JSON_DEPTH = 512;

/**
 * Index in `text` of the `[` or `{` that opens nesting level `max + 1` (the first one), or -1 when `text[start, end)`
 * nests at most `max` levels. Brackets inside JSON strings are skipped (with their `\` escapes). Linear; never throws;
 * any text (also invalid JSON) is accepted.
 */
export function jsonDepthExceeded(text: string, max = MAX_JSON_DEPTH, start = 0, end = text.length): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** JSON nested deeper than the limit: a SyntaxError, so callers that report invalid JSON report it the same way. */
export class JsonDepthError extends SyntaxError {
  constructor(
    /** Index of the bracket that passed the limit. */
    readonly index: number,
    readonly max: number,
  ) {
    super(`JSON nested deeper than ${max} levels (at character ${index + 1})`);
    this.name = 'JsonDepthError';
  }
}

/**
 * `JSON.parse(text)` after the depth check.
 * @throws JsonDepthError when `text` nests deeper than `max` levels; SyntaxError from `JSON.parse` for invalid JSON.
 */
export function parseJsonLimited(text: string, max = MAX_JSON_DEPTH): unknown {
  const at = jsonDepthExceeded(text, max);
  if (at >= 0) throw new JsonDepthError(at, max);
  return JSON.parse(text);
}
