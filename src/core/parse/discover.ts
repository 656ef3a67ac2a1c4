/**
 * Finds candidate Loki result files under files/folders (recursive). OWNER: parser helper.
 * Reference: shared/docs/loki-format.md §0 (default file names), §5 item 7 (duplicate sources).
 */
import * as fsp from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { notRegularReason, openErrorText } from '../fs-errors';
import * as path from 'node:path';
import type { ParseError } from '../model/loki';
import { analysedRoots, folderAlreadyReadReason, folderLoopReason, insideRoots, isInside, LINK_LOOP_REASON, outsideRootsReason, sameFileReason } from './link-scope';

export interface DiscoveredFiles {
  /** Absolute paths, sorted. */
  files: string[];
  /** Files deliberately not read, with the reason (e.g. Loki-RS `.log` beside its `.jsonl`, `.html` reports). */
  skipped: { file: string; reason: string }[];
  /** Unreadable paths (permissions, dangling links, loops). */
  errors: ParseError[];
  /** Total bytes of `files`. */
  totalBytes: number;
}

/**
 * Extensions that are never Loki output (lower case, without dot): images, archives, binaries,
 * office/media files, compiled code, YARA rule files, and the Loki-RS `.html` report.
 */
export const SKIP_EXTENSIONS: ReadonlySet<string> = new Set([
  // reports
  'html', 'htm',
  // images
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'svg', 'webp', 'tif', 'tiff',
  // archives / compressed
  'zip', '7z', 'rar', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'cab', 'iso', 'lz4', 'lzma',
  // binaries / dumps
  'exe', 'dll', 'sys', 'msi', 'so', 'dylib', 'bin', 'dmp', 'pdb', 'o', 'obj', 'class', 'jar', 'pyc', 'pyd', 'node', 'wasm',
  // office / media / fonts
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'mp3', 'mp4', 'avi', 'mov', 'wav', 'mkv', 'ttf', 'otf', 'woff', 'woff2',
  // signatures shipped with Loki (rules, not results)
  'yar', 'yara', 'yarc',
]);

/** The archive and compressed extensions of {@link SKIP_EXTENSIONS}: Loki output packed for transfer, never read packed. */
const ARCHIVE_EXTENSIONS: ReadonlySet<string> = new Set(['zip', '7z', 'rar', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'cab', 'iso', 'lz4', 'lzma']);

/**
 * Why a file with an extension of {@link SKIP_EXTENSIONS} is skipped: `HTML report`; a compressed file or archive
 * (Loki logs collected from endpoints often arrive as `scan.log.gz` or a `.zip`) as
 * `compressed file or archive (.gz): not read — extract it first`, as `kpi` says of its inputs; else `not a log file (.exe)`.
 */
function skipReason(ext: string): string {
  if (ext === 'html' || ext === 'htm') return 'HTML report';
  if (ARCHIVE_EXTENSIONS.has(ext)) return `compressed file or archive (.${ext}): not read — extract it first`;
  return `not a log file (.${ext})`;
}

/** Folder names that are never descended into (besides any name starting with '.'). */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '__pycache__', 'soc-exports', 'soc-reports']);

