/**
 * The first `k` items of a list in a given order, without sorting the whole list.
 *
 * `topK(items, k, cmp)` equals `[...items].sort(cmp).slice(0, k)` (a stable sort: items that
 * compare equal keep their input order) for any consistent comparator, but costs O(n log k) time
 * and O(k) memory instead of O(n log n) and a copy of the list. It keeps the `k` best items seen so
 * far in a binary heap whose root is the one that sorts last; an item that sorts after the root is
 * dropped with one comparison, which is what almost every item of a long tail costs.
 *
 * @param items any iterable, read once.
 * @param k how many items to keep (0 or less gives []; fractions are rounded down).
 * @param cmp the order, as for `Array.prototype.sort` (negative: `a` first).
 * @returns a new array of at most `k` items, in order.
 */
export function topK<T>(items: Iterable<T>, k: number, cmp: (a: T, b: T) => number): T[] {
  const cap = Math.floor(k);
  if (!(cap > 0)) return [];
  const heap: T[] = [];
  const seq: number[] = []; // input position of heap[i]: equal items keep their input order
  // a sorts after b (a is "worse"): by the comparator, then by input position
  const after = (a: number, b: number): boolean => {
    const c = cmp(heap[a], heap[b]);
    return c > 0 || (c === 0 && seq[a] > seq[b]);
  };
  const swap = (a: number, b: number): void => {
    const t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
    const s = seq[a];
    seq[a] = seq[b];
    seq[b] = s;
  };
  const down = (i: number): void => {
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const w = r < n && after(r, l) ? r : l;
      if (!after(w, i)) return;
      swap(i, w);
      i = w;
    }
  };
  let pos = 0;
  for (const item of items) {
    const p = pos++;
    if (heap.length < cap) {
      heap.push(item);
      seq.push(p);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!after(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (cmp(item, heap[0]) < 0) {
      // sorts before the worst kept item (an equal one came later, so it sorts after: dropped)
      heap[0] = item;
      seq[0] = p;
      down(0);
    }
  }
  const order = heap.map((_, i) => i).sort((a, b) => cmp(heap[a], heap[b]) || seq[a] - seq[b]);
  return order.map((i) => heap[i]);
}

/**
 * {@link topK} of the ids `0 … n - 1`: the first `k` ids in the order `cmp`, ties in id order — equal to
 * `topK(ids, k, cmp)` for an iterable of those ids, without the iterator protocol (one `next()` call and result per
 * id: twice the time of this loop for the 358,000 distinct paths of bench scale 8, bench/NOTES.md "Loki, sixteenth
 * round"). For tallies that number what they count (paths, hashes).
 *
 * @param n how many ids (0 or less gives []).
 * @param k how many ids to keep (0 or less gives []; fractions are rounded down).
 * @param cmp the order of two ids, as for `Array.prototype.sort` (negative: `a` first).
 * @returns a new array of at most `k` ids, in order.
 */
export function topKIds(n: number, k: number, cmp: (a: number, b: number) => number): number[] {
  const cap = Math.floor(k);
  if (!(cap > 0)) return [];
  const heap: number[] = []; // the ids kept; the root sorts last (an id is its input position: ties by id)
  const after = (a: number, b: number): boolean => {
    const c = cmp(heap[a], heap[b]);
    return c > 0 || (c === 0 && heap[a] > heap[b]);
  };
  const swap = (a: number, b: number): void => {
    const t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
  };
  for (let id = 0; id < n; id++) {
    if (heap.length < cap) {
      heap.push(id);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!after(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (cmp(id, heap[0]) < 0) {
      // sorts before the worst kept id (an equal one has a smaller id, so it sorts first: this one is dropped)
      heap[0] = id;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const w = r < heap.length && after(r, l) ? r : l;
        if (!after(w, i)) break;
        swap(i, w);
        i = w;
      }
    }
  }
  return heap.sort((a, b) => cmp(a, b) || a - b);
}
