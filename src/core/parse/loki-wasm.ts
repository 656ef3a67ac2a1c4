/**
 * The Loki `FILE:` message locator in WebAssembly (wasm/loki-locate.ts, AssemblyScript, compiled with SIMD by
 * scripts/build-wasm.mjs and embedded as src/core/parse/generated/loki-locate-wasm.ts): the same results as
 * {@link locateFileFinding} and {@link laterScoreKey} of ./python-messages.ts for an ASCII message given as bytes,
 * for a fraction of the time (issue #7; bench/NOTES.md, "Loki, seventeenth round").
 *
 * One instance per thread (the module is small; each worker thread compiles its own). When WebAssembly or its SIMD
 * instructions are missing, or `SOC_ANALYTICS_WASM=0` is set, {@link lokiLocator} returns undefined and the parser
 * uses the JavaScript functions (same results; the unit tests run both).
 */
import { LOKI_LOCATE_WASM } from './generated/loki-locate-wasm';
import { FF_NUMS, FF_SLOTS } from './python-messages';

/** Environment variable: `0` keeps the parser on its JavaScript locator (a fallback and a check; same results). */
export const WASM_ENV = 'SOC_ANALYTICS_WASM';

/** Bytes of a Loki read chunk (the parser reads files in chunks of this size; ./loki.ts). */
export const LOKI_READ_CHUNK = 1 << 20;

/** Longest message (bytes) the locator copies into its memory; longer ones take the JavaScript path. */
export const WASM_MAX_MESSAGE = 1 << 20;

/**
 * Read chunks the locator keeps in its memory ({@link LokiLocator.takeChunk}): messages read into them are located
 * where they are, without a copy (a copy costs ~140 ns per message, about half of the locate itself). Two per file
 * being read (the parser reads ahead into the other), a few files at once per thread.
 */
const CHUNKS = 8;
/** Readable bytes after each chunk (and after the copy area): the module's 16-byte loads may reach past a message's end. */
const PAD = 64;

/** The parts of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly types). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of wasm/loki-locate.ts (its ABI; addresses and lengths are bytes of `memory`). */
export interface LocateExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  rowAt(): number;
  memStart(): number;
  locate(at: number, len: number): number;
  laterScoreKey(at: number, len: number, from: number, end: number): number;
  pathHash(at: number, len: number): number;
}

/**
 * A message copied into the module's memory and located there. Use: {@link load} the message's bytes, then
 * {@link locate} and {@link laterScoreKey} on it (the message stays loaded until the next load).
 */
export class LokiLocator {
  private readonly mem: Buffer;
  private readonly slots: Int32Array;
  private readonly nums: Float64Array;
  /** The copy area (messages not in a chunk of this memory are copied there). */
  private readonly at: number;
  /** Where the loaded message starts. */
  private loadedAt = 0;
  private len = 0;
  /** Messages loaded so far (tests: proves the parser used this locator). */
  loaded = 0;

  /** The module's memory: chunks from {@link takeChunk} are views of it. */
  readonly memory: ArrayBuffer;
  private readonly free: Buffer[] = [];

  /** `chunkBytes`: the size of the read chunks kept in the module's memory (0: none). */
  constructor(private readonly x: LocateExports, chunkBytes: number) {
    const start = x.memStart();
    const slot = chunkBytes + PAD;
    const need = start + WASM_MAX_MESSAGE + PAD + (chunkBytes > 0 ? CHUNKS * slot : 0);
    const have = x.memory.buffer.byteLength;
    if (need > have) x.memory.grow(Math.ceil((need - have) / 65536));
    // Views made after the only growth: they stay valid (the module never grows its memory itself).
    const buf = (this.memory = x.memory.buffer);
    this.mem = Buffer.from(buf);
    const row = x.rowAt();
    this.slots = new Int32Array(buf, row, FF_SLOTS);
    this.nums = new Float64Array(buf, row + 72, FF_NUMS);
    this.at = start;
    if (chunkBytes > 0) {
      for (let k = CHUNKS - 1; k >= 0; k--) this.free.push(Buffer.from(buf, start + WASM_MAX_MESSAGE + PAD + k * slot, chunkBytes));
    }
  }

