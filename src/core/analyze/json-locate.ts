/**
 * A small JSON scanner for configuration files (the tagging rules): finds the line and column of
 * the first syntax error (V8's `JSON.parse` message has no position for some errors and quotes the
 * whole document in others), and the line of each element of a top-level array property (so a
 * problem with rule 3 can point at its line). Pure; never throws; no recursion limit problems
 * (nesting deeper than {@link MAX_DEPTH} is reported as an error).
 */

/** A position in a text: 0-based UTF-16 offset, 1-based line and column (UTF-16 code units, as VS Code counts). */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export interface JsonScan {
  /** The first syntax error, undefined when the text is valid JSON. */
  error?: TextPosition & { message: string };
  /** Top-level object key → positions of the elements of its array value (only for the keys asked for). */
  items: Map<string, TextPosition[]>;
  /** Top-level object key → position of the key. */
  keys: Map<string, TextPosition>;
}

const MAX_DEPTH = 512;

/** Line and column (1-based) of a 0-based offset in `text`. */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: end - lineStart + 1 };
}

class Fail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Scans `text` as JSON. `arrayKeys`: top-level keys whose array elements' positions are wanted.
 * Error messages name what was expected and what was found (`expected ',' or '}' after a property
 * value, found '"'`), and an extra closing bracket after the document says so.
 */
export function scanJson(text: string, arrayKeys: string[] = []): JsonScan {
  const items = new Map<string, TextPosition[]>();
  const keys = new Map<string, TextPosition>();
  let i = 0;
  const n = text.length;
  const found = (at: number) => {
    if (at >= n) return 'the end of the file';
    const c = text[at];
    if (c === '\n' || c === '\r') return 'a line break';
    const cp = text.codePointAt(at)!;
    return cp < 0x20 ? `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCodePoint(cp)}'`;
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const str = () => {
    // at '"'
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) throw new Fail(i, `${found(i)} inside a string (a missing closing quote?)`);
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, 'invalid \\u escape in a string (4 hex digits expected)');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Fail(i, `invalid escape \\${e ?? ''} in a string (write a backslash as \\\\)`);
        continue;
      }
      i++;
    }
    throw new Fail(n, 'the end of the file inside a string (a missing closing quote?)');
  };
  const value = (depth: number, what: string): void => {
    if (depth > MAX_DEPTH) throw new Fail(i, `nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Fail(i, `expected a property name in double quotes, found ${found(i)}${text[i] === '}' ? ' (a comma before it?)' : ''}`);
        const kStart = i;
        str();
        const key = depth === 0 ? safeKey(text.slice(kStart, i)) : undefined;
        if (key !== undefined && !keys.has(key)) keys.set(key, positionOf(text, kStart));
        ws();
        if (text[i] !== ':') throw new Fail(i, `expected ':' after a property name, found ${found(i)}`);
        i++;
        ws();
        if (key !== undefined && arrayKeys.includes(key) && text[i] === '[' && !items.has(key)) {
          const list: TextPosition[] = [];
          items.set(key, list);
          array(depth + 1, (at) => list.push(positionOf(text, at)));
        } else value(depth + 1, 'a value');
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Fail(i, `expected ',' or '}' after a property value, found ${found(i)}`);
      }
    }
    if (c === '[') return array(depth, undefined);
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (lit && lit[0].length > 0) {
      i += lit[0].length;
      return;
    }
    throw new Fail(i, `expected ${what}, found ${found(i)}${c === "'" ? ' (strings need double quotes)' : c === ']' || c === '}' ? ' (a trailing comma?)' : ''}`);
  };
  const array = (depth: number, onItem: ((offset: number) => void) | undefined): void => {
    // at '['
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      ws();
      onItem?.(i);
      value(depth + 1, 'a value');
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      throw new Fail(i, `expected ',' or ']' after an array element, found ${found(i)}`);
    }
  };
  try {
    ws();
    if (i >= n) throw new Fail(i, 'the file is empty (expected a JSON object)');
    value(0, 'a JSON value');
    ws();
    if (i < n) {
      const c = text[i];
      throw new Fail(i, `unexpected ${found(i)} after the end of the JSON document${c === '}' || c === ']' ? ' (an extra closing bracket?)' : ''}`);
    }
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { error: { ...positionOf(text, e.offset), message: e.message }, items, keys };
  }
  return { items, keys };
}

function safeKey(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}
