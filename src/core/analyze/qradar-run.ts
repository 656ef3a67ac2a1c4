/**
 * Discover + read QRadar inputs (files and folders), shared by the worker thread and the CLI.
 * Kinds are detected from content (qradar.md §5.3), so a folder with offenses, closing reasons and
 * offense types is joined automatically. Analytics run afterwards per display zone
 * ({@link summarizeQRadar}).
 */
import { notRegularReason, openErrorText } from '../fs-errors';
import { NOT_REGULAR_FILE, openRegularFile, readHandleBounded } from '../fs-read';
import type { FileHandle } from 'node:fs/promises';
import { analysedRoots, folderAlreadyReadReason, folderLoopReason, insideRoots, isInside, LINK_LOOP_REASON, outsideRootsReason, sameFileReason } from '../parse/link-scope';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { ParseError } from '../model/common';
import { SKIP_DIRS } from '../parse/discover';
import { parseQRadarJsonText, QRadarArrayStream } from '../parse/qradar';
import { parseQRadarCsvText, qradarCsvHeaderKind } from '../parse/qradar-csv';
import { parseCsvRecords } from '../parse/csv-lines';
import { looksLikeLokiLog } from '../parse/loki';
import { bytesText } from '../byte-size';
import { decodeTableText, tableUtf16 } from '../parse/cases-input';
import { cancelledError as abortError } from './cancel';
import type { QRadarClosingReason, QRadarFileInfo, QRadarParsed, QRadarRule } from '../parse/qradar-model';
import { dedupeOffenses, duplicateOffensesText } from '../parse/qradar-dedupe';
import { closingReasonsCandidates, rulesCandidates } from '../parse/qradar-reason-lists';
import { fetchFiles, readManifest } from '../qradar-api/fetch';
import { SNIFF_BYTES, notTextKindText, sniffNotText } from '../parse/not-text';
export { dedupeOffenses };

/** Options of a QRadar run. */
export interface QRadarRunOptions {
  /** Zone of console display times in CSV exports (IANA or `UTC`); default `UTC`. */
  consoleTimeZone?: string;
  signal?: AbortSignal;
  /** Files larger than this are streamed (default and at most {@link MAX_FILE_BYTES}; tests set a small one). */
  maxWholeFileBytes?: number;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; currentFile?: string }) => void;
  /**
   * Paths (of those read) named for every offense's closing reasons (the CLI's `--closing-reasons`):
   * {@link QRadarParsed.namedClosingReasons}.
   */
  namedClosingReasons?: string[];
}

/**
 * Extensions read inside folders (a file named explicitly is always read). Of them, `.txt` and `.log`
 * ({@link CONTENT_NAMED_EXTENSIONS}) are read only when their start is QRadar data ({@link notQRadarHeadReason}).
 */
export const QRADAR_EXTENSIONS: ReadonlySet<string> = new Set(['json', 'jsonl', 'ndjson', 'csv', 'txt', 'log']);
/**
 * Extensions that name no QRadar export by themselves: QRadar and its API write `.json` and `.csv`; a `.log` or `.txt`
 * in a folder is QRadar data only by its content (offenses saved as NDJSON, e.g. Elastic's `test-offense.log`; a Log
 * Activity export renamed), and is much more often a scanner's or a tool's log (a Loki `big.log` of 1.7 GB beside the
 * offenses was reported as a QRadar file too large). Discovery looks at their first bytes before anything else.
 */
export const CONTENT_NAMED_EXTENSIONS: ReadonlySet<string> = new Set(['txt', 'log']);
/**
 * Files larger than this are not read as one text (V8's string limit): a UTF-8 JSON array is
 * streamed element by element ({@link QRadarArrayStream}); anything else is reported, not read.
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Bytes of a file's start that {@link notQRadarHeadReason} looks at: 8 KiB, a Log Activity header line (about 200
 * bytes, 1 KiB with payload columns) many times over; a first line longer than that is not judged (the file is read).
 * Small, as discovery reads it of every `.log`/`.txt` of a folder (on the extension host too, for the console-zone question).
 */
