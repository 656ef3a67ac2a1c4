/**
 * Columnar storage of Loki findings (issue #7: "columnar storage for large tables; no per-row
 * object churn on hot paths").
 *
 * A Python Loki file finding (`FILE: …`, loki-format.md §2.1) costs about ten heap objects as a
 * {@link LokiFinding} (the finding, its message, `source`, hashes, times, …), and hundreds of
 * thousands of them kept alive make the garbage collector the largest cost of an analysis. The
 * store keeps such a finding as the byte range of its message in the log file (read back by a
 * shared {@link MessageReader}), the positions of its parts (`locateFileFinding`) and a few
 * numbers, and builds the finding object only when asked (`at(i)`), with the same values the
 * object path gives (`buildFileFinding`). Every other finding
 * is kept as the object the parser built. The columns the merge and summary read (level, host, path,
 * score, reasons, scan) are kept for every row, so {@link analyzeLoki} never builds objects.
 *
 * Read-only for consumers, like the findings of one run (shared reasons arrays and texts).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { FindingLevel, FindingList, LokiFinding, LokiReason } from '../model/loki';
import { FF_HASH_HI, FF_HASH_LO, FF_MD5, FF_MD5_KIND, FF_NUMS, FF_PATH_END, FF_SHA1_KIND, FF_SHA256_KIND, FF_SLOTS, buildFileFinding, hashKeyOfText, locateFileFinding, type FindingBody } from './python-messages';
import { pathHash, type TextPool } from './loki-intern';

/** Node's undocumented fast paths of Buffer#write / #toString for latin1 (also used by ./loki.ts). */
type RawBuffer = Buffer & { latin1Slice(start: number, end: number): string; latin1Write(text: string, offset: number, length: number): number };

/** Level codes of the `level` column. */
const LEVELS: readonly FindingLevel[] = ['ALERT', 'WARNING', 'NOTICE'];
const levelCode = (l: FindingLevel): number => (l === 'ALERT' ? 0 : l === 'WARNING' ? 1 : 2);

/**
 * What `fstat` said of a file when it was parsed, and a fingerprint of its first bytes. If a later
 * `fstat` says the same, its bytes are taken to be the same too (a file rewritten within the same
 * modification-time tick with the same size and inode would not be noticed). If not, the file must
 * still start with the same {@link HEAD_BYTES} bytes (Loki writes the scan's start time on every
 * line, so a scan written again over the file fails here) and each message read back is checked
 * (see LokiFindingStore.at); a file that only grew (Loki still writing) passes both.
 */
export interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Bytes covered by {@link head} (`min(HEAD_BYTES, bytes read first)`). */
  headBytes: number;
  /** SHA-1 (hex) of the file's first `headBytes` bytes. */
  head: string;
}

/** Bytes at the start of a file whose fingerprint is kept ({@link FileStamp.head}). */
export const HEAD_BYTES = 1 << 16;

/** The {@link FileStamp} of `fs.Stats` and the file's first bytes `first` (at most {@link HEAD_BYTES} are used). */
export function stampOf(st: fs.Stats, first: Uint8Array): FileStamp {
  const headBytes = Math.min(HEAD_BYTES, first.length);
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, headBytes, head: headOf(first.subarray(0, headBytes)) };
}

const headOf = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

/** Reads up to `n` bytes of `fd` at `pos` into `buf[0, n)` (several reads if need be); returns the bytes read (fewer at the end of the file). */
function readFully(fd: number, buf: Uint8Array, n: number, pos: number): number {
  let got = 0;
  while (got < n) {
    const k = fs.readSync(fd, buf, got, n - got, pos + got);
    if (k === 0) break;
    got += k;
  }
  return got;
}

const sameStat = (a: fs.Stats, b: FileStamp): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/**
 * Reads the messages of columnar findings back from their log files (one reader per analysis run,
 * shared by the stores of its files). The parser keeps a message as its byte range in the file
 * instead of a copy: keeping hundreds of MB of copies costs more (fresh memory, page faults) than
 * reading the bytes again from the page cache when a finding is built. Reads go through one
 * window of {@link WINDOW} bytes (the file is opened, read and closed per window: no descriptor
 * stays open), so building the findings in file order reads each file once more.
 *
 * Errors: {@link text} throws an Error naming the file when it cannot be opened or read again, is
 * no longer a regular file, or no longer holds the range.
 */
export class MessageReader {
  /** Bytes read per window (a longer message gets a window of its own size). */
  static readonly WINDOW = 1 << 20;
  /** Bytes read per window for scattered reads (`text(…, sparse)`: a few rows far apart, e.g. the hash view's kept rows). */
  static readonly SPARSE_WINDOW = 1 << 12;
  private buf: RawBuffer | undefined;
  private path: string | undefined;
  private start = 0;
  private len = 0;
  /** The file of the current window had, when read, the stamp of the last {@link text} call. */
  unchanged = true;
  /** The file of the current window still starts as it did (see {@link FileStamp.head}); set with {@link unchanged}. */
  sameHead = true;
  /** `fstat` of the file of the current window when it was read. */
  private winStat: fs.Stats | undefined;
  /** Head fingerprints of the current window's file, by number of bytes (computed when a changed stamp needs one). */
  private winHeads = new Map<number, string | undefined>();
  /** Windows read so far (tests, benchmarks). */
  reads = 0;

