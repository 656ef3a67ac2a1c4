/**
 * One string per distinct text for results that arrived by structured clone (which copies every
 * string it meets: each row of a result arrives with its own copy of its host name, its address,
 * its severity). Used by the host's receiving side (src/shared/result-packing.ts). Pure.
 */

/** Most distinct texts one pool keeps (beyond it, new texts are left as they are). */
export const SHARED_TEXTS_MAX = 100_000;

/**
 * A function that returns the pool's string equal to `s` (adding `s` while the pool holds fewer
 * than {@link SHARED_TEXTS_MAX}), else `s`: values are unchanged, repeats become one string.
 * `pool`: one per transfer (job).
 */
export function textSharer(pool: Map<string, string>): (s: string) => string {
  return (s) => {
    const v = pool.get(s);
    if (v !== undefined) return v;
    if (pool.size < SHARED_TEXTS_MAX) pool.set(s, s);
    return s;
  };
}
