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

/**
 * A bounded memo `text → value`. It stops storing new entries once it holds `limit` of them, and
 * stops looking up altogether when, after a probe window, fewer than one lookup in `minHitRate`
 * found its text (unique values such as hashes would only cost memory there).
 */
export class TextMemo<V> {
  private readonly map = new Map<string, V>();
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
    const v = this.map.get(key);
    const n = ++this.lookups;
    if (v !== undefined) this.hits++;
    if (n % this.window === 0 && this.hits < n * this.minHitRate) {
      this.off = true;
      this.map.clear();
    }
    return v;
  }

  /** Stores `value` for `key` (ignored when full, turned off or `key` is longer than {@link MAX_MEMO_KEY_CHARS}); returns `value`. */
  set(key: string, value: V): V {
    if (!this.off && this.map.size < this.limit && key.length <= MAX_MEMO_KEY_CHARS) this.map.set(key, value);
    return value;
  }

  /** True when {@link set} would store a new entry now (on, and below the limit). */
  get accepts(): boolean {
    return !this.off && this.map.size < this.limit;
  }

  /** Number of stored entries (for tests and measurements). */
  get size(): number {
    return this.map.size;
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
   */
  textOwned(s: string): string {
    const v = this.memo.get(s);
    if (v !== undefined) return v;
    const own = ownCopy(s);
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
  readonly paths = new TextPool(200_000);
  readonly firstBytes = new TextPool(50_000);
}