export const HEAD_BYTES = 8 * 1024;

/** Why a Loki scan log met among QRadar inputs is left out (the same words in the CLI and in VS Code). */
export const LOKI_LOG_NOT_QRADAR = 'a Loki scan log, not QRadar data: analyze it with soc-analytics loki (in VS Code: SOC: Analyze Loki Results…)';

/**
 * Why a file is no QRadar input, judged from its first bytes `head` (up to {@link HEAD_BYTES}), or undefined when it
 * can be one: a JSON start (`[` or `{`: offenses, lists, NDJSON; UTF-8 or UTF-16), or a first line that is a QRadar CSV
 * header by the reader's own rule ({@link qradarCsvHeaderKind}: `id,text` closing reasons, Log/Network Activity
 * columns). Otherwise: a compressed file or archive (`gzip-compressed file: extract it first`) or `binary file` (as
 * the reader says), {@link LOKI_LOG_NOT_QRADAR} for a Loki log (its first line
 * in a Loki format, `looksLikeLokiLog`), else `not QRadar data: no JSON and no QRadar CSV header (first line: "…")`,
 * the first line cut at 80 characters. An empty head is undefined (the reader says what an empty file is). `file`
 * names the file in a decoding note (not used: only the first line is looked at). Never throws.
 */
export function notQRadarHeadReason(head: Buffer, file: string): string | undefined {
  if (head.length === 0) return undefined;
  const notText = notTextReason(head);
  if (notText !== undefined) return notText;
  const { text } = decode(head, file);
  const t = text.trimStart();
  if (t === '' || t[0] === '[' || t[0] === '{') return undefined;
  if (looksLikeLokiLog(head)) return LOKI_LOG_NOT_QRADAR;
  const nl = t.search(/\r\n|\n|\r/);
  const first = nl < 0 ? t : t.slice(0, nl);
  let header: string[] | undefined;
  try {
    header = parseCsvRecords(first, { bom: true, relax_column_count: true, relax_quotes: true }, () => undefined)[0]?.record;
  } catch {
    header = undefined;
  }
  if (header && qradarCsvHeaderKind(header) !== undefined) return undefined;
  // (a first line longer than the head cannot be judged: read the file, as before)
  if (nl < 0 && head.length >= HEAD_BYTES) return undefined;
  const shown = first.length > 80 ? `${first.slice(0, 80)}…` : first;
  return `not QRadar data: no JSON and no QRadar CSV header (first line: ${JSON.stringify(shown)})`;
}

/**
 * The first {@link HEAD_BYTES} bytes of `file` (fewer when it is shorter): a path (opened non-blocking, checked on the
 * handle: a FIFO, socket or device rejects with {@link NOT_REGULAR_FILE}, never waits for a writer) or a handle already
 * open (read at position 0). Rejects as `fs` does.
 */
async function readHead(file: string | FileHandle): Promise<Buffer> {
  if (typeof file !== 'string') {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  }
  const { handle } = await openRegularFile(file, () => new Error(NOT_REGULAR_FILE));
  try {
    return await readHead(handle);
  } finally {
    await handle.close();
  }
}

/**
 * The problem text of a QRadar input too large to be read (over `limit` bytes, {@link MAX_FILE_BYTES}: V8's longest
 * string; no setting raises it) and no UTF-8 JSON array (which is streamed at any size): its size and the limit in
 * binary units ({@link bytesText}: `1.6 GiB, limit 512 MiB`) and what to do — for a CSV (`csv`: a Log/Network
 * Activity export) a search over a shorter time range, or parts of less than the limit each with the header line; for
 * other JSON (`json`: NDJSON, an object wrapping the array, UTF-16) a fetch as a JSON array (`soc-analytics
 * qradar-fetch`, VS Code *SOC: Fetch QRadar Offenses…*: streamed at any size) or a narrower `--from`/`--to` range.
 * The same words in the CLI and in VS Code (both read through {@link readQRadarFile}).
 */
