/**
 * Positions in a JSON configuration file (the tagging rules), read with Microsoft's `jsonc-parser`
 * (the parser VS Code uses for its own settings files) in strict JSON mode: the line and column of
 * the first syntax error (V8's `JSON.parse` message has no position for some errors and quotes the
 * whole document in others), the line of each element of a top-level array property (so a
 * problem with rule 3 can point at its line), and the key of a property inside them (so a problem
 * with rule 3's `"type"` can point at that key: {@link jsonLocator}). Pure; never throws.
 */
import { parseTree, ParseErrorCode, visit, type JSONPath, type Node, type ParseError, type ParseOptions } from 'jsonc-parser';

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
  /** Top-level object key → position of the key (the last one of a repeated key, the one `JSON.parse` keeps; also for `items`). */
  keys: Map<string, TextPosition>;
}

/** Strict JSON: no comments, no trailing commas, no empty document. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Line and column (1-based) of a 0-based offset in `text`; lines end at LF, CRLF or a lone CR (as in VS Code). */
export function positionOf(text: string, offset: number): TextPosition {
  return locator(text)(offset);
}

/**
 * {@link positionOf} for many offsets of one text: the line starts are found once (on the first
 * call), each position is then a binary search (a rules file with 40,000 rules was scanned from its
 * start once per rule).
 */
function locator(text: string): (offset: number) => TextPosition {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
    }
    const end = Math.min(offset, text.length);
    // the last line start at or before `end`
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= end) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: end - starts[lo] + 1 };
  };
}

/** What is at `at`, for messages: `'}'`, `a line break`, `the end of the file`, `control character U+0001`. */
function foundAt(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  const c = text[at];
  if (c === '\n' || c === '\r') return 'a line break';
  const cp = text.codePointAt(at)!;
  const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp < 0x20) return `control character ${u}`;
  // not printed: invisible, or able to reorder / disturb the message where it is shown (VS Code notification, terminal)
  return INVISIBLE.test(String.fromCodePoint(cp)) ? `character ${u}` : `'${String.fromCodePoint(cp)}'`;
}

/** DEL, C1 controls, spaces other than U+0020, zero-width and bidirectional formatting characters, line/paragraph separators, BOM, noncharacters, lone surrogates. */
const INVISIBLE = /^(?:[\u007f-\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff0-\uffff]|[\ud800-\udfff]$)/;

/**
 * The first problem inside the string token starting (at its opening quote) at `start`: a control
 * character, an invalid escape or `\\u` escape, at its own offset. jsonc-parser reports these at the
 * string's start (and keeps the last one of the string). Undefined when the string is not closed on
 * its line (reported at its start) or no problem is found.
 */
function stringProblem(text: string, start: number): { at: number; message: string } | undefined {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13) return undefined;
    if (c === 92) {
      const e = text.codePointAt(i + 1);
      if (e === undefined) return undefined;
      if (e === 117 /* u */) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { at: i, message: 'invalid \\u escape in a string (4 hex digits expected)' };
        i += 5;
        continue;
      }
      if ('"\\/bfnrt'.includes(String.fromCodePoint(e))) {
        i++;
        continue;
      }
      const next = foundAt(text, i + 1);
      const shown = next.startsWith("'") ? `\\${String.fromCodePoint(e)}` : `\\ before ${next}`;
      return { at: i, message: `invalid escape ${shown} in a string (write a backslash as \\\\)` };
    }
    if (c < 0x20) return { at: i, message: `${foundAt(text, i)} inside a string (a missing closing quote, or a character to escape?)` };
  }
  return undefined;
}

/** The last character before `offset` that is not white space ('' at the start). */
function before(text: string, offset: number): string {
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) if (!/\s/.test(text[i])) return text[i];
  return '';
}

/**
 * The likely cause of a closing `}` / `]` found where a value is expected (after `prev`, in the
 * container `inside`): a comma before the container's own closer is a trailing comma; a closer of
 * the other kind (a `}` in an array, a `]` in an object) closes nothing open there, so it is an
 * extra one — or, after a comma, the value after that comma is missing.
 */
