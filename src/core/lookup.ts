/**
 * Lookup tables indexed by text from the input (a header, a level word, a zone name): without a prototype, so
 * `constructor`, `__proto__`, `toString` … find nothing (in a plain object literal `t['constructor']` is
 * `Object`, truthy, and was taken for a value). No imports: any layer may use it.
 */

/** A copy of `entries` without a prototype (same own keys and values); index it as a plain object. */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