function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * Walks `paths` (files or folders, recursively) and returns the Loki candidate files.
 *
 * Rules: hidden entries (name starts with '.') and `node_modules`/`__pycache__` folders are not
 * entered (folders reported once in `skipped`); files with an extension in {@link SKIP_EXTENSIONS},
 * `loki-upgrade.log`, and a `.log` whose sibling `<same stem>.jsonl` exists (Loki-RS writes both;
 * the JSONL is preferred, §5 item 7) go to `skipped`. A symbolic link found inside a folder (to a file
 * or a folder) is followed only when its real path lies inside one of `paths` ({@link insideRoots}: the
 * folders are attacker-controlled evidence); one pointing elsewhere (`/proc`, the analyst's home) is
 * `skipped` with {@link outsideRootsReason} (`symbolic link to a folder outside the folders analyzed
 * (/proc), not entered — name it directly to analyze it`). A path in `paths` is always read. Each real
 * directory is entered only once (realpath tracking; files and folders are opened by their real
 * folder's path, so a long chain of links read one by one never hits the system's link limit). Each real
 * file is read once and listed under the path it was found by (as `beacons`, `kpi` and `qradar` list it):
 * the entries of a folder named are walked first, the symbolic links met in it after them (in the order
 * met, then the links inside the folders they lead to), so a file that has its own path inside the
 * folders named is listed by it, and a second path to it (also a hard link: same device and inode) is `skipped` as {@link sameFileReason}
 * (`same file as /ev/conn.log (already listed)`). A link back to the folder it sits in or one above is
 * `skipped` as {@link folderLoopReason}, a link looping on itself as `symbolic link loop`, a link to a
 * folder already read as {@link folderAlreadyReadReason}, a folder named twice (or inside one named before it) as `folder already
 * read (<real path>)`. A FIFO, socket
 * or device (or a link to one) is `skipped` as `not a regular file (FIFO)` ({@link notRegularReason}), as the
 * beacon and KPI folder discovery (`discoverInputs`) skips it: all three follow links to folders, each real folder once.
 * Unreadable paths (permissions, dangling links) go to `errors` with line 0. Explicitly passed
 * files obey the same rules. `files` are absolute and sorted; `totalBytes` is their summed size.
 * Never throws except on abort (an Error named 'AbortError').
 */
export async function discoverLokiFiles(paths: string[], opts: { signal?: AbortSignal } = {}): Promise<DiscoveredFiles> {
  const { signal } = opts;
  const files: string[] = [];
  const sizes = new Map<string, number>();
  const skipped: { file: string; reason: string }[] = [];
  const errors: ParseError[] = [];
  const seenDirs = new Set<string>();
  /** Real path (and `device:inode` of a file with several hard links) of each file listed → the path it is listed under. */
  const seenFiles = new Map<string, string>();
  const roots = await analysedRoots(paths);
  /** Symbolic links met inside the folders (inside the roots), followed after the folder named is walked. */
  const links: { abs: string; target: string; isDir: boolean; names: ReadonlySet<string>; chain: string[]; enter?: true }[] = [];

  /**
   * Lists file `abs` (shown by that path; `io`: the same file by its real folder's path, for I/O). `entry`: an `lstat`
   * of `io` started when its folder was listed (a regular file there): while it still is one, `io` is its real path
   * (no link on the way: the folder's path is real) and the `lstat` is its stat, so no more calls are needed.
   */
  const addFile = async (abs: string, names: ReadonlySet<string> | undefined, io = abs, entry?: Promise<Stats>) => {
    const base = path.basename(abs);
    const lower = base.toLowerCase();
    const dot = lower.lastIndexOf('.');
    const ext = dot > 0 ? lower.slice(dot + 1) : '';
    if (lower === 'loki-upgrade.log') return void skipped.push({ file: abs, reason: 'Loki upgrader log (no scan results)' });
    if (SKIP_EXTENSIONS.has(ext)) {
      return void skipped.push({ file: abs, reason: skipReason(ext) });
    }
    if (ext === 'log') {
      const stem = base.slice(0, dot);
      const jsonl = stem + '.jsonl';
      let has = false;
      if (names) has = names.has(jsonl);
      else {
        try {
          has = (await fsp.stat(path.join(path.dirname(io), jsonl))).isFile();
        } catch {
          has = false;
        }
      }
      if (has) return void skipped.push({ file: abs, reason: `Loki-RS .log duplicated by ${jsonl}` });
    }
    let st: Stats;
    let real: string;
    try {
      const l = entry ? await entry.catch(() => undefined) : undefined;
      if (l?.isFile()) {
        st = l;
        real = io;
      } else {
        // not listed as a regular file, or no longer one (swapped for a link since the folder was read)
        st = await fsp.stat(io);
        real = await fsp.realpath(io);
      }
    } catch (e) {
      return void errors.push({ file: abs, line: 0, message: openErrorText('cannot stat', abs, e) });
    }
    if (names && !insideRoots(real, roots)) return void skipped.push({ file: abs, reason: outsideRootsReason('file', real) });
    // one file under two names: the same real path, or a hard link (the same device and inode, a file of several links)
    const inode = st.nlink > 1 && st.ino > 0 && Number.isSafeInteger(st.ino) ? `${st.dev}:${st.ino}` : undefined;
    const listed = seenFiles.get(real) ?? (inode !== undefined ? seenFiles.get(inode) : undefined);
    if (listed !== undefined) return void skipped.push({ file: abs, reason: sameFileReason(listed) });
    seenFiles.set(real, abs);
    if (inode !== undefined) seenFiles.set(inode, abs);
    files.push(abs);
    sizes.set(abs, st.size);
  };

  /** Walks folder `dir` (shown by that path; `known`: its real path when already resolved; `claimed`: a linked folder counted as read). */
  const walk = async (dir: string, ancestors: string[], known?: string, claimed = false) => {
    if (signal?.aborted) throw abortError();
    let real: string;
    try {
      real = known ?? (await fsp.realpath(dir));
    } catch (e) {
      return void errors.push({ file: dir, line: 0, message: openErrorText('cannot resolve', dir, e) });
    }
    if (ancestors.includes(real)) return void skipped.push({ file: dir, reason: folderLoopReason(real) });
    if (!claimed && seenDirs.has(real)) return void skipped.push({ file: dir, reason: `folder already read (${real})` });
    seenDirs.add(real);
    let entries;
    try {
      entries = await fsp.readdir(real, { withFileTypes: true });
    } catch (e) {
      return void errors.push({ file: dir, line: 0, message: openErrorText('cannot read folder', dir, e) });
    }
    const names = new Set(entries.map((e) => e.name));
    const chain = [...ancestors, real];
    // The regular files' lstat calls at once (the thread pool runs them side by side; one after the other they were
    // ~0.1 ms a file, 40 ms for 400 files), read in order by addFile.
    const entryStats = new Map<string, Promise<Stats>>();
    for (const ent of entries) if (ent.isFile() && !ent.name.startsWith('.')) entryStats.set(ent.name, fsp.lstat(path.join(real, ent.name)));
    for (const p of entryStats.values()) p.catch(() => undefined); // a failure is met (and reported) where it is awaited
    for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (signal?.aborted) throw abortError();
      const abs = path.join(dir, ent.name);
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      let kind: Parameters<typeof notRegularReason>[0] = ent;
      // I/O by the real folder's path: only this entry's own link is resolved
      const io = path.join(real, ent.name);
      let target: string | undefined;
      if (ent.isSymbolicLink()) {
        try {
          const st = await fsp.stat(io);
          isDir = st.isDirectory();
          isFile = st.isFile();
          kind = st;
          if (isDir || isFile) target = await fsp.realpath(io);
        } catch (e) {
          if ((e as NodeJS.ErrnoException)?.code === 'ELOOP') skipped.push({ file: abs, reason: LINK_LOOP_REASON });
          else errors.push({ file: abs, line: 0, message: openErrorText('dangling or unreadable link', abs, e) });
          continue;
        }
        if (target !== undefined && !insideRoots(target, roots)) {
          skipped.push({ file: abs, reason: outsideRootsReason(isDir ? 'folder' : 'file', target) });
          continue;
        }
        if (target !== undefined && !ent.name.startsWith('.') && !(isDir && SKIP_DIRS.has(ent.name))) {
          // followed once the folder named is walked: a file or folder with a path of its own there is listed by it
          links.push({ abs, target, isDir, names, chain });
          continue;
        }
      }
      if (isDir) {
        if (ent.name.startsWith('.') || SKIP_DIRS.has(ent.name)) {
          skipped.push({ file: abs, reason: 'hidden or tool folder' });
          continue;
        }
        await walk(abs, chain, target ?? io);
      } else if (isFile) {
        if (ent.name.startsWith('.')) {
          skipped.push({ file: abs, reason: 'hidden file' });
          continue;
        }
        await addFile(abs, names, target ?? io, target === undefined ? entryStats.get(ent.name) : undefined);
      } else skipped.push({ file: abs, reason: notRegularReason(kind) }); // a FIFO, socket or device, or a link to one: never read (a FIFO would block)
    }
  };

  for (const p of paths) {
    if (signal?.aborted) throw abortError();
    const abs = path.resolve(p);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch (e) {
      errors.push({ file: abs, line: 0, message: openErrorText('cannot open', abs, e) });
      continue;
    }
    if (st.isDirectory()) {
      await walk(abs, []);
      // the links met, in the order met (the folders they lead to add theirs), each real folder entered once
      for (let i = 0; i < links.length; i++) {
        if (signal?.aborted) throw abortError();
        const k = links[i];
        if (!k.isDir) await addFile(k.abs, k.names, k.target);
        else if (k.enter) await walk(k.abs, k.chain, k.target, true);
        else if (isInside(k.chain[k.chain.length - 1], k.target)) skipped.push({ file: k.abs, reason: folderLoopReason(k.target) });
        else if (seenDirs.has(k.target)) skipped.push({ file: k.abs, reason: folderAlreadyReadReason(k.target) });
        else {
          // entered after the other links met (as beacons and kpi enter it), counted as read from now on
          seenDirs.add(k.target);
          links.push({ ...k, enter: true });
        }
      }
      links.length = 0;
    } else if (st.isFile()) await addFile(abs, undefined);
    else errors.push({ file: abs, line: 0, message: 'not a regular file or folder' });
  }
  files.sort();
  let totalBytes = 0;
  for (const f of files) totalBytes += sizes.get(f) ?? 0;
  return { files, skipped, errors, totalBytes };
}