function closerHint(c: string, prev: string, inside: 'object' | 'array' | undefined): string {
  const own = inside === 'array' ? ']' : inside === 'object' ? '}' : undefined;
  if (prev === ':') return ' (a value missing after the colon?)';
  if (c === own) return prev === ',' ? ' (a trailing comma before it?)' : '';
  return prev === ',' ? ` (an extra '${c}', or a value missing after the comma before it?)` : ` (an extra '${c}'?)`;
}

/** A reader's message for a jsonc-parser error code at `offset` (`inside`: the innermost container there). */
function messageOf(code: ParseErrorCode, text: string, offset: number, length: number, inside: 'object' | 'array' | undefined): string {
  const found = foundAt(text, offset);
  const c = text[offset];
  const closer = c === '}' || c === ']';
  switch (code) {
    case ParseErrorCode.PropertyNameExpected:
      // `{"a": 1, }`: a trailing comma, or (`{"a": {"b": 1}, }, …`) an extra closing brace after it
      return `expected a property name in double quotes, found ${found}${c === '}' ? (before(text, offset) === ',' ? ` (a trailing comma before it, or an extra '}'?)` : '') : c === ']' ? ` (an extra ']'?)` : c === "'" ? ' (strings need double quotes)' : ''}`;
    case ParseErrorCode.ValueExpected:
      if (offset >= text.length && text.trim() === '') return 'the file is empty (expected a JSON object)';
      return `expected a value, found ${found}${closer ? closerHint(c, before(text, offset), inside) : c === "'" ? ' (strings need double quotes)' : ''}`;
    case ParseErrorCode.ColonExpected:
      return `expected ':' after a property name, found ${found}`;
    case ParseErrorCode.CommaExpected:
      // a closer of the other kind right after an element or value (`[{…} }`): an extra one
      return inside === 'array'
        ? `expected ',' or ']' after an array element, found ${found}${c === '}' ? " (an extra '}'?)" : ''}`
        : `expected ',' or '}' after a property value, found ${found}${c === ']' ? " (an extra ']'?)" : ''}`;
    case ParseErrorCode.CloseBraceExpected:
      return `expected ',' or '}' to close an object, found ${found}`;
    case ParseErrorCode.CloseBracketExpected:
      return `expected ',' or ']' to close an array, found ${found}`;
    case ParseErrorCode.EndOfFileExpected:
      return `unexpected ${found} after the end of the JSON document${c === '}' || c === ']' ? ' (an extra closing bracket?)' : ''}`;
    case ParseErrorCode.InvalidCommentToken:
    case ParseErrorCode.UnexpectedEndOfComment:
      return 'comments are not allowed in JSON';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'a string is not closed on its line (a missing closing quote?)';
    case ParseErrorCode.InvalidUnicode:
      return 'invalid \\u escape in a string (4 hex digits expected)';
    case ParseErrorCode.InvalidEscapeCharacter:
      return `invalid escape ${text.slice(offset, offset + Math.max(2, Math.min(length, 6)))} in a string (write a backslash as \\\\)`;
    case ParseErrorCode.InvalidCharacter:
      return `${found} inside a string (a missing closing quote, or a character to escape?)`;
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber:
      return `invalid number at ${found}`;
    default: // InvalidSymbol: a character that starts no JSON token
      return `unexpected ${found}${c === "'" ? ' (strings need double quotes)' : ''}`;
  }
}

/**
 * Scans `text` as strict JSON. `arrayKeys`: top-level keys whose array elements' positions are
 * wanted. Error messages name what was expected and what was found (`expected ',' or '}' after a
 * property value, found '"'`); a misplaced `}` / `]` gets its likely cause — a trailing comma before
 * the container's own closer, an extra `}` or `]` where it closes nothing (or a value missing after
 * the comma before it), an extra closing bracket after the document. A document
 * nested too deeply to walk (the parser recurses) gives no positions, and an error only if one came
 * before the depth that stopped the walk.
 */