  /**
   * The bytes `[at, at + n)` of the file `path` as a latin1 string (the messages stored are ASCII).
   * After the call, {@link unchanged} tells whether the file's stamp still equals `stamp`, and
   * {@link sameHead} whether the file still starts with the same bytes; when the stamp differs, the
   * caller checks the text (see LokiFindingStore). `sparse`: read a window of {@link SPARSE_WINDOW}
   * bytes when the range is not in the current one (for reads far apart).
   */
  text(path: string, stamp: FileStamp, at: number, n: number, sparse = false): string {
    if (path !== this.path || at < this.start || at + n > this.start + this.len) this.fill(path, at, n, sparse ? MessageReader.SPARSE_WINDOW : MessageReader.WINDOW);
    const w = this.winStat!;
    // Per call: one reader serves several stores, and a window read for one may serve another.
    this.unchanged = sameStat(w, stamp);
    this.sameHead = this.unchanged || this.headOfWindowFile(path, stamp.headBytes) === stamp.head;
    const o = at - this.start;
    return this.buf!.latin1Slice(o, o + n);
  }

  /** {@link FileStamp.head} of the current window's file now, over its first `n` bytes (undefined when it has fewer). */
  private headOfWindowFile(path: string, n: number): string | undefined {
    if (this.winHeads.has(n)) return this.winHeads.get(n);
    let head: string | undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      const b = Buffer.allocUnsafe(n);
      head = readFully(fd, b, n, 0) === n ? headOf(b) : undefined;
    } catch {
      head = undefined; // the window's read reports a file that cannot be read
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    this.winHeads.set(n, head);
    return head;
  }

  private fill(path: string, at: number, n: number, window: number): void {
    this.path = undefined;
    this.len = 0;
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new Error('no longer a regular file');
      this.winStat = st;
      this.winHeads.clear();
      const size = Math.max(window, n);
      if (this.buf === undefined || this.buf.length < size) this.buf = Buffer.allocUnsafeSlow(Math.max(size, MessageReader.WINDOW)) as RawBuffer;
      const got = readFully(fd, this.buf, Math.min(size, Math.max(n, st.size - at)), at);
      if (got < n) throw new Error('the file is shorter than when it was analyzed');
      this.path = path;
      this.start = at;
      this.len = got;
      this.reads++;
    } catch (e) {
      throw new Error(`cannot read the findings of ${path} again: ${(e as Error)?.message ?? String(e)}; run the analysis again`);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}

/**
 * The finding object the parser builds from an envelope and a parsed message body (same keys in
 * the same order on every path; optional fields only when defined and, for numbers, finite).
 */
export function findingFromBody(
  host: string, level: FindingLevel, module: string, timestamp: number, message: string,
  file: string, line: number, scanIndex: number, b: FindingBody,
): LokiFinding {
  if (
    b.path !== undefined && b.score !== undefined && Number.isFinite(b.score) && b.fileType !== undefined &&
    b.size !== undefined && Number.isFinite(b.size) && b.firstBytes !== undefined && b.md5 !== undefined &&
    b.sha1 !== undefined && b.sha256 !== undefined && b.created !== undefined && b.modified !== undefined &&
    b.accessed !== undefined && b.pid === undefined && b.processName === undefined && b.owner === undefined &&
    b.commandLine === undefined && b.ip === undefined && b.port === undefined
  ) {
    // The common complete file finding as one literal: same keys in the same order as below,
    // but every property in-object (smaller, and no back-store growth garbage).
    return {
      host,
      level,
      module,
      kind: b.kind,
      timestamp,
      reasons: b.reasons,
      message,
      source: { file, line },
      scanIndex,
      path: b.path,
      score: b.score,
      fileType: b.fileType,
      size: b.size,
      firstBytes: b.firstBytes,
      md5: b.md5,
      sha1: b.sha1,
      sha256: b.sha256,
      created: b.created,
      modified: b.modified,
      accessed: b.accessed,
    };
  }
  const f: LokiFinding = { host, level, module, kind: b.kind, timestamp, reasons: b.reasons, message, source: { file, line }, scanIndex };
  // Copy only defined optional fields (keeps objects small and deepEqual-friendly).
  if (b.path !== undefined) f.path = b.path;
  if (b.score !== undefined && Number.isFinite(b.score)) f.score = b.score;
  if (b.fileType !== undefined) f.fileType = b.fileType;
  if (b.size !== undefined && Number.isFinite(b.size)) f.size = b.size;
  if (b.firstBytes !== undefined) f.firstBytes = b.firstBytes;
  if (b.md5 !== undefined) f.md5 = b.md5;
  if (b.sha1 !== undefined) f.sha1 = b.sha1;
  if (b.sha256 !== undefined) f.sha256 = b.sha256;
  if (b.created !== undefined) f.created = b.created;
  if (b.modified !== undefined) f.modified = b.modified;
  if (b.accessed !== undefined) f.accessed = b.accessed;
  if (b.pid !== undefined && Number.isFinite(b.pid)) f.pid = b.pid;
  if (b.processName !== undefined) f.processName = b.processName;
  if (b.owner !== undefined) f.owner = b.owner;
  if (b.commandLine !== undefined) f.commandLine = b.commandLine;
  if (b.ip !== undefined) f.ip = b.ip;
  if (b.port !== undefined && Number.isFinite(b.port)) f.port = b.port;
  return f;
}

/**
 * What the merge and the summary read of each finding, by position, without building findings.
 * Implemented by {@link LokiFindingStore}, {@link FindingView} and {@link columnsOf}'s array adapter.
 */
export { pathHash, pathHashBytes } from './loki-intern';

export interface FindingColumns {
  readonly length: number;
  levelAt(i: number): FindingLevel;
  hostAt(i: number): string;
  pathAt(i: number): string | undefined;
  /** {@link pathHash} of `pathAt(i)` (of '' when there is none). */
  pathHashAt(i: number): number;
  /** The finding's `score`, or undefined. */
  scoreAt(i: number): number | undefined;
  reasonsAt(i: number): readonly LokiReason[];
  scanIndexAt(i: number): number;
  /**
   * The finding's strongest hash ({@link strongestHash}: SHA256, else SHA1, else MD5), lower case;
   * undefined when it has none. A columnar row reads the hash back from its log (see
   * LokiFindingStore.hashKeyAt): call it in row order, not on a hot path.
   */
  hashKeyAt(i: number): string | undefined;
  /**
   * The finding's MD5, SHA1 and SHA256, those it has (a columnar row reads only their digits back;
   * `sparse`: through a small window, for rows read far apart, see MessageReader.text).
   */
  hashesAt(i: number, sparse?: boolean): FindingHashes | undefined;
  /**
   * The numeric key of the finding's strongest hash (hashKeyOfText in ./python-messages.ts: its type
   * and first 25 hex digits as two integers), without reading anything back: writes `out[0]`, `out[1]`
   * and returns 1; 0 when the finding has no hash; -1 when its hash has no numeric key (not 32, 40 or
   * 64 hex digits).
   */
  hashNumsAt(i: number, out: Float64Array): -1 | 0 | 1;
  /**
   * For a process finding (`kind: 'process'`: Loki-RS `process_match`, Python `ProcessScan`) or a connection finding
   * (`kind: 'connection'`: Python's C2 and connection lines, which name a process too), its process name and PID
   * (those it has); undefined for every other finding. A columnar row is a file finding: nothing is read back.
   */
  processAt(i: number): FindingProcess | undefined;
}

/** The process of a process finding ({@link FindingColumns.processAt}): its name (else its executable path) and PID. */
export interface FindingProcess {
  name?: string;
  pid?: number;
}

/** {@link FindingColumns.processAt} of finding `f`. */
export function processOf(f: LokiFinding): FindingProcess | undefined {
  if (f.kind !== 'process' && f.kind !== 'connection') return undefined;
  const name = f.processName || f.path;
  return { ...(name ? { name } : {}), ...(f.pid !== undefined && Number.isFinite(f.pid) ? { pid: f.pid } : {}) };
}

/** {@link FindingColumns.hashNumsAt} of a finding object. */
function hashNumsOf(f: LokiFinding, out: Float64Array): -1 | 0 | 1 {
  const h = f.sha256 || f.sha1 || f.md5;
  return !h ? 0 : hashKeyOfText(h, out) ? 1 : -1;
}

/** The hashes of a finding (those it has). */
export type FindingHashes = Pick<LokiFinding, 'md5' | 'sha1' | 'sha256'>;

const pickHashes = (f: LokiFinding): FindingHashes => ({
  ...(f.md5 !== undefined ? { md5: f.md5 } : {}),
  ...(f.sha1 !== undefined ? { sha1: f.sha1 } : {}),
  ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}),
});

