/**
 * The detail of listed beacon pairs — chart lists (`intervals`, `sizes`, `hist`, `histEdgesMs`) and
 * the fields only the detail pane shows ({@link BEACON_DETAIL_FIELDS}) — packed into typed arrays for
 * the hop from the analysis worker to the extension host, where they stay packed.
 * A structured clone of a pair's five small arrays and two objects cost about as much as the rest of
 * the pair (1.2 M pairs at 10 M connections: ~14 s of the ~24 s the worker → host transfer took), and
 * on the host the lists and the detail numbers (each a boxed double in its object) were most of the
 * 1.9 GB result and of its long GC pauses (bench/NOTES.md). Typed arrays are one copy each and live
 * outside the JavaScript heap; {@link fullPair} rebuilds one pair when its detail is shown.
 * Pure (no I/O, no vscode).
 */
import type { BeaconChartField, BeaconPair, BeaconRow } from './analyze';
import { textSharer } from '../../shared-texts';

/**
 * The details of m pairs (one result slice). Per pair j, in `lens[4j … 4j + 3]`: number of interval
 * values, of size values, of histogram bins, index of its bin edges in `edges`; `lens[4j] = -1` when
 * the pair was not packed (it travels whole). `values` holds, pair after pair: interval values,
 * interval counts, size values, size counts, histogram: an Int32Array when every one is a 32-bit
 * integer (the usual case: seconds, bytes and counts; half the memory), else a Float64Array.
 * `edges`: the distinct bin-edge arrays (epoch ms), shared by the pairs that shared them.
 * `scalars[K·j + f]`: detail field f ({@link BEACON_DETAIL_FIELDS} order, K fields) of pair j;
 * `missing[K·j + f]` is 1 where the pair has no such field (e.g. `dsSmallness` outside the legacy
 * score), 2 where the field is there but undefined, else 0.
 * `offsets[j]`, when set (a {@link PairDetailStore}), is where pair j's lists start in `values`;
 * without it they follow the pairs before it.
 */
export interface PackedPairDetails {
  lens: Int32Array;
  values: Float64Array | Int32Array;
  edges: number[][];
  scalars: Float64Array;
  missing: Uint8Array;
  offsets?: Float64Array;
}

/**
 * The fields of a pair that only its detail pane shows: the score's terms, the modes' counts, the
 * window (here rather than in analyze.ts, which imports this module's store).
 */
export const BEACON_DETAIL_FIELDS = ['tsSkew', 'tsMad', 'dsSkew', 'dsMad', 'dsSmallness', 'coverage', 'consistency', 'cvScore', 'bimodalScore', 'totalBars', 'longestRun', 'tsModeCount', 'dsModeCount', 'windowStartMs', 'windowEndMs'] as const;

const K = BEACON_DETAIL_FIELDS.length;

/** True when `xs` is an array of numbers only (what the packer can put in a typed array exactly). */
function numbers(xs: unknown): xs is number[] {
  if (!Array.isArray(xs)) return false;
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'number') return false;
  return true;
}

/** The pair's lists when every one of them is an array of numbers and every detail field a number or undefined; undefined otherwise. */
function listsOf(p: BeaconPair): [number[], number[], number[], number[], number[], number[]] | undefined {
  if (!p || typeof p !== 'object') return undefined;
  const iv = p.intervals as unknown as { values?: unknown; counts?: unknown } | null;
  const sz = p.sizes as unknown as { values?: unknown; counts?: unknown } | null;
  if (!iv || !sz || !numbers(iv.values) || !numbers(iv.counts) || !numbers(sz.values) || !numbers(sz.counts)) return undefined;
  if (iv.values.length !== iv.counts.length || sz.values.length !== sz.counts.length) return undefined;
  if (!numbers(p.hist) || !numbers(p.histEdgesMs)) return undefined;
  for (const f of BEACON_DETAIL_FIELDS) if (typeof p[f] !== 'number' && p[f] !== undefined) return undefined;
  return [iv.values, iv.counts, sz.values, sz.counts, p.hist, p.histEdgesMs];
}

/**
 * `p` without its detail fields and chart lists: a new object, built as one literal (copying keys
 * by name was ~5 µs a pair, half the worker's transfer cost). The compiler keeps it complete: every
 * field of {@link BeaconRow} is required, and none of the others is allowed.
 */
function rowOf(p: BeaconRow): BeaconRow {
  const row: Required<Omit<BeaconRow, 'packed' | 'packedIndex' | 'exchange'>> & Pick<BeaconRow, 'exchange'> = {
    type: p.type,
    src: p.src,
    dst: p.dst,
    fqdn: p.fqdn,
    count: p.count,
    uniqueTs: p.uniqueTs,
    bytes: p.bytes,
    origBytes: p.origBytes,
    score: p.score,
    tsScore: p.tsScore,
    dsScore: p.dsScore,
    durScore: p.durScore,
    histScore: p.histScore,
    severity: p.severity,
    threat: p.threat,
    firstSeenMs: p.firstSeenMs,
    lastSeenMs: p.lastSeenMs,
    ports: p.ports,
    tsMode: p.tsMode,
    dsMode: p.dsMode,
    exchange: p.exchange,
  };
  return row;
}