export function qradarTooLargeText(size: number, limit: number, kind: 'csv' | 'json'): string {
  const head = `file too large (${bytesText(size)}, limit ${bytesText(limit)}: the longest text that can be read at once; only a UTF-8 JSON array is streamed past it); not read.`;
  return kind === 'csv'
    ? `${head} Export a shorter time range (a Log Activity or Network Activity search over fewer hours) or split the file into parts of less than ${bytesText(limit)}, each starting with the header line`
    : `${head} Fetch the offenses as a JSON array (soc-analytics qradar-fetch, in VS Code: SOC: Fetch QRadar Offenses…), or a narrower range with --from/--to, or split the file into parts of less than ${bytesText(limit)}`;
}


/**
 * Candidate files under `paths` (recursive; hidden entries and node_modules skipped; inside folders
 * only {@link QRADAR_EXTENSIONS}, and a `.log` or `.txt` only when its first bytes are QRadar data: else it is skipped
 * with {@link notQRadarHeadReason}'s reason, e.g. {@link LOKI_LOG_NOT_QRADAR}, whatever its size). Returns absolute sorted paths with sizes, unreadable paths as
 * errors (line 0), and `skipped`: entries met inside a folder that are not read, with the reason. Each real file is
 * read once, listed under the path it was found by (as `loki`, `beacons` and `kpi` list it): a folder named is walked
 * first, the symbolic links met in it after it (in the order met, then the links inside the folders they lead to), so
 * a file with a path of its own inside the folders named is listed by it, and a second path to it is skipped
 * ({@link sameFileReason}: `same file as /ev/offenses.json (already listed)`). Also skipped: a link looping on itself
 * (`symbolic link loop`), a link to the folder it sits in or one above it ({@link folderLoopReason}), a link to a
 * folder already read ({@link folderAlreadyReadReason}), a
 * FIFO, socket or device ({@link notRegularReason}), or a symbolic link whose real path lies outside
 * the paths given ({@link outsideRootsReason}: the same rule as the Loki, beacon and case discoveries,
 * ../parse/link-scope.ts; an exported folder is attacker-controlled and a link to `/proc` was walked
 * without end). A path given is always read. Rejects with an `AbortError` when `signal` aborts.
 */