/**
 * The strongest hash of a finding: its SHA256, else its SHA1, else its MD5 (the first that is not
 * empty), in lower case; undefined when it has none. The key of the hash view (LokiAnalysis.hashes).
 */
export function strongestHash(f: Pick<LokiFinding, 'md5' | 'sha1' | 'sha256'>): string | undefined {
  const h = f.sha256 || f.sha1 || f.md5;
  return h ? h.toLowerCase() : undefined;
}

/** Column access to any finding list (stores and views are their own columns; arrays get an adapter). */
export function columnsOf(list: FindingList): FindingColumns {
  if (list instanceof LokiFindingStore || list instanceof FindingView) return list;
  const a = list as readonly LokiFinding[];
  return {
    length: a.length,
    levelAt: (i) => a[i].level,
    hostAt: (i) => a[i].host,
    pathAt: (i) => a[i].path,
    pathHashAt: (i) => pathHash(a[i].path ?? ''),
    scoreAt: (i) => a[i].score,
    reasonsAt: (i) => a[i].reasons,
    scanIndexAt: (i) => a[i].scanIndex,
    hashKeyAt: (i) => strongestHash(a[i]),
    hashesAt: (i) => pickHashes(a[i]),
    hashNumsAt: (i, out) => hashNumsOf(a[i], out),
    processAt: (i) => processOf(a[i]),
  };
}

function* iterate(list: FindingList): IterableIterator<LokiFinding> {
  for (let i = 0; i < list.length; i++) yield list.at(i)!;
}

function sliceOf(list: FindingList, start = 0, end = list.length): LokiFinding[] {
  const s = Math.max(0, Math.min(list.length, Math.trunc(start) || 0));
  const e = Math.max(s, Math.min(list.length, Math.trunc(end)));
  const out: LokiFinding[] = new Array(e - s);
  for (let i = s; i < e; i++) out[i - s] = list.at(i)!;
  return out;
}

/** Most distinct reasons lists {@link LokiFindingStore.fromData} shares per run (its `share.reasons` map). */
export const SHARED_REASONS_MAX = 50_000;

const scratchSlots = new Int32Array(FF_SLOTS);
const scratchNums = new Float64Array(FF_NUMS);

const isIndex = (i: number, n: number): boolean => Number.isInteger(i) && i >= 0 && i < n;

/** What a columnar list shares with an array: `slice`, iteration and JSON, all through `at(i)`. */
abstract class ListOfFindings implements FindingList {
  abstract readonly length: number;
  abstract at(i: number): LokiFinding | undefined;

  slice(start?: number, end?: number): LokiFinding[] {
    return sliceOf(this, start, end);
  }

  /** JSON of the list is the JSON of its findings (as for an array), not of its columns. */
  toJSON(): LokiFinding[] {
    return sliceOf(this);
  }

  [Symbol.iterator](): IterableIterator<LokiFinding> {
    return iterate(this);
  }
}

/** The typed columns of a {@link LokiFindingStore} with room for `cap` rows. */
interface ColumnSet {
  cap: number;
  level: Uint8Array<ArrayBuffer>;
  scan: Int32Array<ArrayBuffer>;
  score: Float64Array<ArrayBuffer>;
  host: Int32Array<ArrayBuffer>;
  phash: Int32Array<ArrayBuffer>;
  reason: Int32Array<ArrayBuffer>;
  at0: Float64Array<ArrayBuffer>;
  bytes: Int32Array<ArrayBuffer>;
  line: Float64Array<ArrayBuffer>;
  ts: Float64Array<ArrayBuffer>;
  module: Uint8Array<ArrayBuffer>;
  slots: Int32Array<ArrayBuffer>;
  nums: Float64Array<ArrayBuffer>;
}

