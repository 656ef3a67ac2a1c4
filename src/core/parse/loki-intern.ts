/**
 * Keeps one copy of texts that repeat across Loki findings (rule names, reason lists, file types,
 * paths, …) so that hundreds of thousands of findings share them instead of each holding its own
 * string or reason objects. Only memory and time change: every value handed out is equal to the one
 * the caller would have built itself.
 */
import type { LokiReason } from '../model/loki';
import { ASCII_FOLD, foldedUnit, isWindowsPath, isWindowsPathBytes } from './path-case';

/**
 * Longest text a memo looks up or stores; longer texts are simply not shared. V8 hashes a string
 * longer than 16,383 characters by its length only, so distinct long keys of one length share one
 * hash chain and every lookup compares against all of them (hostile logs with distinct
 * 17,000-character REASON tails: 53 MB took 42 s instead of 0.7 s, growing quadratically). Real
 * reason tails, paths and types are far shorter.
 */
export const MAX_MEMO_KEY_CHARS = 4096;

/** Most texts kept per fingerprint (more distinct texts with one fingerprint are not shared). */
const BUCKET = 8;

/**
 * A cheap hash of a text: its length and 16 characters spread over it from the end (where reason
 * tails and paths differ most), as a small integer (a Smi: no allocation as a Map key).
 */
function fingerprint(s: string): number {
  const n = s.length;
  let h = n;
  const step = n >> 4 || 1;
  for (let p = n - 1, c = 0; c < 16 && p >= 0; c++, p -= step) h = (Math.imul(h, 31) + s.charCodeAt(p)) | 0;
  return h & 0x3fffffff;
}

/**
 * The hit-rate switch of the memos and pools here: after every `window` lookups, when fewer than
 * `minHitRate` of all lookups so far found their text, the memo turns itself off for good (unique
 * values such as hashes would only cost memory and lookups there).
 */
class HitRate {
  private lookups = 0;
  private hits = 0;
  /** True once the memo has turned itself off. */
  off = false;

  constructor(
    private readonly window: number,
    private readonly minHitRate: number,
  ) {}

  /** Counts one lookup; returns true when this one turned the memo off (the caller drops its entries). */
  count(hit: boolean): boolean {
    const n = ++this.lookups;
    if (hit) this.hits++;
    if (n % this.window === 0 && this.hits < n * this.minHitRate) {
      this.off = true;
      return true;
    }
    return false;
  }
}

/**
 * A bounded memo `text → value`. It stops storing new entries once it holds `limit` of them, and
 * stops looking up altogether when, after a probe window, fewer than one lookup in `minHitRate`
 * found its text (unique values such as hashes would only cost memory there).
 */
export class TextMemo<V> {
  /**
   * Fingerprint (see {@link fingerprint}) → bucket of up to {@link BUCKET} texts and their values,
   * as `[text, value, text, value, …]`. A `Map<string, V>` hashes every key in full (V8's string
   * hash, ~1 ns per character: most of the lookup cost for 250-character reason tails, which are
   * fresh slices of each message); the fingerprint reads 16 characters and the bucket's texts are
   * compared with `===` (a block compare).
   */
  private readonly map = new Map<number, (string | V)[]>();
  private entries = 0;
  private readonly rate: HitRate;

  /**
   * @param limit maximum stored entries (>= 0).
   * @param window lookups after which the hit rate is checked (and then again every `window` lookups).
   * @param minHitRate the memo turns itself off for good when hits / lookups is below this (0..1).
   */
  constructor(
    private readonly limit = 100_000,
    window = 4096,
    minHitRate = 0.2,
  ) {
    this.rate = new HitRate(window, minHitRate);
  }

  /** The stored value for `key`, or undefined (also when the memo has turned itself off). */
  get(key: string): V | undefined {
    if (this.rate.off || key.length > MAX_MEMO_KEY_CHARS) return undefined;
    const b = this.map.get(fingerprint(key));
    let v: V | undefined;
    if (b !== undefined) {
      for (let i = 0; i < b.length; i += 2) {
        if (b[i] === key) {
          v = b[i + 1] as V;
          break;
        }
      }
    }
    if (this.rate.count(v !== undefined)) {
      this.map.clear();
      this.entries = 0;
    }
    return v;
  }

  /**
   * Stores `value` for `key` (ignored when full, turned off, `key` is longer than
   * {@link MAX_MEMO_KEY_CHARS} or {@link BUCKET} other texts share its fingerprint); returns `value`.
   * A `key` already stored keeps its first value.
   */
  set(key: string, value: V): V {
    if (this.rate.off || this.entries >= this.limit || key.length > MAX_MEMO_KEY_CHARS) return value;
    const h = fingerprint(key);
    const b = this.map.get(h);
    if (b === undefined) this.map.set(h, [key, value]);
    else {
      if (b.length >= 2 * BUCKET) return value;
      for (let i = 0; i < b.length; i += 2) if (b[i] === key) return value;
      b.push(key, value);
    }
    this.entries++;
    return value;
  }