export async function discoverQRadarFiles(
  paths: string[],
  signal?: AbortSignal,
): Promise<{ files: { file: string; size: number }[]; errors: ParseError[]; skipped: { file: string; reason: string }[] }> {
  const files = new Map<string, number>();
  const errors: ParseError[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const seenDirs = new Set<string>();
  /** Real path of each file listed → the path it is listed under. */
  const seenFiles = new Map<string, string>();
  const roots = await analysedRoots(paths);
  /** Symbolic links met in the folders (with the real path of the folder holding each), followed after the folder named. */
  const links: { p: string; here: string }[] = [];
  /** Walks `p` (`here`: for a link met in a folder, the real path of that folder). */
  async function walk(p: string, explicit: boolean, here?: string): Promise<void> {
    if (signal?.aborted) throw abortError();
    let st;
    try {
      st = await fsp.stat(p);
    } catch (e) {
      if (!explicit && (e as NodeJS.ErrnoException)?.code === 'ELOOP') skipped.push({ file: p, reason: LINK_LOOP_REASON });
      else errors.push({ file: p, line: 0, message: openErrorText('cannot read', p, e) });
      return;
    }
    if (!st.isDirectory() && !st.isFile()) {
      if (explicit) errors.push({ file: p, line: 0, message: notRegularReason(st) });
      else skipped.push({ file: p, reason: notRegularReason(st) });
      return;
    }
    // a file met in a folder is read only for its extension: decided before any other look at it
    if (!explicit && st.isFile() && !QRADAR_EXTENSIONS.has(path.extname(p).slice(1).toLowerCase())) return;
    let real: string;
    try {
      real = await fsp.realpath(p);
    } catch (e) {
      errors.push({ file: p, line: 0, message: openErrorText('cannot read', p, e) });
      return;
    }
    // Met in a folder, an entry whose real path is outside the paths named is a symbolic link pointing there
    // (folders outside are never entered, so nothing below one is met).
    if (!explicit && !insideRoots(real, roots)) {
      skipped.push({ file: p, reason: outsideRootsReason(st.isDirectory() ? 'folder' : 'file', real) });
      return;
    }
    if (st.isDirectory()) {
      if (here !== undefined && isInside(here, real)) return void skipped.push({ file: p, reason: folderLoopReason(real) });
      if (seenDirs.has(real)) {
        if (here !== undefined) skipped.push({ file: p, reason: folderAlreadyReadReason(real) });
        return;
      }
      seenDirs.add(real);
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fsp.readdir(p, { withFileTypes: true });
      } catch (e) {
        errors.push({ file: p, line: 0, message: openErrorText('cannot list folder', p, e) });
        return;
      }
      for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (ent.name.startsWith('.') || SKIP_DIRS.has(ent.name)) continue;
        // followed once the folder named is walked: a file or folder with a path of its own there is listed by it
        if (ent.isSymbolicLink()) links.push({ p: path.join(p, ent.name), here: real });
        else await walk(path.join(p, ent.name), false);
      }
      return;
    }
    // one file under two names (a link inside the folder, or a hard link: the same device and inode): read once
    const inode = st.nlink > 1 && st.ino > 0 && Number.isSafeInteger(st.ino) ? `${st.dev}:${st.ino}` : undefined;
    const listed = seenFiles.get(real) ?? (inode !== undefined ? seenFiles.get(inode) : undefined);
    if (listed !== undefined) {
      if (!explicit || listed !== p) skipped.push({ file: p, reason: sameFileReason(listed) });
      return;
    }
    seenFiles.set(real, p);
    if (inode !== undefined) seenFiles.set(inode, p);
    // a .log or .txt met in a folder is an input only when it starts as QRadar data: a Loki log of 1.7 GB is left out
    // as what it is, never size-checked nor reported as a QRadar file too large
    if (!explicit && CONTENT_NAMED_EXTENSIONS.has(path.extname(p).slice(1).toLowerCase())) {
      let why: string | undefined;
      try {
        why = notQRadarHeadReason(await readHead(p), p);
      } catch (e) {
        errors.push({ file: p, line: 0, message: openErrorText('cannot read', p, e) });
        return;
      }
      if (why !== undefined) return void skipped.push({ file: p, reason: why });
    }
    files.set(p, st.size);
  }
  for (const p of paths) {
    await walk(path.resolve(p), true);
    // the links met, in the order met (the folders they lead to add theirs), each real folder entered once
    for (let i = 0; i < links.length; i++) await walk(links[i].p, false, links[i].here);
    links.length = 0;
  }
  return { files: [...files].map(([file, size]) => ({ file, size })).sort((a, b) => (a.file < b.file ? -1 : 1)), errors, skipped };
}

/**
 * Decodes a file: UTF-16 LE/BE with BOM, else UTF-8 (BOM removed) where a byte that is not UTF-8 (a
 * windows-1252 export, an Excel re-save) is read as windows-1252 and `warning` names the line of the first
 * ({@link decodeTableText}); it became U+FFFD, silently.
 */
function decode(buf: Buffer, file: string): { text: string; warning?: ParseError } {
  const d = decodeTableText(buf, file);
  return d.text.charCodeAt(0) === 0xfeff ? { ...d, text: d.text.slice(1) } : d;
}

/**
 * True when a file is not text: a NUL byte in its first 4 KiB, unless it is UTF-16 (a byte order mark, or the NULs
 * of UTF-16 text without one: {@link tableUtf16}) or
 * starts as text — JSON (`[` or `{`) or a header line with a field separator and no NUL (a raw event
 * payload or a broken tool's record may hold a NUL: that one record is reported, the others kept).
 */
