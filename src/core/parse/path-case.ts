/**
 * Letter case of file paths, for counting findings per file (Loki *Top files*, the hash view's paths).
 *
 * Windows file systems (NTFS, FAT, SMB shares) ignore letter case: `C:\Windows\System32\x.exe` and
 * `c:\windows\system32\X.EXE` name one file, and Loki prints whatever spelling the walk or the process
 * list gave it. POSIX file systems do not: `/tmp/a` and `/tmp/A` are two files. A path is taken as a
 * Windows path when it starts with a drive letter and a separator (`C:\`, `c:/`) or is a UNC path
 * (`\\server\share`, `\\?\C:\…`); every other path (POSIX, relative `.\x`) keeps its case.
 *
 * Folding is NTFS's: upper case, one UTF-16 code unit for one. A unit whose upper case is longer (`ß`)
 * or crosses between ASCII and non-ASCII (`ı` → `I`, `ſ` → `S`) is kept as it is, and so are the
 * compatibility letters whose *lower* case is ASCII (the Kelvin sign `K` U+212A, upper case already): a
 * lookalike name is never counted as the real file (`Kernel32.dll` with a Kelvin sign is another file on
 * NTFS, and stays another row).
 *
 * The parser hashes a Windows path over its folded units ({@link foldedUnit}; `pathHash` of
 * ./loki-intern.ts), so that every spelling of one file carries one hash and the merge counts them as
 * one file without reading their strings (see ../analyze/path-tally.ts).
 */

/** True when `p` starts with a drive letter and a separator (`C:\`, `d:/`) or two backslashes (UNC, `\\?\`). */
export function isWindowsPath(p: string): boolean {
  const c0 = p.charCodeAt(0);
  if (c0 === 0x5c) return p.charCodeAt(1) === 0x5c;
  if (((c0 | 0x20) - 0x61) >>> 0 >= 26 || p.charCodeAt(1) !== 0x3a) return false;
  const c2 = p.charCodeAt(2);
  return c2 === 0x5c || c2 === 0x2f;
}

/** {@link isWindowsPath} of the latin1 (ASCII) text `b[start, end)`. */
export function isWindowsPathBytes(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 2) return false;
  const c0 = b[start];
  if (c0 === 0x5c) return b[start + 1] === 0x5c;
  if (end - start < 3 || ((c0 | 0x20) - 0x61) >>> 0 >= 26 || b[start + 1] !== 0x3a) return false;
  const c2 = b[start + 2];
  return c2 === 0x5c || c2 === 0x2f;
}

/** ASCII code unit → its folded unit (`a`–`z` → `A`–`Z`, the rest as is). */
export const ASCII_FOLD: Uint8Array = Uint8Array.from({ length: 128 }, (_, c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c));

/** Non-ASCII code unit → its folded unit + 1 (0: not computed yet); made on the first non-ASCII unit folded. */
let wideFold: Uint16Array | undefined;

/** The unit `c` (a UTF-16 code unit) folds to (see the module comment). */
export function foldedUnit(c: number): number {
  if (c < 0x80) return ASCII_FOLD[c];
  const t = (wideFold ??= new Uint16Array(0x10000));
  let f = t[c];
  if (f === 0) {
    const u = String.fromCharCode(c).toUpperCase();
    const uc = u.charCodeAt(0);
    f = (u.length === 1 && uc >= 0x80 ? uc : c) + 1;
    t[c] = f;
  }
  return f - 1;
}

/** Matches a string of ASCII characters only. */
const ASCII = /^[\x00-\x7f]*$/;

/** `p` with every unit folded ({@link foldedUnit}): equal for every spelling of one Windows name, of the length of `p`. Pure. */
export function foldCase(p: string): string {
  if (ASCII.test(p)) return p.toUpperCase();
  let out = '';
  for (let i = 0; i < p.length; i++) out += String.fromCharCode(foldedUnit(p.charCodeAt(i)));
  return out;
}

/** The key under which a path's findings are counted: {@link foldCase} of a Windows path, any other path as it is. Equal keys, one file. */
export function pathGroupKey(p: string): string {
  return isWindowsPath(p) ? foldCase(p) : p;
}

/**
 * True when the paths `a` and `b` name one file: equal, or both Windows paths equal but for letter
 * case ({@link pathGroupKey}). Compares unit by unit (no string is made). What Top files counts as
 * one file, and what a click on its row filters by.
 */
export function samePath(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length || !isWindowsPath(a) || !isWindowsPath(b)) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && foldedUnit(x) !== foldedUnit(y)) return false;
  }
  return true;
}

/**
 * Spellings of one file (paths with one {@link pathGroupKey}) with their finding counts: the one shown
 * is the most common, the first seen among equals.
 */
export class Spellings {
  /** Spelling → findings, in first-seen order. */
  private readonly counts = new Map<string, number>();
  /** Findings of every spelling. */
  total = 0;

  /** Counts `n` findings under `spelling`. */
  add(spelling: string, n = 1): void {
    this.counts.set(spelling, (this.counts.get(spelling) ?? 0) + n);
    this.total += n;
  }

  /** The most common spelling (the first seen among equals); '' when none was added. */
  get shown(): string {
    let best = '';
    let most = 0;
    for (const [s, n] of this.counts) if (n > most) [best, most] = [s, n];
    return best;
  }
}

/**
 * Findings per file, a Windows path in any letter case being one file: each file counted under
 * {@link pathGroupKey}, listed under its most common spelling. For small sets of findings (the hash
 * view's listed hashes); Top files counts by the parser's folded path hash instead.
 */
export class FileCounts {
  private readonly files = new Map<string, Spellings>();

  /** Counts a finding under path `p`. */
  add(p: string): void {
    const k = pathGroupKey(p);
    let s = this.files.get(k);
    if (s === undefined) this.files.set(k, (s = new Spellings()));
    s.add(p);
  }

  /** Distinct files. */
  get size(): number {
    return this.files.size;
  }

  /** At most `max` files, most findings first (then first seen), each as its most common spelling. */
  top(max: number): string[] {
    const all = [...this.files.values()];
    if (all.length > 1) all.sort((a, b) => b.total - a.total); // stable: first seen among equals
    return all.slice(0, max).map((s) => s.shown);
  }
}