/** The worker's store holding `x`'s details when `x` is a row made by {@link PairDetailStore}. */
function storeOf(x: unknown): PairDetailStore | undefined {
  const r = x as BeaconRow | null;
  if (!r || typeof r !== 'object' || !(r.packed instanceof PairDetailStore)) return undefined;
  const i = r.packedIndex;
  return i !== undefined && Number.isInteger(i) && i >= 0 && i < r.packed.n ? r.packed : undefined;
}

/**
 * Packs the details of the pairs in `items` (one result slice) and replaces each packed pair in
 * `items` by its row ({@link BeaconRow}: the pair without them). Rows made by a
 * {@link PairDetailStore} have their details copied out of it. Mutates `items` (the array, not
 * the pairs): meant for the sender's last use of a slice, right before it is posted. A pair whose
 * lists are not arrays of numbers with matching lengths, or whose detail fields are not numbers,
 * stays whole (`lens[4j] = -1`). Exact for every number (-0, NaN, ±Infinity included).
 */
export function packPairDetails(items: unknown[]): PackedPairDetails {
  const m = items.length;
  const lens = new Int32Array(4 * m);
  const scalars = new Float64Array(K * m);
  const missing = new Uint8Array(K * m);
  const lists: (ReturnType<typeof listsOf> | undefined)[] = new Array(m);
  const stored: (PairDetailStore | undefined)[] = new Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    const st = storeOf(items[j]);
    if (st) {
      stored[j] = st;
      const i = (items[j] as BeaconRow).packedIndex!;
      total += 2 * st.lens[4 * i] + 2 * st.lens[4 * i + 1] + st.lens[4 * i + 2];
      continue;
    }
    const l = listsOf(items[j] as BeaconPair);
    lists[j] = l;
    if (l) total += 2 * l[0].length + 2 * l[2].length + l[4].length;
  }
  const values = new Float64Array(total);
  const edges: number[][] = [];
  const edgeIds = new Map<number[], number>();
  const edgeId = (edgesMs: number[]): number => {
    let e = edgeIds.get(edgesMs);
    if (e === undefined) {
      edgeIds.set(edgesMs, (e = edges.length));
      edges.push(edgesMs);
    }
    return e;
  };
  let v = 0;
  for (let j = 0; j < m; j++) {
    const st = stored[j];
    if (st) {
      // a row whose details the worker's store holds: copy them out
      const i = (items[j] as BeaconRow).packedIndex!;
      const n = 2 * st.lens[4 * i] + 2 * st.lens[4 * i + 1] + st.lens[4 * i + 2];
      const from = st.offsets[i];
      values.set(st.values.subarray(from, from + n), v);
      v += n;
      lens.set(st.lens.subarray(4 * i, 4 * i + 3), 4 * j);
      lens[4 * j + 3] = edgeId(st.edges[st.lens[4 * i + 3]]);
      scalars.set(st.scalars.subarray(K * i, K * i + K), K * j);
      missing.set(st.missing.subarray(K * i, K * i + K), K * j);
      items[j] = rowOf(items[j] as BeaconRow);
      continue;
    }
    const l = lists[j];
    if (!l) {
      lens[4 * j] = -1;
      // never post a store along with a row (a row with a bad index would carry the whole store)
      if ((items[j] as BeaconRow | null)?.packed !== undefined) items[j] = rowOf(items[j] as BeaconRow);
      continue;
    }
    const p = items[j] as BeaconPair;
    const [ivValues, ivCounts, szValues, szCounts, hist, edgesMs] = l;
    for (const xs of [ivValues, ivCounts, szValues, szCounts, hist]) for (let i = 0; i < xs.length; i++) values[v++] = xs[i];
    lens[4 * j] = ivValues.length;
    lens[4 * j + 1] = szValues.length;
    lens[4 * j + 2] = hist.length;
    lens[4 * j + 3] = edgeId(edgesMs);
    for (let f = 0; f < K; f++) {
      const x = p[BEACON_DETAIL_FIELDS[f]];
      if (x === undefined) missing[K * j + f] = BEACON_DETAIL_FIELDS[f] in p ? 2 : 1;
      else scalars[K * j + f] = x;
    }
    items[j] = rowOf(p);
  }
  let ints = true;
  for (let i = 0; i < v && ints; i++) ints = (values[i] | 0) === values[i] && !Object.is(values[i], -0);
  return { lens, values: ints ? new Int32Array(values) : values, edges, scalars, missing };
}