/**
 * Column sets of finished stores, for the next stores of this thread to fill (bench/NOTES.md, "Loki,
 * thirteenth round"): a store fills one while its file is parsed and {@link LokiFindingStore.trim}
 * copies the rows out at the end, so a file's columns are allocated once at their final size instead
 * of growing 256 → 512 → … rows, each step a fresh zeroed allocation and a copy. Rows of a set hold
 * the values of an earlier file until written: every column of a row is written when the row is
 * added, and `locateFileFinding` writes all of a row's slots. At most {@link SCRATCH_SETS} sets
 * (files parsed at once in one thread), each of at most {@link SCRATCH_MAX_ROWS} rows (~2.3 MB), are kept.
 */
const SCRATCH: ColumnSet[] = [];
const SCRATCH_SETS = 4;
const SCRATCH_MAX_ROWS = 16_384;

/**
 * The findings of one file, in parse order: file findings of plain ASCII Python CSV records as
 * columns ({@link addFile}), everything else as objects ({@link addObject}).
 */
export class LokiFindingStore extends ListOfFindings implements FindingColumns {
  length = 0;
  private cap = 0; // rows the typed arrays hold
  /** Object rows (undefined for columnar rows); undefined while the store has none. */
  private objs: (LokiFinding | undefined)[] | undefined;
  // --- columns of every row
  private level = new Uint8Array(0);
  private scan = new Int32Array(0);
  private score = new Float64Array(0); // NaN: no score
  /** Host of the row: an index into `hostNames` (a file has one host or a few). */
  private host = new Int32Array(0);
  private hostNames: string[] = [];
  private readonly hostIndex = new Map<string, number>();
  private readonly paths: (string | undefined)[] = [];
  /** {@link pathHash} of the row's path. */
  private phash = new Int32Array(0);
  /** Reasons list of the row: an index into `reasonLists` (the parser shares equal lists). */
  private reason = new Int32Array(0);
  private reasonLists: LokiReason[][] = [];
  private readonly reasonIndex = new Map<LokiReason[], number>();
  // --- columnar rows only
  private at0 = new Float64Array(0); // file offset of the message (Float64: files may exceed 2 GiB)
  private bytes = new Int32Array(0);
  private line = new Float64Array(0); // not Int32: a file of > 2 GiB can have more than 2^31 lines
  private ts = new Float64Array(0);
  private module = new Uint8Array(0);
  private slots = new Int32Array(0);
  private nums = new Float64Array(0);
  private readonly modules: string[] = [];

  /**
   * @param file `source.file` of the findings, and the file their messages are read back from.
   * @param reader reads messages back (one per run).
   * @param stamp the file as it was when parsed (required for {@link addFile}).
   *
   * The store does not keep the run's memos (LokiIntern): they would stay alive with the findings
   * (every memo key, e.g. a copy of each distinct REASON tail). A built finding's TYPE and
   * FIRST_BYTES are slices of its own message (equal values; the finding holds the message anyway).
   */
  constructor(
    readonly file: string,
    private readonly reader: MessageReader,
    private readonly stamp?: FileStamp,
  ) {
    super();
  }

  /** The columns are a set of {@link SCRATCH} (taken from it, or new): {@link trim} copies the rows out and gives the set back. */
  private scratch = false;

  private grow(): void {
    if (this.cap === 0) {
      // The first row: a set from the pool, or new columns that go to the pool at trim.
      this.scratch = true;
      const set = SCRATCH.pop();
      if (set !== undefined) {
        this.useColumns(set);
        return;
      }
    }
    const cap = this.cap === 0 ? 256 : this.cap * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.level = g(this.level, cap);
    this.scan = g(this.scan, cap);
    this.score = g(this.score, cap);
    this.host = g(this.host, cap);
    this.phash = g(this.phash, cap);
    this.reason = g(this.reason, cap);
    this.at0 = g(this.at0, cap);
    this.bytes = g(this.bytes, cap);
    this.line = g(this.line, cap);
    this.ts = g(this.ts, cap);
    this.module = g(this.module, cap);
    this.slots = g(this.slots, cap * FF_SLOTS);
    this.nums = g(this.nums, cap * FF_NUMS);
    this.cap = cap;
  }

  private useColumns(c: ColumnSet): void {
    this.level = c.level;
    this.scan = c.scan;
    this.score = c.score;
    this.host = c.host;
    this.phash = c.phash;
    this.reason = c.reason;
    this.at0 = c.at0;
    this.bytes = c.bytes;
    this.line = c.line;
    this.ts = c.ts;
    this.module = c.module;
    this.slots = c.slots;
    this.nums = c.nums;
    this.cap = c.cap;
  }

