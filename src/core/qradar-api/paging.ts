/**
 * Paging and id-batch lookups over the QRadar REST API (qradar.md §2 "Paging", §3 lookups). Pure; no vscode.
 */
import type { QRadarClient, RequestOptions } from './client';

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  /** Zero-based offset of `items[0]`. */
  offset: number;
  /** Latest total from `Content-Range` (undefined when the server sent none or `*`). */
  total?: number;
}

export interface PagingOptions {
  query?: RequestOptions['query'];
  /** Items per request (`Range: items=x-(x+pageSize-1)`). */
  pageSize: number;
  /** First offset (default 0). */
  start?: number;
  signal?: AbortSignal;
  /**
   * Called once per page that is not a JSON array of objects (never once per element): the items that are not
   * objects are left out and the others kept; a page that is not an array ends the listing, the pages before it kept.
   */
  onWarning?: (message: string) => void;
}

/** What a JSON value is, in a few words (`a number`, `null`, `a list`), for a message. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true/false';
  return typeof v;
}

/**
 * The JSON objects of a page and, when some items are not objects (a number, null, a list), one warning for the page:
 * `<where>: 2 of 10 items are not JSON objects (a number, null); left out, the other 8 kept`. Pure.
 */
export function objectsOfPage<T>(items: readonly unknown[], where: string): { objects: T[]; warning?: string } {
  const objects: T[] = [];
  const kinds = new Set<string>();
  let bad = 0;
  for (const x of items) {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) objects.push(x as T);
    else {
      bad++;
      if (kinds.size < 4) kinds.add(jsonKind(x));
    }
  }
  if (bad === 0) return { objects };
  const kept = items.length - bad;
  return {
    objects,
    warning: `${where}: ${bad} of ${items.length} item${items.length === 1 ? '' : 's'} ${bad === 1 ? 'is not a JSON object' : 'are not JSON objects'} (${[...kinds].join(', ')}); left out, ${kept === 0 ? 'none kept' : `the other ${kept} kept`}`,
  };
}

/**
 * Pages through a list endpoint with `Range: items=x-y` (§2): zero-based, inclusive; the total is the
 * part after `/` in `Content-Range`. Any total (no 100 000 cap). Stops on an empty page, or once the
 * offset reached the latest total **and** the page was short. A full page that reaches the total is
 * followed by one more request, so an understated total (a "wrong total") still yields every item;
 * an overstated total ends at the first empty page. A server that answers with fewer items than
 * asked (its own page cap) is followed by offset. Without any `Content-Range`, a short page ends
 * the listing.
 *
 * A server that ignores `Range` would be asked forever; so the listing also ends after a page with
 * more items than asked, unless its `Content-Range` starts at the asked offset (it served the range,
 * only larger), and a page whose `Content-Range` starts elsewhere than asked, or whose items are
 * the same as the page before, is not yielded and ends the listing.
 *
 * A page that is not a JSON array of objects gives one warning ({@link PagingOptions.onWarning}), not one per element:
 * items that are not objects are left out (the offset still moves past them), the others yielded; a page that is not
 * an array at all ends the listing, the pages before it kept.
 * @throws QRadarApiError from the client.
 */
export async function* pages<T>(client: QRadarClient, path: string, o: PagingOptions): AsyncGenerator<Page<T>> {
  const size = Math.max(1, Math.floor(o.pageSize));
  let offset = Math.max(0, o.start ?? 0);
  let previous: string | undefined;
  for (;;) {
    const r = await client.json<unknown>('GET', path, { query: o.query, range: [offset, offset + size - 1], signal: o.signal });
    const where = `${path} items ${offset}-${offset + size - 1}`;
    if (!Array.isArray(r.data)) {
      // one warning for the page; what came before is kept
      o.onWarning?.(`${where}: QRadar answered with ${jsonKind(r.data)}, not a JSON array; the listing ends here${offset > 0 ? ` (the ${offset} items before it are kept)` : ''}`);
      return;
    }
    const total = r.contentRange?.total;
    const n = r.data.length;
    const first = r.contentRange?.first;
    if (n > 0 && first !== undefined && first !== offset) return; // not the range asked: a repeat
    const text = n > 0 ? JSON.stringify(r.data) : '';
    if (n > 0 && text === previous) return; // the same page again: Range ignored
    previous = text;
    const { objects, warning } = objectsOfPage<T>(r.data, where);
    if (warning) o.onWarning?.(warning);
    yield { items: objects, offset, total };
    if (n === 0) return;
    if (n > size && first !== offset) return; // more than asked, from an unknown start: Range ignored
    offset += n;
    if (total === undefined) {
      if (n < size) return;
    } else if (offset >= total && n < size) return;
  }
}

/** Splits ids into batches of `size` (default 100, as XSOAR does for address lookups, §3). */
export function batches<T>(ids: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/**
 * Looks up objects by id in batches: `filter=id in (a,b,…)` (§3, "in batches… never one request per
 * id"), each batch paged. Returns every object received, in order, plus the number of requests.
 * @throws QRadarApiError from the client.
 */
export async function lookupByIds<T>(
  client: QRadarClient,
  path: string,
  ids: readonly number[],
  o: {
    fields?: string;
    batchSize?: number;
    extraQuery?: RequestOptions['query'];
    signal?: AbortSignal;
    onBatch?: (done: number, total: number) => void;
    /** One warning per page that is not a JSON array of objects (see {@link pages}). */
    onWarning?: (message: string) => void;
  },
): Promise<{ items: T[]; requests: number }> {
  const uniq = [...new Set(ids.filter((n) => Number.isSafeInteger(n)))].sort((a, b) => a - b);
  const items: T[] = [];
  let requests = 0;
  const bs = batches(uniq, o.batchSize ?? 100);
  for (let i = 0; i < bs.length; i++) {
    const query = { ...o.extraQuery, filter: `id in (${bs[i].join(',')})`, fields: o.fields };
    for await (const p of pages<T>(client, path, { query, pageSize: bs[i].length + 1, signal: o.signal, onWarning: o.onWarning })) {
      requests++;
      for (const x of p.items) items.push(x);
    }
    o.onBatch?.(i + 1, bs.length);
  }
  return { items, requests };
}