  /**
   * A read chunk in the module's memory (contents undefined), or undefined when all are taken. Give it back with
   * {@link giveChunk} once nothing refers to it (a chunk never given back is only lost to this thread's later reads).
   */
  takeChunk(): Buffer | undefined {
    return this.free.pop();
  }

  /** Gives back a chunk from {@link takeChunk}; returns false (and keeps nothing) for any other buffer. */
  giveChunk(b: Buffer): boolean {
    if (b.buffer !== this.memory) return false;
    // given back twice, a chunk would be handed to two files at once: once is enough
    if (!this.free.includes(b)) this.free.push(b);
    return true;
  }

  /**
   * Makes the ASCII message `b[start, end)` the loaded one, where it is when `b` is a chunk of this locator's memory
   * (a view of {@link memory}), else copied. Same result as {@link load}.
   */
  use(b: Buffer, start: number, end: number): boolean {
    if (b.buffer !== this.memory) return this.load(b, start, end);
    this.loadedAt = b.byteOffset + start;
    this.len = end - start;
    this.loaded++;
    return true;
  }

  /**
   * Copies the ASCII message `b[start, end)` into the module's memory (the caller checked that every byte is < 0x80).
   * Returns false, having copied nothing, for a message longer than {@link WASM_MAX_MESSAGE}.
   */
  load(b: Buffer, start: number, end: number): boolean {
    const n = end - start;
    if (n > WASM_MAX_MESSAGE) return false;
    b.copy(this.mem, this.at, start, end);
    this.loadedAt = this.at;
    this.len = n;
    this.loaded++;
    return true;
  }

  /**
   * {@link locateFileFinding}`(msg, slots, nums, slotBase, numBase)` of the loaded message `msg`: writes the row and
   * returns true, or returns false (row left as it was) exactly when that returns false.
   */
  locate(slots: Int32Array, nums: Float64Array, slotBase: number, numBase: number): boolean {
    if (this.x.locate(this.loadedAt, this.len) === 0) return false;
    const s = this.slots;
    for (let k = 0; k < FF_SLOTS; k++) slots[slotBase + k] = s[k];
    const v = this.nums;
    for (let k = 0; k < FF_NUMS; k++) nums[numBase + k] = v[k];
    return true;
  }

  /** `pathHashBytes` (./loki-intern.ts) of the loaded message's `[from, to)`. */
  pathHash(from: number, to: number): number {
    return this.x.pathHash(this.loadedAt + from, to - from);
  }

  /** {@link laterScoreKey}`(msg, from, end)` of the loaded message (`end` Infinity: no end). */
  laterScoreKey(from: number, end = Infinity): number {
    return this.x.laterScoreKey(this.loadedAt, this.len, from, end === Infinity ? -1 : end);
  }
}

let cached: LokiLocator | null | undefined;

/**
 * A new instance of the module's exports (its own memory, one page until grown). Throws when this engine cannot
 * compile it (no WebAssembly SIMD) — {@link lokiLocator} catches that.
 */
export function locateModule(wasm: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly): LocateExports {
  if (wasm === undefined) throw new Error('no WebAssembly');
  const mod = new wasm.Module(Buffer.from(LOKI_LOCATE_WASM, 'base64'));
  return new wasm.Instance(mod, { env: { abort: () => { throw new Error('loki-locate: abort'); } } }).exports as unknown as LocateExports;
}

/**
 * This thread's {@link LokiLocator}, made on first use; undefined when WebAssembly (with SIMD) is not available here or
 * `SOC_ANALYTICS_WASM=0`. Never throws.
 */
export function lokiLocator(env: NodeJS.ProcessEnv = process.env): LokiLocator | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if ((env[WASM_ENV] ?? '').trim() === '0' || wasm === undefined) return undefined;
  try {
    cached = new LokiLocator(locateModule(wasm), LOKI_READ_CHUNK);
  } catch {
    cached = null; // no SIMD (an old engine) or no memory: the JavaScript locator
  }
  return cached ?? undefined;
}

/** Forgets this thread's locator (tests: the next {@link lokiLocator} reads the environment again). */
export function resetLokiLocator(): void {
  cached = undefined;
}