/**
 * Why a file whose first bytes are `buf` is no QRadar export, when they are no text: a compressed file or archive by its
 * magic bytes (`gzip-compressed file: extract it first`, as `kpi`, `loki` and `tz convert` name it; not-text.ts), else
 * `binary file` ({@link looksBinary}: NULs where a QRadar export has none); undefined for text.
 */
function notTextReason(buf: Buffer): string | undefined {
  const kind = sniffNotText(buf.subarray(0, SNIFF_BYTES));
  if (kind !== undefined && kind !== 'binary') return `${notTextKindText(kind)}: extract it first`;
  return looksBinary(buf) ? 'binary file' : undefined;
}

function looksBinary(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096);
  if (!head.includes(0) || buf[0] === 0xff || buf[0] === 0xfe || tableUtf16(head) !== undefined) return false;
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if ((head[i] === 0x5b || head[i] === 0x7b) && head[i + 1] !== 0) return false; // not UTF-16 without a byte order mark
  const nl = head.indexOf(10, i);
  const first = head.subarray(i, nl < 0 ? head.length : nl);
  return first.includes(0) || !(first.includes(0x2c) || first.includes(0x3b) || first.includes(9));
}

/** Looks like CSV rather than JSON: by extension, or a first non-blank character that cannot start JSON. */
function isCsv(file: string, text: string): boolean {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return true;
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return false;
  const c = text.trimStart()[0];
  return c !== '[' && c !== '{' && text.includes(',');
}

/**
 * Reads one file into `out` (offenses, lookups, events, errors, files, skipped). Never throws on bad
 * data; read errors become a file-level error (line 0). A file over `maxWholeBytes` (default and at most
 * {@link MAX_FILE_BYTES}) is streamed when it is a JSON array; else, when its start is no QRadar data
 * ({@link notQRadarHeadReason}: a Loki log named among the inputs), it is skipped with that reason, and otherwise
 * reported as too large with its size, the limit and what to do ({@link qradarTooLargeText}).
 */