export function scanJson(text: string, arrayKeys: string[] = []): JsonScan {
  const items = new Map<string, TextPosition[]>();
  const keys = new Map<string, TextPosition>();
  let error: JsonScan['error'];
  const open: ('object' | 'array')[] = [];
  const at = locator(text);
  try {
    visit(
      text,
      {
        onObjectBegin: () => void open.push('object'),
        onObjectEnd: () => void open.pop(),
        onArrayBegin: () => void open.push('array'),
        onArrayEnd: () => void open.pop(),
        onError: (code, offset, length) => {
          if (error) return;
          const inString =
            code === ParseErrorCode.InvalidCharacter || code === ParseErrorCode.InvalidEscapeCharacter || code === ParseErrorCode.InvalidUnicode ? stringProblem(text, offset) : undefined;
          error = inString
            ? { ...at(inString.at), message: inString.message }
            : { ...at(offset), message: messageOf(code, text, offset, length, open[open.length - 1]) };
        },
      },
      STRICT,
    );
    if (error) return { error, items, keys };
    const root: Node | undefined = parseTree(text, [], STRICT);
    if (root?.type === 'object') {
      // A repeated key: the last one counts, as for JSON.parse (jsonc-parser's findNodeAtLocation takes the first).
      const values = new Map<string, Node | undefined>();
      for (const prop of root.children ?? []) {
        const key = prop.children?.[0];
        if (key && typeof key.value === 'string') {
          keys.set(key.value, at(key.offset));
          values.set(key.value, prop.children?.[1]);
        }
      }
      for (const k of arrayKeys) {
        const arr = values.get(k);
        if (arr?.type === 'array') items.set(k, (arr.children ?? []).map((c) => at(c.offset)));
      }
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // Too deep for the recursive parser (V8's own JSON.parse reads such documents): what was found before.
    return { error, items: new Map(), keys: new Map() };
  }
  return { items, keys };
}

/**
 * The node at `path` (object keys, array indexes), taking the last of a repeated key at every level
 * as `JSON.parse` does (jsonc-parser's `findNodeAtLocation` takes the first). `keys`: each object node
 * searched so far → its key → value node (the last of a repeated key), made once per object: a lookup
 * is then one step per path segment. Scanning the object's properties on every lookup made a rules
 * file with 16,000 other top-level keys and 16,000 rules take 4.6 s (one scan of the root per rule), a
 * 16 MB one hours.
 */
function findLast(root: Node, path: JSONPath, keys: WeakMap<Node, Map<string, Node | undefined>>): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'string') {
      if (node.type !== 'object') return undefined;
      let byKey = keys.get(node);
      if (!byKey) {
        byKey = new Map();
        for (const prop of node.children ?? []) {
          const k = prop.children?.[0]?.value;
          if (typeof k === 'string') byKey.set(k, prop.children?.[1]);
        }
        keys.set(node, byKey);
      }
      node = byKey.get(seg);
    } else {
      node = node.type === 'array' ? node.children?.[seg] : undefined;
    }
  }
  return node;
}

/**
 * A locator of properties in a valid JSON `text` (parsed once): `(['rules', 1, 'type'])` → the
 * position of that property's key (`"type"`); a path ending in an array index → that element.
 * Undefined when the path does not exist, the text is not valid JSON, or it is nested too deeply to
 * walk. Never throws.
 */
export function jsonLocator(text: string): (path: JSONPath) => TextPosition | undefined {
  let root: Node | undefined;
  try {
    const errors: ParseError[] = [];
    root = parseTree(text, errors, STRICT);
    if (errors.length) root = undefined;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const position = locator(text); // line starts found once for every lookup (one per invalid rule key)
  const keys = new WeakMap<Node, Map<string, Node | undefined>>(); // each object's keys, indexed once (findLast)
  return (path) => {
    if (!root) return undefined;
    const node = findLast(root, path, keys);
    if (!node) return undefined;
    // a property value's parent is the property, which starts at its key
    return position(node.parent?.type === 'property' ? node.parent.offset : node.offset);
  };
}
