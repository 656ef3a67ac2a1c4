/**
 * One connection file read into columns: the unit of work of the beacon parse workers
 * (pool.ts / zeek-worker.ts). A worker reads a whole file with the usual reader
 * (`readZeekFile`: byte path for TSV, string path for anything unusual), and hands back typed
 * arrays (transferable, no per-record objects) — dotted-quad IPv4 addresses as their 32-bit values —
 * plus the texts new to its table (other addresses, protocols); the main thread keys the records'
 * pairs by those values and ids and folds the records in, in file order (`BeaconAggregator.addColumns`).
 * Pure Node (no vscode).
 */
import { AsciiInterner, EXCHANGE_UNKNOWN, readZeekFile, type ConnFileResult, type ConnRecord, type InputInfo, type ReadOptions } from '../../parse/zeek';

/**
 * The records of one file, in file order. Record `i` (0 ≤ i < n): `tsMs[i]` start time in epoch
 * ms, `dport[i]` destination port (NaN when absent, any number the reader produced), `orig[i]` /
 * `resp[i]` orig/resp IP bytes, `src[i]` / `dst[i]` the addresses: the 32-bit value of a dotted-quad
 * IPv4 address (as a signed 32-bit integer) when bit 1 (src) / bit 2 (dst) of `quads[i]` is set, else
 * the id of the address text in `strings`; `proto[i]` id of the protocol in `strings` or -1 for '';
 * `icmpType[i]` the ICMP type of an ICMP record (Zeek's `id.orig_p`, 0–65535), -1 for any other record or when unset.
 * Arrays may be longer than `n`.
 * `strings` holds the texts of ids `stringBase …`: a reader that keeps its table across files
 * sends only the texts new since the last file (the receiver appends them to its copy of the
 * table, see pool.ts); a table of ids `0 …` otherwise.
 */
export interface ConnColumns {
  n: number;
  tsMs: Float64Array;
  dport: Float64Array;
  orig: Float64Array;
  resp: Float64Array;
  src: Int32Array;
  dst: Int32Array;
  /** Per record: bit 1 `src[i]` is an IPv4 value, bit 2 `dst[i]` is (else ids in `strings`). */
  quads: Uint8Array;
  proto: Int32Array;
  icmpType: Int32Array;
  /** Per record: its {@link ConnRecord.exchange} class (EXCHANGE_UNKNOWN where the reader gave none). */
  exchange: Uint8Array;
  strings: string[];
  stringBase: number;
}

/** A file read into columns and the reader's per-file result (lines, errors, …). */
export interface ParsedConnFile {
  result: ConnFileResult;
  cols: ConnColumns;
}

/** The typed arrays of `c` (for a transfer list). */
export function columnBuffers(c: ConnColumns): ArrayBuffer[] {
  return [c.tsMs, c.dport, c.orig, c.resp, c.src, c.dst, c.quads, c.proto, c.icmpType, c.exchange].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Reads one Zeek connection log (conn/open_conn, TSV or JSON, plain or gzip) into columns, with
 * `uid` not read (callers use this only when no host-name join is needed). Records, lines,
 * errors and byte counts are exactly those of `readZeekFile`; never rejects except with an
 * AbortError (when `opts.signal` aborts). `names`: an address/protocol table kept across files
 * (then `strings` holds only the texts added by this file); a new one when absent.
 */
export async function readConnColumns(info: InputInfo, opts: Pick<ReadOptions, 'signal' | 'onBytes'> = {}, names = new AsciiInterner()): Promise<ParsedConnFile> {
  const base = names.strings.length;
  let cap = 1024;
  const c: ConnColumns = {
    n: 0,
    tsMs: new Float64Array(cap),
    dport: new Float64Array(cap),
    orig: new Float64Array(cap),
    resp: new Float64Array(cap),
    src: new Int32Array(cap),
    dst: new Int32Array(cap),
    quads: new Uint8Array(cap),
    proto: new Int32Array(cap),
    icmpType: new Int32Array(cap),
    exchange: new Uint8Array(cap),
    strings: [],
    stringBase: base,
  };
  const grow = () => {
    cap *= 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    c.tsMs = f64(c.tsMs);
    c.dport = f64(c.dport);
    c.orig = f64(c.orig);
    c.resp = f64(c.resp);
    c.src = i32(c.src);
    c.dst = i32(c.dst);
    const q = new Uint8Array(cap);
    q.set(c.quads);
    c.quads = q;
    const x = new Uint8Array(cap);
    x.set(c.exchange);
    c.exchange = x;
    c.proto = i32(c.proto);
    c.icmpType = i32(c.icmpType);
  };
  // Records without the reader's address ids (string path, unusual lines of the byte path): their
  // texts are interned once the file is read, in record order, which gives the ids (and the order
  // of `strings`) of a reader that hands all records over at the end of the file.
  const later: number[] = [];
  const laterTexts: string[] = [];
  const result = await readZeekFile(
    info,
    {
      conn: (rec) => {
        if (c.n === cap) grow();
        const i = c.n++;
        c.tsMs[i] = rec.tsMs;
        c.dport[i] = rec.dport;
        c.orig[i] = rec.origBytes;
        c.resp[i] = rec.respBytes;
        const t = rec.icmpType;
        c.icmpType[i] = t !== undefined && Number.isInteger(t) && t >= 0 ? t : -1;
        c.exchange[i] = rec.exchange ?? EXCHANGE_UNKNOWN;
        const sq = rec.srcQuad ?? -1;
        const dq = rec.dstQuad ?? -1;
        if ((sq >= 0 || (rec.srcId !== undefined && rec.srcId >= 0)) && (dq >= 0 || (rec.dstId !== undefined && rec.dstId >= 0)) && rec.protoId !== undefined) {
          c.src[i] = sq >= 0 ? sq | 0 : rec.srcId!;
          c.dst[i] = dq >= 0 ? dq | 0 : rec.dstId!;
          c.quads[i] = (sq >= 0 ? 1 : 0) | (dq >= 0 ? 2 : 0);
          c.proto[i] = rec.protoId;
        } else {
          c.quads[i] = 0;
          later.push(i);
          laterTexts.push(rec.src, rec.dst, rec.proto);
        }
      },
      discard: () => {
        c.n = 0;
        later.length = 0;
        laterTexts.length = 0;
      },
    },
    { ...opts, skipUid: true, names, textsById: true, quadValues: true },
  );
  for (let k = 0; k < later.length; k++) {
    const i = later[k];
    c.src[i] = names.idOf(laterTexts[3 * k]);
    c.dst[i] = names.idOf(laterTexts[3 * k + 1]);
    c.proto[i] = laterTexts[3 * k + 2] === '' ? -1 : names.idOf(laterTexts[3 * k + 2]);
  }
  c.strings = names.strings.slice(base);
  return { result, cols: c };
}