  /** True when {@link set} would store a new entry now (on, and below the limit). */
  get accepts(): boolean {
    return !this.rate.off && this.entries < this.limit;
  }

  /** Number of stored entries (for tests and measurements). */
  get size(): number {
    return this.entries;
  }

  /** False once the memo has turned itself off for a low hit rate. */
  get active(): boolean {
    return !this.rate.off;
  }
}

/**
 * An equal string that does not reference the (larger) string `s` was sliced from: a shared value
 * must not keep one particular finding's whole message alive (V8 sliced strings pin their parent).
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** One string per distinct text; `text(s)` returns an equal string (a private copy of the first one seen). */
export class TextPool {
  private readonly memo: TextMemo<string>;

  /** Same parameters as {@link TextMemo}. */
  constructor(limit?: number, window?: number, minHitRate?: number) {
    this.memo = new TextMemo<string>(limit, window, minHitRate);
  }

  /** The pooled string equal to `s` (pooling a private copy of `s` when it is new, `s` itself when the pool is off or full). */
  text(s: string): string {
    const v = this.memo.get(s);
    if (v !== undefined) return v;
    if (!this.memo.accepts || s.length > MAX_MEMO_KEY_CHARS) return s;
    const own = ownCopy(s);
    return this.memo.set(own, own);
  }

  /** Number of pooled strings. */
  get size(): number {
    return this.memo.size;
  }
}

/**
 * 32-bit FNV-1a hash of a path's UTF-16 code units (an int32), those of a Windows path (drive letter or
 * UNC) folded to upper case as NTFS compares names (`foldedUnit` of ./path-case.ts): equal paths, and
 * spellings of one Windows path in another letter case, have equal hashes; the merge counts files by it
 * without reading the strings again (see analyzeLoki's top files). Other paths (POSIX) are hashed as
 * they are. {@link pathHashBytes} gives the same value for the path's bytes when it is latin1.
 */
export function pathHash(s: string): number {
  let h = 0x811c9dc5 | 0;
  if (isWindowsPath(s)) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h = Math.imul(h ^ (c < 0x80 ? ASCII_FOLD[c] : foldedUnit(c)), 16777619);
    }
    return h;
  }
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** {@link pathHash} of the latin1 (ASCII) text in `b[start, end)`. */
export function pathHashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  if (isWindowsPathBytes(b, start, end)) {
    const fold = ASCII_FOLD;
    for (let i = start; i < end; i++) {
      const c = b[i];
      h = Math.imul(h ^ (c < 0x80 ? fold[c] : foldedUnit(c)), 16777619);
    }
    return h;
  }
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 16777619);
  return h;
}

/**
 * One string per distinct path, looked up by the path's 32-bit FNV-1a hash (`pathHash` /
 * `pathHashBytes` of ./loki-store, which the parser computes for the store anyway) instead of by
 * the string: a columnar file finding's path is looked up straight from the line's bytes, so no
 * slice of the message and no string hash is made for it, and a new path is decoded once from
 * the bytes (one flat string that references nothing else).
 *
 * Open addressing over typed arrays sized once (2 × `limit` slots, a power of two); a lookup visits
 * at most {@link PATH_PROBES} slots and compares the text only where the stored hash is equal, so
 * crafted hash collisions cost at most that many compares per lookup (a path that finds no free
 * slot is simply not pooled). Stops storing at `limit` entries and stops looking up for good when,
 * after each `window` lookups, fewer than `minHitRate` of them found their path (as {@link TextMemo}).
 */
export class PathPool {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly texts: (string | undefined)[];
  private entries = 0;
  private readonly rate: HitRate;

  /**
   * @param limit maximum stored paths (>= 1).
   * @param window lookups after which the hit rate is checked (then every `window` lookups).
   * @param minHitRate the pool turns itself off for good when hits / lookups is below this (0..1).
   */
  constructor(
    private readonly limit = 16_384,
    window = 4096,
    minHitRate = 0.2,
  ) {
    this.rate = new HitRate(window, minHitRate);
    let n = 16;
    while (n < 2 * limit) n *= 2;
    this.mask = n - 1;
    this.hashes = new Int32Array(n);
    this.texts = new Array<string | undefined>(n).fill(undefined);
  }