  /** Appends a finding the parser built. */
  addObject(f: LokiFinding): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    (this.objs ??= new Array<LokiFinding | undefined>(i).fill(undefined)).push(f);
    this.level[i] = levelCode(f.level);
    this.scan[i] = f.scanIndex;
    this.score[i] = f.score === undefined ? NaN : f.score;
    this.host[i] = this.hostIdx(f.host);
    this.paths.push(f.path);
    this.phash[i] = pathHash(f.path ?? '');
    this.reason[i] = this.reasonIdx(f.reasons);
  }

  private hostIdx(h: string): number {
    const n = this.hostNames.length;
    if (n > 0 && this.hostNames[n - 1] === h) return n - 1;
    let k = this.hostIndex.get(h);
    if (k === undefined) {
      k = n;
      this.hostNames.push(h);
      this.hostIndex.set(h, k);
    }
    return k;
  }

  private lastReasons: LokiReason[] | undefined;
  private lastReasonIdx = -1;

  private reasonIdx(r: LokiReason[]): number {
    if (r === this.lastReasons) return this.lastReasonIdx;
    let k = this.reasonIndex.get(r);
    if (k === undefined) {
      k = this.reasonLists.length;
      this.reasonLists.push(r);
      this.reasonIndex.set(r, k);
    }
    this.lastReasons = r;
    return (this.lastReasonIdx = k);
  }

  /**
   * The row the next {@link addFile} fills. Its positions go to `slotRows[row * FF_SLOTS …]` and
   * `numRows[row * FF_NUMS …]` (`locateFileFinding` writes them there directly); read the two
   * arrays after this call, as it may replace them.
   */
  nextRow(): number {
    if (this.length === this.cap) this.grow();
    return this.length;
  }

  /** Positions of the rows (see {@link nextRow}). */
  get slotRows(): Int32Array {
    return this.slots;
  }

  /** Numbers of the rows (see {@link nextRow}). */
  get numRows(): Float64Array {
    return this.nums;
  }

  /**
   * Appends a file finding as columns, in the row of {@link nextRow} whose positions are already
   * written. The message is ASCII and is the file's bytes `[at, at + bytes)`.
   * `path` and `reasons` are the values the finding gets (`buildFileFinding` gives equal ones);
   * `hash` is {@link pathHash} of `path`. Returns the row index.
   */
  addFile(
    host: string, level: FindingLevel, module: string, timestamp: number, at: number, bytes: number,
    line: number, scanIndex: number, path: string, hash: number, score: number, reasons: LokiReason[],
  ): number {
    const i = this.nextRow();
    this.length++;
    this.objs?.push(undefined);
    this.level[i] = levelCode(level);
    this.scan[i] = scanIndex;
    this.score[i] = score;
    this.host[i] = this.hostIdx(host);
    this.paths.push(path);
    this.phash[i] = hash;
    this.reason[i] = this.reasonIdx(reasons);
    this.at0[i] = at;
    this.bytes[i] = bytes;
    this.line[i] = line;
    this.ts[i] = timestamp;
    let m = this.modules.indexOf(module);
    if (m < 0) {
      m = this.modules.length;
      this.modules.push(module);
    }
    this.module[i] = m;
    return i;
  }

  /**
   * Moves rows to other scans: a row of scan `s` (an index below `map.length`) becomes a row of scan `map[s]`, under
   * the host `hostOf[map[s]]` (the parser merges a scan that forged lines opened into the scan they are part of,
   * see LokiLineParser.consolidate). Object rows are changed in place (the parser's own objects).
   */
  remapScans(map: ArrayLike<number>, hostOf: readonly string[]): void {
    for (let i = 0; i < this.length; i++) {
      const s = this.scan[i];
      if (!(s >= 0 && s < map.length)) continue;
      const t = map[s];
      const h = hostOf[t];
      this.scan[i] = t;
      if (this.hostNames[this.host[i]] !== h) this.host[i] = this.hostIdx(h);
      const o = this.objs?.[i];
      if (o !== undefined) {
        o.scanIndex = t;
        o.host = h;
      }
    }
  }

  /** True when {@link addFile} can take another module name (at most 255 per file). */
  acceptsModule(module: string): boolean {
    return this.modules.length < 255 || this.modules.includes(module);
  }

  /**
   * The finding at `i` (undefined out of range). Columnar rows are built anew on each call, their
   * message read back from the file (see {@link MessageReader}); `host` replaces the stored host
   * (the merge's display spelling).
   *
   * Throws an Error naming the file when the message cannot be read again, or when the file has
   * changed since it was parsed (see {@link FileStamp}) and no longer starts with the same bytes, or
   * the bytes no longer hold this finding (positions of every part, SCORE, SIZE, path and reasons);
   * a file that only grew (Loki still writing) passes.
   */
  at(i: number, host?: string): LokiFinding | undefined {
    if (!isIndex(i, this.length)) return undefined;
    const o = this.objs !== undefined ? this.objs[i] : undefined;
    if (o !== undefined) return host === undefined || host === o.host ? o : { ...o, host };
    const message = this.reader.text(this.file, this.stamp!, this.at0[i], this.bytes[i]);
    if (!this.reader.unchanged) {
      if (!this.reader.sameHead) throw new Error(`${this.file} changed after it was analyzed (it no longer starts as it did); run the analysis again`);
      this.check(i, message);
    }
    const b = buildFileFinding(message, this.slots, this.nums, undefined, i * FF_SLOTS, i * FF_NUMS, { path: this.paths[i]!, reasons: this.reasonsAt(i) as LokiReason[] });
    return findingFromBody(host ?? this.hostAt(i), LEVELS[this.level[i]], this.modules[this.module[i]], this.ts[i], message, this.file, this.line[i], this.scan[i], b);
  }


  /** Where the message of row `i` is in {@link file} (columnar rows only; undefined for object rows and out of range). */
  messageAt(i: number): { offset: number; bytes: number } | undefined {
    if (!isIndex(i, this.length) || (this.objs !== undefined && this.objs[i] !== undefined)) return undefined;
    return { offset: this.at0[i], bytes: this.bytes[i] };
  }

  /** Throws unless `message` (read from a file that changed since) still gives row `i`. */
  private check(i: number, message: string): void {
    const sl = scratchSlots;
    const nu = scratchNums;
    let same = message.startsWith('FILE: ') && locateFileFinding(message, sl, nu, 0, 0);
    for (let k = 0; same && k < FF_SLOTS; k++) same = sl[k] === this.slots[i * FF_SLOTS + k];
    for (let k = 0; same && k < FF_NUMS; k++) same = Object.is(nu[k], this.nums[i * FF_NUMS + k]);
    if (same) same = message.slice(6, sl[FF_PATH_END]) === this.paths[i];
    if (same) same = JSON.stringify(buildFileFinding(message, sl, nu).reasons) === JSON.stringify(this.reasonsAt(i));
    if (!same) throw new Error(`${this.file} changed after it was analyzed (line ${this.line[i]} no longer holds its finding); run the analysis again`);
  }

  levelAt(i: number): FindingLevel {
    return LEVELS[this.level[i]];
  }
  hostAt(i: number): string {
    return this.hostNames[this.host[i]];
  }
  pathAt(i: number): string | undefined {
    return this.paths[i];
  }
  pathHashAt(i: number): number {
    return this.phash[i];
  }
  scoreAt(i: number): number | undefined {
    const s = this.score[i];
    return s === s ? s : undefined;
  }
  reasonsAt(i: number): readonly LokiReason[] {
    return this.reasonLists[this.reason[i]];
  }
  scanIndexAt(i: number): number {
    return this.scan[i];
  }
  processAt(i: number): FindingProcess | undefined {
    const o = this.objs !== undefined ? this.objs[i] : undefined;
    return o === undefined ? undefined : processOf(o); // a columnar row is a file finding
  }
  /**
   * Row `i`'s MD5, SHA1 and SHA256 (those it has, as {@link at} gives them), reading only their digits
   * back from the log for a columnar row (`sparse`: see MessageReader.text); undefined out of range.
   * Throws as {@link at} does.
   */
  hashesAt(i: number, sparse = false): FindingHashes | undefined {
    if (!isIndex(i, this.length)) return undefined;
    const o = this.objs !== undefined ? this.objs[i] : undefined;
    if (o !== undefined) return pickHashes(o);
    const b = i * FF_SLOTS;
    const sl = this.slots;
    const m = sl[b + FF_MD5];
    if (m < 0) return {};
    const end = sl[b + FF_SHA1_KIND] === 0 ? m + 38 : sl[b + FF_SHA256_KIND] === 0 ? m + 85 : m + 158;
    const t = this.reader.text(this.file, this.stamp!, this.at0[i] + m, end - m, sparse);
    if (!this.reader.unchanged) return pickHashes(this.at(i)!);
    const part = (from: number, to: number, kind: number): string => (kind === 1 ? t.slice(from, to) : t.slice(from, to).toLowerCase());
    const out: FindingHashes = { md5: part(6, 38, sl[b + FF_MD5_KIND]) };
    if (end >= m + 85) out.sha1 = part(45, 85, sl[b + FF_SHA1_KIND]);
    if (end === m + 158) out.sha256 = part(94, 158, sl[b + FF_SHA256_KIND]);
    return out;
  }

  /** {@link FindingColumns.hashNumsAt}: a columnar row's key is the one the parser computed (FF_HASH_HI, FF_HASH_LO). */
  hashNumsAt(i: number, out: Float64Array): -1 | 0 | 1 {
    const o = this.objs !== undefined ? this.objs[i] : undefined;
    if (o !== undefined) return hashNumsOf(o, out);
    const hi = this.nums[i * FF_NUMS + FF_HASH_HI];
    if (hi !== hi) return 0; // NaN: no hashes
    if (hi < 0) return -1;
    out[0] = hi;
    out[1] = this.nums[i * FF_NUMS + FF_HASH_LO];
    return 1;
  }

  /**
   * {@link strongestHash} of row `i`'s {@link hashesAt} (undefined out of range). A columnar row's hashes are read
   * back from the log: only their hex digits (the positions the parser kept), through the shared reader's
   * window (rows in order read each file once, sequentially). When the file changed since it was
   * parsed, the whole finding is read and checked as {@link at} does (which throws when the file no
   * longer holds it).
   */
  hashKeyAt(i: number): string | undefined {
    const h = this.hashesAt(i);
    return h && strongestHash(h);
  }

  /**
   * The store as plain data for `postMessage` (a parse worker sends its files' stores to the thread
   * that runs the analysis; see {@link fromData}). The typed arrays are listed in `transfer`; the
   * store must not be used after they were transferred.
   *
   * Hosts, paths and reasons lists go as one table of distinct values each plus an index per row
   * (Int32Array): a structured clone copies every string it meets, so a column of the same host a
   * thousand times would arrive as a thousand strings. Object rows go as a list with their rows.
   */
  toData(): { data: LokiStoreData; transfer: ArrayBuffer[] } {
    this.trim();
    const n = this.length;
    const paths = tableOf(this.paths, n);
    const objRows: number[] = [];
    const objList: LokiFinding[] = [];
    const objs = this.objs;
    if (objs !== undefined) {
      for (let i = 0; i < n; i++) {
        const o = objs[i];
        if (o !== undefined) {
          objRows.push(i);
          objList.push(o);
        }
      }
    }
    const hosts = { row: this.host, list: this.hostNames };
    const reasons = { row: this.reason, list: this.reasonLists };
    const data: LokiStoreData = {
      file: this.file, stamp: this.stamp, length: n,
      objRows: Int32Array.from(objRows), objList,
      hostRow: hosts.row, hostList: hosts.list, pathRow: paths.row, pathList: paths.list, pathHash: this.phash, reasonRow: reasons.row, reasonList: reasons.list,
      reasonKeys: reasons.list.map(reasonsKey),
      modules: this.modules,
      level: this.level, scan: this.scan, score: this.score, at0: this.at0, bytes: this.bytes, line: this.line,
      ts: this.ts, module: this.module, slots: this.slots, nums: this.nums,
    };
    const transfer = [
      data.objRows, data.hostRow, data.pathRow, data.pathHash, data.reasonRow,
      data.level, data.scan, data.score, data.at0, data.bytes, data.line, data.ts, data.module, data.slots, data.nums,
    ].map((a) => a.buffer as ArrayBuffer);
    return { data, transfer };
  }

  /**
   * The store sent as {@link toData}, its messages read back by `reader`.
   *
   * `share` (one per run) makes the values of many such stores shared again, as the parser shares
   * them within one thread: `reasons` maps a reasons list's JSON to the first equal list seen (at most
   * {@link SHARED_REASONS_MAX} lists of at most 4,096 characters of JSON; consumers such as the CLI's
   * JSON writer cache by array), `texts` pools the paths.
   */
  static fromData(d: LokiStoreData, reader: MessageReader, share?: { reasons: Map<string, LokiReason[]>; texts?: TextPool }): LokiFindingStore {
    const st = new LokiFindingStore(d.file, reader, d.stamp);
    const n = d.length;
    const reasonList = d.reasonList;
    const sent = reasonList.slice(); // the lists as they arrived (object rows may hold them too)
    if (share) {
      for (let k = 0; k < reasonList.length; k++) {
        const r = reasonList[k];
        const key = d.reasonKeys[k];
        if (key === '' || key.length > MAX_REASONS_KEY) continue;
        const s = share.reasons.get(key);
        if (s !== undefined) reasonList[k] = s;
        else if (share.reasons.size < SHARED_REASONS_MAX) share.reasons.set(key, r);
      }
    }
    const pathList = d.pathList;
    const texts = share?.texts;
    if (texts) for (let k = 0; k < pathList.length; k++) if (pathList[k] !== undefined) pathList[k] = texts.text(pathList[k]!);
    const paths: (string | undefined)[] = new Array(n);
    for (let i = 0; i < n; i++) paths[i] = pathList[d.pathRow[i]];
    let objs: (LokiFinding | undefined)[] | undefined;
    if (d.objRows.length > 0) {
      objs = new Array<LokiFinding | undefined>(n).fill(undefined);
      for (let k = 0; k < d.objRows.length; k++) {
        const i = d.objRows[k];
        const o = d.objList[k];
        // An object row's finding holds its row's list (one array in the message): it gets the shared one.
        const r = d.reasonRow[i];
        if (o.reasons === sent[r]) o.reasons = reasonList[r];
        objs[i] = o;
      }
    }
    const w = st as unknown as Record<string, unknown>;
    Object.assign(w, { objs, paths, phash: d.pathHash, modules: d.modules, host: d.hostRow, hostNames: d.hostList, reason: d.reasonRow, reasonLists: reasonList });
    for (const k of ['level', 'scan', 'score', 'at0', 'bytes', 'line', 'ts', 'module', 'slots', 'nums'] as const) w[k] = d[k];
    st.length = n;
    st.cap = n;
    return st;
  }

  /** Number of columnar rows (tests, benchmarks). */
  get columnarRows(): number {
    let n = 0;
    const objs = this.objs;
    if (objs === undefined) return this.length;
    for (let i = 0; i < this.length; i++) if (objs[i] === undefined) n++;
    return n;
  }

  /**
   * Drops spare capacity (call once the file is parsed): the columns become exact copies, and
   * columns taken from {@link SCRATCH} (see grow) go back there for the next file's store.
   */
  trim(): void {
    const n = this.length;
    const scratch = this.scratch;
    this.scratch = false;
    if (n === this.cap && !scratch) return;
    const set: ColumnSet | undefined = scratch && this.cap <= SCRATCH_MAX_ROWS && SCRATCH.length < SCRATCH_SETS
      ? { cap: this.cap, level: this.level, scan: this.scan, score: this.score, host: this.host, phash: this.phash, reason: this.reason, at0: this.at0, bytes: this.bytes, line: this.line, ts: this.ts, module: this.module, slots: this.slots, nums: this.nums }
      : undefined;
    this.level = this.level.slice(0, n);
    this.scan = this.scan.slice(0, n);
    this.score = this.score.slice(0, n);
    this.host = this.host.slice(0, n);
    this.phash = this.phash.slice(0, n);
    this.reason = this.reason.slice(0, n);
    this.at0 = this.at0.slice(0, n);
    this.bytes = this.bytes.slice(0, n);
    this.line = this.line.slice(0, n);
    this.ts = this.ts.slice(0, n);
    this.module = this.module.slice(0, n);
    this.slots = this.slots.slice(0, n * FF_SLOTS);
    this.nums = this.nums.slice(0, n * FF_NUMS);
    this.cap = n;
    if (set !== undefined) SCRATCH.push(set);
  }

}