export async function readQRadarFile(file: string, out: QRadarParsed, consoleZone: string, maxWholeBytes = MAX_FILE_BYTES): Promise<void> {
  let buf: Buffer | undefined;
  const limit = Math.min(maxWholeBytes, MAX_FILE_BYTES);
  // opened once, checked and read through the one handle (a path swapped for a FIFO after discovery's stat is refused,
  // never waited on; a file that grew past the limit since is caught by the read of at most limit + 1 bytes)
  let fh: FileHandle | undefined;
  try {
    const opened = await openRegularFile(file, () => new Error(NOT_REGULAR_FILE));
    fh = opened.handle;
    let size = opened.size;
    if (size <= limit) {
      const b = await readHandleBounded(fh, limit + 1, size);
      if (b.length <= limit) buf = b;
      else size = Math.max(b.length, (await fh.stat()).size);
    }
    if (!buf) {
      if (await looksLikeUtf8JsonArray(file, fh)) {
        await streamJsonArray(file, fh, out);
        return;
      }
      // not QRadar data by its start (a Loki log named among the inputs): left out as a small one would be, no size
      // problem; a QRadar input: its size and the limit as people read them, and what to do
      const head = await readHead(fh);
      const notText = notTextReason(head);
      const why = notText ?? notQRadarHeadReason(head, file);
      if (why !== undefined) {
        out.skipped.push({ file, reason: why });
        out.files.push({ file, kind: 'unrecognised', format: notText !== undefined ? 'binary' : 'not QRadar data', records: 0, errors: 0 });
        return;
      }
      const json = /^[[{]/.test(decode(head, file).text.trimStart());
      out.errors.push({ file, line: 0, message: qradarTooLargeText(size, limit, json ? 'json' : 'csv') });
      out.files.push({ file, kind: 'unrecognised', format: 'too large', records: 0, errors: 1 });
      return;
    }
  } catch (e) {
    out.errors.push({ file, line: 0, message: openErrorText('cannot read', file, e) });
    out.files.push({ file, kind: 'unrecognised', format: 'unreadable', records: 0, errors: 1 });
    return;
  } finally {
    await fh?.close().catch(() => undefined);
  }
  const notText = notTextReason(buf);
  if (notText !== undefined) {
    out.skipped.push({ file, reason: notText });
    out.files.push({ file, kind: 'unrecognised', format: 'binary', records: 0, errors: 0 });
    return;
  }
  const { text, warning } = decode(buf, file);
  if (warning) out.errors.push(warning);
  const info: QRadarFileInfo = { file, kind: 'unrecognised', format: '', records: 0, errors: warning ? 1 : 0 };
  if (isCsv(file, text)) {
    const r = parseQRadarCsvText(text, file, consoleZone);
    Object.assign(info, { kind: r.kind, format: r.format, records: r.records, errors: r.errors.length + (warning ? 1 : 0) });
    // one push per item: push(...r.events) throws RangeError (call stack) past ~120,000 (a 200,000-row export)
    for (const x of r.events) out.events.push(x);
    addClosingReasons(out, r.closingReasons, file);
    for (const x of r.errors) out.errors.push(x);
    if (r.usedConsoleTimes) out.usedConsoleTimes = true;
    if (r.kind === 'unrecognised') out.skipped.push({ file, reason: r.skipReason ?? 'not QRadar data' });
  } else {
    const r = parseQRadarJsonText(text, file, buf);
    Object.assign(info, { kind: r.kind, format: r.format, records: r.records, errors: r.errors.length + (warning ? 1 : 0) });
    for (const o of r.offenses) out.offenses.push(o);
    addClosingReasons(out, r.closingReasons, file);
    for (const x of r.offenseTypes) out.offenseTypes.push(x);
    addRules(out, r.rules, file);
    for (const x of r.errors) out.errors.push(x);
    if (r.kind === 'unrecognised') out.skipped.push({ file, reason: r.skipReason ?? 'not QRadar data' });
  }
  out.files.push(info);
}

/** A QRadar read with nothing in it yet. */
function emptyParsed(consoleZone: string): QRadarParsed {
  return { files: [], offenses: [], events: [], closingReasons: [], offenseTypes: [], rules: [], errors: [], skipped: [], consoleTimeZone: consoleZone, usedConsoleTimes: false };
}

/** File name of an offense-types list saved beside offenses (`/api/siem/offense_types`). */
const OFFENSE_TYPES_FILE_NAME = 'offense_types.json';

/**
 * Reads the reference lists of each offenses file's own export that exist but were not among the inputs — the lists
 * a fetch wrote beside it (`<stem>.closing-reasons.json`, `<stem>.rules.json`, `<stem>.offense-types.json`) and
 * `offense_closing_reasons.json`/`.csv`, `analytics_rules.json`, `offense_types.json` in its folder
 * ({@link closingReasonsCandidates}, {@link rulesCandidates}) — so that one offenses file named alone is analyzed as
 * its folder is (`qradar offenses.json` gave 0 false positives and reasons `#1`, `#2` where `qradar <folder>` and
 * `kpi offenses.json` gave 1 of 2; trial 2026-12-05). The same files, by name, as `kpi` reads (cases.ts
 * `readExportLookup`). Only a list is taken from such a file (its offenses or events never are); one that holds no
 * list is left out with the reason. `namedLists`: the closing reasons were named for every offense
 * (`--closing-reasons`), so no closing-reasons list is looked up.
 */
async function readExportLookups(out: QRadarParsed, consoleZone: string, namedLists: boolean, signal?: AbortSignal): Promise<void> {
  const read = new Set(out.files.map((f) => path.resolve(f.file)));
  const offenseFiles = out.files.filter((f) => f.kind === 'offenses').map((f) => f.file);
  for (const f of offenseFiles) {
    const candidates = [
      ...(namedLists ? [] : closingReasonsCandidates(f)),
      ...rulesCandidates(f),
      fetchFiles(f).offenseTypes,
      path.join(path.dirname(f), OFFENSE_TYPES_FILE_NAME),
    ];
    for (const c of candidates) {
      if (signal?.aborted) throw abortError();
      const abs = path.resolve(c);
      if (read.has(abs)) continue;
      read.add(abs);
      try {
        if (!(await fsp.stat(abs)).isFile()) continue;
      } catch {
        continue; // no such list: the usual case
      }
      const one = emptyParsed(consoleZone);
      await readQRadarFile(abs, one, consoleZone);
      const info = one.files[0];
      if (!info || (info.kind !== 'closingReasons' && info.kind !== 'rules' && info.kind !== 'offenseTypes')) {
        out.skipped.push({ file: abs, reason: `beside ${path.basename(f)} but not a closing-reasons, rules or offense-types list (${one.skipped[0]?.reason ?? info?.kind ?? 'unreadable'}); not read` });
        continue;
      }
      out.files.push(info);
      for (const x of one.closingReasons) out.closingReasons.push(x);
      for (const x of one.rules) out.rules.push(x);
      for (const x of one.offenseTypes) out.offenseTypes.push(x);
      for (const x of one.errors) out.errors.push(x);
    }
  }
}

/** Adds the closing reasons read from `file` to `out`, each marked with its file (a list names only its own export's offenses). */
function addClosingReasons(out: QRadarParsed, reasons: readonly QRadarClosingReason[], file: string): void {
  for (const x of reasons) {
    x.file = file;
    out.closingReasons.push(x);
  }
}

/** Adds the rules read from `file` to `out`, each marked with its file (a list names only its own export's rules: ids are per console). */
function addRules(out: QRadarParsed, rules: readonly QRadarRule[], file: string): void {
  for (const x of rules) {
    x.file = file;
    out.rules.push(x);
  }
}

/**
 * True when a non-CSV file (named `file`, open as `fh`) starts (after an optional UTF-8 BOM and whitespace) with `[` and
 * has no NUL byte in its first 4 KB.
 */
async function looksLikeUtf8JsonArray(file: string, fh: FileHandle): Promise<boolean> {
  if (path.extname(file).toLowerCase() === '.csv') return false;
  const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
  const head = buffer.subarray(0, bytesRead);
  if (head.includes(0)) return false;
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  return head[i] === 0x5b;
}

/** Streams a large JSON array file (named `file`, open as `fh`: read from its start; the caller closes it) into `out` (offenses, lookups, errors, files, skipped). */
async function streamJsonArray(file: string, fh: FileHandle, out: QRadarParsed): Promise<void> {
  const s = new QRadarArrayStream(file);
  try {
    for await (const chunk of fh.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: false })) s.push(chunk as Buffer);
  } catch (e) {
    out.errors.push({ file, line: 0, message: openErrorText('cannot read', file, e) });
  }
  const r = s.end();
  out.files.push({ file, kind: r.kind, format: r.format, records: r.records, errors: r.errors.length });
  for (const o of r.offenses) out.offenses.push(o);
  addClosingReasons(out, r.closingReasons, file);
  for (const x of r.offenseTypes) out.offenseTypes.push(x);
  addRules(out, r.rules, file);
  for (const x of r.errors) out.errors.push(x);
  if (r.kind === 'unrecognised') out.skipped.push({ file, reason: r.skipReason ?? 'not QRadar data' });
}

