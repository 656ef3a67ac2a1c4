/**
 * Letter case of file paths, for counting findings per file (Top files, the hashes' paths).
 *
 * Windows file systems (NTFS, FAT, SMB shares) ignore letter case: `C:\Windows\System32\x.exe` and
 * `c:\windows\system32\X.EXE` name one file, and Loki prints whatever spelling the walk or the process
 * list gave it. POSIX file systems do not: `/tmp/a` and `/tmp/A` are two files. A path is taken as a
 * Windows path when it starts with a drive letter (`C:\`, `c:/`) or is a UNC path (`\\server\share`,
 * `\\?\C:\…`); every other path (POSIX, relative `.\x`) keeps its case.
 */

/** True when `p` starts with a drive letter and a separator (`C:\`, `d:/`) or two backslashes (UNC, `\\?\`). */
export function isWindowsPath(p: string): boolean {
  const c0 = p.charCodeAt(0);
  if (c0 === 0x5c) return p.charCodeAt(1) === 0x5c;
  const letter = (c0 >= 0x41 && c0 <= 0x5a) || (c0 >= 0x61 && c0 <= 0x7a);
  if (!letter || p.charCodeAt(1) !== 0x3a) return false;
  const c2 = p.charCodeAt(2);
  return c2 === 0x5c || c2 === 0x2f;
}

/** Matches a string of ASCII characters only. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * `p` with every letter in upper case as NTFS compares names (its upcase table maps one UTF-16 code unit to one):
 * two spellings of a Windows path fold to the same text, and the folded text has the length of the path. A code unit
 * whose upper case is longer (`ß`) or crosses between ASCII and non-ASCII (`ı` → `I`, `ſ` → `S`) is kept as it is,
 * and so are the compatibility letters whose *lower* case is ASCII (the Kelvin sign `K` U+212A, which `toLowerCase`
 * makes `k`): a lookalike name is never counted as the real file (`C:\Windows\System32\Kernel32.dll` with a Kelvin
 * sign is another file on NTFS, and stays another row). Pure; never throws.
 */
export function foldCase(p: string): string {
  if (ASCII.test(p)) return p.toUpperCase();
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    const u = ch.toUpperCase();
    out += u.length === 1 && (u.charCodeAt(0) < 0x80) === (ch.charCodeAt(0) < 0x80) ? u : ch;
  }
  return out;
}

/**
 * The key under which a path's findings are counted: {@link foldCase} of a Windows path
 * ({@link isWindowsPath}), any other path as it is. Equal keys, one file.
 */
export function pathGroupKey(p: string): string {
  return isWindowsPath(p) ? foldCase(p) : p;
}

/**
 * True when the paths `a` and `b` name one file: equal, or both Windows paths equal but for letter
 * case ({@link pathGroupKey}). What a click on a Top files row filters by.
 */
export function samePath(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return isWindowsPath(a) && isWindowsPath(b) && foldCase(a) === foldCase(b);
}

/**
 * Spellings of one file (paths with one {@link pathGroupKey}) with their finding counts: the one shown
 * is the most common, the first seen among equals.
 */
export class Spellings {
  /** Spelling → findings, in first-seen order (a Map: a log can hold any number of spellings of a path). */
  private readonly counts = new Map<string, number>();

  /** Counts `n` findings under `spelling`. */
  add(spelling: string, n = 1): void {
    this.counts.set(spelling, (this.counts.get(spelling) ?? 0) + n);
  }

  /** The most common spelling (the first seen among equals); '' when none was added. */
  get shown(): string {
    let best = '';
    let most = 0;
    for (const [s, n] of this.counts) if (n > most) [best, most] = [s, n];
    return best;
  }
}