/**
 * A {@link LokiFindingStore} as plain data ({@link LokiFindingStore.toData}): per row, `hostRow[i]`
 * indexes `hostList` (likewise paths and reasons lists); the rows `objRows[k]` are the findings
 * `objList[k]` (object rows); the other columns as in the store.
 */
export interface LokiStoreData {
  file: string;
  stamp: FileStamp | undefined;
  length: number;
  objRows: Int32Array;
  objList: LokiFinding[];
  hostRow: Int32Array;
  hostList: string[];
  pathRow: Int32Array;
  pathList: (string | undefined)[];
  /** Per row, {@link pathHash} of its path. */
  pathHash: Int32Array;
  reasonRow: Int32Array;
  reasonList: LokiReason[][];
  /** Per list of `reasonList`, its JSON (the key that {@link LokiFindingStore.fromData} shares lists by), or '' when too long to share. */
  reasonKeys: string[];
  modules: string[];
  level: Uint8Array;
  scan: Int32Array;
  score: Float64Array;
  at0: Float64Array;
  bytes: Int32Array;
  line: Float64Array;
  ts: Float64Array;
  module: Uint8Array;
  slots: Int32Array;
  nums: Float64Array;
}

/**
 * Selected findings of several lists, in the given order, each with the host spelling the merge
 * displays (see analyzeLoki). Columns read through to the underlying lists.
 */