/**
 * The receiving side: each packed row of `rows` (the slice's items as posted, in the same order)
 * gets `packed` and its index in it, so that {@link fullPair} can rebuild the pair when its detail
 * is shown. The details stay in the typed arrays (outside the JavaScript heap). Rows that were not
 * packed are full pairs and are left as they are.
 * @throws RangeError when `packed` does not describe `rows.length` pairs.
 */
export function keepPairDetailsPacked(rows: BeaconRow[], packed: PackedPairDetails): void {
  const { lens } = packed;
  if (lens.length !== 4 * rows.length) throw new RangeError(`packed details describe ${lens.length / 4} pairs, not ${rows.length}`);
  for (let j = 0; j < rows.length; j++) {
    if (lens[4 * j] < 0) continue;
    rows[j].packed = packed;
    rows[j].packedIndex = j;
  }
}

/** Offset in `values` of pair `j`'s lists: the lengths of the packed pairs before it (≤ one slice). */
function valuesOffset(lens: Int32Array, j: number): number {
  let v = 0;
  for (let k = 0; k < j; k++) {
    const ni = lens[4 * k];
    if (ni >= 0) v += 2 * ni + 2 * lens[4 * k + 1] + lens[4 * k + 2];
  }
  return v;
}

/**
 * The whole pair of `row`: rebuilt (a new object with fresh chart lists, bin edges shared) from the
 * packed slice when {@link keepPairDetailsPacked} left its details there — about 200 numbers, a cost
 * independent of the result's size — else `row` itself, which then is a full pair (results made in
 * the same thread are never packed).
 */
export function fullPair(row: BeaconRow): BeaconPair {
  const { packed, packedIndex: j } = row;
  if (!packed || j === undefined || !(j >= 0) || 4 * j >= packed.lens.length || packed.lens[4 * j] < 0) return row as BeaconPair;
  const { lens, values, scalars, missing } = packed;
  let v = packed.offsets ? packed.offsets[j] : valuesOffset(lens, j);
  const list = (n: number): number[] => {
    const xs = new Array<number>(n);
    for (let i = 0; i < n; i++) xs[i] = values[v++];
    return xs;
  };
  const { packed: _p, packedIndex: _j, ...rest } = row;
  const out = rest as Record<string, unknown>;
  for (let f = 0; f < K; f++) {
    const miss = missing[K * j + f];
    if (miss !== 1) out[BEACON_DETAIL_FIELDS[f]] = miss === 2 ? undefined : scalars[K * j + f];
  }
  const ni = lens[4 * j];
  const ns = lens[4 * j + 1];
  const charts: Pick<BeaconPair, BeaconChartField> = {
    intervals: { values: list(ni), counts: list(ni) },
    sizes: { values: list(ns), counts: list(ns) },
    hist: list(lens[4 * j + 2]),
    histEdgesMs: packed.edges[lens[4 * j + 3]],
  };
  return Object.assign(out, charts) as unknown as BeaconPair;
}

/**
 * Makes the repeated texts of rows that arrived by structured clone one string each: `type`,
 * `severity`, `src`, `dst`, `fqdn`, `ports` (a source talks to many destinations, a destination
 * hears from many sources). Values are unchanged; `pool` is the transfer's (one per job; see
 * src/core/shared-texts.ts). Mutates the rows.
 */
export function shareRowTexts(rows: BeaconRow[], pool: Map<string, string>): void {
  const share = textSharer(pool);
  for (const r of rows) {
    r.type = share(r.type) as BeaconRow['type'];
    r.severity = share(r.severity) as BeaconRow['severity'];
    r.src = share(r.src);
    r.dst = share(r.dst);
    r.fqdn = share(r.fqdn);
    r.ports = share(r.ports);
  }
}

/**
 * Worker side: the details of a run's listed pairs, appended as the pairs are made, so that no pair
 * is ever built with its chart lists and detail numbers as objects (at 10 M connections, 1.2 M pairs
 * with five lists each were much of the worker's garbage collection). The pairs are rows pointing
 * here (`packed`, `packedIndex`); {@link packPairDetails} copies each posted slice's details out, and
 * {@link fullPair} rebuilds a pair from here too. The arrays grow by doubling (typed arrays, outside
 * the JavaScript heap).
 */
export class PairDetailStore implements PackedPairDetails {
  /** Pairs stored. */
  n = 0;
  lens = new Int32Array(4 * 256);
  offsets = new Float64Array(256);
  values = new Float64Array(16 * 1024);
  scalars = new Float64Array(K * 256);
  missing = new Uint8Array(K * 256);
  edges: number[][] = [];
  /** Values used in `values`. */
  private used = 0;
  private readonly edgeIds = new Map<number[], number>();