/** `u` when it parses as an http(s) URL (its normal form), else undefined. */
function consoleUrl(u: string): string | undefined {
  try {
    const x = new URL(u);
    return x.protocol === 'https:' || x.protocol === 'http:' ? x.href.replace(/\/$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** A POSIX shell word: as it is when plain, else in single quotes (a path with spaces or `;`). */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A problem (line 0) for each offenses file that a `qradar-fetch` (or *Fetch QRadar Offenses…*) left partial — its
 * manifest `<stem>.manifest.json` says `status: "partial"`: the fetch stopped (connection refused, 401, cancelled)
 * and the file holds only what came before, or, when not one offense came, an empty list that is no empty export.
 * The problem names the manifest, the reason and how to resume. Files that are neither offenses nor an empty array
 * are not looked at.
 */
async function partialFetchProblems(out: QRadarParsed): Promise<void> {
  const candidates = out.files.filter((f) => f.kind === 'offenses' || out.skipped.some((k) => k.file === f.file && k.reason === 'empty JSON array'));
  for (const f of candidates) {
    const manifestFile = fetchFiles(f.file).manifest;
    const m = manifestFile === f.file ? undefined : await readManifest(manifestFile);
    if (!m || m.status !== 'partial' || path.basename(m.offenses.file) !== path.basename(f.file)) continue;
    // the manifest is input like any file: its reason on one line, its console URL only when it is one, quoted
    const why = m.partialReason ? `: ${m.partialReason.replace(/[\r\n\u2028\u2029]+/g, ' ')}` : '';
    const url = consoleUrl(m.console);
    const resume = `soc-analytics qradar-fetch ${url ? `--url ${shellQuote(url)} ` : ''}--out ${shellQuote(f.file)} --resume${url ? '' : ' (with --url: the console URL in the manifest is no URL)'} (in VS Code: SOC: Resume QRadar Fetch…)`;
    out.errors.push({
      file: f.file,
      line: 0,
      message:
        m.offenses.fetched === 0
          ? `a failed QRadar fetch, not an empty export: not one offense was fetched (${path.basename(manifestFile)}: partial${why}); retry with ${resume}`
          : `a partial QRadar fetch: ${m.offenses.fetched}${m.offenses.reportedTotal !== undefined ? ` of ${m.offenses.reportedTotal}` : ''} offense${m.offenses.fetched === 1 ? '' : 's'} of the query were fetched (${path.basename(manifestFile)}: partial${why}); the others are missing — resume with ${resume}`,
    });
  }
}

/**
 * Runs discovery and reads every file (one after the other). Rejects with an `AbortError` when
 * `signal` aborts. Duplicate offenses are dropped ({@link dedupeOffenses}) with one note in
 * `skipped`. Unreadable paths become errors (line 0).
 */
export async function runQRadarRead(paths: string[], opts: QRadarRunOptions = {}): Promise<QRadarParsed> {
  const consoleZone = opts.consoleTimeZone || 'UTC';
  const disc = await discoverQRadarFiles(paths, opts.signal);
  const out = emptyParsed(consoleZone);
  for (const e of disc.errors) out.errors.push(e);
  for (const k of disc.skipped) out.skipped.push(k);
  const bytesTotal = disc.files.reduce((a, f) => a + f.size, 0);
  let bytesDone = 0;
  for (let i = 0; i < disc.files.length; i++) {
    if (opts.signal?.aborted) throw abortError();
    const f = disc.files[i];
    opts.onProgress?.({ filesDone: i, filesTotal: disc.files.length, bytesDone, bytesTotal, currentFile: f.file });
    await readQRadarFile(f.file, out, consoleZone, opts.maxWholeFileBytes);
    bytesDone += f.size;
  }
  opts.onProgress?.({ filesDone: disc.files.length, filesTotal: disc.files.length, bytesDone, bytesTotal });
  if (opts.namedClosingReasons?.length) out.namedClosingReasons = opts.namedClosingReasons.map((f) => path.resolve(f));
  await readExportLookups(out, consoleZone, !!out.namedClosingReasons, opts.signal);
  await partialFetchProblems(out);
  const d = dedupeOffenses(out.offenses);
  if (d.duplicates > 0) {
    out.offenses = d.offenses;
    out.skipped.push({ file: '', reason: duplicateOffensesText(d.copies) });
  }
  return out;
}