export class FindingView extends ListOfFindings implements FindingColumns {
  readonly length: number;
  private readonly cols: FindingColumns[];

  /**
   * @param lists the underlying lists.
   * @param list per row, the index of its list in `lists`.
   * @param row per row, its index in that list.
   * @param host per row, the index in `hostNames` of the host spelling shown.
   * @param hostNames the host spellings shown.
   */
  constructor(
    private readonly lists: readonly FindingList[],
    private readonly list: Int32Array,
    private readonly row: Int32Array,
    private readonly host: Int32Array,
    private readonly hostNames: readonly string[],
  ) {
    super();
    this.length = row.length;
    this.cols = lists.map(columnsOf);
  }

  at(i: number): LokiFinding | undefined {
    if (!isIndex(i, this.length)) return undefined;
    const l = this.lists[this.list[i]];
    const h = this.hostNames[this.host[i]];
    if (l instanceof LokiFindingStore) return l.at(this.row[i], h);
    const f = l.at(this.row[i])!;
    return f.host === h ? f : { ...f, host: h };
  }

  /** {@link LokiFindingStore.messageAt} of the row behind `i` (undefined unless it is a columnar row). */
  messageAt(i: number): { offset: number; bytes: number } | undefined {
    if (!isIndex(i, this.length)) return undefined;
    const l = this.lists[this.list[i]];
    return l instanceof LokiFindingStore ? l.messageAt(this.row[i]) : undefined;
  }


