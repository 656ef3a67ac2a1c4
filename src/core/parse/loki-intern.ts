/**
 * Keeps one copy of texts that repeat across Loki findings (rule names, reason lists, file types,
 * paths, …) so that hundreds of thousands of findings share them instead of each holding its own
 * string or reason objects. Only memory and time change: every value handed out is equal to the one
 * the caller would have built itself.
 */
import type { LokiReason } from '../model/loki';

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
  private lookups = 0;
  private hits = 0;
  private off = false;

  /**
   * @param limit maximum stored entries (>= 0).
   * @param window lookups after which the hit rate is checked (and then again every `window` lookups).
   * @param minHitRate the memo turns itself off for good when hits / lookups is below this (0..1).
   */
  constructor(
    private readonly limit = 100_000,
    private readonly window = 4096,
    private readonly minHitRate = 0.2,
  ) {}

  /** The stored value for `key`, or undefined (also when the memo has turned itself off). */
  get(key: string): V | undefined {
    if (this.off || key.length > MAX_MEMO_KEY_CHARS) return undefined;
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
    const n = ++this.lookups;
    if (v !== undefined) this.hits++;
    if (n % this.window === 0 && this.hits < n * this.minHitRate) {
      this.off = true;
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
    if (this.off || this.entries >= this.limit || key.length > MAX_MEMO_KEY_CHARS) return value;
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
    return !this.off && this.entries < this.limit;
  }

  /** Number of stored entries (for tests and measurements). */
  get size(): number {
    return this.entries;
  }

  /** False once the memo has turned itself off for a low hit rate. */
  get active(): boolean {
    return !this.off;
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

  /**
   * Like {@link text}, but never `s` itself: a private copy when the pool does not keep it (so a
   * slice of a large text, e.g. a message that is not kept, does not keep that text alive).
   * With `bytes` (a Buffer whose bytes `[at, at + s.length)` are `s` in latin1, e.g. an ASCII line
   * being parsed), a new copy is decoded from them: one flat string, where a copy of `s` costs a
   * flattened string and a slice of it (V8 slices strings of 13 or more characters).
   */
  textOwned(s: string, bytes?: { latin1Slice(start: number, end: number): string }, at = 0): string {
    const v = this.memo.get(s);
    if (v !== undefined) return v;
    const own = bytes !== undefined ? bytes.latin1Slice(at, at + s.length) : ownCopy(s);
    return this.memo.accepts && s.length <= MAX_MEMO_KEY_CHARS ? this.memo.set(own, own) : own;
  }

  /** Number of pooled strings. */
  get size(): number {
    return this.memo.size;
  }
}

/**
 * The memos of one analysis run, shared by the parsers of all its files (hand one to
 * `parseLokiFile` / `LokiLineParser`). Values handed out are shared between findings and must be
 * treated as read-only by consumers (nothing in the project mutates a finding's reasons).
 *
 * - `reasonLists`: the `REASON_1: …` tail of a `FILE:` message (text after `REASON_1: `) → its
 *   parsed, exact-size reasons array (parseFileFinding's reason split depends on that tail only).
 * - `reasons`: one reason text → its parsed {@link LokiReason} (parseReason is a pure function).
 * - `fileTypes`, `paths`, `firstBytes`: strings of file findings.
 */
export class LokiIntern {
  readonly reasonLists = new TextMemo<LokiReason[]>(50_000);
  readonly reasons = new TextMemo<LokiReason>(50_000);
  readonly fileTypes = new TextPool(10_000);
  /**
   * Paths: a fleet shares a few (the same tool or false positive on many endpoints), most findings
   * have a path of their own. A small pool keeps the shared ones (seen early and often) and stays
   * cheap to search; 200,000 entries filled it with paths never seen again (8x benchmark with 60 %
   * own paths: 2.45 → 2.15 s, the same memory).
   */
  readonly paths = new TextPool(16_384);
  readonly firstBytes = new TextPool(50_000);
}
