/**
 * Batched writing of large JSON arrays for the CLI's streaming `--json` writers (`loki --json` in
 * src/cli/cli.ts, `beacons --json` in src/core/analyze/beacons/cli.ts).
 */

/**
 * {@link writeJsonItems} writes a batch once it holds this many characters (or its item limit): one
 * Loki finding's JSON is at most ~6 × 16 M characters, but a batch of huge ones joined into one
 * string went past V8's string limit ("Invalid string length": `loki --json` died on six
 * 15-million-character paths).
 */
export const WRITE_CHUNK_CHARS = 1 << 24;

/**
 * Writes the items of a JSON array (the text between `[` and `]`, which the caller writes): nothing
 * for no items, else `\n` + the items' JSON joined by `,\n`. Items are collected in batches of at most
 * `maxItems`; a batch is written as soon as it holds {@link WRITE_CHUNK_CHARS} characters (so a
 * written piece exceeds that by at most one item's JSON), each batch as one flat string (`join`; its
 * first item carries the separator). Errors of `toJson` or `out` propagate (nothing more is written).
 * @param items an array, or a list read with `at(i)` (e.g. a columnar Loki findings list: each item is
 *   built, written and dropped in turn)
 * @param toJson the JSON text of one item
 */
export function writeJsonItems<T>(out: (s: string) => void, items: readonly T[] | { readonly length: number; at(i: number): T | undefined }, toJson: (item: T) => string, maxItems = 2000): void {
  let buf: string[] = [];
  let chars = 0; // characters in buf
  const arr = Array.isArray(items) ? (items as readonly T[]) : undefined;
  for (let i = 0; i < items.length; i++) {
    const j = toJson(arr !== undefined ? arr[i] : (items.at(i) as T));
    buf.push(buf.length > 0 ? j : (i > 0 ? ',\n' : '\n') + j);
    chars += j.length;
    if (buf.length >= maxItems || chars >= WRITE_CHUNK_CHARS || i === items.length - 1) {
      out(buf.join(',\n'));
      buf = [];
      chars = 0;
    }
  }
}