  /**
   * The pooled path equal to the latin1 (ASCII) text `b[start, end)` whose hash is `hash`
   * (`pathHashBytes(b, start, end)`), else a new string decoded from those bytes (pooled when the
   * pool accepts entries).
   */
  fromBytes(b: Buffer, start: number, end: number, hash: number): string {
    const n = end - start;
    if (!this.rate.off && n <= MAX_MEMO_KEY_CHARS) {
      const mask = this.mask;
      let i = slotOf(hash) & mask;
      let free = -1;
      for (let p = 0; p < PATH_PROBES; p++, i = (i + 1) & mask) {
        const t = this.texts[i];
        if (t === undefined) {
          free = i;
          break;
        }
        if (this.hashes[i] === hash && t.length === n) {
          let k = 0;
          while (k < n && t.charCodeAt(k) === b[start + k]) k++;
          if (k === n) {
            this.count(true);
            return t;
          }
        }
      }
      this.count(false);
      const own = (b as Latin1Buffer).latin1Slice(start, end);
      if (free >= 0 && !this.rate.off && this.entries < this.limit) {
        this.hashes[free] = hash;
        this.texts[free] = own;
        this.entries++;
      }
      return own;
    }
    return (b as Latin1Buffer).latin1Slice(start, end);
  }

  /**
   * The pooled path equal to `s` (hash `hash` = `pathHash(s)`), else `s` itself (`own`: a private
   * copy of it); a new path is pooled as a private copy (see {@link ownCopy}: `s` may be a slice of a
   * message that is dropped).
   */
  text(s: string, hash: number, own = false): string {
    const n = s.length;
    if (this.rate.off || n > MAX_MEMO_KEY_CHARS) return own ? ownCopy(s) : s;
    const mask = this.mask;
    let i = slotOf(hash) & mask;
    let free = -1;
    for (let p = 0; p < PATH_PROBES; p++, i = (i + 1) & mask) {
      const t = this.texts[i];
      if (t === undefined) {
        free = i;
        break;
      }
      if (this.hashes[i] === hash && t === s) {
        this.count(true);
        return t;
      }
    }
    this.count(false);
    if (free >= 0 && !this.rate.off && this.entries < this.limit) {
      const copy = ownCopy(s);
      this.hashes[free] = hash;
      this.texts[free] = copy;
      this.entries++;
      return copy;
    }
    return own ? ownCopy(s) : s;
  }

  private count(hit: boolean): void {
    if (this.rate.count(hit)) {
      this.texts.fill(undefined);
      this.entries = 0;
    }
  }

  /** Number of pooled paths. */
  get size(): number {
    return this.entries;
  }
}

/** Node's Buffer has this fast latin1 decoder (not in its typings): one flat one-byte string. */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** Most slots one {@link PathPool} lookup visits. */
export const PATH_PROBES = 8;

/** Spreads an FNV-1a hash over the table's slots (murmur3's finalizer; FNV's low bits alone cluster). */
function slotOf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * The memos of one analysis run, shared by the parsers of all its files (hand one to
 * `parseLokiFile` / `LokiLineParser`). Values handed out are shared between findings and must be
 * treated as read-only by consumers (nothing in the project mutates a finding's reasons).
 *
 * - `reasonLists`: the `REASON_1: …` tail of a `FILE:` message (text after `REASON_1: `) → its
 *   parsed, exact-size reasons array (parseFileFinding's reason split depends on that tail only).
 * - `tailLater`: a `reasonLists` array → the forged-keys check's answer for its tail.
 * - `reasons`: one reason text → its parsed {@link LokiReason} (parseReason is a pure function).
 * - `fileTypes`, `paths`, `firstBytes`: strings of file findings.
 */
export class LokiIntern {
  readonly reasonLists = new TextMemo<LokiReason[]>(50_000);
  /**
   * A reasons array of `reasonLists` → where its tail has a second total-SCORE key (index in the tail, -1 for none;
   * see laterScoreKeyOfFile in python-messages): a repeated tail is searched once. Only arrays stored in
   * `reasonLists` are added, so it holds at most that memo's 50,000 entries.
   */
  readonly tailLater = new Map<readonly LokiReason[], number>();
  readonly reasons = new TextMemo<LokiReason>(50_000);
  readonly fileTypes = new TextPool(10_000);
  /**
   * Paths: a fleet shares a few (the same tool or false positive on many endpoints), most findings
   * have a path of their own. A small pool keeps the shared ones (seen early and often) and stays
   * cheap to search; 200,000 entries filled it with paths never seen again (8x benchmark with 60 %
   * own paths: 2.45 → 2.15 s, the same memory).
   */
  readonly paths = new PathPool(16_384);
  readonly firstBytes = new TextPool(50_000);
}