  levelAt(i: number): FindingLevel {
    return this.cols[this.list[i]].levelAt(this.row[i]);
  }
  hostAt(i: number): string {
    return this.hostNames[this.host[i]];
  }
  pathAt(i: number): string | undefined {
    return this.cols[this.list[i]].pathAt(this.row[i]);
  }
  pathHashAt(i: number): number {
    return this.cols[this.list[i]].pathHashAt(this.row[i]);
  }
  scoreAt(i: number): number | undefined {
    return this.cols[this.list[i]].scoreAt(this.row[i]);
  }
  reasonsAt(i: number): readonly LokiReason[] {
    return this.cols[this.list[i]].reasonsAt(this.row[i]);
  }
  scanIndexAt(i: number): number {
    return this.cols[this.list[i]].scanIndexAt(this.row[i]);
  }
  hashKeyAt(i: number): string | undefined {
    return this.cols[this.list[i]].hashKeyAt(this.row[i]);
  }
  processAt(i: number): FindingProcess | undefined {
    return this.cols[this.list[i]].processAt(this.row[i]);
  }
  hashesAt(i: number, sparse?: boolean): FindingHashes | undefined {
    return this.cols[this.list[i]].hashesAt(this.row[i], sparse);
  }
  hashNumsAt(i: number, out: Float64Array): -1 | 0 | 1 {
    return this.cols[this.list[i]].hashNumsAt(this.row[i], out);
  }
}

/**
 * The findings of `view` as the extension host gets them from the analysis worker: columnar file
 * findings with a path without their message (`message: ''`, `messageAt` set: where to read it back, see
 * src/core/parse/loki-message.ts), every other finding as it is. The host then holds ~40 % less per
 * finding and the transfer clones that much less (bench/NOTES.md, "Result transfer"); the message is
 * shown only in a finding's detail. Built slice by slice like the view it wraps (`postResult`).
 */
export class MessagelessFindings extends ListOfFindings {
  readonly length: number;
  constructor(private readonly view: FindingView | LokiFindingStore) {
    super();
    this.length = view.length;
  }

  at(i: number): LokiFinding | undefined {
    const f = this.view.at(i);
    const m = f === undefined ? undefined : this.view.messageAt(i);
    // A finding with an empty path keeps its message: labels and the timeline fall back to it.
    if (f === undefined || m === undefined || !f.path) return f;
    f.message = '';
    f.messageAt = m;
    return f;
  }
}

/**
 * True for a list object that is not an array: `length`, `at` and `slice` (a columnar {@link FindingList});
 * typed arrays are not. Code that sends or walks plain arrays turns such lists into arrays with `slice`.
 */
export function isListObject(v: unknown): v is { length: number; at(i: number): unknown; slice(start?: number, end?: number): unknown[] } {
  if (Array.isArray(v) || v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return false;
  const o = v as { length?: unknown; slice?: unknown; at?: unknown };
  return typeof o.length === 'number' && typeof o.slice === 'function' && typeof o.at === 'function';
}

/** The findings of a list as an array (the array itself when it is one). */
export function findingsArray(list: FindingList): LokiFinding[] {
  return Array.isArray(list) ? list : list.slice(0, list.length);
}

/**
 * The distinct values of `col[0 … n)` in first-seen order (`===`; the previous row's value is tried
 * first, as neighbouring rows mostly share it) and each row's index into them.
 */
function tableOf<T>(col: readonly T[], n: number): { list: T[]; row: Int32Array } {
  const row = new Int32Array(n);
  const list: T[] = [];
  const index = new Map<T, number>();
  let last: T | undefined;
  let lastIdx = -1;
  for (let i = 0; i < n; i++) {
    const v = col[i];
    if (lastIdx >= 0 && v === last) {
      row[i] = lastIdx;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = list.length;
      list.push(v);
      index.set(v, k);
    }
    row[i] = lastIdx = k;
    last = v;
  }
  return { list, row };
}

/** Longest JSON of a reasons list by which lists are shared (see {@link LokiFindingStore.fromData}). */
const MAX_REASONS_KEY = 4096;

/**
 * JSON of reasons lists, kept per list: a parse worker's lists are shared by the findings of all
 * the files it parses (the run's memos), so each list is turned into JSON once, not once per file.
 * A list whose JSON is longer than {@link MAX_REASONS_KEY} is not shared: its key is '' (neither kept
 * at length nor sent).
 */
const REASONS_KEYS = new WeakMap<readonly LokiReason[], string>();

function reasonsKey(list: readonly LokiReason[]): string {
  let k = REASONS_KEYS.get(list);
  if (k === undefined) {
    k = JSON.stringify(list);
    if (k.length > MAX_REASONS_KEY) k = '';
    REASONS_KEYS.set(list, k);
  }
  return k;
}