  /**
   * Makes room for `pairs` more pairs with `values` more chart numbers in all (when a caller knows
   * them, e.g. a scoring job's listed pairs and chart numbers), so the arrays grow at most once for
   * them instead of doubling again and again; at least to twice their size (a store filled by a few
   * such calls copies what it holds about once in all, not at every call). Nothing changes otherwise.
   */
  reserve(pairs: number, values: number): void {
    if (this.n + pairs > this.offsets.length) this.growPairs(Math.max(this.n + pairs, 2 * this.offsets.length));
    if (this.used + values > this.values.length) {
      const next = new Float64Array(Math.max(this.used + values, 2 * this.values.length));
      next.set(this.values.subarray(0, this.used));
      this.values = next;
    }
  }

  /**
   * Appends one pair's details and returns its index. `lists[from …)` holds its chart lists in
   * packed order: `ni` interval values, `ni` interval counts, `ns` size values, `ns` size counts,
   * `nh` histogram bins; `edgesMs` its bin edges (shared arrays stay shared); `detail[f]` its detail
   * field f in {@link BEACON_DETAIL_FIELDS} order (undefined: the pair has no such field).
   */
  add(lists: ArrayLike<number>, from: number, ni: number, ns: number, nh: number, edgesMs: number[], detail: ArrayLike<number | undefined>): number {
    const i = this.n;
    if (i === this.offsets.length) this.growPairs();
    const n = 2 * ni + 2 * ns + nh;
    if (this.used + n > this.values.length) {
      const next = new Float64Array(Math.max(2 * this.values.length, this.used + n, 1024));
      next.set(this.values.subarray(0, this.used));
      this.values = next;
    }
    const values = this.values;
    // a pair's lists are a few dozen numbers: a loop beats making a subarray view for `set`
    const at = this.used;
    for (let k = 0; k < n; k++) values[at + k] = lists[from + k];
    this.offsets[i] = this.used;
    this.used += n;
    this.lens[4 * i] = ni;
    this.lens[4 * i + 1] = ns;
    this.lens[4 * i + 2] = nh;
    let e = this.edgeIds.get(edgesMs);
    if (e === undefined) {
      this.edgeIds.set(edgesMs, (e = this.edges.length));
      this.edges.push(edgesMs);
    }
    this.lens[4 * i + 3] = e;
    for (let f = 0; f < K; f++) {
      const x = detail[f];
      if (x === undefined) this.missing[K * i + f] = 1;
      else this.scalars[K * i + f] = x;
    }
    this.n = i + 1;
    return i;
  }

  /**
   * Stores a full pair's details and returns its row (pointing here). A pair whose lists or detail
   * fields are not numbers is returned as it is (it will travel whole).
   */
  addPair(p: BeaconPair): BeaconRow {
    const l = listsOf(p);
    if (!l) return p;
    const [ivValues, ivCounts, szValues, szCounts, hist, edgesMs] = l;
    const flat = [...ivValues, ...ivCounts, ...szValues, ...szCounts, ...hist];
    const i = this.add(flat, 0, ivValues.length, szValues.length, hist.length, edgesMs, BEACON_DETAIL_FIELDS.map((f) => p[f]));
    for (let f = 0; f < K; f++) if (p[BEACON_DETAIL_FIELDS[f]] === undefined && BEACON_DETAIL_FIELDS[f] in p) this.missing[K * i + f] = 2;
    const row = rowOf(p);
    row.packed = this;
    row.packedIndex = i;
    return row;
  }

  /**
   * Drops the room to grow (call once the store is complete): the arrays become exact copies of the
   * `n` pairs and their `used` chart numbers. The arrays double as they grow, so a finished store held
   * up to twice the memory its pairs need for as long as the result lived (the CLI's, the analysis
   * worker's until it has sent the rows). Nothing else changes; the store may still grow afterwards.
   */
  trim(): void {
    const n = this.n;
    if (this.offsets.length !== n) {
      this.lens = this.lens.slice(0, 4 * n);
      this.offsets = this.offsets.slice(0, n);
      this.scalars = this.scalars.slice(0, K * n);
      this.missing = this.missing.slice(0, K * n);
    }
    if (this.values.length !== this.used) this.values = this.values.slice(0, this.used);
  }

  /** Room for `atLeast` pairs (default: twice the room there is). */
  private growPairs(atLeast = 2 * this.offsets.length): void {
    const cap = Math.max(atLeast, this.offsets.length, 256);
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, per: number): T => {
      const next = new (a.constructor as new (n: number) => T)(per * cap);
      next.set(a);
      return next;
    };
    this.lens = grow(this.lens, 4);
    this.offsets = grow(this.offsets, 1);
    this.scalars = grow(this.scalars, K);
    this.missing = grow(this.missing, K);
  }
}
